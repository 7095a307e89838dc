//! The network: the directory (full-text search, filters), actor profiles with relations and
//! history.

mod alliance;
mod directory;
mod import;
mod map;
mod matches;
mod people;
mod profile;
mod public;
mod reports;

pub use alliance::AlliancePage;
pub use directory::DirectoryPage;
pub use import::ImportPage;
pub use map::MapPage;
pub use matches::MatchesPage;
pub use people::{PeoplePage, PersonPage};
pub use profile::ProfilePage;
pub use public::PublicDirectoryPage;
pub use reports::ReportsPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::{
    network::{ActorKind, ActorView},
    AppError, Page,
};

/// A page of the directory, with what its filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryData {
    pub page: Page<ActorView>,
    pub kinds: Vec<ActorKind>,
    /// The caller may add actors.
    pub can_add: bool,
}

/// The directory: `q` searches names, descriptions, products, tags and municipalities (case
/// and accents ignored); the other arguments filter and sort.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/fn")]
pub async fn list_actors(
    q: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    organic_status: Option<String>,
    tag: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
) -> Result<DirectoryData, AppError> {
    use crate::request;
    use shared::{network::ActorQuery, PageRequest};
    let caller = request::caller()?;
    let ports = request::ports()?;
    let sort = sort.as_deref().filter(|s| !s.is_empty()).map(str::parse).transpose()?;
    let query = ActorQuery { q, kind, state, organic_status, tag, sort, page: PageRequest::new(page, None) };
    let page = ports.actors.list_actors(&caller, query).await?;
    Ok(DirectoryData { page, kinds: ports.actors.actor_kinds().await?, can_add: caller.has_any(shared::accounts::STEWARDS) })
}

#[server(prefix = "/fn")]
pub async fn create_actor(name: String, kind: String, state: Option<String>, municipality: Option<String>) -> Result<ActorView, AppError> {
    use crate::request;
    let new = shared::network::NewActor { name, kind, state, municipality, ..Default::default() };
    request::ports()?.actors.create_actor(&request::caller()?, new).await
}
