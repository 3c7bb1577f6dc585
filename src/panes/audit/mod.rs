//! The audit log, followed live: the last hour first, then new entries as they arrive.
//! Server-side filters restart the tail; the `/` search runs over the whole buffer.

pub mod buffer;
pub mod export;
pub mod filter;
mod render;
pub mod rows;
pub mod tail;

use ratatui::Frame;
use ratatui::layout::Rect;
use std::cell::Cell;
use std::path::PathBuf;

use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::Effect;
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::pane::{Ctx, Go, Pane, View};
use crate::state::short_id;
use crate::state::{Data, PaneId};
use crate::widgets::form::{Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::TableState;
use crate::widgets::toast::Level;

use buffer::Buffer;
use filter::{Names, Needle, ServerFilter};
use tail::{Settings, Tail};

pub use render::render;

/// Most lines of context around a search match.
const CONTEXT_MAX: usize = 20;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Audit), "f", Action::Follow, "follow", "Follow new entries on/off (paused entries are kept and counted)"),
    (Context::Pane(PaneId::Audit), "F", Action::FilterForm, "server filter", "Server-side filters (type, source, user, group, dates…); restarts the tail"),
    (Context::Pane(PaneId::Audit), "enter", Action::Jump, "jump", "Go to the workspace, group or team the entry names, else to its user"),
    (Context::Pane(PaneId::Audit), "ctrl-s", Action::Save, "save", "Save the matching entries to a file (.jsonl or .csv)"),
    (Context::Pane(PaneId::Audit), "+", Action::ContextMore, "", "Show one more line of context around search matches"),
    (Context::Pane(PaneId::Audit), "-", Action::ContextLess, "", "Show one line of context less"),
];

