//! The stakeholder network on SurrealDB, a file per part of what people do with it: actors
//! (directory, profiles, history, kinds), the graph (relations, neighbourhoods, paths, metrics,
//! gaps, over a copy of the graph each process keeps in memory), people, deals (matching,
//! meetings, alliances) and transfer (CSV imports with their progress, exports). One
//! `SurrealNetwork` implements the five ports; what they share (the actor and relation rows,
//! the kinds, who may change an actor) is here.

pub mod actors;
pub mod deals;
pub mod graph;
pub mod people;
pub mod rest;
pub mod transfer;

use shared::{
    accounts::is_record_key,
    network::{ActorKind, ActorView, NewActor, RelationKind, RelationView, Visibility},
    text::fold,
    AppError,
};

pub(crate) use shared::network::may_change_actor;
use std::sync::Arc;

use surrealdb::types::SurrealValue;

use self::graph::LoadedGraph;
use crate::db::Db;

/// The network's persistence: the database and the graph kept in memory.
pub struct SurrealNetwork {
    db: Db,
    /// The graph readers get: swapped whole for a newer one once that is loaded.
    graph: std::sync::RwLock<Option<Arc<LoadedGraph>>>,
    /// Held by the one request loading a newer graph (the others answer from the current one).
    reload: tokio::sync::Mutex<()>,
}

#[derive(Debug, SurrealValue)]
struct ActorRow {
    id: String,
    name: String,
    kind: String,
    description: String,
    country: String,
    state: Option<String>,
    municipality: Option<String>,
    products: Vec<String>,
    organic_status: Option<String>,
    members: Option<i64>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    tags: Vec<String>,
    visibility: String,
    updated_at: String,
    revision: Option<i64>,
}

impl From<ActorRow> for ActorView {
    fn from(r: ActorRow) -> Self {
        ActorView {
            id: r.id,
            name: r.name,
            kind: r.kind,
            description: r.description,
            country: r.country,
            state: r.state,
            municipality: r.municipality,
            products: r.products,
            // The schema's ASSERTs allow only the vocabularies' spellings.
            organic_status: r.organic_status.and_then(|s| s.parse().ok()),
            members: r.members.and_then(|m| u32::try_from(m).ok()),
            website: r.website,
            email: r.email,
            phone: r.phone,
            tags: r.tags,
            visibility: r.visibility.parse().unwrap_or_default(),
            updated_at: r.updated_at,
            revision: r.revision.unwrap_or(0).max(0) as u64,
        }
    }
}

const ACTOR_FIELDS: &str = "record::id(id) AS id, name, kind, description, country, state, municipality, products, organic_status,
    members, website, email, phone, tags, visibility, <string> updated_at AS updated_at, revision";

/// The country of an actor that names none.
const DEFAULT_COUNTRY: &str = "BR";

/// An actor's stored fields, as every write sends them whole (create, change, import), with the
/// defaults applied here once: country `BR`, visibility `network`.
#[derive(Debug, Clone, SurrealValue)]
struct ActorFields {
    name: String,
    name_folded: String,
    kind: String,
    description: String,
    country: String,
    state: Option<String>,
    municipality: Option<String>,
    products: Vec<String>,
    organic_status: Option<String>,
    members: Option<i64>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    tags: Vec<String>,
    visibility: String,
    search_text: String,
}

impl ActorFields {
    /// The fields of a validated actor.
    fn of(a: &NewActor) -> Self {
        ActorFields {
            name: a.name.clone(),
            name_folded: fold(&a.name),
            kind: a.kind.clone(),
            description: a.description.clone(),
            country: a.country.clone().unwrap_or_else(|| DEFAULT_COUNTRY.into()),
            state: a.state.clone(),
            municipality: a.municipality.clone(),
            products: a.products.clone(),
            organic_status: a.organic_status.clone(),
            members: a.members.map(i64::from),
            website: a.website.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            tags: a.tags.clone(),
            visibility: a.visibility.clone().unwrap_or_else(|| Visibility::Network.as_str().into()),
            search_text: a.search_text(),
        }
    }
}

#[derive(Debug, SurrealValue)]
struct KindRow {
    id: String,
    label: String,
    producer: bool,
    buyer: bool,
}

#[derive(Debug, SurrealValue)]
struct RelationKindRow {
    id: String,
    label: String,
}

#[derive(Debug, SurrealValue)]
struct RelationRow {
    id: String,
    from: String,
    from_name: String,
    to: String,
    to_name: String,
    kind: String,
    since: Option<String>,
    until: Option<String>,
    note: String,
    evidence: String,
}

impl From<RelationRow> for RelationView {
    fn from(r: RelationRow) -> Self {
        RelationView {
            id: r.id,
            from: r.from,
            from_name: r.from_name,
            to: r.to,
            to_name: r.to_name,
            kind: r.kind,
            since: r.since,
            until: r.until,
            note: r.note,
            evidence: r.evidence,
        }
    }
}

const RELATION_FIELDS: &str = "record::id(id) AS id, record::id(in) AS from, in.name AS from_name, record::id(out) AS to,
    out.name AS to_name, kind, since, until, note, evidence";

fn no_actor() -> AppError {
    AppError::NotFound("There is no such actor.".into())
}

fn actor_key(id: &str) -> Result<&str, AppError> {
    let id = id.trim();
    if is_record_key(id) {
        Ok(id)
    } else {
        Err(no_actor())
    }
}

impl SurrealNetwork {
    pub fn new(db: Db) -> Self {
        SurrealNetwork { db, graph: std::sync::RwLock::new(None), reload: tokio::sync::Mutex::new(()) }
    }

    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    async fn kinds(&self) -> Result<Vec<ActorKind>, AppError> {
        let rows: Vec<KindRow> = self
            .db
            .query("SELECT record::id(id) AS id, label, producer, buyer, position FROM actor_kind ORDER BY position")
            .fetch("read actor kinds")
            .await?;
        Ok(rows.into_iter().map(|r| ActorKind { id: r.id, label: r.label, producer: r.producer, buyer: r.buyer }).collect())
    }

    async fn relation_kinds_all(&self) -> Result<Vec<RelationKind>, AppError> {
        let rows: Vec<RelationKindRow> = self
            .db
            .query("SELECT record::id(id) AS id, label, position FROM relation_kind ORDER BY position")
            .fetch("read relation kinds")
            .await?;
        Ok(rows.into_iter().map(|r| RelationKind { id: r.id, label: r.label }).collect())
    }

    async fn find_actor(&self, id: &str) -> Result<ActorView, AppError> {
        let id = actor_key(id)?;
        let row: Option<ActorRow> = self
            .db
            .query(format!("SELECT {ACTOR_FIELDS} FROM ONLY type::record('actor', $id)"))
            .bind(("id", id.to_string()))
            .fetch("read an actor")
            .await?;
        row.map(Into::into).ok_or_else(no_actor)
    }
}
