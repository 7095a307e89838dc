//! The import page's form: a CSV file posted as `multipart/form-data` (with or without
//! JavaScript; with it, `/import.js` shows the upload's progress, then the rows written, read
//! from `super::progress` under the form's `token`). The report is kept for the
//! user as the page's kept input, and the browser is sent back to the page, which shows it.

use axum::{
    extract::{Multipart, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Extension,
};
use shared::{
    accounts::STEWARDS,
    network::ImportReport,
    ports::{Ports, RequestAuth},
    AppError,
};

use super::IMPORTING;

/// The page the report is kept for and shown on.
pub const IMPORT_PAGE: &str = "/network/import";
/// At most this many row errors are kept for the page (all are counted)…
const SHOWN_ERRORS: usize = 1_000;
/// …and at most this many bytes of them, so that the report fits the form input kept for the page
/// (100 KB) and is never lost for being too long.
const SHOWN_ERROR_BYTES: usize = 80_000;

pub async fn import_form(
    State(ports): State<Ports>,
    State(imports): State<std::sync::Arc<super::progress::ImportProgress>>,
    Extension(auth): Extension<RequestAuth>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let Some(caller) = auth.caller else {
        return Redirect::to(&format!("/login?next={IMPORT_PAGE}")).into_response();
    };
    let (mut table, mut dry_run, mut name, mut file, mut unreadable) = (String::from("actors"), true, String::new(), Vec::new(), None);
    let mut token = String::new();
    // Nobody but a steward makes the server receive a file: the form is not read for others.
    let allowed = caller.require_any(STEWARDS, IMPORTING);
    while allowed.is_ok() {
        match form.next_field().await {
            Ok(Some(field)) => match field.name().unwrap_or_default() {
                "table" => table = field.text().await.unwrap_or_default(),
                "token" => token = field.text().await.unwrap_or_default().chars().take(64).collect(),
                "dry_run" => dry_run = field.text().await.map(|v| v != "false").unwrap_or(true),
                "file" => {
                    name = field.file_name().unwrap_or_default().to_string();
                    match field.bytes().await {
                        Ok(b) => file = Vec::from(b),
                        Err(e) => unreadable = Some(e.to_string()),
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) => {
                unreadable = Some(e.to_string());
                break;
            }
        }
    }
    let result = match (allowed, unreadable) {
        (Err(refused), _) => Err(refused),
        (Ok(()), unreadable) => match unreadable {
            Some(why) => {
                Err(AppError::validation("file", format!("The file could not be received ({why}). Files of up to 64 MB are read.")))
            }
            None if name.is_empty() && file.is_empty() => Err(AppError::validation("file", "Choose a CSV file first.")),
            None => {
                let import = async {
                    if table == "relations" {
                        ports.transfer.import_relations(&caller, file, dry_run).await
                    } else {
                        ports.transfer.import_actors(&caller, file, dry_run).await
                    }
                };
                imports.track(&caller.user_id, &token, import).await
            }
        },
    };
    let mut fields = vec![("table".to_string(), table.clone()), ("file".to_string(), name)];
    let status = match &result {
        Ok(report) => {
            let mut budget = SHOWN_ERROR_BYTES;
            let errors = report
                .errors
                .iter()
                .take(SHOWN_ERRORS)
                .take_while(|e| {
                    let bytes = serde_json::to_string(e).map(|j| j.len() + 1).unwrap_or(usize::MAX);
                    budget.checked_sub(bytes).map(|left| budget = left).is_some()
                })
                .cloned()
                .collect();
            let shown = ImportReport { errors, ..report.clone() };
            fields.push(("errors_total".into(), report.errors.len().to_string()));
            fields.push(("report".into(), serde_json::to_string(&shown).unwrap_or_default()));
            StatusCode::OK
        }
        Err(e) => {
            fields.push(("error".into(), e.to_string()));
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST)
        }
    };
    if let Err(e) = ports.accounts.keep_input(&caller, IMPORT_PAGE, fields).await {
        tracing::warn!(%e, "could not keep an import report");
    }
    let wants_json = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"));
    if wants_json {
        (status, axum::Json(serde_json::json!({ "next": format!("{IMPORT_PAGE}#report") }))).into_response()
    } else {
        Redirect::to(&format!("{IMPORT_PAGE}#report")).into_response()
    }
}
