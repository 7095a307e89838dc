//! The frame around every page and the small pieces pages share.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_location};
use shared::{accounts::UserView, AppError, Page, Role};

use crate::accounts::{who_am_i, CurrentUser, Logout};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let location = use_location();
    // Who is logged in: read with the page on the server, and again after each navigation
    // (logging in and out both navigate) or logout.
    let user = Resource::new(move || (location.pathname.get(), logout.version().get()), |_| who_am_i());
    provide_context(CurrentUser(user));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <A href="/" attr:class="brand">"Mutirão"</A>
            <nav class="site-nav" aria-label="Main">
                <ul>
                    <li><A href="/network" attr:class="nav-link">"Network"</A></li>
                    <li><A href="/workshops" attr:class="nav-link">"Workshops"</A></li>
                    <li><A href="/recommendations" attr:class="nav-link">"Recommendations"</A></li>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let is_admin = matches!(user.await, Ok(Some(u)) if u.roles.contains(&Role::Admin));
                            is_admin.then(|| view! { <li><A href="/admin" attr:class="nav-link">"Admin"</A></li> })
                        })}
                    </Transition>
                </ul>
            </nav>
            <div class="user-menu">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <span class="user-name">{u.name.clone()}</span>
                                <A href="/account/tokens" attr:class="btn-link">"API tokens"</A>
                                <ActionForm action=logout>
                                    <button type="submit" class="btn-link">"Log out"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! { <A href="/login" attr:class="btn btn-small">"Log in"</A> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </header>
        <main class="page" id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>"Mutirão — neighbours working a field together."</p>
        </footer>
    }
}

/// Shows why a page cannot be shown: log in, not allowed, not found, or a plain error.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    // A page refused or missing answers with that status, not 200 (pages render whole, so the
    // status is still unsent).
    #[cfg(feature = "ssr")]
    if matches!(error, AppError::Forbidden(_) | AppError::NotFound(_)) {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
    match error {
        AppError::Unauthorized(_) => {
            let here = use_location().pathname.get_untracked();
            let href = format!("/login?next={}", urlencode(&here));
            view! {
                <section class="forbidden" aria-labelledby="err-title">
                    <h1 id="err-title" class="page-title">"Please log in"</h1>
                    <p>"You need to be logged in to see this page."</p>
                    <p><a class="btn btn-primary" href=href>"Log in"</a></p>
                </section>
            }
            .into_any()
        }
        AppError::Forbidden(message) => view! {
            <Title text="Not allowed" />
            <section class="forbidden" aria-labelledby="err-title">
                <h1 id="err-title" class="page-title">"You may not see this page"</h1>
                <p>{message}</p>
                <p>"If you need access, ask an administrator of your network to give you the right role."</p>
                <p><a href="/">"Back to your dashboard"</a></p>
            </section>
        }
        .into_any(),
        AppError::NotFound(message) => view! {
            <section class="not-found">
                <h1 class="page-title">"Not found"</h1>
                <p>{message}</p>
            </section>
        }
        .into_any(),
        other => view! { <div class="alert alert-error" role="alert">{other.to_string()}</div> }.into_any(),
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="not-found">
            <h1 class="page-title">"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="/">"Go to your dashboard"</a></p>
        </section>
    }
}

/// A field of a refused form's kept input (see `request::keep_input`), when it was kept for the
/// form named `form` (its `form` field).
pub fn kept_value(kept: &Option<Vec<(String, String)>>, form: &str, name: &str) -> Option<String> {
    let fields = kept.as_ref()?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    (get("form").as_deref() == Some(form)).then(|| get(name)).flatten()
}

/// A form field's value, given as `prop:value=FormValue::from(…)`. When the page renders
/// again (after a change was saved) the field is set to it: the DOM is reused, and a
/// textarea's value does not follow its content. Hydration leaves the field alone: the server
/// already wrote the same value into the HTML, and what someone typed before the page became
/// interactive stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormValue(pub String);

impl<T: Into<String>> From<T> for FormValue {
    fn from(value: T) -> Self {
        FormValue(value.into())
    }
}

