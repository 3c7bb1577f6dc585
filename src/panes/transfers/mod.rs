//! The transfer queue (`:transfers`): uploads and downloads with progress, rate, ETA, cancel
//! and retry. Which queued transfers start is decided here ([`schedule`], pure); the runner
//! only runs them ([`run`]) and reports back with [`TransferEvent`]s.
//!
//! A folder transfer is planned first (the runner walks the local folder or lists the remote
//! one and reports which names already exist); name conflicts are then settled with the user
//! one by one (overwrite / skip / rename, or the same for all) before anything is queued.

pub mod queue;
pub mod run;
mod view;

pub use queue::{Batch, Queue};
pub use view::{LISTED_BATCHES, bar, human_bytes, indicator, rebuild, render, shown_row, thousands};

pub use crate::api::stage_plan::{Plan, PlanFile, RemoteEntry};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use crate::api::error::ApiError;
use crate::api::stage::Store;
use crate::effect::Effect;
use crate::keymap::{Context, KeyDef};
use crate::msg::Action;
pub use crate::msg::TransferEvent;
use crate::panes::pane::{Ctx, NoReply, Pane, View};
use crate::state::PaneId;
use crate::widgets::palette::Command;
use crate::widgets::table::{Column, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Transfers), "x", Action::Cancel, "cancel", "Cancel the selected transfer (on a batch line: the batch)"),
    (Context::Pane(PaneId::Transfers), "r", Action::Retry, "retry", "Retry the selected failed or cancelled transfer (on a batch line: all of them)"),
    (Context::Pane(PaneId::Transfers), "c", Action::ClearFinished, "clear", "Clear finished batches from the list"),
];

/// Large transfers running at once, by default: a few streams fill the link.
pub const CONCURRENCY: usize = 4;
/// Transfers running at once while the next one is small: each is a round trip or two.
pub const SMALL_CONCURRENCY: usize = 16;
/// Files up to this size count as small.
pub const SMALL_FILE: u64 = 1024 * 1024;
/// At most one progress message per transfer this often (about 10 a second).
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Rate samples closer together than this are merged, so the rate does not jitter.
const RATE_WINDOW: Duration = Duration::from_millis(250);

/// What one transfer does.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Upload {
        store: Store,
        local: PathBuf,
        remote: String,
    },
    /// `overwrite`: the user agreed to replace an existing local file.
    Download {
        store: Store,
        remote: String,
        local: PathBuf,
        overwrite: bool,
    },
    /// The remote folders of an upload batch, parents first, created before its files.
    Folders {
        store: Store,
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
    PlanUpload { plan: u64, store: Store, local: PathBuf, remote_folder: String },
    PlanDownload { plan: u64, store: Store, entries: Vec<RemoteEntry>, local_dir: PathBuf },
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
    pub queue: Queue,
    pub plans: BTreeMap<u64, PendingPlan>,
    /// Large transfers at once.
    pub concurrency: usize,
    /// Transfers at once while the next to start is small.
    pub small_concurrency: usize,
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
            queue: Queue::default(),
            plans: BTreeMap::new(),
            concurrency: CONCURRENCY,
            small_concurrency: SMALL_CONCURRENCY,
            planning: 0,
            next_id: 0,
            next_batch: 0,
            next_plan: 0,
            requested: std::collections::BTreeSet::new(),
        }
    }
}

/// The Transfers pane: the queue as a table of batches and their files.
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
                // Figures are drawn live: the room they need is kept, not measured.
                Column::new("PROGRESS", Constraint::Length(17)).live(15),
                Column::new("BYTES", Constraint::Length(19)).optional(2).live(17),
                Column::new("RATE", Constraint::Length(10)).optional(1).live(10),
                Column::new("ETA", Constraint::Length(5)).optional(3).live(5),
                Column::new("STATUS", Constraint::Fill(2)).min(10).live(34),
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
        on_action(cx, self.table.selected_key(), action)
    }

    /// Only the layout: which batches and files are listed (their figures are drawn live).
    fn rebuild(&mut self, cx: &Ctx) {
        rebuild(&mut self.table, cx.transfers);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, &self.table, view);
    }
}

impl Transfers {
    pub fn get(&self, id: u64) -> Option<&Transfer> {
        self.queue.get(id)
    }

    pub fn running(&self) -> usize {
        self.queue.running
    }

    pub fn active(&self) -> usize {
        self.queue.running + self.queue.queued
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
            concurrency: previous.concurrency,
            small_concurrency: previous.small_concurrency,
            ..Transfers::default()
        }
    }
}

// ───────────────────────────── queueing and scheduling ─────────────────────────────

