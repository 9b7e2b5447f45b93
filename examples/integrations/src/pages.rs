//! The request handlers: each reads from the API through the runtime (or the generated HubSpot
//! crate), then renders a template.

use std::collections::HashMap;
use std::sync::Arc;

use alloy_hubspot::types::{CreateContactProperties, CreateContactRequest};
use alloy_hubspot::{Hubspot, HubspotCredential};
use alloy_runtime::model::{AuthType, CredentialMetadata};
use alloy_runtime::{
    ActionId, ConnectorId, CredentialId, CredentialInput, Error, ExecuteRequest, OAuthCredential,
    SecretData,
};
use askama::Template;
use axum::Form as Posted;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use futures::StreamExt as _;
use serde_json::Value;

use crate::App;
use crate::forms::{self, Form};
use crate::views::{
    ActionPage, ActionRow, ConnectOption, ConnectorCard, ConnectorPage, ContactPage, CredentialRow,
    ErrorPage, Index, KeyForm, Outcome, ResourceRow,
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

/// Connect (or reconnect) through OAuth: the flow is kept until the callback, and the browser
/// goes to the provider's consent page.
pub(crate) async fn start_oauth(
    State(app): AppState,
    Path(id): Path<String>,
) -> Result<Redirect, PageError> {
    let id = ConnectorId::new(id);
    let callback = format!("{}/oauth/callback/{}", app.url, id);
    let flow = app
        .user
        .start_oauth(&id, &OAuthCredential::new(callback))
        .await?;
    let to = flow.oauth_url.clone();
    app.flows
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, flow);
    Ok(Redirect::to(&to))
}

