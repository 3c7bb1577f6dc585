//! Scheduled notebook jobs and their executions.
//!
//! Executions are not stored: execution `k` of a job is scheduled at `start + (k-1) ×
//! interval` (the interval shortened by the speed factor) and its queueing delay, run time
//! and outcome are derived from a hash of the job ID and `k`. Reading the clock tells which
//! executions exist and what state each is in, so nothing needs a timer.
//!
//! Construct with `JobStore::default()`.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::types::*;

use super::error::{SimError, SimResult};
use super::extract::{JsonBody, parse_uuid};
use super::world::{AuditEvent, Clock, World};
use super::{AppState, Seed};

/// Notebook runtimes offered for `executionConfig.runtimeName`.
pub const RUNTIMES: &[(&str, &str)] = &[
    ("notebooks-cpu-small", "2 vCPU, 8 GB memory (default)"),
    ("notebooks-cpu-medium", "4 vCPU, 16 GB memory"),
    ("notebooks-cpu-large", "8 vCPU, 32 GB memory"),
    ("notebooks-gpu-t4", "4 vCPU, 16 GB memory, 1 NVIDIA T4 GPU"),
];

/// A job stops producing executions after this many, which keeps every read bounded.
const MAX_EXECUTIONS: i64 = 50_000;
const DEFAULT_MAX_MINUTES: i64 = 60;

/// One job as created, plus what the schedule needs.
#[derive(Debug, Clone)]
pub struct JobRec {
    pub api: Job,
    pub parameters: Vec<JobParameter>,
    /// When execution 1 is due.
    pub start: DateTime<Utc>,
    /// Time between executions after speed scaling; `None` for `Once`.
    pub period: Option<chrono::Duration>,
    pub terminated: Option<DateTime<Utc>>,
    /// Clock used for run times (captured at creation).
    pub clock: Clock,
}

/// Every job the organization has created (deleted ones included: they stay readable).
#[derive(Debug, Default)]
pub struct JobStore {
    pub jobs: BTreeMap<Uuid, JobRec>,
}

/// What one execution did, before clipping by the clock.
#[derive(Debug, Clone)]
struct Plan {
    scheduled: DateTime<Utc>,
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    outcome: ExecutionStatus,
}

