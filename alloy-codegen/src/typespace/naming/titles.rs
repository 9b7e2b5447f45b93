//! Type names from schema titles.

use super::{MAX_TYPE_NAME, camel_word_starts, type_name};

/// Words that say what kind of thing a schema is, not which: a title made only of them
/// (`Object`, `Response`, `Request Body`, `Item`) names nothing.
const GENERIC: &[&str] = &[
    "any",
    "array",
    "body",
    "boolean",
    "data",
    "default",
    "details",
    "entity",
    "info",
    "input",
    "integer",
    "item",
    "items",
    "list",
    "model",
    "new",
    "null",
    "number",
    "object",
    "output",
    "param",
    "params",
    "parameter",
    "parameters",
    "payload",
    "properties",
    "record",
    "request",
    "response",
    "result",
    "results",
    "root",
    "schema",
    "string",
    "title",
    "type",
    "unknown",
    "untitled",
    "value",
    "values",
];

/// Words of a phrase rather than a name: a title with one (`From a rate`, `Name of the user`)
/// describes its schema.
const PHRASE: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "of", "on",
    "or", "the", "this", "to", "when", "with", "your",
];

/// Most words a title may have to be read as a name rather than a phrase.
const MAX_WORDS: usize = 5;

/// The type name a schema's `title` gives (`"payment_method_options_param"` →
/// `PaymentMethodOptionsParam`, `"FedEx Parcel Template"` → `FedExParcelTemplate`), if the title
/// reads as a name: ASCII, two to five words, not only generic words, within
/// [`MAX_TYPE_NAME`], no sentence punctuation or phrase words (`"COD Specify collection on
/// delivery details (UPS only)."`, `"From a rate"` describe), no leading digit. One word (`email`, `param`) is too generic to name a
/// type crate-wide; it still names a union's variant.
pub fn title_type_name(title: &str) -> Option<String> {
    let title = title.trim();
    let name_like = title.is_ascii()
        && title.starts_with(|c: char| c.is_ascii_alphabetic())
        && title
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'));
    if !name_like {
        return None;
    }
    let name = type_name(title);
    let starts = camel_word_starts(&name);
    if !(2..=MAX_WORDS).contains(&starts.len()) || name.len() > MAX_TYPE_NAME {
        return None;
    }
    let ends = starts.iter().skip(1).copied().chain([name.len()]);
    let words: Vec<&str> = starts.iter().zip(ends).map(|(&a, b)| &name[a..b]).collect();
    let is = |list: &[&str], word: &str| list.contains(&word.to_ascii_lowercase().as_str());
    let phrase = words.iter().any(|w| is(PHRASE, w));
    let generic = words.iter().all(|w| is(GENERIC, w));
    (!phrase && !generic).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_that_read_as_names_name_types() {
        assert_eq!(
            title_type_name("payment_method_options_param").as_deref(),
            Some("PaymentMethodOptionsParam")
        );
        assert_eq!(
            title_type_name(" FedEx Parcel Template ").as_deref(),
            Some("FedExParcelTemplate")
        );
        assert_eq!(
            title_type_name("AccountScope").as_deref(),
            Some("AccountScope")
        );
    }

    #[test]
    fn generic_phrased_or_odd_titles_do_not() {
        for title in [
            "",
            "Object",
            "param",
            "email",
            "Request Body",
            "response_data",
            "Item Object",
            "RequestBody",
            "COD Specify collection on delivery details (UPS only).",
            "From a rate",
            "Name of the user",
            "one two three four five six",
            "2fa settings",
            "café menu",
            "12",
            "A/B test",
        ] {
            assert_eq!(title_type_name(title), None, "{title:?}");
        }
    }
}
