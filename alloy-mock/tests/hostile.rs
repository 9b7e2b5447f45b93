//! The mock under a hostile client: its control API wants the API key, its recordings neither
//! hand out secrets nor grow without bound, and no username can hide another user.

mod common;

use alloy_mock::{MockConfig, MockServer, RecordedRequest};
use common::*;
use reqwest::Method;
use serde_json::json;

const STRICT_KEY: &str = "strict-key-123";

fn strict_api(server: &MockServer, method: Method, path: &str) -> reqwest::RequestBuilder {
    client()
        .request(method, format!("{}{path}", server.base_url()))
        .bearer_auth(STRICT_KEY)
        .header("x-api-version", "2025-09")
}

#[tokio::test]
async fn the_control_api_needs_the_key_and_shows_no_secret() {
    let server =
        MockServer::from_dir_with(fixture_dir(), MockConfig::default().api_key(STRICT_KEY))
            .await
            .unwrap();
    let (status, body) =
        send(strict_api(&server, Method::POST, "/users").json(&json!({"username": "ada"}))).await;
    assert_eq!(status, 200, "{body}");
    let user = body["userId"].as_str().unwrap().to_owned();
    let (status, body) = send(
        strict_api(&server, Method::POST, "/connectors/taskboard/credentials").json(&json!({
            "userId": user, "authenticationType": "apiKey",
            "data": {"apiKey": "tb-credential-secret-42"}
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    for (method, path) in [
        (Method::GET, "/_mock/requests"),
        (Method::DELETE, "/_mock/requests"),
        (Method::POST, "/_mock/faults"),
        (Method::DELETE, "/_mock/faults"),
    ] {
        let anonymous = client()
            .request(method.clone(), format!("{}{path}", server.base_url()))
            .json(&json!({"path": "/**", "fault": {"kind": "status", "status": 500}}))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401, "{method} {path} without the key");
        let wrong = client()
            .request(method.clone(), format!("{}{path}", server.base_url()))
            .bearer_auth("guessed")
            .header("x-api-version", "2025-09")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401, "{method} {path} with a wrong key");
    }
    assert_eq!(
        server.requests().len(),
        2,
        "refused requests are not recorded"
    );

    let text = strict_api(&server, Method::GET, "/_mock/requests")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains(STRICT_KEY), "{text}");
    assert!(!text.contains("tb-credential-secret-42"), "{text}");
    let shown: Vec<RecordedRequest> = serde_json::from_str(&text).unwrap();
    assert_eq!(shown[1].json().unwrap()["data"]["apiKey"], "<redacted>");
    assert_eq!(
        shown[1].json().unwrap()["userId"],
        user.as_str(),
        "the rest is kept"
    );
}

#[tokio::test]
async fn unauthenticated_bodies_are_neither_recorded_nor_kept() {
    let server = MockServer::from_dir_with(
        fixture_dir(),
        MockConfig::default()
            .api_key(STRICT_KEY)
            .record_byte_limit(1024 * 1024),
    )
    .await
    .unwrap();
    let big = vec![b'x'; 4 * 1024 * 1024];
    for _ in 0..4 {
        let answer = client()
            .post(format!("{}/users", server.base_url()))
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 401);
    }
    assert!(server.requests().is_empty());

    // Authenticated bodies count against the byte budget: the oldest go first, and one body
    // over the whole budget is recorded without it.
    for i in 0..3 {
        let body = format!(
            "{{\"username\": \"u{i}\", \"pad\": \"{}\"}}",
            "p".repeat(400 * 1024)
        );
        strict_api(&server, Method::POST, "/users")
            .body(body)
            .send()
            .await
            .unwrap();
    }
    let kept = server.requests();
    let bytes: usize = kept.iter().map(|r| r.body.len()).sum();
    assert!(bytes <= 1024 * 1024, "{bytes} bytes kept");
    assert_eq!(kept.len(), 2);
    strict_api(&server, Method::POST, "/users")
        .body(big)
        .send()
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert!(last.body_dropped && last.body.is_empty());
}

#[tokio::test]
async fn a_username_equal_to_a_user_id_cannot_hide_that_user() {
    let server = server().await;
    let victim = create_user(&server, "victim").await;
    let credential = taskboard_credential(&server, &victim).await;

    let (status, body) =
        send(api(&server, Method::POST, "/users").json(&json!({"username": victim}))).await;
    assert_eq!(
        status, 409,
        "a username may not be another user's id: {body}"
    );
    let other = create_user(&server, "other").await;
    let (status, _) = send(
        api(&server, Method::PUT, &format!("/users/{other}")).json(&json!({"username": victim})),
    )
    .await;
    assert_eq!(status, 409, "nor become one");

    let (status, body) = send(
        api(
            &server,
            Method::GET,
            &format!("/users/{victim}/credentials"),
        )
        .header("x-alloy-userid", &victim),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.to_string().contains(&credential), "{body}");
    let (status, body) = send(api(&server, Method::GET, &format!("/users/{victim}"))).await;
    assert_eq!((status, body["username"].as_str()), (200, Some("victim")));
}
