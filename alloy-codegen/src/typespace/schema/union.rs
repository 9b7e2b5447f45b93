//! `oneOf`/`anyOf` and type lists → enums.
//!
//! Internally tagged (`#[serde(tag = "…")]`) when every branch is an object whose required
//! member of one name holds a single distinct string (`const` or a one-value `enum`), the
//! `discriminator`'s property tried first; untagged otherwise, with duplicate branches dropped
//! and a `Value` branch (which would match anything) moved last.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::branches::{branch_names, kind_word};
use super::{Cx, count_values, is_null_only, is_nullable};
use crate::typespace::compose::{self, ANNOTATIONS};
use crate::typespace::model::{Doc, Kind, TypeDef, TypeRef, UnionDef, Variant};
use crate::typespace::naming::{Namespace, variant_name};
use crate::typespace::report::push_pointer;

pub(super) fn convert_union(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    key: &str,
    hint: &str,
    ptr: &str,
    depth: usize,
) -> TypeRef {
    let union_ptr = push_pointer(ptr, key);
    let Some(branches) = obj.get(key).and_then(Value::as_array) else {
        return cx.untyped(&union_ptr, format!("`{key}` is not an array"));
    };
    let mut nullable = is_nullable(obj);
    // Keywords beside the union constrain every branch: merge them in.
    let siblings: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| {
            let k = k.as_str();
            k != key && k != "discriminator" && k != "nullable" && !ANNOTATIONS.contains(&k)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !siblings.is_empty() {
        let copies = count_values(&Value::Object(siblings.clone()), cx.budget) * branches.len();
        if !cx.charge(copies, ptr) {
            return TypeRef::value();
        }
    }
    // Branches are borrowed unless merging changes them: they can be large, and most unions
    // have no sibling keywords and no `allOf` branches.
    let mut kept: Vec<(usize, Cow<'_, Value>)> = Vec::new();
    for (i, branch) in branches.iter().enumerate() {
        if is_null_only(branch) {
            nullable = true;
            continue;
        }
        let branch = if siblings.is_empty() {
            Cow::Borrowed(branch)
        } else {
            let mut all = Map::new();
            all.insert(
                "allOf".to_owned(),
                Value::Array(vec![Value::Object(siblings.clone()), branch.clone()]),
            );
            Cow::Owned(Value::Object(all))
        };
        kept.push((i, normalize(cx, branch, &union_ptr, depth)));
    }
    match kept.as_slice() {
        [] => return TypeRef::value(),
        [(i, only)] => {
            let at = push_pointer(&union_ptr, &i.to_string());
            return cx
                .convert(only, hint, &at, depth + 1)
                .with_nullable(nullable);
        }
        _ => {}
    }
    let discriminator = obj
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str);
    if let Some((tag, values)) = find_tag(&kept, discriminator)
        && let Some(ty) = tagged(cx, obj, &kept, &tag, &values, hint, &union_ptr, depth)
    {
        return ty.with_nullable(nullable);
    }
    let mut names = Namespace::new();
    let mut variants = Vec::new();
    let schemas: Vec<&Value> = kept.iter().map(|(_, b)| b.as_ref()).collect();
    let wanted = branch_names(&schemas);
    for ((i, branch), wanted) in kept.iter().zip(wanted) {
        let name = names.insert(&wanted);
        let at = push_pointer(&union_ptr, &i.to_string());
        let ty = cx.convert(branch, &format!("{hint}{name}"), &at, depth + 1);
        let doc = branch.as_object().map(Doc::from_schema).unwrap_or_default();
        let title = branch.get("title").and_then(Value::as_str);
        variants.push((
            Variant {
                name,
                tag_value: None,
                ty,
                doc,
            },
            title,
        ));
    }
    untagged(cx, obj, variants, hint).with_nullable(nullable)
}

/// `type: [A, B, …]` (nulls removed) → an untagged enum of one variant per type.
pub(super) fn convert_type_list(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    types: &[&str],
    hint: &str,
    ptr: &str,
    depth: usize,
) -> TypeRef {
    let mut names = Namespace::new();
    let mut variants = Vec::new();
    for ty in types {
        let name = names.insert(&variant_name(kind_word(ty)));
        let converted = cx.convert_typed(obj, ty, &format!("{hint}{name}"), ptr, depth + 1);
        let variant = Variant {
            name,
            tag_value: None,
            ty: converted,
            doc: Doc::default(),
        };
        variants.push((variant, None));
    }
    untagged(cx, obj, variants, hint)
}

/// Registers an untagged enum of `variants` (each with its branch's title), simplified: equal
/// variants once, a `Value` variant last, a single variant as itself.
///
/// Branches of one shape are one variant unless their titles differ: a title says which
/// branch a value is, and the API may tell them apart by more than shape, so each keeps its
/// variant (a value is sent as the branch it is) with a payload type named after it.
fn untagged(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    variants: Vec<(Variant, Option<&str>)>,
    hint: &str,
) -> TypeRef {
    let mut distinct: Vec<(Variant, Option<&str>)> = Vec::new();
    let mut catch_all: Option<Variant> = None;
    for (mut variant, title) in variants {
        if variant.ty.is_json_value() {
            catch_all.get_or_insert(variant);
            continue;
        }
        let same_shape = |(v, _): &(Variant, Option<&str>)| v.ty == variant.ty;
        if distinct.iter().any(|d| same_shape(d) && d.1 == title)
            || (title.is_none() && distinct.iter().any(same_shape))
        {
            continue;
        }
        if distinct.iter().any(same_shape)
            && let Some(title) = title
            && let Kind::Named { name, boxed: false } = &variant.ty.kind
        {
            let hint = format!("{hint}{}", variant.name);
            let doc = variant.doc.clone();
            if let Some(copy) = cx.space.registry.define_copy(name, &hint, title, doc) {
                variant.ty = TypeRef::named(copy).with_nullable(variant.ty.nullable);
            }
        }
        distinct.push((variant, title));
    }
    let mut distinct: Vec<Variant> = distinct.into_iter().map(|(v, _)| v).collect();
    // serde tries untagged variants in order: a struct also accepts a JSON array (by
    // position) and `f64` also accepts an integer, so arrays go first and floats after
    // integers; the stable sort keeps the input order otherwise.
    distinct.sort_by_key(|v| match v.ty.kind {
        Kind::Vec(_) | Kind::Tuple(_) => 0,
        Kind::F64 | Kind::Number => 2,
        Kind::Named { .. } | Kind::Map(_) => 3,
        _ => 1,
    });
    distinct.extend(catch_all);
    if distinct.len() == 1 {
        return distinct.remove(0).ty;
    }
    let def = TypeDef::Union(UnionDef {
        tag: None,
        variants: distinct,
    });
    cx.intern(obj, hint, def)
}

/// Registers an internally tagged enum, each branch converted without its tag member.
/// `None` when a branch does not become a struct or map (then the caller goes untagged).
#[allow(clippy::too_many_arguments)]
fn tagged(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    kept: &[(usize, Cow<'_, Value>)],
    tag: &str,
    values: &[String],
    hint: &str,
    union_ptr: &str,
    depth: usize,
) -> Option<TypeRef> {
    let mut names = Namespace::new();
    let mut variants = Vec::new();
    for ((i, branch), value) in kept.iter().zip(values) {
        let mut stripped = branch.as_ref().clone();
        if let Some(o) = stripped.as_object_mut() {
            if let Some(Value::Object(props)) = o.get_mut("properties") {
                props.remove(tag);
            }
            if let Some(Value::Array(required)) = o.get_mut("required") {
                required.retain(|r| r != tag);
            }
        }
        let name = names.insert(&variant_name(value));
        let at = push_pointer(union_ptr, &i.to_string());
        let ty = cx.convert(&stripped, &format!("{hint}{name}"), &at, depth + 1);
        let is_struct = match &ty.kind {
            Kind::Named { name, .. } => {
                matches!(cx.space.registry.get(name), Some(TypeDef::Struct(_)))
            }
            Kind::Map(_) => true,
            _ => false,
        };
        if !is_struct || ty.nullable {
            return None;
        }
        let doc = branch.as_object().map(Doc::from_schema).unwrap_or_default();
        variants.push(Variant {
            name,
            tag_value: Some(value.clone()),
            ty,
            doc,
        });
    }
    let def = TypeDef::Union(UnionDef {
        tag: Some(tag.to_owned()),
        variants,
    });
    Some(cx.intern(obj, hint, def))
}

/// Resolves what can be seen of a branch without converting it: a merged `allOf`, a
/// same-document `$ref` stays as is (conversion handles cycles).
fn normalize<'v>(
    cx: &mut Cx<'_, '_>,
    branch: Cow<'v, Value>,
    ptr: &str,
    depth: usize,
) -> Cow<'v, Value> {
    match branch.as_object() {
        Some(o) if o.contains_key("allOf") && !o.contains_key("$ref") => {
            // Only merges that inline no `$ref` are done here: those that do are merged again
            // during conversion, where the path of inlined references is tracked.
            match compose::merge_all_of(o, cx.root, depth, &|_| true) {
                Ok(merged) if cx.charge(count_values(&merged.schema, cx.budget), ptr) => {
                    Cow::Owned(merged.schema)
                }
                _ => branch,
            }
        }
        _ => branch,
    }
}

/// The tag member and each branch's value, if every branch has a distinct constant one.
fn find_tag(
    kept: &[(usize, Cow<'_, Value>)],
    discriminator: Option<&str>,
) -> Option<(String, Vec<String>)> {
    let first = kept.first()?.1.as_object()?;
    let mut candidates: Vec<&str> = discriminator.into_iter().collect();
    if let Some(props) = first.get("properties").and_then(Value::as_object) {
        candidates.extend(props.keys().map(String::as_str));
    }
    'candidates: for tag in candidates {
        let mut values: Vec<String> = Vec::new();
        for (_, branch) in kept {
            let Some(value) = constant_member(branch, tag) else {
                continue 'candidates;
            };
            if values.contains(&value) {
                continue 'candidates;
            }
            values.push(value);
        }
        return Some((tag.to_owned(), values));
    }
    None
}

/// The single string a required member always holds.
fn constant_member(branch: &Value, member: &str) -> Option<String> {
    let obj = branch.as_object()?;
    if obj.contains_key("oneOf") || obj.contains_key("anyOf") || obj.contains_key("$ref") {
        return None;
    }
    let required = obj.get("required")?.as_array()?;
    if !required.iter().any(|r| r == member) {
        return None;
    }
    let prop = obj.get("properties")?.get(member)?.as_object()?;
    if let Some(Value::String(s)) = prop.get("const") {
        return Some(s.clone());
    }
    match prop.get("enum")?.as_array()?.as_slice() {
        [Value::String(s)] => Some(s.clone()),
        _ => None,
    }
}
