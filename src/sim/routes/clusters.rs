//! `/v2/clusters`: the v1 workspaces seen the v2 way. A cluster is a workspace (same ID)
//! with its group's settings (firewall, expiry, update window, region) folded in; a v2 create
//! makes a new group holding just that cluster.
//!
//! What differs from v1 is modelled as the service behaves: unknown body keys are refused,
//! `firewallRanges` is required, names are DNS-like, an update cycles the cluster through
//! `PENDING` and reads keep the old values until it lands, a rename is accepted and never
//! applied, firewall ranges take effect a while after `ACTIVE`, a cluster still `PENDING`
//! cannot be deleted, and creations contend for one organization-wide lock.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json as j};
use uuid::Uuid;

use super::groups::{expires, validate_firewall, validate_window};
use super::workspaces::{
    auto_suspend_from, endpoint_for, resume_in, suspend_in, validate_auto_scale, validate_deployment,
    validate_multiplier, validate_size,
};
use super::{Params, decode, generate_password, json, v2_path_id};
use crate::api::clusters::{Cluster, ClusterAutoSuspend, ClusterCreated, ClusterIdReply, ClusterState, SizeConfig};
use crate::api::types::*;
use crate::sim::extract::JsonBody;
use crate::sim::world::{AuditEvent, ClusterPatch, Firewall, GroupRec, Pending, WorkspaceRec, durations};
use crate::sim::{AppState, SimError, SimResult, World};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v2/clusters", get(list).post(create))
        .route("/v2/clusters/{clusterID}", get(one).patch(update).delete(terminate))
        .route("/v2/clusters/{clusterID}/suspend", post(suspend))
        .route("/v2/clusters/{clusterID}/resume", post(resume))
}

/// Every key a create or update body may carry; anything else is refused.
const BODY_KEYS: &[&str] = &[
    "name",
    "projectID",
    "provider",
    "region",
    "firewallRanges",
    "sizeConfig",
    "allowAllTraffic",
    "adminPassword",
    "autoSuspend",
    "autoScale",
    "cacheConfig",
    "deploymentType",
    "expiresAt",
    "updateWindow",
    "kai",
    "multiAZ",
    "optInPreviewFeature",
];
const SIZE_KEYS: &[&str] = &["size", "scaleFactor", "cacheConfig"];
/// Both official clients' spellings.
const AUTO_SUSPEND_KEYS: &[&str] = &["suspendType", "suspendAfterSeconds", "idleAfterSeconds", "scheduledAfterSeconds"];

/// The service's refusal of a key it does not know, checked on the object and the nested
/// objects whose keys are known.
pub fn reject_unknown(body: &Value, keys: &[&str], nested: &[(&str, &[&str])]) -> SimResult<()> {
    let unknown = |o: &serde_json::Map<String, Value>, allowed: &[&str]| {
        o.keys().find(|k| !allowed.contains(&k.as_str())).cloned()
    };
    let Value::Object(o) = body else {
        return Ok(());
    };
    let mut found = unknown(o, keys);
    for (key, allowed) in nested {
        if let Some(Value::Object(inner)) = o.get(*key) {
            found = found.or_else(|| unknown(inner, allowed));
        }
    }
    match found {
        Some(k) => Err(SimError::bad_request(format!("request body contains an unknown field \"{k}\""))),
        None => Ok(()),
    }
}