impl leptos::tachys::html::property::IntoProperty for FormValue {
    type State = (leptos::tachys::renderer::types::Element, leptos::wasm_bindgen::JsValue);
    type Cloneable = Self;
    type CloneableOwned = Self;

    fn hydrate<const FROM_SERVER: bool>(self, el: &leptos::tachys::renderer::types::Element, _key: &str) -> Self::State {
        (el.clone(), leptos::wasm_bindgen::JsValue::from_str(&self.0))
    }

    fn build(self, el: &leptos::tachys::renderer::types::Element, key: &str) -> Self::State {
        let value = leptos::wasm_bindgen::JsValue::from_str(&self.0);
        leptos::tachys::renderer::Rndr::set_property_or_value(el, key, &value);
        (el.clone(), value)
    }

    fn rebuild(self, state: &mut Self::State, key: &str) {
        let (el, prev) = state;
        let value = leptos::wasm_bindgen::JsValue::from_str(&self.0);
        leptos::tachys::renderer::Rndr::set_property_or_value(el, key, &value);
        *prev = value;
    }

    fn into_cloneable(self) -> Self::Cloneable {
        self
    }

    fn into_cloneable_owned(self) -> Self::CloneableOwned {
        self
    }
}

/// The message of a form's last error, if it names `field` (or any field when `field` is "form").
pub fn field_error<T: Clone + Send + Sync + 'static>(result: Option<Result<T, AppError>>, field: &'static str) -> Option<String> {
    match result {
        Some(Err(AppError::Validation { field: f, message })) if f == field => Some(message),
        _ => None,
    }
}

/// The alert for an action's result: errors that do not name a field of the form.
#[component]
pub fn FormAlert<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    /// The fields that show their own errors.
    fields: &'static [&'static str],
) -> impl IntoView {
    move || match result.get() {
        Some(Err(AppError::Validation { field, .. })) if fields.contains(&field.as_str()) => None,
        Some(Err(e)) => Some(view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }),
        _ => None,
    }
}

/// Previous / next links that keep the other query parameters (work without JavaScript).
#[component]
pub fn Pagination<T: Clone + Send + Sync + 'static>(page: Page<T>, base: String) -> impl IntoView {
    let sep = if base.contains('?') { "&" } else { "?" };
    let prev = page.has_prev().then(|| format!("{base}{sep}page={}", page.page - 1));
    let next = page.has_next().then(|| format!("{base}{sep}page={}", page.page + 1));
    let info = format!("Page {} of {} · {} in all", page.page, page.page_count(), page.total);
    view! {
        <nav class="pagination" aria-label="Pages">
            {prev.map(|href| view! { <a href=href rel="prev">"← Previous"</a> })}
            <span class="pagination-info">{info}</span>
            {next.map(|href| view! { <a href=href rel="next">"Next →"</a> })}
        </nav>
    }
}

pub fn role_badges(user: &UserView) -> impl IntoView {
    user.roles.iter().map(|r| view! { <span class=format!("badge badge-{}", r.as_str())>{r.label()}</span> " " }).collect_view()
}

/// Text for an element the server renderer writes unescaped: a `<textarea>`'s children and the
/// document's `<title>` (leptos_meta 0.8 and tachys write both as they are, so text someone typed,
/// a `</textarea><script>…` or a `</title><img onerror=…>`, could end the element and run script).
/// On the server the text is escaped (the browser decodes it); in the browser it is set as a text
/// node or `document.title` and needs nothing.
pub fn raw_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        shared::text::escape_html(text)
    } else {
        text.to_string()
    }
}

/// The text to put inside a `<textarea>` (see [`raw_text`]).
pub fn textarea_text(text: &str) -> String {
    raw_text(text)
}

/// `2026-11-22T11:37:29.123Z` → `2026-11-22 11:37 UTC`.
pub fn short_time(t: &str) -> String {
    let t = t.trim_matches(|c| c == '\'' || c == '"' || c == 'd');
    match (t.get(0..10), t.get(11..16)) {
        (Some(d), Some(h)) => format!("{d} {h} UTC"),
        _ => t.to_string(),
    }
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
