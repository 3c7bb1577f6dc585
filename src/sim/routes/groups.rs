//! Workspace groups: list, create, read, update, terminate.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::{
    Params, decode, generate_password, json, json_fields, parse_expires_at, password_problem, path_id, valid_cidr,
};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::{AuditEvent, GroupRec, Pending, durations};
use crate::sim::{AppState, SimError, SimResult, World};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/workspaceGroups", get(list).post(create))
        .route("/v1/workspaceGroups/{workspaceGroupID}", get(one).patch(update).delete(terminate))
}

/// The group, or 404.
pub fn group(w: &World, id: Uuid) -> SimResult<&GroupRec> {
    w.groups.get(&id).ok_or_else(|| SimError::not_found(format!("workspace group {id} not found")))
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let include_terminated = p.flag("includeTerminated")?;
    let w = s.world();
    let groups: Vec<&WorkspaceGroup> = w
        .groups
        .values()
        .map(|g| &g.api)
        .filter(|g| include_terminated || g.state != WorkspaceGroupState::Terminated)
        .collect();
    Ok(json_fields(&groups, &p))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "workspaceGroupID")?;
    let w = s.world();
    Ok(json_fields(&group(&w, id)?.api, &p))
}

fn validate_name(name: &str) -> SimResult<()> {
    let n = name.trim();
    if n.is_empty() {
        return Err(SimError::bad_request("name must not be empty"));
    }
    if n.chars().count() > 50 {
        return Err(SimError::bad_request("name must be at most 50 characters long"));
    }
    Ok(())
}

pub(super) fn validate_firewall(ranges: &[String]) -> SimResult<()> {
    match ranges.iter().find(|r| !valid_cidr(r.trim())) {
        Some(bad) => Err(SimError::bad_request(format!(
            "invalid firewall range {bad:?}: expected an IP address or CIDR block such as 192.168.0.1/32"
        ))),
        None => Ok(()),
    }
}

pub(super) fn validate_window(w: Option<UpdateWindow>) -> SimResult<()> {
    match w {
        Some(w) if w.day > 6 || w.hour > 23 => {
            Err(SimError::bad_request("updateWindow: day must be 0-6 (Sunday = 0) and hour 0-23 (UTC)"))
        }
        _ => Ok(()),
    }
}

pub(super) fn expires(raw: Option<&str>, w: &World) -> SimResult<Option<String>> {
    let Some(raw) = raw else { return Ok(None) };
    let now = w.clock.now();
    let at = parse_expires_at(raw, now)?;
    if at <= now {
        return Err(SimError::bad_request(format!("expiresAt {raw:?} is in the past")));
    }
    Ok(Some(format_time(at)))
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: WorkspaceGroupCreate = decode(body)?;
    validate_name(&body.name)?;
    validate_firewall(&body.firewall_ranges)?;
    validate_window(body.update_window)?;
    let mut w = s.world();
    let region = match (body.region_id, &body.provider, &body.region_name) {
        (Some(id), _, _) => w
            .regions
            .iter()
            .find(|r| r.region_id == id)
            .cloned()
            .ok_or_else(|| SimError::bad_request(format!("unknown regionID {id}")))?,
        (None, Some(provider), Some(name)) => {
            let v2 = w
                .regions_v2
                .iter()
                .find(|r| &r.provider == provider && r.region_name.eq_ignore_ascii_case(name))
                .ok_or_else(|| SimError::bad_request(format!("unknown region {name:?} for provider {provider}")))?;
            w.regions
                .iter()
                .find(|r| r.region == v2.region)
                .cloned()
                .ok_or_else(|| SimError::bad_request(format!("unknown region {name:?}")))?
        }
        _ => {
            return Err(SimError::bad_request("either regionID or provider and regionName must be given"));
        }
    };
    let region_name =
        w.region_name_of(region.region_id).map(|r| r.region_name.clone()).unwrap_or_else(|| region.region.clone());
    let expires_at = expires(body.expires_at.as_deref(), &w)?;
    let project = match body.project_id {
        Some(pid) => {
            super::projects::project(&w, pid).map_err(|_| SimError::bad_request(format!("project {pid} not found")))?
        }
        None => w.default_project().ok_or_else(|| SimError::bad_request("the organization has no project"))?,
    };
    let (project_id, project_name) = (project.project_id, project.name.clone());
    let (password, generated) = match body.admin_password.as_deref() {
        Some(p) if password_problem(p).is_none() => (p.to_string(), false),
        _ => (generate_password(), true),
    };
    let id = Uuid::new_v4();
    let now = w.clock.now();
    let api = WorkspaceGroup {
        workspace_group_id: id,
        name: body.name.trim().to_string(),
        state: WorkspaceGroupState::Pending,
        created_at: format_time(now),
        provider: region.provider.clone(),
        region_id: region.region_id,
        region_name,
        allow_all_traffic: Some(body.allow_all_traffic.unwrap_or(false)),
        deployment_type: Some(body.deployment_type.unwrap_or(DeploymentType::Production)),
        expires_at,
        firewall_ranges: Some(body.firewall_ranges.clone()),
        high_availability_two_zones: Some(body.high_availability_two_zones.unwrap_or(false)),
        opt_in_preview_feature: Some(body.opt_in_preview_feature.unwrap_or(false)),
        outbound_allow_list: None,
        project_id: Some(project_id),
        project_name: Some(project_name),
        smart_dr_status: None,
        terminated_at: None,
        update_window: Some(body.update_window.unwrap_or(UpdateWindow { day: 6, hour: 14 })),
        extra: Default::default(),
    };
    let reason = format!("Workspace group \"{}\" created in {} ({})", api.name, region.region, region.provider);
    let due = w.clock.due_in(durations::GROUP_CREATE);
    w.groups.insert(
        id,
        GroupRec {
            api,
            pending: Some(Pending { to: WorkspaceGroupState::Active, due }),
            admin_password: password.clone(),
            firewall_pending: None,
            holds_one_cluster: false,
        },
    );
    w.audit_api(AuditEvent {
        kind: "WorkspaceGroup.Create".into(),
        reason,
        workspace_group_id: Some(id),
        ..Default::default()
    });
    Ok(json(&WorkspaceGroupCreated { workspace_group_id: id, admin_password: generated.then_some(password) }))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "workspaceGroupID")?;
    let body: WorkspaceGroupUpdate = decode(body)?;
    let mut w = s.world();
    let state = group(&w, id)?.api.state.clone();
    if state == WorkspaceGroupState::Terminated {
        return Err(SimError::bad_request(format!("workspace group {id} is terminated")));
    }
    if let Some(n) = &body.name {
        validate_name(n)?;
    }
    if let Some(r) = &body.firewall_ranges {
        validate_firewall(r)?;
    }
    validate_window(body.update_window)?;
    if let Some(problem) = body.admin_password.as_deref().and_then(password_problem) {
        return Err(SimError::bad_request(problem));
    }
    let expires_at = expires(body.expires_at.as_deref(), &w)?;
    let mut changed: Vec<&str> = Vec::new();
    let rec = w.groups.get_mut(&id).ok_or_else(|| SimError::not_found(format!("workspace group {id} not found")))?;
    if let Some(n) = body.name {
        rec.api.name = n.trim().to_string();
        changed.push("name");
    }
    if let Some(r) = body.firewall_ranges {
        rec.api.firewall_ranges = Some(r);
        changed.push("firewall ranges");
    }
    if let Some(p) = body.admin_password {
        rec.admin_password = p;
        changed.push("admin password");
    }
    if expires_at.is_some() {
        rec.api.expires_at = expires_at;
        changed.push("expiry");
    }
    if let Some(u) = body.update_window {
        rec.api.update_window = Some(u);
        changed.push("update window");
    }
    if let Some(d) = body.deployment_type {
        rec.api.deployment_type = Some(d);
        changed.push("deployment type");
    }
    if let Some(a) = body.allow_all_traffic {
        rec.api.allow_all_traffic = Some(a);
        changed.push("allow all traffic");
    }
    let name = rec.api.name.clone();
    let what = if changed.is_empty() { "nothing".to_string() } else { changed.join(", ") };
    w.audit_api(AuditEvent {
        kind: "WorkspaceGroup.Update".into(),
        reason: format!("Workspace group \"{name}\" updated: {what}"),
        workspace_group_id: Some(id),
        attributes: Some(j!({ "changed": changed })),
        ..Default::default()
    });
    Ok(json(&WorkspaceGroupIdReply { workspace_group_id: id }))
}

