//! Where s2tui keeps its files, in the OS-conventional places (overridable for tests and
//! unusual setups with `S2TUI_CONFIG_DIR`, `S2TUI_DATA_DIR` and `S2TUI_STATE_DIR`).

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `config.toml` and `keymap.toml`.
    pub config_dir: PathBuf,
    /// Remembered jobs and other per-organization data.
    pub data_dir: PathBuf,
    /// Logs.
    pub state_dir: PathBuf,
}

impl Paths {
    /// The conventional locations, or the overrides from `env`.
    pub fn resolve(env: impl Fn(&str) -> Option<String>) -> Paths {
        let dirs = directories::ProjectDirs::from("io", "s2tui", "s2tui");
        let fallback = std::env::temp_dir().join("s2tui");
        let pick = |var: &str, default: Option<&Path>, sub: &str| -> PathBuf {
            env(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| default.map(Path::to_path_buf))
                .unwrap_or_else(|| fallback.join(sub))
        };
        let config_dir = pick("S2TUI_CONFIG_DIR", dirs.as_ref().map(|d| d.config_dir()), "config");
        let data_dir = pick("S2TUI_DATA_DIR", dirs.as_ref().map(|d| d.data_dir()), "data");
        // Only Linux has a separate state directory; elsewhere logs go under the local data directory.
        let state_default =
            dirs.as_ref().map(|d| d.state_dir().map_or_else(|| d.data_local_dir().join("logs"), Path::to_path_buf));
        let state_dir = pick("S2TUI_STATE_DIR", state_default.as_deref(), "state");
        Paths { config_dir, data_dir, state_dir }
    }

    pub fn from_env() -> Paths {
        Self::resolve(|v| std::env::var(v).ok())
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn keymap_file(&self) -> PathBuf {
        self.config_dir.join("keymap.toml")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.state_dir.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win() {
        let env = |v: &str| match v {
            "S2TUI_CONFIG_DIR" => Some("/tmp/c".to_string()),
            "S2TUI_STATE_DIR" => Some("/tmp/s".to_string()),
            _ => None,
        };
        let p = Paths::resolve(env);
        assert_eq!(p.config_file(), PathBuf::from("/tmp/c/config.toml"));
        assert_eq!(p.log_dir(), PathBuf::from("/tmp/s"));
        assert!(p.data_dir.ends_with("s2tui") || p.data_dir.to_string_lossy().contains("s2tui"));
    }
}
