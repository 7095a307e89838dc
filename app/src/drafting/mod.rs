//! Recommendation documents: the list, a document with its numbered paragraphs, and the
//! comparison of versions. Markdown is rendered and sanitised on the server; the browser
//! receives HTML.

mod compare;
mod document;
mod list;

pub use compare::ComparePage;
pub use document::DocumentPage;
pub use list::DocumentsPage;

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
    pub flash: Option<String>,
}

#[cfg(feature = "ssr")]
fn doc_path(slug: &str) -> String {
    format!("/recommendations/{slug}")
}

#[server]
pub async fn list_documents(page: Option<u32>) -> Result<(Page<DocumentSummary>, bool), AppError> {
    use crate::server;
    let caller = server::caller()?;
    let page = server::ports()?.drafting.list_documents(&caller, shared::PageRequest::new(page, None)).await?;
    Ok((page, shared::drafting::documents::drafts(&caller)))
}

#[server]
pub async fn create_document(title: String, summary: Option<String>) -> Result<(), AppError> {
    use crate::server;
    let new = shared::drafting::documents::NewDocument { title, summary, ..Default::default() };
    let doc = server::ports()?.drafting.create_document(&server::caller()?, new).await?;
    let path = doc_path(&doc.slug);
    server::set_flash(&path, "Document created with the programme's three themes. Add its paragraphs, then release the zero draft.");
    leptos_axum::redirect(&path);
    Ok(())
}

#[server]
pub async fn document_page(slug: String) -> Result<DocumentPageData, AppError> {
    use crate::server;
    use shared::markdown::paragraph_html;
    let caller = server::caller()?;
    let ports = server::ports()?;
    let mut doc = ports.drafting.document(&caller, &slug).await?;
    let versions = ports.drafting.versions(&caller, &doc.id).await?;
    // The page needs the rendered HTML only: the source text is not sent twice.
    let themes = std::mem::take(&mut doc.themes)
        .iter()
        .map(|t| ShownTheme {
            id: t.id.clone(),
            title: t.title.clone(),
            paragraphs: t
                .paragraphs
                .iter()
                .map(|p| ShownParagraph { id: p.id.clone(), number: p.number.clone(), status: p.status, html: paragraph_html(&p.text) })
                .collect(),
        })
        .collect();
    Ok(DocumentPageData {
        preamble_html: doc.preamble.as_deref().map(shared::markdown::to_html),
        themes,
        versions,
        can_draft: shared::drafting::documents::drafts(&caller),
        flash: server::take_flash(&doc_path(&doc.slug)),
        doc,
    })
}

#[server]
pub async fn release_version(slug: String, label: String) -> Result<(), AppError> {
    use crate::server;
    let v = server::ports()?.drafting.release_version(&server::caller()?, &slug, &label).await?;
    let path = doc_path(&slug);
    server::set_flash(&path, &format!("Released version {} ({}).", v.number, v.label));
    leptos_axum::redirect(&path);
    Ok(())
}

#[server]
pub async fn set_document_status(slug: String, status: String, comment_deadline: Option<String>) -> Result<(), AppError> {
    use crate::server;
    let status = status.parse().map_err(|_| AppError::validation("status", "Choose a status from the list."))?;
    let doc = server::ports()?.drafting.set_status(&server::caller()?, &slug, status, comment_deadline).await?;
    let path = doc_path(&slug);
    server::set_flash(&path, &format!("The document is now “{}”.", doc.status.label()));
    leptos_axum::redirect(&path);
    Ok(())
}

#[server]
pub async fn set_paragraph_status(slug: String, paragraph_id: String, status: String) -> Result<(), AppError> {
    use crate::server;
    let status: ParagraphStatus = status.parse().map_err(|_| AppError::validation("status", "Choose a status from the list."))?;
    server::ports()?.drafting.set_paragraph_status(&server::caller()?, &slug, &paragraph_id, status).await?;
    let path = doc_path(&slug);
    server::set_flash(&path, &format!("Paragraph marked “{}”.", status.label()));
    leptos_axum::redirect(&format!("{path}#p-{paragraph_id}"));
    Ok(())
}

/// The document (as the caller may see it), the comparison, and the versions to choose from.
#[server]
pub async fn compare_versions(
    slug: String,
    from: Option<u32>,
    to: Option<u32>,
) -> Result<(DocumentView, VersionDiff, Vec<VersionSummary>, u32, Option<u32>), AppError> {
    use crate::server;
    let caller = server::caller()?;
    let ports = server::ports()?;
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
    Ok((doc, diff, versions, from, to))
}
