//! Struct definitions, written straight to text.
//!
//! Structs are most of a generated crate (over the corpus, 7,000 structs with 56,000 fields
//! are a third of all output), and building them as `syn` nodes only for `prettyplease` to
//! print them back was the largest single cost of generation. They are written in the layout
//! prettyplease gives the same syntax ([`super::layout`]); what repeats is prepared once per
//! `types.rs`: each distinct field type and the derive lists. The `syn` pieces the other items
//! of `types.rs` share (field types for setters, attribute lists) are cached here as well.

use proc_macro2::{Ident, TokenStream};
use rustc_hash::FxHashMap;
use syn::parse::Parser;

use super::layout::{Lines, TypeText};
use super::model::{Field, StructDef, TypeRef};
use super::tokens::{SOME_HELPER_ARG, field_needs_some_helper, ident_text, type_ref};

/// Builds the struct items of one `types.rs`, remembering what repeats.
#[derive(Default)]
pub(super) struct StructBuilder {
    /// Type → the type of a setter's or `new`'s argument holding it, and its text.
    types: FxHashMap<TypeRef, (syn::Type, String)>,
    /// Type → the field's type, by whether it is optional (then `Option<…>` around it).
    texts: [FxHashMap<TypeRef, TypeText>; 2],
    /// Value type → the type of the map of other members holding it.
    maps: FxHashMap<TypeRef, TypeText>,
    /// Attribute lists already parsed, by the caller's key.
    attrs: FxHashMap<String, Vec<syn::Attribute>>,
    /// Attribute lists already printed, by the caller's key.
    attr_texts: FxHashMap<&'static str, String>,
}

impl StructBuilder {
    /// `pub struct Name { fields… extra }` after its doc and the attributes printed by
    /// [`StructBuilder::attrs_text`], appended to `out`; `derived` when its `Deserialize` is
    /// serde's derive, which needs the fields' deserialization attributes.
    pub(super) fn write_item(
        &mut self,
        out: &mut String,
        name: &str,
        doc: Option<&str>,
        attrs: &str,
        def: &StructDef,
        derived: bool,
    ) {
        if let Some(doc) = crate::rustdoc::doc_text(doc) {
            crate::rustdoc::push_doc_block(out, "", &doc);
        }
        out.push_str(attrs);
        out.push_str("pub struct ");
        out.push_str(&ident_text(name));
        if def.fields.is_empty() && def.extra.is_none() {
            out.push_str(" {}\n");
            return;
        }
        out.push_str(" {\n");
        for field in &def.fields {
            self.write_field(out, field, derived);
        }
        if let Some(extra) = &def.extra {
            out.push_str("    /// Members not listed above, kept as received.\n");
            let mut line = Lines::start(out, 4);
            line.attribute("serde", &["flatten"]);
            line.end();
            if !self.maps.contains_key(&extra.value) {
                let ty = TypeText::map(&extra.value);
                self.maps.insert(extra.value.clone(), ty);
            }
            write_member(out, &extra.name, &self.maps[&extra.value]);
        }
        out.push_str("}\n");
    }

    fn write_field(&mut self, out: &mut String, field: &Field, derived: bool) {
        if let Some(doc) = crate::rustdoc::doc_text(field.doc.0.as_deref()) {
            crate::rustdoc::push_doc_block(out, "    ", &doc);
        }
        let optional = !field.required;
        let rename;
        let mut args: [&str; 4] = [""; 4];
        let mut n = 0;
        if field.name != field.wire {
            rename = format!("rename = {}", proc_macro2::Literal::string(&field.wire));
            args[n] = &rename;
            n += 1;
        }
        if optional {
            if derived {
                args[n] = "default";
                n += 1;
            }
            args[n] = "skip_serializing_if = \"::std::option::Option::is_none\"";
            n += 1;
            if derived && field_needs_some_helper(field) {
                args[n] = SOME_HELPER_ARG;
                n += 1;
            }
        }
        if n > 0 {
            let mut line = Lines::start(out, 4);
            line.attribute("serde", &args[..n]);
            line.end();
        }
        // Looked up by reference: a key of its own would cost a clone of the type per field.
        let texts = &mut self.texts[usize::from(optional)];
        if !texts.contains_key(&field.ty) {
            texts.insert(field.ty.clone(), TypeText::of(&field.ty, optional));
        }
        write_member(out, &field.name, &texts[&field.ty]);
    }

    /// Outer attributes that repeat, printed once per key (from `tokens()`).
    pub(super) fn attrs_text(
        &mut self,
        key: &'static str,
        tokens: impl FnOnce() -> TokenStream,
    ) -> syn::Result<String> {
        if let Some(text) = self.attr_texts.get(key) {
            return Ok(text.clone());
        }
        let attrs = outer_attrs(tokens())?;
        let span = proc_macro2::Span::call_site();
        let item = syn::ItemStruct {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            struct_token: Default::default(),
            ident: Ident::new("X", span),
            generics: syn::Generics::default(),
            fields: syn::Fields::Named(syn::FieldsNamed {
                brace_token: Default::default(),
                named: Default::default(),
            }),
            semi_token: None,
        };
        let printed = crate::stencil::unparse([syn::Item::Struct(item)]);
        let text = printed
            .strip_suffix("pub struct X {}\n")
            .ok_or_else(|| syn::Error::new(span, "attributes print with a struct after them"))?
            .to_owned();
        self.attr_texts.insert(key, text.clone());
        Ok(text)
    }

