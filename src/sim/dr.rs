//! Storage disaster recovery of workspace groups (SmartDR).
//!
//! Setting DR up creates a standby group in the secondary region and starts replicating the
//! chosen databases to it; each database's replica is `Pending` until its first copy lands,
//! then `Active`. Failover moves the compute to the secondary (the secondary group becomes the
//! one that serves, `smartDRStatus` ACTIVE, the primary STANDBY); failback moves it home.
//! While either runs, replication pauses (`Inactive`) and then catches up in the other
//! direction. Pre-provisioning starts or stops the secondary's compute ahead of a failover.
//! Progress is derived from the clock, like every other transition of the simulator.
//!
//! Construct with `DrStore::default()`.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use chrono::{DateTime, Utc};
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::extract::JsonBody;
use super::routes::{Params, decode, json, json_fields, path_id};
use super::world::{AuditEvent, GroupRec, World, durations};
use super::{AppState, SimError, SimResult};
use crate::api::types::*;

/// One database replicated to the secondary; its replica lands at `synced_at`.
#[derive(Debug, Clone)]
pub struct DrDatabase {
    pub name: String,
    pub synced_at: DateTime<Utc>,
}

/// A failover, failback or pre-provisioning step in progress (or the latest one, finished).
#[derive(Debug, Clone)]
pub struct DrOp {
    pub kind: DrType,
    pub started: DateTime<Utc>,
    pub due: DateTime<Utc>,
    pub total_workspaces: u32,
    pub total_attachments: u32,
    /// `Active` until `due`, then `Completed`.
    pub state: DrState,
}

/// DR of one group.
#[derive(Debug, Clone)]
pub struct DrSetup {
    pub primary: Uuid,
    pub secondary: Uuid,
    pub databases: Vec<DrDatabase>,
    pub auto_replication: bool,
    /// The secondary serves writes.
    pub failed_over: bool,
    pub pre_provisioned: bool,
    pub op: Option<DrOp>,
}

#[derive(Debug, Default)]
pub struct DrStore {
    /// By primary group.
    pub setups: BTreeMap<Uuid, DrSetup>,
    /// The storage retention period (minutes) set per group.
    pub retention: BTreeMap<Uuid, u32>,
}

impl DrStore {
    /// The setup a group takes part in, as primary or as secondary.
    pub fn of(&self, group: Uuid) -> Option<&DrSetup> {
        self.setups.get(&group).or_else(|| self.setups.values().find(|s| s.secondary == group))
    }

    fn of_mut(&mut self, group: Uuid) -> Option<&mut DrSetup> {
        let primary = self.of(group)?.primary;
        self.setups.get_mut(&primary)
    }
}

/// Finishes every operation that has come due and flips which group serves.
pub fn advance(w: &mut World) {
    let now = w.clock.now();
    let replicate = w.clock.scaled(durations::DR_REPLICATE);
    let mut flips = Vec::new();
    for s in w.dr.setups.values_mut() {
        let Some(op) = s.op.as_mut().filter(|o| o.state == DrState::Active && o.due <= now) else { continue };
        op.state = DrState::Completed;
        let landed = op.due;
        match op.kind {
            DrType::Failover | DrType::Failback => {
                s.failed_over = op.kind == DrType::Failover;
                // Replication resumes from the serving side; every replica catches up again.
                for (i, db) in s.databases.iter_mut().enumerate() {
                    db.synced_at = landed + replicate * (i as i32 + 1);
                }
                flips.push((s.primary, s.secondary, s.failed_over));
            }
            DrType::PreProvisionStart => s.pre_provisioned = true,
            DrType::PreProvisionStop => s.pre_provisioned = false,
            DrType::Unknown(_) => {}
        }
    }
    for (primary, secondary, failed_over) in flips {
        let (serving, standby) = if failed_over { (secondary, primary) } else { (primary, secondary) };
        if let Some(g) = w.groups.get_mut(&serving) {
            g.api.smart_dr_status = Some(SmartDrStatus::Active);
        }
        if let Some(g) = w.groups.get_mut(&standby) {
            g.api.smart_dr_status = Some(SmartDrStatus::Standby);
        }
    }
}

