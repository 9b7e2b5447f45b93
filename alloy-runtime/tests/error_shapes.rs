//! Error bodies alloy-mock never sends (flat, message-only, non-JSON, empty, unknown codes,
//! in-band execute errors), served by a small axum server in the test, plus the client's
//! configurable headers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use alloy_runtime::{
    ActionId, BodyShape, Client, ConnectorId, Error, ErrorCode, ErrorSource, ExecuteRequest,
    RetryPolicy, UserId,
};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

#[derive(Clone, Default)]
struct Seen {
    hits: Arc<AtomicUsize>,
    headers: Arc<std::sync::Mutex<Vec<HeaderMap>>>,
}

async fn user(State(seen): State<Seen>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    seen.hits.fetch_add(1, Ordering::SeqCst);
    seen.headers.lock().unwrap().push(headers);
    let json = [(header::CONTENT_TYPE, "application/json")];
    match id.as_str() {
        "flat" => (
            StatusCode::UNAUTHORIZED,
            json,
            r#"{"error":"Unauthorized","message":"Invalid API key"}"#,
        )
            .into_response(),
        "message" => (
            StatusCode::UNAUTHORIZED,
            json,
            r#"{"message":"Unauthorized"}"#,
        )
            .into_response(),
        "html" => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html>Bad gateway</html>",
        )
            .into_response(),
        "empty" => StatusCode::NOT_FOUND.into_response(),
        "unknown" => (
            StatusCode::IM_A_TEAPOT,
            json,
            r#"{"error":{"source":"EDGE_CACHE","code":"BREWING","message":"short and stout",
                "details":{"httpStatusCode":418}}}"#,
        )
            .into_response(),
        "later" => {
            let when =
                httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, when)],
                "",
            )
                .into_response()
        }
        _ => (
            json,
            format!(r#"{{"userId":"{id}","username":"u","fullName":"F"}}"#),
        )
            .into_response(),
    }
}

async fn delete_user() -> StatusCode {
    StatusCode::NO_CONTENT
}

async fn execute(Path((connector, _action)): Path<(String, String)>) -> Response {
    let json = [(header::CONTENT_TYPE, "application/json")];
    let body = if connector == "inband" {
        r#"{"success":false,"error":{"source":"THIRD_PARTY","code":"INVALID_CREDENTIAL","message":"token revoked"}}"#
    } else if connector == "missing" {
        let error = r#"{"error":{"source":"ALLOY","code":"NOT_FOUND","message":"no such action"}}"#;
        return (StatusCode::NOT_FOUND, json, error).into_response();
    } else {
        r#"{"success":true,"result":{"messageId":"1234567890"}}"#
    };
    (json, body).into_response()
}

async fn serve() -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route("/users/{id}", get(user).delete(delete_user))
        .route("/connectors/{c}/actions/{a}/execute", post(execute))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn client(base: &str) -> Client {
    Client::builder()
        .api_key("k-123")
        .base_url(format!("{base}/"))
        .api_version("2025-06")
        .user_agent("my-app/2.0")
        .retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2))
                .retry_after_cap(Duration::from_millis(10)),
        )
        .build()
        .unwrap()
}

async fn get_err(client: &Client, id: &str) -> Error {
    client.get_user(&UserId::new(id)).await.unwrap_err()
}

