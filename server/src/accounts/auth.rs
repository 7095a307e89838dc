//! Who is calling: a middleware reads the session cookie or the `Authorization: Bearer` token
//! once per request and leaves a `RequestAuth` in the request's extensions, where REST handlers
//! (through the extractors below) and Leptos server functions both find it.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use shared::{
    ports::{RequestAuth, SESSION_COOKIE},
    AppError, Caller,
};

use crate::error::ApiError;

/// The token of an `Authorization: Bearer …` header (the scheme in any case), if any.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim_start();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// Resolves the caller and stores a `RequestAuth` in the request.
pub async fn resolve_caller(State(state): State<crate::AppState>, mut req: Request, next: Next) -> Response {
    let ports = &state.ports;
    let session_secret =
        CookieJar::from_headers(req.headers()).get(SESSION_COOKIE).map(|c| c.value().to_string()).filter(|v| !v.is_empty());
    let bearer = bearer_token(req.headers());
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let client = state.trusted_proxies.client(peer, req.headers()).map(|ip| ip.to_string()).unwrap_or_else(|| "local".into());
    let caller = match bearer.as_deref().or(session_secret.as_deref()) {
        Some(secret) => match ports.accounts.authenticate(secret).await {
            Ok(c) => c,
            Err(e) => return ApiError(e).into_response(),
        },
        None => None,
    };
    // A bad bearer token is an error, not an anonymous request: scripts should hear about it.
    if bearer.is_some() && caller.is_none() {
        return ApiError(AppError::Unauthorized("The API token is not valid or has been revoked.".into())).into_response();
    }
    req.extensions_mut().insert(RequestAuth { caller, session_secret, client });
    next.run(req).await
}

fn auth_of(parts: &Parts) -> RequestAuth {
    parts.extensions.get::<RequestAuth>().cloned().unwrap_or_default()
}

/// A logged-in caller; answers 401 otherwise.
pub struct Authenticated(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        auth_of(parts).caller.map(Authenticated).ok_or_else(|| ApiError(AppError::unauthenticated()))
    }
}

/// The request's `RequestAuth`, caller or not.
pub struct Auth(pub RequestAuth);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Auth(auth_of(parts)))
    }
}
