//! REST endpoints for accounts. Thin: each reads the request, calls the service, shapes the answer.

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{
    accounts::{parse_roles, ApiTokenView, CreatedUser, NewApiToken, NewUser, UserView},
    ports::{CookiePolicy, Ports},
    AppError, PageRequest,
};
use utoipa::{IntoParams, ToSchema};

use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{Auth, Authenticated};
use crate::{
    error::{ApiError, ApiResult, ErrorBody},
    extract::{ApiJson, ApiQuery},
    AppState,
};

/// The accounts' REST endpoints under `/api/v1`, each with its OpenAPI entry.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, logout))
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_users, create_user))
        .routes(routes!(update_user))
        .routes(routes!(user_tokens))
        .routes(routes!(reissue_invitation))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionBody {
    pub user: UserView,
}

/// Log in: answers the user and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = LoginBody,
    responses((status = 200, body = SessionBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(ports): State<Ports>,
    State(cookies): State<CookiePolicy>,
    Auth(auth): Auth,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let outcome = ports.accounts.login(&body.email, &body.password, &auth.client).await?;
    let cookie = cookies.open(&outcome.session_token, outcome.max_age_secs);
    Ok(([(header::SET_COOKIE, cookie)], Json(SessionBody { user: outcome.user })).into_response())
}

/// Log out: ends the session of the cookie, if any, and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204)))]
pub async fn logout(State(ports): State<Ports>, State(cookies): State<CookiePolicy>, Auth(auth): Auth) -> ApiResult<Response> {
    if let Some(secret) = &auth.session_secret {
        ports.accounts.logout(secret).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookies.clear())]).into_response())
}

/// The caller, with the actors (organisations) they belong to.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = UserView), (status = 401, body = ErrorBody)))]
pub async fn me(State(ports): State<Ports>, Authenticated(caller): Authenticated) -> ApiResult<Json<UserView>> {
    Ok(Json(ports.accounts.me(&caller).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenBody {
    pub name: String,
}

/// Create a personal API token. Its secret is shown only in this answer.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = TokenBody,
    responses((status = 201, body = NewApiToken), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create_token(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<NewApiToken>)> {
    Ok((StatusCode::CREATED, Json(ports.accounts.create_token(&caller, &body.name).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<ApiTokenView>,
}

/// The caller's tokens that are not revoked.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", responses((status = 200, body = TokenList), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(State(ports): State<Ports>, Authenticated(caller): Authenticated) -> ApiResult<Json<TokenList>> {
    Ok(Json(TokenList { items: ports.accounts.list_tokens(&caller).await? }))
}

/// Revoke a token: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    ports.accounts.revoke_token(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    /// 1-based page number.
    pub page: Option<u32>,
    /// Rows per page (1–100, default 25).
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// All users (admins only).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(PageParams),
    responses((status = 200, body = UserPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<UserPage>> {
    let page = ports.accounts.list_users(&caller, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(UserPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// Create a user (admins only). Without a password, the answer carries an invitation path
/// (`/invite/{token}`) where the person chooses one.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = CreatedUser), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<CreatedUser>)> {
    Ok((StatusCode::CREATED, Json(ports.accounts.create_user(&caller, body).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// The user's roles, all of them.
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// `true` disables the account at once (its sessions end, its tokens are revoked, it cannot
    /// log in); `false` enables it again.
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// Set a user's roles, or disable or enable the account (admins only; not their own).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<UserPatch>,
) -> ApiResult<Json<UserView>> {
    if body.roles.is_none() && body.disabled.is_none() {
        return Err(ApiError(AppError::validation("body", "Give the user's roles, or disabled: true or false.")));
    }
    let mut user = None;
    if let Some(roles) = &body.roles {
        user = Some(ports.accounts.set_roles(&caller, &id, parse_roles(roles)?).await?);
    }
    if let Some(disabled) = body.disabled {
        user = Some(ports.accounts.set_disabled(&caller, &id, disabled).await?);
    }
    user.map(Json).ok_or(ApiError(AppError::Internal))
}

/// A user's tokens in use, to revoke any of them with `DELETE /api/v1/tokens/{id}` (admins only).
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "accounts", params(("id" = String, Path)),
    responses((status = 200, body = TokenList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn user_tokens(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<TokenList>> {
    Ok(Json(TokenList { items: ports.accounts.user_tokens(&caller, &id).await? }))
}

#[derive(Serialize, ToSchema)]
pub struct InvitationBody {
    /// Where the person chooses their password (`/invite/{token}`), valid for 14 days.
    pub invite_path: String,
}

/// A new invitation for a user who has not yet chosen a password, when theirs expired or was
/// lost; earlier links stop working (admins only).
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", tag = "accounts", params(("id" = String, Path)),
    responses((status = 201, body = InvitationBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reissue_invitation(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<InvitationBody>)> {
    let invite_path = ports.accounts.reissue_invitation(&caller, &id).await?;
    Ok((StatusCode::CREATED, Json(InvitationBody { invite_path })))
}
