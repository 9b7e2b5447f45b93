//! The command as users run it: `xtask regenerate --catalog <corpus> --out <folder>`, a whole
//! process (start, load, generate, compare with the disk, write, exit), against the parse
//! floor: a process that only reads the same files and parses each with `serde_json`. The two
//! run alternately in the same rounds, so a busy machine slows both alike; the ratio is the
//! figure to compare across machines.
//!
//! - first run: into an empty folder (every file written);
//! - warm: again, with the output up to date (every file compared, none written) — what a
//!   rerun after a small catalog change costs;
//! - floor: this bench binary started again in parse-only mode.
//!
//! Run: `cargo bench -p xtask --bench regenerate` (needs ../shared/catalogs; skips without it).
//! Prints `name: value` lines.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROUNDS: usize = 5;
const PARSE_ONLY: &str = "ALLOY_BENCH_PARSE_ONLY";

fn main() {
    if let Some(dir) = std::env::var_os(PARSE_ONLY) {
        parse_only(Path::new(&dir));
        return;
    }
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalogs");
    if !corpus.is_dir() {
        println!("skipped: corpus not found at {}", corpus.display());
        return;
    }
    let corpus = corpus.canonicalize().expect("corpus path");
    let actions = count_actions(&corpus);
    let xtask = env!("CARGO_BIN_EXE_xtask");
    let me = std::env::current_exe().expect("the bench binary");

    let mut first = Vec::new();
    let mut warm = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..ROUNDS {
        let out = tempfile::tempdir().expect("temp folder");
        let ws = out.path().join("ws");
        floor.push(time(Command::new(&me).env(PARSE_ONLY, &corpus)));
        first.push(time(&mut regenerate(xtask, &corpus, &ws)));
        floor.push(time(Command::new(&me).env(PARSE_ONLY, &corpus)));
        warm.push(time(&mut regenerate(xtask, &corpus, &ws)));
        warm.push(time(&mut regenerate(xtask, &corpus, &ws)));
    }
    let floor = median(&mut floor);
    let first = median(&mut first);
    let warm = median(&mut warm);
    println!("actions: {actions}");
    println!("parse_floor_ms: {}", floor.as_millis());
    println!("first_run_ms: {}", first.as_millis());
    println!("warm_run_ms: {}", warm.as_millis());
    println!("first_run_vs_floor: {:.2}", ratio(first, floor));
    println!("warm_run_vs_floor: {:.2}", ratio(warm, floor));
    println!("first_run_actions_per_s: {:.0}", per_second(actions, first));
    println!("warm_run_actions_per_s: {:.0}", per_second(actions, warm));
}

fn regenerate(xtask: &str, corpus: &Path, out: &Path) -> Command {
    let mut command = Command::new(xtask);
    command
        .args(["regenerate", "--catalog"])
        .arg(corpus)
        .arg("--out")
        .arg(out);
    command
}

/// Wall time of one whole process, which must succeed.
fn time(command: &mut Command) -> Duration {
    let started = Instant::now();
    let output = command.output().expect("the process starts");
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

/// The floor: read every JSON file under `dir` and parse it, nothing else.
fn parse_only(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    let mut parsed = 0usize;
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable corpus") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).expect("readable file");
                let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                std::hint::black_box(value);
                parsed += 1;
            }
        }
    }
    std::hint::black_box(parsed);
}

fn count_actions(corpus: &Path) -> usize {
    std::fs::read_dir(corpus)
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.path().join("actions"))
        .filter(|p| p.is_dir())
        .map(|p| std::fs::read_dir(p).map_or(0, Iterator::count))
        .sum()
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn per_second(actions: usize, d: Duration) -> f64 {
    actions as f64 / d.as_secs_f64()
}
