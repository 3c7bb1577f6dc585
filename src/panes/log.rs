//! The activity log (`:log`): every API call of this session with method, path, status and latency.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::effect::Effect;
use crate::keymap::KeyDef;
use crate::msg::Action;
use crate::state::State;
use crate::widgets::table::{self, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[];

#[derive(Debug, Default)]
pub struct ActivityLog {
    pub table: TableState,
}

pub fn on_action(_state: &mut State, _action: Action) -> Vec<Effect> {
    Vec::new()
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    table::render(frame, area, &state.activity.table, t, Line::from(Span::styled(" Activity log ", t.title)), "");
}
