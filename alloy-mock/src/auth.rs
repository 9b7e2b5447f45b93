//! API-key and version checks in front of every API route.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorCode};
use crate::state::SharedState;

/// Requires `Authorization: Bearer <key>` (scheme case-insensitive; the key must equal
/// `MockConfig::api_key` when set, else be non-empty) and a non-empty `x-api-version`.
/// Exempt: the OAuth consent page and the upload URLs, which the real API's browser and
/// presigned-URL flows reach without the API key, and `/_mock/health`. The control routes
/// (faults, recorded requests) need the key: recordings hold what clients sent.
pub async fn require_api_key(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    if let Err(error) = authorize(&state, request.uri().path(), request.headers()) {
        return error.into_response();
    }
    next.run(request).await
}

/// Whether a request to `path` with `headers` may go on, or the 401/400 to answer.
pub fn authorize(state: &SharedState, path: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    if is_exempt(path) {
        return Ok(());
    }
    check(headers, state.config.api_key.as_deref())
}

/// Routes reached without the API key.
fn is_exempt(path: &str) -> bool {
    path.starts_with("/_mock/oauth/")
        || path.starts_with("/_mock/uploads/")
        || path.trim_end_matches('/') == "/_mock/health"
}

fn check(headers: &HeaderMap, expected: Option<&str>) -> Result<(), ApiError> {
    let unauthorized =
        |message: &str| ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message);
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("missing Authorization header"))?
        .to_str()
        .map_err(|_| unauthorized("Authorization header is not ASCII"))?;
    let (scheme, key) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| unauthorized("Authorization must be `Bearer <API key>`"))?;
    let key = key.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || key.is_empty() {
        return Err(unauthorized("Authorization must be `Bearer <API key>`"));
    }
    if expected.is_some_and(|expected| expected != key) {
        return Err(unauthorized("invalid API key"));
    }
    let version = headers
        .get("x-api-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if version.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidInput,
            "missing x-api-version header",
        )
        .detail("header", "x-api-version"));
    }
    Ok(())
}

/// The `x-alloy-userid` header, if present and non-empty.
pub fn user_header(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-alloy-userid")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(auth: Option<&'static str>, version: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(a) = auth {
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(a));
        }
        if let Some(v) = version {
            h.insert("x-api-version", HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn keys_and_versions() {
        assert!(check(&headers(Some("Bearer k"), Some("2025-09")), None).is_ok());
        assert!(check(&headers(Some("bearer k"), Some("2025-09")), Some("k")).is_ok());
        let e = check(&headers(Some("Bearer x"), Some("2025-09")), Some("k")).unwrap_err();
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        assert!(check(&headers(Some("Basic k"), Some("v")), None).is_err());
        assert!(check(&headers(Some("Bearer "), Some("v")), None).is_err());
        assert!(check(&headers(None, Some("v")), None).is_err());
        let e = check(&headers(Some("Bearer k"), None), None).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
    }
}
