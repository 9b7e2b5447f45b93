//! Generation over every connector of the real-world corpus (`../shared/catalogs`, skipped
//! with a notice when absent): it succeeds, every Rust file parses, and the figures per
//! connector are printed (run with `--nocapture` to see them).
//!
//! Building all corpus crates with warnings denied takes far longer than CI allows; run
//! `cargo run -p alloy-codegen --release --example check_corpus -- --tests` for that. Here
//! only two small connectors are built.

mod emit_common;

use alloy_codegen::{GenerateOptions, generate};
use alloy_model::Catalog;

#[test]
fn corpus_generates_and_every_file_parses() {
    let Some(dir) = emit_common::corpus_dir() else {
        eprintln!("skipped: corpus not found at ../shared/catalogs");
        return;
    };
    let catalog = Catalog::load(&dir).expect("corpus loads");
    let generated = generate(
        &catalog,
        &GenerateOptions::new(r#"{ path = "../../alloy-runtime" }"#),
    )
    .expect("the whole corpus generates");
    assert_eq!(generated.crates.len(), catalog.connectors.len());
    assert_eq!(generated.action_count(), catalog.action_count());
    println!(
        "{:<10} {:>7} {:>7} {:>9} {:>9} {:>11} {:>8}",
        "connector", "actions", "types", "coverage", "warnings", "bytes", "samples"
    );
    for krate in &generated.crates {
        for (path, text) in &krate.files {
            if path.ends_with(".rs") {
                syn::parse_file(text)
                    .unwrap_or_else(|e| panic!("{}/{path} does not parse: {e}", krate.dir));
            }
        }
        let samples = krate
            .files
            .get("tests/samples.rs")
            .map_or(0, |t| t.matches("#[test]").count());
        println!(
            "{:<10} {:>7} {:>7} {:>8.1}% {:>9} {:>11} {:>8}",
            krate.connector.as_str(),
            krate.actions,
            krate.types,
            krate.coverage.ratio() * 100.0,
            krate.warnings.len(),
            krate.byte_count(),
            samples
        );
    }
    println!(
        "total: {} actions, {} bytes",
        generated.action_count(),
        generated.byte_count()
    );
}

/// Two small corpus connectors (90 actions) build with warnings denied and their sample
/// round trips pass. It shares the build folder of `emit_compile`, which runs first and
/// builds the dependencies, so this adds about 30 s on two cores.
#[test]
fn small_corpus_crates_build_and_pass_their_tests() {
    let Some(dir) = emit_common::corpus_dir() else {
        eprintln!("skipped: corpus not found at ../shared/catalogs");
        return;
    };
    let only = ["notion", "shippo"].map(alloy_model::ConnectorId::from);
    let catalog = Catalog::load_with(&dir, &alloy_model::LoadOptions::default().only(only))
        .expect("corpus loads");
    let generated = generate(&catalog, &emit_common::absolute_runtime_options()).expect("generate");
    let expected: usize = generated
        .crates
        .iter()
        .filter_map(|c| c.files.get("tests/samples.rs"))
        .map(|t| t.matches("#[test]").count())
        .sum();
    let workspace = tempfile::tempdir().expect("temp dir");
    emit_common::write_workspace(&generated, workspace.path());
    let output = emit_common::cargo(
        workspace.path(),
        &["test", "--workspace", "--test", "samples"],
    );
    assert_eq!(emit_common::tests_passed(&output), expected, "{output}");
    assert!(expected > 50, "notion and shippo have typed samples");
}
