//! The compilation text: the current version with every pending amendment inline under its
//! paragraph, attributed, with the actors supporting and opposing it; exportable as Markdown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use shared::{
    drafting::{amendments::AmendmentView, compilation::Compilation},
    AppError,
};

use super::paragraph::diff_spans;
use crate::components::ErrorPanel;

/// The compilation with each paragraph's Markdown rendered (sanitised) on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompilationData {
    pub compilation: Compilation,
    /// Paragraph id → rendered HTML.
    pub html: Vec<(String, String)>,
}

/// One theme at a time (`theme` counts from 1; the first by default): a long negotiation has
/// hundreds of pending amendments.
#[server]
pub async fn compilation_page(slug: String, theme: Option<usize>) -> Result<CompilationData, AppError> {
    use crate::server;
    let theme = theme.unwrap_or(1).max(1) - 1;
    let mut compilation = server::ports()?.amendments.compilation(&server::caller()?, &slug, Some(theme)).await?;
    // The page shows each amendment's change with a little context and who stands where: the
    // full texts, rationales and records are one click away, on the paragraph's page.
    for a in &mut compilation.amendments {
        a.diff = shared::drafting::compilation::condensed(&a.diff, 12);
        a.stances.iter_mut().for_each(|s| s.by.clear());
        (a.base_text, a.rationale) = (String::new(), String::new());
        (a.text, a.current_text, a.decided_text, a.changes) = (None, None, None, None);
        a.history.clear();
    }
    let mut html = Vec::new();
    for t in &mut compilation.themes {
        for p in &mut t.paragraphs {
            html.push((p.id.clone(), shared::markdown::paragraph_html(&p.text)));
            // The page needs the rendered HTML only.
            p.text.clear();
        }
    }
    Ok(CompilationData { compilation, html })
}

#[component]
pub fn CompilationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key =
        move || (params.with(|p| p.get("slug")).unwrap_or_default(), query.with(|q| q.get("theme").and_then(|t| t.parse::<usize>().ok())));
    let data = Resource::new(key, |(slug, theme)| compilation_page(slug, theme));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <CompilationView data=d /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CompilationView(data: CompilationData) -> impl IntoView {
    let CompilationData { compilation: c, html } = data;
    let html_of = move |id: &str| html.iter().find(|(p, _)| p == id).map(|(_, h)| h.clone()).unwrap_or_default();
    let export = format!("/api/v1/documents/{}/compilation?format=md", c.slug);
    let pending: u32 = c.outline.iter().map(|t| t.pending).sum();
    let shown = c.theme_offset;
    let base = format!("/recommendations/{}/compilation", c.slug);
    view! {
        <Title text=format!("Compilation — {}", c.title) />
        <p class="breadcrumb"><a href=format!("/recommendations/{}", c.slug)>{c.title.clone()}</a></p>
        <h1 class="page-title">"Compilation text"</h1>
        <p class="doc-meta">
            {format!(
                "Version {} — {}, with {} pending amendment{} under the paragraphs they amend, one theme at a time · ",
                c.version.number, c.version.label, pending, if pending == 1 { "" } else { "s" }
            )}
            <a href=export download="">"Download the whole compilation as Markdown"</a>
        </p>
        <nav class="theme-tabs" aria-label="Themes">
            <ul>
                {c.outline.iter().enumerate().map(|(i, t)| {
                    let current = i == shown;
                    view! {
                        <li>
                            <a href=format!("{base}?theme={}", i + 1) aria-current=current.then_some("page") class:current=current>
                                {format!("{}. {} ({} pending)", i + 1, t.title, t.pending)}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        {c.themes.iter().enumerate().map(|(t, theme)| view! {
            <section class="theme" aria-labelledby=format!("ct-{}", theme.id)>
                <h2 id=format!("ct-{}", theme.id)><span class="theme-number">{format!("{}.", shown + t + 1)}</span>" "{theme.title.clone()}</h2>
                {theme.paragraphs.iter().map(|p| {
                    let pending: Vec<AmendmentView> = c.amendments_of(&p.id).cloned().collect();
                    view! {
                        <article class=format!("paragraph status-{}", p.status.as_str()) id=format!("p-{}", p.id)>
                            <div class="paragraph-number">{p.number.clone()}</div>
                            <div class="paragraph-body">
                                <div class="paragraph-text" inner_html=html_of(&p.id)></div>
                                {pending.into_iter().map(|a| view! { <CompiledAmendment a=a slug=c.slug.clone() /> }).collect_view()}
                            </div>
                        </article>
                    }
                }).collect_view()}
            </section>
        }).collect_view()}
    }
}

#[component]
fn CompiledAmendment(a: AmendmentView, slug: String) -> impl IntoView {
    let supporters: Vec<String> = a.supporters().map(|x| x.name.clone()).collect();
    let opponents: Vec<String> = a.opponents().map(|x| x.name.clone()).collect();
    view! {
        <aside class="amendment compiled-amendment" aria-label=a.label()>
            <p class="amendment-meta">
                <a href=format!("/recommendations/{slug}/p/{}#a-{}", a.paragraph_id, a.id)><strong>{a.label()}</strong></a>
                {format!(" · {} · proposed by ", a.kind.label())}<strong>{a.actor.name.clone()}</strong>
            </p>
            <p class="diff-text">{diff_spans(&a.diff)}</p>
            <p class="stances">
                {if supporters.is_empty() { "No supporters".to_string() } else { format!("Supported by {}", supporters.join(", ")) }}
                " · "
                {if opponents.is_empty() { "no opponents".to_string() } else { format!("opposed by {}", opponents.join(", ")) }}
            </p>
        </aside>
    }
}
