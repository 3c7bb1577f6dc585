//! The simulated organization: every object the API exposes, plus what the simulator
//! needs to move them through their states. One `World` sits behind one mutex; handlers
//! lock it briefly, never across an await.
//!
//! State changes are lazy: a pending transition records when it is due, and
//! [`World::advance`] applies every transition that has come due before a handler reads.
//! Nothing ticks while nobody asks, and tests stay deterministic.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::store::{Record, Store};
use crate::api::projects::{Project, ProjectEdition};
use crate::api::types::*;

/// Times outside years 1970–9999 are refused as input: date arithmetic on them could overflow.
pub fn plausible_time(t: &DateTime<Utc>) -> bool {
    use chrono::Datelike;
    (1970..=9999).contains(&t.year())
}

/// Wall-clock time and the speed factor that shortens every simulated duration.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// 1.0 = realistic durations; 10.0 = ten times faster.
    pub speed: f64,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// A realistic duration shortened by the speed factor.
    pub fn scaled(&self, realistic: Duration) -> chrono::Duration {
        // Below a thousandth, durations would overflow the clock: that is no speed at all.
        let speed = if self.speed.is_finite() && self.speed > 0.0 { self.speed.max(1e-3) } else { 1.0 };
        let micros = (realistic.as_micros() as f64 / speed).max(1.0);
        chrono::Duration::microseconds(micros as i64)
    }

    /// When something that realistically takes `realistic` finishes, starting now.
    pub fn due_in(&self, realistic: Duration) -> DateTime<Utc> {
        self.now() + self.scaled(realistic)
    }
}

/// A span during which a workspace ran (and so cost credits). `end: None` = still running.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivePeriod {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub size: String,
    pub scale_factor: f64,
}

/// A state change that the API reports only once it has happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending<S> {
    pub to: S,
    pub due: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct GroupRec {
    pub api: WorkspaceGroup,
    pub pending: Option<Pending<WorkspaceGroupState>>,
    /// Never shown; kept so that password resets can be told apart in the audit log.
    pub admin_password: String,
    /// Firewall ranges asked for through `/v2`, applied some time after the cluster is ACTIVE.
    pub firewall_pending: Option<Pending<Firewall>>,
    /// Made by `POST /v2/clusters` to hold exactly one cluster; it goes when the cluster goes.
    pub holds_one_cluster: bool,
}

/// A firewall as the service stores it: `0.0.0.0/0` becomes `allow_all`, ranges are sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Firewall {
    pub ranges: Vec<String>,
    pub allow_all: bool,
}

impl Firewall {
    pub fn new(requested: &[String], allow_all: bool) -> Firewall {
        let mut ranges: Vec<String> = requested.iter().map(|r| r.trim().to_string()).collect();
        let allow_all = allow_all || ranges.iter().any(|r| r == crate::api::clusters::ALLOW_ALL);
        ranges.retain(|r| r != crate::api::clusters::ALLOW_ALL);
        ranges.sort();
        ranges.dedup();
        Firewall { ranges, allow_all }
    }
}

/// What a `PATCH /v2/clusters/{id}` changes once it lands (the size travels in `pending_size`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterPatch {
    pub scale_factor: Option<f64>,
    pub cache_config: Option<f64>,
    /// `Some(None)` turns auto-suspend off.
    pub auto_suspend: Option<Option<AutoSuspend>>,
    pub auto_scale: Option<AutoScale>,
    pub deployment_type: Option<DeploymentType>,
    pub kai: Option<bool>,
    pub firewall: Option<Firewall>,
    pub expires_at: Option<String>,
    pub update_window: Option<UpdateWindow>,
}

