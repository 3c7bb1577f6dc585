//! Scheduled notebook jobs and their executions.
//!
//! The API has no list of jobs. The pane shows the jobs this tool created or was given by ID
//! (`:job ID`), remembered per organization in the data directory ([`store`]); the jobs the
//! audit log mentions (entries whose attributes carry a `jobID`); and the whole list when a
//! server answers `GET /v1/jobs`. Deleted jobs stay readable in the API; they are shown only
//! while remembered here.

pub mod form;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use serde_json::Value;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{Expect, OpKind, Planned};
use crate::state::{PaneId, State, age, short_id};
use crate::theme::{Tone, tone_of};
use crate::widgets::confirm::TypedConfirm;
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::Modal;
use crate::widgets::table::{Column, Row, TableState};
use crate::widgets::toast::Level;

pub use form::planned_create;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Jobs, "enter", Action::Details, "runs", "Executions of the job, with recent durations"),
    (Context::Jobs, "c", Action::Create, "create", "Create a scheduled notebook job"),
    (Context::Jobs, "ctrl-d", Action::Delete, "delete", "Delete the job (type its name to confirm)"),
    (Context::Jobs, "y", Action::Copy, "copy id", "Copy the job's ID"),
];

/// The audit log is scanned for jobs at most this often.
const AUDIT_EVERY: Duration = Duration::from_secs(60);

/// Where a job in the list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Created here or added with `:job ID` (remembered in the data directory).
    Remembered,
    AuditLog,
    /// `GET /v1/jobs` answered.
    Listed,
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Source::Remembered => "here",
            Source::AuditLog => "audit",
            Source::Listed => "list",
        }
    }
}

/// The executions view of one job (enter on a job; esc goes back).
#[derive(Debug)]
pub struct ExecutionsView {
    pub job: Uuid,
    pub table: TableState,
    /// Oldest first.
    pub list: Vec<Execution>,
    pub request: Option<RequestId>,
    pub error: Option<String>,
    pub loaded: bool,
}

impl ExecutionsView {
    fn new(job: Uuid) -> Self {
        Self {
            job,
            table: TableState::new(vec![
                Column::new("#", Constraint::Length(5)),
                Column::new("STATUS", Constraint::Length(10)),
                Column::new("SCHEDULED", Constraint::Length(14)),
                Column::new("STARTED", Constraint::Length(14)).optional(2),
                Column::new("FINISHED", Constraint::Length(14)).optional(1),
                Column::new("DURATION", Constraint::Length(8)),
                Column::new("SNAPSHOT", Constraint::Fill(1)).min(12).optional(3),
            ]),
            list: Vec::new(),
            request: None,
            error: None,
            loaded: false,
        }
    }
}

#[derive(Debug)]
pub struct JobsPane {
    pub table: TableState,
    pub jobs: BTreeMap<Uuid, JobRow>,
    pub sources: BTreeMap<Uuid, Source>,
    /// IDs remembered in the data directory for this organization.
    pub remembered: BTreeSet<Uuid>,
    /// IDs the audit log mentioned so far.
    pub from_audit: BTreeSet<Uuid>,
    /// The data directory of the remembered IDs; `None` = remember nothing.
    pub data_dir: Option<PathBuf>,
    pub load_request: Option<RequestId>,
    load_queued: bool,
    pub loaded: bool,
    pub error: Option<String>,
    audit_scanned: Option<Instant>,
    pub executions: Option<ExecutionsView>,
    pub runtimes: Option<Vec<Runtime>>,
    runtimes_request: Option<RequestId>,
    /// `c` was pressed before the runtimes were known: the form opens when they arrive.
    form_waiting: bool,
    describe_request: Option<(RequestId, Uuid)>,
    add_request: Option<RequestId>,
}

impl Default for JobsPane {
    fn default() -> Self {
        Self::with_data_dir(Some(crate::config::Paths::from_env().data_dir))
    }
}

