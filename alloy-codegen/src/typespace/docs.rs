//! Catalog descriptions → `#[doc]` attributes that are safe to compile and test.
//!
//! Descriptions are the vendors' Markdown or HTML. Rustdoc would run any code block in them as
//! a doctest, so fenced blocks are relabelled `text` (an unclosed fence is closed) and
//! indentation outside fences is capped at three columns, which rules out indented code blocks
//! while keeping nested lists.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line; nothing for empty text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitize(text);
    quote! { #(#[doc = #lines])* }
}

/// The lines of `text` as doc comment lines (each with a leading space, as `///` would give).
pub fn sanitize(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (&fence, marker) {
            (None, Some(m)) => {
                let run: String = trimmed.chars().take_while(|c| m.starts_with(*c)).collect();
                out.push(format!(" {run}text"));
                fence = Some(run);
                continue;
            }
            (Some(open), Some(_))
                if trimmed.trim_end().chars().all(|c| open.starts_with(c))
                    && trimmed.trim_end().len() >= open.len() =>
            {
                out.push(format!(" {open}"));
                fence = None;
                continue;
            }
            _ => {}
        }
        if fence.is_some() {
            out.push(format!(" {line}"));
        } else {
            out.push(format!(" {}", cap_indent(line)));
        }
    }
    if let Some(open) = fence {
        out.push(format!(" {open}"));
    }
    for line in &mut out {
        let kept = line.trim_end().len();
        line.truncate(kept);
    }
    out
}

/// The line with its leading whitespace reduced to at most three columns.
fn cap_indent(line: &str) -> String {
    let rest = line.trim_start();
    let columns: usize = line[..line.len() - rest.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();
    format!("{}{rest}", " ".repeat(columns.min(3)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_cannot_become_doctests() {
        let lines = sanitize("Example:\n```json\n{\"a\": 1}\n```\n\n        let x = 1;\n~~~\nopen");
        assert_eq!(
            lines,
            [
                " Example:",
                " ```text",
                " {\"a\": 1}",
                " ```",
                "",
                "    let x = 1;",
                " ~~~text",
                " open",
                " ~~~"
            ]
        );
    }

    #[test]
    fn empty_docs_emit_nothing() {
        assert!(doc_attrs(None).is_empty());
        assert!(doc_attrs(Some("  \n ")).is_empty());
    }
}
