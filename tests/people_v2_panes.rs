//! Roles and access at API v2 against the simulator over HTTP, headless: the real `update`,
//! the real effect runner and the real client. The Roles pane speaks `/v2/authorization/roles`
//! (one role across resource types, no inherits) and never the per-type v1 routes.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use s2tui::api::ApiVersion;
use s2tui::api::Client;
use s2tui::api::types::{Grant, Holder, ResourceRef, ResourceType, UserInfo};
use s2tui::sim::server::SimHandle;
use s2tui::state::{PaneId, State};
use s2tui::testing::{Headless, select_name};
use s2tui::widgets::form::FieldKind;
use s2tui::widgets::modal::Modal;

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(30)
}

fn command(h: &mut Headless, text: &str) {
    h.press(":");
    h.type_text(text);
    h.press("enter");
}

/// The requests the simulator received as "METHOD path", in order.
fn calls(sim: &SimHandle) -> Vec<String> {
    sim.requests().iter().map(|r| format!("{} {}", r.method, r.path_and_query)).collect()
}

fn called(sim: &SimHandle, what: &str) -> bool {
    calls(sim).iter().any(|c| c.starts_with(what))
}

fn listed(s: &State, role: &str) -> bool {
    s.panes.roles.table.rows().iter().any(|r| r.cells[0] == role)
}

