//! The accounts use cases on SurrealDB.

use async_trait::async_trait;
use shared::{
    accounts::{
        check_password, is_record_key, ApiTokenView, Caller, CreatedUser, Dashboard, NewApiToken, NewUser, Role, UserView, ValidNewUser,
    },
    audit::{AuditAction, AuditEntry, AuditFilter},
    network::ActorRef,
    ports::{AccountsPort, LoginOutcome},
    text, AppError, Page, PageRequest,
};
use surrealdb::types::SurrealValue;
use tracing::instrument;

use super::{
    hashing::HashGate,
    rate_limit::{wait_after, LoginLimiter, FAILURES_FORGOTTEN_AFTER},
    secrets,
};
use crate::{
    audit::Audit,
    db::{is_duplicate, refused, retry_conflicts, Db, Refusal},
    error::internal,
};

/// Days an invitation link stays valid.
const INVITATION_DAYS: i64 = 14;

pub struct SurrealAccounts {
    db: Db,
    limiter: LoginLimiter,
    hashing: HashGate,
    session_secs: i64,
}

/// The most form input kept for one page (a long paragraph and a few fields).
const MAX_KEPT_INPUT: usize = 100_000;
/// The most forms kept for one user (the newest; a form is kept for an hour, for one page each).
pub const MAX_KEPT_FORMS: usize = 20;

#[derive(Debug, SurrealValue)]
struct KeptRow {
    fields: String,
    fresh: bool,
}

#[derive(Debug, SurrealValue)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    roles: Vec<String>,
    actors: Vec<ActorRow>,
    active: bool,
    disabled: bool,
}

#[derive(Debug, SurrealValue)]
struct ActorRow {
    id: String,
    name: String,
}

#[derive(Debug, SurrealValue)]
struct Credentials {
    id: String,
    password_hash: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct TokenRow {
    id: String,
    name: String,
    created_at: String,
    last_used_at: Option<String>,
}

/// The projection of a user that every read uses.
// A user's actors are read from the record links (not by scanning every actor): every
// authenticated request reads them.
const USER_FIELDS: &str = "record::id(id) AS id, email, name, roles, password_hash != NONE AS active, disabled_at != NONE AS disabled,
    (SELECT record::id(id) AS id, name FROM $parent.actors ORDER BY name) AS actors";

fn roles_of(names: &[String]) -> Vec<Role> {
    let mut roles: Vec<Role> = names.iter().filter_map(|n| n.parse().ok()).collect();
    roles.sort();
    roles
}

impl From<UserRow> for UserView {
    fn from(r: UserRow) -> Self {
        UserView {
            id: r.id,
            email: r.email,
            name: r.name,
            roles: roles_of(&r.roles),
            actors: r.actors.into_iter().map(|a| ActorRef { id: a.id, name: a.name }).collect(),
            active: r.active,
            disabled: r.disabled,
        }
    }
}

impl SurrealAccounts {
    pub fn new(db: Db, login_attempts_per_minute: u32, session_hours: u32) -> Self {
        SurrealAccounts {
            db,
            limiter: LoginLimiter::new(login_attempts_per_minute),
            hashing: HashGate::per_cpu(),
            session_secs: i64::from(session_hours.max(1)) * 3600,
        }
    }

    /// The most password hashes that ever ran at once (the bound is one per CPU).
    pub fn peak_hashing(&self) -> usize {
        self.hashing.peak()
    }

    async fn hash(&self, password: String) -> Result<String, AppError> {
        self.hashing.run(move || secrets::hash_password(&password)).await?.map_err(|e| internal("hash password", e))
    }

    /// Whether the password matches the hash; as slow for an unknown email (a dummy hash).
    async fn verify(&self, password: String, hash: String) -> Result<bool, AppError> {
        self.hashing.run(move || secrets::verify_password(&password, &hash)).await
    }

    async fn user_by_key(&self, key: &str) -> Result<Option<UserView>, AppError> {
        if !is_record_key(key) {
            return Ok(None);
        }
        let row: Option<UserRow> = self
            .db
            .query(format!("SELECT {USER_FIELDS} FROM ONLY type::record('user', $key)"))
            .bind(("key", key.to_string()))
            .fetch("load user")
            .await?;
        Ok(row.map(Into::into))
    }

