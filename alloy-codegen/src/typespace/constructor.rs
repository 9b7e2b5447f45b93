//! A struct's `new`, filled into templates: one is made for each of thousands of structs, and
//! parsing each back from tokens (types and all) was a twentieth of the generator's time.

use proc_macro2::Ident;
use quote::quote;
use syn::parse::Parser;
use syn::visit_mut::VisitMut;

use super::model::{Field, StructDef};
use super::structs::StructBuilder;
use super::tokens::{ident, needs_value};
use crate::template::Fill;

/// The pieces of `new`, parsed once per thread.
struct Templates {
    /// `impl __Name { pub fn new() -> Self { Self {} } }`, documented for a struct whose
    /// members `new` all takes, and for one with optional members besides.
    all_required: syn::ItemImpl,
    some_optional: syn::ItemImpl,
    arg: syn::FnArg,
    set: syn::FieldValue,
    unset: syn::FieldValue,
    extra: syn::FieldValue,
    too_many_arguments: Vec<syn::Attribute>,
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        let item = |doc: &str| {
            syn::parse2::<syn::ItemImpl>(quote! {
                impl __Name {
                    #[doc = #doc]
                    pub fn new() -> Self {
                        Self {}
                    }
                }
            })
        };
        Ok(Self {
            all_required: item(" A value with its members, all of them required.")?,
            some_optional: item(
                " A value with the required members; the optional ones start unset.",
            )?,
            arg: syn::parse2(quote!(__field: impl ::std::convert::Into<__Ty>))?,
            set: syn::parse2(quote!(__field: __field.into()))?,
            unset: syn::parse2(quote!(__field: ::std::option::Option::None))?,
            extra: syn::parse2(quote!(__field: ::std::collections::BTreeMap::new()))?,
            // Clippy's limit is seven; a schema decides how many members are required.
            too_many_arguments: syn::Attribute::parse_outer
                .parse2(quote!(#[allow(clippy::too_many_arguments)]))?,
        })
    }
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

/// `new` taking the required members, for a struct that also has optional ones: a request
/// with two required members out of twenty is then written without eighteen `None`s. Structs
/// with only optional members derive `Default` instead. A type that is sent gets `new` even
/// when every member is required: code that builds it with `new` keeps compiling when the API
/// adds an optional member, which a struct literal would not.
///
/// Arguments come in the order of the schema's `required` (a schema listing `firstname,
/// lastname, email` must not give `new(email, firstname, lastname)`: same-typed arguments swap
/// silently) and take `impl Into`, as the parameter structs' `new` does.
pub(super) fn constructor(
    structs: &mut StructBuilder,
    name: &Ident,
    def: &StructDef,
    sent: bool,
) -> syn::Result<Option<syn::ItemImpl>> {
    let (mut args, rest): (Vec<&Field>, Vec<&Field>) =
        def.fields.iter().partition(|f| needs_value(f));
    if args.is_empty() || (!sent && rest.is_empty() && def.extra.is_none()) {
        return Ok(None);
    }
    let rank = |f: &Field| {
        def.required_order
            .iter()
            .position(|&i| def.fields.get(i).is_some_and(|r| r.name == f.name))
            .unwrap_or(def.required_order.len())
    };
    args.sort_by_key(|f| rank(f));
    let types = args
        .iter()
        .map(|f| structs.field_type(&f.ty, false))
        .collect::<syn::Result<Vec<_>>>()?;
    crate::template::with_parsed(&TEMPLATES, |t| {
        let template = if rest.is_empty() && def.extra.is_none() {
            &t.all_required
        } else {
            &t.some_optional
        };
        let mut item = Fill::default()
            .ident("__Name", name)
            .apply(template, Fill::visit_item_impl_mut);
        let Some(syn::ImplItem::Fn(new)) = item.items.first_mut() else {
            return Err(shape_error());
        };
        if args.len() > 7 {
            new.attrs.extend(t.too_many_arguments.iter().cloned());
        }
        let mut fields = Vec::with_capacity(def.fields.len() + 1);
        for (f, ty) in args.iter().zip(&types) {
            let field = ident(&f.name);
            let mut fill = Fill::default().ident("__field", &field).ty("__Ty", ty);
            new.sig
                .inputs
                .push(fill.apply(&t.arg, Fill::visit_fn_arg_mut));
            fields.push(fill.apply(&t.set, Fill::visit_field_value_mut));
        }
        for f in &rest {
            let field = ident(&f.name);
            fields.push(
                Fill::default()
                    .ident("__field", &field)
                    .apply(&t.unset, Fill::visit_field_value_mut),
            );
        }
        if let Some(extra) = &def.extra {
            let field = ident(&extra.name);
            fields.push(
                Fill::default()
                    .ident("__field", &field)
                    .apply(&t.extra, Fill::visit_field_value_mut),
            );
        }
        let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = new.block.stmts.first_mut()
        else {
            return Err(shape_error());
        };
        value.fields.extend(fields);
        value.fields.push_punct(Default::default());
        Ok(Some(item))
    })
}

fn shape_error() -> syn::Error {
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "the template of `new` has an unexpected shape",
    )
}
