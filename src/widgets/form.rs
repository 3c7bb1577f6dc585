//! Modal forms: labelled fields (text on ratatui-textarea, choice lists, toggles), tab and
//! shift-tab between them, validation messages under each field, submit refused until valid.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::TextArea;

use super::pick::{Pick, PickOption};
use crate::theme::Theme;

/// Checks a field's text; `Err` is the message shown under the field.
pub type Validator = fn(&str) -> Result<(), String>;

/// Checks fields against each other (e.g. an interval that only a recurring schedule needs);
/// each `(field name, message)` is shown under that field.
pub type CrossCheck = fn(&Form) -> Vec<(&'static str, String)>;

/// The key that shows or hides the characters of a masked field.
pub const REVEAL_KEY: KeyCode = KeyCode::F(2);

// A form holds a handful of fields; their size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum FieldKind {
    Text {
        input: TextArea<'static>,
        masked: bool,
    },
    Choice {
        options: Vec<String>,
        selected: usize,
    },
    Toggle(bool),
    /// Typed text narrowing a list; left and right choose among what matches.
    Pick(Pick),
}

pub struct Field {
    /// Stable name the form's owner reads the value by.
    pub name: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub hint: Option<String>,
    pub validate: Option<Validator>,
    pub error: Option<String>,
    /// The value the field opened with, when keeping it needs no check (an edit form: the
    /// object already has it, whatever the rules say now).
    pub original: Option<String>,
}

impl Field {
    pub fn text(name: &'static str, label: impl Into<String>, value: &str) -> Self {
        let mut input = TextArea::new(vec![value.to_string()]);
        input.move_cursor(ratatui_textarea::CursorMove::End);
        input.set_cursor_line_style(Style::default());
        Field {
            name,
            label: label.into(),
            kind: FieldKind::Text { input, masked: false },
            hint: None,
            validate: None,
            error: None,
            original: None,
        }
    }

    /// A text field whose characters are shown as dots (passwords, secret values).
    pub fn masked(name: &'static str, label: impl Into<String>) -> Self {
        let mut f = Self::text(name, label, "");
        if let FieldKind::Text { input, masked } = &mut f.kind {
            input.set_mask_char('•');
            *masked = true;
        }
        f
    }

    pub fn choice(name: &'static str, label: impl Into<String>, options: Vec<String>, selected: usize) -> Self {
        let selected = selected.min(options.len().saturating_sub(1));
        Field {
            name,
            label: label.into(),
            kind: FieldKind::Choice { options, selected },
            hint: None,
            validate: None,
            error: None,
            original: None,
        }
    }

    pub fn toggle(name: &'static str, label: impl Into<String>, on: bool) -> Self {
        Field {
            name,
            label: label.into(),
            kind: FieldKind::Toggle(on),
            hint: None,
            validate: None,
            error: None,
            original: None,
        }
    }

    /// A filterable choice among `options`; text matching none of them is kept as typed.
    pub fn pick(name: &'static str, label: impl Into<String>, options: Vec<PickOption>) -> Self {
        Field {
            name,
            label: label.into(),
            kind: FieldKind::Pick(Pick::new(options)),
            hint: None,
            validate: None,
            error: None,
            original: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn validate(mut self, v: Validator) -> Self {
        self.validate = Some(v);
        self
    }

    /// The value the field has now is accepted as it is; only a changed value is checked.
    pub fn unchanged_ok(mut self) -> Self {
        self.original = Some(self.value());
        self
    }

    /// The field's value as text (a choice's label, a toggle's "true"/"false").
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text { input, .. } => input.lines().join(""),
            FieldKind::Choice { options, selected } => options.get(*selected).cloned().unwrap_or_default(),
            FieldKind::Toggle(on) => on.to_string(),
            FieldKind::Pick(p) => p.value(),
        }
    }

