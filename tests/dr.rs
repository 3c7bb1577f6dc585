//! Storage DR over real HTTP: setup, replication, failover, failback, pre-provisioning and the
//! retention period, the client against the simulator; `s2tui get dr` as a real process.
#![allow(clippy::unwrap_used)]

#[path = "common/live.rs"]
mod live;

use std::time::{Duration, Instant};

use live::client;
use s2tui::api::ApiError;
use s2tui::api::Client;
use s2tui::api::types::*;
use s2tui::sim::Seed;
use uuid::Uuid;

fn group_named(groups: &[WorkspaceGroup], name: &str) -> WorkspaceGroup {
    groups.iter().find(|g| g.name == name).unwrap().clone()
}

/// Polls the status until `done` says so, or fails after a deadline.
async fn wait_for(c: &Client, group: Uuid, what: &str, done: impl Fn(&StorageDrStatus) -> bool) -> StorageDrStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = c.dr_status(group).await.unwrap().unwrap();
        if done(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "{what} never happened: {s:?}");
        tokio::task::yield_now().await;
    }
}

fn replicated(s: &StorageDrStatus) -> bool {
    !s.storage.is_empty() && s.storage.iter().all(|d| d.duplication_state == DuplicationState::Active)
}

fn completed(kind: DrType) -> impl Fn(&StorageDrStatus) -> bool {
    move |s| s.compute.as_ref().is_some_and(|c| c.storage_dr_type == kind && c.storage_dr_state == DrState::Completed)
}

#[tokio::test]
async fn a_failover_drill_moves_the_serving_region_and_back() {
    let h = live::sim_at(200.0, Seed::Demo).await;
    let c = client(&h);
    let prod = group_named(&c.workspace_groups(false).await.unwrap(), "Production");
    assert_eq!(prod.smart_dr_status, None);
    // Not set up yet: the status read says so, and a failover is refused.
    assert_eq!(c.dr_status(prod.workspace_group_id).await.unwrap(), None);
    let e = c.dr_operation(prod.workspace_group_id, &DrType::Failover).await.unwrap_err();
    assert!(matches!(e, ApiError::BadRequest { .. }), "{e:?}");
    assert!(e.to_string().contains("not set up"), "{e}");

    // Eligible regions: the group's cloud, not its own region.
    let regions = c.dr_regions(prod.workspace_group_id).await.unwrap();
    assert!(!regions.is_empty());
    assert!(regions.iter().all(|r| r.provider == prod.provider && r.region_id != prod.region_id));
    let to = regions[0].clone();

    // Bad setups are refused with the reason.
    let bad_db =
        StorageDrSetup { region_id: to.region_id, database_names: vec!["nope".into()], auto_replication: None };
    let e = c.dr_setup(prod.workspace_group_id, &bad_db).await.unwrap_err();
    assert!(e.to_string().contains("\"nope\" not found"), "{e}");
    let bad_region = StorageDrSetup {
        region_id: prod.region_id,
        database_names: vec!["prod_ingest_db".into()],
        auto_replication: None,
    };
    let e = c.dr_setup(prod.workspace_group_id, &bad_region).await.unwrap_err();
    assert!(e.to_string().contains("cannot hold the secondary"), "{e}");

    let setup = StorageDrSetup {
        region_id: to.region_id,
        database_names: vec!["prod_ingest_db".into(), "prod_analytics_db".into()],
        auto_replication: None,
    };
    c.dr_setup(prod.workspace_group_id, &setup).await.unwrap();
    let e = c.dr_setup(prod.workspace_group_id, &setup).await.unwrap_err();
    assert!(e.to_string().contains("already set up"), "{e}");

    let s = c.dr_status(prod.workspace_group_id).await.unwrap().unwrap();
    assert_eq!(s.compute, None, "no operation yet");
    let names: Vec<&str> = s.storage.iter().map(|d| d.database_name.as_str()).collect();
    assert_eq!(names, ["prod_analytics_db", "prod_ingest_db"]);
    let s = wait_for(&c, prod.workspace_group_id, "replication", replicated).await;
    let groups = c.workspace_groups(false).await.unwrap();
    let secondary = group_named(&groups, "Production-secondary");
    assert_eq!(s.storage[0].region, secondary.region_name, "replicas live in the secondary");
    assert_eq!(group_named(&groups, "Production").smart_dr_status, Some(SmartDrStatus::Active));
    assert_eq!(secondary.smart_dr_status, Some(SmartDrStatus::Standby));
    // The secondary reports the same DR.
    assert_eq!(c.dr_status(secondary.workspace_group_id).await.unwrap().unwrap().storage.len(), 2);

    // Failover: in progress, then the secondary serves.
    c.dr_operation(prod.workspace_group_id, &DrType::Failover).await.unwrap();
    let e = c.dr_operation(prod.workspace_group_id, &DrType::Failback).await.unwrap_err();
    assert!(e.to_string().contains("in progress") || e.to_string().contains("not failed over"), "{e}");
    wait_for(&c, prod.workspace_group_id, "failover", completed(DrType::Failover)).await;
    let groups = c.workspace_groups(false).await.unwrap();
    assert_eq!(group_named(&groups, "Production").smart_dr_status, Some(SmartDrStatus::Standby));
    assert_eq!(group_named(&groups, "Production-secondary").smart_dr_status, Some(SmartDrStatus::Active));
    let e = c.dr_operation(prod.workspace_group_id, &DrType::Failover).await.unwrap_err();
    assert!(e.to_string().contains("already failed over"), "{e}");

    // Replication runs the other way; failback waits for it, then moves home.
    let s = wait_for(&c, prod.workspace_group_id, "reverse replication", replicated).await;
    assert_eq!(s.storage[0].region, prod.region_name, "replicas now live in the primary's region");
    c.dr_operation(prod.workspace_group_id, &DrType::Failback).await.unwrap();
    let s = wait_for(&c, prod.workspace_group_id, "failback", completed(DrType::Failback)).await;
    let compute = s.compute.unwrap();
    assert_eq!(compute.completed_workspaces, compute.total_workspaces);
    assert_eq!(compute.total_workspaces, Some(3));
    assert_eq!(compute.secondary_workspace_group_ids, vec![secondary.workspace_group_id]);
    let groups = c.workspace_groups(false).await.unwrap();
    assert_eq!(group_named(&groups, "Production").smart_dr_status, Some(SmartDrStatus::Active));

    // Each step is in the audit log.
    for k in ["StorageDR.Setup", "StorageDR.Failover", "StorageDR.Failback"] {
        let q = AuditLogQuery { kind: Some(k.into()), ..AuditLogQuery::default() };
        let page = c.audit_logs(&q).await.unwrap();
        assert_eq!(page.audit_logs.len(), 1, "{k}");
        assert_eq!(page.audit_logs[0].cluster_id, Some(prod.workspace_group_id));
    }
    h.shutdown().await;
}

