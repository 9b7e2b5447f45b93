//! `/users` routes over HTTP.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn create_list_get_update_delete() {
    let server = server().await;
    let (status, body) = send(
        api(&server, Method::POST, "/users").json(&json!({"username": "ada", "fullName": "Ada L"})),
    )
    .await;
    assert_eq!(status, 200);
    let ada = body["userId"].as_str().unwrap().to_owned();
    assert_eq!(ada.len(), 24);
    assert!(ada.bytes().all(|b| b.is_ascii_hexdigit()));

    // The documented curl sends JSON without a Content-Type.
    let (status, body) =
        send(api(&server, Method::POST, "/users").body(r#"{"username":"bob"}"#)).await;
    assert_eq!(status, 200, "{body}");
    let bob = body["userId"].as_str().unwrap().to_owned();

    let duplicate =
        send(api(&server, Method::POST, "/users").json(&json!({"username": "ada"}))).await;
    assert_eq!(assert_error(&duplicate, 409, "CONFLICT")["username"], "ada");
    let missing = send(api(&server, Method::POST, "/users").json(&json!({"fullName": "x"}))).await;
    assert_eq!(
        assert_error(&missing, 400, "INVALID_INPUT")["pointer"],
        "/username"
    );
    let not_json = send(api(&server, Method::POST, "/users").body("username=ada")).await;
    assert_eq!(assert_error(&not_json, 400, "INVALID_INPUT")["pointer"], "");

    let (status, list) = send(api(&server, Method::GET, "/users?parentWorkflowId=abc")).await;
    assert_eq!(status, 200);
    assert_eq!(
        list["data"],
        json!([{"userId": ada, "username": "ada", "fullName": "Ada L"},
               {"userId": bob, "username": "bob", "fullName": null}])
    );

    let (_, by_id) = send(api(&server, Method::GET, &format!("/users/{ada}"))).await;
    let (_, by_name) = send(api(&server, Method::GET, "/users/ada")).await;
    assert_eq!(by_id, by_name);
    assert_eq!(by_id["username"], "ada");

    let (status, updated) = send(
        api(&server, Method::PUT, &format!("/users/{bob}")).json(&json!({"fullName": "Bob B"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        updated,
        json!({"userId": bob, "username": "bob", "fullName": "Bob B"})
    );
    let (_, renamed) =
        send(api(&server, Method::PUT, "/users/bob").json(&json!({"username": "robert"}))).await;
    assert_eq!(
        renamed["fullName"], "Bob B",
        "partial update keeps other fields"
    );
    let taken =
        send(api(&server, Method::PUT, "/users/robert").json(&json!({"username": "ada"}))).await;
    assert_error(&taken, 409, "CONFLICT");

    let (status, token) = send(api(&server, Method::GET, "/users/robert/token")).await;
    assert_eq!(status, 200);
    assert_eq!(token["token"].as_str().unwrap().split('.').count(), 3);

    let credential = taskboard_credential(&server, &bob).await;
    let (status, deleted) = send(api(&server, Method::DELETE, "/users/robert")).await;
    assert_eq!((status, deleted), (200, json!({"success": true})));
    for path in [
        format!("/users/{bob}"),
        format!("/users/{bob}/token"),
        format!("/users/{bob}/credentials"),
    ] {
        assert_error(
            &send(api(&server, Method::GET, &path)).await,
            404,
            "NOT_FOUND",
        );
    }
    // The user's credentials went with it.
    let ada_cred = taskboard_credential(&server, &ada).await;
    let (_, ada_list) = send(api(
        &server,
        Method::GET,
        &format!("/credentials/users/{ada}"),
    ))
    .await;
    let ids: Vec<&str> = ada_list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["credentialId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [ada_cred.as_str()]);
    assert_ne!(credential, ada_cred);
    assert_error(
        &send(api(&server, Method::DELETE, "/users/nobody")).await,
        404,
        "NOT_FOUND",
    );
}

#[tokio::test]
async fn in_process_users_share_the_api_store() {
    let server = server().await;
    let id = server.create_user("carol");
    assert_eq!(
        server.create_user("carol"),
        id,
        "an existing username gives its id"
    );
    let (status, body) = send(api(&server, Method::GET, &format!("/users/{id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(body["username"], "carol");
}
