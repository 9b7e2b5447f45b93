//! Checks shared by the type-space tests.

/// Struct definitions are written as text in prettyplease's layout (not printed by it): each
/// struct of `text`, printed again by prettyplease, is found where it stands, unchanged.
/// (prettyplease does not print every item of `types.rs` back as it printed it from tokens, so
/// the check is on structs only.) The first struct that differs is the error, both ways.
pub fn structs_in_prettyplease_layout(text: &str) -> Result<(), String> {
    let file = syn::parse_file(text).map_err(|e| format!("does not parse: {e}"))?;
    let mut rest = text;
    for item in file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let name = item.ident.to_string();
        let printed = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Struct(item)],
        });
        // The struct's first line is its doc or its derive, right after a line break.
        let Some(at) = rest.find(&printed) else {
            let written = rest
                .find(&format!("pub struct {name} "))
                .map(|end| {
                    let start = rest[..end].rfind("\n}\n").map_or(0, |i| i + 3);
                    let close = rest[end..]
                        .find("\n}\n")
                        .map_or(rest.len(), |i| end + i + 3);
                    &rest[start..close]
                })
                .unwrap_or("(not found)");
            return Err(format!(
                "struct {name} is not as prettyplease prints it:\n{written}\n--- prettyplease:\n{printed}"
            ));
        };
        rest = &rest[at + printed.len()..];
    }
    Ok(())
}
