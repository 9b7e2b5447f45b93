//! The `_pages` companion of a paginated action: the same arguments as the action's function,
//! a stream of every page (`alloy_runtime::paging::Pages`) following the paging the catalog
//! shows (`alloy_model::paging::detect`).

use alloy_model::paging::{PageStyle, Paging};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::layout::ModulePlan;
use super::resources::{ExampleInputs, argument_name};
use crate::rustdoc as docs;
use crate::template::Fill;
use syn::visit_mut::VisitMut;

/// The parts of one `_pages` function.
pub(crate) struct PagesFn<'a> {
    pub(crate) name: &'a str,
    /// The action's own function, which each page calls the same way.
    pub(crate) action_fn: &'a str,
    pub(crate) params: Option<&'a str>,
    pub(crate) body: Option<&'a syn::Type>,
    pub(crate) response: &'a syn::Type,
    /// The `ActionCall` of the first page, as the action's function builds it.
    pub(crate) call: &'a syn::Expr,
    pub(crate) paging: &'a Paging,
}

impl PagesFn<'_> {
    /// The function, with `doc` as its rustdoc. A parameter that cannot be serialized comes
    /// out as the stream's only item, so the function needs no `Result` of its own.
    /// The function, for an `impl<'a> Handle<'a>` block: the stream borrows the connector
    /// handle (`'a`) and the body, not the short-lived resource handle, so
    /// `hubspot.contacts().list_contacts_pages(&params)` can be kept in a variable.
    ///
    /// `None` for a paging style this generator cannot express (a newer `alloy-model`).
    pub(crate) fn tokens(&self, doc: &str) -> syn::Result<Option<syn::ImplItemFn>> {
        let Some(paging) = paging_tokens(self.paging) else {
            return Ok(None);
        };
        let paging: syn::Expr = syn::parse2(paging)?;
        let name = Ident::new(self.name, Span::call_site());
        let params = self.params.map(|p| Ident::new(p, Span::call_site()));
        crate::template::with_parsed(&TEMPLATE, |template| {
            let mut fill = Fill::default()
                .ident("__name", &name)
                .ty("__Response", self.response)
                .expr("__call", self.call)
                .expr("__paging", &paging);
            if let Some(params) = &params {
                fill = fill.ident("__Params", params);
            }
            if let Some(body) = self.body {
                fill = fill.ty("__Body", body);
            }
            let mut function = fill.apply(template, Fill::visit_impl_item_fn_mut);
            function.sig.inputs = std::mem::take(&mut function.sig.inputs)
                .into_iter()
                .filter(|arg| match argument_name(arg).as_deref() {
                    Some("params") => self.params.is_some(),
                    Some("body") => self.body.is_some(),
                    _ => true,
                })
                .collect();
            function.attrs = docs::outer_attrs(doc);
            Ok(Some(function))
        })
    }
}