fn mix(a: u128, k: i64) -> u64 {
    let mut z = (a as u64) ^ ((a >> 64) as u64).rotate_left(17) ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl JobRec {
    fn plan(&self, k: i64) -> Plan {
        let offset = self.period.map_or(chrono::Duration::zero(), |p| p * ((k - 1).clamp(0, i32::MAX as i64) as i32));
        let scheduled = self.start + offset;
        let h = mix(self.api.job_id.as_u128(), k);
        let roll = h % 100;
        let (outcome, run_secs) = if roll < 85 {
            (ExecutionStatus::Completed, 60 + (h >> 8) % 660)
        } else if roll < 95 {
            (ExecutionStatus::Failed, 20 + (h >> 8) % 280)
        } else {
            (ExecutionStatus::Error, 1 + (h >> 8) % 30)
        };
        let queue_secs = 5 + (h >> 24) % 35;
        let started = scheduled + self.clock.scaled(Duration::from_secs(queue_secs));
        let finished = started + self.clock.scaled(Duration::from_secs(run_secs));
        Plan { scheduled, started, finished, outcome }
    }

    /// Number of executions that exist at `now` (numbered 1..=n).
    pub fn execution_count(&self, now: DateTime<Utc>) -> i64 {
        let until = self.terminated.map_or(now, |t| t.min(now));
        let due = |t: DateTime<Utc>, strict: bool| -> i64 {
            if t < self.start || (strict && t == self.start) {
                return 0;
            }
            match self.period {
                None => 1,
                Some(p) => {
                    let p = p.num_microseconds().unwrap_or(i64::MAX).max(1);
                    let d = (t - self.start).num_microseconds().unwrap_or(i64::MAX);
                    let n = d / p + 1;
                    if strict && d % p == 0 { n - 1 } else { n }
                }
            }
        };
        let n = match self.terminated {
            // Executions scheduled before the job was deleted.
            Some(_) => due(until, true),
            // Those already due, plus the next one waiting as Scheduled.
            None => {
                let d = due(now, false);
                if self.period.is_none() { 1 } else { d + 1 }
            }
        };
        n.clamp(0, MAX_EXECUTIONS)
    }

    /// Execution `k` as it stands at `now`.
    pub fn execution(&self, k: i64, now: DateTime<Utc>) -> Execution {
        let plan = self.plan(k);
        let cutoff = self.terminated.map_or(now, |t| t.min(now));
        let (status, started, finished) = if cutoff < plan.started {
            match self.terminated {
                Some(t) if t <= now => (ExecutionStatus::Canceled, None, Some(t)),
                _ => (ExecutionStatus::Scheduled, None, None),
            }
        } else if cutoff < plan.finished {
            match self.terminated {
                Some(t) if t <= now => (ExecutionStatus::Canceled, Some(plan.started), Some(t)),
                _ => (ExecutionStatus::Running, Some(plan.started), None),
            }
        } else {
            (plan.outcome, Some(plan.started), Some(plan.finished))
        };
        let snapshot = (self.api.execution_config.create_snapshot && started.is_some()).then(|| {
            let nb = &self.api.execution_config.notebook_path;
            let stem = nb.strip_suffix(".ipynb").unwrap_or(nb);
            format!("{stem}-snapshot-{k}.ipynb")
        });
        Execution {
            execution_id: execution_id(self.api.job_id, k),
            execution_number: k,
            job_id: self.api.job_id,
            status,
            scheduled_start_time: format_time(plan.scheduled),
            started_at: started.map(format_time),
            finished_at: finished.map(format_time),
            snapshot_notebook_path: snapshot,
        }
    }

    /// The job with its execution counters brought up to `now`.
    pub fn view(&self, now: DateTime<Utc>) -> Job {
        #[derive(Default)]
        struct Acc {
            count: i64,
            total: f64,
            max: f64,
            timed: i64,
        }
        let mut by: BTreeMap<&'static str, (ExecutionStatus, Acc)> = BTreeMap::new();
        let mut completed = 0;
        for k in 1..=self.execution_count(now) {
            let e = self.execution(k, now);
            let status = e.status.clone();
            if matches!(status, ExecutionStatus::Completed | ExecutionStatus::Failed | ExecutionStatus::Error) {
                completed += 1;
            }
            let key = match status {
                ExecutionStatus::Completed => "Completed",
                ExecutionStatus::Failed => "Failed",
                ExecutionStatus::Error => "Error",
                ExecutionStatus::Running => "Running",
                ExecutionStatus::Scheduled => "Scheduled",
                ExecutionStatus::Canceled => "Canceled",
                _ => "Unknown",
            };
            let slot = by.entry(key).or_insert_with(|| (status, Acc::default()));
            slot.1.count += 1;
            let (Some(s), Some(f)) =
                (e.started_at.as_deref().and_then(parse_time), e.finished_at.as_deref().and_then(parse_time))
            else {
                continue;
            };
            let secs = (f - s).num_milliseconds() as f64 / 1000.0;
            slot.1.total += secs;
            slot.1.max = slot.1.max.max(secs);
            slot.1.timed += 1;
        }
        let mut api = self.api.clone();
        api.completed_executions_count = completed;
        api.terminated_at = self.terminated.map(format_time);
        api.job_metadata = by
            .into_values()
            .map(|(status, a)| JobMetadata {
                status,
                count: a.count,
                avg_duration_in_seconds: (a.timed > 0).then(|| (a.total / a.timed as f64 * 1000.0).round() / 1000.0),
                max_duration_in_seconds: (a.timed > 0).then_some(a.max),
            })
            .collect();
        api
    }
}

/// Stable per job and execution number, shaped like a v4 UUID.
fn execution_id(job: Uuid, k: i64) -> Uuid {
    let hi = mix(job.as_u128(), k);
    let lo = mix(job.as_u128() ^ 0x5bd1_e995, k.wrapping_add(7919));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hi.to_le_bytes());
    bytes[8..].copy_from_slice(&lo.to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Accepts RFC3339 (`2024-06-01T10:00:00.123456Z`) and offsetless forms (taken as UTC).
fn parse_start(raw: &str) -> Option<DateTime<Utc>> {
    parse_time(raw)
        .or_else(|| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc()))
        .filter(super::world::plausible_time)
}

fn validate_parameter(p: &JobParameter) -> SimResult<()> {
    if p.name.trim().is_empty() {
        return Err(SimError::bad_request("parameter name must not be empty"));
    }
    let v = p.value.trim();
    let ok = match &p.kind {
        ParameterType::String => true,
        ParameterType::Integer => v.parse::<i64>().is_ok(),
        ParameterType::Float => v.parse::<f64>().is_ok_and(f64::is_finite),
        ParameterType::Boolean => v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"),
        ParameterType::Unknown(t) => {
            return Err(SimError::bad_request(format!(
                "parameter {:?}: unknown type {t:?} (expected string, integer, float or boolean)",
                p.name
            )));
        }
    };
    if ok {
        Ok(())
    } else {
        Err(SimError::bad_request(format!("parameter {:?}: value {:?} is not a valid {}", p.name, p.value, p.kind)))
    }
}

fn validate_target(w: &World, t: &JobTargetConfig) -> SimResult<()> {
    let known = match &t.target_type {
        TargetType::Workspace => {
            w.workspaces.get(&t.target_id).is_some_and(|ws| ws.api.state != WorkspaceState::Terminated)
        }
        // A legacy cluster at v1 (a group here), the workspace itself at v2: same route, both ids.
        TargetType::Cluster => {
            w.groups.contains_key(&t.target_id)
                || w.workspaces.get(&t.target_id).is_some_and(|ws| ws.api.state != WorkspaceState::Terminated)
        }
        TargetType::VirtualWorkspace | TargetType::VirtualCluster => w.starter_workspaces.contains_key(&t.target_id),
        TargetType::Unknown(other) => {
            return Err(SimError::bad_request(format!(
                "targetConfig.targetType {other:?} is not one of Workspace, Cluster, VirtualWorkspace, VirtualCluster"
            )));
        }
    };
    if known {
        Ok(())
    } else {
        Err(SimError::bad_request(format!("targetConfig.targetID {} is not a known {}", t.target_id, t.target_type)))
    }
}

/// Validates a create request and builds the job (not yet stored).
pub fn build_job(w: &World, body: JobCreate) -> SimResult<JobRec> {
    let nb = body.execution_config.notebook_path.trim();
    if nb.is_empty() {
        return Err(SimError::bad_request("executionConfig.notebookPath is required"));
    }
    if let Some(rt) = body.execution_config.runtime_name.as_deref()
        && !RUNTIMES.iter().any(|(n, _)| *n == rt)
    {
        return Err(SimError::bad_request(format!("executionConfig.runtimeName {rt:?} is not a known runtime")));
    }
    let now = w.clock.now();
    let start = match body.schedule.start_at.as_deref().filter(|s| !s.is_empty()) {
        None => now,
        Some(raw) => parse_start(raw)
            .ok_or_else(|| SimError::bad_request(format!("schedule.startAt {raw:?} is not an RFC3339 date-time")))?,
    };
    let period = match &body.schedule.mode {
        ScheduleMode::Once => None,
        ScheduleMode::Recurring => match body.schedule.execution_interval_in_minutes {
            Some(m) if m > 525_600 => {
                return Err(SimError::bad_request(format!(
                    "schedule.executionIntervalInMinutes must be at most 525600 (a year), got {m}"
                )));
            }
            Some(m) if m >= 1 => Some(w.clock.scaled(Duration::from_secs(m as u64 * 60))),
            Some(m) => {
                return Err(SimError::bad_request(format!(
                    "schedule.executionIntervalInMinutes must be at least 1, got {m}"
                )));
            }
            None => {
                return Err(SimError::bad_request(
                    "schedule.executionIntervalInMinutes is required for Recurring jobs",
                ));
            }
        },
        ScheduleMode::Unknown(m) => {
            return Err(SimError::bad_request(format!("schedule.mode {m:?} is not one of Once, Recurring")));
        }
    };
    if let Some(t) = &body.target_config {
        validate_target(w, t)?;
    }
    for (i, p) in body.parameters.iter().enumerate() {
        validate_parameter(p)?;
        if body.parameters[..i].iter().any(|q| q.name == p.name) {
            return Err(SimError::bad_request(format!("parameter {:?} is given more than once", p.name)));
        }
    }
    let mut schedule = body.schedule;
    schedule.start_at = Some(format_time(start));
    if schedule.mode == ScheduleMode::Once {
        schedule.execution_interval_in_minutes = None;
    }
    let api = Job {
        job_id: Uuid::new_v4(),
        name: body.name,
        description: body.description,
        created_at: format_time(now),
        enqueued_by: Some(w.api_user.user_id),
        terminated_at: None,
        completed_executions_count: 0,
        execution_config: JobExecutionConfig {
            notebook_path: nb.to_string(),
            create_snapshot: body.execution_config.create_snapshot,
            max_allowed_execution_duration_in_minutes: DEFAULT_MAX_MINUTES,
            runtime_name: Some(body.execution_config.runtime_name.unwrap_or_else(|| RUNTIMES[0].0.to_string())),
        },
        schedule,
        target_config: body.target_config,
        job_metadata: Vec::new(),
        extra: Default::default(),
    };
    Ok(JobRec { api, parameters: body.parameters, start, period, terminated: None, clock: w.clock })
}

// ───────────────────────────── routes ─────────────────────────────

/// The jobs routes. There is deliberately no `GET /v1/jobs`: the real API has no list.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/jobs", post(create))
        .route("/v1/jobs/runtimes", get(runtimes))
        .route("/v1/jobs/{job_id}", get(get_job).delete(delete_job))
        .route("/v1/jobs/{job_id}/executions", get(executions))
        .route("/v1/jobs/{job_id}/parameters", get(parameters))
}

