//! The panes. The registry (`id.rs`) names each of them once; `PaneId`, titles, palette
//! commands, key tables, the state fields and every dispatch follow from it. A pane is one
//! module implementing [`Pane`](pane::Pane) plus one line in the registry.

pub mod access;
pub mod audit;
pub mod clusters;
pub mod connections;
pub mod deployment;
pub mod dr;
pub mod flow;
pub mod functions;
pub mod group_settings;
pub mod groups;
pub mod id;
pub mod identities;
pub mod invitations;
pub mod jobs;
pub mod log;
pub mod ops;
pub mod org;
pub mod pane;
pub mod people;
pub mod projects;
pub mod roles;
pub mod secrets;
pub mod stage;
pub mod starters;
pub mod teams;
pub mod transfers;
pub mod usage;
pub mod users;
pub mod workspaces;

use std::sync::LazyLock;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::effect::{ApiReply, Effect};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId, Timer};
pub use id::PaneId;

use crate::state::{Location, State};
use crate::widgets::modal::FormPurpose;
use crate::widgets::palette::Command;
use crate::widgets::table::TableState;
use crate::widgets::toast::Level;
use pane::{Asks, Ctx, FromReply, Go, Pane, View};

/// Turns the registry into the code that follows from it.
macro_rules! panes_from_registry {
    ($($id:ident => $field:ident: $ty:ty,)*) => {
        impl PaneId {
            pub fn title(self) -> &'static str {
                match self {
                    $(PaneId::$id => <$ty as Pane>::TITLE,)*
                }
            }

            /// The pane's `:` palette entry.
            pub fn command(self) -> Option<Command> {
                match self {
                    $(PaneId::$id => <$ty as Pane>::COMMAND,)*
                }
            }

            /// Whether the pane is shown to a session speaking `version`.
            pub fn speaks(self, version: ApiVersion) -> bool {
                match self {
                    $(PaneId::$id => <$ty as Pane>::API.is_none_or(|v| v == version),)*
                }
            }

            /// The pane's default keys.
            pub fn keys(self) -> &'static [KeyDef] {
                match self {
                    $(PaneId::$id => <$ty as Pane>::KEYS,)*
                }
            }
        }

        /// Every pane's own state.
        #[derive(Default)]
        pub struct Panes {
            $(pub $field: $ty,)*
        }

        impl Panes {
            pub fn refresh(&mut self, pane: PaneId, cx: &mut Ctx) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.refresh(cx),)*
                }
            }

            pub fn on_reply(
                &mut self,
                pane: PaneId,
                cx: &mut Ctx,
                id: RequestId,
                reply: Result<ApiReply, ApiError>,
            ) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => match reply {
                        Err(e) => self.$field.on_reply(cx, id, Err(e)),
                        Ok(r) => match <<$ty as Pane>::Reply as FromReply>::from_reply(r) {
                            Some(r) => self.$field.on_reply(cx, id, Ok(r)),
                            // Each pane asks only for its own kind of reply.
                            None => {
                                tracing::debug!(pane = ?pane, "a reply of another family was dropped");
                                Vec::new()
                            }
                        },
                    },)*
                }
            }

            /// A change was accepted: every pane whose family answered may keep what it says.
            pub fn on_changed(&mut self, cx: &mut Ctx, reply: &ApiReply) -> Vec<Effect> {
                let mut effects = Vec::new();
                $(if let Some(r) = <<$ty as Pane>::Reply as FromReply>::peek(reply) {
                    effects.extend(self.$field.on_changed(cx, r));
                })*
                effects
            }

            pub fn on_action(&mut self, pane: PaneId, cx: &mut Ctx, action: Action) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.on_action(cx, action),)*
                }
            }

            pub fn on_timer(&mut self, pane: PaneId, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.on_timer(cx, generation),)*
                }
            }

            pub fn on_form(&mut self, pane: PaneId, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.on_form(cx, purpose),)*
                }
            }

            pub fn on_form_key(&mut self, pane: PaneId, cx: &mut Ctx, key: KeyEvent) -> Option<Vec<Effect>> {
                match pane {
                    $(PaneId::$id => self.$field.on_form_key(cx, key),)*
                }
            }

            pub fn on_local_folder(&mut self, pane: PaneId, cx: &mut Ctx, input: &str, entries: &[(String, bool)]) {
                match pane {
                    $(PaneId::$id => self.$field.on_local_folder(cx, input, entries),)*
                }
            }

            pub fn on_form_edit(&mut self, pane: PaneId, cx: &mut Ctx) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.on_form_edit(cx),)*
                }
            }

            pub fn on_modal_key(&mut self, pane: PaneId, cx: &mut Ctx, key: KeyEvent) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.on_modal_key(cx, key),)*
                }
            }

            pub fn command(&mut self, pane: PaneId, cx: &mut Ctx, args: &[String]) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.command(cx, args),)*
                }
            }

            pub fn place(&self, pane: PaneId) -> Option<Uuid> {
                match pane {
                    $(PaneId::$id => self.$field.place(),)*
                }
            }

            pub fn arrive(&mut self, pane: PaneId, cx: &mut Ctx, place: Option<Uuid>) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.arrive(cx, place),)*
                }
            }

            pub fn reload(&mut self, pane: PaneId, cx: &mut Ctx, about: Option<Uuid>) -> Vec<Effect> {
                match pane {
                    $(PaneId::$id => self.$field.reload(cx, about),)*
                }
            }

            pub fn rebuild(&mut self, pane: PaneId, cx: &Ctx) {
                match pane {
                    $(PaneId::$id => self.$field.rebuild(cx),)*
                }
            }

            pub fn on_list_action(&mut self, pane: PaneId, cx: &mut Ctx, action: Action) -> bool {
                match pane {
                    $(PaneId::$id => self.$field.on_list_action(cx, action),)*
                }
            }

            pub fn sync(&mut self, pane: PaneId, cx: &Ctx) {
                match pane {
                    $(PaneId::$id => self.$field.sync(cx),)*
                }
            }

            pub fn breadcrumbs(&self, pane: PaneId, view: &View) -> Option<Vec<String>> {
                match pane {
                    $(PaneId::$id => self.$field.breadcrumbs(view),)*
                }
            }

            pub fn table(&self, pane: PaneId) -> Option<&TableState> {
                match pane {
                    $(PaneId::$id => self.$field.table(),)*
                }
            }

            pub fn table_mut(&mut self, pane: PaneId) -> Option<&mut TableState> {
                match pane {
                    $(PaneId::$id => self.$field.table_mut(),)*
                }
            }

            pub fn freshness(&self, pane: PaneId, view: &View) -> Option<Option<std::time::Instant>> {
                match pane {
                    $(PaneId::$id => self.$field.freshness(view),)*
                }
            }

            pub fn render(&self, pane: PaneId, frame: &mut Frame, area: Rect, view: &View) {
                match pane {
                    $(PaneId::$id => self.$field.render(frame, area, view),)*
                }
            }
        }
    };
}

