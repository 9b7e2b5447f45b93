//! `new` and chained setters (`.limit(10)`), the one style of every struct a caller builds:
//! parameter structs and credential inputs (`emit::builder`) and request bodies (`typespace`).
//! Setter names come from [`crate::typespace::naming::setter_names`].

use proc_macro2::Ident;
use quote::quote;
use syn::visit_mut::VisitMut;

use crate::rustdoc as docs;
use crate::stencil::Slot;
use crate::template::Fill;

/// How a member holds the value its setter is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// An optional member, `Option<T>`: the setter takes `impl Into<T>` and stores `Some`.
    Optional,
    /// A member of the setter's type itself (a required member the schema lets be `null`, of
    /// type `Option<T>`): `impl Into<Option<T>>` takes a plain value as well as `None`.
    Itself,
}

/// `new` and the setters, parsed once per thread and filled in per member (see
/// [`crate::template`]).
struct Templates {
    optional: syn::ImplItemFn,
    itself: syn::ImplItemFn,
    /// Adds one entry to a map member.
    insert: syn::ImplItemFn,
    /// `impl __Name { pub fn new() -> Self { Self {} } }`
    new: syn::ItemImpl,
    /// `__field: impl ::std::convert::Into<__Ty>`
    argument: syn::FnArg,
    /// `__field: __field.into()`
    set: syn::FieldValue,
    /// `__field: ::std::option::Option::None`
    unset: syn::FieldValue,
    /// `__field: ::std::collections::BTreeMap::new()`
    empty_map: syn::FieldValue,
    /// `#[allow(clippy::too_many_arguments)]`
    many_args: syn::Attribute,
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        Ok(Self {
            new: syn::parse2(quote! {
                impl __Name {
                    pub fn new() -> Self {
                        Self {}
                    }
                }
            })?,
            argument: syn::parse2(quote! { __field: impl ::std::convert::Into<__Ty> })?,
            set: syn::parse2(quote! { __field: __field.into() })?,
            unset: syn::parse2(quote! { __field: ::std::option::Option::None })?,
            empty_map: syn::parse2(quote! { __field: ::std::collections::BTreeMap::new() })?,
            many_args: syn::parse_quote! { #[allow(clippy::too_many_arguments)] },
            optional: syn::parse2(quote! {
                pub fn __setter(mut self, value: impl ::std::convert::Into<__Ty>) -> Self {
                    self.__field = ::std::option::Option::Some(value.into());
                    self
                }
            })?,
            itself: syn::parse2(quote! {
                pub fn __setter(mut self, value: impl ::std::convert::Into<__Ty>) -> Self {
                    self.__field = value.into();
                    self
                }
            })?,
            insert: syn::parse2(quote! {
                pub fn __setter(
                    mut self,
                    key: impl ::std::convert::Into<::std::string::String>,
                    value: impl ::std::convert::Into<__Ty>,
                ) -> Self {
                    self.__field.insert(key.into(), value.into());
                    self
                }
            })?,
        })
    }
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

/// `pub fn <setter>(mut self, value: impl Into<ty>) -> Self` setting `field`, documented with
/// `doc` (rustdoc-safe already).
pub(crate) fn setter(
    setter: &Ident,
    field: &Ident,
    ty: &syn::Type,
    holds: Holds,
    doc: &str,
) -> syn::Result<syn::ImplItem> {
    fill(
        |t| match holds {
            Holds::Optional => &t.optional,
            Holds::Itself => &t.itself,
        },
        setter,
        field,
        ty,
        doc,
    )
}

fn fill(
    pick: impl FnOnce(&Templates) -> &syn::ImplItemFn,
    setter: &Ident,
    field: &Ident,
    ty: &syn::Type,
    doc: &str,
) -> syn::Result<syn::ImplItem> {
    let mut function = fill_bare(pick, setter, field, ty)?;
    function.attrs = docs::outer_attrs(doc);
    Ok(syn::ImplItem::Fn(function))
}

/// The function without its doc.
fn fill_bare(
    pick: impl FnOnce(&Templates) -> &syn::ImplItemFn,
    setter: &Ident,
    field: &Ident,
    ty: &syn::Type,
) -> syn::Result<syn::ImplItemFn> {
    crate::template::with_parsed(&TEMPLATES, |templates| {
        Ok(Fill::default()
            .ident("__setter", setter)
            .ident("__field", field)
            .ty("__Ty", ty)
            .apply(pick(templates), Fill::visit_impl_item_fn_mut))
    })
}

/// Appends the impl holding `new` ([`new_impl`]) as printed, its docs spliced in, but for its
/// closing brace: the setters written by [`write_setter`] follow, then `}`.
pub(crate) fn write_impl_with_new(out: &mut String, new: syn::ItemImpl) {
    let printed = crate::stencil::unparse([syn::Item::Impl(new)]);
    docs::splice_into(out, printed.strip_suffix("}\n").unwrap_or(&printed));
}

/// What a setter does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sets {
    /// Sets a member, held as [`Holds`] says ([`setter`]).
    Member(Holds),
    /// Adds an entry to the map of other members: `key` and `value` arguments.
    MapEntry,
}

