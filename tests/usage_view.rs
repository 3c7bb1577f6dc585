//! The usage pane driven like the loop drives it: keys in, reads out, replies in, frames drawn
//! (snapshots at 80×24, 160×48 and 200×60), and the cost estimate in the workspace forms and
//! the resume confirmation.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{UsageReply as Reply, UsageRequest as Request};
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::RequestId;
use s2tui::panes::usage::Scope;
use s2tui::panes::usage::aggregate::Zoom;
use s2tui::panes::usage::fixture::{FixtureGroup, FixtureWorkspace, Pattern, hourly};
use s2tui::state::State;
use s2tui::testing::*;
use s2tui::widgets::modal::Modal;

const SIZES: [(u16, u16); 3] = [(80, 24), (160, 48), (200, 60)];
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

fn go(state: &mut State, command: &str) -> Vec<Effect> {
    let mut effects = press(state, ":");
    effects.extend(type_text(state, command));
    effects.extend(press(state, "enter"));
    // The fixture organization answers everything but usage; those reads come back here.
    let (usage, rest): (Vec<Effect>, Vec<Effect>) =
        effects.into_iter().partition(|e| matches!(e, Effect::Fetch { fetch: Fetch::Usage(_), .. }));
    let mut out = serve(state, &Org::default(), rest);
    out.extend(usage);
    out
}

