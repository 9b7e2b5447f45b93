//! Wrappers for the two secrets the client handles, so neither can reach a log by accident.
//!
//! Both types redact themselves in `Debug` and `Display`; the only ways to the secret are the
//! explicitly named `expose_secret` and serialization into a request body.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::JsonMap;

const REDACTED: &str = "<redacted>";

/// The Alloy API key. Sent as `Authorization: Bearer <key>`; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key as issued by the Alloy dashboard.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself. Named so that every use is easy to find in review.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self(key.to_owned())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({REDACTED})")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A credential's `data` object (API keys, passwords, tokens, connector inputs such as a
/// subdomain).
///
/// Serializes as the plain JSON object it holds, because it has to reach the API; `Debug` shows
/// only the field names.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretData(JsonMap);

impl SecretData {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces one field; chainable.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// Adds or replaces one field.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        self.0.insert(name.into(), value.into());
    }

    /// The field names, which are not secret (they come from the connector's schema).
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The object itself.
    pub fn expose_secret(&self) -> &JsonMap {
        &self.0
    }
}

impl From<JsonMap> for SecretData {
    fn from(map: JsonMap) -> Self {
        Self(map)
    }
}

impl fmt::Debug for SecretData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for key in self.0.keys() {
            map.entry(key, &format_args!("{REDACTED}"));
        }
        map.finish()
    }
}

impl fmt::Display for SecretData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{} field(s) {REDACTED}}}", self.0.len())
    }
}

/// Values a request sent that must never come back in an error or a log line: the API key,
/// credential data, header values an execute call forwards. A server may echo its request in
/// an error message or a malformed answer; every body that becomes an error is passed through
/// [`Secrets::redact`] first, so the echo shows `<redacted>` instead.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    /// Each secret as sent and as it appears inside a JSON string, longest first (a secret
    /// that contains another is replaced whole).
    needles: Vec<Vec<u8>>,
}

impl Secrets {
    /// Adds one secret value (empty values are ignored: there is nothing to find).
    pub fn add(&mut self, secret: &str) {
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped
            .strip_prefix('"')
            .and_then(|e| e.strip_suffix('"'))
            .unwrap_or_default();
        for needle in [secret, escaped] {
            self.insert(needle.as_bytes());
        }
    }

    /// Adds every string and number inside a credential's `data`.
    pub fn add_data(&mut self, data: &SecretData) {
        self.add_values(data.0.values());
    }

    /// Adds every string and number inside `values`, at any depth; booleans and `null` are
    /// no secret (and redacting every `true` would garble the message).
    pub fn add_values<'v>(&mut self, values: impl IntoIterator<Item = &'v Value>) {
        let mut stack: Vec<&Value> = values.into_iter().collect();
        while let Some(value) = stack.pop() {
            match value {
                Value::String(s) => self.add(s),
                Value::Number(n) => self.add(&n.to_string()),
                Value::Array(items) => stack.extend(items),
                Value::Object(map) => stack.extend(map.values()),
                Value::Bool(_) | Value::Null => {}
            }
        }
    }

    /// These secrets and `other`'s.
    pub fn with(&self, other: &Secrets) -> Secrets {
        let mut all = self.clone();
        for needle in &other.needles {
            all.insert(needle);
        }
        all
    }

    /// Adds one needle, keeping them distinct and longest first (a secret that contains
    /// another is replaced whole).
    fn insert(&mut self, needle: &[u8]) {
        if needle.is_empty() || self.needles.iter().any(|n| n == needle) {
            return;
        }
        let longest_first = |a: &[u8]| needle.len().cmp(&a.len()).then(a.cmp(needle));
        let at = self
            .needles
            .partition_point(|n| longest_first(n) == std::cmp::Ordering::Less);
        self.needles.insert(at, needle.to_vec());
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `body` with every occurrence of a secret replaced by `<redacted>`.
    pub fn redact(&self, body: &[u8]) -> Vec<u8> {
        let mut text = body.to_vec();
        for needle in &self.needles {
            if text.len() < needle.len() {
                continue;
            }
            let mut out = Vec::with_capacity(text.len());
            let mut i = 0;
            while i < text.len() {
                if text[i..].starts_with(needle) {
                    out.extend_from_slice(REDACTED.as_bytes());
                    i += needle.len();
                } else {
                    out.push(text[i]);
                    i += 1;
                }
            }
            text = out;
        }
        text
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} value(s) {REDACTED})", self.needles.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_finds_raw_and_json_escaped_secrets_longest_first() {
        let mut secrets = Secrets::default();
        secrets.add_data(
            &SecretData::new()
                .with("apiKey", "sk_live_1")
                .with("password", "p\"w/q")
                .with("pin", 424242)
                .with("nested", serde_json::json!({"token": "sk_live_123"})),
        );
        secrets.add("");
        let body = br#"{"echo":{"apiKey":"sk_live_1","token":"sk_live_123","password":"p\"w/q","pin":424242}}"#;
        let text = String::from_utf8(secrets.redact(body)).unwrap();
        assert_eq!(
            text,
            r#"{"echo":{"apiKey":"<redacted>","token":"<redacted>","password":"<redacted>","pin":<redacted>}}"#
        );
        assert!(!format!("{secrets:?}").contains("sk_live"));
        assert_eq!(Secrets::default().redact(b"as is"), b"as is");
    }

    #[test]
    fn formatting_never_shows_the_secret() {
        let key = ApiKey::new("sk_live_abc123");
        assert!(!format!("{key:?} {key}").contains("abc123"));
        assert_eq!(key.expose_secret(), "sk_live_abc123");

        let data = SecretData::new()
            .with("apiKey", "hunter2")
            .with("subdomain", "acme");
        let shown = format!("{data:?} {data} {data:#?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("acme"),
            "{shown}"
        );
        assert!(shown.contains("apiKey"));
    }

    #[test]
    fn data_serializes_as_the_plain_object() {
        let data = SecretData::new().with("apiKey", "k");
        assert_eq!(
            serde_json::to_value(&data).unwrap(),
            serde_json::json!({"apiKey": "k"})
        );
    }
}
