//! `update` tests of the teams pane: list, describe, and every form's validation. Nothing is
//! sent until a form is valid; API refusals keep the form open with the server's text.
#![allow(clippy::unwrap_used)]

#[path = "common/teams_pc.rs"]
mod fixtures;

use fixtures::*;
use s2tui::api::error::ApiError;
use s2tui::api::types::TeamsChange as Change;
use s2tui::api::types::*;
use s2tui::effect::{ApiReply, Effect, Fetch, Mutation};
use s2tui::panes;
use s2tui::panes::teams;
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
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

/// Clears the focused text field.
fn clear(state: &mut State) {
    press(state, "end");
    for _ in 0..300 {
        press(state, "backspace");
    }
}

fn select_team(state: &mut State, name: &str) {
    assert!(select_name(&mut state.panes.teams.table, name), "team {name} is not visible");
}

fn the_mutation(effects: &[Effect]) -> (u64, Mutation) {
    let m = mutations(effects);
    assert_eq!(m.len(), 1, "exactly one mutation expected, got {effects:?}");
    (m[0].0, m[0].1.clone())
}

#[test]
fn lists_teams_with_member_counts() {
    let world = World::default();
    let mut state = world.open("teams");
    assert_eq!(state.location.pane, PaneId::Teams);
    assert_eq!(visible_names(&mut state.panes.teams.table), ["Analytics", "Data Engineering", "Platform Admins"]);
    let row = |state: &State, name: &str| {
        state.panes.teams.table.rows().iter().find(|r| r.cells[0] == name).unwrap().cells.clone()
    };
    assert_eq!(row(&state, "Data Engineering")[2..4], ["3".to_string(), "0".to_string()]);
    assert_eq!(row(&state, "Platform Admins")[2..4], ["1".to_string(), "1".to_string()]);
}

#[test]
fn a_stale_list_reply_is_dropped() {
    let world = World::default();
    let mut state = world.open("teams");
    let first = panes::refresh_pane(&mut state, PaneId::Teams);
    let (old, _) = fetches(&first)[0];
    // A second refresh while one is in flight is queued, not sent twice.
    assert!(panes::refresh_pane(&mut state, PaneId::Teams).is_empty());
    let effects = reply(&mut state, old, Ok(ApiReply::Teams(TeamsReply::List(Vec::new()))));
    let queued = fetches(&effects);
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].1, &Fetch::Teams(TeamsRequest::List));
    // A reply to a request nobody waits for any more changes nothing.
    reply(&mut state, old, Ok(ApiReply::Teams(TeamsReply::List(world.teams.clone()))));
    assert_eq!(state.panes.teams.table.len(), 0);
}

#[test]
fn describe_lists_members_by_name_and_email() {
    let world = World::default();
    let mut state = world.open("teams");
    select_team(&mut state, "Platform Admins");
    assert!(press(&mut state, "enter").is_empty());
    let Some(Modal::Describe(view)) = state.modals.last() else { panic!("no describe view") };
    assert!(view.title.contains("Platform Admins"), "{}", view.title);
    assert!(
        view.title.contains("(1 team)") || view.title.contains(", 1 team)"),
        "one team, not 1 teams: {}",
        view.title
    );
    assert!(view.text.contains("Dana Whitfield <dana.whitfield@acme.io>"), "{}", view.text);
    assert!(view.text.contains("\"memberTeams\": [\n    \"Data Engineering\""), "{}", view.text);
}

#[test]
fn create_refuses_an_empty_name_and_sends_nothing() {
    let world = World::default();
    let mut state = world.open("teams");
    press(&mut state, "c");
    assert_eq!(form(&state).purpose, FormPurpose::CreateTeam);
    type_text(&mut state, "   ");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    assert_eq!(field_error(&state, "name").as_deref(), Some("required"));

    clear(&mut state);
    type_text(&mut state, &"x".repeat(257));
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "name").as_deref(), Some("at most 256 characters"));
}

