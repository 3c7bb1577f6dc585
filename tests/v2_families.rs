//! The rest of `/v2` over real HTTP: starter clusters and their database users, Stage under
//! the cluster, and the families served the same at both versions (organization, regions,
//! secrets, jobs with cluster targets, billing).
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::path::Path;

use live::{raw, sim_at};
use s2tui::api::clusters::ClusterQuery;
use s2tui::api::projects::ProjectEdition;
use s2tui::api::starters::*;
use s2tui::api::types::*;
use s2tui::api::{ApiVersion, Client, stage_download, stage_upload};
use s2tui::sim::{Seed, SimHandle};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

fn v2(h: &SimHandle) -> Client {
    live::client(h).with_version(ApiVersion::V2)
}

fn paths(h: &SimHandle, method: &str) -> Vec<String> {
    h.requests().into_iter().filter(|r| r.method == method).map(|r| r.path_and_query).collect()
}

fn starter_body(name: &str, provider: &str, region: &str) -> serde_json::Value {
    json!({"name": name, "databaseName": "starter_db", "provider": provider, "regionName": region})
}

#[tokio::test]
async fn starter_clusters_are_the_starter_workspaces_with_users() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let c = v2(&h);
    let v1_ids: Vec<Option<Uuid>> =
        c.starter_workspaces().await.unwrap().iter().map(|s| s.virtual_workspace_id).collect();
    let starters = c.starter_clusters().await.unwrap();
    assert_eq!(starters.iter().map(|s| Some(s.virtual_cluster_id)).collect::<Vec<_>>(), v1_ids);
    let shared = c.projects(ApiVersion::V2).await.unwrap();
    let shared = shared.iter().find(|p| p.edition == Some(ProjectEdition::Shared)).unwrap().project_id;
    assert!(starters.iter().all(|s| s.project_id == Some(shared)));

    // The provider must be spelled exactly; the region must offer the shared tier.
    let post = |body| raw(&h, reqwest::Method::POST, "/v2/sharedtier/virtualClusters", Some(body));
    let (status, text) = post(starter_body("s", "Azure", "eastus")).await;
    assert_eq!((status, text.as_str()), (500, "Unspecified is not a valid CloudServiceProvider"));
    let (status, text) = post(starter_body("s", "AWS", "us-east-2")).await;
    assert_eq!(status, 500);
    assert_eq!(
        text,
        "error creating virtual workspace (s): no shared tier region found for provider AWS and region us-east-2"
    );
    let (status, text) = post(json!({"name": "s", "provider": "AWS", "regionName": "us-east-1"})).await;
    assert_eq!((status, text.as_str()), (400, "databaseName is required"));
    let mut extra = starter_body("s", "AWS", "us-east-1");
    extra["bogus"] = json!(1);
    assert_eq!(post(extra).await.0, 400);

    // Names are free-form; the typed client upper-cases the provider.
    let id = c
        .create_starter_cluster(&StarterClusterCreate {
            name: "STARTER_cl_test_abc-".into(),
            database_name: "starter_db_abc".into(),
            provider: StarterProvider::from_wire("Aws"),
            region_name: "us-east-1".into(),
            project_id: None,
        })
        .await
        .unwrap();
    let s = c.starter_cluster(id).await.unwrap();
    assert_eq!((s.name.as_str(), s.database_name.as_deref()), ("STARTER_cl_test_abc-", Some("starter_db_abc")));
    assert_eq!(s.project_id, Some(shared));
    assert!(s.endpoint.is_some() && s.mysql_dml_port.is_some());

    // Users: a generated password, unique names across the project, password change, drop.
    let user = c
        .create_starter_user(id, &StarterUserCreate { user_name: "starter_user_1".into(), password: None })
        .await
        .unwrap();
    assert!(user.password.len() >= 14);
    let other = starters[0].virtual_cluster_id;
    let err = c
        .create_starter_user(other, &StarterUserCreate { user_name: "starter_user_1".into(), password: None })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    let given = c
        .create_starter_user(id, &StarterUserCreate { user_name: "u2".into(), password: Some("Given-pass-123".into()) })
        .await
        .unwrap();
    assert_eq!(given.password, "Given-pass-123");
    c.set_starter_user_password(id, user.user_id, "New-Password-456").await.unwrap();
    c.delete_starter_user(id, user.user_id).await.unwrap();
    assert_eq!(c.delete_starter_user(id, user.user_id).await.unwrap_err().status(), Some(404));

    c.delete_starter_cluster(id).await.unwrap();
    assert_eq!(c.starter_cluster(id).await.unwrap_err().status(), Some(404));
    assert!(!c.starter_workspaces().await.unwrap().iter().any(|s| s.virtual_workspace_id == Some(id)));
    let (status, text) = raw(&h, reqwest::Method::GET, "/v2/sharedtier/virtualClusters/x", None).await;
    assert_eq!((status, text.as_str()), (400, "uuid: incorrect UUID length"));
    h.shutdown().await;
}

