//! Projects: every deployment belongs to one. List them with what each holds (workspace groups
//! at v1; clusters and starter clusters at v2, where `enter` shows the project's clusters);
//! create, rename and delete (a project that still holds a deployment cannot be deleted).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::clusters::ClustersRequest;
use crate::api::error::ApiError;
use crate::api::projects::*;
use crate::api::starters::StarterCluster;
use crate::api::types::WorkspaceGroupState;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Data, Failure, PaneId, Purpose, Resource, age};
use crate::widgets::form::{Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Projects), "enter", Action::Open, "open", "Show the project's clusters (API v2) or what it holds (v1)"),
    (Context::Pane(PaneId::Projects), "c", Action::Create, "create", "Create a project"),
    (Context::Pane(PaneId::Projects), "e", Action::Edit, "rename", "Rename the project"),
    (Context::Pane(PaneId::Projects), "ctrl-d", Action::Delete, "delete", "Delete the project (type its name to confirm)"),
    (Context::Pane(PaneId::Projects), "y", Action::Copy, "", "Copy the project ID"),
];

/// Editions a new project may have.
const EDITIONS: [&str; 3] = ["STANDARD", "ENTERPRISE", "SHARED"];

#[derive(Debug)]
pub struct ProjectsPane {
    pub table: TableState,
    pub list: Resource<Vec<Project>>,
    /// Starter deployments (read at v2, where the pane counts them per project).
    pub starters: Resource<Vec<StarterCluster>>,
}

impl Default for ProjectsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("EDITION", Constraint::Length(10)),
                Column::new("GROUPS", Constraint::Length(6)),
                Column::new("CREATED", Constraint::Length(7)).optional(1),
                Column::new("ID", Constraint::Length(36)).optional(2),
            ]),
            list: Resource::default(),
            starters: Resource::default(),
        }
    }
}

impl ProjectsPane {
    fn selected(&self) -> Option<&Project> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.list.value.as_ref()?.iter().find(|p| p.project_id == id)
    }
}

/// Live groups of a project (a group names its project).
fn groups_in(data: &Data, project: Uuid) -> usize {
    data.groups
        .value
        .iter()
        .flatten()
        .filter(|g| g.project_id == Some(project) && g.state != WorkspaceGroupState::Terminated)
        .count()
}

/// Live clusters and the starter deployments of a project (v2).
fn held_v2<'a>(p: &'a ProjectsPane, data: &'a Data, project: Uuid) -> (Vec<&'a str>, Vec<&'a str>) {
    let clusters = data.clusters.value.iter().flatten().filter(|c| c.project_id == Some(project));
    let starters = p.starters.value.iter().flatten().filter(|s| s.project_id == Some(project));
    (clusters.map(|c| c.name.as_str()).collect(), starters.map(|s| s.name.as_str()).collect())
}

fn v2(cx: &Ctx) -> bool {
    cx.session.api_version == ApiVersion::V2
}

fn name_rule(s: &str) -> Result<(), String> {
    if s.trim().is_empty() { Err("required".into()) } else { Ok(()) }
}

