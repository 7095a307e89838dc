//! HTTP tests of the actor directory.

use crate::common;

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::json;
use shared::Role;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

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

/// Creates actors as an organiser; returns their ids in order.
async fn actors(app: &TestApp, cookie: &str, list: &[serde_json::Value]) -> Vec<String> {
    let mut ids = Vec::new();
    for body in list {
        let r = app.post("/api/v1/actors", Some(cookie), body.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    ids
}

async fn relate(app: &TestApp, cookie: &str, from: &str, to: &str, kind: &str) -> String {
    let r = app.post("/api/v1/relations", Some(cookie), json!({"from": from, "to": to, "kind": kind})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body["id"].as_str().unwrap().to_string()
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_string()).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn members_edit_their_own_actor_and_every_change_is_kept() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Cooperativa Sabiá", "kind": "cooperative", "state": "sc", "products": ["Mel", "arroz"]}),
            json!({"name": "Mercado Bom Preço", "kind": "retailer"}),
        ],
    )
    .await;
    let (coop, market) = (&ids[0], &ids[1]);
    app.user("m@example.org", &[Role::Member], vec![coop.clone()]).await;
    let member = app.login("m@example.org").await;

    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/actors/{coop}"),
            Some(&member),
            Some(json!({"municipality": "Chapecó", "members": 120, "organic_status": "in_conversion"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (r.body["municipality"].as_str(), r.body["members"].as_u64(), r.body["state"].as_str()),
        (Some("Chapecó"), Some(120), Some("SC"))
    );
    assert_eq!(r.body["products"], json!(["mel", "arroz"]));

    let r = app.call(Method::PATCH, &format!("/api/v1/actors/{market}"), Some(&member), Some(json!({"municipality": "Joinville"}))).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::FORBIDDEN, "forbidden"));
    let r = app.call(Method::PATCH, &format!("/api/v1/actors/{coop}"), Some(&member), Some(json!({"organic_status": "organic"}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("organic_status")));
    let r = app.call(Method::PATCH, &format!("/api/v1/actors/{coop}"), Some(&member), Some(json!({"colour": "green"}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("colour")));
    let r = app.call(Method::PATCH, &format!("/api/v1/actors/{coop}"), Some(&member), Some(json!({"name": "Mercado Bom Preço"}))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "names stay unique");
    let r = app.call(Method::PATCH, "/api/v1/actors/nothing", Some(&organizer), Some(json!({"name": "X"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = app.get(&format!("/api/v1/actors/{coop}/history"), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["total"], 2, "created and one update (refused changes leave no trace): {}", r.text);
    let update = &r.body["items"][0];
    assert_eq!((update["action"].as_str(), update["author"].as_str()), (Some("updated"), Some("m")));
    let fields: Vec<_> = update["changes"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["municipality", "organic_status", "members"]);
    assert_eq!(update["changes"][0]["before"], serde_json::Value::Null);
    assert_eq!(update["changes"][0]["after"], "Chapecó");
    assert_eq!(r.body["items"][1]["action"], "created");

    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/actors/{coop}"), Some(&member), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/actors/{market}"), Some(&organizer), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/actors/{market}"), Some(&member)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/actors/{market}"), Some(&organizer), None).await.status, StatusCode::NOT_FOUND);
    let history: Option<i64> = app
        .state
        .db
        .query("count(SELECT id FROM actor_change WHERE actor = type::record('actor', $id))")
        .bind(("id", market.clone()))
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(history, Some(0), "a deleted actor's history goes with it");
}

#[tokio::test]
async fn relations_are_graph_edges_listed_on_both_actors() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Cooperativa Sabiá", "kind": "cooperative"}),
            json!({"name": "Mercado Bom Preço", "kind": "retailer"}),
            json!({"name": "Emater", "kind": "technical_assistance"}),
        ],
    )
    .await;
    let r = app
        .post(
            "/api/v1/relations",
            Some(&organizer),
            json!({"from": ids[0], "to": ids[1], "kind": "supplies", "since": "2021-03", "note": "Feira semanal"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        (r.body["from_name"].as_str(), r.body["to_name"].as_str(), r.body["since"].as_str()),
        (Some("Cooperativa Sabiá"), Some("Mercado Bom Preço"), Some("2021-03"))
    );
    let supplies = r.body["id"].as_str().unwrap().to_string();
    relate(&app, &organizer, &ids[2], &ids[0], "provides_technical_assistance").await;

    let dup = app.post("/api/v1/relations", Some(&organizer), json!({"from": ids[0], "to": ids[1], "kind": "supplies"})).await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.text);
    let r = app.post("/api/v1/relations", Some(&organizer), json!({"from": ids[0], "to": "nobody", "kind": "supplies"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("to")));
    let r = app.post("/api/v1/relations", Some(&organizer), json!({"from": ids[0], "to": ids[0], "kind": "supplies"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("to")));
    let r = app.post("/api/v1/relations", Some(&organizer), json!({"from": ids[0], "to": ids[1], "kind": "loves"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("kind")));
    let r = app
        .post("/api/v1/relations", Some(&organizer), json!({"from": ids[0], "to": ids[1], "kind": "finances", "since": "2021-13"}))
        .await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("since")));

    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app.post("/api/v1/relations", Some(&member), json!({"from": ids[1], "to": ids[2], "kind": "partners_with"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a member relates only the actors they belong to");

    let r = app.get(&format!("/api/v1/actors/{}", ids[0]), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK);
    let rel = r.body["relations"].as_array().unwrap();
    assert_eq!(rel.len(), 2, "{}", r.text);
    assert_eq!((rel[0]["kind"].as_str(), rel[0]["to_name"].as_str()), (Some("supplies"), Some("Mercado Bom Preço")));
    assert_eq!((rel[1]["kind"].as_str(), rel[1]["from_name"].as_str()), (Some("provides_technical_assistance"), Some("Emater")));
    assert_eq!(r.body["can_edit"], false);

    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/relations/{supplies}"), Some(&member), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.call(Method::DELETE, &format!("/api/v1/relations/{supplies}"), Some(&organizer), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.call(Method::DELETE, &format!("/api/v1/relations/{supplies}"), Some(&organizer), None).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app.get(&format!("/api/v1/actors/{}", ids[1]), Some(&member)).await;
    assert_eq!(r.body["relations"], json!([]));
    let h = app.get(&format!("/api/v1/actors/{}/history", ids[1]), Some(&member)).await;
    let actions: Vec<_> = h.body["items"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["relation_removed", "relation_added", "created"]);

    // Deleting an actor takes its relations with it.
    assert_eq!(
        app.call(Method::DELETE, &format!("/api/v1/actors/{}", ids[2]), Some(&organizer), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get(&format!("/api/v1/actors/{}", ids[0]), Some(&member)).await.body["relations"], json!([]));
}

/// A – B – C – D, F – B, and E alone; some relations point "backwards" (paths ignore direction).
async fn small_graph(app: &TestApp, cookie: &str) -> Vec<String> {
    let ids = actors(app, cookie, &["A", "B", "C", "D", "E", "F"].map(|n| json!({"name": format!("Actor {n}"), "kind": "ngo"}))).await;
    relate(app, cookie, &ids[0], &ids[1], "partners_with").await;
    relate(app, cookie, &ids[2], &ids[1], "finances").await;
    relate(app, cookie, &ids[2], &ids[3], "supplies").await;
    relate(app, cookie, &ids[5], &ids[1], "member_of").await;
    ids
}

#[tokio::test]
async fn graph_queries_give_known_answers() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = small_graph(&app, &organizer).await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;

    let r = app.get(&format!("/api/v1/actors/{}/neighbors?depth=1", ids[1]), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(sorted(names(&r.body["nodes"])), vec!["Actor A", "Actor B", "Actor C", "Actor F"]);
    assert_eq!(r.body["edges"].as_array().unwrap().len(), 3);
    let r = app.get(&format!("/api/v1/actors/{}/neighbors?depth=2", ids[0]), Some(&member)).await;
    assert_eq!(sorted(names(&r.body["nodes"])), vec!["Actor A", "Actor B", "Actor C", "Actor F"]);
    let r = app.get(&format!("/api/v1/actors/{}/neighbors?depth=3", ids[0]), Some(&member)).await;
    assert_eq!(r.body["nodes"].as_array().unwrap().len(), 5);
    assert_eq!(r.body["edges"].as_array().unwrap().len(), 4);
    let r = app.get(&format!("/api/v1/actors/{}/neighbors?depth=4", ids[0]), Some(&member)).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("depth")));
    assert_eq!(app.get("/api/v1/actors/nobody/neighbors", Some(&member)).await.status, StatusCode::NOT_FOUND);

    let r = app.get(&format!("/api/v1/network/path?from={}&to={}", ids[0], ids[3]), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(names(&r.body["nodes"]), vec!["Actor A", "Actor B", "Actor C", "Actor D"]);
    let kinds: Vec<_> = r.body["edges"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["partners_with", "finances", "supplies"]);
    assert_eq!(r.body["edges"][1]["from"], ids[2], "the relation keeps its own direction");
    let r = app.get(&format!("/api/v1/network/path?from={}&to={}", ids[0], ids[4]), Some(&member)).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::NOT_FOUND, "not_found"));
    let r = app.get(&format!("/api/v1/network/path?from={}", ids[0]), Some(&member)).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("to")));

    let r = app.get("/api/v1/network/metrics", Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["components"], 2);
    let by_name = |n: &str| r.body["actors"].as_array().unwrap().iter().find(|a| a["name"] == n).unwrap().clone();
    // B lies on the chains A–C, A–D, F–C, F–D and A–F; C on A–D, B–D and F–D.
    assert_eq!((by_name("Actor B")["degree"].as_u64(), by_name("Actor B")["betweenness"].as_f64()), (Some(3), Some(5.0)));
    assert_eq!(by_name("Actor C")["betweenness"].as_f64(), Some(3.0));
    assert_eq!(by_name("Actor E")["degree"].as_u64(), Some(0));
    assert_eq!(by_name("Actor E")["component"].as_u64(), Some(1));
    assert_eq!(r.body["actors"][0]["name"], "Actor B", "the brokers first");

    // A change is seen at once: the graph held in memory follows the database.
    relate(&app, &organizer, &ids[3], &ids[4], "partners_with").await;
    let r = app.get(&format!("/api/v1/network/path?from={}&to={}", ids[0], ids[4]), Some(&member)).await;
    assert_eq!(r.body["nodes"].as_array().unwrap().len(), 5, "{}", r.text);

    let r = app.get("/api/v1/network", Some(&member)).await;
    assert_eq!((r.body["nodes"].as_array().unwrap().len(), r.body["edges"].as_array().unwrap().len()), (6, 5));
}

