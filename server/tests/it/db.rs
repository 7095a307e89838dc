//! Persistence: migrations, durability on the on-disk engine, sessions shared between
//! processes, transactions, the demo loader.

use crate::common;

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
async fn kept_form_input_is_per_user_and_page_taken_once_and_expires() {
    let state = open(&DbConfig::memory()).await;
    state.accounts.insert_user(user("ana@example.org"), None).await.unwrap();
    state.accounts.insert_user(user("bia@example.org"), None).await.unwrap();
    let token = |e: &'static str| {
        let ports = state.ports.clone();
        async move {
            let t = ports.accounts.login(e, common::PASSWORD, "x").await.unwrap().session_token;
            ports.accounts.authenticate(&t).await.unwrap().unwrap()
        }
    };
    let (ana, bia) = (token("ana@example.org").await, token("bia@example.org").await);
    let accounts = &state.ports.accounts;
    let fields = |t: &str| vec![("op".to_string(), "save".to_string()), ("text".to_string(), t.to_string())];
    accounts.keep_input(&ana, "/recommendations/a/edit", fields("first")).await.unwrap();
    // A newer refusal on the same page replaces the older one.
    accounts.keep_input(&ana, "/recommendations/a/edit", fields("Açaí — 第二")).await.unwrap();
    assert_eq!(accounts.take_input(&bia, "/recommendations/a/edit").await.unwrap(), None, "someone else's input is not theirs");
    assert_eq!(accounts.take_input(&ana, "/recommendations/b/edit").await.unwrap(), None, "another page has none");
    assert_eq!(accounts.take_input(&ana, "/recommendations/a/edit").await.unwrap(), Some(fields("Açaí — 第二")));
    assert_eq!(accounts.take_input(&ana, "/recommendations/a/edit").await.unwrap(), None, "shown once");
    // Input older than an hour is not given back.
    accounts.keep_input(&ana, "/recommendations/a/edit", fields("old")).await.unwrap();
    state.db.query("UPDATE kept_input SET created_at = time::now() - 2h").await.unwrap().check().unwrap();
    assert_eq!(accounts.take_input(&ana, "/recommendations/a/edit").await.unwrap(), None);
    // Too much to keep is refused, not stored.
    let huge = "x".repeat(200_000);
    assert!(accounts.keep_input(&ana, "/recommendations/a/edit", fields(&huge)).await.is_err());
    assert_eq!(accounts.take_input(&ana, "/recommendations/a/edit").await.unwrap(), None);
    // Anyone's stale input goes with the next write; a user keeps only their newest forms.
    accounts.keep_input(&bia, "/network/import", fields("bia")).await.unwrap();
    state.db.query("UPDATE kept_input SET created_at = time::now() - 2h").await.unwrap().check().unwrap();
    let max = server::accounts::service::MAX_KEPT_FORMS;
    for i in 0..max + 10 {
        accounts.keep_input(&ana, &format!("/recommendations/p{i}/edit"), fields(&i.to_string())).await.unwrap();
    }
    let kept: Option<i64> = state.db.query("count(SELECT id FROM kept_input)").await.unwrap().take(0).unwrap();
    assert_eq!(kept, Some(max as i64));
    let newest = format!("/recommendations/p{}/edit", max + 9);
    assert_eq!(accounts.take_input(&ana, &newest).await.unwrap(), Some(fields(&(max + 9).to_string())));
    assert_eq!(accounts.take_input(&ana, "/recommendations/p0/edit").await.unwrap(), None, "the oldest made room");
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
    assert_eq!(actors.unwrap() as usize, demo::network::actors(demo::actors()).len());
    let count = |table: &str| format!("count(SELECT id FROM {table})");
    let relations: Option<i64> = state.db.query(count("relation")).await.unwrap().take(0).unwrap();
    assert!((350..=480).contains(&relations.unwrap()), "about 400 relations: {relations:?}");
    let people: Option<i64> = state.db.query(count("person")).await.unwrap().take(0).unwrap();
    assert_eq!(people, Some(60));
    let meetings: Option<i64> = state.db.query(count("meeting")).await.unwrap().take(0).unwrap();
    assert_eq!(meetings, Some(12), "a dozen buyer meetings");
    let alliances: Vec<String> = state.db.query("SELECT VALUE status FROM alliance").await.unwrap().take(0).unwrap();
    assert_eq!(alliances.iter().collect::<std::collections::HashSet<_>>().len(), 5, "five alliances at different stages: {alliances:?}");
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

    // Amendments from five organisations, in every state, one of them stale.
    use shared::drafting::amendments::{AmendmentFilter, AmendmentStatus};
    let all = state.ports.amendments.amendments(&caller, &doc.id, AmendmentFilter::default(), None).await.unwrap().items;
    let statuses: Vec<AmendmentStatus> = all.iter().map(|a| a.status).collect();
    for s in [
        AmendmentStatus::Proposed,
        AmendmentStatus::Accepted,
        AmendmentStatus::AcceptedWithChanges,
        AmendmentStatus::Rejected,
        AmendmentStatus::Superseded,
        AmendmentStatus::Withdrawn,
    ] {
        assert!(statuses.contains(&s), "a demo amendment {s:?}: {statuses:?}");
    }
    let actors: std::collections::HashSet<&str> = all.iter().map(|a| a.actor.name.as_str()).collect();
    assert_eq!(actors.len(), 5, "{actors:?}");
    assert!(all.iter().any(|a| a.stances.len() >= 3), "stances on the first amendment");
    let secretariat = state.ports.accounts.login("secretariat@example.org", demo::DEMO_PASSWORD, "x").await.unwrap();
    let secretariat = state.ports.accounts.authenticate(&secretariat.session_token).await.unwrap().unwrap();
    let seen = state.ports.amendments.amendments(&secretariat, &doc.id, AmendmentFilter::default(), None).await.unwrap().items;
    assert_eq!(seen.iter().filter(|a| a.stale).count(), 1, "one amendment is stale for the secretariat");
    for email in demo::DEMO_MEMBERS.map(|m| m.0) {
        state.ports.accounts.login(email, demo::DEMO_PASSWORD, "x").await.expect("demo members can log in");
    }

    // Comments: threaded, on paragraphs, an amendment and the document; one resolved, one hidden.
    let comments = state.ports.comments.comments(&caller, &doc.id, None, None, None).await.unwrap().items;
    use shared::drafting::comments::CommentTarget;
    for t in [CommentTarget::Paragraph, CommentTarget::Amendment, CommentTarget::Document] {
        assert!(comments.iter().any(|c| c.target == t), "a demo comment on the {t:?}");
    }
    assert!(comments.iter().any(|c| c.parent_id.is_some()), "a reply");
    assert!(comments.iter().any(|c| c.resolved), "a resolved comment");
    let hidden: Vec<_> = comments.iter().filter(|c| c.hidden).collect();
    assert!(hidden.len() == 1 && hidden[0].body.is_none() && hidden[0].hidden_reason.is_some(), "{hidden:?}");

    // An earlier charter, published, readable without a session, with its amendment trail.
    let published = state.ports.drafting.publication("carta-de-chapeco-2025", None).await.unwrap();
    assert_eq!(published.version.number, 2);
    assert!(published.themes[0].paragraphs[0].text.contains("Creole seed"));
    assert_eq!(published.trail_of(&published.themes[0].paragraphs[0].id).len(), 1);
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
    let all = state.ports.amendments.amendments(&caller, SLUG, Default::default(), None).await.unwrap().items;
    assert_eq!(all.len(), 20);
    let comments = state.ports.comments.comments(&caller, SLUG, None, None, None).await.unwrap().items;
    assert_eq!(comments.len(), 40);
    assert!(comments.iter().any(|c| c.parent_id.is_some()), "some replies");
    let whole = state.ports.amendments.compilation(&caller, SLUG, None, 0).await.unwrap();
    let parts: usize = (0..3).map(|t| whole.outline[t].pending as usize).sum();
    assert_eq!(parts, whole.amendments.len(), "the outline counts every pending amendment");
    let second = state.ports.amendments.compilation(&caller, SLUG, Some(1), 0).await.unwrap();
    assert_eq!((second.themes.len(), second.theme_offset, second.amendments.len()), (1, 1, whole.outline[1].pending as usize));
}

