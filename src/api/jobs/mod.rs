//! Scheduled notebook jobs and their executions.

pub mod store;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Map;
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::types::*;
use super::wire::whole;
use crate::wire_enum;
use futures_util::stream::{self, StreamExt};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use store::RememberedJobs;

wire_enum!(ScheduleMode { Once = "Once", Recurring = "Recurring" });

wire_enum!(
    /// What a job runs against: `Workspace`/`VirtualWorkspace` at v1, `Cluster`/`VirtualCluster`
    /// at v2 (at v1 `Cluster` meant a legacy self-managed cluster).
    TargetType {
        Workspace = "Workspace",
        Cluster = "Cluster",
        VirtualWorkspace = "VirtualWorkspace",
        VirtualCluster = "VirtualCluster",
    }
);

wire_enum!(ExecutionStatus {
    /// The server's own `Unknown` status (distinct from a value this build does not know).
    Unreported = "Unknown",
    Scheduled = "Scheduled",
    Running = "Running",
    Completed = "Completed",
    Failed = "Failed",
    Error = "Error",
    Canceled = "Canceled",
});

wire_enum!(ParameterType { String = "string", Integer = "integer", Float = "float", Boolean = "boolean" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSchedule {
    pub mode: ScheduleMode,
    #[serde(default)]
    pub start_at: Option<String>,
    #[serde(default)]
    pub execution_interval_in_minutes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTargetConfig {
    #[serde(rename = "targetID")]
    pub target_id: Uuid,
    pub target_type: TargetType,
    /// Optional on create; always present in replies.
    #[serde(default)]
    pub resume_target: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecutionConfig {
    pub notebook_path: String,
    #[serde(default)]
    pub create_snapshot: bool,
    #[serde(default)]
    pub max_allowed_execution_duration_in_minutes: i64,
    /// Not in the reply schema, but sent back by newer servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCreateExecutionConfig {
    pub notebook_path: String,
    pub create_snapshot: bool,
    #[serde(default)]
    pub runtime_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobParameter {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParameterType,
    /// Always a string on the wire (`"True"` for a boolean).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobMetadata {
    pub status: ExecutionStatus,
    pub count: i64,
    #[serde(default, serialize_with = "whole::serialize")]
    pub avg_duration_in_seconds: Option<f64>,
    #[serde(default, serialize_with = "whole::serialize")]
    pub max_duration_in_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    #[serde(rename = "jobID")]
    pub job_id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enqueued_by: Option<Uuid>,
    #[serde(default)]
    pub terminated_at: Option<String>,
    #[serde(default)]
    pub completed_executions_count: i64,
    pub execution_config: JobExecutionConfig,
    pub schedule: JobSchedule,
    #[serde(default)]
    pub target_config: Option<JobTargetConfig>,
    #[serde(default)]
    pub job_metadata: Vec<JobMetadata>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCreate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub execution_config: JobCreateExecutionConfig,
    pub schedule: JobSchedule,
    #[serde(default)]
    pub target_config: Option<JobTargetConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<JobParameter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    #[serde(rename = "executionID")]
    pub execution_id: Uuid,
    pub execution_number: i64,
    #[serde(rename = "jobID")]
    pub job_id: Uuid,
    pub status: ExecutionStatus,
    pub scheduled_start_time: String,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub snapshot_notebook_path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionsMetadata {
    pub start_execution_number: i64,
    pub end_execution_number: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionsResult {
    pub executions: Vec<Execution>,
    pub executions_metadata: ExecutionsMetadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Runtime {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl Client {
    pub async fn create_job(&self, body: &JobCreate) -> Result<Job, ApiError> {
        self.send(Method::POST, &format!("{}/jobs", self.prefix()), vec![], body).await
    }

    pub async fn job(&self, id: Uuid) -> Result<Job, ApiError> {
        self.get(&format!("{}/jobs/{id}", self.prefix()), vec![]).await
    }

    pub async fn delete_job(&self, id: Uuid) -> Result<bool, ApiError> {
        self.call(Method::DELETE, &format!("{}/jobs/{id}", self.prefix()), vec![], None).await
    }

    /// Executions numbered `start..=end`.
    pub async fn job_executions(&self, id: Uuid, start: i64, end: i64) -> Result<ExecutionsResult, ApiError> {
        let q = vec![("start".to_string(), start.to_string()), ("end".to_string(), end.to_string())];
        self.get(&format!("{}/jobs/{id}/executions", self.prefix()), q).await
    }

    pub async fn job_parameters(&self, id: Uuid) -> Result<Vec<JobParameter>, ApiError> {
        self.get(&format!("{}/jobs/{id}/parameters", self.prefix()), vec![]).await
    }

    pub async fn job_runtimes(&self) -> Result<Vec<Runtime>, ApiError> {
        self.get(&format!("{}/jobs/runtimes", self.prefix()), vec![]).await
    }

    /// `GET /v1/jobs` is in no spec version; `None` when the server does not offer it (it
    /// answers 404, 405, or 400 taking `jobs` for a job ID), and then it is not asked again.
    pub async fn list_jobs(&self) -> Result<Option<Vec<Job>>, ApiError> {
        self.get_if_offered(&format!("{}/jobs", self.prefix()), &[400, 404, 405]).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// How many jobs are read at once.
const FAN_OUT: usize = 4;

/// Executions shown in the executions view (the newest ones).
pub const EXECUTION_WINDOW: i64 = 60;

/// Audit entries scanned for job IDs.
const AUDIT_LIMIT: u32 = 1000;

/// A job as last read, with its most recent execution that started.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub job: Job,
    pub last: Option<Execution>,
}

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum JobsRequest {
    /// Every job the dashboard knows of: remembered, found in the audit log, listed, or `known`.
    Load {
        org: Option<Uuid>,
        dir: Option<PathBuf>,
        known: Vec<Uuid>,
        scan_audit: bool,
    },
    /// The newest executions of a job (and the job, for its count).
    Executions(Uuid),
    /// The job with its parameters, for describe.
    Describe(Uuid),
    Runtimes,
    /// The API's list of jobs, for a create whose reply was lost (`None`: no such route).
    List,
    /// `:job ID`: read it and remember it.
    Add {
        org: Option<Uuid>,
        dir: Option<PathBuf>,
        id: Uuid,
    },
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum JobsChange {
    Create { org: Option<Uuid>, dir: Option<PathBuf>, body: Box<JobCreate> },
    Delete { org: Option<Uuid>, dir: Option<PathBuf>, id: Uuid },
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub remembered: Vec<Uuid>,
    pub from_audit: Vec<Uuid>,
    pub listed: Option<Vec<Uuid>>,
    pub jobs: Vec<JobRow>,
    /// Jobs that could not be read: (id, why).
    pub failed: Vec<(Uuid, String)>,
    /// The remembered IDs could not be read.
    pub store_error: Option<String>,
}

#[derive(Debug)]
pub enum JobsReply {
    Loaded(Loaded),
    Executions {
        job: Job,
        executions: Vec<Execution>,
    },
    Described {
        job: Job,
        parameters: Vec<JobParameter>,
    },
    Runtimes(Vec<Runtime>),
    Listed(Option<Vec<Job>>),
    /// What the create form offers: the runtimes, and the notebooks of the shared Files space
    /// (or why they could not be read: the form then takes a typed path).
    FormChoices {
        runtimes: Vec<Runtime>,
        notebooks: Result<Vec<String>, String>,
    },
    Added {
        row: JobRow,
        store_error: Option<String>,
    },
    Created {
        job: Job,
        store_error: Option<String>,
    },
    Deleted {
        id: Uuid,
        store_error: Option<String>,
    },
}

async fn org_id(client: &Client, given: Option<Uuid>) -> Result<Uuid, ApiError> {
    match given {
        Some(id) => Ok(id),
        None => Ok(client.organization().await?.org_id),
    }
}

/// Executions that exist, by the job's per-status counts.
pub fn execution_total(job: &Job) -> i64 {
    job.job_metadata.iter().map(|m| m.count).sum()
}

/// A job and its most recent execution that started.
async fn read_row(client: &Client, id: Uuid) -> Result<JobRow, ApiError> {
    let job = client.job(id).await?;
    let n = execution_total(&job);
    let last = if n > 0 {
        let window = client.job_executions(id, (n - 3).max(1), n).await?;
        window.executions.into_iter().filter(|e| e.started_at.is_some()).max_by_key(|e| e.execution_number)
    } else {
        None
    };
    Ok(JobRow { job, last })
}

/// Job IDs an audit entry names: `attributes.jobID` (or `jobId`) and labels `jobID:<uuid>`.
pub fn job_ids_in(entry: &AuditLog) -> Vec<Uuid> {
    let mut ids = Vec::new();
    if let Some(Value::Object(attrs)) = &entry.attributes {
        for key in ["jobID", "jobId", "job_id"] {
            if let Some(id) = attrs.get(key).and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()) {
                ids.push(id);
            }
        }
    }
    for label in &entry.labels {
        if let Some(id) = label.strip_prefix("jobID:").and_then(|s| Uuid::parse_str(s.trim()).ok()) {
            ids.push(id);
        }
    }
    ids
}

async fn scan_audit(client: &Client) -> Vec<Uuid> {
    let query = AuditLogQuery { limit: Some(AUDIT_LIMIT), sort_by_descending: Some(true), ..Default::default() };
    // The audit log is an Enterprise feature; without it only the remembered jobs are known.
    let Ok(page) = client.audit_logs(&query).await else { return Vec::new() };
    let mut ids: Vec<Uuid> = page.audit_logs.iter().flat_map(job_ids_in).collect();
    ids.sort();
    ids.dedup();
    ids
}

impl JobsRequest {
    pub async fn send(self, client: &Client) -> Result<JobsReply, ApiError> {
        let request = self;
        match request {
            JobsRequest::Load { org, dir, known, scan_audit: scan } => {
                let mut loaded = Loaded::default();
                let store = dir.map(|d| RememberedJobs::in_dir(&d));
                if store.is_some() {
                    let org = org_id(client, org).await?;
                    match store::run(store, move |s| s.load(org)).await {
                        Some(Ok(ids)) => loaded.remembered = ids,
                        Some(Err(e)) => loaded.store_error = Some(e),
                        None => {}
                    }
                }
                let listed = client.list_jobs().await?;
                if scan {
                    loaded.from_audit = scan_audit(client).await;
                }
                let mut ids: BTreeSet<Uuid> = known.into_iter().collect();
                ids.extend(&loaded.remembered);
                ids.extend(&loaded.from_audit);
                if let Some(list) = &listed {
                    ids.extend(list.iter().map(|j| j.job_id));
                }
                loaded.listed = listed.map(|l| l.into_iter().map(|j| j.job_id).collect());
                let results: Vec<(Uuid, Result<JobRow, ApiError>)> = stream::iter(ids)
                    .map(|id| async move { (id, read_row(client, id).await) })
                    .buffer_unordered(FAN_OUT)
                    .collect()
                    .await;
                for (id, r) in results {
                    match r {
                        Ok(row) => loaded.jobs.push(row),
                        Err(e) => loaded.failed.push((id, e.to_string())),
                    }
                }
                Ok(JobsReply::Loaded(loaded))
            }
            JobsRequest::Executions(id) => {
                let job = client.job(id).await?;
                let n = execution_total(&job);
                let executions = if n > 0 {
                    client.job_executions(id, (n - EXECUTION_WINDOW + 1).max(1), n).await?.executions
                } else {
                    Vec::new()
                };
                Ok(JobsReply::Executions { job, executions })
            }
            JobsRequest::Describe(id) => {
                let job = client.job(id).await?;
                let parameters = client.job_parameters(id).await?;
                Ok(JobsReply::Described { job, parameters })
            }
            JobsRequest::Runtimes => {
                let (runtimes, notebooks) =
                    tokio::join!(client.job_runtimes(), client.files_notebooks(crate::api::files::FileSpace::Shared));
                Ok(JobsReply::FormChoices { runtimes: runtimes?, notebooks: notebooks.map_err(|e| e.to_string()) })
            }
            JobsRequest::List => Ok(JobsReply::Listed(client.list_jobs().await?)),
            JobsRequest::Add { org, dir, id } => {
                let row = read_row(client, id).await?;
                let store = dir.map(|d| RememberedJobs::in_dir(&d));
                let org = if store.is_some() { Some(org_id(client, org).await?) } else { None };
                let store_error = match org {
                    Some(org) => store::run(store, move |s| s.add(org, id)).await.and_then(Result::err),
                    None => None,
                };
                Ok(JobsReply::Added { row, store_error })
            }
        }
    }
}

impl JobsChange {
    pub async fn send(self, client: &Client) -> Result<JobsReply, ApiError> {
        let change = self;
        match change {
            JobsChange::Create { org, dir, body } => {
                let job = client.create_job(&body).await?;
                let id = job.job_id;
                // The job exists now; failing to remember it is a warning, not a failed create.
                let store_error = remember(client, org, dir, move |s, org| s.add(org, id)).await;
                Ok(JobsReply::Created { job, store_error })
            }
            JobsChange::Delete { org, dir, id } => {
                client.delete_job(id).await?;
                let store_error = remember(client, org, dir, move |s, org| s.remove(org, id)).await;
                Ok(JobsReply::Deleted { id, store_error })
            }
        }
    }
}

async fn remember(
    client: &Client,
    org: Option<Uuid>,
    dir: Option<PathBuf>,
    f: impl FnOnce(&RememberedJobs, Uuid) -> Result<(), String> + Send + 'static,
) -> Option<String> {
    let store = dir.map(|d| RememberedJobs::in_dir(&d))?;
    let org = match org_id(client, org).await {
        Ok(org) => org,
        Err(e) => return Some(format!("cannot tell the organization to remember the job in: {e}")),
    };
    store::run(Some(store), move |s| f(s, org)).await.and_then(Result::err)
}
