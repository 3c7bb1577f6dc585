//! Which buffered entries the pane shows: all of them, or those matching the search (plus N
//! lines of context around each match). Kept as positions into the ring, never as rows of text,
//! so a search over a million entries allocates one vector of numbers.

use uuid::Uuid;

use super::buffer::{Buffer, Inserted};
use super::filter::{Hits, Needle};

#[derive(Debug, Default)]
pub struct View {
    needle: Option<Needle>,
    /// Lines of context shown around each match.
    pub context: usize,
    /// Positions of the matching entries, ascending.
    matches: Vec<u64>,
    /// Matches plus context, ascending; empty when `context` is 0 (then `matches` is shown).
    shown: Vec<u64>,
    /// Results of shorter searches typed on the way here, reused on backspace.
    history: Vec<(Needle, Vec<u64>)>,
}

/// How an interned ID is shown (and so searched): a workspace or group name, or a short ID.
pub type Label<'a> = &'a dyn Fn(Uuid) -> String;

impl View {
    pub fn needle(&self) -> Option<&Needle> {
        self.needle.as_ref()
    }

    pub fn is_filtered(&self) -> bool {
        self.needle.is_some()
    }

    fn list(&self) -> &[u64] {
        if self.context > 0 { &self.shown } else { &self.matches }
    }

    /// Number of rows shown.
    pub fn len(&self, buf: &Buffer) -> usize {
        if self.needle.is_some() { self.list().len() } else { buf.len() }
    }

    /// Number of matching entries (every entry when nothing is searched).
    pub fn match_count(&self, buf: &Buffer) -> usize {
        if self.needle.is_some() { self.matches.len() } else { buf.len() }
    }

    /// The position of row `i`.
    pub fn at(&self, i: usize, buf: &Buffer) -> Option<u64> {
        if self.needle.is_some() { self.list().get(i).copied() } else { (i < buf.len()).then(|| buf.base() + i as u64) }
    }

    /// The row showing position `pos`, or the row of the next position shown after it.
    pub fn row_of(&self, pos: u64, buf: &Buffer) -> usize {
        if self.needle.is_some() {
            self.list().partition_point(|&p| p < pos)
        } else {
            pos.saturating_sub(buf.base()) as usize
        }
    }

    /// True if the entry at `pos` matches the search (context rows do not).
    pub fn is_match(&self, pos: u64) -> bool {
        self.needle.is_none() || self.matches.binary_search(&pos).is_ok()
    }

    /// Searches the whole buffer for `needle` (`None` shows everything).
    pub fn set_needle(&mut self, needle: Option<Needle>, buf: &Buffer, label: Label) {
        let Some(needle) = needle else {
            self.needle = None;
            self.matches = Vec::new();
            self.shown = Vec::new();
            self.history.clear();
            return;
        };
        if let Some(current) = self.needle.take() {
            let matches = std::mem::take(&mut self.matches);
            self.history.push((current, matches));
        }
        // Reuse an earlier result for this very search, or narrow the closest broader one.
        self.history.retain(|(n, _)| n.narrows(&needle));
        let exact = self.history.iter().position(|(n, _)| n.text() == needle.text());
        self.matches = match exact {
            Some(i) => self.history.remove(i).1,
            None => {
                let hits = Hits::new(&needle, buf, label);
                match self.history.iter().max_by_key(|(n, _)| n.text().len()) {
                    Some((_, broader)) => broader
                        .iter()
                        .copied()
                        .filter(|&p| buf.get(p).is_some_and(|e| hits.matches(&needle, e)))
                        .collect(),
                    None => scan(buf, buf.base(), &needle, &hits),
                }
            }
        };
        self.needle = Some(needle);
        self.rebuild_context(buf);
    }

    pub fn set_context(&mut self, context: usize, buf: &Buffer) {
        self.context = context;
        self.rebuild_context(buf);
    }

