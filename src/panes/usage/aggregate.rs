//! Billing usage as the charts need it: records (every field a string) placed into the
//! window's calendar buckets, per workspace, per group and for the whole organization.
//!
//! Pure and allocation-light: it runs in `update` when a reply arrives, so a frame only reads
//! the result. Records may arrive finer than the window (hours for a day chart): compute
//! credits add up, storage is averaged over the time the records cover, and a bucket that no
//! record covers is "no data", never zero.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{DateTime, Datelike, Duration, Months, TimeZone, Timelike, Utc};

use crate::api::types::{AggregateBy, BillingUsageReply, UsageQuery, format_time, parse_time};

/// Calendar unit of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Hour,
    Day,
    Month,
}

impl Unit {
    /// Start of the bucket holding `t` (UTC calendar).
    pub fn floor(self, t: DateTime<Utc>) -> DateTime<Utc> {
        let day = Utc.with_ymd_and_hms(t.year(), t.month(), t.day(), 0, 0, 0).single().unwrap_or(t);
        match self {
            Unit::Hour => day + Duration::hours(i64::from(t.hour())),
            Unit::Day => day,
            Unit::Month => Utc.with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0).single().unwrap_or(day),
        }
    }

    /// `t` moved by `n` units (negative goes back).
    pub fn add(self, t: DateTime<Utc>, n: i64) -> DateTime<Utc> {
        match self {
            Unit::Hour => t + Duration::hours(n),
            Unit::Day => t + Duration::days(n),
            Unit::Month => {
                let m = Months::new(n.unsigned_abs().min(u64::from(u32::MAX)) as u32);
                let moved = if n >= 0 { t.checked_add_months(m) } else { t.checked_sub_months(m) };
                moved.unwrap_or(t)
            }
        }
    }

    pub fn aggregate_by(self) -> AggregateBy {
        match self {
            Unit::Hour => AggregateBy::Hour,
            Unit::Day => AggregateBy::Day,
            Unit::Month => AggregateBy::Month,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Month => "month",
        }
    }
}

/// How much time a chart shows: the zoom levels of `+` / `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zoom {
    /// The last 24 hours, hourly.
    #[default]
    Day,
    /// 7 days, daily.
    Week,
    /// 30 days, daily.
    Month,
    /// 12 months, monthly.
    Year,
}

impl Zoom {
    pub const ALL: [Zoom; 4] = [Zoom::Day, Zoom::Week, Zoom::Month, Zoom::Year];

    pub fn buckets(self) -> usize {
        match self {
            Zoom::Day => 24,
            Zoom::Week => 7,
            Zoom::Month => 30,
            Zoom::Year => 12,
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Zoom::Day => Unit::Hour,
            Zoom::Week | Zoom::Month => Unit::Day,
            Zoom::Year => Unit::Month,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Zoom::Day => "24 hours",
            Zoom::Week => "7 days",
            Zoom::Month => "30 days",
            Zoom::Year => "12 months",
        }
    }

    /// A shorter span (finer buckets); the finest stays.
    pub fn zoom_in(self) -> Zoom {
        let i = Zoom::ALL.iter().position(|z| *z == self).unwrap_or(0);
        Zoom::ALL[i.saturating_sub(1)]
    }

    /// A longer span; the longest stays.
    pub fn zoom_out(self) -> Zoom {
        let i = Zoom::ALL.iter().position(|z| *z == self).unwrap_or(0);
        Zoom::ALL[(i + 1).min(Zoom::ALL.len() - 1)]
    }
}

/// The time a chart shows: a zoom level and how many whole windows back from "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub zoom: Zoom,
    /// 0 = the window that ends with the current (partial) bucket; -1 the one before it, …
    pub offset: i64,
}

impl Window {
    /// The `n + 1` bucket boundaries of the window as seen at `now`.
    pub fn bounds(&self, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let unit = self.zoom.unit();
        let n = self.zoom.buckets() as i64;
        let last = unit.add(unit.floor(now), self.offset * n);
        let first = unit.add(last, -(n - 1));
        (0..=n).map(|i| unit.add(first, i)).collect()
    }

    /// The query for this window: whole buckets, cut at `now` rounded up to the second (the
    /// service takes whole seconds; rounding down would cut off the last moments of usage).
    pub fn query(&self, now: DateTime<Utc>) -> UsageQuery {
        let b = self.bounds(now);
        let start = b.first().copied().unwrap_or(now);
        let whole = now.with_nanosecond(0).unwrap_or(now);
        let up = if whole < now { whole + Duration::seconds(1) } else { whole };
        let end = b.last().copied().unwrap_or(now).min(up);
        UsageQuery {
            start_time: format_time(start),
            end_time: format_time(end.max(start + Duration::seconds(1))),
            metric: None,
            aggregate_by: Some(self.zoom.unit().aggregate_by()),
        }
    }
}