fn job<'a>(w: &'a World, raw: &str) -> SimResult<&'a JobRec> {
    let id = parse_uuid(raw, "jobID")?;
    w.jobs.jobs.get(&id).ok_or_else(|| SimError::not_found(format!("job {id} not found")))
}

async fn create(State(st): State<AppState>, JsonBody(body): JsonBody<JobCreate>) -> SimResult<Json<Job>> {
    let mut w = st.world();
    let rec = build_job(&w, body)?;
    // The creation reply reports no runs yet, even for a Once job due now: runs show up in
    // later reads (clients assert exactly this).
    let view = rec.api.clone();
    let target = rec.api.target_config.as_ref().map(|t| t.target_id);
    let group = target.and_then(|t| w.workspaces.get(&t).map(|ws| ws.api.workspace_group_id));
    let workspace = target.filter(|t| w.workspaces.contains_key(t));
    w.audit_api(AuditEvent {
        kind: "Job.Create".into(),
        reason: format!(
            "Created {} job {:?} for notebook {:?}",
            rec.api.schedule.mode,
            rec.api.name.clone().unwrap_or_default(),
            rec.api.execution_config.notebook_path
        ),
        workspace_group_id: group,
        workspace_id: workspace,
        labels: vec!["Jobs".into()],
        attributes: Some(serde_json::json!({ "jobID": rec.api.job_id })),
        ..AuditEvent::default()
    });
    w.jobs.jobs.insert(rec.api.job_id, rec);
    Ok(Json(view))
}

