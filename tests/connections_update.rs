//! `update` tests of the private connections pane: scopes, forms and their validation (allow
//! lists by provider, service names), and creates followed by the operations tracker.
#![allow(clippy::unwrap_used)]

#[path = "common/teams_pc.rs"]
mod fixtures;

use std::time::Duration;

use fixtures::*;
use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{ConnectionsChange as Change, ConnectionsRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::msg::{Msg, Timer};
use s2tui::panes;
use s2tui::panes::connections::{self, Scope};
use s2tui::panes::ops::{Expect, OpStatus};
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::modal::{FormModal, FormPurpose, Modal};

fn form(state: &State) -> &FormModal {
    match state.modals.last() {
        Some(Modal::Form(f)) => f,
        other => panic!("no form on top: {:?}", other.map(Modal::name)),
    }
}

fn field_error(state: &State, name: &str) -> Option<String> {
    form(state).form.fields.iter().find(|f| f.name == name).unwrap().error.clone()
}

fn focus_field(state: &mut State, name: &str) {
    let target = form(state).form.fields.iter().position(|f| f.name == name).unwrap();
    while form(state).form.focus != target {
        press(state, "tab");
    }
}

fn clear(state: &mut State) {
    press(state, "end");
    for _ in 0..120 {
        press(state, "backspace");
    }
}

fn select_conn(state: &mut State, i: u128) {
    assert!(state.panes.connections.table.select_key(&connection_id(i).to_string()), "connection {i} is not visible");
}

fn the_mutation(effects: &[Effect]) -> (u64, Mutation) {
    let m = mutations(effects);
    assert_eq!(m.len(), 1, "exactly one mutation expected, got {effects:?}");
    (m[0].0, m[0].1.clone())
}

/// Moves the choice field `name` until it shows `label`.
fn choose(state: &mut State, name: &str, label: &str) {
    focus_field(state, name);
    for _ in 0..20 {
        press(state, "left");
    }
    for _ in 0..40 {
        if form(state).form.value(name) == label {
            return;
        }
        press(state, "right");
    }
    panic!("{name} never showed {label:?}");
}

#[test]
fn lists_every_group_with_type_status_service_and_allow_list() {
    let world = World::default();
    let state = world.open("pc");
    assert_eq!(state.location.pane, PaneId::Connections);
    assert_eq!(state.panes.connections.scope, Scope::All);
    assert_eq!(state.panes.connections.table.len(), 3);
    let row = state.panes.connections.table.rows().iter().find(|r| r.key == connection_id(2).to_string()).unwrap();
    assert_eq!(row.cells[1], "OUTBOUND");
    assert_eq!(row.cells[2], "ACTIVE");
    assert_eq!(row.cells[3], "etl");
    assert_eq!(row.cells[4], "ingest");
    let pending = state.panes.connections.table.rows().iter().find(|r| r.key == connection_id(3).to_string()).unwrap();
    assert_eq!(pending.cells[2], "PENDING");
    assert_eq!(pending.tones, [(2, s2tui::theme::Tone::Busy)]);
}

#[test]
fn a_group_or_workspace_opens_its_own_connections() {
    let world = World::default();
    let mut state = world.open("wg");
    assert!(select_name(&mut state.panes.groups.table, "analytics"));
    let effects = press(&mut state, "p");
    assert!(fetches(&effects).iter().any(|(_, f)| **f == Fetch::Connections(Request::Group(group_id(1)))));
    world.serve(&mut state, effects);
    assert_eq!(state.location.pane, PaneId::Connections);
    assert_eq!(state.panes.connections.scope, Scope::Group(group_id(1)));
    assert_eq!(state.panes.connections.table.len(), 1);

    world.go(&mut state, "ws");
    assert!(select_name(&mut state.panes.workspaces.table, "ingest"));
    let effects = press(&mut state, "p");
    world.serve(&mut state, effects);
    assert_eq!(state.panes.connections.scope, Scope::Workspace { workspace: workspace_id(4), group: group_id(2) });
    assert_eq!(visible_names(&mut state.panes.connections.table), [connection_id(2).to_string()[..8].to_string()]);

    // `:pc` alone lists every group again; `:pc NAME` scopes by name.
    world.go(&mut state, "pc");
    assert_eq!(state.panes.connections.scope, Scope::All);
    assert_eq!(state.panes.connections.table.len(), 3);
    world.go(&mut state, "pc sandbox");
    assert_eq!(state.panes.connections.scope, Scope::Group(group_id(3)));
}

#[test]
fn a_reply_for_another_scope_is_dropped() {
    let world = World::default();
    let mut state = world.open("wg");
    let effects = world.go(&mut state, "pc");
    assert!(effects.iter().all(|e| !matches!(e, Effect::Fetch { .. })));
    let pending = panes::refresh_pane(&mut state, PaneId::Connections);
    let (old, _) = fetches(&pending)[0];
    let effects = panes::navigate(&mut state, PaneId::Connections, Some(group_id(2)));
    world.serve(&mut state, effects);
    update(&mut state, Msg::Api { id: old, reply: world.reply(&Fetch::Connections(Request::All)) });
    assert_eq!(state.panes.connections.table.len(), 1, "only etl's connection");
}

#[test]
fn create_validates_the_allow_list_by_the_groups_provider() {
    let world = World::default();
    let mut state = world.open("pc");
    press(&mut state, "c");
    assert_eq!(form(&state).purpose, FormPurpose::CreateConnection);
    choose(&mut state, "target", "analytics (whole group)");
    focus_field(&mut state, "allow");
    // Not an account ID of any provider: refused by the field itself.
    type_text(&mut state, "12345");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(
        field_error(&state, "allow").as_deref(),
        Some("\"12345\": not an account ID, ARN, project or subscription ID")
    );
    // A broken CIDR says so.
    clear(&mut state);
    type_text(&mut state, "10.0.0/8");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "allow").as_deref(), Some("\"10.0.0/8\" is not an IP address or CIDR range"));
    // A GCP project ID is valid somewhere, but analytics is on AWS.
    clear(&mut state);
    type_text(&mut state, "acme-data-prod");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(
        field_error(&state, "allow").as_deref(),
        Some("\"acme-data-prod\": not an AWS account ID (12 digits) or ARN")
    );
    // An Azure group wants subscription IDs.
    choose(&mut state, "target", "sandbox (whole group)");
    focus_field(&mut state, "allow");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(
        field_error(&state, "allow").as_deref(),
        Some("\"acme-data-prod\": not an Azure subscription ID (UUID)")
    );
    // AWS: account IDs and ARNs.
    choose(&mut state, "target", "analytics › reporting");
    focus_field(&mut state, "allow");
    clear(&mut state);
    type_text(&mut state, "123456789012, arn:aws:iam::210987654321:root");
    let effects = press(&mut state, "enter");
    let (_, mutation) = the_mutation(&effects);
    assert_eq!(
        mutation,
        Mutation::Connection(Change::Create(PrivateConnectionCreate {
            workspace_group_id: group_id(1),
            workspace_id: Some(workspace_id(1)),
            kind: Some(ConnectionType::Inbound),
            allow_list: Some("123456789012,arn:aws:iam::210987654321:root".into()),
            ..PrivateConnectionCreate::default()
        }))
    );
}

