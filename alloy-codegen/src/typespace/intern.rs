//! The registry of named types: one namespace for type names, structural dedup, and the
//! definitions in name order.
//!
//! Conversion is bottom-up: a definition is interned after everything it refers to, so it
//! names its children by their final names and two equal shapes have equal definitions.
//! Interning an equal definition again returns the first name; the first use names a type. A
//! shape interned with two different descriptions keeps neither: the first would document the
//! type with the other use's meaning.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::FxHashMap;

use super::model::{Doc, TypeDef};
use super::naming::{Namespace, title_type_name, type_name};

#[derive(Debug, Clone)]
pub(crate) struct Registry {
    names: Namespace,
    defs: BTreeMap<String, (TypeDef, Doc)>,
    /// Fx: every interned definition is hashed whole, and SipHash was a visible cost.
    by_shape: FxHashMap<TypeDef, String>,
    /// Names handed out ahead of their definition (a `$ref` that may recur), by the hint of
    /// the schema node that will define them.
    pending: HashMap<String, String>,
    /// Types whose shape came with different descriptions: they stay undocumented.
    neutral: HashSet<String>,
    /// Names reserved for the next new shape interned with a hint, by that hint (unlike
    /// `pending`, an equal shape that has a name already keeps it).
    root_names: HashMap<String, String>,
    /// Copies made by [`define_copy`](Self::define_copy), by original and title, so a union
    /// converted twice is one type.
    copies: HashMap<(String, String), String>,
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
            neutral: HashSet::new(),
            root_names: HashMap::new(),
            copies: HashMap::new(),
        }
    }
}

impl Registry {
    /// The name of a type with this definition: an existing equal one, or a new one derived
    /// from `hint`.
    pub(crate) fn intern(&mut self, hint: &str, def: TypeDef, doc: Doc) -> String {
        self.intern_titled(hint, None, def, doc)
    }

    /// [`intern`](Self::intern) for a schema with a `title`: a new shape is named from the
    /// title where it reads as a name that is free ([`title_type_name`]), else as `intern`
    /// names it (a number would make two titled shapes look like versions of one).
    pub(crate) fn intern_titled(
        &mut self,
        hint: &str,
        title: Option<&str>,
        def: TypeDef,
        doc: Doc,
    ) -> String {
        if let Some(name) = self.pending.remove(hint) {
            self.by_shape
                .entry(def.clone())
                .or_insert_with(|| name.clone());
            self.defs.insert(name.clone(), (def, doc));
            return name;
        }
        if let Some(name) = self.by_shape.get(&def) {
            if let Some((_, existing)) = self.defs.get_mut(name) {
                match (&existing.0, &doc.0) {
                    (None, Some(_)) if !self.neutral.contains(name) => *existing = doc,
                    // One shape, two meanings: either description would mislead at the other
                    // use, whose field keeps its own description.
                    (Some(kept), Some(new)) if kept != new => {
                        existing.0 = None;
                        self.neutral.insert(name.clone());
                    }
                    _ => {}
                }
            }
            return name.clone();
        }
        let name = match (self.free_title(title), self.root_names.remove(hint)) {
            (Some(titled), reserved) => {
                // An unused root reservation is given back by `release_root_name`.
                if let Some(reserved) = reserved {
                    self.root_names.insert(hint.to_owned(), reserved);
                }
                self.names.insert(&titled)
            }
            (None, Some(reserved)) => reserved,
            (None, None) => self.names.insert_type(&type_name(hint)),
        };
        self.by_shape.insert(def.clone(), name.clone());
        self.defs.insert(name.clone(), (def, doc));
        name
    }

    /// The type name `title` gives, if it gives one and the name is free.
    fn free_title(&self, title: Option<&str>) -> Option<String> {
        title
            .and_then(title_type_name)
            .filter(|name| !self.names.contains(name))
    }

    /// A second name for the shape of `name`, from `title` or else `hint`, defined as a copy
    /// documented by `doc`: the branches of a union that differ in title stay apart, each with
    /// a payload type of its own name, though their shapes are one. `None` if `name` is not
    /// defined (yet).
    pub(crate) fn define_copy(
        &mut self,
        name: &str,
        hint: &str,
        title: &str,
        doc: Doc,
    ) -> Option<String> {
        let key = (name.to_owned(), title.to_owned());
        if let Some(copy) = self.copies.get(&key) {
            return Some(copy.clone());
        }
        let def = self.defs.get(name)?.0.clone();
        let copy = match self.free_title(Some(title)) {
            Some(titled) => self.names.insert(&titled),
            None => self.names.insert_type(&type_name(hint)),
        };
        self.defs.insert(copy.clone(), (def, doc));
        self.copies.insert(key, copy.clone());
        Some(copy)
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

    /// Reserves `name` for the next new shape interned with `hint`.
    pub(crate) fn set_root_name(&mut self, hint: &str, name: &str) {
        self.root_names.insert(hint.to_owned(), name.to_owned());
    }

    /// Takes back the reservation of [`set_root_name`](Self::set_root_name) if no new shape
    /// claimed it, freeing the name.
    pub(crate) fn release_root_name(&mut self, hint: &str) {
        if let Some(name) = self.root_names.remove(hint) {
            self.names.remove(&name);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typespace::model::StructDef;

    fn doc(text: Option<&str>) -> Doc {
        Doc(text.map(str::to_owned))
    }

    fn empty() -> TypeDef {
        TypeDef::Struct(StructDef {
            fields: Vec::new(),
            extra: None,
            required_order: Vec::new(),
        })
    }

    fn doc_of(registry: &Registry, name: &str) -> Option<String> {
        registry
            .defs()
            .find(|(n, ..)| *n == name)
            .and_then(|(_, _, d)| d.0.clone())
    }

    #[test]
    fn a_root_name_goes_to_a_new_shape_only() {
        let mut registry = Registry::default();
        let reserved = registry.reserve("create request");
        registry.set_root_name("create", &reserved);
        assert_eq!(
            registry.intern("create", empty(), doc(None)),
            "CreateRequest"
        );
        registry.release_root_name("create");
        // An equal shape keeps its name; the unused reservation is given back.
        let again = registry.reserve("update request");
        registry.set_root_name("update", &again);
        assert_eq!(
            registry.intern("update", empty(), doc(None)),
            "CreateRequest"
        );
        registry.release_root_name("update");
        assert!(!registry.is_taken("UpdateRequest"));
    }

    #[test]
    fn a_shape_with_two_meanings_keeps_neither_description() {
        let mut registry = Registry::default();
        let name = registry.intern("first", empty(), doc(None));
        assert_eq!(registry.intern("again", empty(), doc(Some("A"))), name);
        assert_eq!(doc_of(&registry, &name).as_deref(), Some("A"));
        registry.intern("same", empty(), doc(Some("A")));
        assert_eq!(doc_of(&registry, &name).as_deref(), Some("A"));
        registry.intern("other", empty(), doc(Some("B")));
        assert_eq!(doc_of(&registry, &name), None);
        registry.intern("third", empty(), doc(Some("C")));
        assert_eq!(doc_of(&registry, &name), None);
    }
}
