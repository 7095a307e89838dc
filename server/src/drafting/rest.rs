//! REST endpoints for recommendation documents.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::{Deserialize, Serialize};
use shared::{
    drafting::{
        amendments::{AmendmentFilter, AmendmentStatus, AmendmentView, DecisionRequest, NewAmendment, NewStance},
        comments::{CommentTarget, CommentView, NewComment},
        compare::VersionDiff,
        compilation::Compilation,
        documents::{DocumentSummary, DocumentView, DraftSave, NewDocument, VersionSummary, VersionView},
        publication::{PublishRequest, PublishedVersion},
        DocumentStatus, ParagraphStatus,
    },
    ports::Ports,
    AppError, PageRequest,
};
use utoipa::{IntoParams, ToSchema};

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::auth::Authenticated,
    error::{ApiResult, ErrorBody},
    extract::{ApiJson, ApiQuery},
    AppState,
};

/// The drafting REST endpoints under `/api/v1`, each with its OpenAPI entry.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_documents, create_document))
        .routes(routes!(get_document, update_document))
        .routes(routes!(save_draft))
        .routes(routes!(update_paragraph))
        .routes(routes!(list_versions, release_version))
        .routes(routes!(get_version))
        .routes(routes!(diff))
        .routes(routes!(list_amendments, propose_amendment))
        .routes(routes!(compilation))
        .routes(routes!(publish))
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(edit_comment))
        .routes(routes!(hide_comment))
        .routes(routes!(resolve_comment))
        .routes(routes!(get_amendment))
        .routes(routes!(set_stance))
        .routes(routes!(remove_stance))
        .routes(routes!(decide_amendment))
        .routes(routes!(withdraw_amendment))
}

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

#[derive(Deserialize, IntoParams)]
pub struct AmendmentParams {
    /// Only the amendments of this paragraph (including the one an accepted insertion created).
    pub paragraph: Option<String>,
    /// Only those with this status (`proposed`, `accepted`, …).
    pub status: Option<String>,
    /// 1-based page number.
    pub page: Option<u32>,
    /// Amendments per page (1–100, default 25).
    pub per_page: Option<u32>,
}

