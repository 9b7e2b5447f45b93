//! Case conversion of the ASCII text [`super::ascii_words`] makes: heck's word rules, on bytes.
//!
//! heck converts any Unicode text, writing each character through `fmt` with its Unicode case
//! mapping; names are converted a few million times per regenerate, and that was a twentieth
//! of the generator's time. The words are split exactly as heck splits them (a test checks
//! the two agree on arbitrary text), so every generated name is unchanged.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `text` in `UpperCamelCase`, as heck's `to_upper_camel_case` gives it.
pub(super) fn upper_camel(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_upper_camel_case();
    }
    let mut out = String::with_capacity(text.len());
    words(text, |word| {
        let (first, rest) = word.split_at(1);
        out.push_str(&first.to_ascii_uppercase());
        out.push_str(&rest.to_ascii_lowercase());
    });
    out
}

/// `text` in `snake_case`, as heck's `to_snake_case` gives it.
pub(super) fn snake(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_snake_case();
    }
    let mut out = String::with_capacity(text.len() + 4);
    words(text, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    });
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Boundary,
    Lowercase,
    Uppercase,
}

/// Calls `word` with each word of ASCII `text`, never an empty one: runs of alphanumerics,
/// split before a capital that follows a lowercase letter (`fooBar`) and before the last
/// capital of a run that a lowercase letter follows (`HTTPServer` → `HTTP`, `Server`).
/// Digits take the case of what precedes them.
fn words(text: &str, mut word: impl FnMut(&str)) {
    for run in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = run.as_bytes();
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                word(&run[start..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lowercase
            } else if c.is_ascii_uppercase() {
                Mode::Uppercase
            } else {
                mode
            };
            if next_mode == Mode::Lowercase && next.is_ascii_uppercase() {
                word(&run[start..=i]);
                start = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Uppercase && c.is_ascii_uppercase() && next.is_ascii_lowercase()
            {
                word(&run[start..i]);
                start = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_split_like_heck() {
        for (text, camel, snake_case) in [
            (
                "create contact request",
                "CreateContactRequest",
                "create_contact_request",
            ),
            ("HTTPServer", "HttpServer", "http_server"),
            ("getV2Items", "GetV2Items", "get_v2_items"),
            ("a1B2c3", "A1B2c3", "a1_b2c3"),
            ("__x__", "X", "x"),
            ("", "", ""),
            ("ABC", "Abc", "abc"),
        ] {
            assert_eq!(upper_camel(text), camel, "{text}");
            assert_eq!(snake(text), snake_case, "{text}");
            assert_eq!(text.to_upper_camel_case(), camel, "{text}");
            assert_eq!(text.to_snake_case(), snake_case, "{text}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_heck_on_ascii(text in "[a-zA-Z0-9 _.-]{0,24}") {
            prop_assert_eq!(upper_camel(&text), text.to_upper_camel_case());
            prop_assert_eq!(snake(&text), text.to_snake_case());
        }

        #[test]
        fn agrees_with_heck_on_any_text(text in any::<String>()) {
            prop_assert_eq!(upper_camel(&text), text.to_upper_camel_case());
            prop_assert_eq!(snake(&text), text.to_snake_case());
        }
    }
}
