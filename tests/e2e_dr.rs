//! The storage DR drill in the real binary on the demo, read off the terminal: set DR up for
//! a group, wait for replication, fail over (the serving region changes), fail back.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};

#[test]
fn a_failover_drill_on_the_demo() {
    // The dashboard runs its own demo simulator; `sim` only gives the terminal its environment.
    let sim = Sim::demo();
    let mut dash = Pty::shell(&sim, "exec \"$S2TUI_BIN\" --demo --demo-speed 100", &[]);
    // The demo speaks v2: storage DR is reached from a cluster, through its group.
    dash.wait_for("prod-ingest");
    dash.send("/prod-reporting\r");
    dash.send("D");
    dash.wait_for("Storage DR is not set up for this group.");

    // Set up: the form offers the regions the API lists; the databases it has seen are filled in.
    dash.send("c");
    dash.wait_for("Set up storage DR for Production");
    dash.wait_for("Secondary region:");
    dash.send("\r");
    dash.wait_for("Writes served by: Production (us-east-1)");
    dash.wait_until("replication", |s| s.contains("prod_reporting_db") && pty::has_word(s, "Active"));

    // Fail over: the confirmation says where writes go; the view follows the operation.
    dash.send("F");
    dash.wait_for("Type Production to confirm");
    dash.wait_for("Afterwards writes are served by the secondary in us-west-2.");
    dash.send("Production\r");
    dash.wait_for("Latest operation: Failover");
    dash.wait_for("Writes served by: Production-secondary (us-west-2)");
    dash.wait_for("Failover Completed");

    // Fail back once replication has caught up the other way.
    dash.wait_until("reverse replication", |s| s.contains("us-east-1      Active"));
    dash.send("B");
    dash.wait_for("Afterwards writes are served by Production (us-east-1).");
    dash.send("Production\r");
    dash.wait_for("Failback Completed");
    dash.wait_for("Writes served by: Production (us-east-1)");

    // The tracker has both operations, done.
    dash.send(":ops\r");
    dash.wait_until("tracker", |s| s.contains("failover") && s.contains("failback") && !s.contains("applying"));
    dash.send("\x03");
    assert!(dash.exit_status(std::time::Duration::from_secs(10)).success());
}