/// The group-level part of a landed patch, applied to the cluster's group.
struct GroupChange {
    group_id: Uuid,
    patch: ClusterPatch,
    landed: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct WorkspaceRec {
    pub api: Workspace,
    pub pending: Option<Pending<WorkspaceState>>,
    /// A resize that lands when `pending` completes.
    pub pending_size: Option<String>,
    /// Every span the workspace was running, for billing usage.
    pub activity: Vec<ActivePeriod>,
    /// A v2 update that lands when `pending` completes; until then reads show the old values.
    pub patch: Option<ClusterPatch>,
}

impl Record for GroupRec {
    fn has_pending(&self) -> bool {
        self.pending.is_some() || self.firewall_pending.is_some()
    }
}

impl Record for WorkspaceRec {
    fn parent(&self) -> Option<Uuid> {
        Some(self.api.workspace_group_id)
    }
    fn has_pending(&self) -> bool {
        self.pending.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct ConnectionRec {
    pub api: PrivateConnection,
    pub pending: Option<Pending<ConnectionStatus>>,
}

/// A database user of a starter deployment. The password is kept only to be changed.
#[derive(Debug, Clone)]
pub struct StarterUser {
    pub starter_id: Uuid,
    pub user_name: String,
    pub password: String,
}

/// A member of the organization (audit entries name them; teams hold them).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub info: UserInfo,
}

/// The whole simulated organization.
#[derive(Debug)]
pub struct World {
    pub clock: Clock,
    pub org: Organization,
    /// The identity behind the API key: mutations made through the API are audited as this user.
    pub api_user: UserInfo,
    pub api_key_id: Uuid,
    pub users: Vec<User>,
    pub regions: Vec<Region>,
    pub regions_v2: Vec<RegionV2>,
    pub regions_shared_tier: Vec<RegionV2>,
    /// In creation order (the listing order).
    pub projects: Vec<Project>,
    pub groups: Store<GroupRec>,
    /// Indexed by group: listing a group's workspaces costs what it returns.
    pub workspaces: Store<WorkspaceRec>,
    pub connections: BTreeMap<Uuid, ConnectionRec>,
    pub secrets: BTreeMap<Uuid, Secret>,
    pub teams: BTreeMap<Uuid, Team>,
    pub starter_workspaces: BTreeMap<Uuid, StarterWorkspace>,
    /// Database users of starter deployments, by user id.
    pub starter_users: BTreeMap<Uuid, StarterUser>,
    /// Cluster creation takes an organization-wide lock; another create before this fails.
    pub create_lock_until: Option<DateTime<Utc>>,
    /// The retained audit entries, oldest first, in the order written: entry `i` has
    /// `seq = audit_expired + i + 1`.
    pub audit: Vec<AuditLog>,
    /// How many of the oldest entries have been dropped to keep the log within its retention.
    pub audit_expired: usize,
    /// At most this many entries are kept (plus a quarter, so that trimming is rare).
    pub audit_retention: usize,
    pub stage: super::stage::StageStore,
    pub jobs: super::jobs::JobStore,
    pub dr: super::dr::DrStore,
    /// Service accounts, invitations, roles and grants.
    pub people: super::people::People,
    pub flow: super::flow::FlowStore,
    pub functions: super::functions::FunctionStore,
    pub identity: super::identity::IdentityStore,
}

/// Audit entries kept by default: about 120 MB of log, weeks of a lively organization.
pub const DEFAULT_AUDIT_RETENTION: usize = 100_000;

/// What a handler says about a mutation; the world stamps who, when and the ids.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    /// Free-text audit type, e.g. `Workspace.Suspend`.
    pub kind: String,
    /// Human sentence, e.g. `Workspace "etl" suspended`.
    pub reason: String,
    pub workspace_group_id: Option<Uuid>,
    pub workspace_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub labels: Vec<String>,
    pub attributes: Option<serde_json::Value>,
}

impl World {
    /// Appends an audit entry made through the API key. Entries are only ever appended,
    /// in creation order, so `seq` (index + 1) is a stable cursor for `nextToken`.
    pub fn audit_api(&mut self, ev: AuditEvent) -> Uuid {
        let user = self.api_user.clone();
        let key = self.api_key_id;
        self.push_audit(ev, &user, Some(key), AuditSource::Admin, AuditUserType::Customer)
    }

