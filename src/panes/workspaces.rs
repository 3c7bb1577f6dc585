//! Workspaces of every group (or of one, after drilling down from a group): suspend, resume,
//! create, resize, terminate, copy the connection string, open a SQL shell.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::Action;
use crate::panes::ops::{self, Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, NoReply, Pane, View};
use crate::state::PaneId;
use crate::state::age;
use crate::theme::Tone;
use crate::widgets::form::{self, Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

pub use super::deployment::SIZES;
use super::deployment::{
    self as deploy, DEPLOYMENT_TYPES, Deployment, MULTIPLIERS, SENSITIVITIES, SUSPEND_TYPES, index_of,
};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Workspaces), "s", Action::Suspend, "suspend", "Suspend the workspace (or the marked ones)"),
    (Context::Pane(PaneId::Workspaces), "r", Action::Resume, "resume", "Resume the workspace (or the marked ones)"),
    (Context::Pane(PaneId::Workspaces), "c", Action::Create, "create", "Create a workspace"),
    (Context::Pane(PaneId::Workspaces), "e", Action::Edit, "edit", "Resize or reconfigure the workspace"),
    (Context::Pane(PaneId::Workspaces), "ctrl-d", Action::Delete, "terminate", "Terminate the workspace (type its name to confirm)"),
    (Context::Pane(PaneId::Workspaces), "space", Action::Mark, "mark", "Mark for a batch suspend or resume"),
    (Context::Pane(PaneId::Workspaces), "ctrl-space", Action::MarkRange, "", "Mark every row from the last marked one to here"),
    (Context::Pane(PaneId::Workspaces), "ctrl-a", Action::MarkAll, "", "Mark every row shown"),
    (Context::Pane(PaneId::Workspaces), "ctrl-\\", Action::Unmark, "", "Clear every mark"),
    (Context::Pane(PaneId::Workspaces), "y", Action::Copy, "copy", "Copy the connection string"),
    (Context::Pane(PaneId::Workspaces), "p", Action::Details, "", "Private connections of the workspace"),
    (Context::Pane(PaneId::Workspaces), "x", Action::Shell, "sql", "Open a SQL shell on the workspace"),
];

#[derive(Debug)]
pub struct WorkspacesPane {
    pub table: TableState,
    /// The group drilled into; `None` = every group.
    pub group: Option<Uuid>,
}

impl Default for WorkspacesPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("GROUP", Constraint::Fill(2)).min(12).optional(2),
                Column::new("SIZE", Constraint::Length(5)),
                Column::new("STATE", Constraint::Length(12)),
                Column::new("ENDPOINT", Constraint::Fill(3)).min(24).optional(4),
                Column::new("AUTO-SUSPEND", Constraint::Length(12)).optional(3),
                Column::new("CREATED", Constraint::Length(7)).optional(1),
                Column::new("RESUMED", Constraint::Length(7)).optional(5),
            ]),
            group: None,
        }
    }
}

/// A workspace as the pieces it shares with clusters see it.
fn deployment(cx: &Ctx, ws: &Workspace) -> Deployment {
    Deployment {
        id: ws.workspace_id,
        name: ws.name.clone(),
        state: ws.state.to_string(),
        size: ws.size.clone(),
        scale: ws.scale_factor,
        cache: ws.cache_config,
        scaling: ws.scaling_progress,
        endpoint: ws.endpoint.clone(),
        place: cx.data.group_name(ws.workspace_group_id),
    }
}

fn auto_suspend(ws: &Workspace) -> String {
    let a = ws.auto_suspend.as_ref();
    deploy::auto_suspend(a.map(|a| &a.suspend_type), a.and_then(|a| a.idle_after_seconds.or(a.scheduled_after_seconds)))
}

