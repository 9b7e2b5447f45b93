//! [`MockServer`]: binding, the accept loop, and the handle tests hold.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use alloy_model::{Catalog, LoadOptions, UserId};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt as _;

use crate::catalog_index::CatalogIndex;
use crate::config::MockConfig;
use crate::error::MockError;
use crate::faults::FaultRule;
use crate::recording::RecordedRequest;
use crate::router::router;
use crate::state::{AppState, SharedState};

/// A running mock of the Connectivity API on a local port.
///
/// Dropping it stops the server (open connections are closed); [`MockServer::shutdown`] does
/// the same and waits for the accept loop to end.
pub struct MockServer {
    state: SharedState,
    addr: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("connectors", &self.state.catalog.connector_count())
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Serves `catalog` on `127.0.0.1` at a free port.
    pub async fn start(catalog: Catalog) -> Result<MockServer, MockError> {
        Self::start_with(catalog, MockConfig::default()).await
    }

    /// Serves `catalog` with `config`.
    ///
    /// Discovery answers with each file's exact text when the catalog was loaded with
    /// [`LoadOptions::keep_raw`], else with the canonical JSON of the parsed documents.
    pub async fn start_with(catalog: Catalog, config: MockConfig) -> Result<MockServer, MockError> {
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| MockError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| MockError::Bind {
            addr: config.addr,
            source,
        })?;
        let index = CatalogIndex::new(catalog, &config.paging_overrides);
        let state = Arc::new(AppState::new(config, format!("http://{addr}"), index));
        let task = tokio::spawn(serve(listener, router(Arc::clone(&state))));
        Ok(MockServer {
            state,
            addr,
            task: Some(task),
        })
    }

    /// Loads the snapshot in `dir` (keeping each file's text) and serves it.
    pub async fn from_dir(dir: impl AsRef<Path>) -> Result<MockServer, MockError> {
        Self::from_dir_with(dir, MockConfig::default()).await
    }

    /// Loads the snapshot in `dir` (keeping each file's text) and serves it with `config`.
    pub async fn from_dir_with(
        dir: impl AsRef<Path>,
        mut config: MockConfig,
    ) -> Result<MockServer, MockError> {
        let catalog = load_catalog(dir.as_ref()).await?;
        if config.paging_overrides.is_empty() {
            config.paging_overrides =
                alloy_model::paging_overrides::PagingOverrides::beside(dir.as_ref())?;
        }
        Self::start_with(catalog, config).await
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Arms a fault (see [`FaultRule`]).
    pub fn inject(&self, rule: FaultRule) {
        self.state.faults.add(rule);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// How many pages each paginated action serves from now on (0: the plain sample); the
    /// same as `PUT /_mock/paging`.
    pub fn set_pages(&self, pages: usize) {
        self.state
            .pages
            .store(pages, std::sync::atomic::Ordering::Relaxed);
    }

    /// The recorded requests, oldest first (at most `MockConfig::record_limit`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.recorder.snapshot()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.state.recorder.clear();
    }

    /// Creates a user in the same store the API uses and returns its id; when the username is
    /// taken, returns the existing user's id.
    pub fn create_user(&self, username: &str) -> UserId {
        match self.state.users.create(username, None) {
            Ok(user) => UserId::new(user.user_id),
            Err(_) => self
                .state
                .users
                .resolve(username)
                .map(|u| UserId::new(u.user_id))
                .unwrap_or_else(|| UserId::new("")),
        }
    }

    /// Stops accepting, closes open connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Loads a snapshot with `keep_raw` on the blocking pool (the corpus is ~100 MB of JSON).
pub(crate) async fn load_catalog(dir: &Path) -> Result<Catalog, MockError> {
    let dir = dir.to_path_buf();
    let options = LoadOptions::default().keep_raw(true);
    let loaded = tokio::task::spawn_blocking(move || Catalog::load_with(&dir, &options)).await;
    match loaded {
        Ok(result) => Ok(result?),
        Err(e) => Err(MockError::Load(alloy_model::LoadError::Layout {
            path: Default::default(),
            message: format!("the loader thread failed: {e}"),
        })),
    }
}

/// Marks a response that must not be sent: the connection is closed instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnection;

/// The error that makes hyper abort a connection without writing a response.
#[derive(Debug)]
struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for ConnectionDropped {}

/// Adapts the router to hyper, turning a [`DropConnection`] response into a service error
/// (hyper then closes the socket without writing anything).
#[derive(Clone)]
struct ConnectionService {
    router: Router,
}

type ServiceFuture =
    Pin<Box<dyn Future<Output = Result<Response<Body>, ConnectionDropped>> + Send>>;

impl hyper::service::Service<Request<Incoming>> for ConnectionService {
    type Response = Response<Body>;
    type Error = ConnectionDropped;
    type Future = ServiceFuture;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let router = self.router.clone();
        Box::pin(async move {
            let response: Result<Response<Body>, Infallible> = router.oneshot(request).await;
            match response {
                Ok(response) if response.extensions().get::<DropConnection>().is_some() => {
                    Err(ConnectionDropped)
                }
                Ok(response) => Ok(response),
                Err(never) => match never {},
            }
        })
    }
}

async fn serve(listener: TcpListener, router: Router) {
    // Dropping the set (when this task is aborted) aborts every connection task.
    let mut connections = JoinSet::new();
    let service = ConnectionService { router };
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let service = service.clone();
                    connections.spawn(async move {
                        let connection = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .keep_alive(true)
                            .serve_connection(TokioIo::new(stream), service);
                        if let Err(e) = connection.await {
                            tracing::debug!("connection ended: {e}");
                        }
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}
