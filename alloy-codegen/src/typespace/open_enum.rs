//! Open enums (known JSON literals plus a catch-all variant) as `syn` items.
//!
//! A crate can hold a thousand of them with ten values each, and each value appears in the
//! enum, its `as_str`, `Serialize` and `Deserialize`: built as tokens and parsed back, they
//! were the largest parse left in `types.rs`. The enum and its impls are templates parsed once
//! per thread (see [`crate::template`]) with their variants and arms spliced in. Enums over
//! numbers or mixed literals (a few percent) match on other shapes of value; their
//! `Deserialize` is still written as tokens.

use proc_macro2::{Ident, Literal as Lit, Span, TokenStream};
use quote::quote;
use syn::visit_mut::VisitMut;

use super::model::{Literal, LiteralEnum, OtherKind};
use super::tokens::{ident, ident_text};
use crate::stencil::{Slot, list_items, list_start, unparse as print};
use crate::template::Fill;

struct Templates {
    /// The derives, the catch-all variant and a `__Variants` placeholder before it.
    def: syn::ItemEnum,
    /// `/// __doc` `__V`
    variant: syn::Variant,
    as_str: syn::ItemImpl,
    /// `Self::__V => "__text",`
    as_str_arm: syn::Arm,
    serialize: syn::ItemImpl,
    /// `Self::__V => serializer.serialize_str("__text"),`
    serialize_str: syn::Arm,
    serialize_i64: syn::Arm,
    serialize_f64: syn::Arm,
    serialize_bool: syn::Arm,
    /// The `Deserialize` of an enum of strings, matching on the string read.
    deserialize_str: syn::ItemImpl,
    /// `"__text" => Self::__V,`
    deserialize_str_arm: syn::Arm,
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

/// The enum `name` with `doc` on it, its `as_str` (for an enum of strings), `Serialize` and
/// `Deserialize` (behind `gate`, a `#[cfg]` or nothing).
pub(super) fn items(
    name: &Ident,
    def: &LiteralEnum,
    doc: Vec<syn::Attribute>,
    gate: &[syn::Attribute],
) -> syn::Result<Vec<syn::Item>> {
    crate::template::with_parsed(&TEMPLATES, |templates| {
        let e = Enum {
            templates,
            name,
            def,
            other: ident(&def.other_name),
            variants: def.variants.iter().map(|(v, _)| ident(v)).collect(),
        };
        let mut items = vec![syn::Item::Enum(e.definition(doc))];
        if def.other == OtherKind::String {
            items.push(syn::Item::Impl(e.as_str()));
        }
        items.push(syn::Item::Impl(e.serialize()));
        let mut deserialize = e.deserialize()?;
        deserialize.attrs = gate.to_vec();
        items.push(syn::Item::Impl(deserialize));
        Ok(items)
    })
}

/// [`items`] as printed, appended to `out`. An enum of strings (nearly all of them) comes
/// from stencils ([`crate::stencil`]): its definition and impls once per length of its names,
/// each variant's arms once per length of variant and value; other enums are printed whole.
/// `gate_key` names `gate`.
pub(super) fn write(
    out: &mut String,
    name: &str,
    def: &LiteralEnum,
    doc: Option<&str>,
    gate: &[syn::Attribute],
    gate_key: &str,
) -> syn::Result<()> {
    let strings = def
        .variants
        .iter()
        .all(|(_, lit)| matches!(lit, Literal::Str(_)));
    if def.other != OtherKind::String || !strings {
        let items = items(&ident(name), def, crate::rustdoc::doc_attr_list(doc), gate)?;
        crate::rustdoc::splice_into(out, &print(items));
        return Ok(());
    }
    if let Some(doc) = crate::rustdoc::doc_text(doc) {
        crate::rustdoc::push_doc_block(out, "", &doc);
    }
    let name = ident_text(name);
    let other = ident_text(&def.other_name);
    let variants: Vec<(std::borrow::Cow<'_, str>, &str)> = def
        .variants
        .iter()
        .filter_map(|(v, lit)| match lit {
            Literal::Str(s) => Some((ident_text(v), s.as_str())),
            _ => None,
        })
        .collect();
    crate::template::with_parsed(&TEMPLATES, |templates| {
        crate::stencil::with(|stencils| {
            let skeleton = |stencils: &mut crate::stencil::Stencils, which: Part| {
                let mut text = String::new();
                stencils.print(
                    &mut text,
                    &format!("enum {which:?} {gate_key}"),
                    &[Slot::Ident(&name, 1), Slot::Ident(&other, 1)],
                    |slots| {
                        Ok(print([which.item(
                            templates,
                            slots[0],
                            slots[1],
                            &[],
                            gate,
                        )?]))
                    },
                )?;
                Ok::<_, syn::Error>(text)
            };
            for which in [
                Part::Definition,
                Part::AsStr,
                Part::Serialize,
                Part::Deserialize,
            ] {
                let text = skeleton(stencils, which)?;
                let at = list_start(&text, which.opening()).ok_or_else(|| shape_error(which))?;
                out.push_str(&text[..at]);
                for (variant, value) in &variants {
                    if which == Part::Definition {
                        push_variant(out, variant.as_ref(), value);
                        continue;
                    }
                    stencils.print(
                        out,
                        which.arm_shape(),
                        &[Slot::Ident(variant.as_ref(), 1), Slot::Str(value, 1)],
                        |slots| {
                            let printed = print([which.item(
                                templates,
                                "X",
                                "Other",
                                &[(slots[0], slots[1])],
                                &[],
                            )?]);
                            list_items(&printed, which.opening(), which.catch_all())
                                .map(str::to_owned)
                                .ok_or_else(|| shape_error(which))
                        },
                    )?;
                }
                out.push_str(&text[at..]);
            }
            Ok(())
        })
    })
}

/// The parts of an enum of strings, each with a list of its variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Definition,
    AsStr,
    Serialize,
    Deserialize,
}

impl Part {
    /// The printed text after which the variants or arms go.
    fn opening(self) -> &'static str {
        match self {
            Part::Definition => " {\n",
            Part::AsStr | Part::Serialize => "match self {\n",
            Part::Deserialize => "match value.as_str() {\n",
        }
    }

