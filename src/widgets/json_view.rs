//! The describe view: an object's full JSON, pretty-printed, coloured and scrollable.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use serde_json::Value;

use crate::theme::Theme;

#[derive(Debug, Clone, PartialEq)]
pub struct JsonView {
    pub title: String,
    /// The pretty JSON, for copying.
    pub text: String,
    lines: Vec<Vec<(Token, String)>>,
    pub scroll: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Punct,
    Key,
    Str,
    Num,
    Lit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonOutcome {
    Stay,
    Close,
    Copy,
}

impl JsonView {
    pub fn new(title: impl Into<String>, value: &Value) -> Self {
        let text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("(cannot show: {e})"));
        let lines = text.lines().map(tokenize).collect();
        Self { title: title.into(), text, lines, scroll: 0 }
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    pub fn handle_key(&mut self, key: KeyEvent, page: usize) -> JsonOutcome {
        let max = self.lines.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q' | 'd') => return JsonOutcome::Close,
            KeyCode::Char('y') => return JsonOutcome::Copy,
            KeyCode::Char('j') | KeyCode::Down => self.scroll = (self.scroll + 1).min(max),
            KeyCode::Char('k') | KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = (self.scroll + page).min(max),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll = max,
            _ => {}
        }
        JsonOutcome::Stay
    }
}

/// Splits one line of pretty JSON into coloured tokens (keys, strings, numbers, literals).
fn tokenize(line: &str) -> Vec<(Token, String)> {
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        if rest.starts_with('"') {
            // Find the closing quote, skipping escaped ones.
            let bytes = rest.as_bytes();
            let mut end = 1;
            while end < bytes.len() {
                match bytes[end] {
                    b'\\' => end += 2,
                    b'"' => break,
                    _ => end += 1,
                }
            }
            let end = (end + 1).min(rest.len());
            let (s, tail) = rest.split_at(end);
            let is_key = tail.trim_start().starts_with(':');
            out.push((if is_key { Token::Key } else { Token::Str }, s.to_string()));
            rest = tail;
        } else if let Some(c) = rest.chars().next() {
            if c.is_ascii_digit() || c == '-' {
                let end =
                    rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || "-+.".contains(ch))).unwrap_or(rest.len());
                out.push((Token::Num, rest[..end].to_string()));
                rest = &rest[end..];
            } else if rest.starts_with("true") || rest.starts_with("null") {
                out.push((Token::Lit, rest[..4].to_string()));
                rest = &rest[4..];
            } else if rest.starts_with("false") {
                out.push((Token::Lit, rest[..5].to_string()));
                rest = &rest[5..];
            } else {
                let end = rest.find(['"', 't', 'f', 'n', '-']).filter(|&e| e > 0).unwrap_or(c.len_utf8());
                let end = rest[..end].find(|ch: char| ch.is_ascii_digit()).filter(|&e| e > 0).unwrap_or(end);
                out.push((Token::Punct, rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
    }
    out
}

pub fn render(frame: &mut Frame, area: Rect, view: &JsonView, theme: &Theme) {
    let rect = super::centered(area, area.width.saturating_sub(4).max(20), area.height.saturating_sub(2).max(5));
    frame.render_widget(Clear, rect);
    let height = rect.height.saturating_sub(2) as usize;
    let style = |t: Token| -> Style {
        match t {
            Token::Punct => theme.base,
            Token::Key => theme.json_key,
            Token::Str => theme.json_string,
            Token::Num => theme.json_number,
            Token::Lit => theme.json_literal,
        }
    };
    let lines: Vec<Line> = view
        .lines
        .iter()
        .skip(view.scroll)
        .take(height)
        .map(|toks| Line::from(toks.iter().map(|(t, s)| Span::styled(s.clone(), style(*t))).collect::<Vec<_>>()))
        .collect();
    let position = format!(" {}/{} ", (view.scroll + 1).min(view.lines.len()), view.lines.len());
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title)
        .title(Span::styled(format!(" {} ", view.title), theme.title))
        .title_bottom(Line::from(vec![
            Span::styled(" j/k", theme.key),
            Span::raw(" scroll "),
            Span::styled("y", theme.key),
            Span::raw(" copy "),
            Span::styled("esc", theme.key),
            Span::raw(" close "),
            Span::styled(position, theme.dim),
        ]));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cover_the_line_and_tell_keys_from_values() {
        let line = r#"  "size": "S-00", "n": -1.5e3, "ok": true, "x": null"#;
        let toks = tokenize(line);
        let joined: String = toks.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(joined, line);
        assert!(toks.contains(&(Token::Key, "\"size\"".into())));
        assert!(toks.contains(&(Token::Str, "\"S-00\"".into())));
        assert!(toks.contains(&(Token::Num, "-1.5e3".into())));
        assert!(toks.contains(&(Token::Lit, "true".into())));
    }
}
