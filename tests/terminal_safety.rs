//! The terminal is put back on every way out: a panic, SIGTERM, SIGHUP, SIGINT, SIGQUIT,
//! SIGUSR1, SIGALRM, and ctrl-z
//! (stopped, then continued with `fg`). The dashboard runs under `sh` in a pty, and the shell
//! prints `stty -a` once the dashboard is gone (or stopped), so the terminal modes are read
//! from inside the same terminal; the raw output shows the escape sequences that undo the frame.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{ENTER_ALT, Pty, Sim, WAIT, assert_restored_before, find, process_state};
use std::time::Instant;

/// The inner shell prints its PID and becomes the dashboard, so the test can signal exactly it.
/// `set -m` gives the dashboard its own process group with the shell as its job-control parent,
/// as in an interactive shell: without it a stop signal would be discarded by the kernel.
const RUN: &str = r#"set -m
sh -c 'echo "pid=$$"; exec "$S2TUI_BIN"'
echo "exit=$?"
stty -a
echo end-of-modes
"#;

/// Like [`RUN`], but once the dashboard stops the shell reports the modes, waits for a line, then
/// continues it in the foreground with `fg` (SIGCONT and the terminal handed back), like a user.
const RUN_STOP_FG: &str = r#"set -m
sh -c 'echo "pid=$$"; exec "$S2TUI_BIN"'
echo "stopped=$?"
stty -a
echo end-of-modes
read go
fg
echo "exit=$?"
stty -a
echo end-of-modes
"#;

/// The number printed after `marker` in the output.
fn number_after(out: &str, marker: &str) -> i32 {
    let at = out.find(marker).unwrap_or_else(|| panic!("no {marker:?} in the output:\n{out:?}")) + marker.len();
    out[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// The terminal modes `stty -a` printed after `marker`.
fn modes_after(out: &str, marker: &str) -> Vec<String> {
    let from = out.find(marker).unwrap_or_else(|| panic!("no {marker:?} in the output:\n{out:?}"));
    let rest = &out[from..];
    let end = rest.find("end-of-modes").unwrap_or_else(|| panic!("stty did not finish:\n{rest:?}"));
    rest[..end].split(|c: char| c.is_whitespace() || c == ';').filter(|t| !t.is_empty()).map(String::from).collect()
}

/// Line editing, echo, signal keys and output processing are on again: the terminal is cooked.
fn assert_cooked(modes: &[String]) {
    for mode in ["icanon", "echo", "isig", "opost"] {
        assert!(modes.iter().any(|m| m == mode), "{mode} is off: {modes:?}");
        assert!(!modes.iter().any(|m| *m == format!("-{mode}")), "{mode} is off: {modes:?}");
    }
}

/// The dashboard's own PID, once it has drawn the workspaces.
fn started(pty: &Pty) -> u32 {
    pty.wait_raw("the dashboard's pid", |raw| find(raw, b"pid=").is_some());
    pty.wait_for("prod-ingest");
    number_after(&pty.raw_text(), "pid=").try_into().unwrap()
}

/// Runs the dashboard, sends it `signal` once it shows the workspaces (if any), and checks the
/// terminal the shell finds when the dashboard is gone.
fn ends_cooked(env: &[(&str, &str)], signal: Option<&str>, expected_status: i32) {
    let sim = Sim::demo();
    let mut pty = Pty::shell(&sim, RUN, env);
    if let Some(sig) = signal {
        pty::signal(started(&pty), sig);
    }
    let status = pty.wait_exit();
    assert!(status.success(), "the shell failed: {status:?}");
    let raw = pty.raw();
    let out = String::from_utf8_lossy(&raw).into_owned();
    assert_eq!(number_after(&out, "exit="), expected_status, "{out:?}");
    assert!(find(&raw, ENTER_ALT).is_some(), "no frame was drawn:\n{out:?}");
    assert_restored_before(&raw, find(&raw, b"exit=").unwrap());
    assert_cooked(&modes_after(&out, "exit="));
}

#[test]
fn a_panic_leaves_the_terminal_cooked() {
    ends_cooked(&[("S2TUI_TEST_PANIC", "1")], None, 101);
}

#[test]
fn sigterm_leaves_the_terminal_cooked() {
    ends_cooked(&[], Some("TERM"), 0);
}

#[test]
fn sighup_leaves_the_terminal_cooked() {
    ends_cooked(&[], Some("HUP"), 0);
}

#[test]
fn sigint_leaves_the_terminal_cooked() {
    ends_cooked(&[], Some("INT"), 0);
}

#[test]
fn sigquit_leaves_the_terminal_cooked() {
    ends_cooked(&[], Some("QUIT"), 0);
}

#[test]
fn sigusr1_leaves_the_terminal_cooked() {
    ends_cooked(&[], Some("USR1"), 0);
}

#[test]
fn sigalrm_leaves_the_terminal_cooked() {
    ends_cooked(&[], Some("ALRM"), 0);
}

#[test]
fn ctrl_z_stops_with_the_terminal_cooked_and_fg_redraws() {
    let sim = Sim::demo();
    let mut pty = Pty::shell(&sim, RUN_STOP_FG, &[]);
    let pid = started(&pty);

    // ctrl-z: the process stops, with the terminal already put back and cooked.
    pty.send_bytes(&[0x1a]);
    let deadline = Instant::now() + WAIT;
    while process_state(pid) != Some('T') {
        assert!(Instant::now() < deadline, "the dashboard never stopped; state {:?}", process_state(pid));
        std::thread::sleep(pty::POLL);
    }
    pty.wait_raw("the shell to report the modes", |raw| find(raw, b"end-of-modes").is_some());
    let raw = pty.raw();
    let out = String::from_utf8_lossy(&raw).into_owned();
    assert_eq!(number_after(&out, "stopped="), 128 + 20, "stopped by SIGTSTP: {out:?}");
    let stopped_at = find(&raw, b"stopped=").unwrap();
    assert_restored_before(&raw, stopped_at);
    assert_cooked(&modes_after(&out, "stopped="));
    assert_eq!(process_state(pid), Some('T'), "still stopped while the shell has the terminal");

    // fg: continued, it takes the terminal again and draws everything, not only what changed.
    let before_fg = raw.len();
    pty.send("\r");
    pty.wait_raw("the alternate screen again", |raw| find(&raw[before_fg..], ENTER_ALT).is_some());
    pty.wait_raw("a full redraw", |raw| {
        let after = String::from_utf8_lossy(&raw[before_fg..]);
        ["prod-ingest", "prod-analytics", "Workspaces"].iter().all(|t| after.contains(t))
    });
    pty.wait_for("prod-ingest");
    assert!(matches!(process_state(pid), Some('R' | 'S')), "running again: {:?}", process_state(pid));

    // Still working: the keyboard goes to the dashboard, and q quits cleanly.
    pty.send("q");
    let status = pty.wait_exit();
    assert!(status.success(), "the shell failed: {status:?}");
    let raw = pty.raw();
    let out = String::from_utf8_lossy(&raw).into_owned();
    assert_eq!(number_after(&out, "exit="), 0, "{out:?}");
    assert_restored_before(&raw, find(&raw, b"exit=").unwrap());
    assert_cooked(&modes_after(&out, "exit="));
}
