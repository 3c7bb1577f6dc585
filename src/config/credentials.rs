//! Where the API key and base URL come from: CLI flags win over the environment, which wins over the profile.

use std::path::{Path, PathBuf};

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
        let text = std::fs::read_to_string(path)
            .map_err(|source| CredentialError::Unreadable { path: path.to_path_buf(), source })?;
        let key = text.trim();
        if key.is_empty() {
            return Err(CredentialError::EmptyFile(path.to_path_buf()));
        }
        return Ok(ResolvedKey {
            key: ApiKey::new(key.to_string()),
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
    fn base_url_precedence() {
        let env = |_: &str| Some("http://127.0.0.1:1/".to_string());
        assert_eq!(resolve_base_url(Some("https://x.test/"), env), "https://x.test");
        assert_eq!(resolve_base_url(None, env), "http://127.0.0.1:1");
        assert_eq!(resolve_base_url(None, no_env), DEFAULT_BASE_URL);
    }
}
