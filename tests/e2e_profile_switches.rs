//! End-to-end: profile switches whose key command is slow or never ends. The user's last
//! choice wins (the earlier switch is cancelled and its key command killed), and a key
//! command that never ends neither keeps the dashboard alive after ctrl-c or SIGTERM nor
//! makes `s2tui get` hang.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::time::{Duration, Instant};

use pty::frames::{assert_never, first};
use pty::{Pty, Sim, process_state};
use s2tui::sim::{Seed, SimConfig};

/// A key command that writes its process ID to `pid` and then waits for `go` to exist before
/// printing a key: it ends only if the test lets it.
fn waiting_key_command(dir: &Path) -> String {
    let (pid, go) = (dir.join("pid"), dir.join("go"));
    format!("echo $$ > {}; while [ ! -e {} ]; do sleep 0.05; done; echo other-key", pid.display(), go.display())
}

/// The process ID the key command wrote, once it has.
fn key_command_pid(dir: &Path) -> u32 {
    let deadline = Instant::now() + pty::WAIT;
    loop {
        if let Some(pid) = std::fs::read_to_string(dir.join("pid")).ok().and_then(|s| s.trim().parse().ok()) {
            return pid;
        }
        assert!(Instant::now() < deadline, "the key command never started");
        std::thread::sleep(pty::POLL);
    }
}

fn wait_gone(pid: u32, what: &str) {
    let deadline = Instant::now() + pty::WAIT;
    while process_state(pid).is_some_and(|s| s != 'Z') {
        assert!(Instant::now() < deadline, "{what}: process {pid} still runs");
        std::thread::sleep(pty::POLL);
    }
}

struct Setup {
    home: Sim,
    other: Sim,
    config: tempfile::TempDir,
    commands: tempfile::TempDir,
}

/// `home` (the demo) is opened first; `slow` is the same API behind a key command that waits
/// for the test; `other` is a second organization (12 workspaces).
fn setup(timeout_secs: u64) -> Setup {
    let home = Sim::demo();
    let other = Sim::start(SimConfig {
        api_key: "other-key".into(),
        speed: 200.0,
        seed: Seed::Large(12),
        colleague_rate: 0.0,
        ..SimConfig::default()
    });
    let config = tempfile::tempdir().unwrap();
    let commands = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!(
            "[general]\nprofile = \"home\"\nkey_command_timeout = {timeout_secs}\n\n\
             [profiles.home]\nkey_env = \"HOME_KEY\"\nbase_url = \"{}\"\n\n\
             [profiles.slow]\nkey_command = \"{}\"\nbase_url = \"{}\"\n\n\
             [profiles.other]\nkey_env = \"OTHER_KEY\"\nbase_url = \"{}\"\n",
            home.handle.base_url(),
            waiting_key_command(commands.path()),
            other.handle.base_url(),
            other.handle.base_url(),
        ),
    )
    .unwrap();
    Setup { home, other, config, commands }
}

fn open(s: &Setup) -> Pty {
    let dash = Pty::dashboard(
        &s.home,
        &[
            ("S2TUI_CONFIG_DIR", s.config.path().to_str().unwrap()),
            ("HOME_KEY", s.home.handle.api_key()),
            ("OTHER_KEY", s.other.handle.api_key()),
        ],
    );
    dash.wait_for("prod-ingest");
    dash.wait_for(" home ");
    dash
}

#[test]
fn the_last_profile_asked_for_wins_and_the_earlier_one_is_cancelled() {
    let s = setup(60);
    let mut dash = open(&s);
    dash.send(":profile slow\r");
    let slow = key_command_pid(s.commands.path());
    dash.send(":profile other\r");
    dash.wait_for(" other ");
    dash.wait_for("group-001");
    // The slow one was cancelled: its key command is killed, not left to finish later.
    wait_gone(slow, "the cancelled key command");
    // Even if it could finish now, nothing switches back.
    std::fs::write(s.commands.path().join("go"), "").unwrap();
    dash.send(":ops\r");
    dash.wait_for("Operations [");
    let header = dash.screen().lines().next().unwrap_or_default().to_string();
    assert!(header.contains(" other ") && !header.contains(" slow "), "{header}");
    // Every frame: once `other` showed, neither `slow` nor the first organization came back.
    let frames = dash.frames();
    let opened = first(&frames, 0, |f| f.lines().next().is_some_and(|h| h.contains(" other "))).unwrap();
    assert_never(&frames[opened..], "another profile after the last one asked for", |f| {
        f.lines().next().is_some_and(|h| h.contains(" slow ") || h.contains(" home ")) || f.contains("prod-ingest")
    });
    assert!(!s.other.requests("GET", "/v1/workspaceGroups").is_empty());
    dash.send("\x03");
    assert!(dash.exit_status(Duration::from_secs(10)).success());
}

/// Opens `slow` (its key command never ends unless told to), quits with `quit`, and checks
/// that neither the dashboard nor the key command is left running.
fn quit_while_a_key_command_runs(quit: impl FnOnce(&Pty)) {
    let s = setup(600);
    let mut dash = open(&s);
    dash.send(":profile slow\r");
    let stuck = key_command_pid(s.commands.path());
    quit(&dash);
    dash.exit_status(Duration::from_secs(5));
    wait_gone(stuck, "the key command after quitting");
}

#[test]
fn a_key_command_that_never_ends_does_not_keep_the_dashboard_alive_after_ctrl_c() {
    quit_while_a_key_command_runs(|dash| dash.send("\x03"));
}

#[test]
fn a_key_command_that_never_ends_does_not_keep_the_dashboard_alive_after_sigterm() {
    quit_while_a_key_command_runs(|dash| dash.signal("TERM"));
}

#[test]
fn get_stops_a_key_command_after_its_timeout() {
    let s = setup(1);
    let home = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_s2tui"))
        .args(["get", "workspaces", "--profile", "slow"])
        .env("S2TUI_CONFIG_DIR", s.config.path())
        .env("S2TUI_DATA_DIR", home.path().join("data"))
        .env("S2TUI_STATE_DIR", home.path().join("state"))
        .env_remove("S2TUI_PROFILE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + pty::WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("s2tui get still waits for the key command");
        }
        std::thread::sleep(pty::POLL);
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("did not finish within 1 s"), "{stderr}");
    wait_gone(key_command_pid(s.commands.path()), "the key command of get");
}
