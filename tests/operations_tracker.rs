//! `update` tests of the operations tracker's rules: a change whose reply never came is
//! followed as "outcome unknown", a lost create is looked for by name before it may be sent
//! again, two agreeing reads make an operation done, failed reads are counted and shown, an
//! overall time limit ends it with the last state seen, a 404 ends a removal, and removing
//! what is being created supersedes the create. Messages in, state and effects out.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::msg::{Msg, RequestId, Timer};
use s2tui::panes::ops::{self, Expect, OpKind, OpStatus, Planned};
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::modal::Modal;

fn timed_out(method: &str, path: &str) -> ApiError {
    ApiError::Timeout { after: Duration::from_secs(30), method: method.into(), path: path.into() }
}

fn unavailable() -> ApiError {
    ApiError::from_status(503, "Service temporarily unavailable", "GET", "/v1/workspaces/x", None)
}

fn ws_with(state: &State, name: &str, s: WorkspaceState) -> Workspace {
    let mut ws = state.data.workspaces.value.iter().flatten().find(|w| w.name == name).unwrap().clone();
    ws.state = s;
    ws
}

/// Suspends `name` through the y/n confirmation; returns the mutation's request ID.
fn suspend(state: &mut State, name: &str) -> RequestId {
    assert!(select_name(&mut state.panes.workspaces.table, name));
    press(state, "s");
    let effects = press(state, "y");
    mutations(&effects)[0].0
}

/// Moves the clock to the next poll and fires the timer; returns the poll's request and read.
fn next_poll(state: &mut State) -> (RequestId, Fetch) {
    let due = state.ops.list.iter().filter(|o| o.is_pending()).map(|o| o.next_poll).min().unwrap();
    state.now = state.now.max(due);
    let effects = update(state, Msg::Timer(Timer::PollOperations));
    let polls = fetches(&effects);
    assert_eq!(polls.len(), 1, "one poll expected: {effects:?}");
    (polls[0].0, polls[0].1.clone())
}

fn last_toast(state: &State) -> String {
    state.toasts.items.last().map(|t| t.text.clone()).unwrap_or_default()
}

fn ops_status(state: &mut State) -> String {
    panes_rebuild(state);
    state.panes.ops.table.rows()[0].cells[2].clone()
}

fn panes_rebuild(state: &mut State) {
    s2tui::panes::rebuild(state, &[PaneId::Operations, PaneId::Workspaces]);
}

fn ws_row_state(state: &mut State, name: &str) -> String {
    panes_rebuild(state);
    assert!(select_name(&mut state.panes.workspaces.table, name));
    state.panes.workspaces.table.selected_row().unwrap().cells[3].clone()
}

/// Starts `planned` as a confirmed change; returns the mutation's request ID.
fn start(state: &mut State, planned: Planned) -> RequestId {
    let effects = s2tui::panes::with_panes(state, |_, cx| ops::send(cx, vec![planned]));
    mutations(&effects)[0].0
}

fn create_planned(name: &str) -> Planned {
    Planned {
        mutation: Mutation::CreateWorkspace(WorkspaceCreate {
            name: name.into(),
            workspace_group_id: group_id(1),
            ..WorkspaceCreate::default()
        }),
        kind: OpKind::CreateWorkspace,
        target: None,
        name: name.into(),
        expect: Expect::Workspace(WorkspaceState::Active),
    }
}

fn terminate_planned(id: uuid::Uuid, name: &str) -> Planned {
    Planned {
        mutation: Mutation::TerminateWorkspace { id },
        kind: OpKind::TerminateWorkspace,
        target: Some(id),
        name: name.into(),
        expect: Expect::Workspace(WorkspaceState::Terminated),
    }
}

