//! Credentials: an in-memory store and the create / list / delete routes (alloy-api.md §5).
//!
//! Create bodies are validated against the `inputSchema` of the connector's metadata entry for
//! the requested `authenticationType`. OAuth2 creates go through the consent page in
//! [`crate::oauth`]; other types are stored at once.

use std::collections::BTreeMap;
use std::sync::RwLock;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::auth::user_header;
use crate::body::{json_object, optional_object, optional_str, required_str};
use crate::catalog_index::ConnectorEntry;
use crate::error::{ApiError, ok_json};
use crate::ids;
use crate::state::{AppState, SharedState};
use crate::sync::{read, write};
use crate::users::User;
use crate::validate::first_violation;

/// A stored credential. The secrets of its create body (`data`) are validated, not kept: no
/// route could show them and nothing upstream uses them.
#[derive(Debug, Clone)]
pub struct Credential {
    pub credential_id: String,
    pub user_id: String,
    pub connector_id: String,
    pub auth_type: String,
    pub name: String,
    pub created_at: String,
}

impl Credential {
    /// The list item of `GET /connectors/{id}/credentials`.
    fn item(&self) -> Value {
        json!({
            "credentialId": self.credential_id,
            "name": self.name,
            "type": format!("{}-{}", self.connector_id, self.auth_type),
            "createdAt": self.created_at,
            "updatedAt": self.created_at,
        })
    }

    /// The list item of the per-user listings (adds `connectorId`).
    fn user_item(&self) -> Value {
        let mut item = self.item();
        item["connectorId"] = json!(self.connector_id);
        item
    }
}

/// Credentials by id.
#[derive(Debug, Default)]
pub struct CredentialStore {
    inner: RwLock<BTreeMap<String, Credential>>,
}

impl CredentialStore {
    /// Stores a new credential of `user` for `connector`.
    pub fn create(&self, user: &User, connector: &ConnectorEntry, auth_type: &str) -> Credential {
        let credential = Credential {
            credential_id: ids::object_id(),
            user_id: user.user_id.clone(),
            connector_id: connector.summary.id.to_string(),
            auth_type: auth_type.to_owned(),
            name: format!(
                "{}'s {} Credential",
                user.username,
                connector.display_name()
            ),
            created_at: ids::now_iso8601(),
        };
        write(&self.inner).insert(credential.credential_id.clone(), credential.clone());
        credential
    }

    /// Runs `f` on the credential, without cloning it (execute's hot path).
    pub fn with<T>(&self, credential_id: &str, f: impl FnOnce(Option<&Credential>) -> T) -> T {
        f(read(&self.inner).get(credential_id))
    }

    /// A user's credentials, optionally for one connector, oldest first.
    pub fn of_user(&self, user_id: &str, connector_id: Option<&str>) -> Vec<Credential> {
        read(&self.inner)
            .values()
            .filter(|c| c.user_id == user_id && connector_id.is_none_or(|id| c.connector_id == id))
            .cloned()
            .collect()
    }

    /// Removes a credential if `user_id` owns it.
    pub fn remove(&self, user_id: &str, credential_id: &str) -> bool {
        let mut credentials = write(&self.inner);
        if credentials
            .get(credential_id)
            .is_some_and(|c| c.user_id == user_id)
        {
            credentials.remove(credential_id);
            true
        } else {
            false
        }
    }

    pub fn remove_user(&self, user_id: &str) {
        write(&self.inner).retain(|_, c| c.user_id != user_id);
    }
}

/// A validated create request.
pub struct CreateRequest {
    pub user: User,
    pub auth_type: String,
    pub redirect_uri: Option<url::Url>,
}

/// Validates a create body (`{userId, authenticationType, redirectUri?, authConfigId?, data?}`)
/// against the connector's metadata. `rename` maps a body member to the name the caller used,
/// so the legacy route reports `/credentialType` rather than `/authenticationType`.
fn validate_create(
    state: &AppState,
    connector: &ConnectorEntry,
    body: &Map<String, Value>,
    rename: &dyn Fn(&str) -> String,
) -> Result<CreateRequest, ApiError> {
    let renamed = |e: ApiError| rename_pointer(e, rename);
    let auth_type = required_str(body, "authenticationType").map_err(renamed)?;
    let Some((metadata, slot)) = connector.credential_type(auth_type) else {
        return Err(renamed(ApiError::invalid_input(
            "/authenticationType",
            format!(
                "connector `{}` has no `{auth_type}` credentials; supported: {}",
                connector.summary.id,
                connector.credential_types().join(", ")
            ),
        )));
    };
    if let Some(schema) = &metadata.input_schema {
        let validator = slot.get_or_compile(schema).map_err(|e| {
            ApiError::internal(format!(
                "the `{auth_type}` inputSchema of connector `{}` does not compile: {e}",
                connector.summary.id
            ))
        })?;
        let instance = Value::Object(body.clone());
        if let Some(v) = first_violation(&validator, &instance, "", true) {
            return Err(renamed(ApiError::invalid_input(&v.pointer, v.message)));
        }
    }
    if metadata.auth_config_required == Some(true) {
        required_str(body, "authConfigId").map_err(|_| {
            renamed(ApiError::invalid_input(
                "/authConfigId",
                format!(
                    "connector `{}` requires `authConfigId` (your own OAuth app) for `{auth_type}` credentials",
                    connector.summary.id
                ),
            ))
        })?;
    }
    let user_id = required_str(body, "userId").map_err(renamed)?;
    let user = state.users.resolve(user_id).ok_or_else(|| {
        renamed(ApiError::invalid_input(
            "/userId",
            format!("no user with id `{user_id}`"),
        ))
    })?;
    let redirect_uri = match optional_str(body, "redirectUri").map_err(renamed)? {
        Some(uri) => Some(url::Url::parse(uri).map_err(|e| {
            renamed(ApiError::invalid_input(
                "/redirectUri",
                format!("`redirectUri` is not an absolute URL: {e}"),
            ))
        })?),
        None => None,
    };
    if auth_type == "oauth2" && redirect_uri.is_none() {
        return Err(renamed(ApiError::invalid_input(
            "/redirectUri",
            "`redirectUri` is required for oauth2 credentials",
        )));
    }
    optional_object(body, "data").map_err(renamed)?;
    Ok(CreateRequest {
        user,
        auth_type: auth_type.to_owned(),
        redirect_uri,
    })
}

