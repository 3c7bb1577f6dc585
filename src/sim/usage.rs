//! Billing usage derived from what the simulated workspaces did, and cost simulation.
//!
//! Compute usage comes from each workspace's activity spans (suspended time costs nothing);
//! storage usage from each group's Stage contents plus a baseline of database storage that
//! grows with the group's age. Both are computed on demand: spans are copied out of the
//! world, then spread over the requested buckets without holding the lock.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use chrono::{DateTime, Datelike, Months, TimeZone, Timelike, Utc};
use uuid::Uuid;

use crate::api::types::*;

use super::AppState;
use super::error::{SimError, SimResult};
use super::extract::JsonBody;

/// Credits per hour of one workspace at scale factor 1. The single source of prices.
pub const PRICES: &[(&str, f64)] = &[
    ("S-00", 0.25),
    ("S-0", 0.5),
    ("S-1", 1.0),
    ("S-2", 2.0),
    ("S-4", 4.0),
    ("S-6", 6.0),
    ("S-8", 8.0),
    ("S-12", 12.0),
    ("S-16", 16.0),
    ("S-24", 24.0),
    ("S-32", 32.0),
    ("S-48", 48.0),
];

/// Credits per hour for a size; sizes outside the table but shaped `S-<n>` cost `n`.
pub fn credits_per_hour(size: &str) -> Option<f64> {
    let size = size.trim();
    PRICES.iter().find(|(s, _)| s.eq_ignore_ascii_case(size)).map(|(_, p)| *p).or_else(|| {
        size.strip_prefix("S-")
            .or_else(|| size.strip_prefix("s-"))
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n > 0)
            .map(f64::from)
    })
}

/// Refuses windows that would produce an absurd number of buckets.
const MAX_BUCKETS: usize = 200_000;

pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/billing/usage", get(usage)).route("/v1/billing/usage/simulate", post(simulate))
}

/// `2023-07-30T18:30:00Z`, any RFC3339 offset, or the same without an offset / a bare date
/// (taken as UTC).
pub fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    parse_time(raw)
        .or_else(|| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|n| n.and_utc()))
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc())
        })
        .filter(super::world::plausible_time)
}

fn required_time(q: &HashMap<String, String>, name: &str) -> SimResult<DateTime<Utc>> {
    let raw = q
        .get(name)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| SimError::bad_request(format!("{name} is required")))?;
    parse_instant(raw).ok_or_else(|| {
        SimError::bad_request(format!("{name} {raw:?} is not a UTC ISO-8601 time such as 2023-07-30T18:30:00Z"))
    })
}

/// Start of the bucket holding `t`.
fn floor(t: DateTime<Utc>, agg: &AggregateBy) -> DateTime<Utc> {
    let day = Utc.with_ymd_and_hms(t.year(), t.month(), t.day(), 0, 0, 0).single().unwrap_or(t);
    match agg {
        AggregateBy::Day => day,
        AggregateBy::Month => Utc.with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0).single().unwrap_or(day),
        _ => day + chrono::Duration::hours(i64::from(t.hour())),
    }
}

fn step(t: DateTime<Utc>, agg: &AggregateBy) -> DateTime<Utc> {
    match agg {
        AggregateBy::Day => t + chrono::Duration::days(1),
        AggregateBy::Month => t.checked_add_months(Months::new(1)).unwrap_or(t + chrono::Duration::days(31)),
        _ => t + chrono::Duration::hours(1),
    }
}

/// Bucket boundaries covering `[start, end)`, clipped to it: `n + 1` instants for `n` buckets.
pub fn bucket_bounds(start: DateTime<Utc>, end: DateTime<Utc>, agg: &AggregateBy) -> SimResult<Vec<DateTime<Utc>>> {
    let mut out = vec![start];
    let mut t = step(floor(start, agg), agg);
    while t < end {
        out.push(t);
        if out.len() > MAX_BUCKETS {
            return Err(SimError::bad_request(
                "the time range holds too many buckets: use a shorter range or a coarser aggregateBy",
            ));
        }
        t = step(t, agg);
    }
    out.push(end);
    Ok(out)
}

