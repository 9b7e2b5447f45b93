//! The HTML that vendors put in descriptions → Markdown, before the text is made rustdoc-safe.
//!
//! Descriptions mix Markdown and HTML (`<p>`, `<br>`, `<a href>`, `<code>`, `<b>`, lists,
//! tables) and entities (`&amp;`, `&#39;`). Rustdoc would either warn about the tags or, once
//! they are escaped, show them as text; so each element a reader would see is rewritten as the
//! Markdown that renders the same way:
//!
//! - `<p>`, `<div>`, `<br>`, headings, `<blockquote>`, `<hr>`: paragraph breaks (a heading's text
//!   in bold), because a break inside a `///` block otherwise joins lines into one paragraph;
//! - `<a href>`: `[text](url)` for an absolute URL, the bare text otherwise (a relative link
//!   points into the vendor's site and cannot resolve in a crate's docs);
//! - `<code>`/`<tt>`/`<kbd>`: a code span; `<pre>`: a `text` code block;
//! - `<b>`/`<strong>`, `<i>`/`<em>`: `**…**`, `*…*`, with surrounding spaces moved outside the
//!   markers (CommonMark does not open emphasis before a space);
//! - `<ul>`/`<ol>`/`<li>`: `-` and `1.` items; `<table>`: a Markdown table;
//! - entities are decoded to the characters they stand for (the caller escapes them again
//!   where Markdown would read them).
//!
//! Anything else (unknown tags such as XML in an example, a `<` that starts no tag) is left as
//! text for the caller to escape, and so are fenced blocks and code spans: they show markup
//! on purpose (a block escaped for an HTML page, with `&lt;` but no `<`, is decoded).

use std::borrow::Cow;

use super::entities::{decode_entities, entity};

/// Tags that are converted; any other `<name>` is text.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "blockquote",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "dl",
    "dt",
    "dd",
];
const IGNORED: &[&str] = &[
    "span", "u", "small", "sup", "sub", "font", "thead", "tbody", "tfoot", "ins", "mark", "abbr",
    "caption", "colgroup", "col", "img", "s", "del", "strike",
];

/// `text` with its HTML rewritten as Markdown (see the module docs). Text without `<` or `&`
/// is returned unchanged.
pub(crate) fn to_markdown(text: &str) -> String {
    if !text.contains(['<', '&']) {
        return text.to_owned();
    }
    let mut conv = Converter::default();
    conv.run(text);
    conv.out
}

#[derive(Default)]
struct Converter {
    out: String,
    /// Open inline elements: the Markdown around them is written when they close.
    open: Vec<Inline>,
    /// Open lists: `None` for `<ul>`, the next number for `<ol>`.
    lists: Vec<Option<u32>>,
    table: Option<Table>,
}

struct Inline {
    tag: &'static str,
    start: usize,
    href: Option<String>,
}

#[derive(Default)]
struct Table {
    rows: usize,
    cells: Vec<String>,
    cell_start: Option<usize>,
}

struct Tag<'a> {
    name: String,
    closing: bool,
    attrs: &'a str,
    len: usize,
}

impl Converter {
    fn run(&mut self, text: &str) {
        let mut rest = text;
        let mut line_start = true;
        while let Some(c) = rest.chars().next() {
            if line_start && let Some(len) = fenced_block_len(rest) {
                self.text(&unescape_block(&rest[..len]));
                rest = &rest[len..];
                continue;
            }
            line_start = c == '\n';
            let consumed = match c {
                '`' => {
                    let len = code_span_len(rest);
                    self.text(&rest[..len]);
                    len
                }
                '<' => match parse_tag(rest) {
                    Some(tag) => self.tag(&tag, &rest[tag.len..]),
                    None if rest.starts_with("<!--") => {
                        rest.find("-->").map_or(rest.len(), |end| end + 3)
                    }
                    None => {
                        self.text("<");
                        1
                    }
                },
                '&' => match entity(rest) {
                    Some((decoded, len)) => {
                        self.text(&decoded);
                        len
                    }
                    None => {
                        self.text("&");
                        1
                    }
                },
                c => {
                    self.text(&rest[..c.len_utf8()]);
                    c.len_utf8()
                }
            };
            rest = &rest[consumed..];
        }
        while let Some(inline) = self.open.pop() {
            self.close_inline(inline);
        }
        if self.table.is_some() {
            self.end_table();
        }
    }

    fn text(&mut self, s: &str) {
        // Between a table's cells only whitespace is expected; it would end the table.
        if let Some(t) = &self.table
            && t.cell_start.is_none()
            && s.trim().is_empty()
        {
            return;
        }
        self.out.push_str(s);
    }

