//! The single owner of Rust names for everything the generator emits.
//!
//! Every identifier in generated code (types, fields, variants, functions, modules) comes from
//! one of the functions here, so the rules are applied once:
//!
//! - words are split on case changes and on every character that is not ASCII alphanumeric,
//!   then joined in the style the item kind needs, by [`heck`]'s rules (module `case`); an
//!   acronym's plural stays one word (`URIs` → `Uris`, `getAllURIs` → `get_all_uris`, not
//!   `UrIs`);
//! - a non-ASCII character becomes its own word `u<hex code>` (`café` → `CafU00e9`), because
//!   rustc warns about uncommon code points and generated code must build with warnings denied;
//!   bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are dropped;
//! - a name that would start with a digit gets a `V` (`200` → `V200`) or `v_` (`1st` → `v_1st`)
//!   prefix;
//! - a Rust keyword gets a trailing underscore (`type` → `type_`, `Self` → `Self_`);
//! - an array's items are named by its name made singular (`…Steps` → `…Step`), or with `Item`
//!   appended when it is no plural ([`item_hint`]);
//! - a type name longer than [`MAX_TYPE_NAME`] keeps its last words ([`bounded_type_name`]);
//! - an enum value made only of symbols is spelled (`>=` → `GreaterThanOrEqual`, `-` → `Minus`,
//!   ` ` → `Space`); an empty result gets a fixed word (`Unnamed`, `Empty`, `unnamed`, `empty`).
//!
//! The functions are pure and total. Two different inputs may map to the same name
//! (`firstName` and `first_name`); a [`Namespace`] then makes them distinct, deterministically,
//! by appending `2`, `3`, … in insertion order (after dropping a keyword's `_` from a type or
//! variant name, as `Self_2` would break `non_camel_case_types`). A long type name that ends
//! like a taken one first keeps its distinct leading words (`Namespace::insert_type`), and a
//! number never pushes it past the bound. The wire name is kept by `serde(rename)`.
//!
//! Where a name comes from (the hints these functions are given):
//!
//! - a schema with a `title` that reads as a name is named from it ([`title_type_name`]):
//!   Stripe's `payment_method_options_param` is `PaymentMethodOptionsParam`, wherever it is
//!   used; a one-word, generic or sentence-like title, or one whose name another shape has,
//!   leaves the name to the rules below;
//! - a request body is `<action> request` (`CreateContactRequest`), the types inside it
//!   `<action> <member>…` (`CreateContactProperties`), a response `<action> response`;
//! - a resource's parameter struct is `<method> params` in the resource's module
//!   (`conversations::HistoryParams`);
//! - an untagged union's branch is its title, its constant, or its kind; object branches that
//!   would share a kind are named by a constant or a member no other branch has
//!   (`typespace::schema::branches`);
//! - the connector handle's own methods are `alloy_user()` and `alloy_credential()`, so each
//!   resource accessor keeps the resource's plain name (`user()`, `credentials()`).
//! - a builder-style struct's setter (parameters, credential inputs, request bodies) is named
//!   like its field, or `with_<field>` where that would shadow `new` or a standard trait's
//!   method (`default`, `clone`) ([`setter_names`]).
//!
//! A resource's entity type is named after it, singular ([`entity_name`]: `customers` →
//! `Customer`, `line_items` → `LineItem`, `status` stays `Status`); which shape is the entity
//! is the emitter's choice (`emit::entities`).
//!
//! A resource's action methods are named together ([`method_names`]): a method does not
//! repeat its resource (`conversations().history()`, not `conversations_history()`), by
//! dropping a leading copy of the module name, singular or plural, when the rest is a letter-led,
//! non-keyword name no other action of the resource has or gets.
//!
//! An enum's values are named together ([`enum_variant_names`]), so a counter is the last
//! resort there, never the way two different values are told apart:
//!
//! - values whose names collide spell their symbols (`first_name` → `FirstUnderscoreName`
//!   beside `firstName` → `FirstName`);
//! - values that still collide differ only in case and are named by it, all of them, so none
//!   looks like the canonical one: `self`, `Self`, `SELF`, `fooBar`, `FooBar` →
//!   `SelfLower`, `SelfCapitalized`, `SelfUpper`, `FooBarCamel`, `FooBarMixed`;
//! - the catch-all variant for values the schema does not list is `Other`, or when a value
//!   takes that name, the first free of `Unknown`, `UnknownValue`, `OtherValue`; a union's
//!   catch-all ([`catch_all_name`]) likewise makes way for a branch named `Other` or `Unknown`.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

mod case;
mod methods;
mod namespace;
mod rest;
mod titles;
mod variants;

pub use methods::{action_method_names, method_names, setter_names};
pub use namespace::Namespace;
pub use rest::ActionRoute;
pub use titles::title_type_name;
pub use variants::{catch_all_name, enum_variant_names};

