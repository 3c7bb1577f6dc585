//! Service accounts and cloud principals: members that are not people. The service gives
//! each a generated email; both are listed among the users with their kind.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{patch, post};
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::super::{decode, json, path_id};
use super::forget_member;
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::people::Identity;
use crate::sim::world::{AuditEvent, World};
use crate::sim::{AppState, SimError, SimResult};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/serviceAccounts", post(create_service_account))
        .route("/v1/serviceAccounts/{serviceAccountID}", patch(update_service_account).delete(delete_service_account))
        .route("/v1/cloudPrincipals", post(create_cloud_principal))
        .route("/v1/cloudPrincipals/{cloudPrincipalID}", patch(update_cloud_principal).delete(delete_cloud_principal))
}

fn noun(kind: &UserKind) -> &'static str {
    if *kind == UserKind::CloudPrincipal { "cloud principal" } else { "service account" }
}

fn check_name(w: &World, kind: &UserKind, name: &str, except: Option<Uuid>) -> SimResult<()> {
    if name.trim().is_empty() {
        return Err(SimError::bad_request(format!("{} name must not be empty", noun(kind))));
    }
    if name.chars().count() > 256 {
        return Err(SimError::bad_request(format!("{} name must be at most 256 characters long", noun(kind))));
    }
    let taken =
        w.people.identities.values().any(|i| &i.kind == kind && i.name == name && Some(i.info.user_id) != except);
    if taken {
        return Err(SimError::bad_request(format!("a {} named \"{name}\" already exists", noun(kind))));
    }
    Ok(())
}

