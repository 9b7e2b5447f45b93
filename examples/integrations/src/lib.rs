//! An integrations page built on the Alloy bindings: the connectors a product offers, a Connect
//! button per connector (OAuth, or a key form generated from the credential metadata's
//! `inputSchema`), and for a connected connector its actions, each with a settings form
//! generated from the action's JSON Schema. HubSpot's "create a contact" uses the generated
//! crate's typed call; every other form runs through the runtime's raw execute.
//!
//! Server-rendered HTML (askama templates under `templates/`), no JavaScript. The signed-in
//! merchant is one end user, found or created at start: a real product would take it from its
//! session.

pub mod forms;
mod pages;
mod views;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use alloy_runtime::{Client, ConnectorId, NewUser, OAuthFlow, UserClient};
use axum::Router;
use axum::routing::{get, post};

/// What the app needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The Connectivity API client (alloy-mock's URL, or the live API).
    pub client: Client,
    /// Your product's id for the signed-in merchant.
    pub username: String,
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
}

/// A running app.
#[derive(Debug)]
pub struct Running {
    /// The app's base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    /// `None` once [`Running::wait`] took it.
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// Serves until the server fails (it does not stop on its own).
    pub async fn wait(mut self) -> std::io::Result<()> {
        match self.server.take() {
            Some(server) => server
                .await
                .map_err(|e| std::io::Error::other(format!("the server task ended: {e}")))?,
            None => Ok(()),
        }
    }
}

/// Dropping the app stops it (tests start one per test).
impl Drop for Running {
    fn drop(&mut self) {
        if let Some(server) = &self.server {
            server.abort();
        }
    }
}

/// Everything a request handler reads.
pub(crate) struct App {
    pub client: Client,
    pub user: UserClient,
    /// The app's own base URL, for the OAuth redirect back to it.
    pub url: String,
    /// OAuth flows under way, until their callback arrives. One merchant, so one per connector;
    /// a product keeps them in the merchant's session.
    pub flows: Mutex<HashMap<ConnectorId, OAuthFlow>>,
}

/// Finds or creates the merchant, binds `config.addr` and serves the app.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let user_id = config
        .client
        .get_or_create_user(&NewUser::new(&config.username))
        .await?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let app = Arc::new(App {
        user: config.client.user(user_id),
        client: config.client,
        url: url.clone(),
        flows: Mutex::new(HashMap::new()),
    });
    let server = tokio::spawn(async move { axum::serve(listener, router(app)).await });
    Ok(Running {
        url,
        server: Some(server),
    })
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/connectors/{connector}", get(pages::connector))
        .route("/connectors/{connector}/oauth", post(pages::start_oauth))
        .route("/oauth/callback/{connector}", get(pages::finish_oauth))
        .route(
            "/connectors/{connector}/credentials/{auth}",
            get(pages::key_form).post(pages::create_key),
        )
        .route(
            "/connectors/{connector}/actions/{action}",
            get(pages::action_form).post(pages::run_action),
        )
        .route(
            "/hubspot/contacts/new",
            get(pages::contact_form).post(pages::create_contact),
        )
        .with_state(app)
}

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("finding or creating the merchant: {0}")]
    Api(#[from] alloy_runtime::Error),
    #[error("listening: {0}")]
    Io(#[from] std::io::Error),
}
