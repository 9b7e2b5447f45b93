//! Client for Alloy Automation's Connectivity API.

pub use alloy_model as model;
