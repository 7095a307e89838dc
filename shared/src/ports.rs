//! The use cases the UI and the REST API both call. The server implements them (in `server/`)
//! and provides them to the Leptos app as context; each enforces its own authorisation, so a
//! server function and a REST handler can never disagree on a rule.

use std::sync::Arc;

use async_trait::async_trait;

use crate::accounts::{ApiTokenView, Caller, CreatedUser, Dashboard, NewApiToken, NewUser, Role, UserView};
use crate::drafting::{
    amendments::{AmendmentFilter, AmendmentView, DecisionRequest, NewAmendment, NewStance, ParagraphCounts},
    comments::{CommentTarget, CommentView, NewComment, ThreadPage},
    compare::VersionDiff,
    compilation::Compilation,
    documents::{DocumentSummary, DocumentView, DraftEdit, DraftSave, NewDocument, VersionSummary, VersionView},
    publication::{Publication, PublishRequest, PublishedVersion},
    DocumentStatus, ParagraphStatus,
};
use crate::network::{
    ActorChange, ActorDetail, ActorKind, ActorQuery, ActorView, GapReport, Graph, GraphFilter, ImportReport, NetworkExport, NetworkMetrics,
    NewActor, NewRelation, RelationKind, RelationView,
};
use crate::{AppError, Page, PageRequest};

/// A fresh login: the user and the session secret to set as a cookie.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub user: UserView,
    pub session_token: String,
    /// Seconds until the session expires.
    pub max_age_secs: i64,
}

#[async_trait]
pub trait AccountsPort: Send + Sync {
    /// Checks the credentials (rate-limited per email and per client) and opens a session.
    async fn login(&self, email: &str, password: &str, client: &str) -> Result<LoginOutcome, AppError>;
    /// Ends the session whose secret is given. Unknown secrets are fine: logging out is idempotent.
    async fn logout(&self, session_token: &str) -> Result<(), AppError>;
    /// The caller behind a session secret or an API token, if it is valid.
    async fn authenticate(&self, secret: &str) -> Result<Option<Caller>, AppError>;
    async fn me(&self, caller: &Caller) -> Result<UserView, AppError>;
    async fn dashboard(&self, caller: &Caller) -> Result<Dashboard, AppError>;
    async fn list_users(&self, caller: &Caller, page: PageRequest) -> Result<Page<UserView>, AppError>;
    async fn get_user(&self, caller: &Caller, user_id: &str) -> Result<UserView, AppError>;
    /// The id of the user account with this email, if there is one: for linking a person of the
    /// network to their account (organisers, the secretariat and admins only).
    async fn user_id_by_email(&self, caller: &Caller, email: &str) -> Result<Option<String>, AppError>;
    async fn create_user(&self, caller: &Caller, new: NewUser) -> Result<CreatedUser, AppError>;
    async fn set_roles(&self, caller: &Caller, user_id: &str, roles: Vec<Role>) -> Result<UserView, AppError>;
    /// Disables an account (its sessions end and its tokens are revoked at once; it cannot log
    /// in) or enables it again. Admins only, never their own.
    async fn set_disabled(&self, caller: &Caller, user_id: &str, disabled: bool) -> Result<UserView, AppError>;
    /// The organisations an admin may make a user a member of, by name (admins only).
    async fn membership_choices(&self, caller: &Caller) -> Result<Vec<crate::network::ActorRef>, AppError>;
    /// The invited user's email, if the invitation is still valid.
    async fn invitation(&self, token: &str) -> Result<String, AppError>;
    async fn accept_invitation(&self, token: &str, password: &str) -> Result<LoginOutcome, AppError>;
    async fn create_token(&self, caller: &Caller, name: &str) -> Result<NewApiToken, AppError>;
    async fn list_tokens(&self, caller: &Caller) -> Result<Vec<ApiTokenView>, AppError>;
    /// A user revokes their own tokens; an admin may revoke anyone's.
    async fn revoke_token(&self, caller: &Caller, token_id: &str) -> Result<(), AppError>;
    /// A user's tokens in use, newest first (admins only).
    async fn user_tokens(&self, caller: &Caller, user_id: &str) -> Result<Vec<ApiTokenView>, AppError>;
    /// A new invitation for a user who has not yet chosen a password (the old links stop
    /// working); its path. Admins only.
    async fn reissue_invitation(&self, caller: &Caller, user_id: &str) -> Result<String, AppError>;
    /// The audit log, newest first, filtered (admins only).
    async fn audit_log(
        &self,
        caller: &Caller,
        filter: crate::audit::AuditFilter,
        page: PageRequest,
    ) -> Result<Page<crate::audit::AuditEntry>, AppError>;
    /// Keeps the input of a refused form for the caller, for the page at `path` to fill the
    /// form in again (one per user and page: a newer one replaces it).
    async fn keep_input(&self, caller: &Caller, path: &str, fields: Vec<(String, String)>) -> Result<(), AppError>;
    /// Takes the input kept for the caller at `path` within the last hour, forgetting it.
    async fn take_input(&self, caller: &Caller, path: &str) -> Result<Option<Vec<(String, String)>>, AppError>;
}

