//! Command line and environment: every flag has an environment fallback, shown by `--help`.

use std::net::SocketAddr;

use clap::{
    builder::{BoolishValueParser, FalseyValueParser},
    Args, Parser, Subcommand,
};

#[derive(Debug, Parser)]
#[command(
    name = "mutirao",
    version,
    about = "Mutirão: map a value-chain network, run its workshops, negotiate and publish its recommendations."
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbConfig,
    #[command(flatten)]
    pub serve: ServeConfig,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the REST API (the default).
    Serve,
    /// Administration from the command line.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user, e.g. the first admin: `mutirao admin create-user --email a@b.org --role admin`.
    CreateUser {
        #[arg(long)]
        email: String,
        /// Display name (defaults to the part of the email before the @).
        #[arg(long)]
        name: Option<String>,
        /// A role: member, organizer, secretariat or admin. Repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The password (at least 12 characters). Without it, the password is read from
        /// standard input; an empty line creates an invitation link instead.
        #[arg(long, env = "MUTIRAO_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Write a backup of the database (a stopped one, or a server's) to a file: its schema and
    /// every record, as SurrealQL. A running server gives the same at `GET /api/v1/admin/backup`.
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Load a backup into an empty database (refused when it holds any record).
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Write the benchmark data set (a document of 150 paragraphs with 30 versions, 1,000
    /// amendments and 5,000 comments; see BENCHMARKS.md) into the database.
    GenerateBenchmarkData,
    /// Write the network benchmark's CSV files (`actors.csv`, `relations.csv`; see
    /// BENCHMARKS.md) into a directory, for an import.
    GenerateNetworkCsv {
        #[arg(long, default_value_t = 25_000)]
        actors: usize,
        #[arg(long, default_value_t = 100_000)]
        relations: usize,
        #[arg(long, default_value = ".")]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DbConfig {
    /// Database: `surrealkv://<path>` (embedded, on disk), `mem://` (embedded, in memory, for
    /// tests) or `ws://host:port` (a SurrealDB server or cluster).
    #[arg(long = "db", env = "MUTIRAO_DB", default_value = "surrealkv://data/mutirao", global = true)]
    pub url: String,
    /// User for a SurrealDB server (`ws://`).
    #[arg(long = "db-user", env = "MUTIRAO_DB_USER", global = true)]
    pub user: Option<String>,
    /// Password for a SurrealDB server (`ws://`).
    #[arg(long = "db-pass", env = "MUTIRAO_DB_PASS", hide_env_values = true, global = true)]
    pub pass: Option<String>,
    /// SurrealDB namespace.
    #[arg(long = "db-namespace", env = "MUTIRAO_DB_NAMESPACE", default_value = "mutirao", global = true)]
    pub namespace: String,
    /// SurrealDB database.
    #[arg(long = "db-database", env = "MUTIRAO_DB_DATABASE", default_value = "main", global = true)]
    pub database: String,
    /// Embedded database on disk: MiB of recent writes kept in memory before they are written
    /// out (SurrealKV's memtable; a single transaction must fit in it: an import's batch of 500
    /// rows takes about 1.3 MB; the crash test runs with 4 so that it fills up often).
    #[arg(long = "db-write-buffer-mib", env = "MUTIRAO_DB_WRITE_BUFFER_MIB", default_value_t = 16,
          value_parser = clap::value_parser!(u64).range(4..=65_536), global = true)]
    pub write_buffer_mib: u64,
    /// Embedded database on disk: MiB of the cache of blocks read from disk.
    #[arg(long = "db-cache-mib", env = "MUTIRAO_DB_CACHE_MIB", default_value_t = 32,
          value_parser = clap::value_parser!(u64).range(1..=1_048_576), global = true)]
    pub cache_mib: u64,
}

