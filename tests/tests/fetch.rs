//! The fetch stage end to end: `alloy-mock` serves a snapshot over loopback HTTP and `xtask`
//! fetches it back through `alloy-runtime`.
//!
//! - the sample `catalog/` comes back byte-for-byte and generates the checked-in `generated/`;
//! - a failed fetch names the connector and action and leaves the previous snapshot as it was;
//! - `--connector` refreshes only that connector;
//! - the drift report lists what changed, and `--deny-breaking` exits with status 2.
//!
//! The corpus round trip lives in `corpus_fetch.rs`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use alloy_e2e::{compare_trees, copy_tree, paths};
use alloy_mock::{Fault, FaultRule, MockServer};
use alloy_model::Catalog;
use alloy_runtime::{Client, RetryPolicy};
use serde_json::Value;
use xtask::FetchSource;
use xtask::regenerate::{OutputOptions, fetch_with, generate_with};
use xtask::stages::Stages;
use xtask::write::Mode;

/// Retries with millisecond waits, so fault tests stay quick.
fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(2))
        .max_delay(Duration::from_millis(10))
        .retry_after_cap(Duration::from_millis(10))
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("e2e-fetch-key")
        .base_url(server.base_url())
        .retry(fast_retry())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client builds")
}

fn source(server: &MockServer, connectors: &[&str]) -> FetchSource {
    FetchSource {
        api_url: server.base_url(),
        connectors: connectors.iter().map(|c| (*c).to_owned()).collect(),
        concurrency: 16,
        report: None,
        deny_breaking: false,
    }
}

async fn sample_server() -> MockServer {
    MockServer::from_dir(paths::sample_catalog())
        .await
        .expect("the sample catalog serves")
}

/// A copy of the sample catalog at `<tmp>/<name>`.
fn sample_copy(tmp: &Path, name: &str) -> PathBuf {
    let dir = tmp.join(name);
    copy_tree(&paths::sample_catalog(), &dir).expect("catalog copies");
    dir
}

fn assert_exit(code: ExitCode, expected: ExitCode) {
    assert_eq!(format!("{code:?}"), format!("{expected:?}"));
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, alloy_model::snapshot::to_canonical_json(value)).unwrap();
}

