//! s2tui: a terminal dashboard for the SingleStore Helios Management API, and a simulator of it.
//!
//! `api` and `sim` know nothing of the terminal; the dashboard is `app` (the loop), `update`
//! (pure state changes), `view` (read-only drawing), with one module per pane in `panes`.

pub mod api;
pub mod app;
pub mod budget;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod effect;
pub mod keymap;
pub mod logging;
pub mod msg;
pub mod panes;
pub mod sanitize;
pub mod screenshot;
pub mod session;
pub mod sim;
pub mod state;
pub mod testing;
pub mod theme;
pub mod tui;
pub mod update;
pub mod view;
pub mod widgets;
