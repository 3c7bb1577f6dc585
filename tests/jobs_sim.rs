//! The jobs pane's reads and changes against the simulator over real HTTP: jobs found through
//! the audit log, created jobs remembered in the data directory, deletes forgotten, and
//! recurring jobs that really run on the (sped-up) schedule.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use s2tui::api::jobs::store::RememberedJobs;
use s2tui::api::types::*;
use s2tui::api::types::{JobsChange as Change, JobsReply as Reply, JobsRequest as Request};
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};

async fn sim(speed: f64) -> (SimHandle, Client) {
    let config = SimConfig { seed: Seed::Demo, speed, colleague_rate: 0.0, ..SimConfig::default() };
    let h = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = Client::new(ClientConfig::new(h.base_url(), ApiKey::new(h.api_key())).unwrap()).unwrap();
    (h, client)
}

fn body(target: Option<uuid::Uuid>, interval: Option<i64>) -> JobCreate {
    JobCreate {
        name: Some("Every minute".into()),
        description: None,
        execution_config: JobCreateExecutionConfig {
            notebook_path: "Jobs/minute.ipynb".into(),
            create_snapshot: true,
            runtime_name: None,
        },
        schedule: JobSchedule {
            mode: if interval.is_some() { ScheduleMode::Recurring } else { ScheduleMode::Once },
            start_at: None,
            execution_interval_in_minutes: interval,
        },
        target_config: target.map(|t| JobTargetConfig {
            target_id: t,
            target_type: TargetType::Workspace,
            resume_target: true,
            database_name: Some("analytics".into()),
        }),
        parameters: vec![JobParameter { name: "n".into(), kind: ParameterType::Integer, value: "3".into() }],
    }
}

fn load(org: uuid::Uuid, dir: &std::path::Path) -> Request {
    Request::Load { org: Some(org), dir: Some(dir.to_path_buf()), known: Vec::new(), scan_audit: true }
}

#[tokio::test]
async fn seeded_jobs_are_found_through_the_audit_log() {
    let (h, client) = sim(10.0).await;
    let dir = tempfile::tempdir().unwrap();
    let org = h.shared().world().org.org_id;
    let seeded: Vec<uuid::Uuid> = h.shared().world().jobs.jobs.keys().copied().collect();
    assert_eq!(seeded.len(), 5);
    let Reply::Loaded(l) = (load(org, dir.path())).send(&client).await.unwrap() else { panic!() };
    let mut found = l.from_audit.clone();
    found.sort();
    let mut want = seeded.clone();
    want.sort();
    assert_eq!(found, want, "every seeded job has a Job.Create entry with its jobID");
    assert_eq!(l.listed, None, "the simulator, like the API, has no GET /v1/jobs");
    assert_eq!(l.jobs.len(), 5);
    assert!(l.remembered.is_empty());
    // The last status comes from a run that started.
    let etl = l.jobs.iter().find(|r| r.job.name.as_deref() == Some("Nightly ETL")).unwrap();
    assert!(etl.last.as_ref().unwrap().started_at.is_some());
}

#[tokio::test]
async fn created_jobs_are_remembered_and_deleted_ones_forgotten() {
    let (h, client) = sim(10.0).await;
    let dir = tempfile::tempdir().unwrap();
    let org = h.shared().world().org.org_id;
    let target = h
        .shared()
        .world()
        .workspaces
        .values()
        .find(|w| w.api.state == WorkspaceState::Active)
        .unwrap()
        .api
        .workspace_id;
    let create = Change::Create {
        org: Some(org),
        dir: Some(dir.path().to_path_buf()),
        body: Box::new(body(Some(target), Some(60))),
    };
    let Reply::Created { job, store_error } = create.send(&client).await.unwrap() else { panic!() };
    assert_eq!(store_error, None);
    assert_eq!(RememberedJobs::in_dir(dir.path()).load(org).unwrap(), vec![job.job_id]);
    assert!(h.shared().world().jobs.jobs.contains_key(&job.job_id));

    // A later load (a new session) lists it as remembered.
    let Reply::Loaded(l) = (load(org, dir.path())).send(&client).await.unwrap() else { panic!() };
    assert_eq!(l.remembered, vec![job.job_id]);
    assert!(l.jobs.iter().any(|r| r.job.job_id == job.job_id));

    // Refused: a bad parameter, with the simulator's text.
    let mut bad = body(None, Some(60));
    bad.parameters[0].value = "three".into();
    let refused = Change::Create { org: Some(org), dir: Some(dir.path().to_path_buf()), body: Box::new(bad) };
    let err = refused.send(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.message().contains("is not a valid integer"), "{err}");
    assert_eq!(RememberedJobs::in_dir(dir.path()).load(org).unwrap().len(), 1, "nothing remembered for a refusal");

    let delete = Change::Delete { org: Some(org), dir: Some(dir.path().to_path_buf()), id: job.job_id };
    let Reply::Deleted { id, store_error } = delete.send(&client).await.unwrap() else { panic!() };
    assert_eq!((id, store_error), (job.job_id, None));
    assert!(RememberedJobs::in_dir(dir.path()).load(org).unwrap().is_empty());
    assert!(h.shared().world().jobs.jobs[&job.job_id].terminated.is_some());

    // `:job ID` on an unknown ID is refused and remembers nothing.
    let add = Request::Add { org: Some(org), dir: Some(dir.path().to_path_buf()), id: uuid::Uuid::new_v4() };
    assert_eq!(add.send(&client).await.unwrap_err().status(), Some(404));
    assert!(RememberedJobs::in_dir(dir.path()).load(org).unwrap().is_empty());
}

#[tokio::test]
async fn a_recurring_job_runs_on_the_scaled_schedule() {
    // One minute becomes 0.1 s; a run takes one to eleven "minutes" (0.1–1.1 s).
    let (_h, client) = sim(600.0).await;
    let Reply::Created { job, .. } =
        (Change::Create { org: None, dir: None, body: Box::new(body(None, Some(1))) }).send(&client).await.unwrap()
    else {
        panic!()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let finished = loop {
        let Reply::Executions { executions, .. } = (Request::Executions(job.job_id)).send(&client).await.unwrap()
        else {
            panic!()
        };
        let numbers: Vec<i64> = executions.iter().map(|e| e.execution_number).collect();
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "numbered in order, none missing");
        let done: Vec<Execution> = executions.into_iter().filter(|e| e.finished_at.is_some()).collect();
        if done.len() >= 5 {
            break done;
        }
        assert!(Instant::now() < deadline, "the job never ran five times");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for e in &finished {
        assert!(
            matches!(e.status, ExecutionStatus::Completed | ExecutionStatus::Failed | ExecutionStatus::Error),
            "{e:?}"
        );
        assert!(e.snapshot_notebook_path.as_deref().unwrap().starts_with("Jobs/minute-snapshot-"));
    }
    let Reply::Described { job: now, parameters } = (Request::Describe(job.job_id)).send(&client).await.unwrap() else {
        panic!()
    };
    assert!(now.completed_executions_count >= 5);
    assert_eq!(parameters.len(), 1);
}
