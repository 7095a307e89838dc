//! Comments on SurrealDB: threaded, on a document, a paragraph or an amendment.

use async_trait::async_trait;
use shared::{
    audit::AuditAction,
    drafting::{
        comments::{
            comment_body, editable, hide_reason, thread_page, CommentStance, CommentTarget, CommentView, NewComment, ThreadNode, ThreadPage,
        },
        documents::{drafts, SECRETARIAT},
    },
    ports::CommentsPort,
    AppError, Caller, Page, PageRequest,
};
use surrealdb::types::{RecordId, SurrealValue};

use super::amendments::check_open;
use super::service::{not_found, parse_text, DocRow, SurrealDrafting};
use crate::audit::Audit;

/// A comment as it is written.
#[derive(Debug, SurrealValue)]
struct CommentInsert {
    document: RecordId,
    target: String,
    target_id: Option<String>,
    parent: Option<RecordId>,
    stance: String,
    body: String,
    author: RecordId,
}

#[derive(Debug, SurrealValue)]
struct CommentRow {
    id: String,
    document_id: String,
    target: String,
    target_id: Option<String>,
    parent_id: Option<String>,
    stance: String,
    body: String,
    author: String,
    author_id: String,
    created_at: String,
    edited_at: Option<String>,
    hidden_reason: Option<String>,
    hidden_by: Option<String>,
    resolved: bool,
    resolved_by: Option<String>,
}

const COMMENT_FIELDS: &str = "record::id(id) AS id, record::id(document) AS document_id, target, target_id,
    (IF parent != NONE { record::id(parent) } ELSE { NONE }) AS parent_id, stance, body, author.name AS author,
    record::id(author) AS author_id, <string> created_at AS created_at,
    (IF edited_at != NONE { <string> edited_at } ELSE { NONE }) AS edited_at, hidden_reason, hidden_by.name AS hidden_by,
    resolved, resolved_by.name AS resolved_by";

/// Seconds since an RFC 3339 instant (a large number when it cannot be read).
fn age_secs(at: &str) -> i64 {
    time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map(|t| (time::OffsetDateTime::now_utc() - t).whole_seconds())
        .unwrap_or(i64::MAX)
}

fn no_comment() -> AppError {
    AppError::NotFound("There is no such comment.".into())
}

impl CommentRow {
    fn view(self, caller: &Caller) -> CommentView {
        let hidden = self.hidden_reason.is_some();
        let shown = !hidden || drafts(caller);
        CommentView {
            target: self.target.parse().unwrap_or(CommentTarget::Document),
            stance: self.stance.parse().unwrap_or(CommentStance::Neutral),
            html: shown.then(|| shared::markdown::to_html(&self.body)),
            body: shown.then_some(self.body),
            editable: self.author_id == caller.user_id && !hidden && editable(age_secs(&self.created_at)),
            id: self.id,
            target_id: self.target_id,
            parent_id: self.parent_id,
            author: self.author,
            author_id: self.author_id,
            created_at: self.created_at,
            edited_at: self.edited_at,
            hidden,
            hidden_reason: self.hidden_reason,
            hidden_by: self.hidden_by,
            resolved: self.resolved,
            resolved_by: self.resolved_by,
        }
    }
}

impl SurrealDrafting {
    async fn comment_row(&self, id: &str) -> Result<CommentRow, AppError> {
        let rows: Vec<CommentRow> = self
            .db
            .query(format!("SELECT {COMMENT_FIELDS} FROM type::record('comment', $id)"))
            .bind(("id", id.to_string()))
            .fetch("read a comment")
            .await?;
        rows.into_iter().next().ok_or_else(no_comment)
    }

    /// The comment, checking the caller may read its document.
    async fn readable_comment(&self, caller: &Caller, id: &str) -> Result<(CommentRow, DocRow), AppError> {
        let row = self.comment_row(id).await?;
        let doc = self.find(&row.document_id).await?;
        if doc.released == 0 && !drafts(caller) {
            return Err(no_comment());
        }
        Ok((row, doc))
    }