    async fn open_session(&self, user_key: &str) -> Result<String, AppError> {
        let token = secrets::random_secret();
        self.db
            .query(
                "DELETE session WHERE expires_at < time::now();
                 CREATE session CONTENT { token_hash: $hash, user: type::record('user', $user), expires_at: time::now() + <duration> $ttl };",
            )
            .bind(("hash", secrets::secret_hash(&token)))
            .bind(("user", user_key.to_string()))
            .bind(("ttl", format!("{}s", self.session_secs)))
            .run("open session")
            .await?;
        Ok(token)
    }

    /// Creates a user, from the command line or by an admin. An existing email is a conflict.
    /// Without a password, an invitation is created and its path returned.
    #[instrument(skip_all, fields(email = %user.email))]
    pub async fn insert_user(&self, user: ValidNewUser, invited_by: Option<&str>) -> Result<CreatedUser, AppError> {
        let hash = match &user.password {
            Some(p) => Some(self.hash(p.clone()).await?),
            None => None,
        };
        let invite = if hash.is_none() { Some(secrets::random_secret()) } else { None };
        let audit = Audit::by(invited_by, AuditAction::UserCreated, "user", "")
            .summary(format!("roles: {}", user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")));
        let written = self
            .db
            .audited(
                "BEGIN TRANSACTION;
                 LET $actors = array::map($actor_ids, |$a| type::record('actor', $a));
                 IF array::len(array::filter($actors, |$a| record::exists($a))) != array::len($actors) {
                     THROW 'unknown actor';
                 };
                 LET $u = (CREATE ONLY user CONTENT { email: $email, name: $name, roles: $roles, password_hash: $hash, actors: $actors });
                 IF $invite != NONE {
                     CREATE invitation CONTENT {
                         token_hash: $invite, user: $u.id, expires_at: time::now() + <duration> $invite_ttl,
                         created_by: IF $by != NONE { type::record('user', $by) } ELSE { NONE }
                     };
                 };
                 LET $audit_new = record::id($u.id);
                 AUDIT;
                 RETURN record::id($u.id);
                 COMMIT TRANSACTION;",
                &audit,
            )
            .bind(("actor_ids", user.actor_ids.clone()))
            .bind(("email", user.email.clone()))
            .bind(("name", user.name.clone()))
            .bind(("roles", user.roles.iter().map(|r| r.as_str().to_string()).collect::<Vec<_>>()))
            .bind(("hash", hash))
            .bind(("invite", invite.as_deref().map(secrets::secret_hash)))
            .bind(("invite_ttl", format!("{INVITATION_DAYS}d")))
            .bind(("by", invited_by.map(str::to_string)))
            .transact::<String>("create user")
            .await?;
        let key = match written {
            Ok(k) => k,
            Err(e) if refused(&e, Refusal::UnknownActor) => {
                return Err(AppError::validation("actor_ids", "One of the organisations does not exist."));
            }
            Err(e) if is_duplicate(&e) => {
                return Err(AppError::Conflict(format!("A user with the email {} already exists.", user.email)));
            }
            Err(e) => return Err(internal("create user", e)),
        };
        let key = key.ok_or(AppError::Internal)?;
        let created = self.user_by_key(&key).await?.ok_or(AppError::Internal)?;
        Ok(CreatedUser { user: created, invite_path: invite.map(|t| format!("/invite/{t}")) })
    }

    /// A user's tokens in use, newest first.
    async fn tokens_of(&self, user_id: &str) -> Result<Vec<ApiTokenView>, AppError> {
        let rows: Vec<TokenRow> = self
            .db
            .query(
                "SELECT record::id(id) AS id, name, <string> created_at AS created_at,
                        IF last_used_at != NONE { <string> last_used_at } ELSE { NONE } AS last_used_at, created_at AS ts
                 FROM api_token WHERE user = type::record('user', $user) AND revoked_at = NONE ORDER BY ts DESC",
            )
            .bind(("user", user_id.to_string()))
            .fetch("list tokens")
            .await?;
        Ok(rows
            .into_iter()
            .map(|t| ApiTokenView { id: t.id, name: t.name, created_at: t.created_at, last_used_at: t.last_used_at })
            .collect())
    }

    /// A login's checks, once it has its turn (see `login`).
    async fn check_login(&self, email: String, password: &str) -> Result<LoginOutcome, AppError> {
        let bad = || AppError::Unauthorized("The email or password is not correct.".into());
        // The account's failures in a row, as every process counted them.
        let account = secrets::secret_hash(&email);
        self.slowed_down(&account).await?;
        if password.chars().count() > shared::accounts::MAX_PASSWORD_CHARS {
            self.failed(&account).await?;
            return Err(bad());
        }
        let creds: Option<Credentials> = self
            .db
            .query("SELECT record::id(id) AS id, password_hash FROM user WHERE email = $email AND disabled_at = NONE LIMIT 1")
            .bind(("email", email))
            .fetch("login")
            .await?;
        let (key, hash) = match creds {
            Some(Credentials { id, password_hash: Some(h) }) => (Some(id), h),
            _ => (None, secrets::dummy_hash().to_string()),
        };
        let ok = self.verify(password.to_string(), hash).await?;
        let key = match (ok, key) {
            (true, Some(k)) => k,
            _ => {
                self.failed(&account).await?;
                return Err(bad());
            }
        };
        self.db.query("DELETE type::record('login_failure', $account)").bind(("account", account)).run("forget failed logins").await?;
        let token = self.open_session(&key).await?;
        let user = self.user_by_key(&key).await?.ok_or_else(bad)?;
        Ok(LoginOutcome { user, session_token: token, max_age_secs: self.session_secs })
    }

    /// Refuses an attempt on an account that must still wait after its failures (429, saying
    /// how long).
    async fn slowed_down(&self, account: &str) -> Result<(), AppError> {
        #[derive(SurrealValue)]
        struct Failures {
            failures: i64,
            since_ms: i64,
        }
        let row: Option<Failures> = self
            .db
            .query(
                "SELECT failures, duration::millis(time::now() - last_at) AS since_ms
                 FROM ONLY type::record('login_failure', $account) WHERE last_at > time::now() - <duration> $forget",
            )
            .bind(("account", account.to_string()))
            .bind(("forget", format!("{}s", FAILURES_FORGOTTEN_AFTER.as_secs())))
            .fetch("read failed logins")
            .await?;
        let Some(row) = row else { return Ok(()) };
        let wait = wait_after(u32::try_from(row.failures).unwrap_or(u32::MAX));
        let waited = std::time::Duration::from_millis(u64::try_from(row.since_ms).unwrap_or(0));
        if waited < wait {
            let left = (wait - waited).as_secs().max(1);
            let unit = if left == 1 { "second" } else { "seconds" };
            return Err(AppError::TooManyRequests(format!("Too many failed logins for this account. Wait {left} {unit} and try again.")));
        }
        Ok(())
    }

    /// Counts a failed login on an account (one failure more in a row, or the first again when
    /// the last was long ago); failures of a day ago are removed.
    async fn failed(&self, account: &str) -> Result<(), AppError> {
        retry_conflicts(|| {
            self.db
                .query(
                    "BEGIN TRANSACTION;
                     UPSERT type::record('login_failure', $account) SET
                        failures = IF last_at != NONE AND last_at > time::now() - <duration> $forget { failures + 1 } ELSE { 1 },
                        last_at = time::now();
                     DELETE login_failure WHERE last_at < time::now() - 1d;
                     RETURN true;
                     COMMIT TRANSACTION;",
                )
                .bind(("account", account.to_string()))
                .bind(("forget", format!("{}s", FAILURES_FORGOTTEN_AFTER.as_secs())))
                .transact::<bool>("count a failed login")
        })
        .await?
        .map(drop)
        .map_err(|e| internal("count a failed login", e))
    }

    /// Is the database without any user? (The demo loads only into an empty database.)
    pub async fn is_empty(&self) -> Result<bool, AppError> {
        let n: Option<i64> = self.db.query("count(SELECT id FROM user LIMIT 1)").fetch("count users").await?;
        Ok(n.unwrap_or(0) == 0)
    }
}

#[async_trait]
impl AccountsPort for SurrealAccounts {
    /// Rate-limited; an unknown email and a wrong password get the same answer in the same time.
    #[instrument(skip_all)]
    async fn login(&self, email: &str, password: &str, client: &str) -> Result<LoginOutcome, AppError> {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Err(AppError::validation("email", "Enter your email address."));
        }
        if password.is_empty() {
            return Err(AppError::validation("password", "Enter your password."));
        }
        if !self.limiter.allow(client) {
            return Err(AppError::TooManyRequests("Too many login attempts. Wait a minute and try again.".into()));
        }
        let _turn = self.hashing.login_turn().await?;
        // Boxed: the work's state is made only once the turn is there, so a login waiting in
        // line holds a few bytes, not the whole check's state (large in a debug build).
        Box::pin(self.check_login(email, password)).await
    }

    async fn logout(&self, session_token: &str) -> Result<(), AppError> {
        self.db.query("DELETE session WHERE token_hash = $hash").bind(("hash", secrets::secret_hash(session_token))).run("logout").await?;
        Ok(())
    }

    /// A session secret is valid until it expires; an API token (prefixed `mut_`) until revoked.
    async fn authenticate(&self, secret: &str) -> Result<Option<Caller>, AppError> {
        if secret.is_empty() || secret.len() > 200 {
            return Ok(None);
        }
        let hash = secrets::secret_hash(secret);
        let query = if secret.starts_with(secrets::API_TOKEN_PREFIX) {
            "LET $t = (SELECT id, user FROM api_token WHERE token_hash = $hash AND revoked_at = NONE LIMIT 1)[0];
             IF $t != NONE { UPDATE $t.id SET last_used_at = time::now() };
             RETURN IF $t != NONE { record::id($t.user) } ELSE { NONE };"
        } else {
            "LET $t = NONE; NONE;
             RETURN (SELECT VALUE record::id(user) FROM session WHERE token_hash = $hash AND expires_at > time::now() LIMIT 1)[0];"
        };
        let key: Option<String> = self.db.query(query).bind(("hash", hash)).answers("authenticate").await?.take(2)?;
        let Some(key) = key else { return Ok(None) };
        Ok(self.user_by_key(&key).await?.filter(|u| !u.disabled).map(|u| Caller {
            user_id: u.id,
            email: u.email,
            name: u.name,
            roles: u.roles,
            actor_ids: u.actors.into_iter().map(|a| a.id).collect(),
        }))
    }

    async fn me(&self, caller: &Caller) -> Result<UserView, AppError> {
        self.user_by_key(&caller.user_id).await?.ok_or_else(AppError::unauthenticated)
    }

    async fn dashboard(&self, caller: &Caller) -> Result<Dashboard, AppError> {
        let me = self.me(caller).await?;
        let mut r = self.db.query("count(SELECT id FROM actor); count(SELECT id FROM user);").answers("dashboard").await?;
        Ok(Dashboard { me, actor_count: r.count(0)?, user_count: r.count(1)? })
    }

    /// Admins only: choosing memberships is part of managing accounts.
    async fn membership_choices(&self, caller: &Caller) -> Result<Vec<ActorRef>, AppError> {
        caller.require_any(&[Role::Admin], "manage user accounts")?;
        let mut r =
            self.db.query("SELECT record::id(id) AS id, name FROM actor ORDER BY name COLLATE ASC").answers("list organisations").await?;
        let rows: Vec<ActorRow> = r.take(0)?;
        Ok(rows.into_iter().map(|a| ActorRef { id: a.id, name: a.name }).collect())
    }

    /// Admins only.
    async fn list_users(&self, caller: &Caller, page: PageRequest) -> Result<Page<UserView>, AppError> {
        caller.require_any(&[Role::Admin], "manage user accounts")?;
        let users = self
            .db
            .query(format!("SELECT {USER_FIELDS} FROM user ORDER BY email LIMIT $limit START $start; count(SELECT id FROM user);"))
            .page::<UserRow>(page, 0, "list users")
            .await?;
        Ok(users.map(Into::into))
    }

    /// Admins only.
    async fn get_user(&self, caller: &Caller, user_id: &str) -> Result<UserView, AppError> {
        caller.require_any(&[Role::Admin], "manage user accounts")?;
        self.user_by_key(user_id).await?.ok_or_else(|| AppError::NotFound("There is no such user.".into()))
    }

    async fn user_id_by_email(&self, caller: &Caller, email: &str) -> Result<Option<String>, AppError> {
        caller.require_any(shared::accounts::STEWARDS, "look up user accounts")?;
        let email = email.trim().to_lowercase();
        let id: Option<String> = self
            .db
            .query("SELECT VALUE record::id(id) FROM ONLY user WHERE email = $email LIMIT 1")
            .bind(("email", email))
            .fetch("look up a user")
            .await?;
        Ok(id)
    }

    /// Admins only. Email, name and roles are checked; a password, when given, has at least 12 characters.
    async fn create_user(&self, caller: &Caller, new: NewUser) -> Result<CreatedUser, AppError> {
        caller.require_any(&[Role::Admin], "create user accounts")?;
        let valid = new.validate()?;
        self.insert_user(valid, Some(&caller.user_id)).await
    }

    /// Admins only; an admin cannot remove their own admin role (so there is always one left).
    async fn set_roles(&self, caller: &Caller, user_id: &str, roles: Vec<Role>) -> Result<UserView, AppError> {
        caller.require_any(&[Role::Admin], "change roles")?;
        let mut roles = roles;
        roles.sort();
        roles.dedup();
        if roles.is_empty() {
            return Err(AppError::validation("roles", "Choose at least one role."));
        }
        if user_id == caller.user_id && !roles.contains(&Role::Admin) {
            return Err(AppError::Unprocessable("You cannot remove your own admin role; ask another admin.".into()));
        }
        if self.user_by_key(user_id).await?.is_none() {
            return Err(AppError::NotFound("There is no such user.".into()));
        }
        let names = roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
        let audit = Audit::new(caller, AuditAction::RolesChanged, "user", user_id).summary(format!("roles: {names}"));
        self.db
            .audited("UPDATE type::record('user', $key) SET roles = $roles", &audit)
            .bind(("key", user_id.to_string()))
            .bind(("roles", roles.iter().map(|r| r.as_str().to_string()).collect::<Vec<_>>()))
            .run("set roles")
            .await?;
        self.user_by_key(user_id).await?.ok_or(AppError::Internal)
    }

    async fn set_disabled(&self, caller: &Caller, user_id: &str, disabled: bool) -> Result<UserView, AppError> {
        caller.require_any(&[Role::Admin], "disable user accounts")?;
        if user_id == caller.user_id && disabled {
            return Err(AppError::Unprocessable("You cannot disable your own account; ask another admin.".into()));
        }
        if self.user_by_key(user_id).await?.is_none() {
            return Err(AppError::NotFound("There is no such user.".into()));
        }
        let query = if disabled {
            "BEGIN TRANSACTION;
             LET $u = type::record('user', $key);
             UPDATE $u SET disabled_at = disabled_at ?? time::now();
             DELETE session WHERE user = $u;
             UPDATE api_token SET revoked_at = time::now() WHERE user = $u AND revoked_at = NONE;
             AUDIT;
             COMMIT TRANSACTION;"
        } else {
            "UPDATE type::record('user', $key) SET disabled_at = NONE;"
        };
        let action = if disabled { AuditAction::UserDisabled } else { AuditAction::UserEnabled };
        self.db
            .audited(query, &Audit::new(caller, action, "user", user_id))
            .bind(("key", user_id.to_string()))
            .run("disable or enable a user")
            .await?;
        self.user_by_key(user_id).await?.ok_or(AppError::Internal)
    }

    async fn invitation(&self, token: &str) -> Result<String, AppError> {
        let email: Option<String> = self
            .db
            .query("RETURN (SELECT VALUE user.email FROM invitation WHERE token_hash = $hash AND used_at = NONE AND expires_at > time::now() AND (user.invitation = NONE OR user.invitation = id) LIMIT 1)[0]")
            .bind(("hash", secrets::secret_hash(token)))
            .fetch("invitation").await?;
        email.ok_or_else(|| {
            AppError::NotFound(
                "This invitation link is not valid: it may have been used already or have expired. Ask an administrator for a new one."
                    .into(),
            )
        })
    }

    /// Sets the password of an invited user, marks the invitation used, and logs them in.
    async fn accept_invitation(&self, token: &str, password: &str) -> Result<LoginOutcome, AppError> {
        self.invitation(token).await?;
        check_password(password)?;
        let hash = self.hash(password.to_string()).await?;
        let key: Option<String> = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $i = (SELECT id, user FROM invitation WHERE token_hash = $invite_hash AND used_at = NONE AND expires_at > time::now()
                     AND (user.invitation = NONE OR user.invitation = id) LIMIT 1)[0];
                 IF $i = NONE { THROW 'invitation used' };
                 UPDATE $i.id SET used_at = time::now();
                 UPDATE $i.user SET password_hash = $hash;
                 RETURN record::id($i.user);
                 COMMIT TRANSACTION;",
            )
            .bind(("invite_hash", secrets::secret_hash(token)))
            .bind(("hash", hash))
            .transact::<String>("accept invitation")
            .await?
            .map_err(|e| {
                if refused(&e, Refusal::InvitationUsed) {
                    AppError::Conflict("This invitation has just been used.".into())
                } else {
                    internal("accept invitation", e)
                }
            })?;
        let key = key.ok_or(AppError::Internal)?;
        let session_token = self.open_session(&key).await?;
        let user = self.user_by_key(&key).await?.ok_or(AppError::Internal)?;
        Ok(LoginOutcome { user, session_token, max_age_secs: self.session_secs })
    }

