//! Billing usage for a year of hourly buckets over 100 workspaces, served by the simulator
//! over HTTP (the computation lives in the route handler).
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use chrono::DurationRound;
use criterion::{Criterion, criterion_group, criterion_main};
use s2tui::api::types::format_time;
use s2tui::sim::server::SimHandle;
use s2tui::sim::world::ActivePeriod;
use s2tui::sim::{Seed, SimConfig};

fn year_of_hourly_usage(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let config = SimConfig { seed: Seed::Large(100), colleague_rate: 0.0, ..SimConfig::default() };
    let sim = rt.block_on(SimHandle::start(config, "127.0.0.1:0".parse().unwrap())).unwrap();
    let end = chrono::Utc::now().duration_trunc(chrono::Duration::hours(1)).unwrap();
    let begin = end - chrono::Duration::days(365);
    {
        let mut w = sim.shared().world();
        assert_eq!(w.workspaces.len(), 100);
        // Every workspace ran three hours a day for the whole year.
        for rec in w.workspaces.values_mut() {
            rec.pending = None;
            rec.activity = (0..365)
                .map(|d| {
                    let start = begin + chrono::Duration::days(d) + chrono::Duration::minutes(7);
                    ActivePeriod {
                        start,
                        end: Some(start + chrono::Duration::hours(3)),
                        size: "S-1".into(),
                        scale_factor: 1.0,
                    }
                })
                .collect();
        }
    }
    let url =
        format!("{}/v1/billing/usage?startTime={}&endTime={}", sim.base_url(), format_time(begin), format_time(end));
    let http = reqwest::Client::new();
    let key = sim.api_key().to_string();
    let fetch = || async {
        let r = http.get(&url).bearer_auth(&key).send().await.unwrap();
        assert!(r.status().is_success());
        r.bytes().await.unwrap()
    };
    let rows = {
        let body = rt.block_on(fetch());
        let reply: serde_json::Value = serde_json::from_slice(&body).unwrap();
        reply["billingUsage"][0]["usage"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(rows, 100 * 365 * 4);

    let mut group = c.benchmark_group("usage");
    // Each request computes and serialises over a hundred thousand rows: few samples suffice.
    group.sample_size(10);
    group.bench_function("year_hourly_100_workspaces", |b| b.iter(|| black_box(rt.block_on(fetch()))));
    group.finish();
    rt.block_on(sim.shutdown());
}

criterion_group!(benches, year_of_hourly_usage);
criterion_main!(benches);