#[tokio::test]
async fn a_long_theme_is_compiled_in_parts_of_whole_paragraphs() {
    use server::demo::benchmark::{generate, Scale, SLUG};
    use shared::drafting::compilation::PART_SIZE;
    let state = open(&DbConfig::memory()).await;
    // One member: no stances (the generator has members support each other's amendments), which
    // the compilation's parts do not depend on, so the data takes half the time to write.
    generate(&state, Scale { members: 1, paragraphs: 9, versions: 1, amendments: 450, comments: 0 }, |_| {}).await.unwrap();
    let member = state.ports.accounts.login("bench-member-0@example.org", demo::DEMO_PASSWORD, "x").await.unwrap();
    let caller = state.ports.accounts.authenticate(&member.session_token).await.unwrap().unwrap();
    let whole = state.ports.amendments.compilation(&caller, SLUG, None, 0).await.unwrap();
    let mut split = 0;
    for (t, theme) in whole.outline.iter().enumerate() {
        let first = state.ports.amendments.compilation(&caller, SLUG, Some(t), 0).await.unwrap();
        let paragraphs = whole.themes[t].paragraphs.len();
        assert_eq!(first.parts.iter().map(|p| p.pending).sum::<u32>(), theme.pending);
        assert_eq!(first.parts.last().map(|p| p.end), Some(paragraphs));
        split += usize::from(first.parts.len() > 1);
        let mut shown = Vec::new();
        for (i, part) in first.parts.iter().enumerate() {
            let c = state.ports.amendments.compilation(&caller, SLUG, Some(t), i).await.unwrap();
            assert_eq!(c.part, i);
            assert_eq!(c.themes[0].paragraphs.len(), part.end - part.start);
            assert_eq!(c.amendments.len() as u32, part.pending);
            assert!(part.pending <= PART_SIZE || part.end - part.start == 1);
            let ids: Vec<&str> = c.themes[0].paragraphs.iter().map(|p| p.id.as_str()).collect();
            assert!(c.amendments.iter().all(|a| ids.contains(&a.paragraph_id.as_str())), "only the part's amendments");
            shown.extend(c.themes[0].paragraphs.iter().map(|p| p.id.clone()));
        }
        let all: Vec<String> = whole.themes[t].paragraphs.iter().map(|p| p.id.clone()).collect();
        assert_eq!(shown, all, "the parts show every paragraph of the theme once, in order");
        let beyond = state.ports.amendments.compilation(&caller, SLUG, Some(t), first.parts.len()).await;
        assert!(matches!(beyond, Err(shared::AppError::NotFound(_))), "{beyond:?}");
    }
    assert!(split >= 1, "a theme with more than {PART_SIZE} pending amendments is split: {:?}", whole.outline);
}

