//! A server that echoes the request in a 4xx message, in a malformed 200, or in an in-band
//! error puts no credential data, forwarded header value or API key into the error's
//! `Display`/`Debug` or into the log. Alone in its test binary: `tracing` caches per call
//! site whether anyone listens, so a test without a subscriber running beside it could hide
//! the log lines this one must see.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alloy_runtime::{
    ActionId, AuthType, Client, ConnectorId, CredentialInput, ExecuteRequest, RetryPolicy,
    SecretData,
};
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

const API_KEY: &str = "sk_hostile_api_key_777";
const SECRET: &str = "hunter2-credential-secret";
const HEADER_SECRET: &str = "upstream-token-31337";

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .retry(RetryPolicy::default().max_attempts(1))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn metadata() -> Value {
    json!({"metadata": [{
        "authenticationType": "apiKey",
        "inputSchema": {"type": "object", "properties": {"data": {
            "type": "object",
            "properties": {"apiKey": {"type": "string"}},
            "required": ["apiKey"]
        }}}
    }]})
}

fn input() -> CredentialInput {
    CredentialInput::new(AuthType::ApiKey, SecretData::new().with("apiKey", SECRET))
}

fn execute_request() -> ExecuteRequest {
    ExecuteRequest::new("cred-1").header("X-Upstream-Token", HEADER_SECRET)
}

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

/// Answers with the request it got, headers included, in the way each route names.
async fn echo(kind: &'static str, headers: HeaderMap, body: Bytes) -> Response {
    let request = String::from_utf8_lossy(&body).into_owned();
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    match kind {
        "envelope" => (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": {
                "code": "INVALID_INPUT",
                "message": format!("cannot accept {request} from {auth}"),
                "details": {"request": serde_json::from_slice::<Value>(&body).unwrap_or_default()}
            }})),
        )
            .into_response(),
        "text" => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("bad: {request} {auth}"),
        )
            .into_response(),
        // A 200 whose body does not fit: serde quotes the offending value.
        "malformed" => {
            axum::Json(json!({"credentialId": {"echo": request, "auth": auth}})).into_response()
        }
        "wrongtype" => {
            let sent: Value = serde_json::from_slice(&body).unwrap_or_default();
            axum::Json(json!({"credentialId": sent["data"]["apiKey"].as_str().map(|s| s.len()), "x": sent}))
                .into_response()
        }
        "inband" => axum::Json(json!({"error": {
            "code": "INVALID_INPUT",
            "message": format!("upstream refused {request}")
        }}))
        .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[tokio::test]
async fn echoed_requests_leave_no_secret_in_errors_or_logs() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("alloy_runtime=trace"))
        .with_writer(buffer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut app = Router::new().route(
        "/connectors/{connector}/credentials/metadata",
        get(|| async { axum::Json(metadata()) }),
    );
    for kind in ["envelope", "text", "malformed", "wrongtype", "inband"] {
        app = app
            .route(
                &format!("/connectors/{kind}/credentials"),
                post(move |h: HeaderMap, b: Bytes| echo(kind, h, b)),
            )
            .route(
                &format!("/connectors/{kind}/actions/act/execute"),
                post(move |h: HeaderMap, b: Bytes| echo(kind, h, b)),
            );
    }
    let api = serve(app).await;
    let user = client(&api).user("user-1");

    let mut shown = Vec::new();
    for kind in ["envelope", "text", "malformed", "wrongtype", "inband"] {
        let connector = ConnectorId::new(kind);
        if kind != "inband" {
            let err = user
                .create_credential(&connector, &input())
                .await
                .expect_err("the echoing server's answer is an error");
            shown.push(format!("{kind} create: {err} | {err:?}"));
        }
        let err = user
            .execute(&connector, &ActionId::new("act"), &execute_request())
            .await;
        if let Err(err) = err {
            shown.push(format!("{kind} execute: {err} | {err:?}"));
            if let Some(api) = err.api_error() {
                shown.push(format!("{kind} raw: {}", api.raw_text()));
            }
        }
    }
    let logs = String::from_utf8_lossy(&buffer.0.lock().unwrap()).into_owned();
    assert!(
        logs.contains("request rejected"),
        "the rejections were logged: {logs}"
    );
    for text in shown.iter().chain([&logs]) {
        for secret in [SECRET, HEADER_SECRET, API_KEY] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
    // The errors still say what happened, with the secret's place marked.
    assert!(shown.iter().any(|s| s.contains("<redacted>")), "{shown:#?}");
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("envelope create") && s.contains("INVALID_INPUT"))
    );
}