/// Rebuilds the rows from the shared workspace list, the scope and pending operations.
pub fn rebuild(p: &mut WorkspacesPane, cx: &Ctx) {
    let scope = p.group;
    let rows: Vec<Row> = cx
        .data
        .workspaces
        .value
        .iter()
        .flatten()
        .filter(|w| scope.is_none_or(|g| w.workspace_group_id == g))
        .map(|w| {
            let (shown, tone) = deploy::shown_state(cx, &deployment(cx, w));
            // Rows kept from an older read when the latest read of their group failed.
            let stale = cx.data.stale_groups.get(&w.workspace_group_id).map(|s| s.suffix(cx.now));
            let row = Row::new(
                w.workspace_id.to_string(),
                vec![
                    format!("{}{}", w.name, stale.as_deref().unwrap_or_default()),
                    cx.data.group_name(w.workspace_group_id),
                    w.size.clone(),
                    shown,
                    w.endpoint.clone().unwrap_or_else(|| "-".into()),
                    auto_suspend(w),
                    age(cx.wall, &w.created_at),
                    w.last_resumed_at.as_deref().map_or("-".into(), |t| age(cx.wall, t)),
                ],
            );
            match stale {
                Some(_) => (0..8).fold(row, |row, c| row.tone(c, Tone::Gone)),
                None => row.tone(3, tone),
            }
        })
        .collect();
    p.table.set_rows(rows);
}

fn selected<'a>(p: &'a WorkspacesPane, cx: &'a Ctx) -> Option<&'a Workspace> {
    let key = p.table.selected_key()?;
    let id = Uuid::parse_str(key).ok()?;
    cx.data.workspace(id)
}

/// The marked workspaces, or the selected one when nothing is marked.
fn targets<'a>(p: &'a WorkspacesPane, cx: &'a Ctx) -> Vec<&'a Workspace> {
    let marks = &p.table.marks;
    if marks.is_empty() {
        return selected(p, cx).into_iter().collect();
    }
    cx.data.workspaces.value.iter().flatten().filter(|w| marks.contains(&w.workspace_id.to_string())).collect()
}

