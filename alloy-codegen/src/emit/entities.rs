//! Each resource's entity type is named after the resource (`customers` → `Customer`), as a
//! hand-written client would name the thing a resource manages.
//!
//! Before any action is emitted, each resource claims its entity name for the object one of
//! its actions returns, in order of preference: the response of a retrieve (a `GET` whose path
//! ends in a placeholder), of a create or update, then an item of a list; a response that is
//! an envelope of one object (`{"ticket": {…}}`, `{"ok": true, "channel": {…}}`) gives that
//! object. The claim
//! names the shape in the type space; the actions that return it then find it by structural
//! dedup. A resource whose candidate shapes already have a name (another resource's entity), or
//! whose entity name is taken, keeps the names derived from its actions.

use alloy_model::{Action, HttpMethod};
use serde_json::Value;

use super::Ctx;
use super::layout::ModulePlan;
use crate::typespace::Origin;
use crate::typespace::naming;

/// Claims the entity name of every resource in `modules` (see the module docs).
pub(crate) fn claim(ctx: &mut Ctx<'_>, modules: &[ModulePlan<'_>]) {
    let connector = ctx.connector.as_str().to_owned();
    for module in modules {
        // A module numbered apart from another (`types2`) has no entity name of its own.
        let Some(title) = module.title else { continue };
        if naming::module_name(title) != module.module {
            continue;
        }
        let wanted = naming::entity_name(&module.module);
        for (action, pointer, entity) in candidates(&module.actions, &module.module) {
            let origin = Origin::action(&connector, action.id.as_str(), &pointer);
            if ctx.ts.claim_sample_name(&origin, &wanted, entity) {
                break;
            }
        }
    }
}

/// (action, JSON pointer, object) of each candidate entity, best first.
fn candidates<'a>(actions: &[&'a Action], module: &str) -> Vec<(&'a Action, String, &'a Value)> {
    let mut found: Vec<(u8, &'a Action, String, &'a Value)> = Vec::new();
    for &action in actions {
        let Some(sample) = action.sample_success_response.as_ref() else {
            continue;
        };
        let by_id = action.path.trim_end_matches('/').ends_with('}');
        let rank = match (&action.http_method, by_id) {
            (HttpMethod::Get, true) => 0,
            (HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch, _) => 1,
            (HttpMethod::Get, false) => 2,
            _ => continue,
        };
        let root = "/action/sampleSuccessResponse".to_owned();
        let entity = if rank == 2 {
            list_item(sample, root, module)
        } else {
            single(sample, root)
        };
        if let Some((pointer, value)) = entity {
            found.push((rank, action, pointer, value));
        }
    }
    // Stable: within a rank, the resource's order of actions.
    found.sort_by_key(|(rank, ..)| *rank);
    found
        .into_iter()
        .map(|(_, action, pointer, value)| (action, pointer, value))
        .collect()
}

/// The object a single-entity response holds: itself, or the one object of an envelope (an
/// object without an `id` whose other members are a few flags: `{"ok": true, "channel": {…}}`).
/// A response without an `id` holding an array of objects is a list, not an entity.
fn single(sample: &Value, pointer: String) -> Option<(String, &Value)> {
    let obj = sample.as_object().filter(|o| !o.is_empty())?;
    if obj.contains_key("id") {
        return Some((pointer, sample));
    }
    let objects: Vec<(&String, &Value)> = obj
        .iter()
        .filter(|(_, v)| v.as_object().is_some_and(|o| !o.is_empty()))
        .collect();
    let scalars = obj
        .values()
        .filter(|v| !v.is_object() && !v.is_array())
        .count();
    if let [(key, inner)] = objects.as_slice()
        && objects.len() + scalars == obj.len()
        && scalars <= 2
    {
        return Some((format!("{pointer}/{}", escape(key)), inner));
    }
    let lists = obj.values().any(|v| {
        v.as_array()
            .is_some_and(|items| items.first().is_some_and(Value::is_object))
    });
    (!lists).then_some((pointer, sample))
}

/// Members that hold a list response's items whatever the items are.
const LIST_MEMBERS: &[&str] = &[
    "data", "results", "items", "records", "list", "values", "entries", "elements", "objects",
    "rows", "hits", "content",
];

/// The one array of objects a list response holds (itself, or a member named like a list or
/// like the resource: `messages` in `conversations` are not conversations); the claim names
/// its items.
fn list_item<'v>(sample: &'v Value, pointer: String, module: &str) -> Option<(String, &'v Value)> {
    let of_objects = |v: &Value| {
        v.as_array()
            .is_some_and(|items| items.first().is_some_and(Value::is_object))
    };
    if of_objects(sample) {
        return Some((pointer, sample));
    }
    let obj = sample.as_object()?;
    let mut arrays = obj.iter().filter(|(_, v)| of_objects(v));
    let (key, items) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let member = naming::field_name(key);
    let entity = naming::entity_name(module);
    let lists = LIST_MEMBERS.contains(&member.as_str())
        || member == module
        || naming::entity_name(&member) == entity;
    lists.then(|| (format!("{pointer}/{}", escape(key)), items))
}

/// A JSON pointer token for `key`.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn action(method: &str, path: &str, sample: Value) -> Action {
        serde_json::from_value(json!({
            "id": format!("{method} {path}"), "httpMethod": method, "path": path,
            "parameters": [], "sampleSuccessResponse": sample,
        }))
        .expect("an action")
    }

    fn picked(actions: &[Action], module: &str) -> Vec<String> {
        let refs: Vec<&Action> = actions.iter().collect();
        candidates(&refs, module)
            .into_iter()
            .map(|(a, pointer, _)| format!("{} {pointer}", a.id))
            .collect()
    }

    #[test]
    fn retrieve_then_create_then_list() {
        let actions = [
            action(
                "get",
                "/customers",
                json!({"data": [{"id": "c1"}], "has_more": false}),
            ),
            action("post", "/customers", json!({"id": "c1", "name": "x"})),
            action("get", "/customers/{id}", json!({"customer": {"id": "c1"}})),
            action("delete", "/customers/{id}", json!({"id": "c1"})),
        ];
        assert_eq!(
            picked(&actions, "customers"),
            [
                "get /customers/{id} /action/sampleSuccessResponse/customer",
                "post /customers /action/sampleSuccessResponse",
                "get /customers /action/sampleSuccessResponse/data",
            ]
        );
    }

    #[test]
    fn envelopes_lists_and_foreign_items() {
        let root = || "/r".to_owned();
        let envelope = json!({"ok": true, "channel": {"name": "general"}});
        assert_eq!(
            single(&envelope, root()).map(|e| e.0),
            Some("/r/channel".into())
        );
        // An entity with an id and one nested object is no envelope.
        let entity = json!({"id": 1, "address": {"zip": "1"}});
        assert_eq!(single(&entity, root()).map(|e| e.0), Some("/r".into()));
        // A list is no single entity.
        assert!(single(&json!({"channels": [{"id": 1}], "ok": true}), root()).is_none());
        let list = json!({"channels": [{"id": 1}], "ok": true});
        assert!(list_item(&list, root(), "conversations").is_none());
        assert_eq!(
            list_item(&list, root(), "channels").map(|e| e.0),
            Some("/r/channels".into())
        );
        let history = json!({"messages": [{"text": "hi"}]});
        assert!(list_item(&history, root(), "conversations").is_none());
    }
}
