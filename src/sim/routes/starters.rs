//! Starter (shared-tier) deployments with their database users, at both versions: starter
//! workspaces under `/v1/sharedtier/virtualWorkspaces` and the same objects (same IDs) as
//! starter clusters under `/v2/sharedtier/virtualClusters`. The service is strict about the
//! provider's spelling (exactly `AWS`, `AZURE` or `GCP`) and the shared-tier region, and
//! answers both with a 500; at v2 it also refuses body fields it does not know.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, patch, post};
use serde::Deserialize;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::clusters::reject_unknown;
use super::workspaces::cell_of;
use super::{decode, generate_password, json, v2_path_id};
use crate::api::ApiVersion;
use crate::api::starters::{StarterCluster, StarterClusterIdReply, StarterUserCreated};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::{AuditEvent, StarterUser};
use crate::sim::{AppState, SimError, SimResult, World};

const ROOT: &str = "/v2/sharedtier/virtualClusters";
/// The v1 routes; listing and reading one are served with the organization's routes.
const V1_ROOT: &str = "/v1/sharedtier/virtualWorkspaces";

pub fn routes() -> Router<AppState> {
    use ApiVersion::V1;
    Router::new()
        .route(ROOT, get(list).post(|s: State<AppState>, b: JsonBody<Value>| create(ApiVersion::V2, s, b)))
        .route(&format!("{ROOT}/{{virtualClusterID}}"), get(one).delete(remove))
        .route(
            &format!("{ROOT}/{{virtualClusterID}}/users"),
            post(|s: State<AppState>, id: Path<String>, b: JsonBody<Value>| create_user(ApiVersion::V2, s, id, b)),
        )
        .route(
            &format!("{ROOT}/{{virtualClusterID}}/users/{{userID}}"),
            patch(|s: State<AppState>, ids: Path<(String, String)>, b: JsonBody<Value>| {
                set_password(ApiVersion::V2, s, ids, b)
            })
            .delete(remove_user),
        )
        .route(V1_ROOT, post(|s: State<AppState>, b: JsonBody<Value>| create(V1, s, b)))
        .route(&format!("{V1_ROOT}/{{virtualWorkspaceID}}"), delete(remove))
        .route(
            &format!("{V1_ROOT}/{{virtualWorkspaceID}}/users"),
            post(|s: State<AppState>, id: Path<String>, b: JsonBody<Value>| create_user(V1, s, id, b)),
        )
        .route(
            &format!("{V1_ROOT}/{{virtualWorkspaceID}}/users/{{userID}}"),
            patch(|s: State<AppState>, ids: Path<(String, String)>, b: JsonBody<Value>| set_password(V1, s, ids, b))
                .delete(remove_user),
        )
}

/// v1 ignores body fields it does not know; v2 refuses them.
fn check_fields(version: ApiVersion, raw: &Value, known: &[&str]) -> SimResult<()> {
    match version {
        ApiVersion::V1 => Ok(()),
        ApiVersion::V2 => reject_unknown(raw, known, &[]),
    }
}

fn view(s: &StarterWorkspace, id: Uuid) -> StarterCluster {
    StarterCluster {
        virtual_cluster_id: id,
        name: s.name.clone().unwrap_or_default(),
        database_name: s.database_name.clone(),
        endpoint: s.endpoint.clone(),
        mysql_dml_port: s.mysql_dml_port,
        websocket_port: s.websocket_port,
        project_id: s.project_id,
        extra: Default::default(),
    }
}

fn starter(w: &World, id: Uuid) -> SimResult<&StarterWorkspace> {
    w.starter_workspaces.get(&id).ok_or_else(|| SimError::not_found(format!("virtual cluster {id} not found")))
}

fn internal(message: impl Into<String>) -> SimError {
    SimError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
}

async fn list(State(s): State<AppState>) -> Response {
    let w = s.world();
    let list: Vec<StarterCluster> = w.starter_workspaces.iter().map(|(id, s)| view(s, *id)).collect();
    json(&list)
}

