//! The embedded simulator of the Management API: an axum server with the same routes,
//! bodies, status codes, asynchronous state machines, plain-text errors and quirks as the
//! real service (DIGEST §18 wins where the spec is silent). Never imports the UI.

pub mod error;
pub mod extract;
pub mod faults;
pub mod jobs;
pub mod stage;
pub mod usage;
pub mod world;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use error::{SimError, SimResult};
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
                _ => Err(format!(
                    "unknown seed {other:?}: expected demo, empty or large:N (N > 0)"
                )),
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
        }
    }
}

/// State shared by every handler.
pub struct Shared {
    world: Mutex<World>,
    pub config: SimConfig,
    /// Base URL (scheme://host:port) of the object-store host that serves signed download URLs.
    pub blob_base: String,
}

pub type AppState = Arc<Shared>;

impl Shared {
    pub fn new(world: World, config: SimConfig, blob_base: String) -> Self {
        Self {
            world: Mutex::new(world),
            config,
            blob_base,
        }
    }

    /// Locks the world with every due transition applied. Never hold it across an await.
    pub fn world(&self) -> MutexGuard<'_, World> {
        let mut w = self
            .world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        w.advance();
        w
    }
}
