//! The transfer queue at scale: a frame of the transfers pane must stay well under a screen
//! refresh however many transfers it holds, and what one transfer event costs must not grow
//! with the transfers queued or finished before it.
//!
//! Goals: a 200×60 frame with 10,000 entries ≤ 1 ms; a progress or finished event with
//! 10,000 earlier transfers within 10 % of the same event in a fresh queue.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use s2tui::msg::Msg;
use s2tui::panes::transfers::{Plan, PlanFile, TransferEvent};
use s2tui::state::{PaneId, State};
use s2tui::{testing, update, view};
use uuid::Uuid;

const ENTRIES: usize = 10_000;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
const FILE: u64 = 8_192;

fn plan(n: usize, label: &str) -> Plan {
    Plan {
        upload: true,
        store: Uuid::nil().into(),
        label: format!("{label}/ → /"),
        folders: Vec::new(),
        files: (0..n)
            .map(|i| PlanFile {
                local: PathBuf::from(format!("/tmp/{label}/f{i:05}.bin")),
                remote: format!("{label}/f{i:05}.bin"),
                size: FILE,
                conflict: None,
            })
            .collect(),
        skipped: Vec::new(),
    }
}

fn event(state: &mut State, e: TransferEvent) {
    black_box(update::update(state, Msg::Transfer(e)));
}

/// Queues a batch of `n` files; the ids it got.
fn queue(state: &mut State, n: usize, label: &str) -> std::ops::RangeInclusive<u64> {
    let id = state.transfers.new_plan();
    event(state, TransferEvent::Planned { plan: id, result: Ok(plan(n, label)) });
    let last = state.transfers.queue.list.last().unwrap().id;
    last + 1 - n as u64..=last
}

/// Runs every queued transfer to the end, as the runner would report it.
fn finish_all(state: &mut State, ids: std::ops::RangeInclusive<u64>) {
    for id in ids {
        event(state, TransferEvent::Progress { id, done: FILE / 2, total: Some(FILE) });
        event(state, TransferEvent::Finished { id, result: Ok(FILE) });
    }
}

fn state_on_transfers() -> State {
    let mut state = testing::loaded();
    state.size = (WIDTH, HEIGHT);
    state.location.pane = PaneId::Transfers;
    state
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("transfers_frame");
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();

    // One batch of 10,000 files still going: a line per file, 16 running with progress.
    let mut going = state_on_transfers();
    let ids = queue(&mut going, ENTRIES, "big");
    for id in ids.clone().take(16) {
        event(&mut going, TransferEvent::Progress { id, done: FILE / 3, total: Some(FILE) });
    }
    group.bench_function("10k_running_200x60", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(f, black_box(&going))).unwrap();
        });
    });

    // Five finished batches of 2,000 (collapsed to their summaries) and one of 2,000 going.
    let mut history = state_on_transfers();
    for k in 0..5 {
        let ids = queue(&mut history, 2_000, &format!("old{k}"));
        finish_all(&mut history, ids);
    }
    queue(&mut history, 2_000, "new");
    group.bench_function("10k_finished_plus_2k_running_200x60", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(f, black_box(&history))).unwrap();
        });
    });
    group.finish();
}

/// The cost of one file's progress and end, in a fresh queue and after 10,000 transfers.
/// Each sample queues 100 files (untimed), times their progress and end, and forgets them
/// again, so every sample runs against the same history.
fn events(c: &mut Criterion) {
    let mut group = c.benchmark_group("transfers_event");
    for (name, earlier) in [("fresh", 0usize), ("after_10k", ENTRIES)] {
        let mut state = state_on_transfers();
        for k in 0..earlier / 2_000 {
            let ids = queue(&mut state, 2_000, &format!("old{k}"));
            finish_all(&mut state, ids);
        }
        group.bench_function(format!("100_files_progress_and_finish_{name}"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let ids = queue(&mut state, 100, "new");
                    let start = Instant::now();
                    finish_all(&mut state, ids);
                    total += start.elapsed();
                    // Back to the same history for the next sample.
                    let newest = *state.transfers.queue.batches.keys().next_back().unwrap();
                    state.transfers.queue.forget(&[newest].into());
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = frames, events
}
criterion_main!(benches);