    /// Appends an audit entry made by `user` (a colleague, a portal session, a system job).
    pub fn push_audit(
        &mut self,
        ev: AuditEvent,
        user: &UserInfo,
        api_key_id: Option<Uuid>,
        source: AuditSource,
        user_type: AuditUserType,
    ) -> Uuid {
        let id = Uuid::new_v4();
        // createdAt never goes backwards, so ordering by createdAt equals ordering by seq.
        let mut at = self.clock.now();
        if let Some(last) = self.audit.last().and_then(|l| l.created_at.as_deref()).and_then(parse_time)
            && at <= last
        {
            at = last + chrono::Duration::microseconds(1);
        }
        self.audit.push(AuditLog {
            audit_id: Some(id),
            created_at: Some(at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)),
            kind: Some(ev.kind),
            source: Some(source),
            reason: Some(ev.reason),
            labels: ev.labels,
            attributes: ev.attributes,
            error: None,
            user_id: Some(user.user_id.to_string()),
            user_email: Some(user.email.clone()),
            user_type: Some(user_type),
            first_name: Some(user.first_name.clone()),
            last_name: Some(user.last_name.clone()),
            api_key_id,
            session_id: None,
            org_id: Some(self.org.org_id),
            workspace_id: ev.workspace_id,
            cluster_id: ev.workspace_group_id,
            team_id: ev.team_id,
            project_id: None,
        });
        self.trim_audit();
        id
    }

    /// Drops the oldest entries once the log is a quarter over its retention, back down to
    /// the retention: each push costs O(1) amortized and the log stays bounded.
    fn trim_audit(&mut self) {
        let keep = self.audit_retention.max(1);
        if self.audit.len() > keep + keep / 4 {
            let excess = self.audit.len() - keep;
            self.audit.drain(..excess);
            self.audit_expired += excess;
        }
    }

    /// Applies every pending transition whose time has come. A transition takes effect at
    /// its due time (not at the time of the read), so activity spans stay exact.
    pub fn advance(&mut self) {
        self.answer_invitations();
        let now = self.clock.now();
        let resize_len = self.clock.scaled(durations::WS_RESIZE);
        let mut group_changes = Vec::new();
        self.workspaces.advance_watched(|ws| {
            let Some(p) = ws.pending.clone() else {
                return;
            };
            if p.due > now {
                if ws.pending_size.is_some() {
                    let left = (p.due - now).num_microseconds().unwrap_or(0) as f64;
                    let total = resize_len.num_microseconds().unwrap_or(1).max(1) as f64;
                    let pct = (100.0 * (1.0 - left / total)).clamp(0.0, 99.0).floor();
                    ws.api.scaling_progress = Some(pct);
                }
                return;
            }
            ws.pending = None;
            let patch = ws.patch.take().filter(|_| p.to == WorkspaceState::Active);
            ws.apply_transition(p.to, p.due);
            if let Some(patch) = patch {
                ws.apply_patch(&patch, p.due);
                group_changes.push(GroupChange { group_id: ws.api.workspace_group_id, patch, landed: p.due });
            }
        });
        let firewall_lag = self.clock.scaled(durations::FIREWALL_LAG);
        for c in group_changes {
            if let Some(g) = self.groups.get_mut(&c.group_id) {
                g.apply_patch(c.patch, c.landed + firewall_lag);
            }
        }
        self.groups.advance_watched(|g| {
            if let Some(f) = g.firewall_pending.take_if(|p| p.due <= now) {
                g.api.firewall_ranges = Some(f.to.ranges);
                g.api.allow_all_traffic = Some(f.to.allow_all);
            }
            let Some(p) = g.pending.take_if(|p| p.due <= now) else {
                return;
            };
            if p.to == WorkspaceGroupState::Terminated {
                g.api.terminated_at = Some(format_time(p.due));
            }
            g.api.state = p.to;
        });
        for c in self.connections.values_mut() {
            let Some(p) = c.pending.take_if(|p| p.due <= now) else {
                continue;
            };
            let at = Some(format_time(p.due));
            match p.to {
                ConnectionStatus::Active => c.api.active_at = at.clone(),
                ConnectionStatus::Deleted => c.api.deleted_at = at.clone(),
                _ => {}
            }
            c.api.updated_at = at;
            c.api.status = Some(p.to);
        }
        super::dr::advance(self);
        super::flow::advance(self);
        super::functions::advance(self);
    }

