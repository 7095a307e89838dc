//! The audit log: every write by stewards and admins is recorded with who did it, in the write's
//! transaction (a refused write leaves none); entries cannot be changed or removed; admins read
//! and filter it. And the admin controls around it: other users' tokens, new invitations.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use shared::{audit::AuditAction, Role};

use crate::common::TestApp;

async fn log(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/audit?per_page=100{query}"), Some(admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

fn id(r: &crate::common::Reply) -> String {
    r.body["id"].as_str().unwrap_or_else(|| panic!("an id in {}", r.text)).to_string()
}

/// Who acts in the audit test, each with their session and id.
struct Cast {
    app: TestApp,
    admin: String,
    admin_id: String,
    sec: String,
    sec_id: String,
    org: String,
    org_id: String,
}

async fn me(app: &TestApp, session: &str) -> String {
    app.get("/api/v1/me", Some(session)).await.body["id"].as_str().unwrap().to_string()
}

// The scenario runs in parts: one async function this long has a poll frame, in a debug build,
// too large for a test thread's stack.
#[tokio::test]
async fn every_steward_and_admin_write_is_recorded_with_who_did_it() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let org = app.as_role("org@example.org", &[Role::Organizer]).await;
    let (admin_id, sec_id, org_id) = (me(&app, &admin).await, me(&app, &sec).await, me(&app, &org).await);
    let cast = Cast { app, admin, admin_id, sec, sec_id, org, org_id };
    let (new_id, first_invite) = Box::pin(admin_writes(&cast)).await;
    let (coop, member, comment) = Box::pin(secretariat_writes(&cast)).await;
    let (shop, erased) = Box::pin(organiser_writes(&cast, &coop)).await;
    let member_id = Box::pin(more_admin_writes(&cast, &member, &erased)).await;
    Box::pin(check_the_log(&cast, &new_id, &coop, &shop, &erased, &comment, &member_id)).await;
    // The first invitation stopped working when the new one was issued.
    assert!(cast.app.state.ports.accounts.invitation(&first_invite).await.is_err());
}

