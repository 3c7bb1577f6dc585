//! The transfer queue (`:transfers`): uploads and downloads with progress, rate, ETA, cancel
//! and retry. Which queued transfers start is decided here ([`schedule`], pure); the runner
//! only runs them ([`run`]) and reports back with [`TransferEvent`]s.
//!
//! A folder transfer is planned first (the runner walks the local folder or lists the remote
//! one and reports which names already exist); name conflicts are then settled with the user
//! one by one (overwrite / skip / rename, or the same for all) before anything is queued.

pub mod run;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::error::ApiError;
pub use crate::api::transfer::{Plan, PlanFile};
use crate::effect::Effect;
use crate::keymap::{Context, KeyDef};
use crate::msg::Action;
pub use crate::msg::TransferEvent;
use crate::panes::pane::{Ctx, NoReply, Pane, View};
use crate::state::PaneId;
use crate::state::human_duration;
use crate::theme::Tone;
use crate::widgets::palette::Command;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Transfers), "x", Action::Cancel, "cancel", "Cancel the selected transfer"),
    (Context::Pane(PaneId::Transfers), "r", Action::Retry, "retry", "Retry the selected failed or cancelled transfer"),
];

/// Transfers running at once, by default.
pub const CONCURRENCY: usize = 4;
/// At most one progress message per transfer this often (about 10 a second).
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Rate samples closer together than this are merged, so the rate does not jitter.
const RATE_WINDOW: Duration = Duration::from_millis(250);

/// What one transfer does.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Upload {
        deployment: Uuid,
        local: PathBuf,
        remote: String,
    },
    /// `overwrite`: the user agreed to replace an existing local file.
    Download {
        deployment: Uuid,
        remote: String,
        local: PathBuf,
        overwrite: bool,
    },
    /// The remote folders of an upload batch, parents first, created before its files.
    Folders {
        deployment: Uuid,
        folders: Vec<String>,
    },
}

impl Job {
    pub fn arrow(&self) -> &'static str {
        match self {
            Job::Upload { .. } => "↑",
            Job::Download { .. } => "↓",
            Job::Folders { .. } => "+",
        }
    }

    /// What the queue shows as the transfer's name.
    pub fn name(&self) -> String {
        match self {
            Job::Upload { remote, .. } | Job::Download { remote, .. } => format!("/{remote}"),
            Job::Folders { folders, .. } => match folders.as_slice() {
                [one] => format!("/{one}"),
                many => format!("{} folders", many.len()),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Queued,
    Running,
    /// Cancel asked; waiting for the task to stop.
    Cancelling,
    Done,
    Failed(String),
    Cancelled,
}

impl Status {
    pub fn is_active(&self) -> bool {
        matches!(self, Status::Queued | Status::Running | Status::Cancelling)
    }
}

#[derive(Debug, Clone)]
pub struct Transfer {
    pub id: u64,
    pub batch: u64,
    pub job: Job,
    pub status: Status,
    pub done: u64,
    pub total: Option<u64>,
    /// A transfer that must be done before this one starts (its batch's folders).
    pub after: Option<u64>,
    pub started: Option<Instant>,
    pub finished: Option<Instant>,
    /// Bytes per second, smoothed.
    pub rate: f64,
    sample: Option<(Instant, u64)>,
    pub attempts: u32,
}

/// Transfers queued together (one `u` or `D`), reported together when the last one ends.
#[derive(Debug, Clone)]
pub struct Batch {
    pub id: u64,
    pub label: String,
    pub upload: bool,
    pub deployment: Uuid,
    pub reported: bool,
}

/// The user's answer to a name conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Overwrite,
    Skip,
    Rename,
}

/// A plan waiting for the user's answers about conflicts.
#[derive(Debug, Clone)]
pub struct PendingPlan {
    pub plan: Plan,
    pub answers: Vec<Option<Resolution>>,
    pub for_all: Option<Resolution>,
}

impl PendingPlan {
    /// The next conflicting file without an answer.
    pub fn next_question(&self) -> Option<usize> {
        self.plan.files.iter().enumerate().position(|(i, f)| f.conflict.is_some() && self.answers[i].is_none())
    }
}

/// Asked of the runner.
#[derive(Debug, Clone, PartialEq)]
pub enum TransferEffect {
    Start { id: u64, job: Job },
    Cancel { id: u64 },
    PlanUpload { plan: u64, deployment: Uuid, local: PathBuf, remote_folder: String },
    PlanDownload { plan: u64, deployment: Uuid, entries: Vec<RemoteEntry>, local_dir: PathBuf },
}

/// A file or folder of a Stage listing, as a download plan needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteEntry {
    pub path: String,
    pub is_dir: bool,
    pub size: u64,
}

