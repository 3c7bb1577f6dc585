//! `update` tests of what the screen says about reads that failed: a failed read is never an
//! empty list, a group whose read failed keeps its rows (stale, with their age), the header's
//! freshness is the visible pane's own and counts only good reads.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::{Msg, Timer};
use s2tui::testing::*;
use s2tui::update::update;

fn refresh(state: &mut s2tui::state::State) -> Vec<Effect> {
    let generation = state.refresh_generation;
    update(state, Msg::Timer(Timer::Refresh { generation }))
}

fn fail(status: u16, path: &str) -> ApiError {
    ApiError::from_status(status, "nope", "GET", path, None)
}

/// Answers every read in `effects` with `answer`, or from `org` when it gives `None`.
fn answer(
    state: &mut s2tui::state::State,
    org: &Org,
    effects: Vec<Effect>,
    answer: impl Fn(&Fetch) -> Option<Result<ApiReply, ApiError>>,
) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Effect::Fetch { id, fetch } = effect {
            let reply = answer(&fetch).unwrap_or_else(|| org.reply(&fetch));
            queue.extend(update(state, Msg::Api { id, reply }));
        }
    }
}

#[test]
fn a_wrong_key_shows_what_failed_and_what_to_do_never_an_empty_organization() {
    let mut state = empty_state(session());
    let effects = s2tui::update::init(&mut state);
    answer(&mut state, &Org::default(), effects, |_| Some(Err(fail(401, "/v1/workspaceGroups"))));
    let screen = render(&mut state, 120, 20);
    assert!(!screen.contains("No workspace"), "{screen}");
    assert!(screen.contains("Could not read the workspace groups"), "{screen}");
    assert!(screen.contains("s2tui get org"), "{screen}");
    assert!(!screen.contains("refreshed 0s"), "nothing was read: {screen}");

    s2tui::panes::jump(&mut state, s2tui::state::PaneId::Groups);
    let screen = render(&mut state, 120, 20);
    assert!(screen.contains("Could not read the workspace groups"), "{screen}");
}

#[test]
fn a_server_error_says_when_the_next_attempt_is() {
    let mut state = empty_state(session());
    let effects = s2tui::update::init(&mut state);
    answer(&mut state, &Org::default(), effects, |_| Some(Err(fail(503, "/v1/workspaceGroups"))));
    advance(&mut state, Duration::from_secs(3));
    let screen = render(&mut state, 120, 20);
    assert!(screen.contains("(3s ago):"), "{screen}");
    assert!(screen.contains("  503 Service Unavailable: nope"), "{screen}");
    assert!(screen.contains("Retrying in 7s."), "{screen}");
}

#[test]
fn a_failed_refresh_keeps_the_rows_and_shows_the_error_with_its_age() {
    let org = Org::default();
    let mut state = loaded();
    advance(&mut state, Duration::from_secs(10));
    let effects = refresh(&mut state);
    answer(&mut state, &org, effects, |f| matches!(f, Fetch::Groups).then(|| Err(fail(500, "/v1/workspaceGroups"))));
    s2tui::panes::jump(&mut state, s2tui::state::PaneId::Groups);
    // The jump reads again: that one fails too.
    let effects = refresh(&mut state);
    answer(&mut state, &org, effects, |f| matches!(f, Fetch::Groups).then(|| Err(fail(500, "/v1/workspaceGroups"))));
    advance(&mut state, Duration::from_secs(4));
    let screen = render(&mut state, 140, 20);
    assert_eq!(state.panes.groups.table.total(), 3);
    assert!(screen.contains("refresh failed 4s ago"), "{screen}");
    // The header counts only the last good read, 14 s ago.
    assert!(screen.contains("refreshed 14s ago"), "{screen}");
}

