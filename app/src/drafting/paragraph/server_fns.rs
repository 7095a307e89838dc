//! The paragraph page's data and its server functions: propose, take a stance, decide, withdraw.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use shared::drafting::{
    amendments::StanceKind,
    comments::{thread_anchor, CommentTarget},
};
use shared::{
    drafting::{amendments::AmendmentView, comments::ThreadPage, documents::ParagraphView, DocumentStatus},
    network::ActorRef,
    AppError,
};

/// Everything the paragraph page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParagraphPageData {
    pub slug: String,
    pub title: String,
    pub status: DocumentStatus,
    /// Members may propose and take stances now.
    pub open: bool,
    pub theme_title: String,
    pub paragraph: ParagraphView,
    pub html: String,
    /// The paragraph is in the latest released version (amendments are proposed to it).
    pub amendable: bool,
    pub amendments: Vec<AmendmentView>,
    pub my_actors: Vec<ActorRef>,
    pub user_id: String,
    pub can_decide: bool,
    /// The reader may comment now.
    pub can_comment: bool,
    pub comments: ThreadPage,
    /// Amendment id → its comments.
    pub amendment_comments: Vec<(String, ThreadPage)>,
    pub flash: Option<String>,
    /// A refused proposal's input, posted without JavaScript, to fill the form in again.
    pub kept: Option<Vec<(String, String)>>,
}

#[cfg(feature = "ssr")]
pub(super) fn paragraph_path(slug: &str, pid: &str) -> String {
    format!("/recommendations/{slug}/p/{pid}")
}

#[server(prefix = "/fn")]
pub async fn paragraph_page(
    slug: String,
    pid: String,
    thread: Option<String>,
    cpage: Option<usize>,
) -> Result<ParagraphPageData, AppError> {
    use crate::request;
    use shared::drafting::amendments::AmendmentFilter;
    let caller = request::caller()?;
    let ports = request::ports()?;
    let doc = ports.drafting.document(&caller, &slug).await?;
    let (theme_title, paragraph) = doc
        .themes
        .iter()
        .find_map(|t| t.paragraphs.iter().find(|p| p.id == pid).map(|p| (t.title.clone(), p.clone())))
        .ok_or_else(|| AppError::NotFound("There is no such paragraph in this document.".into()))?;
    let amendable = if doc.released == 0 {
        false
    } else if doc.is_draft {
        let released = ports.drafting.version(&caller, &doc.id, doc.released).await?;
        released.themes.iter().any(|t| t.paragraphs.iter().any(|p| p.id == pid))
    } else {
        true
    };
    let amendments =
        ports.amendments.amendments(&caller, &doc.id, AmendmentFilter { paragraph_id: Some(pid.clone()), status: None }, None).await?.items;
    let me = ports.accounts.me(&caller).await?;
    // `?thread=<anchor>&cpage=N` pages through one of the page's threads; the others show page 1.
    let asked = |target: CommentTarget, id: &str| match (&thread, cpage) {
        (Some(t), Some(p)) if *t == thread_anchor(target, Some(id)) => p,
        _ => 1,
    };
    let comments =
        ports.comments.thread(&caller, &doc.id, CommentTarget::Paragraph, Some(pid.clone()), asked(CommentTarget::Paragraph, &pid)).await?;
    let ids: Vec<String> = amendments.iter().map(|a| a.id.clone()).collect();
    let asked_amendment =
        ids.iter().find(|id| asked(CommentTarget::Amendment, id) != 1).map(|id| (id.clone(), asked(CommentTarget::Amendment, id)));
    let amendment_comments = ports.comments.threads_on(&caller, &doc.id, CommentTarget::Amendment, ids, asked_amendment).await?;
    let moderate = shared::drafting::documents::drafts(&caller);
    Ok(ParagraphPageData {
        can_comment: shared::drafting::comments_open(
            doc.status,
            doc.comment_deadline.as_deref(),
            moderate,
            time::OffsetDateTime::now_utc(),
        ),
        comments,
        amendment_comments,
        html: shared::markdown::paragraph_html(&paragraph.text),
        open: shared::drafting::contributions_open(doc.status, doc.comment_deadline.as_deref(), time::OffsetDateTime::now_utc()).is_ok(),
        status: doc.status,
        flash: request::take_flash(&paragraph_path(&doc.slug, &pid)),
        kept: request::take_input(&paragraph_path(&doc.slug, &pid)).await,
        slug: doc.slug,
        title: doc.title,
        theme_title,
        paragraph,
        amendable,
        amendments,
        my_actors: me.actors,
        user_id: caller.user_id.clone(),
        can_decide: shared::drafting::documents::drafts(&caller),
    })
}