fn form_labels(s: &State) -> Vec<String> {
    match s.modals.last() {
        Some(Modal::Form(f)) => f.form.fields.iter().map(|f| f.label.clone()).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v2_roles_are_listed_created_changed_and_deleted_through_the_v2_routes() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    command(&mut h, "roles");
    assert_eq!(h.state.location.pane, PaneId::Roles);
    assert!(h.until(deadline(), |s| listed(s, "Owner") && listed(s, "Stage Uploader")).await);
    // One row per role, its permissions grouped by the types it covers.
    let owner = h.state.panes.roles.table.rows().iter().find(|r| r.cells[0] == "Owner").unwrap().clone();
    assert_eq!(owner.cells[1], "built-in");
    assert_eq!(owner.cells[2], "Organization, Cluster, Team, Secret");
    assert!(owner.cells[3].contains("Cluster: View Workspace Group"), "{:?}", owner.cells);
    let screen = s2tui::testing::render(&mut h.state, 160, 40);
    assert!(screen.contains("ON") && !screen.contains("INHERITS"), "{screen}");

    // Create: name, then the resource types it covers (workspace groups ticked already).
    h.press("c");
    h.type_text("Night Shift");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("space"); // Secret
    h.press("enter");
    let labels = form_labels(&h.state);
    assert!(labels.contains(&"Cluster: View Workspace Group".to_string()), "{labels:?}");
    assert!(labels.contains(&"Secret: View Secret".to_string()), "{labels:?}");
    assert!(!labels.iter().any(|l| l.starts_with("Team:")), "{labels:?}");
    h.press("tab");
    h.press("space"); // Cluster: View Workspace Group
    let first_secret = labels.iter().position(|l| l == "Secret: View Secret").unwrap();
    for _ in 1..first_secret {
        h.press("tab");
    }
    h.press("space"); // Secret: View Secret
    h.press("enter");
    assert!(h.until(deadline(), |s| listed(s, "Night Shift")).await, "the new role is listed");
    {
        let world = sim.shared().world();
        let role = world.people.custom_roles.iter().find(|r| r.role == "Night Shift").unwrap();
        assert_eq!(role.permissions.get("Cluster").unwrap(), &["View Workspace Group"]);
        assert_eq!(role.permissions.get("Secret").unwrap(), &["View Secret"]);
    }
    assert!(called(&sim, "POST /v2/authorization/roles"), "{:?}", calls(&sim));

    // Change: drop Secret, add a second workspace group permission.
    assert!(select_name(&mut h.state.panes.roles.table, "Night Shift"));
    h.press("e");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.press("space"); // Secret off
    h.press("enter");
    let labels = form_labels(&h.state);
    assert!(labels.iter().all(|l| !l.contains("Secret")), "{labels:?}");
    h.press("tab");
    h.press("tab");
    h.press("space"); // Update Workspace Group
    h.press("enter");
    assert!(
        h.until(deadline(), |s| {
            s.panes.roles.table.rows().iter().any(|r| r.cells[0] == "Night Shift" && r.cells[2] == "Cluster")
        })
        .await,
        "the changed role is listed on workspace groups only"
    );
    {
        let world = sim.shared().world();
        let role = world.people.custom_roles.iter().find(|r| r.role == "Night Shift").unwrap();
        assert_eq!(role.permissions.get("Cluster").unwrap(), &["View Workspace Group", "Update Workspace Group"]);
        assert!(!role.permissions.contains_key("Secret"));
    }
    assert!(called(&sim, "PUT /v2/authorization/roles/Night%20Shift"), "{:?}", calls(&sim));

    // Delete, after typing its name.
    assert!(select_name(&mut h.state.panes.roles.table, "Night Shift"));
    h.press("ctrl-d");
    h.type_text("Night Shift");
    h.press("enter");
    assert!(h.until(deadline(), |s| !listed(s, "Night Shift") && listed(s, "Owner")).await, "the role is gone");
    assert!(!sim.shared().world().people.custom_roles.iter().any(|r| r.role == "Night Shift"));
    assert!(called(&sim, "DELETE /v2/authorization/roles/Night%20Shift"), "{:?}", calls(&sim));

    // A built-in role is refused before anything is sent.
    assert!(select_name(&mut h.state.panes.roles.table, "Owner"));
    h.press("ctrl-d");
    assert!(!h.state.modals.iter().any(|m| matches!(m, Modal::TypedConfirm(_))));

    assert!(!called(&sim, "GET /v1/roles") && !called(&sim, "POST /v1/roles"), "{:?}", calls(&sim));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v1_roles_stay_on_the_per_type_routes() {
    let (sim, mut h) = live::dashboard(ApiVersion::V1).await;
    command(&mut h, "roles");
    assert!(h.until(deadline(), |s| s.panes.roles.table.total() > 0).await);
    assert!(called(&sim, "GET /v1/roles/Cluster"), "{:?}", calls(&sim));
    assert!(!called(&sim, "GET /v2/authorization/roles"), "{:?}", calls(&sim));
}

/// The key of the row where `holder` holds `role` directly (not inherited).
fn access_row(s: &State, role: &str, holder: &str) -> Option<String> {
    let rows = s.panes.access.table.rows();
    rows.iter().find(|r| r.cells[0] == role && r.cells[1] == holder && r.cells[3] == "direct").map(|r| r.key.clone())
}

fn form_value(s: &State, name: &str) -> String {
    match s.modals.last() {
        Some(Modal::Form(f)) => f.form.value(name),
        _ => String::new(),
    }
}

/// Opens the grant form and picks `role`.
fn grant_form(h: &mut Headless, role: &str) {
    h.press("c");
    for _ in 0..10 {
        if form_value(&h.state, "role") == role {
            break;
        }
        h.press("right");
    }
    assert_eq!(form_value(&h.state, "role"), role);
    h.press("tab");
}

/// What the grant form's holder says it has chosen.
fn holder_note(s: &State) -> String {
    let Some(Modal::Form(f)) = s.modals.last() else { return String::new() };
    match &f.form.fields[1].kind {
        FieldKind::Pick(p) => p.describe(None).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Opens the Access view with `a` on the pane `command` names, on the row called `name`.
async fn open_access(h: &mut Headless, command_text: &str, name: &str) {
    command(h, command_text);
    let pane = h.state.location.pane;
    assert!(
        h.until(deadline(), |s| {
            let table = match pane {
                PaneId::Teams => &s.panes.teams.table,
                PaneId::Secrets => &s.panes.secrets.table,
                _ => return true,
            };
            table.rows().iter().any(|r| r.cells[0] == name)
        })
        .await,
        "{name} is listed"
    );
    match pane {
        PaneId::Teams => assert!(select_name(&mut h.state.panes.teams.table, name)),
        PaneId::Secrets => assert!(select_name(&mut h.state.panes.secrets.table, name)),
        _ => assert!(h.until(deadline(), |s| s.data.org.value.is_some()).await),
    }
    h.press("a");
    assert_eq!(h.state.location.pane, PaneId::Access, "a on {command_text} opens the access view");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v2_a_clusters_access_is_its_groups_granted_and_revoked_from_the_clusters_pane() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), |s| s.panes.clusters.table.rows().iter().any(|r| r.cells[0] == "prod-ingest")).await);
    let cluster = h.state.data.clusters.value.as_ref().unwrap().iter().find(|c| c.name == "prod-ingest").unwrap();
    let group = cluster.group_id.unwrap();
    assert!(select_name(&mut h.state.panes.clusters.table, "prod-ingest"));
    h.press("a");
    assert_eq!(h.state.location.pane, PaneId::Access);
    assert!(
        h.until(deadline(), |s| {
            access_row(s, "Writer", "team Data Engineering").is_some() && s.panes.access.directory.value.is_some()
        })
        .await,
        "the group's grants are listed"
    );
    assert!(called(&sim, &format!("GET /v1/workspaceGroups/{group}/accessControls")), "{:?}", calls(&sim));
    let screen = s2tui::testing::render(&mut h.state, 160, 40);
    assert!(
        screen.contains("Access to cluster prod-ingest (and prod-analytics, prod-reporting, in its group)"),
        "the title names the clusters the group's grants reach: {screen}"
    );

    // Grant Reader to a team, after the review.
    assert!(access_row(&h.state, "Reader", "team Analytics").is_none());
    grant_form(&mut h, "Reader");
    h.type_text("Analytics");
    h.press("enter");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no review: {:?}", form_labels(&h.state)) };
    assert!(c.lines[0].starts_with("Grant Reader on cluster prod-ingest (and"), "{:?}", c.lines);
    h.press("y");
    assert!(h.until(deadline(), |s| access_row(s, "Reader", "team Analytics").is_some()).await, "granted");
    let client = live::client(&sim);
    let read_back = client.access_controls(&ResourceRef::new(ResourceType::Cluster, group)).await.unwrap();
    let reader = read_back.iter().find(|r| r.role == "Reader").unwrap();
    let direct = |g: &&Grant| g.identity.label() == "team Analytics" && g.inherited_from.is_none();
    assert!(reader.grants.iter().any(|g| direct(&g)), "{reader:?}");
    assert!(called(&sim, &format!("PATCH /v1/workspaceGroups/{group}/accessControls")), "{:?}", calls(&sim));

    // Revoke it.
    let key = access_row(&h.state, "Reader", "team Analytics").unwrap();
    assert!(h.state.panes.access.table.select_key(&key));
    h.press("ctrl-d");
    let toasts: Vec<String> = h.state.toasts.items.iter().map(|t| t.text.clone()).collect();
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no review: {toasts:?} {:?}", h.state.location) };
    assert!(c.lines[0].starts_with("Revoke Reader on cluster prod-ingest"), "{:?}", c.lines);
    h.press("y");
    assert!(h.until(deadline(), |s| access_row(s, "Reader", "team Analytics").is_none()).await, "revoked");
    let read_back = client.access_controls(&ResourceRef::new(ResourceType::Cluster, group)).await.unwrap();
    assert!(!read_back.iter().flat_map(|r| &r.grants).any(|g| direct(&g)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v2_organization_team_and_secret_access_open_as_at_v1() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    let org = sim.shared().world().org.org_id;
    let some_rows = |s: &State| s.panes.access.table.total() > 0;

    open_access(&mut h, "org", "").await;
    assert!(h.until(deadline(), some_rows).await, "the organization's grants");
    assert!(called(&sim, &format!("GET /v1/organizations/{org}/accessControls")), "{:?}", calls(&sim));

    open_access(&mut h, "teams", "Data Engineering").await;
    assert!(
        h.until(deadline(), |s| some_rows(s)
            && s.panes.access.target.as_ref().is_some_and(|t| t.1 == "Data Engineering"))
            .await
    );
    assert!(called(&sim, "GET /v1/teams/"), "{:?}", calls(&sim));

    let secret = sim.shared().world().secrets.values().next().unwrap().name.clone();
    open_access(&mut h, "secrets", &secret).await;
    assert!(h.until(deadline(), |s| s.panes.access.roles.value.is_some()).await, "the secret's grants are read");
    assert!(called(&sim, "GET /v1/secrets/"), "{:?}", calls(&sim));
}

/// Submits the grant form of Reader, checks the review ends with `review`, confirms, and
/// waits for `user`'s direct grant in the view and through the API.
async fn grant_reviewed(h: &mut Headless, client: &Client, resource: &ResourceRef, review: &str, user: &UserInfo) {
    h.press("enter");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no review: {:?}", form_labels(&h.state)) };
    assert!(c.lines[0].ends_with(review), "{:?}", c.lines);
    h.press("y");
    let label = Holder::User(user.clone()).label();
    assert!(h.until(deadline(), |s| access_row(s, "Reader", &label).is_some()).await, "granted to {label}");
    let held = client.access_controls(resource).await.unwrap();
    let reader = held.iter().find(|r| r.role == "Reader").unwrap();
    assert!(reader.grants.iter().any(|g| g.identity.id() == user.user_id && g.inherited_from.is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grant_form_picks_a_listed_holder_and_takes_the_id_of_one_not_listed() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), |s| s.panes.clusters.table.rows().iter().any(|r| r.cells[0] == "prod-ingest")).await);
    let group =
        h.state.data.clusters.value.as_ref().unwrap().iter().find(|c| c.name == "prod-ingest").unwrap().group_id;
    let resource = ResourceRef::new(ResourceType::Cluster, group.unwrap());
    assert!(select_name(&mut h.state.panes.clusters.table, "prod-ingest"));
    h.press("a");
    assert!(
        h.until(deadline(), |s| s.panes.access.directory.value.is_some() && s.panes.access.roles.value.is_some()).await
    );
    let sofia = sim.shared().world().users.iter().find(|u| u.info.first_name == "Sofia").unwrap().info.clone();

    // Part of a name narrows the members and teams to her; the form reads her ID.
    grant_form(&mut h, "Reader");
    h.type_text("sofia");
    assert_eq!(form_value(&h.state, "holder"), sofia.user_id.to_string());
    assert!(holder_note(&h.state).starts_with("→ Sofia Alvarez <"), "{}", holder_note(&h.state));
    let client = live::client(&sim);
    let review = format!("to Sofia Alvarez <{}>?", sofia.email);
    grant_reviewed(&mut h, &client, &resource, &review, &sofia).await;

    // Someone who joined after the list was read is named by their ID, sent as typed.
    let domain = sofia.email.split_once('@').unwrap().1.to_string();
    client.add_user(&format!("emma.novak@{domain}")).await.unwrap();
    let emma = sim.shared().world().users.iter().find(|u| u.info.first_name == "Emma").unwrap().info.clone();
    let listed =
        |s: &State| s.panes.access.directory.value.as_ref().unwrap().users.iter().any(|u| u.user_id == emma.user_id);
    assert!(!listed(&h.state), "the list was read before she joined");
    grant_form(&mut h, "Reader");
    h.type_text(&emma.user_id.to_string());
    assert_eq!(form_value(&h.state, "holder"), emma.user_id.to_string());
    assert!(holder_note(&h.state).contains("nobody listed matches"), "{}", holder_note(&h.state));
    grant_reviewed(&mut h, &client, &resource, &format!("to user {}?", emma.user_id), &emma).await;
}
