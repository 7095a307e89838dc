//! The drafting use cases on SurrealDB: documents, the working draft, released versions.

use async_trait::async_trait;
use shared::{
    audit::AuditAction,
    drafting::{
        compare::{compare, VersionDiff, VersionText},
        documents::{
            drafts, edit_to_save, numbered_themes, version_label, DocumentSummary, DocumentView, DraftEdit, DraftSave, NewDocument,
            VersionSummary, VersionView, SECRETARIAT,
        },
        publication::{Publication, PublishRequest, PublishedVersion},
        DocumentStatus, ParagraphStatus,
    },
    ports::DraftingPort,
    AppError, Caller, Page, PageRequest,
};
use surrealdb::types::SurrealValue;

use crate::{
    audit::Audit,
    db::{is_conflict, is_duplicate, refused, retry_conflicts, Db, Refusal},
    error::internal,
};

pub struct SurrealDrafting {
    pub(super) db: Db,
    /// Each amendment's proposal as a word diff against its base. Both texts are fixed when
    /// it is proposed, so the diff never changes: it is computed once per process.
    pub(super) proposal_diffs: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Vec<shared::drafting::diff::Span>>>>,
    /// Amendments proposed through this process take their numbers one at a time: fifty
    /// proposed at once would otherwise all read the same last number, and all but one try again,
    /// round after round. Proposals through other processes (at scale) still collide, and are
    /// tried again after a pause.
    pub(super) numbering: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone, SurrealValue)]
pub(super) struct DocRow {
    pub(super) id: String,
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) status: String,
    pub(super) comment_deadline: Option<String>,
    pub(super) head: String,
    pub(super) head_version: i64,
    pub(super) released: i64,
    pub(super) updated_at: String,
    /// The title and summary of the released version (none before the first release).
    pub(super) released_title: Option<String>,
    pub(super) released_summary: Option<String>,
}

impl DocRow {
    /// The title and summary a reader sees: the working draft's for those who draft, the released
    /// version's for everyone else.
    pub(super) fn heading(&self, draft: bool) -> (String, String) {
        if draft {
            (self.title.clone(), self.summary.clone())
        } else {
            (
                self.released_title.clone().unwrap_or_else(|| self.title.clone()),
                self.released_summary.clone().unwrap_or_else(|| self.summary.clone()),
            )
        }
    }
}

const DOC_FIELDS: &str = "record::id(id) AS id, slug, title, summary, status, comment_deadline, head, head_version, released,
    <string> updated_at AS updated_at, released_title, released_summary";

#[derive(Debug, SurrealValue)]
pub(super) struct VersionRow {
    pub(super) number: i64,
    pub(super) label: String,
    pub(super) released_by: String,
    pub(super) released_at: String,
    pub(super) text: String,
}

const VERSION_FIELDS: &str = "number, label, released_by.name AS released_by, <string> released_at AS released_at, text";

pub(super) fn parse_text(json: &str) -> Result<VersionText, AppError> {
    serde_json::from_str(json).map_err(|e| internal("read a document's text", e))
}

pub(super) fn to_json(text: &VersionText) -> Result<String, AppError> {
    serde_json::to_string(text).map_err(|e| internal("write a document's text", e))
}

/// A fresh id for a theme or a paragraph: 12 lower-case letters and digits.
pub(super) fn new_id() -> String {
    crate::db::random_key(12)
}

pub(super) fn not_found() -> AppError {
    AppError::NotFound("There is no such document.".into())
}

fn stale(current: i64) -> AppError {
    AppError::Conflict(format!(
        "Someone saved this draft since you opened it (it is now at draft version {current}). Your text was not saved: \
         copy your changes, reload the draft, and apply them again."
    ))
}

impl DocRow {
    pub(super) fn status(&self) -> DocumentStatus {
        self.status.parse().unwrap_or(DocumentStatus::Drafting)
    }
}

impl SurrealDrafting {
    pub fn new(db: Db) -> Self {
        SurrealDrafting { db, proposal_diffs: Default::default(), numbering: Default::default() }
    }