#[tokio::test]
async fn the_network_filters_by_kind_and_state() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Coop RS", "kind": "cooperative", "state": "RS"}),
            json!({"name": "Coop SC", "kind": "cooperative", "state": "SC"}),
            json!({"name": "Mercado RS", "kind": "retailer", "state": "RS"}),
        ],
    )
    .await;
    relate(&app, &organizer, &ids[0], &ids[2], "supplies").await;
    relate(&app, &organizer, &ids[1], &ids[2], "supplies").await;
    relate(&app, &organizer, &ids[0], &ids[1], "partners_with").await;
    let r = app.get("/api/v1/network?state=rs", Some(&organizer)).await;
    assert_eq!(sorted(names(&r.body["nodes"])), vec!["Coop RS", "Mercado RS"]);
    assert_eq!(r.body["edges"].as_array().unwrap().len(), 1, "only relations with both ends shown");
    let r = app.get("/api/v1/network?kind=cooperative", Some(&organizer)).await;
    assert_eq!(r.body["edges"][0]["kind"], "partners_with");
    let r = app.get("/api/v1/network?kind=cooperative,retailer&state=SC", Some(&organizer)).await;
    assert_eq!(names(&r.body["nodes"]), vec!["Coop SC"]);
}

#[tokio::test]
async fn gap_reports_list_who_lacks_what() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Coop Sem Certificadora", "kind": "cooperative", "organic_status": "in_conversion"}),
            json!({"name": "Coop Certificada", "kind": "cooperative", "organic_status": "in_conversion"}),
            json!({"name": "Associação Completa", "kind": "producer_association", "organic_status": "certified_audit"}),
            json!({"name": "Rede Ecovida", "kind": "participatory_guarantee_body"}),
            json!({"name": "Emater", "kind": "technical_assistance"}),
            json!({"name": "Mercado Sem Fornecedor", "kind": "retailer"}),
            json!({"name": "Prefeitura Compradora", "kind": "municipality"}),
            json!({"name": "ONG Sozinha", "kind": "ngo"}),
        ],
    )
    .await;
    relate(&app, &organizer, &ids[3], &ids[1], "certifies").await;
    relate(&app, &organizer, &ids[4], &ids[1], "provides_technical_assistance").await;
    relate(&app, &organizer, &ids[4], &ids[2], "provides_technical_assistance").await;
    relate(&app, &organizer, &ids[2], &ids[6], "supplies").await;
    relate(&app, &organizer, &ids[5], &ids[4], "partners_with").await;

    let r = app.get("/api/v1/network/gaps", Some(&organizer)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let report = |name: &str| {
        let rep = r.body["reports"].as_array().unwrap().iter().find(|x| x["name"] == name).unwrap_or_else(|| panic!("no report {name}"));
        sorted(names(&rep["actors"]))
    };
    assert_eq!(report("in_conversion_without_certification"), vec!["Coop Sem Certificadora"]);
    assert_eq!(report("producers_without_technical_assistance"), vec!["Coop Sem Certificadora"]);
    assert_eq!(report("producers_without_buyer"), vec!["Coop Certificada", "Coop Sem Certificadora"]);
    assert_eq!(report("buyers_without_producer"), vec!["Mercado Sem Fornecedor"]);
    assert_eq!(report("isolated"), vec!["Coop Sem Certificadora", "ONG Sozinha"]);
    assert_eq!(r.body["reports"][0]["actors"][0]["id"], ids[0], "each row links to the actor");
}

