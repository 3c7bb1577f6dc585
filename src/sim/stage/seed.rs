//! Stage contents of the seeded organizations.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::types::WorkspaceGroupState;
use crate::sim::Seed;
use crate::sim::world::World;

use super::StagePath;

/// Fills Stage for the seeded groups: a realistic mix for the demo, a few files for large
/// organizations, nothing for the empty one. Call after groups exist.
pub fn seed(world: &mut World, seed: &Seed) {
    let groups: Vec<Uuid> = world
        .groups
        .values()
        .filter(|g| g.api.state != WorkspaceGroupState::Terminated)
        .map(|g| g.api.workspace_group_id)
        .collect();
    let now = world.clock.now();
    match seed {
        Seed::Empty => {}
        Seed::Large(_) => {
            if let Some(g) = groups.first() {
                let files = [
                    ("exports/", None),
                    ("exports/orders.csv", Some(csv_orders(500, 11))),
                    ("exports/events.json", Some(json_events(100, 12))),
                    ("readme.txt", Some(b"Bulk exports for benchmarks.\n".to_vec())),
                ];
                put_all(world, *g, &files, now);
            }
        }
        Seed::Demo => {
            for (i, g) in groups.iter().take(3).enumerate() {
                let files = demo_files(i);
                put_all(world, *g, &files, now);
            }
            for (space, files) in demo_spaces() {
                if let Some(id) = super::files_space_id(space) {
                    put_all(world, id, &files, now);
                }
            }
        }
    }
}

type SeedFile = (&'static str, Option<Vec<u8>>);

fn put_all(world: &mut World, dep: Uuid, files: &[SeedFile], now: DateTime<Utc>) {
    for (n, (path, bytes)) in files.iter().enumerate() {
        // Older entries first, so "last modified" reads like real history.
        let at = now - chrono::Duration::hours(24 * 40 - 17 * n as i64);
        let Ok(p) = StagePath::parse(path) else {
            continue;
        };
        let res = match bytes {
            None => world.stage.mkdir(dep, &p, at).map(|_| ()),
            Some(b) => world.stage.put_bytes(dep, &p, b, at),
        };
        if let Err(e) = res {
            tracing::warn!("seeding Stage {path}: {}", e.message);
        }
    }
}

/// The Files spaces: shared notebooks for jobs and functions, a personal scratch space, models.
fn demo_spaces() -> Vec<(&'static str, Vec<SeedFile>)> {
    vec![
        (
            "shared",
            vec![
                ("Jobs/", None),
                ("Jobs/etl.ipynb", Some(notebook("Nightly ETL", "INSERT INTO orders_daily SELECT * FROM orders_raw;"))),
                ("Jobs/refresh_dashboards.ipynb", Some(notebook("Refresh dashboards", "CALL refresh_all();"))),
                ("ml/", None),
                (
                    "ml/churn_score.ipynb",
                    Some(notebook("Churn score", "SELECT churn_score(customer_id) FROM customers;")),
                ),
                ("README.md", Some(b"Notebooks shared by the data team.\n".to_vec())),
            ],
        ),
        (
            "personal",
            vec![
                (
                    "digest.ipynb",
                    Some(notebook("Morning digest", "SELECT COUNT(*) FROM orders WHERE day = CURRENT_DATE;")),
                ),
                ("scratch/", None),
                ("scratch/explore.ipynb", Some(notebook("Explore", "SHOW TABLES;"))),
            ],
        ),
        (
            "models",
            vec![("embeddings/", None), ("embeddings/README.md", Some(b"all-MiniLM-L6-v2, 384 dimensions\n".to_vec()))],
        ),
    ]
}

fn demo_files(group_index: usize) -> Vec<SeedFile> {
    let seed = group_index as u64 + 1;
    match group_index {
        0 => vec![
            ("data/", None),
            ("data/raw/", None),
            ("data/raw/orders_2024-05.csv", Some(csv_orders(2_000, seed))),
            ("data/raw/orders_2024-06.csv", Some(csv_orders(2_400, seed + 1))),
            ("data/raw/clickstream.parquet", Some(parquetish(96 * 1024, seed))),
            ("data/curated/", None),
            ("data/curated/customers.json", Some(json_customers(300, seed))),
            ("data/curated/daily_revenue.parquet", Some(parquetish(24 * 1024, seed + 2))),
            ("notebooks/", None),
            (
                "notebooks/etl-nightly.ipynb",
                Some(notebook("Nightly ETL", "LOAD DATA S3 'orders/*' INTO TABLE orders;")),
            ),
            (
                "notebooks/revenue report.ipynb",
                Some(notebook("Revenue report", "SELECT day, SUM(amount) FROM orders GROUP BY day;")),
            ),
            (
                "README.md",
                Some(b"# Analytics stage\n\nRaw drops land in data/raw, curated sets in data/curated.\n".to_vec()),
            ),
        ],
        1 => vec![
            ("ml/", None),
            ("ml/features/", None),
            ("ml/features/embeddings.parquet", Some(parquetish(256 * 1024, seed))),
            ("ml/features/labels.csv", Some(csv_orders(800, seed))),
            ("ml/training-run.ipynb", Some(notebook("Training run", "SELECT * FROM features LIMIT 1000;"))),
            ("logs/", None),
            ("logs/ingest-2024-06-01.log", Some(log_lines(400, seed))),
            ("événements été.json", Some(json_events(150, seed))),
        ],
        _ => vec![
            ("backups/", None),
            (
                "backups/schema.sql",
                Some(b"CREATE TABLE events (id BIGINT PRIMARY KEY, kind TEXT, at DATETIME(6));\n".to_vec()),
            ),
            ("imports/", None),
            ("imports/events.ndjson", Some(json_events(200, seed))),
        ],
    }
}

/// A small deterministic generator so seeded files look alike on every run.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn csv_orders(rows: usize, seed: u64) -> Vec<u8> {
    let mut s = seed;
    let mut out = String::from("order_id,customer_id,amount,currency,created_at\n");
    for i in 0..rows {
        let r = next(&mut s);
        out.push_str(&format!(
            "{},{},{}.{:02},USD,2024-06-{:02}T{:02}:{:02}:00Z\n",
            100_000 + i,
            r % 5_000,
            (r >> 16) % 900 + 5,
            (r >> 32) % 100,
            (r >> 40) % 28 + 1,
            (r >> 48) % 24,
            (r >> 56) % 60
        ));
    }
    out.into_bytes()
}

