//! The checked-in sample catalog (`catalog/` at the repository root): it loads, it is consistent,
//! it covers every authentication type, it is stored in canonical form, and it answers the
//! documentation's examples exactly.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use alloy_model::snapshot::{action_file_name, to_canonical_json};
use alloy_model::{
    ActionEnvelope, AuthType, Catalog, ConnectorSummary, CredentialsMetadata, HttpMethod,
    LoadOptions, ParameterLocation, ResourceAction, ResourceList,
};
use serde_json::{Value, json};

fn catalog_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../catalog"))
}

fn load() -> Catalog {
    Catalog::load_with(catalog_dir(), &LoadOptions::default().keep_raw(true))
        .unwrap_or_else(|e| panic!("sample catalog does not load: {e}"))
}

/// The quick start's action-details example for `hubspot` / `createContact`, as documented.
const CREATE_CONTACT_EXAMPLE: &str = r#"{"action": {"id": "createContact", "displayName": "Create a contact", "description": "Create a new contact record.",
  "httpMethod": "post", "path": "/crm/v3/objects/contacts", "parameters": [],
  "requestBody": {"type": "object", "required": ["properties"], "properties": {"properties": {"type": "object",
  "required": ["firstname", "lastname", "email"], "properties": {"firstname": {"type": "string"}, "lastname": {"type": "string"},
  "email": {"type": "string"}, "company": {"type": "string"}, "website": {"type": "string"}, "phone": {"type": "string"}}}}},
  "sampleSuccessResponse": {"id": "string", "properties": {"firstname": "string", "lastname": "string", "email": "string",
  "createdate": "2025-08-01T15:32:45.646Z", "lastmodifieddate": "2025-08-01T15:32:45.646Z"},
  "createdAt": "2025-08-01T15:32:45.646Z", "updatedAt": "2025-08-01T15:32:45.646Z", "archived": true}}}"#;

#[test]
fn has_the_four_documented_connectors() {
    let catalog = load();
    let ids: Vec<&str> = catalog.connectors.keys().map(|id| id.as_str()).collect();
    assert_eq!(ids, ["freshdesk", "hubspot", "quickbooks", "shippo"]);
    let total = catalog.action_count();
    assert!((40..=50).contains(&total), "{total} actions");
    for (id, c) in &catalog.connectors {
        assert_eq!(
            c.connector.icon.as_deref(),
            Some(format!("https://cdn.runalloy.com/icons/{id}.png").as_str())
        );
        assert_eq!(c.connector.group, ["input"], "{id}");
        assert!(!c.connector.category.is_empty(), "{id}");
        assert!(c.connector.name.is_some(), "{id}");
    }
}

#[test]
fn resources_list_every_action_exactly_once() {
    let catalog = load();
    for (id, c) in &catalog.connectors {
        let mut listed: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &c.resources.resources {
            assert!(
                !r.actions.is_empty(),
                "{id}: resource `{}` is empty",
                r.name
            );
            assert!(
                r.description.as_deref().is_some_and(|d| !d.is_empty()),
                "{id}/{}",
                r.name
            );
            for a in &r.actions {
                let action = c.actions.get(a.id()).unwrap_or_else(|| {
                    panic!("{id}: resource `{}` lists missing `{}`", r.name, a.id())
                });
                *listed.entry(a.id().as_str()).or_default() += 1;
                // The listing repeats the action's own name and description.
                let ResourceAction::Summary {
                    name, description, ..
                } = a
                else {
                    panic!("{id}: `{}` is listed without a summary", a.id());
                };
                assert_eq!(name, &action.display_name, "{id}/{}", a.id());
                assert_eq!(description, &action.description, "{id}/{}", a.id());
            }
        }
        for action_id in c.actions.keys() {
            assert_eq!(
                listed.get(action_id.as_str()),
                Some(&1),
                "{id}: `{action_id}` must be listed by exactly one resource"
            );
        }
    }
}

