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

use unicode_width::UnicodeWidthStr;

use crate::msg::Action;
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
    /// Room kept for cells filled in as they are drawn ([`render_live`]), which the stored
    /// rows cannot measure.
    pub live: u16,
}

impl Column {
    pub const fn new(title: &'static str, width: Constraint) -> Self {
        let min = match width {
            Constraint::Length(n) | Constraint::Min(n) | Constraint::Max(n) => n,
            _ => 8,
        };
        Self { title, width, min, drop_order: 0, live: 0 }
    }

    /// Keeps `width` for cells filled in as they are drawn.
    pub const fn live(mut self, width: u16) -> Self {
        self.live = width;
        self
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
    fitting_columns(columns, &[], width)
}

/// Like `visible_columns`, for columns that need no more than `wanted` (their widest cell).
fn fitting_columns(columns: &[Column], wanted: &[u16], width: u16) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..columns.len()).collect();
    let min = |i: usize| wanted.get(i).map_or(columns[i].min, |&w| w.min(columns[i].min));
    let need = |keep: &[usize]| keep.iter().map(|&i| min(i) + 1).sum::<u16>();
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
    // Dropping a wide column may leave room for a narrow one dropped before it.
    let mut dropped: Vec<usize> = (0..columns.len()).filter(|i| !keep.contains(i)).collect();
    dropped.sort_by_key(|&i| columns[i].drop_order);
    for i in dropped {
        let mut with = keep.clone();
        with.push(i);
        with.sort_unstable();
        if need(&with) <= width {
            keep = with;
        }
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
    query: Option<Query>,
    pub marks: HashSet<String>,
    /// The row a range mark (`ctrl-space`) starts from: the last one marked.
    anchor: Option<String>,
    /// The filter line has the keyboard.
    pub editing_filter: bool,
    /// Every column is shown, none dropped for a narrow screen.
    pub wide: bool,
    /// The widest cell of each column, so columns take the room their content needs.
    content_widths: Vec<u16>,
}

/// What `/` filters by. Fuzzy unless the text starts with `!` (rows without it), `=` or a quote
/// (rows containing it exactly) or `~` (a regular expression). Upper case makes it case-sensitive.
#[derive(Debug)]
enum Query {
    Fuzzy(Pattern),
    Without(regex::Regex),
    Exact(regex::Regex),
    Regex(regex::Regex),
    /// A `~` expression that does not compile: no row matches, and the empty table says why.
    Invalid(String),
}

impl Query {
    fn parse(filter: &str) -> Option<Query> {
        let literal = |text: &str| {
            regex::RegexBuilder::new(&regex::escape(text))
                .case_insensitive(!text.chars().any(char::is_uppercase))
                .build()
                .ok()
        };
        if let Some(rest) = filter.strip_prefix('!') {
            return (!rest.is_empty()).then(|| literal(rest)).flatten().map(Query::Without);
        }
        let quoted = filter.strip_prefix('"').map(|r| r.strip_suffix('"').unwrap_or(r));
        if let Some(rest) = filter.strip_prefix('=').or(quoted) {
            return (!rest.is_empty()).then(|| literal(rest)).flatten().map(Query::Exact);
        }
        if let Some(rest) = filter.strip_prefix('~') {
            if rest.is_empty() {
                return None;
            }
            let built = regex::RegexBuilder::new(rest).case_insensitive(!rest.chars().any(char::is_uppercase)).build();
            return Some(match built {
                Ok(re) => Query::Regex(re),
                Err(e) => Query::Invalid(e.to_string().lines().last().unwrap_or("invalid").trim().to_string()),
            });
        }
        (!filter.trim().is_empty())
            .then(|| Query::Fuzzy(Pattern::parse(filter, CaseMatching::Smart, Normalization::Smart)))
    }

    fn matches(&self, cells: &[String], matcher: &mut Matcher, buf: &mut Vec<char>) -> bool {
        match self {
            Query::Fuzzy(p) => row_matches(p, cells, matcher, buf),
            Query::Without(re) => !cells.iter().any(|c| re.is_match(c)),
            Query::Exact(re) | Query::Regex(re) => cells.iter().any(|c| re.is_match(c)),
            Query::Invalid(_) => false,
        }
    }
}