#[test]
fn create_sends_the_name_and_description_and_closes_on_success() {
    let world = World::default();
    let mut state = world.open("teams");
    press(&mut state, "c");
    type_text(&mut state, "Finance");
    press(&mut state, "tab");
    type_text(&mut state, "Cost reports");
    let effects = press(&mut state, "enter");
    let (id, mutation) = the_mutation(&effects);
    assert_eq!(
        mutation,
        Mutation::Team(Change::Create(TeamCreate { name: "Finance".into(), description: Some("Cost reports".into()) }))
    );
    assert!(form(&state).form.busy);
    let created = Team {
        team_id: team_id(9),
        name: "Finance".into(),
        description: "Cost reports".into(),
        created_at: Some(ago(0)),
        member_users: Some(Vec::new()),
        member_teams: Some(Vec::new()),
        extra: Extra::new(),
    };
    let effects = reply(&mut state, id, Ok(ApiReply::Teams(TeamsReply::Created(created))));
    assert!(state.modals.is_empty(), "the form closes");
    assert_eq!(state.panes.teams.table.selected_row().unwrap().cells[0], "Finance");
    // The list is read again.
    assert!(fetches(&effects).iter().any(|(_, f)| **f == Fetch::Teams(TeamsRequest::List)));
}

#[test]
fn a_duplicate_name_refused_by_the_api_keeps_the_form_open_with_its_text() {
    let world = World::default();
    let mut state = world.open("teams");
    press(&mut state, "c");
    type_text(&mut state, "Analytics");
    let (id, _) = the_mutation(&press(&mut state, "enter"));
    let refusal = ApiError::from_status(400, "a team named \"Analytics\" already exists", "POST", "/v1/teams", None);
    reply(&mut state, id, Err(refusal));
    let f = form(&state);
    assert_eq!(f.form.server_error.as_deref(), Some("a team named \"Analytics\" already exists"));
    assert!(!f.form.busy);
    assert_eq!(f.form.value("name"), "Analytics", "what was typed stays");
    assert_eq!(state.ops.list.len(), 0, "a refused form leaves no operation behind");
}

#[test]
fn edit_refuses_bad_emails_and_ids_at_the_field() {
    let world = World::default();
    let mut state = world.open("teams");
    select_team(&mut state, "Analytics");
    press(&mut state, "e");
    assert_eq!(form(&state).purpose, FormPurpose::EditTeam(team_id(2)));
    focus_field(&mut state, "add_users");
    type_text(&mut state, "ann@acme.io, bob@acme, 1234");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    assert_eq!(
        field_error(&state, "add_users").as_deref(),
        Some("\"bob@acme\" is neither an email address nor a user ID")
    );
    clear(&mut state);
    type_text(&mut state, "ann@acme.io,,  carl@x..io");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert!(field_error(&state, "add_users").unwrap().contains("carl@x..io"));
    // Removing someone who is not a member is refused at that field (it needs the team's members).
    clear(&mut state);
    focus_field(&mut state, "remove_users");
    type_text(&mut state, "nobody@acme.io");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "remove_users").as_deref(), Some("nobody@acme.io is not a member of Analytics"));
    assert_eq!(form(&state).form.focus, 3, "the focus goes to the field with the problem");
    // An unknown team name is refused at its field.
    clear(&mut state);
    focus_field(&mut state, "add_teams");
    type_text(&mut state, "Nope Team");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "add_teams").as_deref(), Some("no team named \"Nope Team\""));
    // Emptying the name is refused too.
    clear(&mut state);
    focus_field(&mut state, "name");
    clear(&mut state);
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(field_error(&state, "name").as_deref(), Some("required"));
}