    /// Checks that the target exists in the document (a paragraph of the text the caller reads,
    /// or one of its amendments).
    async fn check_target(&self, caller: &Caller, doc: &DocRow, target: CommentTarget, target_id: Option<&str>) -> Result<(), AppError> {
        match (target, target_id) {
            (CommentTarget::Document, _) => Ok(()),
            (_, None) => Err(AppError::validation("target_id", "Say which paragraph or amendment the comment is about.")),
            (CommentTarget::Paragraph, Some(pid)) => {
                let head = parse_text(&doc.head)?;
                let released =
                    if doc.released > 0 { Some(parse_text(&self.version_row(&doc.id, doc.released as u32).await?.text)?) } else { None };
                let found =
                    released.as_ref().is_some_and(|t| t.paragraph(pid).is_some()) || (drafts(caller) && head.paragraph(pid).is_some());
                if found {
                    Ok(())
                } else {
                    Err(AppError::validation("target_id", "There is no such paragraph in this document."))
                }
            }
            (CommentTarget::Amendment, Some(aid)) => {
                let docs: Vec<String> = self
                    .db
                    .query("SELECT VALUE record::id(document) FROM type::record('amendment', $aid)")
                    .bind(("aid", aid.to_string()))
                    .fetch("find an amendment")
                    .await?;
                if docs.first() == Some(&doc.id) {
                    Ok(())
                } else {
                    Err(AppError::validation("target_id", "There is no such amendment to this document."))
                }
            }
        }
    }
}

impl SurrealDrafting {
    /// The comments on one target (all of the document's when `target` is None) a caller may
    /// read, oldest first.
    async fn comment_rows<T: SurrealValue + OnTarget>(
        &self,
        caller: &Caller,
        document: &str,
        target: Option<CommentTarget>,
        target_ids: Option<Vec<String>>,
        fields: &str,
    ) -> Result<Vec<T>, AppError> {
        let doc = self.find(document).await?;
        if doc.released == 0 && !drafts(caller) {
            return Err(not_found());
        }
        let filter = match target {
            None => "",
            Some(CommentTarget::Document) => "AND target = 'document'",
            Some(_) => "AND target = $target AND target_id IN $ids",
        };
        if target.is_some_and(|t| t != CommentTarget::Document) && target_ids.as_ref().is_none_or(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let rows: Vec<T> = self
            .db
            .query(format!(
                "SELECT {fields}, created_at AS ts FROM comment
                 WHERE document = type::record('document', $doc) {filter} ORDER BY ts"
            ))
            .bind(("doc", doc.id.clone()))
            .bind(("target", target.map(|t| t.as_str().to_string())))
            .bind(("ids", target_ids.unwrap_or_default()))
            .fetch("list comments")
            .await?;
        // Members read the released version: comments on paragraphs only the working draft has
        // are the secretariat's.
        if drafts(caller) || !rows.iter().any(|c| c.target() == "paragraph") {
            return Ok(rows);
        }
        let text = parse_text(&self.version_row(&doc.id, doc.released as u32).await?.text)?;
        let on_released = |c: &T| match (c.target(), c.target_id()) {
            ("paragraph", Some(pid)) => text.paragraph(pid).is_some(),
            _ => true,
        };
        Ok(rows.into_iter().filter(on_released).collect())
    }
}

/// What a comment's place in its thread needs: it, the comment it answers, and whether it is hidden.
#[derive(Debug, SurrealValue)]
struct ThreadRow {
    id: String,
    target: String,
    target_id: Option<String>,
    parent_id: Option<String>,
    hidden: bool,
}

const THREAD_FIELDS: &str =
    "record::id(id) AS id, target, target_id, (IF parent != NONE { record::id(parent) } ELSE { NONE }) AS parent_id, hidden_reason != NONE AS hidden";

/// A row's target, for the released version's filter.
trait OnTarget {
    fn target(&self) -> &str;
    fn target_id(&self) -> Option<&str>;
}

impl OnTarget for CommentRow {
    fn target(&self) -> &str {
        &self.target
    }
    fn target_id(&self) -> Option<&str> {
        self.target_id.as_deref()
    }
}

impl OnTarget for ThreadRow {
    fn target(&self) -> &str {
        &self.target
    }
    fn target_id(&self) -> Option<&str> {
        self.target_id.as_deref()
    }
}

impl ThreadNode for ThreadRow {
    fn node_id(&self) -> &str {
        &self.id
    }
    fn parent(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
}

impl SurrealDrafting {
    /// Page `page` of a thread: its order is worked out from the ids and parents of all its
    /// comments, and only the page's comments are read whole (author, body) and made views, so a
    /// thread of ten thousand costs little more than one of a hundred.
    async fn thread_of(&self, caller: &Caller, rows: Vec<ThreadRow>, page: usize) -> Result<ThreadPage, AppError> {
        let count = rows.iter().filter(|r| !r.hidden).count();
        let (shown, page, pages) = thread_page(rows, page);
        if shown.is_empty() {
            return Ok(ThreadPage { items: Vec::new(), page, pages, count });
        }
        let ids: Vec<RecordId> = shown.iter().map(|(r, _)| RecordId::new("comment", r.id.clone())).collect();
        let full: Vec<CommentRow> =
            self.db.query(format!("SELECT {COMMENT_FIELDS} FROM $ids")).bind(("ids", ids)).fetch("read a thread").await?;
        let mut full: std::collections::HashMap<String, CommentRow> = full.into_iter().map(|c| (c.id.clone(), c)).collect();
        // A comment deleted between the two reads is left out.
        let items = shown.into_iter().filter_map(|(r, depth)| full.remove(&r.id).map(|c| (c.view(caller), depth))).collect();
        Ok(ThreadPage { items, page, pages, count })
    }
}

#[async_trait]
impl CommentsPort for SurrealDrafting {
    async fn comments(
        &self,
        caller: &Caller,
        document: &str,
        target: Option<CommentTarget>,
        target_id: Option<String>,
        page: Option<PageRequest>,
    ) -> Result<Page<CommentView>, AppError> {
        let rows: Vec<CommentRow> = self.comment_rows(caller, document, target, target_id.map(|t| vec![t]), COMMENT_FIELDS).await?;
        Ok(Page::cut(rows, page).map(|c| c.view(caller)))
    }

