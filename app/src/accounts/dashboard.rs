use leptos::prelude::*;
use leptos_meta::Title;
use shared::{accounts::STEWARDS, AppError, Role};

use super::load_dashboard;
use crate::components::{role_badges, ErrorPanel};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => {
                        let admin = d.me.roles.contains(&Role::Admin);
                        let can_edit_network = d.me.roles.iter().any(|r| STEWARDS.contains(r));
                        view! {
                            <h1 class="page-title">{format!("Welcome, {}", d.me.name)}</h1>
                            <p class="page-lead">"Signed in as " {d.me.email.clone()} " · " {role_badges(&d.me)}</p>
                            <div class="cards">
                                <section class="card">
                                    <h2>"Network"</h2>
                                    <div class="stat"><span class="stat-value">{d.actor_count}</span> <span class="stat-label">"actors in the network"</span></div>
                                    <p>{if can_edit_network { "Browse the directory and add organisations." } else { "Browse the organisations of the network." }}</p>
                                    <a class="card-link" href="/network">"Open the network"</a>
                                </section>
                                <section class="card">
                                    <h2>"Your organisations"</h2>
                                    {if d.me.actors.is_empty() {
                                        view! { <p class="empty-state">"You do not represent an organisation yet."</p> }.into_any()
                                    } else {
                                        view! { <ul>{d.me.actors.iter().map(|a| view! { <li>{a.name.clone()}</li> }).collect_view()}</ul> }.into_any()
                                    }}
                                </section>
                                <section class="card">
                                    <h2>"Workshops"</h2>
                                    <p>"Workshop cycles, registrations and attendance are coming soon."</p>
                                    <a class="card-link" href="/workshops">"Workshops"</a>
                                </section>
                                <section class="card">
                                    <h2>"Recommendations"</h2>
                                    <p>"The network's recommendation documents: released versions and what changed between them. Amendments, comments and publication are coming soon."</p>
                                    <a class="card-link" href="/recommendations">"Recommendations"</a>
                                </section>
                                {admin.then(|| view! {
                                    <section class="card">
                                        <h2>"Administration"</h2>
                                        <div class="stat"><span class="stat-value">{d.user_count}</span> <span class="stat-label">"user accounts"</span></div>
                                        <a class="card-link" href="/admin">"Manage users and roles"</a>
                                    </section>
                                })}
                            </div>
                        }.into_any()
                    }
                    Err(AppError::Unauthorized(_)) => view! {
                        <section class="coming-soon">
                            <h1 class="page-title">"Mutirão"</h1>
                            <p class="page-lead">"Map the actors of the organic value chain, run cycles of workshops, and negotiate the network's policy recommendations paragraph by paragraph."</p>
                            <p><a class="btn btn-primary" href="/login">"Log in"</a></p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
