//! Cloud functions (`:functions`): every page read through the cursor, create from a notebook
//! or an image, edit (refused with the API's 409 when someone changed the function since it
//! was read), delete, and a token for calling the endpoint, shown once.

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
use crate::widgets::modal::{FormModal, FormPurpose, Modal, Reveal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Functions), "c", Action::Create, "create", "Create a cloud function from a notebook or an image"),
    (Context::Pane(PaneId::Functions), "e", Action::Edit, "edit", "Edit the function (refused if it changed since it was read)"),
    (Context::Pane(PaneId::Functions), "ctrl-d", Action::Delete, "delete", "Delete the function (type its name to confirm)"),
    (Context::Pane(PaneId::Functions), "v", Action::Reveal, "token", "A token for calling the endpoint, shown once"),
    (Context::Pane(PaneId::Functions), "y", Action::Copy, "", "Copy the endpoint"),
];

/// Functions per page read.
pub const PAGE: u32 = 50;
const SOURCES: [&str; 2] = ["notebook", "image"];
const NO_TARGET: &str = "none";

#[derive(Debug)]
pub struct FunctionsPane {
    pub table: TableState,
    /// Every page read so far of the current pass.
    pub list: Resource<Vec<CloudFunction>>,
    /// The pages of the pass under way, until its last page.
    reading: Vec<CloudFunction>,
    /// A token being read (for the reveal).
    token: Option<RequestId>,
}

impl Default for FunctionsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("STATUS", Constraint::Length(12)),
                Column::new("UPDATED", Constraint::Length(7)),
                Column::new("DESCRIPTION", Constraint::Fill(2)).optional(1),
                Column::new("ENDPOINT", Constraint::Fill(2)).optional(2),
            ]),
            list: Resource::default(),
            reading: Vec::new(),
            token: None,
        }
    }
}

impl FunctionsPane {
    fn selected(&self) -> Option<&CloudFunction> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.list.value.as_ref()?.iter().find(|f| f.service_id == id)
    }

    fn page(&mut self, cx: &mut Ctx, offset_id: Option<Uuid>) -> Vec<Effect> {
        match self.list.start(cx.requests, Purpose::Pane(PaneId::Functions)) {
            Some(id) => {
                vec![Effect::Fetch { id, fetch: Fetch::Functions(FunctionsRequest::Page { limit: PAGE, offset_id }) }]
            }
            None => Vec::new(),
        }
    }
}

fn workspace_choices(cx: &Ctx) -> Vec<(String, Option<Uuid>)> {
    let mut out: Vec<(String, Option<Uuid>)> = cx
        .data
        .workspaces
        .value
        .iter()
        .flatten()
        .filter(|w| w.state != WorkspaceState::Terminated)
        .map(|w| (w.name.clone(), Some(w.workspace_id)))
        .collect();
    out.sort();
    out.insert(0, (NO_TARGET.to_string(), None));
    out
}

fn notebook_rule(s: &str) -> Result<(), String> {
    if s.trim().is_empty() || s.trim().ends_with(".ipynb") {
        Ok(())
    } else {
        Err("a notebook path ends in .ipynb".into())
    }
}

/// The create body, or why not.
fn planned_create(cx: &Ctx, f: &Form) -> Result<Planned, String> {
    let name = f.value("name").trim().to_string();
    let source = f.value("source");
    let path = f.value("path").trim().to_string();
    if path.is_empty() {
        return Err(format!("give the {source} to run"));
    }
    let target = workspace_choices(cx).into_iter().find(|(l, _)| *l == f.value("target")).and_then(|(_, id)| id);
    let description = f.value("description").trim().to_string();
    let body = CloudFunctionFields {
        name: Some(name.clone()),
        description: (!description.is_empty()).then_some(description),
        notebook_path: (source == "notebook").then(|| path.clone()),
        image: (source == "image").then(|| path.clone()),
        target_id: target,
        target_type: target.map(|_| FunctionTargetType::Workspace),
        ..CloudFunctionFields::default()
    };
    if body.notebook_path.is_some() {
        notebook_rule(&path)?;
    }
    Ok(Planned {
        mutation: Mutation::Function(FunctionsChange::Create(body)),
        kind: OpKind::Change { label: "create function", done: "active" },
        target: None,
        name,
        expect: Expect::FunctionActive,
    })
}

/// An edit based on `read`, the function as the user saw it: the API refuses it if the
/// function changed since.
fn planned_update(read: &CloudFunction, f: &Form) -> Result<Planned, String> {
    let mut body = CloudFunctionFields::default();
    let name = f.value("name").trim().to_string();
    if name != read.name {
        body.name = Some(name);
    }
    let description = f.value("description").trim().to_string();
    if description != read.description.clone().unwrap_or_default() {
        body.description = Some(description);
    }
    if body == CloudFunctionFields::default() {
        return Err("nothing changed".into());
    }
    Ok(Planned::change(
        Mutation::Function(FunctionsChange::Update {
            id: read.service_id,
            body,
            last_known_updated_at: read.last_updated_at.clone(),
        }),
        "update function",
        "updated",
        Some(read.service_id),
        read.name.clone(),
    ))
}

