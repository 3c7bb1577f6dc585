//! Property tests: Stage paths come from people, from the server and from file names on disk.
//! The client's helpers never panic, normalising twice changes nothing, URL encoding decodes back
//! to the same path, and the simulator reads a path the client normalised as the same entry.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use s2tui::api::stage_path::{as_folder, encode, file_name, is_folder, join, normalize, normalize_entry, parent};
use s2tui::sim::stage::StagePath;

const CASES: u32 = 256;

/// Paths as typed or received: slashes, dots, blanks, control and non-ASCII characters.
fn raw_path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[a-zA-Z0-9_.-]{1,8}",
        Just(".".to_string()),
        Just("..".to_string()),
        Just(" ".to_string()),
        "[ -~]{1,6}",
        "\\PC{1,4}",
        any::<char>().prop_map(String::from),
    ];
    (proptest::collection::vec((segment, "/{0,3}"), 0..6), "/{0,2}")
        .prop_map(|(parts, lead)| parts.into_iter().fold(lead, |acc, (seg, sep)| acc + &seg + &sep))
}

/// A path the client accepts.
fn good_path() -> impl Strategy<Value = String> {
    raw_path().prop_filter_map("refused paths", |p| normalize(&p).ok())
}

/// One segment of a name: no slash, not `.`/`..`, not blank, no control characters.
fn name() -> impl Strategy<Value = String> {
    "[^/\\p{Cc}]{1,12}".prop_filter("dot segments and blanks", |n| n != "." && n != ".." && !n.trim().is_empty())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn helpers_never_panic_on_anything(p in prop_oneof![raw_path(), any::<String>()], q in any::<String>()) {
        let _ = normalize(&p);
        let _ = normalize_entry(&p);
        let _ = (is_folder(&p), as_folder(&p), parent(&p), file_name(&p), encode(&p), join(&p, &q), join(&q, &p));
        let _ = StagePath::parse(&p);
    }

    #[test]
    fn normalize_is_idempotent_and_keeps_the_folder_mark(p in raw_path()) {
        if let Ok(n) = normalize(&p) {
            prop_assert_eq!(normalize(&n).ok(), Some(n.clone()));
            prop_assert!(!n.starts_with('/') && !n.contains("//"), "{:?} → {:?}", p, n);
            if !n.is_empty() {
                prop_assert_eq!(n.ends_with('/'), p.ends_with('/'), "{:?} → {:?}", p, n);
            }
            prop_assert_eq!(normalize_entry(&p).is_ok(), !n.is_empty());
        }
    }

    #[test]
    fn encoding_decodes_back_and_uses_only_safe_characters(p in prop_oneof![raw_path(), any::<String>()]) {
        let encoded = encode(&p);
        prop_assert!(
            encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
            "{:?}", encoded
        );
        prop_assert_eq!(percent_decode(&encoded), Some(p.clone()));
        // Segments stay segments: only the path's own slashes are left unescaped.
        prop_assert_eq!(encoded.matches('/').count(), p.matches('/').count());
    }

    #[test]
    fn join_parent_and_file_name_agree(folder in good_path(), n in name(), as_dir in any::<bool>()) {
        let child_name = if as_dir { format!("{n}/") } else { n.clone() };
        let child = join(&folder, &child_name);
        prop_assert_eq!(normalize(&child).ok(), Some(child.clone()), "joining normalised parts gives a normal path");
        prop_assert_eq!(parent(&child), if folder.is_empty() { String::new() } else { as_folder(&folder) });
        prop_assert_eq!(file_name(&child), n.as_str());
        prop_assert_eq!(is_folder(&child), as_dir);
    }

    #[test]
    fn the_simulator_reads_a_normalised_path_as_the_same_entry(p in raw_path()) {
        if let Ok(n) = normalize(&p) {
            let sim = StagePath::parse(&p).unwrap();
            prop_assert_eq!(sim.key(), n.clone(), "{:?}", p);
            prop_assert_eq!(StagePath::parse(&n).unwrap(), sim.clone());
            prop_assert_eq!(sim.parent_key(), parent(&n));
            prop_assert_eq!(sim.name(), file_name(&n));
        }
        // Whatever the simulator accepts, its key parses back to itself.
        if let Ok(sim) = StagePath::parse(&p) {
            prop_assert_eq!(StagePath::parse(&sim.key()).unwrap().key(), sim.key());
        }
    }
}
