//! Flow instances and cloud functions over real HTTP: every operation of the client against
//! the simulator, the paging cursor, the 409 of a stale update, and `s2tui get flows|functions`.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use live::client;
use s2tui::api::ApiError;
use s2tui::api::types::*;
use s2tui::sim::Seed;
use uuid::Uuid;

fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(20)
}

async fn workspace_named(c: &s2tui::api::Client, name: &str) -> Workspace {
    for g in c.workspace_groups(false).await.unwrap() {
        if let Some(w) = c.workspaces(g.workspace_group_id, false).await.unwrap().into_iter().find(|w| w.name == name) {
            return w;
        }
    }
    panic!("no workspace {name}");
}

#[tokio::test]
async fn flows_are_created_run_and_deleted() {
    let h = live::sim_at(500.0, Seed::Demo).await;
    let c = client(&h);
    let flows = c.flows(false).await.unwrap();
    let names: Vec<&str> = flows.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["orders-cdc"], "the deleted one is hidden");
    let all = c.flows(true).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|f| f.name == "legacy-mysql-migration" && f.is_deleted()));

    let ws = workspace_named(&c, "staging-app").await;
    let body = FlowCreate {
        name: "events-ingest".into(),
        workspace_id: ws.workspace_id,
        database_name: "staging_app_db".into(),
        user_name: "loader".into(),
        size: None,
    };
    let id = c.create_flow(&body).await.unwrap();
    let f = c.flow(id).await.unwrap();
    assert_eq!(f.status.as_deref(), Some("Pending"));
    assert_eq!(f.size.as_deref(), Some("F1"));
    let end = deadline();
    while c.flow(id).await.unwrap().status.as_deref() != Some("Running") {
        assert!(Instant::now() < end, "never Running");
        tokio::task::yield_now().await;
    }

    // Refusals: a bad size, an unknown workspace, an empty name.
    let e = c.create_flow(&FlowCreate { size: Some("XL".into()), ..body.clone() }).await.unwrap_err();
    assert!(e.to_string().contains("invalid size"), "{e}");
    let e = c.create_flow(&FlowCreate { workspace_id: Uuid::new_v4(), ..body.clone() }).await.unwrap_err();
    assert!(e.to_string().contains("not found"), "{e}");
    let e = c.create_flow(&FlowCreate { name: " ".into(), ..body.clone() }).await.unwrap_err();
    assert!(e.to_string().contains("name must not be empty"), "{e}");

    assert_eq!(c.delete_flow(id).await.unwrap(), id);
    let gone = c.flow(id).await.unwrap();
    assert!(gone.is_deleted(), "still readable, Deleted: {gone:?}");
    assert!(!c.flows(false).await.unwrap().iter().any(|f| f.flow_id == id));
    let e = c.delete_flow(id).await.unwrap_err();
    assert!(e.to_string().contains("already deleted"), "{e}");
    let e = c.flow(Uuid::new_v4()).await.unwrap_err();
    assert!(matches!(e, ApiError::NotFound { .. }), "{e:?}");
    h.shutdown().await;
}

#[tokio::test]
async fn functions_page_by_cursor() {
    let h = live::sim_at(500.0, Seed::Demo).await;
    let c = client(&h);
    for i in 0..5 {
        let body = CloudFunctionFields {
            name: Some(format!("fn-{i}")),
            image: Some("ghcr.io/acme/f:1".into()),
            ..CloudFunctionFields::default()
        };
        c.create_cloud_function(&body).await.unwrap();
    }
    let first = c.cloud_functions(Some(3), None).await.unwrap();
    let meta = first.metadata.unwrap();
    assert_eq!((meta.count, meta.total_count, meta.has_next_page, meta.has_previous_page), (3, 8, true, false));
    let after = first.cloud_functions.last().unwrap().service_id;
    let second = c.cloud_functions(Some(3), Some(after)).await.unwrap();
    let meta = second.metadata.unwrap();
    assert_eq!((meta.count, meta.has_next_page, meta.has_previous_page), (3, true, true));
    let all = c.all_cloud_functions(3).await.unwrap();
    assert_eq!(all.len(), 8);
    let mut ids: Vec<Uuid> = all.iter().map(|f| f.service_id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 8, "no function twice");
    assert_eq!(&all[..3], &first.cloud_functions[..]);

    let e = c.cloud_functions(Some(3), Some(Uuid::new_v4())).await.unwrap_err();
    assert!(e.to_string().contains("offsetID"), "{e}");
    let e = c.cloud_functions(Some(0), None).await.unwrap_err();
    assert!(e.to_string().contains("invalid limit"), "{e}");
    h.shutdown().await;
}

