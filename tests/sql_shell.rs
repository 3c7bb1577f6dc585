//! `x` without a SQL client installed: the whole command is shown and one key copies it.
#![allow(clippy::unwrap_used)]

use s2tui::effect::Effect;
use s2tui::msg::Msg;
use s2tui::testing::*;
use s2tui::update::update;

#[test]
fn without_a_client_the_command_is_shown_whole_and_y_copies_it() {
    let mut state = loaded();
    let command = "mysql -h svc-b0000004-dml.aws-virginia-6.svc.singlestore.com -P 3306 -u admin -p".to_string();
    update(&mut state, Msg::NoSqlClient { command: command.clone() });
    let screen = render(&mut state, 80, 24);
    for part in ["mysql -h svc-b0000004-dml.aws-virginia-6.svc.singlestore.com", "-u admin -p", "y copy"] {
        assert!(screen.contains(part), "{part:?} is cut off:\n{screen}");
    }
    let effects = press(&mut state, "y");
    assert!(effects.iter().any(|e| matches!(e, Effect::Copy(text) if *text == command)), "{effects:?}");
    assert!(state.toasts.items.iter().any(|t| t.text.contains("Copied the command")));
}
