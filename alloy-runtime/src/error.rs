//! The one error type of the crate.
//!
//! `Display` gives the technical details for logs; [`Error::user_message`] gives a sentence
//! an application can show its end user. Neither ever contains the API key or credential data.

use std::time::Duration;

use crate::api_error::{ApiError, ErrorCode};
use crate::route::RouteRef;
use crate::validate::Problem;
use crate::{ConnectorId, CredentialId, Route, UserId};

/// How many bytes of a body an error shows.
const EXCERPT_BYTES: usize = 200;

/// Everything that can go wrong talking to the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The credential was not found or has been revoked (`INVALID_CREDENTIAL`): ask the end user
    /// to reconnect.
    #[error("{route}: credential invalid or revoked: {error}")]
    InvalidCredential {
        /// The route that answered (and, for an execute, the connector and action).
        route: Route,
        /// The decoded answer (boxed: it is large and errors travel in every `Result`).
        error: Box<ApiError>,
    },
    /// Any other non-success answer.
    #[error("{route}: {error}")]
    Api {
        /// The route that answered (and, for an execute, the connector and action).
        route: Route,
        /// The decoded answer (boxed: it is large and errors travel in every `Result`).
        error: Box<ApiError>,
    },
    /// The connection could not be made, or broke before a response arrived.
    #[error("{route}: {kind}: {source}")]
    Transport {
        /// The route being called (and, for an execute, the connector and action).
        route: Route,
        /// Where the exchange failed.
        kind: TransportKind,
        /// The underlying error (it names the URL, never a header).
        #[source]
        source: reqwest::Error,
    },
    /// The API answered with a redirect the client does not follow: to another origin (the
    /// request carries the API key, and often credential data), or too many in a row. Never
    /// retried.
    #[error("{route}: {reason}")]
    Redirect {
        /// The route being called (and, for an execute, the connector and action).
        route: Route,
        /// Why it was not followed; names the other origin, never its path or query.
        reason: String,
    },
    /// A paged listing could not go on: the server asked for a page it had already served.
    #[error("{connector}/{action}: paging: {message}")]
    Paging {
        /// The connector being listed.
        connector: String,
        /// The action being paged through.
        action: String,
        /// What went wrong.
        message: String,
    },
    /// An OAuth connection did not complete: the provider answered with an OAuth `error`
    /// (`access_denied` when the end user declined), or no credential appeared.
    #[error("OAuth connection to '{connector}' not completed: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    OAuth {
        /// The connector being connected.
        connector: ConnectorId,
        /// The OAuth error code (`access_denied`), or `no_new_credential`.
        error: String,
        /// The provider's explanation, when it gave one.
        description: Option<String>,
    },
    /// No complete response within the configured timeout.
    #[error("{route}: no response within {timeout:?}")]
    Timeout {
        /// The route being called (and, for an execute, the connector and action).
        route: Route,
        /// The per-attempt timeout that expired.
        timeout: Duration,
    },
    /// The response body was larger than the configured limit.
    #[error("{route}: response body exceeds the {limit}-byte limit")]
    BodyTooLarge {
        /// The route being called (and, for an execute, the connector and action).
        route: Route,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// A success answer whose body did not have the expected shape.
    #[error(
        "{route}: cannot decode HTTP {status} body at `{path}`: {message}; body starts: {excerpt}"
    )]
    Decode {
        /// The route that answered (and, for an execute, the connector and action).
        route: Route,
        /// HTTP status of the answer.
        status: u16,
        /// JSON path of the value that failed (`.` for the root).
        path: String,
        /// What serde reported.
        message: String,
        /// The first bytes of the body.
        excerpt: String,
    },
    /// Input rejected before anything was sent.
    #[error("invalid {what}: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Validation {
        /// What was being validated (`credential input for connector 'x'`).
        what: String,
        /// One line per problem, each naming the field.
        problems: Vec<Problem>,
    },
    /// The credential does not belong to this user and connector.
    #[error("credential {credential} does not belong to user {user} for connector '{connector}'")]
    CredentialNotOwned {
        /// The credential checked.
        credential: CredentialId,
        /// The user it was checked against.
        user: UserId,
        /// The connector it was checked against.
        connector: ConnectorId,
    },
    /// The client could not be built (missing key, bad URL or header value).
    #[error("client configuration: {0}")]
    Config(String),
    /// A webhook body that is not a valid event.
    #[error("invalid webhook payload at `{path}`: {message}")]
    Webhook {
        /// JSON path of the offending value (`.` for the root).
        path: String,
        /// What was wrong.
        message: String,
    },
}

/// Where a transport failure happened, which decides whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection was never established: nothing was sent.
    Connect,
    /// The connection broke after the request may have been sent.
    Request,
    /// The response body could not be read to its end.
    Body,
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Connect => "cannot connect",
            Self::Request => "connection lost",
            Self::Body => "response body interrupted",
        })
    }
}