/// Admins: a user invited, their roles changed, disabled and enabled, a new invitation.
async fn admin_writes(cast: &Cast) -> (String, String) {
    let Cast { app, admin, .. } = cast;
    let admin = admin.as_str();

    let r = app.post("/api/v1/users", Some(admin), json!({"email": "new@example.org", "name": "New", "roles": ["member"]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let new_id = r.body["user"]["id"].as_str().unwrap().to_string();
    let first_invite = r.body["invite_path"].as_str().unwrap().trim_start_matches("/invite/").to_string();
    let user_path = format!("/api/v1/users/{new_id}");
    for body in [json!({"roles": ["member", "organizer"]}), json!({"disabled": true}), json!({"disabled": false})] {
        assert_eq!(app.call(Method::PATCH, &user_path, Some(admin), Some(body)).await.status, StatusCode::OK);
    }
    let r = app.post(&format!("{user_path}/invitation"), Some(admin), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (new_id, first_invite)
}

/// The secretariat: a document created, released, opened; a comment hidden; an amendment
/// decided; a paragraph's status; final, published. Answers the cooperative, its member, the
/// hidden comment.
async fn secretariat_writes(cast: &Cast) -> (String, String, String) {
    let Cast { app, sec, org, .. } = cast;
    let (sec, org) = (sec.as_str(), org.as_str());
    let coop = app.post("/api/v1/actors", Some(org), json!({"name": "Cooperativa Audit", "kind": "cooperative"})).await;
    let coop = id(&coop);
    app.user("coop@example.org", &[Role::Member], vec![coop.clone()]).await;
    let member = app.login("coop@example.org").await;
    let r = app
        .post("/api/v1/documents", Some(sec), json!({"title": "Doc", "themes": [{"title": "A", "paragraphs": [{"text": "Fund fairs."}]}]}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let pid = r.body["themes"][0]["paragraphs"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(app.post("/api/v1/documents/doc/versions", Some(sec), json!({"label": "Zero"})).await.status, StatusCode::CREATED);
    let open = json!({"status": "open_for_comments"});
    assert_eq!(app.call(Method::PATCH, "/api/v1/documents/doc", Some(sec), Some(open)).await.status, StatusCode::OK);
    let c = app.post("/api/v1/documents/doc/comments", Some(&member), json!({"target": "document", "body": "Spam"})).await;
    let hide = app.post(&format!("/api/v1/comments/{}/hide", id(&c)), Some(sec), json!({"reason": "Off topic"})).await;
    assert_eq!(hide.status, StatusCode::OK, "{}", hide.text);
    let a = app
        .post(
            "/api/v1/documents/doc/amendments",
            Some(&member),
            json!({"paragraph_id": pid, "kind": "replace", "text": "Fund organic fairs.", "rationale": "Focus.", "actor_id": coop}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let decided = app.post(&format!("/api/v1/amendments/{}/decision", id(&a)), Some(sec), json!({"decision": "accept"})).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    let bracket = json!({"status": "bracketed"});
    let r = app.call(Method::PATCH, &format!("/api/v1/documents/doc/paragraphs/{pid}"), Some(sec), Some(bracket)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.post("/api/v1/documents/doc/versions", Some(sec), json!({"label": "Final"})).await;
    app.call(Method::PATCH, "/api/v1/documents/doc", Some(sec), Some(json!({"status": "final"}))).await;
    assert_eq!(app.post("/api/v1/documents/doc/publish", Some(sec), json!({})).await.status, StatusCode::CREATED);
    (coop, member, id(&c))
}

/// An organiser: the cooperative is named by an amendment, so its deletion is refused and
/// leaves no entry; another actor, a relation, a person, an import. Answers the deleted actor
/// and a person left to erase.
async fn organiser_writes(cast: &Cast, coop: &str) -> (String, String) {
    let Cast { app, org, .. } = cast;
    let org = org.as_str();
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/actors/{coop}"), Some(org), None).await.status, StatusCode::CONFLICT);
    let shop = id(&app.post("/api/v1/actors", Some(org), json!({"name": "Empório Audit", "kind": "retailer"})).await);
    let rel = app.post("/api/v1/relations", Some(org), json!({"from": coop, "to": shop, "kind": "supplies"})).await;
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/relations/{}", id(&rel)), Some(org), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/actors/{shop}"), Some(org), None).await.status, StatusCode::NO_CONTENT);
    let person = |name: &str| app.post("/api/v1/people", Some(org), json!({"name": name, "actors": [{"actor_id": coop}]}));
    let (gone, erased) = (id(&person("Pedro").await), id(&person("Joana Silva").await));
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/people/{gone}"), Some(org), None).await.status, StatusCode::NO_CONTENT);
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/actors/import")
        .header("content-type", "text/csv")
        .header("cookie", org)
        .body(axum::body::Body::from("name,kind\nCooperativa Importada,cooperative\n"))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!((r.status, r.body["imported"].as_u64()), (StatusCode::OK, Some(1)), "{}", r.text);
    (shop, erased)
}

/// Admins: a person erased, a member's token revoked, a backup; the member's own export.
async fn more_admin_writes(cast: &Cast, member: &str, erased: &str) -> String {
    let Cast { app, admin, .. } = cast;
    let admin = admin.as_str();
    assert_eq!(app.post(&format!("/api/v1/people/{erased}/erase"), Some(admin), json!({})).await.status, StatusCode::OK);
    let token = app.post("/api/v1/tokens", Some(member), json!({"name": "script"})).await;
    let member_id = app.get("/api/v1/me", Some(member)).await.body["id"].as_str().unwrap().to_string();
    let theirs = app.get(&format!("/api/v1/users/{member_id}/tokens"), Some(admin)).await;
    assert_eq!(theirs.body["items"][0]["id"], token.body["id"], "{}", theirs.text);
    assert_eq!(app.get(&format!("/api/v1/users/{member_id}/tokens"), Some(member)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/tokens/{}", id(&token)), Some(admin), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/users/{member_id}/tokens"), Some(admin)).await.body["items"], json!([]));
    assert_eq!(app.get("/api/v1/me/export", Some(member)).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/admin/backup", Some(admin)).await.status, StatusCode::OK);
    member_id
}

/// Every action, each by whom it should be; no entry for the refused deletion; filters.
async fn check_the_log(cast: &Cast, new_id: &str, coop: &str, shop: &str, erased: &str, comment: &str, member_id: &str) {
    let Cast { app, admin, admin_id, sec, sec_id, org_id, .. } = cast;
    let admin = admin.as_str();
    let _ = coop;
    let entries = log(app, admin, "").await;
    let mut by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in &entries {
        by.entry(e["action"].as_str().unwrap().to_string()).or_default().insert(e["by"].as_str().unwrap_or("nobody").to_string());
    }
    let expected = |action: AuditAction| match action {
        AuditAction::UserCreated
        | AuditAction::RolesChanged
        | AuditAction::UserDisabled
        | AuditAction::UserEnabled
        | AuditAction::InvitationReissued
        | AuditAction::TokenRevoked
        | AuditAction::PersonErased
        | AuditAction::BackupTaken => admin_id,
        AuditAction::ActorDeleted | AuditAction::RelationDeleted | AuditAction::PersonDeleted | AuditAction::NetworkImported => org_id,
        AuditAction::DataExported => member_id,
        _ => sec_id,
    };
    for action in AuditAction::ALL {
        let who = by.get(action.as_str()).unwrap_or_else(|| panic!("no entry for {action}: {entries:#?}"));
        let mut who: Vec<&String> = who.iter().filter(|w| w.as_str() != "nobody").collect();
        who.dedup();
        assert_eq!(who, vec![expected(*action)], "{action} by");
    }
    let deleted: Vec<&str> = entries.iter().filter(|e| e["action"] == "actor.deleted").map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(deleted, vec![shop], "the refused deletion left no entry");
    let roles = entries.iter().find(|e| e["action"] == "user.roles_changed").unwrap();
    assert_eq!((roles["key"].as_str(), roles["summary"].as_str()), (Some(new_id), Some("roles: member, organizer")));
    assert_eq!(roles["by_name"], "admin");
    let erasure = entries.iter().find(|e| e["action"] == "person.erased").unwrap();
    assert_eq!((erasure["table"].as_str(), erasure["key"].as_str()), (Some("person"), Some(erased)));
    assert!(!serde_json::to_string(&entries).unwrap().contains("Joana"), "the log keeps no erased name");
    let created = entries.iter().find(|e| e["action"] == "document.created").unwrap();
    assert!(!created["key"].as_str().unwrap().is_empty(), "a created record's key is recorded");

    // The newest first, and filtered by action, user and date.
    assert_eq!(entries[0]["action"], "database.backup_taken");
    let hidden = log(app, admin, "&action=comment.hidden").await;
    assert_eq!((hidden.len(), hidden[0]["key"].as_str()), (1, Some(comment)));
    let by_sec = log(app, admin, &format!("&user={sec_id}")).await;
    assert!(!by_sec.is_empty() && by_sec.iter().all(|e| e["by"] == sec_id.as_str()));
    assert!(log(app, admin, "&since=2999-01-01").await.is_empty());
    assert_eq!(log(app, admin, "&since=2000-01-01T00:00:00Z").await.len(), entries.len());
    let r = app.get("/api/v1/audit?per_page=2&page=2", Some(admin)).await;
    assert_eq!((r.body["items"].as_array().unwrap().len(), r.body["total"].as_u64()), (2, Some(entries.len() as u64)));
    for bad in ["action=user.everything", "since=yesterday", "user=a'b"] {
        let r = app.get(&format!("/api/v1/audit?{bad}"), Some(admin)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
    }
    assert_eq!(app.get("/api/v1/audit", Some(sec)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/audit", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    assert_eq!(app.get("/api/v1/admin/backup", Some(&admin)).await.status, StatusCode::OK);
    let before = log(&app, &admin, "").await;
    assert_eq!(before[0]["action"], "database.backup_taken");
    for change in ["UPDATE audit SET summary = 'nothing happened'", "DELETE audit", "UPSERT audit SET record_key = 'x'"] {
        let r = app.state.db.query(change).await.unwrap().check();
        assert!(r.is_err(), "{change} was allowed");
    }
    assert_eq!(log(&app, &admin, "").await, before);
}

/// Admins reissuing one user's invitation at the same moment (the first link expired, so there is
/// nothing to expire), on several threads, round after round: each gets an answer, and exactly one
/// of the links works.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn invitations_reissued_at_once_leave_one_link_valid() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let r = app.post("/api/v1/users", Some(&admin), json!({"email": "late@example.org", "name": "Late", "roles": ["member"]})).await;
    let user = r.body["user"]["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/users/{user}/invitation");
    let accounts = &app.state.ports.accounts;
    for round in 0..8 {
        app.state.db.query("UPDATE invitation SET expires_at = time::now() - 1d").await.unwrap().check().unwrap();
        let reissues: Vec<_> = (0..6)
            .map(|_| {
                let (router, cookie, uri) = (app.router.clone(), admin.clone(), uri.clone());
                tokio::spawn(async move {
                    let req = axum::http::Request::post(uri)
                        .header("cookie", cookie)
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from("{}"))
                        .unwrap();
                    let r = tower::ServiceExt::oneshot(router, req).await.unwrap();
                    let status = r.status();
                    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
                    (status, serde_json::from_slice::<Value>(&body).unwrap())
                })
            })
            .collect();
        let mut tokens = Vec::new();
        for reissue in reissues {
            let (status, body) = reissue.await.unwrap();
            assert_eq!(status, StatusCode::CREATED, "{body}");
            tokens.push(body["invite_path"].as_str().unwrap().trim_start_matches("/invite/").to_string());
        }
        let mut valid = 0;
        for token in &tokens {
            valid += usize::from(accounts.invitation(token).await.is_ok());
        }
        assert_eq!(valid, 1, "round {round}: one link works, the others were replaced");
    }
}

#[tokio::test]
async fn a_new_invitation_replaces_the_old_one_and_only_for_those_without_a_password() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let r = app.post("/api/v1/users", Some(&admin), json!({"email": "late@example.org", "name": "Late", "roles": ["member"]})).await;
    let user = r.body["user"]["id"].as_str().unwrap().to_string();
    let old = r.body["invite_path"].as_str().unwrap().trim_start_matches("/invite/").to_string();
    let r = app.post(&format!("/api/v1/users/{user}/invitation"), Some(&admin), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let new = r.body["invite_path"].as_str().unwrap().trim_start_matches("/invite/").to_string();
    let accounts = &app.state.ports.accounts;
    assert!(accounts.invitation(&old).await.is_err(), "the old link no longer works");
    assert_eq!(accounts.invitation(&new).await.unwrap(), "late@example.org");
    accounts.accept_invitation(&new, "a long enough password").await.unwrap();
    let r = app.post(&format!("/api/v1/users/{user}/invitation"), Some(&admin), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "they have a password now: {}", r.text);
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    assert_eq!(app.post(&format!("/api/v1/users/{user}/invitation"), Some(&member), json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/users/nobody/invitation", Some(&admin), json!({})).await.status, StatusCode::NOT_FOUND);
    // The user's page offers it while there is no password, with the tokens and the log's link.
    let page = app.get(&format!("/admin/users/{user}"), Some(&admin)).await;
    let audit = app.get("/admin/audit?action=user.invitation_reissued", Some(&admin)).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(audit.text.contains("<td>Issued a new invitation") && !audit.text.contains("<td>Created a user account"), "{}", audit.text);
    assert!(app.get("/admin/audit", Some(&member)).await.text.contains("does not allow you to read the audit log"));
    assert!(!page.text.contains("Issue a new invitation") && page.text.contains("No API tokens in use."), "{}", page.text);
}
