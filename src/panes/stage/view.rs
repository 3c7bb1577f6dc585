//! Drawing the Stage pane and its dialogs (read-only).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::FilesModal;
use super::StagePane;
use crate::panes::pane::View;
use crate::panes::transfers::human_bytes;
use crate::widgets::status;
use crate::widgets::table;

pub fn render(frame: &mut Frame, area: Rect, p: &StagePane, cx: &View) {
    let t = &cx.theme;
    let sp = &p;
    let Some(d) = &sp.place else {
        let mut title = vec![
            Span::styled(" Stage ", t.title),
            Span::styled(format!("choose a deployment or a Files space [{}] ", sp.chooser.len()), t.dim),
        ];
        if let Some(e) = &sp.starters_error {
            let short: String = e.chars().take(50).collect();
            title.push(Span::styled(format!("(starter workspaces unavailable: {short}) "), t.warn));
        }
        title.extend(status::stale(&sp.deployments, cx.now, t));
        // The Files spaces need no read, so they are listed even when the deployments are not:
        // what became of that read is said beneath them.
        let missing = match (&sp.deployments.value, &sp.deployments.error) {
            (None, Some(failure)) => {
                Some((status::failed("deployments", failure, cx.requests.next_refresh, cx.now), t.error))
            }
            (None, None) => Some(("Loading deployments…".to_string(), t.dim)),
            _ => None,
        };
        let Some((missing, style)) = missing else {
            table::render(frame, area, &sp.chooser, t, Line::from(title), "");
            return;
        };
        let [rows, below] =
            Layout::vertical([Constraint::Length(sp.chooser.len() as u16 + 3), Constraint::Min(0)]).areas(area);
        table::render(frame, rows, &sp.chooser, t, Line::from(title), "");
        frame.render_widget(Paragraph::new(missing).style(style).wrap(Wrap { trim: false }), below);
        return;
    };
    let mut title = vec![
        Span::styled(format!(" {} ", d.store.noun()), t.title),
        Span::styled(format!("{}:/{} ", d.name, sp.path), t.base),
        Span::styled(format!("[{}/{}] ", sp.table.len(), sp.table.total()), t.dim),
    ];
    title.extend(status::stale(&sp.listing, cx.now, t));
    let none = if d.store.keeps_empty_folders() {
        "Empty folder: u uploads a file or folder here, n creates a folder."
    } else {
        "Empty: u uploads a file or folder here."
    };
    let empty = status::empty("folder", &sp.listing, none, cx.requests.next_refresh, cx.now);
    table::render(frame, area, &sp.table, t, Line::from(title), &empty);
}

/// Draws one of the pane's dialogs.
pub fn render_modal(frame: &mut Frame, area: Rect, modal: &FilesModal, cx: &View) {
    let t = &cx.theme;
    let (title, lines, style): (String, Vec<Line>, _) = match modal {
        FilesModal::Preview(p) => {
            let height = area.height.saturating_sub(4) as usize;
            let mut lines: Vec<Line> =
                p.lines.iter().skip(p.scroll).take(height.saturating_sub(2)).map(|l| Line::raw(l.clone())).collect();
            while lines.len() < height.saturating_sub(2) {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                format!("{}  line {}/{}", p.note, (p.scroll + 1).min(p.lines.len()), p.lines.len()),
                t.dim,
            ));
            lines.push(Line::from(vec![
                Span::styled("j/k pgup/pgdn", t.key),
                Span::raw(" scroll  "),
                Span::styled("esc", t.key),
                Span::raw(" close"),
            ]));
            (p.title.clone(), lines, t.title)
        }
        FilesModal::Conflict { plan, file, .. } => {
            let Some(pending) = cx.transfers.plans.get(plan) else { return };
            let Some(f) = pending.plan.files.get(*file) else { return };
            let remaining = pending
                .plan
                .files
                .iter()
                .enumerate()
                .filter(|(i, x)| x.conflict.is_some() && pending.answers[*i].is_none())
                .count();
            let alt = f.conflict.clone().unwrap_or_default();
            let (what, where_) = if pending.plan.upload {
                (format!("/{}", f.remote), "in Stage")
            } else {
                (f.local.display().to_string(), "on this computer")
            };
            let mut lines = vec![
                Line::raw(format!("{what} exists already {where_}.")),
                Line::styled(format!("The incoming file is {}.", human_bytes(f.size)), t.dim),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("o", t.key),
                    Span::raw(" overwrite   "),
                    Span::styled("s", t.key),
                    Span::raw(" skip   "),
                    Span::styled("r", t.key),
                    Span::raw(format!(" rename to {alt:?}")),
                ]),
            ];
            if remaining > 1 {
                lines.push(Line::from(vec![
                    Span::styled("O S R", t.key),
                    Span::raw(format!(" the same for all {remaining} conflicts")),
                ]));
            }
            lines.push(Line::from(vec![
                Span::styled("esc", t.key),
                Span::raw(" cancel the whole transfer, nothing is sent"),
            ]));
            ("Name conflict".to_string(), lines, t.warn)
        }
    };
    let width = match modal {
        FilesModal::Preview(_) => area.width.saturating_sub(4),
        FilesModal::Conflict { .. } => area.width.clamp(30, 76).min(area.width),
    };
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = crate::widgets::centered(area, width, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default().borders(Borders::ALL).border_style(style).title(Span::styled(format!(" {title} "), style)),
        ),
        rect,
    );
}
