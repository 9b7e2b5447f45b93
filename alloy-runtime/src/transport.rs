//! One API request: headers, the retry loop, the body limit, the tracing span, JSON decoding.
//!
//! Every endpoint module describes its call as a [`Request`] and hands it to
//! [`Inner::send`]; nothing else in the crate touches reqwest for API calls.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::{Instrument, field};

use crate::client::Inner;
use crate::error::TransportKind;
use crate::retry::parse_retry_after;
use crate::route::{Route, RouteRef};
use crate::secret::Secrets;
use crate::{ApiError, Error, UserId};

/// Header naming the end user a call acts for.
pub(crate) const USER_HEADER: &str = "x-alloy-userid";
const VERSION_HEADER: &str = "x-api-version";
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Characters escaped inside one path segment: everything but RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (an id, an `s3Key`), so `/` or `?` in it stay data.
pub(crate) fn segment(raw: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(raw, SEGMENT)
}

/// Redirects the client follows: at most [`MAX_REDIRECTS`], each to the origin of the request
/// that was sent. Every request carries the API key, and many carry credential data in their
/// body, which a 307/308 would send again: another origin never receives either.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let from = attempt.previous().first().map(reqwest::Url::origin);
        let to = attempt.url().origin();
        if from.as_ref() != Some(&to) {
            let to = to.ascii_serialization();
            attempt.error(RedirectRefused(format!(
                "refused a redirect to another origin ({to}): the request carries secrets"
            )))
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(RedirectRefused(format!(
                "more than {MAX_REDIRECTS} redirects"
            )))
        } else {
            attempt.follow()
        }
    })
}

const MAX_REDIRECTS: usize = 10;

/// Why a redirect was not followed; found again in the reqwest error's source chain.
#[derive(Debug)]
struct RedirectRefused(String);

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RedirectRefused {}

/// The refusal inside a reqwest error, if that is what it is.
fn redirect_refusal(error: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<RedirectRefused>() {
            return Some(refused.0.clone());
        }
        source = e.source();
    }
    None
}

/// One API call as the endpoint modules describe it.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub method: Method,
    /// The route template (`/users/{userId}`), for logs and errors; never holds ids.
    pub route: &'static str,
    /// The encoded path, starting with `/`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    /// Sent as `x-alloy-userid` when set.
    pub user: Option<&'a UserId>,
    /// A JSON body, already serialized so retries resend the same bytes.
    pub body: Option<Bytes>,
    /// Whether repeating the call after it may have been processed is harmless.
    pub idempotent: bool,
    /// Span fields of execute calls.
    pub connector: Option<&'a str>,
    pub action: Option<&'a str>,
    /// Values this call sends that an echoing server must not get into an error.
    pub secrets: Secrets,
}

impl<'a> Request<'a> {
    /// The route as errors name it: the template, and the connector and action of an execute.
    pub fn route(&self) -> Route {
        self.route_ref().to_route()
    }

    /// [`Request::route`], borrowed from the request's fields.
    pub fn route_ref(&self) -> RouteRef<'a> {
        match (self.connector, self.action) {
            (Some(connector), Some(action)) => RouteRef::action_call(self.route, connector, action),
            _ => RouteRef::from(self.route),
        }
    }

    /// A call with the usual idempotency of its method (POST is not).
    pub fn new(method: Method, route: &'static str, path: String) -> Self {
        let idempotent = method != Method::POST && method != Method::PATCH;
        Self {
            method,
            route,
            path,
            query: Vec::new(),
            user: None,
            body: None,
            idempotent,
            connector: None,
            action: None,
            secrets: Secrets::default(),
        }
    }

    /// Marks the values of a credential's `data`, which this call sends, as secrets.
    pub fn secret_data(mut self, data: Option<&crate::SecretData>) -> Self {
        if let Some(data) = data {
            self.secrets.add_data(data);
        }
        self
    }

    /// Sends `x-alloy-userid`.
    pub fn user(mut self, user: &'a UserId) -> Self {
        self.user = Some(user);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Serializes `body` as the JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Validation {
            what: format!("request body of {}", self.route),
            problems: vec![e.to_string().into()],
        })?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

