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
use crate::panes::pane::{Ctx, NoReply, Pane, View};
use crate::state::{PaneId, State};
use crate::widgets::palette::Command;

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
pub fn record(p: &mut ActivityLog, cx: &mut Ctx, call: CallRecord) {
    let log = &mut *p;
    log.total += 1;
    if call.error.is_some() && !call.no_route {
        log.failed += 1;
    }
    log.calls.push_front(Call { at: cx.wall, record: call });
    log.calls.truncate(KEEP);
    if cx.here == PaneId::Log {
        rebuild(p);
    }
}

pub fn rebuild(p: &mut ActivityLog) {
    let rows = p
        .calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let r = &c.record;
            let (status, tone) = match r.status {
                // A reply that came but could not be read.
                Some(s) if r.error.is_some() && s < 400 => (s.to_string(), Tone::Bad),
                Some(s) if r.no_route => (s.to_string(), Tone::Neutral),
                Some(s) if s < 300 => (s.to_string(), Tone::Good),
                Some(s) if s < 400 => (s.to_string(), Tone::Neutral),
                Some(s) if s == 429 || s >= 500 => (s.to_string(), Tone::Idle),
                Some(s) => (s.to_string(), Tone::Bad),
                None => ("—".to_string(), Tone::Bad),
            };
            Row::new(
                // Newest first; the key counts from the oldest so the selection stays put.
                (p.total - i as u64).to_string(),
                vec![
                    c.at.format("%H:%M:%S").to_string(),
                    r.method.to_string(),
                    r.path.clone(),
                    status,
                    format!("{} ms", r.latency.as_millis()),
                    r.attempt.to_string(),
                    if r.no_route {
                        "no such route: not asked again".into()
                    } else {
                        r.error.clone().unwrap_or_default()
                    },
                ],
            )
            .tone(3, tone)
        })
        .collect();
    // At the top the log follows the newest call; anywhere else the selection stays on its call.
    let at_top = p.table.selected_index() == 0;
    p.table.set_rows(rows);
    if at_top {
        p.table.top();
    }
}

pub fn on_action(_state: &mut State, _action: Action) -> Vec<Effect> {
    Vec::new()
}

pub fn render(frame: &mut Frame, area: Rect, p: &ActivityLog, cx: &View) {
    let t = &cx.theme;
    let log = &p;
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

impl Pane for ActivityLog {
    const ID: PaneId = PaneId::Log;
    const TITLE: &'static str = "Activity log";
    const COMMAND: Option<Command> =
        Some(Command { name: "log", aliases: &["activity"], help: "API calls made in this session" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = NoReply;

    fn refresh(&mut self, _cx: &mut Ctx) -> Vec<Effect> {
        rebuild(self);
        Vec::new()
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        rebuild(self);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}
