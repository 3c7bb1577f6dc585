//! The keymap file: rebinds any action by name, per context.
//!
//! ```toml
//! [global]
//! quit = "ctrl-q"
//! [workspaces]
//! suspend = ["s", "S"]
//! ```

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::de::{DeTable, DeValue};

use super::file::{Warning, line_of};
use crate::keymap::{Context, KeyCombo, Keymap};
use crate::msg::Action;

fn context_named(name: &str) -> Option<Context> {
    Context::named(name)
}

fn action_named(name: &str) -> Option<Action> {
    let r: Result<Action, serde::de::value::Error> =
        Action::deserialize(name.replace('-', "_").as_str().into_deserializer());
    r.ok()
}

/// Applies the keymap file to `keymap`; returns what could not be applied, and conflicts.
pub fn apply(keymap: &mut Keymap, text: &str) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let table = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            warnings.push(Warning {
                line,
                message: format!("the keymap is not valid TOML ({}); using the default keys", e.message().trim()),
            });
            return warnings;
        }
    };
    let at = |span: std::ops::Range<usize>| Some(line_of(text, span.start));
    for (section, body) in &table {
        let Some(context) = context_named(section.get_ref()) else {
            warnings.push(Warning {
                line: at(section.span()),
                message: format!("unknown section [{}]; ignored", section.get_ref()),
            });
            continue;
        };
        let DeValue::Table(body) = body.get_ref() else {
            warnings.push(Warning {
                line: at(body.span()),
                message: format!("{} must be a table; ignored", section.get_ref()),
            });
            continue;
        };
        for (name, value) in body {
            let Some(action) = action_named(name.get_ref()) else {
                warnings.push(Warning {
                    line: at(name.span()),
                    message: format!("unknown action {:?}; ignored", name.get_ref()),
                });
                continue;
            };
            let texts: Vec<(String, std::ops::Range<usize>)> = match value.get_ref() {
                DeValue::String(s) => vec![(s.to_string(), value.span())],
                DeValue::Array(items) => items
                    .iter()
                    .filter_map(|i| match i.get_ref() {
                        DeValue::String(s) => Some((s.to_string(), i.span())),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if texts.is_empty() {
                warnings.push(Warning {
                    line: at(value.span()),
                    message: format!("{}: expected a key like \"ctrl-d\" or a list of keys", name.get_ref()),
                });
                continue;
            }
            let mut keys = Vec::new();
            for (t, span) in texts {
                match t.parse::<KeyCombo>() {
                    Ok(k) => keys.push(k),
                    Err(e) => warnings.push(Warning { line: at(span), message: format!("{}: {e}", name.get_ref()) }),
                }
            }
            if !keys.is_empty() {
                keymap.rebind(context, action, &keys);
            }
        }
    }
    warnings.sort_by_key(|w| w.line.unwrap_or(usize::MAX));
    warnings.extend(keymap.conflicts().into_iter().map(|c| Warning { line: None, message: format!("conflict: {c}") }));
    warnings
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn rebinding_takes_effect_and_shows_in_hints() {
        let mut km = Keymap::default();
        let w = apply(&mut km, "[workspaces]\nsuspend = [\"S\", \"alt-s\"]\n");
        assert_eq!(w, vec![]);
        let ctx = [Context::Pane(crate::panes::PaneId::Workspaces), Context::List, Context::Global];
        let shift_s = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(km.lookup(&ctx, &shift_s), Some(Action::Suspend));
        let plain_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(km.lookup(&ctx, &plain_s), None, "the old key is gone");
        assert!(km.hints(&ctx).iter().any(|(k, h)| k.to_string() == "S" && *h == "suspend"));
    }

    #[test]
    fn bad_entries_warn_with_lines_and_conflicts_are_reported() {
        let mut km = Keymap::default();
        let text = "[nowhere]\nx = \"a\"\n[workspaces]\nfly = \"f\"\nresume = \"ctrl-\"\nsuspend = \"r\"\n";
        let w = apply(&mut km, text);
        let lines: Vec<Option<usize>> = w.iter().map(|w| w.line).collect();
        assert_eq!(&lines[..3], &[Some(1), Some(4), Some(5)], "{w:#?}");
        assert!(w.iter().any(|w| w.message.starts_with("conflict")), "{w:#?}");
    }
}
