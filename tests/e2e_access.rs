//! Access at API v2 in the real binary on the demo, read off the terminal: a cluster's access
//! (its group's), a role granted to a member picked from the list by part of her name, listed,
//! then revoked after the review.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};

#[test]
fn grant_a_role_on_a_cluster_to_a_member_picked_from_the_list_then_revoke_it() {
    // The dashboard runs its own demo simulator; `sim` only gives the terminal its environment.
    let sim = Sim::demo();
    let mut dash = Pty::shell(&sim, "exec \"$S2TUI_BIN\" --demo --demo-speed 100", &[]);
    dash.wait_for("API v2");
    dash.wait_for("prod-ingest");
    dash.send("/prod-ingest\r");
    dash.send("a");
    dash.wait_for("Access to cluster prod-ingest (and prod-analytics, prod-reporting, in its group)");
    // The holder is picked among the members and teams: wait until they are read (the PEOPLE
    // column counts a team's members from them).
    dash.wait_until("the members and teams are read", |s| {
        s.lines().any(|l| l.contains("team Platform Admins") && l.contains(" 5 "))
    });
    let sofia_row = |s: &str| s.lines().any(|l| l.contains("Writer") && l.contains("Sofia Alvarez <"));
    assert!(!sofia_row(&dash.screen()), "she holds no Writer role here yet");

    // Writer, to Sofia: typing part of her name picks her from the list.
    dash.send("c");
    dash.wait_for("Grant a role on cluster prod-ingest");
    dash.send("\x1b[C\x1b[C");
    dash.wait_until("the role picked", |s| s.lines().any(|l| l.contains("Role:") && l.contains("Writer")));
    dash.send("\tsofia");
    dash.wait_for("→ Sofia Alvarez <sofia.alvarez@acme-analytics.io> · user");
    dash.send("\r");
    dash.wait_for("Review access change");
    dash.wait_for("Grant Writer on cluster prod-ingest");
    dash.wait_for("Gains it: Sofia Alvarez");
    dash.send("y");
    dash.wait_for("granted");
    dash.wait_until("her new row", |s| {
        s.lines().any(|l| l.contains("Writer") && l.contains("Sofia Alvarez <") && l.contains("direct"))
    });

    // Revoke it after the review.
    dash.send("/Sofia\r");
    dash.wait_until("only her row", |s| !s.contains("team Platform Admins") && sofia_row(s));
    dash.send("\x04");
    dash.wait_for("Revoke Writer on cluster prod-ingest");
    dash.wait_for("Loses it: Sofia Alvarez");
    dash.send("y");
    dash.wait_for("revoked");
    dash.wait_until("her row gone", |s| !sofia_row(s));

    // The tracker has both changes, done.
    dash.send(":ops\r");
    dash.wait_until("tracker", |s| s.contains("grant role") && s.contains("revoke role") && !s.contains("sending"));
    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());
}
