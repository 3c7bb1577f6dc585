//! Every list behaves the same: the footer, the row position, the wide view, marks and help.
#![allow(clippy::unwrap_used)]

use s2tui::state::SessionInfo;
use s2tui::testing::*;

fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_footer_always_offers_help_even_at_80_columns() {
    let mut state = loaded();
    let screen = render(&mut state, 80, 24);
    assert!(footer(&screen).contains("? help"), "{screen}");
    keys(&mut state, ": w g enter");
    let screen = render(&mut state, 80, 24);
    assert!(footer(&screen).contains("? help"), "{screen}");
}

#[test]
fn a_read_only_footer_does_not_offer_changes() {
    let mut state = loaded_with(SessionInfo { read_only: true, ..session() }, &Org::default());
    let screen = render(&mut state, 160, 48);
    let footer = footer(&screen);
    for refused in ["suspend", "resume", "create", "edit", "terminate"] {
        assert!(!footer.contains(refused), "{refused} in {footer}");
    }
    assert!(footer.contains("copy") && footer.contains("? help"), "{footer}");
}

#[test]
fn every_list_shows_where_the_selection_is() {
    let mut state = loaded();
    let total = state.panes.workspaces.table.len();
    keys(&mut state, "j j");
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains(&format!(" 3/{total} ")), "{screen}");
}

#[test]
fn wide_shows_the_columns_a_narrow_screen_hides() {
    let mut state = loaded();
    let narrow = render(&mut state, 80, 24);
    assert!(!narrow.contains("ENDPOINT"), "{narrow}");
    press(&mut state, "ctrl-w");
    let wide = render(&mut state, 80, 24);
    assert!(wide.contains("ENDPOINT") && wide.contains(" wide "), "{wide}");
    press(&mut state, "ctrl-w");
    assert!(!render(&mut state, 80, 24).contains("ENDPOINT"));
}

#[test]
fn columns_are_as_wide_as_their_content_and_cuts_are_marked() {
    let mut state = loaded();
    let screen = render(&mut state, 160, 48);
    let header = screen.lines().find(|l| l.contains("NAME")).unwrap();
    let longest = state.panes.workspaces.table.rows().iter().map(|r| r.cells[0].chars().count()).max().unwrap();
    let gap = header.find("GROUP").unwrap() - header.find("NAME").unwrap();
    assert_eq!(gap, longest + 1, "NAME takes its longest name and one space: {header}");
    // Narrow enough that the endpoint column must give way.
    press(&mut state, "ctrl-w");
    let screen = render(&mut state, 100, 24);
    let row = screen.lines().find(|l| l.contains("svc-")).unwrap();
    assert!(row.contains('…'), "{row}");
}

#[test]
fn marks_by_range_and_all_with_one_indicator() {
    let mut state = loaded();
    keys(&mut state, "space j ctrl-space");
    assert_eq!(state.panes.workspaces.table.marks.len(), 3, "space marks and moves on; ctrl-space marks up to here");
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("● 3 marked"), "{screen}");
    press(&mut state, "ctrl-\\");
    assert!(state.panes.workspaces.table.marks.is_empty());
    press(&mut state, "ctrl-a");
    assert_eq!(state.panes.workspaces.table.marks.len(), state.panes.workspaces.table.len());
}

#[test]
fn help_scrolls_to_the_end_and_back_and_names_the_panes() {
    let mut state = loaded();
    press(&mut state, "?");
    let top = render(&mut state, 80, 24);
    press(&mut state, "G");
    let bottom = render(&mut state, 80, 24);
    assert_ne!(top, bottom, "G scrolls to the end");
    assert!(bottom.contains("Jump to pane 9: Audit log"), "{bottom}");
    press(&mut state, "g");
    assert_eq!(render(&mut state, 80, 24), top, "g goes back to the top");
}

#[test]
fn a_sort_of_the_activity_log_starts_at_the_top_and_the_title_says_the_order() {
    use s2tui::api::client::CallRecord;
    use s2tui::msg::Msg;
    let mut state = loaded();
    keys(&mut state, ": l o g enter");
    for (i, method) in ["GET", "POST", "GET", "PATCH", "GET"].iter().enumerate() {
        let call = CallRecord {
            method: method.parse().unwrap(),
            path: format!("/v1/workspaces/{i}"),
            status: Some(200),
            latency: std::time::Duration::from_millis(10 + i as u64),
            attempt: 1,
            error: None,
            no_route: false,
        };
        s2tui::update::update(&mut state, Msg::ApiCall(call));
    }
    assert!(render(&mut state, 160, 48).contains("newest first"));
    press(&mut state, ">");
    press(&mut state, ">");
    assert_eq!(state.panes.log.table.selected_index(), 0, "the sort starts at the top of the new order");
    let screen = render(&mut state, 160, 48);
    assert!(screen.contains("by method ↑") && !screen.contains("newest first"), "{screen}");
}
