//! The people panes against the simulator over HTTP, headless: the real `update`, the real
//! effect runner and the real client. A user is added by email and removed after the typed
//! confirmation; an identity is created; a custom role is made with the permission picker.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo};
use s2tui::testing::{Headless, select_name};

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

fn command(h: &mut Headless, text: &str) {
    h.press(":");
    h.type_text(text);
    h.press("enter");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_a_user_by_email_then_remove_them() {
    let (sim, mut h) = dashboard().await;
    command(&mut h, "users");
    assert_eq!(h.state.location.pane, PaneId::Users);
    assert!(h.until(deadline(), |s| s.panes.users.table.total() == 7).await);
    // The header names who the key acts as.
    assert!(h.until(deadline(), |s| s.data.me.value.as_ref().is_some_and(|u| u.first_name == "Dana")).await);

    h.press("c");
    h.type_text("emma.novak@acme-analytics.io");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.users.table.total() == 8).await, "Emma is listed");
    assert!(sim.shared().world().users.iter().any(|u| u.info.first_name == "Emma"));

    assert!(select_name(&mut h.state.panes.users.table, "Emma Novak"));
    h.press("ctrl-d");
    h.type_text("emma.novak@acme-analytics.io");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.users.table.total() == 7).await, "Emma is gone");
    assert!(!sim.shared().world().users.iter().any(|u| u.info.first_name == "Emma"));
    let kinds: Vec<String> = sim.shared().world().audit.iter().rev().take(2).filter_map(|a| a.kind.clone()).collect();
    assert_eq!(kinds, ["User.Remove", "User.Add"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_a_service_account_and_a_custom_role() {
    let (sim, mut h) = dashboard().await;
    command(&mut h, "identities");
    assert!(h.until(deadline(), |s| s.panes.identities.table.total() == 3).await);
    h.press("c");
    h.press("tab");
    h.type_text("dbt-runner");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.identities.table.total() == 4).await);
    assert!(sim.shared().world().people.identities.values().any(|i| i.name == "dbt-runner"));

    command(&mut h, "roles");
    assert!(h.until(deadline(), |s| s.panes.roles.table.total() > 0).await);
    h.press("c");
    h.type_text("Night Shift");
    h.press("enter");
    // The picker for workspace groups: tick the first permission.
    h.press("tab");
    h.press("space");
    h.press("enter");
    assert!(
        h.until(deadline(), |s| s.panes.roles.table.rows().iter().any(|r| r.cells[1] == "Night Shift")).await,
        "the new role is listed"
    );
    let world = sim.shared().world();
    let role = world.people.custom_roles.iter().find(|r| r.role == "Night Shift").unwrap();
    assert_eq!(role.permissions.get("Cluster").unwrap(), &["View Workspace Group"]);
}
