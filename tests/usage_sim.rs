//! The usage pane's reads against the simulator over real HTTP: the pane's own `fetch` and
//! aggregation, the way the dashboard runs them.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use s2tui::api::types::*;
use s2tui::api::types::{UsageReply as Reply, UsageRequest as Request};
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::panes::usage::aggregate::{Usage, Window, Zoom, aggregate};
use s2tui::sim::server::SimHandle;
use s2tui::sim::usage::credits_per_hour;
use s2tui::sim::{Seed, SimConfig};

async fn start() -> (SimHandle, Client) {
    // High speed: a suspend lands in well under a second.
    let config = SimConfig { seed: Seed::Demo, speed: 500.0, colleague_rate: 0.0, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = Client::new(ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap()).unwrap();
    (sim, client)
}

/// The last 24 hours as the pane reads and aggregates them.
async fn read(client: &Client) -> Usage {
    let window = Window { zoom: Zoom::Day, offset: 0 };
    let now = chrono::Utc::now();
    let Reply::Usage(reply) = Request::Usage { query: window.query(now) }.send(client).await.unwrap() else {
        panic!("not a usage reply")
    };
    aggregate(&reply, &window.bounds(now), window.zoom.unit(), now)
}

fn credits_of(u: &Usage, id: uuid::Uuid) -> f64 {
    u.resource(&id.to_string()).map_or(0.0, |r| r.credits)
}

#[tokio::test]
async fn a_suspended_workspace_stops_costing_while_a_running_one_keeps_going() {
    let (sim, client) = start().await;
    let mut running = Vec::new();
    for g in client.workspace_groups(false).await.unwrap() {
        running.extend(client.workspaces(g.workspace_group_id, false).await.unwrap());
    }
    running.retain(|w| w.state == WorkspaceState::Active);
    assert!(running.len() >= 2, "the demo has running workspaces");
    let (victim, witness) = (running[0].workspace_id, running[1].workspace_id);

    let before = read(&client).await;
    assert!(credits_of(&before, victim) > 0.0, "a running workspace costs credits");
    assert!(before.partial.is_some(), "the current hour is marked partial");

    client.suspend_workspace(victim).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.workspace(victim).await.unwrap().state != WorkspaceState::Suspended {
        assert!(Instant::now() < deadline, "the workspace never suspended");
        tokio::task::yield_now().await;
    }

    let first = read(&client).await;
    // Time passes: wait (bounded) until the running witness has visibly accrued more.
    let deadline = Instant::now() + Duration::from_secs(30);
    let second = loop {
        let u = read(&client).await;
        if credits_of(&u, witness) > credits_of(&first, witness) + 1e-5 {
            break u;
        }
        assert!(Instant::now() < deadline, "the running workspace never accrued more credits");
        tokio::task::yield_now().await;
    };
    let (a, b) = (credits_of(&first, victim), credits_of(&second, victim));
    assert!((a - b).abs() < 1e-9, "a suspended workspace kept accruing: {a} → {b}");
    assert!(a > 0.0, "what it used before the suspend is still there");
    assert!(second.storage.iter().flatten().count() > 0, "storage is reported too");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_estimate_comes_from_the_price_table() {
    let (sim, client) = start().await;
    let now = chrono::Utc::now();
    let (a, z) = (format_time(now), format_time(now + chrono::Duration::hours(1)));
    let config = |size: &str, scale| SimulationResourceConfig {
        id: uuid::Uuid::nil(),
        start_at: a.clone(),
        end_before: z.clone(),
        size: Some(size.into()),
        scale_factor: Some(scale),
        cache_multiplier: Some(Multiplier::X1),
        edition: None,
        status: Some(SimulatedStatus::Active),
        multi_az: None,
        cell_id: None,
    };
    let body = SimulateUsageRequest {
        start_at: a.clone(),
        end_before: z.clone(),
        resource_configurations: vec![config("S-2", Multiplier::X1), config("S-4", Multiplier::X2)],
    };
    let Reply::Estimate(r) = (Request::Estimate(body)).send(&client).await.unwrap() else { panic!("not an estimate") };
    let amounts: Vec<f64> = r.resource_usage.iter().map(|u| u.amount).collect();
    assert_eq!(amounts, vec![credits_per_hour("S-2").unwrap(), credits_per_hour("S-4").unwrap() * 2.0]);
    sim.shutdown().await;
}
