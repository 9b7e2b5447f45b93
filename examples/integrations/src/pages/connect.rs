//! Connecting: OAuth through the provider's consent page, and key forms from `inputSchema`.

use alloy_runtime::model::{AuthType, CredentialMetadata};
use alloy_runtime::{ConnectorId, CredentialInput, Error, OAuthCredential, SecretData};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::Value;

use super::{AppState, Fields, PageError, Posted, failure, render, rendered};
use crate::App;
use crate::forms::Form;
use crate::views::{KeyForm, Outcome};

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
    let form = credential_form(&metadata);
    render(&key_page(&app, &id, &auth, form, Vec::new(), None).await?)
}

/// Creates a key credential from the generated form; what the runtime's validation refuses is
/// shown next to the field it names.
pub(crate) async fn create_key(
    State(app): AppState,
    Path((id, auth)): Path<(String, String)>,
    Posted(fields): Fields,
) -> Result<Response, PageError> {
    let (id, metadata) = credential_metadata(&app, id, &auth).await?;
    let mut form = credential_form(&metadata);
    let Ok(submission) = form.read(&fields) else {
        let page = key_page(&app, &id, &auth, form, Vec::new(), None).await?;
        return rendered(StatusCode::UNPROCESSABLE_ENTITY, &page);
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
            let page = key_page(&app, &id, &auth, form, unplaced, None).await?;
            rendered(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => {
            let outcome = failure(&e, None);
            let page = key_page(&app, &id, &auth, form, Vec::new(), Some(outcome)).await?;
            rendered(StatusCode::BAD_GATEWAY, &page)
        }
    }
}

async fn key_page(
    app: &App,
    id: &ConnectorId,
    auth: &str,
    form: Form,
    problems: Vec<String>,
    outcome: Option<Outcome>,
) -> Result<KeyForm, PageError> {
    let summary = app.client.get_connector(id).await?;
    Ok(KeyForm {
        connector: id.to_string(),
        name: summary.name.unwrap_or_else(|| id.to_string()),
        auth: auth.to_owned(),
        form,
        problems,
        outcome,
    })
}

fn credential_form(metadata: &CredentialMetadata) -> Form {
    Form::for_credential(metadata.input_schema.as_ref().unwrap_or(&Value::Null))
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
