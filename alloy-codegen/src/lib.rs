//! Catalog snapshot → typed Rust bindings.
//!
//! Stages, each a module with one job (see `shared/DESIGN.md`):
//!
//! - [`typespace`]: JSON Schemas and sample values → named Rust types, with the single naming
//!   owner ([`typespace::naming`]).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod typespace;

pub mod emit;
mod generate;
pub use generate::*;
