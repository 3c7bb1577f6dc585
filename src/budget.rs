//! The request budget of idle refreshes. Reading every group's workspaces on every refresh
//! costs one request per group, which with hundreds of groups would run into the API's rate
//! limits while nobody looks. Idle refreshes instead spend a budget that fills at a steady rate
//! (`request_rate`, 2 per second by default): the groups on screen first, then the ones read
//! longest ago, so every group is read again in turn. `ctrl-r` still reads everything at once.
//! The other readers that fan out or run off screen spend the same budget: every group's
//! private connections and every known job (a slower cadence when there are many), and the
//! audit tail's polls while another pane is shown (after what that pane read).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use uuid::Uuid;

#[derive(Debug, Default)]
pub struct Budget {
    /// Requests that may be sent now: fills at the rate, holds at most one refresh period's worth.
    tokens: f64,
    filled_at: Option<Instant>,
    /// When each group's workspaces were last asked for.
    asked: HashMap<Uuid, Instant>,
    /// The next read of every group's workspaces asks for all of them (`ctrl-r`, the first load).
    pub everything: bool,
}

impl Budget {
    /// Adds what the rate earned since the last fill; at most `rate × period` are kept, so an
    /// idle hour does not become a burst.
    fn fill(&mut self, now: Instant, rate: f64, period: Duration) {
        let cap = (rate * period.as_secs_f64()).max(1.0);
        self.tokens = match self.filled_at {
            None => cap,
            Some(at) => (self.tokens + rate * now.saturating_duration_since(at).as_secs_f64()).min(cap),
        };
        self.filled_at = Some(now);
    }

    /// Spends `n` requests that are sent whatever the budget says (the groups list itself).
    pub fn spend(&mut self, now: Instant, rate: f64, period: Duration, n: usize) {
        self.fill(now, rate, period);
        self.tokens -= n as f64;
    }

    /// Whether a read that costs `cost` requests at once may go now (then it is spent): always
    /// when the user `asked` for it, else when the budget holds what it costs (at most one
    /// period's worth). A read costing more than one period's worth leaves it in debt, so the
    /// next idle one waits until the rate has paid for this one.
    pub fn afford(&mut self, now: Instant, rate: f64, period: Duration, cost: usize, asked: bool) -> bool {
        self.fill(now, rate, period);
        let cap = (rate * period.as_secs_f64()).max(1.0);
        if !asked && self.tokens < (cost as f64).min(cap) {
            return false;
        }
        self.tokens -= cost as f64;
        true
    }

    /// The groups whose workspaces to read now: all of them when everything was asked for,
    /// otherwise as many as the budget allows, those on screen (`visible`) first, then the
    /// ones read longest ago (never read: first of all).
    pub fn pick(&mut self, now: Instant, rate: f64, period: Duration, all: &[Uuid], visible: &[Uuid]) -> Vec<Uuid> {
        self.fill(now, rate, period);
        // What the user asked for is read at once and costs the idle budget nothing.
        if std::mem::take(&mut self.everything) {
            self.mark(now, all);
            return all.to_vec();
        }
        let picked: Vec<Uuid> = {
            let room = self.tokens.max(0.0).floor() as usize;
            let oldest_first = |ids: &mut Vec<Uuid>| ids.sort_by_key(|g| self.asked.get(g).copied());
            let mut shown: Vec<Uuid> = visible.iter().filter(|g| all.contains(g)).copied().collect();
            shown.dedup();
            oldest_first(&mut shown);
            let mut rest: Vec<Uuid> = all.iter().filter(|g| !shown.contains(g)).copied().collect();
            oldest_first(&mut rest);
            shown.into_iter().chain(rest).take(room).collect()
        };
        self.tokens -= picked.len() as f64;
        self.mark(now, &picked);
        picked
    }

    fn mark(&mut self, now: Instant, groups: &[Uuid]) {
        for g in groups {
            self.asked.insert(*g, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    #[test]
    fn visible_groups_go_first_then_the_longest_unread_in_turn() {
        let (all, period) = (ids(50), Duration::from_secs(10));
        let mut b = Budget::default();
        let t0 = Instant::now();
        let visible = [Uuid::from_u128(40), Uuid::from_u128(41)];
        let first = b.pick(t0, 2.0, period, &all, &visible);
        assert_eq!(first.len(), 20, "one period's worth at 2 per second");
        assert_eq!(&first[..2], &visible);
        let second = b.pick(t0 + period, 2.0, period, &all, &visible);
        assert_eq!(&second[..2], &visible, "what is on screen is read every time");
        assert!(second[2..].iter().all(|g| !first.contains(g)), "the rest in turn, none twice");
        assert!(b.pick(t0 + period, 2.0, period, &all, &visible).is_empty(), "nothing left to spend");
    }

    #[test]
    fn a_read_larger_than_a_period_waits_until_the_rate_paid_for_it() {
        let (mut b, period, t0) = (Budget::default(), Duration::from_secs(10), Instant::now());
        assert!(b.afford(t0, 2.0, period, 501, false));
        // 481 requests of debt at 2 a second: about four minutes.
        assert!(!b.afford(t0 + Duration::from_secs(230), 2.0, period, 501, false));
        assert!(b.afford(t0 + Duration::from_secs(251), 2.0, period, 501, false));
        assert!(b.afford(t0 + Duration::from_secs(252), 2.0, period, 501, true), "ctrl-r reads now");
    }

    #[test]
    fn everything_reads_every_group_once() {
        let all = ids(500);
        let mut b = Budget { everything: true, ..Budget::default() };
        assert_eq!(b.pick(Instant::now(), 2.0, Duration::from_secs(10), &all, &[]).len(), 500);
        assert!(!b.everything);
    }
}
