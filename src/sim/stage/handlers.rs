//! `/v1/stage/{deploymentID}/fs[/{path}]`: list, metadata, download redirect, upload,
//! folder creation, move and delete; and the same for the Files spaces at
//! `/v1/files/fs/{personal|shared|models}[/{path}]` (and `/v2/files/fs/…`, the same), whose
//! uploads must carry a file.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::api::types::{StagePathReply, WorkspaceGroupState};
use crate::sim::AppState;
use crate::sim::error::{SimError, SimResult};
use crate::sim::extract::{JsonBody, parse_uuid};
use crate::sim::world::{AuditEvent, World};

use super::StagePath;

type Q = Query<HashMap<String, String>>;

/// The Stage API routes. Uploads are streamed to disk, so the body limit is lifted here.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/stage/{deployment_id}/fs", get(get_root).put(put_root).patch(patch_root).delete(delete_root))
        .route("/v1/stage/{deployment_id}/fs/", get(get_root).put(put_root).patch(patch_root).delete(delete_root))
        .route(
            "/v1/stage/{deployment_id}/fs/{*path}",
            get(get_path).put(put_path).patch(patch_path).delete(delete_path),
        )
        .merge(files_routes("v1"))
        .merge(files_routes("v2"))
        .layer(DefaultBodyLimit::disable())
}

/// The Files spaces, served the same at both API versions.
fn files_routes(version: &str) -> Router<AppState> {
    let root = format!("/{version}/files/fs/{{location}}");
    Router::new().route(&root, get(files_get_root)).route(&format!("{root}/"), get(files_get_root)).route(
        &format!("{root}/{{*path}}"),
        get(files_get_path).put(files_put_path).patch(files_patch_path).delete(files_delete_path),
    )
}

/// How a Files space reaches the shared handlers: as a deployment only this route can name.
const FILES: &str = "files:";

async fn files_get_root(st: State<AppState>, Path(loc): Path<String>, q: Q) -> SimResult<Response> {
    get_any(st, format!("{FILES}{loc}"), String::new(), q).await
}
async fn files_get_path(st: State<AppState>, Path((loc, path)): Path<(String, String)>, q: Q) -> SimResult<Response> {
    get_any(st, format!("{FILES}{loc}"), path, q).await
}
async fn files_put_path(
    st: State<AppState>,
    Path((loc, path)): Path<(String, String)>,
    q: Q,
    req: Request,
) -> SimResult<Json<StagePathReply>> {
    put_any(st, format!("{FILES}{loc}"), path, q, req).await
}
async fn files_patch_path(
    st: State<AppState>,
    Path((loc, path)): Path<(String, String)>,
    body: JsonBody<PatchBody>,
) -> SimResult<Json<StagePathReply>> {
    patch_any(st, format!("{FILES}{loc}"), path, body).await
}
async fn files_delete_path(
    st: State<AppState>,
    Path((loc, path)): Path<(String, String)>,
) -> SimResult<Json<StagePathReply>> {
    delete_any(st, format!("{FILES}{loc}"), path).await
}

