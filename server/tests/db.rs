//! Persistence: migrations, durability on the on-disk engine, sessions shared between
//! processes, transactions, the demo loader.

mod common;

use server::{
    config::{DbConfig, ServeConfig},
    db, demo, AppState,
};
use shared::{accounts::ValidNewUser, Role};

fn on_disk(dir: &std::path::Path) -> DbConfig {
    DbConfig { url: format!("surrealkv://{}", dir.join("db").display()), ..DbConfig::memory() }
}

fn user(email: &str) -> ValidNewUser {
    ValidNewUser {
        email: email.into(),
        name: "Ana".into(),
        roles: vec![Role::Admin],
        password: Some(common::PASSWORD.into()),
        actor_ids: vec![],
    }
}

#[tokio::test]
async fn data_survives_a_restart_on_disk_and_migrations_run_once() {
    let dir = tempfile::tempdir().unwrap();
    let token = {
        let state = open(&on_disk(dir.path())).await;
        state.accounts.insert_user(user("ana@example.org"), None).await.unwrap();
        let outcome = state.ports.accounts.login("ana@example.org", common::PASSWORD, "test").await.unwrap();
        outcome.session_token
        // The state, and with it the database, is dropped here: a clean stop.
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let state = open(&on_disk(dir.path())).await;
    let caller = state.ports.accounts.authenticate(&token).await.unwrap().expect("the session survived the restart");
    assert_eq!(caller.email, "ana@example.org");
    let versions: Vec<i64> = state.db.query("SELECT VALUE version FROM migration ORDER BY version").await.unwrap().take(0).unwrap();
    assert_eq!(versions, db::MIGRATIONS.iter().map(|m| i64::from(m.0)).collect::<Vec<_>>());
    db::migrate(&state.db).await.expect("migrating again is a no-op");
}

#[tokio::test]
async fn sessions_are_shared_by_processes_on_one_database() {
    let a = open(&DbConfig::memory()).await;
    // A second server process on the same database: same data, its own services.
    let b = AppState::with_db(a.db.clone(), &ServeConfig::default());
    a.accounts.insert_user(user("ana@example.org"), None).await.unwrap();
    let token = a.ports.accounts.login("ana@example.org", common::PASSWORD, "x").await.unwrap().session_token;
    assert!(b.ports.accounts.authenticate(&token).await.unwrap().is_some());
    b.ports.accounts.logout(&token).await.unwrap();
    assert!(a.ports.accounts.authenticate(&token).await.unwrap().is_none());
}

#[tokio::test]
async fn expired_sessions_are_refused() {
    let state = open(&DbConfig::memory()).await;
    state.accounts.insert_user(user("ana@example.org"), None).await.unwrap();
    let token = state.ports.accounts.login("ana@example.org", common::PASSWORD, "x").await.unwrap().session_token;
    state.db.query("UPDATE session SET expires_at = time::now() - 1s").await.unwrap().check().unwrap();
    assert!(state.ports.accounts.authenticate(&token).await.unwrap().is_none());
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let state = open(&DbConfig::memory()).await;
    state.accounts.insert_user(user("ana@example.org"), None).await.unwrap();
    let hash: Option<String> = state.db.query("RETURN (SELECT VALUE password_hash FROM user)[0]").await.unwrap().take(0).unwrap();
    let hash = hash.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(common::PASSWORD));
}

#[tokio::test]
async fn a_failed_multi_record_write_leaves_nothing() {
    let state = open(&DbConfig::memory()).await;
    let mut u = user("ana@example.org");
    u.password = None; // would also write an invitation
    u.actor_ids = vec!["missing".into()];
    let err = state.accounts.insert_user(u, None).await.unwrap_err();
    assert_eq!(err.field(), Some("actor_ids"));
    let n: Option<i64> = state.db.query("count(SELECT id FROM user)").await.unwrap().take(0).unwrap();
    let m: Option<i64> = state.db.query("count(SELECT id FROM invitation)").await.unwrap().take(0).unwrap();
    assert_eq!((n.unwrap_or(0), m.unwrap_or(0)), (0, 0));
}

