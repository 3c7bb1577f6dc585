//! Projects: `GET/POST /v1/projects`, `GET/PATCH/DELETE /v1/projects/{id}`, and the v2
//! reads of the same objects (`GET /v2/projects`, `/v2/projects/{id}`).

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::{decode, json, path_id};
use crate::api::projects::{Project, ProjectCreate, ProjectEdition, ProjectIdReply, ProjectUpdate};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::AuditEvent;
use crate::sim::{AppState, SimError, SimResult, World};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/projects", get(list).post(create))
        .route("/v1/projects/{projectID}", get(one_v1).patch(rename).delete(remove))
        .route("/v2/projects", get(list))
        .route("/v2/projects/{projectID}", get(one_v2))
}

/// The project, or the service's 404.
pub fn project(w: &World, id: Uuid) -> SimResult<&Project> {
    w.projects.iter().find(|p| p.project_id == id).ok_or_else(|| SimError::not_found("project not found"))
}

async fn list(State(s): State<AppState>) -> Response {
    json(&s.world().projects)
}

async fn one_v1(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "projectID")?;
    Ok(json(project(&s.world(), id)?))
}

async fn one_v2(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = super::v2_path_id(&id)?;
    Ok(json(project(&s.world(), id)?))
}

fn validate_name(name: &str) -> SimResult<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(SimError::bad_request("name must not be empty"));
    }
    if n.chars().count() > 64 {
        return Err(SimError::bad_request("name must be at most 64 characters long"));
    }
    Ok(n.to_string())
}

async fn create(State(s): State<AppState>, JsonBody(body): JsonBody<Value>) -> SimResult<Response> {
    let body: ProjectCreate = decode(body)?;
    let name = validate_name(&body.name)?;
    if body.edition.is_unknown() {
        let known: Vec<&str> = ProjectEdition::KNOWN.iter().map(ProjectEdition::as_str).collect();
        return Err(SimError::bad_request(format!(
            "invalid edition {:?}: expected one of {}",
            body.edition.as_str(),
            known.join(", ")
        )));
    }
    let mut w = s.world();
    let id = Uuid::new_v4();
    let edition = body.edition;
    let created_at = Some(format_time(w.clock.now()));
    w.projects.push(Project {
        project_id: id,
        name: name.clone(),
        edition: Some(edition.clone()),
        created_at,
        extra: Default::default(),
    });
    w.audit_api(AuditEvent {
        kind: "Project.Create".into(),
        reason: format!("Project \"{name}\" ({edition}) created"),
        attributes: Some(j!({ "projectID": id })),
        ..Default::default()
    });
    Ok(json(&ProjectIdReply { project_id: id }))
}

async fn rename(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> SimResult<Response> {
    let id = path_id(&id, "projectID")?;
    let body: ProjectUpdate = decode(body)?;
    let name = validate_name(&body.name)?;
    let mut w = s.world();
    let old = project(&w, id)?.name.clone();
    if let Some(p) = w.projects.iter_mut().find(|p| p.project_id == id) {
        p.name = name.clone();
    }
    // Groups carry their project's name.
    for g in w.groups.values_mut().filter(|g| g.api.project_id == Some(id)) {
        g.api.project_name = Some(name.clone());
    }
    w.audit_api(AuditEvent {
        kind: "Project.Update".into(),
        reason: format!("Project \"{old}\" renamed to \"{name}\""),
        attributes: Some(j!({ "projectID": id })),
        ..Default::default()
    });
    Ok(json(&ProjectIdReply { project_id: id }))
}

async fn remove(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = path_id(&id, "projectID")?;
    let mut w = s.world();
    let name = project(&w, id)?.name.clone();
    let live_groups = w
        .groups
        .values()
        .filter(|g| g.api.project_id == Some(id) && g.api.state != WorkspaceGroupState::Terminated)
        .count();
    let starters = w.starter_workspaces.values().filter(|s| s.project_id == Some(id)).count();
    if live_groups + starters > 0 {
        return Err(SimError::bad_request(format!(
            "project \"{name}\" still has {} deployment(s); terminate them first",
            live_groups + starters
        )));
    }
    w.projects.retain(|p| p.project_id != id);
    w.audit_api(AuditEvent {
        kind: "Project.Delete".into(),
        reason: format!("Project \"{name}\" deleted"),
        attributes: Some(j!({ "projectID": id })),
        ..Default::default()
    });
    Ok(json(&ProjectIdReply { project_id: id }))
}