#[tokio::test]
async fn the_write_buffer_setting_reaches_the_storage_engine() {
    // A transaction must fit in SurrealKV's memtable: 20 MB fits in a 64 MiB buffer and is
    // refused (cleanly, nothing written) under the default 16 MiB, so the setting sizes it.
    let big = "x".repeat(20_000_000);
    let write = "CREATE blob:one SET body = $body";
    let dir = tempfile::tempdir().unwrap();
    let roomy = db::connect(&DbConfig { write_buffer_mib: 64, ..on_disk(dir.path()) }).await.unwrap();
    roomy.query(write).bind(("body", big.clone())).await.and_then(|r| r.check()).expect("fits in 64 MiB");
    drop(roomy);
    let dir = tempfile::tempdir().unwrap();
    let tight = db::connect(&DbConfig { write_buffer_mib: 16, ..on_disk(dir.path()) }).await.unwrap();
    let refused = tight.query(write).bind(("body", big)).await.and_then(|r| r.check());
    assert!(refused.is_err(), "a 20 MB transaction should not fit in a 16 MiB write buffer");
    let left: Vec<String> = tight.query("SELECT VALUE id FROM blob").await.unwrap().take(0).unwrap_or_default();
    assert!(left.is_empty());
}

/// Services tell database failures apart by kind: the refusals our queries `THROW` (with their
/// detail), duplicates, writes naming a missing record; nothing else is taken for one of these.
#[tokio::test]
async fn database_failures_are_recognised_by_kind() {
    use server::db::{is_duplicate, is_missing_record, refusal, Refusal};
    let db = db::connect(&DbConfig::memory()).await.unwrap();
    let e = db
        .query("BEGIN TRANSACTION; CREATE probe:1; THROW 'unknown actor ' + 'abc'; COMMIT TRANSACTION;")
        .transact::<bool>("probe")
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(refusal(&e), Some((Refusal::UnknownActor, "abc".to_string())), "{e:?}");
    assert!(!is_duplicate(&e) && !is_missing_record(&e));
    let e = db.query("THROW 'already decided'").await.unwrap().check().unwrap_err();
    assert_eq!(refusal(&e), Some((Refusal::AlreadyDecided, String::new())), "{e:?}");
    let e = db.query("THROW 'already decidedly'").await.unwrap().check().unwrap_err();
    assert_eq!(refusal(&e), None, "a longer word is not the refusal: {e:?}");

    // A unique index, in a transaction as the services write.
    let e = db
        .query("BEGIN TRANSACTION; CREATE actor SET name = 'A', name_folded = 'a', kind = 'ngo'; RETURN true; COMMIT TRANSACTION;")
        .transact::<bool>("probe")
        .await
        .unwrap();
    assert!(e.is_ok(), "{e:?}");
    let e = db
        .query("BEGIN TRANSACTION; CREATE actor SET name = 'A', name_folded = 'a', kind = 'ngo'; RETURN true; COMMIT TRANSACTION;")
        .transact::<bool>("probe")
        .await
        .unwrap()
        .unwrap_err();
    assert!(is_duplicate(&e) && refusal(&e).is_none(), "{e:?}");
    let e = db.query("CREATE probe:2; CREATE probe:2;").await.unwrap().check().unwrap_err();
    assert!(is_duplicate(&e), "{e:?}");

    // An enforced relation to an actor that is not there.
    let a: Option<String> = db.query("RETURN record::id((SELECT VALUE id FROM ONLY actor LIMIT 1))").await.unwrap().take(0).unwrap();
    let e = db
        .query(
            "BEGIN TRANSACTION;
             LET $f = type::record('actor', $a);
             LET $t = type::record('actor', 'gone');
             RELATE $f->relation->$t CONTENT { kind: 'supplies' };
             RETURN true; COMMIT TRANSACTION;",
        )
        .bind(("a", a.unwrap()))
        .transact::<bool>("probe")
        .await
        .unwrap()
        .unwrap_err();
    assert!(is_missing_record(&e) && !is_duplicate(&e), "{e:?}");
}

