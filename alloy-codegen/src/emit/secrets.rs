//! Which input names hold secrets, so their values never reach `Debug` output.

use heck::ToSnakeCase;

/// Words that mark a value as secret. Matching whole words keeps `monkey` or `tokenizer`
/// printable; redacting a harmless value by mistake (`sort_key`) costs nothing.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "key",
    "apikey",
    "authorization",
    "auth",
    "credential",
    "credentials",
    "signature",
    "cookie",
    "session",
    "pin",
];

/// Whether a field or parameter named `name` (any case style) likely holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let mut spaced = String::with_capacity(name.len());
    for c in name.chars() {
        spaced.push(if c.is_ascii_alphanumeric() { c } else { ' ' });
    }
    spaced
        .to_snake_case()
        .split('_')
        .any(|word| SECRET_WORDS.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_words() {
        for name in [
            "apiKey",
            "api_key",
            "password",
            "X-Auth-Token",
            "token",
            "client_secret",
            "key",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "subdomain",
            "monkey",
            "tokenizer",
            "username",
            "domain",
            "limit",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
