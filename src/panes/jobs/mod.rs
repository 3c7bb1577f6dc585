//! Scheduled notebook jobs and their executions.
//!
//! The API has no list of jobs. The pane shows the jobs this tool created or was given by ID
//! (`:job ID`), remembered per organization in the data directory ([`store`]); the jobs the
//! audit log mentions (entries whose attributes carry a `jobID`); and the whole list when a
//! server answers `GET /v1/jobs`. Deleted jobs stay readable in the API; they are shown only
//! while remembered here.

pub mod form;
pub mod view;

use crate::widgets::modal::FormPurpose;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use serde_json::Value;
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Data, PaneId};
use crate::state::{Purpose, Resource, age, short_id};
use crate::theme::{Tone, tone_of};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::Modal;
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{Column, Row, TableState};
use crate::widgets::toast::Level;

pub use form::planned_create;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Jobs), "enter", Action::Details, "runs", "Executions of the job, with recent durations"),
    (Context::Pane(PaneId::Jobs), "c", Action::Create, "create", "Create a scheduled notebook job"),
    (Context::Pane(PaneId::Jobs), "ctrl-d", Action::Delete, "delete", "Delete the job (type its name to confirm)"),
    (Context::Pane(PaneId::Jobs), "y", Action::Copy, "copy id", "Copy the job's ID"),
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
    /// Its value is set once a read succeeded; its error says when the last one failed.
    pub read: Resource<()>,
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
            read: Resource::default(),
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
    /// Overrides the session's data folder.
    pub data_dir: Option<PathBuf>,
    /// The load of every known job (its value: whether a load ever finished).
    pub load: Resource<()>,
    /// Requests for known jobs the load in flight was charged to the request budget.
    load_charged: usize,
    /// Why the remembered jobs could not be read or saved.
    pub error: Option<String>,
    audit_scanned: Option<Instant>,
    pub executions: Option<ExecutionsView>,
    pub runtimes: Option<Vec<Runtime>>,
    /// Notebooks of the shared Files space, for the create form (or why they could not be read).
    pub notebooks: Option<Result<Vec<String>, String>>,
    runtimes_read: Resource<()>,
    /// `c` was pressed before the runtimes were known: the form opens when they arrive.
    form_waiting: bool,
    /// A describe waiting for the job and its parameters (which job).
    describing: Resource<Uuid>,
    /// `:job ID` being read.
    adding: Resource<()>,
}

impl Default for JobsPane {
    fn default() -> Self {
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
            data_dir: None,
            load: Resource::default(),
            load_charged: 0,
            error: None,
            audit_scanned: None,
            executions: None,
            runtimes: None,
            notebooks: None,
            runtimes_read: Resource::default(),
            form_waiting: false,
            describing: Resource::default(),
            adding: Resource::default(),
        }
    }
}

impl JobsPane {
    /// Where remembered jobs are kept: the pane's own folder if one was set, else the session's.
    fn store(&self, cx: &Ctx) -> Option<PathBuf> {
        self.data_dir.clone().or_else(|| cx.session.data_dir.clone())
    }

    /// Why the runtimes the create form offers could not be read, while they are unknown.
    fn runtimes_failure(&self) -> Option<&crate::state::Failure> {
        self.runtimes_read.error.as_ref().filter(|_| self.runtimes.is_none())
    }
}

pub(super) fn org(cx: &Ctx) -> Option<Uuid> {
    cx.data.org.value.as_ref().map(|o| o.org_id)
}

/// Reads what the pane shows (when it becomes visible and on every refresh).
pub fn refresh(p: &mut JobsPane, cx: &mut Ctx) -> Vec<Effect> {
    // Targets are shown by workspace (v1) or cluster (v2) name.
    let names = match cx.session.api_version {
        ApiVersion::V1 => cx.data.groups.value.is_none().then_some(Fetch::Groups),
        ApiVersion::V2 => cx.data.clusters.value.is_none().then_some(Fetch::Clusters(ClustersRequest::List)),
    };
    let mut effects: Vec<Effect> = names.and_then(|f| cx.fetch(f)).into_iter().collect();
    if let Some(view) = &p.executions {
        if !view.read.in_flight() {
            let job = view.job;
            if let Some(v) = p.executions.as_mut() {
                let id = v.read.restart(cx.requests, Purpose::Pane(PaneId::Jobs));
                effects.push(Effect::Fetch { id, fetch: Fetch::Jobs(JobsRequest::Executions(job)) });
            }
        }
        return effects;
    }
    effects.extend(load(p, cx));
    effects
}

