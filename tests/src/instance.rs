//! A JSON value that a catalog schema accepts, built from the schema alone.
//!
//! The end-to-end tests call every action with input derived from its published request-body
//! schema, so no connector or action is special-cased. The instance is minimal (required
//! members only) and prefers the schema's own `const`, `example`, `default` and `enum` values;
//! `oneOf`/`anyOf` branches are tried in order until one gives a valid instance. The result is
//! checked against the whole schema before it is returned, so a shape this builder does not
//! understand is an error naming where, never a silently invalid input. `$ref` is not followed
//! (catalog action schemas are inlined); such a member gets a string and the check reports it.

use std::fmt;

use jsonschema::Validator;
use serde_json::{Map, Number, Value};

/// Schemas nest deeply; past this depth the builder gives up rather than recurse forever.
const MAX_DEPTH: usize = 32;

/// Strings tried, in order, for a `pattern` the default text does not match.
const PATTERN_CANDIDATES: &[&str] = &[
    "12345",
    "US",
    "value",
    "a",
    "A",
    "1",
    "abc123",
    "ABC",
    "a-b",
    "2025-01-02",
];

/// Why no valid instance could be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceError {
    /// JSON pointer of the schema location (in instance terms) that could not be satisfied.
    pub pointer: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "at `{at}`: {}", self.message)
    }
}

impl std::error::Error for InstanceError {}

