//! `update` tests of the jobs pane: where the list comes from, the create form's validation,
//! refusals kept in the form, the executions view, `:job ID`, delete.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{JobRow, JobsChange as Change, JobsReply as Reply, JobsRequest as Request, Loaded};
use s2tui::effect::{ApiReply, Fetch, Mutation};
use s2tui::msg::Msg;
use s2tui::panes;
use s2tui::panes::jobs;
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::modal::{FormPurpose, Modal};
use uuid::Uuid;

fn job_id(i: u128) -> Uuid {
    Uuid::from_u128(0x0b00_0000 + i)
}

fn meta(status: ExecutionStatus, count: i64) -> JobMetadata {
    JobMetadata { status, count, avg_duration_in_seconds: Some(120.0), max_duration_in_seconds: Some(300.0) }
}

fn job(i: u128, name: &str, interval: Option<i64>) -> Job {
    Job {
        job_id: job_id(i),
        name: Some(name.into()),
        description: None,
        created_at: ago(10 * 86_400),
        enqueued_by: None,
        terminated_at: None,
        completed_executions_count: 10,
        execution_config: JobExecutionConfig {
            notebook_path: "Jobs/etl.ipynb".into(),
            create_snapshot: true,
            max_allowed_execution_duration_in_minutes: 60,
            runtime_name: Some("notebooks-cpu-small".into()),
        },
        schedule: JobSchedule {
            mode: if interval.is_some() { ScheduleMode::Recurring } else { ScheduleMode::Once },
            start_at: Some(ago(10 * 86_400)),
            execution_interval_in_minutes: interval,
        },
        target_config: Some(JobTargetConfig {
            target_id: workspace_id(1),
            target_type: TargetType::Workspace,
            resume_target: true,
            database_name: Some("analytics".into()),
        }),
        job_metadata: vec![
            meta(ExecutionStatus::Completed, 9),
            meta(ExecutionStatus::Failed, 1),
            meta(ExecutionStatus::Scheduled, 1),
        ],
        extra: Extra::new(),
    }
}

fn execution(job: u128, n: i64, status: ExecutionStatus, secs: i64) -> Execution {
    let start = 86_400 - n * 3600;
    Execution {
        execution_id: Uuid::from_u128(0x0e00_0000 + n as u128),
        execution_number: n,
        job_id: job_id(job),
        status,
        scheduled_start_time: ago(start + 30),
        started_at: Some(ago(start)),
        finished_at: Some(ago(start - secs)),
        snapshot_notebook_path: Some(format!("Jobs/etl-snapshot-{n}.ipynb")),
    }
}

fn loaded_reply() -> Loaded {
    let mut gone = job(3, "Old export", Some(360));
    gone.terminated_at = Some(ago(3600));
    Loaded {
        remembered: vec![job_id(1)],
        from_audit: vec![job_id(2), job_id(3)],
        listed: None,
        jobs: vec![
            JobRow {
                job: job(1, "Nightly ETL", Some(1440)),
                last: Some(execution(1, 10, ExecutionStatus::Completed, 200)),
            },
            JobRow {
                job: job(2, "Hourly rollup", Some(60)),
                last: Some(execution(2, 10, ExecutionStatus::Failed, 50)),
            },
            JobRow { job: gone, last: None },
        ],
        failed: Vec::new(),
        store_error: None,
    }
}

