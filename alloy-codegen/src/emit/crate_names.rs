//! Connector id → crate folder, package and library names.
//!
//! The mapping, applied to every connector id:
//!
//! 1. every character that is not an ASCII letter or digit is a word break, and so is a case
//!    change (`zohoCRM` → `zoho CRM`, `acuity.scheduling` → `acuity scheduling`);
//! 2. the words are joined in kebab case (`zoho-crm`); a non-ASCII character becomes the
//!    word `u<hex code>`;
//! 3. a result starting with a digit gets the prefix `c-` (`1password` → `c-1password`); an
//!    empty result is `connector`;
//! 4. a name that would collide with the project itself gets the suffix `-connector`: the
//!    packages of this workspace (`runtime` would be a second `alloy-runtime`, the very crate
//!    every generated crate depends on; likewise `model`, `codegen`, `mock`, `e2e`) and cargo's
//!    build folder (`target`, which a standalone `--out` workspace builds into);
//! 5. when two connector ids map to one name, the ids are taken in sorted order and the
//!    second gets `-2`, the third `-3`, and so on (skipping names already taken).
//!
//! The folder under `generated/` is that name, the package `alloy-<name>` and the library
//! `alloy_<name with - as _>`.

use std::collections::{BTreeMap, BTreeSet};

use alloy_model::ConnectorId;
use heck::ToKebabCase;

/// The kebab-case name of one connector id, before collision handling.
pub fn base_name(id: &str) -> String {
    let mut words = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c);
        } else if c.is_ascii() {
            words.push(' ');
        } else {
            words.push_str(&format!(" u{:04x} ", u32::from(c)));
        }
    }
    let kebab = words.to_kebab_case();
    if kebab.is_empty() {
        "connector".to_owned()
    } else if kebab.starts_with(|c: char| c.is_ascii_digit()) {
        format!("c-{kebab}")
    } else if RESERVED.contains(&kebab.as_str()) {
        format!("{kebab}-connector")
    } else {
        kebab
    }
}

/// Names a connector crate must not take: `alloy-<name>` packages of this workspace, and
/// cargo's build folder.
const RESERVED: &[&str] = &["runtime", "model", "codegen", "mock", "e2e", "target"];

/// Folder names for a set of connector ids, distinct and deterministic (ids in sorted order).
pub fn assign<'a>(ids: impl IntoIterator<Item = &'a ConnectorId>) -> BTreeMap<ConnectorId, String> {
    let sorted: BTreeSet<&ConnectorId> = ids.into_iter().collect();
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for id in sorted {
        let base = base_name(id.as_str());
        let mut name = base.clone();
        let mut n = 2usize;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(id.clone(), name);
    }
    out
}

/// `alloy-<dir>`.
pub fn package_name(dir: &str) -> String {
    format!("alloy-{dir}")
}

/// `alloy_<dir with - as _>`.
pub fn library_name(dir: &str) -> String {
    format!("alloy_{}", dir.replace('-', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_and_prefixed() {
        assert_eq!(base_name("hubspot"), "hubspot");
        assert_eq!(base_name("zohoCRM"), "zoho-crm");
        assert_eq!(base_name("acuity.scheduling"), "acuity-scheduling");
        assert_eq!(base_name("1password"), "c-1password");
        assert_eq!(base_name("---"), "connector");
        assert_eq!(base_name("café"), "caf-u00e9");
        assert_eq!(library_name("zoho-crm"), "alloy_zoho_crm");
    }

    #[test]
    fn names_of_the_project_itself_are_never_taken() {
        assert_eq!(base_name("runtime"), "runtime-connector");
        assert_eq!(
            package_name(&base_name("Runtime")),
            "alloy-runtime-connector"
        );
        assert_eq!(base_name("target"), "target-connector");
        for id in ["model", "codegen", "mock", "e2e"] {
            assert_eq!(base_name(id), format!("{id}-connector"));
        }
        // A connector that really is called `runtime-connector` still gets a name of its own.
        let ids: Vec<ConnectorId> = ["runtime", "runtime-connector"]
            .into_iter()
            .map(ConnectorId::from)
            .collect();
        let names = assign(&ids);
        assert_ne!(names[&ids[0]], names[&ids[1]]);
    }

    #[test]
    fn collisions_are_resolved_in_id_order() {
        let ids: Vec<ConnectorId> = ["zoho_crm", "zohoCRM", "zoho-crm-2", "zoho-crm"]
            .into_iter()
            .map(ConnectorId::from)
            .collect();
        let names = assign(&ids);
        // Sorted ids: zoho-crm, zoho-crm-2, zohoCRM, zoho_crm.
        assert_eq!(names[&ConnectorId::from("zoho-crm")], "zoho-crm");
        assert_eq!(names[&ConnectorId::from("zoho-crm-2")], "zoho-crm-2");
        assert_eq!(names[&ConnectorId::from("zohoCRM")], "zoho-crm-3");
        assert_eq!(names[&ConnectorId::from("zoho_crm")], "zoho-crm-4");
    }
}
