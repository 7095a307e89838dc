//! REST endpoints for the network: the directory, actor profiles, relations, graph queries and
//! gap reports.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{
    network::{
        ActorChange, ActorDetail, ActorKind, ActorQuery, ActorView, GapReport, Graph, GraphFilter, ImportReport, NetworkExport,
        NetworkMetrics, NewActor, NewRelation, RelationKind, RelationView,
    },
    ports::Ports,
    AppError, PageRequest,
};
use utoipa::{IntoParams, ToSchema};

use crate::{
    accounts::auth::Authenticated,
    api::{ApiJson, ApiQuery},
    error::{ApiResult, ErrorBody},
};

#[derive(Deserialize, IntoParams)]
pub struct ActorParams {
    /// Words to search for in names, descriptions, products, tags and municipalities; case and
    /// accents are ignored, and words match from their start ("coop" finds "Cooperativa").
    pub q: Option<String>,
    /// An actor kind (`cooperative`, `retailer`…).
    pub kind: Option<String>,
    /// A two-letter state code.
    pub state: Option<String>,
    pub organic_status: Option<String>,
    pub tag: Option<String>,
    /// `name` (the default without `q`), `relevance` (the default with it) or `updated`.
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl ActorParams {
    fn query(self) -> Result<ActorQuery, AppError> {
        Ok(ActorQuery {
            sort: self.sort.as_deref().map(str::parse).transpose()?,
            q: self.q,
            kind: self.kind,
            state: self.state,
            organic_status: self.organic_status,
            tag: self.tag,
            page: PageRequest::new(self.page, self.per_page),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActorPage {
    pub items: Vec<ActorView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Search the directory of actors.
#[utoipa::path(get, path = "/api/v1/actors", tag = "network", params(ActorParams),
    responses((status = 200, body = ActorPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_actors(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<ActorParams>,
) -> ApiResult<Json<ActorPage>> {
    let query = p.query()?;
    let page = ports.actors.list_actors(&caller, query).await?;
    Ok(Json(ActorPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// Add an actor (organisers, secretariat, admins).
#[utoipa::path(post, path = "/api/v1/actors", tag = "network", request_body = NewActor,
    responses((status = 201, body = ActorView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_actor(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<NewActor>,
) -> ApiResult<(StatusCode, Json<ActorView>)> {
    Ok((StatusCode::CREATED, Json(ports.actors.create_actor(&caller, body).await?)))
}

/// An actor's profile with its relations (both directions) and people.
#[utoipa::path(get, path = "/api/v1/actors/{id}", tag = "network", params(("id" = String, Path)),
    responses((status = 200, body = ActorDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_actor(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<ActorDetail>> {
    Ok(Json(ports.actors.actor(&caller, &id).await?))
}

/// Change an actor's profile: the fields given replace the stored ones, `null` clears one
/// (a JSON merge patch). Members change the actors they belong to; organisers, the secretariat
/// and admins any. Every change is kept in the actor's history.
#[utoipa::path(patch, path = "/api/v1/actors/{id}", tag = "network", params(("id" = String, Path)),
    request_body(content = Object, description = "Any fields of an actor (see NewActor)"),
    responses((status = 200, body = ActorView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_actor(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<Json<ActorView>> {
    Ok(Json(ports.actors.update_actor(&caller, &id, patch).await?))
}

/// Delete an actor with its relations (organisers, secretariat, admins). Refused with 409 while
/// amendments or stances name it.
#[utoipa::path(delete, path = "/api/v1/actors/{id}", tag = "network", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn delete_actor(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    ports.actors.delete_actor(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryPage {
    pub items: Vec<ActorChange>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// An actor's history, the newest change first: who changed what, and when.
#[utoipa::path(get, path = "/api/v1/actors/{id}/history", tag = "network", params(("id" = String, Path), PageParams),
    responses((status = 200, body = HistoryPage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn actor_history(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<HistoryPage>> {
    let page = ports.actors.actor_history(&caller, &id, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(HistoryPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

#[derive(Deserialize, IntoParams)]
pub struct DepthParams {
    /// 1, 2 or 3 (1 when not given).
    pub depth: Option<u32>,
}

/// The actors within `depth` relations of an actor, whatever their direction, and the
/// relations that reach them.
#[utoipa::path(get, path = "/api/v1/actors/{id}/neighbors", tag = "network", params(("id" = String, Path), DepthParams),
    responses((status = 200, body = Graph), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn neighbors(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DepthParams>,
) -> ApiResult<Json<Graph>> {
    Ok(Json(ports.graph.neighbors(&caller, &id, p.depth.unwrap_or(1)).await?))
}

/// Relate two actors: `from` → `to`, of a kind (`supplies`, `buys_from`, `finances`…).
#[utoipa::path(post, path = "/api/v1/relations", tag = "network", request_body = NewRelation,
    responses((status = 201, body = RelationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_relation(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<NewRelation>,
) -> ApiResult<(StatusCode, Json<RelationView>)> {
    Ok((StatusCode::CREATED, Json(ports.graph.create_relation(&caller, body).await?)))
}

/// Remove a relation.
#[utoipa::path(delete, path = "/api/v1/relations/{id}", tag = "network", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_relation(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    ports.graph.delete_relation(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct NetworkParams {
    /// Actor kinds, separated by commas (all when not given).
    pub kind: Option<String>,
    /// State codes, separated by commas (all when not given).
    pub state: Option<String>,
}

fn list_param(value: Option<&str>) -> Vec<String> {
    value.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The network, or the part of it with these kinds and states: actors and the relations among them.
#[utoipa::path(get, path = "/api/v1/network", tag = "network", params(NetworkParams),
    responses((status = 200, body = Graph), (status = 401, body = ErrorBody)))]
pub async fn network(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<NetworkParams>,
) -> ApiResult<Json<Graph>> {
    let states = list_param(p.state.as_deref()).into_iter().map(|s| s.to_ascii_uppercase()).collect();
    let filter = GraphFilter { kinds: list_param(p.kind.as_deref()), states };
    Ok(Json(ports.graph.network(&caller, filter).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct PathParams {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The shortest chain of relations between two actors, whatever their direction: the actors in
/// order from `from` to `to`, and the relations between them. 404 when nothing links them.
#[utoipa::path(get, path = "/api/v1/network/path", tag = "network", params(PathParams),
    responses((status = 200, body = Graph), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn path(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<PathParams>,
) -> ApiResult<Json<Graph>> {
    let from =
        p.from.filter(|s| !s.trim().is_empty()).ok_or_else(|| AppError::validation("from", "Give the actor to start from (`from`)."))?;
    let to = p.to.filter(|s| !s.trim().is_empty()).ok_or_else(|| AppError::validation("to", "Give the actor to reach (`to`)."))?;
    match ports.graph.path(&caller, &from, &to).await? {
        Some(graph) => Ok(Json(graph)),
        None => Err(AppError::NotFound("No chain of relations links these two actors.".into()).into()),
    }
}

/// Every actor's degree, betweenness centrality and connected component, the brokers first.
#[utoipa::path(get, path = "/api/v1/network/metrics", tag = "network",
    responses((status = 200, body = NetworkMetrics), (status = 401, body = ErrorBody)))]
pub async fn metrics(State(ports): State<Ports>, Authenticated(caller): Authenticated) -> ApiResult<Json<NetworkMetrics>> {
    Ok(Json(ports.graph.metrics(&caller).await?))
}

#[derive(Serialize, ToSchema)]
pub struct GapReports {
    pub reports: Vec<GapReport>,
}

/// The gap reports: who lacks certification, technical assistance, buyers or suppliers, and
/// who has no relation at all.
#[utoipa::path(get, path = "/api/v1/network/gaps", tag = "network",
    responses((status = 200, body = GapReports), (status = 401, body = ErrorBody)))]
pub async fn gaps(State(ports): State<Ports>, Authenticated(caller): Authenticated) -> ApiResult<Json<GapReports>> {
    Ok(Json(GapReports { reports: ports.graph.gaps(&caller).await? }))
}

#[derive(Serialize, ToSchema)]
pub struct Kinds {
    pub actor_kinds: Vec<ActorKind>,
    pub relation_kinds: Vec<RelationKind>,
}

/// Add a kind of actor or of relation (admins).
#[utoipa::path(post, path = "/api/v1/network/kinds", tag = "network", request_body = shared::network::NewKind,
    responses((status = 201, body = Kinds), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn add_kind(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<shared::network::NewKind>,
) -> ApiResult<(StatusCode, Json<Kinds>)> {
    ports.actors.add_kind(&caller, body).await?;
    Ok((
        StatusCode::CREATED,
        Json(Kinds { actor_kinds: ports.actors.actor_kinds().await?, relation_kinds: ports.actors.relation_kinds().await? }),
    ))
}

/// The kinds of actors and of relations in use.
#[utoipa::path(get, path = "/api/v1/network/kinds", tag = "network",
    responses((status = 200, body = Kinds), (status = 401, body = ErrorBody)))]
pub async fn kinds(State(ports): State<Ports>, Authenticated(_caller): Authenticated) -> ApiResult<Json<Kinds>> {
    Ok(Json(Kinds { actor_kinds: ports.actors.actor_kinds().await?, relation_kinds: ports.actors.relation_kinds().await? }))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportParams {
    /// `true` checks the file and reports what would be imported, writing nothing.
    pub dry_run: Option<bool>,
}

/// The largest CSV file an import reads.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Import actors from a CSV file (organisers, secretariat, admins): UTF-8 or Latin-1, comma or
/// semicolon; headers `name`, `kind` (required), `description`, `country`, `state`,
/// `municipality`, `products`, `organic_status`, `members`, `website`, `email`, `phone`, `tags`,
/// `visibility` (or their Portuguese names), matched ignoring case and accents. Every good row is
/// written; every bad one is reported with its line and reason. A file that cannot be read as a
/// whole (empty, no `name` column…) is refused with 400.
#[utoipa::path(post, path = "/api/v1/actors/import", tag = "network", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413)))]
pub async fn import_actors(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(ports.transfer.import_actors(&caller, body.to_vec(), p.dry_run.unwrap_or(false)).await?))
}

/// Import relations from a CSV file: `from`, `to` (actors by name or id), `kind` required;
/// `since`, `until`, `note`, `evidence` optional.
#[utoipa::path(post, path = "/api/v1/relations/import", tag = "network", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413)))]
pub async fn import_relations(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(ports.transfer.import_relations(&caller, body.to_vec(), p.dry_run.unwrap_or(false)).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct ExportParams {
    /// `csv`, `graphml`, `gexf` or `json`.
    pub format: Option<String>,
    /// For `csv`: `actors` (the default) or `relations`.
    pub table: Option<String>,
    /// Actor kinds, separated by commas (all when not given).
    pub kind: Option<String>,
    /// State codes, separated by commas (all when not given).
    pub state: Option<String>,
}

/// Export the network, or the part with these kinds and states, as CSV, GraphML or GEXF (both
/// open in Gephi), or JSON.
#[utoipa::path(get, path = "/api/v1/network/export", tag = "network", params(ExportParams),
    responses((status = 200, description = "The file", body = NetworkExport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn export(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    use super::transfer::export::{actors_csv, gexf, graphml, relations_csv, ExportEdge, ExportNode};
    let states = list_param(p.state.as_deref()).into_iter().map(|s| s.to_ascii_uppercase()).collect();
    let filter = GraphFilter { kinds: list_param(p.kind.as_deref()), states };
    let format = p.format.as_deref().unwrap_or("json").trim().to_ascii_lowercase();
    if !matches!(format.as_str(), "csv" | "graphml" | "gexf" | "json") {
        return Err(AppError::validation("format", format!("“{format}” is not an export format: use csv, graphml, gexf or json.")).into());
    }
    let table = p.table.as_deref().unwrap_or("actors").trim().to_ascii_lowercase();
    if !matches!(table.as_str(), "actors" | "relations") {
        return Err(AppError::validation("table", "The CSV export is of `actors` or `relations`.").into());
    }
    let data = ports.transfer.export(&caller, filter).await?;
    let nodes = || -> Vec<ExportNode> {
        data.actors
            .iter()
            .map(|a| ExportNode { id: a.id.clone(), label: a.name.clone(), kind: a.kind.clone(), state: a.state.clone() })
            .collect()
    };
    let edges = || -> Vec<ExportEdge> {
        data.relations
            .iter()
            .map(|r| ExportEdge { id: r.id.clone(), from: r.from.clone(), to: r.to.clone(), kind: r.kind.clone() })
            .collect()
    };
    let (body, content_type, file) = match (format.as_str(), table.as_str()) {
        ("csv", "relations") => (relations_csv(&data.relations), "text/csv; charset=utf-8", "mutirao-relations.csv"),
        ("csv", _) => (actors_csv(&data.actors), "text/csv; charset=utf-8", "mutirao-actors.csv"),
        ("graphml", _) => (graphml(&nodes(), &edges()), "application/graphml+xml", "mutirao-network.graphml"),
        ("gexf", _) => (gexf(&nodes(), &edges()), "application/gexf+xml", "mutirao-network.gexf"),
        _ => (serde_json::to_string(&data).map_err(|_| AppError::Internal)?, "application/json", "mutirao-network.json"),
    };
    Ok((
        [(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\""))],
        body,
    )
        .into_response())
}

/// For a producer organisation, the buyers ranked by fit (`score`), each with the `reasons`:
/// products in common, the same or a neighbouring state, the organic producers it already buys
/// from. Buyers it already trades with are left out. 422 for an actor that is not a producer.
#[utoipa::path(get, path = "/api/v1/actors/{id}/matches", tag = "network", params(("id" = String, Path)),
    responses((status = 200, body = Vec<shared::network::matching::BuyerMatch>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn matches(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<shared::network::matching::BuyerMatch>>> {
    Ok(Json(ports.deals.matches(&caller, &id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct MeetingParams {
    /// An actor's id: its meetings, as producer or buyer.
    pub actor: Option<String>,
}

/// Buyer meetings, the newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/meetings", tag = "network", params(MeetingParams),
    responses((status = 200, body = Vec<shared::network::MeetingView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_meetings(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<MeetingParams>,
) -> ApiResult<Json<Vec<shared::network::MeetingView>>> {
    Ok(Json(ports.deals.meetings(&caller, p.actor.filter(|a| !a.trim().is_empty())).await?))
}

/// Record a meeting between a producer organisation and a buyer (organisers, secretariat,
/// admins, or a member of either).
#[utoipa::path(post, path = "/api/v1/meetings", tag = "network", request_body = shared::network::NewMeeting,
    responses((status = 201, body = shared::network::MeetingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn create_meeting(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<shared::network::NewMeeting>,
) -> ApiResult<(StatusCode, Json<shared::network::MeetingView>)> {
    Ok((StatusCode::CREATED, Json(ports.deals.create_meeting(&caller, body).await?)))
}

/// Record how a meeting went: a JSON merge patch of its `date`, `status` (proposed, held,
/// cancelled), `attendees`, `outcome` and `next_steps` (organisers, secretariat, admins, or a
/// member of either organisation).
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "network", params(("id" = String, Path)),
    request_body(content = Object, description = "Any of date, status, attendees, outcome, next_steps"),
    responses((status = 200, body = shared::network::MeetingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_meeting(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<Json<shared::network::MeetingView>> {
    Ok(Json(ports.deals.update_meeting(&caller, &id, patch).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct AllianceParams {
    /// An actor's id: its alliances, as producer or buyer.
    pub actor: Option<String>,
}

/// Productive alliances, the most recently changed first.
#[utoipa::path(get, path = "/api/v1/alliances", tag = "network", params(AllianceParams),
    responses((status = 200, body = Vec<shared::network::AllianceView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_alliances(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<AllianceParams>,
) -> ApiResult<Json<Vec<shared::network::AllianceView>>> {
    Ok(Json(ports.deals.alliances(&caller, p.actor.filter(|a| !a.trim().is_empty())).await?))
}

/// Record a productive alliance between a producer organisation and a buyer (organisers,
/// secretariat, admins, or a member of either). 409 when the two already have one.
#[utoipa::path(post, path = "/api/v1/alliances", tag = "network", request_body = shared::network::NewAlliance,
    responses((status = 201, body = shared::network::AllianceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_alliance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<shared::network::NewAlliance>,
) -> ApiResult<(StatusCode, Json<shared::network::AllianceView>)> {
    Ok((StatusCode::CREATED, Json(ports.deals.create_alliance(&caller, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/alliances/{id}", tag = "network", params(("id" = String, Path)),
    responses((status = 200, body = shared::network::AllianceView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_alliance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<shared::network::AllianceView>> {
    Ok(Json(ports.deals.alliance(&caller, &id).await?))
}

/// Change an alliance's agreement, stage or business plan (a JSON merge patch). The stage only
/// moves forward, or to `ended` (422 otherwise).
#[utoipa::path(patch, path = "/api/v1/alliances/{id}", tag = "network", params(("id" = String, Path)),
    request_body(content = Object, description = "Any fields of an alliance but its organisations"),
    responses((status = 200, body = shared::network::AllianceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_alliance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<Json<shared::network::AllianceView>> {
    Ok(Json(ports.deals.update_alliance(&caller, &id, patch).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct PeopleParams {
    /// Part of a name; case and accents are ignored.
    pub q: Option<String>,
    /// An actor's id: the people who represent it.
    pub actor: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<shared::network::people::PersonView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// People, a page at a time. Email, phone, gender and age band only for organisers, the
/// secretariat, admins and the person's own user.
#[utoipa::path(get, path = "/api/v1/people", tag = "network", params(PeopleParams),
    responses((status = 200, body = PeoplePage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_people(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<PeopleParams>,
) -> ApiResult<Json<PeoplePage>> {
    let page = ports.people.people(&caller, p.q, p.actor, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(PeoplePage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// Record a person (organisers, secretariat, admins; a member for the actors they belong to).
/// Gender and age band only with `"consent": true`.
#[utoipa::path(post, path = "/api/v1/people", tag = "network", request_body = shared::network::people::NewPerson,
    responses((status = 201, body = shared::network::people::PersonView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn create_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<shared::network::people::NewPerson>,
) -> ApiResult<(StatusCode, Json<shared::network::people::PersonView>)> {
    Ok((StatusCode::CREATED, Json(ports.people.create_person(&caller, body).await?)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "network", params(("id" = String, Path)),
    responses((status = 200, body = shared::network::people::PersonView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<shared::network::people::PersonView>> {
    Ok(Json(ports.people.person(&caller, &id).await?))
}

/// Change a person (a JSON merge patch). `"consent": false` forgets gender and age band.
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "network", params(("id" = String, Path)),
    request_body(content = Object, description = "Any fields of a person"),
    responses((status = 200, body = shared::network::people::PersonView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<Json<shared::network::people::PersonView>> {
    Ok(Json(ports.people.update_person(&caller, &id, patch).await?))
}

#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "network", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    ports.people.delete_person(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The public part of the directory, without login: the actors the network made public (no
/// email or phone). The same search and filters as `/api/v1/actors`.
#[utoipa::path(get, path = "/api/v1/public/actors", tag = "network", params(ActorParams),
    responses((status = 200, body = ActorPage), (status = 400, body = ErrorBody)))]
pub async fn public_actors(State(ports): State<Ports>, ApiQuery(p): ApiQuery<ActorParams>) -> ApiResult<Json<ActorPage>> {
    let query = p.query()?;
    let page = ports.actors.public_actors(query).await?;
    Ok(Json(ActorPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}
