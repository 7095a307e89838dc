//! The authorisation matrix: every operation of the OpenAPI document, called by each kind of
//! caller — anonymous, a member of organisation A, a member of B, the user linked to a person of
//! A, an organiser, the secretariat, an admin — on records of A (and of nobody), documents in
//! each status. Each row says who may; the test checks that everyone else is refused (401
//! anonymous, 403 or 404 otherwise), that those allowed get past the check, and that no answer to
//! someone who may not see them carries a person's contacts. An operation missing from the table
//! fails the test, so every new route must say who may call it.

use std::collections::BTreeSet;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use serde_json::{json, Value};
use shared::Role;

use crate::common::{Reply, TestApp};
use server::config::ServeConfig;

/// The callers, in the order each row is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    MemberA,
    MemberB,
    Linked,
    Organizer,
    Secretariat,
    Admin,
}

use Who::*;
const EVERYONE: [Who; 7] = [Anonymous, MemberA, MemberB, Linked, Organizer, Secretariat, Admin];

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
enum May {
    /// Anyone, logged in or not.
    Public,
    /// Anyone logged in.
    LoggedIn,
    /// Members of A (the record's organisation) and the stewards.
    OfA,
    /// Members of A, the person's own user and the stewards.
    OfAOrLinked,
    /// Only members of A: the author or proposer, or on behalf of A (stewards too must belong to
    /// an organisation to speak for it in the negotiation).
    AuthorA,
    /// Only members of B, on behalf of B.
    OnlyB,
    /// The author (member of A) and admins.
    AuthorAOrAdmin,
    /// Organisers, the secretariat, admins.
    Stewards,
    Secretariat,
    Admin,
}

impl May {
    fn allows(self, who: Who) -> bool {
        let steward = matches!(who, Organizer | Secretariat | Admin);
        match self {
            May::Public => true,
            May::LoggedIn => who != Anonymous,
            May::OfA => who == MemberA || steward,
            May::OfAOrLinked => who == MemberA || who == Linked || steward,
            May::AuthorA => who == MemberA,
            May::OnlyB => who == MemberB,
            May::AuthorAOrAdmin => who == MemberA || who == Admin,
            May::Stewards => steward,
            May::Secretariat => matches!(who, Secretariat | Admin),
            May::Admin => who == Admin,
        }
    }
}

/// A person's contacts, which only the stewards and the person's own user may read.
const SECRET_EMAIL: &str = "joana.secret@example.org";
const SECRET_PHONE: &str = "+55 61 98888-7777";

struct World {
    app: TestApp,
    sessions: Vec<(Who, String)>,
    a: String,
    b: String,
    nobody: String,
    person: String,
    meeting: String,
    alliance: String,
    /// An invited user without a password, whose roles admins change.
    target: String,
    /// Paragraph of the open document, an amendment by A on it, a comment by member A.
    pid: String,
    amendment: String,
    comment: String,
    /// Count of records made for rows that use one up.
    made: std::cell::Cell<u32>,
    /// A published document, made the first time a row needs it.
    published: std::cell::RefCell<Option<String>>,
}

impl World {
    fn session(&self, who: Who) -> Option<&str> {
        self.sessions.iter().find(|(w, _)| *w == who).map(|(_, s)| s.as_str())
    }

    fn next(&self) -> u32 {
        self.made.set(self.made.get() + 1);
        self.made.get()
    }

    async fn post(&self, who: Who, uri: &str, body: Value) -> Reply {
        let r = self.app.post(uri, self.session(who), body).await;
        assert!(r.status.is_success(), "{uri}: {}", r.text);
        r
    }

    async fn fresh_actor(&self) -> String {
        let n = self.next();
        id(&self.post(Admin, "/api/v1/actors", json!({"name": format!("Transient {n}"), "kind": "retailer"})).await)
    }

    async fn fresh_person(&self) -> String {
        let n = self.next();
        id(&self.post(Admin, "/api/v1/people", json!({"name": format!("Person {n}"), "actors": [{"actor_id": self.a}]})).await)
    }

    async fn fresh_amendment(&self) -> String {
        let body =
            json!({"paragraph_id": self.pid, "kind": "replace", "text": "Fund organic fairs.", "rationale": "Focus.", "actor_id": self.a});
        id(&self.post(MemberA, "/api/v1/documents/open/amendments", body).await)
    }

