//! `update` tests of the dashboard: messages in, state and effects out. No terminal, no
//! network, no sleeps; replies are fed as `Msg::Api` with the request ID the effect carried.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::msg::{Msg, Timer};
use s2tui::panes::ops::{OpKind, OpStatus};
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::update::update;
use s2tui::widgets::form::FieldKind;
use s2tui::widgets::modal::{FormPurpose, Modal};
use s2tui::widgets::toast::Level;

// ───────────────────────────── helpers ─────────────────────────────

fn top(state: &State) -> Option<&Modal> {
    state.modals.last()
}

fn modal_name(state: &State) -> Option<&'static str> {
    top(state).map(Modal::name)
}

fn select_ws(state: &mut State, name: &str) {
    assert!(select_name(&mut state.panes.workspaces.table, name), "workspace {name} is not visible");
}

fn select_group(state: &mut State, name: &str) {
    assert!(select_name(&mut state.panes.groups.table, name), "group {name} is not visible");
}

fn last_toast(state: &State) -> (Level, String) {
    let t = state.toasts.items.last().expect("a toast");
    (t.level, t.text.clone())
}

fn bad_request(text: &str, path: &str) -> ApiError {
    ApiError::from_status(400, text, "POST", path, None)
}

fn only_mutation(effects: &[Effect]) -> (u64, Mutation) {
    let m = mutations(effects);
    assert_eq!(m.len(), 1, "exactly one mutation expected, got {effects:?}");
    (m[0].0, m[0].1.clone())
}

fn poll_timers(effects: &[Effect]) -> Vec<Duration> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Timer { after, timer: Timer::PollOperations } => Some(*after),
            _ => None,
        })
        .collect()
}

/// Suspends `name` through the y/n confirmation; returns the mutation's request ID.
fn suspend(state: &mut State, name: &str) -> u64 {
    select_ws(state, name);
    assert!(press(state, "s").is_empty());
    let effects = press(state, "y");
    only_mutation(&effects).0
}

fn ws_with(state: &State, name: &str, s: WorkspaceState) -> Workspace {
    let mut ws = state.data.workspaces.value.iter().flatten().find(|w| w.name == name).unwrap().clone();
    ws.state = s;
    ws
}

// ───────────────────────────── navigation ─────────────────────────────

#[test]
fn starts_on_workspaces_of_every_group_and_loads_them() {
    let mut state = empty_state(session());
    let effects = s2tui::update::init(&mut state);
    let reads: Vec<&Fetch> = fetches(&effects).into_iter().map(|(_, f)| f).collect();
    assert!(reads.contains(&&Fetch::Organization));
    assert!(reads.contains(&&Fetch::Groups));
    assert_eq!(state.location.pane, PaneId::Workspaces);

    let state = loaded();
    assert_eq!(state.panes.workspaces.table.total(), 6);
    assert_eq!(state.panes.groups.table.total(), 3);
    assert!(state.requests.inflight.is_empty(), "every read was answered");
}

#[test]
fn tab_cycles_panes_and_digits_jump() {
    let mut state = loaded();
    let all = PaneId::shown(s2tui::api::ApiVersion::V1);
    let at = |p: PaneId| all.iter().position(|x| *x == p).unwrap();
    let start = at(PaneId::Workspaces);
    press(&mut state, "tab");
    assert_eq!(state.location.pane, all[(start + 1) % all.len()]);
    press(&mut state, "shift-tab");
    assert_eq!(state.location.pane, PaneId::Workspaces);
    // shift-tab wraps from the first pane to the last.
    press(&mut state, "1");
    assert_eq!(state.location.pane, all[0]);
    press(&mut state, "shift-tab");
    assert_eq!(state.location.pane, all[all.len() - 1]);
    press(&mut state, "tab");
    assert_eq!(state.location.pane, all[0]);
    for n in 1..=all.len().min(9) {
        press(&mut state, &n.to_string());
        assert_eq!(state.location.pane, all[n - 1], "key {n}");
    }
    press(&mut state, "2");
    assert_eq!(state.location.pane, PaneId::Workspaces);
    assert_eq!(state.panes.workspaces.table.total(), 6, "coming back keeps the rows");
}

#[test]
fn going_to_a_list_pane_reads_it_and_restarts_the_refresh_timer() {
    let mut state = loaded();
    let generation = state.refresh_generation;
    let effects = press(&mut state, "1");
    assert!(fetches(&effects).iter().any(|(_, f)| **f == Fetch::Groups));
    assert!(effects.contains(&Effect::Timer {
        after: state.session.refresh_every,
        timer: Timer::Refresh { generation: generation + 1 }
    }));
}

#[test]
fn palette_commands_and_aliases_navigate() {
    let mut state = loaded();
    press(&mut state, ":");
    assert_eq!(modal_name(&state), Some("palette"));
    type_text(&mut state, "wg");
    press(&mut state, "enter");
    assert!(state.modals.is_empty());
    assert_eq!(state.location.pane, PaneId::Groups);

    keys(&mut state, ": o p s enter");
    assert_eq!(state.location.pane, PaneId::Operations);

    press(&mut state, ":");
    type_text(&mut state, "ws");
    press(&mut state, "enter");
    assert_eq!(state.location.pane, PaneId::Workspaces);

    press(&mut state, ":");
    type_text(&mut state, "operations");
    press(&mut state, "enter");
    assert_eq!(state.location.pane, PaneId::Operations);

    press(&mut state, ":");
    type_text(&mut state, "workspacegroups");
    press(&mut state, "enter");
    assert_eq!(state.location.pane, PaneId::Groups);
}

