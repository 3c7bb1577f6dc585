//! The pure aggregation behind the usage charts: records (strings on the wire) placed into
//! hour, day and month buckets; credits add up, storage averages over the time it covers;
//! unreadable values and uncovered buckets are missing, never zero.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, Utc};
use s2tui::api::types::*;
use s2tui::panes::usage::aggregate::*;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

fn t(s: &str) -> DateTime<Utc> {
    parse_time(s).unwrap()
}

fn rec(id: &str, name: &str, owner: &str, start: DateTime<Utc>, len: Duration, value: &str) -> UsageRecord {
    UsageRecord {
        resource_id: id.into(),
        resource_name: name.into(),
        resource_type: "Workspace".into(),
        owner_id: owner.into(),
        start_time: format_time(start),
        end_time: format_time(start + len),
        value: value.into(),
    }
}

fn reply(blocks: Vec<(&str, Vec<UsageRecord>)>) -> BillingUsageReply {
    BillingUsageReply {
        billing_usage: blocks
            .into_iter()
            .map(|(m, usage)| BillingUsage { metric: Some(m.into()), description: None, usage })
            .collect(),
    }
}

/// Hourly compute records for `hours` hours from `from`, one value each.
fn hourly(id: &str, owner: &str, from: DateTime<Utc>, hours: i64, value: &str) -> Vec<UsageRecord> {
    (0..hours).map(|h| rec(id, id, owner, from + Duration::hours(h), Duration::hours(1), value)).collect()
}

#[test]
fn hours_add_up_to_days_and_days_to_months() {
    // Two full days of 0.5 credits an hour, then half of a third day.
    let from = t("2025-01-30T00:00:00Z");
    let mut records = hourly("ws-a", "g-1", from, 48, "0.5");
    records.extend(hourly("ws-a", "g-1", from + Duration::days(2), 12, "0.5"));
    let r = reply(vec![("compute-hour", records.clone())]);
    let now = t("2025-02-01T12:30:00Z");

    let days = Window { zoom: Zoom::Week, offset: 0 }.bounds(now);
    assert_eq!(days.len(), 8);
    let u = aggregate(&r, &days, Unit::Day, now);
    let n = u.buckets();
    assert_eq!(u.compute[n - 3..], [Some(12.0), Some(12.0), Some(6.0)]);
    assert_eq!(u.partial, Some(n - 1), "today is still filling up");
    assert_eq!(u.compute[0], None, "a day no record covers has no data");
    assert_eq!(u.missing_buckets(), 4);

    let months = Window { zoom: Zoom::Year, offset: 0 }.bounds(now);
    let u = aggregate(&r, &months, Unit::Month, now);
    let n = u.buckets();
    assert_eq!(u.compute[n - 2..], [Some(24.0), Some(6.0)], "January then February");
    assert_eq!(u.total_credits(), 30.0);
    let ws = u.resource("ws-a").unwrap();
    assert_eq!(ws.credits, 30.0);
    assert_eq!(ws.kind, Kind::Workspace);
    assert_eq!(ws.group, "g-1");
}

#[test]
fn a_day_already_aggregated_lands_in_its_month() {
    let r = reply(vec![(
        "ComputeCredit",
        vec![
            rec("ws-a", "a", "g", t("2025-03-31T00:00:00Z"), Duration::days(1), "10"),
            rec("ws-a", "a", "g", t("2025-04-01T00:00:00Z"), Duration::days(1), "2.25"),
            rec("ws-b", "b", "g", t("2025-04-02T00:00:00Z"), Duration::days(1), "1"),
        ],
    )]);
    let now = t("2025-04-10T00:00:00Z");
    let u = aggregate(&r, &Window { zoom: Zoom::Year, offset: 0 }.bounds(now), Unit::Month, now);
    let n = u.buckets();
    assert_eq!(u.compute[n - 2..], [Some(10.0), Some(3.25)]);
    let g = u.resource("g").unwrap();
    assert_eq!(g.kind, Kind::Group, "owners become groups");
    assert_eq!(g.credits, 13.25, "a group's credits are its workspaces'");
    assert_eq!(u.resources[0].id, "ws-a", "workspaces first, most credits first");
}

#[test]
fn storage_averages_over_the_hours_it_covers() {
    let day = t("2025-05-10T00:00:00Z");
    let gib = |g: f64| format!("{}", (g * GIB) as u64);
    let mut records = Vec::new();
    // 10 GiB for 6 hours, 20 GiB for 12 hours, then 6 hours with no record at all.
    for h in 0..18 {
        let v = if h < 6 { gib(10.0) } else { gib(20.0) };
        let mut r = rec("g-1", "analytics", "org", day + Duration::hours(h), Duration::hours(1), &v);
        r.resource_type = "WorkspaceGroup".into();
        records.push(r);
    }
    // A second group, one whole-day record.
    records.push(rec("g-2", "etl", "org", day, Duration::days(1), &gib(4.0)));
    let r = reply(vec![("storage-avg-byte", records)]);
    let now = t("2025-05-12T08:00:00Z");
    let u = aggregate(&r, &Window { zoom: Zoom::Week, offset: 0 }.bounds(now), Unit::Day, now);
    let i = u.bounds.iter().position(|b| *b == day).unwrap();
    let g1 = u.resource("g-1").unwrap();
    let avg = g1.storage[i].unwrap() / GIB;
    assert!((avg - (6.0 * 10.0 + 12.0 * 20.0) / 18.0).abs() < 1e-9, "missing hours do not count as zero: {avg}");
    assert_eq!(g1.name, "analytics");
    let org = u.storage[i].unwrap() / GIB;
    assert!((org - (avg + 4.0)).abs() < 1e-9, "the organization's storage is the groups' sum");
    assert_eq!(u.storage[i + 1], None, "no record, no data");
    assert_eq!(u.compute[i], Some(0.0), "a covered bucket without compute records used no credits");
}