    /// The stencil shape of one of its arms.
    fn arm_shape(self) -> &'static str {
        match self {
            Part::Definition => "enum variant",
            Part::AsStr => "enum as_str arm",
            Part::Serialize => "enum serialize arm",
            Part::Deserialize => "enum deserialize arm",
        }
    }

    /// The start of the catch-all arm, with the catch-all variant named `Other`.
    fn catch_all(self) -> &'static str {
        match self {
            Part::Definition => "/// Any value not listed above",
            Part::AsStr | Part::Serialize => "Self::Other(value) =>",
            Part::Deserialize => "_ => Self::Other(value)",
        }
    }

    /// The part for enum `name` with catch-all `other` and the (variant, value) pairs
    /// `variants`; the `Deserialize` behind `gate`.
    fn item(
        self,
        templates: &Templates,
        name: &str,
        other: &str,
        variants: &[(&str, &str)],
        gate: &[syn::Attribute],
    ) -> syn::Result<syn::Item> {
        let span = Span::call_site();
        let def = LiteralEnum {
            variants: variants
                .iter()
                .map(|&(v, s)| (v.to_owned(), Literal::Str(s.to_owned())))
                .collect(),
            other_name: other.to_owned(),
            other: OtherKind::String,
        };
        let name = Ident::new(name, span);
        let e = Enum {
            templates,
            name: &name,
            def: &def,
            other: Ident::new(other, span),
            variants: variants.iter().map(|&(v, _)| Ident::new(v, span)).collect(),
        };
        Ok(match self {
            Part::Definition => syn::Item::Enum(e.definition(Vec::new())),
            Part::AsStr => syn::Item::Impl(e.as_str()),
            Part::Serialize => syn::Item::Impl(e.serialize()),
            Part::Deserialize => {
                let mut deserialize = e.deserialize()?;
                deserialize.attrs = gate.to_vec();
                syn::Item::Impl(deserialize)
            }
        })
    }
}

