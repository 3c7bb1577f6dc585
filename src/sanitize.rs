//! Text from the API or from a file made safe to put on a terminal. A name such as
//! `evil␛]0;owned␇` would otherwise rename the terminal window, write the clipboard (OSC 52) or
//! clear the screen when printed. Escape sequences are removed whole, other control characters
//! (C0, DEL, C1) and the bidirectional overrides that make text read differently from what it
//! is are dropped. Used by the dashboard and by `get` alike; `-o json` output is left exact.

use std::borrow::Cow;

/// For a table cell or a one-line message: line breaks and tabs become spaces.
pub fn one_line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// [`one_line`] for an owned string, reusing it when it is already clean.
pub fn one_line_owned(s: String) -> String {
    match one_line(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(clean) => clean,
    }
}

/// For a message that may span lines (an error body): line breaks and tabs stay.
pub fn multi_line(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// Whether `c` changes the direction text is displayed in (the "Trojan Source" characters).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn unsafe_char(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn clean(s: &str, keep_lines: bool) -> Cow<'_, str> {
    let kept = |c: char| keep_lines && (c == '\n' || c == '\t');
    if !s.chars().any(|c| unsafe_char(c) && !kept(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 introducers of strings and control sequences (8-bit forms of ESC P, ESC ], ...).
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\n' | '\t' if kept(c) => out.push(c),
            '\n' | '\t' | '\r' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: a control sequence, a string (OSC, DCS, APC, PM, SOS) or a two-character escape.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // Intermediate bytes, then one final byte (e.g. ESC ( B, ESC c).
        Some(_) => {
            while chars.next_if(|c| ('\u{20}'..='\u{2f}').contains(c)).is_some() {}
            chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
        }
        None => {}
    }
}

/// Parameters and intermediates up to the final byte of a control sequence.
fn skip_csi(chars: &mut Chars<'_>) {
    while chars.next_if(|c| ('\u{20}'..='\u{3f}').contains(c)).is_some() {}
    chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// A string ends at BEL, ST (ESC \ or U+009C); an unterminated one runs to the end of the text.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole() {
        assert_eq!(one_line("evil\u{1b}]0;owned\u{7}\u{1b}]52;c;aGk=\u{7}team"), "evilteam");
        assert_eq!(one_line("a\u{1b}[2J\u{1b}[1;31mred\u{1b}[0m"), "ared");
        assert_eq!(one_line("x\u{1b}P1$qm\u{1b}\\y"), "xy");
        assert_eq!(one_line("x\u{1b}(By"), "xy");
        assert_eq!(one_line("x\u{9b}31my\u{9d}0;t\u{9c}z"), "xyz");
        assert_eq!(one_line("unterminated\u{1b}]0;title"), "unterminated");
        assert_eq!(one_line("trailing\u{1b}"), "trailing");
    }

    #[test]
    fn other_controls_and_bidi_overrides_are_dropped() {
        assert_eq!(one_line("a\u{0}b\u{8}c\u{7f}d\u{85}e"), "abcde");
        assert_eq!(one_line("admin\u{202E}gnp.exe"), "admingnp.exe");
        assert_eq!(one_line("two\r\nlines\there"), "two lines here");
        assert_eq!(multi_line("two\nlines\u{1b}[2K\there"), "two\nlines\there");
    }

    #[test]
    fn clean_text_is_borrowed_untouched() {
        for s in ["plain", "ünïcödé 名前 🚀", ""] {
            assert!(matches!(one_line(s), Cow::Borrowed(_)));
            assert_eq!(one_line(s), s);
        }
    }

    #[test]
    fn nothing_unsafe_survives() {
        let mut nasty = String::new();
        for c in (0u32..0x300).filter_map(char::from_u32) {
            nasty.push(c);
            nasty.push('x');
        }
        let out = one_line(&nasty);
        assert!(!out.chars().any(unsafe_char), "{out:?}");
        let out = multi_line(&nasty);
        assert!(!out.chars().any(|c| unsafe_char(c) && c != '\n' && c != '\t'), "{out:?}");
    }
}
