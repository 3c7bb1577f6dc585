//! Private connections (by group, by workspace, by id), outbound allow list and Kai info.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;
use uuid::Uuid;

use super::groups::group;
use super::workspaces::{cell_of, workspace};
use super::{Params, decode, json, json_fields, path_id};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::{AuditEvent, ConnectionRec, Pending, durations};
use crate::sim::{AppState, SimError, SimResult, World};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/workspaceGroups/{workspaceGroupID}/privateConnections", get(by_group))
        .route("/v1/workspaces/{workspaceID}/privateConnections", get(by_workspace))
        .route("/v1/workspaces/{workspaceID}/privateConnections/outboundAllowList", get(outbound_allow_list))
        .route("/v1/workspaces/{workspaceID}/privateConnections/kai", get(kai))
        .route("/v1/privateConnections", axum::routing::post(create))
        .route("/v1/privateConnections/{connectionID}", get(one).patch(update).delete(delete))
}

/// A stable pseudo-random hex string derived from an id (account numbers, service ids).
fn hex_of(id: Uuid, len: usize) -> String {
    id.simple().to_string().chars().rev().take(len).collect()
}

/// The cloud account SingleStore uses in a group's region (what customers must allow).
pub fn outbound_account(provider: &Provider, group_id: Uuid) -> String {
    let digits: String = group_id.as_bytes().iter().map(|b| char::from(b'0' + b % 10)).take(12).collect();
    match provider {
        Provider::Gcp => format!("singlestore-prod-{}", hex_of(group_id, 6)),
        Provider::Azure => Uuid::from_u128(group_id.as_u128().rotate_left(17)).to_string(),
        _ => digits,
    }
}

/// The endpoint service name customers connect an INBOUND private link to.
pub fn inbound_service_name(provider: &Provider, region_name: &str, id: Uuid) -> String {
    match provider {
        Provider::Gcp => {
            format!("projects/singlestore-prod/regions/{region_name}/serviceAttachments/sa-{}", hex_of(id, 12))
        }
        Provider::Azure => format!(
            "/subscriptions/{}/resourceGroups/singlestore-{region_name}/providers/Microsoft.Network/privateLinkServices/pls-{}",
            Uuid::from_u128(id.as_u128().rotate_left(29)),
            hex_of(id, 10)
        ),
        _ => format!("com.amazonaws.vpce.{region_name}.vpce-svc-{}", hex_of(id, 17)),
    }
}

fn connection(w: &World, id: Uuid) -> SimResult<&ConnectionRec> {
    w.connections.get(&id).ok_or_else(|| SimError::not_found(format!("private connection {id} not found")))
}

async fn by_group(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "workspaceGroupID")?;
    let w = s.world();
    group(&w, id)?;
    let list: Vec<&PrivateConnection> = w
        .connections
        .values()
        .map(|c| &c.api)
        .filter(|c| c.workspace_group_id == id && c.status != Some(ConnectionStatus::Deleted))
        .collect();
    Ok(json_fields(&list, &p))
}

async fn by_workspace(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    let group_id = p.required_uuid("workspaceGroupID")?;
    let w = s.world();
    let ws = workspace(&w, id)?;
    if ws.api.workspace_group_id != group_id {
        return Err(SimError::not_found(format!("workspace {id} not found in workspace group {group_id}")));
    }
    let list: Vec<&PrivateConnection> = w
        .connections
        .values()
        .map(|c| &c.api)
        .filter(|c| c.workspace_id == Some(id) && c.status != Some(ConnectionStatus::Deleted))
        .collect();
    Ok(json_fields(&list, &p))
}

async fn outbound_allow_list(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    let w = s.world();
    let ws = workspace(&w, id)?;
    let g = group(&w, ws.api.workspace_group_id)?;
    let list = vec![OutboundAllowList {
        outbound_allow_list: Some(outbound_account(&g.api.provider, g.api.workspace_group_id)),
    }];
    Ok(json(&list))
}

