//! Simulated colleagues: background audit entries (logins, portal views, workspace, user and
//! team actions, system jobs) at a fixed rate, so the audit log moves while you watch it.
//! They only write audit entries; the objects themselves are left alone, so an entry only says
//! what the object's state allows (an idle check only where auto-suspend is on).

use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use tokio::sync::watch;
use uuid::Uuid;

use super::AppState;
use super::world::{AuditEvent, World};
use crate::api::types::*;

/// The highest rate served: beyond it the log would grow faster than anyone can read it, and
/// writing it would starve the API of the world lock.
pub const MAX_RATE: f64 = 1000.0;

/// One entry and who made it.
pub struct Activity {
    pub event: AuditEvent,
    pub user: UserInfo,
    pub source: AuditSource,
    pub user_type: AuditUserType,
    pub api_key_id: Option<Uuid>,
}

/// The system identity behind SystemJob entries.
fn system_user(w: &World) -> UserInfo {
    UserInfo {
        user_id: Uuid::from_u128(w.org.org_id.as_u128() ^ 0x5157_4a0b),
        email: "system@singlestore.com".into(),
        first_name: "SingleStore".into(),
        last_name: "System".into(),
    }
}

/// A plausible entry by a colleague (anyone but the API key's user) or the system.
pub fn random_activity(w: &World, rng: &mut impl Rng) -> Activity {
    let colleagues: Vec<&UserInfo> =
        w.users.iter().map(|u| &u.info).filter(|u| u.user_id != w.api_user.user_id).collect();
    let user = colleagues.choose(rng).map(|u| (*u).clone()).unwrap_or_else(|| w.api_user.clone());
    let who = format!("{} {}", user.first_name, user.last_name);
    let some_ws =
        w.workspaces.pick(rng, |r| r.api.state != WorkspaceState::Terminated).map(|(id, r)| (*id, r.api.clone()));
    // The idle check runs only on active workspaces whose auto-suspend is on.
    let idle_after = |a: &Workspace| {
        a.auto_suspend
            .as_ref()
            .filter(|s| s.suspend_type == SuspendType::Idle)
            .and_then(|s| s.idle_after_seconds)
            .filter(|_| a.state == WorkspaceState::Active)
    };
    let some_idle_ws = w
        .workspaces
        .pick(rng, |r| idle_after(&r.api).is_some())
        .and_then(|(id, r)| idle_after(&r.api).map(|after| (*id, r.api.clone(), after)));
    let team = w.teams.values().collect::<Vec<_>>().choose(rng).map(|t| (*t).clone());
    let portal = |event: AuditEvent, user: UserInfo| Activity {
        event,
        user,
        source: AuditSource::Portal,
        user_type: AuditUserType::Customer,
        api_key_id: None,
    };
    let roll: u32 = rng.random_range(0..100);
    if (82..90).contains(&roll)
        && let Some((id, a, after)) = some_idle_ws
    {
        return Activity {
            event: AuditEvent {
                kind: "Workspace.AutoSuspend".into(),
                reason: format!(
                    "Workspace \"{}\" was idle for {} minutes; auto-suspend checked",
                    a.name,
                    (after / 60.0).round()
                ),
                workspace_group_id: Some(a.workspace_group_id),
                workspace_id: Some(id),
                ..Default::default()
            },
            user: system_user(w),
            source: AuditSource::SystemJob,
            user_type: AuditUserType::System,
            api_key_id: None,
        };
    }
    match (roll, some_ws, team) {
        (0..30, _, _) => {
            let ip = format!(
                "{}.{}.{}.{}",
                rng.random_range(20..220),
                rng.random_range(0..255),
                rng.random_range(0..255),
                rng.random_range(1..254)
            );
            portal(
                AuditEvent {
                    kind: "User.Login".into(),
                    reason: format!("{who} ({}) logged in to the Cloud Portal", user.email),
                    labels: vec!["authentication".into()],
                    attributes: Some(json!({ "ipAddress": ip, "method": "SSO" })),
                    ..Default::default()
                },
                user,
            )
        }
        (30..55, Some((id, a)), _) => portal(
            AuditEvent {
                kind: "Portal.View".into(),
                reason: format!("{who} viewed workspace \"{}\"", a.name),
                workspace_group_id: Some(a.workspace_group_id),
                workspace_id: Some(id),
                ..Default::default()
            },
            user,
        ),
        // A look, not a change: the settings shown are the workspace's own.
        (55..63, Some((id, a)), _) => portal(
            AuditEvent {
                kind: "Portal.View".into(),
                reason: format!("{who} viewed the auto-suspend settings of workspace \"{}\"", a.name),
                workspace_group_id: Some(a.workspace_group_id),
                workspace_id: Some(id),
                attributes: Some(match &a.auto_suspend {
                    Some(s) => json!({ "suspendType": s.suspend_type, "idleAfterSeconds": s.idle_after_seconds }),
                    None => json!({ "suspendType": "DISABLED" }),
                }),
                ..Default::default()
            },
            user,
        ),
        (63..70, Some((id, a)), _) => portal(
            AuditEvent {
                kind: "Database.Create".into(),
                reason: format!(
                    "{who} created database \"scratch_{}\" on workspace \"{}\"",
                    rng.random_range(1..99),
                    a.name
                ),
                workspace_group_id: Some(a.workspace_group_id),
                workspace_id: Some(id),
                ..Default::default()
            },
            user,
        ),
        (70..76, _, _) => {
            let n: u32 = rng.random_range(1..500);
            portal(
                AuditEvent {
                    kind: "User.Invite".into(),
                    reason: format!("{who} invited new.hire{n}@acme-analytics.io to the organization"),
                    ..Default::default()
                },
                user,
            )
        }
        (76..82, _, Some(t)) => {
            let member = colleagues.choose(rng).map(|u| u.email.clone()).unwrap_or_default();
            portal(
                AuditEvent {
                    kind: "Team.Update".into(),
                    reason: format!("{who} added {member} to team \"{}\"", t.name),
                    team_id: Some(t.team_id),
                    ..Default::default()
                },
                user,
            )
        }
        (90..96, Some((id, a)), _) => Activity {
            event: AuditEvent {
                kind: "Backup.Complete".into(),
                reason: format!("Scheduled backup of workspace \"{}\" completed", a.name),
                workspace_group_id: Some(a.workspace_group_id),
                workspace_id: Some(id),
                ..Default::default()
            },
            user: system_user(w),
            source: AuditSource::SystemJob,
            user_type: AuditUserType::System,
            api_key_id: None,
        },
        _ => portal(
            AuditEvent {
                kind: "User.Logout".into(),
                reason: format!("{who} ({}) logged out", user.email),
                labels: vec!["authentication".into()],
                ..Default::default()
            },
            user,
        ),
    }
}

