//! A session that handles the API key, an admin password typed by the user, one the API
//! generated, and a secret value, at the most verbose log level: none of them reaches the log.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;

use pty::{Pty, Sim};

const TYPED_PASSWORD: &str = "Typed-Pass-4821!q";
const SECRET_VALUE: &str = "sk-log-canary-93721";

/// Every file under `dir`, recursively, as text.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.push_str(&all_text(&path));
        } else {
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()));
        }
    }
    out
}

fn group_password(sim: &Sim, name: &str) -> Option<String> {
    let w = sim.handle.shared().world();
    w.groups.values().find(|g| g.api.name == name).map(|g| g.admin_password.clone())
}

#[test]
fn no_key_password_or_secret_value_reaches_the_log() {
    let sim = Sim::demo();
    let logs = tempfile::tempdir().unwrap();
    let mut dash = Pty::dashboard(&sim, &[("S2TUI_STATE_DIR", logs.path().to_str().unwrap()), ("S2TUI_LOG", "trace")]);
    dash.wait_for("prod-ingest");

    // An admin password the user types: edit the Staging group.
    dash.send(":wg\r");
    dash.wait_for("Workspace groups [");
    dash.send("/Staging\r");
    dash.wait_for("Staging");
    dash.send("e");
    dash.wait_for("Edit workspace group Staging");
    dash.send(&format!("\t\t{TYPED_PASSWORD}\r"));
    // Every edit is reviewed before it is sent.
    dash.wait_for("Review changes");
    dash.send("y");
    sim.wait_until("the new password", |s| group_password(s, "Staging").as_deref() == Some(TYPED_PASSWORD));
    dash.wait_gone("Edit workspace group");
    dash.send("\x1b");
    dash.wait_for("[5/5]");

    // A password the API generates, shown once: create a group.
    dash.send("c");
    dash.wait_for("Create workspace group");
    dash.send("log-test\r");
    dash.wait_for("Admin password of log-test");
    let generated = group_password(&sim, "log-test").unwrap();
    // The title can be drawn a moment before the line under it: wait for the password itself.
    dash.wait_for(&generated);
    dash.send("\x1b");
    dash.wait_gone("Admin password of log-test");

    // A secret value.
    dash.send(":secrets\r");
    dash.wait_for("OPENAI_API_KEY");
    dash.send("c");
    dash.wait_for("Create secret");
    dash.send(&format!("LOG_CANARY\t{SECRET_VALUE}\r"));
    sim.wait_until("the secret", |s| s.handle.shared().world().secrets.values().any(|x| x.name == "LOG_CANARY"));
    dash.wait_for("LOG_CANARY");

    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());

    let log = all_text(logs.path());
    assert!(log.contains("dashboard started") && log.contains("/v1/workspaceGroups"), "the log was written: {log}");
    for (what, text) in [
        ("the API key", sim.handle.api_key().to_string()),
        ("the typed admin password", TYPED_PASSWORD.to_string()),
        ("the generated admin password", generated),
        ("the secret value", SECRET_VALUE.to_string()),
    ] {
        assert!(!log.contains(&text), "{what} is in the log");
    }
}
