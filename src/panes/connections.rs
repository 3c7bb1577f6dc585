//! Private connections of every group (or of one group or workspace): create, edit the allow
//! list, delete; the outbound allow list and the Kai endpoint service of a workspace.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use serde_json::json;
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::panes::teams::{Problem, plan_in_form};
use crate::state::{Failure, PaneId, Purpose, Resource, State};
use crate::state::{age, short_id};
use crate::theme::{Tone, tone_of};
use crate::widgets::form::{self, Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

const TYPES: [&str; 2] = ["INBOUND", "OUTBOUND"];
const DELETE_LABEL: &str = "delete private connection";

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Connections), "c", Action::Create, "create", "Request a private connection"),
    (Context::Pane(PaneId::Connections), "e", Action::Edit, "allow list", "Edit the allow list"),
    (Context::Pane(PaneId::Connections), "ctrl-d", Action::Delete, "delete", "Delete the connection (type its ID to confirm)"),
    (Context::Pane(PaneId::Connections), "i", Action::Details, "outbound/kai", "Outbound allow list and Kai endpoint service of the workspace"),
    (Context::Pane(PaneId::Connections), "y", Action::Copy, "", "Copy the endpoint (or the service name)"),
];

/// What the pane lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    Group(Uuid),
    Workspace {
        workspace: Uuid,
        group: Uuid,
    },
}

#[derive(Debug)]
pub struct ConnectionsPane {
    pub table: TableState,
    pub scope: Scope,
    pub list: Resource<Vec<PrivateConnection>>,
    /// Groups whose list failed while others answered: (group, error).
    pub failed: Vec<(Uuid, String)>,
    /// The outbound allow list and Kai endpoint of a workspace, being read.
    details: Resource<()>,
}

impl Default for ConnectionsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("ID", Constraint::Length(8)),
                Column::new("TYPE", Constraint::Length(8)),
                Column::new("STATUS", Constraint::Length(9)),
                Column::new("GROUP", Constraint::Fill(2)).min(12),
                Column::new("WORKSPACE", Constraint::Fill(2)).min(12).optional(2),
                Column::new("SERVICE NAME", Constraint::Fill(3)).min(22),
                Column::new("ENDPOINT", Constraint::Fill(3)).min(24).optional(4),
                Column::new("ALLOW LIST", Constraint::Fill(2)).min(16).optional(3),
                Column::new("CREATED", Constraint::Length(7)).optional(1),
            ]),
            scope: Scope::All,
            list: Resource::default(),
            failed: Vec::new(),
            details: Resource::default(),
        }
    }
}

/// Reads what the pane shows (when it becomes visible and on every refresh).
pub fn refresh(p: &mut ConnectionsPane, cx: &mut Ctx) -> Vec<Effect> {
    let mut effects = Vec::new();
    // Group names and providers come from the shared groups list.
    if cx.data.groups.value.is_none() {
        effects.extend(cx.fetch(Fetch::Groups));
    }
    // Every group's connections cost a request per group: idle refreshes wait for the
    // request budget (see `budget`), so many groups mean a slower cadence, not a faster rate.
    if p.scope == Scope::All {
        let asked = cx.budget.everything || p.list.value.is_none();
        let cost = cx.data.groups.value.as_ref().map_or(0, Vec::len) + 1;
        let (now, rate, period) = (cx.now, cx.session.request_rate, cx.session.refresh_every);
        let go = if p.list.in_flight() { asked } else { cx.budget.afford(now, rate, period, cost, asked) };
        if !go {
            return effects;
        }
    }
    let Some(id) = p.list.start(cx.requests, Purpose::Pane(PaneId::Connections)) else { return effects };
    let request = match p.scope {
        Scope::All => ConnectionsRequest::All,
        Scope::Group(g) => ConnectionsRequest::Group(g),
        Scope::Workspace { workspace, group } => ConnectionsRequest::Workspace { workspace, group },
    };
    effects.push(Effect::Fetch { id, fetch: Fetch::Connections(request) });
    effects
}

