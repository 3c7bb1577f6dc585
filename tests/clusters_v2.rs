//! `/v2/clusters` over real HTTP: the typed client against the simulator. One store seen two
//! ways (a workspace is a cluster), and the v2 service's own behaviour: strict bodies, the
//! name rule, asynchronous updates, the firewall that lags behind ACTIVE, the creation lock.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use live::{raw, sim_at};
use s2tui::api::clusters::*;
use s2tui::api::types::*;
use s2tui::api::{ApiError, ApiVersion, Client};
use s2tui::sim::Seed;
use serde_json::{Value, json};
use uuid::Uuid;

const DEADLINE: Duration = Duration::from_secs(20);

fn client(h: &s2tui::sim::SimHandle) -> Client {
    live::client(h).with_version(ApiVersion::V2)
}

async fn standard_project(c: &Client) -> Uuid {
    let projects = c.projects(ApiVersion::V2).await.unwrap();
    projects.iter().find(|p| p.edition == Some(s2tui::api::projects::ProjectEdition::Standard)).unwrap().project_id
}

async fn wait_until(c: &Client, id: Uuid, what: &str, done: impl Fn(&Cluster) -> bool) -> Cluster {
    let until = Instant::now() + DEADLINE;
    loop {
        let cl = c.cluster(id).await.unwrap();
        if done(&cl) {
            return cl;
        }
        assert!(Instant::now() < until, "cluster never {what}: {cl:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn wait_state(c: &Client, id: Uuid, want: ClusterState) -> Cluster {
    wait_until(c, id, want.as_str(), |cl| cl.state() == want).await
}

fn create_body(name: &str, project_id: Uuid) -> ClusterCreate {
    ClusterCreate {
        name: name.into(),
        project_id,
        provider: Some(Provider::Aws),
        region: "us-east-1".into(),
        firewall_ranges: vec!["192.168.0.0/16".into(), "10.0.0.0/8".into()],
        size_config: Some(SizeConfig { size: Some("S-00".into()), ..Default::default() }),
        expires_at: Some("2h".into()),
        update_window: Some(UpdateWindow { day: 3, hour: 4 }),
        ..Default::default()
    }
}

#[tokio::test]
async fn every_workspace_is_a_cluster_with_its_groups_settings() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let c = client(&h);
    let standard = standard_project(&c).await;
    let clusters = c.clusters(ClusterQuery::default()).await.unwrap();
    let groups = c.workspace_groups(false).await.unwrap();
    let mut live = 0;
    for g in &groups {
        for ws in c.workspaces(g.workspace_group_id, false).await.unwrap() {
            live += 1;
            let cl = clusters.iter().find(|cl| cl.cluster_id == ws.workspace_id).expect("same id at v2");
            assert_eq!(cl.name, ws.name);
            assert_eq!(cl.group_id, Some(g.workspace_group_id));
            assert_eq!(cl.project_id, Some(standard));
            if ws.state != WorkspaceState::Pending && cl.state() != ClusterState::Pending {
                // (one seeded workspace is mid-creation and may land between the two reads)
                assert_eq!(cl.state().as_str(), ws.state.as_str());
            }
            assert_eq!(cl.size(), Some(ws.size.as_str()));
            assert_eq!(cl.region.as_deref(), Some(g.region_name.as_str()));
            assert_eq!(cl.update_window, g.update_window);
            // 0.0.0.0/0 reads back as the flag; other ranges sorted.
            let mut want = g.firewall_ranges.clone().unwrap();
            want.sort();
            if want.iter().any(|r| r == ALLOW_ALL) {
                assert_eq!((cl.allow_all_traffic, cl.firewall_ranges.clone()), (Some(true), Some(vec![])));
            } else {
                assert_eq!(cl.firewall_ranges, Some(want));
            }
            match &g.expires_at {
                Some(e) => {
                    let go = cl.expires_at.as_deref().unwrap();
                    assert!(go.ends_with(" +0000 UTC") && go.as_bytes().get(10) == Some(&b' '), "Go form: {go}");
                    assert_eq!(parse_time(go), parse_time(e));
                }
                None => assert_eq!(cl.expires_at, None),
            }
            assert!(cl.extra.get("adminPassword").is_none());
        }
    }
    assert_eq!(clusters.len(), live);

    // Terminated ones only when asked; a project filter.
    let all = c.clusters(ClusterQuery { include_terminated: true, ..Default::default() }).await.unwrap();
    let terminated: Vec<&Cluster> = all.iter().filter(|cl| cl.is_terminated()).collect();
    assert!(!terminated.is_empty() && terminated.iter().all(|cl| cl.terminated_at.is_some()));
    assert_eq!(all.len(), clusters.len() + terminated.len());
    let mine = c.clusters(ClusterQuery { project_id: Some(standard), ..Default::default() }).await.unwrap();
    assert_eq!(mine.len(), clusters.len());
    let other = Uuid::new_v4();
    assert!(c.clusters(ClusterQuery { project_id: Some(other), ..Default::default() }).await.unwrap().is_empty());
    let (status, text) = raw(&h, reqwest::Method::GET, "/v2/clusters?projectID=nope", None).await;
    assert_eq!((status, text.as_str()), (400, "uuid: incorrect UUID length"));
    h.shutdown().await;
}

#[tokio::test]
async fn create_validates_in_the_services_order_with_its_words() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let c = client(&h);
    let project = standard_project(&c).await.to_string();
    let post = |body: Value| raw(&h, reqwest::Method::POST, "/v2/clusters", Some(body));
    let base = json!({"name": "ok-name", "projectID": project, "provider": "AWS", "region": "us-east-1",
        "firewallRanges": [], "sizeConfig": {"size": "S-00"}});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = base.clone();
        b.as_object_mut().unwrap().remove(k);
        b
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (with("bogusField", json!(1)), 400, "request body contains an unknown field \"bogusField\""),
        (with("size", json!("S-00")), 400, "request body contains an unknown field \"size\""),
        (json!({"name": "-bad", "firewallRanges": null}), 400, "region is required"),
        (without("projectID"), 400, "projectID is required"),
        (with("firewallRanges", Value::Null), 400, "firewallRanges cannot be null"),
        (without("firewallRanges"), 400, "firewallRanges cannot be null"),
        (with("sizeConfig", json!({"size": "XL"})), 400, "invalid size"),
        (with("name", json!("Has-Capitals")), 400, "name: must be in a valid format"),
        (with("name", json!("trailing-")), 400, "name: must be in a valid format"),
        (with("name", json!("x".repeat(33))), 400, "name: the length must be between 1 and 32"),
        (with("provider", json!("oracle")), 400, "value must be aws or azure or gcp"),
        (with("region", json!("us-east-9")), 400, "us-east-9"),
        (with("projectID", json!(Uuid::new_v4())), 400, "project not found"),
    ];
    for (body, status, text) in cases {
        let (got, message) = post(body.clone()).await;
        assert_eq!(got, status, "{body}: {message}");
        assert!(message.contains(text), "{body}: {message:?} lacks {text:?}");
    }
    // The provider is case-insensitive here; both cache spellings are accepted.
    let (status, text) = post(with("provider", json!("aws"))).await;
    assert_eq!(status, 200, "{text}");
    let mut b = with("name", json!("cache-inside"));
    b["sizeConfig"] = json!({"size": "S-00", "cacheConfig": 2});
    b["autoSuspend"] = json!({"suspendType": "IDLE", "idleAfterSeconds": 1800});
    // Creations hold an organization-wide lock for a moment (5 s / 2000 here).
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (status, text) = post(b).await;
    assert_eq!(status, 200, "{text}");
    let id: Uuid = serde_json::from_str::<Value>(&text).unwrap()["clusterID"].as_str().unwrap().parse().unwrap();
    let cl = c.cluster(id).await.unwrap();
    assert_eq!(cl.cache(), Some(2.0));
    assert_eq!(cl.auto_suspend.as_ref().and_then(ClusterAutoSuspend::after_seconds), Some(1800.0));
    h.shutdown().await;
}

