//! Stage: a per-deployment file tree, with downloads served by a separate object-store host.
//!
//! The tree lives in memory (one ordered map per deployment, folders keyed with a trailing
//! slash); file bytes live on disk in a temporary directory the store owns, so uploads and
//! downloads stream instead of sitting in memory. A download is a 307 to a signed, expiring
//! URL on the object-store host ([`blob_routes`]), which needs no API key.
//!
//! Construct with `StageStore::default()`.

mod blob;
mod handlers;
mod path;
mod seed;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::api::types::{FileContent, FileObjectMetadata, FileType, format_time};

use super::error::SimError;

pub use blob::blob_routes;
pub use handlers::routes;
pub use path::StagePath;
pub use seed::seed;

/// One file or folder of a Stage tree.
#[derive(Debug, Clone)]
struct Entry {
    /// The bytes on disk; `None` for folders.
    blob: Option<PathBuf>,
    size: u64,
    created: DateTime<Utc>,
    modified: DateTime<Utc>,
}

/// How long a grant is remembered after it expired.
const EXPIRED_GRANTS_KEPT: chrono::Duration = chrono::Duration::hours(24);

/// What a signed download URL grants: one object, until `expires`.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The object key as it appears in the URL path (`stage/<deployment>/<path>`).
    pub object_key: String,
    pub blob: PathBuf,
    pub size: u64,
    pub mimetype: String,
    pub expires: DateTime<Utc>,
}

/// A request the object-store host received (kept so tests can check what clients send it).
#[derive(Debug, Clone)]
pub struct BlobRequest {
    pub path: String,
    /// Header names (lower case) with their values.
    pub headers: Vec<(String, String)>,
}

/// Every deployment's Stage tree, plus the signed URLs handed out for downloads.
#[derive(Debug, Default)]
pub struct StageStore {
    dir: Option<tempfile::TempDir>,
    trees: HashMap<Uuid, BTreeMap<String, Entry>>,
    grants: HashMap<String, Grant>,
    blob_log: Vec<BlobRequest>,
}

/// Keeps the request log bounded in a long-running demo.
const BLOB_LOG_CAP: usize = 1000;

