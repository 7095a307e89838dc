//! Threaded comments with a stance, on the document, a paragraph or an amendment: write,
//! reply, edit (the author, for 15 minutes), hide with a reason and resolve (the secretariat).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use shared::{
    drafting::comments::{thread_anchor, CommentStance, CommentTarget, CommentView, ThreadPage},
    AppError,
};

use crate::components::{field_error, kept_value, ErrorPanel, FormAlert, FormValue};

/// Where a thread lives and what the reader may do in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadContext {
    pub slug: String,
    pub target: CommentTarget,
    pub target_id: Option<String>,
    /// The page to come back to after a change.
    pub back: String,
    /// The reader may write (the document takes comments).
    pub can_write: bool,
    pub can_moderate: bool,
    /// A refused comment's input on this page, posted without JavaScript, to fill its form
    /// in again (see `CommentForm`).
    #[serde(default)]
    pub kept: Option<Vec<(String, String)>>,
}

/// The key of a comment form on its page: its target and the comment it answers.
pub fn comment_form_key(target: &str, target_id: Option<&str>, parent: Option<&str>) -> String {
    format!("{target}-{}-{}", target_id.unwrap_or_default(), parent.unwrap_or_default())
}

/// The actions of the comment forms, shared by every thread of a page.
#[derive(Clone, Copy)]
pub struct CommentActions {
    pub add: ServerAction<AddComment>,
    pub edit: ServerAction<EditComment>,
    pub hide: ServerAction<HideComment>,
    pub resolve: ServerAction<ResolveComment>,
}

impl CommentActions {
    pub fn new() -> Self {
        CommentActions { add: ServerAction::new(), edit: ServerAction::new(), hide: ServerAction::new(), resolve: ServerAction::new() }
    }
    /// True once any of them succeeded (the page reloads its data then).
    pub fn succeeded(&self) -> bool {
        // Every value read (no short-circuit), so a reactive caller tracks all four.
        [
            matches!(self.add.value().get(), Some(Ok(()))),
            matches!(self.edit.value().get(), Some(Ok(()))),
            matches!(self.hide.value().get(), Some(Ok(()))),
            matches!(self.resolve.value().get(), Some(Ok(()))),
        ]
        .contains(&true)
    }
}

impl Default for CommentActions {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "ssr")]
fn back_to(back: &str, anchor: &str) -> String {
    let path = crate::request::safe_next(Some(back));
    crate::request::set_flash(&path, anchor.split('|').nth(1).unwrap_or_default());
    format!("{path}#{}", anchor.split('|').next().unwrap_or_default())
}

#[server(prefix = "/fn")]
pub async fn add_comment(
    slug: String,
    back: String,
    target: String,
    target_id: Option<String>,
    parent_id: Option<String>,
    stance: String,
    body: String,
) -> Result<(), AppError> {
    use crate::request;
    use shared::drafting::comments::NewComment;
    let key = comment_form_key(&target, target_id.as_deref(), parent_id.as_deref());
    let fields = [("form", "comment"), ("key", key.as_str()), ("stance", stance.as_str()), ("body", body.as_str())]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec();
    let added = async {
        let target = target.parse().map_err(|_| AppError::validation("target", "What is the comment about?"))?;
        let stance = stance.parse().map_err(|_| AppError::validation("stance", "Choose for, against or neutral."))?;
        let new = NewComment { target, target_id, parent_id, stance, body };
        request::ports()?.comments.add_comment(&request::caller()?, &slug, new).await
    };
    let c = request::keep_if_refused(added.await, &request::safe_next(Some(&back)), fields, |_| false).await?;
    crate::request::redirect(&back_to(&back, &format!("c-{}|Comment added.", c.id)));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn edit_comment(back: String, comment_id: String, body: String) -> Result<(), AppError> {
    use crate::request;
    let c = request::ports()?.comments.edit_comment(&request::caller()?, &comment_id, &body).await?;
    crate::request::redirect(&back_to(&back, &format!("c-{}|Comment saved.", c.id)));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn hide_comment(back: String, comment_id: String, reason: String) -> Result<(), AppError> {
    use crate::request;
    let c = request::ports()?.comments.hide_comment(&request::caller()?, &comment_id, &reason).await?;
    crate::request::redirect(&back_to(&back, &format!("c-{}|Comment hidden; the reason is kept in the record.", c.id)));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn resolve_comment(back: String, comment_id: String, resolved: String) -> Result<(), AppError> {
    use crate::request;
    let resolved = resolved == "true";
    let c = request::ports()?.comments.resolve_comment(&request::caller()?, &comment_id, resolved).await?;
    let done = if resolved { "Comment marked resolved." } else { "Comment reopened." };
    crate::request::redirect(&back_to(&back, &format!("c-{}|{done}", c.id)));
    Ok(())
}

/// The thread and the page of it the address asks for (`?thread=…&cpage=N`).
pub fn use_asked_thread() -> Memo<Option<(String, usize)>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| Some((q.get("thread")?, q.get("cpage")?.parse().ok()?))))
}

