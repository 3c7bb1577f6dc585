//! The dashboard's state, split by concern: session facts, shared API data, one struct per
//! pane, the modal stack, toasts and in-flight requests. Only the loop owns it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::types::*;
use crate::effect::{Effect, Fetch};
use crate::keymap::{Context, Keymap};
use crate::msg::RequestId;
use crate::panes::audit::AuditPane;
use crate::panes::connections::ConnectionsPane;
use crate::panes::groups::GroupsPane;
use crate::panes::jobs::JobsPane;
use crate::panes::log::ActivityLog;
use crate::panes::ops::Operations;
use crate::panes::org::{OrgPane, RegionsPane};
use crate::panes::secrets::SecretsPane;
use crate::panes::stage::StagePane;
use crate::panes::teams::TeamsPane;
use crate::panes::transfers::Transfers;
use crate::panes::usage::UsagePane;
use crate::panes::workspaces::WorkspacesPane;
use crate::theme::Theme;
use crate::widgets::modal::Modal;
use crate::widgets::toast::Toasts;

/// Facts about this session that the header shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub base_url: String,
    pub demo: bool,
    pub profile: String,
    /// The profile's band colour in the header; production profiles are always red.
    pub profile_color: Option<String>,
    pub production: bool,
    /// Every profile of the config file, for `:profile`.
    pub profiles: Vec<String>,
    pub read_only: bool,
    /// How often the visible pane refreshes when nothing is pending.
    pub refresh_every: Duration,
    /// The Management API version this profile speaks (settled when it was opened).
    pub api_version: crate::api::ApiVersion,
}

impl Default for SessionInfo {
    fn default() -> Self {
        Self {
            base_url: crate::config::DEFAULT_BASE_URL.to_string(),
            demo: false,
            profile: "default".to_string(),
            profile_color: None,
            production: false,
            profiles: Vec::new(),
            read_only: false,
            refresh_every: Duration::from_secs(10),
            api_version: crate::api::ApiVersion::V1,
        }
    }
}

/// The panes, in `tab` order; the first nine are also `1`–`9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    Groups,
    Workspaces,
    Stage,
    Jobs,
    Secrets,
    Teams,
    Connections,
    Usage,
    Audit,
    Operations,
    Transfers,
    Org,
    Regions,
    Log,
}

impl PaneId {
    pub const ALL: [PaneId; 14] = [
        PaneId::Groups,
        PaneId::Workspaces,
        PaneId::Stage,
        PaneId::Jobs,
        PaneId::Secrets,
        PaneId::Teams,
        PaneId::Connections,
        PaneId::Usage,
        PaneId::Audit,
        PaneId::Operations,
        PaneId::Transfers,
        PaneId::Org,
        PaneId::Regions,
        PaneId::Log,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PaneId::Groups => "Workspace groups",
            PaneId::Workspaces => "Workspaces",
            PaneId::Stage => "Stage",
            PaneId::Jobs => "Jobs",
            PaneId::Secrets => "Secrets",
            PaneId::Teams => "Teams",
            PaneId::Connections => "Private connections",
            PaneId::Usage => "Usage",
            PaneId::Audit => "Audit log",
            PaneId::Operations => "Operations",
            PaneId::Transfers => "Transfers",
            PaneId::Org => "Organization",
            PaneId::Regions => "Regions",
            PaneId::Log => "Activity log",
        }
    }

    /// This pane's own keymap context.
    pub fn context(self) -> Context {
        match self {
            PaneId::Groups => Context::Groups,
            PaneId::Workspaces => Context::Workspaces,
            PaneId::Stage => Context::Stage,
            PaneId::Jobs => Context::Jobs,
            PaneId::Secrets => Context::Secrets,
            PaneId::Teams => Context::Teams,
            PaneId::Connections => Context::Connections,
            PaneId::Usage => Context::Usage,
            PaneId::Audit => Context::Audit,
            PaneId::Operations => Context::Operations,
            PaneId::Transfers => Context::Transfers,
            PaneId::Org => Context::Org,
            PaneId::Regions => Context::Regions,
            PaneId::Log => Context::Log,
        }
    }

    /// Keymap contexts for this pane, most specific first.
    pub fn contexts(self) -> [Context; 3] {
        [self.context(), Context::List, Context::Global]
    }
}

/// Where the user is: a pane, and for workspaces, which group they drilled into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub pane: PaneId,
    pub group: Option<Uuid>,
}

/// A resource read from the API: the last good value, the last error, and its request.
/// At most one request is in flight per resource and at most one more is queued behind it.
#[derive(Debug, Clone)]
pub struct Remote<T> {
    pub value: Option<T>,
    pub fetched_at: Option<Instant>,
    pub error: Option<String>,
    pub inflight: Option<RequestId>,
    pub queued: bool,
}

