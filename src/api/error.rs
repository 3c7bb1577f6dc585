//! Errors of the API client: one variant per thing a caller reacts to differently.
//!
//! The service's error bodies are opaque plain text, so HTTP variants keep that
//! text (trimmed and capped) next to the request that caused it. Paths never carry a query
//! string, so nothing that was sent as a parameter can leak into a log or a toast.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Longest server message kept in an error.
pub const MESSAGE_CAP: usize = 2048;
/// Longest body excerpt kept when a reply does not decode.
pub const SNIPPET_CAP: usize = 200;

#[derive(thiserror::Error, Debug, Clone)]
pub enum ApiError {
    #[error("{}", http_line(*status, message, method, path))]
    Unauthorized { status: u16, message: String, method: String, path: String },
    #[error("{}", http_line(*status, message, method, path))]
    Forbidden { status: u16, message: String, method: String, path: String },
    #[error("{}", http_line(*status, message, method, path))]
    NotFound { status: u16, message: String, method: String, path: String },
    #[error("{}", http_line(*status, message, method, path))]
    Conflict { status: u16, message: String, method: String, path: String },
    #[error("{}", http_line(*status, message, method, path))]
    BadRequest { status: u16, message: String, method: String, path: String },
    #[error("{}{}", http_line(*status, message, method, path), retry_hint(*retry_after))]
    RateLimited { status: u16, message: String, method: String, path: String, retry_after: Option<Duration> },
    #[error("{}", http_line(*status, message, method, path))]
    Server { status: u16, message: String, method: String, path: String },
    /// Any other unexpected status (including redirects where none was expected).
    #[error("{}", http_line(*status, message, method, path))]
    Http { status: u16, message: String, method: String, path: String },
    /// Connection refused, reset or dropped; TLS failures.
    #[error("connection failed: {message} ({method} {path})")]
    Transport { message: String, method: String, path: String },
    #[error("timed out after {}s ({method} {path})", after.as_secs_f32())]
    Timeout { after: Duration, method: String, path: String },
    /// The reply was not the JSON we expected; `snippet` is the start of the body, `status`
    /// the (successful) status it came with, when known.
    #[error("unexpected reply ({method} {path}): {message}; body starts with {snippet:?}")]
    Decode { message: String, snippet: String, method: String, path: String, status: Option<u16> },
    /// The reply was longer than the client accepts (see `ClientConfig::max_body`).
    #[error("reply too large: more than {} MB ({method} {path})", limit / 1_000_000)]
    TooLarge { limit: usize, method: String, path: String },
    /// A local file operation failed during a transfer.
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("{0}")]
    InvalidInput(String),
    #[error("cancelled")]
    Cancelled,
}