#[test]
fn outbound_needs_a_service_name_of_the_providers_shape() {
    let world = World::default();
    let mut state = world.open("pc etl");
    press(&mut state, "c");
    assert_eq!(form(&state).form.value("target"), "etl (whole group)", "the scope's group is preselected");
    choose(&mut state, "type", "OUTBOUND");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "service").as_deref(), Some("required for an OUTBOUND connection"));
    focus_field(&mut state, "service");
    type_text(&mut state, "com.amazonaws.vpce.us-east-1.vpce-svc-1");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert!(field_error(&state, "service").unwrap().contains("serviceAttachments"));
    clear(&mut state);
    type_text(&mut state, "projects/acme/regions/europe-west1/serviceAttachments/kafka");
    let (_, mutation) = the_mutation(&press(&mut state, "enter"));
    let Mutation::Connection(Change::Create(body)) = mutation else { panic!() };
    assert_eq!(body.kind, Some(ConnectionType::Outbound));
    assert_eq!(body.service_name.as_deref(), Some("projects/acme/regions/europe-west1/serviceAttachments/kafka"));
    assert_eq!(body.allow_list, None);
}

#[test]
fn a_new_connection_is_followed_until_active() {
    let mut world = World::default();
    let mut state = world.open("pc");
    press(&mut state, "c");
    choose(&mut state, "target", "analytics (whole group)");
    focus_field(&mut state, "allow");
    type_text(&mut state, "123456789012");
    let (id, _) = the_mutation(&press(&mut state, "enter"));
    let effects = reply(&mut state, id, Ok(ApiReply::Connections(ConnectionsReply::Created(connection_id(7)))));
    assert!(state.modals.is_empty());
    let op = state.ops.list.last().unwrap();
    assert_eq!(op.target, Some(connection_id(7)));
    assert_eq!(op.expect, Expect::Connection(ConnectionStatus::Active));
    assert_eq!(op.status, OpStatus::Waiting);
    let mut created = connection(7, 1, None, ConnectionType::Inbound, ConnectionStatus::Pending, Some("123456789012"));
    world.connections.push(created.clone());
    world.serve(&mut state, effects);

    // The poll asks for the one connection; PENDING keeps waiting.
    advance(&mut state, Duration::from_secs(3));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    let polls = fetches(&effects);
    assert_eq!(polls.len(), 1);
    assert_eq!(polls[0].1, &Fetch::Connections(Request::Get(connection_id(7))));
    world.serve(&mut state, effects);
    assert_eq!(state.ops.list.last().unwrap().status, OpStatus::Waiting);

    created.status = Some(ConnectionStatus::Active);
    world.connections.pop();
    world.connections.push(created);
    advance(&mut state, Duration::from_secs(10));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    world.serve(&mut state, effects);
    // One ACTIVE read is not enough: a second one, soon after, confirms it.
    assert_eq!(state.ops.list.last().unwrap().status, OpStatus::Waiting);
    advance(&mut state, Duration::from_secs(2));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    world.serve(&mut state, effects);
    let op = state.ops.list.last().unwrap();
    assert_eq!(op.status, OpStatus::Done);
    assert_eq!(op.observed.as_deref(), Some("ACTIVE"));
    let row = state.panes.connections.table.rows().iter().find(|r| r.key == connection_id(7).to_string()).unwrap();
    assert_eq!(row.cells[2], "ACTIVE");
}

