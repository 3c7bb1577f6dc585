//! Where the API key and base URL come from: CLI flags win over the environment, which wins over the profile.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::api::client::ApiKey;

/// The real service.
pub use crate::api::DEFAULT_BASE_URL;

/// Environment variables that may hold the API key, in the order they are tried
/// (Terraform's name first, then the Python SDK's).
pub const KEY_ENV_VARS: [&str; 2] = ["SINGLESTOREDB_API_KEY", "SINGLESTOREDB_MANAGEMENT_TOKEN"];
pub const BASE_URL_ENV_VAR: &str = "SINGLESTOREDB_MANAGEMENT_BASE_URL";

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "no API key found. Provide one of:\n  \
         - the environment variable SINGLESTOREDB_API_KEY\n  \
         - the environment variable SINGLESTOREDB_MANAGEMENT_TOKEN\n  \
         - --api-key-file PATH (a file holding only the key)\n\
         Create a key in the Cloud Portal (Organization → API keys), or try `s2tui --demo`."
    )]
    Missing,
    #[error("cannot read the API key file {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("the API key file {0} is larger than {KEY_MAX_BYTES} bytes; it should hold only the key")]
    TooLarge(PathBuf),
    #[error("reading the API key file {} took longer than {} s (a pipe nobody writes to?)", .0.display(), KEY_FILE_TIMEOUT.as_secs())]
    TimedOut(PathBuf),
    #[error("the API key file {0} is empty")]
    EmptyFile(PathBuf),
    #[error("{0} is set but empty")]
    EmptyEnv(&'static str),
}

/// A key and where it came from (shown to the user, never the key itself).
#[derive(Debug)]
pub struct ResolvedKey {
    pub key: ApiKey,
    pub source: String,
    /// A problem worth telling the user about that does not stop the program.
    pub warning: Option<String>,
}

