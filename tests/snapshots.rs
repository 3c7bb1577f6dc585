//! Render snapshots: every view of the dashboard drawn on ratatui's `TestBackend` at 80×24 and
//! 160×48, compared as text. States come from `s2tui::testing` (fixed clocks, fixed IDs), so a
//! frame is the same on every machine. Accept a deliberate change with
//! `INSTA_UPDATE=always cargo test --test snapshots` and read the diff before committing it.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::effect::ApiReply;
use s2tui::msg::{Msg, Timer};
use s2tui::state::{SessionInfo, State};
use s2tui::testing::*;
use s2tui::update::update;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Builds the state afresh for each size and compares the frame with `<name>_<w>x<h>`.
fn snap(name: &str, build: impl Fn() -> State) {
    for (w, h) in SIZES {
        let mut state = build();
        let screen = render(&mut state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

fn select_ws(state: &mut State, name: &str) {
    assert!(select_name(&mut state.panes.workspaces.table, name), "{name}");
}

fn the_mutation(effects: &[s2tui::effect::Effect]) -> u64 {
    let m = mutations(effects);
    assert_eq!(m.len(), 1, "{effects:?}");
    m[0].0
}

fn go(state: &mut State, command: &str) {
    let org = Org::default();
    let mut effects = press(state, ":");
    effects.extend(type_text(state, command));
    effects.extend(press(state, "enter"));
    serve(state, &org, effects);
}

#[test]
fn workspaces_of_every_group() {
    snap("workspaces", loaded);
}

#[test]
fn workspaces_of_one_group_filtered_with_a_mark() {
    snap("workspaces_drilled_filtered_marked", || {
        let mut state = loaded();
        go(&mut state, "wg");
        assert!(select_name(&mut state.panes.groups.table, "analytics"));
        let effects = press(&mut state, "enter");
        serve(&mut state, &Org::default(), effects);
        select_ws(&mut state, "reporting");
        press(&mut state, "space");
        keys(&mut state, "/ r e p enter");
        state
    });
}

#[test]
fn workspaces_while_typing_a_filter() {
    snap("workspaces_filter_editing", || {
        let mut state = loaded();
        press(&mut state, "/");
        type_text(&mut state, "etl");
        state
    });
}

#[test]
fn workspaces_sorted_by_size_descending() {
    snap("workspaces_sorted", || {
        let mut state = loaded();
        keys(&mut state, "> > > ~");
        state
    });
}

#[test]
fn groups() {
    snap("groups", || {
        let mut state = loaded();
        go(&mut state, "wg");
        state
    });
}

#[test]
fn operations_pending_done_and_failed() {
    snap("operations", || {
        let mut state = loaded();
        // Done: resume dashboards, two polls in a row find it ACTIVE.
        select_ws(&mut state, "dashboards");
        press(&mut state, "r");
        let id = the_mutation(&press(&mut state, "y"));
        reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(2))));
        let mut ws = state.data.workspace(workspace_id(2)).unwrap().clone();
        ws.state = WorkspaceState::Active;
        for _ in 0..2 {
            advance(&mut state, Duration::from_secs(2));
            let (poll, _) = fetches(&update(&mut state, Msg::Timer(Timer::PollOperations)))[0];
            reply(&mut state, poll, Ok(ApiReply::Workspace(ws.clone())));
        }

        // Failed: the API refuses to terminate reporting.
        select_ws(&mut state, "reporting");
        press(&mut state, "ctrl-d");
        type_text(&mut state, "reporting");
        let id = the_mutation(&press(&mut state, "enter"));
        let refusal = "workspace has attached databases in use";
        let path = "/v1/workspaces/b0000001-0000-4000-8000-000000000000";
        reply(&mut state, id, Err(ApiError::from_status(409, refusal, "DELETE", path, None)));

        // Pending: suspend ingest, one poll still sees ACTIVE.
        advance(&mut state, Duration::from_secs(5));
        select_ws(&mut state, "ingest");
        press(&mut state, "s");
        let id = the_mutation(&press(&mut state, "y"));
        reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
        advance(&mut state, Duration::from_secs(2));
        let (poll, _) = fetches(&update(&mut state, Msg::Timer(Timer::PollOperations)))[0];
        let ws = state.data.workspace(workspace_id(4)).unwrap().clone();
        reply(&mut state, poll, Ok(ApiReply::Workspace(ws)));
        advance(&mut state, Duration::from_secs(1));
        update(&mut state, Msg::Timer(Timer::Spinner));

        go(&mut state, "ops");
        state.toasts.items.clear();
        state
    });
}

