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
use super::tokens::ident;
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
                let shown = match lit {
                    // As JSON, with the bidi controls rustc rejects in a comment as escapes.
                    Literal::Str(s) => {
                        json_escape_bidi(&serde_json::to_string(s).unwrap_or_default())
                    }
                    other => literal_text(other),
                };
                Fill::default()
                    .ident("__V", v)
                    .string("__doc", &format!(" {}", crate::rustdoc::code_span(&shown)))
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
