//! The type space over every connector of the real-world corpus (`../shared/catalogs`):
//! no panic, definitions that parse, coverage and type counts per connector.

mod typespace_common;

use std::path::Path;

use alloy_codegen::typespace::naming::type_name;
use alloy_codegen::typespace::{Coverage, Origin, TypeSpace};
use alloy_model::ConnectorSnapshot;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/catalogs");

/// Feeds one connector to a fresh type space the way the emitter will: each action's body,
/// parameters and sample, then each credential's `data` input.
fn type_connector(snapshot: &ConnectorSnapshot) -> TypeSpace {
    let connector = snapshot.connector.id.as_str();
    let mut space = TypeSpace::new();
    for (id, action) in &snapshot.actions {
        let id = id.as_str();
        let base = type_name(id);
        if let Some(body) = &action.request_body {
            let origin = Origin::action(connector, id, "/action/requestBody");
            space.add_schema(&origin, &format!("{base}Request"), body);
        }
        for (i, parameter) in action.parameters.iter().enumerate() {
            if let Some(schema) = &parameter.schema {
                let origin =
                    Origin::action(connector, id, &format!("/action/parameters/{i}/schema"));
                let hint = format!("{base}{}", type_name(&parameter.name));
                space.add_schema(&origin, &hint, schema);
            }
        }
        let origin = Origin::action(connector, id, "/action/sampleSuccessResponse");
        space.add_sample(
            &origin,
            &format!("{base}Response"),
            action.sample_success_response.as_ref(),
        );
    }
    for (i, metadata) in snapshot.credentials.metadata.iter().enumerate() {
        let data = metadata
            .input_schema
            .as_ref()
            .and_then(|s| s.pointer("/properties/data"));
        if let Some(data) = data {
            let origin = Origin::connector(
                connector,
                &format!("/metadata/{i}/inputSchema/properties/data"),
            );
            let hint = format!(
                "{}CredentialData",
                type_name(metadata.authentication_type.as_str())
            );
            space.add_schema(&origin, &hint, data);
        }
    }
    space
}

#[test]
fn every_corpus_connector_is_typed() {
    let corpus = Path::new(CORPUS);
    if !corpus.is_dir() {
        eprintln!("skipping: corpus not found at {}", corpus.display());
        return;
    }
    let mut folders: Vec<_> = std::fs::read_dir(corpus)
        .expect("read corpus")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.join("connector.json").is_file())
        .collect();
    folders.sort();
    assert!(!folders.is_empty(), "no connector in {}", corpus.display());

    let mut total = Coverage::default();
    let mut total_samples = Coverage::default();
    println!(
        "{:<10} {:>7} {:>7} {:>9} {:>9} {:>8} {:>8}",
        "connector", "actions", "types", "schema%", "sample%", "nodes", "warnings"
    );
    for folder in folders {
        // One connector at a time keeps memory to the largest connector.
        let snapshot = ConnectorSnapshot::load(&folder).expect("corpus connector loads");
        let space = type_connector(&snapshot);
        let actions = snapshot.actions.len();
        let text = space
            .definitions()
            .unwrap_or_else(|e| panic!("{}: definitions fail: {e}", folder.display()));
        let file = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{}: definitions do not parse: {e}", folder.display()));
        if let Err(e) = typespace_common::structs_in_prettyplease_layout(&text) {
            panic!("{}: {e}", folder.display());
        }
        assert!(file.items.len() >= space.type_count());
        let coverage = space.coverage();
        let samples = space.sample_coverage();
        println!(
            "{:<10} {:>7} {:>7} {:>8.1}% {:>8.1}% {:>8} {:>8}",
            snapshot.connector.id.as_str(),
            actions,
            space.type_count(),
            coverage.ratio() * 100.0,
            samples.ratio() * 100.0,
            coverage.typed + coverage.untyped,
            space.warnings().len()
        );
        for warning in space.warnings().iter().take(3) {
            println!("    {warning}");
        }
        // Dedup keeps the types proportional to the distinct shapes, not to the size of the
        // inlined schemas (Klaviyo repeats the same shapes across 36 MB): apart from their
        // names and docs, next to no two emitted definitions are the same.
        let repeats = repeated_definitions(&file);
        println!("    {repeats} definitions repeat another one apart from name and docs");
        assert!(
            repeats * 50 <= space.type_count(),
            "{}: {repeats} of {} definitions repeat another one",
            snapshot.connector.id.as_str(),
            space.type_count()
        );
        assert!(
            space.type_count() <= 30 * actions + 100,
            "{}: {} types for {actions} actions",
            snapshot.connector.id.as_str(),
            space.type_count()
        );
        total += coverage;
        total_samples += samples;
    }
    println!(
        "corpus: schema nodes typed {:.2}% ({} of {}), sample nodes typed {:.2}%",
        total.ratio() * 100.0,
        total.typed,
        total.typed + total.untyped,
        total_samples.ratio() * 100.0
    );
    assert!(
        total.ratio() >= 0.95,
        "schema coverage {:.4} < 0.95",
        total.ratio()
    );
}

