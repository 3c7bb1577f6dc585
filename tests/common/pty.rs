//! The real binary in a pseudo-terminal, against the simulator over real HTTP: its screen read
//! back through a vt100 parser, its raw output kept, its keyboard written to. Every wait is a
//! poll bounded by a deadline.
//!
//! Included with `#[path = "common/pty.rs"] mod pty;` by the test files that need it.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use s2tui::sim::{RequestRecord, Seed, SimConfig, SimHandle};

#[path = "frames.rs"]
pub mod frames;

pub const ROWS: u16 = 32;
pub const COLS: u16 = 120;
pub const POLL: Duration = Duration::from_millis(20);
/// Generous: the binary may be starting on a loaded 2-core machine.
pub const WAIT: Duration = Duration::from_secs(10);

pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
pub const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
pub const PASTE_ON: &[u8] = b"\x1b[?2004h";
pub const PASTE_OFF: &[u8] = b"\x1b[?2004l";
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

/// Variables of the developer's environment that would change what the dashboard does.
const SCRUBBED: [&str; 7] = [
    "SINGLESTOREDB_MANAGEMENT_TOKEN",
    "NO_COLOR",
    "S2TUI_TEST_PANIC",
    "S2TUI_TRACE_FIRST_DATA",
    "S2TUI_PROFILE",
    "S2TUI_LOG",
    "S2TUI_SIM_API_KEY",
];

/// The simulator, served by its own runtime so the test thread can block on the terminal.
pub struct Sim {
    pub handle: SimHandle,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start(config: SimConfig) -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
        let handle = rt.block_on(SimHandle::start(config, addr)).unwrap();
        Sim { handle, _rt: rt }
    }

    /// The demo organization, quiet (no colleagues), with time running 200× fast: a suspend
    /// (30 s) or resume (45 s) lands in well under a second, a one-hour job interval in 18 s.
    pub fn demo() -> Sim {
        Sim::start(SimConfig {
            api_key: "e2e-key".into(),
            speed: 200.0,
            seed: Seed::Demo,
            colleague_rate: 0.0,
            ..SimConfig::default()
        })
    }

    pub fn requests(&self, method: &str, path_contains: &str) -> Vec<RequestRecord> {
        self.handle
            .requests()
            .into_iter()
            .filter(|r| r.method == method && r.path_and_query.contains(path_contains))
            .collect()
    }

    /// A client of the simulator, as any program would make one.
    pub fn client(&self) -> s2tui::api::client::Client {
        let key = s2tui::api::client::ApiKey::new(self.handle.api_key());
        let config = s2tui::api::client::ClientConfig::new(self.handle.base_url(), key).unwrap();
        s2tui::api::client::Client::new(config).unwrap()
    }

    /// Runs `f` (a client's calls) to completion on the simulator's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self._rt.block_on(f)
    }

    pub fn wait_until(&self, what: &str, mut done: impl FnMut(&Sim) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            assert!(Instant::now() < deadline, "simulator never reached: {what}");
            std::thread::sleep(POLL);
        }
    }
}

/// A program running in a pty: its screen, its raw output and its keyboard.
pub struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every screen drawn so far.
    frames: Arc<Mutex<frames::Frames>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    reader: Option<JoinHandle<()>>,
    _master: Box<dyn MasterPty + Send>,
    /// Config, data and log directories of the run, so no file of the developer's is read or written.
    _home: tempfile::TempDir,
}

/// The dashboard's command: the binary with the simulator's key and URL, in an empty home.
pub fn dashboard_command(sim: &Sim, home: &std::path::Path, env: &[(&str, &str)]) -> CommandBuilder {
    command_with_env(env!("CARGO_BIN_EXE_s2tui"), &[], sim, home, env)
}

/// Runs `script` with `sh -c` in the dashboard's environment; `$S2TUI_BIN` is the binary.
pub fn shell_command(script: &str, sim: &Sim, home: &std::path::Path, env: &[(&str, &str)]) -> CommandBuilder {
    let mut cmd = command_with_env("sh", &["-c", script], sim, home, env);
    cmd.env("S2TUI_BIN", env!("CARGO_BIN_EXE_s2tui"));
    cmd
}