/// Which of the two usage metrics a reply's `metric` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Compute,
    Storage,
}

/// The service answers with other names than the query uses (`compute-hour` for
/// `ComputeCredit`, …); both spellings and their case variants are understood.
pub fn metric_of(name: &str) -> Option<Metric> {
    let n = name.to_ascii_lowercase();
    if n.contains("storage") || n.contains("byte") {
        Some(Metric::Storage)
    } else if n.contains("compute") || n.contains("credit") || n.contains("hour") {
        Some(Metric::Compute)
    } else {
        None
    }
}

/// One bucket's value: `None` = no data (nothing covered the bucket, or only unreadable values).
pub type Value = Option<f64>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Workspace,
    Group,
}

/// One workspace or group and its series over the window's buckets.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// A workspace's group (its `ownerId`); empty for groups.
    pub group: String,
    /// Compute credits per bucket (a group's: its workspaces' sum).
    pub compute: Vec<Value>,
    /// Average bytes stored per bucket (a workspace has none of its own; see its group).
    pub storage: Vec<Value>,
    /// Credits over the whole window.
    pub credits: f64,
    /// Average of the storage buckets that have data.
    pub avg_storage: Option<f64>,
}

/// Everything the usage pane draws for one window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Usage {
    /// `n + 1` bucket boundaries.
    pub bounds: Vec<DateTime<Utc>>,
    pub unit: Option<Unit>,
    /// The bucket that holds "now": still filling up.
    pub partial: Option<usize>,
    /// Buckets at least one record covered (any metric, any resource).
    pub covered: Vec<bool>,
    pub compute: Vec<Value>,
    pub storage: Vec<Value>,
    /// Unreadable values per bucket (counted as missing).
    pub bad: Vec<u32>,
    /// Workspaces first, then groups; each sorted by credits, most first.
    pub resources: Vec<Resource>,
    /// Values that were not numbers.
    pub unreadable: usize,
    /// Records whose time was unreadable or outside the window.
    pub misplaced: usize,
    /// Metric names that were neither compute nor storage.
    pub unknown_metrics: Vec<String>,
}

impl Usage {
    pub fn buckets(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id == id)
    }

    /// A series where the window was covered but the resource reported nothing reads as zero
    /// (the service reports only what was used); uncovered buckets stay "no data".
    pub fn zero_where_covered(&self) -> Vec<Value> {
        self.covered.iter().map(|c| c.then_some(0.0)).collect()
    }

    pub fn total_credits(&self) -> f64 {
        self.compute.iter().flatten().sum()
    }

    /// Buckets before "now" that no record covered.
    pub fn missing_buckets(&self) -> usize {
        let end = self.partial.map_or(self.buckets(), |p| p + 1);
        self.covered.iter().take(end).filter(|c| !**c).count()
    }
}

/// A fast hasher for resource IDs (UUID strings): the default SipHash costs more than the
/// rest of the per-record work on a year of hourly data.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

type IdMap<'a> = HashMap<&'a str, usize, BuildHasherDefault<IdHasher>>;

