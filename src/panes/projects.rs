//! Projects: every deployment belongs to one. List them with how many groups each holds;
//! create, rename and delete (a project that still holds a deployment cannot be deleted).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::projects::*;
use crate::api::types::WorkspaceGroupState;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Data, Failure, PaneId, Purpose, Resource, age};
use crate::widgets::confirm::TypedConfirm;
use crate::widgets::form::{Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
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
                Some((name, id)) => {
                    cx.toast(Level::Info, format!("Copied the ID of {name}"));
                    vec![Effect::Copy(id.to_string())]
                }
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
                    let held = groups_in(cx.data, p.project_id);
                    let mut lines = vec![format!("Delete project {}?", p.name)];
                    if held > 0 {
                        lines.push(format!("⚠ It still holds {held} workspace group(s): the API will refuse."));
                    }
                    lines.push("This cannot be undone.".into());
                    let planned = Planned {
                        mutation: Mutation::Project(ProjectsChange::Delete { id: p.project_id }),
                        kind: OpKind::Change { label: "delete project", done: "deleted" },
                        target: Some(p.project_id),
                        name: p.name.clone(),
                        expect: Expect::Reply,
                    };
                    let (title, name) = ("Delete project", p.name.clone());
                    cx.modals.push(Modal::TypedConfirm(TypedConfirm::new(title, lines, name, vec![planned])));
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
                Ok(Planned {
                    mutation: Mutation::Project(ProjectsChange::Create(ProjectCreate { name: name.clone(), edition })),
                    kind: OpKind::Change { label: "create project", done: "created" },
                    target: None,
                    name,
                    expect: Expect::Reply,
                })
            }
            FormPurpose::Edit(id) => match self.list.value.iter().flatten().find(|p| p.project_id == id) {
                Some(p) if p.name == name => Err("nothing changed".to_string()),
                Some(p) => Ok(Planned {
                    mutation: Mutation::Project(ProjectsChange::Rename { id, name: name.clone() }),
                    kind: OpKind::Change { label: "rename project", done: "renamed" },
                    target: Some(id),
                    name: p.name.clone(),
                    expect: Expect::Reply,
                }),
                None => Err("the project is gone".to_string()),
            },
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned.map(|p| (p, None)))
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let rows = self
            .list
            .value
            .iter()
            .flatten()
            .map(|p| {
                let groups = if cx.data.groups.value.is_some() {
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
        let none = "No projects. Press c to create one.";
        let empty = status::empty("projects", &self.list, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}
