//! Buyer matching for a producer organisation: the buyers ranked by fit with the reasons, and a
//! button per buyer that records a proposed meeting; the organisation's meetings below, each with
//! a form to record how it went and a button that starts (or opens) the alliance with that buyer.
// A server function takes the form's fields one by one (the form posts them by name).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use shared::{
    network::{kind_label, matching::BuyerMatch, MeetingStatus, MeetingView},
    AppError,
};

use super::alliance::StartAlliance;
use crate::components::{kept_value, textarea_text, ErrorPanel, FormAlert, FormValue};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchesData {
    pub id: String,
    pub name: String,
    pub matches: Vec<BuyerMatch>,
    pub meetings: Vec<MeetingView>,
    /// The caller may record meetings for this organisation.
    pub can_record: bool,
    /// The organisation's alliances: (the other organisation's id, the alliance's id).
    pub alliances: Vec<(String, String)>,
    pub flash: Option<String>,
    pub kept: Option<Vec<(String, String)>>,
}

#[cfg(feature = "ssr")]
fn matches_path(id: &str) -> String {
    format!("/network/actors/{id}/matches")
}

#[server(prefix = "/fn")]
pub async fn buyer_matches(id: String) -> Result<MatchesData, AppError> {
    use crate::request;
    let (ports, caller) = (request::ports()?, request::caller()?);
    let detail = ports.actors.actor(&caller, &id).await?;
    let matches = ports.deals.matches(&caller, &detail.actor.id).await?;
    let meetings = ports.deals.meetings(&caller, Some(detail.actor.id.clone())).await?;
    let own = detail.actor.id.clone();
    let alliances = ports
        .deals
        .alliances(&caller, Some(own.clone()))
        .await?
        .into_iter()
        .map(|a| (if a.producer.id == own { a.buyer.id } else { a.producer.id }, a.id))
        .collect();
    let path = matches_path(&detail.actor.id);
    Ok(MatchesData {
        alliances,
        flash: request::take_flash(&path),
        kept: request::take_input(&path).await,
        id: detail.actor.id,
        name: detail.actor.name,
        matches,
        meetings,
        can_record: detail.can_edit,
    })
}

/// Records a proposed meeting with a suggested buyer, keeping why it was suggested.
#[server(prefix = "/fn")]
pub async fn propose_meeting(producer: String, buyer: String, reasons: String) -> Result<(), AppError> {
    use crate::request;
    use shared::network::NewMeeting;
    let new = NewMeeting { producer: producer.clone(), buyer, reasons: reasons.lines().map(String::from).collect(), ..Default::default() };
    let m = request::ports()?.deals.create_meeting(&request::caller()?, new).await?;
    let path = matches_path(&producer);
    request::set_flash(&path, &format!("A meeting of {} with {} is proposed.", m.producer.name, m.buyer.name));
    crate::request::redirect(&format!("{path}#meetings"));
    Ok(())
}