    /// Any logged-in user may create tokens for themselves; the secret is returned only now.
    async fn create_token(&self, caller: &Caller, name: &str) -> Result<NewApiToken, AppError> {
        let name = text::required_line("name", "Token name", name, 100)?;
        let token = format!("{}{}", secrets::API_TOKEN_PREFIX, secrets::random_secret());
        let id: Option<String> = self
            .db
            .query("RETURN record::id((CREATE ONLY api_token CONTENT { token_hash: $hash, name: $name, user: type::record('user', $user) }).id)")
            .bind(("hash", secrets::secret_hash(&token)))
            .bind(("name", name.clone()))
            .bind(("user", caller.user_id.clone()))
            .fetch("create token").await?;
        Ok(NewApiToken { id: id.ok_or(AppError::Internal)?, name, token })
    }

    async fn list_tokens(&self, caller: &Caller) -> Result<Vec<ApiTokenView>, AppError> {
        self.tokens_of(&caller.user_id).await
    }

    async fn keep_input(&self, caller: &Caller, path: &str, fields: Vec<(String, String)>) -> Result<(), AppError> {
        let json = serde_json::to_string(&fields).map_err(|e| internal("keep form input", e))?;
        if json.len() > MAX_KEPT_INPUT || path.len() > 2000 {
            return Err(AppError::validation("form", "This form is too large to keep."));
        }
        let written = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $user = type::record('user', $uid);
                 DELETE kept_input WHERE created_at < time::now() - 1h;
                 DELETE kept_input WHERE user = $user AND path = $path;
                 LET $older = SELECT VALUE id FROM kept_input WHERE user = $user ORDER BY created_at DESC;
                 FOR $k IN array::slice($older, $keep - 1) { DELETE $k; };
                 CREATE kept_input CONTENT { user: $user, path: $path, fields: $fields };
                 RETURN true;
                 COMMIT TRANSACTION;",
            )
            .bind(("uid", caller.user_id.clone()))
            .bind(("path", path.to_string()))
            .bind(("fields", json))
            .bind(("keep", MAX_KEPT_FORMS as i64))
            .transact::<bool>("keep form input")
            .await?;
        match written {
            Ok(_) => Ok(()),
            // The same form refused twice at once: one of them is kept.
            Err(e) if is_duplicate(&e) => Ok(()),
            Err(e) => Err(internal("keep form input", e)),
        }
    }

