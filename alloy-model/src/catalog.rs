//! Response bodies of the discovery endpoints, as the catalog snapshot stores them.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::open_enum::open_enum;
use crate::{ActionId, ConnectorId, JsonMap};

open_enum! {
    /// The upstream HTTP method of an action (`httpMethod`, lower case on the wire).
    pub enum HttpMethod {
        Get = "get",
        Post = "post",
        Put = "put",
        Patch = "patch",
        Delete = "delete",
        Head = "head",
        Options = "options",
    }
    case_insensitive = true;
}

impl HttpMethod {
    /// Whether repeating the request cannot create a second effect upstream (RFC 9110 §9.2.2).
    ///
    /// The runtime retries a failed execute on a 5xx only when this holds, because a retried
    /// `post` or `patch` could create a record twice. Unknown methods are treated as unsafe.
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self,
            Self::Get | Self::Put | Self::Delete | Self::Head | Self::Options
        )
    }
}

open_enum! {
    /// Where an action parameter goes (`in`), which decides the execute body member it fills.
    pub enum ParameterLocation {
        /// `pathParams`
        Path = "path",
        /// `queryParameters`
        Query = "query",
        /// `additionalHeaders`
        Header = "header",
        /// Not forwarded by the execute endpoint.
        Cookie = "cookie",
    }
    case_insensitive = true;
}

open_enum! {
    /// A credential's authentication type (`authenticationType`).
    pub enum AuthType {
        OAuth2 = "oauth2",
        ApiKey = "apiKey",
        HttpBearer = "httpBearer",
        Basic = "basic",
    }
    case_insensitive = false;
}

/// `GET /connectors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectorList {
    #[serde(default)]
    pub connectors: Vec<ConnectorSummary>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One element of `GET /connectors`; also the body of `GET /connectors/{connectorId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectorSummary {
    pub id: ConnectorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<String>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `GET /connectors/{connectorId}/resources`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceList {
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A connector-defined entity (Contacts, Orders…) grouping actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub actions: Vec<ResourceAction>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// An action as a resource lists it: a bare id (as in the API guide) or a summary object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ResourceAction {
    Id(ActionId),
    Summary {
        id: ActionId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(flatten)]
        extra: JsonMap,
    },
}

impl ResourceAction {
    /// The id of the listed action, whichever form the listing used.
    pub fn id(&self) -> &ActionId {
        match self {
            Self::Id(id) | Self::Summary { id, .. } => id,
        }
    }
}

/// `GET /connectors/{connectorId}/actions/{actionId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionEnvelope {
    pub action: Action,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// An action's details: how to call it upstream and what it takes and returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub id: ActionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub http_method: HttpMethod,
    /// The upstream path template, with `{placeholders}` for path parameters.
    pub path: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// A bare JSON Schema of the body (not an OpenAPI RequestBody object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_body: Option<Value>,
    /// An example of the upstream payload. `Some(Value::Null)` when the catalog says `null`.
    #[serde(
        default,
        deserialize_with = "present_value",
        skip_serializing_if = "Option::is_none"
    )]
    pub sample_success_response: Option<Value>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Action {
    /// Placeholder names in `path` (`/a/{id}/b/{other}` → `id`, `other`), in order, without duplicates.
    ///
    /// Some catalogs use a placeholder they never declare as a parameter; callers that build
    /// requests treat these as required path parameters too.
    pub fn path_placeholders(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let mut rest = self.path.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
            rest = &after[close + 1..];
        }
        names
    }
}

/// An OpenAPI-style parameter of an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParameterLocation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Absent means not required, except that path parameters are always required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Value>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Parameter {
    /// Whether a caller must supply the parameter.
    pub fn is_required(&self) -> bool {
        self.location == ParameterLocation::Path || self.required.unwrap_or(false)
    }
}

