//! A create whose reply never came, against the simulator over HTTP, for every create the
//! dashboard makes that has a name and a list to look in. The simulator either makes the
//! change and holds its reply longer than the client waits, or drops the connection before
//! making it; the tracker looks for the name and says what the API shows. Headless, with the
//! dashboard's clocks held: the polls run when the test moves the clock.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use s2tui::api::types::*;
use s2tui::api::{ApiKey, ApiVersion, Client, ClientConfig};
use s2tui::effect::Mutation;
use s2tui::panes::ops::{self, ClusterWants, Expect, OpKind, OpStatus, Operation, Planned};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Fault, Seed, SimConfig};
use s2tui::state::SessionInfo;
use s2tui::testing::Headless;
use s2tui::widgets::modal::Modal;

/// How long the client waits for a reply, and how long the simulator holds one back.
const WAIT: Duration = Duration::from_secs(1);
const HELD: Duration = Duration::from_secs(4);

async fn dashboard(version: ApiVersion) -> (SimHandle, Headless) {
    let config = SimConfig { speed: 200.0, colleague_rate: 0.0, seed: Seed::Demo, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let cfg = ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap().with_timeouts(WAIT, WAIT);
    let session = SessionInfo { demo: true, api_version: version, ..SessionInfo::default() };
    let mut h = Headless::new(Client::new(cfg).unwrap().with_version(version), session);
    h.hold_clock();
    h.start();
    assert!(h.settle(deadline()).await, "the first reads end");
    (sim, h)
}

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(30)
}

fn op(h: &Headless) -> &Operation {
    h.state.ops.list.last().unwrap()
}

fn posts(sim: &SimHandle) -> usize {
    sim.shared().requests().iter().filter(|r| r.method == "POST").count()
}

/// The change is made but its reply is held back (`made`), or the connection is dropped before
/// it is made; either way no reply comes. Sends it, waits until the tracker checks, then moves
/// the clock until the operation ends. Returns every toast shown meanwhile.
async fn lose_reply(sim: &SimHandle, h: &mut Headless, planned: Planned, made: bool) -> Vec<String> {
    if made {
        sim.hold_reply("POST", "", HELD);
    } else {
        sim.inject_for("POST", Fault::Drop);
    }
    let before = posts(sim);
    let effects = s2tui::panes::with_panes(&mut h.state, |_, cx| ops::send(cx, vec![planned]));
    h.run(effects);
    assert!(h.until(deadline(), |s| s.ops.list.last().unwrap().status != OpStatus::Sending).await);
    assert_eq!(op(h).status, OpStatus::Checking, "no reply: the outcome is unknown, and checked");
    let end = deadline();
    let mut toasts = Vec::new();
    let mut seen = |h: &Headless| {
        for t in &h.state.toasts.items {
            if !toasts.contains(&t.text) {
                toasts.push(t.text.clone());
            }
        }
    };
    seen(h);
    while op(h).is_pending() {
        assert!(Instant::now() < end, "still pending: {:?}", op(h));
        assert!(h.advance(Duration::from_secs(2), end).await);
        seen(h);
    }
    assert_eq!(posts(sim) - before, 1, "the create was sent once");
    toasts
}

/// Made while its reply was lost: found by name, followed to its end, done.
async fn found(version: ApiVersion, planned: Planned) -> Operation {
    let (sim, mut h) = dashboard(version).await;
    let name = planned.name.clone();
    let toasts = lose_reply(&sim, &mut h, planned, true).await;
    let op = op(&h).clone();
    assert_eq!(op.status, OpStatus::Done, "{op:?}");
    assert!(toasts.iter().any(|t| t.contains(&format!("{name} was created after all"))), "{toasts:?}");
    op
}

