//! Discovery routes: the snapshot's documents, served as the API returned them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::catalog_index::ConnectorEntry;
use crate::credentials::unknown_connector;
use crate::error::{ApiError, json_response};
use crate::state::{AppState, SharedState};

fn connector<'a>(state: &'a AppState, id: &str) -> Result<&'a ConnectorEntry, ApiError> {
    state
        .catalog
        .connector(id)
        .map(|c| c.as_ref())
        .ok_or_else(|| unknown_connector(id))
}

/// `GET /connectors` → `{"connectors": [<each connector.json>]}`.
pub async fn list_connectors(State(state): State<SharedState>) -> Response {
    json_response(StatusCode::OK, state.catalog.list_body().to_owned())
}

/// `GET /connectors/{connectorId}` → `connector.json`.
pub async fn get_connector(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = connector(&state, &id)?.connector_body();
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /connectors/{connectorId}/resources` → `resources.json`.
pub async fn resources(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = connector(&state, &id)?.resources_body();
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /connectors/{connectorId}/credentials/metadata` → `credentials-metadata.json`.
pub async fn credentials_metadata(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = connector(&state, &id)?.credentials_body();
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /connectors/{connectorId}/actions` → `{"actions": [{id, displayName, description,
/// httpMethod, path}]}`, sorted by id.
pub async fn list_actions(
    State(state): State<SharedState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let body = connector(&state, &id)?.action_list_body().to_owned();
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /connectors/{connectorId}/actions/{actionId}` → `actions/<actionId>.json`.
pub async fn action_details(
    State(state): State<SharedState>,
    Path((id, action_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let connector = connector(&state, &id)?;
    let action = connector.action(&action_id).ok_or_else(|| {
        ApiError::not_found(format!(
            "action `{action_id}` not found for connector `{id}`"
        ))
        .detail("connectorId", id.as_str())
        .detail("actionId", action_id.as_str())
    })?;
    Ok(json_response(StatusCode::OK, action.details_body()))
}
