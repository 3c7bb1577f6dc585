//! Workspaces, and starter (shared-tier) workspaces.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Map;
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::lenient;
use super::types::*;
use super::wire::whole;
use crate::wire_enum;

wire_enum!(WorkspaceState {
    Pending = "PENDING",
    Active = "ACTIVE",
    Suspended = "SUSPENDED",
    Failed = "FAILED",
    Terminated = "TERMINATED",
});

wire_enum!(SuspendType { Idle = "IDLE", Scheduled = "SCHEDULED", Disabled = "DISABLED" });

wire_enum!(AutoScaleSensitivity { Low = "LOW", Normal = "NORMAL", High = "HIGH" });

wire_enum!(AttachmentKind { ReadWrite = "READWRITE", ReadOnly = "READONLY" });

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
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "String::is_empty")]
    pub size: String,
    pub state: WorkspaceState,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "String::is_empty")]
    pub created_at: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub auto_scale: Option<AutoScale>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub auto_suspend: Option<AutoSuspend>,
    #[serde(
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole::serialize"
    )]
    pub cache_config: Option<f64>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub kai_enabled: Option<bool>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub last_resumed_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub resume_attachments: Option<Vec<ResumeAttachment>>,
    #[serde(
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole::serialize"
    )]
    pub scale_factor: Option<f64>,
    #[serde(
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole::serialize"
    )]
    pub scaling_progress: Option<f64>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceIdReply {
    #[serde(rename = "workspaceID")]
    pub workspace_id: Uuid,
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

impl Client {
    pub async fn workspaces(&self, group_id: Uuid, include_terminated: bool) -> Result<Vec<Workspace>, ApiError> {
        let mut q = vec![("workspaceGroupID".to_string(), group_id.to_string())];
        if include_terminated {
            q.push(("includeTerminated".to_string(), "true".to_string()));
        }
        self.get::<lenient::Rows<_>>("/v1/workspaces", q).await.map(|r| r.0)
    }

    pub async fn workspace(&self, id: Uuid) -> Result<Workspace, ApiError> {
        self.get(&format!("/v1/workspaces/{id}"), vec![]).await
    }

    pub async fn create_workspace(&self, body: &WorkspaceCreate) -> Result<Uuid, ApiError> {
        let r: WorkspaceIdReply = self.send(Method::POST, "/v1/workspaces", vec![], body).await?;
        Ok(r.workspace_id)
    }

    pub async fn update_workspace(&self, id: Uuid, body: &WorkspaceUpdate) -> Result<Uuid, ApiError> {
        let r: WorkspaceIdReply = self.send(Method::PATCH, &format!("/v1/workspaces/{id}"), vec![], body).await?;
        Ok(r.workspace_id)
    }

    pub async fn terminate_workspace(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: WorkspaceIdReply = self.call(Method::DELETE, &format!("/v1/workspaces/{id}"), vec![], None).await?;
        Ok(r.workspace_id)
    }

    pub async fn suspend_workspace(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: WorkspaceIdReply =
            self.call(Method::POST, &format!("/v1/workspaces/{id}/suspend"), vec![], None).await?;
        Ok(r.workspace_id)
    }

    /// Always sends `{"disableAutoSuspend": …}`, as the official clients do.
    pub async fn resume_workspace(&self, id: Uuid, disable_auto_suspend: bool) -> Result<Uuid, ApiError> {
        let body = WorkspaceResume { disable_auto_suspend: Some(disable_auto_suspend) };
        let r: WorkspaceIdReply =
            self.send(Method::POST, &format!("/v1/workspaces/{id}/resume"), vec![], &body).await?;
        Ok(r.workspace_id)
    }

    pub async fn starter_workspaces(&self) -> Result<Vec<StarterWorkspace>, ApiError> {
        self.get("/v1/sharedtier/virtualWorkspaces", vec![]).await
    }
}
