//! JSON Schema → an HTML form, and the submitted form → JSON: the settings forms of an
//! integrations page come from the schemas the API publishes (a credential's `inputSchema`, an
//! action's parameters and request body) instead of being written per connector.
//!
//! Strings, numbers and integers become inputs, booleans checkboxes, enums selects, nested
//! objects fieldsets, arrays of scalars comma-separated inputs; anything else (unions, free-form
//! objects, arrays of objects, deep nesting) is a JSON text area, so every schema gets a form.

use std::collections::BTreeMap;

use alloy_runtime::model::{Action, Parameter, ParameterLocation};
use serde_json::{Map, Value};

/// Nesting deeper than this is edited as JSON: a form of fieldsets in fieldsets stops helping.
const MAX_DEPTH: usize = 3;

/// One line of a form, in order: the template walks the list once.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Opens a fieldset for a nested object.
    Open { legend: String, required: bool },
    /// Closes the last open fieldset.
    Close,
    /// One input.
    Field(Field),
}

/// One input of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The form field name: the prefix and JSON path, dotted (`data.apiKey`, `body.properties.email`).
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    pub required: bool,
    pub kind: Kind,
    /// What the user entered last time (never for secrets).
    pub value: String,
    /// Why the last submission was refused, shown next to the field.
    pub error: Option<String>,
    /// Where the value goes.
    target: Target,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    /// A password input: never shown again.
    Secret,
    Integer,
    Number,
    Checkbox,
    Select(Vec<String>),
    /// Comma-separated scalars of the given item kind.
    List(Box<Kind>),
    /// Free JSON.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// A member of the JSON body, by path.
    Body(Vec<String>),
    Query(String),
    Path(String),
    Header(String),
}

impl Field {
    /// The `type` of an `<input>`, for the kinds that are one.
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Secret => "password",
            Kind::Integer | Kind::Number => "number",
            _ => "text",
        }
    }

    /// Which element renders it: `select`, `checkbox`, `textarea` or `input`.
    pub fn element(&self) -> &'static str {
        match self.kind {
            Kind::Select(_) => "select",
            Kind::Checkbox => "checkbox",
            Kind::Json => "textarea",
            _ => "input",
        }
    }

    pub fn options(&self) -> &[String] {
        match &self.kind {
            Kind::Select(options) => options,
            _ => &[],
        }
    }

    /// The hint under the label: the schema's description, and how to type lists and JSON.
    pub fn hint(&self) -> Option<String> {
        let how = match &self.kind {
            Kind::List(_) => Some("Several values, separated by commas."),
            Kind::Json => Some("JSON."),
            Kind::Number if self.description.is_none() => Some("A number."),
            _ => None,
        };
        match (&self.description, how) {
            (Some(d), Some(h)) => Some(format!("{d} {h}")),
            (Some(d), None) => Some(d.clone()),
            (None, h) => h.map(str::to_owned),
        }
    }

    pub fn checked(&self) -> bool {
        self.value == "true"
    }
}

/// A whole form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub items: Vec<Item>,
}

/// A submitted form with values that do not parse; each field says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{fields} field(s) need fixing")]
pub struct Invalid {
    pub fields: usize,
}

/// What a submitted form says, split by where each value goes.
#[derive(Debug, Default, PartialEq)]
pub struct Submission {
    pub body: Option<Value>,
    pub query: BTreeMap<String, Value>,
    pub path: BTreeMap<String, Value>,
    pub headers: BTreeMap<String, Value>,
}

impl Form {
    /// The form of a credential's `data` from its `inputSchema` (fields `data.<member>`, the
    /// names the runtime's validation problems use).
    pub fn for_credential(input_schema: &Value) -> Self {
        let data = input_schema
            .pointer("/properties/data")
            .unwrap_or(&Value::Null);
        Self::for_object(data, "data")
    }

    /// The form of an object schema's members, named `<prefix>.<member>`; the submission's
    /// body is the object.
    pub fn for_object(schema: &Value, prefix: &str) -> Self {
        let mut form = Self::default();
        form.object_members(schema, prefix, &[], 0);
        form
    }