async fn get_job(State(st): State<AppState>, Path(id): Path<String>) -> SimResult<Json<Job>> {
    let w = st.world();
    let now = w.clock.now();
    Ok(Json(job(&w, &id)?.view(now)))
}

async fn delete_job(State(st): State<AppState>, Path(id): Path<String>) -> SimResult<Json<bool>> {
    let mut w = st.world();
    let now = w.clock.now();
    let id = job(&w, &id)?.api.job_id;
    let name = {
        let Some(rec) = w.jobs.jobs.get_mut(&id) else {
            return Err(SimError::not_found(format!("job {id} not found")));
        };
        if rec.terminated.is_some() {
            return Err(SimError::not_found(format!("job {id} not found")));
        }
        rec.terminated = Some(now);
        rec.api.name.clone().unwrap_or_default()
    };
    w.audit_api(AuditEvent {
        kind: "Job.Delete".into(),
        reason: format!("Deleted job {name:?}"),
        labels: vec!["Jobs".into()],
        attributes: Some(serde_json::json!({ "jobID": id })),
        ..AuditEvent::default()
    });
    Ok(Json(true))
}

#[derive(Debug, serde::Deserialize)]
struct Window {
    start: Option<String>,
    end: Option<String>,
}

fn window_bound(v: Option<&str>, name: &str) -> SimResult<i64> {
    let raw = v.ok_or_else(|| SimError::bad_request(format!("query parameter {name} is required")))?;
    raw.trim()
        .parse::<i64>()
        .ok()
        .or_else(|| raw.trim().parse::<f64>().ok().filter(|f| f.is_finite()).map(|f| f as i64))
        .ok_or_else(|| SimError::bad_request(format!("query parameter {name} must be a number, got {raw:?}")))
}

