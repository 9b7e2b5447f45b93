//! The Alloy Connectivity API catalog as Rust data, and the snapshot that holds it on disk.
//!
//! This crate is shared by `alloy-runtime` (discovery responses), `alloy-mock` (which serves a
//! snapshot) and `alloy-codegen` (which reads one). It depends only on serde so the code
//! generator never pulls in an HTTP stack.
//!
//! Every type is lenient in the way a server-authored document demands: fields the API may omit
//! are optional, unknown fields are kept in a flattened `extra` map, and the small vocabularies
//! (HTTP methods, parameter locations, auth types) are open enums whose `Other` arm keeps any
//! value this crate has not heard of.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

mod catalog;
mod ids;
mod load;
mod open_enum;
pub mod paging;
pub mod paging_overrides;
pub mod parallel;
pub mod snapshot;

pub use catalog::{
    Action, ActionEnvelope, AuthType, ConnectorList, ConnectorSummary, CredentialMetadata,
    CredentialsMetadata, HttpMethod, Parameter, ParameterLocation, Resource, ResourceAction,
    ResourceList,
};
pub use ids::{ActionId, ConnectorId, CredentialId, UserId};
pub use snapshot::{
    Catalog, ConnectorFolder, ConnectorSnapshot, LoadError, LoadOptions, RawDocuments,
};

/// A JSON object, the map type used for every `extra` field.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;
