//! Whether a sample object's keys are data (ids, hashes, dates, labels) rather than member
//! names: such an object is a map (`BTreeMap<String, T>`), not a struct with a field per key
//! one sample happened to hold.
//!
//! Member names are identifiers made of words: `firstName`, `created_at`, `address2`,
//! `has_2fa`, `thumb_360_gif`, `@type`. Data keys are not:
//!
//! - **plainly data**: a number (`10001`), a date or time or phone number (digits between
//!   `-`, `/`, `:`, `.`, `T`, `Z`: `2024-01-05`, `415-555-1234`), an e-mail address, a UUID or
//!   hex hash, a key led by a symbol (`+1`, `+14155551234`), a label with spaces (`Food group`),
//!   or a token whose letters and digits alternate three times or more (`C0T8SE4AU`);
//! - **token-like**: a part whose letters and digits alternate twice (`U023BECGF`, `a08k`,
//!   `3vs0`), which a name can have too (`b13a_filing_option`); a size (`16x16`) is a name's.
//!
//! An object is a map when every key is plainly data; or when no key is a word-made name, there
//! are two keys or more, and the values have one shape; or when it has three keys or more, most
//! of them data, and values of one shape (Notion's `{"Name": …, "Food group": …, "+1": …}`).
//! The last two ask for values of one shape because a struct's members rarely share one.

/// How a key reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyKind {
    /// An identifier made of words.
    Name,
    /// Letters and digits mixed like an id, though a name can look so too.
    Token,
    /// Not a member name.
    Data,
}

/// Whether an object with `keys` is keyed by data; `one_shape` says whether its values merge
/// into one shape.
pub(super) fn is_data_keyed<'k>(keys: impl IntoIterator<Item = &'k str>, one_shape: bool) -> bool {
    let (mut total, mut data, mut tokens) = (0usize, 0usize, 0usize);
    for key in keys {
        total += 1;
        match key_kind(key) {
            KeyKind::Data => data += 1,
            KeyKind::Token => tokens += 1,
            KeyKind::Name => {}
        }
    }
    if total == 0 {
        return false;
    }
    data == total
        || (one_shape && data + tokens == total && total >= 2)
        || (one_shape && total >= 3 && 2 * data > total)
}

pub(super) fn key_kind(key: &str) -> KeyKind {
    if plainly_data(key) {
        return KeyKind::Data;
    }
    let parts = key.split(|c: char| !c.is_ascii_alphanumeric());
    let most = parts
        .filter(|part| !is_measure(part))
        .map(alternations)
        .max()
        .unwrap_or(0);
    match most {
        0..=1 => KeyKind::Name,
        2 => KeyKind::Token,
        _ => KeyKind::Data,
    }
}

fn plainly_data(key: &str) -> bool {
    let Some(first) = key.chars().next() else {
        return false;
    };
    let digits = key.bytes().filter(u8::is_ascii_digit).count();
    let numeric = digits > 0
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-/:.TZ ".contains(&b));
    let symbol_led = !first.is_ascii_alphanumeric() && !matches!(first, '_' | '$' | '@');
    let email = key
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
    let hex = |part: &str| part.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<&str> = key.split('-').collect();
    let uuid = (parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) || key.len() == 32)
        && parts.iter().all(|p| hex(p));
    let label = key.trim().contains(' ');
    numeric || symbol_led || email || uuid || label
}

/// Digits, one letter, digits: a size (`16x16`, `1024x1024`), which fixed members are named by
/// (Jira's `avatarUrls`, Asana's `image_128x128`).
fn is_measure(part: &str) -> bool {
    let letters: Vec<usize> = (0..part.len())
        .filter(|&i| part.as_bytes()[i].is_ascii_alphabetic())
        .collect();
    matches!(letters.as_slice(), [i] if *i > 0 && *i + 1 < part.len())
}

/// How often a part switches between letters and digits (`a08k` → 2, `image1` → 1).
fn alternations(part: &str) -> usize {
    let bytes = part.as_bytes();
    bytes
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_names_tokens_or_data() {
        for name in [
            "firstName",
            "created_at",
            "address2",
            "has_2fa",
            "thumb_360_gif",
            "@type",
            "$ref",
            "usage_7d",
            "org_field_1",
            "x86_64",
            "image_1024",
            "16x16",
            "image_1024x1024",
        ] {
            assert_eq!(key_kind(name), KeyKind::Name, "{name}");
        }
        for token in [
            "U023BECGF",
            "af_mw_a08k_r_mif_3vs0_oe",
            "3vs0",
            "b13a_number",
        ] {
            assert_eq!(key_kind(token), KeyKind::Token, "{token}");
        }
        for data in [
            "10001",
            "2024-01-05",
            "2024-01-05T10:00:00Z",
            "415-555-1234",
            "+14155551234",
            "jane@example.com",
            "123e4567-e89b-12d3-a456-426614174000",
            "d41d8cd98f00b204e9800998ecf8427e",
            "C0T8SE4AU",
            "3f2a9c1",
            "Food group",
            "+1",
        ] {
            assert_eq!(key_kind(data), KeyKind::Data, "{data}");
        }
    }

    #[test]
    fn objects_are_maps_by_their_whole_key_set() {
        assert!(is_data_keyed(["10000", "10001"], false));
        assert!(is_data_keyed(["U023BECGF", "W058CJVAA"], true));
        assert!(is_data_keyed(
            ["af_mw_a08k_r_mif_3vs0_oe", "bq_zz_k9x2_t_pa_0ee1_xy"],
            true
        ));
        assert!(!is_data_keyed(["16x16", "24x24", "32x32"], true));
        let notion = [
            "+1",
            "Description",
            "Food group",
            "In stock",
            "Last ordered",
            "Name",
        ];
        assert!(is_data_keyed(notion, true));
        // Names, or tokens whose values differ in shape, or one token among names.
        assert!(!is_data_keyed(
            ["firstName", "created_at", "address2"],
            true
        ));
        assert!(!is_data_keyed(["U023BECGF", "W058CJVAA"], false));
        assert!(!is_data_keyed(
            ["b13a_number", "b13a_filing_option", "certify"],
            true
        ));
        assert!(!is_data_keyed(["U023BECGF"], true));
        assert!(!is_data_keyed(["Food group", "name", "id"], false));
        assert!(!is_data_keyed([], true));
    }
}