    /// The document with this id or slug.
    pub(super) async fn find(&self, key: &str) -> Result<DocRow, AppError> {
        let mut r = self
            .db
            .query(format!(
                "SELECT {DOC_FIELDS} FROM document WHERE slug = $key;
                 SELECT {DOC_FIELDS} FROM type::record('document', $key);"
            ))
            .bind(("key", key.to_string()))
            .answers("find a document")
            .await?;
        let by_slug: Vec<DocRow> = r.take(0)?;
        let by_id: Vec<DocRow> = r.take(1)?;
        by_slug.into_iter().chain(by_id).next().ok_or_else(not_found)
    }

    /// What this caller sees of a document: the working draft for the secretariat, else the
    /// latest released version (a document never released does not exist for them).
    async fn view(&self, caller: &Caller, doc: DocRow) -> Result<DocumentView, AppError> {
        let (text, version, is_draft) = if drafts(caller) {
            (parse_text(&doc.head)?, doc.head_version, true)
        } else {
            if doc.released == 0 {
                return Err(not_found());
            }
            let v = self.version_row(&doc.id, doc.released as u32).await?;
            (parse_text(&v.text)?, doc.released, false)
        };
        let (title, summary) = doc.heading(is_draft);
        Ok(DocumentView {
            status: doc.status(),
            id: doc.id,
            slug: doc.slug,
            title,
            summary,
            comment_deadline: doc.comment_deadline,
            version: version as u32,
            is_draft,
            released: doc.released as u32,
            preamble: text.preamble.clone(),
            numbering: text.numbering,
            themes: numbered_themes(&text),
        })
    }

    pub(super) async fn version_row(&self, doc_id: &str, number: u32) -> Result<VersionRow, AppError> {
        let rows: Vec<VersionRow> = self
            .db
            .query(format!("SELECT {VERSION_FIELDS} FROM doc_version WHERE document = type::record('document', $doc) AND number = $number"))
            .bind(("doc", doc_id.to_string()))
            .bind(("number", i64::from(number)))
            .fetch("read a version")
            .await?;
        rows.into_iter().next().ok_or_else(|| AppError::NotFound(format!("This document has no version {number}.")))
    }

    /// Replaces the head if it is still at `base`; the caller has checked who may.
    async fn replace_head(
        &self,
        doc_id: &str,
        base: i64,
        text: &VersionText,
        title: Option<String>,
        summary: Option<String>,
        audit: Option<&Audit>,
    ) -> Result<(), AppError> {
        let updated = self
            .db
            .maybe_audited(
                "BEGIN TRANSACTION;
                 LET $done = array::filter(array::flatten([(UPDATE type::record('document', $id) SET head = $head, head_version += 1,
                    updated_at = time::now(), title = $title ?? title, summary = $summary ?? summary
                 WHERE head_version = $base RETURN VALUE head_version)]), |$v| $v != NONE);
                 IF array::len($done) > 0 { AUDIT; };
                 RETURN $done[0];
                 COMMIT TRANSACTION;",
                audit,
            )
            .bind(("id", doc_id.to_string()))
            .bind(("head", to_json(text)?))
            .bind(("base", base))
            .bind(("title", title))
            .bind(("summary", summary))
            .transact::<i64>("save a draft")
            .await?;
        // Another save committed first (a conflict) or before (no match): this one is stale.
        let updated = match updated {
            Ok(v) => v,
            Err(e) if is_conflict(&e) => None,
            Err(e) => return Err(internal("save a draft", e)),
        };
        if updated.is_none() {
            let current = self.find(doc_id).await?.head_version;
            return Err(stale(current));
        }
        Ok(())
    }
}

