//! Typed `execute_as` versus a hand-written reqwest POST of the same JSON to the same loopback
//! alloy-mock, in one run: p50 latency ratio (target ≤ 1.10×) and throughput at concurrency 64
//! (target ≥ 0.9× raw).
//!
//! Run: `cargo bench -p alloy-runtime --bench execute` (release). `ALLOY_BENCH_SCALE=0.1`
//! shortens the run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy_mock::{MockConfig, MockServer};
use alloy_runtime::{
    ActionCall, AuthType, Client, ConnectorId, CredentialId, CredentialInput, HttpMethod,
    SecretData, UserClient,
};
use serde::{Deserialize, Serialize};

const KEY: &str = "bench-key";
const CONCURRENCY: usize = 64;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewCard {
    name: String,
    desc: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Card {
    id: String,
    name: String,
    id_list: String,
    closed: bool,
}

/// The wire body the raw client builds by hand.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RawBody<'a> {
    credential_id: &'a str,
    request_body: &'a NewCard,
    query_parameters: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnswer {
    response_data: Card,
}

struct Setup {
    user: UserClient,
    credential: CredentialId,
    raw: reqwest::Client,
    url: String,
    body: NewCard,
}

async fn typed(s: &Setup) {
    let call = ActionCall::new("taskboard", "createCard", HttpMethod::Post, &s.credential)
        .query("idList", "L1")
        .body(&s.body);
    let card = s.user.execute_as::<NewCard, Card>(call).await;
    assert!(
        card.is_ok_and(|c| !c.data.id.is_empty()),
        "typed execute failed"
    );
}

async fn raw(s: &Setup) {
    let body = RawBody {
        credential_id: s.credential.as_str(),
        request_body: &s.body,
        query_parameters: serde_json::json!({"idList": "L1"}),
    };
    let bytes = serde_json::to_vec(&body).expect("serializes");
    let response = s
        .raw
        .post(&s.url)
        .header("authorization", format!("Bearer {KEY}"))
        .header("x-api-version", "2025-09")
        .header("x-alloy-userid", s.user.user_id().as_str())
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .expect("raw send");
    assert!(response.status().is_success(), "raw execute failed");
    let bytes = response.bytes().await.expect("raw body");
    let answer: RawAnswer = serde_json::from_slice(&bytes).expect("raw decode");
    assert!(!answer.response_data.id.is_empty());
}

fn p50(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Requests per second with `CONCURRENCY` workers sharing `total` requests.
async fn throughput(setup: &Arc<Setup>, total: usize, typed_side: bool) -> f64 {
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|w| {
            let setup = Arc::clone(setup);
            let share = total / CONCURRENCY + usize::from(w < total % CONCURRENCY);
            tokio::spawn(async move {
                for _ in 0..share {
                    if typed_side {
                        typed(&setup).await;
                    } else {
                        raw(&setup).await;
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker");
    }
    total as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let scale: f64 = std::env::var("ALLOY_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let scaled = |n: f64| ((n * scale) as usize).max(CONCURRENCY);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/catalogs/basic");
        let catalog = alloy_model::Catalog::load(dir).expect("fixture catalog");
        let config = MockConfig::default().api_key(KEY).record_limit(0);
        let server = MockServer::start_with(catalog, config).await.expect("mock");
        let client = Client::builder()
            .api_key(KEY)
            .base_url(server.base_url())
            .build()
            .expect("client");
        let user = client.user(server.create_user("bench"));
        let credential = user
            .create_credential(
                &ConnectorId::new("taskboard"),
                &CredentialInput::new(AuthType::ApiKey, SecretData::new().with("apiKey", "bench-secret")),
            )
            .await
            .expect("credential");
        let url = format!(
            "{}/connectors/taskboard/actions/createCard/execute",
            server.base_url()
        );
        let setup = Arc::new(Setup {
            user,
            credential,
            raw: reqwest::Client::new(),
            url,
            body: NewCard {
                name: "Benchmark card".into(),
                desc: "x".repeat(200),
            },
        });

        for _ in 0..200 {
            typed(&setup).await;
            raw(&setup).await;
        }

        // Interleaved so drift on a shared machine hits both sides alike.
        let rounds = scaled(3000.0);
        let (mut typed_t, mut raw_t) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
        for _ in 0..rounds {
            let t = Instant::now();
            typed(&setup).await;
            typed_t.push(t.elapsed());
            let t = Instant::now();
            raw(&setup).await;
            raw_t.push(t.elapsed());
        }
        let (typed_p50, raw_p50) = (p50(typed_t), p50(raw_t));
        let ratio = typed_p50.as_secs_f64() / raw_p50.as_secs_f64();

        let total = scaled(20_000.0);
        let (mut typed_best, mut raw_best) = (0f64, 0f64);
        for _ in 0..2 {
            typed_best = typed_best.max(throughput(&setup, total, true).await);
            raw_best = raw_best.max(throughput(&setup, total, false).await);
        }
        let tp_ratio = typed_best / raw_best;

        println!("alloy-runtime execute benchmark ({rounds} sequential pairs, {total} requests x2 at concurrency {CONCURRENCY})");
        println!("p50 latency: typed {:.1} us, raw {:.1} us, ratio {ratio:.3} (target <= 1.10) {}",
            typed_p50.as_secs_f64() * 1e6, raw_p50.as_secs_f64() * 1e6, verdict(ratio <= 1.10));
        println!("throughput @{CONCURRENCY}: typed {typed_best:.0} req/s, raw {raw_best:.0} req/s, ratio {tp_ratio:.3} (target >= 0.90) {}",
            verdict(tp_ratio >= 0.90));
        server.shutdown().await;
    });
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "MISS" }
}