#[derive(Debug)]
pub struct AuditPane {
    /// Holds only the search text and whether it is being typed: the shared filter line.
    pub table: TableState,
    pub buffer: Buffer,
    pub view: rows::View,
    pub tail: Tail,
    pub server: ServerFilter,
    pub settings: Settings,
    /// Keep the newest entry selected as entries arrive.
    pub following: bool,
    /// Entries that arrived while paused.
    pub unseen: u64,
    /// Position (in the buffer) of the selected entry; `None` = the newest.
    pub selected: Option<u64>,
    /// The search applied to `view` (the filter line may have changed since).
    applied: String,
    /// A save target the user was told exists: saving to it again replaces it.
    pub overwrite_ok: Option<PathBuf>,
    /// First visible row and rows per page, remembered by `render`.
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Default for AuditPane {
    fn default() -> Self {
        let settings = Settings::default();
        Self {
            table: TableState::default(),
            buffer: Buffer::with_capacity(settings.capacity),
            view: rows::View::default(),
            tail: Tail::default(),
            server: ServerFilter::default(),
            settings,
            following: true,
            unseen: 0,
            selected: None,
            applied: String::new(),
            overwrite_ok: None,
            offset: Cell::new(0),
            page: Cell::new(10),
        }
    }
}

/// Starts the tail the first time the pane is shown; later, polls now.
pub fn refresh(p: &mut AuditPane, cx: &mut Ctx) -> Vec<Effect> {
    tail::poll_now(p, cx)
}

pub fn on_reply(p: &mut AuditPane, cx: &mut Ctx, id: RequestId, reply: Result<AuditReply, ApiError>) -> Vec<Effect> {
    match reply {
        Ok(AuditReply::Page(page)) => tail::on_page(p, cx, id, Ok(page)),
        Err(e) => tail::on_page(p, cx, id, Err(e)),
    }
}

pub fn on_timer(p: &mut AuditPane, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
    tail::on_timer(p, cx, generation)
}

/// How an ID reads on screen: the workspace, group or team name, else its first block.
pub fn label(data: &Data, teams: Option<&Vec<crate::api::types::Team>>, id: Uuid) -> String {
    if let Some(w) = data.workspace(id) {
        return w.name.clone();
    }
    if let Some(g) = data.group(id) {
        return g.name.clone();
    }
    if let Some(t) = teams.and_then(|ts| ts.iter().find(|t| t.team_id == id)) {
        return t.name.clone();
    }
    short_id(id)
}

/// Puts a page into the buffer and keeps the view, the selection and the "+N new" count.
pub fn add_entries(p: &mut AuditPane, cx: &mut Ctx, logs: Vec<AuditLog>, live: bool) {
    if logs.is_empty() {
        return;
    }
    let teams = cx.data.teams.value.as_ref();
    let data = &cx.data;
    let pane = &mut *p;
    let old_end = pane.buffer.end();
    let inserted = pane.buffer.insert(logs);
    let lbl = |id: Uuid| label(data, teams, id);
    pane.view.on_insert(&pane.buffer, inserted, old_end, &lbl);
    if live && !pane.following {
        pane.unseen += inserted.added as u64;
    }
}

/// Applies the search typed on the filter line to the whole buffer (called after every message;
/// cheap when nothing changed).
pub fn sync_search(p: &mut AuditPane, cx: &Ctx) {
    if p.table.filter() == p.applied {
        return;
    }
    let text = p.table.filter().to_string();
    let teams = cx.data.teams.value.as_ref();
    let data = &cx.data;
    let pane = &mut *p;
    let lbl = |id: Uuid| label(data, teams, id);
    pane.view.set_needle(Needle::new(&text), &pane.buffer, &lbl);
    pane.applied = text;
    pane.offset.set(0);
}

/// Row of the selection in the view.
pub fn selected_row(pane: &AuditPane) -> Option<usize> {
    let len = pane.view.len(&pane.buffer);
    if len == 0 {
        return None;
    }
    Some(match pane.selected {
        Some(pos) if !pane.following => pane.view.row_of(pos, &pane.buffer).min(len - 1),
        _ => len - 1,
    })
}

/// The selected entry.
pub fn selected_entry(pane: &AuditPane) -> Option<&buffer::Entry> {
    let row = selected_row(pane)?;
    pane.view.at(row, &pane.buffer).and_then(|p| pane.buffer.get(p))
}

fn select_row(pane: &mut AuditPane, row: usize) {
    pane.selected = pane.view.at(row, &pane.buffer);
}

/// Movement and search: this pane's rows are not in the shared table, so it moves itself.
pub fn on_list_action(p: &mut AuditPane, action: Action) -> bool {
    let pane = &mut *p;
    let len = pane.view.len(&pane.buffer);
    let row = selected_row(pane).unwrap_or(0);
    let page = pane.page.get().max(1);
    let last = len.saturating_sub(1);
    let to = match action {
        Action::Up => row.saturating_sub(1),
        Action::Down => (row + 1).min(last),
        Action::PageUp => row.saturating_sub(page),
        Action::PageDown => (row + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Filter => {
            pane.table.editing_filter = true;
            return true;
        }
        Action::SortNext | Action::SortPrev | Action::SortReverse => return true,
        Action::Wide => {
            pane.table.wide = !pane.table.wide;
            return true;
        }
        _ => return false,
    };
    // Moving up stops following, so new entries do not pull the selection away.
    if to < row {
        pane.following = false;
    }
    select_row(pane, to);
    true
}

pub fn on_action(p: &mut AuditPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    match action {
        Action::Follow => {
            let pane = &mut *p;
            pane.following = !pane.following;
            if pane.following {
                pane.unseen = 0;
                pane.selected = None;
            } else {
                let row = selected_row(pane).unwrap_or(0);
                select_row(pane, row);
            }
            Vec::new()
        }
        Action::ContextMore | Action::ContextLess => {
            let pane = &mut *p;
            let n = pane.view.context;
            let n = if action == Action::ContextMore { (n + 1).min(CONTEXT_MAX) } else { n.saturating_sub(1) };
            pane.view.set_context(n, &pane.buffer);
            if pane.view.needle().is_none() && n > 0 {
                cx.toasts.push(cx.now, Level::Info, format!("Context: {n} line(s) around each / match"));
            }
            Vec::new()
        }
        Action::Describe => {
            if let Some(e) = selected_entry(p) {
                let log = p.buffer.tables.expand(e);
                let title = format!(
                    "audit {} {}",
                    log.kind.as_deref().unwrap_or("entry"),
                    log.created_at.as_deref().unwrap_or("")
                );
                cx.describe(title, &log);
            }
            Vec::new()
        }
        Action::Jump => jump(p, cx),
        Action::FilterForm => {
            cx.modals.push(Modal::Form(FormModal {
                form: filter_form(&p.server),
                purpose: FormPurpose::AuditFilter,
                request: None,
            }));
            Vec::new()
        }
        Action::Save => {
            let form = save_form(&export::default_path(cx.wall));
            cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::AuditExport, request: None }));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Goes to the workspace, group or team the selected entry names, and selects it there.
fn jump(p: &mut AuditPane, cx: &mut Ctx) -> Vec<Effect> {
    let Some(e) = selected_entry(p) else { return Vec::new() };
    let ids = &p.buffer.tables.ids;
    let (ws, group, team) = (ids.get(e.workspace), ids.get(e.group), ids.get(e.team));
    // Workspaces of every group, so the row is there whichever group it is in. At v2 the
    // workspace is the cluster with the same ID, and there is no group to go to; otherwise the
    // person who made the entry.
    let v2 = cx.session.api_version == crate::api::ApiVersion::V2;
    let user = p.buffer.tables.strings.opt(e.user_id).and_then(|u| Uuid::parse_str(u).ok());
    let (pane, key) = match (ws, group, team, user) {
        (Some(w), _, _, _) if v2 => (PaneId::Clusters, w),
        (Some(w), _, _, _) => (PaneId::Workspaces, w),
        (None, Some(g), _, _) if !v2 => (PaneId::Groups, g),
        (None, None, Some(t), _) => (PaneId::Teams, t),
        (None, None, None, Some(u)) => (PaneId::Users, u),
        _ => {
            cx.toasts.push(cx.now, Level::Info, "This entry names no workspace, group, team or user.");
            return Vec::new();
        }
    };
    if pane == PaneId::Users {
        // The users are read when the pane opens: it selects the user once they arrive.
        cx.go(PaneId::Users, Some(key));
        return Vec::new();
    }
    let key = key.to_string();
    let what = match pane {
        PaneId::Workspaces => "workspace",
        PaneId::Groups => "workspace group",
        PaneId::Clusters => "cluster",
        PaneId::Users => "user",
        _ => "team",
    };
    let missing =
        format!("The {what} {} is not in the list (terminated, or not loaded yet).", short_id(key_uuid(&key)));
    cx.asks.go = Some(Go::Select { pane, key, missing });
    Vec::new()
}

fn key_uuid(key: &str) -> Uuid {
    Uuid::parse_str(key).unwrap_or_default()
}

/// Names → IDs for `:audit group=NAME` and the filter form.
struct DataNames<'a>(&'a Data);

impl Names for DataNames<'_> {
    fn group(&self, name: &str) -> Option<Uuid> {
        self.0.groups.value.iter().flatten().find(|g| g.name == name).map(|g| g.workspace_group_id)
    }
    fn workspace(&self, name: &str) -> Option<Uuid> {
        self.0.workspaces.value.iter().flatten().find(|w| w.name == name).map(|w| w.workspace_id)
    }
    fn team(&self, name: &str) -> Option<Uuid> {
        self.0.teams.value.iter().flatten().find(|t| t.name == name).map(|t| t.team_id)
    }
}

