//! What the mock received: a ring buffer of requests, bounded in count and in bytes, that
//! tests read back.
//!
//! Only requests that passed the API-key check are recorded (an unauthenticated client can
//! neither fill the mock's memory nor plant entries). In process, [`crate::MockServer::requests`]
//! gives the test that owns the server every request exactly as sent; over HTTP,
//! `GET /_mock/requests` (itself behind the API key) shows them with their secrets redacted:
//! the `Authorization` value, credential `data` values and forwarded header values.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorCode};
use crate::state::SharedState;
use crate::sync::lock;

/// One request as the mock received it.
///
/// Over HTTP (`GET /_mock/requests`) the body is a string: the bytes as UTF-8, with invalid
/// sequences replaced, which is exact for every JSON body.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    #[serde(serialize_with = "body_as_text", deserialize_with = "body_from_text")]
    pub body: Bytes,
    /// The body was larger than the recorder's byte budget and is not kept.
    #[serde(default)]
    pub body_dropped: bool,
}

impl RecordedRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    /// Redacts the `authorization` header so test failure output does not print API keys.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if n.eq_ignore_ascii_case("authorization") {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

fn body_as_text<S: Serializer>(body: &Bytes, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(body))
}

fn body_from_text<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
    String::deserialize(d).map(Bytes::from)
}

/// The ring buffer: keeps the newest `limit` requests, whose bodies add up to at most
/// `byte_limit` bytes.
#[derive(Debug)]
pub struct Recorder {
    limit: usize,
    byte_limit: usize,
    requests: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    requests: VecDeque<RecordedRequest>,
    bytes: usize,
}

impl Recorder {
    pub fn new(limit: usize, byte_limit: usize) -> Self {
        Self {
            limit,
            byte_limit,
            requests: Mutex::new(Kept {
                requests: VecDeque::with_capacity(limit.min(1024)),
                bytes: 0,
            }),
        }
    }

    pub fn record(&self, mut request: RecordedRequest) {
        if self.limit == 0 {
            return;
        }
        if request.body.len() > self.byte_limit {
            // Kept as a request, without a body that alone would exceed the budget.
            request.body = Bytes::new();
            request.body_dropped = true;
        }
        let mut kept = lock(&self.requests);
        while kept.requests.len() >= self.limit || kept.bytes + request.body.len() > self.byte_limit
        {
            let Some(old) = kept.requests.pop_front() else {
                break;
            };
            kept.bytes -= old.body.len();
        }
        kept.bytes += request.body.len();
        kept.requests.push_back(request);
    }

    /// Everything kept, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).requests.iter().cloned().collect()
    }

    pub fn clear(&self) {
        let mut kept = lock(&self.requests);
        kept.requests.clear();
        kept.bytes = 0;
    }
}

const REDACTED: &str = "<redacted>";

impl RecordedRequest {
    /// The request with its secrets replaced by `<redacted>`: the `Authorization` value after
    /// its scheme, every value under `data` and `additionalHeaders` of a JSON body (credential
    /// inputs, forwarded headers), and a body that is not JSON on a credential route.
    pub fn redacted(&self) -> RecordedRequest {
        let mut out = self.clone();
        for (name, value) in &mut out.headers {
            if name.eq_ignore_ascii_case("authorization") {
                *value = match value.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                    None => REDACTED.to_owned(),
                };
            }
        }
        if out.body.is_empty() {
            return out;
        }
        match serde_json::from_slice::<serde_json::Value>(&out.body) {
            Ok(mut json) => {
                redact_members(&mut json);
                out.body = Bytes::from(json.to_string());
            }
            Err(_) if out.path.contains("credentials") => out.body = Bytes::from(REDACTED),
            Err(_) => {}
        }
        out
    }
}

/// Replaces the leaves under every `data` and `additionalHeaders` member, at any depth.
fn redact_members(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if key == "data" || key == "additionalHeaders" {
                    redact_leaves(member);
                } else {
                    redact_members(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_members),
        _ => {}
    }
}

fn redact_leaves(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => map.values_mut().for_each(redact_leaves),
        Value::Array(items) => items.iter_mut().for_each(redact_leaves),
        Value::Null => {}
        leaf => *leaf = Value::String(REDACTED.to_owned()),
    }
}

/// Buffers the body, records the request (control routes excepted), and passes it on.
pub async fn record_requests(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    // Neither buffer nor keep what an unauthenticated client sends: the auth layer inside
    // answers it, unread.
    if crate::auth::authorize(&state, parts.uri.path(), &parts.headers).is_err() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let body = match axum::body::to_bytes(body, state.config.body_limit).await {
        Ok(body) => body,
        Err(_) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::InvalidInput,
                format!(
                    "request body larger than {} bytes (or unreadable)",
                    state.config.body_limit
                ),
            )
            .into_response();
        }
    };
    if !crate::control::is_control_path(parts.uri.path()) {
        state.recorder.record(RecordedRequest {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.clone(),
            body_dropped: false,
        });
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: path.into(),
            query: None,
            headers: vec![("authorization".into(), "Bearer secret".into())],
            body: Bytes::new(),
            body_dropped: false,
        }
    }

    #[test]
    fn keeps_only_the_newest() {
        let recorder = Recorder::new(2, 1 << 20);
        for path in ["/a", "/b", "/c"] {
            recorder.record(request(path));
        }
        let paths: Vec<String> = recorder.snapshot().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/b", "/c"]);
        let none = Recorder::new(0, 1 << 20);
        none.record(request("/a"));
        assert!(none.snapshot().is_empty());
    }

    #[test]
    fn bodies_are_bounded_in_bytes() {
        let recorder = Recorder::new(100, 10);
        for (path, body) in [("/a", "1234"), ("/b", "5678"), ("/c", "90ab")] {
            let mut r = request(path);
            r.body = Bytes::from(body);
            recorder.record(r);
        }
        let paths: Vec<String> = recorder.snapshot().into_iter().map(|r| r.path).collect();
        assert_eq!(
            paths,
            ["/b", "/c"],
            "the oldest went to stay within 10 bytes"
        );
        let mut huge = request("/huge");
        huge.body = Bytes::from(vec![b'x'; 11]);
        recorder.record(huge);
        let last = recorder.snapshot().pop().unwrap();
        assert!(last.body.is_empty() && last.body_dropped);
    }

    #[test]
    fn the_redacted_view_hides_keys_and_credential_data() {
        let mut r = request("/connectors/x/credentials");
        r.body = Bytes::from(
            r#"{"userId":"u","data":{"apiKey":"k-123","nested":{"pw":"p-456"}},"additionalHeaders":{"X-T":"t-789"}}"#,
        );
        let shown = serde_json::to_string(&r.redacted()).unwrap();
        for secret in ["secret", "k-123", "p-456", "t-789"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("Bearer <redacted>") && shown.contains(r#"\"userId\":\"u\""#),
            "{shown}"
        );
    }

    #[test]
    fn debug_redacts_authorization() {
        let shown = format!("{:?}", request("/a"));
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(request("/a").header("Authorization"), Some("Bearer secret"));
    }
}