#[test]
fn edit_shows_what_changes_then_sends_one_update() {
    let world = World::default();
    let mut state = world.open("teams");
    select_team(&mut state, "Data Engineering");
    press(&mut state, "e");
    clear(&mut state);
    type_text(&mut state, "Data Platform");
    focus_field(&mut state, "add_users");
    type_text(&mut state, "Ann@Acme.io, ann@acme.io, f0000004-0000-4000-8000-000000000000");
    focus_field(&mut state, "remove_users");
    type_text(&mut state, "priya.shah@acme.io");
    focus_field(&mut state, "add_teams");
    type_text(&mut state, "analytics");
    let effects = press(&mut state, "enter");
    assert!(mutations(&effects).is_empty(), "nothing is sent before the review");
    let Some(Modal::Confirm(review)) = state.modals.last() else { panic!("no review") };
    let text = review.lines.join("\n");
    assert!(text.contains("name: Data Engineering → Data Platform"), "{text}");
    assert!(text.contains("add users: ann@acme.io, sofia.reyes@acme.io"), "{text}");
    assert!(text.contains("remove users: priya.shah@acme.io"), "{text}");
    assert!(text.contains("add teams: Analytics"), "{text}");
    let (id, mutation) = the_mutation(&press(&mut state, "y"));
    let Mutation::Team(Change::Update { id: target, body }) = mutation else { panic!("{mutation:?}") };
    assert_eq!(target, team_id(1));
    assert_eq!(body.name.as_deref(), Some("Data Platform"));
    assert_eq!(body.description, None, "an unchanged description is not sent");
    assert_eq!(body.add_member_user_emails, ["ann@acme.io"]);
    assert_eq!(body.add_member_user_ids, [user_id(4)]);
    assert_eq!(body.remove_member_user_emails, ["priya.shah@acme.io"]);
    assert_eq!(body.add_member_team_ids, [team_id(2)]);
    // The server refuses the new name: the form (under the review) shows why.
    let refusal =
        ApiError::from_status(400, "a team named \"Data Platform\" already exists", "PATCH", "/v1/teams", None);
    reply(&mut state, id, Err(refusal));
    assert_eq!(form(&state).form.server_error.as_deref(), Some("a team named \"Data Platform\" already exists"));
}

#[test]
fn an_edit_that_changes_nothing_says_so() {
    let world = World::default();
    let mut state = world.open("teams");
    select_team(&mut state, "Analytics");
    press(&mut state, "e");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    assert_eq!(form(&state).form.server_error.as_deref(), Some("nothing changed"));
}

#[test]
fn delete_needs_the_typed_name() {
    let world = World::default();
    let mut state = world.open("teams");
    select_team(&mut state, "Analytics");
    press(&mut state, "ctrl-d");
    type_text(&mut state, "Analytic");
    assert!(mutations(&press(&mut state, "enter")).is_empty());
    type_text(&mut state, "s");
    let (id, mutation) = the_mutation(&press(&mut state, "enter"));
    assert_eq!(mutation, Mutation::Team(Change::Delete { id: team_id(2) }));
    reply(&mut state, id, Ok(ApiReply::Teams(TeamsReply::Deleted(team_id(2)))));
    assert_eq!(visible_names(&mut state.panes.teams.table), ["Data Engineering", "Platform Admins"]);
}

#[test]
fn read_only_mode_refuses_team_changes_before_any_request() {
    let world = World::default();
    let mut state = loaded_with(s2tui::state::SessionInfo { read_only: true, ..session() }, &world.org);
    world.go(&mut state, "teams");
    for k in ["c", "e", "ctrl-d"] {
        assert!(outward(&press(&mut state, k)).is_empty());
        assert!(state.modals.is_empty(), "{k} opened a dialog in read-only mode");
    }
}

#[test]
fn validators() {
    for ok in ["a@b.io", "first.last+tag@sub.example.com", "o'neil@acme.co"] {
        assert!(teams::email(ok).is_ok(), "{ok}");
    }
    for bad in ["", "a", "a@b", "@b.io", "a@.io", "a@b.c", "a b@c.io", "a@@b.io", ".a@b.io", "a@b..io", "a@-b.io"] {
        assert!(teams::email(bad).is_err(), "{bad}");
    }
    assert!(teams::user_list("").is_ok());
    assert!(teams::user_list("a@b.io f0000001-0000-4000-8000-000000000000").is_ok());
    assert!(teams::team_list("Data Engineering, Analytics").is_ok());
}
