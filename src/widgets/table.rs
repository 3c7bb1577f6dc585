//! A virtualized, filterable, sortable table. Rows are plain text computed once when data
//! arrives; filter and sort work on indices; rendering builds only the rows on screen.

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::HashSet;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell as TableCell, Row as TableRow, Table};

use crate::theme::{Theme, Tone};

/// A column: its title, how much room it wants, and how readily it gives way on a narrow screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: &'static str,
    pub width: Constraint,
    /// Cells narrower than this are not worth showing.
    pub min: u16,
    /// 0 = always shown; higher numbers are hidden first when the screen is narrow.
    pub drop_order: u8,
}

impl Column {
    pub const fn new(title: &'static str, width: Constraint) -> Self {
        let min = match width {
            Constraint::Length(n) | Constraint::Min(n) | Constraint::Max(n) => n,
            _ => 8,
        };
        Self { title, width, min, drop_order: 0 }
    }

    /// The least room the column needs to be worth showing.
    pub const fn min(mut self, min: u16) -> Self {
        self.min = min;
        self
    }

    /// Hidden on narrow screens, higher `order` first.
    pub const fn optional(mut self, order: u8) -> Self {
        self.drop_order = order;
        self
    }
}

/// The columns that fit in `width`: optional ones go, highest drop order first.
pub fn visible_columns(columns: &[Column], width: u16) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..columns.len()).collect();
    let need = |keep: &[usize]| keep.iter().map(|&i| columns[i].min + 1).sum::<u16>();
    while need(&keep) > width {
        let Some(pos) = keep
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].drop_order > 0)
            .max_by_key(|(_, i)| columns[**i].drop_order)
            .map(|(pos, _)| pos)
        else {
            break;
        };
        keep.remove(pos);
    }
    keep
}

/// One row: a stable key (to keep the selection and marks across refreshes) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: String,
    pub cells: Vec<String>,
    /// Cells coloured by tone, e.g. the state column.
    pub tones: Vec<(usize, Tone)>,
}

impl Row {
    /// Cells come from the API: control and escape characters are removed here, once, so
    /// that neither drawing nor filtering ever sees them.
    pub fn new(key: impl Into<String>, cells: Vec<String>) -> Self {
        let cells = cells.into_iter().map(crate::sanitize::one_line_owned).collect();
        Self { key: key.into(), cells, tones: Vec::new() }
    }

    pub fn tone(mut self, column: usize, tone: Tone) -> Self {
        self.tones.push((column, tone));
        self
    }
}

/// Everything about a table except how it looks: rows, the filtered and sorted view, selection.
#[derive(Debug, Default)]
pub struct TableState {
    pub columns: Vec<Column>,
    rows: Vec<Row>,
    /// Indices into `rows`, filtered and sorted: what the user sees.
    view: Vec<usize>,
    selected: usize,
    /// First visible row; a render-time cache so scrolling moves as little as possible.
    offset: Cell<usize>,
    /// Rows visible in the last frame, for page up/down.
    page: Cell<usize>,
    sort: Option<(usize, bool)>,
    filter: String,
    pattern: Option<Pattern>,
    pub marks: HashSet<String>,
    /// The filter line has the keyboard.
    pub editing_filter: bool,
}

thread_local! {
    static MATCHER: RefCell<Matcher> = RefCell::new(Matcher::new(Config::DEFAULT));
}

impl TableState {
    pub fn new(columns: Vec<Column>) -> Self {
        Self { columns, page: Cell::new(10), ..Self::default() }
    }

    /// Replaces the rows, keeping the selection on the same key when it is still there.
    pub fn set_rows(&mut self, rows: Vec<Row>) {
        let selected_key = self.selected_key().map(str::to_string);
        self.rows = rows;
        let keys: HashSet<&str> = self.rows.iter().map(|r| r.key.as_str()).collect();
        self.marks.retain(|k| keys.contains(k.as_str()));
        self.rebuild_view();
        if let Some(key) = selected_key
            && let Some(pos) = self.view.iter().position(|&i| self.rows[i].key == key)
        {
            self.selected = pos;
        }
        self.clamp();
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.view.len()
    }

    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    pub fn total(&self) -> usize {
        self.rows.len()
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.view.get(self.selected).map(|&i| &self.rows[i])
    }