    async fn take_input(&self, caller: &Caller, path: &str) -> Result<Option<Vec<(String, String)>>, AppError> {
        let kept = self
            .db
            .query(
                "BEGIN TRANSACTION;
                 LET $user = type::record('user', $uid);
                 LET $kept = SELECT fields, created_at > time::now() - 1h AS fresh FROM kept_input WHERE user = $user AND path = $path;
                 DELETE kept_input WHERE user = $user AND path = $path;
                 RETURN $kept;
                 COMMIT TRANSACTION;",
            )
            .bind(("uid", caller.user_id.clone()))
            .bind(("path", path.to_string()))
            .transact::<KeptRow>("read kept form input")
            .await?
            .map_err(|e| internal("read kept form input", e))?
            // One at most per user and page (a unique index).
            .filter(|k| k.fresh);
        Ok(kept.and_then(|k| serde_json::from_str(&k.fields).ok()))
    }

    /// A user revokes their own tokens; an admin may revoke anyone's.
    async fn revoke_token(&self, caller: &Caller, token_id: &str) -> Result<(), AppError> {
        let not_found = || AppError::NotFound("There is no such token.".into());
        if !is_record_key(token_id) {
            return Err(not_found());
        }
        let owner: Option<String> = self
            .db
            .query(
                "RETURN (SELECT VALUE record::id(user) FROM api_token WHERE id = type::record('api_token', $id) AND revoked_at = NONE)[0]",
            )
            .bind(("id", token_id.to_string()))
            .fetch("revoke token")
            .await?;
        let owner = match owner {
            None => return Err(not_found()),
            Some(o) if o != caller.user_id && !caller.is_admin() => return Err(not_found()),
            Some(o) => o,
        };
        let query = "UPDATE type::record('api_token', $id) SET revoked_at = time::now()";
        let revoke = if owner == caller.user_id {
            // One's own token: not a steward's write about someone else.
            self.db.query(query)
        } else {
            self.db
                .audited(query, &Audit::new(caller, AuditAction::TokenRevoked, "api_token", token_id).summary(format!("of user:{owner}")))
        };
        revoke.bind(("id", token_id.to_string())).run("revoke token").await?;
        Ok(())
    }

