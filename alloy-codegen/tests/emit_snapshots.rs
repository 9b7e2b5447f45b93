//! Snapshots of the complete crates generated from the fixture catalogs, and the properties
//! every generated file must have (parses, carries the header, same bytes on every run).

mod emit_common;

use alloy_codegen::{GenerateOptions, generate};

/// Fixtures checked for the general properties. Only `nasty` (owned by these tests) is
/// snapshotted: `basic` belongs to the mock's tests and may change for their reasons.
const FIXTURES: &[&str] = &["nasty", "basic"];

fn options() -> GenerateOptions {
    GenerateOptions::new(r#"{ path = "../../alloy-runtime" }"#)
}

/// One snapshot per crate: every file, in path order, behind a `==> path <==` line.
#[test]
fn fixture_crates_match_snapshots() {
    for fixture in ["nasty"] {
        let generated = generate(&emit_common::fixture(fixture), &options())
            .unwrap_or_else(|e| panic!("{fixture}: {e}"));
        for krate in &generated.crates {
            let mut all = String::new();
            for (path, text) in &krate.files {
                all.push_str(&format!("==> {path} <==\n{text}\n"));
            }
            insta::assert_snapshot!(format!("{fixture}__{}", krate.dir), all);
        }
    }
}

/// One snapshot per naming rule (`tests/fixtures/catalogs/<rule>`): the crate's source files
/// only, since the manifest and the sample test say nothing about names.
#[test]
fn naming_rules_match_snapshots() {
    // `entities`: each resource's entity type is named after it (`Customer`, `LineItem`,
    // `Conversation` out of an envelope, `Status`); schema titles name types where they read
    // as names. `maps`: objects keyed by ids, dates, hashes, phone numbers or labels are
    // maps, ordinary members (`address2`, `has_2fa`, sizes) stay structs.
    for rule in ["entities", "maps"] {
        let generated = generate(&emit_common::codegen_fixture(rule), &options())
            .unwrap_or_else(|e| panic!("{rule}: {e}"));
        for krate in &generated.crates {
            let mut all = String::new();
            for (path, text) in krate.files.iter().filter(|(p, _)| p.starts_with("src/")) {
                all.push_str(&format!("==> {path} <==\n{text}\n"));
            }
            insta::assert_snapshot!(format!("{rule}__{}", krate.dir), all);
        }
    }
}

#[test]
fn output_is_deterministic_parses_and_has_headers() {
    for fixture in FIXTURES {
        let catalog = emit_common::fixture(fixture);
        let first = generate(&catalog, &options()).expect("generate");
        let second = generate(&catalog, &options()).expect("generate again");
        assert_eq!(first.crates.len(), catalog.connectors.len());
        for (a, b) in first.crates.iter().zip(&second.crates) {
            assert_eq!(
                a.files, b.files,
                "{fixture}/{}: output differs between runs",
                a.dir
            );
            for (path, text) in &a.files {
                let header = if path.ends_with(".rs") {
                    "// Generated"
                } else {
                    "# Generated"
                };
                assert!(
                    text.starts_with(header),
                    "{}/{path} lacks the header",
                    a.dir
                );
                if path.ends_with(".rs") {
                    syn::parse_file(text)
                        .unwrap_or_else(|e| panic!("{}/{path} does not parse: {e}", a.dir));
                }
            }
        }
    }
}

#[test]
fn every_action_is_emitted_exactly_once() {
    let catalog = emit_common::fixture("nasty");
    let generated = generate(&catalog, &options()).expect("generate");
    for krate in &generated.crates {
        let snapshot = &catalog.connectors[&krate.connector];
        assert_eq!(krate.actions, snapshot.actions.len(), "{}", krate.dir);
        let code: String = krate
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("src/") && *p != "src/lib.rs" && *p != "src/types.rs")
            .flat_map(|(_, t)| t.split_whitespace().map(|w| format!("{w} ")))
            .collect();
        for (id, action) in &snapshot.actions {
            // The id argument of `ActionCall::new`, whatever the layout: once in the action's
            // function, and once more in its `_pages` companion when it pages.
            let needle = format!("crate::CONNECTOR_ID, {:?}, ", id.as_str());
            let expected = 1 + usize::from(alloy_model::paging::detect(action).is_some());
            assert_eq!(
                code.matches(&needle).count(),
                expected,
                "{}: action {id}",
                krate.dir
            );
        }
    }
}

#[test]
fn colliding_connector_ids_get_distinct_crates() {
    let generated = generate(&emit_common::fixture("nasty"), &options()).expect("generate");
    let names: Vec<(&str, &str, &str)> = generated
        .crates
        .iter()
        .map(|c| (c.connector.as_str(), c.dir.as_str(), c.package.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("nasty", "nasty", "alloy-nasty"),
            ("zohoCRM", "zoho-crm", "alloy-zoho-crm"),
            ("zoho_crm", "zoho-crm-2", "alloy-zoho-crm-2"),
        ]
    );
}

#[test]
fn warnings_name_connector_action_and_pointer() {
    let generated = generate(&emit_common::fixture("nasty"), &options()).expect("generate");
    let nasty = &generated.crates[0];
    let shown: Vec<String> = nasty.warnings.iter().map(ToString::to_string).collect();
    assert!(
        shown.iter().any(
            |w| w.starts_with("nasty/listContacts at /action/parameters/10:")
                && w.contains("cookie")
        ),
        "{shown:#?}"
    );
    assert!(
        shown
            .iter()
            .any(|w| w.starts_with("nasty at /metadata/4:") && w.contains("twice")),
        "{shown:#?}"
    );
}