fn check_body(body: &Value) -> SimResult<()> {
    reject_unknown(body, BODY_KEYS, &[("sizeConfig", SIZE_KEYS), ("autoSuspend", AUTO_SUSPEND_KEYS)])
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SizeBody {
    size: Option<String>,
    scale_factor: Option<f64>,
    cache_config: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AutoSuspendBody {
    suspend_type: Option<SuspendType>,
    suspend_after_seconds: Option<f64>,
    idle_after_seconds: Option<f64>,
    scheduled_after_seconds: Option<f64>,
}

impl AutoSuspendBody {
    fn settings(&self) -> AutoSuspendSettings {
        AutoSuspendSettings {
            suspend_type: self.suspend_type.clone(),
            suspend_after_seconds: self
                .suspend_after_seconds
                .or(self.idle_after_seconds)
                .or(self.scheduled_after_seconds),
        }
    }
}

/// A create or update body. Everything is optional here so that each refusal can be the
/// service's own message, in the service's order.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    name: Option<String>,
    #[serde(rename = "projectID")]
    project_id: Option<String>,
    provider: Option<String>,
    region: Option<String>,
    firewall_ranges: Option<Vec<String>>,
    size_config: Option<SizeBody>,
    allow_all_traffic: Option<bool>,
    admin_password: Option<String>,
    auto_suspend: Option<AutoSuspendBody>,
    auto_scale: Option<AutoScale>,
    cache_config: Option<f64>,
    deployment_type: Option<DeploymentType>,
    expires_at: Option<String>,
    update_window: Option<UpdateWindow>,
    kai: Option<bool>,
    #[serde(rename = "multiAZ")]
    multi_az: Option<bool>,
    opt_in_preview_feature: Option<bool>,
}

impl Body {
    /// The cache multiplier, top-level or inside `sizeConfig`.
    fn cache(&self) -> Option<f64> {
        self.cache_config.or_else(|| self.size_config.as_ref()?.cache_config)
    }

    fn validate_common(&self, now: chrono::DateTime<chrono::Utc>) -> SimResult<Option<Option<AutoSuspend>>> {
        if let Some(sc) = &self.size_config {
            if let Some(size) = &sc.size {
                validate_size(size)?;
            }
            validate_multiplier("sizeConfig.scaleFactor", sc.scale_factor)?;
        }
        validate_multiplier("cacheConfig", self.cache())?;
        validate_deployment(&self.deployment_type)?;
        if let Some(a) = &self.auto_scale {
            validate_auto_scale(a)?;
        }
        if let Some(r) = &self.firewall_ranges {
            validate_firewall(r)?;
        }
        validate_window(self.update_window)?;
        self.auto_suspend.as_ref().map(|a| auto_suspend_from(&a.settings(), now)).transpose()
    }
}

/// Lowercase letters, digits and inner hyphens; 1 to 32 characters.
fn validate_name(name: &str) -> SimResult<()> {
    if name.is_empty() || name.chars().count() > 32 {
        return Err(SimError::bad_request("name: the length must be between 1 and 32"));
    }
    let allowed = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !allowed || name.starts_with('-') || name.ends_with('-') {
        return Err(SimError::bad_request("name: must be in a valid format"));
    }
    Ok(())
}

fn cluster_rec(w: &World, id: Uuid) -> SimResult<&WorkspaceRec> {
    w.workspaces.get(&id).ok_or_else(|| SimError::not_found(format!("cluster {id} not found")))
}

/// A workspace and its group, seen as one v2 cluster.
pub fn view(ws: &WorkspaceRec, g: Option<&GroupRec>) -> Cluster {
    let api = &ws.api;
    let group = g.map(|g| &g.api);
    let firewall = group.map(|g| {
        let ranges = g.firewall_ranges.clone().unwrap_or_default();
        // Not applied yet reads as no ranges and no flag at all.
        let asked_all = g.allow_all_traffic == Some(true);
        let f = Firewall::new(&ranges, asked_all);
        let allow = if f.allow_all { Some(true) } else { g.allow_all_traffic };
        (f.ranges, allow)
    });
    Cluster {
        cluster_id: api.workspace_id,
        name: api.name.clone(),
        group_id: Some(api.workspace_group_id),
        project_id: group.and_then(|g| g.project_id),
        state: Some(ClusterState::from_wire(api.state.as_str())),
        size_config: Some(SizeConfig {
            size: Some(api.size.clone()),
            scale_factor: api.scale_factor,
            cache_config: api.cache_config,
        }),
        cache_config: api.cache_config,
        provider: group.map(|g| g.provider.clone()),
        region: group.map(|g| g.region_name.clone()),
        endpoint: api.endpoint.clone(),
        firewall_ranges: firewall.as_ref().map(|f| f.0.clone()),
        allow_all_traffic: firewall.and_then(|f| f.1),
        created_at: Some(api.created_at.clone()),
        terminated_at: api.terminated_at.clone(),
        last_resumed_at: api.last_resumed_at.clone(),
        expires_at: group.and_then(|g| g.expires_at.as_deref()).and_then(parse_time).map(format_go_time),
        deployment_type: api.deployment_type.clone().or_else(|| group.and_then(|g| g.deployment_type.clone())),
        kai: api.kai_enabled,
        multi_az: group.and_then(|g| g.high_availability_two_zones),
        opt_in_preview_feature: group.and_then(|g| g.opt_in_preview_feature),
        outbound_allow_list: group.and_then(|g| g.outbound_allow_list.clone()),
        update_window: group.and_then(|g| g.update_window),
        auto_suspend: api.auto_suspend.as_ref().map(|a| ClusterAutoSuspend {
            suspend_type: Some(a.suspend_type.clone()),
            suspend_after_seconds: None,
            idle_after_seconds: a.idle_after_seconds,
            scheduled_after_seconds: a.scheduled_after_seconds,
        }),
        auto_scale: api.auto_scale.clone(),
        resume_attachments: api.resume_attachments.clone(),
        scaling_progress: api.scaling_progress,
        smart_dr_status: group.and_then(|g| g.smart_dr_status.clone()),
        extra: Default::default(),
    }
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let project = p.get("projectID").map(v2_path_id).transpose()?;
    let include_terminated = p.flag("includeTerminated")?;
    let w = s.world();
    let clusters: Vec<Cluster> = w
        .workspaces
        .values()
        .filter(|ws| include_terminated || ws.api.state != WorkspaceState::Terminated)
        .map(|ws| view(ws, w.groups.get(&ws.api.workspace_group_id)))
        .filter(|c| project.is_none() || c.project_id == project)
        .collect();
    Ok(json(&clusters))
}

async fn one(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    let w = s.world();
    let ws = cluster_rec(&w, id)?;
    Ok(json(&view(ws, w.groups.get(&ws.api.workspace_group_id))))
}

async fn create(State(s): State<AppState>, JsonBody(raw): JsonBody<Value>) -> SimResult<Response> {
    check_body(&raw)?;
    let body: Body = decode(raw)?;
    let Some(region_code) = body.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) else {
        return Err(SimError::bad_request("region is required"));
    };
    let Some(project_raw) = body.project_id.as_deref() else {
        return Err(SimError::bad_request("projectID is required"));
    };
    let project_id = v2_path_id(project_raw)?;
    let Some(requested) = body.firewall_ranges.clone() else {
        return Err(SimError::bad_request(
            "firewallRanges cannot be null (indicate empty list [] to disallow all inbound traffic)",
        ));
    };
    let size = body.size_config.as_ref().and_then(|s| s.size.clone()).unwrap_or_else(|| "S-00".to_string());
    validate_size(&size)?;
    let name = body.name.clone().unwrap_or_default();
    validate_name(&name)?;
    let provider = match body.provider.as_deref() {
        Some(p) => match Provider::from_wire(p) {
            Provider::Unknown(_) => {
                return Err(SimError::bad_request(format!(
                    "invalid provider {p:?}; value must be aws or azure or gcp"
                )));
            }
            known => Some(known),
        },
        None => None,
    };
    let mut w = s.world();
    let now = w.clock.now();
    let auto_suspend = body.validate_common(now)?.flatten();
    let region = w
        .regions_v2
        .iter()
        .find(|r| r.region_name.eq_ignore_ascii_case(region_code) && provider.as_ref().is_none_or(|p| *p == r.provider))
        .cloned()
        .ok_or_else(|| {
            let who = provider.as_ref().map(|p| format!(" for provider {p}")).unwrap_or_default();
            SimError::bad_request(format!("region {region_code:?} not found{who}"))
        })?;
    let region_id = w.regions.iter().find(|r| r.region == region.region).map(|r| r.region_id).unwrap_or_default();
    let project =
        super::projects::project(&w, project_id).map_err(|_| SimError::bad_request("project not found"))?.clone();
    let expires_at = expires(body.expires_at.as_deref(), &w)?;
    let taken = w.workspaces.values().any(|ws| {
        ws.api.name == name
            && ws.api.state != WorkspaceState::Terminated
            && !ws.pending.as_ref().is_some_and(|p| p.to == WorkspaceState::Terminated)
    });
    let refuse = |why: String| {
        SimError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("error creating workspace ({name}): {why}"))
    };
    if taken {
        return Err(refuse(format!("a cluster named \"{name}\" already exists")));
    }
    if let Some(until) = w.create_lock_until.filter(|u| *u > now) {
        let until = until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        return Err(refuse(format!("could not acquire lock within duration [0, {until}]")));
    }
    w.create_lock_until = Some(now + w.clock.scaled(durations::CREATE_LOCK));

    let (group_id, cluster_id) = (Uuid::new_v4(), Uuid::new_v4());
    let due = w.clock.due_in(durations::CLUSTER_CREATE);
    let firewall = Firewall::new(&requested, body.allow_all_traffic == Some(true));
    let deployment = body.deployment_type.clone().unwrap_or(DeploymentType::Production);
    let group = WorkspaceGroup {
        workspace_group_id: group_id,
        name: name.clone(),
        state: WorkspaceGroupState::Pending,
        created_at: format_time(now),
        provider: region.provider.clone(),
        region_id,
        region_name: region.region_name.clone(),
        // Applied only after the cluster is ACTIVE.
        allow_all_traffic: None,
        deployment_type: Some(deployment.clone()),
        expires_at,
        firewall_ranges: Some(Vec::new()),
        high_availability_two_zones: Some(body.multi_az.unwrap_or(false)),
        opt_in_preview_feature: Some(body.opt_in_preview_feature.unwrap_or(false)),
        outbound_allow_list: None,
        project_id: Some(project.project_id),
        project_name: Some(project.name.clone()),
        smart_dr_status: None,
        terminated_at: None,
        update_window: Some(body.update_window.unwrap_or(UpdateWindow { day: 6, hour: 14 })),
        extra: Default::default(),
    };
    // The service generates the password and ignores one in the body.
    let password = generate_password();
    let firewall_due = due + w.clock.scaled(durations::FIREWALL_LAG);
    w.groups.insert(
        group_id,
        GroupRec {
            api: group,
            pending: Some(Pending { to: WorkspaceGroupState::Active, due }),
            admin_password: password.clone(),
            firewall_pending: Some(Pending { to: firewall, due: firewall_due }),
            holds_one_cluster: true,
        },
    );
    let sc = body.size_config.as_ref();
    let api = Workspace {
        workspace_id: cluster_id,
        workspace_group_id: group_id,
        name: name.clone(),
        size: size.clone(),
        state: WorkspaceState::Pending,
        created_at: format_time(now),
        auto_scale: body.auto_scale.clone().map(|a| AutoScale { changed_at: Some(format_time(now)), ..a }),
        auto_suspend,
        cache_config: Some(body.cache().unwrap_or(1.0)),
        deployment_type: Some(deployment),
        endpoint: Some(endpoint_for(cluster_id, &region.provider, &region.region_name)),
        kai_enabled: Some(body.kai.unwrap_or(false)),
        last_resumed_at: None,
        resume_attachments: None,
        scale_factor: Some(sc.and_then(|s| s.scale_factor).unwrap_or(1.0)),
        scaling_progress: None,
        terminated_at: None,
        extra: Default::default(),
    };
    w.workspaces.insert(
        cluster_id,
        WorkspaceRec {
            api,
            pending: Some(Pending { to: WorkspaceState::Active, due }),
            pending_size: None,
            activity: Vec::new(),
            patch: None,
        },
    );
    w.audit_api(AuditEvent {
        kind: "Cluster.Create".into(),
        reason: format!(
            "Cluster \"{name}\" ({size}) created in {} ({}), project \"{}\"",
            region.region, region.provider, project.name
        ),
        workspace_group_id: Some(group_id),
        workspace_id: Some(cluster_id),
        attributes: Some(j!({ "size": size, "projectID": project.project_id })),
        ..Default::default()
    });
    Ok(json(&ClusterCreated { cluster_id, admin_password: Some(password), group_id: Some(group_id) }))
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody<Value>,
) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    check_body(&raw)?;
    let body: Body = decode(raw)?;
    if let Some(n) = &body.name {
        validate_name(n)?;
    }
    let mut w = s.world();
    let now = w.clock.now();
    let auto_suspend = body.validate_common(now)?;
    let expires_at = expires(body.expires_at.as_deref(), &w)?;
    let rec = cluster_rec(&w, id)?;
    let current = view(rec, w.groups.get(&rec.api.workspace_group_id));
    let (name, group_id) = (rec.api.name.clone(), rec.api.workspace_group_id);
    // The official clients send these back unchanged; a different value is a move, which the
    // service does not do.
    let same = |given: Option<&str>, have: Option<String>| {
        given.is_none_or(|g| have.is_some_and(|h| g.eq_ignore_ascii_case(&h)))
    };
    for (key, given, have) in [
        ("projectID", body.project_id.as_deref(), current.project_id.map(|p| p.to_string())),
        ("provider", body.provider.as_deref(), current.provider.map(|p| p.to_string())),
        ("region", body.region.as_deref(), current.region.clone()),
    ] {
        if !same(given, have) {
            return Err(SimError::bad_request(format!("{key} cannot be changed")));
        }
    }
    if rec.api.state != WorkspaceState::Active || rec.pending.is_some() {
        let state = if rec.pending.is_some() { "changing" } else { rec.api.state.as_str() };
        return Err(SimError::conflict(format!("cluster \"{name}\" is {state}; it can only be updated while ACTIVE")));
    }
    if body.kai == Some(false) && rec.api.kai_enabled != Some(true) {
        // Turning off what was never provisioned fails on the service's side.
        return Err(SimError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("error updating cluster ({name}): cannot tear down mongoproxy: it was never provisioned"),
        ));
    }
    let firewall = match (&body.firewall_ranges, body.allow_all_traffic) {
        (None, None) => None,
        (ranges, allow) => {
            let ranges = ranges.clone().unwrap_or_else(|| current.firewall_ranges.clone().unwrap_or_default());
            let allow = allow.unwrap_or(current.allow_all_traffic == Some(true) && body.firewall_ranges.is_none());
            Some(Firewall::new(&ranges, allow))
        }
    };
    let sc = body.size_config.as_ref();
    let patch = ClusterPatch {
        scale_factor: sc.and_then(|s| s.scale_factor),
        cache_config: body.cache(),
        auto_suspend,
        auto_scale: body.auto_scale.clone().map(|a| AutoScale { changed_at: Some(format_time(now)), ..a }),
        deployment_type: body.deployment_type.clone(),
        kai: body.kai,
        firewall,
        expires_at,
        update_window: body.update_window,
    };
    let new_size = sc.and_then(|s| s.size.clone()).filter(|s| *s != rec.api.size);
    let mut changed: Vec<String> = Vec::new();
    if body.name.as_ref().is_some_and(|n| *n != name) {
        changed.push("name (ignored)".into());
    }
    if let Some(size) = &new_size {
        changed.push(format!("size {} → {size}", rec.api.size));
    }
    if patch.firewall.is_some() {
        changed.push("firewall".into());
    }
    if body.admin_password.is_some() {
        changed.push("admin password (ignored)".into());
    }
    if patch != ClusterPatch::default() && patch.firewall.is_none() {
        changed.push("settings".into());
    }
    let due = w.clock.due_in(durations::CLUSTER_UPDATE);
    if let Some(rec) = w.workspaces.get_mut(&id) {
        rec.api.state = WorkspaceState::Pending;
        rec.pending = Some(Pending { to: WorkspaceState::Active, due });
        if new_size.is_some() {
            rec.api.scaling_progress = Some(0.0);
        }
        rec.pending_size = new_size;
        rec.patch = Some(patch);
    }
    let what = if changed.is_empty() { "nothing".to_string() } else { changed.join(", ") };
    w.audit_api(AuditEvent {
        kind: "Cluster.Update".into(),
        reason: format!("Cluster \"{name}\" updated: {what}"),
        workspace_group_id: Some(group_id),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&ClusterIdReply { cluster_id: id }))
}

