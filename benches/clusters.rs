//! The v2 cluster list at the scale of the render figures: 10,000 clusters decoded (every
//! field but the ID and name is lenient), and the same list served by the simulator and
//! read by the client over HTTP.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use s2tui::api::clusters::{Cluster, ClusterQuery};
use s2tui::api::types::Workspace;
use s2tui::api::{ApiKey, ApiVersion, Client, ClientConfig};
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};

const CLUSTERS: usize = 10_000;

fn ten_thousand_clusters(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let config = SimConfig { seed: Seed::Large(CLUSTERS), colleague_rate: 0.0, ..SimConfig::default() };
    let sim = rt.block_on(SimHandle::start(config, "127.0.0.1:0".parse().unwrap())).unwrap();
    let client = Client::new(ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap())
        .unwrap()
        .with_version(ApiVersion::V2);
    let http = reqwest::Client::new();
    let body = |path: &str| {
        let url = format!("{}{path}", sim.base_url());
        let rb = http.get(url).bearer_auth(sim.api_key());
        rt.block_on(async { rb.send().await.unwrap().bytes().await.unwrap() })
    };
    let clusters = body("/v2/clusters");
    assert_eq!(serde_json::from_slice::<Vec<Cluster>>(&clusters).unwrap().len(), CLUSTERS);
    // The same workspaces at v1, one group's worth at a time there; all of them here for scale.
    let workspaces: Vec<Workspace> = sim.shared().world().workspaces.values().map(|w| w.api.clone()).collect();
    let workspaces = serde_json::to_vec(&workspaces).unwrap();

    let mut g = c.benchmark_group("clusters");
    g.bench_function("decode_10k_v2_clusters", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Vec<Cluster>>(black_box(&clusters)).unwrap()))
    });
    g.bench_function("decode_10k_v1_workspaces", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Vec<Workspace>>(black_box(&workspaces)).unwrap()))
    });
    g.bench_function("list_10k_v2_clusters_over_http", |b| {
        b.iter(|| black_box(rt.block_on(client.clusters(ClusterQuery::default())).unwrap()))
    });
    g.finish();
    rt.block_on(sim.shutdown());
}

criterion_group!(benches, ten_thousand_clusters);
criterion_main!(benches);
