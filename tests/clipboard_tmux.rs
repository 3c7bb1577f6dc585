//! Under tmux the clipboard really is cleared: what s2tui copies lands in one named tmux buffer
//! and clearing deletes it, so no copied secret stays in tmux's paste buffers (tmux ignores an
//! empty OSC 52 and keeps every other one as a new buffer). Each test runs its own tmux server
//! on a private socket; without tmux installed they say so and pass.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use pty::{POLL, Sim, WAIT};
use s2tui::clipboard::{Clipboard, TMUX_BUFFER};

/// A tmux server of its own, killed on drop.
struct Tmux {
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    fn start(session_cmd: &[&str], env: &[(&str, String)]) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("tmux is not installed: skipped");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("sock");
        let mut cmd = Command::new("tmux");
        cmd.arg("-S").arg(&socket).args(["-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "32"]);
        for (k, v) in env {
            cmd.arg("-e").arg(format!("{k}={v}"));
        }
        let status = cmd.args(session_cmd).status().unwrap();
        assert!(status.success());
        Some(Tmux { socket, _dir: dir })
    }

    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn buffers(&self) -> String {
        self.run(&["list-buffers", "-F", "#{buffer_name}: #{buffer_sample}"]).1
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p"]).1
    }

    fn wait(&self, what: &str, done: impl Fn(&Tmux) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "never: {what}\nscreen:\n{}\nbuffers:\n{}",
                self.screen(),
                self.buffers()
            );
            std::thread::sleep(POLL);
        }
    }

    fn clipboard(&self) -> Clipboard {
        Clipboard::Tmux { socket: Some(path_str(&self.socket)) }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").output();
    }
}

fn path_str(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_copy_lives_in_one_named_buffer_and_clearing_removes_it() {
    let Some(tmux) = Tmux::start(&["sleep", "60"], &[]) else { return };
    let clip = tmux.clipboard();
    clip.copy("first-canary").await.unwrap();
    clip.copy("second-canary").await.unwrap();
    assert_eq!(tmux.run(&["show-buffer", "-b", TMUX_BUFFER]).1, "second-canary");
    assert!(!tmux.buffers().contains("first-canary"), "a copy replaces the last one:\n{}", tmux.buffers());
    clip.clear().await.unwrap();
    assert_eq!(tmux.buffers(), "", "nothing copied is left in tmux");
    clip.clear().await.unwrap();
}

#[tokio::test]
async fn a_clear_that_cannot_reach_tmux_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let clip = Clipboard::Tmux { socket: Some(path_str(&dir.path().join("no-server"))) };
    let e = clip.clear().await.unwrap_err();
    assert!(!e.is_empty());
}

#[test]
fn a_secret_copied_in_the_dashboard_leaves_tmux_when_it_quits() {
    let sim = Sim::demo();
    let home = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("SINGLESTOREDB_API_KEY", sim.handle.api_key().to_string()),
        ("SINGLESTOREDB_MANAGEMENT_BASE_URL", sim.handle.base_url().to_string()),
        ("TERM", "xterm-256color".to_string()),
    ];
    for (var, dir) in [("S2TUI_CONFIG_DIR", "config"), ("S2TUI_DATA_DIR", "data"), ("S2TUI_STATE_DIR", "state")] {
        env.push((var, path_str(&home.path().join(dir))));
    }
    let bin = env!("CARGO_BIN_EXE_s2tui");
    let Some(tmux) = Tmux::start(&[bin], &env) else { return };
    tmux.wait("the dashboard", |t| t.screen().contains("prod-ingest"));
    tmux.run(&["send-keys", ":secrets", "Enter"]);
    tmux.wait("the secrets", |t| t.screen().contains("S3_ACCESS_KEY"));
    tmux.run(&["send-keys", "y"]);
    tmux.wait("the copy", |t| t.run(&["show-buffer", "-b", TMUX_BUFFER]).0);
    let value = tmux.run(&["show-buffer", "-b", TMUX_BUFFER]).1;
    let stored: Vec<String> = sim.handle.shared().world().secrets.values().filter_map(|s| s.value.clone()).collect();
    assert!(stored.contains(&value), "a secret's value was copied");

    // Quit long before the 30 s are up: the clear happens on the way out.
    tmux.run(&["send-keys", "C-c"]);
    tmux.wait("the dashboard to quit", |t| !t.run(&["has-session"]).0 || !t.screen().contains("S3_ACCESS_KEY"));
    tmux.wait("the buffer to go", |t| !t.buffers().contains(TMUX_BUFFER));
    assert!(!tmux.buffers().contains(&value), "the value stayed in tmux:\n{}", tmux.buffers());
}
