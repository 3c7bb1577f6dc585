//! The `?` overlay: every binding of the current pane, lists and global, from the keymap.

use std::cell::Cell;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::keymap::{Context, Keymap};
use crate::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Help {
    pub scroll: usize,
    /// The last scroll position that still fills the box; set when drawn, for `G` and paging.
    last: Cell<usize>,
}

impl Help {
    /// True when the overlay should close.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let last = self.last.get();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q' | '?') => return true,
            KeyCode::Char('j') | KeyCode::Down => self.scroll += 1,
            KeyCode::Char('k') | KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll += 10,
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll = last,
            _ => {}
        }
        self.scroll = self.scroll.min(last);
        false
    }
}

/// The help text: one section per context, keys of the same action on one line.
pub fn lines(keymap: &Keymap, contexts: &[Context], theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for ctx in contexts {
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        for b in keymap.bindings().iter().filter(|b| b.context == *ctx) {
            match rows.iter_mut().find(|(_, d)| *d == b.description) {
                Some((keys, _)) => {
                    keys.push_str(", ");
                    keys.push_str(&b.key.to_string());
                }
                None => rows.push((b.key.to_string(), b.description)),
            }
        }
        if rows.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(ctx.title().to_string(), theme.title));
        for (keys, description) in rows {
            out.push(Line::from(vec![Span::styled(format!("  {keys:<16}"), theme.key), Span::raw(description)]));
        }
    }
    out
}

pub fn render(frame: &mut Frame, area: Rect, help: &Help, keymap: &Keymap, contexts: &[Context], theme: &Theme) {
    let lines = lines(keymap, contexts, theme);
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = area.width.clamp(40, 84).min(area.width);
    let rect = super::centered(area, width, height);
    let last = lines.len().saturating_sub(height.saturating_sub(2) as usize);
    help.last.set(last);
    let scroll = help.scroll.min(last);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll as u16, 0)).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.title)
                .title(Span::styled(" Keys (esc closes) ", theme.title)),
        ),
        rect,
    );
}
