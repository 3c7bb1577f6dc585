//! How the queue looks: one line per batch (its progress bar, or once finished a summary such
//! as "2,000 files, 16 MB, done in 0.8 s"), and below a batch still going, a line per file.
//!
//! The table holds only the layout (which rows, in which order), rebuilt when a batch starts,
//! ends or is cleared; every figure on a row is read from the queue as the row is drawn, so
//! progress costs nothing until a frame shows it, and a frame builds only the visible rows.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Batch, Job, Status, Transfer, Transfers};
use crate::panes::pane::View;
use crate::state::human_duration;
use crate::theme::Tone;
use crate::widgets::table::{self, Row, TableState};

/// Columns whose text changes as transfers move; filled in at draw time.
const LIVE_COLUMNS: usize = 5;

/// Batches listed one by one, newest first; older finished ones share one line, so laying the
/// rows out never costs more than this many batches (and the files of those still going).
pub const LISTED_BATCHES: usize = 200;

/// Lays the rows out again: batches newest first; a batch still going lists its files, a
/// finished one only those that failed or were cancelled.
pub fn rebuild(table: &mut TableState, tr: &Transfers) {
    let q = &tr.queue;
    let mut rows = Vec::new();
    let recent: Vec<&Batch> = q.batches.values().rev().take(LISTED_BATCHES).collect();
    let oldest_listed = recent.last().map_or(0, |b| b.id);
    // Batches still going are always listed, however old.
    let old_live = q.live.range(..oldest_listed).filter_map(|id| q.batch(*id));
    for b in recent.iter().copied().chain(old_live) {
        let arrow = if b.upload { "↑" } else { "↓" };
        rows.push(layout_row(format!("b{}", b.id), arrow, b.label.clone()));
        if b.is_active() || b.problems > 0 {
            for t in q.members(b) {
                if b.is_active() || matches!(t.status, Status::Failed(_) | Status::Cancelled) {
                    rows.push(layout_row(t.id.to_string(), "", format!("  {} {}", t.job.arrow(), t.job.name())));
                }
            }
        }
    }
    let hidden = q.batches.len() - recent.len() - q.live.range(..oldest_listed).count();
    if hidden > 0 {
        let line = format!("… {} older finished batches (c clears them)", thousands(hidden));
        rows.push(layout_row("older".into(), "", line));
    }
    table.set_rows(rows);
}

fn layout_row(key: String, arrow: &str, name: String) -> Row {
    let mut cells = vec![arrow.to_string(), name];
    cells.extend(std::iter::repeat_n(String::new(), LIVE_COLUMNS));
    Row::new(key, cells)
}

/// The row `layout` with its figures as they are now.
fn live_row<'r>(tr: &Transfers, now: Instant, layout: &'r Row) -> Cow<'r, Row> {
    let key = layout.key.as_str();
    let filled = match key.strip_prefix('b') {
        Some(b) => b.parse().ok().and_then(|b| tr.queue.batch(b)).map(|b| batch_cells(b, now)),
        None => key.parse().ok().and_then(|id| tr.queue.get(id)).map(|t| transfer_cells(tr, t)),
    };
    match filled {
        Some((cells, tone)) => {
            let mut row = layout.clone();
            for (i, c) in cells.into_iter().enumerate() {
                row.cells[2 + i] = c;
            }
            Cow::Owned(row.tone(6, tone))
        }
        None => Cow::Borrowed(layout),
    }
}

/// The row with key `key` of `table` as the screen shows it at `now` (figures filled in).
pub fn shown_row(table: &TableState, tr: &Transfers, now: Instant, key: &str) -> Option<Row> {
    let layout = table.rows().iter().find(|r| r.key == key)?;
    Some(live_row(tr, now, layout).into_owned())
}

type Cells = ([String; LIVE_COLUMNS], Tone);

fn batch_cells(b: &Batch, now: Instant) -> Cells {
    let took = b.started.map(|s| b.finished.unwrap_or(now).saturating_duration_since(s)).unwrap_or_default();
    let progress = match b.bytes_total {
        0 if b.files == 0 => "-".to_string(),
        0 => bar(b.files_done as f64 / b.files as f64, 10),
        total => bar(b.bytes_moved as f64 / total as f64, 10),
    };
    let bytes = format!("{} / {}", human_bytes(b.bytes_moved), human_bytes(b.bytes_total));
    let files = plural(b.files, "file");
    if b.is_active() {
        let secs = took.as_secs_f64();
        let rate = if secs >= 0.25 { b.bytes_moved as f64 / secs } else { 0.0 };
        let (rate_cell, eta) = if rate > 0.0 {
            let left = b.bytes_total.saturating_sub(b.bytes_moved) as f64 / rate;
            (format!("{}/s", human_bytes(rate as u64)), human_duration(Duration::from_secs_f64(left)))
        } else {
            ("-".into(), "-".into())
        };
        let mut status = format!("{} of {files}", thousands(b.files_done));
        if b.problems > 0 {
            status.push_str(&format!(", {} failed", thousands(b.problems)));
        }
        return ([progress, bytes, rate_cell, eta, status], Tone::Busy);
    }
    let (status, tone) = if b.problems > 0 {
        let s = format!("{} of {files} done, {} failed (r retries)", thousands(b.files_done), thousands(b.problems));
        (s, Tone::Bad)
    } else {
        (format!("{files}, {}, done in {}", human_bytes(b.bytes_done), seconds(took)), Tone::Good)
    };
    ([progress, bytes, "-".into(), "-".into(), status], tone)
}

