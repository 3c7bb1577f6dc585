//! `update` tests of the secrets pane: forms and their validation, refusals kept in the form,
//! the timed reveal, the clipboard that clears itself, and a value that never shows in Debug.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{SecretValue, SecretsChange as Change, SecretsReply as Reply, SecretsRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::msg::{Msg, Timer};
use s2tui::panes;
use s2tui::panes::secrets;
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::modal::{FormPurpose, Modal};

const VALUE: &str = "hunter2-Very-Secret-Value";

fn secret(i: u128, name: &str, by: Option<uuid::Uuid>) -> Secret {
    Secret {
        secret_id: uuid::Uuid::from_u128(0xe000_0000 + i),
        name: name.into(),
        created_at: ago(3 * 86_400),
        created_by: by,
        last_updated_at: ago(3600),
        last_updated_by: by,
        deleted_at: None,
        deleted_by: None,
        value: None,
    }
}

fn dana() -> uuid::Uuid {
    uuid::Uuid::from_u128(0xf000_0001)
}

/// The dashboard on `:secrets`, its list answered with two secrets and the user directory.
fn on_secrets() -> State {
    let mut state = loaded();
    let mut effects = type_text(&mut state, ":secrets");
    effects.extend(press(&mut state, "enter"));
    assert_eq!(state.location.pane, PaneId::Secrets);
    answer(&mut state, effects);
    state
}

/// Answers the pane's reads: the list, then the user directory.
fn answer(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
    let mut rest = Vec::new();
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        match e {
            Effect::Fetch { id, fetch: Fetch::Secrets(Request::List) } => {
                let list = vec![secret(1, "OPENAI_API_KEY", Some(dana())), secret(2, "S3_ACCESS_KEY", None)];
                queue.extend(reply(state, id, Ok(ApiReply::Secrets(Reply::List(list)))));
            }
            Effect::Fetch { id, fetch: Fetch::Secrets(Request::Users) } => {
                let users = vec![(dana(), "dana@acme.io".to_string())];
                queue.extend(reply(state, id, Ok(ApiReply::Secrets(Reply::Users(users)))));
            }
            other => rest.push(other),
        }
    }
    rest
}

fn form(state: &State) -> &s2tui::widgets::form::Form {
    match state.modals.last() {
        Some(Modal::Form(f)) => &f.form,
        _ => panic!("no form open"),
    }
}

fn field_error(state: &State, name: &str) -> Option<String> {
    form(state).fields.iter().find(|f| f.name == name).unwrap().error.clone()
}

