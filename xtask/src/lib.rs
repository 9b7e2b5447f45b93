//! `cargo xtask`: fetch the Connectivity API catalog, regenerate the bindings, check for drift.
//!
//! Interfaces (kept exactly as in DESIGN.md, other tools rely on them):
//! - `cargo xtask regenerate` — offline: `catalog/` → `generated/`.
//! - `cargo xtask regenerate --catalog DIR --out DIR` — any snapshot to any folder.
//! - `cargo xtask regenerate --fetch [--api-url URL] [--connector ID]...` — fetch, then generate.
//! - `cargo xtask regenerate --check` — exit 1 naming stale files.
//! - `cargo xtask fetch --api-url URL --out DIR [--connector ID]...` — fetch only.
//! - `cargo xtask bench` — run the benchmarks, each figure beside its baseline.

pub mod bench;
pub mod drift;
#[cfg(feature = "fetch")]
pub mod fetch;
mod pins;
#[cfg(feature = "fetch")]
mod progress;
pub mod regenerate;
pub mod stages;
pub mod write;

use std::path::PathBuf;

use clap::Args;

/// Where to fetch from and what.
#[derive(Debug, Clone, Args)]
pub struct FetchSource {
    /// Base URL of the Connectivity API (or of an alloy-mock).
    #[arg(
        long,
        env = "ALLOY_API_URL",
        default_value = "https://production.runalloy.com"
    )]
    pub api_url: String,
    /// Fetch only this connector (repeatable); the snapshot's other connectors are kept.
    #[arg(long = "connector", value_name = "ID")]
    pub connectors: Vec<String>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Write the drift report (changes against the previous snapshot) to this Markdown file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Exit with status 2 when the drift report has breaking changes.
    #[arg(long)]
    pub deny_breaking: bool,
}

/// The workspace root: the nearest folder at or above the running package's manifest whose
/// `Cargo.toml` has a `[workspace]` table.
///
/// `cargo xtask` (like any `cargo run` or `cargo test`) tells the process where its package
/// is, which stays right when the checkout was moved after the build; the path compiled in is
/// the fallback for a binary started directly.
pub fn repo_root() -> PathBuf {
    let compiled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .unwrap_or_else(|| compiled.clone());
    [start, compiled.clone()]
        .iter()
        .find_map(|dir| dir.ancestors().find(|d| is_workspace_root(d)))
        .map(PathBuf::from)
        .unwrap_or_else(|| compiled.parent().map(PathBuf::from).unwrap_or(compiled))
}

fn is_workspace_root(dir: &std::path::Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn repo_root_is_the_workspace_with_the_catalog() {
        let root = super::repo_root();
        assert!(super::is_workspace_root(&root), "{}", root.display());
        assert!(root.join("catalog").is_dir(), "{}", root.display());
        assert!(
            root.join("xtask/Cargo.toml").is_file(),
            "{}",
            root.display()
        );
    }
}
