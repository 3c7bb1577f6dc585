//! Usage charts (`:usage`): compute credits and average storage over a window of 24 hours,
//! 7 or 30 days or 12 months, for the organization, one group or one workspace, with a totals
//! table beside them. Also the cost estimate shown before a workspace is created, resized or
//! resumed (see [`estimate`]).

pub mod aggregate;
pub mod chart;
pub mod estimate;
pub mod fixture;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Data, PaneId};
use crate::widgets::palette::Command;

use crate::theme::Theme;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

use aggregate::{Kind, Unit, Usage, Value, Window};
use chart::{Plot, Shape, Styles};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Usage), "[", Action::WindowPrev, "earlier", "Move the window back in time"),
    (Context::Pane(PaneId::Usage), "]", Action::WindowNext, "later", "Move the window forward (up to now)"),
    (Context::Pane(PaneId::Usage), "+", Action::ZoomIn, "zoom", "Zoom in: 12 months → 30 days → 7 days → 24 hours"),
    (Context::Pane(PaneId::Usage), "=", Action::ZoomIn, "", "Zoom in (same as +)"),
    (Context::Pane(PaneId::Usage), "-", Action::ZoomOut, "", "Zoom out: 24 hours → 7 days → 30 days → 12 months"),
    (Context::Pane(PaneId::Usage), "s", Action::CycleScope, "scope", "Chart the organization, the selected workspace or the selected group"),
];

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// What the charts cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Organization,
    /// The workspace selected in the table.
    Workspace,
    /// The group selected in the table.
    Group,
}

impl Scope {
    fn next(self) -> Scope {
        match self {
            Scope::Organization => Scope::Workspace,
            Scope::Workspace => Scope::Group,
            Scope::Group => Scope::Organization,
        }
    }
}

/// A usage read in flight: which window, asked at which wall time (its buckets follow from it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Asked {
    pub id: RequestId,
    pub window: Window,
    pub at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct UsagePane {
    pub table: TableState,
    pub window: Window,
    pub scope: Scope,
    /// The last good usage and the window it covers.
    pub usage: Option<(Window, Usage)>,
    pub inflight: Option<Asked>,
    pub error: Option<String>,
    /// When usage was last read successfully.
    pub read_at: Option<std::time::Instant>,
}

impl Default for UsagePane {
    fn default() -> Self {
        Self {
            table: TableState::new(columns(Scope::Organization)),
            window: Window::default(),
            scope: Scope::Organization,
            usage: None,
            inflight: None,
            error: None,
            read_at: None,
        }
    }
}

fn columns(scope: Scope) -> Vec<Column> {
    match scope {
        Scope::Group => vec![
            Column::new("GROUP", Constraint::Fill(2)).min(10),
            Column::new("CREDITS", Constraint::Length(9)),
            Column::new("SHARE", Constraint::Length(5)).optional(2),
            Column::new("AVG STORAGE", Constraint::Length(11)).optional(1),
        ],
        _ => vec![
            Column::new("WORKSPACE", Constraint::Fill(2)).min(10),
            Column::new("GROUP", Constraint::Fill(1)).min(10).optional(1),
            Column::new("CREDITS", Constraint::Length(9)),
            Column::new("SHARE", Constraint::Length(5)).optional(2),
        ],
    }
}

/// Reads the window's usage unless the same window is already being read.
pub fn refresh(p: &mut UsagePane, cx: &mut Ctx) -> Vec<Effect> {
    let window = p.window;
    if p.inflight.is_some_and(|a| a.window == window) {
        return Vec::new();
    }
    let at = cx.wall;
    let query = window.query(at);
    let (id, effect) = cx.pane_fetch(PaneId::Usage, Fetch::Usage(UsageRequest::Usage { query }));
    p.inflight = Some(Asked { id, window, at });
    vec![effect]
}

