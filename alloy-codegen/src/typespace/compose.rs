//! `allOf` → one schema, merged keyword by keyword, before conversion.
//!
//! Merging at the schema level keeps the converter simple: the result is an ordinary schema
//! (no `allOf` at its top) converted like any other. Rules, applied part by part in order:
//! `properties` are united (a member in two parts becomes `allOf` of both), `required` is
//! united, `type` lists are intersected, `nullable` holds if any part says so (OpenAPI 3.0
//! writes `allOf: [$ref], nullable: true`), `items`/`additionalProperties` schemas are
//! combined with `allOf`, and any other keyword keeps its first value. A part with
//! `oneOf`/`anyOf` is distributed: the result is that union, each branch merged with the rest.

use serde_json::{Map, Value};

use super::MAX_DEPTH;

/// Keywords that describe a schema without constraining it.
pub(crate) const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
    "$comment",
    "$schema",
    "$id",
];

/// A merged `allOf`: the schema and the `$ref` targets (JSON pointers) inlined into it.
#[derive(Debug)]
pub(crate) struct Merged {
    pub(crate) schema: Value,
    pub(crate) inlined: Vec<String>,
}

/// Merges `obj` (which has `allOf`) with its parts into a schema without a top-level `allOf`.
/// `$ref` parts are inlined, except targets for which `blocked` holds (being converted on the
/// current path): merging a schema into itself never ends, so that is an error.
pub(crate) fn merge_all_of(
    obj: &Map<String, Value>,
    root: &Value,
    depth: usize,
    blocked: &dyn Fn(&str) -> bool,
) -> Result<Merged, String> {
    let mut parts = Vec::new();
    let mut inlined = Vec::new();
    let mut path = Vec::new();
    collect_parts(
        obj,
        root,
        &mut parts,
        &mut inlined,
        &mut path,
        blocked,
        depth,
    )?;
    let schema = distribute(parts)?;
    Ok(Merged { schema, inlined })
}

/// One schema from the flattened parts: merged, or a union of merges when a part is a union.
fn distribute(mut parts: Vec<Map<String, Value>>) -> Result<Value, String> {
    let union_part = parts
        .iter()
        .position(|p| p.contains_key("oneOf") || p.contains_key("anyOf"));
    let Some(at) = union_part else {
        return Ok(Value::Object(merge_parts(parts)));
    };
    let mut union = parts.remove(at);
    let key = if union.contains_key("oneOf") {
        "oneOf"
    } else {
        "anyOf"
    };
    let branches = match union.remove(key) {
        Some(Value::Array(branches)) => branches,
        _ => return Err(format!("`{key}` is not an array")),
    };
    let discriminator = union.remove("discriminator");
    parts.insert(at, union);
    let mut base = merge_parts(parts);
    let mut out = Map::new();
    for keep in ["description", "title"] {
        if let Some(v) = base.get(keep) {
            out.insert(keep.to_owned(), v.clone());
        }
    }
    // Nullability belongs to the union, not to each branch.
    if let Some(nullable) = base.remove("nullable") {
        out.insert("nullable".to_owned(), nullable);
    }
    if let Some(d) = discriminator {
        out.insert("discriminator".to_owned(), d);
    }
    let constraining = base
        .keys()
        .any(|k| !ANNOTATIONS.contains(&k.as_str()) && k != "nullable");
    let branches = branches
        .into_iter()
        .map(|branch| {
            if constraining {
                let mut all = Map::new();
                all.insert(
                    "allOf".to_owned(),
                    Value::Array(vec![Value::Object(base.clone()), branch]),
                );
                Value::Object(all)
            } else {
                branch
            }
        })
        .collect();
    out.insert(key.to_owned(), Value::Array(branches));
    Ok(Value::Object(out))
}

/// Flattens nested `allOf` (and `$ref`s among its parts) into a list of plain parts; `path`
/// holds the references being inlined, to stop at a cycle.
fn collect_parts(
    obj: &Map<String, Value>,
    root: &Value,
    parts: &mut Vec<Map<String, Value>>,
    inlined: &mut Vec<String>,
    path: &mut Vec<String>,
    blocked: &dyn Fn(&str) -> bool,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("`allOf` nests deeper than {MAX_DEPTH} levels"));
    }
    let mut rest = obj.clone();
    let all = rest.remove("allOf");
    if rest.contains_key("$ref") {
        let (pointer, target) = resolve(&rest, root)?;
        if blocked(&pointer) || path.contains(&pointer) {
            return Err(format!(
                "`allOf` includes `#{pointer}`, which includes it again"
            ));
        }
        rest.remove("$ref");
        path.push(pointer.clone());
        collect_parts(target, root, parts, inlined, path, blocked, depth + 1)?;
        path.pop();
        if !inlined.contains(&pointer) {
            inlined.push(pointer);
        }
    }
    if !rest.is_empty() {
        parts.push(rest);
    }
    match all {
        None => {}
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::Bool(true) => {}
                    Value::Bool(false) => return Err("`allOf` holds the schema `false`".into()),
                    Value::Object(part) => {
                        collect_parts(&part, root, parts, inlined, path, blocked, depth + 1)?
                    }
                    _ => return Err("`allOf` holds something that is not a schema".into()),
                }
            }
        }
        Some(_) => return Err("`allOf` is not an array".into()),
    }
    Ok(())
}

