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
//! # Behaviour worth knowing
//!
//! - Every route needs `Authorization: Bearer <key>` (any non-empty key unless
//!   [`MockConfig::api_key`] pins one) and `x-api-version`, the control routes
//!   (`/_mock/faults`, `/_mock/requests`) included; only the OAuth consent page, the upload
//!   URLs and `/_mock/health` do not.
//! - Only authenticated requests are recorded, at most [`MockConfig::record_limit`] of them
//!   and [`MockConfig::record_byte_limit`] body bytes in all. `GET /_mock/requests` shows them
//!   with secrets redacted (the `Authorization` value, every value under `data` and
//!   `additionalHeaders`); [`MockServer::requests`] gives the test that owns the server the
//!   exact requests.
//! - Request bodies are parsed as JSON whatever their `Content-Type`.
//! - A `userId` path parameter (and `x-alloy-userid`) accepts the username too; an id always
//!   wins, and no username may equal a user id, so one user can never hide another.
//! - Execute requires, in order: a credential of the `x-alloy-userid` user for this connector
//!   (`INVALID_CREDENTIAL`), the declared path parameters and the undeclared `{placeholders}`
//!   of the path, the required query parameters, the required header parameters except
//!   `Authorization` (which Alloy fills from the credential; other credential-filled headers,
//!   such as Slack's `token`, look like ordinary parameters in the catalog and are required),
//!   then a `requestBody` valid against the action's schema (OpenAPI `nullable` and boolean
//!   `exclusiveMinimum`/`exclusiveMaximum` understood). Failures carry `details.pointer` into
//!   the execute body, e.g. `/requestBody/properties/email`, `/pathParams/contactId`.
//! - Secrets in credential bodies are validated, masked in error messages, and not stored.
//! - OAuth2: `oauthUrl` is `/_mock/oauth/authorize?state=…`; a GET there creates the
//!   credential and answers 303 to `redirectUri` with `credentialId=<id>` appended
//!   (`&deny=true` appends `error=access_denied` instead).
//! - A connector whose id is `files` is shadowed by the file routes under `/connectors/files/`.
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
mod paging;
mod recording;
mod router;
mod server;
mod state;
mod sync;
mod users;
mod validate;

pub use config::MockConfig;
pub use error::{ErrorCode, MockError};
pub use faults::{Fault, FaultRule};
pub use recording::RecordedRequest;
pub use server::MockServer;
