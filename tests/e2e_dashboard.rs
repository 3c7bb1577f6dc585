//! End-to-end: the real binary in a pseudo-terminal, against the simulator over real HTTP.
//! The screen is read back through a vt100 parser; every wait is a poll bounded by a deadline.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use s2tui::api::types::WorkspaceState;
use s2tui::sim::{RequestRecord, Seed, SimConfig, SimHandle};

const ROWS: u16 = 32;
const COLS: u16 = 120;
const POLL: Duration = Duration::from_millis(20);
/// Generous: the binary may be starting on a loaded 2-core machine.
const WAIT: Duration = Duration::from_secs(10);

const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

/// The simulator, served by its own runtime so the test thread can block on the terminal.
struct Sim {
    handle: SimHandle,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    fn start() -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let config = SimConfig {
            api_key: "e2e-key".into(),
            // Suspend (30 s) and resume (45 s) land in well under a second.
            speed: 200.0,
            seed: Seed::Demo,
            colleague_rate: 0.0,
            ..SimConfig::default()
        };
        let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
        let handle = rt.block_on(SimHandle::start(config, addr)).unwrap();
        Sim { handle, _rt: rt }
    }

    fn requests(&self, method: &str, path_contains: &str) -> Vec<RequestRecord> {
        self.handle
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path_and_query.contains(path_contains))
            .collect()
    }

    fn workspace_state(&self, name: &str) -> WorkspaceState {
        let world = self.handle.shared().world();
        world.workspaces.values().find(|w| w.api.name == name).unwrap().api.state.clone()
    }

    fn workspace_id(&self, name: &str) -> String {
        let world = self.handle.shared().world();
        world.workspaces.values().find(|w| w.api.name == name).unwrap().api.workspace_id.to_string()
    }

    /// Workspace names the list shows (everything not terminated), with their group's name.
    fn visible_workspaces(&self) -> Vec<(String, String)> {
        let world = self.handle.shared().world();
        world
            .workspaces
            .values()
            .filter(|w| w.api.state != WorkspaceState::Terminated)
            .map(|w| {
                let group = world.groups.get(&w.api.workspace_group_id).map(|g| g.api.name.clone()).unwrap();
                (w.api.name.clone(), group)
            })
            .collect()
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut(&Sim) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            assert!(Instant::now() < deadline, "simulator never reached: {what}");
            std::thread::sleep(POLL);
        }
    }
}

/// The dashboard running in a pty: its screen, its raw output and its keyboard.
struct Dash {
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Dash {
    fn spawn(sim: &Sim, extra_env: &[(&str, &str)]) -> Dash {
        let pair =
            native_pty_system().openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_s2tui"));
        cmd.env("SINGLESTOREDB_API_KEY", sim.handle.api_key());
        cmd.env("SINGLESTOREDB_MANAGEMENT_BASE_URL", sim.handle.base_url());
        cmd.env("TERM", "xterm-256color");
        for var in ["SINGLESTOREDB_MANAGEMENT_TOKEN", "NO_COLOR", "S2TUI_TEST_PANIC", "S2TUI_TRACE_FIRST_DATA"] {
            cmd.env_remove(var);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child may hold the slave side, so that reads end when it exits.
        drop(pair.slave);

        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let reader = {
            let (screen, raw, writer) = (screen.clone(), raw.clone(), writer.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    let n = match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let chunk = &buf[..n];
                    screen.lock().unwrap().process(chunk);
                    let mut raw = raw.lock().unwrap();
                    // A query may straddle two reads: look from a few bytes before this chunk.
                    let from = raw.len().saturating_sub(CURSOR_QUERY.len() - 1);
                    raw.extend_from_slice(chunk);
                    let queries = count(&raw[from..], CURSOR_QUERY);
                    drop(raw);
                    for _ in 0..queries {
                        let mut w = writer.lock().unwrap();
                        let _ = w.write_all(b"\x1b[1;1R");
                        let _ = w.flush();
                    }
                }
            })
        };
        Dash { screen, raw, writer, child, reader: Some(reader), _master: pair.master }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Polls the screen until `done` holds, or fails showing the screen.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.contents();
            if done(&screen) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text));
    }

    fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go away"), |s| !s.contains(text));
    }

    fn send(&self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    /// The row of the list that shows `name` as a whole word.
    fn row_of(&self, name: &str) -> Option<String> {
        self.contents().lines().find(|l| has_word(l, name)).map(str::to_string)
    }

    fn wait_row(&self, name: &str, text: &str) {
        self.wait_until(&format!("the row of {name} to show {text:?}"), |_| {
            self.row_of(name).is_some_and(|row| row.contains(text))
        });
    }

    /// Waits for the process to end and for all its output to be read.
    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the dashboard did not exit; screen:\n{}", self.contents());
            std::thread::sleep(POLL);
        };
        let reader = self.reader.take().unwrap();
        while !reader.is_finished() {
            assert!(Instant::now() < deadline, "the pty output never ended");
            std::thread::sleep(POLL);
        }
        reader.join().unwrap();
        status
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }
}

impl Drop for Dash {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '│').any(|w| w == word)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was put back before byte `at` of the output: the last leave-alternate-screen and
/// show-cursor before it come after the last enter and hide, i.e. after the last frame.
fn assert_restored_before(raw: &[u8], at: usize) {
    let raw = &raw[..at];
    let shown = String::from_utf8_lossy(raw);
    let leave = rfind(raw, LEAVE_ALT).unwrap_or_else(|| panic!("never left the alternate screen:\n{shown:?}"));
    let show = rfind(raw, SHOW_CURSOR).unwrap_or_else(|| panic!("never showed the cursor again:\n{shown:?}"));
    assert!(leave > rfind(raw, ENTER_ALT).unwrap(), "still on the alternate screen:\n{shown:?}");
    assert!(show > rfind(raw, HIDE_CURSOR).unwrap(), "the cursor is still hidden:\n{shown:?}");
}

