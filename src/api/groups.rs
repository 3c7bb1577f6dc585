//! Workspace groups.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Map;
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::lenient;
use super::types::*;
use crate::wire_enum;

wire_enum!(WorkspaceGroupState { Pending = "PENDING", Active = "ACTIVE", Failed = "FAILED", Terminated = "TERMINATED" });

wire_enum!(DeploymentType { Production = "PRODUCTION", NonProduction = "NON-PRODUCTION" });

wire_enum!(SmartDrStatus { Active = "ACTIVE", Standby = "STANDBY" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateWindow {
    /// 0–6 from Sunday.
    pub day: u8,
    /// 0–23 UTC.
    pub hour: u8,
}

crate::lenient_struct! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WorkspaceGroup {
        #[serde(rename = "workspaceGroupID")]
        pub workspace_group_id: Uuid,
        pub name: String,
        pub state: WorkspaceGroupState,
        #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "String::is_empty")]
        pub created_at: String,
        #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Provider::is_absent")]
        pub provider: Provider,
        #[serde(
            rename = "regionID",
            default,
            deserialize_with = "lenient::field",
            skip_serializing_if = "lenient::is_nil"
        )]
        pub region_id: Uuid,
        #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "String::is_empty")]
        pub region_name: String,
        #[lenient]
        pub allow_all_traffic: Option<bool>,
        #[lenient]
        pub deployment_type: Option<DeploymentType>,
        #[lenient]
        pub expires_at: Option<String>,
        #[lenient]
        pub firewall_ranges: Option<Vec<String>>,
        #[lenient]
        pub high_availability_two_zones: Option<bool>,
        #[lenient]
        pub opt_in_preview_feature: Option<bool>,
        #[lenient]
        pub outbound_allow_list: Option<String>,
        #[lenient(rename = "projectID")]
        pub project_id: Option<Uuid>,
        #[lenient]
        pub project_name: Option<String>,
        #[lenient(rename = "smartDRStatus")]
        pub smart_dr_status: Option<SmartDrStatus>,
        #[lenient]
        pub terminated_at: Option<String>,
        #[lenient]
        pub update_window: Option<UpdateWindow>,
        #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
        pub extra: Extra,
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceGroupIdReply {
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
}

impl Client {
    pub async fn workspace_groups(&self, include_terminated: bool) -> Result<Vec<WorkspaceGroup>, ApiError> {
        let mut q = vec![];
        if include_terminated {
            q.push(("includeTerminated".to_string(), "true".to_string()));
        }
        self.get::<lenient::Rows<_>>("/v1/workspaceGroups", q).await.map(|r| r.0)
    }

    pub async fn workspace_group(&self, id: Uuid) -> Result<WorkspaceGroup, ApiError> {
        self.get(&format!("/v1/workspaceGroups/{id}"), vec![]).await
    }

    pub async fn create_workspace_group(&self, body: &WorkspaceGroupCreate) -> Result<WorkspaceGroupCreated, ApiError> {
        self.send(Method::POST, "/v1/workspaceGroups", vec![], body).await
    }

    pub async fn update_workspace_group(&self, id: Uuid, body: &WorkspaceGroupUpdate) -> Result<Uuid, ApiError> {
        let r: WorkspaceGroupIdReply =
            self.send(Method::PATCH, &format!("/v1/workspaceGroups/{id}"), vec![], body).await?;
        Ok(r.workspace_group_id)
    }

    pub async fn terminate_workspace_group(&self, id: Uuid, force: bool) -> Result<Uuid, ApiError> {
        let q = vec![("force".to_string(), force.to_string())];
        let r: WorkspaceGroupIdReply = self.call(Method::DELETE, &format!("/v1/workspaceGroups/{id}"), q, None).await?;
        Ok(r.workspace_group_id)
    }
}
