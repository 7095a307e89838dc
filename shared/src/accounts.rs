//! Accounts: roles, the caller of a request, users and their validation, API tokens.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::{network::ActorRef, text, AppError};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Member,
    Organizer,
    Secretariat,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Member, Role::Organizer, Role::Secretariat, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Organizer => "organizer",
            Role::Secretariat => "secretariat",
            Role::Admin => "admin",
        }
    }

    /// The word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Network member",
            Role::Organizer => "Workshop organiser",
            Role::Secretariat => "Secretariat",
            Role::Admin => "Administrator",
        }
    }
}

impl FromStr for Role {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| {
            AppError::validation("roles", format!("“{s}” is not a role. Roles are member, organizer, secretariat and admin."))
        })
    }
}

/// Parses role names, dropping duplicates and keeping a stable order.
pub fn parse_roles(names: &[String]) -> Result<Vec<Role>, AppError> {
    let mut roles = names.iter().map(|n| n.parse()).collect::<Result<Vec<Role>, _>>()?;
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(AppError::validation("roles", "Choose at least one role."));
    }
    Ok(roles)
}

/// Those who keep the network: they change any actor, person, meeting or alliance.
pub const STEWARDS: &[Role] = &[Role::Organizer, Role::Secretariat, Role::Admin];

/// Who is making a request, as established by the server from a session cookie or an API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Caller {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub actor_ids: Vec<String>,
}

impl Caller {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }
    /// Refuses unless the caller holds one of `roles`; `what` completes "Your role does not allow you to …".
    pub fn require_any(&self, roles: &[Role], what: &str) -> Result<(), AppError> {
        if self.has_any(roles) {
            Ok(())
        } else {
            Err(AppError::forbidden(what))
        }
    }
    pub fn is_admin(&self) -> bool {
        self.has_role(Role::Admin)
    }
}

/// Refuses an anonymous request with 401.
pub fn require_caller(caller: Option<&Caller>) -> Result<&Caller, AppError> {
    caller.ok_or_else(AppError::unauthenticated)
}

/// A user as shown to people and scripts: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub actors: Vec<ActorRef>,
    /// False while an invited user has not yet chosen a password.
    #[serde(default)]
    pub active: bool,
    /// An admin disabled the account: it cannot log in, and its sessions and tokens do not work.
    #[serde(default)]
    pub disabled: bool,
}

/// What an admin submits to create a user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub actor_ids: Option<Vec<String>>,
}

/// A `NewUser` that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewUser {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub password: Option<String>,
    pub actor_ids: Vec<String>,
}

impl NewUser {
    /// Checks every field and names the first one that is wrong.
    pub fn validate(&self) -> Result<ValidNewUser, AppError> {
        let email = normalize_email(&self.email)?;
        let name = text::required_line("name", "Name", &self.name, 200)?;
        let roles = parse_roles(&self.roles)?;
        let password = match self.password.as_deref() {
            None | Some("") => None,
            Some(p) => Some(check_password(p)?.to_string()),
        };
        let mut actor_ids: Vec<String> =
            self.actor_ids.clone().unwrap_or_default().into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        actor_ids.sort();
        actor_ids.dedup();
        if let Some(bad) = actor_ids.iter().find(|a| !is_record_key(a)) {
            return Err(AppError::validation("actor_ids", format!("“{bad}” is not an organisation id.")));
        }
        Ok(ValidNewUser { email, name, roles, password, actor_ids })
    }
}

/// Trims and lowercases an email address and checks its shape: the one rule for the email of a
/// user, an actor and a person (a test checks that the schema's `string::is_email` accepts every
/// address it accepts).
pub fn normalize_email(email: &str) -> Result<String, AppError> {
    let e = email.trim().to_lowercase();
    if e.is_empty() {
        return Err(AppError::validation("email", "Email is required."));
    }
    // The domain needs a dot: addresses at a bare host name (`ana@localhost`) reach nobody here.
    // Its labels are letters, digits and inner hyphens, as host names are (and as the schema's
    // `string::is_email` wants).
    let dotted = e.rsplit_once('@').is_some_and(|(_, d)| {
        d.contains('.')
            && d.split('.')
                .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
    });
    if e.len() > 254 || !email_address::EmailAddress::is_valid(&e) || !dotted {
        return Err(AppError::validation("email", format!("“{}” is not a valid email address.", email.trim())));
    }
    Ok(e)
}