#[async_trait]
impl DraftingPort for SurrealDrafting {
    /// The secretariat (and admins) create documents; slugs are unique.
    async fn create_document(&self, caller: &Caller, new: NewDocument) -> Result<DocumentView, AppError> {
        caller.require_any(SECRETARIAT, "create recommendation documents")?;
        let valid = new.validate(new_id)?;
        let written = self
            .db
            .audited(
                "BEGIN TRANSACTION;
                 LET $d = (CREATE ONLY document CONTENT { title: $title, slug: $slug, summary: $summary, head: $head,
                    created_by: type::record('user', $user) });
                 LET $audit_new = record::id($d.id);
                 AUDIT;
                 RETURN record::id($d.id);
                 COMMIT TRANSACTION;",
                &Audit::new(caller, AuditAction::DocumentCreated, "document", ""),
            )
            .bind(("title", valid.title))
            .bind(("slug", valid.slug.clone()))
            .bind(("summary", valid.summary))
            .bind(("head", to_json(&valid.text)?))
            .bind(("user", caller.user_id.clone()))
            .transact::<String>("create a document")
            .await?;
        let id = match written {
            Ok(id) => id.ok_or(AppError::Internal)?,
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!("A document with the slug “{}” already exists; choose another.", valid.slug)))
            }
            Err(e) => return Err(internal("create a document", e)),
        };
        let doc = self.find(&id).await?;
        self.view(caller, doc).await
    }

    /// The secretariat lists every document; others those with a released version.
    async fn list_documents(&self, caller: &Caller, page: PageRequest) -> Result<Page<DocumentSummary>, AppError> {
        let filter = if drafts(caller) { "" } else { "WHERE released > 0" };
        let documents = self
            .db
            .query(format!(
                "SELECT {DOC_FIELDS}, updated_at AS ts FROM document {filter} ORDER BY ts DESC LIMIT $limit START $start;
                 count(SELECT id FROM document {filter});"
            ))
            .page::<DocRow>(page, 0, "list documents")
            .await?;
        let draft = drafts(caller);
        Ok(documents.map(|d| {
            let (title, summary) = d.heading(draft);
            DocumentSummary {
                status: d.status(),
                version: if draft { d.head_version as u32 } else { d.released as u32 },
                id: d.id,
                slug: d.slug,
                title,
                summary,
                released: d.released as u32,
                updated_at: d.updated_at,
            }
        }))
    }

    async fn document(&self, caller: &Caller, id: &str) -> Result<DocumentView, AppError> {
        let doc = self.find(id).await?;
        self.view(caller, doc).await
    }

    /// The secretariat saves the working draft, stating the draft version it started from;
    /// a save based on an older one is refused with 409 and changes nothing. Final and
    /// published documents are frozen.
    async fn save_draft(&self, caller: &Caller, id: &str, save: DraftSave) -> Result<DocumentView, AppError> {
        caller.require_any(SECRETARIAT, "edit recommendation documents")?;
        let doc = self.find(id).await?;
        if doc.status().is_frozen() {
            return Err(AppError::Unprocessable("This document is final: its text can no longer change.".into()));
        }
        if i64::from(save.base_version) != doc.head_version {
            return Err(stale(doc.head_version));
        }
        let head = parse_text(&doc.head)?;
        let valid = save.validate(&head, new_id)?;
        self.replace_head(&doc.id, doc.head_version, &valid.text, valid.title, valid.summary, None).await?;
        self.document(caller, &doc.id).await
    }

    async fn edit_draft(&self, caller: &Caller, id: &str, base_version: u32, edit: DraftEdit) -> Result<DocumentView, AppError> {
        caller.require_any(SECRETARIAT, "edit recommendation documents")?;
        let doc = self.find(id).await?;
        let head = parse_text(&doc.head)?;
        // A paragraph nobody else changed can be saved from a page that is behind elsewhere.
        let base_version = match &edit {
            DraftEdit::SetText { paragraph_id, base_text: Some(seen), .. }
                if head.paragraph(paragraph_id).is_some_and(|p| p.paragraph.text == seen.trim().replace("\r\n", "\n")) =>
            {
                doc.head_version as u32
            }
            _ => base_version,
        };
        let save = edit_to_save(&head, base_version, edit)?;
        self.save_draft(caller, &doc.id, save).await
    }

    /// The secretariat releases the working draft as the next numbered version, immutable.
    async fn release_version(&self, caller: &Caller, id: &str, label: &str) -> Result<VersionSummary, AppError> {
        caller.require_any(SECRETARIAT, "release versions")?;
        let label = version_label(label)?;
        let doc = self.find(id).await?;
        let number = doc.released + 1;
        // The unique (document, number) index makes two simultaneous releases one success and
        // one conflict; the head is snapshotted as it is inside the transaction. A transaction
        // refused for writing the document at the same moment as another is tried again, and
        // then finds the release it raced (`stale release`) or goes through.
        let audit = Audit::new(caller, AuditAction::VersionReleased, "document", doc.id.clone()).summary(format!("version {number}"));
        let written = retry_conflicts(|| {
            self.db
                .audited(
                    "BEGIN TRANSACTION;
                 LET $doc = type::record('document', $id);
                 IF $doc.released != $expected { THROW 'stale release' };
                 CREATE doc_version CONTENT { document: $doc, number: $number, label: $label, text: $doc.head,
                    title: $doc.title, summary: $doc.summary, released_by: type::record('user', $user) };
                 UPDATE $doc SET released = $number, released_title = $doc.title, released_summary = $doc.summary,
                    updated_at = time::now();
                 AUDIT;
                 RETURN $number;
                 COMMIT TRANSACTION;",
                    &audit,
                )
                .bind(("id", doc.id.clone()))
                .bind(("expected", doc.released))
                .bind(("number", number))
                .bind(("label", label.clone()))
                .bind(("user", caller.user_id.clone()))
                .transact::<i64>("release a version")
        })
        .await?;
        match written {
            Ok(_) => {}
            Err(e) if is_duplicate(&e) || refused(&e, Refusal::StaleRelease) => {
                return Err(AppError::Conflict(
                    "Someone released a version of this document at the same moment. Reload and check the versions.".into(),
                ))
            }
            Err(e) => return Err(internal("release a version", e)),
        }
        let v = self.version_row(&doc.id, number as u32).await?;
        Ok(VersionSummary { number: v.number as u32, label: v.label, released_by: v.released_by, released_at: v.released_at })
    }

    async fn versions(&self, caller: &Caller, id: &str) -> Result<Vec<VersionSummary>, AppError> {
        let doc = self.find(id).await?;
        if !drafts(caller) && doc.released == 0 {
            return Err(not_found());
        }
        let mut r = self
            .db
            // Without the texts: a long history would otherwise read every version whole.
            .query(
                "SELECT number, label, released_by.name AS released_by, <string> released_at AS released_at, '' AS text
                 FROM doc_version WHERE document = type::record('document', $doc) ORDER BY number",
            )
            .bind(("doc", doc.id))
            .answers("list versions")
            .await?;
        let rows: Vec<VersionRow> = r.take(0)?;
        Ok(rows
            .into_iter()
            .map(|v| VersionSummary { number: v.number as u32, label: v.label, released_by: v.released_by, released_at: v.released_at })
            .collect())
    }

    async fn version(&self, _caller: &Caller, id: &str, number: u32) -> Result<VersionView, AppError> {
        let doc = self.find(id).await?;
        let v = self.version_row(&doc.id, number).await?;
        let text = parse_text(&v.text)?;
        Ok(VersionView {
            summary: VersionSummary { number: v.number as u32, label: v.label, released_by: v.released_by, released_at: v.released_at },
            preamble: text.preamble.clone(),
            themes: numbered_themes(&text),
        })
    }

    /// Anyone may compare released versions; only the secretariat compares with the draft.
    async fn compare(&self, caller: &Caller, id: &str, from: u32, to: Option<u32>) -> Result<VersionDiff, AppError> {
        let doc = self.find(id).await?;
        let old = parse_text(&self.version_row(&doc.id, from).await?.text)?;
        let new = match to {
            Some(n) => parse_text(&self.version_row(&doc.id, n).await?.text)?,
            None => {
                caller.require_any(SECRETARIAT, "see the working draft")?;
                parse_text(&doc.head)?
            }
        };
        crate::work::blocking("compare versions", move || compare(&old, &new)).await
    }

    /// The secretariat moves a document through its life. Publishing has its own step (it
    /// freezes a version), so it is refused here; a comment period may carry a deadline.
    async fn set_status(
        &self,
        caller: &Caller,
        id: &str,
        status: DocumentStatus,
        comment_deadline: Option<String>,
    ) -> Result<DocumentView, AppError> {
        caller.require_any(SECRETARIAT, "change a document's status")?;
        if status == DocumentStatus::Published {
            return Err(AppError::validation("status", "Publish a document with its publish action, which names the version to publish."));
        }
        let deadline = match comment_deadline.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => {
                let parsed = time::OffsetDateTime::parse(d, &time::format_description::well_known::Rfc3339).map_err(|_| {
                    AppError::validation("comment_deadline", "Give the deadline as a date and time, e.g. 2026-12-01T18:00:00Z.")
                })?;
                Some(parsed.format(&time::format_description::well_known::Rfc3339).map_err(|e| internal("format a deadline", e))?)
            }
        };
        let doc = self.find(id).await?;
        if doc.status() == DocumentStatus::Published {
            return Err(AppError::Unprocessable("This document is published; its status can no longer change.".into()));
        }
        if matches!(status, DocumentStatus::OpenForComments | DocumentStatus::Negotiation) && doc.released == 0 {
            return Err(AppError::Unprocessable("Release a version first: members comment on a released version.".into()));
        }
        let audit = Audit::new(caller, AuditAction::DocumentStatusChanged, "document", doc.id.clone()).summary(format!(
            "{} → {}",
            doc.status().as_str(),
            status.as_str()
        ));
        self.db
            .audited(
                "UPDATE type::record('document', $id) SET status = $status, comment_deadline = $deadline, updated_at = time::now()",
                &audit,
            )
            .bind(("id", doc.id.clone()))
            .bind(("status", status.as_str().to_string()))
            .bind(("deadline", deadline))
            .run("change a document's status")
            .await?;
        self.document(caller, &doc.id).await
    }

    /// The secretariat marks a paragraph of the working draft open, bracketed, agreed ad ref
    /// or agreed.
    async fn set_paragraph_status(
        &self,
        caller: &Caller,
        id: &str,
        paragraph_id: &str,
        status: ParagraphStatus,
    ) -> Result<DocumentView, AppError> {
        caller.require_any(SECRETARIAT, "change a paragraph's status")?;
        let doc = self.find(id).await?;
        if doc.status().is_frozen() {
            return Err(AppError::Unprocessable("This document is final: its paragraphs can no longer change.".into()));
        }
        let mut head = parse_text(&doc.head)?;
        let paragraph = head
            .themes
            .iter_mut()
            .flat_map(|t| t.paragraphs.iter_mut())
            .find(|p| p.id == paragraph_id)
            .ok_or_else(|| AppError::NotFound("There is no such paragraph in this document's draft.".into()))?;
        let audit = Audit::new(caller, AuditAction::ParagraphStatusChanged, "document", doc.id.clone()).summary(format!(
            "paragraph {paragraph_id}: {} → {}",
            paragraph.status.as_str(),
            status.as_str()
        ));
        paragraph.status = status;
        self.replace_head(&doc.id, doc.head_version, &head, None, None, Some(&audit)).await?;
        self.document(caller, &doc.id).await
    }

    async fn publish(&self, caller: &Caller, id: &str, request: PublishRequest) -> Result<PublishedVersion, AppError> {
        self.publish_version(caller, id, request).await
    }

    async fn publication(&self, slug: &str, version: Option<u32>) -> Result<Publication, AppError> {
        self.read_publication(slug, version).await
    }
}
