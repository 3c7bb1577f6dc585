//! End-to-end at API v2: the real binary in a pseudo-terminal against the simulator over real
//! HTTP. Clusters listed by project, suspended and resumed, one created (its admin password
//! shown once and never written to the log) and terminated by typing its name.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;

use pty::{Pty, Sim, has_word};
use s2tui::api::types::WorkspaceState;

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

impl Sim {
    /// The state of the live cluster called `name` (a cluster is a workspace seen the v2 way).
    fn cluster_state(&self, name: &str) -> Option<WorkspaceState> {
        let w = self.handle.shared().world();
        let live = w.workspaces.values().filter(|ws| ws.api.name == name);
        live.map(|ws| ws.api.state.clone()).find(|s| *s != WorkspaceState::Terminated)
    }

    fn admin_password(&self, cluster: &str) -> Option<String> {
        let w = self.handle.shared().world();
        let ws = w.workspaces.values().find(|ws| ws.api.name == cluster)?;
        w.groups.get(&ws.api.workspace_group_id).map(|g| g.admin_password.clone())
    }

    fn live_clusters(&self) -> Vec<String> {
        let w = self.handle.shared().world();
        let live = w.workspaces.values().filter(|ws| ws.api.state != WorkspaceState::Terminated);
        live.map(|ws| ws.api.name.clone()).collect()
    }
}

#[test]
fn clusters_by_project_suspend_resume_create_and_terminate() {
    let sim = Sim::demo();
    let logs = tempfile::tempdir().unwrap();
    let env = [
        ("SINGLESTOREDB_MANAGEMENT_VERSION", "v2"),
        ("S2TUI_STATE_DIR", logs.path().to_str().unwrap()),
        ("S2TUI_LOG", "trace"),
    ];
    let mut dash = Pty::dashboard_sized(&sim, 40, 160, &env);

    // Every live cluster, each with its project; the header says which API this is.
    let expected = sim.live_clusters();
    assert!(expected.len() >= 5);
    dash.wait_until("every cluster", |s| expected.iter().all(|name| has_word(s, name)));
    let screen = dash.screen();
    assert!(screen.contains("API v2") && screen.contains("Clusters (all projects)"), "{screen}");
    // Project names arrive with their own read (until then a row shows the project's short ID).
    dash.wait_until("each cluster with its project", |_| {
        expected.iter().all(|name| dash.row_of(name).is_some_and(|row| row.contains("Standard Project")))
    });

    // Suspend, then resume, one cluster through the confirmation and the tracker.
    let target = "staging-app";
    assert_eq!(sim.cluster_state(target), Some(WorkspaceState::Active));
    dash.send("/staging-app\r");
    dash.wait_until("only the target", |s| has_word(s, target) && !has_word(s, "prod-ingest"));
    dash.send("s");
    dash.wait_for(&format!("Suspend cluster {target}?"));
    dash.send("y");
    dash.wait_row(target, "SUSPENDED");
    assert_eq!(sim.cluster_state(target), Some(WorkspaceState::Suspended));
    dash.send("r");
    dash.wait_for(&format!("Resume cluster {target}?"));
    dash.send("y");
    dash.wait_row(target, "ACTIVE");
    assert_eq!(sim.cluster_state(target), Some(WorkspaceState::Active));
    dash.send("\x1b");
    dash.wait_until("the whole list again", |s| has_word(s, "prod-ingest"));

    // Create: the v2 form, the billed-create confirmation, the password once.
    dash.send("c");
    dash.wait_for("Create cluster");
    dash.send("\tcl-e2e\r");
    dash.wait_for("Create cluster cl-e2e (S-00) in project Standard Project?");
    dash.send("y");
    dash.wait_for("Admin password of cl-e2e");
    let password = sim.admin_password("cl-e2e").unwrap();
    // The title can be drawn a moment before the line under it: wait for the password itself.
    dash.wait_for(&password);
    dash.send("\x1b");
    dash.wait_gone("Admin password of cl-e2e");
    assert!(!dash.screen().contains(&password), "gone with the dialog");
    dash.wait_row("cl-e2e", "ACTIVE");

    // Terminate: a wrong name sends nothing; the right one does.
    dash.send("/cl-e2e\r");
    dash.wait_until("only the new cluster", |s| has_word(s, "cl-e2e") && !has_word(s, "prod-ingest"));
    dash.send("\x04");
    dash.wait_for("Terminate cluster cl-e2e");
    dash.send("cl-e\r");
    assert!(sim.requests("DELETE", "/v2/clusters/").is_empty(), "a wrong name sends nothing");
    dash.send("2e\r");
    sim.wait_until("the cluster terminated", |s| s.cluster_state("cl-e2e").is_none());
    dash.wait_until("the row gone", |s| !has_word(s, "cl-e2e") || s.contains("No clusters"));

    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());
    let log = all_text(logs.path());
    assert!(log.contains("/v2/clusters"), "the log was written: {log}");
    assert!(!log.contains(&password), "the admin password is in the log");
    assert!(!log.contains(sim.handle.api_key()), "the API key is in the log");
}

/// The README's quick start (`s2tui --demo`), read off the terminal: the demo speaks v2 and
/// opens on the clusters; one is suspended and resumed; Stage offers the clusters and the
/// Files spaces.
#[test]
fn the_demo_opens_on_clusters_and_suspends_and_resumes_one() {
    // The dashboard runs its own demo simulator; `sim` only gives the terminal its environment.
    let sim = Sim::demo();
    let mut dash = Pty::shell(&sim, "exec \"$S2TUI_BIN\" --demo --demo-speed 100", &[]);
    dash.wait_until("the clusters", |s| s.contains("DEMO") && s.contains("API v2") && has_word(s, "staging-app"));
    dash.send("/staging-app\r");
    dash.wait_until("only the target", |s| has_word(s, "staging-app") && !has_word(s, "prod-ingest"));
    dash.wait_row("staging-app", "ACTIVE");
    dash.send("s");
    dash.wait_for("Suspend cluster staging-app?");
    dash.send("y");
    dash.wait_row("staging-app", "SUSPENDED");
    dash.send("r");
    dash.wait_for("Resume cluster staging-app?");
    dash.send("y");
    dash.wait_row("staging-app", "ACTIVE");
    dash.send("\x1b");
    dash.wait_until("the whole list again", |s| has_word(s, "prod-ingest"));

    dash.send(":stage\r");
    dash.wait_until("clusters and spaces", |_| {
        dash.row_of("prod-ingest").is_some_and(|r| r.contains("cluster"))
            && dash.row_of("shared").is_some_and(|r| r.contains("Files space"))
    });
    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());
}
