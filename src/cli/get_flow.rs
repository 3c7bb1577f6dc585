//! `s2tui get flows` and `s2tui get functions`: Flow instances and cloud functions.

use super::output::json;
use super::table::{Table, or_dash};
use crate::api::client::Client;
use crate::api::error::ApiError;

/// Cloud functions are read a page at a time; this many per page.
const PAGE: u32 = 50;

pub async fn flows(client: &Client, include_terminated: bool, as_json: bool) -> Result<String, ApiError> {
    let flows = client.flows(include_terminated).await?;
    if as_json {
        return Ok(json(&flows));
    }
    let mut t = Table::new(["ID", "NAME", "STATUS", "SIZE", "WORKSPACE", "DATABASE", "USER", "ENDPOINT", "CREATED"]);
    for f in &flows {
        t.row([
            f.flow_id.to_string(),
            f.name.clone(),
            or_dash(f.status.as_deref()),
            or_dash(f.size.as_deref()),
            f.workspace_id.map_or("-".into(), |w| w.to_string()),
            or_dash(f.database_name.as_deref()),
            or_dash(f.user_name.as_deref()),
            or_dash(f.endpoint.as_deref()),
            or_dash(Some(&f.created_at)),
        ]);
    }
    Ok(t.render())
}

pub async fn functions(client: &Client, as_json: bool) -> Result<String, ApiError> {
    let all = client.all_cloud_functions(PAGE).await?;
    if as_json {
        return Ok(json(&all));
    }
    let mut t = Table::new(["ID", "NAME", "STATUS", "ENDPOINT", "UPDATED", "DESCRIPTION"]);
    for f in &all {
        t.row([
            f.service_id.to_string(),
            f.name.clone(),
            f.status.to_string(),
            or_dash(f.endpoint.as_deref()),
            or_dash(f.last_updated_at.as_deref()),
            or_dash(f.description.as_deref()),
        ]);
    }
    Ok(t.render())
}
