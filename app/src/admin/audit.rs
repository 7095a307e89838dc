//! The audit log page: what stewards and admins changed, newest first, filtered by user, action
//! and date with a plain form (it works without JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::audit::{AuditAction, AuditEntry};

use super::audit_log;
use crate::components::{short_time, urlencode, ErrorPanel, Pagination};

/// Where a record of the log is shown, when it has a page of its own.
fn record_link(table: &str, key: &str) -> Option<String> {
    if key.is_empty() {
        return None;
    }
    match table {
        "actor" => Some(format!("/network/actors/{key}")),
        "person" => Some(format!("/network/people/{key}")),
        "user" => Some(format!("/admin/users/{key}")),
        _ => None,
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = move |name: &'static str| use_query_map().with(|q| q.get(name).filter(|v| !v.trim().is_empty()));
    let filters = move || (query("user"), query("action"), query("since"), query("page").and_then(|p| p.parse::<u32>().ok()));
    let entries = Resource::new(filters, |(user, action, since, page)| audit_log(user, action, since, page));
    view! {
        <Title text="Audit log" />
        <p><a href="/admin">"← Users"</a></p>
        <h1 class="page-title">"Audit log"</h1>
        <p class="page-lead">"Every change made by the secretariat, organisers and administrators, with who made it and when. Entries cannot be changed or removed."</p>
        <form method="get" action="/admin/audit" class="form filter-form" role="search" aria-label="Filter the audit log">
            <div class="field-row">
                <div class="field">
                    <label for="audit-action">"Action"</label>
                    <select id="audit-action" name="action">
                        <option value="">"Any action"</option>
                        {AuditAction::CHOICES.iter().map(|(value, label)| {
                            let selected = query("action").as_deref() == Some(*value);
                            view! { <option value=*value selected=selected>{*label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-since">"Since"</label>
                    <input id="audit-since" name="since" type="date" value=move || query("since").unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="audit-user">"User id"</label>
                    <input id="audit-user" name="user" value=move || query("user").unwrap_or_default() inputmode="latin" />
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary">"Filter"</button>
                <a class="btn btn-secondary" href="/admin/audit">"Clear"</a>
            </div>
        </form>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="empty-state">"No entry matches these filters."</p>
                    }.into_any(),
                    Ok(page) => {
                        let (user, action, since, _) = filters();
                        let mut base = String::from("/admin/audit?");
                        for (name, value) in [("user", user), ("action", action), ("since", since)] {
                            if let Some(v) = value {
                                base.push_str(&format!("{name}={}&", urlencode(&v)));
                            }
                        }
                        let base = base.trim_end_matches(['&', '?']).to_string();
                        view! {
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption>"Changes, newest first"</caption>
                                    <thead><tr>
                                        <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                                        <th scope="col">"Record"</th><th scope="col">"Details"</th>
                                    </tr></thead>
                                    <tbody>{page.items.iter().map(entry_row).collect_view()}</tbody>
                                </table>
                            </div>
                            <Pagination page=page base=base />
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn entry_row(e: &AuditEntry) -> impl IntoView {
    let who = match (&e.by, &e.by_name) {
        (Some(id), name) => view! { <a href=format!("/admin/users/{id}")>{name.clone().unwrap_or_else(|| id.clone())}</a> }.into_any(),
        (None, _) => view! { <span>"command line"</span> }.into_any(),
    };
    let record = if e.key.is_empty() { e.table.clone() } else { format!("{}:{}", e.table, e.key) };
    let record = match record_link(&e.table, &e.key) {
        Some(href) => view! { <a href=href>{record}</a> }.into_any(),
        None => view! { <span>{record}</span> }.into_any(),
    };
    view! {
        <tr>
            <td>{short_time(&e.at)}</td>
            <td>{who}</td>
            <td>{e.action.label()}</td>
            <td>{record}</td>
            <td>{e.summary.clone()}</td>
        </tr>
    }
}