async fn kai(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "workspaceID")?;
    let w = s.world();
    let ws = workspace(&w, id)?;
    let g = group(&w, ws.api.workspace_group_id)?;
    let kai_id = Uuid::from_u128(id.as_u128().rotate_left(7));
    Ok(json(&KaiInfo { service_name: Some(inbound_service_name(&g.api.provider, &g.api.region_name, kai_id)) }))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = path_id(&id, "connectionID")?;
    let w = s.world();
    Ok(json_fields(&connection(&w, id)?.api, &p))
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: PrivateConnectionCreate = decode(body)?;
    let kind = body.kind.clone().unwrap_or(ConnectionType::Inbound);
    if let ConnectionType::Unknown(t) = &kind {
        return Err(SimError::bad_request(format!("invalid type {t:?}: expected INBOUND or OUTBOUND")));
    }
    let mut w = s.world();
    let g = w
        .groups
        .get(&body.workspace_group_id)
        .ok_or_else(|| SimError::bad_request(format!("workspace group {} not found", body.workspace_group_id)))?;
    if g.api.state == WorkspaceGroupState::Terminated {
        return Err(SimError::bad_request(format!("workspace group \"{}\" is terminated", g.api.name)));
    }
    let (provider, region_name, group_name) = (g.api.provider.clone(), g.api.region_name.clone(), g.api.name.clone());
    if let Some(ws_id) = body.workspace_id {
        let ws =
            w.workspaces.get(&ws_id).filter(|ws| ws.api.workspace_group_id == body.workspace_group_id).ok_or_else(
                || {
                    SimError::bad_request(format!(
                        "workspace {ws_id} not found in workspace group {}",
                        body.workspace_group_id
                    ))
                },
            )?;
        if ws.api.state == WorkspaceState::Terminated {
            return Err(SimError::bad_request(format!("workspace \"{}\" is terminated", ws.api.name)));
        }
    }
    let id = Uuid::new_v4();
    let service_name = match (&kind, &body.service_name) {
        (ConnectionType::Outbound, Some(name)) if !name.trim().is_empty() => name.clone(),
        (ConnectionType::Outbound, _) => {
            return Err(SimError::bad_request("serviceName is required for an OUTBOUND private connection"));
        }
        _ => inbound_service_name(&provider, &region_name, id),
    };
    let now = format_time(w.clock.now());
    let endpoint = (kind == ConnectionType::Inbound)
        .then(|| format!("privatelink-{}.{}.svc.singlestore.com", hex_of(id, 8), cell_of(&provider, &region_name)));
    let api = PrivateConnection {
        private_connection_id: id,
        workspace_group_id: body.workspace_group_id,
        workspace_id: body.workspace_id,
        kind: Some(kind.clone()),
        status: Some(ConnectionStatus::Pending),
        service_name: Some(service_name),
        endpoint,
        allow_list: body.allow_list.clone(),
        allowed_private_link_ids: Some(Vec::new()),
        outbound_allow_list: (kind == ConnectionType::Outbound)
            .then(|| outbound_account(&provider, body.workspace_group_id)),
        sql_port: Some(body.sql_port.unwrap_or(3306.0)),
        websockets_port: Some(body.websockets_port.unwrap_or(443.0)),
        created_at: Some(now.clone()),
        active_at: None,
        updated_at: Some(now),
        deleted_at: None,
        error: None,
        extra: Default::default(),
    };
    let due = w.clock.due_in(durations::CONN_CREATE);
    w.connections.insert(id, ConnectionRec { api, pending: Some(Pending { to: ConnectionStatus::Active, due }) });
    w.audit_api(AuditEvent {
        kind: "PrivateConnection.Create".into(),
        reason: format!("{kind} private connection {id} requested for workspace group \"{group_name}\""),
        workspace_group_id: Some(body.workspace_group_id),
        workspace_id: body.workspace_id,
        ..Default::default()
    });
    Ok(json(&PrivateConnectionIdReply { private_connection_id: id }))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "connectionID")?;
    let body: PrivateConnectionUpdate = decode(body)?;
    let mut w = s.world();
    let now = format_time(w.clock.now());
    connection(&w, id)?;
    let Some(c) = w.connections.get_mut(&id) else {
        return Err(SimError::not_found(format!("private connection {id} not found")));
    };
    if c.api.status == Some(ConnectionStatus::Deleted)
        || c.pending.as_ref().is_some_and(|p| p.to == ConnectionStatus::Deleted)
    {
        return Err(SimError::bad_request(format!("private connection {id} is deleted")));
    }
    if let Some(a) = body.allow_list {
        c.api.allow_list = Some(a);
        c.api.updated_at = Some(now);
    }
    let group_id = c.api.workspace_group_id;
    let workspace_id = c.api.workspace_id;
    w.audit_api(AuditEvent {
        kind: "PrivateConnection.Update".into(),
        reason: format!("Allow list of private connection {id} updated"),
        workspace_group_id: Some(group_id),
        workspace_id,
        ..Default::default()
    });
    Ok(json(&PrivateConnectionIdReply { private_connection_id: id }))
}

async fn delete(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "connectionID")?;
    let mut w = s.world();
    let due = w.clock.due_in(durations::CONN_DELETE);
    connection(&w, id)?;
    let Some(c) = w.connections.get_mut(&id) else {
        return Err(SimError::not_found(format!("private connection {id} not found")));
    };
    if c.api.status == Some(ConnectionStatus::Deleted)
        || c.pending.as_ref().is_some_and(|p| p.to == ConnectionStatus::Deleted)
    {
        return Err(SimError::bad_request(format!("private connection {id} is already deleted")));
    }
    c.pending = Some(Pending { to: ConnectionStatus::Deleted, due });
    let group_id = c.api.workspace_group_id;
    let workspace_id = c.api.workspace_id;
    w.audit_api(AuditEvent {
        kind: "PrivateConnection.Delete".into(),
        reason: format!("Private connection {id} deleted"),
        workspace_group_id: Some(group_id),
        workspace_id,
        ..Default::default()
    });
    Ok(json(&PrivateConnectionIdReply { private_connection_id: id }))
}