async fn get_root(st: State<AppState>, Path(dep): Path<String>, q: Q) -> SimResult<Response> {
    get_any(st, dep, String::new(), q).await
}
async fn get_path(st: State<AppState>, Path((dep, path)): Path<(String, String)>, q: Q) -> SimResult<Response> {
    get_any(st, dep, path, q).await
}
async fn put_root(st: State<AppState>, Path(dep): Path<String>, q: Q, req: Request) -> SimResult<Json<StagePathReply>> {
    put_any(st, dep, String::new(), q, req).await
}
async fn put_path(
    st: State<AppState>,
    Path((dep, path)): Path<(String, String)>,
    q: Q,
    req: Request,
) -> SimResult<Json<StagePathReply>> {
    put_any(st, dep, path, q, req).await
}
async fn patch_root(
    st: State<AppState>,
    Path(dep): Path<String>,
    body: JsonBody<PatchBody>,
) -> SimResult<Json<StagePathReply>> {
    patch_any(st, dep, String::new(), body).await
}
async fn patch_path(
    st: State<AppState>,
    Path((dep, path)): Path<(String, String)>,
    body: JsonBody<PatchBody>,
) -> SimResult<Json<StagePathReply>> {
    patch_any(st, dep, path, body).await
}
async fn delete_root(st: State<AppState>, Path(dep): Path<String>) -> SimResult<Json<StagePathReply>> {
    delete_any(st, dep, String::new()).await
}
async fn delete_path(
    st: State<AppState>,
    Path((dep, path)): Path<(String, String)>,
) -> SimResult<Json<StagePathReply>> {
    delete_any(st, dep, path).await
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PatchBody {
    #[serde(default)]
    new_path: Option<String>,
}

/// Whose Stage this is, for audit entries.
enum Owner {
    Group(Uuid),
    Starter(Uuid),
    /// A Files space, by name.
    Files(String),
}

/// A workspace group (not terminated) or a starter workspace; anything else is 404.
fn deployment(w: &World, raw: &str) -> SimResult<(Uuid, Owner)> {
    if let Some(space) = raw.strip_prefix(FILES) {
        let id = super::files_space_id(space).ok_or_else(|| {
            SimError::bad_request(format!("invalid location {space:?}: expected personal, shared or models"))
        })?;
        return Ok((id, Owner::Files(space.to_string())));
    }
    let id = parse_uuid(raw, "deploymentID")?;
    if let Some(g) = w.groups.get(&id)
        && g.api.state != WorkspaceGroupState::Terminated
    {
        return Ok((id, Owner::Group(id)));
    }
    if w.starter_workspaces.contains_key(&id) {
        return Ok((id, Owner::Starter(id)));
    }
    Err(SimError::not_found(format!("deployment {id} not found")))
}

fn audit(w: &mut World, owner: &Owner, kind: &str, reason: String, attrs: serde_json::Value) {
    let (group, workspace) = match owner {
        Owner::Group(g) => (Some(*g), None),
        Owner::Starter(s) => (None, Some(*s)),
        Owner::Files(_) => (None, None),
    };
    let (kind, reason, label) = match owner {
        Owner::Files(space) => (
            kind.replacen("Stage.", "Files.", 1),
            format!("{} (Files, {space})", reason.replacen("Stage ", "", 1)),
            "Files",
        ),
        _ => (kind.to_string(), reason, "Stage"),
    };
    w.audit_api(AuditEvent {
        kind,
        reason,
        workspace_group_id: group,
        workspace_id: workspace,
        labels: vec![label.into()],
        attributes: Some(attrs),
        ..AuditEvent::default()
    });
}

fn reply(p: &StagePath) -> Json<StagePathReply> {
    Json(StagePathReply { name: Some(p.name().to_string()), path: Some(p.key()) })
}

fn flag(q: &HashMap<String, String>, name: &str) -> Option<bool> {
    q.get(name).map(|v| {
        let v = v.trim();
        v == "1" || v.eq_ignore_ascii_case("true")
    })
}

fn internal(e: impl std::fmt::Display) -> SimError {
    SimError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("storage error: {e}"))
}

async fn get_any(State(st): State<AppState>, dep: String, raw: String, Query(q): Q) -> SimResult<Response> {
    let p = StagePath::parse(&raw)?;
    let mut w = st.world();
    let (dep, _) = deployment(&w, &dep)?;
    if p.dir {
        // `metadata` is ignored for folders: the listing is the metadata.
        return Ok(Json(w.stage.list(dep, &p)?).into_response());
    }
    if flag(&q, "metadata") == Some(true) {
        return Ok(Json(w.stage.file_meta(dep, &p)?).into_response());
    }
    let now = w.clock.now();
    let ttl = chrono::Duration::from_std(st.config.signed_url_ttl).unwrap_or_else(|_| chrono::Duration::minutes(15));
    let (token, grant) = w.stage.sign(dep, &p, now, ttl)?;
    drop(w);
    let location = signed_url(&st.blob_base, &grant.object_key, &token, now, ttl)?;
    Ok((StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, location)]).into_response())
}

