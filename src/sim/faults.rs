//! Fault injection: added latency, 429 with Retry-After, 500/503, dropped connections.
//!
//! Faults apply in front of routing, like a flaky load balancer: every API request may be
//! delayed, refused with 429/5xx, or have its connection closed without any response.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Which faults to inject, and how often. Rates are probabilities in `0.0..=1.0`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultSpec {
    /// Added to every request before it is answered.
    pub latency: Duration,
    pub rate_429: f64,
    /// Sent as `Retry-After` on injected 429 replies.
    pub retry_after_secs: u64,
    /// Share of requests answered 500 or 503.
    pub rate_5xx: f64,
    /// Share of requests whose connection is closed without a response.
    pub rate_drop: f64,
}

impl Default for FaultSpec {
    fn default() -> Self {
        Self { latency: Duration::ZERO, rate_429: 0.0, retry_after_secs: 1, rate_5xx: 0.0, rate_drop: 0.0 }
    }
}

impl FaultSpec {
    /// No faults at all.
    pub fn none() -> Self {
        Self::default()
    }

    pub fn is_none(&self) -> bool {
        self.latency.is_zero() && self.rate_429 <= 0.0 && self.rate_5xx <= 0.0 && self.rate_drop <= 0.0
    }
}

/// One fault, applied to exactly one request: the next API request (`SimHandle::inject`) or
/// the next download from the object-store host (`SimHandle::inject_blob`).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    TooManyRequests {
        retry_after_secs: u64,
    },
    /// 500 or 503.
    ServerError(u16),
    /// Close the connection without sending anything; on the object-store host, cut the
    /// body half-way (the declared length stays, so the transfer ends short).
    Drop,
    /// Answer normally, but only after this delay.
    Latency(Duration),
}

/// Parses `latency=2s,429=10%,5xx=5%,drop=2%,retry-after=1`; `none` (or an empty string)
/// means no faults. Rates take `10%` or a fraction such as `0.1`.
impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("none") {
            return Ok(spec);
        }
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("fault {part:?} has no value: expected KEY=VALUE, e.g. 429=10%"))?;
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            match key.as_str() {
                "latency" => spec.latency = parse_duration(value)?,
                "429" => spec.rate_429 = parse_rate(&key, value)?,
                "5xx" | "500" => spec.rate_5xx = parse_rate(&key, value)?,
                "drop" => spec.rate_drop = parse_rate(&key, value)?,
                "retry-after" | "retry_after" => {
                    spec.retry_after_secs = value
                        .trim_end_matches('s')
                        .parse()
                        .map_err(|_| format!("retry-after {value:?} is not a whole number of seconds"))?
                }
                other => {
                    return Err(format!("unknown fault {other:?}: expected latency, 429, 5xx, drop or retry-after"));
                }
            }
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            return f.write_str("none");
        }
        write!(
            f,
            "latency={}ms,429={}%,5xx={}%,drop={}%,retry-after={}",
            self.latency.as_millis(),
            self.rate_429 * 100.0,
            self.rate_5xx * 100.0,
            self.rate_drop * 100.0,
            self.retry_after_secs
        )
    }
}

fn parse_rate(key: &str, value: &str) -> Result<f64, String> {
    let (number, scale) = match value.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (value, 1.0),
    };
    let rate =
        number.parse::<f64>().map_err(|_| format!("{key} rate {value:?} is not a number: expected e.g. 10% or 0.1"))?
            / scale;
    if !(0.0..=1.0).contains(&rate) || rate.is_nan() {
        return Err(format!("{key} rate {value:?} must be between 0% and 100%"));
    }
    Ok(rate)
}

/// `250ms`, `2s`, `1.5s`, `1m`, or a bare number of milliseconds.
fn parse_duration(value: &str) -> Result<Duration, String> {
    let err = || format!("latency {value:?} is not a duration: expected e.g. 250ms, 2s or 1m");
    let (number, unit_secs) = if let Some(n) = value.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('m') {
        (n, 60.0)
    } else {
        (value, 0.001)
    };
    let n: f64 = number.trim().parse().map_err(|_| err())?;
    if !n.is_finite() || n < 0.0 {
        return Err(err());
    }
    Ok(Duration::from_secs_f64(n * unit_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_form() {
        let spec: FaultSpec = "latency=2s,429=10%,5xx=5%,drop=2%,retry-after=1".parse().unwrap_or_default();
        assert_eq!(spec.latency, Duration::from_secs(2));
        assert!((spec.rate_429 - 0.10).abs() < 1e-9);
        assert!((spec.rate_5xx - 0.05).abs() < 1e-9);
        assert!((spec.rate_drop - 0.02).abs() < 1e-9);
        assert_eq!(spec.retry_after_secs, 1);
        assert_eq!("none".parse::<FaultSpec>(), Ok(FaultSpec::default()));
        assert_eq!("latency=250ms".parse::<FaultSpec>().map(|s| s.latency), Ok(Duration::from_millis(250)));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = "429=lots".parse::<FaultSpec>().err().unwrap_or_default();
        assert!(e.contains("429"), "{e}");
        let e = "flood=1%".parse::<FaultSpec>().err().unwrap_or_default();
        assert!(e.contains("unknown fault"), "{e}");
        let e = "drop=150%".parse::<FaultSpec>().err().unwrap_or_default();
        assert!(e.contains("between"), "{e}");
        let e = "latency".parse::<FaultSpec>().err().unwrap_or_default();
        assert!(e.contains("KEY=VALUE"), "{e}");
    }
}