#[test]
fn a_suspend_whose_reply_never_came_is_unknown_then_what_the_api_shows() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    let effects = reply(&mut state, id, Err(timed_out("POST", "/v1/workspaces/x/suspend")));
    assert!(mutations(&effects).is_empty(), "a change is never sent twice by itself");
    assert_eq!(state.ops.list[0].status, OpStatus::Checking);
    assert!(state.ops.list[0].is_pending(), "not failed, not done: still followed");
    assert!(ops_status(&mut state).starts_with("outcome unknown (timed out after 30s"), "{}", ops_status(&mut state));
    assert_eq!(ws_row_state(&mut state, "ingest"), "unknown (checking…)");
    assert!(last_toast(&state).contains("no answer"), "{}", last_toast(&state));

    // It is read at once, and the API's word decides (after two agreeing reads).
    let (poll, fetch) = next_poll(&mut state);
    assert_eq!(fetch, Fetch::Workspace(workspace_id(4)));
    let suspended = ws_with(&state, "ingest", WorkspaceState::Suspended);
    reply(&mut state, poll, Ok(ApiReply::Workspace(suspended.clone())));
    assert_eq!(state.ops.list[0].status, OpStatus::Checking);
    assert_eq!(ws_row_state(&mut state, "ingest"), "SUSPENDED (checking…)", "what the tracker read");
    let (poll, _) = next_poll(&mut state);
    let effects = reply(&mut state, poll, Ok(ApiReply::Workspace(suspended)));
    assert_eq!(state.ops.list[0].status, OpStatus::Done);
    assert!(effects.contains(&Effect::Bell));
    assert!(last_toast(&state).contains("its reply was lost, the API shows SUSPENDED"), "{}", last_toast(&state));
    assert_eq!(ws_row_state(&mut state, "ingest"), "SUSPENDED");
}

#[test]
fn a_change_that_cannot_be_read_back_is_reported_unknown_not_failed_or_done() {
    let mut state = loaded();
    let planned = Planned {
        mutation: Mutation::UpdateGroup { id: group_id(1), body: WorkspaceGroupUpdate::default() },
        kind: OpKind::UpdateGroup,
        target: Some(group_id(1)),
        name: "analytics".into(),
        expect: Expect::Reply,
    };
    let id = start(&mut state, planned);
    let lost = ApiError::Transport { message: "connection reset".into(), method: "PATCH".into(), path: "/v1/x".into() };
    reply(&mut state, id, Err(lost));
    let OpStatus::Failed(why) = &state.ops.list[0].status else { panic!("{:?}", state.ops.list[0].status) };
    assert!(why.starts_with("outcome unknown") && why.contains("look before sending it again"), "{why}");
}

/// Opens the create form, types `name`, confirms; returns the create's request ID.
fn submit_create(state: &mut State, name: &str) -> RequestId {
    press(state, "c");
    press(state, "tab");
    type_text(state, name);
    press(state, "enter");
    let effects = press(state, "y");
    mutations(&effects)[0].0
}

fn form(state: &State) -> &s2tui::widgets::modal::FormModal {
    match state.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("no form on top: {:?}", other.map(Modal::name)),
    }
}

#[test]
fn a_create_that_timed_out_is_looked_for_by_name_and_found_closes_the_form() {
    let mut state = loaded();
    let id = submit_create(&mut state, "late-ws");
    reply(&mut state, id, Err(timed_out("POST", "/v1/workspaces")));
    let f = form(&state);
    assert!(f.form.busy, "Enter cannot send it again while the list is read");
    assert!(f.form.server_error.as_deref().unwrap().contains("checking whether late-ws was created"));
    assert!(mutations(&press(&mut state, "enter")).is_empty());

    let (poll, fetch) = next_poll(&mut state);
    assert_eq!(fetch, Fetch::Workspaces { groups: vec![group_id(1)] });
    let mut made = workspace(77, 1, "late-ws", "S-00", WorkspaceState::Pending);
    made.workspace_id = workspace_id(77);
    let list = vec![made.clone()];
    let effects = reply(&mut state, poll, Ok(ApiReply::Workspaces { groups: vec![group_id(1)], list, failed: vec![] }));
    assert!(state.modals.is_empty(), "it exists: the form closes instead of offering to resend");
    assert!(mutations(&effects).is_empty());
    let op = &state.ops.list[0];
    assert_eq!((op.target, &op.status), (Some(workspace_id(77)), &OpStatus::Waiting));
    assert!(last_toast(&state).contains("late-ws was created after all"), "{}", last_toast(&state));
    // From here it is followed like any create.
    let (_, fetch) = next_poll(&mut state);
    assert_eq!(fetch, Fetch::Workspace(workspace_id(77)));
}

#[test]
fn a_create_that_timed_out_and_is_not_there_offers_to_send_it_again() {
    let mut state = loaded();
    let id = submit_create(&mut state, "lost-ws");
    reply(&mut state, id, Err(timed_out("POST", "/v1/workspaces")));
    let none = || Ok(ApiReply::Workspaces { groups: vec![group_id(1)], list: vec![], failed: vec![] });
    let (poll, _) = next_poll(&mut state);
    reply(&mut state, poll, none());
    assert!(form(&state).form.busy, "one read that does not show it is not enough");
    let (poll, _) = next_poll(&mut state);
    reply(&mut state, poll, none());
    let f = form(&state);
    assert!(!f.form.busy);
    assert_eq!(f.form.server_error.as_deref(), Some("lost-ws was not created. Enter sends it again."));
    assert!(matches!(&state.ops.list[0].status, OpStatus::Failed(e) if e.starts_with("not created")));
    // Enter goes through the confirmation again and sends it once more.
    press(&mut state, "enter");
    assert_eq!(mutations(&press(&mut state, "y")).len(), 1);
}