#[tokio::test]
async fn a_created_cluster_is_a_new_group_and_shows_its_password_once() {
    let h = sim_at(100.0, Seed::Demo).await;
    let c = client(&h);
    let project = standard_project(&c).await;
    let mut body = create_body("analytics", project);
    body.admin_password = Some("Ignored-Password-123!".into());
    let created = c.create_cluster(&body).await.unwrap();
    let password = created.admin_password.clone().expect("the password, once");
    assert_ne!(password, "Ignored-Password-123!", "the service generates its own");
    assert!(!format!("{created:?}").contains(&password));

    // Readable at once, PENDING, with its project; no password anywhere after the reply.
    let cl = c.cluster(created.cluster_id).await.unwrap();
    assert_eq!((cl.state(), cl.project_id, cl.group_id), (ClusterState::Pending, Some(project), created.group_id));
    let (_, text) = raw(&h, reqwest::Method::GET, &format!("/v2/clusters/{}", created.cluster_id), None).await;
    assert!(!text.contains("adminPassword") && !text.contains(&password));
    let expires = parse_time(cl.expires_at.as_deref().unwrap()).unwrap();
    assert!((expires - chrono::Utc::now() - chrono::Duration::hours(2)).num_seconds().abs() < 60);

    // The v1 view: a group of its own named after it, holding that one workspace.
    let gid = created.group_id.unwrap();
    let g = c.workspace_group(gid).await.unwrap();
    assert_eq!((g.name.as_str(), g.project_id), ("analytics", Some(project)));
    let ws = c.workspaces(gid, false).await.unwrap();
    assert_eq!(ws.iter().map(|w| w.workspace_id).collect::<Vec<_>>(), [created.cluster_id]);

    // Not deletable before it is ACTIVE.
    let err = c.terminate_cluster(created.cluster_id).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");

    // ACTIVE first, firewall later.
    let active = wait_state(&c, created.cluster_id, ClusterState::Active).await;
    assert_eq!(active.firewall_ranges, Some(vec![]), "not applied at ACTIVE: {active:?}");
    assert_eq!(active.allow_all_traffic, None);
    let wanted = body.firewall_ranges.clone();
    let applied = wait_until(&c, created.cluster_id, "firewalled", |cl| cl.firewall_applied(&wanted)).await;
    assert_eq!(applied.firewall_ranges, Some(vec!["10.0.0.0/8".into(), "192.168.0.0/16".into()]), "sorted");
    assert_eq!(applied.allow_all_traffic, Some(false));

    // A name in use is refused; once terminated it may be reused at once.
    tokio::time::sleep(Duration::from_millis(60)).await;
    let err = c.create_cluster(&create_body("analytics", project)).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.message().contains("already exists"), "{err}");
    c.terminate_cluster(created.cluster_id).await.unwrap();
    let gone = wait_until(&c, created.cluster_id, "terminated", Cluster::is_terminated).await;
    assert_eq!(gone.state(), ClusterState::Terminated);
    assert!(!c.clusters(ClusterQuery::default()).await.unwrap().iter().any(|x| x.cluster_id == created.cluster_id));
    let err = c.terminate_cluster(created.cluster_id).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    let until = Instant::now() + DEADLINE;
    while c.workspace_group(gid).await.unwrap().state != WorkspaceGroupState::Terminated {
        assert!(Instant::now() < until, "its group stays");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let again = c.create_cluster(&create_body("analytics", project)).await.unwrap();
    assert_ne!(again.cluster_id, created.cluster_id);
    h.shutdown().await;
}

