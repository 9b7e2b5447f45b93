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
use crate::setters::{Holds, NewMember, new_impl, setter};
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
    /// `Default` as `new()`, for a builder with nothing required.
    default: syn::ItemImpl,
    /// `::std::option::Option<__Ty>`
    optional: syn::Type,
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
            default: syn::parse2(quote! {
                impl ::std::default::Default for __Name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            })?,
            optional: syn::parse2(quote! { ::std::option::Option<__Ty> })?,
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
    let idents: Vec<Ident> = fields
        .iter()
        .map(|f| Ident::new(&f.name, Span::call_site()))
        .collect();
    let mut decls = Punctuated::new();
    let mut members = Vec::with_capacity(fields.len());
    let mut setters = Vec::new();
    for (f, field) in fields.iter().zip(&idents) {
        let ty = &f.ty;
        let attrs = docs::outer_attrs(&f.doc);
        if f.required {
            decls.push(public_field(attrs, field.clone(), ty.clone()));
            members.push(NewMember::Takes(field, ty));
        } else {
            let optional = Fill::default()
                .ty("__Ty", ty)
                .apply(&templates.optional, Fill::visit_type_mut);
            decls.push(public_field(attrs, field.clone(), optional));
            members.push(NewMember::Unset(field));
            let name = setter_names.next().unwrap_or_else(|| f.name.clone());
            setters.push(setter(
                &Ident::new(&name, Span::call_site()),
                field,
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
    let nothing_required = !fields.iter().any(|f| f.required);
    let default = nothing_required.then(|| {
        Fill::default()
            .ident("__Name", &ident)
            .apply(&templates.default, Fill::visit_item_impl_mut)
    });
    let mut methods = new_impl(
        &ident,
        if nothing_required {
            "Nothing set; add optional values with the setters."
        } else {
            "The required values; add optional ones with the setters."
        },
        &members,
    )?;
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
