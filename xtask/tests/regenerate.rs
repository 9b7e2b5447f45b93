//! `generated/` is what `catalog/` gives (stale bindings fail `cargo test`), and an `--out`
//! outside the repository is a standalone workspace that builds.

use std::path::Path;
use std::process::Command;

use xtask::regenerate::generate_into;
use xtask::repo_root;
use xtask::write::Mode;

#[test]
fn generated_crates_are_up_to_date_with_the_catalog() {
    let root = repo_root();
    let outcome = generate_into(&root.join("catalog"), &root.join("generated"), Mode::Check)
        .expect("generation succeeds");
    assert!(
        !outcome.summary.is_stale(),
        "generated/ is stale: run `cargo xtask regenerate`\nstale: {:?}\nno longer generated: {:?}",
        outcome.summary.written,
        outcome.summary.removed
    );
    assert!(outcome.summary.unchanged > 0);
}

#[test]
fn check_mode_names_stale_and_extra_files_and_writes_nothing() {
    let root = repo_root();
    let out = tempfile::tempdir().unwrap();
    let first = generate_into(&root.join("catalog"), out.path(), Mode::Write).unwrap();
    assert!(first.summary.written.contains(&"Cargo.toml".to_owned()));

    let lib = out.path().join("shippo/src/lib.rs");
    std::fs::write(&lib, "// edited by hand\n").unwrap();
    let stray = out.path().join("shippo/src/stray.rs");
    std::fs::write(&stray, "// not generated\n").unwrap();
    let check = generate_into(&root.join("catalog"), out.path(), Mode::Check).unwrap();
    assert_eq!(check.summary.written, ["shippo/src/lib.rs"]);
    assert_eq!(check.summary.removed, ["shippo/src/stray.rs"]);
    assert_eq!(
        std::fs::read_to_string(&lib).unwrap(),
        "// edited by hand\n"
    );

    let fix = generate_into(&root.join("catalog"), out.path(), Mode::Write).unwrap();
    assert_eq!(fix.summary.written, ["shippo/src/lib.rs"]);
    assert!(!stray.exists());
    let again = generate_into(&root.join("catalog"), out.path(), Mode::Check).unwrap();
    assert!(!again.summary.is_stale());
}

#[test]
fn bad_catalog_is_a_clear_error_and_leaves_output_alone() {
    let catalog = tempfile::tempdir().unwrap();
    let dir = catalog.path().join("acme/actions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        catalog.path().join("acme/connector.json"),
        r#"{"id": "acme"}"#,
    )
    .unwrap();
    std::fs::write(
        catalog.path().join("acme/resources.json"),
        r#"{"resources": []}"#,
    )
    .unwrap();
    std::fs::write(
        catalog.path().join("acme/credentials-metadata.json"),
        r#"{"metadata": []}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("bad.json"),
        r#"{"action": {"id": "bad", "path": "/"}}"#,
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("keep.txt"), "mine").unwrap();
    let err = generate_into(catalog.path(), out.path(), Mode::Write).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("bad.json"), "{text}");
    assert!(text.contains("httpMethod"), "{text}");
    assert_eq!(
        std::fs::read_to_string(out.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

/// Builds the standalone workspace. It shares the emit tests' target folder and flags so the
/// dependencies compile once per checkout.
#[test]
fn out_of_repo_output_is_a_standalone_workspace_that_builds() {
    let root = repo_root();
    let out = tempfile::tempdir().unwrap();
    generate_into(&root.join("catalog"), out.path(), Mode::Write).unwrap();
    let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[workspace]"), "{manifest}");
    let crate_manifest = std::fs::read_to_string(out.path().join("hubspot/Cargo.toml")).unwrap();
    let runtime = root.join("alloy-runtime").canonicalize().unwrap();
    assert!(
        crate_manifest.contains(&runtime.to_string_lossy().to_string()),
        "{crate_manifest}"
    );

    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("emit-fixture-crates");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--workspace", "--manifest-path"])
        .arg(out.path().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_MAKEFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
