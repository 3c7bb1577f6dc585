//! A filterable choice inside a form: what is typed narrows a list (fuzzy, as the table
//! filter does), left and right step through what matches, and text that names no one on
//! the list is kept as typed, for what the list does not hold.

use crossterm::event::{KeyCode, KeyEvent};
use nucleo_matcher::Utf32Str;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

/// One entry of the list: what it shows and what the form reads when it is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickOption {
    pub label: String,
    pub value: String,
}

impl PickOption {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self { label: label.into(), value: value.into() }
    }
}

pub struct Pick {
    pub input: TextArea<'static>,
    options: Vec<PickOption>,
    /// Indexes into `options` that match the text, best first.
    matches: Vec<usize>,
    /// The entry chosen: an index into `matches`, or `matches.len()` for the text as typed.
    selected: usize,
    /// Nothing typed and nothing stepped to: nobody is chosen (a blank field is not the first
    /// name on the list).
    untouched: bool,
}

impl Pick {
    pub fn new(options: Vec<PickOption>) -> Self {
        let mut input = TextArea::new(vec![String::new()]);
        input.set_cursor_line_style(Style::default());
        let mut p = Pick { input, options, matches: Vec::new(), selected: 0, untouched: true };
        p.refilter();
        p
    }

    pub fn text(&self) -> String {
        self.input.lines().join("")
    }

    /// Replaces the list (it was read after the form opened), keeping the entry chosen.
    pub fn set_options(&mut self, options: Vec<PickOption>) {
        let chosen = self.chosen().map(|o| o.value.clone());
        self.options = options;
        self.refilter();
        if let Some(value) = chosen
            && let Some(at) = self.matches.iter().position(|&i| self.options[i].value == value)
        {
            self.selected = at;
            self.untouched = false;
        }
    }

    /// Whether the text as typed is an entry of its own: it is not empty and no match is it.
    fn offers_typed(&self) -> bool {
        let text = self.text();
        let text = text.trim();
        !text.is_empty()
            && !self.matches.iter().any(|&i| {
                let o = &self.options[i];
                o.value.eq_ignore_ascii_case(text) || o.label.eq_ignore_ascii_case(text)
            })
    }

    fn entries(&self) -> usize {
        self.matches.len() + usize::from(self.offers_typed())
    }

    /// The listed entry chosen; `None` when the text as typed is.
    pub fn chosen(&self) -> Option<&PickOption> {
        if self.untouched {
            return None;
        }
        self.matches.get(self.selected).map(|&i| &self.options[i])
    }

    /// The chosen entry's value, or the text as typed.
    pub fn value(&self) -> String {
        match self.chosen() {
            Some(o) => o.value.clone(),
            None => self.text().trim().to_string(),
        }
    }

