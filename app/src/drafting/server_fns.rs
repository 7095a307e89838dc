//! The drafting pages' data and their server functions: documents, versions, statuses, the
//! comparison of versions and the editor's changes.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::{
    drafting::{
        compare::VersionDiff,
        documents::{DocumentSummary, DocumentView, VersionSummary},
        ParagraphStatus,
    },
    AppError, Page,
};

/// A paragraph ready to show: its Markdown rendered and sanitised, brackets marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownParagraph {
    pub id: String,
    pub number: String,
    pub status: ParagraphStatus,
    pub html: String,
    /// Amendments to it: in all, and still proposed; comments on it.
    pub amendments: u32,
    pub proposed: u32,
    pub comments: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownTheme {
    pub id: String,
    pub title: String,
    pub paragraphs: Vec<ShownParagraph>,
}

/// Everything the document page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPageData {
    pub doc: DocumentView,
    pub preamble_html: Option<String>,
    pub themes: Vec<ShownTheme>,
    pub versions: Vec<VersionSummary>,
    pub can_draft: bool,
    /// Members may comment and propose amendments now (the status and the deadline).
    pub open: bool,
    pub flash: Option<String>,
}

#[cfg(feature = "ssr")]
fn doc_path(slug: &str) -> String {
    format!("/recommendations/{slug}")
}

#[server(prefix = "/fn")]
pub async fn list_documents(page: Option<u32>) -> Result<(Page<DocumentSummary>, bool), AppError> {
    use crate::request;
    let caller = request::caller()?;
    let page = request::ports()?.drafting.list_documents(&caller, shared::PageRequest::new(page, None)).await?;
    Ok((page, shared::drafting::documents::drafts(&caller)))
}

