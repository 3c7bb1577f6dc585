//! Confirmations: y/n for reversible actions, typing the resource's name for destructive ones.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Undecided,
}

/// A y/n question about `payload`.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm<T> {
    pub title: String,
    pub lines: Vec<String>,
    pub payload: T,
}

impl<T> Confirm<T> {
    pub fn new(title: impl Into<String>, lines: Vec<String>, payload: T) -> Self {
        Self { title: title.into(), lines, payload }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Answer {
        match key.code {
            KeyCode::Char('y' | 'Y') => Answer::Yes,
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => Answer::No,
            _ => Answer::Undecided,
        }
    }
}

/// A destructive action: nothing happens until the user types `expected` exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedConfirm<T> {
    pub title: String,
    pub lines: Vec<String>,
    pub expected: String,
    pub input: String,
    pub mismatch: bool,
    pub payload: T,
}

impl<T> TypedConfirm<T> {
    pub fn new(title: impl Into<String>, lines: Vec<String>, expected: impl Into<String>, payload: T) -> Self {
        Self { title: title.into(), lines, expected: expected.into(), input: String::new(), mismatch: false, payload }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Answer {
        if super::edit_line(&mut self.input, &key) {
            self.mismatch = false;
            return Answer::Undecided;
        }
        match key.code {
            KeyCode::Esc => return Answer::No,
            KeyCode::Enter => {
                if self.input == self.expected {
                    return Answer::Yes;
                }
                self.mismatch = true;
            }
            KeyCode::Backspace => {
                self.input.pop();
                self.mismatch = false;
            }
            KeyCode::Char(c) => {
                self.input.push(c);
                self.mismatch = false;
            }
            _ => {}
        }
        Answer::Undecided
    }

    pub fn paste(&mut self, text: &str) {
        self.input.push_str(text.trim_end_matches(['\n', '\r']));
    }
}

fn frame_box(frame: &mut Frame, area: Rect, title: &str, body: Vec<Line<'_>>, danger: bool, theme: &Theme) {
    let width = area.width.clamp(30, 72).min(area.width);
    // Long lines wrap: count the rows they take so the answer line is never cut off.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = body.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (rows as u16).saturating_add(2).min(area.height);
    let rect = super::centered(area, width, height);
    let style = if danger { theme.error } else { theme.title };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(body).wrap(Wrap { trim: false }).block(
            Block::default().borders(Borders::ALL).border_style(style).title(Span::styled(format!(" {title} "), style)),
        ),
        rect,
    );
}

pub fn render_confirm<T>(frame: &mut Frame, area: Rect, c: &Confirm<T>, theme: &Theme) {
    let mut body: Vec<Line> = c.lines.iter().map(|l| Line::raw(l.clone())).collect();
    body.push(Line::raw(""));
    body.push(Line::from(vec![
        Span::styled("y", theme.key),
        Span::raw(" yes   "),
        Span::styled("n", theme.key),
        Span::raw("/"),
        Span::styled("esc", theme.key),
        Span::raw(" no, nothing is sent"),
    ]));
    frame_box(frame, area, &c.title, body, false, theme);
}

pub fn render_typed<T>(frame: &mut Frame, area: Rect, c: &TypedConfirm<T>, theme: &Theme) {
    let mut body: Vec<Line> = c.lines.iter().map(|l| Line::raw(l.clone())).collect();
    body.push(Line::raw(""));
    body.push(Line::from(vec![
        Span::raw("Type "),
        Span::styled(c.expected.clone(), theme.key),
        Span::raw(" to confirm:"),
    ]));
    body.push(Line::from(vec![Span::styled("> ", theme.key), Span::styled(format!("{}▏", c.input), theme.selected)]));
    if c.mismatch {
        body.push(Line::styled("The name does not match.", theme.error));
    }
    body.push(Line::from(vec![
        Span::styled("enter", theme.key),
        Span::raw(" confirm   "),
        Span::styled("esc", theme.key),
        Span::raw(" cancel, nothing is sent"),
    ]));
    frame_box(frame, area, &c.title, body, true, theme);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typed_confirmation_needs_the_exact_name() {
        let mut c = TypedConfirm::new("t", vec![], "etl", ());
        for ch in "et".chars() {
            c.handle_key(k(KeyCode::Char(ch)));
        }
        assert_eq!(c.handle_key(k(KeyCode::Enter)), Answer::Undecided);
        assert!(c.mismatch);
        c.handle_key(k(KeyCode::Char('l')));
        assert_eq!(c.handle_key(k(KeyCode::Enter)), Answer::Yes);
        assert_eq!(c.handle_key(k(KeyCode::Esc)), Answer::No);
    }
}
