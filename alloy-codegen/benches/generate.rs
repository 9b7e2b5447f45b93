//! Generation speed over the whole corpus (`../shared/catalogs`), against the time
//! `serde_json` alone takes to parse the same files, plus peak memory.
//!
//! `cargo bench -p alloy-codegen --bench generate`. Prints one `name: value` line per figure
//! (the lines `cargo xtask bench` and BENCHMARKS.md use). Skips with a notice when the corpus
//! is absent.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use alloy_codegen::{GenerateOptions, generate};
use alloy_model::Catalog;

const RUNS: usize = 3;

// The allocator of `cargo xtask regenerate`, which runs generation for real; the baseline
// parse below runs on it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalogs");
    if !dir.is_dir() {
        println!("skipped: corpus not found at {}", dir.display());
        return;
    }
    let texts = read_all(&dir);
    let bytes: usize = texts.iter().map(String::len).sum();

    let parse = best_of(|| {
        for text in &texts {
            let value: serde_json::Value = serde_json::from_str(text).expect("corpus file is JSON");
            std::hint::black_box(value);
        }
    });
    let load = best_of(|| {
        std::hint::black_box(Catalog::load(&dir).expect("corpus loads"));
    });
    let catalog = Catalog::load(&dir).expect("corpus loads");
    let options = GenerateOptions::new(r#"{ path = "../../alloy-runtime" }"#);
    let mut output_bytes = 0;
    let cpu_before = cpu_ms();
    let generation = best_of(|| {
        let generated = generate(&catalog, &options).expect("corpus generates");
        output_bytes = generated.byte_count();
        std::hint::black_box(generated);
    });
    let generate_cpu = cpu_ms()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / RUNS as f64);
    let actions = catalog.action_count();
    let end_to_end = load + generation;

    println!("corpus_files: {}", texts.len());
    println!("corpus_mib: {:.1}", bytes as f64 / (1024.0 * 1024.0));
    println!("serde_json_parse_ms: {:.0}", ms(parse));
    println!("catalog_load_ms: {:.0}", ms(load));
    println!("generate_ms: {:.0}", ms(generation));
    println!("end_to_end_ms: {:.0}", ms(end_to_end));
    if let Some(cpu) = generate_cpu {
        // CPU time over all threads: what generation costs when the cores are shared.
        println!("generate_cpu_ms_per_run: {cpu:.0}");
    }
    println!(
        "threads: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "end_to_end_vs_parse_ratio: {:.2}",
        end_to_end.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "generate_vs_parse_ratio: {:.2}",
        generation.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "actions_per_second: {:.0}",
        actions as f64 / end_to_end.as_secs_f64()
    );
    println!("output_mib: {:.1}", output_bytes as f64 / (1024.0 * 1024.0));
    if let Some(peak) = peak_rss_kib() {
        println!("peak_rss_mib: {:.0}", peak as f64 / 1024.0);
    }
}

fn best_of(mut f: impl FnMut()) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Every `.json` file of the snapshot, as text.
fn read_all(dir: &Path) -> Vec<String> {
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    let mut texts = Vec::new();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read corpus dir") {
                stack.push(entry.expect("dir entry").path());
            }
        } else if path.extension().is_some_and(|e| e == "json") {
            texts.push(std::fs::read_to_string(&path).expect("read corpus file"));
        }
    }
    texts
}

/// User + system CPU time of this process so far (all threads), in ms.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // Clock ticks are 100 per second on Linux.
    Some((utime + stime) * 10.0)
}

/// `VmHWM` of this process (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
