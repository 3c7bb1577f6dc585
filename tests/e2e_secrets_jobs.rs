//! End-to-end: the real binary in a pseudo-terminal against the simulator over real HTTP,
//! creating, changing and deleting a secret and creating and deleting a job by keyboard, with
//! the simulator's state checked after each step, the remembered-jobs file checked on disk and
//! the log file checked for secret values. Every wait is a poll bounded by a deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::path::Path;
use std::time::Instant;

use pty::{POLL, Pty, Sim, WAIT};

const VALUE: &str = "e2e-Secret-Value-7f3a9c";
const NEW_VALUE: &str = "e2e-Rotated-Value-1b2d4e";

impl Sim {
    fn secret_value(&self, name: &str) -> Option<String> {
        let w = self.handle.shared().world();
        w.secrets.values().find(|s| s.name == name).and_then(|s| s.value.clone())
    }

    fn job(&self, name: &str) -> Option<(uuid::Uuid, bool)> {
        let w = self.handle.shared().world();
        w.jobs
            .jobs
            .values()
            .find(|j| j.api.name.as_deref() == Some(name))
            .map(|j| (j.api.job_id, j.terminated.is_some()))
    }
}

fn remembered(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("jobs.json")).unwrap_or_default()
}

/// Every file under `dir`, as text.
fn all_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        out.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()));
    }
    out
}

#[test]
fn secrets_and_jobs_by_keyboard() {
    let sim = Sim::demo();
    let data = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let dash = Pty::dashboard(
        &sim,
        &[
            ("S2TUI_DATA_DIR", data.path().to_str().unwrap()),
            ("S2TUI_STATE_DIR", logs.path().to_str().unwrap()),
            ("S2TUI_LOG", "trace"),
        ],
    );
    dash.wait_for("prod-ingest");

    // ── secrets: create (a bad name first), refuse a duplicate, change, reveal, delete ──
    dash.send(":secrets\r");
    dash.wait_for("OPENAI_API_KEY");
    dash.send("c");
    dash.wait_for("Create secret");
    dash.send(&format!("e2e-token\t{VALUE}\r"));
    dash.wait_for("'-' is not allowed");
    assert!(sim.secret_value("e2e-token").is_none(), "nothing is sent while the form is invalid");
    dash.send("\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f");
    dash.send("E2E_TOKEN\r");
    sim.wait_until("the secret created", |s| s.secret_value("E2E_TOKEN").as_deref() == Some(VALUE));
    dash.wait_gone("Create secret");
    dash.wait_for("E2E_TOKEN");
    assert!(!dash.screen().contains(VALUE), "the list never shows a value");

    dash.send("c");
    dash.wait_for("Create secret");
    dash.send("E2E_TOKEN\tother\r");
    dash.wait_for("a secret named E2E_TOKEN already exists");
    // What was typed is not dropped by one esc: the form asks, a second esc discards.
    dash.send("\x1b");
    dash.wait_for("Discard what you typed?");
    dash.send("\x1b");
    dash.wait_gone("Create secret");
    assert_eq!(sim.secret_value("E2E_TOKEN").as_deref(), Some(VALUE));

    dash.send("/E2E_TOKEN\r");
    dash.wait_gone("OPENAI_API_KEY");
    dash.send("e");
    dash.wait_for("New value for E2E_TOKEN");
    dash.send(&format!("{NEW_VALUE}\r"));
    dash.wait_for("Review changes");
    dash.send("y");
    sim.wait_until("the new value", |s| s.secret_value("E2E_TOKEN").as_deref() == Some(NEW_VALUE));
    dash.wait_gone("New value for E2E_TOKEN");
    dash.send("v");
    dash.wait_for(NEW_VALUE);
    dash.send("v");
    dash.wait_gone(NEW_VALUE);

    dash.send("\x04");
    dash.wait_for("Type E2E_TOKEN to confirm");
    dash.send("E2E_TOKEN\r");
    sim.wait_until("the secret deleted", |s| s.secret_value("E2E_TOKEN").is_none());
    dash.wait_for("Secrets [0/");
    // esc clears the filter; wait for it, or the next `:` would read as alt-:.
    dash.send("\x1b");
    dash.wait_for("OPENAI_API_KEY");

    // ── jobs: the seeded ones come from the audit log; create one, then delete it ──
    dash.send(":jobs\r");
    dash.wait_for("Nightly ETL");
    assert!(!dash.screen().contains("Old export"), "a job deleted elsewhere is not listed");
    dash.send("c");
    dash.wait_for("Create job");
    // The notebook is picked from the shared Files space.
    dash.send("E2E job\t\t");
    dash.wait_for("Jobs/etl.ipynb");
    dash.send("\x1b[C");
    dash.wait_for("Jobs/refresh_dashboards.ipynb");
    dash.send("\r");
    sim.wait_until("the job created", |s| s.job("E2E job").is_some());
    dash.wait_gone("Create job");
    dash.wait_for("E2E job");
    let (id, _) = sim.job("E2E job").unwrap();
    assert!(remembered(data.path()).contains(&id.to_string()), "the new job is remembered on disk");

    dash.send("/E2E job\r");
    dash.wait_gone("Nightly ETL");
    dash.send("\x04");
    dash.wait_for("Type E2E job to confirm");
    dash.send("E2E job\r");
    sim.wait_until("the job deleted", |s| s.job("E2E job").is_some_and(|(_, gone)| gone));
    dash.wait_until("the job's row to go", |s| !s.lines().any(|l| l.contains("E2E job") && l.contains("every 1h")));
    let deadline = Instant::now() + WAIT;
    while remembered(data.path()).contains(&id.to_string()) {
        assert!(Instant::now() < deadline, "the deleted job is still remembered");
        std::thread::sleep(POLL);
    }

    // The log was written, and no secret value is in it.
    drop(dash);
    let log = all_text(logs.path());
    assert!(log.contains("secrets change"), "the log file has the pane's lines:\n{log}");
    for v in [VALUE, NEW_VALUE] {
        assert!(!log.contains(v), "a secret value reached the log file");
    }
}