fn filter_form(current: &ServerFilter) -> Form {
    let fields = filter::KEYS
        .iter()
        .map(|(key, label)| {
            let f = Field::text(key, *label, &current.value(key));
            match *key {
                "source" => f.hint("Admin, Portal or SystemJob"),
                "group" | "workspace" | "team" => f.hint("name or ID"),
                "since" | "until" => f.hint("2025-06-01, RFC3339, or an age: 2h, 7d"),
                _ => f,
            }
        })
        .collect();
    Form::new("Audit log: server filters (empty = any)", fields)
}

/// Uses a new server filter: the tail starts over when it changed.
fn apply_server_filter(p: &mut AuditPane, cx: &mut Ctx, filter: ServerFilter) -> Vec<Effect> {
    if filter == p.server && p.tail.phase != tail::Phase::Idle {
        return Vec::new();
    }
    p.server = filter;
    let names = {
        let teams = cx.data.teams.value.as_ref();
        let data = &cx.data;
        p.server.summary(|id| label(data, teams, id))
    };
    let text = if names.is_empty() { "Audit filter cleared".to_string() } else { format!("Audit filter: {names}") };
    cx.toasts.push(cx.now, Level::Info, text);
    tail::start(p, cx)
}

/// `:audit key=value …` (`:audit clear` drops every filter).
pub fn command(p: &mut AuditPane, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
    match ServerFilter::parse(&p.server, args, &DataNames(cx.data), cx.wall) {
        Ok(f) => apply_server_filter(p, cx, f),
        Err(e) => {
            cx.toasts.push(cx.now, Level::Error, e);
            Vec::new()
        }
    }
}