/// Shows the connections of `scope` (from a group or a workspace, or `:pc`).
pub fn open(p: &mut ConnectionsPane, cx: &mut Ctx, scope: Scope) -> Vec<Effect> {
    if p.scope != scope {
        p.scope = scope;
        // What was listed belongs to another scope; a reply still in flight is dropped.
        p.list = Resource::default();
        p.failed.clear();
        p.table.set_filter("");
        rebuild(p, cx);
        p.table.top();
    }
    Vec::new()
}

/// `:pc` lists every group; `:pc NAME` one group or workspace by name.
pub fn command(p: &mut ConnectionsPane, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
    if args.is_empty() {
        return open(p, cx, Scope::All);
    }
    // Group names may hold spaces ("Analytics EU").
    let name = args.join(" ");
    let name = name.as_str();
    let group = cx.data.groups.value.iter().flatten().find(|g| g.name == name).map(|g| g.workspace_group_id);
    if let Some(g) = group {
        return open(p, cx, Scope::Group(g));
    }
    let ws = cx.data.workspaces.value.iter().flatten().find(|w| w.name == name);
    if let Some(w) = ws {
        let scope = Scope::Workspace { workspace: w.workspace_id, group: w.workspace_group_id };
        return open(p, cx, scope);
    }
    cx.toasts.push(cx.now, Level::Error, format!("No group or workspace named {name}; showing every group."));
    open(p, cx, Scope::All)
}