/// A thread: one page of its comments in thread order, each with its forms, then a form for a
/// new one. Which page is the server's choice (`?thread=<this thread>&cpage=N`, plain links), so
/// only that page's comments travel to the page.
#[component]
pub fn CommentThread(thread: ThreadPage, ctx: ThreadContext, actions: CommentActions, title: String) -> AnyView {
    let ThreadPage { items: ordered, page, pages, count: n } = thread;
    let heading_id = thread_anchor(ctx.target, ctx.target_id.as_deref());
    let labelled_by = heading_id.clone();
    let page_link = |to: usize| format!("{}?thread={heading_id}&cpage={to}#{heading_id}", ctx.back);
    let pager = (pages > 1).then(|| {
        let prev = (page > 1).then(|| page_link(page - 1));
        let next = (page < pages).then(|| page_link(page + 1));
        view! {
            <nav class="pagination" aria-label=format!("Pages of “{title}”")>
                {prev.map(|href| view! { <a href=href rel="prev">"← Earlier comments"</a> })}
                <span class="pagination-info">{format!("Page {page} of {pages}")}</span>
                {next.map(|href| view! { <a href=href rel="next">"Later comments →"</a> })}
            </nav>
        }
    });
    view! {
        <section class="comments" aria-labelledby=labelled_by>
            <h3 id=heading_id>{format!("{title} ({n})")}</h3>
            {ordered.is_empty().then(|| view! { <p class="empty-state">"No comments yet."</p> })}
            <ol class="comment-list">
                {ordered.into_iter().map(|(c, depth)| view! { <Comment c=c depth=depth ctx=ctx.clone() actions=actions /> }).collect_view()}
            </ol>
            {pager}
            {ctx.can_write.then(|| view! { <CommentForm ctx=ctx.clone() parent=None action=actions.add /> })}
        </section>
    }
    .into_any()
}

fn ids(ctx: &ThreadContext) -> impl IntoView {
    view! {
        <input type="hidden" name="slug" value=ctx.slug.clone() />
        <input type="hidden" name="back" value=ctx.back.clone() />
        <input type="hidden" name="target" value=ctx.target.as_str() />
        <input type="hidden" name="target_id" value=ctx.target_id.clone().unwrap_or_default() />
    }
}

