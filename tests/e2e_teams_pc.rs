//! End-to-end: teams and private connections, driven by keyboard in the real binary in a
//! pseudo-terminal against the simulator over real HTTP; the simulator's state must agree.
//! Every wait is a poll bounded by a deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};
use s2tui::api::types::{ConnectionStatus, PrivateConnection, Team};

impl Sim {
    fn team(&self, name: &str) -> Option<Team> {
        self.handle.shared().world().teams.values().find(|t| t.name == name).cloned()
    }

    fn user_email(&self, first: &str) -> String {
        let world = self.handle.shared().world();
        world.users.iter().find(|u| u.info.first_name == first).unwrap().info.email.clone()
    }

    fn connection_with_allow_list(&self, allow: &str) -> Option<PrivateConnection> {
        let world = self.handle.shared().world();
        world.connections.values().map(|c| c.api.clone()).find(|c| c.allow_list.as_deref() == Some(allow))
    }

    fn connection(&self, id: uuid::Uuid) -> PrivateConnection {
        self.handle.shared().world().connections.get(&id).unwrap().api.clone()
    }

    fn group_id(&self, name: &str) -> uuid::Uuid {
        let world = self.handle.shared().world();
        world.groups.values().find(|g| g.api.name == name).unwrap().api.workspace_group_id
    }
}

#[test]
fn create_edit_and_delete_a_team() {
    let sim = Sim::demo();
    let dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("prod-ingest");
    dash.send(":teams\r");
    dash.wait_for("Data Engineering");

    // c: an empty name is refused at the field and nothing is sent.
    dash.send("c");
    dash.wait_for("Create team");
    dash.send("\r");
    dash.wait_for("✗ required");
    dash.send("Finance\tCost reports\r");
    dash.wait_row("Finance", "Cost reports");
    let team = sim.team("Finance").unwrap();
    assert_eq!(team.description, "Cost reports");

    // A duplicate name: the API refuses and the form shows its text.
    dash.send("c");
    dash.wait_for("Create team");
    dash.send("Analytics\r");
    dash.wait_for("already exists");
    // What was typed is not dropped by one esc: the form asks, a second esc discards.
    dash.send("\x1b");
    dash.wait_for("Discard what you typed?");
    dash.send("\x1b");
    dash.wait_gone("Create team");
    assert_eq!(sim.handle.shared().world().teams.values().filter(|t| t.name == "Analytics").count(), 1);

    // e: a bad email is refused at the field; then rename and add a user and a team, reviewed first.
    dash.send("/Finance\r");
    dash.wait_gone("Platform Admins");
    dash.send("e");
    dash.wait_for("Edit team Finance");
    dash.send(" Ops\t\tpriya@\r");
    dash.wait_for("is neither an email address nor a user ID");
    assert!(sim.requests("PATCH", "/v1/teams").is_empty());
    let email = sim.user_email("Priya");
    dash.send(&"\x7f".repeat(6));
    dash.send(&format!("{email}\t\tAnalytics\r"));
    dash.wait_for("Review changes");
    dash.wait_for("name: Finance → Finance Ops");
    assert!(sim.requests("PATCH", "/v1/teams").is_empty(), "nothing is sent before the review is accepted");
    dash.send("y");
    sim.wait_until("the team renamed with its new members", |s| {
        s.team("Finance Ops").is_some_and(|t| {
            t.member_users.unwrap_or_default().iter().any(|u| u.email == email)
                && t.member_teams.unwrap_or_default().iter().any(|m| m.name == "Analytics")
        })
    });
    // esc clears the filter; wait for it, so the next key is not read as alt-<key>.
    dash.send("\x1b");
    dash.wait_for("Platform Admins");
    dash.wait_until("the renamed team listed", |s| {
        s.lines().any(|l| l.contains("Finance Ops") && l.contains("Cost reports"))
    });
    assert_eq!(sim.requests("PATCH", "/v1/teams").len(), 1);

    // ctrl-d with the typed name deletes it.
    dash.send("/Finance\r");
    dash.wait_gone("Platform Admins");
    dash.send("\x04");
    dash.wait_for("Type Finance Ops to confirm");
    dash.send("Finance Ops\r");
    sim.wait_until("the team deleted", |s| s.team("Finance Ops").is_none());
    dash.wait_gone("Finance Ops");
}

#[test]
fn create_edit_and_delete_a_private_connection() {
    let sim = Sim::demo();
    let dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("prod-ingest");
    dash.send(":pc Production\r");
    dash.wait_for("(group Production)");

    // c: a bad allow list is refused at the field and nothing is sent.
    dash.send("c");
    dash.wait_for("Request a private connection");
    dash.wait_for("Production (whole group)");
    dash.send("\t\t\t12345\r");
    dash.wait_for("not an account ID, ARN");
    dash.send(&"\x7f".repeat(5));
    dash.send("acme-data-prod\r");
    dash.wait_for("not an AWS account ID");
    assert!(sim.requests("POST", "/v1/privateConnections").is_empty());
    dash.send(&"\x7f".repeat(14));
    dash.send("123456789012\r");
    dash.wait_gone("Request a private connection");
    sim.wait_until("the connection requested", |s| s.connection_with_allow_list("123456789012").is_some());
    let created = sim.connection_with_allow_list("123456789012").unwrap();
    assert_eq!(created.workspace_group_id, sim.group_id("Production"));
    let short: String = created.private_connection_id.to_string().chars().take(8).collect();

    // The operations tracker follows it until the API reports ACTIVE.
    dash.wait_row(&short, "ACTIVE");
    assert_eq!(sim.connection(created.private_connection_id).status, Some(ConnectionStatus::Active));
    let polls = sim.requests("GET", &format!("/v1/privateConnections/{}", created.private_connection_id));
    assert!(!polls.is_empty(), "the tracker polled the connection");
    dash.send(":ops\r");
    dash.wait_row("create", "done");
    dash.send(":pc Production\r");
    dash.wait_for(&short);

    // e: the allow list, checked against the group's provider, reviewed, then sent.
    // The newest connection of the group is listed last.
    dash.send("G");
    dash.send("e");
    dash.wait_for("Allow list of");
    dash.send(",acme-data-prod\r");
    dash.wait_for("not an AWS account ID");
    dash.send(&"\x7f".repeat(15));
    dash.send(",arn:aws:iam::210987654321:root\r");
    dash.wait_for("Review changes");
    dash.send("y");
    sim.wait_until("the allow list changed", |s| {
        s.connection(created.private_connection_id).allow_list.as_deref()
            == Some("123456789012,arn:aws:iam::210987654321:root")
    });

    // ctrl-d with the typed ID deletes it; it leaves the list once the API reports DELETED.
    dash.send("G");
    dash.send("\x04");
    dash.wait_for(&format!("Type {short} to confirm"));
    dash.send(&format!("{short}\r"));
    sim.wait_until("the connection deleted", |s| {
        s.connection(created.private_connection_id).status == Some(ConnectionStatus::Deleted)
    });
    dash.wait_gone(&short);
}
