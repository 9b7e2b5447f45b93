//! Catalog snapshot → typed Rust bindings.
//!
//! Stages, each a module with one job (see `shared/DESIGN.md`):
//!
//! - [`typespace`]: JSON Schemas and sample values → named Rust types, with the single naming
//!   owner ([`typespace::naming`]).
//! - [`emit`]: one connector's snapshot and its type space → the files of its crate (handle,
//!   credential inputs, one module per resource, the sample round-trip test).
//! - [`generate()`]: the whole catalog → every crate, connectors in parallel, each file built
//!   as `syn` items and printed with `prettyplease`, except what repeats by the thousand: struct
//!   definitions are written in prettyplease's layout directly (`typespace::layout`), and
//!   setters, `match` arms and parameter fields come from text printed once per shape
//!   (`stencil`). The output is the same as printing everything with prettyplease.
//!
//! Both stages write rustdoc from the catalog's descriptions through the `rustdoc` module, which makes
//! vendor Markdown and HTML safe to build with warnings denied.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod emit;
mod generate;
mod rustdoc;
mod setters;
mod stencil;
mod template;
pub mod typespace;
pub use generate::*;