id::registry!(panes_from_registry);

impl PaneId {
    /// Keymap contexts for this pane, most specific first.
    pub fn contexts(self) -> [Context; 3] {
        [Context::Pane(self), Context::List, Context::Global]
    }
}

/// Commands of the `:` palette: every pane's, then the dashboard's own.
pub static COMMANDS: LazyLock<Vec<Command>> = LazyLock::new(|| {
    let own = [
        Command { name: "profile", aliases: &["ctx"], help: "Switch to another profile: :profile NAME" },
        Command { name: "refresh", aliases: &["r"], help: "Refresh now" },
        Command { name: "help", aliases: &["h", "?"], help: "Keys of the current pane" },
        Command { name: "quit", aliases: &["q", "q!", "exit"], help: "Quit s2tui" },
    ];
    PaneId::ALL.iter().filter_map(|p| p.command()).chain(own).collect()
});

impl PaneId {
    /// The panes a session speaking `version` shows, in `tab` order (the first nine are `1`–`9`).
    pub fn shown(version: ApiVersion) -> Vec<PaneId> {
        PaneId::ALL.iter().copied().filter(|p| p.speaks(version)).collect()
    }
}

/// The palette commands of a session speaking `version`.
pub fn commands(version: ApiVersion) -> &'static [Command] {
    fn spoken(version: ApiVersion) -> Vec<Command> {
        let hidden: Vec<&str> =
            PaneId::ALL.iter().filter(|p| !p.speaks(version)).filter_map(|p| Some(p.command()?.name)).collect();
        COMMANDS.iter().filter(|c| !hidden.contains(&c.name)).copied().collect()
    }
    static V1: LazyLock<Vec<Command>> = LazyLock::new(|| spoken(ApiVersion::V1));
    static V2: LazyLock<Vec<Command>> = LazyLock::new(|| spoken(ApiVersion::V2));
    match version {
        ApiVersion::V1 => &V1,
        ApiVersion::V2 => &V2,
    }
}

/// The pane a palette command names.
pub fn pane_named(command: &str) -> Option<PaneId> {
    PaneId::ALL.iter().copied().find(|p| p.command().is_some_and(|c| c.name == command))
}

/// Runs `f` on a pane with its context, then does what the pane asked of the loop: rebuild
/// rows that follow shared data, read panes again, go somewhere.
pub fn dispatch<R>(state: &mut State, f: impl FnOnce(&mut Panes, &mut Ctx) -> R) -> (R, Vec<Effect>) {
    let mut asks = Asks::default();
    let result = {
        let (panes, mut cx) = state.split(&mut asks);
        f(panes, &mut cx)
    };
    (result, answer(state, asks))
}

