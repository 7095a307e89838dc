//! Logging in and out, the dashboard, personal API tokens and invitations.

mod dashboard;
mod invite;
mod login;
mod tokens;

pub use dashboard::DashboardPage;
pub use invite::InvitePage;
pub use login::LoginPage;
pub use tokens::TokensPage;

use leptos::prelude::*;
use shared::{
    accounts::{ApiTokenView, Dashboard, NewApiToken, UserView},
    AppError,
};

/// The logged-in user, read once per page load and after logging in or out.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<UserView>, AppError>>);

#[server]
pub async fn who_am_i() -> Result<Option<UserView>, AppError> {
    use crate::server;
    match server::request_auth().caller {
        Some(caller) => server::ports()?.accounts.me(&caller).await.map(Some),
        None => Ok(None),
    }
}

/// Logs in and goes to `next` (a path on this site) or the dashboard.
#[server]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server;
    let auth = server::request_auth();
    let outcome = server::ports()?.accounts.login(&email, &password, &auth.client).await?;
    server::set_cookie(&server::cookie_policy().open(&outcome.session_token, outcome.max_age_secs));
    leptos_axum::redirect(&server::safe_next(next.as_deref()));
    Ok(())
}

#[server]
pub async fn logout() -> Result<(), AppError> {
    use crate::server;
    if let Some(secret) = server::request_auth().session_secret {
        server::ports()?.accounts.logout(&secret).await?;
    }
    server::set_cookie(&server::cookie_policy().clear());
    leptos_axum::redirect("/login");
    Ok(())
}

#[server]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::server;
    server::ports()?.accounts.dashboard(&server::caller()?).await
}

/// The caller's tokens, and the one just created (its secret shown once).
#[server]
pub async fn my_tokens() -> Result<(Vec<ApiTokenView>, Option<NewApiToken>), AppError> {
    use crate::server;
    let caller = server::caller()?;
    let tokens = server::ports()?.accounts.list_tokens(&caller).await?;
    let created = server::take_flash("/account/tokens").and_then(|s| serde_json::from_str::<NewApiToken>(&s).ok());
    Ok((tokens, created))
}

#[server]
pub async fn create_token(name: String) -> Result<(), AppError> {
    use crate::server;
    let token = server::ports()?.accounts.create_token(&server::caller()?, &name).await?;
    server::set_flash("/account/tokens", &serde_json::to_string(&token).map_err(|_| AppError::Internal)?);
    Ok(())
}

#[server]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    use crate::server;
    server::ports()?.accounts.revoke_token(&server::caller()?, &id).await
}

#[server]
pub async fn invitation(token: String) -> Result<String, AppError> {
    crate::server::ports()?.accounts.invitation(&token).await
}

/// Sets the invited user's password (typed twice) and logs them in.
#[server]
pub async fn accept_invitation(token: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::server;
    if password != confirm {
        return Err(AppError::validation("confirm", "The two passwords are not the same."));
    }
    let outcome = server::ports()?.accounts.accept_invitation(&token, &password).await?;
    server::set_cookie(&server::cookie_policy().open(&outcome.session_token, outcome.max_age_secs));
    leptos_axum::redirect("/");
    Ok(())
}
