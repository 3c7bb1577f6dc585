//! The transfer queue and the Stage pane as pure state: messages in, effects out.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::{StageRequest as Request, Store};
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
        store: Store::Stage(Uuid::nil()),
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

/// The row `key` of the transfers pane as drawn now.
fn shown(state: &State, key: &str) -> s2tui::widgets::table::Row {
    transfers::shown_row(&state.panes.transfers.table, &state.transfers, state.now, key).unwrap()
}

fn planned(state: &mut State, p: Plan) -> Vec<Effect> {
    let id = state.transfers.new_plan();
    event(state, TransferEvent::Planned { plan: id, result: Ok(p) })
}

/// Large enough that only a few run at once.
const LARGE: u64 = 2_000_000;

#[test]
fn folders_first_then_at_most_four_large_files_at_once() {
    let mut state = loaded();
    let effects = planned(&mut state, plan(6, LARGE));
    // Only the folders job may start: every file waits for its folders.
    assert_eq!(starts(&effects), vec![1]);
    let effects = event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    assert_eq!(starts(&effects), vec![2, 3, 4, 5]);
    assert_eq!(state.transfers.running(), 4);
    let effects = event(&mut state, TransferEvent::Finished { id: 3, result: Ok(LARGE) });
    assert_eq!(starts(&effects), vec![6]);
    assert_eq!(indicator(&state.view()).unwrap(), "⇅ 5 ↑16%");
}

#[test]
fn small_files_run_sixteen_at_once() {
    let mut state = loaded();
    planned(&mut state, plan(40, 8_000));
    let effects = event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    assert_eq!(starts(&effects), (2..18).collect::<Vec<u64>>());
    let effects = event(&mut state, TransferEvent::Finished { id: 2, result: Ok(8_000) });
    assert_eq!(starts(&effects), vec![18]);
}

#[test]
fn a_finished_batch_collapses_into_its_summary_and_c_clears_it() {
    let mut state = loaded();
    planned(&mut state, plan(3, 8_000));
    event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    // While it runs: the batch line with its bar, and a line per file.
    let keys_shown = |s: &State| s.panes.transfers.table.rows().iter().map(|r| r.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys_shown(&state), ["b1", "1", "2", "3", "4"]);
    event(&mut state, TransferEvent::Progress { id: 2, done: 4_000, total: Some(8_000) });
    let batch = shown(&state, "b1");
    assert_eq!(batch.cells[2], "██░░░░░░░░  16%", "{batch:?}");
    assert_eq!(batch.cells[6], "0 of 3 files");
    testing::advance(&mut state, Duration::from_millis(800));
    for id in 2..=4 {
        event(&mut state, TransferEvent::Finished { id, result: Ok(8_000) });
    }
    assert_eq!(keys_shown(&state), ["b1"]);
    let batch = shown(&state, "b1");
    assert_eq!(batch.cells[6], "3 files, 24 KB, done in 0.8 s", "{batch:?}");
    // A second batch goes on top; `c` clears the finished one only.
    planned(&mut state, Plan { folders: Vec::new(), ..plan(1, 8_000) });
    assert_eq!(keys_shown(&state), ["b2", "5", "b1"]);
    state.location.pane = PaneId::Transfers;
    keys(&mut state, "c");
    assert_eq!(keys_shown(&state), ["b2", "5"]);
    assert_eq!(state.transfers.queue.list.len(), 1);
}

