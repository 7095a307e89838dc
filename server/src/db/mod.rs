//! The database: one code path for every engine (`mem://`, `surrealkv://`, `ws://`), chosen by
//! the connection string, and versioned migrations applied at start-up; the services' toolkit:
//! `fetch` and `run` on a query (one mapping of failures, logged with what was being done),
//! failures told apart by kind (`failures.rs`), record keys (`keys.rs`).

use std::{borrow::Cow, future::IntoFuture, pin::Pin, sync::Arc};

use surrealdb::{
    engine::{
        any::{self, Any},
        local::Db as Local,
    },
    method::{IntoVariables, Query},
    opt::{auth::Root, QueryResult},
    types::SurrealValue,
    IndexedResults, Surreal,
};
use surrealdb_core::kvs::Datastore;

use crate::config::DbConfig;
use shared::{AppError, Page, PageRequest};

mod failures;
mod keys;
mod retry;

pub use failures::*;
pub use keys::*;
pub use retry::*;

/// The connection the services share: the embedded engine (opened here, so that its storage
/// engine's memory can be sized) or a SurrealDB server. Both answer the same queries.
///
/// The client is behind an `Arc`, so that every clone of a `Db` (one per request: it is part of
/// the state each handler is given) shares one client and one SurrealDB session. Cloning a
/// `Surreal` client opens a new session, registered one after another by a single task of the
/// engine, with maps of its own (about half a megabyte each): with a session per request, 200
/// requests at once held ~100 MB more and waited their turn to be registered.
#[derive(Clone)]
pub enum Db {
    Embedded(Arc<Surreal<Local>>, Arc<Datastore>),
    Server(Arc<Surreal<Any>>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Db::Embedded(..) => "Db::Embedded",
            Db::Server(_) => "Db::Server",
        })
    }
}

impl Db {
    /// A consistent export of the whole database (its schema and every record, as SurrealQL), in
    /// chunks as they are written: what a backup holds.
    pub async fn backup(&self) -> Result<surrealdb::method::Backup, surrealdb::Error> {
        match self {
            Db::Embedded(db, _) => db.export(()).await,
            Db::Server(db) => db.export(()).await,
        }
    }

    /// Loads a backup (a file [`Db::backup`] wrote) into this database.
    pub async fn restore(&self, file: &std::path::Path) -> Result<(), surrealdb::Error> {
        match self {
            Db::Embedded(db, _) => db.import(file).await,
            Db::Server(db) => db.import(file).await,
        }
    }

