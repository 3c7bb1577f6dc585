//! The `:` command palette: type a command, `tab` completes, `enter` runs.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::theme::Theme;

/// A command: its name, other names it answers to, and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub help: &'static str,
}

impl Command {
    fn names(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub input: String,
    commands: &'static [Command],
    /// Profile names, completed and listed after `:profile `.
    profiles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteOutcome {
    Stay,
    Cancel,
    /// The command (its canonical name) and its arguments.
    Run {
        command: &'static str,
        args: Vec<String>,
    },
    Unknown(String),
}

impl Palette {
    pub fn new(commands: &'static [Command]) -> Self {
        Self { input: String::new(), commands, profiles: Vec::new() }
    }

    /// Knows the profiles, for `:profile ` + tab and the list under it.
    pub fn with_profiles(mut self, profiles: Vec<String>) -> Self {
        self.profiles = profiles;
        self
    }

    /// While typing `:profile NAME`: the profiles that start with what is typed of the name.
    pub fn profile_suggestions(&self) -> Option<Vec<&str>> {
        let (word, rest) = self.input.split_once(' ')?;
        if self.resolve(word)?.name != "profile" {
            return None;
        }
        let typed = rest.trim_start();
        Some(self.profiles.iter().map(String::as_str).filter(|p| p.starts_with(typed)).collect())
    }

    /// Commands whose name or an alias starts with what is typed so far; those whose own name
    /// does come first (`:w` offers workspaces before groups, whose alias is `wg`).
    pub fn suggestions(&self) -> Vec<&'static Command> {
        let word = self.input.split_whitespace().next().unwrap_or("");
        let mut hits: Vec<&'static Command> =
            self.commands.iter().filter(|c| c.names().any(|n| n.starts_with(word))).collect();
        hits.sort_by_key(|c| !c.name.starts_with(word));
        hits
    }

    /// Resolves a command word (name or alias) to its command.
    pub fn resolve(&self, word: &str) -> Option<&'static Command> {
        self.commands.iter().find(|c| c.names().any(|n| n == word))
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PaletteOutcome {
        if super::edit_line(&mut self.input, &key) {
            return PaletteOutcome::Stay;
        }
        match key.code {
            KeyCode::Esc => PaletteOutcome::Cancel,
            KeyCode::Backspace => {
                if self.input.pop().is_none() {
                    return PaletteOutcome::Cancel;
                }
                PaletteOutcome::Stay
            }
            KeyCode::Tab => {
                if let Some(names) = self.profile_suggestions() {
                    let common = common_prefix(&names);
                    if let Some(word) = self.input.split_whitespace().next().map(str::to_string) {
                        let done = if names.len() == 1 { " " } else { "" };
                        if !common.is_empty() {
                            self.input = format!("{word} {common}{done}");
                        }
                    }
                } else if !self.input.contains(' ')
                    && let Some(first) = self.suggestions().first()
                {
                    let word = self.input.clone();
                    let name = first.names().find(|n| n.starts_with(&word)).unwrap_or(first.name);
                    self.input = format!("{name} ");
                }
                PaletteOutcome::Stay
            }
            KeyCode::Enter => {
                let mut words = self.input.split_whitespace();
                let Some(word) = words.next() else { return PaletteOutcome::Cancel };
                match self.resolve(word) {
                    Some(c) => PaletteOutcome::Run { command: c.name, args: words.map(str::to_string).collect() },
                    None => PaletteOutcome::Unknown(word.to_string()),
                }
            }
            KeyCode::Char(c) => {
                self.input.push(c);
                PaletteOutcome::Stay
            }
            _ => PaletteOutcome::Stay,
        }
    }
}

/// The longest start all of `names` share.
fn common_prefix(names: &[&str]) -> String {
    let mut prefix = String::new();
    for c in names.first().map_or("", |n| *n).chars() {
        let next = format!("{prefix}{c}");
        if !names.iter().all(|n| n.starts_with(&next)) {
            break;
        }
        prefix = next;
    }
    prefix
}

/// Draws the input line at the top of `area` with suggestions under it.
pub fn render(frame: &mut Frame, area: Rect, palette: &Palette, theme: &Theme) {
    let suggestions = palette.suggestions();
    let profiles = palette.profile_suggestions();
    let rows = profiles.as_ref().map_or(suggestions.len(), |p| p.len().max(1));
    let height = (rows.min(8) as u16 + 3).min(area.height);
    let width = area.width.clamp(30, 70).min(area.width);
    let rect = Rect { x: area.x + (area.width - width) / 2, y: area.y + 1, width, height };
    frame.render_widget(Clear, rect);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.key),
        Span::styled(format!("{}▏", palette.input), theme.selected),
    ])];
    if let Some(names) = profiles {
        if names.is_empty() {
            lines.push(Line::styled("no profile starts with that (see `s2tui paths` for the config file)", theme.dim));
        }
        lines.extend(names.iter().take(8).map(|n| Line::styled(n.to_string(), theme.key)));
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.title)
                    .title(Span::styled(" profiles (tab completes) ", theme.title)),
            ),
            rect,
        );
        return;
    }
    let shown: Vec<&Command> = suggestions.iter().take(8).copied().collect();
    let aliases =
        |c: &Command| if c.aliases.is_empty() { String::new() } else { format!(" ({})", c.aliases.join(", ")) };
    // Names and aliases in one column so the descriptions line up.
    let column = shown.iter().map(|c| c.name.chars().count() + aliases(c).chars().count()).max().unwrap_or(0);
    for c in shown {
        let a = aliases(c);
        let pad = column - c.name.chars().count() - a.chars().count();
        lines.push(Line::from(vec![
            Span::styled(c.name, theme.key),
            Span::styled(a, theme.dim),
            Span::raw(" ".repeat(pad + 2)),
            Span::raw(c.help),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.title)
                .title(Span::styled(" command (tab completes) ", theme.title)),
        ),
        rect,
    );
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crossterm::event::KeyModifiers;

    const CMDS: &[Command] = &[
        Command { name: "workspaces", aliases: &["ws"], help: "" },
        Command { name: "groups", aliases: &["wg"], help: "" },
        Command { name: "quit", aliases: &["q"], help: "" },
    ];

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn profile_names_complete_and_list() {
        const WITH_PROFILE: &[Command] = &[Command { name: "profile", aliases: &["ctx"], help: "" }];
        let mut p =
            Palette::new(WITH_PROFILE).with_profiles(vec!["prod-eu".into(), "prod-us".into(), "staging".into()]);
        for c in "profile ".chars() {
            p.handle_key(k(KeyCode::Char(c)));
        }
        assert_eq!(p.profile_suggestions().unwrap(), ["prod-eu", "prod-us", "staging"], "the list shows them all");
        p.handle_key(k(KeyCode::Char('p')));
        p.handle_key(k(KeyCode::Tab));
        assert_eq!(p.input, "profile prod-", "tab completes what the names share");
        p.handle_key(k(KeyCode::Char('u')));
        p.handle_key(k(KeyCode::Tab));
        assert_eq!(p.input, "profile prod-us ");
        assert_eq!(
            p.handle_key(k(KeyCode::Enter)),
            PaletteOutcome::Run { command: "profile", args: vec!["prod-us".into()] }
        );
        let mut p = Palette::new(WITH_PROFILE).with_profiles(vec!["staging".into()]);
        for c in "ctx s".chars() {
            p.handle_key(k(KeyCode::Char(c)));
        }
        p.handle_key(k(KeyCode::Tab));
        assert_eq!(p.input, "ctx staging ", "the alias completes too");
    }

    #[test]
    fn aliases_and_completion() {
        let mut p = Palette::new(CMDS);
        p.handle_key(k(KeyCode::Char('w')));
        p.handle_key(k(KeyCode::Char('o')));
        p.handle_key(k(KeyCode::Tab));
        assert_eq!(p.input, "workspaces ");
        assert_eq!(p.handle_key(k(KeyCode::Enter)), PaletteOutcome::Run { command: "workspaces", args: vec![] });
        let mut p = Palette::new(CMDS);
        p.handle_key(k(KeyCode::Char('w')));
        p.handle_key(k(KeyCode::Char('g')));
        assert_eq!(p.handle_key(k(KeyCode::Enter)), PaletteOutcome::Run { command: "groups", args: vec![] });
        let mut p = Palette::new(CMDS);
        p.handle_key(k(KeyCode::Char('z')));
        assert_eq!(p.handle_key(k(KeyCode::Enter)), PaletteOutcome::Unknown("z".into()));
    }
}
