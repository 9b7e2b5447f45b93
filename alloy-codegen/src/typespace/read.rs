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

use super::model::StructDef;
use super::tokens::{field_needs_some_helper, ident};
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
/// or nothing).
pub(super) fn impls(
    name: &Ident,
    def: &StructDef,
    gate: &[syn::Attribute],
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
                .ident("__extra", &ident(&extra.name))
                .apply(&templates.other_extra, Fill::visit_arm_mut),
            None => templates.other_ignore.clone(),
        };
        let body = if def.fields.is_empty() {
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
                        .ident("__field", &ident(&field.name))
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
