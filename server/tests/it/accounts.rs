//! HTTP tests of the accounts endpoints: sessions, `me`, tokens, users — allowed and refused.

use crate::common::{TestApp, PASSWORD};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use serde_json::json;
use shared::Role;
use tower::ServiceExt;

#[tokio::test]
async fn health_and_openapi() {
    let app = TestApp::new().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");

    let r = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    for path in
        ["/api/v1/session", "/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{id}", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/actors"]
    {
        assert!(r.body["paths"][path].is_object(), "{path} is documented");
    }
    assert!(r.body["components"]["schemas"]["UserView"].is_object());
    // Closed vocabularies are documented as they are spelled on the wire (schemathesis checks
    // every answer against these).
    let statuses = &r.body["components"]["schemas"]["DocumentStatus"]["enum"];
    assert_eq!(statuses[0], "drafting", "{statuses}");
    assert_eq!(r.body["components"]["schemas"]["AuditAction"]["enum"][0], "user.created");
    // Every operation documents the errors every route can give.
    let withdraw = &r.body["paths"]["/api/v1/amendments/{id}/withdraw"]["post"]["responses"];
    for code in ["400", "401", "403", "413", "422"] {
        assert!(withdraw[code].is_object(), "{code} documented: {withdraw}");
    }
    let compilation = &r.body["paths"]["/api/v1/documents/{id}/compilation"]["get"]["responses"]["200"]["content"];
    assert!(compilation["application/json"].is_object() && compilation["text/markdown"].is_object(), "{compilation}");

    let r = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_code(), "not_found");
}

/// The router and the OpenAPI document come from one registration per endpoint: every documented
/// operation is routed (it answers, anonymously, something other than "no such endpoint" or 405),
/// and the document has all 65 of them.
#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        // A concrete URI: each `{param}` replaced by a value no record has.
        let uri = path.split('/').map(|s| if s.starts_with('{') { "no-such-id" } else { s }).collect::<Vec<_>>().join("/");
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            if !item[method.as_str().to_lowercase()].is_object() {
                continue;
            }
            operations += 1;
            let r = app.call(method.clone(), &uri, None, None).await;
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
            assert_ne!(r.body["error"]["message"], "There is no such API endpoint.", "{method} {uri} is documented, not routed");
        }
    }
    assert_eq!(operations, 71, "every operation is documented");
}

