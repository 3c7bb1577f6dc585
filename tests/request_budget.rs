//! The request budget, end to end: the headless dashboard against the simulator over real HTTP
//! with 500 groups, its clocks held so a minute of idle takes no minute. The simulator counts
//! every request that reaches it.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use s2tui::sim::Seed;
use s2tui::sim::server::SimHandle;
use s2tui::state::SessionInfo;
use s2tui::testing::Headless;

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(60)
}

/// The groups whose workspaces were asked for in `requests` (`/v1/workspaces?workspaceGroupID=…`).
fn groups_read(sim: &SimHandle, from: usize) -> Vec<String> {
    sim.requests()[from..]
        .iter()
        .filter(|r| r.method == "GET" && r.path_and_query.starts_with("/v1/workspaces?"))
        .filter_map(|r| r.path_and_query.split("workspaceGroupID=").nth(1).map(|g| g[..36].to_string()))
        .collect()
}

async fn loaded(rate: f64) -> (SimHandle, Headless) {
    let sim = live::sim_at(1.0, Seed::Large(5000)).await;
    let session = SessionInfo { request_rate: rate, ..SessionInfo::default() };
    let mut h = Headless::new(live::client(&sim), session);
    h.hold_clock();
    h.start();
    assert!(h.until(deadline(), |s| s.panes.workspaces.table.total() == 5000).await, "the first load reads all");
    assert!(h.settle(deadline()).await);
    (sim, h)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_minute_of_idle_with_500_groups_stays_under_the_ceiling() {
    let (sim, mut h) = loaded(2.0).await;
    assert_eq!(h.state.data.groups.value.as_ref().unwrap().len(), 500);
    let before = sim.requests().len();
    let shown: HashSet<_> = s2tui::panes::workspaces::groups_on_screen(&h.state.panes.workspaces.table, &h.state.data)
        .into_iter()
        .map(|g| g.to_string())
        .collect();
    assert!(!shown.is_empty());

    let mut per_tick = Vec::new();
    for _ in 0..6 {
        let at = sim.requests().len();
        assert!(h.advance(Duration::from_secs(10), deadline()).await);
        let read = groups_read(&sim, at);
        assert!(shown.iter().all(|g| read.contains(g)), "the groups on screen are read at every refresh");
        per_tick.push(sim.requests().len() - at);
    }
    let spent = sim.requests().len() - before;
    // 2 requests a second over 60 s: one refresh every 10 s, each the groups list and 19 groups.
    assert!(spent <= 120, "{spent} requests in a minute of idle ({per_tick:?}); the ceiling is 120");
    assert_eq!(per_tick, [20; 6], "the budget is spent evenly");

    // The rest are read in turn: none twice within the minute.
    let read = groups_read(&sim, before);
    let others: Vec<_> = read.iter().filter(|g| !shown.contains(*g)).collect();
    let distinct: HashSet<_> = others.iter().collect();
    assert_eq!(distinct.len(), others.len(), "a group off screen was read twice while others waited");
    assert_eq!(others.len(), 6 * (19 - shown.len()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_r_still_reads_every_group_at_once() {
    let (sim, mut h) = loaded(2.0).await;
    let before = sim.requests().len();
    h.press("ctrl-r");
    assert!(h.settle(deadline()).await);
    let read: HashSet<_> = groups_read(&sim, before).into_iter().collect();
    assert_eq!(read.len(), 500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ceiling_is_configurable() {
    let (sim, mut h) = loaded(0.5).await;
    let before = sim.requests().len();
    assert!(h.advance(Duration::from_secs(60), deadline()).await);
    let spent = sim.requests().len() - before;
    assert!(spent <= 30, "{spent} requests in a minute at 0.5 a second");
    assert!(spent >= 24, "{spent}: the refresh still reads what it may");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_groups_connections_are_read_at_the_same_steady_rate() {
    let (sim, mut h) = loaded(2.0).await;
    h.press(":");
    h.type_text("pc");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.connections.list.value.is_some()).await);
    assert!(h.settle(deadline()).await);
    let per_group = |from: usize| {
        sim.requests()[from..].iter().filter(|r| r.path_and_query.ends_with("/privateConnections")).count()
    };
    assert_eq!(per_group(0), 500, "the pane opens with every group's connections");

    // One read costs 501 requests: at 2 a second, the next waits about four minutes.
    let before = sim.requests().len();
    assert!(h.advance(Duration::from_secs(60), deadline()).await);
    let spent = sim.requests().len() - before;
    assert!(spent <= 120, "{spent} requests in a minute of idle on the connections of 500 groups");
    assert!(h.advance(Duration::from_secs(240), deadline()).await);
    assert_eq!(per_group(before), 500, "read again once the budget allows, not never");
}

/// A job for the Jobs pane to find through the audit log.
fn job_body(i: usize) -> s2tui::api::types::JobCreate {
    use s2tui::api::types::*;
    JobCreate {
        name: Some(format!("job-{i}")),
        description: None,
        execution_config: JobCreateExecutionConfig {
            notebook_path: "Jobs/minute.ipynb".into(),
            create_snapshot: false,
            runtime_name: None,
        },
        schedule: JobSchedule {
            mode: ScheduleMode::Recurring,
            start_at: None,
            execution_interval_in_minutes: Some(60),
        },
        target_config: None,
        parameters: vec![],
    }
}

/// Every known job costs a request per load: idle loads wait for the budget like the groups do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_minute_of_idle_on_200_jobs_stays_under_the_ceiling() {
    let sim = live::sim_at(1.0, Seed::Demo).await;
    let c = live::client(&sim);
    for i in 0..200 {
        c.create_job(&job_body(i)).await.unwrap();
    }
    let session = SessionInfo { request_rate: 2.0, ..SessionInfo::default() };
    let mut h = Headless::new(live::client(&sim), session);
    h.hold_clock();
    h.start();
    assert!(h.settle(deadline()).await);
    h.press(":");
    h.type_text("jobs");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.jobs.table.total() >= 200).await, "the first load reads every job");
    assert!(h.settle(deadline()).await);
    let job_reads =
        |from: usize| sim.requests()[from..].iter().filter(|r| r.path_and_query.starts_with("/v1/jobs/")).count();

    let before = sim.requests().len();
    assert!(h.advance(Duration::from_secs(60), deadline()).await);
    let spent = sim.requests().len() - before;
    assert!(spent <= 120, "{spent} requests in a minute of idle on 200 jobs; the ceiling is 120");
    // A load reads each job and its last run, about 400 requests: at 2 a second the next
    // waits about 200 s, then goes.
    assert!(h.advance(Duration::from_secs(180), deadline()).await);
    assert!(job_reads(before) >= 200, "read again once the budget allows, not never");
}

/// The audit tail keeps polling off screen, after what is on screen: the groups on screen are
/// read at every refresh, and the minute stays under the ceiling with the tail's polls in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_tail_off_screen_shares_the_budget_after_the_visible_pane() {
    let (sim, mut h) = loaded(2.0).await;
    h.press(":");
    h.type_text("audit");
    h.press("enter");
    assert!(h.settle(deadline()).await);
    let back = s2tui::panes::jump(&mut h.state, s2tui::state::PaneId::Workspaces);
    h.run(back);
    assert!(h.settle(deadline()).await);
    assert_eq!(h.state.location.pane, s2tui::state::PaneId::Workspaces);
    let shown: HashSet<_> = s2tui::panes::workspaces::groups_on_screen(&h.state.panes.workspaces.table, &h.state.data)
        .into_iter()
        .map(|g| g.to_string())
        .collect();
    let polls =
        |from: usize| sim.requests()[from..].iter().filter(|r| r.path_and_query.starts_with("/v1/auditLogs")).count();

    let before = sim.requests().len();
    for _ in 0..6 {
        let at = sim.requests().len();
        assert!(h.advance(Duration::from_secs(10), deadline()).await);
        let read = groups_read(&sim, at);
        assert!(shown.iter().all(|g| read.contains(g)), "the groups on screen are read at every refresh");
    }
    let spent = sim.requests().len() - before;
    assert!(spent <= 121, "{spent} requests in a minute of idle with the tail off screen; the ceiling is 120");
    assert!(polls(before) >= 3, "the tail still polls off screen: {}", polls(before));
}
