//! A compact `Deserialize` for structs whose members are all optional.
//!
//! Those are the response types (inferred from samples, every member optional, unknown ones
//! kept), hundreds per crate. serde's derive writes a field enum, a visitor with map and
//! sequence paths and, because of the flattened `extra` map, a buffer of every unknown member
//! for each of them; type-checking that was most of a generated crate's `cargo check` time.
//! Here each struct gets a `match` from wire name to field, and one generic visitor in
//! `types.rs` drives them all. Members are read as they stream in, so error paths (as
//! `serde_path_to_error` reports them) are as precise as with the derive; a member given twice
//! keeps its last value instead of being an error.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::visit_mut::VisitMut;

use super::model::{ExtraMap, Field, StructDef};
use super::tokens::{field_needs_some_helper, ident, ident_text};
use crate::stencil::{Slot, list_items, list_start, unparse as print};
use crate::template::Fill;

/// The trait the generic visitor drives. The type space reserves the name, so no schema type
/// can take it.
pub(super) const TRAIT: &str = "ReadMembers";

/// The two impls of each struct, parsed once per thread and filled in per struct (see
/// [`crate::template`]): there is one pair per response type, and parsing each `match` back
/// from tokens cost more than all the rest of `types.rs`.
struct Templates {
    deserialize: syn::ItemImpl,
    read: syn::ItemImpl,
    /// `match key.as_str() {}`
    matched: syn::ExprMatch,
    /// `"__wire" => self.__field = map.next_value()?,`
    arm: syn::Arm,
    /// The same keeping an explicit `null` as `Some(None)`, as the derive's `deserialize_some`.
    arm_some: syn::Arm,
    /// The catch-all arm of a struct with an `extra` map, and of one without.
    other_extra: syn::Arm,
    other_ignore: syn::Arm,
    /// `let _ = key;`, for a struct with neither members nor `extra`.
    unused_key: syn::Stmt,
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

/// `impl Deserialize` and `impl ReadMembers` for struct `name`, each behind `gate` (a `#[cfg]`,
/// or nothing, named by `gate_key`), printed and appended to `out`. Both are printed from
/// stencils ([`crate::stencil`]): the impls once per length of the struct's name, the `match`
/// arms once per length of wire name and field.
pub(super) fn write_impls(
    out: &mut String,
    name: &str,
    def: &StructDef,
    gate: &[syn::Attribute],
    gate_key: &str,
) -> syn::Result<()> {
    if def.fields.is_empty() {
        // No `match` to put arms in (and rare): printed whole.
        let def = StructDef {
            extra: def.extra.as_ref().map(|e| ExtraMap {
                name: ident_text(&e.name).into_owned(),
                value: e.value.clone(),
            }),
            ..StructDef::default()
        };
        out.push_str(&print(impls(&ident(name), &def, gate, false)?));
        return Ok(());
    }
    // Names as they print (see `ident`), so the stand-ins are as long.
    let name = ident_text(name);
    crate::stencil::with(|stencils| {
        stencils.print(
            out,
            &format!("read deserialize {gate_key}"),
            &[Slot::Ident(&name, 1)],
            |slots| {
                let [deserialize, _] =
                    impls(&slot_ident(slots[0]), &StructDef::default(), gate, true)?;
                Ok(print([deserialize]))
            },
        )?;
        // The `ReadMembers` impl with only its catch-all arm, cut where the other arms go.
        let mut read = String::new();
        let extra = def.extra.as_ref().map(|e| ident_text(&e.name));
        let mut slots = vec![Slot::Ident(&name, 1)];
        slots.extend(extra.as_deref().map(|extra| Slot::Ident(extra, 1)));
        stencils.print(
            &mut read,
            &format!("read members {gate_key} {}", extra.is_some()),
            &slots,
            |slots| {
                let def = StructDef {
                    extra: def.extra.as_ref().map(|e| ExtraMap {
                        name: slots[1].to_owned(),
                        value: e.value.clone(),
                    }),
                    ..StructDef::default()
                };
                let [_, read] = impls(&slot_ident(slots[0]), &def, gate, true)?;
                Ok(print([read]))
            },
        )?;
        let at = list_start(&read, MATCH_LINE).ok_or_else(shape_error)?;
        out.push_str(&read[..at]);
        for field in &def.fields {
            let some = field_needs_some_helper(field);
            stencils.print(
                out,
                if some { "read arm some" } else { "read arm" },
                &[
                    Slot::Str(&field.wire, 1),
                    Slot::Ident(&ident_text(&field.name), 1),
                ],
                |slots| {
                    let def = StructDef {
                        fields: vec![Field {
                            name: slots[1].to_owned(),
                            wire: slots[0].to_owned(),
                            ..field.clone()
                        }],
                        ..StructDef::default()
                    };
                    let [_, read] = impls(&ident("X"), &def, &[], true)?;
                    let printed = print([read]);
                    list_items(&printed, MATCH_LINE, CATCH_ALL)
                        .map(str::to_owned)
                        .ok_or_else(shape_error)
                },
            )?;
        }
        out.push_str(&read[at..]);
        Ok(())
    })
}

/// [`ident`], which keeps a stencil's stand-in as it is (every name given here has been
/// through [`ident_text`] or is a stand-in).
fn slot_ident(name: &str) -> Ident {
    if crate::stencil::is_stand_in_name(name) {
        Ident::new(name, proc_macro2::Span::call_site())
    } else {
        ident(name)
    }
}

/// The line that opens the `match` in `read_member`, as printed.
const MATCH_LINE: &str = "        match key.as_str() {\n";
/// The start of the catch-all arm, as printed.
const CATCH_ALL: &str = "            _ => ";

fn shape_error() -> syn::Error {
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "the printed `ReadMembers` impl has an unexpected shape",
    )
}