impl JobsPane {
    pub fn with_data_dir(data_dir: Option<PathBuf>) -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(14),
                Column::new("SCHEDULE", Constraint::Length(11)),
                Column::new("TARGET", Constraint::Fill(2)).min(12).optional(2),
                Column::new("RUNTIME", Constraint::Length(20)).optional(4),
                Column::new("LAST STATUS", Constraint::Length(11)),
                Column::new("LAST RUN", Constraint::Length(8)).optional(3),
                Column::new("SUCCESS", Constraint::Length(7)),
                Column::new("RUNS", Constraint::Length(5)).optional(1),
                Column::new("FROM", Constraint::Length(5)).optional(5),
            ]),
            jobs: BTreeMap::new(),
            sources: BTreeMap::new(),
            remembered: BTreeSet::new(),
            from_audit: BTreeSet::new(),
            data_dir,
            load_request: None,
            load_queued: false,
            loaded: false,
            error: None,
            audit_scanned: None,
            executions: None,
            runtimes: None,
            runtimes_request: None,
            form_waiting: false,
            describe_request: None,
            add_request: None,
        }
    }

    fn store(&self) -> Option<PathBuf> {
        self.data_dir.clone()
    }
}

fn org(state: &State) -> Option<Uuid> {
    state.data.org.value.as_ref().map(|o| o.org_id)
}

/// Reads what the pane shows (when it becomes visible and on every refresh).
pub fn refresh(state: &mut State) -> Vec<Effect> {
    // Targets are shown by workspace name.
    let mut effects: Vec<Effect> =
        if state.data.groups.value.is_none() { state.fetch(Fetch::Groups).into_iter().collect() } else { Vec::new() };
    if let Some(view) = &state.jobs.executions {
        if view.request.is_none() {
            let job = view.job;
            let (id, effect) = state.pane_fetch(PaneId::Jobs, Fetch::Jobs(JobsRequest::Executions(job)));
            if let Some(v) = state.jobs.executions.as_mut() {
                v.request = Some(id);
            }
            effects.push(effect);
        }
        return effects;
    }
    effects.extend(load(state));
    effects
}

fn load(state: &mut State) -> Vec<Effect> {
    if state.jobs.load_request.is_some() {
        state.jobs.load_queued = true;
        return Vec::new();
    }
    let scan = state.jobs.audit_scanned.is_none_or(|t| state.now.saturating_duration_since(t) >= AUDIT_EVERY);
    if scan {
        state.jobs.audit_scanned = Some(state.now);
    }
    let known: Vec<Uuid> = state.jobs.sources.keys().copied().collect();
    let request = JobsRequest::Load { org: org(state), dir: state.jobs.store(), known, scan_audit: scan };
    let (id, effect) = state.pane_fetch(PaneId::Jobs, Fetch::Jobs(request));
    state.jobs.load_request = Some(id);
    vec![effect]
}

