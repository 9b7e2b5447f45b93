//! The fixture crates build with warnings denied, their docs build with rustdoc warnings
//! denied, and their generated tests (sample round trips, the crate example) pass.
//!
//! The crates are written to a temporary workspace whose crates depend on this checkout's
//! `alloy-runtime` by absolute path; builds go to a persistent target folder inside this
//! workspace's target dir (`CARGO_TARGET_TMPDIR`), so only the first run compiles the
//! dependencies.

mod emit_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use alloy_codegen::generate;

fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("emit-fixture-crates")
}

fn cargo(workspace: &Path, args: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
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
    assert!(output.status.success(), "cargo {args:?} failed:\n{text}");
    text
}

/// Sums `N passed` over every `test result:` line.
fn tests_passed(output: &str) -> usize {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(" passed").next()?.trim().parse::<usize>().ok())
        .sum()
}

#[test]
fn fixture_crates_build_document_and_pass_their_tests() {
    let workspace = tempfile::tempdir().expect("temp dir");
    let mut expected_samples = 0;
    let mut crates = Vec::new();
    for fixture in ["nasty", "basic"] {
        let generated = generate(
            &emit_common::fixture(fixture),
            &emit_common::absolute_runtime_options(),
        )
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
        for krate in &generated.crates {
            expected_samples += krate
                .files
                .get("tests/samples.rs")
                .map_or(0, |t| t.matches("#[test]").count());
        }
        crates.extend(generated.crates);
    }
    let mut packages: Vec<&str> = crates.iter().map(|c| c.package.as_str()).collect();
    packages.sort_unstable();
    packages.dedup();
    assert_eq!(
        packages.len(),
        crates.len(),
        "the fixtures must not share crate names"
    );
    emit_common::write_workspace(&alloy_codegen::Generated { crates }, workspace.path());

    let test_output = cargo(
        workspace.path(),
        &["test", "--workspace", "--test", "samples"],
    );
    let passed = tests_passed(&test_output);
    assert!(
        expected_samples > 5,
        "the fixtures should have typed samples"
    );
    assert_eq!(
        passed, expected_samples,
        "sample tests that passed:\n{test_output}"
    );

    // Everything else: unit tests and the crate-level examples (doctests).
    let all = cargo(workspace.path(), &["test", "--workspace"]);
    assert!(tests_passed(&all) >= passed, "{all}");
    cargo(workspace.path(), &["doc", "--workspace", "--no-deps"]);
}
