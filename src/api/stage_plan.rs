//! Working out what a Stage transfer means before any byte moves: walking a local folder,
//! listing a remote one, and which destinations exist already. Shared by the dashboard's
//! transfer queue and `s2tui stage`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::client::Client;
use super::error::ApiError;
pub use super::stage::{MAX_ENTRIES, Store, child_path, list_tree};
use super::stage_path;
pub use super::transfer::{Plan, PlanFile};

/// A file or folder of a Stage listing, as a download plan needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteEntry {
    pub path: String,
    pub is_dir: bool,
    pub size: u64,
}

/// `name (1).ext`, `name (2).ext`… : the first that `taken` says is free.
pub fn free_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (1..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| format!("{stem} (copy){ext}"))
}

/// Local files and folders under `root`: (folders, files with sizes, skipped), relative paths.
type Walk = (Vec<PathBuf>, Vec<(PathBuf, u64)>, Vec<String>);

fn walk_local(root: &Path) -> std::io::Result<Walk> {
    let (mut dirs, mut files, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(root.join(&rel))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries {
            let child = rel.join(e.file_name());
            let kind = e.file_type()?;
            if kind.is_dir() {
                dirs.push(child.clone());
                pending.push(child);
            } else if kind.is_file() {
                files.push((child, e.metadata()?.len()));
            } else {
                // Symlinks and special files are left out rather than followed out of the tree.
                skipped.push(child.display().to_string());
            }
            if dirs.len() + files.len() > MAX_ENTRIES {
                return Err(std::io::Error::other(format!("more than {MAX_ENTRIES} entries")));
            }
        }
    }
    dirs.sort();
    Ok((dirs, files, skipped))
}