/// Every `THROW` in the server's queries is a refusal the services recognise.
#[test]
fn every_thrown_refusal_is_known() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "surql") {
                out.push(path);
            }
        }
    }
    let mut all = Vec::new();
    files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut all);
    let mut seen = 0;
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, _) in text.match_indices("THROW '") {
            let thrown = &text[i + 7..];
            let thrown = &thrown[..thrown.find('\'').unwrap()];
            let known = server::db::Refusal::ALL.iter().any(|r| r.text().trim() == thrown.trim());
            assert!(known, "{}: THROW '{thrown}' is not a server::db::Refusal", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 7, "found only {seen} THROWs");
}

/// One email rule for users, actors and people: every address it accepts, the schema's
/// `string::is_email` (which guards user accounts) accepts too, so no checked address is refused
/// by the database.
#[tokio::test]
async fn the_schema_accepts_every_email_the_validation_accepts() {
    let db = db::connect(&DbConfig::memory()).await.unwrap();
    let samples = [
        "ana@example.org",
        " Ana.Silva+coop@Sub.Example.ORG ",
        "a@b.co",
        "o'neil@example.org",
        "joão@exemplo.com.br",
        "ana@exämple.org",
        "\"quoted name\"@example.org",
        "ana@[127.0.0.1]",
        "ana@localhost",
        "ana@example",
        "ana@-example.org",
        "ana@example.org.",
        "ana@.example.org",
        "ana..silva@example.org",
        "ana@exa_mple.org",
        "ana silva@example.org",
        "@example.org",
        "ana@",
        "ana",
    ];
    let mut accepted = 0;
    for sample in samples {
        let Ok(email) = shared::accounts::normalize_email(sample) else { continue };
        accepted += 1;
        let ok: Option<bool> = db.query("RETURN string::is_email($e)").bind(("e", email.clone())).await.unwrap().take(0).unwrap();
        assert_eq!(ok, Some(true), "{sample:?} passes the validation as {email:?} but the schema refuses it");
        let actor = shared::network::NewActor { name: "X".into(), kind: "ngo".into(), email: Some(sample.into()), ..Default::default() };
        let kinds = [shared::network::ActorKind { id: "ngo".into(), label: "NGO".into(), producer: false, buyer: false }];
        assert_eq!(actor.validate(&kinds).unwrap().email.as_deref(), Some(email.as_str()), "an actor's email is checked the same way");
    }
    assert!(accepted >= 5, "only {accepted} samples accepted");
    assert!(shared::accounts::normalize_email("ana@localhost").is_err());
}