#[test]
fn values_are_strings_and_unreadable_ones_are_missing() {
    let h = t("2025-06-01T08:00:00Z");
    let one = Duration::hours(1);
    let r = reply(vec![(
        "compute-hour",
        vec![
            rec("ws-a", "a", "g", h, one, "1.5"),
            rec("ws-b", "b", "g", h, one, " 2 "),
            rec("ws-c", "c", "g", h, one, "1e-3"),
            rec("ws-a", "a", "g", h + one, one, "n/a"),
            rec("ws-b", "b", "g", h + one, one, ""),
            rec("ws-a", "a", "g", h + one * 2, one, "0.25"),
            rec("ws-a", "a", "g", h + one * 3, one, "0.25"),
            // Outside the window and with an unreadable time.
            rec("ws-a", "a", "g", h - Duration::days(3), one, "100"),
            UsageRecord { start_time: "yesterday".into(), value: "7".into(), ..UsageRecord::default() },
        ],
    )]);
    let now = t("2025-06-01T11:10:00Z");
    let u = aggregate(&r, &Window { zoom: Zoom::Day, offset: 0 }.bounds(now), Unit::Hour, now);
    let i = u.bounds.iter().position(|b| *b == h).unwrap();
    assert_eq!(u.compute[i], Some(3.501));
    assert_eq!(u.compute[i + 1], None, "an hour with only unreadable values is missing, not zero");
    assert_eq!(u.bad[i + 1], 2);
    assert_eq!(u.unreadable, 2);
    assert_eq!(u.misplaced, 2);
    assert_eq!(u.partial, Some(i + 3));
    assert_eq!(u.compute[i + 3], Some(0.25), "the partial hour keeps what it has so far");
    let c = u.resource("ws-c").unwrap();
    assert_eq!(c.compute[i + 1], Some(0.0), "ws-c reported nothing in a covered hour: zero");
    assert_eq!(u.resource("ws-a").unwrap().compute[i + 1], None);
    assert_eq!(u.compute[0], None);
}

#[test]
fn both_spellings_of_the_metric_names_are_understood() {
    for (name, want) in [
        ("compute-hour", Some(Metric::Compute)),
        ("ComputeCredit", Some(Metric::Compute)),
        ("computeCredit", Some(Metric::Compute)),
        ("StorageAvgByte", Some(Metric::Storage)),
        ("storage-avg-byte", Some(Metric::Storage)),
        ("egress-gb", None),
    ] {
        assert_eq!(metric_of(name), want, "{name}");
    }
    let h = t("2025-06-01T08:00:00Z");
    let r = reply(vec![("egress", vec![rec("x", "x", "g", h, Duration::hours(1), "5")])]);
    let now = t("2025-06-01T11:10:00Z");
    let u = aggregate(&r, &Window { zoom: Zoom::Day, offset: 0 }.bounds(now), Unit::Hour, now);
    assert_eq!(u.unknown_metrics, vec!["egress".to_string()]);
    assert_eq!(u.total_credits(), 0.0);
}

#[test]
fn windows_zoom_and_ask_for_their_bucket_size() {
    let now = t("2025-06-15T10:20:00Z");
    let q = Window { zoom: Zoom::Day, offset: 0 }.query(now);
    assert_eq!(q.aggregate_by, Some(AggregateBy::Hour));
    assert_eq!(q.start_time, "2025-06-14T11:00:00Z");
    let q = Window { zoom: Zoom::Month, offset: -1 }.query(now);
    assert_eq!(q.aggregate_by, Some(AggregateBy::Day));
    assert_eq!((q.start_time.as_str(), q.end_time.as_str()), ("2025-04-17T00:00:00Z", "2025-05-17T00:00:00Z"));
    let q = Window { zoom: Zoom::Year, offset: 0 }.query(now);
    assert_eq!(q.aggregate_by, Some(AggregateBy::Month));
    assert_eq!(q.start_time, "2024-07-01T00:00:00Z");
    assert_eq!(Zoom::Day.zoom_out(), Zoom::Week);
    assert_eq!(Zoom::Year.zoom_out(), Zoom::Year);
    assert_eq!(Zoom::Week.zoom_in(), Zoom::Day);
}
