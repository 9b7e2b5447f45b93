//! alloy-mock benchmarks, each figure beside a baseline measured in the same run.
//!
//! `cargo bench -p alloy-mock` (add `-- --quick` for shorter runs):
//! - load: `MockServer::from_dir` on the shared corpus vs. `serde_json` parsing the same files
//!   into `serde_json::Value`; peak RSS of a process that only loads, vs. the bytes of the files
//!   (and vs. a process that only parses them into `Value`s and keeps them);
//! - execute: requests/s of `POST …/execute` at concurrency 64 on loopback vs. a trivial axum
//!   handler returning a fixed JSON body, same client, same runtime.
//!
//! Loopback only; every phase is bounded in count and in time.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use alloy_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

const CHILD_ENV: &str = "ALLOY_MOCK_BENCH_CHILD";
const CONCURRENCY: usize = 64;

fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/catalogs"
    ))
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/catalogs/basic"
    ))
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    if let Ok(role) = std::env::var(CHILD_ENV) {
        runtime.block_on(child(&role));
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    println!(
        "alloy-mock benchmarks{}",
        if quick { " (quick)" } else { "" }
    );
    let corpus = corpus_dir();
    if corpus.is_dir() {
        load_figures(&runtime, &corpus, if quick { 1 } else { 3 });
    } else {
        println!("load: skipped, corpus not found at {}", corpus.display());
    }
    runtime.block_on(execute_figures(quick));
}

/// Every JSON file of a snapshot.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The baseline: read and parse every file into a `Value`, keeping them all.
fn parse_all(files: &[PathBuf]) -> Vec<Value> {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).expect("readable file");
            serde_json::from_str(&text).expect("JSON file")
        })
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn load_figures(runtime: &tokio::runtime::Runtime, corpus: &Path, runs: usize) {
    let files = json_files(corpus);
    let bytes: u64 = files
        .iter()
        .map(|f| f.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    // Warm the page cache so both sides read from memory.
    drop(parse_all(&files));
    let mut baseline = Vec::new();
    let mut mock = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let values = parse_all(&files);
        baseline.push(start.elapsed());
        drop(values);
        let start = Instant::now();
        let server = runtime
            .block_on(MockServer::from_dir(corpus))
            .expect("corpus serves");
        mock.push(start.elapsed());
        runtime.block_on(server.shutdown());
    }
    let (baseline, mock) = (median(baseline), median(mock));
    println!(
        "load: {} files, {:.1} MB; MockServer::from_dir {:.2} s vs serde_json::Value parse {:.2} s → ratio {:.2} (median of {runs})",
        files.len(),
        bytes as f64 / 1e6,
        mock.as_secs_f64(),
        baseline.as_secs_f64(),
        mock.as_secs_f64() / baseline.as_secs_f64()
    );
    let mock_rss = child_peak_rss("mock");
    let value_rss = child_peak_rss("values");
    let idle_rss = child_peak_rss("idle");
    if let (Some(mock_rss), Some(value_rss), Some(idle_rss)) = (mock_rss, value_rss, idle_rss) {
        println!(
            "memory: peak RSS serving the corpus {:.0} MB = {:.2} × file bytes; \
             baseline (all files as serde_json::Value) {:.0} MB = {:.2} × file bytes; \
             ratio mock/baseline {:.2}; empty process {:.0} MB",
            mock_rss as f64 / 1e6,
            mock_rss as f64 / bytes as f64,
            value_rss as f64 / 1e6,
            value_rss as f64 / bytes as f64,
            mock_rss as f64 / value_rss as f64,
            idle_rss as f64 / 1e6,
        );
    }
}

/// Runs this bench binary again in a child role and reads the peak RSS it reports.
fn child_peak_rss(role: &str) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = std::process::Command::new(exe)
        .env(CHILD_ENV, role)
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_bytes=")?.trim().parse().ok())
}

async fn child(role: &str) {
    let corpus = corpus_dir();
    let keep: Box<dyn std::any::Any> = match role {
        "mock" => Box::new(MockServer::from_dir(&corpus).await.expect("corpus serves")),
        "values" => Box::new(parse_all(&json_files(&corpus))),
        _ => Box::new(()),
    };
    println!("peak_rss_bytes={}", peak_rss().unwrap_or(0));
    drop(keep);
}

