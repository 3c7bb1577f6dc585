//! The audit log, followed live: the last hour first, then new entries as they arrive.
//! Server-side filters restart the tail; the `/` search runs over the whole buffer.

pub mod buffer;
pub mod export;
pub mod filter;
mod render;
pub mod rows;
pub mod tail;

use std::cell::Cell;
use std::path::PathBuf;

use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::Effect;
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::state::{Data, PaneId, State, short_id};
use crate::widgets::form::{Field, Form};
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::table::TableState;
use crate::widgets::toast::Level;

use buffer::Buffer;
use filter::{Names, Needle, ServerFilter};
use rows::View;
use tail::{Settings, Tail};

pub use render::render;

/// Most lines of context around a search match.
const CONTEXT_MAX: usize = 20;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Audit, "f", Action::Follow, "follow", "Follow new entries on/off (paused entries are kept and counted)"),
    (Context::Audit, "F", Action::FilterForm, "server filter", "Server-side filters (type, source, user, group, dates…); restarts the tail"),
    (Context::Audit, "enter", Action::Jump, "jump", "Go to the workspace, group or team the entry names"),
    (Context::Audit, "ctrl-s", Action::Save, "save", "Save the matching entries to a file (.jsonl or .csv)"),
    (Context::Audit, "+", Action::ContextMore, "", "Show one more line of context around search matches"),
    (Context::Audit, "-", Action::ContextLess, "", "Show one line of context less"),
];

#[derive(Debug)]
pub struct AuditPane {
    /// Holds only the search text and whether it is being typed: the shared filter line.
    pub table: TableState,
    pub buffer: Buffer,
    pub view: View,
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
            view: View::default(),
            tail: Tail::default(),
            server: ServerFilter::default(),
            settings,
            following: true,
            unseen: 0,
            selected: None,
            applied: String::new(),
            offset: Cell::new(0),
            page: Cell::new(10),
        }
    }
}

/// Starts the tail the first time the pane is shown; later, polls now.
pub fn refresh(state: &mut State) -> Vec<Effect> {
    tail::poll_now(state)
}

pub fn on_reply(state: &mut State, id: RequestId, reply: Result<AuditReply, ApiError>) -> Vec<Effect> {
    match reply {
        Ok(AuditReply::Page(page)) => tail::on_page(state, id, Ok(page)),
        Err(e) => tail::on_page(state, id, Err(e)),
    }
}

pub fn on_timer(state: &mut State, generation: u64) -> Vec<Effect> {
    tail::on_timer(state, generation)
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
pub fn add_entries(state: &mut State, logs: Vec<AuditLog>, live: bool) {
    if logs.is_empty() {
        return;
    }
    let teams = state.teams.list.value.as_ref();
    let data = &state.data;
    let pane = &mut state.audit;
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
pub fn sync_search(state: &mut State) {
    if state.audit.table.filter() == state.audit.applied {
        return;
    }
    let text = state.audit.table.filter().to_string();
    let teams = state.teams.list.value.as_ref();
    let data = &state.data;
    let pane = &mut state.audit;
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
pub fn on_list_action(state: &mut State, action: Action) -> bool {
    let pane = &mut state.audit;
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
        _ => return false,
    };
    // Moving up stops following, so new entries do not pull the selection away.
    if to < row {
        pane.following = false;
    }
    select_row(pane, to);
    true
}

pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Follow => {
            let pane = &mut state.audit;
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
            let pane = &mut state.audit;
            let n = pane.view.context;
            let n = if action == Action::ContextMore { (n + 1).min(CONTEXT_MAX) } else { n.saturating_sub(1) };
            pane.view.set_context(n, &pane.buffer);
            if pane.view.needle().is_none() && n > 0 {
                state.toasts.push(state.now, Level::Info, format!("Context: {n} line(s) around each / match"));
            }
            Vec::new()
        }
        Action::Describe => {
            if let Some(e) = selected_entry(&state.audit) {
                let log = state.audit.buffer.tables.expand(e);
                let title = format!(
                    "audit {} {}",
                    log.kind.as_deref().unwrap_or("entry"),
                    log.created_at.as_deref().unwrap_or("")
                );
                let value = serde_json::to_value(&log).unwrap_or_default();
                state.modals.push(Modal::Describe(JsonView::new(title, &value)));
            }
            Vec::new()
        }
        Action::Jump => jump(state),
        Action::FilterForm => {
            state.modals.push(Modal::Form(FormModal {
                form: filter_form(&state.audit.server),
                purpose: FormPurpose::AuditFilter,
                request: None,
            }));
            Vec::new()
        }
        Action::Save => {
            let form = Form::new(
                "Save audit entries",
                vec![
                    Field::text("path", "File", &export::default_path(state.wall))
                        .validate(crate::widgets::form::required)
                        .hint(".jsonl (one entry a line) or .csv"),
                ],
            );
            state.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::AuditExport, request: None }));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Goes to the workspace, group or team the selected entry names, and selects it there.
