//! Invalid variants of a valid instance that a lenient generated type can still carry.
//!
//! Generated request types require their required members and type-check them, so the only
//! schema violations a caller can still send are the constraints Rust types do not encode: a
//! string outside an `enum` (the generated enum keeps unknown values), a string longer than
//! `maxLength`, a number outside `minimum`/`maximum`. Each variant changes one value and is
//! checked to fail the schema exactly there, so the server's error must point at it.
//!
//! Minimal instances hold required members only, which often carry no such constraint; so
//! the optional members are filled in first (each kept only if the whole stays valid), and the
//! variants are taken from that fuller instance.

use jsonschema::Validator;
use serde_json::Value;

use crate::instance::{compile, escape};
use crate::valid_instance;

/// One invalid variant of an instance (with its optional members filled in).
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// JSON pointer of the changed value.
    pub pointer: String,
    /// The constraint broken (`enum`, `maxLength`, `minimum`, `maximum`).
    pub keyword: &'static str,
    /// The whole instance, optional members filled in, with the one value changed.
    pub instance: Value,
}

/// Every single-value violation of `valid` under `schema` whose first schema error is at the
/// changed value. Empty when the schema does not compile as JSON Schema.
pub fn violations(schema: &Value, valid: &Value) -> Vec<Violation> {
    let Some(validator) = compile(schema) else {
        return Vec::new();
    };
    let full = with_optional_members(&validator, schema, valid);
    let mut candidates = Vec::new();
    collect(schema, &full, String::new(), &mut candidates);
    // Sorted by place so the order does not depend on the map type's member order.
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    candidates
        .into_iter()
        .filter_map(|(pointer, keyword, replacement)| {
            let mut instance = full.clone();
            *instance.pointer_mut(&pointer)? = replacement;
            let first = validator.iter_errors(&instance).next()?;
            (first.instance_path().as_str() == pointer).then_some(Violation {
                pointer,
                keyword,
                instance,
            })
        })
        .collect()
}

/// `valid` with every absent optional member of its (non-combinator) objects added, one at a
/// time, each kept only when the whole instance stays valid.
fn with_optional_members(validator: &Validator, schema: &Value, valid: &Value) -> Value {
    let mut slots = Vec::new();
    optional_slots(schema, valid, String::new(), &mut slots);
    let mut full = valid.clone();
    for (at, name, member_schema) in slots {
        let Ok(member) = valid_instance(&member_schema) else {
            continue;
        };
        let mut candidate = full.clone();
        let Some(Value::Object(parent)) = candidate.pointer_mut(&at) else {
            continue;
        };
        parent.insert(name, member);
        if validator.is_valid(&candidate) {
            full = candidate;
        }
    }
    full
}

/// Absent members of the objects in `value`: (pointer of the object, member name, its schema).
fn optional_slots(
    schema: &Value,
    value: &Value,
    at: String,
    out: &mut Vec<(String, String, Value)>,
) {
    let Value::Object(s) = schema else { return };
    if is_combinator(s) {
        return;
    }
    match value {
        Value::Object(members) => {
            let Some(Value::Object(properties)) = s.get("properties") else {
                return;
            };
            for (name, member_schema) in properties {
                match members.get(name) {
                    Some(member) => {
                        optional_slots(member_schema, member, format!("{at}/{}", escape(name)), out)
                    }
                    None => out.push((at.clone(), name.clone(), member_schema.clone())),
                }
            }
        }
        Value::Array(items) => {
            if let (Some(item_schema), Some(first)) = (s.get("items"), items.first()) {
                optional_slots(item_schema, first, format!("{at}/0"), out);
            }
        }
        _ => {}
    }
}

fn is_combinator(s: &serde_json::Map<String, Value>) -> bool {
    ["oneOf", "anyOf", "allOf", "not", "$ref"]
        .iter()
        .any(|k| s.contains_key(*k))
}

/// Walks the instance beside its schema. Combinators (`oneOf`, `anyOf`, `allOf`, `not`, `$ref`)
/// are not entered: a validator reports a failing branch at the combinator, not at the value.
fn collect(
    schema: &Value,
    value: &Value,
    at: String,
    out: &mut Vec<(String, &'static str, Value)>,
) {
    let Value::Object(s) = schema else { return };
    if is_combinator(s) {
        return;
    }
    match value {
        Value::Object(members) => {
            let Some(Value::Object(properties)) = s.get("properties") else {
                return;
            };
            for (name, member) in members {
                if let Some(child) = properties.get(name) {
                    collect(child, member, format!("{at}/{}", escape(name)), out);
                }
            }
        }
        Value::Array(items) => {
            if let (Some(item_schema @ Value::Object(_)), Some(first)) =
                (s.get("items"), items.first())
            {
                collect(item_schema, first, format!("{at}/0"), out);
            }
        }
        Value::String(_) => {
            if let Some(Value::Array(allowed)) = s.get("enum") {
                let outside = (0..)
                    .map(|i| format!("not-a-listed-value-{i}"))
                    .find(|c| !allowed.iter().any(|a| a == c.as_str()))
                    .map(Value::String);
                if let Some(outside) = outside {
                    out.push((at.clone(), "enum", outside));
                }
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
                out.push((at, "maxLength", Value::String("x".repeat(max as usize + 1))));
            }
        }
        Value::Number(_) => {
            let integer = s.get("type").and_then(Value::as_str) == Some("integer");
            let shifted = |bound: f64, by: f64| {
                if integer {
                    Some(Value::from((bound + by) as i64))
                } else {
                    serde_json::Number::from_f64(bound + by).map(Value::Number)
                }
            };
            if let Some(v) = s
                .get("minimum")
                .and_then(Value::as_f64)
                .and_then(|m| shifted(m, -1.0))
            {
                out.push((at.clone(), "minimum", v));
            }
            if let Some(v) = s
                .get("maximum")
                .and_then(Value::as_f64)
                .and_then(|m| shifted(m, 1.0))
            {
                out.push((at, "maximum", v));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_variant_breaks_one_constraint_where_it_says() {
        let schema = json!({"type": "object", "required": ["kind", "name", "lines"], "properties": {
            "kind": {"type": "string", "enum": ["a", "b"]},
            "name": {"type": "string", "maxLength": 3},
            "lines": {"type": "array", "items": {"type": "object", "required": ["qty"],
                "properties": {"qty": {"type": "integer", "minimum": 1, "maximum": 9}}}},
            "choice": {"oneOf": [{"type": "string", "maxLength": 1}]},
            "status": {"type": "string", "enum": ["open", "closed"]}}});
        let mut valid = valid_instance(&schema).unwrap();
        valid["choice"] = json!("c");
        let found = violations(&schema, &valid);
        let summary: Vec<(&str, &str)> = found
            .iter()
            .map(|v| (v.pointer.as_str(), v.keyword))
            .collect();
        assert_eq!(
            summary,
            [
                ("/kind", "enum"),
                ("/lines/0/qty", "minimum"),
                ("/lines/0/qty", "maximum"),
                ("/name", "maxLength"),
                ("/status", "enum"),
            ]
        );
        // The optional member was filled in (from its enum) to carry the violation.
        assert_eq!(found[0].instance["status"], json!("open"));
        assert_eq!(found[4].instance["status"], json!("not-a-listed-value-0"));
        assert_eq!(found[1].instance["lines"][0]["qty"], json!(0));
        assert_eq!(found[3].instance["name"], json!("xxxx"));
        let validator = compile(&schema).unwrap();
        assert!(found.iter().all(|v| !validator.is_valid(&v.instance)));
    }
}