#[tokio::test]
async fn functions_from_a_notebook_or_an_image_updated_under_optimistic_concurrency() {
    let h = live::sim_at(500.0, Seed::Demo).await;
    let c = client(&h);
    let ws = workspace_named(&c, "ml-serving").await;
    let body = CloudFunctionFields {
        name: Some("recommend".into()),
        notebook_path: Some("shared/ml/recommend.ipynb".into()),
        target_id: Some(ws.workspace_id),
        target_type: Some(FunctionTargetType::Workspace),
        ..CloudFunctionFields::default()
    };
    let id = c.create_cloud_function(&body).await.unwrap();
    let f = c.cloud_function(id).await.unwrap();
    assert_eq!(f.status, FunctionStatus::Initializing);
    // No token until it is deployed.
    let e = c.cloud_function_token(id).await.unwrap_err();
    assert!(e.to_string().contains("no token"), "{e}");
    let end = deadline();
    while c.cloud_function(id).await.unwrap().status != FunctionStatus::Active {
        assert!(Instant::now() < end, "never Active");
        tokio::task::yield_now().await;
    }
    let token = c.cloud_function_token(id).await.unwrap();
    assert!(token.jwt.starts_with("eyJ") && parse_time(&token.expires_at).is_some());
    assert!(!format!("{token:?}").contains(&token.jwt), "Debug hides the token");

    // Create refusals: both sources, neither, a non-notebook path, a target without type.
    let both = CloudFunctionFields { image: Some("x:1".into()), ..body.clone() };
    assert!(c.create_cloud_function(&both).await.unwrap_err().to_string().contains("mutually exclusive"));
    let neither = CloudFunctionFields { notebook_path: None, ..body.clone() };
    assert!(c.create_cloud_function(&neither).await.unwrap_err().to_string().contains("notebookPath or an image"));
    let not_notebook = CloudFunctionFields { notebook_path: Some("a.py".into()), ..body.clone() };
    assert!(c.create_cloud_function(&not_notebook).await.unwrap_err().to_string().contains("not a notebook"));
    let half = CloudFunctionFields { target_type: None, ..body.clone() };
    assert!(c.create_cloud_function(&half).await.unwrap_err().to_string().contains("go together"));

    // Update based on what was read: accepted, and lastUpdatedAt moves.
    let read = c.cloud_function(id).await.unwrap();
    let known = read.last_updated_at.clone().unwrap();
    let change = CloudFunctionFields { description: Some("v2".into()), ..CloudFunctionFields::default() };
    let updated = c.update_cloud_function(id, &change, Some(&known), false).await.unwrap();
    assert_eq!(updated.description.as_deref(), Some("v2"));
    assert_ne!(updated.last_updated_at.as_deref(), Some(known.as_str()));
    assert_eq!(updated.status, FunctionStatus::Active, "a description change does not redeploy");

    // The same stale time again: 409, with the time of the change that won.
    let e = c.update_cloud_function(id, &change, Some(&known), false).await.unwrap_err();
    assert!(matches!(e, ApiError::Conflict { status: 409, .. }), "{e:?}");
    assert!(e.to_string().contains(updated.last_updated_at.as_deref().unwrap()), "{e}");
    // Without the time the update is unconditional; switching to an image redeploys.
    let to_image =
        CloudFunctionFields { image: Some("ghcr.io/acme/recommend:2".into()), ..CloudFunctionFields::default() };
    let u = c.update_cloud_function(id, &to_image, None, false).await.unwrap();
    assert_eq!(u.status, FunctionStatus::Initializing);
    let e = c.update_cloud_function(id, &CloudFunctionFields::default(), Some("yesterday"), false).await.unwrap_err();
    assert!(e.to_string().contains("lastKnownUpdatedAt"), "{e}");

    let deleted = c.delete_cloud_function(id).await.unwrap();
    assert_eq!((deleted.service_id, deleted.status), (id, FunctionStatus::Deleted));
    assert!(matches!(c.cloud_function(id).await.unwrap_err(), ApiError::NotFound { .. }));
    assert!(matches!(c.delete_cloud_function(id).await.unwrap_err(), ApiError::NotFound { .. }));
    h.shutdown().await;
}

#[tokio::test]
async fn get_flows_and_functions() {
    let h = live::sim_at(500.0, Seed::Demo).await;
    let out = live::s2tui_async(&h, &["get", "flows"], &[]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("orders-cdc") && !text.contains("legacy-mysql-migration"), "{text}");
    let out = live::s2tui_async(&h, &["get", "flows", "--include-terminated"], &[]).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("legacy-mysql-migration"));

    let out = live::s2tui_async(&h, &["get", "functions", "-o", "json"], &[]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["churn-score", "daily-digest", "embeddings"]);
    let out = live::s2tui_async(&h, &["get", "functions"], &[]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("churn-score") && text.contains("Active"), "{text}");
    h.shutdown().await;
}
