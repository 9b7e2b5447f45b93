//! The generated `alloy-nasty` crate against `alloy-mock` serving the `nasty` fixture, over
//! loopback HTTP: what each generated function puts in the execute body, typed credential
//! creation, typed responses, and `Debug` redaction of secret inputs.
//!
//! This file is copied into the temporary workspace by `tests/emit_compile.rs`; it is not
//! built as a test of alloy-codegen itself.

use alloy_nasty::{Nasty, NastyApiKeyInput, NastyCredential, NastyOauth2Input, contacts, types2};
use serde_json::{Value, json};

const FIXTURE: &str = env!("NASTY_FIXTURE_DIR");

async fn setup() -> (alloy_mock::MockServer, Nasty) {
    let server = alloy_mock::MockServer::from_dir(FIXTURE).await.expect("mock starts");
    let user = server.create_user("ada");
    let client = alloy_runtime::Client::builder()
        .base_url(server.base_url())
        .api_key("test-key")
        .build()
        .expect("client");
    let user = client.user(user);
    let credential = NastyCredential::create_api_key(
        &user,
        &NastyApiKeyInput::new("sk-very-secret").api_secret("also-secret"),
    )
    .await
    .expect("api key credential is created");
    (server, Nasty::new(user, credential))
}

/// The body of the last execute call the mock received.
fn last_execute(server: &alloy_mock::MockServer) -> Value {
    server
        .requests()
        .iter()
        .rev()
        .find(|r| r.path.ends_with("/execute"))
        .and_then(|r| r.json())
        .expect("an execute request was recorded")
}

#[tokio::test]
async fn parameters_go_to_their_members_and_responses_are_typed() {
    let (server, nasty) = setup().await;

    // Declared path parameter (integer), undeclared placeholder, same-named query parameter.
    let params = contacts::GetContactParams::new(7, "n-1").contact_id2("by-query");
    nasty.contacts().get_contact(&params).await.expect("getContact");
    let body = last_execute(&server);
    assert_eq!(body["pathParams"], json!({"contactId": 7, "noteId": "n-1"}));
    assert_eq!(body["queryParameters"], json!({"contactId": "by-query"}));
    assert_eq!(body["credentialId"], json!(nasty.alloy_credential().id().as_str()));

    // Required header, optional query parameters of several types; unset ones are absent.
    let params = contacts::ListContactsParams::new("tenant-1")
        .limit(10)
        .archived(true)
        .properties(vec!["email".to_owned()])
        .type_("person")
        // A parameter called `new`: its setter cannot shadow the constructor.
        .with_new("yes");
    let reply = nasty.contacts().list_contacts(&params).await.expect("listContacts");
    let body = last_execute(&server);
    assert_eq!(body["additionalHeaders"], json!({"X-Tenant-Id": "tenant-1"}));
    assert_eq!(
        body["queryParameters"],
        json!({"limit": 10, "archived": true, "properties": ["email"], "type": "person", "new": "yes"})
    );
    let results = reply.data.results.expect("sample has results");
    assert_eq!(results.len(), 2);
    assert_eq!(reply.response.response_data()["total"], json!(2));

    // A typed body next to a query parameter of the same wire name as a body field.
    // Bodies are built like parameters: `new` with the required members, then setters.
    let request = alloy_nasty::types::CreateContactRequest::new("a@b.c").dry_run(1);
    let params = contacts::CreateContactParams::new().dry_run(true);
    let reply = nasty.contacts().create_contact(&params, &request).await.expect("createContact");
    let body = last_execute(&server);
    assert_eq!(body["requestBody"], json!({"email": "a@b.c", "dryRun": 1}));
    assert_eq!(body["queryParameters"], json!({"dryRun": true}));
    assert_eq!(reply.data.id, Some(12));

    // A oneOf body and a keyword-named action and parameter.
    let shape = alloy_nasty::types::TypeRequest::Square(Box::new(
        alloy_nasty::types::TypeSquare { side: 3 },
    ));
    nasty
        .types2()
        .type_(&types2::TypeParams::new("shape"), &shape)
        .await
        .expect("type");
    let body = last_execute(&server);
    assert_eq!(body["requestBody"], json!({"kind": "square", "side": 3}));
    assert_eq!(body["pathParams"], json!({"type": "shape"}));

    // No body argument for a body schema only `{}` satisfies, and none sent.
    nasty.user().empty_body().await.expect("emptyBody");
    assert!(last_execute(&server).get("requestBody").is_none());

    // An action no resource lists, with a string sample.
    let reply = nasty.other().orphan_action().await.expect("orphanAction");
    assert_eq!(reply.data, "pong");
}

#[tokio::test]
async fn oauth_returns_the_consent_url_and_secrets_stay_out_of_debug() {
    let (server, nasty) = setup().await;
    let start = NastyCredential::start_oauth2(
        nasty.alloy_user(),
        &NastyOauth2Input::new("https://app.example/callback", "acme"),
    )
    .await
    .expect("oauth start");
    assert!(start.oauth_url.starts_with(&server.base_url()), "{}", start.oauth_url);

    let input = NastyApiKeyInput::new("sk-very-secret").api_secret("also-secret");
    let params = contacts::ListContactsParams::new("t").api_key("query-secret");
    let shown = format!("{input:?} {params:?} {input:#?}");
    for secret in ["sk-very-secret", "also-secret", "query-secret"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(shown.contains("api_key") && shown.contains("<redacted>"), "{shown}");
}

#[test]
fn response_types_read_leniently_and_report_the_failing_member() {
    use alloy_nasty::types::ListContactsResponse;

    // Unknown members are kept, absent ones unset, an explicit `null` of an optional member
    // is unset, and a member given twice keeps its last value.
    let text = r#"{"total": 1, "total": 2, "paging": null, "next": "x",
                   "results": [{"id": 7, "name": "Ada", "rank": [1]}]}"#;
    let reply: ListContactsResponse = serde_json::from_str(text).expect("lenient read");
    assert_eq!(reply.total, Some(2));
    assert_eq!(reply.paging, None);
    assert_eq!(reply.extra["next"], json!("x"));
    let results = reply.results.as_deref().expect("results");
    assert_eq!((results[0].id, results[0].name.as_deref()), (Some(7), Some("Ada")));
    assert_eq!(results[0].extra2["rank"], json!([1]));
    let back = serde_json::to_value(&reply).expect("serializes");
    assert_eq!(back["results"][0]["rank"], json!([1]));
    assert!(back.get("paging").is_none());

    // A wrong value is reported at its path, as serde's derive would.
    let bad = json!({"results": [{"id": 1}, {"id": "seven"}]});
    let err = serde_path_to_error::deserialize::<_, ListContactsResponse>(bad).expect_err("bad id");
    assert_eq!(err.path().to_string(), "results[1].id");
    let err = serde_json::from_value::<ListContactsResponse>(json!([1])).expect_err("not an object");
    assert!(err.to_string().contains("a JSON object"), "{err}");
}
