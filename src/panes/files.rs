//! The Files spaces (`:spaces`): personal, shared and models, where notebooks live. Browse
//! folders, preview, upload, download, rename and delete; `s` goes to the next space.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::api::error::ApiError;
use crate::api::stage::child_path;
use crate::api::stage_path;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{Expect, OpKind, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::panes::stage::{FilesModal, preview};
use crate::state::{Failure, PaneId, Purpose, Resource, age};
use crate::widgets::confirm::TypedConfirm;
use crate::widgets::form::{self, Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Files), "enter", Action::Open, "open", "Open the folder (or preview the file)"),
    (Context::Pane(PaneId::Files), "backspace", Action::Parent, "up", "Up to the parent folder"),
    (Context::Pane(PaneId::Files), "s", Action::CycleScope, "space", "Next space: personal, shared, models"),
    (Context::Pane(PaneId::Files), "o", Action::Preview, "preview", "A quick look at the file's first bytes"),
    (Context::Pane(PaneId::Files), "u", Action::Upload, "upload", "Upload a local file here"),
    (Context::Pane(PaneId::Files), "D", Action::Download, "download", "Save the file locally"),
    (Context::Pane(PaneId::Files), "m", Action::Move, "rename", "Rename or move"),
    (Context::Pane(PaneId::Files), "ctrl-d", Action::Delete, "delete", "Delete (type the name to confirm)"),
];

/// Which form is open: an upload, a download of this path, or a move of this path.
#[derive(Debug, Clone, PartialEq)]
enum Asked {
    Upload,
    Download(String),
    Move(String),
}

#[derive(Debug)]
pub struct FilesPane {
    pub space: FileSpace,
    /// The folder shown (`""` = the root; folders end in `/`).
    pub folder: String,
    pub list: Resource<Vec<FileObjectMetadata>>,
    pub table: TableState,
    asked: Option<Asked>,
    preview: Option<RequestId>,
}

impl Default for FilesPane {
    fn default() -> Self {
        Self {
            space: FileSpace::Shared,
            folder: String::new(),
            list: Resource::default(),
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(3)).min(16),
                Column::new("SIZE", Constraint::Length(9)),
                Column::new("MODIFIED", Constraint::Length(8)),
            ]),
            asked: None,
            preview: None,
        }
    }
}

impl FilesPane {
    /// The selected entry's full path (folders end in `/`).
    fn selected(&self) -> Option<(String, bool)> {
        let key = self.table.selected_key()?;
        let child = self.list.value.iter().flatten().find(|c| child_path(&self.folder, c) == key)?;
        Some((key.to_string(), child.is_dir()))
    }

    fn go(&mut self, cx: &mut Ctx, folder: String) -> Vec<Effect> {
        self.folder = folder;
        self.list = Resource::default();
        self.table.set_rows(Vec::new());
        self.refresh(cx)
    }

    fn change(&self, change: FilesChange, label: &'static str, done: &'static str, name: String) -> Planned {
        Planned {
            mutation: Mutation::Files(change),
            kind: OpKind::Change { label, done },
            target: None,
            name,
            expect: Expect::Reply,
        }
    }
}

fn name_of(path: &str) -> String {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path).to_string()
}

