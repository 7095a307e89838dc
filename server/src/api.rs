//! The REST API under `/api/v1`: each domain's `rest` module registers its routes together with
//! their OpenAPI entries (utoipa-axum's `routes!`); this module only merges them, serves the
//! OpenAPI document made from those same registrations, and answers unknown endpoints in JSON.

use axum::{
    routing::{any, get},
    Json, Router,
};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_axum::router::OpenApiRouter;

use crate::{
    error::{ApiError, AppError},
    AppState,
};

/// The API's routes and its OpenAPI document, from one registration per endpoint.
pub fn routes_and_document() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::accounts::rest::routes())
        .merge(crate::accounts::backup::routes())
        .merge(crate::accounts::privacy::routes())
        .merge(crate::audit::routes())
        .merge(crate::network::rest::routes())
        .merge(crate::drafting::rest::routes())
        .split_for_parts()
}

pub fn router() -> Router<AppState> {
    let (routes, document) = routes_and_document();
    let document = std::sync::Arc::new(document);
    routes
        .route("/api/v1/openapi.json", get(move || std::future::ready(Json(document.as_ref().clone()))))
        .route("/api/v1", any(no_such_endpoint))
        .route("/api/v1/{*rest}", any(no_such_endpoint))
}

async fn no_such_endpoint() -> ApiError {
    ApiError(AppError::NotFound("There is no such API endpoint.".into()))
}

/// What the document says besides its paths (which the routes add).
#[derive(OpenApi)]
#[openapi(
    info(title = "Mutirão API", description = "JSON API for scripts and integrations. Authenticate with the session cookie (POST /api/v1/session) or a personal token: `Authorization: Bearer mut_…`."),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&SecurityAddon),
    tags((name = "accounts"), (name = "network"), (name = "drafting"))
)]
pub struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(shared::ports::SESSION_COOKIE))));
    }
}