#[tokio::test]
async fn an_update_lands_later_and_a_rename_never() {
    let h = sim_at(100.0, Seed::Demo).await;
    let c = client(&h);
    let target =
        c.clusters(ClusterQuery::default()).await.unwrap().into_iter().find(|cl| cl.name == "prod-ingest").unwrap();
    assert_eq!(
        (target.state(), target.size(), target.allow_all_traffic),
        (ClusterState::Active, Some("S-2"), Some(false))
    );
    let id = target.cluster_id;

    // Unknown keys are refused before anything happens.
    let (status, text) =
        raw(&h, reqwest::Method::PATCH, &format!("/v2/clusters/{id}"), Some(json!({"bogusField": true}))).await;
    assert_eq!((status, text.as_str()), (400, "request body contains an unknown field \"bogusField\""));

    let update = ClusterUpdate {
        name: Some("renamed-ingest".into()),
        size_config: Some(SizeConfig { size: Some("S-4".into()), ..Default::default() }),
        firewall_ranges: Some(vec![ALLOW_ALL.into()]),
        admin_password: Some("Another-Password-9!".into()),
        ..Default::default()
    };
    c.update_cluster(id, &update).await.unwrap();
    let right_after = c.cluster(id).await.unwrap();
    assert_eq!(right_after.state(), ClusterState::Pending);
    assert_eq!((right_after.name.as_str(), right_after.size()), ("prod-ingest", Some("S-2")), "old values");
    assert_eq!(right_after.allow_all_traffic, Some(false));
    let err = c.update_cluster(id, &ClusterUpdate { kai: Some(true), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "one change at a time");
    assert_eq!(c.terminate_cluster(id).await.unwrap_err().status(), Some(409));

    let landed = wait_state(&c, id, ClusterState::Active).await;
    assert_eq!(landed.size(), Some("S-4"));
    assert_eq!(landed.name, "prod-ingest", "a rename is accepted and never applied");
    assert_eq!(landed.allow_all_traffic, Some(false), "the firewall follows a while after ACTIVE");
    let open = wait_until(&c, id, "open to all", |cl| cl.allow_all_traffic == Some(true)).await;
    assert_eq!(open.firewall_ranges, Some(vec![]), "0.0.0.0/0 reads back as the flag");
    assert!(open.firewall_applied(&[ALLOW_ALL.into()]));
    // The group's view agrees, and its other workspaces carry the same firewall.
    let gid = open.group_id.unwrap();
    let g = c.workspace_group(gid).await.unwrap();
    assert_eq!(g.allow_all_traffic, Some(true));
    let siblings: Vec<Cluster> =
        c.clusters(ClusterQuery::default()).await.unwrap().into_iter().filter(|x| x.group_id == Some(gid)).collect();
    assert!(siblings.len() > 1 && siblings.iter().all(|x| x.allow_all_traffic == Some(true)));

    // Turning off what was never on fails on the service's side.
    let err = c.update_cluster(id, &ClusterUpdate { kai: Some(false), ..Default::default() }).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    h.shutdown().await;
}

#[tokio::test]
async fn suspend_and_resume_are_the_workspaces_own() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let c = client(&h);
    let cl = c.clusters(ClusterQuery::default()).await.unwrap().into_iter().find(|x| x.name == "ds-notebooks").unwrap();
    c.suspend_cluster(cl.cluster_id).await.unwrap();
    wait_state(&c, cl.cluster_id, ClusterState::Suspended).await;
    assert_eq!(c.workspace(cl.cluster_id).await.unwrap().state, WorkspaceState::Suspended, "one store");
    let err = c.suspend_cluster(cl.cluster_id).await.unwrap_err();
    assert!(matches!(err, ApiError::BadRequest { .. }), "{err:?}");
    c.resume_cluster(cl.cluster_id, false).await.unwrap();
    let back = wait_state(&c, cl.cluster_id, ClusterState::Active).await;
    assert!(back.last_resumed_at.is_some());
    // The other client's empty resume body is fine too; unknown keys are not.
    let path = format!("/v2/clusters/{}/resume", cl.cluster_id);
    let (status, text) = raw(&h, reqwest::Method::POST, &path, Some(json!({"bogus": 1}))).await;
    assert_eq!((status, text.as_str()), (400, "request body contains an unknown field \"bogus\""));
    for bad in ["not-a-uuid", "bad%20id"] {
        let (status, text) = raw(&h, reqwest::Method::GET, &format!("/v2/clusters/{bad}"), None).await;
        assert_eq!((status, text.as_str()), (400, "uuid: incorrect UUID length"));
    }
    assert_eq!(c.cluster(Uuid::new_v4()).await.unwrap_err().status(), Some(404));
    h.shutdown().await;
}

