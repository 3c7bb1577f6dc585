//! s2tui: a terminal dashboard for the SingleStore Helios Management API, and a simulator of it.

pub mod api;
pub mod sim;