impl ApiError {
    /// Builds the variant that matches an HTTP error status.
    pub fn from_status(status: u16, body: &str, method: &str, path: &str, retry_after: Option<Duration>) -> Self {
        let message = cap_message(body);
        let method = method.to_string();
        let path = strip_query(path).to_string();
        match status {
            400 => ApiError::BadRequest { status, message, method, path },
            401 => ApiError::Unauthorized { status, message, method, path },
            403 => ApiError::Forbidden { status, message, method, path },
            404 => ApiError::NotFound { status, message, method, path },
            409 => ApiError::Conflict { status, message, method, path },
            429 => ApiError::RateLimited { status, message, method, path, retry_after },
            500..=599 => ApiError::Server { status, message, method, path },
            _ => ApiError::Http { status, message, method, path },
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ApiError::Io { action, path: path.into(), source: Arc::new(source) }
    }

    pub fn decode(err: &serde_json::Error, body: &[u8], method: &str, path: &str) -> Self {
        let text = String::from_utf8_lossy(body);
        // A secret's reply carries its value: none of it may reach a message or a log.
        let snippet = if may_hold_secret(method, strip_query(path)) {
            "(not shown: the reply may hold a secret value or password)".to_string()
        } else {
            truncate_chars(text.trim(), SNIPPET_CAP)
        };
        ApiError::Decode {
            message: err.to_string(),
            snippet,
            method: method.to_string(),
            path: strip_query(path).to_string(),
            status: None,
        }
    }

    /// The status a reply that could not be read came with.
    pub fn with_status(mut self, code: u16) -> Self {
        if let ApiError::Decode { status, .. } = &mut self {
            *status = Some(code);
        }
        self
    }

    /// The HTTP status, for errors the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized { status, .. }
            | ApiError::Forbidden { status, .. }
            | ApiError::NotFound { status, .. }
            | ApiError::Conflict { status, .. }
            | ApiError::BadRequest { status, .. }
            | ApiError::RateLimited { status, .. }
            | ApiError::Server { status, .. }
            | ApiError::Http { status, .. } => Some(*status),
            ApiError::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// The server's plain-text reason for HTTP errors; a short description otherwise.
    pub fn message(&self) -> Cow<'_, str> {
        match self {
            ApiError::Unauthorized { message, .. }
            | ApiError::Forbidden { message, .. }
            | ApiError::NotFound { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::BadRequest { message, .. }
            | ApiError::RateLimited { message, .. }
            | ApiError::Server { message, .. }
            | ApiError::Http { message, .. }
            | ApiError::Transport { message, .. }
            | ApiError::Decode { message, .. } => Cow::Borrowed(message),
            ApiError::InvalidInput(message) => Cow::Borrowed(message),
            ApiError::Timeout { .. } | ApiError::TooLarge { .. } | ApiError::Io { .. } | ApiError::Cancelled => {
                Cow::Owned(self.to_string())
            }
        }
    }

    /// Whether repeating the same request may succeed (only GETs are ever repeated).
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::RateLimited { .. } | ApiError::Transport { .. } | ApiError::Timeout { .. } => true,
            // 501 means the server will never support the call.
            ApiError::Server { status, .. } => *status != 501,
            _ => false,
        }
    }

    /// How long the server asked us to wait (429 with `Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The request this error belongs to (`GET /v1/...`), if any.
    pub fn request(&self) -> Option<(&str, &str)> {
        match self {
            ApiError::Unauthorized { method, path, .. }
            | ApiError::Forbidden { method, path, .. }
            | ApiError::NotFound { method, path, .. }
            | ApiError::Conflict { method, path, .. }
            | ApiError::BadRequest { method, path, .. }
            | ApiError::RateLimited { method, path, .. }
            | ApiError::Server { method, path, .. }
            | ApiError::Http { method, path, .. }
            | ApiError::Transport { method, path, .. }
            | ApiError::Timeout { method, path, .. }
            | ApiError::TooLarge { method, path, .. }
            | ApiError::Decode { method, path, .. } => Some((method, path)),
            _ => None,
        }
    }
}

fn http_line(status: u16, message: &str, method: &str, path: &str) -> String {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    let head = if reason.is_empty() { status.to_string() } else { format!("{status} {reason}") };
    if message.is_empty() {
        format!("{head} ({method} {path})")
    } else {
        format!("{head}: {message} ({method} {path})")
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(", retry after {}s", d.as_secs_f32().ceil()),
        None => String::new(),
    }
}

/// Trims a body and caps it at [`MESSAGE_CAP`] bytes on a char boundary. Control and escape
/// characters go: the message reaches terminals and logs.
pub fn cap_message(body: &str) -> String {
    let clean = crate::sanitize::multi_line(body);
    let t = clean.trim();
    if t.len() <= MESSAGE_CAP {
        return t.to_string();
    }
    let mut end = MESSAGE_CAP;
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &t[..end])
}

