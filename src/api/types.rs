//! Wire types of the Management API (spec 1.2.162, see DIGEST §12–13 and §18).
//!
//! Field names are the wire names. Timestamps stay strings: the service sends variable
//! fractional seconds and `0001-01-01T00:00:00Z` for "unset", and a lossless round trip
//! matters more here than early parsing (see [`parse_time`]). Entities keep fields this
//! build does not know in `extra`, so a describe view shows everything the server sent.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::wire_enum;

/// Fields the server sent that this build has no name for.
pub type Extra = Map<String, Value>;

/// JSON numbers the service writes without a fraction when they are whole (`1`, not `1.0`):
/// clients that decode them into integers must not notice the difference.
mod whole {
    pub fn serialize<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Some(n) => s.serialize_f64(*n),
            None => s.serialize_none(),
        }
    }
}

/// Parses an API timestamp; `None` for empty strings and the Go zero time (year 1).
///
/// Two forms arrive: RFC 3339 (`2026-09-17T13:42:41.493848Z`) nearly everywhere, and Go's
/// `time.String()` (`2026-09-17 14:42:41.445984 +0000 UTC`, perhaps with a trailing
/// monotonic reading ` m=+0.01`) in a v2 cluster's `expiresAt`.
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0001-01-01") {
        return None;
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&chrono::Utc));
    }
    // Go: date, time, numeric offset, zone abbreviation, optional monotonic clock reading.
    let mut parts = s.split(' ');
    let (date, time, offset) = (parts.next()?, parts.next()?, parts.next()?);
    chrono::DateTime::parse_from_str(&format!("{date} {time} {offset}"), "%Y-%m-%d %H:%M:%S%.f %z")
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// A time as Go's `time.String()` writes it in UTC: `2026-09-17 14:42:41.445984 +0000 UTC`.
pub fn format_go_time(t: chrono::DateTime<chrono::Utc>) -> String {
    let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
    let fraction = format!("{:09}", t.timestamp_subsec_nanos());
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() { format!("{base} +0000 UTC") } else { format!("{base}.{fraction} +0000 UTC") }
}

/// Formats a time the way the service does (RFC3339, UTC, `Z`, trimmed fraction).
pub fn format_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

pub use super::projects::{Project, ProjectCreate, ProjectEdition, ProjectIdReply, ProjectUpdate};

// ───────────────────────────── enums ─────────────────────────────

wire_enum!(
    /// Cloud provider as listed by the region endpoints.
    Provider { Aws = "AWS", Gcp = "GCP", Azure = "Azure" }
);
wire_enum!(WorkspaceGroupState { Pending = "PENDING", Active = "ACTIVE", Failed = "FAILED", Terminated = "TERMINATED" });
wire_enum!(WorkspaceState {
    Pending = "PENDING",
    Active = "ACTIVE",
    Suspended = "SUSPENDED",
    Failed = "FAILED",
    Terminated = "TERMINATED",
});
wire_enum!(DeploymentType { Production = "PRODUCTION", NonProduction = "NON-PRODUCTION" });
wire_enum!(SmartDrStatus { Active = "ACTIVE", Standby = "STANDBY" });
wire_enum!(SuspendType { Idle = "IDLE", Scheduled = "SCHEDULED", Disabled = "DISABLED" });
wire_enum!(AutoScaleSensitivity { Low = "LOW", Normal = "NORMAL", High = "HIGH" });
wire_enum!(AttachmentKind { ReadWrite = "READWRITE", ReadOnly = "READONLY" });
wire_enum!(ConnectionType { Inbound = "INBOUND", Outbound = "OUTBOUND" });
wire_enum!(ConnectionStatus { Pending = "PENDING", Active = "ACTIVE", Deleted = "DELETED" });
wire_enum!(
    /// `FileObjectMetadata.type`: folders are `directory`, plain files the empty string.
    FileType { Directory = "directory", File = "", Json = "json" }
);
wire_enum!(ScheduleMode { Once = "Once", Recurring = "Recurring" });
wire_enum!(
    /// What a job runs against: `Workspace`/`VirtualWorkspace` at v1, `Cluster`/`VirtualCluster`
    /// at v2 (at v1 `Cluster` meant a legacy self-managed cluster).
    TargetType {
        Workspace = "Workspace",
        Cluster = "Cluster",
        VirtualWorkspace = "VirtualWorkspace",
        VirtualCluster = "VirtualCluster",
    }
);
wire_enum!(ExecutionStatus {
    /// The server's own `Unknown` status (distinct from a value this build does not know).
    Unreported = "Unknown",
    Scheduled = "Scheduled",
    Running = "Running",
    Completed = "Completed",
    Failed = "Failed",
    Error = "Error",
    Canceled = "Canceled",
});
wire_enum!(ParameterType { String = "string", Integer = "integer", Float = "float", Boolean = "boolean" });
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
wire_enum!(
    /// Query-side metric names of `GET /v1/billing/usage` (replies use other names).
    UsageMetric { ComputeCredit = "ComputeCredit", StorageAvgByte = "StorageAvgByte" }
);
wire_enum!(AggregateBy { Hour = "hour", Day = "day", Month = "month" });
wire_enum!(Multiplier { X1 = "X1", X2 = "X2", X4 = "X4" });
wire_enum!(Edition { Standard = "Standard", Enterprise = "Enterprise", Dedicated = "Dedicated" });
wire_enum!(SimulatedStatus { Active = "Active", Paused = "Paused", Terminated = "Terminated" });
wire_enum!(SimulatedResourceType { Workspace = "Workspace", WorkspaceGroup = "WorkspaceGroup", Cluster = "Cluster" });

