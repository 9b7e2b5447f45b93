//! Named types → Rust items for `src/types.rs`.
//!
//! Derives are minimal (`Debug`, `Clone`, `PartialEq`, `Serialize`, plus `Default` for structs
//! whose members are all optional, and `Deserialize` for types read from JSON; types only sent
//! implement it behind a crate feature) because one crate can hold thousands of types. Open
//! enums get hand-written serde impls: a `match` on the wire value, smaller than derived code;
//! structs whose members are all optional read member by member ([`super::read`]). Every path
//! is fully qualified, so no schema type name can shadow what the code uses.

use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::DESERIALIZE_REQUESTS_FEATURE;
use super::intern::Registry;
use super::model::{Field, Kind, StructDef, TypeDef, TypeRef, UnionDef};
use super::structs::StructBuilder;
use super::{open_enum, read};
use crate::rustdoc::{code_span, doc_attr_list, doc_attrs};
use crate::setters::{Holds, Sets, write_setter};

/// The serde argument for the helper that keeps an explicit `null` distinct from an absent
/// member.
pub(super) const SOME_HELPER_ARG: &str = "deserialize_with = \"crate::types::deserialize_some\"";

/// The items of every named type, printed and appended to `out`. Structs are written as text
/// ([`StructBuilder::write_item`]); the other items are built as `syn` nodes and printed by
/// `prettyplease` a few at a time, so the syntax of a whole `types.rs` is never held at once
/// (for the largest corpus crates that would be hundreds of megabytes). prettyplease prints
/// the items of a file one after the other, so the text is the same as for the whole file.
pub(super) fn definitions(
    registry: &Registry,
    deserialized: &HashSet<&str>,
    sent: &HashSet<&str>,
    out: &mut String,
) -> syn::Result<()> {
    let mut items = Items {
        pending: Vec::with_capacity(ITEMS_PER_PRINT),
        out,
    };
    let mut structs = StructBuilder::default();
    let mut some_helper = HelperUse::default();
    let mut read_helper = HelperUse::default();
    for (name_text, def, doc) in registry.defs() {
        let de = Serde {
            always: deserialized.contains(name_text.as_str()),
        };
        let is_sent = sent.contains(name_text.as_str());
        let name = ident(name_text);
        let tokens = match def {
            TypeDef::Struct(s) => {
                // With every member optional, the struct starts from its `Default` and reads
                // members as they come (see `read`); otherwise serde's derive does it.
                let all_optional = !s.fields.iter().any(needs_value);
                if all_optional {
                    read_helper.note(de);
                } else if s.fields.iter().any(field_needs_some_helper) {
                    some_helper.note(de);
                }
                let key = match (de.always, all_optional) {
                    (true, true) => "derive read",
                    (true, false) => "derive read derived",
                    (false, true) => "derive sent",
                    (false, false) => "derive sent derived",
                };
                let attrs = structs.attrs_text(key, || {
                    if all_optional {
                        de.derive_with(quote!(::std::default::Default,), false)
                    } else {
                        de.derive_with(TokenStream::new(), true)
                    }
                })?;
                let out = items.text();
                structs.write_item(out, name_text, doc.0.as_deref(), &attrs, s, !all_optional);
                if all_optional {
                    let gate = de.gate_attrs(&mut structs)?;
                    read::write_impls(items.text(), name_text, s, &gate, de.gate_key())?;
                }
                write_inherent_impl(items.text(), &mut structs, &name, s, is_sent)?;
                TokenStream::new()
            }
            TypeDef::Enum(e) => {
                let gate = de.gate_attrs(&mut structs)?;
                let out = items.text();
                open_enum::write(out, name_text, e, doc.0.as_deref(), &gate, de.gate_key())?;
                TokenStream::new()
            }
            TypeDef::Union(u) => {
                let doc = doc_attr_list(doc.0.as_deref());
                union_item(&name, u, quote!(#(#doc)*), de)
            }
            TypeDef::Newtype(ty) => {
                let doc = doc_attr_list(doc.0.as_deref());
                let ty = type_ref(ty);
                let derive = de.derive();
                quote! {
                    #(#doc)*
                    #derive
                    #[serde(transparent)]
                    pub struct #name(pub #ty);
                }
            }
        };
        if !tokens.is_empty() {
            items.extend(syn::parse2::<syn::File>(tokens)?.items);
        }
    }
    if let Some(gate) = some_helper.gate() {
        let helper = quote! {
            /// Deserializes a member that is present, even as `null`, as `Some`, so an explicit
            /// `null` stays distinct from an absent member.
            #gate
            pub(crate) fn deserialize_some<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de>,
            {
                <T as ::serde::Deserialize<'de>>::deserialize(deserializer).map(::std::option::Option::Some)
            }
        };
        items.extend(syn::parse2::<syn::File>(helper)?.items);
    }
    if let Some(gate) = read_helper.gate() {
        items.extend(syn::parse2::<syn::File>(read::helper(&gate))?.items);
    }
    items.flush();
    Ok(())
}

/// How many `syn` items are printed at a time, at most.
const ITEMS_PER_PRINT: usize = 64;

/// The output of [`definitions`]: text, and the items waiting to be printed after it.
struct Items<'a> {
    pending: Vec<syn::Item>,
    out: &'a mut String,
}

impl Items<'_> {
    fn extend(&mut self, items: impl IntoIterator<Item = syn::Item>) {
        self.pending.extend(items);
        if self.pending.len() >= ITEMS_PER_PRINT {
            self.flush();
        }
    }

    /// The output, to append text to, once the items before it are printed.
    fn text(&mut self) -> &mut String {
        self.flush();
        self.out
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let printed = crate::stencil::unparse(std::mem::take(&mut self.pending));
        crate::rustdoc::splice_into(self.out, &printed);
    }
}