#[test]
fn palette_tab_completes_and_unknown_commands_say_so() {
    let mut state = loaded();
    press(&mut state, ":");
    type_text(&mut state, "op");
    press(&mut state, "tab");
    match top(&state) {
        Some(Modal::Palette(p)) => assert_eq!(p.input, "ops "),
        _ => panic!("palette closed"),
    }
    press(&mut state, "enter");
    assert_eq!(state.location.pane, PaneId::Operations);

    press(&mut state, ":");
    type_text(&mut state, "nope");
    let effects = press(&mut state, "enter");
    assert!(state.modals.is_empty());
    assert!(outward(&effects).is_empty());
    assert_eq!(state.location.pane, PaneId::Operations);
    let (level, text) = last_toast(&state);
    assert_eq!(level, Level::Error);
    assert!(text.contains(":nope"), "{text}");

    // esc closes the palette without running anything.
    keys(&mut state, ": w s esc");
    assert!(state.modals.is_empty());
    assert_eq!(state.location.pane, PaneId::Operations);
}

#[test]
fn enter_drills_into_a_group_with_breadcrumbs_and_esc_goes_back() {
    let mut state = loaded();
    let org = Org::default();
    let effects = press(&mut state, "1");
    serve(&mut state, &org, effects);
    select_group(&mut state, "etl");
    let effects = press(&mut state, "enter");
    assert_eq!(state.location.pane, PaneId::Workspaces);
    assert_eq!(state.panes.workspaces.group, Some(group_id(2)));
    assert_eq!(state.breadcrumbs(), ["Workspace groups", "etl", "Workspaces"]);
    assert!(
        fetches(&effects).iter().any(|(_, f)| **f == Fetch::Workspaces { groups: vec![group_id(2)] }),
        "only the drilled group is re-read: {effects:?}"
    );
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["ingest", "nightly-batch", "staging"]);

    press(&mut state, "esc");
    assert_eq!(state.location.pane, PaneId::Groups);
    assert_eq!(state.breadcrumbs(), ["Workspace groups"]);
    assert_eq!(state.panes.groups.table.selected_row().unwrap().cells[0], "etl", "the selection is kept");
    // `1` was a jump: it started a new history, so there is nowhere left to go back to; esc
    // does nothing, and does not quit.
    assert!(state.back.is_empty());
    let effects = press(&mut state, "esc");
    assert_eq!(state.location.pane, PaneId::Groups);
    assert!(outward(&effects).is_empty());
    assert!(!state.quit);
}

#[test]
fn q_steps_out_of_a_drill_down_and_quits_at_a_top_level_pane() {
    let mut state = loaded();
    press(&mut state, "1");
    press(&mut state, "enter");
    assert_eq!(state.location.pane, PaneId::Workspaces);
    let effects = press(&mut state, "q");
    assert!(!effects.contains(&Effect::Quit));
    assert_eq!(state.location.pane, PaneId::Groups);
    assert!(!state.quit);
    let effects = press(&mut state, "q");
    assert!(state.quit);
    assert_eq!(outward(&effects), [&Effect::Quit]);
}

#[test]
fn ctrl_c_quits_from_anywhere_even_a_modal() {
    let mut state = loaded();
    press(&mut state, "?");
    assert_eq!(modal_name(&state), Some("help"));
    let effects = press(&mut state, "ctrl-c");
    assert!(state.quit);
    assert!(effects.contains(&Effect::Quit));
    // A signal does the same.
    let mut state = loaded();
    assert!(update(&mut state, Msg::Quit).contains(&Effect::Quit));
}

#[test]
fn help_opens_and_closes() {
    let mut state = loaded();
    press(&mut state, "?");
    assert_eq!(modal_name(&state), Some("help"));
    // Keys go to the modal, not the pane underneath.
    assert!(press(&mut state, "s").is_empty());
    assert_eq!(modal_name(&state), Some("help"));
    press(&mut state, "esc");
    assert!(state.modals.is_empty());
}

// ───────────────────────────── filter and sort ─────────────────────────────

#[test]
fn slash_filters_as_you_type_and_esc_clears() {
    let mut state = loaded();
    press(&mut state, "/");
    assert!(state.panes.workspaces.table.editing_filter);
    // While the filter has the keyboard, letters are text, not actions.
    let effects = type_text(&mut state, "night");
    assert!(outward(&effects).is_empty());
    assert!(state.modals.is_empty(), "'s' … did not open anything");
    assert_eq!(state.panes.workspaces.table.filter(), "night");
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["nightly-batch"]);

    press(&mut state, "esc");
    assert!(!state.panes.workspaces.table.editing_filter);
    assert_eq!(state.panes.workspaces.table.filter(), "");
    assert_eq!(state.panes.workspaces.table.len(), 6);
}

#[test]
fn enter_keeps_the_filter_and_esc_then_clears_it_before_going_back() {
    let mut state = loaded();
    press(&mut state, "1");
    press(&mut state, "enter"); // analytics
    keys(&mut state, "/ r e p enter");
    assert!(!state.panes.workspaces.table.editing_filter);
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["reporting"]);
    // Keys are actions again: j moves, the filter stays.
    press(&mut state, "j");
    assert_eq!(state.panes.workspaces.table.filter(), "rep");
    press(&mut state, "esc");
    assert_eq!(state.panes.workspaces.table.filter(), "");
    assert_eq!(state.location.pane, PaneId::Workspaces, "the first esc only cleared the filter");
    press(&mut state, "esc");
    assert_eq!(state.location.pane, PaneId::Groups);
}

#[test]
fn the_filter_matches_every_column_and_every_row_not_just_the_visible_page() {
    let mut state = loaded_with(session(), &Org::with_workspaces(2000));
    assert_eq!(state.panes.workspaces.table.total(), 2000);
    keys(&mut state, "/");
    type_text(&mut state, "ws-01977");
    let shown = visible_names(&mut state.panes.workspaces.table);
    assert!(shown.len() < 2000 && shown.contains(&"ws-01977".to_string()), "{shown:?}");
    // fzf syntax: a leading ' asks for the exact text.
    press(&mut state, "ctrl-u");
    type_text(&mut state, "'ws-01977");
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["ws-01977"]);
    press(&mut state, "ctrl-u");
    // The group column is searched too: every row of `sandbox`.
    type_text(&mut state, "sandbox");
    assert_eq!(state.panes.workspaces.table.len(), 666);
    press(&mut state, "backspace");
    assert_eq!(state.panes.workspaces.table.filter(), "sandbo");
}

