//! The operations tracker (`:ops`). Every mutation becomes an operation with the state it
//! should reach. The API has no transitional states, so the dashboard says "suspending…" itself
//! and polls the object (about every 2 s, backing off) until it gets there or FAILS.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{ApiReply, Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::Action;
use crate::msg::{RequestId, Timer};
use crate::panes::pane::{Ctx, NoReply, Pane, View};
use crate::state::{PaneId, Purpose, State};
use crate::state::{human_duration, short_id};
use crate::theme::{Tone, tone_of};
use crate::widgets::modal::{Modal, Reveal};
use crate::widgets::palette::Command;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Operations), "y", Action::Copy, "", "Copy the target's ID"),
];

const FIRST_POLL: Duration = Duration::from_secs(2);
const MAX_POLL: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    CreateWorkspace,
    SuspendWorkspace,
    ResumeWorkspace,
    UpdateWorkspace,
    TerminateWorkspace,
    CreateGroup,
    UpdateGroup,
    TerminateGroup,
    /// Any other change a pane makes: what it is ("delete secret") and its past tense ("deleted").
    Change {
        label: &'static str,
        done: &'static str,
    },
}

impl OpKind {
    /// What the dashboard shows while the API still reports the old state.
    pub fn progress(self) -> &'static str {
        match self {
            OpKind::CreateWorkspace | OpKind::CreateGroup => "creating…",
            OpKind::SuspendWorkspace => "suspending…",
            OpKind::ResumeWorkspace => "resuming…",
            OpKind::UpdateWorkspace | OpKind::UpdateGroup => "updating…",
            OpKind::TerminateWorkspace | OpKind::TerminateGroup => "terminating…",
            OpKind::Change { .. } => "applying…",
        }
    }

    pub fn done(self) -> &'static str {
        match self {
            OpKind::CreateWorkspace | OpKind::CreateGroup => "created",
            OpKind::SuspendWorkspace => "suspended",
            OpKind::ResumeWorkspace => "resumed",
            OpKind::UpdateWorkspace | OpKind::UpdateGroup => "updated",
            OpKind::TerminateWorkspace | OpKind::TerminateGroup => "terminated",
            OpKind::Change { done, .. } => done,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OpKind::CreateWorkspace => "create workspace",
            OpKind::SuspendWorkspace => "suspend",
            OpKind::ResumeWorkspace => "resume",
            OpKind::UpdateWorkspace => "update workspace",
            OpKind::TerminateWorkspace => "terminate workspace",
            OpKind::CreateGroup => "create group",
            OpKind::UpdateGroup => "update group",
            OpKind::TerminateGroup => "terminate group",
            OpKind::Change { label, .. } => label,
        }
    }
}

/// Where an operation is done.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Workspace(WorkspaceState),
    /// ACTIVE at this size, with scaling finished.
    WorkspaceSize(String),
    Group(WorkspaceGroupState),
    /// A private connection reaching this status (PENDING → ACTIVE, or DELETED).
    Connection(ConnectionStatus),
    /// A storage DR operation of this kind reaching Completed.
    Dr(DrType),
    /// Every database storage DR replicates having its first copy (Active).
    DrReplicated,
    /// A Flow instance reaching `Running`.
    FlowRunning,
    /// A cloud function deployed (`Active`).
    FunctionActive,
    /// The reply itself is the end (e.g. renaming a group).
    Reply,
}

/// What a read of an operation's object showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The state as the API reports it.
    pub state: String,
    /// The operation is done.
    pub reached: bool,
    /// The API reports the object failed (or gone while it was being made).
    pub failed: bool,
}

impl Expect {
    /// How the tracker reads the object's state; `None`: the reply to the change was the end.
    pub fn read(&self, target: Uuid) -> Option<Fetch> {
        match self {
            Expect::Workspace(_) | Expect::WorkspaceSize(_) => Some(Fetch::Workspace(target)),
            Expect::Group(_) => Some(Fetch::Group(target)),
            Expect::Connection(_) => Some(Fetch::Connections(ConnectionsRequest::Get(target))),
            Expect::Dr(_) | Expect::DrReplicated => Some(Fetch::Dr(DrRequest::Status(target))),
            Expect::FlowRunning => Some(Fetch::Flow(FlowRequest::Get(target))),
            Expect::FunctionActive => Some(Fetch::Functions(FunctionsRequest::Get(target))),
            Expect::Reply => None,
        }
    }