/// A success answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Bytes,
    /// What the call sent that must not show in a decoding error of this body.
    pub secrets: Secrets,
}

impl Reply {
    /// Decodes the body as `T`; a failure shows no secret of the call.
    pub fn decode<T: DeserializeOwned>(&self, route: RouteRef<'_>) -> Result<T, Error> {
        decode_with(route, self.status, &self.body, &self.secrets)
    }

    /// The body as an error answer (for an error reported inside a success), secrets cut out.
    pub fn api_error(&self) -> ApiError {
        let body = Bytes::from(self.secrets.redact(&self.body));
        ApiError::from_response(self.status, body, None)
    }
}

/// The outcome of one attempt, before the retry decision.
enum Attempt {
    Reply(Reply),
    Rejected(ApiError),
    Failed(Error),
}

impl Inner {
    /// Sends a call, retrying per the policy, and returns the success answer or the error of
    /// the last attempt.
    pub(crate) async fn send(&self, request: Request<'_>) -> Result<Reply, Error> {
        let span = tracing::info_span!(
            "alloy.request",
            method = %request.method,
            route = request.route,
            connector = request.connector,
            action = request.action,
            user = request.user.map(UserId::as_str),
            attempt = field::Empty,
            status = field::Empty,
            latency_ms = field::Empty,
        );
        self.send_with_retries(&request, &span)
            .instrument(span.clone())
            .await
    }

