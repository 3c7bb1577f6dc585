//! Key bindings: every default in one table, each with the text that help and the footer show.
//! Change a default here; users override any binding by action name in their keymap file.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::msg::Action;
use crate::panes::PaneId;

/// Where a binding applies. Lookups try the focused pane first, then lists, then global.
/// In the keymap file a pane's section is named like its `PaneId` (`[workspaces]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    /// Every table pane: movement, filter, sort, describe.
    List,
    Pane(PaneId),
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Global",
            Context::List => "Lists",
            Context::Pane(p) => p.title(),
        }
    }

    /// The context a keymap file section names: `global`, `list`, or a pane (`stage`).
    pub fn named(name: &str) -> Option<Context> {
        use serde::de::IntoDeserializer;
        let name = name.replace('-', "_");
        match name.as_str() {
            "global" => Some(Context::Global),
            "list" => Some(Context::List),
            _ => {
                let r: Result<PaneId, serde::de::value::Error> = PaneId::deserialize(name.as_str().into_deserializer());
                r.ok().map(Context::Pane)
            }
        }
    }
}

/// A default binding as written in a pane's key table:
/// (context, key, action, footer hint or "", help sentence).
pub type KeyDef = (Context, &'static str, Action, &'static str, &'static str);

/// A key with its modifiers, as written in the keymap file: `ctrl-d`, `shift-tab`, `G`, `pgup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeyCombo {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Self {
        Self { code, mods }
    }

    pub const fn plain(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    pub const fn ctrl(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// Terminals report `G` as shift+`G`; the letter's case already says it, so shift is dropped.
    /// `ctrl-\` and `ctrl-_` arrive as the control bytes that crossterm reads as `ctrl-4`/`ctrl-7`.
    pub fn from_event(ev: &KeyEvent) -> Self {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char('4') if mods.contains(KeyModifiers::CONTROL) => KeyCode::Char('\\'),
            KeyCode::Char('7') if mods.contains(KeyModifiers::CONTROL) => KeyCode::Char('_'),
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
            }
            KeyCode::BackTab => {
                mods.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Self { code, mods }
    }
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            _ => f.write_str("?"),
        }
    }
}

impl FromStr for KeyCombo {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        if rest.is_empty() {
            return Err("empty key".into());
        }
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, m) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") && rest.len() > "shift-".len() {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[prefix.len()..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
                KeyCode::F(f[1..].parse().map_err(|_| format!("invalid key {s:?}"))?)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        // Terminals report ctrl+letter without case, so shift adds nothing there.
                        if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_alphabetic() {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_alphabetic() {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else if mods.contains(KeyModifiers::CONTROL) {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => return Err(format!("invalid key {s:?}: expected e.g. j, G, ctrl-d, shift-tab, pgup, f5")),
                }
            }
        };
        Ok(Self { code, mods })
    }
}

/// One key bound to one action in one context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub key: KeyCombo,
    pub action: Action,
    /// One or two words for the footer; empty = not shown there.
    pub hint: &'static str,
    /// A sentence for the help overlay.
    pub description: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

fn key(s: &str) -> KeyCombo {
    // Only called on the literals below; a typo there is caught by the defaults test.
    s.parse().unwrap_or(KeyCombo::new(KeyCode::Null, KeyModifiers::NONE))
}

impl Default for Keymap {
    fn default() -> Self {
        use Action::*;
        use Context::*;
        #[rustfmt::skip]
        let table: &[KeyDef] = &[
            (Global, ":", CommandPalette, "cmd", "Command palette: go to a pane (:ws, :wg, :ops, :q …)"),
            (Global, "?", Help, "help", "Help for the current pane"),
            (Global, "esc", Back, "back", "Close a dialog, clear the filter, or go back one step"),
            (Global, "q", BackOrQuit, "", "Go back out of a drill-down; quit from a top-level pane"),
            (Global, "ctrl-c", Quit, "", "Quit"),
            (Global, "ctrl-z", SuspendApp, "", "Suspend to the shell (fg to come back)"),
            (Global, "ctrl-r", Refresh, "refresh", "Refresh now"),
            (Global, "tab", NextPane, "", "Next pane"),
            (Global, "shift-tab", PrevPane, "", "Previous pane"),
            (Global, "1", Pane1, "", "Jump to pane 1: Workspace groups"),
            (Global, "2", Pane2, "", "Jump to pane 2: Workspaces"),
            (Global, "3", Pane3, "", "Jump to pane 3: Stage"),
            (Global, "4", Pane4, "", "Jump to pane 4: Jobs"),
            (Global, "5", Pane5, "", "Jump to pane 5: Secrets"),
            (Global, "6", Pane6, "", "Jump to pane 6: Teams"),
            (Global, "7", Pane7, "", "Jump to pane 7: Private connections"),
            (Global, "8", Pane8, "", "Jump to pane 8: Usage"),
            (Global, "9", Pane9, "", "Jump to pane 9: Audit log"),
            (List, "j", Down, "", "Move down"),
            (List, "down", Down, "", "Move down"),
            (List, "k", Up, "", "Move up"),
            (List, "up", Up, "", "Move up"),
            (List, "g", Top, "", "First row"),
            (List, "home", Top, "", "First row"),
            (List, "G", Bottom, "", "Last row"),
            (List, "end", Bottom, "", "Last row"),
            (List, "pgup", PageUp, "", "Page up"),
            (List, "pgdn", PageDown, "", "Page down"),
            (List, "/", Filter, "filter", "Filter the list: fuzzy; !x without x, =x or \"x\" exactly x, ~re a regex"),
            (List, "d", Describe, "describe", "Describe: the full JSON of the selection"),
            (List, ">", SortNext, "sort", "Sort by the next column"),
            (List, "<", SortPrev, "", "Sort by the previous column"),
            (List, "~", SortReverse, "", "Reverse the sort order"),
            (List, "ctrl-w", Wide, "", "Wide: show every column, none hidden for a narrow screen"),
        ];
        let panes = PaneId::ALL.iter().flat_map(|p| p.keys().iter());
        let bindings = table
            .iter()
            .chain(panes)
            .map(|&(context, k, action, hint, description)| Binding { context, key: key(k), action, hint, description })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action bound to `ev`, trying `contexts` in order (most specific first).
    pub fn lookup(&self, contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
        let combo = KeyCombo::from_event(ev);
        contexts
            .iter()
            .find_map(|ctx| self.bindings.iter().find(|b| b.context == *ctx && b.key == combo).map(|b| b.action))
    }

    /// The first key bound to `action` in any of `contexts`, for hints like "press s to suspend".
    pub fn key_for(&self, contexts: &[Context], action: Action) -> Option<KeyCombo> {
        contexts
            .iter()
            .find_map(|ctx| self.bindings.iter().find(|b| b.context == *ctx && b.action == action).map(|b| b.key))
    }

    /// Footer hints for `contexts`: (key, hint) pairs, most specific context first.
    pub fn hints(&self, contexts: &[Context]) -> Vec<(KeyCombo, &'static str)> {
        self.hint_bindings(contexts).map(|b| (b.key, b.hint)).collect()
    }

    /// The bindings the footer shows for `contexts`, most specific context first.
    pub fn hint_bindings<'a>(&'a self, contexts: &'a [Context]) -> impl Iterator<Item = &'a Binding> + 'a {
        contexts.iter().flat_map(|ctx| self.bindings.iter().filter(move |b| b.context == *ctx && !b.hint.is_empty()))
    }

