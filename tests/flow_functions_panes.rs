//! The Flow and cloud functions panes: snapshots of their lists (fixed data, 100×24), and
//! headless runs against the simulator: a function edited after someone else changed it is
//! refused with the API's 409 in the form, a Flow instance created is followed until Running.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::types::*;
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::effect::{ApiReply, Fetch};
use s2tui::msg::Msg;
use s2tui::panes::ops::OpStatus;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo, State};
use s2tui::testing::*;
use s2tui::widgets::modal::Modal;
use uuid::Uuid;

fn open(state: &mut State, command: &str) -> Vec<s2tui::effect::Effect> {
    press(state, ":");
    type_text(state, command);
    press(state, "enter")
}

fn function(i: u128, name: &str, status: FunctionStatus) -> CloudFunction {
    CloudFunction {
        service_id: Uuid::from_u128(i),
        name: name.into(),
        status,
        created_at: ago(5 * 86_400),
        created_by: None,
        description: Some(format!("{name} for the team")),
        endpoint: Some(format!("https://apps.example.com/functions/{name}")),
        last_updated_at: Some(ago(3600)),
        extra: Extra::new(),
    }
}

#[test]
fn the_functions_list_reads_every_page() {
    let mut state = loaded();
    let effects = open(&mut state, "functions");
    assert_eq!(state.location.pane, PaneId::Functions);
    let (id, fetch) = *fetches(&effects).iter().find(|(_, f)| matches!(f, Fetch::Functions(_))).unwrap();
    assert_eq!(*fetch, Fetch::Functions(FunctionsRequest::Page { limit: 50, offset_id: None }));
    let page = |items: Vec<CloudFunction>, next: bool, prev: bool| FunctionPage {
        metadata: Some(FunctionPageInfo {
            count: items.len() as u32,
            has_next_page: next,
            has_previous_page: prev,
            total_count: 3,
        }),
        cloud_functions: items,
    };
    let first = page(
        vec![function(1, "churn-score", FunctionStatus::Active), function(2, "digest", FunctionStatus::Idle)],
        true,
        false,
    );
    let effects = reply(&mut state, id, Ok(ApiReply::Functions(FunctionsReply::Page { offset_id: None, page: first })));
    // The next page starts after the last ID of this one.
    let (id, fetch) = fetches(&effects)[0];
    assert_eq!(*fetch, Fetch::Functions(FunctionsRequest::Page { limit: 50, offset_id: Some(Uuid::from_u128(2)) }));
    let second = page(vec![function(3, "embeddings", FunctionStatus::Initializing)], false, true);
    let effects = reply(
        &mut state,
        id,
        Ok(ApiReply::Functions(FunctionsReply::Page { offset_id: Some(Uuid::from_u128(2)), page: second })),
    );
    assert!(fetches(&effects).is_empty(), "no page after the last");
    assert_eq!(state.panes.functions.table.total(), 3);
    insta::assert_snapshot!("functions_list", render(&mut state, 100, 24));
}

#[test]
fn the_flow_list_and_its_create_form() {
    let mut state = loaded();
    let effects = open(&mut state, "flow");
    let (id, _) = *fetches(&effects).iter().find(|(_, f)| matches!(f, Fetch::Flow(_))).unwrap();
    let flow = Flow {
        flow_id: Uuid::from_u128(7),
        name: "orders-cdc".into(),
        created_at: ago(2 * 86_400),
        status: Some("Running".into()),
        size: Some("F1".into()),
        workspace_id: Some(workspace_id(1)),
        database_name: Some("orders".into()),
        user_name: Some("loader".into()),
        endpoint: Some("flow-1.us-east-1.svc.example.com".into()),
        deleted_at: None,
        extra: Extra::new(),
    };
    reply(&mut state, id, Ok(ApiReply::Flow(FlowReply::List(vec![flow]))));
    insta::assert_snapshot!("flow_list", render(&mut state, 100, 24));
    // T asks again with the deleted ones.
    let effects = press(&mut state, "T");
    assert_eq!(*fetches(&effects)[0].1, Fetch::Flow(FlowRequest::List { include_terminated: true }));
    press(&mut state, "c");
    assert!(matches!(state.modals.last(), Some(Modal::Form(_))));
    insta::assert_snapshot!("flow_create", render(&mut state, 100, 24));
}

async fn dashboard() -> (SimHandle, Headless, Client) {
    let config = SimConfig { speed: 200.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap();
    let session = SessionInfo { demo: true, ..SessionInfo::default() };
    let mut h = Headless::new(Client::new(cfg.clone()).unwrap(), session);
    h.start();
    (sim, h, Client::new(cfg).unwrap())
}

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

fn command(h: &mut Headless, text: &str) {
    h.press(":");
    h.type_text(text);
    h.press("enter");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_after_someone_else_changed_the_function_shows_the_conflict() {
    let (_sim, mut h, c) = dashboard().await;
    command(&mut h, "functions");
    assert!(h.until(deadline(), |s| s.panes.functions.table.total() == 3).await);
    h.feed(Msg::Redraw);
    assert!(select_name(&mut h.state.panes.functions.table, "churn-score"));
    h.press("e");
    assert!(matches!(h.state.modals.last(), Some(Modal::Form(_))));
    // Meanwhile a colleague changes it.
    let id = h
        .state
        .panes
        .functions
        .list
        .value
        .as_ref()
        .unwrap()
        .iter()
        .find(|f| f.name == "churn-score")
        .unwrap()
        .service_id;
    let theirs = CloudFunctionFields { description: Some("theirs".into()), ..CloudFunctionFields::default() };
    let after = c.update_cloud_function(id, &theirs, None, false).await.unwrap();
    // Ours, based on what the form showed: refused, and the form says so with the API's words.
    h.press("tab");
    h.press("ctrl-u");
    h.type_text("ours");
    h.press("enter");
    let refused = |s: &State| match s.modals.last() {
        Some(Modal::Form(f)) => f.form.server_error.as_deref().is_some_and(|e| e.contains("was updated at")),
        _ => false,
    };
    assert!(h.until(deadline(), refused).await, "the conflict is shown in the form");
    let Some(Modal::Form(f)) = h.state.modals.last() else { panic!() };
    assert!(f.form.server_error.as_deref().unwrap().contains(after.last_updated_at.as_deref().unwrap()));
    // Theirs stands.
    assert_eq!(c.cloud_function(id).await.unwrap().description.as_deref(), Some("theirs"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_flow_instance_is_followed_until_running() {
    let (sim, mut h, _c) = dashboard().await;
    command(&mut h, "flow");
    assert!(h.until(deadline(), |s| s.panes.flow.table.total() == 1 && s.data.workspaces.value.is_some()).await);
    h.press("c");
    h.type_text("clicks");
    h.press("tab");
    h.press("tab");
    h.type_text("staging_app_db");
    h.press("tab");
    h.type_text("loader");
    h.press("enter");
    let done = |s: &State| s.ops.list.iter().any(|o| o.name == "clicks" && o.status == OpStatus::Done);
    assert!(h.until(deadline(), done).await, "followed until Running");
    assert!(h.until(deadline(), |s| s.panes.flow.table.total() == 2).await);
    assert!(
        sim.shared()
            .world()
            .flow
            .flows
            .values()
            .any(|f| f.api.name == "clicks" && f.api.status.as_deref() == Some("Running"))
    );
}