/// Names of the entries directly in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sample_catalog_round_trips_and_generates_the_checked_in_crates() {
    let server = sample_server().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("catalog");

    let code = fetch_with(&client(&server), &out, &source(&server, &[]))
        .await
        .expect("fetch succeeds");
    assert_exit(code, ExitCode::SUCCESS);

    let diff = compare_trees(&paths::sample_catalog(), &out).unwrap();
    assert!(
        diff.is_identical(),
        "the fetched snapshot differs from catalog/:\n{diff}"
    );
    let sample = Catalog::load(paths::sample_catalog()).unwrap();
    let files = sample.connectors.len() * 3 + sample.action_count();
    assert_eq!(diff.identical, files);

    // One request per document, plus the connector list: nothing fetched twice.
    let requests = server.requests();
    assert_eq!(requests.len(), files - sample.connectors.len() + 1);
    assert!(requests.iter().all(|r| r.method == "GET"));
    assert!(requests.iter().all(
        |r| r.header("authorization") == Some("Bearer e2e-fetch-key")
            && r.header("x-api-version") == Some("2025-09")
    ));

    // The snapshot is a copy of `catalog/`, so the headers may name it so.
    let as_catalog = OutputOptions {
        catalog_label: Some("catalog".into()),
        ..OutputOptions::default()
    };
    let outcome = generate_with(
        &out,
        &paths::generated_dir(),
        Mode::Check,
        &as_catalog,
        &Stages::quiet(),
    )
    .expect("generation from the fetched snapshot succeeds");
    assert!(
        !outcome.summary.is_stale(),
        "generated/ differs from what the fetched snapshot gives: stale {:?}, no longer generated {:?}",
        outcome.summary.written,
        outcome.summary.removed
    );
    assert_eq!(outcome.actions, sample.action_count());
    assert_eq!(outcome.connectors, sample.connectors.len());
    assert!(outcome.summary.unchanged > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_fetch_names_connector_and_action_and_keeps_the_previous_snapshot() {
    let server = sample_server().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = sample_copy(tmp.path(), "catalog");
    let before = sample_copy(tmp.path(), "before");
    let route = "/connectors/hubspot/actions/getContact";
    let attempts = fast_retry().attempts() as usize;
    server.inject(FaultRule::new(Some("GET"), route, Fault::status(503)).times(attempts * 4));

    let err = fetch_with(&client(&server), &out, &source(&server, &[]))
        .await
        .expect_err("a persistent 503 fails the fetch");
    let text = format!("{err:#}");
    assert!(text.contains("connector `hubspot`"), "{text}");
    assert!(text.contains("action `getContact`"), "{text}");
    assert!(text.contains("503"), "{text}");

    // The runtime retried the idempotent GET exactly up to its budget, then gave up.
    let tries = server.requests().iter().filter(|r| r.path == route).count();
    assert_eq!(tries, attempts);

    let diff = compare_trees(&before, &out).unwrap();
    assert!(diff.is_identical(), "the old snapshot changed:\n{diff}");
    // No staging folder is left beside the snapshot.
    assert_eq!(entries(tmp.path()), ["before", "catalog"]);

    // A first fetch that fails creates nothing.
    server.clear_faults();
    server.inject(FaultRule::new(Some("GET"), route, Fault::status(503)).forever());
    let fresh = tmp.path().join("fresh");
    fetch_with(&client(&server), &fresh, &source(&server, &[]))
        .await
        .expect_err("a persistent 503 fails the fetch");
    assert_eq!(entries(tmp.path()), ["before", "catalog"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connector_option_refreshes_only_that_connector() {
    let server = sample_server().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = sample_copy(tmp.path(), "catalog");

    // A local edit of another connector survives; shippo's edits and deletions are undone.
    let hubspot_file = out.join("hubspot/actions/getContact.json");
    let mut edited = read_json(&hubspot_file);
    edited["action"]["description"] = Value::String("edited locally".into());
    write_json(&hubspot_file, &edited);
    let shippo_file = out.join("shippo/actions/getTrack.json");
    let mut shippo_edit = read_json(&shippo_file);
    shippo_edit["action"]["description"] = Value::String("stale".into());
    write_json(&shippo_file, &shippo_edit);
    std::fs::remove_file(out.join("shippo/actions/getAddress.json")).unwrap();

    let code = fetch_with(&client(&server), &out, &source(&server, &["shippo"]))
        .await
        .expect("fetch succeeds");
    assert_exit(code, ExitCode::SUCCESS);

    assert_eq!(read_json(&hubspot_file), edited);
    let sample = paths::sample_catalog();
    for connector in ["shippo", "quickbooks", "freshdesk"] {
        let diff = compare_trees(&sample.join(connector), &out.join(connector)).unwrap();
        assert!(diff.is_identical(), "{connector}:\n{diff}");
    }
    let requested_others = server
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/connectors/") && !r.path.starts_with("/connectors/shippo"));
    assert_eq!(requested_others, None, "only shippo is fetched");

    let err = fetch_with(&client(&server), &out, &source(&server, &["nope"]))
        .await
        .expect_err("an unknown connector is refused");
    assert!(format!("{err:#}").contains("`nope`"), "{err:#}");
    assert_eq!(read_json(&hubspot_file), edited);
}

/// A previous snapshot that differs from the sample: `hubspot` has an extra action the API no
/// longer offers, and `createContact`'s body lacks the optional `phone` the API now accepts.
fn drifted_snapshot(tmp: &Path, name: &str) -> PathBuf {
    let out = sample_copy(tmp, name);
    let actions = out.join("hubspot/actions");
    let mut extra = read_json(&actions.join("getContact.json"));
    extra["action"]["id"] = Value::String("getContactLegacy".into());
    write_json(&actions.join("getContactLegacy.json"), &extra);

    let create = actions.join("createContact.json");
    let mut action = read_json(&create);
    let fields = action
        .pointer_mut("/action/requestBody/properties/properties/properties")
        .and_then(Value::as_object_mut)
        .expect("createContact has a properties object");
    assert!(fields.remove("phone").is_some());
    write_json(&create, &action);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_report_lists_changes_and_deny_breaking_exits_2() {
    let server = sample_server().await;
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("drift.md");

    let out = drifted_snapshot(tmp.path(), "denied");
    let mut denying = source(&server, &[]);
    denying.report = Some(report.clone());
    denying.deny_breaking = true;
    let code = fetch_with(&client(&server), &out, &denying)
        .await
        .expect("fetch succeeds");
    assert_exit(code, ExitCode::from(2));

    let markdown = std::fs::read_to_string(&report).expect("the report is written");
    assert!(markdown.starts_with("# Catalog drift"), "{markdown}");
    assert!(markdown.contains("## `hubspot`"), "{markdown}");
    let removed = markdown
        .lines()
        .find(|l| l.contains("Removed actions (breaking)"))
        .unwrap_or_else(|| panic!("no removed actions line:\n{markdown}"));
    assert!(removed.contains("`getContactLegacy`"), "{markdown}");
    let create = markdown
        .split("### ")
        .find(|section| section.starts_with("`createContact`"))
        .unwrap_or_else(|| panic!("no createContact section:\n{markdown}"));
    assert!(
        create.starts_with("`createContact` (compatible)"),
        "{create}"
    );
    assert!(
        create
            .lines()
            .any(|l| l.starts_with("- compatible:") && l.contains("`phone` added")),
        "{create}"
    );
    for other in ["quickbooks", "shippo", "freshdesk"] {
        assert!(!markdown.contains(&format!("`{other}`")), "{markdown}");
    }
    // The new snapshot is installed even though the exit code reports the breaking change.
    assert!(
        compare_trees(&paths::sample_catalog(), &out)
            .unwrap()
            .is_identical()
    );

    // Without --deny-breaking the same drift is reported and the command succeeds.
    let out = drifted_snapshot(tmp.path(), "allowed");
    let mut allowing = source(&server, &[]);
    allowing.report = Some(tmp.path().join("drift-allowed.md"));
    let code = fetch_with(&client(&server), &out, &allowing)
        .await
        .expect("fetch succeeds");
    assert_exit(code, ExitCode::SUCCESS);
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("drift-allowed.md")).unwrap(),
        markdown
    );
}
