//! When to repeat a request, and how long to wait first.
//!
//! Only GETs are repeated: a mutation that timed out may well have been applied, and the
//! API has no idempotency keys, so repeating it could e.g. create two workspaces. Waits are
//! capped exponential backoff with full jitter, except that a 429's `Retry-After` is obeyed.
//! Both the number of retries and the total time are bounded.

use std::time::{Duration, SystemTime};

use reqwest::Method;

use super::error::ApiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Backoff cap of the first retry; doubles for each further one.
    pub base_delay: Duration,
    /// Largest backoff cap.
    pub max_delay: Duration,
    /// No retry is started (or waited for) past this much time since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    RetryAfter(Duration),
    GiveUp,
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// Tiny delays, for tests and the local simulator.
    pub fn fast() -> Self {
        Self {
            max_retries: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            max_elapsed: Duration::from_secs(5),
        }
    }

    /// Upper bound of the backoff before retry number `retry` (0-based).
    pub fn backoff_cap(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_delay.checked_mul(factor).unwrap_or(self.max_delay).min(self.max_delay)
    }

    /// Full jitter: a uniform pick in `[0, cap]`; `unit` is a number in `[0, 1]`.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        self.backoff_cap(retry).mul_f64(unit.clamp(0.0, 1.0))
    }

    /// Decides whether to retry after `err`, given `retries_done` so far and the time since
    /// the first attempt. `unit` is the jitter draw in `[0, 1]` (injected for testability).
    pub fn decide(&self, method: &Method, retries_done: u32, elapsed: Duration, err: &ApiError, unit: f64) -> Decision {
        if *method != Method::GET || !err.is_retryable() || retries_done >= self.max_retries {
            return Decision::GiveUp;
        }
        let Some(remaining) = self.max_elapsed.checked_sub(elapsed) else {
            return Decision::GiveUp;
        };
        if remaining.is_zero() {
            return Decision::GiveUp;
        }
        match err.retry_after() {
            // The server said when; waiting less would just earn another 429.
            Some(wait) if wait > remaining => Decision::GiveUp,
            Some(wait) => Decision::RetryAfter(wait),
            None => Decision::RetryAfter(self.backoff(retries_done, unit).min(remaining)),
        }
    }
}

/// Parses a `Retry-After` value: delay seconds or an HTTP-date (relative to `now`).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return v.parse::<u64>().ok().map(Duration::from_secs);
    }
    if let Ok(secs) = v.parse::<f64>() {
        // A huge value would overflow a Duration; it is then no usable hint at all.
        return Duration::try_from_secs_f64(secs).ok();
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is valid RFC 2822.
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let at = SystemTime::from(at.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn server_error() -> ApiError {
        ApiError::from_status(503, "busy", "GET", "/v1/regions", None)
    }

    fn rate_limited(secs: u64) -> ApiError {
        ApiError::from_status(429, "slow down", "GET", "/v1/regions", Some(Duration::from_secs(secs)))
    }

    #[test]
    fn an_absurd_retry_after_is_ignored_not_a_panic() {
        assert_eq!(parse_retry_after("1e20", SystemTime::now()), None);
        assert_eq!(parse_retry_after("-3.5", SystemTime::now()), None);
    }

    #[test]
    fn defaults_match_the_documented_budget() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_retries, 4);
        assert_eq!(p.base_delay, Duration::from_millis(500));
        assert_eq!(p.max_delay, Duration::from_secs(30));
        assert_eq!(p.max_elapsed, Duration::from_secs(60));
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::fast();
        assert_eq!(p.backoff_cap(0), Duration::from_millis(5));
        assert_eq!(p.backoff_cap(1), Duration::from_millis(10));
        assert_eq!(p.backoff_cap(2), Duration::from_millis(20));
        assert_eq!(p.backoff_cap(3), Duration::from_millis(40));
        assert_eq!(p.backoff_cap(4), Duration::from_millis(50));
        assert_eq!(p.backoff_cap(40), Duration::from_millis(50));
        assert_eq!(p.backoff(2, 0.0), Duration::ZERO);
        assert_eq!(p.backoff(2, 0.5), Duration::from_millis(10));
        assert_eq!(p.backoff(2, 1.0), Duration::from_millis(20));
        assert_eq!(p.backoff(2, 7.0), Duration::from_millis(20));
        let d = RetryPolicy::default();
        assert_eq!(d.backoff_cap(10), Duration::from_secs(30));
    }

    #[test]
    fn only_gets_are_retried() {
        let p = RetryPolicy::fast();
        let e = server_error();
        assert!(matches!(p.decide(&Method::GET, 0, Duration::ZERO, &e, 1.0), Decision::RetryAfter(_)));
        for m in [Method::POST, Method::PATCH, Method::PUT, Method::DELETE] {
            assert_eq!(p.decide(&m, 0, Duration::ZERO, &e, 1.0), Decision::GiveUp);
        }
    }

    #[test]
    fn retries_are_bounded_in_count_and_time() {
        let p = RetryPolicy::fast();
        let e = server_error();
        assert_eq!(p.decide(&Method::GET, 3, Duration::ZERO, &e, 1.0), Decision::RetryAfter(Duration::from_millis(40)));
        assert_eq!(p.decide(&Method::GET, 4, Duration::ZERO, &e, 1.0), Decision::GiveUp);
        assert_eq!(p.decide(&Method::GET, 0, p.max_elapsed, &e, 1.0), Decision::GiveUp);
        // Close to the deadline the wait shrinks to what is left.
        let near = p.max_elapsed - Duration::from_millis(2);
        assert_eq!(p.decide(&Method::GET, 3, near, &e, 1.0), Decision::RetryAfter(Duration::from_millis(2)));
    }

    #[test]
    fn non_retryable_errors_give_up() {
        let p = RetryPolicy::fast();
        for s in [400, 401, 403, 404, 409, 501] {
            let e = ApiError::from_status(s, "", "GET", "/p", None);
            assert_eq!(p.decide(&Method::GET, 0, Duration::ZERO, &e, 1.0), Decision::GiveUp);
        }
        let t = ApiError::Transport { message: "connection reset".into(), method: "GET".into(), path: "/p".into() };
        assert!(matches!(p.decide(&Method::GET, 0, Duration::ZERO, &t, 1.0), Decision::RetryAfter(_)));
    }

    #[test]
    fn retry_after_is_obeyed_or_gives_up_past_the_budget() {
        let p = RetryPolicy { max_elapsed: Duration::from_secs(10), ..RetryPolicy::fast() };
        assert_eq!(
            p.decide(&Method::GET, 0, Duration::ZERO, &rate_limited(3), 0.0),
            Decision::RetryAfter(Duration::from_secs(3))
        );
        assert_eq!(p.decide(&Method::GET, 0, Duration::from_secs(8), &rate_limited(3), 0.0), Decision::GiveUp);
        // A 429 without Retry-After backs off like any other retryable error.
        let bare = ApiError::from_status(429, "", "GET", "/p", None);
        assert_eq!(
            p.decide(&Method::GET, 1, Duration::ZERO, &bare, 1.0),
            Decision::RetryAfter(Duration::from_millis(10))
        );
    }

    #[test]
    fn parses_retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // 1994-11-06T08:49:37Z
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("0.25", now), Some(Duration::from_millis(250)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        // A date in the past means "now".
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
