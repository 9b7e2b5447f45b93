//! Fetch throughput: `xtask fetch` of the corpus connector with the most actions from a loopback
//! alloy-mock, against a baseline of plain reqwest GETs of the same URLs at the same concurrency
//! (no retries, no model check, no canonical JSON), measured in the same run.
//!
//! Run: `cargo bench -p xtask --bench fetch` (needs ../shared/catalogs; skips without it).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use alloy_mock::MockServer;
use alloy_model::{Catalog, LoadOptions};
use futures::{StreamExt, stream};
use xtask::fetch::{FetchOptions, fetch};

const CONCURRENCY: usize = 16;
const ROUNDS: usize = 3;

fn main() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalogs");
    if !corpus.is_dir() {
        eprintln!(
            "skipping the fetch benchmark: {} is absent",
            corpus.display()
        );
        return;
    }
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    else {
        eprintln!("cannot start tokio");
        std::process::exit(1);
    };
    runtime.block_on(run(corpus));
}

async fn run(corpus: PathBuf) {
    let all = Catalog::load(&corpus).expect("the corpus loads");
    let (largest, actions) = all
        .connectors
        .iter()
        .map(|(id, c)| (id.clone(), c.actions.len()))
        .max_by_key(|(_, n)| *n)
        .expect("the corpus has connectors");
    drop(all);
    let catalog = Catalog::load_with(
        &corpus,
        &LoadOptions::default()
            .keep_raw(true)
            .only([largest.clone()]),
    )
    .expect("the connector loads");
    let server = MockServer::start(catalog).await.expect("the mock starts");
    let client = alloy_runtime::Client::builder()
        .api_key("bench-key")
        .base_url(server.base_url())
        .build()
        .expect("client");
    let raw = reqwest::Client::new();
    let urls: Vec<String> = {
        let c = Catalog::load_with(&corpus, &LoadOptions::default().only([largest.clone()]))
            .expect("the connector loads");
        c.connectors[&largest]
            .actions
            .keys()
            .map(|a| format!("{}/connectors/{largest}/actions/{a}", server.base_url()))
            .collect()
    };

    let options = FetchOptions {
        connectors: vec![largest.to_string()],
        concurrency: CONCURRENCY,
    };
    let mut fetch_times = Vec::new();
    let mut raw_times = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let fetched = fetch(&client, &options).await.expect("fetch succeeds");
        fetch_times.push(start.elapsed());
        assert_eq!(fetched.actions, actions);

        let start = Instant::now();
        let bytes: usize = stream::iter(urls.iter())
            .map(|url| {
                let raw = raw.clone();
                async move {
                    let reply = raw
                        .get(url)
                        .bearer_auth("bench-key")
                        .header("x-api-version", "2025-09")
                        .send()
                        .await
                        .expect("GET succeeds");
                    reply.bytes().await.expect("body").len()
                }
            })
            .buffer_unordered(CONCURRENCY)
            .fold(0, |acc, n| async move { acc + n })
            .await;
        raw_times.push(start.elapsed());
        assert!(bytes > 0);
    }
    let best = |times: &[Duration]| times.iter().min().copied().unwrap_or_default();
    let (f, r) = (best(&fetch_times), best(&raw_times));
    let rate = |d: Duration| actions as f64 / d.as_secs_f64();
    println!("fetch {largest} ({actions} actions, concurrency {CONCURRENCY}, best of {ROUNDS}):");
    println!(
        "  xtask fetch: {:>8.0} action details/s ({:.3} s)",
        rate(f),
        f.as_secs_f64()
    );
    println!(
        "  raw GETs:    {:>8.0} action details/s ({:.3} s)",
        rate(r),
        r.as_secs_f64()
    );
    println!("  ratio fetch/raw throughput: {:.2}", rate(f) / rate(r));
    server.shutdown().await;
}