fn hours(d: chrono::Duration) -> f64 {
    d.num_milliseconds() as f64 / 3_600_000.0
}

/// Adds `rate × hours` of `[a, b)` to each bucket it overlaps.
fn spread(bounds: &[DateTime<Utc>], a: DateTime<Utc>, b: DateTime<Utc>, rate: f64, acc: &mut [f64]) {
    let (Some(first), Some(last)) = (bounds.first(), bounds.last()) else {
        return;
    };
    let (a, b) = (a.max(*first), b.min(*last));
    if a >= b {
        return;
    }
    let mut i = bounds.partition_point(|t| *t <= a).saturating_sub(1);
    while i < acc.len() && bounds[i] < b {
        let lo = a.max(bounds[i]);
        let hi = b.min(bounds[i + 1]);
        if hi > lo {
            acc[i] += rate * hours(hi - lo);
        }
        i += 1;
    }
}

/// A number as the service writes it: no exponent, no trailing zeros.
fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

struct WsSnap {
    id: Uuid,
    name: String,
    group: Uuid,
    spans: Vec<(DateTime<Utc>, DateTime<Utc>, f64)>,
}

struct GroupSnap {
    id: Uuid,
    name: String,
    /// Created, and terminated if it was.
    alive: (DateTime<Utc>, Option<DateTime<Utc>>),
    stage_bytes: u64,
}

/// Database storage a group holds before any Stage file: a few GiB that grow daily.
fn storage_baseline(group: Uuid) -> (f64, f64) {
    let h = group.as_u128();
    let base = 1.0 + (h % 7) as f64; // GiB
    let growth = 10.0 + ((h >> 8) % 50) as f64; // MiB per day
    (base * 1024.0 * 1024.0 * 1024.0, growth * 1024.0 * 1024.0)
}

