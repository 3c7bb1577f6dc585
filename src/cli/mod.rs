//! The command line: the dashboard (default), `--demo`, the standalone simulator, and `get`.

pub mod get;
pub mod get_dr;
pub mod get_flow;
pub mod output;
pub mod overview;
pub mod people;
pub mod resolve;
pub mod stage;
pub mod table;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::api::client::{ApiKey, Client, ClientConfig};
use crate::api::detect::Detected;
use crate::api::{ApiChoice, ApiVersion};
use crate::config::profile::{self, ProfileError};
use crate::config::{self, Config, CredentialError, Paths};
use crate::keymap::Keymap;
use crate::sim::{self, Seed, SimConfig};
use crate::state::SessionInfo;
use crate::theme::Theme;

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
    /// Profile of the config file to use (also S2TUI_PROFILE).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Refuse every change before any request is made.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Management API version: auto (ask the service once), v1 or v2. Also
    /// SINGLESTOREDB_MANAGEMENT_VERSION or a profile's `api`; the demo speaks v2.
    #[arg(long, global = true, value_name = "VERSION", value_parser = parse_api)]
    pub api: Option<ApiChoice>,
    /// Seconds between refreshes of the visible pane (default 10).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub refresh: Option<u64>,
    /// Colour theme: dark, light or high-contrast (NO_COLOR turns colours off).
    #[arg(long, global = true, value_name = "NAME", value_parser = ["dark", "light", "high-contrast"])]
    pub theme: Option<String>,
    /// Log level: error, warn, info, debug or trace (S2TUI_LOG, an env-filter, wins).
    #[arg(long, global = true, value_name = "LEVEL", value_parser = ["error", "warn", "info", "debug", "trace"])]
    pub log_level: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API simulator as a standalone server.
    Sim(SimArgs),
    /// Print resources (the headless twin of the dashboard).
    Get(get::GetArgs),
    /// Stage files from scripts: ls, cp, mv, rm, mkdir.
    Stage(stage::StageArgs),
    /// Print where the config, data and log files are.
    Paths,
    /// Work with the config file.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Write a commented default config file (refuses to overwrite unless --force).
    Init {
        #[arg(long)]
        force: bool,
    },
    /// Check the config and keymap files and print every warning.
    Check,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:18080")]
    pub listen: SocketAddr,
    /// The API key clients must send as `Authorization: Bearer KEY`. Visible to other users in
    /// the process list: prefer --api-key-file PATH or the environment variable S2TUI_SIM_API_KEY.
    #[arg(long, conflicts_with = "api_key_file")]
    pub api_key: Option<String>,
    /// Divide every realistic duration (create, suspend, resume, job schedules) by this factor.
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Faults to inject, e.g. `latency=2s,429=10%,5xx=5%,drop=2%,retry-after=1`.
    #[arg(long, default_value = "none")]
    pub faults: String,
    /// Organization to start with: demo, empty or large:N.
    #[arg(long, default_value = "demo", value_parser = parse_seed)]
    pub seed: Seed,
    /// Audit entries per second from simulated colleagues (at most 1000).
    #[arg(long, default_value_t = 0.05)]
    pub colleague_rate: f64,
    /// Audit entries kept; older ones expire (paging stays exact).
    #[arg(long, default_value_t = sim::world::DEFAULT_AUDIT_RETENTION, value_parser = clap::value_parser!(usize))]
    pub audit_retention: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    #[default]
    Table,
    Json,
}

fn parse_api(s: &str) -> Result<ApiChoice, String> {
    s.parse()
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
    pub info: SessionInfo,
    /// Problems with the config file or the key file, worth telling the user.
    pub warnings: Vec<String>,
    pub config: Config,
    pub paths: Paths,
    /// Versions `auto` has settled, so that reopening a profile does not ask again.
    pub detected: Detected,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Credentials(#[from] CredentialError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("{0}")]
    Config(String),
    #[error("could not start the demo simulator: {0}")]
    Demo(std::io::Error),
}

/// Reads the config file (a missing file is fine); warnings come back with it.
pub fn load_config(paths: &Paths) -> (Config, Vec<String>) {
    let path = paths.config_file();
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let (config, warnings) = config::file::parse(&text);
            (config, warnings.into_iter().map(|w| format!("{}: {w}", path.display())).collect())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), Vec::new()),
        Err(e) => (Config::default(), vec![format!("cannot read {}: {e}", path.display())]),
    }
}

