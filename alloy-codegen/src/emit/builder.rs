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
use crate::setters::{Holds, NewMember, Sets, new_impl, setter};
use crate::stencil::{Slot, unparse as print};
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
    let built = crate::template::with_parsed(&TEMPLATES, |templates| {
        build(templates, name, doc, fields, true)
    })?;
    let mut methods = built.methods;
    for s in &built.setters {
        methods.items.push(setter(
            &Ident::new(&s.name, Span::call_site()),
            &Ident::new(&s.field.name, Span::call_site()),
            &s.field.ty,
            Holds::Optional,
            &s.doc,
        )?);
    }
    let mut items = vec![syn::Item::Struct(built.item), syn::Item::Impl(methods)];
    items.extend(built.debug);
    items.extend(built.default.map(syn::Item::Impl));
    Ok(items)
}

/// [`items`] as printed, appended to `out`: the struct's fields and the setters come from
/// stencils ([`crate::stencil`]), the rest is printed by prettyplease.
pub(crate) fn write(
    out: &mut String,
    name: &str,
    doc: &str,
    fields: &[BuilderField],
) -> syn::Result<()> {
    let built = crate::template::with_parsed(&TEMPLATES, |templates| {
        build(templates, name, doc, fields, false)
    })?;
    let keys: Vec<String> = fields
        .iter()
        .map(|f| quote::ToTokens::to_token_stream(&f.ty).to_string())
        .collect();
    // The struct's doc, attributes and first line, as printed without fields.
    let printed = print(vec![syn::Item::Struct(built.item)]);
    crate::rustdoc::splice_into(out, printed.strip_suffix(" {}\n").unwrap_or(&printed));
    if fields.is_empty() {
        out.push_str(" {}\n");
    } else {
        out.push_str(" {\n");
        for (f, key) in fields.iter().zip(&keys) {
            docs::push_doc_block(out, "    ", &f.doc);
            write_field(out, f, key)?;
        }
        out.push_str("}\n");
    }
    crate::setters::write_impl_with_new(out, built.methods);
    for s in &built.setters {
        crate::setters::write_setter(
            out,
            Sets::Member(Holds::Optional),
            &s.name,
            &s.field.name,
            (&s.field.ty, &keys[s.index]),
            &s.doc,
        )?;
    }
    out.push_str("}\n");
    let rest: Vec<syn::Item> = built
        .debug
        .into_iter()
        .chain(built.default.map(syn::Item::Impl))
        .collect();
    if !rest.is_empty() {
        out.push_str(&print(rest));
    }
    Ok(())
}

/// A builder's pieces; its setters are left to the caller, which builds or prints them.
struct Built<'a> {
    item: syn::ItemStruct,
    /// `impl Name { new }`.
    methods: syn::ItemImpl,
    setters: Vec<SetterPlan<'a>>,
    debug: Option<syn::Item>,
    default: Option<syn::ItemImpl>,
}

/// The setter of an optional field.
struct SetterPlan<'a> {
    name: String,
    field: &'a BuilderField,
    /// The field's index.
    index: usize,
    doc: String,
}

/// With `declare` false, the struct is left without fields.
fn build<'a>(
    templates: &Templates,
    name: &str,
    doc: &str,
    fields: &'a [BuilderField],
    declare: bool,
) -> syn::Result<Built<'a>> {
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
    for (index, (f, field)) in fields.iter().zip(&idents).enumerate() {
        let ty = &f.ty;
        if f.required {
            if declare {
                let attrs = docs::outer_attrs(&f.doc);
                decls.push(public_field(attrs, field.clone(), ty.clone()));
            }
            members.push(NewMember::Takes(field, ty));
        } else {
            if declare {
                let optional = Fill::default()
                    .ty("__Ty", ty)
                    .apply(&templates.optional, Fill::visit_type_mut);
                let attrs = docs::outer_attrs(&f.doc);
                decls.push(public_field(attrs, field.clone(), optional));
            }
            members.push(NewMember::Unset(field));
            setters.push(SetterPlan {
                name: setter_names.next().unwrap_or_else(|| f.name.clone()),
                field: f,
                index,
                doc: format!("Sets the {}.", f.what),
            });
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
    let methods = new_impl(
        &ident,
        if nothing_required {
            "Nothing set; add optional values with the setters."
        } else {
            "The required values; add optional ones with the setters."
        },
        &members,
    )?;
    let debug = if secret {
        Some(syn::parse2(debug_impl(&ident, fields))?)
    } else {
        None
    };
    Ok(Built {
        item,
        methods,
        setters,
        debug,
        default,
    })
}

/// `    pub <name>: <type>,` (in `Option` unless required), from a stencil of its type.
fn write_field(out: &mut String, field: &BuilderField, key: &str) -> syn::Result<()> {
    let shape = format!("builder field {} {key}", field.required);
    crate::stencil::with(|stencils| {
        stencils.print(out, &shape, &[Slot::Ident(&field.name, 1)], |slots| {
            let ty = if field.required {
                field.ty.clone()
            } else {
                let ty = &field.ty;
                syn::parse_quote!(::std::option::Option<#ty>)
            };
            let item: syn::ItemStruct = syn::ItemStruct {
                fields: syn::Fields::Named(syn::FieldsNamed {
                    brace_token: Default::default(),
                    named: [public_field(
                        Vec::new(),
                        Ident::new(slots[0], Span::call_site()),
                        ty,
                    )]
                    .into_iter()
                    .collect(),
                }),
                ..syn::parse_quote!(
                    struct X {}
                )
            };
            crate::stencil::braced_body(syn::Item::Struct(item))
        })
    })
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{BuilderField, items, write};

    fn field() -> impl Strategy<Value = BuilderField> {
        (
            // Names come from the naming module, which never gives a keyword.
            "[a-z][a-z0-9_]{0,70}"
                .prop_filter("a keyword", |n| syn::parse_str::<syn::Ident>(n).is_ok()),
            prop_oneof![
                Just("i64"),
                Just("::std::string::String"),
                Just("::std::vec::Vec<crate::types::SomeLongerNameOfAType>"),
                Just("crate::types::Q"),
            ],
            any::<bool>(),
            "[a-zA-Z0-9 ]{0,30}",
            any::<bool>(),
        )
            .prop_map(|(name, ty, required, doc, secret)| BuilderField {
                what: format!("input `{name}`"),
                name,
                ty: syn::parse_str(ty).unwrap(),
                required,
                doc: doc.trim().to_owned(),
                secret,
            })
    }

    proptest! {
        /// The builder written as text is the builder's items printed.
        #[test]
        fn written_builders_print_as_their_items(
            name in "[A-Z][a-zA-Z0-9]{0,60}",
            fields in prop::collection::vec(field(), 0..6),
        ) {
            // Field names are unique within a struct.
            let mut fields = fields;
            let mut seen = std::collections::HashSet::new();
            fields.retain(|f| seen.insert(f.name.clone()));
            let mut written = String::new();
            write(&mut written, &name, "A builder.", &fields).unwrap();
            let printed = crate::stencil::unparse(items(&name, "A builder.", &fields).unwrap());
            prop_assert_eq!(written, printed);
        }
    }
}