pub fn on_reply(p: &mut UsagePane, cx: &mut Ctx, id: RequestId, reply: Result<UsageReply, ApiError>) -> Vec<Effect> {
    if cx.estimate.read.finish(id) {
        let result = reply.and_then(|r| match r {
            UsageReply::Estimate(e) => Ok(e),
            UsageReply::Usage(_) => Err(ApiError::InvalidInput("unexpected reply".into())),
        });
        estimate::on_reply(cx, result);
        return Vec::new();
    }
    let Some(asked) = p.inflight.filter(|a| a.id == id) else {
        *cx.dirty = false;
        return Vec::new();
    };
    p.inflight = None;
    match reply {
        Ok(UsageReply::Usage(r)) => {
            let bounds = asked.window.bounds(asked.at);
            let usage = aggregate::aggregate(&r, &bounds, asked.window.zoom.unit(), asked.at);
            p.usage = Some((asked.window, usage));
            p.error = None;
            p.read_at = Some(cx.now);
            rebuild(p, cx);
        }
        Ok(UsageReply::Estimate(_)) => {}
        Err(e) => p.error = Some(e.to_string()),
    }
    // The window moved while this was in flight: read the one now shown.
    if asked.window != p.window { refresh(p, cx) } else { Vec::new() }
}

/// Rows of the totals table for the scope: workspaces (most credits first), or groups.
pub fn rebuild(p: &mut UsagePane, cx: &Ctx) {
    let scope = p.scope;
    let Some((_, usage)) = &p.usage else {
        p.table.set_rows(Vec::new());
        return;
    };
    let total = usage.total_credits();
    let share = |c: f64| if total > 0.0 { format!("{:.0}%", c / total * 100.0) } else { "-".into() };
    let want = if scope == Scope::Group { Kind::Group } else { Kind::Workspace };
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in usage.resources.iter().filter(|r| r.kind == want) {
        seen.insert(r.id.clone());
        let name = if r.name.is_empty() { group_name(cx.data, &r.id) } else { r.name.clone() };
        rows.push(row(scope, &r.id, name, group_name(cx.data, &r.group), r.credits, share(r.credits), r.avg_storage));
    }
    // Known resources that used nothing in the window: zero, so they can be picked too.
    if want == Kind::Workspace {
        for w in cx.data.workspaces.value.iter().flatten() {
            let id = w.workspace_id.to_string();
            if !seen.contains(&id) {
                let group = cx.data.group_name(w.workspace_group_id);
                rows.push(row(scope, &id, w.name.clone(), group, 0.0, share(0.0), None));
            }
        }
    } else {
        for g in cx.data.groups.value.iter().flatten() {
            let id = g.workspace_group_id.to_string();
            if !seen.contains(&id) {
                rows.push(row(scope, &id, g.name.clone(), String::new(), 0.0, share(0.0), None));
            }
        }
    }
    p.table.set_rows(rows);
}

fn group_name(data: &Data, id: &str) -> String {
    match uuid::Uuid::parse_str(id) {
        Ok(g) => data.group_name(g),
        Err(_) => id.chars().take(8).collect(),
    }
}

fn row(scope: Scope, id: &str, name: String, group: String, credits: f64, share: String, storage: Option<f64>) -> Row {
    let credits = fmt_credits(credits);
    match scope {
        Scope::Group => Row::new(id, vec![name, credits, share, storage.map_or("-".into(), fmt_bytes)]),
        _ => Row::new(id, vec![name, group, credits, share]),
    }
}

pub fn fmt_credits(v: f64) -> String {
    // Nothing, or rounding dust around zero, reads as zero (never "-0.00").
    let v = if v.abs() < 0.005 { 0.0 } else { v };
    if v >= 1000.0 { format!("{v:.0}") } else { format!("{v:.2}") }
}

pub fn fmt_bytes(b: f64) -> String {
    let gib = b / GIB;
    if gib >= 1024.0 {
        format!("{:.1} TiB", gib / 1024.0)
    } else if gib >= 1.0 {
        format!("{gib:.1} GiB")
    } else {
        format!("{:.0} MiB", b / (1024.0 * 1024.0))
    }
}

