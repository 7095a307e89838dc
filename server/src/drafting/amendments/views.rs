//! Reading amendments: their rows with the names they refer to, the proposal diffs (cached), the
//! views a reader gets (stances, history, comment counts) and the write that collided retried.

use super::*;
use crate::work::blocking;

impl SurrealDrafting {
    pub(super) async fn amendment_row(&self, id: &str) -> Result<AmendmentRow, AppError> {
        let mut r = self
            .db
            .query(format!("SELECT {AMENDMENT_FIELDS} FROM type::record('amendment', $id)"))
            .bind(("id", id.to_string()))
            .answers("read an amendment")
            .await?;
        let rows: Vec<AmendmentRow> = r.take(0)?;
        rows.into_iter().next().ok_or_else(|| AppError::NotFound("There is no such amendment.".into()))
    }

    /// The names of records of `table` (actors, users) by id, read once each.
    pub(super) async fn names(
        &self,
        table: &'static str,
        ids: std::collections::BTreeSet<String>,
    ) -> Result<HashMap<String, String>, AppError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut r = self
            .db
            .query("LET $refs = array::map($ids, |$i| type::record($tb, $i)); SELECT record::id(id) AS id, name FROM $refs;")
            .bind(("tb", table))
            .bind(("ids", ids.into_iter().collect::<Vec<_>>()))
            .answers("read names")
            .await?;
        let rows: Vec<NameRow> = r.take(1)?;
        Ok(rows.into_iter().map(|n| (n.id, n.name)).collect())
    }

    /// Puts the names into rows read with `AMENDMENT_LIST_FIELDS`.
    pub(super) async fn fill_names(&self, rows: &mut [AmendmentRow]) -> Result<(), AppError> {
        let actors = self.names("actor", rows.iter().map(|r| r.actor_id.clone()).collect()).await?;
        let users = rows.iter().flat_map(|r| [Some(r.proposer_id.clone()), r.decided_by.clone()]).flatten().collect();
        let users = self.names("user", users).await?;
        for row in rows {
            row.actor_name = actors.get(&row.actor_id).cloned().unwrap_or_default();
            row.proposed_by = users.get(&row.proposer_id).cloned().unwrap_or_default();
            row.decided_by = row.decided_by.take().map(|id| users.get(&id).cloned().unwrap_or_default());
        }
        Ok(())
    }

    /// Each row's proposal diff, from the process's cache or computed (outside the lock, on the
    /// blocking threads: a long paragraph's word diff takes up to a few hundred milliseconds,
    /// which must not hold a thread that serves requests) and kept.
    pub(super) async fn proposal_diffs(&self, rows: &[AmendmentRow]) -> Result<Vec<std::sync::Arc<Vec<Span>>>, AppError> {
        const MAX_CACHED: usize = 100_000;
        let lock = || self.proposal_diffs.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let cached: Vec<Option<std::sync::Arc<Vec<Span>>>> = {
            let cache = lock();
            rows.iter().map(|r| cache.get(&r.id).cloned()).collect()
        };
        let missing: Vec<_> = cached
            .iter()
            .zip(rows)
            .filter(|(hit, _)| hit.is_none())
            .map(|(_, r)| (r.id.clone(), r.core().kind, r.base_text.clone(), r.text.clone()))
            .collect();
        let fresh: Vec<(String, std::sync::Arc<Vec<Span>>)> = if missing.is_empty() {
            Vec::new()
        } else {
            blocking("compute amendment diffs", move || {
                missing
                    .into_iter()
                    .map(|(id, kind, base, text)| (id, std::sync::Arc::new(proposal_diff(kind, &base, text.as_deref()))))
                    .collect()
            })
            .await?
        };
        let computed: HashMap<&str, &std::sync::Arc<Vec<Span>>> = fresh.iter().map(|(id, d)| (id.as_str(), d)).collect();
        let out = cached
            .into_iter()
            .zip(rows)
            .map(|(hit, row)| hit.or_else(|| computed.get(row.id.as_str()).map(|d| (*d).clone())).unwrap_or_default())
            .collect();
        if !fresh.is_empty() {
            let mut cache = lock();
            if cache.len() + fresh.len() > MAX_CACHED {
                cache.clear();
            }
            cache.extend(fresh);
        }
        Ok(out)
    }

    /// The text whose numbers the caller reads: the draft (secretariat) or the latest release.
    pub(super) async fn reading_text(&self, caller: &Caller, doc: &DocRow) -> Result<VersionText, AppError> {
        if drafts(caller) || doc.released == 0 {
            parse_text(&doc.head)
        } else {
            parse_text(&self.version_row(&doc.id, doc.released as u32).await?.text)
        }
    }

    /// The views of `rows`, with their records when `history` (an overview does without).
    pub(super) async fn views(
        &self,
        caller: &Caller,
        doc: &DocRow,
        rows: Vec<AmendmentRow>,
        history: bool,
    ) -> Result<Vec<AmendmentView>, AppError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // Some amendments: their own stances and events (through the index on amendment); many:
        // the document's, in one read.
        // (Who recorded a stance is part of the record, not of an overview.)
        let few: Option<Vec<String>> = (rows.len() <= 500).then(|| rows.iter().map(|r| r.id.clone()).collect());
        let filter = if few.is_some() { "AND amendment IN $refs" } else { "" };
        let mut r = self
            .db
            .query(format!(
                "LET $refs = array::map($ids, |$i| type::record('amendment', $i));
                 SELECT record::id(amendment) AS amendment_id, record::id(actor) AS actor_id, stance,
                    (IF $history {{ author.name }} ELSE {{ '' }}) AS author, <string> created_at AS created_at, created_at AS ts
                 FROM stance WHERE document = type::record('document', $doc) {filter} ORDER BY ts;
                 IF $history {{
                    SELECT record::id(amendment) AS amendment_id, action, author.name AS author, <string> created_at AS created_at,
                        note, created_at AS ts
                    FROM amendment_event WHERE document = type::record('document', $doc) {filter} ORDER BY ts
                 }} ELSE {{ [] }};"
            ))
            .bind(("history", history))
            .bind(("doc", doc.id.clone()))
            .bind(("ids", few.unwrap_or_default()))
            .answers("read stances and amendment history")
            .await?;
        let stances: Vec<StanceRow> = r.take(1)?;
        let events: Vec<EventRow> = r.take(2)?;
        let actor_names = self.names("actor", stances.iter().map(|s| s.actor_id.clone()).collect()).await?;
        let mut stances_by: HashMap<String, Vec<StanceView>> = HashMap::new();
        for s in stances {
            let name = actor_names.get(&s.actor_id).cloned().unwrap_or_default();
            stances_by.entry(s.amendment_id).or_default().push(StanceView {
                actor: ActorRef { id: s.actor_id, name },
                stance: s.stance.parse().unwrap_or(StanceKind::Support),
                by: s.author,
                at: s.created_at,
            });
        }
        let mut events_by: HashMap<String, Vec<AmendmentEvent>> = HashMap::new();
        for e in events {
            events_by.entry(e.amendment_id).or_default().push(AmendmentEvent {
                action: e.action.parse().unwrap_or(AmendmentStatus::Proposed),
                by: e.author,
                at: e.created_at,
                note: e.note,
            });
        }
        let reading = self.reading_text(caller, doc).await?;
        let head = if drafts(caller) { Some(parse_text(&doc.head)?) } else { None };
        let diffs = self.proposal_diffs(&rows).await?;
        // What a decision changed in the proposal (or in the base text), on the blocking threads.
        let decisions: Vec<Option<(String, String)>> =
            rows.iter().map(|r| r.decided_text.clone().map(|d| (r.text.clone().unwrap_or_else(|| r.base_text.clone()), d))).collect();
        let decided_changes = blocking("compute decision diffs", move || {
            decisions.into_iter().map(|d| d.map(|(from, to)| word_diff(&from, &to).ops)).collect::<Vec<_>>()
        })
        .await?;
        let out: Vec<AmendmentView> = rows
            .into_iter()
            .zip(diffs)
            .zip(decided_changes)
            .map(|((row, diff), changes)| {
                let core = row.core();
                let status = row.status();
                let (stale, current_text) = match &head {
                    Some(h) => (
                        status == AmendmentStatus::Proposed && is_stale(h, &core),
                        h.paragraph(&row.paragraph_id).map(|p| p.paragraph.text.clone()),
                    ),
                    None => (false, None),
                };
                AmendmentView {
                    paragraph_number: reading.paragraph(&row.paragraph_id).map(|p| p.number),
                    diff: diff.as_ref().clone(),
                    stances: stances_by.remove(&row.id).unwrap_or_default(),
                    history: events_by.remove(&row.id).unwrap_or_default(),
                    number: row.number as u32,
                    document_id: row.document_id,
                    paragraph_id: row.paragraph_id,
                    kind: core.kind,
                    status,
                    base_version: row.base_version as u32,
                    base_text: row.base_text,
                    text: row.text,
                    rationale: row.rationale,
                    actor: ActorRef { id: row.actor_id, name: row.actor_name },
                    proposed_by: row.proposed_by,
                    proposer_id: row.proposer_id,
                    created_at: row.created_at,
                    decided_text: row.decided_text,
                    changes,
                    reason: row.reason,
                    decided_by: row.decided_by,
                    decided_at: row.decided_at,
                    result_paragraph_id: row.result_paragraph_id,
                    stale,
                    current_text,
                    id: row.id,
                }
            })
            .collect();
        Ok(out)
    }

    /// `among`: only the amendments to these paragraphs.
    pub(super) async fn list(
        &self,
        caller: &Caller,
        doc: DocRow,
        filter: AmendmentFilter,
        among: Option<Vec<String>>,
        history: bool,
        page: Option<PageRequest>,
    ) -> Result<Page<AmendmentView>, AppError> {
        readable(caller, &doc)?;
        let status = match (filter.status.is_some(), among.is_some()) {
            (false, false) => "",
            (true, false) => "AND status = $status",
            (false, true) => "AND paragraph_id IN $among",
            (true, true) => "AND status = $status AND paragraph_id IN $among",
        };
        // Some paragraphs' amendments are read through the paragraph index, not every
        // amendment of the document with that status.
        let hint = if among.is_some() { "WITH INDEX amendment_paragraph" } else { "" };
        // A paragraph's amendments: those proposed to it and the insertion that created it,
        // each read through its index.
        let query = if filter.paragraph_id.is_some() {
            format!(
                "SELECT {AMENDMENT_LIST_FIELDS} FROM amendment WHERE document = type::record('document', $doc) AND paragraph_id = $pid {status};
                 SELECT {AMENDMENT_LIST_FIELDS} FROM amendment WHERE document = type::record('document', $doc) AND result_paragraph_id = $pid
                    AND paragraph_id != $pid {status};"
            )
        } else {
            format!("SELECT {AMENDMENT_LIST_FIELDS} FROM amendment {hint} WHERE document = type::record('document', $doc) {status} ORDER BY number;")
        };
        let mut r = self
            .db
            .query(query)
            .bind(("doc", doc.id.clone()))
            .bind(("pid", filter.paragraph_id.clone()))
            .bind(("status", filter.status.map(|s| s.as_str().to_string())))
            .bind(("among", among.unwrap_or_default()))
            .answers("list amendments")
            .await?;
        let mut rows: Vec<AmendmentRow> = r.take(0)?;
        if filter.paragraph_id.is_some() {
            let created: Vec<AmendmentRow> = r.take(1)?;
            rows.extend(created);
            rows.sort_by_key(|a| a.number);
        }
        // Names and diffs for the page's rows only.
        let mut page = Page::cut(rows, page);
        let rows = std::mem::take(&mut page.items);
        let mut rows = rows;
        self.fill_names(&mut rows).await?;
        let views = self.views(caller, &doc, rows, history).await?;
        Ok(Page { items: views, total: page.total, page: page.page, per_page: page.per_page })
    }

    pub(super) async fn view_one(&self, caller: &Caller, id: &str) -> Result<AmendmentView, AppError> {
        let row = self.amendment_row(id).await?;
        let doc = self.find(&row.document_id).await?;
        readable(caller, &doc)?;
        self.views(caller, &doc, vec![row], true).await?.into_iter().next().ok_or(AppError::Internal)
    }

    /// Runs a one-amendment transaction that THROWs 'already decided' when it is no longer
    /// proposed, trying again when it collided with a simultaneous write.
    pub(super) async fn write_amendment(
        &self,
        row: &AmendmentRow,
        context: &'static str,
        query: &str,
        binds: Vec<(&'static str, String)>,
    ) -> Result<(), AppError> {
        for _ in 0..ATTEMPTS {
            let mut q = self.db.query(query).bind(("aid", row.id.clone())).bind(("doc_id", row.document_id.clone()));
            for (k, v) in &binds {
                q = q.bind((*k, v.clone()));
            }
            match q.transact::<bool>(context).await? {
                Ok(_) => return Ok(()),
                Err(e) if refused(&e, Refusal::DocumentFinal) => return Err(super::document_final()),
                Err(e) if refused(&e, Refusal::AlreadyDecided) => {
                    return Err(already_decided(&self.amendment_row(&row.id).await?));
                }
                Err(e) if retryable(&e) || is_duplicate(&e) => continue,
                Err(e) => return Err(internal(context, e)),
            }
        }
        Err(AppError::Conflict("Too many people are changing this amendment at once. Try again in a moment.".into()))
    }
}