async fn usage(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> SimResult<Json<BillingUsageReply>> {
    let start = required_time(&q, "startTime")?;
    let end = required_time(&q, "endTime")?;
    if end <= start {
        return Err(SimError::bad_request("endTime must be after startTime"));
    }
    let (want_compute, want_storage) = match q.get("metric").map(|m| m.trim()) {
        None | Some("") => (true, true),
        Some(m) => match UsageMetric::from_wire(m) {
            UsageMetric::ComputeCredit => (true, false),
            UsageMetric::StorageAvgByte => (false, true),
            UsageMetric::Unknown(_) => {
                return Err(SimError::bad_request(format!("metric {m:?} is not one of ComputeCredit, StorageAvgByte")));
            }
        },
    };
    let agg_raw = q.get("aggregateBy").or_else(|| q.get("aggregate_by"));
    let agg = match agg_raw.map(|a| a.trim()) {
        None | Some("") => AggregateBy::Hour,
        Some(a) => match AggregateBy::from_wire(a) {
            AggregateBy::Unknown(_) => {
                return Err(SimError::bad_request(format!("aggregateBy {a:?} is not one of hour, day, month")));
            }
            known => known,
        },
    };
    let bounds = bucket_bounds(start, end, &agg)?;

    let (now, org, mut workspaces, mut groups) = {
        let w = st.world();
        let now = w.clock.now();
        let workspaces: Vec<WsSnap> = if want_compute {
            w.workspaces
                .values()
                .filter(|ws| ws.activity.iter().any(|p| p.start < end && p.end.is_none_or(|e| e > start)))
                .map(|ws| WsSnap {
                    id: ws.api.workspace_id,
                    name: ws.api.name.clone(),
                    group: ws.api.workspace_group_id,
                    spans: ws
                        .activity
                        .iter()
                        .map(|p| {
                            let rate = credits_per_hour(&p.size).unwrap_or(1.0) * p.scale_factor.max(0.0);
                            (p.start, p.end.unwrap_or(now), rate)
                        })
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let groups: Vec<GroupSnap> = if want_storage {
            w.groups
                .values()
                .filter_map(|g| {
                    let created = parse_time(&g.api.created_at)?;
                    let gone = g.api.terminated_at.as_deref().and_then(parse_time);
                    Some(GroupSnap {
                        id: g.api.workspace_group_id,
                        name: g.api.name.clone(),
                        alive: (created, gone),
                        stage_bytes: w.stage.total_bytes(g.api.workspace_group_id),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        (now, w.org.org_id, workspaces, groups)
    };
    workspaces.sort_by(|a, b| a.name.cmp(&b.name));
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    let times: Vec<String> = bounds.iter().map(|t| format_time(*t)).collect();
    let n = bounds.len() - 1;
    let mut reply = Vec::new();

    if want_compute {
        let mut rows: Vec<(usize, UsageRecord)> = Vec::new();
        let mut acc = vec![0.0; n];
        for ws in &workspaces {
            acc.iter_mut().for_each(|v| *v = 0.0);
            for (a, b, rate) in &ws.spans {
                spread(&bounds, *a, *b, *rate, &mut acc);
            }
            for (i, v) in acc.iter().enumerate().filter(|(_, v)| **v > 0.0) {
                rows.push((
                    i,
                    UsageRecord {
                        resource_id: ws.id.to_string(),
                        resource_name: ws.name.clone(),
                        resource_type: "Workspace".into(),
                        owner_id: ws.group.to_string(),
                        start_time: times[i].clone(),
                        end_time: times[i + 1].clone(),
                        value: fmt_num(*v, 6),
                    },
                ));
            }
        }
        // Stable: resources were visited by name, so each bucket stays in name order.
        rows.sort_by_key(|r| r.0);
        reply.push(BillingUsage {
            metric: Some("compute-hour".into()),
            description: Some("Compute credits consumed by workspaces while running".into()),
            usage: rows.into_iter().map(|(_, r)| r).collect(),
        });
    }

    if want_storage {
        let mut rows: Vec<(usize, UsageRecord)> = Vec::new();
        for g in &groups {
            let (base, growth_per_day) = storage_baseline(g.id);
            let (born, gone) = g.alive;
            for i in 0..n {
                let (lo, hi) = (bounds[i].max(born), bounds[i + 1].min(gone.unwrap_or(bounds[i + 1])));
                // Nothing is reported for buckets that have not begun or where the group did not exist.
                if hi <= lo || bounds[i] >= now {
                    continue;
                }
                let mid_age_days = hours((lo - born) + (hi - lo) / 2) / 24.0;
                let bytes = base + g.stage_bytes as f64 + growth_per_day * mid_age_days;
                let share = hours(hi - lo) / hours(bounds[i + 1] - bounds[i]).max(f64::MIN_POSITIVE);
                rows.push((
                    i,
                    UsageRecord {
                        resource_id: g.id.to_string(),
                        resource_name: g.name.clone(),
                        resource_type: "WorkspaceGroup".into(),
                        owner_id: org.to_string(),
                        start_time: times[i].clone(),
                        end_time: times[i + 1].clone(),
                        value: fmt_num((bytes * share).round(), 0),
                    },
                ));
            }
        }
        // Stable: resources were visited by name, so each bucket stays in name order.
        rows.sort_by_key(|r| r.0);
        reply.push(BillingUsage {
            metric: Some("storage-avg-byte".into()),
            description: Some("Average bytes stored per workspace group (databases and Stage)".into()),
            usage: rows.into_iter().map(|(_, r)| r).collect(),
        });
    }
    Ok(Json(BillingUsageReply { billing_usage: reply }))
}

fn multiplier(m: Option<&Multiplier>, field: &str) -> SimResult<f64> {
    match m {
        None | Some(Multiplier::X1) => Ok(1.0),
        Some(Multiplier::X2) => Ok(2.0),
        Some(Multiplier::X4) => Ok(4.0),
        Some(Multiplier::Unknown(v)) => Err(SimError::bad_request(format!("{field} {v:?} is not one of X1, X2, X4"))),
    }
}

fn time_field(raw: &str, field: &str) -> SimResult<DateTime<Utc>> {
    parse_instant(raw).ok_or_else(|| SimError::bad_request(format!("{field} {raw:?} is not an RFC3339 date-time")))
}

/// Credits a configuration would cost over `[start, end)`, from the same price table.
pub fn simulated_amount(cfg: &SimulationResourceConfig, start: DateTime<Utc>, end: DateTime<Utc>) -> SimResult<f64> {
    let size = cfg.size.as_deref().unwrap_or("S-00");
    let price = credits_per_hour(size)
        .ok_or_else(|| SimError::bad_request(format!("size {size:?} is not a workspace size such as S-00 or S-1")))?;
    let scale = multiplier(cfg.scale_factor.as_ref(), "scaleFactor")?;
    let cache = multiplier(cfg.cache_multiplier.as_ref(), "cacheMultiplier")?;
    let running = match &cfg.status {
        None | Some(SimulatedStatus::Active) => true,
        Some(SimulatedStatus::Paused | SimulatedStatus::Terminated) => false,
        Some(SimulatedStatus::Unknown(s)) => {
            return Err(SimError::bad_request(format!("status {s:?} is not one of Active, Paused, Terminated")));
        }
    };
    let a = time_field(&cfg.start_at, "resourceConfigurations[].startAt")?.max(start);
    let b = time_field(&cfg.end_before, "resourceConfigurations[].endBefore")?.min(end);
    if !running || b <= a {
        return Ok(0.0);
    }
    Ok(price * scale * cache * hours(b - a))
}

async fn simulate(
    State(st): State<AppState>,
    JsonBody(req): JsonBody<SimulateUsageRequest>,
) -> SimResult<Json<SimulateUsageResponse>> {
    let start = time_field(&req.start_at, "startAt")?;
    let end = time_field(&req.end_before, "endBefore")?;
    if end <= start {
        return Err(SimError::bad_request("endBefore must be after startAt"));
    }
    let w = st.world();
    let mut out = Vec::with_capacity(req.resource_configurations.len());
    for cfg in &req.resource_configurations {
        let amount = simulated_amount(cfg, start, end)?;
        let (kind, name, parent) = if let Some(ws) = w.workspaces.get(&cfg.id) {
            (SimulatedResourceType::Workspace, Some(ws.api.name.clone()), Some(ws.api.workspace_group_id))
        } else if let Some(g) = w.groups.get(&cfg.id) {
            (SimulatedResourceType::WorkspaceGroup, Some(g.api.name.clone()), None)
        } else {
            (SimulatedResourceType::Workspace, None, None)
        };
        out.push(SimulatedResourceUsage {
            id: cfg.id,
            amount: (amount * 1e6).round() / 1e6,
            metric: Some("ComputeHour".into()),
            kind: Some(kind),
            name,
            parent_id: parent,
            start_at: Some(cfg.start_at.clone()),
            end_before: Some(cfg.end_before.clone()),
        });
    }
    Ok(Json(SimulateUsageResponse { resource_usage: out }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap_or_default()
    }

    #[test]
    fn buckets_align_to_the_calendar() {
        let b = bucket_bounds(t("2024-01-30T10:30:00Z"), t("2024-03-02T00:00:00Z"), &AggregateBy::Month)
            .unwrap_or_default();
        assert_eq!(b.len(), 4);
        assert_eq!(b[1], t("2024-02-01T00:00:00Z"));
        assert_eq!(b[2], t("2024-03-01T00:00:00Z"));
    }

    #[test]
    fn spread_splits_partial_hours() {
        let b =
            bucket_bounds(t("2024-01-01T00:00:00Z"), t("2024-01-01T03:00:00Z"), &AggregateBy::Hour).unwrap_or_default();
        let mut acc = vec![0.0; 3];
        spread(&b, t("2024-01-01T00:30:00Z"), t("2024-01-01T02:15:00Z"), 2.0, &mut acc);
        assert_eq!(acc, vec![1.0, 2.0, 0.5]);
    }

    #[test]
    fn prices_come_from_one_table() {
        assert_eq!(credits_per_hour("S-00"), Some(0.25));
        assert_eq!(credits_per_hour("S-0"), Some(0.5));
        assert_eq!(credits_per_hour("S-48"), Some(48.0));
        assert_eq!(credits_per_hour("XL"), None);
        assert_eq!(fmt_num(1.5, 6), "1.5");
        assert_eq!(fmt_num(2.0, 6), "2");
    }
}