fn save_form(path: &str) -> Form {
    Form::new(
        "Save audit entries",
        vec![
            Field::text("path", "File", path)
                .validate(crate::widgets::form::required)
                .hint(".jsonl (one entry a line) or .csv"),
        ],
    )
}

/// The save target exists: the form comes back and asks; the same path again replaces it.
pub fn on_file_exists(p: &mut AuditPane, cx: &mut Ctx, path: PathBuf) -> Vec<Effect> {
    let mut form = save_form(&path.display().to_string());
    form.server_error = Some(format!("{} already exists: enter replaces it, or change the name", path.display()));
    p.overwrite_ok = Some(path);
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::AuditExport, request: None }));
    Vec::new()
}

/// A submitted filter or save form.
pub fn submit_form(p: &mut AuditPane, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
    let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
    let result = match purpose {
        FormPurpose::AuditFilter => {
            let mut filter = ServerFilter::default();
            let names = DataNames(cx.data);
            filter::KEYS
                .iter()
                .try_for_each(|(k, _)| filter.set(k, &f.form.value(k), &names, cx.wall))
                .map(|()| Submitted::Filter(filter))
        }
        _ => {
            let path = f.form.value("path").trim().to_string();
            if path.is_empty() { Err("a file name is needed".to_string()) } else { Ok(Submitted::Save(path.into())) }
        }
    };
    match result {
        Err(message) => {
            if let Some(Modal::Form(f)) = cx.modals.last_mut() {
                f.form.server_error = Some(message);
                f.form.error_prefix = "";
            }
            Vec::new()
        }
        Ok(Submitted::Filter(filter)) => {
            cx.modals.pop();
            apply_server_filter(p, cx, filter)
        }
        Ok(Submitted::Save(path)) => {
            cx.modals.pop();
            let overwrite = p.overwrite_ok.take().is_some_and(|ok| ok == path);
            let mut job = export_job(p, path);
            job.overwrite = overwrite;
            let n = job.entries.len();
            cx.toasts.push(cx.now, Level::Info, format!("Saving {n} entries to {}…", job.path.display()));
            vec![Effect::AuditExport(Box::new(job))]
        }
    }
}

enum Submitted {
    Filter(ServerFilter),
    Save(PathBuf),
}

/// The entries that match the search (all of them without one), oldest first.
pub fn export_job(pane: &AuditPane, path: PathBuf) -> export::ExportJob {
    let entries = if pane.view.is_filtered() {
        (0..pane.view.len(&pane.buffer))
            .filter_map(|i| pane.view.at(i, &pane.buffer))
            .filter(|&p| pane.view.is_match(p))
            .filter_map(|p| pane.buffer.get(p).cloned())
            .collect()
    } else {
        pane.buffer.iter().cloned().collect()
    };
    export::ExportJob { path, entries, tables: pane.buffer.tables.clone(), overwrite: false }
}

impl Pane for AuditPane {
    const ID: PaneId = PaneId::Audit;
    const TITLE: &'static str = "Audit log";
    const COMMAND: Option<Command> =
        Some(Command { name: "audit", aliases: &["auditlog"], help: "Audit log, live (:audit key=value filters)" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = AuditReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(self, cx)
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<AuditReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_list_action(&mut self, _cx: &mut Ctx, action: Action) -> bool {
        on_list_action(self, action)
    }

    fn on_timer(&mut self, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
        on_timer(self, cx, generation)
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        submit_form(self, cx, purpose)
    }

    fn command(&mut self, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
        if args.is_empty() { Vec::new() } else { command(self, cx, args) }
    }

    fn sync(&mut self, cx: &Ctx) {
        sync_search(self, cx);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.tail.last_ok)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render::render(frame, area, self, view);
    }
}
