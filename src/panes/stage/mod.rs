//! Stage: browse a deployment's files (a workspace group's, a starter workspace's or a
//! cluster's) or one of the organization's Files spaces (personal, shared, models: where
//! notebooks live), preview, upload, download, create folders, move and delete. Transfers run
//! in the queue of [`super::transfers`], so they go on while the user works elsewhere.

pub mod forms;
pub mod preview;
mod view;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::stage_path;
use crate::api::types::*;
use crate::api::types::{FileSpace, Store};
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::Planned;
use crate::panes::pane::{Ctx, Pane, View};
use crate::panes::transfers::{self, RemoteEntry, Resolution, TransferEffect};
use crate::state::Location;
use crate::state::{Failure, PaneId, Purpose, Resource, State};
use crate::widgets::form::Form;
use crate::widgets::modal::{FormModal, FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::{Column, Row, TableState};
use crate::widgets::toast::Level;

pub use forms::StageForm;
pub use view::{render, render_modal};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Stage), "enter", Action::Open, "open", "Open the deployment, Files space or folder; preview a file"),
    (Context::Pane(PaneId::Stage), "l", Action::Open, "", "Open the deployment, Files space or folder; preview a file"),
    (Context::Pane(PaneId::Stage), "backspace", Action::Parent, "up", "Up to the parent folder (from the top: the deployments and spaces)"),
    (Context::Pane(PaneId::Stage), "h", Action::Parent, "", "Up to the parent folder (from the top: the deployments and spaces)"),
    (Context::Pane(PaneId::Stage), "u", Action::Upload, "upload", "Upload a local file or folder (recursive) here"),
    (Context::Pane(PaneId::Stage), "D", Action::Download, "download", "Download the marked or selected files and folders"),
    (Context::Pane(PaneId::Stage), "n", Action::NewFolder, "new folder", "Create a folder here"),
    (Context::Pane(PaneId::Stage), "m", Action::Move, "move", "Move or rename the selection (also into another folder)"),
    (Context::Pane(PaneId::Stage), "o", Action::Preview, "preview", "Preview the first 64 KiB of a file"),
    (Context::Pane(PaneId::Stage), "ctrl-d", Action::Delete, "delete", "Delete the marked or selected entries (type to confirm)"),
    (Context::Pane(PaneId::Stage), "space", Action::Mark, "mark", "Mark for a batch download or delete"),
    (Context::Pane(PaneId::Stage), "ctrl-space", Action::MarkRange, "", "Mark every row from the last marked one to here"),
    (Context::Pane(PaneId::Stage), "ctrl-a", Action::MarkAll, "", "Mark every row shown"),
    (Context::Pane(PaneId::Stage), "ctrl-\\", Action::Unmark, "", "Clear every mark"),
    (Context::Pane(PaneId::Stage), "y", Action::Copy, "", "Copy the Stage path"),
];

/// What the browser opens: the Stage of a workspace group or a starter workspace (v1) or of a
/// cluster (v2), or a Files space.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub store: Store,
    pub name: String,
    pub starter: bool,
}

impl Place {
    fn deployment(id: Uuid, name: String, starter: bool) -> Self {
        Place { store: Store::Stage(id), name, starter }
    }

    fn space(space: FileSpace) -> Self {
        Place { store: Store::Files(space), name: space.to_string(), starter: false }
    }

    /// The chooser row's key: the deployment's ID, or `files:SPACE`.
    pub fn key(&self) -> String {
        match self.store {
            Store::Stage(id) => id.to_string(),
            Store::Files(space) => format!("files:{space}"),
        }
    }
}

/// The Files spaces, listed after the deployments (they need no read).
fn spaces() -> impl Iterator<Item = Place> {
    FileSpace::ALL.into_iter().map(Place::space)
}