    /// The token of a fresh invitation (`/invite/{token}`).
    async fn fresh_invitation(&self) -> String {
        let email = format!("invited{}@example.org", self.next());
        let r = self.post(Admin, "/api/v1/users", json!({"email": email, "name": "Invited", "roles": ["member"]})).await;
        let path = r.body["invite_path"].as_str().unwrap_or_else(|| panic!("an invitation in {}", r.text));
        path.rsplit('/').next().unwrap().to_string()
    }

    /// A comment by member A on the open document.
    async fn fresh_comment(&self) -> String {
        id(&self.post(MemberA, "/api/v1/documents/open/comments", json!({"target": "document", "body": "Spam"})).await)
    }

    /// The slug of a published document (made once).
    async fn published(&self) -> String {
        if let Some(slug) = self.published.borrow().clone() {
            return slug;
        }
        let slug = self.fresh_document("final").await;
        self.post(Secretariat, &format!("/api/v1/documents/{slug}/publish"), json!({})).await;
        *self.published.borrow_mut() = Some(slug.clone());
        slug
    }

    /// A document of its own, released, and in this status.
    async fn fresh_document(&self, status: &str) -> String {
        let n = self.next();
        let slug = format!("doc-{n}");
        let body = json!({"title": format!("Doc {n}"), "slug": slug, "themes": [{"title": "A", "paragraphs": [{"text": "Fund fairs."}]}]});
        self.post(Secretariat, "/api/v1/documents", body).await;
        self.post(Secretariat, &format!("/api/v1/documents/{slug}/versions"), json!({"label": "One"})).await;
        if status != "drafting" {
            let r = self
                .app
                .call(Method::PATCH, &format!("/api/v1/documents/{slug}"), self.session(Secretariat), Some(json!({"status": status})))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        slug
    }
}

fn id(r: &Reply) -> String {
    r.body["id"].as_str().unwrap_or_else(|| panic!("an id in {}", r.text)).to_string()
}

async fn world() -> World {
    let app = TestApp::with_config(ServeConfig { login_attempts_per_minute: 10_000, ..ServeConfig::default() }).await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let actor = |name: &'static str, kind: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let body = json!({"name": name, "kind": kind, "email": format!("{kind}@example.org"), "phone": "+55 61 3333-0000"});
            id(&app.post("/api/v1/actors", Some(&admin), body).await)
        }
    };
    let (a, b, nobody) =
        (actor("Cooperativa A", "cooperative").await, actor("Mercado B", "retailer").await, actor("Ninguém", "retailer").await);
    app.user("a@example.org", &[Role::Member], vec![a.clone()]).await;
    app.user("b@example.org", &[Role::Member], vec![b.clone()]).await;
    let linked_id = app.user("linked@example.org", &[Role::Member], vec![]).await;
    let mut sessions = vec![(Admin, admin.clone())];
    for (who, email, roles) in [
        (MemberA, "a@example.org", None),
        (MemberB, "b@example.org", None),
        (Linked, "linked@example.org", None),
        (Organizer, "org@example.org", Some(Role::Organizer)),
        (Secretariat, "sec@example.org", Some(Role::Secretariat)),
    ] {
        let session = match roles {
            Some(role) => app.as_role(email, &[role]).await,
            None => app.login(email).await,
        };
        sessions.push((who, session));
    }
    let session = |who: Who| sessions.iter().find(|(w, _)| *w == who).map(|(_, s)| s.clone()).unwrap();
    let person = app
        .post(
            "/api/v1/people",
            Some(&admin),
            json!({"name": "Joana Silva", "email": SECRET_EMAIL, "phone": SECRET_PHONE, "actors": [{"actor_id": a, "role": "Presidenta"}],
                   "user_id": linked_id, "consent": true, "gender": "woman"}),
        )
        .await;
    let person = id(&person);
    app.post("/api/v1/relations", Some(&admin), json!({"from": a, "to": b, "kind": "supplies"})).await;
    let meeting = id(&app.post("/api/v1/meetings", Some(&admin), json!({"producer": a, "buyer": nobody})).await);
    let alliance = id(&app.post("/api/v1/alliances", Some(&admin), json!({"producer": a, "buyer": nobody})).await);
    let target =
        app.post("/api/v1/users", Some(&admin), json!({"email": "target@example.org", "name": "Target", "roles": ["member"]})).await;
    let target = target.body["user"]["id"].as_str().unwrap().to_string();

    // Documents: one being drafted (never released), one open with an amendment and a comment.
    let sec = session(Secretariat);
    let r = app
        .post(
            "/api/v1/documents",
            Some(&sec),
            json!({"title": "Draft", "slug": "draft", "themes": [{"title": "A", "paragraphs": [{"text": "Hidden."}]}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app
        .post(
            "/api/v1/documents",
            Some(&sec),
            json!({"title": "Open", "slug": "open", "themes": [{"title": "A", "paragraphs": [{"text": "Fund fairs."}]}]}),
        )
        .await;
    let pid = r.body["themes"][0]["paragraphs"][0]["id"].as_str().unwrap().to_string();
    app.post("/api/v1/documents/open/versions", Some(&sec), json!({"label": "One"})).await;
    app.call(Method::PATCH, "/api/v1/documents/open", Some(&sec), Some(json!({"status": "open_for_comments"}))).await;
    let member_a = session(MemberA);
    let amendment = app
        .post(
            "/api/v1/documents/open/amendments",
            Some(&member_a),
            json!({"paragraph_id": pid, "kind": "replace", "text": "Fund organic fairs.", "rationale": "Focus.", "actor_id": a}),
        )
        .await;
    let amendment = id(&amendment);
    let comment =
        id(&app.post("/api/v1/documents/open/comments", Some(&member_a), json!({"target": "document", "body": "A comment."})).await);
    World {
        app,
        sessions,
        a,
        b,
        nobody,
        person,
        meeting,
        alliance,
        target,
        pid,
        amendment,
        comment,
        made: Default::default(),
        published: Default::default(),
    }
}

/// What a row sends.
enum Send {
    None,
    Json(Value),
    Csv(&'static str),
}

/// The request for an operation (`METHOD /path/{param}` as documented), made for `who`: its
/// URI, its body, and who may call it. Rows that use a record up make a fresh one per call.
async fn row(w: &World, op: &str, who: Who) -> Option<(String, Send, May)> {
    use May::*;
    let (a, b, n) = (&w.a, &w.b, &w.nobody);
    Some(match op {
        // Accounts.
        "POST /api/v1/session" => {
            ("/api/v1/session".into(), Send::Json(json!({"email": "linked@example.org", "password": crate::common::PASSWORD})), Public)
        }
        "DELETE /api/v1/session" => ("/api/v1/session".into(), Send::None, Public),
        "GET /api/v1/me" | "GET /api/v1/me/export" | "GET /api/v1/tokens" => (path(op), Send::None, LoggedIn),
        "POST /api/v1/tokens" => (path(op), Send::Json(json!({"name": "script"})), LoggedIn),
        "DELETE /api/v1/tokens/{id}" => {
            let token = id(&w.post(MemberA, "/api/v1/tokens", json!({"name": "to revoke"})).await);
            (format!("/api/v1/tokens/{token}"), Send::None, AuthorAOrAdmin)
        }
        "GET /api/v1/users" | "GET /api/v1/audit" | "GET /api/v1/admin/backup" => (path(op), Send::None, Admin),
        "POST /api/v1/users" => {
            let email = format!("new{}@example.org", w.next());
            (path(op), Send::Json(json!({"email": email, "name": "New", "roles": ["member"]})), Admin)
        }
        "PATCH /api/v1/users/{id}" => (format!("/api/v1/users/{}", w.target), Send::Json(json!({"roles": ["member"]})), Admin),
        "GET /api/v1/users/{id}/tokens" => (format!("/api/v1/users/{}/tokens", w.target), Send::None, Admin),
        "POST /api/v1/users/{id}/invitation" => (format!("/api/v1/users/{}/invitation", w.target), Send::Json(json!({})), Admin),

        // Actors.
        "GET /api/v1/public/actors" => (path(op), Send::None, Public),
        "GET /api/v1/actors"
        | "GET /api/v1/network"
        | "GET /api/v1/network/kinds"
        | "GET /api/v1/network/metrics"
        | "GET /api/v1/network/gaps"
        | "GET /api/v1/people"
        | "GET /api/v1/meetings"
        | "GET /api/v1/alliances" => (path(op), Send::None, LoggedIn),
        "GET /api/v1/network/export" => (path(op), Send::None, LoggedIn),
        "GET /api/v1/network/path" => (format!("/api/v1/network/path?from={a}&to={b}"), Send::None, LoggedIn),
        "POST /api/v1/actors" => {
            (path(op), Send::Json(json!({"name": format!("New actor {}", w.next()), "kind": "cooperative"})), Stewards)
        }
        "GET /api/v1/actors/{id}" | "GET /api/v1/actors/{id}/history" | "GET /api/v1/actors/{id}/neighbors" => {
            (path(op).replace("{id}", a), Send::None, LoggedIn)
        }
        "GET /api/v1/actors/{id}/matches" => (path(op).replace("{id}", a), Send::None, LoggedIn),
        "PATCH /api/v1/actors/{id}" => {
            (path(op).replace("{id}", a), Send::Json(json!({"description": format!("Edited {}", w.next())})), OfA)
        }
        "DELETE /api/v1/actors/{id}" => (path(op).replace("{id}", &w.fresh_actor().await), Send::None, Stewards),
        "POST /api/v1/actors/import" => {
            let csv = Box::leak(format!("name,kind\nImported {},cooperative\n", w.next()).into_boxed_str());
            ("/api/v1/actors/import?dry_run=true".into(), Send::Csv(csv), Stewards)
        }
        "POST /api/v1/relations/import" => {
            ("/api/v1/relations/import?dry_run=true".into(), Send::Csv("from,to,kind\nCooperativa A,Ninguém,supplies\n"), Stewards)
        }
        "POST /api/v1/network/kinds" => {
            let kind = format!("kind{}", w.next());
            (path(op), Send::Json(json!({"of": "actor", "id": kind, "label": "A kind"})), Admin)
        }
        "POST /api/v1/relations" => {
            let to = w.fresh_actor().await;
            (path(op), Send::Json(json!({"from": a, "to": to, "kind": "supplies"})), OfA)
        }
        "DELETE /api/v1/relations/{id}" => {
            let to = w.fresh_actor().await;
            let rel = id(&w.post(Who::Admin, "/api/v1/relations", json!({"from": a, "to": to, "kind": "supplies"})).await);
            (format!("/api/v1/relations/{rel}"), Send::None, OfA)
        }

        // People.
        "GET /api/v1/people/{id}" => (format!("/api/v1/people/{}", w.person), Send::None, LoggedIn),
        "POST /api/v1/people" => (path(op), Send::Json(json!({"name": "Pedro", "actors": [{"actor_id": a}]})), OfA),
        "PATCH /api/v1/people/{id}" => {
            (format!("/api/v1/people/{}", w.person), Send::Json(json!({"phone": SECRET_PHONE, "name": "Joana Silva"})), OfAOrLinked)
        }
        "DELETE /api/v1/people/{id}" => (format!("/api/v1/people/{}", w.fresh_person().await), Send::None, OfA),
        "POST /api/v1/people/{id}/erase" => (format!("/api/v1/people/{}/erase", w.fresh_person().await), Send::Json(json!({})), Admin),

        // Deals: the meeting and the alliance are between A and nobody's organisation.
        "POST /api/v1/meetings" => (path(op), Send::Json(json!({"producer": a, "buyer": n})), OfA),
        "PATCH /api/v1/meetings/{id}" => (format!("/api/v1/meetings/{}", w.meeting), Send::Json(json!({"notes": "Edited"})), OfA),
        "POST /api/v1/alliances" => {
            let buyer = w.fresh_actor().await;
            (path(op), Send::Json(json!({"producer": a, "buyer": buyer})), OfA)
        }
        "GET /api/v1/alliances/{id}" => (format!("/api/v1/alliances/{}", w.alliance), Send::None, LoggedIn),
        "PATCH /api/v1/alliances/{id}" => {
            (format!("/api/v1/alliances/{}", w.alliance), Send::Json(json!({"products": format!("Rice {}", w.next())})), OfA)
        }

        // Documents: "open" is released and open for comments.
        "GET /api/v1/documents" => (path(op), Send::None, LoggedIn),
        "POST /api/v1/documents" => {
            let n = w.next();
            (path(op), Send::Json(json!({"title": format!("New {n}"), "slug": format!("new-{n}"), "themes": []})), Secretariat)
        }
        "GET /api/v1/documents/{id}"
        | "GET /api/v1/documents/{id}/versions"
        | "GET /api/v1/documents/{id}/amendments"
        | "GET /api/v1/documents/{id}/comments"
        | "GET /api/v1/documents/{id}/compilation" => (path(op).replace("{id}", "open"), Send::None, LoggedIn),
        "GET /api/v1/documents/{id}/versions/{n}" => ("/api/v1/documents/open/versions/1".into(), Send::None, LoggedIn),
        "GET /api/v1/documents/{id}/diff" => ("/api/v1/documents/open/diff?from=1&to=1".into(), Send::None, LoggedIn),
        "PATCH /api/v1/documents/{id}" => {
            ("/api/v1/documents/open".into(), Send::Json(json!({"status": "open_for_comments"})), Secretariat)
        }
        "PUT /api/v1/documents/{id}/draft" => {
            let slug = w.fresh_document("drafting").await;
            (format!("/api/v1/documents/{slug}/draft"), Send::Json(json!({"base_version": 1, "themes": []})), Secretariat)
        }
        "POST /api/v1/documents/{id}/versions" => {
            let slug = w.fresh_document("drafting").await;
            (format!("/api/v1/documents/{slug}/versions"), Send::Json(json!({"label": "Two"})), Secretariat)
        }
        "PATCH /api/v1/documents/{id}/paragraphs/{pid}" => {
            (format!("/api/v1/documents/open/paragraphs/{}", w.pid), Send::Json(json!({"status": "bracketed"})), Secretariat)
        }
        "POST /api/v1/documents/{id}/publish" => {
            let slug = w.fresh_document("final").await;
            (format!("/api/v1/documents/{slug}/publish"), Send::Json(json!({})), Secretariat)
        }
        "POST /api/v1/documents/{id}/comments" => {
            ("/api/v1/documents/open/comments".into(), Send::Json(json!({"target": "document", "body": "Hello"})), LoggedIn)
        }
        "POST /api/v1/documents/{id}/amendments" => (
            "/api/v1/documents/open/amendments".into(),
            Send::Json(json!({"paragraph_id": w.pid, "kind": "replace", "text": "Fund fairs now.", "rationale": "Sooner.", "actor_id": a})),
            AuthorA,
        ),

        // Amendments and comments.
        "GET /api/v1/amendments/{id}" => (format!("/api/v1/amendments/{}", w.amendment), Send::None, LoggedIn),
        "POST /api/v1/amendments/{id}/decision" => {
            (format!("/api/v1/amendments/{}/decision", w.fresh_amendment().await), Send::Json(json!({"decision": "reject"})), Secretariat)
        }
        "POST /api/v1/amendments/{id}/withdraw" => {
            (format!("/api/v1/amendments/{}/withdraw", w.fresh_amendment().await), Send::Json(json!({})), AuthorA)
        }
        "POST /api/v1/amendments/{id}/stances" => {
            (format!("/api/v1/amendments/{}/stances", w.amendment), Send::Json(json!({"actor_id": b, "stance": "support"})), OnlyB)
        }
        "DELETE /api/v1/amendments/{id}/stances/{actor_id}" => {
            let amendment = w.fresh_amendment().await;
            w.post(MemberB, &format!("/api/v1/amendments/{amendment}/stances"), json!({"actor_id": b, "stance": "support"})).await;
            (format!("/api/v1/amendments/{amendment}/stances/{b}"), Send::None, OnlyB)
        }
        "PATCH /api/v1/comments/{id}" => (format!("/api/v1/comments/{}", w.comment), Send::Json(json!({"body": "Edited."})), AuthorA),
        "POST /api/v1/comments/{id}/hide" => {
            let c = w.fresh_comment().await;
            (format!("/api/v1/comments/{c}/hide"), Send::Json(json!({"reason": "Off topic"})), Secretariat)
        }
        "POST /api/v1/comments/{id}/resolve" => {
            (format!("/api/v1/comments/{}/resolve", w.comment), Send::Json(json!({"resolved": true})), Secretariat)
        }
        _ => {
            let _ = who;
            return None;
        }
    })
}

/// Whether `who`'s answer `r` to `op` keeps the row: those allowed get past the check (refused
/// by no 401, 403 or 404, nor failing with a 5xx); anyone else is refused (401 anonymous, 403 or
/// 404 otherwise); and only those who may see a person's contacts find them in the answer.
fn judge(op: &str, who: Who, may: May, r: &Reply, wrong: &mut Vec<String>, leaks: &mut Vec<String>) {
    let allowed = may.allows(who);
    let refused = matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
    let ok = if allowed {
        !refused && !r.status.is_server_error()
    } else if who == Anonymous {
        r.status == StatusCode::UNAUTHORIZED
    } else {
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
    };
    if !ok {
        wrong.push(format!("{op} as {who:?}: {} (may: {may:?}) {}", r.status, r.text.chars().take(160).collect::<String>()));
    }
    let sees_contacts = matches!(who, Linked | Organizer | Secretariat | Admin);
    if !sees_contacts && (r.text.contains(SECRET_EMAIL) || r.text.contains(SECRET_PHONE)) {
        leaks.push(format!("{op} as {who:?}"));
    }
}

/// `GET /api/v1/x` → `/api/v1/x`.
fn path(op: &str) -> String {
    op.split_once(' ').map(|(_, p)| p.to_string()).unwrap_or_default()
}

async fn call(w: &World, method: Method, uri: &str, who: Who, send: Send) -> Reply {
    // Logging out ends the session it is sent with: a fresh one of the same user.
    let logout_session;
    let mut session = w.session(who).map(str::to_string);
    if method == Method::DELETE && uri == "/api/v1/session" && who != Anonymous {
        logout_session = w.app.login(email_of(who)).await;
        session = Some(logout_session);
    }
    match send {
        Send::Csv(csv) => {
            let mut req = Request::builder().method(method).uri(uri).header("content-type", "text/csv");
            if let Some(s) = &session {
                req = req.header("cookie", s);
            }
            w.app.send(req.body(Body::from(csv)).unwrap()).await
        }
        Send::Json(body) => w.app.call(method, uri, session.as_deref(), Some(body)).await,
        Send::None => w.app.call(method, uri, session.as_deref(), None).await,
    }
}

#[tokio::test]
async fn every_operation_refuses_whoever_may_not_call_it() {
    Box::pin(matrix()).await
}

async fn matrix() {
    let w = Box::pin(world()).await;
    let doc = w.app.get("/api/v1/openapi.json", None).await.body;
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    let mut leaks = Vec::new();
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            if !item[method.as_str().to_lowercase()].is_object() {
                continue;
            }
            let op = format!("{method} {path}");
            operations.insert(op.clone());
            for who in EVERYONE {
                let Some((uri, send, may)) = Box::pin(row(&w, &op, who)).await else {
                    missing.push(op.clone());
                    break;
                };
                let r = Box::pin(call(&w, method.clone(), &uri, who, send)).await;
                judge(&op, who, may, &r, &mut wrong, &mut leaks);
            }
        }
    }
    assert!(missing.is_empty(), "operations missing from the matrix (say who may call them): {missing:#?}");
    assert!(wrong.is_empty(), "{} answers break the matrix:\n{}", wrong.len(), wrong.join("\n"));
    assert!(leaks.is_empty(), "a person's contacts reached someone who may not see them: {leaks:#?}");
    assert_eq!(operations.len(), 71, "the matrix covers every documented operation");
    // The drafting document stays hidden from everyone but the secretariat, whatever is asked.
    for who in EVERYONE {
        for uri in ["/api/v1/documents/draft", "/api/v1/documents/draft/versions", "/api/v1/documents/draft/comments"] {
            let r = call(&w, Method::GET, uri, who, Send::None).await;
            let expected = match who {
                Anonymous => StatusCode::UNAUTHORIZED,
                Secretariat | Admin => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            assert_eq!(r.status, expected, "{uri} as {who:?}: {}", r.text);
        }
    }
}

/// The form a server function is posted (its fields, as a page's form sends them) and who may
/// call it, by the function's name. Rows that use a record up make a fresh one per call.
async fn fn_row(w: &World, name: &str) -> Option<(Vec<(&'static str, String)>, May)> {
    use May::*;
    let (a, b, n, pid) = (w.a.clone(), w.b.clone(), w.nobody.clone(), w.pid.clone());
    let s = |v: &str| v.to_string();
    let open = || ("slug", s("open"));
    Some(match name {
        // Accounts.
        "who_am_i" | "logout" => (vec![], Public),
        "login" => (vec![("email", s("linked@example.org")), ("password", s(crate::common::PASSWORD))], Public),
        "load_dashboard" | "my_tokens" => (vec![], LoggedIn),
        "create_token" => (vec![("name", s("script"))], LoggedIn),
        "revoke_token" => (vec![("id", id(&w.post(MemberA, "/api/v1/tokens", json!({"name": "to revoke"})).await))], AuthorAOrAdmin),
        "invitation" => (vec![("token", w.fresh_invitation().await)], Public),
        "accept_invitation" => {
            let password = s("a long enough password");
            (vec![("token", w.fresh_invitation().await), ("password", password.clone()), ("confirm", password)], Public)
        }

        // Administration.
        "list_users" | "actor_choices" | "audit_log" => (vec![], Admin),
        "create_user" => (vec![("email", format!("fn{}@example.org", w.next())), ("name", s("New")), ("role_member", s("on"))], Admin),
        "get_user" | "user_tokens" | "reissue_invitation" => (vec![("id", w.target.clone())], Admin),
        "set_roles" => (vec![("id", w.target.clone()), ("role_member", s("on"))], Admin),
        "set_disabled" => (vec![("id", w.target.clone()), ("disabled", s("false"))], Admin),

        // The network.
        "list_actors" | "map_page" | "network_reports" | "people_list" => (vec![], LoggedIn),
        "public_directory" => (vec![], Public),
        "import_page" => (vec![], Stewards),
        "create_actor" => (vec![("name", format!("Fn actor {}", w.next())), ("kind", s("cooperative"))], Stewards),
        "actor_profile" | "buyer_matches" => (vec![("id", a)], LoggedIn),
        "update_profile" => (
            vec![("id", a), ("name", s("Cooperativa A")), ("kind", s("cooperative")), ("description", format!("Edited {}", w.next()))],
            OfA,
        ),
        "add_relation" => {
            let other = w.fresh_actor().await;
            let other =
                w.app.get(&format!("/api/v1/actors/{other}"), w.session(Who::Admin)).await.body["name"].as_str().unwrap().to_string();
            (vec![("id", a), ("direction", s("out")), ("kind", s("supplies")), ("other", other)], OfA)
        }
        "remove_relation" => {
            let to = w.fresh_actor().await;
            let rel = id(&w.post(Who::Admin, "/api/v1/relations", json!({"from": a, "to": to, "kind": "supplies"})).await);
            (vec![("id", a), ("relation_id", rel)], OfA)
        }
        "person_page" => (vec![("id", w.person.clone())], LoggedIn),
        "save_person" => (vec![("id", w.person.clone()), ("name", s("Joana Silva"))], OfAOrLinked),
        "remove_person" => (vec![("id", w.fresh_person().await), ("confirm", s("on"))], OfA),
        "add_person" => (vec![("actor", a), ("name", s("Pedro")), ("role", s("Tesoureiro"))], OfA),
        "propose_meeting" => (vec![("producer", a), ("buyer", n), ("reasons", s("Both organic."))], OfA),
        "record_meeting" => (
            vec![
                ("id", w.meeting.clone()),
                ("page", a),
                ("status", s("proposed")),
                ("date", s("")),
                ("attendees", s("")),
                ("outcome", s("")),
                ("next_steps", format!("Call {}", w.next())),
            ],
            OfA,
        ),
        "alliance_page" => (vec![("id", w.alliance.clone())], LoggedIn),
        "save_alliance" => (
            vec![
                ("id", w.alliance.clone()),
                ("status", s("prospect")),
                ("products", format!("Rice {}", w.next())),
                ("quantity", s("")),
                ("delivery", s("")),
                ("payment", s("")),
                ("buyer_contribution", s("")),
                ("business_plan", s("")),
            ],
            OfA,
        ),
        "start_alliance" => (vec![("producer", a), ("buyer", w.fresh_actor().await)], OfA),

        // Drafting: "open" is released and open for comments.
        "list_documents" => (vec![], LoggedIn),
        "document_page" | "compilation_page" | "document_comments" => (vec![open()], LoggedIn),
        "compare_versions" => (vec![open(), ("from", s("1")), ("to", s("1"))], LoggedIn),
        "paragraph_page" => (vec![open(), ("pid", pid)], LoggedIn),
        "publication_page" => (vec![("slug", w.published().await)], Public),
        "create_document" => (vec![("title", format!("Fn doc {}", w.next()))], Secretariat),
        "draft_for_editing" => (vec![("slug", s("draft"))], Secretariat),
        "release_version" => (vec![("slug", w.fresh_document("drafting").await), ("label", s("Two"))], Secretariat),
        "set_document_status" => (vec![open(), ("status", s("open_for_comments"))], Secretariat),
        "publish_document" => (vec![("slug", w.fresh_document("final").await)], Secretariat),
        "set_paragraph_status" => (vec![open(), ("paragraph_id", pid), ("status", s("bracketed"))], Secretariat),
        "edit_draft" => {
            let slug = w.fresh_document("drafting").await;
            let doc = w.app.get(&format!("/api/v1/documents/{slug}"), w.session(Who::Secretariat)).await;
            let theme = doc.body["themes"][0]["id"].as_str().unwrap_or_else(|| panic!("a theme in {}", doc.text)).to_string();
            (
                vec![("slug", slug), ("base_version", s("1")), ("op", s("append")), ("theme_id", theme), ("text", s("Fund seed banks."))],
                Secretariat,
            )
        }
        "propose_amendment" => (
            vec![
                open(),
                ("paragraph_id", pid),
                ("actor_id", a),
                ("kind", s("replace")),
                ("text", s("Fund fairs now.")),
                ("rationale", s("Sooner.")),
            ],
            AuthorA,
        ),
        "amendment_stance" => {
            (vec![open(), ("paragraph_id", pid), ("amendment_id", w.amendment.clone()), ("actor_id", b), ("stance", s("support"))], OnlyB)
        }
        "decide_amendment" => (
            vec![
                open(),
                ("paragraph_id", pid),
                ("amendment_id", w.fresh_amendment().await),
                ("decision", s("reject")),
                ("reason", s("No.")),
            ],
            Secretariat,
        ),
        "withdraw_amendment" => (vec![open(), ("paragraph_id", pid), ("amendment_id", w.fresh_amendment().await)], AuthorA),
        "add_comment" => (
            vec![open(), ("back", s("/documents/open")), ("target", s("document")), ("stance", s("neutral")), ("body", s("Hello"))],
            LoggedIn,
        ),
        "edit_comment" => (vec![("back", s("/documents/open")), ("comment_id", w.comment.clone()), ("body", s("Edited."))], AuthorA),
        "hide_comment" => {
            (vec![("back", s("/documents/open")), ("comment_id", w.fresh_comment().await), ("reason", s("Off topic"))], Secretariat)
        }
        "resolve_comment" => {
            (vec![("back", s("/documents/open")), ("comment_id", w.comment.clone()), ("resolved", s("true"))], Secretariat)
        }
        _ => return None,
    })
}

/// `application/x-www-form-urlencoded`, as a browser encodes a form.
fn form(fields: &[(&str, String)]) -> String {
    let encode = |v: &str| {
        v.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => (b as char).to_string(),
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// The same matrix for the server functions the pages call (each one's path is registered by
/// the `#[server]` macro: `/fn/{name}{hash}`): posted as a page's form posts them, by the same
/// callers, refused with the same statuses, leaking no contacts.
#[tokio::test]
async fn every_server_function_refuses_whoever_may_not_call_it() {
    Box::pin(server_function_matrix()).await
}

async fn server_function_matrix() {
    let w = Box::pin(world()).await;
    let mut names: Vec<(String, &str)> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| (path.trim_start_matches(app::SERVER_FN_PREFIX).trim_end_matches(|c: char| c.is_ascii_digit()).to_string(), path))
        .collect();
    names.sort();
    let (mut missing, mut wrong, mut leaks) = (Vec::new(), Vec::new(), Vec::new());
    for (name, path) in &names {
        for who in EVERYONE {
            let Some((fields, may)) = Box::pin(fn_row(&w, name)).await else {
                missing.push(name.clone());
                break;
            };
            // Logging out ends the session it is sent with: a fresh one of the same user.
            let session = match (name.as_str(), who) {
                (_, Anonymous) => None,
                ("logout", _) => Some(w.app.login(email_of(who)).await),
                _ => w.session(who).map(str::to_string),
            };
            let mut req = Request::builder().method(Method::POST).uri(*path).header("content-type", "application/x-www-form-urlencoded");
            if let Some(s) = &session {
                req = req.header("cookie", s);
            }
            let r = w.app.send(req.body(Body::from(form(&fields))).unwrap()).await;
            judge(name, who, may, &r, &mut wrong, &mut leaks);
        }
    }
    assert!(missing.is_empty(), "server functions missing from the matrix (say who may call them): {missing:#?}");
    assert!(wrong.is_empty(), "{} answers break the matrix:\n{}", wrong.len(), wrong.join("\n"));
    assert!(leaks.is_empty(), "a person's contacts reached someone who may not see them: {leaks:#?}");
    assert_eq!(names.len(), 61, "the matrix covers every server function");
    // The drafting document stays hidden from everyone but the secretariat here too.
    let path = names.iter().find(|(n, _)| n == "document_page").map(|(_, p)| *p).unwrap();
    for who in EVERYONE {
        let mut req = Request::builder().method(Method::POST).uri(path).header("content-type", "application/x-www-form-urlencoded");
        if let Some(s) = w.session(who) {
            req = req.header("cookie", s);
        }
        let r = w.app.send(req.body(Body::from("slug=draft")).unwrap()).await;
        let expected = match who {
            Anonymous => StatusCode::UNAUTHORIZED,
            Secretariat | Admin => StatusCode::OK,
            _ => StatusCode::NOT_FOUND,
        };
        assert_eq!(r.status, expected, "document_page of the draft as {who:?}: {}", r.text);
    }
}

fn email_of(who: Who) -> &'static str {
    match who {
        MemberA => "a@example.org",
        MemberB => "b@example.org",
        Linked => "linked@example.org",
        Organizer => "org@example.org",
        Secretariat => "sec@example.org",
        _ => "admin@example.org",
    }
}
