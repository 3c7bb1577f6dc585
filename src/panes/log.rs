//! The activity log (`:log`): every API call of this session with method, path, status and
//! latency, newest first. Never bodies, headers or query strings: nothing secret can appear.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::api::client::CallRecord;
use crate::effect::Effect;
use crate::keymap::KeyDef;
use crate::msg::Action;
use crate::state::{PaneId, State};
use crate::theme::Tone;
use crate::widgets::table::{self, Column, Row, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[];

/// Calls kept; older ones are dropped.
const KEEP: usize = 5_000;

#[derive(Debug, Clone)]
pub struct Call {
    pub at: DateTime<Utc>,
    pub record: CallRecord,
}

#[derive(Debug)]
pub struct ActivityLog {
    pub calls: VecDeque<Call>,
    pub table: TableState,
    /// Calls seen in this session, including the dropped ones.
    pub total: u64,
    pub failed: u64,
}

impl Default for ActivityLog {
    fn default() -> Self {
        Self {
            calls: VecDeque::new(),
            table: TableState::new(vec![
                Column::new("TIME", Constraint::Length(8)),
                Column::new("METHOD", Constraint::Length(6)),
                Column::new("PATH", Constraint::Fill(3)).min(20),
                Column::new("STATUS", Constraint::Length(6)),
                Column::new("LATENCY", Constraint::Length(8)),
                Column::new("TRY", Constraint::Length(3)).optional(2),
                Column::new("ERROR", Constraint::Fill(2)).min(12).optional(1),
            ]),
            total: 0,
            failed: 0,
        }
    }
}

/// Adds a call; the table is rebuilt only while the log is on screen.
pub fn record(state: &mut State, call: CallRecord) {
    let log = &mut state.activity;
    log.total += 1;
    if call.status.is_none_or(|s| s >= 400) {
        log.failed += 1;
    }
    log.calls.push_front(Call { at: state.wall, record: call });
    log.calls.truncate(KEEP);
    if state.location.pane == PaneId::Log {
        rebuild(state);
    }
}

pub fn rebuild(state: &mut State) {
    let rows = state
        .activity
        .calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let r = &c.record;
            let (status, tone) = match r.status {
                Some(s) if s < 300 => (s.to_string(), Tone::Good),
                Some(s) if s < 400 => (s.to_string(), Tone::Neutral),
                Some(s) if s == 429 || s >= 500 => (s.to_string(), Tone::Idle),
                Some(s) => (s.to_string(), Tone::Bad),
                None => ("—".to_string(), Tone::Bad),
            };
            Row::new(
                // Newest first; the key counts from the oldest so the selection stays put.
                (state.activity.total - i as u64).to_string(),
                vec![
                    c.at.format("%H:%M:%S").to_string(),
                    r.method.to_string(),
                    r.path.clone(),
                    status,
                    format!("{} ms", r.latency.as_millis()),
                    r.attempt.to_string(),
                    r.error.clone().unwrap_or_default(),
                ],
            )
            .tone(3, tone)
        })
        .collect();
    // At the top the log follows the newest call; anywhere else the selection stays on its call.
    let at_top = state.activity.table.selected_index() == 0;
    state.activity.table.set_rows(rows);
    if at_top {
        state.activity.table.top();
    }
}

pub fn on_action(_state: &mut State, _action: Action) -> Vec<Effect> {
    Vec::new()
}

pub fn render(frame: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    let log = &state.activity;
    let order = match log.table.sort().and_then(|(col, desc)| Some((log.table.columns.get(col)?.title, desc))) {
        None => "newest first".to_string(),
        Some((column, desc)) => format!("by {} {}", column.to_lowercase(), if desc { "↓" } else { "↑" }),
    };
    let title = Line::from(vec![
        Span::styled(" Activity log ", t.title),
        Span::styled(format!("[{} calls, {} failed, {order}] ", log.total, log.failed), t.dim),
    ]);
    table::render(frame, area, &log.table, t, title, "No API calls yet.");
}