/// Keywords of every edition up to 2024, plus reserved words, that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "_",
];

/// Whether `ident` is a Rust keyword (strict, reserved, or edition-specific).
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// Splits `raw` into ASCII words heck can case-convert: non-ASCII characters become `u<hex>`
/// words, other punctuation becomes a word break, an acronym's plural one word.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if crate::rustdoc::is_bidi_control(c) {
            // Invisible and meaningless in a name; kept as `u202e` it would read as noise.
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:04x} ", u32::from(c)));
        }
    }
    join_acronym_plurals(&mut out);
    out
}

/// `URIs` → `Uris`: heck would start a word at the last capital before a lowercase letter
/// (`UR` + `Is`); an acronym of two or more capitals followed by a lone `s` is one word.
fn join_acronym_plurals(words: &mut String) {
    let bytes = words.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_uppercase() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_uppercase() {
            i += 1;
        }
        let plural = i - start >= 2
            && bytes.get(i) == Some(&b's')
            && !bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if plural {
            spans.push(start + 1..i);
        }
    }
    for span in spans {
        // ASCII only here, so byte ranges are char boundaries.
        let lower = words[span.clone()].to_ascii_lowercase();
        words.replace_range(span, &lower);
    }
}

fn finish_camel(name: String, empty: &str) -> String {
    let name = if name.is_empty() {
        empty.to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    };
    if is_keyword(&name) {
        format!("{name}_")
    } else {
        name
    }
}

fn finish_snake(name: String, empty: &str) -> String {
    let name = if name.is_empty() {
        empty.to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v_{name}")
    } else {
        name
    };
    if is_keyword(&name) {
        format!("{name}_")
    } else {
        name
    }
}

/// The conversions worth remembering: the same property names recur across thousands of
/// schemas, and case conversion was a tenth of the type space's time.
#[derive(Clone, Copy)]
enum Memo {
    Type,
    Variant,
    Field,
}

/// Bound on remembered names per thread and style; past it the memo starts over.
const MEMO_LIMIT: usize = 65_536;

thread_local! {
    // Fx: the keys are short property names hashed millions of times, and not attacker-chosen
    // in a way that matters for a code generator.
    static MEMO: RefCell<[FxHashMap<String, String>; 3]> = RefCell::default();
}

fn memoized(which: Memo, raw: &str, convert: fn(&str) -> String) -> String {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let map = &mut memo[which as usize];
        if let Some(hit) = map.get(raw) {
            return hit.clone();
        }
        let name = convert(raw);
        if map.len() >= MEMO_LIMIT {
            map.clear();
        }
        map.insert(raw.to_owned(), name.clone());
        name
    })
}

/// A type name in `UpperCamelCase` (`create-contact request` → `CreateContactRequest`).
pub fn type_name(raw: &str) -> String {
    memoized(Memo::Type, raw, |raw| {
        finish_camel(case::upper_camel(&ascii_words(raw)), "Unnamed")
    })
}

/// Longest generated type name, in bytes. Names grow with nesting (`Parent` + `Field` + …)
/// and with path-derived action ids; past this, leading words are dropped (collisions are then
/// numbered like any other).
pub const MAX_TYPE_NAME: usize = 64;

/// [`type_name`] cut to its last words that fit [`MAX_TYPE_NAME`]: the most specific part.
pub fn bounded_type_name(raw: &str) -> String {
    let name = type_name(raw);
    if name.len() <= MAX_TYPE_NAME {
        return name;
    }
    let starts = camel_word_starts(&name);
    let cut = starts
        .iter()
        .copied()
        .find(|&i| name.len() - i <= MAX_TYPE_NAME)
        .unwrap_or(name.len() - MAX_TYPE_NAME);
    type_name(&name[cut..])
}

/// The name hint for the items of an array named by `hint`: its last word singular when it
/// is a plural (`…StepsItem` would read worse than `…Step`), else `…Item`.
pub fn item_hint(hint: &str) -> String {
    let name = type_name(hint);
    let last = camel_word_starts(&name).last().copied().unwrap_or(0);
    let word = name[last..].to_ascii_lowercase();
    let single = methods::singular(&word);
    // `As` is no plural of `A`.
    if single != word && single.len() >= 2 {
        format!("{}{}", &name[..last], type_name(&single))
    } else {
        format!("{name}Item")
    }
}