    /// An empty organization: no regions, groups or audit entries yet.
    pub fn new(clock: Clock, org: Organization, api_user: UserInfo, api_key_id: Uuid) -> World {
        World {
            clock,
            org,
            users: vec![User { info: api_user.clone() }],
            api_user,
            api_key_id,
            regions: Vec::new(),
            regions_v2: Vec::new(),
            regions_shared_tier: Vec::new(),
            projects: Vec::new(),
            groups: Store::default(),
            workspaces: Store::default(),
            connections: BTreeMap::new(),
            secrets: BTreeMap::new(),
            teams: BTreeMap::new(),
            starter_workspaces: BTreeMap::new(),
            starter_users: BTreeMap::new(),
            create_lock_until: None,
            audit: Vec::new(),
            audit_expired: 0,
            audit_retention: DEFAULT_AUDIT_RETENTION,
            stage: Default::default(),
            jobs: Default::default(),
            dr: Default::default(),
            people: Default::default(),
            flow: Default::default(),
            functions: Default::default(),
            identity: Default::default(),
        }
    }

    /// The v2 region code (`us-east-1`) of a v1 region id.
    pub fn region_name_of(&self, region_id: Uuid) -> Option<&RegionV2> {
        let r = self.regions.iter().find(|r| r.region_id == region_id)?;
        self.regions_v2.iter().find(|v| v.region == r.region)
    }

    /// Where deployments go when no project is named: the Standard project, as the service
    /// places every group created through `/v1`.
    pub fn default_project(&self) -> Option<&Project> {
        let standard = Some(ProjectEdition::Standard);
        self.projects.iter().find(|p| p.edition == standard).or(self.projects.first())
    }

    /// Every member's identity: people, service accounts and cloud principals.
    fn members(&self) -> impl Iterator<Item = &UserInfo> {
        self.users.iter().map(|u| &u.info).chain(self.people.identities.values().map(|i| &i.info))
    }

    pub fn user_by_email(&self, email: &str) -> Option<&UserInfo> {
        self.members().find(|u| u.email.eq_ignore_ascii_case(email))
    }

    pub fn user_by_id(&self, id: Uuid) -> Option<&UserInfo> {
        self.members().find(|u| u.user_id == id)
    }
}

/// Realistic durations of the asynchronous operations (divided by `Clock::speed`).
pub mod durations {
    use std::time::Duration;
    pub const WS_CREATE: Duration = Duration::from_secs(90);
    pub const WS_SUSPEND: Duration = Duration::from_secs(30);
    pub const WS_RESUME: Duration = Duration::from_secs(45);
    pub const WS_RESIZE: Duration = Duration::from_secs(60);
    pub const WS_TERMINATE: Duration = Duration::from_secs(20);
    pub const GROUP_CREATE: Duration = Duration::from_secs(60);
    pub const GROUP_TERMINATE: Duration = Duration::from_secs(20);
    pub const CONN_CREATE: Duration = Duration::from_secs(120);
    pub const CONN_DELETE: Duration = Duration::from_secs(30);
    pub const CLUSTER_CREATE: Duration = Duration::from_secs(120);
    /// A v2 update cycles the cluster through PENDING for this long.
    pub const CLUSTER_UPDATE: Duration = Duration::from_secs(30);
    /// How long after a cluster is ACTIVE its firewall ranges take effect.
    pub const FIREWALL_LAG: Duration = Duration::from_secs(60);
    /// How long one cluster creation holds the organization-wide creation lock.
    pub const CREATE_LOCK: Duration = Duration::from_secs(5);
    /// Storage DR: the first copy of each replicated database (staggered one after another).
    pub const DR_REPLICATE: Duration = Duration::from_secs(40);
    pub const DR_FAILOVER: Duration = Duration::from_secs(90);
    pub const DR_FAILBACK: Duration = Duration::from_secs(90);
    pub const DR_PRE_PROVISION: Duration = Duration::from_secs(60);
    pub const FLOW_CREATE: Duration = Duration::from_secs(120);
    pub const FUNCTION_DEPLOY: Duration = Duration::from_secs(60);
}

