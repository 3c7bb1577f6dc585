//! Teams and their members.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Map;
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::lenient;
use super::types::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamIdReply {
    #[serde(rename = "teamID")]
    pub team_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    #[serde(rename = "userID")]
    pub user_id: Uuid,
    pub email: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub first_name: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub last_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamInfo {
    #[serde(rename = "teamID")]
    pub team_id: Uuid,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    #[serde(rename = "teamID")]
    pub team_id: Uuid,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::field")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub member_users: Option<Vec<UserInfo>>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub member_teams: Option<Vec<TeamInfo>>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamCreate {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "addMemberUserIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub add_member_user_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_member_user_emails: Vec<String>,
    #[serde(rename = "addMemberTeamIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub add_member_team_ids: Vec<Uuid>,
    #[serde(rename = "removeMemberUserIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub remove_member_user_ids: Vec<Uuid>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_member_user_emails: Vec<String>,
    #[serde(rename = "removeMemberTeamIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub remove_member_team_ids: Vec<Uuid>,
}

impl Client {
    pub async fn teams(&self) -> Result<Vec<Team>, ApiError> {
        self.get::<lenient::Rows<_>>("/v1/teams", vec![]).await.map(|r| r.0)
    }

    pub async fn team(&self, id: Uuid) -> Result<Team, ApiError> {
        self.get(&format!("/v1/teams/{id}"), vec![]).await
    }

    pub async fn create_team(&self, body: &TeamCreate) -> Result<Team, ApiError> {
        self.send(Method::POST, "/v1/teams", vec![], body).await
    }

    pub async fn update_team(&self, id: Uuid, body: &TeamUpdate) -> Result<Uuid, ApiError> {
        let r: TeamIdReply = self.send(Method::PATCH, &format!("/v1/teams/{id}"), vec![], body).await?;
        Ok(r.team_id)
    }

    pub async fn delete_team(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: TeamIdReply = self.call(Method::DELETE, &format!("/v1/teams/{id}"), vec![], None).await?;
        Ok(r.team_id)
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamsRequest {
    List,
    One(Uuid),
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum TeamsChange {
    Create(TeamCreate),
    Update { id: Uuid, body: TeamUpdate },
    Delete { id: Uuid },
}

#[derive(Debug)]
pub enum TeamsReply {
    List(Vec<Team>),
    One(Team),
    Created(Team),
    Updated(Uuid),
    Deleted(Uuid),
}

impl TeamsRequest {
    pub async fn send(self, client: &Client) -> Result<TeamsReply, ApiError> {
        let request = self;
        Ok(match request {
            TeamsRequest::List => TeamsReply::List(client.teams().await?),
            TeamsRequest::One(id) => TeamsReply::One(client.team(id).await?),
        })
    }
}

impl TeamsChange {
    pub async fn send(self, client: &Client) -> Result<TeamsReply, ApiError> {
        let change = self;
        Ok(match change {
            TeamsChange::Create(body) => TeamsReply::Created(client.create_team(&body).await?),
            TeamsChange::Update { id, body } => TeamsReply::Updated(client.update_team(id, &body).await?),
            TeamsChange::Delete { id } => TeamsReply::Deleted(client.delete_team(id).await?),
        })
    }
}