#[test]
fn a_lookup_that_could_not_read_the_list_proves_nothing() {
    let mut state = loaded();
    let id = submit_create(&mut state, "lost-ws");
    reply(&mut state, id, Err(timed_out("POST", "/v1/workspaces")));
    for _ in 0..3 {
        let (poll, _) = next_poll(&mut state);
        let failed = vec![(group_id(1), "503 Service Unavailable".to_string())];
        reply(&mut state, poll, Ok(ApiReply::Workspaces { groups: vec![group_id(1)], list: vec![], failed }));
    }
    let op = &state.ops.list[0];
    assert_eq!((op.status.clone(), op.failed_polls), (OpStatus::Checking, 3));
    assert!(form(&state).form.busy, "still checking: nothing offers to resend");

    // At the overall limit the form takes the keyboard back, saying what is known.
    advance(&mut state, Duration::from_secs(31 * 60));
    update(&mut state, Msg::Timer(Timer::PollOperations));
    assert!(matches!(state.ops.list[0].status, OpStatus::GaveUp(_)));
    let f = form(&state);
    assert!(!f.form.busy);
    assert!(f.form.server_error.as_deref().unwrap().starts_with("gave up after 30m"), "{:?}", f.form.server_error);
}

#[test]
fn done_takes_two_agreeing_reads_in_a_row() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    let suspended = ws_with(&state, "ingest", WorkspaceState::Suspended);
    let active = ws_with(&state, "ingest", WorkspaceState::Active);
    for (shown, then) in
        [(&suspended, OpStatus::Waiting), (&active, OpStatus::Waiting), (&suspended, OpStatus::Waiting)]
    {
        let (poll, _) = next_poll(&mut state);
        reply(&mut state, poll, Ok(ApiReply::Workspace(shown.clone())));
        assert_eq!(state.ops.list[0].status, then);
    }
    let (poll, _) = next_poll(&mut state);
    reply(&mut state, poll, Ok(ApiReply::Workspace(suspended)));
    assert_eq!(state.ops.list[0].status, OpStatus::Done);
    assert_eq!(state.ops.list[0].polls, 4);
}

#[test]
fn failed_reads_are_counted_and_shown_with_the_last_error() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    for _ in 0..3 {
        let (poll, _) = next_poll(&mut state);
        reply(&mut state, poll, Err(unavailable()));
    }
    let op = &state.ops.list[0];
    assert_eq!((op.failed_polls, &op.status), (3, &OpStatus::Waiting));
    let shown = ops_status(&mut state);
    assert!(shown.starts_with("suspending… (3 failed reads, last: 503"), "{shown}");
    // A good read clears the count.
    let (poll, _) = next_poll(&mut state);
    let active = ws_with(&state, "ingest", WorkspaceState::Active);
    reply(&mut state, poll, Ok(ApiReply::Workspace(active)));
    assert_eq!(state.ops.list[0].failed_polls, 0);
    assert_eq!(ops_status(&mut state), "suspending…");
}

#[test]
fn an_operation_gives_up_after_the_overall_limit_with_the_last_state_seen() {
    let session = s2tui::state::SessionInfo { operation_timeout: Duration::from_secs(60), ..session() };
    let mut state = loaded_with(session, &Org::default());
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    let started = state.ops.list[0].started;
    // Polls keep showing ACTIVE; the poll timer that comes after the limit ends it.
    let effects = loop {
        assert!(state.now.duration_since(started) < Duration::from_secs(75), "never gave up");
        state.now = state.now.max(state.ops.list[0].next_poll);
        let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
        if !state.ops.list[0].is_pending() {
            break effects;
        }
        let (poll, _) = fetches(&effects)[0];
        let still = ws_with(&state, "ingest", WorkspaceState::Active);
        reply(&mut state, poll, Ok(ApiReply::Workspace(still)));
    };
    assert_eq!(state.ops.list[0].status, OpStatus::GaveUp("gave up after 1m; last seen: ACTIVE".into()));
    assert!(effects.contains(&Effect::Bell));
    assert!(last_toast(&state).contains("suspend ingest: gave up after 1m"), "{}", last_toast(&state));
    assert_eq!(ops_status(&mut state), "gave up after 1m; last seen: ACTIVE");
    assert!(fetches(&update(&mut state, Msg::Timer(Timer::PollOperations))).is_empty(), "no more polls");
}

