//! Credentials: create (OAuth or from data), list, delete, and the ownership check.
//!
//! Creation fetches the connector's credential metadata first and validates the exact body
//! about to be sent against the published `inputSchema`, so a missing field is a client-side
//! [`Error::Validation`] naming it rather than an opaque 400.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::{Ack, DataList, decode_ack};
use crate::discovery::connector_path;
use crate::model::{AuthType, CredentialMetadata};
use crate::transport::{Request, segment};
use crate::{ConnectorId, CredentialId, Error, JsonMap, SecretData, UserClient, UserId};

/// A stored credential as the list endpoints describe it (never its secret data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// The id to pass to execute.
    pub credential_id: CredentialId,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `<connectorId>-<authType>` or the connector id alone.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// ISO-8601 creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// ISO-8601 last update time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Inputs of an OAuth 2 credential.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthCredential {
    /// Where Alloy sends the end user after consent.
    pub redirect_uri: String,
    /// Your own OAuth app ("auth config"), when the metadata says `authConfigRequired`.
    pub auth_config_id: Option<String>,
    /// Connector inputs the schema asks for under `data` (e.g. a subdomain).
    pub data: Option<SecretData>,
}

impl OAuthCredential {
    /// An OAuth request returning the user to `redirect_uri`.
    pub fn new(redirect_uri: impl Into<String>) -> Self {
        Self {
            redirect_uri: redirect_uri.into(),
            auth_config_id: None,
            data: None,
        }
    }

    /// Uses your own OAuth app.
    pub fn auth_config_id(mut self, id: impl Into<String>) -> Self {
        self.auth_config_id = Some(id.into());
        self
    }

    /// Connector inputs under `data`.
    pub fn data(mut self, data: SecretData) -> Self {
        self.data = Some(data);
        self
    }
}

/// Inputs of a credential made from data: API key, bearer token, basic auth, or any other
/// connector-specific type.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialInput {
    /// The type, as the connector's metadata spells it.
    pub authentication_type: AuthType,
    /// The secrets and inputs the schema asks for under `data`.
    pub data: SecretData,
    /// Your own auth config, when the metadata requires one.
    pub auth_config_id: Option<String>,
}

impl CredentialInput {
    /// A credential of `authentication_type` holding `data`.
    pub fn new(authentication_type: impl Into<AuthType>, data: SecretData) -> Self {
        Self {
            authentication_type: authentication_type.into(),
            data,
            auth_config_id: None,
        }
    }

    /// Uses your own auth config.
    pub fn auth_config_id(mut self, id: impl Into<String>) -> Self {
        self.auth_config_id = Some(id.into());
        self
    }
}

/// Where to send the end user to finish an OAuth connection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthStart {
    /// The Alloy-hosted authorization URL.
    pub oauth_url: String,
}

/// The body of `POST /connectors/{connectorId}/credentials`, as `inputSchema` describes it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody<'a> {
    user_id: &'a UserId,
    authentication_type: &'a AuthType,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_config_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a SecretData>,
}

/// The body of the auth guide's `POST /users/{userId}/credentials`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LegacyBody<'a> {
    connector_id: &'a ConnectorId,
    credential_type: &'a AuthType,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_config_id: Option<&'a str>,
    data: &'a SecretData,
}

#[derive(Serialize)]
struct HeadlessBody<'a> {
    #[serde(rename = "userId")]
    user_id: &'a UserId,
    credential: HeadlessCredential<'a>,
}

#[derive(Serialize)]
struct HeadlessCredential<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    data: &'a SecretData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    credential_id: CredentialId,
}

#[derive(Deserialize)]
struct CredentialList {
    #[serde(default)]
    credentials: Vec<Credential>,
}

const CREATE_ROUTE: &str = "/connectors/{connectorId}/credentials";

