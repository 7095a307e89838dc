//! The network use cases on SurrealDB.

use async_trait::async_trait;
use shared::{
    network::{ActorQuery, ActorView, NewActor},
    ports::NetworkPort,
    text::fold,
    AppError, Caller, Page, Role,
};
use surrealdb::types::SurrealValue;

use crate::{
    db::{is_duplicate, Db},
    error::internal,
};

pub struct SurrealNetwork {
    db: Db,
}

#[derive(Debug, SurrealValue)]
struct ActorRow {
    id: String,
    name: String,
    kind: String,
    state: Option<String>,
    municipality: Option<String>,
}

impl From<ActorRow> for ActorView {
    fn from(r: ActorRow) -> Self {
        ActorView { id: r.id, name: r.name, kind: r.kind, state: r.state, municipality: r.municipality }
    }
}

const ACTOR_FIELDS: &str = "record::id(id) AS id, name, kind, state, municipality";

impl SurrealNetwork {
    pub fn new(db: Db) -> Self {
        SurrealNetwork { db }
    }

    /// Inserts an actor without checking who asks (the demo loader and the service below use it).
    pub async fn insert_actor(&self, new: NewActor) -> Result<ActorView, AppError> {
        let actor = new.validate()?;
        let mut response = self
            .db
            .query(format!(
                "LET $a = (CREATE ONLY actor CONTENT {{ name: $name, name_folded: $folded, kind: $kind, state: $state, municipality: $municipality }});
                 SELECT {ACTOR_FIELDS} FROM ONLY $a.id;"
            ))
            .bind(("folded", fold(&actor.name)))
            .bind(("name", actor.name.clone()))
            .bind(("kind", actor.kind.clone()))
            .bind(("state", actor.state.clone()))
            .bind(("municipality", actor.municipality.clone()))
            .await
            .map_err(|e| internal("create actor", e))?;
        let errors = response.take_errors();
        if errors.values().any(is_duplicate) {
            return Err(AppError::Conflict(format!("An actor named “{}” already exists.", actor.name)));
        }
        if let Some(e) = errors.into_values().next() {
            return Err(internal("create actor", e));
        }
        let row: Option<ActorRow> = response.take(1).map_err(|e| internal("create actor", e))?;
        row.map(Into::into).ok_or(AppError::Internal)
    }
}

#[async_trait]
impl NetworkPort for SurrealNetwork {
    /// Any logged-in user may browse the directory; `q` matches names ignoring case and accents.
    async fn list_actors(&self, _caller: &Caller, query: ActorQuery) -> Result<Page<ActorView>, AppError> {
        let q = query.q.as_deref().map(fold).unwrap_or_default();
        let page = query.page;
        let filter = if q.is_empty() { "" } else { "WHERE string::contains(name_folded, $q)" };
        let mut r = self
            .db
            .query(format!(
                "SELECT {ACTOR_FIELDS}, name_folded FROM actor {filter} ORDER BY name_folded LIMIT $limit START $start;
                 count(SELECT id FROM actor {filter});"
            ))
            .bind(("q", q))
            .bind(("limit", i64::from(page.per_page)))
            .bind(("start", page.offset() as i64))
            .await
            .map_err(|e| internal("list actors", e))?;
        let rows: Vec<ActorRow> = r.take(0).map_err(|e| internal("list actors", e))?;
        let total: Option<i64> = r.take(1).map_err(|e| internal("list actors", e))?;
        Ok(Page {
            items: rows.into_iter().map(Into::into).collect(),
            total: total.unwrap_or(0).max(0) as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// Organisers, the secretariat and admins add actors; members cannot.
    async fn create_actor(&self, caller: &Caller, new: NewActor) -> Result<ActorView, AppError> {
        caller.require_any(&[Role::Organizer, Role::Secretariat, Role::Admin], "add actors to the network")?;
        self.insert_actor(new).await
    }
}