impl Session {
    /// Opens a session as the flags, environment and config file say: the demo, or a profile.
    pub async fn open(args: &ConnectionArgs) -> Result<Session, SessionError> {
        let paths = Paths::from_env();
        let (config, mut warnings) = load_config(&paths);
        let profiles: Vec<String> = config.profiles.keys().cloned().collect();
        if args.demo {
            let sim_config = SimConfig {
                api_key: DEMO_KEY.to_string(),
                speed: args.demo_speed,
                seed: args.demo_seed.clone(),
                colleague_rate: DEMO_COLLEAGUE_RATE,
                ..SimConfig::default()
            };
            let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
            let handle = sim::server::SimHandle::start(sim_config, addr).await.map_err(SessionError::Demo)?;
            let base_url = handle.base_url().to_string();
            let detected = Detected::default();
            let client = build_client(&base_url, ApiKey::new(DEMO_KEY.to_string()), &config)?;
            // The simulator speaks both; the demo shows the current API unless asked otherwise.
            let choice = args.api.unwrap_or(ApiChoice::Fixed(ApiVersion::V2));
            let version = detected.resolve("demo", &client, choice).await;
            let client = client.with_version(version);
            let info = SessionInfo {
                base_url: base_url.clone(),
                demo: true,
                profile: "demo".to_string(),
                profile_color: Some("magenta".to_string()),
                production: false,
                profiles,
                read_only: args.read_only,
                refresh_every: Duration::from_secs(args.refresh.or(config.refresh).unwrap_or(10)),
                operation_timeout: operation_timeout(&config),
                request_rate: request_rate(&config),
                api_version: version,
                data_dir: Some(paths.data_dir.clone()),
            };
            return Ok(Session { client, base_url, demo: Some(handle), info, warnings, config, paths, detected });
        }
        let env = |name: &str| std::env::var(name).ok();
        let opened = profile::open(&config, &flags(args), env)?;
        warnings.extend(opened.warnings.iter().cloned());
        let client = build_client(&opened.base_url, opened.key, &config)?;
        let detected = Detected::default();
        let version = detected.resolve(&opened.name, &client, opened.api).await;
        tracing::info!(profile = %opened.name, api = %opened.api, version = %version, "API version");
        let client = client.with_version(version);
        let info = SessionInfo {
            base_url: opened.base_url.clone(),
            demo: false,
            profile: opened.name,
            profile_color: opened.color,
            production: opened.production,
            profiles,
            read_only: opened.read_only,
            refresh_every: opened.refresh,
            operation_timeout: operation_timeout(&config),
            request_rate: request_rate(&config),
            api_version: version,
            data_dir: Some(paths.data_dir.clone()),
        };
        Ok(Session { client, base_url: opened.base_url, demo: None, info, warnings, config, paths, detected })
    }

    pub async fn close(self) {
        if let Some(demo) = self.demo {
            demo.shutdown().await;
        }
    }
}

/// Audit entries per second from the demo's simulated colleagues: lively, not noisy.
const DEMO_COLLEAGUE_RATE: f64 = 0.5;

fn flags(args: &ConnectionArgs) -> profile::Flags<'_> {
    profile::Flags {
        profile: args.profile.as_deref(),
        api_key_file: args.api_key_file.as_deref(),
        base_url: args.base_url.as_deref(),
        read_only: args.read_only,
        refresh: args.refresh,
        theme: args.theme.as_deref(),
        api: args.api,
        cancel: None,
    }
}

fn build_client(base_url: &str, key: ApiKey, config: &Config) -> Result<Client, SessionError> {
    let mut client = ClientConfig::new(base_url, key).map_err(|e| SessionError::Config(e.to_string()))?;
    if let Some(secs) = config.request_timeout {
        let connect = client.connect_timeout;
        client = client.with_timeouts(connect, Duration::from_secs(secs));
    }
    Client::new(client).map_err(|e| SessionError::Config(e.to_string()))
}

/// How long the operations tracker follows a change, from the config.
fn operation_timeout(config: &Config) -> Duration {
    config.operation_timeout.map_or(crate::session::DEFAULT_OPERATION_TIMEOUT, Duration::from_secs)
}

/// The steady request rate of idle refreshes, from the config.
fn request_rate(config: &Config) -> f64 {
    config.request_rate.unwrap_or(crate::session::DEFAULT_REQUEST_RATE)
}

