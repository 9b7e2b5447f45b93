//! `cargo xtask`: the project's own commands (see `cargo xtask --help`).

mod drift;
mod write;

fn main() {}