#[derive(Debug)]
pub struct StagePane {
    /// The current folder's entries.
    pub table: TableState,
    /// The deployments and Files spaces to choose from.
    pub chooser: TableState,
    pub deployments: Resource<Vec<Place>>,
    /// Why starter workspaces are missing from the chooser, if they are.
    pub starters_error: Option<String>,
    /// What is open; `None` shows the chooser.
    pub place: Option<Place>,
    /// The current folder: `""` (root) or `a/b/`.
    pub path: String,
    pub listing: Resource<Vec<FileObjectMetadata>>,
    /// The folder the listing in flight is for.
    listing_for: Option<(Store, String)>,
    /// The metadata, preview or delete count in flight (latest wins).
    /// A metadata, preview or delete-plan read (the latest one counts).
    side: Resource<()>,
    /// Select this entry when the listing arrives (the folder we came up from).
    select_after: Option<String>,
    /// `:stage NAME`: open this deployment when the list arrives.
    want: Option<String>,
    /// The refresh generation last seen, to tell entering the pane from a periodic refresh.
    /// What an open download form downloads / an open move form moves.
    pub form_targets: Vec<RemoteEntry>,
}

impl Default for StagePane {
    fn default() -> Self {
        let mut pane = Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(3)).min(16),
                Column::new("SIZE", Constraint::Length(9)),
                Column::new("MODIFIED", Constraint::Length(16)).optional(1),
                Column::new("TYPE", Constraint::Fill(1)).min(10).optional(2),
            ]),
            chooser: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("KIND", Constraint::Length(17)),
                Column::new("REGION", Constraint::Fill(1)).min(12).optional(2),
                Column::new("STATE", Constraint::Length(10)).optional(1),
                Column::new("ID", Constraint::Length(36)).optional(3),
            ]),
            deployments: Resource::default(),
            starters_error: None,
            place: None,
            path: String::new(),
            listing: Resource::default(),
            listing_for: None,
            side: Resource::default(),
            select_after: None,
            want: None,
            form_targets: Vec::new(),
        };
        rebuild_chooser(&mut pane, &[], &[]);
        pane
    }
}

// ───────────────────────────── reading ─────────────────────────────

/// Reads what the pane shows (when it becomes visible and on every refresh).
pub fn refresh(p: &mut StagePane, cx: &mut Ctx) -> Vec<Effect> {
    match p.place.clone() {
        None => {
            if p.deployments.in_flight() {
                return Vec::new();
            }
            let id = p.deployments.restart(cx.requests, Purpose::Pane(PaneId::Stage));
            vec![Effect::Fetch { id, fetch: Fetch::Stage(StageRequest::Deployments) }]
        }
        Some(place) => list(p, cx, place.store),
    }
}

fn list(p: &mut StagePane, cx: &mut Ctx, store: Store) -> Vec<Effect> {
    let target = (store, p.path.clone());
    if p.listing.in_flight() && p.listing_for.as_ref() == Some(&target) {
        return Vec::new();
    }
    // A listing of another folder supersedes the one in flight.
    let request = StageRequest::List { store, path: target.1.clone() };
    let id = p.listing.restart(cx.requests, Purpose::Pane(PaneId::Stage));
    p.listing_for = Some(target);
    vec![Effect::Fetch { id, fetch: Fetch::Stage(request) }]
}

/// Opened right after looking at a group (drilled into, or selected in the groups list):
/// that group's Stage, without asking.
fn auto_pick(p: &mut StagePane, cx: &mut Ctx) {
    let group = match cx.back.last() {
        Some(Location { pane: PaneId::Workspaces, group: Some(g) }) => Some(*g),
        Some(Location { pane: PaneId::Groups, .. }) => cx.picked_group,
        _ => None,
    };
    if let Some(g) = group.filter(|g| cx.data.group(*g).is_some()) {
        let name = cx.data.group_name(g);
        open_place(p, Place::deployment(g, name, false));
    }
}

fn open_place(p: &mut StagePane, place: Place) {
    let same = p.place.as_ref().is_some_and(|x| x.store == place.store);
    p.place = Some(place);
    if !same {
        enter_folder(p, String::new(), None);
    }
}

/// Shows `path` (its listing is asked for by the caller); `select` is picked once it arrives.
fn enter_folder(p: &mut StagePane, path: String, select: Option<String>) {
    let sp = &mut *p;
    sp.path = path;
    sp.listing = Resource::default();
    sp.listing_for = None;
    sp.select_after = select;
    sp.table.set_filter("");
    sp.table.editing_filter = false;
    sp.table.marks.clear();
    sp.table.set_rows(Vec::new());
}

