//! Pieces shared by the panes: the table, forms, confirmations, the JSON viewer, the command
//! palette, help and toasts. Each holds its own state and draws itself from it.

pub mod confirm;
pub mod form;
pub mod help;
pub mod json_view;
pub mod modal;
pub mod palette;
pub mod pick;
pub mod status;
pub mod table;
pub mod toast;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

/// A `width` × `height` rectangle centred in `area` (clamped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// "1 team", "3 teams".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// Readline's deletions on a one-line input typed at its end (the filter, the palette, a typed
/// confirmation): `ctrl-u` clears it, `ctrl-w` and `alt-backspace` delete the last word.
/// True when the key was one of them.
pub fn edit_line(text: &mut String, key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => delete_word(text),
        KeyCode::Backspace if key.modifiers.contains(KeyModifiers::ALT) => delete_word(text),
        _ => return false,
    }
    true
}

fn delete_word(text: &mut String) {
    let kept = text.trim_end().trim_end_matches(|c: char| !c.is_whitespace() && c != '/' && c != '-').len();
    // A word ending in a separator (`/data/`) loses the separator first, as readline's does.
    let kept = if kept == text.len() { text.len() - text.chars().last().map_or(0, char::len_utf8) } else { kept };
    text.truncate(kept);
}

/// Splits `text` into lines of at most `width` columns, breaking between words where it can
/// and inside a word only when the word alone is wider than a line.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0usize;
    for word in text.split(' ') {
        let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        let gap = usize::from(!line.is_empty());
        if used + gap + w <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_inputs_delete_like_readline() {
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        let mut s = String::from("ws-04 prod");
        assert!(edit_line(&mut s, &ctrl('w')));
        assert_eq!(s, "ws-04 ");
        assert!(edit_line(&mut s, &KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT)));
        assert_eq!(s, "ws-");
        assert!(edit_line(&mut s, &ctrl('u')));
        assert_eq!(s, "");
        assert!(!edit_line(&mut s, &KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE)));
    }

    #[test]
    fn wrap_breaks_between_words_and_splits_only_long_words() {
        assert_eq!(wrap("empty (SingleStore picks one)", 12), ["empty", "(SingleStore", "picks one)"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("fits", 10), ["fits"]);
    }
}