pub fn on_action(p: &mut WorkspacesPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::Suspend => batch(p, cx, OpKind::SuspendWorkspace),
        Action::Resume => batch(p, cx, OpKind::ResumeWorkspace),
        Action::Mark | Action::MarkRange | Action::MarkAll | Action::Unmark => {
            p.table.on_mark(action);
            Vec::new()
        }
        Action::Describe => {
            if let Some(ws) = selected(p, cx) {
                let value = serde_json::to_value(ws).unwrap_or_default();
                let title = format!("workspace {}", ws.name);
                cx.modals.push(Modal::Describe(JsonView::new(title, &value)));
            }
            Vec::new()
        }
        Action::Copy => {
            let d = selected(p, cx).map(|w| deployment(cx, w));
            deploy::copy(cx, d, "workspace")
        }
        Action::Shell => {
            let d = selected(p, cx).map(|w| deployment(cx, w));
            deploy::shell(cx, d, "workspace")
        }
        Action::Delete => {
            if let Some(ws) = selected(p, cx) {
                let planned = Planned {
                    mutation: Mutation::TerminateWorkspace { id: ws.workspace_id },
                    kind: OpKind::TerminateWorkspace,
                    target: Some(ws.workspace_id),
                    name: ws.name.clone(),
                    expect: Expect::Workspace(WorkspaceState::Terminated),
                };
                let lines = vec![
                    format!(
                        "Terminate workspace {} ({}, {})?",
                        ws.name,
                        ws.size,
                        cx.data.group_name(ws.workspace_group_id)
                    ),
                    "Its compute is released and its databases are detached. This cannot be undone.".into(),
                ];
                let name = ws.name.clone();
                ops::confirm_typed(cx, "Terminate workspace", lines, name, planned);
            }
            Vec::new()
        }
        Action::Create => {
            open_create_form(p, cx);
            deploy::form_estimate(cx, true)
        }
        Action::Edit => {
            match selected(p, cx) {
                Some(ws) if ws.state == WorkspaceState::Active => {
                    let form = edit_form(ws);
                    let id = ws.workspace_id;
                    cx.modals.push(Modal::Form(FormModal {
                        form,
                        purpose: FormPurpose::EditWorkspace(id),
                        request: None,
                    }));
                    return deploy::form_estimate(cx, true);
                }
                Some(ws) => {
                    let msg = format!("{} is {}: only an ACTIVE workspace can be changed", ws.name, ws.state);
                    cx.toasts.push(cx.now, Level::Error, msg);
                }
                None => {}
            }
            Vec::new()
        }
        Action::Details => match selected(p, cx).map(|w| (w.workspace_id, w.workspace_group_id)) {
            Some((workspace, group)) => {
                let _ = group;
                cx.go(PaneId::Connections, Some(workspace));
                Vec::new()
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Suspend or resume the marked workspaces (or the selected one), after one confirmation.
fn batch(p: &mut WorkspacesPane, cx: &mut Ctx, kind: OpKind) -> Vec<Effect> {
    let targets: Vec<Deployment> = targets(p, cx).into_iter().map(|w| deployment(cx, w)).collect();
    deploy::batch(cx, targets, kind, "workspace", |d| Planned {
        mutation: match kind {
            OpKind::SuspendWorkspace => Mutation::SuspendWorkspace { id: d.id },
            _ => Mutation::ResumeWorkspace { id: d.id, disable_auto_suspend: false },
        },
        kind,
        target: Some(d.id),
        name: d.name.clone(),
        expect: Expect::Workspace(if kind == OpKind::SuspendWorkspace {
            WorkspaceState::Suspended
        } else {
            WorkspaceState::Active
        }),
    })
}

fn open_create_form(p: &mut WorkspacesPane, cx: &mut Ctx) {
    let groups: Vec<&WorkspaceGroup> =
        cx.data.groups.value.iter().flatten().filter(|g| g.state == WorkspaceGroupState::Active).collect();
    if groups.is_empty() {
        cx.toasts.push(
            cx.now,
            Level::Error,
            "A workspace lives in an ACTIVE workspace group and there is none: press 1, then c, to create a group first.",
        );
        return;
    }
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let preselect = p.group.and_then(|g| groups.iter().position(|x| x.workspace_group_id == g)).unwrap_or(0);
    let form = Form::new(
        "Create workspace",
        vec![
            Field::choice("group", "Group", names, preselect),
            Field::text("name", "Name", "").validate(form::resource_name).hint("letters, digits, - and _"),
            Field::choice("size", "Size", SIZES.iter().map(|s| s.to_string()).collect(), 0),
            Field::choice("suspend", "Auto-suspend", SUSPEND_TYPES.iter().map(|s| s.to_string()).collect(), 1),
            Field::text("after", "Suspend after (s)", "3600").validate(form::seconds).hint("seconds, at least 60"),
            Field::choice("deployment", "Deployment", DEPLOYMENT_TYPES.iter().map(|s| s.to_string()).collect(), 0),
        ],
    );
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::CreateWorkspace, request: None }));
}

fn edit_form(ws: &Workspace) -> Form {
    let mult = |v: Option<f64>| index_of(&MULTIPLIERS, &format!("{}", v.unwrap_or(1.0) as u64));
    let suspend_type = ws.auto_suspend.as_ref().map_or("DISABLED".to_string(), |a| a.suspend_type.to_string());
    let after = ws
        .auto_suspend
        .as_ref()
        .and_then(|a| a.idle_after_seconds.or(a.scheduled_after_seconds))
        .map_or(String::new(), |s| format!("{}", s as u64));
    let scale = ws.auto_scale.as_ref();
    let mut size_options: Vec<String> = SIZES.iter().map(|s| s.to_string()).collect();
    if !size_options.contains(&ws.size) {
        size_options.insert(0, ws.size.clone());
    }
    let size_index = size_options.iter().position(|s| *s == ws.size).unwrap_or(0);
    Form::new(
        format!("Edit workspace {}", ws.name),
        vec![
            Field::choice("size", "Size", size_options, size_index),
            Field::choice(
                "scale",
                "Scale factor",
                MULTIPLIERS.iter().map(|s| s.to_string()).collect(),
                mult(ws.scale_factor),
            ),
            Field::choice(
                "cache",
                "Cache config",
                MULTIPLIERS.iter().map(|s| s.to_string()).collect(),
                mult(ws.cache_config),
            ),
            Field::choice(
                "autoscale",
                "Auto-scale max",
                MULTIPLIERS.iter().map(|s| s.to_string()).collect(),
                mult(scale.and_then(|a| a.max_scale_factor)),
            )
            .hint("1 turns auto-scaling off"),
            Field::choice(
                "sensitivity",
                "Sensitivity",
                SENSITIVITIES.iter().map(|s| s.to_string()).collect(),
                index_of(&SENSITIVITIES, scale.and_then(|a| a.sensitivity.as_ref()).map_or("NORMAL", |s| s.as_str())),
            ),
            Field::choice(
                "suspend",
                "Auto-suspend",
                SUSPEND_TYPES.iter().map(|s| s.to_string()).collect(),
                index_of(&SUSPEND_TYPES, &suspend_type),
            ),
            Field::text("after", "Suspend after (s)", &after).validate(form::seconds),
            Field::choice(
                "deployment",
                "Deployment",
                DEPLOYMENT_TYPES.iter().map(|s| s.to_string()).collect(),
                index_of(&DEPLOYMENT_TYPES, ws.deployment_type.as_ref().map_or("PRODUCTION", |d| d.as_str())),
            ),
        ],
    )
}

