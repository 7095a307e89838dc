//! Backups of the running database, for admins: the embedded engine is locked to the server's
//! process, so no second process can read it while it serves; the server itself streams a
//! consistent export (its schema and every record, as SurrealQL), which
//! `mutirao admin restore --from FILE` loads into an empty database.

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use shared::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::Authenticated;
use crate::{
    db::Db,
    error::{internal, ApiError, ApiResult, ErrorBody},
    AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(backup))
}

/// A backup of the whole database (admins): SurrealQL, streamed as it is written, to restore with
/// `mutirao admin restore --from FILE` into an empty database.
#[utoipa::path(get, path = "/api/v1/admin/backup", tag = "accounts",
    responses((status = 200, description = "The backup, as SurrealQL", content_type = "application/sql", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn backup(State(db): State<Db>, Authenticated(caller): Authenticated) -> ApiResult<Response> {
    caller.require_any(&[Role::Admin], "back up the database").map_err(ApiError)?;
    // Recorded before the export starts, so that the backup holds its own entry.
    db.audit(&crate::audit::Audit::new(&caller, shared::audit::AuditAction::BackupTaken, "database", "")).await?;
    let stream = db.backup().await.map_err(|e| ApiError(internal("start a backup", e)))?;
    let name = format!("attachment; filename=\"mutirao-{}.surql\"", time::OffsetDateTime::now_utc().date());
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/sql; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