    /// What a read of the object says about this operation; `None` when the reply is not a
    /// read of such an object.
    pub fn judge(&self, reply: &ApiReply) -> Option<Seen> {
        match (self, reply) {
            (Expect::Workspace(_) | Expect::WorkspaceSize(_), ApiReply::Workspace(ws)) => Some(Seen {
                state: ws.state.to_string(),
                reached: match self {
                    Expect::Workspace(s) => ws.state == *s,
                    Expect::WorkspaceSize(size) => {
                        ws.state == WorkspaceState::Active && ws.size == *size && ws.scaling_progress.is_none()
                    }
                    _ => false,
                },
                failed: ws.state == WorkspaceState::Failed,
            }),
            (Expect::Group(s), ApiReply::Group(g)) => Some(Seen {
                state: g.state.to_string(),
                reached: g.state == *s,
                failed: g.state == WorkspaceGroupState::Failed,
            }),
            (Expect::Connection(want), ApiReply::Connections(ConnectionsReply::One(pc))) => {
                let status = pc.status.clone().unwrap_or(ConnectionStatus::Pending);
                let reached = status == *want;
                // DELETED while waiting for ACTIVE is how the API says a request failed.
                let failed = status == ConnectionStatus::Deleted && !reached;
                let state = match (&pc.error, failed) {
                    (Some(e), true) => format!("{status} ({e})"),
                    _ => status.to_string(),
                };
                Some(Seen { state, reached, failed })
            }
            (Expect::Dr(want), ApiReply::Dr(DrReply::Status { status: Some(s), .. })) => {
                let c = s.compute.as_ref()?;
                let mine = c.storage_dr_type == *want;
                let progress = c.progress();
                let state = format!("{} {} {progress}", c.storage_dr_type, c.storage_dr_state).trim_end().to_string();
                Some(Seen {
                    state,
                    reached: mine && c.storage_dr_state == DrState::Completed,
                    failed: mine && c.storage_dr_state.is_failure(),
                })
            }
            (Expect::DrReplicated, ApiReply::Dr(DrReply::Status { status: Some(s), .. })) => {
                let active = s.storage.iter().filter(|d| d.duplication_state == DuplicationState::Active).count();
                Some(Seen {
                    state: format!("{active}/{} replicated", s.storage.len()),
                    reached: !s.storage.is_empty() && active == s.storage.len(),
                    failed: s.storage.iter().any(|d| d.duplication_state == DuplicationState::Error),
                })
            }
            (Expect::FlowRunning, ApiReply::Flow(FlowReply::One(f))) => {
                let state = f.status.clone().unwrap_or_else(|| "-".into());
                Some(Seen { reached: state.eq_ignore_ascii_case("running"), failed: f.is_deleted(), state })
            }
            (Expect::FunctionActive, ApiReply::Functions(FunctionsReply::One(f))) => Some(Seen {
                state: f.status.to_string(),
                reached: matches!(f.status, FunctionStatus::Active | FunctionStatus::Idle),
                failed: matches!(f.status, FunctionStatus::Failed | FunctionStatus::Deleted),
            }),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Expect::Workspace(s) => s.to_string(),
            Expect::WorkspaceSize(size) => format!("ACTIVE at {size}"),
            Expect::Group(s) => s.to_string(),
            Expect::Connection(s) => s.to_string(),
            Expect::Dr(t) => format!("{t} Completed"),
            Expect::DrReplicated => "replicated".to_string(),
            Expect::FlowRunning => "Running".to_string(),
            Expect::FunctionActive => "Active".to_string(),
            Expect::Reply => "accepted".to_string(),
        }
    }
}

/// A mutation the user has confirmed, and how to follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub mutation: Mutation,
    pub kind: OpKind,
    /// The object's ID; unknown for creates until the API answers.
    pub target: Option<Uuid>,
    pub name: String,
    pub expect: Expect,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpStatus {
    Sending,
    Waiting,
    Done,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: u64,
    pub kind: OpKind,
    pub target: Option<Uuid>,
    pub name: String,
    pub expect: Expect,
    pub status: OpStatus,
    pub started: Instant,
    pub finished: Option<Instant>,
    pub last_poll: Option<Instant>,
    pub next_poll: Instant,
    pub polls: u32,
    pub mutation_request: RequestId,
    /// The pane whose data the change affects (refreshed when it lands).
    pub origin: PaneId,
    pub poll_request: Option<RequestId>,
    /// The last state the API reported.
    pub observed: Option<String>,
}

