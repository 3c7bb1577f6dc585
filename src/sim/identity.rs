//! Workload identity of workspace groups and the delegated entities it may assume.
//! Removal answers 207 with what was deleted and what failed (an entity that is not there).
//!
//! Construct with `IdentityStore::default()`.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use uuid::Uuid;

use super::routes::{Params, json, path_id};
use super::world::{AuditEvent, World};
use super::{AppState, SimError, SimResult};
use crate::api::types::*;

#[derive(Debug, Default)]
pub struct IdentityStore {
    /// Delegated entities by group, in the order added.
    pub entities: BTreeMap<Uuid, Vec<DelegatedEntity>>,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/workspaceGroups/{workspaceGroupID}/identity", get(identity))
        .route("/v1/workspaceGroups/{workspaceGroupID}/delegatedEntities", get(list).post(add).delete(remove))
}

fn live_group(w: &World, raw: &str) -> SimResult<(Uuid, WorkspaceGroup)> {
    let id = path_id(raw, "workspaceGroupID")?;
    let g = super::routes::groups::group(w, id)?;
    if g.api.state == WorkspaceGroupState::Terminated {
        return Err(SimError::bad_request(format!("workspace group {id} is terminated")));
    }
    Ok((id, g.api.clone()))
}

/// The identity the service gives a group: stable, derived from its id and cloud.
pub fn identity_of(g: &WorkspaceGroup) -> String {
    let short = &g.workspace_group_id.simple().to_string()[..12];
    match g.provider {
        Provider::Gcp => format!("wg-{short}@singlestore-workloads.iam.gserviceaccount.com"),
        Provider::Azure => format!(
            "/subscriptions/singlestore/resourceGroups/workloads/providers/Microsoft.ManagedIdentity/userAssignedIdentities/wg-{short}"
        ),
        _ => format!("arn:aws:iam::651246146166:role/singlestore-wg-{short}"),
    }
}

async fn identity(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    let w = s.world();
    let (_, g) = live_group(&w, &raw)?;
    Ok(json(&CloudWorkloadIdentity { identity: identity_of(&g) }))
}

async fn list(State(s): State<AppState>, Path(raw): Path<String>) -> SimResult<Response> {
    let w = s.world();
    let (id, _) = live_group(&w, &raw)?;
    Ok(json(&w.identity.entities.get(&id).cloned().unwrap_or_default()))
}

/// An entity the group's cloud can delegate to.
fn check_entity(provider: &Provider, e: &str) -> SimResult<()> {
    let ok = match provider {
        Provider::Aws => e.starts_with("arn:aws:iam::"),
        _ => !e.trim().is_empty() && !e.contains(char::is_whitespace),
    };
    if ok {
        Ok(())
    } else {
        Err(SimError::bad_request(format!("invalid entity {e:?} for a {provider} workspace group")))
    }
}

async fn add(State(s): State<AppState>, Path(raw): Path<String>, body: Bytes) -> SimResult<Response> {
    let body: DelegatedEntities =
        serde_json::from_slice(&body).map_err(|e| SimError::bad_request(format!("invalid body: {e}")))?;
    if body.entities.is_empty() {
        return Err(SimError::bad_request("entities must name at least one entity"));
    }
    let mut w = s.world();
    let (id, g) = live_group(&w, &raw)?;
    for e in &body.entities {
        check_entity(&g.provider, e)?;
    }
    let now = format_time(w.clock.now());
    let list = w.identity.entities.entry(id).or_default();
    let mut added = Vec::new();
    for e in body.entities {
        if !list.iter().any(|x| x.entity == e) {
            list.push(DelegatedEntity { entity: e.clone(), created_at: now.clone() });
            added.push(e);
        }
    }
    let reply = list.clone();
    w.audit_api(AuditEvent {
        kind: "WorkspaceGroup.DelegatedEntities.Add".into(),
        reason: format!("Delegated entities added to workspace group \"{}\": {}", g.name, added.join(", ")),
        workspace_group_id: Some(id),
        ..Default::default()
    });
    Ok(json(&reply))
}

async fn remove(State(s): State<AppState>, Path(raw): Path<String>, p: Params, body: Bytes) -> SimResult<Response> {
    let mut wanted: Vec<String> = Vec::new();
    if !body.is_empty() {
        let b: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| SimError::bad_request(format!("invalid body: {e}")))?;
        if let Some(items) = b.get("entities").and_then(|e| e.as_array()) {
            wanted.extend(items.iter().filter_map(|v| v.as_str()).map(str::to_string));
        }
    }
    if let Some(q) = p.get("entities") {
        wanted.extend(q.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string));
    }
    if wanted.is_empty() {
        return Err(SimError::bad_request("name the entities to remove (body or the entities parameter)"));
    }
    let mut w = s.world();
    let (id, g) = live_group(&w, &raw)?;
    let list = w.identity.entities.entry(id).or_default();
    let mut result = RemovedEntities::default();
    for e in wanted {
        match list.iter().position(|x| x.entity == e) {
            Some(i) => {
                list.remove(i);
                result.deleted.push(e);
            }
            None => result.failed.push(e),
        }
    }
    if !result.deleted.is_empty() {
        w.audit_api(AuditEvent {
            kind: "WorkspaceGroup.DelegatedEntities.Remove".into(),
            reason: format!(
                "Delegated entities removed from workspace group \"{}\": {}",
                g.name,
                result.deleted.join(", ")
            ),
            workspace_group_id: Some(id),
            ..Default::default()
        });
    }
    Ok((StatusCode::MULTI_STATUS, axum::Json(result)).into_response())
}
