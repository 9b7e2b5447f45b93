//! Shared set-up of the integration tests: a loopback alloy-mock serving the fixture catalog,
//! and a client tuned to retry fast.
#![allow(dead_code)]

use std::time::Duration;

use alloy_mock::{MockConfig, MockServer};
use alloy_runtime::{
    Client, ConnectorId, CredentialId, CredentialInput, RetryPolicy, SecretData, UserClient,
};

/// The API key the mock accepts.
pub const API_KEY: &str = "sk_test_9f8e7d6c5b4a-runtime-secret";
/// A credential secret used in tests, searched for by the leak test.
pub const CREDENTIAL_SECRET: &str = "tb-secret-key-31337";

pub fn fixture_dir() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/catalogs/basic").to_owned()
}

/// A mock serving the basic fixture catalog and accepting only [`API_KEY`].
pub async fn mock() -> MockServer {
    let catalog = alloy_model::Catalog::load(fixture_dir()).expect("fixture catalog loads");
    MockServer::start_with(catalog, MockConfig::default().api_key(API_KEY))
        .await
        .expect("mock starts")
}

/// Millisecond backoff so retry tests are quick; 3 attempts like the default.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .retry_after_cap(Duration::from_millis(20))
}

pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.base_url())
        .retry(fast_retry())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

/// A fresh user (named `name`) and its handle.
pub fn user(server: &MockServer, client: &Client, name: &str) -> UserClient {
    client.user(server.create_user(name))
}

pub fn taskboard() -> ConnectorId {
    ConnectorId::new("taskboard")
}

/// An apiKey credential on `taskboard` for `user`.
pub async fn taskboard_credential(user: &UserClient) -> CredentialId {
    user.create_credential(
        &taskboard(),
        &CredentialInput::new(
            "apiKey",
            SecretData::new().with("apiKey", CREDENTIAL_SECRET),
        ),
    )
    .await
    .expect("credential created")
}

/// Execute requests the mock has recorded.
pub fn executes(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/execute"))
        .count()
}