/// A variant of the definition: its value as its doc, then its name.
fn push_variant(out: &mut String, variant: &str, value: &str) {
    out.push_str("    ///");
    out.push_str(variant_doc(value).trim_end_matches(' '));
    out.push_str("\n    ");
    out.push_str(variant);
    out.push_str(",\n");
}

/// The doc of the variant for `value`: the value as JSON, in a code span.
fn variant_doc(value: &str) -> String {
    // As JSON, with the bidi controls rustc rejects in a comment as escapes.
    let shown = json_escape_bidi(&serde_json::to_string(value).unwrap_or_default());
    format!(" {}", crate::rustdoc::code_span(&shown))
}

fn shape_error(part: Part) -> syn::Error {
    syn::Error::new(
        Span::call_site(),
        format!("the printed {part:?} of an enum has an unexpected shape"),
    )
}

/// One enum being built.
struct Enum<'a> {
    templates: &'a Templates,
    name: &'a Ident,
    def: &'a LiteralEnum,
    other: Ident,
    /// The variant identifiers, in the order of `def.variants`.
    variants: Vec<Ident>,
}

impl Enum<'_> {
    /// The known values with their variant identifiers.
    fn known(&self) -> impl Iterator<Item = (&Literal, &Ident)> {
        self.def
            .variants
            .iter()
            .map(|(_, lit)| lit)
            .zip(&self.variants)
    }

    fn definition(&self, doc: Vec<syn::Attribute>) -> syn::ItemEnum {
        let other_ty: syn::Type = match self.def.other {
            OtherKind::String => syn::parse_quote!(::std::string::String),
            OtherKind::Int => syn::parse_quote!(i64),
            OtherKind::Value => syn::parse_quote!(::serde_json::Value),
        };
        let declared = self
            .known()
            .map(|(lit, v)| {
                let doc = match lit {
                    Literal::Str(s) => variant_doc(s),
                    other => format!(" {}", crate::rustdoc::code_span(&literal_text(other))),
                };
                Fill::default()
                    .ident("__V", v)
                    .string("__doc", &doc)
                    .apply(&self.templates.variant, Fill::visit_variant_mut)
            })
            .collect();
        let mut item = Fill::default()
            .ident("__Name", self.name)
            .ident("__Other", &self.other)
            .ty("__OtherTy", &other_ty)
            .variants("__Variants", declared)
            .apply(&self.templates.def, Fill::visit_item_enum_mut);
        item.attrs.splice(0..0, doc);
        item
    }

    fn as_str(&self) -> syn::ItemImpl {
        let arms = self
            .known()
            .map(|(lit, v)| {
                Fill::default()
                    .ident("__V", v)
                    .string("__text", &literal_text(lit))
                    .apply(&self.templates.as_str_arm, Fill::visit_arm_mut)
            })
            .collect();
        self.impl_with_arms(&self.templates.as_str, arms)
    }

    fn serialize(&self) -> syn::ItemImpl {
        let t = self.templates;
        let arms = self
            .known()
            .map(|(lit, v)| {
                let fill = Fill::default().ident("__V", v);
                match lit {
                    Literal::Str(s) => fill
                        .string("__text", s)
                        .apply(&t.serialize_str, Fill::visit_arm_mut),
                    Literal::Int(i) => fill
                        .expr("__value", &int_expr(*i))
                        .apply(&t.serialize_i64, Fill::visit_arm_mut),
                    Literal::Float(bits) => fill
                        .expr("__value", &float_expr(*bits))
                        .apply(&t.serialize_f64, Fill::visit_arm_mut),
                    Literal::Bool(b) => fill
                        .expr("__value", &bool_expr(*b))
                        .apply(&t.serialize_bool, Fill::visit_arm_mut),
                }
            })
            .collect();
        self.impl_with_arms(&t.serialize, arms)
    }

    fn deserialize(&self) -> syn::Result<syn::ItemImpl> {
        if self.def.other != OtherKind::String {
            let name = self.name;
            let body = deserialize_body(self.def, &self.variants);
            return syn::parse2(quote! {
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        #body
                    }
                }
            });
        }
        let arms = self
            .known()
            .filter_map(|(lit, v)| match lit {
                Literal::Str(s) => Some(
                    Fill::default()
                        .ident("__V", v)
                        .string("__text", s)
                        .apply(&self.templates.deserialize_str_arm, Fill::visit_arm_mut),
                ),
                _ => None,
            })
            .collect();
        Ok(self.impl_with_arms(&self.templates.deserialize_str, arms))
    }

    /// An impl template of this enum with `arms` in place of its `__arms` arm.
    fn impl_with_arms(&self, template: &syn::ItemImpl, arms: Vec<syn::Arm>) -> syn::ItemImpl {
        Fill::default()
            .ident("__Name", self.name)
            .ident("__Other", &self.other)
            .arms("__arms", arms)
            .apply(template, Fill::visit_item_impl_mut)
    }
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        Ok(Self {
            def: syn::parse2(quote! {
                #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq)]
                pub enum __Name {
                    __Variants,
                    /// Any value not listed above, kept as received.
                    __Other(__OtherTy),
                }
            })?,
            variant: syn::parse2(quote! {
                #[doc = "__doc"]
                __V
            })?,
            as_str: syn::parse2(quote! {
                impl __Name {
                    /// The value as written on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            __arms => {}
                            Self::__Other(value) => value.as_str(),
                        }
                    }
                }
            })?,
            as_str_arm: syn::parse2(quote! { Self::__V => "__text", })?,
            serialize: syn::parse2(quote! {
                impl ::serde::Serialize for __Name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        match self {
                            __arms => {}
                            Self::__Other(value) => ::serde::Serialize::serialize(value, serializer),
                        }
                    }
                }
            })?,
            serialize_str: syn::parse2(
                quote! { Self::__V => serializer.serialize_str("__text"), },
            )?,
            serialize_i64: syn::parse2(quote! { Self::__V => serializer.serialize_i64(__value), })?,
            serialize_f64: syn::parse2(quote! { Self::__V => serializer.serialize_f64(__value), })?,
            serialize_bool: syn::parse2(
                quote! { Self::__V => serializer.serialize_bool(__value), },
            )?,
            deserialize_str: syn::parse2(quote! {
                impl<'de> ::serde::Deserialize<'de> for __Name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(match value.as_str() {
                            __arms => {}
                            _ => Self::__Other(value),
                        })
                    }
                }
            })?,
            deserialize_str_arm: syn::parse2(quote! { "__text" => Self::__V, })?,
        })
    }
}

