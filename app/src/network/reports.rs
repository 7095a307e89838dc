//! Gap reports (who lacks certification, technical assistance, buyers or suppliers, who has no
//! relation at all) and the network's brokers (betweenness centrality).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};
use shared::{
    network::{kind_label, ActorMetricsView, GapReport},
    AppError,
};

use crate::components::ErrorPanel;

/// How many brokers the page lists.
#[cfg(feature = "ssr")]
const BROKERS: usize = 15;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportsData {
    pub reports: Vec<GapReport>,
    pub brokers: Vec<ActorMetricsView>,
    pub actors: usize,
    pub components: usize,
}

#[server(prefix = "/fn")]
pub async fn network_reports() -> Result<ReportsData, AppError> {
    use crate::request;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let reports = ports.graph.gaps(&caller).await?;
    let metrics = ports.graph.metrics(&caller).await?;
    Ok(ReportsData {
        reports,
        actors: metrics.actors.len(),
        components: metrics.components,
        brokers: metrics.actors.into_iter().filter(|a| a.betweenness > 0.0).take(BROKERS).collect(),
    })
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| network_reports());
    view! {
        <Title text="Gap reports" />
        <p class="breadcrumb"><a href="/network">"Network"</a></p>
        <div class="page-head"><h1 class="page-title">"Gap reports"</h1></div>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Reports data=d /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reports(data: ReportsData) -> AnyView {
    let ReportsData { reports, brokers, actors, components } = data;
    view! {
        <p class="page-lead">{format!("{actors} organisations in {components} connected groups.")}</p>
        {reports.into_iter().map(|r| {
            let id = format!("gap-{}", r.name);
            let count = r.actors.len();
            view! {
                <section class="card" id=id.clone() aria-labelledby=format!("{id}-title")>
                    <h2 id=format!("{id}-title")>{format!("{} ({count})", r.title)}</h2>
                    {if r.actors.is_empty() {
                        view! { <p class="empty-state">"None: no gap here."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="gap-list">
                                {r.actors.into_iter().map(|a| view! {
                                    <li><a href=format!("/network/actors/{}", a.id)>{a.name}</a>" "
                                        <span class="muted">{format!("{}{}", kind_label(&a.kind), a.state.map(|s| format!(", {s}")).unwrap_or_default())}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        }).collect_view()}
        <section aria-labelledby="brokers-title">
            <h2 id="brokers-title">"Brokers"</h2>
            <p class="muted">"The organisations most often on the shortest chain of relations between two others (betweenness centrality)."</p>
            {if brokers.is_empty() {
                view! { <p class="empty-state">"No organisation links others yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"Brokers"</caption>
                            <thead><tr><th scope="col">"Organisation"</th><th scope="col">"Kind"</th><th scope="col">"Relations"</th><th scope="col">"Betweenness"</th></tr></thead>
                            <tbody>
                                {brokers.into_iter().map(|b| view! {
                                    <tr>
                                        <td><a href=format!("/network/actors/{}", b.id)>{b.name}</a></td>
                                        <td>{kind_label(&b.kind).to_string()}</td>
                                        <td>{b.degree}</td>
                                        <td>{format!("{:.1}", b.betweenness)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
