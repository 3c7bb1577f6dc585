//! Render snapshots of the teams pane at 80×24 and 160×48 (fixed clocks and IDs). Accept a
//! deliberate change with `INSTA_UPDATE=always cargo test --test teams_snapshots`.
#![allow(clippy::unwrap_used)]

#[path = "common/teams_pc.rs"]
mod fixtures;

use fixtures::World;
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

#[test]
fn teams_list() {
    snap("teams", || World::default().open("teams"));
}

#[test]
fn team_members() {
    snap("teams_describe", || {
        let mut state = World::default().open("teams");
        assert!(select_name(&mut state.panes.teams.table, "Platform Admins"));
        press(&mut state, "enter");
        state
    });
}

#[test]
fn team_edit_with_a_bad_email() {
    snap("teams_edit_invalid", || {
        let mut state = World::default().open("teams");
        assert!(select_name(&mut state.panes.teams.table, "Analytics"));
        keys(&mut state, "e tab tab");
        type_text(&mut state, "ann@acme.io, bob@acme");
        press(&mut state, "enter");
        state
    });
}

#[test]
fn team_edit_review() {
    snap("teams_edit_review", || {
        let mut state = World::default().open("teams");
        assert!(select_name(&mut state.panes.teams.table, "Analytics"));
        keys(&mut state, "e tab tab");
        type_text(&mut state, "ann@acme.io");
        keys(&mut state, "tab tab");
        type_text(&mut state, "Data Engineering");
        press(&mut state, "enter");
        state
    });
}