// ───────────────────────── regions, organization ─────────────────────────

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    #[serde(rename = "regionID")]
    pub region_id: Uuid,
    pub region: String,
    pub provider: Provider,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionV2 {
    pub region: String,
    pub region_name: String,
    pub provider: Provider,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(rename = "orgID")]
    pub org_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_ranges: Option<Vec<String>>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

// ───────────────────────────── workspace groups ─────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateWindow {
    /// 0–6 from Sunday.
    pub day: u8,
    /// 0–23 UTC.
    pub hour: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceGroup {
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    pub name: String,
    pub state: WorkspaceGroupState,
    pub created_at: String,
    pub provider: Provider,
    #[serde(rename = "regionID")]
    pub region_id: Uuid,
    pub region_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_traffic: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_ranges: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_availability_two_zones: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_in_preview_feature: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_allow_list: Option<String>,
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_name: Option<String>,
    #[serde(rename = "smartDRStatus", default, skip_serializing_if = "Option::is_none")]
    pub smart_dr_status: Option<SmartDrStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_window: Option<UpdateWindow>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

/// `POST /v1/workspaceGroups`: give `region_id`, or `provider` + `region_name`. Debug hides the password.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceGroupCreate {
    pub name: String,
    /// Required by the API; may be empty.
    pub firewall_ranges: Vec<String>,
    #[serde(rename = "regionID", default, skip_serializing_if = "Option::is_none")]
    pub region_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_traffic: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    /// A timestamp or a Go duration such as `3h30m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_availability_two_zones: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_in_preview_feature: Option<bool>,
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_window: Option<UpdateWindow>,
}

impl std::fmt::Debug for WorkspaceGroupCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkspaceGroupCreate")
            .field("name", &self.name)
            .field("firewall_ranges", &self.firewall_ranges)
            .field("region_id", &self.region_id)
            .field("provider", &self.provider)
            .field("region_name", &self.region_name)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .field("deployment_type", &self.deployment_type)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Reply of `POST /v1/workspaceGroups`; the password is present when the server generated it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceGroupCreated {
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
}

impl std::fmt::Debug for WorkspaceGroupCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkspaceGroupCreated")
            .field("workspace_group_id", &self.workspace_group_id)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceGroupUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_ranges: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_window: Option<UpdateWindow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_traffic: Option<bool>,
}

impl std::fmt::Debug for WorkspaceGroupUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkspaceGroupUpdate")
            .field("name", &self.name)
            .field("firewall_ranges", &self.firewall_ranges)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .field("update_window", &self.update_window)
            .field("deployment_type", &self.deployment_type)
            .field("allow_all_traffic", &self.allow_all_traffic)
            .finish()
    }
}

// ───────────────────────────── workspaces ─────────────────────────────

