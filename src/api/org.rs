//! The organization: its name and API firewall.

use serde::{Deserialize, Serialize};
use serde_json::Map;
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::lenient;
use super::types::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(rename = "orgID")]
    pub org_id: Uuid,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub firewall_ranges: Option<Vec<String>>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Extra,
}

impl Client {
    pub async fn organization(&self) -> Result<Organization, ApiError> {
        self.get(&format!("{}/organizations/current", self.prefix()), vec![]).await
    }
}

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub enum OrgRequest {
    Organization,
    Regions,
}

#[derive(Debug)]
pub enum OrgReply {
    Organization(Organization),
    Regions(RegionLists),
}

impl OrgRequest {
    pub async fn send(self, client: &Client) -> Result<OrgReply, ApiError> {
        let request = self;
        match request {
            OrgRequest::Organization => Ok(OrgReply::Organization(client.organization().await?)),
            OrgRequest::Regions => {
                let (v1, v2, shared) =
                    tokio::join!(client.regions(), client.regions_v2(), client.regions_shared_tier());
                if let (Err(e), Err(_), Err(_)) = (&v1, &v2, &shared) {
                    return Err(e.clone());
                }
                let text = |e: ApiError| e.to_string();
                Ok(OrgReply::Regions(RegionLists {
                    v1: v1.map_err(text),
                    v2: v2.map_err(text),
                    shared_tier: shared.map_err(text),
                }))
            }
        }
    }
}

/// The three region lists; each may fail on its own.
#[derive(Debug, Clone)]
pub struct RegionLists {
    pub v1: Result<Vec<Region>, String>,
    pub v2: Result<Vec<RegionV2>, String>,
    pub shared_tier: Result<Vec<RegionV2>, String>,
}