/// `impl Deserialize` and `impl ReadMembers` for struct `name`, each behind `gate` (a `#[cfg]`,
/// or nothing). Without members, `read_member` has no `match` unless `matched` (for a
/// stencil, whose arms are added to the text).
fn impls(
    name: &Ident,
    def: &StructDef,
    gate: &[syn::Attribute],
    matched: bool,
) -> syn::Result<[syn::Item; 2]> {
    crate::template::with_parsed(&TEMPLATES, |templates| {
        let mut deserialize = Fill::default()
            .ident("__Name", name)
            .apply(&templates.deserialize, Fill::visit_item_impl_mut);
        deserialize.attrs = gate.to_vec();
        let mut read = Fill::default()
            .ident("__Name", name)
            .apply(&templates.read, Fill::visit_item_impl_mut);
        read.attrs = gate.to_vec();
        let other = match &def.extra {
            Some(extra) => Fill::default()
                .ident("__extra", &slot_ident(&extra.name))
                .apply(&templates.other_extra, Fill::visit_arm_mut),
            None => templates.other_ignore.clone(),
        };
        let body = if def.fields.is_empty() && !matched {
            // A `match` of only the catch-all arm is clippy's `match_single_binding`.
            let mut stmts = Vec::new();
            if def.extra.is_none() {
                stmts.push(templates.unused_key.clone());
            }
            if let syn::Expr::Block(block) = *other.body {
                stmts.extend(block.block.stmts);
            }
            stmts
        } else {
            let mut matched = templates.matched.clone();
            for field in &def.fields {
                let template = if field_needs_some_helper(field) {
                    &templates.arm_some
                } else {
                    &templates.arm
                };
                matched.arms.push(
                    Fill::default()
                        .string("__wire", &field.wire)
                        .ident("__field", &slot_ident(&field.name))
                        .apply(template, Fill::visit_arm_mut),
                );
            }
            matched.arms.push(other);
            vec![syn::Stmt::Expr(syn::Expr::Match(matched), None)]
        };
        set_body(&mut read, body);
        Ok([syn::Item::Impl(deserialize), syn::Item::Impl(read)])
    })
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        let read = ident(TRAIT);
        Ok(Self {
            deserialize: syn::parse2(quote! {
                impl<'de> ::serde::Deserialize<'de> for __Name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        crate::types::read_members(deserializer)
                    }
                }
            })?,
            read: syn::parse2(quote! {
                impl crate::types::#read for __Name {
                    fn read_member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: ::std::string::String, map: &mut A) -> ::std::result::Result<(), A::Error> {
                        match key.as_str() {}
                        ::std::result::Result::Ok(())
                    }
                }
            })?,
            matched: syn::parse2(quote! { match key.as_str() {} })?,
            arm: syn::parse2(quote! { "__wire" => self.__field = map.next_value()?, })?,
            arm_some: syn::parse2(quote! {
                "__wire" => self.__field = ::std::option::Option::Some(map.next_value()?),
            })?,
            other_extra: syn::parse2(quote! {
                _ => { self.__extra.insert(key, map.next_value()?); }
            })?,
            other_ignore: syn::parse2(quote! {
                _ => { map.next_value::<::serde::de::IgnoredAny>()?; }
            })?,
            unused_key: syn::parse2(quote! { let _ = key; })?,
        })
    }
}

/// Replaces the first statement of `read_member` (the template's empty `match`) with `stmts`.
fn set_body(read: &mut syn::ItemImpl, stmts: Vec<syn::Stmt>) {
    if let Some(syn::ImplItem::Fn(function)) = read.items.first_mut()
        && !function.block.stmts.is_empty()
    {
        function.block.stmts.splice(0..1, stmts);
    }
}

/// The trait and the visitor, once per `types.rs`, behind `gate`.
pub(super) fn helper(gate: &TokenStream) -> TokenStream {
    let read = ident(TRAIT);
    quote! {
        /// A struct whose members are all optional, read from a JSON object member by member:
        /// the compact `Deserialize` of such structs (see [`read_members`]).
        #gate
        pub(crate) trait #read: ::std::default::Default {
            /// Reads the value of member `key` from `map` into `self`.
            fn read_member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: ::std::string::String, map: &mut A) -> ::std::result::Result<(), A::Error>;
        }

        /// Deserializes a JSON object into a [`ReadMembers`] struct: starts from the default
        /// (every member unset) and reads each member as it comes.
        #gate
        pub(crate) fn read_members<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: #read,
        {
            struct Object<T>(::std::marker::PhantomData<T>);
            impl<'de, T: #read> ::serde::de::Visitor<'de> for Object<T> {
                type Value = T;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<T, A::Error> {
                    let mut value = T::default();
                    while let ::std::option::Option::Some(key) = map.next_key::<::std::string::String>()? {
                        value.read_member(key, &mut map)?;
                    }
                    ::std::result::Result::Ok(value)
                }
            }
            deserializer.deserialize_map(Object(::std::marker::PhantomData))
        }
    }
}
