//! End-to-end: the real binary in a pseudo-terminal, against the simulator over real HTTP.
//! The screen is read back through a vt100 parser; every wait is a poll bounded by a deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{ENTER_ALT, Pty, Sim, assert_restored, assert_restored_before, find, has_word};
use s2tui::api::types::WorkspaceState;

impl Sim {
    fn workspace_state(&self, name: &str) -> WorkspaceState {
        let world = self.handle.shared().world();
        world.workspaces.values().find(|w| w.api.name == name).unwrap().api.state.clone()
    }

    fn workspace_id(&self, name: &str) -> String {
        let world = self.handle.shared().world();
        world.workspaces.values().find(|w| w.api.name == name).unwrap().api.workspace_id.to_string()
    }

    /// Workspace names the list shows (everything not terminated), with their group's name.
    fn visible_workspaces(&self) -> Vec<(String, String)> {
        let world = self.handle.shared().world();
        world
            .workspaces
            .values()
            .filter(|w| w.api.state != WorkspaceState::Terminated)
            .map(|w| {
                let group = world.groups.get(&w.api.workspace_group_id).map(|g| g.api.name.clone()).unwrap();
                (w.api.name.clone(), group)
            })
            .collect()
    }
}

#[test]
fn browse_filter_suspend_resume_terminate_and_quit() {
    let sim = Sim::demo();
    let mut dash = Pty::dashboard(&sim, &[]);

    // Every workspace of every group is listed, with its group.
    let expected = sim.visible_workspaces();
    assert!(expected.iter().map(|(_, g)| g).collect::<std::collections::HashSet<_>>().len() >= 4);
    dash.wait_until("every workspace of every group", |s| expected.iter().all(|(name, _)| s.contains(name)));
    for (name, group) in &expected {
        let row = dash.row_of(name).unwrap();
        let shown_group: String = group.chars().take(10).collect();
        assert!(row.contains(&shown_group), "{name} should show its group {group}: {row}");
    }

    // `/` narrows the list to one workspace; enter keeps the filter and gives the keys back.
    let target = "prod-analytics";
    assert_eq!(sim.workspace_state(target), WorkspaceState::Active);
    dash.send("/");
    dash.wait_for("type to filter");
    dash.send(target);
    dash.wait_until("only the target listed", |s| expected.iter().filter(|(name, _)| has_word(s, name)).count() == 1);
    assert!(dash.row_of(target).is_some());
    assert!(dash.row_of("prod-ingest").is_none());
    dash.send("\r");
    dash.wait_gone("type to filter");

    // esc on the y/n confirmation sends nothing.
    dash.send("s");
    dash.wait_for(&format!("Suspend workspace {target}?"));
    dash.send("\x1b");
    dash.wait_gone(&format!("Suspend workspace {target}?"));
    assert!(dash.row_of(target).is_some(), "esc closed the confirmation only, the filter stays");
    assert!(sim.requests("POST", "/suspend").is_empty());

    // s, y: the row says "suspending…" until the API reports SUSPENDED, and the world agrees.
    dash.send("s");
    dash.wait_for(&format!("Suspend workspace {target}?"));
    dash.send("y");
    dash.wait_row(target, "suspending…");
    dash.wait_row(target, "SUSPENDED");
    assert_eq!(sim.workspace_state(target), WorkspaceState::Suspended);

    // r, y: back to ACTIVE.
    dash.send("r");
    dash.wait_for(&format!("Resume workspace {target}?"));
    dash.send("y");
    dash.wait_row(target, "ACTIVE");
    assert_eq!(sim.workspace_state(target), WorkspaceState::Active);

    // ctrl-d with a wrong name: enter refuses, nothing is sent; esc cancels, nothing is sent.
    dash.send("\x04");
    dash.wait_for(&format!("Type {target} to confirm"));
    dash.send("prod-analytic\r");
    dash.wait_for("The name does not match.");
    dash.send("\x1b");
    dash.wait_gone("Terminate workspace");
    assert!(sim.requests("DELETE", "/v1/workspaces/").is_empty());
    assert_eq!(sim.workspace_state(target), WorkspaceState::Active);

    // ctrl-d with the exact name terminates it.
    dash.send("\x04");
    dash.wait_for(&format!("Type {target} to confirm"));
    dash.send(&format!("{target}\r"));
    sim.wait_until("the workspace terminated", |s| s.workspace_state(target) == WorkspaceState::Terminated);
    dash.wait_gone("Terminate workspace");

    // Exactly one of each mutation reached the API, on the right workspace.
    let id = sim.workspace_id(target);
    let suspends = sim.requests("POST", "/suspend");
    let resumes = sim.requests("POST", "/resume");
    let deletes = sim.requests("DELETE", "/v1/workspaces/");
    assert_eq!(suspends.len(), 1, "{suspends:?}");
    assert_eq!(resumes.len(), 1, "{resumes:?}");
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    for r in suspends.iter().chain(&resumes).chain(&deletes) {
        assert!(r.path_and_query.contains(&id), "{r:?}");
    }

    // esc clears the filter, then q quits with status 0 and the terminal put back.
    dash.send("\x1b");
    dash.wait_for("prod-ingest");
    dash.send("q");
    let status = dash.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&dash.raw());
}

#[test]
fn a_panic_restores_the_terminal_before_printing() {
    let sim = Sim::demo();
    let mut dash = Pty::dashboard(&sim, &[("S2TUI_TEST_PANIC", "1")]);
    let status = dash.wait_exit();
    assert!(!status.success(), "{status:?}");
    let raw = dash.raw();
    let shown = String::from_utf8_lossy(&raw);
    assert!(find(&raw, ENTER_ALT).is_some(), "no frame was drawn:\n{shown:?}");
    let message = find(&raw, b"S2TUI_TEST_PANIC: forced panic")
        .unwrap_or_else(|| panic!("no panic message in the output:\n{shown:?}"));
    // What unwinding writes after the message does not matter: the terminal must already have
    // been back to normal when the message was printed.
    assert_restored_before(&raw, message);
}

#[test]
fn sigterm_quits_cleanly() {
    let sim = Sim::demo();
    let mut dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("prod-ingest");
    let killed = std::process::Command::new("kill").args(["-TERM", &dash.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = dash.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&dash.raw());
}

#[test]
fn every_frame_is_drawn_as_one_synchronized_update_and_recorded() {
    use pty::frames::{SYNC_BEGIN, SYNC_END};
    let sim = Sim::demo();
    let mut dash = Pty::dashboard(&sim, &[]);
    let expected = sim.visible_workspaces();
    dash.wait_until("every workspace", |s| expected.iter().all(|(name, _)| s.contains(name)));
    dash.send("q");
    assert!(dash.wait_exit().success());
    let raw = dash.raw();
    let (begins, ends) = (pty::count(&raw, SYNC_BEGIN), pty::count(&raw, SYNC_END));
    assert!(begins > 0, "no frame was marked");
    // One more end than begins: putting the terminal back ends any frame an error cut short.
    assert_eq!(begins + 1, ends);
    let frames = dash.frames();
    assert!(frames.len() >= 2 && frames.len() <= ends + 1, "{} frames for {ends} ends", frames.len());
    assert!(
        pty::frames::first(&frames, 0, |f| expected.iter().all(|(name, _)| f.contains(name))).is_some(),
        "no recorded frame showed every workspace"
    );
}
