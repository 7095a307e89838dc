//! Amendments on SurrealDB: proposals, stances, decisions (an acceptance changes the working
//! draft in the same transaction) and withdrawals, each recorded in the amendment's history.

use std::collections::HashMap;

use async_trait::async_trait;
use shared::{
    audit::AuditAction,
    drafting::{
        amendments::{
            apply_decision, is_stale, proposal_diff, AmendmentCore, AmendmentEvent, AmendmentFilter, AmendmentKind, AmendmentStatus,
            AmendmentView, DecisionRequest, NewAmendment, NewStance, ParagraphCounts, StanceKind, StanceView,
        },
        compare::VersionText,
        compilation::{parts, Compilation, ThemePending, PART_SIZE},
        diff::{word_diff, Span},
        documents::drafts,
        documents::{numbered_themes, VersionSummary},
    },
    network::ActorRef,
    ports::AmendmentsPort,
    AppError, Caller, Page, PageRequest,
};
use surrealdb::types::SurrealValue;

use super::service::{new_id, not_found, parse_text, to_json, DocRow, SurrealDrafting};
use crate::{
    audit::Audit,
    db::{is_conflict, is_duplicate, refused, Refusal},
    error::internal,
};

mod views;

/// How often a write that collided with a simultaneous one is tried again.
const ATTEMPTS: usize = 8;

#[derive(Debug, Clone, SurrealValue)]
struct AmendmentRow {
    id: String,
    number: i64,
    document_id: String,
    paragraph_id: String,
    kind: String,
    status: String,
    base_version: i64,
    base_text: String,
    text: Option<String>,
    rationale: String,
    actor_id: String,
    actor_name: String,
    proposer_id: String,
    proposed_by: String,
    created_at: String,
    decided_text: Option<String>,
    reason: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
    result_paragraph_id: Option<String>,
}

const AMENDMENT_FIELDS: &str = "record::id(id) AS id, number, record::id(document) AS document_id, paragraph_id, kind, status,
    base_version, base_text, text, rationale, record::id(actor) AS actor_id, actor.name AS actor_name,
    record::id(proposed_by) AS proposer_id, proposed_by.name AS proposed_by, <string> created_at AS created_at,
    decided_text, reason, decided_by.name AS decided_by,
    (IF decided_at != NONE { <string> decided_at } ELSE { NONE }) AS decided_at, result_paragraph_id";

/// The fields of `AMENDMENT_FIELDS` for a list of many, without following a record link per
/// row: `actor_name` and `proposed_by` come empty and `decided_by` holds the user's id, until
/// `fill_names` puts in the names, read once each.
const AMENDMENT_LIST_FIELDS: &str = "record::id(id) AS id, number, record::id(document) AS document_id, paragraph_id, kind, status,
    base_version, base_text, text, rationale, record::id(actor) AS actor_id, '' AS actor_name,
    record::id(proposed_by) AS proposer_id, '' AS proposed_by, <string> created_at AS created_at,
    decided_text, reason, (IF decided_by != NONE { record::id(decided_by) } ELSE { NONE }) AS decided_by,
    (IF decided_at != NONE { <string> decided_at } ELSE { NONE }) AS decided_at, result_paragraph_id";

#[derive(Debug, SurrealValue)]
struct NameRow {
    id: String,
    name: String,
}

#[derive(Debug, SurrealValue)]
struct StanceRow {
    amendment_id: String,
    actor_id: String,
    stance: String,
    author: String,
    created_at: String,
}

