//! The Projects pane against the simulator over HTTP, headless: the real `update`, the real
//! effect runner and the real client, messages fed from the inbox as the loop does.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::msg::Msg;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo, State};
use s2tui::testing::{Headless, select_name, visible_names};
use s2tui::widgets::modal::Modal;

async fn dashboard() -> (SimHandle, Headless) {
    let config = SimConfig { speed: 100.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap();
    let session = SessionInfo { demo: true, ..SessionInfo::default() };
    let mut h = Headless::new(Client::new(cfg).unwrap(), session);
    h.start();
    (sim, h)
}

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

/// Types a palette command and runs it.
fn command(h: &mut Headless, text: &str) {
    h.press(":");
    h.type_text(text);
    h.press("enter");
}

fn names(state: &mut State) -> Vec<String> {
    visible_names(&mut state.panes.projects.table)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provisioned_projects_with_their_groups() {
    let (_sim, mut h) = dashboard().await;
    command(&mut h, "projects");
    assert_eq!(h.state.location.pane, PaneId::Projects);
    assert!(h.until(deadline(), |s| s.panes.projects.table.total() == 3 && s.data.groups.value.is_some()).await);
    h.feed(Msg::Redraw);
    let mut names = names(&mut h.state);
    names.sort();
    assert_eq!(names, ["Enterprise Project", "Shared Project", "Standard Project"]);
    // Every v1 group of the demo sits in the Standard project.
    let groups =
        h.state.data.groups.value.as_ref().unwrap().iter().filter(|g| g.state.as_str() != "TERMINATED").count();
    let standard = h.state.panes.projects.table.rows().iter().find(|r| r.cells[0] == "Standard Project").unwrap();
    assert_eq!(standard.cells[2], groups.to_string());
    let shared = h.state.panes.projects.table.rows().iter().find(|r| r.cells[0] == "Shared Project").unwrap();
    assert_eq!(shared.cells[2], "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_rename_and_delete_through_the_pane() {
    let (sim, mut h) = dashboard().await;
    command(&mut h, "projects");
    assert!(h.until(deadline(), |s| s.panes.projects.table.total() == 3).await);

    // Create: the form, then the project in the simulator and in the list.
    h.press("c");
    assert!(matches!(h.state.modals.last(), Some(Modal::Form(_))));
    h.type_text("Analytics Team");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.projects.table.total() == 4).await, "the new project is listed");
    assert!(sim.shared().world().projects.iter().any(|p| p.name == "Analytics Team"));

    // Rename: the old name is replaced.
    assert!(select_name(&mut h.state.panes.projects.table, "Analytics Team"));
    h.press("e");
    h.press("ctrl-u");
    for _ in 0.."Analytics Team".len() {
        h.press("backspace");
    }
    h.type_text("Data Science");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.projects.table.rows().iter().any(|r| r.cells[0] == "Data Science")).await);
    assert!(sim.shared().world().projects.iter().any(|p| p.name == "Data Science"));

    // Delete: the typed confirmation, then gone from both.
    assert!(select_name(&mut h.state.panes.projects.table, "Data Science"));
    h.press("ctrl-d");
    assert!(matches!(h.state.modals.last(), Some(Modal::TypedConfirm(_))));
    h.type_text("Data Science");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.projects.table.total() == 3).await, "the project is gone from the list");
    assert!(!sim.shared().world().projects.iter().any(|p| p.name == "Data Science"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_holding_groups_is_not_deleted_and_the_pane_says_why() {
    let (sim, mut h) = dashboard().await;
    command(&mut h, "projects");
    assert!(h.until(deadline(), |s| s.panes.projects.table.total() == 3 && s.data.groups.value.is_some()).await);
    assert!(select_name(&mut h.state.panes.projects.table, "Standard Project"));
    h.press("ctrl-d");
    let Some(Modal::TypedConfirm(c)) = h.state.modals.last() else { panic!("no confirmation") };
    assert!(c.lines.iter().any(|l| l.contains("still holds")), "{:?}", c.lines);
    h.type_text("Standard Project");
    h.press("enter");
    assert!(
        h.until(deadline(), |s| s.ops.list.iter().any(|o| matches!(o.status, s2tui::panes::ops::OpStatus::Failed(_))))
            .await
    );
    assert!(sim.shared().world().projects.iter().any(|p| p.name == "Standard Project"), "still there");
    assert_eq!(h.state.panes.projects.table.total(), 3);
}