pub fn on_reply(
    p: &mut ConnectionsPane,
    cx: &mut Ctx,
    id: RequestId,
    reply: Result<ConnectionsReply, ApiError>,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    if p.list.owns(id) {
        let now = cx.now;
        let result = match reply {
            Ok(ConnectionsReply::List { mut list, failed }) => {
                list.sort_by(|a, b| {
                    (a.workspace_group_id, a.created_at.as_deref())
                        .cmp(&(b.workspace_group_id, b.created_at.as_deref()))
                });
                p.failed = failed;
                Ok(list)
            }
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        p.list.accept(id, result, now);
        rebuild(p, cx);
        if p.list.take_queued() {
            effects.extend(refresh(p, cx));
        }
        return effects;
    }
    if p.details.finish(id) {
        match reply {
            Ok(ConnectionsReply::Details { workspace, outbound, kai }) => show_details(cx, workspace, outbound, kai),
            Ok(_) => {}
            Err(e) => cx.toasts.push(cx.now, Level::Error, format!("Reading the details failed: {e}")),
        }
    }
    effects
}

fn show_details(
    cx: &mut Ctx,
    workspace: Uuid,
    outbound: Result<Vec<OutboundAllowList>, String>,
    kai: Result<KaiInfo, String>,
) {
    let ws = cx.data.workspace(workspace);
    let ws_name = ws.map_or_else(|| short_id(workspace), |w| w.name.clone());
    let group = ws.map(|w| cx.data.group_name(w.workspace_group_id));
    let outbound = match outbound {
        Ok(list) => json!(list.iter().filter_map(|o| o.outbound_allow_list.clone()).collect::<Vec<_>>()),
        Err(e) => json!(format!("unavailable: {e}")),
    };
    let kai = match kai {
        Ok(k) => json!(k.service_name),
        Err(e) => json!(format!("unavailable: {e}")),
    };
    let value = json!({
        "workspace": ws_name,
        "workspaceGroup": group,
        "outboundAllowList": outbound,
        "kaiEndpointService": kai,
        "workspaceID": workspace,
    });
    cx.modals
        .push(Modal::Describe(JsonView::new(format!("outbound allow list and Kai endpoint of {ws_name}"), &value)));
}

/// One of this pane's changes was accepted; `reply` is what the API answered.
pub fn on_changed(_state: &mut State, _reply: &ConnectionsReply) -> Vec<Effect> {
    // The list is read again after every change (and polled for creates and deletes).
    Vec::new()
}

/// Puts a freshly read connection into the list (an operation's poll): a DELETED one leaves it.
pub fn merge(p: &mut ConnectionsPane, cx: &mut Ctx, pc: PrivateConnection) {
    let in_scope = match p.scope {
        Scope::All => true,
        Scope::Group(g) => pc.workspace_group_id == g,
        Scope::Workspace { workspace, .. } => pc.workspace_id == Some(workspace),
    };
    if let Some(list) = p.list.value.as_mut() {
        let gone = pc.status == Some(ConnectionStatus::Deleted);
        match list.iter().position(|c| c.private_connection_id == pc.private_connection_id) {
            Some(i) if gone => {
                list.remove(i);
            }
            Some(i) => list[i] = pc,
            None if in_scope && !gone => list.push(pc),
            None => {}
        }
    }
    rebuild(p, cx);
}

fn status_of(cx: &Ctx, pc: &PrivateConnection) -> (String, Tone) {
    match cx.ops.pending_for(pc.private_connection_id) {
        Some(op) if op.kind.label() == DELETE_LABEL => ("deleting…".into(), Tone::Busy),
        _ => {
            let s = pc.status.as_ref().map_or("-".to_string(), |s| s.to_string());
            let tone = tone_of(&s);
            (s, tone)
        }
    }
}

pub fn rebuild(p: &mut ConnectionsPane, cx: &Ctx) {
    let rows = p
        .list
        .value
        .iter()
        .flatten()
        .map(|pc| {
            let (status, tone) = status_of(cx, pc);
            Row::new(
                pc.private_connection_id.to_string(),
                vec![
                    short_id(pc.private_connection_id),
                    pc.kind.as_ref().map_or("-".into(), |k| k.to_string()),
                    status,
                    cx.data.group_name(pc.workspace_group_id),
                    pc.workspace_id.map_or("(group)".into(), |w| {
                        cx.data.workspace(w).map_or_else(|| short_id(w), |ws| ws.name.clone())
                    }),
                    pc.service_name.clone().unwrap_or_else(|| "-".into()),
                    pc.endpoint.clone().unwrap_or_else(|| "-".into()),
                    pc.allow_list.clone().filter(|a| !a.is_empty()).unwrap_or_else(|| "-".into()),
                    pc.created_at.as_deref().map_or("-".into(), |c| age(cx.wall, c)),
                ],
            )
            .tone(2, tone)
        })
        .collect();
    p.table.set_rows(rows);
}

fn selected(p: &ConnectionsPane) -> Option<&PrivateConnection> {
    let id = Uuid::parse_str(p.table.selected_key()?).ok()?;
    p.list.value.as_ref()?.iter().find(|c| c.private_connection_id == id)
}

fn provider_of(cx: &Ctx, group: Uuid) -> Option<Provider> {
    cx.data.group(group).map(|g| g.provider.clone())
}

pub fn on_action(p: &mut ConnectionsPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::Describe => {
            if let Some(pc) = selected(p) {
                let title = format!("private connection {}", short_id(pc.private_connection_id));
                cx.describe(title, pc);
            }
            Vec::new()
        }
        Action::Copy => {
            let Some(pc) = selected(p) else { return Vec::new() };
            let (what, text) = match (&pc.endpoint, &pc.service_name) {
                (Some(e), _) => ("endpoint", e.clone()),
                (None, Some(s)) => ("service name", s.clone()),
                (None, None) => ("ID", pc.private_connection_id.to_string()),
            };
            cx.copy(text, format!("Copied the {what}"))
        }
        Action::Details => details(p, cx),
        Action::Create => open_create_form(p, cx),
        Action::Edit => {
            let Some(pc) = selected(p) else { return Vec::new() };
            if pc.status == Some(ConnectionStatus::Deleted) {
                cx.toasts.push(cx.now, Level::Error, "This connection is deleted.");
                return Vec::new();
            }
            let provider = provider_of(cx, pc.workspace_group_id);
            let validator = match provider {
                Some(Provider::Aws) => aws_allow_list,
                Some(Provider::Gcp) => gcp_allow_list,
                Some(Provider::Azure) => azure_allow_list,
                _ => allow_list,
            };
            let form = Form::new(
                format!(
                    "Allow list of {} ({})",
                    short_id(pc.private_connection_id),
                    cx.data.group_name(pc.workspace_group_id)
                ),
                vec![
                    Field::text("allow", "Allow list", pc.allow_list.as_deref().unwrap_or(""))
                        .validate(validator)
                        .hint(allow_hint(provider.as_ref())),
                ],
            );
            let id = pc.private_connection_id;
            cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::EditConnection(id), request: None }));
            Vec::new()
        }
        Action::Delete => {
            let Some(pc) = selected(p) else { return Vec::new() };
            let short = short_id(pc.private_connection_id);
            let kind = pc.kind.as_ref().map_or("-".to_string(), |k| k.to_string());
            let lines = vec![
                format!("Delete {kind} private connection {short} of {}?", cx.data.group_name(pc.workspace_group_id)),
                format!("Service: {}", pc.service_name.as_deref().unwrap_or("-")),
                "Traffic over it stops. This cannot be undone.".into(),
            ];
            let planned = Planned {
                mutation: Mutation::Connection(ConnectionsChange::Delete { id: pc.private_connection_id }),
                kind: OpKind::Change { label: DELETE_LABEL, done: "deleted" },
                target: Some(pc.private_connection_id),
                name: format!("{kind} connection {short}"),
                expect: Expect::Connection(ConnectionStatus::Deleted),
            };
            ops::confirm_typed(cx, "Delete private connection", lines, short, planned);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `i`: the outbound allow list and Kai endpoint of the connection's workspace (or, for a
/// group-wide connection, of a workspace in its group: both are per workspace in the API).
fn details(p: &mut ConnectionsPane, cx: &mut Ctx) -> Vec<Effect> {
    let (workspace, group) = match (selected(p), p.scope) {
        (Some(pc), _) => (pc.workspace_id, Some(pc.workspace_group_id)),
        (None, Scope::Workspace { workspace, .. }) => (Some(workspace), None),
        (None, Scope::Group(g)) => (None, Some(g)),
        (None, Scope::All) => (None, None),
    };
    let workspace = workspace.or_else(|| {
        let g = group?;
        cx.data.workspaces_in(g).find(|w| w.state != WorkspaceState::Terminated).map(|w| w.workspace_id)
    });
    let Some(workspace) = workspace else {
        cx.toasts.push(
            cx.now,
            Level::Error,
            "No workspace to ask: the outbound allow list and Kai endpoint are per workspace.",
        );
        return Vec::new();
    };
    let id = p.details.restart(cx.requests, Purpose::Pane(PaneId::Connections));
    vec![Effect::Fetch { id, fetch: Fetch::Connections(ConnectionsRequest::Details { workspace }) }]
}

/// "group" and "group › workspace" for every ACTIVE group and its live workspaces.
fn targets(cx: &Ctx) -> Vec<(String, Uuid, Option<Uuid>)> {
    let mut out = Vec::new();
    for g in cx.data.groups.value.iter().flatten().filter(|g| g.state == WorkspaceGroupState::Active) {
        out.push((format!("{} (whole group)", g.name), g.workspace_group_id, None));
        for w in cx.data.workspaces_in(g.workspace_group_id).filter(|w| w.state != WorkspaceState::Terminated) {
            out.push((format!("{} › {}", g.name, w.name), g.workspace_group_id, Some(w.workspace_id)));
        }
    }
    out
}

fn open_create_form(p: &mut ConnectionsPane, cx: &mut Ctx) -> Vec<Effect> {
    let targets = targets(cx);
    if targets.is_empty() {
        cx.toasts.push(cx.now, Level::Error, "No ACTIVE workspace group to connect to.");
        return Vec::new();
    }
    let preselect = targets
        .iter()
        .position(|(_, g, w)| match p.scope {
            Scope::All => false,
            Scope::Group(sg) => *g == sg && w.is_none(),
            Scope::Workspace { workspace, .. } => *w == Some(workspace),
        })
        .unwrap_or(0);
    let form = Form::new(
        "Request a private connection",
        vec![
            Field::choice("target", "For", targets.into_iter().map(|(label, _, _)| label).collect(), preselect),
            Field::choice("type", "Type", TYPES.iter().map(|s| s.to_string()).collect(), 0),
            Field::text("service", "Service name", "")
                .hint("OUTBOUND: the endpoint service to reach; INBOUND: empty (SingleStore names it)"),
            Field::text("allow", "Allow list", "")
                .validate(allow_list)
                .hint("AWS account IDs/ARNs, GCP project IDs or Azure subscription IDs, comma-separated"),
        ],
    );
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::CreateConnection, request: None }));
    Vec::new()
}

