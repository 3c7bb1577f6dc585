//! Rendering and filtering a long workspace list: a frame must stay well under a screen refresh,
//! and a filter keystroke must feel instant, whatever the size of the organization.
//!
//! Goals: a 200×60 frame of 10,000 workspaces (or, at API v2, clusters) ≤ 1 ms; one filter
//! keystroke over them ≤ 2 ms.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use s2tui::msg::Msg;
use s2tui::state::State;
use s2tui::testing::{self, Org};
use s2tui::{update, view};

const ROWS: usize = 10_000;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn loaded(n: usize) -> State {
    let mut state = testing::loaded_with(testing::session(), &Org::with_workspaces(n));
    state.size = (WIDTH, HEIGHT);
    assert_eq!(state.panes.workspaces.table.total(), n, "the workspaces pane should hold every row");
    state
}

fn key(code: KeyCode) -> Msg {
    Msg::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    let mut state = loaded(ROWS);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    terminal.draw(|f| view::render(f, &state)).unwrap();

    // The same state again: what a spinner or "refreshed 3s ago" tick costs.
    group.bench_function("workspaces_10k_200x60", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(f, black_box(&state))).unwrap();
        })
    });

    // `j` then a frame: the selection moves and the visible rows change.
    let mut down = true;
    group.bench_function("workspaces_10k_200x60_scroll", |b| {
        b.iter(|| {
            let code = if down { KeyCode::Char('j') } else { KeyCode::Char('k') };
            down = !down;
            black_box(update::update(&mut state, key(code)));
            terminal.draw(|f| view::render(f, &state)).unwrap();
        })
    });
    // At v2 the same organization is 10,000 clusters ordered by project.
    let session = s2tui::state::SessionInfo { api_version: s2tui::api::ApiVersion::V2, ..testing::session() };
    let mut v2 = testing::loaded_with(session, &Org::with_workspaces(ROWS));
    v2.size = (WIDTH, HEIGHT);
    assert_eq!(v2.panes.clusters.table.total(), ROWS, "the clusters pane should hold every row");
    group.bench_function("clusters_10k_200x60", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(f, black_box(&v2))).unwrap();
        })
    });
    group.finish();
}

/// Times only `key`, then takes it back with backspace (untimed) so every sample starts alike.
fn keystroke(state: &mut State, c: char) -> impl FnMut(u64) -> Duration + '_ {
    move |iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let start = Instant::now();
            black_box(update::update(state, key(KeyCode::Char(c))));
            total += start.elapsed();
            update::update(state, key(KeyCode::Backspace));
        }
        total
    }
}

fn filter(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter");
    let mut state = loaded(ROWS);
    update::update(&mut state, key(KeyCode::Char('/')));
    assert!(state.panes.workspaces.table.editing_filter);

    // The first character: every row is scored (and every row matches).
    group.bench_function("first_keystroke_10k", |b| b.iter_custom(keystroke(&mut state, 'w')));

    // A later character, after "ws-0": still every row, with a longer pattern.
    for ch in "ws-0".chars() {
        update::update(&mut state, key(KeyCode::Char(ch)));
    }
    group.bench_function("fifth_keystroke_10k", |b| b.iter_custom(keystroke(&mut state, '9')));
    group.finish();
}

criterion_group!(benches, render, filter);
criterion_main!(benches);
