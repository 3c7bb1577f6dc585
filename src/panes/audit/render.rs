//! Drawing the audit pane: only the rows on screen are built, whatever the buffer holds.

use chrono::DateTime;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell as TableCell, Row as TableRow, Table};
use uuid::Uuid;

use super::buffer::Entry;
use super::filter::Needle;
use super::{AuditPane, label, selected_row, tail};
use crate::panes::pane::View;
use crate::theme::{Theme, Tone};
use crate::widgets::table::{Column, visible_columns};

/// Colour of an entry by what it did.
pub fn tone_of_kind(kind: &str, failed: bool) -> Tone {
    let k = kind.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    if failed || has(&["delete", "terminate", "remove", "revoke", "fail"]) {
        Tone::Bad
    } else if has(&["suspend"]) {
        Tone::Idle
    } else if has(&["login", "logout", "view"]) {
        Tone::Gone
    } else if has(&["create", "resume", "invite", "add", "complete"]) {
        Tone::Good
    } else {
        Tone::Neutral
    }
}

fn columns(wide: bool) -> [Column; 6] {
    [
        Column::new("TIME", Constraint::Length(if wide { 14 } else { 8 })),
        Column::new("USER", Constraint::Fill(2)).min(14),
        Column::new("TYPE", Constraint::Length(21)).min(12),
        Column::new("SOURCE", Constraint::Length(9)).optional(1),
        Column::new("WORKSPACE/GROUP", Constraint::Fill(2)).min(15).optional(2),
        Column::new("REASON", Constraint::Fill(5)).min(32),
    ]
}

fn user(pane: &AuditPane, e: &Entry) -> String {
    let s = &pane.buffer.tables.strings;
    match (s.opt(e.email), pane.buffer.tables.ids.get(e.api_key)) {
        (Some(email), _) => email.to_string(),
        (None, Some(key)) => format!("key {}", crate::state::short_id(key)),
        (None, None) => "-".to_string(),
    }
}

fn target(p: &AuditPane, cx: &View, e: &Entry) -> String {
    let ids = &p.buffer.tables.ids;
    let teams = cx.data.teams.value.as_ref();
    let name = |id: Uuid| label(cx.data, teams, id);
    match (ids.get(e.workspace), ids.get(e.group), ids.get(e.team)) {
        (Some(w), _, _) => name(w),
        (None, Some(g), _) => format!("{} (group)", name(g)),
        (None, None, Some(t)) => format!("team {}", name(t)),
        _ => "-".to_string(),
    }
}

fn time(at: i64, wide: bool) -> String {
    if at == i64::MIN {
        return "-".to_string();
    }
    let t = DateTime::from_timestamp_nanos(at);
    if wide { t.format("%m-%d %H:%M:%S").to_string() } else { t.format("%H:%M:%S").to_string() }
}

/// A cell with every search match highlighted.
fn cell(text: String, needle: Option<&Needle>, base: Style, matched: Style) -> TableCell<'static> {
    let ranges = needle.map(|n| n.ranges(&text)).unwrap_or_default();
    if ranges.is_empty() {
        return TableCell::from(Span::styled(text, base));
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (s, e) in ranges {
        if s > at {
            spans.push(Span::styled(text[at..s].to_string(), base));
        }
        spans.push(Span::styled(text[s..e].to_string(), matched));
        at = e;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), base));
    }
    TableCell::from(Line::from(spans))
}

fn title<'a>(p: &AuditPane, cx: &View, t: &Theme) -> Line<'a> {
    let pane = &p;
    let mut spans = vec![Span::styled(" Audit log ", t.title)];
    let total = pane.buffer.len();
    let counts = if pane.view.is_filtered() {
        format!("[{}/{}] ", pane.view.match_count(&pane.buffer), total)
    } else {
        format!("[{total}] ")
    };
    spans.push(Span::styled(counts, t.dim));
    let (status, bad) = tail::status(p, cx);
    let style = if bad {
        t.error
    } else if pane.following {
        t.ok
    } else {
        t.warn
    };
    spans.push(Span::styled(format!("{status} "), style));
    if !pane.following && pane.unseen > 0 {
        spans.push(Span::styled(format!("+{} new ", pane.unseen), t.warn));
    }
    if pane.buffer.dropped > 0 {
        spans.push(Span::styled(format!("· older entries dropped: {} ", pane.buffer.dropped), t.warn));
    }
    if pane.view.context > 0 {
        spans.push(Span::styled(format!("· context {} ", pane.view.context), t.dim));
    }
    if !pane.server.is_empty() {
        let teams = cx.data.teams.value.as_ref();
        let summary = pane.server.summary(|id| label(cx.data, teams, id));
        spans.push(Span::styled(format!("· {summary} "), t.key));
    }
    Line::from(spans)
}

