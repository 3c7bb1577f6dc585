//! The audit log.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::lenient;
use crate::wire_enum;

wire_enum!(AuditSource { Admin = "Admin", Portal = "Portal", SystemJob = "SystemJob" });

wire_enum!(AuditUserType {
    Automation = "Automation",
    CiAutomation = "CIAutomation",
    Cluster = "Cluster",
    Customer = "Customer",
    Employee = "Employee",
    NimbusGateway = "NimbusGateway",
    SniProxy = "SNIProxy",
    SharedTier = "SharedTier",
    Studio = "Studio",
    System = "System",
    Unspecified = "Unspecified",
});

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    #[serde(rename = "auditID", default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub audit_id: Option<Uuid>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub source: Option<AuditSource>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(rename = "userID", default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub user_type: Option<AuditUserType>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(
        rename = "apiKeyID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_key_id: Option<Uuid>,
    #[serde(
        rename = "sessionID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub session_id: Option<Uuid>,
    #[serde(rename = "orgID", default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub org_id: Option<Uuid>,
    #[serde(
        rename = "workspaceID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub workspace_id: Option<Uuid>,
    #[serde(
        rename = "clusterID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub cluster_id: Option<Uuid>,
    #[serde(rename = "teamID", default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    #[serde(
        rename = "projectID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub project_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogPage {
    #[serde(default, deserialize_with = "lenient::rows")]
    pub audit_logs: Vec<AuditLog>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Every filter of `GET /v1/auditLogs`; `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogQuery {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<AuditSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(rename = "userID", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Uuid>,
    #[serde(rename = "apiKeyID", default, skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<Uuid>,
    #[serde(rename = "workspaceGroupID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_group_id: Option<Uuid>,
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<Uuid>,
    #[serde(rename = "teamID", default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    #[serde(rename = "workspaceID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by_descending: Option<bool>,
}

impl Client {
    pub async fn audit_logs(&self, query: &AuditLogQuery) -> Result<AuditLogPage, ApiError> {
        self.get("/v1/auditLogs", query_pairs(query)?).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditRequest {
    /// Boxed: the query is large next to the other reads.
    Page(Box<AuditLogQuery>),
}

/// None: the audit log is read-only.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditChange {}

#[derive(Debug)]
pub enum AuditReply {
    Page(AuditLogPage),
}

impl AuditRequest {
    pub async fn send(self, client: &Client) -> Result<AuditReply, ApiError> {
        let request = self;
        match request {
            AuditRequest::Page(q) => Ok(AuditReply::Page(client.audit_logs(&q).await?)),
        }
    }
}

impl AuditChange {
    pub async fn send(self, _client: &Client) -> Result<AuditReply, ApiError> {
        let change = self;
        match change {}
    }
}
