//! REST endpoints for the network.

use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use shared::{
    network::{ActorQuery, ActorView, NewActor},
    ports::Ports,
    PageRequest,
};
use utoipa::{IntoParams, ToSchema};

use crate::{
    accounts::auth::Authenticated,
    api::{ApiJson, ApiQuery},
    error::{ApiResult, ErrorBody},
};

#[derive(Deserialize, IntoParams)]
pub struct ActorParams {
    /// Part of a name; case and accents are ignored.
    pub q: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
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
    responses((status = 200, body = ActorPage), (status = 401, body = ErrorBody)))]
pub async fn list_actors(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<ActorParams>,
) -> ApiResult<Json<ActorPage>> {
    let page = ports.network.list_actors(&caller, ActorQuery { q: p.q, page: PageRequest::new(p.page, p.per_page) }).await?;
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
    Ok((StatusCode::CREATED, Json(ports.network.create_actor(&caller, body).await?)))
}