fn command_with_env(
    program: &str,
    args: &[&str],
    sim: &Sim,
    home: &std::path::Path,
    env: &[(&str, &str)],
) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.cwd(home);
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd.env("SINGLESTOREDB_API_KEY", sim.handle.api_key());
    cmd.env("SINGLESTOREDB_MANAGEMENT_BASE_URL", sim.handle.base_url());
    cmd.env("TERM", "xterm-256color");
    // The workspaces dashboard (v1) unless a test asks for v2 in `env`: the simulator serves
    // both, so `auto` would pick v2.
    cmd.env("SINGLESTOREDB_MANAGEMENT_VERSION", "v1");
    for (var, dir) in [("S2TUI_CONFIG_DIR", "config"), ("S2TUI_DATA_DIR", "data"), ("S2TUI_STATE_DIR", "state")] {
        cmd.env(var, home.join(dir));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

impl Pty {
    /// The dashboard at the default size (32×120) against `sim`, with `env` on top.
    pub fn dashboard(sim: &Sim, env: &[(&str, &str)]) -> Pty {
        Pty::dashboard_sized(sim, ROWS, COLS, env)
    }

    /// The dashboard with command-line `args` (`--refresh 2`), at the default size.
    pub fn dashboard_with_args(sim: &Sim, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = dashboard_command(sim, home.path(), env);
        cmd.args(args);
        Pty::spawn_in(cmd, ROWS, COLS, home)
    }

    pub fn dashboard_sized(sim: &Sim, rows: u16, cols: u16, env: &[(&str, &str)]) -> Pty {
        let home = tempfile::tempdir().unwrap();
        let cmd = dashboard_command(sim, home.path(), env);
        Pty::spawn_in(cmd, rows, cols, home)
    }

    /// `script` run by `sh -c` in the dashboard's environment (`$S2TUI_BIN` is the binary), so
    /// that what the terminal looks like after the dashboard is gone can be printed from inside.
    pub fn shell(sim: &Sim, script: &str, env: &[(&str, &str)]) -> Pty {
        let home = tempfile::tempdir().unwrap();
        let cmd = shell_command(script, sim, home.path(), env);
        Pty::spawn_in(cmd, ROWS, COLS, home)
    }

    /// Any command, in a pty of `rows`×`cols`.
    pub fn spawn(cmd: CommandBuilder, rows: u16, cols: u16) -> Pty {
        Pty::spawn_in(cmd, rows, cols, tempfile::tempdir().unwrap())
    }

    fn spawn_in(cmd: CommandBuilder, rows: u16, cols: u16, home: tempfile::TempDir) -> Pty {
        let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        // Only the child may hold the slave side, so that reads end when it exits.
        drop(pair.slave);

        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let frames = Arc::new(Mutex::new(frames::Frames::default()));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let reader = {
            let (screen, frames, raw, writer) = (screen.clone(), frames.clone(), raw.clone(), writer.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    let n = match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let chunk = &buf[..n];
                    frames.lock().unwrap().feed(&mut screen.lock().unwrap(), chunk);
                    let mut raw = raw.lock().unwrap();
                    // A query may straddle two reads: look from a few bytes before this chunk.
                    let from = raw.len().saturating_sub(CURSOR_QUERY.len() - 1);
                    raw.extend_from_slice(chunk);
                    let queries = count(&raw[from..], CURSOR_QUERY);
                    drop(raw);
                    // The terminal's answer to "where is the cursor?": the backend waits for it.
                    for _ in 0..queries {
                        let mut w = writer.lock().unwrap();
                        let _ = w.write_all(b"\x1b[1;1R");
                        let _ = w.flush();
                    }
                }
            })
        };
        Pty { screen, frames, raw, writer, child, reader: Some(reader), _master: pair.master, _home: home }
    }

    /// The text on the screen now, row by row.
    pub fn screen(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Every distinct screen drawn so far, oldest first (see [`frames`]).
    pub fn frames(&self) -> Vec<String> {
        self.frames.lock().unwrap().all().to_vec()
    }

    /// The last whole frame drawn (the live screen can be half way through a redraw).
    pub fn last_frame(&self) -> Option<String> {
        self.frames.lock().unwrap().all().last().cloned()
    }

    /// How many frames were recorded so far: a mark to look only at the frames after it.
    pub fn frame_count(&self) -> usize {
        self.frames.lock().unwrap().len()
    }

    /// Fails if any frame drawn so far showed `what`.
    pub fn assert_never(&self, what: &str, shows: impl Fn(&str) -> bool) {
        frames::assert_never(&self.frames(), what, shows);
    }

    /// Everything the program wrote so far, escape sequences included.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw()).into_owned()
    }

    /// Polls the screen until `done` holds, or fails showing the screen.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) {
        self.wait_within(WAIT, what, done);
    }

    /// [`Pty::wait_until`] with a deadline of its own, for waits that outlast retries.
    pub fn wait_within(&self, within: Duration, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
            std::thread::sleep(POLL);
        }
    }

    /// Polls the raw output until `done` holds, or fails showing it.
    pub fn wait_raw(&self, what: &str, done: impl Fn(&[u8]) -> bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            let raw = self.raw();
            if done(&raw) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; output:\n{:?}",
                String::from_utf8_lossy(&raw)
            );
            std::thread::sleep(POLL);
        }
    }

    /// Waits for a file to appear (a download landing), showing the screen if it never does.
    pub fn wait_file(&self, path: &std::path::Path) {
        let deadline = Instant::now() + WAIT;
        while !path.exists() {
            assert!(Instant::now() < deadline, "{} never appeared; screen:\n{}", path.display(), self.screen());
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text));
    }

    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go away"), |s| !s.contains(text));
    }

    /// The row of the screen that shows `name` as a whole word.
    pub fn row_of(&self, name: &str) -> Option<String> {
        self.screen().lines().find(|l| has_word(l, name)).map(str::to_string)
    }

    pub fn wait_row(&self, name: &str, text: &str) {
        self.wait_until(&format!("the row of {name} to show {text:?}"), |_| {
            self.row_of(name).is_some_and(|row| row.contains(text))
        });
    }

    /// Types `keys` (escape sequences and control characters as they are).
    pub fn send(&self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    pub fn send_bytes(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    /// Waits up to `within` for the process to end and for all its output to be read.
    pub fn exit_status(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the program did not exit; screen:\n{}", self.screen());
            std::thread::sleep(POLL);
        };
        if let Some(reader) = self.reader.take() {
            while !reader.is_finished() {
                assert!(Instant::now() < deadline, "the pty output never ended");
                std::thread::sleep(POLL);
            }
            reader.join().unwrap();
        }
        status
    }

    pub fn wait_exit(&mut self) -> ExitStatus {
        self.exit_status(WAIT)
    }

    /// The process started in the pty (the shell, for [`Pty::shell`]).
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Sends `sig` (`TERM`, `HUP`, `INT`, `CONT`, …) to the process started in the pty.
    pub fn signal(&self, sig: &str) {
        signal(self.pid(), sig);
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sends `sig` to `pid` with kill(1).
pub fn signal(pid: u32, sig: &str) {
    let sent = std::process::Command::new("kill").args([&format!("-{sig}"), &pid.to_string()]).status().unwrap();
    assert!(sent.success(), "kill -{sig} {pid} failed");
}

/// The scheduler state of `pid` (`R`, `S`, `T` for stopped, `Z`…); `None` once it is gone.
pub fn process_state(pid: u32) -> Option<char> {
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The command name is in parentheses and may contain anything: the state follows the last `)`.
        return stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next());
    }
    let out = std::process::Command::new("ps").args(["-o", "stat=", "-p", &pid.to_string()]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().chars().next()
}

pub fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '│').any(|w| w == word)
}

pub fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal was put back before byte `at` of the output: the last leave-alternate-screen,
/// show-cursor and bracketed-paste-off before it come after the last enter, hide and paste-on,
/// i.e. after the last frame.
pub fn assert_restored_before(raw: &[u8], at: usize) {
    let raw = &raw[..at];
    let shown = String::from_utf8_lossy(raw);
    for (on, off, what) in [
        (ENTER_ALT, LEAVE_ALT, "left the alternate screen"),
        (HIDE_CURSOR, SHOW_CURSOR, "showed the cursor again"),
        (PASTE_ON, PASTE_OFF, "turned bracketed paste off"),
    ] {
        let last_off = rfind(raw, off).unwrap_or_else(|| panic!("never {what}:\n{shown:?}"));
        let last_on = rfind(raw, on).unwrap_or_else(|| panic!("never set up the terminal ({on:?}):\n{shown:?}"));
        assert!(last_off > last_on, "not {what} after the last frame:\n{shown:?}");
    }
}

pub fn assert_restored(raw: &[u8]) {
    assert_restored_before(raw, raw.len());
}
