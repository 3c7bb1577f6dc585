//! Deterministic billing usage replies for tests and benchmarks: hourly records shaped like
//! the service's (every field a string), from a simple running pattern per workspace.

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::api::types::{BillingUsage, BillingUsageReply, UsageRecord, format_time};

/// When a workspace runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    AlwaysOn,
    /// Every day 08:00–18:00.
    OfficeHours,
    Never,
}

#[derive(Debug, Clone)]
pub struct FixtureWorkspace {
    pub id: String,
    pub name: String,
    pub group: String,
    pub credits_per_hour: f64,
    pub pattern: Pattern,
}

#[derive(Debug, Clone)]
pub struct FixtureGroup {
    pub id: String,
    pub name: String,
    pub base_bytes: f64,
    /// Bytes added every hour.
    pub growth_per_hour: f64,
}

fn runs(p: Pattern, t: DateTime<Utc>) -> bool {
    match p {
        Pattern::AlwaysOn => true,
        Pattern::Never => false,
        Pattern::OfficeHours => (8..18).contains(&t.hour()),
    }
}

/// Hourly records for `hours` hours from `from` (whole hours), bucket by bucket like the
/// service sends them. Hours in `gaps` have no record at all.
pub fn hourly(
    workspaces: &[FixtureWorkspace],
    groups: &[FixtureGroup],
    from: DateTime<Utc>,
    hours: i64,
    gaps: &[i64],
) -> BillingUsageReply {
    let mut compute = Vec::new();
    let mut storage = Vec::new();
    for h in (0..hours).filter(|h| !gaps.contains(h)) {
        let start = from + Duration::hours(h);
        let (a, b) = (format_time(start), format_time(start + Duration::hours(1)));
        for w in workspaces.iter().filter(|w| runs(w.pattern, start)) {
            compute.push(UsageRecord {
                resource_id: w.id.clone(),
                resource_name: w.name.clone(),
                resource_type: "Workspace".into(),
                owner_id: w.group.clone(),
                start_time: a.clone(),
                end_time: b.clone(),
                value: format!("{:.6}", w.credits_per_hour),
            });
        }
        for g in groups {
            storage.push(UsageRecord {
                resource_id: g.id.clone(),
                resource_name: g.name.clone(),
                resource_type: "WorkspaceGroup".into(),
                owner_id: String::new(),
                start_time: a.clone(),
                end_time: b.clone(),
                value: format!("{:.0}", g.base_bytes + g.growth_per_hour * h as f64),
            });
        }
    }
    BillingUsageReply {
        billing_usage: vec![
            BillingUsage { metric: Some("compute-hour".into()), description: None, usage: compute },
            BillingUsage { metric: Some("storage-avg-byte".into()), description: None, usage: storage },
        ],
    }
}
