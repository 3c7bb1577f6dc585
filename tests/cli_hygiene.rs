//! The command line as scripts meet it, running the real binary against the simulator over
//! real HTTP: a closed pipe ends it quietly, usage errors exit 2 with a clear message, warnings
//! go to stderr, nothing from the API reaches the terminal raw, and the standalone simulator
//! keeps its key to itself.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use pty::Sim;
use s2tui::api::types::TeamCreate;
use s2tui::api::{ApiKey, Client, ClientConfig};

const BIN: &str = env!("CARGO_BIN_EXE_s2tui");

/// The binary with the simulator's key and URL, in an empty home.
fn s2tui(sim: &Sim, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("SINGLESTOREDB_MANAGEMENT_TOKEN")
        .env_remove("S2TUI_PROFILE")
        .env_remove("S2TUI_SIM_API_KEY")
        .env("SINGLESTOREDB_API_KEY", sim.handle.api_key())
        .env("SINGLESTOREDB_MANAGEMENT_BASE_URL", sim.handle.base_url())
        .env("S2TUI_CONFIG_DIR", home.join("config"))
        .env("S2TUI_DATA_DIR", home.join("data"))
        .env("S2TUI_STATE_DIR", home.join("state"))
        .stdin(Stdio::null());
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// No byte that could act on a terminal: controls other than newline, and no escape.
fn assert_terminal_safe(out: &str) {
    let bad: Vec<char> = out.chars().filter(|c| c.is_control() && *c != '\n').collect();
    assert!(bad.is_empty(), "control characters {bad:?} in:\n{out}");
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

/// Runs `cmd` with its stdout closed before it writes: every write meets a broken pipe.
fn with_closed_stdout(cmd: &mut Command) -> (Option<i32>, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap().code(), err)
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let sim = Sim::demo();
    let home = tempfile::tempdir().unwrap();
    for args in [&["completions", "bash"][..], &["get", "usage", "--since", "30d"], &["paths"]] {
        let (code, err) = with_closed_stdout(&mut s2tui(&sim, home.path(), args));
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn usage_errors_exit_2_and_say_what_was_wrong() {
    let sim = Sim::demo();
    let home = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["get", "audit", "--since", "999999999d"], "too far back"),
        (&["get", "usage", "--since", "99999999999999h"], "too far back"),
        (&["get", "jobs"], "pass job ids"),
        (&["get", "stage", "ls", "Production"], "is not an id"),
        (&["get", "workspaces", "--group", "Production"], "is not an id"),
    ];
    for (args, says) in cases {
        let out = run(&mut s2tui(&sim, home.path(), args));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn key_file_and_config_warnings_go_to_stderr() {
    use std::os::unix::fs::PermissionsExt;
    let sim = Sim::demo();
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("key");
    std::fs::write(&key, sim.handle.api_key()).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(home.path().join("config/config.toml"), "[general]\nrefresh_evry = 3\n").unwrap();
    let out = run(s2tui(&sim, home.path(), &["get", "regions", "--api-key-file", key.to_str().unwrap()])
        .env_remove("SINGLESTOREDB_API_KEY"));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("US East 1"), "{stdout}");
    assert!(!stdout.contains("warning"), "warnings stay off stdout: {stdout}");
    assert!(stderr.contains("can be read by other users") && stderr.contains("chmod 600"), "{stderr}");
    assert!(stderr.contains("refresh_evry"), "{stderr}");
}

#[test]
fn the_last_executions_are_as_many_as_asked() {
    let sim = Sim::demo();
    let home = tempfile::tempdir().unwrap();
    let job = {
        let w = sim.handle.shared().world();
        let now = w.clock.now();
        let rec = w.jobs.jobs.values().find(|j| j.terminated.is_none() && j.execution_count(now) >= 5).unwrap();
        rec.api.job_id.to_string()
    };
    for n in ["1", "3", "4"] {
        let out = run(&mut s2tui(&sim, home.path(), &["get", "executions", &job, "--last", n]));
        assert!(out.status.success(), "{}", text(&out.stderr));
        let rows = text(&out.stdout).lines().count() - 1;
        assert_eq!(rows.to_string(), n, "{}", text(&out.stdout));
    }
}

#[test]
fn names_full_of_escapes_reach_the_terminal_harmless_and_json_exact() {
    let sim = Sim::demo();
    let home = tempfile::tempdir().unwrap();
    let evil = "evil\u{1b}]0;owned\u{7}\u{1b}]52;c;b3duZWQ=\u{7}\u{1b}[2J-team";
    let client =
        Client::new(ClientConfig::new(sim.handle.base_url(), ApiKey::new(sim.handle.api_key())).unwrap()).unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(client.create_team(&TeamCreate { name: evil.into(), description: Some("bell\u{7}".into()) }))
        .unwrap();

    let out = run(&mut s2tui(&sim, home.path(), &["get", "teams"]));
    let stdout = text(&out.stdout);
    assert!(out.status.success());
    assert_terminal_safe(&stdout);
    assert!(stdout.contains("evil-team"), "{stdout}");

    let out = run(&mut s2tui(&sim, home.path(), &["get", "teams", "-o", "json"]));
    let teams: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(teams.as_array().unwrap().iter().any(|t| t["name"] == evil), "JSON keeps the exact name");
}

#[test]
fn the_simulator_keeps_its_key_out_of_output_and_process_list() {
    let home = tempfile::tempdir().unwrap();
    let key_file = home.path().join("sim-key");
    std::fs::write(&key_file, "sim-canary-key\n").unwrap();
    let mut child = Command::new(BIN)
        .args(["sim", "--listen", "127.0.0.1:0", "--colleague-rate", "0", "--api-key-file"])
        .arg(&key_file)
        .env_remove("S2TUI_SIM_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    while !line.ends_with('\n') && stdout.read(&mut byte).unwrap() == 1 {
        line.push(byte[0] as char);
    }
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.starts_with("s2tui simulator listening on http://127.0.0.1:"), "{line}");
    assert!(!line.contains("sim-canary-key"));
    assert!(!text(&cmdline).contains("sim-canary-key"));

    // Its key from the environment works as well; none at all is a usage error.
    let out = run(Command::new(BIN).args(["sim", "--listen", "127.0.0.1:0"]).env_remove("S2TUI_SIM_API_KEY"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("S2TUI_SIM_API_KEY"), "{}", text(&out.stderr));
}

#[test]
fn the_simulator_warns_about_other_machines_and_absurd_rates() {
    // A documentation address: the warnings come first, then binding fails, so nothing ever
    // listens beyond the loopback.
    let out = run(Command::new(BIN)
        .args(["sim", "--listen", "192.0.2.1:0", "--colleague-rate", "1000000"])
        .env("S2TUI_SIM_API_KEY", "k"));
    let err = text(&out.stderr);
    assert!(err.contains("warning: listening on 192.0.2.1, reachable from other machines"), "{err}");
    assert!(err.contains("warning: --colleague-rate 1000000 is capped at 1000"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
}
