//! Struct definitions built directly as `syn` items.
//!
//! Structs are most of a generated crate (over the corpus, 7,000 structs with 56,000 fields
//! are two fifths of all tokens), and building them as tokens only for `syn` to parse them
//! back was the largest single cost of generation. The pieces that repeat are parsed once per
//! `types.rs` and cloned: each distinct field type (`Option<String>` appears thousands of
//! times), the derive lists and the serde attribute of a plain optional member. The text
//! `prettyplease` prints is the same as for the parsed tokens.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use rustc_hash::FxHashMap;
use syn::parse::Parser;
use syn::punctuated::Punctuated;

use super::model::{Field, StructDef, TypeRef};
use super::tokens::{SOME_HELPER, field_needs_some_helper, ident, type_ref};
use crate::template::public_field;

/// Builds the struct items of one `types.rs`, remembering what repeats.
#[derive(Default)]
pub(super) struct StructBuilder {
    /// Type → the field's type, by whether it is optional (then `Option<…>` around it); looked
    /// up by reference, as a key of its own cost a clone of the type per field.
    types: [FxHashMap<TypeRef, syn::Type>; 2],
    /// Value type → the type of the map of other members holding it.
    maps: FxHashMap<TypeRef, syn::Type>,
    /// Attribute lists already parsed, by the caller's key.
    attrs: FxHashMap<String, Vec<syn::Attribute>>,
}

impl StructBuilder {
    /// `pub struct Name { fields… extra }` with `attrs` (docs, derives) on it; `derived` when
    /// its `Deserialize` is serde's derive, which needs the fields' deserialization attributes.
    pub(super) fn item(
        &mut self,
        name: &Ident,
        def: &StructDef,
        attrs: Vec<syn::Attribute>,
        derived: bool,
    ) -> syn::Result<syn::ItemStruct> {
        let mut named = Punctuated::new();
        for field in &def.fields {
            named.push(self.field(field, derived)?);
        }
        if let Some(extra) = &def.extra {
            let ty = match self.maps.get(&extra.value) {
                Some(ty) => ty.clone(),
                None => {
                    let value = type_ref(&extra.value);
                    let ty: syn::Type = syn::parse2(
                        quote!(::std::collections::BTreeMap<::std::string::String, #value>),
                    )?;
                    self.maps.insert(extra.value.clone(), ty.clone());
                    ty
                }
            };
            named.push(public_field(
                self.cached_attrs("extra", || {
                    quote! {
                        /// Members not listed above, kept as received.
                        #[serde(flatten)]
                    }
                })?,
                ident(&extra.name),
                ty,
            ));
        }
        Ok(syn::ItemStruct {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            struct_token: Default::default(),
            ident: name.clone(),
            generics: syn::Generics::default(),
            fields: syn::Fields::Named(syn::FieldsNamed {
                brace_token: Default::default(),
                named,
            }),
            semi_token: None,
        })
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

    fn field(&mut self, field: &Field, derived: bool) -> syn::Result<syn::Field> {
        let mut attrs = crate::rustdoc::doc_attr_list(field.doc.0.as_deref());
        let optional = !field.required;
        let some_helper = field_needs_some_helper(field);
        let serde_args = || {
            let mut serde = Vec::new();
            if field.name != field.wire {
                let wire = &field.wire;
                serde.push(quote!(rename = #wire));
            }
            if optional {
                if derived {
                    serde.push(quote!(default));
                }
                serde.push(quote!(
                    skip_serializing_if = "::std::option::Option::is_none"
                ));
                if derived && some_helper {
                    serde.push(quote!(deserialize_with = #SOME_HELPER));
                }
            }
            serde
        };
        let serde = || {
            let serde = serde_args();
            if serde.is_empty() {
                TokenStream::new()
            } else {
                quote!(#[serde(#(#serde),*)])
            }
        };
        // A rename is particular to its field; the other lists are three in all.
        attrs.extend(if field.name != field.wire {
            // Built as the node parsing would give, not parsed: renamed members are most.
            let args = serde_args();
            vec![serde_attribute(quote!(#(#args),*))]
        } else {
            let key = match (optional, derived && some_helper, derived) {
                (false, _, _) => "required",
                (true, false, false) => "optional",
                (true, false, true) => "optional-derived",
                (true, true, _) => "optional-null-derived",
            };
            self.cached_attrs(key, serde)?
        });
        let ty = self.field_type(&field.ty, optional)?;
        Ok(public_field(attrs, ident(&field.name), ty))
    }

    /// The type of a member holding `ty` (in `Option` when `optional`), parsed once per type.
    pub(super) fn field_type(&mut self, ty: &TypeRef, optional: bool) -> syn::Result<syn::Type> {
        if let Some(parsed) = self.types[usize::from(optional)].get(ty) {
            return Ok(parsed.clone());
        }
        let inner = type_ref(ty);
        let tokens = if optional {
            quote!(::std::option::Option<#inner>)
        } else {
            inner
        };
        let parsed: syn::Type = syn::parse2(tokens)?;
        self.types[usize::from(optional)].insert(ty.clone(), parsed.clone());
        Ok(parsed)
    }
}

/// `#[serde(<args>)]`, the node `syn` parses it into: a list whose tokens are kept as written.
fn serde_attribute(args: TokenStream) -> syn::Attribute {
    let span = proc_macro2::Span::call_site();
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: Ident::new("serde", span).into(),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens: args,
        }),
    }
}

/// Outer attributes parsed from tokens (nothing for empty tokens).
fn outer_attrs(tokens: TokenStream) -> syn::Result<Vec<syn::Attribute>> {
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    syn::Attribute::parse_outer.parse2(tokens)
}
