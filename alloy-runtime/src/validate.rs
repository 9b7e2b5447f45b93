//! Checks a request body against a JSON Schema the API published, before sending it.
//!
//! Messages name the field (`data.apiKey`) and the rule, never the value: the body being
//! checked holds credential secrets.

use std::fmt;

use serde_json::Value;

use crate::Error;

/// One reason an input was rejected before anything was sent: which field, and what is wrong
/// with it (never its value, which may be a secret). `Display` reads
/// ``missing required field `data.apiKey` `` or ``field `data.port`: value is not of type "integer"``.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The field, dotted from the root of what was checked (`data.apiKey`); `None` for the
    /// input as a whole. A form shows the message next to this field.
    pub field: Option<String>,
    /// Whether the field is required and missing.
    pub missing: bool,
    /// What is wrong, without the field's name (empty when `missing`).
    pub message: String,
}

impl Problem {
    /// A problem of the input as a whole.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            field: None,
            missing: false,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.field, self.missing) {
            (Some(field), true) => write!(f, "missing required field `{field}`"),
            (Some(field), false) => write!(f, "field `{field}`: {}", self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Self::new(message)
    }
}

/// Validates `instance` against `schema`.
///
/// A schema that does not compile is the server's problem, not the caller's: it is logged and
/// the body is sent unchecked, so the API's own validation decides.
pub(crate) fn check(schema: &Value, instance: &Value, what: &str) -> Result<(), Error> {
    let validator = match jsonschema::validator_for(schema) {
        Ok(validator) => validator,
        Err(e) => {
            tracing::warn!(what, error = %e.masked(), "published schema does not compile; not checking input");
            return Ok(());
        }
    };
    let problems: Vec<Problem> = validator.iter_errors(instance).map(describe).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation {
            what: what.to_owned(),
            problems,
        })
    }
}

fn describe(error: jsonschema::ValidationError<'_>) -> Problem {
    let at = dotted(&error.instance_path().to_string());
    if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind() {
        let name = property
            .as_str()
            .map_or_else(|| property.to_string(), str::to_owned);
        let field = if at.is_empty() {
            name
        } else {
            format!("{at}.{name}")
        };
        return Problem {
            field: Some(field),
            missing: true,
            message: String::new(),
        };
    }
    let rule = error.masked_with("value").to_string();
    if at.is_empty() {
        Problem::new(format!("body: {rule}"))
    } else {
        Problem {
            field: Some(at),
            missing: false,
            message: rule,
        }
    }
}

/// `/data/apiKey` → `data.apiKey`, unescaping JSON Pointer's `~1` and `~0`.
fn dotted(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Value {
        json!({"type": "object", "required": ["userId", "data"], "properties": {
            "userId": {"type": "string"},
            "data": {"type": "object", "required": ["apiKey", "subdomain"], "properties": {
                "apiKey": {"type": "string"}, "subdomain": {"type": "string", "maxLength": 4}}}}})
    }

    #[test]
    fn missing_fields_are_named_and_values_never_shown() {
        let body = json!({"userId": "u1", "data": {"subdomain": "secret-subdomain"}});
        let err = check(&schema(), &body, "credential input").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("missing required field `data.apiKey`"),
            "{text}"
        );
        assert!(text.contains("field `data.subdomain`"), "{text}");
        assert!(!text.contains("secret-subdomain"), "{text}");
        // A form can put each message next to its field.
        let Error::Validation { problems, .. } = err else {
            panic!("{err:?}")
        };
        let fields: Vec<_> = problems
            .iter()
            .map(|p| (p.field.as_deref(), p.missing))
            .collect();
        assert!(fields.contains(&(Some("data.apiKey"), true)), "{fields:?}");
        assert!(
            fields.contains(&(Some("data.subdomain"), false)),
            "{fields:?}"
        );
        assert!(
            check(
                &schema(),
                &json!({"userId": "u", "data": {"apiKey": "k", "subdomain": "ab"}}),
                "x"
            )
            .is_ok()
        );
    }

    #[test]
    fn a_broken_schema_does_not_block_the_call() {
        assert!(check(&json!({"type": 12}), &json!({}), "x").is_ok());
    }

    #[test]
    fn pointer_to_dotted() {
        assert_eq!(dotted(""), "");
        assert_eq!(dotted("/data/a~1b/0"), "data.a/b.0");
    }
}
