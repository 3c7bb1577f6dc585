//! Workspace groups: open one to see its workspaces; create, edit, terminate.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::Action;
use crate::msg::RequestId;
use crate::panes::ops::{self, Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::age;
use crate::state::{Data, Failure, PaneId, Purpose, Resource};
use crate::theme::tone_of;
use crate::widgets::form::{self, Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

const DEPLOYMENT_TYPES: [&str; 2] = ["PRODUCTION", "NON-PRODUCTION"];

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Groups), "enter", Action::Open, "workspaces", "Open the group's workspaces"),
    (Context::Pane(PaneId::Groups), "a", Action::Access, "", "Who holds which role on the group"),
    (Context::Pane(PaneId::Groups), "c", Action::Create, "create", "Create a workspace group"),
    (Context::Pane(PaneId::Groups), "e", Action::Edit, "edit", "Edit the group (name, firewall, password, expiry)"),
    (Context::Pane(PaneId::Groups), "ctrl-d", Action::Delete, "terminate", "Terminate the group (type its name to confirm)"),
    (Context::Pane(PaneId::Groups), "y", Action::Copy, "", "Copy the group ID"),
    (Context::Pane(PaneId::Groups), "p", Action::Details, "", "Private connections of the group"),
    (Context::Pane(PaneId::Groups), "i", Action::Settings, "", "Settings of the group: update window, HA, identity, delegated entities"),
    (Context::Pane(PaneId::Groups), "D", Action::Recovery, "", "Storage DR of the group: replicas, failover, failback"),
];

#[derive(Debug)]
pub struct GroupsPane {
    pub table: TableState,
    /// The organization's projects, for the create form: read on the first visit, and again
    /// at `c` if that read failed (the form then offers the projects the groups name).
    pub projects: Resource<Vec<Project>>,
}

impl Default for GroupsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("REGION", Constraint::Fill(2)).min(12),
                Column::new("CLOUD", Constraint::Length(5)),
                Column::new("STATE", Constraint::Length(12)),
                Column::new("WS", Constraint::Length(3)),
                Column::new("CREATED", Constraint::Length(7)).optional(2),
                Column::new("EXPIRES", Constraint::Length(10)).optional(1),
                Column::new("DEPLOYMENT", Constraint::Length(14)).optional(3),
                Column::new("DR", Constraint::Length(7)).optional(2),
            ]),
            projects: Resource::default(),
        }
    }
}

pub fn rebuild(p: &mut GroupsPane, cx: &Ctx) {
    let rows = cx
        .data
        .groups
        .value
        .iter()
        .flatten()
        .map(|g| {
            let (shown, tone) = match cx.ops.pending_for(g.workspace_group_id) {
                Some(op) => (op.progress(), crate::theme::Tone::Busy),
                None => (g.state.to_string(), tone_of(g.state.as_str())),
            };
            let count = cx.data.workspaces_in(g.workspace_group_id).count();
            let expires = match g.expires_at.as_deref().and_then(parse_time) {
                Some(t) if t > cx.wall => {
                    format!("in {}", crate::state::human_duration((t - cx.wall).to_std().unwrap_or_default()))
                }
                Some(_) => "expired".into(),
                None => "-".into(),
            };
            Row::new(
                g.workspace_group_id.to_string(),
                vec![
                    g.name.clone(),
                    g.region_name.clone(),
                    g.provider.to_string(),
                    shown,
                    if cx.data.workspaces.value.is_some() { count.to_string() } else { "…".into() },
                    age(cx.wall, &g.created_at),
                    expires,
                    g.deployment_type.as_ref().map_or("-".into(), |d| d.to_string()),
                    g.smart_dr_status.as_ref().map_or("-".into(), |d| d.to_string()),
                ],
            )
            .tone(3, tone)
        })
        .collect();
    p.table.set_rows(rows);
}

/// The breadcrumbs of a view of one group: the groups list, the group, the view.
pub fn crumbs(view: &View, group: Uuid, leaf: &str) -> Vec<String> {
    let name = view.data.group(group).map_or(group.to_string(), |g| g.name.clone());
    vec!["Workspace groups".into(), name, leaf.into()]
}