fn json_customers(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed;
    let list: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let r = next(&mut s);
            serde_json::json!({
                "id": i,
                "name": format!("Customer {i}"),
                "tier": (["free", "standard", "premium"][(r % 3) as usize]),
                "lifetimeValue": (r >> 8) % 100_000,
            })
        })
        .collect();
    serde_json::to_vec_pretty(&list).unwrap_or_default()
}

fn json_events(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed;
    let mut out = String::new();
    for i in 0..n {
        let r = next(&mut s);
        out.push_str(&format!(
            "{{\"id\":{i},\"kind\":\"{}\",\"value\":{}}}\n",
            ["click", "view", "purchase", "signup"][(r % 4) as usize],
            (r >> 8) % 1000
        ));
    }
    out.into_bytes()
}

fn log_lines(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed;
    let mut out = String::new();
    for i in 0..n {
        let r = next(&mut s);
        out.push_str(&format!(
            "2024-06-01T{:02}:{:02}:{:02}Z {} pipeline=ingest batch={i} rows={}\n",
            i / 60 % 24,
            i % 60,
            r % 60,
            ["INFO", "INFO", "INFO", "WARN"][(r >> 8) as usize % 4],
            (r >> 16) % 10_000
        ));
    }
    out.into_bytes()
}

/// Binary bytes framed like a parquet file (magic at both ends).
fn parquetish(len: usize, seed: u64) -> Vec<u8> {
    let mut s = seed;
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(b"PAR1");
    while out.len() + 4 < len {
        out.extend_from_slice(&next(&mut s).to_le_bytes());
    }
    out.truncate(len.saturating_sub(4).max(4));
    out.extend_from_slice(b"PAR1");
    out
}

fn notebook(title: &str, sql: &str) -> Vec<u8> {
    let nb = serde_json::json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": [format!("# {title}")]},
            {"cell_type": "code", "execution_count": null, "metadata": {"language": "sql"},
             "outputs": [], "source": ["%%sql\n", sql]}
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5
    });
    serde_json::to_vec_pretty(&nb).unwrap_or_default()
}