#[tokio::test]
async fn every_error_body_shape_decodes() {
    let (base, seen) = serve().await;
    let client = client(&base);

    let err = get_err(&client, "flat").await;
    let api = err.api_error().unwrap();
    assert_eq!((api.status, api.shape), (401, BodyShape::Flat));
    assert_eq!(
        api.message.as_deref(),
        Some("Unauthorized: Invalid API key")
    );
    assert_eq!(err.user_message(), "This request is not authorized.");
    assert_eq!(
        err.to_string(),
        "/users/{userId}: HTTP 401: Unauthorized: Invalid API key"
    );

    let err = get_err(&client, "message").await;
    assert_eq!(err.api_error().unwrap().shape, BodyShape::MessageOnly);

    seen.hits.store(0, Ordering::SeqCst);
    let err = get_err(&client, "html").await;
    let api = err.api_error().unwrap();
    assert_eq!((api.status, api.shape), (502, BodyShape::Text));
    assert_eq!(api.raw_text(), "<html>Bad gateway</html>");
    assert_eq!(
        seen.hits.load(Ordering::SeqCst),
        3,
        "a GET 502 is retried to the bound"
    );

    let err = get_err(&client, "empty").await;
    assert_eq!(err.status(), Some(404));
    assert!(err.api_error().unwrap().raw_body.is_empty());

    let err = get_err(&client, "unknown").await;
    let api = err.api_error().unwrap();
    assert_eq!(api.source, Some(ErrorSource::Other("EDGE_CACHE".into())));
    assert_eq!(api.code, Some(ErrorCode::Other("BREWING".into())));
    assert_eq!(api.upstream_status(), Some(418));

    // A far-future HTTP-date Retry-After is honoured only up to the cap, then reported.
    seen.hits.store(0, Ordering::SeqCst);
    let err = get_err(&client, "later").await;
    assert_eq!(seen.hits.load(Ordering::SeqCst), 3);
    assert!(err.retry_after().unwrap() > Duration::from_secs(3000));
}

#[tokio::test]
async fn configured_headers_are_sent() {
    let (base, seen) = serve().await;
    let client = client(&base);
    let user = client.get_user(&UserId::new("abc")).await.unwrap();
    assert_eq!(user.user_id, "abc");
    let headers = seen.headers.lock().unwrap().pop().unwrap();
    assert_eq!(headers["authorization"], "Bearer k-123");
    assert_eq!(headers["x-api-version"], "2025-06");
    assert_eq!(headers["user-agent"], "my-app/2.0");
    assert_eq!(headers["accept"], "application/json");
    assert!(headers.get("x-alloy-userid").is_none());

    // A 204 delete reads as an empty acknowledgement.
    let ack = client.delete_user(&UserId::new("abc")).await.unwrap();
    assert_eq!(ack.success, None);
}

#[tokio::test]
async fn execute_envelopes() {
    let (base, _) = serve().await;
    let user = client(&base).user("u1");
    let request = ExecuteRequest::new("c1");

    let ok = user
        .execute(&ConnectorId::new("slack"), &ActionId::new("post"), &request)
        .await
        .unwrap();
    assert_eq!(ok.success(), Some(true));
    assert_eq!(ok.response_data()["messageId"], "1234567890");

    let err = user
        .execute(
            &ConnectorId::new("inband"),
            &ActionId::new("post"),
            &request,
        )
        .await
        .unwrap_err();
    assert!(err.needs_reconnect(), "{err:?}");
    assert_eq!(err.status(), Some(200));
    // Which action failed is in the message, not only the route template.
    let route = "(/connectors/{connectorId}/actions/{actionId}/execute): ";
    assert!(
        err.to_string().starts_with(&format!("inband/post {route}")),
        "{err}"
    );
    assert_eq!(
        err.api_error().unwrap().source,
        Some(ErrorSource::ThirdParty)
    );

    let err = user
        .execute(
            &ConnectorId::new("missing"),
            &ActionId::new("sendNote"),
            &request,
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(
        err.to_string()
            .starts_with(&format!("missing/sendNote {route}")),
        "{err}"
    );
    // Calls that are not an execute name their route alone.
    let err = get_err(&client(&base), "empty").await;
    assert!(err.to_string().starts_with("/users/{userId}: "), "{err}");
}

#[tokio::test]
async fn builder_rejects_bad_settings() {
    let missing = Client::builder().build().unwrap_err();
    assert!(missing.to_string().contains("ALLOY_API_KEY"), "{missing}");
    for url in ["not a url", "ftp://x", "http://h/?q=1"] {
        let err = Client::builder()
            .api_key("k")
            .base_url(url)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
    }
    let err = Client::builder().api_key("bad\nkey").build().unwrap_err();
    assert!(!err.to_string().contains("bad"), "{err}");
}