pub fn on_action(p: &mut UsagePane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let w = p.window;
    let moved = match action {
        Action::WindowPrev => Window { offset: w.offset - 1, ..w },
        Action::WindowNext if w.offset < 0 => Window { offset: w.offset + 1, ..w },
        Action::WindowNext => {
            cx.toasts.push(cx.now, Level::Info, "Already showing the latest window");
            return Vec::new();
        }
        Action::ZoomIn | Action::ZoomOut => {
            let zoom = if action == Action::ZoomIn { w.zoom.zoom_in() } else { w.zoom.zoom_out() };
            if zoom == w.zoom {
                return Vec::new();
            }
            rezoom(w, zoom, cx.wall)
        }
        Action::CycleScope => {
            let before = p.table.selected_key().map(str::to_string);
            let scope = p.scope.next();
            p.scope = scope;
            p.table.columns = columns(scope);
            // Keep the same thing in view: a workspace's group when going to groups.
            let keep = match (scope, &before, &p.usage) {
                (Scope::Group, Some(ws), Some((_, u))) => u.resource(ws).map(|r| r.group.clone()),
                (Scope::Group, Some(ws), None) => Some(ws.clone()),
                _ => None,
            };
            rebuild(p, cx);
            if let Some(k) = keep.or(before) {
                p.table.select_key(&k);
            }
            return Vec::new();
        }
        Action::Describe => {
            describe(p, cx);
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    p.window = moved;
    refresh(p, cx)
}

/// `d`: the selected row as JSON, with the window it covers.
fn describe(p: &UsagePane, cx: &mut Ctx) {
    let table = &p.table;
    let Some(row) = table.selected_row() else { return };
    let mut fields = serde_json::Map::new();
    for (column, cell) in table.columns.iter().zip(&row.cells) {
        fields.insert(column.title.to_lowercase().replace(' ', "_"), cell.clone().into());
    }
    let bounds = p.window.bounds(cx.wall);
    if let (Some(from), Some(to)) = (bounds.first(), bounds.last()) {
        fields.insert("from".into(), from.to_rfc3339().into());
        fields.insert("to".into(), to.to_rfc3339().into());
    }
    let name = row.cells.first().cloned().unwrap_or_default();
    let view = crate::widgets::json_view::JsonView::new(format!("usage of {name}"), &fields.into());
    cx.modals.push(crate::widgets::modal::Modal::Describe(view));
}

/// The window at `zoom` that holds the end of `w` (so zooming keeps the same moment in view).
fn rezoom(w: Window, zoom: aggregate::Zoom, now: DateTime<Utc>) -> Window {
    let end = w.bounds(now).last().copied().unwrap_or(now);
    let mut offset = 0;
    // Bounded: 12 months back in 24-hour steps is about 400 windows.
    while offset > -20_000 {
        let candidate = Window { zoom, offset };
        let first = candidate.bounds(now).first().copied().unwrap_or(now);
        if first < end {
            return candidate;
        }
        offset -= 1;
    }
    Window { zoom, offset: 0 }
}

// ───────────────────────────────── drawing ─────────────────────────────────

/// What the charts show for the scope: title, credits, storage and which storage it is.
struct Shown<'a> {
    what: String,
    compute: std::borrow::Cow<'a, [Value]>,
    storage: std::borrow::Cow<'a, [Value]>,
    bad: &'a [u32],
    storage_note: Option<String>,
}

fn shown<'a>(p: &'a UsagePane, cx: &'a View, usage: &'a Usage) -> Shown<'a> {
    use std::borrow::Cow;
    let selected = p.table.selected_key();
    let resource = selected.and_then(|k| usage.resource(k));
    let zero = || Cow::Owned(usage.zero_where_covered());
    let none = || Cow::Owned(vec![None; usage.buckets()]);
    match (p.scope, selected) {
        (Scope::Workspace, Some(key)) => {
            let name = p.table.selected_row().and_then(|r| r.cells.first().cloned()).unwrap_or_default();
            let group = resource.map(|r| r.group.as_str()).or_else(|| {
                cx.data.workspaces.value.iter().flatten().find(|w| w.workspace_id.to_string() == key).map(|_| "")
            });
            let group_res = resource.and_then(|r| usage.resource(&r.group));
            Shown {
                what: format!("workspace {name}"),
                compute: resource.map_or_else(zero, |r| Cow::Borrowed(&r.compute[..])),
                storage: group_res.map_or_else(none, |g| Cow::Borrowed(&g.storage[..])),
                bad: &[],
                storage_note: Some(format!(
                    "of its group {}",
                    group.filter(|g| !g.is_empty()).map_or_else(|| "?".into(), |g| group_name(cx.data, g))
                )),
            }
        }
        (Scope::Group, Some(key)) => {
            let name = p.table.selected_row().and_then(|r| r.cells.first().cloned()).unwrap_or_default();
            let _ = key;
            Shown {
                what: format!("group {name}"),
                compute: resource.map_or_else(zero, |r| Cow::Borrowed(&r.compute[..])),
                storage: resource.map_or_else(none, |r| Cow::Borrowed(&r.storage[..])),
                bad: &[],
                storage_note: None,
            }
        }
        _ => Shown {
            what: "organization".into(),
            compute: Cow::Borrowed(&usage.compute[..]),
            storage: Cow::Borrowed(&usage.storage[..]),
            bad: &usage.bad[..],
            storage_note: None,
        },
    }
}

