//! The people who represent the network's actors.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{ports::Ports, PageRequest};
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
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person, delete_person))
        .routes(routes!(erase_person))
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
    responses((status = 200, body = shared::network::people::PersonView, headers(("ETag" = String, description = "The person's revision, for If-Match"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<(HeaderMap, Json<shared::network::people::PersonView>)> {
    let person = ports.people.person(&caller, &id).await?;
    Ok((etag(person.revision), Json(person)))
}

/// Change a person (a JSON merge patch). `"consent": false` forgets gender and age band. With
/// `If-Match`, only if nobody changed them since (412 otherwise).
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "network", params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag the change was made from")),
    request_body(content = Object, description = "Any fields of a person"),
    responses((status = 200, body = shared::network::people::PersonView, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn update_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<(HeaderMap, Json<shared::network::people::PersonView>)> {
    let person = ports.people.update_person(&caller, &id, patch, if_match).await?;
    Ok((etag(person.revision), Json(person)))
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

/// Erase a person's personal data (admins; LGPD): name, email, phone, gender, age band and the
/// link to their account go, at once; the record stays with the organisations it represented.
#[utoipa::path(post, path = "/api/v1/people/{id}/erase", tag = "network", params(("id" = String, Path)),
    responses((status = 200, body = shared::network::people::PersonView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn erase_person(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<shared::network::people::PersonView>> {
    Ok(Json(ports.people.erase_person(&caller, &id).await?))
}