/// The create request for a submitted form.
pub fn planned_create(cx: &Ctx, form: &Form) -> Result<Planned, String> {
    let group_name = form.value("group");
    let group = cx
        .data
        .groups
        .value
        .iter()
        .flatten()
        .find(|g| g.name == group_name)
        .ok_or_else(|| format!("group {group_name} is gone"))?;
    let name = form.value("name").trim().to_string();
    let suspend = SuspendType::from_wire(&form.value("suspend"));
    let after: Option<f64> = form.value("after").trim().parse().ok();
    let body = WorkspaceCreate {
        name: name.clone(),
        workspace_group_id: group.workspace_group_id,
        size: Some(form.value("size")),
        auto_suspend: Some(AutoSuspendSettings {
            suspend_after_seconds: if suspend == SuspendType::Disabled { None } else { after },
            suspend_type: Some(suspend),
        }),
        deployment_type: Some(DeploymentType::from_wire(&form.value("deployment"))),
        ..WorkspaceCreate::default()
    };
    Ok(Planned {
        mutation: Mutation::CreateWorkspace(body),
        kind: OpKind::CreateWorkspace,
        target: None,
        name,
        expect: Expect::Workspace(WorkspaceState::Active),
    })
}

/// Asks before a billable create, with the cost estimate the form shows (or will get).
pub fn confirm_create(cx: &mut Ctx, planned: Planned) -> Vec<Effect> {
    let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
    let (size, group) = (f.form.value("size"), f.form.value("group"));
    let what = format!("Create workspace {} ({size}) in group {group}?", planned.name);
    deploy::confirm_create(cx, "Create workspace", what, planned)
}