async fn one(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    Ok(json(&view(starter(&s.world(), id)?, id)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    name: Option<String>,
    database_name: Option<String>,
    provider: Option<String>,
    region_name: Option<String>,
    #[serde(rename = "projectID")]
    project_id: Option<String>,
}

async fn create(version: ApiVersion, State(s): State<AppState>, JsonBody(raw): JsonBody<Value>) -> SimResult<Response> {
    check_fields(version, &raw, &["name", "databaseName", "provider", "regionName", "projectID"])?;
    let body: CreateBody = decode(raw)?;
    // Names are not validated beyond being there.
    let name = body.name.filter(|n| !n.is_empty()).ok_or_else(|| SimError::bad_request("name is required"))?;
    let database = body
        .database_name
        .filter(|d| !d.is_empty())
        .ok_or_else(|| SimError::bad_request("databaseName is required"))?;
    // Exactly upper case: anything else reaches the service's enum as "Unspecified".
    let provider = match body.provider.as_deref() {
        Some(p @ ("AWS" | "AZURE" | "GCP")) => Provider::from_wire(p),
        _ => return Err(internal("Unspecified is not a valid CloudServiceProvider")),
    };
    let region = body.region_name.unwrap_or_default();
    let mut w = s.world();
    let found = w.regions_shared_tier.iter().find(|r| r.provider == provider && r.region_name == region).cloned();
    let Some(found) = found else {
        return Err(internal(format!(
            "error creating virtual workspace ({name}): no shared tier region found for provider {} and region {region}",
            provider.as_str().to_ascii_uppercase()
        )));
    };
    let project_id = match body.project_id.as_deref() {
        Some(raw) => {
            let id = v2_path_id(raw)?;
            super::projects::project(&w, id).map_err(|_| SimError::bad_request("project not found"))?.project_id
        }
        None => {
            let shared = Some(crate::api::projects::ProjectEdition::Shared);
            w.projects
                .iter()
                .find(|p| p.edition == shared)
                .or(w.default_project())
                .map(|p| p.project_id)
                .unwrap_or_default()
        }
    };
    let id = Uuid::new_v4();
    let cell = cell_of(&found.provider, &found.region_name);
    w.starter_workspaces.insert(
        id,
        StarterWorkspace {
            virtual_workspace_id: Some(id),
            name: Some(name.clone()),
            database_name: Some(database.clone()),
            endpoint: Some(format!("svc-{id}-shared-dml.{cell}.svc.singlestore.com")),
            mysql_dml_port: Some(3333),
            websocket_port: Some(443),
            project_id: Some(project_id),
            extra: Default::default(),
        },
    );
    w.audit_api(AuditEvent {
        kind: "StarterCluster.Create".into(),
        reason: format!("Starter cluster \"{name}\" created in {} ({})", found.region, found.provider),
        workspace_id: Some(id),
        attributes: Some(j!({ "databaseName": database })),
        ..Default::default()
    });
    Ok(match version {
        ApiVersion::V1 => json(&j!({ "virtualWorkspaceID": id })),
        ApiVersion::V2 => json(&StarterClusterIdReply { virtual_cluster_id: id }),
    })
}

async fn remove(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    let mut w = s.world();
    let name = starter(&w, id)?.name.clone().unwrap_or_default();
    w.starter_workspaces.remove(&id);
    w.starter_users.retain(|_, u| u.starter_id != id);
    w.audit_api(AuditEvent {
        kind: "StarterCluster.Delete".into(),
        reason: format!("Starter cluster \"{name}\" deleted"),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&true))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserBody {
    user_name: Option<String>,
    password: Option<String>,
}

async fn create_user(
    version: ApiVersion,
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody<Value>,
) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    check_fields(version, &raw, &["userName", "password"])?;
    let body: UserBody = decode(raw)?;
    let user_name =
        body.user_name.filter(|u| !u.trim().is_empty()).ok_or_else(|| SimError::bad_request("userName is required"))?;
    let mut w = s.world();
    let project = starter(&w, id)?.project_id;
    // Unique across the project's starter deployments; the service says no more than that.
    let taken = w.starter_users.values().any(|u| {
        u.user_name == user_name && w.starter_workspaces.get(&u.starter_id).is_some_and(|s| s.project_id == project)
    });
    if taken {
        return Err(internal(""));
    }
    let password = body.password.filter(|p| !p.is_empty()).unwrap_or_else(generate_password);
    let user_id = Uuid::new_v4();
    w.starter_users
        .insert(user_id, StarterUser { starter_id: id, user_name: user_name.clone(), password: password.clone() });
    w.audit_api(AuditEvent {
        kind: "StarterCluster.CreateUser".into(),
        reason: format!("Database user \"{user_name}\" created"),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&StarterUserCreated { user_id, password }))
}

fn user_ids(raw: &(String, String)) -> SimResult<(Uuid, Uuid)> {
    Ok((v2_path_id(&raw.0)?, v2_path_id(&raw.1)?))
}

fn user_of(w: &World, starter_id: Uuid, user_id: Uuid) -> SimResult<String> {
    starter(w, starter_id)?;
    w.starter_users
        .get(&user_id)
        .filter(|u| u.starter_id == starter_id)
        .map(|u| u.user_name.clone())
        .ok_or_else(|| SimError::not_found(format!("user {user_id} not found")))
}

#[derive(Debug, Default, Deserialize)]
struct PasswordBody {
    password: Option<String>,
}

async fn set_password(
    version: ApiVersion,
    State(s): State<AppState>,
    Path(ids): Path<(String, String)>,
    JsonBody(raw): JsonBody<Value>,
) -> SimResult<Response> {
    let (id, user_id) = user_ids(&ids)?;
    check_fields(version, &raw, &["password"])?;
    let body: PasswordBody = decode(raw)?;
    let password =
        body.password.filter(|p| !p.is_empty()).ok_or_else(|| SimError::bad_request("password is required"))?;
    let mut w = s.world();
    let name = user_of(&w, id, user_id)?;
    if let Some(u) = w.starter_users.get_mut(&user_id) {
        u.password = password;
    }
    w.audit_api(AuditEvent {
        kind: "StarterCluster.UpdateUser".into(),
        reason: format!("Password of database user \"{name}\" changed"),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&true))
}

async fn remove_user(State(s): State<AppState>, Path(ids): Path<(String, String)>) -> SimResult<Response> {
    let (id, user_id) = user_ids(&ids)?;
    let mut w = s.world();
    let name = user_of(&w, id, user_id)?;
    w.starter_users.remove(&user_id);
    w.audit_api(AuditEvent {
        kind: "StarterCluster.DeleteUser".into(),
        reason: format!("Database user \"{name}\" dropped"),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&true))
}