#[test]
fn deleted_while_waiting_for_active_is_a_failure() {
    let mut world = World::default();
    let mut state = world.open("pc");
    press(&mut state, "c");
    let (id, _) = the_mutation(&press(&mut state, "enter"));
    let effects = reply(&mut state, id, Ok(ApiReply::Connections(ConnectionsReply::Created(connection_id(8)))));
    let mut gone = connection(8, 1, None, ConnectionType::Inbound, ConnectionStatus::Deleted, None);
    gone.error = Some("endpoint service quota exceeded".into());
    world.connections.push(gone);
    world.serve(&mut state, effects);
    advance(&mut state, Duration::from_secs(3));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    world.serve(&mut state, effects);
    let op = state.ops.list.last().unwrap();
    assert!(matches!(&op.status, OpStatus::Failed(e) if e.contains("DELETED")), "{:?}", op.status);
    assert_eq!(op.observed.as_deref(), Some("DELETED (endpoint service quota exceeded)"));
}

#[test]
fn an_api_refusal_keeps_the_create_form_open() {
    let world = World::default();
    let mut state = world.open("pc");
    press(&mut state, "c");
    let (id, _) = the_mutation(&press(&mut state, "enter"));
    let refusal =
        ApiError::from_status(400, "workspace group \"x\" is terminated", "POST", "/v1/privateConnections", None);
    reply(&mut state, id, Err(refusal));
    assert_eq!(form(&state).form.server_error.as_deref(), Some("workspace group \"x\" is terminated"));
    assert!(state.ops.list.is_empty());
}