/// A page of amendments.
#[derive(Serialize, ToSchema)]
pub struct AmendmentList {
    pub items: Vec<AmendmentView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// The amendments of a document, in the order proposed.
#[utoipa::path(get, path = "/api/v1/documents/{id}/amendments", tag = "drafting", params(AmendmentParams),
    responses((status = 200, body = AmendmentList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_amendments(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<AmendmentParams>,
) -> ApiResult<Json<AmendmentList>> {
    let status = match p.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<AmendmentStatus>().map_err(|_| {
            AppError::validation(
                "status",
                "Unknown status: use proposed, accepted, accepted_with_changes, rejected, superseded or withdrawn.",
            )
        })?),
    };
    let filter = AmendmentFilter { paragraph_id: p.paragraph, status };
    let page = ports.amendments.amendments(&caller, &id, filter, Some(PageRequest::new(p.page, p.per_page))).await?;
    Ok(Json(AmendmentList { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// Propose an amendment to a paragraph of the current version, on behalf of one of your actors
/// (while the document is open for comments or in negotiation).
#[utoipa::path(post, path = "/api/v1/documents/{id}/amendments", tag = "drafting", request_body = NewAmendment,
    responses((status = 201, body = AmendmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose_amendment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewAmendment>,
) -> ApiResult<(StatusCode, Json<AmendmentView>)> {
    Ok((StatusCode::CREATED, Json(ports.amendments.propose(&caller, &id, body).await?)))
}

/// One amendment with its diff, stances and history.
#[utoipa::path(get, path = "/api/v1/amendments/{id}", tag = "drafting",
    responses((status = 200, body = AmendmentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_amendment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<AmendmentView>> {
    Ok(Json(ports.amendments.amendment(&caller, &id).await?))
}

/// Support or oppose an amendment on behalf of one of your actors (replaces that actor's stance).
#[utoipa::path(post, path = "/api/v1/amendments/{id}/stances", tag = "drafting", request_body = NewStance,
    responses((status = 200, body = AmendmentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_stance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewStance>,
) -> ApiResult<Json<AmendmentView>> {
    Ok(Json(ports.amendments.set_stance(&caller, &id, body).await?))
}

/// Withdraw your actor's stance.
#[utoipa::path(delete, path = "/api/v1/amendments/{id}/stances/{actor_id}", tag = "drafting",
    responses((status = 200, body = AmendmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_stance(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path((id, actor_id)): Path<(String, String)>,
) -> ApiResult<Json<AmendmentView>> {
    Ok(Json(ports.amendments.remove_stance(&caller, &id, &actor_id).await?))
}

/// Decide on a proposed amendment (secretariat): accept (applied to the working draft), accept
/// with changes, reject with a reason, or mark superseded. 409 when it was decided meanwhile
/// or when its paragraph changed since it was proposed and the decision does not resolve that.
#[utoipa::path(post, path = "/api/v1/amendments/{id}/decision", tag = "drafting", request_body = DecisionRequest,
    responses((status = 200, body = AmendmentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_amendment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> ApiResult<Json<AmendmentView>> {
    Ok(Json(ports.amendments.decide(&caller, &id, body).await?))
}

/// Withdraw your own amendment before it is decided.
#[utoipa::path(post, path = "/api/v1/amendments/{id}/withdraw", tag = "drafting",
    responses((status = 200, body = AmendmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_amendment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> ApiResult<Json<AmendmentView>> {
    Ok(Json(ports.amendments.withdraw(&caller, &id).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct CompilationParams {
    /// `json` (the default) or `md` for Markdown.
    pub format: Option<String>,
}

/// The compilation text: the latest released version with every pending amendment under its
/// paragraph, attributed, with supporters and opponents. As JSON or Markdown (`format=md`).
#[utoipa::path(get, path = "/api/v1/documents/{id}/compilation", tag = "drafting", params(CompilationParams),
    responses((status = 200, description = "The compilation: JSON, or Markdown with format=md",
            content((Compilation = "application/json"), (String = "text/markdown"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compilation(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<CompilationParams>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let c = ports.amendments.compilation(&caller, &id, None, 0).await?;
    Ok(match p.format.as_deref().unwrap_or("json") {
        "json" => Json(c).into_response(),
        "md" | "markdown" => (
            [
                (axum::http::header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()),
                (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}-compilation.md\"", c.slug)),
            ],
            c.to_markdown(),
        )
            .into_response(),
        _ => return Err(AppError::validation("format", "Use format=json or format=md.").into()),
    })
}

/// Publish a released version of a final document (the latest when `version` is left out).
#[utoipa::path(post, path = "/api/v1/documents/{id}/publish", tag = "drafting", request_body = PublishRequest,
    responses((status = 201, body = PublishedVersion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PublishRequest>,
) -> ApiResult<(StatusCode, Json<PublishedVersion>)> {
    Ok((StatusCode::CREATED, Json(ports.drafting.publish(&caller, &id, body).await?)))
}

/// What `/r/{slug}.md`, `/r/{slug}.json`, `/r/{slug}/v/{n}.md` and `/r/{slug}/v/{n}.json` ask
/// for: the slug, the version (None for the latest published) and whether Markdown.
fn export_target(path: &str) -> Option<(String, Option<u32>, bool)> {
    let rest = path.strip_prefix("/r/")?;
    let (stem, markdown) = if let Some(s) = rest.strip_suffix(".md") { (s, true) } else { (rest.strip_suffix(".json")?, false) };
    match stem.split('/').collect::<Vec<_>>().as_slice() {
        [slug] => Some((slug.to_string(), None, markdown)),
        [slug, "v", n] => Some((slug.to_string(), Some(n.parse().ok()?), markdown)),
        _ => None,
    }
}

/// Serves the Markdown and JSON of published documents (no login): `/r/{slug}.md`, `/r/{slug}.json`
/// and the same under `/v/{n}`. A middleware in front of the pages rather than a route, because the
/// router (matchit 0.8) has no parameters with a suffix, and `/r/{slug}` is the page's own route.
pub async fn published_exports(
    State(ports): State<Ports>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some((slug, version, markdown)) =
        (request.method() == axum::http::Method::GET).then(|| export_target(request.uri().path())).flatten()
    else {
        return next.run(request).await;
    };
    match ports.drafting.publication(&slug, version).await {
        Ok(p) if markdown => ([(axum::http::header::CONTENT_TYPE, "text/markdown; charset=utf-8")], p.to_markdown()).into_response(),
        Ok(p) => Json(p).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::export_target;

    #[test]
    fn export_paths() {
        assert_eq!(export_target("/r/carta.md"), Some(("carta".into(), None, true)));
        assert_eq!(export_target("/r/carta.json"), Some(("carta".into(), None, false)));
        assert_eq!(export_target("/r/carta/v/3.md"), Some(("carta".into(), Some(3), true)));
        assert_eq!(export_target("/r/carta"), None);
        assert_eq!(export_target("/r/carta/v/x.md"), None);
        assert_eq!(export_target("/recommendations/carta.md"), None);
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CommentParams {
    /// `document`, `paragraph` or `amendment`; left out, every comment on the document.
    pub target: Option<String>,
    /// The paragraph's or amendment's id.
    pub target_id: Option<String>,
    /// 1-based page number.
    pub page: Option<u32>,
    /// Comments per page (1–100, default 25).
    pub per_page: Option<u32>,
}

/// A page of comments.
#[derive(Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentView>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Comments on a document, one of its paragraphs or amendments, oldest first (`parent_id` threads them).
#[utoipa::path(get, path = "/api/v1/documents/{id}/comments", tag = "drafting", params(CommentParams),
    responses((status = 200, body = CommentList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_comments(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiQuery(p): ApiQuery<CommentParams>,
) -> ApiResult<Json<CommentList>> {
    let target = match p.target.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(t.parse::<CommentTarget>().map_err(|_| AppError::validation("target", "Use document, paragraph or amendment."))?),
    };
    let page = ports.comments.comments(&caller, &id, target, p.target_id, Some(PageRequest::new(p.page, p.per_page))).await?;
    Ok(Json(CommentList { items: page.items, total: page.total, page: page.page, per_page: page.per_page }))
}

/// Comment on the document, a paragraph or an amendment (a reply names its `parent_id`).
#[utoipa::path(post, path = "/api/v1/documents/{id}/comments", tag = "drafting", request_body = NewComment,
    responses((status = 201, body = CommentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_comment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentView>)> {
    Ok((StatusCode::CREATED, Json(ports.comments.add_comment(&caller, &id, body).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct CommentEdit {
    pub body: String,
}

/// Edit your comment (within 15 minutes of writing it).
#[utoipa::path(patch, path = "/api/v1/comments/{id}", tag = "drafting", request_body = CommentEdit,
    responses((status = 200, body = CommentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_comment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CommentEdit>,
) -> ApiResult<Json<CommentView>> {
    Ok(Json(ports.comments.edit_comment(&caller, &id, &body.body).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct HideComment {
    pub reason: String,
}

/// Hide a comment, with a reason kept in the record (secretariat).
#[utoipa::path(post, path = "/api/v1/comments/{id}/hide", tag = "drafting", request_body = HideComment,
    responses((status = 200, body = CommentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn hide_comment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HideComment>,
) -> ApiResult<Json<CommentView>> {
    Ok(Json(ports.comments.hide_comment(&caller, &id, &body.reason).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ResolveComment {
    #[serde(default = "yes")]
    pub resolved: bool,
}

fn yes() -> bool {
    true
}

/// Mark a comment resolved, or not (secretariat).
#[utoipa::path(post, path = "/api/v1/comments/{id}/resolve", tag = "drafting", request_body = ResolveComment,
    responses((status = 200, body = CommentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resolve_comment(
    State(ports): State<Ports>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ResolveComment>,
) -> ApiResult<Json<CommentView>> {
    Ok(Json(ports.comments.resolve_comment(&caller, &id, body.resolved).await?))
}
