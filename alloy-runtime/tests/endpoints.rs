//! Every endpoint against alloy-mock: the request as the server recorded it (method, path,
//! query, headers, body) and the decoded answer.

mod common;

use alloy_mock::RecordedRequest;
use alloy_runtime::{
    ActionCall, ActionId, AuthType, ConnectorId, CredentialInput, Error, ExecuteRequest,
    HttpMethod, NewUser, OAuthCredential, SecretData, UserId, UserUpdate,
};
use bytes::Bytes;
use common::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The only recorded request, after checking the headers every API call carries.
fn only_request(server: &alloy_mock::MockServer) -> RecordedRequest {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = requests.remove(0);
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    assert_eq!(request.header("x-api-version"), Some("2025-09"));
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("alloy-runtime/"))
    );
    server.clear_requests();
    request
}

#[tokio::test]
async fn users_endpoints() {
    let server = mock().await;
    let client = client(&server);

    let id = client
        .create_user(&NewUser::new("ada@example.com").full_name("Ada Lovelace"))
        .await
        .unwrap();
    let r = only_request(&server);
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/users"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-alloy-userid"), None);
    assert_eq!(
        r.json().unwrap(),
        json!({"username": "ada@example.com", "fullName": "Ada Lovelace"})
    );

    let users = client.list_users().await.unwrap();
    let r = only_request(&server);
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/users"));
    assert!(users.iter().any(|u| u.user_id == id));

    client.list_users_of_workflow("wf 1").await.unwrap();
    let r = only_request(&server);
    assert_eq!(r.query.as_deref(), Some("parentWorkflowId=wf+1"));

    let user = client.get_user(&id).await.unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, format!("/users/{id}"));
    assert_eq!(user.username.as_deref(), Some("ada@example.com"));
    assert_eq!(user.full_name.as_deref(), Some("Ada Lovelace"));

    let update = UserUpdate {
        full_name: Some("Ada King".into()),
        ..UserUpdate::default()
    };
    let updated = client.update_user(&id, &update).await.unwrap();
    let r = only_request(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("PUT", format!("/users/{id}").as_str())
    );
    assert_eq!(r.json().unwrap(), json!({"fullName": "Ada King"}));
    assert_eq!(updated.full_name.as_deref(), Some("Ada King"));

    let token = client.user_token(&id).await.unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, format!("/users/{id}/token"));
    assert_eq!(r.query, Some(format!("userId={id}")));
    assert!(!token.expose_secret().is_empty());
    assert!(!format!("{token:?}").contains(token.expose_secret()));

    let ack = client.user(id.clone()).delete().await.unwrap();
    let r = only_request(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("DELETE", format!("/users/{id}").as_str())
    );
    assert_eq!(ack.success, Some(true));
    let gone = client.get_user(&id).await.unwrap_err();
    assert_eq!(gone.status(), Some(404), "{gone}");
}

#[tokio::test]
async fn discovery_endpoints() {
    let server = mock().await;
    let client = client(&server);
    let crmhub = ConnectorId::new("crmhub");

    let connectors = client.list_connectors().await.unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, "/connectors");
    let ids: Vec<&str> = connectors.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["crmhub", "mailbox", "taskboard"]);

    let one = client.get_connector(&crmhub).await.unwrap();
    assert_eq!(only_request(&server).path, "/connectors/crmhub");
    assert_eq!(one.name.as_deref(), Some("CRM Hub"));

    let resources = client.list_resources(&taskboard()).await.unwrap();
    assert_eq!(
        only_request(&server).path,
        "/connectors/taskboard/resources"
    );
    assert_eq!(resources[0].name, "Cards");
    assert!(resources[0].actions.iter().any(|a| a.id() == "createCard"));

    let actions = client.list_actions(&crmhub).await.unwrap();
    assert_eq!(only_request(&server).path, "/connectors/crmhub/actions");
    assert_eq!(actions.len(), 4);

    let action = client
        .get_action(&crmhub, &ActionId::new("createContact"))
        .await
        .unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, "/connectors/crmhub/actions/createContact");
    assert_eq!(r.header("x-alloy-userid"), None);
    assert_eq!(action.http_method, HttpMethod::Post);

    // An action id with a character that must be escaped in a path segment.
    let user = client.user("u-1");
    let action = user
        .get_action(&ConnectorId::new("mailbox"), &ActionId::new("stats:total"))
        .await
        .unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, "/connectors/mailbox/actions/stats%3Atotal");
    assert_eq!(r.header("x-alloy-userid"), Some("u-1"));
    assert_eq!(action.id, "stats:total");

    let metadata = client
        .credentials_metadata(&ConnectorId::new("mailbox"))
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).path,
        "/connectors/mailbox/credentials/metadata"
    );
    let types: Vec<&AuthType> = metadata.iter().map(|m| &m.authentication_type).collect();
    assert_eq!(types, [&AuthType::Basic, &AuthType::HttpBearer]);
    user.credentials_metadata(&crmhub).await.unwrap();
    assert_eq!(only_request(&server).header("x-alloy-userid"), Some("u-1"));

    let missing = client
        .get_action(&crmhub, &ActionId::new("noSuchAction"))
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert_eq!(missing.code().map(|c| c.as_str()), Some("NOT_FOUND"));
}