#[test]
fn a_filter_word_matches_within_one_cell_not_across_columns() {
    let mut state = loaded();
    press(&mut state, "/");
    // Spread over the name, the state and a long endpoint, e-t-l is in almost every row;
    // only the rows of group etl have it in one cell.
    type_text(&mut state, "etl");
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["ingest", "nightly-batch", "staging"]);
    // Several words may each match a different column.
    press(&mut state, "ctrl-u");
    type_text(&mut state, "etl sus");
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["nightly-batch"]);
    // !word leaves out the rows that have it.
    press(&mut state, "ctrl-u");
    type_text(&mut state, "!analytics");
    assert_eq!(visible_names(&mut state.panes.workspaces.table), ["ingest", "nightly-batch", "staging"]);
}

#[test]
fn sort_keys_change_the_order() {
    let mut state = loaded();
    let by_name = ["dashboards", "ingest", "ml-training", "nightly-batch", "reporting", "staging"];
    assert_eq!(visible_names(&mut state.panes.workspaces.table), by_name);
    press(&mut state, "~");
    assert_eq!(state.panes.workspaces.table.sort(), Some((0, true)));
    let mut reversed = by_name;
    reversed.reverse();
    assert_eq!(visible_names(&mut state.panes.workspaces.table), reversed);

    // > twice more: NAME → GROUP → SIZE, ascending by value (S-2 before S-16).
    keys(&mut state, "> >");
    assert_eq!(state.panes.workspaces.table.sort(), Some((2, false)));
    assert_eq!(
        visible_names(&mut state.panes.workspaces.table),
        ["nightly-batch", "dashboards", "reporting", "ingest", "ml-training", "staging"]
    );
    press(&mut state, "~");
    assert_eq!(visible_names(&mut state.panes.workspaces.table)[0], "staging");
    press(&mut state, "<");
    assert_eq!(state.panes.workspaces.table.sort(), Some((1, false)));
    let names = visible_names(&mut state.panes.workspaces.table);
    assert_eq!(&names[..3], ["dashboards", "ml-training", "reporting"], "analytics first, stable by name");
}

#[test]
fn the_selection_follows_its_row_across_a_sort() {
    let mut state = loaded();
    select_ws(&mut state, "reporting");
    press(&mut state, "~");
    assert_eq!(state.panes.workspaces.table.selected_row().unwrap().cells[0], "reporting");
}

// ───────────────────────────── describe ─────────────────────────────

#[test]
fn d_describes_the_selection_as_json() {
    let mut state = loaded();
    select_ws(&mut state, "ingest");
    let effects = press(&mut state, "d");
    assert!(outward(&effects).is_empty());
    let Some(Modal::Describe(view)) = top(&state) else { panic!("no describe view") };
    assert_eq!(view.title, "workspace ingest");
    let json: serde_json::Value = serde_json::from_str(&view.text).unwrap();
    assert_eq!(json["workspaceID"], workspace_id(4).to_string());
    assert_eq!(json["size"], "S-4");
    let text = view.text.clone();
    assert_eq!(outward(&press(&mut state, "y")), [&Effect::Copy(text)]);
    press(&mut state, "esc");
    assert!(state.modals.is_empty());

    press(&mut state, "1");
    select_group(&mut state, "etl");
    press(&mut state, "d");
    let Some(Modal::Describe(view)) = top(&state) else { panic!("no describe view") };
    assert!(view.text.contains("\"expiresAt\""), "{}", view.text);
}

// ───────────────────────────── confirmations ─────────────────────────────

#[test]
fn suspend_asks_first_and_no_or_esc_sends_nothing() {
    let mut state = loaded();
    select_ws(&mut state, "ingest");
    let effects = press(&mut state, "s");
    assert!(effects.is_empty());
    let Some(Modal::Confirm(c)) = top(&state) else { panic!("no confirmation") };
    assert!(c.lines.iter().any(|l| l.contains("ingest")), "{:?}", c.lines);
    assert!(c.lines.iter().any(|l| l.contains("S-4") && l.contains("etl")), "{:?}", c.lines);

    let effects = press(&mut state, "n");
    assert!(effects.is_empty());
    assert!(state.modals.is_empty());
    assert!(state.ops.list.is_empty());

    press(&mut state, "s");
    // Other keys leave the question open.
    assert!(press(&mut state, "x").is_empty());
    assert_eq!(modal_name(&state), Some("confirm"));
    assert!(press(&mut state, "esc").is_empty());
    assert!(state.modals.is_empty());
    assert!(state.ops.list.is_empty());
}

#[test]
fn y_sends_exactly_one_suspend_and_starts_an_operation() {
    let mut state = loaded();
    select_ws(&mut state, "ingest");
    press(&mut state, "s");
    let effects = press(&mut state, "y");
    let (id, mutation) = only_mutation(&effects);
    assert_eq!(mutation, Mutation::SuspendWorkspace { id: workspace_id(4) });
    assert!(fetches(&effects).is_empty());
    assert!(state.modals.is_empty());
    assert_eq!(state.ops.list.len(), 1);
    let op = &state.ops.list[0];
    assert_eq!((op.kind, op.target, op.mutation_request), (OpKind::SuspendWorkspace, Some(workspace_id(4)), id));
    assert_eq!(op.status, OpStatus::Sending);
    // The row says what is happening before the API does.
    let row = state.panes.workspaces.table.selected_row().unwrap();
    assert_eq!((row.cells[0].as_str(), row.cells[3].as_str()), ("ingest", "suspending…"));
    // A second suspend of the same workspace is refused while the first is pending.
    assert!(outward(&press(&mut state, "s")).is_empty());
    assert!(state.modals.is_empty());
    assert!(last_toast(&state).1.contains("already changing"));
}

