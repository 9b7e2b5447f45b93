//! Printed text of items that differ only in a few names, printed once per shape.
//!
//! prettyplease lays code out by the structure of its syntax and the lengths of its tokens,
//! never by their letters. So an item whose varying parts are identifiers and string literals
//! (a setter, a `match` arm) is printed once with stand-ins of the same lengths, and each later
//! item of the same shape and lengths is that text with the stand-ins replaced: the text
//! prettyplease would print for it, without building its syntax. Tens of thousands of setters
//! and arms share a few thousand shapes.
//!
//! Stand-ins are made of characters the generator never puts in code (letters outside ASCII,
//! `$` in a literal), so they are found again in the printed text. A stand-in that is not
//! found exactly as often as its slot is used (a one-letter identifier's stand-in is an ASCII
//! capital, which a type's name can hold as a word of its own) leaves that shape uncached: its
//! items are printed one by one.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

/// A part of an item that varies between items of one shape.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot<'a> {
    /// An identifier, used `times` times in the item.
    Ident(&'a str, usize),
    /// The value of a string literal, used `times` times.
    Str(&'a str, usize),
}

impl Slot<'_> {
    fn times(self) -> usize {
        match self {
            Slot::Ident(_, times) | Slot::Str(_, times) => times,
        }
    }
}

/// Stand-in characters per slot: a two-byte and a three-byte letter for identifiers (any
/// length from two bytes up is a sum of them), an ASCII capital for a one-byte identifier, and
/// an ASCII character that a string literal prints unescaped.
const STAND_INS: [(char, char, char, char); 4] = [
    ('é', 'ḁ', 'Q', '$'),
    ('ö', 'ḃ', 'J', '@'),
    ('ü', 'ḅ', 'Z', '~'),
    ('ñ', 'ḇ', 'X', '`'),
];

/// The most slots an item may have.
pub(crate) const MAX_SLOTS: usize = STAND_INS.len();

thread_local! {
    /// Kept for the thread's life: the next crate's setters and arms have mostly the same
    /// shapes.
    static STENCILS: std::cell::RefCell<Stencils> = std::cell::RefCell::default();
}

/// Runs `f` with this thread's stencils (with empty ones if `f` is already running in a `with`
/// further up, rather than panicking on the second borrow).
pub(crate) fn with<R>(f: impl FnOnce(&mut Stencils) -> R) -> R {
    STENCILS.with(|stencils| match stencils.try_borrow_mut() {
        Ok(mut stencils) => f(&mut stencils),
        Err(_) => f(&mut Stencils::default()),
    })
}

/// prettyplease's text of `items`, as a file of them.
pub(crate) fn unparse(items: impl IntoIterator<Item = syn::Item>) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: items.into_iter().collect(),
    })
}

/// What prettyplease prints between the braces of `item` (a struct or impl without doc): the
/// lines of its fields or functions, which a stencil cuts out.
pub(crate) fn braced_body(item: syn::Item) -> syn::Result<String> {
    let printed = unparse([item]);
    printed
        .split_once("{\n")
        .and_then(|(_, body)| body.strip_suffix("}\n"))
        .map(str::to_owned)
        .ok_or_else(|| {
            syn::Error::new(
                proc_macro2::Span::call_site(),
                "an item printed without braces",
            )
        })
}

/// Where the items of a list (`match` arms, enum variants) go in `printed`: just after the
/// first `opening`, the line that opens the list.
pub(crate) fn list_start(printed: &str, opening: &str) -> Option<usize> {
    printed.find(opening).map(|at| at + opening.len())
}

/// The items `printed` lists between `opening` and the line holding its last `last` (the
/// catch-all arm or variant every such list ends with; an item's literal may hold the same
/// text, a later one cannot).
pub(crate) fn list_items<'a>(printed: &'a str, opening: &str, last: &str) -> Option<&'a str> {
    let start = list_start(printed, opening)?;
    let end = printed
        .rfind(last)
        .and_then(|at| printed[..at].rfind('\n'))
        .map(|at| at + 1)
        .filter(|&end| end >= start)?;
    Some(&printed[start..end])
}

/// How many bytes of shapes a thread keeps; past it, it starts over. Setter shapes name their
/// type, so a long catalog would otherwise add a little for every connector.
const MAX_BYTES: usize = 32 << 20;

/// The printed shapes of one thread.
#[derive(Default)]
pub(crate) struct Stencils {
    /// By a hash of the shape and the slots' lengths; the entry keeps both to check a hit.
    shapes: FxHashMap<u64, Vec<Entry>>,
    /// About how many bytes `shapes` holds.
    bytes: usize,
}

