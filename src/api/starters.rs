//! Starter (shared-tier) deployments with their own database users: starter clusters
//! (`/v2/sharedtier/virtualClusters`) and, the same objects at v1, starter workspaces
//! (`/v1/sharedtier/virtualWorkspaces`). The `*_at` calls take the version; the others are v2.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;
use super::regions::RegionV2;
use super::version::ApiVersion;
use super::wire::Extra;
use crate::wire_enum;

wire_enum!(
    /// Providers as a starter create body must spell them: exactly upper case.
    StarterProvider { Aws = "AWS", Azure = "AZURE", Gcp = "GCP" }
);

/// Where a version keeps its starter deployments.
fn root(version: ApiVersion) -> &'static str {
    match version {
        ApiVersion::V1 => "/v1/sharedtier/virtualWorkspaces",
        ApiVersion::V2 => "/v2/sharedtier/virtualClusters",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StarterCluster {
    /// `virtualWorkspaceID` at v1.
    #[serde(rename = "virtualClusterID", alias = "virtualWorkspaceID")]
    pub virtual_cluster_id: Uuid,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    /// `host` or `host:port`.
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub mysql_dml_port: Option<u32>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub websocket_port: Option<u32>,
    #[serde(
        rename = "projectID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub project_id: Option<Uuid>,
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StarterClusterCreate {
    pub name: String,
    pub database_name: String,
    pub provider: StarterProvider,
    /// Region code from the shared-tier region list (`regionName` there, and here).
    pub region_name: String,
    #[serde(rename = "projectID", default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarterClusterIdReply {
    #[serde(rename = "virtualClusterID", alias = "virtualWorkspaceID")]
    pub virtual_cluster_id: Uuid,
}

/// A database user to create; the service generates the password when none is given.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StarterUserCreate {
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for StarterUserCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StarterUserCreate")
            .field("user_name", &self.user_name)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The created user and its password (shown once; never stored by the service's reads).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct StarterUserCreated {
    #[serde(rename = "userID")]
    pub user_id: Uuid,
    pub password: String,
}

impl std::fmt::Debug for StarterUserCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StarterUserCreated").field("user_id", &self.user_id).field("password", &"<redacted>").finish()
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct StarterUserUpdate {
    pub password: String,
}

impl std::fmt::Debug for StarterUserUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StarterUserUpdate").field("password", &"<redacted>").finish()
    }
}

impl Client {
    pub async fn starter_clusters(&self) -> Result<Vec<StarterCluster>, ApiError> {
        self.starters_at(ApiVersion::V2).await
    }

    /// Starter workspaces (v1) or starter clusters (v2), in one shape.
    pub async fn starters_at(&self, version: ApiVersion) -> Result<Vec<StarterCluster>, ApiError> {
        let lenient::Rows(starters) = self.get(root(version), vec![]).await?;
        Ok(starters)
    }

    pub async fn starter_cluster(&self, id: Uuid) -> Result<StarterCluster, ApiError> {
        self.get(&format!("{}/{id}", root(ApiVersion::V2)), vec![]).await
    }

    pub async fn create_starter_cluster(&self, body: &StarterClusterCreate) -> Result<Uuid, ApiError> {
        self.create_starter_at(ApiVersion::V2, body).await
    }

    pub async fn create_starter_at(&self, version: ApiVersion, body: &StarterClusterCreate) -> Result<Uuid, ApiError> {
        let r: StarterClusterIdReply = self.send(Method::POST, root(version), vec![], body).await?;
        Ok(r.virtual_cluster_id)
    }

    /// The reply (a bare boolean) reports nothing to wait on.
    pub async fn delete_starter_cluster(&self, id: Uuid) -> Result<(), ApiError> {
        self.delete_starter_at(ApiVersion::V2, id).await
    }

    pub async fn delete_starter_at(&self, version: ApiVersion, id: Uuid) -> Result<(), ApiError> {
        self.call_bytes(Method::DELETE, &format!("{}/{id}", root(version)), vec![], None).await?;
        Ok(())
    }

    pub async fn create_starter_user(
        &self,
        starter_id: Uuid,
        body: &StarterUserCreate,
    ) -> Result<StarterUserCreated, ApiError> {
        self.create_starter_user_at(ApiVersion::V2, starter_id, body).await
    }

    pub async fn create_starter_user_at(
        &self,
        version: ApiVersion,
        starter_id: Uuid,
        body: &StarterUserCreate,
    ) -> Result<StarterUserCreated, ApiError> {
        self.send(Method::POST, &format!("{}/{starter_id}/users", root(version)), vec![], body).await
    }