async fn executions(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Window>,
) -> SimResult<Json<ExecutionsResult>> {
    let start = window_bound(q.start.as_deref(), "start")?;
    let end = window_bound(q.end.as_deref(), "end")?;
    let w = st.world();
    let now = w.clock.now();
    let rec = job(&w, &id)?;
    let n = rec.execution_count(now);
    let lo = start.max(1);
    let hi = end.min(n);
    let executions = if lo <= hi { (lo..=hi).map(|k| rec.execution(k, now)).collect() } else { Vec::new() };
    Ok(Json(ExecutionsResult {
        executions,
        executions_metadata: ExecutionsMetadata { start_execution_number: start, end_execution_number: end },
    }))
}

async fn parameters(State(st): State<AppState>, Path(id): Path<String>) -> SimResult<Json<Vec<JobParameter>>> {
    let w = st.world();
    Ok(Json(job(&w, &id)?.parameters.clone()))
}

async fn runtimes() -> Json<Vec<Runtime>> {
    Json(RUNTIMES.iter().map(|(n, d)| Runtime { name: n.to_string(), description: d.to_string() }).collect())
}

// ───────────────────────────── seed ─────────────────────────────

/// Demo jobs against the seeded workspaces, with execution history already in place.
/// Call after workspaces exist.
pub fn seed(world: &mut World, seed: &Seed) {
    let targets: Vec<Uuid> = world
        .workspaces
        .values()
        .filter(|w| w.api.state != WorkspaceState::Terminated)
        .map(|w| w.api.workspace_id)
        .collect();
    let specs: &[(&str, &str, Option<i64>, bool, i64)] = match seed {
        Seed::Empty => &[],
        Seed::Large(_) => &[("Hourly refresh", "Scheduled/refresh.ipynb", Some(60), false, 24)],
        Seed::Demo => &[
            ("Nightly ETL", "Scheduled/etl-nightly.ipynb", Some(24 * 60), true, 30),
            ("Hourly metrics rollup", "Scheduled/metrics-rollup.ipynb", Some(60), false, 48),
            ("Revenue report", "Reports/revenue report.ipynb", Some(7 * 24 * 60), true, 8),
            ("Backfill 2024-Q1", "Scheduled/backfill.ipynb", None, false, 1),
            ("Old export", "Scheduled/export-legacy.ipynb", Some(6 * 60), false, 12),
        ],
    };
    let clock = world.clock;
    let now = clock.now();
    for (i, (name, nb, interval, snapshot, runs)) in specs.iter().enumerate() {
        let target = targets.get(i % targets.len().max(1)).copied();
        let realistic = Duration::from_secs(interval.unwrap_or(60) as u64 * 60);
        let period = clock.scaled(realistic);
        // Enough history for `runs` executions, the last one possibly still running.
        let start = now - period * (*runs as i32 - 1) - clock.scaled(Duration::from_secs(90));
        let created = start - chrono::Duration::hours(2);
        let body = JobCreate {
            name: Some(name.to_string()),
            description: Some(format!("{name} (notebook {nb})")),
            execution_config: JobCreateExecutionConfig {
                notebook_path: nb.to_string(),
                create_snapshot: *snapshot,
                runtime_name: Some(RUNTIMES[i % 2].0.to_string()),
            },
            schedule: JobSchedule {
                mode: if interval.is_some() { ScheduleMode::Recurring } else { ScheduleMode::Once },
                start_at: Some(format_time(start)),
                execution_interval_in_minutes: *interval,
            },
            target_config: target.map(|t| JobTargetConfig {
                target_id: t,
                target_type: TargetType::Workspace,
                resume_target: true,
                database_name: Some("analytics".into()),
            }),
            parameters: vec![
                JobParameter { name: "batch_size".into(), kind: ParameterType::Integer, value: "5000".into() },
                JobParameter { name: "dry_run".into(), kind: ParameterType::Boolean, value: "False".into() },
            ],
        };
        let Ok(mut rec) = build_job(world, body) else {
            continue;
        };
        rec.api.created_at = format_time(created);
        if name.starts_with("Old") {
            rec.terminated = Some(now - period);
        }
        let author = world.users.get(i % world.users.len().max(1)).map(|u| u.info.clone());
        audit_seeded(world, &rec, created, author);
        world.jobs.jobs.insert(rec.api.job_id, rec);
    }
}

