//! Every action of the sample catalog, called through its generated function.
//!
//! One `call` per connector maps a catalog action id to the generated resource method, with
//! parameters built by the generated `…Params::new` (plus a few setters) and the body given as
//! JSON and converted into the generated request type (which the crates' `deserialize-requests`
//! feature makes deserializable). Tests drive these from the catalog, so an
//! action the catalog lists but no table calls fails as [`CallFailure::Unknown`].

pub mod freshdesk;
pub mod hubspot;
pub mod quickbooks;
pub mod shippo;

use alloy_runtime::{Error, ExecuteResponse, Execution};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A typed call's answer: the decoded payload serialized back, and the whole response.
#[derive(Debug)]
pub struct Called {
    pub data: Value,
    pub response: ExecuteResponse,
}

/// Why a call did not answer.
#[derive(Debug)]
pub enum CallFailure {
    /// No generated function is wired to this action id.
    Unknown,
    /// The JSON body does not fit the generated request type.
    Body(String),
    /// The runtime or the API refused the call.
    Api(Error),
}

impl CallFailure {
    /// The API error, or a panic naming what else happened.
    pub fn api(self, what: &str) -> Error {
        match self {
            CallFailure::Api(e) => e,
            other => panic!("{what}: expected an API error, got {other:?}"),
        }
    }
}

/// The generated handle of one connector.
#[derive(Debug)]
pub enum Connector {
    Hubspot(alloy_hubspot::Hubspot),
    Quickbooks(alloy_quickbooks::Quickbooks),
    Shippo(alloy_shippo::Shippo),
    Freshdesk(alloy_freshdesk::Freshdesk),
}

impl Connector {
    /// The connector id the generated crate was made for.
    pub fn id(&self) -> &'static str {
        match self {
            Connector::Hubspot(_) => alloy_hubspot::CONNECTOR_ID,
            Connector::Quickbooks(_) => alloy_quickbooks::CONNECTOR_ID,
            Connector::Shippo(_) => alloy_shippo::CONNECTOR_ID,
            Connector::Freshdesk(_) => alloy_freshdesk::CONNECTOR_ID,
        }
    }

    /// The credential id the handle acts with.
    pub fn credential_id(&self) -> &str {
        match self {
            Connector::Hubspot(c) => c.alloy_credential().id().as_str(),
            Connector::Quickbooks(c) => c.alloy_credential().id().as_str(),
            Connector::Shippo(c) => c.alloy_credential().id().as_str(),
            Connector::Freshdesk(c) => c.alloy_credential().id().as_str(),
        }
    }

    /// Calls `action` through its generated function.
    pub async fn call(&self, action: &str, body: Option<&Value>) -> Result<Called, CallFailure> {
        match self {
            Connector::Hubspot(c) => hubspot::call(c, action, body).await,
            Connector::Quickbooks(c) => quickbooks::call(c, action, body).await,
            Connector::Shippo(c) => shippo::call(c, action, body).await,
            Connector::Freshdesk(c) => freshdesk::call(c, action, body).await,
        }
    }
}

/// The JSON body as the generated request type `T`.
pub fn typed<T: DeserializeOwned>(body: Option<&Value>) -> Result<T, CallFailure> {
    let body = body.ok_or_else(|| CallFailure::Body("this action takes a body".into()))?;
    serde_json::from_value(body.clone()).map_err(|e| CallFailure::Body(e.to_string()))
}

/// A typed answer with its payload serialized back to JSON.
pub fn called<R: Serialize>(result: Result<Execution<R>, Error>) -> Result<Called, CallFailure> {
    let execution = result.map_err(CallFailure::Api)?;
    let data = serde_json::to_value(&execution.data)
        .map_err(|e| CallFailure::Body(format!("the typed answer does not serialize: {e}")))?;
    Ok(Called {
        data,
        response: execution.response,
    })
}
