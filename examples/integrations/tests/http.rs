//! The integrations page over plain HTTP (reqwest follows the redirects a browser would), so
//! the flows are checked even where Chromium is not installed: OAuth through alloy-mock's
//! consent page, the key form's missing field, a schema-driven action, Reconnect.

use std::path::Path;

use alloy_example_integrations::{Config, Running, start};
use alloy_mock::{Fault, FaultRule, MockServer};
use alloy_runtime::Client;

async fn app() -> (MockServer, Running) {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mock = MockServer::from_dir(&catalog).await.unwrap();
    let client = Client::builder()
        .api_key("http-test")
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let app = start(Config {
        client,
        username: "http-merchant".into(),
        addr: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap();
    (mock, app)
}

async fn post(url: String, form: &[(&str, &str)]) -> (u16, String, String) {
    let answer = reqwest::Client::new()
        .post(url)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    let landed = answer.url().to_string();
    (status, landed, answer.text().await.unwrap())
}

#[tokio::test]
async fn connect_run_and_reconnect_over_http() {
    let (mock, app) = app().await;
    let index = reqwest::get(&app.url).await.unwrap().text().await.unwrap();
    assert!(index.contains("id=\"connector-hubspot\""), "{index}");

    // OAuth: the app → the consent page → the app's callback → the connector page.
    let (status, landed, page) = post(format!("{}/connectors/hubspot/oauth", app.url), &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        landed.starts_with(&format!("{}/connectors/hubspot?connected=", app.url)),
        "{landed}"
    );
    assert!(page.contains("Connected: credential"), "{page}");

    // The typed contact form.
    let contact = [
        ("contact.firstname", "Jane"),
        ("contact.lastname", "Merchant"),
        ("contact.email", "jane@example.com"),
    ];
    let (status, _, page) = post(format!("{}/hubspot/contacts/new", app.url), &contact).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Created contact "), "{page}");
    let (status, _, page) = post(format!("{}/hubspot/contacts/new", app.url), &contact[..1]).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("data-for=\"contact.email\">Required."),
        "{page}"
    );

    // A key form with a required field left empty: the message sits next to that field, and
    // nothing is created.
    let key_form = format!("{}/connectors/quickbooks/credentials/apiKey", app.url);
    let (status, _, page) = post(
        key_form.clone(),
        &[("data.apiKey", "k"), ("data.apiSecret", "")],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("data-for=\"data.apiSecret\">Required."),
        "{page}"
    );
    assert!(
        !page.contains("value=\"k\""),
        "a secret must not be sent back: {page}"
    );
    let (status, landed, _) =
        post(key_form, &[("data.apiKey", "k"), ("data.apiSecret", "s")]).await;
    assert_eq!(status, 200);
    assert!(
        landed.contains("/connectors/quickbooks?connected="),
        "{landed}"
    );

    // An action from its generated form; a value that does not parse is named at its field.
    let action = format!("{}/connectors/hubspot/actions/listContacts", app.url);
    let (status, _, page) = post(action.clone(), &[("param.limit", "ten")]).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("data-for=\"param.limit\">must be a whole number"),
        "{page}"
    );
    let (status, _, page) = post(action, &[("param.limit", "10"), ("param.archived", "on")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"outcome-json\""), "{page}");
    let sent = mock.requests();
    let last = sent
        .iter()
        .rev()
        .find(|r| r.path.ends_with("/listContacts/execute"))
        .unwrap();
    let body = last.json().unwrap();
    assert_eq!(body["queryParameters"]["limit"], 10, "{body}");
    assert_eq!(body["queryParameters"]["archived"], true, "{body}");

    // Revoked: the answer offers Reconnect.
    mock.inject(FaultRule::new(
        Some("POST"),
        "/connectors/hubspot/actions/*/execute",
        Fault::InvalidCredential,
    ));
    let (status, _, page) = post(format!("{}/hubspot/contacts/new", app.url), &contact).await;
    assert_eq!(status, 502);
    assert!(page.contains(">Reconnect</button>"), "{page}");
}
