//! Generates every connector of a catalog into a standalone workspace and runs
//! `cargo check` on each crate with warnings denied, timing each one.
//!
//! ```text
//! cargo run -p alloy-codegen --release --example check_corpus -- [--catalog DIR] [--out DIR] [--only ID]... [--tests] [--all-features] [--generate-only]
//! ```
//!
//! Defaults: the corpus at `../shared/catalogs`, output in `$TMPDIR/alloy-check-corpus` (its
//! `target/` is kept between runs, so only the first run builds the dependencies). With
//! `--tests`, each crate's tests (sample round trips) and doctests (the per-action examples,
//! compiled, not run) are also built and run; with `--all-features`, crates are checked with
//! their optional features on (request types then also implement `Deserialize`); with
//! `--generate-only`, the workspace is written and nothing is built. Exits non-zero if any
//! crate fails.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use alloy_codegen::{GenerateOptions, generate};
use alloy_model::{Catalog, ConnectorId, LoadOptions};

struct Args {
    catalog: PathBuf,
    out: PathBuf,
    only: Vec<ConnectorId>,
    tests: bool,
    all_features: bool,
    generate_only: bool,
}

fn parse_args() -> Result<Args, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        catalog: manifest.join("../../shared/catalogs"),
        out: std::env::temp_dir().join("alloy-check-corpus"),
        only: Vec::new(),
        tests: false,
        all_features: false,
        generate_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--catalog" => args.catalog = PathBuf::from(value()?),
            "--out" => args.out = PathBuf::from(value()?),
            "--only" => args.only.push(ConnectorId::from(value()?)),
            "--tests" => args.tests = true,
            "--all-features" => args.all_features = true,
            "--generate-only" => args.generate_only = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn cargo(workspace: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(args)
        .arg("--offline")
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", workspace.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        // Every run measures a full check of the crate, not what incremental state kept.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let catalog = Catalog::load_with(&args.catalog, &LoadOptions::default().only(args.only))
        .map_err(|e| e.to_string())?;
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../alloy-runtime");
    let runtime = runtime
        .canonicalize()
        .map_err(|e| format!("{}: {e}", runtime.display()))?;
    let options = GenerateOptions::new(format!("{{ path = {:?} }}", runtime.display().to_string()));
    let generated = generate(&catalog, &options).map_err(|e| e.to_string())?;

    std::fs::create_dir_all(&args.out).map_err(|e| e.to_string())?;
    let mut members = Vec::new();
    for krate in &generated.crates {
        let root = args.out.join(&krate.dir);
        // Stale files of an earlier run would be compiled as modules no more.
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in &krate.files {
            let file = root.join(path);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
        }
        members.push(format!("{:?}", krate.dir));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.join(", ")
    );
    std::fs::write(args.out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // Resolve dependencies to the versions this repository already uses, when run from it.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    if !args.out.join("Cargo.lock").exists() {
        let _ = std::fs::copy(lock, args.out.join("Cargo.lock"));
    }

    if args.generate_only {
        println!(
            "{} crates written to {}",
            generated.crates.len(),
            args.out.display()
        );
        return Ok(true);
    }
    let start = Instant::now();
    cargo(&args.out, &["check", "-p", "alloy-runtime"])?;
    println!(
        "dependencies checked in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    println!(
        "{:<12} {:>7} {:>9} {:>14}",
        "connector", "actions", "check s", "s/100 actions"
    );
    let mut ok = true;
    for krate in &generated.crates {
        let start = Instant::now();
        let mut check = vec!["check", "-p", &krate.package];
        if args.all_features {
            check.push("--all-features");
        }
        let result = cargo(&args.out, &check);
        let secs = start.elapsed().as_secs_f64();
        let per_100 = secs * 100.0 / krate.actions.max(1) as f64;
        let checked = match result {
            Ok(()) => {
                println!(
                    "{:<12} {:>7} {:>9.1} {:>14.2}",
                    krate.connector.as_str(),
                    krate.actions,
                    secs,
                    per_100
                );
                true
            }
            Err(e) => {
                println!("{:<12} FAILED\n{e}", krate.connector.as_str());
                false
            }
        };
        ok &= checked;
        if args.tests && checked {
            // cargo runs doctests only on their own (`--doc` mixes with no other target).
            let runs: [(&str, &[&str]); 2] = [
                ("samples test", &["--test", "samples"]),
                ("doctests (examples)", &["--doc"]),
            ];
            for (what, target) in runs {
                let mut command = vec!["test", "-p", &krate.package];
                command.extend_from_slice(target);
                if let Err(e) = cargo(&args.out, &command) {
                    ok = false;
                    println!("{:<12} {what} FAILED\n{e}", krate.connector.as_str());
                }
            }
        }
    }
    Ok(ok)
}
