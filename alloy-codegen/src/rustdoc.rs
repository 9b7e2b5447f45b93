//! Catalog descriptions → rustdoc that builds with warnings denied.
//!
//! Descriptions are the vendors' Markdown and HTML. The HTML is first rewritten as the Markdown
//! that renders the same ([`html`]). Rustdoc reads doc text as Markdown and would (a) compile every fenced or indented code block as a Rust doctest,
//! (b) warn about bare URLs, unclosed HTML tags and `[links]` that do not resolve. So the text
//! is rewritten, line by line, into Markdown with none of those:
//!
//! - fenced blocks become ` ```text ` blocks (fence long enough that the content cannot close
//!   it; an unclosed fence is closed at the end);
//! - leading indentation is dropped, so no indented code block can form;
//! - outside balanced code spans, `<` (and a line-leading `>`) is backslash-escaped (an entity
//!   would show as `&lt;` in the source a reader sees in their editor), as is an `&` that would
//!   start an entity; `[`/`]` are escaped unless they form an inline link to an absolute URL
//!   (whose text may hold code spans), and bare `http(s)://` URLs are wrapped in `<…>`;
//! - a backtick run that nothing closes on its line is escaped;
//! - carriage returns and other control characters are removed (a bare CR is an error in a
//!   doc comment), and so are bidi controls (rustc rejects them in comments).
//!
//! Each resulting line becomes one `#[doc = "…"]` attribute; `quote` escapes the string.
//!
//! While a crate is emitted ([`Deferred`]), outer docs are not attributes yet: each block is
//! one placeholder attribute, and [`splice_into`] puts the lines back into the formatted text.
//! Doc text is inert for `syn` and `prettyplease`, and parsing it line by line was a large part
//! of generation time (an action carries a dozen doc lines).

mod entities;
mod html;

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Starts a placeholder. Control characters never survive [`sanitize`], so no description
/// can produce one.
const MARK: char = '\u{1}';

thread_local! {
    /// Doc blocks waiting for [`splice`], by placeholder number; `None` outside [`Deferred`].
    static DEFERRED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// While alive, [`outer`] hands out placeholders on this thread (see the module docs).
#[derive(Debug)]
pub(crate) struct Deferred(());

impl Deferred {
    pub(crate) fn start() -> Self {
        DEFERRED.with(|d| *d.borrow_mut() = Some(Vec::new()));
        Self(())
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        DEFERRED.with(|d| *d.borrow_mut() = None);
    }
}

/// Outer doc attributes (`#[doc = "…"]`, one per line) for `text`, already rustdoc-safe.
pub(crate) fn outer(text: &str) -> TokenStream {
    let attrs = outer_attrs(text);
    quote! { #(#attrs)* }
}

/// [`outer`] as `syn` attributes, built directly: code assembled as `syn` nodes has one doc
/// block per field, and parsing each back from tokens was a visible cost.
pub(crate) fn outer_attrs(text: &str) -> Vec<syn::Attribute> {
    match defer(text) {
        Some(placeholder) => vec![doc_attribute(&placeholder)],
        None => doc_lines(text).map(|line| doc_attribute(&line)).collect(),
    }
}

/// [`doc_attrs`] as `syn` attributes (see [`outer_attrs`]).
pub(crate) fn doc_attr_list(text: Option<&str>) -> Vec<syn::Attribute> {
    match doc_text(text) {
        Some(text) => outer_attrs(&text),
        None => Vec::new(),
    }
}

/// The rustdoc-safe text of a description, `None` when nothing is left of it.
pub(crate) fn doc_text(text: Option<&str>) -> Option<String> {
    text.map(sanitize).filter(|t| !t.is_empty())
}

/// The placeholder standing for `text` while [`Deferred`], remembering the block.
fn defer(text: &str) -> Option<String> {
    DEFERRED.with(|d| {
        d.borrow_mut().as_mut().map(|blocks| {
            blocks.push(text.to_owned());
            format!("{MARK}{}", blocks.len() - 1)
        })
    })
}

/// `#[doc = "<line>"]`, as parsing `quote!(#[doc = #line])` gives it.
fn doc_attribute(line: &str) -> syn::Attribute {
    let span = proc_macro2::Span::call_site();
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: proc_macro2::Ident::new("doc", span).into(),
            eq_token: Default::default(),
            value: syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Str(syn::LitStr::new(line, span)),
            }),
        }),
    }
}

/// [`splice_into`] a text of its own.
#[cfg(test)]
pub(crate) fn splice(formatted: &str) -> String {
    let mut out = String::new();
    splice_into(&mut out, formatted);
    out
}