/// Lets through one progress report per `every`; the final state always arrives with
/// [`TransferEvent::Finished`], so dropped reports lose nothing.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    every: Duration,
    last: Option<Instant>,
}

impl Throttle {
    pub fn new(every: Duration) -> Self {
        Self { every, last: None }
    }

    pub fn ready(&mut self, now: Instant) -> bool {
        match self.last {
            Some(t) if now.saturating_duration_since(t) < self.every => false,
            _ => {
                self.last = Some(now);
                true
            }
        }
    }
}

/// The transfer queue of this session: the Stage pane fills it, the runner reports into it.
#[derive(Debug)]
pub struct Transfers {
    pub list: Vec<Transfer>,
    pub batches: Vec<Batch>,
    pub plans: BTreeMap<u64, PendingPlan>,
    pub concurrency: usize,
    /// Plans the runner is working out.
    pub planning: usize,
    next_id: u64,
    next_batch: u64,
    next_plan: u64,
    /// Plans this session asked for; a plan from anywhere else (a session before a profile
    /// switch) is dropped, never queued.
    requested: std::collections::BTreeSet<u64>,
}

impl Default for Transfers {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            batches: Vec::new(),
            plans: BTreeMap::new(),
            concurrency: CONCURRENCY,
            planning: 0,
            next_id: 0,
            next_batch: 0,
            next_plan: 0,
            requested: std::collections::BTreeSet::new(),
        }
    }
}

/// The Transfers pane: the queue as a table.
#[derive(Debug)]
pub struct TransfersPane {
    pub table: TableState,
}

impl Default for TransfersPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("", Constraint::Length(1)),
                Column::new("NAME", Constraint::Fill(3)).min(16),
                Column::new("PROGRESS", Constraint::Length(17)),
                Column::new("BYTES", Constraint::Length(19)).optional(2),
                Column::new("RATE", Constraint::Length(10)).optional(1),
                Column::new("ETA", Constraint::Length(5)).optional(3),
                Column::new("STATUS", Constraint::Fill(2)).min(10),
            ]),
        }
    }
}

