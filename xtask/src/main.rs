//! The `cargo xtask` command line; the work is done by the `xtask` library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use xtask::{FetchSource, bench, regenerate};

// Generation allocates many small strings and token trees; mimalloc makes it a third faster
// than the system allocator (BENCHMARKS.md, alloy-codegen).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same index in its v2 and v3 headers; the Rust
/// bindings name no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to hand freed memory back to the kernel while the process runs.
/// Regenerate frees each connector's catalog and type space before taking the next, and by
/// default mimalloc returns those pages after 10 ms; the next connector then faults them in
/// again, zeroed by the kernel, which in a virtual machine with a busy host cost a third of
/// the run (BENCHMARKS.md). Peak memory is unchanged; the process exits soon after.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table; it has no
    // preconditions, and -1 is the documented "never purge" value of this option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

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
    keep_freed_memory();
    let cli = Cli::parse();
    #[cfg(not(feature = "fetch"))]
    if needs_fetch(&cli.command) {
        return rerun_with_fetch();
    }
    let result = match cli.command {
        Command::Regenerate(args) => regenerate::run(args),
        Command::Fetch(args) => regenerate::fetch_blocking(&args.out, &args.source),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the command talks to an API, which this build (without the `fetch` feature, so
/// that an offline regenerate compiles no HTTP stack) cannot.
#[cfg(not(feature = "fetch"))]
fn needs_fetch(command: &Command) -> bool {
    match command {
        Command::Regenerate(args) => args.fetches(),
        Command::Fetch(_) => true,
        Command::Bench(_) => false,
    }
}

/// Runs the same command line again through cargo, built with the `fetch` feature; cargo shows
/// its build progress the first time.
#[cfg(not(feature = "fetch"))]
fn rerun_with_fetch() -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = xtask::repo_root().join("xtask").join("Cargo.toml");
    eprintln!("this command fetches: building xtask with its HTTP client (feature `fetch`)");
    let status = std::process::Command::new(cargo)
        .arg("run")
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["--features", "fetch", "--"])
        .args(std::env::args_os().skip(1))
        .status();
    match status {
        Ok(status) => match status.code() {
            Some(0) => ExitCode::SUCCESS,
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(e) => {
            eprintln!("error: cannot run cargo to build xtask with `fetch`: {e}");
            ExitCode::FAILURE
        }
    }
}
