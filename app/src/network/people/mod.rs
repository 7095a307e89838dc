//! People who represent the network's organisations: a searchable list, a page per person with
//! the organisations they represent, and forms to add someone to an organisation (on its
//! profile), change them or remove them. Email, phone, gender and age band are shown — and
//! offered in the forms — only to organisers, the secretariat, admins and the person themself;
//! gender and age band are kept only with the person's recorded consent. Forms work without
//! JavaScript.

// A server function takes the form's fields one by one (the form posts them by name).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::network::people::{AgeBand, Gender, PersonView};

use crate::components::{field_error, kept_value, urlencode, ErrorPanel, FormAlert, FormValue, Pagination};

mod server_fns;
pub use server_fns::*;

#[component]
pub fn PeoplePage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q")).unwrap_or_default();
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()));
    let people = Resource::new(move || (q(), page()), |(q, page)| people_list(Some(q).filter(|q| !q.is_empty()), page));
    view! {
        <Title text="People" />
        <p class="breadcrumb"><a href="/network">"Network"</a></p>
        <div class="page-head"><h1 class="page-title">"People"</h1></div>
        <p class="page-lead">"The people who represent the network's organisations. Add someone from their organisation's profile."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match people.await {
                    Ok((page, flash)) => {
                        let q = q();
                        let base = if q.is_empty() { "/network/people".to_string() } else { format!("/network/people?q={}", urlencode(&q)) };
                        let details = page.items.iter().any(|p| p.email.is_some() || p.phone.is_some());
                        view! {
                            {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
                            <form class="filter-form" method="get" action="/network/people" role="search">
                                <div class="field">
                                    <label for="people-q">"Search people by name"</label>
                                    <input id="people-q" type="search" name="q" value=q.clone() />
                                </div>
                                <div class="form-actions"><button type="submit" class="btn btn-secondary">"Search"</button></div>
                            </form>
                            {if page.items.is_empty() {
                                view! { <p class="empty-state">{if q.is_empty() { "No one is listed yet." } else { "No one by that name." }}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data-table">
                                            <caption class="visually-hidden">"People"</caption>
                                            <thead><tr>
                                                <th scope="col">"Name"</th><th scope="col">"Organisations"</th>
                                                {details.then(|| view! { <th scope="col">"Email"</th><th scope="col">"Phone"</th> })}
                                            </tr></thead>
                                            <tbody>
                                                {page.items.iter().map(|p| view! {
                                                    <tr>
                                                        <td><a href=format!("/network/people/{}", p.id)>{p.name.clone()}</a></td>
                                                        <td>{p.actors.iter().map(|a| view! {
                                                            <a href=format!("/network/actors/{}", a.id)>{a.name.clone()}</a>
                                                            {(!a.role.is_empty()).then(|| format!(" ({})", a.role))}" "
                                                        }).collect_view()}</td>
                                                        {details.then(|| view! { <td>{p.email.clone()}</td><td>{p.phone.clone()}</td> })}
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pagination page=page.clone() base=base />
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let save = ServerAction::<SavePerson>::new();
    let remove = ServerAction::<RemovePerson>::new();
    // The page's data reloads when a change is saved, not when one is refused (a reload would
    // clear what was typed).
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    let data = Resource::new(move || (id(), saved.get()), |(id, _)| person_page(id));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Person data=d save=save remove=remove /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Person(data: PersonData, save: ServerAction<SavePerson>, remove: ServerAction<RemovePerson>) -> AnyView {
    let PersonData { person: p, can_change, sees_details, may_link, flash, kept } = data;
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    if sees_details {
        facts.push(("Email", p.email.clone().unwrap_or_else(|| "—".into())));
        facts.push(("Phone", p.phone.clone().unwrap_or_else(|| "—".into())));
        facts.push((
            "Consent to record gender and age",
            if p.consent { "Given".to_string() } else { "Not given: gender and age band are not kept".to_string() },
        ));
        if may_link || p.user_email.is_some() {
            facts.push(("User account", p.user_email.clone().unwrap_or_else(|| "None".into())));
        }
        if p.consent {
            facts.push(("Gender", p.gender.map(|g| g.label().to_string()).unwrap_or_else(|| "—".into())));
            facts.push(("Age band", p.age_band.map(|a| a.label().to_string()).unwrap_or_else(|| "—".into())));
        }
    }
    view! {
        <Title text=p.name.clone() />
        <p class="breadcrumb"><a href="/network">"Network"</a>" · "<a href="/network/people">"People"</a></p>
        <div class="page-head"><h1 class="page-title">{p.name.clone()}</h1></div>
        {flash.map(|f| view! { <div class="alert alert-success" role="status">{f}</div> })}
        <section class="card" aria-labelledby="represents-title">
            <h2 id="represents-title">"Represents"</h2>
            {if p.actors.is_empty() {
                view! { <p class="empty-state">"No organisation."</p> }.into_any()
            } else {
                view! { <ul class="plain-list">{p.actors.iter().map(|a| view! {
                    <li><a href=format!("/network/actors/{}", a.id)>{a.name.clone()}</a>{(!a.role.is_empty()).then(|| format!(" — {}", a.role))}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            {(!facts.is_empty()).then(|| view! { <dl class="facts">{facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl> })}
        </section>
        {can_change.then(|| view! {
            <PersonForm person=p.clone() sees_details=sees_details may_link=may_link action=save kept=kept.clone() />
            <section class="card" aria-labelledby="remove-person-title">
                <h2 id="remove-person-title">"Remove this person"</h2>
                <FormAlert result=remove.value().into() fields=&[] />
                <ActionForm action=remove attr:class="form">
                    <input type="hidden" name="id" value=p.id.clone() />
                    <div class="field checkbox-field">
                        <input id="rp-confirm" type="checkbox" name="confirm" value="on" />
                        <label for="rp-confirm">{format!("Yes, remove {} and their links to organisations", p.name)}</label>
                    </div>
                    <button type="submit" class="btn btn-danger">"Remove"</button>
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}

/// The fields of a person; `prefix` keeps the ids of two such forms apart.
fn person_fields(
    prefix: &'static str,
    with_details: bool,
    value: impl Fn(&str) -> String,
    err: impl Fn(&'static str) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let consent = !value("consent").is_empty();
    let gender = value("gender");
    let age_band = value("age_band");
    let text = move |name: &'static str, label: &'static str, v: String, kind: &'static str| {
        let id = format!("{prefix}-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id.clone() name=name type=kind prop:value=FormValue(v.clone()) value=v aria-describedby=format!("{id}-error")
                    aria-invalid=move || err(name).is_some().to_string() />
                <p class="field-error" id=format!("{id}-error")>{move || err(name)}</p>
            </div>
        }
    };
    let choice = move |name: &'static str, label: &'static str, choices: &'static [(&'static str, &'static str)], current: String| {
        let id = format!("{prefix}-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    <option value="" selected=current.is_empty()>"Not recorded"</option>
                    {choices.iter().map(|(k, l)| { let selected = *k == current; view! { <option value=*k selected=selected>{*l}</option> } }).collect_view()}
                </select>
                <p class="field-error">{move || err(name)}</p>
            </div>
        }
    };
    let name_field = text("name", "Name", value("name"), "text");
    let details = with_details.then(|| {
        view! {
            <div class="field-row">
                {text("email", "Email", value("email"), "email")}
                {text("phone", "Phone", value("phone"), "tel")}
            </div>
            <fieldset class="consent">
                <legend>"For participation reports (only with consent)"</legend>
                <div class="field checkbox-field">
                    <input id=format!("{prefix}-consent") type="checkbox" name="consent" value="on" checked=consent />
                    <label for=format!("{prefix}-consent")>"The person agrees that their gender and age band are recorded"</label>
                </div>
                <div class="field-row">
                    {choice("gender", "Gender", Gender::CHOICES, gender)}
                    {choice("age_band", "Age band", AgeBand::CHOICES, age_band)}
                </div>
            </fieldset>
        }
    });
    (name_field, details)
}

#[component]
fn PersonForm(
    person: PersonView,
    sees_details: bool,
    may_link: bool,
    action: ServerAction<SavePerson>,
    kept: Option<Vec<(String, String)>>,
) -> impl IntoView {
    let result = action.value();
    let err = move |f: &'static str| field_error(result.get(), f);
    let account = kept_value(&kept, "person", "account").unwrap_or_else(|| person.user_email.clone().unwrap_or_default());
    let account_field = may_link.then(|| {
        view! {
            <div class="field">
                <label for="pe-account">"User account (email)"</label>
                <input id="pe-account" name="account" type="email" prop:value=FormValue(account.clone()) value=account
                    aria-describedby="pe-account-hint pe-account-error" aria-invalid=move || err("account").is_some().to_string() />
                <p class="hint" id="pe-account-hint">"The person's own login, if they have one: they then see and change their details. Leave blank for none."</p>
                <p class="field-error" id="pe-account-error">{move || err("account")}</p>
            </div>
        }
    });
    let current = person.clone();
    let value = move |name: &str| {
        kept_value(&kept, "person", name).unwrap_or_else(|| match name {
            "name" => current.name.clone(),
            "email" => current.email.clone().unwrap_or_default(),
            "phone" => current.phone.clone().unwrap_or_default(),
            "consent" => {
                if current.consent {
                    "on".into()
                } else {
                    String::new()
                }
            }
            "gender" => current.gender.map(|g| g.as_str().to_string()).unwrap_or_default(),
            "age_band" => current.age_band.map(|a| a.as_str().to_string()).unwrap_or_default(),
            _ => String::new(),
        })
    };
    view! {
        <section class="card" aria-labelledby="person-edit-title">
            <h2 id="person-edit-title">"Change"</h2>
            <FormAlert result=result.into() fields=&["name", "email", "phone", "gender", "age_band", "account"] />
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="id" value=person.id.clone() />
                {sees_details.then(|| view! { <input type="hidden" name="details" value="on" /> })}
                {person_fields("pe", sees_details, value, err)}
                {account_field}
                <button type="submit" class="btn btn-primary">"Save"</button>
            </ActionForm>
        </section>
    }
}

/// "Add a person" on an organisation's profile.
#[component]
pub fn NewPersonForm(actor: String, action: ServerAction<AddPerson>, kept: Option<Vec<(String, String)>>) -> impl IntoView {
    let result = action.value();
    let err = move |f: &'static str| field_error(result.get(), f);
    let role = kept_value(&kept, "person", "role").unwrap_or_default();
    let value = move |name: &str| kept_value(&kept, "person", name).unwrap_or_default();
    let open = !value("name").is_empty();
    view! {
        <details class="card new-person" open=open aria-label="Add a person">
            <summary>"Add a person"</summary>
            <FormAlert result=result.into() fields=&["name", "email", "phone", "gender", "age_band", "actors"] />
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="actor" value=actor />
                {person_fields("np", true, value, err)}
                <div class="field">
                    <label for="np-role">"Role in the organisation"</label>
                    <input id="np-role" name="role" maxlength="120" placeholder="President, technician…" prop:value=FormValue(role.clone()) value=role />
                </div>
                <button type="submit" class="btn btn-primary">"Add the person"</button>
            </ActionForm>
        </details>
    }
}