/// The dashboard on `:jobs` with the list answered.
fn on_jobs() -> State {
    let mut state = loaded();
    state.panes.jobs.data_dir = Some(PathBuf::from("/data/s2tui"));
    let mut effects = type_text(&mut state, ":jobs");
    effects.extend(press(&mut state, "enter"));
    assert_eq!(state.location.pane, PaneId::Jobs);
    let load = fetches(&effects)
        .into_iter()
        .find(|(_, f)| matches!(f, Fetch::Jobs(Request::Load { .. })))
        .map(|(id, f)| (id, f.clone()));
    let (id, fetch) = load.expect("the pane reads its jobs");
    match fetch {
        Fetch::Jobs(Request::Load { org, dir, scan_audit, .. }) => {
            assert_eq!(org, Some(org_id()), "remembered per organization");
            assert_eq!(dir, Some(PathBuf::from("/data/s2tui")));
            assert!(scan_audit, "the first load looks in the audit log");
        }
        _ => unreachable!(),
    }
    reply(&mut state, id, Ok(ApiReply::Jobs(Reply::Loaded(loaded_reply()))));
    state
}

fn form(state: &State) -> &s2tui::widgets::form::Form {
    match state.modals.last() {
        Some(Modal::Form(f)) => &f.form,
        _ => panic!("no form open"),
    }
}

fn error(state: &State, name: &str) -> Option<String> {
    form(state).fields.iter().find(|f| f.name == name).unwrap().error.clone()
}

/// Opens the create form, answering the runtimes read.
fn open_form(state: &mut State) {
    let effects = press(state, "c");
    let (id, fetch) = fetches(&effects)[0];
    assert_eq!(fetch, &Fetch::Jobs(Request::Runtimes));
    let runtimes = vec![
        Runtime { name: "notebooks-cpu-small".into(), description: "2 vCPU".into() },
        Runtime { name: "notebooks-gpu-t4".into(), description: "T4".into() },
    ];
    reply(state, id, Ok(ApiReply::Jobs(Reply::Runtimes(runtimes))));
    assert!(matches!(state.modals.last(), Some(Modal::Form(f)) if f.purpose == FormPurpose::CreateJob));
}

/// Focuses field `name` (tab order) and replaces its text.
fn set(state: &mut State, name: &str, text: &str) {
    let index = form(state).fields.iter().position(|f| f.name == name).unwrap();
    while form(state).focus != index {
        press(state, "tab");
    }
    let len = form(state).value(name).chars().count();
    for _ in 0..len {
        press(state, "backspace");
    }
    type_text(state, text);
}

fn focus(state: &mut State, name: &str) {
    let index = form(state).fields.iter().position(|f| f.name == name).unwrap();
    while form(state).focus != index {
        press(state, "tab");
    }
}

#[test]
fn lists_remembered_and_audited_jobs_but_not_deleted_ones_found_elsewhere() {
    let state = on_jobs();
    let rows = state.panes.jobs.table.rows();
    let names: Vec<&str> = rows.iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let etl = rows.iter().find(|r| r.cells[0] == "Nightly ETL").unwrap();
    assert_eq!(etl.cells[1], "every 1d");
    assert_eq!(etl.cells[2], "reporting/analytics");
    assert_eq!(etl.cells[3], "notebooks-cpu-small");
    assert_eq!(etl.cells[4], "Completed");
    assert_eq!(etl.cells[6], "90%");
    assert_eq!(etl.cells[7], "10");
    assert_eq!(etl.cells[8], "here");
    let rollup = rows.iter().find(|r| r.cells[0] == "Hourly rollup").unwrap();
    assert_eq!(rollup.cells[1], "every 1h");
    assert_eq!(rollup.cells[4], "Failed");
    assert_eq!(rollup.cells[8], "audit");
}

#[test]
fn a_deleted_job_this_tool_remembers_stays_listed_as_deleted() {
    let mut state = on_jobs();
    let mut l = loaded_reply();
    l.remembered.push(job_id(3));
    let effects = panes::refresh_pane(&mut state, PaneId::Jobs);
    let (id, _) = fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Load { .. }))).unwrap();
    reply(&mut state, id, Ok(ApiReply::Jobs(Reply::Loaded(l))));
    let old = state.panes.jobs.table.rows().iter().find(|r| r.cells[0] == "Old export").unwrap().clone();
    assert_eq!(old.cells[4], "deleted");
}