impl GroupRec {
    /// The group-level part of a landed cluster update; the firewall follows later.
    fn apply_patch(&mut self, patch: ClusterPatch, firewall_due: DateTime<Utc>) {
        if let Some(e) = patch.expires_at {
            self.api.expires_at = Some(e);
        }
        if let Some(u) = patch.update_window {
            self.api.update_window = Some(u);
        }
        if let Some(d) = patch.deployment_type {
            self.api.deployment_type = Some(d);
        }
        if let Some(f) = patch.firewall {
            self.firewall_pending = Some(Pending { to: f, due: firewall_due });
        }
    }
}

impl WorkspaceRec {
    /// The databases attached to this workspace (reported in `resumeAttachments`).
    pub fn databases(&self) -> Vec<String> {
        let base = self.api.name.replace('-', "_");
        vec![format!("{base}_db"), "information_schema_ext".to_string()]
    }

    /// Opens an activity span at `at` unless one is already open.
    pub fn open_span(&mut self, at: DateTime<Utc>) {
        if self.activity.last().is_some_and(|p| p.end.is_none()) {
            return;
        }
        self.activity.push(ActivePeriod {
            start: at,
            end: None,
            size: self.api.size.clone(),
            scale_factor: self.api.scale_factor.unwrap_or(1.0),
        });
    }

    /// Closes the open activity span, if any, at `at`.
    pub fn close_span(&mut self, at: DateTime<Utc>) {
        if let Some(p) = self.activity.last_mut().filter(|p| p.end.is_none()) {
            p.end = Some(at.max(p.start));
        }
    }

    /// The workspace-level part of a landed cluster update.
    pub fn apply_patch(&mut self, patch: &ClusterPatch, at: DateTime<Utc>) {
        if let Some(sf) = patch.scale_factor.filter(|sf| Some(*sf) != self.api.scale_factor) {
            // A new scale factor bills from now on.
            self.close_span(at);
            self.api.scale_factor = Some(sf);
            self.open_span(at);
        }
        if let Some(c) = patch.cache_config {
            self.api.cache_config = Some(c);
        }
        if let Some(a) = &patch.auto_suspend {
            self.api.auto_suspend = a.clone();
        }
        if let Some(a) = &patch.auto_scale {
            self.api.auto_scale = Some(a.clone());
        }
        if let Some(d) = &patch.deployment_type {
            self.api.deployment_type = Some(d.clone());
        }
        if let Some(k) = patch.kai {
            self.api.kai_enabled = Some(k);
        }
    }

    /// Lands a transition that came due at `at`.
    pub fn apply_transition(&mut self, to: WorkspaceState, at: DateTime<Utc>) {
        match to {
            WorkspaceState::Active => {
                if let Some(size) = self.pending_size.take() {
                    self.close_span(at);
                    self.api.size = size;
                    self.api.scaling_progress = None;
                } else if self.api.state == WorkspaceState::Suspended {
                    self.api.last_resumed_at = Some(format_time(at));
                    self.api.resume_attachments = Some(
                        self.databases()
                            .into_iter()
                            .map(|database| ResumeAttachment {
                                attachment: AttachmentKind::ReadWrite,
                                database,
                                success: true,
                                error: None,
                            })
                            .collect(),
                    );
                }
                self.api.state = WorkspaceState::Active;
                self.open_span(at);
            }
            WorkspaceState::Terminated => {
                self.api.state = WorkspaceState::Terminated;
                self.api.terminated_at = Some(format_time(at));
                self.api.scaling_progress = None;
                self.pending_size = None;
                self.close_span(at);
            }
            other => {
                self.close_span(at);
                self.api.state = other;
            }
        }
    }
}
