//! The loop: receive → drain everything queued → update → run effects → render if dirty.

use std::io;
use std::time::{Duration, Instant};

use base64::Engine;
use tokio::sync::mpsc;

use crate::api::client::Client;
use crate::effect::{Effect, Runner};
use crate::keymap::Keymap;
use crate::msg::Msg;
use crate::state::{SessionInfo, State};
use crate::theme::Theme;
use crate::tui::{self, Events, Term};
use crate::{update, view};

/// At most this often a frame is drawn, however fast messages arrive (about 60 fps).
const FRAME: Duration = Duration::from_millis(16);

/// MySQL-compatible clients tried for `x`, in order.
const SQL_CLIENTS: [&str; 3] = ["singlestore", "mysql", "mariadb"];

pub struct AppConfig {
    pub session: SessionInfo,
    pub keymap: Keymap,
    pub theme: Theme,
}

/// Runs the dashboard until the user quits. The terminal is restored on every way out.
pub async fn run(client: Client, config: AppConfig) -> io::Result<()> {
    tui::install_panic_hook();
    let mut term = tui::enter()?;
    let result = run_loop(&mut term, client, config).await;
    tui::restore();
    result
}

async fn run_loop(term: &mut Term, client: Client, config: AppConfig) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let runner = Runner::new(client, tx.clone());
    let mut events = Events::start(tx.clone());
    tui::spawn_signal_watch(tx.clone());

    let mut state = State::new(config.session, config.keymap, config.theme, Instant::now(), chrono::Utc::now());
    let size = term.size()?;
    state.size = (size.width, size.height);
    let mut effects = update::init(&mut state);
    let mut last_frame: Option<Instant> = None;

    loop {
        for effect in effects.drain(..) {
            if let Some(effect) = runner.spawn(effect) {
                terminal_effect(effect, term, &mut events, &tx).await?;
            }
        }
        if state.quit {
            return Ok(());
        }
        let now = Instant::now();
        let frame_due = last_frame.map_or(now, |t| t + FRAME);
        if state.dirty && now >= frame_due {
            term.draw(|f| view::render(f, &state))?;
            state.dirty = false;
            last_frame = Some(now);
        }
        // Sleep until a message arrives; if a frame is owed, no longer than until it is due.
        let first = if state.dirty {
            match tokio::time::timeout(frame_due.saturating_duration_since(Instant::now()), rx.recv()).await {
                Ok(msg) => msg,
                Err(_) => continue,
            }
        } else {
            rx.recv().await
        };
        let Some(first) = first else { return Ok(()) };
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        for msg in batch {
            state.now = Instant::now();
            state.wall = chrono::Utc::now();
            let was_dirty = state.dirty;
            effects.extend(update::update(&mut state, msg));
            state.dirty |= was_dirty;
        }
    }
}

async fn terminal_effect(
    effect: Effect,
    term: &mut Term,
    events: &mut Events,
    inbox: &mpsc::UnboundedSender<Msg>,
) -> io::Result<()> {
    match effect {
        Effect::Copy(text) => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
            tui::write_raw(format!("\x1b]52;c;{encoded}\x07").as_bytes());
        }
        Effect::Bell => tui::write_raw(b"\x07"),
        Effect::SuspendApp => {
            tui::step_out(term, events, || async { tui::stop_process() }).await??;
            let _ = inbox.send(Msg::Redraw);
        }
        Effect::SqlShell { endpoint, user } => {
            let args = ["-h".to_string(), endpoint.clone(), "-P".into(), "3306".into(), "-u".into(), user, "-p".into()];
            match SQL_CLIENTS.iter().find(|c| on_path(c)) {
                None => {
                    let _ = inbox.send(Msg::Notice {
                        text: format!(
                            "No MySQL-compatible client found (singlestore, mysql or mariadb). Run: mysql {}",
                            args.join(" ")
                        ),
                        error: true,
                    });
                }
                Some(program) => {
                    let status = tui::step_out(term, events, || async {
                        tokio::process::Command::new(program).args(&args).status().await
                    })
                    .await?;
                    let notice = match status {
                        Ok(s) if s.success() => Msg::Redraw,
                        Ok(s) => Msg::Notice { text: format!("{program} exited with {s}"), error: true },
                        Err(e) => Msg::Notice { text: format!("could not run {program}: {e}"), error: true },
                    };
                    let _ = inbox.send(notice);
                }
            }
        }
        Effect::Quit | Effect::Fetch { .. } | Effect::Mutate { .. } | Effect::Timer { .. } => {}
    }
    Ok(())
}

/// True when `program` is an executable file in a PATH directory.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let candidate = dir.join(program);
            candidate.is_file() && is_executable(&candidate)
        })
    })
}

#[cfg(unix)]
fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &std::path::Path) -> bool {
    true
}