#[test]
fn actions_are_consistent() {
    let catalog = load();
    for (id, c) in &catalog.connectors {
        for (action_id, a) in &c.actions {
            let at = format!("{id}/{action_id}");
            assert!(
                action_id
                    .as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric()),
                "{at}"
            );
            assert!(
                a.display_name.as_deref().is_some_and(|s| !s.is_empty()),
                "{at}"
            );
            assert!(
                a.description.as_deref().is_some_and(|s| !s.is_empty()),
                "{at}"
            );
            assert!(a.path.starts_with('/'), "{at}");
            assert!(
                matches!(
                    a.http_method,
                    HttpMethod::Get
                        | HttpMethod::Post
                        | HttpMethod::Put
                        | HttpMethod::Patch
                        | HttpMethod::Delete
                ),
                "{at}"
            );

            // Path placeholders and path parameters are the same set.
            let placeholders: BTreeSet<&str> = a.path_placeholders().into_iter().collect();
            let path_params: BTreeSet<&str> = a
                .parameters
                .iter()
                .filter(|p| p.location == ParameterLocation::Path)
                .map(|p| p.name.as_str())
                .collect();
            assert_eq!(placeholders, path_params, "{at}");

            let mut seen = BTreeSet::new();
            for p in &a.parameters {
                assert!(
                    matches!(
                        p.location,
                        ParameterLocation::Path
                            | ParameterLocation::Query
                            | ParameterLocation::Header
                    ),
                    "{at}: {}",
                    p.name
                );
                assert!(
                    seen.insert((p.location.as_str(), p.name.as_str())),
                    "{at}: duplicate {}",
                    p.name
                );
                assert!(p.required.is_some(), "{at}: {} has no `required`", p.name);
                assert!(
                    p.description.is_some(),
                    "{at}: {} has no description",
                    p.name
                );
                assert!(
                    p.schema.as_ref().is_some_and(Value::is_object),
                    "{at}: {}",
                    p.name
                );
            }

            // Bodies are bare JSON Schemas, present exactly on writes.
            if let Some(body) = &a.request_body {
                assert!(body.is_object(), "{at}");
                assert!(
                    ["type", "allOf", "oneOf"]
                        .iter()
                        .any(|k| body.get(k).is_some()),
                    "{at}: body is not a schema"
                );
            }
            let writes = matches!(
                a.http_method,
                HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch
            );
            // Sending an invoice is a POST whose only inputs are query parameters.
            assert_eq!(
                a.request_body.is_some(),
                writes && action_id != "sendInvoice",
                "{at}"
            );

            // A sample wherever the upstream answers with a body; deletes answer 204.
            let no_content =
                a.http_method == HttpMethod::Delete || action_id == "gdprDeleteContacts";
            assert_eq!(a.sample_success_response.is_none(), no_content, "{at}");
        }
    }
}

#[test]
fn every_auth_type_is_present_with_its_inputs() {
    let catalog = load();
    let mut by_type: BTreeMap<String, &str> = BTreeMap::new();
    for (id, c) in &catalog.connectors {
        assert!(!c.credentials.metadata.is_empty(), "{id}");
        for m in &c.credentials.metadata {
            let schema = m
                .input_schema
                .as_ref()
                .unwrap_or_else(|| panic!("{id}: no inputSchema"));
            assert_eq!(schema["type"], "object", "{id}");
            assert_eq!(
                schema["properties"]["authenticationType"]["const"],
                m.authentication_type.as_str(),
                "{id}"
            );
            assert_eq!(m.auth_config_required, Some(false), "{id}");
            let required = schema["required"]
                .as_array()
                .unwrap_or_else(|| panic!("{id}"));
            for key in ["userId", "authenticationType"] {
                assert!(required.contains(&json!(key)), "{id}: {key} not required");
            }
            if let Some(sample) = &m.sample_input {
                assert_satisfies_required(schema, sample, &format!("{id} sampleInput"));
            }
            by_type.insert(m.authentication_type.as_str().to_owned(), id.as_str());
        }
    }
    let expected: BTreeMap<String, &str> = [
        ("apiKey", "quickbooks"),
        ("basic", "freshdesk"),
        ("httpBearer", "shippo"),
        ("oauth2", "hubspot"),
    ]
    .into_iter()
    .map(|(t, c)| (t.to_owned(), c))
    .collect();
    assert_eq!(by_type, expected);

    let schema_of = |connector: &str, auth: AuthType| -> Value {
        let c = &catalog.connectors[connector];
        let m = c
            .credentials
            .metadata
            .iter()
            .find(|m| m.authentication_type == auth)
            .unwrap_or_else(|| panic!("{connector}: no {auth}"));
        m.input_schema.clone().unwrap_or_default()
    };
    let required = |schema: &Value, pointer: &str| -> Vec<String> {
        schema
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };

    let oauth = schema_of("hubspot", AuthType::OAuth2);
    assert_eq!(
        required(&oauth, "/required"),
        ["userId", "authenticationType", "redirectUri"]
    );
    assert_eq!(oauth["properties"]["redirectUri"]["format"], "uri");

    let api_key = schema_of("quickbooks", AuthType::ApiKey);
    assert_eq!(
        required(&api_key, "/properties/data/required"),
        ["apiKey", "apiSecret"]
    );
    // The documentation's credential example must be acceptable `data` for this schema.
    let documented = json!({"connectorId": "quickbooks", "credentialType": "apiKey",
        "data": {"apiKey": "YOUR_API_KEY", "apiSecret": "YOUR_API_SECRET"}});
    assert_satisfies_required(
        &api_key["properties"]["data"],
        &documented["data"],
        "quickbooks data",
    );

    let bearer = schema_of("shippo", AuthType::HttpBearer);
    assert_eq!(required(&bearer, "/properties/data/required"), ["token"]);

    let basic = schema_of("freshdesk", AuthType::Basic);
    assert_eq!(
        required(&basic, "/properties/data/required"),
        ["domain", "username", "password"]
    );
}

