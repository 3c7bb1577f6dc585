//! The people-and-access panes' `update`: what each key plans, and what is refused before any
//! request is made (yourself, the last Owner, an inherited grant, your own last Owner role, a
//! built-in role, an invitation that is no longer pending). Reads answered in memory.
#![allow(clippy::unwrap_used)]

#[path = "common/people.rs"]
mod fixtures;

use fixtures::*;
use s2tui::api::types::*;
use s2tui::effect::Mutation;
use s2tui::state::{PaneId, State};
use s2tui::testing::*;
use s2tui::widgets::modal::Modal;

fn toast(state: &State) -> String {
    state.toasts.items.iter().map(|t| t.text.clone()).collect::<Vec<_>>().join(" | ")
}

fn confirmed(p: &People, state: &mut State) -> Vec<Mutation> {
    let effects = p.keys(state, "y");
    mutations(&effects).into_iter().map(|(_, m)| m.clone()).collect()
}

#[test]
fn the_users_pane_shows_teams_roles_and_last_seen() {
    let state = People::default().open("users");
    assert_eq!(state.location.pane, PaneId::Users);
    let rows = state.panes.users.table.rows();
    // People only: the service account and the cloud principal are Identities.
    assert_eq!(rows.len(), 5);
    let dana = rows.iter().find(|r| r.cells[0].starts_with("Dana")).unwrap();
    assert_eq!(dana.cells[0], "Dana Whitfield (you)");
    assert_eq!(dana.cells[3], "Owner, Operator (via Platform Admins)");
    assert_eq!(dana.cells[4], "2m");
    // Priya is in Data Engineering, which Platform Admins holds.
    let priya = rows.iter().find(|r| r.cells[0] == "Priya Shah").unwrap();
    assert_eq!(
        (priya.cells[2].as_str(), priya.cells[3].as_str()),
        ("Data Engineering", "Operator (via Platform Admins)")
    );
    let marcus = rows.iter().find(|r| r.cells[0] == "Marcus Bell").unwrap();
    assert_eq!(marcus.cells[4], "-", "no audit entry among the newest");
}

#[test]
fn removing_yourself_or_the_last_owner_is_refused_with_the_reason() {
    let p = People::default();
    let mut state = p.open("users");
    assert!(select_name(&mut state.panes.users.table, "Dana Whitfield (you)"));
    let effects = p.keys(&mut state, "ctrl-d");
    assert!(mutations(&effects).is_empty() && state.modals.is_empty());
    assert!(toast(&state).contains("cannot remove yourself"), "{}", toast(&state));

    // Someone else who is the only Owner.
    let mut state = p.open("users");
    state.panes.users.directory.value.as_mut().unwrap().me = user_id(1);
    assert!(select_name(&mut state.panes.users.table, "Dana Whitfield (you)"));
    p.keys(&mut state, "ctrl-d");
    assert!(state.modals.is_empty());
    assert!(toast(&state).contains("last Owner"), "{}", toast(&state));
}

#[test]
fn removing_a_user_is_typed_and_sends_one_delete() {
    let p = People::default();
    let mut state = p.open("users");
    assert!(select_name(&mut state.panes.users.table, "Priya Shah"));
    p.keys(&mut state, "ctrl-d");
    let Some(Modal::TypedConfirm(c)) = state.modals.last() else { panic!("no confirmation") };
    assert!(c.lines.iter().any(|l| l.contains("Data Engineering")), "{:?}", c.lines);
    type_text(&mut state, "priya.shah@acme.io");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    assert_eq!(sent, [&Mutation::People(PeopleChange::RemoveUser { id: user_id(1) })]);
}

