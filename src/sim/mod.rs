//! The embedded simulator of the Management API: an axum server with the same routes,
//! bodies, status codes, asynchronous state machines, plain-text errors and quirks as the
//! real service, including what real clients rely on where the published spec is silent or
//! wrong. Never imports the UI.

pub mod colleagues;
pub mod dr;
pub mod error;
pub mod extract;
pub mod faults;
pub mod flow;
pub mod functions;
pub mod identity;
pub mod jobs;
pub mod people;
pub mod routes;
pub mod seed;
pub mod server;
pub mod stage;
pub mod store;
pub mod usage;
pub mod world;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use error::{SimError, SimResult};
pub use faults::{Fault, FaultSpec};
pub use server::{RequestRecord, SimHandle, serve_forever};
pub use world::World;

/// Which organization the simulator starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seed {
    /// Several groups across AWS, GCP and Azure, about ten workspaces in mixed states, Stage
    /// files, jobs with executions, secrets, teams, private connections, months of history.
    Demo,
    /// An organization with nothing in it.
    Empty,
    /// N workspaces spread over groups, for benchmarks.
    Large(usize),
}

impl std::str::FromStr for Seed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "demo" => Ok(Seed::Demo),
            "empty" => Ok(Seed::Empty),
            other => match other.strip_prefix("large:").map(str::parse::<usize>) {
                Some(Ok(n)) if n > 0 => Ok(Seed::Large(n)),
                _ => Err(format!("unknown seed {other:?}: expected demo, empty or large:N (N > 0)")),
            },
        }
    }
}

/// Everything a simulator instance is started with.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The only key accepted as `Authorization: Bearer <key>`.
    pub api_key: String,
    /// Divides every realistic duration (state transitions, job schedules).
    pub speed: f64,
    pub faults: faults::FaultSpec,
    pub seed: Seed,
    /// Background audit entries from simulated colleagues, per second (0 = none).
    pub colleague_rate: f64,
    /// How long a signed download URL stays valid (not scaled by `speed`).
    pub signed_url_ttl: Duration,
    /// How many audit entries are kept; older ones expire.
    pub audit_retention: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            api_key: String::new(),
            speed: 1.0,
            faults: faults::FaultSpec::default(),
            seed: Seed::Demo,
            colleague_rate: 0.05,
            signed_url_ttl: Duration::from_secs(15 * 60),
            audit_retention: world::DEFAULT_AUDIT_RETENTION,
        }
    }
}

/// State shared by every handler.
pub struct Shared {
    world: Mutex<World>,
    pub config: SimConfig,
    /// Base URL (scheme://host:port) of the object-store host that serves signed download URLs.
    pub blob_base: String,
    /// Current fault rates; changeable while the server runs.
    faults: Mutex<FaultSpec>,
    /// One-shot faults, each applied to the next API request, in order.
    injected: Mutex<VecDeque<Fault>>,
    /// One-shot faults for the next request with a given method (a change, not the reads
    /// around it).
    injected_for: Mutex<VecDeque<(String, Fault)>>,
    /// One-shot faults for the object-store host only, each applied to its next download.
    blob_injected: Mutex<VecDeque<Fault>>,
    /// One-shot holds: the reply to the next request with the method whose path and query
    /// contain the text is sent this long after it was made, as a slow proxy on the way back would.
    held: Mutex<Vec<(String, String, std::time::Duration)>>,
    /// The latest API requests that reached the server, in arrival order (at most
    /// [`KEPT_REQUESTS`]), with how many older ones were forgotten.
    requests: Mutex<(VecDeque<RequestRecord>, usize)>,
}

pub type AppState = Arc<Shared>;

/// Requests remembered for [`Shared::requests`]; a long-running server forgets older ones.
pub const KEPT_REQUESTS: usize = 100_000;

impl Shared {
    pub fn new(world: World, config: SimConfig, blob_base: String) -> Self {
        Self {
            world: Mutex::new(world),
            faults: Mutex::new(config.faults.clone()),
            config,
            blob_base,
            injected: Mutex::new(VecDeque::new()),
            injected_for: Mutex::new(VecDeque::new()),
            blob_injected: Mutex::new(VecDeque::new()),
            held: Mutex::new(Vec::new()),
            requests: Mutex::new((VecDeque::new(), 0)),
        }
    }

