//! The directory and actor profiles: search, create, change, delete, history; the kinds of actors
//! and relations.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{
    network::{ActorChange, ActorDetail, ActorKind, ActorQuery, ActorView, NewActor, RelationKind},
    ports::Ports,
    AppError, PageRequest,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::auth::Authenticated,
    error::{ApiResult, ErrorBody},
    extract::{etag, ApiJson, ApiQuery, IfMatch},
    AppState,
};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_actors, create_actor))
        .routes(routes!(get_actor, update_actor, delete_actor))
        .routes(routes!(actor_history))
        .routes(routes!(public_actors))
        .routes(routes!(kinds, add_kind))
}

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
    responses((status = 200, body = ActorDetail, headers(("ETag" = String, description = "The actor's revision, for If-Match"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_actor(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<(HeaderMap, Json<ActorDetail>)> {
    let detail = ports.actors.actor(&caller, &id).await?;
    Ok((etag(detail.actor.revision), Json(detail)))
}

/// Change an actor's profile: the fields given replace the stored ones, `null` clears one
/// (a JSON merge patch). Members change the actors they belong to; organisers, the secretariat
/// and admins any. Every change is kept in the actor's history. Two people changing different
/// fields at once both have their change; with `If-Match` (the `ETag` read) the change is made
/// only if nobody changed the actor since, else 412.
#[utoipa::path(patch, path = "/api/v1/actors/{id}", tag = "network",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag the change was made from")),
    request_body(content = Object, description = "Any fields of an actor (see NewActor)"),
    responses((status = 200, body = ActorView, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn update_actor(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<(HeaderMap, Json<ActorView>)> {
    let actor = ports.actors.update_actor(&caller, &id, patch, if_match).await?;
    Ok((etag(actor.revision), Json(actor)))
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

/// The public part of the directory, without login: the actors the network made public (no
/// email or phone). The same search and filters as `/api/v1/actors`.
#[utoipa::path(get, path = "/api/v1/public/actors", tag = "network", params(ActorParams),
    responses((status = 200, body = ActorPage), (status = 400, body = ErrorBody)))]
pub async fn public_actors(State(ports): State<Ports>, ApiQuery(p): ApiQuery<ActorParams>) -> ApiResult<Json<ActorPage>> {
    let query = p.query()?;
    let page = ports.actors.public_actors(query).await?;
    Ok(Json(ActorPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}
