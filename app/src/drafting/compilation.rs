//! The compilation text: the current version with every pending amendment inline under its
//! paragraph, attributed, with the actors supporting and opposing it; exportable as Markdown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use shared::{
    drafting::{
        amendments::AmendmentKind,
        compilation::{CompilationPart, ThemePending},
        documents::VersionSummary,
        ParagraphStatus,
    },
    AppError,
};

use crate::components::ErrorPanel;

/// What the compilation page shows of one theme: each paragraph rendered (Markdown,
/// sanitised) with its pending amendments condensed to their change, pre-rendered on the
/// server. The full texts, rationales and records are one click away, on the paragraph's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompilationData {
    pub slug: String,
    pub title: String,
    pub version: VersionSummary,
    pub outline: Vec<ThemePending>,
    /// The theme shown, counted from 0.
    pub theme: usize,
    /// The theme's parts (see `compilation::parts`) and the one shown, from 0.
    pub parts: Vec<CompilationPart>,
    pub part: usize,
    pub theme_id: String,
    pub theme_title: String,
    pub paragraphs: Vec<CompiledParagraph>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompiledParagraph {
    pub id: String,
    pub number: String,
    pub status: ParagraphStatus,
    pub html: String,
    pub amendments: Vec<CompiledAmendment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompiledAmendment {
    pub id: String,
    pub label: String,
    pub kind: AmendmentKind,
    pub actor: String,
    /// The change with a little context, as HTML (`diff_html`).
    pub diff_html: String,
    pub supporters: Vec<String>,
    pub opponents: Vec<String>,
}

/// One theme at a time (`theme` counts from 1; the first by default), and a long theme in parts
/// of about a hundred pending amendments (`part`, from 1): a long negotiation has hundreds.
#[server(prefix = "/fn")]
pub async fn compilation_page(slug: String, theme: Option<usize>, part: Option<usize>) -> Result<CompilationData, AppError> {
    use crate::request;
    use shared::drafting::diff::diff_html;
    let theme = theme.unwrap_or(1).max(1) - 1;
    let part = part.unwrap_or(1).max(1) - 1;
    let c = request::ports()?.amendments.compilation(&request::caller()?, &slug, Some(theme), part).await?;
    let Some(shown) = c.themes.first() else { return Err(AppError::NotFound("This document has no such theme.".into())) };
    let paragraphs = shown
        .paragraphs
        .iter()
        .map(|p| CompiledParagraph {
            id: p.id.clone(),
            number: p.number.clone(),
            status: p.status,
            html: shared::markdown::paragraph_html(&p.text),
            amendments: c
                .amendments_of(&p.id)
                .map(|a| CompiledAmendment {
                    id: a.id.clone(),
                    label: a.label(),
                    kind: a.kind,
                    actor: a.actor.name.clone(),
                    diff_html: diff_html(&shared::drafting::compilation::condensed(&a.diff, 12), |_| true),
                    supporters: a.supporters().map(|x| x.name.clone()).collect(),
                    opponents: a.opponents().map(|x| x.name.clone()).collect(),
                })
                .collect(),
        })
        .collect();
    Ok(CompilationData {
        theme_id: shown.id.clone(),
        theme_title: shown.title.clone(),
        paragraphs,
        slug: c.slug,
        title: c.title,
        version: c.version,
        outline: c.outline,
        theme: c.theme_offset,
        parts: c.parts,
        part: c.part,
    })
}

#[component]
pub fn CompilationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move |k: &'static str| query.with(|q| q.get(k).and_then(|t| t.parse::<usize>().ok()));
    let key = move || (params.with(|p| p.get("slug")).unwrap_or_default(), number("theme"), number("part"));
    let data = Resource::new(key, |(slug, theme, part)| compilation_page(slug, theme, part));
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
    let c = data;
    let export = format!("/api/v1/documents/{}/compilation?format=md", c.slug);
    let pending: u32 = c.outline.iter().map(|t| t.pending).sum();
    let shown = c.theme;
    let base = format!("/recommendations/{}/compilation", c.slug);
    let slug = c.slug.clone();
    let next_part = c.parts.get(c.part + 1).map(|p| {
        let href = format!("{base}?theme={}&part={}", shown + 1, c.part + 2);
        view! { <p class="next-part"><a href=href rel="next">{format!("Next: paragraphs {}–{} →", p.first, p.last)}</a></p> }
    });
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
        {parts_nav(&c.parts, c.part, &format!("{base}?theme={}", shown + 1))}
        <section class="theme" aria-labelledby=format!("ct-{}", c.theme_id)>
            <h2 id=format!("ct-{}", c.theme_id)><span class="theme-number">{format!("{}.", shown + 1)}</span>" "{c.theme_title.clone()}</h2>
            {c.paragraphs.into_iter().map(|p| {
                let slug = slug.clone();
                view! {
                    <article class=format!("paragraph status-{}", p.status.as_str()) id=format!("p-{}", p.id)>
                        <div class="paragraph-number">{p.number}</div>
                        <div class="paragraph-body">
                            <div class="paragraph-text" inner_html=p.html></div>
                            {p.amendments.into_iter().map(|a| compiled_amendment(a, &slug, &p.id)).collect_view()}
                        </div>
                    </article>
                }
            }).collect_view()}
        </section>
        {next_part}
    }
}

/// The parts of a long theme, as links (none when the theme fits in one).
fn parts_nav(parts: &[CompilationPart], shown: usize, base: &str) -> Option<impl IntoView> {
    (parts.len() > 1).then(|| {
        view! {
            <nav class="compilation-parts" aria-label="Parts of this theme">
                <p class="hint">"This theme has many pending amendments; it is shown in parts:"</p>
                <ul>
                    {parts.iter().enumerate().map(|(i, p)| {
                        let current = i == shown;
                        let span = if p.first == p.last { format!("paragraph {}", p.first) } else { format!("paragraphs {}–{}", p.first, p.last) };
                        view! {
                            <li>
                                <a href=format!("{base}&part={}", i + 1) aria-current=current.then_some("page") class:current=current>
                                    {format!("{span} ({} pending)", p.pending)}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

fn compiled_amendment(a: CompiledAmendment, slug: &str, paragraph_id: &str) -> impl IntoView {
    let stances = format!(
        "{} · {}",
        if a.supporters.is_empty() { "No supporters".to_string() } else { format!("Supported by {}", a.supporters.join(", ")) },
        if a.opponents.is_empty() { "no opponents".to_string() } else { format!("opposed by {}", a.opponents.join(", ")) }
    );
    let aria = a.label.clone();
    view! {
        <aside class="amendment compiled-amendment" aria-label=aria>
            <p class="amendment-meta">
                <a href=format!("/recommendations/{slug}/p/{paragraph_id}#a-{}", a.id)><strong>{a.label}</strong></a>
                {format!(" · {} · proposed by ", a.kind.label())}<strong>{a.actor}</strong>
            </p>
            <p class="diff-text" inner_html=a.diff_html></p>
            <p class="stances">{stances}</p>
        </aside>
    }
}
