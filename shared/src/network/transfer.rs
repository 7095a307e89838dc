//! Moving the network in and out: import reports and exports.

use serde::{Deserialize, Serialize};

use super::{ActorView, RelationView};

/// A problem with one line of an imported file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineProblem {
    pub line: u64,
    pub message: String,
}

/// What an import did, or would do in a dry run: the rows written (or that would be), and
/// every row left out with its line and reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    pub imported: usize,
    pub errors: Vec<LineProblem>,
}

/// The whole network, or part of it, for an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkExport {
    pub actors: Vec<ActorView>,
    pub relations: Vec<RelationView>,
}
