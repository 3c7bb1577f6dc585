//! The storage DR view, headless: what `D` on a group reads, what it shows (not set up, an
//! operation under way, a failed read), and what its failover confirmation sends. Snapshots
//! at 100×30; accept a deliberate change with `INSTA_UPDATE=always cargo test --test dr_pane`.
#![allow(clippy::unwrap_used)]

use s2tui::api::ApiError;
use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::widgets::modal::Modal;

/// The dashboard on the DR view of `analytics`, its status read still out: (state, request).
fn on_dr_view() -> (State, u64) {
    let mut state = loaded();
    press(&mut state, ":");
    type_text(&mut state, "wg");
    let effects = press(&mut state, "enter");
    serve(&mut state, &Org::default(), effects);
    assert_eq!(state.location.pane, PaneId::Groups);
    assert!(select_name(&mut state.panes.groups.table, "analytics"));
    let effects = press(&mut state, "D");
    assert_eq!(state.location.pane, PaneId::Dr);
    let reads = fetches(&effects);
    let (id, _) = reads
        .iter()
        .find(|(_, f)| **f == Fetch::Dr(DrRequest::Status(group_id(1))))
        .copied()
        .expect("the status of the picked group is read");
    (state, id)
}

fn status(state: DrState, kind: DrType, done: u32) -> StorageDrStatus {
    StorageDrStatus {
        compute: Some(DrCompute {
            storage_dr_state: state,
            storage_dr_type: kind,
            completed_workspaces: Some(done),
            total_workspaces: Some(3),
            completed_attachments: Some(done * 2),
            total_attachments: Some(6),
            secondary_workspace_group_ids: vec![group_id(9)],
        }),
        storage: ["orders", "events"]
            .iter()
            .map(|db| ReplicatedDatabase {
                database_name: db.to_string(),
                duplication_state: DuplicationState::Inactive,
                region: "us-west-2".into(),
            })
            .collect(),
    }
}

fn with_secondary(state: &mut State) {
    let mut secondary = group(9, "analytics-secondary", 1, WorkspaceGroupState::Active, 3600);
    secondary.region_name = "us-west-2".into();
    secondary.smart_dr_status = Some(SmartDrStatus::Standby);
    let groups = state.data.groups.value.as_mut().unwrap();
    groups[0].smart_dr_status = Some(SmartDrStatus::Active);
    groups.push(secondary);
}

#[test]
fn a_group_without_dr_says_so() {
    let (mut state, id) = on_dr_view();
    reply(&mut state, id, Ok(ApiReply::Dr(DrReply::Status { group: group_id(1), status: None })));
    let screen = render(&mut state, 100, 30);
    assert!(screen.contains("Storage DR is not set up for this group."), "{screen}");
    insta::assert_snapshot!("dr_not_set_up", screen);
    // Failover without DR sends nothing and says why.
    let effects = press(&mut state, "F");
    assert!(mutations(&effects).is_empty());
    assert!(state.modals.is_empty());
}

#[test]
fn a_failover_under_way_and_the_confirmation_of_failback() {
    let (mut state, id) = on_dr_view();
    with_secondary(&mut state);
    let s = status(DrState::Active, DrType::Failover, 1);
    reply(&mut state, id, Ok(ApiReply::Dr(DrReply::Status { group: group_id(1), status: Some(s) })));
    let screen = render(&mut state, 100, 30);
    assert!(screen.contains("Failover Active  1/3 workspaces, 2/6 attachments"), "{screen}");
    assert!(screen.contains("Writes served by: analytics (us-east-1)"), "{screen}");
    insta::assert_snapshot!("dr_failover_active", screen);

    // The confirmation names the region that serves writes afterwards; the typed name sends it.
    press(&mut state, "F");
    let screen = render(&mut state, 100, 30);
    assert!(screen.contains("Afterwards writes are served by analytics-secondary (us-west-2)."), "{screen}");
    insta::assert_snapshot!("dr_failover_confirm", screen);
    type_text(&mut state, "analytic");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty(), "a wrong name sends nothing");
    type_text(&mut state, "s");
    let effects = press(&mut state, "enter");
    let sent = mutations(&effects);
    assert_eq!(sent.len(), 1);
    assert_eq!(*sent[0].1, Mutation::Dr(DrChange::Operation { group: group_id(1), op: DrType::Failover }));
    assert!(state.ops.pending_for(group_id(1)).is_some(), "followed in the tracker");
}

#[test]
fn a_failed_read_is_an_error_not_an_empty_list() {
    let (mut state, id) = on_dr_view();
    let e = ApiError::from_status(500, "boom", "GET", "/v1/workspaceGroups/x/storage/DR/status", None);
    reply(&mut state, id, Err(e));
    let screen = render(&mut state, 100, 30);
    assert!(screen.contains("Could not read the DR status"), "{screen}");
    // When, the API's words, and what to do, as every pane says it.
    assert!(screen.contains("ago):"), "{screen}");
    assert!(screen.contains("boom"), "{screen}");
    assert!(screen.contains("Retrying") || screen.contains("ctrl-r"), "{screen}");
    assert!(!screen.contains("not set up"), "{screen}");
}

#[test]
fn setup_asks_for_the_regions_then_opens_the_form() {
    let (mut state, id) = on_dr_view();
    reply(&mut state, id, Ok(ApiReply::Dr(DrReply::Status { group: group_id(1), status: None })));
    let effects = press(&mut state, "c");
    let (rid, fetch) = fetches(&effects)[0];
    assert_eq!(*fetch, Fetch::Dr(DrRequest::Regions(group_id(1))));
    let other = Region { region_id: region_id(7), region: "US West 2 (Oregon)".into(), provider: Provider::Aws };
    reply(&mut state, rid, Ok(ApiReply::Dr(DrReply::Regions { group: group_id(1), regions: vec![other] })));
    assert!(matches!(state.modals.last(), Some(Modal::Form(_))));
    // No database seen yet: every database is replicated unless turned off; then nothing
    // named is refused in the form.
    press(&mut state, "tab");
    press(&mut state, "space");
    press(&mut state, "tab");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    type_text(&mut state, "orders");
    let effects = press(&mut state, "enter");
    let sent: Vec<&Mutation> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Mutate { mutation, .. } => Some(mutation),
            _ => None,
        })
        .collect();
    let body =
        StorageDrSetup { region_id: region_id(7), database_names: vec!["orders".into()], auto_replication: None };
    assert_eq!(sent, [&Mutation::Dr(DrChange::Setup { group: group_id(1), body })]);
}
