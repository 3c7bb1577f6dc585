//! Role definitions: built-in and custom, per resource type at `/v1/roles`, and across
//! resource types at `/v2/authorization`.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::lenient;
use crate::api::teams::UserInfo;
use crate::wire_enum;

wire_enum!(
    /// What a role is granted on.
    ResourceType {
        Organization = "Organization",
        /// A workspace group.
        Cluster = "Cluster",
        Team = "Team",
        Secret = "Secret",
    }
);

impl ResourceType {
    /// What the dashboard calls it.
    pub fn noun(&self) -> &str {
        match self {
            ResourceType::Organization => "organization",
            ResourceType::Cluster => "workspace group",
            ResourceType::Team => "team",
            ResourceType::Secret => "secret",
            ResourceType::Unknown(s) => s,
        }
    }
}

/// A resource type and a role name, as in a role's `inherits`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypedRole {
    pub resource_type: String,
    pub role: String,
}

/// Who made a custom role and last changed it, and when (built-in roles have none of it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleHistory {
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<UserInfo>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<UserInfo>,
}

/// A role at `/v1/roles/{resourceType}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    pub role: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub resource_type: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub is_custom: bool,
    #[serde(default, deserialize_with = "lenient::field")]
    pub permissions: Vec<String>,
    #[serde(default, deserialize_with = "lenient::field")]
    pub inherits: Vec<TypedRole>,
    #[serde(flatten)]
    pub history: RoleHistory,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleCreate {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
    pub inherits: Vec<TypedRole>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<String>,
    pub inherits: Vec<TypedRole>,
}

/// A permission a role may carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionDefinition {
    pub permission: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub resource_type: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Permissions of one resource type (in v2 roles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypedPermissions {
    pub resource_type: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub permissions: Vec<String>,
}

/// A role at `/v2/authorization/roles`: permissions grouped by resource type, no `inherits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinitionV2 {
    pub role: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::rows")]
    pub permissions: Vec<TypedPermissions>,
    #[serde(flatten)]
    pub history: RoleHistory,
}

impl RoleDefinitionV2 {
    /// The v2 definition says nothing of being custom; only custom roles carry who made them.
    pub fn is_custom(&self) -> bool {
        self.history.created_at.is_some() || self.history.created_by.is_some()
    }
}

impl TypedPermissions {
    /// "Cluster: View Workspace Group, Access Stage".
    pub fn summary(&self) -> String {
        format!("{}: {}", self.resource_type, self.permissions.join(", "))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleCreateV2 {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<TypedPermissions>,
}

/// Replaces a v2 role; `role`, when sent, must be the name in the path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleReplaceV2 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub permissions: Vec<TypedPermissions>,
}

/// A role name as one path segment: built-in names have spaces ("Restricted Operator") and
/// custom ones may hold anything, a slash included.
pub fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    pub async fn roles(&self, resource_type: &ResourceType) -> Result<Vec<RoleDefinition>, ApiError> {
        let lenient::Rows(roles) =
            self.get(&format!("/v1/roles/{}", path_segment(resource_type.as_str())), vec![]).await?;
        Ok(roles)
    }

    pub async fn role(&self, resource_type: &ResourceType, role: &str) -> Result<RoleDefinition, ApiError> {
        self.get(&format!("/v1/roles/{}/{}", path_segment(resource_type.as_str()), path_segment(role)), vec![]).await
    }

    pub async fn create_role(
        &self,
        resource_type: &ResourceType,
        body: &RoleCreate,
    ) -> Result<RoleDefinition, ApiError> {
        self.send(Method::POST, &format!("/v1/roles/{}", path_segment(resource_type.as_str())), vec![], body).await
    }

    pub async fn replace_role(
        &self,
        resource_type: &ResourceType,
        role: &str,
        body: &RoleUpdate,
    ) -> Result<RoleDefinition, ApiError> {
        let path = format!("/v1/roles/{}/{}", path_segment(resource_type.as_str()), path_segment(role));
        self.send(Method::PUT, &path, vec![], body).await
    }

    /// The service answers a bare `true` or `false`.
    pub async fn delete_role(&self, resource_type: &ResourceType, role: &str) -> Result<bool, ApiError> {
        let path = format!("/v1/roles/{}/{}", path_segment(resource_type.as_str()), path_segment(role));
        self.call(Method::DELETE, &path, vec![], None).await
    }

    /// Every permission, or those of one resource type.
    pub async fn permissions(
        &self,
        resource_type: Option<&ResourceType>,
    ) -> Result<Vec<PermissionDefinition>, ApiError> {
        let path = match resource_type {
            Some(t) => format!("/v2/authorization/permissions/{}", path_segment(t.as_str())),
            None => "/v2/authorization/permissions".to_string(),
        };
        let lenient::Rows(list) = self.get(&path, vec![]).await?;
        Ok(list)
    }

    pub async fn roles_v2(&self) -> Result<Vec<RoleDefinitionV2>, ApiError> {
        let lenient::Rows(roles) = self.get("/v2/authorization/roles", vec![]).await?;
        Ok(roles)
    }

    pub async fn role_v2(&self, role: &str) -> Result<RoleDefinitionV2, ApiError> {
        self.get(&format!("/v2/authorization/roles/{}", path_segment(role)), vec![]).await
    }

    pub async fn create_role_v2(&self, body: &RoleCreateV2) -> Result<RoleDefinitionV2, ApiError> {
        self.send(Method::POST, "/v2/authorization/roles", vec![], body).await
    }

    pub async fn replace_role_v2(&self, role: &str, body: &RoleReplaceV2) -> Result<RoleDefinitionV2, ApiError> {
        self.send(Method::PUT, &format!("/v2/authorization/roles/{}", path_segment(role)), vec![], body).await
    }

    /// The service answers a bare `true` or `false`.
    pub async fn delete_role_v2(&self, role: &str) -> Result<bool, ApiError> {
        self.call(Method::DELETE, &format!("/v2/authorization/roles/{}", path_segment(role)), vec![], None).await
    }
}
