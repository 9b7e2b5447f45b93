//! `cargo xtask bench`: every benchmark of the workspace, in release, one after the other.
//!
//! Each benchmark measures its own baseline in the same run and prints the ratio; this command
//! only runs them in sequence (never in parallel: the machine has two cores and they would skew
//! each other's figures).

use std::process::{Command, ExitCode};

use anyhow::{Context, Result};
use clap::Args;

/// (package, what it measures)
const SUITES: &[(&str, &str)] = &[
    (
        "alloy-mock",
        "catalog load time and memory; execute throughput at concurrency 64",
    ),
    (
        "alloy-runtime",
        "typed execute vs a raw reqwest POST: p50 latency and throughput",
    ),
    (
        "alloy-codegen",
        "corpus generation vs serde_json parsing; actions/s; peak memory",
    ),
    (
        "xtask",
        "fetch throughput from a loopback alloy-mock vs raw GETs; the regenerate command as a \
         whole process vs a process that only parses the catalog; its growth with input size",
    ),
];

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Run only the benchmarks of this package (repeatable).
    #[arg(long = "package", short = 'p', value_name = "PACKAGE")]
    packages: Vec<String>,
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut failed = Vec::new();
    for (package, what) in SUITES {
        if !args.packages.is_empty() && !args.packages.iter().any(|p| p == package) {
            continue;
        }
        eprintln!("== {package}: {what}");
        let mut command = Command::new(&cargo);
        command.args(["bench", "--package", package]);
        if *package == "xtask" {
            // Its fetch benchmark needs the HTTP client.
            command.args(["--features", "fetch"]);
        }
        let status = command
            .current_dir(crate::repo_root())
            .status()
            .with_context(|| format!("running cargo bench for {package}"))?;
        if !status.success() {
            failed.push(*package);
        }
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("error: benchmarks failed: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}
