//! The type space: JSON Schemas and sample values of one connector → named Rust types.
//!
//! One [`TypeSpace`] per generated crate. The emit stage feeds it every schema (request bodies,
//! parameters, credential inputs) with [`TypeSpace::add_schema`] and every sample response with
//! [`TypeSpace::add_sample`], gets back a [`TypeRef`] to spell each use with, and finally puts
//! [`TypeSpace::definitions`] into the crate's `src/types.rs` (named types refer to each other
//! as `crate::types::Name`). Names for things the emitter defines itself come from
//! [`TypeSpace::reserve_name`] and the functions of [`naming`], the single naming owner.
//!
//! # Guarantees
//!
//! - Never panics, on any input. What cannot be typed becomes `serde_json::Value` and a
//!   [`Warning`] naming connector, action and JSON pointer. Nesting deeper than
//!   [`MAX_DEPTH`] levels is cut the same way, so no input can overflow the stack (the
//!   deepest conversion needs well under 512 KiB of stack in an unoptimized build). Each
//!   `add_schema` call also has a work budget, because distributing `allOf` over `oneOf` can
//!   multiply branches; an `allOf` that includes itself through `$ref` is a warning.
//! - Deterministic: the same calls in the same order give byte-identical definitions. Object
//!   members are visited in sorted order.
//! - Structural dedup: equal shapes are one type, named after their first use (a shape is
//!   its members, their types and wire names; descriptions do not split shapes).
//! - Emitted code uses only `std`, `serde` and `serde_json`, always through fully qualified
//!   paths, and compiles with warnings denied.
//! - Structs from schemas (what is sent) are built in the parameter structs' style: `new`
//!   taking the required members in the schema's order, a chained setter per other member
//!   (named by [`naming::setter_names`]), and one adding to the map of other members.
//! - Every type implements `Serialize`. Types read from JSON (samples, and whatever
//!   [`TypeSpace::mark_deserialized`] names) and the types they reach implement
//!   `Deserialize`; the others (what is only sent) implement it only with the crate feature
//!   [`DESERIALIZE_REQUESTS_FEATURE`], because serde's deserialization code is most of what a
//!   generated crate costs to compile and most apps never read a request body.
//!
//! # JSON Schema → Rust
//!
//! | schema | Rust |
//! | --- | --- |
//! | `{}`, `true`, no type keyword | `serde_json::Value` |
//! | `type: string` (any `format`, incl. `date-time`, `uuid`, `binary`) | `String` (generated crates cannot depend on chrono or uuid) |
//! | `type: integer` | `i64`; `format: int32` → `i32`, `uint32` → `u32`, `uint64` → `u64` |
//! | `type: number` | `f64` (also for `format: float`, so no value loses precision) |
//! | `type: boolean` | `bool` |
//! | `nullable: true`, `type: [T, "null"]`, a `null` branch or enum value | `Option<T>` ([`TypeRef::is_option_like`]) |
//! | `type: [A, B]` | untagged enum of both |
//! | `enum`, `const` of strings | enum with a catch-all `Other(String)`; integers: `Other(i64)`; mixed: `Other(Value)` |
//! | object with `properties` | struct: required → `T`, optional → `Option<T>` skipped when absent, optional and nullable → `Option<Option<T>>` (explicit `null` kept); `readOnly` members are optional |
//! | `additionalProperties: S` / `true` beside properties | flattened `BTreeMap<String, S>` member |
//! | object without properties | `BTreeMap<String, S>` (`Value` when unconstrained); with `additionalProperties: false`, an empty struct |
//! | `array` | `Vec<T>` (`Vec<Value>` without `items`); fixed-length tuple forms → Rust tuples |
//! | `allOf` | one merged schema (a `oneOf` inside is distributed over the merge) |
//! | `oneOf` / `anyOf` | enum: internally tagged when every branch has a distinct constant, required member (the `discriminator`'s first), untagged otherwise (arrays tried first, floats after integers, a `Value` branch last, equal branches once); variant names from titles, constant values or branch kinds |
//! | `$ref` to `#/…` in the same document (also `allOf: [{$ref}]`) | the target, named after its `title` or last pointer segment; a cycle gets a `Box` on its back edge (a recursive non-struct becomes a `#[serde(transparent)]` newtype) |
//! | schema `false` | member left out (it can never be present); elsewhere `Value` with a warning |
//!
//! # Sample value → Rust
//!
//! Objects whose keys are data (ids, hashes, dates, labels: see `data_keys`) become
//! `BTreeMap<String, T>`, their values merged into `T`. Other objects become lenient structs:
//! every member `Option` with `#[serde(default)]`, skipped when absent, plus a flattened
//! `extra` map that keeps unknown members; a member seen as
//! `null` is `Option<Option<T>>` (or `Option<Value>` when only ever `null`), so a present
//! `null` round-trips. Array elements are merged into one shape; integers and floats mixed
//! become `serde_json::Number` (serializes back exactly as received); `null` or no sample is
//! `serde_json::Value`.