#[test]
fn suspending_a_suspended_workspace_is_refused_without_asking() {
    let mut state = loaded();
    select_ws(&mut state, "dashboards");
    let effects = press(&mut state, "s");
    assert!(outward(&effects).is_empty());
    assert!(state.modals.is_empty());
    assert_eq!(last_toast(&state), (Level::Error, "Suspend: dashboards is SUSPENDED".to_string()));
    // Resume is the one that applies.
    press(&mut state, "r");
    let effects = press(&mut state, "y");
    assert_eq!(
        only_mutation(&effects).1,
        Mutation::ResumeWorkspace { id: workspace_id(2), disable_auto_suspend: false }
    );
}

#[test]
fn marked_workspaces_get_one_confirmation_and_one_mutation_each() {
    let mut state = loaded();
    select_ws(&mut state, "ingest");
    press(&mut state, "space"); // marks and moves down to ml-training
    press(&mut state, "space"); // marks ml-training, moves to nightly-batch (suspended)
    press(&mut state, "space");
    assert_eq!(state.panes.workspaces.table.marks.len(), 3);
    press(&mut state, "s");
    let Some(Modal::Confirm(c)) = top(&state) else { panic!("no confirmation") };
    assert_eq!(c.lines[0], "Suspend 2 workspaces?");
    let text = c.lines.join("\n");
    assert!(text.contains("ingest") && text.contains("ml-training"), "{text}");
    assert!(text.contains("Skipped (not ACTIVE): nightly-batch"), "{text}");

    let effects = press(&mut state, "y");
    let mut sent: Vec<Mutation> = mutations(&effects).into_iter().map(|(_, m)| m.clone()).collect();
    sent.sort_by_key(|m| format!("{m:?}"));
    assert_eq!(
        sent,
        [Mutation::SuspendWorkspace { id: workspace_id(3) }, Mutation::SuspendWorkspace { id: workspace_id(4) }]
    );
    let ids: std::collections::HashSet<u64> = mutations(&effects).iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), 2, "each mutation has its own request ID");
    assert_eq!(state.ops.pending_count(), 2);
}

#[test]
fn esc_clears_marks_before_going_back() {
    let mut state = loaded();
    press(&mut state, "space");
    assert_eq!(state.panes.workspaces.table.marks.len(), 1);
    press(&mut state, "esc");
    assert!(state.panes.workspaces.table.marks.is_empty());
    assert!(!state.quit);
}

#[test]
fn terminate_needs_the_exact_name_typed() {
    let mut state = loaded();
    select_ws(&mut state, "reporting");
    assert!(press(&mut state, "ctrl-d").is_empty());
    let Some(Modal::TypedConfirm(c)) = top(&state) else { panic!("no typed confirmation") };
    assert_eq!(c.expected, "reporting");
    assert!(c.lines[0].contains("reporting"));

    // `y` is just a letter here, and a wrong name sends nothing.
    type_text(&mut state, "y");
    assert!(press(&mut state, "enter").is_empty());
    press(&mut state, "backspace");
    type_text(&mut state, "Reporting");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    let Some(Modal::TypedConfirm(c)) = top(&state) else { panic!("closed on a wrong name") };
    assert!(c.mismatch);
    assert!(state.ops.list.is_empty());

    for _ in 0.."Reporting".len() {
        press(&mut state, "backspace");
    }
    type_text(&mut state, "reporting");
    let effects = press(&mut state, "enter");
    assert_eq!(only_mutation(&effects).1, Mutation::TerminateWorkspace { id: workspace_id(1) });
    assert!(state.modals.is_empty());
    assert_eq!(state.ops.list[0].kind, OpKind::TerminateWorkspace);
}

#[test]
fn terminate_can_be_cancelled_with_esc() {
    let mut state = loaded();
    select_ws(&mut state, "reporting");
    press(&mut state, "ctrl-d");
    type_text(&mut state, "reporting");
    assert!(press(&mut state, "esc").is_empty());
    assert!(state.modals.is_empty());
    assert!(state.ops.list.is_empty());
}

#[test]
fn pasting_the_name_confirms_too() {
    let mut state = loaded();
    select_ws(&mut state, "reporting");
    press(&mut state, "ctrl-d");
    update(&mut state, Msg::Input(crossterm::event::Event::Paste("reporting\n".into())));
    let effects = press(&mut state, "enter");
    assert_eq!(only_mutation(&effects).1, Mutation::TerminateWorkspace { id: workspace_id(1) });
}

// ───────────────────────────── forms ─────────────────────────────

fn form_modal(state: &State) -> &s2tui::widgets::modal::FormModal {
    match top(state) {
        Some(Modal::Form(f)) => f,
        other => panic!("no form on top: {:?}", other.map(Modal::name)),
    }
}

#[test]
fn create_workspace_refuses_an_invalid_name_with_a_message_and_no_effect() {
    let mut state = loaded();
    press(&mut state, "c");
    assert_eq!(form_modal(&state).purpose, FormPurpose::CreateWorkspace);
    let effects = press(&mut state, "enter");
    assert!(outward(&effects).is_empty());
    let f = form_modal(&state);
    let name = f.form.fields.iter().find(|x| x.name == "name").unwrap();
    assert_eq!(name.error.as_deref(), Some("required"));
    assert_eq!(f.form.fields[f.form.focus].name, "name", "focus moves to the first bad field");

    type_text(&mut state, "9lives");
    assert!(outward(&press(&mut state, "enter")).is_empty());
    let f = form_modal(&state);
    let name = f.form.fields.iter().find(|x| x.name == "name").unwrap();
    assert_eq!(name.error.as_deref(), Some("must start with a letter"));
    assert!(state.ops.list.is_empty());
}

