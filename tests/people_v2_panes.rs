//! Roles and access at API v2 against the simulator over HTTP, headless: the real `update`,
//! the real effect runner and the real client. The Roles pane speaks `/v2/authorization/roles`
//! (one role across resource types, no inherits) and never the per-type v1 routes.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use s2tui::api::ApiVersion;
use s2tui::sim::server::SimHandle;
use s2tui::state::{PaneId, State};
use s2tui::testing::{Headless, select_name};
use s2tui::widgets::modal::Modal;

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(30)
}

fn command(h: &mut Headless, text: &str) {
    h.press(":");
    h.type_text(text);
    h.press("enter");
}

/// The requests the simulator received as "METHOD path", in order.
fn calls(sim: &SimHandle) -> Vec<String> {
    sim.requests().iter().map(|r| format!("{} {}", r.method, r.path_and_query)).collect()
}

fn called(sim: &SimHandle, what: &str) -> bool {
    calls(sim).iter().any(|c| c.starts_with(what))
}

fn listed(s: &State, role: &str) -> bool {
    s.panes.roles.table.rows().iter().any(|r| r.cells[0] == role)
}

fn form_labels(s: &State) -> Vec<String> {
    match s.modals.last() {
        Some(Modal::Form(f)) => f.form.fields.iter().map(|f| f.label.clone()).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v2_roles_are_listed_created_changed_and_deleted_through_the_v2_routes() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    command(&mut h, "roles");
    assert_eq!(h.state.location.pane, PaneId::Roles);
    assert!(h.until(deadline(), |s| listed(s, "Owner") && listed(s, "Stage Uploader")).await);
    // One row per role, its permissions grouped by the types it covers.
    let owner = h.state.panes.roles.table.rows().iter().find(|r| r.cells[0] == "Owner").unwrap().clone();
    assert_eq!(owner.cells[1], "built-in");
    assert_eq!(owner.cells[2], "Organization, Cluster, Team, Secret");
    assert!(owner.cells[3].contains("Cluster: View Workspace Group"), "{:?}", owner.cells);
    let screen = s2tui::testing::render(&mut h.state, 160, 40);
    assert!(screen.contains("ON") && !screen.contains("INHERITS"), "{screen}");

    // Create: name, then the resource types it covers (workspace groups ticked already).
    h.press("c");
    h.type_text("Night Shift");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("space"); // Secret
    h.press("enter");
    let labels = form_labels(&h.state);
    assert!(labels.contains(&"Cluster: View Workspace Group".to_string()), "{labels:?}");
    assert!(labels.contains(&"Secret: View Secret".to_string()), "{labels:?}");
    assert!(!labels.iter().any(|l| l.starts_with("Team:")), "{labels:?}");
    h.press("tab");
    h.press("space"); // Cluster: View Workspace Group
    let first_secret = labels.iter().position(|l| l == "Secret: View Secret").unwrap();
    for _ in 1..first_secret {
        h.press("tab");
    }
    h.press("space"); // Secret: View Secret
    h.press("enter");
    assert!(h.until(deadline(), |s| listed(s, "Night Shift")).await, "the new role is listed");
    {
        let world = sim.shared().world();
        let role = world.people.custom_roles.iter().find(|r| r.role == "Night Shift").unwrap();
        assert_eq!(role.permissions.get("Cluster").unwrap(), &["View Workspace Group"]);
        assert_eq!(role.permissions.get("Secret").unwrap(), &["View Secret"]);
    }
    assert!(called(&sim, "POST /v2/authorization/roles"), "{:?}", calls(&sim));

    // Change: drop Secret, add a second workspace group permission.
    assert!(select_name(&mut h.state.panes.roles.table, "Night Shift"));
    h.press("e");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("space"); // Secret off
    h.press("enter");
    let labels = form_labels(&h.state);
    assert!(labels.iter().all(|l| !l.contains("Secret")), "{labels:?}");
    h.press("tab");
    h.press("tab");
    h.press("space"); // Update Workspace Group
    h.press("enter");
    assert!(
        h.until(deadline(), |s| {
            s.panes.roles.table.rows().iter().any(|r| r.cells[0] == "Night Shift" && r.cells[2] == "Cluster")
        })
        .await,
        "the changed role is listed on workspace groups only"
    );
    {
        let world = sim.shared().world();
        let role = world.people.custom_roles.iter().find(|r| r.role == "Night Shift").unwrap();
        assert_eq!(role.permissions.get("Cluster").unwrap(), &["View Workspace Group", "Update Workspace Group"]);
        assert!(!role.permissions.contains_key("Secret"));
    }
    assert!(called(&sim, "PUT /v2/authorization/roles/Night%20Shift"), "{:?}", calls(&sim));

    // Delete, after typing its name.
    assert!(select_name(&mut h.state.panes.roles.table, "Night Shift"));
    h.press("ctrl-d");
    h.type_text("Night Shift");
    h.press("enter");
    assert!(h.until(deadline(), |s| !listed(s, "Night Shift") && listed(s, "Owner")).await, "the role is gone");
    assert!(!sim.shared().world().people.custom_roles.iter().any(|r| r.role == "Night Shift"));
    assert!(called(&sim, "DELETE /v2/authorization/roles/Night%20Shift"), "{:?}", calls(&sim));

    // A built-in role is refused before anything is sent.
    assert!(select_name(&mut h.state.panes.roles.table, "Owner"));
    h.press("ctrl-d");
    assert!(!h.state.modals.iter().any(|m| matches!(m, Modal::TypedConfirm(_))));

    assert!(!called(&sim, "GET /v1/roles") && !called(&sim, "POST /v1/roles"), "{:?}", calls(&sim));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v1_roles_stay_on_the_per_type_routes() {
    let (sim, mut h) = live::dashboard(ApiVersion::V1).await;
    command(&mut h, "roles");
    assert!(h.until(deadline(), |s| s.panes.roles.table.total() > 0).await);
    assert!(called(&sim, "GET /v1/roles/Cluster"), "{:?}", calls(&sim));
    assert!(!called(&sim, "GET /v2/authorization/roles"), "{:?}", calls(&sim));
}
