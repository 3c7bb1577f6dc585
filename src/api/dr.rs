//! Storage disaster recovery (SmartDR) of a workspace group: a secondary region that
//! replicates the group's databases, failover to it and failback, pre-provisioning of the
//! secondary's compute, and the storage retention period. Every change is asynchronous:
//! the reply has no body, and the status read shows the operation's progress.

use bytes::Bytes;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::groups::SmartDrStatus;
use super::lenient;
use super::regions::Region;
use crate::wire_enum;

wire_enum!(DrState { Active = "Active", Completed = "Completed", Failed = "Failed", Expired = "Expired", Canceled = "Canceled" });

wire_enum!(DrType {
    Failover = "Failover",
    Failback = "Failback",
    PreProvisionStart = "PreProvisionStart",
    PreProvisionStop = "PreProvisionStop",
});

wire_enum!(DuplicationState { Pending = "Pending", Active = "Active", Inactive = "Inactive", Error = "Error" });

impl DrState {
    /// The operation ended without doing what it was asked.
    pub fn is_failure(&self) -> bool {
        matches!(self, DrState::Failed | DrState::Expired | DrState::Canceled)
    }
}

/// The latest DR operation on the compute side, with how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DrCompute {
    #[serde(rename = "storageDRState")]
    pub storage_dr_state: DrState,
    #[serde(rename = "storageDRType")]
    pub storage_dr_type: DrType,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub completed_workspaces: Option<u32>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub total_workspaces: Option<u32>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub completed_attachments: Option<u32>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub total_attachments: Option<u32>,
    #[serde(
        rename = "secondaryWorkspaceGroupIDs",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub secondary_workspace_group_ids: Vec<Uuid>,
}

impl DrCompute {
    /// "2/3 workspaces, 4/6 attachments", from what the API reported.
    pub fn progress(&self) -> String {
        let mut parts = Vec::new();
        if let (Some(done), Some(total)) = (self.completed_workspaces, self.total_workspaces) {
            parts.push(format!("{done}/{total} workspaces"));
        }
        if let (Some(done), Some(total)) = (self.completed_attachments, self.total_attachments) {
            parts.push(format!("{done}/{total} attachments"));
        }
        parts.join(", ")
    }
}

/// One replicated database and where its replica stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicatedDatabase {
    pub database_name: String,
    pub duplication_state: DuplicationState,
    #[serde(default, deserialize_with = "lenient::field")]
    pub region: String,
}

/// `GET …/storage/DR/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageDrStatus {
    /// The latest operation; absent until the first one (the service leaves it out then).
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub compute: Option<DrCompute>,
    #[serde(default, deserialize_with = "lenient::rows")]
    pub storage: Vec<ReplicatedDatabase>,
}

impl StorageDrStatus {
    /// The secondary group, when an operation has named it.
    pub fn secondary(&self) -> Option<Uuid> {
        self.compute.iter().flat_map(|c| c.secondary_workspace_group_ids.iter().copied()).next()
    }

    /// The group that serves writes: of `primary` and its secondaries, the one whose
    /// `smartDRStatus` (as `dr_status_of` reads it from the groups list) is ACTIVE.
    pub fn serving(&self, primary: Uuid, dr_status_of: impl Fn(Uuid) -> Option<SmartDrStatus>) -> Option<Uuid> {
        let secondaries = self.compute.iter().flat_map(|c| c.secondary_workspace_group_ids.iter().copied());
        std::iter::once(primary).chain(secondaries).find(|id| dr_status_of(*id) == Some(SmartDrStatus::Active))
    }
}

/// `POST …/storage/DR/setup`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageDrSetup {
    #[serde(rename = "regionID")]
    pub region_id: Uuid,
    pub database_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_replication: Option<bool>,
}

/// `PATCH …/storage/retentionPeriod`: minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionPeriod {
    pub retention_period: u32,
}

fn dr_path(group: Uuid, rest: &str) -> String {
    format!("/v1/workspaceGroups/{group}/storage/DR/{rest}")
}