#[test]
fn workspaces_with_a_pending_operation() {
    snap("workspaces_pending_op", || {
        let mut state = loaded();
        select_ws(&mut state, "ingest");
        press(&mut state, "s");
        let id = the_mutation(&press(&mut state, "y"));
        reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
        state
    });
}

#[test]
fn help_overlay() {
    snap("help", || {
        let mut state = loaded();
        press(&mut state, "?");
        state
    });
}

#[test]
fn command_palette() {
    snap("palette", || {
        let mut state = loaded();
        press(&mut state, ":");
        type_text(&mut state, "w");
        state
    });
}

#[test]
fn describe_json() {
    snap("describe", || {
        let mut state = loaded();
        select_ws(&mut state, "ml-training");
        press(&mut state, "d");
        state
    });
}

#[test]
fn yes_no_confirmation_of_a_batch() {
    snap("confirm_batch", || {
        let mut state = loaded();
        select_ws(&mut state, "ingest");
        keys(&mut state, "space space space s");
        state
    });
}

#[test]
fn typed_confirmation_with_a_wrong_name() {
    snap("typed_confirm", || {
        let mut state = loaded();
        go(&mut state, "wg");
        assert!(select_name(&mut state.panes.groups.table, "analytics"));
        press(&mut state, "ctrl-d");
        type_text(&mut state, "analytic");
        press(&mut state, "enter");
        state
    });
}

#[test]
fn create_workspace_form_with_a_validation_error() {
    snap("form_create_invalid", || {
        let mut state = loaded();
        press(&mut state, "c");
        press(&mut state, "enter");
        type_text(&mut state, "9lives");
        state
    });
}

#[test]
fn create_workspace_form_refused_by_the_api() {
    snap("form_create_refused", || {
        let mut state = loaded();
        press(&mut state, "c");
        press(&mut state, "tab");
        type_text(&mut state, "reporting");
        press(&mut state, "enter");
        let id = the_mutation(&press(&mut state, "y"));
        let refusal = "a workspace named reporting already exists in workspace group analytics";
        reply(&mut state, id, Err(ApiError::from_status(400, refusal, "POST", "/v1/workspaces", None)));
        state
    });
}

#[test]
fn edit_workspace_form() {
    snap("form_edit", || {
        let mut state = loaded();
        select_ws(&mut state, "reporting");
        press(&mut state, "e");
        press(&mut state, "right");
        state
    });
}

#[test]
fn edit_review_of_the_changes() {
    snap("form_edit_review", || {
        let mut state = loaded();
        select_ws(&mut state, "reporting");
        keys(&mut state, "e right tab right enter");
        state
    });
}

#[test]
fn reveal_of_a_generated_password() {
    snap("reveal", || {
        let mut state = loaded();
        go(&mut state, "wg");
        press(&mut state, "c");
        type_text(&mut state, "new-group");
        let id = the_mutation(&press(&mut state, "enter"));
        let created = WorkspaceGroupCreated {
            workspace_group_id: group_id(7),
            admin_password: Some("Gen3rated-Pa55word!".into()),
        };
        reply(&mut state, id, Ok(ApiReply::GroupCreated(created)));
        state
    });
}

#[test]
fn toasts() {
    snap("toasts", || {
        let mut state = loaded();
        select_ws(&mut state, "ingest");
        press(&mut state, "y");
        select_ws(&mut state, "staging");
        // A key closes the messages shown; what arrives without one stacks.
        s2tui::update::update(
            &mut state,
            Msg::Notice { text: "This workspace has no endpoint yet.".into(), error: true },
        );
        state
    });
}

#[test]
fn loading_before_any_data() {
    snap("loading", || {
        let mut state = empty_state(session());
        s2tui::update::init(&mut state);
        state
    });
}

#[test]
fn read_only_badge() {
    snap("read_only", || {
        let mut state = loaded_with(SessionInfo { read_only: true, ..session() }, &Org::default());
        select_ws(&mut state, "ingest");
        press(&mut state, "s");
        state
    });
}