/// Auto-suspend as read back on a workspace; absent means disabled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoSuspend {
    pub suspend_type: SuspendType,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub idle_after_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_changed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub scheduled_after_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_changed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_suspend_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend_type_changed_at: Option<String>,
}

/// Auto-suspend as sent on create/update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoSuspendSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend_type: Option<SuspendType>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub suspend_after_seconds: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoScale {
    /// 1, 2 or 4; 1 turns auto-scaling off.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub max_scale_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<AutoScaleSensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_auto_scaled_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResumeAttachment {
    pub attachment: AttachmentKind,
    pub database: String,
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    #[serde(rename = "workspaceID")]
    pub workspace_id: Uuid,
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    pub name: String,
    pub size: String,
    pub state: WorkspaceState,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scale: Option<AutoScale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_suspend: Option<AutoSuspend>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub cache_config: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kai_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_resumed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_attachments: Option<Vec<ResumeAttachment>>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub scale_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub scaling_progress: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated_at: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCreate {
    pub name: String,
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    /// Defaults to `S-00` on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scale: Option<AutoScale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_suspend: Option<AutoSuspendSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub cache_config: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_kai: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub scale_factor: Option<f64>,
    /// Accepted by the service on create although the spec lists it only on update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub scale_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub cache_config: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scale: Option<AutoScale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_suspend: Option<AutoSuspendSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_kai: Option<bool>,
}

impl WorkspaceUpdate {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceResume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_auto_suspend: Option<bool>,
}

