//! The usage pane on a big organization: a year of hourly billing records for 100 workspaces
//! (876,000 compute points, plus storage for 10 groups) aggregated into monthly buckets, the
//! totals table rebuilt and a 200×60 frame drawn.
//!
//! Goal: aggregation plus one frame ≤ 50 ms.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use s2tui::panes::usage::aggregate::{Window, Zoom, aggregate};
use s2tui::panes::usage::fixture::{FixtureGroup, FixtureWorkspace, Pattern, hourly};
use s2tui::panes::{self};
use s2tui::state::PaneId;
use s2tui::testing;
use s2tui::view;

const WORKSPACES: usize = 100;
const GROUPS: usize = 10;

fn year_of_usage(c: &mut Criterion) {
    // The last hour of June: the window is exactly July–June, 8,760 hours.
    let now = s2tui::api::types::parse_time("2025-06-30T23:30:00Z").unwrap();
    let window = Window { zoom: Zoom::Year, offset: 0 };
    let bounds = window.bounds(now);
    let start = bounds[0];
    let hours = (bounds[12] - start).num_hours();
    let groups: Vec<FixtureGroup> = (0..GROUPS)
        .map(|g| FixtureGroup {
            id: testing::group_id(g as u32 + 1).to_string(),
            name: format!("group-{g:02}"),
            base_bytes: 5e9 + g as f64 * 1e9,
            growth_per_hour: 1e6,
        })
        .collect();
    let workspaces: Vec<FixtureWorkspace> = (0..WORKSPACES)
        .map(|i| FixtureWorkspace {
            id: testing::workspace_id(i as u32 + 1).to_string(),
            name: format!("ws-{i:03}"),
            group: groups[i % GROUPS].id.clone(),
            credits_per_hour: [0.25, 0.5, 1.0, 2.0, 4.0][i % 5],
            pattern: Pattern::AlwaysOn,
        })
        .collect();
    let reply = hourly(&workspaces, &groups, start, hours, &[]);
    let points: usize = reply.billing_usage.iter().map(|b| b.usage.len()).sum();
    assert_eq!(reply.billing_usage[0].usage.len(), 876_000, "a year of hours for 100 workspaces");
    eprintln!("{points} records ({} compute)", reply.billing_usage[0].usage.len());

    let mut state = testing::loaded();
    state.size = (200, 60);
    let _ = panes::navigate(&mut state, PaneId::Usage, None);
    state.panes.usage.window = window;
    state.panes.usage.inflight = None;
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();

    let mut group = c.benchmark_group("usage");
    group.sample_size(20);
    group.bench_function("aggregate_876k_hourly_into_months", |b| {
        b.iter(|| black_box(aggregate(black_box(&reply), &bounds, window.zoom.unit(), now)))
    });
    group.bench_function("aggregate_and_frame_200x60", |b| {
        b.iter(|| {
            let u = aggregate(black_box(&reply), &bounds, window.zoom.unit(), now);
            state.panes.usage.usage = Some((window, u));
            s2tui::panes::rebuild(&mut state, &[s2tui::state::PaneId::Usage]);
            terminal.draw(|f| view::render(f, &state)).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, year_of_usage);
criterion_main!(benches);
