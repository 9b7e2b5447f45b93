//! The generated connector crates against `alloy-mock`, over loopback HTTP.
//!
//! From the [`world::World`] setting (a user and one credential per connector, made through
//! the generated credential inputs), every action of the sample catalog is called
//! through its generated function with input derived from its published schema. The failure
//! paths follow: invalid input, a deleted credential, another user's credential, and
//! 429/503 faults with and without retries.

mod calls;
mod world;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use alloy_e2e::{valid_instance, violations};
use alloy_mock::{Fault, FaultRule};
use alloy_runtime::{Client, ConnectorId, CredentialId, Error, ErrorCode, NewUser, RetryPolicy};
use alloy_shippo::Shippo;
use calls::CallFailure;
use serde_json::{Value, json};
use world::{World, connect_shippo};

/// Asserts an `INVALID_CREDENTIAL` answer that asks the user to reconnect.
fn assert_reconnect(err: &Error, credential: &CredentialId) {
    assert!(err.needs_reconnect(), "{err}");
    assert_eq!(err.code(), Some(&ErrorCode::InvalidCredential), "{err}");
    let api = err.api_error().expect("an API answer");
    assert_eq!(
        api.details.get("credentialId"),
        Some(&json!(credential.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_of_every_auth_type_are_stored_for_the_user() {
    let w = World::new().await;
    for connector in &w.connectors {
        let listed = w
            .user
            .list_credentials(&ConnectorId::new(connector.id()))
            .await
            .unwrap();
        let ids: Vec<&str> = listed.iter().map(|c| c.credential_id.as_str()).collect();
        assert_eq!(ids, [connector.credential_id()], "{}", connector.id());
    }
    // Each create body carried the type and inputs the connector's metadata asks for.
    let creates: BTreeMap<String, Value> = w
        .server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/credentials"))
        .map(|r| (r.path.clone(), r.json().unwrap()))
        .collect();
    let user_id = w.user.user_id().as_str();
    assert_eq!(
        creates["/connectors/hubspot/credentials"]["authenticationType"],
        "oauth2"
    );
    assert_eq!(
        creates["/connectors/quickbooks/credentials"],
        json!({"userId": user_id, "authenticationType": "apiKey", "data": {
            "apiKey": "qb-client-id", "apiSecret": "qb-client-secret", "environment": "sandbox"}})
    );
    assert_eq!(
        creates["/connectors/shippo/credentials"],
        json!({"userId": user_id, "authenticationType": "httpBearer",
            "data": {"token": "shippo_test_e2e"}})
    );
    assert_eq!(
        creates["/connectors/freshdesk/credentials"],
        json!({"userId": user_id, "authenticationType": "basic", "data": {
            "domain": "acme", "password": "X", "username": "freshdesk-api-key"}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_action_answers_its_sample_through_the_generated_types() {
    let w = World::new().await;
    let mut sent: BTreeMap<(String, String), Value> = BTreeMap::new();
    for (connector_id, snapshot) in &w.catalog.connectors {
        let connector = w.connector(connector_id.as_str());
        for (action_id, action) in &snapshot.actions {
            let what = format!("{connector_id}/{action_id}");
            let body = action.request_body.as_ref().map(|schema| {
                valid_instance(schema).unwrap_or_else(|e| panic!("{what}: no valid body: {e}"))
            });
            w.server.clear_requests();
            let answer = connector
                .call(action_id.as_str(), body.as_ref())
                .await
                .unwrap_or_else(|f| panic!("{what}: {f:?}"));

            let sample = action
                .sample_success_response
                .clone()
                .unwrap_or(Value::Null);
            assert_eq!(
                answer.data, sample,
                "{what}: the typed answer differs from the sample"
            );
            let response = &answer.response;
            assert_eq!(response.response_data(), &sample, "{what}");
            assert_eq!(response.http_status(), 200, "{what}");
            assert_eq!(response.status(), Some("completed"), "{what}");
            assert!(
                response
                    .execution_id()
                    .is_some_and(|id| id.starts_with("exec_")),
                "{what}: {:?}",
                response.raw()
            );

            let requests = w.server.requests();
            assert_eq!(requests.len(), 1, "{what}: {requests:?}");
            let request = &requests[0];
            assert_eq!(request.method, "POST");
            assert_eq!(
                request.path,
                format!("/connectors/{connector_id}/actions/{action_id}/execute")
            );
            assert_eq!(
                request.header("x-alloy-userid"),
                Some(w.user.user_id().as_str())
            );
            let wire = request.json().expect("the execute body is JSON");
            assert_eq!(wire["credentialId"], connector.credential_id(), "{what}");
            assert_eq!(
                wire.get("requestBody"),
                body.as_ref(),
                "{what}: the generated request type changed the body"
            );
            let path_params: BTreeSet<&str> = wire
                .get("pathParams")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let placeholders: BTreeSet<&str> = action.path_placeholders().into_iter().collect();
            assert_eq!(path_params, placeholders, "{what}");
            sent.insert((connector_id.to_string(), action_id.to_string()), wire);
        }
    }
    assert_eq!(sent.len(), w.catalog.action_count());

    // Parameters set through the generated setters reach the wire under their API names.
    let wire = |c: &str, a: &str| &sent[&(c.to_owned(), a.to_owned())];
    assert_eq!(
        wire("hubspot", "listContacts")["queryParameters"],
        json!({"limit": 10, "archived": false})
    );
    assert_eq!(
        wire("shippo", "getAddress")["additionalHeaders"],
        json!({"SHIPPO-API-VERSION": "2018-02-08"})
    );
    assert_eq!(
        wire("freshdesk", "getTicket")["pathParams"],
        json!({"id": 20})
    );
    assert_eq!(
        wire("quickbooks", "getCustomer")["pathParams"],
        json!({"realmId": "9130357766900456", "customerId": "58"})
    );
    assert_eq!(
        wire("quickbooks", "createInvoice")["queryParameters"],
        json!({"requestid": "e2e-create-invoice"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_input_is_refused_with_a_pointer_to_the_value() {
    let w = World::new().await;
    let mut checked: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut not_carried = Vec::new();
    for (connector_id, snapshot) in &w.catalog.connectors {
        let connector = w.connector(connector_id.as_str());
        for (action_id, action) in &snapshot.actions {
            let Some(schema) = &action.request_body else {
                continue;
            };
            let valid = valid_instance(schema).unwrap();
            // The first variant the generated request type can carry (an enum keeps unknown
            // values, a string has no length limit, an integer no bounds).
            for violation in violations(schema, &valid) {
                let what = format!(
                    "{connector_id}/{action_id} with {} broken at {}",
                    violation.keyword, violation.pointer
                );
                let err = match connector
                    .call(action_id.as_str(), Some(&violation.instance))
                    .await
                {
                    Err(CallFailure::Body(reason)) => {
                        not_carried.push(format!("{what}: {reason}"));
                        continue;
                    }
                    Ok(answer) => panic!("{what}: accepted: {:?}", answer.data),
                    Err(failure) => failure.api(&what),
                };
                assert_eq!(err.status(), Some(400), "{what}: {err}");
                assert_eq!(err.code(), Some(&ErrorCode::InvalidInput), "{what}: {err}");
                assert!(!err.needs_reconnect() && !err.is_retryable(), "{what}");
                let details = &err.api_error().unwrap().details;
                assert_eq!(
                    details.get("pointer"),
                    Some(&json!(format!("/requestBody{}", violation.pointer))),
                    "{what}: {err}"
                );
                checked
                    .entry(connector_id.to_string())
                    .or_default()
                    .push(format!("{action_id} {}", violation.pointer));
                break;
            }
        }
    }
    eprintln!("invalid input checked: {checked:#?}");
    eprintln!("variants the generated types refuse to carry: {not_carried:#?}");
    let with_checks: Vec<&str> = checked.keys().map(String::as_str).collect();
    let all: Vec<&str> = w.catalog.connectors.keys().map(|c| c.as_str()).collect();
    assert_eq!(
        with_checks, all,
        "every connector has a body whose constraints a generated type cannot enforce"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_credential_asks_the_user_to_reconnect() {
    let w = World::new().await;
    let credential = connect_shippo(&w.user).await;
    w.user.delete_credential(credential.id()).await.unwrap();
    let shippo = Shippo::new(w.user.clone(), credential.clone());
    let params = alloy_shippo::tracks::GetTrackParams::new("usps", "9205590164917312751089");
    let err = shippo.tracks().get_track(&params).await.unwrap_err();
    assert_reconnect(&err, credential.id());
    // INVALID_CREDENTIAL is final: one request, no retry.
    assert_eq!(w.executions("shippo", "getTrack").len(), 1);
    // The connector's other credential still works.
    let answer = w.shippo().tracks().get_track(&params).await.unwrap();
    assert_eq!(
        serde_json::to_value(&answer.data).unwrap(),
        w.sample("shippo", "getTrack")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_of_another_user_is_refused() {
    let w = World::new().await;
    let grace = w
        .client
        .create_user(&NewUser::new("grace"))
        .await
        .expect("the second user is created");
    let grace = w.client.user(grace);
    let theirs = w.shippo().alloy_credential().clone();

    let borrowed = Shippo::new(grace.clone(), theirs.clone());
    let params = alloy_shippo::tracks::GetTrackParams::new("usps", "9205590164917312751089");
    let err = borrowed.tracks().get_track(&params).await.unwrap_err();
    assert_reconnect(&err, theirs.id());
    let executions = w.executions("shippo", "getTrack");
    assert_eq!(executions.len(), 1);
    assert_eq!(
        executions[0].header("x-alloy-userid"),
        Some(grace.user_id().as_str())
    );

    // The ownership check an app runs on an id from outside says the same before any execute.
    let shippo = ConnectorId::new("shippo");
    let err = grace
        .ensure_owns_credential(&shippo, theirs.id())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::CredentialNotOwned { .. }), "{err}");
    assert!(w.user.owns_credential(&shippo, theirs.id()).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_server_errors_on_a_get_action_are_retried() {
    let w = World::new().await;
    let path = "/connectors/shippo/actions/getTrack/execute";
    w.server
        .inject(FaultRule::new(Some("POST"), path, Fault::rate_limited(1)));
    w.server
        .inject(FaultRule::new(Some("POST"), path, Fault::status(503)));

    let params = alloy_shippo::tracks::GetTrackParams::new("usps", "9205590164917312751089");
    let answer = w
        .shippo()
        .tracks()
        .get_track(&params)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(
        serde_json::to_value(&answer.data).unwrap(),
        w.sample("shippo", "getTrack")
    );
    let attempts = w.executions("shippo", "getTrack");
    assert_eq!(attempts.len(), 3, "429, then 503, then success");
    // Every attempt is the same request.
    assert!(attempts.iter().all(|a| a.body == attempts[0].body));

    // Without retries the 429 reaches the caller with the wait the server asked for.
    let no_retry = Client::builder()
        .api_key("e2e-key")
        .base_url(w.server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let shippo = Shippo::new(
        no_retry.user(w.user.user_id().clone()),
        w.shippo().alloy_credential().clone(),
    );
    w.server
        .inject(FaultRule::new(Some("POST"), path, Fault::rate_limited(7)));
    let err = shippo.tracks().get_track(&params).await.unwrap_err();
    assert_eq!(err.status(), Some(429), "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.is_retryable() && !err.needs_reconnect());
    assert_eq!(w.executions("shippo", "getTrack").len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_on_a_post_action_is_not_retried() {
    let w = World::new().await;
    let path = "/connectors/shippo/actions/createParcel/execute";
    w.server
        .inject(FaultRule::new(Some("POST"), path, Fault::status(503)).forever());
    let schema = w.catalog.connectors["shippo"].actions["createParcel"]
        .request_body
        .clone()
        .expect("createParcel takes a body");
    let body = valid_instance(&schema).unwrap();

    let err = w
        .connector("shippo")
        .call("createParcel", Some(&body))
        .await
        .unwrap_err()
        .api("createParcel under a 503");
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(err.code(), Some(&ErrorCode::InternalError), "{err}");
    assert!(err.is_retryable(), "a later, deliberate retry may succeed");
    assert_eq!(
        w.executions("shippo", "createParcel").len(),
        1,
        "a post action is sent once: a retry could create the parcel twice"
    );

    // A 429 is safe to retry even for a post: nothing was processed.
    w.server.clear_faults();
    w.server
        .inject(FaultRule::new(Some("POST"), path, Fault::rate_limited(1)));
    let answer = w
        .connector("shippo")
        .call("createParcel", Some(&body))
        .await
        .expect("retried after the 429");
    assert_eq!(answer.data, w.sample("shippo", "createParcel"));
    assert_eq!(w.executions("shippo", "createParcel").len(), 3);
}

/// Credential inputs are logged by apps more often than anything else: no member of any auth
/// type's `data` may reach `Debug`, whatever its name (Freshdesk's `username` is the API key).
#[test]
fn credential_inputs_never_print_their_data() {
    use alloy_freshdesk::FreshdeskBasicInput;
    use alloy_quickbooks::QuickbooksApiKeyInput;
    use alloy_shippo::ShippoHttpBearerInput;

    let printed = [
        format!(
            "{:?}",
            FreshdeskBasicInput::new("leak-domain", "leak-username", "leak-password")
        ),
        format!(
            "{:?}",
            QuickbooksApiKeyInput::new("leak-client-id", "leak-client-secret")
        ),
        format!("{:?}", ShippoHttpBearerInput::new("leak-token")),
    ];
    for text in &printed {
        assert!(
            !text.contains("leak-"),
            "a credential value is printed: {text}"
        );
        assert!(text.contains("<redacted>"), "{text}");
    }
}