    /// The tables of the database that hold at least one record.
    pub async fn tables_in_use(&self) -> Result<Vec<String>, surrealdb::Error> {
        let info: Option<surrealdb::types::Value> = self.query("INFO FOR DB").await?.take(0)?;
        let names: Vec<String> = match info.map(|i| i.into_json_value()) {
            Some(serde_json::Value::Object(o)) => {
                o.get("tables").and_then(|t| t.as_object()).map(|t| t.keys().cloned().collect()).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let mut used = Vec::new();
        for name in names {
            let n: Option<i64> = self.query(format!("count(SELECT id FROM `{}` LIMIT 1)", name.replace('`', ""))).await?.take(0)?;
            if n.unwrap_or(0) > 0 {
                used.push(name);
            }
        }
        Ok(used)
    }

    /// A query, run with `.await` after its `.bind(…)`s, as on a `Surreal` client.
    pub fn query<'c>(&'c self, query: impl Into<Cow<'c, str>>) -> DbQuery<'c> {
        match self {
            Db::Embedded(db, _) => DbQuery::Embedded(db.query(query)),
            Db::Server(db) => DbQuery::Server(db.query(query)),
        }
    }

    /// Closes the embedded engine: its background tasks stop, what it holds in memory is written
    /// out (so that the next start has no log to replay) and the store is released, while the
    /// runtime still runs. Call it with the last handle, once the server has stopped.
    pub async fn close(self) {
        if let Db::Embedded(db, datastore) = self {
            // The engine shuts the datastore down when its last connection goes; wait for that.
            drop(db);
            for _ in 0..500 {
                if Arc::strong_count(&datastore) == 1 {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            // Still held elsewhere: shut it down from here.
            if let Err(e) = datastore.shutdown().await {
                tracing::warn!("the database did not close cleanly: {e}");
            }
        }
    }
}

/// A query being built on either kind of connection.
pub enum DbQuery<'c> {
    Embedded(Query<'c, Local>),
    Server(Query<'c, Any>),
}

impl DbQuery<'_> {
    pub fn bind(self, vars: impl IntoVariables) -> Self {
        match self {
            DbQuery::Embedded(q) => DbQuery::Embedded(q.bind(vars)),
            DbQuery::Server(q) => DbQuery::Server(q.bind(vars)),
        }
    }

    /// Runs the query and takes what its first statement answered: rows as a `Vec`, one record
    /// (`SELECT … FROM ONLY`, `RETURN`) as an `Option`. A failure is `Internal`, logged with
    /// `context` (what was being done).
    pub async fn fetch<R>(self, context: &'static str) -> Result<R, AppError>
    where
        R: SurrealValue,
        usize: QueryResult<R>,
    {
        self.await.map_err(db_err(context))?.take(0).map_err(db_err(context))
    }

    /// Runs a query of several statements, to take each one's result by its index
    /// ([`Answers::take`]); failures are `Internal`, logged with `context`.
    pub async fn answers(self, context: &'static str) -> Result<Answers, AppError> {
        Ok(Answers { results: self.await.map_err(db_err(context))?, context })
    }

    /// Runs a query whose statement `at` selects one page of rows (ending `LIMIT $limit START
    /// $start`, bound here from `page`) and whose next statement counts all of them
    /// (`count(SELECT id FROM … same filter)`).
    pub async fn page<R>(self, page: PageRequest, at: usize, context: &'static str) -> Result<Page<R>, AppError>
    where
        R: SurrealValue,
        usize: QueryResult<Vec<R>>,
    {
        let mut answers = self.bind(("limit", i64::from(page.per_page))).bind(("start", page.offset() as i64)).answers(context).await?;
        let items: Vec<R> = answers.take(at)?;
        let total = answers.count(at + 1)?;
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// Runs a `BEGIN … COMMIT` query. The outer result is the connection's (a failure is
    /// `Internal`, logged with `context`); the inner one is the transaction's: the value of the
    /// statement before `COMMIT`, or the failure that aborted it, for the service to tell its
    /// refusals ([`refusal`]), duplicates and conflicts apart.
    pub async fn transact<T: SurrealValue>(self, context: &'static str) -> Result<Result<Option<T>, surrealdb::Error>, AppError> {
        Ok(transaction_result(self.await.map_err(db_err(context))?))
    }

    /// Runs the query for what it writes: a failure of any statement is `Internal`, logged with
    /// `context`.
    pub async fn run(self, context: &'static str) -> Result<(), AppError> {
        self.await.and_then(|r| r.check()).map(drop).map_err(db_err(context))
    }
}

impl<'c> IntoFuture for DbQuery<'c> {
    type Output = Result<IndexedResults, surrealdb::Error>;
    type IntoFuture = Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        match self {
            DbQuery::Embedded(q) => q.into_future(),
            DbQuery::Server(q) => q.into_future(),
        }
    }
}

/// What the statements of a query answered ([`DbQuery::answers`]).
pub struct Answers {
    results: IndexedResults,
    context: &'static str,
}

impl Answers {
    /// What statement `index` answered: rows as a `Vec`, one record as an `Option`.
    pub fn take<R>(&mut self, index: usize) -> Result<R, AppError>
    where
        R: SurrealValue,
        usize: QueryResult<R>,
    {
        self.results.take(index).map_err(db_err(self.context))
    }

    /// What a `count(…)` statement answered.
    pub fn count(&mut self, index: usize) -> Result<u64, AppError> {
        let n: Option<i64> = self.take(index)?;
        Ok(n.unwrap_or(0).max(0) as u64)
    }
}

const MIB: u64 = 1024 * 1024;

/// Opens the embedded engine (`mem://`, `surrealkv://…`) as the SDK would, but with the storage
/// engine's memtable and block cache sized by the configuration instead of from the machine's
/// memory (SurrealKV otherwise takes a 1 GiB memtable and half the RAM as cache on a 24 GiB
/// host). Other `SURREAL_*` environment variables tune the engine as they tune a SurrealDB server.
async fn open_embedded(url: &str, config: &DbConfig) -> Result<(Surreal<Local>, Arc<Datastore>), String> {
    let settings = surrealdb_cnf::ConfigMap::from_env()
        .with_key_value("surrealkv_max_memtable_size", (config.write_buffer_mib * MIB).to_string())
        .with_key_value("surrealkv_block_cache_capacity", (config.cache_mib * MIB).to_string());
    let datastore = Datastore::builder()
        .with_config(settings)
        .with_capabilities(surrealdb::opt::capabilities::Capabilities::new().into())
        // Maintenance starts once the datastore is stamped with its version (as the SDK does).
        .without_maintenance_tasks()
        .build_with_path(url)
        .await
        .map_err(|e| e.to_string())?;
    datastore.check_version().await.map_err(|e| e.to_string())?;
    datastore.bootstrap().await.map_err(|e| e.to_string())?;
    datastore.start_maintenance_tasks();
    let db = Surreal::<Local>::unstable_from_datastore(datastore.clone(), None).await.map_err(|e| e.to_string())?;
    Ok((db, datastore))
}

/// Migrations, in order. Each runs once, in a transaction with the record of its running;
/// a migration already recorded is skipped, so start-up is idempotent.
pub const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "accounts and actors", include_str!("../migrations/0001_accounts.surql")),
    (2, "recommendation documents and versions", include_str!("../migrations/0002_drafting.surql")),
    (3, "amendments, stances, comments and publications", include_str!("../migrations/0003_negotiation.surql")),
    (4, "form input kept for its author", include_str!("../migrations/0004_kept_input.surql")),
    (5, "the stakeholder network: kinds, profiles, history, relations, people", include_str!("../migrations/0005_network.surql")),
    (6, "buyer meetings and productive alliances", include_str!("../migrations/0006_meetings_alliances.surql")),
    (7, "lighter relations", include_str!("../migrations/0007_lighter_relations.surql")),
    (8, "people's gender and age band from their lists", include_str!("../migrations/0008_people_vocabularies.surql")),
    (9, "a released version's title and summary", include_str!("../migrations/0009_version_titles.surql")),
    (10, "revisions of the records people edit", include_str!("../migrations/0010_revisions.surql")),
    (11, "disabled accounts", include_str!("../migrations/0011_disabled_users.surql")),
    (12, "erased people", include_str!("../migrations/0012_erased_people.surql")),
    (13, "the audit log", include_str!("../migrations/0013_audit.surql")),
    (14, "failed logins per account", include_str!("../migrations/0014_login_failures.surql")),
    (15, "the invitation that works", include_str!("../migrations/0015_current_invitation.surql")),
    (16, "released titles kept on the document", include_str!("../migrations/0016_released_titles.surql")),
];

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("could not open the database at {url}: {source}")]
    Connect { url: String, source: surrealdb::Error },
    #[error("could not open the database at {url}: {message}")]
    Open { url: String, message: String },
    #[error("migration {version} ({name}) failed: {source}")]
    Migration { version: u32, name: &'static str, source: surrealdb::Error },
    #[error(transparent)]
    Query(#[from] surrealdb::Error),
}

/// Opens the database named by `config`, signs in to a server when credentials are given,
/// selects the namespace and database, and applies pending migrations.
pub async fn connect(config: &DbConfig) -> Result<Db, DbError> {
    let db = open(config).await?;
    migrate(&db).await?;
    Ok(db)
}

/// Opens the database named by `config` as [`connect`] does, without migrating it (a restore
/// loads a backup's schema and its record of migrations first).
pub async fn open(config: &DbConfig) -> Result<Db, DbError> {
    let url = config.url.trim();
    if let Some(path) = url.strip_prefix("surrealkv://") {
        if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
    }
    let connect_err = |source| DbError::Connect { url: url.to_string(), source };
    let embedded = url.starts_with("mem://") || url.starts_with("memory") || url.starts_with("surrealkv://");
    let db = if embedded {
        let (db, datastore) = open_embedded(url, config).await.map_err(|message| DbError::Open { url: url.to_string(), message })?;
        db.use_ns(&config.namespace).use_db(&config.database).await.map_err(connect_err)?;
        Db::Embedded(Arc::new(db), datastore)
    } else {
        let db = any::connect(url).await.map_err(connect_err)?;
        if let (Some(user), Some(pass)) = (&config.user, &config.pass) {
            db.signin(Root { username: user.clone(), password: pass.clone() }).await.map_err(connect_err)?;
        }
        // A server does not create the namespace and database on its own.
        db.query(format!(
            "DEFINE NAMESPACE IF NOT EXISTS {ns}; USE NS {ns}; DEFINE DATABASE IF NOT EXISTS {db};",
            ns = ident(&config.namespace),
            db = ident(&config.database)
        ))
        .await
        .and_then(|r| r.check())
        .map_err(connect_err)?;
        db.use_ns(&config.namespace).use_db(&config.database).await.map_err(connect_err)?;
        Db::Server(Arc::new(db))
    };
    Ok(db)
}

/// Quotes a namespace or database name for SurrealQL.
fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', ""))
}

/// Applies every migration not yet recorded in the `migration` table.
pub async fn migrate(db: &Db) -> Result<(), DbError> {
    db.query(
        "DEFINE TABLE IF NOT EXISTS migration SCHEMAFULL;
         DEFINE FIELD IF NOT EXISTS version ON migration TYPE int;
         DEFINE FIELD IF NOT EXISTS name ON migration TYPE string;
         DEFINE FIELD IF NOT EXISTS applied_at ON migration TYPE datetime DEFAULT time::now();
         DEFINE INDEX IF NOT EXISTS migration_version ON migration FIELDS version UNIQUE;",
    )
    .await?
    .check()?;
    let applied: Vec<i64> = db.query("SELECT VALUE version FROM migration").await?.take(0)?;
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(&i64::from(*version)) {
            continue;
        }
        tracing::info!(version, name, "applying migration");
        let statement =
            format!("BEGIN TRANSACTION;\n{sql}\nCREATE migration CONTENT {{ version: $version, name: $name }};\nCOMMIT TRANSACTION;");
        db.query(statement)
            .bind(("version", i64::from(*version)))
            .bind(("name", name.to_string()))
            .await
            .and_then(|r| r.check())
            .map_err(|source| DbError::Migration { version: *version, name, source })?;
    }
    Ok(())
}