/// Requests a load spends on one job: the job, and its last execution once it has run.
fn read_cost(row: &JobRow) -> usize {
    1 + usize::from(execution_total(&row.job) > 0)
}

fn load(p: &mut JobsPane, cx: &mut Ctx) -> Vec<Effect> {
    let scan = p.audit_scanned.is_none_or(|t| cx.now.saturating_duration_since(t) >= AUDIT_EVERY);
    // A load reads every known job (and the list and the audit log): idle refreshes wait for
    // the request budget (see `budget`), so many jobs mean a slower cadence, not a faster
    // rate. The first load and ctrl-r go at once.
    if !p.load.in_flight() {
        let asked = cx.budget.everything || p.load.value.is_none();
        let jobs = p.sources.keys().filter_map(|id| p.jobs.get(id)).map(read_cost).sum::<usize>();
        let (now, rate, period) = (cx.now, cx.session.request_rate, cx.session.refresh_every);
        if !cx.budget.afford(now, rate, period, jobs + 1 + usize::from(scan), asked) {
            return Vec::new();
        }
        p.load_charged = jobs;
    }
    let Some(id) = p.load.start(cx.requests, Purpose::Pane(PaneId::Jobs)) else { return Vec::new() };
    if scan {
        p.audit_scanned = Some(cx.now);
    }
    let known: Vec<Uuid> = p.sources.keys().copied().collect();
    let request = JobsRequest::Load { org: org(cx), dir: p.store(cx), known, scan_audit: scan };
    vec![Effect::Fetch { id, fetch: Fetch::Jobs(request) }]
}

pub fn on_reply(p: &mut JobsPane, cx: &mut Ctx, id: RequestId, reply: Result<JobsReply, ApiError>) -> Vec<Effect> {
    let now = cx.now;
    if p.load.finish(id) {
        match reply {
            Ok(JobsReply::Loaded(l)) => {
                (p.load.value, p.load.fetched_at, p.load.error) = (Some(()), Some(now), None);
                // Jobs found on the way (in the audit log, the list) were read too: the budget
                // pays for them now, so the next idle load waits for them as well.
                let read = l.jobs.iter().map(read_cost).sum::<usize>() + l.failed.len();
                let (rate, period) = (cx.session.request_rate, cx.session.refresh_every);
                cx.budget.spend(now, rate, period, read.saturating_sub(std::mem::take(&mut p.load_charged)));
                accept_load(p, l)
            }
            Ok(_) => {}
            // The jobs read before stay; the title says the refresh failed and since when.
            Err(e) => p.load.fail(crate::state::Failure::from_api(&e, now)),
        }
        rebuild(p, cx);
        if p.load.take_queued() {
            return load(p, cx);
        }
        return Vec::new();
    }
    if let Some(view) = p.executions.as_mut()
        && view.read.owns(id)
    {
        match reply {
            Ok(JobsReply::Executions { job, executions }) if job.job_id == view.job => {
                view.list = executions;
                view.read.accept(id, Ok(()), now);
                let jid = job.job_id;
                if let Some(row) = p.jobs.get_mut(&jid) {
                    row.job = job;
                }
                view::rebuild_executions(p, cx);
            }
            Ok(_) => {
                view.read.finish(id);
            }
            // The rows read before stay; the view says the refresh failed and since when.
            Err(e) => {
                view.read.accept(id, Err(crate::state::Failure::from_api(&e, now)), now);
            }
        }
        return Vec::new();
    }
    if p.runtimes_read.finish(id) {
        match reply {
            Ok(JobsReply::Runtimes(r)) => p.runtimes = Some(r),
            Ok(JobsReply::FormChoices { runtimes, notebooks }) => {
                p.runtimes = Some(runtimes);
                p.notebooks = Some(notebooks);
            }
            Ok(_) => {}
            Err(e) => {
                let failure = crate::state::Failure::from_api(&e, now);
                let again = "The form offers the default runtime; open it again (c) to read them again.";
                cx.toasts.push(now, Level::Error, status::failed_once("notebook runtimes", &failure, again));
                p.runtimes_read.fail(failure);
            }
        }
        if std::mem::take(&mut p.form_waiting) {
            form::open(p, cx);
        }
        return Vec::new();
    }
    if let Some(job_id) = p.describing.value.filter(|_| p.describing.finish(id)) {
        match reply {
            Ok(JobsReply::Described { job, parameters }) => {
                let mut value = serde_json::to_value(&job).unwrap_or_default();
                if let Value::Object(map) = &mut value {
                    map.insert("parameters".into(), serde_json::to_value(&parameters).unwrap_or_default());
                }
                let title = format!("job {}", job.name.as_deref().unwrap_or(&short_id(job_id)));
                cx.modals.push(Modal::Describe(JsonView::new(title, &value)));
            }
            Ok(_) => {}
            Err(e) => {
                let failure = crate::state::Failure::from_api(&e, now);
                let what = format!("job {}", short_id(job_id));
                let text = status::failed_once(&what, &failure, "Press d to try again.");
                cx.toasts.push(now, Level::Error, text);
            }
        }
        return Vec::new();
    }
    if p.adding.finish(id) {
        match reply {
            Ok(JobsReply::Added { row, store_error }) => {
                let id = row.job.job_id;
                let name = display_name(&row.job);
                p.remembered.insert(id);
                p.sources.insert(id, Source::Remembered);
                p.jobs.insert(id, row);
                rebuild(p, cx);
                p.table.select_key(&id.to_string());
                cx.toasts.push(
                    now,
                    Level::Success,
                    format!("Added job {name}; it is remembered for this organization"),
                );
                warn_store(cx, store_error);
            }
            Ok(_) => {}
            Err(e) => {
                let failure = crate::state::Failure::from_api(&e, now);
                cx.toasts.push(now, Level::Error, status::failed_once("job to add", &failure, "Type :job ID again."));
            }
        }
    }
    Vec::new()
}