/// Parses a decimal the way the service writes them (`12`, `0.25`, `-3.5`) without the
/// general float parser; anything else goes to it. Exact: mantissas below 2^53 divided by a
/// power of ten up to 10^22 round correctly.
pub fn parse_value(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let mut mantissa: u64 = 0;
    let mut scale: i32 = 0;
    let mut seen_dot = false;
    let mut count = 0;
    for &c in digits {
        match c {
            b'0'..=b'9' if count < 15 => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
                if seen_dot {
                    scale += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return s.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
        }
    }
    if count == 0 {
        return None;
    }
    let v = mantissa as f64 / 10f64.powi(scale);
    Some(if neg { -v } else { v })
}

/// Index of the bucket starting at or before `t`, if `t` is inside the window.
fn bucket_of(bounds: &[DateTime<Utc>], t: DateTime<Utc>) -> Option<usize> {
    let (first, last) = (bounds.first()?, bounds.last()?);
    if t < *first || t >= *last {
        return None;
    }
    Some(bounds.partition_point(|b| *b <= t) - 1)
}

struct Acc {
    id_at: usize,
    kind: Kind,
    group: Option<usize>,
    compute: Vec<f64>,
    compute_seen: Vec<bool>,
    compute_bad: Vec<bool>,
    /// Σ value × seconds and Σ seconds, per bucket.
    storage: Vec<(f64, f64)>,
    storage_bad: Vec<bool>,
}

impl Acc {
    fn new(id_at: usize, kind: Kind, n: usize) -> Self {
        Acc {
            id_at,
            kind,
            group: None,
            compute: vec![0.0; n],
            compute_seen: vec![false; n],
            compute_bad: vec![false; n],
            storage: vec![(0.0, 0.0); n],
            storage_bad: vec![false; n],
        }
    }
}

/// Places every record of `reply` into the buckets `bounds` describes.
///
/// `now` marks the partial bucket. Storage of a group in a bucket is the time-weighted mean of
/// its records there (hours missing from a day do not drag it to zero); the organization's is
/// the sum over groups.
pub fn aggregate(reply: &BillingUsageReply, bounds: &[DateTime<Utc>], unit: Unit, now: DateTime<Utc>) -> Usage {
    let n = bounds.len().saturating_sub(1);
    let mut out = Usage {
        bounds: bounds.to_vec(),
        unit: Some(unit),
        partial: bucket_of(bounds, now),
        covered: vec![false; n],
        compute: vec![None; n],
        storage: vec![None; n],
        bad: vec![0; n],
        ..Usage::default()
    };
    // Owned metadata per resource: (id, name, group id).
    let mut meta: Vec<(&str, &str, &str)> = Vec::new();
    let mut index: IdMap = IdMap::default();
    let mut accs: Vec<Acc> = Vec::new();
    let mut org_compute = vec![0.0; n];
    let mut org_compute_seen = vec![false; n];
    let bucket_secs: Vec<f64> = (0..n).map(|i| (bounds[i + 1] - bounds[i]).num_seconds().max(1) as f64).collect();

    for block in &reply.billing_usage {
        let metric = match block.metric.as_deref().and_then(metric_of) {
            Some(m) => m,
            None => {
                let name = block.metric.clone().unwrap_or_else(|| "(none)".into());
                if !out.unknown_metrics.contains(&name) {
                    out.unknown_metrics.push(name);
                }
                continue;
            }
        };
        // Records come bucket by bucket: the last start time parsed is usually the next one's.
        let mut last_time: (&str, Option<usize>) = ("", None);
        // …and within a bucket, resources come in the same order as in the previous one:
        // `order[k]` guesses the k-th record's resource before the ID is hashed.
        let mut order: Vec<usize> = Vec::new();
        let mut k = 0usize;
        let mut last_span: (&str, &str, f64) = ("", "", 0.0);
        for r in &block.usage {
            let bucket = if r.start_time == last_time.0 {
                k += 1;
                last_time.1
            } else {
                let b = parse_time(&r.start_time).and_then(|t| bucket_of(bounds, t));
                last_time = (r.start_time.as_str(), b);
                k = 0;
                b
            };
            let Some(b) = bucket else {
                out.misplaced += 1;
                continue;
            };
            out.covered[b] = true;
            let value = parse_value(&r.value);
            if value.is_none() {
                out.unreadable += 1;
                out.bad[b] += 1;
            }
            let kind = match metric {
                Metric::Compute => Kind::Workspace,
                Metric::Storage => Kind::Group,
            };
            let guess = order.get(k).copied().filter(|&g| meta[g].0 == r.resource_id);
            let next = accs.len();
            let at = guess.unwrap_or_else(|| *index.entry(r.resource_id.as_str()).or_insert(next));
            match order.get_mut(k) {
                Some(slot) => *slot = at,
                None => order.push(at),
            }
            if at == next {
                meta.push((&r.resource_id, &r.resource_name, if metric == Metric::Compute { &r.owner_id } else { "" }));
                accs.push(Acc::new(at, kind, n));
            }
            match metric {
                Metric::Compute => {
                    let owner = match accs[at].group {
                        Some(g) => Some(g),
                        None if !r.owner_id.is_empty() => {
                            let next = accs.len();
                            let g = *index.entry(r.owner_id.as_str()).or_insert(next);
                            if g == next {
                                meta.push((&r.owner_id, "", ""));
                                accs.push(Acc::new(g, Kind::Group, n));
                            }
                            accs[at].group = Some(g);
                            Some(g)
                        }
                        None => None,
                    };
                    match value {
                        Some(v) => {
                            org_compute[b] += v;
                            org_compute_seen[b] = true;
                            for i in std::iter::once(at).chain(owner) {
                                accs[i].compute[b] += v;
                                accs[i].compute_seen[b] = true;
                            }
                        }
                        None => {
                            for i in std::iter::once(at).chain(owner) {
                                accs[i].compute_bad[b] = true;
                            }
                        }
                    }
                }
                Metric::Storage => {
                    accs[at].kind = Kind::Group;
                    if meta[at].1.is_empty() {
                        meta[at].1 = &r.resource_name;
                    }
                    match value {
                        Some(v) => {
                            let secs = if (r.start_time.as_str(), r.end_time.as_str()) == (last_span.0, last_span.1) {
                                last_span.2
                            } else {
                                let secs = match (parse_time(&r.start_time), parse_time(&r.end_time)) {
                                    (Some(a), Some(z)) if z > a => (z - a).num_seconds() as f64,
                                    _ => bucket_secs[b],
                                };
                                last_span = (&r.start_time, &r.end_time, secs);
                                secs
                            };
                            let s = &mut accs[at].storage[b];
                            s.0 += v * secs;
                            s.1 += secs;
                        }
                        None => accs[at].storage_bad[b] = true,
                    }
                }
            }
        }
    }

    let mut org_storage = vec![None::<f64>; n];
    let mut resources: Vec<Resource> = Vec::with_capacity(accs.len());
    for acc in &accs {
        let (id, name, group) = meta[acc.id_at];
        let compute: Vec<Value> = (0..n)
            .map(|b| {
                if acc.compute_seen[b] {
                    Some(acc.compute[b])
                } else if acc.compute_bad[b] || !out.covered[b] {
                    None
                } else {
                    Some(0.0)
                }
            })
            .collect();
        let storage: Vec<Value> = (0..n)
            .map(|b| {
                let (sum, secs) = acc.storage[b];
                (secs > 0.0).then(|| sum / secs)
            })
            .collect();
        for (b, v) in storage.iter().enumerate() {
            if let Some(v) = v {
                *org_storage[b].get_or_insert(0.0) += v;
            }
        }
        let stored: Vec<f64> = storage.iter().flatten().copied().collect();
        let avg_storage = (!stored.is_empty()).then(|| stored.iter().sum::<f64>() / stored.len() as f64);
        let group = accs[acc.id_at].group.map_or(group, |g| meta[g].0);
        resources.push(Resource {
            id: id.to_string(),
            name: name.to_string(),
            kind: acc.kind,
            group: group.to_string(),
            credits: compute.iter().flatten().sum(),
            compute,
            storage,
            avg_storage,
        });
    }
    resources.sort_by(|a, b| {
        (a.kind == Kind::Group)
            .cmp(&(b.kind == Kind::Group))
            .then(b.credits.total_cmp(&a.credits))
            .then_with(|| a.name.cmp(&b.name))
    });
    out.compute = (0..n)
        .map(|b| {
            if org_compute_seen[b] {
                Some(org_compute[b])
            } else if out.covered[b] && out.bad[b] == 0 {
                Some(0.0)
            } else {
                None
            }
        })
        .collect();
    out.storage = org_storage;
    out.resources = resources;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly_like_the_float_parser() {
        for s in ["0", "12", "0.25", "1.000001", "-3.5", "123456.789012", "1e3", " 7 ", "9007199254740993"] {
            assert_eq!(parse_value(s), s.trim().parse::<f64>().ok(), "{s}");
        }
        assert_eq!(parse_value(""), None);
        assert_eq!(parse_value("n/a"), None);
        assert_eq!(parse_value("."), None);
        assert_eq!(parse_value("NaN"), None);
    }

    #[test]
    fn windows_end_with_the_current_bucket() {
        let now = parse_time("2025-06-01T12:34:56Z").unwrap_or_default();
        let w = Window { zoom: Zoom::Day, offset: 0 };
        let b = w.bounds(now);
        assert_eq!(b.len(), 25);
        assert_eq!(format_time(b[0]), "2025-05-31T13:00:00Z");
        assert_eq!(format_time(b[24]), "2025-06-01T13:00:00Z");
        let q = w.query(now);
        assert_eq!(q.end_time, "2025-06-01T12:34:56Z", "the query stops at now");
        let q = w.query(now + Duration::milliseconds(300));
        assert_eq!(q.end_time, "2025-06-01T12:34:57Z", "rounded up to whole seconds");
        let y = Window { zoom: Zoom::Year, offset: -1 }.bounds(now);
        assert_eq!(format_time(y[0]), "2023-07-01T00:00:00Z");
        assert_eq!(format_time(y[12]), "2024-07-01T00:00:00Z");
    }
}
