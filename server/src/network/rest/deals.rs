//! Deals between producers and buyers: matching, buyer meetings, productive alliances.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    Json,
};
use serde::Deserialize;
use shared::ports::Ports;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::auth::Authenticated,
    error::{ApiResult, ErrorBody},
    extract::{etag, ApiJson, ApiQuery, IfMatch},
    AppState,
};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(matches))
        .routes(routes!(list_meetings, create_meeting))
        .routes(routes!(update_meeting))
        .routes(routes!(list_alliances, create_alliance))
        .routes(routes!(get_alliance, update_alliance))
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
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "network", params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag the change was made from")),
    request_body(content = Object, description = "Any of date, status, attendees, outcome, next_steps"),
    responses((status = 200, body = shared::network::MeetingView, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody)))]
pub async fn update_meeting(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<(HeaderMap, Json<shared::network::MeetingView>)> {
    let meeting = ports.deals.update_meeting(&caller, &id, patch, if_match).await?;
    Ok((etag(meeting.revision), Json(meeting)))
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
    responses((status = 200, body = shared::network::AllianceView, headers(("ETag" = String, description = "The alliance's revision, for If-Match"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_alliance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<(HeaderMap, Json<shared::network::AllianceView>)> {
    let alliance = ports.deals.alliance(&caller, &id).await?;
    Ok((etag(alliance.revision), Json(alliance)))
}

/// Change an alliance's agreement, stage or business plan (a JSON merge patch). The stage only
/// moves forward, or to `ended` (422 otherwise), judged from the alliance as it is when the
/// change is written; with `If-Match`, only if nobody changed it since (412 otherwise).
#[utoipa::path(patch, path = "/api/v1/alliances/{id}", tag = "network", params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The ETag the change was made from")),
    request_body(content = Object, description = "Any fields of an alliance but its organisations"),
    responses((status = 200, body = shared::network::AllianceView, headers(("ETag" = String, description = "The new revision"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 412, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_alliance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    IfMatch(if_match): IfMatch,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<(HeaderMap, Json<shared::network::AllianceView>)> {
    let alliance = ports.deals.update_alliance(&caller, &id, patch, if_match).await?;
    Ok((etag(alliance.revision), Json(alliance)))
}
