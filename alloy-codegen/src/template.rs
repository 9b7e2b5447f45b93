//! Code parsed once and filled in many times.
//!
//! Items that differ only in names, types and strings (an action's function, a builder's
//! setter) are written once with `quote!` around placeholders, parsed once per thread, and
//! cloned with the placeholders replaced. A placeholder is an identifier, a one-identifier type
//! or expression, or a string literal, spelled `__name`; a `match` arm whose pattern is a
//! placeholder, or an enum variant named like one, stands for a list spliced in its place (the
//! arms of an open enum's impls). Parsing every copy back from tokens
//! was most of the generator's time; a clone and a walk are a fraction of that, and the printed
//! text is the same. What repeats by the ten thousand (setters, `match` arms, fields) is then
//! printed once per shape from these templates and reused as text ([`crate::stencil`]).

use proc_macro2::{Ident, Span};
use syn::visit_mut::{self, VisitMut};

/// Replacements for the placeholders of a template.
#[derive(Default)]
pub(crate) struct Fill<'a> {
    idents: Vec<(&'static str, &'a Ident)>,
    types: Vec<(&'static str, &'a syn::Type)>,
    exprs: Vec<(&'static str, &'a syn::Expr)>,
    strings: Vec<(&'static str, &'a str)>,
    /// Lists spliced in place of one placeholder arm (pattern `__arms`) or variant: each list
    /// goes in once, at the first placeholder the walk meets, so a `Fill` is applied once.
    arms: Vec<(&'static str, Vec<syn::Arm>)>,
    variants: Vec<(&'static str, Vec<syn::Variant>)>,
}

impl<'a> Fill<'a> {
    pub(crate) fn ident(mut self, placeholder: &'static str, value: &'a Ident) -> Self {
        self.idents.push((placeholder, value));
        self
    }

    pub(crate) fn ty(mut self, placeholder: &'static str, value: &'a syn::Type) -> Self {
        self.types.push((placeholder, value));
        self
    }

    pub(crate) fn expr(mut self, placeholder: &'static str, value: &'a syn::Expr) -> Self {
        self.exprs.push((placeholder, value));
        self
    }

    pub(crate) fn string(mut self, placeholder: &'static str, value: &'a str) -> Self {
        self.strings.push((placeholder, value));
        self
    }

    /// Replaces the `match` arm whose pattern is the identifier `placeholder` with `arms`.
    pub(crate) fn arms(mut self, placeholder: &'static str, arms: Vec<syn::Arm>) -> Self {
        self.arms.push((placeholder, arms));
        self
    }

    /// Replaces the enum variant named `placeholder` with `variants`.
    pub(crate) fn variants(
        mut self,
        placeholder: &'static str,
        variants: Vec<syn::Variant>,
    ) -> Self {
        self.variants.push((placeholder, variants));
        self
    }

    /// A copy of `template` with the placeholders replaced; `walk` is the `VisitMut` method for
    /// the template's node type (`Fill::visit_impl_item_fn_mut`, …).
    pub(crate) fn apply<T: Clone>(&mut self, template: &T, walk: fn(&mut Self, &mut T)) -> T {
        let mut copy = template.clone();
        walk(self, &mut copy);
        copy
    }
}

/// The identifier of a one-segment path without generics (`__Body`), if that is what it is.
fn lone_ident(path: &syn::Path) -> Option<&Ident> {
    match path.segments.first() {
        Some(segment)
            if path.leading_colon.is_none()
                && path.segments.len() == 1
                && segment.arguments.is_none() =>
        {
            Some(&segment.ident)
        }
        _ => None,
    }
}

fn find<'v, V: ?Sized>(list: &[(&'static str, &'v V)], ident: &Ident) -> Option<&'v V> {
    list.iter().find(|(name, _)| ident == name).map(|(_, v)| *v)
}

impl VisitMut for Fill<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some(value) = find(&self.idents, ident) {
            *ident = value.clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(path) = ty
            && path.qself.is_none()
            && let Some(value) = lone_ident(&path.path).and_then(|i| find(&self.types, i))
        {
            *ty = value.clone();
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Path(path) = expr
            && path.qself.is_none()
            && let Some(value) = lone_ident(&path.path).and_then(|i| find(&self.exprs, i))
        {
            *expr = value.clone();
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        // The template's own arms are filled first; the spliced ones are filled already.
        visit_mut::visit_expr_match_mut(self, node);
        if self.arms.is_empty() {
            return;
        }
        let slot = node
            .arms
            .iter()
            .enumerate()
            .find_map(|(at, arm)| match &arm.pat {
                syn::Pat::Ident(pat) => {
                    let i = self.arms.iter().position(|(name, _)| pat.ident == name)?;
                    Some((at, i))
                }
                _ => None,
            });
        if let Some((at, i)) = slot {
            let arms = std::mem::take(&mut self.arms[i].1);
            node.arms.splice(at..=at, arms);
        }
    }

    fn visit_item_enum_mut(&mut self, node: &mut syn::ItemEnum) {
        visit_mut::visit_item_enum_mut(self, node);
        for (name, variants) in &mut self.variants {
            let Some(at) = node.variants.iter().position(|v| v.ident == name) else {
                continue;
            };
            let mut spliced = syn::punctuated::Punctuated::new();
            for (i, variant) in std::mem::take(&mut node.variants).into_iter().enumerate() {
                if i == at {
                    spliced.extend(std::mem::take(variants));
                } else {
                    spliced.push(variant);
                }
            }
            node.variants = spliced;
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if self.strings.is_empty() {
            return;
        }
        let text = lit.value();
        if let Some((_, value)) = self.strings.iter().find(|(name, _)| *name == text) {
            *lit = syn::LitStr::new(value, Span::call_site());
        }
    }
}

/// Runs `f` on this thread's parse of a set of templates (each is parsed once per thread and
/// filled in per use), or returns the error that parse gave.
pub(crate) fn with_parsed<T: 'static, R>(
    templates: &'static std::thread::LocalKey<syn::Result<T>>,
    f: impl FnOnce(&T) -> syn::Result<R>,
) -> syn::Result<R> {
    templates.with(|parsed| f(parsed.as_ref().map_err(Clone::clone)?))
}

/// `pub <name>: <ty>` with `attrs`, built as the node parsing would give.
pub(crate) fn public_field(attrs: Vec<syn::Attribute>, name: Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        mutability: syn::FieldMutability::None,
        ident: Some(name),
        colon_token: Some(Default::default()),
        ty,
    }
}
