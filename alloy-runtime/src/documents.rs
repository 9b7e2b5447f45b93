//! Discovery documents exactly as the API sent them, for tools that store them verbatim.
//!
//! The typed discovery methods normalize what they decode; the catalog fetcher must instead keep
//! every field and `null` the API returned, so it reads these untyped bodies.

use reqwest::Method;
use serde_json::Value;

use crate::discovery::connector_path;
use crate::transport::{Request, segment};
use crate::{ActionId, Client, ConnectorId, Error};

impl Client {
    /// The body of `GET /connectors`.
    pub async fn connectors_document(&self) -> Result<Value, Error> {
        let request = Request::new(Method::GET, "/connectors", "/connectors".into());
        self.inner.call(request).await
    }

    /// The body of `GET /connectors/{connectorId}/resources`.
    pub async fn resources_document(&self, connector: &ConnectorId) -> Result<Value, Error> {
        let path = format!("{}/resources", connector_path(connector));
        let request = Request::new(Method::GET, "/connectors/{connectorId}/resources", path);
        self.inner.call(request).await
    }

    /// The body of `GET /connectors/{connectorId}/credentials/metadata`.
    pub async fn credentials_metadata_document(
        &self,
        connector: &ConnectorId,
    ) -> Result<Value, Error> {
        let path = format!("{}/credentials/metadata", connector_path(connector));
        let route = "/connectors/{connectorId}/credentials/metadata";
        self.inner
            .call(Request::new(Method::GET, route, path))
            .await
    }

    /// The body of `GET /connectors/{connectorId}/actions/{actionId}`.
    pub async fn action_document(
        &self,
        connector: &ConnectorId,
        action: &ActionId,
    ) -> Result<Value, Error> {
        let path = format!(
            "{}/actions/{}",
            connector_path(connector),
            segment(action.as_str())
        );
        let route = "/connectors/{connectorId}/actions/{actionId}";
        self.inner
            .call(Request::new(Method::GET, route, path))
            .await
    }
}
