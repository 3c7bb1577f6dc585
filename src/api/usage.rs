//! Billing: usage records and cost simulation.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use crate::wire_enum;

wire_enum!(
    /// Query-side metric names of `GET /v1/billing/usage` (replies use other names).
    UsageMetric { ComputeCredit = "ComputeCredit", StorageAvgByte = "StorageAvgByte" }
);

wire_enum!(AggregateBy { Hour = "hour", Day = "day", Month = "month" });

wire_enum!(Multiplier { X1 = "X1", X2 = "X2", X4 = "X4" });

wire_enum!(Edition { Standard = "Standard", Enterprise = "Enterprise", Dedicated = "Dedicated" });

wire_enum!(SimulatedStatus { Active = "Active", Paused = "Paused", Terminated = "Terminated" });

wire_enum!(SimulatedResourceType { Workspace = "Workspace", WorkspaceGroup = "WorkspaceGroup", Cluster = "Cluster" });

/// One bucket of usage; every field is a string on the wire, `value` included.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageRecord {
    #[serde(default)]
    pub resource_id: String,
    #[serde(default)]
    pub resource_name: String,
    #[serde(default)]
    pub resource_type: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub value: String,
}

impl UsageRecord {
    /// The numeric value; `None` when the server sent something that is not a number.
    pub fn amount(&self) -> Option<f64> {
        self.value.trim().parse().ok()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingUsage {
    /// Reply-side names (`compute-hour`, …) differ from the query's `ComputeCredit`.
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub usage: Vec<UsageRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingUsageReply {
    #[serde(default)]
    pub billing_usage: Vec<BillingUsage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationResourceConfig {
    pub id: Uuid,
    pub start_at: String,
    pub end_before: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_factor: Option<Multiplier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_multiplier: Option<Multiplier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<Edition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SimulatedStatus>,
    #[serde(rename = "multiAZ", default, skip_serializing_if = "Option::is_none")]
    pub multi_az: Option<bool>,
    #[serde(rename = "cellID", default, skip_serializing_if = "Option::is_none")]
    pub cell_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulateUsageRequest {
    pub start_at: String,
    pub end_before: String,
    pub resource_configurations: Vec<SimulationResourceConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedResourceUsage {
    pub id: Uuid,
    pub amount: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SimulatedResourceType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "parentID", default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_before: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulateUsageResponse {
    #[serde(default)]
    pub resource_usage: Vec<SimulatedResourceUsage>,
}

/// Query of `GET /v1/billing/usage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageQuery {
    pub start_time: String,
    pub end_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<UsageMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_by: Option<AggregateBy>,
}

impl Client {
    pub async fn billing_usage(&self, query: &UsageQuery) -> Result<BillingUsageReply, ApiError> {
        self.get(&format!("{}/billing/usage", self.prefix()), query_pairs(query)?).await
    }

    pub async fn simulate_usage(&self, body: &SimulateUsageRequest) -> Result<SimulateUsageResponse, ApiError> {
        self.send(Method::POST, "/v1/billing/usage/simulate", vec![], body).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum UsageRequest {
    Usage { query: UsageQuery },
    Estimate(SimulateUsageRequest),
}

/// None: usage is read-only.
#[derive(Debug, Clone, PartialEq)]
pub enum UsageChange {}

#[derive(Debug)]
pub enum UsageReply {
    Usage(BillingUsageReply),
    Estimate(SimulateUsageResponse),
}

impl UsageRequest {
    pub async fn send(self, client: &Client) -> Result<UsageReply, ApiError> {
        let request = self;
        match request {
            UsageRequest::Usage { query } => Ok(UsageReply::Usage(client.billing_usage(&query).await?)),
            UsageRequest::Estimate(body) => Ok(UsageReply::Estimate(client.simulate_usage(&body).await?)),
        }
    }
}

impl UsageChange {
    pub async fn send(self, _client: &Client) -> Result<UsageReply, ApiError> {
        let change = self;
        match change {}
    }
}