/// Every `required` key is present and every present key is declared, recursively through objects.
fn assert_satisfies_required(schema: &Value, value: &Value, at: &str) {
    let declared = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{at}: no properties"));
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{at}: not an object"));
    for key in schema["required"].as_array().into_iter().flatten() {
        let key = key.as_str().unwrap_or_default();
        assert!(object.contains_key(key), "{at}: `{key}` missing");
    }
    for (key, v) in object {
        let sub = declared
            .get(key)
            .unwrap_or_else(|| panic!("{at}: `{key}` undeclared"));
        if let Some(c) = sub.get("const") {
            assert_eq!(v, c, "{at}: `{key}`");
        }
        if sub["type"] == "object" {
            assert_satisfies_required(sub, v, &format!("{at}.{key}"));
        }
    }
}

#[test]
fn hubspot_answers_the_documented_examples() {
    let catalog = load();
    let hubspot = &catalog.connectors["hubspot"];
    let raw = hubspot.raw.as_ref().unwrap_or_else(|| panic!("raw kept"));

    let documented: Value = serde_json::from_str(CREATE_CONTACT_EXAMPLE).unwrap_or_default();
    let stored: Value = serde_json::from_str(&raw.actions["createContact"]).unwrap_or_default();
    assert_eq!(stored, documented);

    let contacts = hubspot
        .resources
        .resources
        .iter()
        .find(|r| r.name == "contacts")
        .unwrap_or_else(|| panic!("no `contacts` resource"));
    let listed: Vec<&str> = contacts.actions.iter().map(|a| a.id().as_str()).collect();
    for id in ["createContact", "listContacts", "gdprDeleteContacts"] {
        assert!(listed.contains(&id), "`contacts` does not list {id}");
    }
    assert_eq!(
        hubspot
            .resource_of("createCompany")
            .map(|r| r.name.as_str()),
        Some("companies")
    );

    // `GET /connectors` element, as documented (the icon URL is elided there).
    let mut item: Value = serde_json::from_str(&raw.connector).unwrap_or_default();
    assert!(
        item["icon"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://"))
    );
    item["icon"] = json!("<icon url>");
    assert_eq!(
        item,
        json!({"id": "hubspot", "name": "Hubspot", "icon": "<icon url>", "group": ["input"],
               "category": ["crm", "oas"]})
    );
}

#[test]
fn every_file_is_canonical_and_round_trips_through_the_model() {
    let root = catalog_dir();
    let mut files = Vec::new();
    collect_files(&root, &mut files);
    assert!(files.len() > 40, "{} files", files.len());
    for path in &files {
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        assert_eq!(
            path.extension().and_then(|e| e.to_str()),
            Some("json"),
            "{shown}"
        );
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert!(
            to_canonical_json(&value) == text,
            "{shown} is not in canonical form"
        );

        // The typed model keeps every field.
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let parent = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        let typed = match (name, parent) {
            ("connector.json", _) => round_trip::<ConnectorSummary>(&text),
            ("resources.json", _) => round_trip::<ResourceList>(&text),
            ("credentials-metadata.json", _) => round_trip::<CredentialsMetadata>(&text),
            (_, Some("actions")) => {
                let envelope: ActionEnvelope =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
                assert_eq!(
                    action_file_name(envelope.action.id.as_str()),
                    name,
                    "{shown}"
                );
                serde_json::to_value(&envelope).unwrap_or_default()
            }
            _ => panic!("{shown}: unexpected file in the catalog"),
        };
        assert!(typed == value, "{shown} loses data through the model");
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Value {
    let typed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(&typed).unwrap_or_default()
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}
