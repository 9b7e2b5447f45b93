//! The `cargo xtask` command line; the work is done by the `xtask` library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use xtask::{FetchSource, bench, regenerate};

// Generation allocates many small strings and token trees; mimalloc makes it a third faster
// than the system allocator (BENCHMARKS.md, alloy-codegen).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Project commands for the Alloy bindings workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate `generated/` from `catalog/` (offline), optionally fetching the catalog first.
    Regenerate(regenerate::RegenerateArgs),
    /// Fetch a catalog snapshot from the Connectivity API (or alloy-mock) into a folder.
    Fetch(FetchArgs),
    /// Run the benchmarks and print each figure beside its baseline.
    Bench(bench::BenchArgs),
}

#[derive(Debug, Args)]
struct FetchArgs {
    /// Folder to write the snapshot into (replaced atomically).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    source: FetchSource,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Regenerate(args) => regenerate::run(args).await,
            Command::Fetch(args) => regenerate::fetch_only(&args.out, &args.source).await,
            Command::Bench(args) => bench::run(args),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