// ───────────────────────────── validation ─────────────────────────────

fn allow_hint(provider: Option<&Provider>) -> &'static str {
    match provider {
        Some(Provider::Aws) => "AWS account IDs (12 digits) or ARNs, comma-separated",
        Some(Provider::Gcp) => "GCP project IDs, comma-separated",
        Some(Provider::Azure) => "Azure subscription IDs (UUIDs), comma-separated",
        _ => "account, project or subscription IDs, comma-separated",
    }
}

/// A 12-digit AWS account ID.
pub fn aws_account(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

/// An AWS ARN naming an account: `arn:aws:iam::123456789012:root` (or a role/user of it).
pub fn aws_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && matches!(parts[1], "aws" | "aws-cn" | "aws-us-gov")
        && !parts[2].is_empty()
        && aws_account(parts[4])
        && !parts[5].is_empty()
}

/// A GCP project ID: 6–30 lower-case letters, digits and hyphens, starting with a letter,
/// not ending with a hyphen.
pub fn gcp_project(s: &str) -> bool {
    (6..=30).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && !s.ends_with('-')
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An Azure subscription ID (a UUID in its hyphenated form).
pub fn azure_subscription(s: &str) -> bool {
    s.len() == 36 && Uuid::parse_str(s).is_ok()
}

/// Entries shaped like an address or range are checked as CIDRs, with that message.
fn looks_like_cidr(s: &str) -> bool {
    !s.starts_with("arn:")
        && (s.contains('.') || s.contains('/'))
        && s.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '/'))
}