#[tokio::test]
async fn concurrent_creations_meet_the_organization_lock() {
    // Realistic speed: the lock is held for 5 s after a creation starts.
    let h = sim_at(1.0, Seed::Demo).await;
    let c = client(&h);
    let project = standard_project(&c).await;
    c.create_cluster(&create_body("first-one", project)).await.unwrap();
    let err = c.create_cluster(&create_body("second-one", project)).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    let text = err.message();
    assert!(text.starts_with("error creating workspace (second-one): could not acquire lock"), "{text}");
    // The official client recognises it by this pattern and tries again later.
    let re = regex::Regex::new(r"(?i)acquire[^.]{0,40}lock").unwrap();
    assert!(re.is_match(&text));
    h.shutdown().await;
}

#[tokio::test]
async fn a_cluster_row_without_an_identity_does_not_fail_the_list() {
    // A server whose listing has an odd row, odd fields and a key this build does not know.
    let body = json!([
        {"clusterID": "3ca3d359-021d-45ed-86cb-38b8d14ac507", "name": "cluster-1", "state": "ACTIVE",
         "sizeConfig": {"size": "S-00", "scaleFactor": "one"}, "expiresAt": "2026-09-17 14:42:41.445984 +0000 UTC"},
        {"name": "no-id"},
        {"clusterID": "f2a1a960-8591-4196-bb26-f53f0f8e35ce", "name": "cluster-2", "state": "RESIZING", "multiAZ": 7},
    ]);
    let app = axum::Router::new().route("/v2/clusters", axum::routing::get(move || async move { axum::Json(body) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let c = live::client_for(&base).with_version(ApiVersion::V2);
    let clusters = c.clusters(ClusterQuery::default()).await.unwrap();
    assert_eq!(clusters.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["cluster-1", "cluster-2"]);
    assert_eq!((clusters[0].size(), clusters[0].scale_factor()), (Some("S-00"), None));
    assert!(parse_time(clusters[0].expires_at.as_deref().unwrap()).is_some());
    assert_eq!(clusters[1].state(), ClusterState::Unknown("RESIZING".into()));
    assert_eq!(clusters[1].multi_az, None);
    server.abort();
}