    fn check(&mut self) -> bool {
        let value = self.value();
        self.error = match &self.original {
            Some(original) if *original == value => None,
            _ => self.validate.and_then(|v| v(value.trim()).err()),
        };
        self.error.is_none()
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Keep the form open.
    Editing,
    /// Every field is valid and the user asked to submit.
    Submit,
    Cancel,
}

pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit did not go through (the API's refusal, no answer, or a check before
    /// sending); the form stays open with what was typed.
    pub server_error: Option<String>,
    /// Says where `server_error` came from ("The API refused: "); empty for checks made before sending.
    pub error_prefix: &'static str,
    /// A request is in flight; further submits are ignored.
    pub busy: bool,
    pub cross_check: Option<CrossCheck>,
    /// A line of information under the fields (e.g. what the choice would cost).
    pub note: Option<String>,
    /// The values before the first key, to tell a filled-in form from an untouched one.
    pristine: Option<Vec<String>>,
    /// `esc` was pressed once on a changed form; the next `esc` discards it.
    pub discard_asked: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Self {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            server_error: None,
            error_prefix: "",
            busy: false,
            cross_check: None,
            note: None,
            pristine: None,
            discard_asked: false,
        }
    }

    /// True when a value differs from what the form opened with.
    pub fn is_changed(&self) -> bool {
        self.pristine.as_ref().is_some_and(|before| self.fields.iter().map(Field::value).ne(before.iter().cloned()))
    }

    fn remember_pristine(&mut self) {
        if self.pristine.is_none() {
            self.pristine = Some(self.fields.iter().map(Field::value).collect());
        }
    }

    pub fn with_cross_check(mut self, check: CrossCheck) -> Self {
        self.cross_check = Some(check);
        self
    }

    /// True when the masked field `name` currently shows its characters.
    pub fn is_revealed(&self, name: &str) -> bool {
        self.fields.iter().any(|f| {
            f.name == name && matches!(&f.kind, FieldKind::Text { input, masked: true } if input.mask_char().is_none())
        })
    }

    pub fn value(&self, name: &str) -> String {
        self.fields.iter().find(|f| f.name == name).map(Field::value).unwrap_or_default()
    }

    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    /// Validates every field; true when all pass.
    pub fn validate_all(&mut self) -> bool {
        // Every field is checked (no short-circuit) so every message shows at once.
        let mut ok = true;
        for f in &mut self.fields {
            ok &= f.check();
        }
        if let Some(check) = self.cross_check {
            for (name, message) in check(self) {
                if let Some(f) = self.field_mut(name)
                    && f.error.is_none()
                {
                    f.error = Some(message);
                    ok = false;
                }
            }
        }
        ok
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        self.remember_pristine();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code != KeyCode::Esc {
            self.discard_asked = false;
        }
        match key.code {
            // What was typed is not thrown away by one stray key: a changed form asks once.
            KeyCode::Esc if self.is_changed() && !self.discard_asked && !self.busy => {
                self.discard_asked = true;
                return FormOutcome::Editing;
            }
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Tab | KeyCode::Down => return self.move_focus(1),
            KeyCode::BackTab | KeyCode::Up => return self.move_focus(-1),
            KeyCode::Enter | KeyCode::Char('s') if key.code == KeyCode::Enter || ctrl => {
                if self.busy {
                    return FormOutcome::Editing;
                }
                if self.validate_all() {
                    return FormOutcome::Submit;
                }
                if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
                    self.focus = first;
                }
                return FormOutcome::Editing;
            }
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else { return FormOutcome::Editing };
        let mut changed = false;
        match &mut field.kind {
            FieldKind::Text { input, masked: true } if key.code == REVEAL_KEY => {
                if input.mask_char().is_some() {
                    input.clear_mask_char();
                } else {
                    input.set_mask_char('•');
                }
            }
            FieldKind::Text { input, .. } => {
                let before = input.lines().join("");
                readline(input, key);
                if field.error.is_some() {
                    field.check();
                }
                changed = field.value() != before;
            }
            FieldKind::Choice { options, selected } => match key.code {
                KeyCode::Left | KeyCode::Char('h') => *selected = selected.saturating_sub(1),
                KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                    *selected = (*selected + 1).min(options.len().saturating_sub(1))
                }
                _ => {}
            },
            FieldKind::Toggle(on) => {
                if matches!(key.code, KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right) {
                    *on = !*on;
                }
            }
            FieldKind::Pick(p) => {
                let before = p.value();
                changed = p.handle_key(key);
                if field.error.is_some() {
                    field.check();
                }
                changed |= field.value() != before;
            }
        }
        // A refusal was about what was there before; once it changes the message is stale.
        if changed && !self.busy {
            self.server_error = None;
        }
        FormOutcome::Editing
    }

    /// Pasted text goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        self.remember_pristine();
        self.discard_asked = false;
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text { input, .. }) => {
                input.insert_str(text.replace(['\n', '\r'], ""));
            }
            Some(FieldKind::Pick(p)) => p.paste(text),
            _ => {}
        }
    }

    fn move_focus(&mut self, step: isize) -> FormOutcome {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.check();
        }
        let n = self.fields.len() as isize;
        if n > 0 {
            self.focus = (self.focus as isize + step).rem_euclid(n) as usize;
        }
        FormOutcome::Editing
    }
}