impl UserClient {
    /// Starts an OAuth connection: returns the URL to send the end user to.
    pub async fn create_oauth_credential(
        &self,
        connector: &ConnectorId,
        input: &OAuthCredential,
    ) -> Result<OAuthStart, Error> {
        let body = CreateBody {
            user_id: &self.user_id,
            authentication_type: &AuthType::OAuth2,
            redirect_uri: Some(&input.redirect_uri),
            auth_config_id: input.auth_config_id.as_deref(),
            data: input.data.as_ref(),
        };
        self.check_input(connector, &AuthType::OAuth2, &body)
            .await?;
        let request = Request::new(Method::POST, CREATE_ROUTE, create_path(connector))
            .user(&self.user_id)
            .secret_data(input.data.as_ref())
            .json(&body)?;
        self.client.inner.call(request).await
    }

    /// Creates a credential from data (API key, bearer, basic, connector-specific) and returns
    /// its id.
    pub async fn create_credential(
        &self,
        connector: &ConnectorId,
        input: &CredentialInput,
    ) -> Result<CredentialId, Error> {
        let body = self.checked_create_body(connector, input).await?;
        let request = Request::new(Method::POST, CREATE_ROUTE, create_path(connector))
            .user(&self.user_id)
            .secret_data(Some(&input.data))
            .json(&body)?;
        let created: Created = self.client.inner.call(request).await?;
        Ok(created.credential_id)
    }

    /// The same as [`UserClient::create_credential`] on the path the authentication guide
    /// names, `POST /users/{userId}/credentials` with `{connectorId, credentialType, data}`;
    /// for deployments that only accept that form. The input is validated the same way first.
    pub async fn create_credential_legacy(
        &self,
        connector: &ConnectorId,
        input: &CredentialInput,
    ) -> Result<CredentialId, Error> {
        self.checked_create_body(connector, input).await?;
        let body = LegacyBody {
            connector_id: connector,
            credential_type: &input.authentication_type,
            auth_config_id: input.auth_config_id.as_deref(),
            data: &input.data,
        };
        let path = format!("/users/{}/credentials", segment(self.user_id.as_str()));
        let mut request = Request::new(Method::POST, "/users/{userId}/credentials", path)
            .user(&self.user_id)
            .secret_data(Some(&input.data))
            .json(&body)?;
        request.connector = Some(connector.as_str());
        let created: Created = self.client.inner.call(request).await?;
        Ok(created.credential_id)
    }