/// An S3-style presigned URL; the signature is an opaque token the blob host looks up.
fn signed_url(
    base: &str,
    object_key: &str,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
    ttl: chrono::Duration,
) -> SimResult<String> {
    let mut url = url::Url::parse(base).map_err(internal)?;
    url.path_segments_mut()
        .map_err(|()| internal("object-store base URL cannot hold a path"))?
        .pop_if_empty()
        .extend(object_key.split('/').filter(|s| !s.is_empty()));
    url.query_pairs_mut()
        .append_pair("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
        .append_pair("X-Amz-Date", &now.format("%Y%m%dT%H%M%SZ").to_string())
        .append_pair("X-Amz-Expires", &ttl.num_seconds().max(0).to_string())
        .append_pair("X-Amz-SignedHeaders", "host")
        .append_pair("X-Amz-Signature", token);
    Ok(url.to_string())
}

async fn put_any(
    State(st): State<AppState>,
    dep: String,
    raw: String,
    Query(q): Q,
    req: Request,
) -> SimResult<Json<StagePathReply>> {
    let p = StagePath::parse(&raw)?;
    let (dep, owner) = deployment(&st.world(), &dep)?;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    if multipart {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| SimError::bad_request(format!("invalid multipart body: {e}")))?;
        while let Some(field) =
            mp.next_field().await.map_err(|e| SimError::bad_request(format!("invalid multipart body: {e}")))?
        {
            if field.name() == Some("file") {
                return upload(&st, dep, &owner, &p, field).await;
            }
        }
    }
    if matches!(owner, Owner::Files(_)) {
        return Err(SimError::bad_request(
            "missing multipart/form-data part \"file\": the Files API uploads files only",
        ));
    }
    // No file part: a folder (the legacy `isFile=true` made an empty file instead).
    let is_file = flag(&q, "isFile");
    if is_file == Some(true) && !p.dir {
        let mut w = st.world();
        w.stage.check_upload(dep, &p)?;
        let now = w.clock.now();
        w.stage.put_bytes(dep, &p, &[], now)?;
        audit_upload(&mut w, &owner, &p, 0);
        return Ok(reply(&p));
    }
    if !p.dir && is_file != Some(false) {
        return Err(SimError::bad_request("missing multipart/form-data part \"file\""));
    }
    let folder = p.as_dir();
    let mut w = st.world();
    let now = w.clock.now();
    if w.stage.mkdir(dep, &folder, now)? {
        audit(
            &mut w,
            &owner,
            "Stage.CreateFolder",
            format!("Created Stage folder {:?}", folder.key()),
            serde_json::json!({ "path": folder.key() }),
        );
    }
    Ok(reply(&folder))
}

fn audit_upload(w: &mut World, owner: &Owner, p: &StagePath, size: u64) {
    audit(
        w,
        owner,
        "Stage.Upload",
        format!("Uploaded {:?} to Stage ({size} bytes)", p.key()),
        serde_json::json!({ "path": p.key(), "size": size }),
    );
}

/// Streams the `file` part to a new file on disk, then links it into the tree.
async fn upload(
    st: &AppState,
    dep: Uuid,
    owner: &Owner,
    p: &StagePath,
    mut field: axum::extract::multipart::Field<'_>,
) -> SimResult<Json<StagePathReply>> {
    let blob = {
        let mut w = st.world();
        w.stage.check_upload(dep, p)?;
        w.stage.new_blob_path().map_err(internal)?
    };
    let written = async {
        let mut f = tokio::fs::File::create(&blob).await.map_err(internal)?;
        let mut size = 0u64;
        while let Some(chunk) =
            field.chunk().await.map_err(|e| SimError::bad_request(format!("upload interrupted: {e}")))?
        {
            size += chunk.len() as u64;
            f.write_all(&chunk).await.map_err(internal)?;
        }
        f.flush().await.map_err(internal)?;
        Ok::<u64, SimError>(size)
    }
    .await;
    let size = match written {
        Ok(n) => n,
        Err(e) => {
            let _ = tokio::fs::remove_file(&blob).await;
            return Err(e);
        }
    };
    let mut w = st.world();
    let now = w.clock.now();
    w.stage.commit_upload(dep, p, blob, size, now)?;
    audit_upload(&mut w, owner, p, size);
    Ok(reply(p))
}

async fn patch_any(
    State(st): State<AppState>,
    dep: String,
    raw: String,
    JsonBody(body): JsonBody<PatchBody>,
) -> SimResult<Json<StagePathReply>> {
    let from = StagePath::parse(&raw)?;
    let new_path =
        body.new_path.filter(|s| !s.trim().is_empty()).ok_or_else(|| SimError::bad_request("newPath is required"))?;
    let mut w = st.world();
    let (dep, owner) = deployment(&w, &dep)?;
    // The Files API moves files; its folders exist only through the files in them.
    if matches!(owner, Owner::Files(_)) && (from.dir || new_path.ends_with('/')) {
        return Err(SimError::bad_request("the Files API moves files only, not folders"));
    }
    let now = w.clock.now();
    let to = w.stage.rename(dep, &from, &new_path, now)?;
    audit(
        &mut w,
        &owner,
        "Stage.Move",
        format!("Moved Stage {:?} to {:?}", from.key(), to.key()),
        serde_json::json!({ "path": from.key(), "newPath": to.key() }),
    );
    Ok(reply(&to))
}

async fn delete_any(State(st): State<AppState>, dep: String, raw: String) -> SimResult<Json<StagePathReply>> {
    let p = StagePath::parse(&raw)?;
    let mut w = st.world();
    let (dep, owner) = deployment(&w, &dep)?;
    let freed = w.stage.delete(dep, &p)?;
    audit(
        &mut w,
        &owner,
        "Stage.Delete",
        format!("Deleted Stage {:?}", p.key()),
        serde_json::json!({ "path": p.key(), "size": freed }),
    );
    Ok(reply(&p))
}