impl Pane for FunctionsPane {
    const ID: PaneId = PaneId::Functions;
    const TITLE: &'static str = "Cloud functions";
    const COMMAND: Option<Command> =
        Some(Command { name: "functions", aliases: &["fn", "cloudfunctions"], help: "Cloud functions" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = FunctionsReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let mut effects: Vec<Effect> =
            if cx.data.groups.value.is_none() { cx.fetch(Fetch::Groups).into_iter().collect() } else { Vec::new() };
        if !self.list.in_flight() {
            self.reading.clear();
        }
        effects.extend(self.page(cx, None));
        effects
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<FunctionsReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        if self.token == Some(id) {
            self.token = None;
            match reply {
                Ok(FunctionsReply::Token { id, token }) => {
                    let name = self
                        .list
                        .value
                        .iter()
                        .flatten()
                        .find(|f| f.service_id == id)
                        .map_or(id.to_string(), |f| f.name.clone());
                    cx.modals.push(Modal::Reveal(Reveal {
                        title: format!("Token for {name}"),
                        lines: vec![
                            format!(
                                "Send it as a bearer token to the function's endpoint; it expires at {}.",
                                token.expires_at
                            ),
                            "It is shown once: copy it now (y).".into(),
                        ],
                        secret: token.jwt,
                        copied: false,
                        what: "token",
                    }));
                }
                Ok(_) => {}
                Err(e) => cx.toast(Level::Error, format!("No token: {}", e.message())),
            }
            return Vec::new();
        }
        let (result, next) = match reply {
            Ok(FunctionsReply::Page { offset_id, page }) => {
                if offset_id.is_none() {
                    self.reading.clear();
                }
                let more = page.metadata.is_some_and(|m| m.has_next_page) && !page.cloud_functions.is_empty();
                self.reading.extend(page.cloud_functions);
                let next = more.then(|| self.reading.last().map(|f| f.service_id)).flatten();
                (Ok(self.reading.clone()), next)
            }
            Ok(other) => (Err(Failure::new(format!("unexpected reply {other:?}"), now)), None),
            Err(e) => (Err(Failure::from_api(&e, now)), None),
        };
        if !self.list.accept(id, result, now) {
            return Vec::new();
        }
        self.rebuild(cx);
        match next {
            // The next page of this pass, after the last ID of the one before.
            Some(after) => self.page(cx, Some(after)),
            None if self.list.take_queued() => self.refresh(cx),
            None => Vec::new(),
        }
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &FunctionsReply) -> Vec<Effect> {
        let list = self.list.value.get_or_insert_with(Vec::new);
        match reply {
            FunctionsReply::Updated(f) => {
                if let Some(existing) = list.iter_mut().find(|x| x.service_id == f.service_id) {
                    *existing = f.clone();
                }
            }
            FunctionsReply::Deleted(f) => list.retain(|x| x.service_id != f.service_id),
            _ => return Vec::new(),
        }
        self.rebuild(cx);
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Describe | Action::Open => {
                if let Some(f) = self.selected() {
                    cx.describe(format!("cloud function {}", f.name), f);
                }
                Vec::new()
            }
            Action::Copy => match self.selected().and_then(|f| f.endpoint.clone()) {
                Some(endpoint) => cx.copy(endpoint, "Copied the endpoint"),
                None => Vec::new(),
            },
            Action::Reveal => match self.selected().map(|f| f.service_id) {
                Some(fid) => {
                    let (id, effect) = cx.pane_fetch(PaneId::Functions, Fetch::Functions(FunctionsRequest::Token(fid)));
                    self.token = Some(id);
                    vec![effect]
                }
                None => Vec::new(),
            },
            Action::Create => {
                let targets = workspace_choices(cx).into_iter().map(|(l, _)| l).collect();
                let form = Form::new(
                    "Create cloud function",
                    vec![
                        Field::text("name", "Name", "").validate(form::required),
                        Field::choice("source", "From", SOURCES.iter().map(|s| s.to_string()).collect(), 0),
                        Field::text("path", "Notebook or image", "")
                            .validate(form::required)
                            .hint("a notebook path (shared/…/x.ipynb) or an image (ghcr.io/…:tag)"),
                        Field::choice("target", "Workspace", targets, 0),
                        Field::text("description", "Description", ""),
                    ],
                );
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            Action::Edit => {
                if let Some(f) = self.selected() {
                    let form = Form::new(
                        format!("Edit cloud function {}", f.name),
                        vec![
                            Field::text("name", "Name", &f.name).validate(form::required).unchanged_ok(),
                            Field::text("description", "Description", f.description.as_deref().unwrap_or(""))
                                .unchanged_ok()
                                .hint(format!(
                                    "based on the version of {}",
                                    f.last_updated_at.as_deref().unwrap_or("?")
                                )),
                        ],
                    );
                    let purpose = FormPurpose::Edit(f.service_id);
                    cx.modals.push(Modal::Form(FormModal { form, purpose, request: None }));
                }
                Vec::new()
            }
            Action::Delete => {
                if let Some(f) = self.selected() {
                    let lines = vec![
                        format!("Delete cloud function {}?", f.name),
                        "Its endpoint stops answering. This cannot be undone.".into(),
                    ];
                    let delete = Mutation::Function(FunctionsChange::Delete { id: f.service_id });
                    let planned = Planned::change(delete, "delete function", "deleted", Some(f.service_id), &f.name);
                    ops::confirm_typed(cx, "Delete cloud function", lines, &f.name, planned);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let planned = match purpose {
            FormPurpose::Create => planned_create(cx, &f.form),
            FormPurpose::Edit(id) => match self.list.value.iter().flatten().find(|x| x.service_id == id) {
                Some(read) => planned_update(read, &f.form),
                None => Err("the function is gone".into()),
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
            .map(|f| {
                let status = f.status.to_string();
                Row::new(
                    f.service_id.to_string(),
                    vec![
                        f.name.clone(),
                        status.clone(),
                        f.last_updated_at.as_deref().map_or("-".into(), |t| age(cx.wall, t)),
                        f.description.clone().unwrap_or_else(|| "-".into()),
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
        let mut title = vec![
            Span::styled(" Cloud functions ", t.title),
            Span::styled(format!("[{}/{}] ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(&self.list, view.now, t));
        let none = "No cloud functions. Press c to create one.";
        let empty = status::empty("cloud functions", &self.list, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}
