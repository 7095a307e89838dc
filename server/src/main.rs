//! `mutirao`: serve the app, or administer it from the command line. See `mutirao --help`.

use std::io::{BufRead, IsTerminal};

use clap::Parser;
use server::{
    config::{AdminCommand, Cli, Command},
    demo, AppState,
};
use shared::accounts::NewUser;
use tracing_subscriber::EnvFilter;

#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealkv=warn")))
        .init();
    let cli = Cli::parse();
    if let Err(message) = run(cli).await {
        eprintln!("mutirao: {message}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Some(Command::Admin(AdminCommand::Restore { from })) = &cli.command {
        return restore(&cli.db, from).await;
    }
    let state = AppState::open(&cli.db, &cli.serve).await.map_err(|e| e.to_string())?;
    let db = state.db.clone();
    let done = match cli.command {
        None | Some(Command::Serve) => serve(state, &cli.serve).await,
        Some(Command::Admin(AdminCommand::CreateUser { email, name, roles, password })) => {
            create_user(state, email, name, roles, password).await
        }
        Some(Command::Admin(AdminCommand::GenerateNetworkCsv { actors, relations, out })) => {
            let (a, r) = demo::network_bench::csv_files(actors, relations);
            std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
            for (name, text) in [("actors.csv", a), ("relations.csv", r)] {
                let path = out.join(name);
                std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
        Some(Command::Admin(AdminCommand::Backup { out })) => {
            let written = async {
                let mut backup = db.backup().await.map_err(|e| format!("the backup could not start: {e}"))?;
                let mut file = std::fs::File::create(&out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
                while let Some(chunk) = futures_util::StreamExt::next(&mut backup).await {
                    let chunk = chunk.map_err(|e| format!("the backup failed: {e}"))?;
                    std::io::Write::write_all(&mut file, &chunk).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
                }
                eprintln!("wrote {}", out.display());
                Ok::<(), String>(())
            };
            written.await
        }
        Some(Command::Admin(AdminCommand::Restore { .. })) => Ok(()),
        Some(Command::Admin(AdminCommand::GenerateBenchmarkData)) => {
            let started = std::time::Instant::now();
            let done = demo::benchmark::generate(&state, demo::benchmark::Scale::FULL, |step| {
                eprintln!("{:>6.1} s  {step}", started.elapsed().as_secs_f64());
            })
            .await
            .map_err(|e| format!("generating the benchmark data failed: {e}"))?;
            eprintln!(
                "{} amendments ({} decided, {} stances), {} comments on /recommendations/{}; log in as {} or bench-member-0@example.org, password {}",
                done.amendments,
                done.decided,
                done.stances,
                done.comments,
                demo::benchmark::SLUG,
                demo::benchmark::SECRETARIAT_EMAIL,
                demo::DEMO_PASSWORD
            );
            Ok(())
        }
    };
    // Let the embedded engine stop its tasks and flush before the process ends.
    db.close().await;
    done
}

async fn serve(state: AppState, serve: &server::config::ServeConfig) -> Result<(), String> {
    if serve.demo && demo::load_if_empty(&state).await.map_err(|e| format!("loading the demo data failed: {e}"))? {
        tracing::info!("demo accounts: admin@, secretariat@, organizer@, member@example.org, password {}", demo::DEMO_PASSWORD);
    }
    let app = server::app(state);
    let listener = tokio::net::TcpListener::bind(serve.addr).await.map_err(|e| format!("cannot listen on {}: {e}", serve.addr))?;
    // Pages stream in several writes (the shell, then each part as its data arrives): without
    // TCP_NODELAY a later write waits for the client's delayed acknowledgement of the first,
    // which adds ~40 ms to a page on a kept-alive connection.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("could not set TCP_NODELAY: {e}");
        }
    });
    tracing::info!("Mutirão listening on http://{}", serve.addr);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

async fn create_user(
    state: AppState,
    email: String,
    name: Option<String>,
    roles: Vec<String>,
    password: Option<String>,
) -> Result<(), String> {
    let password = match password {
        Some(p) => Some(p),
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprint!("Password for {email} (at least 12 characters; empty for an invitation link): ");
            }
            let mut line = String::new();
            stdin.lock().read_line(&mut line).map_err(|e| e.to_string())?;
            let line = line.trim_end_matches(['\r', '\n']).to_string();
            (!line.is_empty()).then_some(line)
        }
    };
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
    let valid = NewUser { email, name, roles, password, actor_ids: None }.validate().map_err(|e| e.to_string())?;
    let created = state.accounts.insert_user(valid, None).await.map_err(|e| e.to_string())?;
    println!("created user {} ({})", created.user.email, created.user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "));
    if let Some(path) = created.invite_path {
        println!("invitation link: http://<your-host>{path}");
    }
    Ok(())
}

/// Loads a backup into an empty database, then applies any migration newer than the backup.
async fn restore(config: &server::config::DbConfig, from: &std::path::Path) -> Result<(), String> {
    let db = server::db::open(config).await.map_err(|e| e.to_string())?;
    let used = db.tables_in_use().await.map_err(|e| format!("cannot read the database: {e}"))?;
    if !used.is_empty() {
        return Err(format!("the database is not empty (it has records in {}): restore into an empty one", used.join(", ")));
    }
    db.restore(from).await.map_err(|e| format!("the backup {} could not be loaded: {e}", from.display()))?;
    server::db::migrate(&db).await.map_err(|e| e.to_string())?;
    eprintln!("restored {}", from.display());
    db.close().await;
    Ok(())
}