/// Never made: absent from two reads in a row, so not created.
async fn absent(version: ApiVersion, planned: Planned) {
    let (sim, mut h) = dashboard(version).await;
    lose_reply(&sim, &mut h, planned, false).await;
    let op = op(&h);
    assert!(matches!(&op.status, OpStatus::Failed(why) if why.starts_with("not created")), "{op:?}");
    assert_eq!(op.observed.as_deref(), Some("not in the list"));
}

/// Both ends for one create.
async fn both(version: ApiVersion, planned: Planned) -> Operation {
    absent(version, planned.clone()).await;
    found(version, planned).await
}

fn change(mutation: Mutation, name: &str) -> Planned {
    Planned::change(mutation, "create", "created", None, name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project() {
    let body = ProjectCreate { name: "Late Project".into(), edition: ProjectEdition::Standard };
    let op = both(ApiVersion::V1, change(Mutation::Project(ProjectsChange::Create(body)), "Late Project")).await;
    assert!(op.target.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_is_found_then_followed_until_active() {
    let (_sim, h) = dashboard(ApiVersion::V2).await;
    let projects = h.state.panes.clusters.choices.value.as_ref().map(|c| c.projects.clone());
    let project = projects.unwrap().iter().find(|p| p.edition == Some(ProjectEdition::Standard)).unwrap().project_id;
    let body = ClusterCreate {
        name: "late-cluster".into(),
        project_id: project,
        provider: Some(Provider::Aws),
        region: "us-east-1".into(),
        size_config: Some(SizeConfig { size: Some("S-00".into()), ..Default::default() }),
        ..Default::default()
    };
    let planned = Planned {
        mutation: Mutation::Cluster(ClustersChange::Create(body)),
        kind: OpKind::CreateCluster,
        target: None,
        name: "late-cluster".into(),
        expect: Expect::Cluster(ClusterWants::state(ClusterState::Active)),
    };
    let op = both(ApiVersion::V2, planned).await;
    assert_eq!(op.observed.as_deref(), Some("ACTIVE"), "followed after it was found: {op:?}");
}

fn starter() -> StarterClusterCreate {
    StarterClusterCreate {
        name: "late-starter".into(),
        database_name: "late_db".into(),
        provider: StarterProvider::Aws,
        region_name: "us-east-1".into(),
        project_id: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_starter_workspace_at_v1() {
    both(ApiVersion::V1, change(Mutation::Starter(StartersChange::Create(starter())), "late-starter")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_starter_cluster_at_v2() {
    both(ApiVersion::V2, change(Mutation::Starter(StartersChange::Create(starter())), "late-starter")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_account() {
    let body = ServiceAccountCreate { name: "late-robot".into(), description: None };
    both(ApiVersion::V1, change(Mutation::People(PeopleChange::CreateServiceAccount(body)), "late-robot")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_role_is_found_by_name_and_resource_type() {
    let body = RoleCreate {
        role: "Night Shift".into(),
        description: None,
        permissions: vec!["View Workspace Group".into()],
        inherits: vec![],
    };
    let create = PeopleChange::CreateRole { resource_type: ResourceType::Cluster, body };
    let op = both(ApiVersion::V1, change(Mutation::People(create), "Night Shift")).await;
    assert_eq!(op.target, None, "a role is known by its name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_is_found_by_email() {
    let body = InvitationCreate { email: "late@example.com".into(), team_ids: vec![] };
    both(ApiVersion::V1, change(Mutation::People(PeopleChange::Invite(body)), "late@example.com")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_is_found_then_followed_until_running() {
    let (_sim, h) = dashboard(ApiVersion::V1).await;
    let ws = h.state.data.workspaces.value.iter().flatten().find(|w| w.name == "staging-app").unwrap().workspace_id;
    let body = FlowCreate {
        name: "late-flow".into(),
        workspace_id: ws,
        database_name: "staging_app_db".into(),
        user_name: "loader".into(),
        size: None,
    };
    let planned = Planned {
        mutation: Mutation::Flow(FlowChange::Create(body)),
        kind: OpKind::Change { label: "create flow", done: "running" },
        target: None,
        name: "late-flow".into(),
        expect: Expect::FlowRunning,
    };
    let op = both(ApiVersion::V1, planned).await;
    assert_eq!(op.observed.as_deref().map(str::to_lowercase).as_deref(), Some("running"), "{op:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_function_is_found_then_followed_until_active() {
    let body = CloudFunctionFields {
        name: Some("late-fn".into()),
        image: Some("ghcr.io/acme/f:1".into()),
        ..CloudFunctionFields::default()
    };
    let planned = Planned {
        mutation: Mutation::Function(FunctionsChange::Create(body)),
        kind: OpKind::Change { label: "create function", done: "active" },
        target: None,
        name: "late-fn".into(),
        expect: Expect::FunctionActive,
    };
    let op = both(ApiVersion::V1, planned).await;
    assert!(op.target.is_some());
}

/// The API has no list of jobs: a lost job create cannot be looked for, and says so instead of
/// claiming it was not made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_without_a_job_list_stays_unknown() {
    let (sim, mut h) = dashboard(ApiVersion::V1).await;
    let body = JobCreate {
        name: Some("late-job".into()),
        description: None,
        execution_config: JobCreateExecutionConfig {
            notebook_path: "Jobs/minute.ipynb".into(),
            create_snapshot: false,
            runtime_name: None,
        },
        schedule: JobSchedule { mode: ScheduleMode::Once, start_at: None, execution_interval_in_minutes: None },
        target_config: None,
        parameters: vec![],
    };
    let create = JobsChange::Create { org: None, dir: None, body: Box::new(body) };
    lose_reply(&sim, &mut h, change(Mutation::Job(create), "late-job"), true).await;
    let op = op(&h);
    let OpStatus::Failed(why) = &op.status else { panic!("{op:?}") };
    assert!(why.starts_with("outcome unknown") && why.contains("no list of jobs"), "{why}");
    assert!(why.ends_with("look before sending it again"), "{why}");
}

/// Through the form: while the list is read Enter cannot send it again; found, the form closes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_project_form_waits_for_the_lookup_and_closes_when_found() {
    let (sim, mut h) = dashboard(ApiVersion::V1).await;
    h.press(":");
    h.type_text("projects");
    h.press("enter");
    assert!(h.settle(deadline()).await);
    sim.hold_reply("POST", "/projects", HELD);
    h.press("c");
    h.type_text("Form Project");
    h.press("enter");
    assert!(h.until(deadline(), |s| s.ops.list.last().is_some_and(|o| o.status == OpStatus::Checking)).await);
    let Some(Modal::Form(f)) = h.state.modals.last() else { panic!("the form stays while checking") };
    assert!(f.form.busy);
    h.press("enter");
    assert!(h.advance(Duration::from_secs(2), deadline()).await);
    assert!(h.state.modals.is_empty(), "found: the form closes");
    assert_eq!(op(&h).status, OpStatus::Done);
    let made =
        sim.shared().requests().iter().filter(|r| r.method == "POST" && r.path_and_query.contains("/projects")).count();
    assert_eq!(made, 1);
    assert_eq!(sim.shared().world().projects.iter().filter(|p| p.name == "Form Project").count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloud_principal() {
    let body = CloudPrincipalCreate {
        name: "late-principal".into(),
        cloud_principal: "arn:aws:iam::123456789012:role/late".into(),
        description: None,
    };
    both(ApiVersion::V1, change(Mutation::People(PeopleChange::CreateCloudPrincipal(body)), "late-principal")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_added_by_email() {
    let (sim, _h) = dashboard(ApiVersion::V1).await;
    let email = sim.shared().world().people.accounts[0].email.clone();
    let add = || change(Mutation::People(PeopleChange::AddUser { email: email.clone() }), &email);
    absent(ApiVersion::V1, add()).await;
    let op = found(ApiVersion::V1, add()).await;
    assert!(op.target.is_some());
}