    pub fn selected_key(&self) -> Option<&str> {
        self.selected_row().map(|r| r.key.as_str())
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// Moves the selection to the row with `key`, if it is visible.
    pub fn select_key(&mut self, key: &str) -> bool {
        match self.view.iter().position(|&i| self.rows[i].key == key) {
            Some(pos) => {
                self.selected = pos;
                true
            }
            None => false,
        }
    }

    pub fn up(&mut self, n: usize) {
        self.selected = self.selected.saturating_sub(n);
    }

    pub fn down(&mut self, n: usize) {
        self.selected = (self.selected + n).min(self.view.len().saturating_sub(1));
    }

    pub fn top(&mut self) {
        self.selected = 0;
    }

    pub fn bottom(&mut self) {
        self.selected = self.view.len().saturating_sub(1);
    }

    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Sets the fuzzy filter; matching is over every cell of a row.
    pub fn set_filter(&mut self, filter: &str) {
        if filter == self.filter {
            return;
        }
        // Typing one more character can only narrow the matches (a `!` negation is the exception),
        // so only the rows still shown need checking: the common keystroke stays cheap on 10k rows.
        let narrows =
            !self.filter.trim().is_empty() && filter.starts_with(self.filter.as_str()) && !filter.contains('!');
        self.filter = filter.to_string();
        self.pattern =
            (!filter.trim().is_empty()).then(|| Pattern::parse(filter, CaseMatching::Smart, Normalization::Smart));
        match &self.pattern {
            Some(pattern) if narrows => {
                let rows = &self.rows;
                MATCHER.with(|m| {
                    let mut matcher = m.borrow_mut();
                    let mut buf = Vec::new();
                    self.view.retain(|&i| row_matches(pattern, &rows[i].cells, &mut matcher, &mut buf));
                });
                self.clamp();
            }
            _ => self.rebuild_view(),
        }
        self.selected = 0;
    }

    pub fn sort(&self) -> Option<(usize, bool)> {
        self.sort
    }

    /// Sorts by `column`; `descending` reverses.
    pub fn set_sort(&mut self, column: usize, descending: bool) {
        if column < self.columns.len() {
            let key = self.selected_key().map(str::to_string);
            self.sort = Some((column, descending));
            self.rebuild_view();
            if let Some(key) = key {
                self.select_key(&key);
            }
        }
    }

    pub fn sort_next(&mut self, step: isize) {
        let n = self.columns.len() as isize;
        if n == 0 {
            return;
        }
        let current = self.sort.map_or(-1, |(c, _)| c as isize);
        let next = (current + step).rem_euclid(n) as usize;
        self.set_sort(next, false);
    }

    pub fn sort_reverse(&mut self) {
        let (col, desc) = self.sort.unwrap_or((0, false));
        self.set_sort(col, !desc);
    }

    /// Marks or unmarks the selected row; returns whether it is marked now.
    pub fn toggle_mark(&mut self) -> bool {
        let Some(key) = self.selected_key().map(str::to_string) else { return false };
        if !self.marks.remove(&key) {
            self.marks.insert(key);
            return true;
        }
        false
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
    }

    fn rebuild_view(&mut self) {
        self.view = match &self.pattern {
            None => (0..self.rows.len()).collect(),
            Some(pattern) => MATCHER.with(|m| {
                let mut matcher = m.borrow_mut();
                let mut buf = Vec::new();
                self.rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| row_matches(pattern, &r.cells, &mut matcher, &mut buf))
                    .map(|(i, _)| i)
                    .collect()
            }),
        };
        if let Some((col, desc)) = self.sort {
            let rows = &self.rows;
            self.view.sort_by(|&a, &b| {
                let o = natural_cmp(cell(rows, a, col), cell(rows, b, col));
                if desc { o.reverse() } else { o }
            });
        }
        self.clamp();
    }
}