    pub async fn set_starter_user_password(
        &self,
        starter_id: Uuid,
        user_id: Uuid,
        password: &str,
    ) -> Result<(), ApiError> {
        self.set_starter_password_at(ApiVersion::V2, starter_id, user_id, password).await
    }

    pub async fn set_starter_password_at(
        &self,
        version: ApiVersion,
        starter_id: Uuid,
        user_id: Uuid,
        password: &str,
    ) -> Result<(), ApiError> {
        let body = StarterUserUpdate { password: password.to_string() };
        let path = format!("{}/{starter_id}/users/{user_id}", root(version));
        let _: serde_json::Value = self.send(Method::PATCH, &path, vec![], &body).await?;
        Ok(())
    }

    pub async fn delete_starter_user(&self, starter_id: Uuid, user_id: Uuid) -> Result<(), ApiError> {
        self.delete_starter_user_at(ApiVersion::V2, starter_id, user_id).await
    }

    pub async fn delete_starter_user_at(
        &self,
        version: ApiVersion,
        starter_id: Uuid,
        user_id: Uuid,
    ) -> Result<(), ApiError> {
        let path = format!("{}/{starter_id}/users/{user_id}", root(version));
        self.call_bytes(Method::DELETE, &path, vec![], None).await?;
        Ok(())
    }
}

/// Reads of the starters family, at the client's version.
#[derive(Debug, Clone, PartialEq)]
pub enum StartersRequest {
    /// The starter deployments and the shared-tier regions a create may choose from.
    List,
}

/// Changes of the starters family, at the client's version.
#[derive(Debug, Clone, PartialEq)]
pub enum StartersChange {
    Create(StarterClusterCreate),
    Delete { id: Uuid },
    CreateUser { starter: Uuid, body: StarterUserCreate },
    SetPassword { starter: Uuid, user: Uuid, password: StarterUserUpdate },
    DeleteUser { starter: Uuid, user: Uuid },
}

#[derive(Debug)]
pub enum StartersReply {
    List {
        starters: Vec<StarterCluster>,
        regions: Vec<RegionV2>,
    },
    Created(Uuid),
    /// A new user and its password (shown once).
    UserCreated {
        starter: Uuid,
        user_name: String,
        created: StarterUserCreated,
    },
    /// The change was accepted; the ID is the starter's or the user's.
    Done(Uuid),
    UserDropped(Uuid),
}

impl StartersRequest {
    pub async fn send(self, client: &Client) -> Result<StartersReply, ApiError> {
        let version = client.version();
        Ok(match self {
            StartersRequest::List => {
                let (starters, regions) = tokio::try_join!(client.starters_at(version), client.regions_shared_tier())?;
                StartersReply::List { starters, regions }
            }
        })
    }
}

impl StartersChange {
    pub async fn send(self, client: &Client) -> Result<StartersReply, ApiError> {
        let v = client.version();
        Ok(match self {
            StartersChange::Create(body) => StartersReply::Created(client.create_starter_at(v, &body).await?),
            StartersChange::Delete { id } => {
                client.delete_starter_at(v, id).await?;
                StartersReply::Done(id)
            }
            StartersChange::CreateUser { starter, body } => {
                let created = client.create_starter_user_at(v, starter, &body).await?;
                StartersReply::UserCreated { starter, user_name: body.user_name, created }
            }
            StartersChange::SetPassword { starter, user, password } => {
                client.set_starter_password_at(v, starter, user, &password.password).await?;
                StartersReply::Done(user)
            }
            StartersChange::DeleteUser { starter, user } => {
                client.delete_starter_user_at(v, starter, user).await?;
                StartersReply::UserDropped(user)
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn provider_goes_out_upper_case_whatever_the_input() {
        let body = StarterClusterCreate {
            name: "s".into(),
            database_name: "d".into(),
            provider: StarterProvider::from_wire("Azure"),
            region_name: "eastus".into(),
            project_id: None,
        };
        let v = serde_json::to_value(&body).unwrap();
        assert_eq!(v["provider"], "AZURE");
        assert!(v.get("projectID").is_none());
        let created: StarterUserCreated =
            serde_json::from_str(r#"{"userID":"3ca3d359-021d-45ed-86cb-38b8d14ac507","password":"pw-canary"}"#)
                .unwrap();
        assert!(!format!("{created:?}").contains("canary"));
    }
}
