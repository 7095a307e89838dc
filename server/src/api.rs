//! The REST API under `/api/v1`: routes, JSON extractors with JSON errors, the OpenAPI document.

use axum::{
    extract::{rejection::JsonRejection, rejection::QueryRejection, DefaultBodyLimit, FromRequest, FromRequestParts},
    response::IntoResponse,
    routing::{delete, get, patch, post, put},
    Json, Router,
};
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

use crate::{
    accounts::rest as accounts,
    drafting::rest as drafting,
    error::{ApiError, AppError},
    network::rest as network,
    AppState,
};

/// A JSON body whose rejection is a JSON error naming what is wrong.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let message = match &r {
            JsonRejection::MissingJsonContentType(_) => "Send the body as JSON with `Content-Type: application/json`.".to_string(),
            JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_string(),
            JsonRejection::JsonDataError(e) => format!("The body does not have the expected fields: {}", e.body_text()),
            _ => r.body_text(),
        };
        ApiError(AppError::validation("body", message))
    }
}

/// Query parameters whose rejection is a JSON error.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError(AppError::validation("query", format!("The query string is not valid: {}", r.body_text())))
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(accounts::login).delete(accounts::logout))
        .route("/me", get(accounts::me))
        .route("/tokens", get(accounts::list_tokens).post(accounts::create_token))
        .route("/tokens/{id}", delete(accounts::revoke_token))
        .route("/users", get(accounts::list_users).post(accounts::create_user))
        .route("/users/{id}", patch(accounts::update_user))
        .route("/actors", get(network::list_actors).post(network::create_actor))
        .route("/public/actors", get(network::public_actors))
        .route("/actors/{id}", get(network::get_actor).patch(network::update_actor).delete(network::delete_actor))
        .route("/actors/{id}/history", get(network::actor_history))
        .route("/actors/{id}/neighbors", get(network::neighbors))
        .route("/actors/{id}/matches", get(network::matches))
        .route("/actors/import", post(network::import_actors).layer(DefaultBodyLimit::max(network::MAX_IMPORT_BYTES)))
        .route("/relations", post(network::create_relation))
        .route("/relations/import", post(network::import_relations).layer(DefaultBodyLimit::max(network::MAX_IMPORT_BYTES)))
        .route("/network/export", get(network::export))
        .route("/meetings", get(network::list_meetings).post(network::create_meeting))
        .route("/meetings/{id}", patch(network::update_meeting))
        .route("/alliances", get(network::list_alliances).post(network::create_alliance))
        .route("/people", get(network::list_people).post(network::create_person))
        .route("/people/{id}", get(network::get_person).patch(network::update_person).delete(network::delete_person))
        .route("/alliances/{id}", get(network::get_alliance).patch(network::update_alliance))
        .route("/relations/{id}", delete(network::delete_relation))
        .route("/network", get(network::network))
        .route("/network/path", get(network::path))
        .route("/network/metrics", get(network::metrics))
        .route("/network/gaps", get(network::gaps))
        .route("/network/kinds", get(network::kinds).post(network::add_kind))
        .route("/documents", get(drafting::list_documents).post(drafting::create_document))
        .route("/documents/{id}", get(drafting::get_document).patch(drafting::update_document))
        .route("/documents/{id}/draft", put(drafting::save_draft))
        .route("/documents/{id}/paragraphs/{pid}", patch(drafting::update_paragraph))
        .route("/documents/{id}/versions", get(drafting::list_versions).post(drafting::release_version))
        .route("/documents/{id}/versions/{n}", get(drafting::get_version))
        .route("/documents/{id}/diff", get(drafting::diff))
        .route("/documents/{id}/amendments", get(drafting::list_amendments).post(drafting::propose_amendment))
        .route("/documents/{id}/compilation", get(drafting::compilation))
        .route("/documents/{id}/publish", post(drafting::publish))
        .route("/documents/{id}/comments", get(drafting::list_comments).post(drafting::add_comment))
        .route("/comments/{id}", patch(drafting::edit_comment))
        .route("/comments/{id}/hide", post(drafting::hide_comment))
        .route("/comments/{id}/resolve", post(drafting::resolve_comment))
        .route("/amendments/{id}", get(drafting::get_amendment))
        .route("/amendments/{id}/stances", post(drafting::set_stance))
        .route("/amendments/{id}/stances/{actor_id}", delete(drafting::remove_stance))
        .route("/amendments/{id}/decision", post(drafting::decide_amendment))
        .route("/amendments/{id}/withdraw", post(drafting::withdraw_amendment))
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async { ApiError(AppError::NotFound("There is no such API endpoint.".into())) })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Mutirão API", description = "JSON API for scripts and integrations. Authenticate with the session cookie (POST /api/v1/session) or a personal token: `Authorization: Bearer mut_…`."),
    paths(
        accounts::login, accounts::logout, accounts::me,
        accounts::create_token, accounts::list_tokens, accounts::revoke_token,
        accounts::list_users, accounts::create_user, accounts::update_user,
        network::list_actors, network::public_actors, network::create_actor, network::get_actor, network::update_actor, network::delete_actor,
        network::actor_history, network::neighbors, network::create_relation, network::delete_relation, network::network,
        network::path, network::metrics, network::gaps, network::kinds, network::add_kind, network::import_actors, network::import_relations,
        network::export, network::matches, network::list_meetings, network::create_meeting, network::update_meeting, network::list_alliances,
        network::create_alliance, network::get_alliance, network::update_alliance, network::list_people, network::create_person,
        network::get_person, network::update_person, network::delete_person,
        drafting::create_document, drafting::list_documents, drafting::get_document, drafting::update_document,
        drafting::save_draft, drafting::update_paragraph, drafting::release_version, drafting::list_versions,
        drafting::get_version, drafting::diff, drafting::list_amendments, drafting::propose_amendment,
        drafting::get_amendment, drafting::set_stance, drafting::remove_stance, drafting::decide_amendment,
        drafting::withdraw_amendment, drafting::compilation, drafting::publish, drafting::list_comments,
        drafting::add_comment, drafting::edit_comment, drafting::hide_comment, drafting::resolve_comment,
    ),
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

async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
