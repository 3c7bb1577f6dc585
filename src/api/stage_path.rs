//! Stage paths: relative, `/`-separated, a trailing `/` marks a folder, `""` is the root.
//!
//! The API gives the trailing slash meaning (folder vs file), so every helper here
//! preserves it. Paths are normalised before they reach a URL so that `..` can never walk out
//! of the requested location and a typo such as `a//b` means what the user meant.

use super::error::ApiError;

/// Strips leading slashes, collapses repeated slashes, keeps a trailing `/`, and rejects
/// `.`/`..` segments, blank segments and control characters. The root is `""`.
pub fn normalize(path: &str) -> Result<String, ApiError> {
    let folder = path.ends_with('/');
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if seg == "." || seg == ".." {
            return Err(ApiError::InvalidInput(format!(
                "invalid Stage path {path:?}: `{seg}` segments are not allowed"
            )));
        }
        if seg.trim().is_empty() {
            return Err(ApiError::InvalidInput(format!("invalid Stage path {path:?}: a path segment is blank")));
        }
        if seg.chars().any(char::is_control) {
            return Err(ApiError::InvalidInput(format!(
                "invalid Stage path {path:?}: control characters are not allowed"
            )));
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    }
    if folder && !out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// Like [`normalize`], but the root is refused (for operations on one file or folder).
pub fn normalize_entry(path: &str) -> Result<String, ApiError> {
    let p = normalize(path)?;
    if p.is_empty() {
        return Err(ApiError::InvalidInput(format!("invalid Stage path {path:?}: a file or folder name is required")));
    }
    Ok(p)
}

/// A folder (trailing `/`) or the root.
pub fn is_folder(path: &str) -> bool {
    path.is_empty() || path.ends_with('/')
}

/// The same path marked as a folder; the root stays `""`.
pub fn as_folder(path: &str) -> String {
    if is_folder(path) { path.to_string() } else { format!("{path}/") }
}

/// `name` inside `folder` (a name ending in `/` yields a folder path).
pub fn join(folder: &str, name: &str) -> String {
    let folder = folder.trim_end_matches('/');
    let name = name.trim_start_matches('/');
    if folder.is_empty() { name.to_string() } else { format!("{folder}/{name}") }
}

/// The folder holding `path`, with its trailing `/`; the root's parent is the root.
pub fn parent(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => trimmed[..=i].to_string(),
        None => String::new(),
    }
}

/// The last segment, without a folder's trailing `/`.
pub fn file_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Percent-encodes each segment for use in a URL path, keeping the `/` separators.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(char::from(b)),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn normalize_strips_collapses_and_keeps_the_folder_mark() {
        assert_eq!(normalize("/data/x.csv").unwrap(), "data/x.csv");
        assert_eq!(normalize("//data//sub///").unwrap(), "data/sub/");
        assert_eq!(normalize("a/b").unwrap(), "a/b");
        assert_eq!(normalize("").unwrap(), "");
        assert_eq!(normalize("/").unwrap(), "");
        assert_eq!(normalize("///").unwrap(), "");
        assert_eq!(normalize("my file ü.txt").unwrap(), "my file ü.txt");
    }

    #[test]
    fn normalize_rejects_traversal_and_blank_segments() {
        for bad in ["../x", "a/../b", "a/./b", "a/ /b", "a/\u{7}b", ".."] {
            let err = normalize(bad).unwrap_err();
            assert!(matches!(err, ApiError::InvalidInput(_)), "{bad}");
            assert!(err.to_string().contains("invalid Stage path"), "{err}");
        }
        assert!(normalize_entry("/").is_err());
        assert_eq!(normalize_entry("a/").unwrap(), "a/");
    }

    #[test]
    fn folders_parents_and_names() {
        assert!(is_folder(""));
        assert!(is_folder("a/"));
        assert!(!is_folder("a"));
        assert_eq!(as_folder("a"), "a/");
        assert_eq!(as_folder("a/"), "a/");
        assert_eq!(as_folder(""), "");
        assert_eq!(parent("a/b/c.txt"), "a/b/");
        assert_eq!(parent("a/b/"), "a/");
        assert_eq!(parent("a"), "");
        assert_eq!(parent(""), "");
        assert_eq!(file_name("a/b/c.txt"), "c.txt");
        assert_eq!(file_name("a/b/"), "b");
        assert_eq!(file_name("c"), "c");
        assert_eq!(file_name(""), "");
    }

    #[test]
    fn join_handles_root_and_slashes() {
        assert_eq!(join("", "x.csv"), "x.csv");
        assert_eq!(join("a/", "x.csv"), "a/x.csv");
        assert_eq!(join("a", "/x.csv"), "a/x.csv");
        assert_eq!(join("a/", "sub/"), "a/sub/");
    }

    #[test]
    fn encode_keeps_slashes_and_escapes_the_rest() {
        assert_eq!(encode("a/b/c.txt"), "a/b/c.txt");
        assert_eq!(encode("my dir/a b.txt"), "my%20dir/a%20b.txt");
        assert_eq!(encode("ü/€"), "%C3%BC/%E2%82%AC");
        assert_eq!(encode("q?#%&+"), "q%3F%23%25%26%2B");
        assert_eq!(encode("dir/"), "dir/");
    }
}
