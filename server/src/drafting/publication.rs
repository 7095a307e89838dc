//! Publication: a released version of a final document frozen and served to everyone, with
//! the amendment trail of each paragraph.

use std::collections::HashMap;

use shared::{
    audit::AuditAction,
    drafting::{
        amendments::{AmendmentKind, AmendmentStatus},
        documents::{numbered_themes, SECRETARIAT},
        publication::{ParagraphTrail, Publication, PublishRequest, PublishedVersion, TrailEntry},
    },
    AppError, Caller,
};
use surrealdb::types::SurrealValue;

use super::service::{parse_text, SurrealDrafting};
use crate::{audit::Audit, db::is_duplicate, error::internal};

#[derive(Debug, SurrealValue)]
struct PublishedRow {
    version: i64,
    published_by: String,
    published_at: String,
}

#[derive(Debug, SurrealValue)]
struct TrailRow {
    id: String,
    number: i64,
    paragraph_id: String,
    result_paragraph_id: Option<String>,
    kind: String,
    status: String,
    actor: String,
    created_at: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct TrailStance {
    amendment_id: String,
    actor: String,
    stance: String,
}

fn nothing_published() -> AppError {
    AppError::NotFound("Nothing has been published at this address.".into())
}

impl SurrealDrafting {
    pub(super) async fn publish_version(&self, caller: &Caller, id: &str, request: PublishRequest) -> Result<PublishedVersion, AppError> {
        caller.require_any(SECRETARIAT, "publish documents")?;
        let doc = self.find(id).await?;
        if !doc.status().is_frozen() {
            return Err(AppError::Unprocessable("Mark the document final before publishing it.".into()));
        }
        let number = request.version.unwrap_or(doc.released as u32);
        if number == 0 {
            return Err(AppError::Unprocessable("Release a version first: a released version is what gets published.".into()));
        }
        let version = self.version_row(&doc.id, number).await?;
        let written = self
            .db
            .audited(
                "BEGIN TRANSACTION;
                 LET $doc = type::record('document', $id);
                 CREATE publication CONTENT { document: $doc, version: $number, published_by: type::record('user', $user) };
                 UPDATE $doc SET status = 'published', updated_at = time::now();
                 AUDIT;
                 RETURN true;
                 COMMIT TRANSACTION;",
                &Audit::new(caller, AuditAction::DocumentPublished, "document", doc.id.clone()).summary(format!("version {number}")),
            )
            .bind(("id", doc.id.clone()))
            .bind(("number", i64::from(number)))
            .bind(("user", caller.user_id.clone()))
            .transact::<bool>("publish a version")
            .await?;
        match written {
            Ok(_) => {}
            Err(e) if is_duplicate(&e) => return Err(AppError::Conflict(format!("Version {number} is already published."))),
            Err(e) => return Err(internal("publish a version", e)),
        }
        let published = self.published_rows(&doc.id).await?;
        let row = published.into_iter().find(|p| p.version == i64::from(number)).ok_or(AppError::Internal)?;
        Ok(PublishedVersion { number, label: version.label, published_by: row.published_by, published_at: row.published_at })
    }

    async fn published_rows(&self, doc_id: &str) -> Result<Vec<PublishedRow>, AppError> {
        self.db
            .query(
                "SELECT version, published_by.name AS published_by, <string> published_at AS published_at
                 FROM publication WHERE document = type::record('document', $doc) ORDER BY version",
            )
            .bind(("doc", doc_id.to_string()))
            .fetch("read publications")
            .await
    }

    pub(super) async fn read_publication(&self, slug: &str, version: Option<u32>) -> Result<Publication, AppError> {
        let doc = self.find(slug).await.map_err(|_| nothing_published())?;
        let rows = self.published_rows(&doc.id).await?;
        let chosen = match version {
            None => rows.last(),
            Some(n) => rows.iter().find(|r| r.version == i64::from(n)),
        }
        .ok_or_else(nothing_published)?;
        let mut published = Vec::with_capacity(rows.len());
        for r in &rows {
            let v = self.version_row(&doc.id, r.version as u32).await?;
            published.push(PublishedVersion {
                number: r.version as u32,
                label: v.label,
                published_by: r.published_by.clone(),
                published_at: r.published_at.clone(),
            });
        }
        let text = parse_text(&self.version_row(&doc.id, chosen.version as u32).await?.text)?;
        let mut q = self
            .db
            .query(
                "LET $doc = type::record('document', $id);
                 LET $at = (SELECT VALUE published_at FROM publication WHERE document = $doc AND version = $version)[0];
                 SELECT record::id(id) AS id, number, paragraph_id, result_paragraph_id, kind, status, actor.name AS actor,
                    <string> created_at AS created_at, decided_by.name AS decided_by,
                    (IF decided_at != NONE { <string> decided_at } ELSE { NONE }) AS decided_at
                 FROM amendment WHERE document = $doc AND status IN ['accepted', 'accepted_with_changes'] AND decided_at <= $at
                 ORDER BY number;
                 SELECT record::id(amendment) AS amendment_id, actor.name AS actor, stance, created_at AS ts
                 FROM stance WHERE document = $doc ORDER BY ts;",
            )
            .bind(("id", doc.id.clone()))
            .bind(("version", chosen.version))
            .answers("read the amendment trail")
            .await?;
        let amendments: Vec<TrailRow> = q.take(2)?;
        let stances: Vec<TrailStance> = q.take(3)?;
        let mut by_amendment: HashMap<&str, (Vec<String>, Vec<String>)> = HashMap::new();
        for s in &stances {
            let entry = by_amendment.entry(s.amendment_id.as_str()).or_default();
            if s.stance == "support" {
                entry.0.push(s.actor.clone());
            } else {
                entry.1.push(s.actor.clone());
            }
        }
        let mut trail: Vec<ParagraphTrail> = Vec::new();
        for a in amendments {
            let pid = a.result_paragraph_id.clone().unwrap_or_else(|| a.paragraph_id.clone());
            if text.paragraph(&pid).is_none() {
                continue;
            }
            let (supporters, opponents) = by_amendment.get(a.id.as_str()).cloned().unwrap_or_default();
            let entry = TrailEntry {
                amendment: format!("A-{}", a.number),
                kind: a.kind.parse().unwrap_or(AmendmentKind::Replace),
                status: a.status.parse().unwrap_or(AmendmentStatus::Accepted),
                proposed_by: a.actor,
                proposed_at: a.created_at,
                supporters,
                opponents,
                decided_by: a.decided_by,
                decided_at: a.decided_at,
            };
            match trail.iter_mut().find(|t| t.paragraph_id == pid) {
                Some(t) => t.amendments.push(entry),
                None => trail.push(ParagraphTrail { paragraph_id: pid, amendments: vec![entry] }),
            }
        }
        let version = published.iter().find(|p| i64::from(p.number) == chosen.version).cloned().ok_or(AppError::Internal)?;
        // What was released (the working draft may have moved on since).
        let (title, summary) = doc.heading(false);
        Ok(Publication {
            slug: doc.slug,
            title,
            summary,
            version,
            preamble: text.preamble.clone(),
            themes: numbered_themes(&text),
            trail,
            published,
        })
    }
}
