//! Short messages in the corner: results of actions and errors from the API.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::theme::Theme;

/// How long a toast stays; errors stay longer because they need reading.
pub const INFO_FOR: Duration = Duration::from_secs(4);
pub const ERROR_FOR: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub level: Level,
    pub until: Instant,
}

#[derive(Debug, Default)]
pub struct Toasts {
    pub items: Vec<Toast>,
}

impl Toasts {
    pub fn push(&mut self, now: Instant, level: Level, text: impl Into<String>) {
        let ttl = if level == Level::Error { ERROR_FOR } else { INFO_FOR };
        // Errors quote servers and files: nothing in them may act on the terminal.
        let text = crate::sanitize::one_line_owned(text.into());
        self.items.push(Toast { text, level, until: now + ttl });
        // A burst of errors must not cover the screen.
        if self.items.len() > 4 {
            self.items.remove(0);
        }
    }

    /// Drops expired toasts; true if any went.
    pub fn expire(&mut self, now: Instant) -> bool {
        let before = self.items.len();
        self.items.retain(|t| t.until > now);
        before != self.items.len()
    }

    /// When the next toast expires, to schedule one timer for it.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.items.iter().map(|t| t.until).min()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Stacks toasts in the bottom-right corner above the footer.
pub fn render(frame: &mut Frame, area: Rect, toasts: &Toasts, theme: &Theme) {
    let width = (area.width / 2).clamp(30, 70).min(area.width);
    let mut bottom = area.y + area.height.saturating_sub(1);
    for toast in toasts.items.iter().rev() {
        let lines = (toast.text.chars().count() as u16 / width.saturating_sub(4).max(1)) + 1;
        let height = (lines + 2).min(6);
        if bottom < area.y + height {
            break;
        }
        let rect = Rect { x: area.x + area.width - width, y: bottom - height, width, height };
        let (style, mark) = match toast.level {
            Level::Info => (theme.base, "•"),
            Level::Success => (theme.ok, "✓"),
            Level::Error => (theme.error, "✗"),
        };
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::styled(format!("{mark} "), style), Span::raw(toast.text.clone())]))
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).border_style(style)),
            rect,
        );
        bottom -= height;
    }
}