fn fail(pointer: &str, message: impl Into<String>) -> InstanceError {
    InstanceError {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

/// A minimal instance of `schema`, checked against it.
pub fn valid_instance(schema: &Value) -> Result<Value, InstanceError> {
    let value = generate(schema, "", 0)?;
    if let Some(validator) = compile(schema)
        && let Some(error) = validator.iter_errors(&value).next()
    {
        return Err(fail(
            error.instance_path().as_str(),
            format!("the built instance {value} is rejected by the schema: {error}"),
        ));
    }
    Ok(value)
}

/// The schema compiled as JSON Schema, or `None` when it uses spellings only OpenAPI accepts
/// (the instance is then checked by the server alone).
pub(crate) fn compile(schema: &Value) -> Option<Validator> {
    jsonschema::validator_for(schema).ok()
}

/// Whether `schema` accepts `value`; `None` when the schema does not compile.
fn accepts(schema: &Value, value: &Value) -> Option<bool> {
    compile(schema).map(|v| v.is_valid(value))
}

fn generate(schema: &Value, at: &str, depth: usize) -> Result<Value, InstanceError> {
    if depth > MAX_DEPTH {
        return Err(fail(
            at,
            format!("schema nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    let s = match schema {
        Value::Object(s) => s,
        Value::Bool(false) => return Err(fail(at, "the schema `false` accepts nothing")),
        _ => return Ok(Value::String("value".into())),
    };
    if let Some(value) = s.get("const") {
        return Ok(value.clone());
    }
    if let Some(value) = schema_value(schema, s) {
        return Ok(value);
    }
    if let Some(Value::Array(branches)) = s.get("allOf") {
        let mut merged = without(s, "allOf");
        for branch in branches {
            if let Value::Object(branch) = branch {
                merged = merge(&merged, branch);
            }
        }
        return generate(&Value::Object(merged), at, depth + 1);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = s.get(key) {
            return one_of(schema, s, key, branches, at, depth);
        }
    }
    match primary_type(s) {
        "object" => object(s, at, depth),
        "array" => array(s, at, depth),
        "integer" => Ok(Value::from(integer(s))),
        "number" => Ok(number(s)),
        "boolean" => Ok(Value::Bool(true)),
        "null" => Ok(Value::Null),
        _ => string(schema, s, at),
    }
}

/// A value the schema itself offers (`example`, `default`, `examples`, `enum`) and accepts.
fn schema_value(schema: &Value, s: &Map<String, Value>) -> Option<Value> {
    let mut offered: Vec<&Value> = Vec::new();
    offered.extend(s.get("example"));
    offered.extend(s.get("default"));
    for key in ["examples", "enum"] {
        if let Some(Value::Array(values)) = s.get(key) {
            offered.extend(values.iter().filter(|v| !v.is_null()));
        }
    }
    offered
        .into_iter()
        .find(|v| accepts(schema, v) != Some(false))
        .cloned()
}

fn one_of(
    schema: &Value,
    s: &Map<String, Value>,
    key: &str,
    branches: &[Value],
    at: &str,
    depth: usize,
) -> Result<Value, InstanceError> {
    let base = without(s, key);
    let mut unchecked = None;
    let mut first_error = None;
    for branch in branches {
        let combined = match branch {
            Value::Object(branch) => Value::Object(merge(&base, branch)),
            other => other.clone(),
        };
        match generate(&combined, at, depth + 1) {
            Ok(candidate) => match accepts(schema, &candidate) {
                Some(true) => return Ok(candidate),
                None if unchecked.is_none() => unchecked = Some(candidate),
                _ => {}
            },
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    unchecked.ok_or_else(|| {
        first_error.unwrap_or_else(|| fail(at, format!("no `{key}` branch gives a valid instance")))
    })
}

/// The instance type to build: `type` (the first non-null one), else what the keywords imply.
fn primary_type(s: &Map<String, Value>) -> &str {
    match s.get("type") {
        Some(Value::String(t)) => return t,
        Some(Value::Array(types)) => {
            if let Some(t) = types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
            {
                return t;
            }
        }
        _ => {}
    }
    if s.contains_key("properties") || s.contains_key("required") {
        "object"
    } else if s.contains_key("items") {
        "array"
    } else {
        "string"
    }
}

fn object(s: &Map<String, Value>, at: &str, depth: usize) -> Result<Value, InstanceError> {
    let empty = Map::new();
    let properties = s
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut out = Map::new();
    for name in s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let child = properties
            .get(name)
            .or_else(|| s.get("additionalProperties").filter(|v| v.is_object()))
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        let pointer = format!("{at}/{}", escape(name));
        out.insert(name.to_owned(), generate(&child, &pointer, depth + 1)?);
    }
    Ok(Value::Object(out))
}

fn array(s: &Map<String, Value>, at: &str, depth: usize) -> Result<Value, InstanceError> {
    let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0);
    let max = s
        .get("maxItems")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    // One element exercises the item type; more only when the schema asks for them.
    let count = min.max(1).min(max);
    let mut out = Vec::new();
    for i in 0..count {
        let pointer = format!("{at}/{i}");
        let item = match s.get("items") {
            Some(Value::Array(tuple)) => match tuple.get(i as usize) {
                Some(schema) => schema.clone(),
                None => break,
            },
            Some(schema) => schema.clone(),
            None => Value::Object(Map::new()),
        };
        out.push(generate(&item, &pointer, depth + 1)?);
    }
    Ok(Value::Array(out))
}

fn string(schema: &Value, s: &Map<String, Value>, at: &str) -> Result<Value, InstanceError> {
    let base = match s.get("format").and_then(Value::as_str) {
        Some("date") => "2025-01-02",
        Some("date-time") => "2025-01-02T03:04:05Z",
        Some("time") => "03:04:05Z",
        Some("email") => "ada@example.com",
        Some("uri" | "url" | "uri-reference") => "https://example.com/",
        Some("uuid") => "123e4567-e89b-12d3-a456-426614174000",
        Some("ipv4") => "192.0.2.1",
        _ => "value",
    };
    let text = fit_length(s, base);
    if !s.contains_key("pattern") || accepts(schema, &Value::String(text.clone())) != Some(false) {
        return Ok(Value::String(text));
    }
    PATTERN_CANDIDATES
        .iter()
        .map(|c| Value::String(fit_length(s, c)))
        .find(|v| accepts(schema, v) == Some(true))
        .ok_or_else(|| fail(at, "no candidate string matches the schema's `pattern`"))
}

/// `text` padded to `minLength` and cut to `maxLength` (in characters).
fn fit_length(s: &Map<String, Value>, text: &str) -> String {
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    let mut out: String = text.chars().take(max).collect();
    while out.chars().count() < min {
        out.push('x');
    }
    out
}

/// The inclusive bounds of a numeric schema, in both the JSON Schema and OpenAPI 3.0 spellings.
fn bounds(s: &Map<String, Value>, step: f64) -> (Option<f64>, Option<f64>) {
    let num = |key: &str| s.get(key).and_then(Value::as_f64);
    let flag = |key: &str| s.get(key).and_then(Value::as_bool) == Some(true);
    let low = match (num("minimum"), num("exclusiveMinimum")) {
        (_, Some(x)) => Some(x + step),
        (Some(m), None) if flag("exclusiveMinimum") => Some(m + step),
        (m, None) => m,
    };
    let high = match (num("maximum"), num("exclusiveMaximum")) {
        (_, Some(x)) => Some(x - step),
        (Some(m), None) if flag("exclusiveMaximum") => Some(m - step),
        (m, None) => m,
    };
    (low, high)
}

fn integer(s: &Map<String, Value>) -> i64 {
    let (low, high) = bounds(s, 1.0);
    let mut n = 1.0_f64;
    if let Some(low) = low {
        n = n.max(low.ceil());
    }
    if let Some(high) = high {
        n = n.min(high.floor());
    }
    n as i64
}

fn number(s: &Map<String, Value>) -> Value {
    let (low, high) = bounds(s, 0.25);
    let mut n = 1.5_f64;
    if let Some(low) = low {
        n = n.max(low);
    }
    if let Some(high) = high {
        n = n.min(high);
    }
    Number::from_f64(n).map_or(Value::from(1), Value::Number)
}

fn without(s: &Map<String, Value>, key: &str) -> Map<String, Value> {
    let mut out = s.clone();
    out.remove(key);
    out
}

/// `branch` laid over `base`: `properties` merged, `required` united, other keys replaced.
fn merge(base: &Map<String, Value>, branch: &Map<String, Value>) -> Map<String, Value> {
    let mut out = base.clone();
    for (key, value) in branch {
        match (key.as_str(), out.get_mut(key), value) {
            ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                for (name, schema) in theirs {
                    mine.insert(name.clone(), schema.clone());
                }
            }
            ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                for name in theirs {
                    if !mine.contains(name) {
                        mine.push(name.clone());
                    }
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out
}

/// Escapes a JSON pointer reference token (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn required_members_only_with_the_schema_own_values() {
        let schema = json!({"type": "object", "required": ["a", "b", "c", "d", "e"],
            "properties": {
                "a": {"type": "string", "example": "Ada"},
                "b": {"type": "string", "enum": ["x", "y"]},
                "c": {"type": "integer", "minimum": 5},
                "d": {"type": "array", "minItems": 2, "items": {"type": "number", "maximum": 1}},
                "e": {"type": "string", "format": "email", "maxLength": 5},
                "optional": {"type": "string"}}});
        let value = valid_instance(&schema).unwrap();
        assert_eq!(
            value,
            json!({"a": "Ada", "b": "x", "c": 5, "d": [1.0, 1.0], "e": "ada@e"})
        );
    }

    #[test]
    fn one_of_picks_the_first_branch_that_validates_alone() {
        // "value" matches both string branches, which a oneOf refuses.
        let schema = json!({"oneOf": [{"type": "string"}, {"type": "string", "minLength": 3},
            {"type": "integer"}]});
        assert_eq!(valid_instance(&schema).unwrap(), json!(1));
        let schema = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        assert_eq!(valid_instance(&schema).unwrap(), json!("value"));
    }

    #[test]
    fn all_of_merges_and_patterns_are_satisfied() {
        let schema = json!({"allOf": [
            {"type": "object", "required": ["id"], "properties": {"id": {"type": "string",
                "pattern": "^[0-9]+$"}}},
            {"required": ["country"], "properties": {"country": {"type": "string",
                "pattern": "^[A-Z]{2}$"}}}]});
        let value = valid_instance(&schema).unwrap();
        assert_eq!(value, json!({"id": "12345", "country": "US"}));
    }

    #[test]
    fn impossible_schemas_are_errors_naming_the_place() {
        let schema = json!({"type": "object", "required": ["n"], "properties": {
            "n": {"type": "string", "pattern": "^z{40}$"}}});
        let err = valid_instance(&schema).unwrap_err();
        assert_eq!(err.pointer, "/n");
        assert!(err.to_string().contains("pattern"), "{err}");
        let err = valid_instance(&json!({"required": ["a~/b"], "properties": {"a~/b": false}}))
            .unwrap_err();
        assert_eq!(err.pointer, "/a~0~1b");
    }
}
