//! A server that misbehaves never gets the client's secrets out:
//!
//! - a redirect to another origin is not followed (the other origin receives nothing) and is a
//!   clear error; a redirect within the origin still works;
//! - every error code alloy-mock uses has a name.
//!
//! Echoed secrets are tested in `echo_redaction.rs` (alone in its binary: it captures logs).
//! Each server is a small axum app on loopback.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use alloy_runtime::{
    ActionId, AuthType, Client, ConnectorId, CredentialInput, Error, ExecuteRequest, RetryPolicy,
    SecretData,
};
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use serde_json::{Value, json};

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

/// Everything a server received.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn push(&self, what: String) {
        self.0.lock().unwrap().push(what);
    }
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn redirects_to_another_origin_are_refused_and_the_other_origin_gets_nothing() {
    let seen = Seen::default();
    let thief = {
        let seen = seen.clone();
        serve(
            Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
                let seen = seen.clone();
                async move {
                    seen.push(format!("{headers:?} {}", String::from_utf8_lossy(&body)));
                    (
                        StatusCode::CREATED,
                        axum::Json(json!({"credentialId": "stolen"})),
                    )
                }
            }),
        )
        .await
    };
    let redirect = move |to: String| {
        move || {
            let to = to.clone();
            async move { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]) }
        }
    };
    let api = serve(
        Router::new()
            .route(
                "/connectors/acme/credentials/metadata",
                get(|| async { axum::Json(metadata()) }),
            )
            .route(
                "/connectors/acme/credentials",
                post(redirect(format!("{thief}/steal"))),
            )
            .route(
                "/connectors/acme/actions/doIt/execute",
                post(redirect(format!("{thief}/steal"))),
            )
            .route(
                "/connectors/acme/actions/here/execute",
                post(redirect("/connectors/acme/actions/moved/execute".into())),
            )
            .route(
                "/connectors/acme/actions/moved/execute",
                post(|body: Bytes| async move {
                    let sent: Value = serde_json::from_slice(&body).unwrap();
                    axum::Json(json!({"responseData": {"gotHeader": sent["additionalHeaders"]["X-Upstream-Token"]}}))
                }),
            ),
    )
    .await;
    let user = client(&api).user("user-1");
    let acme = ConnectorId::new("acme");

    let err = user
        .create_credential(&acme, &input())
        .await
        .expect_err("a 307 to another origin is not followed");
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("another origin"), "{text}");
    assert!(!err.is_retryable());

    let err = user
        .execute(&acme, &ActionId::new("doIt"), &execute_request())
        .await
        .expect_err("an execute redirected elsewhere is refused too");
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(
        seen.all().is_empty(),
        "the other origin received: {:?}",
        seen.all()
    );

    // Within the same origin the redirect is followed, body and all.
    let moved = user
        .execute(&acme, &ActionId::new("here"), &execute_request())
        .await
        .expect("a same-origin redirect is followed");
    assert_eq!(moved.response_data()["gotHeader"], HEADER_SECRET);
}

/// Every code alloy-mock answers with has a named [`alloy_runtime::ErrorCode`] variant, so apps
/// match on `ErrorCode::Conflict` rather than `Other("CONFLICT")`.
#[tokio::test]
async fn every_code_the_mock_uses_is_named() {
    for code in alloy_mock::ErrorCode::ALL {
        let parsed = alloy_runtime::ErrorCode::parse(code.as_str());
        assert!(
            !matches!(parsed, alloy_runtime::ErrorCode::Other(_)),
            "{} is not named",
            code.as_str()
        );
    }
    let server = alloy_mock::MockServer::from_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/catalogs/basic"
    ))
    .await
    .unwrap();
    let client = client(&server.base_url());
    let new = alloy_runtime::NewUser::new("twice");
    client.create_user(&new).await.unwrap();
    let err = client.create_user(&new).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(&alloy_runtime::ErrorCode::Conflict),
        "{err}"
    );
}
