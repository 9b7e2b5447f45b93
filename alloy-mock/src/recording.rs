//! What the mock received: a bounded ring buffer of requests that tests read back.

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

/// The ring buffer: keeps the newest `limit` requests.
#[derive(Debug)]
pub struct Recorder {
    limit: usize,
    requests: Mutex<VecDeque<RecordedRequest>>,
}

impl Recorder {
    pub fn new(limit: usize) -> Self {
        Self {
            limit,
            requests: Mutex::new(VecDeque::with_capacity(limit.min(1024))),
        }
    }

    pub fn record(&self, request: RecordedRequest) {
        if self.limit == 0 {
            return;
        }
        let mut requests = lock(&self.requests);
        while requests.len() >= self.limit {
            requests.pop_front();
        }
        requests.push_back(request);
    }

    /// Everything kept, oldest first.
    pub fn snapshot(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).iter().cloned().collect()
    }

    pub fn clear(&self) {
        lock(&self.requests).clear();
    }
}

/// Buffers the body, records the request (control routes excepted), and passes it on.
pub async fn record_requests(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
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
        }
    }

    #[test]
    fn keeps_only_the_newest() {
        let recorder = Recorder::new(2);
        for path in ["/a", "/b", "/c"] {
            recorder.record(request(path));
        }
        let paths: Vec<String> = recorder.snapshot().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/b", "/c"]);
        let none = Recorder::new(0);
        none.record(request("/a"));
        assert!(none.snapshot().is_empty());
    }

    #[test]
    fn debug_redacts_authorization() {
        let shown = format!("{:?}", request("/a"));
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(request("/a").header("Authorization"), Some("Bearer secret"));
    }
}