#[component]
fn Comment(c: CommentView, depth: usize, ctx: ThreadContext, actions: CommentActions) -> AnyView {
    let id = c.id.clone();
    let (e_id, h_id, r_id) = (id.clone(), id.clone(), id.clone());
    let (back_e, back_h, back_r) = (ctx.back.clone(), ctx.back.clone(), ctx.back.clone());
    let resolved_next = if c.resolved { "false" } else { "true" };
    // A refused reply to this comment is shown open, with what was typed.
    let replying = kept_value(&ctx.kept, "comment", "key").as_deref()
        == Some(comment_form_key(ctx.target.as_str(), ctx.target_id.as_deref(), Some(&c.id)).as_str());
    let body_for_edit = c.body.clone().unwrap_or_default();
    let body_value = body_for_edit.clone();
    view! {
        <li class=format!("comment{}{}", if c.hidden { " comment-hidden" } else { "" }, if c.resolved { " comment-resolved" } else { "" }) id=format!("c-{id}")
            style=format!("margin-left: {}rem", depth * 2)>
            <p class="comment-meta">
                <strong>{c.author.clone()}</strong>
                " "<span class=format!("badge stance-{}", c.stance.as_str())>{c.stance.label()}</span>
                {format!(" · {}", c.created_at.get(..16).unwrap_or("").replace('T', " "))}
                {c.edited_at.is_some().then_some(" · edited")}
                {c.resolved.then(|| view! { " " <span class="badge badge-resolved">{format!("Resolved{}", c.resolved_by.clone().map(|b| format!(" by {b}")).unwrap_or_default())}</span> })}
            </p>
            {c.hidden.then(|| view! {
                <p class="comment-hidden-note">
                    {format!("Hidden by {}: {}", c.hidden_by.clone().unwrap_or_else(|| "the secretariat".into()), c.hidden_reason.clone().unwrap_or_default())}
                </p>
            })}
            {c.html.clone().map(|h| view! { <div class="comment-body" inner_html=h></div> })}
            <div class="comment-actions">
                {(ctx.can_write && !c.hidden).then(|| view! {
                    <details open=replying><summary>"Reply"</summary><CommentForm ctx=ctx.clone() parent=Some(c.id.clone()) action=actions.add /></details>
                })}
                {c.editable.then(|| view! {
                    <details>
                        <summary>"Edit"</summary>
                        <ActionForm action=actions.edit attr:class="form">
                            <input type="hidden" name="back" value=back_e />
                            <input type="hidden" name="comment_id" value=e_id.clone() />
                            <label for=format!("ce-{e_id}")>"Your comment"</label>
                            <textarea id=format!("ce-{e_id}") name="body" rows="3" required maxlength="10000" prop:value=FormValue::from(body_value)>{crate::components::textarea_text(&body_for_edit)}</textarea>
                            <div class="form-actions"><button type="submit" class="btn btn-small btn-secondary">"Save comment"</button></div>
                        </ActionForm>
                    </details>
                })}
                {(ctx.can_moderate && !c.hidden).then(|| view! {
                    <details>
                        <summary>"Hide"</summary>
                        <ActionForm action=actions.hide attr:class="form form-inline">
                            <input type="hidden" name="back" value=back_h />
                            <input type="hidden" name="comment_id" value=h_id.clone() />
                            <div class="field">
                                <label for=format!("ch-{h_id}")>"Reason (kept in the record)"</label>
                                <input id=format!("ch-{h_id}") name="reason" required maxlength="1000" prop:value=FormValue::from("") />
                            </div>
                            <div class="form-actions"><button type="submit" class="btn btn-small btn-danger">"Hide comment"</button></div>
                        </ActionForm>
                    </details>
                })}
                {ctx.can_moderate.then(|| view! {
                    <ActionForm action=actions.resolve attr:class="inline-form">
                        <input type="hidden" name="back" value=back_r />
                        <input type="hidden" name="comment_id" value=r_id />
                        <input type="hidden" name="resolved" value=resolved_next />
                        <button type="submit" class="btn btn-small btn-secondary">{if c.resolved { "Reopen" } else { "Mark resolved" }}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
    .into_any()
}

#[component]
fn CommentForm(ctx: ThreadContext, parent: Option<String>, action: ServerAction<AddComment>) -> AnyView {
    let key = comment_form_key(ctx.target.as_str(), ctx.target_id.as_deref(), parent.as_deref());
    let mine = kept_value(&ctx.kept, "comment", "key").as_deref() == Some(key.as_str());
    let kept = |name: &str| if mine { kept_value(&ctx.kept, "comment", name) } else { None };
    let body = kept("body").unwrap_or_default();
    let stance = kept("stance").and_then(|s| s.parse::<CommentStance>().ok()).unwrap_or(CommentStance::Neutral);
    let err = move |f: &'static str| move || field_error(action.value().get(), f);
    let label = if parent.is_some() { "Your reply" } else { "Your comment (Markdown)" };
    view! {
        <ActionForm action=action attr:class="form comment-form">
            {ids(&ctx)}
            <input type="hidden" name="parent_id" value=parent.clone().unwrap_or_default() />
            <div class="field">
                <label for=format!("cs-{key}")>"Stance"</label>
                <select id=format!("cs-{key}") name="stance">
                    {CommentStance::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == stance>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("cb-{key}")>{label}</label>
                <textarea id=format!("cb-{key}") name="body" rows="3" required maxlength="10000" prop:value=FormValue::from(body.clone())>{crate::components::textarea_text(&body)}</textarea>
                <p class="field-error">{err("body")}</p>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-small btn-primary">{if parent.is_some() { "Reply" } else { "Add comment" }}</button>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// Alerts for the comment actions of a page.
#[component]
pub fn CommentAlerts(actions: CommentActions) -> impl IntoView {
    view! {
        <FormAlert result=actions.add.value().into() fields=&["body"] />
        <FormAlert result=actions.edit.value().into() fields=&[] />
        <FormAlert result=actions.hide.value().into() fields=&[] />
        <FormAlert result=actions.resolve.value().into() fields=&[] />
    }
}

/// The document-wide comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCommentsData {
    pub title: String,
    pub comments: ThreadPage,
    pub ctx: ThreadContext,
    pub flash: Option<String>,
}

#[server(prefix = "/fn")]
pub async fn document_comments(slug: String, thread: Option<String>, cpage: Option<usize>) -> Result<DocumentCommentsData, AppError> {
    use crate::request;
    let caller = request::caller()?;
    let ports = request::ports()?;
    let doc = ports.drafting.document(&caller, &slug).await?;
    let page = if thread.as_deref() == Some(thread_anchor(CommentTarget::Document, None).as_str()) { cpage.unwrap_or(1) } else { 1 };
    let comments = ports.comments.thread(&caller, &doc.id, CommentTarget::Document, None, page).await?;
    let back = format!("/recommendations/{}/comments", doc.slug);
    let moderate = shared::drafting::documents::drafts(&caller);
    Ok(DocumentCommentsData {
        flash: request::take_flash(&back),
        ctx: ThreadContext {
            slug: doc.slug.clone(),
            target: CommentTarget::Document,
            target_id: None,
            kept: request::take_input(&back).await,
            back,
            can_write: shared::drafting::comments_open(
                doc.status,
                doc.comment_deadline.as_deref(),
                moderate,
                time::OffsetDateTime::now_utc(),
            ),
            can_moderate: moderate,
        },
        title: doc.title,
        comments,
    })
}

#[component]
pub fn DocumentCommentsPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let actions = CommentActions::new();
    let done = RwSignal::new(0u32);
    Effect::new(move |_| {
        if actions.succeeded() {
            done.update(|n| *n += 1);
        }
    });
    let asked = use_asked_thread();
    let data = Resource::new(
        move || (slug(), asked.get(), done.get()),
        |(slug, asked, _)| {
            let (thread, cpage) = asked.unzip();
            document_comments(slug, thread, cpage)
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <Title text=format!("Comments — {}", d.title) />
                        <p class="breadcrumb"><a href=format!("/recommendations/{}", d.ctx.slug)>{d.title.clone()}</a></p>
                        <h1 class="page-title">"Comments on the document"</h1>
                        {d.flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
                        <CommentAlerts actions=actions />
                        <CommentThread thread=d.comments ctx=d.ctx actions=actions title="General comments".to_string() />
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
