//! Cloud functions: a notebook or a container image served behind an endpoint. Listed a page
//! at a time (`limit`, and `offsetID` = the last ID of the previous page); updated under
//! optimistic concurrency: an update names the `lastUpdatedAt` it was based on, and the API
//! refuses it (409) when the function changed since.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;
use super::wire::Extra;
use crate::wire_enum;

wire_enum!(FunctionStatus {
    Initializing = "Initializing",
    Active = "Active",
    Idle = "Idle",
    Failed = "Failed",
    Deleted = "Deleted",
});

wire_enum!(FunctionTargetType { Cluster = "CLUSTER", VirtualWorkspace = "VIRTUAL_WORKSPACE", Workspace = "WORKSPACE" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudFunction {
    #[serde(rename = "serviceID")]
    pub service_id: Uuid,
    pub name: String,
    pub status: FunctionStatus,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "String::is_empty")]
    pub created_at: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<Uuid>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// What an update names as `lastKnownUpdatedAt`.
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub last_updated_at: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: Extra,
}

/// The body of a create (`notebookPath` or `image`, not both) and of an update (only what
/// changes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudFunctionFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notebook_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_name: Option<String>,
    #[serde(rename = "targetID", default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<FunctionTargetType>,
    /// Create only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_agent: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionPageInfo {
    #[serde(default)]
    pub count: u32,
    #[serde(default)]
    pub has_next_page: bool,
    #[serde(default)]
    pub has_previous_page: bool,
    #[serde(default)]
    pub total_count: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionPage {
    #[serde(default, deserialize_with = "lenient::rows")]
    pub cloud_functions: Vec<CloudFunction>,
    #[serde(default, deserialize_with = "lenient::field")]
    pub metadata: Option<FunctionPageInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionCreated {
    #[serde(rename = "cloudFunctionID")]
    pub cloud_function_id: Uuid,
}

/// A token for calling the function's endpoint. Debug never shows it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppToken {
    pub jwt: String,
    #[serde(default)]
    pub expires_at: String,
}

impl std::fmt::Debug for AppToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppToken").field("jwt", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

impl Client {
    /// One page: at most `limit` functions after `offset_id` (the last ID of the page before).
    pub async fn cloud_functions(&self, limit: Option<u32>, offset_id: Option<Uuid>) -> Result<FunctionPage, ApiError> {
        let mut q = vec![];
        if let Some(l) = limit {
            q.push(("limit".to_string(), l.to_string()));
        }
        if let Some(o) = offset_id {
            q.push(("offsetID".to_string(), o.to_string()));
        }
        self.get("/v1/cloudfunctions", q).await
    }

    /// Every page, in order.
    pub async fn all_cloud_functions(&self, page_size: u32) -> Result<Vec<CloudFunction>, ApiError> {
        let mut all: Vec<CloudFunction> = Vec::new();
        loop {
            let page = self.cloud_functions(Some(page_size), all.last().map(|f| f.service_id)).await?;
            let more = page.metadata.is_some_and(|m| m.has_next_page) && !page.cloud_functions.is_empty();
            all.extend(page.cloud_functions);
            if !more {
                return Ok(all);
            }
        }
    }

    pub async fn cloud_function(&self, id: Uuid) -> Result<CloudFunction, ApiError> {
        self.get(&format!("/v1/cloudfunctions/{id}"), vec![]).await
    }

    pub async fn create_cloud_function(&self, body: &CloudFunctionFields) -> Result<Uuid, ApiError> {
        let r: FunctionCreated = self.send(Method::POST, "/v1/cloudfunctions", vec![], body).await?;
        Ok(r.cloud_function_id)
    }

    /// Updates a function; `last_known_updated_at` makes the API refuse (409) when it changed
    /// since that time.
    pub async fn update_cloud_function(
        &self,
        id: Uuid,
        body: &CloudFunctionFields,
        last_known_updated_at: Option<&str>,
        update_notebook_snapshot: bool,
    ) -> Result<CloudFunction, ApiError> {
        let mut q = vec![];
        if let Some(t) = last_known_updated_at {
            q.push(("lastKnownUpdatedAt".to_string(), t.to_string()));
        }
        if update_notebook_snapshot {
            q.push(("updateNotebookSnapshot".to_string(), "true".to_string()));
        }
        self.send(Method::PATCH, &format!("/v1/cloudfunctions/{id}"), q, body).await
    }

    pub async fn delete_cloud_function(&self, id: Uuid) -> Result<CloudFunction, ApiError> {
        self.call(Method::DELETE, &format!("/v1/cloudfunctions/{id}"), vec![], None).await
    }

    pub async fn cloud_function_token(&self, id: Uuid) -> Result<AppToken, ApiError> {
        self.get(&format!("/v1/cloudfunctions/{id}/token"), vec![]).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub enum FunctionsRequest {
    /// One page after `offset_id`.
    Page {
        limit: u32,
        offset_id: Option<Uuid>,
    },
    Get(Uuid),
    Token(Uuid),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FunctionsChange {
    Create(CloudFunctionFields),
    Update { id: Uuid, body: CloudFunctionFields, last_known_updated_at: Option<String> },
    Delete { id: Uuid },
}

#[derive(Debug)]
pub enum FunctionsReply {
    Page { offset_id: Option<Uuid>, page: FunctionPage },
    One(CloudFunction),
    Token { id: Uuid, token: AppToken },
    Created(Uuid),
    Updated(CloudFunction),
    Deleted(CloudFunction),
}

impl FunctionsRequest {
    pub async fn send(self, client: &Client) -> Result<FunctionsReply, ApiError> {
        Ok(match self {
            FunctionsRequest::Page { limit, offset_id } => {
                FunctionsReply::Page { offset_id, page: client.cloud_functions(Some(limit), offset_id).await? }
            }
            FunctionsRequest::Get(id) => FunctionsReply::One(client.cloud_function(id).await?),
            FunctionsRequest::Token(id) => FunctionsReply::Token { id, token: client.cloud_function_token(id).await? },
        })
    }
}

impl FunctionsChange {
    pub async fn send(self, client: &Client) -> Result<FunctionsReply, ApiError> {
        Ok(match self {
            FunctionsChange::Create(body) => FunctionsReply::Created(client.create_cloud_function(&body).await?),
            FunctionsChange::Update { id, body, last_known_updated_at } => FunctionsReply::Updated(
                client.update_cloud_function(id, &body, last_known_updated_at.as_deref(), false).await?,
            ),
            FunctionsChange::Delete { id } => FunctionsReply::Deleted(client.delete_cloud_function(id).await?),
        })
    }
}