#[test]
fn progress_rate_eta_and_the_header() {
    let mut state = loaded();
    planned(&mut state, Plan { folders: Vec::new(), ..plan(1, 1_000_000) });
    event(&mut state, TransferEvent::Progress { id: 1, done: 0, total: Some(1_000_000) });
    testing::advance(&mut state, Duration::from_secs(1));
    event(&mut state, TransferEvent::Progress { id: 1, done: 250_000, total: Some(1_000_000) });
    let row = shown(&state, "1").cells;
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
    planned(&mut state, plan(5, LARGE));
    event(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    // Cancel a running one: the runner is told, the slot frees when it stops.
    let effects = panes::with_panes(&mut state, |_, cx| transfers::cancel(cx, 2));
    assert!(effects.contains(&Effect::Transfer(TransferEffect::Cancel { id: 2 })));
    assert_eq!(state.transfers.get(2).unwrap().status, Status::Cancelling);
    let effects = event(&mut state, TransferEvent::Finished { id: 2, result: Err(ApiError::Cancelled) });
    assert_eq!(state.transfers.get(2).unwrap().status, Status::Cancelled);
    assert_eq!(starts(&effects), vec![6]);
    // A queued one is cancelled at once.
    let t = state.transfers.queue.list.iter().find(|t| t.status == Status::Queued).map(|t| t.id);
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
    let row = shown(&state, "2");
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
    assert_eq!(state.panes.stage.place.as_ref().map(|d| d.store), Some(Store::Stage(g)));
    let lists: Vec<_> = testing::fetches(&effects)
        .into_iter()
        .filter(|(_, f)| matches!(f, Fetch::Stage(Request::List { .. })))
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(state.breadcrumbs(), vec!["Stage".to_string(), name]);
    // Up from the root: the chooser, which lists groups and starter workspaces.
    let effects = keys(&mut state, "backspace");
    assert!(state.panes.stage.place.is_none());
    assert!(testing::fetches(&effects).iter().any(|(_, f)| matches!(f, Fetch::Stage(Request::Deployments))));
}

#[test]
fn from_elsewhere_it_asks_which_deployment() {
    let mut state = loaded();
    state.location = Location { pane: PaneId::Jobs, group: None };
    let effects = keys(&mut state, ": s t a g e enter");
    assert!(state.panes.stage.place.is_none());
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
    let _ = Job::Folders { store: Store::Stage(Uuid::nil()), folders: Vec::new() };
}

#[test]
fn only_the_newest_batches_are_listed_one_by_one() {
    let mut state = loaded();
    let n = transfers::LISTED_BATCHES as u64 + 5;
    for id in 1..=n {
        planned(&mut state, Plan { folders: Vec::new(), ..plan(1, 10) });
        event(&mut state, TransferEvent::Finished { id, result: Ok(10) });
    }
    let rows = state.panes.transfers.table.rows();
    assert_eq!(rows.len(), transfers::LISTED_BATCHES + 1);
    assert_eq!(rows[0].key, format!("b{n}"), "newest first");
    let last = rows.last().unwrap();
    assert!(last.cells[1].contains("5 older finished batches"), "{last:?}");
    // A new batch goes on top, its file listed below it.
    planned(&mut state, Plan { folders: Vec::new(), ..plan(1, 2_000_000) });
    let keys: Vec<&str> = state.panes.transfers.table.rows().iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys[..2], [format!("b{}", n + 1), format!("{}", n + 1)].each_ref().map(String::as_str));
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

#[test]
fn the_files_spaces_are_offered_even_when_the_deployments_cannot_be_read() {
    use s2tui::api::types::{FileContent, FileObjectMetadata, FileSpace, FileType, StageReply};
    use s2tui::msg::ApiReply;
    let mut state = loaded();
    state.location = Location { pane: PaneId::Jobs, group: None };
    let effects = keys(&mut state, ": s t a g e enter");
    let (id, _) = testing::fetches(&effects)
        .into_iter()
        .find(|(_, f)| matches!(f, Fetch::Stage(Request::Deployments)))
        .expect("the deployments are read");
    let failure = ApiError::Server {
        status: 503,
        message: "upstream unavailable".into(),
        method: "GET".into(),
        path: "/v1/workspaceGroups".into(),
    };
    testing::reply(&mut state, id, Err(failure));
    // The failure is said, with what to do; the spaces are still there to open.
    let screen = testing::render(&mut state, 100, 30);
    assert!(screen.contains("Could not read the deployments"), "{screen}");
    assert!(screen.contains("upstream unavailable"), "{screen}");
    let kinds: Vec<&str> = state.panes.stage.chooser.rows().iter().map(|r| r.cells[1].as_str()).collect();
    assert_eq!(kinds, ["Files space"; 3]);
    assert!(testing::select_name(&mut state.panes.stage.chooser, "shared"));
    let effects = keys(&mut state, "enter");
    let fetches = testing::fetches(&effects);
    let lists: Vec<&Fetch> = fetches.iter().map(|(_, f)| *f).collect();
    assert_eq!(lists, [&Fetch::Stage(Request::List { store: Store::Files(FileSpace::Shared), path: String::new() })]);
    let lists_id = fetches[0].0;
    assert_eq!(state.breadcrumbs(), ["Stage", "Files", "shared"]);
    // A space keeps no empty folders: `n` explains instead of opening a form.
    keys(&mut state, "n");
    assert!(state.modals.is_empty());
    let screen = testing::render(&mut state, 100, 30);
    assert!(screen.contains("keeps no empty folders"), "{screen}");
    // Nor does it move folders: `m` on one explains; on a file it opens the form.
    let folder = FileObjectMetadata {
        name: Some("Jobs".into()),
        path: Some("Jobs/".into()),
        kind: Some(FileType::Directory),
        ..Default::default()
    };
    let file =
        FileObjectMetadata { name: Some("README.md".into()), path: Some("README.md".into()), ..Default::default() };
    let meta = FileObjectMetadata { content: Some(FileContent::Children(vec![folder, file])), ..Default::default() };
    let listing = StageReply::Listing { store: Store::Files(FileSpace::Shared), path: String::new(), meta };
    testing::reply(&mut state, lists_id, Ok(ApiReply::Stage(listing)));
    assert!(testing::select_name(&mut state.panes.stage.table, "Jobs/"));
    keys(&mut state, "m");
    assert!(state.modals.is_empty());
    assert!(testing::render(&mut state, 100, 30).contains("moves files only"));
    assert!(testing::select_name(&mut state.panes.stage.table, "README.md"));
    keys(&mut state, "m");
    assert!(matches!(state.modals.last(), Some(s2tui::widgets::modal::Modal::Form(_))));
}

#[test]
fn stage_names_a_space_directly_and_a_deployment_wins_a_bare_name() {
    use s2tui::api::types::{FileSpace, StageReply, WorkspaceGroupState};
    use s2tui::msg::ApiReply;
    let mut state = loaded();
    state.location = Location { pane: PaneId::Jobs, group: None };
    // Before the deployments are read, a space's name is already known.
    let effects = keys(&mut state, ": s t a g e space s h a r e d space J o b s enter");
    let lists: Vec<&Fetch> = testing::fetches(&effects).into_iter().map(|(_, f)| f).collect();
    assert!(
        lists.contains(&&Fetch::Stage(Request::List { store: Store::Files(FileSpace::Shared), path: "Jobs/".into() })),
        "{lists:?}"
    );
    assert_eq!(state.breadcrumbs(), ["Stage", "Files", "shared", "Jobs"]);

    // A group called "shared": its name means the group; `files:shared` still means the space.
    let effects = keys(&mut state, "backspace backspace");
    let (id, _) = testing::fetches(&effects)
        .into_iter()
        .find(|(_, f)| matches!(f, Fetch::Stage(Request::Deployments)))
        .expect("the deployments are read");
    let g = testing::group(7, "shared", 1, WorkspaceGroupState::Active, 60);
    let reply = StageReply::Deployments { groups: vec![g.clone()], clusters: Vec::new(), starters: Ok(Vec::new()) };
    testing::reply(&mut state, id, Ok(ApiReply::Stage(reply)));
    assert_eq!(state.panes.stage.chooser.selected_key(), Some(g.workspace_group_id.to_string().as_str()));
    keys(&mut state, ": s t a g e space s h a r e d enter");
    assert_eq!(state.panes.stage.place.as_ref().map(|p| p.store), Some(Store::Stage(g.workspace_group_id)));
    keys(&mut state, ": s t a g e space f i l e s : s h a r e d enter");
    assert_eq!(state.panes.stage.place.as_ref().map(|p| p.store), Some(Store::Files(FileSpace::Shared)));
}
