//! Clusters (`/v2/clusters`): the v2 deployment, one flat object carrying what v1 split
//! between a workspace group (firewall, admin password, expiry, update window) and its
//! workspace (size, state, endpoint). A v1 workspace and a v2 cluster are the same object:
//! same ID, and the cluster's `groupID` is the workspace's group.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::client::Client;
use super::error::ApiError;
use super::lenient;
use super::types::{
    AutoScale, DeploymentType, Extra, Provider, ResumeAttachment, SmartDrStatus, SuspendType, UpdateWindow, parse_time,
};
use crate::wire_enum;

wire_enum!(ClusterState {
    Pending = "PENDING",
    Active = "ACTIVE",
    Suspended = "SUSPENDED",
    Terminated = "TERMINATED",
    Transitioning = "TRANSITIONING",
    Resuming = "RESUMING",
    Failed = "FAILED",
});

/// The range that a cluster reports back as `allowAllTraffic: true`.
pub const ALLOW_ALL: &str = "0.0.0.0/0";

crate::lenient_struct! {
    /// Size and scale factor (and, as some clients place it, the cache multiplier).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SizeConfig {
        #[lenient]
        pub size: Option<String>,
        #[lenient]
        pub scale_factor: Option<f64>,
        #[lenient]
        pub cache_config: Option<f64>,
    }
}

crate::lenient_struct! {
    /// Auto-suspend on a cluster. Reads carry `idleAfterSeconds`/`scheduledAfterSeconds`; writes
    /// use `suspendAfterSeconds` (the other official client's spelling is accepted by the service
    /// as well).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ClusterAutoSuspend {
        #[lenient]
        pub suspend_type: Option<SuspendType>,
        #[lenient]
        pub suspend_after_seconds: Option<f64>,
        #[lenient]
        pub idle_after_seconds: Option<f64>,
        #[lenient]
        pub scheduled_after_seconds: Option<f64>,
    }
}

impl ClusterAutoSuspend {
    /// Seconds until suspension, whichever key carried them.
    pub fn after_seconds(&self) -> Option<f64> {
        self.suspend_after_seconds.or(self.idle_after_seconds).or(self.scheduled_after_seconds)
    }
}

crate::lenient_struct! {
    /// A cluster as read. Only the ID and name are required; the service omits what is unset.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Cluster {
        #[serde(rename = "clusterID")]
        pub cluster_id: Uuid,
        pub name: String,
        #[lenient(rename = "groupID")]
        pub group_id: Option<Uuid>,
        #[lenient(rename = "projectID")]
        pub project_id: Option<Uuid>,
        #[lenient]
        pub state: Option<ClusterState>,
        /// Older replies carried the same object under `size`.
        #[lenient(alias = "size")]
        pub size_config: Option<SizeConfig>,
        #[lenient]
        pub cache_config: Option<f64>,
        #[lenient]
        pub provider: Option<Provider>,
        /// The provider's region code, e.g. `us-east-1`.
        #[lenient]
        pub region: Option<String>,
        #[lenient]
        pub endpoint: Option<String>,
        #[serde(default, deserialize_with = "lenient::items", skip_serializing_if = "Option::is_none")]
        pub firewall_ranges: Option<Vec<String>>,
        #[lenient]
        pub allow_all_traffic: Option<bool>,
        #[lenient]
        pub created_at: Option<String>,
        #[lenient]
        pub terminated_at: Option<String>,
        #[lenient]
        pub last_resumed_at: Option<String>,
        /// In Go's `time.String()` form at v2 (see [`parse_time`]).
        #[lenient]
        pub expires_at: Option<String>,
        #[lenient]
        pub deployment_type: Option<DeploymentType>,
        #[lenient]
        pub kai: Option<bool>,
        #[lenient(rename = "multiAZ")]
        pub multi_az: Option<bool>,
        #[lenient]
        pub opt_in_preview_feature: Option<bool>,
        #[lenient]
        pub outbound_allow_list: Option<String>,
        #[lenient]
        pub update_window: Option<UpdateWindow>,
        #[lenient]
        pub auto_suspend: Option<ClusterAutoSuspend>,
        #[lenient]
        pub auto_scale: Option<AutoScale>,
        #[serde(default, deserialize_with = "lenient::items", skip_serializing_if = "Option::is_none")]
        pub resume_attachments: Option<Vec<ResumeAttachment>>,
        #[lenient]
        pub scaling_progress: Option<f64>,
        #[lenient(rename = "smartDRStatus")]
        pub smart_dr_status: Option<SmartDrStatus>,
        #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
        pub extra: Extra,
    }
}

