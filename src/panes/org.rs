//! The organization (`:org`) and the region lists (`:regions`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::effect::Effect;
use crate::keymap::KeyDef;
use crate::msg::{Action, RequestId};
use crate::state::{PaneId, State};
use crate::widgets::table::{self, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[];

#[derive(Debug, Default)]
pub struct OrgPane {
    pub table: TableState,
}

#[derive(Debug, Default)]
pub struct RegionsPane {
    pub table: TableState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Request {}

#[derive(Debug)]
pub enum Reply {}

pub async fn fetch(_client: &Client, request: Request) -> Result<Reply, ApiError> {
    match request {}
}

pub fn refresh(_state: &mut State, _pane: PaneId) -> Vec<Effect> {
    Vec::new()
}

pub fn on_reply(_state: &mut State, _id: RequestId, reply: Result<Reply, ApiError>) -> Vec<Effect> {
    match reply {
        Ok(r) => match r {},
        Err(_) => Vec::new(),
    }
}

pub fn on_action(_state: &mut State, _action: Action) -> Vec<Effect> {
    Vec::new()
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, pane: PaneId) {
    let t = &state.theme;
    let table = if pane == PaneId::Org { &state.org.table } else { &state.regions.table };
    table::render(frame, area, table, t, Line::from(Span::styled(format!(" {} ", pane.title()), t.title)), "");
}