    /// Replaces every key of `action` in `context` with `keys`.
    pub fn rebind(&mut self, context: Context, action: Action, keys: &[KeyCombo]) {
        let template =
            self.bindings.iter().find(|b| b.action == action).map(|b| (b.hint, b.description)).unwrap_or(("", ""));
        self.bindings.retain(|b| !(b.context == context && b.action == action));
        for k in keys {
            self.bindings.push(Binding { context, key: *k, action, hint: template.0, description: template.1 });
        }
    }

    /// Every binding as a Markdown table (the README's keys section), keys of one action together.
    pub fn markdown_table(&self) -> String {
        let mut contexts: Vec<Context> = Vec::new();
        for b in &self.bindings {
            if !contexts.contains(&b.context) {
                contexts.push(b.context);
            }
        }
        let mut out = String::from("| pane | keys | action |\n|---|---|---|\n");
        for ctx in contexts {
            let mut rows: Vec<(String, &str)> = Vec::new();
            for b in self.bindings.iter().filter(|b| b.context == ctx) {
                let key = format!("`{}`", b.key).replace('|', "\\|");
                match rows.iter_mut().find(|(_, d)| *d == b.description) {
                    Some((keys, _)) => {
                        keys.push(' ');
                        keys.push_str(&key);
                    }
                    None => rows.push((key, b.description)),
                }
            }
            for (keys, description) in rows {
                out.push_str(&format!("| {} | {keys} | {description} |\n", ctx.title()));
            }
        }
        out
    }

    /// Keys bound twice in one context, or a pane key that hides a global one.
    pub fn conflicts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.key != b.key || a.action == b.action {
                    continue;
                }
                let shadows = |x: &Binding, y: &Binding| {
                    x.context == y.context || (y.context == Context::Global && x.context != Context::Global)
                };
                if shadows(a, b) || shadows(b, a) {
                    out.push(format!(
                        "{} is bound to {:?} ({}) and {:?} ({})",
                        a.key,
                        a.action,
                        a.context.title(),
                        b.action,
                        b.context.title()
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn defaults_parse_and_do_not_conflict() {
        let km = Keymap::default();
        assert!(km.bindings().iter().all(|b| b.key.code != KeyCode::Null), "a default key failed to parse");
        assert_eq!(km.conflicts(), Vec::<String>::new());
    }

    #[test]
    fn a_conflict_is_reported() {
        let mut km = Keymap::default();
        km.rebind(Context::Pane(PaneId::Workspaces), Action::Resume, &["s".parse().unwrap()]);
        assert!(!km.conflicts().is_empty());
    }

    #[test]
    fn keys_parse_and_print_round_trip() {
        for s in ["j", "G", "ctrl-d", "shift-tab", "pgup", "space", "enter", "f5", ":", "~"] {
            let k: KeyCombo = s.parse().unwrap();
            assert_eq!(k.to_string(), s, "{s}");
        }
        assert_eq!("shift-g".parse::<KeyCombo>().unwrap().to_string(), "G");
        assert!("ctrl-".parse::<KeyCombo>().is_err());
        assert!("hello".parse::<KeyCombo>().is_err());
    }

    #[test]
    fn pane_bindings_win_over_lists_and_global() {
        let km = Keymap::default();
        let ev = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
        let ctx = [Context::Pane(PaneId::Workspaces), Context::List, Context::Global];
        assert_eq!(km.lookup(&ctx, &ev), Some(Action::Suspend));
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.lookup(&ctx, &ev), Some(Action::Bottom));
        assert_eq!(
            km.lookup(&[Context::Pane(PaneId::Groups)], &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE)),
            None
        );
    }
}