mod compose;
mod constructor;
mod data_keys;
mod intern;
mod layout;
mod model;
pub mod naming;
mod open_enum;
mod read;
mod report;
mod sample;
mod schema;
mod structs;
mod tokens;

pub use model::TypeRef;
pub use report::{Coverage, Origin, Warning};

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use rustc_hash::FxHashMap;
use serde_json::Value;

use intern::Registry;

/// The Cargo feature of a generated crate under which types that are only sent (request bodies,
/// parameters) also implement `Deserialize`, e.g. to accept a request as JSON and forward it.
/// The crate that holds the definitions must declare it.
pub const DESERIALIZE_REQUESTS_FEATURE: &str = "deserialize-requests";

/// Deepest schema or sample nesting converted; deeper parts become `serde_json::Value` with a
/// warning. The corpus nests schemas about 30 levels deep.
pub const MAX_DEPTH: usize = 64;

/// The named types of one generated crate, built from schemas and samples.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    registry: Registry,
    warnings: Vec<Warning>,
    coverage: Coverage,
    sample_coverage: Coverage,
    /// Named types read from JSON (sample responses, [`TypeSpace::mark_deserialized`]); they
    /// and everything they reach derive `Deserialize`.
    deserialized: BTreeSet<String>,
    /// Named types of schemas (what is sent): they and everything they reach get setters.
    sent: BTreeSet<String>,
    /// The catch-all and variant names of each list of enum values met so far: schemas repeat
    /// one enum (currencies, countries, time zones) in action after action, and naming its
    /// values anew each time was a visible share of generation.
    enum_names: FxHashMap<Vec<model::Literal>, (String, Vec<String>)>,
}

impl TypeSpace {
    /// An empty type space.
    pub fn new() -> Self {
        Self::default()
    }

    /// The names `name` gives the enum of `literals`, computed once per list of literals.
    pub(crate) fn enum_variant_names(
        &mut self,
        literals: &[model::Literal],
        name: impl FnOnce() -> (String, Vec<String>),
    ) -> (String, Vec<String>) {
        if let Some(names) = self.enum_names.get(literals) {
            return names.clone();
        }
        let names = name();
        self.enum_names.insert(literals.to_vec(), names.clone());
        names
    }

    /// The Rust type for a JSON Schema. Named types get names derived from `name_hint`
    /// (`CreateContactRequest`, `CreateContactRequestAddress`, …) unless an equal shape
    /// already has a name.
    pub fn add_schema(&mut self, origin: &Origin, name_hint: &str, schema: &Value) -> TypeRef {
        let ty = schema::convert_root(self, origin, name_hint, schema);
        self.mark_sent(&ty);
        ty
    }

    /// [`add_schema`](Self::add_schema) whose root type is named from `root_hint` while the
    /// types inside it are named from `prefix` (`CreateContactRequest` holding
    /// `CreateContactProperties`): the root's own word (`Request`) would only lengthen every
    /// nested name. A root whose shape has a name already keeps it, and one that is no named
    /// type leaves `root_hint` free.
    pub fn add_schema_prefixed(
        &mut self,
        origin: &Origin,
        root_hint: &str,
        prefix: &str,
        schema: &Value,
    ) -> TypeRef {
        let name = self.registry.reserve(root_hint);
        self.registry.set_root_name(prefix, &name);
        let ty = schema::convert_root(self, origin, prefix, schema);
        self.registry.release_root_name(prefix);
        self.mark_sent(&ty);
        ty
    }

    fn mark_sent(&mut self, ty: &TypeRef) {
        ty.visit_names(&mut |name| {
            if !self.sent.contains(name) {
                self.sent.insert(name.to_owned());
            }
        });
    }

