//! Where the repository's test inputs live.

use std::path::{Path, PathBuf};

/// The workspace root (this crate lives one level below it).
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The checked-in sample snapshot, `catalog/`.
pub fn sample_catalog() -> PathBuf {
    repo_root().join("catalog")
}

/// The checked-in generated crates, `generated/`.
pub fn generated_dir() -> PathBuf {
    repo_root().join("generated")
}

/// The real-world corpus beside the repository (`../shared/catalogs`), when it is present.
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/catalogs"
    ));
    dir.is_dir().then(|| dir.to_path_buf())
}