fn rename_pointer(mut error: ApiError, rename: &dyn Fn(&str) -> String) -> ApiError {
    if let Some(Value::String(pointer)) = error.details.get("pointer") {
        let renamed = rename(pointer);
        error
            .details
            .insert("pointer".into(), Value::String(renamed));
    }
    error
}

fn connector<'a>(state: &'a AppState, id: &str) -> Result<&'a ConnectorEntry, ApiError> {
    state
        .catalog
        .connector(id)
        .map(|c| c.as_ref())
        .ok_or_else(|| unknown_connector(id))
}

/// The 404 for a connector id that is not in the catalog.
pub fn unknown_connector(id: &str) -> ApiError {
    ApiError::not_found(format!("connector `{id}` not found")).detail("connectorId", id)
}

/// `POST /connectors/{connectorId}/credentials` → `{oauthUrl}` (oauth2) or `{credentialId}`.
pub async fn create(
    State(state): State<SharedState>,
    Path(connector_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let connector = connector(&state, &connector_id)?;
    let body = json_object(&body)?;
    let request = validate_create(&state, connector, &body, &|p| p.to_owned())?;
    if request.auth_type == "oauth2" {
        let base = state.request_base(&headers);
        let url = state.oauth.begin(&base, &connector_id, request);
        return Ok(ok_json(&json!({ "oauthUrl": url })));
    }
    let credential = state
        .credentials
        .create(&request.user, connector, &request.auth_type);
    Ok(ok_json(
        &json!({ "credentialId": credential.credential_id }),
    ))
}

/// Legacy `POST /users/{userId}/credentials` `{connectorId, credentialType, data}` →
/// `{success: true, credentialId}`; validated like the connector route, OAuth excluded.
pub async fn create_legacy(
    State(state): State<SharedState>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    let body = json_object(&body)?;
    let connector_id = required_str(&body, "connectorId")?;
    let connector = state.catalog.connector(connector_id).ok_or_else(|| {
        ApiError::invalid_input(
            "/connectorId",
            format!("connector `{connector_id}` not found"),
        )
    })?;
    let credential_type = required_str(&body, "credentialType")?;
    if credential_type == "oauth2" {
        return Err(ApiError::invalid_input(
            "/credentialType",
            "oauth2 credentials are created with POST /connectors/{connectorId}/credentials",
        ));
    }
    let mut mapped = body.clone();
    mapped.remove("connectorId");
    mapped.remove("credentialType");
    mapped.insert("userId".into(), json!(user.user_id));
    mapped.insert("authenticationType".into(), json!(credential_type));
    let rename = |pointer: &str| match pointer.strip_prefix("/authenticationType") {
        Some(rest) => format!("/credentialType{rest}"),
        None => pointer.to_owned(),
    };
    let request = validate_create(&state, connector, &mapped, &rename)?;
    let credential = state
        .credentials
        .create(&request.user, connector, &request.auth_type);
    Ok(ok_json(
        &json!({ "success": true, "credentialId": credential.credential_id }),
    ))
}

/// `GET /connectors/{connectorId}/credentials` for the `x-alloy-userid` user (empty without
/// the header: the API-key user owns no credentials).
pub async fn list_for_connector(
    State(state): State<SharedState>,
    Path(connector_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    connector(&state, &connector_id)?;
    let items: Vec<Value> = match user_header(&headers) {
        None => Vec::new(),
        Some(user) => {
            let user = state.users.require(user)?;
            state
                .credentials
                .of_user(&user.user_id, Some(&connector_id))
                .iter()
                .map(Credential::item)
                .collect()
        }
    };
    Ok(ok_json(&json!({ "credentials": items })))
}

/// Optional filter of the per-user listings.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserListQuery {
    connector_id: Option<String>,
}

/// `GET /credentials/users/{userId}` and `GET /users/{userId}/credentials` → `{data: [...]}`.
pub async fn list_for_user(
    State(state): State<SharedState>,
    Path(user_id): Path<String>,
    Query(query): Query<UserListQuery>,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    let items: Vec<Value> = state
        .credentials
        .of_user(&user.user_id, query.connector_id.as_deref())
        .iter()
        .map(Credential::user_item)
        .collect();
    Ok(ok_json(&json!({ "data": items })))
}

/// `DELETE /users/{userId}/credentials/{credentialId}` → `{success: true}`.
pub async fn delete(
    State(state): State<SharedState>,
    Path((user_id, credential_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let user = state.users.require(&user_id)?;
    if !state.credentials.remove(&user.user_id, &credential_id) {
        return Err(ApiError::not_found(format!(
            "user `{user_id}` has no credential `{credential_id}`"
        ))
        .detail("credentialId", credential_id.as_str()));
    }
    Ok(ok_json(&json!({ "success": true })))
}
