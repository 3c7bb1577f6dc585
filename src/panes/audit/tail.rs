//! Following the log: the recent past first, then polls with `nextToken`.
//!
//! Start: pages of the entries since the window start (the last hour, or the filter's own
//! `since`), oldest first, each request with the previous reply's token; if fewer than
//! `recent_min` came back, one newest-first request adds the latest `recent_min`. Follow: the
//! same query with the token, every `poll_visible` while the pane is shown and every
//! `poll_background` otherwise; a full page is followed at once by the next. The token only
//! moves on a successful reply, so after failures (retried with backoff) the tail catches up
//! with nothing skipped; duplicates are dropped by `auditID`.

use std::time::{Duration, Instant};

use super::AuditPane;
use crate::api::error::ApiError;
use crate::api::types::{AuditLogPage, AuditLogQuery, format_time};
use crate::effect::{Effect, Fetch};
use crate::msg::{RequestId, Timer};
use crate::panes::pane::{Ctx, View};
use crate::state::PaneId;

use crate::api::types::AuditRequest;

/// Tunables (the config file may set them).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub poll_visible: Duration,
    pub poll_background: Duration,
    /// How far back the tail starts.
    pub recent_window: Duration,
    /// At least this many entries are shown at the start, however old.
    pub recent_min: u32,
    /// Entries asked for per request.
    pub page_limit: u32,
    /// First wait after a failed poll; doubles per failure up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Entries kept in the ring.
    pub capacity: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            poll_visible: Duration::from_secs(2),
            poll_background: Duration::from_secs(15),
            recent_window: Duration::from_secs(3600),
            recent_min: 200,
            page_limit: 1000,
            retry_base: Duration::from_secs(1),
            retry_max: Duration::from_secs(60),
            capacity: super::buffer::DEFAULT_CAPACITY,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Phase {
    /// Not started: the pane has not been opened yet.
    #[default]
    Idle,
    /// Reading the window's entries, oldest first.
    Backfill,
    /// One newest-first read, when the window held fewer than `recent_min`.
    Recent,
    /// Polling for new entries.
    Follow,
}

/// The last failure, as the title shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// HTTP status, or `None` for a dropped connection or timeout.
    pub status: Option<u16>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Tail {
    pub phase: Phase,
    /// The token of the last successful reply.
    pub token: Option<String>,
    /// The `startDate` every request of this tail carries.
    pub since: Option<String>,
    pub inflight: Option<RequestId>,
    /// Only the timer of this generation is acted on.
    pub generation: u64,
    /// Failures in a row.
    pub failures: u32,
    pub retry_at: Option<Instant>,
    pub failure: Option<Failure>,
    pub last_ok: Option<Instant>,
    /// Failed polls since the start (all recovered from, if the tail is following).
    pub failed_total: u64,
}

/// Starts (or restarts) the tail from scratch with the current server filter.
pub fn start(p: &mut AuditPane, cx: &mut Ctx) -> Vec<Effect> {
    let pane = &mut *p;
    pane.buffer.clear();
    pane.buffer.set_capacity(pane.settings.capacity);
    pane.view.on_insert(&pane.buffer, Default::default(), pane.buffer.end(), &|_| String::new());
    pane.selected = None;
    pane.unseen = 0;
    let window = chrono::Duration::from_std(pane.settings.recent_window).unwrap_or_default();
    let since = pane.server.start.clone().unwrap_or_else(|| format_time(cx.wall - window));
    pane.tail =
        Tail { phase: Phase::Backfill, since: Some(since), generation: pane.tail.generation, ..Tail::default() };
    send(p, cx)
}

fn query(p: &AuditPane) -> AuditLogQuery {
    let pane = &p;
    let mut q = pane.server.query();
    match pane.tail.phase {
        Phase::Recent => {
            q.sort_by_descending = Some(true);
            q.limit = Some(pane.settings.recent_min);
        }
        _ => {
            q.start_date = pane.tail.since.clone();
            q.next_token = pane.tail.token.clone();
            q.limit = Some(pane.settings.page_limit);
        }
    }
    q
}

/// Sends the request the tail needs now.
pub fn send(p: &mut AuditPane, cx: &mut Ctx) -> Vec<Effect> {
    let q = query(p);
    let (id, effect) = cx.pane_fetch(PaneId::Audit, Fetch::Audit(AuditRequest::Page(Box::new(q))));
    let tail = &mut p.tail;
    tail.inflight = Some(id);
    tail.retry_at = None;
    tail.generation += 1;
    vec![effect]
}

/// A poll now, unless one is in flight or a retry is waiting out its backoff.
pub fn poll_now(p: &mut AuditPane, cx: &mut Ctx) -> Vec<Effect> {
    let tail = &p.tail;
    match tail.phase {
        Phase::Idle => start(p, cx),
        _ if tail.inflight.is_some() || tail.retry_at.is_some() => Vec::new(),
        _ => send(p, cx),
    }
}

