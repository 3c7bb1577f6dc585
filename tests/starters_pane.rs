//! Starter deployments at both versions: the v1 starter workspace routes over real HTTP, and
//! the Starters pane headless against the simulator (the real `update`, runner and client).
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::starters::*;
use s2tui::api::{ApiKey, ApiVersion, Client, ClientConfig};
use s2tui::panes::ops::OpStatus;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo, State};
use s2tui::testing::{Headless, select_name};
use s2tui::widgets::modal::Modal;

async fn sim() -> SimHandle {
    let config = SimConfig { speed: 100.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap()
}

fn client(sim: &SimHandle, version: ApiVersion) -> Client {
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap();
    Client::new(cfg).unwrap().with_version(version)
}

async fn dashboard(version: ApiVersion) -> (SimHandle, Headless) {
    let sim = sim().await;
    let session = SessionInfo { demo: true, api_version: version, ..SessionInfo::default() };
    let mut h = Headless::new(client(&sim, version), session);
    h.start();
    (sim, h)
}

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

fn op_done(s: &State, label: &str) -> bool {
    s.ops.list.iter().any(|o| o.kind.label() == label && o.status == OpStatus::Done)
}

fn password_in_sim(sim: &SimHandle, user: &str) -> Option<String> {
    sim.shared().world().starter_users.values().find(|u| u.user_name == user).map(|u| u.password.clone())
}

#[tokio::test]
async fn v1_starter_workspaces_are_created_given_users_and_deleted() {
    let sim = sim().await;
    let c = client(&sim, ApiVersion::V1);
    let before = c.starters_at(ApiVersion::V1).await.unwrap();
    assert!(!before.is_empty(), "the demo has starter workspaces");
    // v1 ignores fields it does not know; v2 refuses them. Both want the provider upper case.
    let body = StarterClusterCreate {
        name: "v1-starter".into(),
        database_name: "v1_db".into(),
        provider: StarterProvider::Aws,
        region_name: "us-east-1".into(),
        project_id: None,
    };
    let id = c.create_starter_at(ApiVersion::V1, &body).await.unwrap();
    let raw = sim.shared().world().starter_workspaces.get(&id).cloned().unwrap();
    assert_eq!(raw.database_name.as_deref(), Some("v1_db"));
    let listed = c.starters_at(ApiVersion::V1).await.unwrap();
    assert!(listed.iter().any(|s| s.virtual_cluster_id == id && s.name == "v1-starter"), "v1 IDs read as the same key");
    // The same object at v2, same ID.
    assert!(c.starters_at(ApiVersion::V2).await.unwrap().iter().any(|s| s.virtual_cluster_id == id));

    let user = c
        .create_starter_user_at(ApiVersion::V1, id, &StarterUserCreate { user_name: "reader".into(), password: None })
        .await
        .unwrap();
    assert!(user.password.len() >= 12, "a generated password");
    assert_eq!(password_in_sim(&sim, "reader"), Some(user.password.clone()));
    c.set_starter_password_at(ApiVersion::V1, id, user.user_id, "Another-pass-789").await.unwrap();
    assert_eq!(password_in_sim(&sim, "reader").as_deref(), Some("Another-pass-789"));
    c.delete_starter_user_at(ApiVersion::V1, id, user.user_id).await.unwrap();
    assert_eq!(password_in_sim(&sim, "reader"), None);
    let err = c.delete_starter_user_at(ApiVersion::V1, id, user.user_id).await.unwrap_err();
    assert_eq!(err.status(), Some(404));

    c.delete_starter_at(ApiVersion::V1, id).await.unwrap();
    assert!(!c.starters_at(ApiVersion::V1).await.unwrap().iter().any(|s| s.virtual_cluster_id == id));

    let bad = StarterClusterCreate { region_name: "us-east-2".into(), ..body };
    let err = c.create_starter_at(ApiVersion::V1, &bad).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.message().contains("no shared tier region found"), "{err}");
}

/// Creates a starter, adds a user, changes its password, drops it, deletes the starter.
async fn full_round(version: ApiVersion, title: &str) {
    let (sim, mut h) = dashboard(version).await;
    h.press(":");
    h.type_text("starters");
    h.press("enter");
    assert_eq!(h.state.location.pane, PaneId::Starters);
    assert!(h.until(deadline(), |s| s.panes.starters.list.value.is_some()).await);
    let screen = s2tui::testing::render(&mut h.state, 160, 30);
    assert!(screen.contains(title), "{screen}");
    let before = h.state.panes.starters.table.total();

    h.press("c");
    h.type_text("team-starter");
    h.press("tab");
    h.type_text("team_db");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.starters.table.total() == before + 1).await, "the new starter is listed");
    assert!(select_name(&mut h.state.panes.starters.table, "team-starter"));

    // A user with a generated password: shown once, then only the simulator has it.
    h.press("u");
    h.type_text("analyst");
    h.press("enter");
    assert!(h.until(deadline(), |s| matches!(s.modals.last(), Some(Modal::Reveal(_)))).await);
    let Some(Modal::Reveal(r)) = h.state.modals.last() else { unreachable!() };
    assert_eq!(Some(r.secret.clone()), password_in_sim(&sim, "analyst"));
    h.press("esc");
    assert!(h.state.modals.is_empty());
    assert!(h.state.panes.starters.table.rows().iter().any(|r| r.cells[3] == "analyst"));

    h.press("e");
    let Some(Modal::Form(_)) = h.state.modals.last() else { panic!("no password form") };
    h.press("tab");
    h.type_text("Fresh-Password-42");
    h.press("enter");
    assert!(h.until(deadline(), |s| op_done(s, "change password")).await);
    assert_eq!(password_in_sim(&sim, "analyst").as_deref(), Some("Fresh-Password-42"));

    h.press("D");
    h.press("enter");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else {
        panic!("no review of the drop: {:?} {:?}", h.state.modals.last().map(|m| m.name()), h.state.toasts.items)
    };
    assert!(c.lines.iter().any(|l| l.contains("drop database user analyst")), "{:?}", c.lines);
    h.press("y");
    assert!(h.until(deadline(), |s| op_done(s, "drop database user")).await);
    assert_eq!(password_in_sim(&sim, "analyst"), None);

    h.press("ctrl-d");
    let Some(Modal::TypedConfirm(_)) = h.state.modals.last() else { panic!("no typed confirmation") };
    h.type_text("team-starter");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.starters.table.total() == before).await, "gone from the list");
    assert!(!sim.shared().world().starter_workspaces.values().any(|s| s.name.as_deref() == Some("team-starter")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pane_at_v2_manages_starter_clusters_and_their_users() {
    full_round(ApiVersion::V2, "Starter clusters").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pane_at_v1_manages_starter_workspaces_and_their_users() {
    full_round(ApiVersion::V1, "Starter workspaces").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_the_user_typed_is_not_shown_back() {
    let (sim, mut h) = dashboard(ApiVersion::V2).await;
    h.press(":");
    h.type_text("starters");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.starters.table.total() > 0).await);
    h.press("u");
    h.type_text("writer");
    h.press("tab");
    h.type_text("Typed-Pass-1234");
    h.press("enter");
    assert!(h.until(deadline(), |s| op_done(s, "add database user")).await);
    assert!(h.state.modals.is_empty(), "no reveal of what was typed: {:?}", h.state.modals.last().map(|m| m.name()));
    assert_eq!(password_in_sim(&sim, "writer").as_deref(), Some("Typed-Pass-1234"));
}
