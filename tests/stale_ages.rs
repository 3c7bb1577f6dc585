//! Rows kept from an earlier read, when their group's latest read failed, say how old they
//! are, and that age follows the clock: it moves on screen with no new read and no rebuild.
//! Headless against the simulator, with the dashboard's clocks held.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::{ApiKey, Client, ClientConfig, RetryPolicy};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo};
use s2tui::testing::{Headless, render};

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

/// Lines of the screen that show a workspace of `group`'s kept rows.
fn stale_rows(screen: &str, names: &[String]) -> Vec<String> {
    screen.lines().filter(|l| names.iter().any(|n| l.contains(n.as_str()))).map(str::to_string).collect()
}

/// GETs of the workspaces of `group` the simulator has seen.
fn reads_of(sim: &SimHandle, group: uuid::Uuid) -> usize {
    let needle = format!("workspaceGroupID={group}");
    sim.shared().requests().iter().filter(|r| r.method == "GET" && r.path_and_query.contains(&needle)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_age_of_kept_rows_moves_with_the_clock_without_a_new_read() {
    let config = SimConfig { speed: 1.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    // One attempt, a short wait: a held reply is a failed read at once.
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key()))
        .unwrap()
        .with_timeouts(Duration::from_secs(1), Duration::from_secs(1))
        .with_retry(RetryPolicy { max_retries: 0, ..RetryPolicy::default() });
    let session = SessionInfo { demo: true, ..SessionInfo::default() };
    let mut h = Headless::new(Client::new(cfg).unwrap(), session);
    h.hold_clock();
    h.start();
    assert!(h.settle(deadline()).await);
    assert_eq!(h.state.location.pane, PaneId::Workspaces);
    let (group, names) = {
        let ws = h.state.data.workspaces.value.as_ref().unwrap();
        let group = ws[0].workspace_group_id;
        let names: Vec<String> = h.state.data.workspaces_in(group).map(|w| w.name.clone()).collect();
        (group, names)
    };

    // Read everything again 3 s later; this group's read gets no answer in time.
    assert!(h.advance(Duration::from_secs(3), deadline()).await);
    sim.hold_reply("GET", &format!("workspaceGroupID={group}"), Duration::from_secs(4));
    h.press("ctrl-r");
    assert!(h.until(deadline(), |s| s.data.stale_groups.contains_key(&group)).await, "the read failed");
    assert!(h.settle(deadline()).await);
    let screen = render(&mut h.state, 160, 45);
    let rows = stale_rows(&screen, &names);
    assert!(!rows.is_empty(), "the kept rows stay: {screen}");
    assert!(rows.iter().all(|r| r.contains("(stale, 3s old)")), "{rows:#?}");
    assert!(h.state.spinner_armed, "a 1 s timer redraws while an age is on screen");

    // Five seconds on, nothing read: the same rows, five seconds older.
    let reads = reads_of(&sim, group);
    assert!(h.advance(Duration::from_secs(5), deadline()).await);
    assert_eq!(reads_of(&sim, group), reads, "no new read of the group");
    let screen = render(&mut h.state, 160, 45);
    let rows = stale_rows(&screen, &names);
    assert!(rows.iter().all(|r| r.contains("(stale, 8s old)")), "{rows:#?}");
    assert!(h.state.spinner_armed, "still ticking");
}