fn schedule(p: &mut AuditPane, after: Duration) -> Vec<Effect> {
    let tail = &mut p.tail;
    tail.generation += 1;
    vec![Effect::Timer { after, timer: Timer::Pane { pane: PaneId::Audit, generation: tail.generation } }]
}

fn interval(p: &AuditPane, cx: &Ctx) -> Duration {
    let s = &p.settings;
    if cx.here == PaneId::Audit { s.poll_visible } else { s.poll_background }
}

pub fn on_timer(p: &mut AuditPane, cx: &mut Ctx, generation: u64) -> Vec<Effect> {
    let tail = &p.tail;
    if generation != tail.generation || tail.inflight.is_some() || tail.phase == Phase::Idle {
        *cx.dirty = false;
        return Vec::new();
    }
    // Off screen, the tail spends the request budget (see `budget`) after what is on screen:
    // when the visible pane used it up, the poll waits for the next turn.
    let (now, rate, period) = (cx.now, cx.session.request_rate, cx.session.refresh_every);
    if cx.here != PaneId::Audit && !cx.budget.afford(now, rate, period, 1, false) {
        *cx.dirty = false;
        return schedule(p, p.settings.poll_background);
    }
    send(p, cx)
}

/// The wait before retry number `failures` (1-based): doubling from `retry_base`, at least
/// what a 429 asked for.
pub fn backoff(settings: &Settings, failures: u32, retry_after: Option<Duration>) -> Duration {
    let factor = 1u32.checked_shl(failures.saturating_sub(1).min(16)).unwrap_or(u32::MAX);
    let wait = settings.retry_base.saturating_mul(factor).min(settings.retry_max);
    retry_after.map_or(wait, |r| wait.max(r))
}

pub fn on_page(p: &mut AuditPane, cx: &mut Ctx, id: RequestId, reply: Result<AuditLogPage, ApiError>) -> Vec<Effect> {
    if p.tail.inflight != Some(id) {
        return Vec::new();
    }
    p.tail.inflight = None;
    match reply {
        Err(e) => {
            let tail = &mut p.tail;
            tail.failures += 1;
            tail.failed_total += 1;
            let retry_after = match &e {
                ApiError::RateLimited { retry_after, .. } => *retry_after,
                _ => None,
            };
            let wait = backoff(&p.settings, tail.failures, retry_after);
            tail.failure = Some(Failure { status: e.status(), message: e.to_string() });
            tail.retry_at = Some(cx.now + wait);
            tracing::debug!(error = %e, wait_ms = wait.as_millis() as u64, "audit poll failed");
            schedule(p, wait)
        }
        Ok(page) => {
            let count = page.audit_logs.len();
            let phase = p.tail.phase;
            {
                let tail = &mut p.tail;
                tail.failures = 0;
                tail.failure = None;
                tail.retry_at = None;
                tail.last_ok = Some(cx.now);
                if phase != Phase::Recent && page.next_token.is_some() {
                    tail.token = page.next_token;
                }
            }
            super::add_entries(p, cx, page.audit_logs, phase == Phase::Follow);
            let limit = p.settings.page_limit as usize;
            match phase {
                Phase::Backfill if count >= limit => send(p, cx),
                Phase::Backfill => {
                    let want = p.settings.recent_min as usize;
                    let tail = &mut p.tail;
                    if p.buffer.len() < want && p.server.start.is_none() {
                        tail.phase = Phase::Recent;
                        send(p, cx)
                    } else {
                        tail.phase = Phase::Follow;
                        let after = interval(p, cx);
                        schedule(p, after)
                    }
                }
                Phase::Recent => {
                    p.tail.phase = Phase::Follow;
                    let after = interval(p, cx);
                    schedule(p, after)
                }
                Phase::Follow if count >= limit => send(p, cx),
                _ => {
                    let after = interval(p, cx);
                    schedule(p, after)
                }
            }
        }
    }
}

/// "following · retrying in 4s (503)", for the title.
pub fn status(p: &AuditPane, cx: &View) -> (String, bool) {
    let pane = &p;
    let tail = &pane.tail;
    let mode = if pane.following { "following" } else { "paused" };
    if let (Some(f), Some(at)) = (&tail.failure, tail.retry_at) {
        let secs = at.saturating_duration_since(cx.now).as_secs_f64().ceil() as u64;
        let why = match f.status {
            Some(s) => s.to_string(),
            None => "connection lost".to_string(),
        };
        return (format!("{mode} · retrying in {secs}s ({why})"), true);
    }
    if tail.failure.is_some() && tail.inflight.is_some() {
        return (format!("{mode} · retrying…"), true);
    }
    match tail.phase {
        Phase::Idle => ("not started".into(), false),
        Phase::Backfill | Phase::Recent => (format!("{mode} · loading the last hour…"), false),
        Phase::Follow => (mode.to_string(), false),
    }
}
