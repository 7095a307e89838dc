//! Telling database failures apart by kind: the refusals our queries `THROW`, duplicates,
//! conflicts between transactions, writes naming a missing record; and the one mapping of any
//! other failure to `Internal`.

use shared::AppError;

use crate::error::internal;

/// Why one of our queries refused a write: the text of each `THROW` in our SurrealQL (a detail
/// may follow the text: `THROW 'unknown actor ' + $id`). [`refusal`] recognises them, and a test
/// checks that every `THROW` in the server's queries is one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Amendments or stances name the actor: it stays in the negotiation's record.
    ActorInRecord,
    /// A link to an actor that does not exist (its id follows).
    UnknownActor,
    /// A link to a user account that does not exist.
    UnknownUser,
    /// The invitation was used meanwhile.
    InvitationUsed,
    /// The user chose a password meanwhile (no invitation is needed any more).
    UserActive,
    /// The amendment was decided (or withdrawn) meanwhile.
    AlreadyDecided,
    /// The document's working draft moved on meanwhile.
    StaleHead,
    /// Someone released a version meanwhile.
    StaleRelease,
    /// The document became final (or was published) meanwhile.
    DocumentFinal,
    /// The record was changed meanwhile (its revision moved on).
    StaleRevision,
    /// Entries of the audit log are never changed or removed.
    AuditAppendOnly,
}

impl Refusal {
    pub const ALL: [Refusal; 11] = [
        Refusal::ActorInRecord,
        Refusal::UnknownActor,
        Refusal::UnknownUser,
        Refusal::InvitationUsed,
        Refusal::UserActive,
        Refusal::AlreadyDecided,
        Refusal::StaleHead,
        Refusal::StaleRelease,
        Refusal::DocumentFinal,
        Refusal::StaleRevision,
        Refusal::AuditAppendOnly,
    ];

    /// The text the query throws.
    pub const fn text(self) -> &'static str {
        match self {
            Refusal::ActorInRecord => "actor in the record",
            Refusal::UnknownActor => "unknown actor",
            Refusal::UnknownUser => "unknown user",
            Refusal::InvitationUsed => "invitation used",
            Refusal::UserActive => "user active",
            Refusal::AlreadyDecided => "already decided",
            Refusal::StaleHead => "stale head",
            Refusal::StaleRelease => "stale release",
            Refusal::DocumentFinal => "document final",
            Refusal::StaleRevision => "stale revision",
            Refusal::AuditAppendOnly => "the audit log is append-only",
        }
    }
}

/// The refusal one of our `THROW`s raised, with the detail that followed its text (trimmed), or
/// None for any other failure. The one place that reads what a thrown error says.
pub fn refusal(err: &surrealdb::Error) -> Option<(Refusal, String)> {
    if !err.is_thrown() {
        return None;
    }
    // The engine puts its own words before what was thrown.
    let message = err.message().trim();
    let message = message.strip_prefix("An error occurred: ").unwrap_or(message);
    Refusal::ALL.into_iter().find_map(|r| {
        let rest = message.strip_prefix(r.text())?;
        (rest.is_empty() || rest.starts_with(' ')).then(|| (r, rest.trim().to_string()))
    })
}

/// Did one of our queries throw this refusal?
pub fn refused(err: &surrealdb::Error, r: Refusal) -> bool {
    refusal(err).is_some_and(|(got, _)| got == r)
}

/// Is this error a unique-index violation (a duplicate), or a record created twice?
pub fn is_duplicate(err: &surrealdb::Error) -> bool {
    // SurrealDB 3.3 reports a unique index's refusal as an internal error (surrealdb-idx maps
    // `IndexExists` to one) whose message says the index "already contains" the value: the only
    // engine refusal recognised by its words, here and nowhere else.
    err.is_already_exists() || (err.is_internal() && err.message().contains("already contains"))
}

/// Does a write name a record that does not exist (an `ENFORCED` relation to a deleted actor)?
pub fn is_missing_record(err: &surrealdb::Error) -> bool {
    err.is_not_found()
}

/// Did another transaction write the same records first? (Trying again may succeed.)
pub fn is_conflict(err: &surrealdb::Error) -> bool {
    matches!(err.query_details(), Some(surrealdb::types::QueryError::TransactionConflict))
}

/// The value of the statement just before `COMMIT` in a `BEGIN … COMMIT` query, or the error
/// that aborted the transaction (rather than the "not executed" echoes of the other statements).
pub(super) fn transaction_result<T: surrealdb::types::SurrealValue>(
    mut response: surrealdb::IndexedResults,
) -> Result<Option<T>, surrealdb::Error> {
    let mut errors: Vec<(usize, surrealdb::Error)> = response.take_errors().into_iter().collect();
    if !errors.is_empty() {
        errors.sort_by_key(|(i, _)| *i);
        // The statements around the failing one answer "not executed" or "cancelled".
        let echo = |e: &surrealdb::Error| {
            matches!(e.query_details(), Some(surrealdb::types::QueryError::NotExecuted | surrealdb::types::QueryError::Cancelled))
        };
        let cause = errors.iter().position(|(_, e)| !echo(e)).unwrap_or(0);
        return Err(errors.swap_remove(cause).1);
    }
    let n = response.num_statements();
    response.take(n.saturating_sub(2))
}

/// Maps a database failure to `Internal`, logging it with what was being done.
pub fn db_err(context: &'static str) -> impl Fn(surrealdb::Error) -> AppError {
    move |e| internal(context, e)
}