#[tokio::test]
async fn stage_at_v2_is_the_clusters_and_its_groups() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let (c1, c2) = (live::client(&h), v2(&h));
    let cluster =
        c2.clusters(ClusterQuery::default()).await.unwrap().into_iter().find(|x| x.name == "prod-ingest").unwrap();
    let group = cluster.group_id.unwrap();
    let at_v1 = c1.stage_list(group, "").await.unwrap();
    let at_v2 = c2.stage_list(cluster.cluster_id, "").await.unwrap();
    let names = |m: &FileObjectMetadata| m.children().iter().map(|e| e.path.clone()).collect::<Vec<_>>();
    assert!(!names(&at_v1).is_empty());
    assert_eq!(names(&at_v2), names(&at_v1));
    assert!(paths(&h, "GET").iter().any(|p| p == &format!("/v2/clusters/{}/stage/fs", cluster.cluster_id)));

    // Upload, move, download and delete through the v2 routes; the v1 view sees each step.
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("hello.sql");
    std::fs::write(&local, b"select 1;\n").unwrap();
    let cancel = CancellationToken::new();
    c2.stage_mkdir(cluster.cluster_id, "v2test/").await.unwrap();
    stage_upload(&c2, cluster.cluster_id, &local, "v2test/hello.sql", &cancel, |_, _| {}).await.unwrap();
    let meta = c1.stage_metadata(group, "v2test/hello.sql").await.unwrap();
    assert_eq!((meta.size, meta.kind), (Some(10), Some(FileType::File)));
    // v2 names a plain file's type; v1 leaves it empty.
    let meta = c2.stage_metadata(cluster.cluster_id, "v2test/hello.sql").await.unwrap();
    assert_eq!(meta.kind, Some(FileType::NamedFile));
    let listing = c2.stage_list(cluster.cluster_id, "v2test/").await.unwrap();
    assert!(listing.children().iter().all(|e| e.kind == Some(FileType::NamedFile)));
    c2.stage_move(cluster.cluster_id, "v2test/hello.sql", "v2test/moved.sql").await.unwrap();
    let back = dir.path().join("back.sql");
    stage_download(&c2, cluster.cluster_id, "v2test/moved.sql", &back, false, &cancel, |_, _| {}).await.unwrap();
    assert_eq!(std::fs::read(Path::new(&back)).unwrap(), b"select 1;\n");
    c2.stage_delete(cluster.cluster_id, "v2test/").await.unwrap();
    assert_eq!(c1.stage_metadata(group, "v2test/").await.unwrap_err().status(), Some(404));

    // No group-only Stage and no starter Stage at v2; a bad ID in the service's words.
    assert_eq!(c2.stage_list(group, "").await.unwrap_err().status(), Some(404));
    let starter = c2.starter_clusters().await.unwrap()[0].virtual_cluster_id;
    assert_eq!(c2.stage_list(starter, "").await.unwrap_err().status(), Some(404));
    let (status, text) = raw(&h, reqwest::Method::GET, "/v2/clusters/bad%20id/stage/fs/", None).await;
    assert_eq!((status, text.as_str()), (400, "uuid: incorrect UUID length"));
    h.shutdown().await;
}