#[tokio::test]
async fn the_directory_searches_full_text_with_filters_and_sorting() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    actors(
        &app,
        &organizer,
        &[
            json!({"name": "Cooperativa Sabiá", "kind": "cooperative", "state": "SC", "products": ["mel", "feijão"], "tags": ["Agroecologia"]}),
            json!({"name": "Associação dos Apicultores", "kind": "producer_association", "state": "RS", "products": ["mel"], "organic_status": "participatory_guarantee"}),
            json!({"name": "Mercado Central", "kind": "retailer", "state": "RS", "municipality": "Pelotas", "description": "Compra **hortaliças** orgânicas da região."}),
        ],
    )
    .await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let search = |q: &str| format!("/api/v1/actors?{q}");
    let r = app.get(&search("q=coop"), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(names(&r.body["items"]), vec!["Cooperativa Sabiá"], "words match from their start");
    let r = app.get(&search("q=MEL"), Some(&member)).await;
    assert_eq!(sorted(names(&r.body["items"])), vec!["Associação dos Apicultores", "Cooperativa Sabiá"], "products are searched");
    assert_eq!(r.body["total"], 2);
    let r = app.get(&search("q=feijao"), Some(&member)).await;
    assert_eq!(names(&r.body["items"]), vec!["Cooperativa Sabiá"], "accents folded");
    let r = app.get(&search("q=hortali%C3%A7as%20pelotas"), Some(&member)).await;
    assert_eq!(names(&r.body["items"]), vec!["Mercado Central"], "descriptions and municipalities are searched");
    let r = app.get(&search("q=mel&state=RS"), Some(&member)).await;
    assert_eq!(names(&r.body["items"]), vec!["Associação dos Apicultores"]);
    let r = app.get(&search("kind=retailer"), Some(&member)).await;
    assert_eq!(names(&r.body["items"]), vec!["Mercado Central"]);
    let r = app.get(&search("organic_status=participatory_guarantee"), Some(&member)).await;
    assert_eq!(names(&r.body["items"]), vec!["Associação dos Apicultores"]);
    let r = app.get(&search("tag=agroecologia"), Some(&member)).await;
    assert_eq!(names(&r.body["items"]), vec!["Cooperativa Sabiá"]);
    let r = app.get(&search("sort=updated"), Some(&member)).await;
    assert_eq!(names(&r.body["items"])[0], "Mercado Central", "the last changed first");
    let r = app.get(&search("sort=size"), Some(&member)).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("sort")));
    let r = app.get(&search("q=zzzz"), Some(&member)).await;
    assert_eq!((r.body["total"].as_u64(), r.body["items"].clone()), (Some(0), json!([])));
    let r = app.get(&search("q=%21%21"), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "punctuation alone is no error");
}

#[tokio::test]
async fn every_network_endpoint_needs_a_login() {
    let app = TestApp::new().await;
    for uri in [
        "/api/v1/actors/x",
        "/api/v1/actors/x/history",
        "/api/v1/actors/x/neighbors",
        "/api/v1/network",
        "/api/v1/network/path?from=a&to=b",
        "/api/v1/network/metrics",
        "/api/v1/network/gaps",
        "/api/v1/network/kinds",
    ] {
        assert_eq!(app.get(uri, None).await.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    assert_eq!(app.post("/api/v1/relations", None, json!({})).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(Method::DELETE, "/api/v1/relations/x", None, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(Method::PATCH, "/api/v1/actors/x", None, Some(json!({}))).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(Method::DELETE, "/api/v1/actors/x", None, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn kinds_are_data() {
    let app = TestApp::new().await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app.get("/api/v1/network/kinds", Some(&member)).await;
    assert_eq!(r.body["actor_kinds"].as_array().unwrap().len(), 15);
    assert_eq!(r.body["actor_kinds"][0], json!({"id": "cooperative", "label": "Cooperative", "producer": true, "buyer": false}));
    assert_eq!(r.body["relation_kinds"].as_array().unwrap().len(), 8);
    // An admin adds kinds; they are accepted at once.
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let new_kind = json!({"of": "actor", "id": "seed_bank", "label": "Seed bank", "producer": true});
    assert_eq!(app.post("/api/v1/network/kinds", Some(&organizer), new_kind.clone()).await.status, StatusCode::FORBIDDEN);
    let admin = app.as_role("a@example.org", &[Role::Admin]).await;
    let r = app.post("/api/v1/network/kinds", Some(&admin), new_kind.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["actor_kinds"][15], json!({"id": "seed_bank", "label": "Seed bank", "producer": true, "buyer": false}));
    assert_eq!(app.post("/api/v1/network/kinds", Some(&admin), new_kind).await.status, StatusCode::CONFLICT);
    let r = app.post("/api/v1/network/kinds", Some(&admin), json!({"of": "relation", "id": "Trades With", "label": "trades with"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("id")));
    let r = app.post("/api/v1/network/kinds", Some(&admin), json!({"of": "relation", "id": "trains", "label": "trains"})).await;
    assert_eq!(r.body["relation_kinds"].as_array().unwrap().len(), 9);
    let r = app.post("/api/v1/actors", Some(&organizer), json!({"name": "Banco de Sementes", "kind": "seed_bank"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

impl common::Reply {
    fn lines(&self) -> Vec<u64> {
        self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors list: {}", self.text))
            .iter()
            .map(|e| e["line"].as_u64().unwrap())
            .collect()
    }
}

async fn upload(app: &TestApp, uri: &str, cookie: Option<&str>, bytes: Vec<u8>) -> common::Reply {
    let mut req = axum::http::Request::builder().method(Method::POST).uri(uri).header("content-type", "text/csv");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    app.send(req.body(axum::body::Body::from(bytes)).unwrap()).await
}

/// A request body that counts the megabytes read from it.
struct CountedUpload {
    read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    left: usize,
}

impl http_body::Body for CountedUpload {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        self.read.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(axum::body::Bytes::from(vec![b'a'; 1 << 20])))))
    }
}

/// A member's upload is refused before its file is received: the server never holds it.
#[tokio::test]
async fn a_members_upload_is_refused_before_its_file_is_read() {
    let app = TestApp::new().await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    for (uri, content_type) in [
        ("/api/v1/actors/import", "text/csv"),
        ("/api/v1/relations/import?dry_run=true", "text/csv"),
        ("/network/import/upload", "multipart/form-data; boundary=XyZ"),
    ] {
        let read = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let req = axum::http::Request::post(uri)
            .header("cookie", &member)
            .header("content-type", content_type)
            .header("accept", "application/json")
            .body(axum::body::Body::new(CountedUpload { read: read.clone(), left: 32 }))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.text);
        assert_eq!(read.load(std::sync::atomic::Ordering::SeqCst), 0, "{uri}: the file was read");
    }
}

#[tokio::test]
async fn importing_actors_checks_every_row_and_a_dry_run_writes_nothing() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    actors(&app, &organizer, &[json!({"name": "Emater RS", "kind": "technical_assistance"})]).await;
    // Latin-1, semicolons, Portuguese headers, as a spreadsheet in Brazil saves it.
    let wide = vec!["x"; 10_000].join(";");
    let text = format!(
        "Nome;Tipo;UF;Município;Produtos\n\
         Cooperativa São José;cooperative;RS;Ipê;uva | vinho\n\
         ;cooperative;RS;;\n\
         Banco Verde;bank;SC;;\n\
         Cooperativa Sao Jose;ngo;RS;;\n\
         EMATER RS;technical_assistance;RS;;\n\
         {wide}\n\
         Mercado da Terra;Retailer;PR;Curitiba;\n"
    );
    let latin1: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).expect("latin-1 text")).collect();

    let r = upload(&app, "/api/v1/actors/import?dry_run=true", Some(&organizer), latin1.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.body["dry_run"].as_bool(), r.body["imported"].as_u64()), (Some(true), Some(2)));
    assert_eq!(r.lines(), vec![3, 4, 5, 6, 7], "{}", r.text);
    let messages: Vec<_> = r.body["errors"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap().to_string()).collect();
    assert!(messages[0].contains("name is missing"), "{messages:?}");
    assert!(messages[1].contains("“bank” is not a kind"), "{messages:?}");
    assert!(messages[2].contains("duplicate of line 2"), "{messages:?}");
    assert!(messages[3].contains("already in the network"), "{messages:?}");
    assert!(messages[4].contains("10000 fields"), "{messages:?}");
    assert_eq!(app.get("/api/v1/actors", Some(&organizer)).await.body["total"], 1, "a dry run writes nothing");

    let r = upload(&app, "/api/v1/actors/import?dry_run=false", Some(&organizer), latin1.clone()).await;
    assert_eq!((r.status, r.body["imported"].as_u64()), (StatusCode::OK, Some(2)), "{}", r.text);
    assert_eq!(r.lines(), vec![3, 4, 5, 6, 7]);
    let r = app.get("/api/v1/actors?q=sao%20jose", Some(&organizer)).await;
    assert_eq!(r.body["items"][0]["municipality"], "Ipê", "Latin-1 decoded: {}", r.text);
    assert_eq!(r.body["items"][0]["products"], json!(["uva", "vinho"]));
    let id = r.body["items"][0]["id"].as_str().unwrap().to_string();
    let h = app.get(&format!("/api/v1/actors/{id}/history"), Some(&organizer)).await;
    assert_eq!(h.body["items"][0]["action"], "imported");

    let again = upload(&app, "/api/v1/actors/import", Some(&organizer), latin1).await;
    assert_eq!(again.body["imported"], 0, "a second import finds only duplicates");
    assert_eq!(app.get("/api/v1/actors", Some(&organizer)).await.body["total"], 3);
}

#[tokio::test]
async fn broken_files_are_refused_whole_with_a_reason() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    for (bytes, words) in [(Vec::new(), "empty"), (b"nome,estado\nCoop,RS\n".to_vec(), "“kind”"), (b"name,name\nA,B\n".to_vec(), "twice")]
    {
        let r = upload(&app, "/api/v1/actors/import?dry_run=true", Some(&organizer), bytes).await;
        assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("file")), "{}", r.text);
        assert!(r.body["error"]["message"].as_str().unwrap().contains(words), "{}", r.text);
    }
    let r = upload(&app, "/api/v1/relations/import", Some(&organizer), b"from;to\na;b\n".to_vec()).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("file")));
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = upload(&app, "/api/v1/actors/import", Some(&member), b"name,kind\nA,ngo\n".to_vec()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(upload(&app, "/api/v1/actors/import", None, b"name,kind\nA,ngo\n".to_vec()).await.status, StatusCode::UNAUTHORIZED);
    let r = upload(&app, "/api/v1/actors/import?dry_run=maybe", Some(&organizer), b"name,kind\nA,ngo\n".to_vec()).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/api/v1/actors", Some(&organizer)).await.body["total"], 0, "nothing written");
}

