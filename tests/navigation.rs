//! Moving around like k9s: jumps start a new history, `q` leaves from a top-level pane, `esc`
//! steps back out of drill-downs, and a key meant for a message only closes it.
#![allow(clippy::unwrap_used)]

use s2tui::effect::Effect;
use s2tui::state::{PaneId, State};
use s2tui::testing::*;

fn quits(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Quit))
}

fn drill_into_analytics(state: &mut State) {
    let org = Org::default();
    let effects = keys(state, "1");
    serve(state, &org, effects);
    assert!(select_name(&mut state.panes.groups.table, "analytics"));
    let effects = press(state, "enter");
    serve(state, &org, effects);
    assert_eq!(state.location.pane, PaneId::Workspaces);
    assert!(state.panes.workspaces.group.is_some());
}

#[test]
fn q_quits_at_once_after_visiting_every_pane() {
    let mut state = loaded();
    for n in 1..=9 {
        press(&mut state, &n.to_string());
    }
    assert_eq!(state.location.pane, PaneId::Audit);
    assert!(state.back.is_empty(), "jumps do not pile up history");
    assert!(quits(&press(&mut state, "q")));
}

#[test]
fn q_steps_out_of_a_drill_down_then_quits() {
    let mut state = loaded();
    drill_into_analytics(&mut state);
    assert!(!quits(&press(&mut state, "q")));
    assert_eq!(state.location.pane, PaneId::Groups);
    assert!(quits(&press(&mut state, "q")));
}

#[test]
fn a_pane_key_opens_the_panes_root() {
    let mut state = loaded();
    drill_into_analytics(&mut state);
    press(&mut state, "1");
    press(&mut state, "2");
    assert_eq!(state.location.pane, PaneId::Workspaces);
    assert_eq!(state.panes.workspaces.group, None, "2 shows every group's workspaces, not the last drill-down");
    drill_into_analytics(&mut state);
    press(&mut state, "tab");
    press(&mut state, "shift-tab");
    assert_eq!(state.panes.workspaces.group, None);
}

#[test]
fn esc_for_a_message_only_closes_it() {
    let mut state = loaded();
    drill_into_analytics(&mut state);
    press(&mut state, "ctrl-r");
    assert!(!state.toasts.is_empty());
    press(&mut state, "esc");
    assert!(state.toasts.is_empty());
    assert_eq!(state.location.pane, PaneId::Workspaces, "the esc went to the message, not to going back");
    assert!(state.panes.workspaces.group.is_some());
    press(&mut state, "esc");
    assert_eq!(state.location.pane, PaneId::Groups);
}

#[test]
fn profile_alone_lists_the_profiles_to_pick_from() {
    use s2tui::state::SessionInfo;
    use s2tui::widgets::modal::Modal;
    let profiles = vec!["default".to_string(), "staging".to_string()];
    let mut state = loaded_with(SessionInfo { profiles, ..session() }, &Org::default());
    keys(&mut state, ": p r o f i l e enter");
    match state.modals.last() {
        Some(Modal::Palette(p)) => assert_eq!(p.profile_suggestions().unwrap(), ["default", "staging"]),
        other => panic!("expected the profile list, got {:?}", other.map(Modal::name)),
    }
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("staging"), "{screen}");
}

#[test]
fn an_empty_organization_names_the_first_step() {
    let org = Org { groups: Vec::new(), workspaces: Vec::new(), ..Org::default() };
    let mut state = loaded_with(session(), &org);
    let screen = render(&mut state, 160, 48);
    assert!(screen.contains("press 1 (Workspace groups), then c"), "{screen}");
    press(&mut state, "c");
    assert!(state.toasts.items.iter().any(|t| t.text.contains("press 1, then c")), "{:?}", state.toasts.items);
}