fn selected<'a>(p: &'a GroupsPane, cx: &'a Ctx) -> Option<&'a WorkspaceGroup> {
    let id = Uuid::parse_str(p.table.selected_key()?).ok()?;
    cx.data.group(id)
}

pub fn on_action(p: &mut GroupsPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::Access => {
            if let Some((id, name)) = selected(p, cx).map(|g| (g.workspace_group_id, g.name.clone())) {
                super::access::open(cx, ResourceRef::new(ResourceType::Cluster, id), name);
            }
            Vec::new()
        }
        Action::Open => match selected(p, cx).map(|g| g.workspace_group_id) {
            Some(id) => {
                cx.go(PaneId::Workspaces, Some(id));
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::Describe => {
            if let Some(g) = selected(p, cx) {
                let value = serde_json::to_value(g).unwrap_or_default();
                let title = format!("workspace group {}", g.name);
                cx.modals.push(Modal::Describe(JsonView::new(title, &value)));
            }
            Vec::new()
        }
        Action::Copy => match selected(p, cx).map(|g| (g.name.clone(), g.workspace_group_id)) {
            Some((name, id)) => cx.copy(id.to_string(), format!("Copied the ID of {name}")),
            None => Vec::new(),
        },
        Action::Create => {
            // A failed projects read is tried again; meanwhile the form offers what the groups name.
            let mut effects = if p.projects.error.is_some() { read_projects(p, cx) } else { Vec::new() };
            effects.extend(open_create_form(p, cx));
            effects
        }
        Action::Edit => {
            if let Some(g) = selected(p, cx) {
                let form = edit_form(g);
                let id = g.workspace_group_id;
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::EditGroup(id), request: None }));
            }
            Vec::new()
        }
        Action::Delete => {
            if let Some(g) = selected(p, cx) {
                let live: Vec<String> = cx
                    .data
                    .workspaces_in(g.workspace_group_id)
                    .filter(|w| w.state != WorkspaceState::Terminated)
                    .map(|w| w.name.clone())
                    .collect();
                let force = !live.is_empty();
                let mut lines =
                    vec![format!("Terminate workspace group {} ({}, {})?", g.name, g.provider, g.region_name)];
                if force {
                    lines.push(format!("⚠ It still has {} workspace(s): {}.", live.len(), live.join(", ")));
                    lines.push("They will be terminated with it (force).".into());
                }
                lines.push("This cannot be undone.".into());
                let planned = Planned {
                    mutation: Mutation::TerminateGroup { id: g.workspace_group_id, force },
                    kind: OpKind::TerminateGroup,
                    target: Some(g.workspace_group_id),
                    name: g.name.clone(),
                    expect: Expect::Group(WorkspaceGroupState::Terminated),
                };
                let name = g.name.clone();
                ops::confirm_typed(cx, "Terminate workspace group", lines, name, planned);
            }
            Vec::new()
        }
        Action::Details => match selected(p, cx).map(|g| g.workspace_group_id) {
            Some(id) => {
                cx.go(PaneId::Connections, Some(id));
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::Recovery | Action::Settings => match selected(p, cx).map(|g| g.workspace_group_id) {
            Some(id) => {
                cx.go(if action == Action::Recovery { PaneId::Dr } else { PaneId::GroupSettings }, Some(id));
                Vec::new()
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Reads the projects unless they are known or on their way.
fn read_projects(p: &mut GroupsPane, cx: &mut Ctx) -> Vec<Effect> {
    if p.projects.in_flight() || (p.projects.value.is_some() && p.projects.error.is_none()) {
        return Vec::new();
    }
    let Some(id) = p.projects.start(cx.requests, Purpose::Pane(PaneId::Groups)) else { return Vec::new() };
    vec![Effect::Fetch { id, fetch: Fetch::Projects(ProjectsRequest::List) }]
}

fn open_create_form(p: &mut GroupsPane, cx: &mut Ctx) -> Vec<Effect> {
    // The form chooses among the regions and the projects: both are read first.
    let projects_known = p.projects.value.is_some() || p.projects.error.is_some();
    let regions = cx.data.regions.value.as_ref().filter(|r| !r.is_empty()).cloned();
    let Some(regions) = regions.filter(|_| projects_known) else {
        cx.toasts.push(cx.now, Level::Info, "Loading the regions and projects; press c again in a moment.");
        let mut effects = read_projects(p, cx);
        if cx.data.regions.value.as_ref().is_none_or(|r| r.is_empty()) {
            effects.extend(cx.fetch(Fetch::Regions));
        }
        return effects;
    };
    let options: Vec<String> = regions.iter().map(|r| format!("{} {}", r.provider, r.region)).collect();
    let form = Form::new(
        "Create workspace group",
        vec![
            Field::text("name", "Name", "").validate(form::group_name),
            Field::choice("region", "Region", options, 0),
            Field::text("firewall", "Firewall ranges", "")
                .validate(form::cidr_list)
                .hint("CIDRs, comma-separated; empty = no access"),
            Field::choice("deployment", "Deployment", DEPLOYMENT_TYPES.iter().map(|s| s.to_string()).collect(), 0),
            Field::text("expires", "Expires", "")
                .validate(form::expiry)
                .hint("empty = never; 2026-12-31, or a duration like 7d"),
            Field::text("window", "Update window", "Sat 14:00")
                .validate(window_rule)
                .hint("a weekday and an hour, UTC: maintenance may run then"),
            Field::toggle("ha", "HA across two zones", false),
            Field::toggle("allow_all", "Allow all traffic", false).hint("on: any address may connect"),
            Field::choice("project", "Project", project_options(p, cx.data), 0),
        ],
    );
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::CreateGroup, request: None }));
    Vec::new()
}

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// "Saturday 14:00 UTC".
pub fn window_label(w: &UpdateWindow) -> String {
    let day = DAYS.get(w.day as usize).copied().unwrap_or("day ?");
    format!("{day} {:02}:00 UTC", w.hour)
}

/// "Sat 14:00": a weekday (its first three letters will do) and a whole hour, UTC.
fn parse_window(s: &str) -> Option<UpdateWindow> {
    let mut parts = s.split_whitespace();
    let (day, hour) = (parts.next()?.to_ascii_lowercase(), parts.next()?);
    if parts.next().is_some() || day.len() < 3 {
        return None;
    }
    let day = DAYS.iter().position(|d| d.to_ascii_lowercase().starts_with(&day))?;
    let hour: u8 = hour.strip_suffix(":00").unwrap_or(hour).parse().ok().filter(|h| *h < 24)?;
    Some(UpdateWindow { day: day as u8, hour })
}

fn window_rule(s: &str) -> Result<(), String> {
    parse_window(s).map(drop).ok_or_else(|| "a weekday and an hour, e.g. Sat 14:00".to_string())
}

fn window_text(w: &UpdateWindow) -> String {
    let day = DAYS.get(w.day as usize).map_or("?", |d| &d[..3]);
    format!("{day} {:02}:00", w.hour)
}

/// The window the form names.
fn window(form: &Form) -> Option<UpdateWindow> {
    parse_window(&form.value("window"))
}

/// The form's first choice: no project named, the API puts the group in the default one.
const DEFAULT_PROJECT: &str = "the organization's default";

/// Every project by name and id: the organization's list, or while that cannot be read, the
/// projects the groups list names.
fn known_projects(p: &GroupsPane, data: &Data) -> Vec<(String, Uuid)> {
    let mut known: Vec<(String, Uuid)> = match &p.projects.value {
        Some(list) => list.iter().map(|x| (x.name.clone(), x.project_id)).collect(),
        None => {
            data.groups.value.iter().flatten().filter_map(|g| Some((g.project_name.clone()?, g.project_id?))).collect()
        }
    };
    known.sort();
    known.dedup();
    known
}

fn project_options(p: &GroupsPane, data: &Data) -> Vec<String> {
    let names = known_projects(p, data).into_iter().map(|(name, _)| name);
    std::iter::once(DEFAULT_PROJECT.to_string()).chain(names).collect()
}

fn edit_form(g: &WorkspaceGroup) -> Form {
    let ranges = g.firewall_ranges.as_deref().unwrap_or_default().join(", ");
    let w = g.update_window.unwrap_or(UpdateWindow { day: 6, hour: 14 });
    Form::new(
        format!("Edit workspace group {}", g.name),
        vec![
            Field::text("name", "Name", &g.name).validate(form::group_name).unchanged_ok(),
            Field::text("firewall", "Firewall ranges", &ranges)
                .validate(form::cidr_list)
                .unchanged_ok()
                .hint("CIDRs, comma-separated"),
            Field::masked("password", "New admin password")
                .validate(form::admin_password)
                .hint("empty = keep the current one"),
            Field::text("expires", "Expires", g.expires_at.as_deref().unwrap_or(""))
                .validate(form::expiry)
                .unchanged_ok()
                .hint("2026-12-31, or a duration like 7d; the group is terminated then"),
            Field::text("window", "Update window", &window_text(&w)).validate(window_rule).unchanged_ok().hint("UTC"),
            Field::toggle("allow_all", "Allow all traffic", g.allow_all_traffic.unwrap_or(false)),
        ],
    )
}

fn ranges(form: &Form) -> Vec<String> {
    form::split_list(&form.value("firewall")).map(str::to_string).collect()
}

pub fn planned_create(p: &GroupsPane, data: &Data, form: &Form) -> Result<Planned, String> {
    let region_label = form.value("region");
    let region = data
        .regions
        .value
        .iter()
        .flatten()
        .find(|r| format!("{} {}", r.provider, r.region) == region_label)
        .ok_or("choose a region")?;
    let name = form.value("name").trim().to_string();
    let expires = form.value("expires").trim().to_string();
    let body = WorkspaceGroupCreate {
        name: name.clone(),
        firewall_ranges: ranges(form),
        region_id: Some(region.region_id),
        deployment_type: Some(DeploymentType::from_wire(&form.value("deployment"))),
        expires_at: (!expires.is_empty()).then(|| form::expiry_for_api(&expires)),
        update_window: window(form),
        high_availability_two_zones: Some(form.value("ha") == "true"),
        allow_all_traffic: Some(form.value("allow_all") == "true"),
        project_id: {
            let wanted = form.value("project");
            known_projects(p, data).into_iter().find(|(name, _)| *name == wanted).map(|(_, id)| id)
        },
        ..WorkspaceGroupCreate::default()
    };
    Ok(Planned {
        mutation: Mutation::CreateGroup(body),
        kind: OpKind::CreateGroup,
        target: None,
        name,
        expect: Expect::Group(WorkspaceGroupState::Active),
    })
}

/// The change an edit asks for, and what it changes in words for the review; a change that can
/// cost access or the group itself says so.
pub fn planned_update(data: &Data, id: Uuid, form: &Form) -> Result<(Planned, Vec<String>), String> {
    let g = data.group(id).ok_or("the group is gone")?;
    let mut body = WorkspaceGroupUpdate::default();
    let mut diff = Vec::new();
    let name = form.value("name").trim().to_string();
    if name != g.name {
        diff.push(format!("name: {} → {name}", g.name));
        body.name = Some(name);
    }
    let old_ranges = g.firewall_ranges.clone().unwrap_or_default();
    let new_ranges = ranges(form);
    if new_ranges != old_ranges {
        let removed: Vec<&str> = old_ranges.iter().filter(|r| !new_ranges.contains(r)).map(String::as_str).collect();
        let shown = |r: &[String]| if r.is_empty() { "none".to_string() } else { r.join(", ") };
        diff.push(format!("firewall ranges: {} → {}", shown(&old_ranges), shown(&new_ranges)));
        if !removed.is_empty() {
            diff.push(format!("⚠ clients from {} lose access", removed.join(", ")));
        }
        body.firewall_ranges = Some(new_ranges);
    }
    let password = form.value("password");
    if !password.is_empty() {
        diff.push("admin password: changed".to_string());
        body.admin_password = Some(password);
    }
    let expires = form.value("expires").trim().to_string();
    if expires != g.expires_at.clone().unwrap_or_default() && !expires.is_empty() {
        diff.push(format!("expires: {} → {expires}", g.expires_at.as_deref().unwrap_or("never")));
        diff.push("⚠ the group and all its workspaces are terminated when it expires".to_string());
        body.expires_at = Some(form::expiry_for_api(&expires));
    }
    let new_window = window(form);
    if new_window.is_some() && new_window != g.update_window {
        let shown = |w: Option<UpdateWindow>| w.as_ref().map_or("not set".into(), window_label);
        diff.push(format!("update window: {} → {}", shown(g.update_window), shown(new_window)));
        body.update_window = new_window;
    }
    let allow_all = form.value("allow_all") == "true";
    if allow_all != g.allow_all_traffic.unwrap_or(false) {
        diff.push(format!("allow all traffic: {} → {}", !allow_all, allow_all));
        if allow_all {
            diff.push("⚠ any address may connect, whatever the firewall ranges say".to_string());
        }
        body.allow_all_traffic = Some(allow_all);
    }
    if body == WorkspaceGroupUpdate::default() {
        return Err("nothing changed".into());
    }
    if g.deployment_type == Some(DeploymentType::Production) {
        diff.push("⚠ this is a PRODUCTION group".to_string());
    }
    let planned = Planned {
        mutation: Mutation::UpdateGroup { id, body },
        kind: OpKind::UpdateGroup,
        target: Some(id),
        name: g.name.clone(),
        expect: Expect::Reply,
    };
    Ok((planned, diff))
}

pub fn render(frame: &mut Frame, area: Rect, p: &GroupsPane, cx: &View) {
    let t = &cx.theme;
    let table = &p.table;
    let mut title = vec![
        Span::styled(" Workspace groups ", t.title),
        Span::styled(format!("[{}/{}] ", table.len(), table.total()), t.dim),
    ];
    title.extend(status::stale(&cx.data.groups, cx.now, t));
    let none = "No workspace groups. Press c to create one.";
    let empty = status::empty("workspace groups", &cx.data.groups, none, cx.requests.next_refresh, cx.now);
    table::render(frame, area, table, t, Line::from(title), &empty);
}

impl Pane for GroupsPane {
    const ID: PaneId = PaneId::Groups;
    const TITLE: &'static str = "Workspace groups";
    const COMMAND: Option<Command> =
        Some(Command { name: "groups", aliases: &["wg", "workspacegroups"], help: "Workspace groups" });
    const KEYS: &'static [KeyDef] = KEYS;
    const API: Option<ApiVersion> = Some(ApiVersion::V1);
    type Reply = ProjectsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let shown: Vec<Uuid> = self.table.on_screen().filter_map(|k| Uuid::parse_str(k).ok()).collect();
        let mut effects = super::workspaces::refresh_core(cx, None, &shown);
        if self.projects.value.is_none() && self.projects.error.is_none() {
            effects.extend(read_projects(self, cx));
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<ProjectsReply, ApiError>) -> Vec<Effect> {
        let result = match reply {
            Ok(ProjectsReply::List(list)) => Ok(list),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), cx.now)),
            Err(e) => Err(Failure::from_api(&e, cx.now)),
        };
        self.projects.accept(id, result, cx.now);
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        // Every edit is reviewed before it is sent.
        let planned = match purpose {
            FormPurpose::CreateGroup => planned_create(self, cx.data, &f.form).map(|p| (p, None)),
            FormPurpose::EditGroup(id) => planned_update(cx.data, id, &f.form).map(|(p, diff)| (p, Some(diff))),
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned)
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
        Some(view.data.groups.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_windows_are_a_weekday_and_an_hour() {
        assert_eq!(parse_window("Sat 14:00"), Some(UpdateWindow { day: 6, hour: 14 }));
        assert_eq!(parse_window("sunday 3"), Some(UpdateWindow { day: 0, hour: 3 }));
        assert_eq!(window_text(&UpdateWindow { day: 2, hour: 5 }), "Tue 05:00");
        for bad in ["", "Sat", "Su 3", "Sat 24:00", "Fri 14:30", "Mon 1 2", "Xyz 3"] {
            assert_eq!(parse_window(bad), None, "{bad}");
        }
    }
}
