//! The command line: the dashboard (default), `--demo`, the standalone simulator, and `get`.

pub mod get;
pub mod overview;
pub mod table;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::api::client::{ApiKey, Client, ClientConfig};
use crate::config::{self, CredentialError};
use crate::sim::{self, Seed, SimConfig};

/// Exit codes, documented in the README.
pub mod exit {
    /// The API (or the network) refused or failed the request.
    pub const API: u8 = 1;
    /// Bad command-line usage (clap's own code).
    pub const USAGE: u8 = 2;
    /// No usable credentials or configuration.
    pub const CONFIG: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(
    name = "s2tui",
    version,
    about = "Terminal dashboard for the SingleStore Helios Management API",
    long_about = "Terminal dashboard for the SingleStore Helios Management API.\n\n\
        The API key is read from --api-key-file, SINGLESTOREDB_API_KEY or SINGLESTOREDB_MANAGEMENT_TOKEN.\n\
        `s2tui --demo` runs everything against the built-in simulator; no account needed."
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnectionArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How to reach an API: the real one, a URL, or the built-in demo.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Run against the built-in simulator, seeded with a demo organization.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Seed of the demo simulator: demo, empty or large:N.
    #[arg(long, global = true, default_value = "demo", value_parser = parse_seed, requires = "demo")]
    pub demo_seed: Seed,
    /// Speed factor of the demo simulator's state changes.
    #[arg(long, global = true, default_value_t = 10.0, requires = "demo")]
    pub demo_speed: f64,
    /// Read the API key from this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_key_file: Option<PathBuf>,
    /// API base URL (also SINGLESTOREDB_MANAGEMENT_BASE_URL). http:// only for loopback hosts.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Refuse every change before any request is made.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Seconds between refreshes of the visible pane.
    #[arg(long, global = true, default_value_t = 10, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub refresh: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API simulator as a standalone server.
    Sim(SimArgs),
    /// Print resources (the headless twin of the dashboard).
    Get(get::GetArgs),
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:18080")]
    pub listen: SocketAddr,
    /// The API key clients must send as `Authorization: Bearer KEY`.
    #[arg(long, env = "S2TUI_SIM_API_KEY", hide_env_values = true)]
    pub api_key: String,
    /// Divide every realistic duration (create, suspend, resume, job schedules) by this factor.
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Faults to inject, e.g. `latency=2s,429=10%,5xx=5%,drop=2%,retry-after=1`.
    #[arg(long, default_value = "none")]
    pub faults: String,
    /// Organization to start with: demo, empty or large:N.
    #[arg(long, default_value = "demo", value_parser = parse_seed)]
    pub seed: Seed,
    /// Audit entries per second from simulated colleagues.
    #[arg(long, default_value_t = 0.05)]
    pub colleague_rate: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    #[default]
    Table,
    Json,
}

fn parse_seed(s: &str) -> Result<Seed, String> {
    s.parse()
}

/// The key the in-process demo simulator accepts; it never leaves this process.
const DEMO_KEY: &str = "s2tui-demo-key";

/// An API to talk to, and the demo simulator behind it when there is one.
pub struct Session {
    pub client: Client,
    pub base_url: String,
    pub demo: Option<sim::server::SimHandle>,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Credentials(#[from] CredentialError),
    #[error("{0}")]
    Config(String),
    #[error("could not start the demo simulator: {0}")]
    Demo(std::io::Error),
}

impl Session {
    /// Opens a session as the flags and environment say: the demo, or a real API.
    pub async fn open(args: &ConnectionArgs) -> Result<Session, SessionError> {
        if args.demo {
            let config = SimConfig {
                api_key: DEMO_KEY.to_string(),
                speed: args.demo_speed,
                seed: args.demo_seed.clone(),
                ..SimConfig::default()
            };
            let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
            let handle = sim::server::SimHandle::start(config, addr).await.map_err(SessionError::Demo)?;
            let base_url = handle.base_url().to_string();
            let client = build_client(&base_url, ApiKey::new(DEMO_KEY.to_string()))?;
            return Ok(Session { client, base_url, demo: Some(handle) });
        }
        let env = |name: &str| std::env::var(name).ok();
        let resolved = config::resolve_api_key(args.api_key_file.as_deref(), env)?;
        if let Some(warning) = &resolved.warning {
            eprintln!("warning: {warning}");
        }
        let base_url = config::resolve_base_url(args.base_url.as_deref(), env);
        let client = build_client(&base_url, resolved.key)?;
        Ok(Session { client, base_url, demo: None })
    }

    pub async fn close(self) {
        if let Some(demo) = self.demo {
            demo.shutdown().await;
        }
    }
}

fn build_client(base_url: &str, key: ApiKey) -> Result<Client, SessionError> {
    let config = ClientConfig::new(base_url, key).map_err(|e| SessionError::Config(e.to_string()))?;
    Client::new(config).map_err(|e| SessionError::Config(e.to_string()))
}

/// Runs the parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Sim(args)) => run_sim(args).await,
        Some(Command::Get(args)) => with_session(&cli.conn, |s| get::run(s, args)).await,
        None => {
            let conn = cli.conn.clone();
            with_session(&cli.conn, move |s| dashboard(s, conn)).await
        }
    }
}

/// Opens the dashboard on the session's API until the user quits.
async fn dashboard(session: Session, conn: ConnectionArgs) -> u8 {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("error: the dashboard needs a terminal; for scripts use `s2tui get <resource>` (see --help)");
        session.close().await;
        return exit::USAGE;
    }
    let config = crate::app::AppConfig {
        session: crate::state::SessionInfo {
            base_url: session.base_url.clone(),
            demo: session.demo.is_some(),
            profile: "default".to_string(),
            read_only: conn.read_only,
            refresh_every: Duration::from_secs(conn.refresh),
        },
        keymap: crate::keymap::Keymap::default(),
        theme: crate::theme::Theme::from_env(std::env::var("NO_COLOR").ok()),
    };
    let result = crate::app::run(session.client.clone(), config).await;
    session.close().await;
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: terminal: {e}");
            exit::CONFIG
        }
    }
}

async fn with_session<F, Fut>(conn: &ConnectionArgs, f: F) -> u8
where
    F: FnOnce(Session) -> Fut,
    Fut: std::future::Future<Output = u8>,
{
    match Session::open(conn).await {
        Ok(session) => f(session).await,
        Err(e) => {
            eprintln!("error: {e}");
            exit::CONFIG
        }
    }
}

async fn run_sim(args: SimArgs) -> u8 {
    let faults = match args.faults.parse() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: --faults: {e}");
            return exit::USAGE;
        }
    };
    if args.api_key.trim().is_empty() {
        eprintln!("error: --api-key must not be empty");
        return exit::USAGE;
    }
    if !(args.speed > 0.0 && args.speed.is_finite()) {
        eprintln!("error: --speed must be a positive number");
        return exit::USAGE;
    }
    let config = SimConfig {
        api_key: args.api_key,
        speed: args.speed,
        faults,
        seed: args.seed,
        colleague_rate: args.colleague_rate.max(0.0),
        signed_url_ttl: Duration::from_secs(15 * 60),
    };
    match sim::server::serve_forever(config, args.listen).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: simulator on {}: {e}", args.listen);
            exit::CONFIG
        }
    }
}
