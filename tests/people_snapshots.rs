//! Render snapshots of the people-and-access panes (users, invitations, identities, roles and
//! the access view) at 80×24 and 160×48, fixed clocks and IDs. Accept a deliberate change
//! with `INSTA_UPDATE=always cargo test --test people_snapshots`.
#![allow(clippy::unwrap_used)]

#[path = "common/people.rs"]
mod fixtures;

use fixtures::People;
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
fn users_list() {
    snap("users", || People::default().open("users"));
}

#[test]
fn what_a_user_can_do() {
    snap("users_can_do", || {
        let p = People::default();
        let mut state = p.open("users");
        assert!(select_name(&mut state.panes.users.table, "Sofia Reyes"));
        p.keys(&mut state, "enter");
        state
    });
}

#[test]
fn removing_a_user_is_typed() {
    snap("users_remove", || {
        let p = People::default();
        let mut state = p.open("users");
        assert!(select_name(&mut state.panes.users.table, "Priya Shah"));
        p.keys(&mut state, "ctrl-d");
        state
    });
}

#[test]
fn invitations_list() {
    snap("invitations", || People::default().open("invitations"));
}

#[test]
fn invitations_pending_only() {
    snap("invitations_pending", || People::default().open("invitations state=pending"));
}

#[test]
fn identities_list() {
    snap("identities", || People::default().open("identities"));
}

#[test]
fn roles_list() {
    snap("roles", || People::default().open("roles"));
}

#[test]
fn the_permission_picker() {
    snap("roles_picker", || {
        let p = People::default();
        let mut state = p.open("roles");
        p.keys(&mut state, "c");
        type_text(&mut state, "Night Shift");
        p.keys(&mut state, "enter");
        state
    });
}

#[test]
fn access_to_a_group() {
    snap("access_group", || {
        let p = People::default();
        let mut state = p.open("wg");
        assert!(select_name(&mut state.panes.groups.table, "analytics"));
        p.keys(&mut state, "a");
        state
    });
}

#[test]
fn granting_is_reviewed() {
    snap("access_grant_review", || {
        let p = People::default();
        let mut state = p.open("wg");
        assert!(select_name(&mut state.panes.groups.table, "analytics"));
        p.keys(&mut state, "a");
        p.keys(&mut state, "c right tab");
        type_text(&mut state, "Analytics");
        p.keys(&mut state, "enter");
        state
    });
}

#[test]
fn the_grant_form_picks_its_holder_from_the_members_and_teams() {
    snap("access_grant_pick", || {
        let p = People::default();
        let mut state = p.open("wg");
        assert!(select_name(&mut state.panes.groups.table, "analytics"));
        p.keys(&mut state, "a");
        p.keys(&mut state, "c tab");
        type_text(&mut state, "sofia");
        state
    });
}

fn v2() -> People {
    People { v2: true, ..People::default() }
}

#[test]
fn roles_at_v2_span_resource_types() {
    snap("roles_v2", || v2().open("roles"));
}

#[test]
fn the_v2_permission_picker_offers_every_type_ticked() {
    snap("roles_v2_picker", || {
        let p = v2();
        let mut state = p.open("roles");
        p.keys(&mut state, "c");
        type_text(&mut state, "Night Shift");
        // Workspace groups are ticked already; tick the organization too.
        p.keys(&mut state, "tab tab space enter");
        state
    });
}

#[test]
fn access_to_a_cluster_at_v2_is_its_groups() {
    snap("access_cluster_v2", || {
        let p = v2();
        let mut state = p.open("clusters");
        assert!(select_name(&mut state.panes.clusters.table, "reporting"));
        p.keys(&mut state, "a");
        state
    });
}