    /// Handles one recognized tag; returns the bytes consumed from the tag's start.
    fn tag(&mut self, tag: &Tag<'_>, after: &str) -> usize {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("br", _) => self.block_break(),
            ("code" | "tt" | "kbd" | "samp" | "pre", false) => {
                return tag.len + self.code(name, after);
            }
            ("a", false) => self.open.push(Inline {
                tag: "a",
                start: self.out.len(),
                href: attr(tag.attrs, "href").map(|h| decode_entities(&h)),
            }),
            ("b" | "strong", false) => self.open_inline("**"),
            ("i" | "em" | "cite" | "var", false) => self.open_inline("*"),
            ("a", true) => self.close_named("a"),
            ("b" | "strong", true) => self.close_named("**"),
            ("i" | "em" | "cite" | "var", true) => self.close_named("*"),
            ("ul", false) => self.open_list(None),
            ("ol", false) => self.open_list(Some(1)),
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.out.push_str("\n\n");
            }
            ("li", false) => {
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_owned(),
                };
                self.out.push('\n');
                self.out.push_str(&marker);
            }
            ("li", true) => {}
            ("table", false) => {
                self.out.push_str("\n\n");
                self.table = Some(Table::default());
            }
            ("table", true) => self.end_table(),
            ("tr", _) => self.end_row(),
            ("td" | "th", false) => {
                self.end_cell();
                let start = self.out.len();
                if let Some(t) = &mut self.table {
                    t.cell_start = Some(start);
                }
            }
            ("td" | "th", true) => self.end_cell(),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.block_break();
                self.open_inline("**");
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.close_named("**");
                self.block_break();
            }
            (n, _) if BLOCK.contains(&n) => self.block_break(),
            _ => {}
        }
        tag.len
    }

    fn block_break(&mut self) {
        if self.table.as_ref().is_some_and(|t| t.cell_start.is_some()) {
            self.out.push(' ');
        } else {
            self.out.push_str("\n\n");
        }
    }

    fn open_inline(&mut self, marker: &'static str) {
        self.open.push(Inline {
            tag: marker,
            start: self.out.len(),
            href: None,
        });
    }

    fn close_named(&mut self, tag: &str) {
        // A closing tag with no matching opening one is dropped; one that skips open
        // elements closes them too, as browsers do.
        if let Some(i) = self.open.iter().rposition(|o| o.tag == tag) {
            while self.open.len() > i {
                if let Some(inline) = self.open.pop() {
                    self.close_inline(inline);
                }
            }
        }
    }

    fn close_inline(&mut self, inline: Inline) {
        let Some(content) = self.out.get(inline.start..).map(str::to_owned) else {
            return;
        };
        let trimmed = content.trim();
        // Markers around a line break or nothing would show as text.
        if trimmed.is_empty() || trimmed.contains('\n') {
            return;
        }
        let lead = &content[..content.len() - content.trim_start().len()];
        let trail = &content[content.trim_end().len()..];
        let wrapped = match (inline.tag, inline.href) {
            ("a", Some(href)) if is_linkable(&href) => format!("[{trimmed}]({href})"),
            ("a", _) => return,
            (marker, _) => format!("{marker}{trimmed}{marker}"),
        };
        let replaced = format!("{lead}{wrapped}{trail}");
        self.out.truncate(inline.start);
        self.out.push_str(&replaced);
    }

    fn open_list(&mut self, first: Option<u32>) {
        self.lists.push(first);
        self.out.push_str("\n\n");
    }

    /// A code element's content up to its closing tag, as a code span (a block for `<pre>`);
    /// returns the bytes consumed after the opening tag. Without a closing tag the opening one
    /// is dropped.
    fn code(&mut self, name: &str, after: &str) -> usize {
        let Some((inner, len)) = element_content(after, name) else {
            return 0;
        };
        let content = decode_entities(&strip_tags(inner));
        if name == "pre" {
            let body = content.trim_matches('\n');
            self.block_break();
            self.out.push_str(&super::code_block("text", body));
            self.block_break();
        } else if !content.trim().is_empty() {
            self.out.push_str(&super::code_span(content.trim()));
        }
        len
    }

    fn end_cell(&mut self) {
        let Some(t) = &mut self.table else { return };
        let Some(start) = t.cell_start.take() else {
            return;
        };
        let cell = self.out[start..].split_whitespace().collect::<Vec<_>>();
        t.cells.push(cell.join(" ").replace('|', "\\|"));
        self.out.truncate(start);
    }

    fn end_row(&mut self) {
        self.end_cell();
        let Some(t) = &mut self.table else { return };
        if t.cells.is_empty() {
            return;
        }
        let cells = std::mem::take(&mut t.cells);
        let mut line = format!("\n| {} |", cells.join(" | "));
        if t.rows == 0 {
            line.push_str(&format!("\n|{}", " --- |".repeat(cells.len())));
        }
        t.rows += 1;
        self.out.push_str(&line);
    }

    fn end_table(&mut self) {
        self.end_row();
        self.table = None;
        self.out.push_str("\n\n");
    }
}

