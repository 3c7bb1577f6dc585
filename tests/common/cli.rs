//! The real binary run as a script would run it (no terminal), against a simulator over real
//! HTTP, in an empty home so no file of the developer's is read or written.
//!
//! Included with `#[path = "common/cli.rs"] mod cli;` by the test files that need it.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use s2tui::sim::{Seed, SimConfig, SimHandle};

/// Variables of the developer's environment that would change what the binary does.
const SCRUBBED: [&str; 5] =
    ["SINGLESTOREDB_MANAGEMENT_TOKEN", "NO_COLOR", "S2TUI_PROFILE", "S2TUI_LOG", "S2TUI_SIM_API_KEY"];

/// The simulator on its own runtime, so tests can block on the child process.
pub struct Sim {
    pub handle: SimHandle,
    pub rt: tokio::runtime::Runtime,
    home: tempfile::TempDir,
}

impl Sim {
    /// The demo organization, quiet (no colleagues).
    pub fn demo() -> Sim {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let config =
            SimConfig { api_key: "cli-key".into(), seed: Seed::Demo, colleague_rate: 0.0, ..SimConfig::default() };
        let addr: SocketAddr = ([127, 0, 0, 1], 0).into();
        let handle = rt.block_on(SimHandle::start(config, addr)).unwrap();
        Sim { handle, rt, home: tempfile::tempdir().unwrap() }
    }

    /// `s2tui ARGS` with the simulator's key and URL; stdin, stdout and stderr are not terminals.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_s2tui"));
        cmd.args(args).stdin(Stdio::null());
        for var in SCRUBBED {
            cmd.env_remove(var);
        }
        cmd.env("SINGLESTOREDB_API_KEY", self.handle.api_key());
        cmd.env("SINGLESTOREDB_MANAGEMENT_BASE_URL", self.handle.base_url());
        // v1 unless a test asks otherwise: these tests count requests, and `auto` would add a
        // probe of the version to every run (the v2 paths have tests of their own).
        if !args.iter().any(|a| a.starts_with("--api")) {
            cmd.env("SINGLESTOREDB_MANAGEMENT_VERSION", "v1");
        }
        for (var, dir) in [("S2TUI_CONFIG_DIR", "config"), ("S2TUI_DATA_DIR", "data"), ("S2TUI_STATE_DIR", "state")] {
            cmd.env(var, self.home.path().join(dir));
        }
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().unwrap())
    }

    /// Like [`Sim::run`], in the folder `cwd`.
    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        Run::from(self.command(args).current_dir(cwd).output().unwrap())
    }
}

/// What a run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with everything printed unless the exit code is `code`.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, code, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}