#[test]
fn create_form_checks_every_field_and_sends_nothing_until_valid() {
    let mut state = on_jobs();
    open_form(&mut state);

    // Nothing typed: name and notebook are required.
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(error(&state, "name").as_deref(), Some("required"));
    assert_eq!(error(&state, "notebook").as_deref(), Some("required"));

    set(&mut state, "name", "Nightly load");
    set(&mut state, "notebook", "Jobs/load");
    set(&mut state, "interval", "abc");
    set(&mut state, "start", "next tuesday");
    set(&mut state, "params", "batch:integer=1.5");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert!(error(&state, "notebook").unwrap().contains(".ipynb"));
    assert_eq!(error(&state, "interval").as_deref(), Some("a whole number of minutes"));
    assert!(error(&state, "start").unwrap().contains("UTC"));
    assert_eq!(error(&state, "params").as_deref(), Some("batch: \"1.5\" is not an integer"));

    // Each parameter type is checked.
    for (bad, says) in [
        ("ratio:float=fast", "ratio: \"fast\" is not a number"),
        ("dry:boolean=maybe", "dry: \"maybe\" is not true or false"),
        ("when:date=today", "when: unknown type \"date\" (string, integer, float, boolean)"),
        ("a:string=x; a:string=y", "a: given twice"),
    ] {
        set(&mut state, "params", bad);
        press(&mut state, "enter");
        assert_eq!(error(&state, "params").as_deref(), Some(says), "{bad}");
    }

    // A Recurring job with no interval, and a database without a target, are refused at the field.
    set(&mut state, "notebook", "Jobs/load.ipynb");
    set(&mut state, "interval", "");
    set(&mut state, "start", "2030-01-02 03:04");
    set(&mut state, "params", "batch:integer=500; ratio:float=0.25; dry:boolean=true; label:string=eu west");
    focus(&mut state, "target");
    press(&mut state, "left");
    assert_eq!(form(&state).value("target"), "(none)");
    set(&mut state, "database", "analytics");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(error(&state, "interval").as_deref(), Some("a Recurring job needs an interval"));
    assert_eq!(error(&state, "database").as_deref(), Some("pick a target workspace for the database"));
    set(&mut state, "interval", "0");
    press(&mut state, "enter");
    assert_eq!(error(&state, "interval").as_deref(), Some("from 1 to 525600 minutes"));

    // Valid: one create with everything typed, typed as the API wants it.
    set(&mut state, "interval", "90");
    focus(&mut state, "target");
    press(&mut state, "right");
    assert_eq!(form(&state).value("target"), "dashboards (analytics)");
    focus(&mut state, "runtime");
    press(&mut state, "right");
    press(&mut state, "right");
    focus(&mut state, "snapshot");
    press(&mut state, "space");
    let effects = press(&mut state, "enter");
    let m = mutations(&effects);
    assert_eq!(m.len(), 1, "{effects:?}");
    let Mutation::Job(Change::Create { org, dir, body }) = m[0].1 else { panic!("{:?}", m[0].1) };
    assert_eq!(*org, Some(org_id()));
    assert_eq!(dir.as_deref(), Some(std::path::Path::new("/data/s2tui")));
    assert_eq!(body.name.as_deref(), Some("Nightly load"));
    assert_eq!(body.execution_config.notebook_path, "Jobs/load.ipynb");
    assert_eq!(body.execution_config.runtime_name.as_deref(), Some("notebooks-gpu-t4"));
    assert!(body.execution_config.create_snapshot);
    assert_eq!(body.schedule.mode, ScheduleMode::Recurring);
    assert_eq!(body.schedule.execution_interval_in_minutes, Some(90));
    assert_eq!(body.schedule.start_at.as_deref(), Some("2030-01-02T03:04:00.000000Z"));
    let target = body.target_config.as_ref().unwrap();
    assert_eq!(target.target_id, workspace_id(2));
    assert_eq!(target.database_name.as_deref(), Some("analytics"));
    assert!(target.resume_target);
    let params: Vec<(&str, &str, &str)> =
        body.parameters.iter().map(|p| (p.name.as_str(), p.kind.as_str(), p.value.as_str())).collect();
    assert_eq!(
        params,
        vec![
            ("batch", "integer", "500"),
            ("ratio", "float", "0.25"),
            ("dry", "boolean", "True"),
            ("label", "string", "eu west")
        ]
    );
}