/// The update for a submitted edit form, and the lines that say what changes.
pub fn planned_update(cx: &Ctx, id: Uuid, form: &Form) -> Result<(Planned, Vec<String>), String> {
    let ws = cx.data.workspace(id).ok_or("the workspace is gone")?;
    let mut body = WorkspaceUpdate::default();
    let mut diff = Vec::new();
    let size = form.value("size");
    if size != ws.size {
        diff.push(format!("size: {} → {size}", ws.size));
        body.size = Some(size.clone());
    }
    let num = |s: String| s.parse::<f64>().unwrap_or(1.0);
    let scale = num(form.value("scale"));
    if scale != ws.scale_factor.unwrap_or(1.0) {
        diff.push(format!("scale factor: {} → {scale}", ws.scale_factor.unwrap_or(1.0)));
        body.scale_factor = Some(scale);
    }
    let cache = num(form.value("cache"));
    if cache != ws.cache_config.unwrap_or(1.0) {
        diff.push(format!("cache config: {} → {cache}", ws.cache_config.unwrap_or(1.0)));
        body.cache_config = Some(cache);
    }
    let old_scale = ws.auto_scale.clone().unwrap_or_default();
    let max = num(form.value("autoscale"));
    let sensitivity = AutoScaleSensitivity::from_wire(&form.value("sensitivity"));
    let old_sensitivity = old_scale.sensitivity.clone().unwrap_or(AutoScaleSensitivity::Normal);
    if max != old_scale.max_scale_factor.unwrap_or(1.0) || (max > 1.0 && sensitivity != old_sensitivity) {
        diff.push(format!(
            "auto-scale: max {} {} → max {max} {sensitivity}",
            old_scale.max_scale_factor.unwrap_or(1.0),
            old_sensitivity
        ));
        body.auto_scale =
            Some(AutoScale { max_scale_factor: Some(max), sensitivity: Some(sensitivity), ..AutoScale::default() });
    }
    let suspend = SuspendType::from_wire(&form.value("suspend"));
    let after: Option<f64> = form.value("after").trim().parse().ok();
    let old_type = ws.auto_suspend.as_ref().map_or(SuspendType::Disabled, |a| a.suspend_type.clone());
    let old_after = ws.auto_suspend.as_ref().and_then(|a| a.idle_after_seconds.or(a.scheduled_after_seconds));
    if suspend != old_type || (suspend != SuspendType::Disabled && after != old_after) {
        if suspend != SuspendType::Disabled && after.is_none() {
            return Err("auto-suspend needs a number of seconds".into());
        }
        diff.push(format!(
            "auto-suspend: {old_type} {} → {suspend} {}",
            old_after.map_or(String::new(), |s| format!("{s}s")),
            after.filter(|_| suspend != SuspendType::Disabled).map_or(String::new(), |s| format!("{s}s"))
        ));
        body.auto_suspend = Some(AutoSuspendSettings {
            suspend_type: Some(suspend.clone()),
            suspend_after_seconds: after.filter(|_| suspend != SuspendType::Disabled),
        });
    }
    let deployment = DeploymentType::from_wire(&form.value("deployment"));
    if Some(&deployment) != ws.deployment_type.as_ref() {
        diff.push(format!(
            "deployment: {} → {deployment}",
            ws.deployment_type.as_ref().map_or("-", DeploymentType::as_str)
        ));
        body.deployment_type = Some(deployment);
    }
    if body.is_empty() {
        return Err("nothing changed".into());
    }
    let expect = match &body.size {
        Some(size) => Expect::WorkspaceSize(size.clone()),
        None => Expect::Workspace(WorkspaceState::Active),
    };
    Ok((
        Planned {
            mutation: Mutation::UpdateWorkspace { id, body },
            kind: OpKind::UpdateWorkspace,
            target: Some(id),
            name: ws.name.clone(),
            expect,
        },
        diff,
    ))
}

pub fn render(frame: &mut Frame, area: Rect, p: &WorkspacesPane, cx: &View) {
    let t = &cx.theme;
    let table = &p.table;
    let scope = match p.group {
        Some(g) => format!("group {}", cx.data.group_name(g)),
        None => "all groups".to_string(),
    };
    let mut spans = vec![
        Span::styled(" Workspaces ", t.title),
        Span::styled(format!("({scope}) [{}/{}] ", table.len(), table.total()), t.dim),
    ];
    spans.extend(status::stale(&cx.data.workspaces, cx.now, t));
    let (groups, retry) = (&cx.data.groups, cx.requests.next_refresh);
    let no_group = groups.value.as_ref().is_some_and(|g| g.is_empty());
    let empty = if groups.value.is_none() && groups.error.is_some() {
        // Without the groups no workspace can be asked for: their failure is the one to show.
        status::empty("workspace groups", groups, "", retry, cx.now)
    } else if no_group && groups.error.is_none() {
        // A workspace needs a group: the first step is the group, not `c` here.
        "No workspace groups yet. First create one: press 1 (Workspace groups), then c.".to_string()
    } else {
        status::empty("workspaces", &cx.data.workspaces, "No workspaces. Press c to create one.", retry, cx.now)
    };
    // A kept row's age follows the clock, not the last rebuild.
    table::render_live(frame, area, table, t, Line::from(spans), &empty, |row| with_stale_age(row, cx));
}