#[test]
fn adding_a_user_by_email_and_refusing_a_member() {
    let p = People::default();
    let mut state = p.open("users");
    p.keys(&mut state, "c");
    type_text(&mut state, "sofia.reyes@acme.io");
    let effects = p.keys(&mut state, "enter");
    assert!(mutations(&effects).is_empty());
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("the form stays") };
    assert!(f.form.server_error.as_deref().unwrap_or_default().contains("already a member"));
    let mut state = p.open("users");
    p.keys(&mut state, "c");
    type_text(&mut state, "emma@acme.io");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    assert_eq!(sent, [&Mutation::People(PeopleChange::AddUser { email: "emma@acme.io".into() })]);
}

#[test]
fn enter_shows_what_a_user_can_do_resource_by_resource() {
    let p = People::default();
    let mut state = p.open("users");
    assert!(select_name(&mut state.panes.users.table, "Sofia Reyes"));
    p.keys(&mut state, "enter");
    let Some(Modal::Describe(v)) = state.modals.last() else { panic!("no view") };
    let text = v.text.clone();
    assert!(text.contains("workspace group analytics") && text.contains("Restricted Operator (direct)"), "{text}");
    assert!(text.contains("Reader (via team Analytics)"), "{text}");
    assert!(text.contains("every workspace group") && text.contains("from Reader on the organization"), "{text}");
}

#[test]
fn invitations_filter_create_with_teams_and_revoke_only_pending() {
    let p = People::default();
    let mut state = p.open("invitations");
    assert_eq!(state.panes.invitations.table.total(), 4);
    let mut state2 = p.open("invitations state=pending");
    assert_eq!(state2.panes.invitations.table.total(), 1);
    assert_eq!(state2.panes.invitations.filter.state, Some(InvitationState::Pending));
    p.keys(&mut state2, "ctrl-d");
    let Some(Modal::Confirm(c)) = state2.modals.last() else { panic!("no confirmation") };
    assert!(c.lines.iter().any(|l| l.contains("will not join Analytics")), "{:?}", c.lines);
    assert_eq!(confirmed(&p, &mut state2), [Mutation::People(PeopleChange::Revoke { id: invitation_id(1) })]);

    assert!(select_name(&mut state.panes.invitations.table, "contractor@outlook.com"));
    p.keys(&mut state, "ctrl-d");
    assert!(state.modals.is_empty());
    assert!(toast(&state).contains("only a pending one"), "{}", toast(&state));

    p.keys(&mut state, "c");
    type_text(&mut state, "new@acme.io");
    p.keys(&mut state, "tab");
    type_text(&mut state, "analytics, Nobody");
    let effects = p.keys(&mut state, "enter");
    assert!(mutations(&effects).is_empty(), "an unknown team is refused in the form");
    for _ in 0..", Nobody".len() {
        p.keys(&mut state, "backspace");
    }
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let body = InvitationCreate { email: "new@acme.io".into(), team_ids: vec![team_id(2)] };
    assert_eq!(sent, [&Mutation::People(PeopleChange::Invite(body))]);
    // A bad state filter is told, not sent.
    let state = p.open("invitations state=expired");
    assert_eq!(state.panes.invitations.filter, InvitationFilter::default());
    assert!(toast(&state).contains("unknown state"), "{}", toast(&state));
}

#[test]
fn identities_create_both_kinds_rename_and_delete() {
    let p = People::default();
    let mut state = p.open("identities");
    let kinds: Vec<String> = state.panes.identities.table.rows().iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(kinds, ["service account", "cloud principal"]);
    p.keys(&mut state, "c tab");
    type_text(&mut state, "dbt");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let body = ServiceAccountCreate { name: "dbt".into(), description: None };
    assert_eq!(sent, [&Mutation::People(PeopleChange::CreateServiceAccount(body))]);

    let mut state = p.open("identities");
    p.keys(&mut state, "c right tab");
    type_text(&mut state, "gcp");
    let effects = p.keys(&mut state, "enter");
    assert!(mutations(&effects).is_empty(), "a cloud principal needs its identity");

    let mut state = p.open("identities");
    assert!(select_name(&mut state.panes.identities.table, "service account"));
    p.keys(&mut state, "e");
    type_text(&mut state, "-v2");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let body = IdentityUpdate { name: Some("ci-deployer-v2".into()), description: None };
    assert_eq!(sent, [&Mutation::People(PeopleChange::UpdateServiceAccount { id: user_id(6), body })]);

    let mut state = p.open("identities");
    p.keys(&mut state, "j ctrl-d");
    type_text(&mut state, "aws-ingest");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    assert_eq!(sent, [&Mutation::People(PeopleChange::DeleteCloudPrincipal { id: user_id(7) })]);
}

