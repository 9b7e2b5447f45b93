//! A local Connectivity API server driven by a catalog snapshot.
