//! Loads the real-world corpus in ../shared/catalogs, when it is there.

use std::path::PathBuf;

use alloy_model::{Catalog, LoadOptions};

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalogs");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

#[test]
fn loads_every_connector_of_the_corpus() {
    let Some(dir) = corpus() else { return };
    let catalog = Catalog::load_with(&dir, &LoadOptions::default().keep_raw(true)).unwrap();
    assert_eq!(catalog.connectors.len(), 13);
    assert_eq!(catalog.action_count(), 4742);
    for (id, c) in &catalog.connectors {
        let raw = c.raw.as_ref().unwrap();
        assert_eq!(raw.actions.len(), c.actions.len(), "{id}");
        // Every action a resource lists exists.
        for r in &c.resources.resources {
            for a in &r.actions {
                assert!(c.actions.contains_key(a.id()), "{id}: {}", a.id());
            }
        }
        assert!(!c.credentials.metadata.is_empty(), "{id}");
    }
}
