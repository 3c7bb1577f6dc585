//! Render snapshots of the jobs pane at 80×24 and 160×48 (fixed clocks and IDs): the list, the
//! executions view with its duration sparkline, and the create form. Accept a deliberate
//! change with `INSTA_UPDATE=always cargo test --test jobs_snapshots`.
#![allow(clippy::unwrap_used)]

use s2tui::api::types::*;
use s2tui::api::types::{JobRow, JobsReply as Reply, JobsRequest as Request, Loaded};
use s2tui::effect::{ApiReply, Fetch};
use s2tui::state::State;
use s2tui::testing::*;
use uuid::Uuid;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, build: impl Fn() -> State) {
    for (w, h) in SIZES {
        let mut state = build();
        let screen = render(&mut state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

fn job(i: u128, name: &str, interval: Option<i64>, target: u32, ok: i64, failed: i64) -> Job {
    Job {
        job_id: Uuid::from_u128(0x0b00_0000 + i),
        name: Some(name.into()),
        description: Some(format!("{name} every night")),
        created_at: ago(40 * 86_400),
        enqueued_by: None,
        terminated_at: None,
        completed_executions_count: ok + failed,
        execution_config: JobExecutionConfig {
            notebook_path: format!("Jobs/{}.ipynb", name.to_lowercase().replace(' ', "-")),
            create_snapshot: true,
            max_allowed_execution_duration_in_minutes: 60,
            runtime_name: Some("notebooks-cpu-small".into()),
        },
        schedule: JobSchedule {
            mode: if interval.is_some() { ScheduleMode::Recurring } else { ScheduleMode::Once },
            start_at: Some(ago(40 * 86_400)),
            execution_interval_in_minutes: interval,
        },
        target_config: Some(JobTargetConfig {
            target_id: workspace_id(target),
            target_type: TargetType::Workspace,
            resume_target: true,
            database_name: Some("analytics".into()),
        }),
        job_metadata: vec![
            JobMetadata {
                status: ExecutionStatus::Completed,
                count: ok,
                avg_duration_in_seconds: None,
                max_duration_in_seconds: None,
            },
            JobMetadata {
                status: ExecutionStatus::Failed,
                count: failed,
                avg_duration_in_seconds: None,
                max_duration_in_seconds: None,
            },
        ],
        extra: Extra::new(),
    }
}

fn execution(n: i64, secs: i64) -> Execution {
    let status = match n % 7 {
        3 => ExecutionStatus::Failed,
        5 => ExecutionStatus::Error,
        _ => ExecutionStatus::Completed,
    };
    let start = (40 - n) * 3600;
    Execution {
        execution_id: Uuid::from_u128(0x0e00_0000 + n as u128),
        execution_number: n,
        job_id: Uuid::from_u128(0x0b00_0001),
        status,
        scheduled_start_time: ago(start + 20),
        started_at: Some(ago(start)),
        finished_at: Some(ago(start - secs)),
        snapshot_notebook_path: Some(format!("Jobs/nightly-etl-snapshot-{n}.ipynb")),
    }
}

fn on_jobs() -> State {
    let mut state = loaded();
    let mut effects = type_text(&mut state, ":jobs");
    effects.extend(press(&mut state, "enter"));
    let (id, _) = fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Load { .. }))).unwrap();
    let loaded = Loaded {
        remembered: vec![Uuid::from_u128(0x0b00_0001)],
        jobs: vec![
            JobRow { job: job(1, "Nightly ETL", Some(1440), 1, 27, 3), last: Some(execution(30, 420)) },
            JobRow { job: job(2, "Hourly rollup", Some(60), 4, 40, 8), last: Some(execution(33, 60)) },
            JobRow { job: job(3, "Backfill Q1", None, 3, 1, 0), last: Some(execution(1, 3000)) },
        ],
        ..Loaded::default()
    };
    reply(&mut state, id, Ok(ApiReply::Jobs(Reply::Loaded(loaded))));
    state
}

#[test]
fn jobs_list() {
    snap("jobs_list", on_jobs);
}

