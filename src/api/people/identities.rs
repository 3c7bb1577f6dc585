//! Service accounts and cloud principals: non-human members of the organization. Neither has
//! a list of its own; both appear in the users list with their `userKind`.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::lenient;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    #[serde(rename = "serviceAccountID")]
    pub service_account_id: Uuid,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub email: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPrincipal {
    #[serde(rename = "cloudPrincipalID")]
    pub cloud_principal_id: Uuid,
    pub name: String,
    /// The customer's cloud identity (an ARN, a service-account email…).
    #[serde(default, deserialize_with = "lenient::field")]
    pub cloud_principal: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub email: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceAccountCreate {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudPrincipalCreate {
    pub name: String,
    pub cloud_principal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Rename and/or re-describe (both kinds take the same body).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdentityUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAccountIdReply {
    #[serde(rename = "serviceAccountID")]
    pub service_account_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudPrincipalIdReply {
    #[serde(rename = "cloudPrincipalID")]
    pub cloud_principal_id: Uuid,
}

impl Client {
    pub async fn create_service_account(&self, body: &ServiceAccountCreate) -> Result<ServiceAccount, ApiError> {
        self.send(Method::POST, "/v1/serviceAccounts", vec![], body).await
    }

    pub async fn update_service_account(&self, id: Uuid, body: &IdentityUpdate) -> Result<ServiceAccount, ApiError> {
        self.send(Method::PATCH, &format!("/v1/serviceAccounts/{id}"), vec![], body).await
    }

    pub async fn delete_service_account(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: ServiceAccountIdReply =
            self.call(Method::DELETE, &format!("/v1/serviceAccounts/{id}"), vec![], None).await?;
        Ok(r.service_account_id)
    }

    pub async fn create_cloud_principal(&self, body: &CloudPrincipalCreate) -> Result<CloudPrincipal, ApiError> {
        self.send(Method::POST, "/v1/cloudPrincipals", vec![], body).await
    }

    pub async fn update_cloud_principal(&self, id: Uuid, body: &IdentityUpdate) -> Result<CloudPrincipal, ApiError> {
        self.send(Method::PATCH, &format!("/v1/cloudPrincipals/{id}"), vec![], body).await
    }

    pub async fn delete_cloud_principal(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: CloudPrincipalIdReply =
            self.call(Method::DELETE, &format!("/v1/cloudPrincipals/{id}"), vec![], None).await?;
        Ok(r.cloud_principal_id)
    }
}