#[tokio::test]
async fn credential_endpoints() {
    let server = mock().await;
    let client = client(&server);
    let user = user(&server, &client, "grace");
    let uid = user.user_id().clone();

    // apiKey: metadata is fetched, then the validated body is posted.
    let credential = user
        .create_credential(
            &taskboard(),
            &CredentialInput::new(
                AuthType::ApiKey,
                SecretData::new().with("apiKey", CREDENTIAL_SECRET),
            ),
        )
        .await
        .unwrap();
    let requests = server.requests();
    server.clear_requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].path,
        "/connectors/taskboard/credentials/metadata"
    );
    let create = &requests[1];
    assert_eq!(
        (create.method.as_str(), create.path.as_str()),
        ("POST", "/connectors/taskboard/credentials")
    );
    assert_eq!(create.header("x-alloy-userid"), Some(uid.as_str()));
    assert_eq!(
        create.json().unwrap(),
        json!({"userId": uid, "authenticationType": "apiKey", "data": {"apiKey": CREDENTIAL_SECRET}})
    );

    // OAuth: the answer is the consent URL; following it creates the credential.
    let start = user
        .create_oauth_credential(
            &ConnectorId::new("crmhub"),
            &OAuthCredential::new("https://app.example/done")
                .data(SecretData::new().with("subdomain", "acme")),
        )
        .await
        .unwrap();
    let create = server.requests().pop().unwrap();
    server.clear_requests();
    assert_eq!(
        create.json().unwrap(),
        json!({"userId": uid, "authenticationType": "oauth2",
               "redirectUri": "https://app.example/done", "data": {"subdomain": "acme"}})
    );
    let consent = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&start.oauth_url)
        .send()
        .await
        .unwrap();
    let location = consent.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("https://app.example/done?credentialId="),
        "{location}"
    );
    server.clear_requests();

    let listed = user.list_credentials(&taskboard()).await.unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, "/connectors/taskboard/credentials");
    assert_eq!(r.header("x-alloy-userid"), Some(uid.as_str()));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].credential_id, credential);
    assert_eq!(listed[0].kind.as_deref(), Some("taskboard-apiKey"));

    let all = user.list_all_credentials().await.unwrap();
    assert_eq!(
        only_request(&server).path,
        format!("/credentials/users/{uid}")
    );
    assert_eq!(all.len(), 2);
    let legacy = user.list_credentials_legacy().await.unwrap();
    assert_eq!(
        only_request(&server).path,
        format!("/users/{uid}/credentials")
    );
    assert_eq!(legacy.len(), 2);

    assert!(
        user.owns_credential(&taskboard(), &credential)
            .await
            .unwrap()
    );
    server.clear_requests();

    let ack = user.delete_credential(&credential).await.unwrap();
    let r = only_request(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        (
            "DELETE",
            format!("/users/{uid}/credentials/{credential}").as_str()
        )
    );
    assert_eq!(ack.success, Some(true));
    assert!(
        !user
            .owns_credential(&taskboard(), &credential)
            .await
            .unwrap()
    );
    server.clear_requests();

    // The auth guide's create path: same validation, then its own body shape.
    let legacy = user
        .create_credential_legacy(
            &taskboard(),
            &CredentialInput::new(
                AuthType::ApiKey,
                SecretData::new().with("apiKey", CREDENTIAL_SECRET),
            ),
        )
        .await
        .unwrap();
    let create = server.requests().pop().unwrap();
    assert_eq!(
        (create.method.as_str(), create.path.as_str()),
        ("POST", format!("/users/{uid}/credentials").as_str())
    );
    assert_eq!(
        create.json().unwrap(),
        json!({"connectorId": "taskboard", "credentialType": "apiKey",
               "data": {"apiKey": CREDENTIAL_SECRET}})
    );
    assert!(user.owns_credential(&taskboard(), &legacy).await.unwrap());
    let err = user
        .create_credential_legacy(
            &taskboard(),
            &CredentialInput::new(AuthType::ApiKey, SecretData::new()),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

#[tokio::test]
async fn credential_input_is_validated_before_sending() {
    let server = mock().await;
    let client = client(&server);
    let user = user(&server, &client, "linus");

    let err = user
        .create_credential(
            &ConnectorId::new("mailbox"),
            &CredentialInput::new(AuthType::Basic, SecretData::new().with("username", "linus")),
        )
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        text.contains("missing required field `data.password`"),
        "{text}"
    );
    assert!(
        server.requests().iter().all(|r| r.method == "GET"),
        "nothing was posted"
    );

    let err = user
        .create_credential(
            &taskboard(),
            &CredentialInput::new(AuthType::ApiKey, SecretData::new().with("apiKey", "short")),
        )
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("field `data.apiKey`") && !text.contains("short\""),
        "{text}"
    );

    let err = user
        .create_credential(
            &taskboard(),
            &CredentialInput::new(AuthType::Basic, SecretData::new()),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("'basic' is not supported (supported: apiKey)"),
        "{err}"
    );
}

