//! Who holds which role on a resource (`…/accessControls`), and granting or revoking it.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::roles::ResourceType;
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::lenient;
use crate::api::teams::{TeamInfo, UserInfo};

/// A resource that roles are granted on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceRef {
    pub kind: ResourceType,
    pub id: Uuid,
}

impl ResourceRef {
    pub fn new(kind: ResourceType, id: Uuid) -> Self {
        Self { kind, id }
    }

    /// The path of its access controls; `None` for a type that has none.
    pub fn access_path(&self) -> Option<String> {
        let root = match self.kind {
            ResourceType::Organization => "organizations",
            ResourceType::Cluster => "workspaceGroups",
            ResourceType::Team => "teams",
            ResourceType::Secret => "secrets",
            ResourceType::Unknown(_) => return None,
        };
        Some(format!("/v1/{root}/{}/accessControls", self.id))
    }
}

/// Who holds a grant: a user or a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Holder {
    User(UserInfo),
    Team(TeamInfo),
}

impl Holder {
    pub fn id(&self) -> Uuid {
        match self {
            Holder::User(u) => u.user_id,
            Holder::Team(t) => t.team_id,
        }
    }

    /// "Ann Lee <ann@…>", "team Analytics", or "user <ID>" when nothing else is known.
    pub fn label(&self) -> String {
        match self {
            Holder::User(u) => {
                let name = format!("{} {}", u.first_name, u.last_name);
                match (name.trim(), u.email.as_str()) {
                    ("", "") => format!("user {}", u.user_id),
                    ("", email) => email.to_string(),
                    (n, email) => format!("{n} <{email}>"),
                }
            }
            Holder::Team(t) => format!("team {}", t.name),
        }
    }
}

/// Where an inherited grant comes from: a role held on another resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InheritedFrom {
    #[serde(rename = "resourceID")]
    pub resource_id: Uuid,
    pub resource_type: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub identity: Holder,
    #[serde(default, deserialize_with = "lenient::field")]
    pub created_at: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<UserInfo>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<InheritedFrom>,
}

/// One role on a resource and everyone who holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceRole {
    pub role: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::rows")]
    pub grants: Vec<Grant>,
}

/// One role for some users and teams.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHolders {
    pub role: String,
    pub users: Vec<Uuid>,
    pub teams: Vec<Uuid>,
}

/// Grants and revokes in one call; the service wants both lists, even empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChange {
    pub grants: Vec<RoleHolders>,
    pub revokes: Vec<RoleHolders>,
}

impl Client {
    pub async fn access_controls(&self, resource: &ResourceRef) -> Result<Vec<ResourceRole>, ApiError> {
        let path = resource
            .access_path()
            .ok_or_else(|| ApiError::InvalidInput(format!("no access controls on a {}", resource.kind)))?;
        let lenient::Rows(roles) = self.get(&path, vec![]).await?;
        Ok(roles)
    }

    /// The service answers with no body.
    pub async fn change_access(&self, resource: &ResourceRef, change: &AccessChange) -> Result<(), ApiError> {
        let path = resource
            .access_path()
            .ok_or_else(|| ApiError::InvalidInput(format!("no access controls on a {}", resource.kind)))?;
        let body = serde_json::to_vec(change)
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.call_bytes(Method::PATCH, &path, vec![], Some(body.into())).await?;
        Ok(())
    }
}