async fn terminate(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "workspaceGroupID")?;
    let force = p.flag("force")?;
    let mut w = s.world();
    let rec = group(&w, id)?;
    if rec.api.state == WorkspaceGroupState::Terminated
        || rec.pending.as_ref().is_some_and(|p| p.to == WorkspaceGroupState::Terminated)
    {
        return Err(SimError::bad_request(format!("workspace group {id} is already terminated")));
    }
    let name = rec.api.name.clone();
    let live: Vec<Uuid> = w
        .workspaces
        .children(id)
        .filter(|ws| {
            ws.api.state != WorkspaceState::Terminated
                && !ws.pending.as_ref().is_some_and(|p| p.to == WorkspaceState::Terminated)
        })
        .map(|ws| ws.api.workspace_id)
        .collect();
    if !live.is_empty() && !force {
        return Err(SimError::bad_request(format!(
            "workspace group \"{name}\" still has {} workspace(s); terminate them first or use force=true",
            live.len()
        )));
    }
    let ws_due = w.clock.due_in(durations::WS_TERMINATE);
    let mut due = w.clock.due_in(durations::GROUP_TERMINATE);
    for ws_id in w.workspaces.child_ids(id) {
        let Some(ws) = w.workspaces.get_mut(&ws_id).filter(|ws| ws.api.state != WorkspaceState::Terminated) else {
            continue;
        };
        let ws_at = match &ws.pending {
            Some(p) if p.to == WorkspaceState::Terminated => p.due,
            _ => {
                ws.pending_size = None;
                ws.pending = Some(Pending { to: WorkspaceState::Terminated, due: ws_due });
                ws_due
            }
        };
        due = due.max(ws_at + chrono::Duration::microseconds(1));
    }
    let forced: Vec<(Uuid, String)> = live
        .iter()
        .filter_map(|ws_id| w.workspaces.get(ws_id))
        .map(|ws| (ws.api.workspace_id, ws.api.name.clone()))
        .collect();
    if let Some(g) = w.groups.get_mut(&id) {
        g.pending = Some(Pending { to: WorkspaceGroupState::Terminated, due });
    }
    for (ws_id, ws_name) in forced {
        w.audit_api(AuditEvent {
            kind: "Workspace.Terminate".into(),
            reason: format!("Workspace \"{ws_name}\" terminated with its group \"{name}\""),
            workspace_group_id: Some(id),
            workspace_id: Some(ws_id),
            ..Default::default()
        });
    }
    w.audit_api(AuditEvent {
        kind: "WorkspaceGroup.Terminate".into(),
        reason: format!("Workspace group \"{name}\" terminated{}", if force { " (forced)" } else { "" }),
        workspace_group_id: Some(id),
        ..Default::default()
    });
    Ok(json(&WorkspaceGroupIdReply { workspace_group_id: id }))
}