#[derive(Debug, SurrealValue)]
struct EventRow {
    amendment_id: String,
    action: String,
    author: String,
    created_at: String,
    note: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct CountRow {
    paragraph_id: String,
    amendments: i64,
    proposed: i64,
}

#[derive(Debug, SurrealValue)]
struct PendingRow {
    paragraph_id: String,
    n: i64,
}

#[derive(Debug, SurrealValue)]
struct CommentCountRow {
    target_id: Option<String>,
    comments: i64,
}

impl AmendmentRow {
    fn core(&self) -> AmendmentCore {
        AmendmentCore {
            kind: self.kind.parse().unwrap_or(AmendmentKind::Replace),
            paragraph_id: self.paragraph_id.clone(),
            base_text: self.base_text.clone(),
            text: self.text.clone(),
        }
    }
    fn status(&self) -> AmendmentStatus {
        self.status.parse().unwrap_or(AmendmentStatus::Proposed)
    }
}

/// True for an error a second try may not meet: two transactions wrote the same records, or the
/// draft moved on between reading it and writing the decision.
fn retryable(e: &surrealdb::Error) -> bool {
    is_conflict(e) || refused(e, Refusal::StaleHead)
}

/// The document became final: nothing about its amendments changes any more.
pub(super) fn document_final() -> AppError {
    AppError::Unprocessable("This document is final: its amendments can no longer be withdrawn or changed.".into())
}

fn already_decided(row: &AmendmentRow) -> AppError {
    AppError::Conflict(format!(
        "A-{} is no longer open: it was {}{}. Reload to see its record.",
        row.number,
        row.status().label().to_lowercase(),
        row.decided_by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default()
    ))
}

/// Members contribute only while the document is open for comments (before its deadline) or
/// in negotiation.
pub(super) fn check_open(doc: &DocRow) -> Result<(), AppError> {
    shared::drafting::contributions_open(doc.status(), doc.comment_deadline.as_deref(), time::OffsetDateTime::now_utc())
}

/// A document the caller may read: anyone logged in once a version is released.
fn readable(caller: &Caller, doc: &DocRow) -> Result<(), AppError> {
    if doc.released == 0 && !drafts(caller) {
        return Err(not_found());
    }
    Ok(())
}

fn check_member_of(caller: &Caller, actor_id: &str, what: &str) -> Result<(), AppError> {
    if !caller.actor_ids.iter().any(|a| a == actor_id) {
        return Err(AppError::Forbidden(format!("You can {what} only on behalf of an organisation you belong to.")));
    }
    Ok(())
}

#[async_trait]
impl AmendmentsPort for SurrealDrafting {
    async fn propose(&self, caller: &Caller, document: &str, new: NewAmendment) -> Result<AmendmentView, AppError> {
        let doc = self.find(document).await?;
        readable(caller, &doc)?;
        if doc.released == 0 {
            return Err(AppError::Unprocessable("Release a version first: amendments are proposed to a released version.".into()));
        }
        check_open(&doc)?;
        check_member_of(caller, &new.actor_id, "propose amendments")?;
        let current = parse_text(&self.version_row(&doc.id, doc.released as u32).await?.text)?;
        let base = current
            .paragraph(&new.paragraph_id)
            .ok_or_else(|| AppError::validation("paragraph_id", "There is no such paragraph in the current version of this document."))?;
        let valid = new.validate(&base.paragraph.text)?;
        let turn = self.numbering.lock().await;
        let mut proposed = None;
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                let pause = 2u64 << attempt;
                tokio::time::sleep(std::time::Duration::from_millis(pause + rand::random::<u64>() % pause)).await;
            }
            let written = self
                .db
                .query(
                    "BEGIN TRANSACTION;
                     LET $doc = type::record('document', $doc_id);
                     LET $last = (SELECT VALUE number FROM amendment WHERE document = $doc ORDER BY number DESC LIMIT 1)[0] ?? 0;
                     LET $a = (CREATE ONLY amendment CONTENT {
                        document: $doc, number: $last + 1, paragraph_id: $pid, kind: $kind, base_version: $base_version,
                        base_text: $base_text, text: $text, rationale: $rationale, actor: type::record('actor', $actor),
                        proposed_by: type::record('user', $user) });
                     CREATE amendment_event CONTENT { document: $doc, amendment: $a.id, action: 'proposed',
                        author: type::record('user', $user) };
                     RETURN record::id($a.id);
                     COMMIT TRANSACTION;",
                )
                .bind(("doc_id", doc.id.clone()))
                .bind(("pid", valid.paragraph_id.clone()))
                .bind(("kind", valid.kind.as_str().to_string()))
                .bind(("base_version", doc.released))
                .bind(("base_text", valid.base_text.clone()))
                .bind(("text", valid.text.clone()))
                .bind(("rationale", valid.rationale.clone()))
                .bind(("actor", new.actor_id.clone()))
                .bind(("user", caller.user_id.clone()))
                .transact::<String>("propose an amendment")
                .await?;
            match written {
                Ok(Some(id)) => {
                    proposed = Some(id);
                    break;
                }
                Ok(None) => return Err(AppError::Internal),
                Err(e) if retryable(&e) || is_duplicate(&e) => continue,
                Err(e) => return Err(internal("propose an amendment", e)),
            }
        }
        // The next proposal takes its number while this one's view is read.
        drop(turn);
        match proposed {
            Some(id) => self.view_one(caller, &id).await,
            None => Err(AppError::Conflict("Many amendments are being proposed at this moment. Try again in a moment.".into())),
        }
    }

    async fn amendments(
        &self,
        caller: &Caller,
        document: &str,
        filter: AmendmentFilter,
        page: Option<PageRequest>,
    ) -> Result<Page<AmendmentView>, AppError> {
        let doc = self.find(document).await?;
        self.list(caller, doc, filter, None, true, page).await
    }

    async fn amendment(&self, caller: &Caller, id: &str) -> Result<AmendmentView, AppError> {
        self.view_one(caller, id).await
    }

    async fn compilation(&self, caller: &Caller, document: &str, theme: Option<usize>, part: usize) -> Result<Compilation, AppError> {
        let doc = self.find(document).await?;
        readable(caller, &doc)?;
        if doc.released == 0 {
            return Err(AppError::Unprocessable("Release a version first: the compilation text is of a released version.".into()));
        }
        let v = self.version_row(&doc.id, doc.released as u32).await?;
        let text = parse_text(&v.text)?;
        let mut themes = numbered_themes(&text);
        let pending: HashMap<String, u32> = self
            .db
            .query(
                "SELECT paragraph_id, count() AS n FROM amendment
                 WHERE document = type::record('document', $doc) AND status = 'proposed' GROUP BY paragraph_id",
            )
            .bind(("doc", doc.id.clone()))
            .fetch::<Vec<PendingRow>>("count pending amendments")
            .await?
            .into_iter()
            .map(|c| (c.paragraph_id, c.n as u32))
            .collect();
        let outline = themes
            .iter()
            .map(|t| ThemePending {
                title: t.title.clone(),
                pending: t.paragraphs.iter().map(|p| pending.get(&p.id).copied().unwrap_or(0)).sum(),
            })
            .collect();
        let (themes, theme_offset, among, parts) = match theme {
            None => (themes, 0, None, Vec::new()),
            Some(t) if t < themes.len() => {
                let mut one = themes.swap_remove(t);
                let counts: Vec<(String, u32)> =
                    one.paragraphs.iter().map(|p| (p.number.clone(), pending.get(&p.id).copied().unwrap_or(0))).collect();
                let parts = parts(&counts, PART_SIZE);
                match parts.get(part) {
                    Some(shown) => {
                        one.paragraphs = one.paragraphs.drain(shown.start..shown.end).collect();
                    }
                    None if part == 0 => {}
                    None => return Err(AppError::NotFound("This theme's compilation has no such part.".into())),
                }
                let ids = one.paragraphs.iter().map(|p| p.id.clone()).collect();
                (vec![one], t, Some(ids), parts)
            }
            Some(_) => return Err(AppError::NotFound("This document has no such theme.".into())),
        };
        let filter = AmendmentFilter { paragraph_id: None, status: Some(AmendmentStatus::Proposed) };
        let mut amendments = self.list(caller, doc.clone(), filter, among, false, None).await?.items;
        // Numbers as in the compiled version, whatever the caller's own view.
        for a in &mut amendments {
            a.paragraph_number = text.paragraph(&a.paragraph_id).map(|p| p.number);
        }
        // The compilation is of the released version: its title, whoever reads.
        let (title, _) = doc.heading(false);
        Ok(Compilation {
            document_id: doc.id,
            slug: doc.slug,
            title,
            version: VersionSummary { number: v.number as u32, label: v.label, released_by: v.released_by, released_at: v.released_at },
            preamble: if theme_offset == 0 { text.preamble.clone() } else { None },
            themes,
            theme_offset,
            outline,
            parts,
            part,
            amendments,
        })
    }

    async fn counts(&self, caller: &Caller, document: &str) -> Result<Vec<ParagraphCounts>, AppError> {
        let doc = self.find(document).await?;
        readable(caller, &doc)?;
        let mut r = self
            .db
            .query(
                "SELECT paragraph_id, count() AS amendments, count(status = 'proposed') AS proposed
                 FROM amendment WHERE document = type::record('document', $doc) GROUP BY paragraph_id;
                 SELECT target_id, count() AS comments FROM comment
                 WHERE document = type::record('document', $doc) AND target = 'paragraph' AND hidden_reason = NONE GROUP BY target_id;",
            )
            .bind(("doc", doc.id.clone()))
            .answers("count amendments")
            .await?;
        let rows: Vec<CountRow> = r.take(0)?;
        let comments: Vec<CommentCountRow> = r.take(1)?;
        let mut out: Vec<ParagraphCounts> = rows
            .into_iter()
            .map(|c| ParagraphCounts {
                paragraph_id: c.paragraph_id,
                amendments: c.amendments as u32,
                proposed: c.proposed as u32,
                comments: 0,
            })
            .collect();
        for c in comments {
            let Some(pid) = c.target_id else { continue };
            match out.iter_mut().find(|o| o.paragraph_id == pid) {
                Some(o) => o.comments = c.comments as u32,
                None => out.push(ParagraphCounts { paragraph_id: pid, comments: c.comments as u32, ..Default::default() }),
            }
        }
        Ok(out)
    }

    async fn set_stance(&self, caller: &Caller, id: &str, stance: NewStance) -> Result<AmendmentView, AppError> {
        let row = self.amendment_row(id).await?;
        let doc = self.find(&row.document_id).await?;
        readable(caller, &doc)?;
        check_open(&doc)?;
        check_member_of(caller, &stance.actor_id, "support or oppose amendments")?;
        if row.actor_id == stance.actor_id {
            return Err(AppError::Unprocessable(format!(
                "A-{} was proposed on behalf of {}: its proposal already states its position.",
                row.number, row.actor_name
            )));
        }
        if row.status() != AmendmentStatus::Proposed {
            return Err(already_decided(&row));
        }
        self.write_amendment(
            &row,
            "record a stance",
            "BEGIN TRANSACTION;
             LET $a = type::record('amendment', $aid);
             IF $a.status != 'proposed' { THROW 'already decided' };
             DELETE stance WHERE amendment = $a AND actor = type::record('actor', $actor);
             CREATE stance CONTENT { document: $a.document, amendment: $a, actor: type::record('actor', $actor),
                stance: $stance, author: type::record('user', $user) };
             RETURN true;
             COMMIT TRANSACTION;",
            vec![("actor", stance.actor_id.clone()), ("stance", stance.stance.as_str().to_string()), ("user", caller.user_id.clone())],
        )
        .await?;
        self.view_one(caller, id).await
    }

    async fn remove_stance(&self, caller: &Caller, id: &str, actor_id: &str) -> Result<AmendmentView, AppError> {
        let row = self.amendment_row(id).await?;
        let doc = self.find(&row.document_id).await?;
        readable(caller, &doc)?;
        check_open(&doc)?;
        check_member_of(caller, actor_id, "withdraw a stance")?;
        // A decided amendment's stances are part of its record.
        if row.status() != AmendmentStatus::Proposed {
            return Err(already_decided(&row));
        }
        self.write_amendment(
            &row,
            "remove a stance",
            "BEGIN TRANSACTION;
             LET $a = type::record('amendment', $aid);
             IF $a.status != 'proposed' { THROW 'already decided' };
             DELETE stance WHERE amendment = $a AND actor = type::record('actor', $actor);
             RETURN true;
             COMMIT TRANSACTION;",
            vec![("actor", actor_id.to_string())],
        )
        .await?;
        self.view_one(caller, id).await
    }

    /// Decides on a proposed amendment. The draft is read, the decision applied to it in
    /// memory, and both written in one transaction on condition that the draft did not move
    /// meanwhile; if it did, the decision is worked out again on the newer draft (which may
    /// make the amendment stale: 409). So two people deciding at once never lose a change.
    async fn decide(&self, caller: &Caller, id: &str, request: DecisionRequest) -> Result<AmendmentView, AppError> {
        caller.require_any(shared::drafting::documents::SECRETARIAT, "decide on amendments")?;
        for _ in 0..ATTEMPTS {
            let row = self.amendment_row(id).await?;
            if row.status() != AmendmentStatus::Proposed {
                return Err(already_decided(&row));
            }
            let doc = self.find(&row.document_id).await?;
            if doc.status().is_frozen() {
                return Err(AppError::Unprocessable("This document is final: its amendments can no longer be decided.".into()));
            }
            let head = parse_text(&doc.head)?;
            let applied = apply_decision(&head, &row.core(), &request, new_id)?;
            let new_head = applied.head.as_ref().map(to_json).transpose()?;
            let written = self
                .db
                .audited(
                    "BEGIN TRANSACTION;
                     LET $doc = type::record('document', $doc_id);
                     LET $a = type::record('amendment', $aid);
                     IF $a.status != 'proposed' { THROW 'already decided' };
                     IF $head != NONE {
                        IF $doc.head_version != $base { THROW 'stale head' };
                        UPDATE $doc SET head = $head, head_version += 1, updated_at = time::now();
                     };
                     UPDATE $a SET status = $status, decided_text = $decided_text, reason = $reason,
                        decided_by = type::record('user', $user), decided_at = time::now(), result_paragraph_id = $result;
                     CREATE amendment_event CONTENT { document: $doc, amendment: $a, action: $status,
                        author: type::record('user', $user), note: $reason };
                     AUDIT;
                     RETURN true;
                     COMMIT TRANSACTION;",
                    &Audit::new(caller, AuditAction::AmendmentDecided, "amendment", row.id.clone()).summary(format!(
                        "{} → {}",
                        AmendmentStatus::Proposed.as_str(),
                        applied.status.as_str()
                    )),
                )
                .bind(("doc_id", doc.id.clone()))
                .bind(("aid", row.id.clone()))
                .bind(("head", new_head))
                .bind(("base", doc.head_version))
                .bind(("status", applied.status.as_str().to_string()))
                .bind(("decided_text", applied.decided_text.clone()))
                .bind(("reason", applied.reason.clone()))
                .bind(("result", applied.result_paragraph_id.clone()))
                .bind(("user", caller.user_id.clone()))
                .transact::<bool>("decide on an amendment")
                .await?;
            match written {
                Ok(_) => return self.view_one(caller, id).await,
                Err(e) if refused(&e, Refusal::AlreadyDecided) => return Err(already_decided(&self.amendment_row(id).await?)),
                Err(e) if retryable(&e) => continue,
                Err(e) => return Err(internal("decide on an amendment", e)),
            }
        }
        Err(AppError::Conflict("The draft is being changed by several people at this moment. Reload and try again.".into()))
    }

    async fn withdraw(&self, caller: &Caller, id: &str) -> Result<AmendmentView, AppError> {
        let row = self.amendment_row(id).await?;
        if row.proposer_id != caller.user_id {
            return Err(AppError::Forbidden("Only the person who proposed an amendment can withdraw it.".into()));
        }
        if row.status() != AmendmentStatus::Proposed {
            return Err(already_decided(&row));
        }
        if self.find(&row.document_id).await?.status().is_frozen() {
            return Err(document_final());
        }
        let frozen: Vec<&str> = shared::drafting::DocumentStatus::ALL.iter().filter(|s| s.is_frozen()).map(|s| s.as_str()).collect();
        self.write_amendment(
            &row,
            "withdraw an amendment",
            &format!(
                "BEGIN TRANSACTION;
             LET $a = type::record('amendment', $aid);
             IF $a.status != 'proposed' {{ THROW 'already decided' }};
             IF $a.document.status IN {frozen:?} {{ THROW 'document final' }};
             UPDATE $a SET status = 'withdrawn', decided_by = type::record('user', $user), decided_at = time::now();
             CREATE amendment_event CONTENT {{ document: $a.document, amendment: $a, action: 'withdrawn',
                author: type::record('user', $user) }};
             RETURN true;
             COMMIT TRANSACTION;"
            ),
            vec![("user", caller.user_id.clone())],
        )
        .await?;
        self.view_one(caller, id).await
    }
}