/// Each word of the filter must match within one cell (any cell); a `!word` must match none.
/// Matching the cells joined together would let a word's letters be picked from several
/// columns (a long endpoint supplies most letters), keeping rows in which nothing is highlighted.
fn row_matches(pattern: &Pattern, cells: &[String], matcher: &mut Matcher, buf: &mut Vec<char>) -> bool {
    pattern.atoms.iter().all(|atom| {
        let mut scores = cells.iter().map(|c| atom.score(Utf32Str::new(c, buf), matcher).is_some());
        if atom.negative { scores.all(|ok| ok) } else { scores.any(|ok| ok) }
    })
}

fn cell(rows: &[Row], row: usize, col: usize) -> &str {
    rows[row].cells.get(col).map_or("", String::as_str)
}

/// Compares text with embedded numbers by value: `S-2` < `S-12`, `9 GiB` < `10 GiB`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let mut na = String::new();
                while let Some(c) = a.peek().copied().filter(char::is_ascii_digit) {
                    na.push(c);
                    a.next();
                }
                let mut nb = String::new();
                while let Some(c) = b.peek().copied().filter(char::is_ascii_digit) {
                    nb.push(c);
                    b.next();
                }
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let o = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(x), Some(y)) => {
                let o = x.to_lowercase().cmp(y.to_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                a.next();
                b.next();
            }
        }
    }
}

/// Draws `state` in `area` with a border titled `title`. Builds only the visible rows.
pub fn render(frame: &mut Frame, area: Rect, state: &TableState, theme: &Theme, title: Line<'_>, empty: &str) {
    let block = Block::default().borders(Borders::ALL).border_style(theme.border).title(title);
    let inner_height = area.height.saturating_sub(3) as usize; // borders + header
    state.page.set(inner_height.max(1));
    let mut offset = state.offset.get();
    if state.selected < offset {
        offset = state.selected;
    } else if inner_height > 0 && state.selected >= offset + inner_height {
        offset = state.selected + 1 - inner_height;
    }
    offset = offset.min(state.view.len().saturating_sub(inner_height.max(1)));
    state.offset.set(offset);

    let sort = state.sort;
    let shown = visible_columns(&state.columns, area.width.saturating_sub(2));
    let header = TableRow::new(shown.iter().map(|&i| {
        let c = &state.columns[i];
        let arrow = match sort {
            Some((col, false)) if col == i => " ↑",
            Some((col, true)) if col == i => " ↓",
            _ => "",
        };
        TableCell::from(format!("{}{arrow}", c.title))
    }))
    .style(theme.column_header);

    if state.view.is_empty() {
        let text = if state.rows.is_empty() { empty.to_string() } else { format!("no row matches /{}", state.filter) };
        let table = Table::new(
            vec![TableRow::new(vec![TableCell::from(Span::styled(text, theme.dim))])],
            [Constraint::Percentage(100)],
        )
        .header(header)
        .block(block);
        frame.render_widget(table, area);
        return;
    }

    let pattern = state.pattern.as_ref();
    let visible = state.view.iter().enumerate().skip(offset).take(inner_height.max(1));
    let rows: Vec<TableRow> = MATCHER.with(|m| {
        let mut matcher = m.borrow_mut();
        visible
            .map(|(pos, &i)| {
                let row = &state.rows[i];
                let marked = state.marks.contains(&row.key);
                let cells = shown.iter().map(|&c| {
                    let text = row.cells.get(c).map_or("", String::as_str);
                    let tone = row.tones.iter().find(|(col, _)| *col == c).map(|(_, t)| theme.tone(*t));
                    let base = tone.unwrap_or(theme.base);
                    let prefix = if c == shown[0] && marked { "● " } else { "" };
                    let mut spans = Vec::new();
                    if !prefix.is_empty() {
                        spans.push(Span::styled(prefix, theme.marked));
                    }
                    match pattern {
                        Some(p) => spans.extend(highlight(text, p, &mut matcher, base, theme.matched)),
                        None => spans.push(Span::styled(text.to_string(), base)),
                    }
                    TableCell::from(Line::from(spans))
                });
                let style = if pos == state.selected { theme.selected } else { Style::default() };
                TableRow::new(cells).style(style)
            })
            .collect()
    });
    let widths: Vec<Constraint> = shown.iter().map(|&i| state.columns[i].width).collect();
    frame.render_widget(Table::new(rows, widths).header(header).block(block).column_spacing(1), area);
}