fn pane_timers(effects: &[Effect]) -> Vec<(Duration, u64)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Timer { after, timer: Timer::Pane { pane: PaneId::Secrets, generation } } => {
                Some((*after, *generation))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_list_resolves_who_changed_a_secret_and_never_holds_values() {
    let state = on_secrets();
    let rows = state.panes.secrets.table.rows();
    assert_eq!(rows.len(), 2);
    let openai = rows.iter().find(|r| r.cells[0] == "OPENAI_API_KEY").unwrap();
    assert_eq!(openai.cells[3], "dana@acme.io", "a known user shows as an email");
    let s3 = rows.iter().find(|r| r.cells[0] == "S3_ACCESS_KEY").unwrap();
    assert_eq!(s3.cells[3], "-");
    assert!(state.panes.secrets.list.value.iter().flatten().all(|s| s.value.is_none()));
}

#[test]
fn unknown_users_show_a_short_id() {
    let mut state = loaded();
    let mut effects = type_text(&mut state, ":secrets");
    effects.extend(press(&mut state, "enter"));
    let (id, _) = fetches(&effects).into_iter().find(|(_, f)| matches!(f, Fetch::Secrets(Request::List))).unwrap();
    let list = vec![secret(1, "OPENAI_API_KEY", Some(dana()))];
    let more = reply(&mut state, id, Ok(ApiReply::Secrets(Reply::List(list))));
    assert!(fetches(&more).iter().any(|(_, f)| matches!(f, Fetch::Secrets(Request::Users))), "asks who dana is");
    assert_eq!(state.panes.secrets.table.rows()[0].cells[3], dana().to_string()[..8]);
}

#[test]
fn create_form_validates_each_field_and_sends_nothing_until_valid() {
    let mut state = on_secrets();
    press(&mut state, "c");
    assert!(matches!(state.modals.last(), Some(Modal::Form(f)) if f.purpose == FormPurpose::CreateSecret));

    // Empty: both fields say so, nothing is sent.
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    assert_eq!(field_error(&state, "name").as_deref(), Some("required"));
    assert_eq!(field_error(&state, "value").as_deref(), Some("required"));

    // A name with a space or a dash is refused at the field.
    type_text(&mut state, "db pass");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    assert!(field_error(&state, "name").unwrap().contains("no spaces"));
    for _ in 0..7 {
        press(&mut state, "backspace");
    }
    type_text(&mut state, "db-pass");
    press(&mut state, "enter");
    assert!(field_error(&state, "name").unwrap().contains("'-' is not allowed"));
    for _ in 0..7 {
        press(&mut state, "backspace");
    }
    type_text(&mut state, "DB_PASS_2");
    assert_eq!(field_error(&state, "name"), None, "the message goes as soon as the name is valid");

    // The value is masked; F2 shows it, F2 again hides it.
    press(&mut state, "tab");
    type_text(&mut state, VALUE);
    assert!(!form(&state).is_revealed("value"));
    press(&mut state, "f2");
    assert!(form(&state).is_revealed("value"));
    press(&mut state, "f2");
    assert!(!form(&state).is_revealed("value"));

    let effects = press(&mut state, "enter");
    let m = mutations(&effects);
    assert_eq!(m.len(), 1);
    match m[0].1 {
        Mutation::Secret(Change::Create { name, value }) => {
            assert_eq!(name, "DB_PASS_2");
            assert_eq!(value.expose(), VALUE);
        }
        other => panic!("{other:?}"),
    }
    // The effect that carries the value does not show it.
    assert!(!format!("{effects:?}").contains(VALUE), "{effects:?}");
}

#[test]
fn a_refused_create_keeps_the_form_open_with_the_server_text() {
    let mut state = on_secrets();
    press(&mut state, "c");
    type_text(&mut state, "OPENAI_API_KEY");
    press(&mut state, "tab");
    type_text(&mut state, VALUE);
    let effects = press(&mut state, "enter");
    let (id, _) = mutations(&effects)[0];
    let refusal =
        ApiError::from_status(400, "a secret named OPENAI_API_KEY already exists", "POST", "/v1/secrets", None);
    update(&mut state, Msg::Api { id, reply: Err(refusal) });
    let f = form(&state);
    assert_eq!(f.server_error.as_deref(), Some("a secret named OPENAI_API_KEY already exists"));
    assert!(!f.busy);
    assert_eq!(f.value("name"), "OPENAI_API_KEY", "what was typed stays");
    assert_eq!(f.value("value"), VALUE);
}

#[test]
fn a_new_value_needs_text_and_is_sent_for_the_selected_secret() {
    let mut state = on_secrets();
    assert!(select_name(&mut state.panes.secrets.table, "S3_ACCESS_KEY"));
    press(&mut state, "e");
    assert!(
        matches!(state.modals.last(), Some(Modal::Form(f)) if f.purpose == FormPurpose::EditSecret(secret(2, "", None).secret_id))
    );
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "value").as_deref(), Some("required"));
    type_text(&mut state, "new-value-1");
    assert!(mutations(&press(&mut state, "enter")).is_empty(), "reviewed first, like every edit");
    assert!(matches!(state.modals.last(), Some(Modal::Confirm(c)) if c.lines.iter().any(|l| l.contains("old value"))));
    let effects = press(&mut state, "y");
    match mutations(&effects)[..] {
        [(id, Mutation::Secret(Change::Update { id: sid, value }))] => {
            assert_eq!(*sid, secret(2, "", None).secret_id);
            assert_eq!(value.expose(), "new-value-1");
            let updated = secret(2, "S3_ACCESS_KEY", Some(dana()));
            update(&mut state, Msg::Api { id, reply: Ok(ApiReply::Secrets(Reply::Updated(updated))) });
        }
        ref other => panic!("{other:?}"),
    }
    assert!(state.modals.is_empty(), "an accepted change closes the form");
    let row = state.panes.secrets.table.rows().iter().find(|r| r.cells[0] == "S3_ACCESS_KEY").unwrap().clone();
    assert_eq!(row.cells[3], "dana@acme.io");
}

