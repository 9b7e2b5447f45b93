//! Serves the shared corpus (`../shared/catalogs`, 13 connectors, 4,742 actions) when present:
//! every connector's documents and a sample of actions verbatim, and the execute checks on a
//! sample of actions, with credentials of every authentication type the corpus uses.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use alloy_mock::MockServer;
use common::*;
use reqwest::Method;
use serde_json::{Map, Value, json};

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/catalogs"
    ));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: corpus not found at {}", dir.display());
        None
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn connector_dirs(corpus: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn action_files(connector: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(connector.join("actions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Every 25th action file (by name), and the first and last, below 1 MB so a debug build
/// stays quick.
fn sample(files: &[PathBuf]) -> Vec<&PathBuf> {
    files
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 25 == 0 || *i == files.len() - 1)
        .map(|(_, f)| f)
        .filter(|f| f.metadata().unwrap().len() < 1_000_000)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_connector_and_a_sample_of_actions_are_served_verbatim() {
    let Some(corpus) = corpus_dir() else { return };
    let server = MockServer::from_dir(&corpus).await.unwrap();
    let (status, list) = send(api(&server, Method::GET, "/connectors")).await;
    assert_eq!(status, 200);
    let listed = list["connectors"].as_array().unwrap();
    let dirs = connector_dirs(&corpus);
    assert_eq!(listed.len(), dirs.len());
    let mut actions_checked = 0;
    for (dir, item) in dirs.iter().zip(listed) {
        let id = dir.file_name().unwrap().to_str().unwrap();
        let connector: Value = serde_json::from_str(&read(&dir.join("connector.json"))).unwrap();
        assert_eq!(item, &connector, "{id}");
        for (route, file) in [
            ("", "connector.json"),
            ("/resources", "resources.json"),
            ("/credentials/metadata", "credentials-metadata.json"),
        ] {
            let text = api(&server, Method::GET, &format!("/connectors/{id}{route}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_eq!(
                text,
                read(&dir.join(file)),
                "{id}{route} is the file's text"
            );
        }
        let files = action_files(dir);
        let (_, actions) = send(api(
            &server,
            Method::GET,
            &format!("/connectors/{id}/actions"),
        ))
        .await;
        assert_eq!(
            actions["actions"].as_array().unwrap().len(),
            files.len(),
            "{id}"
        );
        for file in sample(&files) {
            let expected = read(file);
            let action_id = serde_json::from_str::<Value>(&expected).unwrap()["action"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let response = api(
                &server,
                Method::GET,
                &format!("/connectors/{id}/actions/{action_id}"),
            )
            .send()
            .await
            .unwrap();
            assert_eq!(response.status(), 200, "{id}/{action_id}");
            let text = response.text().await.unwrap();
            assert_eq!(text, expected, "{id}/{action_id}");
            actions_checked += 1;
        }
    }
    assert!(actions_checked > 150, "{actions_checked}");
}

/// A create-credential body built from an entry's `inputSchema`: every required `data`
/// member gets a string.
fn credential_body(user: &str, entry: &Value) -> Value {
    let auth_type = entry["authenticationType"].as_str().unwrap();
    let mut body = json!({"userId": user, "authenticationType": auth_type});
    if auth_type == "oauth2" {
        body["redirectUri"] = json!("https://app.example/oauth/done");
    }
    let data_schema = &entry["inputSchema"]["properties"]["data"];
    if let Some(required) = data_schema["required"].as_array() {
        let data: Map<String, Value> = required
            .iter()
            .map(|name| (name.as_str().unwrap().to_owned(), json!("value-0123456789")))
            .collect();
        body["data"] = Value::Object(data);
    }
    body
}

async fn create_credential(server: &MockServer, connector: &str, body: &Value) -> String {
    let (status, created) = send(
        api(
            server,
            Method::POST,
            &format!("/connectors/{connector}/credentials"),
        )
        .json(body),
    )
    .await;
    assert_eq!(status, 200, "{connector}: {created}");
    if let Some(id) = created["credentialId"].as_str() {
        return id.to_owned();
    }
    let consent = client()
        .get(created["oauthUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), 303);
    let location = url::Url::parse(consent.headers()["location"].to_str().unwrap()).unwrap();
    let query: HashMap<_, _> = location.query_pairs().into_owned().collect();
    query["credentialId"].clone()
}

/// The execute body with every required parameter set and no request body.
fn execute_body(credential: &str, action: &Value) -> Value {
    let mut path = Map::new();
    let mut query = Map::new();
    let mut headers = Map::new();
    for p in action["parameters"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap().to_owned();
        let location = p["in"].as_str().unwrap();
        let required = p["required"].as_bool().unwrap_or(false) || location == "path";
        match location {
            "path" => {
                path.insert(name, json!("1"));
            }
            "query" if required => {
                query.insert(name, json!("1"));
            }
            "header" if required => {
                headers.insert(name, json!("1"));
            }
            _ => {}
        }
    }
    let template = action["path"].as_str().unwrap();
    for piece in template.split('{').skip(1) {
        if let Some((name, _)) = piece.split_once('}') {
            path.entry(name.to_owned()).or_insert(json!("1"));
        }
    }
    json!({"credentialId": credential, "pathParams": path, "queryParameters": query,
        "additionalHeaders": headers})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sample_of_actions_executes_with_every_auth_type() {
    let Some(corpus) = corpus_dir() else { return };
    let server = MockServer::from_dir(&corpus).await.unwrap();
    // Answers are compared with the samples as they are; serving pages is tested in
    // tests/tests/paging.rs.
    server.set_pages(0);
    let user = create_user(&server, "corpus-user").await;
    let mut executed = 0;
    for dir in connector_dirs(&corpus) {
        let id = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let metadata: Value =
            serde_json::from_str(&read(&dir.join("credentials-metadata.json"))).unwrap();
        let mut credentials = Vec::new();
        for entry in metadata["metadata"].as_array().unwrap() {
            credentials.push(create_credential(&server, &id, &credential_body(&user, entry)).await);
        }
        let files = action_files(&dir);
        for (n, file) in sample(&files).into_iter().enumerate() {
            let action = serde_json::from_str::<Value>(&read(file)).unwrap()["action"].clone();
            let action_id = action["id"].as_str().unwrap();
            let credential = &credentials[n % credentials.len()];
            let (status, body) = send(
                api(
                    &server,
                    Method::POST,
                    &format!("/connectors/{id}/actions/{action_id}/execute"),
                )
                .header("x-alloy-userid", &user)
                .json(&execute_body(credential, &action)),
            )
            .await;
            match status {
                200 => {
                    let sample = action
                        .get("sampleSuccessResponse")
                        .cloned()
                        .unwrap_or(Value::Null);
                    assert_eq!(body["responseData"], sample, "{id}/{action_id}");
                    assert_eq!(body["status"], "completed");
                }
                400 => {
                    // Only the omitted request body may be refused.
                    let details = assert_error(&(status, body.clone()), 400, "INVALID_INPUT");
                    assert!(
                        action.get("requestBody").is_some(),
                        "{id}/{action_id}: {body}"
                    );
                    assert!(
                        details["pointer"]
                            .as_str()
                            .unwrap()
                            .starts_with("/requestBody"),
                        "{id}/{action_id}: {body}"
                    );
                }
                _ => panic!("{id}/{action_id}: {status} {body}"),
            }
            executed += 1;
        }
    }
    assert!(executed > 150, "{executed}");
}

/// Compiles every request-body schema of the corpus through execute (no 500). Slow in a debug
/// build: `cargo test -p alloy-mock --release --test corpus -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "compiles ~1,800 schemas up to 16 MB; run in release"]
async fn every_request_body_schema_compiles() {
    let Some(corpus) = corpus_dir() else { return };
    let server = MockServer::from_dir(&corpus).await.unwrap();
    let user = create_user(&server, "corpus-user").await;
    let mut failures = Vec::new();
    let mut compiled = 0;
    for dir in connector_dirs(&corpus) {
        let id = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let metadata: Value =
            serde_json::from_str(&read(&dir.join("credentials-metadata.json"))).unwrap();
        let entry = &metadata["metadata"][0];
        let credential = create_credential(&server, &id, &credential_body(&user, entry)).await;
        for file in action_files(&dir) {
            let action = serde_json::from_str::<Value>(&read(&file)).unwrap()["action"].clone();
            if action.get("requestBody").is_none() {
                continue;
            }
            let action_id = action["id"].as_str().unwrap();
            let mut body = execute_body(&credential, &action);
            body["requestBody"] = json!({});
            let (status, answer) = send(
                api(
                    &server,
                    Method::POST,
                    &format!("/connectors/{id}/actions/{action_id}/execute"),
                )
                .header("x-alloy-userid", &user)
                .json(&body),
            )
            .await;
            if status != 200 && status != 400 {
                failures.push(format!("{id}/{action_id}: {status} {answer}"));
            }
            compiled += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compiled}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
