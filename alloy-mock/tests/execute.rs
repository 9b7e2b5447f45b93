//! The execute route over HTTP: credential checks, input validation, sample responses.

mod common;

use alloy_mock::MockServer;
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

struct Setup {
    server: MockServer,
    user: String,
    credential: String,
}

async fn setup() -> Setup {
    let server = server().await;
    let user = create_user(&server, "ada").await;
    let credential = taskboard_credential(&server, &user).await;
    Setup {
        server,
        user,
        credential,
    }
}

async fn execute(s: &Setup, connector: &str, action: &str, body: Value) -> (u16, Value) {
    send(
        api(
            &s.server,
            Method::POST,
            &format!("/connectors/{connector}/actions/{action}/execute"),
        )
        .header("x-alloy-userid", &s.user)
        .json(&body),
    )
    .await
}

#[tokio::test]
async fn success_returns_the_sample_under_response_data() {
    let s = setup().await;
    let (status, body) = execute(
        &s,
        "taskboard",
        "createCard",
        json!({
        "credentialId": s.credential, "queryParameters": {"idList": "l1"},
        "requestBody": {"name": "Card", "checklist": {"items": [{"text": "a", "done": false}]}}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "completed");
    assert_eq!(
        body["responseData"],
        fixture_json("taskboard/actions/createCard.json")["action"]["sampleSuccessResponse"]
    );
    let first_execution = body["executionId"].as_str().unwrap().to_owned();

    // A `null` sample and a path placeholder the action never declares.
    let (status, body) = execute(
        &s,
        "taskboard",
        "getCardCustomFields",
        json!({
        "credentialId": s.credential, "pathParams": {"idCard": "c1"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["responseData"].is_array());
    assert_ne!(
        body["executionId"],
        first_execution.as_str(),
        "execution ids are unique"
    );
    let (status, body) = execute(
        &s,
        "taskboard",
        "archiveCard",
        json!({
        "credentialId": s.credential, "pathParams": {"id": "c1"}}),
    )
    .await;
    assert_eq!((status, &body["responseData"]), (200, &Value::Null));
}

#[tokio::test]
async fn credentials_must_exist_belong_to_the_user_and_the_connector() {
    let s = setup().await;
    let bob = create_user(&s.server, "bob").await;
    let bobs = taskboard_credential(&s.server, &bob).await;
    let (_, mail) = send(
        api(&s.server, Method::POST, "/connectors/mailbox/credentials").json(&json!({
        "userId": s.user, "authenticationType": "httpBearer", "data": {"token": "t"}})),
    )
    .await;
    let mail = mail["credentialId"].as_str().unwrap().to_owned();
    let body = |credential: &str| json!({"credentialId": credential, "pathParams": {"id": "c1"}});

    for credential in ["000000000000000000000000", bobs.as_str(), mail.as_str()] {
        let result = execute(&s, "taskboard", "archiveCard", body(credential)).await;
        let details = assert_error(&result, 400, "INVALID_CREDENTIAL");
        assert_eq!(details["credentialId"], credential);
    }
    // Without x-alloy-userid the API-key user acts, and owns no credential.
    let anonymous = send(
        api(
            &s.server,
            Method::POST,
            "/connectors/taskboard/actions/archiveCard/execute",
        )
        .json(&body(&s.credential)),
    )
    .await;
    assert_error(&anonymous, 400, "INVALID_CREDENTIAL");
    // The username works in the header as it does in paths.
    let (status, _) = send(
        api(
            &s.server,
            Method::POST,
            "/connectors/taskboard/actions/archiveCard/execute",
        )
        .header("x-alloy-userid", "ada")
        .json(&body(&s.credential)),
    )
    .await;
    assert_eq!(status, 200);
    // A credential deleted is a credential revoked.
    send(api(
        &s.server,
        Method::DELETE,
        &format!("/users/{}/credentials/{}", s.user, s.credential),
    ))
    .await;
    let revoked = execute(&s, "taskboard", "archiveCard", body(&s.credential)).await;
    assert_error(&revoked, 400, "INVALID_CREDENTIAL");

    let missing = execute(
        &s,
        "taskboard",
        "archiveCard",
        json!({"pathParams": {"id": "c1"}}),
    )
    .await;
    assert_eq!(
        assert_error(&missing, 400, "INVALID_INPUT")["pointer"],
        "/credentialId"
    );
}

#[tokio::test]
async fn parameters_are_checked_with_pointers_into_the_execute_body() {
    let s = setup().await;
    let c = s.credential.clone();
    let pointer =
        |result: (u16, Value)| assert_error(&result, 400, "INVALID_INPUT")["pointer"].clone();

    // Declared path parameter, undeclared placeholder, null counts as missing.
    assert_eq!(
        pointer(execute(&s, "taskboard", "archiveCard", json!({"credentialId": c})).await),
        "/pathParams/id"
    );
    assert_eq!(
        pointer(
            execute(
                &s,
                "taskboard",
                "getCardCustomFields",
                json!({"credentialId": c, "pathParams": {"id": "x"}})
            )
            .await
        ),
        "/pathParams/idCard"
    );
    assert_eq!(
        pointer(
            execute(
                &s,
                "taskboard",
                "archiveCard",
                json!({"credentialId": c, "pathParams": {"id": null}})
            )
            .await
        ),
        "/pathParams/id"
    );
    // Required query parameter.
    assert_eq!(
        pointer(
            execute(
                &s,
                "taskboard",
                "createCard",
                json!({"credentialId": c, "requestBody": {"name": "n"}})
            )
            .await
        ),
        "/queryParameters/idList"
    );
    // Required header, except Authorization (filled from the credential); names are
    // case-insensitive.
    let update = |headers: Value| {
        json!({"credentialId": c, "pathParams": {"id": "c1"},
        "additionalHeaders": headers, "requestBody": {"name": "n"}})
    };
    assert_eq!(
        pointer(execute(&s, "taskboard", "updateCard", update(json!({}))).await),
        "/additionalHeaders/X-Workspace-Id"
    );
    let (status, body) = execute(
        &s,
        "taskboard",
        "updateCard",
        update(json!({"x-workspace-id": "w"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // Members of the wrong type.
    assert_eq!(
        pointer(
            execute(
                &s,
                "taskboard",
                "archiveCard",
                json!({"credentialId": c, "pathParams": ["c1"]})
            )
            .await
        ),
        "/pathParams"
    );
}

#[tokio::test]
async fn request_bodies_are_validated_against_the_action_schema() {
    let s = setup().await;
    let (_, oauth) = send(
        api(&s.server, Method::POST, "/connectors/crmhub/credentials").json(&json!({
        "userId": s.user, "authenticationType": "oauth2", "redirectUri": "http://app.example/cb"})),
    )
    .await;
    let redirect = client()
        .get(oauth["oauthUrl"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let location = url::Url::parse(redirect.headers()["location"].to_str().unwrap()).unwrap();
    let crm = location
        .query_pairs()
        .find(|(k, _)| k == "credentialId")
        .unwrap()
        .1
        .into_owned();
    let create = |body: Value| json!({"credentialId": crm, "requestBody": body});
    let violation = |result: (u16, Value)| {
        let details = assert_error(&result, 400, "INVALID_INPUT");
        (
            details["pointer"].as_str().unwrap().to_owned(),
            result.1["error"]["message"].as_str().unwrap().to_owned(),
        )
    };

    let (p, m) = violation(
        execute(
            &s,
            "crmhub",
            "createContact",
            create(json!({
        "properties": {"firstname": "Ada", "lastname": "L"}})),
        )
        .await,
    );
    assert_eq!(p, "/requestBody/properties/email");
    assert!(m.contains("email"), "{m}");
    // An absent body is checked as `{}`, so required members are still reported.
    let (p, _) =
        violation(execute(&s, "crmhub", "createContact", json!({"credentialId": crm})).await);
    assert_eq!(p, "/requestBody/properties");
    let (p, _) = violation(
        execute(
            &s,
            "crmhub",
            "createContact",
            create(json!({
        "properties": {"firstname": "Ada", "lastname": "L", "email": "a@b"},
        "associations": [{"to": {"id": 7}}]})),
        )
        .await,
    );
    assert_eq!(p, "/requestBody/associations/0/to/id");
    // OpenAPI 3.0 spellings: boolean exclusiveMinimum, nullable.
    let (p, _) = violation(
        execute(
            &s,
            "crmhub",
            "createContact",
            create(json!({
        "properties": {"firstname": "Ada", "lastname": "L", "email": "a@b"},
        "associations": [{"to": {"id": "7"}, "types": [{"associationTypeId": 0}]}]})),
        )
        .await,
    );
    assert_eq!(p, "/requestBody/associations/0/types/0/associationTypeId");
    let (status, body) = execute(
        &s,
        "crmhub",
        "createContact",
        create(json!({
        "properties": {"firstname": "Ada", "lastname": "L", "email": "a@b", "phone": null},
        "associations": [{"to": {"id": "7"}, "types": [{"associationTypeId": 1,
            "associationCategory": "HUBSPOT_DEFINED"}]}]})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["responseData"]["properties"]["firstname"], "Ada");

    // oneOf, additionalProperties: false, an absent sample → null.
    let update = |body: Value| {
        json!({"credentialId": s.credential, "pathParams": {"id": "c1"},
        "additionalHeaders": {"X-Workspace-Id": "w"}, "requestBody": body})
    };
    let (p, _) = violation(
        execute(
            &s,
            "taskboard",
            "updateCard",
            update(json!({"pos": "middle"})),
        )
        .await,
    );
    assert_eq!(p, "/requestBody/pos");
    let (p, _) = violation(
        execute(
            &s,
            "taskboard",
            "updateCard",
            update(json!({"colour": "red"})),
        )
        .await,
    );
    assert_eq!(p, "/requestBody");
    let (status, _) = execute(
        &s,
        "taskboard",
        "updateCard",
        update(json!({"pos": "top", "due": null})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = execute(
        &s,
        "crmhub",
        "archiveContact",
        json!({"credentialId": crm, "pathParams": {"contactId": "1"}}),
    )
    .await;
    assert_eq!((status, &body["responseData"]), (200, &Value::Null));
}

#[tokio::test]
async fn unknown_actions_and_bad_bodies() {
    let s = setup().await;
    let result = execute(
        &s,
        "taskboard",
        "nope",
        json!({"credentialId": s.credential}),
    )
    .await;
    assert_eq!(assert_error(&result, 404, "NOT_FOUND")["actionId"], "nope");
    assert_error(&execute(&s, "nope", "x", json!({})).await, 404, "NOT_FOUND");
    let not_json = send(
        api(
            &s.server,
            Method::POST,
            "/connectors/taskboard/actions/archiveCard/execute",
        )
        .header("x-alloy-userid", &s.user)
        .body("{oops"),
    )
    .await;
    assert_eq!(assert_error(&not_json, 400, "INVALID_INPUT")["pointer"], "");
    // Odd action ids route as they are.
    let (_, bearer) = send(
        api(&s.server, Method::POST, "/connectors/mailbox/credentials").json(&json!({
        "userId": s.user, "authenticationType": "httpBearer", "data": {"token": "t"}})),
    )
    .await;
    let (status, body) = execute(
        &s,
        "mailbox",
        "stats:total",
        json!({
        "credentialId": bearer["credentialId"], "pathParams": {"domain": "d"},
        "queryParameters": {"event": "delivered"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
