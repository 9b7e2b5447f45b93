//! Fault injection (in-process and over HTTP) and request recording.

mod common;

use alloy_mock::{Fault, FaultRule, MockConfig, MockServer, RecordedRequest};
use common::*;
use reqwest::Method;
use serde_json::json;

async fn get_connectors(server: &MockServer) -> reqwest::Result<reqwest::Response> {
    api(server, Method::GET, "/connectors").send().await
}

#[tokio::test]
async fn status_faults_answer_with_an_envelope_then_run_out() {
    let server = server().await;
    server.inject(FaultRule::new(Some("GET"), "/connectors", Fault::rate_limited(3)).times(2));
    for _ in 0..2 {
        let response = get_connectors(&server).await.unwrap();
        assert_eq!(response.headers()["retry-after"], "3");
        let result = json(response).await;
        assert_eq!(
            assert_error(&result, 429, "RATE_LIMITED")["httpStatusCode"],
            429
        );
    }
    assert_eq!(get_connectors(&server).await.unwrap().status(), 200);

    for (status, code) in [
        (500, "INTERNAL_ERROR"),
        (502, "INTERNAL_ERROR"),
        (503, "INTERNAL_ERROR"),
        (504, "INTERNAL_ERROR"),
    ] {
        server.inject(FaultRule::new(
            None,
            "/connectors/**",
            Fault::status(status),
        ));
        let result = send(api(&server, Method::GET, "/connectors/crmhub/resources")).await;
        assert_error(&result, status, code);
        let response = api(&server, Method::GET, "/connectors/crmhub/resources")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "the rule was used up");
    }
}