#[test]
fn delete_needs_the_typed_name() {
    let mut state = on_secrets();
    assert!(select_name(&mut state.panes.secrets.table, "OPENAI_API_KEY"));
    press(&mut state, "ctrl-d");
    type_text(&mut state, "OPENAI");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    type_text(&mut state, "_API_KEY");
    let effects = press(&mut state, "enter");
    match mutations(&effects)[..] {
        [(id, Mutation::Secret(Change::Delete { id: sid }))] => {
            let sid = *sid;
            update(&mut state, Msg::Api { id, reply: Ok(ApiReply::Secrets(Reply::Deleted(sid))) });
        }
        ref other => panic!("{other:?}"),
    }
    assert!(state.panes.secrets.table.rows().iter().all(|r| r.cells[0] != "OPENAI_API_KEY"));
}

#[test]
fn reveal_shows_the_value_for_ten_seconds_then_masks_it() {
    let mut state = on_secrets();
    assert!(select_name(&mut state.panes.secrets.table, "OPENAI_API_KEY"));
    let effects = press(&mut state, "v");
    let (id, fetch) = fetches(&effects)[0];
    let sid = secret(1, "", None).secret_id;
    assert_eq!(fetch, &Fetch::Secrets(Request::Value(sid)));
    let value = Some(SecretValue::new(VALUE));
    let effects =
        reply(&mut state, id, Ok(ApiReply::Secrets(Reply::Value { id: sid, name: "OPENAI_API_KEY".into(), value })));
    assert_eq!(state.panes.secrets.revealed.as_ref().unwrap().value.expose(), VALUE);
    let screen = render(&mut state, 100, 24);
    assert!(screen.contains(VALUE), "the value is on screen:\n{screen}");
    assert!(screen.contains("hidden in 10s"), "{screen}");
    assert!(!format!("{:?}", state.panes.secrets).contains(VALUE), "Debug of the pane redacts it");

    // One-second ticks count down; at ten seconds the value is gone from state and screen.
    let mut timers = pane_timers(&effects);
    let mut ticks = 0;
    while state.panes.secrets.revealed.is_some() {
        let (after, generation) = timers.pop().expect("a tick is armed while the value shows");
        advance(&mut state, after);
        timers = pane_timers(&update(&mut state, Msg::Timer(Timer::Pane { pane: PaneId::Secrets, generation })));
        ticks += 1;
        assert!(ticks <= 11);
    }
    assert_eq!(ticks, 10);
    assert!(!render(&mut state, 100, 24).contains(VALUE));
}

#[test]
fn moving_off_the_revealed_secret_closes_its_value() {
    let mut state = on_secrets();
    assert!(select_name(&mut state.panes.secrets.table, "OPENAI_API_KEY"));
    let effects = press(&mut state, "v");
    let (id, _) = fetches(&effects)[0];
    let sid = secret(1, "", None).secret_id;
    let value = Some(SecretValue::new(VALUE));
    reply(&mut state, id, Ok(ApiReply::Secrets(Reply::Value { id: sid, name: "OPENAI_API_KEY".into(), value })));
    assert!(state.panes.secrets.revealed.is_some());
    press(&mut state, "j");
    assert!(state.panes.secrets.revealed.is_none(), "the panel does not show one secret while another is selected");
    assert!(!render(&mut state, 100, 24).contains(VALUE));
}

