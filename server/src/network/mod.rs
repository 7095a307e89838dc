//! The stakeholder network: actors, people, relations, meetings and alliances in SurrealDB, the
//! graph queries over an in-memory copy, CSV import (with progress) and the exports.

pub mod csv_file;
pub mod export;
pub mod graph;
pub mod import;
pub mod people;
pub mod progress;
pub mod rest;
pub mod service;
pub mod upload;

pub use service::SurrealNetwork;