    async fn user_tokens(&self, caller: &Caller, user_id: &str) -> Result<Vec<ApiTokenView>, AppError> {
        caller.require_any(&[Role::Admin], "see other people's tokens")?;
        if self.user_by_key(user_id).await?.is_none() {
            return Err(AppError::NotFound("There is no such user.".into()));
        }
        self.tokens_of(user_id).await
    }

    async fn reissue_invitation(&self, caller: &Caller, user_id: &str) -> Result<String, AppError> {
        caller.require_any(&[Role::Admin], "invite users")?;
        let user = self.user_by_key(user_id).await?.ok_or_else(|| AppError::NotFound("There is no such user.".into()))?;
        if user.active {
            return Err(already_active());
        }
        let invite = secrets::random_secret();
        let audit = Audit::new(caller, AuditAction::InvitationReissued, "user", user_id);
        // Earlier links stop working: only the newest invitation is valid. The user record names
        // it, and only the invitation it names works: of two issued at the same moment, the one
        // written last is the one (expiring the others alone would leave both valid).
        let written = retry_conflicts(|| {
            self.db
                .audited(
                    "BEGIN TRANSACTION;
                     LET $u = type::record('user', $key);
                     IF $u.password_hash != NONE { THROW 'user active' };
                     UPDATE invitation SET expires_at = time::now() WHERE user = $u AND used_at = NONE AND expires_at > time::now();
                     LET $i = CREATE ONLY invitation CONTENT {
                         token_hash: $invite, user: $u, expires_at: time::now() + <duration> $invite_ttl, created_by: type::record('user', $by)
                     };
                     UPDATE $u SET invitation = $i.id;
                     AUDIT;
                     RETURN true;
                     COMMIT TRANSACTION;",
                    &audit,
                )
                .bind(("key", user_id.to_string()))
                .bind(("invite", secrets::secret_hash(&invite)))
                .bind(("invite_ttl", format!("{INVITATION_DAYS}d")))
                .bind(("by", caller.user_id.clone()))
                .transact::<bool>("reissue an invitation")
        })
        .await?;
        match written {
            Ok(_) => {}
            Err(e) if refused(&e, Refusal::UserActive) => return Err(already_active()),
            Err(e) => return Err(internal("reissue an invitation", e)),
        }
        Ok(format!("/invite/{invite}"))
    }

    async fn audit_log(&self, caller: &Caller, filter: AuditFilter, page: PageRequest) -> Result<Page<AuditEntry>, AppError> {
        crate::audit::list(&self.db, caller, filter, page).await
    }
}

fn already_active() -> AppError {
    AppError::Unprocessable("This user has chosen a password already; they log in with it.".into())
}
