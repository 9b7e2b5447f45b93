//! Support for the end-to-end tests in `tests/tests/`: where the repository's inputs are,
//! JSON Schema instances to call actions with, and snapshot folder comparison.
//!
//! The tests themselves drive the real stages over loopback HTTP: `alloy-mock` serves a
//! snapshot, `xtask` fetches it back and generates from it, and the generated connector crates
//! call every action through `alloy-runtime`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::panic))]

pub mod instance;
pub mod paths;
pub mod tree;
pub mod violation;

pub use instance::{InstanceError, valid_instance};
pub use tree::{TreeDiff, compare_trees, copy_tree};
pub use violation::{Violation, violations};
