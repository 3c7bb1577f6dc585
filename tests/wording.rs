//! Counts read as English: one of a thing is singular.
#![allow(clippy::unwrap_used)]

use s2tui::testing::*;
use s2tui::widgets::modal::Modal;

#[test]
fn one_workspace_is_suspended_in_the_singular_and_one_op_is_pending() {
    let mut state = loaded();
    assert!(select_name(&mut state.panes.workspaces.table, "ingest"));
    press(&mut state, "s");
    match state.modals.last() {
        Some(Modal::Confirm(c)) => assert_eq!(c.title, "Suspend workspace"),
        _ => panic!("s asks first"),
    }
    press(&mut state, "y");
    let screen = render(&mut state, 160, 48);
    let header = screen.lines().next().unwrap();
    assert!(header.contains("1 op pending") && !header.contains("op(s)"), "{header}");
}