/// Records how a meeting went (from the page of `producer`, the organisation it is shown for).
#[server(prefix = "/fn")]
pub async fn record_meeting(
    id: String,
    page: String,
    status: String,
    date: String,
    attendees: String,
    outcome: String,
    next_steps: String,
) -> Result<(), AppError> {
    use crate::request;
    let path = matches_path(&page);
    let fields: Vec<(String, String)> = [
        ("form", format!("meeting-{id}")),
        ("status", status.clone()),
        ("date", date.clone()),
        ("attendees", attendees.clone()),
        ("outcome", outcome.clone()),
        ("next_steps", next_steps.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let date = Some(date.trim().to_string()).filter(|d| !d.is_empty());
    let patch = serde_json::json!({
        "status": status,
        "date": date,
        "attendees": shared::network::split_list(&attendees),
        "outcome": outcome,
        "next_steps": next_steps,
    });
    let saved = async { request::ports()?.deals.update_meeting(&request::caller()?, &id, patch, None).await };
    let m = request::keep_if_refused(saved.await, &path, fields, |_| false).await?;
    request::set_flash(&path, &format!("The meeting of {} with {} is saved ({}).", m.producer.name, m.buyer.name, m.status.label()));
    crate::request::redirect(&format!("{path}#meetings"));
    Ok(())
}

#[derive(Clone, Copy)]
struct Actions {
    propose: ServerAction<ProposeMeeting>,
    record: ServerAction<RecordMeeting>,
    start: ServerAction<StartAlliance>,
}

#[component]
pub fn MatchesPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let actions = Actions { propose: ServerAction::new(), record: ServerAction::new(), start: ServerAction::new() };
    let data = Resource::new(
        move || (id(), actions.propose.version().get(), actions.record.version().get(), actions.start.version().get()),
        |(id, ..)| buyer_matches(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Matches data=d actions=actions /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Matches(data: MatchesData, actions: Actions) -> AnyView {
    let MatchesData { id, name, matches, meetings, can_record, alliances, flash, kept } = data;
    let propose = actions.propose;
    let proposed: Vec<String> = meetings.iter().filter(|m| m.status == MeetingStatus::Proposed).map(|m| m.buyer.id.clone()).collect();
    view! {
        <Title text=format!("Buyers for {name}") />
        <p class="breadcrumb"><a href="/network">"Network"</a>" · "<a href=format!("/network/actors/{id}")>{name.clone()}</a></p>
        <div class="page-head"><h1 class="page-title">{format!("Buyers for {name}")}</h1></div>
        <p class="page-lead">"Buyers ranked by fit: products in common, the same or a neighbouring state, and the organic producers they already buy from. Buyers it already sells to are left out."</p>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <FormAlert result=propose.value().into() fields=&[] />
        <FormAlert result=actions.record.value().into() fields=&[] />
        <FormAlert result=actions.start.value().into() fields=&[] />
        {if matches.is_empty() {
            view! { <p class="empty-state">"No buyer in the network fits yet: add the organisation's products, or buyers near it."</p> }.into_any()
        } else {
            view! {
                <ol class="matches" aria-label="Suggested buyers">
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
                    <ul class="meetings">
                        {meetings.into_iter().map(|m| {
                            let other = if m.producer.id == id { m.buyer.clone() } else { m.producer.clone() };
                            let alliance = alliances.iter().find(|(o, _)| *o == other.id).map(|(_, a)| a.clone());
                            let held = m.status == MeetingStatus::Held;
                            let (producer_id, buyer_id) = (m.producer.id.clone(), m.buyer.id.clone());
                            view! {
                                <li class="card meeting">
                                    <h3><a href=format!("/network/actors/{}", other.id)>{other.name.clone()}</a></h3>
                                    <p>
                                        <span class="badge">{m.status.label().to_string()}</span>" "
                                        {m.date.clone().unwrap_or_else(|| "date to be set".into())}
                                    </p>
                                    <dl class="facts">
                                        {(!m.attendees.is_empty()).then(|| view! { <dt>"Attended"</dt><dd>{m.attendees.join(", ")}</dd> })}
                                        {(!m.outcome.is_empty()).then(|| view! { <dt>"Outcome"</dt><dd>{m.outcome.clone()}</dd> })}
                                        {(!m.next_steps.is_empty()).then(|| view! { <dt>"Next steps"</dt><dd>{m.next_steps.clone()}</dd> })}
                                        {(!m.reasons.is_empty()).then(|| view! { <dt>"Suggested because"</dt><dd>{m.reasons.join("; ")}</dd> })}
                                    </dl>
                                    {match (alliance, can_record) {
                                        (Some(a), _) => view! { <p><a class="btn" href=format!("/network/alliances/{a}")>{format!("Open the alliance with {}", other.name)}</a></p> }.into_any(),
                                        (None, true) => view! {
                                            <ActionForm action=actions.start attr:class="inline-form">
                                                <input type="hidden" name="producer" value=producer_id />
                                                <input type="hidden" name="buyer" value=buyer_id />
                                                {held.then(|| view! { <input type="hidden" name="meeting_held" value="on" /> })}
                                                <button type="submit" class="btn">{format!("Start an alliance with {}", other.name)}</button>
                                            </ActionForm>
                                        }.into_any(),
                                        _ => ().into_any(),
                                    }}
                                    {can_record.then(|| view! { <MeetingForm meeting=m.clone() page=id.clone() action=actions.record kept=kept.clone() /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn MeetingForm(
    meeting: MeetingView,
    page: String,
    action: ServerAction<RecordMeeting>,
    kept: Option<Vec<(String, String)>>,
) -> impl IntoView {
    let form = format!("meeting-{}", meeting.id);
    let value = |name: &str, current: String| kept_value(&kept, &form, name).unwrap_or(current);
    let status = value("status", meeting.status.as_str().to_string());
    let date = value("date", meeting.date.clone().unwrap_or_default());
    let attendees = value("attendees", meeting.attendees.join(", "));
    let outcome = value("outcome", meeting.outcome.clone());
    let next_steps = value("next_steps", meeting.next_steps.clone());
    let refused = kept_value(&kept, &form, "status").is_some();
    let base = format!("mt-{}", meeting.id);
    let id = move |field: &str| format!("{base}-{field}");
    view! {
        <details class="meeting-form" open=refused>
            <summary>"Record how it went"</summary>
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="id" value=meeting.id.clone() />
                <input type="hidden" name="page" value=page />
                <div class="field-row">
                    <div class="field">
                        <label for=id("status")>"Status"</label>
                        <select id=id("status") name="status">
                            {MeetingStatus::CHOICES.iter().map(|(k, l)| { let selected = *k == status; view! { <option value=*k selected=selected>{*l}</option> } }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=id("date")>"Date"</label>
                        <input id=id("date") name="date" type="date" prop:value=FormValue(date.clone()) value=date />
                    </div>
                </div>
                <div class="field">
                    <label for=id("attendees")>"Who attended"</label>
                    <input id=id("attendees") name="attendees" prop:value=FormValue(attendees.clone()) value=attendees aria-describedby=id("attendees-hint") />
                    <p class="hint" id=id("attendees-hint")>"Names separated by commas"</p>
                </div>
                <div class="field">
                    <label for=id("outcome")>"Outcome"</label>
                    <textarea id=id("outcome") name="outcome" rows="3" prop:value=FormValue(outcome.clone())>{textarea_text(&outcome)}</textarea>
                </div>
                <div class="field">
                    <label for=id("next_steps")>"Next steps"</label>
                    <textarea id=id("next_steps") name="next_steps" rows="2" prop:value=FormValue(next_steps.clone())>{textarea_text(&next_steps)}</textarea>
                </div>
                <button type="submit" class="btn btn-primary">"Save the meeting"</button>
            </ActionForm>
        </details>
    }
}
