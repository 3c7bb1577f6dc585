//! The simulator's workspace list over HTTP at 1k, 100k and 1M workspaces: listing one group's
//! workspaces (what `s2tui get workspaces --group` and the dashboard ask for) costs what the
//! group holds, not what the organization holds. Seeds of `large:N` put ten workspaces in a group.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};

fn list_one_group(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = reqwest::Client::new();
    let mut group = c.benchmark_group("sim_workspaces");
    group.sample_size(20);
    for n in [1_000usize, 100_000, 1_000_000] {
        let seeded = Instant::now();
        let config = SimConfig { seed: Seed::Large(n), colleague_rate: 0.0, ..SimConfig::default() };
        let sim = rt.block_on(SimHandle::start(config, "127.0.0.1:0".parse().unwrap())).unwrap();
        // A group in the middle of the id order.
        let gid = {
            let w = sim.shared().world();
            assert_eq!(w.workspaces.len(), n);
            *w.groups.keys().nth(w.groups.len() / 2).unwrap()
        };
        eprintln!("sim_workspaces: seeded {n} workspaces in {:.1} s", seeded.elapsed().as_secs_f64());
        let url = format!("{}/v1/workspaces?workspaceGroupID={gid}", sim.base_url());
        let key = sim.api_key().to_string();
        let fetch = || async {
            let r = http.get(&url).bearer_auth(&key).send().await.unwrap();
            assert!(r.status().is_success());
            r.bytes().await.unwrap()
        };
        let listed: serde_json::Value = serde_json::from_slice(&rt.block_on(fetch())).unwrap();
        assert_eq!(listed.as_array().map_or(0, Vec::len), 10);
        group.bench_with_input(BenchmarkId::new("list_one_group", n), &n, |b, _| {
            b.iter(|| black_box(rt.block_on(fetch())))
        });
        rt.block_on(sim.shutdown());
    }
    group.finish();
}

criterion_group!(benches, list_one_group);
criterion_main!(benches);
