//! Shared helpers of the integration tests: a server on the fixture catalog and a client that
//! sends the documented headers.
#![allow(dead_code)]

use std::path::PathBuf;

use alloy_mock::MockServer;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

pub const API_KEY: &str = "test-key";

/// `fixtures/catalogs/basic` of this repository.
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/catalogs/basic"
    ))
}

/// A mock serving the fixture catalog.
pub async fn server() -> MockServer {
    MockServer::from_dir(fixture_dir())
        .await
        .expect("fixture catalog serves")
}

/// A client that does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

/// A request with `Authorization` and `x-api-version`.
pub fn api(server: &MockServer, method: Method, path: &str) -> RequestBuilder {
    client()
        .request(method, format!("{}{path}", server.base_url()))
        .bearer_auth(API_KEY)
        .header("x-api-version", "2025-09")
}

/// Status and JSON body of a response.
pub async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body reads");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, body)
}

/// Sends and returns status and JSON body.
pub async fn send(request: RequestBuilder) -> (u16, Value) {
    json(request.send().await.expect("request succeeds")).await
}

/// Asserts an error envelope with this status and code, and returns its `details`.
pub fn assert_error(result: &(u16, Value), status: u16, code: &str) -> Value {
    let (got_status, body) = result;
    assert_eq!(*got_status, status, "status of {body}");
    let error = &body["error"];
    assert_eq!(error["source"], "CONNECTIVITY_API", "{body}");
    assert_eq!(error["code"], code, "{body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(error["details"].is_object(), "{body}");
    error["details"].clone()
}

/// Creates a user over the API and returns its id.
pub async fn create_user(server: &MockServer, username: &str) -> String {
    let (status, body) = send(
        api(server, Method::POST, "/users").json(&serde_json::json!({ "username": username })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["userId"].as_str().expect("userId").to_owned()
}

/// Creates an apiKey credential of `user_id` for `taskboard` and returns its id.
pub async fn taskboard_credential(server: &MockServer, user_id: &str) -> String {
    let (status, body) = send(
        api(server, Method::POST, "/connectors/taskboard/credentials").json(&serde_json::json!({
            "userId": user_id, "authenticationType": "apiKey", "data": {"apiKey": "0123456789"}
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["credentialId"]
        .as_str()
        .expect("credentialId")
        .to_owned()
}

/// Reads a fixture file as JSON.
pub fn fixture_json(relative: &str) -> Value {
    let path = fixture_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}
