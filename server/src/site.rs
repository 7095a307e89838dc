//! Serving the Leptos app: pages rendered on the server, server functions, static files.

use axum::{response::IntoResponse, Router};
use leptos::{config::LeptosOptions, prelude::provide_context};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::services::ServeDir;

use crate::AppState;

/// Leptos options from the environment (`LEPTOS_SITE_ROOT`…, as cargo-leptos sets them), with our names
/// filled in when the binary runs on its own (tests, the release binary).
pub fn leptos_options() -> LeptosOptions {
    let mut options = leptos::config::get_configuration(None).map(|c| c.leptos_options).unwrap_or_else(|e| {
        tracing::warn!(%e, "Leptos configuration from the environment is invalid; using defaults");
        LeptosOptions::builder().output_name("mutirao").build()
    });
    if options.output_name.is_empty() {
        options.output_name = "mutirao".into();
    }
    if std::env::var("LEPTOS_SITE_ROOT").is_err() {
        options.site_root = "target/site".into();
    }
    options
}

/// The app's routes, listed once per process. Listing renders the app with resource loading
/// suppressed by a process-wide flag, and a page whose resource first polls while that flag is
/// up never finishes (leptos-rs/leptos#4773); so no listing may run while pages render, as it
/// would when several apps are built in one process (the tests).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Pages and server functions, with the services and the cookie policy as Leptos context.
pub fn routes(state: &AppState) -> Router<AppState> {
    let routes = route_list();
    let ports = state.ports.clone();
    let cookies = state.cookies;
    let context = move || {
        provide_context(ports.clone());
        provide_context(cookies);
    };
    let options = state.leptos_options.clone();
    Router::new().leptos_routes_with_context(state, routes, context, move || app::shell(options.clone()))
}

/// Static files (the wasm bundle, CSS, favicon) from the site root, precompressed when built so;
/// anything else is a page the app does not know, rendered as its 404.
pub fn static_files(state: &AppState) -> Router<AppState> {
    let options = state.leptos_options.clone();
    let ports = state.ports.clone();
    let cookies = state.cookies;
    let not_found = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        move || {
            provide_context(ports.clone());
            provide_context(cookies);
        },
        app::shell,
    );
    let pkg = format!("/{}", options.site_pkg_dir.trim_matches('/'));
    Router::new()
        .nest_service(
            &pkg,
            ServeDir::new(format!("{}/{}", options.site_root, options.site_pkg_dir)).precompressed_gzip().precompressed_br(),
        )
        .fallback(not_found)
}

/// Server functions answer every error with 500 (server_fn's default); this gives the status
/// their `AppError` stands for (409 for a stale save, 422 for a refused rule…), so clients and
/// logs see what happened. Only server-function calls (under [`app::SERVER_FN_PREFIX`]) are touched.
pub async fn server_fn_status(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use server_fn::error::FromServerFnError;
    let server_fn = request.uri().path().starts_with(app::SERVER_FN_PREFIX);
    let response = next.run(request).await;
    if !server_fn
        || response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 1 << 20).await {
        Ok(b) => b,
        Err(_) => return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let error = shared::AppError::de(bytes.clone());
    if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
        parts.status = status;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
