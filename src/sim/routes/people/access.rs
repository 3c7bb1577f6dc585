//! Access controls on the organization, workspace groups, teams and secrets: who holds
//! which role (with grants inherited from organization roles computed on each read), and
//! grants and revokes in one call.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::super::{decode, json, path_id};
use super::empty_ok;
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::people::{HolderId, StoredGrant};
use crate::sim::world::{AuditEvent, World};
use crate::sim::{AppState, SimError, SimResult};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/organizations/{organizationID}/accessControls",
            get(|s, p| read(s, p, ResourceType::Organization))
                .patch(|s, p, b| change(s, p, b, ResourceType::Organization)),
        )
        .route(
            "/v1/workspaceGroups/{workspaceGroupID}/accessControls",
            get(|s, p| read(s, p, ResourceType::Cluster)).patch(|s, p, b| change(s, p, b, ResourceType::Cluster)),
        )
        .route(
            "/v1/teams/{teamID}/accessControls",
            get(|s, p| read(s, p, ResourceType::Team)).patch(|s, p, b| change(s, p, b, ResourceType::Team)),
        )
        .route(
            "/v1/secrets/{secretID}/accessControls",
            get(|s, p| read(s, p, ResourceType::Secret)).patch(|s, p, b| change(s, p, b, ResourceType::Secret)),
        )
}

fn id_name(t: &ResourceType) -> &'static str {
    match t {
        ResourceType::Organization => "organizationID",
        ResourceType::Cluster => "workspaceGroupID",
        ResourceType::Team => "teamID",
        _ => "secretID",
    }
}

/// "workspace group \"Production\"", for audit sentences and errors.
fn resource_name(w: &World, t: &ResourceType, id: Uuid) -> String {
    let name = match t {
        ResourceType::Organization => w.org.name.clone(),
        ResourceType::Cluster => w.groups.get(&id).map(|g| g.api.name.clone()),
        ResourceType::Team => w.teams.get(&id).map(|t| t.name.clone()),
        ResourceType::Secret => w.secrets.get(&id).map(|s| s.name.clone()),
        ResourceType::Unknown(_) => None,
    };
    match name {
        Some(n) => format!("{} \"{n}\"", t.noun()),
        None => format!("{} {id}", t.noun()),
    }
}

fn resource_id(w: &World, raw: &str, t: &ResourceType) -> SimResult<Uuid> {
    let id = path_id(raw, id_name(t))?;
    if !w.resource_exists(t, id) {
        return Err(SimError::not_found(format!("{} {id} not found", t.noun())));
    }
    Ok(id)
}

async fn read(State(s): State<AppState>, Path(raw): Path<String>, t: ResourceType) -> SimResult<Response> {
    let w = s.world();
    let id = resource_id(&w, &raw, &t)?;
    Ok(json(&w.access_controls(&t, id)))
}

/// The holders a grant or revoke names, each checked.
fn holders(w: &World, r: &RoleHolders, t: &ResourceType) -> SimResult<Vec<HolderId>> {
    if w.people.role(t, &r.role).is_none() {
        return Err(SimError::bad_request(format!("role \"{}\" does not exist for resource type {t}", r.role)));
    }
    let mut out = Vec::new();
    for u in &r.users {
        if w.user_by_id(*u).is_none() {
            return Err(SimError::bad_request(format!("user {u} is not a member of the organization")));
        }
        out.push(HolderId::User(*u));
    }
    for team in &r.teams {
        if !w.teams.contains_key(team) {
            return Err(SimError::bad_request(format!("team {team} not found")));
        }
        out.push(HolderId::Team(*team));
    }
    Ok(out)
}

fn holder_label(w: &World, h: HolderId) -> String {
    match w.holder(h) {
        Some(Holder::User(u)) => u.email,
        Some(Holder::Team(t)) => format!("team {}", t.name),
        None => "someone gone".into(),
    }
}

async fn change(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    JsonBody(body): JsonBody<Value>,
    t: ResourceType,
) -> SimResult<Response> {
    let body: AccessChange = decode(body)?;
    let mut w = s.world();
    let id = resource_id(&w, &raw, &t)?;
    // Everything is checked before anything changes.
    let mut revokes = Vec::new();
    for r in &body.revokes {
        revokes.extend(holders(&w, r, &t)?.into_iter().map(|h| (r.role.clone(), h)));
    }
    let mut grants = Vec::new();
    for r in &body.grants {
        grants.extend(holders(&w, r, &t)?.into_iter().map(|h| (r.role.clone(), h)));
    }
    let here = |g: &StoredGrant| g.resource_type == t && g.resource_id == id;
    let mut next: Vec<StoredGrant> = w.people.grants.clone();
    let mut said = Vec::new();
    for (role, h) in &revokes {
        let before = next.len();
        next.retain(|g| !(here(g) && &g.role == role && g.holder == *h));
        if next.len() < before {
            said.push(format!("revoked {role} from {}", holder_label(&w, *h)));
        }
    }
    let (now, me) = (format_time(w.clock.now()), w.api_user.clone());
    for (role, h) in &grants {
        if !next.iter().any(|g| here(g) && &g.role == role && g.holder == *h) {
            said.push(format!("granted {role} to {}", holder_label(&w, *h)));
            next.push(StoredGrant {
                resource_type: t.clone(),
                resource_id: id,
                role: role.clone(),
                holder: *h,
                created_at: now.clone(),
                created_by: me.clone(),
            });
        }
    }
    if t == ResourceType::Organization {
        let owner = |g: &StoredGrant| here(g) && g.role == "Owner" && matches!(g.holder, HolderId::User(_));
        if w.people.grants.iter().any(owner) && !next.iter().any(owner) {
            return Err(SimError::bad_request("the organization must keep at least one Owner"));
        }
    }
    w.people.grants = next;
    let what = if said.is_empty() { "nothing changed".to_string() } else { said.join("; ") };
    let name = resource_name(&w, &t, id);
    w.audit_api(AuditEvent {
        kind: "AccessControl.Update".into(),
        reason: format!("Access to {name} changed: {what}"),
        workspace_group_id: (t == ResourceType::Cluster).then_some(id),
        team_id: (t == ResourceType::Team).then_some(id),
        attributes: Some(j!({
            "resourceType": t.as_str(),
            "resourceID": id,
            "grants": body.grants,
            "revokes": body.revokes,
        })),
        ..Default::default()
    });
    Ok(empty_ok())
}