#[test]
fn edit_allow_list_validates_by_provider_and_shows_the_change() {
    let world = World::default();
    let mut state = world.open("pc");
    select_conn(&mut state, 3);
    press(&mut state, "e");
    assert_eq!(form(&state).purpose, FormPurpose::EditConnection(connection_id(3)));
    assert_eq!(form(&state).form.value("allow"), "7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a");
    type_text(&mut state, ", 123456789012");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "allow").as_deref(), Some("\"123456789012\": not an Azure subscription ID (UUID)"));
    clear(&mut state);
    type_text(&mut state, "7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a,0b0e9c1d-1111-4222-8333-444455556666");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    let Some(Modal::Confirm(review)) = state.modals.last() else { panic!("no review") };
    assert_eq!(review.lines[1..], ["  • allow 0b0e9c1d-1111-4222-8333-444455556666".to_string()]);
    let (_, mutation) = the_mutation(&press(&mut state, "y"));
    assert_eq!(
        mutation,
        Mutation::Connection(Change::UpdateAllowList {
            id: connection_id(3),
            allow_list: "7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a,0b0e9c1d-1111-4222-8333-444455556666".into(),
        })
    );
}

#[test]
fn delete_needs_the_typed_id_and_follows_until_deleted() {
    let world = World::default();
    let mut state = world.open("pc");
    select_conn(&mut state, 1);
    press(&mut state, "ctrl-d");
    let short = connection_id(1).to_string()[..8].to_string();
    type_text(&mut state, "analytics");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    for _ in 0.."analytics".len() {
        press(&mut state, "backspace");
    }
    type_text(&mut state, &short);
    let (id, mutation) = the_mutation(&press(&mut state, "enter"));
    assert_eq!(mutation, Mutation::Connection(Change::Delete { id: connection_id(1) }));
    let row = state.panes.connections.table.rows().iter().find(|r| r.key == connection_id(1).to_string()).unwrap();
    assert_eq!(row.cells[2], "deleting…");
    reply(&mut state, id, Ok(ApiReply::Connections(ConnectionsReply::Deleted(connection_id(1)))));
    assert_eq!(state.ops.list.last().unwrap().expect, Expect::Connection(ConnectionStatus::Deleted));
}

#[test]
fn details_show_the_outbound_allow_list_and_kai_endpoint() {
    let world = World::default();
    let mut state = world.open("pc");
    // A group-wide connection asks through a workspace of its group (the first by name).
    select_conn(&mut state, 1);
    let effects = press(&mut state, "i");
    let asked = fetches(&effects);
    assert_eq!(asked[0].1, &Fetch::Connections(Request::Details { workspace: workspace_id(2) }));
    world.serve(&mut state, effects);
    let Some(Modal::Describe(view)) = state.modals.last() else { panic!("no details view") };
    assert!(view.text.contains("602384417231"), "{}", view.text);
    assert!(view.text.contains("vpce-svc-0kai"), "{}", view.text);
    // sandbox has no workspace: nothing to ask, and the user is told.
    press(&mut state, "esc");
    select_conn(&mut state, 3);
    assert!(outward(&press(&mut state, "i")).is_empty());
    assert!(state.toasts.items.last().unwrap().text.contains("per workspace"));
}

#[test]
fn validators() {
    use connections::*;
    assert!(aws_account("123456789012"));
    assert!(!aws_account("12345678901"));
    assert!(!aws_account("12345678901a"));
    assert!(aws_arn("arn:aws:iam::123456789012:root"));
    assert!(aws_arn("arn:aws:iam::123456789012:role/app"));
    assert!(!aws_arn("arn:aws:iam::12345:root"));
    assert!(!aws_arn("arn:gcp:iam::123456789012:root"));
    assert!(gcp_project("acme-data-1"));
    assert!(!gcp_project("Acme-data"));
    assert!(!gcp_project("short"));
    assert!(!gcp_project("ends-with-"));
    assert!(azure_subscription("7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a"));
    assert!(!azure_subscription("7c1f5a0e2d3b4b8e9a610f2f6d1e4c3a"));
    assert!(allow_list("").is_ok());
    assert!(allow_list("10.0.0.0/8, 123456789012").is_ok());
    assert!(allow_list("10.0.0.0/33").is_err());
    assert!(aws_allow_list("7c1f5a0e-2d3b-4b8e-9a61-0f2f6d1e4c3a").is_err());
    assert!(gcp_allow_list("123456789012").is_err());
}
