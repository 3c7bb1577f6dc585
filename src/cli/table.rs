//! Plain aligned text tables for `s2tui get -o table`. Every cell is made safe for a terminal
//! on the way in: names and reasons come from the API.

use unicode_width::UnicodeWidthStr;

use crate::sanitize::one_line_owned;

/// A cell for text the API may leave out or empty: `-` then.
pub fn or_dash(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("-").to_string()
}

/// A table of text cells with a header row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<I, S>(header: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { header: header.into_iter().map(|c| one_line_owned(c.into())).collect(), rows: Vec::new() }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(|c| one_line_owned(c.into())).collect());
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Columns separated by two spaces; the last column is not padded.
    pub fn render(&self) -> String {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(cols) {
                line.push_str(cell);
                if i + 1 < cols {
                    line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_reach_the_terminal_raw() {
        let mut t = Table::new(["NAME", "NOTE"]);
        t.row(["evil\u{1b}]0;owned\u{7}team", "two\nlines"]);
        assert_eq!(t.render(), "NAME      NOTE\nevilteam  two lines\n");
    }

    #[test]
    fn aligns_wide_characters() {
        let mut t = Table::new(["NAME", "STATE"]);
        t.row(["données", "ACTIVE"]);
        t.row(["x", "SUSPENDED"]);
        assert_eq!(t.render(), "NAME     STATE\ndonnées  ACTIVE\nx        SUSPENDED\n");
    }
}