async fn terminate(State(s): State<AppState>, Path(id): Path<String>, p: Params) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    // Sent by one official client; it does not make a busy cluster deletable.
    let _ = p.bool("force")?;
    let mut w = s.world();
    let rec = cluster_rec(&w, id)?;
    let (name, group_id) = (rec.api.name.clone(), rec.api.workspace_group_id);
    if rec.api.state == WorkspaceState::Terminated
        || rec.pending.as_ref().is_some_and(|p| p.to == WorkspaceState::Terminated)
    {
        return Err(SimError::bad_request(format!("cluster \"{name}\" is already terminated")));
    }
    if rec.api.state == WorkspaceState::Pending || rec.pending.is_some() {
        return Err(SimError::conflict(format!(
            "cluster \"{name}\" is {} and cannot be terminated until it is ACTIVE",
            if rec.api.state == WorkspaceState::Pending { "PENDING" } else { "TRANSITIONING" }
        )));
    }
    let due = w.clock.due_in(durations::WS_TERMINATE);
    if let Some(rec) = w.workspaces.get_mut(&id) {
        rec.pending = Some(Pending { to: WorkspaceState::Terminated, due });
    }
    let others_live = w.workspaces.values().any(|ws| {
        ws.api.workspace_group_id == group_id && ws.api.workspace_id != id && ws.api.state != WorkspaceState::Terminated
    });
    if let Some(g) = w.groups.get_mut(&group_id).filter(|g| g.holds_one_cluster && !others_live) {
        g.pending = Some(Pending { to: WorkspaceGroupState::Terminated, due: due + chrono::Duration::microseconds(1) });
    }
    w.audit_api(AuditEvent {
        kind: "Cluster.Terminate".into(),
        reason: format!("Cluster \"{name}\" terminated"),
        workspace_group_id: Some(group_id),
        workspace_id: Some(id),
        ..Default::default()
    });
    Ok(json(&ClusterIdReply { cluster_id: id }))
}