#[test]
fn a_resource_listing_a_missing_action_is_an_error() {
    let mut catalog = emit_common::fixture("nasty");
    let nasty = catalog
        .connectors
        .values_mut()
        .next()
        .expect("the fixture has connectors");
    nasty.actions.retain(|id, _| id != "deleteContact");
    let error = generate(&catalog, &options()).expect_err("a dangling action id must fail");
    let message = error.to_string();
    assert!(
        message.contains("`nasty`")
            && message.contains("/resources/1/actions/0")
            && message.contains("deleteContact"),
        "{message}"
    );
}

#[test]
fn a_connector_without_actions_still_shows_how_to_build_its_handle() {
    let mut catalog = emit_common::fixture("nasty");
    let nasty = catalog
        .connectors
        .values_mut()
        .next()
        .expect("the fixture has connectors");
    nasty.actions.clear();
    nasty.resources.resources.clear();
    let generated = generate(&catalog, &options()).expect("generate");
    let lib = &generated.crates[0].files["src/lib.rs"];
    let example = [
        "//! # async fn example() -> Result<(), alloy_runtime::Error> {",
        "//! let client = alloy_runtime::Client::from_env()?;",
        "//! let nasty = alloy_nasty::Nasty::new(",
        "//!     client.user(\"user-id\"),",
        "//!     alloy_nasty::NastyCredential::new(\"credential-id\"),",
        "//! );",
        "//! # let _ = nasty;",
        "//! # Ok(())",
        "//! # }",
    ]
    .join("\n");
    assert!(lib.contains(&example), "{lib}");
    assert!(
        lib.contains("The catalog lists no action for this connector."),
        "{lib}"
    );
}

#[test]
fn catalog_hash_follows_the_input() {
    let hash_of = |catalog: &alloy_model::Catalog| {
        let generated = generate(catalog, &options()).expect("generate");
        let toml = &generated.crates[0].files["Cargo.toml"];
        toml.lines()
            .find_map(|l| l.strip_prefix("catalog-sha256 = "))
            .expect("Cargo.toml carries the hash")
            .to_owned()
    };
    let mut catalog = emit_common::fixture("nasty");
    let before = hash_of(&catalog);
    assert_eq!(before.len(), 66, "a quoted 64-digit hex digest: {before}");
    assert_eq!(hash_of(&emit_common::fixture("nasty")), before);
    let nasty = catalog.connectors.values_mut().next().expect("connector");
    let action = nasty.actions.values_mut().next().expect("action");
    action.description = Some("changed".into());
    let after = hash_of(&catalog);
    assert_ne!(after, before);
    let lib = &generate(&catalog, &options()).expect("generate").crates[0].files["src/lib.rs"];
    assert!(lib.contains(&format!("CATALOG_SHA256: &str = {after};")));
}

/// Generating from the folder, one connector loaded at a time, gives the crates that
/// generating from the loaded catalog gives, names of colliding connector ids included.
#[test]
fn generating_from_the_folder_matches_generating_from_the_catalog() {
    for fixture in FIXTURES {
        let dir = emit_common::repo_root()
            .join("fixtures/catalogs")
            .join(fixture);
        let whole = generate(&emit_common::fixture(fixture), &options()).expect("generate");
        let folder = alloy_codegen::generate_dir(
            &dir,
            &alloy_model::LoadOptions::default(),
            &options(),
            &|_| {},
        )
        .expect("generate from the folder");
        assert_eq!(whole.crates.len(), folder.crates.len(), "{fixture}");
        for (a, b) in whole.crates.iter().zip(&folder.crates) {
            assert_eq!((&a.dir, &a.package), (&b.dir, &b.package), "{fixture}");
            assert_eq!(a.files, b.files, "{fixture}/{}", a.dir);
        }
    }
}

/// From a folder, the error of the first failing connector in id order is reported, whether
/// it failed to load or to generate, and whichever thread met it first.
#[test]
fn from_a_folder_the_first_failing_connector_is_reported() {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    let source = emit_common::repo_root().join("fixtures/catalogs/nasty");
    let generate_dir = |dir: &std::path::Path| {
        alloy_codegen::generate_dir(
            dir,
            &alloy_model::LoadOptions::default(),
            &options(),
            &|_| {},
        )
        .expect_err("a broken connector fails")
        .to_string()
    };

    // `nasty` (first) lists an action that has no file; `zohoCRM` (later) does not parse.
    let dir = tempfile::tempdir().unwrap();
    copy(&source, dir.path());
    let dangling = dir.path().join("nasty/actions/deleteContact.json");
    assert!(
        dangling.exists(),
        "the fixture changed: pick another action"
    );
    std::fs::remove_file(&dangling).unwrap();
    let broken = dir.path().join("zohoCRM/connector.json");
    std::fs::write(&broken, "{").unwrap();
    for _ in 0..3 {
        let message = generate_dir(dir.path());
        assert!(
            message.contains("`nasty`") && message.contains("deleteContact"),
            "{message}"
        );
    }

    // With `nasty` whole again, the load error of `zohoCRM` names its file.
    copy(&source.join("nasty"), &dir.path().join("nasty"));
    let message = generate_dir(dir.path());
    assert!(message.contains(&broken.display().to_string()), "{message}");
}
