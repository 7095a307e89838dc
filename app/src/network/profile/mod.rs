//! An actor's profile: who they are, their relations both ways, their people and the history of
//! every change. Members edit the actors they belong to; organisers, the secretariat and admins
//! any. Every form works without JavaScript.

// A server function takes the form's fields one by one (the form posts them by name).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::network::{kind_label, relation_kind_label, ActorChange, ActorDetail, ActorKind, OrganicStatus, RelationKind, Visibility};

use super::people::{AddPerson, NewPersonForm};
use crate::components::{field_error, kept_value, ErrorPanel, FormAlert, FormValue};

mod server_fns;
pub use server_fns::*;

#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateProfile>,
    add: ServerAction<AddRelation>,
    remove: ServerAction<RemoveRelation>,
    person: ServerAction<AddPerson>,
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let actions =
        Actions { update: ServerAction::new(), add: ServerAction::new(), remove: ServerAction::new(), person: ServerAction::new() };
    let done = RwSignal::new(0u32);
    Effect::new(move |_| {
        // Read every action's value (no short-circuit), so each of them re-runs this.
        let results = [
            matches!(actions.update.value().get(), Some(Ok(()))),
            matches!(actions.add.value().get(), Some(Ok(()))),
            matches!(actions.remove.value().get(), Some(Ok(()))),
            matches!(actions.person.value().get(), Some(Ok(()))),
        ];
        if results.contains(&true) {
            done.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (id(), done.get()), |(id, _)| actor_profile(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Profile data=d actions=actions /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn place(a: &shared::network::ActorView) -> String {
    [a.municipality.clone(), a.state.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ")
}

fn change_text(c: &ActorChange) -> String {
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) if s.is_empty() => "—".to_string(),
        serde_json::Value::String(s) => {
            let short: String = s.chars().take(80).collect();
            if short.len() < s.len() {
                format!("{short}…")
            } else {
                short
            }
        }
        serde_json::Value::Array(items) if items.is_empty() => "—".to_string(),
        serde_json::Value::Array(items) => {
            items.iter().map(|i| i.as_str().map(String::from).unwrap_or_else(|| i.to_string())).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    };
    let relation = |v: &serde_json::Value| {
        let kind = v["kind"].as_str().map(relation_kind_label).unwrap_or_default();
        let name = v["name"].as_str().unwrap_or_default();
        if v.get("to").is_some() {
            format!("{kind} {name}")
        } else {
            format!("{name} {kind} this organisation")
        }
    };
    match c.action.as_str() {
        "created" => "added the organisation".to_string(),
        "imported" => "imported the organisation from a file".to_string(),
        "relation_added" => {
            c.changes.first().map(|f| format!("added a relation: {}", relation(&f.after))).unwrap_or_else(|| "added a relation".into())
        }
        "relation_removed" => {
            c.changes.first().map(|f| format!("removed a relation: {}", relation(&f.before))).unwrap_or_else(|| "removed a relation".into())
        }
        _ => {
            let parts: Vec<String> =
                c.changes.iter().map(|f| format!("{} ({} → {})", f.field.replace('_', " "), value(&f.before), value(&f.after))).collect();
            format!("changed {}", parts.join("; "))
        }
    }
}

#[component]
fn Profile(data: ProfileData, actions: Actions) -> AnyView {
    let ProfileData { detail, description_html, history, alliances, kinds, relation_kinds, flash, kept } = data;
    let ActorDetail { actor, relations, people, can_edit } = detail;
    let a = actor.clone();
    let id = actor.id.clone();
    let is_producer = kinds.iter().any(|k| k.id == actor.kind && k.producer);
    let place_text = place(&a);
    let facts: Vec<(&'static str, String)> = [
        ("Products", a.products.join(", ")),
        ("Organic status", a.organic_status.map(OrganicStatus::label).unwrap_or_default().to_string()),
        ("Members", a.members.map(|m| m.to_string()).unwrap_or_default()),
        ("Email", a.email.clone().unwrap_or_default()),
        ("Phone", a.phone.clone().unwrap_or_default()),
        ("Tags", a.tags.join(", ")),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let website = a.website.clone();
    let relation_rows = relations
        .iter()
        .map(|r| {
            let outgoing = r.from == id;
            let (other_id, other_name) = if outgoing { (r.to.clone(), r.to_name.clone()) } else { (r.from.clone(), r.from_name.clone()) };
            let sentence = if outgoing {
                format!("{} {}", a.name, relation_kind_label(&r.kind))
            } else {
                format!("{} {}", other_name, relation_kind_label(&r.kind))
            };
            let dates = match (&r.since, &r.until) {
                (Some(s), Some(u)) => format!("{s} – {u}"),
                (Some(s), None) => format!("since {s}"),
                (None, Some(u)) => format!("until {u}"),
                _ => String::new(),
            };
            let (rid, aid) = (r.id.clone(), id.clone());
            view! {
                <tr>
                    <td>{if outgoing { "→" } else { "←" }}</td>
                    <td>{sentence}</td>
                    <td><a href=format!("/network/actors/{other_id}")>{if outgoing { other_name.clone() } else { a.name.clone() }}</a></td>
                    <td>{dates}</td>
                    <td>{r.note.clone()}</td>
                    <td>{can_edit.then(|| view! {
                        <ActionForm action=actions.remove attr:class="inline-form">
                            <input type="hidden" name="id" value=aid.clone() />
                            <input type="hidden" name="relation_id" value=rid.clone() />
                            <button type="submit" class="btn btn-link">"Remove"</button>
                        </ActionForm>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let relation_count = relations.len();
    view! {
        <Title text=actor.name.clone() />
        <p class="breadcrumb"><a href="/network">"Network"</a></p>
        <div class="page-head">
            <h1 class="page-title">{actor.name.clone()}</h1>
            <span class=format!("badge kind kind-{}", actor.kind)>{kind_label(&actor.kind).to_string()}</span>
            {(actor.visibility == Visibility::Public).then(|| view! { <span class="badge">"Public"</span> })}
            <nav class="page-actions" aria-label="This organisation in the network">
                <a class="btn btn-secondary" href=format!("/network/map?focus={}&depth=2", crate::components::urlencode(&actor.name))>"Show on the map"</a>
                {is_producer.then(|| view! { <a class="btn btn-secondary" href=format!("/network/actors/{}/matches", actor.id)>"Suggest buyers"</a> })}
            </nav>
        </div>
        {(!place_text.is_empty()).then(|| view! { <p class="page-lead">{place_text.clone()}</p> })}
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <FormAlert result=actions.remove.value().into() fields=&[] />
        <section class="card" id="profile" aria-labelledby="about-title">
            <h2 id="about-title">"About"</h2>
            {if actor.description.is_empty() {
                view! { <p class="empty-state">"No description yet."</p> }.into_any()
            } else {
                view! { <div class="markdown" inner_html=description_html></div> }.into_any()
            }}
            <dl class="facts">
                {facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                {website.map(|w| view! { <dt>"Website"</dt><dd><a href=w.clone() rel="nofollow noopener" target="_blank">{w.clone()}</a></dd> })}
            </dl>
        </section>
        <section id="relations" aria-labelledby="relations-title">
            <h2 id="relations-title">{format!("Relations ({relation_count})")}</h2>
            {if relation_count == 0 {
                view! { <p class="empty-state">"No relations recorded yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"Relations"</caption>
                            <thead><tr><th scope="col"><span class="visually-hidden">"Direction"</span></th><th scope="col">"Relation"</th><th scope="col">"With"</th><th scope="col">"When"</th><th scope="col">"Note"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>{relation_rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {can_edit.then(|| view! { <RelationForm id=id.clone() kinds=relation_kinds.clone() action=actions.add kept=kept.clone() /> })}
        </section>
        <section id="alliances" aria-labelledby="alliances-title">
            <h2 id="alliances-title">{format!("Productive alliances ({})", alliances.len())}</h2>
            {alliances.is_empty().then(|| view! { <p class="empty-state">"No productive alliance yet."</p> })}
            {alliances.into_iter().map(|(al, plan)| {
                let other = if al.producer.id == id { al.buyer.clone() } else { al.producer.clone() };
                let terms: Vec<(&'static str, String)> = [
                    ("Products", al.products.clone()),
                    ("Quantity", al.quantity.clone()),
                    ("Delivery and grading", al.delivery.clone()),
                    ("Payment and price", al.payment.clone()),
                    ("Buyer's contribution", al.buyer_contribution.clone()),
                ].into_iter().filter(|(_, v)| !v.is_empty()).collect();
                view! {
                    <details class="card alliance">
                        <summary>
                            <a href=format!("/network/actors/{}", other.id)>{other.name.clone()}</a>" "
                            <span class="badge">{al.status.label().to_string()}</span>
                        </summary>
                        <p><a href=format!("/network/alliances/{}", al.id)>"Open the alliance"</a></p>
                        <dl class="facts">{terms.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
                        {(!al.business_plan.is_empty()).then(|| view! { <h3>"Business plan"</h3><div class="markdown" inner_html=plan></div> })}
                    </details>
                }
            }).collect_view()}
        </section>
        <section id="people" aria-labelledby="people-title">
            <h2 id="people-title">"People"</h2>
            {if people.is_empty() {
                view! { <p class="empty-state">"No one is listed for this organisation yet."</p> }.into_any()
            } else {
                view! { <ul class="plain-list">{people.into_iter().map(|p| view! {
                    <li><a href=format!("/network/people/{}", p.id)>{p.name}</a>{(!p.role.is_empty()).then(|| format!(" — {}", p.role))}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            {can_edit.then(|| view! { <NewPersonForm actor=id.clone() action=actions.person kept=kept.clone() /> })}
        </section>
        {can_edit.then(|| view! { <ProfileForm actor=actor.clone() kinds=kinds.clone() action=actions.update kept=kept.clone() /> })}
        <section aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <ol class="history">
                {history.items.iter().map(|c| view! {
                    <li><time>{c.at.get(..16).unwrap_or(&c.at).replace('T', " ")}</time>" — "<strong>{c.author.clone().unwrap_or_else(|| "Mutirão".into())}</strong>" "{change_text(c)}</li>
                }).collect_view()}
            </ol>
            {(history.total > history.items.len() as u64).then(|| view! { <p class="muted">{format!("The {} most recent of {} changes.", history.items.len(), history.total)}</p> })}
        </section>
    }
    .into_any()
}

#[component]
fn ProfileForm(
    actor: shared::network::ActorView,
    kinds: Vec<ActorKind>,
    action: ServerAction<UpdateProfile>,
    kept: Option<Vec<(String, String)>>,
) -> impl IntoView {
    let result = action.value();
    let err = move |f: &'static str| move || field_error(result.get(), f);
    let value = |name: &str, current: String| kept_value(&kept, "profile", name).unwrap_or(current);
    let name = value("name", actor.name.clone());
    let kind = value("kind", actor.kind.clone());
    let description = value("description", actor.description.clone());
    let state = value("state", actor.state.clone().unwrap_or_default());
    let municipality = value("municipality", actor.municipality.clone().unwrap_or_default());
    let products = value("products", actor.products.join(", "));
    let organic = value("organic_status", actor.organic_status.map(|s| s.as_str().to_string()).unwrap_or_default());
    let members = value("members", actor.members.map(|m| m.to_string()).unwrap_or_default());
    let website = value("website", actor.website.clone().unwrap_or_default());
    let email = value("email", actor.email.clone().unwrap_or_default());
    let phone = value("phone", actor.phone.clone().unwrap_or_default());
    let tags = value("tags", actor.tags.join(", "));
    let visibility = value("visibility", actor.visibility.as_str().to_string());
    let field = move |id: &'static str, label: &'static str, name: &'static str, v: String, hint: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name prop:value=FormValue(v.clone()) value=v aria-describedby=format!("{id}-error")
                    aria-invalid=move || err(name)().is_some().to_string() />
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                <p class="field-error" id=format!("{id}-error")>{err(name)}</p>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="edit-title">
            <h2 id="edit-title">"Edit profile"</h2>
            <FormAlert result=result.into() fields=&["name", "kind", "description", "state", "municipality", "products", "organic_status", "members", "website", "email", "phone", "tags", "visibility"] />
            <ActionForm action=action attr:class="form" attr:id="profile-form" attr:aria-labelledby="edit-title">
                <input type="hidden" name="id" value=actor.id.clone() />
                <div class="field-row">
                    {field("pf-name", "Name", "name", name, "")}
                    <div class="field">
                        <label for="pf-kind">"Kind"</label>
                        <select id="pf-kind" name="kind">
                            {kinds.into_iter().map(|k| { let selected = k.id == kind; view! { <option value=k.id.clone() selected=selected>{k.label.clone()}</option> } }).collect_view()}
                        </select>
                        <p class="field-error">{err("kind")}</p>
                    </div>
                </div>
                <div class="field">
                    <label for="pf-description">"Description (Markdown)"</label>
                    <textarea id="pf-description" name="description" rows="5" prop:value=FormValue(description.clone())>{crate::components::textarea_text(&description)}</textarea>
                    <p class="field-error">{err("description")}</p>
                </div>
                <div class="field-row">
                    {field("pf-municipality", "Municipality", "municipality", municipality, "")}
                    {field("pf-state", "State (UF)", "state", state, "Two letters, e.g. RS")}
                </div>
                <div class="field-row">
                    {field("pf-products", "Products", "products", products, "Separated by commas")}
                    <div class="field">
                        <label for="pf-organic">"Organic status"</label>
                        <select id="pf-organic" name="organic_status">
                            <option value="" selected=organic.is_empty()>"Not stated"</option>
                            {OrganicStatus::CHOICES.iter().map(|(k, l)| { let selected = *k == organic; view! { <option value=*k selected=selected>{*l}</option> } }).collect_view()}
                        </select>
                        <p class="field-error">{err("organic_status")}</p>
                    </div>
                    {field("pf-members", "Members", "members", members, "")}
                </div>
                <div class="field-row">
                    {field("pf-website", "Website", "website", website, "")}
                    {field("pf-email", "Email", "email", email, "")}
                    {field("pf-phone", "Phone", "phone", phone, "")}
                </div>
                <div class="field-row">
                    {field("pf-tags", "Tags", "tags", tags, "Separated by commas")}
                    <div class="field">
                        <label for="pf-visibility">"Visibility"</label>
                        <select id="pf-visibility" name="visibility">
                            {Visibility::CHOICES.iter().map(|(k, l)| { let selected = *k == visibility; view! { <option value=*k selected=selected>{*l}</option> } }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Save profile"</button></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn RelationForm(
    id: String,
    kinds: Vec<RelationKind>,
    action: ServerAction<AddRelation>,
    kept: Option<Vec<(String, String)>>,
) -> impl IntoView {
    let result = action.value();
    let err = move |f: &'static str| move || field_error(result.get(), f);
    let other = kept_value(&kept, "relation", "other").unwrap_or_default();
    let kind = kept_value(&kept, "relation", "kind").unwrap_or_default();
    let incoming = kept_value(&kept, "relation", "direction").as_deref() == Some("in");
    let since = kept_value(&kept, "relation", "since").unwrap_or_default();
    view! {
        <details class="card" open=kept_value(&kept, "relation", "form").is_some()>
            <summary>"Add a relation"</summary>
            <FormAlert result=result.into() fields=&["other", "kind", "since", "until", "to", "from"] />
            <ActionForm action=action attr:class="form" attr:id="relation-form" attr:aria-label="Add a relation">
                <input type="hidden" name="id" value=id />
                <div class="field-row">
                    <div class="field">
                        <label for="rf-direction">"Direction"</label>
                        <select id="rf-direction" name="direction">
                            <option value="out" selected=!incoming>"This organisation …"</option>
                            <option value="in" selected=incoming>"… this organisation"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="rf-kind">"Relation"</label>
                        <select id="rf-kind" name="kind">
                            {kinds.into_iter().map(|k| { let selected = k.id == kind; view! { <option value=k.id.clone() selected=selected>{k.label.clone()}</option> } }).collect_view()}
                        </select>
                        <p class="field-error">{err("kind")}</p>
                    </div>
                    <div class="field">
                        <label for="rf-other">"Other organisation (its name)"</label>
                        <input id="rf-other" name="other" required prop:value=FormValue(other.clone()) value=other
                            aria-invalid=move || err("other")().is_some().to_string() aria-describedby="rf-other-error" />
                        <p class="field-error" id="rf-other-error">{err("other")}</p>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="rf-since">"Since"</label>
                        <input id="rf-since" name="since" placeholder="2021 or 2021-03" prop:value=FormValue(since.clone()) value=since />
                        <p class="field-error">{err("since")}</p>
                    </div>
                    <div class="field">
                        <label for="rf-until">"Until"</label>
                        <input id="rf-until" name="until" />
                        <p class="field-error">{err("until")}</p>
                    </div>
                    <div class="field">
                        <label for="rf-note">"Note"</label>
                        <input id="rf-note" name="note" maxlength="2000" />
                    </div>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Add relation"</button></div>
            </ActionForm>
        </details>
    }
}
