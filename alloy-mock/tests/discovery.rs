//! Discovery routes and authentication, over HTTP on the fixture catalog.

mod common;

use alloy_mock::{MockConfig, MockServer};
use common::*;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn documents_are_served_as_the_files_say() {
    let server = server().await;
    let (status, list) = send(api(&server, Method::GET, "/connectors")).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["crmhub", "mailbox", "taskboard"]);
    for id in ids {
        let expected = fixture_json(&format!("{id}/connector.json"));
        assert!(list["connectors"].as_array().unwrap().contains(&expected));
        for (route, file) in [
            ("", "connector.json"),
            ("/resources", "resources.json"),
            ("/credentials/metadata", "credentials-metadata.json"),
        ] {
            let (status, body) = send(api(
                &server,
                Method::GET,
                &format!("/connectors/{id}{route}"),
            ))
            .await;
            assert_eq!(status, 200, "{id}{route}");
            assert_eq!(body, fixture_json(&format!("{id}/{file}")), "{id}{route}");
        }
    }
}

#[tokio::test]
async fn action_details_and_action_list() {
    let server = server().await;
    let (status, body) = send(api(
        &server,
        Method::GET,
        "/connectors/crmhub/actions/createContact",
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body, fixture_json("crmhub/actions/createContact.json"));
    // An id outside the file-name-safe set: the file name is percent-encoded, the route is not.
    let (status, body) = send(api(
        &server,
        Method::GET,
        "/connectors/mailbox/actions/stats:total",
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body, fixture_json("mailbox/actions/stats%3Atotal.json"));

    let (status, body) = send(api(&server, Method::GET, "/connectors/mailbox/actions")).await;
    assert_eq!(status, 200);
    let send_message = fixture_json("mailbox/actions/sendMessage.json")["action"].clone();
    assert_eq!(
        body["actions"],
        json!([
            {"id": "listEvents", "displayName": "List events", "description": "Events of a domain.",
             "httpMethod": "get", "path": "/v3/{domain}/events"},
            {"id": "sendMessage", "displayName": send_message["displayName"],
             "description": send_message["description"], "httpMethod": "post",
             "path": "/v3/{domain}/messages"},
            {"id": "stats:total", "displayName": "Total stats",
             "description": "An id outside `A-Za-z0-9._-`: its file name is percent-encoded.",
             "httpMethod": "get", "path": "/v3/{domain}/stats/total"},
        ])
    );
}

#[tokio::test]
async fn unknown_connectors_actions_and_routes_are_404_envelopes() {
    let server = server().await;
    for path in [
        "/connectors/nope",
        "/connectors/nope/resources",
        "/connectors/nope/actions",
        "/connectors/nope/credentials/metadata",
        "/connectors/crmhub/actions/nope",
        "/no/such/route",
    ] {
        let result = send(api(&server, Method::GET, path)).await;
        assert_error(&result, 404, "NOT_FOUND");
    }
    let details = assert_error(
        &send(api(&server, Method::GET, "/connectors/crmhub/actions/nope")).await,
        404,
        "NOT_FOUND",
    );
    assert_eq!(
        details,
        json!({"connectorId": "crmhub", "actionId": "nope"})
    );
}

#[tokio::test]
async fn every_api_route_needs_a_bearer_key_and_a_version() {
    let server = server().await;
    let url = format!("{}/connectors", server.base_url());
    let c = client();
    let missing_key = send(c.get(&url).header("x-api-version", "2025-09")).await;
    assert_error(&missing_key, 401, "UNAUTHORIZED");
    let wrong_scheme = send(
        c.get(&url)
            .header("authorization", "Basic abc")
            .header("x-api-version", "2025-09"),
    )
    .await;
    assert_error(&wrong_scheme, 401, "UNAUTHORIZED");
    let empty_key = send(
        c.get(&url)
            .header("authorization", "Bearer ")
            .header("x-api-version", "2025-09"),
    )
    .await;
    assert_error(&empty_key, 401, "UNAUTHORIZED");
    let lower_case = c
        .get(&url)
        .header("authorization", "bearer anything")
        .header("x-api-version", "2025-09")
        .send()
        .await
        .unwrap();
    assert_eq!(lower_case.status(), 200);
    let no_version = send(c.get(&url).bearer_auth("k")).await;
    let details = assert_error(&no_version, 400, "INVALID_INPUT");
    assert_eq!(details["header"], "x-api-version");
    // Unknown routes are refused before they are looked up.
    let unknown = send(c.get(format!("{}/nowhere", server.base_url()))).await;
    assert_error(&unknown, 401, "UNAUTHORIZED");
    // `/_mock/` routes need neither.
    let health = c
        .get(format!("{}/_mock/health", server.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn a_pinned_key_is_the_only_one_accepted() {
    let server = MockServer::from_dir_with(fixture_dir(), MockConfig::default().api_key("right"))
        .await
        .unwrap();
    let url = format!("{}/connectors", server.base_url());
    let c = client();
    let wrong = send(
        c.get(&url)
            .bearer_auth("wrong")
            .header("x-api-version", "2025-09"),
    )
    .await;
    assert_error(&wrong, 401, "UNAUTHORIZED");
    let right = c
        .get(&url)
        .bearer_auth("right")
        .header("x-api-version", "2025-09")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
}

#[tokio::test]
async fn a_catalog_without_raw_text_is_served_canonically() {
    let catalog = alloy_model::Catalog::load(fixture_dir()).unwrap();
    let server = MockServer::start(catalog).await.unwrap();
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    assert!(!server.base_url().ends_with('/'));
    assert_eq!(server.base_url(), format!("http://{}", server.addr()));
    let (status, body) = send(api(
        &server,
        Method::GET,
        "/connectors/taskboard/actions/updateCard",
    ))
    .await;
    assert_eq!(status, 200);
    assert_eq!(body, fixture_json("taskboard/actions/updateCard.json"));
    let (_, list) = send(api(&server, Method::GET, "/connectors")).await;
    assert_eq!(
        list["connectors"][2],
        fixture_json("taskboard/connector.json")
    );
    let text = api(&server, Method::GET, "/connectors/crmhub/resources")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let on_disk = std::fs::read_to_string(fixture_dir().join("crmhub/resources.json")).unwrap();
    assert_eq!(
        text, on_disk,
        "canonical text equals the (canonical) fixture file"
    );
    let _: Value = serde_json::from_str(&text).unwrap();
    server.shutdown().await;
}
