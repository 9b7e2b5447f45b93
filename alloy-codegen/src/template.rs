//! Code parsed once and filled in many times.
//!
//! Items that differ only in names, types and strings (an action's function, a builder's
//! setter) are written once with `quote!` around placeholders, parsed once per crate, and
//! cloned with the placeholders replaced. A placeholder is an identifier, a one-identifier type
//! or expression, or a string literal, spelled `__name`. Parsing every copy back from tokens
//! was most of the generator's time; a clone and a walk are a fraction of that, and the printed
//! text is the same.

use proc_macro2::{Ident, Span};
use syn::visit_mut::{self, VisitMut};

/// Replacements for the placeholders of a template.
#[derive(Default)]
pub(crate) struct Fill<'a> {
    idents: Vec<(&'static str, &'a Ident)>,
    types: Vec<(&'static str, &'a syn::Type)>,
    exprs: Vec<(&'static str, &'a syn::Expr)>,
    strings: Vec<(&'static str, &'a str)>,
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