    /// Outer attributes that repeat (derive lists, serde attributes without a rename), parsed
    /// from `tokens()` the first time `key` is asked for.
    pub(super) fn cached_attrs(
        &mut self,
        key: &str,
        tokens: impl FnOnce() -> TokenStream,
    ) -> syn::Result<Vec<syn::Attribute>> {
        if let Some(attrs) = self.attrs.get(key) {
            return Ok(attrs.clone());
        }
        let attrs = outer_attrs(tokens())?;
        self.attrs.insert(key.to_owned(), attrs.clone());
        Ok(attrs)
    }

    /// The type of an argument holding `ty`, parsed once per type.
    pub(super) fn field_type(&mut self, ty: &TypeRef) -> syn::Result<syn::Type> {
        Ok(self.field_type_and_key(ty)?.0.clone())
    }

    /// [`StructBuilder::field_type`] and its text, which names it for a stencil; borrowed, as
    /// a setter needs the type only when its stencil is printed.
    pub(super) fn field_type_and_key(&mut self, ty: &TypeRef) -> syn::Result<(&syn::Type, &str)> {
        // Looked up by reference: a key of its own would cost a clone of the type per use.
        if !self.types.contains_key(ty) {
            let parsed: syn::Type = syn::parse2(type_ref(ty))?;
            let key = TypeText::of(ty, false).flat().to_owned();
            self.types.insert(ty.clone(), (parsed, key));
        }
        let (parsed, key) = &self.types[ty];
        Ok((parsed, key))
    }
}

/// `    pub name: Type,` on its line(s).
fn write_member(out: &mut String, name: &str, ty: &TypeText) {
    let mut line = Lines::start(out, 4);
    line.word("pub ");
    line.word(&ident_text(name));
    line.word(": ");
    // The comma, then the line ends.
    line.ty(ty, 1);
    line.word(",");
    line.end();
}

/// Outer attributes parsed from tokens (nothing for empty tokens).
fn outer_attrs(tokens: TokenStream) -> syn::Result<Vec<syn::Attribute>> {
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    syn::Attribute::parse_outer.parse2(tokens)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::model::{Doc, ExtraMap, Field, Kind, StructDef, TypeRef};
    use super::StructBuilder;

    /// Types of every kind, nested, with names long enough to push lines past the margin.
    fn type_ref() -> impl Strategy<Value = TypeRef> {
        let leaf = prop_oneof![
            Just(Kind::Value),
            Just(Kind::Bool),
            Just(Kind::I64),
            Just(Kind::F64),
            Just(Kind::Number),
            Just(Kind::String),
            ("[A-Z][a-zA-Z0-9]{0,70}", any::<bool>())
                .prop_map(|(name, boxed)| Kind::Named { name, boxed }),
        ]
        .prop_map(TypeRef::new);
        (leaf, any::<bool>())
            .prop_map(|(t, n)| t.with_nullable(n))
            .prop_recursive(5, 24, 3, |inner| {
                (
                    prop_oneof![
                        inner.clone().prop_map(|t| Kind::Vec(Box::new(t))),
                        inner.clone().prop_map(|t| Kind::Map(Box::new(t))),
                        prop::collection::vec(inner, 0..4).prop_map(Kind::Tuple),
                    ],
                    any::<bool>(),
                )
                    .prop_map(|(kind, n)| TypeRef::new(kind).with_nullable(n))
            })
    }

    fn field() -> impl Strategy<Value = Field> {
        (
            // Names come from the naming module, which never gives a keyword.
            "[a-z][a-z0-9_]{0,60}"
                .prop_filter("a keyword", |n| syn::parse_str::<syn::Ident>(n).is_ok()),
            prop_oneof![
                Just(None),
                "[ -~]{0,70}".prop_map(Some),
                "\\PC{0,20}".prop_map(Some)
            ],
            type_ref(),
            any::<bool>(),
            prop::option::of("[ -~]{0,50}"),
        )
            .prop_map(|(name, wire, ty, required, doc)| Field {
                wire: wire.unwrap_or_else(|| name.clone()),
                name,
                ty,
                required,
                doc: Doc(doc),
            })
    }

    fn struct_def() -> impl Strategy<Value = StructDef> {
        (
            prop::collection::vec(field(), 0..6),
            prop::option::of(("[a-z_]{1,40}", type_ref())),
        )
            .prop_map(|(fields, extra)| StructDef {
                fields,
                extra: extra.map(|(name, value)| ExtraMap { name, value }),
                required_order: Vec::new(),
            })
    }

    proptest! {
        /// A struct written as text is what prettyplease prints for the same syntax, at any
        /// length of name, wire name or type.
        #[test]
        fn structs_are_in_prettyplease_layout(
            name in "[A-Z][a-zA-Z0-9]{0,80}",
            def in struct_def(),
            derived in any::<bool>(),
        ) {
            let mut structs = StructBuilder::default();
            let attrs = structs
                .attrs_text("derive", || quote::quote!(#[derive(::std::fmt::Debug)]))
                .unwrap();
            let mut text = String::new();
            structs.write_item(&mut text, &name, Some("A type."), &attrs, &def, derived);
            let parsed = syn::parse_file(&text);
            prop_assert!(parsed.is_ok(), "does not parse: {}", text);
            let printed = prettyplease::unparse(&parsed.unwrap());
            prop_assert_eq!(printed, text);
        }
    }
}
