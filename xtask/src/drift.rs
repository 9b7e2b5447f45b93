//! The drift report: what changed between two catalog snapshots, and which changes break callers.
//!
//! A change is *breaking* when code generated from the old snapshot could stop compiling or stop
//! working against the new one: an action or field removed, a field or parameter that became
//! required, a type that changed, an enum value removed from an input. Everything else that a
//! user would notice (new actions, new optional fields, new enum values) is *compatible*.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use alloy_model::{Action, Catalog, ConnectorSnapshot, Parameter};
use serde_json::Value;

/// Schemas nest deeply; past this depth two differing subtrees are reported as one change.
const MAX_DEPTH: usize = 48;

/// The difference between two snapshots.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DriftReport {
    pub added_connectors: Vec<String>,
    pub removed_connectors: Vec<String>,
    pub connectors: Vec<ConnectorDrift>,
}

/// Changes inside one connector present in both snapshots.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ConnectorDrift {
    pub id: String,
    pub added_actions: Vec<String>,
    pub removed_actions: Vec<String>,
    pub changed_actions: Vec<ActionDrift>,
    pub credentials: Changes,
}

/// Changes to one action present in both snapshots.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ActionDrift {
    pub id: String,
    pub changes: Changes,
}

/// Changes sorted into the two kinds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub breaking: Vec<String>,
    pub compatible: Vec<String>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.breaking.is_empty() && self.compatible.is_empty()
    }
    fn breaking(&mut self, msg: String) {
        self.breaking.push(msg);
    }
    fn compatible(&mut self, msg: String) {
        self.compatible.push(msg);
    }
}

impl DriftReport {
    /// Compares `old` with `new`.
    pub fn compare(old: &Catalog, new: &Catalog) -> Self {
        let mut report = DriftReport::default();
        for id in new.connectors.keys() {
            if !old.connectors.contains_key(id) {
                report.added_connectors.push(id.to_string());
            }
        }
        for (id, old_c) in &old.connectors {
            match new.connectors.get(id) {
                None => report.removed_connectors.push(id.to_string()),
                Some(new_c) => {
                    let drift = compare_connector(id.as_str(), old_c, new_c);
                    if !drift.added_actions.is_empty()
                        || !drift.removed_actions.is_empty()
                        || !drift.changed_actions.is_empty()
                        || !drift.credentials.is_empty()
                    {
                        report.connectors.push(drift);
                    }
                }
            }
        }
        report
    }

    /// Whether anything changed at all.
    pub fn is_empty(&self) -> bool {
        self.added_connectors.is_empty()
            && self.removed_connectors.is_empty()
            && self.connectors.is_empty()
    }

    /// Number of breaking changes (a removed connector or action counts as one).
    pub fn breaking_count(&self) -> usize {
        self.removed_connectors.len()
            + self
                .connectors
                .iter()
                .map(|c| {
                    c.removed_actions.len()
                        + c.credentials.breaking.len()
                        + c.changed_actions
                            .iter()
                            .map(|a| a.changes.breaking.len())
                            .sum::<usize>()
                })
                .sum::<usize>()
    }

    /// The report as Markdown (also what the terminal shows).
    pub fn to_markdown(&self) -> String {
        let mut md = String::from("# Catalog drift\n\n");
        if self.is_empty() {
            md.push_str("No changes.\n");
            return md;
        }
        let _ = writeln!(
            md,
            "{} breaking change(s); {} connector(s) added, {} removed, {} changed.\n",
            self.breaking_count(),
            self.added_connectors.len(),
            self.removed_connectors.len(),
            self.connectors.len()
        );
        list(&mut md, "Added connectors", &self.added_connectors);
        list(
            &mut md,
            "Removed connectors (breaking)",
            &self.removed_connectors,
        );
        for c in &self.connectors {
            let _ = writeln!(md, "## `{}`\n", c.id);
            list(&mut md, "Added actions", &c.added_actions);
            list(&mut md, "Removed actions (breaking)", &c.removed_actions);
            if !c.credentials.is_empty() {
                changes(&mut md, "Credentials", &c.credentials);
            }
            for a in &c.changed_actions {
                changes(&mut md, &format!("`{}`", a.id), &a.changes);
            }
        }
        md
    }
}

