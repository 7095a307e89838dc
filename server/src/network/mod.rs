//! The network of actors (organisations). Minimal for now; the network issue grows it.

pub mod csv_file;
pub mod export;
pub mod graph;
pub mod import;
pub mod people;
pub mod rest;
pub mod service;
pub mod upload;

pub use service::SurrealNetwork;