/// Runs the parsed command line; returns the process exit code.
pub async fn run(cli: Cli) -> u8 {
    let level = cli.conn.log_level.clone();
    match cli.command {
        Some(Command::Sim(args)) => {
            crate::logging::to_stderr(level.as_deref().unwrap_or("info"));
            run_sim(args, cli.conn.api_key_file.as_deref()).await
        }
        Some(Command::Get(args)) => {
            crate::logging::to_stderr(level.as_deref().unwrap_or("warn"));
            with_session(&cli.conn, |s| get::run(s, args)).await
        }
        Some(Command::Stage(args)) => {
            crate::logging::to_stderr(level.as_deref().unwrap_or("warn"));
            with_session(&cli.conn, |s| stage::run(s, args)).await
        }
        Some(Command::Paths) => paths(),
        Some(Command::Config { action }) => config_command(action),
        Some(Command::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "s2tui", &mut script);
            output::stdout(script)
        }
        None => {
            let conn = cli.conn.clone();
            with_session(&cli.conn, move |s| dashboard(s, conn)).await
        }
    }
}

fn paths() -> u8 {
    let p = Paths::from_env();
    output::stdout(format!(
        "config   {}\nkeymap   {}\ndata     {}\nlogs     {}\n",
        p.config_file().display(),
        p.keymap_file().display(),
        p.data_dir.display(),
        p.log_dir().display()
    ))
}

fn config_command(action: ConfigAction) -> u8 {
    let paths = Paths::from_env();
    match action {
        ConfigAction::Init { force } => {
            let path = paths.config_file();
            if path.exists() && !force {
                eprintln!("error: {} exists; use --force to replace it", path.display());
                return exit::CONFIG;
            }
            match write_atomically(&path, config::file::DEFAULT_CONFIG.as_bytes()) {
                Ok(()) => output::stdout(format!("wrote {}\n", path.display())),
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    exit::CONFIG
                }
            }
        }
        ConfigAction::Check => {
            let (config, mut warnings) = load_config(&paths);
            let file = paths.config_file();
            warnings.extend(config::runtime_problems(&config).into_iter().map(|w| format!("{}: {w}", file.display())));
            warnings.extend(load_keymap(&paths).1);
            if warnings.is_empty() {
                let files = format!("{} and {}", paths.config_file().display(), paths.keymap_file().display());
                return output::stdout(format!("{files}: no problems\n"));
            }
            output::warnings(&warnings);
            exit::CONFIG
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// The default keymap with the user's keymap file applied.
pub fn load_keymap(paths: &Paths) -> (Keymap, Vec<String>) {
    let mut keymap = Keymap::default();
    let path = paths.keymap_file();
    let warnings = match std::fs::read_to_string(&path) {
        Ok(text) => config::keymap_file::apply(&mut keymap, &text)
            .into_iter()
            .map(|w| format!("{}: {w}", path.display()))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => vec![format!("cannot read {}: {e}", path.display())],
    };
    (keymap, warnings)
}

/// The theme the flags, profile and config ask for, with the file's overrides.
fn theme_for(name: Option<&str>, config: &Config, warnings: &mut Vec<String>) -> Theme {
    let mut theme = Theme::resolve(name, std::env::var("NO_COLOR").ok());
    warnings.extend(theme.apply_overrides(&config.theme_overrides));
    theme
}

/// Opens the dashboard on the session's API until the user quits.
async fn dashboard(session: Session, conn: ConnectionArgs) -> u8 {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("error: the dashboard needs a terminal; for scripts use `s2tui get <resource>` (see --help)");
        session.close().await;
        return exit::USAGE;
    }
    let level = conn.log_level.clone().or(session.config.log_level.clone()).unwrap_or_else(|| "info".into());
    let _log_guard = match crate::logging::to_file(&session.paths.log_dir(), &level) {
        Ok(guard) => Some(guard),
        Err(e) => {
            eprintln!("warning: no log file in {}: {e}", session.paths.log_dir().display());
            None
        }
    };
    tracing::info!(profile = %session.info.profile, base_url = %session.base_url, "dashboard started");
    let mut warnings = session.warnings.clone();
    let (keymap, keymap_warnings) = load_keymap(&session.paths);
    warnings.extend(keymap_warnings);
    let theme_name = conn.theme.clone().or(session.config.theme.clone());
    let theme = theme_for(theme_name.as_deref(), &session.config, &mut warnings);
    for w in &warnings {
        tracing::warn!("{w}");
    }
    let opener = profile_opener(session.config.clone(), conn.clone(), session.detected.clone());
    let app_config = crate::app::AppConfig {
        session: session.info.clone(),
        keymap,
        theme,
        warnings,
        open_profile: Some(opener),
        transfers: (session.config.transfers, session.config.transfers_large),
    };
    let result = crate::app::run(session.client.clone(), app_config).await;
    session.close().await;
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: terminal: {e}");
            exit::CONFIG
        }
    }
}