pub fn on_reply(p: &mut StagePane, cx: &mut Ctx, id: RequestId, reply: Result<StageReply, ApiError>) -> Vec<Effect> {
    let now = cx.now;
    let side = p.side.finish(id);
    match reply {
        Err(e) => {
            if p.listing.owns(id) {
                p.listing.accept(id, Err(Failure::from_api(&e, now)), now);
            } else if p.deployments.owns(id) {
                p.deployments.accept(id, Err(Failure::from_api(&e, now)), now);
            } else if side {
                cx.toasts.push(now, Level::Error, e.to_string());
            }
            Vec::new()
        }
        Ok(StageReply::Deployments { groups, clusters, starters }) => {
            let mut list: Vec<Place> = groups
                .iter()
                .filter(|g| g.state != WorkspaceGroupState::Terminated)
                .map(|g| Place::deployment(g.workspace_group_id, g.name.clone(), false))
                .chain(clusters.iter().map(|c| Place::deployment(c.cluster_id, c.name.clone(), false)))
                .collect();
            p.starters_error = starters.as_ref().err().cloned();
            for s in starters.into_iter().flatten() {
                if let Some(id) = s.virtual_workspace_id {
                    list.push(Place::deployment(id, s.name.clone().unwrap_or_else(|| id.to_string()), true));
                }
            }
            let first = p.deployments.value.is_none();
            if p.deployments.accept(id, Ok(list), now) {
                let untouched = p.chooser.selected_index() == 0;
                rebuild_chooser(p, &groups, &clusters);
                // The first deployments go on top of the spaces: the cursor goes with them,
                // unless the user has moved it while they were loading.
                if first && untouched {
                    p.chooser.top();
                }
                if let Some(want) = p.want.take() {
                    return pick_named(p, cx, &want);
                }
            }
            Vec::new()
        }
        Ok(StageReply::Listing { store, path, meta }) => {
            let current = p.place.as_ref().is_some_and(|d| d.store == store) && p.path == path;
            if !current {
                if p.listing.owns(id) {
                    p.listing.cancel();
                }
                return Vec::new();
            }
            let children: Vec<FileObjectMetadata> = meta.children().to_vec();
            if p.listing.accept(id, Ok(children), now) {
                rebuild(p);
                if let Some(key) = p.select_after.take() {
                    p.table.select_key(&key);
                }
            }
            Vec::new()
        }
        Ok(StageReply::Metadata { path, meta }) if side => {
            cx.describe(format!("/{path}"), &meta);
            Vec::new()
        }
        Ok(StageReply::Preview { path, bytes, total }) if side => {
            cx.modals.push(Modal::Files(FilesModal::Preview(preview::build(&path, &bytes, total))));
            Vec::new()
        }
        Ok(StageReply::DeletePlan { store, entries }) if side => {
            confirm_delete(cx, store, entries);
            Vec::new()
        }
        Ok(_) => Vec::new(),
    }
}

/// One of this pane's changes was accepted; the ops tracker re-reads the listing.
pub fn on_changed(p: &mut StagePane, reply: &StageReply) -> Vec<Effect> {
    if let StageReply::Changed(r) = reply
        && let Some(path) = &r.path
    {
        p.select_after = Some(path.trim_start_matches('/').to_string());
    }
    p.table.marks.clear();
    Vec::new()
}

// ───────────────────────────── rows ─────────────────────────────

fn short_time(t: Option<&str>) -> String {
    t.and_then(parse_time).map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

pub fn rebuild(p: &mut StagePane) {
    let folder = p.path.clone();
    let mut children: Vec<&FileObjectMetadata> = p.listing.value.iter().flatten().collect();
    children.sort_by(|a, b| {
        b.is_dir().cmp(&a.is_dir()).then_with(|| crate::widgets::table::natural_cmp(name_of(a), name_of(b)))
    });
    let rows = children
        .into_iter()
        .map(|c| {
            let key = transfers::run::child_path(&folder, c);
            let dir = c.is_dir();
            let name = if dir { format!("{}/", name_of(c)) } else { name_of(c).to_string() };
            let size = if dir { "-".into() } else { transfers::human_bytes(c.size.unwrap_or(0)) };
            let kind = if dir {
                "folder".to_string()
            } else {
                c.mimetype.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| "file".into())
            };
            let row = Row::new(key, vec![name, size, short_time(c.last_modified.as_deref()), kind]);
            if dir { row.tone(0, crate::theme::Tone::Busy) } else { row }
        })
        .collect();
    p.table.set_rows(rows);
}