impl<T> Default for Remote<T> {
    fn default() -> Self {
        Self { value: None, fetched_at: None, error: None, inflight: None, queued: false }
    }
}

impl<T> Remote<T> {
    pub fn is_loading(&self) -> bool {
        self.value.is_none() && self.error.is_none()
    }

    /// Stores a reply to `id`; false (and nothing changes) when `id` is not the request in flight.
    pub fn accept(&mut self, id: RequestId, result: Result<T, String>, now: Instant) -> bool {
        if self.inflight != Some(id) {
            return false;
        }
        self.inflight = None;
        match result {
            Ok(v) => {
                self.value = Some(v);
                self.fetched_at = Some(now);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        true
    }
}

/// Data from the API that several panes show.
#[derive(Debug, Default)]
pub struct Data {
    pub org: Remote<Organization>,
    pub regions: Remote<Vec<Region>>,
    pub groups: Remote<Vec<WorkspaceGroup>>,
    /// Workspaces of every group; a drill-down refreshes one group and merges it in.
    pub workspaces: Remote<Vec<Workspace>>,
}

impl Data {
    pub fn group(&self, id: Uuid) -> Option<&WorkspaceGroup> {
        self.groups.value.as_ref()?.iter().find(|g| g.workspace_group_id == id)
    }

    pub fn workspace(&self, id: Uuid) -> Option<&Workspace> {
        self.workspaces.value.as_ref()?.iter().find(|w| w.workspace_id == id)
    }

    pub fn group_name(&self, id: Uuid) -> String {
        self.group(id).map_or_else(|| short_id(id), |g| g.name.clone())
    }

    pub fn workspaces_in(&self, group: Uuid) -> impl Iterator<Item = &Workspace> {
        self.workspaces.value.iter().flatten().filter(move |w| w.workspace_group_id == group)
    }
}

/// What a request in flight is for, so its reply finds its way home.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Fetch(Fetch),
    /// A poll or mutation of operation `op`.
    Operation(u64),
    /// A read that a pane made and handles itself.
    Pane(PaneId),
}

/// Request ids are unique for the life of the process, so a reply that arrives after a profile
/// switch can never be taken for a reply to a request of the new session.
static NEXT_REQUEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Requests in flight and the most recent failure, for the header.
#[derive(Debug, Default)]
pub struct Requests {
    pub inflight: BTreeMap<RequestId, Purpose>,
    /// The last request that failed, cleared by the next success.
    pub failing: Option<String>,
}

impl Requests {
    pub fn start(&mut self, purpose: Purpose) -> RequestId {
        let id = NEXT_REQUEST.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.inflight.insert(id, purpose);
        id
    }

    pub fn finish(&mut self, id: RequestId) -> Option<Purpose> {
        self.inflight.remove(&id)
    }
}

pub struct State {
    /// Monotonic time of the message being handled (set by the loop; fixed in tests).
    pub now: Instant,
    /// Wall-clock time, for "created 3d ago".
    pub wall: DateTime<Utc>,
    pub session: SessionInfo,
    pub keymap: Keymap,
    pub theme: Theme,
    pub location: Location,
    /// Where `esc`/`q` go back to.
    pub back: Vec<Location>,
    pub modals: Vec<Modal>,
    pub toasts: Toasts,
    pub data: Data,
    pub requests: Requests,
    pub groups: GroupsPane,
    pub workspaces: WorkspacesPane,
    pub stage: StagePane,
    pub jobs: JobsPane,
    pub secrets: SecretsPane,
    pub teams: TeamsPane,
    pub connections: ConnectionsPane,
    pub usage: UsagePane,
    pub audit: AuditPane,
    pub ops: Operations,
    pub transfers: Transfers,
    pub org: OrgPane,
    pub regions: RegionsPane,
    pub activity: ActivityLog,
    /// Bumped when the refresh cadence restarts; older refresh timers are ignored.
    pub refresh_generation: u64,
    /// When the armed toast-expiry timer fires, if one is armed.
    pub toasts_timer: Option<Instant>,
    /// A spinner timer is armed (it re-arms itself while requests or operations are pending).
    pub spinner_armed: bool,
    pub size: (u16, u16),
    /// Something visible changed since the last frame.
    pub dirty: bool,
    pub quit: bool,
}

impl State {
    pub fn new(session: SessionInfo, keymap: Keymap, theme: Theme, now: Instant, wall: DateTime<Utc>) -> Self {
        Self {
            now,
            wall,
            session,
            keymap,
            theme,
            location: Location { pane: PaneId::Workspaces, group: None },
            back: Vec::new(),
            modals: Vec::new(),
            toasts: Toasts::default(),
            data: Data::default(),
            requests: Requests::default(),
            groups: GroupsPane::default(),
            workspaces: WorkspacesPane::default(),
            stage: StagePane::default(),
            jobs: JobsPane::default(),
            secrets: SecretsPane::default(),
            teams: TeamsPane::default(),
            connections: ConnectionsPane::default(),
            usage: UsagePane::default(),
            audit: AuditPane::default(),
            ops: Operations::default(),
            transfers: Transfers::default(),
            org: OrgPane::default(),
            regions: RegionsPane::default(),
            activity: ActivityLog::default(),
            refresh_generation: 0,
            toasts_timer: None,
            spinner_armed: false,
            size: (80, 24),
            dirty: true,
            quit: false,
        }
    }

