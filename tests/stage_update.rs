//! The transfer queue and the Stage pane as pure state: messages in, effects out.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::StageRequest as Request;
use s2tui::effect::{Effect, Fetch};
use s2tui::msg::Msg;
use s2tui::panes;
use s2tui::panes::stage;
use s2tui::panes::transfers::{self, Job, Plan, PlanFile, Status, Throttle, TransferEffect, TransferEvent, indicator};
use s2tui::state::{Location, PaneId, State};
use s2tui::testing::{self, group_id, keys, loaded};
use s2tui::update;
use uuid::Uuid;

fn plan(n: usize, size: u64) -> Plan {
    Plan {
        upload: true,
        deployment: Uuid::nil(),
        label: "batch".into(),
        folders: vec!["batch/".into()],
        files: (0..n)
            .map(|i| PlanFile {
                local: PathBuf::from(format!("/tmp/f{i}")),
                remote: format!("batch/f{i}"),
                size,
                conflict: None,
            })
            .collect(),
        skipped: Vec::new(),
    }
}

fn starts(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Transfer(TransferEffect::Start { id, .. }) => Some(*id),
            _ => None,
        })
        .collect()
}

fn event(state: &mut State, e: TransferEvent) -> Vec<Effect> {
    update::update(state, Msg::Transfer(e))
}

fn planned(state: &mut State, p: Plan) -> Vec<Effect> {
    let id = state.transfers.new_plan();
    event(state, TransferEvent::Planned { plan: id, result: Ok(p) })
}

#[test]
fn folders_first_then_at_most_four_at_once() {
    let mut state = loaded();
    let effects = planned(&mut state, plan(6, 100));
    // Only the folders job may start: every file waits for its folders.
    assert_eq!(starts(&effects), vec![1]);
    let effects = event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    assert_eq!(starts(&effects), vec![2, 3, 4, 5]);
    assert_eq!(state.transfers.running(), 4);
    let effects = event(&mut state, TransferEvent::Finished { id: 3, result: Ok(100) });
    assert_eq!(starts(&effects), vec![6]);
    assert_eq!(indicator(&state.view()).unwrap(), "⇅ 5 ↑16%");
}

#[test]
fn progress_rate_eta_and_the_header() {
    let mut state = loaded();
    planned(&mut state, Plan { folders: Vec::new(), ..plan(1, 1_000_000) });
    event(&mut state, TransferEvent::Progress { id: 1, done: 0, total: Some(1_000_000) });
    testing::advance(&mut state, Duration::from_secs(1));
    event(&mut state, TransferEvent::Progress { id: 1, done: 250_000, total: Some(1_000_000) });
    let row = state.panes.transfers.table.rows()[0].cells.clone();
    assert_eq!(row[2], "███░░░░░░░  25%");
    assert_eq!(row[3], "250 KB / 1.0 MB");
    assert_eq!(row[4], "250 KB/s");
    assert_eq!(row[5], "3s");
    assert_eq!(indicator(&state.view()).unwrap(), "⇅ 1 ↑25%");
    let screen = testing::render(&mut state, 120, 24);
    assert!(screen.contains("⇅ 1 ↑25%"), "{screen}");
}

#[test]
fn cancel_and_retry() {
    let mut state = loaded();
    planned(&mut state, plan(5, 10));
    event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    // Cancel a running one: the runner is told, the slot frees when it stops.
    let effects = panes::with_panes(&mut state, |_, cx| transfers::cancel(cx, 2));
    assert!(effects.contains(&Effect::Transfer(TransferEffect::Cancel { id: 2 })));
    assert_eq!(state.transfers.get(2).unwrap().status, Status::Cancelling);
    let effects = event(&mut state, TransferEvent::Finished { id: 2, result: Err(ApiError::Cancelled) });
    assert_eq!(state.transfers.get(2).unwrap().status, Status::Cancelled);
    assert_eq!(starts(&effects), vec![6]);
    // A queued one is cancelled at once.
    let t = state.transfers.list.iter().find(|t| t.status == Status::Queued).map(|t| t.id);
    assert!(t.is_none(), "all five files run or ran");
    // A failure can be retried; it waits for a free slot.
    event(&mut state, TransferEvent::Finished { id: 3, result: Err(ApiError::InvalidInput("boom".into())) });
    assert!(matches!(state.transfers.get(3).unwrap().status, Status::Failed(ref e) if e == "boom"));
    let effects = panes::with_panes(&mut state, |_, cx| transfers::retry(cx, 3));
    assert_eq!(starts(&effects), vec![3]);
    assert_eq!(state.transfers.get(3).unwrap().attempts, 2);
}