#[test]
fn roles_picker_creates_and_edits_custom_roles_and_refuses_built_in_ones() {
    let p = People::default();
    let mut state = p.open("roles");
    assert_eq!(state.panes.roles.table.total(), 5);
    p.keys(&mut state, "c");
    type_text(&mut state, "Night Shift");
    p.keys(&mut state, "enter");
    // The picker: the description, then one toggle per permission of the type (Cluster).
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no picker") };
    assert_eq!(f.form.fields.len(), 1 + CLUSTER_PERMISSIONS.len());
    let effects = p.keys(&mut state, "enter");
    assert!(mutations(&effects).is_empty(), "no permission picked");
    p.keys(&mut state, "tab space tab tab space");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let body = RoleCreate {
        role: "Night Shift".into(),
        description: None,
        permissions: vec!["View Workspace Group".into(), "Suspend and Resume Workspaces".into()],
        inherits: vec![],
    };
    assert_eq!(sent, [&Mutation::People(PeopleChange::CreateRole { resource_type: ResourceType::Cluster, body })]);

    let mut state = p.open("roles");
    assert!(select_name(&mut state.panes.roles.table, "Cluster"));
    p.keys(&mut state, "e");
    assert!(state.modals.is_empty(), "built-in");
    assert!(toast(&state).contains("built-in"), "{}", toast(&state));
    p.keys(&mut state, "G e");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no picker") };
    let ticked: Vec<String> = f.form.fields.iter().filter(|x| x.value() == "true").map(|x| x.label.clone()).collect();
    assert_eq!(ticked, ["View Workspace Group", "Access Stage"]);
}

#[test]
fn access_grant_names_who_gains_and_revoke_who_loses() {
    let p = People::default();
    let mut state = p.open("wg");
    assert!(select_name(&mut state.panes.groups.table, "analytics"));
    p.keys(&mut state, "a");
    assert_eq!(state.location.pane, PaneId::Access);
    assert_eq!(state.panes.access.table.total(), 5);
    // Grant Operator to Data Engineering: its three people gain it... except those who hold
    // it already through Platform Admins.
    p.keys(&mut state, "c right tab");
    type_text(&mut state, "Analytics");
    p.keys(&mut state, "enter");
    let Some(Modal::Confirm(c)) = state.modals.last() else { panic!("no review") };
    assert_eq!(c.lines[0], "Grant Operator on workspace group analytics to team Analytics?");
    assert_eq!(c.lines[1], "Gains it: Sofia Reyes <sofia.reyes@acme.io>");
    let sent = confirmed(&p, &mut state);
    let change = AccessChange {
        grants: vec![RoleHolders { role: "Operator".into(), users: vec![], teams: vec![team_id(2)] }],
        revokes: vec![],
    };
    let resource = ResourceRef::new(ResourceType::Cluster, group_id(1));
    assert_eq!(sent, [Mutation::People(PeopleChange::ChangeAccess { resource: resource.clone(), change })]);

    // Revoke Writer from Data Engineering: Priya, Marcus, Jonas lose it.
    assert!(select_name(&mut state.panes.access.table, "Writer"));
    p.keys(&mut state, "ctrl-d");
    let Some(Modal::Confirm(c)) = state.modals.last() else { panic!("no review") };
    assert!(c.lines[1].starts_with("Loses it: Priya Shah"), "{:?}", c.lines);
    assert!(c.lines[1].contains("Marcus Bell") && c.lines[1].contains("Jonas Berg"), "{:?}", c.lines);
    p.keys(&mut state, "n");

    // An inherited grant is changed where it comes from.
    assert!(select_name(&mut state.panes.access.table, "Owner"));
    p.keys(&mut state, "ctrl-d");
    assert!(state.modals.is_empty());
    assert!(toast(&state).contains("comes from Owner on the organization"), "{}", toast(&state));
}