#[tokio::test]
async fn pre_provisioning_and_the_retention_period() {
    let h = live::sim_at(500.0, Seed::Demo).await;
    let c = client(&h);
    let g = group_named(&c.workspace_groups(false).await.unwrap(), "Staging");
    let e = c.dr_operation(g.workspace_group_id, &DrType::PreProvisionStart).await.unwrap_err();
    assert!(e.to_string().contains("not set up"), "{e}");
    let to = c.dr_regions(g.workspace_group_id).await.unwrap()[0].region_id;
    let setup = StorageDrSetup { region_id: to, database_names: vec![], auto_replication: Some(true) };
    c.dr_setup(g.workspace_group_id, &setup).await.unwrap();
    let s = c.dr_status(g.workspace_group_id).await.unwrap().unwrap();
    let names: Vec<&str> = s.storage.iter().map(|d| d.database_name.as_str()).collect();
    assert_eq!(names, ["staging_app_db", "staging_etl_db"], "auto replication takes every live database");

    c.dr_operation(g.workspace_group_id, &DrType::PreProvisionStart).await.unwrap();
    wait_for(&c, g.workspace_group_id, "pre-provisioning", completed(DrType::PreProvisionStart)).await;
    let e = c.dr_operation(g.workspace_group_id, &DrType::PreProvisionStart).await.unwrap_err();
    assert!(e.to_string().contains("already on"), "{e}");
    c.dr_operation(g.workspace_group_id, &DrType::PreProvisionStop).await.unwrap();
    wait_for(&c, g.workspace_group_id, "stop", completed(DrType::PreProvisionStop)).await;

    c.set_retention_period(g.workspace_group_id, 1440).await.unwrap();
    let e = c.set_retention_period(g.workspace_group_id, 10_000_000).await.unwrap_err();
    assert!(e.to_string().contains("at most"), "{e}");
    let (status, text) = live::raw(
        &h,
        reqwest::Method::PATCH,
        &format!("/v1/workspaceGroups/{}/storage/retentionPeriod", g.workspace_group_id),
        Some(serde_json::json!({ "retentionPeriod": -5 })),
    )
    .await;
    assert_eq!(status, 400, "{text}");
    // The API answers 404 for a group without DR and for no such group alike.
    assert_eq!(c.dr_status(Uuid::new_v4()).await.unwrap(), None);
    h.shutdown().await;
}

#[tokio::test]
async fn get_dr_prints_the_replicas_and_the_latest_operation() {
    let h = live::sim_at(1000.0, Seed::Demo).await;
    let c = client(&h);
    let out = live::s2tui_async(&h, &["get", "dr", "Production"], &[]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not set up"), "{text}");

    let g = group_named(&c.workspace_groups(false).await.unwrap(), "Production");
    let to = c.dr_regions(g.workspace_group_id).await.unwrap()[0].clone();
    let setup = StorageDrSetup {
        region_id: to.region_id,
        database_names: vec!["prod_ingest_db".into()],
        auto_replication: None,
    };
    c.dr_setup(g.workspace_group_id, &setup).await.unwrap();
    wait_for(&c, g.workspace_group_id, "replication", replicated).await;
    c.dr_operation(g.workspace_group_id, &DrType::Failover).await.unwrap();
    wait_for(&c, g.workspace_group_id, "failover", completed(DrType::Failover)).await;

    let out = live::s2tui_async(&h, &["get", "dr", "Production"], &[]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("prod_ingest_db"), "{text}");
    assert!(text.contains("Failover Completed"), "{text}");
    assert!(text.contains("writes served by Production-secondary"), "{text}");

    let out = live::s2tui_async(&h, &["get", "dr", "Production", "-o", "json"], &[]).await;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"]["compute"]["storageDRType"], "Failover");
    h.shutdown().await;
}