/// `row` with the age of its group's kept rows as of the frame being drawn.
fn with_stale_age<'r>(row: &'r Row, cx: &View) -> Cow<'r, Row> {
    // Drawn every frame: rows that carry no age (nearly all) cost one look at their name.
    if cx.data.stale_groups.is_empty() {
        return Cow::Borrowed(row);
    }
    let Some(at) = row.cells.first().and_then(|c| c.rfind(" (stale")) else { return Cow::Borrowed(row) };
    let ws = Uuid::parse_str(&row.key).ok().and_then(|id| cx.data.workspace(id));
    match ws.and_then(|w| cx.data.stale_groups.get(&w.workspace_group_id)) {
        Some(stale) => {
            let mut row = row.clone();
            row.cells[0] = format!("{}{}", &row.cells[0][..at], stale.suffix(cx.now));
            Cow::Owned(row)
        }
        None => Cow::Borrowed(row),
    }
}

/// Reads groups, and the workspaces of `only`, or of as many groups as the request budget
/// allows, those with rows on screen (`shown`) first.
pub fn refresh_core(cx: &mut Ctx, only: Option<Uuid>, shown: &[Uuid]) -> Vec<Effect> {
    let (now, rate, period) = (cx.now, cx.session.request_rate, cx.session.refresh_every);
    let mut effects: Vec<Effect> = cx.fetch(Fetch::Groups).into_iter().collect();
    cx.budget.spend(now, rate, period, effects.len());
    let scope: Vec<Uuid> = match only {
        Some(g) => vec![g],
        // Queued behind the read in flight: which groups it asks for is picked when it goes out.
        None if cx.data.workspaces.in_flight() => Vec::new(),
        None => {
            let all: Vec<Uuid> = cx.data.groups.value.iter().flatten().map(|g| g.workspace_group_id).collect();
            cx.budget.pick(now, rate, period, &all, shown)
        }
    };
    if !scope.is_empty() || cx.data.workspaces.in_flight() {
        effects.extend(cx.fetch(Fetch::Workspaces { groups: scope }));
    }
    effects
}

/// The groups of the workspaces on screen.
pub fn groups_on_screen(table: &TableState, data: &crate::state::Data) -> Vec<Uuid> {
    table
        .on_screen()
        .filter_map(|k| Uuid::parse_str(k).ok())
        .filter_map(|id| data.workspace(id))
        .map(|w| w.workspace_group_id)
        .collect()
}

impl Pane for WorkspacesPane {
    const ID: PaneId = PaneId::Workspaces;
    const TITLE: &'static str = "Workspaces";
    const COMMAND: Option<Command> =
        Some(Command { name: "workspaces", aliases: &["ws"], help: "Workspaces of every group" });
    const KEYS: &'static [KeyDef] = KEYS;
    const API: Option<ApiVersion> = Some(ApiVersion::V1);
    type Reply = NoReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let shown = groups_on_screen(&self.table, cx.data);
        refresh_core(cx, self.group, &shown)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let planned = match purpose {
            // A workspace is billed while it runs: the create is confirmed with what it costs.
            FormPurpose::CreateWorkspace => match planned_create(cx, &f.form) {
                Ok(planned) => return confirm_create(cx, planned),
                Err(e) => Err(e),
            },
            // A resize shows what changes and asks once more before anything is sent.
            FormPurpose::EditWorkspace(id) => planned_update(cx, id, &f.form).map(|(p, diff)| (p, Some(diff))),
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned)
    }

    fn on_form_edit(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        deploy::form_estimate(cx, false)
    }

    fn place(&self) -> Option<Uuid> {
        self.group
    }

    fn arrive(&mut self, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
        if self.group != place {
            self.group = place;
            deploy::clear_for_new_scope(&mut self.table);
            rebuild(self, cx);
            self.table.top();
        }
        Vec::new()
    }

    fn breadcrumbs(&self, view: &View) -> Option<Vec<String>> {
        let g = self.group?;
        Some(vec![PaneId::Groups.title().to_string(), view.data.group_name(g), Self::TITLE.to_string()])
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

    fn freshness(&self, view: &View) -> Option<Option<std::time::Instant>> {
        // The list is the groups and their workspaces: it is as fresh as the older of the two.
        let (groups, workspaces) = (view.data.groups.fetched_at, view.data.workspaces.fetched_at);
        Some(groups.zip(workspaces).map(|(g, w)| g.min(w)))
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}
