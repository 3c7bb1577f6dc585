//! Semantic styles. Views ask for "the style of a SUSPENDED state", never for a colour, so a
//! theme (or `NO_COLOR`) changes everything in one place. States are always written out as text
//! too, so nothing depends on hue alone.

use ratatui::style::{Color, Modifier, Style};

/// How a state reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Busy,
    Idle,
    Bad,
    Gone,
    Neutral,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub color: bool,
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub header_bar: Style,
    pub demo_badge: Style,
    pub read_only_badge: Style,
    pub selected: Style,
    pub marked: Style,
    pub matched: Style,
    pub column_header: Style,
    pub key: Style,
    pub error: Style,
    pub ok: Style,
    pub warn: Style,
    pub border: Style,
    pub json_key: Style,
    pub json_string: Style,
    pub json_number: Style,
    pub json_literal: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self::dark()
    }
}

impl Theme {
    pub fn dark() -> Self {
        Theme {
            color: true,
            base: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header_bar: Style::default().fg(Color::White).bg(Color::Rgb(30, 40, 60)),
            demo_badge: Style::default().fg(Color::Black).bg(Color::Magenta).add_modifier(Modifier::BOLD),
            read_only_badge: Style::default().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
            selected: Style::default().bg(Color::Rgb(40, 60, 90)).add_modifier(Modifier::BOLD),
            marked: Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            matched: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            column_header: Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            key: Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::default().fg(Color::Green),
            warn: Style::default().fg(Color::Yellow),
            border: Style::default().fg(Color::DarkGray),
            json_key: Style::default().fg(Color::Cyan),
            json_string: Style::default().fg(Color::Green),
            json_number: Style::default().fg(Color::Magenta),
            json_literal: Style::default().fg(Color::Yellow),
        }
    }

    /// Only modifiers: bold, reverse, underline. For `NO_COLOR` and colourless terminals.
    pub fn monochrome() -> Self {
        let plain = Style::default();
        Theme {
            color: false,
            base: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: plain.add_modifier(Modifier::BOLD),
            header_bar: plain.add_modifier(Modifier::REVERSED),
            demo_badge: plain.add_modifier(Modifier::BOLD),
            read_only_badge: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            marked: plain.add_modifier(Modifier::BOLD),
            matched: plain.add_modifier(Modifier::UNDERLINED),
            column_header: plain.add_modifier(Modifier::BOLD),
            key: plain.add_modifier(Modifier::BOLD),
            error: plain.add_modifier(Modifier::BOLD),
            ok: plain,
            warn: plain.add_modifier(Modifier::BOLD),
            border: plain,
            json_key: plain.add_modifier(Modifier::BOLD),
            json_string: plain,
            json_number: plain,
            json_literal: plain.add_modifier(Modifier::ITALIC),
        }
    }

    /// The theme the environment asks for: `NO_COLOR` (any value) means monochrome.
    pub fn from_env(no_color: Option<String>) -> Self {
        match no_color {
            Some(v) if !v.is_empty() => Self::monochrome(),
            _ => Self::dark(),
        }
    }

    pub fn tone(&self, tone: Tone) -> Style {
        if !self.color {
            return match tone {
                Tone::Bad => Style::default().add_modifier(Modifier::BOLD),
                Tone::Gone => Style::default().add_modifier(Modifier::DIM),
                _ => Style::default(),
            };
        }
        match tone {
            Tone::Good => Style::default().fg(Color::Green),
            Tone::Busy => Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Tone::Idle => Style::default().fg(Color::Yellow),
            Tone::Bad => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Tone::Gone => Style::default().fg(Color::DarkGray),
            Tone::Neutral => Style::default(),
        }
    }
}

/// The tone of any state string the API sends (workspaces, groups, connections, executions).
pub fn tone_of(state: &str) -> Tone {
    match state.to_ascii_uppercase().as_str() {
        "ACTIVE" | "COMPLETED" | "RUNNING_OK" => Tone::Good,
        "PENDING" | "RUNNING" | "SCHEDULED" => Tone::Busy,
        "SUSPENDED" | "CANCELED" | "STANDBY" => Tone::Idle,
        "FAILED" | "ERROR" => Tone::Bad,
        "TERMINATED" | "DELETED" => Tone::Gone,
        s if s.ends_with('…') => Tone::Busy,
        _ => Tone::Neutral,
    }
}
