//! No secret (API key, credential data, user JWT) in `Debug`/`Display` of clients, requests
//! and errors, nor in `tracing` output captured at TRACE.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use alloy_mock::{Fault, FaultRule};
use alloy_runtime::{
    ActionCall, ApiKey, AuthType, Client, ConnectorId, CredentialInput, ExecuteRequest, HttpMethod,
    OAuthCredential, SecretData,
};
use common::*;
use serde_json::Value;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// A `tracing` writer appending to a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

const WEAK_SECRET: &str = "pw-shrt";

#[tokio::test]
async fn no_secret_reaches_formatting_or_logs() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(
            "alloy_runtime=trace,reqwest=trace,hyper=trace,hyper_util=trace",
        ))
        .with_writer(buffer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = mock().await;
    let client = client(&server);
    let user = user(&server, &client, "leaky");
    let mut shown: Vec<String> = vec![format!("{client:?}"), format!("{user:?}")];

    let input = CredentialInput::new(
        AuthType::ApiKey,
        SecretData::new().with("apiKey", CREDENTIAL_SECRET),
    );
    shown.push(format!("{input:?} {} {}", input.data, ApiKey::new(API_KEY)));
    let credential = user.create_credential(&taskboard(), &input).await.unwrap();

    // A rejected secret (too short) is named by field, not shown.
    let weak = CredentialInput::new(
        AuthType::ApiKey,
        SecretData::new().with("apiKey", WEAK_SECRET),
    );
    let err = user
        .create_credential(&taskboard(), &weak)
        .await
        .unwrap_err();
    shown.push(format!("{err} {err:?}"));

    let oauth = OAuthCredential::new("https://app.example/cb")
        .data(SecretData::new().with("subdomain", CREDENTIAL_SECRET));
    shown.push(format!("{oauth:?}"));
    user.create_oauth_credential(&ConnectorId::new("crmhub"), &oauth)
        .await
        .unwrap();

    let token = user.token().await.unwrap();
    shown.push(format!("{token:?}"));

    let request = ExecuteRequest::new(credential.clone())
        .path_param("idCard", "c1")
        .header("X-Upstream-Key", CREDENTIAL_SECRET)
        .upstream_method(HttpMethod::Get);
    shown.push(format!("{request:?}"));
    server.inject(
        FaultRule::new(
            Some("POST"),
            "/connectors/*/actions/*/execute",
            Fault::status(503),
        )
        .times(1),
    );
    user.execute(
        &taskboard(),
        &alloy_runtime::ActionId::new("getCardCustomFields"),
        &request,
    )
    .await
    .unwrap();
    let call = ActionCall::<()>::new(
        "taskboard",
        "getCardCustomFields",
        HttpMethod::Get,
        &credential,
    )
    .header("X-Upstream-Key", CREDENTIAL_SECRET);
    shown.push(format!("{call:?}"));

    // Errors of every kind the server can produce here.
    user.delete_credential(&credential).await.unwrap();
    let revoked = user
        .execute_as::<(), Value>(
            ActionCall::new(
                "taskboard",
                "getCardCustomFields",
                HttpMethod::Get,
                &credential,
            )
            .path_param("idCard", "c1"),
        )
        .await
        .unwrap_err();
    shown.push(format!("{revoked} {revoked:?} {}", revoked.user_message()));
    let wrong_key = Client::builder()
        .api_key("sk_wrong_0000")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let unauthorized = wrong_key.list_connectors().await.unwrap_err();
    shown.push(format!("{unauthorized} {unauthorized:?}"));
    let unreachable = Client::builder()
        .api_key(API_KEY)
        .base_url("http://127.0.0.1:1")
        .retry(fast_retry())
        .build()
        .unwrap()
        .list_connectors()
        .await
        .unwrap_err();
    shown.push(format!("{unreachable} {unreachable:?}"));

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The capture works: spans carry the route, user, attempt and status.
    assert!(
        logs.contains("route=\"/connectors/{connectorId}/credentials\"")
            || logs.contains("route=/connectors/{connectorId}/credentials"),
        "{logs}"
    );
    assert!(logs.contains("attempt=2"), "the 503 retry is logged");
    assert!(logs.contains("status=503"));
    assert!(logs.contains(user.user_id().as_str()));

    let everything = format!("{}\n{logs}", shown.join("\n"));
    for secret in [
        API_KEY,
        CREDENTIAL_SECRET,
        WEAK_SECRET,
        token.expose_secret(),
    ] {
        assert!(
            !everything.contains(secret),
            "secret {secret:?} leaked:\n{everything}"
        );
    }
}