fn assert_restored(raw: &[u8]) {
    assert_restored_before(raw, raw.len());
}

#[test]
fn browse_filter_suspend_resume_terminate_and_quit() {
    let sim = Sim::start();
    let mut dash = Dash::spawn(&sim, &[]);

    // Every workspace of every group is listed, with its group.
    let expected = sim.visible_workspaces();
    assert!(expected.iter().map(|(_, g)| g).collect::<std::collections::HashSet<_>>().len() >= 4);
    dash.wait_until("every workspace of every group", |s| expected.iter().all(|(name, _)| s.contains(name)));
    for (name, group) in &expected {
        let row = dash.row_of(name).unwrap();
        let shown_group: String = group.chars().take(10).collect();
        assert!(row.contains(&shown_group), "{name} should show its group {group}: {row}");
    }

    // `/` narrows the list to one workspace; enter keeps the filter and gives the keys back.
    let target = "prod-analytics";
    assert_eq!(sim.workspace_state(target), WorkspaceState::Active);
    dash.send("/");
    dash.wait_for("type to filter");
    dash.send(target);
    dash.wait_until("only the target listed", |s| expected.iter().filter(|(name, _)| has_word(s, name)).count() == 1);
    assert!(dash.row_of(target).is_some());
    assert!(dash.row_of("prod-ingest").is_none());
    dash.send("\r");
    dash.wait_gone("type to filter");

    // esc on the y/n confirmation sends nothing.
    dash.send("s");
    dash.wait_for(&format!("Suspend workspace {target}?"));
    dash.send("\x1b");
    dash.wait_gone(&format!("Suspend workspace {target}?"));
    assert!(dash.row_of(target).is_some(), "esc closed the confirmation only, the filter stays");
    assert!(sim.requests("POST", "/suspend").is_empty());

    // s, y: the row says "suspending…" until the API reports SUSPENDED, and the world agrees.
    dash.send("s");
    dash.wait_for(&format!("Suspend workspace {target}?"));
    dash.send("y");
    dash.wait_row(target, "suspending…");
    dash.wait_row(target, "SUSPENDED");
    assert_eq!(sim.workspace_state(target), WorkspaceState::Suspended);

    // r, y: back to ACTIVE.
    dash.send("r");
    dash.wait_for(&format!("Resume workspace {target}?"));
    dash.send("y");
    dash.wait_row(target, "ACTIVE");
    assert_eq!(sim.workspace_state(target), WorkspaceState::Active);

    // ctrl-d with a wrong name: enter refuses, nothing is sent; esc cancels, nothing is sent.
    dash.send("\x04");
    dash.wait_for(&format!("Type {target} to confirm"));
    dash.send("prod-analytic\r");
    dash.wait_for("The name does not match.");
    dash.send("\x1b");
    dash.wait_gone("Terminate workspace");
    assert!(sim.requests("DELETE", "/v1/workspaces/").is_empty());
    assert_eq!(sim.workspace_state(target), WorkspaceState::Active);

    // ctrl-d with the exact name terminates it.
    dash.send("\x04");
    dash.wait_for(&format!("Type {target} to confirm"));
    dash.send(&format!("{target}\r"));
    sim.wait_until("the workspace terminated", |s| s.workspace_state(target) == WorkspaceState::Terminated);
    dash.wait_gone("Terminate workspace");

    // Exactly one of each mutation reached the API, on the right workspace.
    let id = sim.workspace_id(target);
    let suspends = sim.requests("POST", "/suspend");
    let resumes = sim.requests("POST", "/resume");
    let deletes = sim.requests("DELETE", "/v1/workspaces/");
    assert_eq!(suspends.len(), 1, "{suspends:?}");
    assert_eq!(resumes.len(), 1, "{resumes:?}");
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    for r in suspends.iter().chain(&resumes).chain(&deletes) {
        assert!(r.path_and_query.contains(&id), "{r:?}");
    }

    // esc clears the filter, then q quits with status 0 and the terminal put back.
    dash.send("\x1b");
    dash.wait_for("prod-ingest");
    dash.send("q");
    let status = dash.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&dash.raw());
}

#[test]
fn a_panic_restores_the_terminal_before_printing() {
    let sim = Sim::start();
    let mut dash = Dash::spawn(&sim, &[("S2TUI_TEST_PANIC", "1")]);
    let status = dash.wait_exit();
    assert!(!status.success(), "{status:?}");
    let raw = dash.raw();
    let shown = String::from_utf8_lossy(&raw);
    assert!(find(&raw, ENTER_ALT).is_some(), "no frame was drawn:\n{shown:?}");
    let message = find(&raw, b"S2TUI_TEST_PANIC: forced panic")
        .unwrap_or_else(|| panic!("no panic message in the output:\n{shown:?}"));
    // What unwinding writes after the message does not matter: the terminal must already have
    // been back to normal when the message was printed.
    assert_restored_before(&raw, message);
}

#[test]
fn sigterm_quits_cleanly() {
    let sim = Sim::start();
    let mut dash = Dash::spawn(&sim, &[]);
    dash.wait_for("prod-ingest");
    let killed = std::process::Command::new("kill").args(["-TERM", &dash.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = dash.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&dash.raw());
}
