//! End-to-end: teams and private connections, driven by keyboard in the real binary in a
//! pseudo-terminal against the simulator over real HTTP; the simulator's state must agree.
//! Every wait is a poll bounded by a deadline.

#![allow(clippy::unwrap_used, dead_code)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use s2tui::api::types::{ConnectionStatus, PrivateConnection, Team, WorkspaceState};
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

impl Sim {
    fn team(&self, name: &str) -> Option<Team> {
        self.handle.shared().world().teams.values().find(|t| t.name == name).cloned()
    }

    fn user_email(&self, first: &str) -> String {
        let world = self.handle.shared().world();
        world.users.iter().find(|u| u.info.first_name == first).unwrap().info.email.clone()
    }

    fn connection_with_allow_list(&self, allow: &str) -> Option<PrivateConnection> {
        let world = self.handle.shared().world();
        world.connections.values().map(|c| c.api.clone()).find(|c| c.allow_list.as_deref() == Some(allow))
    }

    fn connection(&self, id: uuid::Uuid) -> PrivateConnection {
        self.handle.shared().world().connections.get(&id).unwrap().api.clone()
    }

    fn group_id(&self, name: &str) -> uuid::Uuid {
        let world = self.handle.shared().world();
        world.groups.values().find(|g| g.api.name == name).unwrap().api.workspace_group_id
    }
}

#[test]
fn create_edit_and_delete_a_team() {
    let sim = Sim::start();
    let dash = Dash::spawn(&sim, &[]);
    dash.wait_for("prod-ingest");
    dash.send(":teams\r");
    dash.wait_for("Data Engineering");

    // c: an empty name is refused at the field and nothing is sent.
    dash.send("c");
    dash.wait_for("Create team");
    dash.send("\r");
    dash.wait_for("✗ required");
    dash.send("Finance\tCost reports\r");
    dash.wait_row("Finance", "Cost reports");
    let team = sim.team("Finance").unwrap();
    assert_eq!(team.description, "Cost reports");

    // A duplicate name: the API refuses and the form shows its text.
    dash.send("c");
    dash.wait_for("Create team");
    dash.send("Analytics\r");
    dash.wait_for("already exists");
    dash.send("\x1b");
    dash.wait_gone("Create team");
    assert_eq!(sim.handle.shared().world().teams.values().filter(|t| t.name == "Analytics").count(), 1);

    // e: a bad email is refused at the field; then rename and add a user and a team, reviewed first.
    dash.send("/Finance\r");
    dash.wait_gone("Platform Admins");
    dash.send("e");
    dash.wait_for("Edit team Finance");
    dash.send(" Ops\t\tpriya@\r");
    dash.wait_for("is neither an email address nor a user ID");
    assert!(sim.requests("PATCH", "/v1/teams").is_empty());
    let email = sim.user_email("Priya");
    dash.send(&"\x7f".repeat(6));
    dash.send(&format!("{email}\t\tAnalytics\r"));
    dash.wait_for("Review changes");
    dash.wait_for("name: Finance → Finance Ops");
    assert!(sim.requests("PATCH", "/v1/teams").is_empty(), "nothing is sent before the review is accepted");
    dash.send("y");
    sim.wait_until("the team renamed with its new members", |s| {
        s.team("Finance Ops").is_some_and(|t| {
            t.member_users.unwrap_or_default().iter().any(|u| u.email == email)
                && t.member_teams.unwrap_or_default().iter().any(|m| m.name == "Analytics")
        })
    });
    dash.send("\x1b");
    dash.wait_until("the renamed team listed", |s| {
        s.lines().any(|l| l.contains("Finance Ops") && l.contains("Cost reports"))
    });
    assert_eq!(sim.requests("PATCH", "/v1/teams").len(), 1);

    // ctrl-d with the typed name deletes it.
    dash.send("/Finance\r");
    dash.send("\x04");
    dash.wait_for("Type Finance Ops to confirm");
    dash.send("Finance Ops\r");
    sim.wait_until("the team deleted", |s| s.team("Finance Ops").is_none());
    dash.wait_gone("Finance Ops");
}

#[test]
fn create_edit_and_delete_a_private_connection() {
    let sim = Sim::start();
    let dash = Dash::spawn(&sim, &[]);
    dash.wait_for("prod-ingest");
    dash.send(":pc Production\r");
    dash.wait_for("(group Production)");

    // c: a bad allow list is refused at the field and nothing is sent.
    dash.send("c");
    dash.wait_for("Request a private connection");
    dash.wait_for("Production (whole group)");
    dash.send("\t\t\t12345\r");
    dash.wait_for("not an account ID, ARN");
    dash.send(&"\x7f".repeat(5));
    dash.send("acme-data-prod\r");
    dash.wait_for("not an AWS account ID");
    assert!(sim.requests("POST", "/v1/privateConnections").is_empty());
    dash.send(&"\x7f".repeat(14));
    dash.send("123456789012\r");
    dash.wait_gone("Request a private connection");
    sim.wait_until("the connection requested", |s| s.connection_with_allow_list("123456789012").is_some());
    let created = sim.connection_with_allow_list("123456789012").unwrap();
    assert_eq!(created.workspace_group_id, sim.group_id("Production"));
    let short: String = created.private_connection_id.to_string().chars().take(8).collect();

    // The operations tracker follows it until the API reports ACTIVE.
    dash.wait_row(&short, "ACTIVE");
    assert_eq!(sim.connection(created.private_connection_id).status, Some(ConnectionStatus::Active));
    let polls = sim.requests("GET", &format!("/v1/privateConnections/{}", created.private_connection_id));
    assert!(!polls.is_empty(), "the tracker polled the connection");
    dash.send(":ops\r");
    dash.wait_row("create", "done");
    dash.send(":pc Production\r");
    dash.wait_for(&short);

    // e: the allow list, checked against the group's provider, reviewed, then sent.
    // The newest connection of the group is listed last.
    dash.send("G");
    dash.send("e");
    dash.wait_for("Allow list of");
    dash.send(",acme-data-prod\r");
    dash.wait_for("not an AWS account ID");
    dash.send(&"\x7f".repeat(15));
    dash.send(",arn:aws:iam::210987654321:root\r");
    dash.wait_for("Review changes");
    dash.send("y");
    sim.wait_until("the allow list changed", |s| {
        s.connection(created.private_connection_id).allow_list.as_deref()
            == Some("123456789012,arn:aws:iam::210987654321:root")
    });

    // ctrl-d with the typed ID deletes it; it leaves the list once the API reports DELETED.
    dash.send("G");
    dash.send("\x04");
    dash.wait_for(&format!("Type {short} to confirm"));
    dash.send(&format!("{short}\r"));
    sim.wait_until("the connection deleted", |s| {
        s.connection(created.private_connection_id).status == Some(ConnectionStatus::Deleted)
    });
    dash.wait_gone(&short);
}
