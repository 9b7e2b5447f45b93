//! Paging end to end over loopback: alloy-mock serves the pages of every paginated action the
//! detector finds (in `catalog/`, and in the corpus when `../shared/catalogs` is there), and
//! alloy-runtime's pager follows each style to the end: exactly the configured number of
//! pages, then the stream stops. The page count is set over the control API.

use std::path::Path;
use std::time::Duration;

use alloy_e2e::paths;
use alloy_mock::MockServer;
use alloy_model::paging::{PageStyle, detect};
use alloy_model::{Catalog, ParameterLocation};
use alloy_runtime::{ActionCall, Client, ConnectorId, CredentialId, RetryPolicy};
use futures::StreamExt;
use serde_json::{Value, json};

const PAGES: usize = 4;

async fn pages_through_every_paginated_action(dir: &Path, per_style: usize) -> usize {
    let catalog = Catalog::load(dir).expect("catalog loads");
    let server = MockServer::from_dir(dir).await.expect("mock serves");
    let client = Client::builder()
        .api_key("paging-e2e")
        .base_url(server.base_url())
        .retry(RetryPolicy::default().max_attempts(1))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    // The page count, through the control API as a test in another language would set it.
    let set = reqwest::Client::new()
        .put(format!("{}/_mock/paging", server.base_url()))
        .bearer_auth("paging-e2e")
        .header("x-api-version", "2025-09")
        .json(&json!({"pages": PAGES}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);

    let user_id = server.create_user("pager");
    let user = client.user(user_id);
    let mut checked = 0;
    for (id, connector) in &catalog.connectors {
        let Some(credential) = credential(&user, &server, id).await else {
            continue;
        };
        let mut per: std::collections::BTreeMap<&str, usize> = Default::default();
        for action in connector.actions.values() {
            let Some(paging) = detect(action) else {
                continue;
            };
            let count = per.entry(paging.style.name()).or_default();
            if *count >= per_style {
                continue;
            }
            *count += 1;
            let mut call: ActionCall<'_, Value> = ActionCall::new(
                id.as_str(),
                action.id.as_str(),
                action.http_method.clone(),
                &credential,
            );
            for p in &action.parameters {
                if !p.is_required() {
                    continue;
                }
                let v = Value::String("x".into());
                call = match p.location {
                    ParameterLocation::Path => call.path_param(p.name.clone(), v),
                    ParameterLocation::Query => call.query(p.name.clone(), v),
                    ParameterLocation::Header => call.header(p.name.clone(), v),
                    _ => call,
                };
            }
            for placeholder in action.path_placeholders() {
                if !call.path_params.contains_key(placeholder) {
                    call = call.path_param(placeholder, "x");
                }
            }
            let body = json!({});
            if action.request_body.is_some() {
                call = call.body(&body);
            }
            let pages: Vec<_> = user
                .pages::<Value, Value>(call, paging.clone(), Some(PAGES + 2))
                .collect()
                .await;
            let failed: Vec<String> = pages
                .iter()
                .filter_map(|p| p.as_ref().err().map(|e| e.to_string()))
                .collect();
            if !failed.is_empty() {
                // A body the mock refuses ({} for a schema with required members) says
                // nothing about paging; anything else is a failure.
                assert!(
                    failed.iter().all(|e| e.contains("INVALID_INPUT")),
                    "{id}/{}: {failed:?}",
                    action.id
                );
                continue;
            }
            // A listing whose answers never say "last page" learns it from an empty one.
            let expected = match &paging.style {
                PageStyle::PageNumber { .. } => PAGES + 1,
                PageStyle::Offset {
                    total: None, stop, ..
                } if stop.is_empty() => PAGES + 1,
                _ => PAGES,
            };
            assert_eq!(
                pages.len(),
                expected,
                "{id}/{} ({})",
                action.id,
                paging.style.name()
            );
            checked += 1;
        }
    }
    checked
}