/// `VmHWM` of this process (Linux), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

async fn execute_figures(quick: bool) {
    let (limit, budget) = if quick {
        (20_000, Duration::from_secs(3))
    } else {
        (200_000, Duration::from_secs(10))
    };
    // The mock: a validated execute (credential, required query parameter, request body
    // checked against its schema) with request recording on (default ring of 10,000).
    let server = MockServer::from_dir_with(fixture_dir(), MockConfig::default())
        .await
        .expect("fixture serves");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .expect("client");
    let user = server.create_user("bench");
    let created: Value = client
        .post(format!("{}/connectors/taskboard/credentials", server.base_url()))
        .bearer_auth("bench")
        .header("x-api-version", "2025-09")
        .json(&json!({"userId": user, "authenticationType": "apiKey", "data": {"apiKey": "0123456789"}}))
        .send()
        .await
        .expect("credential created")
        .json()
        .await
        .expect("JSON");
    let body = json!({"credentialId": created["credentialId"], "queryParameters": {"idList": "l1"},
        "requestBody": {"name": "Card", "checklist": {"items": [{"text": "a", "done": false}]}}})
    .to_string();
    let mock_url = format!(
        "{}/connectors/taskboard/actions/createCard/execute",
        server.base_url()
    );
    let user = user.to_string();
    let mock = run_load(&client, &mock_url, &body, Some(&user), limit, budget).await;

    // The baseline: a trivial axum handler with a fixed JSON answer.
    let app = axum::Router::new().route(
        "/execute",
        axum::routing::post(|| async {
            (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                r#"{"responseData":{"ok":true},"executionId":"exec_1","status":"completed"}"#,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let baseline_task = tokio::spawn(async move { axum::serve(listener, app).await });
    let baseline_url = format!("http://{addr}/execute");
    let baseline = run_load(&client, &baseline_url, &body, Some(&user), limit, budget).await;
    baseline_task.abort();

    println!(
        "execute: {:.0} requests/s at concurrency {CONCURRENCY} ({} requests, {} errors) vs trivial axum handler {:.0} requests/s ({} requests) → ratio {:.2}",
        mock.rate,
        mock.done,
        mock.errors,
        baseline.rate,
        baseline.done,
        mock.rate / baseline.rate
    );
    server.shutdown().await;
}

struct Load {
    done: u64,
    errors: u64,
    rate: f64,
}

/// `CONCURRENCY` workers send requests back to back until `limit` are done or `budget` passes,
/// after a short warm-up.
async fn run_load(
    client: &reqwest::Client,
    url: &str,
    body: &str,
    user: Option<&str>,
    limit: u64,
    budget: Duration,
) -> Load {
    let send = |client: reqwest::Client, url: String, body: String, user: Option<String>| async move {
        let mut request = client
            .post(&url)
            .bearer_auth("bench")
            .header("x-api-version", "2025-09")
            .header("content-type", "application/json")
            .body(body);
        if let Some(user) = user {
            request = request.header("x-alloy-userid", user);
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
            _ => false,
        }
    };
    // Warm-up: open the connections.
    let warm: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            tokio::spawn(send(
                client.clone(),
                url.to_owned(),
                body.to_owned(),
                user.map(str::to_owned),
            ))
        })
        .collect();
    for w in warm {
        let _ = w.await;
    }
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + budget;
    let start = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, url, body) = (client.clone(), url.to_owned(), body.to_owned());
            let user = user.map(str::to_owned);
            let (done, errors) = (Arc::clone(&done), Arc::clone(&errors));
            tokio::spawn(async move {
                while Instant::now() < deadline && done.fetch_add(1, Ordering::Relaxed) < limit {
                    if !send(client.clone(), url.clone(), body.clone(), user.clone()).await {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
    let elapsed = start.elapsed();
    let done = done.load(Ordering::Relaxed).min(limit);
    Load {
        done,
        errors: errors.load(Ordering::Relaxed),
        rate: done as f64 / elapsed.as_secs_f64(),
    }
}