/// Appends one random activity, stamped now.
pub fn append_one(w: &mut World, rng: &mut impl Rng) {
    let a = random_activity(w, rng);
    w.push_audit(a.event, &a.user, a.api_key_id, a.source, a.user_type);
}

/// Appends entries at `shared.config.colleague_rate` per second until stopped. Each tick
/// adds `round(rate × elapsed) − appended`, so the long-run rate is exact whatever the
/// timer does.
pub async fn run(shared: AppState, mut stop: watch::Receiver<bool>) {
    let rate = shared.config.colleague_rate.min(MAX_RATE);
    if !(rate > 0.0 && rate.is_finite()) {
        let _ = stop.wait_for(|&s| s).await;
        return;
    }
    let mut rng = StdRng::seed_from_u64(rand::random());
    let tick = Duration::from_secs_f64((1.0 / rate).clamp(0.02, 1.0));
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let start = Instant::now();
    let mut appended: u64 = 0;
    loop {
        tokio::select! {
            _ = stop.wait_for(|&s| s) => return,
            _ = interval.tick() => {}
        }
        let due = (rate * start.elapsed().as_secs_f64()).round() as u64;
        if due > appended {
            let mut w = shared.world();
            for _ in appended..due {
                append_one(&mut w, &mut rng);
            }
            appended = due;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn idle_checks_only_name_active_workspaces_whose_auto_suspend_is_on() {
        let mut w = super::super::seed::build_world(&super::super::SimConfig::default());
        let mut rng = StdRng::seed_from_u64(7);
        let eligible = |w: &World| -> Vec<Uuid> {
            w.workspaces
                .iter()
                .filter(|(_, r)| {
                    r.api.state == WorkspaceState::Active
                        && r.api.auto_suspend.as_ref().is_some_and(|s| s.suspend_type == SuspendType::Idle)
                })
                .map(|(id, _)| *id)
                .collect()
        };
        let on = eligible(&w);
        assert!(on.len() < w.workspaces.len(), "the demo has workspaces without an idle check");
        let mut checks = 0;
        for _ in 0..2000 {
            let a = random_activity(&w, &mut rng);
            if a.event.kind == "Workspace.AutoSuspend" {
                checks += 1;
                assert!(on.contains(&a.event.workspace_id.unwrap()), "{}", a.event.reason);
            }
        }
        assert!(checks > 0);
        // With auto-suspend off everywhere, nobody's idle check runs.
        for r in w.workspaces.values_mut() {
            r.api.auto_suspend = None;
        }
        assert!((0..2000).all(|_| random_activity(&w, &mut rng).event.kind != "Workspace.AutoSuspend"));
    }
}
