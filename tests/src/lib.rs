//! Support for the end-to-end tests in `tests/tests/`: where the repository's inputs are,
//! JSON Schema instances to call actions with, and snapshot folder comparison.
//!
//! The tests themselves drive the real stages over loopback HTTP: `alloy-mock` serves a
//! snapshot, `xtask` fetches it back and generates from it, and the generated connector crates
//! call every action through `alloy-runtime`:
//!
//! - `tests/fetch.rs`: `catalog/` fetched back byte-for-byte and generating the checked-in
//!   `generated/`; a failed fetch keeps the old snapshot; `--connector`; the drift report and
//!   `--deny-breaking`.
//! - `tests/corpus_fetch.rs`: the same round trip over the 100 MB corpus in `../shared/catalogs`
//!   (skipped with a notice when absent).
//! - `tests/connectors.rs`: credentials of every auth type through the generated inputs, every
//!   sample action through its generated function, invalid input, revoked and foreign
//!   credentials, and the retry rules.
//!
//! Run them with `cargo test -p alloy-e2e`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod instance;
pub mod paths;
pub mod tree;
pub mod violation;

pub use instance::{InstanceError, valid_instance};
pub use tree::{TreeDiff, compare_trees, copy_tree};
pub use violation::{Violation, violations};