/// Splits `text` into spans with the characters the filter matched highlighted.
fn highlight(text: &str, pattern: &Pattern, matcher: &mut Matcher, base: Style, matched: Style) -> Vec<Span<'static>> {
    let mut buf = Vec::new();
    let mut indices = Vec::new();
    let hay = Utf32Str::new(text, &mut buf);
    // Per word, like the row filter: a cell shows the words it matched, even if not all of them.
    for atom in pattern.atoms.iter().filter(|a| !a.negative) {
        let _ = atom.indices(hay, matcher, &mut indices);
    }
    if indices.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    indices.sort_unstable();
    indices.dedup();
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut next = indices.iter().peekable();
    for (i, ch) in text.chars().enumerate() {
        let is_match = next.peek().is_some_and(|&&m| m as usize == i);
        if is_match {
            next.next();
        }
        if is_match != run_matched && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), if run_matched { matched } else { base }));
        }
        run_matched = is_match;
        run.push(ch);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_matched { matched } else { base }));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str]) -> TableState {
        let mut t = TableState::new(vec![Column::new("NAME", Constraint::Fill(1))]);
        t.set_rows(names.iter().map(|n| Row::new(*n, vec![n.to_string()])).collect());
        t
    }

    #[test]
    fn filter_is_fuzzy_and_keeps_order() {
        let mut t = table(&["analytics-prod", "etl-staging", "analytics-dev"]);
        t.set_filter("anprod");
        assert_eq!(t.len(), 1);
        assert_eq!(t.selected_key(), Some("analytics-prod"));
        t.set_filter("");
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn narrowing_and_widening_agree_with_a_fresh_filter() {
        let names = ["analytics-prod", "etl-staging", "analytics-dev", "prod-ingest", "ana"];
        let mut typed = table(&names);
        for f in ["a", "an", "ana", "anal", "ana", "a", "a !dev", ""] {
            typed.set_filter(f);
            let mut fresh = table(&names);
            fresh.set_filter(f);
            assert_eq!(typed.view, fresh.view, "filter {f:?}");
        }
    }

    #[test]
    fn selection_follows_the_key_across_refreshes() {
        let mut t = table(&["a", "b", "c"]);
        t.down(2);
        assert_eq!(t.selected_key(), Some("c"));
        t.set_rows(vec![Row::new("c", vec!["c".into()]), Row::new("a", vec!["a".into()])]);
        assert_eq!(t.selected_key(), Some("c"));
        t.set_rows(vec![Row::new("a", vec!["a".into()])]);
        assert_eq!(t.selected_key(), Some("a"));
    }

    #[test]
    fn natural_sort_orders_sizes() {
        let mut t = table(&["S-12", "S-2", "S-00", "S-1"]);
        t.set_sort(0, false);
        let order: Vec<&str> = t.view.iter().map(|&i| t.rows[i].key.as_str()).collect();
        assert_eq!(order, ["S-00", "S-1", "S-2", "S-12"]);
        t.sort_reverse();
        let order: Vec<&str> = t.view.iter().map(|&i| t.rows[i].key.as_str()).collect();
        assert_eq!(order, ["S-12", "S-2", "S-1", "S-00"]);
    }

    #[test]
    fn narrow_screens_drop_optional_columns_in_order() {
        let cols = vec![
            Column::new("NAME", Constraint::Fill(1)).min(10),
            Column::new("A", Constraint::Length(10)).optional(1),
            Column::new("B", Constraint::Length(10)).optional(2),
        ];
        assert_eq!(visible_columns(&cols, 40), vec![0, 1, 2]);
        assert_eq!(visible_columns(&cols, 25), vec![0, 1]);
        assert_eq!(visible_columns(&cols, 5), vec![0]);
    }

    #[test]
    fn marks_survive_refresh_only_for_rows_that_remain() {
        let mut t = table(&["a", "b"]);
        assert!(t.toggle_mark());
        t.down(1);
        t.toggle_mark();
        t.set_rows(vec![Row::new("a", vec!["a".into()])]);
        assert_eq!(t.marks.len(), 1);
        assert!(t.marks.contains("a"));
    }
}
