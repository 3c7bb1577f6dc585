//! Two profiles in the config file, each on its own simulator (its own organization): the
//! dashboard opens the default one, a remapped key from the keymap file shows in the footer and
//! help and works, then `:profile prod` switches at runtime to a production profile that is
//! read-only with a red band, showing only the second organization's data.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};
use s2tui::sim::{Seed, SimConfig};

#[test]
fn two_profiles_switched_at_runtime_and_a_remapped_key() {
    let staging = Sim::demo();
    let prod = Sim::start(SimConfig {
        api_key: "prod-key".into(),
        speed: 200.0,
        seed: Seed::Large(12),
        colleague_rate: 0.0,
        ..SimConfig::default()
    });
    let config = tempfile::tempdir().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!(
            "[general]\nprofile = \"staging\"\n\n\
             [profiles.staging]\nkey_env = \"STAGING_KEY\"\nbase_url = \"{}\"\ncolor = \"green\"\n\n\
             [profiles.prod]\nkey_command = \"echo prod-key\"\nbase_url = \"{}\"\nproduction = true\n",
            staging.handle.base_url(),
            prod.handle.base_url()
        ),
    )
    .unwrap();
    std::fs::write(config.path().join("keymap.toml"), "[workspaces]\nsuspend = \"S\"\n").unwrap();
    let mut dash = Pty::dashboard(
        &staging,
        &[("S2TUI_CONFIG_DIR", config.path().to_str().unwrap()), ("STAGING_KEY", staging.handle.api_key())],
    );

    // The default profile, with the remapped key in the footer and in help.
    dash.wait_for("prod-ingest");
    dash.wait_for(" staging ");
    dash.wait_for("S suspend");
    dash.send("?");
    dash.wait_for("Keys (esc closes)");
    assert!(dash.screen().lines().any(|l| l.contains(" S ") && l.contains("Suspend the workspace")));
    dash.send("q");
    dash.wait_gone("Keys (esc closes)");

    // The remapped key works; the old one does nothing.
    dash.send("/staging-app\r");
    dash.wait_for("[1/");
    dash.send("s");
    dash.send("S");
    dash.wait_for("Suspend workspace staging-app?");
    dash.send("y");
    staging.wait_until("staging-app suspended", |s| {
        let w = s.handle.shared().world();
        w.workspaces.values().any(|r| r.api.name == "staging-app" && r.api.state.as_str() == "SUSPENDED")
    });
    assert_eq!(staging.requests("POST", "/suspend").len(), 1, "plain s was not a suspend any more");

    // Switch to production at runtime: red band, read-only, and only the other organization.
    dash.send(":profile prod\r");
    dash.wait_for("prod · PRODUCTION");
    dash.wait_for("READ-ONLY");
    dash.wait_for("ws-00001");
    let screen = dash.screen();
    assert!(!screen.contains("prod-ingest") && !screen.contains("staging-app"), "no data of the first org: {screen}");
    dash.send("/ws-00001\r");
    dash.wait_for("[1/");
    dash.send("S");
    dash.wait_for("production profile");
    assert!(prod.handle.requests().iter().all(|r| r.method == "GET"), "read-only: nothing but reads");

    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());
}
