//! Frames as pictures: a ratatui buffer written out as SVG (monospace text with its colours and
//! bold), so the README shows each pane exactly as the project's own views draw it.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const FG: &str = "#d0d4dc";
const BG: &str = "#14181f";

/// The xterm colour of a ratatui colour (`None`: the default).
fn hex(c: Color) -> Option<String> {
    let named = |s: &str| Some(s.to_string());
    match c {
        Color::Reset => None,
        Color::Black => named("#1d2129"),
        Color::Red => named("#e06c75"),
        Color::Green => named("#98c379"),
        Color::Yellow => named("#e5c07b"),
        Color::Blue => named("#61afef"),
        Color::Magenta => named("#c678dd"),
        Color::Cyan => named("#56b6c2"),
        Color::Gray => named("#abb2bf"),
        Color::DarkGray => named("#5c6370"),
        Color::LightRed => named("#f28b94"),
        Color::LightGreen => named("#b5e08f"),
        Color::LightYellow => named("#f0d59a"),
        Color::LightBlue => named("#8cc8f5"),
        Color::LightMagenta => named("#dba0ec"),
        Color::LightCyan => named("#86d2dc"),
        Color::White => named("#f0f2f5"),
        Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(i) => Some(format!("#{0:02x}{0:02x}{0:02x}", i)),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The whole buffer as an SVG document.
pub fn to_svg(buf: &Buffer) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let (pw, ph) = (f32::from(w) * CELL_W + 16.0, f32::from(h) * CELL_H + 16.0);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pw:.0}\" height=\"{ph:.0}\" viewBox=\"0 0 {pw:.0} {ph:.0}\">\n\
         <rect width=\"100%\" height=\"100%\" rx=\"6\" fill=\"{BG}\"/>\n\
         <g font-family=\"ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace\" font-size=\"14\" xml:space=\"preserve\">\n"
    );
    for y in 0..h {
        let top = 8.0 + f32::from(y) * CELL_H;
        // Backgrounds first, in runs of one colour.
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let bg = if reversed { hex(cell.fg).or(Some(FG.to_string())) } else { hex(cell.bg) };
            let start = x;
            while x < w {
                let c = &buf[(x, y)];
                let r = c.modifier.contains(Modifier::REVERSED);
                let b = if r { hex(c.fg).or(Some(FG.to_string())) } else { hex(c.bg) };
                if b != bg {
                    break;
                }
                x += 1;
            }
            if let Some(bg) = bg {
                let _ = writeln!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    8.0 + f32::from(start) * CELL_W,
                    f32::from(x - start) * CELL_W
                );
            }
        }
        // Then text, in runs of one style; each run is placed at its own column.
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            let style = (cell.fg, cell.modifier);
            let start = x;
            let mut text = String::new();
            while x < w && (buf[(x, y)].fg, buf[(x, y)].modifier) == style {
                text.push_str(buf[(x, y)].symbol());
                x += 1;
            }
            if text.trim().is_empty() {
                continue;
            }
            let reversed = style.1.contains(Modifier::REVERSED);
            let fill = if reversed {
                hex(cell.bg).unwrap_or_else(|| BG.to_string())
            } else {
                hex(style.0).unwrap_or_else(|| FG.to_string())
            };
            let weight = if style.1.contains(Modifier::BOLD) { " font-weight=\"bold\"" } else { "" };
            let deco = if style.1.contains(Modifier::UNDERLINED) { " text-decoration=\"underline\"" } else { "" };
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{fill}\"{weight}{deco} textLength=\"{:.1}\">{}</text>",
                8.0 + f32::from(start) * CELL_W,
                top + CELL_H - 4.0,
                f32::from(x - start) * CELL_W,
                escape(&text)
            );
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn text_colours_and_escaping_survive() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 2));
        buf.set_string(0, 0, "a<b & c>", Style::default().fg(Color::Green).add_modifier(Modifier::BOLD));
        buf.set_string(0, 1, "sel", Style::default().bg(Color::Blue));
        let svg = to_svg(&buf);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains(">a&lt;b &amp; c&gt;</text>"), "{svg}");
        assert!(svg.contains("fill=\"#98c379\" font-weight=\"bold\""), "{svg}");
        assert!(svg.contains("fill=\"#61afef\""), "the background run is drawn: {svg}");
    }
}
