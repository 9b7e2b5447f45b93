//! The fault matrix against alloy-mock: each fault ends in the right typed error or a bounded,
//! correct retry, counted from the requests the server recorded.

mod common;

use std::time::Duration;

use alloy_mock::{Fault, FaultRule, MockServer};
use alloy_runtime::{
    ActionCall, ActionId, Client, CredentialId, Error, ExecuteRequest, HttpMethod, TransportKind,
    UserClient,
};
use common::*;
use serde_json::{Value, json};

const EXECUTE: &str = "/connectors/*/actions/*/execute";

fn status(code: u16, retry_after: Option<&str>) -> Fault {
    Fault::Status {
        status: code,
        retry_after: retry_after.map(str::to_owned),
    }
}

fn count(server: &MockServer, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// A user with a taskboard credential, recordings cleared.
async fn setup(server: &MockServer, client: &Client) -> (UserClient, CredentialId) {
    let user = user(server, client, "faults");
    let credential = taskboard_credential(&user).await;
    server.clear_requests();
    (user, credential)
}

async fn create_card(
    user: &UserClient,
    credential: &CredentialId,
    opt_in: bool,
) -> Result<Value, Error> {
    let body = json!({"name": "n"});
    user.execute_as::<Value, Value>(
        ActionCall::new("taskboard", "createCard", HttpMethod::Post, credential)
            .query("idList", "L1")
            .body(&body)
            .retry_non_idempotent(opt_in),
    )
    .await
    .map(|e| e.data)
}

async fn custom_fields(user: &UserClient, credential: &CredentialId) -> Result<Value, Error> {
    user.execute_as::<(), Value>(
        ActionCall::new(
            "taskboard",
            "getCardCustomFields",
            HttpMethod::Get,
            credential,
        )
        .path_param("idCard", "c1"),
    )
    .await
    .map(|e| e.data)
}

#[tokio::test]
async fn rate_limits_are_retried_with_and_without_retry_after() {
    let server = mock().await;
    let client = client(&server);

    server.inject(FaultRule::new(Some("GET"), "/connectors", status(429, Some("1"))).times(2));
    client.list_connectors().await.unwrap();
    assert_eq!(count(&server, "GET", "/connectors"), 3);
    server.clear_requests();

    // An HTTP-date Retry-After in the past means "now".
    server.inject(
        FaultRule::new(
            Some("GET"),
            "/connectors",
            status(429, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
        )
        .times(1),
    );
    client.list_connectors().await.unwrap();
    assert_eq!(count(&server, "GET", "/connectors"), 2);
    server.clear_requests();

    // Without Retry-After: backoff, then give up after the attempt budget with the 429.
    server.inject(FaultRule::new(Some("GET"), "/connectors", status(429, None)).times(10));
    let err = client.list_connectors().await.unwrap_err();
    assert_eq!(count(&server, "GET", "/connectors"), 3);
    assert_eq!(err.status(), Some(429));
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), None);
    server.clear_faults();
    server.clear_requests();

    // A 429 on a non-idempotent execute is still retried: nothing was processed.
    let (user, credential) = setup(&server, &client).await;
    server.inject(FaultRule::new(Some("POST"), EXECUTE, status(429, Some("1"))).times(2));
    create_card(&user, &credential, false).await.unwrap();
    assert_eq!(executes(&server), 3);
}

