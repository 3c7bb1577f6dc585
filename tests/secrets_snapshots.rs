//! Render snapshots of the secrets pane at 80×24 and 160×48 (fixed clocks and IDs). Accept a
//! deliberate change with `INSTA_UPDATE=always cargo test --test secrets_snapshots`.
#![allow(clippy::unwrap_used)]

use s2tui::api::types::*;
use s2tui::api::types::{SecretValue, SecretsReply as Reply, SecretsRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::state::State;
use s2tui::testing::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, build: impl Fn() -> State) {
    for (w, h) in SIZES {
        let mut state = build();
        let screen = render(&mut state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

fn user(i: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128((0xf000_0000 + i) << 96)
}

fn secret(i: u128, name: &str, created: i64, updated: i64, by: Option<u128>) -> Secret {
    Secret {
        secret_id: uuid::Uuid::from_u128(0xe000_0000 + i),
        name: name.into(),
        created_at: ago(created),
        created_by: by.map(user),
        last_updated_at: ago(updated),
        last_updated_by: by.map(user),
        deleted_at: None,
        deleted_by: None,
        value: None,
    }
}

fn on_secrets() -> State {
    let mut state = loaded();
    let mut queue = type_text(&mut state, ":secrets");
    queue.extend(press(&mut state, "enter"));
    while let Some(e) = queue.pop() {
        let (id, reply) = match e {
            Effect::Fetch { id, fetch: Fetch::Secrets(Request::List) } => (
                id,
                Reply::List(vec![
                    secret(1, "SNOWFLAKE_PASSWORD", 139 * 86_400, 86_400, Some(1)),
                    secret(2, "KAFKA_SASL_PASSWORD", 88 * 86_400, 88 * 86_400, Some(2)),
                    secret(3, "OPENAI_API_KEY", 145 * 86_400, 3600, Some(3)),
                    secret(4, "S3_ACCESS_KEY", 61 * 86_400, 61 * 86_400, None),
                ]),
            ),
            Effect::Fetch { id, fetch: Fetch::Secrets(Request::Users) } => (
                id,
                Reply::Users(vec![
                    (user(1), "priya.raman@acme-analytics.io".into()),
                    (user(2), "jonas.becker@acme-analytics.io".into()),
                ]),
            ),
            _ => continue,
        };
        queue.extend(s2tui::testing::reply(&mut state, id, Ok(ApiReply::Secrets(reply))));
    }
    state
}

#[test]
fn secrets_list() {
    snap("secrets_list", on_secrets);
}

#[test]
fn secrets_value_revealed() {
    snap("secrets_revealed", || {
        let mut state = on_secrets();
        assert!(select_name(&mut state.panes.secrets.table, "OPENAI_API_KEY"));
        let effects = press(&mut state, "v");
        let (id, _) = fetches(&effects)[0];
        let value = Some(SecretValue::new("sk-demo-0000000000000000000000"));
        let sid = uuid::Uuid::from_u128(0xe000_0003);
        let r = Reply::Value { id: sid, name: "OPENAI_API_KEY".into(), value };
        s2tui::testing::reply(&mut state, id, Ok(ApiReply::Secrets(r)));
        state
    });
}

#[test]
fn secrets_create_form_invalid() {
    snap("secrets_form_invalid", || {
        let mut state = on_secrets();
        press(&mut state, "c");
        type_text(&mut state, "db password");
        press(&mut state, "enter");
        press(&mut state, "tab");
        type_text(&mut state, "typed-but-masked");
        state
    });
}