thread_local! {
    static MATCHER: RefCell<Matcher> = RefCell::new(Matcher::new(Config::DEFAULT));
}

/// Runs `f` with the fuzzy matcher the filters share (it is costly to make one per keystroke).
pub fn with_matcher<R>(f: impl FnOnce(&mut Matcher) -> R) -> R {
    MATCHER.with(|m| f(&mut m.borrow_mut()))
}

impl TableState {
    pub fn new(columns: Vec<Column>) -> Self {
        Self { columns, page: Cell::new(10), ..Self::default() }
    }

    /// Replaces the rows, keeping the selection on the same key when it is still there.
    pub fn set_rows(&mut self, rows: Vec<Row>) {
        let selected_key = self.selected_key().map(str::to_string);
        self.rows = rows;
        let mut widths: Vec<u16> = self.columns.iter().map(|c| c.live).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(&row.cells) {
                *w = (*w).max(u16::try_from(cell.width()).unwrap_or(u16::MAX));
            }
        }
        self.content_widths = widths;
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

    /// The keys of the rows on screen in the last frame (before any frame: a first page of them).
    pub fn on_screen(&self) -> impl Iterator<Item = &str> {
        let page = match self.page.get() {
            0 => 50,
            n => n,
        };
        self.view.iter().skip(self.offset.get()).take(page).filter_map(|&i| self.rows.get(i)).map(|r| r.key.as_str())
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Sets the filter (see `Query` for its forms); matching is over every cell of a row.
    pub fn set_filter(&mut self, filter: &str) {
        if filter == self.filter {
            return;
        }
        // Typing one more character can only narrow fuzzy and exact matches (a `!` negation is
        // the exception), so only the rows still shown need checking: the common keystroke stays
        // cheap on 10k rows.
        let same_mode =
            |f: &str| !f.starts_with(['!', '~', '"']) && (f.starts_with('=') == self.filter.starts_with('='));
        let narrows = !self.filter.trim().is_empty()
            && filter.starts_with(self.filter.as_str())
            && !filter.contains('!')
            && same_mode(filter);
        self.filter = filter.to_string();
        self.query = Query::parse(filter);
        match &self.query {
            Some(query) if narrows => {
                let rows = &self.rows;
                MATCHER.with(|m| {
                    let mut matcher = m.borrow_mut();
                    let mut buf = Vec::new();
                    self.view.retain(|&i| query.matches(&rows[i].cells, &mut matcher, &mut buf));
                });
                self.clamp();
            }
            _ => self.rebuild_view(),
        }
        self.selected = 0;
    }

    /// Why the filter matches nothing when it cannot be used (a regex that does not compile).
    pub fn filter_error(&self) -> Option<&str> {
        match &self.query {
            Some(Query::Invalid(e)) => Some(e),
            _ => None,
        }
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
            self.marks.insert(key.clone());
            self.anchor = Some(key);
            return true;
        }
        false
    }

    /// Marks every row from the last one marked to the selection (k9s `ctrl-space`).
    pub fn mark_range(&mut self) {
        let from = self.anchor.as_deref().and_then(|k| self.view.iter().position(|&i| self.rows[i].key == k));
        let (a, b) = match from {
            Some(from) => (from.min(self.selected), from.max(self.selected)),
            None => (self.selected, self.selected),
        };
        let keys: Vec<String> = self.view.iter().skip(a).take(b + 1 - a).map(|&i| self.rows[i].key.clone()).collect();
        self.marks.extend(keys);
        self.anchor = self.selected_key().map(str::to_string);
    }

    /// Marks every row the filter shows.
    pub fn mark_all(&mut self) {
        let keys: Vec<String> = self.view.iter().map(|&i| self.rows[i].key.clone()).collect();
        self.marks.extend(keys);
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
        self.anchor = None;
    }

    /// The marking keys, the same in every pane that has batch actions; false for other actions.
    pub fn on_mark(&mut self, action: Action) -> bool {
        match action {
            Action::Mark => {
                self.toggle_mark();
                self.down(1);
            }
            Action::MarkRange => self.mark_range(),
            Action::MarkAll => self.mark_all(),
            Action::Unmark => self.clear_marks(),
            _ => return false,
        }
        true
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
    }

