//! Chained setters (`.limit(10)`), the one style of every struct a caller builds: parameter
//! structs and credential inputs (`emit::builder`) and request bodies (`typespace`). Names come
//! from [`crate::typespace::naming::setter_names`].

use proc_macro2::Ident;
use quote::quote;
use syn::visit_mut::VisitMut;

use crate::rustdoc as docs;
use crate::template::Fill;

/// How a member holds the value its setter is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// An optional member, `Option<T>`: the setter takes `impl Into<T>` and stores `Some`.
    Optional,
    /// A member of the setter's type itself (a required member the schema lets be `null`, of
    /// type `Option<T>`): `impl Into<Option<T>>` takes a plain value as well as `None`.
    Itself,
}

/// The setters, parsed once per thread and filled in per member (see [`crate::template`]).
struct Templates {
    optional: syn::ImplItemFn,
    itself: syn::ImplItemFn,
    /// Adds one entry to a map member.
    insert: syn::ImplItemFn,
}

impl Templates {
    fn parse() -> syn::Result<Self> {
        Ok(Self {
            optional: syn::parse2(quote! {
                pub fn __setter(mut self, value: impl ::std::convert::Into<__Ty>) -> Self {
                    self.__field = ::std::option::Option::Some(value.into());
                    self
                }
            })?,
            itself: syn::parse2(quote! {
                pub fn __setter(mut self, value: impl ::std::convert::Into<__Ty>) -> Self {
                    self.__field = value.into();
                    self
                }
            })?,
            insert: syn::parse2(quote! {
                pub fn __setter(
                    mut self,
                    key: impl ::std::convert::Into<::std::string::String>,
                    value: impl ::std::convert::Into<__Ty>,
                ) -> Self {
                    self.__field.insert(key.into(), value.into());
                    self
                }
            })?,
        })
    }
}

thread_local! {
    static TEMPLATES: syn::Result<Templates> = Templates::parse();
}

/// `pub fn <setter>(mut self, value: impl Into<ty>) -> Self` setting `field`, documented with
/// `doc` (rustdoc-safe already).
pub(crate) fn setter(
    setter: &Ident,
    field: &Ident,
    ty: &syn::Type,
    holds: Holds,
    doc: &str,
) -> syn::Result<syn::ImplItem> {
    fill(
        |t| match holds {
            Holds::Optional => &t.optional,
            Holds::Itself => &t.itself,
        },
        setter,
        field,
        ty,
        doc,
    )
}

/// `pub fn <setter>(mut self, key: impl Into<String>, value: impl Into<value>) -> Self` adding
/// an entry to the map member `field`.
pub(crate) fn inserter(
    setter: &Ident,
    field: &Ident,
    value: &syn::Type,
    doc: &str,
) -> syn::Result<syn::ImplItem> {
    fill(|t| &t.insert, setter, field, value, doc)
}

fn fill(
    pick: impl FnOnce(&Templates) -> &syn::ImplItemFn,
    setter: &Ident,
    field: &Ident,
    ty: &syn::Type,
    doc: &str,
) -> syn::Result<syn::ImplItem> {
    crate::template::with_parsed(&TEMPLATES, |templates| {
        let mut function = Fill::default()
            .ident("__setter", setter)
            .ident("__field", field)
            .ty("__Ty", ty)
            .apply(pick(templates), Fill::visit_impl_item_fn_mut);
        function.attrs = docs::outer_attrs(doc);
        Ok(syn::ImplItem::Fn(function))
    })
}
