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

#[cfg(test)]
mod tests {
    use super::*;

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