#[server(prefix = "/fn")]
pub async fn propose_amendment(
    slug: String,
    paragraph_id: String,
    actor_id: String,
    kind: String,
    text: Option<String>,
    rationale: String,
) -> Result<(), AppError> {
    use crate::request;
    use shared::drafting::amendments::NewAmendment;
    let path = paragraph_path(&slug, &paragraph_id);
    let fields = [
        ("form", "propose"),
        ("kind", kind.as_str()),
        ("text", text.as_deref().unwrap_or_default()),
        ("rationale", &rationale),
        ("actor_id", &actor_id),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let proposed = async {
        let kind = kind.parse().map_err(|_| AppError::validation("kind", "Choose what the amendment does."))?;
        let new = NewAmendment { paragraph_id: paragraph_id.clone(), kind, text, rationale, actor_id };
        request::ports()?.amendments.propose(&request::caller()?, &slug, new).await
    };
    let a = request::keep_if_refused(proposed.await, &path, fields, |_| false).await?;
    request::set_flash(&path, &format!("Amendment {} proposed on behalf of {}.", a.label(), a.actor.name));
    crate::request::redirect(&format!("{path}#a-{}", a.id));
    Ok(())
}

/// `stance` is support, oppose, or none (withdraws the actor's stance).
#[server(prefix = "/fn")]
pub async fn amendment_stance(
    slug: String,
    paragraph_id: String,
    amendment_id: String,
    actor_id: String,
    stance: String,
) -> Result<(), AppError> {
    use crate::request;
    use shared::drafting::amendments::NewStance;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let a = if stance == "none" {
        ports.amendments.remove_stance(&caller, &amendment_id, &actor_id).await?
    } else {
        let stance: StanceKind = stance.parse().map_err(|_| AppError::validation("stance", "Support or oppose?"))?;
        ports.amendments.set_stance(&caller, &amendment_id, NewStance { actor_id, stance }).await?
    };
    let path = paragraph_path(&slug, &paragraph_id);
    request::set_flash(&path, &format!("Your stance on {} is recorded.", a.label()));
    crate::request::redirect(&format!("{path}#a-{}", a.id));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn decide_amendment(
    slug: String,
    paragraph_id: String,
    amendment_id: String,
    decision: String,
    text: Option<String>,
    reason: Option<String>,
    current_text: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    use shared::drafting::amendments::DecisionRequest;
    let decision = decision.parse().map_err(|_| AppError::validation("decision", "Choose a decision."))?;
    let request = DecisionRequest { decision, text, reason, current_text };
    let a = request::ports()?.amendments.decide(&request::caller()?, &amendment_id, request).await?;
    let path = paragraph_path(&slug, &paragraph_id);
    request::set_flash(&path, &format!("{}: {}.", a.label(), a.status.label().to_lowercase()));
    crate::request::redirect(&format!("{path}#a-{}", a.id));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn withdraw_amendment(slug: String, paragraph_id: String, amendment_id: String) -> Result<(), AppError> {
    use crate::request;
    let a = request::ports()?.amendments.withdraw(&request::caller()?, &amendment_id).await?;
    let path = paragraph_path(&slug, &paragraph_id);
    request::set_flash(&path, &format!("{} withdrawn.", a.label()));
    crate::request::redirect(&format!("{path}#a-{}", a.id));
    Ok(())
}
