//! The network of actors (organisations). Minimal for now; the network issue grows it.

pub mod rest;
pub mod service;

pub use service::SurrealNetwork;
