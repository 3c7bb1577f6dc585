//! Regions where deployments can be created (v1, v2 and the shared tier).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::*;
use super::error::ApiError;
use super::lenient;
use crate::wire_enum;

wire_enum!(
    /// Cloud provider as listed by the region endpoints.
    Provider { Aws = "AWS", Gcp = "GCP", Azure = "Azure" }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    #[serde(rename = "regionID")]
    pub region_id: Uuid,
    pub region: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Provider::is_absent")]
    pub provider: Provider,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionV2 {
    pub region: String,
    pub region_name: String,
    #[serde(default, deserialize_with = "lenient::field", skip_serializing_if = "Provider::is_absent")]
    pub provider: Provider,
}

impl Client {
    pub async fn regions(&self) -> Result<Vec<Region>, ApiError> {
        self.get::<lenient::Rows<_>>("/v1/regions", vec![]).await.map(|r| r.0)
    }

    pub async fn regions_v2(&self) -> Result<Vec<RegionV2>, ApiError> {
        self.get::<lenient::Rows<_>>("/v2/regions", vec![]).await.map(|r| r.0)
    }

    pub async fn regions_shared_tier(&self) -> Result<Vec<RegionV2>, ApiError> {
        self.get::<lenient::Rows<_>>(&format!("{}/regions/sharedtier", self.prefix()), vec![]).await.map(|r| r.0)
    }
}