fn name_of(m: &FileObjectMetadata) -> &str {
    match (&m.name, &m.path) {
        (Some(n), _) if !n.is_empty() => n,
        (_, Some(p)) => stage_path::file_name(p),
        _ => "",
    }
}

/// The chooser's rows: the deployments read last (with what `groups` and `clusters` say of
/// them), then the Files spaces, which are there even when the deployments cannot be read.
fn rebuild_chooser(p: &mut StagePane, groups: &[WorkspaceGroup], clusters: &[Cluster]) {
    let deployments = p.deployments.value.iter().flatten().cloned();
    let rows = deployments
        .chain(spaces())
        .map(|d| {
            let id = d.store.deployment();
            let g = groups.iter().find(|g| Some(g.workspace_group_id) == id);
            let c = clusters.iter().find(|c| Some(c.cluster_id) == id);
            let (kind, region, state) = match (g, c) {
                (Some(g), _) => ("workspace group", g.region_name.clone(), g.state.to_string()),
                (None, Some(c)) => ("cluster", c.region.clone().unwrap_or_else(|| "-".into()), c.state().to_string()),
                _ if id.is_none() => ("Files space", "-".into(), "-".into()),
                _ if d.starter => ("starter workspace", "-".into(), "-".into()),
                _ => ("workspace group", "-".into(), "-".into()),
            };
            let shown_id = id.map_or_else(|| "-".to_string(), |id| id.to_string());
            Row::new(d.key(), vec![d.name.clone(), kind.into(), region, state, shown_id])
        })
        .collect();
    p.chooser.set_rows(rows);
}

/// `Stage › analytics › data › 2024` for the crumbs line.
pub fn breadcrumbs(p: &StagePane) -> Vec<String> {
    let mut crumbs = vec![PaneId::Stage.title().to_string()];
    if let Some(d) = &p.place {
        if let Store::Files(_) = d.store {
            crumbs.push("Files".to_string());
        }
        crumbs.push(d.name.clone());
        crumbs.extend(p.path.split('/').filter(|s| !s.is_empty()).map(str::to_string));
    }
    crumbs
}

// ───────────────────────────── actions ─────────────────────────────

/// The selected entry of the listing: (path, metadata).
fn selected(p: &StagePane) -> Option<(String, &FileObjectMetadata)> {
    let key = p.table.selected_key()?;
    let folder = &p.path;
    p.listing
        .value
        .iter()
        .flatten()
        .find(|c| transfers::run::child_path(folder, c) == key)
        .map(|c| (key.to_string(), c))
}

/// The marked entries, or else the selected one.
fn targets(p: &StagePane) -> Vec<RemoteEntry> {
    let folder = &p.path;
    let marks = &p.table.marks;
    let entry = |c: &FileObjectMetadata| {
        let path = transfers::run::child_path(folder, c);
        RemoteEntry { is_dir: stage_path::is_folder(&path), path, size: c.size.unwrap_or(0) }
    };
    let all = p.listing.value.iter().flatten();
    if marks.is_empty() {
        return selected(p).map(|(_, c)| entry(c)).into_iter().collect();
    }
    all.map(entry).filter(|e| marks.contains(&e.path)).collect()
}

fn describe_targets(t: &[RemoteEntry]) -> String {
    match t {
        [one] => format!("/{}", one.path),
        many => format!("{} entries", many.len()),
    }
}

