//! JSON Schema → an HTML form, and the submitted form → JSON: the settings forms of an
//! integrations page come from the schemas the API publishes (a credential's `inputSchema`, an
//! action's parameters and request body) instead of being written per connector.
//!
//! Strings, numbers and integers become inputs, booleans checkboxes, enums selects, nested
//! objects fieldsets, arrays of scalars comma-separated inputs; anything else (unions, free-form
//! objects, arrays of objects, deep nesting) is a JSON text area, so every schema gets a form.

use alloy_runtime::model::{Action, Parameter, ParameterLocation};
use serde_json::Value;

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

mod labels;
mod read;
#[cfg(test)]
mod tests;

use labels::title_or_label;
pub use labels::{label, plain};
pub use read::{Invalid, Submission};
