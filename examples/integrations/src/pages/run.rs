//! Running actions: schema-driven forms on the raw execute, and HubSpot's typed contact form.

use alloy_hubspot::types::{CreateContactProperties, CreateContactRequest};
use alloy_hubspot::{Hubspot, HubspotCredential};
use alloy_runtime::{ActionId, ConnectorId, ExecuteRequest};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::Value;

use super::{
    AppState, Fields, PageError, Posted, current_credential, failure, pretty, reconnect_option,
    render, rendered,
};
use crate::App;
use crate::forms::{self, Form};
use crate::views::{ActionPage, ContactPage, Outcome};

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
        .create_contact(&CreateContactRequest::new(properties))
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
