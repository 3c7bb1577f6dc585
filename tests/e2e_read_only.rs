//! `--read-only`: every change is refused before any request is made. The simulator's request
//! log proves that not one mutating request reached it.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};

#[test]
fn read_only_sends_no_mutation_at_all() {
    let sim = Sim::demo();
    let mut dash = Pty::shell(&sim, "exec \"$S2TUI_BIN\" --read-only", &[]);
    dash.wait_for("prod-ingest");
    dash.wait_for("READ-ONLY");

    // Suspend, resume, terminate, create, edit on workspaces; the same on groups, secrets, teams, Stage.
    dash.send("/prod-ingest\r");
    // No esc between keys: a terminal reads esc followed at once by a key as alt+key.
    for keys in ["s", "y", "r", "y", "\x04", "c", "e"] {
        dash.send(keys);
    }
    dash.wait_for("Read-only");
    for pane in [":wg\r", ":secrets\r", ":teams\r", ":pc\r", ":jobs\r"] {
        dash.send(pane);
        for keys in ["c", "e", "\x04"] {
            dash.send(keys);
        }
    }
    dash.send(":stage\r");
    dash.wait_for("Stage");
    for keys in ["\r", "n", "u", "m", "\x04"] {
        dash.send(keys);
    }
    // Every key above has been handled once the palette answers again.
    dash.send(":ops\r");
    dash.wait_for("No operations yet");
    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());

    let mutations: Vec<_> =
        sim.handle.requests().into_iter().filter(|r| !matches!(r.method.as_str(), "GET" | "HEAD")).collect();
    assert!(mutations.is_empty(), "read-only mode sent {mutations:#?}");
    assert!(!sim.handle.requests().is_empty(), "the dashboard did read");
}