impl Operation {
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OpStatus::Sending | OpStatus::Waiting)
    }
}

/// The tracker: every operation of this session. The Operations pane shows it.
#[derive(Debug, Default)]
pub struct Operations {
    pub list: Vec<Operation>,
    next_id: u64,
    /// When the armed poll timer fires, if one is armed.
    timer_due: Option<Instant>,
}

/// The Operations pane: the tracker as a table.
#[derive(Debug)]
pub struct OpsPane {
    pub table: TableState,
}

impl Default for OpsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("OPERATION", Constraint::Length(19)),
                Column::new("TARGET", Constraint::Fill(1)).min(16),
                // As wide as the target: a failure's reason is what the user reads here.
                Column::new("STATUS", Constraint::Fill(1)).min(13),
                Column::new("WANTS", Constraint::Length(16)).optional(3),
                Column::new("SEEN", Constraint::Length(11)).optional(1),
                Column::new("ELAPSED", Constraint::Length(7)),
                Column::new("POLLED", Constraint::Length(8)).optional(2),
            ]),
        }
    }
}

impl Pane for OpsPane {
    const ID: PaneId = PaneId::Operations;
    const TITLE: &'static str = "Operations";
    const COMMAND: Option<Command> =
        Some(Command { name: "ops", aliases: &["operations"], help: "Operations: pending and finished changes" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = NoReply;

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        let target =
            self.table.selected_key().and_then(|k| k.parse::<u64>().ok()).and_then(|id| {
                cx.ops.list.iter().find(|o| o.id == id).and_then(|o| o.target.map(|t| (o.name.clone(), t)))
            });
        match (action, target) {
            (Action::Copy, Some((name, id))) => {
                cx.toast(Level::Info, format!("Copied the ID of {name}"));
                vec![Effect::Copy(id.to_string())]
            }
            _ => Vec::new(),
        }
    }

    fn rebuild(&mut self, cx: &Ctx) {
        self.table.set_rows(rows(cx.ops, cx.now));
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let pending = view.ops.pending_count();
        let title = Line::from(vec![
            Span::styled(" Operations ", t.title),
            Span::styled(format!("[{} pending, {} total] ", pending, view.ops.list.len()), t.dim),
        ]);
        table::render(
            frame,
            area,
            &self.table,
            t,
            title,
            "No operations yet: suspend, resume, create or resize something.",
        );
    }
}

impl Operations {
    /// The pending operation on `target`, if any (the workspaces pane shows its progress).
    pub fn pending_for(&self, target: Uuid) -> Option<&Operation> {
        self.list.iter().rev().find(|o| o.target == Some(target) && o.is_pending())
    }

    pub fn pending_count(&self) -> usize {
        self.list.iter().filter(|o| o.is_pending()).count()
    }

