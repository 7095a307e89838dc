use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::network::{kind_label, ACTOR_KINDS};

use super::{list_actors, CreateActor};
use crate::components::{field_error, urlencode, ErrorPanel, FormAlert, Pagination};

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q")).unwrap_or_default();
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()));
    let create = ServerAction::<CreateActor>::new();
    let actors = Resource::new(move || (q(), page(), create.version().get()), |(q, page, _)| list_actors(Some(q), page));
    view! {
        <Title text="Network" />
        <div class="page-head">
            <h1 class="page-title">"Network"</h1>
        </div>
        <p class="page-lead">"The organisations of the network. The map, relations and reports are coming soon."</p>
        <form class="search-form" method="get" action="/network" role="search">
            <label for="actor-q" class="visually-hidden">"Search organisations"</label>
            <input id="actor-q" type="search" name="q" placeholder="Search by name" prop:value=q />
            <button type="submit" class="btn btn-secondary">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match actors.await {
                    Ok((page, can_add)) => {
                        let q = q();
                        let base = if q.is_empty() { "/network".to_string() } else { format!("/network?q={}", urlencode(&q)) };
                        view! {
                            {if page.items.is_empty() {
                                view! { <p class="empty-state">{if q.is_empty() { "No organisations yet.".to_string() } else { format!("No organisation matches “{q}”.") }}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data-table">
                                            <caption>"Organisations"</caption>
                                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Place"</th></tr></thead>
                                            <tbody>
                                                {page.items.iter().map(|a| view! {
                                                    <tr>
                                                        <td>{a.name.clone()}</td>
                                                        <td><span class="kind">{kind_label(&a.kind).to_string()}</span></td>
                                                        <td>{[a.municipality.clone(), a.state.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ")}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pagination page=page.clone() base=base />
                                }.into_any()
                            }}
                            {can_add.then(|| view! { <NewActorForm action=create /> })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewActorForm(action: ServerAction<CreateActor>) -> impl IntoView {
    let result = action.value();
    let err = move |f: &'static str| move || field_error(result.get(), f);
    view! {
        <section class="card" aria-labelledby="new-actor">
            <h2 id="new-actor">"Add an organisation"</h2>
            {move || match result.get() {
                Some(Ok(a)) => Some(view! { <div class="alert alert-success" role="status">{format!("“{}” added to the network.", a.name)}</div> }),
                _ => None,
            }}
            <FormAlert result=result.into() fields=&["name", "kind", "state", "municipality"] />
            <ActionForm action=action attr:class="form">
                <div class="field-row">
                    <div class="field">
                        <label for="na-name">"Name"</label>
                        <input id="na-name" name="name" required maxlength="200"
                            aria-invalid=move || err("name")().is_some().to_string() aria-describedby="na-name-error" />
                        <p class="field-error" id="na-name-error">{err("name")}</p>
                    </div>
                    <div class="field">
                        <label for="na-kind">"Kind"</label>
                        <select id="na-kind" name="kind" required aria-describedby="na-kind-error">
                            {ACTOR_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                        </select>
                        <p class="field-error" id="na-kind-error">{err("kind")}</p>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="na-municipality">"Municipality"</label>
                        <input id="na-municipality" name="municipality" maxlength="120" aria-describedby="na-municipality-error" />
                        <p class="field-error" id="na-municipality-error">{err("municipality")}</p>
                    </div>
                    <div class="field">
                        <label for="na-state">"State (UF)"</label>
                        <input id="na-state" name="state" maxlength="2" size="3" placeholder="RS" aria-describedby="na-state-error" />
                        <p class="field-error" id="na-state-error">{err("state")}</p>
                    </div>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Add organisation"</button></div>
            </ActionForm>
        </section>
    }
}
