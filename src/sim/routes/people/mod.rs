//! People and access: users, invitations, service accounts and cloud principals, role
//! definitions (v1 and v2) and access controls.

mod access;
mod identities;
mod invitations;
mod roles;
mod users;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::sim::AppState;
use crate::sim::world::World;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(users::routes())
        .merge(invitations::routes())
        .merge(identities::routes())
        .merge(roles::routes())
        .merge(access::routes())
}

/// A success the service answers without a body.
fn empty_ok() -> Response {
    StatusCode::OK.into_response()
}

/// A plausible email address: something, `@`, a domain with a dot.
fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.contains('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',')
        && !domain.contains('@')
}

/// Takes a member out of every team and every grant (when they leave the organization).
fn forget_member(w: &mut World, id: uuid::Uuid) {
    for t in w.teams.values_mut() {
        if let Some(m) = t.member_users.as_mut() {
            m.retain(|u| u.user_id != id);
        }
    }
    w.people.grants.retain(|g| g.holder != crate::sim::people::HolderId::User(id));
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails() {
        for ok in ["a@b.io", "dana.whitfield@acme-analytics.io"] {
            assert!(super::valid_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.io", "a@.io", "a b@c.io", "a@b@c.io"] {
            assert!(!super::valid_email(bad), "{bad}");
        }
    }
}
