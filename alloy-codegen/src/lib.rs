//! Catalog snapshot → typed Rust bindings.