    /// A copy of the fault rates in force right now.
    pub fn faults(&self) -> FaultSpec {
        lock(&self.faults).clone()
    }

    pub fn set_faults(&self, spec: FaultSpec) {
        *lock(&self.faults) = spec;
    }

    /// A random draw that is true with probability `p`.
    pub fn roll(&self, p: f64) -> bool {
        p > 0.0 && rand::random::<f64>() < p
    }

    /// Queues a fault for the next API request.
    pub fn inject(&self, fault: Fault) {
        lock(&self.injected).push_back(fault);
    }

    /// Queues a fault for the next API request whose method is `method` (`POST`); other
    /// requests pass untouched.
    pub fn inject_for(&self, method: &str, fault: Fault) {
        lock(&self.injected_for).push_back((method.to_ascii_uppercase(), fault));
    }

    /// Queues a fault for the next download from the object-store host; API requests are
    /// unaffected.
    pub fn inject_blob(&self, fault: Fault) {
        lock(&self.blob_injected).push_back(fault);
    }

    /// Holds back the reply to the next `method` request whose path and query contain `path`.
    pub fn hold_reply(&self, method: &str, path: &str, delay: std::time::Duration) {
        lock(&self.held).push((method.to_ascii_uppercase(), path.to_string(), delay));
    }

    /// How long to hold back the reply to this request (once per hold).
    pub fn take_hold(&self, method: &str, path_and_query: &str) -> Option<std::time::Duration> {
        let mut held = lock(&self.held);
        let i = held.iter().position(|(m, p, _)| m == method && path_and_query.contains(p.as_str()))?;
        Some(held.remove(i).2)
    }

    /// The injected fault for the download that just arrived at the object-store host.
    pub fn next_blob_fault(&self) -> Option<Fault> {
        lock(&self.blob_injected).pop_front()
    }

    /// The fault for the request that just arrived: an injected one first (one for its
    /// method before one for any request), else a random draw against the current rates
    /// (latency is applied separately).
    pub fn next_fault(&self, method: &str) -> Option<Fault> {
        {
            let mut targeted = lock(&self.injected_for);
            if let Some(i) = targeted.iter().position(|(m, _)| m == method) {
                return targeted.remove(i).map(|(_, f)| f);
            }
        }
        if let Some(f) = lock(&self.injected).pop_front() {
            return Some(f);
        }
        let spec = self.faults();
        if self.roll(spec.rate_drop) {
            Some(Fault::Drop)
        } else if self.roll(spec.rate_429) {
            Some(Fault::TooManyRequests { retry_after_secs: spec.retry_after_secs })
        } else if self.roll(spec.rate_5xx) {
            Some(Fault::ServerError(if rand::random::<bool>() { 500 } else { 503 }))
        } else {
            None
        }
    }

    /// Records an arriving request; returns its number for [`Shared::finish_request`].
    pub fn record_request(&self, method: &str, path_and_query: &str) -> usize {
        let mut guard = lock(&self.requests);
        let (kept, forgotten) = &mut *guard;
        if kept.len() == KEPT_REQUESTS {
            kept.pop_front();
            *forgotten += 1;
        }
        kept.push_back(RequestRecord {
            method: method.to_string(),
            path_and_query: path_and_query.to_string(),
            status: None,
        });
        *forgotten + kept.len() - 1
    }

    pub fn finish_request(&self, number: usize, status: u16) {
        let mut guard = lock(&self.requests);
        let (kept, forgotten) = &mut *guard;
        if let Some(r) = number.checked_sub(*forgotten).and_then(|i| kept.get_mut(i)) {
            r.status = Some(status);
        }
    }

    /// The latest requests (all of them in any test-sized run), oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).0.iter().cloned().collect()
    }

    /// Locks the world with every due transition applied. Never hold it across an await.
    pub fn world(&self) -> MutexGuard<'_, World> {
        let mut w = self.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        w.advance();
        w
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
