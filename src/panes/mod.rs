//! One module per pane: its state, rows, actions and drawing. This file routes between them.

pub mod audit;
pub mod connections;
pub mod groups;
pub mod jobs;
pub mod log;
pub mod ops;
pub mod org;
pub mod secrets;
pub mod stage;
pub mod teams;
pub mod transfers;
pub mod usage;
pub mod workspaces;

use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::effect::{ApiReply, Effect, Fetch};
use crate::keymap::KeyDef;
use crate::msg::{Action, RequestId, Timer};
use crate::state::{Location, PaneId, State};
use crate::widgets::palette::Command;
use crate::widgets::table::TableState;

/// Every pane's default keys (the keymap reads them all).
pub const KEYS: &[&[KeyDef]] = &[
    groups::KEYS,
    workspaces::KEYS,
    stage::KEYS,
    jobs::KEYS,
    secrets::KEYS,
    teams::KEYS,
    connections::KEYS,
    usage::KEYS,
    audit::KEYS,
    ops::KEYS,
    transfers::KEYS,
    org::KEYS,
    log::KEYS,
];

/// Commands of the `:` palette. A pane command takes the rest of the line as arguments.
pub const COMMANDS: &[Command] = &[
    Command { name: "workspaces", aliases: &["ws"], help: "Workspaces of every group" },
    Command { name: "groups", aliases: &["wg", "workspacegroups"], help: "Workspace groups" },
    Command { name: "stage", aliases: &["files"], help: "Stage files of a workspace group" },
    Command { name: "transfers", aliases: &["tr"], help: "Uploads and downloads" },
    Command { name: "jobs", aliases: &["job"], help: "Scheduled notebook jobs (:job ID adds one)" },
    Command { name: "secrets", aliases: &["secret"], help: "Secrets" },
    Command { name: "teams", aliases: &["team"], help: "Teams and their members" },
    Command { name: "pc", aliases: &["connections", "privateconnections"], help: "Private connections" },
    Command { name: "usage", aliases: &["billing"], help: "Compute credits and storage over time" },
    Command { name: "audit", aliases: &["auditlog"], help: "Audit log, live (:audit key=value filters)" },
    Command { name: "org", aliases: &["organization"], help: "The organization and its API firewall" },
    Command { name: "regions", aliases: &["region"], help: "Regions (v1, v2, shared tier)" },
    Command { name: "log", aliases: &["activity"], help: "API calls made in this session" },
    Command { name: "ops", aliases: &["operations"], help: "Operations: pending and finished changes" },
    Command { name: "profile", aliases: &["ctx"], help: "Switch to another profile: :profile NAME" },
    Command { name: "refresh", aliases: &["r"], help: "Refresh now" },
    Command { name: "help", aliases: &["h", "?"], help: "Keys of the current pane" },
    Command { name: "quit", aliases: &["q", "q!", "exit"], help: "Quit s2tui" },
];

/// The number of remembered back-steps.
const BACK_LIMIT: usize = 32;

fn here(state: &State) -> Location {
    let group = match state.location.pane {
        PaneId::Workspaces => state.workspaces.group,
        // The jobs pane drills into one job's executions.
        PaneId::Jobs => jobs::drilled(state),
        _ => None,
    };
    Location { pane: state.location.pane, group }
}

/// Goes to `pane` (for workspaces, optionally one group), remembering where we were.
pub fn navigate(state: &mut State, pane: PaneId, group: Option<Uuid>) -> Vec<Effect> {
    let to = Location { pane, group };
    if to == here(state) {
        return Vec::new();
    }
    let from = here(state);
    state.back.push(from);
    if state.back.len() > BACK_LIMIT {
        state.back.remove(0);
    }
    apply_location(state, to)
}

/// Goes to the root of `pane` (1–9, tab, `:`): a jump starts a new history instead of adding to
/// it, so `esc` steps back through drill-downs only and `q` leaves from any top-level pane.
pub fn jump(state: &mut State, pane: PaneId) -> Vec<Effect> {
    let effects = navigate(state, pane, None);
    state.back.clear();
    effects
}

/// True at a pane's root (not drilled into a group or a job).
pub fn at_top_level(state: &State) -> bool {
    here(state).group.is_none()
}

/// Goes back one step; false when there is nowhere to go.
pub fn go_back(state: &mut State) -> Option<Vec<Effect>> {
    let to = state.back.pop()?;
    Some(apply_location(state, to))
}

fn apply_location(state: &mut State, to: Location) -> Vec<Effect> {
    state.location = to;
    if to.pane == PaneId::Workspaces && state.workspaces.group != to.group {
        state.workspaces.group = to.group;
        state.workspaces.table.set_filter("");
        state.workspaces.table.editing_filter = false;
        state.workspaces.table.marks.clear();
        workspaces::rebuild(state);
        state.workspaces.table.top();
    }
    if to.pane == PaneId::Jobs {
        jobs::show(state, to.group);
    }
    restart_refresh(state)
}

