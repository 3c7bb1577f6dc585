//! SingleStore Flow instances: created `Pending`, `Running` once provisioned; a deleted one
//! is `Deleted`, listed only with `includeTerminated=true` and still readable by ID.
//!
//! Construct with `FlowStore::default()`.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::extract::JsonBody;
use super::routes::{Params, decode, json, json_fields, path_id};
use super::world::{AuditEvent, World, durations};
use super::{AppState, SimError, SimResult};
use crate::api::flow::{Flow, FlowCreate, FlowIdReply};
use crate::api::types::*;

#[derive(Debug, Clone)]
pub struct FlowRec {
    pub api: Flow,
    /// When it is `Running`, if it is still being provisioned.
    pub ready_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct FlowStore {
    pub flows: BTreeMap<Uuid, FlowRec>,
}

/// Provisioning that has come due.
pub fn advance(w: &mut World) {
    let now = w.clock.now();
    for f in w.flow.flows.values_mut() {
        if f.ready_at.take_if(|t| *t <= now).is_some() {
            f.api.status = Some("Running".into());
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/flow", get(list).post(create)).route("/v1/flow/{flowID}", get(one).delete(remove))
}

fn flow(w: &World, raw: &str) -> SimResult<(Uuid, Flow)> {
    let id = path_id(raw, "flowID")?;
    let f = w.flow.flows.get(&id).ok_or_else(|| SimError::not_found(format!("flow {id} not found")))?;
    Ok((id, f.api.clone()))
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let include_terminated = p.flag("includeTerminated")?;
    let w = s.world();
    let mut flows: Vec<&Flow> =
        w.flow.flows.values().map(|f| &f.api).filter(|f| include_terminated || f.deleted_at.is_none()).collect();
    flows.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    Ok(json_fields(&flows, &p))
}

async fn one(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    Ok(json(&flow(&s.world(), &raw)?.1))
}

/// `F1` … `F9`.
fn valid_size(s: &str) -> bool {
    let mut c = s.chars();
    matches!((c.next(), c.next(), c.next()), (Some('F'), Some('1'..='9'), None))
}

/// Adds a flow instance; `ready` says whether it is already provisioned.
pub fn insert(w: &mut World, body: FlowCreate, ready: bool) -> Uuid {
    let id = Uuid::new_v4();
    let now = w.clock.now();
    let region = w
        .workspaces
        .get(&body.workspace_id)
        .and_then(|ws| w.groups.get(&ws.api.workspace_group_id))
        .map_or("us-east-1".to_string(), |g| g.api.region_name.clone());
    let short = id.simple().to_string()[..8].to_string();
    let api = Flow {
        flow_id: id,
        name: body.name,
        created_at: format_time(now),
        status: Some(if ready { "Running" } else { "Pending" }.into()),
        size: Some(body.size.unwrap_or_else(|| "F1".into())),
        workspace_id: Some(body.workspace_id),
        database_name: Some(body.database_name),
        user_name: Some(body.user_name),
        endpoint: Some(format!("flow-{short}.{region}.svc.singlestore.com")),
        deleted_at: None,
        extra: Default::default(),
    };
    let ready_at = (!ready).then(|| w.clock.due_in(durations::FLOW_CREATE));
    w.flow.flows.insert(id, FlowRec { api, ready_at });
    id
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: FlowCreate = decode(body)?;
    for (field, value) in [("name", &body.name), ("databaseName", &body.database_name), ("userName", &body.user_name)] {
        if value.trim().is_empty() {
            return Err(SimError::bad_request(format!("{field} must not be empty")));
        }
    }
    if let Some(size) = body.size.as_deref().filter(|s| !valid_size(s)) {
        return Err(SimError::bad_request(format!("invalid size {size:?}: expected F1 to F9")));
    }
    let mut w = s.world();
    let ws = w
        .workspaces
        .get(&body.workspace_id)
        .filter(|ws| ws.api.state != WorkspaceState::Terminated)
        .ok_or_else(|| SimError::bad_request(format!("workspace {} not found", body.workspace_id)))?;
    let (group, ws_name) = (ws.api.workspace_group_id, ws.api.name.clone());
    let name = body.name.clone();
    let id = insert(&mut w, body, false);
    w.audit_api(AuditEvent {
        kind: "Flow.Create".into(),
        reason: format!("Flow instance \"{name}\" created on workspace \"{ws_name}\""),
        workspace_group_id: Some(group),
        attributes: Some(serde_json::json!({ "flowID": id })),
        ..Default::default()
    });
    Ok(json(&FlowIdReply { flow_id: id }))
}

async fn remove(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    let mut w = s.world();
    let (id, f) = flow(&w, &raw)?;
    if f.deleted_at.is_some() {
        return Err(SimError::bad_request(format!("flow {id} is already deleted")));
    }
    let now = format_time(w.clock.now());
    if let Some(rec) = w.flow.flows.get_mut(&id) {
        rec.api.deleted_at = Some(now);
        rec.api.status = Some("Deleted".into());
        rec.ready_at = None;
    }
    w.audit_api(AuditEvent {
        kind: "Flow.Delete".into(),
        reason: format!("Flow instance \"{}\" deleted", f.name),
        attributes: Some(serde_json::json!({ "flowID": id })),
        ..Default::default()
    });
    Ok(json(&FlowIdReply { flow_id: id }))
}
