//! The request handlers: each reads from the API through the runtime (or the generated HubSpot
//! crate), then renders a template. Connecting is in `connect`, running actions in `run`.

mod connect;
mod run;

pub(crate) use connect::{create_key, finish_oauth, key_form, start_oauth};
pub(crate) use run::{action_form, contact_form, create_contact, run_action};

use std::collections::HashMap;
use std::sync::Arc;

use alloy_runtime::model::{AuthType, CredentialMetadata};
use alloy_runtime::{ConnectorId, CredentialId, Error};
use askama::Template;
use axum::Form as Posted;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use futures::StreamExt as _;
use serde_json::Value;

use crate::App;
use crate::forms;
use crate::views::{
    ActionRow, ConnectOption, ConnectorCard, ConnectorPage, CredentialRow, ErrorPage, Index,
    Outcome, ResourceRow,
};

type AppState = State<Arc<App>>;
type Fields = Posted<Vec<(String, String)>>;

pub(crate) async fn index(State(app): AppState) -> Result<Html<String>, PageError> {
    let connectors = app.client.list_connectors().await?;
    // One listing per connector, a few at a time.
    let ids: Vec<ConnectorId> = connectors.iter().map(|c| c.id.clone()).collect();
    let user = app.user.clone();
    let connected: Vec<bool> = futures::stream::iter(ids)
        .map(move |id| {
            let user = user.clone();
            async move { user.list_credentials(&id).await.map(|l| !l.is_empty()) }
        })
        .buffered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let connectors = connectors
        .iter()
        .zip(connected)
        .map(|(c, connected)| ConnectorCard {
            id: c.id.to_string(),
            name: c.name.clone().unwrap_or_else(|| c.id.to_string()),
            icon: c.icon.clone(),
            categories: c.category.join(", "),
            connected,
        })
        .collect();
    render(&Index { connectors })
}

pub(crate) async fn connector(
    State(app): AppState,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let id = ConnectorId::new(id);
    let summary = app.client.get_connector(&id).await?;
    let credentials = app.user.list_credentials(&id).await?;
    let metadata = app.client.credentials_metadata(&id).await?;
    let resources = if credentials.is_empty() {
        Vec::new()
    } else {
        app.client.list_resources(&id).await?
    };
    let page = ConnectorPage {
        card: ConnectorCard {
            id: id.to_string(),
            name: summary.name.clone().unwrap_or_else(|| id.to_string()),
            icon: summary.icon.clone(),
            categories: summary.category.join(", "),
            connected: !credentials.is_empty(),
        },
        notice: query
            .get("connected")
            .map(|credential| format!("Connected: credential {credential}.")),
        credentials: credentials
            .iter()
            .map(|c| CredentialRow {
                id: c.credential_id.to_string(),
                kind: c.kind.clone().unwrap_or_default(),
                created: c.created_at.clone().unwrap_or_default(),
            })
            .collect(),
        connect: metadata.iter().map(|m| connect_option(&id, m)).collect(),
        resources: resources
            .iter()
            .map(|r| ResourceRow {
                name: r.name.clone(),
                description: r
                    .description
                    .as_deref()
                    .map(forms::plain)
                    .unwrap_or_default(),
                actions: r
                    .actions
                    .iter()
                    .map(|a| ActionRow {
                        id: a.id().to_string(),
                        name: action_name(a),
                    })
                    .collect(),
            })
            .collect(),
        typed_contact: id.as_str() == alloy_hubspot::CONNECTOR_ID && !credentials.is_empty(),
    };
    render(&page)
}

/// The credential the app uses for a connector: the newest of the merchant's.
async fn current_credential(app: &App, id: &ConnectorId) -> Result<Option<CredentialId>, Error> {
    let mut credentials = app.user.list_credentials(id).await?;
    credentials.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    Ok(credentials.pop().map(|c| c.credential_id))
}

fn connect_option(id: &ConnectorId, m: &CredentialMetadata) -> ConnectOption {
    let auth = m.authentication_type.as_str().to_owned();
    let oauth = m.authentication_type == AuthType::OAuth2;
    let label = match &m.authentication_type {
        AuthType::OAuth2 => "Connect with OAuth".to_owned(),
        AuthType::ApiKey => "Connect with an API key".to_owned(),
        AuthType::HttpBearer => "Connect with a token".to_owned(),
        AuthType::Basic => "Connect with a username and password".to_owned(),
        other => format!("Connect ({})", other.as_str()),
    };
    ConnectOption {
        connector: id.to_string(),
        auth,
        oauth,
        label,
    }
}

/// How to connect again after `INVALID_CREDENTIAL`: OAuth when the connector offers it.
async fn reconnect_option(app: &App, id: &ConnectorId) -> Option<ConnectOption> {
    let metadata = app.client.credentials_metadata(id).await.ok()?;
    let best = metadata
        .iter()
        .find(|m| m.authentication_type == AuthType::OAuth2)
        .or_else(|| metadata.first())?;
    let mut option = connect_option(id, best);
    option.label = "Reconnect".into();
    Some(option)
}

fn failure(e: &Error, reconnect: Option<ConnectOption>) -> Outcome {
    Outcome {
        ok: false,
        title: if e.needs_reconnect() {
            "The connection needs renewing".into()
        } else {
            "That did not work".into()
        },
        message: e.user_message().to_owned(),
        detail: e.to_string(),
        json: e
            .api_error()
            .map(|a| &a.details)
            .filter(|d| !d.is_empty())
            .map(|d| pretty(&Value::Object(d.clone())))
            .unwrap_or_default(),
        reconnect: reconnect.filter(|_| e.needs_reconnect()),
    }
}

fn action_name(a: &alloy_runtime::model::ResourceAction) -> String {
    match a {
        alloy_runtime::model::ResourceAction::Summary {
            name: Some(name), ..
        } => name.clone(),
        other => other.id().to_string(),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn render(page: &impl Template) -> Result<Html<String>, PageError> {
    Ok(Html(page.render()?))
}

fn rendered(status: StatusCode, page: &impl Template) -> Result<Response, PageError> {
    Ok((status, render(page)?).into_response())
}

/// A page that could not be built, rendered as an error page.
pub(crate) struct PageError {
    status: StatusCode,
    page: ErrorPage,
}

impl PageError {
    fn page(status: StatusCode, title: &str, message: String) -> Self {
        Self {
            status,
            page: ErrorPage {
                title: title.into(),
                message,
                detail: String::new(),
            },
        }
    }
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        Self {
            status: StatusCode::BAD_GATEWAY,
            page: ErrorPage {
                title: "The integration service answered with an error".into(),
                message: e.user_message().to_owned(),
                detail: e.to_string(),
            },
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        Self::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The page could not be rendered",
            e.to_string(),
        )
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    }
}