#[tokio::test]
async fn the_demo_loads_once_into_an_empty_database() {
    let state = open(&DbConfig::memory()).await;
    assert!(demo::load_if_empty(&state).await.unwrap());
    assert!(!demo::load_if_empty(&state).await.unwrap(), "a second start does not load again");
    let actors: Option<i64> = state.db.query("count(SELECT id FROM actor)").await.unwrap().take(0).unwrap();
    assert_eq!(actors.unwrap() as usize, demo::actors().len());
    for account in &demo::ACCOUNTS {
        let outcome = state.ports.accounts.login(account.email, demo::DEMO_PASSWORD, "x").await.unwrap();
        assert_eq!(outcome.user.roles, account.roles.to_vec());
    }
    let member = state.ports.accounts.login("member@example.org", demo::DEMO_PASSWORD, "x").await.unwrap();
    assert_eq!(member.user.actors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), vec![demo::MEMBER_COOPERATIVE]);

    // The recommendations: three released versions, in negotiation, some text bracketed.
    let caller = state.ports.accounts.authenticate(&member.session_token).await.unwrap().unwrap();
    let doc = state.ports.drafting.document(&caller, "recommendations-2026").await.unwrap();
    assert_eq!(doc.status, shared::drafting::DocumentStatus::Negotiation);
    let labels: Vec<String> = state.ports.drafting.versions(&caller, &doc.id).await.unwrap().into_iter().map(|v| v.label).collect();
    assert_eq!(labels, vec!["Zero draft", "Rev.1", "Chair's proposal"]);
    assert!(doc.themes.len() == 3 && doc.themes.iter().all(|t| t.paragraphs.len() >= 8));
    let statuses: Vec<_> = doc.themes.iter().flat_map(|t| t.paragraphs.iter().map(|p| p.status)).collect();
    assert!(
        statuses.contains(&shared::drafting::ParagraphStatus::Bracketed) && statuses.contains(&shared::drafting::ParagraphStatus::Agreed)
    );
    let d = state.ports.drafting.compare(&caller, &doc.id, 1, Some(2)).await.unwrap();
    assert_eq!((d.stats.modified, d.stats.deleted, d.stats.inserted), (3, 1, 1), "{:?}", d.stats);

    // Amendments from five organisations, in every state but one, one of them stale.
    use shared::drafting::amendments::{AmendmentFilter, AmendmentStatus};
    let all = state.ports.amendments.amendments(&caller, &doc.id, AmendmentFilter::default()).await.unwrap();
    let statuses: Vec<AmendmentStatus> = all.iter().map(|a| a.status).collect();
    for s in [AmendmentStatus::Proposed, AmendmentStatus::Accepted, AmendmentStatus::Rejected, AmendmentStatus::Withdrawn] {
        assert!(statuses.contains(&s), "a demo amendment {s:?}: {statuses:?}");
    }
    let actors: std::collections::HashSet<&str> = all.iter().map(|a| a.actor.name.as_str()).collect();
    assert_eq!(actors.len(), 5, "{actors:?}");
    assert!(all.iter().any(|a| a.stances.len() >= 3), "stances on the first amendment");
    let secretariat = state.ports.accounts.login("secretariat@example.org", demo::DEMO_PASSWORD, "x").await.unwrap();
    let secretariat = state.ports.accounts.authenticate(&secretariat.session_token).await.unwrap().unwrap();
    let seen = state.ports.amendments.amendments(&secretariat, &doc.id, AmendmentFilter::default()).await.unwrap();
    assert_eq!(seen.iter().filter(|a| a.stale).count(), 1, "one amendment is stale for the secretariat");
    for email in demo::DEMO_MEMBERS.map(|m| m.0) {
        state.ports.accounts.login(email, demo::DEMO_PASSWORD, "x").await.expect("demo members can log in");
    }
}

#[tokio::test]
async fn a_populated_database_without_users_is_not_mistaken_for_a_demo() {
    let state = open(&DbConfig::memory()).await;
    state.accounts.insert_user(user("ana@example.org"), None).await.unwrap();
    assert!(!demo::load_if_empty(&state).await.unwrap());
    let actors: Option<i64> = state.db.query("count(SELECT id FROM actor)").await.unwrap().take(0).unwrap();
    assert_eq!(actors.unwrap_or(0), 0);
}

async fn open(config: &DbConfig) -> AppState {
    common::init_tracing();
    AppState::open(config, &ServeConfig::default()).await.expect("open the database")
}

#[tokio::test]
async fn the_benchmark_generator_writes_a_consistent_data_set() {
    use server::demo::benchmark::{generate, Scale, SLUG};
    let state = open(&DbConfig::memory()).await;
    let scale = Scale { members: 4, paragraphs: 12, versions: 3, amendments: 20, comments: 40 };
    let done = generate(&state, scale, |_| {}).await.unwrap();
    assert_eq!((done.amendments, done.comments), (20, 40));
    assert!(done.decided >= 1 && done.stances >= 1, "{done:?}");
    let member = state.ports.accounts.login("bench-member-0@example.org", demo::DEMO_PASSWORD, "x").await.unwrap();
    let caller = state.ports.accounts.authenticate(&member.session_token).await.unwrap().unwrap();
    let doc = state.ports.drafting.document(&caller, SLUG).await.unwrap();
    assert_eq!((doc.released, doc.themes.iter().map(|t| t.paragraphs.len()).sum::<usize>() > 8), (3, true));
    assert_eq!(state.ports.drafting.versions(&caller, SLUG).await.unwrap().len(), 3);
    let all = state.ports.amendments.amendments(&caller, SLUG, Default::default()).await.unwrap();
    assert_eq!(all.len(), 20);
    let comments = state.ports.comments.comments(&caller, SLUG, None, None).await.unwrap();
    assert_eq!(comments.len(), 40);
    assert!(comments.iter().any(|c| c.parent_id.is_some()), "some replies");
    let whole = state.ports.amendments.compilation(&caller, SLUG, None).await.unwrap();
    let parts: usize = (0..3).map(|t| whole.outline[t].pending as usize).sum();
    assert_eq!(parts, whole.amendments.len(), "the outline counts every pending amendment");
    let second = state.ports.amendments.compilation(&caller, SLUG, Some(1)).await.unwrap();
    assert_eq!((second.themes.len(), second.theme_offset, second.amendments.len()), (1, 1, whole.outline[1].pending as usize));
}
