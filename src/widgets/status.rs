//! How a read's outcome shows in a pane, the same in every pane: a list that could not be read
//! says what failed and what to do instead of looking empty, and a list whose refresh failed
//! keeps its rows and says since when they are old.

use std::time::Instant;

use ratatui::text::Span;

use crate::state::{Failure, Resource, human_duration};
use crate::theme::Theme;

/// What the user can do about `failure`. `retry_at` is when the pane reads again by itself.
pub fn advice(failure: &Failure, retry_at: Option<Instant>, now: Instant) -> String {
    let retrying = || match retry_at {
        Some(at) if at > now => format!("Retrying in {}.", human_duration(at - now)),
        Some(_) => "Retrying now.".to_string(),
        None => "Press ctrl-r to retry.".to_string(),
    };
    match failure.status {
        Some(401) => {
            "The API key is wrong or revoked: `s2tui get org` shows which organization a key opens.".to_string()
        }
        Some(403) => {
            "The key may not do this: the organization may be out of credits, or the API firewall blocks this address."
                .to_string()
        }
        // No answer at all, a throttle or a server error: the next read may well succeed.
        None | Some(408 | 429 | 500..) => retrying(),
        Some(_) => "Press ctrl-r to read again.".to_string(),
    }
}

/// A read the user asked for once failed (a describe, a form's choices), for a toast (which
/// marks it as an error): what failed, the API's words and what to do; `again` says how to ask again when trying again may help.
pub fn failed_once(what: &str, failure: &Failure, again: &str) -> String {
    let todo = match failure.status {
        Some(401 | 403) => advice(failure, None, failure.at),
        _ => again.to_string(),
    };
    format!("Could not read the {what}: {failure}. {todo}")
}

/// Lines for a pane's body: what could not be read (`what`: "workspaces") and how long ago, the
/// API's answer on a line of its own (it can be long), then what to do.
pub fn failed(what: &str, failure: &Failure, retry_at: Option<Instant>, now: Instant) -> String {
    let ago = human_duration(now.saturating_duration_since(failure.at));
    format!("✗ Could not read the {what} ({ago} ago):\n  {failure}\n{}", advice(failure, retry_at, now))
}

/// The body of a list with no rows: the failure if its last read failed (a failed read is
/// never shown as an empty list), "loading" before the first answer, else `none`.
pub fn empty<T>(what: &str, resource: &Resource<T>, none: &str, retry_at: Option<Instant>, now: Instant) -> String {
    match &resource.error {
        Some(failure) => failed(what, failure, retry_at, now),
        None if resource.value.is_none() => format!("Loading {what}…"),
        None => none.to_string(),
    }
}

/// For a list title: the failure of the last refresh while older rows are still shown.
pub fn stale<T>(resource: &Resource<T>, now: Instant, theme: &Theme) -> Option<Span<'static>> {
    let failure = resource.error.as_ref().filter(|_| resource.value.is_some())?;
    Some(stale_span(failure, now, theme))
}

/// "✗ refresh failed 12s ago: 503 Service Unavailable …", short enough for a title.
pub fn stale_span(failure: &Failure, now: Instant, theme: &Theme) -> Span<'static> {
    let ago = human_duration(now.saturating_duration_since(failure.at));
    let short: String = failure.message.chars().take(60).collect();
    Span::styled(format!("✗ refresh failed {ago} ago: {short} "), theme.error)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn failure(status: Option<u16>, at: Instant) -> Failure {
        Failure { message: "boom".into(), status, at }
    }

    #[test]
    fn each_kind_of_failure_says_what_to_do() {
        let now = Instant::now();
        let then = now.checked_sub(Duration::from_secs(12)).unwrap_or(now);
        let key = failed("workspaces", &failure(Some(401), then), None, now);
        assert!(key.starts_with("✗ Could not read the workspaces (12s ago):\n  boom\n"), "{key}");
        assert!(key.contains("s2tui get org"), "{key}");
        assert!(advice(&failure(Some(403), now), None, now).contains("credits"));
        assert!(advice(&failure(Some(403), now), None, now).contains("firewall"));
        let soon = Some(now + Duration::from_secs(7));
        assert_eq!(advice(&failure(Some(503), now), soon, now), "Retrying in 7s.");
        assert_eq!(advice(&failure(None, now), soon, now), "Retrying in 7s.");
        assert_eq!(advice(&failure(Some(400), now), soon, now), "Press ctrl-r to read again.");
        let once = failed_once("runtimes", &failure(Some(503), now), "Open the form again.");
        assert_eq!(once, "Could not read the runtimes: boom. Open the form again.");
        assert!(failed_once("runtimes", &failure(Some(401), now), "Open the form again.").contains("s2tui get org"));
    }

    #[test]
    fn a_failed_read_is_never_an_empty_list() {
        let now = Instant::now();
        let mut r: Resource<Vec<u8>> = Resource::default();
        assert_eq!(empty("things", &r, "No things.", None, now), "Loading things…");
        r.value = Some(Vec::new());
        assert_eq!(empty("things", &r, "No things.", None, now), "No things.");
        r.error = Some(failure(Some(500), now));
        assert!(empty("things", &r, "No things.", None, now).starts_with("✗ Could not read the things"));
        assert!(stale(&r, now, &Theme::default()).is_some_and(|s| s.content.contains("refresh failed 0s ago")));
    }
}
