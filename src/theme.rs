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

    /// For light terminal backgrounds.
    pub fn light() -> Self {
        Theme {
            dim: Style::default().fg(Color::Gray),
            title: Style::default().fg(Color::Blue).add_modifier(Modifier::BOLD),
            header_bar: Style::default().fg(Color::Black).bg(Color::Rgb(210, 220, 235)),
            selected: Style::default().bg(Color::Rgb(200, 215, 240)).add_modifier(Modifier::BOLD),
            matched: Style::default().fg(Color::Magenta).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            column_header: Style::default().fg(Color::Blue).add_modifier(Modifier::BOLD),
            key: Style::default().fg(Color::Blue).add_modifier(Modifier::BOLD),
            warn: Style::default().fg(Color::Rgb(160, 100, 0)),
            ok: Style::default().fg(Color::Rgb(0, 120, 0)),
            json_key: Style::default().fg(Color::Blue),
            json_string: Style::default().fg(Color::Rgb(0, 120, 0)),
            json_literal: Style::default().fg(Color::Rgb(160, 100, 0)),
            ..Self::dark()
        }
    }

    /// Pure colours, bold text and reversed selection, for low vision and bright rooms.
    pub fn high_contrast() -> Self {
        Theme {
            base: Style::default().fg(Color::White),
            dim: Style::default().fg(Color::White),
            title: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            header_bar: Style::default().fg(Color::Black).bg(Color::White).add_modifier(Modifier::BOLD),
            selected: Style::default().fg(Color::Black).bg(Color::Yellow).add_modifier(Modifier::BOLD),
            matched: Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            column_header: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            key: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            border: Style::default().fg(Color::White),
            ..Self::dark()
        }
    }

    /// A built-in theme by name.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "dark" => Some(Self::dark()),
            "light" => Some(Self::light()),
            "high-contrast" | "high_contrast" => Some(Self::high_contrast()),
            _ => None,
        }
    }

    /// Applies `[theme]` overrides; returns a message for each that could not be applied.
    pub fn apply_overrides(&mut self, overrides: &[(String, String)]) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, value) in overrides {
            let Some(color) = parse_color(value) else {
                problems.push(format!("[theme] {name}: unknown colour {value:?}"));
                continue;
            };
            if !self.color {
                continue;
            }
            let slot = match name.as_str() {
                "title" => &mut self.title,
                "selected" => {
                    self.selected = self.selected.bg(color);
                    continue;
                }
                "header" => {
                    self.header_bar = self.header_bar.bg(color);
                    continue;
                }
                "key" => &mut self.key,
                "error" => &mut self.error,
                "ok" => &mut self.ok,
                "warn" => &mut self.warn,
                "border" => &mut self.border,
                "dim" => &mut self.dim,
                "matched" => &mut self.matched,
                _ => {
                    problems.push(format!(
                        "[theme] unknown style {name:?} (title, selected, key, error, ok, warn, border, dim, matched, header)"
                    ));
                    continue;
                }
            };
            *slot = slot.fg(color);
        }
        problems
    }

    /// The header band of a profile: its colour, red for production, reversed without colour.
    pub fn band(&self, color: Option<&str>, production: bool) -> Style {
        if !self.color {
            return Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        let bg = if production { Some(Color::Red) } else { color.and_then(parse_color) };
        match bg {
            Some(bg) => Style::default().fg(Color::White).bg(bg).add_modifier(Modifier::BOLD),
            None => self.header_bar.add_modifier(Modifier::BOLD),
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
        Self::resolve(None, no_color)
    }

    /// `name` (a built-in theme), unless `NO_COLOR` asks for no colour at all.
    pub fn resolve(name: Option<&str>, no_color: Option<String>) -> Self {
        match no_color {
            Some(v) if !v.is_empty() => Self::monochrome(),
            _ => name.and_then(Self::named).unwrap_or_else(Self::dark),
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

/// A colour by name (`red`, `light-blue`, `gray`) or as `#rrggbb`.
pub fn parse_color(s: &str) -> Option<Color> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() != 6 {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    s.replace(['-', '_'], "").parse::<Color>().ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_bands_are_red_whatever_the_profile_says() {
        let t = Theme::dark();
        assert_eq!(t.band(Some("green"), true).bg, Some(Color::Red));
        assert_eq!(t.band(Some("green"), false).bg, Some(Color::Green));
        assert_eq!(parse_color("#ff8800"), Some(Color::Rgb(255, 136, 0)));
        assert_eq!(parse_color("light-blue"), Some(Color::LightBlue));
        assert_eq!(parse_color("nope"), None);
    }

    #[test]
    fn no_color_wins_and_states_keep_their_words() {
        let t = Theme::resolve(Some("light"), Some("1".into()));
        assert!(!t.color);
        assert_eq!(t.tone(Tone::Good).fg, None, "no colour at all under NO_COLOR");
        assert_eq!(Theme::resolve(Some("high-contrast"), None), Theme::high_contrast());
        assert_eq!(Theme::resolve(Some("unknown"), None), Theme::dark());
    }
}