async fn suspend(State(s): State<AppState>, Path(id): Path<String>) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    let mut w = s.world();
    cluster_rec(&w, id)?;
    suspend_in(&mut w, id)?;
    Ok(json(&ClusterIdReply { cluster_id: id }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResumeBody {
    disable_auto_suspend: Option<bool>,
}

async fn resume(
    State(s): State<AppState>,
    Path(id): Path<String>,
    JsonBody(raw): JsonBody<Value>,
) -> SimResult<Response> {
    let id = v2_path_id(&id)?;
    reject_unknown(&raw, &["disableAutoSuspend"], &[])?;
    let body: ResumeBody = decode(raw)?;
    let mut w = s.world();
    cluster_rec(&w, id)?;
    resume_in(&mut w, id, body.disable_auto_suspend == Some(true))?;
    Ok(json(&ClusterIdReply { cluster_id: id }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_rule() {
        for ok in ["a", "my-cluster", "cl-test-shared-0-b0dad293", "a--b", &"x".repeat(32)] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("", "length"),
            (&"x".repeat(33) as &str, "length"),
            ("-a", "format"),
            ("a-", "format"),
            ("My-Cluster", "format"),
            ("a_b", "format"),
        ] {
            let e = validate_name(bad).err().map(|e| e.message).unwrap_or_default();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = check_body(&j!({"name": "x", "bogusField": 1})).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("request body contains an unknown field \"bogusField\""));
        let e = check_body(&j!({"sizeConfig": {"size": "S-00", "sizes": 1}})).err().map(|e| e.message);
        assert_eq!(e.as_deref(), Some("request body contains an unknown field \"sizes\""));
        assert!(check_body(&j!({"size": "S-00"})).is_err(), "the old top-level key");
        assert!(
            check_body(&j!({"autoSuspend": {"suspendType": "IDLE", "idleAfterSeconds": 1}, "cacheConfig": 2})).is_ok()
        );
    }
}
