//! [`Namespace`]: the names taken in one scope, and how a second claim on one is told apart.

use std::collections::BTreeSet;

use super::{MAX_TYPE_NAME, bounded_type_name, camel_word_starts, field_name};

/// A set of names already taken in one scope (a module's types, a struct's fields, an enum's
/// variants). Names are handed out in insertion order, so the same inputs in the same order
/// always give the same names.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes `wanted` (already a valid identifier) or, if it is taken, the first free
    /// `wanted2`, `wanted3`, …; returns the name taken.
    pub fn insert(&mut self, wanted: &str) -> String {
        let name = self.first_free(wanted);
        self.taken.insert(name.clone());
        name
    }

    /// [`insert`](Self::insert) for a type name (`UpperCamelCase`), kept within
    /// [`MAX_TYPE_NAME`] bytes: a longer name keeps its last words ([`bounded_type_name`]); if
    /// that is taken, its first words and as many last words as fit (two long names that end
    /// alike usually differ at the start: the action); only then a number, dropping leading
    /// words when the number would not fit.
    pub fn insert_type(&mut self, full: &str) -> String {
        let bounded = bounded_type_name(full);
        if full.len() > MAX_TYPE_NAME && self.taken.contains(&bounded) {
            let words = camel_word_starts(full);
            for &head_end in words.iter().skip(1) {
                let head = &full[..head_end];
                let room = MAX_TYPE_NAME.saturating_sub(head.len());
                let Some(&tail_start) = words
                    .iter()
                    .find(|&&i| i > head_end && full.len() - i <= room)
                else {
                    break;
                };
                let candidate = format!("{head}{}", &full[tail_start..]);
                if !self.taken.contains(&candidate) {
                    self.taken.insert(candidate.clone());
                    return candidate;
                }
            }
        }
        let mut wanted = bounded.as_str();
        loop {
            let name = self.first_free(wanted);
            let next_word = camel_word_starts(wanted).get(1).map(|&i| &wanted[i..]);
            match next_word {
                Some(shorter) if name.len() > MAX_TYPE_NAME => wanted = shorter,
                _ => {
                    self.taken.insert(name.clone());
                    return name;
                }
            }
        }
    }

    /// `wanted`, or if it is taken, the first free `wanted2`, `wanted3`, …
    fn first_free(&self, wanted: &str) -> String {
        if !self.taken.contains(wanted) {
            return wanted.to_owned();
        }
        // `Self_2` breaks `non_camel_case_types`; `Self2` is no keyword, so needs no `_`.
        let wanted = match wanted.strip_suffix('_') {
            Some(stem) if stem.starts_with(|c: char| c.is_ascii_uppercase()) => stem,
            _ => wanted,
        };
        // `v1` + 2 would read as `v12`, a different name; a separator keeps it legible.
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2usize..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_else(|| wanted.to_owned())
    }

    /// Field names for `wires` (JSON member names), in the same order. A member whose wire
    /// name already is a field name (`first_name`) keeps it; the others (`firstName`) are
    /// numbered if they collide, so adding a camelCase twin never renames the snake_case one.
    pub fn insert_fields(&mut self, wires: &[&str]) -> Vec<String> {
        let mut names: Vec<Option<String>> = wires
            .iter()
            .map(|wire| {
                (field_name(wire) == *wire && !self.contains(wire)).then(|| self.insert(wire))
            })
            .collect();
        for (name, wire) in names.iter_mut().zip(wires) {
            if name.is_none() {
                *name = Some(self.insert(&field_name(wire)));
            }
        }
        names.into_iter().flatten().collect()
    }

    /// Frees `name` again (a reservation nothing used).
    pub fn remove(&mut self, name: &str) {
        self.taken.remove(name);
    }

    /// Whether `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// How many names are taken.
    pub fn len(&self) -> usize {
        self.taken.len()
    }

    /// Whether no name is taken.
    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_type_names_stay_within_the_bound() {
        let long = format!("Lead{}", "Word".repeat(15));
        assert_eq!(long.len(), MAX_TYPE_NAME);
        let mut ns = Namespace::new();
        assert_eq!(ns.insert_type(&long), long);
        // `…Word2` would be 65 bytes: the leading word goes instead.
        assert_eq!(ns.insert_type(&long), "Word".repeat(15));
        assert_eq!(ns.insert_type(&long), format!("{}2", "Word".repeat(15)));
        // Long names that end alike keep their distinct first words before any number.
        let mut ns = Namespace::new();
        let ending = "Tail".repeat(14);
        let create = format!("CreateFlowVersion{ending}");
        let update = format!("UpdateFlowVersion{ending}");
        assert_eq!(ns.insert_type(&create), bounded_type_name(&create));
        let second = ns.insert_type(&update);
        assert!(
            second.starts_with("Update") && second.ends_with("TailTail"),
            "{second}"
        );
        assert!(second.len() <= MAX_TYPE_NAME, "{second}");
        assert_eq!(ns.insert_type("Short"), "Short");
        assert_eq!(ns.insert_type("Short"), "Short2");
    }

    #[test]
    fn namespace_disambiguates_in_order() {
        let mut ns = Namespace::new();
        assert_eq!(ns.insert(&field_name("firstName")), "first_name");
        assert_eq!(ns.insert(&field_name("first_name")), "first_name2");
        assert_eq!(ns.insert(&field_name("FirstName")), "first_name3");
        assert_eq!(ns.insert("v1"), "v1");
        assert_eq!(ns.insert("v1"), "v1_2");
        assert_eq!(ns.insert("Self_"), "Self_");
        assert_eq!(ns.insert("Self_"), "Self2");
        assert_eq!(ns.insert("type_"), "type_");
        assert_eq!(ns.insert("type_"), "type_2");
        assert_eq!(ns.len(), 9);
        let mut ns = Namespace::new();
        assert_eq!(
            ns.insert_fields(&["FirstName", "firstName", "first_name", "type"]),
            ["first_name2", "first_name3", "first_name", "type_"]
        );
    }
}