    async fn thread(
        &self,
        caller: &Caller,
        document: &str,
        target: CommentTarget,
        target_id: Option<String>,
        page: usize,
    ) -> Result<ThreadPage, AppError> {
        let rows = self.comment_rows(caller, document, Some(target), target_id.map(|t| vec![t]), THREAD_FIELDS).await?;
        self.thread_of(caller, rows, page).await
    }

    async fn threads_on(
        &self,
        caller: &Caller,
        document: &str,
        target: CommentTarget,
        ids: Vec<String>,
        asked: Option<(String, usize)>,
    ) -> Result<Vec<(String, ThreadPage)>, AppError> {
        let mut rows: Vec<ThreadRow> = self.comment_rows(caller, document, Some(target), Some(ids.clone()), THREAD_FIELDS).await?;
        let mut threads = Vec::with_capacity(ids.len());
        for id in ids {
            let (mine, rest): (Vec<_>, Vec<_>) = rows.drain(..).partition(|c| c.target_id.as_deref() == Some(id.as_str()));
            rows = rest;
            let page = asked.as_ref().filter(|(a, _)| *a == id).map_or(1, |(_, p)| *p);
            let thread = self.thread_of(caller, mine, page).await?;
            threads.push((id, thread));
        }
        Ok(threads)
    }

