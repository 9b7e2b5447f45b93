//! `Client` (the API key's view) and `UserClient` (one end user's view).
//!
//! The endpoint modules add their methods to these two types; this module holds only the
//! handles themselves.

use std::fmt;
use std::sync::Arc;

use crate::builder::ClientBuilder;
use crate::config::Config;
use crate::{Error, UserId};

/// A connection to the Alloy API.
///
/// Cheap to clone: clones share one connection pool and one configuration. `Debug` never shows
/// the API key.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// What clones of a [`Client`] share.
pub(crate) struct Inner {
    pub http: reqwest::Client,
    pub config: Config,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `ALLOY_API_KEY` (required) and `ALLOY_API_URL` (optional).
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env().build()
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        Self { inner }
    }

    /// A handle acting for one end user: every call it makes carries `x-alloy-userid`.
    pub fn user(&self, user_id: impl Into<UserId>) -> UserClient {
        UserClient {
            client: self.clone(),
            user_id: user_id.into(),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.config.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.inner.config;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("api_key", &"<redacted>")
            .field("api_version", &config.api_version)
            .field("timeout", &config.timeout)
            .field("retry", &config.retry)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner").finish_non_exhaustive()
    }
}

/// A [`Client`] bound to one end user, so multi-tenant code cannot forget `x-alloy-userid`.
///
/// Made by [`Client::user`]; cheap to clone.
#[derive(Debug, Clone)]
pub struct UserClient {
    pub(crate) client: Client,
    pub(crate) user_id: UserId,
}

impl UserClient {
    /// The user this handle acts for.
    pub fn user_id(&self) -> &UserId {
        &self.user_id
    }

    /// The underlying client, for calls that are not user-scoped.
    pub fn client(&self) -> &Client {
        &self.client
    }
}
