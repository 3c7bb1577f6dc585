//! The audit pane with 1,000,000 buffered entries: a search keystroke over the whole buffer,
//! a frame, and the memory each entry costs.
//!
//! Goals: one keystroke ≤ 30 ms; a 160×48 frame ≤ 1 ms; ≤ 400 bytes per entry on average.
//! Memory is measured from the resident set size before and after filling the buffer (the crate
//! forbids `unsafe`, so no counting allocator), and printed with the entry's inline size.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use s2tui::api::types::{AuditLog, AuditSource, AuditUserType};
use s2tui::panes::audit::{buffer::Buffer, buffer::Entry};
use s2tui::state::{PaneId, State};
use s2tui::{testing, view};
use serde_json::json;
use uuid::Uuid;

const ENTRIES: usize = 1_000_000;
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

const USERS: [(&str, &str, &str); 8] = [
    ("alice.nguyen@acme-analytics.io", "Alice", "Nguyen"),
    ("marcus.chen@acme-analytics.io", "Marcus", "Chen"),
    ("priya.patel@acme-analytics.io", "Priya", "Patel"),
    ("diego.alvarez@acme-analytics.io", "Diego", "Alvarez"),
    ("sara.kowalski@acme-analytics.io", "Sara", "Kowalski"),
    ("tom.becker@acme-analytics.io", "Tom", "Becker"),
    ("yuki.tanaka@acme-analytics.io", "Yuki", "Tanaka"),
    ("system@singlestore.com", "SingleStore", "System"),
];
const WORKSPACES: [&str; 6] = ["analytics-prod", "analytics-dev", "etl-nightly", "reporting", "ml-features", "sandbox"];

/// Entry `i` of a plausible mix (logins, views, updates, suspends, backups), a millisecond apart.
fn entry(i: usize) -> AuditLog {
    let (email, first, last) = USERS[i % USERS.len()];
    let ws = WORKSPACES[(i / 7) % WORKSPACES.len()];
    let who = format!("{first} {last}");
    let (kind, reason, attributes) = match i % 10 {
        0..=2 => (
            "User.Login",
            format!("{who} ({email}) logged in to the Cloud Portal"),
            Some(json!({"ipAddress": format!("10.{}.{}.{}", i % 250, (i / 250) % 250, i % 13), "method": "SSO"})),
        ),
        3..=5 => ("Portal.View", format!("{who} viewed workspace \"{ws}\""), None),
        6 => (
            "Workspace.Update",
            format!("{who} changed the auto-suspend settings of workspace \"{ws}\""),
            Some(json!({"suspendType": "IDLE", "suspendAfterSeconds": 1200})),
        ),
        7 => ("Workspace.Suspend", format!("Workspace \"{ws}\" suspended"), None),
        8 => ("Backup.Complete", format!("Scheduled backup of workspace \"{ws}\" completed"), None),
        _ => ("User.Logout", format!("{who} ({email}) logged out"), None),
    };
    let at = chrono::DateTime::from_timestamp(1_748_000_000, 0).unwrap() + chrono::Duration::milliseconds(i as i64);
    AuditLog {
        audit_id: Some(Uuid::from_u128(0x1000_0000_0000_4000_8000_0000_0000_0000 | i as u128)),
        created_at: Some(at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)),
        kind: Some(kind.into()),
        source: Some(AuditSource::Portal),
        reason: Some(reason),
        labels: if kind.starts_with("User.") { vec!["authentication".into()] } else { Vec::new() },
        attributes,
        user_id: Some(Uuid::from_u128(0x77 + (i % USERS.len()) as u128).to_string()),
        user_email: Some(email.into()),
        user_type: Some(AuditUserType::Customer),
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        org_id: Some(Uuid::from_u128(0xd)),
        workspace_id: (3..=8)
            .contains(&(i % 10))
            .then(|| Uuid::from_u128(0xb00 + ((i / 7) % WORKSPACES.len()) as u128)),
        cluster_id: (3..=8).contains(&(i % 10)).then(|| Uuid::from_u128(0xa01)),
        ..Default::default()
    }
}

/// Resident memory in bytes, from /proc (0 where that does not exist).
fn rss() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<usize>().ok()))
        .map_or(0, |pages| pages * 4096)
}

fn filled() -> State {
    let before = rss();
    let mut buffer = Buffer::with_capacity(ENTRIES);
    for start in (0..ENTRIES).step_by(1000) {
        buffer.insert((start..start + 1000).map(entry).collect());
    }
    let after = rss();
    let heap: usize = buffer.iter().map(|e| e.reason.len() + e.extra.as_deref().map_or(0, str::len)).sum();
    println!(
        "audit buffer: {} entries; resident memory +{:.1} MiB = {:.0} bytes/entry (inline {} bytes + text {:.0} bytes on average)",
        buffer.len(),
        (after - before) as f64 / (1 << 20) as f64,
        (after - before) as f64 / buffer.len() as f64,
        std::mem::size_of::<Entry>(),
        heap as f64 / buffer.len() as f64,
    );
    let mut state = testing::loaded();
    state.size = (WIDTH, HEIGHT);
    state.location.pane = PaneId::Audit;
    state.panes.audit.settings.capacity = ENTRIES;
    state.panes.audit.buffer = buffer;
    state
}

/// Times going from the search `from` to `to` (one keystroke), resetting in between.
fn keystroke(state: &mut State, from: &str, to: &str, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        state.panes.audit.table.set_filter("");
        s2tui::panes::sync_all(state);
        state.panes.audit.table.set_filter(from);
        s2tui::panes::sync_all(state);
        state.panes.audit.table.set_filter(to);
        let t = Instant::now();
        s2tui::panes::sync_all(state);
        total += t.elapsed();
        black_box(state.panes.audit.view.match_count(&state.panes.audit.buffer));
    }
    total
}

fn bench(c: &mut Criterion) {
    let mut state = filled();
    let mut group = c.benchmark_group("audit_1m");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    // The first character searches every entry.
    group.bench_function("keystroke_first_char", |b| b.iter_custom(|n| keystroke(&mut state, "", "w", n)));
    // A whole word at once (a paste): a full scan with a longer needle.
    group.bench_function("keystroke_paste_word", |b| b.iter_custom(|n| keystroke(&mut state, "", "suspended", n)));
    // Typing on narrows the previous matches.
    group.bench_function("keystroke_narrowing", |b| b.iter_custom(|n| keystroke(&mut state, "suspen", "suspend", n)));
    // Backspace reuses the broader result typed on the way.
    group.bench_function("keystroke_backspace", |b| {
        b.iter_custom(|n| {
            let mut total = Duration::ZERO;
            for _ in 0..n {
                for f in ["", "e", "et", "etl"] {
                    state.panes.audit.table.set_filter(f);
                    s2tui::panes::sync_all(&mut state);
                }
                state.panes.audit.table.set_filter("et");
                let t = Instant::now();
                s2tui::panes::sync_all(&mut state);
                total += t.elapsed();
            }
            total
        })
    });

    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    state.panes.audit.table.set_filter("");
    s2tui::panes::sync_all(&mut state);
    group.bench_function("frame_160x48", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(f, &state)).unwrap();
        })
    });
    state.panes.audit.table.set_filter("suspend");
    s2tui::panes::sync_all(&mut state);
    state.panes.audit.view.set_context(2, &state.panes.audit.buffer);
    group.bench_function("frame_160x48_search_context", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(f, &state)).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
