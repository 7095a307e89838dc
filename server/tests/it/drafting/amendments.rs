//! HTTP tests of amendments: proposals on behalf of actors, stances, the secretariat's
//! decisions applied to the working draft, stale amendments and simultaneous decisions.

use crate::common;

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use shared::Role;

struct World {
    app: TestApp,
    sec: String,
    /// Member of the cooperative.
    coop: String,
    /// Member of the retailer.
    shop: String,
    /// Member of nothing.
    loner: String,
    coop_id: String,
    shop_id: String,
    /// Paragraph ids of the released version 1: "Fund fairs.", "Train agents.", "Buy organic."
    p: Vec<String>,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let actor = |name: &'static str, kind: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let r = app.post("/api/v1/actors", Some(&admin), json!({"name": name, "kind": kind})).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.body["id"].as_str().unwrap().to_string()
        }
    };
    let coop_id = actor("Cooperativa Terra Viva", "cooperative").await;
    let shop_id = actor("Empório Verde", "retailer").await;
    app.user("coop@example.org", &[Role::Member], vec![coop_id.clone()]).await;
    app.user("shop@example.org", &[Role::Member], vec![shop_id.clone()]).await;
    let (coop, shop) = (app.login("coop@example.org").await, app.login("shop@example.org").await);
    let loner = app.as_role("loner@example.org", &[Role::Member]).await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let r = app
        .post(
            "/api/v1/documents",
            Some(&sec),
            json!({"title": "Doc", "themes": [
                {"title": "A", "paragraphs": [{"text": "Fund fairs."}, {"text": "Train agents."}]},
                {"title": "B", "paragraphs": [{"text": "Buy organic."}]}
            ]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let p = r.body["themes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["paragraphs"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()))
        .collect();
    let r = app.post("/api/v1/documents/doc/versions", Some(&sec), json!({"label": "Zero draft"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    World { app, sec, coop, shop, loner, coop_id, shop_id, p }
}

impl World {
    async fn open(&self) {
        let r = self.app.call(Method::PATCH, "/api/v1/documents/doc", Some(&self.sec), Some(json!({"status": "open_for_comments"}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    async fn propose(&self, who: &str, body: Value) -> common::Reply {
        self.app.post("/api/v1/documents/doc/amendments", Some(who), body).await
    }
    async fn decide(&self, id: &str, body: Value) -> common::Reply {
        self.app.post(&format!("/api/v1/amendments/{id}/decision"), Some(&self.sec), body).await
    }
    async fn draft_text(&self, t: usize, i: usize) -> Value {
        self.app.get("/api/v1/documents/doc", Some(&self.sec)).await.body["themes"][t]["paragraphs"][i]["text"].clone()
    }
}

#[tokio::test]
async fn members_propose_on_behalf_of_their_actors_while_the_document_is_open() {
    let w = world().await;
    let replace = json!({"paragraph_id": w.p[0], "kind": "replace", "text": "Fund organic fairs.", "rationale": "Be specific.", "actor_id": w.coop_id});

    let r = w.propose(&w.coop, replace.clone()).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"), "closed while drafting");
    w.open().await;

    let r = w.propose(&w.coop, replace.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        (r.body["number"].as_u64(), r.body["status"].as_str(), r.body["kind"].as_str()),
        (Some(1), Some("proposed"), Some("replace"))
    );
    assert_eq!(r.body["actor"]["name"], "Cooperativa Terra Viva");
    assert_eq!(r.body["base_text"], "Fund fairs.");
    assert_eq!(r.body["paragraph_number"], "1.1");
    assert!(
        r.body["diff"].as_array().unwrap().iter().any(|s| s["op"] == "insert" && s["text"].as_str().unwrap().contains("organic")),
        "{}",
        r.body
    );
    assert_eq!(r.body["history"][0]["action"], "proposed");
    assert_eq!(r.body["stale"], false);
    assert_eq!(r.body["current_text"], Value::Null, "members do not see the working draft");

    // On behalf of someone else's actor, or of none: 403.
    let r = w.propose(&w.shop, replace.clone()).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = w.propose(&w.loner, replace.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Bad input names the field.
    for (body, field) in [
        (json!({"paragraph_id": w.p[0], "kind": "replace", "text": "Fund fairs.", "rationale": "x", "actor_id": w.coop_id}), "text"),
        (json!({"paragraph_id": w.p[0], "kind": "replace", "text": "New", "rationale": " ", "actor_id": w.coop_id}), "rationale"),
        (json!({"paragraph_id": "nope", "kind": "delete", "rationale": "x", "actor_id": w.coop_id}), "paragraph_id"),
    ] {
        let r = w.propose(&w.coop, body).await;
        assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some(field)), "{}", r.text);
    }
    let r = w.propose(&w.coop, json!({"paragraph_id": w.p[0], "kind": "rewrite", "rationale": "x", "actor_id": w.coop_id})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "an unknown kind: {}", r.text);

    // Numbers follow on; the list filters by paragraph and status.
    let r =
        w.propose(&w.shop, json!({"paragraph_id": w.p[2], "kind": "delete", "rationale": "Covered by 1.1.", "actor_id": w.shop_id})).await;
    assert_eq!(r.body["number"], 2);
    let list = w.app.get("/api/v1/documents/doc/amendments", Some(&w.loner)).await;
    assert_eq!(list.body["total"], 2);
    let second = w.app.get("/api/v1/documents/doc/amendments?per_page=1&page=2", Some(&w.loner)).await.body;
    assert_eq!((second["total"].as_u64(), second["items"][0]["number"].as_u64()), (Some(2), Some(2)), "in pages");
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    let list = w.app.get(&format!("/api/v1/documents/doc/amendments?paragraph={}", w.p[2]), Some(&w.loner)).await;
    assert_eq!((list.body["total"].as_u64(), list.body["items"][0]["number"].as_u64()), (Some(1), Some(2)));
    let list = w.app.get("/api/v1/documents/doc/amendments?status=rejected", Some(&w.loner)).await;
    assert_eq!(list.body["total"], 0);
    let r = w.app.get("/api/v1/documents/doc/amendments?status=maybe", Some(&w.loner)).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("status")));

    // Closed again: no more proposals.
    let r = w.app.call(Method::PATCH, "/api/v1/documents/doc", Some(&w.sec), Some(json!({"status": "final"}))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(w.propose(&w.coop, replace).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_passed_comment_deadline_closes_proposals() {
    let w = world().await;
    let r = w
        .app
        .call(
            Method::PATCH,
            "/api/v1/documents/doc",
            Some(&w.sec),
            Some(json!({"status": "open_for_comments", "comment_deadline": "2020-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = w.propose(&w.coop, json!({"paragraph_id": w.p[0], "kind": "delete", "rationale": "x", "actor_id": w.coop_id})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("closed"), "{}", r.text);
}

#[tokio::test]
async fn stances_one_per_actor_and_withdrawal_by_the_proposer() {
    let w = world().await;
    w.open().await;
    let a = w
        .propose(
            &w.coop,
            json!({"paragraph_id": w.p[1], "kind": "insert_after", "text": "Fund PGS.", "rationale": "Missing.", "actor_id": w.coop_id}),
        )
        .await;
    let id = a.body["id"].as_str().unwrap().to_string();
    let stance = |who: &str, actor: &str, stance: &str| {
        let (app, id, who, body) = (&w.app, id.clone(), who.to_string(), json!({"actor_id": actor, "stance": stance}));
        async move { app.post(&format!("/api/v1/amendments/{id}/stances"), Some(&who), body).await }
    };
    let r = stance(&w.shop, &w.shop_id, "support").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = stance(&w.shop, &w.shop_id, "oppose").await;
    assert_eq!(r.body["stances"].as_array().unwrap().len(), 1, "one stance per actor: {}", r.body);
    assert_eq!(
        (r.body["stances"][0]["stance"].as_str(), r.body["stances"][0]["actor"]["name"].as_str()),
        (Some("oppose"), Some("Empório Verde"))
    );
    assert_eq!(stance(&w.coop, &w.coop_id, "support").await.status, StatusCode::UNPROCESSABLE_ENTITY, "the proposer's own actor");
    assert_eq!(stance(&w.coop, &w.shop_id, "support").await.status, StatusCode::FORBIDDEN, "not your actor");
    let r = stance(&w.shop, &w.shop_id, "meh").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = w.app.call(Method::DELETE, &format!("/api/v1/amendments/{id}/stances/{}", w.shop_id), Some(&w.shop), None).await;
    assert_eq!((r.status, r.body["stances"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));

    // Only the proposer withdraws, once.
    let withdraw = |who: &str| {
        let (app, id, who) = (&w.app, id.clone(), who.to_string());
        async move { app.post(&format!("/api/v1/amendments/{id}/withdraw"), Some(&who), json!({})).await }
    };
    assert_eq!(withdraw(&w.shop).await.status, StatusCode::FORBIDDEN);
    let r = withdraw(&w.coop).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("withdrawn")));
    let actions: Vec<&str> = r.body["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["proposed", "withdrawn"]);
    assert_eq!(withdraw(&w.coop).await.status, StatusCode::CONFLICT);
    assert_eq!(stance(&w.shop, &w.shop_id, "support").await.status, StatusCode::CONFLICT, "no stances on a closed amendment");
    assert_eq!(w.decide(&id, json!({"decision": "accept"})).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn decisions_change_the_working_draft_and_are_recorded() {
    let w = world().await;
    w.open().await;
    let propose = |who: &str, actor: &str, body: Value| {
        let mut body = body;
        body["actor_id"] = json!(actor);
        body["rationale"] = json!("Because.");
        let (w, who) = (&w, who.to_string());
        async move {
            let r = w.propose(&who, body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.body["id"].as_str().unwrap().to_string()
        }
    };
    let replace = propose(&w.coop, &w.coop_id, json!({"paragraph_id": w.p[0], "kind": "replace", "text": "Fund organic fairs."})).await;
    let insert = propose(&w.shop, &w.shop_id, json!({"paragraph_id": w.p[1], "kind": "insert_after", "text": "Map the fairs."})).await;
    let delete = propose(&w.shop, &w.shop_id, json!({"paragraph_id": w.p[2], "kind": "delete"})).await;
    let reject = propose(&w.coop, &w.coop_id, json!({"paragraph_id": w.p[1], "kind": "replace", "text": "Train nobody."})).await;

    // Members cannot decide.
    let r = w.app.post(&format!("/api/v1/amendments/{replace}/decision"), Some(&w.coop), json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = w.decide(&replace, json!({"decision": "accept"})).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("accepted")), "{}", r.text);
    assert_eq!(r.body["decided_by"], "sec");
    assert_eq!(w.draft_text(0, 0).await, "Fund organic fairs.");

    let r = w.decide(&insert, json!({"decision": "accept_with_changes", "text": "Map and fund the fairs."})).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("accepted_with_changes")), "{}", r.text);
    assert!(r.body["changes"].as_array().unwrap().iter().any(|s| s["op"] == "insert"), "the edit shows as a diff: {}", r.body);
    assert_eq!(w.draft_text(0, 2).await, "Map and fund the fairs.");
    let new_pid = r.body["result_paragraph_id"].as_str().unwrap().to_string();

    let r = w.decide(&reject, json!({"decision": "reject"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("reason")));
    let r = w.decide(&reject, json!({"decision": "reject", "reason": "Contradicts 1.1."})).await;
    assert_eq!((r.body["status"].as_str(), r.body["reason"].as_str()), (Some("rejected"), Some("Contradicts 1.1.")));
    assert_eq!(w.draft_text(0, 1).await, "Train agents.", "a rejection changes nothing");
    let again = w.decide(&reject, json!({"decision": "accept"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "decided once");
    assert!(again.body["error"]["message"].as_str().unwrap().contains("rejected"), "{}", again.text);

    let r = w.decide(&delete, json!({"decision": "accept"})).await;
    assert_eq!(r.status, StatusCode::OK);
    let head = w.app.get("/api/v1/documents/doc", Some(&w.sec)).await.body;
    assert_eq!(head["themes"][1]["paragraphs"], json!([]), "deleted from the draft");

    // The trail: the inserted paragraph's amendments are found under its new id too.
    let list = w.app.get(&format!("/api/v1/documents/doc/amendments?paragraph={new_pid}"), Some(&w.sec)).await;
    assert_eq!(list.body["items"][0]["id"], insert.as_str());
    let history = w.app.get(&format!("/api/v1/amendments/{reject}"), Some(&w.loner)).await.body["history"].clone();
    assert_eq!(history[1]["action"], "rejected");
    assert_eq!(history[1]["note"], "Contradicts 1.1.");
    assert_eq!(history[1]["by"], "sec");
}

#[tokio::test]
async fn a_stale_amendment_is_resolved_or_refused_never_overwriting() {
    let w = world().await;
    w.open().await;
    let mk = |text: &str| json!({"paragraph_id": w.p[0], "kind": "replace", "text": text, "rationale": "r", "actor_id": w.coop_id});
    let first = w.propose(&w.coop, mk("Fund organic fairs.")).await.body["id"].as_str().unwrap().to_string();
    let second = w.propose(&w.coop, mk("Fund fairs weekly.")).await.body["id"].as_str().unwrap().to_string();
    assert_eq!(w.decide(&first, json!({"decision": "accept"})).await.status, StatusCode::OK);

    let a = w.app.get(&format!("/api/v1/amendments/{second}"), Some(&w.sec)).await.body;
    assert_eq!(
        (a["stale"].as_bool(), a["current_text"].as_str(), a["base_text"].as_str()),
        (Some(true), Some("Fund organic fairs."), Some("Fund fairs."))
    );
    let r = w.decide(&second, json!({"decision": "accept"})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "conflict"));
    let r = w.decide(&second, json!({"decision": "accept_with_changes", "text": "Fund organic fairs weekly."})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "must say which current text it resolves");
    let r = w
        .decide(&second, json!({"decision": "accept_with_changes", "text": "Fund organic fairs weekly.", "current_text": "Fund fairs."}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "resolving an older text");
    assert_eq!(w.draft_text(0, 0).await, "Fund organic fairs.", "nothing overwritten");
    let r = w
        .decide(
            &second,
            json!({"decision": "accept_with_changes", "text": "Fund organic fairs weekly.", "current_text": "Fund organic fairs."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(w.draft_text(0, 0).await, "Fund organic fairs weekly.");
}

#[tokio::test]
async fn simultaneous_decisions_one_wins_and_no_accepted_change_is_lost() {
    let w = world().await;
    w.open().await;
    let sec2 = {
        w.app.user("sec2@example.org", &[Role::Secretariat], vec![]).await;
        w.app.login("sec2@example.org").await
    };
    // Two amendments to the same paragraph, decided at the same moment by two people.
    let mk = |text: &str| json!({"paragraph_id": w.p[0], "kind": "replace", "text": text, "rationale": "r", "actor_id": w.coop_id});
    let a = w.propose(&w.coop, mk("Fund organic fairs.")).await.body["id"].as_str().unwrap().to_string();
    let b = w.propose(&w.coop, mk("Fund fairs weekly.")).await.body["id"].as_str().unwrap().to_string();
    // And two to other paragraphs, decided at the same moment too: both must land.
    let c = w
        .propose(
            &w.coop,
            json!({"paragraph_id": w.p[1], "kind": "replace", "text": "Train more agents.", "rationale": "r", "actor_id": w.coop_id}),
        )
        .await;
    let d = w
        .propose(
            &w.coop,
            json!({"paragraph_id": w.p[2], "kind": "replace", "text": "Buy organic food.", "rationale": "r", "actor_id": w.coop_id}),
        )
        .await;
    let (c, d) = (c.body["id"].as_str().unwrap().to_string(), d.body["id"].as_str().unwrap().to_string());

    let accept = json!({"decision": "accept"});
    let uri = |id: &str| format!("/api/v1/amendments/{id}/decision");
    let (ua, ub, uc, ud) = (uri(&a), uri(&b), uri(&c), uri(&d));
    let (ra, rb, rc, rd) = tokio::join!(
        w.app.post(&ua, Some(&w.sec), accept.clone()),
        w.app.post(&ub, Some(&sec2), accept.clone()),
        w.app.post(&uc, Some(&w.sec), accept.clone()),
        w.app.post(&ud, Some(&sec2), accept.clone()),
    );
    let mut same = [ra.status, rb.status];
    same.sort();
    assert_eq!(same, [StatusCode::OK, StatusCode::CONFLICT], "{} / {}", ra.text, rb.text);
    let loser = if ra.status == StatusCode::CONFLICT { &ra } else { &rb };
    assert!(loser.body["error"]["message"].as_str().unwrap().contains("changed"), "{}", loser.text);
    let winner_text = if ra.status == StatusCode::OK { "Fund organic fairs." } else { "Fund fairs weekly." };
    assert_eq!(w.draft_text(0, 0).await, winner_text);
    assert_eq!((rc.status, rd.status), (StatusCode::OK, StatusCode::OK), "{} / {}", rc.text, rd.text);
    assert_eq!(w.draft_text(0, 1).await, "Train more agents.");
    assert_eq!(w.draft_text(1, 0).await, "Buy organic food.");

    // The same amendment decided twice at once: one decision.
    let e = w.propose(&w.coop, json!({"paragraph_id": w.p[1], "kind": "delete", "rationale": "r", "actor_id": w.coop_id})).await;
    let e = e.body["id"].as_str().unwrap().to_string();
    let ue = uri(&e);
    let (r1, r2) = tokio::join!(
        w.app.post(&ue, Some(&w.sec), json!({"decision": "reject", "reason": "No."})),
        w.app.post(&ue, Some(&sec2), json!({"decision": "supersede"})),
    );
    let mut both = [r1.status, r2.status];
    both.sort();
    assert_eq!(both, [StatusCode::OK, StatusCode::CONFLICT]);
    let history = w.app.get(&format!("/api/v1/amendments/{e}"), Some(&w.sec)).await.body["history"].clone();
    assert_eq!(history.as_array().unwrap().len(), 2, "one decision recorded: {history}");
}

#[tokio::test]
async fn the_compilation_then_the_publication_with_its_amendment_trail() {
    let w = world().await;
    w.open().await;
    let a1 = w
        .propose(
            &w.coop,
            json!({"paragraph_id": w.p[0], "kind": "replace", "text": "Fund organic fairs.", "rationale": "Focus.", "actor_id": w.coop_id}),
        )
        .await;
    let a1 = a1.body["id"].as_str().unwrap().to_string();
    let r =
        w.app.post(&format!("/api/v1/amendments/{a1}/stances"), Some(&w.shop), json!({"actor_id": w.shop_id, "stance": "support"})).await;
    assert_eq!(r.status, StatusCode::OK);
    w.propose(&w.shop, json!({"paragraph_id": w.p[2], "kind": "delete", "rationale": "Vague.", "actor_id": w.shop_id})).await;

    // The compilation: the current version with the pending amendments under their paragraphs.
    let c = w.app.get("/api/v1/documents/doc/compilation", Some(&w.loner)).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.text);
    assert_eq!((c.body["version"]["number"].as_u64(), c.body["amendments"].as_array().map(Vec::len)), (Some(1), Some(2)));
    let md = w.app.get("/api/v1/documents/doc/compilation?format=md", Some(&w.loner)).await;
    assert!(md.headers["content-type"].to_str().unwrap().starts_with("text/markdown"));
    assert!(
        md.text.contains(
            "**1.1** Fund fairs.\n\n> **A-1** (replace the text), proposed by Cooperativa Terra Viva; supported by Empório Verde"
        ),
        "{}",
        md.text
    );
    assert!(md.text.contains("> Fund **organic** fairs."), "{}", md.text);
    assert!(md.text.contains("**2.1** Buy organic.\n\n> **A-2** (delete the paragraph)"), "{}", md.text);
    assert_eq!(w.app.get("/api/v1/documents/doc/compilation?format=pdf", Some(&w.loner)).await.status, StatusCode::BAD_REQUEST);
    let page = w.app.get("/recommendations/doc/compilation", Some(&w.loner)).await;
    assert!(page.text.contains("Compilation text") && page.text.contains("Supported by Empório Verde"), "{}", page.text);
    assert!(page.text.contains("1. A (1 pending)") && page.text.contains("2. B (1 pending)"), "theme tabs: {}", page.text);
    let second = w.app.get("/recommendations/doc/compilation?theme=2", Some(&w.loner)).await;
    assert!(second.text.contains(">A-2<") && !second.text.contains("Supported by Empório Verde"), "{}", second.text);
    assert!(!second.text.contains("Parts of this theme"), "a short theme is one part");
    let beyond = w.app.get("/recommendations/doc/compilation?theme=2&part=2", Some(&w.loner)).await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND, "{}", beyond.text);

    // Accept A-1, release, finalise, publish.
    assert_eq!(w.decide(&a1, json!({"decision": "accept"})).await.status, StatusCode::OK);
    let r = w.app.post("/api/v1/documents/doc/publish", Some(&w.sec), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "only final documents are published");
    w.app.post("/api/v1/documents/doc/versions", Some(&w.sec), json!({"label": "Final"})).await;
    let r = w.app.call(Method::PATCH, "/api/v1/documents/doc", Some(&w.sec), Some(json!({"status": "published"}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "publishing has its own step");
    w.app.call(Method::PATCH, "/api/v1/documents/doc", Some(&w.sec), Some(json!({"status": "final"}))).await;
    assert_eq!(w.app.post("/api/v1/documents/doc/publish", Some(&w.coop), json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(w.app.get("/r/doc.json", None).await.status, StatusCode::NOT_FOUND, "nothing published yet");
    let r = w.app.post("/api/v1/documents/doc/publish", Some(&w.sec), json!({})).await;
    assert_eq!(
        (r.status, r.body["number"].as_u64(), r.body["label"].as_str()),
        (StatusCode::CREATED, Some(2), Some("Final")),
        "{}",
        r.text
    );
    assert_eq!(w.app.post("/api/v1/documents/doc/publish", Some(&w.sec), json!({"version": 2})).await.status, StatusCode::CONFLICT);
    let r = w.app.call(Method::PUT, "/api/v1/documents/doc/draft", Some(&w.sec), Some(json!({"base_version": 99, "themes": []}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "frozen");

    // Read by anyone, without logging in.
    let j = w.app.get("/r/doc.json", None).await;
    assert_eq!(j.status, StatusCode::OK, "{}", j.text);
    assert_eq!(j.body["themes"][0]["paragraphs"][0]["text"], "Fund organic fairs.");
    assert_eq!(j.body["version"]["number"], 2);
    let trail = &j.body["trail"][0];
    assert_eq!(trail["paragraph_id"], w.p[0].as_str());
    assert_eq!(trail["amendments"][0]["amendment"], "A-1");
    assert_eq!(trail["amendments"][0]["proposed_by"], "Cooperativa Terra Viva");
    assert_eq!(trail["amendments"][0]["supporters"], json!(["Empório Verde"]));
    assert!(trail["amendments"][0]["decided_at"].is_string());
    let md = w.app.get("/r/doc.md", None).await;
    assert!(md.text.starts_with("# Doc"), "{}", md.text);
    assert!(
        md.text.contains("**1.1** Fund organic fairs.\n\n> A-1 (replace the text) proposed by Cooperativa Terra Viva on "),
        "{}",
        md.text
    );
    let html = w.app.get("/r/doc", None).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.text.contains("Amendment trail") && html.text.contains("Fund organic fairs.") && html.text.contains("href=\"/r/doc.md\""),
        "{}",
        html.text
    );
    assert_eq!(w.app.get("/r/doc/v/2.json", None).await.status, StatusCode::OK);
    assert_eq!(w.app.get("/r/doc/v/1.json", None).await.status, StatusCode::NOT_FOUND, "version 1 was never published");
    assert_eq!(w.app.get("/r/nothing.md", None).await.status, StatusCode::NOT_FOUND);
    let missing = w.app.get("/r/nothing", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "a missing page says so in its status");
    assert!(missing.text.contains("Nothing has been published at this address"));
}

#[tokio::test]
async fn threaded_comments_with_stances_edits_hiding_and_resolving() {
    let w = world().await;
    let post = |who: &str, body: Value| {
        let (app, who) = (&w.app, who.to_string());
        async move { app.post("/api/v1/documents/doc/comments", Some(&who), body).await }
    };
    let on_p0 = json!({"target": "paragraph", "target_id": w.p[0], "stance": "for", "body": "**Yes**, fairs matter. <script>x()</script>"});
    assert_eq!(post(&w.coop, on_p0.clone()).await.status, StatusCode::UNPROCESSABLE_ENTITY, "closed while drafting");
    w.open().await;

    let c1 = post(&w.coop, on_p0.clone()).await;
    assert_eq!(c1.status, StatusCode::CREATED, "{}", c1.text);
    assert_eq!(
        (c1.body["stance"].as_str(), c1.body["author"].as_str(), c1.body["editable"].as_bool()),
        (Some("for"), Some("coop"), Some(true))
    );
    let html = c1.body["html"].as_str().unwrap();
    assert!(html.contains("<strong>Yes</strong>") && !html.contains("<script"), "sanitised: {html}");
    let c1 = c1.body["id"].as_str().unwrap().to_string();

    // A reply in the same thread; a reply into another thread is refused.
    let reply = post(
        &w.shop,
        json!({"target": "paragraph", "target_id": w.p[0], "parent_id": c1, "stance": "against", "body": "Not without transport."}),
    )
    .await;
    assert_eq!((reply.status, reply.body["parent_id"].as_str()), (StatusCode::CREATED, Some(c1.as_str())));
    let wrong = post(&w.shop, json!({"target": "document", "parent_id": c1, "body": "x"})).await;
    assert_eq!((wrong.status, wrong.error_field()), (StatusCode::BAD_REQUEST, Some("parent_id")));
    for (body, field) in [
        (json!({"target": "paragraph", "target_id": "nope", "body": "x"}), "target_id"),
        (json!({"target": "paragraph", "body": "x"}), "target_id"),
        (json!({"target": "document", "body": "   "}), "body"),
        (json!({"target": "amendment", "target_id": "nope", "body": "x"}), "target_id"),
    ] {
        let r = post(&w.coop, body).await;
        assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some(field)), "{}", r.text);
    }
    assert_eq!(post(&w.loner, json!({"target": "document", "body": "General remark."})).await.status, StatusCode::CREATED);
    let a = w.propose(&w.coop, json!({"paragraph_id": w.p[0], "kind": "delete", "rationale": "r", "actor_id": w.coop_id})).await;
    let on_a = post(&w.shop, json!({"target": "amendment", "target_id": a.body["id"], "stance": "against", "body": "Keep it."})).await;
    assert_eq!(on_a.status, StatusCode::CREATED, "{}", on_a.text);

    let list = w.app.get(&format!("/api/v1/documents/doc/comments?target=paragraph&target_id={}", w.p[0]), Some(&w.loner)).await;
    assert_eq!(list.body["total"], 2);
    assert_eq!(w.app.get("/api/v1/documents/doc/comments", Some(&w.loner)).await.body["total"], 4);
    // The list comes in pages, oldest first.
    let all = w.app.get("/api/v1/documents/doc/comments", Some(&w.loner)).await.body["items"].clone();
    let second = w.app.get("/api/v1/documents/doc/comments?per_page=3&page=2", Some(&w.loner)).await.body;
    assert_eq!((second["total"].as_u64(), second["page"].as_u64(), second["per_page"].as_u64()), (Some(4), Some(2), Some(3)));
    assert_eq!(second["items"], serde_json::json!([all[3]]));
    let r = w.app.get("/api/v1/documents/doc/comments?per_page=0&page=-1", Some(&w.loner)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(w.app.get("/api/v1/documents/doc/comments?target=document", Some(&w.loner)).await.body["total"], 1);

    // The author edits (within 15 minutes); nobody else does.
    let edit = |who: &str, body: &str| {
        let (app, who, uri, body) = (&w.app, who.to_string(), format!("/api/v1/comments/{c1}"), json!({"body": body}));
        async move { app.call(Method::PATCH, &uri, Some(&who), Some(body)).await }
    };
    assert_eq!(edit(&w.shop, "Hijack").await.status, StatusCode::FORBIDDEN);
    let r = edit(&w.coop, "Yes, fairs matter most.").await;
    assert_eq!((r.status, r.body["body"].as_str()), (StatusCode::OK, Some("Yes, fairs matter most.")));
    assert!(r.body["edited_at"].is_string());
    // Fifteen minutes later, no more (moved back in the database).
    w.app.state.db.query(format!("UPDATE comment:{c1} SET created_at = time::now() - 16m")).await.unwrap().check().unwrap();
    let r = edit(&w.coop, "Too late?").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        w.app.get(&format!("/api/v1/documents/doc/comments?target=paragraph&target_id={}", w.p[0]), Some(&w.coop)).await.body["items"][0]
            ["editable"],
        false
    );

    // The secretariat hides (with a reason, kept) and resolves.
    let hide = |who: &str, reason: &str| {
        let (app, who, uri, body) = (&w.app, who.to_string(), format!("/api/v1/comments/{c1}/hide"), json!({"reason": reason}));
        async move { app.post(&uri, Some(&who), body).await }
    };
    assert_eq!(hide(&w.coop, "mine").await.status, StatusCode::FORBIDDEN);
    assert_eq!(hide(&w.sec, " ").await.error_field(), Some("reason"));
    let r = hide(&w.sec, "Off topic.").await;
    assert_eq!(
        (r.body["hidden"].as_bool(), r.body["hidden_reason"].as_str(), r.body["body"].as_str()),
        (Some(true), Some("Off topic."), Some("Yes, fairs matter most."))
    );
    let seen = w.app.get(&format!("/api/v1/documents/doc/comments?target=paragraph&target_id={}", w.p[0]), Some(&w.loner)).await;
    let hidden = &seen.body["items"][0];
    assert_eq!(
        (hidden["hidden"].as_bool(), hidden["body"].clone(), hidden["hidden_reason"].as_str()),
        (Some(true), Value::Null, Some("Off topic."))
    );
    let r = w.app.post(&format!("/api/v1/comments/{c1}/resolve"), Some(&w.sec), json!({})).await;
    assert_eq!((r.body["resolved"].as_bool(), r.body["resolved_by"].as_str()), (Some(true), Some("sec")));
    assert_eq!(w.app.post(&format!("/api/v1/comments/{c1}/resolve"), Some(&w.coop), json!({})).await.status, StatusCode::FORBIDDEN);

    // Counts on the document page: one visible comment on 1.1 (the hidden one is not counted).
    let page = w.app.get("/recommendations/doc", Some(&w.loner)).await;
    assert!(page.text.contains(">1 comment<"), "{}", page.text);
    let page = w.app.get(&format!("/recommendations/doc/p/{}", w.p[0]), Some(&w.loner)).await;
    assert!(page.text.contains("Hidden by sec: Off topic.") && page.text.contains("Not without transport."), "{}", page.text);
    assert!(!page.text.contains("fairs matter most"), "a hidden body is withheld: {}", page.text);
}

/// A long thread travels to its page a page at a time (not in the hydration data either), and
/// `?thread=<its anchor>&cpage=N` turns the pages of one thread, on the document's comments page
/// and on a paragraph page (an amendment's thread).
#[tokio::test]
async fn long_threads_reach_the_page_one_page_at_a_time() {
    let w = world().await;
    w.open().await;
    let a = w.propose(&w.coop, json!({"paragraph_id": w.p[0], "kind": "delete", "rationale": "r", "actor_id": w.coop_id})).await;
    let a = a.body["id"].as_str().unwrap().to_string();
    // Two chains of 105 replies, each answering the last: on the document and on the amendment.
    w.app
        .state
        .db
        .query(
            "LET $doc = (SELECT VALUE id FROM document WHERE slug = 'doc')[0];
             LET $author = (SELECT VALUE id FROM user WHERE email = 'coop@example.org')[0];
             FOR $t IN [['d', 'document', NONE, 'Doc reply '], ['a', 'amendment', $a, 'Amendment reply ']] {
                 FOR $i IN 0..105 {
                     CREATE type::record('comment', $t[0] + <string> $i) CONTENT {
                         document: $doc, target: $t[1], target_id: $t[2], stance: 'neutral', author: $author,
                         body: $t[3] + <string> $i,
                         parent: IF $i > 0 THEN type::record('comment', $t[0] + <string> ($i - 1)) END,
                         created_at: time::now() + <duration> (<string> $i + 'ms'),
                     };
                 };
             };",
        )
        .bind(("a", a.clone()))
        .await
        .unwrap()
        .check()
        .unwrap();

    let page = w.app.get("/recommendations/doc/comments", Some(&w.loner)).await.text;
    assert!(page.contains("Doc reply 0</p>") && page.contains("Doc reply 99</p>"), "{page}");
    assert!(!page.contains("Doc reply 100"), "the second page is not sent with the first");
    assert!(page.contains("Page 1 of 2") && page.contains("General comments (105)"), "{page}");
    assert!(page.contains("?thread=ct-document-&amp;cpage=2#ct-document-"), "a link to the next page");
    let second = w.app.get("/recommendations/doc/comments?thread=ct-document-&cpage=2", Some(&w.loner)).await.text;
    assert!(second.contains("Doc reply 104</p>") && !second.contains("Doc reply 0</p>") && second.contains("Page 2 of 2"));

    let path = format!("/recommendations/doc/p/{}", w.p[0]);
    let page = w.app.get(&path, Some(&w.loner)).await.text;
    assert!(page.contains("Amendment reply 0</p>") && !page.contains("Amendment reply 100"), "{page}");
    assert!(page.contains("Comments on A-1 (105)"), "the count is the whole thread's: {page}");
    let second = w.app.get(&format!("{path}?thread=ct-amendment-{a}&cpage=2"), Some(&w.loner)).await.text;
    assert!(second.contains("Amendment reply 104</p>") && !second.contains("Amendment reply 0</p>"), "{second}");
    // Another thread's anchor leaves this one on its first page.
    let other = w.app.get(&format!("{path}?thread=ct-paragraph-{}&cpage=2", w.p[0]), Some(&w.loner)).await.text;
    assert!(other.contains("Amendment reply 0</p>") && !other.contains("Amendment reply 104"));
}

/// Members read the released version only: the working draft's new title and summary, and
/// comments on a paragraph only the draft has, stay the secretariat's until a release.
#[tokio::test]
async fn members_read_the_released_version_not_the_working_draft() {
    let w = world().await;
    w.open().await;
    let draft = w.app.get("/api/v1/documents/doc", Some(&w.sec)).await.body;
    let mut themes: Vec<Value> = draft["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let paragraphs: Vec<Value> =
                t["paragraphs"].as_array().unwrap().iter().map(|p| json!({"id": p["id"], "text": p["text"]})).collect();
            json!({"id": t["id"], "title": t["title"], "paragraphs": paragraphs})
        })
        .collect();
    themes[1]["paragraphs"].as_array_mut().unwrap().push(json!({"text": "A paragraph only the draft has."}));
    let save = json!({"base_version": draft["version"], "title": "Renamed in the draft", "summary": "A draft summary", "themes": themes});
    let r = w.app.call(Method::PUT, "/api/v1/documents/doc/draft", Some(&w.sec), Some(save)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let new_paragraph = r.body["themes"][1]["paragraphs"][1]["id"].as_str().unwrap().to_string();
    let note = json!({"target": "paragraph", "target_id": new_paragraph, "body": "Check this with the legal team."});
    assert_eq!(w.app.post("/api/v1/documents/doc/comments", Some(&w.sec), note).await.status, StatusCode::CREATED);

    let doc = w.app.get("/api/v1/documents/doc", Some(&w.coop)).await;
    assert_eq!((doc.body["title"].as_str(), doc.body["summary"].as_str()), (Some("Doc"), Some("")), "{}", doc.text);
    assert_eq!(w.app.get("/api/v1/documents", Some(&w.coop)).await.body["items"][0]["title"], "Doc");
    let thread = format!("/api/v1/documents/doc/comments?target=paragraph&target_id={new_paragraph}");
    assert_eq!(w.app.get(&thread, Some(&w.coop)).await.body["total"], 0);
    assert_eq!(w.app.get("/api/v1/documents/doc/comments", Some(&w.coop)).await.body["total"], 0);
    assert_eq!(w.app.get(&thread, Some(&w.sec)).await.body["total"], 1, "the secretariat reads its own notes");
    assert_eq!(w.app.get("/api/v1/documents/doc", Some(&w.sec)).await.body["title"], "Renamed in the draft");

    let r = w.app.post("/api/v1/documents/doc/versions", Some(&w.sec), json!({"label": "First draft"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let doc = w.app.get("/api/v1/documents/doc", Some(&w.coop)).await;
    assert_eq!((doc.body["title"].as_str(), doc.body["summary"].as_str()), (Some("Renamed in the draft"), Some("A draft summary")));
    assert_eq!(w.app.get(&thread, Some(&w.coop)).await.body["total"], 1, "released, the paragraph and its thread are read");

    // Migration 16 fills in the released title and summary of documents released before it.
    let db = &w.app.state.db;
    db.query("UPDATE document SET released_title = NONE, released_summary = NONE").await.unwrap().check().unwrap();
    let (_, _, sql) = server::db::MIGRATIONS.iter().find(|(n, _, _)| *n == 16).unwrap();
    let backfill = &sql[sql.find("FOR $d").expect("the migration's backfill")..];
    db.query(backfill).await.unwrap().check().unwrap();
    let doc = w.app.get("/api/v1/documents/doc", Some(&w.coop)).await;
    assert_eq!((doc.body["title"].as_str(), doc.body["summary"].as_str()), (Some("Renamed in the draft"), Some("A draft summary")));
    let mut kept = db.query("SELECT VALUE released_title FROM document").await.unwrap();
    assert_eq!(kept.take::<Vec<Option<String>>>(0).unwrap(), vec![Some("Renamed in the draft".to_string())]);
}

/// A decided amendment keeps the stances it was decided with, and a final document keeps its
/// amendments as they are.
#[tokio::test]
async fn decided_amendments_keep_their_stances_and_final_documents_their_amendments() {
    let w = world().await;
    w.open().await;
    let delete = |p: &str| json!({"paragraph_id": p, "kind": "delete", "rationale": "Not needed.", "actor_id": w.coop_id});
    let a = w.propose(&w.coop, delete(&w.p[0])).await.body["id"].as_str().unwrap().to_string();
    let body = json!({"actor_id": w.shop_id, "stance": "oppose"});
    assert_eq!(w.app.post(&format!("/api/v1/amendments/{a}/stances"), Some(&w.shop), body).await.status, StatusCode::OK);
    assert_eq!(w.decide(&a, json!({"decision": "reject", "reason": "Out of scope."})).await.status, StatusCode::OK);
    let r = w.app.call(Method::DELETE, &format!("/api/v1/amendments/{a}/stances/{}", w.shop_id), Some(&w.shop), None).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = w.app.get(&format!("/api/v1/amendments/{a}"), Some(&w.shop)).await;
    assert_eq!(r.body["stances"].as_array().map(Vec::len), Some(1), "the record keeps it: {}", r.text);

    let b = w.propose(&w.coop, delete(&w.p[1])).await.body["id"].as_str().unwrap().to_string();
    let r = w.app.call(Method::PATCH, "/api/v1/documents/doc", Some(&w.sec), Some(json!({"status": "final"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = w.app.post(&format!("/api/v1/amendments/{b}/withdraw"), Some(&w.coop), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(w.app.get(&format!("/api/v1/amendments/{b}"), Some(&w.coop)).await.body["status"], "proposed");
}
