//! Moving the network in and out: CSV imports of actors and relations (checked whole, written
//! in batches with their progress reported, each bad row named) and the exports.

pub mod csv_file;
pub mod export;
pub mod import;
pub mod progress;
pub mod upload;

/// What only stewards may do, in the words of a refusal ("Your role does not allow you to …").
pub const IMPORTING: &str = "import into the network";

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use shared::{
    accounts::STEWARDS,
    audit::AuditAction,
    network::{changes, ActorView, GraphFilter, ImportReport, LineProblem, NetworkExport, NewActor, NewRelation, RelationView},
    ports::TransferPort,
    text::fold,
    AppError, Caller,
};
// `Value`: the derive of a struct with a flattened field names it unqualified.
use surrealdb::types::{SurrealValue, Value};

use super::{ActorFields, ActorRow, RelationRow, SurrealNetwork, ACTOR_FIELDS, RELATION_FIELDS};
use crate::{
    audit::Audit,
    db::{is_duplicate, is_missing_record, new_key, retry_conflicts},
    error::internal,
};

/// Rows written per transaction by an import.
const IMPORT_BATCH: usize = 500;

/// Writes a batch of imported rows in one transaction; a batch refused is written again row by
/// row, so that only its bad rows are reported (with `refused`).
async fn write_batch<'a, T, F, Fut>(
    batch: &'a [(u64, T)],
    errors: &mut Vec<csv_file::LineError>,
    insert: F,
    refused: impl Fn(&T, &AppError) -> String,
) -> usize
where
    F: Fn(&'a [(u64, T)]) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    match insert(batch).await {
        Ok(()) => batch.len(),
        Err(_) if batch.len() > 1 => {
            let mut written = 0;
            for row in batch {
                match insert(std::slice::from_ref(row)).await {
                    Ok(()) => written += 1,
                    Err(e) => errors.push(csv_file::LineError { line: row.0, message: refused(&row.1, &e) }),
                }
            }
            written
        }
        Err(e) => {
            errors.push(csv_file::LineError { line: batch[0].0, message: refused(&batch[0].1, &e) });
            0
        }
    }
}

/// The next batch of rows of a file that pass `check` (at most `IMPORT_BATCH`), the refused ones
/// added to `errors`, progress reported per line read; empty at the end of the file.
fn next_batch<T>(
    records: &mut csv_file::Records<'_>,
    errors: &mut Vec<csv_file::LineError>,
    mut check: impl FnMut(u64, &csv::StringRecord) -> Result<T, csv_file::LineError>,
) -> Vec<(u64, T)> {
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    let mut read = 0;
    while batch.len() < IMPORT_BATCH {
        let Some(record) = records.next() else { break };
        read += 1;
        match record.and_then(|(line, fields)| check(line, &fields).map(|t| (line, t))) {
            Ok(row) => batch.push(row),
            Err(e) => errors.push(e),
        }
    }
    progress::advance(read);
    batch
}

/// An actor as an import writes it: its key and its fields.
#[derive(Debug, Clone, SurrealValue)]
struct ActorInsert {
    id: String,
    #[surreal(flatten)]
    fields: ActorFields,
}

impl ActorInsert {
    fn new(a: &NewActor) -> Self {
        ActorInsert { id: new_key(), fields: ActorFields::of(a) }
    }
}

/// A history entry as an import writes it.
#[derive(Debug, Clone, SurrealValue)]
struct ChangeInsert {
    actor: String,
    changes: String,
}

/// A relation as an import writes it.
#[derive(Debug, Clone, SurrealValue)]
struct RelationInsert {
    from: String,
    to: String,
    kind: String,
    since: Option<String>,
    until: Option<String>,
    note: String,
    evidence: String,
}

fn whole_file(e: csv_file::LineError) -> AppError {
    AppError::validation("file", e.message)
}

fn problems(errors: Vec<csv_file::LineError>) -> Vec<LineProblem> {
    let mut out: Vec<LineProblem> = errors.into_iter().map(|e| LineProblem { line: e.line, message: e.message }).collect();
    out.sort_by_key(|e| e.line);
    out
}

impl SurrealNetwork {
    /// Writes imported actors, a transaction per batch; a batch that fails (someone added one
    /// of the names meanwhile) is written again one row at a time, so each row is either wholly
    /// written or reported.
    async fn write_actors(&self, author: &str, rows: &[(u64, NewActor)], errors: &mut Vec<csv_file::LineError>) -> usize {
        write_batch(rows, errors, |batch| self.insert_actor_batch(author, batch), |a, e| format!("“{}” was not imported: {e}", a.name))
            .await
    }

