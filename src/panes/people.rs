//! What the people panes (users, invitations, identities, roles, access) share: who is in
//! which team, which organization roles someone holds and through what, and where each of
//! their changes is followed.

use uuid::Uuid;

use crate::api::types::*;
use crate::state::PaneId;

/// The pane a people-and-access change comes from (it is read again once the change lands).
pub fn origin(change: &PeopleChange) -> PaneId {
    use PeopleChange::*;
    match change {
        AddUser { .. } | RemoveUser { .. } => PaneId::Users,
        Invite(_) | Revoke { .. } => PaneId::Invitations,
        CreateServiceAccount(_)
        | UpdateServiceAccount { .. }
        | DeleteServiceAccount { .. }
        | CreateCloudPrincipal(_)
        | UpdateCloudPrincipal { .. }
        | DeleteCloudPrincipal { .. } => PaneId::Identities,
        CreateRole { .. }
        | ReplaceRole { .. }
        | DeleteRole { .. }
        | CreateRoleV2(_)
        | ReplaceRoleV2 { .. }
        | DeleteRoleV2 { .. } => PaneId::Roles,
        ChangeAccess { .. } => PaneId::Access,
    }
}

/// The teams that hold `member` (a user or a team), directly or through a team inside a team.
pub fn teams_holding(teams: &[Team], member: Uuid) -> Vec<&Team> {
    let mut out: Vec<&Team> = Vec::new();
    let mut frontier = vec![member];
    while let Some(m) = frontier.pop() {
        for t in teams {
            let holds = t.member_users.iter().flatten().any(|u| u.user_id == m)
                || t.member_teams.iter().flatten().any(|x| x.team_id == m);
            if holds && !out.iter().any(|o| o.team_id == t.team_id) {
                out.push(t);
                frontier.push(t.team_id);
            }
        }
    }
    out
}

/// The people a holder stands for: the user, or every user in the team and its teams.
pub fn people_of(teams: &[Team], holder: &Holder) -> Vec<UserInfo> {
    match holder {
        Holder::User(u) => vec![u.clone()],
        Holder::Team(t) => {
            let mut out: Vec<UserInfo> = Vec::new();
            let mut frontier = vec![t.team_id];
            let mut seen = Vec::new();
            while let Some(id) = frontier.pop() {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let Some(team) = teams.iter().find(|x| x.team_id == id) else { continue };
                for u in team.member_users.iter().flatten() {
                    if !out.iter().any(|o| o.user_id == u.user_id) {
                        out.push(u.clone());
                    }
                }
                frontier.extend(team.member_teams.iter().flatten().map(|m| m.team_id));
            }
            out
        }
    }
}

/// How one holds a role: directly, or through the named team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub role: String,
    pub through: Option<String>,
}

impl Held {
    pub fn label(&self) -> String {
        match &self.through {
            None => self.role.clone(),
            Some(team) => format!("{} (via {team})", self.role),
        }
    }
}

/// The roles `user` holds among `roles` (one resource's access controls), directly or through
/// a team; inherited grants count too, marked by what they come from.
pub fn held_by(roles: &[ResourceRole], teams: &[Team], user: Uuid) -> Vec<Held> {
    let mine: Vec<&Team> = teams_holding(teams, user);
    let mut out = Vec::new();
    for r in roles {
        for g in &r.grants {
            let through = match &g.identity {
                Holder::User(u) if u.user_id == user => None,
                Holder::Team(t) if mine.iter().any(|m| m.team_id == t.team_id) => Some(t.name.clone()),
                _ => continue,
            };
            let held = Held { role: r.role.clone(), through };
            if !out.contains(&held) {
                out.push(held);
            }
        }
    }
    out
}

/// "Ann Lee <ann@…>", or the email alone when there is no name.
pub fn person(u: &UserInfo) -> String {
    Holder::User(u.clone()).label()
}

/// A plausible email address (the service has the last word).
pub fn email_rule(s: &str) -> Result<(), String> {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') && !s.contains(' ') => Ok(()),
        _ => Err("an email address, e.g. ann@example.com".into()),
    }
}

/// Draws one of these panes' lists: its title and counts (stale when the latest read
/// failed), and when there are no rows, why (loading, the failed read, or simply none).
pub fn render_list<T>(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    view: &crate::panes::pane::View,
    table: &crate::widgets::table::TableState,
    title: &str,
    list: &crate::state::Resource<T>,
    none: &str,
) {
    use crate::widgets::status;
    use ratatui::text::{Line, Span};
    let t = view.theme;
    let mut spans = vec![
        Span::styled(format!(" {title} "), t.title),
        Span::styled(format!("[{}/{}] ", table.len(), table.total()), t.dim),
    ];
    spans.extend(status::stale(list, view.now, t));
    let what = title.split_whitespace().next().unwrap_or(title).to_lowercase();
    let empty = status::empty(&what, list, none, view.requests.next_refresh, view.now);
    crate::widgets::table::render(frame, area, table, t, Line::from(spans), &empty);
}
