//! Checks a request body against a JSON Schema the API published, before sending it.
//!
//! Messages name the field (`data.apiKey`) and the rule, never the value: the body being
//! checked holds credential secrets.

use serde_json::Value;

use crate::Error;

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
    let problems: Vec<String> = validator.iter_errors(instance).map(describe).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation {
            what: what.to_owned(),
            problems,
        })
    }
}

fn describe(error: jsonschema::ValidationError<'_>) -> String {
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
        return format!("missing required field `{field}`");
    }
    let rule = error.masked_with("value").to_string();
    if at.is_empty() {
        format!("body: {rule}")
    } else {
        format!("field `{at}`: {rule}")
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
