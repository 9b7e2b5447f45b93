//! The one builder style shared by parameter structs and credential inputs.
//!
//! Public fields, `#[non_exhaustive]` (so a new optional input is not a breaking change),
//! required inputs as arguments of `new`, and a chained setter per optional input, named like
//! its field. `Debug` is derived unless a field looks secret; then a manual impl prints
//! `<redacted>` in its place.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;

use crate::rustdoc as docs;
use crate::setters::{Holds, setter};
use crate::template::{Fill, public_field};
use crate::typespace::naming::setter_names;

/// One field of a builder struct.
#[derive(Debug)]
pub(crate) struct BuilderField {
    /// The Rust field name (already unique within the struct).
    pub(crate) name: String,
    /// The field's type when set (optional fields wrap it in `Option`).
    pub(crate) ty: syn::Type,
    pub(crate) required: bool,
    /// Rustdoc text, already sanitized.
    pub(crate) doc: String,
    /// What the setter's doc calls the input (`query parameter `limit``).
    pub(crate) what: String,
    /// Hidden in `Debug`.
    pub(crate) secret: bool,
}

/// The pieces every builder repeats, parsed once per thread (see [`crate::template`]).
struct Templates {
    /// `#[non_exhaustive] pub struct __Name {}`, its derives in front (Debug or not).
    item: syn::ItemStruct,
    derive_debug: Vec<syn::Attribute>,
    derive_no_debug: Vec<syn::Attribute>,
    /// `impl __Name { pub fn new() -> Self { Self {} } }`
    methods: syn::ItemImpl,
    /// `#[allow(clippy::too_many_arguments)]`
    many_args: syn::Attribute,
    /// `Default` as `new()`, for a builder with nothing required.
    default: syn::ItemImpl,
    /// `::std::option::Option<__Ty>`
    optional: syn::Type,
    /// `__field: impl ::std::convert::Into<__Ty>`
    argument: syn::FnArg,
    /// `__field: __field.into()`
    set: syn::FieldValue,
    /// `__field: ::std::option::Option::None`
    unset: syn::FieldValue,
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        let attrs = |tokens| syn::Attribute::parse_outer.parse2(tokens);
        Ok(Self {
            item: syn::parse2(quote! {
                #[non_exhaustive]
                pub struct __Name {}
            })?,
            derive_debug: attrs(quote! { #[derive(Debug, Clone)] })?,
            derive_no_debug: attrs(quote! { #[derive(Clone)] })?,
            methods: syn::parse2(quote! {
                impl __Name {
                    pub fn new() -> Self {
                        Self {}
                    }
                }
            })?,
            many_args: syn::parse_quote! { #[allow(clippy::too_many_arguments)] },
            default: syn::parse2(quote! {
                impl ::std::default::Default for __Name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            })?,
            optional: syn::parse2(quote! { ::std::option::Option<__Ty> })?,
            argument: syn::parse2(quote! { __field: impl ::std::convert::Into<__Ty> })?,
            set: syn::parse2(quote! { __field: __field.into() })?,
            unset: syn::parse2(quote! { __field: ::std::option::Option::None })?,
        })
    }
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

/// The struct, its `new` and setters, and its `Debug`.
pub(crate) fn items(name: &str, doc: &str, fields: &[BuilderField]) -> syn::Result<Vec<syn::Item>> {
    crate::template::with_parsed(&TEMPLATES, |templates| build(templates, name, doc, fields))
}

fn build(
    templates: &Templates,
    name: &str,
    doc: &str,
    fields: &[BuilderField],
) -> syn::Result<Vec<syn::Item>> {
    let ident = Ident::new(name, Span::call_site());
    let optional: Vec<&str> = fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| f.name.as_str())
        .collect();
    let mut setter_names = setter_names(&optional).into_iter();
    let mut decls = Punctuated::new();
    let mut ctor_args = Punctuated::new();
    let mut ctor_fields = Punctuated::new();
    let mut setters = Vec::new();
    for f in fields {
        let field = Ident::new(&f.name, Span::call_site());
        let ty = &f.ty;
        let attrs = docs::outer_attrs(&f.doc);
        let fill = || Fill::default().ident("__field", &field).ty("__Ty", ty);
        if f.required {
            decls.push(public_field(attrs, field.clone(), ty.clone()));
            ctor_args.push(fill().apply(&templates.argument, Fill::visit_fn_arg_mut));
            ctor_fields.push(fill().apply(&templates.set, Fill::visit_field_value_mut));
        } else {
            let optional = fill().apply(&templates.optional, Fill::visit_type_mut);
            decls.push(public_field(attrs, field.clone(), optional));
            ctor_fields.push(fill().apply(&templates.unset, Fill::visit_field_value_mut));
            let name = setter_names.next().unwrap_or_else(|| f.name.clone());
            setters.push(setter(
                &Ident::new(&name, Span::call_site()),
                &field,
                ty,
                Holds::Optional,
                &format!("Sets the {}.", f.what),
            )?);
        }
    }
    let secret = fields.iter().any(|f| f.secret);
    let mut item = Fill::default()
        .ident("__Name", &ident)
        .apply(&templates.item, Fill::visit_item_struct_mut);
    if let syn::Fields::Named(named) = &mut item.fields {
        named.named = decls;
    }
    let derive = if secret {
        &templates.derive_no_debug
    } else {
        &templates.derive_debug
    };
    item.attrs = [docs::outer_attrs(doc), derive.clone(), item.attrs].concat();

    // With nothing required, `new()` is the default value (clippy's `new_without_default`).
    let default = ctor_args.is_empty().then(|| {
        Fill::default()
            .ident("__Name", &ident)
            .apply(&templates.default, Fill::visit_item_impl_mut)
    });
    let mut methods = Fill::default()
        .ident("__Name", &ident)
        .apply(&templates.methods, Fill::visit_item_impl_mut);
    if let Some(syn::ImplItem::Fn(new)) = methods.items.first_mut() {
        new.attrs = docs::outer_attrs(if ctor_args.is_empty() {
            "Nothing set; add optional values with the setters."
        } else {
            "The required values; add optional ones with the setters."
        });
        // Clippy's default limit; an action can require more inputs than that, and they are
        // the arguments of `new` in this style.
        if ctor_args.len() > 7 {
            new.attrs.push(templates.many_args.clone());
        }
        new.sig.inputs = ctor_args;
        if let Some(syn::Stmt::Expr(syn::Expr::Struct(value), _)) = new.block.stmts.first_mut() {
            value.fields = ctor_fields;
        }
    }
    methods.items.extend(setters);

    let mut items = vec![syn::Item::Struct(item), syn::Item::Impl(methods)];
    if secret {
        items.push(syn::parse2(debug_impl(&ident, fields))?);
    }
    items.extend(default.map(syn::Item::Impl));
    Ok(items)
}

fn debug_impl(ident: &Ident, fields: &[BuilderField]) -> TokenStream {
    let entries = fields.iter().map(|f| {
        let field = Ident::new(&f.name, Span::call_site());
        let label = &f.name;
        if f.secret {
            quote! { .field(#label, &"<redacted>") }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    let label = ident.to_string();
    quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}