/// Refreshes the visible pane now and restarts the slow refresh cadence.
pub fn restart_refresh(state: &mut State) -> Vec<Effect> {
    state.refresh_generation += 1;
    let mut effects = refresh_visible(state);
    effects.push(Effect::Timer {
        after: state.session.refresh_every,
        timer: Timer::Refresh { generation: state.refresh_generation },
    });
    effects
}

/// Reads what the visible pane shows; other panes wait until they are looked at.
pub fn refresh_visible(state: &mut State) -> Vec<Effect> {
    refresh_pane(state, state.location.pane)
}

/// Reads what `pane` shows.
pub fn refresh_pane(state: &mut State, pane: PaneId) -> Vec<Effect> {
    match pane {
        PaneId::Groups | PaneId::Workspaces => {
            let scope = state.workspace_scope();
            let mut fetches = vec![Fetch::Groups];
            if !scope.is_empty() {
                fetches.push(Fetch::Workspaces { groups: scope });
            }
            fetches.into_iter().filter_map(|f| state.fetch(f)).collect()
        }
        PaneId::Stage => stage::refresh(state),
        PaneId::Jobs => jobs::refresh(state),
        PaneId::Secrets => secrets::refresh(state),
        PaneId::Teams => teams::refresh(state),
        PaneId::Connections => connections::refresh(state),
        PaneId::Usage => usage::refresh(state),
        PaneId::Audit => audit::refresh(state),
        PaneId::Org | PaneId::Regions => org::refresh(state, pane),
        PaneId::Log => {
            log::rebuild(state);
            Vec::new()
        }
        PaneId::Operations | PaneId::Transfers => Vec::new(),
    }
}

/// A reply to a read that a pane made itself.
pub fn on_reply(state: &mut State, pane: PaneId, id: RequestId, reply: Result<ApiReply, ApiError>) -> Vec<Effect> {
    // Each pane asks only for its own kind of reply; anything else is a bug, dropped.
    macro_rules! route {
        ($variant:ident, $module:ident) => {
            match reply {
                Ok(ApiReply::$variant(r)) => $module::on_reply(state, id, Ok(r)),
                Err(e) => $module::on_reply(state, id, Err(e)),
                Ok(_) => Vec::new(),
            }
        };
    }
    match pane {
        PaneId::Stage => route!(Stage, stage),
        PaneId::Jobs => route!(Jobs, jobs),
        PaneId::Secrets => route!(Secrets, secrets),
        PaneId::Teams => route!(Teams, teams),
        PaneId::Connections => route!(Connections, connections),
        PaneId::Usage => route!(Usage, usage),
        PaneId::Audit => route!(Audit, audit),
        PaneId::Org | PaneId::Regions => route!(Org, org),
        _ => Vec::new(),
    }
}

/// A change a pane made was accepted: the pane may keep what the reply says (e.g. a new job's ID).
pub fn on_changed(state: &mut State, reply: &ApiReply) -> Vec<Effect> {
    match reply {
        ApiReply::Jobs(r) => jobs::on_changed(state, r),
        ApiReply::Secrets(r) => secrets::on_changed(state, r),
        ApiReply::Stage(r) => stage::on_changed(state, r),
        ApiReply::Teams(r) => teams::on_changed(state, r),
        ApiReply::Connections(r) => connections::on_changed(state, r),
        _ => Vec::new(),
    }
}

/// A pane's own timer fired.
pub fn on_timer(state: &mut State, pane: PaneId, generation: u64) -> Vec<Effect> {
    match pane {
        PaneId::Stage => stage::on_timer(state, generation),
        PaneId::Secrets => secrets::on_timer(state, generation),
        PaneId::Audit => audit::on_timer(state, generation),
        PaneId::Jobs => jobs::on_timer(state, generation),
        PaneId::Transfers => transfers::on_timer(state, generation),
        _ => Vec::new(),
    }
}

/// A palette command that names a pane: go there, and let the pane read any arguments.
pub fn command(state: &mut State, pane: PaneId, args: &[String]) -> Vec<Effect> {
    if pane == PaneId::Connections {
        // `:pc` alone lists every group again, after a visit scoped to one group.
        return connections::command(state, args);
    }
    let mut effects = jump(state, pane);
    if !args.is_empty() {
        effects.extend(match pane {
            PaneId::Stage => stage::command(state, args),
            PaneId::Jobs => jobs::command(state, args),
            PaneId::Audit => audit::command(state, args),
            _ => Vec::new(),
        });
    }
    effects
}

pub fn table_mut(state: &mut State) -> &mut TableState {
    match state.location.pane {
        PaneId::Groups => &mut state.groups.table,
        PaneId::Workspaces => &mut state.workspaces.table,
        PaneId::Stage => stage::table_mut(state),
        PaneId::Jobs => jobs::table_mut(state),
        PaneId::Secrets => &mut state.secrets.table,
        PaneId::Teams => &mut state.teams.table,
        PaneId::Connections => &mut state.connections.table,
        PaneId::Usage => &mut state.usage.table,
        PaneId::Audit => &mut state.audit.table,
        PaneId::Operations => &mut state.ops.table,
        PaneId::Transfers => &mut state.transfers.table,
        PaneId::Org => &mut state.org.table,
        PaneId::Regions => &mut state.regions.table,
        PaneId::Log => &mut state.activity.table,
    }
}

