//! Work that takes the processor for a while (word diffs of long texts, graph metrics, password
//! hashes) runs on tokio's blocking threads, never on the threads that serve requests.

use shared::AppError;

use crate::error::internal;

/// Runs `work` on a blocking thread; its panic is `Internal`, logged with `context`.
pub async fn blocking<T: Send + 'static>(context: &'static str, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| internal(context, e))
}