/// `formatted` with every placeholder line (`///<MARK>n`) replaced by the `///` lines of its
/// block, at the placeholder's indentation, appended to `out`: the printed files are tens of
/// megabytes, and a text of their own per file (then copied behind the header) was a fresh
/// allocation each time.
pub(crate) fn splice_into(out: &mut String, formatted: &str) {
    if !formatted.contains(MARK) {
        out.push_str(formatted);
        return;
    }
    // Doc blocks are usually longer than their placeholders.
    out.reserve(formatted.len() + formatted.len() / 2);
    DEFERRED.with(|d| {
        let blocks = d.borrow();
        // From placeholder to placeholder, copying the text between them whole: looking at
        // every line for one was a tenth of the printing.
        let mut rest = formatted;
        while let Some(at) = rest.find(MARK) {
            let start = rest[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
            out.push_str(&rest[..start]);
            let line = &rest[start..end];
            let block = (|| {
                let indent = line[..at - start].strip_suffix("///")?;
                if !indent.chars().all(char::is_whitespace) {
                    return None;
                }
                let n = line[at - start + MARK.len_utf8()..]
                    .trim_end_matches('\n')
                    .parse::<usize>()
                    .ok()?;
                Some((indent, blocks.as_ref()?.get(n)?))
            })();
            match block {
                Some((indent, text)) => push_doc_block(out, indent, text),
                None => out.push_str(line),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
    });
}

/// `text`'s `///` lines at `indent`, as prettyplease prints its doc attributes.
pub(crate) fn push_doc_block(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        out.push_str(indent);
        out.push_str("///");
        push_doc_line(out, line);
        out.push('\n');
    }
}

/// One line of a doc block after `///`, as prettyplease prints a [`doc_lines`] attribute: a
/// space, the text without bidi controls, no trailing spaces.
fn push_doc_line(out: &mut String, line: &str) {
    let start = out.len();
    out.push(' ');
    if line.is_ascii() {
        out.push_str(line);
    } else {
        out.extend(line.chars().filter(|c| !is_bidi_control(*c)));
    }
    let kept = out[start..].trim_end().len();
    out.truncate(start + kept);
}

/// Inner doc attributes (`#![doc = "…"]`) for a module or crate.
pub(crate) fn inner(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// Outer doc attributes for an optional description from a schema; nothing when it is
/// missing or blank.
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let attrs = doc_attr_list(text);
    quote! { #(#attrs)* }
}

/// Each line with the leading space a `///` comment would have, so printed comments read
/// `/// text`. Every doc line of a generated crate passes here, so this is where bidi controls
/// are dropped.
fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|line| {
        let line: String = line.chars().filter(|c| !is_bidi_control(*c)).collect();
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    })
}

/// Whether rustc rejects `c` in a comment or literal (`text_direction_codepoint_in_comment`,
/// `…_in_literal`, deny by default): the embedding, override and isolate controls and the
/// direction marks. Source with them could read differently from what compiles.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// Rewrites a catalog description into rustdoc-safe Markdown (see the module docs).
pub(crate) fn sanitize(raw: &str) -> String {
    let text = html::to_markdown(&normalize(raw));
    let mut out = String::with_capacity(text.len() + 16);
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(fence) = fence_open(trimmed) {
            let mut body = Vec::new();
            for inner in lines.by_ref() {
                if is_fence_close(inner.trim_start(), fence) {
                    break;
                }
                body.push(inner);
            }
            push_code_block(&mut out, &body);
            continue;
        }
        out.push_str(&inline(trimmed));
        out.push('\n');
    }
    trim_blank_edges(&out)
}

/// A literal block of text (examples, paths) that rustdoc shows as-is.
pub(crate) fn code_block(lang: &str, body: &str) -> String {
    let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
    format!("{fence}{lang}\n{body}\n{fence}")
}

/// Inline code for `text` (`` `x` ``), with a backtick run longer than any inside it.
pub(crate) fn code_span(text: &str) -> String {
    let text = normalize(text).replace('\n', " ");
    let ticks = "`".repeat(longest_run(&text, '`') + 1);
    // A span starting or ending with a backtick needs padding to be read correctly.
    if text.starts_with('`') || text.ends_with('`') {
        format!("{ticks} {text} {ticks}")
    } else {
        format!("{ticks}{text}{ticks}")
    }
}

/// The first sentence-ish line of a description, for one-line summaries.
pub(crate) fn first_line(raw: &str) -> Option<String> {
    let text = sanitize(raw);
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    // A summary that opens a code block would leave it unclosed.
    if line.starts_with("```") {
        return None;
    }
    Some(line.to_owned())
}

