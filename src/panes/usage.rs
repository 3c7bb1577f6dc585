//! Usage charts: compute credits and storage over time.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::effect::Effect;
use crate::keymap::KeyDef;
use crate::msg::{Action, RequestId};
use crate::state::State;
use crate::widgets::table::{self, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[];

#[derive(Debug, Default)]
pub struct UsagePane {
    pub table: TableState,
}

/// Reads this pane makes (run by [`fetch`] on a task).
#[derive(Debug, Clone, PartialEq)]
pub enum Request {}

/// Changes this pane makes (run by [`change`] on a task; every one confirmed first).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {}

#[derive(Debug)]
pub enum Reply {}

pub async fn fetch(_client: &Client, request: Request) -> Result<Reply, ApiError> {
    match request {}
}

pub async fn change(_client: &Client, change: Change) -> Result<Reply, ApiError> {
    match change {}
}

/// Reads what the pane shows (when it becomes visible and on every refresh).
pub fn refresh(_state: &mut State) -> Vec<Effect> {
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

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    table::render(frame, area, &state.usage.table, t, Line::from(Span::styled(" Usage ", t.title)), "");
}
