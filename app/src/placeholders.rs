//! Sections whose issues have not landed yet.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn ComingSoon(title: &'static str, lead: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <h1 class="page-title">{title}</h1>
        <section class="coming-soon">
            <h2>"Coming soon"</h2>
            <p>{lead}</p>
        </section>
    }
}

#[component]
pub fn WorkshopsPage() -> impl IntoView {
    view! { <ComingSoon title="Workshops" lead="Cycles of workshops: sessions, invitations, registrations, check-in on the day, minutes and participation reports." /> }
}