    async fn add_comment(&self, caller: &Caller, document: &str, new: NewComment) -> Result<CommentView, AppError> {
        let doc = self.find(document).await?;
        if doc.released == 0 && !drafts(caller) {
            return Err(not_found());
        }
        if drafts(caller) {
            if doc.status().is_frozen() {
                return Err(AppError::Unprocessable("This document is final: it takes no more comments.".into()));
            }
        } else {
            check_open(&doc)?;
        }
        let body = comment_body(&new.body)?;
        let target_id = new.target_id.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let target_id = if new.target == CommentTarget::Document { None } else { target_id };
        self.check_target(caller, &doc, new.target, target_id.as_deref()).await?;
        if let Some(parent) = new.parent_id.as_deref().filter(|p| !p.is_empty()) {
            let p = self
                .comment_row(parent)
                .await
                .map_err(|_| AppError::validation("parent_id", "The comment you answer no longer exists."))?;
            if p.document_id != doc.id || p.target != new.target.as_str() || p.target_id != target_id {
                return Err(AppError::validation("parent_id", "A reply belongs to the same thread as the comment it answers."));
            }
        }
        let comment = CommentInsert {
            document: RecordId::new("document", doc.id.clone()),
            target: new.target.as_str().to_string(),
            target_id,
            parent: new.parent_id.filter(|p| !p.is_empty()).map(|p| RecordId::new("comment", p)),
            stance: new.stance.as_str().to_string(),
            body,
            author: RecordId::new("user", caller.user_id.clone()),
        };
        let ids: Vec<String> = self
            .db
            .query("CREATE comment CONTENT $comment RETURN VALUE record::id(id)")
            .bind(("comment", comment))
            .fetch("add a comment")
            .await?;
        let id = ids.into_iter().next().ok_or(AppError::Internal)?;
        Ok(self.comment_row(&id).await?.view(caller))
    }

    async fn edit_comment(&self, caller: &Caller, id: &str, body: &str) -> Result<CommentView, AppError> {
        let (row, _) = self.readable_comment(caller, id).await?;
        if row.author_id != caller.user_id {
            return Err(AppError::Forbidden("Only its author can edit a comment.".into()));
        }
        let body = comment_body(body)?;
        // The window is checked again where the change is written.
        let updated: Vec<String> = self
            .db
            .query(
                "UPDATE type::record('comment', $id) SET body = $body, edited_at = time::now()
                 WHERE hidden_reason = NONE AND created_at > time::now() - 15m RETURN VALUE record::id(id)",
            )
            .bind(("id", row.id.clone()))
            .bind(("body", body))
            .fetch("edit a comment")
            .await?;
        if updated.is_empty() {
            return Err(AppError::Unprocessable(
                "This comment can no longer be edited: comments can be edited for 15 minutes, and not once hidden. Add a reply instead."
                    .into(),
            ));
        }
        Ok(self.comment_row(id).await?.view(caller))
    }

    async fn hide_comment(&self, caller: &Caller, id: &str, reason: &str) -> Result<CommentView, AppError> {
        caller.require_any(SECRETARIAT, "hide comments")?;
        let reason = hide_reason(reason)?;
        let (row, _) = self.readable_comment(caller, id).await?;
        self.db
            .audited(
                "UPDATE type::record('comment', $id) SET hidden_reason = $reason, hidden_by = type::record('user', $user),
                    hidden_at = time::now()",
                &Audit::new(caller, AuditAction::CommentHidden, "comment", row.id.clone()),
            )
            .bind(("id", row.id.clone()))
            .bind(("reason", reason))
            .bind(("user", caller.user_id.clone()))
            .run("hide a comment")
            .await?;
        Ok(self.comment_row(id).await?.view(caller))
    }

    async fn resolve_comment(&self, caller: &Caller, id: &str, resolved: bool) -> Result<CommentView, AppError> {
        caller.require_any(SECRETARIAT, "resolve comments")?;
        let (row, _) = self.readable_comment(caller, id).await?;
        self.db
            .query(
                "UPDATE type::record('comment', $id) SET resolved = $resolved,
                    resolved_by = (IF $resolved { type::record('user', $user) } ELSE { NONE })",
            )
            .bind(("id", row.id.clone()))
            .bind(("resolved", resolved))
            .bind(("user", caller.user_id.clone()))
            .run("resolve a comment")
            .await?;
        Ok(self.comment_row(id).await?.view(caller))
    }
}
