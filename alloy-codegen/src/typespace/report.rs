//! Where an input came from, what could not be typed, and how much could.

use std::fmt;

/// Where a schema or sample came from, for warnings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub connector: String,
    pub action: Option<String>,
    /// JSON pointer into the file the value came from, e.g.
    /// `/action/requestBody/properties/email`.
    pub pointer: String,
}

impl Origin {
    /// An origin inside an action file.
    pub fn action(connector: &str, action: &str, pointer: &str) -> Self {
        Self {
            connector: connector.to_owned(),
            action: Some(action.to_owned()),
            pointer: pointer.to_owned(),
        }
    }

    /// An origin in a connector-level file (credential metadata…).
    pub fn connector(connector: &str, pointer: &str) -> Self {
        Self {
            connector: connector.to_owned(),
            action: None,
            pointer: pointer.to_owned(),
        }
    }
}

/// A part of an input that fell back to `serde_json::Value`, and why. The origin's pointer is
/// the exact node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub origin: Origin,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.origin;
        match &o.action {
            Some(action) => write!(f, "{}/{action}", o.connector)?,
            None => write!(f, "{}", o.connector)?,
        }
        let pointer = if o.pointer.is_empty() {
            "/"
        } else {
            &o.pointer
        };
        write!(f, " at {pointer}: {}", self.message)
    }
}

/// Counts of converted nodes: `typed` got a Rust type other than `serde_json::Value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    pub typed: usize,
    pub untyped: usize,
}

impl Coverage {
    /// Share of typed nodes, 1.0 when there are none.
    pub fn ratio(&self) -> f64 {
        let total = self.typed + self.untyped;
        if total == 0 {
            1.0
        } else {
            self.typed as f64 / total as f64
        }
    }

    pub(crate) fn count(&mut self, typed: bool) {
        if typed {
            self.typed += 1;
        } else {
            self.untyped += 1;
        }
    }
}

impl std::ops::AddAssign for Coverage {
    fn add_assign(&mut self, other: Self) {
        self.typed += other.typed;
        self.untyped += other.untyped;
    }
}

/// Appends one RFC 6901 reference token to a JSON pointer.
pub(crate) fn push_pointer(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_display_and_pointer_escaping() {
        let w = Warning {
            origin: Origin::action("hubspot", "createContact", &push_pointer("/a", "b/c~d")),
            message: "odd".into(),
        };
        assert_eq!(w.to_string(), "hubspot/createContact at /a/b~1c~0d: odd");
        let w = Warning {
            origin: Origin::connector("x", ""),
            message: "m".into(),
        };
        assert_eq!(w.to_string(), "x at /: m");
        assert_eq!(Coverage::default().ratio(), 1.0);
    }
}