/// Which types use a helper function of `types.rs`.
#[derive(Default)]
struct HelperUse {
    used: bool,
    /// Used by a type that always deserializes (else only behind the crate feature).
    always: bool,
}

impl HelperUse {
    fn note(&mut self, de: Serde) {
        self.used = true;
        self.always |= de.always;
    }

    /// The helper's `#[cfg]` (or nothing); `None` when no type uses it, so it is not emitted
    /// (it would be dead code).
    fn gate(&self) -> Option<TokenStream> {
        self.used.then(|| {
            Serde {
                always: self.always,
            }
            .gate()
        })
    }
}

/// Whether a type always implements `Deserialize` (it is read from JSON) or only with the
/// crate feature [`DESERIALIZE_REQUESTS_FEATURE`]; `Serialize` it always implements.
#[derive(Clone, Copy)]
struct Serde {
    always: bool,
}

impl Serde {
    /// The derive attributes, common ones included.
    fn derive(self) -> TokenStream {
        self.derive_with(TokenStream::new(), true)
    }

    /// The derive attributes with `extra` (`::std::default::Default,`) after the common ones;
    /// `Deserialize` among them only if `deserialize` (else the type implements it by hand).
    fn derive_with(self, extra: TokenStream, deserialize: bool) -> TokenStream {
        if !deserialize {
            quote! {
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #extra ::serde::Serialize)]
            }
        } else if self.always {
            quote! {
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #extra ::serde::Serialize, ::serde::Deserialize)]
            }
        } else {
            quote! {
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, #extra ::serde::Serialize)]
                #[cfg_attr(feature = #DESERIALIZE_REQUESTS_FEATURE, derive(::serde::Deserialize))]
            }
        }
    }

    /// [`Serde::gate`] as attributes, parsed once per `types.rs` (cached in `structs`).
    fn gate_attrs(self, structs: &mut StructBuilder) -> syn::Result<Vec<syn::Attribute>> {
        structs.cached_attrs(self.gate_key(), || self.gate())
    }

    /// A name for [`Serde::gate`].
    fn gate_key(self) -> &'static str {
        if self.always { "always" } else { "gated" }
    }

    /// `#[cfg(feature = …)]` for a deserialization item of a type that is only sent.
    fn gate(self) -> TokenStream {
        if self.always {
            TokenStream::new()
        } else {
            quote!(#[cfg(feature = #DESERIALIZE_REQUESTS_FEATURE)])
        }
    }
}

