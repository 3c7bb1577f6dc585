//! The dashboard's state, split by concern: session facts, shared API data, one struct per
//! pane, the modal stack, toasts and in-flight requests. Only the loop owns it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch};
use crate::keymap::{Context, Keymap};
use crate::msg::RequestId;
use crate::panes::Panes;
use crate::panes::ops::Operations;
use crate::panes::pane::{Asks, Ctx, View};
use crate::panes::transfers::Transfers;
use crate::panes::usage::estimate::Estimate;
use crate::theme::Theme;
use crate::widgets::modal::Modal;
use crate::widgets::toast::Toasts;

pub use crate::panes::PaneId;
pub use crate::session::SessionInfo;

/// Where the user is: a pane, and its place in it (the group drilled into, a job's runs, the
/// connections of a group or workspace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub pane: PaneId,
    pub group: Option<Uuid>,
}

/// Why the last read of a resource failed, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    /// The HTTP status, when the API answered.
    pub status: Option<u16>,
    pub at: Instant,
}

impl Failure {
    pub fn new(message: impl Into<String>, at: Instant) -> Self {
        Self { message: message.into(), status: None, at }
    }

    pub fn from_api(e: &ApiError, at: Instant) -> Self {
        Self { message: e.to_string(), status: e.status(), at }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Something read from the API, tracked the same way everywhere: the last good value and
/// when it came, the last failure, and its request. Latest wins: at most one request is in
/// flight and at most one more is queued behind it; a reply to any other request is not
/// this resource's and changes nothing.
#[derive(Debug, Clone)]
pub struct Resource<T> {
    pub value: Option<T>,
    /// When the value was last read successfully.
    pub fetched_at: Option<Instant>,
    pub error: Option<Failure>,
    /// Bumped by every accepted reply, good or bad.
    pub generation: u64,
    inflight: Option<RequestId>,
    queued: bool,
}

impl<T> Default for Resource<T> {
    fn default() -> Self {
        Self { value: None, fetched_at: None, error: None, generation: 0, inflight: None, queued: false }
    }
}

impl<T> Resource<T> {
    /// Nothing read yet and nothing failed.
    pub fn is_loading(&self) -> bool {
        self.value.is_none() && self.error.is_none()
    }

    pub fn in_flight(&self) -> bool {
        self.inflight.is_some()
    }

    /// The request in flight, if any.
    pub fn request(&self) -> Option<RequestId> {
        self.inflight
    }

    /// A read waits behind the one in flight.
    pub fn is_queued(&self) -> bool {
        self.queued
    }

    /// True if `id` is this resource's request in flight.
    pub fn owns(&self, id: RequestId) -> bool {
        self.inflight == Some(id)
    }

    /// Starts a read for `purpose` unless one is in flight; then the read is queued once and
    /// `None` is returned (send it when [`take_queued`](Self::take_queued) says so).
    pub fn start(&mut self, requests: &mut Requests, purpose: Purpose) -> Option<RequestId> {
        if self.inflight.is_some() {
            self.queued = true;
            return None;
        }
        let id = requests.start(purpose);
        self.inflight = Some(id);
        Some(id)
    }

    /// A read that replaces whatever is in flight (its reply will not be accepted).
    pub fn restart(&mut self, requests: &mut Requests, purpose: Purpose) -> RequestId {
        let id = requests.start(purpose);
        self.inflight = Some(id);
        self.queued = false;
        id
    }

    /// Forgets the request in flight (its reply will not be accepted).
    pub fn cancel(&mut self) {
        self.inflight = None;
        self.queued = false;
    }

    /// Stores the reply to `id`; false (and nothing changes) when `id` is not the request in flight.
    pub fn accept(&mut self, id: RequestId, result: Result<T, Failure>, now: Instant) -> bool {
        if !self.finish(id) {
            return false;
        }
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

    /// Ends request `id` without storing a value (the caller merges the reply itself);
    /// false when `id` is not the request in flight.
    pub fn finish(&mut self, id: RequestId) -> bool {
        if self.inflight != Some(id) {
            return false;
        }
        self.inflight = None;
        self.generation += 1;
        true
    }

    /// Records a failure of the request in flight without dropping the last good value.
    pub fn fail(&mut self, failure: Failure) {
        self.error = Some(failure);
    }

    /// True once if a read was queued while one was in flight.
    pub fn take_queued(&mut self) -> bool {
        std::mem::take(&mut self.queued)
    }
}

/// Data from the API that several panes show.
#[derive(Debug, Default)]
pub struct Data {
    pub org: Resource<Organization>,
    pub regions: Resource<Vec<Region>>,
    pub groups: Resource<Vec<WorkspaceGroup>>,
    /// Workspaces of every group; a drill-down refreshes one group and merges it in.
    pub workspaces: Resource<Vec<Workspace>>,
    /// Teams (the teams pane lists them; the audit log names them).
    pub teams: Resource<Vec<Team>>,
    /// What the Access view was last asked to show, and its name.
    pub access: Option<(ResourceRef, String)>,
    /// Whoever the API key belongs to, for the header.
    pub me: Resource<OrgUser>,
    /// Live clusters (v2): the clusters, projects, Stage and jobs panes show them.
    pub clusters: Resource<Vec<Cluster>>,
    /// Groups whose last workspace read failed: their last-known rows stay, shown as stale.
    pub stale_groups: BTreeMap<Uuid, Stale>,
    /// When each group's workspaces were last read successfully.
    pub group_read_at: BTreeMap<Uuid, Instant>,
    /// For each workspace and group shown, the request its shown state came from. Request ids
    /// grow in the order requests are sent, so a reply to an older request (a list read sent
    /// before the poll that confirmed a change) never replaces what a newer one showed.
    pub as_of: BTreeMap<Uuid, RequestId>,
}

/// Applies the rule of [`Data::as_of`] to `fresh`, the objects a reply to request `id` lists:
/// an object whose shown state came from a later request keeps its shown version (and one the
/// reply does not list stays); every other object is now as of `id`.
pub fn keep_newer<T: Clone>(
    as_of: &mut BTreeMap<Uuid, RequestId>,
    id: RequestId,
    shown: &[T],
    fresh: &mut Vec<T>,
    key: impl Fn(&T) -> Uuid,
) {
    let newer = |as_of: &BTreeMap<Uuid, RequestId>, k: Uuid| as_of.get(&k).is_some_and(|&n| n > id);
    for item in fresh.iter_mut() {
        let k = key(item);
        if !newer(as_of, k) {
            as_of.insert(k, id);
        } else if let Some(old) = shown.iter().find(|o| key(o) == k) {
            *item = old.clone();
        }
    }
    let missing: Vec<T> =
        shown.iter().filter(|o| newer(as_of, key(o)) && !fresh.iter().any(|f| key(f) == key(o))).cloned().collect();
    fresh.extend(missing);
}

impl Data {
    /// Records that request `id` showed object `key` as it is, unless a later request did.
    pub fn seen(&mut self, key: Uuid, id: RequestId) -> bool {
        let newest = self.as_of.entry(key).or_insert(id);
        if *newest > id {
            return false;
        }
        *newest = id;
        true
    }
}

/// Rows kept from an earlier read because the latest read of them failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// When these rows were last read successfully (`None`: never, nothing is kept).
    pub read_at: Option<Instant>,
    pub failure: Failure,
}

impl Stale {
    /// What follows a kept row's name: " (stale, 12s old)", its age at `now`.
    pub fn suffix(&self, now: Instant) -> String {
        match self.read_at {
            Some(at) => format!(" (stale, {} old)", human_duration(now.saturating_duration_since(at))),
            None => " (stale)".to_string(),
        }
    }
}

impl Data {
    /// Whether some kept rows show an age, which moves with the clock.
    pub fn stale_ages(&self) -> bool {
        self.stale_groups.values().any(|s| s.read_at.is_some())
    }

    pub fn group(&self, id: Uuid) -> Option<&WorkspaceGroup> {
        self.groups.value.as_ref()?.iter().find(|g| g.workspace_group_id == id)
    }

    pub fn workspace(&self, id: Uuid) -> Option<&Workspace> {
        self.workspaces.value.as_ref()?.iter().find(|w| w.workspace_id == id)
    }

    pub fn cluster(&self, id: Uuid) -> Option<&Cluster> {
        self.clusters.value.as_ref()?.iter().find(|c| c.cluster_id == id)
    }

    pub fn group_name(&self, id: Uuid) -> String {
        self.group(id).map_or_else(|| short_id(id), |g| g.name.clone())
    }

    /// Records the outcome of a workspace read of `asked` groups, `failed` among them.
    pub fn workspaces_read(&mut self, asked: &[Uuid], failed: &[(Uuid, Failure)], now: Instant) {
        for g in asked {
            match failed.iter().find(|(f, _)| f == g) {
                Some((_, failure)) => {
                    let read_at = self.group_read_at.get(g).copied();
                    self.stale_groups.insert(*g, Stale { read_at, failure: failure.clone() });
                }
                None => {
                    self.stale_groups.remove(g);
                    self.group_read_at.insert(*g, now);
                }
            }
        }
    }

    pub fn workspaces_in(&self, group: Uuid) -> impl Iterator<Item = &Workspace> {
        self.workspaces.value.iter().flatten().filter(move |w| w.workspace_group_id == group)
    }

    /// Starts a read of shared data unless the same resource is already in flight; then it is
    /// queued once and sent when the reply arrives. One-object reads (an operation's poll) are
    /// never queued.
    pub fn fetch(&mut self, requests: &mut Requests, fetch: Fetch) -> Option<Effect> {
        let resource = match &fetch {
            Fetch::Organization => self.org.start(requests, Purpose::Fetch(fetch.clone())),
            Fetch::Regions => self.regions.start(requests, Purpose::Fetch(fetch.clone())),
            Fetch::Groups => self.groups.start(requests, Purpose::Fetch(fetch.clone())),
            Fetch::Workspaces { .. } => self.workspaces.start(requests, Purpose::Fetch(fetch.clone())),
            Fetch::Clusters(ClustersRequest::List) => self.clusters.start(requests, Purpose::Fetch(fetch.clone())),
            Fetch::People(PeopleRequest::CurrentUser) => self.me.start(requests, Purpose::Fetch(fetch.clone())),
            _ => Some(requests.start(Purpose::Fetch(fetch.clone()))),
        };
        resource.map(|id| Effect::Fetch { id, fetch })
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
    /// When the visible pane is read again by itself (the refresh cadence's next tick).
    pub next_refresh: Option<Instant>,
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
    /// Every pane's own state (see the registry in `panes`).
    pub panes: Panes,
    /// The operations tracker: every change and how far it has got.
    pub ops: Operations,
    /// The Stage transfer queue (the Stage pane fills it, the Transfers pane shows it).
    pub transfers: Transfers,
    /// The cost estimate shown in workspace forms and confirmations.
    pub estimate: Estimate,
    /// What idle refreshes may still ask for.
    pub budget: crate::budget::Budget,
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
        let home = match session.api_version {
            crate::api::ApiVersion::V1 => PaneId::Workspaces,
            crate::api::ApiVersion::V2 => PaneId::Clusters,
        };
        Self {
            now,
            wall,
            session,
            keymap,
            theme,
            location: Location { pane: home, group: None },
            back: Vec::new(),
            modals: Vec::new(),
            toasts: Toasts::default(),
            data: Data::default(),
            requests: Requests::default(),
            panes: Panes::default(),
            ops: Operations::default(),
            transfers: Transfers::default(),
            estimate: Estimate::default(),
            budget: crate::budget::Budget::default(),
            refresh_generation: 0,
            toasts_timer: None,
            spinner_armed: false,
            size: (80, 24),
            dirty: true,
            quit: false,
        }
    }

    /// Starts a read of shared data (see [`Data::fetch`]).
    pub fn fetch(&mut self, fetch: Fetch) -> Option<Effect> {
        self.data.fetch(&mut self.requests, fetch)
    }

    /// The panes, and the context a pane works in while it handles a message; `asks` collects
    /// what the pane asks of the loop (see `panes::dispatch`).
    pub fn split<'a>(&'a mut self, asks: &'a mut Asks) -> (&'a mut Panes, Ctx<'a>) {
        let picked_group = self.panes.groups.table.selected_key().and_then(|k| Uuid::parse_str(k).ok());
        let cx = Ctx {
            now: self.now,
            wall: self.wall,
            session: &self.session,
            theme: &self.theme,
            keymap: &self.keymap,
            size: self.size,
            here: self.location.pane,
            back: &self.back,
            picked_group,
            dirty: &mut self.dirty,
            data: &mut self.data,
            toasts: &mut self.toasts,
            modals: &mut self.modals,
            ops: &mut self.ops,
            requests: &mut self.requests,
            transfers: &mut self.transfers,
            estimate: &mut self.estimate,
            budget: &mut self.budget,
            asks,
        };
        (&mut self.panes, cx)
    }

    /// What a pane may read while it draws.
    pub fn view(&self) -> View<'_> {
        View {
            now: self.now,
            wall: self.wall,
            session: &self.session,
            theme: &self.theme,
            keymap: &self.keymap,
            size: self.size,
            here: self.location.pane,
            data: &self.data,
            ops: &self.ops,
            requests: &self.requests,
            transfers: &self.transfers,
            estimate: &self.estimate,
            modals: &self.modals,
        }
    }

    pub fn contexts(&self) -> [Context; 3] {
        self.location.pane.contexts()
    }

    /// "Workspace groups › analytics › Workspaces".
    pub fn breadcrumbs(&self) -> Vec<String> {
        let view = self.view();
        self.panes
            .breadcrumbs(self.location.pane, &view)
            .unwrap_or_else(|| vec![self.location.pane.title().to_string()])
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
