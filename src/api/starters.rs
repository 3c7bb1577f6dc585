//! Starter clusters (`/v2/sharedtier/virtualClusters`): shared-tier deployments with their
//! own database users. The v1 twin is the starter workspace (`StarterWorkspace`).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;
use super::wire::Extra;
use crate::wire_enum;

wire_enum!(
    /// Providers as a starter create body must spell them: exactly upper case.
    StarterProvider { Aws = "AWS", Azure = "AZURE", Gcp = "GCP" }
);

const ROOT: &str = "/v2/sharedtier/virtualClusters";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StarterCluster {
    #[serde(rename = "virtualClusterID")]
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
    #[serde(rename = "virtualClusterID")]
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
        let lenient::Rows(starters) = self.get(ROOT, vec![]).await?;
        Ok(starters)
    }

    pub async fn starter_cluster(&self, id: Uuid) -> Result<StarterCluster, ApiError> {
        self.get(&format!("{ROOT}/{id}"), vec![]).await
    }

    pub async fn create_starter_cluster(&self, body: &StarterClusterCreate) -> Result<Uuid, ApiError> {
        let r: StarterClusterIdReply = self.send(Method::POST, ROOT, vec![], body).await?;
        Ok(r.virtual_cluster_id)
    }

    /// The reply (a bare boolean) reports nothing to wait on.
    pub async fn delete_starter_cluster(&self, id: Uuid) -> Result<(), ApiError> {
        self.call_bytes(Method::DELETE, &format!("{ROOT}/{id}"), vec![], None).await?;
        Ok(())
    }

    pub async fn create_starter_user(
        &self,
        starter_id: Uuid,
        body: &StarterUserCreate,
    ) -> Result<StarterUserCreated, ApiError> {
        self.send(Method::POST, &format!("{ROOT}/{starter_id}/users"), vec![], body).await
    }

    pub async fn set_starter_user_password(
        &self,
        starter_id: Uuid,
        user_id: Uuid,
        password: &str,
    ) -> Result<(), ApiError> {
        let body = StarterUserUpdate { password: password.to_string() };
        let _: serde_json::Value =
            self.send(Method::PATCH, &format!("{ROOT}/{starter_id}/users/{user_id}"), vec![], &body).await?;
        Ok(())
    }

    pub async fn delete_starter_user(&self, starter_id: Uuid, user_id: Uuid) -> Result<(), ApiError> {
        self.call_bytes(Method::DELETE, &format!("{ROOT}/{starter_id}/users/{user_id}"), vec![], None).await?;
        Ok(())
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
