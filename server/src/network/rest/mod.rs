//! The network's HTTP routes: the REST endpoints, a file per sub-domain (each registers its routes
//! with their OpenAPI entries in one place), and the import page's upload and progress.

mod actors;
mod deals;
mod graph;
mod people;
mod transfer;

use axum::{
    extract::DefaultBodyLimit,
    routing::{get, post},
    Router,
};
use utoipa_axum::router::OpenApiRouter;

pub use transfer::MAX_IMPORT_BYTES;

use crate::AppState;

/// The REST endpoints under `/api/v1`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(actors::routes())
        .merge(graph::routes())
        .merge(deals::routes())
        .merge(people::routes())
        .merge(transfer::routes())
}

/// The import page's form upload (a browser without JavaScript posts the file here) and its
/// progress bar: pages' routes, not the API's.
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/network/import/upload", post(super::transfer::upload::import_form).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)))
        .route("/network/import/progress", get(super::transfer::progress::progress))
}
