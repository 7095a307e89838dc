//! The network use cases on SurrealDB: actors with their history, relations as graph edges,
//! neighbourhoods by graph traversal, and what needs the whole graph at once (paths, metrics,
//! gap reports), computed over a copy of the graph each process keeps in memory and reloads
//! when the database's graph generation moves on.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, OnceLock},
};

use async_trait::async_trait;
use serde_json::json;
use shared::{
    accounts::{is_record_key, STEWARDS},
    network::{
        changes, ActorChange, ActorDetail, ActorKind, ActorMetricsView, ActorQuery, ActorSort, ActorSummary, ActorView, FieldChange,
        GapReport, Graph, GraphEdge, GraphFilter, GraphNode, ImportReport, LineProblem, NetworkExport, NetworkMetrics, NewActor,
        NewRelation, PersonLink, RelationKind, RelationView, GAP_REPORTS,
    },
    ports::NetworkPort,
    text::fold,
    AppError, Caller, Page, PageRequest, Role,
};
use surrealdb::types::SurrealValue;

use super::{csv_file, graph::Network, import};
use crate::{
    db::{is_duplicate, transaction_result, Db},
    error::internal,
};

pub struct SurrealNetwork {
    db: Db,
    graph: tokio::sync::Mutex<Option<Arc<LoadedGraph>>>,
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
            organic_status: r.organic_status,
            members: r.members.and_then(|m| u32::try_from(m).ok()),
            website: r.website,
            email: r.email,
            phone: r.phone,
            tags: r.tags,
            visibility: r.visibility,
            updated_at: r.updated_at,
        }
    }
}

const ACTOR_FIELDS: &str = "record::id(id) AS id, name, kind, description, country, state, municipality, products, organic_status,
    members, website, email, phone, tags, visibility, <string> updated_at AS updated_at";

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

#[derive(Debug, Clone, SurrealValue)]
struct NodeRow {
    id: String,
    name: String,
    kind: String,
    state: Option<String>,
    organic_status: Option<String>,
    products: Vec<String>,
}

#[derive(Debug, Clone, SurrealValue)]
struct EdgeRow {
    id: String,
    from: String,
    to: String,
    kind: String,
}

/// The relations and alliances one step of a traversal reached, by id.
#[derive(Debug, Default, SurrealValue)]
struct Traversed {
    relations: Vec<String>,
    alliances: Vec<String>,
}

#[derive(Debug, SurrealValue)]
struct PersonRow {
    id: String,
    name: String,
    role: String,
}

#[derive(Debug, SurrealValue)]
struct MeetingRow {
    id: String,
    producer: String,
    producer_name: String,
    buyer: String,
    buyer_name: String,
    date: Option<String>,
    status: String,
    attendees: Vec<String>,
    outcome: String,
    next_steps: String,
    reasons: Vec<String>,
    created_by: Option<String>,
    created_at: String,
}