#[test]
fn a_group_whose_read_failed_keeps_its_rows_marked_stale_with_their_age() {
    let org = Org::default();
    let mut state = loaded();
    let before = visible_names(&mut state.panes.workspaces.table);
    let total = state.panes.workspaces.table.total();
    let lost = group_id(2);
    advance(&mut state, Duration::from_secs(10));
    let effects = refresh(&mut state);
    answer(&mut state, &org, effects, |f| match f {
        Fetch::Workspaces { groups } => {
            let mut reply = org.reply(f).unwrap();
            if let ApiReply::Workspaces { list, failed, .. } = &mut reply {
                list.retain(|w| w.workspace_group_id != lost);
                failed.push((lost, "503 Service Unavailable".into()));
            }
            assert!(groups.contains(&lost));
            Some(Ok(reply))
        }
        _ => None,
    });
    assert_eq!(state.panes.workspaces.table.total(), total, "nothing vanished");
    let stale: Vec<_> = state.data.workspaces_in(lost).map(|w| w.name.clone()).collect();
    assert!(!stale.is_empty());
    let screen = render(&mut state, 160, 20);
    for name in &stale {
        let row = screen.lines().find(|l| l.contains(name.as_str())).unwrap();
        assert!(row.contains("(stale, 10s old)"), "{row}");
    }
    assert!(screen.contains("1 group not read"), "{screen}");
    // The next good read of that group makes its rows current again.
    advance(&mut state, Duration::from_secs(10));
    let effects = refresh(&mut state);
    answer(&mut state, &org, effects, |_| None);
    assert_eq!(visible_names(&mut state.panes.workspaces.table), before);
    assert!(state.data.stale_groups.is_empty());
}

#[test]
fn the_header_freshness_is_the_visible_panes_own() {
    let mut state = loaded();
    advance(&mut state, Duration::from_secs(30));
    let screen = render(&mut state, 140, 20);
    assert!(screen.contains("refreshed 30s ago"), "{screen}");
    // Secrets were never read (the fixture does not serve them): the groups' read says nothing of them.
    let effects = s2tui::panes::jump(&mut state, s2tui::state::PaneId::Secrets);
    serve(&mut state, &Org::default(), effects);
    let screen = render(&mut state, 140, 20);
    assert!(screen.contains("not refreshed yet"), "{screen}");
    assert!(screen.contains("Could not read the secrets"), "{screen}");
}

/// Answers the tracker's polls of `ws` with `state_now` until its operation is done.
fn poll_until_done(state: &mut s2tui::state::State, ws: &s2tui::api::types::Workspace) {
    for _ in 0..20 {
        if state.ops.pending_count() == 0 {
            return;
        }
        advance(state, Duration::from_secs(2));
        let effects = update(state, Msg::Timer(Timer::PollOperations));
        for (id, fetch) in fetches(&effects) {
            assert_eq!(fetch, &Fetch::Workspace(ws.workspace_id));
            update(state, Msg::Api { id, reply: Ok(ApiReply::Workspace(ws.clone())) });
        }
    }
    panic!("the operation never finished: {:?}", state.ops.list);
}

