//! `s2tui get overview`: the organization at a glance.

use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::table::Table;
use crate::api::client::Client;
use crate::api::error::ApiError;

/// The organization, its groups and their workspaces, as text or JSON.
pub async fn overview(client: &Client, as_json: bool) -> Result<String, ApiError> {
    let org = client.organization().await?;
    let groups = client.workspace_groups(false).await?;
    let per_group: Vec<_> = stream::iter(groups.iter())
        .map(|g| client.workspaces(g.workspace_group_id, false))
        .buffered(8)
        .try_collect()
        .await?;
    if as_json {
        let groups_json: Vec<serde_json::Value> =
            groups.iter().zip(&per_group).map(|(g, ws)| serde_json::json!({ "group": g, "workspaces": ws })).collect();
        let value = serde_json::json!({ "organization": org, "groups": groups_json });
        return Ok(super::output::json(&value));
    }
    let name = crate::sanitize::one_line(org.name.as_deref().unwrap_or("organization")).into_owned();
    let mut out = format!("{name}  ({})\n\n", org.org_id);
    let mut t = Table::new(["GROUP", "WORKSPACE", "SIZE", "STATE", "REGION"]);
    for (g, workspaces) in groups.iter().zip(&per_group) {
        if workspaces.is_empty() {
            t.row([g.name.clone(), "-".into(), "-".into(), g.state.to_string(), g.region_name.clone()]);
        }
        for w in workspaces {
            t.row([g.name.clone(), w.name.clone(), w.size.clone(), w.state.to_string(), g.region_name.clone()]);
        }
    }
    out.push_str(&t.render());
    let total: usize = per_group.iter().map(Vec::len).sum();
    out.push_str(&format!("\n{} groups, {} workspaces.\n", groups.len(), total));
    Ok(out)
}
