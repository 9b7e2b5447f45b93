//! The fixture crates build with warnings denied, their docs build with rustdoc warnings
//! denied, and their generated tests (sample round trips) and doctests (the crate example and
//! one example per action, compiled but not run) pass.
//!
//! The crates are written to a temporary workspace whose crates depend on this checkout's
//! `alloy-runtime` by absolute path; builds go to a persistent target folder inside this
//! workspace's target dir (`CARGO_TARGET_TMPDIR`), so only the first run compiles the
//! dependencies.

mod emit_common;

use std::path::Path;

use alloy_codegen::generate;

/// A crate whose tests drive the generated `alloy-nasty` against `alloy-mock` over loopback
/// (`tests/emit_behaviour/wire.rs`).
fn write_behaviour_crate(workspace: &Path) {
    let root = emit_common::repo_root();
    let dir = workspace.join("emit-behaviour");
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::create_dir_all(dir.join("tests")).expect("mkdir");
    let manifest = format!(
        "[package]\nname = \"emit-behaviour\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dev-dependencies]\nalloy-nasty = {{ path = \"../nasty\" }}\n\
         alloy-runtime = {{ path = {runtime:?} }}\nalloy-mock = {{ path = {mock:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         serde_json = \"1\"\nserde_path_to_error = \"0.1\"\n",
        runtime = root.join("alloy-runtime").display().to_string(),
        mock = root.join("alloy-mock").display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write manifest");
    std::fs::write(
        dir.join("src/lib.rs"),
        "//! Behaviour tests of generated crates (see `tests/`).\n",
    )
    .expect("write lib");
    let fixture = root.join("fixtures/catalogs/nasty").display().to_string();
    let test = include_str!("emit_behaviour/wire.rs")
        .replace("env!(\"NASTY_FIXTURE_DIR\")", &format!("{fixture:?}"));
    std::fs::write(dir.join("tests/wire.rs"), test).expect("write test");
}

#[test]
fn fixture_crates_build_document_and_pass_their_tests() {
    let workspace = tempfile::tempdir().expect("temp dir");
    let mut expected_samples = 0;
    let mut examples = 0;
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
            examples += krate
                .files
                .iter()
                .filter(|(path, _)| path.starts_with("src/"))
                .map(|(_, text)| text.matches("/// ```no_run").count())
                .sum::<usize>();
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
    assert!(
        crates.iter().any(|c| c.package == "alloy-nasty"),
        "the behaviour tests drive alloy-nasty"
    );
    write_behaviour_crate(workspace.path());
    emit_common::write_workspace_with(
        &alloy_codegen::Generated { crates },
        workspace.path(),
        &["emit-behaviour"],
    );

    let test_output = emit_common::cargo(
        workspace.path(),
        &["test", "--workspace", "--test", "samples"],
    );
    let passed = emit_common::tests_passed(&test_output);
    assert!(
        expected_samples > 5,
        "the fixtures should have typed samples"
    );
    assert_eq!(
        passed, expected_samples,
        "sample tests that passed:\n{test_output}"
    );

    let wire = emit_common::cargo(
        workspace.path(),
        &["test", "-p", "emit-behaviour", "--test", "wire"],
    );
    assert_eq!(
        emit_common::tests_passed(&wire),
        3,
        "behaviour tests against alloy-mock:\n{wire}"
    );

    // Everything else: unit tests and the examples (doctests: the crate example and one per
    // action, compiled and not run).
    let all = emit_common::cargo(workspace.path(), &["test", "--workspace"]);
    assert!(examples > 10, "every action should document an example");
    assert!(
        emit_common::tests_passed(&all) >= passed + examples,
        "{examples} examples expected to compile:\n{all}"
    );
    emit_common::cargo(workspace.path(), &["doc", "--workspace", "--no-deps"]);
    // The code behind the feature that makes request types deserializable.
    emit_common::cargo(
        workspace.path(),
        &["check", "--workspace", "--all-features", "--tests"],
    );
}
