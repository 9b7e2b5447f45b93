//! Discovery: connectors, resources, actions and credential metadata, as alloy-model types.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::DataList;
use crate::model::{
    Action, ActionEnvelope, ConnectorList, ConnectorSummary, CredentialMetadata,
    CredentialsMetadata, Resource, ResourceAction, ResourceList,
};
use crate::transport::{Request, segment};
use crate::{ActionId, Client, ConnectorId, Error, JsonMap, UserClient, UserId};

/// One connector's credential structure from the Embedded `GET /metadata/credentials`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialStructure {
    /// The connector (older API versions call it `name`).
    #[serde(alias = "name")]
    pub connector: String,
    /// Logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Whether the connector authenticates with OAuth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_oauth: Option<bool>,
    /// The inputs a credential takes.
    #[serde(default)]
    pub properties: Vec<CredentialProperty>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One input of a [`CredentialStructure`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialProperty {
    /// Field name.
    pub name: String,
    /// Label for a form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

#[derive(Deserialize)]
struct ActionList {
    #[serde(default)]
    actions: Vec<ResourceAction>,
}

#[derive(Deserialize)]
struct One<T> {
    data: T,
}

impl Client {
    /// `GET /connectors`: every connector the account can use.
    pub async fn list_connectors(&self) -> Result<Vec<ConnectorSummary>, Error> {
        let request = Request::new(Method::GET, "/connectors", "/connectors".into());
        let list: ConnectorList = self.inner.call(request).await?;
        Ok(list.connectors)
    }

    /// `GET /connectors/{connectorId}`: one connector's metadata.
    ///
    /// The body's shape is undocumented: both the bare summary and `{"connector": {..}}` are
    /// accepted.
    pub async fn get_connector(&self, connector: &ConnectorId) -> Result<ConnectorSummary, Error> {
        let route = "/connectors/{connectorId}";
        let request = Request::new(Method::GET, route, connector_path(connector));
        let mut body: Value = self.inner.call(request).await?;
        if let Some(inner) = body.get_mut("connector").filter(|v| v.is_object()) {
            body = inner.take();
        }
        crate::transport::decode_value(route.into(), 200, &body)
    }

    /// `GET /connectors/{connectorId}/resources`.
    pub async fn list_resources(&self, connector: &ConnectorId) -> Result<Vec<Resource>, Error> {
        let path = format!("{}/resources", connector_path(connector));
        let request = Request::new(Method::GET, "/connectors/{connectorId}/resources", path);
        let list: ResourceList = self.inner.call(request).await?;
        Ok(list.resources)
    }

    /// `GET /connectors/{connectorId}/actions`: the action list (ids, possibly with names).
    pub async fn list_actions(
        &self,
        connector: &ConnectorId,
    ) -> Result<Vec<ResourceAction>, Error> {
        let path = format!("{}/actions", connector_path(connector));
        let request = Request::new(Method::GET, "/connectors/{connectorId}/actions", path);
        let list: ActionList = self.inner.call(request).await?;
        Ok(list.actions)
    }

    /// `GET /connectors/{connectorId}/actions/{actionId}`: how to call one action.
    pub async fn get_action(
        &self,
        connector: &ConnectorId,
        action: &ActionId,
    ) -> Result<Action, Error> {
        self.get_action_as(connector, action, None).await
    }

    /// `GET /connectors/{connectorId}/credentials/metadata`: one entry per supported auth type,
    /// each with the JSON Schema of its create body.
    pub async fn credentials_metadata(
        &self,
        connector: &ConnectorId,
    ) -> Result<Vec<CredentialMetadata>, Error> {
        self.credentials_metadata_as(connector, None).await
    }

    /// `GET /metadata/credentials` (Embedded): the credential structure of every connector.
    pub async fn credential_structures(&self) -> Result<Vec<CredentialStructure>, Error> {
        let request = Request::new(
            Method::GET,
            "/metadata/credentials",
            "/metadata/credentials".into(),
        );
        let list: DataList<CredentialStructure> = self.inner.call(request).await?;
        Ok(list.data)
    }

    /// `GET /metadata/credentials/{credentialName}` (Embedded): one connector's structure.
    pub async fn credential_structure(&self, name: &str) -> Result<CredentialStructure, Error> {
        let path = format!("/metadata/credentials/{}", segment(name));
        let request = Request::new(Method::GET, "/metadata/credentials/{credentialName}", path);
        let one: One<CredentialStructure> = self.inner.call(request).await?;
        Ok(one.data)
    }

    pub(crate) async fn get_action_as(
        &self,
        connector: &ConnectorId,
        action: &ActionId,
        user: Option<&UserId>,
    ) -> Result<Action, Error> {
        let path = format!(
            "{}/actions/{}",
            connector_path(connector),
            segment(action.as_str())
        );
        let mut request = Request::new(
            Method::GET,
            "/connectors/{connectorId}/actions/{actionId}",
            path,
        );
        request.user = user;
        request.connector = Some(connector.as_str());
        request.action = Some(action.as_str());
        let envelope: ActionEnvelope = self.inner.call(request).await?;
        Ok(envelope.action)
    }

    pub(crate) async fn credentials_metadata_as(
        &self,
        connector: &ConnectorId,
        user: Option<&UserId>,
    ) -> Result<Vec<CredentialMetadata>, Error> {
        let path = format!("{}/credentials/metadata", connector_path(connector));
        let mut request = Request::new(
            Method::GET,
            "/connectors/{connectorId}/credentials/metadata",
            path,
        );
        request.user = user;
        request.connector = Some(connector.as_str());
        let metadata: CredentialsMetadata = self.inner.call(request).await?;
        Ok(metadata.metadata)
    }
}

impl UserClient {
    /// Action details as seen by this user (`x-alloy-userid` sent).
    pub async fn get_action(
        &self,
        connector: &ConnectorId,
        action: &ActionId,
    ) -> Result<Action, Error> {
        self.client
            .get_action_as(connector, action, Some(&self.user_id))
            .await
    }

    /// Credential metadata as seen by this user (`x-alloy-userid` sent).
    pub async fn credentials_metadata(
        &self,
        connector: &ConnectorId,
    ) -> Result<Vec<CredentialMetadata>, Error> {
        self.client
            .credentials_metadata_as(connector, Some(&self.user_id))
            .await
    }
}

pub(crate) fn connector_path(connector: &ConnectorId) -> String {
    format!("/connectors/{}", segment(connector.as_str()))
}
