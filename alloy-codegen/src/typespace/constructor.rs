//! A struct's `new`, in the style of every struct a caller builds ([`crate::setters`]).

use proc_macro2::Ident;

use super::model::{Field, StructDef};
use super::structs::StructBuilder;
use super::tokens::{ident, needs_value};
use crate::setters::{NewMember, new_impl};

/// `new` taking the required members, for a struct that also has optional ones: a request
/// with two required members out of twenty is then written without eighteen `None`s. Structs
/// with only optional members derive `Default` instead. A type that is sent gets `new` even
/// when every member is required: code that builds it with `new` keeps compiling when the API
/// adds an optional member, which a struct literal would not.
///
/// Arguments come in the order of the schema's `required` (a schema listing `firstname,
/// lastname, email` must not give `new(email, firstname, lastname)`: same-typed arguments swap
/// silently) and take `impl Into`, as the parameter structs' `new` does.
pub(super) fn constructor(
    structs: &mut StructBuilder,
    name: &Ident,
    def: &StructDef,
    sent: bool,
) -> syn::Result<Option<syn::ItemImpl>> {
    let (mut args, rest): (Vec<&Field>, Vec<&Field>) =
        def.fields.iter().partition(|f| needs_value(f));
    if args.is_empty() || (!sent && rest.is_empty() && def.extra.is_none()) {
        return Ok(None);
    }
    let rank = |f: &Field| {
        def.required_order
            .iter()
            .position(|&i| def.fields.get(i).is_some_and(|r| r.name == f.name))
            .unwrap_or(def.required_order.len())
    };
    args.sort_by_key(|f| rank(f));
    let taken = args
        .iter()
        .map(|f| Ok((ident(&f.name), structs.field_type(&f.ty)?)))
        .collect::<syn::Result<Vec<_>>>()?;
    let unset: Vec<Ident> = rest.iter().map(|f| ident(&f.name)).collect();
    let extra = def.extra.as_ref().map(|extra| ident(&extra.name));
    let members: Vec<NewMember<'_>> = taken
        .iter()
        .map(|(field, ty)| NewMember::Takes(field, ty))
        .chain(unset.iter().map(NewMember::Unset))
        .chain(extra.iter().map(NewMember::EmptyMap))
        .collect();
    let doc = if rest.is_empty() && def.extra.is_none() {
        "A value with its members, all of them required."
    } else {
        "A value with the required members; the optional ones start unset."
    };
    new_impl(name, doc, &members).map(Some)
}