    /// Left and right step through the entries; every other key edits the text.
    /// True when the text changed.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let n = self.entries();
        match key.code {
            // The first step from a blank field lands on the first (or, going left, the last) entry.
            KeyCode::Left | KeyCode::Right if n > 0 && self.untouched => {
                self.untouched = false;
                self.selected = if key.code == KeyCode::Left { n - 1 } else { 0 };
            }
            KeyCode::Left if n > 0 => self.selected = (self.selected + n - 1) % n,
            KeyCode::Right if n > 0 => self.selected = (self.selected + 1) % n,
            KeyCode::Left | KeyCode::Right => {}
            _ => {
                let before = self.text();
                super::form::readline(&mut self.input, key);
                if self.text() != before {
                    self.refilter();
                    return true;
                }
            }
        }
        false
    }

    pub fn paste(&mut self, text: &str) {
        self.input.insert_str(text.replace(['\n', '\r'], ""));
        self.refilter();
    }

    /// Ranks the options against the text, best first (ties keep the list's order); the
    /// best is chosen.
    fn refilter(&mut self) {
        let text = self.text();
        self.selected = 0;
        self.untouched = text.trim().is_empty();
        if self.untouched {
            self.matches = (0..self.options.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&text, CaseMatching::Smart, Normalization::Smart);
        let mut buf = Vec::new();
        let mut scored: Vec<(usize, u32)> = super::table::with_matcher(|m| {
            let mut score = |o: &PickOption| pattern.score(Utf32Str::new(&o.label, &mut buf), m);
            self.options.iter().enumerate().filter_map(|(i, o)| score(o).map(|s| (i, s))).collect()
        });
        scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.matches = scored.into_iter().map(|(i, _)| i).collect();
    }

    /// The line under the field: what is chosen and how many there are to step through.
    pub fn describe(&self, hint: Option<&str>) -> Option<String> {
        let n = self.entries();
        let steps = if n > 1 { format!("  ({} of {n}, ◀ ▶ to choose)", self.selected + 1) } else { String::new() };
        match self.chosen() {
            Some(o) => Some(format!("→ {}{steps}", o.label)),
            None if self.offers_typed() => {
                let why = if self.matches.is_empty() { "nobody listed matches" } else { "as typed" };
                Some(format!("→ \"{}\" ({why}){steps}", self.text().trim()))
            }
            None => hint.map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(p: &mut Pick, text: &str) {
        for c in text.chars() {
            p.handle_key(key(KeyCode::Char(c)));
        }
    }

    fn people() -> Pick {
        Pick::new(vec![
            PickOption::new("Ann Lee <ann@acme.io> · user", "u-ann"),
            PickOption::new("Sofia Alvarez <sofia@acme.io> · user", "u-sofia"),
            PickOption::new("Analytics · team", "t-analytics"),
        ])
    }

    #[test]
    fn typing_narrows_the_list_and_the_best_match_is_chosen() {
        let mut p = people();
        assert_eq!(p.value(), "", "nothing typed: nobody chosen");
        p.handle_key(key(KeyCode::Right));
        assert_eq!(p.value(), "u-ann", "a step from a blank field: the first entry");
        typed(&mut p, "x");
        p.handle_key(key(KeyCode::Backspace));
        assert_eq!(p.value(), "", "blank again: nobody chosen");
        typed(&mut p, "sofia");
        assert_eq!(p.value(), "u-sofia");
        assert_eq!(
            p.describe(None).as_deref().unwrap_or_default(),
            "→ Sofia Alvarez <sofia@acme.io> · user  (1 of 2, ◀ ▶ to choose)"
        );
    }

    #[test]
    fn left_and_right_step_through_the_matches_then_the_text_as_typed() {
        let mut p = people();
        typed(&mut p, "an");
        let mut seen = vec![p.value()];
        for _ in 0..3 {
            p.handle_key(key(KeyCode::Right));
            seen.push(p.value());
        }
        assert!(seen.contains(&"u-ann".to_string()) && seen.contains(&"t-analytics".to_string()), "{seen:?}");
        assert!(seen.contains(&"an".to_string()), "the text as typed is an entry: {seen:?}");
        p.handle_key(key(KeyCode::Left));
        assert_eq!(p.value(), seen[2]);
    }

    #[test]
    fn text_that_matches_nobody_is_kept_as_typed() {
        let mut p = people();
        typed(&mut p, "zed@example.com");
        assert_eq!(p.value(), "zed@example.com");
        assert!(p.chosen().is_none());
        assert_eq!(p.describe(None).as_deref().unwrap_or_default(), "→ \"zed@example.com\" (nobody listed matches)");
    }

    #[test]
    fn a_list_read_later_keeps_what_was_chosen() {
        let mut p = Pick::new(Vec::new());
        assert_eq!(p.describe(Some("still reading")).as_deref(), Some("still reading"));
        typed(&mut p, "sofia");
        assert_eq!(p.value(), "sofia");
        p.set_options(people().options);
        assert_eq!(p.value(), "u-sofia", "the list now names her");
    }
}
