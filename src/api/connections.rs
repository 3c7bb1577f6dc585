//! Private connections, outbound allow lists and Kai endpoints.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Map;
use uuid::Uuid;

use super::FAN_OUT;
use super::client::*;
use super::error::ApiError;
use super::lenient;
use super::types::*;
use super::wire::whole;
use crate::wire_enum;
use futures_util::stream::{self, StreamExt};

wire_enum!(ConnectionType { Inbound = "INBOUND", Outbound = "OUTBOUND" });

wire_enum!(ConnectionStatus { Pending = "PENDING", Active = "ACTIVE", Deleted = "DELETED" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateConnectionIdReply {
    #[serde(rename = "privateConnectionID")]
    pub private_connection_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateConnection {
    #[serde(rename = "privateConnectionID")]
    pub private_connection_id: Uuid,
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    #[serde(rename = "workspaceID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConnectionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConnectionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<String>,
    #[serde(rename = "allowedPrivateLinkIDs", default, skip_serializing_if = "Option::is_none")]
    pub allowed_private_link_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_allow_list: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub sql_port: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub websockets_port: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// Undocumented; Terraform reads it when the status is DELETED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateConnectionCreate {
    #[serde(rename = "workspaceGroupID")]
    pub workspace_group_id: Uuid,
    #[serde(rename = "workspaceID", default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ConnectionType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<String>,
    #[serde(rename = "kaiEndpointID", default, skip_serializing_if = "Option::is_none")]
    pub kai_endpoint_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub sql_port: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole::serialize")]
    pub websockets_port: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateConnectionUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_list: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KaiInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboundAllowList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_allow_list: Option<String>,
}

impl Client {
    pub async fn private_connections_for_group(&self, group_id: Uuid) -> Result<Vec<PrivateConnection>, ApiError> {
        self.get::<lenient::Rows<_>>(&format!("/v1/workspaceGroups/{group_id}/privateConnections"), vec![])
            .await
            .map(|r| r.0)
    }

    /// The API requires the group ID as well.
    pub async fn private_connections_for_workspace(
        &self,
        workspace_id: Uuid,
        group_id: Uuid,
    ) -> Result<Vec<PrivateConnection>, ApiError> {
        let q = vec![("workspaceGroupID".to_string(), group_id.to_string())];
        self.get(&format!("/v1/workspaces/{workspace_id}/privateConnections"), q).await
    }

    pub async fn private_connection(&self, id: Uuid) -> Result<PrivateConnection, ApiError> {
        self.get(&format!("/v1/privateConnections/{id}"), vec![]).await
    }

    pub async fn create_private_connection(&self, body: &PrivateConnectionCreate) -> Result<Uuid, ApiError> {
        let r: PrivateConnectionIdReply = self.send(Method::POST, "/v1/privateConnections", vec![], body).await?;
        Ok(r.private_connection_id)
    }

    pub async fn update_private_connection(&self, id: Uuid, allow_list: &str) -> Result<Uuid, ApiError> {
        let body = PrivateConnectionUpdate { allow_list: Some(allow_list.to_string()) };
        let r: PrivateConnectionIdReply =
            self.send(Method::PATCH, &format!("/v1/privateConnections/{id}"), vec![], &body).await?;
        Ok(r.private_connection_id)
    }

    pub async fn delete_private_connection(&self, id: Uuid) -> Result<Uuid, ApiError> {
        let r: PrivateConnectionIdReply =
            self.call(Method::DELETE, &format!("/v1/privateConnections/{id}"), vec![], None).await?;
        Ok(r.private_connection_id)
    }

    pub async fn outbound_allow_list(&self, workspace_id: Uuid) -> Result<Vec<OutboundAllowList>, ApiError> {
        self.get(&format!("/v1/workspaces/{workspace_id}/privateConnections/outboundAllowList"), vec![]).await
    }

    pub async fn kai_info(&self, workspace_id: Uuid) -> Result<KaiInfo, ApiError> {
        self.get(&format!("/v1/workspaces/{workspace_id}/privateConnections/kai"), vec![]).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

/// The reads of this family that the dashboard makes, each sent on its own task by `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectionsRequest {
    /// Every group's connections: the groups, then each group's list (bounded fan-out).
    All,
    Group(Uuid),
    Workspace {
        workspace: Uuid,
        group: Uuid,
    },
    /// One connection (an operation's poll).
    Get(Uuid),
    /// The outbound allow list and Kai endpoint service of a workspace.
    Details {
        workspace: Uuid,
    },
}

/// The changes of this family; the dashboard confirms each with the user before `send`.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectionsChange {
    Create(PrivateConnectionCreate),
    UpdateAllowList { id: Uuid, allow_list: String },
    Delete { id: Uuid },
}

// A reply lives for one loop turn; boxing the one-connection variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum ConnectionsReply {
    List { list: Vec<PrivateConnection>, failed: Vec<(Uuid, String)> },
    One(PrivateConnection),
    Details { workspace: Uuid, outbound: Result<Vec<OutboundAllowList>, String>, kai: Result<KaiInfo, String> },
    Created(Uuid),
    Updated(Uuid),
    Deleted(Uuid),
}

impl ConnectionsRequest {
    pub async fn send(self, client: &Client) -> Result<ConnectionsReply, ApiError> {
        let request = self;
        Ok(match request {
            ConnectionsRequest::All => {
                let groups = client.workspace_groups(false).await?;
                let ids: Vec<Uuid> = groups.iter().map(|g| g.workspace_group_id).collect();
                let results: Vec<(Uuid, Result<Vec<PrivateConnection>, ApiError>)> = stream::iter(ids.clone())
                    .map(|g| async move { (g, client.private_connections_for_group(g).await) })
                    .buffer_unordered(FAN_OUT)
                    .collect()
                    .await;
                let (mut list, mut failed, mut first_error) = (Vec::new(), Vec::new(), None);
                for (group, result) in results {
                    match result {
                        Ok(l) => list.extend(l),
                        // A group terminated since the list was read.
                        Err(ApiError::NotFound { .. }) => {}
                        Err(e) => {
                            failed.push((group, e.to_string()));
                            first_error.get_or_insert(e);
                        }
                    }
                }
                if let Some(e) = first_error.filter(|_| failed.len() == ids.len()) {
                    return Err(e);
                }
                ConnectionsReply::List { list, failed }
            }
            ConnectionsRequest::Group(g) => {
                ConnectionsReply::List { list: client.private_connections_for_group(g).await?, failed: Vec::new() }
            }
            ConnectionsRequest::Workspace { workspace, group } => ConnectionsReply::List {
                list: client.private_connections_for_workspace(workspace, group).await?,
                failed: Vec::new(),
            },
            ConnectionsRequest::Get(id) => ConnectionsReply::One(client.private_connection(id).await?),
            ConnectionsRequest::Details { workspace } => {
                let (outbound, kai) = tokio::join!(client.outbound_allow_list(workspace), client.kai_info(workspace));
                ConnectionsReply::Details {
                    workspace,
                    outbound: outbound.map_err(|e| e.to_string()),
                    kai: kai.map_err(|e| e.to_string()),
                }
            }
        })
    }
}

impl ConnectionsChange {
    pub async fn send(self, client: &Client) -> Result<ConnectionsReply, ApiError> {
        let change = self;
        Ok(match change {
            ConnectionsChange::Create(body) => {
                ConnectionsReply::Created(client.create_private_connection(&body).await?)
            }
            ConnectionsChange::UpdateAllowList { id, allow_list } => {
                ConnectionsReply::Updated(client.update_private_connection(id, &allow_list).await?)
            }
            ConnectionsChange::Delete { id } => ConnectionsReply::Deleted(client.delete_private_connection(id).await?),
        })
    }
}
