//! Logging in and out, the dashboard, personal API tokens and invitations.

mod dashboard;
mod invite;
mod login;
mod tokens;

pub use dashboard::DashboardPage;
pub use invite::InvitePage;
pub use login::LoginPage;
pub use tokens::{token_table, TokensPage};

use leptos::prelude::*;
use shared::{
    accounts::{ApiTokenView, Dashboard, NewApiToken, UserView},
    AppError,
};

/// The logged-in user, read once per page load and after logging in or out.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<UserView>, AppError>>);

#[server(prefix = "/fn")]
pub async fn who_am_i() -> Result<Option<UserView>, AppError> {
    use crate::request;
    match request::request_auth().caller {
        Some(caller) => request::ports()?.accounts.me(&caller).await.map(Some),
        None => Ok(None),
    }
}

/// Logs in and goes to `next` (a path on this site) or the dashboard.
#[server(prefix = "/fn")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::request;
    let auth = request::request_auth();
    let outcome = request::ports()?.accounts.login(&email, &password, &auth.client).await?;
    request::set_cookie(&request::cookie_policy().open(&outcome.session_token, outcome.max_age_secs));
    crate::request::redirect(&request::safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn logout() -> Result<(), AppError> {
    use crate::request;
    if let Some(secret) = request::request_auth().session_secret {
        request::ports()?.accounts.logout(&secret).await?;
    }
    request::set_cookie(&request::cookie_policy().clear());
    crate::request::redirect("/login");
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::request;
    request::ports()?.accounts.dashboard(&request::caller()?).await
}

/// The caller's tokens, and the one just created (its secret shown once).
#[server(prefix = "/fn")]
pub async fn my_tokens() -> Result<(Vec<ApiTokenView>, Option<NewApiToken>), AppError> {
    use crate::request;
    let caller = request::caller()?;
    let tokens = request::ports()?.accounts.list_tokens(&caller).await?;
    let created = request::take_flash("/account/tokens").and_then(|s| serde_json::from_str::<NewApiToken>(&s).ok());
    Ok((tokens, created))
}

#[server(prefix = "/fn")]
pub async fn create_token(name: String) -> Result<(), AppError> {
    use crate::request;
    let token = request::ports()?.accounts.create_token(&request::caller()?, &name).await?;
    request::set_flash("/account/tokens", &serde_json::to_string(&token).map_err(|_| AppError::Internal)?);
    Ok(())
}

#[server(prefix = "/fn")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    use crate::request;
    request::ports()?.accounts.revoke_token(&request::caller()?, &id).await
}

#[server(prefix = "/fn")]
pub async fn invitation(token: String) -> Result<String, AppError> {
    crate::request::ports()?.accounts.invitation(&token).await
}

/// Sets the invited user's password (typed twice) and logs them in.
#[server(prefix = "/fn")]
pub async fn accept_invitation(token: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::request;
    if password != confirm {
        return Err(AppError::validation("confirm", "The two passwords are not the same."));
    }
    let outcome = request::ports()?.accounts.accept_invitation(&token, &password).await?;
    request::set_cookie(&request::cookie_policy().open(&outcome.session_token, outcome.max_age_secs));
    crate::request::redirect("/");
    Ok(())
}
