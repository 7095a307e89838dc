//! Server-rendered pages: readable without JavaScript, and refusing what a role may not see.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use shared::{ports::AccountsPort, Role};

#[tokio::test]
async fn pages_render_on_the_server() {
    let app = TestApp::new().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("<nav"), "{}", r.text);
    assert!(r.text.contains("Log in"));
    for link in ["/network", "/workshops", "/recommendations"] {
        assert!(r.text.contains(&format!("href=\"{link}\"")), "nav links to {link}");
    }

    let r = app.get("/login", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("name=\"email\"") && r.text.contains("name=\"password\""));
    assert!(r.text.contains("method=\"post\""), "the login form posts without JavaScript");

    assert_eq!(app.get("/no/such/page", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_greets_the_logged_in_user() {
    let app = TestApp::new().await;
    let cookie = app.as_role("ana@example.org", &[Role::Secretariat]).await;
    let r = app.get("/", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Welcome, ana"), "{}", r.text);
    assert!(r.text.contains("Secretariat"));
    assert!(r.text.contains("Log out"));
    assert!(!r.text.contains("href=\"/admin\""), "no Admin link for the secretariat");
}

#[tokio::test]
async fn admin_pages_are_refused_to_other_roles() {
    let app = TestApp::new().await;
    for name in ["Cooperativa Sabiá", "Ônibus Orgânicos", "Armazém Zona Sul"] {
        app.state
            .network
            .insert_actor(shared::network::NewActor { name: name.into(), kind: "cooperative".into(), ..Default::default() })
            .await
            .unwrap();
    }
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let admin = app.as_role("a@example.org", &[Role::Admin]).await;

    let r = app.get("/admin", Some(&member)).await;
    assert!(r.text.contains("You may not see this page"), "{}", r.text);
    assert_eq!(r.status, axum::http::StatusCode::FORBIDDEN, "a refused page says so in its status");
    assert!(!r.text.contains("m@example.org</td>"), "no user data leaks");

    let r = app.get("/admin", None).await;
    assert!(r.text.contains("Please log in"));

    let r = app.get("/admin", Some(&admin)).await;
    assert!(r.text.contains("m@example.org"), "{}", r.text);
    assert!(r.text.contains("New user"));
    assert!(r.text.contains("href=\"/admin\""), "the Admin link shows for admins");
    let options: Vec<usize> = ["Armazém Zona Sul", "Cooperativa Sabiá", "Ônibus Orgânicos"]
        .iter()
        .map(|n| r.text.find(&format!(">{n}<")).unwrap_or_else(|| panic!("{n} offered as a membership")))
        .collect();
    assert!(options.windows(2).all(|w| w[0] < w[1]), "organisations in alphabetical order, accents ignored");

    let secret = member.split_once('=').unwrap().1;
    let caller = app.state.accounts.authenticate(secret).await.unwrap().expect("a member session");
    let refused = app.state.accounts.membership_choices(&caller).await.unwrap_err();
    assert_eq!(refused.status(), 403, "only admins choose memberships");
}

#[tokio::test]
async fn the_directory_lists_actors_and_offers_the_form_by_role() {
    let app = TestApp::new().await;
    app.state
        .network
        .insert_actor(shared::network::NewActor { name: "Cooperativa Sabiá".into(), kind: "cooperative".into(), ..Default::default() })
        .await
        .unwrap();
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let organizer = app.as_role("o@example.org", &[Role::Organizer]).await;
    let r = app.get("/network?q=sabia", Some(&member)).await;
    assert!(r.text.contains("Cooperativa Sabiá"), "{}", r.text);
    assert!(!r.text.contains("Add an organisation"));
    let r = app.get("/network", Some(&organizer)).await;
    assert!(r.text.contains("Add an organisation"));
    let r = app.get("/network?q=zzz", Some(&member)).await;
    assert!(r.text.contains("No organisation matches"));
}