fn truncate_chars(s: &str, max: usize) -> String {
    let s = &*crate::sanitize::one_line(s);
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Replies that can carry a secret value or a generated password: secrets at either version,
/// the creation of a group or cluster (the admin password), starter database users.
fn may_hold_secret(method: &str, path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/').skip(1);
    let family = segments.next().unwrap_or_default();
    let creates = method.eq_ignore_ascii_case("POST") && matches!(family, "workspaceGroups" | "clusters");
    family == "secrets" || creates || path.trim_end_matches('/').ends_with("/users")
}

/// The path part of a request target, without a query string or fragment.
pub fn strip_query(path: &str) -> &str {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    &path[..end]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn display_names_status_reason_message_and_request() {
        let e = ApiError::from_status(404, "  workspace not found\n", "GET", "/v1/workspaces/abc?fields=x", None);
        assert_eq!(e.to_string(), "404 Not Found: workspace not found (GET /v1/workspaces/abc)");
        assert_eq!(e.status(), Some(404));
        assert_eq!(e.message(), "workspace not found");
        assert!(!e.is_retryable());
        assert!(matches!(e, ApiError::NotFound { .. }));
    }

    #[test]
    fn statuses_map_to_variants() {
        let v = |s| ApiError::from_status(s, "x", "GET", "/p", None);
        assert!(matches!(v(400), ApiError::BadRequest { .. }));
        assert!(matches!(v(401), ApiError::Unauthorized { .. }));
        assert!(matches!(v(403), ApiError::Forbidden { .. }));
        assert!(matches!(v(409), ApiError::Conflict { .. }));
        assert!(matches!(v(429), ApiError::RateLimited { .. }));
        assert!(matches!(v(503), ApiError::Server { .. }));
        assert!(matches!(v(418), ApiError::Http { .. }));
        assert!(v(500).is_retryable());
        assert!(v(503).is_retryable());
        assert!(!v(501).is_retryable());
        assert!(v(429).is_retryable());
        assert!(!v(400).is_retryable());
    }

    #[test]
    fn long_messages_are_capped_on_a_char_boundary() {
        let body = "é".repeat(5000);
        let e = ApiError::from_status(500, &body, "GET", "/p", None);
        let m = e.message();
        assert!(m.len() <= MESSAGE_CAP + "…".len());
        assert!(m.ends_with('…'));
    }

    #[test]
    fn a_secret_reply_that_fails_to_decode_shows_none_of_it() {
        let body = r#"{"secret": {"value": "hunter2-canary", "secretID": 3}}"#;
        let err = serde_json::from_str::<u32>(body).unwrap_err();
        let e = ApiError::decode(&err, body.as_bytes(), "GET", "/v1/secrets/abc");
        assert!(!e.to_string().contains("hunter2") && !format!("{e:?}").contains("hunter2"));
        for (method, path) in [
            ("GET", "/v2/secrets?name=x"),
            ("POST", "/v2/clusters"),
            ("POST", "/v1/workspaceGroups"),
            ("POST", "/v2/sharedtier/virtualClusters/abc/users"),
        ] {
            let e = ApiError::decode(&err, body.as_bytes(), method, path);
            assert!(!e.to_string().contains("hunter2"), "{method} {path}");
        }
        let e = ApiError::decode(&err, body.as_bytes(), "GET", "/v2/clusters");
        assert!(e.to_string().contains("hunter2"), "a plain listing keeps its snippet");
    }

    #[test]
    fn decode_keeps_only_a_snippet() {
        let body = format!("{{\"x\": \"{}\"}}", "a".repeat(10_000));
        let err = serde_json::from_str::<u32>(&body).unwrap_err();
        let e = ApiError::decode(&err, body.as_bytes(), "GET", "/v1/x?secret=1");
        let ApiError::Decode { snippet, path, .. } = &e else { panic!("not a decode error") };
        assert!(snippet.chars().count() <= SNIPPET_CAP + 1);
        assert_eq!(path, "/v1/x");
        assert!(e.to_string().len() < 600);
    }

    #[test]
    fn server_text_cannot_act_on_a_terminal() {
        let e = ApiError::from_status(400, "bad \u{1b}]0;owned\u{7}name\u{1b}[2J", "GET", "/v1/teams", None);
        assert_eq!(e.message(), "bad name");
        let err = serde_json::from_str::<u32>("x").unwrap_err();
        let e = ApiError::decode(&err, "\u{1b}]52;c;aGk=\u{7}<html>".as_bytes(), "GET", "/v1/teams");
        assert!(!e.to_string().contains('\u{1b}'), "{e}");
    }

    #[test]
    fn rate_limited_shows_the_wait() {
        let e = ApiError::from_status(429, "slow down", "GET", "/v1/regions", Some(Duration::from_secs(3)));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(e.to_string(), "429 Too Many Requests: slow down (GET /v1/regions), retry after 3s");
    }
}
