//! Flow instances (`:flow`): list (deleted ones on request), create on a workspace, delete.
//! A new instance is followed in the tracker until the API reports it `Running`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource, age};
use crate::theme::tone_of;
use crate::widgets::form::{self, Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Flow), "c", Action::Create, "create", "Create a Flow instance on a workspace"),
    (Context::Pane(PaneId::Flow), "ctrl-d", Action::Delete, "delete", "Delete the Flow instance (type its name to confirm)"),
    (Context::Pane(PaneId::Flow), "T", Action::ShowTerminated, "deleted", "Show or hide deleted instances"),
    (Context::Pane(PaneId::Flow), "y", Action::Copy, "", "Copy the endpoint"),
];

const SIZES: [&str; 4] = ["F1", "F2", "F3", "F4"];

#[derive(Debug)]
pub struct FlowPane {
    pub table: TableState,
    pub list: Resource<Vec<Flow>>,
    pub include_terminated: bool,
}

impl Default for FlowPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("STATUS", Constraint::Length(9)),
                Column::new("SIZE", Constraint::Length(4)),
                Column::new("WORKSPACE", Constraint::Fill(1)).min(12),
                Column::new("DATABASE", Constraint::Fill(1)).min(10),
                Column::new("CREATED", Constraint::Length(7)).optional(1),
                Column::new("ENDPOINT", Constraint::Fill(2)).optional(2),
            ]),
            list: Resource::default(),
            include_terminated: false,
        }
    }
}

impl FlowPane {
    fn selected(&self) -> Option<&Flow> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.list.value.as_ref()?.iter().find(|f| f.flow_id == id)
    }
}

/// Live workspaces, as "group / workspace" labels with their ids.
fn workspace_choices(cx: &Ctx) -> Vec<(String, Uuid)> {
    let mut out: Vec<(String, Uuid)> = cx
        .data
        .workspaces
        .value
        .iter()
        .flatten()
        .filter(|w| w.state != WorkspaceState::Terminated)
        .map(|w| {
            let group = cx.data.group(w.workspace_group_id).map_or("?", |g| g.name.as_str());
            (format!("{group} / {}", w.name), w.workspace_id)
        })
        .collect();
    out.sort();
    out
}

impl Pane for FlowPane {
    const ID: PaneId = PaneId::Flow;
    const TITLE: &'static str = "Flow";
    const COMMAND: Option<Command> = Some(Command { name: "flow", aliases: &["flows"], help: "Flow instances" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = FlowReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        // Workspace names come from the shared lists.
        let mut effects: Vec<Effect> = Vec::new();
        if cx.data.groups.value.is_none() {
            effects.extend(cx.fetch(Fetch::Groups));
        }
        if let Some(id) = self.list.start(cx.requests, Purpose::Pane(PaneId::Flow)) {
            let fetch = Fetch::Flow(FlowRequest::List { include_terminated: self.include_terminated });
            effects.push(Effect::Fetch { id, fetch });
        }
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<FlowReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(FlowReply::List(list)) => Ok(list),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.list.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        if self.list.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Describe | Action::Open => {
                if let Some(f) = self.selected() {
                    cx.describe(format!("flow {}", f.name), f);
                }
                Vec::new()
            }
            Action::Copy => match self.selected().and_then(|f| f.endpoint.clone()) {
                Some(endpoint) => cx.copy(endpoint, "Copied the endpoint"),
                None => Vec::new(),
            },
            Action::ShowTerminated => {
                self.include_terminated = !self.include_terminated;
                let (id, fetch) = (
                    self.list.restart(cx.requests, Purpose::Pane(PaneId::Flow)),
                    Fetch::Flow(FlowRequest::List { include_terminated: self.include_terminated }),
                );
                vec![Effect::Fetch { id, fetch }]
            }
            Action::Create => {
                let choices = workspace_choices(cx);
                if choices.is_empty() {
                    cx.toast(Level::Info, "No workspace to attach a Flow instance to (or the list is still loading).");
                    return cx.fetch(Fetch::Groups).into_iter().collect();
                }
                let form = Form::new(
                    "Create Flow instance",
                    vec![
                        Field::text("name", "Name", "").validate(form::required),
                        Field::choice("workspace", "Workspace", choices.into_iter().map(|(l, _)| l).collect(), 0),
                        Field::text("database", "Database", "").validate(form::required),
                        Field::text("user", "Database user", "").validate(form::required),
                        Field::choice("size", "Size", SIZES.iter().map(|s| s.to_string()).collect(), 0),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Delete => {
                if let Some(f) = self.selected().filter(|f| !f.is_deleted()) {
                    let lines = vec![
                        format!("Delete Flow instance {}?", f.name),
                        "Its pipelines stop; the instance stays listed as Deleted.".into(),
                    ];
                    let delete = Mutation::Flow(FlowChange::Delete { id: f.flow_id });
                    let planned = Planned::change(delete, "delete flow", "deleted", Some(f.flow_id), &f.name);
                    ops::confirm_typed(cx, "Delete Flow instance", lines, &f.name, planned);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        if purpose != FormPurpose::Create {
            return Vec::new();
        }
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let label = f.form.value("workspace");
        let planned = match workspace_choices(cx).into_iter().find(|(l, _)| *l == label) {
            None => Err("choose a workspace".to_string()),
            Some((_, workspace_id)) => {
                let name = f.form.value("name").trim().to_string();
                let body = FlowCreate {
                    name: name.clone(),
                    workspace_id,
                    database_name: f.form.value("database").trim().to_string(),
                    user_name: f.form.value("user").trim().to_string(),
                    size: Some(f.form.value("size")),
                };
                Ok(Planned {
                    mutation: Mutation::Flow(FlowChange::Create(body)),
                    kind: OpKind::Change { label: "create flow", done: "running" },
                    target: None,
                    name,
                    expect: Expect::FlowRunning,
                })
            }
        };
        super::ops::submit(cx, planned.map(|p| (p, None)))
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let rows = self
            .list
            .value
            .iter()
            .flatten()
            .map(|f| {
                let status = f.status.clone().unwrap_or_else(|| "-".into());
                let workspace = f.workspace_id.map_or("-".into(), |id| match cx.data.workspace(id) {
                    Some(w) => w.name.clone(),
                    None => id.to_string(),
                });
                Row::new(
                    f.flow_id.to_string(),
                    vec![
                        f.name.clone(),
                        status.clone(),
                        f.size.clone().unwrap_or_else(|| "-".into()),
                        workspace,
                        f.database_name.clone().unwrap_or_else(|| "-".into()),
                        age(cx.wall, &f.created_at),
                        f.endpoint.clone().unwrap_or_else(|| "-".into()),
                    ],
                )
                .tone(1, tone_of(&status))
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
        let shown = if self.include_terminated { "with deleted" } else { "T shows deleted" };
        let mut title = vec![
            Span::styled(" Flow instances ", t.title),
            Span::styled(format!("[{}/{}] {shown} ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(&self.list, view.now, t));
        let none = "No Flow instances. Press c to create one.";
        let empty = status::empty("Flow instances", &self.list, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}