/// Resolves the key: `--api-key-file` first, then the environment variables.
pub fn resolve_api_key(
    key_file: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<ResolvedKey, CredentialError> {
    if let Some(path) = key_file {
        return Ok(ResolvedKey {
            key: read_key_file(path)?,
            source: format!("file {}", path.display()),
            warning: key_file_permission_warning(path),
        });
    }
    for var in KEY_ENV_VARS {
        if let Some(value) = env(var) {
            let value = value.trim();
            if value.is_empty() {
                return Err(CredentialError::EmptyEnv(var));
            }
            return Ok(ResolvedKey { key: ApiKey::new(value.to_string()), source: format!("${var}"), warning: None });
        }
    }
    Err(CredentialError::Missing)
}

/// A key is a few hundred bytes; anything much longer is not a key file (`/dev/zero`, a log).
pub const KEY_MAX_BYTES: u64 = 64 * 1024;
/// A key file is read at once; a FIFO nobody writes to must not hang the program.
pub const KEY_FILE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a key command may run unless the config says otherwise (`key_command_timeout`);
/// longer and it is killed, so that opening a profile (or `s2tui get`) never hangs.
pub const KEY_COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads a key file, trimmed: bounded in size and time.
pub fn read_key_file(path: &Path) -> Result<ApiKey, CredentialError> {
    let owned = path.to_path_buf();
    let read = within(KEY_FILE_TIMEOUT, move || {
        let file = std::fs::File::open(&owned)?;
        read_capped(file, KEY_MAX_BYTES)
    });
    let bytes = match read {
        None => return Err(CredentialError::TimedOut(path.to_path_buf())),
        Some(Err(source)) => return Err(CredentialError::Unreadable { path: path.to_path_buf(), source }),
        Some(Ok(None)) => return Err(CredentialError::TooLarge(path.to_path_buf())),
        Some(Ok(Some(bytes))) => bytes,
    };
    let text = String::from_utf8(bytes).map_err(|_| CredentialError::Unreadable {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"),
    })?;
    let key = text.trim();
    if key.is_empty() {
        return Err(CredentialError::EmptyFile(path.to_path_buf()));
    }
    Ok(ApiKey::new(key.to_string()))
}

/// Everything `reader` yields, or `None` once it passes `cap` bytes.
fn read_capped(reader: impl Read, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(cap + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Runs `work` on its own thread and waits at most `limit` for it; `None` when it is late (the
/// thread is left to finish or block on its own: a blocked read cannot be interrupted).
fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("s2tui-key-read".into())
        .spawn(move || {
            let _ = tx.send(work());
        })
        .ok()?;
    rx.recv_timeout(limit).ok()
}

/// Runs a password manager's command and returns its output, trimmed, as the key. The output
/// is capped and the command is killed when it runs too long; the error never contains the
/// output (only the first line of its stderr, made safe to print).
pub fn run_key_command(cmd: &str, limit: Duration) -> Result<ApiKey, String> {
    run_key_command_until(cmd, limit, &AtomicBool::new(false))
}

/// How often a running key command is checked for being cancelled or late.
const KEY_COMMAND_TICK: Duration = Duration::from_millis(25);

/// [`run_key_command`] that also stops (and kills the command) as soon as `cancel` is set:
/// another profile was asked for, or the dashboard is quitting.
pub fn run_key_command_until(cmd: &str, limit: Duration, cancel: &AtomicBool) -> Result<ApiKey, String> {
    use std::process::{Command, Stdio};
    #[cfg(unix)]
    let mut command = Command::new("sh");
    #[cfg(unix)]
    command.arg("-c").arg(cmd);
    #[cfg(not(unix))]
    let mut command = Command::new("cmd");
    #[cfg(not(unix))]
    command.arg("/C").arg(cmd);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run it: {e}"))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err("could not read its output".into());
    };
    // Stderr is drained alongside so that a chatty command cannot block on a full pipe.
    let errors = std::thread::spawn(move || read_capped(stderr, KEY_MAX_BYTES).ok().flatten().unwrap_or_default());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("s2tui-key-command".into())
        .spawn(move || {
            let _ = tx.send(read_capped(stdout, KEY_MAX_BYTES));
        })
        .map_err(|e| format!("could not read its output: {e}"))?;
    let started = std::time::Instant::now();
    let stop = |child: &mut std::process::Child, why: String| {
        let _ = child.kill();
        let _ = child.wait();
        Err(why)
    };
    let out = loop {
        match rx.recv_timeout(KEY_COMMAND_TICK) {
            Ok(Ok(Some(out))) => break out,
            Ok(Ok(None)) => {
                return stop(&mut child, format!("it printed more than {KEY_MAX_BYTES} bytes, which is not a key"));
            }
            Ok(Err(e)) => return stop(&mut child, format!("could not read its output: {e}")),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return stop(&mut child, "could not read its output".into());
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if cancel.load(Ordering::Relaxed) {
                    return stop(&mut child, "cancelled".into());
                }
                if started.elapsed() >= limit {
                    let secs = limit.as_secs_f64();
                    return stop(&mut child, format!("it did not finish within {secs} s and was stopped"));
                }
            }
        }
    };
    let status = child.wait().map_err(|e| format!("could not wait for it: {e}"))?;
    if !status.success() {
        let stderr = errors.join().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr);
        let first = crate::sanitize::one_line(stderr.lines().next().unwrap_or("")).trim().to_string();
        return Err(format!("{status} {first}"));
    }
    let key = String::from_utf8_lossy(&out).trim().to_string();
    if key.is_empty() {
        return Err("it printed nothing".into());
    }
    Ok(ApiKey::new(key))
}

