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

use super::model::{Field, StructDef};
use super::tokens::{field_needs_some_helper, ident};

/// The trait the generic visitor drives. The type space reserves the name, so no schema type
/// can take it.
pub(super) const TRAIT: &str = "ReadMembers";

/// `impl Deserialize` and the member `match` for struct `name`, behind `gate` (a `#[cfg]`, or
/// nothing).
pub(super) fn impls(name: &Ident, def: &StructDef, gate: &TokenStream) -> TokenStream {
    let arms = def.fields.iter().map(member_arm);
    let other = match &def.extra {
        Some(extra) => {
            let extra = ident(&extra.name);
            quote! { self.#extra.insert(key, map.next_value()?); }
        }
        None => quote! { map.next_value::<::serde::de::IgnoredAny>()?; },
    };
    // A `match` with only the catch-all arm is clippy's `match_single_binding`.
    let body = if def.fields.is_empty() {
        let keep = def.extra.is_none().then(|| quote!(let _ = key;));
        quote! { #keep #other }
    } else {
        quote! {
            match key.as_str() {
                #(#arms)*
                _ => { #other }
            }
        }
    };
    let read = ident(TRAIT);
    quote! {
        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::types::read_members(deserializer)
            }
        }
        #gate
        impl crate::types::#read for #name {
            fn read_member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: ::std::string::String, map: &mut A) -> ::std::result::Result<(), A::Error> {
                #body
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// `"wire" => self.field = …,`: an explicit `null` is kept as `Some(None)` where the field
/// tells it apart from absence (as the derive's `deserialize_some` does).
fn member_arm(field: &Field) -> TokenStream {
    let wire = &field.wire;
    let name = ident(&field.name);
    if field_needs_some_helper(field) {
        quote! { #wire => self.#name = ::std::option::Option::Some(map.next_value()?), }
    } else {
        quote! { #wire => self.#name = map.next_value()?, }
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