#[tokio::test]
async fn organization_regions_secrets_and_billing_at_v2() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let (c1, c2) = (live::client(&h), v2(&h));
    assert_eq!(c2.organization().await.unwrap(), c1.organization().await.unwrap());
    assert_eq!(c2.regions_shared_tier().await.unwrap(), c1.regions_shared_tier().await.unwrap());
    let regions = c2.regions_v2().await.unwrap();
    assert!(regions.iter().any(|r| r.region_name == "us-east-1" && r.provider == Provider::Aws));

    let created = c2.create_secret(&SecretCreate { name: "V2_SECRET".into(), value: "v2-value".into() }).await.unwrap();
    let by_name = c2.secrets(Some("V2_SECRET")).await.unwrap();
    assert_eq!(by_name.iter().map(|s| s.secret_id).collect::<Vec<_>>(), [created.secret_id]);
    assert_eq!(c2.secret(created.secret_id).await.unwrap().value.as_deref(), Some("v2-value"));
    assert_eq!(c2.delete_secret(created.secret_id).await.unwrap(), created.secret_id);
    assert!(c1.secrets(Some("V2_SECRET")).await.unwrap().is_empty(), "one store");

    let now = chrono::Utc::now();
    let usage = c2
        .billing_usage(&UsageQuery {
            start_time: format_time(now - chrono::Duration::days(3)),
            end_time: format_time(now),
            metric: None,
            aggregate_by: Some(AggregateBy::Day),
        })
        .await
        .unwrap();
    assert!(!usage.billing_usage.is_empty());
    let gets = paths(&h, "GET");
    for prefix in ["/v2/organizations/current", "/v2/regions/sharedtier", "/v2/secrets?name=V2_SECRET"] {
        assert!(gets.iter().any(|p| p == prefix), "{prefix} in {gets:?}");
    }
    assert!(gets.iter().any(|p| p.starts_with("/v2/billing/usage?") && p.contains("aggregateBy=day")));
    h.shutdown().await;
}

#[tokio::test]
async fn jobs_at_v2_target_clusters_and_starter_clusters() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let c = v2(&h);
    let cluster =
        c.clusters(ClusterQuery::default()).await.unwrap().into_iter().find(|x| x.name == "prod-ingest").unwrap();
    let starter = c.starter_clusters().await.unwrap()[0].virtual_cluster_id;
    let runtimes = c.job_runtimes().await.unwrap();
    assert!(!runtimes.is_empty());
    let job_for = |target_id, target_type| JobCreate {
        name: Some("v2-job".into()),
        description: None,
        execution_config: JobCreateExecutionConfig {
            notebook_path: "Scheduling Test.ipynb".into(),
            create_snapshot: false,
            runtime_name: Some(runtimes[0].name.clone()),
        },
        schedule: JobSchedule { mode: ScheduleMode::Once, start_at: None, execution_interval_in_minutes: None },
        target_config: Some(JobTargetConfig {
            target_id,
            target_type,
            resume_target: true,
            database_name: Some("cluster".into()),
        }),
        parameters: vec![JobParameter { name: "strParam".into(), kind: ParameterType::String, value: "x".into() }],
    };
    let job = c.create_job(&job_for(cluster.cluster_id, TargetType::Cluster)).await.unwrap();
    let read = c.job(job.job_id).await.unwrap();
    assert_eq!(read.target_config.as_ref().map(|t| t.target_type.clone()), Some(TargetType::Cluster));
    assert_eq!(read.target_config.as_ref().map(|t| t.target_id), Some(cluster.cluster_id));
    assert_eq!(c.job_parameters(job.job_id).await.unwrap().len(), 1);
    let on_starter = c.create_job(&job_for(starter, TargetType::VirtualCluster)).await.unwrap();
    assert_eq!(
        c.job(on_starter.job_id).await.unwrap().target_config.map(|t| t.target_type),
        Some(TargetType::VirtualCluster)
    );
    let err = c.create_job(&job_for(Uuid::new_v4(), TargetType::Cluster)).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(c.delete_job(job.job_id).await.unwrap());
    assert!(c.job(job.job_id).await.unwrap().terminated_at.is_some(), "a deleted job stays readable");
    assert!(paths(&h, "POST").iter().all(|p| p.starts_with("/v2/")));
    h.shutdown().await;
}
