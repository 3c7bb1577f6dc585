//! `GET /v1/auditLogs`: filters, order, limit and an opaque `nextToken`.
//!
//! The log is append-only and `seq` orders it exactly like `createdAt`; the oldest entries
//! expire past the retention, which moves no seq. A token
//! holds a seq cursor and the sort order it was issued for; a request with a token returns
//! only entries newer than the cursor, the oldest of them first so that nothing
//! is skipped when more than `limit` arrived, and the page is then put in the asked order.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Params, json};
use crate::api::types::*;
use crate::sim::{AppState, SimError, SimResult};

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/auditLogs", get(list))
}

/// Where a token-holder left off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// Every entry with `seq <= after` has been considered.
    pub after: usize,
    pub descending: bool,
}

const TOKEN_PREFIX: &str = "s2al1";

pub fn encode_token(c: Cursor) -> String {
    let plain = format!("{}:{}", if c.descending { 'd' } else { 'a' }, c.after);
    let hex: String = plain.bytes().map(|b| format!("{:02x}", b ^ 0x5a)).collect();
    format!("{TOKEN_PREFIX}{hex}")
}

pub fn decode_token(token: &str) -> Option<Cursor> {
    let hex = token.strip_prefix(TOKEN_PREFIX)?;
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).map(|b| b ^ 0x5a))
        .collect();
    let plain = String::from_utf8(bytes?).ok()?;
    let (dir, seq) = plain.split_once(':')?;
    let descending = match dir {
        "a" => false,
        "d" => true,
        _ => return None,
    };
    Some(Cursor { after: seq.parse().ok()?, descending })
}

/// Every filter of the endpoint, parsed.
#[derive(Debug, Default)]
struct Filter {
    kind: Option<String>,
    source: Option<String>,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    user_id: Option<Uuid>,
    api_key_id: Option<Uuid>,
    group_id: Option<Uuid>,
    project_id: Option<Uuid>,
    team_id: Option<Uuid>,
    workspace_id: Option<Uuid>,
}

fn date(p: &Params, name: &str) -> SimResult<Option<DateTime<Utc>>> {
    p.get(name)
        .map(|v| {
            DateTime::parse_from_rfc3339(v).map(|t| t.with_timezone(&Utc)).map_err(|_| {
                SimError::bad_request(format!(
                    "invalid {name}: {v:?} is not an RFC3339 timestamp such as 2019-10-12T07:20:50.52Z"
                ))
            })
        })
        .transpose()
}

impl Filter {
    fn parse(p: &Params) -> SimResult<Filter> {
        let source = p.get("source").map(String::from);
        if let Some(s) = &source
            && AuditSource::from_wire(s).is_unknown()
        {
            return Err(SimError::bad_request(format!("invalid source {s:?}: expected Admin, Portal or SystemJob")));
        }
        Ok(Filter {
            kind: p.get("type").map(String::from),
            source,
            start: date(p, "startDate")?,
            end: date(p, "endDate")?,
            first_name: p.get("firstName").map(String::from),
            last_name: p.get("lastName").map(String::from),
            email: p.get("email").map(String::from),
            user_id: p.uuid("userID")?,
            api_key_id: p.uuid("apiKeyID")?,
            group_id: p.uuid("workspaceGroupID")?,
            project_id: p.uuid("projectID")?,
            team_id: p.uuid("teamID")?,
            workspace_id: p.uuid("workspaceID")?,
        })
    }

    fn matches(&self, e: &AuditLog) -> bool {
        fn eq_opt(want: &Option<String>, got: &Option<String>) -> bool {
            want.as_ref().is_none_or(|w| got.as_ref().is_some_and(|g| g.eq_ignore_ascii_case(w)))
        }
        fn id_opt(want: Option<Uuid>, got: Option<Uuid>) -> bool {
            want.is_none_or(|w| got == Some(w))
        }
        if !eq_opt(&self.kind, &e.kind)
            || !eq_opt(&self.first_name, &e.first_name)
            || !eq_opt(&self.last_name, &e.last_name)
            || !eq_opt(&self.email, &e.user_email)
        {
            return false;
        }
        if let Some(s) = &self.source
            && e.source.as_ref().is_none_or(|x| !x.as_str().eq_ignore_ascii_case(s))
        {
            return false;
        }
        if let Some(u) = self.user_id
            && e.user_id.as_deref() != Some(u.to_string().as_str())
        {
            return false;
        }
        if !id_opt(self.api_key_id, e.api_key_id)
            || !id_opt(self.group_id, e.cluster_id)
            || !id_opt(self.project_id, e.project_id)
            || !id_opt(self.team_id, e.team_id)
            || !id_opt(self.workspace_id, e.workspace_id)
        {
            return false;
        }
        if self.start.is_some() || self.end.is_some() {
            let Some(at) = e.created_at.as_deref().and_then(parse_time) else {
                return false;
            };
            if self.start.is_some_and(|s| at < s) || self.end.is_some_and(|x| at > x) {
                return false;
            }
        }
        true
    }
}

/// One page of the log: `(entries, cursor to hand out)`. `log[0]` has seq `expired + 1`; a
/// cursor older than that resumes at the oldest retained entry.
pub fn page(
    log: &[AuditLog],
    expired: usize,
    matches: impl Fn(&AuditLog) -> bool,
    cursor: Option<Cursor>,
    descending: bool,
    limit: usize,
) -> (Vec<AuditLog>, Cursor) {
    let (len, end) = (log.len(), expired + log.len());
    match cursor {
        // First descending page: the newest `limit` entries; later pages only go newer.
        None if descending => {
            let mut out: Vec<AuditLog> = log.iter().rev().filter(|e| matches(e)).take(limit).cloned().collect();
            out.truncate(limit);
            (out, Cursor { after: end, descending })
        }
        _ => {
            let after = cursor.map_or(0, |c| c.after.saturating_sub(expired)).min(len);
            let mut out = Vec::new();
            let mut last = len;
            for (i, e) in log.iter().enumerate().skip(after) {
                if matches(e) {
                    if out.len() == limit {
                        // Page full: resume right after the last entry returned.
                        last = i;
                        break;
                    }
                    out.push(e.clone());
                }
            }
            if descending {
                out.reverse();
            }
            (out, Cursor { after: expired + last, descending })
        }
    }
}