impl From<MeetingRow> for shared::network::MeetingView {
    fn from(r: MeetingRow) -> Self {
        shared::network::MeetingView {
            id: r.id,
            producer: shared::network::ActorRef { id: r.producer, name: r.producer_name },
            buyer: shared::network::ActorRef { id: r.buyer, name: r.buyer_name },
            date: r.date,
            status: r.status,
            attendees: r.attendees,
            outcome: r.outcome,
            next_steps: r.next_steps,
            reasons: r.reasons,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

const MEETING_FIELDS: &str = "record::id(id) AS id, record::id(producer) AS producer, producer.name AS producer_name,
    record::id(buyer) AS buyer, buyer.name AS buyer_name, date, status, attendees, outcome, next_steps, reasons,
    created_by.name AS created_by, <string> created_at AS created_at";

#[derive(Debug, SurrealValue)]
struct AllianceRow {
    id: String,
    producer: String,
    producer_name: String,
    buyer: String,
    buyer_name: String,
    status: String,
    products: String,
    quantity: String,
    delivery: String,
    payment: String,
    buyer_contribution: String,
    business_plan: String,
    created_at: String,
    updated_at: String,
}

impl From<AllianceRow> for shared::network::AllianceView {
    fn from(r: AllianceRow) -> Self {
        shared::network::AllianceView {
            id: r.id,
            producer: shared::network::ActorRef { id: r.producer, name: r.producer_name },
            buyer: shared::network::ActorRef { id: r.buyer, name: r.buyer_name },
            status: r.status,
            products: r.products,
            quantity: r.quantity,
            delivery: r.delivery,
            payment: r.payment,
            buyer_contribution: r.buyer_contribution,
            business_plan: r.business_plan,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const ALLIANCE_FIELDS: &str = "record::id(id) AS id, record::id(in) AS producer, in.name AS producer_name, record::id(out) AS buyer,
    out.name AS buyer_name, status, products, quantity, delivery, payment, buyer_contribution, business_plan,
    <string> created_at AS created_at, <string> updated_at AS updated_at";

fn no_alliance() -> AppError {
    AppError::NotFound("There is no such alliance.".into())
}

#[derive(Debug, SurrealValue)]
struct ChangeRow {
    action: String,
    author: Option<String>,
    at: String,
    changes: String,
}

/// The whole graph as of one generation, with what is computed from it on demand.
struct LoadedGraph {
    generation: i64,
    nodes: Vec<NodeRow>,
    index: HashMap<String, usize>,
    edges: Vec<EdgeRow>,
    /// Per unordered pair of actors, the relations between them (edge indexes).
    between: HashMap<(usize, usize), Vec<usize>>,
    network: Network,
    metrics: OnceLock<NetworkMetrics>,
}

impl LoadedGraph {
    fn new(generation: i64, nodes: Vec<NodeRow>, edges: Vec<EdgeRow>) -> Self {
        let index: HashMap<String, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let mut edges: Vec<EdgeRow> = edges.into_iter().filter(|e| index.contains_key(&e.from) && index.contains_key(&e.to)).collect();
        // By id, so that an edge a traversal names is found by a binary search.
        edges.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut between: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (i, e) in edges.iter().enumerate() {
            let (a, b) = (index[&e.from], index[&e.to]);
            between.entry((a.min(b), a.max(b))).or_default().push(i);
        }
        let network = Network::new(nodes.iter().map(|n| n.id.clone()), edges.iter().map(|e| (e.from.clone(), e.to.clone())));
        LoadedGraph { generation, nodes, index, edges, between, network, metrics: OnceLock::new() }
    }

    fn node(&self, i: usize) -> GraphNode {
        let n = &self.nodes[i];
        GraphNode { id: n.id.clone(), name: n.name.clone(), kind: n.kind.clone(), state: n.state.clone() }
    }

    /// The position of a relation (or, with `alliance`, an alliance) by its id.
    fn edge_by_id(&self, id: &str, alliance: bool) -> Option<usize> {
        let first = self.edges.partition_point(|e| e.id.as_str() < id);
        self.edges[first..].iter().take_while(|e| e.id == id).position(|e| (e.kind == "alliance") == alliance).map(|p| first + p)
    }

    fn edge(&self, i: usize) -> GraphEdge {
        let e = &self.edges[i];
        GraphEdge { id: e.id.clone(), from: e.from.clone(), to: e.to.clone(), kind: e.kind.clone() }
    }

    fn metrics(&self) -> &NetworkMetrics {
        self.metrics.get_or_init(|| {
            let raw = self.network.metrics();
            let components = raw.iter().map(|m| m.component + 1).max().unwrap_or(0);
            let mut actors: Vec<ActorMetricsView> = raw
                .into_iter()
                .filter_map(|m| {
                    let n = &self.nodes[*self.index.get(&m.id)?];
                    Some(ActorMetricsView {
                        id: m.id,
                        name: n.name.clone(),
                        kind: n.kind.clone(),
                        degree: m.degree,
                        betweenness: m.betweenness,
                        component: m.component,
                    })
                })
                .collect();
            actors.sort_by(|a, b| {
                b.betweenness.total_cmp(&a.betweenness).then(b.degree.cmp(&a.degree)).then_with(|| fold(&a.name).cmp(&fold(&b.name)))
            });
            NetworkMetrics { actors, components, sampled: self.network.sampled() }
        })
    }
}

/// Writes imported rows in transactions of `IMPORT_BATCH`; a batch refused is written again row
/// by row, so that only its bad rows are reported (with `refused`). Reports the progress.
async fn write_batches<'a, T, F, Fut>(
    rows: &'a [(u64, T)],
    errors: &mut Vec<csv_file::LineError>,
    insert: F,
    refused: impl Fn(&T, &AppError) -> String,
) -> usize
where
    F: Fn(&'a [(u64, T)]) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    super::progress::total(rows.len());
    let mut written = 0;
    for batch in rows.chunks(IMPORT_BATCH) {
        match insert(batch).await {
            Ok(()) => written += batch.len(),
            Err(_) if batch.len() > 1 => {
                for row in batch {
                    match insert(std::slice::from_ref(row)).await {
                        Ok(()) => written += 1,
                        Err(e) => errors.push(csv_file::LineError { line: row.0, message: refused(&row.1, &e) }),
                    }
                }
            }
            Err(e) => errors.push(csv_file::LineError { line: batch[0].0, message: refused(&batch[0].1, &e) }),
        }
        super::progress::advance(batch.len());
    }
    written
}

fn db_err(context: &'static str) -> impl Fn(surrealdb::Error) -> AppError {
    move |e| internal(context, e)
}

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

/// May this caller change the profile (and relations) of this actor?
fn may_edit(caller: &Caller, actor_id: &str) -> bool {
    caller.has_any(STEWARDS) || caller.actor_ids.iter().any(|a| a == actor_id)
}

/// The words of a search the full-text index can use: at least two letters or digits each.
fn search_words(q: &str) -> Option<String> {
    let words: Vec<&str> = q.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 2).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Rows written per transaction by an import.
const IMPORT_BATCH: usize = 500;

/// Rows per read when the graph is loaded into memory.
const GRAPH_PAGE: usize = 10_000;

/// A fresh record key: 20 lower-case letters and digits, as SurrealDB makes them.
fn new_key() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// An actor as an import writes it.
#[derive(Debug, Clone, SurrealValue)]
struct ActorInsert {
    id: String,
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

impl ActorInsert {
    fn new(a: &NewActor) -> Self {
        ActorInsert {
            id: new_key(),
            name: a.name.clone(),
            name_folded: fold(&a.name),
            kind: a.kind.clone(),
            description: a.description.clone(),
            country: a.country.clone().unwrap_or_else(|| "BR".into()),
            state: a.state.clone(),
            municipality: a.municipality.clone(),
            products: a.products.clone(),
            organic_status: a.organic_status.clone(),
            members: a.members.map(i64::from),
            website: a.website.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            tags: a.tags.clone(),
            visibility: a.visibility.clone().unwrap_or_else(|| "network".into()),
            search_text: a.search_text(),
        }
    }
}

/// A history entry as an import writes it.
#[derive(Debug, Clone, SurrealValue)]
struct ChangeInsert {
    actor: String,
    changes: String,
}

/// A relation as an import writes it.
#[derive(Debug, Clone, SurrealValue)]
struct RelationInsert {
    from: String,
    to: String,
    kind: String,
    since: Option<String>,
    until: Option<String>,
    note: String,
    evidence: String,
}

fn whole_file(e: csv_file::LineError) -> AppError {
    AppError::validation("file", e.message)
}

fn problems(errors: Vec<csv_file::LineError>) -> Vec<LineProblem> {
    let mut out: Vec<LineProblem> = errors.into_iter().map(|e| LineProblem { line: e.line, message: e.message }).collect();
    out.sort_by_key(|e| e.line);
    out
}

impl SurrealNetwork {
    pub fn new(db: Db) -> Self {
        SurrealNetwork { db, graph: tokio::sync::Mutex::new(None) }
    }

    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    async fn kinds(&self) -> Result<Vec<ActorKind>, AppError> {
        let rows: Vec<KindRow> = self
            .db
            .query("SELECT record::id(id) AS id, label, producer, buyer, position FROM actor_kind ORDER BY position")
            .await
            .map_err(db_err("read actor kinds"))?
            .take(0)
            .map_err(db_err("read actor kinds"))?;
        Ok(rows.into_iter().map(|r| ActorKind { id: r.id, label: r.label, producer: r.producer, buyer: r.buyer }).collect())
    }

    async fn relation_kinds_all(&self) -> Result<Vec<RelationKind>, AppError> {
        let rows: Vec<RelationKindRow> = self
            .db
            .query("SELECT record::id(id) AS id, label, position FROM relation_kind ORDER BY position")
            .await
            .map_err(db_err("read relation kinds"))?
            .take(0)
            .map_err(db_err("read relation kinds"))?;
        Ok(rows.into_iter().map(|r| RelationKind { id: r.id, label: r.label }).collect())
    }

    async fn find_actor(&self, id: &str) -> Result<ActorView, AppError> {
        let id = actor_key(id)?;
        let row: Option<ActorRow> = self
            .db
            .query(format!("SELECT {ACTOR_FIELDS} FROM ONLY type::record('actor', $id)"))
            .bind(("id", id.to_string()))
            .await
            .map_err(db_err("read an actor"))?
            .take(0)
            .map_err(db_err("read an actor"))?;
        row.map(Into::into).ok_or_else(no_actor)
    }

    /// Inserts an actor without checking who asks (the demo loader, the benchmark generator and
    /// the service below use it); `author` is recorded in its history.
    pub async fn insert_actor(&self, new: NewActor) -> Result<ActorView, AppError> {
        self.insert_actor_by(None, new).await
    }

    async fn insert_actor_by(&self, author: Option<&str>, new: NewActor) -> Result<ActorView, AppError> {
        let actor = new.validate(&self.kinds().await?)?;
        let history = serde_json::to_string(&changes(&NewActor::default(), &actor)).map_err(|e| internal("create actor", e))?;
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $a = (CREATE ONLY actor CONTENT {
                    name: $name, name_folded: $folded, kind: $kind, description: $description, country: $country ?? 'BR',
                    state: $state, municipality: $municipality, products: $products, organic_status: $organic_status,
                    members: $members, website: $website, email: $email, phone: $phone, tags: $tags,
                    visibility: $visibility ?? 'network', search_text: $search_text
                 }).id;
                 CREATE actor_change CONTENT { actor: $a, author: (IF $author = NONE { NONE } ELSE { type::record('user', $author) }),
                    action: 'created', changes: $history };
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN record::id($a);
                 COMMIT TRANSACTION;",
            )
            .bind(("folded", fold(&actor.name)))
            .bind(("search_text", actor.search_text()))
            .bind(("name", actor.name.clone()))
            .bind(("kind", actor.kind.clone()))
            .bind(("description", actor.description.clone()))
            .bind(("country", actor.country.clone()))
            .bind(("state", actor.state.clone()))
            .bind(("municipality", actor.municipality.clone()))
            .bind(("products", actor.products.clone()))
            .bind(("organic_status", actor.organic_status.clone()))
            .bind(("members", actor.members.map(i64::from)))
            .bind(("website", actor.website.clone()))
            .bind(("email", actor.email.clone()))
            .bind(("phone", actor.phone.clone()))
            .bind(("tags", actor.tags.clone()))
            .bind(("visibility", actor.visibility.clone()))
            .bind(("author", author.map(String::from)))
            .bind(("history", history))
            .await
            .map_err(db_err("create actor"))?;
        let id = match transaction_result::<String>(response) {
            Ok(Some(id)) => id,
            Ok(None) => return Err(AppError::Internal),
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!("An actor named “{}” already exists.", actor.name)));
            }
            Err(e) => return Err(internal("create actor", e)),
        };
        self.find_actor(&id).await
    }

    /// Writes imported actors, a transaction per batch; a batch that fails (someone added one
    /// of the names meanwhile) is written again one row at a time, so each row is either wholly
    /// written or reported.
    async fn write_actors(&self, author: &str, rows: Vec<(u64, NewActor)>, errors: &mut Vec<csv_file::LineError>) -> usize {
        write_batches(&rows, errors, |batch| self.insert_actor_batch(author, batch), |a, e| format!("“{}” was not imported: {e}", a.name))
            .await
    }

    async fn insert_actor_batch(&self, author: &str, batch: &[(u64, NewActor)]) -> Result<(), AppError> {
        let rows: Vec<ActorInsert> = batch.iter().map(|(_, a)| ActorInsert::new(a)).collect();
        let history: Vec<ChangeInsert> = rows
            .iter()
            .zip(batch)
            .map(|(r, (_, a))| ChangeInsert {
                actor: r.id.clone(),
                changes: serde_json::to_string(&changes(&NewActor::default(), a)).unwrap_or_else(|_| "[]".into()),
            })
            .collect();
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 INSERT INTO actor $rows RETURN NONE;
                 INSERT INTO actor_change (array::map($history, |$h| { actor: type::record('actor', $h.actor),
                    author: type::record('user', $author), action: 'imported', changes: $h.changes })) RETURN NONE;
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN true;
                 COMMIT TRANSACTION;",
            )
            .bind(("rows", rows))
            .bind(("history", history))
            .bind(("author", author.to_string()))
            .await
            .map_err(db_err("import actors"))?;
        match transaction_result::<bool>(response) {
            Ok(_) => Ok(()),
            Err(e) if is_duplicate(&e) => Err(AppError::Conflict("an actor of that name was added meanwhile.".into())),
            Err(e) => Err(internal("import actors", e)),
        }
    }

    async fn write_relations(&self, author: &str, rows: Vec<(u64, NewRelation)>, errors: &mut Vec<csv_file::LineError>) -> usize {
        write_batches(
            &rows,
            errors,
            |batch| self.insert_relation_batch(author, batch),
            |_, e| format!("This relation was not imported: {e}"),
        )
        .await
    }

    async fn insert_relation_batch(&self, author: &str, batch: &[(u64, NewRelation)]) -> Result<(), AppError> {
        let rows: Vec<RelationInsert> = batch
            .iter()
            .map(|(_, r)| RelationInsert {
                from: r.from.clone(),
                to: r.to.clone(),
                kind: r.kind.clone(),
                since: r.since.clone(),
                until: r.until.clone(),
                note: r.note.clone(),
                evidence: r.evidence.clone(),
            })
            .collect();
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $user = type::record('user', $author);
                 LET $data = array::map($rows, |$r| { in: type::record('actor', $r.from), out: type::record('actor', $r.to),
                    kind: $r.kind, since: $r.since, until: $r.until, note: $r.note, evidence: $r.evidence, created_by: $user });
                 INSERT RELATION INTO relation $data RETURN NONE;
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN true;
                 COMMIT TRANSACTION;",
            )
            .bind(("rows", rows))
            .bind(("author", author.to_string()))
            .await
            .map_err(db_err("import relations"))?;
        match transaction_result::<bool>(response) {
            Ok(_) => Ok(()),
            Err(e) if is_duplicate(&e) => Err(AppError::Conflict("the same relation was added meanwhile.".into())),
            Err(e) if e.to_string().contains("actor") => Err(AppError::Conflict("one of its actors was deleted meanwhile.".into())),
            Err(e) => Err(internal("import relations", e)),
        }
    }