/// The body of `Deserialize::deserialize` for an enum of numbers or mixed literals: known
/// values by a `match`, anything else into the catch-all variant.
fn deserialize_body(def: &LiteralEnum, variants: &[Ident]) -> TokenStream {
    let other = ident(&def.other_name);
    if def.other == OtherKind::Int {
        let arms = def
            .variants
            .iter()
            .zip(variants)
            .filter_map(|((_, lit), v)| match lit {
                Literal::Int(i) => {
                    let i = int_expr(*i);
                    Some(quote!(#i => Self::#v,))
                }
                _ => None,
            });
        return quote! {
            let value = <i64 as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
            ::std::result::Result::Ok(match value {
                #(#arms)*
                _ => Self::#other(value),
            })
        };
    }
    let arms = def.variants.iter().zip(variants).map(|((_, lit), v)| {
        let pattern = match lit {
            Literal::Str(s) => quote!(::serde_json::Value::String(s) if s == #s),
            Literal::Int(i) => {
                let i = int_expr(*i);
                quote!(::serde_json::Value::Number(n) if n.as_i64() == ::std::option::Option::Some(#i))
            }
            Literal::Float(bits) => {
                let f = float_expr(*bits);
                quote!(::serde_json::Value::Number(n) if !n.is_i64() && n.as_f64() == ::std::option::Option::Some(#f))
            }
            Literal::Bool(b) => quote!(::serde_json::Value::Bool(#b)),
        };
        quote!(#pattern => ::std::option::Option::Some(Self::#v),)
    });
    quote! {
        let value = <::serde_json::Value as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
        let known = match &value {
            #(#arms)*
            _ => ::std::option::Option::None,
        };
        ::std::result::Result::Ok(match known {
            ::std::option::Option::Some(known) => known,
            ::std::option::Option::None => Self::#other(value),
        })
    }
}

fn literal_text(lit: &Literal) -> String {
    match lit {
        Literal::Str(s) => s.clone(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(bits) => f64::from_bits(*bits).to_string(),
        Literal::Bool(b) => b.to_string(),
    }
}

/// An `i64` literal; negative values as a negation so every literal token is plain.
fn int_expr(i: i64) -> syn::Expr {
    signed(
        i < 0,
        syn::Lit::Int(Lit::u64_unsuffixed(i.unsigned_abs()).into()),
    )
}

/// A finite `f64` (anything else, never seen in JSON, as zero), negation outside the literal.
fn float_expr(bits: u64) -> syn::Expr {
    let f = f64::from_bits(bits);
    let f = if f.is_finite() { f } else { 0.0 };
    signed(
        f.is_sign_negative(),
        syn::Lit::Float(Lit::f64_suffixed(f.abs()).into()),
    )
}

fn bool_expr(b: bool) -> syn::Expr {
    literal_expr(syn::Lit::Bool(syn::LitBool::new(b, Span::call_site())))
}

fn signed(negative: bool, lit: syn::Lit) -> syn::Expr {
    let lit = literal_expr(lit);
    if negative {
        syn::Expr::Unary(syn::ExprUnary {
            attrs: Vec::new(),
            op: syn::UnOp::Neg(Default::default()),
            expr: Box::new(lit),
        })
    } else {
        lit
    }
}

fn literal_expr(lit: syn::Lit) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// `json` (a JSON string literal) with each bidi control as its `\uXXXX` escape.
fn json_escape_bidi(json: &str) -> String {
    json.chars()
        .map(|c| {
            if crate::rustdoc::is_bidi_control(c) {
                format!("\\u{:04x}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Ident, Span};
    use proptest::prelude::*;

    use super::super::model::{Literal, LiteralEnum, OtherKind};
    use super::{items, print, write};

    proptest! {
        /// An enum of strings written from stencils is its items printed, whatever the lengths
        /// and characters of its names and values.
        #[test]
        fn written_enums_print_as_their_items(
            name in "[A-Z][a-zA-Z0-9]{0,70}",
            other in "Other[0-9]{0,2}",
            values in prop::collection::vec(
                ("[A-Z][a-zA-Z0-9]{0,60}", prop_oneof!["[ -~]{0,70}", "\\PC{0,12}", "[\"\\\\\n\u{202e}é]{0,6}"]),
                0..6,
            ),
            gated in any::<bool>(),
        ) {
            let mut seen = std::collections::HashSet::new();
            let variants: Vec<(String, Literal)> = values
                .into_iter()
                .filter(|(v, _)| *v != other && seen.insert(v.clone()))
                .map(|(v, s)| (v, Literal::Str(s)))
                .collect();
            let def = LiteralEnum { variants, other_name: other, other: OtherKind::String };
            let gate: Vec<syn::Attribute> = if gated {
                syn::parse_quote!(#[cfg(feature = "deserialize-requests")])
            } else {
                Vec::new()
            };
            let key = if gated { "gated" } else { "always" };
            let mut written = String::new();
            write(&mut written, &name, &def, Some("An enum."), &gate, key).unwrap();
            let doc = crate::rustdoc::doc_attr_list(Some("An enum."));
            let printed = print(items(&Ident::new(&name, Span::call_site()), &def, doc, &gate).unwrap());
            prop_assert_eq!(written, printed);
        }
    }
}
