//! The families the service serves identically under `/v1` and `/v2` (organization, secrets,
//! jobs, billing, shared-tier regions), and Stage, which moves under the cluster at v2:
//! `/v2/clusters/{clusterID}/stage/fs/…` is the Stage of the cluster's group. Requests are
//! rewritten to their `/v1` route before routing, so both versions share one implementation.

use axum::http::Uri;

use super::v2_path_id;
use crate::api::types::WorkspaceState;
use crate::sim::{Shared, SimError, SimResult};

/// Prefixes (after `/v2`) that are the same route as under `/v1`.
const SHARED: &[&str] = &["/organizations/", "/secrets", "/jobs", "/billing/", "/regions/sharedtier"];

/// The `/v1` form of a `/v2` request target, or `None` to route it as it is.
pub fn rewrite(shared: &Shared, uri: &Uri) -> SimResult<Option<Uri>> {
    let Some(rest) = uri.path().strip_prefix("/v2") else {
        return Ok(None);
    };
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
    target.parse::<Uri>().map(Some).map_err(|e| SimError::bad_request(format!("invalid request path: {e}")))
}