    async fn insert_actor_batch(&self, author: &str, batch: &[(u64, NewActor)]) -> Result<(), AppError> {
        let rows: Vec<ActorInsert> = batch.iter().map(|(_, a)| ActorInsert::new(a)).collect();
        let history: Vec<ChangeInsert> = rows
            .iter()
            .zip(batch)
            .map(|(r, (_, a))| ChangeInsert {
                actor: r.id.clone(),
                changes: serde_json::to_string(&changes(&NewActor::default(), a)).unwrap_or_else(|_| "[]".into()),
            })
            .collect();
        // Each batch is recorded in the audit log with its rows, in its transaction.
        let audit = Audit::by(Some(author), AuditAction::NetworkImported, "actor", "").summary(format!("{} actors", rows.len()));
        let written = retry_conflicts(|| {
            self.db
                .audited(
                    "BEGIN TRANSACTION;
                     INSERT INTO actor $rows RETURN NONE;
                     INSERT INTO actor_change (array::map($history, |$h| { actor: type::record('actor', $h.actor),
                        author: type::record('user', $author), action: 'imported', changes: $h.changes })) RETURN NONE;
                     AUDIT;
                     RETURN true;
                     COMMIT TRANSACTION;",
                    &audit,
                )
                .bind(("rows", rows.clone()))
                .bind(("history", history.clone()))
                .bind(("author", author.to_string()))
                .transact::<bool>("import actors")
        })
        .await?;
        match written {
            Ok(_) => {
                self.graph_changed().await;
                Ok(())
            }
            Err(e) if is_duplicate(&e) => Err(AppError::Conflict("an actor of that name was added meanwhile.".into())),
            Err(e) => Err(internal("import actors", e)),
        }
    }

    async fn write_relations(&self, author: &str, rows: &[(u64, NewRelation)], errors: &mut Vec<csv_file::LineError>) -> usize {
        write_batch(rows, errors, |batch| self.insert_relation_batch(author, batch), |_, e| format!("This relation was not imported: {e}"))
            .await
    }

    async fn insert_relation_batch(&self, author: &str, batch: &[(u64, NewRelation)]) -> Result<(), AppError> {
        let rows: Vec<RelationInsert> = batch
            .iter()
            .map(|(_, r)| RelationInsert {
                from: r.from.clone(),
                to: r.to.clone(),
                kind: r.kind.clone(),
                since: r.since.clone(),
                until: r.until.clone(),
                note: r.note.clone(),
                evidence: r.evidence.clone(),
            })
            .collect();
        let audit = Audit::by(Some(author), AuditAction::NetworkImported, "relation", "").summary(format!("{} relations", rows.len()));
        let written = retry_conflicts(|| {
            self.db
                .audited(
                    "BEGIN TRANSACTION;
                     LET $user = type::record('user', $author);
                     LET $data = array::map($rows, |$r| { in: type::record('actor', $r.from), out: type::record('actor', $r.to),
                        kind: $r.kind, since: $r.since, until: $r.until, note: $r.note, evidence: $r.evidence, created_by: $user });
                     INSERT RELATION INTO relation $data RETURN NONE;
                     AUDIT;
                     RETURN true;
                     COMMIT TRANSACTION;",
                    &audit,
                )
                .bind(("rows", rows.clone()))
                .bind(("author", author.to_string()))
                .transact::<bool>("import relations")
        })
        .await?;
        match written {
            Ok(_) => {
                self.graph_changed().await;
                Ok(())
            }
            Err(e) if is_duplicate(&e) => Err(AppError::Conflict("the same relation was added meanwhile.".into())),
            Err(e) if is_missing_record(&e) => Err(AppError::Conflict("one of its actors was deleted meanwhile.".into())),
            Err(e) => Err(internal("import relations", e)),
        }
    }
}