fn check_entries(s: &str, ok: fn(&str) -> bool, what: &str) -> Result<(), String> {
    split_allow(s).try_for_each(|entry| {
        if looks_like_cidr(entry) {
            return form::cidr(entry);
        }
        if ok(entry) { Ok(()) } else { Err(format!("{entry:?}: not {what}")) }
    })
}

/// Allow-list entries are separated by commas (or spaces).
pub fn split_allow(s: &str) -> impl Iterator<Item = &str> {
    form::split_list(s)
}

/// Any provider's entries (the create form, before the group decides which).
pub fn allow_list(s: &str) -> Result<(), String> {
    check_entries(
        s,
        |e| aws_account(e) || aws_arn(e) || gcp_project(e) || azure_subscription(e),
        "an account ID, ARN, project or subscription ID",
    )
}

pub fn aws_allow_list(s: &str) -> Result<(), String> {
    check_entries(s, |e| aws_account(e) || aws_arn(e), "an AWS account ID (12 digits) or ARN")
}

pub fn gcp_allow_list(s: &str) -> Result<(), String> {
    check_entries(s, gcp_project, "a GCP project ID")
}

pub fn azure_allow_list(s: &str) -> Result<(), String> {
    check_entries(s, azure_subscription, "an Azure subscription ID (UUID)")
}

fn allow_list_for(provider: Option<&Provider>, s: &str) -> Result<(), String> {
    match provider {
        Some(Provider::Aws) => aws_allow_list(s),
        Some(Provider::Gcp) => gcp_allow_list(s),
        Some(Provider::Azure) => azure_allow_list(s),
        _ => allow_list(s),
    }
}

/// The normalised allow list: entries joined by commas.
fn joined(s: &str) -> String {
    split_allow(s).collect::<Vec<_>>().join(",")
}