#[test]
fn create_workspace_sends_the_form_and_closes_on_success() {
    let mut state = loaded();
    press(&mut state, "c");
    keys(&mut state, "tab"); // group → name
    type_text(&mut state, "new-ws");
    keys(&mut state, "tab right right"); // size S-00 → S-1
    // A billable create is confirmed first, with what it costs.
    assert!(outward(&press(&mut state, "enter")).iter().all(|e| !matches!(e, s2tui::effect::Effect::Mutate { .. })));
    match state.modals.last() {
        Some(Modal::Confirm(c)) => {
            assert_eq!(c.title, "Create workspace");
            assert!(c.lines.iter().any(|l| l.contains("billed")), "{:?}", c.lines);
        }
        other => panic!("expected a confirmation, got {:?}", other.map(Modal::name)),
    }
    let effects = press(&mut state, "y");
    let (id, mutation) = only_mutation(&effects);
    let Mutation::CreateWorkspace(body) = mutation else { panic!("{mutation:?}") };
    assert_eq!(body.name, "new-ws");
    assert_eq!(body.workspace_group_id, group_id(1));
    assert_eq!(body.size.as_deref(), Some("S-1"));
    assert_eq!(
        body.auto_suspend,
        Some(AutoSuspendSettings { suspend_type: Some(SuspendType::Idle), suspend_after_seconds: Some(3600.0) })
    );
    // The form waits for the answer; a second enter sends nothing.
    assert!(form_modal(&state).form.busy);
    assert!(mutations(&press(&mut state, "enter")).is_empty());

    let new_id = workspace_id(99);
    let effects = reply(&mut state, id, Ok(ApiReply::Mutated(new_id)));
    assert!(state.modals.is_empty());
    let op = &state.ops.list[0];
    assert_eq!((op.kind, op.target, &op.status), (OpKind::CreateWorkspace, Some(new_id), &OpStatus::Waiting));
    assert_eq!(poll_timers(&effects), [Duration::from_secs(2)]);
    assert!(
        fetches(&effects).iter().any(|(_, f)| matches!(f, Fetch::Workspaces { .. })),
        "the list is re-read so the new workspace shows up"
    );
}

#[test]
fn create_workspace_from_a_drilled_group_preselects_it() {
    let mut state = loaded();
    press(&mut state, "1");
    select_group(&mut state, "etl");
    press(&mut state, "enter");
    press(&mut state, "c");
    assert_eq!(form_modal(&state).form.value("group"), "etl");
}

#[test]
fn an_api_refusal_keeps_the_form_open_with_the_text_and_what_was_typed() {
    let mut state = loaded();
    press(&mut state, "c");
    press(&mut state, "tab");
    type_text(&mut state, "reporting");
    press(&mut state, "enter");
    let (id, _) = only_mutation(&press(&mut state, "y"));
    let refusal = "a workspace named reporting already exists in this group";
    let effects = reply(&mut state, id, Err(bad_request(refusal, "/v1/workspaces")));
    assert!(outward(&effects).is_empty());
    let f = form_modal(&state);
    assert_eq!(f.form.server_error.as_deref(), Some(refusal));
    assert_eq!(f.form.value("name"), "reporting");
    assert!(!f.form.busy);
    assert!(state.ops.list.is_empty(), "a refused create is not an operation");
    // The user fixes the name and submits again: a new request.
    type_text(&mut state, "-2");
    press(&mut state, "enter");
    let (id2, m) = only_mutation(&press(&mut state, "y"));
    assert_ne!(id, id2);
    let Mutation::CreateWorkspace(body) = m else { panic!() };
    assert_eq!(body.name, "reporting-2");
    assert_eq!(form_modal(&state).form.server_error, None);
}

#[test]
fn edit_shows_a_diff_and_asks_before_sending() {
    let mut state = loaded();
    select_ws(&mut state, "reporting");
    press(&mut state, "e");
    assert_eq!(form_modal(&state).purpose, FormPurpose::EditWorkspace(workspace_id(1)));
    assert_eq!(form_modal(&state).form.value("size"), "S-2");
    press(&mut state, "right");
    assert_eq!(form_modal(&state).form.value("size"), "S-4");
    let effects = press(&mut state, "enter");
    assert!(outward(&effects).is_empty(), "nothing is sent before the diff is confirmed");
    let Some(Modal::Confirm(c)) = top(&state) else { panic!("no review") };
    assert_eq!(c.title, "Review changes");
    assert!(c.lines.iter().any(|l| l.contains("size: S-2 → S-4")), "{:?}", c.lines);
    assert_eq!(state.modals.len(), 2, "the form stays underneath");

    // n goes back to the form as it was.
    assert!(press(&mut state, "n").is_empty());
    assert_eq!(form_modal(&state).form.value("size"), "S-4");

    press(&mut state, "enter");
    let (id, m) = only_mutation(&press(&mut state, "y"));
    let Mutation::UpdateWorkspace { id: target, body } = m else { panic!("{m:?}") };
    assert_eq!(target, workspace_id(1));
    assert_eq!(body, WorkspaceUpdate { size: Some("S-4".into()), ..WorkspaceUpdate::default() });
    assert!(form_modal(&state).form.busy);

    // The API refuses: the form shows why and keeps the chosen size.
    let refusal = "cannot resize while a resize is in progress";
    reply(&mut state, id, Err(bad_request(refusal, "/v1/workspaces/x")));
    let f = form_modal(&state);
    assert_eq!(f.form.server_error.as_deref(), Some(refusal));
    assert_eq!(f.form.value("size"), "S-4");
    assert!(state.ops.list.is_empty());
}