    /// Starts a read of `fetch` unless the same resource is already in flight; then it is
    /// queued once and sent when the reply arrives.
    pub fn fetch(&mut self, fetch: Fetch) -> Option<Effect> {
        let meta = match &fetch {
            Fetch::Organization => (&mut self.data.org.inflight, &mut self.data.org.queued),
            Fetch::Regions => (&mut self.data.regions.inflight, &mut self.data.regions.queued),
            Fetch::Groups => (&mut self.data.groups.inflight, &mut self.data.groups.queued),
            Fetch::Workspaces { .. } => (&mut self.data.workspaces.inflight, &mut self.data.workspaces.queued),
            Fetch::Workspace(_) | Fetch::Group(_) => {
                let id = self.requests.start(Purpose::Fetch(fetch.clone()));
                return Some(Effect::Fetch { id, fetch });
            }
            Fetch::Stage(_) => return Some(self.pane_fetch(PaneId::Stage, fetch).1),
            Fetch::Jobs(_) => return Some(self.pane_fetch(PaneId::Jobs, fetch).1),
            Fetch::Secrets(_) => return Some(self.pane_fetch(PaneId::Secrets, fetch).1),
            Fetch::Teams(_) => return Some(self.pane_fetch(PaneId::Teams, fetch).1),
            Fetch::Connections(_) => return Some(self.pane_fetch(PaneId::Connections, fetch).1),
            Fetch::Usage(_) => return Some(self.pane_fetch(PaneId::Usage, fetch).1),
            Fetch::Org(_) => return Some(self.pane_fetch(PaneId::Org, fetch).1),
            Fetch::Audit(_) => return Some(self.pane_fetch(PaneId::Audit, fetch).1),
        };
        if meta.0.is_some() {
            *meta.1 = true;
            return None;
        }
        let id = self.requests.start(Purpose::Fetch(fetch.clone()));
        *meta.0 = Some(id);
        Some(Effect::Fetch { id, fetch })
    }

    /// Starts a read that `pane` tracks itself (its own in-flight id, its own stale check).
    pub fn pane_fetch(&mut self, pane: PaneId, fetch: Fetch) -> (RequestId, Effect) {
        let id = self.requests.start(Purpose::Pane(pane));
        (id, Effect::Fetch { id, fetch })
    }

    /// The groups whose workspaces the workspaces pane shows.
    pub fn workspace_scope(&self) -> Vec<Uuid> {
        match self.workspaces.group {
            Some(g) if self.location.pane == PaneId::Workspaces => vec![g],
            _ => self.data.groups.value.iter().flatten().map(|g| g.workspace_group_id).collect(),
        }
    }

    pub fn contexts(&self) -> [Context; 3] {
        self.location.pane.contexts()
    }

    /// "Workspace groups › analytics › Workspaces".
    pub fn breadcrumbs(&self) -> Vec<String> {
        if self.location.pane == PaneId::Stage {
            return crate::panes::stage::breadcrumbs(self);
        }
        let mut crumbs = Vec::new();
        if let (PaneId::Workspaces, Some(g)) = (self.location.pane, self.workspaces.group) {
            crumbs.push(PaneId::Groups.title().to_string());
            crumbs.push(self.data.group_name(g));
        }
        crumbs.push(self.location.pane.title().to_string());
        crumbs
    }
}

/// The first block of a UUID, enough to tell objects apart on screen.
pub fn short_id(id: Uuid) -> String {
    id.to_string().chars().take(8).collect()
}

/// "3d", "5h", "12m", "40s" since `then`.
pub fn age(wall: DateTime<Utc>, then: &str) -> String {
    match parse_time(then) {
        Some(t) => human_duration((wall - t).to_std().unwrap_or_default()),
        None => "-".to_string(),
    }
}

pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}