#[tokio::test]
async fn importing_relations_names_actors_by_name_or_id() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[json!({"name": "Cooperativa Sabiá", "kind": "cooperative"}), json!({"name": "Mercado Central", "kind": "retailer"})],
    )
    .await;
    relate(&app, &organizer, &ids[0], &ids[1], "partners_with").await;
    let file = format!(
        "from,to,kind,since\n\
         cooperativa sabia,Mercado Central,supplies,2020\n\
         {},{},buys from,\n\
         Cooperativa Sabiá,Ninguém,supplies,\n\
         Cooperativa Sabiá,Mercado Central,partners_with,\n\
         Cooperativa Sabiá,Mercado Central,hugs,\n",
        ids[1], ids[0]
    );
    let r = upload(&app, "/api/v1/relations/import?dry_run=true", Some(&organizer), file.clone().into_bytes()).await;
    assert_eq!((r.status, r.body["imported"].as_u64()), (StatusCode::OK, Some(2)), "{}", r.text);
    assert_eq!(r.lines(), vec![4, 5, 6]);
    assert_eq!(app.get(&format!("/api/v1/actors/{}", ids[0]), Some(&organizer)).await.body["relations"].as_array().unwrap().len(), 1);
    let r = upload(&app, "/api/v1/relations/import", Some(&organizer), file.into_bytes()).await;
    assert_eq!(r.body["imported"], 2, "{}", r.text);
    let r = app.get(&format!("/api/v1/actors/{}", ids[0]), Some(&organizer)).await;
    let mut kinds: Vec<_> = r.body["relations"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap().to_string()).collect();
    kinds.sort();
    assert_eq!(kinds, vec!["buys_from", "partners_with", "supplies"]);
    let r = app.get(&format!("/api/v1/network/path?from={}&to={}", ids[0], ids[1]), Some(&organizer)).await;
    assert_eq!(r.status, StatusCode::OK, "the graph in memory sees imported relations");
}

/// Counts the elements named `name` in an XML document, failing on malformed XML.
fn count_elements(xml: &str, name: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut n = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) if e.name().as_ref() == name.as_bytes() => n += 1,
            quick_xml::events::Event::Eof => return n,
            _ => {}
        }
    }
}

/// A description that is a spreadsheet formula, with markup and quotes for the XML exports.
const HOSTILE_CELL: &str = "=HYPERLINK(\"http://evil.example\",\"Uses <b>&</b> quotes\")";

