use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{list_documents, CreateDocument};
use crate::components::{field_error, ErrorPanel, FormAlert, Pagination};

/// The recommendation documents: every one for the secretariat (with a form to start one),
/// released ones for everyone else.
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()));
    let docs = Resource::new(page, list_documents);
    view! {
        <Title text="Recommendations" />
        <h1 class="page-title">"Recommendations"</h1>
        <p class="page-lead">"The network's policy recommendations, negotiated paragraph by paragraph under three themes."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match docs.await {
                    Ok((page, can_create)) => view! {
                        {if page.items.is_empty() {
                            view! { <p class="empty-state">{if can_create { "No documents yet. Start one below." } else { "No recommendations have been released yet." }}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <caption>"Documents"</caption>
                                        <thead><tr><th scope="col">"Title"</th><th scope="col">"Status"</th><th scope="col">"Version"</th></tr></thead>
                                        <tbody>
                                            {page.items.iter().map(|d| view! {
                                                <tr>
                                                    <td>
                                                        <a href=format!("/recommendations/{}", d.slug)>{d.title.clone()}</a>
                                                        {(!d.summary.is_empty()).then(|| view! { <p class="hint">{d.summary.clone()}</p> })}
                                                    </td>
                                                    <td><span class=format!("badge status-{}", d.status.as_str())>{d.status.label()}</span></td>
                                                    <td>{if d.released == 0 { "Not released".to_string() } else { format!("{} released", d.released) }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <Pagination page=page.clone() base="/recommendations".to_string() />
                            }.into_any()
                        }}
                        {can_create.then(|| view! { <NewDocumentForm /> })}
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewDocumentForm() -> impl IntoView {
    let create = ServerAction::<CreateDocument>::new();
    let result = create.value();
    let err = move |f: &'static str| move || field_error(result.get(), f);
    view! {
        <section class="card" aria-labelledby="new-document">
            <h2 id="new-document">"New document"</h2>
            <p class="hint">"It starts with the programme's three themes; you can rename them."</p>
            <FormAlert result=result.into() fields=&["title", "summary", "slug"] />
            <ActionForm action=create attr:class="form">
                <div class="field">
                    <label for="nd-title">"Title"</label>
                    <input id="nd-title" name="title" required maxlength="200"
                        aria-invalid=move || err("title")().is_some().to_string() aria-describedby="nd-title-error" />
                    <p class="field-error" id="nd-title-error">{err("title")}</p>
                </div>
                <div class="field">
                    <label for="nd-summary">"Summary (optional)"</label>
                    <textarea id="nd-summary" name="summary" rows="3" maxlength="2000" aria-describedby="nd-summary-error"></textarea>
                    <p class="field-error" id="nd-summary-error">{err("summary")}</p>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Create document"</button></div>
            </ActionForm>
        </section>
    }
}