struct Entry {
    shape: String,
    lengths: [usize; MAX_SLOTS],
    /// `None` when the shape's stand-ins could not be found again: print each item.
    stencil: Option<Vec<Piece>>,
}

#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Slot(usize),
}

impl Piece {
    fn size(&self) -> usize {
        std::mem::size_of::<Self>()
            + match self {
                Piece::Text(text) => text.len(),
                Piece::Slot(_) => 0,
            }
    }
}

impl Stencils {
    /// Appends to `out` the text `print` gives for the item of `shape` (a key naming
    /// everything about the item but its slots) with `slots` filled in. `print` is given the
    /// slots' texts: the identifiers, and the values of the string literals.
    pub(crate) fn print(
        &mut self,
        out: &mut String,
        shape: &str,
        slots: &[Slot<'_>],
        print: impl Fn(&[&str]) -> syn::Result<String>,
    ) -> syn::Result<()> {
        if slots.len() > MAX_SLOTS {
            return print_direct(out, slots, &print);
        }
        // What replaces each stand-in: a literal's value as the literal prints it.
        let mut filled: [std::borrow::Cow<'_, str>; MAX_SLOTS] = Default::default();
        let mut lengths = [0; MAX_SLOTS];
        for (i, slot) in slots.iter().enumerate() {
            filled[i] = match *slot {
                Slot::Ident(name, _) => name.into(),
                Slot::Str(value, _) => literal_content(value).into(),
            };
            lengths[i] = filled[i].len();
        }
        let mut hasher = FxHasher::default();
        shape.hash(&mut hasher);
        lengths.hash(&mut hasher);
        if self.bytes > MAX_BYTES {
            self.shapes.clear();
            self.bytes = 0;
        }
        let entries = self.shapes.entry(hasher.finish()).or_default();
        let found = entries
            .iter()
            .position(|e| e.shape == shape && e.lengths == lengths);
        let at = match found {
            Some(at) => at,
            None => {
                let stencil = stand_ins(slots, &filled).and_then(|names| {
                    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                    Some(cut(&print(&refs).ok()?, slots, &names))
                });
                let stencil = stencil.flatten();
                self.bytes += shape.len()
                    + stencil.iter().flatten().map(Piece::size).sum::<usize>()
                    + std::mem::size_of::<Entry>();
                entries.push(Entry {
                    shape: shape.to_owned(),
                    lengths,
                    stencil,
                });
                entries.len() - 1
            }
        };
        match &entries[at].stencil {
            Some(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Slot(i) => out.push_str(&filled[*i]),
                    }
                }
                Ok(())
            }
            None => print_direct(out, slots, &print),
        }
    }
}

fn print_direct(
    out: &mut String,
    slots: &[Slot<'_>],
    print: &impl Fn(&[&str]) -> syn::Result<String>,
) -> syn::Result<()> {
    let values: Vec<&str> = slots
        .iter()
        .map(|slot| match *slot {
            Slot::Ident(text, _) | Slot::Str(text, _) => text,
        })
        .collect();
    out.push_str(&print(&values)?);
    Ok(())
}

/// What is between the quotes of the string literal holding `value`, as it prints.
fn literal_content(value: &str) -> String {
    let literal = proc_macro2::Literal::string(value).to_string();
    literal[1..literal.len() - 1].to_owned()
}

/// For each slot, a stand-in as long as its text (`filled`): an identifier made of the slot's
/// letters, or a literal value of its ASCII character; `None` if an identifier is empty.
fn stand_ins(slots: &[Slot<'_>], filled: &[std::borrow::Cow<'_, str>]) -> Option<Vec<String>> {
    slots
        .iter()
        .zip(filled)
        .zip(STAND_INS)
        .map(|((slot, text), (two, three, one, ascii))| {
            let n = text.len();
            match slot {
                Slot::Str(..) => Some(std::iter::repeat_n(ascii, n).collect()),
                Slot::Ident(..) if n == 0 => None,
                Slot::Ident(..) if n == 1 => Some(one.to_string()),
                Slot::Ident(..) => {
                    let mut name = String::with_capacity(n);
                    if n % 2 == 1 {
                        name.push(three);
                    }
                    name.extend(std::iter::repeat_n(two, (n - name.len()) / 2));
                    Some(name)
                }
            }
        })
        .collect()
}

/// `printed` cut at each stand-in of `names`; `None` unless each is found as often as its slot
/// is used, and no other stand-in character is left.
fn cut(printed: &str, slots: &[Slot<'_>], names: &[String]) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut seen = [0usize; MAX_SLOTS];
    let mut rest = printed;
    let mut text = String::new();
    'scan: while !rest.is_empty() {
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() || !rest.starts_with(name.as_str()) {
                continue;
            }
            // A one-letter stand-in is an ASCII capital: only a whole word is one.
            let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            let after = rest[name.len()..].chars().next();
            let before = text.chars().next_back();
            if matches!(slots[i], Slot::Ident(..)) && (word(before) || word(after)) {
                continue;
            }
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(Piece::Slot(i));
            seen[i] += 1;
            rest = &rest[name.len()..];
            continue 'scan;
        }
        let c = rest.chars().next()?;
        if is_stand_in(c, slots) {
            return None;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    let expected = slots
        .iter()
        .enumerate()
        .all(|(i, slot)| names[i].is_empty() || seen[i] == slot.times());
    expected.then_some(pieces)
}

/// Whether `name` is a stand-in for an identifier of two bytes or more (a one-letter one is
/// an ASCII capital, a valid name as it is).
pub(crate) fn is_stand_in_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            STAND_INS
                .iter()
                .any(|&(two, three, ..)| c == two || c == three)
        })
}