impl Cluster {
    /// The reported state; `Unknown("")` when the reply had none.
    pub fn state(&self) -> ClusterState {
        self.state.clone().unwrap_or_else(|| ClusterState::Unknown(String::new()))
    }

    /// Terminated by either sign: the state, or a `terminatedAt` (what the official client waits on).
    pub fn is_terminated(&self) -> bool {
        self.state == Some(ClusterState::Terminated) || self.terminated_at.as_deref().and_then(parse_time).is_some()
    }

    pub fn size(&self) -> Option<&str> {
        self.size_config.as_ref()?.size.as_deref()
    }

    pub fn scale_factor(&self) -> Option<f64> {
        self.size_config.as_ref()?.scale_factor
    }

    /// The cache multiplier, top-level or inside `sizeConfig` (the two clients disagree).
    pub fn cache(&self) -> Option<f64> {
        self.cache_config.or_else(|| self.size_config.as_ref()?.cache_config)
    }

    /// The firewall as one sorted set: `allowAllTraffic: true` counts as `0.0.0.0/0`.
    pub fn effective_firewall(&self) -> Vec<String> {
        let mut ranges: Vec<String> = self.firewall_ranges.clone().unwrap_or_default();
        if self.allow_all_traffic == Some(true) {
            ranges.push(ALLOW_ALL.to_string());
        }
        normalize_ranges(ranges)
    }

    /// Whether the firewall the service reports is the one asked for. Ranges are applied
    /// some time after a create or update, even after the cluster is `ACTIVE`.
    pub fn firewall_applied(&self, wanted: &[String]) -> bool {
        self.effective_firewall() == normalize_ranges(wanted.to_vec())
    }
}

fn normalize_ranges(mut ranges: Vec<String>) -> Vec<String> {
    ranges.iter_mut().for_each(|r| *r = r.trim().to_string());
    ranges.sort();
    ranges.dedup();
    ranges
}

/// `POST /v2/clusters`. Keys left `None` are not sent; `firewallRanges` always is (`[]` = deny
/// all inbound traffic). Debug hides the password.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterCreate {
    pub name: String,
    #[serde(rename = "projectID")]
    pub project_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// Region code from `GET /v2/regions` (`regionName` there).
    pub region: String,
    pub firewall_ranges: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_config: Option<SizeConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_traffic: Option<bool>,
    /// The service generates its own and ignores this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_suspend: Option<ClusterAutoSuspend>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scale: Option<AutoScale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_config: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    /// A timestamp or a Go duration such as `2h`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_window: Option<UpdateWindow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kai: Option<bool>,
    #[serde(rename = "multiAZ", default, skip_serializing_if = "Option::is_none")]
    pub multi_az: Option<bool>,
    /// Only with `NON-PRODUCTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_in_preview_feature: Option<bool>,
}

impl std::fmt::Debug for ClusterCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterCreate")
            .field("name", &self.name)
            .field("project_id", &self.project_id)
            .field("provider", &self.provider)
            .field("region", &self.region)
            .field("firewall_ranges", &self.firewall_ranges)
            .field("size_config", &self.size_config)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

/// Reply of `POST /v2/clusters`: the only place the admin password ever appears.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterCreated {
    #[serde(rename = "clusterID")]
    pub cluster_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
    #[serde(rename = "groupID", default, deserialize_with = "lenient::field", skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Uuid>,
}

impl std::fmt::Debug for ClusterCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterCreated")
            .field("cluster_id", &self.cluster_id)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .field("group_id", &self.group_id)
            .finish()
    }
}