impl DbConfig {
    pub fn memory() -> Self {
        DbConfig {
            url: "mem://".into(),
            user: None,
            pass: None,
            namespace: "mutirao".into(),
            database: "main".into(),
            write_buffer_mib: 16,
            cache_mib: 32,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "MUTIRAO_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Load the demo data into an empty database at start (`MUTIRAO_DEMO=1`).
    #[arg(long, env = "MUTIRAO_DEMO", value_parser = FalseyValueParser::new())]
    pub demo: bool,
    /// Mark the session cookie `Secure` (sent over HTTPS only): `1` or `0`. Unset, it is secure
    /// unless the server listens on a loopback address (a laptop, or behind a proxy on the same
    /// machine that ends TLS).
    #[arg(long, env = "MUTIRAO_SECURE_COOKIES", value_parser = BoolishValueParser::new())]
    pub secure_cookies: Option<bool>,
    /// Hours a login session lasts.
    #[arg(long, env = "MUTIRAO_SESSION_HOURS", default_value_t = 336)]
    pub session_hours: u32,
    /// Ten times this many login attempts a minute are allowed from one client address (10: 100). Each account is slowed down on its own after five failures in a row, in every process.
    #[arg(long, env = "MUTIRAO_LOGIN_ATTEMPTS_PER_MINUTE", default_value_t = 10)]
    pub login_attempts_per_minute: u32,
    /// The site's address as browsers see it (`https://mutirao.example.org`), behind a proxy: a
    /// request that changes something is accepted only from this origin. Without it, from the
    /// host the request was sent to.
    #[arg(long, env = "MUTIRAO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The proxies in front of the server (addresses or networks, separated by commas): their
    /// `X-Forwarded-For` names the client for the login limit. Nobody's, when unset.
    #[arg(long, env = "MUTIRAO_TRUSTED_PROXIES", default_value = "", value_parser = crate::accounts::client::TrustedProxies::parse)]
    pub trusted_proxies: crate::accounts::client::TrustedProxies,
}

impl ServeConfig {
    /// Whether the session cookie is `Secure`: as configured, else unless listening on loopback.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies.unwrap_or(!self.addr.ip().is_loopback())
    }
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: ([127, 0, 0, 1], 3000).into(),
            demo: false,
            secure_cookies: None,
            session_hours: 336,
            login_attempts_per_minute: 10,
            public_url: None,
            trusted_proxies: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn boolean_variables_accept_1_and_0() {
        // Only this test touches these variables.
        std::env::set_var("MUTIRAO_DEMO", "1");
        std::env::set_var("MUTIRAO_SECURE_COOKIES", "0");
        let cli = Cli::try_parse_from(["mutirao"]).unwrap();
        std::env::remove_var("MUTIRAO_DEMO");
        std::env::remove_var("MUTIRAO_SECURE_COOKIES");
        assert!(cli.serve.demo);
        assert_eq!(cli.serve.secure_cookies, Some(false));
        assert!(!cli.serve.cookies_secure());
        assert!(Cli::try_parse_from(["mutirao", "--demo"]).unwrap().serve.demo);
    }

    #[test]
    fn the_session_cookie_is_secure_unless_on_loopback() {
        let on =
            |addr: &str, secure: Option<bool>| ServeConfig { addr: addr.parse().unwrap(), secure_cookies: secure, ..Default::default() };
        assert!(!on("127.0.0.1:3000", None).cookies_secure());
        assert!(!on("[::1]:3000", None).cookies_secure());
        assert!(on("0.0.0.0:3000", None).cookies_secure(), "listening beyond the machine");
        assert!(on("10.0.0.5:3000", None).cookies_secure());
        assert!(!on("0.0.0.0:3000", Some(false)).cookies_secure(), "as configured");
        assert!(on("127.0.0.1:3000", Some(true)).cookies_secure());
    }

    #[test]
    fn parses_admin_create_user() {
        let cli = Cli::try_parse_from([
            "mutirao",
            "admin",
            "create-user",
            "--email",
            "a@b.org",
            "--role",
            "admin",
            "--role",
            "member",
            "--db",
            "mem://",
        ])
        .unwrap();
        assert_eq!(cli.db.url, "mem://");
        match cli.command {
            Some(Command::Admin(AdminCommand::CreateUser { email, roles, .. })) => {
                assert_eq!(email, "a@b.org");
                assert_eq!(roles, vec!["admin", "member"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
