//! The stakeholder network: actors (organisations), the typed relations between them, the
//! views built on the graph, the people who represent actors, the deals between producers and
//! buyers, and moving it all in and out. Validation and the pure parts live here, a module per
//! sub-domain; the server stores them.

mod actors;
pub mod deals;
mod graph;
mod kinds;
pub mod people;
mod relations;
mod transfer;

pub use actors::*;
pub use deals::{matching, *};
pub use graph::*;
pub use kinds::*;
pub use relations::*;
pub use transfer::*;