pub fn routes() -> Router<AppState> {
    let base = "/v1/workspaceGroups/{workspaceGroupID}/storage";
    Router::new()
        .route(&format!("{base}/DR/status"), get(status))
        .route(&format!("{base}/DR/regions"), get(regions))
        .route(&format!("{base}/DR/setup"), post(setup))
        .route(&format!("{base}/DR/failover"), patch(failover))
        .route(&format!("{base}/DR/failback"), patch(failback))
        .route(&format!("{base}/DR/startPreProvision"), patch(start_pre_provision))
        .route(&format!("{base}/DR/stopPreProvision"), patch(stop_pre_provision))
        .route(&format!("{base}/retentionPeriod"), patch(retention))
}

/// A live group, or the service's 404 / 400.
fn live_group(w: &World, raw: &str) -> SimResult<(Uuid, GroupRec)> {
    let id = path_id(raw, "workspaceGroupID")?;
    let g = super::routes::groups::group(w, id)?;
    if g.api.state == WorkspaceGroupState::Terminated {
        return Err(SimError::bad_request(format!("workspace group {id} is terminated")));
    }
    Ok((id, g.clone()))
}

/// The status as the API reports it, at `now`.
pub fn status_of(w: &World, s: &DrSetup) -> StorageDrStatus {
    let now = w.clock.now();
    let region_of = |g: Uuid| w.groups.get(&g).map(|g| g.api.region_name.clone()).unwrap_or_default();
    // Replicas live where the group that does not serve is.
    let replica_region = region_of(if s.failed_over { s.primary } else { s.secondary });
    let moving =
        s.op.as_ref()
            .is_some_and(|o| o.state == DrState::Active && matches!(o.kind, DrType::Failover | DrType::Failback));
    let storage = s
        .databases
        .iter()
        .map(|db| ReplicatedDatabase {
            database_name: db.name.clone(),
            duplication_state: if moving {
                DuplicationState::Inactive
            } else if db.synced_at <= now {
                DuplicationState::Active
            } else {
                DuplicationState::Pending
            },
            region: replica_region.clone(),
        })
        .collect();
    let compute = s.op.as_ref().map(|o| {
        let total = (o.due - o.started).num_microseconds().unwrap_or(1).max(1) as f64;
        let done = (now - o.started).num_microseconds().unwrap_or(0) as f64;
        let f = if o.state == DrState::Active { (done / total).clamp(0.0, 1.0) } else { 1.0 };
        let part = |n: u32| (f * n as f64).floor() as u32;
        let compute_moves = !matches!(o.kind, DrType::PreProvisionStop);
        DrCompute {
            storage_dr_state: o.state.clone(),
            storage_dr_type: o.kind.clone(),
            completed_workspaces: compute_moves.then(|| part(o.total_workspaces)),
            total_workspaces: compute_moves.then_some(o.total_workspaces),
            completed_attachments: compute_moves.then(|| part(o.total_attachments)),
            total_attachments: compute_moves.then_some(o.total_attachments),
            secondary_workspace_group_ids: vec![s.secondary],
        }
    });
    StorageDrStatus { compute, storage }
}

async fn status(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    let w = s.world();
    let id = path_id(&raw, "workspaceGroupID")?;
    super::routes::groups::group(&w, id)?;
    let setup =
        w.dr.of(id).ok_or_else(|| SimError::not_found(format!("storage DR is not set up for workspace group {id}")))?;
    Ok(json(&status_of(&w, setup)))
}

/// Regions of the group's cloud other than its own.
fn eligible(w: &World, g: &GroupRec) -> Vec<Region> {
    w.regions.iter().filter(|r| r.provider == g.api.provider && r.region_id != g.api.region_id).cloned().collect()
}

async fn regions(State(s): State<AppState>, Path(raw): Path<String>, p: Params) -> SimResult<Response> {
    let w = s.world();
    let (_, g) = live_group(&w, &raw)?;
    Ok(json_fields(&eligible(&w, &g), &p))
}