/// `GET /connectors/{connectorId}/credentials/metadata`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialsMetadata {
    pub metadata: Vec<CredentialMetadata>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl<'de> Deserialize<'de> for CredentialsMetadata {
    /// Accepts `metadata` as an array (documented) or as a single object (seen in the wild).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            Many(Vec<CredentialMetadata>),
            One(Box<CredentialMetadata>),
        }
        #[derive(Deserialize)]
        struct Wire {
            #[serde(default)]
            metadata: Option<OneOrMany>,
            #[serde(flatten)]
            extra: JsonMap,
        }
        let wire = Wire::deserialize(d)?;
        let metadata = match wire.metadata {
            None => Vec::new(),
            Some(OneOrMany::Many(v)) => v,
            Some(OneOrMany::One(m)) => vec![*m],
        };
        Ok(Self {
            metadata,
            extra: wire.extra,
        })
    }
}

/// How to create a credential of one authentication type for a connector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialMetadata {
    pub authentication_type: AuthType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_config_required: Option<bool>,
    /// JSON Schema of the exact create-credential body; connector inputs live under `data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_schema: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_input: Option<Value>,
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Keeps an explicit `null` as `Some(Value::Null)`; only an absent field is `None`.
fn present_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documented_action_details_example_parses() {
        let body = json!({"action": {"id": "createContact", "displayName": "Create a contact",
            "description": "Create a new contact record.", "httpMethod": "post",
            "path": "/crm/v3/objects/contacts", "parameters": [],
            "requestBody": {"type": "object"},
            "sampleSuccessResponse": {"id": "string"}}});
        let env: ActionEnvelope = serde_json::from_value(body).unwrap();
        assert_eq!(env.action.id, "createContact");
        assert_eq!(env.action.http_method, HttpMethod::Post);
        assert!(!env.action.http_method.is_idempotent());
    }

    #[test]
    fn unknown_values_and_fields_are_kept() {
        let p: Parameter = serde_json::from_value(json!({
            "name": "session", "in": "matrix", "x-vendor": 1
        }))
        .unwrap();
        assert_eq!(p.location, ParameterLocation::Other("matrix".into()));
        assert_eq!(p.extra["x-vendor"], json!(1));
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(
            back,
            json!({"name": "session", "in": "matrix", "x-vendor": 1})
        );
        assert_eq!(HttpMethod::parse("PATCH"), HttpMethod::Patch);
        assert_eq!(AuthType::parse("oauth1"), AuthType::Other("oauth1".into()));
    }

    #[test]
    fn sample_null_differs_from_absent() {
        let base = json!({"id": "a", "httpMethod": "get", "path": "/"});
        let absent: Action = serde_json::from_value(base.clone()).unwrap();
        assert_eq!(absent.sample_success_response, None);
        let mut with_null = base;
        with_null["sampleSuccessResponse"] = Value::Null;
        let null: Action = serde_json::from_value(with_null).unwrap();
        assert_eq!(null.sample_success_response, Some(Value::Null));
    }

    #[test]
    fn path_placeholders_in_order_without_duplicates() {
        let a: Action = serde_json::from_value(
            json!({"id": "a", "httpMethod": "get", "path": "/cards/{idCard}/x/{id}/{idCard}/{"}),
        )
        .unwrap();
        assert_eq!(a.path_placeholders(), vec!["idCard", "id"]);
    }

    #[test]
    fn resource_actions_as_ids_or_summaries() {
        let r: ResourceList = serde_json::from_value(json!({"resources": [
            {"name": "Contacts", "actions": ["createContact", {"id": "getContact", "name": "Get"}]}
        ]}))
        .unwrap();
        let ids: Vec<_> = r.resources[0]
            .actions
            .iter()
            .map(|a| a.id().as_str())
            .collect();
        assert_eq!(ids, ["createContact", "getContact"]);
    }

    #[test]
    fn credentials_metadata_accepts_single_object() {
        let m: CredentialsMetadata =
            serde_json::from_value(json!({"metadata": {"authenticationType": "basic"}})).unwrap();
        assert_eq!(m.metadata.len(), 1);
        assert_eq!(m.metadata[0].authentication_type, AuthType::Basic);
    }
}