    /// The form of an action: its parameters, then its request body.
    pub fn for_action(action: &Action) -> Self {
        let mut form = Self::default();
        // Forwarded by execute: path, query and header parameters, and the path placeholders
        // some catalogs use without declaring them.
        let mut parameters: Vec<Parameter> = action
            .parameters
            .iter()
            .filter(|p| {
                matches!(
                    p.location,
                    ParameterLocation::Path | ParameterLocation::Query | ParameterLocation::Header
                )
            })
            .cloned()
            .collect();
        for placeholder in action.path_placeholders() {
            let declared = parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.name == placeholder);
            let undeclared = serde_json::json!({"name": placeholder, "in": "path"});
            if let (false, Ok(p)) = (declared, serde_json::from_value(undeclared)) {
                parameters.push(p);
            }
        }
        if !parameters.is_empty() {
            form.items.push(Item::Open {
                legend: "Parameters".into(),
                required: parameters.iter().any(Parameter::is_required),
            });
            for p in &parameters {
                form.parameter(p);
            }
            form.items.push(Item::Close);
        }
        if let Some(body) = &action.request_body {
            form.items.push(Item::Open {
                legend: "Request body".into(),
                required: true,
            });
            if body.get("properties").is_some() {
                form.object_members(body, "body", &[], 0);
            } else {
                form.leaf(
                    body,
                    "body".into(),
                    "body".into(),
                    true,
                    Target::Body(Vec::new()),
                );
            }
            form.items.push(Item::Close);
        }
        form
    }

    fn parameter(&mut self, p: &Parameter) {
        let target = match &p.location {
            ParameterLocation::Path => Target::Path(p.name.clone()),
            ParameterLocation::Header => Target::Header(p.name.clone()),
            _ => Target::Query(p.name.clone()),
        };
        let mut schema = p
            .schema
            .clone()
            .unwrap_or_else(|| serde_json::json!({"type": "string"}));
        if let (Some(d), Value::Object(map)) = (&p.description, &mut schema) {
            map.entry("description")
                .or_insert_with(|| Value::String(d.clone()));
        }
        let name = format!("param.{}", p.name);
        self.leaf(&schema, name, p.name.clone(), p.is_required(), target);
    }

    fn object_members(&mut self, schema: &Value, prefix: &str, path: &[String], depth: usize) {
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // Required members first, in the order `required` lists them; then the others.
        let mut members: Vec<(&String, &Value)> = properties.iter().collect();
        members.sort_by_key(|(name, _)| {
            required
                .iter()
                .position(|r| r == name)
                .unwrap_or(required.len())
        });
        for (name, member) in members {
            let mut member_path = path.to_vec();
            member_path.push(name.clone());
            let field_name = format!("{prefix}.{}", member_path.join("."));
            let is_required = required.contains(&name.as_str());
            if is_fieldset(member) && depth < MAX_DEPTH {
                self.items.push(Item::Open {
                    legend: title_or_label(member, name),
                    required: is_required,
                });
                self.object_members(member, prefix, &member_path, depth + 1);
                self.items.push(Item::Close);
            } else {
                self.leaf(
                    member,
                    field_name,
                    name.clone(),
                    is_required,
                    Target::Body(member_path),
                );
            }
        }
    }

    fn leaf(
        &mut self,
        schema: &Value,
        name: String,
        member: String,
        required: bool,
        target: Target,
    ) {
        let kind = kind_of(schema, &member);
        let value = match (&kind, schema.get("default")) {
            (Kind::Secret, _) | (_, None) => String::new(),
            (_, Some(Value::String(s))) => s.clone(),
            (_, Some(other)) => other.to_string(),
        };
        self.items.push(Item::Field(Field {
            name,
            label: title_or_label(schema, &member),
            description: schema.get("description").and_then(Value::as_str).map(plain),
            required,
            kind,
            value,
            error: None,
            target,
        }));
    }

    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.items.iter().filter_map(|i| match i {
            Item::Field(f) => Some(f),
            _ => None,
        })
    }

    fn fields_mut(&mut self) -> impl Iterator<Item = &mut Field> {
        self.items.iter_mut().filter_map(|i| match i {
            Item::Field(f) => Some(f),
            _ => None,
        })
    }

    /// Puts `message` next to the field named `name`; `false` when no field has that name.
    pub fn set_error(&mut self, name: &str, message: impl Into<String>) -> bool {
        match self.fields_mut().find(|f| f.name == name) {
            Some(field) => {
                field.error = Some(message.into());
                true
            }
            None => false,
        }
    }

    /// Reads a submitted form: each field's value, parsed as its kind. Values that do not
    /// parse are reported next to their fields (and the form keeps every non-secret value the
    /// user typed, to show it again). Empty fields are left out, so the API's validation names
    /// the required ones that are missing.
    pub fn read(&mut self, submitted: &[(String, String)]) -> Result<Submission, Invalid> {
        let lookup = |name: &str| {
            submitted
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
        };
        let mut out = Submission::default();
        let mut body = Map::new();
        let mut whole_body = None;
        let mut failed = 0;
        for field in self.fields_mut() {
            let raw = lookup(&field.name);
            field.error = None;
            field.value = match field.kind {
                Kind::Secret => String::new(),
                Kind::Checkbox => raw.is_some().to_string(),
                _ => raw.clone().unwrap_or_default(),
            };
            let value = match (&field.kind, raw) {
                (Kind::Checkbox, raw) if raw.is_some() || field.required => {
                    Value::Bool(raw.is_some())
                }
                (Kind::Checkbox, _) => continue,
                (_, None) => continue,
                (_, Some(raw)) if raw.is_empty() => continue,
                (kind, Some(raw)) => match parse(kind, &raw) {
                    Ok(value) => value,
                    Err(message) => {
                        field.error = Some(message);
                        failed += 1;
                        continue;
                    }
                },
            };
            match &field.target {
                Target::Body(path) if path.is_empty() => whole_body = Some(value),
                Target::Body(path) => insert(&mut body, path, value),
                Target::Query(name) => {
                    out.query.insert(name.clone(), value);
                }
                Target::Path(name) => {
                    out.path.insert(name.clone(), value);
                }
                Target::Header(name) => {
                    out.headers.insert(name.clone(), value);
                }
            }
        }
        if failed > 0 {
            return Err(Invalid { fields: failed });
        }
        out.body = whole_body.or_else(|| (!body.is_empty()).then_some(Value::Object(body)));
        Ok(out)
    }
}