#[tokio::test]
async fn rules_match_methods_and_path_patterns() {
    let server = server().await;
    server.inject(
        FaultRule::new(
            Some("POST"),
            "/connectors/*/actions/*/execute",
            Fault::status(503),
        )
        .forever(),
    );
    // GET of the same path shape and other paths are untouched.
    assert_eq!(
        api(
            &server,
            Method::GET,
            "/connectors/crmhub/actions/getContact"
        )
        .send()
        .await
        .unwrap()
        .status(),
        200
    );
    for action in ["getContact", "listContacts", "anything"] {
        let result = send(
            api(
                &server,
                Method::POST,
                &format!("/connectors/crmhub/actions/{action}/execute"),
            )
            .json(&json!({})),
        )
        .await;
        assert_error(&result, 503, "INTERNAL_ERROR");
    }
    server.clear_faults();
    let result = send(
        api(
            &server,
            Method::POST,
            "/connectors/crmhub/actions/nope/execute",
        )
        .json(&json!({})),
    )
    .await;
    assert_error(&result, 404, "NOT_FOUND");
    // Faults answer before authentication.
    server.inject(FaultRule::new(None, "/**", Fault::status(502)));
    let response = client()
        .get(format!("{}/users", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
}

#[tokio::test]
async fn delays_then_the_normal_answer_or_a_fault() {
    let server = server().await;
    server.inject(FaultRule::new(None, "/connectors", Fault::delay(30)));
    assert_eq!(get_connectors(&server).await.unwrap().status(), 200);
    server.inject(FaultRule::new(
        None,
        "/connectors",
        Fault::delay_then(10, Fault::status(504)),
    ));
    assert_error(
        &json(get_connectors(&server).await.unwrap()).await,
        504,
        "INTERNAL_ERROR",
    );
    // A client timeout shorter than the delay sees a timeout.
    server.inject(FaultRule::new(None, "/connectors", Fault::delay(5_000)));
    let timed_out = api(&server, Method::GET, "/connectors")
        .timeout(std::time::Duration::from_millis(50))
        .send()
        .await
        .unwrap_err();
    assert!(timed_out.is_timeout(), "{timed_out:?}");
}

#[tokio::test]
async fn dropped_connections_are_connection_errors() {
    let server = server().await;
    server.inject(FaultRule::new(None, "/connectors", Fault::DropConnection).times(2));
    for _ in 0..2 {
        let error = get_connectors(&server).await.unwrap_err();
        assert!(error.status().is_none(), "{error:?}");
        assert!(error.is_request() || error.is_connect(), "{error:?}");
    }
    assert_eq!(get_connectors(&server).await.unwrap().status(), 200);
    // Also after a delay.
    server.inject(FaultRule::new(
        None,
        "/connectors",
        Fault::delay_then(5, Fault::DropConnection),
    ));
    assert!(get_connectors(&server).await.is_err());
}

#[tokio::test]
async fn broken_and_large_bodies() {
    let server = server().await;
    server.inject(FaultRule::new(None, "/connectors", Fault::MalformedJson));
    let response = get_connectors(&server).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );

    let full = get_connectors(&server).await.unwrap().text().await.unwrap();
    server.inject(FaultRule::new(None, "/connectors", Fault::TruncatedJson));
    let response = get_connectors(&server).await.unwrap();
    assert_eq!(response.status(), 200);
    let cut = response.text().await.unwrap();
    assert!(cut.len() < full.len() && full.starts_with(&cut));
    assert!(serde_json::from_str::<serde_json::Value>(&cut).is_err());

    let ten_mb = 10 * 1024 * 1024;
    server.inject(FaultRule::new(
        None,
        "/connectors",
        Fault::LargeBody { bytes: ten_mb },
    ));
    let body = get_connectors(&server)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(body.len(), ten_mb);
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(value["responseData"].is_string());
}

#[tokio::test]
async fn invalid_credential_on_demand() {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    let credential = taskboard_credential(&server, &user).await;
    server.inject(FaultRule::new(
        Some("POST"),
        "/connectors/*/actions/*/execute",
        Fault::InvalidCredential,
    ));
    let result = send(
        api(
            &server,
            Method::POST,
            "/connectors/taskboard/actions/archiveCard/execute",
        )
        .header("x-alloy-userid", &user)
        .json(&json!({"credentialId": credential, "pathParams": {"id": "c"}})),
    )
    .await;
    assert_eq!(
        assert_error(&result, 400, "INVALID_CREDENTIAL")["credentialId"],
        credential.as_str()
    );
    let (status, _) = send(
        api(
            &server,
            Method::POST,
            "/connectors/taskboard/actions/archiveCard/execute",
        )
        .header("x-alloy-userid", &user)
        .json(&json!({"credentialId": credential, "pathParams": {"id": "c"}})),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn faults_are_scriptable_over_http() {
    let server = server().await;
    let control = |method: Method, path: &str| api(&server, method, &format!("/_mock/{path}"));
    // The control API needs the API key like every API route.
    let refused = client()
        .post(format!("{}/_mock/faults", server.base_url()))
        .json(&json!({"path": "/connectors", "fault": {"kind": "status", "status": 500}}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(get_connectors(&server).await.unwrap().status(), 200);
    let rule = FaultRule::new(Some("GET"), "/connectors", Fault::rate_limited(1)).times(1);
    let armed = control(Method::POST, "faults")
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(armed.status(), 200);
    assert_eq!(get_connectors(&server).await.unwrap().status(), 429);
    assert_eq!(get_connectors(&server).await.unwrap().status(), 200);

    // Raw JSON as documented, then cleared before it fires.
    let raw =
        json!({"path": "/connectors", "times": 5, "fault": {"kind": "status", "status": 500}});
    control(Method::POST, "faults")
        .json(&raw)
        .send()
        .await
        .unwrap();
    assert_eq!(get_connectors(&server).await.unwrap().status(), 500);
    assert_eq!(
        control(Method::DELETE, "faults")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(get_connectors(&server).await.unwrap().status(), 200);

    let bad = json(
        control(Method::POST, "faults")
            .json(&json!({"path": "/x", "fault": {"kind": "meteor"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        assert_error(&bad, 400, "INVALID_INPUT")["pointer"],
        "/fault/kind"
    );
    let bad_status = json(
        control(Method::POST, "faults")
            .json(&json!({"path": "/x", "fault": {"kind": "status", "status": 7}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&bad_status, 400, "INVALID_INPUT");
    // Control routes are never faulted.
    server.inject(FaultRule::new(None, "/**", Fault::status(500)).forever());
    assert_eq!(
        client()
            .get(format!("{}/_mock/health", server.base_url()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn requests_are_recorded_in_order_and_readable_over_http() {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    api(&server, Method::GET, "/connectors/crmhub/actions?x=1")
        .header("x-alloy-userid", &user)
        .send()
        .await
        .unwrap();
    let recorded = server.requests();
    assert_eq!(recorded.len(), 2);
    let create = &recorded[0];
    assert_eq!(
        (create.method.as_str(), create.path.as_str()),
        ("POST", "/users")
    );
    assert_eq!(create.json(), Some(json!({"username": "ada"})));
    assert_eq!(create.header("Authorization"), Some("Bearer test-key"));
    let list = &recorded[1];
    assert_eq!(list.query.as_deref(), Some("x=1"));
    assert_eq!(list.header("x-alloy-userid"), Some(user.as_str()));
    assert!(list.body.is_empty());
    assert!(
        !format!("{list:?}").contains("test-key"),
        "Debug hides the key"
    );

    // Faulted requests are recorded too; control requests are not.
    server.inject(FaultRule::new(None, "/connectors", Fault::DropConnection));
    let _ = get_connectors(&server).await;
    let over_http: Vec<RecordedRequest> = api(&server, Method::GET, "/_mock/requests")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(over_http.len(), 3);
    let redacted: Vec<RecordedRequest> = recorded.iter().map(RecordedRequest::redacted).collect();
    assert_eq!(over_http[..2], redacted[..]);
    assert_eq!(
        over_http[0].header("Authorization"),
        Some("Bearer <redacted>")
    );
    assert_eq!(over_http[2].path, "/connectors");

    api(&server, Method::DELETE, "/_mock/requests")
        .send()
        .await
        .unwrap();
    assert!(server.requests().is_empty());
    get_connectors(&server).await.unwrap();
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_recorder_is_bounded() {
    let server = MockServer::from_dir_with(fixture_dir(), MockConfig::default().record_limit(3))
        .await
        .unwrap();
    for i in 0..10 {
        api(&server, Method::GET, &format!("/connectors?i={i}"))
            .send()
            .await
            .unwrap();
    }
    let queries: Vec<String> = server
        .requests()
        .into_iter()
        .filter_map(|r| r.query)
        .collect();
    assert_eq!(queries, ["i=7", "i=8", "i=9"]);
}

#[tokio::test]
async fn oversized_request_bodies_are_refused() {
    let server = MockServer::from_dir_with(fixture_dir(), MockConfig::default().body_limit(1024))
        .await
        .unwrap();
    let big = json!({"username": "x".repeat(2048)});
    let result = send(api(&server, Method::POST, "/users").json(&big)).await;
    assert_error(&result, 413, "INVALID_INPUT");
    let (status, _) =
        send(api(&server, Method::POST, "/users").json(&json!({"username": "small"}))).await;
    assert_eq!(status, 200);
}
