//! Role definitions: built-in roles of each resource type and the organization's custom
//! ones, at `/v1/roles/{resourceType}` (one type) and `/v2/authorization/roles` (across types).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};

use super::super::{decode, json};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::people::{CustomRole, known_type, permissions_of};
use crate::sim::world::{AuditEvent, World};
use crate::sim::{AppState, SimError, SimResult};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/roles/{resourceType}", get(list).post(create))
        .route("/v1/roles/{resourceType}/{role}", get(one).put(replace).delete(delete))
        .route("/v2/authorization/permissions", get(all_permissions))
        .route("/v2/authorization/permissions/{resourceType}", get(type_permissions))
        .route("/v2/authorization/roles", get(list_v2).post(create_v2))
        .route("/v2/authorization/roles/{role}", get(one_v2).put(replace_v2).delete(delete_v2))
}

fn resource_type(raw: &str) -> SimResult<ResourceType> {
    known_type(raw).ok_or_else(|| {
        SimError::bad_request(format!("invalid resource type {raw:?}: expected Organization, Cluster, Team or Secret"))
    })
}

fn check_role_name(w: &World, role: &str) -> SimResult<()> {
    if role.trim().is_empty() {
        return Err(SimError::bad_request("role name must not be empty"));
    }
    if role.chars().count() > 100 {
        return Err(SimError::bad_request("role name must be at most 100 characters long"));
    }
    if w.people.role_names().iter().any(|n| n == role) {
        return Err(SimError::bad_request(format!("a role named \"{role}\" already exists")));
    }
    Ok(())
}