#[test]
fn edit_with_no_change_says_so_and_sends_nothing() {
    let mut state = loaded();
    select_ws(&mut state, "reporting");
    press(&mut state, "e");
    let effects = press(&mut state, "enter");
    assert!(outward(&effects).is_empty());
    assert_eq!(form_modal(&state).form.server_error.as_deref(), Some("nothing changed"));
}

#[test]
fn only_an_active_workspace_can_be_edited() {
    let mut state = loaded();
    select_ws(&mut state, "dashboards");
    press(&mut state, "e");
    assert!(state.modals.is_empty());
    assert!(last_toast(&state).1.contains("only an ACTIVE workspace"));
}

// ───────────────────────────── operations ─────────────────────────────

#[test]
fn an_operation_polls_until_the_target_state_then_rings() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    let effects = reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    assert_eq!(state.ops.list[0].status, OpStatus::Waiting);
    assert_eq!(poll_timers(&effects), [Duration::from_secs(2)]);

    // Too early: nothing to poll yet.
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    assert!(fetches(&effects).is_empty());

    advance(&mut state, Duration::from_secs(2));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    let polls = fetches(&effects);
    assert_eq!(polls.len(), 1);
    assert_eq!(polls[0].1, &Fetch::Workspace(workspace_id(4)));
    let poll = polls[0].0;

    advance(&mut state, Duration::from_secs(1));
    let done = ws_with(&state, "ingest", WorkspaceState::Suspended);
    let effects = reply(&mut state, poll, Ok(ApiReply::Workspace(done.clone())));
    // One read could come from a replica behind the change: a second one confirms it.
    assert_eq!(state.ops.list[0].status, OpStatus::Waiting);
    assert!(!effects.contains(&Effect::Bell));
    assert_eq!(poll_timers(&effects), [Duration::from_secs(2)]);
    advance(&mut state, Duration::from_secs(2));
    let (poll, _) = fetches(&update(&mut state, Msg::Timer(Timer::PollOperations)))[0];
    let effects = reply(&mut state, poll, Ok(ApiReply::Workspace(done)));
    let op = &state.ops.list[0];
    assert_eq!(op.status, OpStatus::Done);
    assert_eq!(op.observed.as_deref(), Some("SUSPENDED"));
    assert!(effects.contains(&Effect::Bell));
    let (level, text) = last_toast(&state);
    assert_eq!(level, Level::Success);
    assert_eq!(text, "ingest suspended (5s)");
    assert_eq!(state.ops.pending_count(), 0);
    // Every pane sees the new state at once.
    select_ws(&mut state, "ingest");
    assert_eq!(state.panes.workspaces.table.selected_row().unwrap().cells[3], "SUSPENDED");
    assert!(poll_timers(&effects).is_empty(), "nothing left to poll");
}

#[test]
fn a_poll_not_yet_there_keeps_the_operation_pending_and_backs_off() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    let mut waits = Vec::new();
    for _ in 0..3 {
        let due = state.ops.list[0].next_poll;
        state.now = due;
        let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
        let (poll, _) = fetches(&effects)[0];
        let still = ws_with(&state, "ingest", WorkspaceState::Active);
        let effects = reply(&mut state, poll, Ok(ApiReply::Workspace(still)));
        assert!(!effects.contains(&Effect::Bell));
        assert_eq!(state.ops.list[0].status, OpStatus::Waiting);
        waits.extend(poll_timers(&effects));
    }
    assert_eq!(state.ops.list[0].polls, 3);
    assert_eq!(waits, [Duration::from_millis(2500), Duration::from_millis(3125), Duration::from_micros(3_906_250)]);
    // The row still says what the dashboard is waiting for.
    select_ws(&mut state, "ingest");
    assert_eq!(state.panes.workspaces.table.selected_row().unwrap().cells[3], "suspending…");
}

#[test]
fn a_failed_state_fails_the_operation() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    advance(&mut state, Duration::from_secs(2));
    let effects = update(&mut state, Msg::Timer(Timer::PollOperations));
    let (poll, _) = fetches(&effects)[0];
    let failed = ws_with(&state, "ingest", WorkspaceState::Failed);
    let effects = reply(&mut state, poll, Ok(ApiReply::Workspace(failed)));
    assert!(effects.contains(&Effect::Bell));
    assert_eq!(state.ops.list[0].status, OpStatus::Failed("the API reports FAILED".into()));
    let (level, text) = last_toast(&state);
    assert_eq!(level, Level::Error);
    assert!(text.contains("suspend ingest") && text.contains("FAILED"), "{text}");
    assert!(poll_timers(&effects).is_empty());
}

#[test]
fn a_refused_mutation_outside_a_form_fails_the_operation_with_the_reason() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    let e = ApiError::from_status(409, "workspace is being resized", "POST", "/v1/workspaces/x/suspend", None);
    let effects = reply(&mut state, id, Err(e));
    assert!(mutations(&effects).is_empty(), "mutations are never retried");
    let OpStatus::Failed(why) = &state.ops.list[0].status else { panic!("not failed") };
    assert!(why.contains("workspace is being resized"), "{why}");
    assert_eq!(last_toast(&state).0, Level::Error);
    // The row shows the API's state again.
    select_ws(&mut state, "ingest");
    assert_eq!(state.panes.workspaces.table.selected_row().unwrap().cells[3], "ACTIVE");
}

// ───────────────────────────── stale replies ─────────────────────────────