/// Starts queued transfers, in order, while fewer run than the next one allows: many when it
/// is small, a few when it is large. Files wait for their batch's folders. Costs only what
/// it starts.
pub fn schedule(cx: &mut Ctx) -> Vec<Effect> {
    let now = cx.now;
    let read_only = cx.session.read_only;
    let tr = &mut cx.transfers;
    let mut effects = Vec::new();
    while let Some(pos) = tr.queue.next_ready() {
        let t = &tr.queue.list[pos];
        let small = matches!(t.job, Job::Folders { .. }) || t.total.is_some_and(|n| n <= SMALL_FILE);
        let limit = if small { tr.small_concurrency } else { tr.concurrency };
        if tr.queue.running >= limit.max(1) {
            break;
        }
        let writes = matches!(t.job, Job::Upload { .. } | Job::Folders { .. });
        tr.queue.take_ready();
        // The last line of defence of read-only mode: nothing is ever written to Stage.
        if read_only && writes {
            tr.queue.set_status(pos, Status::Failed("read-only: nothing is written".into()), now);
            continue;
        }
        tr.queue.set_status(pos, Status::Running, now);
        tr.queue.set_done(pos, 0);
        let t = &mut tr.queue.list[pos];
        t.started = Some(now);
        t.finished = None;
        t.rate = 0.0;
        t.sample = None;
        effects.push(Effect::Transfer(TransferEffect::Start { id: t.id, job: t.job.clone() }));
    }
    effects
}