fn styles(t: &Theme, data: Color) -> Styles {
    let data_style = if t.color { Style::default().fg(data) } else { Style::default() };
    Styles {
        data: data_style,
        partial: if t.color {
            Style::default().fg(Color::Yellow)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        },
        axis: t.border,
        label: t.dim,
        missing: t.dim,
        warn: t.warn,
    }
}

/// "last 24 hours", or the window's first and last bucket once moved back.
fn window_text(window: Window, usage: &Usage) -> String {
    if window.offset == 0 {
        return format!("last {}", window.zoom.label());
    }
    let unit = usage.unit.unwrap_or(Unit::Hour);
    let first = usage.bounds.first().copied().unwrap_or_default();
    let last = usage.bounds.len().checked_sub(2).and_then(|i| usage.bounds.get(i)).copied().unwrap_or(first);
    let fmt = |t: DateTime<Utc>| match unit {
        Unit::Hour => t.format("%-d %b %H:00").to_string(),
        Unit::Day => t.format("%-d %b").to_string(),
        Unit::Month => t.format("%b %Y").to_string(),
    };
    format!("{} – {}", fmt(first), fmt(last))
}

fn bucket_name(unit: Unit, t: DateTime<Utc>) -> String {
    match unit {
        Unit::Hour => t.format("%H:00").to_string(),
        Unit::Day => t.format("%a %-d %b").to_string(),
        Unit::Month => t.format("%b '%y").to_string(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, p: &UsagePane, cx: &View) {
    let t = &cx.theme;
    // The charts get the room; the totals keep enough for a name and a number.
    let right_w = if area.width >= 100 { (area.width * 2 / 5).min(64) } else { 26.min(area.width / 2) };
    let [left, right] = Layout::horizontal([Constraint::Min(20), Constraint::Length(right_w)]).areas(area);
    let window = p.window;

    let usage = match &p.usage {
        Some((w, u)) if *w == window => Some(u),
        _ => None,
    };
    let Some(usage) = usage else {
        let text = match (&p.error, p.inflight) {
            (Some(e), None) => Line::from(Span::styled(format!("✗ Usage could not be read: {e}"), t.error)),
            _ => Line::from(Span::styled(format!("Loading usage for the {} window…", window.zoom.label()), t.dim)),
        };
        let block =
            Block::default().borders(Borders::ALL).border_style(t.border).title(Span::styled(" Usage ", t.title));
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    };
    let unit = usage.unit.unwrap_or(Unit::Hour);
    let shown = shown(p, cx, usage);

    // Left: credits above storage.
    let [top, bottom] = Layout::vertical([Constraint::Percentage(56), Constraint::Percentage(44)]).areas(left);
    let per = unit.name();
    let compute_title = format!(" Compute credits per {per} · {} ", shown.what);
    let storage_title = match &shown.storage_note {
        Some(note) => format!(" Average storage {note} "),
        None => format!(" Average storage · {} ", shown.what),
    };
    let partial_text = format!("this {per} so far");
    let legend = |mark: &'static str, what: &'static str, st: Style| {
        Line::from(vec![
            Span::styled(mark, st),
            Span::styled(format!(" {what}  "), t.dim),
            Span::styled(if mark == "█" { "▒" } else { "⠒" }, styles(t, Color::Yellow).partial),
            Span::styled(format!(" {partial_text}  "), t.dim),
            Span::styled("·", t.dim),
            Span::styled(" no data ", t.dim),
        ])
    };
    let compute_styles = styles(t, Color::Green);
    let storage_styles = styles(t, Color::Cyan);
    for (rect, title, shape, values, bad, y_unit, scale, st, legend_line) in [
        (
            top,
            compute_title,
            Shape::Bars,
            &shown.compute[..],
            shown.bad,
            "credits",
            1.0,
            compute_styles,
            legend("█", "credits", compute_styles.data),
        ),
        (
            bottom,
            storage_title,
            Shape::Line,
            &shown.storage[..],
            &[][..],
            "GiB",
            GIB,
            storage_styles,
            legend("⠤", "avg GiB", storage_styles.data),
        ),
    ] {
        // No side borders: every column goes to the buckets.
        let block = Block::default()
            .borders(Borders::TOP | Borders::BOTTOM)
            .border_style(t.border)
            .title(Span::styled(title, t.title))
            .title_bottom(legend_line);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let plot =
            Plot { shape, values, bad, partial: usage.partial, bounds: &usage.bounds, unit, y_unit, scale, gutter: 4 };
        chart::render(frame.buffer_mut(), inner, &plot, &st);
    }

    // Right: totals, then the table.
    let mut lines =
        vec![Line::from(vec![Span::styled(window_text(window, usage), t.base), Span::styled(" UTC", t.dim)])];
    let kv =
        |k: &str, v: String, st: Style| Line::from(vec![Span::styled(format!("{k:<9}"), t.dim), Span::styled(v, st)]);
    let credits: f64 = shown.compute.iter().flatten().sum();
    lines.push(kv("Credits", fmt_credits(credits), t.title));
    let peak =
        shown.compute.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((i, v)) = peak.filter(|p| p.1 > 0.0) {
        let at = usage.bounds.get(i).map_or_else(String::new, |b| bucket_name(unit, *b));
        lines.push(kv("Peak", format!("{} @ {at}", fmt_credits(v)), t.base));
    }
    let stored: Vec<f64> = shown.storage.iter().flatten().copied().collect();
    let avg = if stored.is_empty() {
        "no data".to_string()
    } else {
        format!("{} avg", fmt_bytes(stored.iter().sum::<f64>() / stored.len() as f64))
    };
    lines.push(kv("Storage", avg, t.base));
    let missing = usage.missing_buckets();
    if missing > 0 {
        lines.push(kv("No data", format!("{missing} {per}{}", if missing == 1 { "" } else { "s" }), t.warn));
    }
    if usage.unreadable > 0 {
        lines.push(kv("Unparsed", format!("{} left out", usage.unreadable), t.warn));
    }
    if !usage.unknown_metrics.is_empty() {
        lines.push(kv("Ignored", usage.unknown_metrics.join(", "), t.warn));
    }
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(format!("✗ refresh failed: {e}"), t.error)));
    }
    let summary_h = (lines.len() as u16 + 2).min(right.height / 2).max(3);
    let [summary, list] = Layout::vertical([Constraint::Length(summary_h), Constraint::Min(3)]).areas(right);
    let block = Block::default().borders(Borders::ALL).border_style(t.border).title(Span::styled(" Totals ", t.title));
    frame.render_widget(Paragraph::new(lines).block(block), summary);

    let (title, hint) = match p.scope {
        Scope::Organization => (" Top workspaces ", "s: one"),
        Scope::Workspace => (" Workspaces ", "s: groups"),
        Scope::Group => (" Groups ", "s: org"),
    };
    let title = Line::from(vec![Span::styled(title, t.title), Span::styled(format!("{hint} "), t.dim)]);
    table::render(frame, list, &p.table, t, title, "No usage in this window.");
}

impl Pane for UsagePane {
    const ID: PaneId = PaneId::Usage;
    const TITLE: &'static str = "Usage";
    const COMMAND: Option<Command> =
        Some(Command { name: "usage", aliases: &["billing"], help: "Compute credits and storage over time" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = UsageReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        refresh(self, cx)
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<UsageReply, ApiError>) -> Vec<Effect> {
        on_reply(self, cx, id, reply)
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        on_action(self, cx, action)
    }

    fn rebuild(&mut self, cx: &Ctx) {
        rebuild(self, cx);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.read_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render(frame, area, self, view);
    }
}
