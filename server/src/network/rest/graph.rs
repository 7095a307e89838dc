//! The network as a graph: relations, neighbourhoods, paths, metrics and gap reports.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{
    network::{GapReport, Graph, GraphFilter, NetworkMetrics, NewRelation, RelationView},
    ports::Ports,
    AppError,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::auth::Authenticated,
    error::{ApiResult, ErrorBody},
    extract::{ApiJson, ApiQuery},
    AppState,
};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(neighbors))
        .routes(routes!(create_relation))
        .routes(routes!(delete_relation))
        .routes(routes!(network))
        .routes(routes!(path))
        .routes(routes!(metrics))
        .routes(routes!(gaps))
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

/// The part of the network named by comma-separated `kind` and `state` parameters (all of it when
/// neither is given), as the graph and the exports read them.
pub(super) fn graph_filter(kind: Option<&str>, state: Option<&str>) -> GraphFilter {
    let list = |value: Option<&str>| -> Vec<String> {
        value.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
    };
    GraphFilter { kinds: list(kind), states: list(state).into_iter().map(|s| s.to_ascii_uppercase()).collect() }
}

/// The network, or the part of it with these kinds and states: actors and the relations among them.
#[utoipa::path(get, path = "/api/v1/network", tag = "network", params(NetworkParams),
    responses((status = 200, body = Graph), (status = 401, body = ErrorBody)))]
pub async fn network(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<NetworkParams>,
) -> ApiResult<Json<Graph>> {
    Ok(Json(ports.graph.network(&caller, graph_filter(p.kind.as_deref(), p.state.as_deref())).await?))
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
