//! The Mutirão server: configuration, persistence in SurrealDB, the REST API, and the site.
//!
//! Map: `accounts/`, `network/` and `drafting/` hold each domain's service (the use cases, on SurrealDB) and
//! its REST handlers (each domain's `rest` registers its own routes); `api.rs` merges them into the
//! REST API and its OpenAPI document; `extract.rs` holds the API's extractors; `site.rs` serves
//! the Leptos app; `db.rs` connects and migrates; `demo/` loads the demo data.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod config;
pub mod db;
pub mod demo;
pub mod drafting;
pub mod error;
pub mod extract;
pub mod network;
pub mod origin;
pub mod site;
pub mod work;

use std::sync::Arc;

use axum::{
    extract::FromRef,
    http::{header, HeaderValue},
    middleware,
    routing::get,
    Json, Router,
};
use leptos::config::LeptosOptions;
use shared::ports::{CookiePolicy, Ports};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer, trace::TraceLayer};

use crate::{
    accounts::SurrealAccounts,
    config::{DbConfig, ServeConfig},
    db::Db,
    drafting::SurrealDrafting,
    network::SurrealNetwork,
};

/// Everything a request handler may need; tests build their own.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ports: Ports,
    pub cookies: CookiePolicy,
    pub db: Db,
    pub accounts: Arc<SurrealAccounts>,
    pub network: Arc<SurrealNetwork>,
    pub drafting: Arc<SurrealDrafting>,
    /// The CSV imports running or recently ended, for the import page's progress bar.
    pub import_progress: Arc<network::transfer::progress::ImportProgress>,
    /// The site's public origin, when configured (`MUTIRAO_PUBLIC_URL`; see `origin`).
    pub public_url: Option<String>,
    /// The proxies whose `X-Forwarded-For` names the client (`MUTIRAO_TRUSTED_PROXIES`).
    pub trusted_proxies: Arc<accounts::client::TrustedProxies>,
}

impl AppState {
    /// Connects to the database, migrates it, and wires the services.
    pub async fn open(db: &DbConfig, serve: &ServeConfig) -> Result<Self, db::DbError> {
        let db = db::connect(db).await?;
        Ok(Self::with_db(db, serve))
    }

    pub fn with_db(db: Db, serve: &ServeConfig) -> Self {
        let accounts = Arc::new(SurrealAccounts::new(db.clone(), serve.login_attempts_per_minute, serve.session_hours));
        let network = Arc::new(SurrealNetwork::new(db.clone()));
        let drafting = Arc::new(SurrealDrafting::new(db.clone()));
        AppState {
            leptos_options: site::leptos_options(),
            ports: Ports {
                accounts: accounts.clone(),
                actors: network.clone(),
                graph: network.clone(),
                deals: network.clone(),
                people: network.clone(),
                transfer: network.clone(),
                drafting: drafting.clone(),
                amendments: drafting.clone(),
                comments: drafting.clone(),
            },
            cookies: CookiePolicy { secure: serve.cookies_secure() },
            db,
            accounts,
            network,
            drafting,
            import_progress: Default::default(),
            public_url: serve.public_url.clone(),
            trusted_proxies: Arc::new(serve.trusted_proxies.clone()),
        }
    }
}

/// The whole application: REST API, health check, server functions, pages and static files.
pub fn app(state: AppState) -> Router {
    let authenticated = Router::new()
        .merge(api::router())
        .merge(network::rest::page_routes())
        .merge(site::routes(&state))
        .layer(middleware::from_fn_with_state(state.clone(), accounts::auth::resolve_caller))
        .layer(middleware::from_fn(site::server_fn_status));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(authenticated)
        .merge(site::static_files(&state))
        .layer(middleware::from_fn_with_state(state.clone(), drafting::rest::published_exports))
        .layer(middleware::from_fn_with_state(state.clone(), origin::refuse_cross_site))
        // The fastest level (as nginx's default gzip level 1): pages are made per request, and
        // brotli's or gzip's higher levels cost a page of 0.5 MB 10 ms more for ~20 % less.
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        // What every response tells the browser: its type is the one named (no sniffing), no
        // other site may frame it (clickjacking), links elsewhere carry only this site's origin,
        // and what may run and load (`app::content_security_policy`: pages set theirs, with the
        // nonce of their inline scripts; this is everything else's).
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&app::content_security_policy(None)).expect("the policy is a valid header"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(axum::extract::State(db): axum::extract::State<Db>) -> (axum::http::StatusCode, Json<serde_json::Value>) {
    match db.query("RETURN 1").await {
        Ok(_) => (axum::http::StatusCode::OK, Json(serde_json::json!({"status": "ok"}))),
        Err(e) => {
            tracing::error!(%e, "health check failed");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "unavailable"})))
        }
    }
}