    /// The producer organisation and the buyer of a meeting or an alliance, checked: both exist,
    /// are of a producer and a buyer kind, and the caller may act for one of them.
    async fn producer_and_buyer(
        &self,
        caller: &Caller,
        producer: &str,
        buyer: &str,
        what: &str,
    ) -> Result<(ActorView, ActorView), AppError> {
        let missing = |field: &str, id: &str| AppError::validation(field, format!("There is no actor with the id “{id}”."));
        let producer = self.find_actor(producer).await.map_err(|_| missing("producer", producer))?;
        let buyer = self.find_actor(buyer).await.map_err(|_| missing("buyer", buyer))?;
        if !(may_edit(caller, &producer.id) || may_edit(caller, &buyer.id)) {
            return Err(AppError::forbidden(what));
        }
        let kinds = self.kinds().await?;
        let is = |kind: &str, pick: fn(&ActorKind) -> bool| kinds.iter().any(|k| k.id == kind && pick(k));
        if !is(&producer.kind, |k| k.producer) {
            return Err(AppError::validation("producer", format!("“{}” is not a producer organisation.", producer.name)));
        }
        if !is(&buyer.kind, |k| k.buyer) {
            return Err(AppError::validation("buyer", format!("“{}” is not a buyer.", buyer.name)));
        }
        Ok((producer, buyer))
    }

