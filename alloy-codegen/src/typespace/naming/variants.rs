//! Variant names for an enum's wire values, which must stay distinct and readable when values
//! differ only in symbols or case (see the rules in the parent module's docs).

use std::collections::{BTreeMap, BTreeSet};

use super::{Namespace, variant_name};

/// Catch-all names, in order of preference; the first no wire value takes is used.
const CATCH_ALL: &[&str] = &["Other", "Unknown", "UnknownValue", "OtherValue"];

/// Symbols as words, longest first so `<=` reads as one operator, not `<` and `=`.
const SYMBOLS: &[(&str, &str)] = &[
    ("!=", "not equal"),
    ("<>", "not equal"),
    ("==", "equal"),
    ("<=", "less than or equal"),
    (">=", "greater than or equal"),
    ("=", "equal"),
    ("<", "less than"),
    (">", "greater than"),
    ("!", "not"),
    ("+", "plus"),
    ("*", "star"),
    ("/", "slash"),
    ("\\", "backslash"),
    (".", "dot"),
    (",", "comma"),
    (":", "colon"),
    (";", "semicolon"),
    ("_", "underscore"),
    ("@", "at"),
    ("#", "hash"),
    ("$", "dollar"),
    ("%", "percent"),
    ("^", "caret"),
    ("&", "and"),
    ("|", "pipe"),
    ("~", "tilde"),
    ("?", "question"),
    ("'", "quote"),
    ("\"", "double quote"),
    ("`", "backtick"),
    ("(", "open paren"),
    (")", "close paren"),
    ("[", "open bracket"),
    ("]", "close bracket"),
    ("{", "open brace"),
    ("}", "close brace"),
];

/// The catch-all's name and one name per value (`values` are distinct), in order.
pub fn enum_variant_names(values: &[&str]) -> (String, Vec<String>) {
    let mut names: Vec<String> = values.iter().map(|v| variant_name(v)).collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        groups.entry(name.clone()).or_default().push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let spelled: Vec<String> = members
            .iter()
            .map(|&i| spell_symbols(values[i], false))
            .collect();
        let spelled_names: Vec<String> = spelled.iter().map(|s| variant_name(s)).collect();
        for (k, &i) in members.iter().enumerate() {
            let shared = spelled_names
                .iter()
                .filter(|n| **n == spelled_names[k])
                .count()
                > 1;
            names[i] = if shared {
                variant_name(&format!("{} {}", spelled[k], case_word(values[i])))
            } else {
                spelled_names[k].clone()
            };
        }
    }
    let taken: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let other = CATCH_ALL
        .iter()
        .find(|c| !taken.contains(*c))
        .unwrap_or(&CATCH_ALL[0]);
    // Whatever still collides (values equal up to symbols and case pattern) is numbered; the
    // catch-all goes first so it keeps its name.
    let mut ns = Namespace::new();
    let other = ns.insert(other);
    let names = names.iter().map(|n| ns.insert(n)).collect();
    (other, names)
}