/// An object with members of its own, shown as a fieldset.
fn is_fieldset(schema: &Value) -> bool {
    type_of(schema) == Some("object")
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// The schema's `type`, the first that is not `null` when it lists several.
fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ if schema.get("properties").is_some() => Some("object"),
        _ => None,
    }
}

fn kind_of(schema: &Value, member: &str) -> Kind {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let options: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        if !options.is_empty() {
            return Kind::Select(options);
        }
    }
    match type_of(schema) {
        Some("string") if is_secret(schema, member) => Kind::Secret,
        Some("string") => Kind::Text,
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Checkbox,
        Some("array") => match schema.get("items").map(|items| kind_of(items, member)) {
            Some(item @ (Kind::Text | Kind::Integer | Kind::Number | Kind::Secret)) => {
                Kind::List(Box::new(item))
            }
            _ => Kind::Json,
        },
        // No type at all: most often a string in practice, and text accepts anything.
        None if schema.as_object().is_some_and(|s| {
            ![
                "oneOf",
                "anyOf",
                "allOf",
                "$ref",
                "items",
                "additionalProperties",
            ]
            .iter()
            .any(|k| s.contains_key(*k))
        }) =>
        {
            Kind::Text
        }
        _ => Kind::Json,
    }
}

/// Passwords, keys, tokens and secrets are typed into password inputs and never shown again.
fn is_secret(schema: &Value, member: &str) -> bool {
    if schema.get("format").and_then(Value::as_str) == Some("password")
        || schema.get("writeOnly").and_then(Value::as_bool) == Some(true)
    {
        return true;
    }
    let lower = member.to_ascii_lowercase();
    [
        "password",
        "secret",
        "token",
        "apikey",
        "api_key",
        "privatekey",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn parse(kind: &Kind, raw: &str) -> Result<Value, String> {
    match kind {
        Kind::Integer => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| "must be a whole number".into()),
        Kind::Number => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "must be a number".into()),
        Kind::List(item) => raw
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| parse(item, s))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Kind::Json => serde_json::from_str(raw).map_err(|e| format!("must be JSON ({e})")),
        Kind::Text | Kind::Secret | Kind::Select(_) | Kind::Checkbox => {
            Ok(Value::String(raw.to_owned()))
        }
    }
}

