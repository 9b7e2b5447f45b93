//! Control routes under `/_mock/`: script faults and read back requests over HTTP.

use axum::extract::State;
use axum::response::Response;
use bytes::Bytes;
use serde_json::json;

use crate::error::{ApiError, ok_json};
use crate::faults::FaultRule;
use crate::state::SharedState;

/// The control routes, which are neither recorded nor subject to faults.
pub const CONTROL_PATHS: &[&str] = &[
    "/_mock/faults",
    "/_mock/requests",
    "/_mock/health",
    "/_mock/paging",
];

/// Whether `path` is a control route.
pub fn is_control_path(path: &str) -> bool {
    CONTROL_PATHS.contains(&path.trim_end_matches('/'))
}

/// `POST /_mock/faults` with a [`FaultRule`] as JSON.
pub async fn add_fault(
    State(state): State<SharedState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(&body);
    let rule: FaultRule = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = e
            .path()
            .iter()
            .map(|seg| format!("/{seg}"))
            .collect::<String>();
        ApiError::invalid_input(&pointer, format!("not a fault rule: {}", e.inner()))
    })?;
    rule.fault
        .check()
        .map_err(|message| ApiError::invalid_input("/fault", message))?;
    state.faults.add(rule);
    Ok(ok_json(&json!({ "success": true })))
}

/// `DELETE /_mock/faults`.
pub async fn clear_faults(State(state): State<SharedState>) -> Response {
    state.faults.clear();
    ok_json(&json!({ "success": true }))
}

/// `GET /_mock/requests` → the recorded requests, oldest first, secrets redacted.
pub async fn requests(State(state): State<SharedState>) -> Response {
    let shown: Vec<_> = state
        .recorder
        .snapshot()
        .iter()
        .map(crate::recording::RecordedRequest::redacted)
        .collect();
    ok_json(&json!(shown))
}

/// `DELETE /_mock/requests`.
pub async fn clear_requests(State(state): State<SharedState>) -> Response {
    state.recorder.clear();
    ok_json(&json!({ "success": true }))
}

/// `GET /_mock/paging` → `{"pages": N}`: how many pages each paginated action serves.
pub async fn paging(State(state): State<SharedState>) -> Response {
    let pages = state.pages.load(std::sync::atomic::Ordering::Relaxed);
    ok_json(&json!({ "pages": pages }))
}

/// `PUT /_mock/paging` with `{"pages": N}` (0: the plain sample, unpaged).
pub async fn set_paging(
    State(state): State<SharedState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let pages = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("pages").and_then(serde_json::Value::as_u64))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| ApiError::invalid_input("/pages", "expected `{\"pages\": <count>}`"))?;
    state
        .pages
        .store(pages, std::sync::atomic::Ordering::Relaxed);
    Ok(ok_json(&json!({ "pages": pages })))
}

/// `GET /_mock/health`.
pub async fn health(State(state): State<SharedState>) -> Response {
    ok_json(&json!({
        "status": "ok",
        "connectors": state.catalog.connector_count(),
        "actions": state.catalog.action_count(),
    }))
}
