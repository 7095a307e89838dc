//! Imports from CSV files and exports of the network (CSV, GraphML, GEXF, JSON).

use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, FromRequestParts, State},
    http::{header, request::Parts},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use shared::{
    accounts::STEWARDS,
    network::{ImportReport, NetworkExport},
    ports::Ports,
    AppError, Caller,
};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::graph::graph_filter;
use crate::{
    accounts::auth::Authenticated,
    error::{ApiError, ApiResult, ErrorBody},
    extract::ApiQuery,
    network::transfer::{
        export::{actors_csv, gexf, graphml, relations_csv, ExportEdge, ExportNode},
        IMPORTING,
    },
    AppState,
};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_actors))
        .routes(routes!(import_relations))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
        .routes(routes!(export))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportParams {
    /// `true` checks the file and reports what would be imported, writing nothing.
    pub dry_run: Option<bool>,
}

/// The caller of an import: a steward, checked before the file is received (an extractor of the
/// request's head runs before the body is read), so nobody else makes the server hold a file.
pub struct Importer(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Importer {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Authenticated(caller) = Authenticated::from_request_parts(parts, state).await?;
        caller.require_any(STEWARDS, IMPORTING).map_err(ApiError)?;
        Ok(Importer(caller))
    }
}

/// The largest CSV file an import reads.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Import actors from a CSV file (organisers, secretariat, admins): UTF-8 or Latin-1, comma or
/// semicolon; headers `name`, `kind` (required), `description`, `country`, `state`,
/// `municipality`, `products`, `organic_status`, `members`, `website`, `email`, `phone`, `tags`,
/// `visibility` (or their Portuguese names), matched ignoring case and accents. Every good row is
/// written; every bad one is reported with its line and reason. A file that cannot be read as a
/// whole (empty, no `name` column…) is refused with 400.
#[utoipa::path(post, path = "/api/v1/actors/import", tag = "network", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413)))]
pub async fn import_actors(
    State(ports): State<Ports>,
    Importer(caller): Importer,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(ports.transfer.import_actors(&caller, Vec::from(body), p.dry_run.unwrap_or(false)).await?))
}

/// Import relations from a CSV file: `from`, `to` (actors by name or id), `kind` required;
/// `since`, `until`, `note`, `evidence` optional.
#[utoipa::path(post, path = "/api/v1/relations/import", tag = "network", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413)))]
pub async fn import_relations(
    State(ports): State<Ports>,
    Importer(caller): Importer,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(ports.transfer.import_relations(&caller, Vec::from(body), p.dry_run.unwrap_or(false)).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct ExportParams {
    /// `csv`, `graphml`, `gexf` or `json`.
    pub format: Option<String>,
    /// For `csv`: `actors` (the default) or `relations`.
    pub table: Option<String>,
    /// Actor kinds, separated by commas (all when not given).
    pub kind: Option<String>,
    /// State codes, separated by commas (all when not given).
    pub state: Option<String>,
}

/// Export the network, or the part with these kinds and states, as CSV, GraphML or GEXF (both
/// open in Gephi), or JSON.
#[utoipa::path(get, path = "/api/v1/network/export", tag = "network", params(ExportParams),
    responses((status = 200, description = "The file",
            content((NetworkExport = "application/json"), (String = "text/csv"), (String = "application/graphml+xml"), (String = "application/gexf+xml"))), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn export(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let filter = graph_filter(p.kind.as_deref(), p.state.as_deref());
    let format = p.format.as_deref().unwrap_or("json").trim().to_ascii_lowercase();
    if !matches!(format.as_str(), "csv" | "graphml" | "gexf" | "json") {
        return Err(AppError::validation("format", format!("“{format}” is not an export format: use csv, graphml, gexf or json.")).into());
    }
    let table = p.table.as_deref().unwrap_or("actors").trim().to_ascii_lowercase();
    if !matches!(table.as_str(), "actors" | "relations") {
        return Err(AppError::validation("table", "The CSV export is of `actors` or `relations`.").into());
    }
    let data = ports.transfer.export(&caller, filter).await?;
    let nodes = || -> Vec<ExportNode> {
        data.actors
            .iter()
            .map(|a| ExportNode { id: a.id.clone(), label: a.name.clone(), kind: a.kind.clone(), state: a.state.clone() })
            .collect()
    };
    let edges = || -> Vec<ExportEdge> {
        data.relations
            .iter()
            .map(|r| ExportEdge { id: r.id.clone(), from: r.from.clone(), to: r.to.clone(), kind: r.kind.clone() })
            .collect()
    };
    let (body, content_type, file) = match (format.as_str(), table.as_str()) {
        ("csv", "relations") => (relations_csv(&data.relations), "text/csv; charset=utf-8", "mutirao-relations.csv"),
        ("csv", _) => (actors_csv(&data.actors), "text/csv; charset=utf-8", "mutirao-actors.csv"),
        ("graphml", _) => (graphml(&nodes(), &edges()), "application/graphml+xml", "mutirao-network.graphml"),
        ("gexf", _) => (gexf(&nodes(), &edges()), "application/gexf+xml", "mutirao-network.gexf"),
        _ => (serde_json::to_string(&data).map_err(|_| AppError::Internal)?, "application/json", "mutirao-network.json"),
    };
    Ok((
        [(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\""))],
        body,
    )
        .into_response())
}