    /// The Rust type inferred from a sample value; `None` (no sample) is `serde_json::Value`.
    /// Objects become lenient structs (see the module docs).
    pub fn add_sample(
        &mut self,
        origin: &Origin,
        name_hint: &str,
        sample: Option<&Value>,
    ) -> TypeRef {
        let ty = sample::convert_root(self, origin, name_hint, sample);
        self.mark_deserialized(&ty);
        ty
    }

    /// Names the type of `sample` (for an array, of its items) `wanted`, if that shape has no
    /// name yet and the name is free; returns whether the type is now called `wanted`. Leaves
    /// no warnings or coverage behind: the sample is converted again where it is used, and
    /// finds this name there by structural dedup.
    pub fn claim_sample_name(&mut self, origin: &Origin, wanted: &str, sample: &Value) -> bool {
        let name = naming::type_name(wanted);
        if self.registry.is_taken(&name) {
            return false;
        }
        let warnings = self.warnings.len();
        let coverage = self.sample_coverage;
        let ty = sample::convert_claim(self, origin, &name, sample);
        self.warnings.truncate(warnings);
        self.sample_coverage = coverage;
        ty.named_type() == Some(name.as_str())
    }

    /// Marks `ty` as read from JSON: it and every type it reaches always implement
    /// `Deserialize`. Types from [`add_sample`](Self::add_sample) are marked already; types
    /// from schemas describe what is sent and implement `Deserialize` only with the feature
    /// [`DESERIALIZE_REQUESTS_FEATURE`] unless marked.
    pub fn mark_deserialized(&mut self, ty: &TypeRef) {
        ty.visit_names(&mut |name| {
            if !self.deserialized.contains(name) {
                self.deserialized.insert(name.to_owned());
            }
        });
    }

    /// Reserves a name in the `types` namespace for something the emitter defines itself;
    /// returns the final, unique name.
    pub fn reserve_name(&mut self, wanted: &str) -> String {
        self.registry.reserve(wanted)
    }

    /// Every named type, sorted by name, printed as the items of `src/types.rs`. An error is a
    /// bug in the generator (code that does not parse), returned rather than panicking.
    pub fn definitions(&self) -> syn::Result<String> {
        let mut text = String::new();
        self.write_definitions(&mut text)?;
        Ok(text)
    }

    /// [`TypeSpace::definitions`], appended to `out`.
    pub fn write_definitions(&self, out: &mut String) -> syn::Result<()> {
        let deserialized = self
            .registry
            .reachable(self.deserialized.iter().map(String::as_str));
        let sent = self
            .registry
            .reachable(self.sent.iter().map(String::as_str));
        tokens::definitions(&self.registry, &deserialized, &sent, out)
    }

    /// What could not be typed, in the order it was met.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// How many schema nodes got a real type and how many fell back to `serde_json::Value`.
    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    /// The same count over the shapes inferred from samples.
    pub fn sample_coverage(&self) -> Coverage {
        self.sample_coverage
    }

    /// How many named types [`definitions`](Self::definitions) emits.
    pub fn type_count(&self) -> usize {
        self.registry.len()
    }

    fn warn(&mut self, origin: &Origin, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            origin: Origin {
                connector: origin.connector.clone(),
                action: origin.action.clone(),
                pointer: pointer.to_owned(),
            },
            message: message.into(),
        });
    }
}

impl TypeRef {
    /// The type, fully qualified: `::std::string::String`,
    /// `::std::vec::Vec<crate::types::Foo>`, `::serde_json::Value`, … An `Option` appears only
    /// when the input declared the type nullable.
    pub fn tokens(&self) -> TokenStream {
        tokens::type_ref(self)
    }

    /// [`TypeRef::tokens`] as a `syn` type, parsed once per thread for each type: parameter
    /// structs repeat a few dozen types thousands of times.
    pub(crate) fn syn_type(&self) -> syn::Result<syn::Type> {
        /// Past this many types a thread's cache starts over.
        const LIMIT: usize = 16_384;
        thread_local! {
            static PARSED: std::cell::RefCell<FxHashMap<TypeRef, syn::Type>> =
                std::cell::RefCell::default();
        }
        PARSED.with(|parsed| {
            if let Some(ty) = parsed.borrow().get(self) {
                return Ok(ty.clone());
            }
            let ty: syn::Type = syn::parse2(self.tokens())?;
            let mut parsed = parsed.borrow_mut();
            if parsed.len() >= LIMIT {
                parsed.clear();
            }
            parsed.insert(self.clone(), ty.clone());
            Ok(ty)
        })
    }
}
