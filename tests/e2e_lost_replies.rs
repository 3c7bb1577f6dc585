//! End-to-end: a change whose reply never comes back. The simulator makes the change at once
//! but holds its reply longer than the dashboard waits (`request_timeout = 2` in the config):
//! the screen says the outcome is unknown, then what the API shows; a create is looked for
//! by name and never sent twice.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::time::Duration;

use pty::frames::{assert_never, first};
use pty::{Pty, Sim};
use s2tui::api::types::WorkspaceState;
use s2tui::sim::Fault;

/// Longer than the dashboard waits for a reply.
const HELD: Duration = Duration::from_secs(6);

/// The dashboard with a 2 s request timeout; the config directory must outlive it.
fn dashboard(sim: &Sim) -> (Pty, tempfile::TempDir) {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join("config.toml"), "[general]\nrequest_timeout = 2\n").unwrap();
    let dash = Pty::dashboard(sim, &[("S2TUI_CONFIG_DIR", config.path().to_str().unwrap())]);
    (dash, config)
}

/// Waits until some frame drawn so far showed `text`.
fn wait_frame(dash: &Pty, text: &str) {
    let deadline = std::time::Instant::now() + pty::WAIT;
    while first(&dash.frames(), 0, |f| f.contains(text)).is_none() {
        assert!(std::time::Instant::now() < deadline, "no frame showed {text:?}; screen:\n{}", dash.screen());
        std::thread::sleep(pty::POLL);
    }
}

fn workspace_state(sim: &Sim, name: &str) -> WorkspaceState {
    let world = sim.handle.shared().world();
    world.workspaces.values().find(|w| w.api.name == name).unwrap().api.state.clone()
}

#[test]
fn a_suspend_whose_reply_is_held_back_is_unknown_then_suspended() {
    let sim = Sim::demo();
    let (mut dash, _config) = dashboard(&sim);
    let target = "prod-analytics";
    dash.wait_for(target);
    assert_eq!(workspace_state(&sim, target), WorkspaceState::Active);
    dash.send(&format!("/{target}\r"));
    dash.wait_for("[1/");

    sim.handle.hold_reply("POST", "/suspend", HELD);
    dash.send("s");
    dash.wait_for(&format!("Suspend workspace {target}?"));
    dash.send("y");
    dash.wait_row(target, "suspending…");
    // No reply within 2 s: not failed, not done, but unknown, and the tracker reads it back.
    dash.wait_row(target, "(checking…)");
    dash.wait_for("1 op unknown");
    dash.wait_for("no answer");
    // The change did happen: the API's word ends it.
    dash.wait_until("the row to show SUSPENDED, checked", |_| {
        dash.row_of(target).is_some_and(|r| r.contains("SUSPENDED") && !r.contains("checking"))
    });
    assert_eq!(workspace_state(&sim, target), WorkspaceState::Suspended);
    assert_eq!(sim.requests("POST", "/suspend").len(), 1, "a change is never sent twice by itself");

    dash.send(":ops\r");
    dash.wait_for("Operations [0 pending, 1 total]");
    let row = dash.row_of("suspend").unwrap();
    assert!(row.contains("done") && !row.contains("failed"), "{row}");

    // Every frame of the run: the row went suspending… → unknown, checking… → SUSPENDED, never
    // back to ACTIVE once the change was under way, and nothing ever said it failed.
    let frames = dash.frames();
    let row_in = |frame: &str, text: &str| frame.lines().any(|l| pty::has_word(l, target) && l.contains(text));
    let sending = first(&frames, 0, |f| row_in(f, "suspending…")).unwrap();
    let unknown = first(&frames, sending, |f| row_in(f, "(checking…)")).unwrap();
    let done = first(&frames, unknown, |f| row_in(f, "SUSPENDED") && !row_in(f, "checking")).unwrap();
    assert_never(&frames[sending..], "the workspace ACTIVE again", |f| row_in(f, "ACTIVE"));
    assert_never(&frames[done..], "the change still under way once done", |f| {
        row_in(f, "suspending…") || row_in(f, "(checking…)")
    });
    // (The header may name the request that timed out: that is true. The change never failed.)
    assert_never(&frames, "the change as failed", |f| f.contains("failed"));
    dash.send("\x03");
    assert!(dash.exit_status(Duration::from_secs(10)).success());
}

#[test]
fn a_create_whose_reply_is_held_back_is_found_by_name_and_not_sent_again() {
    let sim = Sim::demo();
    let (mut dash, _config) = dashboard(&sim);
    dash.wait_for("prod-ingest");
    dash.send(":wg\r");
    dash.wait_for("Workspace groups [");
    dash.send("c");
    dash.wait_for("Create workspace group");

    sim.handle.hold_reply("POST", "/v1/workspaceGroups", HELD);
    // The look-up answers a little late, so that Enter lands while it runs.
    sim.handle.inject_for("GET", Fault::Latency(Duration::from_millis(1500)));
    dash.send("late-group\r");
    // Seen in a recorded frame: on a busy machine the look-up may end before the screen is polled.
    // The form's own words (a toast may cover the end of its line).
    wait_frame(&dash, "No answer from the API: timed out");
    // While it checks, submitting again sends nothing (ctrl-s submits a form, and does nothing
    // in the list should the form have closed meanwhile).
    dash.send("\x13");
    dash.wait_gone("Create workspace group");
    dash.send(":ops\r");
    dash.wait_for("Operations [");
    dash.wait_until("the create followed in :ops", |s| {
        s.lines().any(|l| l.contains("create group") && l.contains("late-group") && !l.contains("failed"))
    });

    let frames = dash.frames();
    assert_never(&frames, "a refusal of a second create", |f| f.contains("already exists"));
    assert_never(&frames, "the create as failed", |f| f.contains("failed"));
    let checking = first(&frames, 0, |f| f.contains("No answer from the API: timed out")).unwrap();
    assert!(first(&frames, checking, |f| !f.contains("Create workspace group")).is_some());

    let posts = sim.requests("POST", "/workspaceGroups");
    assert_eq!(posts.len(), 1, "{posts:?}");
    let world = sim.handle.shared().world();
    assert_eq!(world.groups.values().filter(|g| g.api.name == "late-group").count(), 1);
    drop(world);
    dash.send("\x03");
    assert!(dash.exit_status(Duration::from_secs(10)).success());
}