/// An optional email (blank is none), checked as [`normalize_email`].
pub fn optional_email(email: Option<&str>) -> Result<Option<String>, AppError> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) => normalize_email(e).map(Some),
    }
}

/// Passwords: at least 12 characters (long beats clever), at most 512 so hashing stays cheap.
pub fn check_password(password: &str) -> Result<&str, AppError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::validation("password", format!("The password must be at least {MIN_PASSWORD_CHARS} characters long.")));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::validation("password", format!("The password must be at most {MAX_PASSWORD_CHARS} characters long.")));
    }
    Ok(password)
}

/// Record keys we generate and accept from outside: ASCII letters, digits, `_` and `-`.
pub fn is_record_key(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A personal API token as listed: the secret itself is shown once, at creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// A token just created, with its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiToken {
    pub id: String,
    pub name: String,
    pub token: String,
}

/// The result of creating a user: when no password was given, an invitation to set one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedUser {
    pub user: UserView,
    /// The path (`/invite/{token}`) the invited person opens to choose a password.
    pub invite_path: Option<String>,
}

/// What the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub me: UserView,
    pub actor_count: u64,
    pub user_count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn new_user() -> NewUser {
        NewUser {
            email: " Ana@Example.org ".into(),
            name: " Ana Souza ".into(),
            roles: vec!["member".into(), "admin".into(), "member".into()],
            password: None,
            actor_ids: Some(vec!["coop1".into(), "coop1".into(), " ".into()]),
        }
    }

    #[test]
    fn validates_and_normalises() {
        let v = new_user().validate().unwrap();
        assert_eq!(v.email, "ana@example.org");
        assert_eq!(v.name, "Ana Souza");
        assert_eq!(v.roles, vec![Role::Member, Role::Admin]);
        assert_eq!(v.actor_ids, vec!["coop1".to_string()]);
        assert_eq!(v.password, None);
    }

    #[test]
    fn names_the_bad_field() {
        let mut u = new_user();
        u.email = "not-an-email".into();
        assert_eq!(u.validate().unwrap_err().field(), Some("email"));
        let mut u = new_user();
        u.password = Some("short".into());
        assert_eq!(u.validate().unwrap_err().field(), Some("password"));
        let mut u = new_user();
        u.roles = vec!["king".into()];
        assert_eq!(u.validate().unwrap_err().field(), Some("roles"));
        let mut u = new_user();
        u.roles = vec![];
        assert_eq!(u.validate().unwrap_err().field(), Some("roles"));
        let mut u = new_user();
        u.name = "".into();
        assert_eq!(u.validate().unwrap_err().field(), Some("name"));
        let mut u = new_user();
        u.actor_ids = Some(vec!["actor:⟨x⟩; DELETE user".into()]);
        assert_eq!(u.validate().unwrap_err().field(), Some("actor_ids"));
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert!(check_password("ããããããããããã").is_err()); // 11 chars, 22 bytes
        assert!(check_password("ãããããããããããã").is_ok()); // 12 chars
    }

    #[test]
    fn caller_roles() {
        let c = Caller { user_id: "u".into(), email: "e".into(), name: "n".into(), roles: vec![Role::Organizer], actor_ids: vec![] };
        assert!(c.require_any(&[Role::Organizer, Role::Admin], "x").is_ok());
        assert_eq!(c.require_any(&[Role::Admin], "manage users").unwrap_err().status(), 403);
        assert_eq!(require_caller(None).unwrap_err().status(), 401);
    }

    #[test]
    fn roles_serialise_in_the_api_spelling() {
        assert_eq!(serde_json_roles(), r#"["member","organizer","secretariat","admin"]"#);
    }

    fn serde_json_roles() -> String {
        serde_json::to_string(&Role::ALL).unwrap()
    }

    proptest! {
        #[test]
        fn record_keys_never_contain_query_syntax(s in "\\PC{0,80}") {
            if is_record_key(&s) {
                prop_assert!(!s.contains([':', ';', '`', '⟨', '\'', '"', ' ']));
            }
        }

        #[test]
        fn role_names_round_trip(i in 0usize..4) {
            let r = Role::ALL[i];
            prop_assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
    }
}