thread_local! {
    /// The function, parsed once per thread and filled in per action (see [`crate::template`]):
    /// parsing each from tokens, the action's whole call included, was most of its cost. It
    /// takes both `params` and `body`; an action without one drops that argument.
    static TEMPLATE: syn::Result<syn::ImplItemFn> = syn::parse2(quote! {
        pub fn __name(&self, params: &__Params, body: &'a __Body) -> ::alloy_runtime::paging::Pages<'a, __Response> {
            let first = (|| -> ::std::result::Result<_, ::alloy_runtime::Error> {
                let call = __call;
                ::std::result::Result::Ok(call)
            })();
            match first {
                ::std::result::Result::Ok(call) => {
                    self.connector.user.pages(call, __paging, ::std::option::Option::None)
                }
                ::std::result::Result::Err(error) => ::alloy_runtime::paging::Pages::failed(error),
            }
        }
    });
}

/// The rustdoc of a `_pages` function: what it follows, and an example.
pub(crate) fn doc(plan: &ModulePlan<'_>, f: &PagesFn<'_>, inputs: ExampleInputs) -> String {
    let mut doc = format!(
        "Every page of [`{a}`](Self::{a}), as a stream: the same call, then each next page the \
         answer calls for, until it says there are no more.\n\n{}",
        describe(f.paging),
        a = f.action_fn,
    );
    match f.paging.items.as_deref() {
        Some("") => doc.push_str(
            "\n\nEach answer is an array of items: \
             [`Pages::items`](alloy_runtime::paging::Pages::items) streams them one by one.",
        ),
        Some(items) => doc.push_str(&format!(
            "\n\nThe items are the answer's {} array: \
             [`Pages::items`](alloy_runtime::paging::Pages::items) streams them one by one.",
            docs::code_span(items)
        )),
        None => {}
    }
    doc.push_str(
        " Each page is an ordinary execute, retried by the client's policy; a server that asks \
         for a page it already served ends the stream with [`Error::Paging`](alloy_runtime::Error::Paging).",
    );
    let example = inputs.around(&[
        format!(
            "let mut pages = {}.{}().{}({});",
            inputs.handle,
            plan.accessor,
            f.name,
            inputs.args.join(", ")
        ),
        "while let Some(page) = pages.next_page().await {".to_owned(),
        "    println!(\"{:?}\", page?.data);".to_owned(),
        "}".to_owned(),
    ]);
    doc.push_str("\n\n# Example\n\n");
    doc.push_str(&docs::code_block("no_run", &example));
    doc
}

/// One sentence naming the paging style and the members it reads.
fn describe(paging: &Paging) -> String {
    let code = |s: &str| docs::code_span(s);
    let stops = |stops: &[alloy_model::paging::Stop]| -> String {
        stops
            .iter()
            .map(|s| format!(", until {} is {}", code(&s.pointer), s.when))
            .collect()
    };
    match &paging.style {
        PageStyle::Cursor { param, next, stop } => format!(
            "Cursor paging: {} takes the answer's {}{}.",
            code(param),
            code(next),
            stops(stop)
        ),
        PageStyle::AfterLastItem { param, field, stop } => format!(
            "Paging after the last item: {} takes the last item's {}{}.",
            code(param),
            code(field),
            stops(stop)
        ),
        PageStyle::NextLink { link, params } => format!(
            "Next-link paging: {} come from the query of the answer's {}.",
            params
                .iter()
                .map(|p| code(p))
                .collect::<Vec<_>>()
                .join(", "),
            code(link)
        ),
        PageStyle::Offset { param, total, stop } => format!(
            "Offset paging: {} advances by the items received{}{}.",
            code(param),
            total
                .as_deref()
                .map(|t| format!(", up to the answer's {}", code(t)))
                .unwrap_or_default(),
            stops(stop)
        ),
        PageStyle::PageNumber { param, first } => format!(
            "Page-number paging: {} counts from {first} until a page comes back empty.",
            code(param)
        ),
        _ => "Paging as the catalog shows it.".to_owned(),
    }
}

/// An expression that builds `paging` at run time.
fn paging_tokens(paging: &Paging) -> Option<TokenStream> {
    let s = |text: &str| quote! { ::std::string::String::from(#text) };
    let stops = |stops: &[alloy_model::paging::Stop]| {
        let each = stops.iter().map(|stop| {
            let pointer = &stop.pointer;
            let when = stop.when;
            quote! { ::alloy_runtime::paging::Stop::new(#pointer, #when) }
        });
        quote! { ::std::vec![#(#each),*] }
    };
    let style = match &paging.style {
        PageStyle::Cursor { param, next, stop } => {
            let (param, next, stop) = (s(param), s(next), stops(stop));
            quote! { ::alloy_runtime::paging::PageStyle::Cursor { param: #param, next: #next, stop: #stop } }
        }
        PageStyle::AfterLastItem { param, field, stop } => {
            let (param, field, stop) = (s(param), s(field), stops(stop));
            quote! { ::alloy_runtime::paging::PageStyle::AfterLastItem { param: #param, field: #field, stop: #stop } }
        }
        PageStyle::NextLink { link, params } => {
            let link = s(link);
            let params = params.iter().map(|p| s(p));
            quote! { ::alloy_runtime::paging::PageStyle::NextLink { link: #link, params: ::std::vec![#(#params),*] } }
        }
        PageStyle::Offset { param, total, stop } => {
            let (param, stop) = (s(param), stops(stop));
            let total = match total {
                Some(t) => {
                    let t = s(t);
                    quote! { ::std::option::Option::Some(#t) }
                }
                None => quote! { ::std::option::Option::None },
            };
            quote! { ::alloy_runtime::paging::PageStyle::Offset { param: #param, total: #total, stop: #stop } }
        }
        PageStyle::PageNumber { param, first } => {
            let param = s(param);
            quote! { ::alloy_runtime::paging::PageStyle::PageNumber { param: #param, first: #first } }
        }
        _ => return None,
    };
    let items = match &paging.items {
        Some(items) => {
            let items = s(items);
            quote! { ::std::option::Option::Some(#items) }
        }
        None => quote! { ::std::option::Option::None },
    };
    Some(quote! { ::alloy_runtime::paging::Paging::new(#items, #style) })
}
