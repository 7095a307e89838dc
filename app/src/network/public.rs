//! The public directory, without login: the organisations the network made public.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::{
    network::{kind_label, ActorView},
    AppError, Page,
};

use crate::components::{urlencode, ErrorPanel, Pagination};

#[server(prefix = "/fn")]
pub async fn public_directory(q: Option<String>, page: Option<u32>) -> Result<Page<ActorView>, AppError> {
    use shared::{network::ActorQuery, PageRequest};
    let query = ActorQuery { q, page: PageRequest::new(page, None), ..Default::default() };
    crate::request::ports()?.actors.public_actors(query).await
}

#[component]
pub fn PublicDirectoryPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q")).unwrap_or_default();
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()));
    let data = Resource::new(move || (q(), page()), |(q, page)| public_directory(Some(q).filter(|q| !q.is_empty()), page));
    view! {
        <Title text="Public directory" />
        <div class="page-head"><h1 class="page-title">"Public directory"</h1></div>
        <p class="page-lead">"The organisations of the network that chose to be listed publicly."</p>
        <form class="search-form" method="get" action="/directory" role="search">
            <label for="pd-q" class="visually-hidden">"Search organisations"</label>
            <input id="pd-q" type="search" name="q" placeholder="Name, product, municipality…" prop:value=q />
            <button type="submit" class="btn btn-secondary">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.items.is_empty() => view! { <p class="empty-state">"No organisation listed publicly matches."</p> }.into_any(),
                    Ok(p) => {
                        let base = if q().is_empty() { "/directory".to_string() } else { format!("/directory?q={}", urlencode(&q())) };
                        view! {
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption class="visually-hidden">"Organisations"</caption>
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Place"</th><th scope="col">"Products"</th><th scope="col">"Website"</th></tr></thead>
                                    <tbody>
                                        {p.items.iter().map(|a| view! {
                                            <tr>
                                                <td>{a.name.clone()}</td>
                                                <td>{kind_label(&a.kind).to_string()}</td>
                                                <td>{[a.municipality.clone(), a.state.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ")}</td>
                                                <td>{a.products.join(", ")}</td>
                                                <td>{a.website.clone().map(|w| view! { <a href=w.clone() rel="nofollow noopener">{w.clone()}</a> })}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pagination page=p.clone() base=base />
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