pub fn on_action(p: &mut StagePane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let Some(place) = p.place.clone() else { return chooser_action(p, cx, action) };
    let store = place.store;
    match action {
        Action::Open => match selected(p).map(|(p, c)| (p, c.is_dir())) {
            Some((path, true)) => {
                enter_folder(p, path, None);
                list(p, cx, store)
            }
            Some((path, false)) => side_fetch(p, cx, StageRequest::Preview { store, path }),
            None => Vec::new(),
        },
        Action::Parent => {
            if p.path.is_empty() {
                p.place = None;
                enter_folder(p, String::new(), None);
                return refresh(p, cx);
            }
            let from = p.path.clone();
            enter_folder(p, stage_path::parent(&from), Some(from));
            list(p, cx, store)
        }
        Action::Preview => match selected(p).map(|(p, c)| (p, c.is_dir())) {
            Some((path, false)) => side_fetch(p, cx, StageRequest::Preview { store, path }),
            Some((_, true)) => {
                cx.toasts.push(cx.now, Level::Info, "A folder has no preview: enter opens it.");
                Vec::new()
            }
            None => Vec::new(),
        },
        Action::Describe => match selected(p).map(|(p, c)| (p, c.clone())) {
            Some((path, c)) if c.is_dir() => {
                cx.describe(format!("/{path}"), &c);
                Vec::new()
            }
            Some((path, _)) => side_fetch(p, cx, StageRequest::Metadata { store, path }),
            None => Vec::new(),
        },
        Action::Mark | Action::MarkRange | Action::MarkAll | Action::Unmark => {
            p.table.on_mark(action);
            Vec::new()
        }
        Action::Copy => match selected(p).map(|(p, _)| p) {
            Some(p) => cx.copy(format!("/{p}"), format!("Copied /{p}")),
            None => Vec::new(),
        },
        Action::Upload => open_form(cx, forms::upload_form(store, &p.path.clone()), StageForm::Upload),
        Action::NewFolder if !store.keeps_empty_folders() => {
            let hint =
                "A Files space keeps no empty folders: u uploads a file, and \"Into folder\" may name a new one.";
            cx.toasts.push(cx.now, Level::Info, hint);
            Vec::new()
        }
        Action::NewFolder => open_form(cx, forms::new_folder_form(&p.path.clone()), StageForm::NewFolder),
        Action::Download => {
            let t = targets(p);
            if t.is_empty() {
                return Vec::new();
            }
            let form = forms::download_form(&describe_targets(&t));
            p.form_targets = t;
            open_form(cx, form, StageForm::Download)
        }
        Action::Move if !store.moves_folders() && selected(p).is_some_and(|(_, c)| c.is_dir()) => {
            cx.toast(Level::Info, "A Files space moves files only: open the folder and move its files.");
            Vec::new()
        }
        Action::Move => match selected(p).map(|(p, c)| (p, c.is_dir(), c.size.unwrap_or(0))) {
            Some((path, is_dir, size)) => {
                let form = forms::move_form(&path);
                p.form_targets = vec![RemoteEntry { path, is_dir, size }];
                open_form(cx, form, StageForm::Move)
            }
            None => Vec::new(),
        },
        Action::Delete => {
            let paths: Vec<String> = targets(p).into_iter().map(|e| e.path).collect();
            if paths.is_empty() {
                return Vec::new();
            }
            side_fetch(p, cx, StageRequest::DeletePlan { store, paths })
        }
        _ => Vec::new(),
    }
}

fn chooser_action(p: &mut StagePane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let chosen = p
        .chooser
        .selected_key()
        .and_then(|k| p.deployments.value.iter().flatten().cloned().chain(spaces()).find(|d| d.key() == k));
    match (action, chosen) {
        (Action::Open, Some(d)) => {
            open_place(p, d);
            refresh(p, cx)
        }
        (Action::Copy, Some(d)) => match d.store {
            Store::Stage(id) => cx.copy(id.to_string(), format!("Copied the ID of {}", d.name)),
            Store::Files(space) => cx.copy(space.to_string(), format!("Copied the name of the {space} space")),
        },
        (Action::Upload | Action::Download | Action::NewFolder | Action::Move | Action::Delete, _) => {
            cx.toasts.push(cx.now, Level::Info, "Choose a deployment or a Files space first (enter opens it).");
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn side_fetch(p: &mut StagePane, cx: &mut Ctx, request: StageRequest) -> Vec<Effect> {
    let id = p.side.restart(cx.requests, Purpose::Pane(PaneId::Stage));
    vec![Effect::Fetch { id, fetch: Fetch::Stage(request) }]
}

fn open_form(cx: &mut Ctx, form: Form, kind: StageForm) -> Vec<Effect> {
    cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Stage(kind), request: None }));
    Vec::new()
}

