//! Mutirão's domain types and pure logic, compiled by the server and the browser alike.
//!
//! Nothing here does I/O. Record ids cross the wire as plain strings (the record key).

pub mod accounts;
pub mod audit;
pub mod drafting;
pub mod error;
#[cfg(feature = "markdown")]
pub mod markdown;
pub mod merge_patch;
pub mod network;
pub mod page;
pub mod ports;
pub mod revision;
pub mod text;
pub mod vocabulary;

pub use accounts::{Caller, Role};
pub use error::AppError;
pub use page::{Page, PageRequest};