/// Databases of the group's workspaces.
fn databases_of(w: &World, group: Uuid) -> Vec<String> {
    let mut names: Vec<String> = w
        .workspaces
        .children(group)
        .filter(|ws| ws.api.state != WorkspaceState::Terminated)
        .flat_map(|ws| ws.databases())
        .filter(|d| d != "information_schema_ext")
        .collect();
    names.sort();
    names.dedup();
    names
}

async fn setup(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let body: StorageDrSetup = decode(body)?;
    let mut w = s.world();
    let (id, g) = live_group(&w, &raw)?;
    if w.dr.of(id).is_some() {
        return Err(SimError::bad_request(format!("storage DR is already set up for workspace group {id}")));
    }
    if g.api.state != WorkspaceGroupState::Active {
        return Err(SimError::bad_request(format!("workspace group {id} is {}; it must be ACTIVE", g.api.state)));
    }
    let region = eligible(&w, &g).into_iter().find(|r| r.region_id == body.region_id).ok_or_else(|| {
        SimError::bad_request(format!(
            "region {} cannot hold the secondary of this group: it must be another {} region",
            body.region_id, g.api.provider
        ))
    })?;
    let known = databases_of(&w, id);
    let auto = body.auto_replication.unwrap_or(false);
    let mut chosen: Vec<String> = body.database_names.iter().map(|d| d.trim().to_string()).collect();
    if let Some(bad) = chosen.iter().find(|d| !known.contains(d)) {
        return Err(SimError::bad_request(format!("database {bad:?} not found in workspace group {id}")));
    }
    if auto {
        chosen = known;
    }
    if chosen.is_empty() {
        return Err(SimError::bad_request("databaseNames must name at least one database (or set autoReplication)"));
    }
    chosen.sort();
    chosen.dedup();
    let now = w.clock.now();
    let replicate = w.clock.scaled(durations::DR_REPLICATE);
    let databases = chosen
        .iter()
        .enumerate()
        .map(|(i, name)| DrDatabase { name: name.clone(), synced_at: now + replicate * (i as i32 + 1) })
        .collect();
    // The standby group that takes over on failover.
    let secondary = Uuid::new_v4();
    let mut api = g.api.clone();
    api.workspace_group_id = secondary;
    api.name = format!("{}-secondary", g.api.name);
    api.region_id = region.region_id;
    api.region_name = w.region_name_of(region.region_id).map_or(region.region.clone(), |r| r.region_name.clone());
    api.created_at = format_time(now);
    api.smart_dr_status = Some(SmartDrStatus::Standby);
    api.state = WorkspaceGroupState::Active;
    let region_name = api.region_name.clone();
    w.groups.insert(
        secondary,
        GroupRec {
            api,
            pending: None,
            admin_password: g.admin_password.clone(),
            firewall_pending: None,
            holds_one_cluster: false,
        },
    );
    if let Some(p) = w.groups.get_mut(&id) {
        p.api.smart_dr_status = Some(SmartDrStatus::Active);
    }
    w.dr.setups.insert(
        id,
        DrSetup {
            primary: id,
            secondary,
            databases,
            auto_replication: auto,
            failed_over: false,
            pre_provisioned: false,
            op: None,
        },
    );
    w.audit_api(AuditEvent {
        kind: "StorageDR.Setup".into(),
        reason: format!(
            "Storage DR set up for workspace group \"{}\" to {region_name}: {}",
            g.api.name,
            chosen.join(", ")
        ),
        workspace_group_id: Some(id),
        attributes: Some(
            j!({ "regionID": region.region_id, "databaseNames": chosen, "secondaryWorkspaceGroupID": secondary }),
        ),
        ..Default::default()
    });
    Ok(StatusCode::OK.into_response())
}