#[tokio::test]
async fn file_endpoints() {
    let server = mock().await;
    let client = client(&server);
    let user = user(&server, &client, "files");
    let uid = user.user_id().clone();
    let bytes = Bytes::from_static(b"%PDF-1.7 hello");

    let upload = user
        .upload_file("doc.pdf", "application/pdf", bytes.clone())
        .await
        .unwrap();
    let requests = server.requests();
    server.clear_requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let request = &requests[0];
    assert_eq!(request.path, "/connectors/files/upload/request");
    assert_eq!(request.header("x-alloy-userid"), Some(uid.as_str()));
    assert_eq!(
        request.json().unwrap(),
        json!({"filename": "doc.pdf", "mimeType": "application/pdf",
               "md5": alloy_runtime::content_md5(&bytes)})
    );
    let put = &requests[1];
    assert_eq!(put.method, "PUT");
    assert_eq!(put.header("content-md5"), Some(upload.md5.as_str()));
    assert_eq!(put.header("content-type"), Some("application/pdf"));
    assert_eq!(
        put.header("authorization"),
        None,
        "the key never reaches the storage host"
    );
    assert_eq!(put.body, bytes);
    assert!(!upload.already_stored());

    // Same bytes again: the API dedups and no PUT is sent.
    let again = user
        .upload_file("doc.pdf", "application/pdf", bytes.clone())
        .await
        .unwrap();
    assert!(again.already_stored());
    assert_eq!(again.s3_key, upload.s3_key);
    assert_eq!(server.requests().len(), 1);
    server.clear_requests();

    let files = user.list_files().await.unwrap();
    assert_eq!(only_request(&server).path, "/connectors/files/list");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].size, Some(bytes.len() as u64));

    let ack = user.delete_file(&upload.s3_key).await.unwrap();
    let r = only_request(&server);
    assert_eq!(r.method, "DELETE");
    assert!(r.path.starts_with("/connectors/files/"));
    assert_eq!(ack.success, Some(true));
    assert!(user.list_files().await.unwrap().is_empty());
}

#[derive(Serialize)]
struct NewCard<'a> {
    name: &'a str,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Card {
    id: String,
    closed: bool,
    id_list: String,
}

#[derive(Debug, Deserialize)]
struct CustomField {
    id: String,
    name: String,
}