/// The `Job.Create` entry a colleague's portal session left for a seeded job, at its creation
/// time. Only at seed time may an entry go anywhere but the end: no token has been handed out.
fn audit_seeded(world: &mut World, rec: &JobRec, created: DateTime<Utc>, author: Option<UserInfo>) {
    let user = author.unwrap_or_else(|| world.api_user.clone());
    let group = rec
        .api
        .target_config
        .as_ref()
        .and_then(|t| world.workspaces.get(&t.target_id))
        .map(|w| w.api.workspace_group_id);
    let event = AuditEvent {
        kind: "Job.Create".into(),
        reason: format!(
            "Created {} job {:?} for notebook {:?}",
            rec.api.schedule.mode,
            rec.api.name.clone().unwrap_or_default(),
            rec.api.execution_config.notebook_path
        ),
        workspace_group_id: group,
        workspace_id: rec.api.target_config.as_ref().map(|t| t.target_id),
        labels: vec!["Jobs".into()],
        attributes: Some(serde_json::json!({ "jobID": rec.api.job_id })),
        ..AuditEvent::default()
    };
    world.push_audit(event, &user, None, AuditSource::Portal, AuditUserType::Customer);
    let Some(mut entry) = world.audit.pop() else { return };
    entry.created_at = Some(created.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true));
    let at =
        world.audit.partition_point(|e| e.created_at.as_deref().and_then(parse_time).is_some_and(|t| t <= created));
    world.audit.insert(at, entry);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(period_min: Option<i64>, speed: f64) -> JobRec {
        let clock = Clock { speed };
        let start = Utc::now();
        JobRec {
            api: Job {
                job_id: Uuid::new_v4(),
                name: None,
                description: None,
                created_at: format_time(start),
                enqueued_by: None,
                terminated_at: None,
                completed_executions_count: 0,
                execution_config: JobExecutionConfig {
                    notebook_path: "n.ipynb".into(),
                    create_snapshot: true,
                    max_allowed_execution_duration_in_minutes: 60,
                    runtime_name: None,
                },
                schedule: JobSchedule {
                    mode: ScheduleMode::Recurring,
                    start_at: None,
                    execution_interval_in_minutes: period_min,
                },
                target_config: None,
                job_metadata: Vec::new(),
                extra: Default::default(),
            },
            parameters: Vec::new(),
            start,
            period: period_min.map(|m| clock.scaled(Duration::from_secs(m as u64 * 60))),
            terminated: None,
            clock,
        }
    }

    #[test]
    fn executions_follow_the_clock() {
        let r = rec(Some(60), 1.0);
        assert_eq!(r.execution_count(r.start - chrono::Duration::seconds(1)), 1);
        assert_eq!(r.execution_count(r.start), 2);
        let later = r.start + chrono::Duration::hours(10) + chrono::Duration::seconds(1);
        assert_eq!(r.execution_count(later), 12);
        assert_eq!(r.execution(1, r.start).status, ExecutionStatus::Scheduled);
        let done = r.execution(1, later);
        assert!(done.finished_at.is_some());
        assert!(done.snapshot_notebook_path.is_some());
    }

    #[test]
    fn outcomes_are_mostly_completed() {
        let r = rec(Some(1), 1.0);
        let far = r.start + chrono::Duration::days(30);
        let mut ok = 0;
        for k in 1..=1000 {
            if r.execution(k, far).status == ExecutionStatus::Completed {
                ok += 1;
            }
        }
        assert!((780..=920).contains(&ok), "{ok}");
    }

    #[test]
    fn deleted_jobs_stop_and_cancel() {
        let mut r = rec(Some(60), 1.0);
        let t = r.start + chrono::Duration::seconds(10);
        r.terminated = Some(t);
        let later = r.start + chrono::Duration::hours(5);
        assert_eq!(r.execution_count(later), 1);
        assert_eq!(r.execution(1, later).status, ExecutionStatus::Canceled);
    }
}