/// How many struct and enum definitions equal an earlier one once names and docs are set
/// aside (a named `$ref` that matches an inline shape is the one legitimate case). The payload
/// types of one union's titled branches are equal by design (each branch keeps a type named
/// after it) and are not counted.
fn repeated_definitions(file: &syn::File) -> usize {
    use quote::ToTokens;
    let undocumented =
        |attrs: &mut Vec<syn::Attribute>| attrs.retain(|a| !a.path().is_ident("doc"));
    let placeholder = syn::Ident::new("Named", proc_macro2::Span::call_site());
    // Each enum's variant payloads, by their type's tokens (`Box < crate :: types :: X >`).
    let payloads: Vec<std::collections::HashSet<String>> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) => Some(
                e.variants
                    .iter()
                    .flat_map(|v| v.fields.iter())
                    .filter_map(|f| {
                        let ty = f.ty.to_token_stream().to_string();
                        let name = ty.rsplit(":: ").next()?.trim_end_matches(" >");
                        Some(name.to_owned())
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    let siblings = |a: &str, b: &str| payloads.iter().any(|p| p.contains(a) && p.contains(b));
    let mut seen: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut repeats = 0;
    for item in &file.items {
        let (name, key) = match item.clone() {
            syn::Item::Struct(mut s) => {
                undocumented(&mut s.attrs);
                s.fields.iter_mut().for_each(|f| undocumented(&mut f.attrs));
                let name = std::mem::replace(&mut s.ident, placeholder.clone());
                (name.to_string(), s.into_token_stream().to_string())
            }
            syn::Item::Enum(mut e) => {
                undocumented(&mut e.attrs);
                e.variants
                    .iter_mut()
                    .for_each(|v| undocumented(&mut v.attrs));
                let name = std::mem::replace(&mut e.ident, placeholder.clone());
                (name.to_string(), e.into_token_stream().to_string())
            }
            _ => continue,
        };
        let earlier = seen.entry(key).or_default();
        if !earlier.is_empty() && !earlier.iter().any(|e| siblings(e, &name)) {
            repeats += 1;
        }
        earlier.push(name);
    }
    repeats
}

/// Every corpus connector's definitions as a crate, checked with warnings denied. Slow (a few
/// minutes on two cores), so not part of the default run:
/// `cargo test -p alloy-codegen --test typespace_corpus -- --ignored`.
#[test]
#[ignore = "builds 13 large crates; run on demand"]
fn corpus_definitions_compile_with_warnings_denied() {
    let corpus = Path::new(CORPUS);
    if !corpus.is_dir() {
        eprintln!("skipping: corpus not found at {}", corpus.display());
        return;
    }
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("typespace-corpus");
    let mut members = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(corpus)
        .expect("read corpus")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.join("connector.json").is_file())
        .collect();
    folders.sort();
    for folder in folders {
        let snapshot = ConnectorSnapshot::load(&folder).expect("corpus connector loads");
        let space = type_connector(&snapshot);
        let name = snapshot.connector.id.as_str().to_owned();
        let dir = root.join(&name);
        std::fs::create_dir_all(dir.join("src")).expect("mkdir");
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"corpus-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
                 [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
                 [features]\n{feature} = []\n",
                feature = alloy_codegen::typespace::DESERIALIZE_REQUESTS_FEATURE
            ),
        )
        .expect("write manifest");
        let text = space.definitions().expect("prints");
        std::fs::write(dir.join("src/types.rs"), text).expect("write");
        std::fs::write(
            dir.join("src/lib.rs"),
            "#![deny(warnings)]\npub mod types;\n",
        )
        .expect("write");
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace");
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
            &lock,
        )
        .expect("copy lock");
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "check",
            "--offline",
            "-j1",
            "--workspace",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
