//! The network directory. Minimal for now; the network issue adds the map and the graph.

mod directory;

pub use directory::DirectoryPage;

use leptos::prelude::*;
use shared::{network::ActorView, AppError, Page};

/// Actors whose names match `q` (case and accents ignored), a page at a time; and whether the
/// caller may add actors.
#[server]
pub async fn list_actors(q: Option<String>, page: Option<u32>) -> Result<(Page<ActorView>, bool), AppError> {
    use crate::server;
    use shared::{network::ActorQuery, PageRequest, Role};
    let caller = server::caller()?;
    let page = server::ports()?.network.list_actors(&caller, ActorQuery { q, page: PageRequest::new(page, None) }).await?;
    Ok((page, caller.has_any(&[Role::Organizer, Role::Secretariat, Role::Admin])))
}

#[server]
pub async fn create_actor(name: String, kind: String, state: Option<String>, municipality: Option<String>) -> Result<ActorView, AppError> {
    use crate::server;
    let new = shared::network::NewActor { name, kind, state, municipality };
    server::ports()?.network.create_actor(&server::caller()?, new).await
}