#[test]
fn a_list_read_sent_before_a_confirmed_change_never_shows_it_undone() {
    use s2tui::api::types::WorkspaceState;
    let mut state = loaded();
    assert!(select_name(&mut state.panes.workspaces.table, "ingest"));
    press(&mut state, "s");
    let (suspend, _) = mutations(&press(&mut state, "y"))[0];
    // A refresh goes out while the suspend is on its way: the API still says ACTIVE.
    advance(&mut state, Duration::from_secs(1));
    let old_read = fetches(&refresh(&mut state))
        .into_iter()
        .find(|(_, f)| matches!(f, Fetch::Workspaces { .. }))
        .map(|(id, f)| (id, f.clone()))
        .unwrap();
    let before = Org::default().reply(&old_read.1);
    update(&mut state, Msg::Api { id: suspend, reply: Ok(ApiReply::Mutated(workspace_id(4))) });
    let mut suspended = state.data.workspace(workspace_id(4)).unwrap().clone();
    suspended.state = WorkspaceState::Suspended;
    poll_until_done(&mut state, &suspended);
    assert_eq!(state.data.workspace(workspace_id(4)).unwrap().state, WorkspaceState::Suspended);

    // The old read's reply comes last: it is older than the poll that confirmed the change.
    let queued = update(&mut state, Msg::Api { id: old_read.0, reply: before });
    assert_eq!(state.data.workspace(workspace_id(4)).unwrap().state, WorkspaceState::Suspended);
    let screen = render(&mut state, 160, 20);
    let row = screen.lines().find(|l| l.contains("ingest")).unwrap();
    assert!(row.contains("SUSPENDED") && !row.contains("ACTIVE"), "{row}");
    // The rest of that reply was applied.
    assert_eq!(state.panes.workspaces.table.total(), 6);

    // A read sent after the change is applied as usual.
    let mut effects = queued;
    effects.extend(refresh(&mut state));
    let mut org = Org::default();
    org.workspaces
        .iter_mut()
        .filter(|w| w.workspace_id == workspace_id(4))
        .for_each(|w| w.state = WorkspaceState::Failed);
    answer(&mut state, &org, effects, |_| None);
    assert_eq!(state.data.workspace(workspace_id(4)).unwrap().state, WorkspaceState::Failed);
}

#[test]
fn a_single_read_older_than_the_shown_state_is_ignored() {
    use s2tui::api::types::WorkspaceState;
    let mut state = loaded();
    let id = workspace_id(4);
    let older = state.requests.start(s2tui::state::Purpose::Fetch(Fetch::Workspace(id)));
    // A refresh sent after it shows the workspace SUSPENDED.
    let effects = refresh(&mut state);
    let mut org = Org::default();
    org.workspaces.iter_mut().filter(|w| w.workspace_id == id).for_each(|w| w.state = WorkspaceState::Suspended);
    answer(&mut state, &org, effects, |_| None);
    let mut stale = state.data.workspace(id).unwrap().clone();
    stale.state = WorkspaceState::Active;
    update(&mut state, Msg::Api { id: older, reply: Ok(ApiReply::Workspace(stale)) });
    assert_eq!(state.data.workspace(id).unwrap().state, WorkspaceState::Suspended);
}

#[test]
fn a_poll_answered_after_a_newer_read_never_undoes_it() {
    use s2tui::api::types::WorkspaceState;
    let mut state = loaded();
    let id = workspace_id(4);
    assert!(select_name(&mut state.panes.workspaces.table, "ingest"));
    press(&mut state, "s");
    let (suspend, _) = mutations(&press(&mut state, "y"))[0];
    // The reads the change asks for at once are answered: the API still says ACTIVE.
    let effects = update(&mut state, Msg::Api { id: suspend, reply: Ok(ApiReply::Mutated(id)) });
    answer(&mut state, &Org::default(), effects, |_| None);
    // The tracker's poll goes out...
    advance(&mut state, Duration::from_secs(2));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    let poll = fetches(&effects).into_iter().find(|(_, f)| **f == Fetch::Workspace(id)).map(|(i, _)| i).unwrap();
    // ...then a refresh, sent after it, shows the workspace SUSPENDED.
    let effects = refresh(&mut state);
    let mut org = Org::default();
    org.workspaces.iter_mut().filter(|w| w.workspace_id == id).for_each(|w| w.state = WorkspaceState::Suspended);
    answer(&mut state, &org, effects, |_| None);
    assert_eq!(state.data.workspace(id).unwrap().state, WorkspaceState::Suspended);
    // The poll's reply comes last and still says ACTIVE: what the newer read showed stays.
    let mut old = state.data.workspace(id).unwrap().clone();
    old.state = WorkspaceState::Active;
    update(&mut state, Msg::Api { id: poll, reply: Ok(ApiReply::Workspace(old)) });
    assert_eq!(state.data.workspace(id).unwrap().state, WorkspaceState::Suspended);
    let screen = render(&mut state, 160, 20);
    let row = screen.lines().find(|l| l.contains("ingest")).unwrap();
    assert!(!row.contains("ACTIVE"), "{row}");
}
