//! HTTP tests of the actor directory.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;
use shared::Role;

#[tokio::test]
async fn search_ignores_case_and_accents_and_pages() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    for (name, kind) in
        [("Cooperativa São José", "cooperative"), ("Prefeitura de São Lourenço do Sul", "municipality"), ("Emporio Verde", "retailer")]
    {
        let r = app.post("/api/v1/actors", Some(&organizer), json!({"name": name, "kind": kind})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["name"], name);
        assert!(r.body["id"].is_string());
    }
    let member = app.as_role("m@example.org", &[Role::Member]).await;

    let r = app.get("/api/v1/actors?q=SAO", Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 2);
    let names: Vec<_> = r.body["items"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Cooperativa São José", "Prefeitura de São Lourenço do Sul"]);

    let r = app.get("/api/v1/actors?q=emp%C3%B3rio", Some(&member)).await;
    assert_eq!(r.body["total"], 1, "an accent in the query matches too");

    let r = app.get("/api/v1/actors?per_page=2&page=2", Some(&member)).await;
    assert_eq!(r.body["total"], 3);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["items"][0]["name"], "Prefeitura de São Lourenço do Sul");

    assert_eq!(app.get("/api/v1/actors?q=nothing", Some(&member)).await.body["items"], json!([]));
    assert_eq!(app.get("/api/v1/actors", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_organisers_secretariat_and_admins_add_actors() {
    let app = TestApp::new().await;
    let body = json!({"name": "Banco do Desenvolvimento", "kind": "financial_institution"});
    assert_eq!(app.post("/api/v1/actors", None, body.clone()).await.status, StatusCode::UNAUTHORIZED);
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app.post("/api/v1/actors", Some(&member), body.clone()).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::FORBIDDEN, "forbidden"));
    for (i, role) in [Role::Organizer, Role::Secretariat, Role::Admin].into_iter().enumerate() {
        let cookie = app.as_role(&format!("u{i}@example.org"), &[role]).await;
        let r = app.post("/api/v1/actors", Some(&cookie), json!({"name": format!("Actor {i}"), "kind": "ngo"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{role:?}");
    }
}

#[tokio::test]
async fn bad_actors_are_refused() {
    let app = TestApp::new().await;
    let admin = app.as_role("a@example.org", &[Role::Admin]).await;
    let r = app.post("/api/v1/actors", Some(&admin), json!({"name": "X", "kind": "bank"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("kind")));
    let r = app.post("/api/v1/actors", Some(&admin), json!({"name": " ", "kind": "ngo"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("name")));
    let r = app.post("/api/v1/actors", Some(&admin), json!({"name": "Rede Ecovida", "kind": "participatory_guarantee_body"})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = app.post("/api/v1/actors", Some(&admin), json!({"name": "rede  ecovida", "kind": "ngo"})).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "conflict"));
}