pub(super) fn type_ref(ty: &TypeRef) -> TokenStream {
    let inner = match &ty.kind {
        Kind::Value => quote!(::serde_json::Value),
        Kind::Bool => quote!(bool),
        Kind::I32 => quote!(i32),
        Kind::I64 => quote!(i64),
        Kind::U32 => quote!(u32),
        Kind::U64 => quote!(u64),
        Kind::F64 => quote!(f64),
        Kind::Number => quote!(::serde_json::Number),
        Kind::String => quote!(::std::string::String),
        Kind::Vec(item) => {
            let item = type_ref(item);
            quote!(::std::vec::Vec<#item>)
        }
        Kind::Map(value) => {
            let value = type_ref(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        Kind::Tuple(items) => {
            let items = items.iter().map(type_ref);
            quote!((#(#items,)*))
        }
        Kind::Named { name, boxed } => {
            let name = ident(name);
            if *boxed {
                quote!(::std::boxed::Box<crate::types::#name>)
            } else {
                quote!(crate::types::#name)
            }
        }
    };
    if ty.nullable {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

/// Whether an optional field must keep an explicit `null` apart from absence.
pub(super) fn field_needs_some_helper(field: &Field) -> bool {
    !field.required && (field.ty.nullable || field.ty.is_json_value())
}

/// Whether a value of the struct cannot be made without this member: required and not
/// nullable (`Default` and `new` both follow this).
pub(super) fn needs_value(field: &Field) -> bool {
    field.required && !field.ty.nullable
}

/// The struct's `new` and, for a type that is sent, its setters: the builder style of the
/// parameter structs, so a body reads `CreateContactProperties::new(first, last, email)
/// .company("Acme")`. Nothing when there is neither.
fn write_inherent_impl(
    out: &mut String,
    structs: &mut StructBuilder,
    name: &Ident,
    def: &StructDef,
    sent: bool,
) -> syn::Result<()> {
    let new = super::constructor::constructor(structs, name, def, sent)?;
    let has_setters = sent && (def.extra.is_some() || def.fields.iter().any(|f| !needs_value(f)));
    match new {
        Some(new) => crate::setters::write_impl_with_new(out, new),
        None if has_setters => {
            out.push_str("impl ");
            out.push_str(&name.to_string());
            out.push_str(" {\n");
        }
        None => return Ok(()),
    }
    if sent {
        write_setters(out, structs, def)?;
    }
    out.push_str("}\n");
    Ok(())
}

/// A setter per member `new` does not take, and one that adds an entry to the map of other
/// members.
fn write_setters(
    out: &mut String,
    structs: &mut StructBuilder,
    def: &StructDef,
) -> syn::Result<()> {
    let settable: Vec<&Field> = def.fields.iter().filter(|f| !needs_value(f)).collect();
    let mut fields: Vec<&str> = settable.iter().map(|f| f.name.as_str()).collect();
    fields.extend(def.extra.as_ref().map(|e| e.name.as_str()));
    let mut names = super::naming::setter_names(&fields).into_iter();
    for (f, name) in settable.iter().zip(names.by_ref()) {
        let (ty, key) = structs.field_type_and_key(&f.ty)?;
        let sets = Sets::Member(if f.required {
            Holds::Itself
        } else {
            Holds::Optional
        });
        let doc = format!("Sets the member {}.", code_span(&f.wire));
        write_setter(
            out,
            sets,
            &ident_text(&name),
            &ident_text(&f.name),
            (ty, key),
            &doc,
        )?;
    }
    if let (Some(extra), Some(name)) = (&def.extra, names.next()) {
        let (value, key) = structs.field_type_and_key(&extra.value)?;
        let doc = "Adds a member besides the ones listed (a second value for the same key \
                   replaces the first).";
        write_setter(
            out,
            Sets::MapEntry,
            &ident_text(&name),
            &ident_text(&extra.name),
            (value, key),
            doc,
        )?;
    }
    Ok(())
}

fn union_item(name: &Ident, def: &UnionDef, doc: TokenStream, de: Serde) -> TokenStream {
    let mode = match &def.tag {
        Some(tag) => quote!(#[serde(tag = #tag)]),
        None => quote!(#[serde(untagged)]),
    };
    let variants = def.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = variant_payload(&v.ty);
        let vdoc = doc_attrs(v.doc.0.as_deref());
        let rename = v
            .tag_value
            .as_ref()
            .map(|value| quote!(#[serde(rename = #value)]));
        quote!(#vdoc #rename #vname(#ty),)
    });
    let catch_all = union_catch_all(def, de);
    let derive = de.derive();
    quote! {
        #doc
        #derive
        #mode
        pub enum #name {
            #(#variants)*
            #catch_all
        }
    }
}

/// The variant that keeps a union from ever failing to parse a value the schema did not foresee:
/// `Other(Value)` last in an untagged enum (unless a branch already takes any value), and a
/// `#[serde(other)]` unit variant for an unknown tag of an internally tagged one (serde allows
/// only a unit variant there, so the unknown member's fields are not kept). A tagged union that
/// is only ever sent gets none: its unit variant would send a tag the API does not know (read
/// with the crate feature, an unknown tag is then an error, as a request should be).
fn union_catch_all(def: &UnionDef, de: Serde) -> TokenStream {
    if def.tag.is_none() && def.variants.iter().any(|v| v.ty.is_json_value()) {
        return TokenStream::new();
    }
    if def.tag.is_some() && !de.always {
        return TokenStream::new();
    }
    let base = if def.tag.is_some() {
        "Unknown"
    } else {
        "Other"
    };
    let taken = |name: &str| def.variants.iter().any(|v| v.name == name);
    let name = super::naming::catch_all_name(base, taken);
    let vname = ident(&name);
    if def.tag.is_some() {
        quote! {
            /// A tag value this version of the bindings does not know (its fields are dropped).
            #[serde(other)]
            #vname,
        }
    } else {
        quote! {
            /// A value none of the known shapes matched, kept as JSON.
            #vname(::serde_json::Value),
        }
    }
}

/// A union variant's payload. Named types are boxed: branches are often a large object beside a
/// bare id string, and an unboxed enum would be as large as its largest branch everywhere it is
/// stored (clippy's `large_enum_variant`). serde reads and writes `Box<T>` exactly as `T`.
fn variant_payload(ty: &TypeRef) -> TokenStream {
    match &ty.kind {
        Kind::Named { name, boxed: false } if !ty.nullable => {
            let name = ident(name);
            quote!(::std::boxed::Box<crate::types::#name>)
        }
        _ => type_ref(ty),
    }
}

/// An identifier for a name from [`super::naming`]; anything else (never expected) is mapped
/// to a valid identifier rather than panicking in `Ident::new`.
pub(super) fn ident(name: &str) -> Ident {
    Ident::new(&ident_text(name), Span::call_site())
}

/// [`ident`]'s text.
pub(super) fn ident_text(name: &str) -> std::borrow::Cow<'_, str> {
    let valid = !name.is_empty()
        && name != "_"
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if valid {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(super::naming::type_name(name))
    }
}
