//! Members of the organization (people, service accounts and cloud principals alike) and
//! the roles each holds.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::lenient;
use crate::api::wire::Extra;
use crate::wire_enum;

wire_enum!(UserKind {
    Standard = "Standard",
    ServiceAccount = "ServiceAccount",
    CloudPrincipal = "CloudPrincipal",
});

/// A member of the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgUser {
    #[serde(rename = "userID")]
    pub user_id: Uuid,
    #[serde(default, deserialize_with = "lenient::field")]
    pub email: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub first_name: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub last_name: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "UserKind::is_absent")]
    pub user_kind: UserKind,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub cloud_principal: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: Extra,
}

impl OrgUser {
    /// "First Last", or the email when the service sent no name.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        let name = name.trim();
        if name.is_empty() { self.email.clone() } else { name.to_string() }
    }
}

/// A role held on one resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityRole {
    #[serde(rename = "resourceID")]
    pub resource_id: Uuid,
    pub resource_type: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserAdd {
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserIdReply {
    #[serde(rename = "userID")]
    pub user_id: Uuid,
}

fn resource_type_query(resource_type: Option<&str>) -> Vec<(String, String)> {
    resource_type.map(|t| vec![("resourceType".to_string(), t.to_string())]).unwrap_or_default()
}

impl Client {
    /// Members, optionally only those whose email matches `email` (a value or a regular expression).
    pub async fn users(&self, email: Option<&str>) -> Result<Vec<OrgUser>, ApiError> {
        let query = email.map(|e| vec![("email".to_string(), e.to_string())]).unwrap_or_default();
        let lenient::Rows(users) = self.get("/v1/users", query).await?;
        Ok(users)
    }

    /// Whoever the API key belongs to.
    pub async fn current_user(&self) -> Result<OrgUser, ApiError> {
        self.get("/v1/users/current", vec![]).await
    }

    pub async fn user(&self, id: Uuid) -> Result<OrgUser, ApiError> {
        self.get(&format!("/v1/users/{id}"), vec![]).await
    }

    /// Adds an existing SingleStore user by email; the service answers with no body.
    pub async fn add_user(&self, email: &str) -> Result<(), ApiError> {
        let body = serde_json::to_vec(&UserAdd { email: email.to_string() })
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.call_bytes(Method::POST, "/v1/users", vec![], Some(body.into())).await?;
        Ok(())
    }

    pub async fn remove_user(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: UserIdReply = self.call(Method::DELETE, &format!("/v1/users/{id}"), vec![], None).await?;
        Ok(r.user_id)
    }

    pub async fn user_roles(&self, id: Uuid, resource_type: Option<&str>) -> Result<Vec<IdentityRole>, ApiError> {
        let lenient::Rows(roles) =
            self.get(&format!("/v1/users/{id}/identityRoles"), resource_type_query(resource_type)).await?;
        Ok(roles)
    }

    pub async fn team_roles(&self, id: Uuid, resource_type: Option<&str>) -> Result<Vec<IdentityRole>, ApiError> {
        let lenient::Rows(roles) =
            self.get(&format!("/v1/teams/{id}/identityRoles"), resource_type_query(resource_type)).await?;
        Ok(roles)
    }
}
