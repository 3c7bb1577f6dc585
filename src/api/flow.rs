//! SingleStore Flow instances (ingest and migration), attached to a workspace, a database and
//! a database user. Created asynchronously: the instance is `Running` once it is ready.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;
use super::wire::Extra;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flow {
    #[serde(rename = "flowID")]
    pub flow_id: Uuid,
    pub name: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "String::is_empty")]
    pub created_at: String,
    /// Free text: `Running` when ready, `Deleted` once terminated.
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(
        rename = "workspaceID",
        default,
        deserialize_with = "lenient::field",
        skip_serializing_if = "Option::is_none"
    )]
    pub workspace_id: Option<Uuid>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: Extra,
}

impl Flow {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some() || self.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("deleted"))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowCreate {
    pub name: String,
    #[serde(rename = "workspaceID")]
    pub workspace_id: Uuid,
    pub database_name: String,
    pub user_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowIdReply {
    #[serde(rename = "flowID")]
    pub flow_id: Uuid,
}

impl Client {
    pub async fn flows(&self, include_terminated: bool) -> Result<Vec<Flow>, ApiError> {
        let mut q = vec![];
        if include_terminated {
            q.push(("includeTerminated".to_string(), "true".to_string()));
        }
        self.get::<lenient::Rows<_>>("/v1/flow", q).await.map(|r| r.0)
    }

    pub async fn flow(&self, id: Uuid) -> Result<Flow, ApiError> {
        self.get(&format!("/v1/flow/{id}"), vec![]).await
    }

    pub async fn create_flow(&self, body: &FlowCreate) -> Result<Uuid, ApiError> {
        let r: FlowIdReply = self.send(Method::POST, "/v1/flow", vec![], body).await?;
        Ok(r.flow_id)
    }

    pub async fn delete_flow(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: FlowIdReply = self.call(Method::DELETE, &format!("/v1/flow/{id}"), vec![], None).await?;
        Ok(r.flow_id)
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub enum FlowRequest {
    List { include_terminated: bool },
    Get(Uuid),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FlowChange {
    Create(FlowCreate),
    Delete { id: Uuid },
}

#[derive(Debug)]
pub enum FlowReply {
    List(Vec<Flow>),
    One(Box<Flow>),
    Created(Uuid),
    Deleted(Uuid),
}

impl FlowRequest {
    pub async fn send(self, client: &Client) -> Result<FlowReply, ApiError> {
        Ok(match self {
            FlowRequest::List { include_terminated } => FlowReply::List(client.flows(include_terminated).await?),
            FlowRequest::Get(id) => FlowReply::One(Box::new(client.flow(id).await?)),
        })
    }
}

impl FlowChange {
    pub async fn send(self, client: &Client) -> Result<FlowReply, ApiError> {
        Ok(match self {
            FlowChange::Create(body) => FlowReply::Created(client.create_flow(&body).await?),
            FlowChange::Delete { id } => FlowReply::Deleted(client.delete_flow(id).await?),
        })
    }
}
