//! Every screen the program drew during a run, so a test can say "no frame ever showed X", not
//! only "the screen shows X now".
//!
//! The dashboard wraps each frame in a synchronized update (`CSI ? 2026 h` … `CSI ? 2026 l`), so
//! a frame is recorded whole when its end marker is read, however the bytes were split between
//! reads; output outside such a block (the first screens, a shell's prompt) is recorded after
//! each read. A screen equal to the one before is not recorded again.
#![allow(dead_code, clippy::unwrap_used)]

pub const SYNC_BEGIN: &[u8] = b"\x1b[?2026h";
pub const SYNC_END: &[u8] = b"\x1b[?2026l";

/// The screens seen so far, in order, and where the output stream stands.
#[derive(Default)]
pub struct Frames {
    frames: Vec<String>,
    /// Inside a synchronized update: the screen is half drawn until its end marker.
    inside: bool,
    /// The last bytes of the previous read, to find a marker split across two reads.
    tail: Vec<u8>,
}

impl Frames {
    /// Feeds one read of the program's output to `parser`, recording each frame completed by it.
    pub fn feed(&mut self, parser: &mut vt100::Parser, chunk: &[u8]) {
        let mut window = std::mem::take(&mut self.tail);
        let carried = window.len();
        window.extend_from_slice(chunk);
        let mut fed = 0;
        let mut at = 0;
        while at + SYNC_BEGIN.len() <= window.len() {
            let here = &window[at..at + SYNC_BEGIN.len()];
            if here == SYNC_BEGIN {
                self.inside = true;
            } else if here == SYNC_END {
                self.inside = false;
                // Markers found in the carried tail end inside this chunk, never before it.
                let end = (at + SYNC_END.len()).saturating_sub(carried);
                parser.process(&chunk[fed..end]);
                fed = end;
                self.record(parser);
            }
            at += 1;
        }
        parser.process(&chunk[fed..]);
        if !self.inside {
            self.record(parser);
        }
        let keep = window.len().saturating_sub(SYNC_BEGIN.len() - 1);
        self.tail = window[keep..].to_vec();
    }

    fn record(&mut self, parser: &vt100::Parser) {
        let screen = parser.screen().contents();
        if self.frames.last() != Some(&screen) {
            self.frames.push(screen);
        }
    }

    pub fn len(&self) -> usize {
        self.frames.len()
    }

    pub fn all(&self) -> &[String] {
        &self.frames
    }
}

/// The first frame at or after `from` for which `shows` holds.
pub fn first(frames: &[String], from: usize, shows: impl Fn(&str) -> bool) -> Option<usize> {
    frames.iter().skip(from).position(|f| shows(f)).map(|i| i + from)
}

/// Fails, printing the offending frame and the one before it, if any frame shows `what`.
pub fn assert_never(frames: &[String], what: &str, shows: impl Fn(&str) -> bool) {
    if let Some(i) = first(frames, 0, shows) {
        let before = if i > 0 { frames[i - 1].as_str() } else { "(none)" };
        panic!("frame {i} of {} showed {what}:\n{}\nthe frame before it:\n{before}", frames.len(), frames[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser() -> vt100::Parser {
        vt100::Parser::new(2.try_into().unwrap(), 10.try_into().unwrap(), 0)
    }

    #[test]
    fn a_frame_split_across_reads_is_recorded_once_whole() {
        let (mut p, mut f) = (parser(), Frames::default());
        f.feed(&mut p, b"\x1b[?2026hAB");
        f.feed(&mut p, b"CD\x1b[?20");
        f.feed(&mut p, b"26l\x1b[?2026hX");
        assert_eq!(f.all(), ["ABCD"]);
        f.feed(&mut p, b"\x1b[?2026l");
        assert_eq!(f.all(), ["ABCD", "ABCDX"]);
    }

    #[test]
    fn output_outside_a_frame_is_recorded_per_read_and_repeats_are_dropped() {
        let (mut p, mut f) = (parser(), Frames::default());
        f.feed(&mut p, b"a");
        f.feed(&mut p, b"b");
        f.feed(&mut p, b"\x1b[?2026h\x1b[?2026l");
        assert_eq!(f.all(), ["a", "ab"]);
        assert_eq!(first(f.all(), 0, |s| s.contains('b')), Some(1));
    }

    #[test]
    fn two_frames_in_one_read_are_both_recorded() {
        let (mut p, mut f) = (parser(), Frames::default());
        f.feed(&mut p, b"\x1b[?2026h1\x1b[?2026l\x1b[?2026h2\x1b[?2026l");
        assert_eq!(f.all(), ["1", "12"]);
    }
}
