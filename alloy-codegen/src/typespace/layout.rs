//! Text in the layout `prettyplease` gives the same syntax, for the pieces of `types.rs` that
//! are written without building `syn` nodes (struct definitions: see [`super::structs`]).
//!
//! prettyplease is an Oppen printer: a line holds 89 columns (at least 60 past a deep indent),
//! and a group either fits whole, from its opening token to the first place after its end
//! where a line may break, or breaks at every break point of its own. The pieces here have
//! few groups: the `<…>` of a generic type and the `(…)` of a tuple or of an attribute's
//! arguments. Sizes are counted in bytes, as prettyplease counts them. The tests print the
//! same syntax with prettyplease and compare.

use super::model::{Kind, TypeRef};
use super::tokens::ident_text;

/// prettyplease's line width.
const MARGIN: isize = 89;
/// prettyplease's least room on a line, however deep its indent.
const MIN_SPACE: isize = 60;
/// prettyplease's indent step.
const INDENT: isize = 4;

/// A line being written: the output, the indent of its group and the room left on it.
pub(super) struct Lines<'a> {
    out: &'a mut String,
    indent: isize,
    space: isize,
}

impl<'a> Lines<'a> {
    /// Starts a line at `indent` columns.
    pub(super) fn start(out: &'a mut String, indent: isize) -> Self {
        push_indent(out, indent);
        Self {
            out,
            indent,
            space: room(indent),
        }
    }

    pub(super) fn word(&mut self, text: &str) {
        self.out.push_str(text);
        self.space -= text.len() as isize;
    }

    /// Ends the line and starts the next at the current indent.
    fn newline(&mut self) {
        self.out.push('\n');
        push_indent(self.out, self.indent);
        self.space = room(self.indent);
    }

    /// Ends the line (the last one written with `self`).
    pub(super) fn end(self) {
        self.out.push('\n');
    }

    /// Whether `size` more bytes fit on this line.
    fn fits(&self, size: usize) -> bool {
        size as isize <= self.space
    }

    /// `#[name(arg, arg…)]`: on one line when it fits, else one argument per line (no
    /// trailing comma, as prettyplease prints attribute arguments).
    pub(super) fn attribute(&mut self, name: &str, args: &[&str]) {
        self.word("#[");
        self.word(name);
        self.word("(");
        let flat: usize = args.iter().map(|a| a.len()).sum::<usize>() + 2 * args.len();
        // The arguments joined by ", " and the closing `)]`.
        if self.fits(flat) {
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    self.word(", ");
                }
                self.word(arg);
            }
        } else {
            self.indent += INDENT;
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    self.word(",");
                }
                self.newline();
                self.word(arg);
            }
            self.indent -= INDENT;
            self.newline();
        }
        self.word(")]");
    }

    /// `ty`, followed by `trailing` bytes before the next place the line may break.
    pub(super) fn ty(&mut self, ty: &TypeText, trailing: usize) {
        match &ty.node {
            Node::Word => self.word(&ty.flat),
            Node::Group {
                open,
                items,
                single_tuple,
            } => {
                self.word(&ty.flat[..*open]);
                let rest = &ty.flat[*open..];
                if self.fits(rest.len() + trailing) {
                    self.word(rest);
                    return;
                }
                self.indent += INDENT;
                self.newline();
                for (i, item) in items.iter().enumerate() {
                    let last = i + 1 == items.len();
                    if *single_tuple {
                        // `(T,)`: the comma is a word, not the group's trailing comma.
                        self.ty(item, 1);
                        self.word(",");
                    } else if last {
                        self.ty(item, 0);
                        self.out.push(',');
                    } else {
                        self.ty(item, 1);
                        self.word(",");
                        self.newline();
                    }
                }
                self.indent -= INDENT;
                self.newline();
                self.word(&ty.flat[ty.flat.len() - 1..]);
            }
        }
    }
}

fn room(indent: isize) -> isize {
    (MARGIN - indent).max(MIN_SPACE)
}

fn push_indent(out: &mut String, indent: isize) {
    out.extend(std::iter::repeat_n(' ', indent.max(0) as usize));
}

/// A type's text on one line and where its groups are, so it can be broken as prettyplease
/// breaks it.
#[derive(Debug)]
pub(super) struct TypeText {
    flat: String,
    node: Node,
}

#[derive(Debug)]
enum Node {
    /// No group: a path without arguments, `()`.
    Word,
    /// `head<items…>` or `(items…)`: the group opens after `open` bytes of `flat` and closes
    /// with its last byte.
    Group {
        open: usize,
        items: Vec<TypeText>,
        /// `(T,)`, whose comma stays when the group breaks.
        single_tuple: bool,
    },
}

impl TypeText {
    /// The type of a member holding `ty`, in `Option` when `optional`: the text
    /// [`super::tokens::type_ref`] prints as.
    pub(super) fn of(ty: &TypeRef, optional: bool) -> Self {
        let inner = Self::inner(ty);
        if optional {
            Self::generic("::std::option::Option", vec![inner])
        } else {
            inner
        }
    }

    /// `BTreeMap<String, value>`, the map of other members.
    pub(super) fn map(value: &TypeRef) -> Self {
        Self::generic(
            "::std::collections::BTreeMap",
            vec![Self::word("::std::string::String"), Self::inner(value)],
        )
    }

    /// The type on one line.
    pub(super) fn flat(&self) -> &str {
        &self.flat
    }

    fn inner(ty: &TypeRef) -> Self {
        let inner = match &ty.kind {
            Kind::Value => Self::word("::serde_json::Value"),
            Kind::Bool => Self::word("bool"),
            Kind::I32 => Self::word("i32"),
            Kind::I64 => Self::word("i64"),
            Kind::U32 => Self::word("u32"),
            Kind::U64 => Self::word("u64"),
            Kind::F64 => Self::word("f64"),
            Kind::Number => Self::word("::serde_json::Number"),
            Kind::String => Self::word("::std::string::String"),
            Kind::Vec(item) => Self::generic("::std::vec::Vec", vec![Self::inner(item)]),
            Kind::Map(value) => Self::map(value),
            Kind::Tuple(items) => Self::tuple(items.iter().map(Self::inner).collect()),
            Kind::Named { name, boxed } => {
                let path = format!("crate::types::{}", ident_text(name));
                if *boxed {
                    Self::generic("::std::boxed::Box", vec![Self::word(&path)])
                } else {
                    Self::word(&path)
                }
            }
        };
        if ty.nullable {
            Self::generic("::std::option::Option", vec![inner])
        } else {
            inner
        }
    }

    fn word(text: &str) -> Self {
        Self {
            flat: text.to_owned(),
            node: Node::Word,
        }
    }

    fn generic(head: &str, items: Vec<TypeText>) -> Self {
        Self::group(head, '<', items, '>')
    }

    fn tuple(items: Vec<TypeText>) -> Self {
        if items.is_empty() {
            // prettyplease drops a group with nothing in it.
            return Self::word("()");
        }
        Self::group("", '(', items, ')')
    }

    fn group(head: &str, open: char, items: Vec<TypeText>, close: char) -> Self {
        let mut flat = String::with_capacity(
            head.len() + 2 + items.iter().map(|i| i.flat.len() + 2).sum::<usize>(),
        );
        flat.push_str(head);
        flat.push(open);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                flat.push_str(", ");
            }
            flat.push_str(&item.flat);
        }
        let single_tuple = open == '(' && items.len() == 1;
        if single_tuple {
            flat.push(',');
        }
        flat.push(close);
        Self {
            node: Node::Group {
                open: head.len() + 1,
                items,
                single_tuple,
            },
            flat,
        }
    }
}