    /// Keeps the view right after a batch went into the buffer.
    pub fn on_insert(&mut self, buf: &Buffer, inserted: Inserted, old_end: u64, label: Label) {
        self.history.clear();
        let Some(needle) = self.needle.clone() else { return };
        if inserted.reordered {
            self.needle = None;
            self.set_needle(Some(needle), buf, label);
            return;
        }
        let base = buf.base();
        let gone = self.matches.partition_point(|&p| p < base);
        self.matches.drain(..gone);
        if inserted.added > 0 {
            let hits = Hits::new(&needle, buf, label);
            self.matches.extend(scan(buf, old_end.max(base), &needle, &hits));
        }
        self.rebuild_context(buf);
    }

    fn rebuild_context(&mut self, buf: &Buffer) {
        self.shown.clear();
        if self.context == 0 || self.needle.is_none() {
            return;
        }
        let (lo, hi) = (buf.base(), buf.end());
        let n = self.context as u64;
        for &p in &self.matches {
            let from = p.saturating_sub(n).max(lo).max(self.shown.last().map_or(0, |l| l + 1));
            let to = (p + n + 1).min(hi);
            self.shown.extend(from..to);
        }
    }
}

/// Entries below this are searched on one thread.
const PARALLEL_FROM: usize = 50_000;

/// Positions of the entries from `from` on that match; split over the available cores, since a
/// search over a million entries is mostly waiting on memory.
fn scan(buf: &Buffer, from: u64, needle: &Needle, hits: &Hits) -> Vec<u64> {
    let skip = from.saturating_sub(buf.base()) as usize;
    let n = buf.len().saturating_sub(skip);
    let part = |start: usize, end: usize| -> Vec<u64> {
        buf.range(start..end)
            .enumerate()
            .filter(|(_, e)| hits.matches(needle, e))
            .map(|(i, _)| buf.base() + (start + i) as u64)
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if n < PARALLEL_FROM || threads < 2 {
        return part(skip, skip + n);
    }
    let step = n.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (a, b) = (skip + t * step, (skip + (t + 1) * step).min(skip + n));
                s.spawn(move || part(a, b))
            })
            .collect();
        let mut out = Vec::new();
        for h in handles {
            // A panicking search thread is a bug; show everything rather than nothing.
            out.extend(h.join().unwrap_or_default());
        }
        out
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::types::AuditLog;

    fn buf(reasons: &[&str]) -> Buffer {
        let mut b = Buffer::with_capacity(100);
        let logs = reasons
            .iter()
            .enumerate()
            .map(|(i, r)| AuditLog {
                audit_id: Some(Uuid::from_u128(i as u128 + 1)),
                created_at: super::super::buffer::format_nanos(i as i64 * 1000),
                reason: Some(r.to_string()),
                ..Default::default()
            })
            .collect();
        b.insert(logs);
        b
    }

    fn rows(v: &View, b: &Buffer) -> Vec<u64> {
        (0..v.len(b)).filter_map(|i| v.at(i, b)).collect()
    }

    #[test]
    fn narrows_widens_and_shows_context() {
        let label = |_: Uuid| String::new();
        let b = buf(&["alpha", "beta", "gamma", "alphabet", "delta", "epsilon"]);
        let mut v = View::default();
        v.set_needle(Needle::new("al"), &b, &label);
        assert_eq!(rows(&v, &b), [0, 3]);
        v.set_needle(Needle::new("alp"), &b, &label);
        assert_eq!(rows(&v, &b), [0, 3]);
        v.set_needle(Needle::new("alphab"), &b, &label);
        assert_eq!(rows(&v, &b), [3]);
        v.set_needle(Needle::new("al"), &b, &label);
        assert_eq!(rows(&v, &b), [0, 3]);
        v.set_needle(Needle::new("l"), &b, &label);
        assert_eq!(rows(&v, &b), [0, 3, 4, 5]);
        v.set_needle(Needle::new("alphab"), &b, &label);
        v.set_context(1, &b);
        assert_eq!(rows(&v, &b), [2, 3, 4]);
        assert!(v.is_match(3) && !v.is_match(2));
        v.set_needle(None, &b, &label);
        assert_eq!(rows(&v, &b).len(), 6);
    }
}
