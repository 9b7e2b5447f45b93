//! A local Alloy Connectivity API server driven by a catalog snapshot, with fault injection.
//!
//! [`MockServer`] serves a snapshot (see `alloy_model::snapshot`) as the Connectivity API:
//! discovery answers with the snapshot's own documents; users, credentials (OAuth2 through a
//! local consent page, key-based at once) and files live in memory; execute checks the
//! credential and the inputs against the action and answers with the action's sample
//! response. Tests script failures with [`FaultRule`]s and read back what the server received
//! with [`MockServer::requests`]. The binary (`alloy-mock --catalog DIR --addr ADDR`) serves a
//! folder and offers the same scripting over HTTP under `/_mock/`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), alloy_mock::MockError> {
//! use alloy_mock::{Fault, FaultRule, MockServer};
//! let server = MockServer::from_dir("fixtures/catalogs/basic").await?;
//! server.inject(FaultRule::new(Some("POST"), "/connectors/*/actions/*/execute", Fault::rate_limited(1)).times(2));
//! let user = server.create_user("ada");
//! println!("{} serves user {user}", server.base_url());
//! # Ok(()) }
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod auth;
mod body;
mod catalog_index;
pub mod cli;
mod config;
mod control;
mod credentials;
mod discovery;
mod error;
mod execute;
mod faults;
mod files;
mod ids;
mod oauth;
mod recording;
mod router;
mod server;
mod state;
mod sync;
mod users;
mod validate;

pub use config::MockConfig;
pub use error::MockError;
pub use faults::{Fault, FaultRule};
pub use recording::RecordedRequest;
pub use server::MockServer;
