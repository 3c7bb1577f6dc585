//! Drawing the jobs list and the executions view (a table and a sparkline of recent durations,
//! each bar coloured by how that run ended).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, SparklineBar};

use super::JobsPane;
use super::{display_name, schedule_text, success_rate, target_text};
use crate::api::types::*;
use crate::effect::Effect;
use crate::msg::Action;
use crate::panes::pane::{Ctx, View};
use crate::theme::tone_of;
use crate::widgets::status;
use crate::widgets::table::{self, Row};
use crate::widgets::toast::Level;

/// "1h02m", "3m12s", "45s".
pub fn duration_text(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

fn short_time(t: Option<&str>) -> String {
    t.and_then(parse_time).map_or_else(|| "-".into(), |t| t.format("%m-%d %H:%M:%S").to_string())
}

/// Seconds an execution ran (so far, when still running).
fn seconds(e: &Execution, now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
    let started = e.started_at.as_deref().and_then(parse_time)?;
    let end = e.finished_at.as_deref().and_then(parse_time).unwrap_or(now);
    Some((end - started).num_seconds())
}

pub fn rebuild_executions(p: &mut JobsPane, cx: &Ctx) {
    let wall = cx.wall;
    let Some(view) = p.executions.as_mut() else { return };
    let rows = view
        .list
        .iter()
        .rev()
        .map(|e| {
            let status = e.status.to_string();
            let tone = tone_of(&status);
            Row::new(
                e.execution_number.to_string(),
                vec![
                    e.execution_number.to_string(),
                    status,
                    short_time(Some(&e.scheduled_start_time)),
                    short_time(e.started_at.as_deref()),
                    short_time(e.finished_at.as_deref()),
                    seconds(e, wall).map_or_else(|| "-".into(), duration_text),
                    e.snapshot_notebook_path.clone().unwrap_or_else(|| "-".into()),
                ],
            )
            .tone(1, tone)
        })
        .collect();
    view.table.set_rows(rows);
}

pub fn on_executions_action(p: &mut JobsPane, cx: &mut Ctx, action: Action) -> Vec<Effect> {
    let Some(view) = &p.executions else { return Vec::new() };
    let selected = view
        .table
        .selected_key()
        .and_then(|k| k.parse::<i64>().ok())
        .and_then(|n| view.list.iter().find(|e| e.execution_number == n))
        .cloned();
    match (action, selected) {
        (Action::Describe, Some(e)) => {
            cx.describe(format!("execution {}", e.execution_number), &e);
            Vec::new()
        }
        (Action::Copy, Some(e)) => match e.snapshot_notebook_path {
            Some(path) => cx.copy(path, "Copied the snapshot path"),
            None => {
                cx.toasts.push(cx.now, Level::Error, "This run has no snapshot.");
                Vec::new()
            }
        },
        (Action::Create, _) => super::form::start(p, cx),
        (Action::Delete, _) => {
            cx.toasts.push(cx.now, Level::Error, "Go back to the job list (esc) to delete the job.");
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, p: &JobsPane, cx: &View) {
    if p.executions.is_some() {
        render_executions(frame, area, p, cx);
        return;
    }
    let t = &cx.theme;
    let pane = &p;
    let mut spans = vec![
        Span::styled(" Jobs ", t.title),
        Span::styled(format!("[{}/{}] ", pane.table.len(), pane.table.total()), t.dim),
        Span::styled("created here, added with :job ID, or found in the audit log ", t.dim),
    ];
    spans.extend(status::stale(&pane.load, cx.now, t));
    if let Some(e) = &pane.error {
        spans.push(Span::styled(format!("{e} "), t.error));
    }
    let none = "No jobs known yet. Press c to create one, or type :job ID to add an existing one.";
    let empty = status::empty("jobs", &pane.load, none, cx.requests.next_refresh, cx.now);
    table::render(frame, area, &pane.table, t, Line::from(spans), &empty);
}

fn render_executions(frame: &mut Frame, area: Rect, p: &JobsPane, cx: &View) {
    let t = &cx.theme;
    let Some(view) = &p.executions else { return };
    let row = p.jobs.get(&view.job);
    let [summary, chart, list] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(6), Constraint::Min(3)]).areas(area);

    let mut spans = Vec::new();
    match row.map(|r| &r.job) {
        Some(job) => {
            spans.push(Span::styled(format!(" {} ", display_name(job)), t.title));
            let mut facts = vec![schedule_text(&job.schedule), target_text(cx.data, job)];
            if let Some(rate) = success_rate(job) {
                facts.push(format!("{:.0}% succeeded", rate * 100.0));
            }
            facts.push(format!("{} runs", job.completed_executions_count));
            facts.push(job.execution_config.notebook_path.clone());
            spans.push(Span::styled(facts.join(" · "), t.dim));
        }
        None => spans.push(Span::styled(format!(" job {} ", view.job), t.title)),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), summary);

    let timed: Vec<(i64, &Execution)> = view.list.iter().filter_map(|e| seconds(e, cx.wall).map(|s| (s, e))).collect();
    let block = Block::default().borders(Borders::ALL).border_style(t.border);
    let inner_width = block.inner(chart).width as usize;
    let shown = &timed[timed.len().saturating_sub(inner_width)..];
    let max = shown.iter().map(|(s, _)| *s).max().unwrap_or(0);
    let title = if shown.is_empty() {
        " Durations: no run has started yet ".to_string()
    } else {
        format!(" Durations of the last {} runs (longest {}) ", shown.len(), duration_text(max))
    };
    let bars: Vec<SparklineBar> = shown
        .iter()
        .map(|(s, e)| SparklineBar::from(u64::try_from(*s).unwrap_or(0)).style(t.tone(tone_of(e.status.as_str()))))
        .collect();
    let spark = Sparkline::default().block(block.title(Span::styled(title, t.dim))).data(bars).max(max.max(1) as u64);
    frame.render_widget(spark, chart);

    let mut title = vec![
        Span::styled(" Executions ", t.title),
        Span::styled(format!("[{}] newest first ", view.table.total()), t.dim),
    ];
    title.extend(status::stale(&view.read, cx.now, t));
    let title = Line::from(title);
    let empty = status::empty("executions", &view.read, "No executions yet.", cx.requests.next_refresh, cx.now);
    table::render(frame, list, &view.table, t, title, &empty);
}
