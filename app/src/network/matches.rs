//! Buyer matching for a producer organisation: the buyers ranked by fit with the reasons, and a
//! button per buyer that records a proposed meeting; the organisation's meetings below.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use shared::{
    network::{kind_label, matching::BuyerMatch, MeetingView, MEETING_STATUSES},
    AppError,
};

use crate::components::{ErrorPanel, FormAlert};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchesData {
    pub id: String,
    pub name: String,
    pub matches: Vec<BuyerMatch>,
    pub meetings: Vec<MeetingView>,
    /// The caller may record meetings for this organisation.
    pub can_record: bool,
    pub flash: Option<String>,
}

#[cfg(feature = "ssr")]
fn matches_path(id: &str) -> String {
    format!("/network/actors/{id}/matches")
}

#[server]
pub async fn buyer_matches(id: String) -> Result<MatchesData, AppError> {
    use crate::server;
    let (ports, caller) = (server::ports()?, server::caller()?);
    let detail = ports.network.actor(&caller, &id).await?;
    let matches = ports.network.matches(&caller, &detail.actor.id).await?;
    let meetings = ports.network.meetings(&caller, Some(detail.actor.id.clone())).await?;
    Ok(MatchesData {
        flash: server::take_flash(&matches_path(&detail.actor.id)),
        id: detail.actor.id,
        name: detail.actor.name,
        matches,
        meetings,
        can_record: detail.can_edit,
    })
}

/// Records a proposed meeting with a suggested buyer, keeping why it was suggested.
#[server]
pub async fn propose_meeting(producer: String, buyer: String, reasons: String) -> Result<(), AppError> {
    use crate::server;
    use shared::network::NewMeeting;
    let new = NewMeeting { producer: producer.clone(), buyer, reasons: reasons.lines().map(String::from).collect(), ..Default::default() };
    let m = server::ports()?.network.create_meeting(&server::caller()?, new).await?;
    let path = matches_path(&producer);
    server::set_flash(&path, &format!("A meeting of {} with {} is proposed.", m.producer.name, m.buyer.name));
    leptos_axum::redirect(&format!("{path}#meetings"));
    Ok(())
}

#[component]
pub fn MatchesPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let propose = ServerAction::<ProposeMeeting>::new();
    let data = Resource::new(move || (id(), propose.version().get()), |(id, _)| buyer_matches(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Matches data=d propose=propose /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn status_label(s: &str) -> &str {
    MEETING_STATUSES.iter().find(|(k, _)| *k == s).map(|(_, l)| *l).unwrap_or(s)
}

#[component]
fn Matches(data: MatchesData, propose: ServerAction<ProposeMeeting>) -> AnyView {
    let MatchesData { id, name, matches, meetings, can_record, flash } = data;
    let proposed: Vec<String> = meetings.iter().filter(|m| m.status == "proposed").map(|m| m.buyer.id.clone()).collect();
    view! {
        <Title text=format!("Buyers for {name}") />
        <p class="breadcrumb"><a href="/network">"Network"</a>" · "<a href=format!("/network/actors/{id}")>{name.clone()}</a></p>
        <div class="page-head"><h1 class="page-title">{format!("Buyers for {name}")}</h1></div>
        <p class="page-lead">"Buyers ranked by fit: products in common, the same or a neighbouring state, and the organic producers they already buy from. Buyers it already sells to are left out."</p>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <FormAlert result=propose.value().into() fields=&[] />
        {if matches.is_empty() {
            view! { <p class="empty-state">"No buyer in the network fits yet: add the organisation's products, or buyers near it."</p> }.into_any()
        } else {
            view! {
                <ol class="matches">
                    {matches.into_iter().map(|m| {
                        let already = proposed.contains(&m.id);
                        let reasons = m.reasons.join("\n");
                        let producer_id = id.clone();
                        view! {
                            <li class="card match">
                                <h2><a href=format!("/network/actors/{}", m.id)>{m.name.clone()}</a></h2>
                                <p class="muted">{format!("{}{} · fit {:.1}", kind_label(&m.kind), m.state.as_ref().map(|s| format!(", {s}")).unwrap_or_default(), m.score)}</p>
                                <ul>{m.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                                {match (can_record, already) {
                                    (_, true) => view! { <p class="badge">"Meeting proposed"</p> }.into_any(),
                                    (true, false) => view! {
                                        <ActionForm action=propose attr:class="inline-form">
                                            <input type="hidden" name="producer" value=producer_id />
                                            <input type="hidden" name="buyer" value=m.id.clone() />
                                            <input type="hidden" name="reasons" value=reasons />
                                            <button type="submit" class="btn btn-primary">{format!("Propose a meeting with {}", m.name)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                    _ => ().into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <section id="meetings" aria-labelledby="meetings-title">
            <h2 id="meetings-title">"Meetings"</h2>
            {if meetings.is_empty() {
                view! { <p class="empty-state">"No meetings yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"Meetings"</caption>
                            <thead><tr><th scope="col">"Producer"</th><th scope="col">"Buyer"</th><th scope="col">"Status"</th><th scope="col">"Date"</th><th scope="col">"Outcome"</th></tr></thead>
                            <tbody>
                                {meetings.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.producer.name}</td>
                                        <td><a href=format!("/network/actors/{}", m.buyer.id)>{m.buyer.name}</a></td>
                                        <td>{status_label(&m.status).to_string()}</td>
                                        <td>{m.date.unwrap_or_else(|| "to be set".into())}</td>
                                        <td>{m.outcome}</td>
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