#[async_trait]
impl TransferPort for SurrealNetwork {
    async fn import_actors(&self, caller: &Caller, file: Vec<u8>, dry_run: bool) -> Result<ImportReport, AppError> {
        caller.require_any(STEWARDS, "import actors")?;
        // Read, checked and written a batch at a time: only the file, its folded names and one
        // batch are held, however large the file.
        let mut records = csv_file::records(&file).map_err(whole_file)?;
        let kinds = self.kinds().await?;
        let mut check = import::ActorRows::new(&records.headers, &kinds).map_err(whole_file)?;
        progress::total(records.estimate());
        let (mut errors, mut imported) = (Vec::new(), 0);
        loop {
            let batch = next_batch(&mut records, &mut errors, |line, fields| check.check(line, fields));
            if batch.is_empty() {
                break;
            }
            let names: Vec<String> = batch.iter().map(|(_, a)| fold(&a.name)).collect();
            let existing: HashSet<String> = self
                .db
                .query("SELECT VALUE name_folded FROM actor WHERE name_folded IN $names")
                .bind(("names", names))
                .fetch::<Vec<String>>("import actors")
                .await?
                .into_iter()
                .collect();
            let (new, known): (Vec<_>, Vec<_>) = batch.into_iter().partition(|(_, a)| !existing.contains(&fold(&a.name)));
            errors.extend(
                known.into_iter().map(|(line, a)| csv_file::LineError {
                    line,
                    message: format!("“{}” is already in the network (a duplicate).", a.name),
                }),
            );
            imported += if dry_run { new.len() } else { self.write_actors(&caller.user_id, &new, &mut errors).await };
        }
        Ok(ImportReport { dry_run, imported, errors: problems(errors) })
    }

    async fn import_relations(&self, caller: &Caller, file: Vec<u8>, dry_run: bool) -> Result<ImportReport, AppError> {
        caller.require_any(STEWARDS, "import relations")?;
        let mut records = csv_file::records(&file).map_err(whole_file)?;
        let actors: Vec<IdName> =
            self.db.query("SELECT record::id(id) AS id, name_folded AS name FROM actor").fetch("import relations").await?;
        #[derive(SurrealValue)]
        struct IdName {
            id: String,
            name: String,
        }
        let mut ids: HashMap<String, String> = HashMap::with_capacity(actors.len() * 2);
        for a in actors {
            ids.insert(a.name, a.id.clone());
            ids.insert(a.id.clone(), a.id);
        }
        let kinds = self.relation_kinds_all().await?;
        let mut check = import::RelationRows::new(&records.headers, &kinds, &ids).map_err(whole_file)?;
        // The relations already there, from the graph kept in memory (read again only if it
        // moved on). A relation someone adds meanwhile is refused by the database's index.
        let existing: HashSet<(String, String, String)> =
            self.loaded().await?.edges.iter().map(|e| (e.from.clone(), e.to.clone(), e.kind.clone())).collect();
        progress::total(records.estimate());
        let (mut errors, mut imported) = (Vec::new(), 0);
        loop {
            let batch = next_batch(&mut records, &mut errors, |line, fields| check.check(line, fields));
            if batch.is_empty() {
                break;
            }
            let (new, known): (Vec<_>, Vec<_>) =
                batch.into_iter().partition(|(_, r)| !existing.contains(&(r.from.clone(), r.to.clone(), r.kind.clone())));
            errors.extend(known.into_iter().map(|(line, r)| csv_file::LineError {
                line,
                message: format!("This relation ({}) is already in the network (a duplicate).", r.kind),
            }));
            imported += if dry_run { new.len() } else { self.write_relations(&caller.user_id, &new, &mut errors).await };
        }
        Ok(ImportReport { dry_run, imported, errors: problems(errors) })
    }

    async fn export(&self, _caller: &Caller, filter: GraphFilter) -> Result<NetworkExport, AppError> {
        let mut r = self
            .db
            .query(format!(
                "SELECT {ACTOR_FIELDS}, name_folded FROM actor ORDER BY name_folded;
                 SELECT {RELATION_FIELDS} FROM relation;"
            ))
            .answers("export the network")
            .await?;
        let actors: Vec<ActorRow> = r.take(0)?;
        let relations: Vec<RelationRow> = r.take(1)?;
        let actors: Vec<ActorView> = actors
            .into_iter()
            .map(ActorView::from)
            .filter(|a| {
                (filter.kinds.is_empty() || filter.kinds.contains(&a.kind))
                    && (filter.states.is_empty() || a.state.as_ref().is_some_and(|s| filter.states.contains(s)))
            })
            .collect();
        let kept: HashSet<&str> = actors.iter().map(|a| a.id.as_str()).collect();
        let relations: Vec<RelationView> =
            relations.into_iter().filter(|r| kept.contains(r.from.as_str()) && kept.contains(r.to.as_str())).map(Into::into).collect();
        Ok(NetworkExport { actors, relations })
    }
}
