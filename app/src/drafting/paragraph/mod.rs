//! One paragraph with its amendments: members propose (with a live word diff), support or
//! oppose on behalf of their actors and withdraw their own; the secretariat reviews the queue,
//! each amendment as a diff, and decides. Every form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::{
    drafting::{
        amendments::{AmendmentKind, AmendmentStatus, AmendmentView, StanceKind},
        comments::{CommentTarget, ThreadPage},
        diff::{word_diff, Span},
        documents::ParagraphView,
    },
    network::ActorRef,
};

use super::comments::{use_asked_thread, CommentActions, CommentAlerts, CommentThread, ThreadContext};
use crate::components::{field_error, kept_value, ErrorPanel, FormAlert, FormValue};

mod server_fns;
pub use server_fns::*;

/// The actions of the page, shared by its forms.
#[derive(Clone, Copy)]
struct Actions {
    propose: ServerAction<ProposeAmendment>,
    stance: ServerAction<AmendmentStance>,
    decide: ServerAction<DecideAmendment>,
    withdraw: ServerAction<WithdrawAmendment>,
    comments: CommentActions,
}

#[component]
pub fn ParagraphPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| (p.get("slug").unwrap_or_default(), p.get("pid").unwrap_or_default()));
    let actions = Actions {
        propose: ServerAction::new(),
        stance: ServerAction::new(),
        decide: ServerAction::new(),
        withdraw: ServerAction::new(),
        comments: CommentActions::new(),
    };
    // Reload after a change that worked; after a refused one keep the page (and what was typed).
    let done = RwSignal::new(0u32);
    Effect::new(move |_| {
        // Read every action's value (no short-circuit), so each of them re-runs this.
        let results = [
            matches!(actions.propose.value().get(), Some(Ok(()))),
            matches!(actions.stance.value().get(), Some(Ok(()))),
            matches!(actions.decide.value().get(), Some(Ok(()))),
            matches!(actions.withdraw.value().get(), Some(Ok(()))),
            actions.comments.succeeded(),
        ];
        let ok = results.contains(&true);
        if ok {
            done.update(|n| *n += 1);
        }
    });
    let asked = use_asked_thread();
    let data = Resource::new(
        move || (key(), asked.get(), done.get()),
        |((slug, pid), asked, _)| {
            let (thread, cpage) = asked.unzip();
            paragraph_page(slug, pid, thread, cpage)
        },
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Paragraph data=d actions=actions /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Paragraph(data: ParagraphPageData, actions: Actions) -> AnyView {
    let ParagraphPageData {
        slug,
        title,
        status,
        open,
        theme_title,
        paragraph,
        html,
        amendable,
        amendments,
        my_actors,
        user_id,
        can_decide,
        can_comment,
        comments,
        mut amendment_comments,
        flash,
        kept,
    } = data;
    let back = format!("/recommendations/{slug}/p/{}", paragraph.id);
    let thread = |target: CommentTarget, target_id: &str| ThreadContext {
        slug: slug.clone(),
        target,
        target_id: Some(target_id.to_string()),
        back: back.clone(),
        can_write: can_comment,
        can_moderate: can_decide,
        kept: kept.clone(),
    };
    let paragraph_thread = thread(CommentTarget::Paragraph, &paragraph.id);
    let p = paragraph.clone();
    let proposed = amendments.iter().filter(|a| a.status == AmendmentStatus::Proposed).count();
    let ctx = CardContext { slug: slug.clone(), paragraph_id: p.id.clone(), my_actors: my_actors.clone(), user_id, can_decide, open };
    let can_propose = open && amendable && !my_actors.is_empty();
    view! {
        <Title text=format!("Paragraph {} — {}", p.number, title) />
        <p class="breadcrumb"><a href=format!("/recommendations/{slug}#p-{}", p.id)>{title.clone()}</a>" · "{theme_title}</p>
        <div class="page-head">
            <h1 class="page-title" id="paragraph-title">{format!("Paragraph {}", p.number)}</h1>
            <span class=format!("badge status-{}", p.status.as_str())>{p.status.label()}</span>
        </div>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <FormAlert result=actions.stance.value().into() fields=&[] />
        <FormAlert result=actions.withdraw.value().into() fields=&[] />
        <FormAlert result=actions.decide.value().into() fields=&["text", "reason"] />
        <CommentAlerts actions=actions.comments />
        <article class=format!("paragraph status-{}", p.status.as_str()) aria-labelledby="paragraph-title">
            <div class="paragraph-number">{p.number.clone()}</div>
            <div class="paragraph-body"><div class="paragraph-text" inner_html=html></div></div>
        </article>
        <section aria-labelledby="amendments-title">
            <h2 id="amendments-title">{format!("Amendments ({} proposed, {} in all)", proposed, amendments.len())}</h2>
            {amendments.is_empty().then(|| view! { <p class="empty-state">"No amendments to this paragraph yet."</p> })}
            {amendments.into_iter().map(|a| {
                let comments = amendment_comments.iter().position(|(id, _)| *id == a.id).map(|i| amendment_comments.swap_remove(i).1).unwrap_or_default();
                let thread = thread(CommentTarget::Amendment, &a.id);
                view! { <AmendmentCard a=a ctx=ctx.clone() actions=actions comments=comments thread=thread /> }
            }).collect_view()}
        </section>
        <CommentThread thread=comments ctx=paragraph_thread actions=actions.comments title=format!("Comments on paragraph {}", p.number) />
        {if can_propose {
            view! { <ProposeForm slug=slug.clone() paragraph=paragraph my_actors=my_actors action=actions.propose kept=kept /> }.into_any()
        } else {
            let why = if !open {
                format!("Amendments can be proposed while the document is open for comments or in negotiation; it is {}.", status.label().to_lowercase())
            } else if !amendable {
                "This paragraph is new in the working draft: amendments are proposed to released versions.".to_string()
            } else {
                "To propose an amendment, you need to belong to an organisation of the network (an administrator can add you).".to_string()
            };
            view! { <p class="hint">{why}</p> }.into_any()
        }}
    }
    .into_any()
}

#[derive(Clone)]
struct CardContext {
    slug: String,
    paragraph_id: String,
    my_actors: Vec<ActorRef>,
    user_id: String,
    can_decide: bool,
    open: bool,
}

/// A word diff as HTML (see `diff_html`), for `inner_html`.
pub(crate) fn diff_markup(ops: &[Span]) -> String {
    shared::drafting::diff::diff_html(ops, |_| true)
}

#[component]
fn AmendmentCard(a: AmendmentView, ctx: CardContext, actions: Actions, comments: ThreadPage, thread: ThreadContext) -> AnyView {
    let comment_count = comments.count;
    let proposed = a.status == AmendmentStatus::Proposed;
    let supporters: Vec<String> = a.supporters().map(|x| x.name.clone()).collect();
    let opponents: Vec<String> = a.opponents().map(|x| x.name.clone()).collect();
    let mine = a.proposer_id == ctx.user_id;
    let stance_of = |actor: &str| a.stances.iter().find(|s| s.actor.id == actor).map(|s| s.stance);
    let stance_forms: Vec<_> = if proposed && ctx.open {
        ctx.my_actors.iter().filter(|x| x.id != a.actor.id).map(|x| (x.clone(), stance_of(&x.id))).collect()
    } else {
        Vec::new()
    };
    let label = a.label();
    let hidden = (ctx.slug.clone(), ctx.paragraph_id.clone(), a.id.clone());
    view! {
        <article class=format!("amendment amendment-{}", a.status.as_str()) id=format!("a-{}", a.id) aria-labelledby=format!("ah-{}", a.id)>
            <header class="amendment-head">
                <h3 id=format!("ah-{}", a.id)>{format!("{label} · {}", a.kind.label())}</h3>
                <span class=format!("badge amendment-status-{}", a.status.as_str())>{a.status.label()}</span>
                {a.stale.then(|| view! { <span class="badge badge-stale">"Paragraph changed since"</span> })}
            </header>
            <p class="amendment-meta">
                {format!("Proposed by {} on behalf of ", a.proposed_by)}<strong>{a.actor.name.clone()}</strong>
                {format!(" on {} (against version {})", a.created_at.get(..10).unwrap_or(""), a.base_version)}
            </p>
            <p class="diff-text amendment-diff" inner_html=diff_markup(&a.diff)></p>
            <div class="amendment-rationale"><strong>"Rationale: "</strong>{a.rationale.clone()}</div>
            {a.changes.clone().map(|c| view! {
                <div class="amendment-changes"><p class="diff-side-label">"Accepted with these changes to the proposal:"</p><p class="diff-text" inner_html=diff_markup(&c)></p></div>
            })}
            {a.reason.clone().map(|r| view! { <p class="amendment-reason"><strong>"Reason: "</strong>{r}</p> })}
            <p class="stances">
                {if supporters.is_empty() { "No supporters".to_string() } else { format!("Supported by {}", supporters.join(", ")) }}
                " · "
                {if opponents.is_empty() { "no opponents".to_string() } else { format!("opposed by {}", opponents.join(", ")) }}
            </p>
            {(!stance_forms.is_empty()).then(|| view! {
                <div class="edit-actions">
                    {stance_forms.into_iter().map(|(actor, current)| view! {
                        <StanceButtons hidden=hidden.clone() actor=actor current=current action=actions.stance />
                    }).collect_view()}
                </div>
            })}
            {(proposed && mine).then(|| {
                let (s, p, id) = hidden.clone();
                view! {
                    <ActionForm action=actions.withdraw attr:class="inline-form">
                        <input type="hidden" name="slug" value=s />
                        <input type="hidden" name="paragraph_id" value=p />
                        <input type="hidden" name="amendment_id" value=id />
                        <button type="submit" class="btn btn-small btn-secondary">{format!("Withdraw {label}")}</button>
                    </ActionForm>
                }
            })}
            {(proposed && ctx.can_decide).then(|| view! { <DecisionForms a=a.clone() hidden=hidden.clone() action=actions.decide /> })}
            <details class="amendment-comments" open=comment_count > 0>
                <summary>{format!("Comments on {} ({comment_count})", a.label())}</summary>
                <CommentThread thread=comments ctx=thread actions=actions.comments title=format!("Comments on {}", a.label()) />
            </details>
            <details class="amendment-history">
                <summary>"History"</summary>
                <ol>
                    {a.history.iter().map(|e| view! {
                        <li>
                            {format!("{} — {} by {}", e.at.get(..16).unwrap_or("").replace('T', " "), e.action.label(), e.by)}
                            {e.note.clone().map(|n| format!(": {n}"))}
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        </article>
    }
    .into_any()
}

fn hidden_ids(hidden: &(String, String, String)) -> impl IntoView {
    let (s, p, id) = hidden.clone();
    view! {
        <input type="hidden" name="slug" value=s />
        <input type="hidden" name="paragraph_id" value=p />
        <input type="hidden" name="amendment_id" value=id />
    }
}

#[component]
fn StanceButtons(
    hidden: (String, String, String),
    actor: ActorRef,
    current: Option<StanceKind>,
    action: ServerAction<AmendmentStance>,
) -> impl IntoView {
    let options: Vec<(&'static str, String)> = match current {
        None => {
            vec![("support", format!("Support on behalf of {}", actor.name)), ("oppose", format!("Oppose on behalf of {}", actor.name))]
        }
        Some(StanceKind::Support) => {
            vec![("oppose", format!("Oppose instead ({})", actor.name)), ("none", format!("Withdraw {}'s support", actor.name))]
        }
        Some(StanceKind::Oppose) => {
            vec![("support", format!("Support instead ({})", actor.name)), ("none", format!("Withdraw {}'s opposition", actor.name))]
        }
    };
    options
        .into_iter()
        .map(|(stance, label)| {
            let (hidden, actor_id) = (hidden.clone(), actor.id.clone());
            view! {
                <ActionForm action=action attr:class="inline-form">
                    {hidden_ids(&hidden)}
                    <input type="hidden" name="actor_id" value=actor_id />
                    <input type="hidden" name="stance" value=stance />
                    <button type="submit" class="btn btn-small btn-secondary">{label}</button>
                </ActionForm>
            }
        })
        .collect_view()
}

/// The secretariat's decisions. A stale amendment shows its base, its proposal and the current
/// text, and can only be accepted with changes made from the current text.
#[component]
fn DecisionForms(a: AmendmentView, hidden: (String, String, String), action: ServerAction<DecideAmendment>) -> AnyView {
    let label = a.label();
    let proposal = a.text.clone().unwrap_or_else(|| a.base_text.clone());
    let current = a.current_text.clone();
    let start_text = if a.stale { current.clone().unwrap_or_default() } else { proposal.clone() };
    let (h1, h2, h3, h4) = (hidden.clone(), hidden.clone(), hidden.clone(), hidden);
    let id = a.id.clone();
    let err = move |f: &'static str| move || field_error(action.value().get(), f);
    let (id3, id4, label3, label4) = (id.clone(), id.clone(), label.clone(), label.clone());
    view! {
        <div class="decision card">
            <h4>{format!("Decide on {}", a.label())}</h4>
            {a.stale.then(|| view! {
                <div class="three-texts">
                    <div><p class="diff-side-label">{format!("Its base (version {})", a.base_version)}</p><p>{a.base_text.clone()}</p></div>
                    <div><p class="diff-side-label">"Its proposal"</p><p>{a.text.clone().unwrap_or_else(|| "(delete the paragraph)".into())}</p></div>
                    <div>
                        <p class="diff-side-label">"The working draft now"</p>
                        <p>{current.clone().unwrap_or_else(|| "(no longer in the draft)".into())}</p>
                    </div>
                </div>
            })}
            {(!a.stale).then(|| { let label = label.clone(); view! {
                <ActionForm action=action attr:class="inline-form">
                    {hidden_ids(&h1)}
                    <input type="hidden" name="decision" value="accept" />
                    <button type="submit" class="btn btn-small btn-primary">{format!("Accept {label}")}</button>
                </ActionForm>
            }})}
            {(a.kind != AmendmentKind::InsertAfter || !a.stale || current.is_some()).then(|| { let (label, id, stale, start_text, start_value) = (label.clone(), id.clone(), a.stale, start_text.clone(), start_text.clone()); view! {
                <ActionForm action=action attr:class="form">
                    {hidden_ids(&h2)}
                    <input type="hidden" name="decision" value="accept_with_changes" />
                    {stale.then(|| view! { <input type="hidden" name="current_text" value=current.clone().unwrap_or_default() /> })}
                    <label for=format!("dt-{id}")>{if stale { "Resolved text (from the working draft's text)" } else { "Text to apply" }}</label>
                    <textarea id=format!("dt-{id}") name="text" rows="4" required maxlength="20000" prop:value=FormValue::from(start_value)>{crate::components::textarea_text(&start_text)}</textarea>
                    <p class="field-error">{err("text")}</p>
                    <div class="form-actions"><button type="submit" class="btn btn-small btn-secondary">{format!("Accept {label} with changes")}</button></div>
                </ActionForm>
            }})}
            <ActionForm action=action attr:class="form form-inline">
                {hidden_ids(&h3)}
                <input type="hidden" name="decision" value="reject" />
                <div class="field">
                    <label for=format!("dr-{id3}")>"Reason for rejecting"</label>
                    <input id=format!("dr-{id3}") name="reason" required maxlength="5000" size="40" prop:value=FormValue::from("") />
                    <p class="field-error">{err("reason")}</p>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-small btn-danger">{format!("Reject {label3}")}</button></div>
            </ActionForm>
            <ActionForm action=action attr:class="form form-inline">
                {hidden_ids(&h4)}
                <input type="hidden" name="decision" value="supersede" />
                <div class="field">
                    <label for=format!("ds-{id4}")>"Superseded by (optional note)"</label>
                    <input id=format!("ds-{id4}") name="reason" maxlength="5000" size="40" prop:value=FormValue::from("") />
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-small btn-secondary">{format!("Mark {label4} superseded")}</button></div>
            </ActionForm>
        </div>
    }
    .into_any()
}

/// The proposal form, with a live word diff of the proposed text against the paragraph.
#[component]
fn ProposeForm(
    slug: String,
    paragraph: ParagraphView,
    my_actors: Vec<ActorRef>,
    action: ServerAction<ProposeAmendment>,
    /// A refused proposal's input (posted without JavaScript).
    kept: Option<Vec<(String, String)>>,
) -> AnyView {
    let base = paragraph.text.clone();
    let kept = |name: &str| kept_value(&kept, "propose", name);
    let start_text = kept("text").unwrap_or_else(|| paragraph.text.clone());
    let start_rationale = kept("rationale").unwrap_or_default();
    let start_kind = kept("kind").filter(|k| AmendmentKind::ALL.iter().any(|a| a.as_str() == k)).unwrap_or_else(|| "replace".to_string());
    let start_actor = kept("actor_id");
    let typed = RwSignal::new(start_text.clone());
    let kind = RwSignal::new(start_kind.clone());
    // Text typed before the page became interactive counts too.
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = textarea.get() {
            typed.set(el.value());
        }
    });
    let preview = move || {
        let ops = match kind.get().as_str() {
            "delete" => word_diff(&base, "").ops,
            "insert_after" => word_diff("", &typed.get()).ops,
            _ => word_diff(&base, &typed.get()).ops,
        };
        diff_markup(&ops)
    };
    let err = move |f: &'static str| move || field_error(action.value().get(), f);
    let single = my_actors.len() == 1;
    view! {
        <section class="card" aria-labelledby="propose-title">
            <h2 id="propose-title">"Propose an amendment"</h2>
            <FormAlert result=action.value().into() fields=&["actor_id", "kind", "text", "rationale"] />
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="paragraph_id" value=paragraph.id.clone() />
                <div class="field">
                    <label for="am-actor">"On behalf of"</label>
                    <select id="am-actor" name="actor_id">
                        {my_actors.iter().map(|x| {
                            let selected = single || start_actor.as_deref() == Some(x.id.as_str());
                            view! { <option value=x.id.clone() selected=selected>{x.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error">{err("actor_id")}</p>
                </div>
                <fieldset class="field">
                    <legend>"The amendment"</legend>
                    {AmendmentKind::ALL.iter().map(|k| {
                        let value = k.as_str();
                        view! {
                            <label class="radio">
                                <input type="radio" name="kind" value=value checked=value == start_kind
                                    on:change=move |_| kind.set(value.to_string()) />
                                {k.label()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="am-text">"Proposed text (for a replacement or a new paragraph; Markdown)"</label>
                    <textarea id="am-text" name="text" rows="5" maxlength="20000" aria-describedby="am-text-error" node_ref=textarea
                        prop:value=FormValue::from(start_text.clone()) on:input=move |ev| typed.set(event_target_value(&ev))>{crate::components::textarea_text(&start_text)}</textarea>
                    <p class="field-error" id="am-text-error">{err("text")}</p>
                </div>
                <div class="amendment-preview" role="region" aria-live="polite" aria-labelledby="am-preview-label">
                    <p class="diff-side-label" id="am-preview-label">"What changes"</p>
                    <p class="diff-text" inner_html=preview></p>
                </div>
                <div class="field">
                    <label for="am-rationale">"Rationale"</label>
                    <textarea id="am-rationale" name="rationale" rows="3" required maxlength="5000" aria-describedby="am-rationale-error" prop:value=FormValue::from(start_rationale.clone())>{crate::components::textarea_text(&start_rationale)}</textarea>
                    <p class="field-error" id="am-rationale-error">{err("rationale")}</p>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Propose amendment"</button></div>
            </ActionForm>
        </section>
    }
    .into_any()
}
