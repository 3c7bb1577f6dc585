//! The operations tracker (`:ops`). Every mutation becomes an operation with the state it
//! should reach. The API has no transitional states, so the dashboard says "suspending…" itself
//! and polls the object (about every 2 s, backing off) until two reads in a row show it there,
//! the API reports it FAILED, or the overall time limit passes. A change whose reply never came
//! (a timeout, a dropped connection) may or may not have happened: the tracker reads the object
//! (or, for a create, looks for its name) and reports what the API shows.

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
use crate::widgets::confirm::TypedConfirm;
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
/// Reads in a row that must agree before an operation counts as done (or a lost create as
/// not made): one read may be served by a replica that has not seen the change yet.
const AGREEING_READS: u32 = 2;

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
    CreateCluster,
    UpdateCluster,
    TerminateCluster,
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
            OpKind::CreateWorkspace | OpKind::CreateGroup | OpKind::CreateCluster => "creating…",
            OpKind::SuspendWorkspace => "suspending…",
            OpKind::ResumeWorkspace => "resuming…",
            OpKind::UpdateWorkspace | OpKind::UpdateGroup | OpKind::UpdateCluster => "updating…",
            OpKind::TerminateWorkspace | OpKind::TerminateGroup | OpKind::TerminateCluster => "terminating…",
            OpKind::Change { .. } => "applying…",
        }
    }

    pub fn done(self) -> &'static str {
        match self {
            OpKind::CreateWorkspace | OpKind::CreateGroup | OpKind::CreateCluster => "created",
            OpKind::SuspendWorkspace => "suspended",
            OpKind::ResumeWorkspace => "resumed",
            OpKind::UpdateWorkspace | OpKind::UpdateGroup | OpKind::UpdateCluster => "updated",
            OpKind::TerminateWorkspace | OpKind::TerminateGroup | OpKind::TerminateCluster => "terminated",
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
            OpKind::CreateCluster => "create cluster",
            OpKind::UpdateCluster => "update cluster",
            OpKind::TerminateCluster => "terminate cluster",
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
    /// A cluster reaching a state with the values a change asked for.
    Cluster(ClusterWants),
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
            Expect::Cluster(_) => Some(Fetch::Clusters(ClustersRequest::Get(target))),
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
            (Expect::Cluster(want), ApiReply::Clusters(ClustersReply::One(c))) => Some(want.judge(c)),
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
            Expect::Cluster(w) => w.describe(),
            Expect::Reply => "accepted".to_string(),
        }
    }

    /// The object is meant to be gone, so a 404 for it means done.
    pub fn removes(&self) -> bool {
        match self {
            Expect::Cluster(wants) => wants.state == ClusterState::Terminated,
            other => matches!(
                other,
                Expect::Workspace(WorkspaceState::Terminated)
                    | Expect::Group(WorkspaceGroupState::Terminated)
                    | Expect::Connection(ConnectionStatus::Deleted)
            ),
        }
    }
}

/// What a cluster change is waiting for. A cluster update is asynchronous (reads show the old
/// values until it lands) and its firewall is applied some time after it is `ACTIVE` again, so
/// the state alone does not say a change is done.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterWants {
    pub state: ClusterState,
    pub size: Option<String>,
    pub scale_factor: Option<f64>,
    /// The ranges asked for (`0.0.0.0/0` also matches `allowAllTraffic`).
    pub firewall: Option<Vec<String>>,
}

impl ClusterWants {
    pub fn state(state: ClusterState) -> Self {
        Self { state, size: None, scale_factor: None, firewall: None }
    }

