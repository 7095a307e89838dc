//! HTTP tests of recommendation documents: the working draft, versions, comparisons.

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use shared::Role;

struct Doc {
    id: String,
    version: u64,
    body: Value,
}

async fn create(app: &TestApp, cookie: &str) -> Doc {
    let r = app
        .post(
            "/api/v1/documents",
            Some(cookie),
            json!({
                "title": "Recomendações para a transição orgânica",
                "summary": "What the network asks of governments.",
                "themes": [
                    {"title": "ATER", "paragraphs": [{"text": "Train extension agents in organic conversion."}, {"text": "Fund OPACs."}]},
                    {"title": "Markets", "paragraphs": [{"text": "Buy organic food for school meals."}]}
                ]
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    Doc { id: r.body["id"].as_str().unwrap().to_string(), version: r.body["version"].as_u64().unwrap(), body: r.body }
}

/// The draft's themes as sent in a save, with ids, from a document view.
fn themes_of(doc: &Value) -> Value {
    json!(doc["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| json!({
            "id": t["id"],
            "title": t["title"],
            "paragraphs": t["paragraphs"].as_array().unwrap().iter().map(|p| json!({"id": p["id"], "text": p["text"]})).collect::<Vec<_>>()
        }))
        .collect::<Vec<_>>())
}

#[tokio::test]
async fn the_secretariat_creates_documents_with_numbered_paragraphs() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let doc = create(&app, &sec).await;
    assert_eq!(doc.version, 1);
    assert_eq!(doc.body["slug"], "recomendacoes-para-a-transicao-organica");
    assert_eq!(doc.body["status"], "drafting");
    assert_eq!(doc.body["themes"][0]["paragraphs"][1]["number"], "1.2");
    assert_eq!(doc.body["themes"][1]["paragraphs"][0]["number"], "2.1");
    assert_eq!(doc.body["themes"][0]["paragraphs"][0]["status"], "open");

    // By slug too.
    let r = app.get("/api/v1/documents/recomendacoes-para-a-transicao-organica", Some(&sec)).await;
    assert_eq!(r.body["id"], doc.id.as_str());

    // Without themes, the programme's three, empty.
    let r = app.post("/api/v1/documents", Some(&sec), json!({"title": "Second"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let titles: Vec<&str> = r.body["themes"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(titles, shared::drafting::DEFAULT_THEMES.to_vec());

    // The same slug twice is a conflict.
    let r = app.post("/api/v1/documents", Some(&sec), json!({"title": "Second"})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "conflict"));
}

#[tokio::test]
async fn bad_documents_are_refused_naming_the_field() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let cases = [
        (json!({"title": "  "}), "title"),
        (json!({"title": "T", "slug": "Not A Slug"}), "slug"),
        (json!({"title": "T", "themes": []}), "themes"),
        (json!({"title": "T", "themes": [{"title": "A", "paragraphs": [{"text": "  "}]}]}), "themes[0].paragraphs[0].text"),
        (json!({"title": "T", "themes": [{"title": "A", "paragraphs": [{"text": "x".repeat(20_001)}]}]}), "themes[0].paragraphs[0].text"),
        (json!({"title": "T", "themes": [{"title": "", "paragraphs": []}]}), "themes[0].title"),
        (json!({"themes": []}), "body"),
    ];
    for (body, field) in cases {
        let r = app.post("/api/v1/documents", Some(&sec), body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.error_field(), Some(field), "{body}");
    }
    let r = app.get("/api/v1/documents", Some(&sec)).await;
    assert_eq!(r.body["total"], 0, "nothing was written");
}

#[tokio::test]
async fn members_read_released_versions_only_and_cannot_draft() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let organizer = app.as_role("o@example.org", &[Role::Organizer]).await;
    let doc = create(&app, &sec).await;
    let path = format!("/api/v1/documents/{}", doc.id);

    for who in [&member, &organizer] {
        assert_eq!(app.post("/api/v1/documents", Some(who), json!({"title": "Mine"})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&path, Some(who)).await.status, StatusCode::NOT_FOUND, "an unreleased draft is the secretariat's");
        assert_eq!(app.get("/api/v1/documents", Some(who)).await.body["total"], 0);
        let save = json!({"base_version": 1, "themes": themes_of(&doc.body)});
        assert_eq!(app.call(Method::PUT, &format!("{path}/draft"), Some(who), Some(save)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&format!("{path}/versions"), Some(who), json!({"label": "Zero draft"})).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.get(&path, None).await.status, StatusCode::UNAUTHORIZED);

    let r = app.post(&format!("{path}/versions"), Some(&sec), json!({"label": "Zero draft"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["released_by"], "sec");

    let r = app.get(&path, Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.body["version"].as_u64(), r.body["is_draft"].as_bool()), (Some(1), Some(false)));
    assert_eq!(r.body["themes"][0]["paragraphs"][0]["text"], "Train extension agents in organic conversion.");
    assert_eq!(app.get("/api/v1/documents", Some(&member)).await.body["total"], 1);
    let r = app.get(&format!("{path}/diff?from=1"), Some(&member)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the working draft is the secretariat's");
}

#[tokio::test]
async fn a_stale_save_is_refused_and_loses_nothing() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let other = app.as_role("sec2@example.org", &[Role::Secretariat]).await;
    let doc = create(&app, &sec).await;
    let path = format!("/api/v1/documents/{}/draft", doc.id);

    let mut themes = themes_of(&doc.body);
    themes[0]["paragraphs"][0]["text"] = json!("Train extension agents in agroecology.");
    let r = app.call(Method::PUT, &path, Some(&other), Some(json!({"base_version": 1, "themes": themes}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["version"], 2);

    let mut mine = themes_of(&doc.body);
    mine[1]["paragraphs"][0]["text"] = json!("Buy organic food.");
    let r = app.call(Method::PUT, &path, Some(&sec), Some(json!({"base_version": 1, "themes": mine.clone()}))).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "conflict"));
    assert!(r.body["error"]["message"].as_str().unwrap().contains("draft version 2"), "{}", r.text);

    let head = app.get(&format!("/api/v1/documents/{}", doc.id), Some(&sec)).await;
    assert_eq!(head.body["themes"][0]["paragraphs"][0]["text"], "Train extension agents in agroecology.", "the first save stands");
    assert_eq!(head.body["themes"][1]["paragraphs"][0]["text"], "Buy organic food for school meals.");

    // Two saves from the same base at once: one wins, one is told.
    let a = json!({"base_version": 2, "themes": mine.clone()});
    let b = json!({"base_version": 2, "themes": themes_of(&head.body)});
    let (ra, rb) = tokio::join!(app.call(Method::PUT, &path, Some(&sec), Some(a)), app.call(Method::PUT, &path, Some(&other), Some(b)));
    let mut statuses = vec![ra.status, rb.status];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT], "{} / {}", ra.text, rb.text);
    let head = app.get(&format!("/api/v1/documents/{}", doc.id), Some(&sec)).await;
    assert_eq!(head.body["version"], 3);
}

#[tokio::test]
async fn saves_keep_paragraph_identity_and_refuse_unknown_ids() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let doc = create(&app, &sec).await;
    let path = format!("/api/v1/documents/{}/draft", doc.id);
    let p1 = doc.body["themes"][0]["paragraphs"][0]["id"].as_str().unwrap().to_string();
    let p2 = doc.body["themes"][0]["paragraphs"][1]["id"].as_str().unwrap().to_string();

    let mut themes = themes_of(&doc.body);
    themes[0]["paragraphs"] = json!([{"id": p2, "text": "Fund OPACs."}, {"text": "<script>alert(1)</script> Support fairs."}, {"id": p1, "text": "Train agents."}]);
    let r = app.call(Method::PUT, &path, Some(&sec), Some(json!({"base_version": 1, "themes": themes.clone()}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let ps = r.body["themes"][0]["paragraphs"].as_array().unwrap();
    assert_eq!((ps[0]["id"].as_str(), ps[0]["number"].as_str()), (Some(p2.as_str()), Some("1.1")), "moved, renumbered, same id");
    assert_eq!((ps[2]["id"].as_str(), ps[2]["number"].as_str()), (Some(p1.as_str()), Some("1.3")));
    assert!(ps[1]["id"].as_str().is_some_and(|id| id != p1 && id != p2), "a new paragraph gets a new id");

    themes[0]["paragraphs"][0]["id"] = json!("nosuchparagraph");
    let r = app.call(Method::PUT, &path, Some(&sec), Some(json!({"base_version": 2, "themes": themes}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.error_field(), Some("themes[0].paragraphs[0].id"));

    let r = app.call(Method::PUT, "/api/v1/documents/nosuchdoc/draft", Some(&sec), Some(json!({"base_version": 1, "themes": []}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn versions_are_immutable_snapshots_and_compare_word_by_word() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let doc = create(&app, &sec).await;
    let base = format!("/api/v1/documents/{}", doc.id);
    assert_eq!(app.post(&format!("{base}/versions"), Some(&sec), json!({"label": "Zero draft"})).await.status, StatusCode::CREATED);

    let mut themes = themes_of(&doc.body);
    themes[0]["paragraphs"][0]["text"] = json!("Train extension agents in agroecology and organic conversion.");
    let deleted = themes[0]["paragraphs"][1]["id"].clone();
    themes[0]["paragraphs"].as_array_mut().unwrap().remove(1);
    themes[1]["paragraphs"].as_array_mut().unwrap().push(json!({"text": "Open municipal organic fairs."}));
    let r = app.call(Method::PUT, &format!("{base}/draft"), Some(&sec), Some(json!({"base_version": 1, "themes": themes}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app.post(&format!("{base}/versions"), Some(&sec), json!({"label": "Rev.1"})).await;
    assert_eq!(r.body["version"], 2);

    let v1 = app.get(&format!("{base}/versions/1"), Some(&member)).await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.text);
    assert_eq!(v1.body["label"], "Zero draft");
    assert_eq!(v1.body["themes"][0]["paragraphs"][0]["text"], "Train extension agents in organic conversion.", "frozen");
    let list = app.get(&format!("{base}/versions"), Some(&member)).await;
    let labels: Vec<&str> = list.body.as_array().unwrap().iter().map(|v| v["label"].as_str().unwrap()).collect();
    assert_eq!(labels, vec!["Zero draft", "Rev.1"]);
    assert_eq!(app.get(&format!("{base}/versions/9"), Some(&member)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{base}/versions/x"), Some(&member)).await.status, StatusCode::NOT_FOUND);

    let d = app.get(&format!("{base}/diff?from=1&to=2"), Some(&member)).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let changes: Vec<(&str, &str)> = d.body["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["change"].as_str().unwrap(), p["new_number"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(changes, vec![("modified", "1.1"), ("deleted", "-"), ("unchanged", "2.1"), ("inserted", "2.2")]);
    assert_eq!(d.body["paragraphs"][1]["id"], deleted);
    let ops = &d.body["paragraphs"][0]["ops"];
    assert_eq!(ops[0], json!({"op": "equal", "text": "Train extension agents in "}));
    assert_eq!(ops[1], json!({"op": "insert", "text": "agroecology and "}));
    assert_eq!(d.body["stats"]["modified"], 1);
    assert_eq!(d.body["stats"]["inserted_words"], 2 + 4);

    let same = app.get(&format!("{base}/diff?from=2"), Some(&sec)).await;
    assert!(same.body["paragraphs"].as_array().unwrap().iter().all(|p| p["change"] == "unchanged"), "the draft is Rev.1");
    assert_eq!(app.get(&format!("{base}/diff?from=1&to=7"), Some(&sec)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{base}/diff?from=abc"), Some(&sec)).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.post(&format!("{base}/versions"), Some(&sec), json!({"label": " "})).await.error_field(), Some("label"));
}

#[tokio::test]
async fn simultaneous_releases_never_share_a_number() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let doc = create(&app, &sec).await;
    let path = format!("/api/v1/documents/{}/versions", doc.id);
    let (a, b) = tokio::join!(app.post(&path, Some(&sec), json!({"label": "A"})), app.post(&path, Some(&sec), json!({"label": "B"})));
    for r in [&a, &b] {
        assert!(r.status == StatusCode::CREATED || r.status == StatusCode::CONFLICT, "{}", r.text);
    }
    let list = app.get(&path, Some(&sec)).await;
    let numbers: Vec<u64> = list.body.as_array().unwrap().iter().map(|v| v["number"].as_u64().unwrap()).collect();
    let created = [&a, &b].iter().filter(|r| r.status == StatusCode::CREATED).count();
    assert_eq!(numbers, (1..=created as u64).collect::<Vec<_>>());
}

#[tokio::test]
async fn statuses_of_documents_and_paragraphs() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let doc = create(&app, &sec).await;
    let base = format!("/api/v1/documents/{}", doc.id);
    let pid = doc.body["themes"][0]["paragraphs"][1]["id"].as_str().unwrap().to_string();

    let r = app.call(Method::PATCH, &base, Some(&sec), Some(json!({"status": "open_for_comments"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing released yet: {}", r.text);
    app.post(&format!("{base}/versions"), Some(&sec), json!({"label": "Zero draft"})).await;
    let r = app
        .call(Method::PATCH, &base, Some(&sec), Some(json!({"status": "open_for_comments", "comment_deadline": "2026-12-01T18:00:00Z"})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["comment_deadline"].as_str()), (Some("open_for_comments"), Some("2026-12-01T18:00:00Z")));
    let r = app.call(Method::PATCH, &base, Some(&sec), Some(json!({"status": "negotiation", "comment_deadline": "next week"}))).await;
    assert_eq!(r.error_field(), Some("comment_deadline"));
    let r = app.call(Method::PATCH, &base, Some(&sec), Some(json!({"status": "published"}))).await;
    assert_eq!(r.error_field(), Some("status"));
    let r = app.call(Method::PATCH, &base, Some(&sec), Some(json!({"status": "closed"}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.call(Method::PATCH, &base, Some(&member), Some(json!({"status": "negotiation"}))).await.status, StatusCode::FORBIDDEN);

    let ppath = format!("{base}/paragraphs/{pid}");
    assert_eq!(app.call(Method::PATCH, &ppath, Some(&member), Some(json!({"status": "agreed"}))).await.status, StatusCode::FORBIDDEN);
    let r = app.call(Method::PATCH, &ppath, Some(&sec), Some(json!({"status": "bracketed"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["themes"][0]["paragraphs"][1]["status"], "bracketed");
    assert_eq!(r.body["version"], 2, "a status change is a save of the draft");
    let r = app.call(Method::PATCH, &format!("{base}/paragraphs/nope"), Some(&sec), Some(json!({"status": "agreed"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Final documents are frozen.
    app.call(Method::PATCH, &base, Some(&sec), Some(json!({"status": "final"}))).await;
    let r =
        app.call(Method::PUT, &format!("{base}/draft"), Some(&sec), Some(json!({"base_version": 2, "themes": themes_of(&doc.body)}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
