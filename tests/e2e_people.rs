//! End-to-end: people and access, driven by keyboard in the real binary in a pseudo-terminal
//! against the simulator over real HTTP. An email is invited into a team and shows pending; a
//! role on a group is granted to a team after the review, read back through the API, and
//! revoked after the review. Every wait is a poll bounded by a deadline.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use pty::{Pty, Sim};
use s2tui::api::types::*;
use uuid::Uuid;

impl Sim {
    fn id_of_group(&self, name: &str) -> Uuid {
        let world = self.handle.shared().world();
        world.groups.values().find(|g| g.api.name == name).unwrap().api.workspace_group_id
    }

    fn id_of_team(&self, name: &str) -> Uuid {
        self.handle.shared().world().teams.values().find(|t| t.name == name).unwrap().team_id
    }

    /// Who holds `role` on the group, directly, as the API answers.
    fn direct_holders(&self, group: Uuid, role: &str) -> Vec<Uuid> {
        let roles =
            self.block_on(self.client().access_controls(&ResourceRef::new(ResourceType::Cluster, group))).unwrap();
        roles
            .iter()
            .filter(|r| r.role == role)
            .flat_map(|r| &r.grants)
            .filter(|g| g.inherited_from.is_none())
            .map(|g| g.identity.id())
            .collect()
    }
}

#[test]
fn invite_an_email_into_a_team_and_see_it_pending() {
    let sim = Sim::demo();
    let dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("prod-ingest");
    dash.send(":invitations\r");
    dash.wait_for("noah.bennett@");
    dash.send("c");
    dash.wait_for("Invite into the organization");
    dash.send("erin.kowalski@example.com\tAnalytics\r");
    dash.wait_row("erin.kowalski@example.com", "Pending");
    assert!(dash.row_of("erin.kowalski@example.com").unwrap().contains("Analytics"));
    let analytics = sim.id_of_team("Analytics");
    let world = sim.handle.shared().world();
    let inv = world.people.invitations.iter().find(|i| i.api.email == "erin.kowalski@example.com").unwrap();
    assert_eq!((inv.api.state.clone(), inv.api.team_ids.clone()), (InvitationState::Pending, vec![analytics]));
    drop(world);
    // Only the pending ones: the new invitation and the seeded one.
    dash.send(":invitations state=pending\r");
    dash.wait_for("(state=Pending)");
    dash.wait_gone("contractor.jb@outlook.com");
    assert!(dash.screen().contains("erin.kowalski@example.com"));
}

#[test]
fn grant_a_role_on_a_group_to_a_team_then_revoke_it_after_the_review() {
    let sim = Sim::demo();
    let production = sim.id_of_group("Production");
    let analytics = sim.id_of_team("Analytics");
    let dash = Pty::dashboard(&sim, &[]);
    dash.wait_for("prod-ingest");
    dash.send(":wg\r");
    dash.wait_for("Analytics EU");
    dash.send("/Production\r");
    dash.wait_gone("Analytics EU");
    dash.send("a");
    dash.wait_for("Access to workspace group Production");
    // The grant form looks names up among the members and teams: wait until they are read (the
    // PEOPLE column counts a team's members from them).
    dash.wait_until("the members and teams are read", |s| {
        s.lines().any(|l| l.contains("team Platform Admins") && l.contains(" 5 "))
    });
    dash.wait_row("Aiko", "Restricted Operator");

    // Grant Restricted Operator to Analytics: the review names who gains it and who has it.
    dash.send("c");
    dash.wait_for("Grant a role on workspace group Production");
    dash.send("\x1b[C\x1b[C\x1b[C\x1b[C");
    dash.wait_until("the role picked", |s| s.lines().any(|l| l.contains("Role:") && l.contains("Restricted Operator")));
    dash.send("\tAnalytics\r");
    dash.wait_for("Review access change");
    dash.wait_for("Grant Restricted Operator on workspace group Production to team");
    dash.wait_for("Gains it: Sofia Alvarez");
    dash.wait_for("Has it already: Aiko Tanaka");
    assert!(sim.requests("PATCH", "accessControls").is_empty(), "nothing is sent before yes");
    dash.send("y");
    dash.wait_for("Restricted Operator on Production granted");
    assert_eq!(sim.requests("PATCH", "accessControls").len(), 1);
    // Read back through the API.
    assert!(sim.direct_holders(production, "Restricted Operator").contains(&analytics));
    dash.wait_until("the team's new row", |s| {
        s.lines().any(|l| l.contains("Restricted Operator") && l.contains("team Analytics") && l.contains("direct"))
    });

    // Revoke it: the review says who loses it and who keeps it.
    dash.send("/Restricted\r");
    dash.wait_gone("from Owner on the organization");
    dash.send("G");
    dash.send("\x04");
    dash.wait_for("Revoke Restricted Operator on workspace group Production from team");
    dash.wait_for("Loses it: Sofia Alvarez");
    dash.wait_for("Keeps it through another grant: Aiko Tanaka");
    dash.send("y");
    dash.wait_for("Restricted Operator on Production revoked");
    assert!(!sim.direct_holders(production, "Restricted Operator").contains(&analytics));
    assert_eq!(sim.requests("PATCH", "accessControls").len(), 2);
}
