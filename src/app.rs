//! The loop: receive → drain everything queued → update → run effects → render if dirty.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::api::client::Client;
use crate::clipboard::Clipboard;
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
    /// Problems with the config, keymap or key file, shown as toasts when the dashboard opens.
    pub warnings: Vec<String>,
    /// How `:profile NAME` opens another profile; `None` when there is no config to open from.
    pub open_profile: Option<ProfileOpener>,
    /// Stage transfers at once: (while the next is small, large ones); `None` keeps the defaults.
    pub transfers: (Option<usize>, Option<usize>),
}

pub use crate::msg::{OpenedProfile, ProfileResult};

/// Opens a profile by name (may run a key command, so it is called off the loop's thread); the
/// flag is set when the profile is no longer wanted, and its key command must then stop.
pub type ProfileOpener = Box<dyn Fn(&str, &AtomicBool) -> Result<OpenedProfile, String> + Send + Sync>;

/// A profile being opened. Dropping it (another profile was asked for, or the dashboard
/// ends) tells its opener to stop and kill its key command.
struct Opening {
    number: u64,
    cancel: Arc<AtomicBool>,
}

impl Drop for Opening {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Runs the dashboard until the user quits. The terminal is restored on every way out.
pub async fn run(client: Client, config: AppConfig) -> io::Result<()> {
    tui::install_panic_hook();
    let mut term = tui::enter()?;
    let result = run_loop(&mut term, client, config).await;
    tui::restore();
    result
}

/// The dashboard without a terminal: its state, the runner of its effects and its inbox. The
/// terminal loop below and the headless loop of the tests both drive this one, so what a
/// message does is the same in both.
pub struct Dashboard {
    pub state: State,
    runner: Runner,
    tx: mpsc::UnboundedSender<Msg>,
    opener: Option<Arc<ProfileOpener>>,
    /// The profile switch asked for last, while it opens: the only one whose result is used.
    opening: Option<Opening>,
    /// Numbers profile switches, so a result knows which request it answers.
    switches: u64,
    /// Clocks that move only when told to (tests); `None`: the real clocks.
    held: Option<HeldClock>,
}

/// Clocks a test moves by hand: `now` changes only when it says so, and timers wait here
/// until the clock passes them, so a minute of idle takes no minute.
struct HeldClock {
    now: Instant,
    wall: chrono::DateTime<chrono::Utc>,
    timers: Vec<(Instant, crate::msg::Timer)>,
}

impl Dashboard {
    pub fn new(
        client: Client,
        state: State,
        tx: mpsc::UnboundedSender<Msg>,
        opener: Option<Arc<ProfileOpener>>,
    ) -> Self {
        let runner = Runner::new(observed(client, &tx), tx.clone());
        Self { state, runner, tx, opener, opening: None, switches: 0, held: None }
    }

    /// The first reads; returns what only a terminal can do.
    pub fn start(&mut self) -> Vec<Effect> {
        let effects = update::init(&mut self.state);
        self.run(effects)
    }

    /// One message, as the loop handles it: clocks stamped, `update`, effects started.
    /// Returns what only a terminal can do (clipboard, bell, shell, redraw).
    pub fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        if let Msg::ProfileOpened(ProfileResult(_, number)) = &msg {
            // The user's last choice wins: an earlier switch that finishes late is dropped.
            if self.opening.as_ref().is_none_or(|o| o.number != *number) {
                return Vec::new();
            }
            self.opening = None;
        }
        (self.state.now, self.state.wall) = match &self.held {
            Some(c) => (c.now, c.wall),
            None => (Instant::now(), chrono::Utc::now()),
        };
        let was_dirty = self.state.dirty;
        let effects = update::update(&mut self.state, msg);
        self.state.dirty |= was_dirty;
        self.run(effects)
    }

