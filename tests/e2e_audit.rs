//! End-to-end: the real binary in a pseudo-terminal against the simulator over real HTTP.
//! `:audit` shows colleagues' activity arriving live, and a suspend made in the workspaces pane
//! appears in the audit log within a poll interval. Every wait is a poll bounded by a deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, ROWS, Sim};
use s2tui::api::types::WorkspaceState;
use s2tui::sim::{Seed, SimConfig};

/// Wide enough for the audit pane's reason column.
const COLS: u16 = 140;

/// The entry count in the audit pane's title: "Audit log [123]".
fn count(screen: &str) -> Option<usize> {
    let at = screen.find("Audit log [")? + "Audit log [".len();
    screen[at..].split(']').next()?.parse().ok()
}

#[test]
fn colleagues_and_own_actions_arrive_live() {
    let sim = Sim::start(SimConfig {
        api_key: "e2e-key".into(),
        speed: 200.0,
        seed: Seed::Demo,
        colleague_rate: 5.0,
        ..SimConfig::default()
    });
    let (name, id) = {
        let w = sim.handle.shared().world();
        // The first active one by name: the filtered list keeps name order, so it is selected.
        let ws = w
            .workspaces
            .values()
            .filter(|r| r.api.state == WorkspaceState::Active)
            .min_by_key(|r| r.api.name.clone())
            .unwrap();
        (ws.api.name.clone(), ws.api.workspace_id)
    };

    let dash = Pty::dashboard_sized(&sim, ROWS, COLS, &[]);
    dash.wait_until("the workspaces", |s| s.contains(&name));
    dash.send(":audit\r");
    dash.wait_until("the audit log, following", |s| {
        count(s).is_some() && s.contains("following") && !s.contains("loading")
    });
    let first = count(&dash.screen()).unwrap();
    dash.wait_until("colleagues' entries arriving", |s| count(s).is_some_and(|n| n > first));

    // Suspend a workspace from its pane, then come back: the entry is there within a poll.
    dash.send(":ws\r");
    dash.wait_until("the workspaces pane", |s| s.contains(&name) && !s.contains("Audit log ["));
    dash.send("/");
    dash.send(&name);
    dash.send("\r");
    dash.send("s");
    dash.wait_until("the suspend confirmation", |s| s.contains(&format!("Suspend workspace {name}?")));
    dash.send("y");
    sim.wait_until("the suspend in the simulator's audit log", |sim| {
        sim.handle
            .shared()
            .world()
            .audit
            .iter()
            .any(|e| e.kind.as_deref() == Some("Workspace.Suspend") && e.workspace_id == Some(id))
    });
    // esc alone (followed at once by ':' a terminal reads it as alt-:), then back to the log.
    dash.send("\x1b");
    dash.wait_until("the filter cleared", |s| !s.contains(&format!("/{name}")));
    dash.send(":audit\r");
    dash.wait_until("our suspend in the audit log", |s| {
        s.lines().any(|l| l.contains("Workspace.Suspend") && l.contains(&format!("Workspace \"{name}\" suspended")))
    });
}