fn check_permissions(t: &ResourceType, permissions: &[String]) -> SimResult<Vec<String>> {
    let offered = permissions_of(t);
    let mut out: Vec<String> = Vec::new();
    for p in permissions {
        if !offered.contains(&p.as_str()) {
            return Err(SimError::bad_request(format!("unknown permission \"{p}\" for resource type {t}")));
        }
        if !out.contains(p) {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn check_inherits(w: &World, own: &str, inherits: &[TypedRole]) -> SimResult<()> {
    for i in inherits {
        let t = resource_type(&i.resource_type)?;
        if i.role == own {
            return Err(SimError::bad_request(format!("role \"{own}\" cannot inherit itself")));
        }
        if w.people.role(&t, &i.role).is_none() {
            return Err(SimError::bad_request(format!("role \"{}\" does not exist for resource type {t}", i.role)));
        }
    }
    Ok(())
}

fn custom_mut<'a>(w: &'a mut World, role: &str) -> Option<&'a mut CustomRole> {
    w.people.custom_roles.iter_mut().find(|c| c.role == role)
}

fn refuse_built_in(w: &World, role: &str) -> SimResult<()> {
    let built_in = ResourceType::KNOWN.iter().any(|t| w.people.is_built_in(t, role));
    if built_in && !w.people.custom_roles.iter().any(|c| c.role == role) {
        return Err(SimError::bad_request(format!("\"{role}\" is a built-in role and cannot be changed or deleted")));
    }
    Ok(())
}

fn audit_role(w: &mut World, kind: &str, reason: String, role: &str) {
    w.audit_api(AuditEvent {
        kind: format!("Role.{kind}"),
        reason,
        attributes: Some(j!({ "role": role })),
        ..Default::default()
    });
}

async fn list(State(s): State<AppState>, Path(t): Path<String>) -> SimResult<Response> {
    let t = resource_type(&t)?;
    Ok(json(&s.world().people.roles_of(&t)))
}

async fn one(State(s): State<AppState>, Path((t, role)): Path<(String, String)>) -> SimResult<Response> {
    let t = resource_type(&t)?;
    let def = s
        .world()
        .people
        .role(&t, &role)
        .ok_or_else(|| SimError::not_found(format!("role \"{role}\" not found for resource type {t}")))?;
    Ok(json(&def))
}

async fn create(
    State(s): State<AppState>,
    Path(t): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let t = resource_type(&t)?;
    let body: RoleCreate = decode(body)?;
    let mut w = s.world();
    check_role_name(&w, &body.role)?;
    let permissions = check_permissions(&t, &body.permissions)?;
    check_inherits(&w, &body.role, &body.inherits)?;
    let (now, me) = (format_time(w.clock.now()), w.api_user.clone());
    w.people.custom_roles.push(CustomRole {
        role: body.role.clone(),
        description: body.description.unwrap_or_default(),
        permissions: BTreeMap::from([(t.to_string(), permissions)]),
        inherits: body.inherits,
        created_at: now.clone(),
        created_by: me.clone(),
        updated_at: now,
        updated_by: me,
    });
    audit_role(&mut w, "Create", format!("Role \"{}\" created for {t}", body.role), &body.role);
    let def = w.people.role(&t, &body.role).ok_or_else(|| SimError::not_found("the role is gone"))?;
    Ok(json(&def))
}

async fn replace(
    State(s): State<AppState>,
    Path((t, role)): Path<(String, String)>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let t = resource_type(&t)?;
    let body: RoleUpdate = decode(body)?;
    let mut w = s.world();
    refuse_built_in(&w, &role)?;
    if w.people.role(&t, &role).is_none() {
        return Err(SimError::not_found(format!("role \"{role}\" not found for resource type {t}")));
    }
    let permissions = check_permissions(&t, &body.permissions)?;
    check_inherits(&w, &role, &body.inherits)?;
    let (now, me) = (format_time(w.clock.now()), w.api_user.clone());
    if let Some(c) = custom_mut(&mut w, &role) {
        c.permissions.insert(t.to_string(), permissions);
        c.inherits = body.inherits;
        if let Some(d) = body.description {
            c.description = d;
        }
        c.updated_at = now;
        c.updated_by = me;
    }
    audit_role(&mut w, "Update", format!("Role \"{role}\" of {t} replaced"), &role);
    let def = w.people.role(&t, &role).ok_or_else(|| SimError::not_found("the role is gone"))?;
    Ok(json(&def))
}

fn refuse_in_use(w: &World, role: &str, types: &[ResourceType]) -> SimResult<()> {
    let uses: usize = types.iter().map(|t| w.people.grants_of_role(t, role)).sum();
    if uses > 0 {
        return Err(SimError::bad_request(format!(
            "role \"{role}\" is granted {uses} time(s); revoke those grants first"
        )));
    }
    Ok(())
}

async fn delete(State(s): State<AppState>, Path((t, role)): Path<(String, String)>) -> SimResult<Response> {
    let t = resource_type(&t)?;
    let mut w = s.world();
    refuse_built_in(&w, &role)?;
    if w.people.role(&t, &role).is_none() {
        return Err(SimError::not_found(format!("role \"{role}\" not found for resource type {t}")));
    }
    refuse_in_use(&w, &role, std::slice::from_ref(&t))?;
    if let Some(c) = custom_mut(&mut w, &role) {
        c.permissions.remove(t.as_str());
    }
    w.people.custom_roles.retain(|c| !c.permissions.is_empty());
    audit_role(&mut w, "Delete", format!("Role \"{role}\" of {t} deleted"), &role);
    Ok(json(&true))
}

fn permission_list(t: &ResourceType) -> Vec<PermissionDefinition> {
    permissions_of(t)
        .iter()
        .map(|p| PermissionDefinition { permission: p.to_string(), resource_type: t.to_string(), description: None })
        .collect()
}

async fn all_permissions() -> Response {
    json(&ResourceType::KNOWN.iter().flat_map(permission_list).collect::<Vec<_>>())
}

async fn type_permissions(Path(t): Path<String>) -> SimResult<Response> {
    Ok(json(&permission_list(&resource_type(&t)?)))
}

async fn list_v2(State(s): State<AppState>) -> Response {
    let w = s.world();
    let roles: Vec<RoleDefinitionV2> = w.people.role_names().iter().filter_map(|n| w.people.role_v2(n)).collect();
    json(&roles)
}

async fn one_v2(State(s): State<AppState>, Path(role): Path<String>) -> SimResult<Response> {
    let def =
        s.world().people.role_v2(&role).ok_or_else(|| SimError::not_found(format!("role \"{role}\" not found")))?;
    Ok(json(&def))
}

/// Permissions per resource type, each type once and each permission valid.
fn typed_permissions(list: &[TypedPermissions]) -> SimResult<BTreeMap<String, Vec<String>>> {
    if list.is_empty() {
        return Err(SimError::bad_request("permissions must name at least one resource type"));
    }
    let mut out = BTreeMap::new();
    for p in list {
        let t = resource_type(&p.resource_type)?;
        if out.contains_key(t.as_str()) {
            return Err(SimError::bad_request(format!("resource type {t} is listed twice")));
        }
        out.insert(t.to_string(), check_permissions(&t, &p.permissions)?);
    }
    Ok(out)
}

async fn create_v2(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: RoleCreateV2 = decode(body)?;
    let mut w = s.world();
    check_role_name(&w, &body.role)?;
    let permissions = typed_permissions(&body.permissions)?;
    let (now, me) = (format_time(w.clock.now()), w.api_user.clone());
    w.people.custom_roles.push(CustomRole {
        role: body.role.clone(),
        description: body.description.unwrap_or_default(),
        permissions,
        inherits: Vec::new(),
        created_at: now.clone(),
        created_by: me.clone(),
        updated_at: now,
        updated_by: me,
    });
    audit_role(&mut w, "Create", format!("Role \"{}\" created", body.role), &body.role);
    let def = w.people.role_v2(&body.role).ok_or_else(|| SimError::not_found("the role is gone"))?;
    Ok(json(&def))
}

async fn replace_v2(
    State(s): State<AppState>,
    Path(role): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let body: RoleReplaceV2 = decode(body)?;
    if body.role.as_ref().is_some_and(|r| r != &role) {
        return Err(SimError::bad_request(format!("the role in the body must be \"{role}\", the one in the path")));
    }
    let mut w = s.world();
    refuse_built_in(&w, &role)?;
    let permissions = typed_permissions(&body.permissions)?;
    let (now, me) = (format_time(w.clock.now()), w.api_user.clone());
    let held: Vec<ResourceType> = match w.people.custom_roles.iter().find(|c| c.role == role) {
        Some(c) => {
            c.permissions.keys().filter(|t| !permissions.contains_key(*t)).filter_map(|t| known_type(t)).collect()
        }
        None => return Err(SimError::not_found(format!("role \"{role}\" not found"))),
    };
    // A resource type the role no longer covers must not hold grants of it.
    refuse_in_use(&w, &role, &held)?;
    if let Some(c) = custom_mut(&mut w, &role) {
        c.permissions = permissions;
        if let Some(d) = body.description {
            c.description = d;
        }
        c.updated_at = now;
        c.updated_by = me;
    }
    audit_role(&mut w, "Update", format!("Role \"{role}\" replaced"), &role);
    let def = w.people.role_v2(&role).ok_or_else(|| SimError::not_found("the role is gone"))?;
    Ok(json(&def))
}

async fn delete_v2(State(s): State<AppState>, Path(role): Path<String>) -> SimResult<Response> {
    let mut w = s.world();
    refuse_built_in(&w, &role)?;
    let Some(c) = w.people.custom_roles.iter().find(|c| c.role == role) else {
        return Err(SimError::not_found(format!("role \"{role}\" not found")));
    };
    let types: Vec<ResourceType> = c.permissions.keys().filter_map(|t| known_type(t)).collect();
    refuse_in_use(&w, &role, &types)?;
    w.people.custom_roles.retain(|c| c.role != role);
    audit_role(&mut w, "Delete", format!("Role \"{role}\" deleted"), &role);
    Ok(json(&true))
}
