//! How far an import has got, for the import page's progress bar. The page's script names the
//! upload with a random token; while the server writes the rows, `GET
//! /network/import/progress?token=…` answers `{"done","total","finished"}` for that user. The
//! registry of imports is part of the app's state (`AppState::import_progress`); the import's
//! code reports through a task-local set around it, so the ports stay as they are.

use std::{
    collections::HashMap,
    future::Future,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Extension, Json,
};
use serde::{Deserialize, Serialize};
use shared::ports::RequestAuth;

/// Progress is kept this long after an import ends, for the last look of the page.
const KEPT: Duration = Duration::from_secs(600);

#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    finished: AtomicBool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub done: u64,
    pub total: u64,
    pub finished: bool,
}

impl Progress {
    pub fn view(&self) -> ProgressView {
        ProgressView {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            finished: self.finished.load(Ordering::Relaxed),
        }
    }
}

tokio::task_local! {
    static CURRENT: Arc<Progress>;
}

/// The imports running or recently ended: (user, token) → the import's progress and when it
/// started.
#[derive(Debug, Default)]
pub struct ImportProgress {
    imports: Mutex<HashMap<ImportKey, (Arc<Progress>, Instant)>>,
}

/// (user, token)
type ImportKey = (String, String);

impl ImportProgress {
    /// Runs an import, its progress readable by `user` under `token` meanwhile and for a while
    /// after.
    pub async fn track<F: Future>(&self, user: &str, token: &str, import: F) -> F::Output {
        let progress = Arc::new(Progress::default());
        if let Ok(mut map) = self.imports.lock() {
            map.retain(|_, (_, at)| at.elapsed() < KEPT);
            map.insert((user.to_string(), token.to_string()), (progress.clone(), Instant::now()));
        }
        let out = CURRENT.scope(progress.clone(), import).await;
        // The total was an estimate (a file's lines); at the end it is what was done.
        progress.total.store(progress.done.load(Ordering::Relaxed), Ordering::Relaxed);
        progress.finished.store(true, Ordering::Relaxed);
        out
    }

    /// The progress of `user`'s import under `token`: nobody else's.
    pub fn lookup(&self, user: &str, token: &str) -> Option<ProgressView> {
        let map = self.imports.lock().ok()?;
        map.get(&(user.to_string(), token.to_string())).map(|(p, _)| p.view())
    }
}

/// The import about to read about `rows` rows (inside `track`; otherwise nothing happens).
pub fn total(rows: usize) {
    let _ = CURRENT.try_with(|p| p.total.store(rows as u64, Ordering::Relaxed));
}

/// `rows` more rows handled: checked and written, or refused.
pub fn advance(rows: usize) {
    let _ = CURRENT.try_with(|p| p.done.fetch_add(rows as u64, Ordering::Relaxed));
}

#[derive(Deserialize)]
pub struct ProgressQuery {
    token: String,
}

/// `GET /network/import/progress?token=…`: the caller's import under that token.
pub async fn progress(
    State(imports): State<Arc<ImportProgress>>,
    Extension(auth): Extension<RequestAuth>,
    Query(q): Query<ProgressQuery>,
) -> Response {
    let Some(caller) = auth.caller else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match imports.lookup(&caller.user_id, &q.token) {
        Some(view) => Json(view).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_import_reports_its_rows_to_its_user_only() {
        let imports = ImportProgress::default();
        let seen = imports
            .track("u1", "t1", async {
                total(1200);
                advance(500);
                let halfway = imports.lookup("u1", "t1");
                advance(700);
                halfway
            })
            .await;
        assert_eq!(seen, Some(ProgressView { done: 500, total: 1200, finished: false }));
        assert_eq!(imports.lookup("u1", "t1"), Some(ProgressView { done: 1200, total: 1200, finished: true }));
        assert_eq!(imports.lookup("u2", "t1"), None, "another user's import is not shown");
        assert_eq!(imports.lookup("u1", "other"), None);
        assert_eq!(ImportProgress::default().lookup("u1", "t1"), None, "each app has its own registry");
        // Outside an import, reporting does nothing (and does not fail).
        total(5);
        advance(5);
    }
}