impl Pane for ProjectsPane {
    const ID: PaneId = PaneId::Projects;
    const TITLE: &'static str = "Projects";
    const COMMAND: Option<Command> =
        Some(Command { name: "projects", aliases: &["project", "proj"], help: "Projects and what they hold" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = ProjectsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        if v2(cx) {
            // What a project holds: the shared cluster list, and the starters read here.
            let mut effects: Vec<Effect> = cx.fetch(Fetch::Clusters(ClustersRequest::List)).into_iter().collect();
            if let Some(id) = self.starters.start(cx.requests, Purpose::Pane(PaneId::Projects)) {
                effects.push(Effect::Fetch { id, fetch: Fetch::Projects(ProjectsRequest::Starters) });
            }
            if let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Projects)) {
                effects.push(Effect::Fetch { id, fetch: Fetch::Projects(ProjectsRequest::List) });
            }
            return effects;
        }
        // The group counts come from the shared groups list.
        let mut effects: Vec<Effect> =
            if cx.data.groups.value.is_none() { cx.fetch(Fetch::Groups).into_iter().collect() } else { Vec::new() };
        if let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Projects)) {
            effects.push(Effect::Fetch { id, fetch: Fetch::Projects(ProjectsRequest::List) });
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<ProjectsReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        if self.starters.owns(id) {
            let result = match reply {
                Ok(ProjectsReply::Starters(list)) => Ok(list),
                Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
                Err(e) => Err(Failure::from_api(&e, now)),
            };
            if self.starters.accept(id, result, now) {
                self.rebuild(cx);
            }
            return Vec::new();
        }
        let result = match reply {
            Ok(ProjectsReply::List(mut list)) => {
                list.sort_by_key(|p| p.name.to_lowercase());
                Ok(list)
            }
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.list.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        if self.list.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &ProjectsReply) -> Vec<Effect> {
        // Created, renamed or deleted: the list is read again (the tracker's refresh does it).
        if let ProjectsReply::Deleted(id) = reply
            && let Some(list) = self.list.value.as_mut()
        {
            list.retain(|p| p.project_id != *id);
            self.rebuild(cx);
        }
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            // At v2 a project opens on its clusters.
            Action::Open if v2(cx) => {
                if let Some(p) = self.selected() {
                    cx.go(PaneId::Clusters, Some(p.project_id));
                }
                Vec::new()
            }
            Action::Describe | Action::Open if v2(cx) => {
                if let Some(p) = self.selected() {
                    let mut value = serde_json::to_value(p).unwrap_or_default();
                    let (clusters, starters) = held_v2(self, cx.data, p.project_id);
                    value["clusters"] = serde_json::json!(clusters);
                    value["starterClusters"] = serde_json::json!(starters);
                    cx.modals.push(Modal::Describe(JsonView::new(format!("project {}", p.name), &value)));
                }
                Vec::new()
            }
            Action::Describe | Action::Open => {
                if let Some(p) = self.selected() {
                    let mut value = serde_json::to_value(p).unwrap_or_default();
                    let groups: Vec<String> = cx
                        .data
                        .groups
                        .value
                        .iter()
                        .flatten()
                        .filter(|g| g.project_id == Some(p.project_id))
                        .map(|g| g.name.clone())
                        .collect();
                    value["workspaceGroups"] = serde_json::json!(groups);
                    cx.modals.push(Modal::Describe(JsonView::new(format!("project {}", p.name), &value)));
                }
                Vec::new()
            }
            Action::Copy => match self.selected().map(|p| (p.name.clone(), p.project_id)) {
                Some((name, id)) => cx.copy(id.to_string(), format!("Copied the ID of {name}")),
                None => Vec::new(),
            },
            Action::Create => {
                let editions = EDITIONS.iter().map(|s| s.to_string()).collect();
                let form = Form::new(
                    "Create project",
                    vec![
                        Field::text("name", "Name", "").validate(name_rule),
                        Field::choice("edition", "Edition", editions, 0),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Edit => {
                if let Some(p) = self.selected() {
                    let form = Form::new(
                        format!("Rename project {}", p.name),
                        vec![Field::text("name", "Name", &p.name).validate(name_rule)],
                    );
                    let purpose = FormPurpose::Edit(p.project_id);
                    cx.modals.push(Modal::Form(FormModal { form, purpose, request: None }));
                }
                Vec::new()
            }
            Action::Delete => {
                if let Some(p) = self.selected() {
                    let mut lines = vec![format!("Delete project {}?", p.name)];
                    let held = if v2(cx) {
                        let (clusters, starters) = held_v2(self, cx.data, p.project_id);
                        (clusters.len() + starters.len(), "cluster(s) or starter cluster(s)")
                    } else {
                        (groups_in(cx.data, p.project_id), "workspace group(s)")
                    };
                    if held.0 > 0 {
                        lines.push(format!("⚠ It still holds {} {}: the API will refuse.", held.0, held.1));
                    }
                    lines.push("This cannot be undone.".into());
                    let delete = Mutation::Project(ProjectsChange::Delete { id: p.project_id });
                    let planned = Planned::change(delete, "delete project", "deleted", Some(p.project_id), &p.name);
                    ops::confirm_typed(cx, "Delete project", lines, &p.name, planned);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let name = f.form.value("name").trim().to_string();
        let planned = match purpose {
            FormPurpose::Create => {
                let edition = ProjectEdition::from_wire(&f.form.value("edition"));
                Ok(Planned::change(
                    Mutation::Project(ProjectsChange::Create(ProjectCreate { name: name.clone(), edition })),
                    "create project",
                    "created",
                    None,
                    name,
                ))
            }
            FormPurpose::Edit(id) => match self.list.value.iter().flatten().find(|p| p.project_id == id) {
                Some(p) if p.name == name => Err("nothing changed".to_string()),
                Some(p) => Ok(Planned::change(
                    Mutation::Project(ProjectsChange::Rename { id, name: name.clone() }),
                    "rename project",
                    "renamed",
                    Some(id),
                    p.name.clone(),
                )),
                None => Err("the project is gone".to_string()),
            },
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned.map(|p| (p, None)))
    }

    fn rebuild(&mut self, cx: &Ctx) {
        if v2(cx) {
            self.table.columns[2].title = "CLUSTERS · STARTERS";
            self.table.columns[2].width = Constraint::Length(19);
        }
        let rows = self
            .list
            .value
            .iter()
            .flatten()
            .map(|p| {
                let groups = if v2(cx) {
                    match (&cx.data.clusters.value, &self.starters.value) {
                        (Some(_), Some(_)) => {
                            let (clusters, starters) = held_v2(self, cx.data, p.project_id);
                            format!("{} · {}", clusters.len(), starters.len())
                        }
                        _ => "…".into(),
                    }
                } else if cx.data.groups.value.is_some() {
                    groups_in(cx.data, p.project_id).to_string()
                } else {
                    "…".into()
                };
                Row::new(
                    p.project_id.to_string(),
                    vec![
                        p.name.clone(),
                        p.edition.as_ref().map_or("-".into(), |e| e.to_string()),
                        groups,
                        p.created_at.as_deref().map_or("-".into(), |c| age(cx.wall, c)),
                        p.project_id.to_string(),
                    ],
                )
            })
            .collect();
        self.table.set_rows(rows);
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
        let t = view.theme;
        let mut title = vec![
            Span::styled(" Projects ", t.title),
            Span::styled(format!("[{}/{}] ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(&self.list, view.now, t));
        // At v2 the counts need the starters too: a failed read of them is said, not shown as "…".
        if let Some(failure) = self.starters.error.as_ref() {
            title.push(status::stale_span(failure, view.now, t));
        }
        let none = "No projects. Press c to create one.";
        let empty = status::empty("projects", &self.list, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}