fn confirm_delete(cx: &mut Ctx, store: Store, entries: Vec<(String, usize, usize)>) {
    let mut lines = Vec::new();
    for (path, files, folders) in entries.iter().take(8) {
        if stage_path::is_folder(path) {
            let what = if files + folders == 0 {
                "empty".to_string()
            } else {
                format!("{files} file(s), {folders} folder(s) inside")
            };
            lines.push(format!("• /{path}: {what}"));
        } else {
            lines.push(format!("• file /{path}"));
        }
    }
    if entries.len() > 8 {
        lines.push(format!("… and {} more", entries.len() - 8));
    }
    lines.push("Everything inside a folder goes with it. This cannot be undone.".into());
    let paths: Vec<String> = entries.into_iter().map(|(p, _, _)| p).collect();
    let (expected, name) = match paths.as_slice() {
        [one] => (stage_path::file_name(one).to_string(), format!("/{one}")),
        many => (format!("delete {}", many.len()), format!("{} entries", many.len())),
    };
    let mutation = Mutation::Stage(StageChange::Delete { store, paths });
    let planned = Planned::change(mutation, delete_label(store), "deleted", None, name);
    let title = format!("Delete from {}", store.noun());
    super::ops::confirm_typed(cx, title, lines, expected, planned);
}

fn delete_label(store: Store) -> &'static str {
    match store {
        Store::Stage(_) => "delete Stage entry",
        Store::Files(_) => "delete Files entry",
    }
}

fn move_label(store: Store) -> &'static str {
    match store {
        Store::Stage(_) => "move Stage entry",
        Store::Files(_) => "move Files entry",
    }
}

/// A Stage form was submitted.
pub fn submit_form(p: &mut StagePane, cx: &mut Ctx, kind: StageForm) -> Vec<Effect> {
    let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
    let values = (f.form.value("local"), f.form.value("dest"));
    let result = match p.place.as_ref().map(|d| d.store) {
        None => Err("nothing is open".to_string()),
        Some(store) => match kind {
            StageForm::NewFolder => planned_mkdir(p, store, &f.form).map(Ok),
            StageForm::Move => planned_move(p, store, &f.form).map(Ok),
            StageForm::Upload => plan_upload(cx, store, &values.0, &values.1).map(Err),
            StageForm::Download => plan_download(p, cx, store, &values.0).map(Err),
        },
    };
    match result {
        Err(message) => {
            if let Some(Modal::Form(f)) = cx.modals.last_mut() {
                f.form.server_error = Some(message);
                f.form.error_prefix = "";
            }
            Vec::new()
        }
        Ok(Ok(planned)) => super::ops::send(cx, vec![planned]),
        Ok(Err(effects)) => {
            cx.modals.pop();
            effects
        }
    }
}

fn plan_upload(cx: &mut Ctx, store: Store, local: &str, dest: &str) -> Result<Vec<Effect>, String> {
    // `~` is the runner's to expand: `update` reads no environment.
    let local = std::path::PathBuf::from(local.trim());
    let dest = stage_path::normalize(dest).map_err(|e| e.to_string())?;
    let plan = cx.transfers.new_plan();
    cx.toasts.push(cx.now, Level::Info, format!("Reading {}…", local.display()));
    Ok(vec![Effect::Transfer(TransferEffect::PlanUpload {
        plan,
        store,
        local,
        remote_folder: stage_path::as_folder(&dest),
    })])
}

fn plan_download(p: &mut StagePane, cx: &mut Ctx, store: Store, local: &str) -> Result<Vec<Effect>, String> {
    let local_dir = std::path::PathBuf::from(local.trim());
    let entries = std::mem::take(&mut p.form_targets);
    if entries.is_empty() {
        return Err("nothing to download".into());
    }
    let plan = cx.transfers.new_plan();
    Ok(vec![Effect::Transfer(TransferEffect::PlanDownload { plan, store, entries, local_dir })])
}

fn planned_mkdir(p: &StagePane, store: Store, form: &Form) -> Result<Planned, String> {
    let name = stage_path::normalize(form.value("name").trim()).map_err(|e| e.to_string())?;
    let mut folders = Vec::new();
    let mut acc = p.path.clone();
    for seg in name.split('/').filter(|s| !s.is_empty()) {
        acc = stage_path::as_folder(&stage_path::join(&acc, seg));
        folders.push(acc.clone());
    }
    let last = folders.last().cloned().ok_or("required")?;
    if p.table.rows().iter().any(|r| r.key == last) {
        return Err(format!("/{last} exists already"));
    }
    let mutation = Mutation::Stage(StageChange::Mkdir { store, folders });
    Ok(Planned::change(mutation, "create Stage folder", "created", None, format!("/{last}")))
}