// The stakeholder network, a port per part of what people do with it. Everyone logged in reads
// it; organisers, the secretariat and admins change any of it; members change the profiles,
// relations, people, meetings and alliances of the actors they belong to.

/// Actors: the directory, profiles and their history, the kinds of actors and relations.
#[async_trait]
pub trait ActorsPort: Send + Sync {
    async fn actor_kinds(&self) -> Result<Vec<ActorKind>, AppError>;
    async fn relation_kinds(&self) -> Result<Vec<RelationKind>, AppError>;
    /// Admins add a kind of actor or of relation.
    async fn add_kind(&self, caller: &Caller, new: crate::network::NewKind) -> Result<(), AppError>;
    /// The directory: full-text search, filters, sorting, pages.
    async fn list_actors(&self, caller: &Caller, query: ActorQuery) -> Result<Page<ActorView>, AppError>;
    /// The public part of the directory, without login: the actors made public, without their
    /// email and phone.
    async fn public_actors(&self, query: ActorQuery) -> Result<Page<ActorView>, AppError>;
    async fn actor(&self, caller: &Caller, id: &str) -> Result<ActorDetail, AppError>;
    /// The actor with this name, ignoring case and accents.
    async fn actor_named(&self, caller: &Caller, name: &str) -> Result<Option<crate::network::ActorRef>, AppError>;
    async fn create_actor(&self, caller: &Caller, new: NewActor) -> Result<ActorView, AppError>;
    /// A JSON merge patch of the profile, applied to the current revision (or refused when it is
    /// not `if_match`, when given); the change is recorded in its history.
    async fn update_actor(&self, caller: &Caller, id: &str, patch: serde_json::Value, if_match: Option<u64>)
        -> Result<ActorView, AppError>;
    /// Deletes an actor and its relations; refused while amendments or stances name it.
    async fn delete_actor(&self, caller: &Caller, id: &str) -> Result<(), AppError>;
    /// The newest first.
    async fn actor_history(&self, caller: &Caller, id: &str, page: PageRequest) -> Result<Page<ActorChange>, AppError>;
}

/// The graph: relations between actors, neighbourhoods, paths, metrics and gap reports.
#[async_trait]
pub trait GraphPort: Send + Sync {
    async fn create_relation(&self, caller: &Caller, new: NewRelation) -> Result<RelationView, AppError>;
    async fn delete_relation(&self, caller: &Caller, id: &str) -> Result<(), AppError>;
    /// The actors within `depth` (1–3) relations of an actor, either direction, and the
    /// relations that reach them.
    async fn neighbors(&self, caller: &Caller, id: &str, depth: u32) -> Result<Graph, AppError>;
    /// The shortest chain of relations between two actors, whatever their direction, from
    /// `from` to `to`; None when they are not connected.
    async fn path(&self, caller: &Caller, from: &str, to: &str) -> Result<Option<Graph>, AppError>;
    /// The actors matching the filter and the relations among them.
    async fn network(&self, caller: &Caller, filter: GraphFilter) -> Result<Graph, AppError>;
    async fn metrics(&self, caller: &Caller) -> Result<NetworkMetrics, AppError>;
    async fn gaps(&self, caller: &Caller) -> Result<Vec<GapReport>, AppError>;
}