// ───────────────────────────── id replies ─────────────────────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceGroupIdReply {
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceIdReply {
    #[serde(rename = "workspaceID")]
    pub workspace_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateConnectionIdReply {
    #[serde(rename = "privateConnectionID")]
    pub private_connection_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretIdReply {
    #[serde(rename = "secretID")]
    pub secret_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamIdReply {
    #[serde(rename = "teamID")]
    pub team_id: Uuid,
}

// ───────────────────────────── private connections ─────────────────────────────

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateConnection {
    #[serde(rename = "privateConnectionID")]
    pub private_connection_id: Uuid,
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    #[serde(rename = "workspaceID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConnectionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConnectionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<String>,
    #[serde(rename = "allowedPrivateLinkIDs", default, skip_serializing_if = "Option::is_none")]
    pub allowed_private_link_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_allow_list: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub sql_port: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub websockets_port: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// Undocumented; Terraform reads it when the status is DELETED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateConnectionCreate {
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    #[serde(rename = "workspaceID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConnectionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<String>,
    #[serde(rename = "kaiEndpointID", default, skip_serializing_if = "Option::is_none")]
    pub kai_endpoint_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub sql_port: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub websockets_port: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateConnectionUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KaiInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboundAllowList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_allow_list: Option<String>,
}

// ───────────────────────────── Stage ─────────────────────────────

/// A Stage entry. For folders `content` lists the children; for files it may carry text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileObjectMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<FileType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mimetype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writable: Option<bool>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<FileContent>,
}

impl FileObjectMetadata {
    pub fn is_dir(&self) -> bool {
        self.kind == Some(FileType::Directory) || self.path.as_deref().is_some_and(|p| p.ends_with('/'))
    }

    /// Children of a folder listing (empty for files).
    pub fn children(&self) -> &[FileObjectMetadata] {
        match &self.content {
            Some(FileContent::Children(c)) => c,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FileContent {
    Children(Vec<FileObjectMetadata>),
    Text(String),
}

/// Reply of Stage PUT, PATCH and DELETE.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StagePathReply {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StagePatch {
    pub new_path: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StarterWorkspace {
    #[serde(rename = "virtualWorkspaceID", default, skip_serializing_if = "Option::is_none")]
    pub virtual_workspace_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql_dml_port: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub websocket_port: Option<u32>,
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<Uuid>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

// ───────────────────────────── secrets ─────────────────────────────

/// A secret. `value` is only present when the server chooses to send it; Debug redacts it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(rename = "secretID")]
    pub secret_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
    #[serde(default)]
    pub last_updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("secret_id", &self.secret_id)
            .field("name", &self.name)
            .field("created_at", &self.created_at)
            .field("last_updated_at", &self.last_updated_at)
            .field("value", &self.value.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Secret {
    /// The same secret with its value removed, for lists, describe views and logs.
    pub fn without_value(&self) -> Secret {
        Secret { value: None, ..self.clone() }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretCreate {
    pub name: String,
    pub value: String,
}

impl std::fmt::Debug for SecretCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretCreate").field("name", &self.name).field("value", &"<redacted>").finish()
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl std::fmt::Debug for SecretUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretUpdate").field("value", &"<redacted>").finish()
    }
}

/// Live replies wrap secrets (`{"secrets": [...]}`, `{"secret": {...}}`); older ones are bare.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecretsReply {
    Wrapped { secrets: Vec<Secret> },
    Bare(Vec<Secret>),
}

impl SecretsReply {
    pub fn into_inner(self) -> Vec<Secret> {
        match self {
            SecretsReply::Wrapped { secrets } | SecretsReply::Bare(secrets) => secrets,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecretReply {
    Wrapped { secret: Secret },
    Bare(Secret),
}

impl SecretReply {
    pub fn into_inner(self) -> Secret {
        match self {
            SecretReply::Wrapped { secret } | SecretReply::Bare(secret) => secret,
        }
    }
}

// ───────────────────────────── teams ─────────────────────────────

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    #[serde(rename = "userID")]
    pub user_id: Uuid,
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamInfo {
    #[serde(rename = "teamID")]
    pub team_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    #[serde(rename = "teamID")]
    pub team_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_users: Option<Vec<UserInfo>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_teams: Option<Vec<TeamInfo>>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCreate {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "addMemberUserIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub add_member_user_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_member_user_emails: Vec<String>,
    #[serde(rename = "addMemberTeamIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub add_member_team_ids: Vec<Uuid>,
    #[serde(rename = "removeMemberUserIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub remove_member_user_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_member_user_emails: Vec<String>,
    #[serde(rename = "removeMemberTeamIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub remove_member_team_ids: Vec<Uuid>,
}

// ───────────────────────────── jobs ─────────────────────────────

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSchedule {
    pub mode: ScheduleMode,
    #[serde(default)]
    pub start_at: Option<String>,
    #[serde(default)]
    pub execution_interval_in_minutes: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTargetConfig {
    #[serde(rename = "targetID")]
    pub target_id: Uuid,
    pub target_type: TargetType,
    /// Optional on create; always present in replies.
    #[serde(default)]
    pub resume_target: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobExecutionConfig {
    pub notebook_path: String,
    #[serde(default)]
    pub create_snapshot: bool,
    #[serde(default)]
    pub max_allowed_execution_duration_in_minutes: i64,
    /// Not in the reply schema, but sent back by newer servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCreateExecutionConfig {
    pub notebook_path: String,
    pub create_snapshot: bool,
    #[serde(default)]
    pub runtime_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobParameter {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParameterType,
    /// Always a string on the wire (`"True"` for a boolean).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobMetadata {
    pub status: ExecutionStatus,
    pub count: i64,
    #[serde(default, serialize_with = "whole::serialize")]
    pub avg_duration_in_seconds: Option<f64>,
    #[serde(default, serialize_with = "whole::serialize")]
    pub max_duration_in_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    #[serde(rename = "jobID")]
    pub job_id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enqueued_by: Option<Uuid>,
    #[serde(default)]
    pub terminated_at: Option<String>,
    #[serde(default)]
    pub completed_executions_count: i64,
    pub execution_config: JobExecutionConfig,
    pub schedule: JobSchedule,
    #[serde(default)]
    pub target_config: Option<JobTargetConfig>,
    #[serde(default)]
    pub job_metadata: Vec<JobMetadata>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCreate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub execution_config: JobCreateExecutionConfig,
    pub schedule: JobSchedule,
    #[serde(default)]
    pub target_config: Option<JobTargetConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<JobParameter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    #[serde(rename = "executionID")]
    pub execution_id: Uuid,
    pub execution_number: i64,
    #[serde(rename = "jobID")]
    pub job_id: Uuid,
    pub status: ExecutionStatus,
    pub scheduled_start_time: String,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub snapshot_notebook_path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionsMetadata {
    pub start_execution_number: i64,
    pub end_execution_number: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionsResult {
    pub executions: Vec<Execution>,
    pub executions_metadata: ExecutionsMetadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Runtime {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

// ───────────────────────────── billing ─────────────────────────────

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

// ───────────────────────────── audit logs ─────────────────────────────

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    #[serde(rename = "auditID", default, skip_serializing_if = "Option::is_none")]
    pub audit_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<AuditSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(rename = "userID", default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<AuditUserType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(rename = "apiKeyID", default, skip_serializing_if = "Option::is_none")]
    pub api_key_id: Option<Uuid>,
    #[serde(rename = "sessionID", default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<Uuid>,
    #[serde(rename = "orgID", default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<Uuid>,
    #[serde(rename = "workspaceID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    #[serde(rename = "clusterID", default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<Uuid>,
    #[serde(rename = "teamID", default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogPage {
    #[serde(default)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_timestamp_forms_parse_and_year_one_is_unset() {
        let rfc = parse_time("2026-09-17T14:42:41.445984Z").expect("rfc 3339");
        for go in [
            "2026-09-17 14:42:41.445984 +0000 UTC",
            "2026-09-17 14:42:41.445984 +0000 UTC m=+3600.000000001",
            "2026-09-17 16:42:41.445984 +0200 CEST",
        ] {
            assert_eq!(parse_time(go), Some(rfc), "{go}");
        }
        assert_eq!(format_go_time(rfc), "2026-09-17 14:42:41.445984 +0000 UTC");
        assert_eq!(parse_time(&format_go_time(rfc)), Some(rfc));
        let whole = parse_time("2026-09-17T14:42:41Z").expect("whole seconds");
        assert_eq!(format_go_time(whole), "2026-09-17 14:42:41 +0000 UTC");
        for unset in ["0001-01-01T00:00:00Z", "0001-01-01 00:00:00 +0000 UTC", "", "  ", "soon"] {
            assert_eq!(parse_time(unset), None, "{unset}");
        }
    }

    #[test]
    fn unknown_states_decode_and_round_trip() {
        let s: WorkspaceState = serde_json::from_str("\"RESIZING\"").expect("decodes");
        assert_eq!(s, WorkspaceState::Unknown("RESIZING".into()));
        assert_eq!(serde_json::to_string(&s).expect("encodes"), "\"RESIZING\"");
        let known: WorkspaceState = serde_json::from_str("\"SUSPENDED\"").expect("decodes");
        assert_eq!(known, WorkspaceState::Suspended);
        assert_eq!(WorkspaceState::from_wire("active"), WorkspaceState::Active);
        assert_eq!(DeploymentType::NonProduction.as_str(), "NON-PRODUCTION");
        assert_eq!(FileType::from_wire(""), FileType::File);
    }

    #[test]
    fn whole_numbers_are_written_as_integers() {
        let u = WorkspaceUpdate { scale_factor: Some(2.0), cache_config: Some(1.5), ..WorkspaceUpdate::default() };
        assert_eq!(serde_json::to_string(&u).expect("encodes"), r#"{"scaleFactor":2,"cacheConfig":1.5}"#);
    }

    #[test]
    fn zero_time_is_unset() {
        assert!(parse_time("0001-01-01T00:00:00Z").is_none());
        assert!(parse_time("2023-02-28T05:33:06.3003Z").is_some());
    }

    #[test]
    fn secrets_decode_wrapped_and_bare() {
        let id = Uuid::nil();
        let one = format!(
            r#"{{"secretID":"{id}","name":"A","createdAt":"","createdBy":"{id}","lastUpdatedAt":"","lastUpdatedBy":"{id}"}}"#
        );
        let wrapped: SecretsReply = serde_json::from_str(&format!(r#"{{"secrets":[{one}]}}"#)).expect("wrapped");
        let bare: SecretsReply = serde_json::from_str(&format!("[{one}]")).expect("bare");
        assert_eq!(wrapped.into_inner().len(), 1);
        assert_eq!(bare.into_inner().len(), 1);
        let single: SecretReply = serde_json::from_str(&format!(r#"{{"secret":{one}}}"#)).expect("wrapped one");
        assert_eq!(single.into_inner().name, "A");
    }

    #[test]
    fn secret_debug_never_shows_the_value() {
        let s = SecretCreate { name: "N".into(), value: "hunter2-very-secret".into() };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