fn resolve<'r>(
    obj: &Map<String, Value>,
    root: &'r Value,
) -> Result<(String, &'r Map<String, Value>), String> {
    let reference = obj.get("$ref").and_then(Value::as_str).unwrap_or("");
    let not_found = || format!("`{reference}` in `allOf` does not resolve to a schema object");
    let pointer = super::schema::local_pointer(reference).ok_or_else(not_found)?;
    let target = root
        .pointer(&pointer)
        .and_then(Value::as_object)
        .ok_or_else(not_found)?;
    Ok((pointer, target))
}

fn merge_parts(parts: Vec<Map<String, Value>>) -> Map<String, Value> {
    let mut out = Map::new();
    for part in parts {
        for (key, value) in part {
            let Some(existing) = out.get_mut(&key) else {
                out.insert(key, value);
                continue;
            };
            match key.as_str() {
                "properties" => {
                    if let (Value::Object(have), Value::Object(add)) = (existing, value) {
                        for (name, schema) in add {
                            match have.get_mut(&name) {
                                None => {
                                    have.insert(name, schema);
                                }
                                Some(old) if *old == schema => {}
                                Some(old) => *old = all_of(old.take(), schema),
                            }
                        }
                    }
                }
                "required" => {
                    if let (Value::Array(have), Value::Array(add)) = (existing, value) {
                        for name in add {
                            if !have.contains(&name) {
                                have.push(name);
                            }
                        }
                    }
                }
                "type" => {
                    let a = type_set(existing);
                    let b = type_set(&value);
                    let both: Vec<Value> = a.iter().filter(|t| b.contains(t)).cloned().collect();
                    if !both.is_empty() {
                        *existing = if both.len() == 1 {
                            both.into_iter().next().unwrap_or(Value::Null)
                        } else {
                            Value::Array(both)
                        };
                    }
                }
                "nullable" if value == Value::Bool(true) => *existing = value,
                "items" | "additionalProperties" => match (&*existing, value) {
                    (Value::Object(_), Value::Object(add)) => {
                        *existing = all_of(existing.take(), Value::Object(add));
                    }
                    (Value::Bool(_), Value::Object(add)) => *existing = Value::Object(add),
                    (Value::Bool(a), Value::Bool(b)) => *existing = Value::Bool(*a && b),
                    _ => {}
                },
                _ => {}
            }
        }
    }
    out
}

fn all_of(a: Value, b: Value) -> Value {
    let mut m = Map::new();
    m.insert("allOf".to_owned(), Value::Array(vec![a, b]));
    Value::Object(m)
}

fn type_set(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(ts) => ts.clone(),
        other => vec![other.clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merge(v: Value) -> Value {
        merge_all_of(v.as_object().unwrap(), &v, 0, &|_| false)
            .unwrap()
            .schema
    }

    #[test]
    fn merges_properties_required_and_nullable() {
        let merged = merge(json!({"nullable": true, "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"allOf": [{"properties": {"b": {"type": "integer"}, "a": {"minLength": 1}}, "required": ["b"]}]}
        ]}));
        assert_eq!(
            merged,
            json!({
                "nullable": true, "type": "object",
                "properties": {"a": {"allOf": [{"type": "string"}, {"minLength": 1}]}, "b": {"type": "integer"}},
                "required": ["a", "b"]
            })
        );
    }

    #[test]
    fn distributes_a_union() {
        let merged = merge(json!({"allOf": [
            {"properties": {"id": {"type": "string"}}},
            {"oneOf": [{"properties": {"x": {}}}, {"properties": {"y": {}}}]}
        ]}));
        let branches = merged["oneOf"].as_array().unwrap();
        assert_eq!(branches.len(), 2);
        assert_eq!(
            branches[0]["allOf"][0]["properties"]["id"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn bad_parts_are_errors() {
        for v in [
            json!({"allOf": [false]}),
            json!({"allOf": [{"$ref": "#/nowhere"}]}),
            json!({"allOf": [{"$ref": "#"}]}),
        ] {
            assert!(
                merge_all_of(v.as_object().unwrap(), &v, 0, &|_| false).is_err(),
                "{v}"
            );
        }
    }
}
