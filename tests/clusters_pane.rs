//! The Clusters pane (API v2) against the simulator over HTTP, headless: the real `update`,
//! the real effect runner and the real client, messages fed from the inbox as the loop does.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use s2tui::api::ApiVersion;
use s2tui::api::types::{ClusterState, WorkspaceState};
use s2tui::msg::Msg;
use s2tui::panes::ops::OpStatus;
use s2tui::sim::server::SimHandle;
use s2tui::state::{PaneId, State};
use s2tui::testing::select_name;
use s2tui::widgets::modal::Modal;
use uuid::Uuid;

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(30)
}

fn loaded(s: &State) -> bool {
    s.data.clusters.value.is_some() && s.panes.clusters.choices.value.is_some()
}

fn state_in_sim(sim: &SimHandle, name: &str) -> Option<WorkspaceState> {
    let w = sim.shared().world();
    w.workspaces
        .values()
        .find(|ws| ws.api.name == name && ws.api.state != WorkspaceState::Terminated)
        .map(|ws| ws.api.state.clone())
}

fn op_done(s: &State, name: &str, label: &str) -> bool {
    s.ops.list.iter().any(|o| o.name == name && o.kind.label() == label && o.status == OpStatus::Done)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v2_the_dashboard_opens_on_clusters_grouped_by_project() {
    let (_sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert_eq!(h.state.location.pane, PaneId::Clusters);
    assert!(h.until(deadline(), loaded).await);
    h.feed(Msg::Redraw);
    let rows = h.state.panes.clusters.table.rows();
    assert!(rows.len() >= 5, "{rows:?}");
    assert!(rows.iter().all(|r| r.cells[1] == "Standard Project"), "v1 deployments sit in the Standard project");
    let screen = s2tui::testing::render(&mut h.state, 160, 40);
    assert!(screen.contains("API v2"), "{screen}");
    assert!(screen.contains("Clusters (all projects)"), "{screen}");
    // Tab order at v2 has no workspace panes; the first pane is the clusters list.
    let shown = PaneId::shown(ApiVersion::V2);
    assert_eq!(shown[0], PaneId::Clusters);
    assert!(!shown.contains(&PaneId::Workspaces) && !shown.contains(&PaneId::Groups));
    assert!(!PaneId::shown(ApiVersion::V1).contains(&PaneId::Clusters));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_v1_the_dashboard_is_the_workspaces_one() {
    let (_sim, mut h) = live::dashboard(ApiVersion::V1).await;
    assert_eq!(h.state.location.pane, PaneId::Workspaces);
    h.press("2");
    assert_eq!(h.state.location.pane, PaneId::Workspaces, "2 is still the workspaces pane");
    h.press(":");
    h.type_text("clusters");
    h.press("enter");
    assert_ne!(h.state.location.pane, PaneId::Clusters, "no clusters at v1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspend_and_resume_a_cluster_through_the_tracker() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    assert!(select_name(&mut h.state.panes.clusters.table, "staging-app"));
    h.press("s");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no confirmation") };
    assert!(c.lines[0].contains("Suspend cluster staging-app?"), "{:?}", c.lines);
    h.press("y");
    assert!(h.until(deadline(), |s| op_done(s, "staging-app", "suspend")).await);
    assert_eq!(state_in_sim(&sim, "staging-app"), Some(WorkspaceState::Suspended));
    let c = h.state.data.clusters.value.as_ref().unwrap().iter().find(|c| c.name == "staging-app").unwrap();
    assert_eq!(c.state(), ClusterState::Suspended, "the list shows what the tracker read");

    h.press("r");
    assert!(matches!(h.state.modals.last(), Some(Modal::Confirm(_))));
    h.press("y");
    assert!(h.until(deadline(), |s| op_done(s, "staging-app", "resume")).await);
    assert_eq!(state_in_sim(&sim, "staging-app"), Some(WorkspaceState::Active));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_marks_suspend_several_and_skip_the_ones_that_cannot() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    for name in ["staging-app", "ds-notebooks", "eu-batch"] {
        assert!(select_name(&mut h.state.panes.clusters.table, name));
        h.press("space");
    }
    h.press("s");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no confirmation") };
    assert!(c.lines[0].contains("Suspend 2 clusters?"), "{:?}", c.lines);
    assert!(c.lines.iter().any(|l| l.contains("Skipped (not ACTIVE): eu-batch")), "{:?}", c.lines);
    h.press("y");
    assert!(
        h.until(deadline(), |s| op_done(s, "staging-app", "suspend") && op_done(s, "ds-notebooks", "suspend")).await
    );
    assert_eq!(state_in_sim(&sim, "ds-notebooks"), Some(WorkspaceState::Suspended));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_shows_the_password_once_then_terminate_by_typing_the_name() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    h.press("c");
    let Some(Modal::Form(f)) = h.state.modals.last() else { panic!("no form") };
    assert_eq!(f.form.value("project"), "Standard Project");
    h.press("tab");
    h.type_text("Bad_Name");
    h.press("enter");
    assert!(matches!(h.state.modals.last(), Some(Modal::Form(_))), "an invalid name is refused in the form");
    for _ in 0.."Bad_Name".len() {
        h.press("backspace");
    }
    h.type_text("cl-new");
    // Firewall ranges: everyone.
    for _ in 0..6 {
        h.press("tab");
    }
    h.type_text("0.0.0.0/0");
    h.press("enter");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no create confirmation") };
    assert!(c.lines[0].contains("Create cluster cl-new (S-00) in project Standard Project?"), "{:?}", c.lines);
    h.press("y");
    assert!(h.until(deadline(), |s| matches!(s.modals.last(), Some(Modal::Reveal(_)))).await, "the password shows");
    let Some(Modal::Reveal(r)) = h.state.modals.last() else { unreachable!() };
    assert!(r.secret.len() >= 8);
    let secret = r.secret.clone();
    h.press("esc");
    assert!(h.state.modals.is_empty(), "closed, and the password with it");
    assert!(!format!("{:?}", h.state.ops.list).contains(&secret));
    assert!(h.until(deadline(), |s| op_done(s, "cl-new", "create cluster")).await);
    {
        let w = sim.shared().world();
        let rec = w.workspaces.values().find(|ws| ws.api.name == "cl-new").unwrap();
        let group = w.groups.get(&rec.api.workspace_group_id).unwrap();
        assert_eq!(rec.api.state, WorkspaceState::Active);
        assert!(group.api.allow_all_traffic == Some(true), "the firewall was applied before the op counted as done");
    }

    assert!(h.until(deadline(), |s| s.panes.clusters.table.rows().iter().any(|r| r.cells[0] == "cl-new")).await);
    assert!(select_name(&mut h.state.panes.clusters.table, "cl-new"));
    h.press("ctrl-d");
    let Some(Modal::TypedConfirm(_)) = h.state.modals.last() else { panic!("no typed confirmation") };
    h.type_text("cl-ne");
    h.press("enter");
    assert!(matches!(h.state.modals.last(), Some(Modal::TypedConfirm(_))), "a wrong name sends nothing");
    h.type_text("w");
    h.press("enter");
    assert!(h.until(deadline(), |s| op_done(s, "cl-new", "terminate cluster")).await);
    assert_eq!(state_in_sim(&sim, "cl-new"), None);
    assert!(h.until(deadline(), |s| !s.panes.clusters.table.rows().iter().any(|r| r.cells[0] == "cl-new")).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resize_waits_for_the_new_size_not_just_active() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    assert!(select_name(&mut h.state.panes.clusters.table, "staging-app"));
    h.press("e");
    let Some(Modal::Form(f)) = h.state.modals.last() else { panic!("no edit form") };
    assert_eq!(f.form.value("size"), "S-00");
    h.press("right");
    h.press("enter");
    let Some(Modal::Confirm(c)) = h.state.modals.last() else { panic!("no review") };
    assert!(c.lines.iter().any(|l| l.contains("size: S-00 → S-0")), "{:?}", c.lines);
    assert!(c.lines.iter().any(|l| l.contains("PENDING")), "{:?}", c.lines);
    h.press("y");
    let id: Uuid =
        h.state.data.clusters.value.as_ref().unwrap().iter().find(|c| c.name == "staging-app").unwrap().cluster_id;
    assert!(h.until(deadline(), |s| op_done(s, "staging-app", "update cluster")).await);
    let c = h.state.data.cluster(id).unwrap();
    assert_eq!((c.state(), c.size()), (ClusterState::Active, Some("S-0")), "done means the new size is read back");
    assert_eq!(sim.shared().world().workspaces.get(&id).unwrap().api.size, "S-0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projects_at_v2_count_clusters_and_starters_and_open_on_their_clusters() {
    let (_sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    h.press(":");
    h.type_text("projects");
    h.press("enter");
    let counted = |s: &State| {
        let rows = s.panes.projects.table.rows();
        rows.len() == 3 && rows.iter().all(|r| !r.cells[2].contains('…'))
    };
    assert!(h.until(deadline(), counted).await);
    let clusters = h.state.data.clusters.value.as_ref().unwrap().len();
    let cell = |s: &State, name: &str| {
        s.panes.projects.table.rows().iter().find(|r| r.cells[0] == name).map(|r| r.cells[2].clone()).unwrap()
    };
    assert_eq!(cell(&h.state, "Standard Project"), format!("{clusters} · 0"));
    assert_eq!(cell(&h.state, "Shared Project"), "0 · 2", "the demo's starters sit in the Shared project");
    assert_eq!(cell(&h.state, "Enterprise Project"), "0 · 0");

    assert!(select_name(&mut h.state.panes.projects.table, "Enterprise Project"));
    h.press("enter");
    assert_eq!(h.state.location.pane, PaneId::Clusters);
    assert!(h.state.panes.clusters.project.is_some());
    assert_eq!(h.state.panes.clusters.table.total(), 0, "only the project's clusters");
    assert_eq!(h.state.breadcrumbs(), ["Projects", "Enterprise Project", "Clusters"]);
    h.press("esc");
    assert_eq!(h.state.location.pane, PaneId::Projects);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stage_at_v2_lists_clusters_and_browses_under_the_cluster() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    h.press(":");
    h.type_text("stage");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.stage.deployments.value.is_some()).await);
    let rows = h.state.panes.stage.chooser.rows();
    // The clusters, then the Files spaces (the same at both versions).
    let kinds: Vec<&str> = rows.iter().map(|r| r.cells[1].as_str()).collect();
    let clusters = kinds.iter().take_while(|k| **k == "cluster").count();
    assert!(clusters > 0 && kinds[clusters..] == ["Files space"; 3], "{rows:?}");
    assert!(select_name(&mut h.state.panes.stage.chooser, "prod-analytics"));
    h.press("enter");
    assert!(h.until(deadline(), |s| s.panes.stage.listing.value.is_some()).await);
    assert!(h.state.panes.stage.listing.error.is_none());
    let id = h.state.panes.stage.place.as_ref().and_then(|d| d.store.deployment()).unwrap();
    let paths: Vec<String> = sim.requests().into_iter().map(|r| r.path_and_query).collect();
    assert!(paths.iter().any(|p| p.starts_with(&format!("/v2/clusters/{id}/stage/fs"))), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("/v1/stage/")), "nothing goes to the v1 route");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jobs_form_at_v2_targets_clusters() {
    let (sim, mut h) = live::dashboard(ApiVersion::V2).await;
    assert!(h.until(deadline(), loaded).await);
    h.press(":");
    h.type_text("jobs");
    h.press("enter");
    h.press("c");
    assert!(h.until(deadline(), |s| matches!(s.modals.last(), Some(Modal::Form(_)))).await, "the form opens");
    let Some(Modal::Form(f)) = h.state.modals.last() else { unreachable!() };
    let target = f.form.value("target");
    assert!(h.state.data.clusters.value.as_ref().unwrap().iter().any(|c| target.starts_with(&c.name)), "{target}");
    h.type_text("nightly");
    h.press("tab");
    h.press("tab");
    h.type_text("Jobs/etl.ipynb");
    h.press("enter");
    let created = |_: &State| sim.shared().world().jobs.jobs.values().any(|j| j.api.name.as_deref() == Some("nightly"));
    assert!(h.until(deadline(), created).await, "the job is created");
    let w = sim.shared().world();
    let job = w.jobs.jobs.values().find(|j| j.api.name.as_deref() == Some("nightly")).unwrap();
    let t = job.api.target_config.as_ref().unwrap();
    assert_eq!(t.target_type.as_str(), "Cluster");
    assert!(w.workspaces.contains_key(&t.target_id), "a cluster is a workspace seen the v2 way");
}
