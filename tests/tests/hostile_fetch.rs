//! A hostile or broken server never costs the user's snapshot or writes outside it.
//!
//! - ids that would become paths (`../../x`, `/abs`, `.hidden`, empty) are refused before
//!   anything is written, naming the id; the previous snapshot stays byte-for-byte;
//! - an action id that is an odd file name (`../../../evil`, `.well-known`) is stored encoded,
//!   inside the snapshot, and loads back;
//! - a listing with no connectors never replaces a snapshot that had some.
//!
//! The hostile listings come from a small axum server on loopback; the encoded action ids from
//! alloy-mock serving a snapshot that has them.

use std::path::Path;
use std::time::Duration;

use alloy_e2e::{compare_trees, copy_tree, paths};
use alloy_mock::MockServer;
use alloy_model::Catalog;
use alloy_runtime::{Client, RetryPolicy};
use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};
use xtask::FetchSource;
use xtask::regenerate::fetch_with;

/// Serves `listing` as `GET /connectors` and nothing else, on loopback.
async fn listing_server(listing: Value) -> String {
    let app = Router::new().route(
        "/connectors",
        get(move || async move { axum::Json(listing) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key("hostile-key")
        .base_url(base_url)
        .retry(RetryPolicy::default().max_attempts(1))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn source(base_url: &str) -> FetchSource {
    FetchSource {
        api_url: base_url.to_owned(),
        connectors: Vec::new(),
        concurrency: 4,
        report: None,
        deny_breaking: false,
    }
}

/// Every path below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_that_would_escape_the_snapshot_are_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    // The snapshot lives two levels down, so `../../x` would land inside `tmp`.
    let out = tmp.path().join("a/b/catalog");
    copy_tree(&paths::sample_catalog(), &out).unwrap();
    let before = tree(tmp.path());
    let absolute = tmp.path().join("abs").display().to_string();

    for id in [
        "../../x",
        "..",
        absolute.as_str(),
        ".hidden",
        "",
        "a\\b",
        "tab\there",
    ] {
        let url = listing_server(json!({"connectors": [
            {"id": "hubspot", "name": "HubSpot"},
            {"id": id, "name": "Evil"},
        ]}))
        .await;
        let err = fetch_with(&client(&url), &out, &source(&url))
            .await
            .expect_err("an id that is not one plain path segment fails the fetch");
        let text = format!("{err:#}");
        assert!(text.contains(&format!("{id:?}")), "{id:?}: {text}");
        assert!(text.contains("nothing was written"), "{id:?}: {text}");
        assert_eq!(tree(tmp.path()), before, "{id:?}: something was written");
    }
    let diff = compare_trees(&paths::sample_catalog(), &out).unwrap();
    assert!(diff.is_identical(), "the snapshot changed:\n{diff}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_listing_never_replaces_a_snapshot_with_connectors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("catalog");
    copy_tree(&paths::sample_catalog(), &out).unwrap();
    let url = listing_server(json!({"connectors": []})).await;

    let err = fetch_with(&client(&url), &out, &source(&url))
        .await
        .expect_err("an empty listing over a full snapshot is refused");
    let text = format!("{err:#}");
    assert!(text.contains("listed no connectors"), "{text}");
    let diff = compare_trees(&paths::sample_catalog(), &out).unwrap();
    assert!(diff.is_identical(), "the snapshot changed:\n{diff}");
    assert_eq!(
        tree(tmp.path())
            .iter()
            .filter(|p| !p.starts_with("catalog"))
            .count(),
        0
    );

    // Into an empty folder, an empty catalog is just that.
    let fresh = tmp.path().join("fresh");
    fetch_with(&client(&url), &fresh, &source(&url))
        .await
        .expect("an empty catalog into a new folder is fine");
    assert_eq!(Catalog::load(&fresh).unwrap().connectors.len(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_action_ids_are_stored_encoded_inside_the_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    copy_tree(&paths::sample_catalog(), &served).unwrap();
    // Rename one hubspot action to ids a careless fetch would turn into paths.
    let actions = served.join("hubspot/actions");
    let resources_path = served.join("hubspot/resources.json");
    let mut resources: Value =
        serde_json::from_str(&std::fs::read_to_string(&resources_path).unwrap()).unwrap();
    let mut renamed = Vec::new();
    for (i, new_id) in ["../../../evil", ".well-known"].into_iter().enumerate() {
        let action = &mut resources["resources"][0]["actions"][i];
        let old_id = action["id"].as_str().unwrap().to_owned();
        action["id"] = json!(new_id);
        let old_file = actions.join(alloy_model::snapshot::action_file_name(&old_id));
        let mut body: Value =
            serde_json::from_str(&std::fs::read_to_string(&old_file).unwrap()).unwrap();
        body["action"]["id"] = json!(new_id);
        std::fs::remove_file(&old_file).unwrap();
        std::fs::write(
            actions.join(alloy_model::snapshot::action_file_name(new_id)),
            alloy_model::snapshot::to_canonical_json(&body),
        )
        .unwrap();
        renamed.push(new_id);
    }
    std::fs::write(
        &resources_path,
        alloy_model::snapshot::to_canonical_json(&resources),
    )
    .unwrap();

    let server = MockServer::from_dir(&served).await.unwrap();
    let out = tmp.path().join("x/y/catalog");
    fetch_with(
        &client(&server.base_url()),
        &out,
        &source(&server.base_url()),
    )
    .await
    .expect("odd action ids fetch");
    let fetched = Catalog::load(&out).unwrap();
    for id in renamed {
        assert!(
            fetched.connectors["hubspot"].actions.contains_key(id),
            "{id}"
        );
    }
    let outside: Vec<String> = tree(tmp.path())
        .into_iter()
        .filter(|p| !p.starts_with("served") && !p.starts_with("x"))
        .collect();
    assert!(
        outside.is_empty(),
        "written outside the snapshot: {outside:?}"
    );
    assert!(
        tree(&out.join("hubspot/actions"))
            .iter()
            .all(|f| !f.starts_with('.')),
        "no hidden action files"
    );
    let diff = compare_trees(&served, &out).unwrap();
    assert!(diff.is_identical(), "{diff}");
}