#[tokio::test]
async fn exports_open_as_xml_csv_and_json_with_the_right_counts() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = small_graph(&app, &organizer).await;
    app.call(
        Method::PATCH,
        &format!("/api/v1/actors/{}", ids[0]),
        Some(&organizer),
        Some(json!({"description": HOSTILE_CELL, "phone": "+55 51 3333-0000"})),
    )
    .await;
    let r = app.get("/api/v1/network/export?format=graphml", Some(&organizer)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-disposition"].to_str().unwrap().contains("mutirao-network.graphml"));
    assert_eq!((count_elements(&r.text, "node"), count_elements(&r.text, "edge")), (6, 4));
    let r = app.get("/api/v1/network/export?format=gexf", Some(&organizer)).await;
    assert_eq!((count_elements(&r.text, "node"), count_elements(&r.text, "edge")), (6, 4));
    let r = app.get("/api/v1/network/export?format=json", Some(&organizer)).await;
    assert_eq!((r.body["actors"].as_array().unwrap().len(), r.body["relations"].as_array().unwrap().len()), (6, 4));

    // The CSV exports import again into an empty network, relations included.
    let actors_csv = app.get("/api/v1/network/export?format=csv", Some(&organizer)).await.text;
    let relations_csv = app.get("/api/v1/network/export?format=csv&table=relations", Some(&organizer)).await.text;
    let other = TestApp::new().await;
    let admin = other.as_role("a@example.org", &[Role::Admin]).await;
    // A spreadsheet opening the file shows a formula as text (OWASP's CSV injection).
    let cells: Vec<String> = csv::Reader::from_reader(actors_csv.as_bytes())
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect();
    assert!(cells.contains(&format!("'{HOSTILE_CELL}")) && cells.contains(&"'+55 51 3333-0000".to_string()), "{actors_csv}");
    assert!(cells.iter().all(|c| !c.starts_with(['=', '+', '-', '@'])), "{actors_csv}");
    let r = upload(&other, "/api/v1/actors/import", Some(&admin), actors_csv.into_bytes()).await;
    assert_eq!((r.body["imported"].as_u64(), r.lines().len()), (Some(6), 0), "{}", r.text);
    let back = other.get("/api/v1/network/export?format=json", Some(&admin)).await;
    let imported = back.body["actors"].as_array().unwrap().iter().find(|a| a["description"] == HOSTILE_CELL);
    assert_eq!(imported.map(|a| a["phone"].clone()), Some(json!("+55 51 3333-0000")), "read back as written: {}", back.text);
    // The relations file names actors by their ids in the first network; their names resolve them here.
    let by_name = relations_csv.replace("from,from_name,to,to_name", "from_id,from,to_id,to");
    let r = upload(&other, "/api/v1/relations/import", Some(&admin), by_name.into_bytes()).await;
    assert_eq!((r.body["imported"].as_u64(), r.lines().len()), (Some(4), 0), "{}", r.text);

    let r = app.get("/api/v1/network/export?format=graphml&kind=ngo&state=RS", Some(&organizer)).await;
    assert_eq!(count_elements(&r.text, "node"), 0, "a filter applies to exports");
    let r = app.get("/api/v1/network/export?format=pdf", Some(&organizer)).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("format")));
    assert_eq!(app.get("/api/v1/network/export", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn matching_ranks_buyers_with_reasons() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Coop Mel", "kind": "cooperative", "state": "RS", "products": ["mel", "feijão"]}),
            json!({"name": "Mercado Vizinho", "kind": "retailer", "state": "SC", "products": ["mel", "feijao"]}),
            json!({"name": "Indústria Local", "kind": "food_industry", "state": "RS", "products": ["mel"]}),
            json!({"name": "Prefeitura de Ipê", "kind": "municipality", "state": "RS"}),
            json!({"name": "Mercado Distante", "kind": "retailer", "state": "BA", "products": ["café"]}),
            json!({"name": "Coop Orgânica", "kind": "cooperative", "state": "SC", "organic_status": "certified_audit"}),
            json!({"name": "Mercado Atual", "kind": "retailer", "state": "RS", "products": ["mel"]}),
        ],
    )
    .await;
    relate(&app, &organizer, &ids[5], &ids[1], "supplies").await;
    relate(&app, &organizer, &ids[0], &ids[6], "supplies").await;
    let member = app.as_role("m@example.org", &[Role::Member]).await;
    let r = app.get(&format!("/api/v1/actors/{}/matches", ids[0]), Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let got: Vec<(String, f64)> =
        r.body.as_array().unwrap().iter().map(|m| (m["name"].as_str().unwrap().to_string(), m["score"].as_f64().unwrap())).collect();
    assert_eq!(
        got,
        vec![("Mercado Vizinho".to_string(), 22.5), ("Indústria Local".to_string(), 13.0), ("Prefeitura de Ipê".to_string(), 5.0)],
        "two products + a neighbour + one organic supplier; one product + the same state; public procurement + the same state; \
         the distant buyer has nothing in common and the current buyer is left out"
    );
    assert_eq!(
        r.body[0]["reasons"],
        json!(["buys mel, feijão too", "in a neighbouring state (SC)", "already buys from an organic producer"])
    );
    let r = app.get(&format!("/api/v1/actors/{}/matches", ids[1]), Some(&member)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a retailer is not matched with buyers");
    assert_eq!(app.get("/api/v1/actors/nobody/matches", Some(&member)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/actors/{}/matches", ids[0]), None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn meetings_are_recorded_by_those_who_may() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Coop Mel", "kind": "cooperative"}),
            json!({"name": "Mercado", "kind": "retailer"}),
            json!({"name": "ONG", "kind": "ngo"}),
        ],
    )
    .await;
    app.user("m@example.org", &[Role::Member], vec![ids[0].clone()]).await;
    let member = app.login("m@example.org").await;
    let other = app.as_role("o@example.org", &[Role::Member]).await;
    let body = json!({"producer": ids[0], "buyer": ids[1], "reasons": ["buys mel too"], "date": "2026-12-03"});
    assert_eq!(app.post("/api/v1/meetings", Some(&other), body.clone()).await.status, StatusCode::FORBIDDEN);
    let r = app.post("/api/v1/meetings", Some(&member), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["buyer"]["name"].as_str()), (Some("proposed"), Some("Mercado")));
    assert_eq!(r.body["reasons"], json!(["buys mel too"]));
    let r = app.post("/api/v1/meetings", Some(&organizer), json!({"producer": ids[0], "buyer": ids[2]})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("buyer")), "an NGO is not a buyer");
    let r = app.post("/api/v1/meetings", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1], "status": "maybe"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("status")));
    let r = app.post("/api/v1/meetings", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1], "date": "2026-02-30"})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("date")));
    let r = app.get(&format!("/api/v1/meetings?actor={}", ids[1]), Some(&other)).await;
    assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.text);
    assert_eq!(app.get("/api/v1/meetings", None).await.status, StatusCode::UNAUTHORIZED);

    // How it went: recorded by a member of either organisation or a steward, not by others.
    let id = r.body[0]["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/meetings/{id}");
    let outcome =
        json!({"status": "held", "date": "2026-12-04", "attendees": ["Ana", "Rui"], "outcome": "Samples sent", "next_steps": "Price list"});
    assert_eq!(app.call(Method::PATCH, &uri, Some(&other), Some(outcome.clone())).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::PATCH, &uri, None, Some(outcome.clone())).await.status, StatusCode::UNAUTHORIZED);
    let r = app.call(Method::PATCH, &uri, Some(&member), Some(outcome)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.body["status"].as_str(), r.body["date"].as_str()), (Some("held"), Some("2026-12-04")));
    assert_eq!((r.body["attendees"].clone(), r.body["reasons"].clone()), (json!(["Ana", "Rui"]), json!(["buys mel too"])));
    let r = app.call(Method::PATCH, &uri, Some(&organizer), Some(json!({"status": "postponed"}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("status")));
    let r = app.call(Method::PATCH, &uri, Some(&organizer), Some(json!({"buyer": ids[2]}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("buyer")));
    let r = app.get(&format!("/api/v1/meetings?actor={}", ids[0]), Some(&other)).await;
    assert_eq!(
        (r.body[0]["outcome"].as_str(), r.body[0]["next_steps"].as_str()),
        (Some("Samples sent"), Some("Price list")),
        "nothing lost"
    );
    let r = app.call(Method::PATCH, "/api/v1/meetings/nothing", Some(&organizer), Some(json!({"status": "held"}))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn alliances_carry_an_agreement_and_move_forward() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(
        &app,
        &organizer,
        &[
            json!({"name": "Coop Mel", "kind": "cooperative"}),
            json!({"name": "Mercado", "kind": "retailer"}),
            json!({"name": "Outra Coop", "kind": "cooperative"}),
        ],
    )
    .await;
    app.user("m@example.org", &[Role::Member], vec![ids[0].clone()]).await;
    let member = app.login("m@example.org").await;
    let r = app
        .post(
            "/api/v1/alliances",
            Some(&member),
            json!({"producer": ids[0], "buyer": ids[1], "products": "Mel orgânico, potes de 500 g", "quantity": "200 kg/mês",
                   "payment": "30 dias; preço do mercado orgânico menos 10 %", "buyer_contribution": "Assistência técnica em embalagem",
                   "business_plan": "## Plano\n\nVender **mel**."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["status"], "prospect");
    let id = r.body["id"].as_str().unwrap().to_string();
    let again = app.post("/api/v1/alliances", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1]})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let r = app.post("/api/v1/alliances", Some(&organizer), json!({"producer": ids[0], "buyer": ids[2]})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("buyer")));

    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/alliances/{id}"),
            Some(&member),
            Some(json!({"status": "agreement_signed", "quantity": "300 kg/mês"})),
        )
        .await;
    assert_eq!((r.status, r.body["quantity"].as_str()), (StatusCode::OK, Some("300 kg/mês")), "{}", r.text);
    let r = app.call(Method::PATCH, &format!("/api/v1/alliances/{id}"), Some(&member), Some(json!({"status": "negotiating"}))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no going back");
    let r = app.call(Method::PATCH, &format!("/api/v1/alliances/{id}"), Some(&member), Some(json!({"buyer": ids[2]}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("buyer")));
    let outsider = app.as_role("x@example.org", &[Role::Member]).await;
    let r = app.call(Method::PATCH, &format!("/api/v1/alliances/{id}"), Some(&outsider), Some(json!({"status": "active"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // An alliance is an edge of its own kind in the network, and trade for the gap reports.
    let r = app.get("/api/v1/network", Some(&outsider)).await;
    assert_eq!(r.body["edges"], json!([{"id": id, "from": ids[0], "to": ids[1], "kind": "alliance"}]));
    let r = app.get(&format!("/api/v1/actors/{}/neighbors", ids[1]), Some(&outsider)).await;
    assert_eq!(r.body["edges"][0]["kind"], "alliance");
    let gaps = app.get("/api/v1/network/gaps", Some(&outsider)).await;
    let without_buyer = gaps.body["reports"].as_array().unwrap().iter().find(|x| x["name"] == "producers_without_buyer").unwrap().clone();
    assert_eq!(names(&without_buyer["actors"]), vec!["Outra Coop"]);
    let r = app.get(&format!("/api/v1/alliances?actor={}", ids[1]), Some(&outsider)).await;
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    assert_eq!(app.get("/api/v1/alliances/nothing", Some(&outsider)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn people_keep_personal_details_private_and_need_consent_for_gender_and_age() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids =
        actors(&app, &organizer, &[json!({"name": "Coop Mel", "kind": "cooperative"}), json!({"name": "Mercado", "kind": "retailer"})])
            .await;
    app.user("m@example.org", &[Role::Member], vec![ids[0].clone()]).await;
    let member = app.login("m@example.org").await;
    let other = app.as_role("o@example.org", &[Role::Member]).await;

    let body = json!({"name": "Joana Silva", "email": "joana@example.org", "actors": [{"actor_id": ids[0], "role": "Presidenta"}],
                      "gender": "woman", "age_band": "18_29"});
    let r = app.post("/api/v1/people", Some(&member), body.clone()).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("gender")), "no gender without consent");
    let mut with_consent = body.clone();
    with_consent["consent"] = json!(true);
    let r = app.post("/api/v1/people", Some(&member), with_consent).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["actors"], json!([{"id": ids[0], "name": "Coop Mel", "role": "Presidenta"}]));
    let r = app.post("/api/v1/people", Some(&member), json!({"name": "Pedro", "actors": [{"actor_id": ids[1]}]})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "not for another's organisation");

    let seen = app.get(&format!("/api/v1/people/{id}"), Some(&other)).await;
    assert_eq!(
        (seen.body["name"].as_str(), seen.body["email"].clone(), seen.body["gender"].clone()),
        (Some("Joana Silva"), json!(null), json!(null))
    );
    let seen = app.get(&format!("/api/v1/people/{id}"), Some(&organizer)).await;
    assert_eq!(
        (seen.body["email"].as_str(), seen.body["gender"].as_str(), seen.body["age_band"].as_str()),
        (Some("joana@example.org"), Some("woman"), Some("18_29"))
    );

    let r = app.call(Method::PATCH, &format!("/api/v1/people/{id}"), Some(&member), Some(json!({"consent": false}))).await;
    assert_eq!((r.status, r.body["gender"].clone(), r.body["consent"].as_bool()), (StatusCode::OK, json!(null), Some(false)), "{}", r.text);
    let r = app.call(Method::PATCH, &format!("/api/v1/people/{id}"), Some(&other), Some(json!({"name": "X"}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let profile = app.get(&format!("/api/v1/actors/{}", ids[0]), Some(&other)).await;
    assert_eq!(profile.body["people"], json!([{"id": id, "name": "Joana Silva", "role": "Presidenta"}]));
    let list = app.get(&format!("/api/v1/people?actor={}&q=joana", ids[0]), Some(&organizer)).await;
    assert_eq!(list.body["total"], 1, "{}", list.text);
    let r = app.post("/api/v1/people", Some(&organizer), json!({"name": "Ana", "actors": [{"actor_id": "nobody"}]})).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("actors")), "{}", r.text);

    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&other), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&member), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/people/{id}"), Some(&organizer)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/actors/{}", ids[0]), Some(&other)).await.body["people"], json!([]));
    assert_eq!(app.get("/api/v1/people", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn only_stewards_link_a_person_to_a_user_account() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids = actors(&app, &organizer, &[json!({"name": "Coop Mel", "kind": "cooperative"})]).await;
    let member_id = app.user("m@example.org", &[Role::Member], vec![ids[0].clone()]).await;
    let member = app.login("m@example.org").await;
    let joana_id = app.user("joana@example.org", &[Role::Member], vec![]).await;
    let body = json!({"name": "Joana Silva", "email": "joana.silva@example.org", "actors": [{"actor_id": ids[0], "role": "Presidenta"}]});

    // A member records the people of their cooperative, but a link to an account shows that
    // account the person's details, so they may not make one (to their own or anyone's).
    let mut linked = body.clone();
    linked["user_id"] = json!(member_id);
    assert_eq!(app.post("/api/v1/people", Some(&member), linked).await.status, StatusCode::FORBIDDEN);
    let r = app.post("/api/v1/people", Some(&member), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_string();
    let person = format!("/api/v1/people/{id}");
    let r = app.call(Method::PATCH, &person, Some(&member), Some(json!({"user_id": member_id}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(app.get(&person, Some(&member)).await.body["email"], json!(null));

    // An organiser links her to her account: she then sees and changes her own details.
    let r = app.call(Method::PATCH, &person, Some(&organizer), Some(json!({"user_id": "nobody"}))).await;
    assert_eq!((r.status, r.error_field()), (StatusCode::BAD_REQUEST, Some("user_id")), "{}", r.text);
    let r = app.call(Method::PATCH, &person, Some(&organizer), Some(json!({"user_id": joana_id}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.body["user_id"].as_str(), r.body["user_email"].as_str()), (Some(joana_id.as_str()), Some("joana@example.org")));
    let joana = app.login("joana@example.org").await;
    assert_eq!(app.get(&person, Some(&joana)).await.body["email"], "joana.silva@example.org");
    let r = app.call(Method::PATCH, &person, Some(&joana), Some(json!({"phone": "+55 51 3333-0000"}))).await;
    assert_eq!((r.status, r.body["phone"].as_str()), (StatusCode::OK, Some("+55 51 3333-0000")), "{}", r.text);
    let r = app.call(Method::PATCH, &person, Some(&joana), Some(json!({"user_id": null}))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "unlinking is the stewards' too");
    // Others see that there is a link, not the account's email.
    let seen = app.get(&person, Some(&member)).await;
    assert_eq!((seen.body["user_id"].as_str(), seen.body["user_email"].clone()), (Some(joana_id.as_str()), json!(null)));
}

#[tokio::test]
async fn the_public_directory_lists_only_public_actors_without_contacts() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    actors(
        &app,
        &organizer,
        &[
            json!({"name": "Cooperativa Pública", "kind": "cooperative", "visibility": "public", "email": "coop@example.org", "products": ["mel"]}),
            json!({"name": "Cooperativa Reservada", "kind": "cooperative", "products": ["mel"]}),
        ],
    )
    .await;
    let r = app.get("/api/v1/public/actors?q=mel", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(names(&r.body["items"]), vec!["Cooperativa Pública"]);
    assert_eq!(r.body["items"][0]["email"], serde_json::Value::Null, "no contact details without login");
    assert_eq!(r.body["total"], 1);
    let r = app.get("/api/v1/actors?q=mel", Some(&organizer)).await;
    assert_eq!(r.body["total"], 2, "members see the whole network");
}

/// An import with thousands of bad rows still leaves its report for the import page (the rows
/// shown are cut to what the page keeps; all are counted).
#[tokio::test]
async fn a_long_import_report_is_kept_for_the_page() {
    let app = TestApp::new().await;
    app.user("steward@example.org", &[Role::Organizer], vec![]).await;
    let cookie = app.login("steward@example.org").await;
    let csv: String = std::iter::once("name,kind\n".to_string())
        .chain((0..2000).map(|i| format!("Organisation number {i} with a long name,a kind nobody has heard of {i}\n")))
        .collect();
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"table\"\r\n\r\nactors\r\n--XyZ\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\nfalse\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"many.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--XyZ--\r\n"
    );
    let req = axum::http::Request::post("/network/import/upload")
        .header("cookie", &cookie)
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let token = app.state.ports.accounts.login("steward@example.org", common::PASSWORD, "test").await.unwrap().session_token;
    let caller = app.state.ports.accounts.authenticate(&token).await.unwrap().unwrap();
    let kept = app.state.ports.accounts.take_input(&caller, "/network/import").await.unwrap().expect("the report is kept");
    let field = |name: &str| kept.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(field("errors_total"), "2000");
    let report: serde_json::Value = serde_json::from_str(&field("report")).unwrap();
    let shown = report["errors"].as_array().unwrap();
    assert!(!shown.is_empty() && shown.len() < 2000, "{} rows shown", shown.len());
    assert_eq!(shown[0]["line"], 2);
}

/// Six people changing six different fields of one actor at once all have their change (each is
/// applied to the revision it lands on); a change made from an older revision named in
/// `If-Match` is refused with 412 and writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_edits_of_an_actor_all_land_and_a_stale_if_match_is_refused() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let id = actors(&app, &organizer, &[json!({"name": "Cooperativa Simultânea", "kind": "cooperative"})]).await.remove(0);
    let uri = format!("/api/v1/actors/{id}");
    let fields = [
        ("description", json!("Honey and rice.")),
        ("municipality", json!("Chapecó")),
        ("website", json!("https://coop.example.org")),
        ("state", json!("SC")),
        ("tags", json!(["mel"])),
        ("members", json!(120)),
    ];
    let edits: Vec<_> = fields
        .iter()
        .map(|(field, value)| {
            let (router, cookie, uri) = (app.router.clone(), organizer.clone(), uri.clone());
            let body = serde_json::Value::Object(std::iter::once((field.to_string(), value.clone())).collect()).to_string();
            tokio::spawn(async move {
                let req = axum::http::Request::patch(uri)
                    .header("cookie", cookie)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body))
                    .unwrap();
                tower::ServiceExt::oneshot(router, req).await.unwrap().status()
            })
        })
        .collect();
    for e in edits {
        assert_eq!(e.await.unwrap(), StatusCode::OK);
    }
    let r = app.get(&uri, Some(&organizer)).await;
    for (field, value) in &fields {
        assert_eq!(&r.body[*field], value, "{field} was lost: {}", r.text);
    }
    assert_eq!(r.body["revision"], 6);
    assert_eq!(r.headers["etag"], "\"6\"");
    let history = app.get(&format!("{uri}/history"), Some(&organizer)).await;
    assert_eq!(history.body["total"], 7, "six changes and the creation");

    let stale = axum::http::Request::patch(uri.as_str())
        .header("cookie", organizer.as_str())
        .header("content-type", "application/json")
        .header("if-match", "\"5\"")
        .body(axum::body::Body::from(json!({"description": "Overwritten?"}).to_string()))
        .unwrap();
    let r = app.send(stale).await;
    assert_eq!((r.status, r.error_code()), (StatusCode::PRECONDITION_FAILED, "precondition_failed"), "{}", r.text);
    assert_eq!(app.get(&uri, Some(&organizer)).await.body["description"], "Honey and rice.");
    let fresh = axum::http::Request::patch(uri.as_str())
        .header("cookie", organizer.as_str())
        .header("content-type", "application/json")
        .header("if-match", "\"6\"")
        .body(axum::body::Body::from(json!({"description": "Honey, rice and beans."}).to_string()))
        .unwrap();
    let r = app.send(fresh).await;
    assert_eq!((r.status, r.headers["etag"].to_str().unwrap()), (StatusCode::OK, "\"7\""), "{}", r.text);
}

/// Profiles edited while a CSV import of 600 rows writes its batches (the same table, its
/// search index and its counters): every edit acknowledged is there afterwards, each profile has
/// one revision per edit, and the import wrote all its rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn profile_edits_during_an_import_lose_nothing() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let list: Vec<_> = (0..2).map(|i| json!({"name": format!("Cooperativa Editada {i}"), "kind": "cooperative"})).collect();
    let ids = actors(&app, &organizer, &list).await;
    let csv: String = std::iter::once("name,kind,state,tags\n".to_string())
        .chain((0..600).map(|i| format!("Importada durante as edições {i},cooperative,PR,lote\n")))
        .collect();
    let importing = Arc::new(AtomicBool::new(true));
    let import = {
        let (router, cookie, importing) = (app.router.clone(), organizer.clone(), importing.clone());
        tokio::spawn(async move {
            let req = axum::http::Request::post("/api/v1/actors/import")
                .header("cookie", cookie)
                .header("content-type", "text/csv")
                .body(axum::body::Body::from(csv))
                .unwrap();
            let r = tower::ServiceExt::oneshot(router, req).await.unwrap();
            let status = r.status();
            let body = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
            importing.store(false, Ordering::SeqCst);
            (status, serde_json::from_slice::<serde_json::Value>(&body).unwrap())
        })
    };
    // Each profile is edited again and again until the import is done (at least three times).
    let editors: Vec<_> = ids
        .iter()
        .map(|id| {
            let (router, cookie, uri, importing) =
                (app.router.clone(), organizer.clone(), format!("/api/v1/actors/{id}"), importing.clone());
            tokio::spawn(async move {
                let (mut edits, mut during) = (0, 0);
                while edits < 3 || importing.load(Ordering::SeqCst) {
                    let was_importing = importing.load(Ordering::SeqCst);
                    edits += 1;
                    let body = json!({"description": format!("Edit number {edits}"), "members": edits}).to_string();
                    let req = axum::http::Request::patch(uri.as_str())
                        .header("cookie", cookie.as_str())
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body))
                        .unwrap();
                    let status = tower::ServiceExt::oneshot(router.clone(), req).await.unwrap().status();
                    assert_eq!(status, StatusCode::OK, "edit {edits} of {uri}");
                    if was_importing && importing.load(Ordering::SeqCst) {
                        during += 1;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(25)).await;
                }
                (edits, during)
            })
        })
        .collect();
    let (status, report) = import.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], 600, "{report}");
    let mut during_import = 0;
    for (id, editor) in ids.iter().zip(editors) {
        let (edits, during) = editor.await.unwrap();
        during_import += during;
        let r = app.get(&format!("/api/v1/actors/{id}"), Some(&organizer)).await;
        assert_eq!(r.body["description"], format!("Edit number {edits}"), "the last edit of {id} is there");
        assert_eq!(r.body["members"], edits);
        assert_eq!(r.body["revision"], edits, "one revision per edit of {id}");
    }
    assert!(during_import > 0, "some edits were made while the import ran");
    eprintln!("{during_import} edits while the import ran");
    let r = app.get("/api/v1/actors?tag=lote&per_page=1", Some(&organizer)).await;
    assert_eq!(r.body["total"], 600);
}