#[test]
fn a_reply_to_an_unknown_request_changes_nothing() {
    let mut state = loaded();
    state.dirty = false;
    let before = state.data.workspaces.value.clone();
    let mut gone = sample_workspaces();
    gone.truncate(1);
    let effects = reply(
        &mut state,
        9_999,
        Ok(ApiReply::Workspaces { groups: vec![group_id(1), group_id(2)], list: gone, failed: vec![] }),
    );
    assert!(effects.is_empty());
    assert_eq!(state.data.workspaces.value, before);
    assert_eq!(state.panes.workspaces.table.total(), 6);
    assert!(!state.dirty, "nothing to redraw");
}

#[test]
fn a_reply_that_was_already_answered_is_dropped() {
    let mut state = loaded();
    let effects = press(&mut state, "ctrl-r");
    let (old, _) = *fetches(&effects).iter().find(|(_, f)| **f == Fetch::Groups).unwrap();
    let org = Org::default();
    reply(&mut state, old, org.reply(&Fetch::Groups));
    // A second refresh is in flight; the older reply shows up again (a retry, a duplicate).
    let effects = press(&mut state, "ctrl-r");
    let (new, _) = *fetches(&effects).iter().find(|(_, f)| **f == Fetch::Groups).unwrap();
    assert_ne!(old, new);
    let mut renamed = groups();
    renamed[0].name = "stale-name".into();
    assert!(reply(&mut state, old, Ok(ApiReply::Groups(renamed))).is_empty());
    assert_eq!(state.data.groups.value.as_ref().unwrap()[0].name, "analytics");
    assert_eq!(state.data.groups.request(), Some(new), "the newer request is still awaited");
}

#[test]
fn a_second_refresh_while_one_is_in_flight_is_queued_not_doubled() {
    let mut state = loaded();
    let first = press(&mut state, "ctrl-r");
    let second = press(&mut state, "ctrl-r");
    assert_eq!(fetches(&first).len(), 2, "groups and workspaces");
    assert!(fetches(&second).is_empty(), "at most one request per resource in flight");
    assert!(state.data.groups.is_queued());
    let (id, _) = *fetches(&first).iter().find(|(_, f)| **f == Fetch::Groups).unwrap();
    let effects = reply(&mut state, id, Org::default().reply(&Fetch::Groups));
    assert!(fetches(&effects).iter().any(|(_, f)| **f == Fetch::Groups), "the queued one goes out now");
}

#[test]
fn an_old_poll_reply_after_the_operation_finished_changes_nothing() {
    let mut state = loaded();
    let id = suspend(&mut state, "ingest");
    reply(&mut state, id, Ok(ApiReply::Mutated(workspace_id(4))));
    advance(&mut state, Duration::from_secs(2));
    let (first, _) = fetches(&update(&mut state, Msg::Timer(Timer::PollOperations)))[0];
    let done = ws_with(&state, "ingest", WorkspaceState::Suspended);
    reply(&mut state, first, Ok(ApiReply::Workspace(done.clone())));
    advance(&mut state, Duration::from_secs(2));
    let (poll, _) = fetches(&update(&mut state, Msg::Timer(Timer::PollOperations)))[0];
    reply(&mut state, poll, Ok(ApiReply::Workspace(done)));
    assert_eq!(state.ops.list[0].status, OpStatus::Done);
    let late = ws_with(&state, "ingest", WorkspaceState::Active);
    assert!(reply(&mut state, poll, Ok(ApiReply::Workspace(late))).is_empty());
    assert_eq!(state.data.workspace(workspace_id(4)).unwrap().state, WorkspaceState::Suspended);
}

#[test]
fn a_superseded_refresh_timer_does_nothing() {
    let mut state = loaded();
    let old = state.refresh_generation;
    press(&mut state, "1"); // restarts the cadence
    assert!(state.refresh_generation > old);
    let effects = update(&mut state, Msg::Timer(Timer::Refresh { generation: old }));
    assert!(effects.is_empty());
    let current = state.refresh_generation;
    let effects = update(&mut state, Msg::Timer(Timer::Refresh { generation: current }));
    assert!(effects.iter().any(|e| matches!(e, Effect::Timer { timer: Timer::Refresh { .. }, .. })));
}

// ───────────────────────────── read-only ─────────────────────────────

#[test]
fn read_only_refuses_every_change_with_a_toast_and_no_request() {
    let read_only = s2tui::state::SessionInfo { read_only: true, ..session() };
    let mut state = loaded_with(read_only, &Org::default());
    select_ws(&mut state, "ingest");
    for k in ["s", "r", "c", "e", "ctrl-d"] {
        state.toasts.items.clear();
        let effects = press(&mut state, k);
        assert!(outward(&effects).is_empty(), "{k}: {effects:?}");
        assert!(
            effects.iter().all(|e| matches!(e, Effect::Timer { timer: Timer::ExpireToasts, .. })),
            "{k}: only the toast's own timer: {effects:?}"
        );
        assert!(state.modals.is_empty(), "{k} opened {:?}", modal_name(&state));
        let (level, text) = last_toast(&state);
        assert_eq!(level, Level::Error);
        assert!(text.starts_with("Read-only"), "{k}: {text}");
    }
    press(&mut state, "1");
    for k in ["c", "e", "ctrl-d"] {
        let effects = press(&mut state, k);
        assert!(outward(&effects).is_empty(), "{k}");
        assert!(state.modals.is_empty());
    }
    assert!(state.ops.list.is_empty());
    // Reading still works: describe and copy.
    press(&mut state, "d");
    assert_eq!(modal_name(&state), Some("describe"));
}

// ───────────────────────────── groups ─────────────────────────────

#[test]
fn terminating_a_group_with_live_workspaces_warns_and_forces() {
    let mut state = loaded();
    press(&mut state, "1");
    select_group(&mut state, "analytics");
    press(&mut state, "ctrl-d");
    let Some(Modal::TypedConfirm(c)) = top(&state) else { panic!("no typed confirmation") };
    let text = c.lines.join("\n");
    assert!(text.contains("3 workspace(s): dashboards, ml-training, reporting"), "{text}");
    assert!(text.contains("force"), "{text}");
    type_text(&mut state, "analytics");
    let (_, m) = only_mutation(&press(&mut state, "enter"));
    assert_eq!(m, Mutation::TerminateGroup { id: group_id(1), force: true });
}

