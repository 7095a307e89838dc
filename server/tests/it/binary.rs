//! Proofs against the real binary (`target/debug/mutirao`, the one the e2e tests serve), on the
//! embedded on-disk engine, as it runs in production: writes acknowledged before a `kill -9` are
//! there after the restart, and the server stays up, responsive and small under abuse.
//!
//! They measure a process (its memory, how fast it answers), so they are ignored in the parallel
//! run of the other tests and run alone: the test command runs the crash test
//! (`cargo test --workspace --test it -- --ignored --exact binary::binary_every_acknowledged_write_survives_kill_9`)
//! and the abuse test (`binary::binary_stays_up_small_and_responsive_under_abuse`); run one
//! against another build with `MUTIRAO_BIN=target/release/mutirao`.

use std::{
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use futures_util::{stream, StreamExt};
use serde_json::{json, Value};
use server::{
    config::{DbConfig, ServeConfig},
    AppState,
};

const DEMO_PASSWORD: &str = "mutirao-demo";
const DOCUMENT: &str = "recommendations-2026";

/// The server binary, started on a free port; killed when dropped.
struct Binary {
    child: Child,
    base: String,
    http: reqwest::Client,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Binary {
    async fn start(db: &str, args: &[&str], env: &[(&str, &str)]) -> Binary {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        // MUTIRAO_BIN names another build (target/release/mutirao, say).
        let bin = std::env::var("MUTIRAO_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mutirao").to_string());
        let mut command = Command::new(bin);
        command
            .args(["--addr", &format!("127.0.0.1:{port}"), "--db", db])
            .args(args)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            // MUTIRAO_BIN_LOG sets the binary's log filter (`surrealkv=info` shows its recovery).
            .env("RUST_LOG", std::env::var("MUTIRAO_BIN_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            command.env(k, v);
        }
        let child = command.spawn().expect("start the server binary");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();
        let mut b = Binary { child, base: format!("http://127.0.0.1:{port}"), http };
        let started = Instant::now();
        loop {
            if let Ok(r) = b.http.get(format!("{}/healthz", b.base)).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(b.child.try_wait().unwrap().is_none(), "the server exited while starting");
            assert!(started.elapsed() < Duration::from_secs(120), "the server did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        b
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    async fn send(&self, method: reqwest::Method, path: &str, auth: &Auth, body: Option<Body>) -> Result<Answer, reqwest::Error> {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        r = match auth {
            Auth::None => r,
            Auth::Token(t) => r.bearer_auth(t),
            Auth::Cookie(c) => r.header("cookie", c).header("origin", &self.base),
        };
        r = match body {
            None => r,
            Some(Body::Json(v)) => r.header("content-type", "application/json").body(v.to_string()),
            Some(Body::Csv(b)) => r.header("content-type", "text/csv").body(b),
            Some(Body::Form(f)) => r.header("content-type", "application/x-www-form-urlencoded").header("accept", "text/html").body(f),
        };
        let r = r.send().await?;
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        Ok(Answer { status, headers, text: r.text().await? })
    }

    async fn get(&self, path: &str, auth: &Auth) -> Answer {
        self.send(reqwest::Method::GET, path, auth, None).await.expect("GET")
    }

    async fn post(&self, path: &str, auth: &Auth, body: Value) -> Result<Answer, reqwest::Error> {
        self.send(reqwest::Method::POST, path, auth, Some(Body::Json(body))).await
    }

    /// Logs in as a demo user: the session cookie.
    async fn login(&self, email: &str) -> Auth {
        let r = self.post("/api/v1/session", &Auth::None, json!({"email": email, "password": DEMO_PASSWORD})).await.unwrap();
        assert_eq!(r.status, 200, "log in as {email}: {}", r.text);
        let cookie = r.headers.get("set-cookie").expect("a session cookie").to_str().unwrap();
        Auth::Cookie(cookie.split(';').next().unwrap().to_string())
    }

    /// A personal token of a demo user.
    async fn token(&self, email: &str) -> Auth {
        let session = self.login(email).await;
        let r = self.post("/api/v1/tokens", &session, json!({"name": "proof"})).await.unwrap();
        assert_eq!(r.status, 201, "{}", r.text);
        Auth::Token(r.json()["token"].as_str().unwrap().to_string())
    }

    /// The demo document's id and its paragraphs' ids.
    async fn document(&self, auth: &Auth) -> (String, Vec<String>) {
        let list = self.get("/api/v1/documents", auth).await.json();
        let id = list["items"].as_array().unwrap().iter().find(|d| d["slug"] == DOCUMENT).expect("the demo document")["id"]
            .as_str()
            .unwrap()
            .to_string();
        let doc = self.get(&format!("/api/v1/documents/{id}"), auth).await.json();
        let paragraphs = doc["themes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["paragraphs"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()))
            .collect();
        (id, paragraphs)
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

enum Auth {
    None,
    Token(String),
    Cookie(String),
}

enum Body {
    Json(Value),
    Csv(Vec<u8>),
    Form(String),
}

/// Resident and peak memory of a process, in MiB (from /proc).
fn memory_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn surrealkv(dir: &tempfile::TempDir) -> String {
    format!("surrealkv://{}", dir.path().join("db").display())
}

/// A number from the clock, for a kill at a moment no one chose.
fn random_below(n: usize) -> usize {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as usize % n
}

/// Runs one part of an abuse, and says how long it took; `MUTIRAO_ABUSE=logins,chain,…` runs
/// some of them only (to find which one hurts).
async fn part(name: &str, work: impl std::future::Future) {
    if std::env::var("MUTIRAO_ABUSE").map_or(true, |v| v.split(',').any(|p| p == name)) {
        let t = Instant::now();
        work.await;
        eprintln!("{name}: {} ms", t.elapsed().as_millis());
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Write {
    Actor,
    Comment,
    Amendment,
}

/// 1,000 writes (actors, comments, amendments) sent 50 at a time, and a CSV import of 1,500 rows
/// (three batches of 500) beside them; `kill -9` at a random moment; on restart every write
/// acknowledged with 2xx is there, and the import wrote whole batches only.
#[tokio::test]
#[ignore = "measures the real binary: run alone by the test command"]
async fn binary_every_acknowledged_write_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = surrealkv(&dir);
    // A small write buffer, so that the engine's memtable fills up, is written out and starts
    // again several times in one run: a write lost at that moment was found so.
    let small = [("MUTIRAO_DB_WRITE_BUFFER_MIB", "4")];
    let mut server = Binary::start(&db, &["--demo"], &small).await;
    let admin = Arc::new(server.token("admin@example.org").await);
    let member = Arc::new(server.token("member@example.org").await);
    let (document, paragraphs) = server.document(&member).await;
    let member_actor = server.get("/api/v1/me", &member).await.json()["actors"][0]["id"].as_str().unwrap().to_string();

    let kill_after = std::env::var("MUTIRAO_KILL_AFTER").ok().and_then(|v| v.parse().ok()).unwrap_or(150 + random_below(700));
    eprintln!("kill -9 after {kill_after} acknowledged writes (MUTIRAO_KILL_AFTER repeats a run)");
    let acknowledged: Arc<Mutex<Vec<(Write, String, String)>>> = Arc::default();
    let import_started = Arc::new(AtomicBool::new(false));
    let import_acknowledged = Arc::new(AtomicBool::new(false));
    let server_ref = &server;
    let rows: String = (0..1500).map(|i| format!("Imported before the crash {i},cooperative,RS,crashimport\n")).collect();
    let csv = format!("name,kind,state,tags\n{rows}").into_bytes();

    let writes = stream::iter(0..1000usize)
        .map(|i| {
            let (admin, member, acknowledged) = (admin.clone(), member.clone(), acknowledged.clone());
            let (document, paragraph, member_actor) = (document.clone(), paragraphs[i % paragraphs.len()].clone(), member_actor.clone());
            let (import_started, import_acknowledged, csv) = (import_started.clone(), import_acknowledged.clone(), csv.clone());
            async move {
                if !import_started.swap(true, Ordering::SeqCst) {
                    let r = server_ref.send(reqwest::Method::POST, "/api/v1/actors/import", &admin, Some(Body::Csv(csv))).await;
                    if let Ok(r) = r {
                        assert_eq!(r.status, 200, "{}", r.text);
                        import_acknowledged.store(true, Ordering::SeqCst);
                    }
                }
                let kind = [Write::Actor, Write::Comment, Write::Amendment][i % 3];
                let text = format!("Written before the crash, number {i}");
                let (path, auth, body) = match kind {
                    Write::Actor => ("/api/v1/actors".to_string(), &admin, json!({"name": text, "kind": "cooperative", "state": "SC"})),
                    Write::Comment => (format!("/api/v1/documents/{document}/comments"), &member, json!({"target": "document", "body": text})),
                    Write::Amendment => (
                        format!("/api/v1/documents/{document}/amendments"),
                        &member,
                        json!({"paragraph_id": paragraph, "kind": "replace", "text": text, "rationale": "Proof of durability.", "actor_id": member_actor}),
                    ),
                };
                // After the kill the connection fails: that write was never acknowledged.
                if let Ok(r) = server_ref.post(&path, auth, body).await {
                    if (200..300).contains(&r.status) {
                        let id = r.json()["id"].as_str().unwrap().to_string();
                        acknowledged.lock().unwrap().push((kind, id, text));
                    } else {
                        panic!("a write refused: {} {}", r.status, r.text);
                    }
                }
            }
        })
        .buffer_unordered(50)
        .collect::<Vec<()>>();
    let pid = server.pid();
    let killer = {
        let acknowledged = acknowledged.clone();
        async move {
            while acknowledged.lock().unwrap().len() < kill_after {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            // SIGKILL from outside, as the kernel's OOM killer or a power cut would.
            Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
        }
    };
    tokio::join!(writes, killer);
    server.child.wait().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= kill_after, "writes were acknowledged: {}", acknowledged.len());

    // Restart on the same files: the database opens and every acknowledged write is there.
    drop(server);
    let server = Binary::start(&db, &[], &small).await;
    let admin = server.token("admin@example.org").await;
    let mut comments = std::collections::HashMap::new();
    for page in 1.. {
        let r = server.get(&format!("/api/v1/documents/{document}/comments?per_page=100&page={page}"), &admin).await.json();
        let items = r["items"].as_array().unwrap();
        for c in items {
            comments.insert(c["id"].as_str().unwrap().to_string(), c["body"].as_str().unwrap().to_string());
        }
        if items.len() < 100 {
            break;
        }
    }
    // Every missing write is named (not only the first), to tell one lost commit from a lost file.
    let mut missing = Vec::new();
    for (kind, id, text) in &acknowledged {
        let there = match kind {
            Write::Actor => {
                let r = server.get(&format!("/api/v1/actors/{id}"), &admin).await;
                r.status == 200 && r.json()["name"] == *text
            }
            Write::Comment => comments.get(id) == Some(text),
            Write::Amendment => {
                let r = server.get(&format!("/api/v1/amendments/{id}"), &admin).await;
                r.status == 200 && r.json()["text"] == *text
            }
        };
        if !there {
            missing.push(format!("{kind:?} {id} ({text})"));
        }
    }
    if std::env::var_os("MUTIRAO_KEEP_DB").is_some() {
        eprintln!("the database is kept at {}", dir.keep().display());
    }
    assert!(missing.is_empty(), "{} of {} acknowledged writes are missing: {missing:#?}", missing.len(), acknowledged.len());
    let imported = server.get("/api/v1/actors?tag=crashimport&per_page=1", &admin).await.json()["total"].as_u64().unwrap();
    assert!(imported % 500 == 0, "the import wrote whole batches of 500 only: {imported}");
    if import_acknowledged.load(Ordering::SeqCst) {
        assert_eq!(imported, 1500, "the acknowledged import is all there");
    }
    eprintln!("{} acknowledged writes all there; {imported} of 1,500 imported rows", acknowledged.len());
}

/// 200 concurrent bad logins, a 10,000-deep reply chain read, member uploads of 64 MB, piles of
/// refused forms and an edit-and-metrics loop, all at once: the server stays up, answers
/// `/healthz` in under a second throughout, and stays under 500 MB.
#[tokio::test]
#[ignore = "measures the real binary: run alone by the test command"]
async fn binary_stays_up_small_and_responsive_under_abuse() {
    let dir = tempfile::tempdir().unwrap();
    let db = surrealkv(&dir);
    // The demo data and a chain of 10,000 replies, each answering the last, written before the
    // server starts (posting them one by one would take minutes).
    {
        let config = DbConfig { url: db.clone(), ..DbConfig::memory() };
        let state = AppState::open(&config, &ServeConfig::default()).await.expect("open the database");
        server::demo::load_if_empty(&state).await.expect("demo data");
        state
            .db
            .query(
                "LET $doc = (SELECT VALUE id FROM document WHERE slug = $slug)[0];
                 LET $author = (SELECT VALUE id FROM user WHERE email = 'member@example.org')[0];
                 FOR $i IN 0..10000 {
                     CREATE type::record('comment', 'chain' + <string> $i) CONTENT {
                         document: $doc, target: 'document', stance: 'neutral', author: $author,
                         body: 'Reply number ' + <string> $i,
                         parent: IF $i > 0 THEN type::record('comment', 'chain' + <string> ($i - 1)) END,
                         created_at: time::now() + <duration> (<string> $i + 'ms'),
                     };
                 };",
            )
            .bind(("slug", DOCUMENT))
            .run("seed the chain")
            .await
            .expect("seed the chain");
        let db = state.db.clone();
        drop(state);
        db.close().await;
    }
    // Every login reaches the password check (the per-client limit would refuse most at once).
    let mut server = Binary::start(&db, &[], &[("MUTIRAO_LOGIN_ATTEMPTS_PER_MINUTE", "100000")]).await;
    let member = server.login("member@example.org").await;
    let admin = server.token("admin@example.org").await;
    let (document, _) = server.document(&admin).await;
    let actor = server.get("/api/v1/actors?per_page=1", &admin).await.json()["items"][0]["id"].as_str().unwrap().to_string();

    let done = Arc::new(AtomicBool::new(false));
    let slowest_health = Arc::new(AtomicUsize::new(0));
    let peak_rss = Arc::new(AtomicUsize::new(0));
    let pid = server.pid();
    let began = Instant::now();
    eprintln!("resident and peak MiB at the start {:?}", memory_mib(pid));
    let watch = {
        let (done, slowest_health, peak_rss, http, base) =
            (done.clone(), slowest_health.clone(), peak_rss.clone(), server.http.clone(), server.base.clone());
        async move {
            while !done.load(Ordering::SeqCst) {
                let t = Instant::now();
                let ok =
                    http.get(format!("{base}/healthz")).timeout(Duration::from_secs(5)).send().await.is_ok_and(|r| r.status().is_success());
                let ms = if ok { t.elapsed().as_millis() as usize } else { usize::MAX };
                if ms > 300 {
                    eprintln!("/healthz took {ms} ms at {:?}; resident and peak MiB {:?}", began.elapsed(), memory_mib(pid));
                }
                slowest_health.fetch_max(ms, Ordering::SeqCst);
                peak_rss.fetch_max(memory_mib(pid).0 as usize, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };

    let server_ref = &server;
    let bad_logins = stream::iter(0..200)
        .map(|i| async move {
            let email = if i % 2 == 0 { format!("nobody-{i}@example.org") } else { "member@example.org".to_string() };
            let r = server_ref.post("/api/v1/session", &Auth::None, json!({"email": email, "password": "wrong password"})).await.unwrap();
            assert!(r.status == 401 || r.status == 429, "a bad login: {} {}", r.status, r.text);
        })
        .buffer_unordered(200)
        .collect::<Vec<()>>();
    let chain = async {
        for _ in 0..2 {
            let r = server_ref.get(&format!("/recommendations/{DOCUMENT}/comments"), &member).await;
            assert_eq!(r.status, 200, "the page with the chain");
            assert!(r.text.contains("Reply number 0"), "the chain's first comment is shown");
            // Only the page shown travels to the page (not in its hydration data either).
            assert!(!r.text.contains("Reply number 9999"), "the chain's last page is not sent with the first");
            let r = server_ref.get(&format!("/api/v1/documents/{document}/comments?per_page=100"), &member).await;
            assert_eq!(r.status, 200);
            assert!(r.json()["total"].as_u64().unwrap() >= 10_000);
        }
    };
    let uploads = stream::iter(0..5)
        .map(|_| async {
            let body = vec![b'a'; 64 << 20];
            // Refused before the body is read: the server may close the connection meanwhile.
            if let Ok(r) = server_ref.send(reqwest::Method::POST, "/api/v1/actors/import", &member, Some(Body::Csv(body))).await {
                assert_eq!(r.status, 403, "a member's upload: {}", r.text);
            }
        })
        .buffer_unordered(5)
        .collect::<Vec<()>>();
    let forms = async {
        let page = server_ref.get(&format!("/recommendations/{DOCUMENT}/comments"), &member).await.text;
        let action = page
            .split("action=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .find(|a| a.contains("add_comment"))
            .expect("the comment form");
        let action = action.replace("&amp;", "&");
        let long = "x".repeat(90_000);
        for i in 0..150 {
            let form = format!(
                "slug={DOCUMENT}&back=%2Frecommendations%2F{DOCUMENT}%2Fcomments%3Fn%3D{i}&target=document&stance=neutral&body={long}"
            );
            let r = server_ref.send(reqwest::Method::POST, &action, &member, Some(Body::Form(form))).await.unwrap();
            assert!(r.status < 500, "a refused form: {} {}", r.status, r.text);
        }
    };
    let edits = async {
        for i in 0..20 {
            let r = server_ref
                .send(
                    reqwest::Method::PATCH,
                    &format!("/api/v1/actors/{actor}"),
                    &admin,
                    Some(Body::Json(json!({"description": format!("Edit {i}")}))),
                )
                .await
                .unwrap();
            assert_eq!(r.status, 200, "{}", r.text);
            let r = server_ref.get("/api/v1/network/metrics", &admin).await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    let abuse = async {
        tokio::join!(
            part("logins", bad_logins),
            part("chain", chain),
            part("uploads", uploads),
            part("forms", forms),
            part("edits", edits)
        );
        done.store(true, Ordering::SeqCst);
    };
    tokio::join!(abuse, watch);

    assert!(server.alive(), "the server is still up");
    let (_, peak) = memory_mib(pid);
    let slowest = slowest_health.load(Ordering::SeqCst);
    eprintln!("slowest /healthz {slowest} ms; peak resident memory {peak} MiB (sampled {} MiB)", peak_rss.load(Ordering::SeqCst));
    assert!(slowest < 1000, "/healthz answered within a second throughout: slowest {slowest} ms");
    assert!(peak < 500, "the server stayed under 500 MB: peak {peak} MiB");
}