/// Sends PATCHes of one record at once (each with its own `If-Match`, when given) and gives their
/// statuses in the order given.
async fn patch_at_once(app: &TestApp, cookie: &str, uri: &str, patches: Vec<(serde_json::Value, Option<&str>)>) -> Vec<StatusCode> {
    let sent: Vec<_> = patches
        .into_iter()
        .map(|(body, if_match)| {
            let mut req = axum::http::Request::patch(uri).header("cookie", cookie).header("content-type", "application/json");
            if let Some(tag) = if_match {
                req = req.header("if-match", tag);
            }
            let (router, req) = (app.router.clone(), req.body(axum::body::Body::from(body.to_string())).unwrap());
            tokio::spawn(async move { tower::ServiceExt::oneshot(router, req).await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for s in sent {
        statuses.push(s.await.unwrap());
    }
    statuses
}

/// Two stage changes of one alliance from the same revision named in `If-Match`: exactly one
/// wins. Without it, the stage rule is judged from where the other left the alliance, so it
/// never moves back, whichever lands first.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_alliance_moves_never_go_back_and_with_if_match_one_wins() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids =
        actors(&app, &organizer, &[json!({"name": "Coop Mel", "kind": "cooperative"}), json!({"name": "Mercado", "kind": "retailer"})])
            .await;
    let r = app.post("/api/v1/alliances", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1]})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let uri = format!("/api/v1/alliances/{}", r.body["id"].as_str().unwrap());
    let tag = app.get(&uri, Some(&organizer)).await.headers["etag"].to_str().unwrap().to_string();
    assert_eq!(tag, "\"0\"");
    let mut statuses = patch_at_once(
        &app,
        &organizer,
        &uri,
        vec![(json!({"status": "negotiating"}), Some(tag.as_str())), (json!({"status": "ended"}), Some(tag.as_str()))],
    )
    .await;
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::PRECONDITION_FAILED]);
    let now = app.get(&uri, Some(&organizer)).await;
    assert_eq!(now.body["revision"], 1, "{}", now.text);

    let r = app.post("/api/v1/alliances", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1]})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one alliance per pair");
    // A second pair, moved forward and back at once without If-Match.
    let ids =
        actors(&app, &organizer, &[json!({"name": "Coop Arroz", "kind": "cooperative"}), json!({"name": "Empório", "kind": "retailer"})])
            .await;
    let r = app.post("/api/v1/alliances", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1]})).await;
    let uri = format!("/api/v1/alliances/{}", r.body["id"].as_str().unwrap());
    let statuses =
        patch_at_once(&app, &organizer, &uri, vec![(json!({"status": "active"}), None), (json!({"status": "meeting_held"}), None)]).await;
    assert_eq!(statuses[0], StatusCode::OK);
    assert!(matches!(statuses[1], StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY), "{statuses:?}");
    assert_eq!(app.get(&uri, Some(&organizer)).await.body["status"], "active", "never back from active");
}

