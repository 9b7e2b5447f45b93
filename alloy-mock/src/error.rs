//! The API's error envelope, and the errors of starting the server.

use std::net::SocketAddr;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The catalog snapshot could not be loaded.
    #[error("cannot load the catalog: {0}")]
    Load(#[from] alloy_model::LoadError),
    /// The paging overrides beside the catalog could not be used.
    #[error("cannot use the paging overrides: {0}")]
    PagingOverrides(#[from] alloy_model::paging_overrides::OverridesError),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// The `code` of an error envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthorized,
    NotFound,
    InvalidInput,
    Conflict,
    InvalidCredential,
    InternalError,
    RateLimited,
}

impl ErrorCode {
    /// Every code the mock answers with.
    pub const ALL: [ErrorCode; 7] = [
        Self::Unauthorized,
        Self::NotFound,
        Self::InvalidInput,
        Self::Conflict,
        Self::InvalidCredential,
        Self::InternalError,
        Self::RateLimited,
    ];

    /// The code as the wire spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthorized => "UNAUTHORIZED",
            Self::NotFound => "NOT_FOUND",
            Self::InvalidInput => "INVALID_INPUT",
            Self::Conflict => "CONFLICT",
            Self::InvalidCredential => "INVALID_CREDENTIAL",
            Self::InternalError => "INTERNAL_ERROR",
            Self::RateLimited => "RATE_LIMITED",
        }
    }

    /// The code a bare HTTP status stands for, used by injected status faults.
    pub fn for_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 | 422 => Self::InvalidInput,
            401 | 403 => Self::Unauthorized,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::RateLimited,
            _ => Self::InternalError,
        }
    }
}

/// An error answered as `{"error":{"source":"CONNECTIVITY_API","code","message","details"}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub details: Map<String, Value>,
}

impl ApiError {
    /// An error with empty details.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Map::new(),
        }
    }

    /// Adds one `details` member.
    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }

    /// 404 `NOT_FOUND`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// 400 `INVALID_INPUT` about the value at `pointer` (a JSON pointer into the request body).
    pub fn invalid_input(pointer: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidInput, message)
            .detail("pointer", pointer)
    }

    /// 500 `INTERNAL_ERROR`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            message,
        )
    }

    /// 400 `INVALID_CREDENTIAL` ("credential not found or has been revoked").
    pub fn invalid_credential(credential_id: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidCredential,
            message,
        )
        .detail("credentialId", credential_id)
    }

    /// The envelope as JSON.
    pub fn body(&self) -> Value {
        json!({"error": {
            "source": "CONNECTIVITY_API",
            "code": self.code.as_str(),
            "message": self.message,
            "details": self.details,
        }})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, self.body().to_string())
    }
}

/// A response with a JSON body given as text.
pub fn json_response(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A 200 response with a JSON body.
pub fn ok_json(value: &Value) -> Response {
    json_response(StatusCode::OK, value.to_string())
}
