//! Mutirão's user interface: pages, components and server functions, grouped by domain.
//! Built with `ssr` for the server and `hydrate` for the browser.

// The pages' view types nest deeply when components are not erased (release builds).
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod components;
pub mod drafting;
pub mod network;
pub mod placeholders;
#[cfg(feature = "ssr")]
pub mod request;

/// Where every server function is served: `#[server(prefix = "/fn")]` on each (the macro takes a
/// literal only), apart from the REST API's `/api/v1`, so the server tells the two apart by
/// prefix alone (a test checks that every registered server function is under it).
pub const SERVER_FN_PREFIX: &str = "/fn/";

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The Content-Security-Policy of every response. Scripts run only from this site's files, or
/// inline when they carry the page's `nonce` (the hydration script and the data Leptos writes
/// into the page, each page a fresh one); `'wasm-unsafe-eval'` lets the WASM bundle compile;
/// the map's layout runs in a worker its script makes from a `blob:`.
/// No plugin, `<base>`, form target or frame parent on another site, and no image from another
/// site (it would tell that site who reads what). Responses that are not pages have no nonce.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let inline = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "script-src 'self'{inline} 'wasm-unsafe-eval'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'; img-src 'self' data:"
    )
}

/// Sends the page's Content-Security-Policy with the nonce Leptos gave this response's inline
/// scripts (`leptos_axum` makes one per request).
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Mutirão: map a value-chain network, run its workshops, negotiate and publish its recommendations." />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                // The network map's drawing (small; it loads sigma.js only on a page with a map).
                <script src="/map.js" defer></script>
                // Upload progress for the import forms.
                <script src="/import.js" defer></script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the page interactive once hydrated (end-to-end tests wait for it before acting).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/mutirao.css" />
        <Title formatter=document_title />
        <Router>
            // Async: each page is sent whole once its data is read, so it is complete without JavaScript.
            <components::Layout>
                <Routes fallback=|| view! { <components::NotFound /> }>
                    <Route path=path!("/") view=accounts::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=accounts::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view=accounts::InvitePage ssr=SsrMode::Async />
                    <Route path=path!("/account/tokens") view=accounts::TokensPage ssr=SsrMode::Async />
                    <Route path=path!("/network") view=network::DirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("/network/map") view=network::MapPage ssr=SsrMode::Async />
                    <Route path=path!("/directory") view=network::PublicDirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("/network/import") view=network::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/network/reports") view=network::ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("/network/actors/:id") view=network::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/network/actors/:id/matches") view=network::MatchesPage ssr=SsrMode::Async />
                    <Route path=path!("/network/alliances/:id") view=network::AlliancePage ssr=SsrMode::Async />
                    <Route path=path!("/network/people") view=network::PeoplePage ssr=SsrMode::Async />
                    <Route path=path!("/network/people/:id") view=network::PersonPage ssr=SsrMode::Async />
                    <Route path=path!("/workshops") view=placeholders::WorkshopsPage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations") view=drafting::DocumentsPage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations/:slug") view=drafting::DocumentPage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations/:slug/compare") view=drafting::ComparePage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations/:slug/edit") view=drafting::EditorPage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations/:slug/p/:pid") view=drafting::ParagraphPage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations/:slug/compilation") view=drafting::CompilationPage ssr=SsrMode::Async />
                    <Route path=path!("/recommendations/:slug/comments") view=drafting::DocumentCommentsPage ssr=SsrMode::Async />
                    <Route path=path!("/r/:slug") view=drafting::PublicationPage ssr=SsrMode::Async />
                    <Route path=path!("/r/:slug/v/:n") view=drafting::PublicationPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=admin::UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users/:id") view=admin::UserPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=admin::AuditPage ssr=SsrMode::Async />
                </Routes>
            </components::Layout>
        </Router>
    }
}

/// The text of the document's `<title>`: "{page} · Mutirão", or "Mutirão" alone. Every page's
/// title passes through this one formatter, set at the root, which escapes it on the server
/// (leptos_meta 0.8 writes the title between `<title>` tags as it is: see
/// [`components::raw_text`]).
pub fn document_title(title: String) -> String {
    components::raw_text(&if title.is_empty() { "Mutirão".to_string() } else { format!("{title} · Mutirão") })
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