#[test]
fn terminating_an_empty_group_does_not_force() {
    let mut state = loaded();
    press(&mut state, "1");
    select_group(&mut state, "sandbox");
    press(&mut state, "ctrl-d");
    let Some(Modal::TypedConfirm(c)) = top(&state) else { panic!("no typed confirmation") };
    assert!(!c.lines.join("\n").contains("force"));
    type_text(&mut state, "sandbox");
    let (_, m) = only_mutation(&press(&mut state, "enter"));
    assert_eq!(m, Mutation::TerminateGroup { id: group_id(3), force: false });
}

#[test]
fn a_created_group_reveals_its_generated_password_once_and_y_copies_it() {
    let mut state = loaded();
    // The groups pane reads the projects on its first visit, for the create form.
    let effects = press(&mut state, "1");
    serve(&mut state, &Org::default(), effects);
    press(&mut state, "c");
    assert_eq!(form_modal(&state).purpose, FormPurpose::CreateGroup);
    type_text(&mut state, "new-group");
    keys(&mut state, "tab right"); // region → GCP europe-west1
    let (id, m) = only_mutation(&press(&mut state, "enter"));
    let Mutation::CreateGroup(body) = m else { panic!("{m:?}") };
    assert_eq!(body.name, "new-group");
    assert_eq!(body.region_id, Some(region_id(2)));
    assert_eq!(body.admin_password, None, "the API generates one");

    let secret = "Gen3rated-Pa55word!";
    let created = WorkspaceGroupCreated { workspace_group_id: group_id(7), admin_password: Some(secret.into()) };
    reply(&mut state, id, Ok(ApiReply::GroupCreated(created)));
    let Some(Modal::Reveal(r)) = top(&state) else { panic!("no reveal: {:?}", modal_name(&state)) };
    assert_eq!(r.secret, secret);
    assert!(!r.copied);
    assert_eq!(state.modals.len(), 1, "the form closed");
    assert!(!format!("{r:?}").contains(secret), "the secret never shows in Debug");

    let effects = press(&mut state, "y");
    // Copied as a secret: the clipboard is cleared again after a while.
    let copied: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::CopySecret(v) => Some(v.expose()),
            _ => None,
        })
        .collect();
    assert_eq!(copied, [secret]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Timer { after, .. } if *after == s2tui::panes::secrets::CLIPBOARD_FOR))
    );
    let Some(Modal::Reveal(r)) = top(&state) else { panic!("closed on copy") };
    assert!(r.copied);
    press(&mut state, "esc");
    assert!(state.modals.is_empty());
    assert_eq!(state.ops.list[0].target, Some(group_id(7)));
}

#[test]
fn creating_a_group_without_regions_loaded_asks_for_them_first() {
    let mut state = loaded();
    state.data.regions = Default::default();
    let visit = press(&mut state, "1");
    let effects = press(&mut state, "c");
    assert!(state.modals.is_empty());
    assert!(fetches(&effects).iter().any(|(_, f)| **f == Fetch::Regions));
    // The projects were asked for on the visit, and are not asked twice.
    assert!(fetches(&visit).iter().any(|(_, f)| **f == Fetch::Projects(ProjectsRequest::List)));
    assert!(!fetches(&effects).iter().any(|(_, f)| matches!(f, Fetch::Projects(_))));
    let rest = serve(&mut state, &Org::default(), [visit, effects].concat());
    assert!(rest.iter().all(|e| !matches!(e, Effect::Fetch { .. })));
    press(&mut state, "c");
    assert_eq!(form_modal(&state).purpose, FormPurpose::CreateGroup);
}

#[test]
fn the_group_form_offers_every_project_of_the_organization() {
    let mut state = loaded();
    let effects = press(&mut state, "1");
    serve(&mut state, &Org::default(), effects);
    press(&mut state, "c");
    let field = form_modal(&state).form.fields.iter().find(|f| f.name == "project").expect("a project field");
    let FieldKind::Choice { options: choices, .. } = &field.kind else { panic!("the project is a choice") };
    let choices = choices.clone();
    let every: Vec<String> = s2tui::testing::projects().into_iter().map(|p| p.name).collect();
    assert_eq!(choices[0], "the organization's default");
    assert_eq!(choices[1..].len(), every.len(), "{choices:?}");
    assert!(every.iter().all(|n| choices.contains(n)), "{choices:?}");
    // The chosen one goes into the create body by its id.
    let wanted = s2tui::testing::projects().into_iter().max_by_key(|p| p.name.clone()).unwrap();
    type_text(&mut state, "new-group");
    let position = choices.iter().position(|c| *c == wanted.name).unwrap();
    keys(&mut state, &format!("tab tab tab tab tab tab tab tab{}", " right".repeat(position)));
    assert_eq!(form_modal(&state).form.value("project"), wanted.name);
    let (_, m) = only_mutation(&press(&mut state, "enter"));
    let Mutation::CreateGroup(body) = m else { panic!("{m:?}") };
    assert_eq!(body.project_id, Some(wanted.project_id));
}

#[test]
fn copy_puts_the_connection_string_on_the_clipboard() {
    let mut state = loaded();
    select_ws(&mut state, "ingest");
    let effects = press(&mut state, "y");
    let Some(Effect::Copy(text)) = outward(&effects).first().copied() else { panic!("{effects:?}") };
    assert!(text.starts_with("mysql -h svc-b0000004-dml."), "{text}");
    select_ws(&mut state, "staging");
    let effects = press(&mut state, "y");
    assert!(outward(&effects).is_empty(), "no endpoint yet");
}