fn is_linkable(href: &str) -> bool {
    (href.starts_with("https://") || href.starts_with("http://"))
        && !href
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '`'))
}

/// A fenced block as written, or decoded when it was escaped for an HTML page: a block that
/// shows `&lt;` and `&gt;` but no `<` means `<` (Zendesk's JSON sample with
/// `"html_body": "&lt;div class=…&gt;"`: a JSON string never escapes so), and in Markdown a
/// code block shows entities as typed.
fn unescape_block(block: &str) -> Cow<'_, str> {
    if block.contains("&lt;") && block.contains("&gt;") && !block.contains('<') {
        Cow::Owned(decode_entities(block))
    } else {
        Cow::Borrowed(block)
    }
}

/// Length of a fenced code block starting at `s` (a line opening with three or more backticks
/// or tildes) through its closing fence or the end of the text.
fn fenced_block_len(s: &str) -> Option<usize> {
    let first_line = s.split('\n').next().unwrap_or(s);
    let fence = super::fence_open(first_line.trim_start())?;
    let mut pos = first_line.len();
    while pos < s.len() {
        let line_start = pos + 1;
        let line = s[line_start.min(s.len())..]
            .split('\n')
            .next()
            .unwrap_or("");
        pos = line_start + line.len();
        if super::is_fence_close(line.trim_start(), fence) {
            return Some(pos.min(s.len()));
        }
    }
    Some(s.len())
}

/// Length of the code span starting at `s` (a backtick run and the next run of the same length
/// on the line), or of the backtick run alone when nothing closes it.
pub(super) fn code_span_len(s: &str) -> usize {
    let run = s.bytes().take_while(|&b| b == b'`').count();
    let line_end = s.find('\n').unwrap_or(s.len());
    let mut i = run;
    let bytes = s.as_bytes();
    while i < line_end {
        if bytes[i] == b'`' {
            let start = i;
            while i < line_end && bytes[i] == b'`' {
                i += 1;
            }
            if i - start == run {
                return i;
            }
        } else {
            i += 1;
        }
    }
    run
}

/// A recognized tag at the start of `s`: `<name attrs>`, `</name>` or `<name/>`.
fn parse_tag(s: &str) -> Option<Tag<'_>> {
    let body = s.strip_prefix('<')?;
    let (closing, body) = match body.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    if !is_known(&name) {
        return None;
    }
    let after_name = &body[name_len..];
    if !after_name.starts_with(['>', '/', ' ', '\t', '\n']) {
        return None;
    }
    // The tag ends at the first `>` outside a quoted attribute value.
    let mut quote = None;
    for (i, c) in after_name.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<') => return None,
            (None, '>') => {
                let attrs = after_name[..i].trim_end_matches('/');
                let len = s.len() - after_name.len() + i + 1;
                return Some(Tag {
                    name,
                    closing,
                    attrs,
                    len,
                });
            }
            _ => {}
        }
    }
    None
}

fn is_known(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "br"
            | "code"
            | "em"
            | "i"
            | "kbd"
            | "li"
            | "ol"
            | "pre"
            | "samp"
            | "strong"
            | "table"
            | "td"
            | "th"
            | "tr"
            | "tt"
            | "ul"
            | "cite"
            | "var"
    ) || BLOCK.contains(&name)
        || IGNORED.contains(&name)
}

/// The value of attribute `name` in a tag's attribute text.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        let Some(value) = rest.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let value = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value.split_whitespace().next().unwrap_or(""),
        };
        return Some(value.to_owned());
    }
    None
}

/// The text before `</name>` (any case) in `s`, and the bytes through that closing tag.
fn element_content<'a>(s: &'a str, name: &str) -> Option<(&'a str, usize)> {
    let close = format!("</{name}");
    let lower = s.to_ascii_lowercase();
    let at = lower.find(&close)?;
    let end = lower[at..].find('>')? + at + 1;
    Some((&s[..at], end))
}