/// Where the provider sends the browser back: the completion helper turns the URL into the new
/// credential (or the provider's refusal into an error).
pub(crate) async fn finish_oauth(
    State(app): AppState,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Redirect, PageError> {
    let id = ConnectorId::new(id);
    let flow = app
        .flows
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
    let Some(flow) = flow else {
        return Err(PageError::page(
            StatusCode::BAD_REQUEST,
            "No connection under way",
            format!("Start connecting {id} from its page first."),
        ));
    };
    let url = format!(
        "{}/oauth/callback/{}?{}",
        app.url,
        id,
        query.unwrap_or_default()
    );
    let credential = app.user.finish_oauth(&flow, &url).await?;
    Ok(Redirect::to(&format!(
        "/connectors/{id}?connected={credential}"
    )))
}

pub(crate) async fn key_form(
    State(app): AppState,
    Path((id, auth)): Path<(String, String)>,
) -> Result<Html<String>, PageError> {
    let (id, metadata) = credential_metadata(&app, id, &auth).await?;
    render(&key_page(&app, &id, &auth, &metadata, Vec::new(), None).await?)
}

/// Creates a key credential from the generated form; what the runtime's validation refuses is
/// shown next to the field it names.
pub(crate) async fn create_key(
    State(app): AppState,
    Path((id, auth)): Path<(String, String)>,
    Posted(fields): Fields,
) -> Result<Response, PageError> {
    let (id, metadata) = credential_metadata(&app, id, &auth).await?;
    let schema = metadata.input_schema.clone().unwrap_or(Value::Null);
    let mut form = Form::for_credential(&schema);
    let Ok(submission) = form.read(&fields) else {
        let page = key_page(&app, &id, &auth, &metadata, Vec::new(), None).await?;
        return rendered(StatusCode::UNPROCESSABLE_ENTITY, &KeyForm { form, ..page });
    };
    let mut data = SecretData::new();
    if let Some(Value::Object(members)) = submission.body {
        for (name, value) in members {
            data.insert(name, value);
        }
    }
    let input = CredentialInput::new(AuthType::from(auth.as_str()), data);
    match app.user.create_credential(&id, &input).await {
        Ok(credential) => {
            Ok(Redirect::to(&format!("/connectors/{id}?connected={credential}")).into_response())
        }
        Err(Error::Validation { problems, .. }) => {
            let mut unplaced = Vec::new();
            for problem in problems {
                let message = if problem.missing {
                    "Required.".to_owned()
                } else {
                    problem.message.clone()
                };
                let placed = problem
                    .field
                    .as_deref()
                    .is_some_and(|field| form.set_error(field, message));
                if !placed {
                    unplaced.push(problem.to_string());
                }
            }
            let page = key_page(&app, &id, &auth, &metadata, unplaced, None).await?;
            rendered(StatusCode::UNPROCESSABLE_ENTITY, &KeyForm { form, ..page })
        }
        Err(e) => {
            let outcome = failure(&e, None);
            let page = key_page(&app, &id, &auth, &metadata, Vec::new(), Some(outcome)).await?;
            rendered(StatusCode::BAD_GATEWAY, &KeyForm { form, ..page })
        }
    }
}

pub(crate) async fn action_form(
    State(app): AppState,
    Path((id, action)): Path<(String, String)>,
) -> Result<Html<String>, PageError> {
    let (id, action) = (ConnectorId::new(id), ActionId::new(action));
    let details = app.client.get_action(&id, &action).await?;
    render(&action_page(&app, &id, &details, Form::for_action(&details), None).await?)
}

/// Runs an action from its schema-driven form through the raw execute.
pub(crate) async fn run_action(
    State(app): AppState,
    Path((id, action)): Path<(String, String)>,
    Posted(fields): Fields,
) -> Result<Response, PageError> {
    let (id, action) = (ConnectorId::new(id), ActionId::new(action));
    let details = app.client.get_action(&id, &action).await?;
    let mut form = Form::for_action(&details);
    let Ok(submission) = form.read(&fields) else {
        let page = action_page(&app, &id, &details, form, None).await?;
        return rendered(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let Some(credential) = current_credential(&app, &id).await? else {
        return Ok(Redirect::to(&format!("/connectors/{id}")).into_response());
    };
    let mut request = ExecuteRequest::new(credential);
    if let Some(body) = submission.body {
        request = request.body(body);
    }
    for (name, value) in submission.query {
        request = request.query(name, value);
    }
    for (name, value) in submission.path {
        request = request.path_param(name, value);
    }
    for (name, value) in submission.headers {
        request = request.header(name, value);
    }
    let (status, outcome) = match app.user.execute(&id, &action, &request).await {
        Ok(answer) => (
            StatusCode::OK,
            Outcome {
                ok: true,
                title: "Done".into(),
                message: format!(
                    "{} answered.",
                    details.display_name.as_deref().unwrap_or(action.as_str())
                ),
                detail: answer
                    .execution_id()
                    .map(|e| format!("Execution {e}"))
                    .unwrap_or_default(),
                json: pretty(answer.response_data()),
                reconnect: None,
            },
        ),
        Err(e) => (
            StatusCode::BAD_GATEWAY,
            failure(&e, reconnect_option(&app, &id).await),
        ),
    };
    let page = action_page(&app, &id, &details, form, Some(outcome)).await?;
    rendered(status, &page)
}

pub(crate) async fn contact_form() -> Result<Html<String>, PageError> {
    render(&ContactPage {
        form: contact_fields(),
        outcome: None,
    })
}

/// HubSpot's `createContact` through the generated crate: the form's values become
/// `CreateContactProperties`, checked by the compiler instead of assembled as JSON.
pub(crate) async fn create_contact(
    State(app): AppState,
    Posted(fields): Fields,
) -> Result<Response, PageError> {
    let mut form = contact_fields();
    let Ok(submission) = form.read(&fields) else {
        return rendered(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ContactPage {
                form,
                outcome: None,
            },
        );
    };
    let values = submission.body.unwrap_or(Value::Null);
    let text = |name: &str| values.get(name).and_then(Value::as_str).map(str::to_owned);
    let mut missing = false;
    for name in ["firstname", "lastname", "email"] {
        if text(name).is_none() {
            missing |= form.set_error(&format!("contact.{name}"), "Required.");
        }
    }
    let (Some(first), Some(last), Some(email), false) =
        (text("firstname"), text("lastname"), text("email"), missing)
    else {
        return rendered(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ContactPage {
                form,
                outcome: None,
            },
        );
    };
    let hubspot_id = ConnectorId::new(alloy_hubspot::CONNECTOR_ID);
    let Some(credential) = current_credential(&app, &hubspot_id).await? else {
        return Ok(Redirect::to("/connectors/hubspot").into_response());
    };
    let hubspot = Hubspot::new(app.user.clone(), HubspotCredential::new(credential));
    let mut properties = CreateContactProperties::new(first, last, email);
    properties.company = text("company");
    let (status, outcome) = match hubspot
        .contacts()
        .create_contact(&CreateContactRequest { properties })
        .await
    {
        Ok(reply) => (
            StatusCode::OK,
            Outcome {
                ok: true,
                title: "Contact created".into(),
                message: format!(
                    "Created contact {}.",
                    reply.data.id.as_deref().unwrap_or("(no id returned)")
                ),
                detail: reply
                    .response
                    .execution_id()
                    .map(|e| format!("Execution {e}"))
                    .unwrap_or_default(),
                json: serde_json::to_value(&reply.data)
                    .map(|v| pretty(&v))
                    .unwrap_or_default(),
                reconnect: None,
            },
        ),
        Err(e) => (
            StatusCode::BAD_GATEWAY,
            failure(&e, reconnect_option(&app, &hubspot_id).await),
        ),
    };
    rendered(
        status,
        &ContactPage {
            form,
            outcome: Some(outcome),
        },
    )
}

/// The typed contact form's fields (the values go to `CreateContactProperties`, not to JSON).
fn contact_fields() -> Form {
    let schema = serde_json::json!({"type": "object", "required": ["firstname", "lastname", "email"],
        "properties": {
            "firstname": {"type": "string", "title": "First name"},
            "lastname": {"type": "string", "title": "Last name"},
            "email": {"type": "string", "title": "E-mail", "description": "HubSpot deduplicates contacts by it."},
            "company": {"type": "string", "title": "Company"}}});
    Form::for_object(&schema, "contact")
}

async fn key_page(
    app: &App,
    id: &ConnectorId,
    auth: &str,
    metadata: &CredentialMetadata,
    problems: Vec<String>,
    outcome: Option<Outcome>,
) -> Result<KeyForm, PageError> {
    let summary = app.client.get_connector(id).await?;
    let schema = metadata.input_schema.clone().unwrap_or(Value::Null);
    Ok(KeyForm {
        connector: id.to_string(),
        name: summary.name.unwrap_or_else(|| id.to_string()),
        auth: auth.to_owned(),
        form: Form::for_credential(&schema),
        problems,
        outcome,
    })
}

async fn action_page(
    app: &App,
    id: &ConnectorId,
    details: &alloy_runtime::model::Action,
    form: Form,
    outcome: Option<Outcome>,
) -> Result<ActionPage, PageError> {
    let summary = app.client.get_connector(id).await?;
    Ok(ActionPage {
        connector: id.to_string(),
        name: summary.name.unwrap_or_else(|| id.to_string()),
        action: details.id.to_string(),
        title: details
            .display_name
            .clone()
            .unwrap_or_else(|| details.id.to_string()),
        description: details
            .description
            .as_deref()
            .map(forms::plain)
            .unwrap_or_default(),
        route: format!(
            "{} {}",
            details.http_method.as_str().to_uppercase(),
            details.path
        ),
        form,
        outcome,
    })
}

async fn credential_metadata(
    app: &App,
    id: String,
    auth: &str,
) -> Result<(ConnectorId, CredentialMetadata), PageError> {
    let id = ConnectorId::new(id);
    let metadata = app.client.credentials_metadata(&id).await?;
    let found = metadata
        .into_iter()
        .find(|m| m.authentication_type.as_str() == auth);
    match found {
        Some(m) => Ok((id, m)),
        None => Err(PageError::page(
            StatusCode::NOT_FOUND,
            "No such credential type",
            format!("{id} does not take `{auth}` credentials."),
        )),
    }
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
