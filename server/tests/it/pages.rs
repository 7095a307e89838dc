//! Server-rendered pages: readable without JavaScript, and refusing what a role may not see.

use crate::common::TestApp;
use axum::http::StatusCode;
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

#[tokio::test]
async fn network_pages_show_profiles_the_map_and_reports() {
    use shared::network::NewRelation;
    let app = TestApp::new().await;
    let net = &app.state.network;
    let coop = net
        .insert_actor(shared::network::NewActor {
            name: "Cooperativa Sabiá".into(),
            kind: "cooperative".into(),
            description: "Produz *mel* </textarea><script>alert(1)</script>".into(),
            organic_status: Some("in_conversion".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let market = net
        .insert_actor(shared::network::NewActor { name: "Mercado Central".into(), kind: "retailer".into(), ..Default::default() })
        .await
        .unwrap();
    let organizer_id = app.user("o@example.org", &[Role::Organizer], vec![]).await;
    let organizer = app.login("o@example.org").await;
    let caller = shared::Caller {
        user_id: organizer_id,
        email: "o@example.org".into(),
        name: "o".into(),
        roles: vec![Role::Organizer],
        actor_ids: vec![],
    };
    app.state
        .ports
        .graph
        .create_relation(
            &caller,
            NewRelation { from: coop.id.clone(), to: market.id.clone(), kind: "supplies".into(), ..Default::default() },
        )
        .await
        .unwrap();
    app.user("m@example.org", &[Role::Member], vec![coop.id.clone()]).await;
    let member = app.login("m@example.org").await;

    let r = app.get(&format!("/network/actors/{}", coop.id), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("<em>mel</em>"), "Markdown rendered: {}", r.text);
    let at = r.text.find("<script>alert").map(|i| r.text[i.saturating_sub(300)..i + 50].to_string());
    assert!(at.is_none(), "and sanitised: {at:?}");
    assert!(r.text.contains("Edit profile"), "a member edits their own organisation");
    assert!(r.text.contains("Mercado Central") && r.text.contains("supplies"));
    assert!(r.text.contains("added the organisation") || r.text.contains("added a relation"), "the history shows");
    let r = app.get(&format!("/network/actors/{}", market.id), Some(&member)).await;
    assert!(!r.text.contains("Edit profile"), "not another's");
    let r = app.get("/network/actors/nobody", Some(&member)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = app.get("/network/map", Some(&member)).await;
    assert!(r.text.contains("data-network-map") && r.text.contains("data-src=\"/api/v1/network\""), "{}", r.text);
    let r = app.get("/network/map?kind=cooperative&kind=retailer&state=rs", Some(&member)).await;
    assert!(r.text.contains("data-src=\"/api/v1/network?kind=cooperative%2Cretailer&amp;state=RS\""), "{}", r.text);
    let r = app.get("/network/map?focus=cooperativa%20sabia&depth=2", Some(&member)).await;
    assert!(r.text.contains(&format!("/api/v1/actors/{}/neighbors?depth=2", coop.id)), "{}", r.text);
    let r = app.get("/network/map?from=Mercado%20Central&to=Cooperativa%20Sabi%C3%A1", Some(&member)).await;
    assert!(r.text.contains("Path: 1 relations") || r.text.contains("Path: 1 relation"), "{}", r.text);
    assert!(r.text.contains("data-highlight-src"), "{}", r.text);
    let r = app.get("/network/map?focus=Ninguem", Some(&member)).await;
    assert!(r.text.contains("There is no organisation named “Ninguem”"), "{}", r.text);

    let r = app.get("/network/reports", Some(&organizer)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Cooperatives in conversion with no certification body or OPAC (1)"), "{}", r.text);
    assert!(r.text.contains("Buyers with no producer supplier (0)"), "{}", r.text);
    assert!(app.get("/network/reports", None).await.text.contains("Please log in"));
}

#[tokio::test]
async fn alliance_and_person_pages_offer_their_forms_to_those_who_may() {
    let app = TestApp::new().await;
    let organizer = app.as_role("o@example.org", &[Role::Organizer]).await;
    let make = |name: &str, kind: &str| serde_json::json!({"name": name, "kind": kind});
    let coop = app.post("/api/v1/actors", Some(&organizer), make("Cooperativa Sabiá", "cooperative")).await.body["id"].clone();
    let market = app.post("/api/v1/actors", Some(&organizer), make("Mercado Central", "retailer")).await.body["id"].clone();
    let coop = coop.as_str().unwrap().to_string();
    app.user("m@example.org", &[Role::Member], vec![coop.clone()]).await;
    let member = app.login("m@example.org").await;
    let outsider = app.as_role("x@example.org", &[Role::Member]).await;
    let alliance = app
        .post(
            "/api/v1/alliances",
            Some(&organizer),
            serde_json::json!({"producer": coop, "buyer": market, "business_plan": "Vender **mel** </textarea><script>alert(1)</script>"}),
        )
        .await;
    let path = format!("/network/alliances/{}", alliance.body["id"].as_str().unwrap());
    let r = app.get(&path, Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("Alliance: Cooperativa Sabiá and Mercado Central"), "{}", r.text);
    assert!(r.text.contains("<strong>mel</strong>") && !r.text.contains("<script>alert"), "Markdown rendered and sanitised");
    assert!(r.text.contains("Save the alliance"), "a member of either organisation changes it");
    let r = app.get(&path, Some(&outsider)).await;
    assert!(r.text.contains("Alliance: Cooperativa Sabiá") && !r.text.contains("Save the alliance"), "others read it only");
    assert!(app.get(&path, None).await.text.contains("Please log in"));
    assert_eq!(app.get("/network/alliances/nothing", Some(&member)).await.status, StatusCode::NOT_FOUND);

    let person = app
        .post(
            "/api/v1/people",
            Some(&organizer),
            serde_json::json!({"name": "Joana Pereira", "email": "joana@example.org", "actors": [{"actor_id": coop, "role": "Tesoureira"}]}),
        )
        .await;
    let path = format!("/network/people/{}", person.body["id"].as_str().unwrap());
    let r = app.get(&path, Some(&organizer)).await;
    assert!(r.text.contains("joana@example.org") && r.text.contains("Remove this person"), "{}", r.text);
    assert!(r.text.contains("name=\"account\""), "a steward links the person to a user account");
    let r = app.get(&path, Some(&member)).await;
    assert!(r.text.contains("Tesoureira") && !r.text.contains("joana@example.org"), "no personal details for members");
    assert!(r.text.contains("Remove this person") && !r.text.contains("name=\"email\""), "they change the name, not the details");
    assert!(!r.text.contains("name=\"account\""), "nor the user account");
    let r = app.get(&path, Some(&outsider)).await;
    assert!(r.text.contains("Joana Pereira") && !r.text.contains("Remove this person"));
    let r = app.get("/network/people?q=joana", Some(&outsider)).await;
    assert!(r.text.contains("Joana Pereira") && !r.text.contains("joana@example.org"));
    assert!(app.get("/network/people", None).await.text.contains("Please log in"));
}

/// A multipart form with a CSV file, as the import page posts it without JavaScript.
fn multipart(table: &str, dry_run: &str, csv: &str) -> (String, String) {
    multipart_with_token(table, dry_run, csv, "")
}

/// The same form as its script posts it, naming the upload for the progress bar.
fn multipart_with_token(table: &str, dry_run: &str, csv: &str, token: &str) -> (String, String) {
    let b = "XyZboundary";
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"table\"\r\n\r\n{table}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n{dry_run}\r\n--{b}--\r\n"
    );
    (format!("multipart/form-data; boundary={b}"), body)
}

#[tokio::test]
async fn the_import_form_works_without_javascript_and_reports_on_the_page() {
    use axum::{body::Body, http::Request};
    let app = TestApp::new().await;
    let organizer = app.as_role("o@example.org", &[Role::Organizer]).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let post = |cookie: Option<String>, table: &str, dry: &str, csv: &str| {
        let (ct, body) = multipart(table, dry, csv);
        let mut req = Request::builder().method("POST").uri("/network/import/upload").header("content-type", ct);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.body(Body::from(body)).unwrap()
    };
    let r = app.send(post(None, "actors", "true", "name,kind\nA,ngo\n")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers["location"].to_str().unwrap().starts_with("/login"));

    let r = app.send(post(Some(organizer.clone()), "actors", "false", "name,kind\nONG Nova,ngo\n,ngo\n")).await;
    assert_eq!((r.status, r.headers["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/network/import#report"));
    let page = app.get("/network/import", Some(&organizer)).await;
    assert!(page.text.contains("Imported 1 organisation from “list.csv”"), "{}", page.text);
    assert!(page.text.contains("The name is missing."), "{}", page.text);
    let again = app.get("/network/import", Some(&organizer)).await;
    assert!(!again.text.contains("Imported 1 organisation"), "the report is shown once");

    let r = app.send(post(Some(member.clone()), "actors", "false", "name,kind\nONG Outra,ngo\n")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get("/network/import", Some(&member)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "the page is for organisers, the secretariat and admins");
    assert_eq!(app.get("/api/v1/actors?q=outra", Some(&member)).await.body["total"], 0, "nothing written");
}

#[tokio::test]
async fn an_import_reports_its_progress_to_the_one_who_sent_it() {
    use axum::{body::Body, http::Request};
    let app = TestApp::new().await;
    let organizer = app.as_role("o@example.org", &[Role::Organizer]).await;
    let other = app.as_role("s@example.org", &[Role::Secretariat]).await;
    // More rows than one transaction takes (500), and one bad line, refused before writing.
    let mut csv = String::from("name,kind\n");
    for i in 0..1205 {
        csv.push_str(&format!("Associação {i:04},producer_association\n"));
    }
    csv.push_str(",ngo\n");
    let (ct, body) = multipart_with_token("actors", "false", &csv, "tok-123");
    let req = Request::builder()
        .method("POST")
        .uri("/network/import/upload")
        .header("content-type", ct)
        .header("cookie", organizer.clone())
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::SEE_OTHER);
    let r = app.get("/network/import/progress?token=tok-123", Some(&organizer)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Every line is counted, the refused one too.
    assert_eq!(r.body, serde_json::json!({"done": 1206, "total": 1206, "finished": true}));
    assert_eq!(app.get("/network/import/progress?token=tok-123", Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/network/import/progress?token=nothing", Some(&organizer)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/network/import/progress?token=tok-123", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_public_directory_needs_no_login() {
    let app = TestApp::new().await;
    for (name, visibility) in [("Cooperativa Aberta", "public"), ("Cooperativa Fechada", "network")] {
        app.state
            .network
            .insert_actor(shared::network::NewActor {
                name: name.into(),
                kind: "cooperative".into(),
                visibility: Some(visibility.into()),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let r = app.get("/directory", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("Cooperativa Aberta") && !r.text.contains("Cooperativa Fechada"), "{}", r.text);
    let r = app.get("/directory?q=zzz", None).await;
    assert!(r.text.contains("No organisation listed publicly matches."));
}

/// Names people type reach the page's `<title>`, which the server writes as raw text: a name that
/// closes the element must stay text (an organisation's profile, a published document).
#[tokio::test]
async fn titles_are_escaped_in_the_head() {
    use axum::http::Method;
    use serde_json::json;
    const HOSTILE: &str = "Coop </title><img src=x onerror=alert(5)> & Filhos";
    const ESCAPED: &str = "<title>Coop &lt;/title&gt;&lt;img src=x onerror=alert(5)&gt; &amp; Filhos";
    let app = TestApp::new().await;
    let actor = app
        .state
        .network
        .insert_actor(shared::network::NewActor { name: HOSTILE.into(), kind: "cooperative".into(), ..Default::default() })
        .await
        .unwrap();
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app.get(&format!("/network/actors/{}", actor.id), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains(ESCAPED), "{}", r.text);
    assert!(!r.text.contains("<img src=x"), "{}", r.text);

    let sec = app.as_role("s@example.org", &[Role::Secretariat]).await;
    let doc = json!({"title": HOSTILE, "slug": "hostile", "themes": [{"title": "A", "paragraphs": [{"text": "Fund fairs."}]}]});
    assert_eq!(app.post("/api/v1/documents", Some(&sec), doc).await.status, StatusCode::CREATED);
    assert_eq!(app.post("/api/v1/documents/hostile/versions", Some(&sec), json!({"label": "Final"})).await.status, StatusCode::CREATED);
    let r = app.call(Method::PATCH, "/api/v1/documents/hostile", Some(&sec), Some(json!({"status": "final"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.post("/api/v1/documents/hostile/publish", Some(&sec), json!({})).await.status, StatusCode::CREATED);
    for page in ["/r/hostile", "/r/hostile/v/1"] {
        let r = app.get(page, None).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(r.text.contains(ESCAPED), "{page}: {}", r.text);
        assert!(!r.text.contains("<img src=x"), "{page}: {}", r.text);
    }
}

/// Server functions have a prefix of their own, apart from the REST API's `/api/v1`: the
/// middleware that gives their errors a status tells them apart by it.
#[test]
fn every_server_function_is_under_its_prefix() {
    let paths: Vec<&str> = server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    assert!(paths.len() > 50, "the app's server functions are registered: {paths:?}");
    for path in paths {
        assert!(path.starts_with(app::SERVER_FN_PREFIX) && !path.starts_with("/api/"), "{path}");
    }
}

/// Every response tells the browser not to sniff its type, not to let another site frame it, and
/// what to send as a referrer; pages, the API and errors alike.
#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = crate::common::TestApp::new().await;
    for uri in ["/login", "/api/v1/me", "/api/v1/nothing", "/healthz"] {
        let r = app.get(uri, None).await;
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(r.headers["x-frame-options"], "DENY", "{uri}");
        assert_eq!(r.headers["referrer-policy"], "strict-origin-when-cross-origin", "{uri}");
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("img-src 'self' data:"), "{uri}");
        assert!(csp.contains("script-src 'self'") && csp.contains("'wasm-unsafe-eval'"), "{uri}: {csp}");
    }
}

/// A page's inline scripts (hydration, the data written into the page) run because they carry
/// the nonce its policy names, a fresh one per response; no other inline script would.
#[tokio::test]
async fn a_page_allows_only_its_own_inline_scripts() {
    let app = crate::common::TestApp::new().await;
    let nonce_of = |r: &crate::common::Reply| {
        let csp = r.headers["content-security-policy"].to_str().unwrap().to_string();
        let start = csp.find("'nonce-").unwrap_or_else(|| panic!("a nonce in {csp}")) + "'nonce-".len();
        csp[start..].split('\'').next().unwrap().to_string()
    };
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let first = app.get("/login", None).await;
    let nonce = nonce_of(&first);
    assert!(nonce.len() >= 16, "{nonce}");
    assert_ne!(nonce, nonce_of(&app.get("/login", None).await), "each response has its own");
    for r in [first, app.get("/", Some(&member)).await, app.get("/network", Some(&member)).await] {
        let nonce = nonce_of(&r);
        let inline: Vec<&str> = r.text.split("<script").skip(1).filter(|tag| !tag.split('>').next().unwrap().contains(" src=")).collect();
        assert!(!inline.is_empty(), "the page hydrates with an inline script");
        for tag in inline {
            let attributes = tag.split('>').next().unwrap();
            assert!(
                attributes.contains(&format!(" nonce=\"{nonce}\"")),
                "an inline script without the nonce: <script{}",
                tag.chars().take(80).collect::<String>()
            );
        }
    }
}
