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

use std::collections::HashMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::parse::Parser;

use super::model::StructDef;
use super::tokens::{field_needs_some_helper, ident};

/// The trait the generic visitor drives. The type space reserves the name, so no schema type
/// can take it.
pub(super) const TRAIT: &str = "ReadMembers";

/// Builds the two impls of each struct from templates parsed once per `types.rs`: there is
/// one pair per response type, and parsing each `match` back from tokens cost more than all
/// the rest of `types.rs`. Only the names, wire strings and arms differ between structs.
#[derive(Default)]
pub(super) struct ReadBuilder {
    templates: Option<Templates>,
    /// The catch-all arm, by the name of the struct's `extra` map (`None`: ignore).
    other_arms: HashMap<Option<String>, syn::Arm>,
}

struct Templates {
    deserialize: syn::ItemImpl,
    read: syn::ItemImpl,
    /// `match key.as_str() {}`
    matched: syn::ExprMatch,
    /// `"x" => self.x = map.next_value()?,`
    arm: syn::Arm,
    /// `"x" => self.x = ::std::option::Option::Some(map.next_value()?),`
    arm_some: syn::Arm,
}

impl ReadBuilder {
    /// `impl Deserialize` and `impl ReadMembers` for struct `name`, each behind `gate` (a
    /// `#[cfg]`, or nothing).
    pub(super) fn impls(
        &mut self,
        name: &Ident,
        def: &StructDef,
        gate: &[syn::Attribute],
    ) -> syn::Result<[syn::Item; 2]> {
        let other = self.other_arm(def)?;
        let templates = match &mut self.templates {
            Some(t) => t,
            None => self.templates.insert(Templates::parse()?),
        };
        let self_ty: syn::Type = syn::Type::Path(syn::TypePath {
            qself: None,
            path: name.clone().into(),
        });
        let mut deserialize = templates.deserialize.clone();
        deserialize.self_ty = Box::new(self_ty.clone());
        deserialize.attrs = gate.to_vec();
        let mut read = templates.read.clone();
        read.self_ty = Box::new(self_ty);
        read.attrs = gate.to_vec();
        let body = if def.fields.is_empty() {
            // A `match` of only the catch-all arm is clippy's `match_single_binding`.
            let keep = def.extra.is_none().then(|| quote!(let _ = key;));
            let other = other_body(def);
            syn::Block::parse_within.parse2(quote! { #keep #other })?
        } else {
            let arms = def
                .fields
                .iter()
                .map(|field| {
                    let template = if field_needs_some_helper(field) {
                        &templates.arm_some
                    } else {
                        &templates.arm
                    };
                    member_arm(template, &field.wire, ident(&field.name))
                })
                .chain(std::iter::once(other))
                .collect();
            let mut matched = templates.matched.clone();
            matched.arms = arms;
            vec![syn::Stmt::Expr(syn::Expr::Match(matched), None)]
        };
        set_body(&mut read, body);
        Ok([syn::Item::Impl(deserialize), syn::Item::Impl(read)])
    }

    fn other_arm(&mut self, def: &StructDef) -> syn::Result<syn::Arm> {
        let extra = def.extra.as_ref().map(|e| e.name.clone());
        if let Some(arm) = self.other_arms.get(&extra) {
            return Ok(arm.clone());
        }
        let body = other_body(def);
        let arm: syn::Arm = syn::parse2(quote! { _ => { #body } })?;
        self.other_arms.insert(extra, arm.clone());
        Ok(arm)
    }
}

/// What a member the struct does not list does: go into its `extra` map, or be skipped.
fn other_body(def: &StructDef) -> TokenStream {
    match &def.extra {
        Some(extra) => {
            let name = ident(&extra.name);
            quote! { self.#name.insert(key, map.next_value()?); }
        }
        None => quote! { map.next_value::<::serde::de::IgnoredAny>()?; },
    }
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        let read = ident(TRAIT);
        let deserialize = syn::parse2(quote! {
            impl<'de> ::serde::Deserialize<'de> for Template {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    crate::types::read_members(deserializer)
                }
            }
        })?;
        let read = syn::parse2(quote! {
            impl crate::types::#read for Template {
                fn read_member<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: ::std::string::String, map: &mut A) -> ::std::result::Result<(), A::Error> {
                    match key.as_str() {}
                    ::std::result::Result::Ok(())
                }
            }
        })?;
        Ok(Self {
            deserialize,
            read,
            matched: syn::parse2(quote! { match key.as_str() {} })?,
            arm: syn::parse2(quote! { "x" => self.x = map.next_value()?, })?,
            arm_some: syn::parse2(
                quote! { "x" => self.x = ::std::option::Option::Some(map.next_value()?), },
            )?,
        })
    }
}

/// `template` for member `wire` and field `field`.
fn member_arm(template: &syn::Arm, wire: &str, field: Ident) -> syn::Arm {
    let mut arm = template.clone();
    if let syn::Pat::Lit(pattern) = &mut arm.pat {
        pattern.lit = syn::Lit::Str(syn::LitStr::new(wire, Span::call_site()));
    }
    if let syn::Expr::Assign(assign) = &mut *arm.body
        && let syn::Expr::Field(target) = &mut *assign.left
    {
        target.member = syn::Member::Named(field);
    }
    arm
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
