//! Stage path normalisation: leading and doubled slashes mean nothing, a trailing slash
//! means "folder", and `.`/`..` segments are refused.

use crate::sim::error::SimError;

/// A normalised Stage path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePath {
    segs: Vec<String>,
    /// Addressed as a folder (trailing slash, or the root).
    pub dir: bool,
}

impl StagePath {
    pub fn parse(raw: &str) -> Result<Self, SimError> {
        let segs: Vec<String> = raw.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
        if let Some(bad) = segs.iter().find(|s| *s == "." || *s == "..") {
            return Err(SimError::bad_request(format!("invalid path {raw:?}: segment {bad:?} is not allowed")));
        }
        if segs.iter().any(|s| s.chars().any(char::is_control)) {
            return Err(SimError::bad_request(format!("invalid path {raw:?}: control characters are not allowed")));
        }
        let dir = segs.is_empty() || raw.ends_with('/');
        Ok(Self { segs, dir })
    }

    pub fn root() -> Self {
        Self { segs: Vec::new(), dir: true }
    }

    /// The same path addressed as a folder.
    pub fn as_dir(&self) -> Self {
        Self { segs: self.segs.clone(), dir: true }
    }

    pub fn is_root(&self) -> bool {
        self.segs.is_empty()
    }

    /// The key in the tree: folders end with `/`, the root is empty.
    pub fn key(&self) -> String {
        if self.dir { self.dir_key() } else { self.file_key() }
    }

    /// The same path addressed as a file.
    pub fn file_key(&self) -> String {
        self.segs.join("/")
    }

    /// The same path addressed as a folder.
    pub fn dir_key(&self) -> String {
        if self.segs.is_empty() { String::new() } else { format!("{}/", self.segs.join("/")) }
    }

    /// The folder holding this entry (`""` = root).
    pub fn parent_key(&self) -> String {
        match self.segs.split_last() {
            Some((_, rest)) if !rest.is_empty() => format!("{}/", rest.join("/")),
            _ => String::new(),
        }
    }

    pub fn name(&self) -> &str {
        self.segs.last().map_or("", String::as_str)
    }

    pub fn segments(&self) -> &[String] {
        &self.segs
    }
}