#[test]
fn a_grant_before_the_members_are_read_says_so_not_no_such_name() {
    let p = People::default();
    let mut state = p.open("wg");
    assert!(select_name(&mut state.panes.groups.table, "analytics"));
    p.keys(&mut state, "a");
    // As if the members and teams had not answered yet.
    state.panes.access.directory = s2tui::state::Resource::default();
    p.keys(&mut state, "c right tab");
    type_text(&mut state, "Analytics");
    p.keys(&mut state, "enter");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("the form should stay open") };
    let said = f.form.server_error.clone().unwrap_or_default();
    assert!(said.contains("still reading the members and teams"), "{said}");
}

#[test]
fn revoking_your_own_last_owner_role_is_refused() {
    let p = People::default();
    let mut state = p.open("org");
    p.keys(&mut state, "a");
    assert_eq!(state.location.pane, PaneId::Access);
    assert!(select_name(&mut state.panes.access.table, "Owner"));
    let effects = p.keys(&mut state, "ctrl-d");
    assert!(mutations(&effects).is_empty() && state.modals.is_empty());
    assert!(toast(&state).contains("your last Owner role"), "{}", toast(&state));
    // Revoking a team's role is fine (and says who loses it).
    assert!(select_name(&mut state.panes.access.table, "Reader"));
    p.keys(&mut state, "ctrl-d");
    let Some(Modal::Confirm(c)) = state.modals.last() else { panic!("no review") };
    assert_eq!(c.lines[1], "Loses it: Sofia Reyes <sofia.reyes@acme.io>");
}

#[test]
fn the_header_names_who_the_key_acts_as() {
    let p = People::default();
    let mut state = empty_state(session());
    let effects = s2tui::update::init(&mut state);
    p.serve(&mut state, effects);
    let screen = render(&mut state, 120, 10);
    assert!(screen.lines().next().unwrap().contains("Acme Analytics · Dana Whitfield"), "{screen}");
    // A server without /v1/users/current: no name, and no error in the header.
    let state = loaded();
    assert!(state.data.me.value.is_none() && state.requests.failing.is_none());
}

