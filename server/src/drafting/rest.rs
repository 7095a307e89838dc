//! REST endpoints for recommendation documents.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{
    drafting::{
        compare::VersionDiff,
        documents::{DocumentSummary, DocumentView, DraftSave, NewDocument, VersionSummary, VersionView},
        DocumentStatus, ParagraphStatus,
    },
    ports::Ports,
    AppError, PageRequest,
};
use utoipa::{IntoParams, ToSchema};

use crate::{
    accounts::auth::Authenticated,
    api::{ApiJson, ApiQuery},
    error::{ApiResult, ErrorBody},
};

#[derive(Deserialize, IntoParams)]
pub struct PageParams {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentPage {
    pub items: Vec<DocumentSummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Create a document (secretariat): without themes it gets the programme's three.
#[utoipa::path(post, path = "/api/v1/documents", tag = "drafting", request_body = NewDocument,
    responses((status = 201, body = DocumentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_document(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<NewDocument>,
) -> ApiResult<(StatusCode, Json<DocumentView>)> {
    Ok((StatusCode::CREATED, Json(ports.drafting.create_document(&caller, body).await?)))
}

/// List documents: all of them for the secretariat, released ones for everyone else.
#[utoipa::path(get, path = "/api/v1/documents", tag = "drafting", params(PageParams),
    responses((status = 200, body = DocumentPage), (status = 401, body = ErrorBody)))]
pub async fn list_documents(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    ApiQuery(p): ApiQuery<PageParams>,
) -> ApiResult<Json<DocumentPage>> {
    let page = ports.drafting.list_documents(&caller, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(DocumentPage { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// A document by id or slug: the working draft for the secretariat, the latest released
/// version for everyone else.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "drafting", params(("id" = String, Path, description = "id or slug")),
    responses((status = 200, body = DocumentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_document(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<DocumentView>> {
    Ok(Json(ports.drafting.document(&caller, &id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusChange {
    pub status: DocumentStatus,
    /// RFC 3339, for a comment period.
    #[serde(default)]
    pub comment_deadline: Option<String>,
}

/// Change a document's status (secretariat).
#[utoipa::path(patch, path = "/api/v1/documents/{id}", tag = "drafting", request_body = StatusChange,
    responses((status = 200, body = DocumentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_document(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusChange>,
) -> ApiResult<Json<DocumentView>> {
    Ok(Json(ports.drafting.set_status(&caller, &id, body.status, body.comment_deadline).await?))
}

/// Save the working draft (secretariat); 409 when someone saved since `base_version`.
#[utoipa::path(put, path = "/api/v1/documents/{id}/draft", tag = "drafting", request_body = DraftSave,
    responses((status = 200, body = DocumentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_draft(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DraftSave>,
) -> ApiResult<Json<DocumentView>> {
    Ok(Json(ports.drafting.save_draft(&caller, &id, body).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ParagraphStatusChange {
    pub status: ParagraphStatus,
}

/// Mark a paragraph of the working draft open, bracketed, agreed ad ref or agreed (secretariat).
#[utoipa::path(patch, path = "/api/v1/documents/{id}/paragraphs/{pid}", tag = "drafting", request_body = ParagraphStatusChange,
    responses((status = 200, body = DocumentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_paragraph(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path((id, pid)): Path<(String, String)>,
    ApiJson(body): ApiJson<ParagraphStatusChange>,
) -> ApiResult<Json<DocumentView>> {
    Ok(Json(ports.drafting.set_paragraph_status(&caller, &id, &pid, body.status).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct Release {
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct Released {
    pub version: u32,
    pub label: String,
    pub released_by: String,
    pub released_at: String,
}

/// Release the working draft as the next version (secretariat).
#[utoipa::path(post, path = "/api/v1/documents/{id}/versions", tag = "drafting", request_body = Release,
    responses((status = 201, body = Released), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn release_version(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Release>,
) -> ApiResult<(StatusCode, Json<Released>)> {
    let v = ports.drafting.release_version(&caller, &id, &body.label).await?;
    Ok((StatusCode::CREATED, Json(Released { version: v.number, label: v.label, released_by: v.released_by, released_at: v.released_at })))
}

/// The released versions of a document.
#[utoipa::path(get, path = "/api/v1/documents/{id}/versions", tag = "drafting",
    responses((status = 200, body = Vec<VersionSummary>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_versions(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<VersionSummary>>> {
    Ok(Json(ports.drafting.versions(&caller, &id).await?))
}

/// One released version with its text.
#[utoipa::path(get, path = "/api/v1/documents/{id}/versions/{n}", tag = "drafting",
    responses((status = 200, body = VersionView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path((id, n)): Path<(String, String)>,
) -> ApiResult<Json<VersionView>> {
    let n: u32 = n.parse().map_err(|_| AppError::NotFound(format!("“{n}” is not a version number.")))?;
    Ok(Json(ports.drafting.version(&caller, &id, n).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct DiffParams {
    /// A released version.
    pub from: u32,
    /// A released version; left out, the working draft (secretariat).
    pub to: Option<u32>,
}

/// Compare two versions: paragraphs by identity, then word by word.
#[utoipa::path(get, path = "/api/v1/documents/{id}/diff", tag = "drafting", params(DiffParams),
    responses((status = 200, body = VersionDiff), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn diff(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<DiffParams>,
) -> ApiResult<Json<VersionDiff>> {
    Ok(Json(ports.drafting.compare(&caller, &id, p.from, p.to).await?))
}
