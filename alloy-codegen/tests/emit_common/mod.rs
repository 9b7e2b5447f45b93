//! Helpers shared by the emit tests: fixture loading and writing generated crates to a
//! standalone Cargo workspace.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use alloy_codegen::{GenerateOptions, Generated};
use alloy_model::Catalog;

/// `/work/main` (the repository root), from this crate's manifest dir.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("alloy-codegen lives in the repository root")
        .to_path_buf()
}

/// A fixture catalog under `fixtures/catalogs/`.
pub fn fixture(name: &str) -> Catalog {
    let dir = repo_root().join("fixtures/catalogs").join(name);
    Catalog::load(&dir).unwrap_or_else(|e| panic!("cannot load fixture {}: {e}", dir.display()))
}

/// A small catalog of this crate's own under `tests/fixtures/catalogs/`, for one naming rule.
pub fn codegen_fixture(name: &str) -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/catalogs")
        .join(name);
    Catalog::load(&dir).unwrap_or_else(|e| panic!("cannot load fixture {}: {e}", dir.display()))
}

/// The real-world corpus, if present.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalogs");
    dir.is_dir().then_some(dir)
}

/// Options whose runtime dependency is this checkout's `alloy-runtime`, by absolute path.
pub fn absolute_runtime_options() -> GenerateOptions {
    let runtime = repo_root().join("alloy-runtime");
    GenerateOptions::new(format!("{{ path = {:?} }}", runtime.display().to_string()))
}

/// Writes every crate under `dir/<crate dir>/` plus a workspace `Cargo.toml` listing them.
pub fn write_workspace(generated: &Generated, dir: &Path) {
    write_workspace_with(generated, dir, &[]);
}

/// Like [`write_workspace`], listing `extra` member folders (already written) too.
pub fn write_workspace_with(generated: &Generated, dir: &Path, extra: &[&str]) {
    let mut members = Vec::new();
    for krate in &generated.crates {
        let root = dir.join(&krate.dir);
        for (path, text) in &krate.files {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().expect("files have a parent")).expect("mkdir");
            std::fs::write(&file, text).expect("write generated file");
        }
        members.push(format!("{:?}", krate.dir));
    }
    members.extend(extra.iter().map(|m| format!("{m:?}")));
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write workspace manifest");
    // Start from this repository's lock file, so dependencies resolve to the versions already
    // built and downloaded (cargo drops what the generated crates do not use).
    let _ = std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock"));
}

/// The persistent build folder of the generated test workspaces, inside this workspace's
/// target dir, so only the first run builds the dependencies.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("emit-fixture-crates")
}

pub fn cargo(workspace: &Path, args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args(args)
        .arg("--offline")
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_MAKEFLAGS")
        .output()
        .expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // The generated workspaces build offline from this repository's downloads; alone,
    // `cargo test -p alloy-codegen` does not download what only they use (alloy-mock's).
    let hint = if text.contains("--offline was specified") {
        "\nhint: run `cargo fetch` in the repository first (`cargo test --workspace` does)\n"
    } else {
        ""
    };
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{text}{hint}"
    );
    text
}

/// Sums `N passed` over every `test result:` line.
pub fn tests_passed(output: &str) -> usize {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(" passed").next()?.trim().parse::<usize>().ok())
        .sum()
}