impl Pane for FilesPane {
    const ID: PaneId = PaneId::Files;
    const TITLE: &'static str = "Files";
    const COMMAND: Option<Command> =
        Some(Command { name: "spaces", aliases: &["fs", "notebooks"], help: "Files spaces: personal, shared, models" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = FilesReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        match self.list.start(cx.requests, Purpose::Pane(PaneId::Files)) {
            Some(id) => {
                let fetch = Fetch::Files(FilesRequest::List { space: self.space, path: self.folder.clone() });
                vec![Effect::Fetch { id, fetch }]
            }
            None => Vec::new(),
        }
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<FilesReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        if self.preview == Some(id) {
            self.preview = None;
            match reply {
                Ok(FilesReply::Preview { space, path, bytes, total }) => {
                    let p = preview::build(&format!("{space}/{path}"), &bytes, total);
                    cx.modals.push(Modal::Files(FilesModal::Preview(p)));
                }
                Ok(_) => {}
                Err(e) => cx.toast(Level::Error, format!("No preview: {}", e.message())),
            }
            return Vec::new();
        }
        let result = match reply {
            Ok(FilesReply::Listing { space, path, meta }) if space == self.space && path == self.folder => {
                let mut children = meta.children().to_vec();
                children.sort_by_key(|c| (!c.is_dir(), c.name.clone().unwrap_or_default().to_lowercase()));
                Ok(children)
            }
            Ok(FilesReply::Listing { .. }) => return Vec::new(),
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
        let selected = self.selected();
        match (action, selected) {
            (Action::Open, Some((path, true))) => self.go(cx, path),
            (Action::Open | Action::Preview, Some((path, false))) => {
                let (id, effect) =
                    cx.pane_fetch(PaneId::Files, Fetch::Files(FilesRequest::Preview { space: self.space, path }));
                self.preview = Some(id);
                vec![effect]
            }
            (Action::Parent, _) if !self.folder.is_empty() => {
                let up = stage_path::parent(&self.folder);
                self.go(cx, up)
            }
            (Action::CycleScope, _) => {
                let i = FileSpace::ALL.iter().position(|s| *s == self.space).unwrap_or(0);
                self.space = FileSpace::ALL[(i + 1) % FileSpace::ALL.len()];
                self.go(cx, String::new())
            }
            (Action::Upload, _) => {
                let form = Form::new(
                    format!("Upload to {}/{}", self.space, self.folder),
                    vec![
                        Field::text("local", "Local file", "").validate(form::required),
                        Field::text("name", "Name here", "").hint("empty = the local file's name"),
                    ],
                );
                self.asked = Some(Asked::Upload);
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            (Action::Download, Some((path, false))) => {
                let form = Form::new(
                    format!("Download {}/{path}", self.space),
                    vec![
                        Field::text("local", "Save as", &name_of(&path))
                            .validate(form::required)
                            .hint("never replaces a file"),
                    ],
                );
                self.asked = Some(Asked::Download(path));
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            (Action::Move, Some((path, _))) => {
                let shown = path.trim_end_matches('/').to_string();
                let form = Form::new(
                    format!("Rename or move {}/{shown}", self.space),
                    vec![Field::text("to", "New path", &shown).validate(form::required)],
                );
                self.asked = Some(Asked::Move(path));
                cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
                Vec::new()
            }
            (Action::Delete, Some((path, dir))) => {
                let name = name_of(&path);
                let what = if dir { "folder and everything in it" } else { "file" };
                let lines = vec![format!("Delete the {what} {}/{path}?", self.space), "This cannot be undone.".into()];
                let planned = self.change(
                    FilesChange::Delete { space: self.space, path },
                    "delete file",
                    "deleted",
                    name.clone(),
                );
                cx.modals.push(Modal::TypedConfirm(TypedConfirm::new("Delete", lines, name, vec![planned])));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let (Some(Modal::Form(f)), FormPurpose::Create) = (cx.modals.last(), purpose) else { return Vec::new() };
        let space = self.space;
        let planned = match self.asked.clone() {
            Some(Asked::Upload) => {
                let local = std::path::PathBuf::from(f.form.value("local").trim());
                let name = f.form.value("name").trim().to_string();
                let name = if name.is_empty() {
                    local.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                } else {
                    name
                };
                let path = stage_path::join(&self.folder, &name);
                Ok(self.change(FilesChange::Upload { space, path, local }, "upload file", "uploaded", name))
            }
            Some(Asked::Download(path)) => {
                let local = std::path::PathBuf::from(f.form.value("local").trim());
                Ok(self.change(
                    FilesChange::Download { space, path: path.clone(), local },
                    "download file",
                    "downloaded",
                    name_of(&path),
                ))
            }
            Some(Asked::Move(from)) => {
                let to = f.form.value("to").trim().trim_start_matches('/').to_string();
                if to == from.trim_end_matches('/') {
                    Err("nothing changed".to_string())
                } else {
                    Ok(self.change(
                        FilesChange::Move { space, from: from.clone(), to },
                        "rename file",
                        "renamed",
                        name_of(&from),
                    ))
                }
            }
            None => return Vec::new(),
        };
        super::ops::submit(cx, planned.map(|p| (p, None)))
    }

    fn on_changed(&mut self, cx: &mut Ctx, _reply: &FilesReply) -> Vec<Effect> {
        self.asked = None;
        self.refresh(cx)
    }

    fn breadcrumbs(&self, _view: &View) -> Option<Vec<String>> {
        let mut crumbs = vec!["Files".to_string(), self.space.to_string()];
        crumbs.extend(self.folder.split('/').filter(|s| !s.is_empty()).map(str::to_string));
        Some(crumbs)
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let rows = self
            .list
            .value
            .iter()
            .flatten()
            .map(|c| {
                let path = child_path(&self.folder, c);
                let name = c.name.clone().unwrap_or_else(|| name_of(&path));
                let (name, size) = if c.is_dir() {
                    (format!("{name}/"), "-".to_string())
                } else {
                    (name, c.size.map_or("-".into(), crate::panes::transfers::human_bytes))
                };
                let modified = c.last_modified.as_deref().map_or("-".into(), |t| age(cx.wall, t));
                Row::new(path, vec![name, size, modified])
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

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let title = Line::from(vec![
            Span::styled(format!(" {}/{} ", self.space, self.folder), t.title),
            Span::styled(format!("[{}/{}] s: next space ", self.table.len(), self.table.total()), t.dim),
        ]);
        let empty = match (&self.list.value, &self.list.error) {
            (None, Some(e)) => format!("Could not read {}/{}: {e}", self.space, self.folder),
            (None, None) => "Loading…".to_string(),
            _ => "Empty. Press u to upload a file here.".to_string(),
        };
        table::render(frame, area, &self.table, t, title, &empty);
    }
}