fn transfer_cells(tr: &Transfers, t: &Transfer) -> Cells {
    let (status, tone) = match &t.status {
        Status::Queued
            if t.after
                .is_some_and(|a| tr.get(a).is_some_and(|d| !d.status.is_active() && d.status != Status::Done)) =>
        {
            ("waiting: its folders were not created".to_string(), Tone::Bad)
        }
        Status::Queued => ("queued".to_string(), Tone::Idle),
        Status::Running => ("running".to_string(), Tone::Busy),
        Status::Cancelling => ("cancelling…".to_string(), Tone::Busy),
        Status::Done => {
            let took = t.finished.zip(t.started).map(|(f, s)| f.saturating_duration_since(s)).unwrap_or_default();
            (format!("done in {}", human_duration(took)), Tone::Good)
        }
        Status::Failed(e) => (format!("failed: {e} (r retries)"), Tone::Bad),
        Status::Cancelled => ("cancelled (r retries)".to_string(), Tone::Gone),
    };
    let progress = match fraction(t) {
        Some(f) => bar(f, 10),
        None if t.status == Status::Running => "…".to_string(),
        None => "-".to_string(),
    };
    let bytes = match (&t.job, t.total) {
        (Job::Folders { folders, .. }, _) => format!("{} folder(s)", folders.len()),
        (_, Some(total)) => format!("{} / {}", human_bytes(t.done), human_bytes(total)),
        (_, None) => human_bytes(t.done),
    };
    let running = t.status == Status::Running;
    let rate = if running && t.rate > 0.0 { format!("{}/s", human_bytes(t.rate as u64)) } else { "-".into() };
    let eta = match (running, t.total) {
        (true, Some(total)) if t.rate > 0.0 => {
            human_duration(Duration::from_secs_f64(total.saturating_sub(t.done) as f64 / t.rate))
        }
        _ => "-".into(),
    };
    ([progress, bytes, rate, eta, status], tone)
}

/// `12.3 MB`, decimal units as file managers show them.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if v < 10.0 { format!("{v:.1} {}", UNITS[unit]) } else { format!("{v:.0} {}", UNITS[unit]) }
}

/// `2,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{} {what}s", thousands(n)) }
}

/// `0.8 s` under a minute, the usual `1m 05s` beyond.
fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(60) { format!("{:.1} s", d.as_secs_f64()) } else { human_duration(d) }
}

/// `██████░░░░ 60%`, `width` cells of bar.
pub fn bar(fraction: f64, width: usize) -> String {
    let f = fraction.clamp(0.0, 1.0);
    let full = (f * width as f64).round() as usize;
    format!("{}{} {:>3}%", "█".repeat(full), "░".repeat(width - full), (f * 100.0).floor() as u32)
}

fn fraction(t: &Transfer) -> Option<f64> {
    match (&t.status, t.total) {
        (Status::Done, _) => Some(1.0),
        (_, Some(0)) => None,
        (_, Some(total)) => Some(t.done as f64 / total as f64),
        _ => None,
    }
}

/// The header's summary while anything is queued or running: `⇅ 2 ↑45% ↓10%` (transfers
/// not finished; per direction, the share of bytes moved in the batches still going).
pub fn indicator(view: &View) -> Option<String> {
    let q = &view.transfers.queue;
    let active = q.running + q.queued;
    if active == 0 {
        return None;
    }
    let mut out = format!("⇅ {active}");
    for (arrow, upload) in [("↑", true), ("↓", false)] {
        let (mut any, mut done, mut total) = (false, 0u64, 0u64);
        for b in q.live.iter().filter_map(|id| q.batch(*id)).filter(|b| b.upload == upload && b.files > 0) {
            any = true;
            done += b.bytes_moved;
            total += b.bytes_total;
        }
        if any {
            let pct = (done.min(total) * 100).checked_div(total).unwrap_or(0);
            out.push_str(&format!(" {arrow}{pct}%"));
        }
    }
    Some(out)
}

pub fn render(frame: &mut Frame, area: Rect, table: &TableState, view: &View) {
    let t = &view.theme;
    let tr = &view.transfers;
    let q = &tr.queue;
    let mut title = vec![
        Span::styled(" Transfers ", t.title),
        Span::styled(format!("[{} running, {} queued", q.running, q.queued), t.dim),
    ];
    if q.failed > 0 {
        title.push(Span::styled(format!(", {} failed", q.failed), t.error));
    }
    title.push(Span::styled(
        format!(", at most {} at once ({} if large)] ", tr.small_concurrency, tr.concurrency),
        t.dim,
    ));
    let now = view.now;
    table::render_live(
        frame,
        area,
        table,
        t,
        Line::from(title),
        "No transfers yet: upload (u) or download (D) in the Stage pane (:stage).",
        |row| live_row(tr, now, row),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn short_runs_show_tenths_of_a_second() {
        assert_eq!(seconds(Duration::from_millis(800)), "0.8 s");
    }
}