#[tokio::test]
async fn execute_raw_and_typed() {
    let server = mock().await;
    let client = client(&server);
    let user = user(&server, &client, "exec");
    let credential = taskboard_credential(&user).await;
    server.clear_requests();

    let body = NewCard { name: "Ship it" };
    let card: alloy_runtime::Execution<Card> = user
        .execute_as(
            ActionCall::new("taskboard", "createCard", HttpMethod::Post, &credential)
                .query("idList", "L1")
                .header("X-Trace", "t-1")
                .body(&body),
        )
        .await
        .unwrap();
    let r = only_request(&server);
    assert_eq!(r.path, "/connectors/taskboard/actions/createCard/execute");
    assert_eq!(r.header("x-alloy-userid"), Some(user.user_id().as_str()));
    assert_eq!(
        r.json().unwrap(),
        json!({"credentialId": credential, "requestBody": {"name": "Ship it"},
               "queryParameters": {"idList": "L1"}, "additionalHeaders": {"X-Trace": "t-1"}})
    );
    assert_eq!(card.data.id, "65a1b2c3d4e5f60718293a4b");
    assert!(!card.data.closed);
    assert_eq!(card.data.id_list, "string");
    assert_eq!(card.response.status(), Some("completed"));
    assert!(
        card.response
            .execution_id()
            .is_some_and(|id| id.starts_with("exec_"))
    );

    let fields: alloy_runtime::Execution<Vec<CustomField>> = user
        .execute_as(
            ActionCall::<()>::new(
                "taskboard",
                "getCardCustomFields",
                HttpMethod::Get,
                &credential,
            )
            .path_param("idCard", "c9"),
        )
        .await
        .unwrap();
    assert_eq!(
        only_request(&server).json().unwrap(),
        json!({"credentialId": credential, "pathParams": {"idCard": "c9"}})
    );
    assert_eq!(fields.data[0].id, "5f1");
    assert_eq!(fields.data[0].name, "Priority");

    // The raw form keeps the whole body reachable.
    let raw = user
        .execute(
            &taskboard(),
            &ActionId::new("getCardCustomFields"),
            &ExecuteRequest::new(credential.clone()).path_param("idCard", "c9"),
        )
        .await
        .unwrap();
    assert_eq!(
        raw.response_data()[0]["options"][0]["value"]["text"],
        "High"
    );
    assert!(raw.raw().get("executionId").is_some());
    assert_eq!(raw.http_status(), 200);

    // A payload that does not fit the type names the JSON path.
    let err = user
        .execute_as::<(), Vec<Card>>(
            ActionCall::new(
                "taskboard",
                "getCardCustomFields",
                HttpMethod::Get,
                &credential,
            )
            .path_param("idCard", "c9"),
        )
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            path,
            excerpt,
            route,
            ..
        } => {
            assert_eq!(path, "[0]", "{err}");
            assert!(excerpt.starts_with("[{"), "{err}");
            assert_eq!(
                (route.connector(), route.action()),
                (Some("taskboard"), Some("getCardCustomFields"))
            );
        }
        other => panic!("expected Decode, got {other:?}"),
    }

    // Server-side input validation surfaces as an API error with the pointer.
    let err = user
        .execute(
            &taskboard(),
            &ActionId::new("createCard"),
            &ExecuteRequest::new(credential.clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code().map(|c| c.as_str()), Some("INVALID_INPUT"));
    assert_eq!(
        err.api_error().unwrap().details["pointer"],
        "/queryParameters/idList"
    );
    assert!(!err.needs_reconnect());
    let _: &UserId = user.user_id();
}

/// An app that runs twice gets the same user back instead of a 409.
#[tokio::test]
async fn get_or_create_user_is_safe_to_rerun() {
    let server = mock().await;
    let client = client(&server);
    let new = alloy_runtime::NewUser::new("merchant_123");
    assert!(client.find_user("merchant_123").await.unwrap().is_none());
    let first = client.get_or_create_user(&new).await.unwrap();
    let second = client.get_or_create_user(&new).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(
        client
            .find_user("merchant_123")
            .await
            .unwrap()
            .map(|u| u.user_id),
        Some(first.clone())
    );
    // Many at once: every caller gets the one user.
    let racers = (0..8).map(|_| {
        let client = client.clone();
        let new = alloy_runtime::NewUser::new("racer");
        tokio::spawn(async move { client.get_or_create_user(&new).await.unwrap() })
    });
    let ids: std::collections::BTreeSet<_> = futures::future::join_all(racers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids.len(), 1);
}
