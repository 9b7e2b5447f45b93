//! The Embedded 2025-09 endpoints alloy-mock does not serve (headless credentials, credential
//! structures, workflow users), against a small axum server that records what it receives.

use std::sync::{Arc, Mutex};

use alloy_runtime::{Client, SecretData};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::IntoResponse;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: Uri,
    user: Option<String>,
    body: Bytes,
}

type Log = Arc<Mutex<Vec<Seen>>>;

async fn answer(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let user = headers
        .get("x-alloy-userid")
        .map(|v| v.to_str().unwrap().to_owned());
    let reply = match (method.as_str(), uri.path()) {
        ("POST", "/headless/credentials") => {
            json!({"success": true, "credentialId": "63252d14cc29df15cc481a76"})
        }
        ("GET", "/metadata/credentials") => json!({"data": [
            {"connector": "acuityScheduling", "icon": "https://i", "isOauth": false,
             "properties": [{"name": "apiKey", "displayName": "API Key"}]},
            {"name": "legacyApp", "isOauth": true, "properties": []}]}),
        ("GET", "/metadata/credentials/shopify") => json!({"data": {"connector": "shopify",
            "isOauth": true, "properties": [{"name": "shopSubdomain", "displayName": "Shop Subdomain",
            "description": "The store"}]}}),
        ("GET", "/workflows/wf%2F1/users") => json!({"users": [{"userId": "u1", "fullName": "A"}]}),
        ("GET", "/connectors/hubspot") => {
            json!({"connector": {"id": "hubspot", "name": "Hubspot"}})
        }
        _ => json!({"unexpected": uri.to_string()}),
    };
    log.lock().unwrap().push(Seen {
        method,
        uri,
        user,
        body,
    });
    axum::Json(reply)
}

async fn serve() -> (Client, Log) {
    let log = Log::default();
    let app = Router::new().fallback(answer).with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .api_key("k")
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap();
    (client, log)
}

fn last(log: &Log) -> Seen {
    log.lock().unwrap().pop().unwrap()
}

#[tokio::test]
async fn embedded_endpoints() {
    let (client, log) = serve().await;
    let user = client.user("u1");

    let id = user
        .create_headless_credential(
            "netsuite",
            &SecretData::new().with("realm", "R").with("tokenId", "T"),
        )
        .await
        .unwrap();
    assert_eq!(id, "63252d14cc29df15cc481a76");
    let seen = last(&log);
    assert_eq!(
        (seen.method, seen.uri.path()),
        (Method::POST, "/headless/credentials")
    );
    assert_eq!(seen.user.as_deref(), Some("u1"));
    assert_eq!(
        serde_json::from_slice::<Value>(&seen.body).unwrap(),
        json!({"userId": "u1", "credential": {"type": "netsuite", "data": {"realm": "R", "tokenId": "T"}}})
    );

    let all = client.credential_structures().await.unwrap();
    assert_eq!(last(&log).uri.path(), "/metadata/credentials");
    assert_eq!(all[0].connector, "acuityScheduling");
    assert_eq!(all[0].is_oauth, Some(false));
    assert_eq!(
        all[0].properties[0].display_name.as_deref(),
        Some("API Key")
    );
    assert_eq!(all[1].connector, "legacyApp", "older versions say `name`");

    let one = client.credential_structure("shopify").await.unwrap();
    assert_eq!(last(&log).uri.path(), "/metadata/credentials/shopify");
    assert_eq!(one.properties[0].name, "shopSubdomain");

    let users = client.workflow_users("wf/1").await.unwrap();
    assert_eq!(last(&log).uri.path(), "/workflows/wf%2F1/users");
    assert_eq!(users[0].user_id, "u1");

    let connector = client
        .get_connector(&alloy_runtime::ConnectorId::new("hubspot"))
        .await
        .unwrap();
    assert_eq!(
        connector.name.as_deref(),
        Some("Hubspot"),
        "wrapped form accepted"
    );
}
