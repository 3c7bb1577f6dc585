//! The pane contract: what every pane implements, and the narrow context it works in.
//!
//! A pane owns its view state (table, drill-down, forms it opened) and sees the rest of the
//! dashboard only through [`Ctx`] (while handling a message) or [`View`] (while drawing):
//! shared API data, toasts, modals, the operations tracker, requests, transfers and the clock.
//! It never sees another pane; to go somewhere it asks [`Ctx::go`], and the loop does it.

use std::time::Instant;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::effect::{ApiReply, Effect, Fetch};
use crate::keymap::{KeyDef, Keymap};
use crate::msg::{Action, RequestId};
use crate::state::{Data, Location, PaneId, Purpose, Requests, SessionInfo};
use crate::theme::Theme;
use crate::widgets::json_view::JsonView;
use crate::widgets::modal::{FormPurpose, Modal};
use crate::widgets::palette::Command;
use crate::widgets::table::TableState;
use crate::widgets::toast::{Level, Toasts};

use super::ops::Operations;
use super::transfers::Transfers;
use super::usage::estimate::Estimate;

/// One pane of the dashboard. Every method has a default, so a pane writes only what it does.
pub trait Pane: Default {
    /// Its place in the registry.
    const ID: PaneId;
    /// The title in its frame, the breadcrumbs and the help overlay.
    const TITLE: &'static str;
    /// Its `:` palette entry (`None`: reachable only from another pane).
    const COMMAND: Option<Command> = None;
    /// Its default keys (the keymap reads them all; users rebind them by the pane's name).
    const KEYS: &'static [KeyDef] = &[];
    /// The API version it belongs to (`None`: both). A pane of the other version is not shown.
    const API: Option<ApiVersion> = None;
    /// The family reply its reads come back as.
    type Reply: FromReply;

    /// Reads what the pane shows: when it becomes visible, and on every refresh.
    fn refresh(&mut self, _cx: &mut Ctx) -> Vec<Effect> {
        Vec::new()
    }
    /// A reply to a read this pane started.
    fn on_reply(&mut self, _cx: &mut Ctx, _id: RequestId, _reply: Result<Self::Reply, ApiError>) -> Vec<Effect> {
        Vec::new()
    }
    /// One of this pane's changes was accepted; `reply` is what the API answered.
    fn on_changed(&mut self, _cx: &mut Ctx, _reply: &Self::Reply) -> Vec<Effect> {
        Vec::new()
    }
    /// A user action the lists do not handle (create, delete, suspend…).
    fn on_action(&mut self, _cx: &mut Ctx, _action: Action) -> Vec<Effect> {
        Vec::new()
    }
    /// The pane's own timer fired (stale generations are the pane's to ignore).
    fn on_timer(&mut self, _cx: &mut Ctx, _generation: u64) -> Vec<Effect> {
        Vec::new()
    }
    /// A form this pane opened was submitted.
    fn on_form(&mut self, _cx: &mut Ctx, _purpose: FormPurpose) -> Vec<Effect> {
        Vec::new()
    }
    /// A key typed into a form this pane opened, before the form sees it: `Some` if taken.
    fn on_form_key(&mut self, _cx: &mut Ctx, _key: KeyEvent) -> Option<Vec<Effect>> {
        None
    }
    /// A local folder this pane asked to list (for path completion) was read.
    fn on_local_folder(&mut self, _cx: &mut Ctx, _input: &str, _entries: &[(String, bool)]) {}
    /// A form this pane opened changed (a field was edited).
    fn on_form_edit(&mut self, _cx: &mut Ctx) -> Vec<Effect> {
        Vec::new()
    }
    /// A key for a dialog of this pane's own kind (`Modal::Files`).
    fn on_modal_key(&mut self, _cx: &mut Ctx, _key: KeyEvent) -> Vec<Effect> {
        Vec::new()
    }
    /// Arguments of its palette command (`:audit user=ann`).
    fn command(&mut self, _cx: &mut Ctx, _args: &[String]) -> Vec<Effect> {
        Vec::new()
    }
    /// Where the pane stands, for the back history (a group drilled into, a job's runs).
    fn place(&self) -> Option<Uuid> {
        None
    }
    /// Arrives at `place` (from the history or from another pane).
    fn arrive(&mut self, _cx: &mut Ctx, _place: Option<Uuid>) -> Vec<Effect> {
        Vec::new()
    }
    /// Rebuilds rows from shared data (after it changed under the pane).
    fn rebuild(&mut self, _cx: &Ctx) {}
    /// Something the pane may show changed (`about`: which deployment, group…): read it again.
    fn reload(&mut self, cx: &mut Ctx, _about: Option<Uuid>) -> Vec<Effect> {
        self.refresh(cx)
    }
    /// Movement, filter and sort for panes that do them their own way: true if taken.
    fn on_list_action(&mut self, _cx: &mut Ctx, _action: Action) -> bool {
        false
    }
    /// Keeps derived state (a search over a buffer) in step after every message.
    fn sync(&mut self, _cx: &Ctx) {}
    /// The breadcrumbs below the header, when the pane has more to say than its title.
    fn breadcrumbs(&self, _view: &View) -> Option<Vec<String>> {
        None
    }
    /// Its list, if it has one.
    fn table(&self) -> Option<&TableState> {
        None
    }
    fn table_mut(&mut self) -> Option<&mut TableState> {
        None
    }
    fn render(&self, frame: &mut Frame, area: Rect, view: &View);
    /// When what the pane shows was last read successfully, for the header's "refreshed … ago":
    /// `None` when the pane reads nothing itself, `Some(None)` before its first good read.
    fn freshness(&self, _view: &View) -> Option<Option<Instant>> {
        None
    }
}