#[tokio::test]
async fn server_errors_are_retried_for_idempotent_requests() {
    let server = mock().await;
    let client = client(&server);
    for code in [502, 503, 504] {
        server.inject(FaultRule::new(Some("GET"), "/connectors", status(code, None)).times(2));
        client.list_connectors().await.unwrap();
        assert_eq!(count(&server, "GET", "/connectors"), 3, "{code}");
        server.clear_requests();

        server.inject(FaultRule::new(Some("GET"), "/connectors", status(code, None)).times(3));
        let err = client.list_connectors().await.unwrap_err();
        assert_eq!(err.status(), Some(code));
        assert!(err.is_retryable());
        assert_eq!(err.code().map(|c| c.as_str()), Some("INTERNAL_ERROR"));
        assert_eq!(count(&server, "GET", "/connectors"), 3, "{code}: bounded");
        server.clear_requests();
    }
    // 500, 501 and other errors are final by default.
    for code in [500, 501] {
        server.inject(FaultRule::new(Some("GET"), "/connectors", status(code, None)).times(3));
        let err = client.list_connectors().await.unwrap_err();
        assert!(!err.is_retryable(), "{code}");
        assert_eq!(count(&server, "GET", "/connectors"), 1, "{code}");
        server.clear_faults();
        server.clear_requests();
    }
    // A 500 is retried when the policy opts in.
    let opted = Client::builder()
        .api_key(API_KEY)
        .base_url(server.base_url())
        .retry(fast_retry().retry_internal_errors(true))
        .build()
        .unwrap();
    server.inject(FaultRule::new(Some("GET"), "/connectors", status(500, None)).times(2));
    opted.list_connectors().await.unwrap();
    assert_eq!(count(&server, "GET", "/connectors"), 3);
}

#[tokio::test]
async fn execute_retries_5xx_only_for_idempotent_upstream_methods() {
    let server = mock().await;
    let client = client(&server);
    let (user, credential) = setup(&server, &client).await;

    for code in [502, 503, 504] {
        // POST upstream: never sent twice by default.
        server.inject(FaultRule::new(Some("POST"), EXECUTE, status(code, Some("1"))).times(2));
        let err = create_card(&user, &credential, false).await.unwrap_err();
        assert_eq!(err.status(), Some(code));
        assert_eq!(
            executes(&server),
            1,
            "{code}: a POST execute was sent twice"
        );
        server.clear_faults();
        server.clear_requests();

        // The caller opted in.
        server.inject(FaultRule::new(Some("POST"), EXECUTE, status(code, None)).times(2));
        create_card(&user, &credential, true).await.unwrap();
        assert_eq!(executes(&server), 3);
        server.clear_requests();

        // GET upstream: retried.
        server.inject(FaultRule::new(Some("POST"), EXECUTE, status(code, None)).times(2));
        custom_fields(&user, &credential).await.unwrap();
        assert_eq!(executes(&server), 3);
        server.clear_requests();
    }

    // The raw form: without an upstream method, a 5xx is not retried.
    server.inject(FaultRule::new(Some("POST"), EXECUTE, status(503, None)).times(2));
    let request = ExecuteRequest::new(credential.clone()).path_param("idCard", "c1");
    let action = ActionId::new("getCardCustomFields");
    user.execute(&taskboard(), &action, &request)
        .await
        .unwrap_err();
    assert_eq!(executes(&server), 1);
    server.clear_faults();
    server.clear_requests();
    server.inject(FaultRule::new(Some("POST"), EXECUTE, status(503, None)).times(2));
    user.execute(
        &taskboard(),
        &action,
        &request.upstream_method(HttpMethod::Get),
    )
    .await
    .unwrap();
    assert_eq!(executes(&server), 3);
}

#[tokio::test]
async fn dropped_connections() {
    let server = mock().await;
    let client = client(&server);
    let (user, credential) = setup(&server, &client).await;

    server.inject(FaultRule::new(Some("GET"), "/connectors", Fault::DropConnection).times(1));
    client.list_connectors().await.unwrap();
    assert_eq!(count(&server, "GET", "/connectors"), 2);

    // The request reached the server: a POST execute is not repeated.
    server.inject(FaultRule::new(Some("POST"), EXECUTE, Fault::DropConnection).times(2));
    let err = create_card(&user, &credential, false).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Request | TransportKind::Body,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(executes(&server), 1);
}

