//! The middleware that turns an armed fault into a response (or no response at all).

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Fault;
use crate::error::{ApiError, ErrorCode, json_response};
use crate::server::DropConnection;
use crate::state::SharedState;

/// Answers with the first armed fault matching the request, else passes it on.
pub async fn apply_faults(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    if crate::control::is_control_path(request.uri().path()) {
        return next.run(request).await;
    }
    let fault = state
        .faults
        .take(request.method().as_str(), request.uri().path());
    match fault {
        None => next.run(request).await,
        Some(fault) => apply(fault, request, next).await,
    }
}

async fn apply(fault: Fault, request: Request, next: Next) -> Response {
    match fault {
        Fault::Status {
            status,
            retry_after,
        } => status_response(status, retry_after.as_deref()),
        Fault::Delay { millis, then } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            match then {
                None => next.run(request).await,
                Some(then) => Box::pin(apply(*then, request, next)).await,
            }
        }
        Fault::DropConnection => {
            let mut response = Response::new(Body::empty());
            response.extensions_mut().insert(DropConnection);
            response
        }
        Fault::MalformedJson => json_response(
            StatusCode::OK,
            r#"{"responseData": {"id": "1", "name": unquoted, }"#,
        ),
        Fault::TruncatedJson => truncate(next.run(request).await).await,
        Fault::LargeBody { bytes } => json_response(StatusCode::OK, large_body(bytes)),
        Fault::InvalidCredential => {
            let body = axum::body::to_bytes(request.into_body(), usize::MAX)
                .await
                .unwrap_or_default();
            let credential_id = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("credentialId")?.as_str().map(str::to_owned))
                .unwrap_or_default();
            ApiError::invalid_credential(&credential_id, "credential not found or has been revoked")
                .into_response()
        }
    }
}

fn status_response(status: u16, retry_after: Option<&str>) -> Response {
    let Ok(status) = StatusCode::from_u16(status) else {
        return ApiError::internal(format!("injected fault has invalid status {status}"))
            .into_response();
    };
    let code = ErrorCode::for_status(status);
    let message = format!(
        "injected fault: {}",
        status.canonical_reason().unwrap_or("error")
    );
    let mut response = ApiError::new(status, code, message)
        .detail("httpStatusCode", status.as_u16())
        .into_response();
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The response with the first half of its body (at least one byte removed).
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

/// A valid JSON text of exactly `bytes` bytes when possible.
fn large_body(bytes: usize) -> String {
    const OPEN: &str = r#"{"responseData":""#;
    const CLOSE: &str = r#""}"#;
    let overhead = OPEN.len() + CLOSE.len();
    if bytes < overhead {
        return " ".repeat(bytes);
    }
    let mut text = String::with_capacity(bytes);
    text.push_str(OPEN);
    text.extend(std::iter::repeat_n('x', bytes - overhead));
    text.push_str(CLOSE);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_bodies_have_the_exact_size() {
        for n in [0, 5, 18, 19, 20, 1000] {
            let body = large_body(n);
            assert_eq!(body.len(), n);
            if n >= 19 {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert!(v["responseData"].is_string());
            }
        }
    }
}