fn planned_move(p: &StagePane, store: Store, form: &Form) -> Result<Planned, String> {
    let from = p.form_targets.first().ok_or("nothing to move")?;
    let typed = form.value("to").trim().to_string();
    let mut to = typed.trim_start_matches('/').to_string();
    let name = stage_path::file_name(&from.path);
    if to.ends_with('/') || to.is_empty() {
        to = stage_path::join(&to, name);
    } else if !typed.contains('/') {
        // A bare name renames in place, beside the original.
        to = stage_path::join(&stage_path::parent(&from.path), &to);
    }
    if from.is_dir {
        to = stage_path::as_folder(&to);
    }
    let to = stage_path::normalize_entry(&to).map_err(|e| e.to_string())?;
    if to == from.path {
        return Err("that is where it is already".into());
    }
    let mutation = Mutation::Stage(StageChange::Move { store, from: from.path.clone(), to: to.clone() });
    Ok(Planned::change(mutation, move_label(store), "moved", None, format!("/{} → /{to}", from.path)))
}

// ───────────────────────────── modals ─────────────────────────────

/// The pane's own dialogs.
#[derive(Debug, Clone, PartialEq)]
pub enum FilesModal {
    /// A name conflict in a transfer plan: file `file` of plan `plan`, asked at `asked`.
    Conflict {
        plan: u64,
        file: usize,
        asked: std::time::Instant,
    },
    Preview(preview::Preview),
}

/// Keys that arrive this soon after a conflict question appears are ignored.
const CONFLICT_GRACE: std::time::Duration = std::time::Duration::from_millis(600);

/// Keys for the top modal when it is one of ours.
pub fn on_modal_key(cx: &mut Ctx, key: KeyEvent) -> Vec<Effect> {
    let page = cx.size.1.saturating_sub(8) as usize;
    let Some(Modal::Files(m)) = cx.modals.last_mut() else { return Vec::new() };
    match m {
        FilesModal::Preview(p) => {
            let last = p.lines.len().saturating_sub(1);
            match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | 'o') => {
                    cx.modals.pop();
                }
                KeyCode::Down | KeyCode::Char('j') => p.scroll = (p.scroll + 1).min(last),
                KeyCode::Up | KeyCode::Char('k') => p.scroll = p.scroll.saturating_sub(1),
                KeyCode::PageDown | KeyCode::Char(' ') => p.scroll = (p.scroll + page).min(last),
                KeyCode::PageUp => p.scroll = p.scroll.saturating_sub(page),
                KeyCode::Home | KeyCode::Char('g') => p.scroll = 0,
                KeyCode::End | KeyCode::Char('G') => p.scroll = last,
                _ => {}
            }
            Vec::new()
        }
        FilesModal::Conflict { plan, file, asked } => {
            let (plan, file) = (*plan, *file);
            // The question can appear while the user is typing elsewhere: a key that was meant
            // for a filter or a form must not overwrite a file.
            if cx.now.saturating_duration_since(*asked) < CONFLICT_GRACE {
                return Vec::new();
            }
            let answer = match key.code {
                KeyCode::Char('o') => Some((Resolution::Overwrite, false)),
                KeyCode::Char('s') => Some((Resolution::Skip, false)),
                KeyCode::Char('r') => Some((Resolution::Rename, false)),
                KeyCode::Char('O') => Some((Resolution::Overwrite, true)),
                KeyCode::Char('S') => Some((Resolution::Skip, true)),
                KeyCode::Char('R') => Some((Resolution::Rename, true)),
                KeyCode::Esc => None,
                _ => return Vec::new(),
            };
            cx.modals.pop();
            transfers::answer(cx, plan, file, answer)
        }
    }
}

/// `:stage NAME [PATH]`: open that deployment (by name or ID) or Files space (`shared`, or
/// `files:shared` when a deployment has that name), optionally at a folder.
pub fn command(p: &mut StagePane, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
    let want = args.join(" ");
    if p.deployments.value.is_some() || space_named(&want).is_some() {
        return pick_named(p, cx, &want);
    }
    p.want = Some(want);
    p.place = None;
    refresh(p, cx)
}

/// The Files space `want` starts with, by its key (`files:shared`) or its bare name.
fn space_named(want: &str) -> Option<Place> {
    let first = want.split_whitespace().next()?;
    spaces().find(|s| s.key() == first || s.name == first)
}

