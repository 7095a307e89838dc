//! Server-rendered recommendation pages: what each role sees, Markdown made safe, diffs.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;
use shared::Role;

#[tokio::test]
async fn documents_render_with_numbers_brackets_and_safe_markdown() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;

    let r = app.get("/recommendations", Some(&sec)).await;
    assert!(r.text.contains("New document") && r.text.contains("No documents yet"), "{}", r.text);
    let r = app.get("/recommendations", Some(&member)).await;
    assert!(!r.text.contains("New document") && r.text.contains("No recommendations have been released yet"));

    let r = app
        .post(
            "/api/v1/documents",
            Some(&sec),
            json!({"title": "Carta de Pelotas", "themes": [{"title": "ATER", "paragraphs": [
                {"text": "**Train** extension agents [by 2030]."},
                {"text": "<script>alert('x')</script><img src=x onerror=alert(1)>Fund OPACs."}
            ]}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let page = app.get("/recommendations/carta-de-pelotas", Some(&sec)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("<strong>Train</strong>"), "{}", page.text);
    assert!(page.text.contains("<span class=\"bracket\">[by 2030]</span>"));
    assert!(!page.text.contains("<script>alert") && !page.text.contains("onerror"), "Markdown is sanitised: {}", page.text);
    assert!(page.text.contains(">1.2<"), "numbered");
    assert!(page.text.contains("Release version") && page.text.contains("Working draft"));

    let r = app.get("/recommendations/carta-de-pelotas", Some(&member)).await;
    assert!(r.text.contains("There is no such document"), "members do not see unreleased drafts");

    app.post("/api/v1/documents/carta-de-pelotas/versions", Some(&sec), json!({"label": "Zero draft"})).await;
    let r = app.get("/recommendations/carta-de-pelotas", Some(&member)).await;
    assert!(r.text.contains("Version 1 — Zero draft"), "{}", r.text);
    assert!(r.text.contains("<strong>Train</strong>"));
    assert!(!r.text.contains("Release version"), "no secretariat tools for members");
    let r = app.get("/recommendations", Some(&member)).await;
    assert!(r.text.contains("href=\"/recommendations/carta-de-pelotas\""));
}

#[tokio::test]
async fn the_compare_page_marks_words() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app
        .post(
            "/api/v1/documents",
            Some(&sec),
            json!({"title": "Doc", "themes": [{"title": "T", "paragraphs": [{"text": "Promote organic fairs."}]}]}),
        )
        .await;
    let (tid, pid) = (r.body["themes"][0]["id"].clone(), r.body["themes"][0]["paragraphs"][0]["id"].clone());
    app.post("/api/v1/documents/doc/versions", Some(&sec), json!({"label": "Zero draft"})).await;
    let r = app
        .call(
            Method::PUT,
            "/api/v1/documents/doc/draft",
            Some(&sec),
            Some(json!({"base_version": 1, "themes": [{"id": tid, "title": "T", "paragraphs": [{"id": pid, "text": "Promote agroecological fairs."}]}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    let r = app.get("/recommendations/doc/compare", Some(&sec)).await;
    assert!(r.text.contains("Changes from version 1 to the working draft"), "{}", r.text);
    assert!(r.text.contains("<del>organic") && r.text.contains("<ins>agroecological"), "{}", r.text);
    assert!(r.text.contains("1 modified"));

    app.post("/api/v1/documents/doc/versions", Some(&sec), json!({"label": "Rev.1"})).await;
    let r = app.get("/recommendations/doc/compare?view=side", Some(&member)).await;
    assert!(r.text.contains("Changes from version 1 to version 2"), "{}", r.text);
    assert!(r.text.contains("Before") && r.text.contains("After"));
    assert!(!r.text.contains("Working draft"), "members cannot pick the draft");
}
