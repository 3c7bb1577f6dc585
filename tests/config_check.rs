//! `s2tui config check` refuses what the dashboard would refuse once running.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn check(config: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_s2tui"))
        .args(["config", "check"])
        .env("S2TUI_CONFIG_DIR", dir.path())
        .env("S2TUI_DATA_DIR", dir.path().join("data"))
        .env("S2TUI_STATE_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn theme_entries_and_base_urls_the_dashboard_refuses_are_reported() {
    let (ok, text) = check(
        r##"
[theme]
title = "#zzzzzz"
sparkle = "red"

[profiles.remote]
base_url = "http://example.com"
"##,
    );
    assert!(!ok, "{text}");
    assert!(text.contains("#zzzzzz"), "{text}");
    assert!(text.contains("sparkle"), "{text}");
    assert!(text.contains("profiles.remote") && text.contains("http"), "{text}");
    assert!(!text.contains("no problems"), "{text}");
}

#[test]
fn a_good_file_has_no_problems() {
    let (ok, text) = check(
        r##"
[theme]
title = "#ff8800"

[profiles.local]
base_url = "http://127.0.0.1:18080"
"##,
    );
    assert!(ok, "{text}");
    assert!(text.contains("no problems"), "{text}");
}