impl Client {
    /// The DR status of a group; `None` when the API answers 404: DR was never set up for it
    /// (or there is no such group: the status alone cannot tell).
    pub async fn dr_status(&self, group: Uuid) -> Result<Option<StorageDrStatus>, ApiError> {
        match self.get(&dr_path(group, "status"), vec![]).await {
            Ok(s) => Ok(Some(s)),
            Err(ApiError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Regions that can hold the group's secondary.
    pub async fn dr_regions(&self, group: Uuid) -> Result<Vec<Region>, ApiError> {
        self.get::<lenient::Rows<_>>(&dr_path(group, "regions"), vec![]).await.map(|r| r.0)
    }

    pub async fn dr_setup(&self, group: Uuid, body: &StorageDrSetup) -> Result<(), ApiError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.call_bytes(Method::POST, &dr_path(group, "setup"), vec![], Some(Bytes::from(bytes))).await.map(drop)
    }

    /// Failover, failback, or pre-provisioning start/stop: a PATCH with no body.
    pub async fn dr_operation(&self, group: Uuid, op: &DrType) -> Result<(), ApiError> {
        let rest = match op {
            DrType::Failover => "failover",
            DrType::Failback => "failback",
            DrType::PreProvisionStart => "startPreProvision",
            DrType::PreProvisionStop => "stopPreProvision",
            DrType::Unknown(s) => return Err(ApiError::InvalidInput(format!("no such DR operation {s:?}"))),
        };
        self.call_bytes(Method::PATCH, &dr_path(group, rest), vec![], None).await.map(drop)
    }

    pub async fn set_retention_period(&self, group: Uuid, minutes: u32) -> Result<(), ApiError> {
        let body = serde_json::to_vec(&RetentionPeriod { retention_period: minutes })
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        let path = format!("/v1/workspaceGroups/{group}/storage/retentionPeriod");
        self.call_bytes(Method::PATCH, &path, vec![], Some(Bytes::from(body))).await.map(drop)
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub enum DrRequest {
    Status(Uuid),
    Regions(Uuid),
}

#[derive(Debug, Clone, PartialEq)]
pub enum DrChange {
    Setup { group: Uuid, body: StorageDrSetup },
    Operation { group: Uuid, op: DrType },
    Retention { group: Uuid, minutes: u32 },
}

#[derive(Debug)]
pub enum DrReply {
    /// `None`: DR is not set up for the group.
    Status {
        group: Uuid,
        status: Option<StorageDrStatus>,
    },
    Regions {
        group: Uuid,
        regions: Vec<Region>,
    },
    /// A change was accepted; its progress shows in the status.
    Accepted {
        group: Uuid,
    },
}

impl DrRequest {
    pub async fn send(self, client: &Client) -> Result<DrReply, ApiError> {
        Ok(match self {
            DrRequest::Status(group) => DrReply::Status { group, status: client.dr_status(group).await? },
            DrRequest::Regions(group) => DrReply::Regions { group, regions: client.dr_regions(group).await? },
        })
    }
}

impl DrChange {
    pub async fn send(self, client: &Client) -> Result<DrReply, ApiError> {
        Ok(match self {
            DrChange::Setup { group, body } => {
                client.dr_setup(group, &body).await?;
                DrReply::Accepted { group }
            }
            DrChange::Operation { group, op } => {
                client.dr_operation(group, &op).await?;
                DrReply::Accepted { group }
            }
            DrChange::Retention { group, minutes } => {
                client.set_retention_period(group, minutes).await?;
                DrReply::Accepted { group }
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_status_with_odd_fields_still_decodes() {
        let s: StorageDrStatus = serde_json::from_str(
            r#"{"compute":{"storageDRState":"Active","storageDRType":"Failover","completedWorkspaces":1,
                "totalWorkspaces":"x","secondaryWorkspaceGroupIDs":null},
                "storage":[{"databaseName":"x_db","duplicationState":"Syncing","region":"us-east-1"}]}"#,
        )
        .unwrap();
        let compute = s.compute.unwrap();
        assert_eq!(compute.storage_dr_type, DrType::Failover);
        assert_eq!(compute.total_workspaces, None);
        assert_eq!(s.storage[0].duplication_state, DuplicationState::Unknown("Syncing".into()));
        assert_eq!(compute.progress(), "");
        let s: StorageDrStatus = serde_json::from_str(r#"{"storage":[]}"#).unwrap();
        assert_eq!(s.compute, None);
    }
}