/// A setter as printed in an `impl` block, appended to `out`: its doc lines,
/// then the function from a stencil ([`crate::stencil`]) of its kind and `ty`, which `ty_key`
/// names. `setter` and `field` are valid identifiers.
pub(crate) fn write_setter(
    out: &mut String,
    sets: Sets,
    setter: &str,
    field: &str,
    (ty, ty_key): (&syn::Type, &str),
    doc: &str,
) -> syn::Result<()> {
    docs::push_doc_block(out, "    ", doc);
    let shape = format!("setter {sets:?} {ty_key}");
    crate::stencil::with(|stencils| {
        stencils.print(
            out,
            &shape,
            &[Slot::Ident(setter, 1), Slot::Ident(field, 1)],
            |slots| {
                let span = proc_macro2::Span::call_site();
                let function = fill_bare(
                    |t| match sets {
                        Sets::Member(Holds::Optional) => &t.optional,
                        Sets::Member(Holds::Itself) => &t.itself,
                        Sets::MapEntry => &t.insert,
                    },
                    &Ident::new(slots[0], span),
                    &Ident::new(slots[1], span),
                    ty,
                )?;
                crate::stencil::braced_body(syn::Item::Impl(syn::ItemImpl {
                    items: vec![syn::ImplItem::Fn(function)],
                    ..syn::parse_quote!(impl X {})
                }))
            },
        )
    })
}

/// A member of the value `new` makes, in the order of its `Self { … }`.
pub(crate) enum NewMember<'a> {
    /// An argument of `new` (`impl Into<ty>`), in the order of the arguments.
    Takes(&'a Ident, &'a syn::Type),
    /// An optional member, starting as `None`.
    Unset(&'a Ident),
    /// The map of other members, starting empty.
    EmptyMap(&'a Ident),
}

/// `impl <name> { pub fn new(<arguments>) -> Self { Self { <members> } } }`, with `doc` on
/// `new`. Past seven arguments clippy's `too_many_arguments` is allowed: the schema, not this
/// generator, decides how many members a value needs.
pub(crate) fn new_impl(
    name: &Ident,
    doc: &str,
    members: &[NewMember<'_>],
) -> syn::Result<syn::ItemImpl> {
    crate::template::with_parsed(&TEMPLATES, |t| {
        let mut item = Fill::default()
            .ident("__Name", name)
            .apply(&t.new, Fill::visit_item_impl_mut);
        let Some(syn::ImplItem::Fn(new)) = item.items.first_mut() else {
            return Err(shape_error());
        };
        new.attrs = docs::outer_attrs(doc);
        let mut fields = syn::punctuated::Punctuated::new();
        for member in members {
            let (field, template) = match *member {
                NewMember::Takes(field, ty) => {
                    let mut fill = Fill::default().ident("__field", field).ty("__Ty", ty);
                    new.sig
                        .inputs
                        .push(fill.apply(&t.argument, Fill::visit_fn_arg_mut));
                    (field, &t.set)
                }
                NewMember::Unset(field) => (field, &t.unset),
                NewMember::EmptyMap(field) => (field, &t.empty_map),
            };
            fields.push(
                Fill::default()
                    .ident("__field", field)
                    .apply(template, Fill::visit_field_value_mut),
            );
        }
        if new.sig.inputs.len() > 7 {
            new.attrs.push(t.many_args.clone());
        }
        let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = new.block.stmts.first_mut()
        else {
            return Err(shape_error());
        };
        value.fields = fields;
        Ok(item)
    })
}

fn shape_error() -> syn::Error {
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "the template of `new` has an unexpected shape",
    )
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Ident, Span};
    use proptest::prelude::*;

    use super::{Holds, Sets, fill_bare, write_setter};

    fn sets() -> impl Strategy<Value = Sets> {
        prop_oneof![
            Just(Sets::Member(Holds::Optional)),
            Just(Sets::Member(Holds::Itself)),
            Just(Sets::MapEntry),
        ]
    }

    fn ty() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("i64".to_owned()),
            Just("::std::string::String".to_owned()),
            "[A-Z][a-zA-Z]{0,60}".prop_map(|n| format!("crate::types::{n}")),
            "[A-Z][a-zA-Z]{0,40}"
                .prop_map(|n| format!("::std::vec::Vec<::std::option::Option<crate::types::{n}>>")),
        ]
    }

    proptest! {
        /// A setter from a stencil is the setter printed directly, at any length of name and
        /// type, however many setters of the same shape came before.
        #[test]
        fn setters_from_stencils_print_as_built(
            setters in prop::collection::vec(
                (sets(), "[a-z][a-z0-9_]{0,70}", "[a-z][a-z0-9_]{0,70}", ty()),
                1..12,
            ),
        ) {
            for (sets, setter, field, ty) in &setters {
                let parsed: syn::Type = syn::parse_str(ty).unwrap();
                let mut out = String::new();
                write_setter(&mut out, *sets, setter, field, (&parsed, ty), "Sets it.").unwrap();
                let span = Span::call_site();
                let function = fill_bare(
                    |t| match sets {
                        Sets::Member(Holds::Optional) => &t.optional,
                        Sets::Member(Holds::Itself) => &t.itself,
                        Sets::MapEntry => &t.insert,
                    },
                    &Ident::new(setter, span),
                    &Ident::new(field, span),
                    &parsed,
                )
                .unwrap();
                let direct = crate::stencil::braced_body(syn::Item::Impl(syn::ItemImpl {
                    items: vec![syn::ImplItem::Fn(function)],
                    ..syn::parse_quote!(impl X {})
                }))
                .unwrap();
                prop_assert_eq!(out, format!("    /// Sets it.\n{direct}"));
            }
        }
    }
}
