//! Recommendation documents: the working draft, released versions, comparisons.

pub mod rest;
pub mod service;

pub use service::SurrealDrafting;
