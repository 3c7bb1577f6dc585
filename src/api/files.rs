//! The Files spaces of the organization (`personal`, `shared`, `models`): the same folders,
//! files and replies as Stage, under `/v1/files/fs/{space}`. Notebooks live here; jobs and
//! cloud functions name them by their path in a space.

use reqwest::Method;

use super::client::*;
use super::error::ApiError;
use super::stage::{FileObjectMetadata, PREVIEW_BYTES, StagePathReply, child_path};
use super::stage_path;

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

/// Largest file the dashboard moves in one piece (notebooks and models' small files; bulk
/// data belongs in Stage, which streams).
pub const MAX_FILE_BYTES: usize = 256 * 1024 * 1024;

impl Client {
    fn files_route(&self, space: FileSpace, path: &str) -> String {
        let root = format!("/v1/files/fs/{space}");
        if path.is_empty() { root } else { format!("{root}/{}", stage_path::encode(path)) }
    }

    /// Lists a folder (`""` = the space's root).
    pub async fn files_list(&self, space: FileSpace, folder: &str) -> Result<FileObjectMetadata, ApiError> {
        let folder = stage_path::as_folder(&stage_path::normalize(folder)?);
        self.get(&self.files_route(space, &folder), vec![]).await
    }

    pub async fn files_metadata(&self, space: FileSpace, path: &str) -> Result<FileObjectMetadata, ApiError> {
        let path = stage_path::normalize(path)?;
        let q = vec![("metadata".to_string(), "true".to_string())];
        self.get(&self.files_route(space, &path), q).await
    }

    /// Uploads `bytes` as the file `path` (the Files API creates no empty folders: a file's
    /// folder appears with it).
    pub async fn files_upload(&self, space: FileSpace, path: &str, bytes: Vec<u8>) -> Result<StagePathReply, ApiError> {
        let path = stage_path::normalize_entry(path)?;
        if stage_path::is_folder(&path) || path.is_empty() {
            return Err(ApiError::InvalidInput(format!("{path:?} is a folder: upload a file")));
        }
        let name = path.rsplit('/').next().unwrap_or(&path).to_string();
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        let form = reqwest::multipart::Form::new().part("file", part);
        self.put_multipart(&self.files_route(space, &path), form).await
    }

    /// The first `limit` bytes of a file, and its whole size when the server says.
    pub async fn files_read(
        &self,
        space: FileSpace,
        path: &str,
        limit: usize,
    ) -> Result<(Vec<u8>, Option<u64>), ApiError> {
        let path = stage_path::normalize_entry(path)?;
        if stage_path::is_folder(&path) {
            return Err(ApiError::InvalidInput(format!("{path:?} is a folder")));
        }
        let mut resp = self.fetch_following(&self.files_route(space, &path)).await?;
        let source = resp.url().path().to_string();
        let total = resp.content_length();
        let mut out = Vec::new();
        while out.len() < limit {
            let chunk = resp.chunk().await.map_err(|e| self.transport_error(e, &Method::GET, &source))?;
            let Some(chunk) = chunk else { break };
            out.extend_from_slice(&chunk[..chunk.len().min(limit - out.len())]);
        }
        Ok((out, total))
    }

    pub async fn files_move(&self, space: FileSpace, from: &str, to: &str) -> Result<StagePathReply, ApiError> {
        self.move_entry(|p| self.files_route(space, p), from, to).await
    }

    pub async fn files_delete(&self, space: FileSpace, path: &str) -> Result<StagePathReply, ApiError> {
        self.delete_entry(|p| self.files_route(space, p), path).await
    }

