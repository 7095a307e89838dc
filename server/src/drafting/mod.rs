//! Recommendation documents: the working draft, released versions, comparisons.

mod amendments;
mod comments;
mod publication;
pub mod rest;
pub mod service;

pub use service::SurrealDrafting;
