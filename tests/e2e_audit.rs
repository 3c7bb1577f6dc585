//! End-to-end: the real binary in a pseudo-terminal against the simulator over real HTTP.
//! `:audit` shows colleagues' activity arriving live, and a suspend made in the workspaces pane
//! appears in the audit log within a poll interval. Every wait is a poll bounded by a deadline.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use s2tui::api::types::WorkspaceState;
use s2tui::sim::{Seed, SimConfig, SimHandle};

const ROWS: u16 = 32;
const COLS: u16 = 140;
const POLL: Duration = Duration::from_millis(20);
/// Generous: the binary may be starting on a loaded 2-core machine; the pane polls every 2 s.
const WAIT: Duration = Duration::from_secs(15);
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

struct Dash {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Dash {
    fn spawn(sim: &SimHandle) -> Dash {
        let pair =
            native_pty_system().openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_s2tui"));
        cmd.env("SINGLESTOREDB_API_KEY", sim.api_key());
        cmd.env("SINGLESTOREDB_MANAGEMENT_BASE_URL", sim.base_url());
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("SINGLESTOREDB_MANAGEMENT_TOKEN");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0)));
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let mut reader = pair.master.try_clone_reader().unwrap();
        {
            let (screen, writer) = (screen.clone(), writer.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    screen.lock().unwrap().process(&buf[..n]);
                    // The terminal library asks where the cursor is; answer like a terminal.
                    if buf[..n].windows(CURSOR_QUERY.len()).any(|w| w == CURSOR_QUERY) {
                        let mut w = writer.lock().unwrap();
                        let _ = w.write_all(b"\x1b[1;1R");
                        let _ = w.flush();
                    }
                }
            });
        }
        Dash { screen, writer, child, _master: pair.master }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.contents();
            if done(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
            std::thread::sleep(POLL);
        }
    }

    fn send(&self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
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

/// The entry count in the audit pane's title: "Audit log [123]".
fn count(screen: &str) -> Option<usize> {
    let at = screen.find("Audit log [")? + "Audit log [".len();
    screen[at..].split(']').next()?.parse().ok()
}

#[test]
fn colleagues_and_own_actions_arrive_live() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = SimConfig {
        api_key: "e2e-key".into(),
        speed: 200.0,
        seed: Seed::Demo,
        colleague_rate: 5.0,
        ..SimConfig::default()
    };
    let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
    let sim = rt.block_on(SimHandle::start(config, addr)).unwrap();
    let (name, id) = {
        let w = sim.shared().world();
        // The first active one by name: the filtered list keeps name order, so it is selected.
        let ws = w
            .workspaces
            .values()
            .filter(|r| r.api.state == WorkspaceState::Active)
            .min_by_key(|r| r.api.name.clone())
            .unwrap();
        (ws.api.name.clone(), ws.api.workspace_id)
    };

    let dash = Dash::spawn(&sim);
    dash.wait_until("the workspaces", |s| s.contains(&name));
    dash.send(":audit\r");
    let screen = dash.wait_until("the audit log, following", |s| {
        count(s).is_some() && s.contains("following") && !s.contains("loading")
    });
    let first = count(&screen).unwrap();
    dash.wait_until("colleagues' entries arriving", |s| count(s).is_some_and(|n| n > first));

    // Suspend a workspace from its pane, then come back: the entry is there within a poll.
    dash.send(":ws\r");
    dash.wait_until("the workspaces pane", |s| s.contains(&name) && !s.contains("Audit log ["));
    dash.send("/");
    dash.send(&name);
    dash.send("\r");
    dash.send("s");
    dash.wait_until("the suspend confirmation", |s| s.contains(&format!("Suspend workspace {name}?")));
    dash.send("y");
    let deadline = Instant::now() + WAIT;
    while sim
        .shared()
        .world()
        .audit
        .iter()
        .all(|e| !(e.kind.as_deref() == Some("Workspace.Suspend") && e.workspace_id == Some(id)))
    {
        assert!(Instant::now() < deadline, "the suspend never reached the simulator");
        std::thread::sleep(POLL);
    }
    // esc alone (followed at once by ':' a terminal reads it as alt-:), then back to the log.
    dash.send("\x1b");
    dash.wait_until("the filter cleared", |s| !s.contains(&format!("/{name}")));
    dash.send(":audit\r");
    dash.wait_until("our suspend in the audit log", |s| {
        s.lines().any(|l| l.contains("Workspace.Suspend") && l.contains(&format!("Workspace \"{name}\" suspended")))
    });
    rt.block_on(sim.shutdown());
}
