//! The served catalog: each connector's documents, per-action caches, and the bodies of the
//! discovery endpoints (the snapshot's own text when it was loaded with `keep_raw`).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use alloy_model::snapshot::to_canonical_json;
use alloy_model::{
    Action, Catalog, ConnectorSummary, CredentialMetadata, CredentialsMetadata, RawDocuments,
    ResourceList,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::validate::SchemaSlot;

/// Every connector, by id.
#[derive(Debug)]
pub struct CatalogIndex {
    connectors: HashMap<String, Arc<ConnectorEntry>>,
    /// `GET /connectors`, built once.
    list_body: String,
}

/// One connector and its caches.
#[derive(Debug)]
pub struct ConnectorEntry {
    pub summary: ConnectorSummary,
    resources: ResourceList,
    pub credentials: CredentialsMetadata,
    raw: Option<RawDocuments>,
    /// Sorted by id, the order of `GET /connectors/{id}/actions`.
    pub actions: BTreeMap<String, Arc<ActionEntry>>,
    action_list: OnceLock<String>,
    /// One slot per `credentials.metadata` entry, same order.
    credential_schemas: Vec<SchemaSlot>,
}

/// One action and its caches.
#[derive(Debug)]
pub struct ActionEntry {
    pub connector_id: String,
    pub action: Action,
    raw: Option<Arc<str>>,
    pub body_schema: SchemaSlot,
    /// `sampleSuccessResponse` as compact JSON text (`null` when absent).
    sample_text: OnceLock<String>,
    /// How the action pages, when it does: execute then serves numbered pages.
    pub paging: Option<alloy_model::paging::Paging>,
}

impl CatalogIndex {
    pub fn new(
        catalog: Catalog,
        overrides: &alloy_model::paging_overrides::PagingOverrides,
    ) -> Self {
        let mut connectors = HashMap::new();
        let mut list_items = Vec::new();
        for (id, snapshot) in catalog.connectors {
            let id = id.into_string();
            let mut raw = snapshot.raw;
            list_items.push(match &raw {
                Some(raw) => raw.connector.trim_end().to_owned(),
                None => canonical(&snapshot.connector),
            });
            let mut actions = BTreeMap::new();
            for (action_id, action) in snapshot.actions {
                let raw_text = raw
                    .as_mut()
                    .and_then(|r| r.actions.remove(action_id.as_str()));
                let paging = overrides.resolve(&id, &action);
                let entry = ActionEntry {
                    connector_id: id.clone(),
                    paging,
                    action,
                    raw: raw_text,
                    body_schema: SchemaSlot::default(),
                    sample_text: OnceLock::new(),
                };
                actions.insert(action_id.into_string(), Arc::new(entry));
            }
            let credential_schemas = snapshot
                .credentials
                .metadata
                .iter()
                .map(|_| SchemaSlot::default())
                .collect();
            let entry = ConnectorEntry {
                summary: snapshot.connector,
                resources: snapshot.resources,
                credentials: snapshot.credentials,
                raw,
                actions,
                action_list: OnceLock::new(),
                credential_schemas,
            };
            connectors.insert(id, Arc::new(entry));
        }
        let list_body = format!("{{\"connectors\":[{}]}}", list_items.join(","));
        Self {
            connectors,
            list_body,
        }
    }

    pub fn connector(&self, id: &str) -> Option<&Arc<ConnectorEntry>> {
        self.connectors.get(id)
    }

    pub fn connector_count(&self) -> usize {
        self.connectors.len()
    }

    pub fn action_count(&self) -> usize {
        self.connectors.values().map(|c| c.actions.len()).sum()
    }

    /// Body of `GET /connectors`.
    pub fn list_body(&self) -> &str {
        &self.list_body
    }
}

impl ConnectorEntry {
    /// Body of `GET /connectors/{id}`.
    pub fn connector_body(&self) -> String {
        match &self.raw {
            Some(raw) => raw.connector.to_string(),
            None => canonical(&self.summary),
        }
    }

    /// Body of `GET /connectors/{id}/resources`.
    pub fn resources_body(&self) -> String {
        match &self.raw {
            Some(raw) => raw.resources.to_string(),
            None => canonical(&self.resources),
        }
    }

    /// Body of `GET /connectors/{id}/credentials/metadata`.
    pub fn credentials_body(&self) -> String {
        match &self.raw {
            Some(raw) => raw.credentials.to_string(),
            None => canonical(&self.credentials),
        }
    }

    /// Body of `GET /connectors/{id}/actions`, built on first use.
    pub fn action_list_body(&self) -> &str {
        self.action_list.get_or_init(|| {
            let items: Vec<Value> = self
                .actions
                .values()
                .map(|entry| {
                    let a = &entry.action;
                    json!({"id": a.id, "displayName": a.display_name,
                        "description": a.description, "httpMethod": a.http_method,
                        "path": a.path})
                })
                .collect();
            json!({ "actions": items }).to_string()
        })
    }

    pub fn action(&self, id: &str) -> Option<&Arc<ActionEntry>> {
        self.actions.get(id)
    }

    /// The metadata entry for an authentication type and its schema slot.
    pub fn credential_type(&self, auth_type: &str) -> Option<(&CredentialMetadata, &SchemaSlot)> {
        self.credentials
            .metadata
            .iter()
            .zip(&self.credential_schemas)
            .find(|(m, _)| m.authentication_type.as_str() == auth_type)
    }

    /// The supported authentication types, for error messages.
    pub fn credential_types(&self) -> Vec<&str> {
        self.credentials
            .metadata
            .iter()
            .map(|m| m.authentication_type.as_str())
            .collect()
    }

    /// The display name used in credential names (`name`, else the id).
    pub fn display_name(&self) -> &str {
        self.summary
            .name
            .as_deref()
            .unwrap_or(self.summary.id.as_str())
    }
}

impl ActionEntry {
    /// Body of `GET /connectors/{id}/actions/{actionId}`.
    pub fn details_body(&self) -> String {
        match &self.raw {
            Some(raw) => raw.to_string(),
            None => canonical(&json!({ "action": self.action })),
        }
    }

    /// The sample response as compact JSON text, serialized once.
    pub fn sample_text(&self) -> &str {
        self.sample_text.get_or_init(|| {
            let sample = self
                .action
                .sample_success_response
                .as_ref()
                .unwrap_or(&Value::Null);
            serde_json::to_string(sample).unwrap_or_else(|_| "null".to_owned())
        })
    }
}

fn canonical(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(value) => to_canonical_json(&value),
        Err(e) => json!({ "serializationError": e.to_string() }).to_string(),
    }
}
