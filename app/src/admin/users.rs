use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::{accounts::UserView, Role};

use super::{actor_choices, get_user, list_users, user_tokens, CreateUser, ReissueInvitation, SetDisabled, SetRoles};
use crate::{
    accounts::{token_table, RevokeToken},
    components::{field_error, role_badges, ErrorPanel, FormAlert, Pagination},
};

#[component]
pub fn UsersPage() -> impl IntoView {
    let page = move || use_query_map().with(|q| q.get("page").and_then(|p| p.parse::<u32>().ok()));
    let users = Resource::new(page, list_users);
    view! {
        <Title text="Users" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(page) => view! {
                        <div class="page-head">
                            <h1 class="page-title">"Users"</h1>
                            <div class="page-actions">
                                <a class="btn btn-secondary" href="/admin/audit">"Audit log"</a>
                                <a class="btn btn-primary" href="#new-user">"New user"</a>
                            </div>
                        </div>
                        <div class="table-wrap">
                            <table class="data-table">
                                <caption>"Accounts of the network"</caption>
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Roles"</th>
                                    <th scope="col">"Organisations"</th><th scope="col">"Status"</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.iter().map(|u| view! {
                                        <tr>
                                            <td><a href=format!("/admin/users/{}", u.id)>{u.name.clone()}</a></td>
                                            <td>{u.email.clone()}</td>
                                            <td>{role_badges(u)}</td>
                                            <td>{u.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ")}</td>
                                            <td>{if u.active { "active" } else { "invited" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pagination page=page base="/admin".to_string() />
                        <NewUserForm />
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let result = create.value();
    let actors = Resource::new(|| (), |_| actor_choices());
    let err = move |f: &'static str| move || field_error(result.get(), f);
    view! {
        <section aria-labelledby="new-user" class="card">
            <h2 id="new-user">"New user"</h2>
            <p class="hint">"Leave the password empty to create an invitation link that you send to the person; they choose their own password."</p>
            <FormAlert result=result.into() fields=&["email", "name", "roles", "password", "actor_ids"] />
            <ActionForm action=create attr:class="form">
                <div class="field-row">
                    <div class="field">
                        <label for="nu-name">"Name"</label>
                        <input id="nu-name" name="name" required maxlength="200" autocomplete="off"
                            aria-invalid=move || err("name")().is_some().to_string() aria-describedby="nu-name-error" />
                        <p class="field-error" id="nu-name-error">{err("name")}</p>
                    </div>
                    <div class="field">
                        <label for="nu-email">"Email"</label>
                        <input id="nu-email" name="email" type="email" required autocomplete="off"
                            aria-invalid=move || err("email")().is_some().to_string() aria-describedby="nu-email-error" />
                        <p class="field-error" id="nu-email-error">{err("email")}</p>
                    </div>
                </div>
                <RoleBoxes checked=vec![Role::Member] error=Signal::derive(err("roles")) />
                <div class="field-row">
                    <div class="field">
                        <label for="nu-actor">"Organisation (optional)"</label>
                        <select id="nu-actor" name="actor_id" aria-describedby="nu-actor-error">
                            <option value="">"— none —"</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    actors.await.unwrap_or_default().into_iter()
                                        .map(|a| view! { <option value=a.id.clone()>{a.name.clone()}</option> })
                                        .collect_view()
                                })}
                            </Suspense>
                        </select>
                        <p class="field-error" id="nu-actor-error">{err("actor_ids")}</p>
                    </div>
                    <div class="field">
                        <label for="nu-password">"Password (optional)"</label>
                        <input id="nu-password" name="password" type="password" autocomplete="new-password" minlength="12"
                            aria-invalid=move || err("password")().is_some().to_string() aria-describedby="nu-password-hint nu-password-error" />
                        <p class="hint" id="nu-password-hint">"At least 12 characters."</p>
                        <p class="field-error" id="nu-password-error">{err("password")}</p>
                    </div>
                </div>
                <div class="form-actions"><button type="submit" class="btn btn-primary">"Create user"</button></div>
            </ActionForm>
        </section>
    }
}

/// One checkbox per role, named `role_<name>`.
#[component]
fn RoleBoxes(checked: Vec<Role>, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <fieldset class="checkbox-group" aria-describedby="roles-error">
            <legend>"Roles"</legend>
            {Role::ALL.into_iter().map(|r| view! {
                <label class="checkbox">
                    <input type="checkbox" name=format!("role_{}", r.as_str()) value="on" checked=checked.contains(&r) />
                    {r.label()}
                </label>
            }).collect_view()}
            <p class="field-error" id="roles-error">{move || error.get()}</p>
        </fieldset>
    }
}

#[component]
pub fn UserPage() -> impl IntoView {
    let id = move || use_params_map().with(|p| p.get("id")).unwrap_or_default();
    let set_roles = ServerAction::<SetRoles>::new();
    let set_disabled = ServerAction::<SetDisabled>::new();
    let user = Resource::new(move || (id(), set_roles.version().get(), set_disabled.version().get()), |(id, _, _)| get_user(id));
    let result = set_roles.value();
    let disabling = set_disabled.value();
    view! {
        <Title text="User" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok((u, flash)) => {
                        let (user_id, disabled, active) = (u.id.clone(), u.disabled, u.active);
                        let (invite_for, tokens_for, audit_href) = (user_id.clone(), user_id.clone(), format!("/admin/audit?user={user_id}"));
                        view! {
                        <p><a href="/admin">"← All users"</a></p>
                        <h1 class="page-title">{u.name.clone()}</h1>
                        <p class="page-lead">{u.email.clone()} " · " {role_badges(&u)} " · " {if u.disabled { "disabled" } else if u.active { "active" } else { "invited, no password yet" }}</p>
                        {flash.map(flash_notice)}
                        {move || matches!(result.get(), Some(Ok(_))).then(|| view! { <div class="alert alert-success" role="status">"Roles saved."</div> })}
                        <FormAlert result=result.into() fields=&["roles"] />
                        <UserDetails user=u.clone() />
                        <section class="card" aria-labelledby="roles-title">
                            <h2 id="roles-title">"Roles"</h2>
                            <ActionForm action=set_roles attr:class="form">
                                <input type="hidden" name="id" value=u.id.clone() />
                                <RoleBoxes checked=u.roles.clone() error=Signal::derive(move || field_error(result.get(), "roles")) />
                                <div class="form-actions"><button type="submit" class="btn btn-primary">"Save roles"</button></div>
                            </ActionForm>
                        </section>
                        <section class="card" aria-labelledby="access-title">
                            <h2 id="access-title">"Access"</h2>
                            <FormAlert result=disabling.into() fields=&[] />
                            <p>{if disabled {
                                "This account is disabled: it cannot log in, and its sessions and tokens do not work."
                            } else {
                                "Disabling the account ends its sessions and revokes its tokens at once; it can be enabled again."
                            }}</p>
                            <ActionForm action=set_disabled attr:class="form">
                                <input type="hidden" name="id" value=user_id />
                                <input type="hidden" name="disabled" value=if disabled { "false" } else { "true" } />
                                <div class="form-actions">
                                    <button type="submit" class=if disabled { "btn btn-secondary" } else { "btn btn-danger" }>
                                        {if disabled { "Enable account" } else { "Disable account" }}
                                    </button>
                                </div>
                            </ActionForm>
                        </section>
                        {(!active).then(|| view! { <InvitationCard user_id=invite_for /> })}
                        <UserTokens user_id=tokens_for />
                        <p><a href=audit_href>"What this user changed (audit log)"</a></p>
                    }.into_any()
                    }
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn flash_notice(flash: String) -> impl IntoView {
    if let Some(path) = flash.strip_prefix("reinvite:") {
        return view! {
            <div class="alert alert-success" role="status">
                <p>"New invitation issued; earlier links no longer work. Send them this link (valid for 14 days, shown only now):"</p>
                <pre class="token-reveal" aria-label="Invitation link">{invite_url(path)}</pre>
            </div>
        }
        .into_any();
    }
    match flash.strip_prefix("invite:") {
        Some(path) => view! {
            <div class="alert alert-success" role="status">
                <p>"User created. Send them this invitation link (valid for 14 days, shown only now):"</p>
                <pre class="token-reveal" aria-label="Invitation link">{invite_url(path)}</pre>
            </div>
        }
        .into_any(),
        None => view! { <div class="alert alert-success" role="status">"User created."</div> }.into_any(),
    }
}

/// The invitation as a full URL when the page knows its origin, else the path.
fn invite_url(path: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(host) = use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string))
        {
            return format!("http://{host}{path}");
        }
    }
    path.to_string()
}

#[component]
fn UserDetails(user: UserView) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="orgs-title">
            <h2 id="orgs-title">"Organisations"</h2>
            {if user.actors.is_empty() {
                view! { <p class="empty-state">"Not a member of any organisation."</p> }.into_any()
            } else {
                view! { <ul>{user.actors.iter().map(|a| view! { <li>{a.name.clone()}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// For a user who has not chosen a password: a new invitation when theirs expired or was lost.
#[component]
fn InvitationCard(user_id: String) -> impl IntoView {
    let reissue = ServerAction::<ReissueInvitation>::new();
    view! {
        <section class="card" aria-labelledby="invitation-title">
            <h2 id="invitation-title">"Invitation"</h2>
            <FormAlert result=reissue.value().into() fields=&[] />
            <p>"This person has not chosen a password yet. An invitation link works for 14 days; issue a new one if theirs expired or was lost (the old links stop working)."</p>
            <ActionForm action=reissue attr:class="form">
                <input type="hidden" name="id" value=user_id />
                <div class="form-actions"><button type="submit" class="btn btn-secondary">"Issue a new invitation"</button></div>
            </ActionForm>
        </section>
    }
}

/// A user's API tokens in use, each revocable by the admin.
#[component]
fn UserTokens(user_id: String) -> impl IntoView {
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(move || (user_id.clone(), revoke.version().get()), |(id, _)| user_tokens(id));
    view! {
        <section class="card" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <FormAlert result=revoke.value().into() fields=&[] />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) => token_table(list, revoke, "Tokens in use", "No API tokens in use.").into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