    /// The directory's search (see `list_actors`); `public_only` keeps the actors made public.
    async fn search_actors(&self, query: ActorQuery, public_only: bool) -> Result<Page<ActorView>, AppError> {
        let page = query.page;
        let mut conditions: Vec<&str> = Vec::new();
        if public_only {
            conditions.push("visibility = 'public'");
        }
        let words = query.q.as_deref().map(fold).and_then(|q| search_words(&q));
        let fallback = query.q.as_deref().map(fold).filter(|q| !q.is_empty() && words.is_none());
        if words.is_some() {
            conditions.push("search_text @1@ $q");
        } else if fallback.is_some() {
            conditions.push("string::contains(name_folded, $contains)");
        }
        let kind = query.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(String::from);
        if kind.is_some() {
            conditions.push("kind = $kind");
        }
        let state = shared::network::state_code("state", query.state.as_deref())?;
        if state.is_some() {
            conditions.push("state = $state");
        }
        let organic_status = query.organic_status.as_deref().map(str::trim).filter(|k| !k.is_empty()).map(String::from);
        if organic_status.is_some() {
            conditions.push("organic_status = $organic_status");
        }
        let tag = query.tag.as_deref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
        if tag.is_some() {
            conditions.push("tags CONTAINS $tag");
        }
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let sort = query.sort.unwrap_or(if words.is_some() { ActorSort::Relevance } else { ActorSort::Name });
        let (score, order) = match sort {
            ActorSort::Relevance if words.is_some() => (", search::score(1) AS score", "ORDER BY score DESC, name_folded"),
            ActorSort::Updated => ("", "ORDER BY updated_at DESC, name_folded"),
            _ => ("", "ORDER BY name_folded"),
        };
        let mut r = self
            .db
            .query(format!(
                "SELECT {ACTOR_FIELDS}, name_folded{score} FROM actor {filter} {order} LIMIT $limit START $start;
                 count(SELECT id FROM actor {filter});"
            ))
            .bind(("q", words.unwrap_or_default()))
            .bind(("contains", fallback.unwrap_or_default()))
            .bind(("kind", kind))
            .bind(("state", state))
            .bind(("organic_status", organic_status))
            .bind(("tag", tag))
            .bind(("limit", i64::from(page.per_page)))
            .bind(("start", page.offset() as i64))
            .await
            .map_err(db_err("list actors"))?;
        let rows: Vec<ActorRow> = r.take(0).map_err(db_err("list actors"))?;
        let total: Option<i64> = r.take(1).map_err(db_err("list actors"))?;
        Ok(Page {
            items: rows.into_iter().map(Into::into).collect(),
            total: total.unwrap_or(0).max(0) as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// The graph as of the database's current generation, loaded again when it moved on.
    async fn loaded(&self) -> Result<Arc<LoadedGraph>, AppError> {
        let generation: Option<i64> = self
            .db
            .query("SELECT VALUE generation FROM ONLY network_meta:graph")
            .await
            .map_err(db_err("read the network's generation"))?
            .take(0)
            .map_err(db_err("read the network's generation"))?;
        let generation = generation.unwrap_or(0);
        let mut slot = self.graph.lock().await;
        if let Some(g) = slot.as_ref().filter(|g| g.generation == generation) {
            return Ok(g.clone());
        }
        let mut nodes: Vec<NodeRow> =
            self.read_in_pages("actor", "record::id(id) AS id, name, kind, state, organic_status, products", GRAPH_PAGE).await?;
        let edge = "record::id(id) AS id, record::id(in) AS from, record::id(out) AS to";
        let mut edges: Vec<EdgeRow> = self.read_in_pages("relation", &format!("{edge}, kind"), GRAPH_PAGE).await?;
        edges.extend(self.read_in_pages::<EdgeRow>("alliance", &format!("{edge}, 'alliance' AS kind"), GRAPH_PAGE).await?);
        nodes.sort_by_cached_key(|n| fold(&n.name));
        let graph = tokio::task::spawn_blocking(move || LoadedGraph::new(generation, nodes, edges))
            .await
            .map_err(|e| internal("load the network", e))?;
        let graph = Arc::new(graph);
        *slot = Some(graph.clone());
        Ok(graph)
    }

    /// Every row of `table` with `fields`, read in pages: the database's rows for a whole table of
    /// relations at once would cost several times the graph they become, for as long as the read
    /// takes.
    async fn read_in_pages<T: SurrealValue>(&self, table: &str, fields: &str, page_rows: usize) -> Result<Vec<T>, AppError> {
        let mut rows: Vec<T> = Vec::new();
        loop {
            let page: Vec<T> = self
                .db
                .query(format!("SELECT {fields} FROM {table} LIMIT $limit START $start"))
                .bind(("limit", page_rows as i64))
                .bind(("start", rows.len() as i64))
                .await
                .and_then(|mut r| r.take(0))
                .map_err(db_err("load the network"))?;
            let last = page.len() < page_rows;
            rows.extend(page);
            if last {
                return Ok(rows);
            }
        }
    }

    /// Records an event on an actor's history inside a write (a fragment of a transaction).
    fn relation_change(kind: &str, other_id: &str, other_name: &str, outgoing: bool, relation_id: &str) -> Vec<FieldChange> {
        vec![FieldChange {
            field: "relation".into(),
            before: serde_json::Value::Null,
            after: json!({"id": relation_id, "kind": kind, if outgoing { "to" } else { "from" }: other_id, "name": other_name}),
        }]
    }
}

#[async_trait]
impl NetworkPort for SurrealNetwork {
    async fn actor_kinds(&self) -> Result<Vec<ActorKind>, AppError> {
        self.kinds().await
    }

    async fn relation_kinds(&self) -> Result<Vec<RelationKind>, AppError> {
        self.relation_kinds_all().await
    }

    async fn add_kind(&self, caller: &Caller, new: shared::network::NewKind) -> Result<(), AppError> {
        caller.require_any(&[Role::Admin], "add kinds of actors or relations")?;
        let k = new.validate()?;
        let table = if k.of == "actor" { "actor_kind" } else { "relation_kind" };
        let response = self
            .db
            .query(format!(
                "BEGIN TRANSACTION;
                 LET $position = (math::max((SELECT VALUE position FROM {table})) ?? 0) + 1;
                 CREATE type::record('{table}', $id) CONTENT {{ label: $label, position: $position{extra} }};
                 RETURN true;
                 COMMIT TRANSACTION;",
                extra = if k.of == "actor" { ", producer: $producer, buyer: $buyer" } else { "" }
            ))
            .bind(("id", k.id.clone()))
            .bind(("label", k.label.clone()))
            .bind(("producer", k.producer))
            .bind(("buyer", k.buyer))
            .await
            .map_err(db_err("add a kind"))?;
        match transaction_result::<bool>(response) {
            Ok(_) => Ok(()),
            Err(e) if is_duplicate(&e) => Err(AppError::Conflict(format!("There is already a kind “{}”.", k.id))),
            Err(e) => Err(internal("add a kind", e)),
        }
    }

    /// Any logged-in user may browse the directory. `q` is a full-text search over names,
    /// descriptions, products, tags and municipalities (case and accents ignored; words match
    /// from their start, so "coop" finds "Cooperativa").
    async fn list_actors(&self, _caller: &Caller, query: ActorQuery) -> Result<Page<ActorView>, AppError> {
        self.search_actors(query, false).await
    }

    async fn public_actors(&self, query: ActorQuery) -> Result<Page<ActorView>, AppError> {
        let mut page = self.search_actors(query, true).await?;
        for a in &mut page.items {
            a.email = None;
            a.phone = None;
        }
        Ok(page)
    }

    async fn actor(&self, caller: &Caller, id: &str) -> Result<ActorDetail, AppError> {
        let actor = self.find_actor(id).await?;
        let mut r = self
            .db
            .query(format!(
                "LET $a = type::record('actor', $id);
                 SELECT {RELATION_FIELDS}, in.name_folded AS a, out.name_folded AS b FROM relation WHERE in = $a ORDER BY kind, b;
                 SELECT {RELATION_FIELDS}, in.name_folded AS a, out.name_folded AS b FROM relation WHERE out = $a ORDER BY kind, a;
                 SELECT record::id(in) AS id, in.name AS name, role, in.name_folded AS n FROM represents WHERE out = $a ORDER BY n;"
            ))
            .bind(("id", actor.id.clone()))
            .await
            .map_err(db_err("read an actor's relations"))?;
        let outgoing: Vec<RelationRow> = r.take(1).map_err(db_err("read an actor's relations"))?;
        let incoming: Vec<RelationRow> = r.take(2).map_err(db_err("read an actor's relations"))?;
        let people: Vec<PersonRow> = r.take(3).map_err(db_err("read an actor's people"))?;
        let can_edit = may_edit(caller, &actor.id);
        Ok(ActorDetail {
            actor,
            relations: outgoing.into_iter().chain(incoming).map(Into::into).collect(),
            people: people.into_iter().map(|p| PersonLink { id: p.id, name: p.name, role: p.role }).collect(),
            can_edit,
        })
    }

    async fn actor_named(&self, _caller: &Caller, name: &str) -> Result<Option<shared::network::ActorRef>, AppError> {
        #[derive(SurrealValue)]
        struct Row {
            id: String,
            name: String,
        }
        let row: Option<Row> = self
            .db
            .query("SELECT record::id(id) AS id, name FROM actor WHERE name_folded = $name LIMIT 1")
            .bind(("name", fold(name)))
            .await
            .map_err(db_err("find an actor by name"))?
            .take(0)
            .map_err(db_err("find an actor by name"))?;
        Ok(row.map(|r| shared::network::ActorRef { id: r.id, name: r.name }))
    }

    /// Organisers, the secretariat and admins add actors; members cannot.
    async fn create_actor(&self, caller: &Caller, new: NewActor) -> Result<ActorView, AppError> {
        caller.require_any(STEWARDS, "add actors to the network")?;
        self.insert_actor_by(Some(&caller.user_id), new).await
    }

    /// Members change the actors they belong to; organisers, the secretariat and admins any.
    async fn update_actor(&self, caller: &Caller, id: &str, patch: serde_json::Value) -> Result<ActorView, AppError> {
        let current = self.find_actor(id).await?;
        if !may_edit(caller, &current.id) {
            return Err(AppError::forbidden("change the profile of an organisation you do not belong to"));
        }
        let before = NewActor::from_view(&current);
        let after = before.patched(&patch)?.validate(&self.kinds().await?)?;
        let diff = changes(&before, &after);
        if diff.is_empty() {
            return Ok(current);
        }
        let history = serde_json::to_string(&diff).map_err(|e| internal("update actor", e))?;
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $a = type::record('actor', $id);
                 UPDATE $a SET name = $name, name_folded = $folded, kind = $kind, description = $description,
                    country = $country ?? 'BR', state = $state, municipality = $municipality, products = $products,
                    organic_status = $organic_status, members = $members, website = $website, email = $email, phone = $phone,
                    tags = $tags, visibility = $visibility ?? 'network', search_text = $search_text, updated_at = time::now();
                 CREATE actor_change CONTENT { actor: $a, author: type::record('user', $author), action: 'updated', changes: $history };
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN record::id($a);
                 COMMIT TRANSACTION;",
            )
            .bind(("id", current.id.clone()))
            .bind(("folded", fold(&after.name)))
            .bind(("search_text", after.search_text()))
            .bind(("name", after.name.clone()))
            .bind(("kind", after.kind.clone()))
            .bind(("description", after.description.clone()))
            .bind(("country", after.country.clone()))
            .bind(("state", after.state.clone()))
            .bind(("municipality", after.municipality.clone()))
            .bind(("products", after.products.clone()))
            .bind(("organic_status", after.organic_status.clone()))
            .bind(("members", after.members.map(i64::from)))
            .bind(("website", after.website.clone()))
            .bind(("email", after.email.clone()))
            .bind(("phone", after.phone.clone()))
            .bind(("tags", after.tags.clone()))
            .bind(("visibility", after.visibility.clone()))
            .bind(("author", caller.user_id.clone()))
            .bind(("history", history))
            .await
            .map_err(db_err("update actor"))?;
        match transaction_result::<String>(response) {
            Ok(_) => {}
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!("Another actor is already named “{}”.", after.name)));
            }
            Err(e) => return Err(internal("update actor", e)),
        }
        self.find_actor(&current.id).await
    }

    /// Organisers, the secretariat and admins delete actors, with their relations and the
    /// people's links to them; an actor named by amendments or stances stays (409).
    async fn delete_actor(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        caller.require_any(STEWARDS, "delete actors")?;
        let actor = self.find_actor(id).await?;
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $a = type::record('actor', $id);
                 IF count(SELECT id FROM amendment WHERE actor = $a LIMIT 1) > 0 OR count(SELECT id FROM stance WHERE actor = $a LIMIT 1) > 0 {
                    THROW 'actor in the record'
                 };
                 DELETE relation WHERE in = $a;
                 DELETE relation WHERE out = $a;
                 DELETE represents WHERE out = $a;
                 DELETE alliance WHERE in = $a;
                 DELETE alliance WHERE out = $a;
                 DELETE meeting WHERE producer = $a;
                 DELETE meeting WHERE buyer = $a;
                 UPDATE user SET actors -= $a WHERE actors CONTAINS $a;
                 DELETE $a;
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN true;
                 COMMIT TRANSACTION;",
            )
            .bind(("id", actor.id.clone()))
            .await
            .map_err(db_err("delete actor"))?;
        match transaction_result::<bool>(response) {
            Ok(_) => Ok(()),
            Err(e) if e.to_string().contains("actor in the record") => Err(AppError::Conflict(format!(
                "“{}” proposed, supported or opposed amendments, and the negotiation record names it: it cannot be deleted.",
                actor.name
            ))),
            Err(e) => Err(internal("delete actor", e)),
        }
    }

    async fn actor_history(&self, _caller: &Caller, id: &str, page: PageRequest) -> Result<Page<ActorChange>, AppError> {
        let actor = self.find_actor(id).await?;
        let mut r = self
            .db
            .query(
                "LET $a = type::record('actor', $id);
                 SELECT action, author.name AS author, <string> created_at AS at, changes, created_at FROM actor_change
                    WHERE actor = $a ORDER BY created_at DESC LIMIT $limit START $start;
                 count(SELECT id FROM actor_change WHERE actor = $a);",
            )
            .bind(("id", actor.id))
            .bind(("limit", i64::from(page.per_page)))
            .bind(("start", page.offset() as i64))
            .await
            .map_err(db_err("read an actor's history"))?;
        let rows: Vec<ChangeRow> = r.take(1).map_err(db_err("read an actor's history"))?;
        let total: Option<i64> = r.take(2).map_err(db_err("read an actor's history"))?;
        let items = rows
            .into_iter()
            .map(|r| ActorChange {
                action: r.action,
                author: r.author,
                at: r.at,
                changes: serde_json::from_str(&r.changes).unwrap_or_default(),
            })
            .collect();
        Ok(Page { items, total: total.unwrap_or(0).max(0) as u64, page: page.page, per_page: page.per_page })
    }

    /// Stewards relate any two actors; a member relates the actors they belong to with others.
    async fn create_relation(&self, caller: &Caller, new: NewRelation) -> Result<RelationView, AppError> {
        let relation = new.validate(&self.relation_kinds_all().await?)?;
        let missing = |field: &str, id: &str| AppError::validation(field, format!("There is no actor with the id “{id}”."));
        let from = self.find_actor(&relation.from).await.map_err(|_| missing("from", &relation.from))?;
        let to = self.find_actor(&relation.to).await.map_err(|_| missing("to", &relation.to))?;
        if !(may_edit(caller, &from.id) || may_edit(caller, &to.id)) {
            return Err(AppError::forbidden("relate organisations you do not belong to"));
        }
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $f = type::record('actor', $from);
                 LET $t = type::record('actor', $to);
                 LET $r = (RELATE ONLY $f->relation->$t CONTENT { kind: $kind, since: $since, until: $until, note: $note,
                    evidence: $evidence, created_by: type::record('user', $author) }).id;
                 LET $id = record::id($r);
                 CREATE actor_change CONTENT { actor: $f, author: type::record('user', $author), action: 'relation_added',
                    changes: string::replace($out_change, '@id@', $id) };
                 CREATE actor_change CONTENT { actor: $t, author: type::record('user', $author), action: 'relation_added',
                    changes: string::replace($in_change, '@id@', $id) };
                 UPDATE $f SET updated_at = time::now();
                 UPDATE $t SET updated_at = time::now();
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN $id;
                 COMMIT TRANSACTION;",
            )
            .bind(("from", from.id.clone()))
            .bind(("to", to.id.clone()))
            .bind(("kind", relation.kind.clone()))
            .bind(("since", relation.since.clone()))
            .bind(("until", relation.until.clone()))
            .bind(("note", relation.note.clone()))
            .bind(("evidence", relation.evidence.clone()))
            .bind(("author", caller.user_id.clone()))
            .bind((
                "out_change",
                serde_json::to_string(&Self::relation_change(&relation.kind, &to.id, &to.name, true, "@id@")).unwrap_or_default(),
            ))
            .bind((
                "in_change",
                serde_json::to_string(&Self::relation_change(&relation.kind, &from.id, &from.name, false, "@id@")).unwrap_or_default(),
            ))
            .await
            .map_err(db_err("create relation"))?;
        let id = match transaction_result::<String>(response) {
            Ok(Some(id)) => id,
            Ok(None) => return Err(AppError::Internal),
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!(
                    "“{}” already {} “{}”.",
                    from.name,
                    shared::network::relation_kind_label(&relation.kind),
                    to.name
                )))
            }
            Err(e) => return Err(internal("create relation", e)),
        };
        Ok(RelationView {
            id,
            from: from.id,
            from_name: from.name,
            to: to.id,
            to_name: to.name,
            kind: relation.kind,
            since: relation.since,
            until: relation.until,
            note: relation.note,
            evidence: relation.evidence,
        })
    }

    async fn delete_relation(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        let gone = || AppError::NotFound("There is no such relation.".into());
        let key = id.trim();
        if !is_record_key(key) {
            return Err(gone());
        }
        let row: Option<RelationRow> = self
            .db
            .query(format!("SELECT {RELATION_FIELDS} FROM ONLY type::record('relation', $id)"))
            .bind(("id", key.to_string()))
            .await
            .map_err(db_err("read a relation"))?
            .take(0)
            .map_err(db_err("read a relation"))?;
        let rel = row.ok_or_else(gone)?;
        if !(may_edit(caller, &rel.from) || may_edit(caller, &rel.to)) {
            return Err(AppError::forbidden("remove relations of organisations you do not belong to"));
        }
        let removed = |other: &str, name: &str, outgoing: bool| {
            let mut c = Self::relation_change(&rel.kind, other, name, outgoing, &rel.id);
            c[0].before = std::mem::take(&mut c[0].after);
            serde_json::to_string(&c).unwrap_or_default()
        };
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $r = type::record('relation', $id);
                 LET $f = type::record('actor', $from);
                 LET $t = type::record('actor', $to);
                 DELETE $r;
                 CREATE actor_change CONTENT { actor: $f, author: type::record('user', $author), action: 'relation_removed', changes: $out_change };
                 CREATE actor_change CONTENT { actor: $t, author: type::record('user', $author), action: 'relation_removed', changes: $in_change };
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN true;
                 COMMIT TRANSACTION;",
            )
            .bind(("id", rel.id.clone()))
            .bind(("from", rel.from.clone()))
            .bind(("to", rel.to.clone()))
            .bind(("author", caller.user_id.clone()))
            .bind(("out_change", removed(&rel.to, &rel.to_name, true)))
            .bind(("in_change", removed(&rel.from, &rel.from_name, false)))
            .await
            .map_err(db_err("delete relation"))?;
        transaction_result::<bool>(response).map_err(|e| internal("delete relation", e))?;
        Ok(())
    }

    /// Breadth first, one graph traversal per level: the relations of the actors reached so far.
    async fn neighbors(&self, _caller: &Caller, id: &str, depth: u32) -> Result<Graph, AppError> {
        if !(1..=3).contains(&depth) {
            return Err(AppError::validation("depth", "Depth is 1, 2 or 3 relations."));
        }
        let start = self.find_actor(id).await?;
        // The traversal runs in the database; the relations it reaches are read from the graph
        // kept in memory (read again first if it moved on), not fetched record by record.
        let graph = self.loaded().await?;
        let mut reached: Vec<String> = vec![start.id.clone()];
        let mut seen: HashSet<String> = HashSet::from([start.id.clone()]);
        let mut frontier = vec![start.id.clone()];
        let mut edges: Vec<GraphEdge> = Vec::new();
        let mut taken: HashSet<usize> = HashSet::new();
        for _ in 0..depth {
            if frontier.is_empty() {
                break;
            }
            let mut r = self
                .db
                .query(
                    "LET $f = array::map($ids, |$i| type::record('actor', $i));
                     RETURN {
                         relations: array::map(array::distinct(array::flatten(array::concat($f->relation, $f<-relation))), |$r| record::id($r)),
                         alliances: array::map(array::distinct(array::flatten(array::concat($f->alliance, $f<-alliance))), |$r| record::id($r)),
                     };",
                )
                .bind(("ids", std::mem::take(&mut frontier)))
                .await
                .map_err(db_err("read a neighbourhood"))?;
            let found: Option<Traversed> = r.take(1).map_err(db_err("read a neighbourhood"))?;
            let found = found.unwrap_or_default();
            let positions = found
                .relations
                .iter()
                .filter_map(|id| graph.edge_by_id(id, false))
                .chain(found.alliances.iter().filter_map(|id| graph.edge_by_id(id, true)));
            for i in positions {
                if !taken.insert(i) {
                    continue;
                }
                let e = graph.edge(i);
                for end in [&e.from, &e.to] {
                    if seen.insert(end.clone()) {
                        reached.push(end.clone());
                        frontier.push(end.clone());
                    }
                }
                edges.push(e);
            }
        }
        let nodes = reached.iter().filter_map(|id| graph.index.get(id).map(|&i| graph.node(i))).collect();
        Ok(Graph { nodes, edges })
    }

    async fn path(&self, _caller: &Caller, from: &str, to: &str) -> Result<Option<Graph>, AppError> {
        let (from, to) = (actor_key(from)?.to_string(), actor_key(to)?.to_string());
        let g = self.loaded().await?;
        let (Some(&a), Some(&b)) = (g.index.get(&from), g.index.get(&to)) else {
            return Err(no_actor());
        };
        let Some(ids) = g.network.shortest_path(&from, &to) else {
            return Ok(None);
        };
        let chain: Vec<usize> = ids.iter().filter_map(|id| g.index.get(id).copied()).collect();
        debug_assert_eq!((chain.first(), chain.last()), (Some(&a), Some(&b)));
        let edges = chain
            .windows(2)
            .filter_map(|w| g.between.get(&(w[0].min(w[1]), w[0].max(w[1]))).and_then(|e| e.first()).map(|&e| g.edge(e)))
            .collect();
        Ok(Some(Graph { nodes: chain.into_iter().map(|i| g.node(i)).collect(), edges }))
    }

    async fn network(&self, _caller: &Caller, filter: GraphFilter) -> Result<Graph, AppError> {
        let g = self.loaded().await?;
        let keep: Vec<bool> = g
            .nodes
            .iter()
            .map(|n| {
                (filter.kinds.is_empty() || filter.kinds.contains(&n.kind))
                    && (filter.states.is_empty() || n.state.as_ref().is_some_and(|s| filter.states.contains(s)))
            })
            .collect();
        let nodes = (0..g.nodes.len()).filter(|&i| keep[i]).map(|i| g.node(i)).collect();
        let edges =
            (0..g.edges.len()).filter(|&i| keep[g.index[&g.edges[i].from]] && keep[g.index[&g.edges[i].to]]).map(|i| g.edge(i)).collect();
        Ok(Graph { nodes, edges })
    }

    async fn metrics(&self, _caller: &Caller) -> Result<NetworkMetrics, AppError> {
        let g = self.loaded().await?;
        let computed = g.clone();
        tokio::task::spawn_blocking(move || computed.metrics().clone()).await.map_err(|e| internal("compute metrics", e))
    }

    async fn gaps(&self, _caller: &Caller) -> Result<Vec<GapReport>, AppError> {
        let kinds = self.kinds().await?;
        let g = self.loaded().await?;
        let is = |i: usize, pick: fn(&ActorKind) -> bool| kinds.iter().any(|k| k.id == g.nodes[i].kind && pick(k));
        let producer = |i: usize| is(i, |k| k.producer);
        let buyer = |i: usize| is(i, |k| k.buyer);
        let certifier = |i: usize| matches!(g.nodes[i].kind.as_str(), "certification_body" | "participatory_guarantee_body");
        // Per actor, its relations as (kind, the actor at the other end).
        let mut around: Vec<Vec<(&str, usize)>> = vec![Vec::new(); g.nodes.len()];
        for e in &g.edges {
            let (a, b) = (g.index[&e.from], g.index[&e.to]);
            around[a].push((e.kind.as_str(), b));
            around[b].push((e.kind.as_str(), a));
        }
        let trade = |k: &str| matches!(k, "supplies" | "buys_from" | "alliance");
        let summary = |i: usize| {
            let n = &g.nodes[i];
            ActorSummary { id: n.id.clone(), name: n.name.clone(), kind: n.kind.clone(), state: n.state.clone() }
        };
        let all = 0..g.nodes.len();
        let lists: [Vec<usize>; 5] = [
            all.clone()
                .filter(|&i| producer(i) && g.nodes[i].organic_status.as_deref() == Some("in_conversion"))
                .filter(|&i| !around[i].iter().any(|&(_, o)| certifier(o)))
                .collect(),
            all.clone().filter(|&i| producer(i) && !around[i].iter().any(|&(k, _)| k == "provides_technical_assistance")).collect(),
            all.clone().filter(|&i| producer(i) && !around[i].iter().any(|&(k, o)| trade(k) && buyer(o))).collect(),
            all.clone().filter(|&i| buyer(i) && !around[i].iter().any(|&(k, o)| trade(k) && producer(o))).collect(),
            all.filter(|&i| around[i].is_empty()).collect(),
        ];
        Ok(GAP_REPORTS
            .iter()
            .zip(lists)
            .map(|((name, title), list)| GapReport {
                name: name.to_string(),
                title: title.to_string(),
                actors: list.into_iter().map(summary).collect(),
            })
            .collect())
    }
    async fn matches(&self, _caller: &Caller, producer_id: &str) -> Result<Vec<shared::network::matching::BuyerMatch>, AppError> {
        use shared::network::matching::{rank, Candidate, MatchActor};
        let kinds = self.kinds().await?;
        let g = self.loaded().await?;
        let &p = g.index.get(actor_key(producer_id)?).ok_or_else(no_actor)?;
        let flag = |i: usize, pick: fn(&ActorKind) -> bool| kinds.iter().any(|k| k.id == g.nodes[i].kind && pick(k));
        if !flag(p, |k| k.producer) {
            return Err(AppError::Unprocessable(
                "Buyer matching suggests buyers for producer organisations (cooperatives and producer associations).".into(),
            ));
        }
        let trade = |k: &str| matches!(k, "supplies" | "buys_from" | "alliance");
        let organic = |i: usize| g.nodes[i].organic_status.as_deref().is_some_and(|s| s != "conventional");
        // Per buyer: the producers it trades with.
        let mut suppliers: HashMap<usize, HashSet<usize>> = HashMap::new();
        for e in g.edges.iter().filter(|e| trade(&e.kind)) {
            let (a, b) = (g.index[&e.from], g.index[&e.to]);
            for (buyer, producer) in [(a, b), (b, a)] {
                if flag(buyer, |k| k.buyer) && flag(producer, |k| k.producer) {
                    suppliers.entry(buyer).or_default().insert(producer);
                }
            }
        }
        let as_match = |i: usize| {
            let n = &g.nodes[i];
            MatchActor {
                id: n.id.clone(),
                name: n.name.clone(),
                kind: n.kind.clone(),
                state: n.state.clone(),
                products: n.products.clone(),
            }
        };
        let candidates: Vec<Candidate> = (0..g.nodes.len())
            .filter(|&i| flag(i, |k| k.buyer))
            .map(|i| {
                let theirs = suppliers.get(&i);
                Candidate {
                    actor: as_match(i),
                    organic_suppliers: theirs.map(|s| s.iter().filter(|&&q| organic(q)).count()).unwrap_or(0),
                    already_trades: theirs.is_some_and(|s| s.contains(&p)),
                }
            })
            .collect();
        Ok(rank(&as_match(p), &candidates))
    }

    async fn create_meeting(&self, caller: &Caller, new: shared::network::NewMeeting) -> Result<shared::network::MeetingView, AppError> {
        let m = new.validate()?;
        let (producer, buyer) =
            self.producer_and_buyer(caller, &m.producer, &m.buyer, "record meetings of organisations you do not belong to").await?;
        let row: Option<MeetingRow> = self
            .db
            .query(format!(
                "LET $m = (CREATE ONLY meeting CONTENT {{ producer: type::record('actor', $producer), buyer: type::record('actor', $buyer),
                    date: $date, status: $status, attendees: $attendees, outcome: $outcome, next_steps: $next_steps, reasons: $reasons,
                    created_by: type::record('user', $user) }}).id;
                 SELECT {MEETING_FIELDS} FROM ONLY $m;"
            ))
            .bind(("producer", producer.id.clone()))
            .bind(("buyer", buyer.id.clone()))
            .bind(("date", m.date.clone()))
            .bind(("status", m.status.clone().unwrap_or_else(|| "proposed".into())))
            .bind(("attendees", m.attendees.clone()))
            .bind(("outcome", m.outcome.clone()))
            .bind(("next_steps", m.next_steps.clone()))
            .bind(("reasons", m.reasons.clone()))
            .bind(("user", caller.user_id.clone()))
            .await
            .map_err(db_err("record a meeting"))?
            .take(1)
            .map_err(db_err("record a meeting"))?;
        row.map(Into::into).ok_or(AppError::Internal)
    }

    async fn update_meeting(&self, caller: &Caller, id: &str, patch: serde_json::Value) -> Result<shared::network::MeetingView, AppError> {
        let key = id.trim();
        let no_meeting = || AppError::NotFound("There is no such meeting.".into());
        if !is_record_key(key) {
            return Err(no_meeting());
        }
        let current: Option<MeetingRow> = self
            .db
            .query(format!("SELECT {MEETING_FIELDS} FROM ONLY type::record('meeting', $id)"))
            .bind(("id", key.to_string()))
            .await
            .map_err(db_err("read a meeting"))?
            .take(0)
            .map_err(db_err("read a meeting"))?;
        let current: shared::network::MeetingView = current.map(Into::into).ok_or_else(no_meeting)?;
        if !(may_edit(caller, &current.producer.id) || may_edit(caller, &current.buyer.id)) {
            return Err(AppError::forbidden("change meetings of organisations you do not belong to"));
        }
        let next = current.input().patched(&patch)?.validate()?;
        let row: Option<MeetingRow> = self
            .db
            .query(format!(
                "UPDATE type::record('meeting', $id) SET date = $date, status = $status, attendees = $attendees, outcome = $outcome,
                    next_steps = $next_steps;
                 SELECT {MEETING_FIELDS} FROM ONLY type::record('meeting', $id);"
            ))
            .bind(("id", current.id.clone()))
            .bind(("date", next.date))
            .bind(("status", next.status.unwrap_or_else(|| "proposed".into())))
            .bind(("attendees", next.attendees))
            .bind(("outcome", next.outcome))
            .bind(("next_steps", next.next_steps))
            .await
            .map_err(db_err("change a meeting"))?
            .take(1)
            .map_err(db_err("change a meeting"))?;
        row.map(Into::into).ok_or(AppError::Internal)
    }

    async fn meetings(&self, _caller: &Caller, actor_id: Option<String>) -> Result<Vec<shared::network::MeetingView>, AppError> {
        let rows: Vec<MeetingRow> = match actor_id {
            Some(id) => {
                let actor = self.find_actor(&id).await?;
                let mut r = self
                    .db
                    .query(format!(
                        "LET $a = type::record('actor', $id);
                         SELECT {MEETING_FIELDS}, created_at AS at FROM meeting WHERE producer = $a ORDER BY at DESC LIMIT 200;
                         SELECT {MEETING_FIELDS}, created_at AS at FROM meeting WHERE buyer = $a ORDER BY at DESC LIMIT 200;"
                    ))
                    .bind(("id", actor.id))
                    .await
                    .map_err(db_err("list meetings"))?;
                let mut rows: Vec<MeetingRow> = r.take(1).map_err(db_err("list meetings"))?;
                rows.extend(r.take::<Vec<MeetingRow>>(2).map_err(db_err("list meetings"))?);
                rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
                rows
            }
            None => self
                .db
                .query(format!("SELECT {MEETING_FIELDS}, created_at AS at FROM meeting ORDER BY at DESC LIMIT 200"))
                .await
                .map_err(db_err("list meetings"))?
                .take(0)
                .map_err(db_err("list meetings"))?,
        };
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn alliances(&self, _caller: &Caller, actor_id: Option<String>) -> Result<Vec<shared::network::AllianceView>, AppError> {
        let rows: Vec<AllianceRow> = match actor_id {
            Some(id) => {
                let actor = self.find_actor(&id).await?;
                let mut r = self
                    .db
                    .query(format!(
                        "LET $a = type::record('actor', $id);
                         SELECT {ALLIANCE_FIELDS} FROM alliance WHERE in = $a;
                         SELECT {ALLIANCE_FIELDS} FROM alliance WHERE out = $a;"
                    ))
                    .bind(("id", actor.id))
                    .await
                    .map_err(db_err("list alliances"))?;
                let mut rows: Vec<AllianceRow> = r.take(1).map_err(db_err("list alliances"))?;
                rows.extend(r.take::<Vec<AllianceRow>>(2).map_err(db_err("list alliances"))?);
                rows
            }
            None => self
                .db
                .query(format!("SELECT {ALLIANCE_FIELDS} FROM alliance"))
                .await
                .map_err(db_err("list alliances"))?
                .take(0)
                .map_err(db_err("list alliances"))?,
        };
        let mut out: Vec<shared::network::AllianceView> = rows.into_iter().map(Into::into).collect();
        out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        Ok(out)
    }

    async fn alliance(&self, _caller: &Caller, id: &str) -> Result<shared::network::AllianceView, AppError> {
        let key = id.trim();
        if !is_record_key(key) {
            return Err(no_alliance());
        }
        let row: Option<AllianceRow> = self
            .db
            .query(format!("SELECT {ALLIANCE_FIELDS} FROM ONLY type::record('alliance', $id)"))
            .bind(("id", key.to_string()))
            .await
            .map_err(db_err("read an alliance"))?
            .take(0)
            .map_err(db_err("read an alliance"))?;
        row.map(Into::into).ok_or_else(no_alliance)
    }

    async fn create_alliance(&self, caller: &Caller, new: shared::network::NewAlliance) -> Result<shared::network::AllianceView, AppError> {
        let a = new.validate()?;
        let (producer, buyer) =
            self.producer_and_buyer(caller, &a.producer, &a.buyer, "record alliances of organisations you do not belong to").await?;
        let response = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $p = type::record('actor', $producer);
                 LET $b = type::record('actor', $buyer);
                 LET $id = record::id((RELATE ONLY $p->alliance->$b CONTENT { status: $status, products: $products, quantity: $quantity,
                    delivery: $delivery, payment: $payment, buyer_contribution: $buyer_contribution, business_plan: $business_plan,
                    created_by: type::record('user', $user) }).id);
                 UPDATE network_meta:graph SET generation += 1;
                 RETURN $id;
                 COMMIT TRANSACTION;",
            )
            .bind(("producer", producer.id.clone()))
            .bind(("buyer", buyer.id.clone()))
            .bind(("status", a.status.clone().unwrap_or_else(|| "prospect".into())))
            .bind(("products", a.products.clone()))
            .bind(("quantity", a.quantity.clone()))
            .bind(("delivery", a.delivery.clone()))
            .bind(("payment", a.payment.clone()))
            .bind(("buyer_contribution", a.buyer_contribution.clone()))
            .bind(("business_plan", a.business_plan.clone()))
            .bind(("user", caller.user_id.clone()))
            .await
            .map_err(db_err("record an alliance"))?;
        let id = match transaction_result::<String>(response) {
            Ok(Some(id)) => id,
            Ok(None) => return Err(AppError::Internal),
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!(
                    "“{}” and “{}” already have an alliance: change that one.",
                    producer.name, buyer.name
                )))
            }
            Err(e) => return Err(internal("record an alliance", e)),
        };
        self.alliance(caller, &id).await
    }

    async fn update_alliance(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
    ) -> Result<shared::network::AllianceView, AppError> {
        let current = self.alliance(caller, id).await?;
        if !(may_edit(caller, &current.producer.id) || may_edit(caller, &current.buyer.id)) {
            return Err(AppError::forbidden("change alliances of organisations you do not belong to"));
        }
        let next = current.input().patched(&patch)?.validate()?;
        let to = next.status.clone().unwrap_or_default();
        if !shared::network::alliance_moves(&current.status, &to) {
            return Err(AppError::Unprocessable(format!(
                "An alliance moves forward (or ends): it cannot go back from “{}” to “{}”.",
                shared::network::alliance_status_label(&current.status),
                shared::network::alliance_status_label(&to)
            )));
        }
        self.db
            .query(
                "UPDATE type::record('alliance', $id) SET status = $status, products = $products, quantity = $quantity, delivery = $delivery,
                    payment = $payment, buyer_contribution = $buyer_contribution, business_plan = $business_plan, updated_at = time::now();",
            )
            .bind(("id", current.id.clone()))
            .bind(("status", to))
            .bind(("products", next.products))
            .bind(("quantity", next.quantity))
            .bind(("delivery", next.delivery))
            .bind(("payment", next.payment))
            .bind(("buyer_contribution", next.buyer_contribution))
            .bind(("business_plan", next.business_plan))
            .await
            .and_then(|r| r.check())
            .map_err(db_err("change an alliance"))?;
        self.alliance(caller, &current.id).await
    }

    async fn people(
        &self,
        caller: &Caller,
        q: Option<String>,
        actor_id: Option<String>,
        page: PageRequest,
    ) -> Result<Page<shared::network::people::PersonView>, AppError> {
        let actor = match actor_id.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_actor(&a).await?.id),
            None => None,
        };
        self.list_people(caller, q, actor, page).await
    }

    async fn person(&self, caller: &Caller, id: &str) -> Result<shared::network::people::PersonView, AppError> {
        self.get_person(caller, id).await
    }

    async fn create_person(
        &self,
        caller: &Caller,
        new: shared::network::people::NewPerson,
    ) -> Result<shared::network::people::PersonView, AppError> {
        self.add_person(caller, new).await
    }

    async fn update_person(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
    ) -> Result<shared::network::people::PersonView, AppError> {
        self.change_person(caller, id, patch).await
    }

    async fn delete_person(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        self.remove_person(caller, id).await
    }

    async fn import_actors(&self, caller: &Caller, file: Vec<u8>, dry_run: bool) -> Result<ImportReport, AppError> {
        caller.require_any(STEWARDS, "import actors")?;
        let table = csv_file::read(&file).map_err(whole_file)?;
        drop(file);
        let (good, mut errors) = import::actors(&table, &self.kinds().await?).map_err(whole_file)?;
        // The rows are read: what is parsed goes before the writes (a large file's memory).
        drop(table);
        let names: Vec<String> = good.iter().map(|(_, a)| fold(&a.name)).collect();
        let existing: Vec<String> = self
            .db
            .query("SELECT VALUE name_folded FROM actor WHERE name_folded IN $names")
            .bind(("names", names))
            .await
            .map_err(db_err("import actors"))?
            .take(0)
            .map_err(db_err("import actors"))?;
        let existing: HashSet<String> = existing.into_iter().collect();
        let (new, known): (Vec<_>, Vec<_>) = good.into_iter().partition(|(_, a)| !existing.contains(&fold(&a.name)));
        errors.extend(
            known
                .into_iter()
                .map(|(line, a)| csv_file::LineError {
                    line, message: format!("“{}” is already in the network (a duplicate).", a.name)
                }),
        );
        let imported = if dry_run { new.len() } else { self.write_actors(&caller.user_id, new, &mut errors).await };
        Ok(ImportReport { dry_run, imported, errors: problems(errors) })
    }

    async fn import_relations(&self, caller: &Caller, file: Vec<u8>, dry_run: bool) -> Result<ImportReport, AppError> {
        caller.require_any(STEWARDS, "import relations")?;
        let table = csv_file::read(&file).map_err(whole_file)?;
        drop(file);
        let actors: Vec<IdName> = self
            .db
            .query("SELECT record::id(id) AS id, name_folded AS name FROM actor")
            .await
            .map_err(db_err("import relations"))?
            .take(0)
            .map_err(db_err("import relations"))?;
        #[derive(SurrealValue)]
        struct IdName {
            id: String,
            name: String,
        }
        let mut ids: HashMap<String, String> = HashMap::with_capacity(actors.len() * 2);
        for a in actors {
            ids.insert(a.name, a.id.clone());
            ids.insert(a.id.clone(), a.id);
        }
        let (good, mut errors) = import::relations(&table, &self.relation_kinds_all().await?, &ids).map_err(whole_file)?;
        drop((table, ids));
        // The relations already there, from the graph kept in memory (read again only if it moved on).
        let graph = self.loaded().await?;
        let existing: HashSet<(&str, &str, &str)> = graph.edges.iter().map(|e| (e.from.as_str(), e.to.as_str(), e.kind.as_str())).collect();
        let (new, known): (Vec<_>, Vec<_>) =
            good.into_iter().partition(|(_, r)| !existing.contains(&(r.from.as_str(), r.to.as_str(), r.kind.as_str())));
        drop(existing);
        drop(graph);
        errors.extend(known.into_iter().map(|(line, r)| csv_file::LineError {
            line,
            message: format!("This relation ({}) is already in the network (a duplicate).", r.kind),
        }));
        let imported = if dry_run { new.len() } else { self.write_relations(&caller.user_id, new, &mut errors).await };
        Ok(ImportReport { dry_run, imported, errors: problems(errors) })
    }

    async fn export(&self, _caller: &Caller, filter: GraphFilter) -> Result<NetworkExport, AppError> {
        let mut r = self
            .db
            .query(format!(
                "SELECT {ACTOR_FIELDS}, name_folded FROM actor ORDER BY name_folded;
                 SELECT {RELATION_FIELDS} FROM relation;"
            ))
            .await
            .map_err(db_err("export the network"))?;
        let actors: Vec<ActorRow> = r.take(0).map_err(db_err("export the network"))?;
        let relations: Vec<RelationRow> = r.take(1).map_err(db_err("export the network"))?;
        let actors: Vec<ActorView> = actors
            .into_iter()
            .map(ActorView::from)
            .filter(|a| {
                (filter.kinds.is_empty() || filter.kinds.contains(&a.kind))
                    && (filter.states.is_empty() || a.state.as_ref().is_some_and(|s| filter.states.contains(s)))
            })
            .collect();
        let kept: HashSet<&str> = actors.iter().map(|a| a.id.as_str()).collect();
        let relations: Vec<RelationView> =
            relations.into_iter().filter(|r| kept.contains(r.from.as_str()) && kept.contains(r.to.as_str())).map(Into::into).collect();
        Ok(NetworkExport { actors, relations })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_drop_single_letters_and_punctuation() {
        assert_eq!(search_words("coop são").as_deref(), Some("coop são"));
        assert_eq!(search_words("a - b").as_deref(), None);
        assert_eq!(search_words("mel, e cafe").as_deref(), Some("mel cafe"));
    }

    #[tokio::test]
    async fn a_table_read_in_pages_is_read_whole_and_once() {
        let db = crate::db::connect(&crate::config::DbConfig::memory()).await.unwrap();
        db.query("FOR $i IN 0..7 { CREATE type::record('paged', <string> $i) };").await.and_then(|r| r.check()).unwrap();
        let network = SurrealNetwork::new(db);
        // Pages that end short, that end exactly at the last row, and one larger than the table.
        for page_rows in [3, 7, 100] {
            let mut ids: Vec<String> = network.read_in_pages("paged", "VALUE record::id(id)", page_rows).await.unwrap();
            ids.sort();
            assert_eq!(ids, (0..7).map(|i| i.to_string()).collect::<Vec<_>>(), "pages of {page_rows}");
        }
    }
}
