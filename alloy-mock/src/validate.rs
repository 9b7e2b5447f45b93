//! JSON Schema validation of request bodies, reporting the first violation as a JSON pointer.
//!
//! Catalog schemas are OpenAPI schema objects rather than pure JSON Schema. Before compiling,
//! the OpenAPI 3.0 spellings that JSON Schema 2020-12 reads differently are rewritten:
//! `nullable: true` adds `"null"` to `type` (and to `enum`), and boolean `exclusiveMinimum` /
//! `exclusiveMaximum` become the numeric form. Other OpenAPI keywords (`discriminator`,
//! `example`, `xml`…) are annotations JSON Schema ignores.

use std::sync::{Arc, OnceLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::{Map, Value};

/// A schema compiled on first use and kept.
#[derive(Debug, Default)]
pub struct SchemaSlot {
    compiled: OnceLock<Result<Arc<Validator>, String>>,
}

impl SchemaSlot {
    /// The compiled validator, if already compiled (cheap; used to avoid a thread hop).
    pub fn get(&self) -> Option<&Result<Arc<Validator>, String>> {
        self.compiled.get()
    }

    /// Compiles `schema` once; concurrent callers wait for the first compile.
    pub fn get_or_compile(&self, schema: &Value) -> Result<Arc<Validator>, String> {
        self.compiled
            .get_or_init(|| compile(schema).map(Arc::new))
            .clone()
    }
}

/// A violation: where (a JSON pointer under the caller's base) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub pointer: String,
    pub message: String,
}

/// Compiles an OpenAPI-flavoured schema as JSON Schema 2020-12.
pub fn compile(schema: &Value) -> Result<Validator, String> {
    let normalized = normalize(schema);
    jsonschema::options()
        .build(&normalized)
        .map_err(|e| format!("at `{}`: {e}", e.schema_path().as_str()))
}

/// The first violation of `instance`, with its pointer prefixed by `base` (e.g. `/requestBody`).
/// `mask` hides instance values in the message, for inputs that carry secrets.
pub fn first_violation(
    validator: &Validator,
    instance: &Value,
    base: &str,
    mask: bool,
) -> Option<Violation> {
    let error = validator.iter_errors(instance).next()?;
    Some(describe(&error, base, mask))
}

fn describe(error: &ValidationError<'_>, base: &str, mask: bool) -> Violation {
    let mut pointer = format!("{base}{}", error.instance_path().as_str());
    // A missing property is reported on its parent object; point at the property itself.
    if let ValidationErrorKind::Required { property } = error.kind()
        && let Some(name) = property.as_str()
    {
        pointer.push('/');
        pointer.push_str(&escape_pointer_token(name));
    }
    let mut message = if mask {
        error.masked().to_string()
    } else {
        error.to_string()
    };
    const MAX_MESSAGE: usize = 500;
    if message.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        message.truncate(cut);
        message.push('…');
    }
    Violation { pointer, message }
}

/// Escapes a JSON pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Keywords whose values are data, not schemas: never rewritten.
const DATA_KEYWORDS: &[&str] = &["enum", "const", "example", "examples", "default"];

fn normalize(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(normalize_object(map)),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        other => other.clone(),
    }
}

fn normalize_object(map: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::with_capacity(map.len());
    for (key, value) in map {
        let value = if DATA_KEYWORDS.contains(&key.as_str()) {
            value.clone()
        } else {
            normalize(value)
        };
        out.insert(key.clone(), value);
    }
    if out.get("nullable") == Some(&Value::Bool(true)) {
        match out.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                out.insert(
                    "type".into(),
                    Value::Array(vec![Value::String(t), Value::String("null".into())]),
                );
            }
            Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => {
                types.push(Value::String("null".into()));
            }
            _ => {}
        }
        if let Some(Value::Array(values)) = out.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Bool(exclusive)) = out.get(flag) {
            let exclusive = *exclusive;
            out.remove(flag);
            if exclusive && let Some(limit) = out.remove(bound) {
                out.insert(flag.into(), limit);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn violation(schema: Value, instance: Value) -> Option<Violation> {
        let validator = compile(&schema).unwrap();
        first_violation(&validator, &instance, "/requestBody", false)
    }

    #[test]
    fn missing_property_points_at_the_property() {
        let schema = json!({"type": "object", "required": ["properties"], "properties": {
            "properties": {"type": "object", "required": ["email"],
                "properties": {"email": {"type": "string"}}}}});
        let v = violation(schema.clone(), json!({"properties": {}})).unwrap();
        assert_eq!(v.pointer, "/requestBody/properties/email");
        assert!(v.message.contains("email"), "{}", v.message);
        let v = violation(schema.clone(), json!({"properties": {"email": 3}})).unwrap();
        assert_eq!(v.pointer, "/requestBody/properties/email");
        assert_eq!(
            violation(schema, json!({"properties": {"email": "a@b"}})),
            None
        );
    }

    #[test]
    fn openapi_nullable_and_exclusive_bounds() {
        let schema = json!({"type": "object", "properties": {
            "a": {"type": "string", "nullable": true},
            "b": {"type": "string", "enum": ["x"], "nullable": true},
            "n": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
            "m": {"type": "number", "maximum": 5, "exclusiveMaximum": false},
            "nullable": {"type": "string"}}});
        assert_eq!(
            violation(schema.clone(), json!({"a": null, "b": null, "m": 5})),
            None
        );
        let v = violation(schema.clone(), json!({"n": 0})).unwrap();
        assert_eq!(v.pointer, "/requestBody/n");
        assert!(violation(schema, json!({"nullable": 1})).is_some());
    }

    #[test]
    fn masked_messages_hide_values() {
        let validator = compile(&json!({"type": "object", "properties": {
            "apiKey": {"type": "integer"}}}))
        .unwrap();
        let v = first_violation(&validator, &json!({"apiKey": "sekret"}), "", true).unwrap();
        assert_eq!(v.pointer, "/apiKey");
        assert!(!v.message.contains("sekret"), "{}", v.message);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let v = violation(json!({"required": ["a/b~c"]}), json!({})).unwrap();
        assert_eq!(v.pointer, "/requestBody/a~1b~0c");
    }
}
