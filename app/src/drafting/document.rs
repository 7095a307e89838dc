use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::drafting::{DocumentStatus, ParagraphStatus};

use super::{document_page, DocumentPageData, PublishDocument, ReleaseVersion, SetDocumentStatus, SetParagraphStatus};
use crate::components::{field_error, ErrorPanel, FormAlert, FormValue};

/// A recommendation document: the working draft for the secretariat (with the tools to
/// release it and move it along), the latest released version for everyone else.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let release = ServerAction::<ReleaseVersion>::new();
    let set_status = ServerAction::<SetDocumentStatus>::new();
    let set_paragraph = ServerAction::<SetParagraphStatus>::new();
    let publish = ServerAction::<PublishDocument>::new();
    let data = Resource::new(
        move || (slug(), release.version().get(), set_status.version().get(), set_paragraph.version().get(), publish.version().get()),
        |(slug, ..)| document_page(slug),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Document data=d release set_status set_paragraph publish /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Document(
    data: DocumentPageData,
    release: ServerAction<ReleaseVersion>,
    set_status: ServerAction<SetDocumentStatus>,
    set_paragraph: ServerAction<SetParagraphStatus>,
    publish: ServerAction<PublishDocument>,
) -> AnyView {
    let DocumentPageData { doc, preamble_html, themes, versions, can_draft, open, flash } = data;
    let slug = doc.slug.clone();
    let shown = if doc.is_draft {
        format!("Working draft (draft version {}) · {} released", doc.version, versions.len())
    } else {
        versions
            .iter()
            .find(|v| v.number == doc.version)
            .map(|v| {
                format!("Version {} — {}, released by {} on {}", v.number, v.label, v.released_by, v.released_at.get(..10).unwrap_or(""))
            })
            .unwrap_or_default()
    };
    let compare_href = format!("/recommendations/{slug}/compare");
    view! {
        <Title text=doc.title.clone() />
        <div class="page-head">
            <h1 class="page-title">{doc.title.clone()}</h1>
            <span class=format!("badge status-{}", doc.status.as_str())>{doc.status.label()}</span>
        </div>
        <p class="page-lead">{doc.summary.clone()}</p>
        <p class="doc-meta">
            {shown}
            {doc.comment_deadline.clone().map(|d| format!(" · comments until {}", d.replace('T', " ").trim_end_matches('Z')))}
            {(!versions.is_empty()).then(|| view! { " · " <a href=compare_href.clone()>"Compare versions"</a> })}
            {(!versions.is_empty()).then(|| view! { " · " <a href=format!("/recommendations/{slug}/compilation")>"Compilation text"</a> })}
            {(!versions.is_empty()).then(|| view! { " · " <a href=format!("/recommendations/{slug}/comments")>"Comments on the document"</a> })}
        </p>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        {(doc.status == DocumentStatus::Published).then(|| view! {
            <p class="alert alert-info" role="note">"Published: everyone can read it at "<a href=format!("/r/{slug}")>{format!("/r/{slug}")}</a>"."</p>
        })}
        {can_draft.then(|| view! { <SecretariatTools slug=slug.clone() status=doc.status release set_status publish released=versions.len() /> })}
        {preamble_html.map(|h| view! { <section class="preamble" inner_html=h></section> })}
        {if themes.iter().all(|t| t.paragraphs.is_empty()) {
            Some(view! { <p class="empty-state">"No paragraphs yet."</p> })
        } else {
            None
        }}
        <FormAlert result=set_paragraph.value().into() fields=&["status"] />
        {themes.into_iter().enumerate().map(|(i, theme)| {
            let slug = slug.clone();
            view! {
                <section class="theme" aria-labelledby=format!("theme-{}", theme.id)>
                    <h2 id=format!("theme-{}", theme.id)><span class="theme-number">{format!("{}.", i + 1)}</span>" "{theme.title}</h2>
                    {theme.paragraphs.into_iter().map(|p| {
                        let slug = slug.clone();
                        let (pid, number, status) = (p.id.clone(), p.number.clone(), p.status);
                        view! {
                            <article class=format!("paragraph status-{}", p.status.as_str()) id=format!("p-{}", p.id)>
                                <div class="paragraph-number" aria-label=format!("Paragraph {}", p.number)>{p.number.clone()}</div>
                                <div class="paragraph-body">
                                    <div class="paragraph-text" inner_html=p.html></div>
                                    <div class="paragraph-foot">
                                        {(p.status != ParagraphStatus::Open).then(|| view! { <span class=format!("badge status-{}", p.status.as_str())>{p.status.label()}</span> })}
                                        <a class="paragraph-link" href=format!("/recommendations/{slug}/p/{}", p.id)>
                                            {match (p.amendments, p.proposed) {
                                                (0, _) if open => format!("Amend paragraph {}", p.number),
                                                (0, _) => format!("Paragraph {} in detail", p.number),
                                                (n, 0) => format!("{n} amendment{} to {}", if n == 1 { "" } else { "s" }, p.number),
                                                (n, k) => format!("{n} amendment{} to {} ({k} proposed)", if n == 1 { "" } else { "s" }, p.number),
                                            }}
                                        </a>
                                        {(p.comments > 0).then(|| view! {
                                            <span class="hint">{format!("{} comment{}", p.comments, if p.comments == 1 { "" } else { "s" })}</span>
                                        })}
                                        {can_draft.then(move || view! {
                                            <ActionForm action=set_paragraph attr:class="inline-form">
                                                <input type="hidden" name="slug" value=slug.clone() />
                                                <input type="hidden" name="paragraph_id" value=pid.clone() />
                                                <label class="visually-hidden" for=format!("ps-{pid}")>{format!("Status of paragraph {number}")}</label>
                                                <select id=format!("ps-{pid}") name="status">
                                                    {ParagraphStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == status>{s.label()}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="btn btn-small btn-secondary">"Set"</button>
                                            </ActionForm>
                                        })}
                                    </div>
                                </div>
                            </article>
                        }
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
    }
    .into_any()
}

#[component]
fn SecretariatTools(
    slug: String,
    status: DocumentStatus,
    release: ServerAction<ReleaseVersion>,
    set_status: ServerAction<SetDocumentStatus>,
    publish: ServerAction<PublishDocument>,
    /// How many versions are released.
    #[prop(name = "released")]
    released_count: usize,
) -> AnyView {
    let released = release.value();
    let slug_for_publish = slug.clone();
    let changed = set_status.value();
    let err = move |f: &'static str| move || field_error(released.get(), f);
    let status_err = move |f: &'static str| move || field_error(changed.get(), f);
    let slug_for_status = slug.clone();
    view! {
        <section class="card tools" aria-labelledby="tools-title">
            <h2 id="tools-title">"Secretariat"</h2>
            <p><a class="btn btn-secondary" href=format!("/recommendations/{slug}/edit")>"Edit the draft"</a></p>
            {status.is_frozen().then(|| view! {
                <div>
                    <h3>"Publish"</h3>
                    <FormAlert result=publish.value().into() fields=&[] />
                    <ActionForm action=publish attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug_for_publish />
                        <button type="submit" class="btn btn-primary">{format!("Publish version {released_count}")}</button>
                    </ActionForm>
                    <p class="hint">"Publishing freezes the latest released version and makes it readable by anyone, without logging in."</p>
                </div>
            })}
            <div class="tools-row">
                <div>
                    <h3>"Release the draft"</h3>
                    <FormAlert result=released.into() fields=&["label"] />
                    <ActionForm action=release attr:class="form form-inline">
                        <input type="hidden" name="slug" value=slug />
                        <div class="field">
                            <label for="rv-label">"Label"</label>
                            <input id="rv-label" name="label" required maxlength="100" prop:value=FormValue::from("") placeholder="Zero draft, Rev.1, Chair's proposal…"
                                aria-describedby="rv-label-error" />
                            <p class="field-error" id="rv-label-error">{err("label")}</p>
                        </div>
                        <div class="form-actions"><button type="submit" class="btn btn-primary">"Release version"</button></div>
                    </ActionForm>
                </div>
                <div>
                    <h3>"Status"</h3>
                    <FormAlert result=changed.into() fields=&["status", "comment_deadline"] />
                    <ActionForm action=set_status attr:class="form form-inline">
                        <input type="hidden" name="slug" value=slug_for_status />
                        <div class="field">
                            <label for="ds-status">"Document status"</label>
                            <select id="ds-status" name="status">
                                {DocumentStatus::ALL.iter().filter(|s| **s != DocumentStatus::Published).map(|s| view! {
                                    <option value=s.as_str() selected=*s == status>{s.label()}</option>
                                }).collect_view()}
                            </select>
                            <p class="field-error">{status_err("status")}</p>
                        </div>
                        <div class="field">
                            <label for="ds-deadline">"Comments until (optional)"</label>
                            <input id="ds-deadline" name="comment_deadline" placeholder="2026-12-01T18:00:00Z" aria-describedby="ds-deadline-error" />
                            <p class="field-error" id="ds-deadline-error">{status_err("comment_deadline")}</p>
                        </div>
                        <div class="form-actions"><button type="submit" class="btn btn-secondary">"Change status"</button></div>
                    </ActionForm>
                </div>
            </div>
        </section>
    }
    .into_any()
}