    /// Every notebook (`.ipynb`) of a space, by path, sorted.
    pub async fn files_notebooks(&self, space: FileSpace) -> Result<Vec<String>, ApiError> {
        let mut found = Vec::new();
        let mut pending = vec![String::new()];
        while let Some(dir) = pending.pop() {
            let listing = self.files_list(space, &dir).await?;
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

// ───────────────────────────── reads and changes, as messages ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub enum FilesRequest {
    List {
        space: FileSpace,
        path: String,
    },
    Preview {
        space: FileSpace,
        path: String,
    },
    /// The notebooks of a space (for a picker).
    Notebooks(FileSpace),
}

#[derive(Debug, Clone, PartialEq)]
pub enum FilesChange {
    Move {
        space: FileSpace,
        from: String,
        to: String,
    },
    Delete {
        space: FileSpace,
        path: String,
    },
    /// Uploads the local file `local` as `path`.
    Upload {
        space: FileSpace,
        path: String,
        local: std::path::PathBuf,
    },
    /// Saves `path` as the local file `local` (never over an existing file).
    Download {
        space: FileSpace,
        path: String,
        local: std::path::PathBuf,
    },
}

#[derive(Debug)]
pub enum FilesReply {
    Listing { space: FileSpace, path: String, meta: FileObjectMetadata },
    Preview { space: FileSpace, path: String, bytes: Vec<u8>, total: Option<u64> },
    Notebooks { space: FileSpace, paths: Vec<String> },
    Changed(StagePathReply),
}

impl FilesRequest {
    pub async fn send(self, client: &Client) -> Result<FilesReply, ApiError> {
        Ok(match self {
            FilesRequest::List { space, path } => {
                let meta = client.files_list(space, &path).await?;
                FilesReply::Listing { space, path, meta }
            }
            FilesRequest::Preview { space, path } => {
                let (bytes, total) = client.files_read(space, &path, PREVIEW_BYTES).await?;
                FilesReply::Preview { space, path, bytes, total }
            }
            FilesRequest::Notebooks(space) => {
                FilesReply::Notebooks { space, paths: client.files_notebooks(space).await? }
            }
        })
    }
}

impl FilesChange {
    pub async fn send(self, client: &Client) -> Result<FilesReply, ApiError> {
        Ok(FilesReply::Changed(match self {
            FilesChange::Move { space, from, to } => client.files_move(space, &from, &to).await?,
            FilesChange::Delete { space, path } => client.files_delete(space, &path).await?,
            FilesChange::Upload { space, path, local } => {
                let size = tokio::fs::metadata(&local).await.map_err(|e| ApiError::io("cannot read", &local, e))?.len();
                if size > MAX_FILE_BYTES as u64 {
                    return Err(ApiError::InvalidInput(format!(
                        "{} is larger than {} MiB: put large files in Stage",
                        local.display(),
                        MAX_FILE_BYTES >> 20
                    )));
                }
                let bytes = tokio::fs::read(&local).await.map_err(|e| ApiError::io("cannot read", &local, e))?;
                client.files_upload(space, &path, bytes).await?
            }
            FilesChange::Download { space, path, local } => {
                let (bytes, total) = client.files_read(space, &path, MAX_FILE_BYTES + 1).await?;
                if bytes.len() > MAX_FILE_BYTES || total.is_some_and(|t| t > bytes.len() as u64) {
                    return Err(ApiError::InvalidInput(format!("{path} is larger than {} MiB", MAX_FILE_BYTES >> 20)));
                }
                save_new(&local, bytes).await?;
                StagePathReply { name: local.file_name().map(|n| n.to_string_lossy().into_owned()), path: Some(path) }
            }
        }))
    }
}

/// Writes `bytes` to `dest` through a hidden part file, refusing to replace an existing file.
async fn save_new(dest: &std::path::Path, bytes: Vec<u8>) -> Result<(), ApiError> {
    let dest = dest.to_path_buf();
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let mut tmp =
            super::transfer::part_file(".s2tui-", &dir).map_err(|e| ApiError::io("cannot write in", &dir, e))?;
        tmp.write_all(&bytes).map_err(|e| ApiError::io("cannot write", &dest, e))?;
        tmp.persist_noclobber(&dest).map_err(|e| ApiError::io("cannot save", &dest, e.error))?;
        Ok(())
    })
    .await
    .map_err(|e| ApiError::InvalidInput(format!("the save was interrupted: {e}")))?
}
