use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::drafting::{
    compare::{Change, ParagraphChange},
    diff::{diff_html, Op},
};

use super::compare_versions;
use crate::components::ErrorPanel;

/// Two versions side by side or inline: paragraphs by identity, words marked inserted or
/// deleted, with counts.
#[component]
pub fn ComparePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let num = move |k: &'static str| query.with(|m| m.get(k).and_then(|v| v.parse::<u32>().ok()));
    let side = move || query.with(|m| m.get("view")).as_deref() == Some("side");
    let data = Resource::new(move || (slug(), num("from"), num("to")), |(slug, from, to)| compare_versions(slug, from, to));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((doc, diff, versions, from, to)) => {
                        let s = diff.stats;
                        let to_label = match to {
                            Some(n) => format!("version {n}"),
                            None => "the working draft".to_string(),
                        };
                        let side = side();
                        let base = format!("/recommendations/{}", doc.slug);
                        view! {
                            <Title text=format!("Compare — {}", doc.title) />
                            <p class="breadcrumb"><a href=base.clone()>{doc.title.clone()}</a></p>
                            <h1 class="page-title">{format!("Changes from version {from} to {to_label}")}</h1>
                            <form class="compare-form" method="get" action=format!("{base}/compare")>
                                <div class="field">
                                    <label for="cmp-from">"From"</label>
                                    <select id="cmp-from" name="from">
                                        {versions.iter().map(|v| view! { <option value=v.number.to_string() selected=v.number == from>{format!("{} — {}", v.number, v.label)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="cmp-to">"To"</label>
                                    <select id="cmp-to" name="to">
                                        {doc.is_draft.then(|| view! { <option value="" selected=to.is_none()>"Working draft"</option> })}
                                        {versions.iter().map(|v| view! { <option value=v.number.to_string() selected=Some(v.number) == to>{format!("{} — {}", v.number, v.label)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="cmp-view">"Show"</label>
                                    <select id="cmp-view" name="view">
                                        <option value="inline" selected=!side>"Inline"</option>
                                        <option value="side" selected=side>"Side by side"</option>
                                    </select>
                                </div>
                                <button type="submit" class="btn btn-secondary">"Compare"</button>
                            </form>
                            <ul class="diff-stats" aria-label="Changes">
                                <li>{format!("{} modified", s.modified)}</li>
                                <li>{format!("{} inserted", s.inserted)}</li>
                                <li>{format!("{} deleted", s.deleted)}</li>
                                <li>{format!("{} moved", s.moved)}</li>
                                <li>{format!("{} unchanged", s.unchanged)}</li>
                                <li>{format!("+{} / −{} words", s.inserted_words, s.deleted_words)}</li>
                            </ul>
                            {if diff.is_unchanged() {
                                Some(view! { <p class="empty-state">"No changes between these versions."</p> })
                            } else {
                                None
                            }}
                            <div class="diff">
                                {diff.paragraphs.into_iter().map(|p| view! { <ChangedParagraph p=p side=side /> }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChangedParagraph(p: ParagraphChange, side: bool) -> impl IntoView {
    let number = match (&p.old_number, &p.new_number) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (_, Some(n)) => n.clone(),
        (Some(o), None) => o.clone(),
        (None, None) => String::new(),
    };
    let mut label = p.change.label().to_string();
    if p.moved && p.change == Change::Modified {
        label.push_str(" and moved");
    }
    let counts = (p.change == Change::Modified).then(|| format!("+{} −{} words", p.inserted_words, p.deleted_words));
    let change = p.change;
    view! {
        <article class=format!("diff-paragraph change-{}", serde_label(change)) id=format!("d-{}", p.id) aria-labelledby=format!("dh-{}", p.id)>
            <header class="diff-head" id=format!("dh-{}", p.id)>
                <span class="paragraph-number">{number}</span>
                <span class=format!("badge change-badge change-{}", serde_label(change))>{label}</span>
                {counts.map(|c| view! { <span class="hint">{c}</span> })}
            </header>
            {if side && change == Change::Modified {
                view! {
                    <div class="diff-sides">
                        <div class="diff-side"><p class="diff-side-label">"Before"</p><p inner_html=diff_html(&p.ops, |op| op != Op::Insert)></p></div>
                        <div class="diff-side"><p class="diff-side-label">"After"</p><p inner_html=diff_html(&p.ops, |op| op != Op::Delete)></p></div>
                    </div>
                }.into_any()
            } else {
                view! { <p class="diff-text" inner_html=diff_html(&p.ops, |_| true)></p> }.into_any()
            }}
        </article>
    }
}

fn serde_label(c: Change) -> &'static str {
    match c {
        Change::Inserted => "inserted",
        Change::Deleted => "deleted",
        Change::Moved => "moved",
        Change::Modified => "modified",
        Change::Unchanged => "unchanged",
    }
}
