//! Administration: user accounts and their roles.

// Server functions take one argument per form field so that forms post without JavaScript; the
// client half the `#[server(prefix = "/fn")]` macro generates does not see an item-level allow.
#![allow(clippy::too_many_arguments)]

mod audit;
mod users;

pub use audit::AuditPage;
pub use users::{UserPage, UsersPage};

use leptos::prelude::*;
use shared::{
    accounts::{ApiTokenView, UserView},
    audit::AuditEntry,
    network::ActorRef,
    AppError, Page,
};

/// The roles ticked in a form, one checkbox per role (`role_admin=on`…).
pub fn ticked_roles(
    member: &Option<String>,
    organizer: &Option<String>,
    secretariat: &Option<String>,
    admin: &Option<String>,
) -> Vec<String> {
    [("member", member), ("organizer", organizer), ("secretariat", secretariat), ("admin", admin)]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(r, _)| r.to_string())
        .collect()
}

#[server(prefix = "/fn")]
pub async fn list_users(page: Option<u32>) -> Result<Page<UserView>, AppError> {
    use crate::request;
    request::ports()?.accounts.list_users(&request::caller()?, shared::PageRequest::new(page, None)).await
}

/// The organisations a new user may belong to (admins only).
#[server(prefix = "/fn")]
pub async fn actor_choices() -> Result<Vec<ActorRef>, AppError> {
    use crate::request;
    request::ports()?.accounts.membership_choices(&request::caller()?).await
}

#[server(prefix = "/fn")]
pub async fn create_user(
    email: String,
    name: String,
    role_member: Option<String>,
    role_organizer: Option<String>,
    role_secretariat: Option<String>,
    role_admin: Option<String>,
    password: Option<String>,
    actor_id: Option<String>,
) -> Result<(), AppError> {
    use crate::request;
    let new = shared::accounts::NewUser {
        email,
        name,
        roles: ticked_roles(&role_member, &role_organizer, &role_secretariat, &role_admin),
        password: password.filter(|p| !p.is_empty()),
        actor_ids: actor_id.filter(|a| !a.is_empty()).map(|a| vec![a]),
    };
    let created = request::ports()?.accounts.create_user(&request::caller()?, new).await?;
    let path = format!("/admin/users/{}", created.user.id);
    let message = match &created.invite_path {
        Some(invite) => format!("invite:{invite}"),
        None => "created".to_string(),
    };
    request::set_flash(&path, &message);
    crate::request::redirect(&path);
    Ok(())
}

/// A user and the one-time message left by creating them.
#[server(prefix = "/fn")]
pub async fn get_user(id: String) -> Result<(UserView, Option<String>), AppError> {
    use crate::request;
    let user = request::ports()?.accounts.get_user(&request::caller()?, &id).await?;
    Ok((user, request::take_flash(&format!("/admin/users/{id}"))))
}

#[server(prefix = "/fn")]
pub async fn set_roles(
    id: String,
    role_member: Option<String>,
    role_organizer: Option<String>,
    role_secretariat: Option<String>,
    role_admin: Option<String>,
) -> Result<UserView, AppError> {
    use crate::request;
    let roles = shared::accounts::parse_roles(&ticked_roles(&role_member, &role_organizer, &role_secretariat, &role_admin))?;
    request::ports()?.accounts.set_roles(&request::caller()?, &id, roles).await
}

/// Disables (`disabled` = "true") or enables an account.
#[server(prefix = "/fn")]
pub async fn set_disabled(id: String, disabled: String) -> Result<UserView, AppError> {
    use crate::request;
    request::ports()?.accounts.set_disabled(&request::caller()?, &id, disabled == "true").await
}

/// A user's tokens in use (admins only).
#[server(prefix = "/fn")]
pub async fn user_tokens(id: String) -> Result<Vec<ApiTokenView>, AppError> {
    use crate::request;
    request::ports()?.accounts.user_tokens(&request::caller()?, &id).await
}

/// A new invitation link for a user who has none that works; shown once on their page.
#[server(prefix = "/fn")]
pub async fn reissue_invitation(id: String) -> Result<(), AppError> {
    use crate::request;
    let invite = request::ports()?.accounts.reissue_invitation(&request::caller()?, &id).await?;
    let path = format!("/admin/users/{id}");
    request::set_flash(&path, &format!("reinvite:{invite}"));
    request::redirect(&path);
    Ok(())
}

/// A page of the audit log, filtered as the page's form asks (admins only).
#[server(prefix = "/fn")]
pub async fn audit_log(
    user: Option<String>,
    action: Option<String>,
    since: Option<String>,
    page: Option<u32>,
) -> Result<Page<AuditEntry>, AppError> {
    use crate::request;
    let filter = shared::audit::AuditFilter::parse(user.as_deref(), action.as_deref(), since.as_deref())?;
    request::ports()?.accounts.audit_log(&request::caller()?, filter, shared::PageRequest::new(page, None)).await
}
