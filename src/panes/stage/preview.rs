//! A quick look at a file's first bytes: text as lines, CSV/TSV as an aligned table, binary
//! files named as such. Pure: the bytes were read by the runner.

pub use crate::api::stage::PREVIEW_BYTES;
use unicode_width::UnicodeWidthStr;

/// Widest a CSV column is drawn.
const MAX_COLUMN: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub title: String,
    pub lines: Vec<String>,
    /// Under the text: what was shown of how much.
    pub note: String,
    pub scroll: usize,
}

/// Builds the preview of `path` from its first `bytes` (`total`: the full size, if known).
pub fn build(path: &str, bytes: &[u8], total: Option<u64>) -> Preview {
    let title = format!("Preview /{path}");
    let truncated = total.is_some_and(|t| t > bytes.len() as u64) || bytes.len() >= PREVIEW_BYTES;
    let size = total.map_or_else(|| "unknown size".to_string(), super::super::transfers::human_bytes);
    let Some(text) = as_text(bytes, truncated) else {
        return Preview {
            title,
            lines: vec![format!("Binary file ({size}): not shown. Download it with D.")],
            note: String::new(),
            scroll: 0,
        };
    };
    let lower = path.to_ascii_lowercase();
    let sep = if lower.ends_with(".csv") {
        Some(',')
    } else if lower.ends_with(".tsv") {
        Some('\t')
    } else {
        None
    };
    let mut lines: Vec<&str> = text.lines().collect();
    if truncated && lines.len() > 1 {
        // The last line is probably cut in the middle.
        lines.pop();
    }
    let lines = match sep {
        Some(sep) => align(&lines.iter().map(|l| split_csv(l, sep)).collect::<Vec<_>>()),
        None => lines.iter().map(|l| l.replace('\t', "    ")).collect(),
    };
    let note = if truncated {
        format!("first {} of {size}", super::super::transfers::human_bytes(bytes.len() as u64))
    } else {
        format!("{size}, whole file")
    };
    Preview { title, lines, note, scroll: 0 }
}

/// The bytes as text, or `None` for binary content. A multi-byte character cut at the end of
/// a truncated read is not a sign of binary.
fn as_text(bytes: &[u8], truncated: bool) -> Option<String> {
    if bytes.contains(&0) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(e) if truncated && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok().map(str::to_string)
        }
        Err(_) => None,
    }
}

/// One CSV line into fields (double quotes group, `""` is a quote).
pub fn split_csv(line: &str, sep: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Pads every column to its widest cell (capped), separated by ` │ `.
fn align(rows: &[Vec<String>]) -> Vec<String> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width().min(MAX_COLUMN));
        }
    }
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let cut = cut(cell, MAX_COLUMN);
                    let pad = widths[i].saturating_sub(cut.width());
                    format!("{cut}{}", " ".repeat(pad))
                })
                .collect();
            cells.join(" │ ").trim_end().to_string()
        })
        .collect()
}

fn cut(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + 2 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_aligned() {
        let bytes = b"id,name\n1,\"Smith, J\"\n22,Li\n";
        let p = build("data/x.csv", bytes, Some(bytes.len() as u64));
        assert_eq!(p.lines, vec!["id │ name", "1  │ Smith, J", "22 │ Li"]);
        assert!(p.note.contains("whole file"));
    }

    #[test]
    fn binary_is_named() {
        let p = build("x.parquet", &[b'P', b'A', b'R', 0, 1, 2], Some(6));
        assert!(p.lines[0].starts_with("Binary file"));
    }

    #[test]
    fn a_cut_character_at_the_end_is_still_text() {
        let mut bytes = "héllo\nwörld".as_bytes().to_vec();
        bytes.truncate(bytes.len() - 4);
        let p = build("a.txt", &bytes, Some(100));
        assert_eq!(p.lines, vec!["héllo"]);
        assert!(p.note.starts_with("first"));
    }
}