impl Pane for TransfersPane {
    const ID: PaneId = PaneId::Transfers;
    const TITLE: &'static str = "Transfers";
    const COMMAND: Option<Command> =
        Some(Command { name: "transfers", aliases: &["tr"], help: "Uploads and downloads" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = NoReply;

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        let Some(id) = self.table.selected_key().and_then(|k| k.parse().ok()) else { return Vec::new() };
        match action {
            Action::Cancel => cancel(cx, id),
            Action::Retry => retry(cx, id),
            _ => Vec::new(),
        }
    }

    fn rebuild(&mut self, cx: &Ctx) {
        self.table.set_rows(rows(cx.transfers, cx.now));
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}

impl Transfers {
    pub fn get(&self, id: u64) -> Option<&Transfer> {
        self.list.iter().find(|t| t.id == id)
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut Transfer> {
        self.list.iter_mut().find(|t| t.id == id)
    }

    pub fn running(&self) -> usize {
        self.list.iter().filter(|t| matches!(t.status, Status::Running | Status::Cancelling)).count()
    }

    pub fn active(&self) -> usize {
        self.list.iter().filter(|t| t.status.is_active()).count()
    }

    /// A new plan id, for a plan the runner is about to work out.
    pub fn new_plan(&mut self) -> u64 {
        self.next_plan += 1;
        self.planning += 1;
        self.requested.insert(self.next_plan);
        self.next_plan
    }

    /// A queue for a new session that goes on numbering after `previous`, so late events of the
    /// previous session's transfers and plans cannot be taken for this one's.
    pub fn after(previous: &Transfers) -> Transfers {
        Transfers {
            next_id: previous.next_id,
            next_batch: previous.next_batch,
            next_plan: previous.next_plan,
            ..Transfers::default()
        }
    }
}

// ───────────────────────────── queueing and scheduling ─────────────────────────────

/// Starts queued transfers, in order, while fewer than `concurrency` run. A transfer waits
/// until the one it depends on is done.
pub fn schedule(cx: &mut Ctx) -> Vec<Effect> {
    let now = cx.now;
    let read_only = cx.session.read_only;
    let tr = &mut cx.transfers;
    let mut running = tr.running();
    let mut effects = Vec::new();
    let done: Vec<u64> = tr.list.iter().filter(|t| t.status == Status::Done).map(|t| t.id).collect();
    for t in tr.list.iter_mut() {
        if running >= tr.concurrency {
            break;
        }
        if t.status != Status::Queued || t.after.is_some_and(|a| !done.contains(&a)) {
            continue;
        }
        // The last line of defence of read-only mode: nothing is ever written to Stage.
        if read_only && matches!(t.job, Job::Upload { .. } | Job::Folders { .. }) {
            t.status = Status::Failed("read-only: nothing is written".into());
            continue;
        }
        t.status = Status::Running;
        t.started = Some(now);
        t.finished = None;
        t.done = 0;
        t.rate = 0.0;
        t.sample = None;
        running += 1;
        effects.push(Effect::Transfer(TransferEffect::Start { id: t.id, job: t.job.clone() }));
    }
    cx.touch(&[PaneId::Transfers]);
    effects
}

/// Queues a settled plan as one batch and starts what may start.
pub fn enqueue(cx: &mut Ctx, plan: Plan, answers: &[Option<Resolution>]) -> Vec<Effect> {
    let tr = &mut cx.transfers;
    tr.next_batch += 1;
    let batch = tr.next_batch;
    let mut queued = 0usize;
    let mut bytes = 0u64;
    let mut after = None;
    if !plan.folders.is_empty() {
        tr.next_id += 1;
        after = Some(tr.next_id);
        tr.list.push(new_transfer(
            tr.next_id,
            batch,
            Job::Folders { deployment: plan.deployment, folders: plan.folders.clone() },
            None,
            None,
        ));
    }
    for (i, f) in plan.files.iter().enumerate() {
        let answer = f.conflict.as_ref().map(|_| answers.get(i).copied().flatten().unwrap_or(Resolution::Skip));
        let (mut local, mut remote, overwrite) = (f.local.clone(), f.remote.clone(), answer.is_some());
        match (answer, &f.conflict) {
            (Some(Resolution::Skip), _) => continue,
            (Some(Resolution::Rename), Some(alt)) => {
                if plan.upload {
                    remote = crate::api::stage_path::join(&crate::api::stage_path::parent(&remote), alt);
                } else {
                    local = local.with_file_name(alt);
                }
            }
            _ => {}
        }
        let overwrite = overwrite && answer == Some(Resolution::Overwrite);
        let job = if plan.upload {
            Job::Upload { deployment: plan.deployment, local, remote }
        } else {
            Job::Download { deployment: plan.deployment, remote, local, overwrite }
        };
        tr.next_id += 1;
        tr.list.push(new_transfer(tr.next_id, batch, job, Some(f.size), after));
        queued += 1;
        bytes += f.size;
    }
    tr.batches.push(Batch {
        id: batch,
        label: plan.label.clone(),
        upload: plan.upload,
        deployment: plan.deployment,
        reported: false,
    });
    let verb = if plan.upload { "upload" } else { "download" };
    let mut msg = format!("Queued {queued} {verb}(s), {}: {}", human_bytes(bytes), plan.label);
    if !plan.skipped.is_empty() {
        msg.push_str(&format!(" ({} skipped: {})", plan.skipped.len(), plan.skipped.join(", ")));
    }
    cx.toasts.push(cx.now, Level::Info, msg);
    if queued == 0
        && after.is_none()
        && let Some(b) = cx.transfers.batches.last_mut()
    {
        b.reported = true;
    }
    schedule(cx)
}

fn new_transfer(id: u64, batch: u64, job: Job, total: Option<u64>, after: Option<u64>) -> Transfer {
    Transfer {
        id,
        batch,
        job,
        status: Status::Queued,
        done: 0,
        total,
        after,
        started: None,
        finished: None,
        rate: 0.0,
        sample: None,
        attempts: 1,
    }
}

/// A report from the runner.
pub fn on_event(cx: &mut Ctx, event: TransferEvent) -> Vec<Effect> {
    let now = cx.now;
    match event {
        TransferEvent::Progress { id, done, total } => {
            if let Some(t) = cx.transfers.get_mut(id)
                && matches!(t.status, Status::Running | Status::Cancelling)
            {
                t.done = done;
                if total.is_some() {
                    t.total = total;
                }
                sample_rate(t, now);
            }
            cx.touch(&[PaneId::Transfers]);
            Vec::new()
        }
        TransferEvent::Finished { id, result } => {
            let Some(t) = cx.transfers.get_mut(id) else { return Vec::new() };
            t.finished = Some(now);
            match result {
                Ok(n) => {
                    t.status = Status::Done;
                    if !matches!(t.job, Job::Folders { .. }) {
                        t.done = n;
                        t.total = Some(t.total.unwrap_or(n).max(n));
                    }
                }
                Err(ApiError::Cancelled) => t.status = Status::Cancelled,
                Err(e) => t.status = Status::Failed(e.to_string()),
            }
            let batch = t.batch;
            let mut effects = schedule(cx);
            effects.extend(finish_batch(cx, batch));
            effects
        }
        TransferEvent::Planned { plan, result } => {
            cx.transfers.planning = cx.transfers.planning.saturating_sub(1);
            on_planned(cx, plan, result)
        }
    }
}

fn on_planned(cx: &mut Ctx, plan: u64, result: Result<Plan, String>) -> Vec<Effect> {
    let now = cx.now;
    if !cx.transfers.requested.remove(&plan) {
        return Vec::new();
    }
    match result {
        Err(e) => {
            cx.toasts.push(now, Level::Error, e);
            Vec::new()
        }
        Ok(p) => {
            let answers = vec![None; p.files.len()];
            cx.transfers.plans.insert(plan, PendingPlan { plan: p, answers, for_all: None });
            advance_plan(cx, plan)
        }
    }
}

fn sample_rate(t: &mut Transfer, now: Instant) {
    let (t0, b0) = *t.sample.get_or_insert((t.started.unwrap_or(now), 0));
    let dt = now.saturating_duration_since(t0);
    if dt >= RATE_WINDOW {
        let inst = t.done.saturating_sub(b0) as f64 / dt.as_secs_f64();
        t.rate = if t.rate <= 0.0 { inst } else { 0.6 * t.rate + 0.4 * inst };
        t.sample = Some((now, t.done));
    }
}

/// When the last transfer of a batch ends: one line for the user, and the Stage listing
/// re-read if it shows that deployment.
fn finish_batch(cx: &mut Ctx, batch: u64) -> Vec<Effect> {
    let members: Vec<&Transfer> = cx.transfers.list.iter().filter(|t| t.batch == batch).collect();
    if members.iter().any(|t| t.status.is_active()) {
        return Vec::new();
    }
    let files: Vec<&&Transfer> = members.iter().filter(|t| !matches!(t.job, Job::Folders { .. })).collect();
    let ok = files.iter().filter(|t| t.status == Status::Done).count();
    let bytes: u64 = files.iter().filter(|t| t.status == Status::Done).map(|t| t.done).sum();
    let failed = members.iter().filter(|t| matches!(t.status, Status::Failed(_))).count();
    let Some(b) = cx.transfers.batches.iter_mut().find(|b| b.id == batch) else { return Vec::new() };
    let effects = Vec::new();
    let first_report = !b.reported;
    b.reported = true;
    let (label, upload, deployment) = (b.label.clone(), b.upload, b.deployment);
    if first_report || failed == 0 {
        let verb = if upload { "Uploaded" } else { "Downloaded" };
        if failed > 0 {
            let msg = format!(
                "{verb} {ok} of {} file(s) of {label}; {failed} failed (see :transfers, r retries)",
                files.len()
            );
            cx.toasts.push(cx.now, Level::Error, msg);
        } else {
            cx.toasts.push(cx.now, Level::Success, format!("{verb} {ok} file(s), {}: {label}", human_bytes(bytes)));
        }
    }
    if upload && cx.here == PaneId::Stage {
        cx.reload(PaneId::Stage, deployment);
    }
    effects
}

/// Asks about the next conflict of plan `id`, or queues the plan when none is left.
pub fn advance_plan(cx: &mut Ctx, id: u64) -> Vec<Effect> {
    loop {
        let Some(pending) = cx.transfers.plans.get_mut(&id) else { return Vec::new() };
        match pending.next_question() {
            Some(i) => match pending.for_all {
                Some(r) => pending.answers[i] = Some(r),
                None => {
                    let asked = cx.now;
                    cx.modals.push(crate::widgets::modal::Modal::Files(super::stage::FilesModal::Conflict {
                        plan: id,
                        file: i,
                        asked,
                    }));
                    return Vec::new();
                }
            },
            None => {
                let Some(p) = cx.transfers.plans.remove(&id) else { return Vec::new() };
                return enqueue(cx, p.plan, &p.answers);
            }
        }
    }
}

/// The user's answer to the conflict about `file` of plan `id`; `None` drops the whole plan.
pub fn answer(cx: &mut Ctx, id: u64, file: usize, answer: Option<(Resolution, bool)>) -> Vec<Effect> {
    match answer {
        None => {
            if let Some(p) = cx.transfers.plans.remove(&id) {
                let what = if p.plan.upload { "Upload" } else { "Download" };
                cx.toasts.push(
                    cx.now,
                    Level::Info,
                    format!("{what} of {} cancelled: nothing was transferred", p.plan.label),
                );
            }
            Vec::new()
        }
        Some((r, all)) => {
            if let Some(p) = cx.transfers.plans.get_mut(&id) {
                if let Some(a) = p.answers.get_mut(file) {
                    *a = Some(r);
                }
                if all {
                    p.for_all = Some(r);
                }
            }
            advance_plan(cx, id)
        }
    }
}

// ───────────────────────────── actions ─────────────────────────────

/// Cancels a transfer (and whatever waits for it).
pub fn cancel(cx: &mut Ctx, id: u64) -> Vec<Effect> {
    let now = cx.now;
    let mut effects = Vec::new();
    let dependents: Vec<u64> = cx.transfers.list.iter().filter(|t| t.after == Some(id)).map(|t| t.id).collect();
    for tid in std::iter::once(id).chain(dependents) {
        let Some(t) = cx.transfers.get_mut(tid) else { continue };
        match t.status {
            Status::Queued => {
                t.status = Status::Cancelled;
                t.finished = Some(now);
            }
            Status::Running => {
                t.status = Status::Cancelling;
                effects.push(Effect::Transfer(TransferEffect::Cancel { id: tid }));
            }
            _ => {}
        }
    }
    let batch = cx.transfers.get(id).map(|t| t.batch);
    effects.extend(schedule(cx));
    if let Some(b) = batch {
        effects.extend(finish_batch(cx, b));
    }
    effects
}

/// Queues a failed or cancelled transfer again (and the ones that waited for it).
pub fn retry(cx: &mut Ctx, id: u64) -> Vec<Effect> {
    let dependents: Vec<u64> = cx.transfers.list.iter().filter(|t| t.after == Some(id)).map(|t| t.id).collect();
    let mut any = false;
    for tid in std::iter::once(id).chain(dependents) {
        if let Some(t) = cx.transfers.get_mut(tid)
            && matches!(t.status, Status::Failed(_) | Status::Cancelled)
        {
            t.status = Status::Queued;
            t.done = 0;
            t.finished = None;
            t.attempts += 1;
            any = true;
        }
    }
    if !any {
        cx.toasts.push(cx.now, Level::Info, "Only failed or cancelled transfers can be retried.");
        return Vec::new();
    }
    if let Some(batch) = cx.transfers.get(id).map(|t| t.batch)
        && let Some(b) = cx.transfers.batches.iter_mut().find(|b| b.id == batch)
    {
        b.reported = false;
    }
    schedule(cx)
}

pub fn on_timer(_cx: &mut Ctx, _generation: u64) -> Vec<Effect> {
    Vec::new()
}

// ───────────────────────────── display ─────────────────────────────

/// `12.3 MB`, decimal units as file managers show them.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if v < 10.0 { format!("{v:.1} {}", UNITS[unit]) } else { format!("{v:.0} {}", UNITS[unit]) }
}

/// `██████░░░░ 60%`, `width` cells of bar.
pub fn bar(fraction: f64, width: usize) -> String {
    let f = fraction.clamp(0.0, 1.0);
    let full = (f * width as f64).round() as usize;
    format!("{}{} {:>3}%", "█".repeat(full), "░".repeat(width - full), (f * 100.0).floor() as u32)
}

fn fraction(t: &Transfer) -> Option<f64> {
    match (t.status.clone(), t.total) {
        (Status::Done, _) => Some(1.0),
        (_, Some(0)) => None,
        (_, Some(total)) => Some(t.done as f64 / total as f64),
        _ => None,
    }
}

fn rows(transfers: &Transfers, now: Instant) -> Vec<Row> {
    transfers
        .list
        .iter()
        .rev()
        .map(|t| {
            let (status, tone) = match &t.status {
                Status::Queued
                    if t.after.is_some_and(|a| {
                        transfers.get(a).is_some_and(|d| !d.status.is_active() && d.status != Status::Done)
                    }) =>
                {
                    ("waiting: its folders were not created".to_string(), Tone::Bad)
                }
                Status::Queued => ("queued".to_string(), Tone::Idle),
                Status::Running => ("running".to_string(), Tone::Busy),
                Status::Cancelling => ("cancelling…".to_string(), Tone::Busy),
                Status::Done => {
                    let took =
                        t.finished.zip(t.started).map(|(f, s)| f.saturating_duration_since(s)).unwrap_or_default();
                    (format!("done in {}", human_duration(took)), Tone::Good)
                }
                Status::Failed(e) => (format!("failed: {e} (r retries)"), Tone::Bad),
                Status::Cancelled => ("cancelled (r retries)".to_string(), Tone::Gone),
            };
            let progress = match fraction(t) {
                Some(f) => bar(f, 10),
                None if t.status == Status::Running => "…".to_string(),
                None => "-".to_string(),
            };
            let bytes = match (&t.job, t.total) {
                (Job::Folders { folders, .. }, _) => format!("{} folder(s)", folders.len()),
                (_, Some(total)) => format!("{} / {}", human_bytes(t.done), human_bytes(total)),
                (_, None) => human_bytes(t.done),
            };
            let running = t.status == Status::Running;
            let rate = if running && t.rate > 0.0 { format!("{}/s", human_bytes(t.rate as u64)) } else { "-".into() };
            let eta = match (running, t.total) {
                (true, Some(total)) if t.rate > 0.0 => {
                    human_duration(Duration::from_secs_f64(total.saturating_sub(t.done) as f64 / t.rate))
                }
                _ => "-".into(),
            };
            let _ = now;
            Row::new(t.id.to_string(), vec![t.job.arrow().into(), t.job.name(), progress, bytes, rate, eta, status])
                .tone(6, tone)
        })
        .collect()
}

/// The header's summary while anything is queued or running: `⇅ 2 ↑45% ↓10%` (transfers
/// not finished; per direction, the share of bytes moved in the batches still going).
pub fn indicator(cx: &View) -> Option<String> {
    let list = &cx.transfers.list;
    let active = list.iter().filter(|t| t.status.is_active()).count();
    if active == 0 {
        return None;
    }
    // Few batches are live at once, but each may hold thousands of files: a set, not a list scan.
    let live: std::collections::BTreeSet<u64> = list.iter().filter(|t| t.status.is_active()).map(|t| t.batch).collect();
    let mut out = format!("⇅ {active}");
    for (arrow, upload) in [("↑", true), ("↓", false)] {
        let counted = list.iter().filter(|t| {
            live.contains(&t.batch)
                && !matches!(t.job, Job::Folders { .. })
                && matches!(t.job, Job::Upload { .. }) == upload
                && !matches!(t.status, Status::Cancelled | Status::Failed(_))
        });
        let (mut any, mut done, mut total) = (false, 0u64, 0u64);
        for t in counted {
            any = true;
            done += t.done;
            total += t.total.unwrap_or(0);
        }
        if any {
            let pct = (done.min(total) * 100).checked_div(total).unwrap_or(0);
            out.push_str(&format!(" {arrow}{pct}%"));
        }
    }
    Some(out)
}

fn render(frame: &mut Frame, area: Rect, p: &TransfersPane, cx: &View) {
    let t = &cx.theme;
    let tr = &cx.transfers;
    let failed = tr.list.iter().filter(|x| matches!(x.status, Status::Failed(_))).count();
    let mut title = vec![
        Span::styled(" Transfers ", t.title),
        Span::styled(format!("[{} running, {} queued", tr.running(), tr.active() - tr.running()), t.dim),
    ];
    if failed > 0 {
        title.push(Span::styled(format!(", {failed} failed"), t.error));
    }
    title.push(Span::styled(format!(", at most {} at once] ", tr.concurrency), t.dim));
    table::render(
        frame,
        area,
        &p.table,
        t,
        Line::from(title),
        "No transfers yet: upload (u) or download (D) in the Stage pane (:stage).",
    );
}
