//! Defaults, environment variable names, and the settings a built client carries.

use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::retry::RetryPolicy;

/// The API's only documented host.
pub const DEFAULT_BASE_URL: &str = "https://production.runalloy.com";
/// The API version this crate was written against, sent as `x-api-version`.
pub const DEFAULT_API_VERSION: &str = "2025-09";
/// Environment variable read by [`crate::Client::from_env`] for the API key.
pub const ENV_API_KEY: &str = "ALLOY_API_KEY";
/// Environment variable read by [`crate::Client::from_env`] for the base URL.
pub const ENV_API_URL: &str = "ALLOY_API_URL";
/// Default per-attempt timeout (whole exchange, body included).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest response body accepted (the API's own request limit is 10 MB; a list of
/// files or an upstream payload can be larger, so leave room).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Settings of a built client, fixed for its lifetime.
#[derive(Debug)]
pub(crate) struct Config {
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// `Bearer <key>`, marked sensitive so reqwest never prints it.
    pub authorization: HeaderValue,
    /// The API key, to be cut out of any answer that becomes an error.
    pub secrets: crate::secret::Secrets,
    pub api_version: HeaderValue,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub max_response_bytes: usize,
}
