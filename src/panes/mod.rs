//! One module per pane: its state, rows, actions and drawing. This file routes between them.

pub mod groups;
pub mod ops;
pub mod workspaces;

use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

use crate::effect::{Effect, Fetch};
use crate::msg::{Action, Timer};
use crate::state::{Location, PaneId, State};
use crate::widgets::palette::Command;
use crate::widgets::table::TableState;

/// Commands of the `:` palette.
pub const COMMANDS: &[Command] = &[
    Command { name: "workspaces", aliases: &["ws"], help: "Workspaces of every group" },
    Command { name: "groups", aliases: &["wg", "workspacegroups"], help: "Workspace groups" },
    Command { name: "ops", aliases: &["operations"], help: "Operations: pending and finished changes" },
    Command { name: "refresh", aliases: &["r"], help: "Refresh now" },
    Command { name: "help", aliases: &["h", "?"], help: "Keys of the current pane" },
    Command { name: "quit", aliases: &["q", "q!", "exit"], help: "Quit s2tui" },
];

/// The number of remembered back-steps.
const BACK_LIMIT: usize = 32;

fn here(state: &State) -> Location {
    let group = (state.location.pane == PaneId::Workspaces).then_some(state.workspaces.group).flatten();
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
    let fetches = match state.location.pane {
        PaneId::Groups | PaneId::Workspaces => {
            let scope = state.workspace_scope();
            let mut f = vec![Fetch::Groups];
            if !scope.is_empty() {
                f.push(Fetch::Workspaces { groups: scope });
            }
            f
        }
        PaneId::Operations => Vec::new(),
    };
    fetches.into_iter().filter_map(|f| state.fetch(f)).collect()
}

pub fn table_mut(state: &mut State) -> &mut TableState {
    match state.location.pane {
        PaneId::Groups => &mut state.groups.table,
        PaneId::Workspaces => &mut state.workspaces.table,
        PaneId::Operations => &mut state.ops.table,
    }
}

pub fn table(state: &State) -> &TableState {
    match state.location.pane {
        PaneId::Groups => &state.groups.table,
        PaneId::Workspaces => &state.workspaces.table,
        PaneId::Operations => &state.ops.table,
    }
}

/// Movement, filter and sort: the same in every list. True if `action` was one of them.
pub fn on_list_action(state: &mut State, action: Action) -> bool {
    let table = table_mut(state);
    let page = table.page();
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
        _ => return false,
    }
    true
}

/// Pane-specific actions.
pub fn on_pane_action(state: &mut State, action: Action) -> Vec<Effect> {
    match state.location.pane {
        PaneId::Groups => groups::on_action(state, action),
        PaneId::Workspaces => workspaces::on_action(state, action),
        PaneId::Operations => Vec::new(),
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
        PaneId::Operations => ops::render(frame, area, state),
    }
}
