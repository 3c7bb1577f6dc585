//! Editing a workspace group: only what the API refuses is refused, an unchanged value is never
//! checked, `7d` is sent as the API understands it, and every edit is reviewed before it is sent.
#![allow(clippy::unwrap_used)]

use s2tui::effect::Mutation;
use s2tui::state::State;
use s2tui::testing::*;
use s2tui::widgets::form::Field;
use s2tui::widgets::modal::Modal;

fn with_spaced_group() -> (State, Org) {
    let mut org = Org::default();
    org.groups[0].name = "ML Sandbox".into();
    (loaded_with(session(), &org), org)
}

fn edit(state: &mut State, name: &str) {
    keys(state, "1");
    assert!(select_name(&mut state.panes.groups.table, name), "{name}");
    press(state, "e");
    assert!(matches!(state.modals.last(), Some(Modal::Form(_))), "e opens the edit form");
}

fn set(state: &mut State, field: &str, value: &str) {
    let Some(Modal::Form(f)) = state.modals.last_mut() else { panic!("no form") };
    let old = f.form.field_mut(field).unwrap();
    let mut new = Field::text(old.name, old.label.clone(), value);
    new.validate = old.validate;
    new.original = old.original.clone();
    *old = new;
}

fn review(state: &State) -> Vec<String> {
    match state.modals.last() {
        Some(Modal::Confirm(c)) => {
            assert_eq!(c.title, "Review changes");
            c.lines.clone()
        }
        other => panic!("expected a review, got {:?}", other.map(Modal::name)),
    }
}

#[test]
fn a_name_with_a_space_is_kept_and_accepted() {
    let (mut state, _) = with_spaced_group();
    edit(&mut state, "ML Sandbox");
    set(&mut state, "firewall", "10.0.0.0/8, 192.168.0.0/16");
    press(&mut state, "enter");
    let lines = review(&state);
    assert!(lines.iter().any(|l| l.contains("firewall ranges")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("name:")), "the unchanged name is neither checked nor sent");
}

#[test]
fn a_new_name_is_checked_against_what_the_api_refuses() {
    let (mut state, _) = with_spaced_group();
    edit(&mut state, "ML Sandbox");
    set(&mut state, "name", "ML Sandbox 2");
    press(&mut state, "enter");
    review(&state);
    keys(&mut state, "n esc esc");
    edit(&mut state, "ML Sandbox");
    set(&mut state, "name", &"x".repeat(51));
    press(&mut state, "enter");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("the form stays") };
    assert_eq!(f.form.fields[0].error.as_deref(), Some("at most 50 characters"));
}

#[test]
fn an_expiry_in_days_is_sent_in_hours_after_a_review_that_warns() {
    let mut state = loaded();
    edit(&mut state, "analytics");
    set(&mut state, "expires", "7d");
    assert!(press(&mut state, "enter").is_empty(), "nothing is sent before the review");
    let lines = review(&state);
    assert!(lines.iter().any(|l| l.contains("terminated")), "expiry is called out: {lines:?}");
    assert!(lines.iter().any(|l| l.contains("PRODUCTION")), "a production group is called out: {lines:?}");
    let effects = press(&mut state, "y");
    let m = mutations(&effects);
    match m.first().map(|(_, m)| *m) {
        Some(Mutation::UpdateGroup { body, .. }) => assert_eq!(body.expires_at.as_deref(), Some("168h")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn narrowing_the_firewall_says_who_loses_access() {
    let mut state = loaded();
    edit(&mut state, "analytics");
    set(&mut state, "firewall", "");
    press(&mut state, "enter");
    let lines = review(&state);
    assert!(lines.iter().any(|l| l.contains("10.0.0.0/8") && l.contains("lose access")), "{lines:?}");
}

#[test]
fn a_refusal_clears_once_the_field_changes() {
    let mut state = loaded();
    edit(&mut state, "analytics");
    let Some(Modal::Form(f)) = state.modals.last_mut() else { panic!() };
    f.form.server_error = Some("expiresAt: invalid duration".into());
    f.form.focus = 3;
    press(&mut state, "backspace");
    type_text(&mut state, "2");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!() };
    assert_eq!(f.form.server_error, None);
}
