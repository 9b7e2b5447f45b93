//! `POST /connectors/{connectorId}/actions/{actionId}/execute`: check the credential and the
//! inputs against the action, then answer with the action's sample response.
//!
//! Checks, in this order, the first failure answering 400:
//! 1. `credentialId` names a credential of the `x-alloy-userid` user for this connector, else
//!    `INVALID_CREDENTIAL` with `details.credentialId`;
//! 2. every required path parameter is in `pathParams` — the declared ones and the
//!    `{placeholders}` of the path that are not declared;
//! 3. every required query parameter is in `queryParameters`;
//! 4. every required header parameter is in `additionalHeaders` (names compared
//!    case-insensitively), except `Authorization`, which Alloy fills from the credential.
//!    Other credential-filled headers (Slack's `token`) cannot be told apart from ordinary
//!    ones in the catalog, so they are required like any other;
//! 5. `requestBody` against the action's request-body schema (compiled on first use and
//!    cached per action). An absent `requestBody` is checked as `{}` when the schema is an
//!    object schema, so required properties are still reported.
//!
//! Failures 2–5 are `INVALID_INPUT` with `details.pointer` into the execute body
//! (`/pathParams/contactId`, `/requestBody/properties/email`).

use std::sync::Arc;

use alloy_model::ParameterLocation;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use jsonschema::Validator;
use serde_json::{Map, Value};

use crate::auth::user_header;
use crate::body::{json_object, optional_object};
use crate::catalog_index::ActionEntry;
use crate::credentials::unknown_connector;
use crate::error::{ApiError, json_response};
use crate::state::{AppState, SharedState};
use crate::validate::{escape_pointer_token, first_violation};

