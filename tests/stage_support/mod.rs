//! A headless dashboard against the simulator: the real `update`, the real effect runner
//! (transfers on tokio tasks), real HTTP. Keys go in through `update`; every wait is a poll of
//! the state bounded by a deadline.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use s2tui::api::client::{ApiKey, Client, ClientConfig};
use s2tui::effect::{Effect, Runner};
use s2tui::msg::Msg;
use s2tui::panes::transfers::Status;
use s2tui::sim::{Seed, SimConfig, SimHandle};
use s2tui::state::{SessionInfo, State};
use s2tui::{testing, update};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use uuid::Uuid;

/// Generous: the machine may be busy building other things.
pub const WAIT: Duration = Duration::from_secs(60);

pub struct Harness {
    pub sim: SimHandle,
    pub client: Client,
    pub state: State,
    runner: Runner,
    rx: UnboundedReceiver<Msg>,
    pub group: Uuid,
    pub group_name: String,
}

impl Harness {
    /// The dashboard, opened on the Stage of the first seeded group.
    pub async fn start() -> Harness {
        let config = SimConfig {
            api_key: "stage-key".into(),
            speed: 100.0,
            seed: Seed::Demo,
            colleague_rate: 0.0,
            ..SimConfig::default()
        };
        let sim = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let client = Client::new(ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap()).unwrap();
        let (tx, rx) = unbounded_channel();
        let runner = Runner::new(client.clone(), tx);
        let session = SessionInfo { base_url: sim.base_url().to_string(), ..SessionInfo::default() };
        let mut state = testing::empty_state(session);
        state.size = (120, 32);
        let (group, group_name) = {
            let world = sim.shared().world();
            let g = world
                .groups
                .values()
                .filter(|g| g.api.state == s2tui::api::types::WorkspaceGroupState::Active)
                .min_by_key(|g| g.api.name.clone())
                .unwrap();
            (g.api.workspace_group_id, g.api.name.clone())
        };
        let mut h = Harness { sim, client, state, runner, rx, group, group_name };
        let effects = update::init(&mut h.state);
        h.run(effects);
        h.command(&format!("stage {}", h.group_name));
        h.wait_until("the Stage root listing", |s| s.panes.stage.listing.value.is_some()).await;
        h
    }

    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            let _ = self.runner.spawn(e);
        }
    }

    pub fn keys(&mut self, keys: &str) {
        let e = testing::keys(&mut self.state, keys);
        self.run(e);
    }

    pub fn type_text(&mut self, text: &str) {
        let e = testing::type_text(&mut self.state, text);
        self.run(e);
    }

    /// A `:` command, as typed in the palette.
    pub fn command(&mut self, line: &str) {
        self.keys(":");
        self.type_text(line);
        self.keys("enter");
    }

    /// Replaces the focused form field's text.
    pub fn set_field(&mut self, text: &str) {
        for _ in 0..200 {
            self.keys("backspace");
        }
        self.type_text(text);
    }

    /// Handles messages until `done` holds.
    pub async fn wait_until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !done(&self.state) {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(m)) => m,
                _ => panic!("timed out waiting for {what}; toasts: {:?}", self.state.toasts),
            };
            self.state.now = Instant::now();
            self.state.wall = chrono::Utc::now();
            let e = update::update(&mut self.state, msg);
            self.run(e);
        }
    }

    /// Waits until no transfer is queued or running.
    pub async fn wait_transfers(&mut self) {
        self.wait_until("the transfers to end", |s| {
            s.transfers.planning == 0 && s.transfers.active() == 0 && s.transfers.plans.is_empty()
        })
        .await;
    }

    /// Re-reads the listing and waits for it.
    pub async fn relist(&mut self) {
        self.keys("ctrl-r");
        self.wait_until("the listing", |s| !s.panes.stage.listing.in_flight() && s.panes.stage.listing.value.is_some())
            .await;
    }

    pub fn names(&mut self) -> Vec<String> {
        testing::visible_names(&mut self.state.panes.stage.table)
    }

    pub fn select(&mut self, name: &str) {
        assert!(testing::select_name(&mut self.state.panes.stage.table, name), "no row {name:?} in {:?}", self.names());
    }

    /// Opens the folder `name` (shown as `name/`) and waits for its listing.
    pub async fn open(&mut self, name: &str) {
        self.select(&format!("{name}/"));
        self.keys("enter");
        self.wait_until("the folder listing", |s| s.panes.stage.listing.value.is_some()).await;
    }

    /// Uploads `local` into the current folder through the `u` form.
    pub async fn upload(&mut self, local: &Path) {
        self.keys("u");
        self.type_text(&local.display().to_string());
        self.keys("enter");
    }

    /// Downloads the selection (or the marks) into `dir` through the `D` form.
    pub fn download_into(&mut self, dir: &Path) {
        self.keys("D");
        self.set_field(&dir.display().to_string());
        self.keys("enter");
    }

    pub fn statuses(&self) -> Vec<Status> {
        self.state.transfers.list.iter().map(|t| t.status.clone()).collect()
    }
}

pub fn sha(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

pub fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    use rand::{RngCore, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut v = vec![0u8; n];
    rng.fill_bytes(&mut v);
    v
}

/// Every file under `root`: (relative path, sha256), sorted; folders as (path/, empty).
pub fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        for e in std::fs::read_dir(root.join(&rel)).unwrap() {
            let e = e.unwrap();
            let child = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                out.push((format!("{}/", child.display()), Vec::new()));
                pending.push(child);
            } else {
                out.push((child.display().to_string(), sha(&e.path())));
            }
        }
    }
    out.sort();
    out
}