/// Edits a one-line input the way shells do (readline): `ctrl-u` deletes to the start, `ctrl-k`
/// to the end, `ctrl-w`/`alt-backspace` a word, `ctrl-a`/`ctrl-e` and `alt-b`/`alt-f` move;
/// undo is `ctrl-z` or `ctrl-_`. Everything else is the text area's own editing.
pub fn readline(input: &mut TextArea<'static>, key: KeyEvent) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => {
            input.delete_line_by_head();
        }
        // Terminals send ctrl-_ as the byte that reads back as ctrl-7.
        KeyCode::Char('z' | '_' | '7') if ctrl => {
            input.undo();
        }
        // Not one-line editing: a page scroll, a cut of a selection, a newline.
        KeyCode::Char('v' | 'x' | 'j' | 'm') if ctrl => {}
        _ => {
            input.input(key);
        }
    }
}

/// The API's refusal keeps a blank line under it when it is short.
fn server_rows(lines: &[String]) -> u16 {
    (lines.len() as u16).max(2)
}

/// The message under a field: its error, else its hint.
fn field_note(field: &Field) -> Option<(String, bool)> {
    match (&field.error, &field.hint, &field.kind) {
        (Some(e), _, _) => Some((format!("✗ {e}"), true)),
        // A pick says what is chosen, falling back to its hint.
        (None, hint, FieldKind::Pick(p)) => p.describe(hint.as_deref()).map(|d| (d, false)),
        (None, Some(h), _) => Some((h.clone(), false)),
        _ => None,
    }
}

/// A one-line input, its cursor shown only when it has the focus.
fn draw_input(frame: &mut Frame, area: Rect, input: &TextArea<'static>, focused: bool, theme: &Theme) {
    let mut input = input.clone();
    input.set_style(if focused { theme.selected } else { theme.dim });
    if !focused {
        input.set_cursor_style(Style::default());
    }
    frame.render_widget(&input, area);
}

/// The fields `[start, end)` shown when only `room` of `n` fit: all of them when they fit,
/// else a run that keeps the focused field in view, centred on it where it can be.
fn window(n: usize, focus: usize, room: usize) -> (usize, usize) {
    if n <= room {
        return (0, n);
    }
    let start = focus.saturating_sub(room / 2).min(n - room);
    (start, start + room)
}