    /// Starts effects in order (a new client first takes over, so the reads after it use it).
    pub fn run(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut terminal = Vec::new();
        for effect in effects {
            match effect {
                Effect::SwitchProfile(name) => self.open_profile(name),
                Effect::Timer { after, timer } if self.held.is_some() => {
                    if let Some(c) = self.held.as_mut() {
                        c.timers.push((c.now + after, timer));
                    }
                }
                Effect::UseClient(crate::effect::NewClient(client)) => {
                    // Nothing of the old session goes on under the new profile's name.
                    self.runner.cancel_transfers();
                    self.runner = Runner::new(observed(client, &self.tx), self.tx.clone());
                }
                other => terminal.extend(self.runner.spawn(other)),
            }
        }
        terminal
    }

    /// From now on the clocks move only by [`Dashboard::next_timer`], and timers wait for them.
    pub fn hold_clock(&mut self) {
        self.held = Some(HeldClock { now: self.state.now, wall: self.state.wall, timers: Vec::new() });
    }

    /// Moves held clocks to the earliest timer due by `until` and returns it (to be handled);
    /// `None` once none is left, with the clocks at `until`.
    pub fn next_timer(&mut self, until: Instant) -> Option<crate::msg::Timer> {
        let c = self.held.as_mut()?;
        let next = c.timers.iter().enumerate().filter(|(_, (at, _))| *at <= until).min_by_key(|(_, (at, _))| *at);
        let (to, timer) = match next.map(|(i, _)| i) {
            Some(i) => {
                let (at, timer) = c.timers.remove(i);
                (at, Some(timer))
            }
            None => (until, None),
        };
        let by = to.saturating_duration_since(c.now);
        c.now += by;
        c.wall += chrono::Duration::from_std(by).unwrap_or_default();
        // The state reads the clocks there too: an advance with no timer still moves time on.
        (self.state.now, self.state.wall) = (c.now, c.wall);
        timer
    }

    fn open_profile(&mut self, name: String) {
        let Some(opener) = self.opener.clone() else {
            let text = "there is no config file with profiles (see `s2tui paths`)".to_string();
            let _ = self.tx.send(Msg::Notice { text, error: true });
            return;
        };
        // The key command may take a while (a password manager prompt): the dashboard keeps
        // running, and the result comes back through the inbox. A switch still opening is
        // cancelled (replacing it sets its flag): only the last one asked for is used.
        self.switches += 1;
        let number = self.switches;
        let cancel = Arc::new(AtomicBool::new(false));
        self.opening = Some(Opening { number, cancel: cancel.clone() });
        let inbox = self.tx.clone();
        let _ = self.tx.send(Msg::Notice { text: format!("Opening profile {name}…"), error: false });
        tokio::spawn(async move {
            let opened = tokio::task::spawn_blocking(move || opener(&name, &cancel))
                .await
                .unwrap_or_else(|e| Err(format!("opening the profile failed: {e}")));
            let _ = inbox.send(Msg::ProfileOpened(ProfileResult(opened, number)));
        });
    }
}

async fn run_loop(term: &mut Term, client: Client, config: AppConfig) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let opener = config.open_profile.map(Arc::new);
    let mut events = Events::start(tx.clone());
    tui::spawn_signal_watch(tx.clone());

    let mut state = State::new(config.session, config.keymap, config.theme, Instant::now(), chrono::Utc::now());
    let (small, large) = config.transfers;
    state.transfers.small_concurrency = small.unwrap_or(state.transfers.small_concurrency);
    state.transfers.concurrency = large.unwrap_or(state.transfers.concurrency);
    let size = term.size()?;
    state.size = (size.width, size.height);
    for warning in config.warnings {
        state.toasts.push(state.now, crate::widgets::toast::Level::Error, warning);
    }
    let mut dash = Dashboard::new(client, state, tx.clone(), opener);
    let mut effects = dash.start();
    let mut last_frame: Option<Instant> = None;
    let mut hooks = TestHooks::from_env();

    loop {
        for effect in effects.drain(..) {
            terminal_effect(effect, term, &mut events, &tx).await?;
        }
        if dash.state.quit {
            return Ok(());
        }
        let now = Instant::now();
        let frame_due = last_frame.map_or(now, |t| t + FRAME);
        if dash.state.dirty && now >= frame_due {
            tui::draw(term, |f| view::render(f, &dash.state))?;
            dash.state.dirty = false;
            last_frame = Some(now);
            hooks.after_frame(&dash.state);
        }
        // Sleep until a message arrives; if a frame is owed, no longer than until it is due.
        let first = if dash.state.dirty {
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
            effects.extend(dash.handle(msg));
        }
    }
}

