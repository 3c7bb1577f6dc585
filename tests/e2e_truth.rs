//! End-to-end: the screen tells the truth when the API fails, is slow, or answers late. The
//! real binary in a pseudo-terminal against the simulator; every frame it drew is recorded and
//! the assertions hold for all of them, not only for the screen at the end.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::frames::{assert_never, first};
use pty::{POLL, Pty, Sim, has_word};
use s2tui::api::types::WorkspaceState;
use s2tui::sim::{FaultSpec, Seed, SimConfig};

/// Outlasts a read retried four times with backoff, several times over.
const LONG: Duration = Duration::from_secs(60);

/// What a failed read must never look like: an organization with nothing in it.
const EMPTY: [&str; 6] = [
    "No workspaces.",
    "No workspace groups",
    "No private connections.",
    "No projects.",
    "No clusters.",
    "No workspace groups or starter workspaces.",
];

fn shows_empty(frame: &str) -> bool {
    EMPTY.iter().any(|e| frame.contains(e))
}

fn wait_long(dash: &Pty, what: &str, done: impl Fn(&str) -> bool) {
    dash.wait_within(LONG, what, done);
}

fn visible_workspaces(sim: &Sim) -> Vec<String> {
    let world = sim.handle.shared().world();
    world
        .workspaces
        .values()
        .filter(|w| w.api.state != WorkspaceState::Terminated)
        .map(|w| w.api.name.clone())
        .collect()
}

/// Opens a pane from the palette and waits until its body says its read failed.
fn open_failed(dash: &Pty, command: &str) {
    dash.send(&format!(":{command}\r"));
    wait_long(dash, &format!("the {command} pane to say its read failed"), |s| s.contains("✗ Could not read the"));
}

#[test]
fn a_wrong_key_never_shows_an_empty_organization() {
    let sim = Sim::demo();
    let dash = Pty::dashboard(&sim, &[("SINGLESTOREDB_API_KEY", "not-the-key")]);
    wait_long(&dash, "the workspaces pane to say the key is wrong", |s| {
        s.contains("Could not read the workspace groups") && s.contains("s2tui get org")
    });
    for pane in ["groups", "stage", "pc"] {
        open_failed(&dash, pane);
    }
    assert!(dash.screen().contains("401"), "{}", dash.screen());
    dash.assert_never("an empty organization", shows_empty);
    dash.assert_never("a fresh read", |f| f.contains("refreshed 0s ago"));
}

#[test]
fn server_errors_on_every_read_never_show_an_empty_organization() {
    let sim = Sim::start(SimConfig {
        api_key: "e2e-key".into(),
        speed: 200.0,
        seed: Seed::Demo,
        colleague_rate: 0.0,
        faults: FaultSpec { rate_5xx: 1.0, ..FaultSpec::default() },
        ..SimConfig::default()
    });
    let dash = Pty::dashboard(&sim, &[]);
    wait_long(&dash, "the workspaces pane to say the read failed and is retried", |s| {
        s.contains("Could not read the workspace groups") && s.contains("Retrying")
    });
    open_failed(&dash, "groups");
    dash.assert_never("an empty organization", shows_empty);
}

#[test]
fn when_some_group_reads_fail_no_workspace_ever_vanishes() {
    let sim = Sim::demo();
    let names = visible_workspaces(&sim);
    assert!(names.len() >= 6, "{names:?}");
    let dash = Pty::dashboard_with_args(&sim, &["--refresh", "2"], &[]);
    dash.wait_until("every workspace", |s| names.iter().all(|n| s.contains(n.as_str())));
    let from = dash.frame_count();
    sim.handle.set_faults(FaultSpec { rate_5xx: 0.6, ..FaultSpec::default() });
    // Run until a group's read failed after its retries and the next reads came back.
    wait_long(&dash, "a group's rows shown stale", |s| s.contains("(stale"));
    let stale_at = dash.frame_count();
    let reads = |sim: &Sim| sim.requests("GET", "/v1/workspaces?").len();
    let seen = reads(&sim);
    let deadline = Instant::now() + LONG;
    while reads(&sim) < seen + 20 {
        assert!(Instant::now() < deadline, "the dashboard stopped reading workspaces");
        std::thread::sleep(POLL);
    }
    let frames = dash.frames();
    assert!(frames.len() > stale_at);
    assert_never(&frames[from..], "a workspace gone from the list", |f| {
        // Only the list: the frame of a half-open palette or help is not a list.
        f.contains("┌ Workspaces ") && !names.iter().all(|n| f.contains(n.as_str()))
    });
    assert_never(&frames[from..], "an empty organization", shows_empty);
}

#[test]
fn under_latency_a_suspended_workspace_never_flashes_back_to_active() {
    const NAME: &str = "staging-app";
    let sim = Sim::start(SimConfig {
        api_key: "e2e-key".into(),
        speed: 200.0,
        seed: Seed::Demo,
        colleague_rate: 0.0,
        faults: FaultSpec { latency: Duration::from_secs(2), ..FaultSpec::default() },
        ..SimConfig::default()
    });
    let group = {
        let world = sim.handle.shared().world();
        world.workspaces.values().find(|w| w.api.name == NAME).unwrap().api.workspace_group_id
    };
    let of_group = format!("workspaceGroupID={group}");
    let reads = |sim: &Sim| sim.requests("GET", &of_group);
    let dash = Pty::dashboard_with_args(&sim, &["--refresh", "2"], &[]);
    wait_long(&dash, "the workspace, active", |_| dash.row_of(NAME).is_some_and(|r| r.contains("ACTIVE")));
    dash.send(&format!("/{NAME}\r"));
    wait_long(&dash, "only the workspace listed", |s| s.contains("[1/"));

    // A list read that reaches the service before the suspend, its reply held back on the way
    // until after the suspend was confirmed: it says ACTIVE, and it comes last.
    sim.handle.hold_reply("GET", &of_group, Duration::from_secs(10));
    let before = reads(&sim).len();
    let deadline = Instant::now() + LONG;
    while reads(&sim).len() == before {
        assert!(Instant::now() < deadline, "the dashboard stopped reading workspaces");
        std::thread::sleep(POLL);
    }
    let held = before;
    dash.send("s");
    wait_long(&dash, "the confirmation", |s| s.contains("Suspend workspace"));
    dash.send("y");
    wait_long(&dash, "the workspace shown suspended", |_| dash.row_of(NAME).is_some_and(|r| r.contains("SUSPENDED")));
    // The held reply came back, and a read sent after it too.
    let deadline = Instant::now() + LONG;
    while reads(&sim).get(held).is_none_or(|r| r.status.is_none()) || reads(&sim).len() < held + 2 {
        assert!(Instant::now() < deadline, "the held read never came back: {:?}", reads(&sim));
        std::thread::sleep(POLL);
    }
    wait_long(&dash, "the next read", |_| dash.row_of(NAME).is_some_and(|r| r.contains("SUSPENDED")));
    assert_eq!(reads(&sim)[held].status, Some(200));
    let frames = dash.frames();
    let row = |f: &str| f.lines().find(|l| has_word(l, NAME)).map(str::to_string);
    let suspended = first(&frames, 0, |f| row(f).is_some_and(|r| r.contains("SUSPENDED"))).unwrap();
    assert_never(&frames[suspended..], "the workspace ACTIVE again after it was shown SUSPENDED", |f| {
        row(f).is_some_and(|r| r.contains("ACTIVE"))
    });
}