#[test]
fn a_failed_folders_job_holds_its_files() {
    let mut state = loaded();
    planned(&mut state, plan(2, 10));
    let effects =
        event(&mut state, TransferEvent::Finished { id: 1, result: Err(ApiError::InvalidInput("no".into())) });
    assert!(starts(&effects).is_empty());
    let row = state.panes.transfers.table.rows().iter().find(|r| r.key == "2").unwrap().clone();
    assert!(row.cells[6].contains("folders were not created"), "{row:?}");
    // Retrying the folders lets the files go.
    let effects = panes::with_panes(&mut state, |_, cx| transfers::retry(cx, 1));
    assert_eq!(starts(&effects), vec![1]);
    let effects = event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    assert_eq!(starts(&effects), vec![2, 3]);
}

#[test]
fn progress_reports_are_throttled() {
    let mut th = Throttle::new(transfers::PROGRESS_EVERY);
    let t0 = testing::base_instant();
    let passed: usize = (0..1000).filter(|i| th.ready(t0 + Duration::from_millis(*i))).count();
    // One second of reports every millisecond: about ten get through.
    assert_eq!(passed, 10);
}

#[test]
fn opened_from_a_drilled_group_it_skips_the_chooser() {
    let mut state = loaded();
    let g = group_id(1);
    state.location = Location { pane: PaneId::Workspaces, group: Some(g) };
    state.panes.workspaces.group = Some(g);
    let effects = keys(&mut state, ": s t a g e enter");
    let name = state.data.group_name(g);
    assert_eq!(state.panes.stage.deployment.as_ref().map(|d| d.id), Some(g));
    let lists: Vec<_> = testing::fetches(&effects)
        .into_iter()
        .filter(|(_, f)| matches!(f, Fetch::Stage(Request::List { .. })))
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(state.breadcrumbs(), vec!["Stage".to_string(), name]);
    // Up from the root: the chooser, which lists groups and starter workspaces.
    let effects = keys(&mut state, "backspace");
    assert!(state.panes.stage.deployment.is_none());
    assert!(testing::fetches(&effects).iter().any(|(_, f)| matches!(f, Fetch::Stage(Request::Deployments))));
}

#[test]
fn from_elsewhere_it_asks_which_deployment() {
    let mut state = loaded();
    state.location = Location { pane: PaneId::Jobs, group: None };
    let effects = keys(&mut state, ": s t a g e enter");
    assert!(state.panes.stage.deployment.is_none());
    assert!(testing::fetches(&effects).iter().any(|(_, f)| matches!(f, Fetch::Stage(Request::Deployments))));
    let screen = testing::render(&mut state, 80, 24);
    assert!(screen.contains("choose a deployment"), "{screen}");
}

#[test]
fn read_only_refuses_uploads_before_any_form() {
    let mut state = testing::loaded_with(
        s2tui::state::SessionInfo { read_only: true, ..testing::session() },
        &testing::Org::default(),
    );
    state.location = Location { pane: PaneId::Workspaces, group: Some(group_id(1)) };
    state.panes.workspaces.group = Some(group_id(1));
    keys(&mut state, ": s t a g e enter");
    keys(&mut state, "u");
    assert!(state.modals.is_empty());
    keys(&mut state, "n");
    assert!(state.modals.is_empty());
    let _ = stage::KEYS;
    let _ = Job::Folders { deployment: Uuid::nil(), folders: Vec::new() };
}

#[test]
fn tab_completes_a_local_path_from_a_listing_the_runner_reads() {
    let mut state = loaded();
    let g = group_id(1);
    state.location = Location { pane: PaneId::Workspaces, group: Some(g) };
    state.panes.workspaces.group = Some(g);
    keys(&mut state, ": s t a g e enter");
    keys(&mut state, "u");
    // The upload form opens on its local path field.
    testing::type_text(&mut state, "/srv/da");
    // `update` reads no folder: tab asks the runner to list it.
    let effects = keys(&mut state, "tab");
    assert_eq!(effects, vec![Effect::ListLocalFolder { input: "/srv/da".into() }]);
    let value = |state: &State| match state.modals.last() {
        Some(s2tui::widgets::modal::Modal::Form(f)) => f.form.value("local"),
        _ => String::new(),
    };
    assert_eq!(value(&state), "/srv/da", "nothing changes before the listing arrives");
    // A listing for what is no longer typed is dropped.
    let entries = vec![("data".to_string(), true), ("dams".to_string(), false), ("other".to_string(), false)];
    update::update(&mut state, Msg::LocalFolder { input: "/srv/d".into(), entries: entries.clone() });
    assert_eq!(value(&state), "/srv/da");
    // Two matches: their common start, and the candidates as the field's hint.
    update::update(&mut state, Msg::LocalFolder { input: "/srv/da".into(), entries });
    assert_eq!(value(&state), "/srv/da");
    keys(&mut state, "t");
    let effects = keys(&mut state, "tab");
    assert_eq!(effects, vec![Effect::ListLocalFolder { input: "/srv/dat".into() }]);
    update::update(&mut state, Msg::LocalFolder { input: "/srv/dat".into(), entries: vec![("data".into(), true)] });
    assert_eq!(value(&state), "/srv/data/", "one folder: completed with its slash");
}