/// Hooks for the end-to-end tests and `scripts/measure-startup-idle.sh`. Each is inert unless its
/// environment variable is set, and costs one check per frame.
struct TestHooks {
    /// `S2TUI_TEST_PANIC=1`: panic right after the first frame, to prove the terminal is put back
    /// before the panic message is printed.
    panic_after_first_frame: bool,
    /// `S2TUI_TRACE_FIRST_DATA=PATH`: write the Unix time in milliseconds at which the first frame
    /// showing workspace rows was drawn (the script subtracts its launch time).
    first_data: Option<std::path::PathBuf>,
}

impl TestHooks {
    fn from_env() -> Self {
        Self {
            panic_after_first_frame: std::env::var_os("S2TUI_TEST_PANIC").is_some_and(|v| v == "1"),
            first_data: std::env::var_os("S2TUI_TRACE_FIRST_DATA").map(Into::into),
        }
    }

    fn after_frame(&mut self, state: &State) {
        if self.panic_after_first_frame {
            panic!("S2TUI_TEST_PANIC: forced panic after the first frame");
        }
        // Workspaces at v1, clusters at v2: whichever the session opens on.
        if (state.panes.workspaces.table.total() > 0 || state.panes.clusters.table.total() > 0)
            && let Some(path) = self.first_data.take()
        {
            let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
            let _ = std::fs::write(path, format!("{ms}\n"));
        }
    }
}

/// The client, reporting every call to the activity log through the inbox.
fn observed(client: Client, inbox: &mpsc::UnboundedSender<Msg>) -> Client {
    let inbox = inbox.clone();
    client.with_observer(std::sync::Arc::new(move |call: &crate::api::client::CallRecord| {
        let _ = inbox.send(Msg::ApiCall(call.clone()));
    }))
}

async fn terminal_effect(
    effect: Effect,
    term: &mut Term,
    events: &mut Events,
    inbox: &mpsc::UnboundedSender<Msg>,
) -> io::Result<()> {
    match effect {
        Effect::Copy(text) => {
            if let Err(e) = Clipboard::from_env().copy(&text).await {
                let _ = inbox.send(Msg::Notice { text: format!("Could not copy: {e}"), error: true });
            }
        }
        Effect::CopySecret(value) => {
            if let Err(e) = Clipboard::from_env().copy(value.expose()).await {
                let _ = inbox.send(Msg::Notice { text: format!("Could not copy: {e}"), error: true });
            }
        }
        Effect::ClearClipboard => {
            if let Err(e) = Clipboard::from_env().clear().await {
                let text = format!("The clipboard could not be cleared ({e}): what was copied may still be there");
                let _ = inbox.send(Msg::Notice { text, error: true });
            }
        }
        Effect::Bell => tui::write_raw(b"\x07"),
        Effect::FullRedraw => tui::full_redraw(term)?,
        Effect::SuspendApp => {
            tui::step_out(term, events, || async { tui::stop_process() }).await??;
            let _ = inbox.send(Msg::Redraw);
        }
        Effect::SqlShell { endpoint, user } => {
            let args = ["-h".to_string(), endpoint.clone(), "-P".into(), "3306".into(), "-u".into(), user, "-p".into()];
            match SQL_CLIENTS.iter().find(|c| on_path(c)) {
                None => {
                    let _ = inbox.send(Msg::NoSqlClient { command: format!("mysql {}", args.join(" ")) });
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
        Effect::Quit
        | Effect::Fetch { .. }
        | Effect::Mutate { .. }
        | Effect::Timer { .. }
        | Effect::SwitchProfile(_)
        | Effect::UseClient(_)
        | Effect::ListLocalFolder { .. }
        | Effect::AuditExport(_)
        | Effect::Transfer(_) => {}
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