#[server(prefix = "/fn")]
pub async fn create_document(title: String, summary: Option<String>) -> Result<(), AppError> {
    use crate::request;
    let new = shared::drafting::documents::NewDocument { title, summary, ..Default::default() };
    let doc = request::ports()?.drafting.create_document(&request::caller()?, new).await?;
    let path = doc_path(&doc.slug);
    request::set_flash(&path, "Document created with the programme's three themes. Add its paragraphs, then release the zero draft.");
    crate::request::redirect(&path);
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn document_page(slug: String) -> Result<DocumentPageData, AppError> {
    use crate::request;
    use shared::markdown::paragraph_html;
    let caller = request::caller()?;
    let ports = request::ports()?;
    let mut doc = ports.drafting.document(&caller, &slug).await?;
    let versions = ports.drafting.versions(&caller, &doc.id).await?;
    let counts: std::collections::HashMap<String, (u32, u32, u32)> = ports
        .amendments
        .counts(&caller, &doc.id)
        .await?
        .into_iter()
        .map(|c| (c.paragraph_id, (c.amendments, c.proposed, c.comments)))
        .collect();
    // The page needs the rendered HTML only: the source text is not sent twice.
    let themes = std::mem::take(&mut doc.themes)
        .iter()
        .map(|t| ShownTheme {
            id: t.id.clone(),
            title: t.title.clone(),
            paragraphs: t
                .paragraphs
                .iter()
                .map(|p| {
                    let (amendments, proposed, comments) = counts.get(&p.id).copied().unwrap_or_default();
                    ShownParagraph {
                        id: p.id.clone(),
                        number: p.number.clone(),
                        status: p.status,
                        html: paragraph_html(&p.text),
                        amendments,
                        proposed,
                        comments,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(DocumentPageData {
        preamble_html: doc.preamble.as_deref().map(shared::markdown::to_html),
        themes,
        versions,
        can_draft: shared::drafting::documents::drafts(&caller),
        open: shared::drafting::contributions_open(doc.status, doc.comment_deadline.as_deref(), time::OffsetDateTime::now_utc()).is_ok(),
        flash: request::take_flash(&doc_path(&doc.slug)),
        doc,
    })
}

#[server(prefix = "/fn")]
pub async fn release_version(slug: String, label: String) -> Result<(), AppError> {
    use crate::request;
    let v = request::ports()?.drafting.release_version(&request::caller()?, &slug, &label).await?;
    let path = doc_path(&slug);
    request::set_flash(&path, &format!("Released version {} ({}).", v.number, v.label));
    crate::request::redirect(&path);
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn set_document_status(slug: String, status: String, comment_deadline: Option<String>) -> Result<(), AppError> {
    use crate::request;
    let status = status.parse().map_err(|_| AppError::validation("status", "Choose a status from the list."))?;
    let doc = request::ports()?.drafting.set_status(&request::caller()?, &slug, status, comment_deadline).await?;
    let path = doc_path(&slug);
    request::set_flash(&path, &format!("The document is now “{}”.", doc.status.label()));
    crate::request::redirect(&path);
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn publish_document(slug: String) -> Result<(), AppError> {
    use crate::request;
    let request = shared::drafting::publication::PublishRequest { version: None };
    let v = request::ports()?.drafting.publish(&request::caller()?, &slug, request).await?;
    let path = doc_path(&slug);
    request::set_flash(&path, &format!("Published version {} ({}) at /r/{slug}.", v.number, v.label));
    crate::request::redirect(&path);
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn set_paragraph_status(slug: String, paragraph_id: String, status: String) -> Result<(), AppError> {
    use crate::request;
    let status: ParagraphStatus = status.parse().map_err(|_| AppError::validation("status", "Choose a status from the list."))?;
    request::ports()?.drafting.set_paragraph_status(&request::caller()?, &slug, &paragraph_id, status).await?;
    let path = doc_path(&slug);
    request::set_flash(&path, &format!("Paragraph marked “{}”.", status.label()));
    crate::request::redirect(&format!("{path}#p-{paragraph_id}"));
    Ok(())
}

/// The document (as the caller may see it), the comparison, and the versions to choose from.
#[server(prefix = "/fn")]
pub async fn compare_versions(
    slug: String,
    from: Option<u32>,
    to: Option<u32>,
) -> Result<(DocumentView, VersionDiff, Vec<VersionSummary>, u32, Option<u32>), AppError> {
    use crate::request;
    let caller = request::caller()?;
    let ports = request::ports()?;
    let doc = ports.drafting.document(&caller, &slug).await?;
    let versions = ports.drafting.versions(&caller, &doc.id).await?;
    if versions.is_empty() {
        return Err(AppError::Unprocessable("This document has no released version to compare yet.".into()));
    }
    let last = versions.last().map(|v| v.number).unwrap_or(1);
    let drafts = shared::drafting::documents::drafts(&caller);
    // By default the secretariat sees the changes since the last release (the working draft
    // against it), everyone else the last two releases.
    let to = match to {
        Some(n) => Some(n),
        None if drafts => None,
        None => Some(last),
    };
    let from = from.unwrap_or(match to {
        None => last,
        Some(n) => n.saturating_sub(1).max(1),
    });
    let diff = ports.drafting.compare(&caller, &doc.id, from, to).await?;
    // The page needs the document's title and slug, not its text (sent again for hydration).
    let mut doc = doc;
    doc.themes.clear();
    doc.preamble = None;
    Ok((doc, diff, versions, from, to))
}

/// The working draft with its source text, for the editor (secretariat).
#[server(prefix = "/fn")]
pub async fn draft_for_editing(slug: String) -> Result<EditorData, AppError> {
    use crate::request;
    let caller = request::caller()?;
    caller.require_any(shared::drafting::documents::SECRETARIAT, "edit recommendation documents")?;
    let doc = request::ports()?.drafting.document(&caller, &slug).await?;
    let path = format!("{}/edit", doc_path(&doc.slug));
    let flash = request::take_flash(&path);
    let kept = KeptEdit::from_fields(request::take_input(&path).await);
    Ok(EditorData { doc, flash, kept })
}

/// The working draft as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub doc: DocumentView,
    pub flash: Option<String>,
    /// The text of a change that was refused, to type on from.
    pub kept: Option<KeptEdit>,
}

/// A refused change that carried text: a paragraph's new text (`save`), a new paragraph
/// (`append`) or a theme's new title (`rename`), and the paragraph or theme it was for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptEdit {
    pub op: String,
    pub target: String,
    pub text: String,
}

impl KeptEdit {
    pub fn to_fields(&self) -> Vec<(String, String)> {
        [("form", "edit"), ("op", &self.op), ("target", &self.target), ("text", &self.text)]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .to_vec()
    }
    pub fn from_fields(fields: Option<Vec<(String, String)>>) -> Option<KeptEdit> {
        let get = |k: &str| crate::components::kept_value(&fields, "edit", k);
        Some(KeptEdit { op: get("op")?, target: get("target")?, text: get("text")? })
    }
    /// The kept text when it was for this change.
    pub fn text_for(kept: &Option<KeptEdit>, op: &str, target: &str) -> Option<String> {
        kept.as_ref().filter(|k| k.op == op && k.target == target).map(|k| k.text.clone())
    }
}

/// One change from the editor: `op` is save, delete, up, down, append or rename.
#[server(prefix = "/fn")]
pub async fn edit_draft(
    slug: String,
    base_version: u32,
    op: String,
    theme_id: Option<String>,
    paragraph_id: Option<String>,
    text: Option<String>,
    base_text: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    use shared::drafting::documents::DraftEdit;
    let paragraph = || paragraph_id.clone().ok_or_else(|| AppError::validation("paragraph_id", "Which paragraph?"));
    let theme = || theme_id.clone().ok_or_else(|| AppError::validation("theme_id", "Which theme?"));
    let path = format!("{}/edit", doc_path(&slug));
    let kept = match op.as_str() {
        "save" => Some(KeptEdit { op: op.clone(), target: paragraph()?, text: text.clone().unwrap_or_default() }),
        "append" | "rename" => Some(KeptEdit { op: op.clone(), target: theme()?, text: text.clone().unwrap_or_default() }),
        _ => None,
    };
    let text = text.clone().unwrap_or_default();
    let (edit, anchor, done) = match op.as_str() {
        "save" => (DraftEdit::SetText { paragraph_id: paragraph()?, text, base_text }, format!("e-{}", paragraph()?), "Paragraph saved."),
        "delete" => (
            DraftEdit::Delete { paragraph_id: paragraph()? },
            String::new(),
            "Paragraph deleted from the draft (earlier versions keep it).",
        ),
        "up" => (DraftEdit::MoveUp { paragraph_id: paragraph()? }, format!("e-{}", paragraph()?), "Paragraph moved up."),
        "down" => (DraftEdit::MoveDown { paragraph_id: paragraph()? }, format!("e-{}", paragraph()?), "Paragraph moved down."),
        "append" => (DraftEdit::Append { theme_id: theme()?, text }, format!("t-{}", theme()?), "Paragraph added."),
        "rename" => (DraftEdit::RenameTheme { theme_id: theme()?, title: text }, format!("t-{}", theme()?), "Theme renamed."),
        _ => return Err(AppError::validation("op", "Unknown editing action.")),
    };
    let result = request::ports()?.drafting.edit_draft(&request::caller()?, &slug, base_version, edit).await;
    // After a conflict the editor reloads the draft (with or without JavaScript): the text
    // typed comes back next to the current one.
    match kept {
        Some(k) => request::keep_if_refused(result, &path, k.to_fields(), |e| matches!(e, AppError::Conflict(_))).await?,
        None => result?,
    };
    request::set_flash(&path, done);
    crate::request::redirect(&if anchor.is_empty() { path } else { format!("{path}#{anchor}") });
    Ok(())
}
