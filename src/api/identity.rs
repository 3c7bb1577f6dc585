//! A workspace group's cloud workload identity (on AWS an IAM role) and the delegated
//! entities it may assume: customer-owned identities (role ARNs) listed, added and removed.

use bytes::Bytes;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudWorkloadIdentity {
    pub identity: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DelegatedEntity {
    pub entity: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegatedEntities {
    pub entities: Vec<String>,
}

/// `207 Multi-Status` of a removal: which entities went, which did not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedEntities {
    #[serde(default)]
    pub deleted: Vec<String>,
    #[serde(default)]
    pub failed: Vec<String>,
}

fn path(group: Uuid, rest: &str) -> String {
    format!("/v1/workspaceGroups/{group}/{rest}")
}

impl Client {
    pub async fn workload_identity(&self, group: Uuid) -> Result<CloudWorkloadIdentity, ApiError> {
        self.get(&path(group, "identity"), vec![]).await
    }

    pub async fn delegated_entities(&self, group: Uuid) -> Result<Vec<DelegatedEntity>, ApiError> {
        self.get::<lenient::Rows<_>>(&path(group, "delegatedEntities"), vec![]).await.map(|r| r.0)
    }

    /// Adds entities; the reply is the whole list afterwards.
    pub async fn add_delegated_entities(
        &self,
        group: Uuid,
        entities: Vec<String>,
    ) -> Result<Vec<DelegatedEntity>, ApiError> {
        let r: lenient::Rows<DelegatedEntity> =
            self.send(Method::POST, &path(group, "delegatedEntities"), vec![], &DelegatedEntities { entities }).await?;
        Ok(r.0)
    }

    pub async fn remove_delegated_entities(
        &self,
        group: Uuid,
        entities: Vec<String>,
    ) -> Result<RemovedEntities, ApiError> {
        let body = serde_json::to_vec(&DelegatedEntities { entities })
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.call(Method::DELETE, &path(group, "delegatedEntities"), vec![], Some(Bytes::from(body))).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub enum IdentityRequest {
    /// The identity and the delegated entities of a group.
    Group(Uuid),
}

#[derive(Debug, Clone, PartialEq)]
pub enum IdentityChange {
    Add { group: Uuid, entities: Vec<String> },
    Remove { group: Uuid, entities: Vec<String> },
}

#[derive(Debug)]
pub enum IdentityReply {
    /// `identity` is `Err` with the API's words when only that read failed.
    Group {
        group: Uuid,
        identity: Result<CloudWorkloadIdentity, String>,
        entities: Vec<DelegatedEntity>,
    },
    Added {
        group: Uuid,
        entities: Vec<DelegatedEntity>,
    },
    Removed {
        group: Uuid,
        result: RemovedEntities,
    },
}

impl IdentityRequest {
    pub async fn send(self, client: &Client) -> Result<IdentityReply, ApiError> {
        Ok(match self {
            IdentityRequest::Group(group) => {
                let (identity, entities) =
                    tokio::join!(client.workload_identity(group), client.delegated_entities(group));
                IdentityReply::Group { group, identity: identity.map_err(|e| e.to_string()), entities: entities? }
            }
        })
    }
}

impl IdentityChange {
    pub async fn send(self, client: &Client) -> Result<IdentityReply, ApiError> {
        Ok(match self {
            IdentityChange::Add { group, entities } => {
                IdentityReply::Added { group, entities: client.add_delegated_entities(group, entities).await? }
            }
            IdentityChange::Remove { group, entities } => {
                IdentityReply::Removed { group, result: client.remove_delegated_entities(group, entities).await? }
            }
        })
    }
}