#[test]
fn a_once_job_needs_no_interval_and_a_refusal_keeps_the_form() {
    let mut state = on_jobs();
    open_form(&mut state);
    set(&mut state, "name", "Backfill");
    set(&mut state, "notebook", "Jobs/backfill.ipynb");
    focus(&mut state, "schedule");
    press(&mut state, "right");
    assert_eq!(form(&state).value("schedule"), "Once");
    set(&mut state, "interval", "");
    let effects = press(&mut state, "enter");
    let (id, m) = mutations(&effects)[0];
    let Mutation::Job(Change::Create { body, .. }) = m else { panic!() };
    assert_eq!(body.schedule.mode, ScheduleMode::Once);
    assert_eq!(body.schedule.execution_interval_in_minutes, None);
    assert_eq!(body.schedule.start_at, None, "empty start = now, chosen by the service");

    let refusal =
        ApiError::from_status(400, "executionConfig.notebookPath is not a shared notebook", "POST", "/v1/jobs", None);
    update(&mut state, Msg::Api { id, reply: Err(refusal) });
    assert_eq!(form(&state).server_error.as_deref(), Some("executionConfig.notebookPath is not a shared notebook"));
    assert_eq!(form(&state).value("name"), "Backfill");

    // Accepted on a second try: the form closes and the job is listed and remembered.
    let effects = press(&mut state, "enter");
    let (id, _) = mutations(&effects)[0];
    let created = job(7, "Backfill", None);
    let effects = update(
        &mut state,
        Msg::Api { id, reply: Ok(ApiReply::Jobs(Reply::Created { job: created, store_error: None })) },
    );
    assert!(state.modals.is_empty());
    assert!(state.panes.jobs.remembered.contains(&job_id(7)));
    assert_eq!(state.panes.jobs.table.selected_row().unwrap().cells[0], "Backfill");
    let reload = fetches(&effects).into_iter().find_map(|(_, f)| match f {
        Fetch::Jobs(Request::Load { known, .. }) => Some(known.clone()),
        _ => None,
    });
    assert!(reload.unwrap().contains(&job_id(7)), "the refresh re-reads the new job");
}

#[test]
fn executions_view_shows_runs_and_esc_goes_back() {
    let mut state = on_jobs();
    assert!(select_name(&mut state.panes.jobs.table, "Nightly ETL"));
    let effects = press(&mut state, "enter");
    assert_eq!(jobs::drilled(&state.panes.jobs), Some(job_id(1)));
    let (id, fetch) =
        fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Executions(_)))).unwrap();
    assert_eq!(fetch, &Fetch::Jobs(Request::Executions(job_id(1))));
    let runs = vec![
        execution(1, 8, ExecutionStatus::Completed, 200),
        execution(1, 9, ExecutionStatus::Error, 5),
        execution(1, 10, ExecutionStatus::Completed, 420),
    ];
    reply(
        &mut state,
        id,
        Ok(ApiReply::Jobs(Reply::Executions { job: job(1, "Nightly ETL", Some(1440)), executions: runs })),
    );
    let table = state.panes.table(PaneId::Jobs).expect("a list");
    assert_eq!(table.len(), 3);
    let first = &table.rows()[0];
    assert_eq!(first.cells[0], "10", "newest first");
    assert_eq!(first.cells[5], "7m00s");
    assert_eq!(table.rows()[1].cells[1], "Error");
    let screen = render(&mut state, 120, 30);
    assert!(screen.contains("Durations of the last 3 runs (longest 7m00s)"), "{screen}");

    press(&mut state, "esc");
    assert_eq!(jobs::drilled(&state.panes.jobs), None);
    assert_eq!(state.location.pane, PaneId::Jobs);
}