/// An OUTBOUND service name of the provider's shape.
fn service_name(provider: Option<&Provider>, s: &str) -> Result<(), String> {
    let ok = match provider {
        Some(Provider::Aws) => s.starts_with("com.amazonaws.") && !s.contains(char::is_whitespace),
        Some(Provider::Gcp) => s.starts_with("projects/") && s.contains("/serviceAttachments/"),
        Some(Provider::Azure) => s.starts_with("/subscriptions/") && s.contains("/privateLinkServices/"),
        _ => !s.is_empty(),
    };
    if ok {
        return Ok(());
    }
    Err(match provider {
        Some(Provider::Aws) => "an endpoint service like com.amazonaws.vpce.us-east-1.vpce-svc-0123…".into(),
        Some(Provider::Gcp) => "a service attachment like projects/P/regions/R/serviceAttachments/NAME".into(),
        Some(Provider::Azure) => "a Private Link service ID like /subscriptions/…/privateLinkServices/NAME".into(),
        _ => "required".into(),
    })
}

// ───────────────────────────── forms → changes ─────────────────────────────

/// The change a submitted connections form asks for, and for an edit, what changes.
pub fn plan(p: &ConnectionsPane, cx: &mut Ctx) -> Option<(Planned, Option<Vec<String>>)> {
    plan_in_form(cx, |cx, modal| match modal.purpose {
        FormPurpose::CreateConnection => planned_create(cx, &modal.form).map(|p| (p, None)),
        FormPurpose::EditConnection(id) => planned_update(p, cx, id, &modal.form).map(|(p, d)| (p, Some(d))),
        _ => Err((None, "not a private connections form".into())),
    })
}

pub fn planned_create(cx: &Ctx, form: &Form) -> Result<Planned, Problem> {
    let label = form.value("target");
    let (_, group, workspace) =
        targets(cx).into_iter().find(|(l, _, _)| *l == label).ok_or((Some("target"), format!("{label} is gone")))?;
    let provider = provider_of(cx, group);
    let kind = ConnectionType::from_wire(&form.value("type"));
    let service = form.value("service").trim().to_string();
    match kind {
        ConnectionType::Outbound if service.is_empty() => {
            return Err((Some("service"), "required for an OUTBOUND connection".into()));
        }
        ConnectionType::Outbound => service_name(provider.as_ref(), &service).map_err(|e| (Some("service"), e))?,
        _ if !service.is_empty() => {
            return Err((
                Some("service"),
                "leave empty: SingleStore names the service of an INBOUND connection".into(),
            ));
        }
        _ => {}
    }
    let allow = form.value("allow");
    allow_list_for(provider.as_ref(), allow.trim()).map_err(|e| (Some("allow"), e))?;
    let allow = joined(&allow);
    let group_name = cx.data.group_name(group);
    let target_name = match workspace.and_then(|w| cx.data.workspace(w)) {
        Some(w) => format!("{group_name}/{}", w.name),
        None => group_name,
    };
    let body = PrivateConnectionCreate {
        workspace_group_id: group,
        workspace_id: workspace,
        kind: Some(kind.clone()),
        service_name: (!service.is_empty()).then_some(service),
        allow_list: (!allow.is_empty()).then_some(allow),
        ..PrivateConnectionCreate::default()
    };
    Ok(Planned {
        mutation: Mutation::Connection(ConnectionsChange::Create(body)),
        kind: OpKind::Change { label: "create private connection", done: "active" },
        target: None,
        name: format!("{kind} connection of {target_name}"),
        expect: Expect::Connection(ConnectionStatus::Active),
    })
}

