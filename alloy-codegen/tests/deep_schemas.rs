//! Schemas and samples nested as deep as the loader accepts generate, on the generator's own
//! threads: deep nesting used to overflow their stack and abort the whole process, naming no
//! file. Deeper than the type space follows, a schema part becomes `serde_json::Value` with a
//! warning naming the connector, the action and the JSON pointer.

use std::path::Path;

use alloy_codegen::{GenerateOptions, generate};
use alloy_model::Catalog;
use serde_json::{Value, json};

fn nest(levels: usize, wrap: impl Fn(Value) -> Value) -> Value {
    (0..levels).fold(json!({"type": "string"}), |inner, _| wrap(inner))
}

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, value.to_string()).unwrap();
}

#[test]
fn nesting_as_deep_as_the_loader_accepts_generates() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("acme");
    write(
        &root.join("connector.json"),
        &json!({"id": "acme", "name": "Acme"}),
    );
    write(
        &root.join("credentials-metadata.json"),
        &json!({"metadata": []}),
    );
    // serde_json refuses documents nested deeper than 128 levels: `items` costs one level per
    // step, `additionalProperties` two, and a sample array one.
    let items = nest(120, |inner| json!({"type": "array", "items": inner}));
    let maps = nest(
        60,
        |inner| json!({"type": "object", "additionalProperties": inner}),
    );
    let sample = (0..120).fold(json!("leaf"), |inner, _| json!([inner]));
    let actions = [
        (
            "deepItems",
            json!({"type": "object", "properties": {"a": items}}),
            Value::Null,
        ),
        (
            "deepMaps",
            json!({"type": "object", "properties": {"a": maps}}),
            Value::Null,
        ),
        ("deepSample", Value::Null, sample),
    ];
    let mut listed = Vec::new();
    for (id, body, sample) in actions {
        let mut action = json!({"id": id, "httpMethod": "post", "path": format!("/{id}")});
        if !body.is_null() {
            action["requestBody"] = body;
        }
        if !sample.is_null() {
            action["sampleSuccessResponse"] = sample;
        }
        write(
            &root.join(format!("actions/{id}.json")),
            &json!({"action": action}),
        );
        listed.push(json!({"id": id, "name": id}));
    }
    write(
        &root.join("resources.json"),
        &json!({"resources": [{"name": "things", "actions": listed}]}),
    );

    let catalog = Catalog::load(dir.path()).expect("the loader accepts these depths");
    let generated = generate(&catalog, &GenerateOptions::new("{ path = \"../runtime\" }"))
        .expect("deep schemas generate instead of aborting");
    let acme = &generated.crates[0];
    assert_eq!(acme.actions, 3);
    let warnings: Vec<String> = acme.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("deepItems") && w.contains("/items/items") && w.contains("deeper")),
        "{warnings:#?}"
    );
    let types = acme.files["src/types.rs"].replace(char::is_whitespace, "");
    assert!(
        types.contains(&"::std::vec::Vec<".repeat(60)),
        "the nesting is kept"
    );
}
