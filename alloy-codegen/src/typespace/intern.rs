//! The registry of named types: one namespace for type names, structural dedup, and the
//! definitions in name order.
//!
//! Conversion is bottom-up: a definition is interned after everything it refers to, so it
//! names its children by their final names and two equal shapes have equal definitions.
//! Interning an equal definition again returns the first name; the first use names a type.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::model::{Doc, TypeDef};
use super::naming::{Namespace, type_name};

#[derive(Debug, Clone)]
pub(crate) struct Registry {
    names: Namespace,
    defs: BTreeMap<String, (TypeDef, Doc)>,
    /// Fx: every interned definition is hashed whole, and SipHash was a visible cost.
    by_shape: FxHashMap<TypeDef, String>,
    /// Names handed out ahead of their definition (a `$ref` that may recur), by the hint of
    /// the schema node that will define them.
    pending: HashMap<String, String>,
}

impl Default for Registry {
    fn default() -> Self {
        let mut names = Namespace::new();
        // The one type `types.rs` defines besides the named types.
        names.insert(super::read::TRAIT);
        Self {
            names,
            defs: BTreeMap::new(),
            by_shape: FxHashMap::default(),
            pending: HashMap::new(),
        }
    }
}

impl Registry {
    /// The name of a type with this definition: an existing equal one, or a new one derived
    /// from `hint`.
    pub(crate) fn intern(&mut self, hint: &str, def: TypeDef, doc: Doc) -> String {
        if let Some(name) = self.pending.remove(hint) {
            self.by_shape
                .entry(def.clone())
                .or_insert_with(|| name.clone());
            self.defs.insert(name.clone(), (def, doc));
            return name;
        }
        if let Some(name) = self.by_shape.get(&def) {
            if let Some((_, existing)) = self.defs.get_mut(name)
                && existing.0.is_none()
            {
                *existing = doc;
            }
            return name.clone();
        }
        let name = self.names.insert_type(&type_name(hint));
        self.by_shape.insert(def.clone(), name.clone());
        self.defs.insert(name.clone(), (def, doc));
        name
    }

    /// Defines `name` (already reserved) directly, without dedup.
    pub(crate) fn define(&mut self, name: &str, def: TypeDef, doc: Doc) {
        self.defs.insert(name.to_owned(), (def, doc));
    }

    /// Arranges for the next definition interned with `hint` to take `name` (reserved).
    pub(crate) fn set_pending(&mut self, hint: &str, name: &str) {
        self.pending.insert(hint.to_owned(), name.to_owned());
    }

    /// Takes back a pending reservation that no definition claimed; true if it was unclaimed.
    pub(crate) fn unclaim(&mut self, hint: &str) -> bool {
        self.pending.remove(hint).is_some()
    }

    /// Reserves a name for a type defined elsewhere; the name stays taken.
    pub(crate) fn reserve(&mut self, wanted: &str) -> String {
        self.names.insert_type(&type_name(wanted))
    }

    /// Whether a type name is taken (defined, reserved or pending).
    pub(crate) fn is_taken(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&TypeDef> {
        self.defs.get(name).map(|(def, _)| def)
    }

    pub(crate) fn defs(&self) -> impl Iterator<Item = (&String, &TypeDef, &Doc)> {
        self.defs.iter().map(|(name, (def, doc))| (name, def, doc))
    }

    pub(crate) fn len(&self) -> usize {
        self.defs.len()
    }

    /// The names of `roots` and of every type reachable from them.
    pub(crate) fn reachable<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a str>,
    ) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        let mut todo: Vec<&str> = roots.into_iter().collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name) {
                continue;
            }
            if let Some((def, _)) = self.defs.get(name) {
                def.visit_names(&mut |next| {
                    if !seen.contains(next) {
                        todo.push(next);
                    }
                });
            }
        }
        seen
    }
}