async fn list(State(s): State<AppState>, p: Params) -> SimResult<Response> {
    let filter = Filter::parse(&p)?;
    let limit = match p.get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<f64>() {
            Ok(n) if n >= 1.0 && n.fract() == 0.0 => (n as usize).min(MAX_LIMIT),
            _ => {
                return Err(SimError::bad_request(format!(
                    "invalid limit {v:?}: expected a whole number from 1 to {MAX_LIMIT}"
                )));
            }
        },
    };
    let asked_order = p.bool("sortByDescending")?;
    let token = p.get("nextToken");
    let cursor = token
        .map(|t| decode_token(t).ok_or_else(|| SimError::bad_request(format!("invalid nextToken {t:?}"))))
        .transpose()?;
    if let (Some(c), Some(d)) = (cursor, asked_order)
        && c.descending != d
    {
        return Err(SimError::bad_request("nextToken was issued for the other sort order (sortByDescending)"));
    }
    let descending = asked_order.or(cursor.map(|c| c.descending)).unwrap_or(false);
    let w = s.world();
    if let Some(c) = cursor
        && c.after > w.audit_expired + w.audit.len()
    {
        return Err(SimError::bad_request(format!("invalid nextToken {:?}", token.unwrap_or_default())));
    }
    let (entries, next) = page(&w.audit, w.audit_expired, |e| filter.matches(e), cursor, descending, limit);
    drop(w);
    // An empty page hands back the very token it was given.
    let next_token = match token {
        Some(t) if entries.is_empty() => t.to_string(),
        _ => encode_token(next),
    };
    Ok(json(&AuditLogPage { audit_logs: entries, next_token: Some(next_token) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        let c = Cursor { after: 12345, descending: true };
        assert_eq!(decode_token(&encode_token(c)), Some(c));
        assert_eq!(decode_token("garbage"), None);
        assert_eq!(decode_token("s2al1zz"), None);
        assert_eq!(decode_token(""), None);
    }

    fn entry(n: usize) -> AuditLog {
        AuditLog { reason: Some(n.to_string()), ..Default::default() }
    }

    #[test]
    fn pages_never_skip_or_repeat() {
        let mut log: Vec<AuditLog> = (1..=7).map(entry).collect();
        let (p1, c1) = page(&log, 0, |_| true, None, false, 3);
        assert_eq!(p1.len(), 3);
        log.extend((8..=9).map(entry));
        let (p2, c2) = page(&log, 0, |_| true, Some(c1), false, 3);
        let (p3, c3) = page(&log, 0, |_| true, Some(c2), false, 3);
        let (p4, _) = page(&log, 0, |_| true, Some(c3), false, 3);
        let all: Vec<String> = [p1, p2, p3, p4].concat().into_iter().filter_map(|e| e.reason).collect();
        let want: Vec<String> = (1..=9).map(|n| n.to_string()).collect();
        assert_eq!(all, want);
    }

    #[test]
    fn the_log_stays_within_its_retention() {
        use crate::sim::{Seed, SimConfig};
        let config = SimConfig { seed: Seed::Empty, audit_retention: 40, ..SimConfig::default() };
        let mut w = crate::sim::seed::build_world(&config);
        let before = w.audit_expired + w.audit.len();
        let mut rng = rand::rng();
        for _ in 0..1000 {
            crate::sim::colleagues::append_one(&mut w, &mut rng);
        }
        assert!(w.audit.len() <= 50, "{} entries kept", w.audit.len());
        assert_eq!(w.audit_expired + w.audit.len(), before + 1000, "every entry is counted, kept or expired");
        // A cursor from before the expiry resumes at the oldest entry kept.
        let (page1, next) =
            page(&w.audit, w.audit_expired, |_| true, Some(Cursor { after: 3, descending: false }), false, 10);
        assert_eq!(page1.first(), w.audit.first());
        assert_eq!(next.after, w.audit_expired + 10);
    }

    #[test]
    fn expiry_moves_no_cursor() {
        // Entries 1..=10; the first page ends after entry 3.
        let log: Vec<AuditLog> = (1..=10).map(entry).collect();
        let (_, c1) = page(&log, 0, |_| true, None, false, 3);
        // Entries 1..=5 expire: a cursor inside them resumes at the oldest kept (6).
        let kept = &log[5..];
        let (p2, c2) = page(kept, 5, |_| true, Some(c1), false, 3);
        assert_eq!(p2.iter().filter_map(|e| e.reason.clone()).collect::<Vec<_>>(), ["6", "7", "8"]);
        assert_eq!(c2.after, 8);
        let (p3, c3) = page(kept, 5, |_| true, Some(c2), false, 3);
        assert_eq!(p3.iter().filter_map(|e| e.reason.clone()).collect::<Vec<_>>(), ["9", "10"]);
        assert_eq!(c3.after, 10);
        let (newest, c) = page(kept, 5, |_| true, None, true, 2);
        assert_eq!(newest.iter().filter_map(|e| e.reason.clone()).collect::<Vec<_>>(), ["10", "9"]);
        assert_eq!(c.after, 10);
    }
}