fn create(w: &mut World, kind: UserKind, name: String, description: String, cloud: Option<String>) -> Identity {
    let id = Uuid::new_v4();
    let short = &id.simple().to_string()[..12];
    let domain = if kind == UserKind::CloudPrincipal { "cloudprincipals" } else { "serviceaccounts" };
    let identity = Identity {
        info: UserInfo {
            user_id: id,
            email: format!("{short}@{domain}.singlestore.com"),
            first_name: name.clone(),
            last_name: String::new(),
        },
        kind: kind.clone(),
        name: name.clone(),
        description,
        cloud_principal: cloud,
        created_by: w.api_user.user_id,
    };
    w.people.identities.insert(id, identity.clone());
    let kind_name = if kind == UserKind::CloudPrincipal { "CloudPrincipal" } else { "ServiceAccount" };
    w.audit_api(AuditEvent {
        kind: format!("{kind_name}.Create"),
        reason: format!("{} \"{name}\" created", capital(noun(&kind))),
        attributes: Some(j!({ "userID": id })),
        ..Default::default()
    });
    identity
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn update(w: &mut World, kind: UserKind, id: Uuid, body: IdentityUpdate) -> SimResult<Identity> {
    if !w.people.identities.get(&id).is_some_and(|i| i.kind == kind) {
        return Err(SimError::not_found(format!("{} {id} not found", noun(&kind))));
    }
    if let Some(n) = &body.name {
        check_name(w, &kind, n, Some(id))?;
    }
    let Some(i) = w.people.identities.get_mut(&id) else {
        return Err(SimError::not_found(format!("{} {id} not found", noun(&kind))));
    };
    let mut changes = Vec::new();
    if let Some(n) = body.name {
        changes.push(format!("renamed from \"{}\"", i.name));
        i.name = n.clone();
        i.info.first_name = n;
    }
    if let Some(d) = body.description {
        i.description = d;
        changes.push("description changed".to_string());
    }
    let identity = i.clone();
    // Teams show their members' current names.
    for t in w.teams.values_mut() {
        for m in t.member_users.iter_mut().flatten().filter(|m| m.user_id == id) {
            *m = identity.info.clone();
        }
    }
    let kind_name = if kind == UserKind::CloudPrincipal { "CloudPrincipal" } else { "ServiceAccount" };
    let what = if changes.is_empty() { "nothing".to_string() } else { changes.join(", ") };
    w.audit_api(AuditEvent {
        kind: format!("{kind_name}.Update"),
        reason: format!("{} \"{}\" updated: {what}", capital(noun(&kind)), identity.name),
        attributes: Some(j!({ "userID": id, "changes": changes })),
        ..Default::default()
    });
    Ok(identity)
}

fn delete(w: &mut World, kind: UserKind, id: Uuid) -> SimResult<()> {
    if !w.people.identities.get(&id).is_some_and(|i| i.kind == kind) {
        return Err(SimError::not_found(format!("{} {id} not found", noun(&kind))));
    }
    let Some(gone) = w.people.identities.remove(&id) else {
        return Err(SimError::not_found(format!("{} {id} not found", noun(&kind))));
    };
    forget_member(w, id);
    let kind_name = if kind == UserKind::CloudPrincipal { "CloudPrincipal" } else { "ServiceAccount" };
    w.audit_api(AuditEvent {
        kind: format!("{kind_name}.Delete"),
        reason: format!("{} \"{}\" deleted", capital(noun(&kind)), gone.name),
        attributes: Some(j!({ "userID": id })),
        ..Default::default()
    });
    Ok(())
}

fn service_account(i: &Identity) -> ServiceAccount {
    ServiceAccount {
        service_account_id: i.info.user_id,
        name: i.name.clone(),
        email: i.info.email.clone(),
        description: i.description.clone(),
        created_by: Some(i.created_by),
    }
}

fn cloud_principal(i: &Identity) -> CloudPrincipal {
    CloudPrincipal {
        cloud_principal_id: i.info.user_id,
        name: i.name.clone(),
        cloud_principal: i.cloud_principal.clone().unwrap_or_default(),
        email: i.info.email.clone(),
        description: i.description.clone(),
        created_by: Some(i.created_by),
    }
}

async fn create_service_account(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: ServiceAccountCreate = decode(body)?;
    let mut w = s.world();
    check_name(&w, &UserKind::ServiceAccount, &body.name, None)?;
    let i = create(&mut w, UserKind::ServiceAccount, body.name, body.description.unwrap_or_default(), None);
    Ok(json(&service_account(&i)))
}

async fn update_service_account(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "serviceAccountID")?;
    let body: IdentityUpdate = decode(body)?;
    let i = update(&mut s.world(), UserKind::ServiceAccount, id, body)?;
    Ok(json(&service_account(&i)))
}

async fn delete_service_account(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "serviceAccountID")?;
    delete(&mut s.world(), UserKind::ServiceAccount, id)?;
    Ok(json(&ServiceAccountIdReply { service_account_id: id }))
}

async fn create_cloud_principal(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: CloudPrincipalCreate = decode(body)?;
    let principal = body.cloud_principal.trim().to_string();
    if principal.is_empty() {
        return Err(SimError::bad_request("cloudPrincipal must not be empty"));
    }
    let mut w = s.world();
    check_name(&w, &UserKind::CloudPrincipal, &body.name, None)?;
    if w.people.identities.values().any(|i| i.cloud_principal.as_deref() == Some(principal.as_str())) {
        return Err(SimError::bad_request(format!("the cloud principal {principal} is already bound to a member")));
    }
    let description = body.description.unwrap_or_default();
    let i = create(&mut w, UserKind::CloudPrincipal, body.name, description, Some(principal));
    Ok(json(&cloud_principal(&i)))
}

async fn update_cloud_principal(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "cloudPrincipalID")?;
    let body: IdentityUpdate = decode(body)?;
    let i = update(&mut s.world(), UserKind::CloudPrincipal, id, body)?;
    Ok(json(&cloud_principal(&i)))
}

async fn delete_cloud_principal(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "cloudPrincipalID")?;
    delete(&mut s.world(), UserKind::CloudPrincipal, id)?;
    Ok(json(&CloudPrincipalIdReply { cloud_principal_id: id }))
}
