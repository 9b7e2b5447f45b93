//! Labels and hints read by people, from member names, titles and Markdown descriptions.

use serde_json::Value;

/// The schema's `title`, or a label made from the member's name.
pub(crate) fn title_or_label(schema: &Value, member: &str) -> String {
    match schema.get("title").and_then(Value::as_str).map(str::trim) {
        Some(title) if !title.is_empty() => title.to_owned(),
        _ => label(member),
    }
}

/// Descriptions are Markdown; a hint shows them as plain text.
pub fn plain(markdown: &str) -> String {
    markdown
        .replace("**", "")
        .replace("__", "")
        .replace('`', "")
}

/// Words a label spells in capitals.
const ACRONYMS: [&str; 6] = ["api", "id", "url", "uri", "ip", "sku"];

/// `firstName`, `first_name` → `First name`; `apiKey` → `API key`.
pub fn label(member: &str) -> String {
    let mut words = String::new();
    let mut previous_lower = false;
    for c in member.chars() {
        if c == '_' || c == '-' || c == '.' {
            words.push(' ');
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(' ');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        words.extend(c.to_lowercase());
    }
    let words: Vec<String> = words
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            if ACRONYMS.contains(&word) {
                word.to_uppercase()
            } else if i == 0 {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_owned()
            }
        })
        .collect();
    if words.is_empty() {
        member.to_owned()
    } else {
        words.join(" ")
    }
}
