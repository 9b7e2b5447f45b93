//! An error answer from the API, decoded from whichever body shape it came in.
//!
//! The documented envelope is `{"error": {"source", "code", "message", "details"}}`; the API and
//! its older surfaces have also been seen answering `{"error": "..", "message": ".."}`,
//! `{"message": ".."}`, `{}` and non-JSON text. All of them decode; the raw body is kept.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;

use crate::JsonMap;

/// Declares a string enum of known wire values plus `Other(String)` for anything else.
macro_rules! open_enum {
    ($(#[$doc:meta])* pub enum $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this version of the crate does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Parses a wire value; unknown values become `Other`.
            pub fn parse(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_enum! {
    /// Who reported the error (`error.source`).
    pub enum ErrorSource {
        /// The connector's upstream service.
        ThirdParty = "THIRD_PARTY",
        /// Alloy itself.
        ConnectivityApi = "CONNECTIVITY_API",
    }
}

open_enum! {
    /// What went wrong (`error.code`).
    pub enum ErrorCode {
        /// The request was malformed or failed the API's validation.
        InvalidInput = "INVALID_INPUT",
        /// The request itself was not understood (MCP surface).
        InvalidRequest = "INVALID_REQUEST",
        /// A failure inside Alloy or the upstream service.
        InternalError = "INTERNAL_ERROR",
        /// The credential was not found or has been revoked: ask the end user to reconnect.
        InvalidCredential = "INVALID_CREDENTIAL",
        /// The API key is missing or wrong.
        Unauthorized = "UNAUTHORIZED",
        /// No such user, connector, action, credential or file.
        NotFound = "NOT_FOUND",
        /// The request clashes with what exists (a username already taken).
        Conflict = "CONFLICT",
        /// Too many requests: wait (see [`ApiError::retry_after`]) and try again.
        RateLimited = "RATE_LIMITED",
    }
}

/// Which of the known error body shapes the API used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyShape {
    /// `{"error": {"source", "code", "message", "details"}}`
    Envelope,
    /// `{"error": "Not Found", "message": ".."}`
    Flat,
    /// `{"message": ".."}`
    MessageOnly,
    /// Any other JSON value.
    OtherJson,
    /// Empty or not JSON.
    Text,
}

/// A non-success HTTP answer from the API.
#[derive(Clone)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// `error.source`, when the body named one.
    pub source: Option<ErrorSource>,
    /// `error.code`, when the body named one.
    pub code: Option<ErrorCode>,
    /// The server's technical message (`error.message`, `message`, or the flat `error` string).
    pub message: Option<String>,
    /// `error.details` (e.g. `httpStatusCode`, `credentialId`), empty when absent.
    pub details: JsonMap,
    /// The wait the server asked for in `Retry-After`, if any.
    pub retry_after: Option<Duration>,
    /// Which body shape was decoded.
    pub shape: BodyShape,
    /// The response body exactly as received.
    pub raw_body: Bytes,
}

impl ApiError {
    /// Decodes an error answer of any shape. Never fails: unknown shapes keep only the status
    /// and the raw body.
    pub fn from_response(status: u16, body: Bytes, retry_after: Option<Duration>) -> Self {
        let mut error = Self {
            status,
            source: None,
            code: None,
            message: None,
            details: JsonMap::new(),
            retry_after,
            shape: BodyShape::Text,
            raw_body: body,
        };
        let Ok(value) = serde_json::from_slice::<Value>(&error.raw_body) else {
            return error;
        };
        error.shape = BodyShape::OtherJson;
        let Value::Object(top) = value else {
            return error;
        };
        let top_message = top
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match top.get("error") {
            Some(Value::Object(inner)) => {
                error.shape = BodyShape::Envelope;
                let text = |key: &str| inner.get(key).and_then(Value::as_str);
                error.source = text("source").map(ErrorSource::parse);
                error.code = text("code").map(ErrorCode::parse);
                error.message = text("message").map(str::to_owned).or(top_message);
                if let Some(Value::Object(details)) = inner.get("details") {
                    error.details = details.clone();
                }
            }
            Some(Value::String(flat)) => {
                error.shape = BodyShape::Flat;
                error.message = Some(match top_message {
                    Some(message) => format!("{flat}: {message}"),
                    None => flat.clone(),
                });
            }
            _ if top_message.is_some() => {
                error.shape = BodyShape::MessageOnly;
                error.message = top_message;
            }
            _ => {}
        }
        error
    }

    /// Whether the API says the credential is gone or revoked.
    pub fn is_invalid_credential(&self) -> bool {
        self.code == Some(ErrorCode::InvalidCredential)
    }

    /// `error.details.httpStatusCode`: the upstream service's status, for third-party errors.
    pub fn upstream_status(&self) -> Option<u16> {
        self.details
            .get("httpStatusCode")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
    }

    /// The body as text (lossy), for logs and diagnostics.
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw_body).into_owned()
    }
}