/// A person and a meeting changed from a revision that moved on, named in `If-Match`: 412.
#[tokio::test]
async fn stale_changes_of_people_and_meetings_are_refused() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ids =
        actors(&app, &organizer, &[json!({"name": "Coop Mel", "kind": "cooperative"}), json!({"name": "Mercado", "kind": "retailer"})])
            .await;
    let person = app.post("/api/v1/people", Some(&organizer), json!({"name": "Joana", "actors": [{"actor_id": ids[0]}]})).await;
    let meeting = app.post("/api/v1/meetings", Some(&organizer), json!({"producer": ids[0], "buyer": ids[1]})).await;
    for (uri, change) in [
        (format!("/api/v1/people/{}", person.body["id"].as_str().unwrap()), json!({"phone": "+55 51 3333-0000"})),
        (format!("/api/v1/meetings/{}", meeting.body["id"].as_str().unwrap()), json!({"outcome": "Samples sent"})),
    ] {
        assert_eq!(patch_at_once(&app, &organizer, &uri, vec![(change.clone(), Some("\"0\""))]).await, vec![StatusCode::OK], "{uri}");
        assert_eq!(
            patch_at_once(&app, &organizer, &uri, vec![(change.clone(), Some("\"0\""))]).await,
            vec![StatusCode::PRECONDITION_FAILED]
        );
        assert_eq!(patch_at_once(&app, &organizer, &uri, vec![(change, Some("W/\"1\""))]).await, vec![StatusCode::OK]);
        let r = app.call(Method::PATCH, &uri, Some(&organizer), Some(json!({}))).await;
        assert_eq!(r.headers["etag"], "\"1\"", "{uri}: a change that changes nothing is no new revision: {}", r.text);
    }
}