/// Draws the form centred in `area`.
pub fn render(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let width = area.width.clamp(40, 76).min(area.width);
    let inner_width = width.saturating_sub(2);
    let label_width = form.fields.iter().map(|f| f.label.chars().count()).max().unwrap_or(0) as u16 + 2;
    let value_width = usize::from(inner_width.saturating_sub(label_width)).max(1);
    // Hints and errors wrap under their field; a hint keeps its rows when the field loses focus
    // so the form does not jump as focus moves.
    let notes: Vec<Vec<String>> = form
        .fields
        .iter()
        .map(|f| field_note(f).map(|(text, _)| super::wrap(&text, value_width)).unwrap_or_default())
        .collect();
    let server_error = form
        .server_error
        .as_ref()
        .map(|err| super::wrap(&format!("✗ {}{err}", form.error_prefix), usize::from(inner_width).max(1)));
    let note = form.note.as_ref().map(|n| super::wrap(n, usize::from(inner_width).max(1)));
    let lines = |v: &Option<Vec<String>>| v.as_ref().map_or(0, |l| l.len() as u16);
    let extra = 3 + server_error.as_ref().map_or(0, |l| server_rows(l)) + lines(&note) + 2;
    let full: u16 = notes.iter().map(|n| 1 + n.len().max(1) as u16).sum();
    // A form taller than the screen gives each field one row, its message beside the value.
    let compact = full + extra > area.height;
    let field_rows: Vec<u16> = notes.iter().map(|n| if compact { 1 } else { 1 + n.len().max(1) as u16 }).collect();
    // Still taller than the screen: the fields scroll, the focused one always shown.
    let (start, end) = window(form.fields.len(), form.focus, usize::from(area.height.saturating_sub(extra)).max(1));
    let shown_rows = &field_rows[start..end];
    let height = (shown_rows.iter().sum::<u16>() + extra).min(area.height);
    let rect = super::centered(area, width, height);
    frame.render_widget(Clear, rect);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title)
        .title(Span::styled(format!(" {} ", form.title), theme.title));
    if end - start < form.fields.len() {
        let which = format!(" fields {}–{} of {} ", start + 1, end, form.fields.len());
        block = block.title_bottom(Line::from(Span::styled(which, theme.title)).right_aligned());
    }
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    let mut constraints: Vec<Constraint> = shown_rows.iter().map(|&h| Constraint::Length(h)).collect();
    if let Some(lines) = &server_error {
        constraints.push(Constraint::Length(server_rows(lines)));
    }
    if let Some(lines) = &note {
        constraints.push(Constraint::Length(lines.len() as u16));
    }
    constraints.push(Constraint::Min(0));
    constraints.push(Constraint::Length(1));
    let rows = Layout::vertical(constraints).split(inner);

    for (i, field) in form.fields.iter().enumerate().take(end).skip(start) {
        let focused = i == form.focus;
        let [label_area, value_area] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Min(1)]).areas(rows[i - start]);
        let style = match field_note(field) {
            Some((_, true)) => theme.error,
            Some((_, false)) if focused => theme.dim,
            _ => Style::default(),
        };
        // What a pick has chosen shows even when another field has the focus.
        let shown = field.error.is_some() || focused || matches!(field.kind, FieldKind::Pick(_));
        let note_text: Vec<Line> =
            if shown { notes[i].iter().map(|l| Line::styled(l.clone(), style)).collect() } else { Vec::new() };
        let [value_line, note_area] = if compact {
            let width = (notes[i].first().map_or(0, |l| unicode_width::UnicodeWidthStr::width(l.as_str())) as u16 + 1)
                .min(value_area.width / 2);
            Layout::horizontal([Constraint::Min(1), Constraint::Length(width)]).areas(value_area)
        } else {
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(value_area)
        };
        let label_style = if focused { theme.key } else { theme.base };
        frame.render_widget(Paragraph::new(Span::styled(format!("{}:", field.label), label_style)), label_area);
        match &field.kind {
            FieldKind::Text { input, .. } => draw_input(frame, value_line, input, focused, theme),
            FieldKind::Choice { options, selected } => {
                let text = options.get(*selected).map_or("", String::as_str);
                let arrows = if focused { format!("◀ {text} ▶") } else { text.to_string() };
                let style = if focused { theme.selected } else { theme.base };
                frame.render_widget(Paragraph::new(Span::styled(arrows, style)), value_line);
            }
            FieldKind::Pick(p) => draw_input(frame, value_line, &p.input, focused, theme),
            FieldKind::Toggle(on) => {
                let text = if *on { "[x] yes" } else { "[ ] no" };
                let style = if focused { theme.selected } else { theme.base };
                frame.render_widget(Paragraph::new(Span::styled(text, style)), value_line);
            }
        }
        frame.render_widget(Paragraph::new(note_text), note_area);
    }
    let mut next = end - start;
    if let Some(lines) = &server_error {
        let text: Vec<Line> = lines.iter().map(|l| Line::styled(l.clone(), theme.error)).collect();
        frame.render_widget(Paragraph::new(text), rows[next]);
        next += 1;
    }
    if let Some(lines) = &note {
        let text: Vec<Line> = lines.iter().map(|l| Line::styled(l.clone(), theme.warn)).collect();
        frame.render_widget(Paragraph::new(text), rows[next]);
    }
    let masked_focus =
        form.fields.get(form.focus).is_some_and(|f| matches!(f.kind, FieldKind::Text { masked: true, .. }));
    let footer = if form.busy {
        Line::from(Span::styled("sending…", theme.warn))
    } else if form.discard_asked {
        Line::from(vec![
            Span::styled("Discard what you typed? ", theme.warn),
            Span::styled("esc", theme.key),
            Span::raw(" discard  "),
            Span::styled("any other key", theme.key),
            Span::raw(" keep editing"),
        ])
    } else if masked_focus {
        Line::from(vec![
            Span::styled("F2", theme.key),
            Span::raw(" show/hide  "),
            Span::styled("tab", theme.key),
            Span::raw(" next  "),
            Span::styled("enter", theme.key),
            Span::raw(" submit  "),
            Span::styled("esc", theme.key),
            Span::raw(" cancel"),
        ])
    } else {
        Line::from(vec![
            Span::styled("tab", theme.key),
            Span::raw(" next  "),
            Span::styled("←/→", theme.key),
            Span::raw(" choose  "),
            Span::styled("enter", theme.key),
            Span::raw(" submit  "),
            Span::styled("esc", theme.key),
            Span::raw(" cancel"),
        ])
    };
    if let Some(last) = rows.last() {
        frame.render_widget(Paragraph::new(footer), *last);
    }
}