pub fn on_reply(state: &mut State, id: RequestId, reply: Result<JobsReply, ApiError>) -> Vec<Effect> {
    let now = state.now;
    if state.jobs.load_request == Some(id) {
        state.jobs.load_request = None;
        match reply {
            Ok(JobsReply::Loaded(l)) => accept_load(state, l),
            Ok(_) => {}
            Err(e) => state.jobs.error = Some(e.to_string()),
        }
        rebuild(state);
        if std::mem::take(&mut state.jobs.load_queued) {
            return load(state);
        }
        return Vec::new();
    }
    if let Some(view) = state.jobs.executions.as_mut()
        && view.request == Some(id)
    {
        view.request = None;
        match reply {
            Ok(JobsReply::Executions { job, executions }) if job.job_id == view.job => {
                view.list = executions;
                view.loaded = true;
                view.error = None;
                let jid = job.job_id;
                if let Some(row) = state.jobs.jobs.get_mut(&jid) {
                    row.job = job;
                }
                view::rebuild_executions(state);
            }
            Ok(_) => {}
            Err(e) => view.error = Some(e.to_string()),
        }
        return Vec::new();
    }
    if state.jobs.runtimes_request == Some(id) {
        state.jobs.runtimes_request = None;
        match reply {
            Ok(JobsReply::Runtimes(r)) => state.jobs.runtimes = Some(r),
            Ok(_) => {}
            Err(e) => {
                state.toasts.push(now, Level::Error, format!("Could not read the notebook runtimes: {e}"));
            }
        }
        if std::mem::take(&mut state.jobs.form_waiting) {
            form::open(state);
        }
        return Vec::new();
    }
    if let Some((_, job_id)) = state.jobs.describe_request.take_if(|(r, _)| *r == id) {
        match reply {
            Ok(JobsReply::Described { job, parameters }) => {
                let mut value = serde_json::to_value(&job).unwrap_or_default();
                if let Value::Object(map) = &mut value {
                    map.insert("parameters".into(), serde_json::to_value(&parameters).unwrap_or_default());
                }
                let title = format!("job {}", job.name.as_deref().unwrap_or(&short_id(job_id)));
                state.modals.push(Modal::Describe(JsonView::new(title, &value)));
            }
            Ok(_) => {}
            Err(e) => state.toasts.push(now, Level::Error, format!("Could not read job {}: {e}", short_id(job_id))),
        }
        return Vec::new();
    }
    if state.jobs.add_request == Some(id) {
        state.jobs.add_request = None;
        match reply {
            Ok(JobsReply::Added { row, store_error }) => {
                let id = row.job.job_id;
                let name = display_name(&row.job);
                state.jobs.remembered.insert(id);
                state.jobs.sources.insert(id, Source::Remembered);
                state.jobs.jobs.insert(id, row);
                rebuild(state);
                state.jobs.table.select_key(&id.to_string());
                state.toasts.push(
                    now,
                    Level::Success,
                    format!("Added job {name}; it is remembered for this organization"),
                );
                warn_store(state, store_error);
            }
            Ok(_) => {}
            Err(e) => state.toasts.push(now, Level::Error, format!("Could not add the job: {e}")),
        }
    }
    Vec::new()
}

fn warn_store(state: &mut State, error: Option<String>) {
    if let Some(e) = error {
        state.toasts.push(state.now, Level::Error, format!("The job list could not be saved: {e}"));
    }
}

fn accept_load(state: &mut State, l: Loaded) {
    let pane = &mut state.jobs;
    pane.loaded = true;
    pane.error = l.store_error.clone();
    pane.remembered.extend(l.remembered.iter().copied());
    pane.from_audit.extend(l.from_audit.iter().copied());
    let listed: BTreeSet<Uuid> = l.listed.iter().flatten().copied().collect();
    for row in l.jobs {
        let id = row.job.job_id;
        let source = if pane.remembered.contains(&id) {
            Source::Remembered
        } else if listed.contains(&id) {
            Source::Listed
        } else {
            Source::AuditLog
        };
        // Jobs deleted elsewhere are of interest only while this tool remembers them.
        if row.job.terminated_at.is_some() && source != Source::Remembered {
            pane.jobs.remove(&id);
            pane.sources.remove(&id);
            continue;
        }
        pane.sources.insert(id, source);
        pane.jobs.insert(id, row);
    }
    for (id, _) in &l.failed {
        // A job that no longer exists is dropped; other failures keep the last good row.
        if !pane.jobs.contains_key(id) {
            pane.sources.remove(id);
        }
    }
}

/// One of this pane's changes was accepted; `reply` is what the API answered.
pub fn on_changed(state: &mut State, reply: &JobsReply) -> Vec<Effect> {
    match reply {
        JobsReply::Created { job, store_error } => {
            let id = job.job_id;
            state.jobs.remembered.insert(id);
            state.jobs.sources.insert(id, Source::Remembered);
            state.jobs.jobs.insert(id, JobRow { job: job.clone(), last: None });
            rebuild(state);
            state.jobs.table.select_key(&id.to_string());
            warn_store(state, store_error.clone());
        }
        JobsReply::Deleted { id, store_error } => {
            state.jobs.remembered.remove(id);
            state.jobs.from_audit.remove(id);
            state.jobs.sources.remove(id);
            state.jobs.jobs.remove(id);
            rebuild(state);
            warn_store(state, store_error.clone());
        }
        _ => {}
    }
    Vec::new()
}