pub fn render(frame: &mut Frame, area: Rect, p: &AuditPane, cx: &View) {
    let t = &cx.theme;
    let pane = &p;
    let mut block = Block::default().borders(Borders::ALL).border_style(t.border).title(title(p, cx, t));
    let wide = area.width >= 140;
    let cols = columns(wide);
    let shown: Vec<usize> = if pane.table.wide {
        block = block.title_bottom(Line::from(Span::styled(" wide ", t.dim)).centered());
        (0..cols.len()).collect()
    } else {
        visible_columns(&cols, area.width.saturating_sub(2))
    };
    let header = TableRow::new(shown.iter().map(|&i| TableCell::from(cols[i].title))).style(t.column_header);
    let widths: Vec<Constraint> = shown.iter().map(|&i| cols[i].width).collect();
    let height = area.height.saturating_sub(3) as usize;
    pane.page.set(height.max(1));

    let len = pane.view.len(&pane.buffer);
    if len == 0 {
        let text = if pane.view.is_filtered() && !pane.buffer.is_empty() {
            format!("no entry matches /{}", pane.table.filter())
        } else {
            match pane.tail.phase {
                tail::Phase::Idle | tail::Phase::Backfill | tail::Phase::Recent => "Loading the audit log…".to_string(),
                tail::Phase::Follow => "No audit entries yet; new ones appear here as they happen.".to_string(),
            }
        };
        let table = Table::new(
            vec![TableRow::new(vec![TableCell::from(Span::styled(text, t.dim))])],
            [Constraint::Percentage(100)],
        )
        .header(header)
        .block(block);
        frame.render_widget(table, area);
        return;
    }

    let selected = selected_row(pane).unwrap_or(len - 1);
    let block =
        block.title_bottom(Line::from(Span::styled(format!(" {}/{len} ", selected + 1), t.dim)).right_aligned());
    let mut offset = pane.offset.get();
    if selected < offset {
        offset = selected;
    } else if height > 0 && selected >= offset + height {
        offset = selected + 1 - height;
    }
    offset = offset.min(len.saturating_sub(height.max(1)));
    pane.offset.set(offset);

    let needle = pane.view.needle();
    let strings = &pane.buffer.tables.strings;
    let rows: Vec<TableRow> = (offset..(offset + height.max(1)).min(len))
        .filter_map(|row| {
            let pos = pane.view.at(row, &pane.buffer)?;
            let e = pane.buffer.get(pos)?;
            let kind = strings.get(e.kind);
            let failed = e.extra.as_deref().is_some_and(|x| x.contains("\"error\""));
            let context = !pane.view.is_match(pos);
            let base = if context { t.dim } else { t.tone(tone_of_kind(kind, failed)) };
            let hl = if context { None } else { needle };
            let cells = shown.iter().map(|&c| match c {
                0 => TableCell::from(Span::styled(time(e.at, wide), if context { t.dim } else { t.base })),
                1 => cell(user(pane, e), hl, base, t.matched),
                2 => cell(kind.to_string(), hl, base, t.matched),
                3 => cell(strings.get(e.source).to_string(), hl, base, t.matched),
                4 => cell(target(p, cx, e), hl, base, t.matched),
                _ => cell(e.reason.to_string(), hl, base, t.matched),
            });
            let style = if row == selected { t.selected } else { Style::default() };
            Some(TableRow::new(cells).style(style))
        })
        .collect();
    frame.render_widget(Table::new(rows, widths).header(header).block(block).column_spacing(1), area);
}