// ───────────────────────── validators shared by forms ─────────────────────────

pub fn required(s: &str) -> Result<(), String> {
    if s.is_empty() { Err("required".into()) } else { Ok(()) }
}

/// Names of workspace groups: what the API refuses is an empty name or one over 50 characters.
pub fn group_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("required".into());
    }
    if s.chars().count() > 50 {
        return Err("at most 50 characters".into());
    }
    Ok(())
}

/// An expiry as the API takes it: durations in days (`7d`, which the API does not know) become
/// hours (`168h`); everything else is sent as typed.
pub fn expiry_for_api(s: &str) -> String {
    match go_duration(s) {
        Some(secs) if s.contains('d') => {
            let (h, m, sec) = (secs / 3600, secs % 3600 / 60, secs % 60);
            let mut out = String::new();
            for (n, unit) in [(h, 'h'), (m, 'm'), (sec, 's')] {
                if n > 0 {
                    out.push_str(&format!("{n}{unit}"));
                }
            }
            if out.is_empty() { "0s".to_string() } else { out }
        }
        _ => s.to_string(),
    }
}

/// Names of workspaces: letters, digits and dashes, starting with a letter.
pub fn resource_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("required".into());
    }
    if s.len() > 64 {
        return Err("at most 64 characters".into());
    }
    if !s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("only letters, digits, '-' and '_'".into());
    }
    Ok(())
}

/// One IPv4/IPv6 address or CIDR range, e.g. `10.0.0.0/8`.
pub fn cidr(s: &str) -> Result<(), String> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip: std::net::IpAddr = addr.parse().map_err(|_| format!("{s:?} is not an IP address or CIDR range"))?;
    if let Some(p) = prefix {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        match p.parse::<u8>() {
            Ok(n) if n <= max => {}
            _ => return Err(format!("{s:?}: the prefix length must be 0–{max}")),
        }
    }
    Ok(())
}

/// A comma-separated list of CIDR ranges; empty allowed.
pub fn cidr_list(s: &str) -> Result<(), String> {
    split_list(s).try_for_each(cidr)
}

pub fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty())
}

/// Empty, an RFC3339 time, a date, or a duration like `3h30m` / `7d`.
pub fn expiry(s: &str) -> Result<(), String> {
    if s.is_empty()
        || chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || go_duration(s).is_some()
    {
        Ok(())
    } else {
        Err("a time (2026-12-31T00:00:00Z), a date (2026-12-31) or a duration (3h30m, 7d)".into())
    }
}