/// How `:profile NAME` opens another profile: its key (a command may run), client and settings.
fn profile_opener(config: Config, conn: ConnectionArgs, detected: Detected) -> crate::app::ProfileOpener {
    Box::new(move |name: &str, cancel: &std::sync::atomic::AtomicBool| {
        let env = |v: &str| std::env::var(v).ok();
        let flags = profile::Flags {
            profile: Some(name),
            // A key file or URL given on the command line belongs to the first profile only.
            api_key_file: None,
            base_url: None,
            read_only: conn.read_only,
            refresh: conn.refresh,
            theme: conn.theme.as_deref(),
            // Like the key file and URL, a version on the command line is the first profile's.
            api: None,
            cancel: Some(cancel),
        };
        let opened = profile::open(&config, &flags, env).map_err(|e| e.to_string())?;
        let client = build_client(&opened.base_url, opened.key, &config).map_err(|e| e.to_string())?;
        // Runs on a blocking thread of the runtime, so it may wait for the answer here.
        let version = tokio::runtime::Handle::current().block_on(detected.resolve(&opened.name, &client, opened.api));
        let client = client.with_version(version);
        let mut warnings = opened.warnings;
        let theme = theme_for(opened.theme.as_deref(), &config, &mut warnings);
        let info = SessionInfo {
            base_url: opened.base_url,
            demo: false,
            profile: opened.name,
            profile_color: opened.color,
            production: opened.production,
            profiles: config.profiles.keys().cloned().collect(),
            read_only: opened.read_only,
            refresh_every: opened.refresh,
            operation_timeout: operation_timeout(&config),
            request_rate: request_rate(&config),
            api_version: version,
            data_dir: Some(Paths::from_env().data_dir),
        };
        Ok(crate::app::OpenedProfile { client, info, theme, warnings })
    })
}

async fn with_session<F, Fut>(conn: &ConnectionArgs, f: F) -> u8
where
    F: FnOnce(Session) -> Fut,
    Fut: std::future::Future<Output = u8>,
{
    match Session::open(conn).await {
        Ok(session) => f(session).await,
        Err(e) => {
            output::error(&e.to_string());
            exit::CONFIG
        }
    }
}

/// Environment variable holding the simulator's key (kept out of the process list).
pub const SIM_KEY_ENV_VAR: &str = "S2TUI_SIM_API_KEY";

async fn run_sim(args: SimArgs, key_file: Option<&std::path::Path>) -> u8 {
    let faults = match args.faults.parse() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: --faults: {e}");
            return exit::USAGE;
        }
    };
    let from_env = || std::env::var(SIM_KEY_ENV_VAR).ok();
    let api_key = match (args.api_key.or_else(|| key_file.is_none().then(from_env).flatten()), key_file) {
        (Some(key), _) if key.trim().is_empty() => {
            eprintln!("error: --api-key (or {SIM_KEY_ENV_VAR}) must not be empty");
            return exit::USAGE;
        }
        (Some(key), _) => key.trim().to_string(),
        (None, Some(path)) => match config::read_key_file(path) {
            Ok(key) => key.expose().to_string(),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::CONFIG;
            }
        },
        (None, None) => {
            eprintln!("error: the simulator needs a key: --api-key-file PATH, {SIM_KEY_ENV_VAR} or --api-key KEY");
            return exit::USAGE;
        }
    };
    if !(args.speed >= 0.001 && args.speed.is_finite()) {
        eprintln!("error: --speed must be a number of at least 0.001");
        return exit::USAGE;
    }
    if args.audit_retention == 0 {
        eprintln!("error: --audit-retention must be at least 1");
        return exit::USAGE;
    }
    if !args.listen.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, reachable from other machines; the simulator speaks plain HTTP and is \
             meant for 127.0.0.1",
            args.listen.ip()
        );
    }
    let mut colleague_rate = args.colleague_rate;
    if !(colleague_rate >= 0.0 && colleague_rate.is_finite()) {
        eprintln!("error: --colleague-rate must be a number of at least 0");
        return exit::USAGE;
    }
    if colleague_rate > sim::colleagues::MAX_RATE {
        eprintln!(
            "warning: --colleague-rate {colleague_rate} is capped at {} entries per second",
            sim::colleagues::MAX_RATE
        );
        colleague_rate = sim::colleagues::MAX_RATE;
    }
    let config = SimConfig {
        api_key,
        speed: args.speed,
        faults,
        seed: args.seed,
        colleague_rate,
        signed_url_ttl: Duration::from_secs(15 * 60),
        audit_retention: args.audit_retention,
    };
    match sim::server::serve_forever(config, args.listen).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: simulator on {}: {e}", args.listen);
            exit::CONFIG
        }
    }
}