/// The execute route.
pub async fn execute(
    State(state): State<SharedState>,
    Path((connector_id, action_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let connector = state
        .catalog
        .connector(&connector_id)
        .ok_or_else(|| unknown_connector(&connector_id))?;
    let entry = connector.action(&action_id).ok_or_else(|| {
        ApiError::not_found(format!(
            "action `{action_id}` not found for connector `{connector_id}`"
        ))
        .detail("connectorId", connector_id.as_str())
        .detail("actionId", action_id.as_str())
    })?;
    let body = json_object(&body)?;
    check_credential(&state, &headers, &connector_id, &body)?;
    check_parameters(entry, &body)?;
    check_request_body(entry, &body).await?;
    let pages = state.pages.load(std::sync::atomic::Ordering::Relaxed);
    match (&entry.paging, &entry.action.sample_success_response) {
        (Some(paging), Some(sample)) if pages > 0 => {
            let query = body.get("queryParameters").and_then(Value::as_object);
            let page = crate::paging::requested_page(paging, sample, query);
            let base = state.request_base(&headers);
            let answer = crate::paging::page_of(paging, sample, page, pages, &base);
            Ok(respond(
                &serde_json::to_string(&answer).unwrap_or_else(|_| "null".into()),
            ))
        }
        _ => Ok(success(entry)),
    }
}

fn check_credential(
    state: &AppState,
    headers: &HeaderMap,
    connector_id: &str,
    body: &Map<String, Value>,
) -> Result<(), ApiError> {
    let credential_id = match body.get("credentialId") {
        Some(Value::String(id)) if !id.is_empty() => id.as_str(),
        _ => {
            return Err(ApiError::invalid_input(
                "/credentialId",
                "`credentialId` is required and must be a string",
            ));
        }
    };
    let user_id = match user_header(headers) {
        Some(user) => state.users.resolve(user).map(|u| u.user_id),
        None => None,
    };
    let problem = state.credentials.with(credential_id, |credential| match credential {
        None => Some("credential not found or has been revoked".to_owned()),
        Some(c) if user_id.as_deref() != Some(c.user_id.as_str()) => Some(
            "credential not found or has been revoked (it does not belong to the x-alloy-userid user)"
                .to_owned(),
        ),
        Some(c) if c.connector_id != connector_id => Some(format!(
            "credential belongs to connector `{}`, not `{connector_id}`",
            c.connector_id
        )),
        Some(_) => None,
    });
    match problem {
        Some(message) => Err(ApiError::invalid_credential(credential_id, message)),
        None => Ok(()),
    }
}

fn check_parameters(entry: &ActionEntry, body: &Map<String, Value>) -> Result<(), ApiError> {
    let action = &entry.action;
    let path_params = optional_object(body, "pathParams")?;
    let query = optional_object(body, "queryParameters")?;
    let headers = optional_object(body, "additionalHeaders")?;

    let declared_path = action
        .parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
        .map(|p| p.name.as_str());
    let placeholders = action.path_placeholders();
    let undeclared = placeholders.iter().copied().filter(|name| {
        !action
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path && p.name == *name)
    });
    for name in declared_path.chain(undeclared) {
        if !has(path_params, name, false) {
            return Err(missing("pathParams", name, "path parameter"));
        }
    }
    for p in action.parameters.iter().filter(|p| p.is_required()) {
        match &p.location {
            ParameterLocation::Query if !has(query, &p.name, false) => {
                return Err(missing("queryParameters", &p.name, "query parameter"));
            }
            ParameterLocation::Header
                if !p.name.eq_ignore_ascii_case("authorization")
                    && !has(headers, &p.name, true) =>
            {
                return Err(missing("additionalHeaders", &p.name, "header"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `name` is given a non-null value.
fn has(map: Option<&Map<String, Value>>, name: &str, ignore_case: bool) -> bool {
    let Some(map) = map else { return false };
    if ignore_case {
        map.iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null())
    } else {
        map.get(name).is_some_and(|v| !v.is_null())
    }
}

fn missing(member: &str, name: &str, what: &str) -> ApiError {
    ApiError::invalid_input(
        &format!("/{member}/{}", escape_pointer_token(name)),
        format!("required {what} `{name}` is missing from `{member}`"),
    )
}

async fn check_request_body(
    entry: &Arc<ActionEntry>,
    body: &Map<String, Value>,
) -> Result<(), ApiError> {
    let Some(schema) = &entry.action.request_body else {
        return Ok(());
    };
    let empty = Value::Object(Map::new());
    let instance = match body.get("requestBody") {
        Some(value) => value,
        None if is_object_schema(schema) => &empty,
        None => return Ok(()),
    };
    let validator = validator(entry).await?;
    match first_violation(&validator, instance, "/requestBody", false) {
        Some(v) => Err(ApiError::invalid_input(&v.pointer, v.message)),
        None => Ok(()),
    }
}

fn is_object_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
        || schema.get("required").is_some()
}

/// The action's compiled body validator. The first compile runs on the blocking pool: the
/// largest catalog schemas take long enough to stall other requests on a runtime thread.
async fn validator(entry: &Arc<ActionEntry>) -> Result<Arc<Validator>, ApiError> {
    let compiled = match entry.body_schema.get() {
        Some(compiled) => compiled.clone(),
        None => {
            let entry = Arc::clone(entry);
            tokio::task::spawn_blocking(move || {
                let schema = entry.action.request_body.as_ref().unwrap_or(&Value::Null);
                entry.body_schema.get_or_compile(schema)
            })
            .await
            .map_err(|e| format!("schema compilation stopped: {e}"))
            .and_then(|r| r)
        }
    };
    compiled.map_err(|e| {
        ApiError::internal(format!(
            "the request-body schema of action `{}` of connector `{}` does not compile: {e}",
            entry.action.id, entry.connector_id
        ))
        .detail("connectorId", entry.connector_id.as_str())
        .detail("actionId", entry.action.id.as_str())
    })
}

fn success(entry: &ActionEntry) -> Response {
    respond(entry.sample_text())
}

/// The execute answer around a payload given as JSON text.
fn respond(sample: &str) -> Response {
    let mut text = String::with_capacity(sample.len() + 80);
    text.push_str("{\"responseData\":");
    text.push_str(sample);
    text.push_str(",\"executionId\":\"exec_");
    text.push_str(&crate::ids::object_id());
    text.push_str("\",\"status\":\"completed\"}");
    json_response(StatusCode::OK, text)
}