#[test]
fn the_limit_also_ends_an_operation_whose_polls_never_answer() {
    let session = s2tui::state::SessionInfo { operation_timeout: Duration::from_secs(60), ..session() };
    let mut state = loaded_with(session, &Org::default());
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    let _ = next_poll(&mut state);
    // The poll's reply never comes; the timer still ends it.
    advance(&mut state, Duration::from_secs(61));
    update(&mut state, Msg::Timer(Timer::PollOperations));
    assert!(matches!(&state.ops.list[0].status, OpStatus::GaveUp(why) if why.ends_with("last seen: nothing yet")));
}

#[test]
fn a_404_while_removing_is_done_and_removing_what_is_being_created_supersedes_it() {
    let mut state = loaded();
    let create = start(&mut state, create_planned("doomed"));
    reply(&mut state, create, Ok(ApiReply::Mutated(workspace_id(50))));
    assert_eq!(state.ops.list[0].status, OpStatus::Waiting);

    let terminate = start(&mut state, terminate_planned(workspace_id(50), "doomed"));
    assert_eq!(state.ops.list[0].status, OpStatus::Superseded("terminate workspace".into()));
    assert!(!state.ops.list[0].is_pending(), "the create is no longer followed, and not failed");
    let create_id = state.ops.list[0].id.to_string();
    panes_rebuild(&mut state);
    let row = state.panes.ops.table.rows().iter().find(|r| r.key == create_id).unwrap();
    assert_eq!(row.cells[2], "superseded by terminate workspace");
    reply(&mut state, terminate, Ok(ApiReply::Mutated(workspace_id(50))));

    let (poll, fetch) = next_poll(&mut state);
    assert_eq!(fetch, Fetch::Workspace(workspace_id(50)));
    let gone = ApiError::from_status(404, "workspace not found", "GET", "/v1/workspaces/x", None);
    let effects = reply(&mut state, poll, Err(gone));
    let op = state.ops.list.last().unwrap();
    assert_eq!(op.status, OpStatus::Done, "a 404 is what a removal waits for");
    assert_eq!(op.observed.as_deref(), Some("gone (404)"));
    assert!(effects.contains(&Effect::Bell));
    assert_eq!(state.ops.pending_count(), 0, "nothing polled forever");
}

#[test]
fn a_404_for_a_create_keeps_polling_and_counts_as_a_failed_read() {
    let mut state = loaded();
    let create = start(&mut state, create_planned("fresh"));
    reply(&mut state, create, Ok(ApiReply::Mutated(workspace_id(51))));
    let (poll, _) = next_poll(&mut state);
    let unknown = ApiError::from_status(404, "workspace not found", "GET", "/v1/workspaces/x", None);
    reply(&mut state, poll, Err(unknown));
    let op = &state.ops.list[0];
    assert_eq!((op.failed_polls, &op.status), (1, &OpStatus::Waiting));
}

#[test]
fn a_secret_whose_create_reply_was_lost_is_found_by_name_and_done() {
    let mut state = loaded();
    let planned = Planned {
        mutation: Mutation::Secret(SecretsChange::Create { name: "LATE".into(), value: SecretValue::new("v") }),
        kind: OpKind::Change { label: "create secret", done: "created" },
        target: None,
        name: "LATE".into(),
        expect: Expect::Reply,
    };
    let id = start(&mut state, planned);
    reply(&mut state, id, Err(timed_out("POST", "/v1/secrets")));
    assert_eq!(state.ops.list[0].status, OpStatus::Checking);
    let (poll, fetch) = next_poll(&mut state);
    assert_eq!(fetch, Fetch::Secrets(SecretsRequest::List));
    let secret: Secret =
        serde_json::from_value(serde_json::json!({"secretID": workspace_id(90), "name": "LATE"})).unwrap();
    reply(&mut state, poll, Ok(ApiReply::Secrets(SecretsReply::List(vec![secret]))));
    let op = &state.ops.list[0];
    assert_eq!((op.target, &op.status), (Some(workspace_id(90)), &OpStatus::Done));
    assert!(last_toast(&state).contains("LATE was created after all"));
}
