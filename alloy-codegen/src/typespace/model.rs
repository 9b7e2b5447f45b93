//! The type space's data: references to types ([`TypeRef`]) and definitions of named types.
//!
//! Definitions refer to each other by name only, so two definitions are structurally equal
//! exactly when their `Eq` says so; that is what makes bottom-up dedup a hash-map lookup.
//! Documentation is carried along but ignored by `Eq`/`Hash` ([`Doc`]): two shapes that differ
//! only in their descriptions are one type, documented by its first use.

use std::hash::{Hash, Hasher};

/// A Rust type for a schema or sample: a primitive, a container, or a named type of the space.
///
/// [`TypeRef::tokens`] spells it with fully qualified paths. Optionality is the caller's
/// decision, except that a type the input declared nullable is already an `Option`
/// ([`TypeRef::is_option_like`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub(crate) kind: Kind,
    pub(crate) nullable: bool,
}

/// What a [`TypeRef`] stands for, before nullability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// `serde_json::Value`: anything (the fallback; never wrapped in `Option` for nullability,
    /// because it holds `null` itself).
    Value,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F64,
    /// `serde_json::Number`: integers and floats mixed, kept exactly as written.
    Number,
    String,
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    Tuple(Vec<TypeRef>),
    /// A type defined in the space; `boxed` on a back edge of a cycle.
    Named {
        name: String,
        boxed: bool,
    },
}

impl TypeRef {
    pub(crate) fn new(kind: Kind) -> Self {
        Self {
            kind,
            nullable: false,
        }
    }

    /// `serde_json::Value`.
    pub(crate) fn value() -> Self {
        Self::new(Kind::Value)
    }

    pub(crate) fn named(name: String) -> Self {
        Self::new(Kind::Named { name, boxed: false })
    }

    /// The same type, nullable if `nullable` (a no-op for `Value`, which holds `null` itself).
    pub(crate) fn with_nullable(mut self, nullable: bool) -> Self {
        self.nullable = (self.nullable || nullable) && self.kind != Kind::Value;
        self
    }

    /// The same type without the nullability wrapper.
    pub(crate) fn non_null(&self) -> Self {
        Self {
            kind: self.kind.clone(),
            nullable: false,
        }
    }

    /// Whether this is `serde_json::Value`, i.e. nothing more precise was known.
    pub fn is_json_value(&self) -> bool {
        self.kind == Kind::Value
    }

    /// Whether the tokens are already an `Option<..>` because the input allowed `null`, so a
    /// caller making the value optional must not wrap it again without meaning to.
    pub fn is_option_like(&self) -> bool {
        self.nullable
    }

    /// Calls `visit` with the name of every named type this type mentions (not through other
    /// named types).
    pub(crate) fn visit_names<'a>(&'a self, visit: &mut impl FnMut(&'a str)) {
        match &self.kind {
            Kind::Vec(inner) | Kind::Map(inner) => inner.visit_names(visit),
            Kind::Tuple(items) => items.iter().for_each(|item| item.visit_names(visit)),
            Kind::Named { name, .. } => visit(name),
            _ => {}
        }
    }

    /// The name of the named type this refers to (before nullability), if it is one.
    pub fn named_type(&self) -> Option<&str> {
        match &self.kind {
            Kind::Named { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// Text for `#[doc]`, ignored by equality and hashing so it never splits a shape in two.
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc(pub(crate) Option<String>);

impl PartialEq for Doc {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Doc {}
impl Hash for Doc {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl Doc {
    pub(crate) fn from_schema(schema: &serde_json::Map<String, serde_json::Value>) -> Self {
        let text = schema
            .get("description")
            .and_then(|d| d.as_str())
            .or_else(|| schema.get("title").and_then(|t| t.as_str()))
            .map(str::trim)
            .filter(|d| !d.is_empty());
        Self(text.map(str::to_owned))
    }
}

/// A named type's definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum TypeDef {
    Struct(StructDef),
    Enum(LiteralEnum),
    Union(UnionDef),
    /// `#[serde(transparent)] struct Name(T)`: a named recursive type whose body is not itself
    /// a named type (e.g. an array of itself).
    Newtype(TypeRef),
}

impl TypeDef {
    /// Calls `visit` with the name of every named type the definition refers to directly.
    pub(crate) fn visit_names<'a>(&'a self, visit: &mut impl FnMut(&'a str)) {
        match self {
            TypeDef::Struct(s) => {
                s.fields.iter().for_each(|f| f.ty.visit_names(visit));
                if let Some(extra) = &s.extra {
                    extra.value.visit_names(visit);
                }
            }
            TypeDef::Enum(_) => {}
            TypeDef::Union(u) => u.variants.iter().for_each(|v| v.ty.visit_names(visit)),
            TypeDef::Newtype(ty) => ty.visit_names(visit),
        }
    }
}

/// A struct with named fields and, optionally, a flattened map of other members.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct StructDef {
    pub(crate) fields: Vec<Field>,
    pub(crate) extra: Option<ExtraMap>,
    /// Indices into `fields` of the required members in the order the schema's `required`
    /// lists them: `new`'s argument order.
    pub(crate) required_order: Vec<usize>,
}

/// `#[serde(flatten)] pub <name>: BTreeMap<String, T>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ExtraMap {
    pub(crate) name: String,
    pub(crate) value: TypeRef,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Field {
    /// The Rust identifier.
    pub(crate) name: String,
    /// The JSON member name.
    pub(crate) wire: String,
    pub(crate) ty: TypeRef,
    /// Required fields are always serialized; optional ones are `Option` and skipped when absent.
    pub(crate) required: bool,
    pub(crate) doc: Doc,
}

/// A JSON literal an enum variant stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Literal {
    Str(String),
    Int(i64),
    /// Any other number, by its `f64` bits (JSON has no NaN, so bit equality is value equality).
    Float(u64),
    Bool(bool),
}

/// What an open enum keeps in its catch-all variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OtherKind {
    String,
    Int,
    Value,
}

/// An enum of JSON literals with a catch-all variant for any other value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct LiteralEnum {
    /// (variant name, literal), in input order.
    pub(crate) variants: Vec<(String, Literal)>,
    pub(crate) other_name: String,
    pub(crate) other: OtherKind,
}

/// `oneOf`/`anyOf`: internally tagged when every branch is an object with a distinct constant
/// tag member, untagged otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct UnionDef {
    /// The tag member's wire name, for an internally tagged enum.
    pub(crate) tag: Option<String>,
    pub(crate) variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Variant {
    pub(crate) name: String,
    /// The tag value, for an internally tagged enum.
    pub(crate) tag_value: Option<String>,
    pub(crate) ty: TypeRef,
    pub(crate) doc: Doc,
}