fn insert(object: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = object;
    for parent in parents {
        let entry = at
            .entry(parent.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else {
            unreachable!("just made an object")
        };
        at = next;
    }
    at.insert(last.clone(), value);
}

/// The schema's `title`, or a label made from the member's name.
fn title_or_label(schema: &Value, member: &str) -> String {
    match schema.get("title").and_then(Value::as_str).map(str::trim) {
        Some(title) if !title.is_empty() => title.to_owned(),
        _ => label(member),
    }
}

/// Descriptions are Markdown; a hint shows them as plain text.
pub fn plain(markdown: &str) -> String {
    markdown
        .replace("**", "")
        .replace("__", "")
        .replace('`', "")
}

/// Words a label spells in capitals.
const ACRONYMS: [&str; 6] = ["api", "id", "url", "uri", "ip", "sku"];

/// `firstName`, `first_name` → `First name`; `apiKey` → `API key`.
pub fn label(member: &str) -> String {
    let mut words = String::new();
    let mut previous_lower = false;
    for c in member.chars() {
        if c == '_' || c == '-' || c == '.' {
            words.push(' ');
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(' ');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        words.extend(c.to_lowercase());
    }
    let words: Vec<String> = words
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            if ACRONYMS.contains(&word) {
                word.to_uppercase()
            } else if i == 0 {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_owned()
            }
        })
        .collect();
    if words.is_empty() {
        member.to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn credential_forms_name_fields_as_validation_problems_do() {
        let schema = json!({"properties": {"data": {"type": "object", "required": ["apiKey"],
            "properties": {"environment": {"enum": ["production", "sandbox"], "default": "production"},
                           "apiKey": {"type": "string", "description": "The key."}}}}});
        let mut form = Form::for_credential(&schema);
        let fields: Vec<_> = form
            .fields()
            .map(|f| (f.name.as_str(), f.required, f.kind.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("data.apiKey", true, Kind::Secret),
                (
                    "data.environment",
                    false,
                    Kind::Select(vec!["production".into(), "sandbox".into()])
                ),
            ]
        );
        assert_eq!(form.fields().nth(1).unwrap().value, "production");
        let read = form
            .read(&pairs(&[
                ("data.apiKey", "k-1"),
                ("data.environment", "sandbox"),
            ]))
            .unwrap();
        assert_eq!(
            read.body,
            Some(json!({"apiKey": "k-1", "environment": "sandbox"}))
        );
        // A secret is never put back into the page.
        assert_eq!(form.fields().next().unwrap().value, "");
        assert!(form.set_error("data.apiKey", "required"));
        assert!(!form.set_error("data.nothing", "required"));
    }

    #[test]
    fn nested_objects_are_fieldsets_and_values_are_typed() {
        let schema = json!({"type": "object", "required": ["properties"], "properties": {
            "properties": {"type": "object", "properties": {
                "email": {"type": "string"}, "age": {"type": "integer"}, "score": {"type": "number"},
                "vip": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}},
                "filters": {"type": "array", "items": {"type": "object"}}}}}});
        let action: Action = serde_json::from_value(json!({
            "id": "a", "httpMethod": "post", "path": "/x/{id}",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "requestBody": schema})).unwrap();
        let mut form = Form::for_action(&action);
        assert!(form.items.contains(&Item::Open {
            legend: "Properties".into(),
            required: true
        }));
        let read = form
            .read(&pairs(&[
                ("param.id", "c-9"),
                ("param.limit", "5"),
                ("body.properties.email", "a@b.c"),
                ("body.properties.age", "41"),
                ("body.properties.score", ""),
                ("body.properties.vip", "on"),
                ("body.properties.tags", "a, b,"),
                ("body.properties.filters", "[{\"x\": 1}]"),
            ]))
            .unwrap();
        assert_eq!(read.path["id"], json!("c-9"));
        assert_eq!(read.query["limit"], json!(5));
        assert_eq!(
            read.body,
            Some(
                json!({"properties": {"email": "a@b.c", "age": 41, "vip": true,
                "tags": ["a", "b"], "filters": [{"x": 1}]}})
            )
        );
        // Values that do not parse are named next to their fields, and kept for the page.
        assert!(
            form.read(&pairs(&[("body.properties.age", "forty")]))
                .is_err()
        );
        let age = form
            .fields()
            .find(|f| f.name == "body.properties.age")
            .unwrap();
        assert_eq!(age.error.as_deref(), Some("must be a whole number"));
        assert_eq!(age.value, "forty");
    }

    #[test]
    fn labels_read_like_words() {
        assert_eq!(label("firstName"), "First name");
        assert_eq!(label("api_key"), "API key");
        assert_eq!(label("URL"), "URL");
        assert_eq!(label("customerId"), "Customer ID");
        assert_eq!(
            title_or_label(&json!({"title": "E-mail"}), "email"),
            "E-mail"
        );
    }
}
