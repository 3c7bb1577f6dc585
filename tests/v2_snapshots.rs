//! Render snapshots of the dashboard at API v2 (clusters, a cluster create, the firewall lag,
//! starters, projects), at 80×24 and 160×48, from the fixed fixtures of `s2tui::testing`.
//! Accept a deliberate change with `INSTA_UPDATE=always cargo test --test v2_snapshots`.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::ApiVersion;
use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect};
use s2tui::msg::{Msg, Timer};
use s2tui::state::{SessionInfo, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::modal::Modal;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, build: impl Fn() -> State) {
    for (w, h) in SIZES {
        let mut state = build();
        let screen = render(&mut state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

fn v2() -> State {
    loaded_with(SessionInfo { api_version: ApiVersion::V2, ..session() }, &Org::default())
}

fn go(state: &mut State, command: &str) {
    let mut effects = press(state, ":");
    effects.extend(type_text(state, command));
    effects.extend(press(state, "enter"));
    serve(state, &Org::default(), effects);
}

/// A create of `cl-new` with firewall `0.0.0.0/0`, sent and accepted; its password dialog closed.
fn created(state: &mut State) -> uuid::Uuid {
    press(state, "c");
    press(state, "tab");
    type_text(state, "cl-new");
    for _ in 0..6 {
        press(state, "tab");
    }
    type_text(state, "0.0.0.0/0");
    let effects = press(state, "enter");
    serve(state, &Org::default(), effects);
    let effects = press(state, "y");
    let (request, _) = mutations(&effects)[0];
    let id = workspace_id(99);
    let reply = ClusterCreated { cluster_id: id, admin_password: Some("Gen3rated-Pass!".into()), group_id: None };
    reply_to(state, request, ApiReply::Clusters(ClustersReply::Created(reply)));
    assert!(matches!(state.modals.last(), Some(Modal::Reveal(_))));
    press(state, "esc");
    id
}

fn reply_to(state: &mut State, request: u64, reply: ApiReply) -> Vec<Effect> {
    update(state, Msg::Api { id: request, reply: Ok(reply) })
}

#[test]
fn clusters_grouped_by_project() {
    snap("v2_clusters", v2);
}

#[test]
fn cluster_create_form() {
    snap("v2_cluster_create_form", || {
        let mut state = v2();
        let effects = press(&mut state, "c");
        serve(&mut state, &Org::default(), effects);
        state
    });
}

#[test]
fn a_new_cluster_active_before_its_firewall() {
    snap("v2_cluster_firewall_lag", || {
        let mut state = v2();
        let id = created(&mut state);
        // The tracker's poll reads the new cluster ACTIVE with the firewall not applied yet.
        advance(&mut state, Duration::from_secs(3));
        let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
        let (request, _) = fetches(&effects)[0];
        let org = Org::default();
        let mut read = org.clusters().remove(0);
        read.cluster_id = id;
        read.name = "cl-new".into();
        read.state = Some(ClusterState::Active);
        read.firewall_ranges = Some(Vec::new());
        read.allow_all_traffic = None;
        reply_to(&mut state, request, ApiReply::Clusters(ClustersReply::One(Box::new(read))));
        let op = state.ops.list.last().unwrap();
        assert_eq!(op.observed.as_deref(), Some("ACTIVE, firewall not applied yet"));
        state
    });
}

#[test]
fn starters_at_v2() {
    snap("v2_starters", || {
        let mut state = v2();
        go(&mut state, "starters");
        state
    });
}

#[test]
fn projects_at_v2() {
    snap("v2_projects", || {
        let mut state = v2();
        go(&mut state, "projects");
        let effects = update(&mut state, Msg::Redraw);
        serve(&mut state, &Org::default(), effects);
        state
    });
}
