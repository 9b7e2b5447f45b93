//! The fetch round trip over the real-world corpus (`../shared/catalogs`): `alloy-mock` serves
//! it, `xtask` fetches everything with 16 requests in flight, and every file comes back
//! byte-for-byte (the corpus files are canonical JSON: sorted keys, two-space indent, final
//! newline, the same text the fetch writes).
//!
//! The whole corpus (13 connectors, 4,742 actions, 100 MB) takes about 23 s in a debug build on
//! two busy cores (load and serve 4 s, fetch 18 s), well inside the CI budget, so it runs by
//! default. It prints a notice and passes when the corpus is absent.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use alloy_e2e::{compare_trees, paths};
use alloy_mock::MockServer;
use alloy_model::{Catalog, ConnectorId, LoadOptions};
use alloy_runtime::{Client, RetryPolicy};
use xtask::FetchSource;
use xtask::regenerate::fetch_with;

fn corpus_or_skip(test: &str) -> Option<PathBuf> {
    let corpus = paths::corpus();
    if corpus.is_none() {
        eprintln!("skipping {test}: the corpus ../shared/catalogs is not present");
    }
    corpus
}

/// The connector folders of the corpus, sorted.
fn connector_ids(corpus: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("connector.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// Serves `connectors` of the corpus, fetches them all into a temp folder, and compares.
async fn round_trip(corpus: PathBuf, connectors: Vec<String>) {
    let started = Instant::now();
    let only: Vec<ConnectorId> = connectors.iter().map(ConnectorId::new).collect();
    let load_dir = corpus.clone();
    let catalog = tokio::task::spawn_blocking(move || {
        Catalog::load_with(&load_dir, &LoadOptions::default().keep_raw(true).only(only))
    })
    .await
    .unwrap()
    .expect("the corpus loads");
    let actions = catalog.action_count();
    let server = MockServer::start(catalog).await.expect("the mock starts");
    let loaded = started.elapsed();

    let client = Client::builder()
        .api_key("e2e-corpus-key")
        .base_url(server.base_url())
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(50)),
        )
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("catalog");
    let source = FetchSource {
        api_url: server.base_url(),
        connectors: Vec::new(),
        concurrency: 16,
        report: None,
        deny_breaking: false,
    };
    let code = fetch_with(&client, &out, &source)
        .await
        .expect("the corpus fetch succeeds");
    assert_eq!(format!("{code:?}"), format!("{:?}", ExitCode::SUCCESS));
    let fetched = started.elapsed();

    let mut fetched_dirs: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    fetched_dirs.sort();
    let mut expected_dirs = connectors.clone();
    expected_dirs.sort();
    assert_eq!(fetched_dirs, expected_dirs);

    let mut identical = 0;
    for id in &connectors {
        let diff = compare_trees(&corpus.join(id), &out.join(id)).unwrap();
        assert!(
            diff.is_json_equal(),
            "connector `{id}`: the fetched files differ in content:\n{diff}"
        );
        assert!(
            diff.is_identical(),
            "connector `{id}`: the fetched files are JSON-equal but not byte-equal:\n{diff}"
        );
        identical += diff.identical;
    }
    assert_eq!(identical, connectors.len() * 3 + actions);
    eprintln!(
        "corpus round trip: {} connectors, {actions} actions, {identical} files; \
         load+serve {loaded:.1?}, fetch {:.1?}, compare {:.1?}",
        connectors.len(),
        fetched - loaded,
        started.elapsed() - fetched
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_corpus_round_trips_through_fetch() {
    let Some(corpus) = corpus_or_skip("the corpus round trip") else {
        return;
    };
    let all = connector_ids(&corpus);
    assert!(
        !all.is_empty(),
        "no connector folders in {}",
        corpus.display()
    );
    round_trip(corpus, all).await;
}
