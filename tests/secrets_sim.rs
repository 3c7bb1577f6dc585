//! The secrets pane's reads and changes against the simulator over real HTTP: names checked
//! by the service, duplicates refused with its text, values kept out of lists, and out of
//! everything traced while a secret is created, revealed, copied and changed.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use s2tui::api::types::{SecretValue, SecretsChange as Change, SecretsReply as Reply, SecretsRequest as Request};
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::msg::Msg;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::testing::*;
use s2tui::update::update;

const VALUE: &str = "pa55-W0rd-only-in-the-secret";
const NEW_VALUE: &str = "rotated-Value-42-xyz";

async fn sim() -> (SimHandle, Client) {
    let config = SimConfig { seed: Seed::Demo, colleague_rate: 0.0, ..SimConfig::default() };
    let h = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = Client::new(ClientConfig::new(h.base_url(), ApiKey::new(h.api_key())).unwrap()).unwrap();
    (h, client)
}

/// The trace test listens to every callsite of the process; tracing caches each callsite's
/// interest globally, so a test meeting the same callsites on another thread at the same time
/// can leave them switched off for it. The tests of this file take turns.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn names_are_checked_and_duplicates_refused_with_the_service_text() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let (h, client) = sim().await;
    let create = |name: &str| Change::Create { name: name.into(), value: SecretValue::new(VALUE) };
    let err = (create("has space")).send(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.message().contains("only letters, digits and underscores"), "{err}");
    let err = (create("OPENAI_API_KEY")).send(&client).await.unwrap_err();
    assert_eq!(err.message(), "a secret named OPENAI_API_KEY already exists");
    let err = (Change::Create { name: "EMPTY".into(), value: SecretValue::new("") }).send(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(400));

    let Reply::Created(made) = (create("NEW_ONE_2")).send(&client).await.unwrap() else { panic!() };
    assert!(made.value.is_none());
    let stored = h.shared().world().secrets.get(&made.secret_id).unwrap().value.clone();
    assert_eq!(stored.as_deref(), Some(VALUE));

    // The list never carries values; a single read does.
    let Reply::List(list) = (Request::List).send(&client).await.unwrap() else { panic!() };
    assert!(list.iter().any(|s| s.name == "NEW_ONE_2"));
    assert!(list.iter().all(|s| s.value.is_none()));
    let Reply::Value { value, .. } = (Request::Value(made.secret_id)).send(&client).await.unwrap() else { panic!() };
    assert_eq!(value.unwrap().expose(), VALUE);

    // Who changed it is resolved from the audit log: the key's user.
    let Reply::Users(users) = (Request::Users).send(&client).await.unwrap() else { panic!() };
    let api_user = h.shared().world().api_user.clone();
    assert!(users.contains(&(api_user.user_id, api_user.email)), "{users:?}");
    assert_eq!(made.last_updated_by, Some(h.shared().world().api_user.user_id));
}

/// Collects everything the tracing subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs one effect the way the effect runner does, and feeds the reply back.
async fn run(client: &Client, state: &mut s2tui::state::State, effect: Effect, log: &mut String) -> Vec<Effect> {
    log.push_str(&format!("{effect:?}\n"));
    let (id, reply) = match effect {
        Effect::Fetch { id, fetch: Fetch::Secrets(r) } => (id, r.send(client).await.map(ApiReply::Secrets)),
        Effect::Mutate { id, mutation: Mutation::Secret(c) } => (id, c.send(client).await.map(ApiReply::Secrets)),
        _ => return Vec::new(),
    };
    let msg = Msg::Api { id, reply };
    log.push_str(&format!("{msg:?}\n"));
    let effects = update(state, msg);
    log.push_str(&format!("{effects:?}\n"));
    effects
}

#[tokio::test]
async fn a_value_never_reaches_the_log_or_any_debug_output() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Another test thread may have met these callsites first, with no subscriber, and the
    // answer "never" is cached process-wide: ask again now that this one listens.
    tracing::callsite::rebuild_interest_cache();
    let (h, client) = sim().await;
    // Debug text of every message, effect and pane state the value passes through.
    let mut debug = String::new();

    let mut state = loaded();
    let mut effects = type_text(&mut state, ":secrets");
    effects.extend(press(&mut state, "enter"));
    let mut queue = effects;
    while let Some(e) = queue.pop() {
        queue.extend(run(&client, &mut state, e, &mut debug).await);
    }

    // Create through the form.
    press(&mut state, "c");
    type_text(&mut state, "TRACE_ME");
    press(&mut state, "tab");
    type_text(&mut state, VALUE);
    let mut queue = press(&mut state, "enter");
    while let Some(e) = queue.pop() {
        queue.extend(run(&client, &mut state, e, &mut debug).await);
    }
    let id = h.shared().world().secrets.values().find(|s| s.name == "TRACE_ME").unwrap().secret_id;
    assert_eq!(h.shared().world().secrets[&id].value.as_deref(), Some(VALUE));
    let secrets_rows = state.panes.secrets.table.rows().to_vec();

    // Reveal, copy, then a new value.
    assert!(select_name(&mut state.panes.secrets.table, "TRACE_ME"));
    for key in ["v", "y"] {
        let mut queue = press(&mut state, key);
        while let Some(e) = queue.pop() {
            queue.extend(run(&client, &mut state, e, &mut debug).await);
        }
    }
    assert_eq!(state.panes.secrets.revealed.as_ref().unwrap().value.expose(), VALUE, "the reveal worked");
    debug.push_str(&format!("{:?}\n", state.panes.secrets));
    press(&mut state, "e");
    type_text(&mut state, NEW_VALUE);
    press(&mut state, "enter");
    // Every edit is reviewed first.
    let mut queue = press(&mut state, "y");
    while let Some(e) = queue.pop() {
        queue.extend(run(&client, &mut state, e, &mut debug).await);
    }
    assert_eq!(h.shared().world().secrets[&id].value.as_deref(), Some(NEW_VALUE));
    debug.push_str(&format!("{:?}\n{secrets_rows:?}\n", state.panes.secrets));
    for op in &state.ops.list {
        debug.push_str(&format!("{op:?}\n"));
    }

    let traced = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(!traced.is_empty(), "the client and the simulator traced something");
    for v in [VALUE, NEW_VALUE] {
        assert!(!traced.contains(v), "a value reached the trace:\n{traced}");
        assert!(!debug.contains(v), "a value reached a Debug output:\n{debug}");
    }
    assert!(debug.contains("SecretValue(<redacted>)"), "the value did pass through, redacted");
}