/// Does what a pane asked of the loop.
fn answer(state: &mut State, asks: Asks) -> Vec<Effect> {
    let mut effects = Vec::new();
    rebuild(state, &asks.stale);
    for (pane, about) in asks.reload {
        let mut more = Asks::default();
        let (panes, mut cx) = state.split(&mut more);
        effects.extend(panes.reload(pane, &mut cx, about));
        effects.extend(answer(state, more));
    }
    if let Some(go) = asks.go {
        effects.extend(follow(state, go));
    }
    effects
}

/// Like [`dispatch`], for calls that return effects.
pub fn with_panes(state: &mut State, f: impl FnOnce(&mut Panes, &mut Ctx) -> Vec<Effect>) -> Vec<Effect> {
    let (mut effects, more) = dispatch(state, f);
    effects.extend(more);
    effects
}

/// Rebuilds the rows of `panes` from shared data.
pub fn rebuild(state: &mut State, panes: &[PaneId]) {
    if panes.is_empty() {
        return;
    }
    let mut asks = Asks::default();
    let (all, cx) = state.split(&mut asks);
    for &p in panes {
        all.rebuild(p, &cx);
    }
}

/// Keeps every pane's derived views (the audit search) in step with what changed.
pub fn sync_all(state: &mut State) {
    let mut asks = Asks::default();
    let (all, cx) = state.split(&mut asks);
    for &pane in PaneId::ALL {
        all.sync(pane, &cx);
    }
}

fn follow(state: &mut State, go: Go) -> Vec<Effect> {
    match go {
        Go::To { pane, place } => navigate(state, pane, place),
        Go::Select { pane, key, missing } => {
            let effects = navigate(state, pane, None);
            if !state.panes.table_mut(pane).is_some_and(|t| t.select_key(&key)) {
                state.toasts.push(state.now, Level::Info, missing);
            }
            effects
        }
    }
}

/// The number of remembered back-steps.
const BACK_LIMIT: usize = 32;

fn here(state: &State) -> Location {
    let pane = state.location.pane;
    Location { pane, group: state.panes.place(pane) }
}

/// Goes to `pane` (at a place of its own, such as a group), remembering where we were.
pub fn navigate(state: &mut State, pane: PaneId, place: Option<Uuid>) -> Vec<Effect> {
    let to = Location { pane, group: place };
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
    let mut effects = with_panes(state, |panes, cx| panes.arrive(to.pane, cx, to.group));
    effects.extend(restart_refresh(state));
    effects
}

/// Refreshes the visible pane now and restarts the slow refresh cadence.
pub fn restart_refresh(state: &mut State) -> Vec<Effect> {
    state.refresh_generation += 1;
    state.requests.next_refresh = Some(state.now + state.session.refresh_every);
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
    with_panes(state, |panes, cx| panes.refresh(pane, cx))
}

/// A palette command that names a pane: the pane reads its arguments, then it is shown (so
/// its first refresh already asks for what the arguments chose).
pub fn command(state: &mut State, pane: PaneId, args: &[String]) -> Vec<Effect> {
    let mut effects = with_panes(state, |panes, cx| panes.command(pane, cx, args));
    effects.extend(jump(state, pane));
    effects
}

pub fn table_mut(state: &mut State) -> Option<&mut TableState> {
    state.panes.table_mut(state.location.pane)
}

pub fn table(state: &State) -> Option<&TableState> {
    state.panes.table(state.location.pane)
}

/// Movement, filter and sort: the same in every list. True if `action` was one of them.
pub fn on_list_action(state: &mut State, action: Action) -> bool {
    let pane = state.location.pane;
    let (taken, effects) = dispatch(state, |panes, cx| panes.on_list_action(pane, cx, action));
    debug_assert!(effects.is_empty(), "list actions go nowhere");
    if taken {
        return true;
    }
    // The activity log reads from the top (newest first): a sort made there starts at the top
    // of the new order instead of following the newest call into the middle.
    let from_top = state.location.pane == PaneId::Log;
    let Some(table) = table_mut(state) else { return false };
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
        secrets::follow_selection(&mut state.panes.secrets);
    }
    true
}

/// Pane-specific actions.
pub fn on_pane_action(state: &mut State, action: Action) -> Vec<Effect> {
    let (modals, toasts) = (state.modals.len(), state.toasts.items.len());
    let pane = state.location.pane;
    let effects = with_panes(state, |panes, cx| panes.on_action(pane, cx, action));
    // `d` is a list key shown in every list's footer; where a pane has nothing to describe,
    // the user is told so instead of nothing happening.
    if action == Action::Describe
        && effects.is_empty()
        && state.modals.len() == modals
        && state.toasts.items.len() == toasts
    {
        let message = format!("Nothing to describe in {}", pane.title());
        state.toasts.push(state.now, Level::Info, message);
    }
    effects
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let view = state.view();
    state.panes.render(state.location.pane, frame, area, &view);
}
