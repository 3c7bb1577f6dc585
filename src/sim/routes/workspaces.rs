//! Workspaces: list, create, read, update (resize), terminate, suspend, resume.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::groups::group;
use super::{Params, decode, json, json_fields, path_id};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::{AuditEvent, Pending, WorkspaceRec, durations};
use crate::sim::{AppState, SimError, SimResult, World};

/// Sizes the service offers, smallest first.
pub const SIZES: &[&str] = &[
    "S-00", "S-0", "S-1", "S-2", "S-4", "S-6", "S-8", "S-12", "S-16", "S-20", "S-24", "S-28", "S-32", "S-40", "S-48",
    "S-56", "S-64",
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/workspaces", get(list).post(create))
        .route("/v1/workspaces/{workspaceID}", get(one).patch(update).delete(terminate))
        .route("/v1/workspaces/{workspaceID}/suspend", post(suspend))
        .route("/v1/workspaces/{workspaceID}/resume", post(resume))
}

/// The workspace, or 404.
pub fn workspace(w: &World, id: Uuid) -> SimResult<&WorkspaceRec> {
    w.workspaces.get(&id).ok_or_else(|| SimError::not_found(format!("workspace {id} not found")))
}

fn workspace_mut(w: &mut World, id: Uuid) -> SimResult<&mut WorkspaceRec> {
    w.workspaces.get_mut(&id).ok_or_else(|| SimError::not_found(format!("workspace {id} not found")))
}

/// The endpoint host of a workspace in a region (`svc-<uuid>-dml.<cell>.svc.singlestore.com`).
pub fn endpoint_for(id: Uuid, provider: &Provider, region_name: &str) -> String {
    let cell = cell_of(provider, region_name);
    format!("svc-{id}-dml.{cell}.svc.singlestore.com")
}

/// The service's cell name for a region code (e.g. `us-west-2` → `aws-oregon-3`).
pub fn cell_of(provider: &Provider, region_name: &str) -> String {
    let city = match region_name {
        "us-east-1" => "virginia-6",
        "us-west-2" => "oregon-3",
        "eu-central-1" => "frankfurt-1",
        "us-central1" => "iowa-1",
        "europe-west1" => "belgium-1",
        "eastus" => "virginia-2",
        "westeurope" => "netherlands-1",
        other => other,
    };
    format!("{}-{city}", provider.as_str().to_ascii_lowercase())
}

pub(super) fn validate_size(size: &str) -> SimResult<()> {
    let well_formed = size.strip_prefix("S-").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if !well_formed {
        return Err(SimError::bad_request(format!("invalid size {size:?}: expected S-<number>, e.g. S-00, S-1, S-2")));
    }
    if !SIZES.contains(&size) {
        return Err(SimError::bad_request(format!(
            "size {size:?} is not available; available sizes: {}",
            SIZES.join(", ")
        )));
    }
    Ok(())
}

pub(super) fn validate_multiplier(what: &str, v: Option<f64>) -> SimResult<()> {
    match v {
        Some(x) if ![1.0, 2.0, 4.0].contains(&x) => Err(SimError::bad_request(format!("{what} must be 1, 2 or 4"))),
        _ => Ok(()),
    }
}

fn validate_name(name: &str) -> SimResult<()> {
    let mut chars = name.chars();
    let starts_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !starts_ok || !rest_ok || name.len() > 64 {
        return Err(SimError::bad_request(format!(
            "invalid workspace name {name:?}: it must start with a letter, contain only letters, digits, '-' and '_', and be at most 64 characters long"
        )));
    }
    Ok(())
}