    /// The create body of a data credential, validated against the connector's input schema.
    async fn checked_create_body<'a>(
        &'a self,
        connector: &ConnectorId,
        input: &'a CredentialInput,
    ) -> Result<CreateBody<'a>, Error> {
        let body = CreateBody {
            user_id: &self.user_id,
            authentication_type: &input.authentication_type,
            redirect_uri: None,
            auth_config_id: input.auth_config_id.as_deref(),
            data: Some(&input.data),
        };
        self.check_input(connector, &input.authentication_type, &body)
            .await?;
        Ok(body)
    }

    /// `POST /headless/credentials` (Embedded): stores a credential of `kind` from raw data
    /// without schema validation (for importing existing tokens).
    pub async fn create_headless_credential(
        &self,
        kind: &str,
        data: &SecretData,
    ) -> Result<CredentialId, Error> {
        let body = HeadlessBody {
            user_id: &self.user_id,
            credential: HeadlessCredential { kind, data },
        };
        let request = Request::new(
            Method::POST,
            "/headless/credentials",
            "/headless/credentials".into(),
        )
        .user(&self.user_id)
        .secret_data(Some(data))
        .json(&body)?;
        let created: Created = self.client.inner.call(request).await?;
        Ok(created.credential_id)
    }

    /// `GET /connectors/{connectorId}/credentials`: this user's credentials for a connector.
    pub async fn list_credentials(
        &self,
        connector: &ConnectorId,
    ) -> Result<Vec<Credential>, Error> {
        let mut request =
            Request::new(Method::GET, CREATE_ROUTE, create_path(connector)).user(&self.user_id);
        request.connector = Some(connector.as_str());
        let list: CredentialList = self.client.inner.call(request).await?;
        Ok(list.credentials)
    }

    /// `GET /credentials/users/{userId}`: all of this user's credentials.
    pub async fn list_all_credentials(&self) -> Result<Vec<Credential>, Error> {
        let path = format!("/credentials/users/{}", segment(self.user_id.as_str()));
        let request =
            Request::new(Method::GET, "/credentials/users/{userId}", path).user(&self.user_id);
        let list: DataList<Credential> = self.client.inner.call(request).await?;
        Ok(list.data)
    }

    /// `GET /users/{userId}/credentials`: the legacy listing still named by the guides.
    pub async fn list_credentials_legacy(&self) -> Result<Vec<Credential>, Error> {
        let path = format!("/users/{}/credentials", segment(self.user_id.as_str()));
        let request =
            Request::new(Method::GET, "/users/{userId}/credentials", path).user(&self.user_id);
        let list: DataList<Credential> = self.client.inner.call(request).await?;
        Ok(list.data)
    }

    /// `DELETE /users/{userId}/credentials/{credentialId}`.
    pub async fn delete_credential(&self, credential: &CredentialId) -> Result<Ack, Error> {
        let route = "/users/{userId}/credentials/{credentialId}";
        let path = format!(
            "/users/{}/credentials/{}",
            segment(self.user_id.as_str()),
            segment(credential.as_str())
        );
        let request = Request::new(Method::DELETE, route, path).user(&self.user_id);
        decode_ack(route, self.client.inner.send(request).await?)
    }

    /// Whether `credential` is one of this user's credentials for `connector`.
    ///
    /// The API docs ask for this check before acting with a credential id that came from
    /// outside (a form, a URL): ids are not secret, and one user must not use another's.
    pub async fn owns_credential(
        &self,
        connector: &ConnectorId,
        credential: &CredentialId,
    ) -> Result<bool, Error> {
        let credentials = self.list_credentials(connector).await?;
        Ok(credentials.iter().any(|c| &c.credential_id == credential))
    }

    /// Like [`UserClient::owns_credential`], but a credential that is not this user's is
    /// [`Error::CredentialNotOwned`].
    pub async fn ensure_owns_credential(
        &self,
        connector: &ConnectorId,
        credential: &CredentialId,
    ) -> Result<(), Error> {
        if self.owns_credential(connector, credential).await? {
            Ok(())
        } else {
            Err(Error::CredentialNotOwned {
                credential: credential.clone(),
                user: self.user_id.clone(),
                connector: connector.clone(),
            })
        }
    }

    /// Validates a create body against the connector's published schema for `auth`.
    async fn check_input(
        &self,
        connector: &ConnectorId,
        auth: &AuthType,
        body: &CreateBody<'_>,
    ) -> Result<(), Error> {
        let metadata = self.credentials_metadata(connector).await?;
        let entry = pick(&metadata, connector, auth)?;
        let Some(schema) = &entry.input_schema else {
            return Ok(());
        };
        let instance = serde_json::to_value(body).unwrap_or(Value::Null);
        crate::validate::check(
            schema,
            &instance,
            &format!("{auth} credential input for connector '{connector}'"),
        )
    }
}

/// The metadata entry for `auth`, or a validation error listing what the connector supports.
fn pick<'m>(
    metadata: &'m [CredentialMetadata],
    connector: &ConnectorId,
    auth: &AuthType,
) -> Result<&'m CredentialMetadata, Error> {
    metadata
        .iter()
        .find(|m| &m.authentication_type == auth)
        .ok_or_else(|| {
            let supported: Vec<&str> = metadata
                .iter()
                .map(|m| m.authentication_type.as_str())
                .collect();
            Error::Validation {
                what: format!("credential for connector '{connector}'"),
                problems: vec![
                    format!(
                        "authentication type '{auth}' is not supported (supported: {})",
                        if supported.is_empty() {
                            "none listed".to_owned()
                        } else {
                            supported.join(", ")
                        }
                    )
                    .into(),
                ],
            }
        })
}

fn create_path(connector: &ConnectorId) -> String {
    format!("{}/credentials", connector_path(connector))
}