/// `s` without its tags (known or not): what a browser shows inside a code element.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        match parse_tag(after) {
            Some(tag) if tag.name == "br" => {
                out.push('\n');
                rest = &after[tag.len..];
            }
            Some(tag) => rest = &after[tag.len..],
            None => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::to_markdown as md;

    #[test]
    fn paragraphs_and_breaks() {
        assert_eq!(md("<p>One</p><p>Two</p>"), "\n\nOne\n\n\n\nTwo\n\n");
        assert_eq!(md("a<br>b<br/>c</br>"), "a\n\nb\n\nc\n\n");
        assert_eq!(md("plain text"), "plain text");
    }

    #[test]
    fn links_keep_absolute_urls_only() {
        assert_eq!(
            md(r#"see <a href="https://x.io/a?b=1&amp;c=2">the docs</a>."#),
            "see [the docs](https://x.io/a?b=1&c=2)."
        );
        assert_eq!(md(r##"you <a href="#pay">pay</a> it"##), "you pay it");
        assert_eq!(md("<a href='http://x.io'> </a>"), " ");
    }

    #[test]
    fn code_and_emphasis() {
        assert_eq!(
            md("<b>Required scope: </b><code>tasks:read</code>"),
            "**Required scope:** `tasks:read`"
        );
        assert_eq!(md("<code>a &lt;b&gt; `c`</code>"), "`` a <b> `c` ``");
        assert_eq!(md("<em>x</em> <strong>y<i>z</i></strong>"), "*x* **y*z***");
        assert_eq!(
            md("<pre>let x = 1;\n</pre>"),
            "\n\n```text\nlet x = 1;\n```\n\n"
        );
        assert_eq!(md("<code>never closed"), "never closed");
        assert_eq!(md("</b>stray"), "stray");
    }

    #[test]
    fn any_mix_of_fragments_converts_without_panicking() {
        let fragments = [
            "<p>",
            "</p>",
            "<a href=\"https://x.io\">",
            "</a>",
            "<b>",
            "</b>",
            "<code>",
            "</code>",
            "<pre>",
            "</pre>",
            "<ul><li>",
            "</li></ul>",
            "<table><tr><td>",
            "</td></tr></table>",
            "&amp;",
            "&#x1F600;",
            "&é;",
            "é",
            "`",
            "```",
            "\n",
            "<",
            ">",
            "<!--",
            "-->",
            "'",
            "\"",
        ];
        for a in fragments {
            for b in fragments {
                for c in fragments {
                    let text = format!("{a}x{b}y{c}");
                    let _ = md(&text);
                    let _ = super::super::sanitize(&text);
                }
            }
        }
    }

    #[test]
    fn lists_and_tables() {
        assert_eq!(
            md("<ul>\n<li>A</li>\n<li>B</li>\n</ul>"),
            "\n\n\n\n- A\n\n- B\n\n\n"
        );
        assert_eq!(md("<ol><li>A<li>B</ol>"), "\n\n\n1. A\n2. B\n\n");
        assert_eq!(
            md(
                "<table>\n <tr>\n  <th>Field</th><th>Scope</th>\n </tr>\n <tr><td><code>a|b</code></td><td>x</td></tr></table>"
            ),
            "\n\n\n| Field | Scope |\n| --- | --- |\n| `a\\|b` | x |\n\n"
        );
    }

    #[test]
    fn entities_unknown_tags_and_code_stay_as_written() {
        assert_eq!(
            md("a &amp; b &#39;c&#x27; &bogus; &"),
            "a & b 'c' &bogus; &"
        );
        assert_eq!(md("&lt;p&gt; is text"), "<p> is text");
        assert_eq!(
            md("<TaxAmount>1</TaxAmount> a < b"),
            "<TaxAmount>1</TaxAmount> a < b"
        );
        assert_eq!(md("`<b>x</b>` <b>y</b>"), "`<b>x</b>` **y**");
        assert_eq!(md("```\n<p>x</p>\n```\n<p>y"), "```\n<p>x</p>\n```\n\n\ny");
        // A block escaped for an HTML page shows what it meant; one with markup stays.
        assert_eq!(
            md("```js\n\"a\": \"&lt;p dir=\"auto\"&gt;x&lt;/p&gt; &amp;\"\n```"),
            "```js\n\"a\": \"<p dir=\"auto\">x</p> &\"\n```"
        );
        assert_eq!(md("```\n<b>&lt;</b>\n```"), "```\n<b>&lt;</b>\n```");
        assert_eq!(md("<!-- note --><i>x</i>"), "*x*");
        assert_eq!(md("<p"), "<p");
    }
}
