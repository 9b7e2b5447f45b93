//! The one builder style shared by parameter structs and credential inputs.
//!
//! Public fields, `#[non_exhaustive]` (so a new optional input is not a breaking change),
//! required inputs as arguments of `new`, and a chained setter per optional input, named like
//! its field. `Debug` is derived unless a field looks secret; then a manual impl prints
//! `<redacted>` in its place.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use syn::parse::Parser;
use syn::visit_mut::VisitMut;

use crate::rustdoc as docs;
use crate::template::Fill;
use crate::typespace::naming::Namespace;

/// One field of a builder struct.
#[derive(Debug)]
pub(crate) struct BuilderField {
    /// The Rust field name (already unique within the struct).
    pub(crate) name: String,
    /// The field's type when set (optional fields wrap it in `Option`).
    pub(crate) ty: TokenStream,
    pub(crate) required: bool,
    /// Rustdoc text, already sanitized.
    pub(crate) doc: String,
    /// What the setter's doc calls the input (`query parameter `limit``).
    pub(crate) what: String,
    /// Hidden in `Debug`.
    pub(crate) secret: bool,
}

thread_local! {
    /// A setter, parsed once per thread (see [`crate::template`]).
    static SETTER: syn::Result<syn::ImplItemFn> = syn::parse2(quote! {
        pub fn __setter(mut self, value: impl ::std::convert::Into<__Ty>) -> Self {
            self.__field = ::std::option::Option::Some(value.into());
            self
        }
    });
}

/// The struct, its `new` and setters, and its `Debug`.
pub(crate) fn items(name: &str, doc: &str, fields: &[BuilderField]) -> syn::Result<Vec<syn::Item>> {
    let ident = Ident::new(name, Span::call_site());
    let mut methods = Namespace::new();
    methods.insert("new");
    let mut decls = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_fields = Vec::new();
    let mut setters = Vec::new();
    for f in fields {
        let field = Ident::new(&f.name, Span::call_site());
        let ty = &f.ty;
        let field_doc = docs::outer(&f.doc);
        if f.required {
            decls.push(quote! { #field_doc pub #field: #ty, });
            ctor_args.push(quote! { #field: impl ::std::convert::Into<#ty> });
            ctor_fields.push(quote! { #field: #field.into(), });
        } else {
            decls.push(quote! { #field_doc pub #field: ::std::option::Option<#ty>, });
            ctor_fields.push(quote! { #field: ::std::option::Option::None, });
            let setter = Ident::new(&methods.insert(&f.name), Span::call_site());
            let ty: syn::Type = syn::parse2(ty.clone())?;
            let mut function = SETTER.with(|template| {
                let template = template.as_ref().map_err(Clone::clone)?;
                syn::Result::Ok(
                    Fill::default()
                        .ident("__setter", &setter)
                        .ident("__field", &field)
                        .ty("__Ty", &ty)
                        .apply(template, Fill::visit_impl_item_fn_mut),
                )
            })?;
            function.attrs = syn::Attribute::parse_outer
                .parse2(docs::outer(&format!("Sets the {}.", f.what)))?;
            setters.push(syn::ImplItem::Fn(function));
        }
    }
    let struct_doc = docs::outer(doc);
    let new_doc = docs::outer(if ctor_args.is_empty() {
        "Nothing set; add optional values with the setters."
    } else {
        "The required values; add optional ones with the setters."
    });
    let secret = fields.iter().any(|f| f.secret);
    let derive = if secret {
        quote! { #[derive(Clone)] }
    } else {
        quote! { #[derive(Debug, Clone)] }
    };
    let debug = if secret {
        debug_impl(&ident, fields)
    } else {
        TokenStream::new()
    };
    // Clippy's default limit; an action can require more inputs than that, and they are the
    // arguments of `new` in this style.
    let many_args = if ctor_args.len() > 7 {
        quote! { #[allow(clippy::too_many_arguments)] }
    } else {
        TokenStream::new()
    };
    // With nothing required, `new()` is the default value (and clippy's `new_without_default`).
    let default = if ctor_args.is_empty() {
        quote! {
            impl ::std::default::Default for #ident {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let mut items = syn::parse2::<syn::File>(quote! {
        #struct_doc
        #derive
        #[non_exhaustive]
        pub struct #ident {
            #(#decls)*
        }

        impl #ident {
            #new_doc
            #many_args
            pub fn new(#(#ctor_args),*) -> Self {
                Self { #(#ctor_fields)* }
            }
        }

        #debug
        #default
    })?
    .items;
    if let Some(syn::Item::Impl(methods)) = items.get_mut(1) {
        methods.items.extend(setters);
    }
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
