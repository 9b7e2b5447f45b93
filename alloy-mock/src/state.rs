//! Everything the routes share.

use std::sync::Arc;

use axum::http::{HeaderMap, header};

use crate::catalog_index::CatalogIndex;
use crate::config::MockConfig;
use crate::credentials::CredentialStore;
use crate::faults::FaultSet;
use crate::files::FileStore;
use crate::oauth::PendingOAuth;
use crate::recording::Recorder;
use crate::users::UserStore;

/// The server's state; one per [`crate::MockServer`].
#[derive(Debug)]
pub struct AppState {
    pub config: MockConfig,
    /// `http://<bound address>`.
    pub base_url: String,
    pub catalog: CatalogIndex,
    pub users: UserStore,
    pub credentials: CredentialStore,
    pub oauth: PendingOAuth,
    pub files: FileStore,
    pub faults: FaultSet,
    pub recorder: Recorder,
    /// Pages per paginated action; starts at `MockConfig::pages`, set by `PUT /_mock/paging`.
    pub pages: std::sync::atomic::AtomicUsize,
}

pub type SharedState = Arc<AppState>;

impl AppState {
    pub fn new(config: MockConfig, base_url: String, catalog: CatalogIndex) -> Self {
        let recorder = Recorder::new(config.record_limit, config.record_byte_limit);
        let pages = std::sync::atomic::AtomicUsize::new(config.pages);
        Self {
            config,
            base_url,
            catalog,
            users: UserStore::default(),
            credentials: CredentialStore::default(),
            oauth: PendingOAuth::default(),
            files: FileStore::default(),
            faults: FaultSet::default(),
            recorder,
            pages,
        }
    }

    /// The base URL as the client reached us (its `Host`), for URLs handed back to it; the
    /// bound address when there is no `Host`.
    pub fn request_base(&self, headers: &HeaderMap) -> String {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| !h.is_empty())
            .map(|h| format!("http://{h}"))
            .unwrap_or_else(|| self.base_url.clone())
    }
}
