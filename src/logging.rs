//! Logging: tracing to a daily rolling file in the state directory while the dashboard runs
//! (never to the terminal it draws on), to stderr for the headless commands. `S2TUI_LOG`
//! (an env-filter, e.g. `s2tui=debug`) wins over `--log-level`, which wins over the config file.
//! What is logged never includes API keys, passwords or secret values: the client logs method,
//! path, status and latency only.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

pub const LOG_ENV_VAR: &str = "S2TUI_LOG";
/// The log file's name prefix; files rotate daily (`s2tui.log.2026-11-29`).
pub const LOG_FILE_PREFIX: &str = "s2tui.log";

fn filter(level: &str) -> EnvFilter {
    std::env::var(LOG_ENV_VAR)
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(format!("warn,s2tui={level}")))
}

/// Logs to `dir`; keep the guard alive until exit so the last lines are written.
pub fn to_file(dir: &Path, level: &str) -> std::io::Result<WorkerGuard> {
    std::fs::create_dir_all(dir)?;
    let appender = tracing_appender::rolling::daily(dir, LOG_FILE_PREFIX);
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let subscriber =
        tracing_subscriber::fmt().with_env_filter(filter(level)).with_writer(writer).with_ansi(false).finish();
    // A second initialisation (tests) keeps the first subscriber; that is fine.
    let _ = tracing::subscriber::set_global_default(subscriber);
    Ok(guard)
}

/// Logs warnings and errors (or what `S2TUI_LOG` asks for) to stderr.
pub fn to_stderr(level: &str) {
    let subscriber = tracing_subscriber::fmt().with_env_filter(filter(level)).with_writer(std::io::stderr).finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}
