//! Server-rendered recommendation pages: what each role sees, Markdown made safe, diffs.

use crate::common;

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
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

/// The form action of the server function `name`, as the page renders it.
fn action_of(html: &str, name: &str) -> String {
    let start = html.find(&format!("action=\"{}{name}", app::SERVER_FN_PREFIX)).unwrap_or_else(|| panic!("no form posts to {name}"))
        + "action=\"".len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

/// Posts a form as a browser without JavaScript would.
async fn post_form(app: &TestApp, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> common::Reply {
    let body: String = fields.iter().map(|(k, v)| format!("{}={}", k, url_escape(v))).collect::<Vec<_>>().join("&");
    let req = axum::http::Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html,application/xhtml+xml")
        .header("cookie", cookie)
        .header("host", "localhost")
        .header("referer", "http://localhost/recommendations/doc/edit")
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(req).await
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_editor_changes_the_draft_one_form_at_a_time_and_refuses_stale_pages() {
    let app = TestApp::new().await;
    let sec = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app
        .post(
            "/api/v1/documents",
            Some(&sec),
            json!({"title": "Doc", "themes": [
                {"title": "T", "paragraphs": [{"text": "First."}, {"text": "Second."}]},
                {"title": "U", "paragraphs": []}
            ]}),
        )
        .await;
    let t0 = r.body["themes"][0]["id"].as_str().unwrap().to_string();
    let t1 = r.body["themes"][1]["id"].as_str().unwrap().to_string();
    let p1 = r.body["themes"][0]["paragraphs"][0]["id"].as_str().unwrap().to_string();
    let p2 = r.body["themes"][0]["paragraphs"][1]["id"].as_str().unwrap().to_string();

    let page = app.get("/recommendations/doc/edit", Some(&sec)).await;
    assert!(page.text.contains("Edit the working draft") && page.text.contains(">First.</textarea>"), "{}", page.text);
    assert!(page.text.contains("Move 1.2 up") && page.text.contains("Add to theme 2"));
    let r = app.get("/recommendations/doc/edit", Some(&member)).await;
    assert!(!r.text.contains("<textarea") && r.text.contains("You may not see this page"), "{}", r.text);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(app.get("/recommendations/doc", Some(&sec)).await.text.contains("href=\"/recommendations/doc/edit\""));

    let action = action_of(&page.text, "edit_draft");
    macro_rules! head {
        () => {
            app.get("/api/v1/documents/doc", Some(&sec)).await.body
        };
    }

    // Save a paragraph's text: the browser is sent back to it.
    let r = post_form(
        &app,
        &action,
        &sec,
        &[("slug", "doc"), ("base_version", "1"), ("op", "save"), ("paragraph_id", &p1), ("text", "First, *reworded*.")],
    )
    .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.text);
    assert_eq!(r.headers["location"], format!("/recommendations/doc/edit#e-{p1}"));
    let h = head!();
    assert_eq!((h["version"].as_u64(), h["themes"][0]["paragraphs"][0]["text"].as_str()), (Some(2), Some("First, *reworded*.")));
    let flash = r.headers["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    assert!(flash.starts_with("mutirao_flash="), "{flash}");
    let page = app.get("/recommendations/doc/edit", Some(&format!("{sec}; {flash}"))).await;
    assert!(page.text.contains("Paragraph saved."), "the flash shows: {}", page.text);

    // A form from the page before that save is stale: refused, the draft unchanged.
    let r =
        post_form(&app, &action, &sec, &[("slug", "doc"), ("base_version", "1"), ("op", "save"), ("paragraph_id", &p1), ("text", "Lost?")])
            .await;
    assert!(!r.headers.get("location").is_some_and(|l| l.to_str().unwrap().contains("#e-")), "not a success: {:?}", r.headers);
    assert_eq!(head!()["themes"][0]["paragraphs"][0]["text"], "First, *reworded*.");
    // Called as the app calls it (not a plain form post): the error's own status, not a 500.
    let req = axum::http::Request::post(&action)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &sec)
        .body(axum::body::Body::from(format!("slug=doc&base_version=1&op=save&paragraph_id={p1}&text=Lost")))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("Someone saved this draft"), "{}", r.text);

    // Move the second paragraph up, then down into the next theme; rename; append; delete.
    let steps: [(&str, &str, &str, &str); 5] = [
        ("up", "paragraph_id", &p2, ""),
        ("down", "paragraph_id", &p1, ""),
        ("rename", "theme_id", &t1, "Finance"),
        ("append", "theme_id", &t0, "Third."),
        ("delete", "paragraph_id", &p2, ""),
    ];
    for (n, (op, key, id, text)) in steps.into_iter().enumerate() {
        let base = (n + 2).to_string();
        let r = post_form(&app, &action, &sec, &[("slug", "doc"), ("base_version", &base), ("op", op), (key, id), ("text", text)]).await;
        assert!(
            r.status.is_redirection() && r.headers["location"].to_str().unwrap().starts_with("/recommendations/doc/edit"),
            "{op}: {}",
            r.text
        );
    }
    let h = head!();
    let texts = |t: usize| {
        h["themes"][t]["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(texts(0), vec!["Third."], "{h}");
    assert_eq!(texts(1), vec!["First, *reworded*."]);
    assert_eq!(h["themes"][1]["paragraphs"][0]["id"], p1.as_str(), "the moved paragraph keeps its identity");
    assert_eq!(h["themes"][1]["title"], "Finance");
    assert_eq!(h["version"], 7);

    // A page behind on other paragraphs still saves a paragraph nobody else changed.
    let r = post_form(
        &app,
        &action,
        &sec,
        &[
            ("slug", "doc"),
            ("base_version", "2"),
            ("op", "save"),
            ("paragraph_id", &p1),
            ("base_text", "First, *reworded*."),
            ("text", "First, again."),
        ],
    )
    .await;
    assert!(r.status.is_redirection() && r.headers["location"].to_str().unwrap().contains("#e-"), "{} {}", r.status, r.text);
    assert_eq!((head!()["version"].as_u64(), head!()["themes"][1]["paragraphs"][0]["text"].as_str()), (Some(8), Some("First, again.")));
    // But not one someone else changed: 409.
    let r = post_form(
        &app,
        &action,
        &sec,
        &[
            ("slug", "doc"),
            ("base_version", "2"),
            ("op", "save"),
            ("paragraph_id", &p1),
            ("base_text", "First, *reworded*."),
            ("text", "Overwrite?"),
        ],
    )
    .await;
    assert!(!r.headers.get("location").is_some_and(|l| l.to_str().unwrap().contains("#e-")), "refused");
    assert_eq!(head!()["themes"][1]["paragraphs"][0]["text"], "First, again.");

    // Members cannot use the editor's server function either.
    let r = post_form(&app, &action, &member, &[("slug", "doc"), ("base_version", "8"), ("op", "delete"), ("paragraph_id", &p1)]).await;
    assert!(
        !r.status.is_success() || !r.headers.contains_key("location") || !r.headers["location"].to_str().unwrap().contains("/edit"),
        "{}",
        r.status
    );
    assert_eq!(head!()["version"], 8, "nothing changed");
}