fn jump(state: &mut State) -> Vec<Effect> {
    let Some(e) = selected_entry(&state.audit) else { return Vec::new() };
    let ids = &state.audit.buffer.tables.ids;
    let (ws, group, team) = (ids.get(e.workspace), ids.get(e.group), ids.get(e.team));
    // Workspaces of every group, so the row is there whichever group it is in.
    let (pane, key) = match (ws, group, team) {
        (Some(w), _, _) => (PaneId::Workspaces, w),
        (None, Some(g), _) => (PaneId::Groups, g),
        (None, None, Some(t)) => (PaneId::Teams, t),
        _ => {
            state.toasts.push(state.now, Level::Info, "This entry names no workspace, group or team.");
            return Vec::new();
        }
    };
    let effects = super::navigate(state, pane, None);
    let key = key.to_string();
    let found = match pane {
        PaneId::Workspaces => state.workspaces.table.select_key(&key),
        PaneId::Groups => state.groups.table.select_key(&key),
        _ => state.teams.table.select_key(&key),
    };
    if !found {
        let what = match pane {
            PaneId::Workspaces => "workspace",
            PaneId::Groups => "workspace group",
            _ => "team",
        };
        let msg =
            format!("The {what} {} is not in the list (terminated, or not loaded yet).", short_id(key_uuid(&key)));
        state.toasts.push(state.now, Level::Info, msg);
    }
    effects
}

fn key_uuid(key: &str) -> Uuid {
    Uuid::parse_str(key).unwrap_or_default()
}

/// Names → IDs for `:audit group=NAME` and the filter form.
struct DataNames<'a>(&'a State);

impl Names for DataNames<'_> {
    fn group(&self, name: &str) -> Option<Uuid> {
        self.0.data.groups.value.iter().flatten().find(|g| g.name == name).map(|g| g.workspace_group_id)
    }
    fn workspace(&self, name: &str) -> Option<Uuid> {
        self.0.data.workspaces.value.iter().flatten().find(|w| w.name == name).map(|w| w.workspace_id)
    }
    fn team(&self, name: &str) -> Option<Uuid> {
        self.0.teams.list.value.iter().flatten().find(|t| t.name == name).map(|t| t.team_id)
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
fn apply_server_filter(state: &mut State, filter: ServerFilter) -> Vec<Effect> {
    if filter == state.audit.server && state.audit.tail.phase != tail::Phase::Idle {
        return Vec::new();
    }
    state.audit.server = filter;
    let names = {
        let teams = state.teams.list.value.as_ref();
        let data = &state.data;
        state.audit.server.summary(|id| label(data, teams, id))
    };
    let text = if names.is_empty() { "Audit filter cleared".to_string() } else { format!("Audit filter: {names}") };
    state.toasts.push(state.now, Level::Info, text);
    tail::start(state)
}

/// `:audit key=value …` (`:audit clear` drops every filter).
pub fn command(state: &mut State, args: &[String]) -> Vec<Effect> {
    match ServerFilter::parse(&state.audit.server, args, &DataNames(state), state.wall) {
        Ok(f) => apply_server_filter(state, f),
        Err(e) => {
            state.toasts.push(state.now, Level::Error, e);
            Vec::new()
        }
    }
}

/// A submitted filter or save form.
pub fn submit_form(state: &mut State, purpose: FormPurpose) -> Vec<Effect> {
    let Some(Modal::Form(f)) = state.modals.last() else { return Vec::new() };
    let result = match purpose {
        FormPurpose::AuditFilter => {
            let mut filter = ServerFilter::default();
            let names = DataNames(state);
            filter::KEYS
                .iter()
                .try_for_each(|(k, _)| filter.set(k, &f.form.value(k), &names, state.wall))
                .map(|()| Submitted::Filter(filter))
        }
        _ => {
            let path = f.form.value("path").trim().to_string();
            if path.is_empty() { Err("a file name is needed".to_string()) } else { Ok(Submitted::Save(path.into())) }
        }
    };
    match result {
        Err(message) => {
            if let Some(Modal::Form(f)) = state.modals.last_mut() {
                f.form.server_error = Some(message);
                f.form.error_prefix = "";
            }
            Vec::new()
        }
        Ok(Submitted::Filter(filter)) => {
            state.modals.pop();
            apply_server_filter(state, filter)
        }
        Ok(Submitted::Save(path)) => {
            state.modals.pop();
            let job = export_job(&state.audit, path);
            let n = job.entries.len();
            state.toasts.push(state.now, Level::Info, format!("Saving {n} entries to {}…", job.path.display()));
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
    export::ExportJob { path, entries, tables: pane.buffer.tables.clone() }
}
