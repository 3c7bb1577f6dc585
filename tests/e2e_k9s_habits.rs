//! End-to-end: the habits k9s users bring, on the real binary in a pseudo-terminal at 80×24.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim, assert_restored};

#[test]
fn at_80_columns_help_shows_and_q_quits_after_visiting_every_pane() {
    let sim = Sim::demo();
    let mut dash = Pty::dashboard_sized(&sim, 24, 80, &[]);
    dash.wait_for("prod-ingest");
    dash.wait_until("the footer offering help", |s| s.lines().last().is_some_and(|l| l.contains("? help")));
    dash.wait_until("a row position", |s| s.contains("1/11"));

    // Filter by an exact id-like substring instead of fuzzily.
    dash.send("/=prod-in\r");
    dash.wait_until("one exact match", |s| s.contains("1/1 ") && s.contains("prod-ingest"));
    dash.send("\x1b");
    dash.wait_for("1/11");

    // Visit the nine panes by number; one q leaves.
    for n in 1..=9 {
        dash.send(&n.to_string());
    }
    dash.wait_for("Audit log");
    dash.send("q");
    let status = dash.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&dash.raw());
}
