//! `ClientBuilder`: every setting of a [`Client`], checked once at `build`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::client::{Client, Inner};
use crate::config::{
    Config, DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, ENV_API_KEY, ENV_API_URL,
};
use crate::secret::Secrets;
use crate::{ApiKey, Error, RetryPolicy};

/// Builds a [`Client`]. Only the API key is required.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: String,
    api_version: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    max_response_bytes: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            user_agent: concat!("alloy-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: production URL, version `2025-09`, 30 s timeout, 3 attempts.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with the key from `ALLOY_API_KEY` and, when set, the URL from `ALLOY_API_URL`.
    /// A missing key is reported by `build`.
    pub fn from_env() -> Self {
        let mut builder = Self::default();
        if let Some(key) = std::env::var(ENV_API_KEY).ok().filter(|k| !k.is_empty()) {
            builder.api_key = Some(ApiKey::new(key));
        }
        if let Some(url) = std::env::var(ENV_API_URL).ok().filter(|u| !u.is_empty()) {
            builder.base_url = url;
        }
        builder
    }

    /// The API key (required).
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The API host, e.g. a mock server's `http://127.0.0.1:PORT`. Default
    /// `https://production.runalloy.com`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The `x-api-version` header. Default `2025-09`.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// Time allowed for each attempt, from sending to the end of the body. Default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to open a connection. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header. Default `alloy-runtime/<version>`.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// The largest response body read before giving up with [`Error::BodyTooLarge`].
    /// Default 64 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the settings and opens the connection pool.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.api_key.ok_or_else(|| {
            Error::Config(format!(
                "no API key: call ClientBuilder::api_key or set {ENV_API_KEY}"
            ))
        })?;
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", key.expose_secret()))
            .map_err(|_| {
                Error::Config("the API key contains characters not allowed in a header".into())
            })?;
        authorization.set_sensitive(true);
        let api_version = HeaderValue::try_from(self.api_version.as_str())
            .map_err(|_| Error::Config(format!("invalid api version {:?}", self.api_version)))?;

        let parsed = url::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("invalid base URL {:?}: {e}", self.base_url)))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "base URL {:?} is not an http(s) URL",
                self.base_url
            )));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::Config(format!(
                "base URL {:?} must not have a query or fragment",
                self.base_url
            )));
        }

        let http = reqwest::Client::builder()
            .redirect(crate::transport::redirect_policy())
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;

        let mut secrets = Secrets::default();
        secrets.add(key.expose_secret());
        let config = Config {
            base_url: self.base_url.trim_end_matches('/').to_owned(),
            authorization,
            secrets,
            api_version,
            timeout: self.timeout,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
        };
        Ok(Client::from_inner(Arc::new(Inner { http, config })))
    }
}
