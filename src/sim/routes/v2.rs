//! The families the service serves identically under `/v1` and `/v2` (organization, secrets,
//! jobs, billing, shared-tier regions), and Stage, which moves under the cluster at v2:
//! `/v2/clusters/{clusterID}/stage/fs/…` is the Stage of the cluster's group. Requests are
//! rewritten to their `/v1` route before routing, so both versions share one implementation.
//! One difference is put back on the way out: Stage at v2 calls a plain file `"file"` where
//! v1 leaves its type empty.

use axum::body::Body;
use axum::http::{Response, Uri, header};
use serde_json::Value;

use super::v2_path_id;
use crate::api::types::WorkspaceState;
use crate::sim::{Shared, SimError, SimResult};

/// Prefixes (after `/v2`) that are the same route as under `/v1`.
const SHARED: &[&str] = &["/organizations/", "/secrets", "/jobs", "/billing/", "/regions/sharedtier"];

/// A `/v2` request sent on to its `/v1` route.
pub struct Rewritten {
    pub uri: Uri,
    /// A Stage request, whose reply needs [`stage_reply`].
    pub stage: bool,
}

/// The `/v1` form of a `/v2` request target, or `None` to route it as it is.
pub fn rewrite(shared: &Shared, uri: &Uri) -> SimResult<Option<Rewritten>> {
    let Some(rest) = uri.path().strip_prefix("/v2") else {
        return Ok(None);
    };
    let mut stage_request = false;
    let path = if let Some(stage) = rest.strip_prefix("/clusters/").and_then(|r| {
        let (id, tail) = r.split_once('/')?;
        Some((id, tail.strip_prefix("stage/fs")?))
    }) {
        let (raw, tail) = stage;
        let id = v2_path_id(raw)?;
        let w = shared.world();
        let group = w
            .workspaces
            .get(&id)
            .filter(|ws| ws.api.state != WorkspaceState::Terminated)
            .map(|ws| ws.api.workspace_group_id)
            .ok_or_else(|| SimError::not_found(format!("cluster {id} not found")))?;
        stage_request = true;
        format!("/v1/stage/{group}/fs{tail}")
    } else if SHARED.iter().any(|p| rest.starts_with(p) || rest == p.trim_end_matches('/')) {
        format!("/v1{rest}")
    } else {
        return Ok(None);
    };
    let target = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    let uri = target.parse::<Uri>().map_err(|e| SimError::bad_request(format!("invalid request path: {e}")))?;
    Ok(Some(Rewritten { uri, stage: stage_request }))
}

/// Largest Stage metadata reply rewritten (a listing of a very large folder is passed as it is).
const MAX_REWRITTEN: usize = 64 * 1024 * 1024;

/// A v1 Stage reply as v2 words it: plain files are of type `"file"`.
pub async fn stage_reply(resp: Response<Body>) -> Response<Body> {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_REWRITTEN).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    name_files(&mut value);
    let out = serde_json::to_vec(&value).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

fn name_files(v: &mut Value) {
    if let Value::Object(o) = v {
        if o.get("type").and_then(Value::as_str) == Some("") {
            o.insert("type".into(), Value::from("file"));
        }
        if let Some(Value::Array(children)) = o.get_mut("content") {
            children.iter_mut().for_each(name_files);
        }
    }
}