/// Takes a pane's own reply out of the reply to any request.
pub trait FromReply: Sized {
    fn from_reply(reply: ApiReply) -> Option<Self>;
    fn peek(reply: &ApiReply) -> Option<&Self>;
}

/// For panes that read nothing of their own.
#[derive(Debug)]
pub enum NoReply {}

impl FromReply for NoReply {
    fn from_reply(_: ApiReply) -> Option<Self> {
        None
    }
    fn peek(_: &ApiReply) -> Option<&Self> {
        None
    }
}

/// Where a pane asked to go; the loop moves there after the pane returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Go {
    /// A pane, at a place of its own (a group for workspaces, a job for jobs).
    To { pane: PaneId, place: Option<Uuid> },
    /// A pane, with the row whose key this is selected; `missing` is said when it is not there.
    Select { pane: PaneId, key: String, missing: String },
}

/// What a pane may touch while it handles a message.
pub struct Ctx<'a> {
    /// Monotonic time of the message being handled.
    pub now: Instant,
    /// Wall-clock time, for "created 3d ago".
    pub wall: DateTime<Utc>,
    pub session: &'a SessionInfo,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub size: (u16, u16),
    /// The visible pane.
    pub here: PaneId,
    /// Where `esc` goes back to, newest last.
    pub back: &'a [Location],
    /// The group selected in the groups list (Stage opens it when reached from there).
    pub picked_group: Option<Uuid>,
    /// Whether this message needs a new frame (a pane clears it for a no-op timer).
    pub dirty: &'a mut bool,
    /// Shared data from the API: organization, regions, groups, workspaces, teams.
    pub data: &'a mut Data,
    pub toasts: &'a mut Toasts,
    pub modals: &'a mut Vec<Modal>,
    pub ops: &'a mut Operations,
    pub requests: &'a mut Requests,
    pub transfers: &'a mut Transfers,
    /// The cost estimate shown in workspace forms and confirmations.
    pub estimate: &'a mut Estimate,
    /// What idle refreshes may still ask for (see `budget`).
    pub budget: &'a mut crate::budget::Budget,
    /// What the pane asks of the loop once it returns.
    pub asks: &'a mut Asks,
}

/// What a pane asks of the loop, done once the pane returns.
#[derive(Debug, Default)]
pub struct Asks {
    /// Panes whose rows follow shared data that changed: rebuilt.
    pub stale: Vec<PaneId>,
    /// Panes to read again, with what changed (a deployment), so each can tell if it shows it.
    pub reload: Vec<(PaneId, Option<Uuid>)>,
    /// Where to go.
    pub go: Option<Go>,
}

impl Ctx<'_> {
    /// A toast for the user.
    pub fn toast(&mut self, level: Level, text: impl Into<String>) {
        self.toasts.push(self.now, level, text);
    }

    /// Copies `text` to the clipboard and says so.
    pub fn copy(&mut self, text: String, said: impl Into<String>) -> Vec<Effect> {
        self.toast(Level::Info, said);
        vec![Effect::Copy(text)]
    }

    /// Shows `value` as it is on the wire, in the describe view.
    pub fn describe(&mut self, title: impl Into<String>, value: &impl serde::Serialize) {
        let value = serde_json::to_value(value).unwrap_or_default();
        self.modals.push(Modal::Describe(JsonView::new(title, &value)));
    }

    /// Starts a read that `pane` handles itself (its reply comes to its `on_reply`).
    pub fn pane_fetch(&mut self, pane: PaneId, fetch: Fetch) -> (RequestId, Effect) {
        let id = self.requests.start(Purpose::Pane(pane));
        (id, Effect::Fetch { id, fetch })
    }

    /// Starts a read of shared data unless the same one is in flight (then it is queued).
    pub fn fetch(&mut self, fetch: Fetch) -> Option<Effect> {
        self.data.fetch(self.requests, fetch)
    }

    /// Asks the loop to go to `pane` at `place` once this message is handled.
    pub fn go(&mut self, pane: PaneId, place: Option<Uuid>) {
        self.asks.go = Some(Go::To { pane, place });
    }

    /// Marks panes whose rows must be rebuilt from shared data.
    pub fn touch(&mut self, panes: &[PaneId]) {
        for p in panes {
            if !self.asks.stale.contains(p) {
                self.asks.stale.push(*p);
            }
        }
    }

    /// Asks the loop to refresh `pane` after this message; `about` says what changed, so the
    /// pane can tell whether it shows it.
    pub fn reload(&mut self, pane: PaneId, about: impl Into<Option<Uuid>>) {
        self.asks.reload.push((pane, about.into()));
    }
}

/// What a pane may read while it draws.
pub struct View<'a> {
    pub now: Instant,
    pub wall: DateTime<Utc>,
    pub session: &'a SessionInfo,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub size: (u16, u16),
    /// The visible pane.
    pub here: PaneId,
    pub data: &'a Data,
    pub ops: &'a Operations,
    pub requests: &'a Requests,
    pub transfers: &'a Transfers,
    pub estimate: &'a Estimate,
    pub modals: &'a [Modal],
}