/// Whether `c`, which the scan did not take as part of a stand-in, is a character only
/// stand-ins have: then the shape's text has one of its own, and cutting would be wrong.
fn is_stand_in(c: char, slots: &[Slot<'_>]) -> bool {
    !c.is_ascii()
        && STAND_INS
            .iter()
            .any(|&(two, three, ..)| c == two || c == three)
        || slots
            .iter()
            .zip(STAND_INS)
            .any(|(slot, (.., ascii))| matches!(slot, Slot::Str(..)) && c == ascii)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Slot, Stencils};

    /// A tiny "printer": what a template gives for the slots' texts.
    fn print(slots: &[&str]) -> syn::Result<String> {
        Ok(format!(
            "fn {}(QJ: u8) {{ let {} = \"{}\"; }} // $ X",
            slots[0], slots[1], slots[2]
        ))
    }

    proptest! {
        /// Whatever the names, a stencil gives what printing them directly gives, the first
        /// time and every later time.
        #[test]
        fn stencils_print_as_the_template_does(
            items in prop::collection::vec(
                ("[a-zA-Z_][a-zA-Z0-9_]{0,12}", "[a-z_]{1,3}", "\\PC{0,8}"),
                1..20,
            ),
        ) {
            let mut stencils = Stencils::default();
            for (a, b, c) in &items {
                let mut out = String::new();
                let slots = [Slot::Ident(a, 1), Slot::Ident(b, 1), Slot::Str(c, 1)];
                stencils.print(&mut out, "shape", &slots, print).unwrap();
                let escaped = proc_macro2::Literal::string(c).to_string();
                let expected = print(&[a, b, &escaped[1..escaped.len() - 1]]).unwrap();
                prop_assert_eq!(out, expected);
            }
        }
    }

    /// A `with` inside another works on stencils of its own instead of panicking.
    #[test]
    fn nested_stencils_do_not_panic() {
        let text = super::with(|outer| {
            let mut out = String::new();
            outer
                .print(&mut out, "outer", &[Slot::Ident("ab", 1)], |slots| {
                    super::with(|inner| {
                        let mut inner_out = String::new();
                        inner
                            .print(&mut inner_out, "inner", &[], |_| Ok(slots[0].to_owned()))
                            .map(|()| inner_out)
                    })
                })
                .map(|()| out)
        });
        assert_eq!(text.unwrap(), "ab");
    }

    /// A one-letter stand-in that the template also has as a word (`Q`) is not cut: the item
    /// is printed directly.
    #[test]
    fn a_stand_in_the_template_has_leaves_the_shape_uncached() {
        let mut stencils = Stencils::default();
        let print = |slots: &[&str]| Ok(format!("Q {} J", slots[0]));
        for name in ["a", "b"] {
            let mut out = String::new();
            stencils
                .print(&mut out, "q", &[Slot::Ident(name, 1)], print)
                .unwrap();
            assert_eq!(out, format!("Q {name} J"));
        }
        let entries: Vec<_> = stencils.shapes.values().flatten().collect();
        assert_eq!(entries.len(), 1);
        assert!(entries[0].stencil.is_none());
    }
}
