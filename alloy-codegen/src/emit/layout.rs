//! Which module each action goes to, and the names of modules, handles and accessors.
//!
//! One module per resource, in the order `resources.json` lists them; an action appears in
//! the first resource that lists it (every action is emitted exactly once), and actions no
//! resource lists go to a final `other` module, sorted by id. Names come from
//! [`crate::typespace::naming`] and are made distinct with a [`Namespace`] per scope, in that
//! order, so they are stable while the catalog does not change.

use std::collections::BTreeSet;

use alloy_model::{Action, ConnectorSnapshot};

use crate::generate::GenerateError;
use crate::typespace::naming::{self, Namespace};

/// Module names the crate uses itself, taken before any resource.
pub(crate) const RESERVED_MODULES: &[&str] = &["types"];
/// Methods of the connector handle that are not resource accessors. They carry an `alloy_`
/// prefix because resources are the vendor's nouns (`user`, `credentials` are common ones) and
/// must keep their plain names; no vendor resource is called `alloy user`.
pub(crate) const RESERVED_ACCESSORS: &[&str] = &["new", "alloy_user", "alloy_credential"];

/// One resource module.
#[derive(Debug)]
pub(crate) struct ModulePlan<'a> {
    /// The module (and file) name.
    pub(crate) module: String,
    /// The resource handle type inside the module.
    pub(crate) handle: String,
    /// The connector handle's method returning the resource handle.
    pub(crate) accessor: String,
    /// The resource's name as the catalog spells it (`None` for the `other` module).
    pub(crate) title: Option<&'a str>,
    pub(crate) description: Option<&'a str>,
    pub(crate) actions: Vec<&'a Action>,
}

/// Groups the connector's actions into modules.
pub(crate) fn plan(snapshot: &ConnectorSnapshot) -> Result<Vec<ModulePlan<'_>>, GenerateError> {
    let mut modules = Namespace::new();
    let mut accessors = Namespace::new();
    for name in RESERVED_MODULES {
        modules.insert(name);
    }
    for name in RESERVED_ACCESSORS {
        accessors.insert(name);
    }
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    let mut plans = Vec::new();
    for (r, resource) in snapshot.resources.resources.iter().enumerate() {
        let mut actions = Vec::new();
        for (a, listed) in resource.actions.iter().enumerate() {
            let id = listed.id();
            let Some(action) = snapshot.actions.get(id) else {
                return Err(GenerateError::UnknownAction {
                    connector: snapshot.connector.id.clone(),
                    resource: resource.name.clone(),
                    action: id.to_string(),
                    pointer: format!("/resources/{r}/actions/{a}"),
                });
            };
            if placed.insert(action.id.as_str()) {
                actions.push(action);
            }
        }
        if actions.is_empty() {
            continue;
        }
        plans.push(module_plan(
            &mut modules,
            &mut accessors,
            &resource.name,
            Some(resource.name.as_str()),
            resource.description.as_deref(),
            actions,
        ));
    }
    let unlisted: Vec<&Action> = snapshot
        .actions
        .values()
        .filter(|a| !placed.contains(a.id.as_str()))
        .collect();
    if !unlisted.is_empty() {
        plans.push(module_plan(
            &mut modules,
            &mut accessors,
            "other",
            None,
            None,
            unlisted,
        ));
    }
    Ok(plans)
}

fn module_plan<'a>(
    modules: &mut Namespace,
    accessors: &mut Namespace,
    raw_name: &str,
    title: Option<&'a str>,
    description: Option<&'a str>,
    actions: Vec<&'a Action>,
) -> ModulePlan<'a> {
    let module = modules.insert(&naming::module_name(raw_name));
    let accessor = accessors.insert(&module);
    ModulePlan {
        handle: naming::type_name(&module),
        module,
        accessor,
        title,
        description: description.filter(|d| !d.trim().is_empty()),
        actions,
    }
}