/// Actors created and related many at a time all land: a race over the graph's generation or a
/// full-text index is tried again, never a 500 (sixty creations, twenty at a time, then thirty
/// relations at once).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_creations_and_relations_all_land() {
    let app = TestApp::new().await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let send = |uri: &'static str, body: serde_json::Value| {
        let (router, cookie) = (app.router.clone(), organizer.clone());
        tokio::spawn(async move {
            let req = axum::http::Request::post(uri)
                .header("cookie", cookie)
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            let res = tower::ServiceExt::oneshot(router, req).await.unwrap();
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
            (status, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default())
        })
    };
    let mut ids = Vec::new();
    for round in 0..3 {
        let sent: Vec<_> = (0..20)
            .map(|i| send("/api/v1/actors", json!({"name": format!("Cooperativa {round}-{i}"), "kind": "cooperative", "state": "RS"})))
            .collect();
        for s in sent {
            let (status, body) = s.await.unwrap();
            assert_eq!(status, StatusCode::CREATED, "{body}");
            ids.push(body["id"].as_str().unwrap().to_string());
        }
    }
    let sent: Vec<_> = (0..30).map(|i| send("/api/v1/relations", json!({"from": ids[i], "to": ids[i + 30], "kind": "supplies"}))).collect();
    for s in sent {
        let (status, body) = s.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let graph = app.get("/api/v1/network", Some(&organizer)).await;
    assert_eq!(
        (graph.body["nodes"].as_array().map(Vec::len), graph.body["edges"].as_array().map(Vec::len)),
        (Some(60), Some(30)),
        "the graph shows every write"
    );
}

/// An admin erases a person's personal data (LGPD): their name, contacts, gender, age band and
/// account link go; the record stays with the organisation it represented. Only admins may.
#[tokio::test]
async fn an_admin_erases_a_persons_personal_data() {
    let app = TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let organizer = app.as_role("org@example.org", &[Role::Organizer]).await;
    let ana_id = app.user("ana@example.org", &[Role::Member], vec![]).await;
    let ana = app.login("ana@example.org").await;
    let coop = actors(&app, &admin, &[json!({"name": "Cooperativa Esquecida", "kind": "cooperative"})]).await.remove(0);
    let person = json!({"name": "Ana Esquecida", "email": "ana.e@example.org", "phone": "+55 51 3333-0000", "consent": true,
                        "gender": "woman", "age_band": "30_59", "user_id": ana_id, "actors": [{"actor_id": coop, "role": "Presidenta"}]});
    let id = app.post("/api/v1/people", Some(&admin), person).await.body["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/people/{id}/erase");
    assert_eq!(app.post(&uri, Some(&organizer), json!({})).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&uri, Some(&admin), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let seen = app.get(&format!("/api/v1/people/{id}"), Some(&admin)).await.body;
    assert_eq!(
        (seen["name"].as_str(), &seen["email"], &seen["phone"], &seen["gender"], &seen["age_band"], &seen["user_id"]),
        (Some("(personal data erased)"), &json!(null), &json!(null), &json!(null), &json!(null), &json!(null)),
        "{seen}"
    );
    assert_eq!(seen["actors"][0]["role"], "Presidenta", "the organisation's record stays");
    let list = app.get("/api/v1/people?q=esquecida", Some(&admin)).await;
    assert_eq!(list.body["total"], 0, "the name is gone from searches");
    assert_eq!(app.get("/api/v1/me/export", Some(&ana)).await.body["people"], json!([]), "no longer linked to the account");
}
