use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::Login;
use crate::components::{field_error, FormAlert};

#[component]
pub fn LoginPage() -> impl IntoView {
    // Created here, inside the route, so a refused login posted without JavaScript shows its error.
    let login = ServerAction::<Login>::new();
    let next = move || use_query_map().with(|q| q.get("next")).unwrap_or_default();
    let result = login.value();
    let email_error = move || field_error(result.get(), "email");
    let password_error = move || field_error(result.get(), "password");
    // Shown as a password until the person asks to see it (works once the page is interactive).
    let (visible, set_visible) = signal(false);
    view! {
        <Title text="Log in" />
        <div class="login-page">
            <h1 class="page-title">"Log in to Mutirão"</h1>
            <FormAlert result=result.into() fields=&["email", "password"] />
            <ActionForm action=login attr:class="form" attr:novalidate=true>
                <input type="hidden" name="next" prop:value=next />
                <div class="field">
                    <label for="login-email">"Email"</label>
                    <input id="login-email" type="email" name="email" autocomplete="username" required
                        aria-invalid=move || email_error().is_some().to_string() aria-describedby="login-email-error" />
                    <p class="field-error" id="login-email-error">{email_error}</p>
                </div>
                <div class="field">
                    <label for="login-password">"Password"</label>
                    <input id="login-password" name="password" autocomplete="current-password" required
                        type=move || if visible.get() { "text" } else { "password" }
                        aria-invalid=move || password_error().is_some().to_string() aria-describedby="login-password-error" />
                    <p class="field-error" id="login-password-error">{password_error}</p>
                    <button type="button" class="btn-link btn-small" aria-pressed=move || visible.get().to_string()
                        on:click=move |_| set_visible.update(|v| *v = !*v)>
                        {move || if visible.get() { "Hide password" } else { "Show password" }}
                    </button>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" aria-busy=move || login.pending().get().to_string()>"Log in"</button>
                </div>
            </ActionForm>
            <p class="hint">"No account yet? Accounts are created by your network's administrator, who sends you an invitation link."</p>
        </div>
    }
}
