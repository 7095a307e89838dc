use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{invitation, AcceptInvitation};
use crate::components::{field_error, ErrorPanel, FormAlert};

#[component]
pub fn InvitePage() -> impl IntoView {
    let token = move || use_params_map().with(|p| p.get("token")).unwrap_or_default();
    let email = Resource::new(token, invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let result = accept.value();
    let password_error = move || field_error(result.get(), "password");
    let confirm_error = move || field_error(result.get(), "confirm");
    view! {
        <Title text="Accept your invitation" />
        <div class="login-page">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match email.await {
                        Ok(email) => view! {
                            <h1 class="page-title">"Welcome to Mutirão"</h1>
                            <p>"Choose a password for " <strong>{email}</strong> ". Use at least 12 characters; a few unrelated words are easy to remember and hard to guess."</p>
                            <FormAlert result=result.into() fields=&["password", "confirm"] />
                            <ActionForm action=accept attr:class="form">
                                <input type="hidden" name="token" value=token() />
                                <div class="field">
                                    <label for="invite-password">"New password"</label>
                                    <input id="invite-password" type="password" name="password" autocomplete="new-password" required minlength="12"
                                        aria-invalid=move || password_error().is_some().to_string() aria-describedby="invite-password-error" />
                                    <p class="field-error" id="invite-password-error">{password_error}</p>
                                </div>
                                <div class="field">
                                    <label for="invite-confirm">"Type it again"</label>
                                    <input id="invite-confirm" type="password" name="confirm" autocomplete="new-password" required minlength="12"
                                        aria-invalid=move || confirm_error().is_some().to_string() aria-describedby="invite-confirm-error" />
                                    <p class="field-error" id="invite-confirm-error">{confirm_error}</p>
                                </div>
                                <div class="form-actions"><button type="submit" class="btn btn-primary">"Set password and log in"</button></div>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