fn rel_to_remote(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

/// What uploading `local` (a file or a folder, recursively) into `remote_folder` means:
/// the folders to create, the files, and which of them exist already.
/// `name` replaces the local name on Stage (`cp dir Stage:new-name`).
pub async fn plan_upload(
    client: &Client,
    store: impl Into<Store>,
    local: &Path,
    remote_folder: &str,
    name: Option<&str>,
) -> Result<Plan, String> {
    let store = store.into();
    let remote_folder = stage_path::as_folder(&stage_path::normalize(remote_folder).map_err(|e| e.to_string())?);
    let local = tokio::fs::canonicalize(local).await.map_err(|e| format!("cannot read {}: {e}", local.display()))?;
    let meta = tokio::fs::metadata(&local).await.map_err(|e| format!("cannot read {}: {e}", local.display()))?;
    let name = match name {
        Some(n) => n.to_string(),
        None => local.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    };
    if name.is_empty() {
        return Err(format!("{} has no name to upload under", local.display()));
    }
    let shown_folder = format!("/{remote_folder}");
    if meta.is_file() {
        let listing = client.stage_list(store, &remote_folder).await.map_err(|e| e.to_string())?;
        let existing: HashSet<String> = listing.children().iter().map(|c| child_path(&remote_folder, c)).collect();
        let remote = stage_path::join(&remote_folder, &name);
        let taken = |n: &str| {
            let p = stage_path::join(&remote_folder, n);
            existing.contains(&p) || existing.contains(&stage_path::as_folder(&p))
        };
        let conflict = taken(&name).then(|| free_name(&name, taken));
        return Ok(Plan {
            upload: true,
            store,
            label: format!("{name} → {shown_folder}"),
            folders: Vec::new(),
            files: vec![PlanFile { local, remote, size: meta.len(), conflict }],
            skipped: Vec::new(),
        });
    }
    if !meta.is_dir() {
        return Err(format!("{} is neither a file nor a folder", local.display()));
    }
    let root = local.clone();
    let (dirs, files, skipped) = tokio::task::spawn_blocking(move || walk_local(&root))
        .await
        .map_err(|e| format!("walking {} failed: {e}", local.display()))?
        .map_err(|e| format!("cannot read {}: {e}", local.display()))?;
    let base = stage_path::as_folder(&stage_path::join(&remote_folder, &name));
    stage_path::normalize(&base).map_err(|e| e.to_string())?;
    let existing: HashSet<String> = match list_tree(client, store, &base).await {
        Ok(entries) => entries.iter().map(|c| child_path("", c)).chain([base.clone()]).collect(),
        Err(ApiError::NotFound { .. }) => HashSet::new(),
        Err(e) => return Err(e.to_string()),
    };
    let mut folders = Vec::new();
    let mut skipped = skipped;
    // Every local folder holding a file, at any depth (the root included when any file is).
    let holding: HashSet<&Path> = files.iter().flat_map(|(file, _)| file.ancestors().skip(1)).collect();
    for rel in std::iter::once(PathBuf::new()).chain(dirs) {
        let f = stage_path::as_folder(&stage_path::join(&base, &rel_to_remote(&rel)));
        if store.keeps_empty_folders() {
            if !existing.contains(&f) {
                folders.push(f);
            }
        } else if !holding.contains(rel.as_path()) {
            // A Files space makes a folder with its first file, and keeps none without.
            skipped.push(format!("/{f} (empty: a Files space keeps no empty folders)"));
        }
    }
    let mut plan_files = Vec::with_capacity(files.len());
    for (rel, size) in files {
        let remote = stage_path::join(&base, &rel_to_remote(&rel));
        stage_path::normalize_entry(&remote).map_err(|e| e.to_string())?;
        let parent = stage_path::parent(&remote);
        let taken = |n: &str| {
            let p = stage_path::join(&parent, n);
            existing.contains(&p) || existing.contains(&stage_path::as_folder(&p))
        };
        let file_name = stage_path::file_name(&remote).to_string();
        let conflict = taken(&file_name).then(|| free_name(&file_name, taken));
        plan_files.push(PlanFile { local: local.join(&rel), remote, size, conflict });
    }
    Ok(Plan { upload: true, store, label: format!("{name}/ → {shown_folder}"), folders, files: plan_files, skipped })
}

/// What downloading `entries` (files, and folders recursively) into `local_dir` means, and
/// which local files exist already (never overwritten without asking).
pub async fn plan_download(
    client: &Client,
    store: impl Into<Store>,
    entries: &[RemoteEntry],
    local_dir: &Path,
) -> Result<Plan, String> {
    let store = store.into();
    let local_dir = if local_dir.as_os_str().is_empty() { Path::new(".") } else { local_dir };
    match tokio::fs::metadata(local_dir).await {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(format!("cannot download into {}: it is a file, not a folder", local_dir.display())),
        Err(e) => return Err(format!("cannot download into {}: {e}", local_dir.display())),
    }
    let mut files = Vec::new();
    for e in entries {
        if !e.is_dir {
            let name = stage_path::file_name(&e.path);
            files.push((e.path.clone(), local_dir.join(name), e.size));
            continue;
        }
        let folder = stage_path::as_folder(&e.path);
        let top = stage_path::parent(&folder);
        let local_of = |path: &str| -> PathBuf {
            let rel = path.strip_prefix(top.as_str()).unwrap_or(path);
            rel.split('/').filter(|s| !s.is_empty()).fold(local_dir.to_path_buf(), |acc, seg| acc.join(seg))
        };
        // Folders are made now (creating one is harmless and never replaces anything), so that
        // empty ones come back too; files wait in the queue.
        let mut dirs = vec![local_of(&folder)];
        for child in list_tree(client, store, &folder).await.map_err(|e| e.to_string())? {
            let path = child_path(&folder, &child);
            if child.is_dir() {
                dirs.push(local_of(&path));
            } else {
                files.push((path.clone(), local_of(&path), child.size.unwrap_or(0)));
            }
        }
        for d in dirs {
            tokio::fs::create_dir_all(&d)
                .await
                .map_err(|e| format!("cannot create the folder {}: {e}", d.display()))?;
        }
    }
    let mut plan_files = Vec::with_capacity(files.len());
    for (remote, local, size) in files {
        let exists = tokio::fs::symlink_metadata(&local).await.is_ok();
        let conflict = if exists {
            let dir = local.parent().map(Path::to_path_buf).unwrap_or_default();
            let name = local.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Some(free_name(&name, |n| dir.join(n).exists()))
        } else {
            None
        };
        plan_files.push(PlanFile { local, remote, size, conflict });
    }
    let label = match entries {
        [one] => format!("/{} → {}", one.path, local_dir.display()),
        many => format!("{} entries → {}", many.len(), local_dir.display()),
    };
    Ok(Plan { upload: false, store, label, folders: Vec::new(), files: plan_files, skipped: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_keep_the_extension() {
        let taken = ["a (1).csv".to_string()];
        assert_eq!(free_name("a.csv", |n| taken.contains(&n.to_string())), "a (2).csv");
        assert_eq!(free_name("README", |_| false), "README (1)");
        assert_eq!(free_name(".env", |_| false), ".env (1)");
    }
}