    fn rebuild_view(&mut self) {
        self.view = match &self.query {
            None => (0..self.rows.len()).collect(),
            Some(query) => MATCHER.with(|m| {
                let mut matcher = m.borrow_mut();
                let mut buf = Vec::new();
                self.rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| query.matches(&r.cells, &mut matcher, &mut buf))
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

/// Column widths that follow the content: each column asks for its widest cell (or its title);
/// when that does not fit, the widest columns give way first, none below its minimum.
pub fn fit_widths(wanted: &[u16], mins: &[u16], room: u16) -> Vec<u16> {
    let mut floor: Vec<u16> = wanted.iter().zip(mins).map(|(&w, &m)| w.min(m)).collect();
    if floor.iter().map(|&f| u32::from(f)).sum::<u32>() > u32::from(room) {
        // More columns than room (the wide view): every column gives way, the widest first.
        floor = wanted.iter().map(|&w| w.min(1)).collect();
    }
    let total = |cap: u16| -> u32 { wanted.iter().zip(&floor).map(|(&w, &f)| u32::from(w.min(cap).max(f))).sum() };
    let max = wanted.iter().copied().max().unwrap_or(0);
    if total(max) <= u32::from(room) {
        return wanted.to_vec();
    }
    // The largest cap at which everything fits.
    let (mut lo, mut hi) = (0u16, max);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if total(mid) <= u32::from(room) { lo = mid } else { hi = mid - 1 }
    }
    let mut widths: Vec<u16> = wanted.iter().zip(&floor).map(|(&w, &f)| w.min(lo).max(f)).collect();
    // Hand what is left (less than one column each) to the columns that were cut, left first.
    let mut spare = u32::from(room).saturating_sub(widths.iter().map(|&w| u32::from(w)).sum());
    for (w, &want) in widths.iter_mut().zip(wanted) {
        if spare == 0 {
            break;
        }
        if *w < want {
            *w += 1;
            spare -= 1;
        }
    }
    widths
}

/// Cuts `spans` to `width` columns; a cut ends in `…` so it never reads as the whole value.
fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(Span::width).sum();
    if total <= width || width == 0 {
        return spans;
    }
    let mut out = Vec::new();
    let mut used = 0;
    let mut last_style = Style::default();
    for span in spans {
        last_style = span.style;
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > width - 1 {
                break;
            }
            kept.push(c);
            used += w;
        }
        let whole = kept.len() == span.content.len();
        if !kept.is_empty() {
            out.push(Span::styled(kept, span.style));
        }
        if !whole {
            break;
        }
    }
    out.push(Span::styled("…", last_style));
    out
}

/// Draws `state` in `area` with a border titled `title`. Builds only the visible rows.
pub fn render(frame: &mut Frame, area: Rect, state: &TableState, theme: &Theme, title: Line<'_>, empty: &str) {
    render_live(frame, area, state, theme, title, empty, std::borrow::Cow::Borrowed);
}

/// Like [`render`], with each visible row's cells filled in by `live` as it is drawn: for
/// lists whose figures change faster than their rows come and go (a transfer's progress).
pub fn render_live<'r>(
    frame: &mut Frame,
    area: Rect,
    state: &'r TableState,
    theme: &Theme,
    title: Line<'_>,
    empty: &str,
    live: impl Fn(&'r Row) -> std::borrow::Cow<'r, Row>,
) {
    let mut block = Block::default().borders(Borders::ALL).border_style(theme.border).title(title);
    // Where the selection is, how many are marked: the same in every list.
    if !state.view.is_empty() {
        block = block.title_bottom(
            Line::from(Span::styled(format!(" {}/{} ", state.selected + 1, state.view.len()), theme.dim))
                .right_aligned(),
        );
    }
    if !state.marks.is_empty() {
        block = block.title_bottom(Line::from(Span::styled(format!(" ● {} marked ", state.marks.len()), theme.marked)));
    }
    if state.wide {
        block = block.title_bottom(Line::from(Span::styled(" wide ", theme.dim)).centered());
    }
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
    let room = area.width.saturating_sub(2);
    let mark_room = if state.marks.is_empty() { 0 } else { 2 };
    // Each column asks for its widest cell or its title (with room for the sort arrow).
    let wanted: Vec<u16> = state
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let arrow = if sort.is_some_and(|(col, _)| col == i) { 2 } else { 0 };
            let content = state.content_widths.get(i).copied().unwrap_or(0) + if i == 0 { mark_room } else { 0 };
            (c.title.width() as u16 + arrow).max(content)
        })
        .collect();
    let shown =
        if state.wide { (0..state.columns.len()).collect() } else { fitting_columns(&state.columns, &wanted, room) };
    let title_of = |i: usize| {
        let arrow = match sort {
            Some((col, false)) if col == i => " ↑",
            Some((col, true)) if col == i => " ↓",
            _ => "",
        };
        format!("{}{arrow}", state.columns[i].title)
    };
    let header = TableRow::new(shown.iter().map(|&i| TableCell::from(title_of(i)))).style(theme.column_header);

    if state.view.is_empty() {
        let text = match state.filter_error() {
            _ if state.rows.is_empty() => empty.to_string(),
            Some(e) => format!("/{} is not a regular expression: {e}", state.filter),
            None => format!("no row matches /{}", state.filter),
        };
        // One row per line: a failure and what to do about it are two.
        let lines = text.lines().map(|l| TableRow::new(vec![TableCell::from(Span::styled(l.to_string(), theme.dim))]));
        let table = Table::new(lines.collect::<Vec<_>>(), [Constraint::Percentage(100)]).header(header).block(block);
        frame.render_widget(table, area);
        return;
    }

    let wanted: Vec<u16> = shown.iter().map(|&i| wanted[i]).collect();
    let mins: Vec<u16> = shown.iter().map(|&i| state.columns[i].min).collect();
    let spacing = shown.len().saturating_sub(1) as u16;
    let widths = fit_widths(&wanted, &mins, room.saturating_sub(spacing));
    let header = TableRow::new(
        shown
            .iter()
            .zip(&widths)
            .map(|(&i, &w)| TableCell::from(Line::from(fit_spans(vec![Span::raw(title_of(i))], usize::from(w))))),
    )
    .style(theme.column_header);

    let visible = state.view.iter().enumerate().skip(offset).take(inner_height.max(1));
    let rows: Vec<TableRow> = MATCHER.with(|m| {
        let mut matcher = m.borrow_mut();
        visible
            .map(|(pos, &i)| {
                let row = live(&state.rows[i]);
                let row = row.as_ref();
                let marked = state.marks.contains(&row.key);
                let cells = shown.iter().zip(&widths).map(|(&c, &width)| {
                    let text = row.cells.get(c).map_or("", String::as_str);
                    let tone = row.tones.iter().find(|(col, _)| *col == c).map(|(_, t)| theme.tone(*t));
                    let base = tone.unwrap_or(theme.base);
                    let prefix = if c == shown[0] && marked { "● " } else { "" };
                    let mut spans = Vec::new();
                    if !prefix.is_empty() {
                        spans.push(Span::styled(prefix, theme.marked));
                    }
                    spans.extend(highlight(text, state.query.as_ref(), &mut matcher, base, theme.matched));
                    TableCell::from(Line::from(fit_spans(spans, usize::from(width))))
                });
                let style = if pos == state.selected { theme.selected } else { Style::default() };
                TableRow::new(cells).style(style)
            })
            .collect()
    });
    let widths: Vec<Constraint> = widths.into_iter().map(Constraint::Length).collect();
    frame.render_widget(Table::new(rows, widths).header(header).block(block).column_spacing(1), area);
}

