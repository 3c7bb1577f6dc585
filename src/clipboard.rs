//! The clipboard, through the terminal (OSC 52) or, inside tmux, through tmux itself.
//!
//! tmux (3.3 tested) keeps every OSC 52 it accepts as a new paste buffer, ignores an empty one,
//! and by default (`set-clipboard external`) ignores applications' OSC 52 altogether. So inside
//! tmux a copy goes into one named buffer with `tmux load-buffer -w` (which also forwards it to
//! the outer terminal's clipboard), and clearing deletes that buffer and forwards a blank in its
//! place: nothing copied stays in tmux's buffers. Elsewhere, clearing writes a blank and then
//! an empty OSC 52, which terminals that support it take as "clear".

use std::process::Stdio;

use base64::Engine;
use tokio::io::AsyncWriteExt;

/// The tmux buffer that holds what s2tui copied.
pub const TMUX_BUFFER: &str = "s2tui";
/// What replaces a cleared value: harmless if pasted.
const BLANK: &str = " ";

/// Where copies go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clipboard {
    /// OSC 52 to the terminal.
    Terminal,
    /// A tmux server: the one in `$TMUX` (`socket: None`) or the one at `socket`.
    Tmux { socket: Option<String> },
}

impl Clipboard {
    /// tmux when running inside it (`$TMUX` set), the terminal otherwise.
    pub fn from_env() -> Self {
        match std::env::var_os("TMUX") {
            Some(v) if !v.is_empty() => Clipboard::Tmux { socket: None },
            _ => Clipboard::Terminal,
        }
    }

    pub async fn copy(&self, text: &str) -> Result<(), String> {
        match self {
            Clipboard::Terminal => {
                osc52(text);
                Ok(())
            }
            Clipboard::Tmux { socket } => load_buffer(socket.as_deref(), TMUX_BUFFER, text).await,
        }
    }

    /// Removes what was copied; an error says why it may still be there.
    pub async fn clear(&self) -> Result<(), String> {
        match self {
            Clipboard::Terminal => {
                osc52(BLANK);
                osc52("");
                Ok(())
            }
            Clipboard::Tmux { socket } => {
                let socket = socket.as_deref();
                // The blank goes through its own buffer to the outer clipboard; then both go.
                let forwarded = load_buffer(socket, "s2tui-blank", BLANK).await;
                let _ = tmux(socket, &["delete-buffer", "-b", "s2tui-blank"], None).await;
                let deleted = match tmux(socket, &["delete-buffer", "-b", TMUX_BUFFER], None).await {
                    // Already gone (deleted by hand, or the server restarted) is cleared too.
                    Err(e) if e.contains("unknown buffer") || e.contains("no buffer") => Ok(()),
                    other => other,
                };
                deleted.and(forwarded)
            }
        }
    }
}

fn osc52(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    crate::tui::write_raw(format!("\x1b]52;c;{encoded}\x07").as_bytes());
}

async fn load_buffer(socket: Option<&str>, name: &str, text: &str) -> Result<(), String> {
    tmux(socket, &["load-buffer", "-w", "-b", name, "-"], Some(text.as_bytes())).await
}

/// Runs a tmux command; its stderr's first line is the error.
async fn tmux(socket: Option<&str>, args: &[&str], stdin: Option<&[u8]>) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new("tmux");
    if let Some(s) = socket {
        cmd.args(["-S", s]);
    }
    cmd.args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| format!("cannot run tmux: {e}"))?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes).await.map_err(|e| format!("cannot talk to tmux: {e}"))?;
    }
    let run = tokio::time::timeout(std::time::Duration::from_secs(5), child.wait_with_output());
    let out = run.await.map_err(|_| "tmux did not answer".to_string())?.map_err(|e| format!("tmux: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let first = crate::sanitize::one_line(err.lines().next().unwrap_or_default()).trim().to_string();
    Err(if first.is_empty() { format!("tmux {} failed ({})", args[0], out.status) } else { first })
}
