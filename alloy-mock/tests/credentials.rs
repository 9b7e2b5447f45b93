//! Credential routes over HTTP: key-based creates, the OAuth2 dance, listings and deletes.

mod common;

use axum::extract::Query;
use axum::routing::get;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashMap;

#[tokio::test]
async fn key_based_credentials_are_validated_against_the_input_schema() {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    let create = |body: Value| {
        send(api(&server, Method::POST, "/connectors/taskboard/credentials").json(&body))
    };

    let short = create(
        json!({"userId": user, "authenticationType": "apiKey", "data": {"apiKey": "short"}}),
    )
    .await;
    let details = assert_error(&short, 400, "INVALID_INPUT");
    assert_eq!(details["pointer"], "/data/apiKey");
    assert!(
        !short.1.to_string().contains("\"short\""),
        "secrets are masked: {}",
        short.1
    );
    let no_data = create(json!({"userId": user, "authenticationType": "apiKey"})).await;
    assert_eq!(
        assert_error(&no_data, 400, "INVALID_INPUT")["pointer"],
        "/data"
    );
    let unknown_type =
        create(json!({"userId": user, "authenticationType": "oauth2", "redirectUri": "http://x/"}))
            .await;
    let details = assert_error(&unknown_type, 400, "INVALID_INPUT");
    assert_eq!(details["pointer"], "/authenticationType");
    assert!(
        unknown_type.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("apiKey")
    );
    let no_type = create(json!({"userId": user})).await;
    assert_eq!(
        assert_error(&no_type, 400, "INVALID_INPUT")["pointer"],
        "/authenticationType"
    );
    let ghost = create(
        json!({"userId": "000000000000000000000000", "authenticationType": "apiKey",
        "data": {"apiKey": "0123456789"}}),
    )
    .await;
    assert_eq!(
        assert_error(&ghost, 400, "INVALID_INPUT")["pointer"],
        "/userId"
    );
    let unknown_connector = send(
        api(&server, Method::POST, "/connectors/nope/credentials")
            .json(&json!({"userId": user, "authenticationType": "apiKey"})),
    )
    .await;
    assert_error(&unknown_connector, 404, "NOT_FOUND");

    let (status, body) = create(json!({"userId": user, "authenticationType": "apiKey",
        "data": {"apiKey": "0123456789"}}))
    .await;
    assert_eq!(status, 200);
    let id = body["credentialId"].as_str().unwrap();
    assert_eq!(body, json!({"credentialId": id}));

    // basic and httpBearer on a connector offering both.
    let basic = send(
        api(&server, Method::POST, "/connectors/mailbox/credentials").json(&json!({
        "userId": "ada", "authenticationType": "basic", "data": {"username": "u"}})),
    )
    .await;
    assert_eq!(
        assert_error(&basic, 400, "INVALID_INPUT")["pointer"],
        "/data/password"
    );
    let (status, _) = send(
        api(&server, Method::POST, "/connectors/mailbox/credentials").json(&json!({
        "userId": user, "authenticationType": "httpBearer", "data": {"token": "t"}})),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn legacy_create_maps_credential_type() {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    let path = format!("/users/{user}/credentials");
    let (status, body) = send(api(&server, Method::POST, &path).json(&json!({
        "connectorId": "mailbox", "credentialType": "basic",
        "data": {"username": "u", "password": "p"}})))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert!(body["credentialId"].is_string());

    let wrong_type = send(api(&server, Method::POST, &path).json(&json!({
        "connectorId": "mailbox", "credentialType": "apiKey", "data": {}})))
    .await;
    assert_eq!(
        assert_error(&wrong_type, 400, "INVALID_INPUT")["pointer"],
        "/credentialType"
    );
    let missing = send(api(&server, Method::POST, &path).json(&json!({
        "connectorId": "mailbox", "credentialType": "basic", "data": {"password": "p"}})))
    .await;
    assert_eq!(
        assert_error(&missing, 400, "INVALID_INPUT")["pointer"],
        "/data/username"
    );
    let bad_connector = send(api(&server, Method::POST, &path).json(&json!({
        "connectorId": "nope", "credentialType": "basic"})))
    .await;
    assert_eq!(
        assert_error(&bad_connector, 400, "INVALID_INPUT")["pointer"],
        "/connectorId"
    );
    let oauth = send(api(&server, Method::POST, &path).json(&json!({
        "connectorId": "crmhub", "credentialType": "oauth2"})))
    .await;
    assert_eq!(
        assert_error(&oauth, 400, "INVALID_INPUT")["pointer"],
        "/credentialType"
    );
    let no_user = send(
        api(&server, Method::POST, "/users/nobody/credentials").json(&json!({
        "connectorId": "mailbox", "credentialType": "basic"})),
    )
    .await;
    assert_error(&no_user, 404, "NOT_FOUND");
}

#[tokio::test]
async fn oauth_consent_redirects_with_the_new_credential() {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    let create = |body: Value| {
        send(api(&server, Method::POST, "/connectors/crmhub/credentials").json(&body))
    };
    let no_redirect = create(json!({"userId": user, "authenticationType": "oauth2"})).await;
    assert_eq!(
        assert_error(&no_redirect, 400, "INVALID_INPUT")["pointer"],
        "/redirectUri"
    );
    let relative =
        create(json!({"userId": user, "authenticationType": "oauth2", "redirectUri": "/cb"})).await;
    assert_eq!(
        assert_error(&relative, 400, "INVALID_INPUT")["pointer"],
        "/redirectUri"
    );

    let (status, body) = create(json!({"userId": user, "authenticationType": "oauth2",
        "redirectUri": "https://app.example/cb?from=test", "data": {"subdomain": "acme"}}))
    .await;
    assert_eq!(status, 200);
    let oauth_url = body["oauthUrl"].as_str().unwrap().to_owned();
    assert!(oauth_url.starts_with(&format!("{}/_mock/oauth/authorize?", server.base_url())));

    // The consent page needs no API key and redirects with credentialId appended.
    let response = client().get(&oauth_url).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    assert_eq!(location.path(), "/cb");
    let query: HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(query["from"], "test");
    let credential_id = query["credentialId"].clone();

    let (_, listed) = send(
        api(&server, Method::GET, "/connectors/crmhub/credentials").header("x-alloy-userid", &user),
    )
    .await;
    let item = &listed["credentials"][0];
    assert_eq!(item["credentialId"], credential_id.as_str());
    assert_eq!(item["type"], "crmhub-oauth2");
    assert_eq!(item["name"], "ada's CRM Hub Credential");
    assert!(item["createdAt"].as_str().unwrap().ends_with('Z'));
    assert!(item["updatedAt"].is_string());

    // A state works once.
    let again = json(client().get(&oauth_url).send().await.unwrap()).await;
    assert_error(&again, 404, "NOT_FOUND");

    // Refusing consent redirects with an error and creates nothing.
    let (_, body) = create(json!({"userId": user, "authenticationType": "oauth2",
        "redirectUri": "https://app.example/cb"}))
    .await;
    let denied = client()
        .get(format!("{}&deny=true", body["oauthUrl"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 303);
    assert!(
        denied.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("error=access_denied")
    );
    let (_, listed) = send(api(
        &server,
        Method::GET,
        &format!("/users/{user}/credentials"),
    ))
    .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_redirect_following_client_runs_the_whole_flow() {
    // The app's redirect target: a local axum server that echoes the query it receives.
    let app = axum::Router::new().route(
        "/done",
        get(|Query(q): Query<HashMap<String, String>>| async move { axum::Json(q) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let server = server().await;
    let user = create_user(&server, "ada").await;
    let (_, body) = send(api(&server, Method::POST, "/connectors/crmhub/credentials").json(&json!({
        "userId": user, "authenticationType": "oauth2", "redirectUri": format!("http://{app_addr}/done")}))).await;
    let landed: HashMap<String, String> = reqwest::get(body["oauthUrl"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (_, listed) = send(api(
        &server,
        Method::GET,
        &format!("/credentials/users/{user}"),
    ))
    .await;
    assert_eq!(
        listed["data"][0]["credentialId"],
        landed["credentialId"].as_str()
    );
}

#[tokio::test]
async fn listings_and_deletes_are_per_user() {
    let server = server().await;
    let ada = create_user(&server, "ada").await;
    let bob = create_user(&server, "bob").await;
    let ada_cred = taskboard_credential(&server, &ada).await;
    let bob_cred = taskboard_credential(&server, &bob).await;
    let (_, mail) = send(
        api(&server, Method::POST, "/connectors/mailbox/credentials").json(&json!({
        "userId": ada, "authenticationType": "basic", "data": {"username": "u", "password": "p"}})),
    )
    .await;
    let ada_mail = mail["credentialId"].as_str().unwrap().to_owned();

    let (status, listed) = send(
        api(&server, Method::GET, "/connectors/taskboard/credentials")
            .header("x-alloy-userid", "ada"),
    )
    .await;
    assert_eq!(status, 200);
    let items = listed["credentials"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["credentialId"], ada_cred.as_str());
    assert_eq!(items[0]["type"], "taskboard-apiKey");
    assert!(items[0].get("connectorId").is_none());
    let (_, anonymous) = send(api(
        &server,
        Method::GET,
        "/connectors/taskboard/credentials",
    ))
    .await;
    assert_eq!(anonymous, json!({"credentials": []}));
    assert_error(
        &send(api(&server, Method::GET, "/connectors/nope/credentials")).await,
        404,
        "NOT_FOUND",
    );

    for path in [
        format!("/credentials/users/{ada}"),
        format!("/users/{ada}/credentials"),
    ] {
        let (status, listed) = send(api(&server, Method::GET, &path)).await;
        assert_eq!(status, 200);
        let mut ids: Vec<(&str, &str)> = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["connectorId"].as_str().unwrap(),
                    c["credentialId"].as_str().unwrap(),
                )
            })
            .collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                ("mailbox", ada_mail.as_str()),
                ("taskboard", ada_cred.as_str())
            ]
        );
    }
    let (_, filtered) = send(api(
        &server,
        Method::GET,
        &format!("/users/{ada}/credentials?connectorId=mailbox"),
    ))
    .await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 1);

    let not_hers = send(api(
        &server,
        Method::DELETE,
        &format!("/users/{ada}/credentials/{bob_cred}"),
    ))
    .await;
    assert_eq!(
        assert_error(&not_hers, 404, "NOT_FOUND")["credentialId"],
        bob_cred.as_str()
    );
    let (status, body) = send(api(
        &server,
        Method::DELETE,
        &format!("/users/{ada}/credentials/{ada_cred}"),
    ))
    .await;
    assert_eq!((status, body), (200, json!({"success": true})));
    let (_, listed) = send(api(
        &server,
        Method::GET,
        &format!("/users/{ada}/credentials"),
    ))
    .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    let (_, bobs) = send(api(
        &server,
        Method::GET,
        &format!("/users/{bob}/credentials"),
    ))
    .await;
    assert_eq!(bobs["data"][0]["credentialId"], bob_cred.as_str());
}

#[tokio::test]
async fn auth_config_required_demands_an_auth_config_id() {
    let mut catalog = alloy_model::Catalog::load(fixture_dir()).unwrap();
    let crmhub = catalog.connectors.get_mut("crmhub").unwrap();
    crmhub.credentials.metadata[0].auth_config_required = Some(true);
    let server = alloy_mock::MockServer::start(catalog).await.unwrap();
    let user = create_user(&server, "ada").await;
    let body = json!({"userId": user, "authenticationType": "oauth2", "redirectUri": "https://app.example/cb"});
    let missing =
        send(api(&server, Method::POST, "/connectors/crmhub/credentials").json(&body)).await;
    assert_eq!(
        assert_error(&missing, 400, "INVALID_INPUT")["pointer"],
        "/authConfigId"
    );
    let mut with_config = body.clone();
    with_config["authConfigId"] = json!("65a1b2c3d4e5f60718293a4b");
    let (status, created) =
        send(api(&server, Method::POST, "/connectors/crmhub/credentials").json(&with_config)).await;
    assert_eq!(status, 200, "{created}");
    assert!(created["oauthUrl"].is_string());
}
