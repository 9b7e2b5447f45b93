//! `generated/` is what `catalog/` gives (stale bindings fail `cargo test`), and an `--out`
//! outside the repository is a standalone workspace that builds.

use std::path::Path;
use std::process::Command;

mod common;

use common::copy_tree;
use xtask::regenerate::{OutputOptions, generate_into, generate_with};
use xtask::repo_root;
use xtask::stages::Stages;
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

fn check_builds(workspace: &Path) {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("emit-fixture-crates");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--workspace", "--manifest-path"])
        .arg(workspace.join("Cargo.toml"))
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

/// A standalone workspace next to the project reaches the runtime by a relative path, so it
/// still builds after it is moved (again next to the project); its headers name the catalog
/// it came from. Builds share the emit tests' target folder so dependencies compile once.
#[test]
fn out_of_repo_output_is_a_portable_standalone_workspace_that_builds() {
    let root = repo_root();
    let beside = root.parent().unwrap();
    let first = tempfile::Builder::new()
        .prefix(".alloy-out-test-")
        .tempdir_in(beside)
        .unwrap();
    generate_into(&root.join("catalog"), first.path(), Mode::Write).unwrap();
    let manifest = std::fs::read_to_string(first.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[workspace]"), "{manifest}");
    let crate_manifest = std::fs::read_to_string(first.path().join("hubspot/Cargo.toml")).unwrap();
    let name = root.canonicalize().unwrap();
    let name = name.file_name().unwrap().to_string_lossy();
    let expected = format!("alloy-runtime = {{ path = \"../../{name}/alloy-runtime\" }}");
    assert!(crate_manifest.contains(&expected), "{crate_manifest}");
    assert!(
        crate_manifest.starts_with("# Generated by `cargo xtask regenerate` from catalog/hubspot."),
        "{crate_manifest}"
    );

    let moved = tempfile::Builder::new()
        .prefix(".alloy-out-moved-")
        .tempdir_in(beside)
        .unwrap();
    std::fs::remove_dir(moved.path()).unwrap();
    std::fs::rename(first.path(), moved.path()).unwrap();
    check_builds(moved.path());
}

#[test]
fn runtime_dependency_replaces_the_path_and_is_checked() {
    let root = repo_root();
    let out = tempfile::tempdir().unwrap();
    let runtime = root.join("alloy-runtime").canonicalize().unwrap();
    let value = format!("{{ path = {:?} }}", runtime.display().to_string());
    let options = OutputOptions {
        runtime_dependency: Some(value.clone()),
        catalog_label: None,
    };
    generate_with(
        &root.join("catalog"),
        out.path(),
        Mode::Write,
        &options,
        &Stages::quiet(),
    )
    .unwrap();
    let crate_manifest = std::fs::read_to_string(out.path().join("shippo/Cargo.toml")).unwrap();
    assert!(
        crate_manifest.contains(&format!("alloy-runtime = {value}")),
        "{crate_manifest}"
    );
    check_builds(out.path());

    let bad = OutputOptions {
        runtime_dependency: Some("{ path = ".into()),
        catalog_label: None,
    };
    let empty = tempfile::tempdir().unwrap();
    let err = generate_with(
        &root.join("catalog"),
        empty.path(),
        Mode::Write,
        &bad,
        &Stages::quiet(),
    )
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("--runtime-dependency"),
        "{err:#}"
    );
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

/// The headers name the catalog that was read, relative to the repository.
#[test]
fn headers_name_the_catalog_that_was_read() {
    let root = repo_root();
    let parent = tempfile::tempdir_in(root.join("target")).unwrap();
    let catalog = parent.path().join("elsewhere");
    copy_tree(&root.join("catalog/shippo"), &catalog.join("shippo"));
    let out = tempfile::tempdir().unwrap();
    generate_into(&catalog, out.path(), Mode::Write).unwrap();
    let lib = std::fs::read_to_string(out.path().join("shippo/src/lib.rs")).unwrap();
    let rel = parent
        .path()
        .strip_prefix(&root)
        .unwrap()
        .join("elsewhere/shippo");
    let first = lib.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "// Generated by `cargo xtask regenerate` from {}. Do not edit.",
            rel.display()
        )
    );
}

/// `paging-overrides.json` beside the catalog turns paging off for an action the detector
/// finds, adds it for one it misses, and a mistake in it names the file and the JSON path.
#[test]
fn paging_overrides_beside_the_catalog_correct_detection() {
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog");
    copy_tree(&root.join("catalog"), &catalog);
    let overrides = dir.path().join("paging-overrides.json");
    std::fs::write(
        &overrides,
        r#"{
            "hubspot": {"listContacts": null},
            "shippo": {"createAddress": {"style": "pageNumber", "param": "page", "first": 1}}
        }"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    generate_into(&catalog, &out, Mode::Write).unwrap();
    let contacts = std::fs::read_to_string(out.join("hubspot/src/contacts.rs")).unwrap();
    assert!(contacts.contains("pub async fn list_contacts("));
    assert!(!contacts.contains("fn list_contacts_pages("), "turned off");
    let addresses = std::fs::read_to_string(out.join("shippo/src/addresses.rs")).unwrap();
    assert!(addresses.contains("fn create_address_pages("), "added");

    std::fs::write(
        &overrides,
        r#"{"shippo": {"createAddress": {"style": "sideways"}}}"#,
    )
    .unwrap();
    let err = generate_into(&catalog, &out, Mode::Check).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("paging-overrides.json"), "{text}");
    assert!(
        text.contains("shippo") && text.contains("createAddress"),
        "{text}"
    );
}
