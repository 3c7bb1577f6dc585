//! `s2tui get` at v2 as a real process against the simulator, and how the version is chosen:
//! `--api`, SINGLESTOREDB_MANAGEMENT_VERSION, a profile's `api`, and `auto` asking once.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use live::{s2tui_async, sim_at};
use s2tui::api::clusters::Cluster;
use s2tui::api::starters::StarterCluster;
use s2tui::sim::{Seed, SimHandle};

fn probes(h: &SimHandle) -> usize {
    h.requests().iter().filter(|r| r.method == "GET" && r.path_and_query == "/v2/clusters").count()
}

fn stdout(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[tokio::test]
async fn get_clusters_lists_them_with_project_firewall_and_expiry() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let text = stdout(&s2tui_async(&h, &["--api", "v2", "get", "clusters"], &[]).await);
    let header = text.lines().next().unwrap();
    for col in ["NAME", "PROJECT", "STATE", "SIZE", "REGION", "FIREWALL", "EXPIRES"] {
        assert!(header.contains(col), "{header}");
    }
    let row = text.lines().find(|l| l.starts_with("prod-ingest ")).unwrap();
    assert!(row.contains("Standard Project") && row.contains("10.20.0.0/16,203.0.113.0/24"), "{row}");
    let staging = text.lines().find(|l| l.starts_with("staging-app ")).unwrap();
    assert!(staging.contains("0.0.0.0/0") && staging.contains('Z'), "expiry as RFC 3339: {staging}");
    assert!(!text.contains("old-poc"), "terminated ones hidden");

    let json =
        stdout(&s2tui_async(&h, &["--api", "v2", "get", "clusters", "--include-terminated", "-o", "json"], &[]).await);
    let clusters: Vec<Cluster> = serde_json::from_str(&json).unwrap();
    assert!(clusters.iter().any(|c| c.name == "old-poc" && c.is_terminated()));
    assert!(!json.contains("adminPassword"));

    // Asking a v1 profile for clusters is a usage problem, not the API's.
    let out = s2tui_async(&h, &["--api", "v1", "get", "clusters"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("speaks v1") && err.contains("--api v2"), "{err}");
    h.shutdown().await;
}

#[tokio::test]
async fn get_starters_at_both_versions() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let v2 = stdout(&s2tui_async(&h, &["--api", "v2", "get", "starters", "-o", "json"], &[]).await);
    let starters: Vec<StarterCluster> = serde_json::from_str(&v2).unwrap();
    assert_eq!(starters.len(), 2);
    let v1 = stdout(&s2tui_async(&h, &["--api", "v1", "get", "starters"], &[]).await);
    for s in &starters {
        assert!(v1.contains(&s.virtual_cluster_id.to_string()) && v1.contains(&s.name), "the same ones at v1: {v1}");
    }
    assert!(h.requests().iter().any(|r| r.path_and_query == "/v2/sharedtier/virtualClusters"));
    assert!(h.requests().iter().any(|r| r.path_and_query == "/v1/sharedtier/virtualWorkspaces"));
    h.shutdown().await;
}

#[tokio::test]
async fn stage_ls_at_v2_takes_a_cluster() {
    let h = sim_at(2000.0, Seed::Demo).await;
    let clusters = stdout(&s2tui_async(&h, &["--api", "v2", "get", "clusters", "-o", "json"], &[]).await);
    let clusters: Vec<Cluster> = serde_json::from_str(&clusters).unwrap();
    let c = clusters.iter().find(|c| c.name == "prod-ingest").unwrap();
    let id = c.cluster_id.to_string();
    let at_v2 = stdout(&s2tui_async(&h, &["--api", "v2", "get", "stage", "ls", &id], &[]).await);
    let group = c.group_id.unwrap().to_string();
    let at_v1 = stdout(&s2tui_async(&h, &["--api", "v1", "get", "stage", "ls", &group], &[]).await);
    assert_eq!(at_v2, at_v1);
    assert!(at_v2.lines().count() > 1, "{at_v2}");
    assert!(h.requests().iter().any(|r| r.path_and_query == format!("/v2/clusters/{id}/stage/fs")));
    h.shutdown().await;
}

#[tokio::test]
async fn the_version_comes_from_the_flag_the_environment_or_one_question() {
    let h = sim_at(2000.0, Seed::Demo).await;
    // auto (the default): one GET /v2/clusters, then v2 routes.
    stdout(&s2tui_async(&h, &["get", "projects"], &[]).await);
    assert_eq!(probes(&h), 1);
    assert!(h.requests().iter().any(|r| r.path_and_query == "/v2/projects"));
    // The official client's variable; a flag wins over it.
    let before = h.requests().len();
    stdout(&s2tui_async(&h, &["get", "org"], &[("SINGLESTOREDB_MANAGEMENT_VERSION", "v1")]).await);
    stdout(&s2tui_async(&h, &["--api", "v2", "get", "org"], &[("SINGLESTOREDB_MANAGEMENT_VERSION", "v1")]).await);
    let later: Vec<String> = h.requests()[before..].iter().map(|r| r.path_and_query.clone()).collect();
    assert_eq!(later, ["/v1/organizations/current", "/v2/organizations/current"], "no probe when fixed");
    assert_eq!(probes(&h), 1);

    // A profile's own setting, from the config file.
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("s2tui")).unwrap();
    std::fs::write(config.path().join("s2tui/config.toml"), "[profiles.old]\napi = \"v1\"\n").unwrap();
    let before = h.requests().len();
    let xdg = config.path().to_str().unwrap();
    stdout(&s2tui_async(&h, &["--profile", "old", "get", "org"], &[("XDG_CONFIG_HOME", xdg)]).await);
    let later: Vec<String> = h.requests()[before..].iter().map(|r| r.path_and_query.clone()).collect();
    assert_eq!(later, ["/v1/organizations/current"]);

    // A bad value is refused by the flag.
    let out = s2tui_async(&h, &["--api", "v3", "get", "org"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("auto, v1 or v2"));
    h.shutdown().await;
}

#[tokio::test]
async fn a_server_without_v2_is_spoken_to_at_v1() {
    // A server that refuses /v2/clusters: auto settles on v1.
    let app = axum::Router::new()
        .route("/v2/clusters", axum::routing::get(|| async { (axum::http::StatusCode::NOT_FOUND, "no route") }))
        .route(
            "/v1/organizations/current",
            axum::routing::get(|| async {
                axum::Json(serde_json::json!({"orgID": uuid::Uuid::nil(), "name": "Old Org"}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let out = tokio::task::spawn_blocking(move || live::s2tui(&base, "k", &["get", "org"], &[])).await.unwrap();
    let text = stdout(&out);
    assert!(text.contains("Old Org"), "{text}");
    server.abort();
}