#[tokio::test]
async fn delays_past_the_timeout() {
    let server = mock().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.base_url())
        .retry(fast_retry())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let (user, credential) = setup(&server, &client).await;

    server.inject(FaultRule::new(Some("GET"), "/connectors", Fault::delay(3_000)).times(1));
    client.list_connectors().await.unwrap();
    assert_eq!(count(&server, "GET", "/connectors"), 2);

    server.inject(FaultRule::new(Some("POST"), EXECUTE, Fault::delay(3_000)).times(3));
    let err = create_card(&user, &credential, false).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(executes(&server), 1);
    server.clear_requests();

    server.inject(FaultRule::new(Some("GET"), "/connectors", Fault::delay(3_000)).times(3));
    let err = client.list_connectors().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(count(&server, "GET", "/connectors"), 3);
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors() {
    let server = mock().await;
    let client = client(&server);
    let (user, credential) = setup(&server, &client).await;

    server.inject(FaultRule::new(Some("GET"), "/connectors", Fault::MalformedJson).times(1));
    let err = client.list_connectors().await.unwrap_err();
    match &err {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 200);
            assert!(excerpt.contains("unquoted"), "{err}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(count(&server, "GET", "/connectors"), 1);

    server.inject(FaultRule::new(Some("GET"), "/connectors", Fault::TruncatedJson).times(1));
    let err = client.list_connectors().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("EOF"), "{err}");

    server.inject(FaultRule::new(Some("POST"), EXECUTE, Fault::TruncatedJson).times(1));
    let err = custom_fields(&user, &credential).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_ten_megabyte_body_is_read_or_refused_by_the_limit() {
    let server = mock().await;
    let client = client(&server);
    let (user, credential) = setup(&server, &client).await;
    const TEN_MB: usize = 10 * 1024 * 1024;

    server
        .inject(FaultRule::new(Some("POST"), EXECUTE, Fault::LargeBody { bytes: TEN_MB }).times(1));
    let data = custom_fields(&user, &credential).await.unwrap();
    assert_eq!(
        data.as_str().map(str::len),
        Some(TEN_MB - r#"{"responseData":""}"#.len())
    );

    let small = Client::builder()
        .api_key(API_KEY)
        .base_url(server.base_url())
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap()
        .user(user.user_id().clone());
    server
        .inject(FaultRule::new(Some("POST"), EXECUTE, Fault::LargeBody { bytes: TEN_MB }).times(1));
    let err = custom_fields(&small, &credential).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn revoked_and_foreign_credentials() {
    let server = mock().await;
    let client = client(&server);
    let (owner, credential) = setup(&server, &client).await;

    // Another user's credential: refused by the ownership check and by the API.
    let other = user(&server, &client, "mallory");
    let err = other
        .ensure_owns_credential(&taskboard(), &credential)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CredentialNotOwned { .. }), "{err:?}");
    assert!(!err.needs_reconnect() && err.user_message().contains("reconnect"));
    owner
        .ensure_owns_credential(&taskboard(), &credential)
        .await
        .unwrap();
    server.clear_requests();
    let err = custom_fields(&other, &credential).await.unwrap_err();
    assert!(err.needs_reconnect(), "{err:?}");
    assert_eq!(executes(&server), 1, "not retried");

    // Revoked (deleted) credential.
    owner.delete_credential(&credential).await.unwrap();
    server.clear_requests();
    let err = custom_fields(&owner, &credential).await.unwrap_err();
    assert!(matches!(err, Error::InvalidCredential { .. }), "{err:?}");
    assert!(err.needs_reconnect());
    assert_eq!(
        err.api_error().unwrap().details["credentialId"],
        json!(credential.as_str())
    );
    assert_eq!(executes(&server), 1);

    // The injected fault form.
    server.inject(FaultRule::new(Some("POST"), EXECUTE, Fault::InvalidCredential).times(1));
    let fresh = taskboard_credential(&owner).await;
    assert!(
        custom_fields(&owner, &fresh)
            .await
            .unwrap_err()
            .needs_reconnect()
    );
    custom_fields(&owner, &fresh).await.unwrap();
}

#[tokio::test]
async fn connect_failures_are_retried_then_reported() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retry())
        .build()
        .unwrap();
    let credential = CredentialId::new("c");
    let err = create_card(&client.user("u"), &credential, false)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn the_time_budget_bounds_retries() {
    let server = mock().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.base_url())
        .retry(fast_retry().max_attempts(10).max_elapsed(Duration::ZERO))
        .build()
        .unwrap();
    server.inject(FaultRule::new(Some("GET"), "/connectors", status(503, None)).times(5));
    let err = client.list_connectors().await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(count(&server, "GET", "/connectors"), 1);
}