/// Line endings to `\n`; control characters other than tab and newline removed.
fn normalize(raw: &str) -> String {
    // Most descriptions have nothing to change: one scan and a copy, not three passes.
    if raw.chars().all(|c| c == '\n' || !c.is_control()) {
        return raw.to_owned();
    }
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect()
}

fn trim_blank_edges(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    let mut out = String::new();
    let mut blank = false;
    for line in &lines[start..end] {
        // Runs of blank lines carry no meaning in Markdown; one keeps paragraphs apart.
        if line.is_empty() {
            if blank {
                continue;
            }
            blank = true;
        } else {
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// The fence of an opening line (```` ``` ```` or `~~~`, three or more), if it is one.
fn fence_open(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = line.chars().take_while(|&x| x == c).count();
    if n < 3 {
        return None;
    }
    // A backtick fence's info string cannot contain a backtick (CommonMark 4.5).
    if c == '`' && line[n..].contains('`') {
        return None;
    }
    Some((c, n))
}

fn is_fence_close(line: &str, (c, n): (char, usize)) -> bool {
    let run = line.chars().take_while(|&x| x == c).count();
    run >= n && line[run * c.len_utf8()..].trim().is_empty()
}

fn push_code_block(out: &mut String, body: &[&str]) {
    let joined = body.join("\n");
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&code_block("text", joined.trim_end()));
    out.push_str("\n\n");
}

fn longest_run(text: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for x in text.chars() {
        if x == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// One line outside code blocks: escapes as described in the module docs.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    escape_line(line, true, &mut out);
    out
}

/// Escapes prose and keeps balanced code spans (and, with `links`, inline links to absolute
/// URLs) as written. A backtick run that nothing closes on the line is escaped, as CommonMark
/// would show it, so it cannot pair with one on a later line.
fn escape_line(line: &str, links: bool, out: &mut String) {
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let run = rest.bytes().take_while(|&b| b == b'`').count();
            let len = html::code_span_len(rest);
            if len > run {
                out.push_str(&rest[..len]);
            } else {
                out.push_str(&"\\`".repeat(run));
            }
            rest = &rest[len..];
            continue;
        }
        if links {
            if let Some((link, len)) = inline_link(rest) {
                out.push_str(&link);
                rest = &rest[len..];
                continue;
            }
            if let Some(len) = autolink_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
            if let Some(len) = bare_url_len(rest) {
                out.push('<');
                out.push_str(&rest[..len]);
                out.push('>');
                rest = &rest[len..];
                continue;
            }
        }
        let at_start = out.is_empty();
        match c {
            '<' => out.push_str("\\<"),
            // Only a line-leading `>` means something (a block quote).
            '>' if at_start => out.push_str("\\>"),
            '&' if entities::starts_entity(rest) => out.push_str("\\&"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// `[text](https://…)` at the start of `s`, with code spans allowed in the text: kept as a
/// link with its text escaped. Returns the rewritten link and the bytes consumed.
fn inline_link(s: &str) -> Option<(String, usize)> {
    let s_rest = s.strip_prefix('[')?;
    let close = link_text_len(s_rest)?;
    let text = &s_rest[..close];
    if text.trim().is_empty() {
        return None;
    }
    let after = s_rest[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let url = &after[..end];
    if !is_absolute_url(url)
        || url
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>')
    {
        return None;
    }
    let mut escaped = String::from("[");
    escape_line(text, false, &mut escaped);
    let consumed = 1 + close + 2 + end + 1;
    Some((format!("{escaped}]({url})"), consumed))
}

/// Bytes before the `]` that ends a link text, skipping code spans; `None` when a `[` comes
/// first or nothing closes it.
fn link_text_len(s: &str) -> Option<usize> {
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        match c {
            ']' => return Some(i),
            '[' => return None,
            '`' => i += html::code_span_len(&s[i..]),
            c => i += c.len_utf8(),
        }
    }
    None
}

fn is_absolute_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Length of a Markdown autolink (`<https://…>`) at the start of `s`.
fn autolink_len(s: &str) -> Option<usize> {
    let url = s.strip_prefix('<')?;
    let end = url.find('>')?;
    let url = &url[..end];
    let plain = !url.chars().any(|c| c.is_whitespace() || c == '<');
    (is_absolute_url(url) && bare_url_len(url) == Some(url.len()) && plain).then_some(end + 2)
}

/// Length of a bare `http(s)://` URL at the start of `s`, without trailing punctuation.
fn bare_url_len(s: &str) -> Option<usize> {
    if !is_absolute_url(s) {
        return None;
    }
    let end = s
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`' | '[' | ']' | '(' | ')')
        })
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '*', '_']);
    let scheme_len = if url.starts_with("https://") { 8 } else { 7 };
    (url.len() > scheme_len).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deferred_docs_are_spliced_back_after_formatting() {
        let text = "Summary with `code` and \"quotes\"\n\nSecond paragraph  ";
        let item = |doc: TokenStream| {
            let tokens = quote! { #doc pub struct S { #doc pub f: u8 } };
            prettyplease::unparse(&syn::parse2(tokens).unwrap())
        };
        let direct = item(outer(text));
        let spliced = {
            let _deferred = Deferred::start();
            let formatted = item(outer(text));
            assert!(formatted.contains(MARK), "{formatted}");
            splice(&formatted)
        };
        assert_eq!(spliced, direct);
        assert!(
            !outer("x").to_string().contains(MARK),
            "only while deferred"
        );
    }

    #[test]
    fn attributes_built_directly_match_the_parsed_tokens() {
        let tokens = |attrs: Vec<syn::Attribute>| quote!(#(#attrs)*).to_string();
        for text in ["one line", "two\n\n lines \"quoted\" \\ `x`", ""] {
            let lines = doc_lines(text);
            let expected = quote! { #( #[doc = #lines] )* };
            assert_eq!(tokens(outer_attrs(text)), expected.to_string(), "{text:?}");
            let _deferred = Deferred::start();
            let placeholder = format!("{MARK}0");
            assert_eq!(
                tokens(outer_attrs(text)),
                quote!(#[doc = #placeholder]).to_string(),
                "{text:?} deferred"
            );
        }
        assert!(doc_attr_list(Some("  ")).is_empty());
        assert_eq!(
            tokens(doc_attr_list(Some("a <b>"))),
            tokens(outer_attrs(&sanitize("a <b>")))
        );
    }

    #[test]
    fn missing_or_blank_schema_docs_emit_nothing() {
        assert!(doc_attrs(None).is_empty());
        assert!(doc_attrs(Some("  \n ")).is_empty());
        let attrs = doc_attrs(Some("See [the docs] <b>now</b> https://x.example")).to_string();
        assert!(attrs.contains(r"\\[the docs\\]"), "{attrs}");
        assert!(attrs.contains("**now**"), "{attrs}");
        assert!(attrs.contains("<https://x.example>"), "{attrs}");
    }

    #[test]
    fn fences_become_text_blocks_and_unclosed_ones_close() {
        let s = sanitize("Intro\n```json\n{\"a\": 1}\n```\nafter\n    indented code\n```\nopen");
        assert_eq!(
            s,
            "Intro\n\n```text\n{\"a\": 1}\n```\n\nafter\nindented code\n\n```text\nopen\n```"
        );
    }

    #[test]
    fn escapes_html_links_and_urls() {
        assert_eq!(sanitize("<p>Hi</p> [x] a]"), "Hi\n\n\\[x\\] a\\]");
        assert_eq!(
            sanitize("a &lt;p&gt; &amp;lt; <Tax> -> b\n> quote"),
            "a \\<p> \\&lt; \\<Tax> -> b\n\\> quote"
        );
        assert_eq!(
            sanitize("[`a`](https://x.io) and [b `]`](https://y.io)"),
            "[`a`](https://x.io) and [b `]`](https://y.io)"
        );
        assert_eq!(sanitize("see https://x.io/a."), "see <https://x.io/a>.");
        assert_eq!(sanitize("at <https://x.io/a>"), "at <https://x.io/a>");
        assert_eq!(
            sanitize("[docs](https://x.io) [rel](/a)"),
            "[docs](https://x.io) \\[rel\\](/a)"
        );
        assert_eq!(sanitize("`<b>` and `x"), "`<b>` and \\`x");
        assert_eq!(sanitize("use `a[0] <b>` ok"), "use `a[0] <b>` ok");
        assert_eq!(sanitize("a\r\nb\u{7}c */ #[x]"), "a\nbc */ #\\[x\\]");
    }

    #[test]
    fn bidi_controls_never_reach_a_doc_line() {
        let text = "a\u{202e}b\u{2066}c\u{2069}\u{200f}\u{061c}d `\u{202a}x`";
        let attrs = outer(&sanitize(text)).to_string();
        assert!(!attrs.chars().any(is_bidi_control), "{attrs}");
        assert!(attrs.contains("abcd `x`"), "{attrs}");
        let _deferred = Deferred::start();
        let item = quote! { #[doc = "\u{1}0"] pub struct S; }.to_string();
        let _ = outer(text);
        let spliced = splice(&prettyplease::unparse(&syn::parse_str(&item).unwrap()));
        assert!(!spliced.chars().any(is_bidi_control), "{spliced}");
    }

    #[test]
    fn code_spans_and_blocks_cannot_be_closed_by_content() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
        assert_eq!(code_block("text", "```\nx"), "````text\n```\nx\n````");
    }
}
