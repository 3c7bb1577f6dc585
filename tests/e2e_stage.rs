//! End-to-end: the real binary in a pseudo-terminal against the simulator. In the Stage pane:
//! create a folder, upload a file into it, download it back, rename it, delete it.
//! Every wait is a poll bounded by a deadline.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use s2tui::api::types::WorkspaceGroupState;
use s2tui::sim::{Seed, SimConfig, SimHandle};

const ROWS: u16 = 32;
const COLS: u16 = 120;
const POLL: Duration = Duration::from_millis(20);
const WAIT: Duration = Duration::from_secs(20);
const BACKSPACE: &str = "\x7f";

struct Dash {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
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
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(ROWS).unwrap(),
            std::num::NonZero::new(COLS).unwrap(),
            0,
        )));
        let mut writer = pair.master.take_writer().unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        {
            let screen = screen.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            // The terminal asks where the cursor is at start-up; answer it.
                            if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                                let _ = tx.send(());
                            }
                            screen.lock().unwrap().process(&buf[..n]);
                        }
                    }
                }
            });
        }
        // Answer the cursor-position query (one is enough for start-up).
        if rx.recv_timeout(Duration::from_secs(5)).is_ok() {
            writer.write_all(b"\x1b[1;1R").unwrap();
            writer.flush().unwrap();
        }
        Dash { screen, writer, child, _master: pair.master }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

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

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
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

fn wait_file(path: &Path, dash: &Dash) {
    let deadline = Instant::now() + WAIT;
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared; screen:\n{}", path.display(), dash.contents());
        std::thread::sleep(POLL);
    }
}

#[test]
fn new_folder_upload_download_rename_delete() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let config = SimConfig {
        api_key: "e2e-stage".into(),
        speed: 100.0,
        seed: Seed::Demo,
        colleague_rate: 0.0,
        ..Default::default()
    };
    let sim = rt.block_on(SimHandle::start(config, "127.0.0.1:0".parse().unwrap())).unwrap();
    let (group, name) = {
        let w = sim.shared().world();
        let g = w.groups.values().find(|g| g.api.state == WorkspaceGroupState::Active).unwrap();
        (g.api.workspace_group_id, g.api.name.clone())
    };
    let local = tempfile::tempdir().unwrap();
    let file = local.path().join("hello world.txt");
    std::fs::write(&file, "hello from the e2e test\n").unwrap();
    let out = tempfile::tempdir().unwrap();

    let mut dash = Dash::spawn(&sim);
    dash.wait_for("Workspaces");
    dash.send(&format!(":stage {name}\r"));
    dash.wait_until("the Stage root", |s| s.contains(&format!("{name}:/")) && !s.contains("Loading…"));

    // New folder, then into it.
    dash.send("n");
    dash.wait_for("New folder in /");
    dash.send("e2e-folder\r");
    dash.wait_for("e2e-folder/");
    dash.send("/e2e-folder\r\r");
    dash.wait_for("Empty folder");

    // Upload.
    dash.send("u");
    dash.wait_for("Upload to Stage");
    dash.send(&format!("{}\r", file.display()));
    dash.wait_until("the uploaded file", |s| s.contains("hello world.txt") && !s.contains("Empty folder"));

    // Download into another folder.
    dash.send("D");
    dash.wait_for("Into local folder");
    dash.send(&format!("{BACKSPACE}{}\r", out.path().display()));
    let got = out.path().join("hello world.txt");
    wait_file(&got, &dash);
    assert_eq!(std::fs::read(&got).unwrap(), std::fs::read(&file).unwrap());

    // Rename.
    dash.send("m");
    dash.wait_for("Move or rename");
    dash.send(&BACKSPACE.repeat(40));
    dash.send("/e2e-folder/renamed.txt\r");
    dash.wait_until("the renamed file", |s| s.contains("renamed.txt") && !s.contains("hello world.txt"));

    // Delete, typing the name.
    dash.send("\x04");
    dash.wait_for("Type renamed.txt to confirm");
    dash.send("renamed.txt\r");
    dash.wait_for("Empty folder");

    let w = sim.shared().world();
    assert!(w.stage.entry_count(group) > 0);
    drop(w);
    let listing = rt
        .block_on(async {
            let c = s2tui::api::client::Client::new(
                s2tui::api::client::ClientConfig::new(sim.base_url(), s2tui::api::client::ApiKey::new(sim.api_key()))
                    .unwrap(),
            )
            .unwrap();
            c.stage_list(group, "e2e-folder/").await
        })
        .unwrap();
    assert!(listing.children().is_empty(), "{listing:?}");
    dash.send("\x03");
}
