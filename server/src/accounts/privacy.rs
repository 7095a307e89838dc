//! Personal data (Brazil's LGPD, Art. 18): everything Mutirão holds about the caller — their
//! account, the person records linked to it, their comments, amendments and stances, their API
//! tokens (names and dates; never the secrets) — as one JSON file they can take away.

use axum::{
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    Json,
};
use shared::{AppError, Caller};
use surrealdb::types::Value;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::Authenticated;
use crate::{
    db::Db,
    error::{ApiResult, ErrorBody},
    AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_data))
}

/// Everything held about `caller`.
pub async fn export(db: &Db, caller: &Caller) -> Result<serde_json::Value, AppError> {
    let mut r = db
        .query(
            "LET $u = type::record('user', $uid);
             SELECT record::id(id) AS id, email, name, roles, <string> created_at AS created_at,
                (SELECT VALUE name FROM $parent.actors) AS organisations FROM ONLY $u;
             SELECT record::id(id) AS id, name, email, phone, gender, age_band, consent_at != NONE AS consent,
                (SELECT out.name AS organisation, role FROM represents WHERE in = $parent.id) AS represents
                FROM person WHERE user = $u;
             SELECT record::id(id) AS id, document.title AS document, target, target_id, stance, body, hidden_reason,
                <string> created_at AS created_at FROM comment WHERE author = $u ORDER BY created_at;
             SELECT record::id(id) AS id, document.title AS document, number, kind, paragraph_id, text, rationale, status,
                actor.name AS on_behalf_of, <string> created_at AS created_at FROM amendment WHERE proposed_by = $u ORDER BY created_at;
             SELECT record::id(id) AS id, amendment.number AS amendment, actor.name AS on_behalf_of, stance,
                <string> created_at AS created_at FROM stance WHERE author = $u ORDER BY created_at;
             SELECT name, <string> created_at AS created_at, <string> last_used_at AS last_used_at, revoked_at != NONE AS revoked
                FROM api_token WHERE user = $u ORDER BY created_at;",
        )
        .bind(("uid", caller.user_id.clone()))
        .answers("export personal data")
        .await?;
    let one: Option<Value> = r.take(1)?;
    let mut rows = |i: usize| -> Result<serde_json::Value, AppError> {
        let rows: Vec<Value> = r.take(i)?;
        Ok(serde_json::Value::Array(rows.into_iter().map(Value::into_json_value).collect()))
    };
    Ok(serde_json::json!({
        "exported_at": time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "account": one.map(Value::into_json_value).unwrap_or_default(),
        "people": rows(2)?,
        "comments": rows(3)?,
        "amendments": rows(4)?,
        "stances": rows(5)?,
        "api_tokens": rows(6)?,
    }))
}

/// Everything Mutirão holds about you (LGPD): your account, the person records linked to it,
/// your comments, amendments and stances, your tokens (without their secrets), as JSON.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts",
    responses((status = 200, description = "Your data", body = Object), (status = 401, body = ErrorBody)))]
pub async fn my_data(State(db): State<Db>, Authenticated(caller): Authenticated) -> ApiResult<(HeaderMap, Json<serde_json::Value>)> {
    let data = export(&db, &caller).await?;
    db.audit(&crate::audit::Audit::new(&caller, shared::audit::AuditAction::DataExported, "user", caller.user_id.clone())).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"mutirao-my-data.json\""));
    Ok((headers, Json(data)))
}