pub fn planned_update(p: &ConnectionsPane, cx: &Ctx, id: Uuid, form: &Form) -> Result<(Planned, Vec<String>), Problem> {
    let pc = p
        .list
        .value
        .iter()
        .flatten()
        .find(|c| c.private_connection_id == id)
        .ok_or((None, "the connection is gone".to_string()))?;
    let provider = provider_of(cx, pc.workspace_group_id);
    let allow = form.value("allow");
    allow_list_for(provider.as_ref(), allow.trim()).map_err(|e| (Some("allow"), e))?;
    let new = joined(&allow);
    let old = pc.allow_list.clone().unwrap_or_default();
    if new == joined(&old) {
        return Err((None, "nothing changed".into()));
    }
    // One entry a line: a whole list on one line would not fit the review.
    let old_entries: Vec<&str> = split_allow(&old).collect();
    let new_entries: Vec<&str> = split_allow(&new).collect();
    let mut diff: Vec<String> =
        new_entries.iter().filter(|e| !old_entries.contains(e)).map(|e| format!("allow {e}")).collect();
    diff.extend(old_entries.iter().filter(|e| !new_entries.contains(e)).map(|e| format!("stop allowing {e}")));
    if diff.is_empty() {
        diff.push("reorder the allow list".into());
    }
    let short = short_id(id);
    Ok((
        Planned::change(
            Mutation::Connection(ConnectionsChange::UpdateAllowList { id, allow_list: new }),
            "update allow list",
            "updated",
            Some(id),
            format!("connection {short}"),
        ),
        diff,
    ))
}

pub fn render(frame: &mut Frame, area: Rect, p: &ConnectionsPane, cx: &View) {
    let t = &cx.theme;
    let table = &p.table;
    let scope = match p.scope {
        Scope::All => "all groups".to_string(),
        Scope::Group(g) => format!("group {}", cx.data.group_name(g)),
        Scope::Workspace { workspace, .. } => {
            format!(
                "workspace {}",
                cx.data.workspace(workspace).map_or_else(|| short_id(workspace), |w| w.name.clone())
            )
        }
    };
    let mut spans = vec![
        Span::styled(" Private connections ", t.title),
        Span::styled(format!("({scope}) [{}/{}] ", table.len(), table.total()), t.dim),
    ];
    if let Some((g, e)) = p.failed.first() {
        spans.push(Span::styled(format!("{} failed: {e} ", cx.data.group_name(*g)), t.error));
    }
    spans.extend(status::stale(&p.list, cx.now, t));
    let none = "No private connections. Press c to request one.";
    let empty = status::empty("private connections", &p.list, none, cx.requests.next_refresh, cx.now);
    table::render(frame, area, table, t, Line::from(spans), &empty);
}

impl Pane for ConnectionsPane {
    const ID: PaneId = PaneId::Connections;
    const TITLE: &'static str = "Private connections";
    const COMMAND: Option<Command> =
        Some(Command { name: "pc", aliases: &["connections", "privateconnections"], help: "Private connections" });
    const KEYS: &'static [KeyDef] = KEYS;
    const API: Option<ApiVersion> = Some(ApiVersion::V1);
    type Reply = ConnectionsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(self, cx)
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<ConnectionsReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_form(&mut self, cx: &mut Ctx, _purpose: FormPurpose) -> Vec<Effect> {
        match plan(self, cx) {
            Some(planned) => super::ops::submit(cx, Ok(planned)),
            None => Vec::new(),
        }
    }

    fn command(&mut self, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
        let before = self.scope;
        let effects = command(self, cx, args);
        // Shown already at the top (no place): the loop will not come again, so read the new
        // scope now; with a place the loop moves to the top and reads it.
        if cx.here == PaneId::Connections && self.scope != before && self.place().is_none() {
            return refresh(self, cx);
        }
        effects
    }

    fn place(&self) -> Option<Uuid> {
        match self.scope {
            Scope::All => None,
            Scope::Group(g) => Some(g),
            Scope::Workspace { workspace, .. } => Some(workspace),
        }
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        // A place is a group or a workspace; which one, the shared data says. Arriving with
        // none (tab, a number key) keeps the scope the pane had.
        let scope = match place {
            None => return Vec::new(),
            Some(id) => match cx.data.workspace(id) {
                Some(w) => Scope::Workspace { workspace: id, group: w.workspace_group_id },
                None => Scope::Group(id),
            },
        };
        open(self, cx, scope)
    }

    fn rebuild(&mut self, cx: &Ctx) {
        rebuild(self, cx);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.list.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}
