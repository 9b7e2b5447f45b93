//! Reading JSON request bodies whatever their declared `Content-Type`, with pointer errors.

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Parses a body that must be a JSON object. The documented curl examples send JSON without a
/// `Content-Type` header, so the header is ignored. An empty body is an empty object.
pub fn json_object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ApiError::invalid_input(
            "",
            format!("the body must be a JSON object, not {}", kind(&other)),
        )),
        Err(e) => Err(ApiError::invalid_input(
            "",
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

/// A required string member (`pointer` is `/<name>`).
pub fn required_str<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    match map.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) => Err(ApiError::invalid_input(
            &format!("/{name}"),
            format!("`{name}` must not be empty"),
        )),
        Some(other) => Err(ApiError::invalid_input(
            &format!("/{name}"),
            format!("`{name}` must be a string, not {}", kind(other)),
        )),
        None => Err(ApiError::invalid_input(
            &format!("/{name}"),
            format!("`{name}` is required"),
        )),
    }
}

/// An optional string member; `null` counts as absent.
pub fn optional_str<'a>(
    map: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ApiError::invalid_input(
            &format!("/{name}"),
            format!("`{name}` must be a string, not {}", kind(other)),
        )),
    }
}

/// An optional object member; `null` counts as absent.
pub fn optional_object<'a>(
    map: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(other) => Err(ApiError::invalid_input(
            &format!("/{name}"),
            format!("`{name}` must be an object, not {}", kind(other)),
        )),
    }
}

/// The JSON type name of a value, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert!(json_object(&Bytes::from_static(b"  ")).unwrap().is_empty());
        let e = json_object(&Bytes::from_static(b"[1]")).unwrap_err();
        assert_eq!(e.details["pointer"], "");
        let map = json_object(&Bytes::from_static(br#"{"a":"x","b":2}"#)).unwrap();
        assert_eq!(required_str(&map, "a").unwrap(), "x");
        assert_eq!(
            required_str(&map, "b").unwrap_err().details["pointer"],
            "/b"
        );
        assert_eq!(
            required_str(&map, "c").unwrap_err().details["pointer"],
            "/c"
        );
        assert_eq!(optional_str(&map, "c").unwrap(), None);
    }
}
