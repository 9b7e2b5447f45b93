//! Sample values → lenient response types.
//!
//! A sample is first reduced to a [`Shape`] (array elements merged into one), then each shape
//! becomes a type. Objects become structs whose members are all optional, plus a flattened
//! map for members the sample did not show, so any response of the same kind parses and
//! serializes back without losing a member.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{Doc, ExtraMap, Field, Kind, StructDef, TypeDef, TypeRef};
use super::naming::{Namespace, item_hint, type_name};
use super::report::push_pointer;
use super::{MAX_DEPTH, Origin, TypeSpace, data_keys};

/// What the values seen at one place of a sample have in common.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    kind: ShapeKind,
    /// Whether `null` was seen here.
    null: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum ShapeKind {
    /// No non-null value seen (only `null`, or the element of an empty array).
    Unknown,
    Bool,
    /// Integers that fit `i64`.
    Int,
    /// Integers above `i64::MAX`.
    BigUint,
    Float,
    /// Integers and floats mixed: `serde_json::Number` keeps each as written.
    Number,
    String,
    Array(Box<Shape>),
    Object(BTreeMap<String, Shape>),
    /// An object keyed by data ([`data_keys`]), its values merged.
    Map(Box<Shape>),
    /// Incompatible values, or nesting cut at [`MAX_DEPTH`].
    Mixed(&'static str),
}

impl Shape {
    fn unknown() -> Self {
        Self {
            kind: ShapeKind::Unknown,
            null: false,
        }
    }

    fn of(value: &Value, depth: usize) -> Self {
        if depth > MAX_DEPTH {
            return Self {
                kind: ShapeKind::Mixed("sample nests too deep"),
                null: false,
            };
        }
        let kind = match value {
            Value::Null => {
                return Self {
                    kind: ShapeKind::Unknown,
                    null: true,
                };
            }
            Value::Bool(_) => ShapeKind::Bool,
            Value::Number(n) if n.is_i64() => ShapeKind::Int,
            Value::Number(n) if n.is_u64() => ShapeKind::BigUint,
            Value::Number(_) => ShapeKind::Float,
            Value::String(_) => ShapeKind::String,
            Value::Array(items) => {
                let mut element = Shape::unknown();
                for item in items {
                    element = element.merge(Shape::of(item, depth + 1));
                }
                ShapeKind::Array(Box::new(element))
            }
            Value::Object(members) => {
                let shapes: BTreeMap<String, Shape> = members
                    .iter()
                    .map(|(k, v)| (k.clone(), Shape::of(v, depth + 1)))
                    .collect();
                // Keys decide first: merging every member's shape is for likely maps only.
                let keys = || shapes.keys().map(String::as_str);
                let maybe_map = data_keys::is_data_keyed(keys(), true);
                let merged = maybe_map.then(|| {
                    shapes
                        .values()
                        .cloned()
                        .fold(Shape::unknown(), Shape::merge)
                });
                match merged {
                    Some(value) if data_keys::is_data_keyed(keys(), !value.is_mixed()) => {
                        ShapeKind::Map(Box::new(value))
                    }
                    _ => ShapeKind::Object(shapes),
                }
            }
        };
        Self { kind, null: false }
    }

    /// Whether values of different kinds met here (not: nesting cut short).
    fn is_mixed(&self) -> bool {
        matches!(self.kind, ShapeKind::Mixed(_))
    }

    fn merge(self, other: Shape) -> Shape {
        use ShapeKind::*;
        let null = self.null || other.null;
        let kind = match (self.kind, other.kind) {
            (Unknown, k) | (k, Unknown) => k,
            (Mixed(why), _) | (_, Mixed(why)) => Mixed(why),
            (Array(a), Array(b)) => Array(Box::new(a.merge(*b))),
            (Map(a), Map(b)) => Map(Box::new(a.merge(*b))),
            // An object beside data-keyed ones is data-keyed too (one sample had no ids).
            (Map(a), Object(o)) | (Object(o), Map(a)) => {
                Map(Box::new(o.into_values().fold(*a, Shape::merge)))
            }
            (Object(mut a), Object(b)) => {
                for (key, shape) in b {
                    let merged = match a.remove(&key) {
                        Some(existing) => existing.merge(shape),
                        None => shape,
                    };
                    a.insert(key, merged);
                }
                Object(a)
            }
            (a, b) if a == b => a,
            (Int | BigUint | Float | Number, Int | BigUint | Float | Number) => Number,
            _ => Mixed("sample values of different kinds at one place"),
        };
        Shape { kind, null }
    }
}

pub(super) fn convert_root(
    space: &mut TypeSpace,
    origin: &Origin,
    hint: &str,
    sample: Option<&Value>,
) -> TypeRef {
    let Some(sample) = sample else {
        return TypeRef::value();
    };
    let shape = Shape::of(sample, 0);
    let mut cx = SampleCx { space, origin };
    cx.convert(&shape, hint, &origin.pointer)
}

/// [`convert_root`] for a claim: the items of an array take `hint` themselves.
pub(super) fn convert_claim(
    space: &mut TypeSpace,
    origin: &Origin,
    hint: &str,
    sample: &Value,
) -> TypeRef {
    let shape = Shape::of(sample, 0);
    let mut cx = SampleCx { space, origin };
    match &shape.kind {
        ShapeKind::Array(element) => cx.convert(element, hint, &push_pointer(&origin.pointer, "0")),
        _ => cx.convert(&shape, hint, &origin.pointer),
    }
}

struct SampleCx<'s, 'o> {
    space: &'s mut TypeSpace,
    origin: &'o Origin,
}

impl SampleCx<'_, '_> {
    fn convert(&mut self, shape: &Shape, hint: &str, ptr: &str) -> TypeRef {
        let ty = self
            .convert_kind(&shape.kind, hint, ptr)
            .with_nullable(shape.null);
        self.space.sample_coverage.count(!ty.is_json_value());
        ty
    }

    fn convert_kind(&mut self, kind: &ShapeKind, hint: &str, ptr: &str) -> TypeRef {
        match kind {
            ShapeKind::Unknown => TypeRef::value(),
            ShapeKind::Mixed(why) => {
                self.space.warn(self.origin, ptr, *why);
                TypeRef::value()
            }
            ShapeKind::Bool => TypeRef::new(Kind::Bool),
            ShapeKind::Int => TypeRef::new(Kind::I64),
            ShapeKind::BigUint => TypeRef::new(Kind::U64),
            ShapeKind::Float => TypeRef::new(Kind::F64),
            ShapeKind::Number => TypeRef::new(Kind::Number),
            ShapeKind::String => TypeRef::new(Kind::String),
            ShapeKind::Array(element) => {
                let item = self.convert(element, &item_hint(hint), &push_pointer(ptr, "0"));
                TypeRef::new(Kind::Vec(Box::new(item)))
            }
            ShapeKind::Map(value) => {
                let value = self.convert(value, &format!("{hint}Value"), ptr);
                TypeRef::new(Kind::Map(Box::new(value)))
            }
            ShapeKind::Object(members) if members.is_empty() => {
                TypeRef::new(Kind::Map(Box::new(TypeRef::value())))
            }
            ShapeKind::Object(members) => {
                let mut names = Namespace::new();
                let wires: Vec<&str> = members.keys().map(String::as_str).collect();
                let rust_names = names.insert_fields(&wires);
                let mut fields = Vec::new();
                for ((wire, shape), name) in members.iter().zip(rust_names) {
                    let child_hint = format!("{hint}{}", type_name(wire));
                    let ty = self.convert(shape, &child_hint, &push_pointer(ptr, wire));
                    fields.push(Field {
                        name,
                        wire: wire.clone(),
                        ty,
                        required: false,
                        doc: Doc::default(),
                    });
                }
                let extra = Some(ExtraMap {
                    name: names.insert(super::schema::EXTRA),
                    value: TypeRef::value(),
                });
                let def = TypeDef::Struct(StructDef {
                    fields,
                    extra,
                    required_order: Vec::new(),
                });
                TypeRef::named(self.space.registry.intern(hint, def, Doc::default()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_keyed_by_data_are_maps() {
        for keys in [
            json!({"10000": "a", "10001": "b"}),
            json!({"jane@example.com": {"id": 1}, "joe@example.org": {"id": 2}}),
            json!({"123e4567-e89b-12d3-a456-426614174000": true}),
            json!({"U023BECGF": {"dnd_enabled": true}, "W058CJVAA": {"dnd_enabled": false}}),
            json!({"af_mw_a08k_r_mif_3vs0_oe": 1, "qz_rr_b19x_k_pol_7ab2_ie": 2}),
            json!({"Food group": {"id": "a"}, "+1": {"id": "b"}, "Name": {"id": "c"}}),
        ] {
            assert!(
                matches!(Shape::of(&keys, 0).kind, ShapeKind::Map(_)),
                "{keys}"
            );
        }
        for named in [
            json!({"10000": 1, "name": "x"}),
            json!({"id": 1}),
            json!({"@type": 1}),
            json!({"firstName": "a", "created_at": "b", "address2": "c"}),
            json!({"U023BECGF": 1, "W058CJVAA": "not one shape"}),
            json!({"16x16": "a", "24x24": "b"}),
        ] {
            assert!(
                matches!(Shape::of(&named, 0).kind, ShapeKind::Object(_)),
                "{named}"
            );
        }
        let merged = Shape::of(&json!([{"1": {"a": 1}}, {}, {"2": {"b": "x"}}]), 0);
        let ShapeKind::Array(element) = merged.kind else {
            panic!("{merged:?}")
        };
        let ShapeKind::Map(value) = element.kind else {
            panic!("{element:?}")
        };
        let ShapeKind::Object(members) = value.kind else {
            panic!("{value:?}")
        };
        assert_eq!(members.keys().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn shapes_merge() {
        let s = Shape::of(&json!([1, 2.5, null]), 0);
        assert_eq!(
            s.kind,
            ShapeKind::Array(Box::new(Shape {
                kind: ShapeKind::Number,
                null: true
            }))
        );
        let s = Shape::of(&json!([{"a": 1}, {"b": "x"}, {"a": null}]), 0);
        let ShapeKind::Array(el) = s.kind else {
            panic!()
        };
        let ShapeKind::Object(m) = el.kind else {
            panic!()
        };
        assert_eq!(
            m["a"],
            Shape {
                kind: ShapeKind::Int,
                null: true
            }
        );
        assert_eq!(m["b"].kind, ShapeKind::String);
        assert!(
            matches!(Shape::of(&json!([1, "x"]), 0).kind, ShapeKind::Array(e) if matches!(e.kind, ShapeKind::Mixed(_)))
        );
    }
}