fn warn_store(cx: &mut Ctx, error: Option<String>) {
    if let Some(e) = error {
        cx.toasts.push(cx.now, Level::Error, format!("The job list could not be saved: {e}"));
    }
}

fn accept_load(p: &mut JobsPane, l: Loaded) {
    let pane = &mut *p;
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
pub fn on_changed(p: &mut JobsPane, cx: &mut Ctx, reply: &JobsReply) -> Vec<Effect> {
    match reply {
        JobsReply::Created { job, store_error } => {
            let id = job.job_id;
            p.remembered.insert(id);
            p.sources.insert(id, Source::Remembered);
            p.jobs.insert(id, JobRow { job: job.clone(), last: None });
            rebuild(p, cx);
            p.table.select_key(&id.to_string());
            warn_store(cx, store_error.clone());
        }
        JobsReply::Deleted { id, store_error } => {
            p.remembered.remove(id);
            p.from_audit.remove(id);
            p.sources.remove(id);
            p.jobs.remove(id);
            rebuild(p, cx);
            warn_store(cx, store_error.clone());
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

pub(super) fn target_text(data: &Data, job: &Job) -> String {
    let Some(t) = &job.target_config else { return "-".into() };
    let name = match (data.workspace(t.target_id), data.cluster(t.target_id)) {
        (Some(w), _) => w.name.clone(),
        (None, Some(c)) => c.name.clone(),
        (None, None) => short_id(t.target_id),
    };
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
pub fn rebuild(p: &mut JobsPane, cx: &Ctx) {
    let mut list: Vec<&JobRow> = p.jobs.values().collect();
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
                .map_or_else(|| "-".to_string(), |t| age(cx.wall, t));
            let source = p.sources.get(&job.job_id).copied().unwrap_or(Source::AuditLog);
            Row::new(
                job.job_id.to_string(),
                vec![
                    display_name(job),
                    schedule_text(&job.schedule),
                    target_text(cx.data, job),
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
    p.table.set_rows(rows);
}

fn selected(p: &JobsPane) -> Option<&JobRow> {
    let id = Uuid::parse_str(p.table.selected_key()?).ok()?;
    p.jobs.get(&id)
}

pub fn on_action(p: &mut JobsPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    if p.executions.is_some() {
        return view::on_executions_action(p, cx, action);
    }
    match action {
        Action::Create => form::start(p, cx),
        Action::Details | Action::Open => match selected(p).map(|r| r.job.job_id) {
            Some(id) => {
                cx.go(PaneId::Jobs, Some(id));
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::Describe => match selected(p).map(|r| r.job.job_id) {
            Some(job) => {
                let id = p.describing.restart(cx.requests, Purpose::Pane(PaneId::Jobs));
                p.describing.value = Some(job);
                vec![Effect::Fetch { id, fetch: Fetch::Jobs(JobsRequest::Describe(job)) }]
            }
            None => Vec::new(),
        },
        Action::Copy => match selected(p).map(|r| (display_name(&r.job), r.job.job_id)) {
            Some((name, id)) => cx.copy(id.to_string(), format!("Copied the ID of job {name}")),
            None => Vec::new(),
        },
        Action::Delete => {
            let Some(row) = selected(p) else { return Vec::new() };
            let job = &row.job;
            if job.terminated_at.is_some() {
                let msg = format!("Job {} is already deleted.", display_name(job));
                cx.toasts.push(cx.now, Level::Error, msg);
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
            let delete = Mutation::Job(JobsChange::Delete { org: org(cx), dir: p.store(cx), id });
            let planned = Planned::change(delete, "delete job", "deleted", Some(id), &name);
            ops::confirm_typed(cx, "Delete job", lines, name, planned);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Shows the executions of `job`, or the list when `None` (a location change: enter / esc).
pub fn show(p: &mut JobsPane, job: Option<Uuid>) {
    if p.executions.as_ref().map(|v| v.job) != job {
        p.executions = job.map(ExecutionsView::new);
    }
}

/// The job whose executions are shown, if any.
pub fn drilled(p: &JobsPane) -> Option<Uuid> {
    p.executions.as_ref().map(|v| v.job)
}

pub fn render(frame: &mut Frame, area: Rect, p: &JobsPane, cx: &View) {
    view::render(frame, area, p, cx);
}

pub fn on_timer(cx: &mut Ctx, _generation: u64) -> Vec<Effect> {
    *cx.dirty = false;
    Vec::new()
}

/// `:job ID` (or `:jobs ID`) from the palette: read the job and remember it.
pub fn command(p: &mut JobsPane, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
    let Some(raw) = args.first() else { return Vec::new() };
    let Ok(id) = Uuid::parse_str(raw.trim()) else {
        cx.toasts.push(cx.now, Level::Error, format!("{raw:?} is not a job ID (a UUID)"));
        return Vec::new();
    };
    let request = JobsRequest::Add { org: org(cx), dir: p.store(cx), id };
    let rid = p.adding.restart(cx.requests, Purpose::Pane(PaneId::Jobs));
    vec![Effect::Fetch { id: rid, fetch: Fetch::Jobs(request) }]
}

/// Asks for the runtimes (once) so the create form can offer them.
pub(super) fn ask_runtimes(p: &mut JobsPane, cx: &mut Ctx) -> Vec<Effect> {
    if p.runtimes_read.in_flight() {
        return Vec::new();
    }
    let id = p.runtimes_read.restart(cx.requests, Purpose::Pane(PaneId::Jobs));
    vec![Effect::Fetch { id, fetch: Fetch::Jobs(JobsRequest::Runtimes) }]
}

impl Pane for JobsPane {
    const ID: PaneId = PaneId::Jobs;
    const TITLE: &'static str = "Jobs";
    const COMMAND: Option<Command> =
        Some(Command { name: "jobs", aliases: &["job"], help: "Scheduled notebook jobs (:job ID adds one)" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = JobsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(self, cx)
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<JobsReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &JobsReply) -> Vec<Effect> {
        on_changed(self, cx, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_timer(&mut self, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
        on_timer(cx, generation)
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        match purpose {
            FormPurpose::CreateJob => {
                let planned = planned_create(self, cx, &f.form);
                super::ops::submit(cx, planned.map(|p| (p, None)))
            }
            _ => Vec::new(),
        }
    }

    fn command(&mut self, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
        command(self, cx, args)
    }

    fn place(&self) -> Option<Uuid> {
        drilled(self)
    }

    fn arrive(&mut self, _cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        show(self, place);
        Vec::new()
    }

    fn rebuild(&mut self, cx: &Ctx) {
        rebuild(self, cx);
    }

    fn table(&self) -> Option<&TableState> {
        Some(match &self.executions {
            Some(v) => &v.table,
            None => &self.table,
        })
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(match &mut self.executions {
            Some(v) => &mut v.table,
            None => &mut self.table,
        })
    }

    fn freshness(&self, _view: &View) -> Option<Option<Instant>> {
        Some(self.executions.as_ref().map_or(self.load.fetched_at, |v| v.read.fetched_at))
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        view::render(frame, area, self, view);
    }
}
