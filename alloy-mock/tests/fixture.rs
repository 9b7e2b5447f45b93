//! The fixture catalog loads and is stored in the snapshot's canonical text.

use std::path::{Path, PathBuf};

use alloy_model::Catalog;
use alloy_model::snapshot::to_canonical_json;

fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/catalogs/basic"
    ))
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn fixture_files_are_canonical_and_load() {
    let mut files = Vec::new();
    json_files(&fixture_dir(), &mut files);
    assert_eq!(files.len(), 20);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            text,
            to_canonical_json(&value),
            "{} is not canonical",
            file.display()
        );
    }
    let catalog = Catalog::load(fixture_dir()).unwrap();
    assert_eq!(catalog.connectors.len(), 3);
    assert_eq!(catalog.action_count(), 11);
    let taskboard = &catalog.connectors["taskboard"];
    let fields = &taskboard.actions["getCardCustomFields"];
    assert_eq!(fields.path_placeholders(), ["idCard"]);
    assert!(fields.parameters.is_empty());
    assert_eq!(
        taskboard.actions["updateCard"].sample_success_response,
        Some(serde_json::Value::Null)
    );
    assert_eq!(
        catalog.connectors["crmhub"].actions["archiveContact"].sample_success_response,
        None
    );
    assert!(
        catalog.connectors["mailbox"]
            .actions
            .contains_key("stats:total")
    );
}