/// Queues a settled plan as one batch and starts what may start.
pub fn enqueue(cx: &mut Ctx, plan: Plan, answers: &[Option<Resolution>]) -> Vec<Effect> {
    let tr = &mut cx.transfers;
    tr.next_batch += 1;
    let batch = tr.next_batch;
    let mut transfers = Vec::with_capacity(plan.files.len() + 1);
    let mut bytes = 0u64;
    let mut after = None;
    if !plan.folders.is_empty() {
        tr.next_id += 1;
        after = Some(tr.next_id);
        transfers.push(new_transfer(
            tr.next_id,
            batch,
            Job::Folders { store: plan.store, folders: plan.folders.clone() },
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
            Job::Upload { store: plan.store, local, remote }
        } else {
            Job::Download { store: plan.store, remote, local, overwrite }
        };
        tr.next_id += 1;
        transfers.push(new_transfer(tr.next_id, batch, job, Some(f.size), after));
        bytes += f.size;
    }
    let queued = transfers.len() - usize::from(after.is_some());
    let mut b = Batch::new(batch, plan.label.clone(), plan.upload, plan.store);
    // Nothing to do (every file skipped): nothing to report either.
    b.reported = transfers.is_empty();
    tr.queue.push_batch(b, transfers);
    let verb = if plan.upload { "upload" } else { "download" };
    let mut msg = format!("Queued {queued} {verb}(s), {}: {}", human_bytes(bytes), plan.label);
    if !plan.skipped.is_empty() {
        msg.push_str(&format!(" ({} skipped: {})", plan.skipped.len(), plan.skipped.join(", ")));
    }
    cx.toasts.push(cx.now, Level::Info, msg);
    let effects = schedule(cx);
    cx.touch(&[PaneId::Transfers]);
    effects
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

/// A report from the runner. Progress and a file's end touch only that file and its batch;
/// the list's layout is rebuilt only when a batch starts or ends.
pub fn on_event(cx: &mut Ctx, event: TransferEvent) -> Vec<Effect> {
    let now = cx.now;
    match event {
        TransferEvent::Progress { id, done, total } => {
            let q = &mut cx.transfers.queue;
            if let Some(pos) = q.position(id)
                && matches!(q.list[pos].status, Status::Running | Status::Cancelling)
            {
                q.set_done(pos, done);
                if let Some(total) = total {
                    q.set_total(pos, total);
                }
                sample_rate(&mut q.list[pos], now);
            }
            Vec::new()
        }
        TransferEvent::Finished { id, result } => {
            let q = &mut cx.transfers.queue;
            let Some(pos) = q.position(id) else { return Vec::new() };
            q.list[pos].finished = Some(now);
            let status = match result {
                Ok(n) => {
                    if !matches!(q.list[pos].job, Job::Folders { .. }) {
                        q.set_done(pos, n);
                        let total = q.list[pos].total.unwrap_or(n).max(n);
                        q.set_total(pos, total);
                    }
                    Status::Done
                }
                Err(ApiError::Cancelled) => Status::Cancelled,
                Err(e) => Status::Failed(e.to_string()),
            };
            q.set_status(pos, status, now);
            let batch = q.list[pos].batch;
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

/// When the last transfer of a batch ends: one line for the user, the batch collapsed to its
/// summary, and the Stage listing re-read if it shows that store.
fn finish_batch(cx: &mut Ctx, batch: u64) -> Vec<Effect> {
    let Some(b) = cx.transfers.queue.batches.get_mut(&batch) else { return Vec::new() };
    if b.is_active() {
        return Vec::new();
    }
    let first_report = !b.reported;
    b.reported = true;
    let (label, upload, store) = (b.label.clone(), b.upload, b.store);
    let (ok, files, bytes, problems) = (b.files_done, b.files, b.bytes_done, b.problems);
    let failed = problems;
    if first_report || failed == 0 {
        let verb = if upload { "Uploaded" } else { "Downloaded" };
        if failed > 0 {
            let msg = format!("{verb} {ok} of {files} file(s) of {label}; {failed} failed (see :transfers, r retries)");
            cx.toasts.push(cx.now, Level::Error, msg);
        } else {
            cx.toasts.push(cx.now, Level::Success, format!("{verb} {ok} file(s), {}: {label}", human_bytes(bytes)));
        }
    }
    cx.touch(&[PaneId::Transfers]);
    if upload && cx.here == PaneId::Stage {
        cx.reload(PaneId::Stage, store.deployment());
    }
    Vec::new()
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

/// What the selected row is: a batch line or a transfer.
enum Selected {
    Batch(u64),
    Transfer(u64),
}

fn selected(key: Option<&str>) -> Option<Selected> {
    let key = key?;
    match key.strip_prefix('b') {
        Some(b) => b.parse().ok().map(Selected::Batch),
        None => key.parse().ok().map(Selected::Transfer),
    }
}

/// An action on the row whose key is `selected_key` (or, `c`, on the whole queue).
pub fn on_action(cx: &mut Ctx, selected_key: Option<&str>, action: Action) -> Vec<Effect> {
    if action == Action::ClearFinished {
        return clear_finished(cx);
    }
    let Some(sel) = selected(selected_key) else { return Vec::new() };
    let ids: Vec<u64> = match sel {
        Selected::Transfer(id) => vec![id],
        Selected::Batch(b) => {
            let q = &cx.transfers.queue;
            q.batch(b).map(|b| q.members(b).iter().map(|t| t.id).collect()).unwrap_or_default()
        }
    };
    match action {
        Action::Cancel => cancel_many(cx, &ids),
        Action::Retry => retry_many(cx, &ids),
        _ => Vec::new(),
    }
}

/// `c`: drops every batch with nothing left to do.
pub fn clear_finished(cx: &mut Ctx) -> Vec<Effect> {
    let n = cx.transfers.queue.clear_finished();
    let msg =
        if n == 0 { "Nothing finished to clear.".to_string() } else { format!("Cleared {n} finished transfer(s).") };
    cx.toasts.push(cx.now, Level::Info, msg);
    cx.touch(&[PaneId::Transfers]);
    Vec::new()
}

/// Cancels a transfer (and whatever waits for it).
pub fn cancel(cx: &mut Ctx, id: u64) -> Vec<Effect> {
    cancel_many(cx, &[id])
}

fn cancel_many(cx: &mut Ctx, ids: &[u64]) -> Vec<Effect> {
    let now = cx.now;
    let mut effects = Vec::new();
    let mut batches = std::collections::BTreeSet::new();
    let q = &mut cx.transfers.queue;
    for pos in q.with_dependents(ids) {
        batches.insert(q.list[pos].batch);
        match q.list[pos].status {
            Status::Queued => {
                q.list[pos].finished = Some(now);
                q.set_status(pos, Status::Cancelled, now);
            }
            Status::Running => {
                q.set_status(pos, Status::Cancelling, now);
                effects.push(Effect::Transfer(TransferEffect::Cancel { id: q.list[pos].id }));
            }
            _ => {}
        }
    }
    effects.extend(schedule(cx));
    for b in batches {
        effects.extend(finish_batch(cx, b));
    }
    effects
}

/// Queues a failed or cancelled transfer again (and the ones that waited for it).
pub fn retry(cx: &mut Ctx, id: u64) -> Vec<Effect> {
    retry_many(cx, &[id])
}

fn retry_many(cx: &mut Ctx, ids: &[u64]) -> Vec<Effect> {
    let now = cx.now;
    let mut batches = std::collections::BTreeSet::new();
    let q = &mut cx.transfers.queue;
    for pos in q.with_dependents(ids) {
        if matches!(q.list[pos].status, Status::Failed(_) | Status::Cancelled) {
            q.set_status(pos, Status::Queued, now);
            q.set_done(pos, 0);
            let t = &mut q.list[pos];
            t.finished = None;
            t.attempts += 1;
            batches.insert(t.batch);
        }
    }
    if batches.is_empty() {
        cx.toasts.push(cx.now, Level::Info, "Only failed or cancelled transfers can be retried.");
        return Vec::new();
    }
    for b in &batches {
        if let Some(b) = cx.transfers.queue.batches.get_mut(b) {
            b.reported = false;
        }
    }
    let effects = schedule(cx);
    cx.touch(&[PaneId::Transfers]);
    effects
}

pub fn on_timer(_cx: &mut Ctx, _generation: u64) -> Vec<Effect> {
    Vec::new()
}