impl fmt::Debug for ApiError {
    /// Shows an excerpt of the body rather than the bytes, which can be megabytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("source", &self.source)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("details", &self.details)
            .field("retry_after", &self.retry_after)
            .field("shape", &self.shape)
            .field("raw_body", &crate::error::excerpt(&self.raw_body))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(source) = &self.source {
            write!(f, " {source}")?;
        }
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None if self.raw_body.is_empty() => Ok(()),
            None => write!(f, ": {}", crate::error::excerpt(&self.raw_body)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> ApiError {
        ApiError::from_response(status, Bytes::from(body.to_owned()), None)
    }

    #[test]
    fn envelope_with_unknown_code_and_source() {
        let e = decode(
            404,
            r#"{"error":{"source":"THIRD_PARTY","code":"INVALID_CREDENTIAL","message":"gone",
                "details":{"httpStatusCode":401,"credentialId":"abc"}}}"#,
        );
        assert_eq!(e.shape, BodyShape::Envelope);
        assert_eq!(e.source, Some(ErrorSource::ThirdParty));
        assert!(e.is_invalid_credential());
        assert_eq!(e.upstream_status(), Some(401));
        assert_eq!(
            e.to_string(),
            "HTTP 404 THIRD_PARTY INVALID_CREDENTIAL: gone"
        );

        for (wire, code) in [
            ("UNAUTHORIZED", ErrorCode::Unauthorized),
            ("NOT_FOUND", ErrorCode::NotFound),
            ("CONFLICT", ErrorCode::Conflict),
            ("RATE_LIMITED", ErrorCode::RateLimited),
            ("INVALID_REQUEST", ErrorCode::InvalidRequest),
        ] {
            assert_eq!(ErrorCode::parse(wire), code);
            assert_eq!(code.as_str(), wire);
        }

        let e = decode(400, r#"{"error":{"source":"EDGE","code":"QUOTA_GONE"}}"#);
        assert_eq!(e.source, Some(ErrorSource::Other("EDGE".into())));
        assert_eq!(e.code, Some(ErrorCode::Other("QUOTA_GONE".into())));
    }

    #[test]
    fn other_shapes_still_decode() {
        let e = decode(
            401,
            r#"{"error":"Unauthorized","message":"Invalid API key"}"#,
        );
        assert_eq!(e.shape, BodyShape::Flat);
        assert_eq!(e.message.as_deref(), Some("Unauthorized: Invalid API key"));

        let e = decode(401, r#"{"message":"Unauthorized"}"#);
        assert_eq!(e.shape, BodyShape::MessageOnly);
        assert_eq!(e.message.as_deref(), Some("Unauthorized"));

        let e = decode(500, "{}");
        assert_eq!(e.shape, BodyShape::OtherJson);
        assert_eq!(e.to_string(), "HTTP 500: {}");

        let e = decode(502, "<html>Bad gateway</html>");
        assert_eq!(e.shape, BodyShape::Text);
        assert_eq!(e.to_string(), "HTTP 502: <html>Bad gateway</html>");
        assert_eq!(decode(503, "").to_string(), "HTTP 503");
    }
}