#[test]
fn at_v2_a_role_covers_the_types_ticked_and_an_edit_starts_with_them() {
    let p = People { v2: true, ..People::default() };
    let mut state = p.open("roles");
    assert_eq!(state.panes.roles.table.total(), 4, "one row per role name");
    // Create: untick workspace groups and nothing is left to cover.
    p.keys(&mut state, "c");
    type_text(&mut state, "Night Shift");
    p.keys(&mut state, "tab tab tab space enter");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("the form stays") };
    assert_eq!(f.form.server_error.as_deref(), Some("tick at least one resource type"));
    // Organization and workspace groups: both types' permissions, grouped in the body.
    p.keys(&mut state, "shift-tab space tab space enter");
    p.keys(&mut state, "tab space tab tab space");
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let typed = |t: &str, list: &[&str]| TypedPermissions {
        resource_type: t.into(),
        permissions: list.iter().map(|p| p.to_string()).collect(),
    };
    let body = RoleCreateV2 {
        role: "Night Shift".into(),
        description: None,
        permissions: vec![typed("Organization", &["View Organization"]), typed("Cluster", &["View Workspace Group"])],
    };
    assert_eq!(sent, [&Mutation::People(PeopleChange::CreateRoleV2(body))]);

    // Show it: the definition as the v2 route sent it, permissions grouped by type.
    let mut state = p.open("roles");
    assert!(select_name(&mut state.panes.roles.table, "Stage Uploader"));
    p.keys(&mut state, "d");
    let Some(Modal::Describe(v)) = state.modals.last() else { panic!("no details view") };
    assert_eq!(v.title, "role Stage Uploader");
    assert!(v.text.contains("\"resourceType\": \"Cluster\"") && !v.text.contains("inherits"), "{}", v.text);
    p.keys(&mut state, "esc");

    // Edit the custom role: its types first, then its permissions ticked.
    p.keys(&mut state, "e");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no types form") };
    let ticked: Vec<String> = f.form.fields.iter().filter(|x| x.value() == "true").map(|x| x.label.clone()).collect();
    assert_eq!(ticked, ["Cluster"]);
    p.keys(&mut state, "enter");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no picker") };
    let ticked: Vec<String> = f.form.fields.iter().filter(|x| x.value() == "true").map(|x| x.label.clone()).collect();
    assert_eq!(ticked, ["View Workspace Group", "Access Stage"]);
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let body = RoleReplaceV2 {
        role: None,
        description: Some("Stage Uploader of the Cluster".into()),
        permissions: vec![typed("Cluster", &["View Workspace Group", "Access Stage"])],
    };
    assert_eq!(sent, [&Mutation::People(PeopleChange::ReplaceRoleV2 { role: "Stage Uploader".into(), body })]);

    // Built-in roles carry no history at v2: refused before anything is sent.
    let mut state = p.open("roles");
    assert!(select_name(&mut state.panes.roles.table, "Owner"));
    p.keys(&mut state, "ctrl-d");
    assert!(state.modals.is_empty(), "no confirmation for a built-in role");
    assert!(toast(&state).contains("built-in"), "{}", toast(&state));
}

#[test]
fn at_v2_a_cluster_the_api_names_no_group_for_has_no_access_to_show() {
    let p = People { v2: true, ..People::default() };
    let mut state = p.open("clusters");
    let clusters = state.data.clusters.value.as_mut().unwrap();
    clusters.iter_mut().find(|c| c.name == "reporting").unwrap().group_id = None;
    assert!(select_name(&mut state.panes.clusters.table, "reporting"));
    p.keys(&mut state, "a");
    assert_eq!(state.location.pane, PaneId::Clusters);
    assert!(toast(&state).contains("The API names no group for reporting"), "{}", toast(&state));
}

#[test]
fn permissions_past_the_pickers_room_are_kept_as_the_role_has_them() {
    let p = People::default();
    let mut state = p.open("roles");
    let (roles, offered) = state.panes.roles.list.value.as_mut().unwrap();
    let extra = |i: usize| format!("Extra {i:02}");
    offered.extend((0..40).map(|i| PermissionDefinition {
        permission: extra(i),
        resource_type: "Cluster".into(),
        description: None,
    }));
    let uploader = roles.iter_mut().find(|r| r.name == "Stage Uploader").unwrap();
    uploader.permissions[0].permissions.push(extra(39));
    assert!(select_name(&mut state.panes.roles.table, "Cluster"));
    p.keys(&mut state, "G e");
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no picker") };
    assert_eq!(f.form.fields.len(), 1 + 32, "the description and as many toggles as there is room for");
    let note = f.form.note.clone().unwrap_or_default();
    assert!(
        note.starts_with("12 more permissions are not listed here; the role keeps the 1 of them it has."),
        "{note}"
    );
    let effects = p.keys(&mut state, "enter");
    let sent: Vec<&Mutation> = mutations(&effects).into_iter().map(|(_, m)| m).collect();
    let [Mutation::People(PeopleChange::ReplaceRole { body, .. })] = sent.as_slice() else { panic!("{sent:?}") };
    assert_eq!(body.permissions, ["View Workspace Group", "Access Stage", "Extra 39"]);
}
