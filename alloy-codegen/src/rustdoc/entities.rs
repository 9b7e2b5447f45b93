//! HTML character references (`&amp;`, `&#39;`, `&#x27;`): what they stand for, and whether
//! Markdown would read a literal `&` as one.

/// Whether `s` starts with something Markdown reads as an entity (`&name;`, `&#12;`), so a
/// literal `&` there must be escaped.
pub(super) fn starts_entity(s: &str) -> bool {
    let Some(body) = s.strip_prefix('&') else {
        return false;
    };
    let body = body.strip_prefix('#').unwrap_or(body);
    let name = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    name > 0 && body.as_bytes().get(name) == Some(&b';')
}

/// `s` with every entity decoded.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        match entity(&rest[i..]) {
            Some((decoded, len)) => {
                out.push_str(&decoded);
                rest = &rest[i + len..];
            }
            None => {
                out.push('&');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity at the start of `s` stands for, and its length.
pub(super) fn entity(s: &str) -> Option<(String, usize)> {
    // References are short; a `;` further on belongs to the text. Bytes, not a slice: byte 12
    // may fall inside a character.
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = s.get(1..end)?;
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
            "mdash" => '—',
            "ndash" => '–',
            "hellip" => '…',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "laquo" => '«',
            "raquo" => '»',
            "bull" => '•',
            "middot" => '·',
            "copy" => '©',
            "reg" => '®',
            "trade" => '™',
            "times" => '×',
            "divide" => '÷',
            "deg" => '°',
            "plusmn" => '±',
            "larr" => '←',
            "rarr" => '→',
            "euro" => '€',
            "pound" => '£',
            "yen" => '¥',
            "cent" => '¢',
            "sect" => '§',
            "para" => '¶',
            _ => return None,
        }
    };
    Some((c.to_string(), end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_numeric_references_decode() {
        assert_eq!(
            decode_entities("a &amp; b &#39;c&#x27; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
        assert_eq!(decode_entities("&#0; &#xD800; &nbsp;"), "&#0; &#xD800;  ");
        assert!(starts_entity("&lt; x") && starts_entity("&#12;"));
        // Multi-byte text right after an `&` is no reference and no panic.
        assert_eq!(decode_entities("&ééééééé;"), "&ééééééé;");
        assert_eq!(decode_entities("&é;"), "&é;");
        assert!(!starts_entity("& x") && !starts_entity("&;") && !starts_entity("AT&T"));
    }
}
