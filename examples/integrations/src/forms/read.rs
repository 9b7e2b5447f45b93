//! Reading a submitted form back into JSON.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Form, Kind, Target};

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