/// Starts `kind` on the group's DR if its state allows it.
fn start(w: &mut World, raw: &str, kind: DrType) -> SimResult<Response> {
    let id = path_id(raw, "workspaceGroupID")?;
    super::routes::groups::group(w, id)?;
    let now = w.clock.now();
    let setup =
        w.dr.of(id)
            .cloned()
            .ok_or_else(|| SimError::bad_request(format!("storage DR is not set up for workspace group {id}")))?;
    if let Some(op) = setup.op.as_ref().filter(|o| o.state == DrState::Active) {
        return Err(SimError::bad_request(format!("a {} is in progress; wait until it completes", op.kind)));
    }
    let lagging: Vec<&str> = setup.databases.iter().filter(|d| d.synced_at > now).map(|d| d.name.as_str()).collect();
    let refuse = |why: String| Err(SimError::bad_request(why));
    match kind {
        DrType::Failover if setup.failed_over => return refuse("the group has already failed over".into()),
        DrType::Failback if !setup.failed_over => return refuse("the group has not failed over".into()),
        DrType::Failover | DrType::Failback if !lagging.is_empty() => {
            return refuse(format!(
                "replication of {} is still catching up; try again once it is Active",
                lagging.join(", ")
            ));
        }
        DrType::PreProvisionStart if setup.pre_provisioned => return refuse("pre-provisioning is already on".into()),
        DrType::PreProvisionStop if !setup.pre_provisioned => return refuse("pre-provisioning is not on".into()),
        _ => {}
    }
    let realistic = match kind {
        DrType::Failover => durations::DR_FAILOVER,
        DrType::Failback => durations::DR_FAILBACK,
        _ => durations::DR_PRE_PROVISION,
    };
    let workspaces =
        w.workspaces.children(setup.primary).filter(|ws| ws.api.state != WorkspaceState::Terminated).count() as u32;
    let op = DrOp {
        kind: kind.clone(),
        started: now,
        due: w.clock.due_in(realistic),
        total_workspaces: workspaces,
        total_attachments: workspaces * setup.databases.len() as u32,
        state: DrState::Active,
    };
    if let Some(s) = w.dr.of_mut(id) {
        s.op = Some(op);
    }
    let region_of = |g: Uuid| w.groups.get(&g).map(|g| (g.api.name.clone(), g.api.region_name.clone()));
    let (name, _) = region_of(setup.primary).unwrap_or_default();
    let (_, to) = region_of(if kind == DrType::Failback { setup.primary } else { setup.secondary }).unwrap_or_default();
    let reason = match kind {
        DrType::Failover => format!("Failover of workspace group \"{name}\" to {to} started"),
        DrType::Failback => format!("Failback of workspace group \"{name}\" to {to} started"),
        DrType::PreProvisionStart => format!("Pre-provisioning of workspace group \"{name}\" in {to} started"),
        _ => format!("Pre-provisioning of workspace group \"{name}\" in {to} stopped"),
    };
    w.audit_api(AuditEvent {
        kind: format!("StorageDR.{kind}"),
        reason,
        workspace_group_id: Some(setup.primary),
        attributes: Some(j!({ "secondaryWorkspaceGroupID": setup.secondary })),
        ..Default::default()
    });
    Ok(StatusCode::OK.into_response())
}

async fn failover(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    start(&mut s.world(), &raw, DrType::Failover)
}

async fn failback(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    start(&mut s.world(), &raw, DrType::Failback)
}

async fn start_pre_provision(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    start(&mut s.world(), &raw, DrType::PreProvisionStart)
}

async fn stop_pre_provision(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    start(&mut s.world(), &raw, DrType::PreProvisionStop)
}

/// The longest retention the simulator accepts: 30 days.
const MAX_RETENTION_MINUTES: u32 = 30 * 24 * 60;

async fn retention(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let body: RetentionPeriod = decode(body)?;
    let mut w = s.world();
    let (id, g) = live_group(&w, &raw)?;
    if body.retention_period > MAX_RETENTION_MINUTES {
        return Err(SimError::bad_request(format!(
            "retentionPeriod must be at most {MAX_RETENTION_MINUTES} minutes (30 days)"
        )));
    }
    w.dr.retention.insert(id, body.retention_period);
    w.audit_api(AuditEvent {
        kind: "WorkspaceGroup.RetentionPeriod".into(),
        reason: format!(
            "Storage retention of workspace group \"{}\" set to {} minutes",
            g.api.name, body.retention_period
        ),
        workspace_group_id: Some(id),
        ..Default::default()
    });
    Ok(StatusCode::OK.into_response())
}
