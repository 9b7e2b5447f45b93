//! `tests/samples.rs` of a generated crate: every action's `sampleSuccessResponse` must
//! deserialize into the action's response type and serialize back to the same JSON.
//!
//! `serde_json::Value` equality tells integers from floats (`1` ≠ `1.0`), so a number that
//! changed kind fails the test too. Actions whose response type is `serde_json::Value` (no
//! sample, or nothing to type) get no test: it could not fail.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::VisitMut;

use super::resources::EmittedAction;
use crate::template::Fill;
use crate::typespace::naming::{self, Namespace};

/// The test file (the caller adds the header line and formats). The helpers are parsed once
/// per thread and each test is filled into a template: parsing the whole file back from
/// tokens, a function per typed sample, was most of its cost.
pub(crate) fn file(library: &str, actions: &[EmittedAction<'_>]) -> syn::Result<syn::File> {
    let lib = Ident::new(library, Span::call_site());
    let mut names = Namespace::new();
    for helper in ["round_trip", "check"] {
        names.insert(helper);
    }
    crate::template::with_parsed(&TEMPLATES, |templates| {
        let mut tests = Vec::new();
        for emitted in actions {
            let Some(sample) = &emitted.action.sample_success_response else {
                continue;
            };
            if emitted.response.is_json_value() {
                continue;
            }
            let id = emitted.action.id.as_str();
            let name = Ident::new(&names.insert(&naming::fn_name(id)), Span::call_site());
            let ty: syn::Type = syn::parse2(rename_crate(emitted.response.tokens(), &lib))?;
            let text = serde_json::to_string(sample).unwrap_or_default();
            let literal = syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::new(raw_string_literal(&text)),
            });
            tests.push(
                Fill::default()
                    .ident("__name", &name)
                    .ty("__T", &ty)
                    .string("__id", id)
                    .expr("__sample", &literal)
                    .apply(&templates.test, Fill::visit_item_mut),
            );
        }
        let doc = format!(
            " Round trip of the catalog's sample responses through the generated response types ({} typed sample(s)).",
            tests.len()
        );
        let items = if tests.is_empty() {
            Vec::new()
        } else {
            let mut items = templates.helpers.clone();
            items.extend(tests);
            items
        };
        Ok(syn::File {
            shebang: None,
            attrs: vec![inner_doc(&doc)],
            items,
        })
    })
}

/// `#![doc = "<text>"]`, as parsing it gives.
fn inner_doc(text: &str) -> syn::Attribute {
    let span = Span::call_site();
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Inner(Default::default()),
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: Ident::new("doc", span).into(),
            eq_token: Default::default(),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(text, span)),
            }),
        }),
    }
}

/// The parts of every test file.
struct Templates {
    /// The helpers every test calls, before the tests.
    helpers: Vec<syn::Item>,
    /// One test.
    test: syn::Item,
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        let helpers: syn::File = syn::parse2(quote! {
            /// Stack for one round trip: deeply nested samples of large types need more than a
            /// test thread's default in unoptimized builds.
            const STACK_BYTES: usize = 256 * 1024 * 1024;

            /// Runs [`check`] for `T` on a thread with [`STACK_BYTES`] of stack.
            fn round_trip<T>(action: &'static str, sample: &'static str)
            where
                T: ::serde::de::DeserializeOwned + ::serde::Serialize + 'static,
            {
                let worker = ::std::thread::Builder::new()
                    .name(::std::string::ToString::to_string(action))
                    .stack_size(STACK_BYTES)
                    .spawn(move || check::<T>(action, sample));
                match worker {
                    ::std::result::Result::Ok(handle) => {
                        if let ::std::result::Result::Err(panic) = handle.join() {
                            ::std::panic::resume_unwind(panic);
                        }
                    }
                    ::std::result::Result::Err(error) => {
                        ::std::panic!("{action}: cannot start the round-trip thread: {error}")
                    }
                }
            }

            /// Deserializes `sample` as `T`, serializes it back and compares the JSON values.
            fn check<T>(action: &str, sample: &str)
            where
                T: ::serde::de::DeserializeOwned + ::serde::Serialize,
            {
                let expected: ::serde_json::Value = match ::serde_json::from_str(sample) {
                    ::std::result::Result::Ok(value) => value,
                    ::std::result::Result::Err(error) => {
                        ::std::panic!("{action}: the embedded sample is not JSON: {error}")
                    }
                };
                let typed: T = match ::serde_json::from_str(sample) {
                    ::std::result::Result::Ok(typed) => typed,
                    ::std::result::Result::Err(error) => {
                        ::std::panic!("{action}: the sample does not deserialize into the response type: {error}")
                    }
                };
                let back = match ::serde_json::to_value(&typed) {
                    ::std::result::Result::Ok(value) => value,
                    ::std::result::Result::Err(error) => {
                        ::std::panic!("{action}: the response type does not serialize: {error}")
                    }
                };
                ::std::assert_eq!(back, expected, "{action}: the sample changed in the round trip");
            }
        })?;
        let test = syn::parse2(quote! {
            #[test]
            fn __name() {
                round_trip::<__T>("__id", __sample);
            }
        })?;
        Ok(Self {
            helpers: helpers.items,
            test,
        })
    }
}

/// `r#"…"#` with enough `#` that the text cannot end the literal early.
fn raw_string_literal(text: &str) -> proc_macro2::Literal {
    let mut longest = 0;
    let mut run = 0;
    let mut after_quote = false;
    for c in text.chars() {
        if c == '"' {
            after_quote = true;
            run = 0;
        } else if c == '#' && after_quote {
            run += 1;
            longest = longest.max(run);
        } else {
            after_quote = false;
            run = 0;
        }
    }
    // A raw string cannot escape what rustc rejects in literals; an escaped one can.
    if text.chars().any(crate::rustdoc::is_bidi_control) {
        return proc_macro2::Literal::string(text);
    }
    let hashes = "#".repeat(longest + 1);
    let source = format!("r{hashes}\"{text}\"{hashes}");
    source
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

/// Replaces the path root `crate` (the generated library, seen from inside) with `lib` (the
/// same library, seen from an integration test).
fn rename_crate(tokens: TokenStream, lib: &Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "crate" => TokenTree::Ident(lib.clone()),
            TokenTree::Group(group) => {
                let mut renamed = Group::new(group.delimiter(), rename_crate(group.stream(), lib));
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_literal_hashes_outnumber_the_content() {
        assert_eq!(raw_string_literal("{}").to_string(), "r#\"{}\"#");
        assert_eq!(
            raw_string_literal(r##"{"a":"x"#"}"##).to_string(),
            "r##\"{\"a\":\"x\"#\"}\"##"
        );
    }
}