impl StageStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Where file bytes are kept; created on first use.
    pub fn blob_dir(&mut self) -> std::io::Result<PathBuf> {
        if let Some(d) = &self.dir {
            return Ok(d.path().to_path_buf());
        }
        let d = tempfile::Builder::new().prefix("s2tui-stage-").tempdir()?;
        let p = d.path().to_path_buf();
        self.dir = Some(d);
        Ok(p)
    }

    /// A fresh file name inside [`Self::blob_dir`] for an upload in progress.
    pub fn new_blob_path(&mut self) -> std::io::Result<PathBuf> {
        Ok(self.blob_dir()?.join(format!("blob-{}", Uuid::new_v4().simple())))
    }

    /// Bytes stored in one deployment's Stage (for storage usage).
    pub fn total_bytes(&self, deployment: Uuid) -> u64 {
        self.trees.get(&deployment).map(|t| t.values().map(|e| e.size).sum()).unwrap_or(0)
    }

    /// Number of files and folders in one deployment's Stage.
    pub fn entry_count(&self, deployment: Uuid) -> usize {
        self.trees.get(&deployment).map_or(0, BTreeMap::len)
    }

    fn tree(&self, dep: Uuid) -> Option<&BTreeMap<String, Entry>> {
        self.trees.get(&dep)
    }

    fn tree_mut(&mut self, dep: Uuid) -> &mut BTreeMap<String, Entry> {
        self.trees.entry(dep).or_default()
    }

    fn exists(&self, dep: Uuid, key: &str) -> bool {
        key.is_empty() || self.tree(dep).is_some_and(|t| t.contains_key(key))
    }

    fn require_parent(&self, dep: Uuid, p: &StagePath) -> Result<(), SimError> {
        let parent = p.parent_key();
        if self.exists(dep, &parent) {
            return Ok(());
        }
        if !is_files_space(dep) {
            return Err(SimError::not_found(format!("parent folder {parent:?} does not exist")));
        }
        // A Files space makes a file's folders with it; only a file in the way stops that.
        let segs = p.segments();
        for i in 1..segs.len() {
            let above = segs[..i].join("/");
            if self.exists(dep, &above) {
                return Err(SimError::conflict(format!("{above:?} is a file, not a folder")));
            }
        }
        Ok(())
    }

    /// Makes the missing folders above `p` in a Files space, where folders come with files
    /// (Stage has them already: `require_parent` saw to it).
    fn make_parents(&mut self, dep: Uuid, p: &StagePath, now: DateTime<Utc>) -> Result<(), SimError> {
        if !is_files_space(dep) {
            return Ok(());
        }
        let segs = p.segments().to_vec();
        for i in 1..segs.len() {
            let folder = StagePath::parse(&format!("{}/", segs[..i].join("/")))?;
            self.mkdir(dep, &folder, now)?;
        }
        Ok(())
    }

    /// Folder listing (root included) with the direct children in `content`.
    pub fn list(&self, dep: Uuid, p: &StagePath) -> Result<FileObjectMetadata, SimError> {
        let key = p.key();
        let entry = if p.is_root() {
            None
        } else {
            Some(
                self.tree(dep)
                    .and_then(|t| t.get(&key))
                    .ok_or_else(|| SimError::not_found(format!("folder {key:?} not found")))?,
            )
        };
        let mut children = Vec::new();
        if let Some(tree) = self.tree(dep) {
            for (k, e) in tree.range(key.clone()..) {
                let Some(rest) = k.strip_prefix(&key) else {
                    break;
                };
                let direct = match rest.find('/') {
                    None => true,
                    Some(i) => i + 1 == rest.len(),
                };
                if !rest.is_empty() && direct {
                    children.push(meta_of(k, e));
                }
            }
        }
        let mut m = match entry {
            Some(e) => meta_of(&key, e),
            None => root_meta(),
        };
        m.content = Some(FileContent::Children(children));
        Ok(m)
    }

    /// Metadata of a file (no `content`). A folder addressed without its slash is not found.
    pub fn file_meta(&self, dep: Uuid, p: &StagePath) -> Result<FileObjectMetadata, SimError> {
        let key = p.key();
        self.tree(dep)
            .and_then(|t| t.get(&key))
            .filter(|e| e.blob.is_some())
            .map(|e| meta_of(&key, e))
            .ok_or_else(|| SimError::not_found(format!("file {key:?} not found")))
    }

    /// Creates a folder. `Ok(false)` when it already existed (creating it again is harmless).
    pub fn mkdir(&mut self, dep: Uuid, p: &StagePath, now: DateTime<Utc>) -> Result<bool, SimError> {
        if p.is_root() {
            return Ok(false);
        }
        let key = p.key();
        if self.exists(dep, &key) {
            return Ok(false);
        }
        if self.exists(dep, p.file_key().as_str()) {
            return Err(SimError::bad_request(format!("a file named {:?} already exists", p.file_key())));
        }
        self.require_parent(dep, p)?;
        self.tree_mut(dep).insert(key, Entry { blob: None, size: 0, created: now, modified: now });
        Ok(true)
    }

    /// Checks that a file can be written at `p` (called before the bytes arrive, and again
    /// when they have, since the tree may change in between).
    pub fn check_upload(&self, dep: Uuid, p: &StagePath) -> Result<(), SimError> {
        if p.dir {
            return Err(SimError::bad_request("cannot upload a file to a folder path (remove the trailing slash)"));
        }
        if self.exists(dep, &p.dir_key()) {
            return Err(SimError::bad_request(format!("{:?} is a folder", p.dir_key())));
        }
        self.require_parent(dep, p)
    }

    /// Stores an uploaded file whose bytes already sit at `blob` (inside the blob dir).
    /// Replaces an existing file at the same path.
    pub fn commit_upload(
        &mut self,
        dep: Uuid,
        p: &StagePath,
        blob: PathBuf,
        size: u64,
        now: DateTime<Utc>,
    ) -> Result<(), SimError> {
        if let Err(e) = self.check_upload(dep, p).and_then(|()| self.make_parents(dep, p, now)) {
            let _ = std::fs::remove_file(&blob);
            return Err(e);
        }
        let key = p.key();
        let tree = self.tree_mut(dep);
        let created = tree.get(&key).map_or(now, |e| e.created);
        let old = tree.insert(key, Entry { blob: Some(blob), size, created, modified: now });
        if let Some(old_blob) = old.and_then(|e| e.blob) {
            let _ = std::fs::remove_file(old_blob);
        }
        Ok(())
    }

    /// Writes bytes directly (seed data and small files).
    pub fn put_bytes(&mut self, dep: Uuid, p: &StagePath, bytes: &[u8], at: DateTime<Utc>) -> Result<(), SimError> {
        let blob = self
            .new_blob_path()
            .map_err(|e| SimError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        std::fs::write(&blob, bytes)
            .map_err(|e| SimError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        self.commit_upload(dep, p, blob, bytes.len() as u64, at)?;
        if let Some(e) = self.tree_mut(dep).get_mut(&p.key()) {
            e.created = at;
        }
        Ok(())
    }

    /// Moves a file or a whole folder subtree. Returns the destination.
    pub fn rename(
        &mut self,
        dep: Uuid,
        from: &StagePath,
        to_raw: &str,
        now: DateTime<Utc>,
    ) -> Result<StagePath, SimError> {
        if from.is_root() {
            return Err(SimError::bad_request("the Stage root cannot be moved"));
        }
        let mut to = StagePath::parse(to_raw)?;
        if to.is_root() {
            return Err(SimError::bad_request("newPath must name a file or folder"));
        }
        let from_key = from.key();
        if !self.exists(dep, &from_key) {
            return Err(SimError::not_found(format!("{from_key:?} not found")));
        }
        if from.dir {
            // Folders stay folders even when the client forgets the trailing slash.
            to.dir = true;
        } else if to.dir {
            return Err(SimError::bad_request(format!("cannot move file {from_key:?} to folder path {to_raw:?}")));
        }
        let to_key = to.key();
        if to_key == from_key {
            return Err(SimError::bad_request(format!("{to_key:?} already exists")));
        }
        if self.exists(dep, &to_key) || self.exists(dep, &to.file_key()) || self.exists(dep, &to.dir_key()) {
            return Err(SimError::bad_request(format!("{to_key:?} already exists")));
        }
        if from.dir && to_key.starts_with(&from_key) {
            return Err(SimError::bad_request("cannot move a folder into itself"));
        }
        self.require_parent(dep, &to)?;
        let tree = self.tree_mut(dep);
        let moved: Vec<String> = if from.dir {
            tree.range(from_key.clone()..)
                .take_while(|(k, _)| k.starts_with(&from_key))
                .map(|(k, _)| k.clone())
                .collect()
        } else {
            vec![from_key.clone()]
        };
        for k in moved {
            if let Some(mut e) = tree.remove(&k) {
                let new_key = format!("{to_key}{}", &k[from_key.len()..]);
                if k == from_key {
                    e.modified = now;
                }
                tree.insert(new_key, e);
            }
        }
        Ok(to)
    }

    /// Deletes a file, or a folder with everything in it. Returns the bytes freed.
    pub fn delete(&mut self, dep: Uuid, p: &StagePath) -> Result<u64, SimError> {
        if p.is_root() {
            return Err(SimError::bad_request("the Stage root cannot be deleted"));
        }
        let key = p.key();
        let Some(tree) = self.trees.get_mut(&dep) else {
            return Err(SimError::not_found(format!("{key:?} not found")));
        };
        if !tree.contains_key(&key) {
            return Err(SimError::not_found(format!("{key:?} not found")));
        }
        let doomed: Vec<String> = if p.dir {
            tree.range(key.clone()..).take_while(|(k, _)| k.starts_with(&key)).map(|(k, _)| k.clone()).collect()
        } else {
            vec![key]
        };
        let mut freed = 0;
        for k in doomed {
            if let Some(e) = tree.remove(&k) {
                freed += e.size;
                if let Some(b) = e.blob {
                    let _ = std::fs::remove_file(b);
                }
            }
        }
        Ok(freed)
    }

    /// Issues a signed URL token for a file download.
    pub fn sign(
        &mut self,
        dep: Uuid,
        p: &StagePath,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<(String, Grant), SimError> {
        let key = p.key();
        let entry = self
            .tree(dep)
            .and_then(|t| t.get(&key))
            .filter(|e| e.blob.is_some())
            .ok_or_else(|| SimError::not_found(format!("file {key:?} not found")))?;
        let grant = Grant {
            object_key: format!("stage/{dep}/{key}"),
            blob: entry.blob.clone().unwrap_or_default(),
            size: entry.size,
            mimetype: mimetype_of(&key).to_string(),
            expires: now + ttl,
        };
        // Expired grants stay a while, so that a late client hears "expired" rather than
        // "signature does not match".
        self.grants.retain(|_, g| g.expires + EXPIRED_GRANTS_KEPT > now);
        let token = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
        self.grants.insert(token.clone(), grant.clone());
        Ok((token, grant))
    }

    /// The grant behind a signature, expired or not.
    pub fn grant(&self, token: &str) -> Option<&Grant> {
        self.grants.get(token)
    }

    pub fn record_blob_request(&mut self, path: &str, headers: &axum::http::HeaderMap) {
        if self.blob_log.len() >= BLOB_LOG_CAP {
            self.blob_log.remove(0);
        }
        self.blob_log.push(BlobRequest {
            path: path.to_string(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
        });
    }

    /// Requests the object-store host has received (most recent last, bounded).
    pub fn blob_requests(&self) -> &[BlobRequest] {
        &self.blob_log
    }
}

/// The store keeps each Files space under a fixed id of its own.
pub fn files_space_id(space: &str) -> Option<Uuid> {
    let n = match space {
        "personal" => 1,
        "shared" => 2,
        "models" => 3,
        _ => return None,
    };
    Some(Uuid::from_u128(FILES_SPACES | n))
}

const FILES_SPACES: u128 = 0x005f_11e5_0000_4000_8000_0000_0000_0000;

fn is_files_space(dep: Uuid) -> bool {
    (1..=3).any(|n| dep.as_u128() == FILES_SPACES | n)
}

fn root_meta() -> FileObjectMetadata {
    FileObjectMetadata {
        name: Some(String::new()),
        path: Some(String::new()),
        kind: Some(FileType::Directory),
        size: Some(0),
        created: None,
        last_modified: None,
        mimetype: Some(String::new()),
        writable: Some(true),
        format: Some("json".into()),
        content: None,
    }
}

fn meta_of(key: &str, e: &Entry) -> FileObjectMetadata {
    let is_dir = e.blob.is_none();
    let name = key.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    FileObjectMetadata {
        name: Some(name.to_string()),
        path: Some(key.to_string()),
        kind: Some(if is_dir { FileType::Directory } else { FileType::File }),
        size: Some(e.size),
        created: Some(format_time(e.created)),
        last_modified: Some(format_time(e.modified)),
        mimetype: Some(if is_dir { String::new() } else { mimetype_of(key).to_string() }),
        writable: Some(true),
        format: is_dir.then(|| "json".to_string()),
        content: None,
    }
}

/// The content type an object store would report for a key.
pub fn mimetype_of(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "json" => "application/json",
        "ndjson" | "jsonl" => "application/x-ndjson",
        "ipynb" => "application/x-ipynb+json",
        "txt" | "log" | "md" => "text/plain",
        "sql" => "application/sql",
        "parquet" => "application/vnd.apache.parquet",
        "gz" => "application/gzip",
        "zip" => "application/zip",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