    pub fn get_mut(&mut self, id: u64) -> Option<&mut Operation> {
        self.list.iter_mut().find(|o| o.id == id)
    }
}

/// Sends confirmed mutations; if they came from a form on top, the form waits for the reply.
pub fn send(cx: &mut Ctx, planned: Vec<Planned>) -> Vec<Effect> {
    if cx.session.read_only {
        cx.toast(Level::Error, "Read-only mode: nothing was sent.");
        return Vec::new();
    }
    let effects: Vec<Effect> = planned.into_iter().map(|p| start(cx, p)).collect();
    if let (Some(Modal::Form(f)), [Effect::Mutate { id, .. }]) = (cx.modals.last_mut(), effects.as_slice()) {
        f.request = Some(*id);
        f.form.busy = true;
        f.form.server_error = None;
        f.form.error_prefix = "";
    }
    effects
}

/// What a submitted form planned: a refusal shown in the form, a change to review first (with
/// the lines that say what changes), or a change to send now.
pub fn submit(cx: &mut Ctx, planned: Result<(Planned, Option<Vec<String>>), String>) -> Vec<Effect> {
    match planned {
        Err(message) => {
            if let Some(Modal::Form(f)) = cx.modals.last_mut() {
                f.form.server_error = Some(message);
                f.form.error_prefix = "";
            }
            Vec::new()
        }
        Ok((planned, Some(diff))) => {
            let mut lines = vec![format!("Apply these changes to {}?", planned.name)];
            lines.extend(diff.into_iter().map(|d| format!("  • {d}")));
            let c = crate::widgets::confirm::Confirm::new("Review changes", lines, vec![planned]);
            cx.modals.push(Modal::Confirm(c));
            Vec::new()
        }
        Ok((planned, None)) => send(cx, vec![planned]),
    }
}

/// Sends a confirmed mutation and starts following it.
pub fn start(cx: &mut Ctx, planned: Planned) -> Effect {
    cx.ops.next_id += 1;
    let op_id = cx.ops.next_id;
    let request = cx.requests.start(Purpose::Operation(op_id));
    let origin = origin_of(&planned.mutation);
    cx.ops.list.push(Operation {
        id: op_id,
        kind: planned.kind,
        target: planned.target,
        name: planned.name,
        expect: planned.expect,
        status: OpStatus::Sending,
        started: cx.now,
        finished: None,
        last_poll: None,
        next_poll: cx.now + FIRST_POLL,
        polls: 0,
        mutation_request: request,
        origin,
        poll_request: None,
        observed: None,
    });
    // The rows that show an operation's progress ("suspending…") change the moment it starts.
    cx.touch(&TRACKED);
    Effect::Mutate { id: request, mutation: planned.mutation }
}

/// The pane whose data a mutation changes (it reads again when the change is done). Not the
/// pane on screen: a confirmation a reply opened may be answered after the user moved on.
fn origin_of(mutation: &Mutation) -> PaneId {
    match mutation {
        Mutation::CreateGroup(_) | Mutation::UpdateGroup { .. } | Mutation::TerminateGroup { .. } => PaneId::Groups,
        Mutation::Stage(_) => PaneId::Stage,
        Mutation::Job(_) => PaneId::Jobs,
        Mutation::Secret(_) => PaneId::Secrets,
        Mutation::Team(_) => PaneId::Teams,
        Mutation::Connection(_) => PaneId::Connections,
        Mutation::Project(_) => PaneId::Projects,
        Mutation::Dr(_) => PaneId::Dr,
        Mutation::Flow(_) => PaneId::Flow,
        Mutation::Function(_) => PaneId::Functions,
        Mutation::Identity(_) => PaneId::GroupSettings,
        _ => PaneId::Workspaces,
    }
}

/// The panes that show operations' progress.
const TRACKED: [PaneId; 4] = [PaneId::Operations, PaneId::Workspaces, PaneId::Groups, PaneId::Connections];

/// Rebuilds the rows that show an operation's progress, so a row changes the moment an
/// operation ends, not at the next list refresh.
fn rebuild_with_targets(state: &mut State) {
    super::rebuild(state, &TRACKED);
}

/// A reply for operation `op_id`: either to its mutation or to one of its polls.
pub fn on_reply(state: &mut State, op_id: u64, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
    let effects = if op.mutation_request == id {
        on_mutation_reply(state, op_id, id, reply)
    } else if op.poll_request == Some(id) {
        op.poll_request = None;
        on_poll_reply(state, op_id, reply)
    } else {
        Vec::new()
    };
    rebuild_with_targets(state);
    effects
}

fn on_mutation_reply(state: &mut State, op_id: u64, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let from_form = matches!(state.modals.last(), Some(Modal::Form(f)) if f.request == Some(id));
    match reply {
        Err(e) => {
            let text = e.to_string();
            if from_form {
                // The form stays open with what was typed and says why.
                if let Some(Modal::Form(f)) = state.modals.last_mut() {
                    // The server's own words when it answered; otherwise what went wrong on the way.
                    let (prefix, text) = match e.status() {
                        Some(_) => ("The API refused: ", e.message().to_string()),
                        None => ("No answer from the API: ", e.to_string()),
                    };
                    f.form.server_error = Some(text);
                    f.form.error_prefix = prefix;
                    f.form.busy = false;
                    f.request = None;
                }
                state.ops.list.retain(|o| o.id != op_id);
            } else if let Some(op) = state.ops.get_mut(op_id) {
                op.status = OpStatus::Failed(text.clone());
                op.finished = Some(state.now);
                let name = op.name.clone();
                let label = op.kind.label();
                state.toasts.push(state.now, Level::Error, format!("{label} {name}: {text}"));
            }
            Vec::new()
        }
        Ok(reply) => {
            if from_form {
                state.modals.pop();
            }
            let mut pane_effects = super::with_panes(state, |panes, cx| panes.on_changed(cx, &reply));
            let (new_id, password) = match reply {
                ApiReply::Mutated(id) => (Some(id), None),
                ApiReply::GroupCreated(created) => (Some(created.workspace_group_id), created.admin_password),
                ApiReply::Connections(ConnectionsReply::Created(id)) => (Some(id), None),
                ApiReply::Flow(FlowReply::Created(id)) => (Some(id), None),
                ApiReply::Functions(FunctionsReply::Created(id)) => (Some(id), None),
                _ => (None, None),
            };
            let now = state.now;
            let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
            if op.target.is_none() {
                op.target = new_id;
            }
            let name = op.name.clone();
            if let Some(secret) = password {
                state.modals.push(Modal::Reveal(Reveal {
                    title: format!("Admin password of {name}"),
                    lines: vec![
                        "The API generated this password and shows it only once.".to_string(),
                        "Copy it now (y); it is not stored anywhere.".to_string(),
                    ],
                    secret,
                    copied: false,
                    what: "password",
                }));
            }
            let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
            if op.expect == Expect::Reply {
                op.status = OpStatus::Done;
                op.finished = Some(now);
                let msg = format!("{} {}", op.name, op.kind.done());
                let origin = op.origin;
                state.toasts.push(now, Level::Success, msg);
                pane_effects.extend(refresh_after_change(state, origin));
                return pane_effects;
            }
            op.status = OpStatus::Waiting;
            op.next_poll = now + FIRST_POLL;
            let origin = op.origin;
            let mut effects = arm_timer(state);
            effects.extend(refresh_after_change(state, origin));
            effects.extend(pane_effects);
            effects
        }
    }
}

/// Re-reads what a change affected so the new object or state shows up.
fn refresh_after_change(state: &mut State, origin: PaneId) -> Vec<Effect> {
    super::refresh_pane(state, origin)
}

fn on_poll_reply(state: &mut State, op_id: u64, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let now = state.now;
    let expect = state.ops.list.iter().find(|o| o.id == op_id).map(|o| o.expect.clone());
    // Right after a create the object may briefly be unknown (or a read fail): keep polling.
    let observed = match (&reply, &expect) {
        (Ok(reply), Some(expect)) => expect.judge(reply),
        _ => None,
    };
    if let Ok(reply) = reply {
        merge(state, reply);
    }
    let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
    op.last_poll = Some(now);
    op.polls += 1;
    let backoff = FIRST_POLL.mul_f64(1.25f64.powi(op.polls as i32)).min(MAX_POLL);
    op.next_poll = now + backoff;
    let mut effects = Vec::new();
    if let Some(Seen { state: seen, reached, failed }) = observed {
        op.observed = Some(seen.clone());
        let elapsed = human_duration(now.saturating_duration_since(op.started));
        if reached {
            op.status = OpStatus::Done;
            op.finished = Some(now);
            let msg = format!("{} {} ({elapsed})", op.name, op.kind.done());
            let origin = op.origin;
            state.toasts.push(now, Level::Success, msg);
            effects.push(Effect::Bell);
            effects.extend(refresh_after_change(state, origin));
        } else if failed {
            op.status = OpStatus::Failed(format!("the API reports {seen}"));
            op.finished = Some(now);
            let msg = format!("{} {}: the API reports {seen} after {elapsed}", op.kind.label(), op.name);
            state.toasts.push(now, Level::Error, msg);
            effects.push(Effect::Bell);
        }
    }
    effects.extend(arm_timer(state));
    effects
}

/// The poll timer fired: poll every operation that is due.
pub fn on_timer(state: &mut State) -> Vec<Effect> {
    state.ops.timer_due = None;
    let now = state.now;
    let due: Vec<(u64, Fetch)> = state
        .ops
        .list
        .iter()
        .filter(|o| o.status == OpStatus::Waiting && o.poll_request.is_none() && o.next_poll <= now)
        .filter_map(|o| Some((o.id, o.expect.read(o.target?)?)))
        .collect();
    let mut effects = Vec::new();
    for (op_id, fetch) in due {
        let id = state.requests.start(Purpose::Operation(op_id));
        if let Some(op) = state.ops.get_mut(op_id) {
            op.poll_request = Some(id);
        }
        effects.push(Effect::Fetch { id, fetch });
    }
    effects.extend(arm_timer(state));
    effects
}

/// Arms one timer for the earliest poll that is due, unless an earlier one is armed.
fn arm_timer(state: &mut State) -> Vec<Effect> {
    let next = state
        .ops
        .list
        .iter()
        .filter(|o| o.status == OpStatus::Waiting && o.poll_request.is_none())
        .map(|o| o.next_poll)
        .min();
    match next {
        Some(at) if state.ops.timer_due.is_none_or(|armed| at < armed) => {
            state.ops.timer_due = Some(at);
            vec![Effect::Timer { after: at.saturating_duration_since(state.now), timer: Timer::PollOperations }]
        }
        _ => Vec::new(),
    }
}

/// Puts an object an operation read into what the panes show, so every pane shows it at once.
fn merge(state: &mut State, reply: ApiReply) {
    match reply {
        ApiReply::Workspace(ws) => merge_workspace(state, ws),
        ApiReply::Group(g) => merge_group(state, g),
        ApiReply::Connections(ConnectionsReply::One(pc)) => {
            super::with_panes(state, |panes, cx| {
                super::connections::merge(&mut panes.connections, cx, pc);
                Vec::new()
            });
        }
        ApiReply::Dr(DrReply::Status { group, status }) => {
            super::with_panes(state, |panes, cx| {
                panes.dr.merge(cx, group, status);
                Vec::new()
            });
        }
        _ => {}
    }
}

/// Puts a freshly read workspace into the shared list so every pane shows it at once.
pub fn merge_workspace(state: &mut State, ws: Workspace) {
    let list = state.data.workspaces.value.get_or_insert_with(Vec::new);
    match list.iter_mut().find(|w| w.workspace_id == ws.workspace_id) {
        Some(existing) => *existing = ws,
        None if ws.state != WorkspaceState::Terminated => list.push(ws),
        None => {}
    }
    super::rebuild(state, &[PaneId::Workspaces, PaneId::Groups]);
}

pub fn merge_group(state: &mut State, g: WorkspaceGroup) {
    let list = state.data.groups.value.get_or_insert_with(Vec::new);
    match list.iter_mut().find(|x| x.workspace_group_id == g.workspace_group_id) {
        Some(existing) => *existing = g,
        None if g.state != WorkspaceGroupState::Terminated => list.push(g),
        None => {}
    }
    super::rebuild(state, &[PaneId::Groups]);
}

/// The operations table, newest first.
fn rows(ops: &Operations, now: Instant) -> Vec<Row> {
    ops.list
        .iter()
        .rev()
        .map(|o| {
            let (status, tone) = match &o.status {
                OpStatus::Sending => ("sending…".to_string(), Tone::Busy),
                OpStatus::Waiting => (o.kind.progress().to_string(), Tone::Busy),
                OpStatus::Done => ("done".to_string(), Tone::Good),
                OpStatus::Failed(e) => (format!("failed: {e}"), Tone::Bad),
            };
            let end = o.finished.unwrap_or(now);
            let target = match o.target {
                Some(id) => format!("{} ({})", o.name, short_id(id)),
                None => o.name.clone(),
            };
            let seen = o.observed.clone().unwrap_or_else(|| "-".into());
            let seen_tone = tone_of(&seen);
            Row::new(
                o.id.to_string(),
                vec![
                    o.kind.label().to_string(),
                    target,
                    status,
                    o.expect.describe(),
                    seen,
                    human_duration(end.saturating_duration_since(o.started)),
                    o.last_poll
                        .map_or("-".into(), |p| format!("{} ago", human_duration(now.saturating_duration_since(p)))),
                ],
            )
            .tone(2, tone)
            .tone(4, seen_tone)
        })
        .collect()
}