fn list(md: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(md, "**{title}:** {}\n", quoted(items));
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn changes(md: &mut String, title: &str, changes: &Changes) {
    let kind = if changes.breaking.is_empty() {
        "compatible"
    } else {
        "breaking"
    };
    let _ = writeln!(md, "### {title} ({kind})\n");
    for b in &changes.breaking {
        let _ = writeln!(md, "- breaking: {b}");
    }
    for c in &changes.compatible {
        let _ = writeln!(md, "- compatible: {c}");
    }
    md.push('\n');
}

fn compare_connector(id: &str, old: &ConnectorSnapshot, new: &ConnectorSnapshot) -> ConnectorDrift {
    let mut drift = ConnectorDrift {
        id: id.to_owned(),
        ..Default::default()
    };
    for action in new.actions.keys() {
        if !old.actions.contains_key(action) {
            drift.added_actions.push(action.to_string());
        }
    }
    for (action, old_a) in &old.actions {
        match new.actions.get(action) {
            None => drift.removed_actions.push(action.to_string()),
            Some(new_a) => {
                let changes = compare_action(old_a, new_a);
                if !changes.is_empty() {
                    drift.changed_actions.push(ActionDrift {
                        id: action.to_string(),
                        changes,
                    });
                }
            }
        }
    }

    let auth = |c: &ConnectorSnapshot| -> BTreeMap<String, Option<Value>> {
        c.credentials
            .metadata
            .iter()
            .map(|m| (m.authentication_type.to_string(), m.input_schema.clone()))
            .collect()
    };
    let (old_auth, new_auth) = (auth(old), auth(new));
    for (kind, old_schema) in &old_auth {
        match new_auth.get(kind) {
            None => drift
                .credentials
                .breaking(format!("authentication type `{kind}` removed")),
            Some(new_schema) => compare_schema(
                &format!("`{kind}` credential input"),
                old_schema.as_ref(),
                new_schema.as_ref(),
                0,
                &mut drift.credentials,
            ),
        }
    }
    for kind in new_auth.keys().filter(|k| !old_auth.contains_key(*k)) {
        drift
            .credentials
            .compatible(format!("authentication type `{kind}` added"));
    }
    drift
}

fn compare_action(old: &Action, new: &Action) -> Changes {
    let mut changes = Changes::default();
    if old.http_method != new.http_method {
        changes.compatible(format!(
            "upstream method changed from {} to {}",
            old.http_method, new.http_method
        ));
    }
    if old.path != new.path {
        changes.compatible(format!(
            "upstream path changed from `{}` to `{}`",
            old.path, new.path
        ));
    }
    compare_parameters(&old.parameters, &new.parameters, &mut changes);
    compare_schema(
        "request body",
        old.request_body.as_ref(),
        new.request_body.as_ref(),
        0,
        &mut changes,
    );
    compare_sample(
        "response",
        old.sample_success_response.as_ref(),
        new.sample_success_response.as_ref(),
        0,
        &mut changes,
    );
    changes
}

fn compare_parameters(old: &[Parameter], new: &[Parameter], changes: &mut Changes) {
    let key = |p: &Parameter| (p.location.to_string(), p.name.clone());
    let old_by: BTreeMap<_, _> = old.iter().map(|p| (key(p), p)).collect();
    let new_by: BTreeMap<_, _> = new.iter().map(|p| (key(p), p)).collect();
    for ((loc, name), o) in &old_by {
        let what = format!("{loc} parameter `{name}`");
        match new_by.get(&(loc.clone(), name.clone())) {
            None => changes.breaking(format!("{what} removed")),
            Some(n) => {
                if n.is_required() && !o.is_required() {
                    changes.breaking(format!("{what} became required"));
                } else if !n.is_required() && o.is_required() {
                    changes.compatible(format!("{what} became optional"));
                }
                compare_schema(&what, o.schema.as_ref(), n.schema.as_ref(), 0, changes);
            }
        }
    }
    for ((loc, name), n) in &new_by {
        if !old_by.contains_key(&(loc.clone(), name.clone())) {
            let what = format!("{loc} parameter `{name}`");
            if n.is_required() {
                changes.breaking(format!("{what} added as required"));
            } else {
                changes.compatible(format!("{what} added"));
            }
        }
    }
}

/// The JSON types a schema admits (`nullable` and type lists included); empty means any.
fn schema_types(schema: &Value) -> BTreeSet<String> {
    let mut types = BTreeSet::new();
    match schema.get("type") {
        Some(Value::String(t)) => {
            types.insert(t.clone());
        }
        Some(Value::Array(ts)) => {
            types.extend(ts.iter().filter_map(Value::as_str).map(str::to_owned))
        }
        _ => {}
    }
    if !types.is_empty() && schema.get("nullable") == Some(&Value::Bool(true)) {
        types.insert("null".into());
    }
    // An integer is a number: widening integer → number is not a change of kind.
    if types.contains("number") {
        types.insert("integer".into());
    }
    types
}

fn compare_schema(
    at: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    depth: usize,
    changes: &mut Changes,
) {
    let (old, new) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => return changes.breaking(format!("{at} removed")),
        (None, Some(_)) => return changes.compatible(format!("{at} added")),
        (Some(o), Some(n)) if o == n => return,
        (Some(o), Some(n)) => (o, n),
    };
    if depth >= MAX_DEPTH {
        return changes.breaking(format!("{at} changed (nested too deep to compare)"));
    }

    let (ot, nt) = (schema_types(old), schema_types(new));
    if !ot.is_empty() && !nt.is_empty() && ot != nt {
        if nt.is_superset(&ot) {
            changes.compatible(format!(
                "{at} now also accepts {}",
                join(nt.difference(&ot))
            ));
        } else {
            return changes.breaking(format!(
                "{at} type changed from {} to {}",
                join(ot.iter()),
                join(nt.iter())
            ));
        }
    } else if !ot.is_empty() && nt.is_empty() {
        changes.compatible(format!("{at} now accepts any type"));
    } else if ot.is_empty() && !nt.is_empty() {
        changes.breaking(format!("{at} now restricted to {}", join(nt.iter())));
    }

    if let (Some(oe), Some(ne)) = (enum_values(old), enum_values(new)) {
        for removed in oe.difference(&ne) {
            changes.breaking(format!("{at}: enum value {removed} removed"));
        }
        for added in ne.difference(&oe) {
            changes.compatible(format!("{at}: enum value {added} added"));
        }
    } else if enum_values(old).is_none() && enum_values(new).is_some() {
        changes.breaking(format!("{at} now restricted to an enum"));
    }

    let props = |s: &Value| s.get("properties").and_then(Value::as_object).cloned();
    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (op, np) = (
        props(old).unwrap_or_default(),
        props(new).unwrap_or_default(),
    );
    let (or, nr) = (required(old), required(new));
    for (name, o) in &op {
        let field = format!("{at} field `{name}`");
        match np.get(name) {
            None => changes.breaking(format!("{field} removed")),
            Some(n) => {
                if nr.contains(name) && !or.contains(name) {
                    changes.breaking(format!("{field} became required"));
                } else if or.contains(name) && !nr.contains(name) {
                    changes.compatible(format!("{field} became optional"));
                }
                compare_schema(&field, Some(o), Some(n), depth + 1, changes);
            }
        }
    }
    for name in np.keys().filter(|k| !op.contains_key(*k)) {
        let field = format!("{at} field `{name}`");
        if nr.contains(name) {
            changes.breaking(format!("{field} added as required"));
        } else {
            changes.compatible(format!("{field} added"));
        }
    }

    compare_schema(
        &format!("{at} items"),
        old.get("items"),
        new.get("items"),
        depth + 1,
        changes,
    );
    compare_schema(
        &format!("{at} map values"),
        old.get("additionalProperties").filter(|v| v.is_object()),
        new.get("additionalProperties").filter(|v| v.is_object()),
        depth + 1,
        changes,
    );
    for keyword in ["oneOf", "anyOf", "allOf"] {
        let branches = |s: &Value| s.get(keyword).and_then(Value::as_array).cloned();
        match (branches(old), branches(new)) {
            (Some(o), Some(n)) if o.len() == n.len() => {
                for (i, (ob, nb)) in o.iter().zip(&n).enumerate() {
                    let branch = format!("{at} {keyword}[{i}]");
                    compare_schema(&branch, Some(ob), Some(nb), depth + 1, changes);
                }
            }
            (Some(o), Some(n)) => changes.breaking(format!(
                "{at}: {keyword} went from {} to {} alternatives",
                o.len(),
                n.len()
            )),
            (Some(_), None) | (None, Some(_)) => {
                changes.breaking(format!("{at}: {keyword} composition changed"))
            }
            (None, None) => {}
        }
    }
}

fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    if let Some(c) = schema.get("const") {
        return Some([c.to_string()].into());
    }
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|vals| vals.iter().map(Value::to_string).collect())
}

fn join<'a>(items: impl Iterator<Item = &'a String>) -> String {
    items.map(String::as_str).collect::<Vec<_>>().join(" | ")
}

/// Compares two example responses by shape: what generated response types would see.
fn compare_sample(
    at: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    depth: usize,
    changes: &mut Changes,
) {
    let (old, new) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => return changes.breaking(format!("{at} no longer has a sample body")),
        (None, Some(_)) => return changes.compatible(format!("{at} sample added")),
        (Some(o), Some(n)) => (o, n),
    };
    if depth >= MAX_DEPTH {
        return;
    }
    match (old, new) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(o), Value::Object(n)) => {
            for (k, ov) in o {
                let field = format!("{at} field `{k}`");
                match n.get(k) {
                    None => changes.breaking(format!("{field} removed")),
                    Some(nv) => compare_sample(&field, Some(ov), Some(nv), depth + 1, changes),
                }
            }
            for k in n.keys().filter(|k| !o.contains_key(*k)) {
                changes.compatible(format!("{at} field `{k}` added"));
            }
        }
        (Value::Array(o), Value::Array(n)) => {
            if let (Some(ov), Some(nv)) = (o.first(), n.first()) {
                compare_sample(
                    &format!("{at} items"),
                    Some(ov),
                    Some(nv),
                    depth + 1,
                    changes,
                );
            }
        }
        (o, n) => {
            let (ok, nk) = (kind(o), kind(n));
            if ok != nk && !(ok == "integer" && nk == "number") {
                changes.breaking(format!("{at} type changed from {ok} to {nk}"));
            }
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_model::{ActionEnvelope, ConnectorSummary, CredentialsMetadata, ResourceList};
    use serde_json::json;

    fn connector(actions: &[Value]) -> ConnectorSnapshot {
        ConnectorSnapshot {
            connector: serde_json::from_value::<ConnectorSummary>(json!({"id": "acme"})).unwrap(),
            resources: serde_json::from_value::<ResourceList>(json!({"resources": []})).unwrap(),
            credentials: serde_json::from_value::<CredentialsMetadata>(json!({"metadata": []}))
                .unwrap(),
            actions: actions
                .iter()
                .map(|a| {
                    let env: ActionEnvelope =
                        serde_json::from_value(json!({ "action": a })).unwrap();
                    (env.action.id.clone(), env.action)
                })
                .collect(),
            raw: None,
        }
    }

    fn catalog(actions: &[Value]) -> Catalog {
        let mut c = Catalog::default();
        c.connectors.insert("acme".into(), connector(actions));
        c
    }

    fn create(body: Value, params: Value, sample: Value) -> Value {
        json!({"id": "create", "httpMethod": "post", "path": "/things", "parameters": params,
               "requestBody": body, "sampleSuccessResponse": sample})
    }

    #[test]
    fn identical_snapshots_have_no_drift() {
        let a = create(json!({"type": "object"}), json!([]), json!({"id": 1}));
        let report = DriftReport::compare(&catalog(std::slice::from_ref(&a)), &catalog(&[a]));
        assert!(report.is_empty());
        assert_eq!(report.to_markdown(), "# Catalog drift\n\nNo changes.\n");
    }

    #[test]
    fn sorts_breaking_from_compatible() {
        let old = create(
            json!({"type": "object", "required": ["name"], "properties": {
                "name": {"type": "string"},
                "email": {"type": "string"},
                "size": {"type": "integer"},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "gone": {"type": "string"}}}),
            json!([{"name": "dry", "in": "query", "required": false}]),
            json!({"id": 1, "name": "x", "tags": ["a"]}),
        );
        let new = create(
            json!({"type": "object", "required": ["name", "email"], "properties": {
                "name": {"type": "string"},
                "email": {"type": "string"},
                "size": {"type": "string"},
                "kind": {"type": "string", "enum": ["a", "c"]},
                "note": {"type": "string"}}}),
            json!([{"name": "dry", "in": "query", "required": false},
                   {"name": "tenant", "in": "header", "required": true}]),
            json!({"id": "1", "tags": ["a"], "extra": true}),
        );
        let added = json!({"id": "brandNew", "httpMethod": "get", "path": "/"});
        let report = DriftReport::compare(&catalog(&[old]), &catalog(&[new, added]));
        let c = &report.connectors[0];
        assert_eq!(c.added_actions, ["brandNew"]);
        let ch = &c.changed_actions[0].changes;
        let has = |list: &[String], needle: &str| list.iter().any(|m| m.contains(needle));
        assert!(has(&ch.breaking, "field `email` became required"), "{ch:?}");
        assert!(has(
            &ch.breaking,
            "field `size` type changed from integer to string"
        ));
        assert!(has(&ch.breaking, "enum value \"b\" removed"));
        assert!(has(&ch.breaking, "field `gone` removed"));
        assert!(has(
            &ch.breaking,
            "header parameter `tenant` added as required"
        ));
        assert!(has(
            &ch.breaking,
            "response field `id` type changed from integer to string"
        ));
        assert!(has(&ch.breaking, "response field `name` removed"));
        assert!(has(&ch.compatible, "enum value \"c\" added"));
        assert!(has(&ch.compatible, "field `note` added"));
        assert!(has(&ch.compatible, "response field `extra` added"));
        assert_eq!(report.breaking_count(), 7);
        let md = report.to_markdown();
        assert!(md.contains("### `create` (breaking)"), "{md}");
    }

    #[test]
    fn removed_actions_and_connectors_are_breaking() {
        let a = json!({"id": "a", "httpMethod": "get", "path": "/"});
        let report = DriftReport::compare(&catalog(&[a]), &catalog(&[]));
        assert_eq!(report.connectors[0].removed_actions, ["a"]);
        assert_eq!(report.breaking_count(), 1);
        let report = DriftReport::compare(&catalog(&[]), &Catalog::default());
        assert_eq!(report.removed_connectors, ["acme"]);
        assert!(
            report
                .to_markdown()
                .contains("Removed connectors (breaking)")
        );
    }

    #[test]
    fn widening_is_compatible() {
        let old = create(
            json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
            json!([]),
            json!(null),
        );
        let new = create(
            json!({"type": "object", "properties": {"n": {"type": ["integer", "null"]}}}),
            json!([]),
            json!(null),
        );
        let report = DriftReport::compare(&catalog(&[old]), &catalog(&[new]));
        let ch = &report.connectors[0].changed_actions[0].changes;
        assert!(ch.breaking.is_empty(), "{ch:?}");
        assert_eq!(ch.compatible.len(), 1);
    }
}
