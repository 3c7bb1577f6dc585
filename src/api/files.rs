//! The Files spaces of the organization (`personal`, `shared`, `models`): the same folders,
//! files and replies as Stage, under `/v1/files/fs/{space}` (`/v2/…` at v2), so every Stage
//! operation takes a space as its [`Store`]. Notebooks live here; jobs and cloud functions name
//! them by their path in a space.

use super::client::*;
use super::error::ApiError;
use super::stage::{Store, child_path};

/// A Files space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileSpace {
    Personal,
    Shared,
    Models,
}

impl FileSpace {
    pub const ALL: [FileSpace; 3] = [FileSpace::Personal, FileSpace::Shared, FileSpace::Models];

    pub fn as_str(self) -> &'static str {
        match self {
            FileSpace::Personal => "personal",
            FileSpace::Shared => "shared",
            FileSpace::Models => "models",
        }
    }
}

impl std::fmt::Display for FileSpace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for FileSpace {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FileSpace::ALL
            .into_iter()
            .find(|sp| sp.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown Files space {s:?}: expected personal, shared or models"))
    }
}

/// Most notebooks a search for them lists (a guard against a runaway walk).
const MAX_NOTEBOOKS: usize = 1000;

impl Client {
    /// Every notebook (`.ipynb`) of a space, by path, sorted.
    pub async fn files_notebooks(&self, space: FileSpace) -> Result<Vec<String>, ApiError> {
        let mut found = Vec::new();
        let mut pending = vec![String::new()];
        while let Some(dir) = pending.pop() {
            let listing = self.stage_list(Store::Files(space), &dir).await?;
            for child in listing.children() {
                let path = child_path(&dir, child);
                if child.is_dir() {
                    pending.push(path);
                } else if path.ends_with(".ipynb") {
                    found.push(path);
                }
            }
            if found.len() > MAX_NOTEBOOKS {
                break;
            }
        }
        found.sort();
        Ok(found)
    }
}