pub fn display_name(job: &Job) -> String {
    match job.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => short_id(job.job_id),
    }
}

/// "every 1h", "every 90m", "once".
pub fn schedule_text(s: &JobSchedule) -> String {
    match (&s.mode, s.execution_interval_in_minutes) {
        (ScheduleMode::Recurring, Some(m)) if m > 0 && m % 1440 == 0 => format!("every {}d", m / 1440),
        (ScheduleMode::Recurring, Some(m)) if m > 0 && m % 60 == 0 => format!("every {}h", m / 60),
        (ScheduleMode::Recurring, Some(m)) => format!("every {m}m"),
        (ScheduleMode::Recurring, None) => "recurring".into(),
        (ScheduleMode::Once, _) => "once".into(),
        (ScheduleMode::Unknown(m), _) => m.clone(),
    }
}

fn target_text(state: &State, job: &Job) -> String {
    let Some(t) = &job.target_config else { return "-".into() };
    let name = state.data.workspace(t.target_id).map_or_else(|| short_id(t.target_id), |w| w.name.clone());
    match t.database_name.as_deref().filter(|d| !d.is_empty()) {
        Some(db) => format!("{name}/{db}"),
        None => name,
    }
}

/// Completed ÷ (completed + failed + error), from the job's counters.
pub fn success_rate(job: &Job) -> Option<f64> {
    let count = |s: ExecutionStatus| job.job_metadata.iter().filter(|m| m.status == s).map(|m| m.count).sum::<i64>();
    let ok = count(ExecutionStatus::Completed);
    let done = ok + count(ExecutionStatus::Failed) + count(ExecutionStatus::Error);
    (done > 0).then(|| ok as f64 / done as f64)
}

fn last_status(row: &JobRow) -> (String, Tone) {
    if row.job.terminated_at.is_some() {
        return ("deleted".into(), Tone::Gone);
    }
    match &row.last {
        Some(e) => {
            let s = e.status.to_string();
            let tone = tone_of(&s);
            (s, tone)
        }
        None if execution_total(&row.job) > 0 => ("Scheduled".into(), Tone::Busy),
        None => ("-".into(), Tone::Neutral),
    }
}

/// Rebuilds the rows from the jobs read.
pub fn rebuild(state: &mut State) {
    let mut list: Vec<&JobRow> = state.jobs.jobs.values().collect();
    list.sort_by_cached_key(|r| (display_name(&r.job).to_lowercase(), r.job.job_id));
    let rows = list
        .into_iter()
        .map(|row| {
            let job = &row.job;
            let (status, tone) = last_status(row);
            let rate = success_rate(job);
            let rate_tone = match rate {
                Some(r) if r >= 0.9 => Tone::Good,
                Some(r) if r >= 0.7 => Tone::Idle,
                Some(_) => Tone::Bad,
                None => Tone::Neutral,
            };
            let last_run = row
                .last
                .as_ref()
                .and_then(|e| e.started_at.as_deref())
                .map_or_else(|| "-".to_string(), |t| age(state.wall, t));
            let source = state.jobs.sources.get(&job.job_id).copied().unwrap_or(Source::AuditLog);
            Row::new(
                job.job_id.to_string(),
                vec![
                    display_name(job),
                    schedule_text(&job.schedule),
                    target_text(state, job),
                    job.execution_config.runtime_name.clone().unwrap_or_else(|| "-".into()),
                    status,
                    last_run,
                    rate.map_or_else(|| "-".into(), |r| format!("{:.0}%", r * 100.0)),
                    job.completed_executions_count.to_string(),
                    source.label().to_string(),
                ],
            )
            .tone(4, tone)
            .tone(6, rate_tone)
        })
        .collect();
    state.jobs.table.set_rows(rows);
}

fn selected(state: &State) -> Option<&JobRow> {
    let id = Uuid::parse_str(state.jobs.table.selected_key()?).ok()?;
    state.jobs.jobs.get(&id)
}

pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if state.jobs.executions.is_some() {
        return view::on_executions_action(state, action);
    }
    match action {
        Action::Create => form::start(state),
        Action::Details | Action::Open => match selected(state).map(|r| r.job.job_id) {
            Some(id) => super::navigate(state, PaneId::Jobs, Some(id)),
            None => Vec::new(),
        },
        Action::Describe => match selected(state).map(|r| r.job.job_id) {
            Some(job) => {
                let (id, effect) = state.pane_fetch(PaneId::Jobs, Fetch::Jobs(JobsRequest::Describe(job)));
                state.jobs.describe_request = Some((id, job));
                vec![effect]
            }
            None => Vec::new(),
        },
        Action::Copy => match selected(state).map(|r| (display_name(&r.job), r.job.job_id)) {
            Some((name, id)) => {
                state.toasts.push(state.now, Level::Info, format!("Copied the ID of job {name}"));
                vec![Effect::Copy(id.to_string())]
            }
            None => Vec::new(),
        },
        Action::Delete => {
            let Some(row) = selected(state) else { return Vec::new() };
            let job = &row.job;
            if job.terminated_at.is_some() {
                let msg = format!("Job {} is already deleted.", display_name(job));
                state.toasts.push(state.now, Level::Error, msg);
                return Vec::new();
            }
            let name = display_name(job);
            let id = job.job_id;
            let lines = vec![
                format!(
                    "Delete job {name} ({}, {})?",
                    schedule_text(&job.schedule),
                    job.execution_config.notebook_path
                ),
                "Its schedule stops. This cannot be undone.".into(),
            ];
            let planned = Planned {
                mutation: Mutation::Job(JobsChange::Delete { org: org(state), dir: state.jobs.store(), id }),
                kind: OpKind::Change { label: "delete job", done: "deleted" },
                target: Some(id),
                name: name.clone(),
                expect: Expect::Reply,
            };
            state.modals.push(Modal::TypedConfirm(TypedConfirm::new("Delete job", lines, name, vec![planned])));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Shows the executions of `job`, or the list when `None` (a location change: enter / esc).
pub fn show(state: &mut State, job: Option<Uuid>) {
    if state.jobs.executions.as_ref().map(|v| v.job) != job {
        state.jobs.executions = job.map(ExecutionsView::new);
    }
}

/// The job whose executions are shown, if any.
pub fn drilled(state: &State) -> Option<Uuid> {
    state.jobs.executions.as_ref().map(|v| v.job)
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    view::render(frame, area, state);
}

pub fn on_timer(state: &mut State, _generation: u64) -> Vec<Effect> {
    state.dirty = false;
    Vec::new()
}

/// `:job ID` (or `:jobs ID`) from the palette: read the job and remember it.
pub fn command(state: &mut State, args: &[String]) -> Vec<Effect> {
    let Some(raw) = args.first() else { return Vec::new() };
    let Ok(id) = Uuid::parse_str(raw.trim()) else {
        state.toasts.push(state.now, Level::Error, format!("{raw:?} is not a job ID (a UUID)"));
        return Vec::new();
    };
    let request = JobsRequest::Add { org: org(state), dir: state.jobs.store(), id };
    let (rid, effect) = state.pane_fetch(PaneId::Jobs, Fetch::Jobs(request));
    state.jobs.add_request = Some(rid);
    vec![effect]
}

pub fn table(state: &State) -> &TableState {
    match &state.jobs.executions {
        Some(v) => &v.table,
        None => &state.jobs.table,
    }
}

pub fn table_mut(state: &mut State) -> &mut TableState {
    match &mut state.jobs.executions {
        Some(v) => &mut v.table,
        None => &mut state.jobs.table,
    }
}

/// Asks for the runtimes (once) so the create form can offer them.
fn ask_runtimes(state: &mut State) -> Vec<Effect> {
    if state.jobs.runtimes_request.is_some() {
        return Vec::new();
    }
    let (id, effect) = state.pane_fetch(PaneId::Jobs, Fetch::Jobs(JobsRequest::Runtimes));
    state.jobs.runtimes_request = Some(id);
    vec![effect]
}
