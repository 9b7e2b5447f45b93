//! Fixture schemas and samples with the nasty cases (`tests/fixtures/typespace/*.json`):
//! snapshots of the emitted definitions, then every fixture compiled as a crate with warnings
//! denied, whose tests round-trip each example value through its type.
//!
//! A fixture file is `{"schemas": [{"name", "schema", "valid": [..]}], "samples": [{"name",
//! "sample"}]}`; each `valid` value (and each sample) must deserialize into the type and
//! serialize back to the same JSON.

mod typespace_common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use alloy_codegen::typespace::{Origin, TypeRef, TypeSpace};
use quote::quote;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/typespace");

struct Entry {
    hint: String,
    ty: TypeRef,
    valid: Vec<Value>,
}

struct Fixture {
    name: String,
    space: TypeSpace,
    entries: Vec<Entry>,
}

fn fixtures() -> Vec<Fixture> {
    let mut paths: Vec<PathBuf> = fs::read_dir(FIXTURES)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load(p)).collect()
}

fn load(path: &Path) -> Fixture {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("name")
        .to_owned();
    let doc: Value = serde_json::from_str(&fs::read_to_string(path).expect("read fixture"))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut space = TypeSpace::new();
    let mut entries = Vec::new();
    let list = |key: &str| {
        doc.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for (i, case) in list("schemas").iter().enumerate() {
        let hint = case["name"].as_str().expect("schema name").to_owned();
        let origin = Origin::action("fixtures", &name, &format!("/schemas/{i}/schema"));
        let ty = space.add_schema(&origin, &hint, &case["schema"]);
        let valid = case["valid"].as_array().cloned().unwrap_or_default();
        // Schema types serialize only; the round trip below also reads the valid examples.
        if !valid.is_empty() {
            space.mark_deserialized(&ty);
        }
        entries.push(Entry { hint, ty, valid });
    }
    for (i, case) in list("samples").iter().enumerate() {
        let hint = case["name"].as_str().expect("sample name").to_owned();
        let origin = Origin::action("fixtures", &name, &format!("/samples/{i}/sample"));
        let ty = space.add_sample(&origin, &hint, Some(&case["sample"]));
        entries.push(Entry {
            hint,
            ty,
            valid: vec![case["sample"].clone()],
        });
    }
    Fixture {
        name,
        space,
        entries,
    }
}

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("generated code parses");
    prettyplease::unparse(&file)
}

fn definitions(space: &TypeSpace) -> String {
    let text = space.definitions().expect("definitions are built");
    if let Err(e) = typespace_common::structs_in_prettyplease_layout(&text) {
        panic!("{e}");
    }
    text
}

/// What the snapshot shows: each input's type, the warnings, then the definitions.
fn render(fixture: &Fixture) -> String {
    let mut out = String::new();
    for entry in &fixture.entries {
        let ty = entry.ty.tokens().to_string();
        out.push_str(&format!("// {} => {ty}\n", entry.hint));
    }
    for warning in fixture.space.warnings() {
        out.push_str(&format!("// warning: {warning}\n"));
    }
    let cov = fixture.space.coverage();
    let samples = fixture.space.sample_coverage();
    out.push_str(&format!(
        "// types: {}, schema nodes typed: {}/{}, sample nodes typed: {}/{}\n\n",
        fixture.space.type_count(),
        cov.typed,
        cov.typed + cov.untyped,
        samples.typed,
        samples.typed + samples.untyped
    ));
    out.push_str(&definitions(&fixture.space));
    out
}

#[test]
fn definitions_match_snapshots() {
    for fixture in fixtures() {
        insta::with_settings!({
            snapshot_path => "fixtures/typespace/snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(fixture.name.clone(), render(&fixture));
        });
    }
}

/// The crate's `lib.rs`: the types module and one round-trip test per example.
fn lib_rs(fixture: &Fixture) -> String {
    let mut checks = Vec::new();
    for entry in &fixture.entries {
        let ty = entry.ty.tokens();
        for value in &entry.valid {
            let text = serde_json::to_string(value).expect("json");
            checks.push(quote!(check::<#ty>(#text);));
        }
    }
    let tokens = quote! {
        #![deny(warnings)]
        pub mod types;

        #[cfg(test)]
        mod round_trip {
            fn check<T>(text: &str)
            where
                T: ::serde::de::DeserializeOwned + ::serde::Serialize,
            {
                let expected: ::serde_json::Value = ::serde_json::from_str(text).unwrap();
                let typed: T = ::serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("{text} does not parse: {e}"));
                let back = ::serde_json::to_value(&typed).unwrap();
                assert_eq!(back, expected, "{text} does not round-trip");
            }

            #[test]
            fn examples_round_trip() {
                #(#checks)*
            }
        }
    };
    pretty(tokens)
}

/// Writes `text` unless the file already holds it (keeps cargo's incremental state).
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, text).expect("write");
    fs::rename(&tmp, path).expect("rename");
}

#[test]
fn fixtures_compile_with_warnings_denied_and_round_trip() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typespace-fixtures");
    let fixtures = fixtures();
    let mut members = Vec::new();
    for fixture in &fixtures {
        let dir = root.join(&fixture.name);
        members.push(format!("{:?}", fixture.name));
        write_if_changed(
            &dir.join("Cargo.toml"),
            &format!(
                "[package]\nname = \"fixture-{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
                 [features]\n{} = []\n",
                fixture.name,
                alloy_codegen::typespace::DESERIALIZE_REQUESTS_FEATURE
            ),
        );
        let types = format!(
            "//! Generated by the alloy-codegen type space fixture test.\n\n{}",
            definitions(&fixture.space)
        );
        write_if_changed(&dir.join("src/types.rs"), &types);
        write_if_changed(&dir.join("src/lib.rs"), &lib_rs(fixture));
    }
    write_if_changed(
        &root.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    // Same dependency versions as this workspace, so the offline build finds them.
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        fs::copy(ours, &lock).expect("copy Cargo.lock");
    }
    // The round trips with default features, then the code behind the feature that makes
    // types that are only sent deserializable.
    let run = |args: &[&str]| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .args(args)
            .args(["--offline", "-j1", "--workspace"])
            .arg("--manifest-path")
            .arg(root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .expect("run cargo");
        assert!(
            output.status.success(),
            "fixture crates failed ({args:?}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let stdout = run(&["test", "--no-fail-fast"]);
    let passed = stdout
        .matches("test round_trip::examples_round_trip ... ok")
        .count();
    assert_eq!(passed, fixtures.len(), "{stdout}");
    run(&["check", "--all-features"]);
}
