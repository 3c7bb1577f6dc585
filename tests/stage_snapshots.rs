//! Render snapshots of the Stage browser and the transfer queue at 80×24 and 160×48 (fixed
//! clocks and IDs). Accept a deliberate change with `INSTA_UPDATE=always cargo test --test
//! stage_snapshots`.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use s2tui::api::types::{FileContent, FileObjectMetadata, FileType};
use s2tui::api::types::{StageReply as Reply, StageRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::Msg;
use s2tui::panes::transfers::{Plan, PlanFile, TransferEvent};
use s2tui::state::{Location, PaneId, State};
use s2tui::testing::*;
use s2tui::update;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snap(name: &str, build: impl Fn() -> State) {
    for (w, h) in SIZES {
        let mut state = build();
        let screen = render(&mut state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

fn entry(name: &str, folder: bool, size: u64, modified: &str) -> FileObjectMetadata {
    FileObjectMetadata {
        name: Some(name.into()),
        path: Some(if folder { format!("{name}/") } else { name.into() }),
        kind: Some(if folder { FileType::Directory } else { FileType::File }),
        size: Some(size),
        created: Some(modified.into()),
        last_modified: Some(modified.into()),
        mimetype: Some(if folder { String::new() } else { "text/csv".into() }),
        writable: Some(true),
        format: None,
        content: None,
    }
}

/// The Stage of group 1, opened from its drill-down, with a folder listing answered.
fn listing() -> State {
    let mut state = loaded();
    let g = group_id(1);
    state.location = Location { pane: PaneId::Workspaces, group: Some(g) };
    state.panes.workspaces.group = Some(g);
    let effects = keys(&mut state, ": s t a g e enter");
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { id, fetch: Fetch::Stage(Request::List { .. }) } => Some(*id),
            _ => None,
        })
        .unwrap();
    let meta = FileObjectMetadata {
        kind: Some(FileType::Directory),
        path: Some(String::new()),
        content: Some(FileContent::Children(vec![
            entry("events-2025-05.csv", false, 48_213_771, &ago(3600 * 30)),
            entry("raw", true, 0, &ago(86_400 * 12)),
            entry("notebooks", true, 0, &ago(86_400 * 40)),
            entry("customers.csv", false, 1_024_733, &ago(600)),
            entry("données été.json", false, 5_669, &ago(86_400 * 3)),
        ])),
        ..FileObjectMetadata::default()
    };
    reply(&mut state, id, Ok(ApiReply::Stage(Reply::Listing { store: g.into(), path: String::new(), meta })));
    state
}

/// An upload of three files under way: one done, one at 40 %, one queued.
fn transfers() -> State {
    let mut state = listing();
    let plan = Plan {
        upload: true,
        store: group_id(1).into(),
        label: "exports".into(),
        folders: vec!["exports/".into()],
        files: ["a.csv", "b.parquet", "c.json"]
            .iter()
            .map(|f| PlanFile {
                local: PathBuf::from(format!("/data/exports/{f}")),
                remote: format!("exports/{f}"),
                size: 200_000_000,
                conflict: None,
            })
            .collect(),
        skipped: Vec::new(),
    };
    let id = state.transfers.new_plan();
    let feed = |state: &mut State, e: TransferEvent| update::update(state, Msg::Transfer(e));
    feed(&mut state, TransferEvent::Planned { plan: id, result: Ok(plan) });
    // The folders job is 1; files are 2, 3, 4.
    feed(&mut state, TransferEvent::Finished { id: 1, result: Ok(0) });
    advance(&mut state, Duration::from_secs(2));
    feed(&mut state, TransferEvent::Finished { id: 2, result: Ok(200_000_000) });
    feed(&mut state, TransferEvent::Progress { id: 3, done: 80_000_000, total: Some(200_000_000) });
    advance(&mut state, Duration::from_secs(1));
    feed(&mut state, TransferEvent::Progress { id: 3, done: 80_000_000, total: Some(200_000_000) });
    keys(&mut state, ": t r a n s f e r s enter");
    state
}

#[test]
fn stage_listing() {
    snap("stage_listing", listing);
}

#[test]
fn stage_chooser() {
    snap("stage_chooser", || {
        let mut state = loaded();
        keys(&mut state, ": s t a g e enter");
        state
    });
}

#[test]
fn transfer_queue() {
    snap("transfer_queue", transfers);
}

#[test]
fn a_bare_name_renames_in_place() {
    use s2tui::api::types::StageChange;
    use s2tui::effect::Mutation;
    use s2tui::widgets::form::Field;
    use s2tui::widgets::modal::Modal;
    let mut state = listing();
    let g = group_id(1);
    assert!(select_name(&mut state.panes.stage.table, "raw/") || select_name(&mut state.panes.stage.table, "raw"));
    let effects = press(&mut state, "enter");
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { id, fetch: Fetch::Stage(Request::List { .. }) } => Some(*id),
            _ => None,
        })
        .expect("opening a folder lists it");
    let mut big = entry("big.bin", false, 10, &ago(60));
    big.path = Some("raw/big.bin".into());
    let meta = FileObjectMetadata {
        kind: Some(FileType::Directory),
        path: Some("raw/".into()),
        content: Some(FileContent::Children(vec![big])),
        ..FileObjectMetadata::default()
    };
    reply(&mut state, id, Ok(ApiReply::Stage(Reply::Listing { store: g.into(), path: "raw/".into(), meta })));
    press(&mut state, "m");
    let Some(Modal::Form(f)) = state.modals.last_mut() else { panic!("m opens the move form") };
    *f.form.field_mut("to").unwrap() = Field::text("to", "New path", "big2.bin");
    let effects = press(&mut state, "enter");
    let to = mutations(&effects)
        .into_iter()
        .find_map(|(_, m)| match m {
            Mutation::Stage(StageChange::Move { from, to, .. }) => Some((from.clone(), to.clone())),
            _ => None,
        })
        .expect("a move is sent");
    assert_eq!(to, ("raw/big.bin".to_string(), "raw/big2.bin".to_string()));
}