#[test]
fn job_id_command_adds_and_remembers_a_job() {
    let mut state = on_jobs();
    let mut effects = type_text(&mut state, ":job not-a-uuid");
    effects.extend(press(&mut state, "enter"));
    assert!(fetches(&effects).iter().all(|(_, f)| !matches!(f, Fetch::Jobs(Request::Add { .. }))));
    assert!(state.toasts.items.last().unwrap().text.contains("is not a job ID"));

    let id = job_id(9);
    let mut effects = type_text(&mut state, &format!(":job {id}"));
    effects.extend(press(&mut state, "enter"));
    let (rid, fetch) =
        fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Jobs(Request::Add { .. }))).unwrap();
    assert_eq!(fetch, &Fetch::Jobs(Request::Add { org: Some(org_id()), dir: Some(PathBuf::from("/data/s2tui")), id }));
    let row = JobRow { job: job(9, "Shared report", Some(60)), last: None };
    reply(&mut state, rid, Ok(ApiReply::Jobs(Reply::Added { row, store_error: None })));
    assert_eq!(state.panes.jobs.table.selected_row().unwrap().cells[0], "Shared report");
    assert!(state.panes.jobs.remembered.contains(&id));
}

#[test]
fn delete_needs_the_typed_name_and_forgets_the_job() {
    let mut state = on_jobs();
    assert!(select_name(&mut state.panes.jobs.table, "Hourly rollup"));
    press(&mut state, "ctrl-d");
    type_text(&mut state, "Hourly");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    type_text(&mut state, " rollup");
    let effects = press(&mut state, "enter");
    let (id, m) = mutations(&effects)[0];
    assert_eq!(
        m,
        &Mutation::Job(Change::Delete { org: Some(org_id()), dir: Some(PathBuf::from("/data/s2tui")), id: job_id(2) })
    );
    update(&mut state, Msg::Api { id, reply: Ok(ApiReply::Jobs(Reply::Deleted { id: job_id(2), store_error: None })) });
    assert!(state.panes.jobs.table.rows().iter().all(|r| r.cells[0] != "Hourly rollup"));
}

#[test]
fn describe_reads_the_parameters() {
    let mut state = on_jobs();
    assert!(select_name(&mut state.panes.jobs.table, "Nightly ETL"));
    let effects = press(&mut state, "d");
    let (id, fetch) = fetches(&effects)[0];
    assert_eq!(fetch, &Fetch::Jobs(Request::Describe(job_id(1))));
    let parameters =
        vec![JobParameter { name: "batch_size".into(), kind: ParameterType::Integer, value: "5000".into() }];
    reply(&mut state, id, Ok(ApiReply::Jobs(Reply::Described { job: job(1, "Nightly ETL", Some(1440)), parameters })));
    match state.modals.last() {
        Some(Modal::Describe(v)) => {
            assert!(v.text.contains("batch_size"));
            assert!(v.text.contains("jobMetadata"));
        }
        _ => panic!("no describe view"),
    }
}

#[test]
fn audit_entries_name_jobs_by_attribute_or_label() {
    let a = Uuid::new_v4();
    let b = Uuid::new_v4();
    let entry = AuditLog {
        attributes: Some(serde_json::json!({ "jobID": a.to_string() })),
        labels: vec!["Jobs".into(), format!("jobID:{b}")],
        ..AuditLog::default()
    };
    assert_eq!(s2tui::api::jobs::job_ids_in(&entry), vec![a, b]);
    assert!(s2tui::api::jobs::job_ids_in(&AuditLog::default()).is_empty());
}
