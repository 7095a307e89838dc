//! Writes that race: a change worked out from what was read is written only onto the revision
//! (or state) it was read at, and worked out again when someone else wrote first — the record
//! moved on (our `THROW 'stale revision'`), or SurrealDB refused the transaction for a conflict
//! with another. The one loop every such write uses.

use std::future::Future;

use shared::{revision, AppError};

use super::{is_conflict, refused, Refusal};

/// How often a write whose record moved on is worked out again before the caller is told to try
/// later.
pub const WRITE_ATTEMPTS: usize = 16;

/// Did this write fail only because someone else wrote first (trying again may succeed)?
pub fn moved_on(err: &surrealdb::Error) -> bool {
    refused(err, Refusal::StaleRevision) || is_conflict(err)
}

/// Runs `attempt` until it writes: each attempt reads the record, works the change out and
/// writes it onto what it read, answering `Some` once written and `None` when the record moved on
/// meanwhile. With `if_match` (the client named the revision it saw) a record that moved on is
/// refused with 412 instead of being worked out again. `what` names the record for a person
/// ("this organisation").
pub async fn onto_current<T, F, Fut>(what: &str, if_match: Option<u64>, mut attempt: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, AppError>>,
{
    for _ in 0..WRITE_ATTEMPTS {
        if let Some(done) = attempt().await? {
            return Ok(done);
        }
        if if_match.is_some() {
            return Err(revision::stale(what));
        }
    }
    Err(AppError::Conflict(format!("Several people are changing {what} at this moment. Try again in a moment.")))
}

/// Runs a transaction (`attempt` builds and runs it) again when SurrealDB refused it for a
/// conflict with another one writing the same keys (a full-text index's statistics, a shared
/// record), after a short pause that grows, up to [`WRITE_ATTEMPTS`] times; answers what the last
/// attempt did, for the caller to tell its refusals apart. Every write of several records that
/// others write at the same moment goes through it, so a race is never a 500.
pub async fn retry_conflicts<T, F, Fut>(mut attempt: F) -> Result<Result<Option<T>, surrealdb::Error>, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Result<Option<T>, surrealdb::Error>, AppError>>,
{
    let mut tries = 0;
    loop {
        let outcome = attempt().await?;
        tries += 1;
        match outcome {
            Err(e) if is_conflict(&e) && tries < WRITE_ATTEMPTS => {
                let pause = 1u64 << tries.min(6);
                tokio::time::sleep(std::time::Duration::from_millis(pause + rand::random::<u64>() % pause)).await;
            }
            done => return Ok(done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_is_worked_out_again_until_it_lands_or_refused_when_the_client_named_a_revision() {
        let mut tries = 0;
        let landed = onto_current("x", None, || {
            tries += 1;
            let n = tries;
            async move { Ok((n == 3).then_some(n)) }
        })
        .await;
        assert_eq!(landed.unwrap(), 3);
        let refused = onto_current::<(), _, _>("this organisation", Some(2), || async { Ok(None) }).await;
        assert_eq!(refused.unwrap_err().status(), 412);
        let busy = onto_current::<(), _, _>("this organisation", None, || async { Ok(None) }).await;
        assert_eq!(busy.unwrap_err().status(), 409);
    }
}