#[test]
fn jobs_executions_with_sparkline() {
    snap("jobs_executions", || {
        let mut state = on_jobs();
        assert!(select_name(&mut state.panes.jobs.table, "Nightly ETL"));
        let effects = press(&mut state, "enter");
        let (id, _) =
            fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Executions(_)))).unwrap();
        let runs: Vec<Execution> = (1..=30).map(|n| execution(n, 120 + (n * 37) % 400)).collect();
        let job = job(1, "Nightly ETL", Some(1440), 1, 27, 3);
        reply(&mut state, id, Ok(ApiReply::Jobs(Reply::Executions { job, executions: runs })));
        state
    });
}

#[test]
fn jobs_create_form_invalid() {
    snap("jobs_form_invalid", || {
        let mut state = on_jobs();
        let effects = press(&mut state, "c");
        let (id, _) = fetches(&effects)[0];
        let runtimes = vec![Runtime { name: "notebooks-cpu-small".into(), description: String::new() }];
        reply(&mut state, id, Ok(ApiReply::Jobs(Reply::Runtimes(runtimes))));
        type_text(&mut state, "Nightly load");
        keys(&mut state, "tab tab");
        type_text(&mut state, "Jobs/load");
        keys(&mut state, "tab tab tab backspace backspace");
        type_text(&mut state, "x");
        for _ in 0..6 {
            press(&mut state, "tab");
        }
        type_text(&mut state, "n:integer=1.5");
        press(&mut state, "enter");
        state
    });
}

fn unavailable(path: &str) -> s2tui::api::error::ApiError {
    s2tui::api::error::ApiError::from_status(503, "Service temporarily unavailable", "GET", path, None)
}

/// The executions view of Nightly ETL, its first read answered with `first`.
fn on_executions(first: Result<ApiReply, s2tui::api::error::ApiError>) -> State {
    let mut state = on_jobs();
    assert!(select_name(&mut state.panes.jobs.table, "Nightly ETL"));
    let effects = press(&mut state, "enter");
    let (id, _) =
        fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Executions(_)))).unwrap();
    reply(&mut state, id, first);
    state
}

/// A first read that failed says what, when, the API's words and what to do, never "no runs".
#[test]
fn jobs_executions_read_failed() {
    snap("jobs_executions_failed", || {
        let mut state = on_executions(Err(unavailable("/v1/jobs/1/executions")));
        advance(&mut state, std::time::Duration::from_secs(12));
        let screen = render(&mut state, 160, 48);
        assert!(screen.contains("✗ Could not read the executions (12s ago):"), "{screen}");
        assert!(screen.contains("Service temporarily unavailable"), "{screen}");
        assert!(!screen.contains("No executions yet"), "{screen}");
        state
    });
}

/// A refresh that failed keeps the runs read before and says so in the title.
#[test]
fn jobs_executions_refresh_failed() {
    snap("jobs_executions_stale", || {
        let runs: Vec<Execution> = (1..=5).map(|n| execution(n, 120 + n * 30)).collect();
        let job = job(1, "Nightly ETL", Some(1440), 1, 27, 3);
        let mut state = on_executions(Ok(ApiReply::Jobs(Reply::Executions { job, executions: runs })));
        let effects = press(&mut state, "ctrl-r");
        let (id, _) =
            fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Executions(_)))).unwrap();
        reply(&mut state, id, Err(unavailable("/v1/jobs/1/executions")));
        advance(&mut state, std::time::Duration::from_secs(4));
        let screen = render(&mut state, 160, 48);
        assert!(screen.contains("✗ refresh failed 4s ago: 503"), "{screen}");
        assert_eq!(state.panes.jobs.executions.as_ref().unwrap().table.total(), 5, "the runs stay");
        state
    });
}

/// The runtimes could not be read: the toast says so in the API's words with what to do, and
/// the form offers the default runtime and says why.
#[test]
fn jobs_form_without_runtimes() {
    snap("jobs_form_no_runtimes", || {
        let mut state = on_jobs();
        let effects = press(&mut state, "c");
        let (id, _) = fetches(&effects)[0];
        reply(&mut state, id, Err(unavailable("/v1/jobs/runtimes")));
        let toast = state.toasts.items.last().unwrap().text.clone();
        assert!(toast.starts_with("Could not read the notebook runtimes: 503"), "{toast}");
        assert!(toast.ends_with("open it again (c) to read them again."), "{toast}");
        let screen = render(&mut state, 160, 48);
        assert!(screen.contains("only the default, the runtimes could not be read"), "{screen}");
        state
    });
}
