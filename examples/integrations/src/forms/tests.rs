//! Forms built from schemas and read back.

use serde_json::json;

use super::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn credential_forms_name_fields_as_validation_problems_do() {
    let schema = json!({"properties": {"data": {"type": "object", "required": ["apiKey"],
        "properties": {"environment": {"enum": ["production", "sandbox"], "default": "production"},
                       "apiKey": {"type": "string", "description": "The key."}}}}});
    let mut form = Form::for_credential(&schema);
    let fields: Vec<_> = form
        .fields()
        .map(|f| (f.name.as_str(), f.required, f.kind.clone()))
        .collect();
    assert_eq!(
        fields,
        [
            ("data.apiKey", true, Kind::Secret),
            (
                "data.environment",
                false,
                Kind::Select(vec!["production".into(), "sandbox".into()])
            ),
        ]
    );
    assert_eq!(form.fields().nth(1).unwrap().value, "production");
    let read = form
        .read(&pairs(&[
            ("data.apiKey", "k-1"),
            ("data.environment", "sandbox"),
        ]))
        .unwrap();
    assert_eq!(
        read.body,
        Some(json!({"apiKey": "k-1", "environment": "sandbox"}))
    );
    // A secret is never put back into the page.
    assert_eq!(form.fields().next().unwrap().value, "");
    assert!(form.set_error("data.apiKey", "required"));
    assert!(!form.set_error("data.nothing", "required"));
}

#[test]
fn nested_objects_are_fieldsets_and_values_are_typed() {
    let schema = json!({"type": "object", "required": ["properties"], "properties": {
        "properties": {"type": "object", "properties": {
            "email": {"type": "string"}, "age": {"type": "integer"}, "score": {"type": "number"},
            "vip": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}},
            "filters": {"type": "array", "items": {"type": "object"}}}}}});
    let action: Action = serde_json::from_value(json!({
        "id": "a", "httpMethod": "post", "path": "/x/{id}",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                       {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
        "requestBody": schema}))
    .unwrap();
    let mut form = Form::for_action(&action);
    assert!(form.items.contains(&Item::Open {
        legend: "Properties".into(),
        required: true
    }));
    let read = form
        .read(&pairs(&[
            ("param.id", "c-9"),
            ("param.limit", "5"),
            ("body.properties.email", "a@b.c"),
            ("body.properties.age", "41"),
            ("body.properties.score", ""),
            ("body.properties.vip", "on"),
            ("body.properties.tags", "a, b,"),
            ("body.properties.filters", "[{\"x\": 1}]"),
        ]))
        .unwrap();
    assert_eq!(read.path["id"], json!("c-9"));
    assert_eq!(read.query["limit"], json!(5));
    assert_eq!(
        read.body,
        Some(
            json!({"properties": {"email": "a@b.c", "age": 41, "vip": true,
            "tags": ["a", "b"], "filters": [{"x": 1}]}})
        )
    );
    // Values that do not parse are named next to their fields, and kept for the page.
    assert!(
        form.read(&pairs(&[("body.properties.age", "forty")]))
            .is_err()
    );
    let age = form
        .fields()
        .find(|f| f.name == "body.properties.age")
        .unwrap();
    assert_eq!(age.error.as_deref(), Some("must be a whole number"));
    assert_eq!(age.value, "forty");
}

#[test]
fn labels_read_like_words() {
    assert_eq!(label("firstName"), "First name");
    assert_eq!(label("api_key"), "API key");
    assert_eq!(label("URL"), "URL");
    assert_eq!(label("customerId"), "Customer ID");
    assert_eq!(
        title_or_label(&json!({"title": "E-mail"}), "email"),
        "E-mail"
    );
}
