//! Server settings.

use std::net::{Ipv4Addr, SocketAddr};

/// How a [`crate::MockServer`] behaves. Build with `MockConfig::default()` and the setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MockConfig {
    /// The only API key accepted; `None` accepts any non-empty key.
    pub api_key: Option<String>,
    /// How many requests the recorder keeps (oldest dropped first); 0 records nothing.
    pub record_limit: usize,
    /// How many body bytes the recorder keeps in all (oldest dropped first; a larger body is
    /// recorded without it).
    pub record_byte_limit: usize,
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The largest request body accepted, in bytes (larger → 413).
    pub body_limit: usize,
    /// How many pages a paginated action serves before its answer says there are no more;
    /// 0 answers with the plain sample.
    pub pages: usize,
    /// Corrections to the paging detected per action (`MockServer::from_dir` reads the
    /// `paging-overrides.json` beside the catalog when none are set).
    pub paging_overrides: alloy_model::paging_overrides::PagingOverrides,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            api_key: None,
            record_limit: 10_000,
            record_byte_limit: 64 * 1024 * 1024,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            body_limit: 64 * 1024 * 1024,
            pages: 3,
            paging_overrides: Default::default(),
        }
    }
}

impl MockConfig {
    /// Accept only this API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Keep at most this many recorded requests.
    pub fn record_limit(mut self, limit: usize) -> Self {
        self.record_limit = limit;
        self
    }

    /// Keep at most this many body bytes of recorded requests.
    pub fn record_byte_limit(mut self, bytes: usize) -> Self {
        self.record_byte_limit = bytes;
        self
    }

    /// Listen on this address.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Serve this many pages of each paginated action (0: the plain sample).
    pub fn pages(mut self, pages: usize) -> Self {
        self.pages = pages;
        self
    }

    /// Corrects or adds the paging of some actions.
    pub fn paging_overrides(
        mut self,
        overrides: alloy_model::paging_overrides::PagingOverrides,
    ) -> Self {
        self.paging_overrides = overrides;
        self
    }

    /// Accept request bodies up to this many bytes.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}
