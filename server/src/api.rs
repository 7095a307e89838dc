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
    let (routes, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::accounts::rest::routes())
        .merge(crate::accounts::backup::routes())
        .merge(crate::accounts::privacy::routes())
        .merge(crate::audit::routes())
        .merge(crate::network::rest::routes())
        .merge(crate::drafting::rest::routes())
        .split_for_parts();
    // After the merge: the document's own modifiers run before the routes add their paths.
    ErrorResponses.modify(&mut document);
    (routes, document)
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

/// The error answers every operation can give, added where a route's own list leaves them out,
/// so that the document says what the server does: 400 for a request that cannot be read (a
/// path, query or body that does not parse), 401 and 403 (no one logged in; not allowed, or a
/// form sent from another site), and for writes 413 (a body past the limit) and 422 (a change the
/// record's state refuses). Each answers an `ErrorBody`.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations =
                [(&mut item.get, false), (&mut item.post, true), (&mut item.put, true), (&mut item.patch, true), (&mut item.delete, true)];
            for (operation, writes) in operations {
                let Some(operation) = operation.as_mut() else { continue };
                let mut add = |code: &str, description: &str| {
                    operation.responses.responses.entry(code.to_string()).or_insert_with(|| error(description).into());
                };
                add("400", "The request could not be read (a path, query or body that does not parse)");
                add("401", "Not logged in");
                add("403", "Not allowed, or sent from another site");
                if writes {
                    add("413", "The body is larger than the server accepts");
                    add("422", "The record's state does not allow this change");
                }
            }
        }
    }
}
