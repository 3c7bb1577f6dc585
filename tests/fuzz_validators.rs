//! Property tests: form validators get whatever is typed or pasted into a field. They never
//! panic, refuse with a message, and agree with the rules they state.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use s2tui::widgets::form::{admin_password, cidr, cidr_list, expiry, go_duration, required, resource_name, seconds};

const CASES: u32 = 256;

/// What people type into these fields: anything, and things close to valid.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F.:/ ,]{0,40}",
        "[0-9]{1,25}[dhms]{0,2}[0-9]{0,25}[dhms]?",
        "[a-zA-Z][a-zA-Z0-9_-]{0,70}",
        "[ -~]{10,20}",
        (any::<[u8; 4]>(), 0u8..40).prop_map(|(ip, p)| format!("{}.{}.{}.{}/{p}", ip[0], ip[1], ip[2], ip[3])),
        (any::<u128>(), 0u8..140).prop_map(|(ip, p)| format!("{}/{p}", std::net::Ipv6Addr::from(ip))),
        (0i64..4_000_000_000).prop_map(|s| chrono::DateTime::from_timestamp(s, 0).unwrap().to_rfc3339()),
    ]
}

fn refused_with_a_message(r: Result<(), String>) -> Result<(), TestCaseError> {
    if let Err(message) = r {
        prop_assert!(!message.trim().is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn validators_never_panic(s in typed()) {
        for validator in [required, resource_name, cidr, cidr_list, expiry, seconds, admin_password] {
            refused_with_a_message(validator(&s))?;
        }
        let _ = go_duration(&s);
    }

    #[test]
    fn the_simulator_reads_any_expiry_without_panicking(s in prop_oneof![typed(), "[0-9.]{1,30}(ns|us|µs|ms|s|m|h){1,2}"]) {
        let now = chrono::Utc::now();
        let parsed = s2tui::sim::routes::parse_expires_at(&s, now);
        // A duration counts from now: never into the past.
        if s.starts_with(|c: char| c.is_ascii_digit()) && s.ends_with(['s', 'm', 'h']) && !s.contains(['-', ':']) {
            prop_assert!(parsed.is_err() || parsed.unwrap() >= now, "{:?}", s);
        }
    }

    #[test]
    fn resource_names_follow_the_stated_rule(s in typed()) {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        prop_assert_eq!(resource_name(&s).is_ok(), ok, "{:?}", s);
    }

    #[test]
    fn an_accepted_cidr_is_an_address_with_a_prefix_in_range(s in typed()) {
        if cidr(&s).is_ok() {
            let (addr, prefix) = s.split_once('/').map_or((s.as_str(), None), |(a, p)| (a, Some(p)));
            let ip: std::net::IpAddr = addr.parse().unwrap();
            if let Some(p) = prefix {
                let max = if ip.is_ipv4() { 32 } else { 128 };
                prop_assert!(p.parse::<u8>().unwrap() <= max);
            }
        }
        // A list is accepted exactly when each of its items is.
        let items_ok = s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()).all(|p| cidr(p).is_ok());
        prop_assert_eq!(cidr_list(&s).is_ok(), items_ok);
    }

    #[test]
    fn durations_add_up(d in 0u64..1000, h in 0u64..1000, m in 0u64..1000, s in 0u64..1000) {
        let text = format!("{d}d{h}h{m}m{s}s");
        prop_assert_eq!(go_duration(&text), Some(d * 86_400 + h * 3600 + m * 60 + s));
        prop_assert!(expiry(&text).is_ok());
    }

    #[test]
    fn seconds_accepts_whole_numbers_from_sixty(n in any::<u64>()) {
        prop_assert_eq!(seconds(&n.to_string()).is_ok(), n >= 60);
    }
}