/// Parses `3h30m`, `90m`, `7d` into seconds.
pub fn go_duration(s: &str) -> Option<u64> {
    let mut total = 0u64;
    let mut num = String::new();
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().ok()?;
        num.clear();
        let unit = match c {
            'd' => 86_400,
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        // Pasted digits can be any length: too large a duration is not a duration.
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    (any && num.is_empty()).then_some(total)
}

/// A whole number of seconds ≥ 60, or empty.
pub fn seconds(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    match s.parse::<u64>() {
        Ok(n) if n >= 60 => Ok(()),
        Ok(_) => Err("at least 60 seconds".into()),
        Err(_) => Err("a whole number of seconds".into()),
    }
}

/// Empty, or an admin password the API accepts: ≥ 14 characters with upper, lower, digit, symbol.
pub fn admin_password(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let ok = s.chars().count() >= 14
        && s.chars().any(|c| c.is_ascii_uppercase())
        && s.chars().any(|c| c.is_ascii_lowercase())
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().any(|c| !c.is_ascii_alphanumeric());
    if ok { Ok(()) } else { Err("at least 14 characters with upper and lower case, a digit and a symbol".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn submit_is_refused_until_valid() {
        let mut form = Form::new("t", vec![Field::text("name", "Name", "").validate(resource_name)]);
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Editing);
        assert_eq!(form.fields[0].error.as_deref(), Some("required"));
        for c in "etl-1".chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(form.fields[0].error, None, "the message clears as soon as the value is valid");
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Submit);
        assert_eq!(form.value("name"), "etl-1");
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn alt(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::ALT)
    }

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.handle_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn text_fields_edit_like_readline() {
        let mut form = Form::new("t", vec![Field::text("path", "Path", ".")]);
        form.handle_key(ctrl('u'));
        typed(&mut form, "/data/in");
        assert_eq!(form.value("path"), "/data/in", "ctrl-u clears to the start, it is not undo");
        form.handle_key(ctrl('w'));
        assert_eq!(form.value("path"), "/data/");
        typed(&mut form, "x y");
        form.handle_key(alt(KeyCode::Backspace));
        assert_eq!(form.value("path"), "/data/x ");
        form.handle_key(ctrl('a'));
        typed(&mut form, "#");
        form.handle_key(ctrl('e'));
        typed(&mut form, "!");
        assert_eq!(form.value("path"), "#/data/x !");
        form.handle_key(alt(KeyCode::Char('b')));
        form.handle_key(alt(KeyCode::Char('b')));
        form.handle_key(ctrl('k'));
        assert_eq!(form.value("path"), "#/data/");
        form.handle_key(ctrl('z'));
        assert_eq!(form.value("path"), "#/data/x !", "ctrl-z undoes");
        form.handle_key(ctrl('a'));
        form.handle_key(alt(KeyCode::Char('f')));
        form.handle_key(ctrl('k'));
        assert_eq!(form.value("path"), "#/", "alt-f moves by word");
        form.handle_key(ctrl('_'));
        assert_eq!(form.value("path"), "#/data/x !", "ctrl-_ undoes too");
    }

    #[test]
    fn esc_on_a_changed_form_asks_once() {
        let mut form = Form::new("t", vec![Field::text("name", "Name", "etl")]);
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel, "an untouched form closes at once");
        let mut form = Form::new("t", vec![Field::text("name", "Name", "etl")]);
        typed(&mut form, "-2");
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Editing);
        assert!(form.discard_asked);
        typed(&mut form, "x");
        assert!(!form.discard_asked, "another key keeps editing");
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Editing);
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
        // Typing the value back as it was is not a change.
        let mut form = Form::new("t", vec![Field::text("name", "Name", "etl")]);
        typed(&mut form, "x");
        form.handle_key(key(KeyCode::Backspace));
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn hints_and_errors_wrap_instead_of_being_cut() {
        use ratatui::{Terminal, backend::TestBackend};
        let hint = "empty (SingleStore picks the first region that offers this cloud), or a name from the list";
        let mut form = Form::new("t", vec![Field::text("region", "Region", "").hint(hint)]);
        form.server_error = Some("this name is taken by an existing file in the folder".into());
        let mut terminal = Terminal::new(TestBackend::new(50, 20)).expect("terminal");
        terminal.draw(|f| render(f, f.area(), &form, &Theme::default())).expect("draw");
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .chunks(50)
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>())
            .map(|row| row.trim_matches(|c| c == '│' || c == ' ').to_string())
            .collect::<Vec<_>>()
            .join(" ");
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>().join(" ");
        assert!(words(&screen).contains(&words(hint)), "{screen}");
        assert!(words(&screen).contains("an existing file in the folder"), "{screen}");
    }

    #[test]
    fn a_form_taller_than_the_screen_scrolls_to_the_focused_field() {
        use ratatui::{Terminal, backend::TestBackend};
        const NAMES: [&str; 30] = [
            "f00", "f01", "f02", "f03", "f04", "f05", "f06", "f07", "f08", "f09", "f10", "f11", "f12", "f13", "f14",
            "f15", "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29",
        ];
        let fields = NAMES.iter().map(|n| Field::toggle(n, format!("Permission {n}"), false)).collect();
        let mut form = Form::new("Many", fields);
        let draw = |form: &Form| {
            let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
            terminal.draw(|f| render(f, f.area(), form, &Theme::default())).expect("draw");
            let cells = terminal.backend().buffer().content().to_vec();
            cells.chunks(80).map(|row| row.iter().map(|c| c.symbol()).collect::<String>()).collect::<Vec<_>>()
        };
        let screen = draw(&form);
        let labels = |screen: &[String]| -> Vec<String> {
            let found = NAMES.iter().filter(|n| screen.iter().any(|r| r.contains(&format!("Permission {n}:"))));
            found.map(|n| n.to_string()).collect()
        };
        // A run of fields from the first, none skipped, the footer kept, the title saying which.
        let shown = labels(&screen);
        assert_eq!(shown, NAMES[..shown.len()].to_vec(), "{screen:#?}");
        assert!(shown.len() >= 10, "{screen:#?}");
        assert!(screen.iter().any(|r| r.contains(&format!("fields 1–{} of 30", shown.len()))), "{screen:#?}");
        assert!(screen.iter().any(|r| r.contains("enter submit")), "{screen:#?}");
        for _ in 0..29 {
            form.handle_key(key(KeyCode::Tab));
        }
        let screen = draw(&form);
        let shown = labels(&screen);
        assert_eq!(shown.last().map(String::as_str), Some("f29"), "the focused last field is shown: {screen:#?}");
        assert_eq!(shown, NAMES[30 - shown.len()..].to_vec(), "{screen:#?}");
    }

    #[test]
    fn the_window_keeps_the_focus_in_view() {
        assert_eq!(window(5, 4, 10), (0, 5), "all fit");
        assert_eq!(window(30, 0, 10), (0, 10));
        assert_eq!(window(30, 15, 10), (10, 20));
        assert_eq!(window(30, 29, 10), (20, 30));
    }

    #[test]
    fn choices_move_with_arrows_and_esc_cancels() {
        let mut form = Form::new("t", vec![Field::choice("size", "Size", vec!["S-00".into(), "S-0".into()], 0)]);
        form.handle_key(key(KeyCode::Right));
        assert_eq!(form.value("size"), "S-0");
        form.handle_key(key(KeyCode::Right));
        assert_eq!(form.value("size"), "S-0");
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Editing, "a changed form asks first");
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn validators() {
        assert!(cidr("10.0.0.0/8").is_ok());
        assert!(cidr("192.168.0.1").is_ok());
        assert!(cidr("::1/128").is_ok());
        assert!(cidr("10.0.0.0/33").is_err());
        assert!(cidr("10.0.0/8").is_err());
        assert!(cidr_list("10.0.0.0/8, 1.2.3.4/32").is_ok());
        assert!(cidr_list("10.0.0.0/8, nope").is_err());
        assert_eq!(go_duration("3h30m"), Some(12_600));
        assert_eq!(go_duration("7d"), Some(604_800));
        assert_eq!(go_duration("3x"), None);
        assert!(expiry("2026-12-31").is_ok());
        assert!(expiry("tomorrow").is_err());
        assert!(resource_name("1abc").is_err());
        assert!(resource_name("analytics-prod").is_ok());
        assert!(admin_password("short").is_err());
        assert!(admin_password("Long-enough-pw-1").is_ok());
        assert!(seconds("30").is_err());
        assert!(seconds("3600").is_ok());
    }
}
