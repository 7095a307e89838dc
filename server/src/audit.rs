//! The audit log: each write by stewards and admins records who did what on which record, in the
//! same transaction as the write (so there is no change without its entry, nor an entry without
//! its change). The schema makes entries append-only (migration 0013); admins read them here.
//!
//! A service writes its change with [`Db::audited`]: the query is a `BEGIN … COMMIT` with the
//! marker `AUDIT;` where the entry is written (a query of one statement is wrapped for it). A
//! record created by the query names its key with `LET $audit_new = …;` before the marker.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use shared::{
    accounts::{Caller, Role},
    audit::{AuditAction, AuditEntry, AuditFilter},
    AppError, Page, PageRequest,
};
use surrealdb::types::SurrealValue;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::auth::Authenticated,
    db::{Db, DbQuery},
    error::{ApiResult, ErrorBody},
    extract::ApiQuery,
    AppState,
};

/// Where an audited query writes its entry.
pub const MARKER: &str = "AUDIT;";

/// The statement that writes an entry (bound by [`Db::audited`]).
const ENTRY: &str = "CREATE audit CONTENT {
        user: IF $audit_user = NONE { NONE } ELSE { type::record('user', $audit_user) },
        action: $audit_action, record_table: $audit_table, record_key: <string> ($audit_new ?? $audit_key),
        summary: $audit_summary
    };";

/// One entry to write: who did what on which record.
#[derive(Debug, Clone)]
pub struct Audit {
    user: Option<String>,
    action: AuditAction,
    table: &'static str,
    key: String,
    summary: String,
}

impl Audit {
    /// `caller` did `action` on the record `table:key`.
    pub fn new(caller: &Caller, action: AuditAction, table: &'static str, key: impl Into<String>) -> Self {
        Audit { user: Some(caller.user_id.clone()), action, table, key: key.into(), summary: String::new() }
    }

    /// The user `user` did it, or no user (the command line).
    pub fn by(user: Option<&str>, action: AuditAction, table: &'static str, key: impl Into<String>) -> Self {
        Audit { user: user.map(str::to_string), action, table, key: key.into(), summary: String::new() }
    }

    /// What changed, in a few words: ids and statuses, never personal data (an erasure must not
    /// leave a name behind in the log).
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

/// `query` with the entry's statement where its marker is; a query without one is one statement,
/// wrapped in a transaction with the entry after it.
fn with_entry(query: &str) -> String {
    if query.contains(MARKER) {
        query.replacen(MARKER, ENTRY, 1)
    } else {
        debug_assert!(!query.contains("BEGIN"), "an audited transaction names where its entry goes with {MARKER}");
        format!("BEGIN TRANSACTION;\n{};\n{ENTRY}\nCOMMIT TRANSACTION;", query.trim().trim_end_matches(';'))
    }
}

impl Db {
    /// A query whose write is recorded in the audit log, in the same transaction (see the module).
    pub fn audited<'c>(&'c self, query: &str, audit: &Audit) -> DbQuery<'c> {
        self.query(with_entry(query))
            .bind(("audit_user", audit.user.clone()))
            .bind(("audit_action", audit.action.as_str().to_string()))
            .bind(("audit_table", audit.table.to_string()))
            .bind(("audit_key", audit.key.clone()))
            .bind(("audit_summary", audit.summary.clone()))
    }

    /// [`Db::audited`] when there is an entry to write; otherwise the query without its marker.
    pub fn maybe_audited<'c>(&'c self, query: &str, audit: Option<&Audit>) -> DbQuery<'c> {
        match audit {
            Some(audit) => self.audited(query, audit),
            None => self.query(query.replacen(MARKER, "", 1)),
        }
    }

    /// Records an entry on its own, for what writes nothing else (an export, a backup).
    pub async fn audit(&self, audit: &Audit) -> Result<(), AppError> {
        self.audited(&format!("BEGIN TRANSACTION; {MARKER} COMMIT TRANSACTION;"), audit).run("write the audit log").await
    }
}

#[derive(Debug, SurrealValue)]
struct EntryRow {
    id: String,
    at: String,
    user: Option<String>,
    user_name: Option<String>,
    action: String,
    record_table: String,
    record_key: String,
    summary: String,
}

/// A page of the log, newest first (admins only).
pub async fn list(db: &Db, caller: &Caller, filter: AuditFilter, page: PageRequest) -> Result<Page<AuditEntry>, AppError> {
    caller.require_any(&[Role::Admin], "read the audit log")?;
    let mut conditions = vec!["true"];
    if filter.user.is_some() {
        conditions.push("user = type::record('user', $user)");
    }
    if filter.action.is_some() {
        conditions.push("action = $action");
    }
    if filter.since.is_some() {
        conditions.push("at >= <datetime> $since");
    }
    let filter_sql = conditions.join(" AND ");
    let rows = db
        .query(format!(
            "SELECT record::id(id) AS id, <string> at AS at, at AS ts, IF user != NONE {{ record::id(user) }} AS user, user.name AS user_name,
                action, record_table, record_key, summary
             FROM audit WHERE {filter_sql} ORDER BY ts DESC LIMIT $limit START $start;
             count(SELECT id FROM audit WHERE {filter_sql});"
        ))
        .bind(("user", filter.user))
        .bind(("action", filter.action.map(|a| a.as_str().to_string())))
        .bind(("since", filter.since))
        .page::<EntryRow>(page, 0, "read the audit log")
        .await?;
    Ok(rows.map(|r| AuditEntry {
        id: r.id,
        at: r.at,
        by: r.user,
        by_name: r.user_name,
        // The schema allows only the vocabulary's spellings.
        action: r.action.parse().unwrap_or(AuditAction::UserCreated),
        table: r.record_table,
        key: r.record_key,
        summary: r.summary,
    }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_log))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    /// Only what this user did (their id).
    pub user: Option<String>,
    /// Only this action (`comment.hidden`, `user.roles_changed`…).
    pub action: Option<String>,
    /// Only from this date (`2026-12-01`) or moment (RFC 3339) on.
    pub since: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The audit log, newest first: every write by stewards and admins, with who did it and when
/// (admins only).
#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn audit_log(
    State(ports): State<shared::ports::Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    let filter = AuditFilter::parse(p.user.as_deref(), p.action.as_deref(), p.since.as_deref())?;
    let page = ports.accounts.audit_log(&caller, filter, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(AuditPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// A page of the audit log.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_goes_where_the_marker_is_or_after_a_lone_statement() {
        let q = with_entry("BEGIN TRANSACTION; UPDATE x SET a = 1; AUDIT; RETURN 1; COMMIT TRANSACTION;");
        assert!(q.contains("UPDATE x SET a = 1; CREATE audit"), "{q}");
        assert!(q.ends_with("RETURN 1; COMMIT TRANSACTION;"), "{q}");
        let q = with_entry("UPDATE x SET a = 1;");
        assert!(q.starts_with("BEGIN TRANSACTION;\nUPDATE x SET a = 1;\nCREATE audit"), "{q}");
        assert!(q.ends_with("COMMIT TRANSACTION;"), "{q}");
    }
}