/// Byte offsets where the words of an `UpperCamelCase` name start (`0` first).
pub(super) fn camel_word_starts(name: &str) -> Vec<usize> {
    name.char_indices()
        .filter(|(i, c)| *i == 0 || c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect()
}

/// An enum variant name in `UpperCamelCase`; an empty value (`""`) is `Empty`.
pub fn variant_name(raw: &str) -> String {
    memoized(Memo::Variant, raw, |raw| {
        let name = case::upper_camel(&ascii_words(raw));
        if name.is_empty() && !raw.is_empty() {
            let spelled = variants::spell_symbols(raw, true);
            return finish_camel(case::upper_camel(&ascii_words(&spelled)), "Empty");
        }
        finish_camel(name, "Empty")
    })
}

/// A struct field name in `snake_case` (`firstName` → `first_name`, `type` → `type_`).
pub fn field_name(raw: &str) -> String {
    memoized(Memo::Field, raw, |raw| {
        finish_snake(case::snake(&ascii_words(raw)), "empty")
    })
}

/// The type name of what the resource whose module is `module` manages: the module name with
/// its last word singular (`customers` → `Customer`, `line_items` → `LineItem`).
pub fn entity_name(module: &str) -> String {
    let (head, last) = module.rsplit_once('_').unwrap_or(("", module));
    type_name(&format!("{head} {}", methods::singular(last)))
}

/// A function name in `snake_case`.
pub fn fn_name(raw: &str) -> String {
    finish_snake(case::snake(&ascii_words(raw)), "unnamed")
}

/// A module name in `snake_case`.
pub fn module_name(raw: &str) -> String {
    finish_snake(case::snake(&ascii_words(raw)), "unnamed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion_and_punctuation() {
        assert_eq!(type_name("create-contact request"), "CreateContactRequest");
        assert_eq!(type_name("HTTPServer"), "HttpServer");
        assert_eq!(field_name("firstName"), "first_name");
        assert_eq!(field_name("$ref"), "ref_");
        assert_eq!(field_name("@odata.type"), "odata_type");
        assert_eq!(fn_name("chat.postMessage"), "chat_post_message");
        assert_eq!(module_name("CRM Imports"), "crm_imports");
    }

    #[test]
    fn long_names_keep_their_end() {
        let long = "Create".repeat(5) + &"Flow".repeat(20) + "ActionItem";
        let short = bounded_type_name(&long);
        assert!(short.len() <= MAX_TYPE_NAME, "{short}");
        assert!(short.ends_with("FlowActionItem"), "{short}");
        assert_eq!(bounded_type_name("short"), "Short");
    }

    #[test]
    fn array_items_are_singular() {
        assert_eq!(item_hint("FlowSteps"), "FlowStep");
        assert_eq!(item_hint("CustomerAddresses"), "CustomerAddress");
        assert_eq!(item_hint("JobData"), "JobDataItem");
        assert_eq!(item_hint("OrderStatus"), "OrderStatusItem");
        assert_eq!(item_hint("Is"), "IsItem");
        assert_eq!(
            item_hint("createContact response"),
            "CreateContactResponseItem"
        );
    }

    #[test]
    fn entities_are_singular() {
        assert_eq!(entity_name("customers"), "Customer");
        assert_eq!(entity_name("line_items"), "LineItem");
        assert_eq!(entity_name("categories"), "Category");
        assert_eq!(entity_name("addresses"), "Address");
        assert_eq!(entity_name("status"), "Status");
        assert_eq!(entity_name("user"), "User");
    }

    #[test]
    fn acronym_plurals_stay_one_word() {
        assert_eq!(type_name("URIs"), "Uris");
        assert_eq!(fn_name("getAllWellKnownURIs"), "get_all_well_known_uris");
        assert_eq!(field_name("redirectURIsForApp"), "redirect_uris_for_app");
        assert_eq!(type_name("APIs list"), "ApisList");
        assert_eq!(field_name("IDs"), "ids");
        // Not a plural: the `s` starts a word, or the capitals are one letter.
        assert_eq!(type_name("IDsomething"), "IDsomething");
        assert_eq!(type_name("AsString"), "AsString");
        assert_eq!(type_name("HTTPServer"), "HttpServer");
    }

    #[test]
    fn keywords_digits_empty_unicode() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("gen"), "gen_");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(variant_name("self"), "Self_");
        assert_eq!(variant_name("200"), "V200");
        assert_eq!(field_name("1st line"), "v_1st_line");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(field_name("---"), "empty");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("café"), "CafU00e9");
        assert_eq!(field_name("日本"), "u65e5_u672c");
        assert_eq!(field_name("cursor\u{202e}"), "cursor");
        assert_eq!(variant_name("\u{2066}rtl\u{2069}\u{200f}"), "Rtl");
    }

    #[test]
    fn results_are_identifiers() {
        for raw in [
            "", "_", "__", "9", "a b", "Ω", "🎉x", "x-1", "-1", "+1", "None", "r#type",
        ] {
            for name in [
                type_name(raw),
                variant_name(raw),
                field_name(raw),
                fn_name(raw),
                module_name(raw),
            ] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{raw:?} → {name:?}"
                );
            }
        }
    }
}
