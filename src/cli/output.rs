//! Writing the command line's results: a reader that went away (`s2tui get usage | head -2`)
//! ends the program quietly instead of in a panic, and every warning goes to stderr, made safe
//! to print.

use std::io::Write;

use super::exit;

/// Writes `text` to stdout; a closed pipe counts as done (exit 0), like `cat` under `head`.
pub fn stdout(text: impl AsRef<[u8]>) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            error(&format!("cannot write the output: {e}"));
            exit::API
        }
    }
}

/// `error: …` on stderr, stripped of control and escape characters (messages quote servers
/// and files).
pub fn error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {}", crate::sanitize::multi_line(message));
}

/// `warning: …` on stderr, one line each.
pub fn warnings<S: AsRef<str>>(warnings: &[S]) {
    let mut err = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "warning: {}", crate::sanitize::one_line(w.as_ref()));
    }
}

/// `-o json`: pretty JSON ending in a newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).map(|s| s + "\n").unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}