/// The name of a catch-all variant beside variants for which `taken` holds: `first`, else the
/// first free of `Other`, `Unknown`, `UnknownValue`, `OtherValue`; with all of them taken,
/// `first` numbered (`taken` holds for finitely many names).
pub fn catch_all_name(first: &str, taken: impl Fn(&str) -> bool) -> String {
    let named = std::iter::once(first).chain(CATCH_ALL.iter().copied());
    match named.into_iter().find(|n| !taken(n)) {
        Some(free) => free.to_owned(),
        None => (2u64..)
            .map(|n| format!("{first}{n}"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| first.to_owned()),
    }
}

/// `raw` with its ASCII symbols as words (`a_b` → `a underscore b`); whitespace too when
/// `whitespace`, for a value with nothing else to name it by.
pub(super) fn spell_symbols(raw: &str, whitespace: bool) -> String {
    let symbols_only = !raw.chars().any(char::is_alphanumeric);
    let mut out = String::with_capacity(raw.len() * 2);
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c == '-' {
            // A sign reads as `minus`; inside a word it is a hyphen.
            let sign = symbols_only || rest[1..].starts_with(|d: char| d.is_ascii_digit());
            out.push_str(if sign { " minus " } else { " hyphen " });
            rest = &rest[1..];
            continue;
        }
        if c.is_whitespace() {
            out.push_str(if whitespace { " space " } else { " " });
            rest = &rest[c.len_utf8()..];
            continue;
        }
        match SYMBOLS.iter().find(|(s, _)| rest.starts_with(s)) {
            Some((symbol, word)) => {
                out.push(' ');
                out.push_str(word);
                out.push(' ');
                rest = &rest[symbol.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// How a value is cased, as a word that tells it from the same letters cased otherwise.
fn case_word(raw: &str) -> &'static str {
    let letters: Vec<char> = raw.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    let lower = letters.iter().filter(|c| c.is_lowercase()).count();
    let first_upper = letters.first().is_some_and(|c| c.is_uppercase());
    match (upper, lower) {
        (0, 0) => "",
        (0, _) => "lower",
        (_, 0) => "upper",
        (1, _) if first_upper => "capitalized",
        _ if !first_upper => "camel",
        _ => "mixed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(values: &[&str]) -> (String, Vec<String>) {
        enum_variant_names(values)
    }

    #[test]
    fn distinct_values_keep_their_plain_names() {
        assert_eq!(
            names(&["active", "in_progress", "V2"]),
            (
                "Other".into(),
                vec!["Active".into(), "InProgress".into(), "V2".into()]
            )
        );
    }

    #[test]
    fn values_differing_in_case_are_named_by_their_case() {
        let (other, v) = names(&["self", "Self", "SELF"]);
        assert_eq!(other, "Other");
        assert_eq!(v, ["SelfLower", "SelfCapitalized", "SelfUpper"]);
        assert_eq!(
            names(&["fooBar", "FooBar"]).1,
            ["FooBarCamel", "FooBarMixed"]
        );
    }

    #[test]
    fn values_differing_in_symbols_spell_them() {
        assert_eq!(
            names(&["first_name", "firstName", "first-name"]).1,
            ["FirstUnderscoreName", "FirstName", "FirstHyphenName"]
        );
        assert_eq!(
            names(&["", "=", "!=", "<", "<=", ">", ">=", "-", "+"]).1,
            [
                "Empty",
                "Equal",
                "NotEqual",
                "LessThan",
                "LessThanOrEqual",
                "GreaterThan",
                "GreaterThanOrEqual",
                "Minus",
                "Plus"
            ]
        );
        assert_eq!(names(&["-1", "1"]).1, ["Minus1", "V1"]);
    }

    #[test]
    fn a_value_named_like_the_catch_all_renames_the_catch_all() {
        assert_eq!(names(&["other", "lead"]).0, "Unknown");
        assert_eq!(names(&["other", "unknown"]).0, "UnknownValue");
        // With every alternative taken, the value gives way, not the catch-all.
        let (other, v) = names(&["other", "unknown", "unknown value", "other value"]);
        assert_eq!((other.as_str(), v[0].as_str()), ("Other", "Other2"));
    }

    #[test]
    fn catch_all_names_avoid_taken_ones() {
        assert_eq!(catch_all_name("Unknown", |_| false), "Unknown");
        assert_eq!(catch_all_name("Other", |n| n == "Other"), "Unknown");
        assert_eq!(
            catch_all_name("Unknown", |n| n != "OtherValue"),
            "OtherValue"
        );
        let all = ["Other", "Unknown", "UnknownValue", "OtherValue", "Other2"];
        assert_eq!(catch_all_name("Other", |n| all.contains(&n)), "Other3");
    }

    #[test]
    fn every_name_is_a_lint_clean_distinct_identifier() {
        let values = [
            "self", "Self", "sElF", "SeLf", "", " ", "_", "__", "type", "Type",
        ];
        let (other, v) = names(&values);
        let mut all: BTreeSet<String> = v.iter().cloned().collect();
        assert!(all.insert(other));
        assert_eq!(all.len(), values.len() + 1, "{all:?}");
        for name in &all {
            assert!(syn::parse_str::<syn::Ident>(name).is_ok(), "{name}");
            // rustc's non_camel_case_types: no `_` next to a cased character.
            let chars: Vec<char> = name.trim_matches('_').chars().collect();
            assert!(
                !chars
                    .windows(2)
                    .any(|w| (w[0] == '_' && w[1].is_alphabetic())
                        || (w[1] == '_' && w[0].is_alphabetic())),
                "{name}"
            );
        }
    }
}
