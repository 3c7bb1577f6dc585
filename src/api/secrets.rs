//! Secrets.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretIdReply {
    #[serde(rename = "secretID")]
    pub secret_id: Uuid,
}

/// A secret. `value` is only present when the server chooses to send it; Debug redacts it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(rename = "secretID")]
    pub secret_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
    #[serde(default)]
    pub last_updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("secret_id", &self.secret_id)
            .field("name", &self.name)
            .field("created_at", &self.created_at)
            .field("last_updated_at", &self.last_updated_at)
            .field("value", &self.value.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Secret {
    /// The same secret with its value removed, for lists, describe views and logs.
    pub fn without_value(&self) -> Secret {
        Secret { value: None, ..self.clone() }
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretCreate {
    pub name: String,
    pub value: String,
}

impl std::fmt::Debug for SecretCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretCreate").field("name", &self.name).field("value", &"<redacted>").finish()
    }
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl std::fmt::Debug for SecretUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretUpdate").field("value", &"<redacted>").finish()
    }
}

/// Live replies wrap secrets (`{"secrets": [...]}`, `{"secret": {...}}`); older ones are bare.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecretsEnvelope {
    Wrapped { secrets: Vec<Secret> },
    Bare(Vec<Secret>),
}

impl SecretsEnvelope {
    pub fn into_inner(self) -> Vec<Secret> {
        match self {
            SecretsEnvelope::Wrapped { secrets } | SecretsEnvelope::Bare(secrets) => secrets,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SecretEnvelope {
    Wrapped { secret: Secret },
    Bare(Secret),
}

impl SecretEnvelope {
    pub fn into_inner(self) -> Secret {
        match self {
            SecretEnvelope::Wrapped { secret } | SecretEnvelope::Bare(secret) => secret,
        }
    }
}

impl Client {
    pub async fn secrets(&self, name: Option<&str>) -> Result<Vec<Secret>, ApiError> {
        let q = name.map(|n| vec![("name".to_string(), n.to_string())]).unwrap_or_default();
        let r: SecretsEnvelope = self.get(&format!("{}/secrets", self.prefix()), q).await?;
        Ok(r.into_inner())
    }

    pub async fn secret(&self, id: Uuid) -> Result<Secret, ApiError> {
        let r: SecretEnvelope = self.get(&format!("{}/secrets/{id}", self.prefix()), vec![]).await?;
        Ok(r.into_inner())
    }

    pub async fn create_secret(&self, body: &SecretCreate) -> Result<Secret, ApiError> {
        let r: SecretEnvelope = self.send(Method::POST, &format!("{}/secrets", self.prefix()), vec![], body).await?;
        Ok(r.into_inner())
    }

    pub async fn update_secret(&self, id: Uuid, value: &str) -> Result<Secret, ApiError> {
        let body = SecretUpdate { value: Some(value.to_string()) };
        let r: SecretEnvelope =
            self.send(Method::PATCH, &format!("{}/secrets/{id}", self.prefix()), vec![], &body).await?;
        Ok(r.into_inner())
    }

    pub async fn delete_secret(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: IdOrBare<SecretIdReply> =
            self.call(Method::DELETE, &format!("{}/secrets/{id}", self.prefix()), vec![], None).await?;
        Ok(match r {
            IdOrBare::Wrapped(w) => w.secret_id,
            IdOrBare::Bare(id) => id,
        })
    }
}

/// A secret's value. Debug never shows it and there is no Display: reading it takes `expose`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(<redacted>)")
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum SecretsRequest {
    List,
    /// Who is who: the organization's members' IDs and emails.
    Users,
    /// One secret with its value.
    Value(Uuid),
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum SecretsChange {
    Create { name: String, value: SecretValue },
    Update { id: Uuid, value: SecretValue },
    Delete { id: Uuid },
}

#[derive(Debug)]
pub enum SecretsReply {
    List(Vec<Secret>),
    Users(Vec<(Uuid, String)>),
    Value { id: Uuid, name: String, value: Option<SecretValue> },
    Created(Secret),
    Updated(Secret),
    Deleted(Uuid),
}

impl SecretsRequest {
    pub async fn send(self, client: &Client) -> Result<SecretsReply, ApiError> {
        let request = self;
        tracing::debug!(?request, "secrets read");
        match request {
            SecretsRequest::List => {
                let list = client.secrets(None).await?;
                Ok(SecretsReply::List(list.iter().map(Secret::without_value).collect()))
            }
            SecretsRequest::Users => {
                let users = client.users(None).await?;
                let known = users.into_iter().filter(|u| !u.email.is_empty()).map(|u| (u.user_id, u.email));
                Ok(SecretsReply::Users(known.collect()))
            }
            SecretsRequest::Value(id) => {
                let mut s = client.secret(id).await?;
                let value = s.value.take().map(SecretValue::new);
                Ok(SecretsReply::Value { id, name: s.name, value })
            }
        }
    }
}

impl SecretsChange {
    pub async fn send(self, client: &Client) -> Result<SecretsReply, ApiError> {
        let change = self;
        // Debug of a change redacts its value (see `SecretValue`).
        tracing::debug!(?change, "secrets change");
        match change {
            SecretsChange::Create { name, value } => {
                let body = SecretCreate { name, value: value.expose().to_string() };
                Ok(SecretsReply::Created(client.create_secret(&body).await?.without_value()))
            }
            SecretsChange::Update { id, value } => {
                Ok(SecretsReply::Updated(client.update_secret(id, value.expose()).await?.without_value()))
            }
            SecretsChange::Delete { id } => Ok(SecretsReply::Deleted(client.delete_secret(id).await?)),
        }
    }
}