fn pick_named(p: &mut StagePane, cx: &mut Ctx, want: &str) -> Vec<Effect> {
    // Names may hold spaces: the longest name that starts the line wins, the rest is a path.
    // A deployment's name wins over a space's bare name; `files:NAME` always means the space.
    let names = |d: &Place| [d.name.clone(), d.key()];
    let starts = |n: &String| want == n.as_str() || want.starts_with(&format!("{n} "));
    let deployments = p.deployments.value.iter().flatten().cloned();
    let found = deployments
        .chain(spaces())
        .filter(|d| names(d).iter().any(starts))
        .max_by_key(|d| (want.starts_with(&d.key()), d.name.len(), d.store.deployment().is_some()));
    match found {
        Some(d) => {
            let name_len = names(&d).into_iter().filter(starts).map(|n| n.len()).max().unwrap_or_default();
            let path = want[name_len..].trim();
            let store = d.store;
            open_place(p, d);
            if let Ok(folder) = stage_path::normalize(path) {
                enter_folder(p, stage_path::as_folder(&folder), None);
            }
            list(p, cx, store)
        }
        None => {
            cx.toasts.push(cx.now, Level::Error, format!("No deployment or Files space named {want:?}"));
            Vec::new()
        }
    }
}

pub fn on_timer(_state: &mut State, _generation: u64) -> Vec<Effect> {
    Vec::new()
}

impl Pane for StagePane {
    const ID: PaneId = PaneId::Stage;
    const TITLE: &'static str = "Stage";
    const COMMAND: Option<Command> =
        Some(Command { name: "stage", aliases: &["files"], help: "Stage of a deployment, and the Files spaces" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = StageReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(self, cx)
    }

    fn reload(&mut self, cx: &mut Ctx, about: Option<Uuid>) -> Vec<Effect> {
        // Only a listing of the deployment that changed (`None`: a Files space changed).
        match (self.place.as_ref().map(|d| d.store), about) {
            (Some(Store::Stage(id)), Some(changed)) if id == changed => refresh(self, cx),
            (Some(Store::Files(_)), None) => refresh(self, cx),
            _ => Vec::new(),
        }
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<StageReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_changed(&mut self, _cx: &mut Ctx, reply: &StageReply) -> Vec<Effect> {
        on_changed(self, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        match purpose {
            FormPurpose::Stage(kind) => submit_form(self, cx, kind),
            _ => Vec::new(),
        }
    }

    fn on_form_key(&mut self, cx: &mut Ctx, key: KeyEvent) -> Option<Vec<Effect>> {
        // Tab in a local path field completes it from the folder, which the runner reads.
        let Some(Modal::Form(f)) = cx.modals.last_mut() else { return None };
        forms::form_key(f, key).map(|input| vec![Effect::ListLocalFolder { input }])
    }

    fn on_local_folder(&mut self, cx: &mut Ctx, input: &str, entries: &[(String, bool)]) {
        if let Some(Modal::Form(f)) = cx.modals.last_mut()
            && !forms::apply_completion(f, input, entries)
        {
            // Nothing left to complete: tab moves on, as in any form.
            f.form.handle_key(KeyEvent::new(crossterm::event::KeyCode::Tab, crossterm::event::KeyModifiers::NONE));
        }
    }

    fn on_modal_key(&mut self, cx: &mut Ctx, key: KeyEvent) -> Vec<Effect> {
        on_modal_key(cx, key)
    }

    fn command(&mut self, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
        if args.is_empty() { Vec::new() } else { command(self, cx, args) }
    }

    fn arrive(&mut self, cx: &mut Ctx, _place: Option<Uuid>) -> Vec<Effect> {
        // `:stage NAME` already chose (`want`): no guessing from where the user came from.
        if self.place.is_none() && self.want.is_none() {
            auto_pick(self, cx);
        }
        Vec::new()
    }

    fn breadcrumbs(&self, _view: &View) -> Option<Vec<String>> {
        Some(breadcrumbs(self))
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        rebuild(self);
    }

    fn table(&self) -> Option<&TableState> {
        Some(if self.place.is_some() { &self.table } else { &self.chooser })
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(if self.place.is_some() { &mut self.table } else { &mut self.chooser })
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(if self.place.is_some() { self.listing.fetched_at } else { self.deployments.fetched_at })
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        view::render(frame, area, self, view);
    }
}
