//! `s2tui get dr GROUP`: a group's storage DR — where the replicas are, which region serves
//! writes, and the latest failover, failback or pre-provisioning step.

use uuid::Uuid;

use super::resolve;
use super::table::Table;
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::sanitize::one_line;

/// "Production (us-east-1)", or the id when the group is not in the list.
fn label(groups: &[WorkspaceGroup], id: Uuid) -> String {
    match groups.iter().find(|g| g.workspace_group_id == id) {
        Some(g) => format!("{} ({})", one_line(&g.name), one_line(&g.region_name)),
        None => id.to_string(),
    }
}

pub async fn run(client: &Client, wanted: &str, as_json: bool) -> Result<String, ApiError> {
    let group = resolve::group(client, wanted).await?;
    let (status, groups) = tokio::try_join!(client.dr_status(group.id), client.workspace_groups(false))?;
    if as_json {
        let v = serde_json::json!({ "workspaceGroupID": group.id, "status": status });
        return Ok(super::output::json(&v));
    }
    let me = label(&groups, group.id);
    let Some(status) = status else {
        return Ok(format!("{me}: storage DR is not set up\n"));
    };
    let mut out = String::new();
    if let Some(secondary) = status.secondary() {
        out.push_str(&format!("{me}: storage DR with {}\n", label(&groups, secondary)));
    } else {
        out.push_str(&format!("{me}: storage DR set up\n"));
    }
    let dr_status_of =
        |id: Uuid| groups.iter().find(|g| g.workspace_group_id == id).and_then(|g| g.smart_dr_status.clone());
    match status.serving(group.id, dr_status_of) {
        Some(id) => {
            let name = groups
                .iter()
                .find(|g| g.workspace_group_id == id)
                .map_or(id.to_string(), |g| one_line(&g.name).into_owned());
            out.push_str(&format!("writes served by {name}\n"));
        }
        None => out.push_str("writes served by: not reported\n"),
    }
    match &status.compute {
        Some(c) => {
            let progress = c.progress();
            let progress = if progress.is_empty() { String::new() } else { format!(" ({progress})") };
            out.push_str(&format!("latest operation: {} {}{progress}\n", c.storage_dr_type, c.storage_dr_state));
        }
        None => out.push_str("latest operation: none yet\n"),
    }
    out.push('\n');
    let mut t = Table::new(["DATABASE", "REPLICA REGION", "STATE"]);
    for d in &status.storage {
        t.row([d.database_name.clone(), d.region.clone(), d.duplication_state.to_string()]);
    }
    out.push_str(&t.render());
    Ok(out)
}