/// `PATCH /v2/clusters/{id}`: only the fields that change. The change is asynchronous: the
/// cluster goes back through `PENDING` and reads show the old values until it lands.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterUpdate {
    /// Accepted by the service and never applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_config: Option<SizeConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_suspend: Option<ClusterAutoSuspend>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scale: Option<AutoScale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_config: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_type: Option<DeploymentType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firewall_ranges: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_all_traffic: Option<bool>,
    /// Accepted by the service and not honoured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_window: Option<UpdateWindow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kai: Option<bool>,
}

impl ClusterUpdate {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl std::fmt::Debug for ClusterUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterUpdate")
            .field("name", &self.name)
            .field("size_config", &self.size_config)
            .field("firewall_ranges", &self.firewall_ranges)
            .field("allow_all_traffic", &self.allow_all_traffic)
            .field("admin_password", &self.admin_password.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterResume {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_auto_suspend: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterIdReply {
    #[serde(rename = "clusterID")]
    pub cluster_id: Uuid,
}

/// Filters of `GET /v2/clusters`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterQuery {
    pub project_id: Option<Uuid>,
    /// The service hides terminated clusters unless asked (some listings show them anyway).
    pub include_terminated: bool,
}

impl Client {
    pub async fn clusters(&self, query: ClusterQuery) -> Result<Vec<Cluster>, ApiError> {
        let mut q = vec![];
        if let Some(p) = query.project_id {
            q.push(("projectID".to_string(), p.to_string()));
        }
        if query.include_terminated {
            q.push(("includeTerminated".to_string(), "true".to_string()));
        }
        let lenient::Rows(clusters) = self.get("/v2/clusters", q).await?;
        Ok(clusters)
    }

    pub async fn cluster(&self, id: Uuid) -> Result<Cluster, ApiError> {
        self.get(&format!("/v2/clusters/{id}"), vec![]).await
    }

    pub async fn create_cluster(&self, body: &ClusterCreate) -> Result<ClusterCreated, ApiError> {
        self.send(Method::POST, "/v2/clusters", vec![], body).await
    }

    /// Accepted is not applied: poll [`Client::cluster`] until it is `ACTIVE` again.
    pub async fn update_cluster(&self, id: Uuid, body: &ClusterUpdate) -> Result<(), ApiError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        // The reply is not needed (and not the same across servers).
        self.call_bytes(Method::PATCH, &format!("/v2/clusters/{id}"), vec![], Some(bytes.into())).await?;
        Ok(())
    }

    pub async fn suspend_cluster(&self, id: Uuid) -> Result<(), ApiError> {
        self.call_bytes(Method::POST, &format!("/v2/clusters/{id}/suspend"), vec![], None).await?;
        Ok(())
    }

    pub async fn resume_cluster(&self, id: Uuid, disable_auto_suspend: bool) -> Result<(), ApiError> {
        let body = serde_json::to_vec(&ClusterResume { disable_auto_suspend: Some(disable_auto_suspend) })
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.call_bytes(Method::POST, &format!("/v2/clusters/{id}/resume"), vec![], Some(body.into())).await?;
        Ok(())
    }

    /// Terminates; the cluster stays readable by ID with `terminatedAt` set.
    pub async fn terminate_cluster(&self, id: Uuid) -> Result<(), ApiError> {
        self.call_bytes(Method::DELETE, &format!("/v2/clusters/{id}"), vec![], None).await?;
        Ok(())
    }
}

/// Reads of the clusters family.
#[derive(Debug, Clone, PartialEq)]
pub enum ClustersRequest {
    /// Every live cluster of the organization.
    List,
    /// One cluster (an operation's poll).
    Get(Uuid),
    /// What a create form offers: projects and `/v2/regions`.
    Choices,
}

/// Changes of the clusters family.
#[derive(Debug, Clone, PartialEq)]
pub enum ClustersChange {
    Create(ClusterCreate),
    Update { id: Uuid, body: ClusterUpdate },
    Suspend { id: Uuid },
    Resume { id: Uuid, disable_auto_suspend: bool },
    Terminate { id: Uuid },
}

#[derive(Debug)]
pub enum ClustersReply {
    List(Vec<Cluster>),
    One(Box<Cluster>),
    Choices {
        projects: Vec<super::projects::Project>,
        regions: Vec<super::regions::RegionV2>,
    },
    /// The create reply: the only place the admin password ever appears.
    Created(ClusterCreated),
    /// A change was accepted (its effect shows in later reads).
    Accepted(Uuid),
}

impl ClustersRequest {
    pub async fn send(self, client: &Client) -> Result<ClustersReply, ApiError> {
        Ok(match self {
            ClustersRequest::List => ClustersReply::List(
                client.clusters(ClusterQuery::default()).await?.into_iter().filter(|c| !c.is_terminated()).collect(),
            ),
            ClustersRequest::Get(id) => ClustersReply::One(Box::new(client.cluster(id).await?)),
            ClustersRequest::Choices => {
                let (projects, regions) =
                    tokio::try_join!(client.projects(super::version::ApiVersion::V2), client.regions_v2())?;
                ClustersReply::Choices { projects, regions }
            }
        })
    }
}

impl ClustersChange {
    pub async fn send(self, client: &Client) -> Result<ClustersReply, ApiError> {
        Ok(match self {
            ClustersChange::Create(body) => ClustersReply::Created(client.create_cluster(&body).await?),
            ClustersChange::Update { id, body } => {
                client.update_cluster(id, &body).await?;
                ClustersReply::Accepted(id)
            }
            ClustersChange::Suspend { id } => {
                client.suspend_cluster(id).await?;
                ClustersReply::Accepted(id)
            }
            ClustersChange::Resume { id, disable_auto_suspend } => {
                client.resume_cluster(id, disable_auto_suspend).await?;
                ClustersReply::Accepted(id)
            }
            ClustersChange::Terminate { id } => {
                client.terminate_cluster(id).await?;
                ClustersReply::Accepted(id)
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_cluster_decodes_and_odd_fields_become_unknown() {
        let c: Cluster = serde_json::from_str(
            r#"{"clusterID":"3ca3d359-021d-45ed-86cb-38b8d14ac507","name":"cluster-1",
                "size":{"size":"S-00","scaleFactor":1},"multiAZ":"yes","firewallRanges":["10.0.0.0/8",3],
                "expiresAt":"2026-09-17 14:42:41.445984 +0000 UTC","state":"ACTIVE","newThing":{"a":1}}"#,
        )
        .unwrap();
        assert_eq!(c.size(), Some("S-00"));
        assert_eq!(c.multi_az, None);
        assert_eq!(c.firewall_ranges, Some(vec!["10.0.0.0/8".to_string()]));
        assert!(parse_time(c.expires_at.as_deref().unwrap()).is_some());
        assert!(c.extra.contains_key("newThing"));
        assert!(!c.is_terminated());
        let bare: Cluster =
            serde_json::from_str(r#"{"clusterID":"3ca3d359-021d-45ed-86cb-38b8d14ac507","name":"x"}"#).unwrap();
        assert_eq!(bare.state(), ClusterState::Unknown(String::new()));
        assert!(serde_json::from_str::<Cluster>(r#"{"clusterID":"nope","name":"x"}"#).is_err());
    }

    #[test]
    fn firewall_compares_as_a_set_with_allow_all_as_its_range() {
        let mut c: Cluster =
            serde_json::from_str(r#"{"clusterID":"3ca3d359-021d-45ed-86cb-38b8d14ac507","name":"x"}"#).unwrap();
        c.allow_all_traffic = Some(true);
        c.firewall_ranges = Some(vec![]);
        assert!(c.firewall_applied(&[ALLOW_ALL.to_string()]));
        assert!(!c.firewall_applied(&[]));
        c.allow_all_traffic = None;
        c.firewall_ranges = Some(vec!["192.0.2.0/24".into(), "198.51.100.0/24".into()]);
        assert!(c.firewall_applied(&["198.51.100.0/24".into(), "192.0.2.0/24".into()]));
    }

    #[test]
    fn create_sends_firewall_ranges_always_and_omits_what_is_unset() {
        let body = ClusterCreate {
            name: "analytics".into(),
            region: "us-east-1".into(),
            admin_password: Some("Secret-Password-123".into()),
            ..Default::default()
        };
        let v = serde_json::to_value(&body).unwrap();
        assert_eq!(v["firewallRanges"], serde_json::json!([]));
        assert!(v.get("sizeConfig").is_none() && v.get("kai").is_none());
        assert!(!format!("{body:?}").contains("Secret-Password"));
    }
}