/// A credential of `connector` for `user`: key-based where the connector has a key type,
/// else OAuth completed through the mock's consent page.
async fn credential(
    user: &alloy_runtime::UserClient,
    server: &MockServer,
    connector: &ConnectorId,
) -> Option<CredentialId> {
    let metadata = user.client().credentials_metadata(connector).await.ok()?;
    for entry in &metadata {
        if entry.authentication_type.as_str() != "oauth2" {
            // Every input the schema requires, with a value it accepts.
            let schema = entry.input_schema.as_ref();
            let data_schema = schema.and_then(|s| s.pointer("/properties/data"));
            let mut data = alloy_runtime::SecretData::new();
            let required = data_schema
                .and_then(|d| d.get("required"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for name in required.iter().filter_map(Value::as_str) {
                let property = data_schema.and_then(|d| d.pointer(&format!("/properties/{name}")));
                let value = property
                    .and_then(|p| p.get("enum"))
                    .and_then(Value::as_array)
                    .and_then(|e| e.first().cloned())
                    .unwrap_or_else(|| Value::String("secret-value-123".into()));
                data.insert(name, value);
            }
            let input =
                alloy_runtime::CredentialInput::new(entry.authentication_type.clone(), data);
            if let Ok(id) = user.create_credential(connector, &input).await {
                return Some(id);
            }
        }
    }
    for entry in &metadata {
        if entry.authentication_type.as_str() == "oauth2" {
            let start = user
                .create_oauth_credential(
                    connector,
                    &alloy_runtime::OAuthCredential::new("https://app.example/done"),
                )
                .await
                .ok()?;
            let consent = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .get(&start.oauth_url)
                .send()
                .await
                .ok()?;
            let location = consent.headers().get("location")?.to_str().ok()?.to_owned();
            let id = url::Url::parse(&location)
                .ok()?
                .query_pairs()
                .find(|(k, _)| k == "credentialId")?
                .1
                .into_owned();
            let _ = server;
            return Some(CredentialId::new(id));
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_serves_pages_and_the_pager_follows_them_to_the_end() {
    let checked = pages_through_every_paginated_action(&paths::sample_catalog(), usize::MAX).await;
    assert!(checked > 0, "catalog/ has paginated actions");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_style_of_the_corpus_pages_through_the_mock() {
    let Some(corpus) = paths::corpus() else {
        eprintln!("skipped: the corpus ../shared/catalogs is absent");
        return;
    };
    let checked = pages_through_every_paginated_action(&corpus, 3).await;
    assert!(checked >= 20, "only {checked} actions paged");
}

/// The generated hubspot crate's `list_contacts_pages` streams three pages of `listContacts`
/// from alloy-mock, typed, and its items come out as the sample's contacts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generated_crate_streams_every_page_of_list_contacts() {
    use alloy_hubspot::contacts::ListContactsParams;
    use alloy_hubspot::{Hubspot, HubspotCredential};

    let server = MockServer::from_dir(paths::sample_catalog()).await.unwrap();
    server.set_pages(3);
    let client = Client::builder()
        .api_key("paging-e2e")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let user = client.user(server.create_user("lister"));
    let credential = credential(&user, &server, &ConnectorId::new("hubspot"))
        .await
        .expect("a hubspot credential");
    let hubspot = Hubspot::new(user, HubspotCredential::new(credential));

    let mut params = ListContactsParams::new();
    params.limit = Some(2);
    let mut pages = hubspot.contacts().list_contacts_pages(&params);
    let mut afters = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.expect("each page executes");
        assert!(
            page.response.execution_id().is_some(),
            "Alloy's metadata is kept"
        );
        afters.push(page.data.paging.and_then(|p| p.next).and_then(|n| n.after));
    }
    assert_eq!(
        afters,
        [
            Some("page-2".to_owned()),
            Some("page-3".to_owned()),
            Some(String::new())
        ]
    );
    let executed: Vec<Value> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/listContacts/execute"))
        .map(|r| r.json().unwrap()["queryParameters"].clone())
        .collect();
    assert_eq!(
        executed,
        [
            json!({"limit": 2}),
            json!({"limit": 2, "after": "page-2"}),
            json!({"limit": 2, "after": "page-3"})
        ]
    );

    let contacts: Vec<Value> = hubspot
        .contacts()
        .list_contacts_pages(&params)
        .all_items()
        .await
        .unwrap();
    let sample = Catalog::load(paths::sample_catalog()).unwrap().connectors["hubspot"].actions
        ["listContacts"]
        .sample_success_response
        .clone()
        .unwrap();
    let per_page = sample["results"].as_array().unwrap().len();
    assert_eq!(contacts.len(), 3 * per_page);
    assert_eq!(contacts[0], sample["results"][0]);
}

/// The overrides file lives beside the catalog, so a fetch (which replaces the catalog
/// folder) keeps it, and the mock serving the fetched catalog honours it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_overrides_survive_a_fetch_and_steer_the_mock() {
    let source = MockServer::from_dir(paths::sample_catalog()).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let catalog = tmp.path().join("catalog");
    let overrides = tmp
        .path()
        .join(alloy_model::paging_overrides::OVERRIDES_FILE);
    let text = r#"{"hubspot": {"listContacts": null}}"#;
    std::fs::write(&overrides, text).unwrap();
    let client = Client::builder()
        .api_key("k")
        .base_url(source.base_url())
        .build()
        .unwrap();
    let fetch = xtask::FetchSource {
        api_url: source.base_url(),
        connectors: Vec::new(),
        concurrency: 4,
        report: None,
        deny_breaking: false,
    };
    xtask::regenerate::fetch_with(&client, &catalog, &fetch)
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(&overrides).unwrap(), text);

    let served = MockServer::from_dir(&catalog).await.unwrap();
    let client = Client::builder()
        .api_key("k")
        .base_url(served.base_url())
        .build()
        .unwrap();
    let user = client.user(served.create_user("o"));
    let credential = credential(&user, &served, &ConnectorId::new("hubspot"))
        .await
        .unwrap();
    let hubspot =
        alloy_hubspot::Hubspot::new(user, alloy_hubspot::HubspotCredential::new(credential));
    let page = hubspot
        .contacts()
        .list_contacts(&alloy_hubspot::contacts::ListContactsParams::new())
        .await
        .unwrap();
    let sample_after = Catalog::load(paths::sample_catalog()).unwrap().connectors["hubspot"]
        .actions["listContacts"]
        .sample_success_response
        .clone()
        .unwrap()["paging"]["next"]["after"]
        .clone();
    let after = page.data.paging.and_then(|p| p.next).and_then(|n| n.after);
    assert_eq!(
        after.map(Value::String),
        Some(sample_after),
        "not paged: the plain sample"
    );
}