/// The base URL: `--base-url`, then the environment, then the real service.
pub fn resolve_base_url(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> String {
    flag.map(str::to_string)
        .or_else(|| env(BASE_URL_ENV_VAR).filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string())
        .trim()
        .trim_end_matches('/')
        .to_string()
}

#[cfg(unix)]
fn key_file_permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "the API key file {} can be read by other users (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn key_file_permission_warning(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn missing_key_names_the_three_ways() {
        let msg = resolve_api_key(None, no_env).unwrap_err().to_string();
        for way in ["SINGLESTOREDB_API_KEY", "SINGLESTOREDB_MANAGEMENT_TOKEN", "--api-key-file"] {
            assert!(msg.contains(way), "{msg}");
        }
    }

    #[test]
    fn file_wins_over_env_and_is_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "  file-key\n").unwrap();
        let env = |v: &str| (v == "SINGLESTOREDB_API_KEY").then(|| "env-key".to_string());
        let got = resolve_api_key(Some(&path), env).unwrap();
        assert_eq!(got.key.expose(), "file-key");
        assert!(!format!("{got:?}").contains("file-key"));
    }

    #[test]
    fn env_order_is_terraform_then_python() {
        let env = |v: &str| Some(format!("{v}-value"));
        let got = resolve_api_key(None, env).unwrap();
        assert_eq!(got.key.expose(), "SINGLESTOREDB_API_KEY-value");
        let env = |v: &str| (v == "SINGLESTOREDB_MANAGEMENT_TOKEN").then(|| "tok".to_string());
        assert_eq!(resolve_api_key(None, env).unwrap().key.expose(), "tok");
    }

    #[test]
    fn empty_sources_are_errors_not_silence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "\n").unwrap();
        assert!(matches!(resolve_api_key(Some(&path), no_env), Err(CredentialError::EmptyFile(_))));
        let env = |_: &str| Some(" ".to_string());
        assert!(matches!(resolve_api_key(None, env), Err(CredentialError::EmptyEnv(_))));
    }

    #[cfg(unix)]
    #[test]
    fn world_readable_key_file_warns() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, "k").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(resolve_api_key(Some(&path), no_env).unwrap().warning.is_some());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(resolve_api_key(Some(&path), no_env).unwrap().warning.is_none());
    }

    #[test]
    fn key_files_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'k'; KEY_MAX_BYTES as usize + 1]).unwrap();
        assert!(matches!(read_key_file(&path), Err(CredentialError::TooLarge(_))));
        std::fs::write(&path, vec![b'k'; KEY_MAX_BYTES as usize]).unwrap();
        assert!(read_key_file(&path).is_ok(), "exactly the cap is still a key");
        #[cfg(unix)]
        {
            let e = read_key_file(Path::new("/dev/zero")).unwrap_err();
            assert!(matches!(e, CredentialError::TooLarge(_)), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn key_commands_are_bounded_in_size_and_time() {
        let e = run_key_command("head -c 100000 /dev/zero | tr '\\0' k", KEY_COMMAND_TIMEOUT).unwrap_err();
        assert!(e.contains("more than"), "{e}");
        let e = run_key_command("yes", KEY_COMMAND_TIMEOUT).unwrap_err();
        assert!(e.contains("more than"), "{e}");
        let e = run_key_command("sleep 30", Duration::from_millis(300)).unwrap_err();
        assert!(e.contains("did not finish"), "{e}");
        let e = run_key_command("printf 'bad\\033]0;owned\\007\\n' >&2; exit 4", KEY_COMMAND_TIMEOUT).unwrap_err();
        assert!(e.contains("exit status: 4") && e.contains("bad") && !e.contains('\u{1b}'), "{e:?}");
        assert_eq!(run_key_command("echo '  k-1  '", KEY_COMMAND_TIMEOUT).unwrap().expose(), "k-1");
    }

    #[cfg(unix)]
    #[test]
    fn a_cancelled_key_command_is_stopped_at_once() {
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let run = std::thread::spawn(move || run_key_command_until("sleep 600", Duration::from_secs(600), &flag));
        cancel.store(true, Ordering::Relaxed);
        let e = run.join().unwrap().unwrap_err();
        assert_eq!(e, "cancelled");
    }

    #[test]
    fn base_url_precedence() {
        let env = |_: &str| Some("http://127.0.0.1:1/".to_string());
        assert_eq!(resolve_base_url(Some("https://x.test/"), env), "https://x.test");
        assert_eq!(resolve_base_url(None, env), "http://127.0.0.1:1");
        assert_eq!(resolve_base_url(None, no_env), DEFAULT_BASE_URL);
    }
}