/// Auto-suspend as read back after a create/update request; `None` = disabled.
pub(super) fn auto_suspend_from(
    s: &AutoSuspendSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> SimResult<Option<AutoSuspend>> {
    let at = format_time(now);
    let secs = s.suspend_after_seconds;
    if secs.is_some_and(|x| x <= 0.0) {
        return Err(SimError::bad_request("autoSuspend.suspendAfterSeconds must be positive"));
    }
    if secs.is_some_and(|x| !x.is_finite() || x > 315_360_000.0) {
        return Err(SimError::bad_request("autoSuspend.suspendAfterSeconds must be at most ten years"));
    }
    match s.suspend_type.clone().unwrap_or(SuspendType::Idle) {
        SuspendType::Disabled => Ok(None),
        SuspendType::Idle => Ok(Some(AutoSuspend {
            suspend_type: SuspendType::Idle,
            idle_after_seconds: Some(secs.unwrap_or(1200.0)),
            idle_changed_at: Some(at.clone()),
            scheduled_after_seconds: None,
            scheduled_changed_at: None,
            scheduled_suspend_at: None,
            suspend_type_changed_at: Some(at),
        })),
        SuspendType::Scheduled => {
            let secs = secs.unwrap_or(3600.0);
            Ok(Some(AutoSuspend {
                suspend_type: SuspendType::Scheduled,
                idle_after_seconds: None,
                idle_changed_at: None,
                scheduled_after_seconds: Some(secs),
                scheduled_changed_at: Some(at.clone()),
                scheduled_suspend_at: Some(format_time(now + chrono::Duration::seconds(secs as i64))),
                suspend_type_changed_at: Some(at),
            }))
        }
        SuspendType::Unknown(t) => Err(SimError::bad_request(format!(
            "invalid autoSuspend.suspendType {t:?}: expected IDLE, SCHEDULED or DISABLED"
        ))),
    }
}

pub(super) fn validate_auto_scale(a: &AutoScale) -> SimResult<()> {
    validate_multiplier("autoScale.maxScaleFactor", a.max_scale_factor)?;
    if let Some(AutoScaleSensitivity::Unknown(s)) = &a.sensitivity {
        return Err(SimError::bad_request(format!(
            "invalid autoScale.sensitivity {s:?}: expected LOW, NORMAL or HIGH"
        )));
    }
    Ok(())
}

pub(super) fn validate_deployment(d: &Option<DeploymentType>) -> SimResult<()> {
    if let Some(DeploymentType::Unknown(s)) = d {
        return Err(SimError::bad_request(format!(
            "invalid deploymentType {s:?}: expected PRODUCTION or NON-PRODUCTION"
        )));
    }
    Ok(())
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let group_id = p.required_uuid("workspaceGroupID")?;
    let include_terminated = p.flag("includeTerminated")?;
    let w = s.world();
    group(&w, group_id)?;
    let list: Vec<&Workspace> = w
        .workspaces
        .children(group_id)
        .map(|ws| &ws.api)
        .filter(|ws| include_terminated || ws.state != WorkspaceState::Terminated)
        .collect();
    Ok(json_fields(&list, &p))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    let w = s.world();
    Ok(json_fields(&workspace(&w, id)?.api, &p))
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: WorkspaceCreate = decode(body)?;
    validate_name(&body.name)?;
    let size = body.size.clone().unwrap_or_else(|| "S-00".to_string());
    validate_size(&size)?;
    validate_multiplier("scaleFactor", body.scale_factor)?;
    validate_multiplier("cacheConfig", body.cache_config)?;
    validate_deployment(&body.deployment_type)?;
    if let Some(a) = &body.auto_scale {
        validate_auto_scale(a)?;
    }
    let mut w = s.world();
    let now = w.clock.now();
    let g = w
        .groups
        .get(&body.workspace_group_id)
        .ok_or_else(|| SimError::bad_request(format!("workspace group {} not found", body.workspace_group_id)))?;
    if matches!(g.api.state, WorkspaceGroupState::Terminated | WorkspaceGroupState::Failed)
        || g.pending.as_ref().is_some_and(|p| p.to == WorkspaceGroupState::Terminated)
    {
        return Err(SimError::bad_request(format!(
            "workspace group \"{}\" is {} and cannot take new workspaces",
            g.api.name,
            g.api.state.as_str().to_lowercase()
        )));
    }
    let (group_name, provider, region_name) = (g.api.name.clone(), g.api.provider.clone(), g.api.region_name.clone());
    let group_deployment = g.api.deployment_type.clone();
    let taken = w
        .workspaces
        .children(body.workspace_group_id)
        .any(|ws| ws.api.state != WorkspaceState::Terminated && ws.api.name.eq_ignore_ascii_case(&body.name));
    if taken {
        return Err(SimError::bad_request(format!(
            "a workspace named \"{}\" already exists in workspace group \"{group_name}\"",
            body.name
        )));
    }
    let auto_suspend = match &body.auto_suspend {
        Some(a) => auto_suspend_from(a, now)?,
        None => None,
    };
    let id = Uuid::new_v4();
    let api = Workspace {
        workspace_id: id,
        workspace_group_id: body.workspace_group_id,
        name: body.name.clone(),
        size: size.clone(),
        state: WorkspaceState::Pending,
        created_at: format_time(now),
        auto_scale: body.auto_scale.clone().map(|a| AutoScale { changed_at: Some(format_time(now)), ..a }),
        auto_suspend,
        cache_config: Some(body.cache_config.unwrap_or(1.0)),
        deployment_type: Some(body.deployment_type.clone().or(group_deployment).unwrap_or(DeploymentType::Production)),
        endpoint: Some(endpoint_for(id, &provider, &region_name)),
        kai_enabled: Some(body.enable_kai.unwrap_or(false)),
        last_resumed_at: None,
        resume_attachments: None,
        scale_factor: Some(body.scale_factor.unwrap_or(1.0)),
        scaling_progress: None,
        terminated_at: None,
        extra: Default::default(),
    };
    let due = w.clock.due_in(durations::WS_CREATE);
    w.workspaces.insert(
        id,
        WorkspaceRec {
            api,
            pending: Some(Pending { to: WorkspaceState::Active, due }),
            pending_size: None,
            activity: Vec::new(),
            patch: None,
        },
    );
    w.audit_api(AuditEvent {
        kind: "Workspace.Create".into(),
        reason: format!("Workspace \"{}\" ({size}) created in workspace group \"{group_name}\"", body.name),
        workspace_group_id: Some(body.workspace_group_id),
        workspace_id: Some(id),
        attributes: Some(j!({ "size": size })),
        ..Default::default()
    });
    Ok(json(&WorkspaceIdReply { workspace_id: id }))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    let body: WorkspaceUpdate = decode(body)?;
    if let Some(size) = &body.size {
        validate_size(size)?;
    }
    validate_multiplier("scaleFactor", body.scale_factor)?;
    validate_multiplier("cacheConfig", body.cache_config)?;
    validate_deployment(&body.deployment_type)?;
    if let Some(a) = &body.auto_scale {
        validate_auto_scale(a)?;
    }
    let mut w = s.world();
    let now = w.clock.now();
    let resize_due = w.clock.due_in(durations::WS_RESIZE);
    let rec = workspace(&w, id)?;
    if rec.api.state != WorkspaceState::Active {
        return Err(SimError::conflict(format!(
            "workspace \"{}\" is {}; it can only be updated while ACTIVE",
            rec.api.name,
            rec.api.state.as_str()
        )));
    }
    if rec.pending.is_some() {
        return Err(SimError::conflict(format!(
            "workspace \"{}\" has a change in progress; try again when it has finished",
            rec.api.name
        )));
    }
    let auto_suspend = body.auto_suspend.as_ref().map(|a| auto_suspend_from(a, now)).transpose()?;
    let rec = workspace_mut(&mut w, id)?;
    let mut changed: Vec<String> = Vec::new();
    if let Some(size) = body.size.filter(|s| *s != rec.api.size) {
        changed.push(format!("size {} → {size}", rec.api.size));
        rec.pending_size = Some(size);
        rec.pending = Some(Pending { to: WorkspaceState::Active, due: resize_due });
        rec.api.scaling_progress = Some(0.0);
    }
    if let Some(sf) = body.scale_factor.filter(|sf| Some(*sf) != rec.api.scale_factor) {
        changed.push(format!("scale factor {sf}"));
        // A new scale factor bills from now on: close the span and reopen it.
        rec.close_span(now);
        rec.api.scale_factor = Some(sf);
        rec.open_span(now);
    }
    if let Some(c) = body.cache_config {
        rec.api.cache_config = Some(c);
        changed.push(format!("cache config {c}"));
    }
    if let Some(a) = body.auto_scale {
        rec.api.auto_scale = Some(AutoScale {
            changed_at: Some(format_time(now)),
            last_auto_scaled_at: rec.api.auto_scale.as_ref().and_then(|x| x.last_auto_scaled_at.clone()),
            ..a
        });
        changed.push("auto-scale".into());
    }
    if let Some(a) = auto_suspend {
        rec.api.auto_suspend = a;
        changed.push("auto-suspend".into());
    }
    if let Some(d) = body.deployment_type {
        changed.push(format!("deployment type {d}"));
        rec.api.deployment_type = Some(d);
    }
    if let Some(k) = body.enable_kai {
        rec.api.kai_enabled = Some(k);
        changed.push(format!("kai {}", if k { "enabled" } else { "disabled" }));
    }
    let (name, group_id) = (rec.api.name.clone(), rec.api.workspace_group_id);
    let kind = if rec.pending_size.is_some() { "Workspace.Resize" } else { "Workspace.Update" };
    let what = if changed.is_empty() { "nothing".to_string() } else { changed.join(", ") };
    w.audit_api(AuditEvent {
        kind: kind.into(),
        reason: format!("Workspace \"{name}\" updated: {what}"),
        workspace_group_id: Some(group_id),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&WorkspaceIdReply { workspace_id: id }))
}

async fn terminate(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    // Clients send ?force=false although the spec declares no such parameter: accepted, ignored.
    let _ = p.bool("force")?;
    let mut w = s.world();
    let due = w.clock.due_in(durations::WS_TERMINATE);
    let rec = workspace_mut(&mut w, id)?;
    if rec.api.state == WorkspaceState::Terminated
        || rec.pending.as_ref().is_some_and(|p| p.to == WorkspaceState::Terminated)
    {
        return Err(SimError::bad_request(format!("workspace \"{}\" is already terminated", rec.api.name)));
    }
    rec.pending_size = None;
    rec.api.scaling_progress = None;
    rec.pending = Some(Pending { to: WorkspaceState::Terminated, due });
    let (name, group_id) = (rec.api.name.clone(), rec.api.workspace_group_id);
    w.audit_api(AuditEvent {
        kind: "Workspace.Terminate".into(),
        reason: format!("Workspace \"{name}\" terminated"),
        workspace_group_id: Some(group_id),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&WorkspaceIdReply { workspace_id: id }))
}

async fn suspend(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    suspend_in(&mut s.world(), id)?;
    Ok(json(&WorkspaceIdReply { workspace_id: id }))
}

/// Starts suspending an ACTIVE workspace (a cluster at v2).
pub(super) fn suspend_in(w: &mut World, id: Uuid) -> SimResult<()> {
    let due = w.clock.due_in(durations::WS_SUSPEND);
    let rec = workspace_mut(w, id)?;
    if rec.api.state != WorkspaceState::Active {
        return Err(SimError::bad_request(format!(
            "workspace \"{}\" is {}; only an ACTIVE workspace can be suspended",
            rec.api.name,
            rec.api.state.as_str()
        )));
    }
    if rec.pending.is_some() {
        return Err(SimError::bad_request(format!(
            "workspace \"{}\" has a change in progress; try again when it has finished",
            rec.api.name
        )));
    }
    rec.pending = Some(Pending { to: WorkspaceState::Suspended, due });
    let (name, group_id) = (rec.api.name.clone(), rec.api.workspace_group_id);
    w.audit_api(AuditEvent {
        kind: "Workspace.Suspend".into(),
        reason: format!("Workspace \"{name}\" suspended"),
        workspace_group_id: Some(group_id),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(())
}

async fn resume(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    let body: WorkspaceResume = decode(body)?;
    resume_in(&mut s.world(), id, body.disable_auto_suspend == Some(true))?;
    Ok(json(&WorkspaceIdReply { workspace_id: id }))
}

/// Starts resuming a SUSPENDED workspace (a cluster at v2).
pub(super) fn resume_in(w: &mut World, id: Uuid, disable_auto_suspend: bool) -> SimResult<()> {
    let due = w.clock.due_in(durations::WS_RESUME);
    let rec = workspace_mut(w, id)?;
    if rec.api.state != WorkspaceState::Suspended {
        return Err(SimError::bad_request(format!(
            "workspace \"{}\" is {}; only a SUSPENDED workspace can be resumed",
            rec.api.name,
            rec.api.state.as_str()
        )));
    }
    if rec.pending.is_some() {
        return Err(SimError::bad_request(format!("workspace \"{}\" is already resuming", rec.api.name)));
    }
    if disable_auto_suspend {
        rec.api.auto_suspend = None;
    }
    rec.pending = Some(Pending { to: WorkspaceState::Active, due });
    let (name, group_id) = (rec.api.name.clone(), rec.api.workspace_group_id);
    w.audit_api(AuditEvent {
        kind: "Workspace.Resume".into(),
        reason: format!(
            "Workspace \"{name}\" resumed{}",
            if disable_auto_suspend { " with auto-suspend disabled" } else { "" }
        ),
        workspace_group_id: Some(group_id),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(())
}
