//! Property tests: the config file, the keymap file and key names are typed by people; whatever
//! they contain, parsing never panics, problems come back as warnings with real line numbers, and
//! a key name that parses prints back as itself.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use s2tui::config::file::{Warning, parse};
use s2tui::config::keymap_file::apply;
use s2tui::keymap::{KeyCombo, Keymap};

const CASES: u32 = 256;

const CONFIG_SECTIONS: &[&str] =
    &["general", "profiles.default", "profiles.staging", "profiles", "theme", "theme.colors", "nowhere"];
const CONFIG_KEYS: &[&str] = &[
    "profile",
    "refresh",
    "theme",
    "log_level",
    "audit_poll",
    "audit_buffer",
    "transfers",
    "transfers_large",
    "key_env",
    "key_file",
    "key_command",
    "api_key",
    "base_url",
    "read_only",
    "production",
    "color",
    "accent",
    "name",
];
const KEYMAP_SECTIONS: &[&str] =
    &["global", "list", "workspaces", "groups", "stage", "audit", "secrets", "operations", "nowhere"];

fn action_names() -> Vec<String> {
    let mut names: Vec<String> = Keymap::default()
        .bindings()
        .iter()
        .filter_map(|b| serde_json::to_value(b.action).ok()?.as_str().map(String::from))
        .collect();
    names.push("fly".into());
    names.sort();
    names.dedup();
    names
}

/// Key names as people write them, good and bad.
fn key_name() -> impl Strategy<Value = String> {
    let base = prop_oneof![
        "[a-zA-Z0-9:/?~<>!@#$%^&*()_+=-]",
        Just("space".to_string()),
        Just("enter".to_string()),
        Just("esc".to_string()),
        Just("tab".to_string()),
        Just("pgup".to_string()),
        Just("PageDown".to_string()),
        Just("f12".to_string()),
        Just("f13".to_string()),
        Just("f0".to_string()),
        "[a-z]{2,6}",
        any::<char>().prop_map(String::from),
    ];
    (proptest::collection::vec(prop_oneof!["ctrl-", "alt-", "shift-", "CTRL-", "Shift-"], 0..3), base, " {0,2}")
        .prop_map(|(mods, base, pad)| format!("{pad}{}{base}{pad}", mods.concat()))
}

/// A TOML-ish value: mostly valid, sometimes not.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        key_name().prop_map(|k| format!("{k:?}")),
        proptest::collection::vec(key_name(), 0..4).prop_map(|ks| format!("{ks:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "\"[a-z#0-9 ~/]{0,12}\"",
        Just("{ a = 1 }".to_string()),
        Just("[1, \"x\", true]".to_string()),
        "[^\n]{0,12}",
    ]
}

fn document(sections: &'static [&'static str], keys: Vec<String>) -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => (proptest::sample::select(keys), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => proptest::sample::select(sections).prop_map(|s| format!("[{s}]")),
        1 => "#[^\n]{0,20}",
        1 => "[^\n]{0,30}",
    ];
    proptest::collection::vec(line, 0..24).prop_map(|lines| lines.join("\n"))
}

fn config_document() -> impl Strategy<Value = String> {
    document(CONFIG_SECTIONS, CONFIG_KEYS.iter().map(|s| s.to_string()).collect())
}

fn keymap_document() -> impl Strategy<Value = String> {
    document(KEYMAP_SECTIONS, action_names())
}

/// Every warning points at a line of the text (or at none), and says something.
fn check_warnings(text: &str, warnings: &[Warning]) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count();
    for w in warnings {
        prop_assert!(!w.message.trim().is_empty(), "an empty warning for {text:?}");
        if let Some(line) = w.line {
            prop_assert!((1..=lines).contains(&line), "line {line} of a {lines}-line text: {w:?} in {text:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn the_config_parser_never_panics_on_any_text(text in any::<String>()) {
        let (_, warnings) = parse(&text);
        check_warnings(&text, &warnings)?;
    }

    #[test]
    fn the_config_parser_never_panics_on_config_like_text(text in config_document()) {
        let (_, warnings) = parse(&text);
        check_warnings(&text, &warnings)?;
    }

    #[test]
    fn the_keymap_file_never_panics_on_any_text(text in any::<String>()) {
        let mut keymap = Keymap::default();
        let warnings = apply(&mut keymap, &text);
        check_warnings(&text, &warnings)?;
    }

    #[test]
    fn the_keymap_file_never_panics_on_keymap_like_text(text in keymap_document()) {
        let mut keymap = Keymap::default();
        let warnings = apply(&mut keymap, &text);
        check_warnings(&text, &warnings)?;
        // The keymap stays usable: help and footer can still be built from it.
        let _ = keymap.conflicts();
        prop_assert!(!keymap.bindings().is_empty());
    }

    #[test]
    fn key_names_never_panic_and_print_back_as_themselves(name in prop_oneof![key_name(), any::<String>()]) {
        if let Ok(key) = name.parse::<KeyCombo>() {
            let printed = key.to_string();
            prop_assert_eq!(printed.parse::<KeyCombo>(), Ok(key), "{:?} printed as {:?}", name, printed);
        } else {
            prop_assert!(!name.parse::<KeyCombo>().unwrap_err().is_empty());
        }
    }
}