#[tokio::test]
async fn login_sets_an_httponly_expiring_cookie_and_me_lists_actors() {
    let app = TestApp::new().await;
    let coop = app
        .state
        .network
        .insert_actor(shared::network::NewActor { name: "Cooperativa São João".into(), kind: "cooperative".into(), ..Default::default() })
        .await
        .unwrap();
    app.user("ana@example.org", &[Role::Member], vec![coop.id.clone()]).await;

    let r = app.post("/api/v1/session", None, json!({"email": "ANA@example.org ", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["user"]["email"], "ana@example.org");
    assert_eq!(r.body["user"]["roles"], json!(["member"]));
    assert!(r.body["user"]["id"].is_string());
    assert!(r.body["user"].get("password_hash").is_none());
    let set = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    for flag in ["mutirao_session=", "HttpOnly", "SameSite=Lax", "Max-Age=", "Path=/"] {
        assert!(set.contains(flag), "{flag} in {set}");
    }
    let cookie = set.split(';').next().unwrap();

    let r = app.get("/api/v1/me", Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["actors"], json!([{"id": coop.id, "name": "Cooperativa São João"}]));
}

#[tokio::test]
async fn bad_credentials_and_bad_bodies() {
    let app = TestApp::new().await;
    app.user("ana@example.org", &[Role::Member], vec![]).await;

    let r = app.post("/api/v1/session", None, json!({"email": "ana@example.org", "password": "wrong password!"})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthorized");
    assert!(r.headers.get(header::SET_COOKIE).is_none());

    let unknown = app.post("/api/v1/session", None, json!({"email": "nobody@example.org", "password": "wrong password!"})).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.body, r.body, "an unknown email is answered like a wrong password");

    let r = app.post("/api/v1/session", None, json!({"email": "ana@example.org"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error_code(), "validation");
    assert_eq!(r.error_field(), Some("body"));

    let r = app.post("/api/v1/session", None, json!({"email": "", "password": "x"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("email")));

    let r = app.get("/api/v1/me", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthorized");

    let r = app.get("/api/v1/me", Some("mutirao_session=forged")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// An account is slowed down, not locked: after five failures in a row its next attempt waits
/// (even with the right password), then the right password works. Every process sees the same
/// count, and other accounts are not slowed.
#[tokio::test]
async fn failed_logins_slow_an_account_down_in_every_process() {
    let app = TestApp::new().await;
    app.user("ana@example.org", &[Role::Member], vec![]).await;
    app.user("bia@example.org", &[Role::Member], vec![]).await;
    let login = |email: &str, password: &str| app.post("/api/v1/session", None, json!({"email": email, "password": password}));
    let mut statuses = vec![];
    for _ in 0..6 {
        statuses.push(login("ana@example.org", "wrong password!").await.status);
    }
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    let r = login("ANA@example.org", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(r.error_code(), "too_many_requests");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("Wait 1 second"), "{}", r.text);
    assert_eq!(login("bia@example.org", PASSWORD).await.status, StatusCode::OK, "another account is not slowed");
    // Another server process on the same database counts the same failures.
    let other = server::AppState::with_db(app.state.db.clone(), &server::config::ServeConfig::default());
    let err = other.ports.accounts.login("ana@example.org", PASSWORD, "elsewhere").await.unwrap_err();
    assert!(matches!(err, shared::AppError::TooManyRequests(_)), "{err:?}");
    // Once the wait is over (here: the last failure moved a second back), the right password works.
    app.state.db.query("UPDATE login_failure SET last_at = time::now() - 2s").await.unwrap().check().unwrap();
    assert_eq!(login("ana@example.org", PASSWORD).await.status, StatusCode::OK);
    assert_eq!(login("ana@example.org", "wrong password!").await.status, StatusCode::UNAUTHORIZED, "the count started again");
    // Failures older than 15 minutes are forgotten: the count starts again.
    for _ in 0..5 {
        login("ana@example.org", "wrong password!").await;
    }
    app.state.db.query("UPDATE login_failure SET last_at = time::now() - 16m").await.unwrap().check().unwrap();
    assert_eq!(login("ana@example.org", "wrong password!").await.status, StatusCode::UNAUTHORIZED);
    let n: Option<i64> = app.state.db.query("RETURN (SELECT VALUE failures FROM login_failure)[0]").await.unwrap().take(0).unwrap();
    assert_eq!(n, Some(1));
}

/// A burst of bad logins (unknown emails hash as slowly as known ones) runs at most one argon2
/// hash per CPU at a time, each 19 MiB: the others wait their turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_logins_hash_one_per_cpu_at_a_time() {
    let app = TestApp::new().await;
    let attempts = (0..16).map(|i| {
        let router = app.router.clone();
        tokio::spawn(async move {
            let body = json!({"email": format!("nobody{i}@example.org"), "password": "wrong password!"}).to_string();
            let req = Request::post("/api/v1/session").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap();
            router.oneshot(req).await.unwrap().status()
        })
    });
    for a in attempts.collect::<Vec<_>>() {
        assert_eq!(a.await.unwrap(), StatusCode::UNAUTHORIZED);
    }
    let cpus = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    let peak = app.state.accounts.peak_hashing();
    assert!((1..=cpus).contains(&peak), "{peak} hashes ran at once on {cpus} CPUs");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::new().await;
    let cookie = app.as_role("ana@example.org", &[Role::Member]).await;
    let r = app.call(Method::DELETE, "/api/v1/session", Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    // Logging out again is harmless.
    assert_eq!(app.call(Method::DELETE, "/api/v1/session", None, None).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn api_tokens_work_in_place_of_the_cookie_until_revoked() {
    let app = TestApp::new().await;
    let cookie = app.as_role("ana@example.org", &[Role::Member]).await;

    assert_eq!(app.post("/api/v1/tokens", None, json!({"name": "x"})).await.status, StatusCode::UNAUTHORIZED);
    let r = app.post("/api/v1/tokens", Some(&cookie), json!({"name": "  "})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("name")));

    let r = app.post("/api/v1/tokens", Some(&cookie), json!({"name": "report script"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let token = r.body["token"].as_str().unwrap().to_string();
    let id = r.body["id"].as_str().unwrap().to_string();
    assert!(token.starts_with("mut_"));

    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "ana@example.org");

    let list = app.get("/api/v1/tokens", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "report script");
    assert!(items[0]["last_used_at"].is_string(), "using the token records when: {}", list.text);
    assert!(items[0].get("token").is_none(), "the secret is never listed");

    // Another user cannot revoke it.
    let other = app.as_role("bob@example.org", &[Role::Member]).await;
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&other), None).await.status, StatusCode::NOT_FOUND);

    let r = app.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthorized");
    assert_eq!(app.get("/api/v1/tokens", Some(&cookie)).await.body["items"], json!([]));
    assert_eq!(app.call(Method::DELETE, "/api/v1/tokens/nope", Some(&cookie), None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_admins_list_and_create_users() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let member = app.as_role("member@example.org", &[Role::Member]).await;
    let secretariat = app.as_role("sec@example.org", &[Role::Secretariat]).await;
    let new = json!({"email": "new@example.org", "name": "Nova", "roles": ["organizer"], "password": PASSWORD});

    assert_eq!(app.get("/api/v1/users", None).await.status, StatusCode::UNAUTHORIZED);
    for cookie in [&member, &secretariat] {
        let r = app.get("/api/v1/users", Some(cookie)).await;
        assert_eq!((r.status, r.error_code()), (StatusCode::FORBIDDEN, "forbidden"));
        assert_eq!(app.post("/api/v1/users", Some(cookie), new.clone()).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.post("/api/v1/users", None, new.clone()).await.status, StatusCode::UNAUTHORIZED);

    let r = app.post("/api/v1/users", Some(&admin), new.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["user"]["roles"], json!(["organizer"]));
    assert!(r.body["invite_path"].is_null());
    app.login("new@example.org").await; // the password works

    let r = app.get("/api/v1/users?per_page=2", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 4);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    let r = app.get("/api/v1/users?page=abc", Some(&admin)).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("query")));

    let r = app.post("/api/v1/users", Some(&admin), new.clone()).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::CONFLICT, "conflict"));
}

#[tokio::test]
async fn bad_user_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let cases = [
        (json!({"email": "not-an-email", "name": "X", "roles": ["member"]}), "email"),
        (json!({"email": "x@example.org", "name": "X", "roles": ["member"], "password": "short"}), "password"),
        (json!({"email": "x@example.org", "name": "", "roles": ["member"]}), "name"),
        (json!({"email": "x@example.org", "name": "X", "roles": ["emperor"]}), "roles"),
        (json!({"email": "x@example.org", "name": "X", "roles": []}), "roles"),
        (json!({"email": "x@example.org", "name": "X", "roles": ["member"], "actor_ids": ["missing"]}), "actor_ids"),
        (json!({"email": "x@example.org", "name": "X", "roles": ["member"], "actor_ids": ["a:b;"]}), "actor_ids"),
        (json!({"email": "x@example.org"}), "body"),
    ];
    for (body, field) in cases {
        let r = app.post("/api/v1/users", Some(&admin), body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.error_code(), "validation");
        assert_eq!(r.error_field(), Some(field), "{body}");
    }
    let r = app.get("/api/v1/users", Some(&admin)).await;
    assert_eq!(r.body["total"], 1, "no half-written user: {}", r.text);
}

#[tokio::test]
async fn invited_users_choose_their_password() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let r = app.post("/api/v1/users", Some(&admin), json!({"email": "inv@example.org", "name": "Convidada", "roles": ["member"]})).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["user"]["active"], false);
    let path = r.body["invite_path"].as_str().unwrap();
    let token = path.strip_prefix("/invite/").unwrap();

    // No password yet: cannot log in.
    let r = app.post("/api/v1/session", None, json!({"email": "inv@example.org", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let accounts = &app.state.ports.accounts;
    assert_eq!(accounts.invitation(token).await.unwrap(), "inv@example.org");
    assert_eq!(accounts.accept_invitation(token, "short").await.unwrap_err().field(), Some("password"));
    let outcome = accounts.accept_invitation(token, PASSWORD).await.unwrap();
    assert!(outcome.user.active);
    assert_eq!(accounts.invitation(token).await.unwrap_err().status(), 404, "an invitation works once");
    app.login("inv@example.org").await;
}

#[tokio::test]
async fn admins_set_roles_but_not_remove_their_own_admin() {
    let app = TestApp::new().await;
    let admin_id = app.user("admin@example.org", &[Role::Admin], vec![]).await;
    let admin = app.login("admin@example.org").await;
    let member_id = app.user("member@example.org", &[Role::Member], vec![]).await;
    let member = app.login("member@example.org").await;

    let r =
        app.call(Method::PATCH, &format!("/api/v1/users/{member_id}"), Some(&admin), Some(json!({"roles": ["member", "organizer"]}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["roles"], json!(["member", "organizer"]));
    // The new role applies at once to the existing session.
    let r = app.post("/api/v1/actors", Some(&member), json!({"name": "Feira Orgânica", "kind": "consumer_group"})).await;
    assert_eq!(r.status, StatusCode::CREATED);

    let r = app.call(Method::PATCH, &format!("/api/v1/users/{admin_id}"), Some(&admin), Some(json!({"roles": ["member"]}))).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"));
    let r = app.call(Method::PATCH, &format!("/api/v1/users/{member_id}"), Some(&admin), Some(json!({"roles": ["pope"]}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("roles")));
    let r = app.call(Method::PATCH, "/api/v1/users/nobody", Some(&admin), Some(json!({"roles": ["member"]}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.call(Method::PATCH, &format!("/api/v1/users/{admin_id}"), Some(&member), Some(json!({"roles": ["member"]}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// A write a browser sends from another site is refused (CSRF), login included; reads are not,
/// and neither are requests with a token (no ambient credential) or from clients that are not
/// browsers.
#[tokio::test]
async fn writes_from_another_site_are_refused() {
    let app = TestApp::new().await;
    let cookie = app.as_role("ana@example.org", &[Role::Member]).await;
    let token = app.post("/api/v1/tokens", Some(&cookie), json!({"name": "script"})).await.body["token"].as_str().unwrap().to_string();
    let send = |method: Method, uri: &str, credential: Option<(header::HeaderName, String)>, from: (&'static str, &'static str)| {
        let mut req = Request::builder().method(method).uri(uri).header(header::HOST, "mutirao.test").header(from.0, from.1);
        if let Some((name, value)) = credential {
            req = req.header(name, value);
        }
        let body = json!({"email": "ana@example.org", "password": "wrong password!", "name": "forged"}).to_string();
        app.send(req.header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).unwrap())
    };
    let with_cookie = || Some((header::COOKIE, cookie.clone()));
    let evil = ("origin", "https://evil.example");

    let r = send(Method::POST, "/api/v1/session", None, evil).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::FORBIDDEN, "forbidden"), "a forged login: {}", r.text);
    let r = send(Method::POST, "/api/v1/session", None, ("origin", "http://mutirao.test")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "from this site the login is tried: {}", r.text);
    for from in [evil, ("sec-fetch-site", "cross-site"), ("referer", "https://evil.example/page")] {
        let r = send(Method::POST, "/api/v1/tokens", with_cookie(), from).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{from:?}: {}", r.text);
    }
    let r = send(Method::POST, "/fn/anything", with_cookie(), evil).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "server functions too");
    assert_eq!(send(Method::POST, "/api/v1/tokens", with_cookie(), ("sec-fetch-site", "same-origin")).await.status, StatusCode::CREATED);
    assert_eq!(send(Method::GET, "/api/v1/me", with_cookie(), evil).await.status, StatusCode::OK, "reading is not refused");
    let bearer = Some((header::AUTHORIZATION, format!("Bearer {token}")));
    assert_eq!(send(Method::POST, "/api/v1/tokens", bearer, evil).await.status, StatusCode::CREATED, "a token is no ambient credential");
    let tokens = app.get("/api/v1/tokens", Some(&cookie)).await;
    assert_eq!(tokens.body["items"].as_array().map(Vec::len), Some(3), "only the allowed writes were done: {}", tokens.text);
}

/// An admin disables an account: its session and its token stop working at once and it cannot
/// log in; enabled again, it logs in. An admin cannot disable their own account.
#[tokio::test]
async fn a_disabled_account_is_shut_out_at_once_and_can_be_enabled_again() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let ana_id = app.user("ana@example.org", &[Role::Member], vec![]).await;
    let ana = app.login("ana@example.org").await;
    let token = app.post("/api/v1/tokens", Some(&ana), json!({"name": "script"})).await.body["token"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/users/{ana_id}");

    assert_eq!(app.call(Method::PATCH, &uri, Some(&ana), Some(json!({"disabled": true}))).await.status, StatusCode::FORBIDDEN);
    let r = app.call(Method::PATCH, &uri, Some(&admin), Some(json!({"disabled": true}))).await;
    assert_eq!((r.status, r.body["disabled"].as_bool()), (StatusCode::OK, Some(true)), "{}", r.text);
    assert_eq!(app.get("/api/v1/me", Some(&ana)).await.status, StatusCode::UNAUTHORIZED, "the session ended");
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, StatusCode::UNAUTHORIZED, "the token was revoked");
    let login = app.post("/api/v1/session", None, json!({"email": "ana@example.org", "password": PASSWORD})).await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "no login: {}", login.text);

    let r = app.call(Method::PATCH, &uri, Some(&admin), Some(json!({"disabled": false}))).await;
    assert_eq!((r.status, r.body["disabled"].as_bool()), (StatusCode::OK, Some(false)));
    app.login("ana@example.org").await;
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, StatusCode::UNAUTHORIZED, "a revoked token stays revoked");

    let me = app.get("/api/v1/me", Some(&admin)).await.body["id"].as_str().unwrap().to_string();
    let r = app.call(Method::PATCH, &format!("/api/v1/users/{me}"), Some(&admin), Some(json!({"disabled": true}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app.call(Method::PATCH, &uri, Some(&admin), Some(json!({}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("body")));
}

/// Behind a trusted proxy the login limit counts per client, as the proxy names it in
/// `X-Forwarded-For` (not one bucket for everyone behind it); from anyone else the header is
/// ignored.
#[tokio::test]
async fn the_login_limit_counts_the_client_a_trusted_proxy_names() {
    let serve = server::config::ServeConfig {
        login_attempts_per_minute: 1,
        trusted_proxies: server::accounts::client::TrustedProxies::parse("10.0.0.1").unwrap(),
        ..Default::default()
    };
    let app = TestApp::with_config(serve).await;
    let attempt = |peer: &str, forwarded: &str, n: usize| {
        let body = json!({"email": format!("nobody{n}@example.org"), "password": "wrong password!"}).to_string();
        let mut req = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", forwarded)
            .body(Body::from(body))
            .unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(peer.parse().unwrap(), 4000)));
        app.send(req)
    };
    // One attempt a minute per email, ten per client: the eleventh from one client waits.
    for n in 0..10 {
        assert_eq!(attempt("10.0.0.1", "203.0.113.1", n).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("10.0.0.1", "203.0.113.1", 10).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(attempt("10.0.0.1", "203.0.113.2", 11).await.status, StatusCode::UNAUTHORIZED, "another client behind the proxy");
    // A peer that is not the proxy cannot pick its bucket with the header.
    for n in 20..30 {
        assert_eq!(attempt("198.51.100.9", &format!("192.0.2.{n}"), n).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(attempt("198.51.100.9", "192.0.2.99", 99).await.status, StatusCode::TOO_MANY_REQUESTS);
}

/// A user takes away everything held about them (LGPD): their account, the person linked to
/// them, their tokens without the secrets; nobody else's.
#[tokio::test]
async fn a_user_exports_everything_held_about_them() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let ana_id = app.user("ana@example.org", &[Role::Member], vec![]).await;
    let ana = app.login("ana@example.org").await;
    let bia = app.as_role("bia@example.org", &[Role::Member]).await;
    let coop =
        app.post("/api/v1/actors", Some(&admin), json!({"name": "Cooperativa Dados", "kind": "cooperative"})).await.body["id"].clone();
    let person = json!({"name": "Ana Dados", "email": "ana.pessoal@example.org", "phone": "+55 51 3333-0000", "user_id": ana_id,
                        "actors": [{"actor_id": coop, "role": "Tesoureira"}]});
    assert_eq!(app.post("/api/v1/people", Some(&admin), person).await.status, StatusCode::CREATED);
    let token = app.post("/api/v1/tokens", Some(&ana), json!({"name": "planilha"})).await.body["token"].as_str().unwrap().to_string();

    assert_eq!(app.get("/api/v1/me/export", None).await.status, StatusCode::UNAUTHORIZED);
    let r = app.get("/api/v1/me/export", Some(&ana)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("attachment"));
    assert_eq!(r.body["account"]["email"], "ana@example.org");
    assert_eq!(r.body["people"][0]["email"], "ana.pessoal@example.org");
    assert_eq!(r.body["people"][0]["represents"][0], json!({"organisation": "Cooperativa Dados", "role": "Tesoureira"}));
    assert_eq!(r.body["api_tokens"][0]["name"], "planilha");
    assert!(!r.text.contains(&token) && !r.text.contains("password"), "no secret is exported: {}", r.text);
    let other = app.get("/api/v1/me/export", Some(&bia)).await;
    assert_eq!(
        (other.body["account"]["email"].as_str(), other.body["people"].as_array().map(Vec::len)),
        (Some("bia@example.org"), Some(0))
    );
}