    async fn send_with_retries(
        &self,
        request: &Request<'_>,
        span: &tracing::Span,
    ) -> Result<Reply, Error> {
        let policy = self.config.retry;
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let sent = Instant::now();
            let outcome = self.attempt(request).await;
            span.record("latency_ms", sent.elapsed().as_millis() as u64);
            let (error, safe, retry_after) = match outcome {
                Attempt::Reply(reply) => {
                    span.record("status", reply.status);
                    tracing::debug!(bytes = reply.body.len(), "success");
                    return Ok(reply);
                }
                Attempt::Rejected(api) => {
                    span.record("status", api.status);
                    // A 429 was refused before any processing; a 5xx may have had effects.
                    let safe = api.status == 429
                        || (policy.retries_status(api.status) && request.idempotent);
                    let retry_after = api.retry_after;
                    (Error::from_api(request.route(), api), safe, retry_after)
                }
                Attempt::Failed(error) => {
                    let safe = match &error {
                        Error::Transport {
                            kind: TransportKind::Connect,
                            ..
                        } => true,
                        Error::Transport { .. } | Error::Timeout { .. } => request.idempotent,
                        _ => false,
                    };
                    (error, safe, None)
                }
            };
            if safe {
                let delay = policy.delay(attempt, retry_after);
                if policy.allows(attempt, started.elapsed(), delay) {
                    tracing::warn!(
                        error = %error,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            // A 4xx is usually the caller's business (not found, invalid input); anything else
            // means the API or the network is in trouble.
            if error
                .status()
                .is_some_and(|s| (400..500).contains(&s) && s != 429)
            {
                tracing::debug!(error = %error, "request rejected");
            } else {
                tracing::warn!(error = %error, retryable = safe, "request failed");
            }
            return Err(error);
        }
    }

    async fn attempt(&self, request: &Request<'_>) -> Attempt {
        let mut builder = self
            .http
            .request(
                request.method.clone(),
                format!("{}{}", self.config.base_url, request.path),
            )
            .header(AUTHORIZATION, self.config.authorization.clone())
            .header(VERSION_HEADER, self.config.api_version.clone())
            .header(ACCEPT, JSON);
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(user) = request.user {
            match HeaderValue::from_str(user.as_str()) {
                Ok(value) => builder = builder.header(USER_HEADER, value),
                Err(_) => {
                    return Attempt::Failed(Error::Validation {
                        what: "user id".into(),
                        problems: vec![format!("{user:?} cannot be sent in a header").into()],
                    });
                }
            }
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, JSON).body(body.clone());
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return Attempt::Failed(self.transport_error(request, e, false)),
        };
        let status = response.status().as_u16();
        let retry_after = parse_retry_after(response.headers());
        let body = match self.read_body(request, response).await {
            Ok(body) => body,
            Err(e) => return Attempt::Failed(e),
        };
        let secrets = self.config.secrets.with(&request.secrets);
        if (200..300).contains(&status) {
            Attempt::Reply(Reply {
                status,
                body,
                secrets,
            })
        } else {
            // A server may echo the request (credential data, the API key) in its error.
            let body = Bytes::from(secrets.redact(&body));
            Attempt::Rejected(ApiError::from_response(status, body, retry_after))
        }
    }

    /// Reads the whole body, refusing to buffer more than the configured limit.
    async fn read_body(
        &self,
        request: &Request<'_>,
        mut response: reqwest::Response,
    ) -> Result<Bytes, Error> {
        let limit = self.config.max_response_bytes;
        let too_large = || Error::BodyTooLarge {
            route: request.route(),
            limit,
        };
        let declared = response.content_length().unwrap_or(0);
        if declared > limit as u64 {
            return Err(too_large());
        }
        let mut body = BytesMut::with_capacity(declared as usize);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body.freeze()),
                Err(e) => return Err(self.transport_error(request, e, true)),
            }
        }
    }

    fn transport_error(&self, request: &Request<'_>, error: reqwest::Error, body: bool) -> Error {
        if let Some(reason) = redirect_refusal(&error) {
            Error::Redirect {
                route: request.route(),
                reason,
            }
        } else if error.is_connect() {
            Error::Transport {
                route: request.route(),
                kind: TransportKind::Connect,
                source: error.without_url(),
            }
        } else if error.is_timeout() {
            Error::Timeout {
                route: request.route(),
                timeout: self.config.timeout,
            }
        } else {
            Error::Transport {
                route: request.route(),
                kind: if body {
                    TransportKind::Body
                } else {
                    TransportKind::Request
                },
                source: error.without_url(),
            }
        }
    }

    /// Sends a call and decodes its JSON answer as `T`.
    pub(crate) async fn call<T: DeserializeOwned>(&self, request: Request<'_>) -> Result<T, Error> {
        let route = request.route_ref();
        let reply = self.send(request).await?;
        reply.decode(route)
    }
}

/// Decodes a JSON body, reporting the failing path and an excerpt of the body.
pub(crate) fn decode<T: DeserializeOwned>(
    route: RouteRef<'_>,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::decode(route, status, e, body))?;
    de.end().map_err(|e| Error::Decode {
        route: route.to_route(),
        status,
        path: ".".into(),
        message: e.to_string(),
        excerpt: crate::error::excerpt(body),
    })?;
    Ok(value)
}

/// [`decode`], but a failure shows no value of `secrets`: the error is worked out again on the
/// body with the secrets cut out, so neither serde's message nor the excerpt can quote one.
pub(crate) fn decode_with<T: DeserializeOwned>(
    route: RouteRef<'_>,
    status: u16,
    body: &[u8],
    secrets: &Secrets,
) -> Result<T, Error> {
    let error = match decode(route, status, body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    if secrets.is_empty() {
        return Err(error);
    }
    let redacted = secrets.redact(body);
    if redacted == body {
        return Err(error);
    }
    Err(match decode::<T>(route, status, &redacted) {
        Err(error) => error,
        // Cutting a secret out made the body valid: say where it failed, show nothing.
        Ok(_) => error.withhold_body(),
    })
}

/// Decodes an already parsed JSON value, with the same error detail as [`decode`].
pub(crate) fn decode_value<T: DeserializeOwned>(
    route: RouteRef<'_>,
    status: u16,
    value: &serde_json::Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let text = serde_json::to_vec(value).unwrap_or_default();
        Error::decode(route, status, e, &text)
    })
}