/// `y` on S3_ACCESS_KEY and the value's arrival; the effects of the arrival.
fn copy_value(state: &mut State) -> Vec<Effect> {
    assert!(select_name(&mut state.panes.secrets.table, "S3_ACCESS_KEY"));
    let effects = press(state, "y");
    let (id, _) = fetches(&effects)[0];
    let sid = secret(2, "", None).secret_id;
    let value = Some(SecretValue::new(VALUE));
    reply(state, id, Ok(ApiReply::Secrets(Reply::Value { id: sid, name: "S3_ACCESS_KEY".into(), value })))
}

#[test]
fn copy_puts_the_value_on_the_clipboard_and_clears_it_after_thirty_seconds() {
    let mut state = on_secrets();
    let effects = copy_value(&mut state);
    assert!(state.panes.secrets.revealed.is_none(), "copying does not show the value");
    let copied: Vec<&SecretValue> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::CopySecret(v) => Some(v),
            _ => None,
        })
        .collect();
    assert_eq!(copied.len(), 1);
    assert_eq!(copied[0].expose(), VALUE);
    assert!(!format!("{effects:?}").contains(VALUE));
    let timers = pane_timers(&effects);
    assert_eq!(timers.len(), 1);
    assert_eq!(timers[0].0, secrets::CLIPBOARD_FOR);
    advance(&mut state, secrets::CLIPBOARD_FOR);
    let effects = update(&mut state, Msg::Timer(Timer::Pane { pane: PaneId::Secrets, generation: timers[0].1 }));
    assert_eq!(outward(&effects), vec![&Effect::ClearClipboard]);
    // The same timer again (stale) does nothing.
    let effects = update(&mut state, Msg::Timer(Timer::Pane { pane: PaneId::Secrets, generation: timers[0].1 }));
    assert!(outward(&effects).is_empty());
}

#[test]
fn quitting_before_the_clear_clears_at_once() {
    let mut state = on_secrets();
    copy_value(&mut state);
    let effects = update(&mut state, Msg::Quit);
    assert_eq!(outward(&effects), vec![&Effect::ClearClipboard, &Effect::Quit]);
}

#[test]
fn describe_shows_the_secret_without_a_value() {
    let mut state = on_secrets();
    // Even if a server sent a value with the list, it is dropped before it is kept.
    let mut with_value = secret(1, "OPENAI_API_KEY", Some(dana()));
    with_value.value = Some(VALUE.into());
    let effects = panes::refresh_pane(&mut state, PaneId::Secrets);
    let (id, _) = fetches(&effects)[0];
    // The pane keeps whatever the fetch returned; `fetch` strips values, checked in secrets_sim.
    reply(&mut state, id, Ok(ApiReply::Secrets(Reply::List(vec![with_value.without_value()]))));
    assert!(select_name(&mut state.panes.secrets.table, "OPENAI_API_KEY"));
    press(&mut state, "d");
    match state.modals.last() {
        Some(Modal::Describe(v)) => {
            assert!(v.text.contains("OPENAI_API_KEY"));
            assert!(!v.text.contains("\"value\""), "{}", v.text);
        }
        _ => panic!("no describe view"),
    }
}

#[test]
fn read_only_mode_refuses_changes_before_any_request() {
    let mut session = session();
    session.read_only = true;
    let mut state = loaded_with(session, &Org::default());
    let mut effects = type_text(&mut state, ":secrets");
    effects.extend(press(&mut state, "enter"));
    answer(&mut state, effects);
    assert!(outward(&press(&mut state, "c")).is_empty());
    assert!(state.modals.is_empty());
}
