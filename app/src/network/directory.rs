use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::network::{kind_label, OrganicStatus};

use super::{list_actors, CreateActor, DirectoryData};
use crate::components::{field_error, urlencode, ErrorPanel, FormAlert, Pagination};

/// The directory's query string parameters, in the order of the filter form.
const FILTERS: [&str; 6] = ["q", "kind", "state", "organic_status", "tag", "sort"];

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|m| m.get(k)).unwrap_or_default();
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()));
    let create = ServerAction::<CreateActor>::new();
    let opt = |s: String| Some(s).filter(|s| !s.is_empty());
    let actors = Resource::new(
        move || (FILTERS.map(get), page(), create.version().get()),
        move |([q, kind, state, organic, tag, sort], page, _)| {
            list_actors(opt(q), opt(kind), opt(state), opt(organic), opt(tag), opt(sort), page)
        },
    );
    view! {
        <Title text="Network" />
        <div class="page-head">
            <h1 class="page-title">"Network"</h1>
            <nav class="page-actions" aria-label="Network views">
                <a class="btn btn-secondary" href="/network/map">"Map"</a>
                <a class="btn btn-secondary" href="/network/reports">"Gap reports"</a>
                <a class="btn btn-secondary" href="/network/people">"People"</a>
            </nav>
        </div>
        <p class="page-lead">"The organisations of the network: search by name, product, place or description, and filter."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match actors.await {
                    Ok(DirectoryData { page, kinds, can_add }) => {
                        let [q, kind, state, organic, tag, sort] = FILTERS.map(get);
                        let filtered = [&q, &kind, &state, &organic, &tag].iter().any(|v| !v.is_empty());
                        let base = {
                            let parts: Vec<String> = FILTERS.iter().zip([&q, &kind, &state, &organic, &tag, &sort])
                                .filter(|(_, v)| !v.is_empty())
                                .map(|(k, v)| format!("{k}={}", urlencode(v)))
                                .collect();
                            if parts.is_empty() { "/network".to_string() } else { format!("/network?{}", parts.join("&")) }
                        };
                        view! {
                            <form class="filter-form" method="get" action="/network" role="search">
                                <div class="field">
                                    <label for="actor-q">"Search organisations"</label>
                                    <input id="actor-q" type="search" name="q" placeholder="Name, product, municipality…" value=q.clone() />
                                </div>
                                <div class="field">
                                    <label for="actor-kind">"Kind"</label>
                                    <select id="actor-kind" name="kind">
                                        <option value="">"All kinds"</option>
                                        {kinds.iter().map(|k| { let selected = k.id == kind; view! { <option value=k.id.clone() selected=selected>{k.label.clone()}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="actor-state">"State"</label>
                                    <input id="actor-state" name="state" size="3" maxlength="2" placeholder="RS" value=state.clone() />
                                </div>
                                <div class="field">
                                    <label for="actor-organic">"Organic status"</label>
                                    <select id="actor-organic" name="organic_status">
                                        <option value="">"Any"</option>
                                        {OrganicStatus::CHOICES.iter().map(|(k, l)| { let selected = *k == organic; view! { <option value=*k selected=selected>{*l}</option> } }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="actor-tag">"Tag"</label>
                                    <input id="actor-tag" name="tag" size="12" value=tag.clone() />
                                </div>
                                <div class="field">
                                    <label for="actor-sort">"Sort"</label>
                                    <select id="actor-sort" name="sort">
                                        <option value="" selected=sort.is_empty()>{if q.is_empty() { "Name" } else { "Best match" }}</option>
                                        <option value="name" selected=sort == "name">"Name"</option>
                                        <option value="updated" selected=sort == "updated">"Recently changed"</option>
                                    </select>
                                </div>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-secondary">"Search"</button>
                                    {filtered.then(|| view! { <a class="btn btn-link" href="/network">"Clear"</a> })}
                                </div>
                            </form>
                            <p class="muted" role="status">{match page.total { 0 => String::new(), 1 => "1 organisation".to_string(), n => format!("{n} organisations") }}</p>
                            {if page.items.is_empty() {
                                view! { <p class="empty-state">{if filtered { "No organisation matches these filters.".to_string() } else { "No organisations yet.".to_string() }}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data-table">
                                            <caption class="visually-hidden">"Organisations"</caption>
                                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Place"</th><th scope="col">"Products"</th><th scope="col">"Organic status"</th></tr></thead>
                                            <tbody>
                                                {page.items.iter().map(|a| view! {
                                                    <tr>
                                                        <td><a href=format!("/network/actors/{}", a.id)>{a.name.clone()}</a></td>
                                                        <td><span class="kind">{kind_label(&a.kind).to_string()}</span></td>
                                                        <td>{[a.municipality.clone(), a.state.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ")}</td>
                                                        <td>{a.products.join(", ")}</td>
                                                        <td>{a.organic_status.map(OrganicStatus::label).unwrap_or_default().to_string()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pagination page=page.clone() base=base />
                                }.into_any()
                            }}
                            {can_add.then(|| view! {
                                <p><a class="btn btn-secondary" href="/network/import">"Import from a CSV file"</a></p>
                                <NewActorForm action=create kinds=kinds.clone() />
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewActorForm(action: ServerAction<CreateActor>, kinds: Vec<shared::network::ActorKind>) -> impl IntoView {
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
                            {kinds.into_iter().map(|k| view! { <option value=k.id.clone()>{k.label.clone()}</option> }).collect_view()}
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
