//! Invitations of email addresses into the organization (and optionally into teams).

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::lenient;
use crate::api::wire::Extra;
use crate::wire_enum;

wire_enum!(InvitationState {
    Pending = "Pending",
    Accepted = "Accepted",
    Refused = "Refused",
    Revoked = "Revoked",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    #[serde(rename = "invitationID")]
    pub invitation_id: Uuid,
    #[serde(default, deserialize_with = "lenient::field")]
    pub email: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "InvitationState::is_absent")]
    pub state: InvitationState,
    #[serde(rename = "teamIDs", default, deserialize_with = "lenient::field")]
    pub team_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub acted_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InvitationCreate {
    pub email: String,
    #[serde(rename = "teamIDs", default, skip_serializing_if = "Vec::is_empty")]
    pub team_ids: Vec<Uuid>,
}

/// The list's filters: an email (value or regular expression) and a state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InvitationFilter {
    pub email: Option<String>,
    pub state: Option<InvitationState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationIdReply {
    #[serde(rename = "invitationID")]
    pub invitation_id: Uuid,
}

impl Client {
    pub async fn invitations(&self, filter: &InvitationFilter) -> Result<Vec<Invitation>, ApiError> {
        let mut query = Vec::new();
        if let Some(e) = &filter.email {
            query.push(("email".to_string(), e.clone()));
        }
        if let Some(s) = &filter.state {
            query.push(("state".to_string(), s.as_str().to_string()));
        }
        let lenient::Rows(list) = self.get("/v1/invitations", query).await?;
        Ok(list)
    }

    pub async fn invitation(&self, id: Uuid) -> Result<Invitation, ApiError> {
        self.get(&format!("/v1/invitations/{id}"), vec![]).await
    }

    pub async fn invite(&self, body: &InvitationCreate) -> Result<Invitation, ApiError> {
        self.send(Method::POST, "/v1/invitations", vec![], body).await
    }

    pub async fn revoke_invitation(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: InvitationIdReply = self.call(Method::DELETE, &format!("/v1/invitations/{id}"), vec![], None).await?;
        Ok(r.invitation_id)
    }
}
