//! Variant names for the branches of an untagged union, read from the branch schemas.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::typespace::naming::variant_name;

/// One name per branch (not yet made distinct): the branch's title, its single constant, or
/// its kind (`String`, `Object`). Object branches that would share a kind name are told apart
/// by what sets each apart from every other branch, so a union of shapes does not read
/// `Object`, `Object2`, …: a member holding one constant no other branch holds
/// (`{"kind": {"const": "card"}}` → `Card`), else a member no other branch has, required ones
/// first in the schema's order (`{"template": …}` → `Template`).
pub(super) fn branch_names(branches: &[&Value]) -> Vec<String> {
    let base: Vec<String> = branches.iter().map(|b| branch_name(b)).collect();
    let mut names = base.clone();
    let members: Vec<BTreeSet<&str>> = branches.iter().map(|b| member_names(b)).collect();
    let constants: Vec<Vec<(&str, &str)>> = branches.iter().map(|b| constants(b)).collect();
    let untitled = |b: &Value| b.get("title").and_then(Value::as_str).is_none();
    for i in 0..branches.len() {
        let shared = base.iter().filter(|n| **n == base[i]).count() > 1;
        if !shared || !untitled(branches[i]) {
            continue;
        }
        if let Some(values) = few_values(branches[i]) {
            names[i] = values;
            continue;
        }
        if members[i].is_empty() {
            continue;
        }
        let own_constant = constants[i].iter().find(|(member, value)| {
            constants
                .iter()
                .enumerate()
                .all(|(j, c)| j == i || !c.contains(&(member, value)))
        });
        let own_member = || {
            ordered_members(branches[i])
                .into_iter()
                .find(|m| (0..branches.len()).all(|j| j == i || !members[j].contains(m)))
        };
        if let Some((_, value)) = own_constant {
            names[i] = variant_name(value);
        } else if let Some(member) = own_member() {
            names[i] = variant_name(member);
        } else if let Some(set) = member_set(branches[i]) {
            names[i] = set;
        }
    }
    names
}

/// A name made of an enum branch's values (`TopOrBottom`), for up to three of them: beside a
/// plain `String` branch, `String2` would not say which one takes any text.
fn few_values(branch: &Value) -> Option<String> {
    let values = branch.get("enum")?.as_array()?;
    let words: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    ((2..=3).contains(&words.len()) && words.len() == values.len())
        .then(|| variant_name(&words.join(" or ")))
}

/// A name made of a branch's required members (`ContextIdGroupId`), for a branch whose every
/// member some other branch has too: the combination still tells it apart. Up to three
/// members, or none.
fn member_set(branch: &Value) -> Option<String> {
    let required: Vec<&str> = ordered_members(branch)
        .into_iter()
        .filter(|m| {
            branch
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|v| v == m))
        })
        .collect();
    (1..=3)
        .contains(&required.len())
        .then(|| variant_name(&required.join(" ")))
}

/// A variant name for a branch on its own: its title, its single constant, or its kind.
fn branch_name(branch: &Value) -> String {
    let Some(obj) = branch.as_object() else {
        return "Value".to_owned();
    };
    if let Some(title) = obj.get("title").and_then(Value::as_str) {
        return variant_name(title);
    }
    let single = match obj.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
        Some([one]) => Some(one),
        _ => obj.get("const"),
    };
    if let Some(Value::String(s)) = single {
        return variant_name(s);
    }
    let kind = match obj.get("type") {
        Some(Value::String(t)) => kind_word(t),
        _ if obj.contains_key("properties") => "object",
        _ if obj.contains_key("items") => "array",
        _ if obj.contains_key("enum") => "enum",
        _ => "variant",
    };
    variant_name(kind)
}

pub(super) fn kind_word(ty: &str) -> &str {
    match ty {
        "string" | "integer" | "number" | "boolean" | "object" | "array" => ty,
        _ => "variant",
    }
}

fn properties(branch: &Value) -> Option<&Map<String, Value>> {
    branch.get("properties").and_then(Value::as_object)
}

fn member_names(branch: &Value) -> BTreeSet<&str> {
    properties(branch)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Members holding a single string (`const` or a one-value `enum`), with that string.
fn constants(branch: &Value) -> Vec<(&str, &str)> {
    let Some(props) = properties(branch) else {
        return Vec::new();
    };
    props
        .iter()
        .filter_map(|(member, schema)| {
            let value = match schema
                .get("enum")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                Some([Value::String(one)]) => one.as_str(),
                _ => schema.get("const")?.as_str()?,
            };
            Some((member.as_str(), value))
        })
        .collect()
}

/// The branch's members, required ones first in the schema's order, then the others.
fn ordered_members(branch: &Value) -> Vec<&str> {
    let mut ordered: Vec<&str> = branch
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|r| properties(branch).is_some_and(|p| p.contains_key(*r)))
        .collect();
    for member in member_names(branch) {
        if !ordered.contains(&member) {
            ordered.push(member);
        }
    }
    ordered
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn names(branches: &[Value]) -> Vec<String> {
        branch_names(&branches.iter().collect::<Vec<_>>())
    }

    #[test]
    fn titles_constants_and_kinds_name_branches() {
        assert_eq!(
            names(&[
                json!({"title": "by id", "type": "object", "properties": {"a": {}}}),
                json!({"const": "auto"}),
                json!({"type": "string"}),
                json!(true),
            ]),
            ["ById", "Auto", "String", "Value"]
        );
    }

    #[test]
    fn object_branches_are_named_by_what_sets_them_apart() {
        let parcel = json!({"type": "object", "properties": {"weight": {}, "height": {}}});
        let template = json!({"type": "object", "required": ["weight", "template"],
            "properties": {"weight": {}, "template": {}}});
        assert_eq!(names(&[parcel, template]), ["Height", "Template"]);
        let numeric = json!({"properties": {"type": {"enum": ["numeric"]}, "value": {}}});
        let range = json!({"required": ["type", "start", "end"],
            "properties": {"type": {"enum": ["numeric"]}, "start": {}, "end": {}}});
        let text = json!({"properties": {"type": {"const": "string"}, "value": {}}});
        assert_eq!(
            names(&[numeric, range, text]),
            ["Object", "Start", "String"]
        );
    }

    #[test]
    fn branches_with_shared_members_are_named_by_their_required_set() {
        let group = json!({"required": ["contextId", "groupId"],
            "properties": {"contextId": {}, "groupId": {}}});
        let typed = json!({"required": ["contextId", "groupId", "type"],
            "properties": {"contextId": {}, "groupId": {}, "type": {}}});
        let text = json!({"properties": {"type": {}, "text": {}}, "required": ["type"]});
        assert_eq!(
            names(&[group, typed, text]),
            ["ContextIdGroupId", "ContextIdGroupIdType", "Text"]
        );
    }

    #[test]
    fn enum_branches_beside_their_kind_are_named_by_their_values() {
        let any = json!({"type": "string"});
        let position = json!({"type": "string", "enum": ["top", "bottom"]});
        assert_eq!(names(&[any, position]), ["String", "TopOrBottom"]);
    }

    #[test]
    fn branches_nothing_sets_apart_keep_their_kind() {
        let a = json!({"type": "object", "properties": {"text": {}}});
        assert_eq!(names(&[a.clone(), a]), ["Object", "Object"]);
    }
}
