//! The dashboard's upload of a folder of 2,000 files of 8 KB, in a fresh dashboard and in one
//! that has already finished 10,000 transfers: the real `update`, the real effect runner and
//! the simulator over HTTP, a 200×60 frame drawn at most every 16 ms as the loop would.
//!
//! Goal: after 10,000 transfers within 10 % of fresh. Run: `cargo bench --bench dashboard_upload`
//! (FILES=N for another count; ROUNDS=N earlier uploads of the folder, 5 by default).

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use s2tui::api::client::{ApiKey, Client, ClientConfig};
use s2tui::effect::Effect;
use s2tui::panes::transfers::{Status, TransferEffect};
use s2tui::sim::{Seed, SimConfig, SimHandle};
use s2tui::state::{PaneId, SessionInfo};
use s2tui::testing::Headless;
use s2tui::view;
use uuid::Uuid;

const FRAME: Duration = Duration::from_millis(16);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Uploads `folder` through the dashboard's own path (plan, queue, runner); the time from the
/// plan's request to the last file's end.
async fn upload(h: &mut Headless, group: Uuid, folder: &Path) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let started = Instant::now();
    let plan = h.state.transfers.new_plan();
    h.run(vec![Effect::Transfer(TransferEffect::PlanUpload {
        plan,
        store: group.into(),
        local: folder.to_path_buf(),
        remote_folder: String::new(),
    })]);
    let mut drawn = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(600);
    let finished = h
        .until(deadline, |s| {
            if drawn.elapsed() >= FRAME {
                terminal.draw(|f| view::render(f, s)).unwrap();
                drawn = Instant::now();
            }
            s.transfers.planning == 0 && s.transfers.plans.is_empty() && s.transfers.active() == 0
        })
        .await;
    let took = started.elapsed();
    assert!(finished, "the upload did not finish");
    let failed = h.state.transfers.queue.list.iter().filter(|t| matches!(t.status, Status::Failed(_))).count();
    assert_eq!(failed, 0, "{:?}", h.state.toasts);
    took
}

fn main() {
    let files = env_usize("FILES", 2_000);
    let rounds = env_usize("ROUNDS", 5);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let config =
            SimConfig { api_key: "bench-key".into(), seed: Seed::Demo, colleague_rate: 0.0, ..SimConfig::default() };
        let sim = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let client = Client::new(ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap()).unwrap();
        let group = {
            let world = sim.shared().world();
            world
                .groups
                .values()
                .find(|g| g.api.state == s2tui::api::types::WorkspaceGroupState::Active)
                .unwrap()
                .api
                .workspace_group_id
        };
        let work = tempfile::tempdir().unwrap();
        let mut folder = work.path().join("fresh");
        std::fs::create_dir(&folder).unwrap();
        for i in 0..files {
            std::fs::write(folder.join(format!("f{i:05}.bin")), vec![(i % 251) as u8; 8_192]).unwrap();
        }
        let session = SessionInfo { base_url: sim.base_url().to_string(), ..SessionInfo::default() };
        // Each upload goes under a new name: the folder is renamed between runs.
        let mut next = |name: String| {
            let to = work.path().join(name);
            std::fs::rename(&folder, &to).unwrap();
            folder = to.clone();
            to
        };

        // One untimed upload first, so neither measured one pays for cold caches and connections.
        let mut warm = Headless::new(client.clone(), session.clone());
        upload(&mut warm, group, &next("warm-up".into())).await;

        let mut used = Headless::new(client.clone(), session.clone());
        used.state.location.pane = PaneId::Transfers;
        for k in 0..rounds {
            upload(&mut used, group, &next(format!("earlier-{k}"))).await;
        }
        let earlier = used.state.transfers.queue.list.len();
        // Fresh and used dashboards take turns against the same simulator (whose own state grows
        // with every upload), twice; the best of each is kept.
        let (mut fresh_time, mut used_time) = (Duration::MAX, Duration::MAX);
        for turn in 0..2 {
            let mut fresh = Headless::new(client.clone(), session.clone());
            fresh.state.location.pane = PaneId::Transfers;
            fresh_time = fresh_time.min(upload(&mut fresh, group, &next(format!("fresh-{turn}"))).await);
            used_time = used_time.min(upload(&mut used, group, &next(format!("after-{turn}"))).await);
        }

        let rate = |d: Duration| files as f64 / d.as_secs_f64();
        println!("dashboard upload of {files} files of 8 KB");
        println!(
            "  fresh dashboard:                 {:>6.2} s  ({:.0} files/s)",
            fresh_time.as_secs_f64(),
            rate(fresh_time)
        );
        println!(
            "  after {earlier} earlier transfers: {:>6.2} s  ({:.0} files/s)",
            used_time.as_secs_f64(),
            rate(used_time)
        );
        println!("  after ÷ fresh: {:.2} (goal ≤ 1.10)", used_time.as_secs_f64() / fresh_time.as_secs_f64());
        sim.shutdown().await;
    });
}
