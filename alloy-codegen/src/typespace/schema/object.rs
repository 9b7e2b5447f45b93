//! Objects → structs or maps; arrays → `Vec`s or tuples.

use serde_json::{Map, Value};

use super::Cx;
use crate::typespace::model::{Doc, ExtraMap, Field, Kind, StructDef, TypeDef, TypeRef};
use crate::typespace::naming::{Namespace, type_name};
use crate::typespace::report::push_pointer;

/// The flattened map's field name (numbered if a member already took it).
pub(in crate::typespace) const EXTRA: &str = "extra";

/// Largest tuple serde implements `Serialize`/`Deserialize` for.
const MAX_TUPLE: usize = 16;

pub(super) fn convert_object(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    hint: &str,
    ptr: &str,
    depth: usize,
) -> TypeRef {
    let empty = Map::new();
    let props = match obj.get("properties") {
        None => &empty,
        Some(Value::Object(props)) => props,
        Some(_) => {
            cx.untyped(
                &push_pointer(ptr, "properties"),
                "`properties` is not an object; ignored",
            );
            &empty
        }
    };
    let required: Vec<&str> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let extra = additional(cx, obj, hint, ptr, depth);

    if props.is_empty() {
        return match extra {
            Some(value) => TypeRef::new(Kind::Map(Box::new(value))),
            None if closed(obj) => {
                let def = TypeDef::Struct(StructDef {
                    fields: Vec::new(),
                    extra: None,
                    required_order: Vec::new(),
                });
                cx.intern(obj, hint, def)
            }
            None => TypeRef::new(Kind::Map(Box::new(TypeRef::value()))),
        };
    }

    let mut wires: Vec<&str> = props
        .iter()
        // A member whose schema is `false` can never be present.
        .filter(|(_, schema)| **schema != Value::Bool(false))
        .map(|(wire, _)| wire.as_str())
        .collect();
    wires.sort_unstable();
    let mut names = Namespace::new();
    let rust_names = names.insert_fields(&wires);
    let mut fields = Vec::new();
    for (wire, name) in wires.into_iter().zip(rust_names) {
        let schema = &props[wire];
        let ty = cx.convert_child(
            schema,
            depth + 1,
            || format!("{hint}{}", type_name(wire)),
            || push_pointer(&push_pointer(ptr, "properties"), wire),
        );
        // A read-only member is the server's to fill: a request need not carry it.
        let read_only = schema.get("readOnly") == Some(&Value::Bool(true));
        fields.push(Field {
            name,
            wire: wire.to_owned(),
            ty,
            required: required.contains(&wire) && !read_only,
            doc: schema.as_object().map(Doc::from_schema).unwrap_or_default(),
        });
    }
    let extra = extra.map(|value| ExtraMap {
        name: names.insert(EXTRA),
        value,
    });
    let mut required_order = Vec::new();
    for wire in &required {
        let at = fields.iter().position(|f| f.required && f.wire == *wire);
        if let Some(i) = at.filter(|i| !required_order.contains(i)) {
            required_order.push(i);
        }
    }
    let def = TypeDef::Struct(StructDef {
        fields,
        extra,
        required_order,
    });
    cx.intern(obj, hint, def)
}

/// Whether the object admits no members besides its properties.
fn closed(obj: &Map<String, Value>) -> bool {
    obj.get("additionalProperties") == Some(&Value::Bool(false))
}

/// The value type of members beyond `properties`, if the schema admits any explicitly
/// (`additionalProperties: true | S`, `patternProperties`). Absent means none: OpenAPI
/// documents rarely close objects, and a map on every struct would hide typos.
fn additional(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    hint: &str,
    ptr: &str,
    depth: usize,
) -> Option<TypeRef> {
    let patterns = obj
        .get("patternProperties")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty());
    let from_additional = match obj.get("additionalProperties") {
        None | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(TypeRef::value()),
        Some(schema) => {
            let at = push_pointer(ptr, "additionalProperties");
            Some(cx.convert(schema, &format!("{hint}Value"), &at, depth + 1))
        }
    };
    match (patterns, from_additional) {
        (None, extra) => extra,
        (Some(patterns), extra) => {
            let mut types: Vec<TypeRef> = extra.into_iter().collect();
            let mut keys: Vec<&String> = patterns.keys().collect();
            keys.sort();
            for key in keys {
                let at = push_pointer(&push_pointer(ptr, "patternProperties"), key);
                let ty = cx.convert(
                    &patterns[key.as_str()],
                    &format!("{hint}Value"),
                    &at,
                    depth + 1,
                );
                if !types.contains(&ty) {
                    types.push(ty);
                }
            }
            // One value type when all patterns agree; otherwise any value.
            match types.as_slice() {
                [one] => Some(one.clone()),
                _ => Some(TypeRef::value()),
            }
        }
    }
}

pub(super) fn convert_array(
    cx: &mut Cx<'_, '_>,
    obj: &Map<String, Value>,
    hint: &str,
    ptr: &str,
    depth: usize,
) -> TypeRef {
    let item_hint = || crate::typespace::naming::item_hint(hint);
    // Tuple forms: `prefixItems` (2020-12) or an `items` array (draft 4), with the schema for
    // the rest in `items` or `additionalItems` respectively.
    let (prefix, prefix_key, rest, rest_key) = match (obj.get("prefixItems"), obj.get("items")) {
        (Some(Value::Array(prefix)), rest) => (Some(prefix), "prefixItems", rest, "items"),
        (_, Some(Value::Array(prefix))) => (
            Some(prefix),
            "items",
            obj.get("additionalItems"),
            "additionalItems",
        ),
        (_, items) => (None, "", items, "items"),
    };
    let Some(prefix) = prefix else {
        let item = match rest {
            None => TypeRef::value(),
            Some(items) => {
                cx.convert_child(items, depth + 1, item_hint, || push_pointer(ptr, rest_key))
            }
        };
        return TypeRef::new(Kind::Vec(Box::new(item)));
    };
    let mut types = Vec::new();
    for (i, schema) in prefix.iter().enumerate() {
        let at = push_pointer(&push_pointer(ptr, prefix_key), &i.to_string());
        types.push(cx.convert(schema, &format!("{}{i}", item_hint()), &at, depth + 1));
    }
    let len = prefix.len();
    let count = |key: &str| obj.get(key).and_then(Value::as_u64);
    let fixed = rest == Some(&Value::Bool(false))
        || (count("minItems") == Some(len as u64) && count("maxItems") == Some(len as u64));
    if fixed && (1..=MAX_TUPLE).contains(&len) {
        return TypeRef::new(Kind::Tuple(types));
    }
    if let Some(rest) = rest.filter(|r| **r != Value::Bool(false)) {
        let at = push_pointer(ptr, rest_key);
        types.push(cx.convert(rest, &item_hint(), &at, depth + 1));
    }
    types.dedup();
    match types.as_slice() {
        [one] => TypeRef::new(Kind::Vec(Box::new(one.clone()))),
        [] => TypeRef::new(Kind::Vec(Box::new(TypeRef::value()))),
        _ => {
            cx.untyped(
                ptr,
                "array elements of different types at different positions",
            );
            TypeRef::new(Kind::Vec(Box::new(TypeRef::value())))
        }
    }
}