    fn judge(&self, c: &Cluster) -> Seen {
        let state = c.state();
        if self.state == ClusterState::Terminated {
            let done = c.is_terminated();
            return Seen {
                state: if done { "TERMINATED".into() } else { state.to_string() },
                reached: done,
                failed: false,
            };
        }
        let failed = state == ClusterState::Failed;
        if state != self.state {
            return Seen { state: state.to_string(), reached: false, failed };
        }
        let mut waiting = Vec::new();
        if self.size.as_ref().is_some_and(|s| c.size() != Some(s.as_str())) {
            waiting.push("size");
        }
        if self.scale_factor.is_some_and(|f| c.scale_factor().unwrap_or(1.0) != f) {
            waiting.push("scale factor");
        }
        if self.firewall.as_ref().is_some_and(|f| !c.firewall_applied(f)) {
            waiting.push("firewall");
        }
        let shown = match waiting.as_slice() {
            [] => state.to_string(),
            w => format!("{state}, {} not applied yet", w.join(" and ")),
        };
        Seen { state: shown, reached: waiting.is_empty(), failed }
    }

    fn describe(&self) -> String {
        match &self.size {
            Some(size) => format!("{} at {size}", self.state),
            None => self.state.to_string(),
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

impl Planned {
    /// A change the API's reply completes (a delete, a grant, a rename): what it is ("delete
    /// secret") and its past tense ("deleted").
    pub fn change(
        mutation: Mutation,
        label: &'static str,
        done: &'static str,
        target: Option<Uuid>,
        name: impl Into<String>,
    ) -> Self {
        Planned { mutation, kind: OpKind::Change { label, done }, target, name: name.into(), expect: Expect::Reply }
    }
}

/// Asks the user to type `expected` (the object's name) before `planned` is sent: how every
/// destructive change is confirmed.
pub fn confirm_typed(
    cx: &mut Ctx,
    title: impl Into<String>,
    lines: Vec<String>,
    expected: impl Into<String>,
    planned: Planned,
) {
    cx.modals.push(Modal::TypedConfirm(TypedConfirm::new(title, lines, expected, vec![planned])));
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpStatus {
    Sending,
    Waiting,
    /// The change was sent but its reply never came: it may or may not have happened, and the
    /// tracker reads the object (or looks for a create's name) to find out.
    Checking,
    Done,
    Failed(String),
    /// The overall time limit passed; says how long and what was seen last.
    GaveUp(String),
    /// The user removed the object while this change was under way (names that change).
    Superseded(String),
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
    /// Reads of the object in a row that failed, and the last one's error.
    pub failed_polls: u32,
    pub poll_error: Option<String>,
    /// Reads in a row that agreed (the state wanted, or a lost create not in the list).
    pub agreeing: u32,
    /// How a create whose reply was lost is found: a list to look for its name in.
    pub lookup: Option<Lookup>,
    /// Why the outcome is unknown (the change's reply never came).
    pub lost_reply: Option<String>,
}

impl Operation {
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OpStatus::Sending | OpStatus::Waiting | OpStatus::Checking)
    }

    /// Its object is read on the poll timer.
    fn is_polling(&self) -> bool {
        matches!(self.status, OpStatus::Waiting | OpStatus::Checking)
    }

    /// What rows that show the object say while the operation is pending: the dashboard's
    /// own "suspending…", or, while the outcome is unknown, what the tracker's own reads show
    /// (a list read before the change would say nothing about it).
    pub fn progress(&self) -> String {
        match (&self.status, &self.observed) {
            (OpStatus::Checking, Some(seen)) => format!("{seen} (checking…)"),
            (OpStatus::Checking, None) => "unknown (checking…)".to_string(),
            _ => self.kind.progress().to_string(),
        }
    }

    /// The read that tells how far it got: its object, or the list a lost create is looked for in.
    fn poll(&self) -> Option<Fetch> {
        match self.target {
            Some(target) => self.expect.read(target),
            None if self.status == OpStatus::Checking => self.lookup.as_ref().map(|l| l.read.clone()),
            None => None,
        }
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
            (Action::Copy, Some((name, id))) => cx.copy(id.to_string(), format!("Copied the ID of {name}")),
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

    /// Pending operations whose change got no reply (their outcome is unknown, being checked).
    pub fn checking_count(&self) -> usize {
        self.list.iter().filter(|o| o.status == OpStatus::Checking).count()
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
    if planned.expect.removes()
        && let Some(target) = planned.target
    {
        supersede(cx, target, planned.kind.label());
    }
    let lookup = lookup_of(&planned.mutation);
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
        failed_polls: 0,
        poll_error: None,
        agreeing: 0,
        lookup,
        lost_reply: None,
    });
    // The rows that show an operation's progress ("suspending…") change the moment it starts.
    cx.touch(&TRACKED);
    Effect::Mutate { id: request, mutation: planned.mutation }
}

/// A change still under way on an object the user now removes is not a failure when the
/// object goes: it is superseded (deleting a connection still being created, for one).
fn supersede(cx: &mut Ctx, target: Uuid, by: &str) {
    let now = cx.now;
    for op in cx.ops.list.iter_mut().filter(|o| o.target == Some(target) && o.is_pending()) {
        op.status = OpStatus::Superseded(by.to_string());
        op.finished = Some(now);
        op.poll_request = None;
    }
}

/// How a create whose reply was lost is found: the list its object would be in, and what the
/// object is called there.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub read: Fetch,
    /// Its name (an email for an invitation or a user added).
    pub name: String,
    /// What kind of thing it is among the list's others: a role's resource type (role names
    /// are unique per type only), a member's kind.
    pub within: Option<String>,
}

/// What one read of a lost create's list says.
#[derive(Debug, Clone, PartialEq)]
enum Looked {
    /// It is there, with its ID when it has one apart from its name (a role has none).
    Found(Option<Uuid>),
    Absent,
    /// This read cannot tell (part of the list could not be read): read again.
    Unsure(String),
    /// No read can tell (the API has no such list): the outcome stays unknown.
    Unknowable(String),
}

/// Where a create's object shows up, to look for it when the create's reply is lost. Private
/// connections have no name: a group may hold several of one kind, so finding one proves nothing.
fn lookup_of(mutation: &Mutation) -> Option<Lookup> {
    let named = |read: Fetch, name: &str| Some(Lookup { read, name: name.to_string(), within: None });
    match mutation {
        Mutation::CreateWorkspace(body) => {
            named(Fetch::Workspaces { groups: vec![body.workspace_group_id] }, &body.name)
        }
        Mutation::CreateGroup(body) => named(Fetch::Groups, &body.name),
        Mutation::Secret(SecretsChange::Create { name, .. }) => named(Fetch::Secrets(SecretsRequest::List), name),
        Mutation::Team(TeamsChange::Create(body)) => named(Fetch::Teams(TeamsRequest::List), &body.name),
        Mutation::Project(ProjectsChange::Create(body)) => named(Fetch::Projects(ProjectsRequest::List), &body.name),
        Mutation::Cluster(ClustersChange::Create(body)) => named(Fetch::Clusters(ClustersRequest::List), &body.name),
        Mutation::Starter(StartersChange::Create(body)) => named(Fetch::Starters(StartersRequest::List), &body.name),
        Mutation::Flow(FlowChange::Create(body)) => {
            named(Fetch::Flow(FlowRequest::List { include_terminated: false }), &body.name)
        }
        Mutation::Function(FunctionsChange::Create(body)) => named(
            Fetch::Functions(FunctionsRequest::Page { limit: LOOKUP_PAGE, offset_id: None }),
            body.name.as_deref()?,
        ),
        Mutation::Job(JobsChange::Create { body, .. }) => named(Fetch::Jobs(JobsRequest::List), body.name.as_deref()?),
        Mutation::People(change) => {
            let member = |kind: UserKind, name: &str| {
                let read = Fetch::People(PeopleRequest::Members);
                Some(Lookup { read, name: name.to_string(), within: Some(kind.as_str().to_string()) })
            };
            match change {
                PeopleChange::AddUser { email } => member(UserKind::Standard, email),
                PeopleChange::CreateServiceAccount(body) => member(UserKind::ServiceAccount, &body.name),
                PeopleChange::CreateCloudPrincipal(body) => member(UserKind::CloudPrincipal, &body.name),
                PeopleChange::Invite(body) => {
                    let pending = InvitationFilter { email: None, state: Some(InvitationState::Pending) };
                    named(Fetch::People(PeopleRequest::Invitations(pending)), &body.email)
                }
                PeopleChange::CreateRole { resource_type, body } => Some(Lookup {
                    read: Fetch::People(PeopleRequest::Roles),
                    name: body.role.clone(),
                    within: Some(resource_type.as_str().to_string()),
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Functions a lookup reads at once; a longer list is read no further (see `find_named`).
const LOOKUP_PAGE: u32 = 100;

/// Whether a list the lookup read holds the object `l` names.
fn find_named(reply: &ApiReply, l: &Lookup) -> Looked {
    let name = l.name.as_str();
    let found = |id: Option<Uuid>| id.map_or(Looked::Absent, |id| Looked::Found(Some(id)));
    match reply {
        ApiReply::Workspaces { failed, .. } if !failed.is_empty() => {
            Looked::Unsure(failed.first().map(|(_, e)| e.clone()).unwrap_or_default())
        }
        ApiReply::Workspaces { list, .. } => {
            found(list.iter().find(|w| w.name == name && w.state != WorkspaceState::Terminated).map(|w| w.workspace_id))
        }
        ApiReply::Groups(list) => found(
            list.iter()
                .find(|g| g.name == name && g.state != WorkspaceGroupState::Terminated)
                .map(|g| g.workspace_group_id),
        ),
        ApiReply::Secrets(SecretsReply::List(list)) => found(list.iter().find(|s| s.name == name).map(|s| s.secret_id)),
        ApiReply::Teams(TeamsReply::List(list)) => found(list.iter().find(|t| t.name == name).map(|t| t.team_id)),
        ApiReply::Projects(ProjectsReply::List(list)) => {
            found(list.iter().find(|p| p.name == name).map(|p| p.project_id))
        }
        ApiReply::Clusters(ClustersReply::List(list)) => {
            found(list.iter().find(|c| c.name == name && !c.is_terminated()).map(|c| c.cluster_id))
        }
        ApiReply::Starters(StartersReply::List { starters, .. }) => {
            found(starters.iter().find(|s| s.name == name).map(|s| s.virtual_cluster_id))
        }
        ApiReply::Flow(FlowReply::List(list)) => {
            found(list.iter().find(|f| f.name == name && !f.is_deleted()).map(|f| f.flow_id))
        }
        ApiReply::Functions(FunctionsReply::Page { page, .. }) => {
            let live = |f: &&CloudFunction| f.name == name && f.status != FunctionStatus::Deleted;
            match page.cloud_functions.iter().find(live) {
                Some(f) => Looked::Found(Some(f.service_id)),
                None if page.metadata.as_ref().is_some_and(|m| m.has_next_page) => {
                    Looked::Unknowable(format!("more than {LOOKUP_PAGE} functions to look through"))
                }
                None => Looked::Absent,
            }
        }
        ApiReply::Jobs(JobsReply::Listed(None)) => Looked::Unknowable("the API has no list of jobs to look in".into()),
        ApiReply::Jobs(JobsReply::Listed(Some(list))) => {
            found(list.iter().find(|j| j.name.as_deref() == Some(name) && j.terminated_at.is_none()).map(|j| j.job_id))
        }
        // A person is known by email, a service account or cloud principal by its name.
        ApiReply::People(PeopleReply::Members(list)) => found(
            list.iter()
                .filter(|u| Some(u.user_kind.as_str()) == l.within.as_deref())
                .find(|u| match u.user_kind {
                    UserKind::Standard => u.email.eq_ignore_ascii_case(name),
                    _ => u.display_name() == name,
                })
                .map(|u| u.user_id),
        ),
        ApiReply::People(PeopleReply::Invitations { list, .. }) => found(
            list.iter()
                .find(|i| i.email.eq_ignore_ascii_case(name) && i.state == InvitationState::Pending)
                .map(|i| i.invitation_id),
        ),
        ApiReply::People(PeopleReply::Roles { roles, .. }) => {
            let within = l.within.as_deref().unwrap_or_default();
            match roles.iter().any(|r| r.role == name && r.resource_type.eq_ignore_ascii_case(within)) {
                true => Looked::Found(None),
                false => Looked::Absent,
            }
        }
        _ => Looked::Unsure("the reply was not the list looked in".into()),
    }
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
        Mutation::Cluster(_) => PaneId::Clusters,
        Mutation::Starter(_) => PaneId::Starters,
        Mutation::People(c) => super::people::origin(c),
        _ => PaneId::Workspaces,
    }
}

/// The panes that show operations' progress.
const TRACKED: [PaneId; 5] =
    [PaneId::Operations, PaneId::Workspaces, PaneId::Groups, PaneId::Connections, PaneId::Clusters];

/// Rebuilds the rows that show an operation's progress, so a row changes the moment an
/// operation ends, not at the next list refresh.
fn rebuild_with_targets(state: &mut State) {
    super::rebuild(state, &TRACKED);
}

/// Re-reads what a change affected so the new object or state shows up.
fn refresh_after_change(state: &mut State, origin: PaneId) -> Vec<Effect> {
    super::refresh_pane(state, origin)
}

/// A reply for operation `op_id`: either to its mutation or to one of its polls.
pub fn on_reply(state: &mut State, op_id: u64, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
    let effects = if op.mutation_request == id {
        on_mutation_reply(state, op_id, id, reply)
    } else if op.poll_request == Some(id) {
        op.poll_request = None;
        on_poll_reply(state, op_id, id, reply)
    } else {
        Vec::new()
    };
    rebuild_with_targets(state);
    effects
}

/// No answer came: the change may or may not have been made (a timeout, a dropped connection).
/// A refusal, by contrast, says it was not.
fn unanswered(e: &ApiError) -> bool {
    matches!(e, ApiError::Timeout { .. } | ApiError::Transport { .. })
}

/// The form takes the keyboard again, saying why (`prefix`: whose words they are).
fn give_back(f: &mut crate::widgets::modal::FormModal, prefix: &'static str, text: String) {
    f.form.server_error = Some(text);
    f.form.error_prefix = prefix;
    f.form.busy = false;
    f.request = None;
}

/// The form that sent the change of `request`, if it is still on top.
fn form_of(state: &mut State, request: RequestId) -> Option<&mut crate::widgets::modal::FormModal> {
    match state.modals.last_mut() {
        Some(Modal::Form(f)) if f.request == Some(request) => Some(f),
        _ => None,
    }
}

fn on_mutation_reply(state: &mut State, op_id: u64, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let from_form = form_of(state, id).is_some();
    match reply {
        Err(e) if unanswered(&e) => on_lost_reply(state, op_id, id, e),
        Err(e) => {
            let text = e.to_string();
            if let Some(f) = form_of(state, id) {
                // The form stays open with what was typed and says why: the server's own words
                // when it answered; otherwise what went wrong on the way.
                match e.status() {
                    Some(_) => give_back(f, "The API refused: ", e.message().to_string()),
                    None => give_back(f, "No answer from the API: ", text.clone()),
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
                ApiReply::Clusters(ClustersReply::Created(created)) => {
                    (Some(created.cluster_id), created.admin_password)
                }
                ApiReply::Clusters(ClustersReply::Accepted(id)) => (Some(id), None),
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

/// A change whose reply was lost and whose outcome no read can tell: it ends as "outcome
/// unknown", its form (if still open) says it may have been made, and a toast says `toast`.
fn outcome_unknown(state: &mut State, op_id: u64, request: RequestId, detail: String, toast: String) {
    let now = state.now;
    if let Some(op) = state.ops.get_mut(op_id) {
        op.status = OpStatus::Failed(format!("outcome unknown ({detail}): look before sending it again"));
        op.finished = Some(now);
    }
    if let Some(f) = form_of(state, request) {
        give_back(
            f,
            "No answer from the API: ",
            format!("{detail}. It may have been made: look before sending it again."),
        );
    }
    state.toasts.push(now, Level::Error, toast);
}

/// The change's reply never came. What can be read is read: the object, or for a create the
/// list its name would be in (a form stays open and busy until that says whether to resend).
/// What cannot be read is reported as unknown, never as failed or done.
fn on_lost_reply(state: &mut State, op_id: u64, id: RequestId, e: ApiError) -> Vec<Effect> {
    let now = state.now;
    let text = e.to_string();
    let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
    op.lost_reply = Some(text.clone());
    // A create can be looked for by name; another change only if its object shows its end.
    let checkable = match op.target {
        None => op.lookup.is_some(),
        Some(_) => op.expect != Expect::Reply,
    };
    let (label, name) = (op.kind.label(), op.name.clone());
    if !checkable {
        let toast = format!("{label} {name}: outcome unknown ({text}): look before sending it again");
        outcome_unknown(state, op_id, id, text, toast);
        return Vec::new();
    }
    op.status = OpStatus::Checking;
    op.next_poll = now;
    let creating = op.target.is_none();
    if let Some(f) = form_of(state, id) {
        // Busy: Enter cannot send it twice while the list is read.
        f.form.server_error = Some(format!("{text}; checking whether {name} was created…"));
        f.form.error_prefix = "No answer from the API: ";
    }
    let what = if creating { format!("checking whether {name} exists") } else { "checking what the API shows".into() };
    state.toasts.push(now, Level::Error, format!("{label} {name}: no answer ({text}); {what}"));
    arm_timer(state)
}

fn on_poll_reply(state: &mut State, op_id: u64, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    let now = state.now;
    let Some(op) = state.ops.list.iter().find(|o| o.id == op_id) else { return Vec::new() };
    let (expect, target) = (op.expect.clone(), op.target);
    let mut effects = Vec::new();
    match reply {
        // The object a removal waits for is gone: that is the end it waits for.
        Err(ApiError::NotFound { .. }) if expect.removes() && target.is_some() => {
            if let Some(op) = state.ops.get_mut(op_id) {
                op.observed = Some("gone (404)".into());
                op.failed_polls = 0;
                op.poll_error = None;
                op.agreeing = AGREEING_READS - 1;
            }
            let seen = Seen { state: "gone (404)".into(), reached: true, failed: false };
            effects.extend(judged(state, op_id, seen));
        }
        // Right after a create the object may briefly be unknown, and a read may fail: keep
        // polling, and show how many failed and why.
        Err(e) => {
            if let Some(op) = state.ops.get_mut(op_id) {
                op.failed_polls += 1;
                op.poll_error = Some(e.to_string());
            }
        }
        Ok(reply) if target.is_none() => effects.extend(on_lookup(state, op_id, &reply)),
        Ok(reply) => {
            let seen = expect.judge(&reply);
            // A poll sent before a newer read of the same object must not undo what it showed.
            if newest(state, &reply, id) {
                merge(state, reply);
            }
            if let Some(op) = state.ops.get_mut(op_id) {
                op.failed_polls = 0;
                op.poll_error = None;
            }
            if let Some(seen) = seen {
                effects.extend(judged(state, op_id, seen));
            }
        }
    }
    if let Some(op) = state.ops.get_mut(op_id) {
        op.last_poll = Some(now);
        op.polls += 1;
        if op.next_poll <= now {
            op.next_poll = now + FIRST_POLL.mul_f64(1.25f64.powi(op.polls as i32)).min(MAX_POLL);
        }
    }
    effects.extend(give_up_overdue(state));
    effects.extend(arm_timer(state));
    effects
}

/// What one read of the object says: done after two agreeing reads, failed when the API says so.
fn judged(state: &mut State, op_id: u64, Seen { state: seen, reached, failed }: Seen) -> Vec<Effect> {
    let now = state.now;
    let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
    op.observed = Some(seen.clone());
    let elapsed = human_duration(now.saturating_duration_since(op.started));
    let mut effects = Vec::new();
    if reached {
        op.agreeing += 1;
        if op.agreeing < AGREEING_READS {
            // One more read to be sure, soon.
            op.next_poll = now + FIRST_POLL;
            return effects;
        }
        let lost = op.status == OpStatus::Checking;
        op.status = OpStatus::Done;
        op.finished = Some(now);
        let msg = if lost {
            format!("{} {} ({elapsed}; its reply was lost, the API shows {seen})", op.name, op.kind.done())
        } else {
            format!("{} {} ({elapsed})", op.name, op.kind.done())
        };
        let origin = op.origin;
        state.toasts.push(now, Level::Success, msg);
        effects.push(Effect::Bell);
        effects.extend(refresh_after_change(state, origin));
    } else if failed {
        op.agreeing = 0;
        op.status = OpStatus::Failed(format!("the API reports {seen}"));
        op.finished = Some(now);
        let msg = format!("{} {}: the API reports {seen} after {elapsed}", op.kind.label(), op.name);
        state.toasts.push(now, Level::Error, msg);
        effects.push(Effect::Bell);
    } else {
        op.agreeing = 0;
    }
    effects
}

/// A lost create's list was read: its name there means it was made after all (the form closes
/// and the tracker follows it); absent from two reads in a row, it was not, and the form offers
/// to send it again. A list read in part proves nothing and is read again; a list the API does
/// not have leaves the outcome unknown.
fn on_lookup(state: &mut State, op_id: u64, reply: &ApiReply) -> Vec<Effect> {
    let now = state.now;
    let Some(op) = state.ops.get_mut(op_id) else { return Vec::new() };
    let Some(lookup) = &op.lookup else { return Vec::new() };
    let looked = find_named(reply, lookup);
    let (name, request, kind, label) = (op.name.clone(), op.mutation_request, op.kind, op.kind.label());
    if !matches!(looked, Looked::Unsure(_)) {
        op.failed_polls = 0;
        op.poll_error = None;
    }
    match looked {
        Looked::Unsure(why) => {
            op.failed_polls += 1;
            op.poll_error = Some(why);
            Vec::new()
        }
        Looked::Found(id) => {
            op.target = id;
            op.agreeing = 0;
            op.observed = Some("exists".into());
            op.next_poll = now;
            // Its existence is the end of a change whose reply would have been the end.
            if op.expect == Expect::Reply || id.is_none() {
                op.status = OpStatus::Done;
                op.finished = Some(now);
            } else {
                op.status = OpStatus::Waiting;
            }
            let origin = op.origin;
            if form_of(state, request).is_some() {
                state.modals.pop();
            }
            let mut text = format!("{name} was created after all (its reply was lost)");
            match kind {
                OpKind::CreateGroup => {
                    text.push_str("; an admin password the API generated was in that reply: set a new one with e")
                }
                OpKind::CreateCluster => {
                    text.push_str("; an admin password the API generated was in that reply and cannot be read again")
                }
                _ => {}
            }
            state.toasts.push(now, Level::Info, text);
            refresh_after_change(state, origin)
        }
        Looked::Unknowable(why) => {
            let lost = op.lost_reply.clone().unwrap_or_default();
            op.observed = Some("cannot tell".into());
            outcome_unknown(
                state,
                op_id,
                request,
                format!("{lost}; {why}"),
                format!("{label} {name}: outcome unknown ({why})"),
            );
            Vec::new()
        }
        Looked::Absent => {
            op.observed = Some("not in the list".into());
            op.agreeing += 1;
            if op.agreeing < AGREEING_READS {
                op.next_poll = now + FIRST_POLL;
                return Vec::new();
            }
            op.status = OpStatus::Failed("not created: no answer from the API, and it is not in the list".into());
            op.finished = Some(now);
            if let Some(f) = form_of(state, request) {
                give_back(f, "No answer from the API: ", format!("{name} was not created. Enter sends it again."));
            } else {
                state.toasts.push(now, Level::Error, format!("{label} {name}: no answer, and it was not created"));
            }
            Vec::new()
        }
    }
}

/// Operations followed longer than the configured limit end, with the last state seen.
fn give_up_overdue(state: &mut State) -> Vec<Effect> {
    let (now, limit) = (state.now, state.session.operation_timeout);
    let mut effects = Vec::new();
    let mut forms = Vec::new();
    for op in state.ops.list.iter_mut().filter(|o| o.is_pending() && now.saturating_duration_since(o.started) >= limit)
    {
        let seen = op.observed.clone().unwrap_or_else(|| "nothing yet".into());
        let why = format!("gave up after {}; last seen: {seen}", human_duration(limit));
        state.toasts.push(now, Level::Error, format!("{} {}: {why}", op.kind.label(), op.name));
        forms.push((op.mutation_request, format!("{why}. Look before sending it again.")));
        op.status = OpStatus::GaveUp(why);
        op.finished = Some(now);
        op.poll_request = None;
        effects.push(Effect::Bell);
    }
    // A form still waiting on one of them takes the keyboard back.
    for (request, text) in forms {
        if let Some(f) = form_of(state, request) {
            give_back(f, "No answer from the API: ", text);
        }
    }
    effects
}

/// The poll timer fired: give up on what is overdue, poll every operation that is due.
pub fn on_timer(state: &mut State) -> Vec<Effect> {
    state.ops.timer_due = None;
    let now = state.now;
    let mut effects = give_up_overdue(state);
    let due: Vec<(u64, Fetch)> = state
        .ops
        .list
        .iter()
        .filter(|o| o.is_polling() && o.poll_request.is_none() && o.next_poll <= now)
        .filter_map(|o| Some((o.id, o.poll()?)))
        .collect();
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
    let next = state.ops.list.iter().filter(|o| o.is_polling() && o.poll_request.is_none()).map(|o| o.next_poll).min();
    match next {
        Some(at) if state.ops.timer_due.is_none_or(|armed| at < armed) => {
            state.ops.timer_due = Some(at);
            vec![Effect::Timer { after: at.saturating_duration_since(state.now), timer: Timer::PollOperations }]
        }
        _ => Vec::new(),
    }
}

/// Whether request `id` is the newest to show the object `reply` holds; if so it is recorded
/// as the one the object's shown state came from.
fn newest(state: &mut State, reply: &ApiReply, id: RequestId) -> bool {
    let key = match reply {
        ApiReply::Workspace(ws) => ws.workspace_id,
        ApiReply::Group(g) => g.workspace_group_id,
        _ => return true,
    };
    state.data.seen(key, id)
}

/// Puts an object an operation read into what the panes show, so every pane shows it at once.
fn merge(state: &mut State, reply: ApiReply) {
    match reply {
        ApiReply::Workspace(ws) => merge_workspace(state, ws),
        ApiReply::Group(g) => merge_group(state, g),
        ApiReply::Clusters(ClustersReply::One(c)) => merge_cluster(state, *c),
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

/// Puts a freshly read cluster into the shared list (a terminated one leaves it).
pub fn merge_cluster(state: &mut State, c: Cluster) {
    let list = state.data.clusters.value.get_or_insert_with(Vec::new);
    list.retain(|x| x.cluster_id != c.cluster_id || !c.is_terminated());
    match list.iter_mut().find(|x| x.cluster_id == c.cluster_id) {
        Some(existing) => *existing = c,
        None if !c.is_terminated() => list.push(c),
        None => {}
    }
    super::rebuild(state, &[PaneId::Clusters]);
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
            let (mut status, tone) = match &o.status {
                OpStatus::Sending => ("sending…".to_string(), Tone::Busy),
                OpStatus::Waiting => (o.kind.progress().to_string(), Tone::Busy),
                OpStatus::Checking => match &o.lost_reply {
                    Some(why) => (format!("outcome unknown ({why}), checking…"), Tone::Busy),
                    None => ("outcome unknown, checking…".to_string(), Tone::Busy),
                },
                OpStatus::Done => ("done".to_string(), Tone::Good),
                OpStatus::Failed(e) => (format!("failed: {e}"), Tone::Bad),
                OpStatus::GaveUp(why) => (why.clone(), Tone::Bad),
                OpStatus::Superseded(by) => (format!("superseded by {by}"), Tone::Gone),
            };
            if o.is_pending()
                && let Some(e) = &o.poll_error
            {
                let reads = if o.failed_polls == 1 { "read" } else { "reads" };
                status = format!("{status} ({} failed {reads}, last: {e})", o.failed_polls);
            }
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