/// Splits `text` into spans with what the filter matched highlighted.
fn highlight(
    text: &str,
    query: Option<&Query>,
    matcher: &mut Matcher,
    base: Style,
    matched: Style,
) -> Vec<Span<'static>> {
    match query {
        Some(Query::Fuzzy(p)) => highlight_fuzzy(text, p, matcher, base, matched),
        Some(Query::Exact(re) | Query::Regex(re)) => {
            let mut spans = Vec::new();
            let mut at = 0;
            for m in re.find_iter(text).filter(|m| !m.is_empty()) {
                if m.start() > at {
                    spans.push(Span::styled(text[at..m.start()].to_string(), base));
                }
                spans.push(Span::styled(m.as_str().to_string(), matched));
                at = m.end();
            }
            if at < text.len() || spans.is_empty() {
                spans.push(Span::styled(text[at..].to_string(), base));
            }
            spans
        }
        _ => vec![Span::styled(text.to_string(), base)],
    }
}

/// Splits `text` into spans with the characters the fuzzy filter matched highlighted.
fn highlight_fuzzy(
    text: &str,
    pattern: &Pattern,
    matcher: &mut Matcher,
    base: Style,
    matched: Style,
) -> Vec<Span<'static>> {
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

    fn shown(t: &TableState) -> Vec<&str> {
        t.view.iter().map(|&i| t.rows[i].key.as_str()).collect()
    }

    #[test]
    fn filter_forms_inverse_exact_and_regex() {
        let ids: Vec<String> = (0..600).map(|i| format!("ws-{i:04}")).collect();
        let names: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut t = table(&names);
        t.set_filter("w09");
        assert!(t.len() > 1, "fuzzy stays the default");
        t.set_filter("=ws-0499");
        assert_eq!(shown(&t), ["ws-0499"]);
        t.set_filter("\"ws-0499\"");
        assert_eq!(shown(&t), ["ws-0499"]);
        t.set_filter("~^ws-059[0-2]$");
        assert_eq!(shown(&t), ["ws-0590", "ws-0591", "ws-0592"]);
        t.set_filter("!ws-05");
        assert_eq!(t.len(), 500);
        assert!(shown(&t).iter().all(|k| !k.starts_with("ws-05")));
        t.set_filter("~ws-(");
        assert_eq!(t.len(), 0);
        assert!(t.filter_error().is_some(), "a broken regex says why");
        t.set_filter("=WS");
        assert_eq!(t.len(), 0, "upper case makes it case-sensitive");
    }

    #[test]
    fn exact_narrowing_agrees_with_a_fresh_filter() {
        let names = ["analytics-prod", "etl-staging", "analytics-dev", "prod-ingest"];
        let mut typed = table(&names);
        for f in ["=", "=a", "=an", "=ana", "=an", "=", "!", "!a", "~", "~a.", ""] {
            typed.set_filter(f);
            let mut fresh = table(&names);
            fresh.set_filter(f);
            assert_eq!(typed.view, fresh.view, "filter {f:?}");
        }
    }

    #[test]
    fn selection_stays_on_its_row_after_a_sort() {
        let mut t = table(&["b", "c", "a"]);
        t.down(1);
        assert_eq!(t.selected_key(), Some("c"));
        t.sort_next(1);
        assert_eq!(t.selected_key(), Some("c"));
        t.sort_reverse();
        assert_eq!(t.selected_key(), Some("c"));
    }

    #[test]
    fn marks_by_range_all_and_cleared() {
        let mut t = table(&["a", "b", "c", "d", "e"]);
        t.down(1);
        t.on_mark(Action::Mark);
        t.down(2);
        assert_eq!(t.selected_key(), Some("e"));
        t.on_mark(Action::MarkRange);
        let mut marked: Vec<&String> = t.marks.iter().collect();
        marked.sort();
        assert_eq!(marked, ["b", "c", "d", "e"]);
        t.on_mark(Action::Unmark);
        assert!(t.marks.is_empty());
        t.set_filter("!c");
        t.on_mark(Action::MarkAll);
        assert_eq!(t.marks.len(), 4, "every row shown, not the hidden ones");
    }

    #[test]
    fn widths_follow_content_and_the_widest_give_way() {
        assert_eq!(fit_widths(&[10, 4, 60], &[8, 4, 20], 100), [10, 4, 60], "room for all: as wanted");
        assert_eq!(fit_widths(&[10, 4, 60], &[8, 4, 20], 40), [10, 4, 26], "the widest gives way first");
        assert_eq!(fit_widths(&[30, 30], &[8, 8], 41), [21, 20]);
        let cut = fit_widths(&[30, 30, 30], &[20, 20, 20], 30);
        assert!(cut.iter().sum::<u16>() <= 30, "{cut:?}");
    }

    #[test]
    fn a_cut_cell_ends_in_an_ellipsis() {
        let spans = fit_spans(vec![Span::raw("svc-1a7ea084.example.com")], 10);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "svc-1a7ea…");
        let spans = fit_spans(vec![Span::raw("short")], 10);
        assert_eq!(spans.len(), 1);
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
