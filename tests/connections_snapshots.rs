//! Render snapshots of the private connections pane at 80×24 and 160×48 (fixed clocks and
//! IDs). Accept a deliberate change with `INSTA_UPDATE=always cargo test --test connections_snapshots`.
#![allow(clippy::unwrap_used)]

#[path = "common/teams_pc.rs"]
mod fixtures;

use fixtures::{World, connection_id};
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
fn connections_of_every_group() {
    snap("connections", || World::default().open("pc"));
}

#[test]
fn connections_of_one_group() {
    snap("connections_group", || World::default().open("pc etl"));
}

#[test]
fn create_with_an_allow_list_of_the_wrong_provider() {
    snap("connections_create_invalid", || {
        let mut state = World::default().open("pc analytics");
        keys(&mut state, "c tab tab tab");
        type_text(&mut state, "acme-data-prod");
        press(&mut state, "enter");
        state
    });
}

#[test]
fn outbound_allow_list_and_kai_endpoint() {
    snap("connections_details", || {
        let world = World::default();
        let mut state = world.open("pc");
        assert!(state.panes.connections.table.select_key(&connection_id(1).to_string()));
        let effects = press(&mut state, "i");
        world.serve(&mut state, effects);
        state
    });
}

#[test]
fn delete_confirmation() {
    snap("connections_delete", || {
        let mut state = World::default().open("pc");
        assert!(state.panes.connections.table.select_key(&connection_id(2).to_string()));
        press(&mut state, "ctrl-d");
        state
    });
}