impl Error {
    /// The decoded API answer, for `Api` and `InvalidCredential`.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api { error, .. } | Self::InvalidCredential { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Decode { status, .. } => Some(*status),
            _ => self.api_error().map(|e| e.status),
        }
    }

    /// The API's error code, when the body had one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api_error().and_then(|e| e.code.as_ref())
    }

    /// Whether trying the same call again later may succeed: throttling (429), a transient
    /// server-side failure (502/503/504), a timeout or a broken connection. A 500 is not
    /// counted (see [`RetryPolicy::retry_internal_errors`](crate::RetryPolicy::retry_internal_errors)).
    ///
    /// This says nothing about whether a retry is *safe*: the client's own retry loop also
    /// requires the request to be idempotent before it repeats anything but a 429 or a
    /// connection that was never made.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { error, .. } => crate::retry::is_retryable_status(error.status),
            Self::Transport { .. } | Self::Timeout { .. } => true,
            _ => false,
        }
    }

    /// Whether the end user has to reconnect the credential (`INVALID_CREDENTIAL`).
    pub fn needs_reconnect(&self) -> bool {
        matches!(self, Self::InvalidCredential { .. })
    }

    /// The wait the server asked for, when it sent `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|e| e.retry_after)
    }

    /// A sentence suitable for an end user; the technical details stay in `Display`.
    pub fn user_message(&self) -> &'static str {
        match self {
            Self::InvalidCredential { .. } | Self::CredentialNotOwned { .. } => {
                "The connection to this app is no longer valid. Please reconnect your account."
            }
            Self::Api { error, .. } => match error.status {
                401 | 403 => "This request is not authorized.",
                404 => "The requested item could not be found.",
                429 => "Too many requests right now. Please try again in a moment.",
                400 | 409 | 422 => "The request was not accepted. Please check the input.",
                _ if error.status >= 500 => {
                    "The service is having trouble right now. Please try again later."
                }
                _ => "The request could not be completed.",
            },
            Self::Transport { .. } | Self::Timeout { .. } => {
                "The service could not be reached. Please try again later."
            }
            Self::Validation { .. } => "Some of the information entered is missing or invalid.",
            Self::OAuth { .. } => "The connection was not completed. Please try connecting again.",
            Self::BodyTooLarge { .. }
            | Self::Decode { .. }
            | Self::Redirect { .. }
            | Self::Paging { .. } => {
                "The service sent an unexpected answer. Please try again later."
            }
            Self::Config(_) | Self::Webhook { .. } => "Something went wrong on our side.",
        }
    }

    /// Classifies an API answer: `INVALID_CREDENTIAL` gets its own variant.
    pub(crate) fn from_api(route: Route, error: ApiError) -> Self {
        let error = Box::new(error);
        if error.is_invalid_credential() {
            Self::InvalidCredential { route, error }
        } else {
            Self::Api { route, error }
        }
    }

    /// Turns a serde_path_to_error failure into `Decode`, with the path and a body excerpt.
    pub(crate) fn decode(
        route: RouteRef<'_>,
        status: u16,
        error: serde_path_to_error::Error<serde_json::Error>,
        body: &[u8],
    ) -> Self {
        let path = error.path().to_string();
        Self::Decode {
            route: route.to_route(),
            status,
            path,
            message: error.into_inner().to_string(),
            excerpt: excerpt(body),
        }
    }
}

impl Error {
    /// The same error without the body excerpt and the quoted values of the decoder's message,
    /// for answers that carry a secret (a user token): a malformed one must not reach logs.
    pub(crate) fn withhold_body(self) -> Self {
        match self {
            Self::Decode {
                route,
                status,
                path,
                message,
                ..
            } => Self::Decode {
                route,
                status,
                path,
                message: without_quoted(&message),
                excerpt: "<withheld: the body holds a secret>".to_owned(),
            },
            other => other,
        }
    }
}

/// `message` with every `"…"` or `` `…` `` quoted value replaced by `…` (serde quotes the
/// offending value: `invalid type: string "eyJ…", expected u64`).
fn without_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open: Option<char> = None;
    for c in message.chars() {
        match open {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    open = Some(c);
                }
            }
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

/// The first [`EXCERPT_BYTES`] of a body as text, cut on a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    let text = text.trim_end_matches('\u{FFFD}');
    if body.len() > EXCERPT_BYTES {
        format!("{text}… ({} bytes)", body.len())
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    #[test]
    fn withheld_bodies_keep_the_path_but_no_value() {
        let body = br#"{"token": "eyJhbGciOi.secret"}"#;
        let failure =
            serde_path_to_error::deserialize::<_, std::collections::BTreeMap<String, u64>>(
                &mut serde_json::Deserializer::from_slice(body),
            )
            .unwrap_err();
        let err = Error::decode("/users/{userId}/token".into(), 200, failure, body).withhold_body();
        let text = err.to_string();
        assert!(!text.contains("eyJ"), "{text}");
        assert!(text.contains("`token`"), "{text}");
        assert!(text.contains("withheld"), "{text}");
        assert_eq!(without_quoted(r#"a "b" c `d"#), r#"a "…" c `…"#);
    }

    fn api(status: u16, body: &str) -> Error {
        Error::from_api(
            "/users".into(),
            ApiError::from_response(status, Bytes::from(body.to_owned()), None),
        )
    }

    #[test]
    fn classification() {
        let e = api(
            404,
            r#"{"error":{"code":"INVALID_CREDENTIAL","message":"revoked"}}"#,
        );
        assert!(e.needs_reconnect());
        assert!(!e.is_retryable());
        assert_eq!(e.status(), Some(404));
        for status in [429, 502, 503, 504] {
            assert!(api(status, "").is_retryable(), "{status}");
        }
        for status in [400, 401, 403, 404, 500, 501] {
            assert!(!api(status, "").is_retryable(), "{status}");
        }
        assert_ne!(api(429, "").user_message(), api(500, "").user_message());
    }

    #[test]
    fn excerpt_is_bounded_and_marks_the_cut() {
        let long = "é".repeat(300);
        let cut = excerpt(long.as_bytes());
        assert!(cut.ends_with("(600 bytes)"), "{cut}");
        assert!(!cut.contains('\u{FFFD}'));
        assert_eq!(excerpt(b"short"), "short");
    }
}
