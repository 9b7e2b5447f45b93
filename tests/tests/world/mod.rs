//! The setting every connector test starts from: `alloy-mock` serving `catalog/`, a client with
//! fast retries, a user, and one credential per connector made through the generated
//! credential inputs (hubspot by the OAuth consent round trip, quickbooks by API key, shippo
//! by bearer token, freshdesk by basic auth).

use std::collections::HashMap;
use std::time::Duration;

use alloy_e2e::paths;
use alloy_freshdesk::{Freshdesk, FreshdeskBasicInput, FreshdeskCredential};
use alloy_hubspot::{Hubspot, HubspotCredential, HubspotOauth2Input};
use alloy_mock::{MockServer, RecordedRequest};
use alloy_model::Catalog;
use alloy_quickbooks::types::QuickbooksApiKeyEnvironment;
use alloy_quickbooks::{Quickbooks, QuickbooksApiKeyInput, QuickbooksCredential};
use alloy_runtime::{Client, ConnectorId, NewUser, RetryPolicy, UserClient};
use alloy_shippo::{Shippo, ShippoCredential, ShippoHttpBearerInput};
use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::calls::Connector;

/// Retries with millisecond waits (and `Retry-After` capped to 10 ms), so fault tests are quick.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(2))
        .max_delay(Duration::from_millis(10))
        .retry_after_cap(Duration::from_millis(10))
}

/// A mock serving `catalog/`, a user, and a generated handle per connector with a fresh
/// credential.
pub struct World {
    pub server: MockServer,
    pub client: Client,
    pub user: UserClient,
    pub catalog: Catalog,
    pub connectors: Vec<Connector>,
}

impl World {
    pub async fn new() -> World {
        let server = MockServer::from_dir(paths::sample_catalog())
            .await
            .expect("the sample catalog serves");
        // Answers are compared with the catalog's samples as they are; paging is tested in
        // paging.rs.
        server.set_pages(0);
        let client = Client::builder()
            .api_key("e2e-key")
            .base_url(server.base_url())
            .retry(fast_retry())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client builds");
        let user_id = client
            .create_user(&NewUser::new("ada").full_name("Ada Lovelace"))
            .await
            .expect("the user is created");
        let user = client.user(user_id);
        let connectors = vec![
            Connector::Hubspot(Hubspot::new(user.clone(), connect_hubspot(&user).await)),
            Connector::Quickbooks(Quickbooks::new(
                user.clone(),
                connect_quickbooks(&user).await,
            )),
            Connector::Shippo(Shippo::new(user.clone(), connect_shippo(&user).await)),
            Connector::Freshdesk(Freshdesk::new(user.clone(), connect_freshdesk(&user).await)),
        ];
        World {
            server,
            client,
            user,
            catalog: Catalog::load(paths::sample_catalog()).expect("the catalog loads"),
            connectors,
        }
    }

    pub fn connector(&self, id: &str) -> &Connector {
        self.connectors
            .iter()
            .find(|c| c.id() == id)
            .unwrap_or_else(|| panic!("no generated crate is wired for connector `{id}`"))
    }

    pub fn shippo(&self) -> &Shippo {
        match self.connector("shippo") {
            Connector::Shippo(shippo) => shippo,
            other => panic!("not shippo: {other:?}"),
        }
    }

    /// The execute requests the mock received for one action.
    pub fn executions(&self, connector: &str, action: &str) -> Vec<RecordedRequest> {
        let path = format!("/connectors/{connector}/actions/{action}/execute");
        self.server
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .collect()
    }

    /// The sample answer of an action, as the catalog publishes it.
    pub fn sample(&self, connector: &str, action: &str) -> Value {
        self.catalog.connectors[connector].actions[action]
            .sample_success_response
            .clone()
            .unwrap_or(Value::Null)
    }
}

/// A local page standing in for the app's OAuth redirect URI; it passes on each query it gets.
async fn redirect_page() -> (String, mpsc::UnboundedReceiver<HashMap<String, String>>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/integrations/hubspot/connected",
        get(move |Query(query): Query<HashMap<String, String>>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(query);
                "connected"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/integrations/hubspot/connected"), rx)
}

/// OAuth: start through the generated input, then play the end user's browser: open the
/// consent URL and follow its redirect back to the app, which receives `credentialId`.
pub async fn connect_hubspot(user: &UserClient) -> HubspotCredential {
    let (redirect_uri, mut received) = redirect_page().await;
    let start = HubspotCredential::start_oauth2(user, &HubspotOauth2Input::new(&redirect_uri))
        .await
        .expect("the OAuth connection starts");
    let page = reqwest::get(&start.oauth_url)
        .await
        .expect("the consent page answers");
    assert_eq!(page.status(), 200);
    assert!(
        page.url().as_str().starts_with(&redirect_uri),
        "the consent page did not lead back to the redirect URI: {}",
        page.url()
    );
    let query = received.try_recv().expect("the redirect page was visited");
    let id = query
        .get("credentialId")
        .unwrap_or_else(|| panic!("no credentialId in the redirect: {query:?}"));
    let credential = HubspotCredential::new(id.as_str());
    assert!(
        user.owns_credential(&ConnectorId::new("hubspot"), credential.id())
            .await
            .unwrap(),
        "the OAuth credential is listed as the user's"
    );
    credential
}

pub async fn connect_quickbooks(user: &UserClient) -> QuickbooksCredential {
    let input = QuickbooksApiKeyInput::new("qb-client-id", "qb-client-secret")
        .environment(QuickbooksApiKeyEnvironment::Sandbox);
    QuickbooksCredential::create_api_key(user, &input)
        .await
        .expect("the API-key credential is created")
}

pub async fn connect_shippo(user: &UserClient) -> ShippoCredential {
    ShippoCredential::create_http_bearer(user, &ShippoHttpBearerInput::new("shippo_test_e2e"))
        .await
        .expect("the bearer credential is created")
}

pub async fn connect_freshdesk(user: &UserClient) -> FreshdeskCredential {
    // Freshdesk's schema lists username (the API key) before password.
    let input = FreshdeskBasicInput::new("acme", "freshdesk-api-key", "X");
    FreshdeskCredential::create_basic(user, &input)
        .await
        .expect("the basic credential is created")
}