/// Deals between producer organisations and buyers: matching, meetings, productive alliances.
#[async_trait]
pub trait DealsPort: Send + Sync {
    /// For a producer organisation, the buyers ranked by fit with the reasons.
    async fn matches(&self, caller: &Caller, producer_id: &str) -> Result<Vec<crate::network::matching::BuyerMatch>, AppError>;
    /// Records a buyer meeting (stewards, or members of either organisation).
    async fn create_meeting(&self, caller: &Caller, new: crate::network::NewMeeting) -> Result<crate::network::MeetingView, AppError>;
    /// Changes a meeting (JSON merge patch of its date, status, attendees, outcome, next steps):
    /// stewards, or members of either organisation.
    /// Applied to the current revision, or refused when it is not `if_match` (when given).
    async fn update_meeting(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<crate::network::MeetingView, AppError>;
    /// The meetings of one actor (all when None), the newest first.
    async fn meetings(&self, caller: &Caller, actor_id: Option<String>) -> Result<Vec<crate::network::MeetingView>, AppError>;
    /// The alliances of one actor (all when None), the most recently changed first.
    async fn alliances(&self, caller: &Caller, actor_id: Option<String>) -> Result<Vec<crate::network::AllianceView>, AppError>;
    async fn alliance(&self, caller: &Caller, id: &str) -> Result<crate::network::AllianceView, AppError>;
    /// Stewards, or members of either organisation; one alliance per producer and buyer.
    async fn create_alliance(&self, caller: &Caller, new: crate::network::NewAlliance) -> Result<crate::network::AllianceView, AppError>;
    /// A JSON merge patch; the stage only moves forward (or to `ended`), judged from the alliance as
    /// it is when the change is written; refused when its revision is not `if_match` (when given).
    async fn update_alliance(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<crate::network::AllianceView, AppError>;
}

/// The people who represent actors, with their consent-bound personal details.
#[async_trait]
pub trait PeoplePort: Send + Sync {
    /// People, by name (`q`, accents ignored) and by the actor they represent. Contact details,
    /// gender and age band only for organisers, the secretariat, admins and the person's own user.
    async fn people(
        &self,
        caller: &Caller,
        q: Option<String>,
        actor_id: Option<String>,
        page: PageRequest,
    ) -> Result<Page<crate::network::people::PersonView>, AppError>;
    async fn person(&self, caller: &Caller, id: &str) -> Result<crate::network::people::PersonView, AppError>;
    /// Stewards record anyone; a member, people of the actors they belong to.
    async fn create_person(
        &self,
        caller: &Caller,
        new: crate::network::people::NewPerson,
    ) -> Result<crate::network::people::PersonView, AppError>;
    /// A JSON merge patch; withdrawing consent forgets gender and age band. Applied to the current
    /// revision, or refused when it is not `if_match` (when given).
    async fn update_person(
        &self,
        caller: &Caller,
        id: &str,
        patch: serde_json::Value,
        if_match: Option<u64>,
    ) -> Result<crate::network::people::PersonView, AppError>;
    async fn delete_person(&self, caller: &Caller, id: &str) -> Result<(), AppError>;
    /// Erases a person's personal data (admins; LGPD): name, email, phone, gender, age band and
    /// account link go; the record stays with the organisations it represented.
    async fn erase_person(&self, caller: &Caller, id: &str) -> Result<crate::network::people::PersonView, AppError>;
}

/// Moving the network in (CSV imports) and out (exports).
#[async_trait]
pub trait TransferPort: Send + Sync {
    /// Actors from a CSV file (organisers, secretariat, admins): every good row written, in
    /// transactions, each bad one reported with its line; with `dry_run`, only the report.
    async fn import_actors(&self, caller: &Caller, file: Vec<u8>, dry_run: bool) -> Result<ImportReport, AppError>;
    /// Relations from a CSV file, naming actors by name or id.
    async fn import_relations(&self, caller: &Caller, file: Vec<u8>, dry_run: bool) -> Result<ImportReport, AppError>;
    /// The actors matching the filter, with every profile field, and the relations among them.
    async fn export(&self, caller: &Caller, filter: GraphFilter) -> Result<NetworkExport, AppError>;
}

/// Recommendation documents: the working draft, released versions and their comparison.
/// The secretariat (and admins) draft; everyone logged in reads released versions.
#[async_trait]
pub trait DraftingPort: Send + Sync {
    async fn create_document(&self, caller: &Caller, new: NewDocument) -> Result<DocumentView, AppError>;
    async fn list_documents(&self, caller: &Caller, page: PageRequest) -> Result<Page<DocumentSummary>, AppError>;
    /// By id or slug.
    async fn document(&self, caller: &Caller, id: &str) -> Result<DocumentView, AppError>;
    async fn save_draft(&self, caller: &Caller, id: &str, save: DraftSave) -> Result<DocumentView, AppError>;
    /// One editor change to the working draft, made as a save based on `base_version`.
    async fn edit_draft(&self, caller: &Caller, id: &str, base_version: u32, edit: DraftEdit) -> Result<DocumentView, AppError>;
    async fn release_version(&self, caller: &Caller, id: &str, label: &str) -> Result<VersionSummary, AppError>;
    async fn versions(&self, caller: &Caller, id: &str) -> Result<Vec<VersionSummary>, AppError>;
    async fn version(&self, caller: &Caller, id: &str, number: u32) -> Result<VersionView, AppError>;
    /// Compares released version `from` with `to`, or with the working draft when `to` is None.
    async fn compare(&self, caller: &Caller, id: &str, from: u32, to: Option<u32>) -> Result<VersionDiff, AppError>;
    async fn set_status(
        &self,
        caller: &Caller,
        id: &str,
        status: DocumentStatus,
        comment_deadline: Option<String>,
    ) -> Result<DocumentView, AppError>;
    async fn set_paragraph_status(
        &self,
        caller: &Caller,
        id: &str,
        paragraph_id: &str,
        status: ParagraphStatus,
    ) -> Result<DocumentView, AppError>;
    /// The secretariat publishes a released version of a final document (or a newer version
    /// of a published one): frozen and readable by anyone.
    async fn publish(&self, caller: &Caller, id: &str, request: PublishRequest) -> Result<PublishedVersion, AppError>;
    /// A published version (the latest when `version` is None), without login.
    async fn publication(&self, slug: &str, version: Option<u32>) -> Result<Publication, AppError>;
}

/// Amendments to a document's paragraphs: members propose them on behalf of their actors
/// while the document is open for comments or in negotiation, other actors support or oppose
/// them, the secretariat decides. Everyone logged in reads them (of released documents).
#[async_trait]
pub trait AmendmentsPort: Send + Sync {
    /// `document` by id or slug; the paragraph must be in its latest released version.
    async fn propose(&self, caller: &Caller, document: &str, new: NewAmendment) -> Result<AmendmentView, AppError>;
    /// In the order proposed.
    async fn amendments(
        &self,
        caller: &Caller,
        document: &str,
        filter: AmendmentFilter,
        page: Option<PageRequest>,
    ) -> Result<Page<AmendmentView>, AppError>;
    async fn amendment(&self, caller: &Caller, id: &str) -> Result<AmendmentView, AppError>;
    /// The latest released version with its pending amendments: all themes, or `part` (0-based)
    /// of the theme at `theme` (0-based; see `compilation::parts`).
    async fn compilation(&self, caller: &Caller, document: &str, theme: Option<usize>, part: usize) -> Result<Compilation, AppError>;
    /// Per paragraph, how many amendments it has (paragraphs without any are left out).
    async fn counts(&self, caller: &Caller, document: &str) -> Result<Vec<ParagraphCounts>, AppError>;
    /// Records (or replaces) the stance of one of the caller's actors.
    async fn set_stance(&self, caller: &Caller, id: &str, stance: NewStance) -> Result<AmendmentView, AppError>;
    async fn remove_stance(&self, caller: &Caller, id: &str, actor_id: &str) -> Result<AmendmentView, AppError>;
    /// The secretariat decides; an acceptance changes the working draft in the same transaction.
    async fn decide(&self, caller: &Caller, id: &str, request: DecisionRequest) -> Result<AmendmentView, AppError>;
    /// The proposer withdraws a proposal not yet decided.
    async fn withdraw(&self, caller: &Caller, id: &str) -> Result<AmendmentView, AppError>;
}

/// Threaded comments on a document, its paragraphs and its amendments.
#[async_trait]
pub trait CommentsPort: Send + Sync {
    /// The comments on one target (all of the document's when `target` is None), oldest first:
    /// one page of them, or all when `page` is None.
    async fn comments(
        &self,
        caller: &Caller,
        document: &str,
        target: Option<CommentTarget>,
        target_id: Option<String>,
        page: Option<PageRequest>,
    ) -> Result<Page<CommentView>, AppError>;
    /// One page of the thread on one target, as a page shows it.
    async fn thread(
        &self,
        caller: &Caller,
        document: &str,
        target: CommentTarget,
        target_id: Option<String>,
        page: usize,
    ) -> Result<ThreadPage, AppError>;
    /// The threads on several paragraphs or amendments of a document at once, in the order of
    /// `ids`: the first page of each, or page `asked.1` of the one `asked.0` names.
    async fn threads_on(
        &self,
        caller: &Caller,
        document: &str,
        target: CommentTarget,
        ids: Vec<String>,
        asked: Option<(String, usize)>,
    ) -> Result<Vec<(String, ThreadPage)>, AppError>;
    /// While the document is open for comments or in negotiation (the secretariat: until final).
    async fn add_comment(&self, caller: &Caller, document: &str, new: NewComment) -> Result<CommentView, AppError>;
    /// By its author, within 15 minutes of writing it.
    async fn edit_comment(&self, caller: &Caller, id: &str, body: &str) -> Result<CommentView, AppError>;
    /// The secretariat hides a comment with a reason; the record keeps both.
    async fn hide_comment(&self, caller: &Caller, id: &str, reason: &str) -> Result<CommentView, AppError>;
    /// The secretariat marks a comment resolved (or not).
    async fn resolve_comment(&self, caller: &Caller, id: &str, resolved: bool) -> Result<CommentView, AppError>;
}

/// Everything the UI needs from the server, handed to Leptos as one context value.
#[derive(Clone)]
pub struct Ports {
    pub accounts: Arc<dyn AccountsPort>,
    pub actors: Arc<dyn ActorsPort>,
    pub graph: Arc<dyn GraphPort>,
    pub deals: Arc<dyn DealsPort>,
    pub people: Arc<dyn PeoplePort>,
    pub transfer: Arc<dyn TransferPort>,
    pub drafting: Arc<dyn DraftingPort>,
    pub amendments: Arc<dyn AmendmentsPort>,
    pub comments: Arc<dyn CommentsPort>,
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "mutirao_session";

/// How the session cookie is written: HttpOnly, SameSite=Lax, expiring, `Secure` behind HTTPS.
#[derive(Debug, Clone, Copy, Default)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// The `Set-Cookie` value that opens a session.
    pub fn open(&self, token: &str, max_age_secs: i64) -> String {
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}", self.suffix())
    }
    /// The `Set-Cookie` value that ends it.
    pub fn clear(&self) -> String {
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", self.suffix())
    }
    fn suffix(&self) -> &'static str {
        if self.secure {
            "; Secure"
        } else {
            ""
        }
    }
}

/// Per-request facts the server establishes before any page or server function runs.
#[derive(Debug, Clone, Default)]
pub struct RequestAuth {
    pub caller: Option<Caller>,
    /// The session secret from the cookie, to end it at logout.
    pub session_secret: Option<String>,
    /// The client's address, for rate limiting.
    pub client: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_flags() {
        let c = CookiePolicy { secure: false }.open("abc", 60);
        assert_eq!(c, "mutirao_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
        assert!(CookiePolicy { secure: true }.clear().ends_with("Max-Age=0; Secure"));
    }
}
