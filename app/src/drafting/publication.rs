//! Published documents, readable by anyone without logging in: the frozen text, the amendment
//! trail of each paragraph, the other published versions, Markdown and JSON; print-friendly.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use shared::{
    drafting::publication::{trail_line, Publication},
    AppError,
};

use crate::components::ErrorPanel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationData {
    pub publication: Publication,
    pub preamble_html: Option<String>,
    /// Paragraph id → rendered, sanitised HTML.
    pub html: Vec<(String, String)>,
}

/// No login needed: a published text is public.
#[server(prefix = "/fn")]
pub async fn publication_page(slug: String, version: Option<u32>) -> Result<PublicationData, AppError> {
    let mut publication = crate::request::ports()?.drafting.publication(&slug, version).await?;
    let mut html = Vec::new();
    for t in &mut publication.themes {
        for p in &mut t.paragraphs {
            html.push((p.id.clone(), shared::markdown::paragraph_html(&p.text)));
            p.text.clear();
        }
    }
    Ok(PublicationData { preamble_html: publication.preamble.as_deref().map(shared::markdown::to_html), publication, html })
}

#[component]
pub fn PublicationPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| (p.get("slug").unwrap_or_default(), p.get("n").and_then(|n| n.parse::<u32>().ok())));
    let data = Resource::new(key, |(slug, n)| publication_page(slug, n));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <PublishedText data=d /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublishedText(data: PublicationData) -> impl IntoView {
    let PublicationData { publication: p, preamble_html, html } = data;
    let html_of = move |id: &str| html.iter().find(|(x, _)| x == id).map(|(_, h)| h.clone()).unwrap_or_default();
    let v = p.version.clone();
    let latest = p.published.last().map(|l| l.number) == Some(v.number);
    let base = if latest { format!("/r/{}", p.slug) } else { format!("/r/{}/v/{}", p.slug, v.number) };
    view! {
        <Title text=format!("{} — {}", p.title, v.label) />
        <Meta name="description" content=p.summary.clone() />
        <article class="publication">
            <header class="publication-head">
                <h1 class="page-title">{p.title.clone()}</h1>
                {(!p.summary.is_empty()).then(|| view! { <p class="page-lead">{p.summary.clone()}</p> })}
                <p class="doc-meta">
                    {format!("{} (version {}), published by {} on {}", v.label, v.number, v.published_by, v.published_at.get(..10).unwrap_or(""))}
                </p>
                {(!latest).then(|| view! {
                    <p class="alert alert-info" role="note">
                        "This is an earlier published version. "
                        <a href=format!("/r/{}", p.slug)>"Read the latest"</a>
                    </p>
                })}
                <nav class="publication-links" aria-label="Other formats">
                    <a href=format!("{base}.md")>"Markdown"</a>" · "
                    <a href=format!("{base}.json")>"JSON"</a>" · "
                    <span class="hint">"Print this page for a PDF."</span>
                </nav>
            </header>
            {preamble_html.map(|h| view! { <section class="preamble" inner_html=h></section> })}
            {p.themes.iter().enumerate().map(|(t, theme)| view! {
                <section class="theme" aria-labelledby=format!("pt-{}", theme.id)>
                    <h2 id=format!("pt-{}", theme.id)><span class="theme-number">{format!("{}.", t + 1)}</span>" "{theme.title.clone()}</h2>
                    {theme.paragraphs.iter().map(|para| {
                        let trail = p.trail_of(&para.id).to_vec();
                        view! {
                            <div class="paragraph" id=format!("p-{}", para.id)>
                                <div class="paragraph-number">{para.number.clone()}</div>
                                <div class="paragraph-body">
                                    <div class="paragraph-text" inner_html=html_of(&para.id)></div>
                                    {(!trail.is_empty()).then(|| view! {
                                        <div class="trail" role="group" aria-label=format!("Amendment trail of {}", para.number)>
                                            <p class="trail-title">"Amendment trail"</p>
                                            <ul>{trail.iter().map(|e| view! { <li>{trail_line(e)}</li> }).collect_view()}</ul>
                                        </div>
                                    })}
                                </div>
                            </div>
                        }
                    }).collect_view()}
                </section>
            }).collect_view()}
            {(p.published.len() > 1).then(|| view! {
                <section class="published-versions" aria-labelledby="pv-title">
                    <h2 id="pv-title">"Published versions"</h2>
                    <ul>
                        {p.published.iter().rev().map(|x| view! {
                            <li><a href=format!("/r/{}/v/{}", p.slug, x.number)>{format!("{} (version {})", x.label, x.number)}</a>
                                {format!(", published on {}", x.published_at.get(..10).unwrap_or(""))}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