/// Each closed vocabulary in `shared` lists, in order, the spellings its field's `ASSERT … IN [...]`
/// allows in the migrated schema: a value the validation accepts is never refused by the database,
/// and none the schema allows is missing from the forms.
#[tokio::test]
async fn closed_vocabularies_agree_with_the_schema() {
    use shared::{
        audit::AuditAction,
        drafting::{amendments::AmendmentStatus, DocumentStatus},
        network::{
            people::{AgeBand, Gender},
            AllianceStage, MeetingStatus, OrganicStatus, Visibility,
        },
    };
    fn spellings<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| as_str(*v)).collect()
    }
    let db = db::connect(&DbConfig::memory()).await.unwrap();
    let fields = [
        ("actor", "organic_status", spellings(OrganicStatus::ALL, OrganicStatus::as_str)),
        ("actor", "visibility", spellings(Visibility::ALL, Visibility::as_str)),
        ("meeting", "status", spellings(MeetingStatus::ALL, MeetingStatus::as_str)),
        ("alliance", "status", spellings(AllianceStage::ALL, AllianceStage::as_str)),
        ("person", "gender", spellings(Gender::ALL, Gender::as_str)),
        ("person", "age_band", spellings(AgeBand::ALL, AgeBand::as_str)),
        ("document", "status", spellings(DocumentStatus::ALL, DocumentStatus::as_str)),
        ("amendment", "status", spellings(AmendmentStatus::ALL, AmendmentStatus::as_str)),
        ("audit", "action", spellings(AuditAction::ALL, AuditAction::as_str)),
    ];
    for (table, field, expected) in fields {
        let definition: Option<String> =
            db.query(format!("RETURN (INFO FOR TABLE {table}).fields.{field}")).await.unwrap().take(0).unwrap();
        let definition = definition.unwrap_or_else(|| panic!("{table}.{field} is defined"));
        // The engine writes `IN` back as `INSIDE`.
        let list = [" INSIDE [", " IN ["].iter().find_map(|op| definition.split(op).nth(1)).and_then(|rest| rest.split(']').next());
        let list = list.unwrap_or_else(|| panic!("{table}.{field} has no ASSERT … IN [...]: {definition}"));
        let allowed: Vec<&str> = list.split(',').map(|s| s.trim().trim_matches(|c| c == '\'' || c == '"')).collect();
        assert_eq!(allowed, expected, "{table}.{field}: {definition}");
    }
}

/// A backup holds the whole database: admins download it from the running server, and restored
/// into an empty database every table has the same records.
#[tokio::test]
async fn a_backup_restored_into_an_empty_database_holds_every_record() {
    use axum::http::StatusCode;
    let app = common::TestApp::new().await;
    let admin = app.as_role("admin@example.org", &[Role::Admin]).await;
    let member = app.as_role("member@example.org", &[Role::Member]).await;
    let actor = |name: &str| app.post("/api/v1/actors", Some(&admin), serde_json::json!({"name": name, "kind": "cooperative"}));
    let (a, b) = (actor("Cooperativa Ação").await.body["id"].clone(), actor("Mercado \"Aspas\" 'e' ; ponto").await.body["id"].clone());
    assert_eq!(
        app.post("/api/v1/relations", Some(&admin), serde_json::json!({"from": a, "to": b, "kind": "supplies"})).await.status,
        StatusCode::CREATED
    );
    let doc = serde_json::json!({"title": "Carta", "themes": [{"title": "A", "paragraphs": [{"text": "Comprar orgânicos."}]}]});
    assert_eq!(app.post("/api/v1/documents", Some(&admin), doc).await.status, StatusCode::CREATED);

    assert_eq!(app.get("/api/v1/admin/backup", Some(&member)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/admin/backup", None).await.status, StatusCode::UNAUTHORIZED);
    let r = app.get("/api/v1/admin/backup", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers["content-disposition"].to_str().unwrap().contains(".surql"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.surql");
    std::fs::write(&file, &r.text).unwrap();

    let restored = db::open(&DbConfig::memory()).await.unwrap();
    assert!(restored.tables_in_use().await.unwrap().is_empty());
    restored.restore(&file).await.unwrap();
    db::migrate(&restored).await.unwrap();
    let tables = app.state.db.tables_in_use().await.unwrap();
    for t in ["actor", "relation", "user", "document", "migration", "actor_change"] {
        assert!(tables.contains(&t.to_string()), "{t} in {tables:?}");
    }
    assert_eq!(restored.tables_in_use().await.unwrap().len(), tables.len());
    for table in &tables {
        let read = |db: &db::Db| {
            let q = format!("SELECT * FROM `{table}` ORDER BY id");
            let db = db.clone();
            async move {
                let rows: Vec<surrealdb::types::Value> = db.query(q).await.unwrap().take(0).unwrap();
                rows.into_iter().map(|v| v.into_json_value()).collect::<Vec<_>>()
            }
        };
        assert_eq!(read(&restored).await, read(&app.state.db).await, "{table}");
    }
}