fn usage_fetch(effects: &[Effect]) -> (RequestId, UsageQuery) {
    let found: Vec<_> = fetches(effects)
        .into_iter()
        .filter_map(|(id, f)| match f {
            Fetch::Usage(Request::Usage { query }) => Some((id, query.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{effects:?}");
    found.into_iter().next().unwrap()
}

fn estimate_fetch(effects: &[Effect]) -> (RequestId, SimulateUsageRequest) {
    let found: Vec<_> = fetches(effects)
        .into_iter()
        .filter_map(|(id, f)| match f {
            Fetch::Usage(Request::Estimate(body)) => Some((id, body.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{effects:?}");
    found.into_iter().next().unwrap()
}

fn fixture_workspaces() -> Vec<FixtureWorkspace> {
    let ws = |i: u32, g: u32, name: &str, rate: f64, pattern| FixtureWorkspace {
        id: workspace_id(i).to_string(),
        name: name.into(),
        group: group_id(g).to_string(),
        credits_per_hour: rate,
        pattern,
    };
    vec![
        ws(1, 1, "reporting", 2.0, Pattern::AlwaysOn),
        ws(3, 1, "ml-training", 8.0, Pattern::OfficeHours),
        ws(4, 2, "ingest", 4.0, Pattern::AlwaysOn),
        ws(5, 2, "nightly-batch", 0.25, Pattern::Never),
    ]
}

fn fixture_groups() -> Vec<FixtureGroup> {
    vec![
        FixtureGroup {
            id: group_id(1).to_string(),
            name: "analytics".into(),
            base_bytes: 40.0 * GIB,
            growth_per_hour: 0.05 * GIB,
        },
        FixtureGroup { id: group_id(2).to_string(), name: "etl".into(), base_bytes: 12.0 * GIB, growth_per_hour: 0.0 },
    ]
}

/// The reply the service would give to `query`: whole hours up to the current one, which is
/// a third of the way through; `gaps` (hours from the start) have no records at all.
fn answer(query: &UsageQuery, gaps: &[i64]) -> BillingUsageReply {
    let start = parse_time(&query.start_time).unwrap();
    let end = parse_time(&query.end_time).unwrap();
    let hours = (end - start).num_hours();
    let mut reply = hourly(&fixture_workspaces(), &fixture_groups(), start, hours + 1, gaps);
    let current = format_time(start + chrono::Duration::hours(hours));
    for block in &mut reply.billing_usage {
        let compute = block.metric.as_deref() == Some("compute-hour");
        for r in block.usage.iter_mut().filter(|r| r.start_time == current) {
            if compute {
                r.value = format!("{:.6}", r.value.parse::<f64>().unwrap() / 3.0);
            }
            r.end_time = query.end_time.clone();
        }
    }
    reply
}

fn reply_usage(state: &mut State, id: RequestId, reply: BillingUsageReply) -> Vec<Effect> {
    reply_to(state, id, Ok(ApiReply::Usage(Reply::Usage(reply))))
}

fn reply_to(state: &mut State, id: RequestId, r: Result<ApiReply, ApiError>) -> Vec<Effect> {
    s2tui::testing::reply(state, id, r)
}

/// The dashboard 20 minutes past the fixture hour, on `:usage`, with the first read answered.
fn on_usage(gaps: &[i64]) -> State {
    let mut state = loaded();
    advance(&mut state, Duration::from_secs(20 * 60));
    let effects = go(&mut state, "usage");
    let (id, query) = usage_fetch(&effects);
    reply_usage(&mut state, id, answer(&query, gaps));
    state
}

fn snap(name: &str, build: impl Fn() -> State) {
    for (w, h) in SIZES {
        let mut state = build();
        let screen = render(&mut state, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn the_first_read_asks_for_the_last_24_hours_hourly() {
    let mut state = loaded();
    advance(&mut state, Duration::from_secs(20 * 60));
    let effects = go(&mut state, "usage");
    let (_, q) = usage_fetch(&effects);
    assert_eq!(q.start_time, "2025-05-31T13:00:00Z");
    assert_eq!(q.end_time, "2025-06-01T12:20:00Z");
    assert_eq!(q.aggregate_by, Some(AggregateBy::Hour));
}

#[test]
fn the_organization_over_24_hours() {
    snap("usage_org_24h", || on_usage(&[2, 3]));
}

#[test]
fn one_workspace_over_30_days() {
    snap("usage_workspace_30d", || {
        let mut state = on_usage(&[]);
        press(&mut state, "-");
        let effects = press(&mut state, "-");
        let (id, q) = usage_fetch(&effects);
        assert_eq!(q.aggregate_by, Some(AggregateBy::Day));
        assert_eq!(state.panes.usage.window.zoom, Zoom::Month);
        // Five days without any record, then the rest.
        let gaps: Vec<i64> = (24 * 3..24 * 8).collect();
        let mut r = answer(&q, &gaps);
        r.billing_usage[0].usage[5].value = "n/a".into();
        reply_usage(&mut state, id, r);
        press(&mut state, "s");
        assert_eq!(state.panes.usage.scope, Scope::Workspace);
        assert!(select_name(&mut state.panes.usage.table, "ml-training"));
        state
    });
}

#[test]
fn groups_over_12_months() {
    snap("usage_groups_12mo", || {
        let mut state = on_usage(&[]);
        let effects = keys(&mut state, "- - -");
        let (id, q) = usage_fetch(&effects[effects.len() - 1..]);
        assert_eq!(q.aggregate_by, Some(AggregateBy::Month));
        assert_eq!(q.start_time, "2024-07-01T00:00:00Z");
        reply_usage(&mut state, id, answer(&q, &[]));
        keys(&mut state, "s s");
        assert_eq!(state.panes.usage.scope, Scope::Group);
        state
    });
}

#[test]
fn moving_the_window_reads_it_and_drops_late_replies() {
    let mut state = on_usage(&[]);
    let (old, _) = usage_fetch(&press(&mut state, "["));
    let (new, q) = usage_fetch(&press(&mut state, "["));
    assert_eq!(q.start_time, "2025-05-29T13:00:00Z", "two days back");
    assert_eq!(state.panes.usage.window.offset, -2);
    // The first window's reply arrives late: it is not shown, and the newest window is read.
    reply_usage(&mut state, old, answer(&q, &[]));
    assert_ne!(state.panes.usage.usage.as_ref().map(|(w, _)| *w), Some(state.panes.usage.window));
    reply_usage(&mut state, new, answer(&q, &[]));
    assert_eq!(state.panes.usage.usage.as_ref().map(|(w, _)| *w), Some(state.panes.usage.window));
    let (_, q) = usage_fetch(&press(&mut state, "]"));
    assert_eq!(q.start_time, "2025-05-30T13:00:00Z");
    press(&mut state, "]");
    assert!(fetches(&press(&mut state, "]")).is_empty(), "no window after now");
}

#[test]
fn a_failed_read_says_so() {
    let mut state = loaded();
    let effects = go(&mut state, "usage");
    let (id, _) = usage_fetch(&effects);
    let err = ApiError::from_status(500, "billing is down", "GET", "/v1/billing/usage", None);
    reply_to(&mut state, id, Err(err));
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("Usage could not be read"), "{screen}");
    assert!(screen.contains("billing is down"), "{screen}");
}

#[test]
fn the_create_form_shows_the_cost_of_the_chosen_size() {
    let mut state = loaded();
    let (first, body) = estimate_fetch(&press(&mut state, "c"));
    assert_eq!(body.resource_configurations[0].size.as_deref(), Some("S-00"));
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no form") };
    assert!(f.form.note.as_deref().unwrap().contains("asking"));
    // Focus the size field (group, name, size) and pick the next size: a new request.
    keys(&mut state, "tab tab");
    let (second, body) = estimate_fetch(&press(&mut state, "right"));
    assert_eq!(body.resource_configurations[0].size.as_deref(), Some("S-0"));
    // Tabbing around without changing the size asks nothing.
    assert!(fetches(&press(&mut state, "tab")).is_empty());
    let answer = |amount: f64| {
        Ok(ApiReply::Usage(Reply::Estimate(SimulateUsageResponse {
            resource_usage: vec![SimulatedResourceUsage {
                id: uuid::Uuid::nil(),
                amount,
                metric: Some("ComputeHour".into()),
                kind: None,
                name: None,
                parent_id: None,
                start_at: None,
                end_before: None,
            }],
        })))
    };
    // The late answer for S-00 is dropped; the one for S-0 is shown.
    reply_to(&mut state, first, answer(0.25));
    reply_to(&mut state, second, answer(0.5));
    let Some(Modal::Form(f)) = state.modals.last() else { panic!("no form") };
    let note = f.form.note.clone().unwrap();
    assert!(note.contains("≈ 0.5 credits/hour") && note.contains("S-0"), "{note}");
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("0.5 credits/hour"), "{screen}");
    // Submitting asks once more, with the same estimate, before anything is sent.
    keys(&mut state, "shift-tab shift-tab");
    type_text(&mut state, "new-ws");
    let effects = press(&mut state, "enter");
    assert!(effects.iter().all(|e| !matches!(e, Effect::Mutate { .. })), "nothing is sent yet");
    let Some(Modal::Confirm(c)) = state.modals.last() else { panic!("a billable create is confirmed") };
    assert!(c.lines.iter().any(|l| l.contains("0.5 credits/hour")), "{:?}", c.lines);
}

#[test]
fn resume_and_resize_show_the_estimate_or_say_it_is_unavailable() {
    let mut state = loaded();
    assert!(select_name(&mut state.panes.workspaces.table, "dashboards"));
    let (id, body) = estimate_fetch(&press(&mut state, "r"));
    assert_eq!(body.resource_configurations[0].id, workspace_id(2));
    assert_eq!(body.resource_configurations[0].size.as_deref(), Some("S-1"));
    let err = ApiError::from_status(503, "try later", "POST", "/v1/billing/usage/simulate", None);
    reply_to(&mut state, id, Err(err));
    let Some(Modal::Confirm(c)) = state.modals.last() else { panic!("no confirmation") };
    let line = c.lines.iter().find(|l| l.starts_with("Estimated cost")).unwrap();
    assert!(line.contains("unavailable"), "{line}");
    press(&mut state, "n");

    assert!(select_name(&mut state.panes.workspaces.table, "reporting"));
    let (_, body) = estimate_fetch(&press(&mut state, "e"));
    assert_eq!(body.resource_configurations[0].id, workspace_id(1));
    assert_eq!(body.resource_configurations[0].size.as_deref(), Some("S-2"));
    let (_, body) = estimate_fetch(&press(&mut state, "right"));
    assert_eq!(body.resource_configurations[0].size.as_deref(), Some("S-4"));
}

#[test]
fn an_empty_organization_has_zero_credits_not_minus_zero() {
    let mut state = loaded();
    let effects = go(&mut state, "usage");
    let (id, _) = usage_fetch(&effects);
    reply_usage(&mut state, id, BillingUsageReply::default());
    let screen = render(&mut state, 160, 48);
    assert!(screen.contains("0.00") && !screen.contains("-0.00"), "{screen}");
}

#[test]
fn describe_shows_the_selected_row_with_its_window() {
    let mut state = on_usage(&[]);
    press(&mut state, "d");
    match state.modals.last() {
        Some(Modal::Describe(view)) => {
            assert!(view.text.contains("\"credits\"") && view.text.contains("\"from\""), "{}", view.text)
        }
        _ => panic!("d describes the selected row; toasts: {:?}", state.toasts.items),
    }
}