pub fn table(state: &State) -> &TableState {
    match state.location.pane {
        PaneId::Groups => &state.groups.table,
        PaneId::Workspaces => &state.workspaces.table,
        PaneId::Stage => stage::table(state),
        PaneId::Jobs => jobs::table(state),
        PaneId::Secrets => &state.secrets.table,
        PaneId::Teams => &state.teams.table,
        PaneId::Connections => &state.connections.table,
        PaneId::Usage => &state.usage.table,
        PaneId::Audit => &state.audit.table,
        PaneId::Operations => &state.ops.table,
        PaneId::Transfers => &state.transfers.table,
        PaneId::Org => &state.org.table,
        PaneId::Regions => &state.regions.table,
        PaneId::Log => &state.activity.table,
    }
}

/// Movement, filter and sort: the same in every list. True if `action` was one of them.
pub fn on_list_action(state: &mut State, action: Action) -> bool {
    if state.location.pane == PaneId::Audit {
        return audit::on_list_action(state, action);
    }
    // The activity log reads from the top (newest first): a sort made there starts at the top
    // of the new order instead of following the newest call into the middle.
    let from_top = state.location.pane == PaneId::Log;
    let table = table_mut(state);
    let page = table.page();
    let at_top = from_top && table.selected_index() == 0;
    if at_top && matches!(action, Action::SortNext | Action::SortPrev | Action::SortReverse) {
        match action {
            Action::SortNext => table.sort_next(1),
            Action::SortPrev => table.sort_next(-1),
            _ => table.sort_reverse(),
        }
        table.top();
        return true;
    }
    match action {
        Action::Up => table.up(1),
        Action::Down => table.down(1),
        Action::PageUp => table.up(page),
        Action::PageDown => table.down(page),
        Action::Top => table.top(),
        Action::Bottom => table.bottom(),
        Action::SortNext => table.sort_next(1),
        Action::SortPrev => table.sort_next(-1),
        Action::SortReverse => table.sort_reverse(),
        Action::Filter => table.editing_filter = true,
        Action::Wide => table.wide = !table.wide,
        _ => return false,
    }
    if state.location.pane == PaneId::Secrets {
        secrets::follow_selection(state);
    }
    true
}

/// Pane-specific actions.
pub fn on_pane_action(state: &mut State, action: Action) -> Vec<Effect> {
    let (modals, toasts) = (state.modals.len(), state.toasts.items.len());
    let effects = pane_action(state, action);
    // `d` is a list key shown in every list's footer; where a pane has nothing to describe,
    // the user is told so instead of nothing happening.
    if action == Action::Describe
        && effects.is_empty()
        && state.modals.len() == modals
        && state.toasts.items.len() == toasts
    {
        let message = format!("Nothing to describe in {}", state.location.pane.title());
        state.toasts.push(state.now, crate::widgets::toast::Level::Info, message);
    }
    effects
}

fn pane_action(state: &mut State, action: Action) -> Vec<Effect> {
    match state.location.pane {
        PaneId::Groups => groups::on_action(state, action),
        PaneId::Workspaces => workspaces::on_action(state, action),
        PaneId::Stage => stage::on_action(state, action),
        PaneId::Jobs => jobs::on_action(state, action),
        PaneId::Secrets => secrets::on_action(state, action),
        PaneId::Teams => teams::on_action(state, action),
        PaneId::Connections => connections::on_action(state, action),
        PaneId::Usage => usage::on_action(state, action),
        PaneId::Audit => audit::on_action(state, action),
        PaneId::Operations => ops::on_action(state, action),
        PaneId::Transfers => transfers::on_action(state, action),
        PaneId::Org | PaneId::Regions => org::on_action(state, action),
        PaneId::Log => log::on_action(state, action),
    }
}

/// Rebuilds every pane's rows (after a reset or a theme change).
pub fn rebuild_all(state: &mut State) {
    groups::rebuild(state);
    workspaces::rebuild(state);
    ops::rebuild(state);
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    match state.location.pane {
        PaneId::Groups => groups::render(frame, area, state),
        PaneId::Workspaces => workspaces::render(frame, area, state),
        PaneId::Stage => stage::render(frame, area, state),
        PaneId::Jobs => jobs::render(frame, area, state),
        PaneId::Secrets => secrets::render(frame, area, state),
        PaneId::Teams => teams::render(frame, area, state),
        PaneId::Connections => connections::render(frame, area, state),
        PaneId::Usage => usage::render(frame, area, state),
        PaneId::Audit => audit::render(frame, area, state),
        PaneId::Operations => ops::render(frame, area, state),
        PaneId::Transfers => transfers::render(frame, area, state),
        PaneId::Org => org::render(frame, area, state, PaneId::Org),
        PaneId::Regions => org::render(frame, area, state, PaneId::Regions),
        PaneId::Log => log::render(frame, area, state),
    }
}
