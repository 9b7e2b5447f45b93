//! Client for Alloy Automation's Connectivity API.
//!
//! # The contract generated code relies on
//!
//! Generated connector crates build an [`ActionCall`] per action (connector and action ids, the
//! action's upstream [`HttpMethod`], the caller's [`CredentialId`], path/query/header maps and an
//! optional typed body) and call [`UserClient::execute_as`], which serializes the body, posts
//! `{credentialId, requestBody, queryParameters, pathParams, additionalHeaders}` to
//! `/connectors/{connectorId}/actions/{actionId}/execute` with `x-alloy-userid`, and decodes
//! [`ExecuteResponse::response_data`] into the response type with `serde_path_to_error`
//! (a mismatch is [`Error::Decode`] naming the JSON path). The upstream method decides whether a
//! 5xx may be retried; see [`RetryPolicy`].
//!
//! Module map: `builder`/`config` (settings), `client` (the two handles), `transport` (one
//! request: headers, retries, body limit, tracing), `retry`, `error`/`api_error`, `secret`,
//! and one module per API area (`users`, `discovery`, `credentials`, `files`, `execute`,
//! `webhook`).
//!
#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod api_error;
mod builder;
mod client;
mod common;
mod config;
mod credentials;
mod discovery;
mod documents;
mod error;
mod execute;
mod files;
mod oauth;
pub mod paging;
mod retry;
mod route;
mod secret;
mod transport;
mod users;
mod validate;
mod webhook;

pub use alloy_model as model;
pub use alloy_model::{
    ActionId, AuthType, ConnectorId, CredentialId, HttpMethod, JsonMap, ParameterLocation, UserId,
};

pub use api_error::{ApiError, BodyShape, ErrorCode, ErrorSource};
pub use builder::ClientBuilder;
pub use client::{Client, UserClient};
pub use common::Ack;
pub use config::{
    DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, ENV_API_KEY, ENV_API_URL,
};
pub use credentials::{Credential, CredentialInput, OAuthCredential, OAuthStart};
pub use discovery::{CredentialProperty, CredentialStructure};
pub use error::{Error, TransportKind};
pub use execute::{ActionCall, ExecuteRequest, ExecuteResponse, Execution, input_value};
pub use files::{FileInfo, PresignedUpload, UploadRequest, content_md5};
pub use oauth::OAuthFlow;
pub use retry::RetryPolicy;
pub use route::Route;
pub use secret::{ApiKey, SecretData};
pub use users::{NewUser, User, UserToken, UserUpdate};
pub use validate::Problem;
pub use webhook::CredentialExpired;
