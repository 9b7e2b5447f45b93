//! The documentation's examples, replayed as raw HTTP (what its curl lines send) against
//! alloy-mock serving the checked-in `catalog/`: each must get the documented answer.
//!
//! The expected bodies are the ones `shared/alloy-api.md` quotes, written out here rather than
//! read from `catalog/`, so a catalog edit that drifts from the documentation fails.

use alloy_e2e::paths;
use alloy_mock::MockServer;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

/// A request as the documented curl examples send it: bearer key and API version only.
fn documented(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
) -> reqwest::RequestBuilder {
    client
        .request(method, url)
        .header("Authorization", "Bearer YOUR_API_KEY")
        .header("x-api-version", "2025-09")
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.json().await.expect("a JSON answer");
    (status, body)
}

#[tokio::test]
async fn documented_examples_get_the_documented_answers() {
    let server = MockServer::from_dir(paths::sample_catalog())
        .await
        .expect("catalog/ serves");
    let base = server.base_url().trim_end_matches('/').to_owned();
    let http = reqwest::Client::new();
    use reqwest::Method;

    // Create a user: the example sends JSON without a Content-Type, which curl labels as a form.
    let (status, user) = json_of(
        documented(&http, Method::POST, format!("{base}/users"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(r#"{"username":"docs-user@example.com","fullName":"Docs User"}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!((200..300).contains(&status), "{status} {user}");
    let user_id = user["userId"].as_str().expect("a userId").to_owned();

    // The connector list item.
    let (status, connectors) = json_of(
        documented(&http, Method::GET, format!("{base}/connectors"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let items = connectors
        .get("connectors")
        .or(connectors.get("data"))
        .unwrap_or(&connectors)
        .as_array()
        .unwrap_or_else(|| panic!("a list of connectors: {connectors}"));
    let hubspot = items
        .iter()
        .find(|c| c["id"] == "hubspot")
        .expect("hubspot is listed");
    assert_eq!(hubspot["name"], "Hubspot");
    assert_eq!(hubspot["group"], json!(["input"]));
    assert_eq!(hubspot["category"], json!(["crm", "oas"]));
    assert!(hubspot["icon"].is_string());

    // The quick start's action details, exactly.
    let (status, details) = json_of(
        documented(
            &http,
            Method::GET,
            format!("{base}/connectors/hubspot/actions/createContact"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(details, documented_create_contact());

    // Its resource lists it beside listContacts and gdprDeleteContacts.
    let (_, resources) = json_of(
        documented(
            &http,
            Method::GET,
            format!("{base}/connectors/hubspot/resources"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    let text = resources.to_string();
    for action in ["createContact", "listContacts", "gdprDeleteContacts"] {
        assert!(text.contains(action), "{action} missing from {text}");
    }

    // OAuth2 credential: returns the URL to send the end user to.
    let (status, oauth) = json_of(
        documented(
            &http,
            Method::POST,
            format!("{base}/connectors/hubspot/credentials"),
        )
        .json(&json!({
            "connectorId": "hubspot",
            "userId": user_id,
            "authenticationType": "oauth2",
            "redirectUri": "https://app.example.com/oauth/done",
        }))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert!((200..300).contains(&status), "{status} {oauth}");
    assert!(
        oauth["oauthUrl"]
            .as_str()
            .is_some_and(|u| u.starts_with("http")),
        "{oauth}"
    );

    // API key credential on the auth guide's path: returns the credential id.
    let (status, created) = json_of(
        documented(
            &http,
            Method::POST,
            format!("{base}/users/{user_id}/credentials"),
        )
        .json(&json!({
            "connectorId": "quickbooks",
            "credentialType": "apiKey",
            "data": {"apiKey": "qb-key", "apiSecret": "qb-secret"},
        }))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert!((200..300).contains(&status), "{status} {created}");
    assert!(created["credentialId"].is_string(), "{created}");

    // An unknown connector answers with the error envelope.
    let (status, error) = json_of(
        documented(
            &http,
            Method::GET,
            format!("{base}/connectors/nope/resources"),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 404);
    assert!(error["error"]["code"].is_string(), "{error}");
    assert!(error["error"]["message"].is_string(), "{error}");

    server.shutdown().await;
}

/// The action-details example of `shared/alloy-api.md`, as quoted there.
fn documented_create_contact() -> Value {
    json!({"action": {"id": "createContact", "displayName": "Create a contact",
        "description": "Create a new contact record.",
        "httpMethod": "post", "path": "/crm/v3/objects/contacts", "parameters": [],
        "requestBody": {"type": "object", "required": ["properties"], "properties": {
            "properties": {"type": "object", "required": ["firstname", "lastname", "email"],
                "properties": {"firstname": {"type": "string"}, "lastname": {"type": "string"},
                    "email": {"type": "string"}, "company": {"type": "string"},
                    "website": {"type": "string"}, "phone": {"type": "string"}}}}},
        "sampleSuccessResponse": {"id": "string", "properties": {"firstname": "string",
            "lastname": "string", "email": "string",
            "createdate": "2025-08-01T15:32:45.646Z", "lastmodifieddate": "2025-08-01T15:32:45.646Z"},
            "createdAt": "2025-08-01T15:32:45.646Z", "updatedAt": "2025-08-01T15:32:45.646Z",
            "archived": true}}})
}
