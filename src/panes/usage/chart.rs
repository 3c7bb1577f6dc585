//! A time chart drawn straight into the buffer: a y axis with its unit, bars (credits) or a
//! braille line (storage) per bucket, calendar labels under the x axis. Buckets without data
//! are marked `·` (bars) or left as a gap (line), never drawn as zero; the bucket that is
//! still filling up is drawn shaded.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::aggregate::{Unit, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Bars,
    Line,
}

/// Styles of the parts of a chart.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub data: Style,
    pub partial: Style,
    pub axis: Style,
    pub label: Style,
    pub missing: Style,
    pub warn: Style,
}

pub struct Plot<'a> {
    pub shape: Shape,
    pub values: &'a [Value],
    /// Unreadable values per bucket: the bucket gets a `?`.
    pub bad: &'a [u32],
    pub partial: Option<usize>,
    /// `n + 1` bucket boundaries.
    pub bounds: &'a [DateTime<Utc>],
    pub unit: Unit,
    /// The y axis unit, written above it ("credits", "GiB").
    pub y_unit: &'a str,
    /// Values are divided by this before they are drawn and labelled (bytes → GiB).
    pub scale: f64,
    /// The least width of the tick labels, so charts stacked together line up.
    pub gutter: u16,
}

const EIGHTHS: [char; 8] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇'];

/// 1, 2, 2.5, 5 × 10^k at or above `v`.
pub fn nice_ceil(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v * (1.0 - 1e-9) {
            return m * p;
        }
    }
    10.0 * p
}

/// A tick value: as few decimals as its size allows.
pub fn fmt_tick(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        trim(format!("{v:.1}"))
    } else {
        trim(format!("{v:.2}"))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

fn put(buf: &mut Buffer, x: u16, y: u16, s: &str, style: Style) {
    let area = buf.area;
    if y >= area.bottom() || x >= area.right() {
        return;
    }
    let room = (area.right() - x) as usize;
    buf.set_stringn(x, y, s, room, style);
}

/// The label under bucket `t`, or `None` when this bucket goes unlabelled at `step`.
/// Labels fall on round times (every 3 hours, every 7 days…) counted from the newest bucket.
fn x_label(unit: Unit, t: DateTime<Utc>, from_end: usize, step: usize, wide: bool) -> Option<String> {
    use chrono::{Datelike, Timelike};
    match unit {
        Unit::Hour => {
            if !(t.hour() as usize).is_multiple_of(step) {
                return None;
            }
            Some(if t.hour() == 0 { t.format("%-d %b").to_string() } else { t.format("%H:00").to_string() })
        }
        Unit::Day => {
            if !from_end.is_multiple_of(step) {
                return None;
            }
            Some(match (wide, t.day()) {
                (true, 1) => t.format("%b %-d").to_string(),
                (true, _) => t.format("%a %-d").to_string(),
                (false, 1) => t.format("%b").to_string(),
                (false, _) => t.format("%-d").to_string(),
            })
        }
        Unit::Month => {
            if !from_end.is_multiple_of(step) {
                return None;
            }
            Some(if t.month() == 1 { t.format("%b '%y").to_string() } else { t.format("%b").to_string() })
        }
    }
}

/// The smallest label step whose labels fit side by side in `width` columns.
fn label_step(unit: Unit, shown: usize, width: usize) -> (usize, bool) {
    let (steps, label_w, narrow_w): (&[usize], usize, usize) = match unit {
        Unit::Hour => (&[1, 2, 3, 4, 6, 12, 24], 6, 6),
        Unit::Day => (&[1, 2, 7, 14, 30], 6, 3),
        Unit::Month => (&[1, 2, 3, 6, 12], 7, 7),
    };
    for wide in [true, false] {
        let w = if wide { label_w } else { narrow_w };
        for &step in steps {
            if shown.div_ceil(step) * (w + 1) <= width {
                return (step, wide);
            }
        }
    }
    (steps[steps.len() - 1], false)
}

/// Tick values from `hi` down to `lo`: as many round divisions as the height allows.
fn ticks(lo: f64, hi: f64, rows: u16) -> Vec<f64> {
    for d in [5u16, 4, 2] {
        let step = (hi - lo) / f64::from(d);
        let round = ((step * 100.0).round() - step * 100.0).abs() < 1e-6;
        if rows / d >= 3 && round {
            return (0..=d).rev().map(|j| lo + step * f64::from(j)).collect();
        }
    }
    if rows >= 4 { vec![hi, lo + (hi - lo) / 2.0, lo] } else { vec![hi, lo] }
}

/// Draws `plot` into `area` of `buf`.
pub fn render(buf: &mut Buffer, area: Rect, plot: &Plot<'_>, s: &Styles) {
    let n = plot.values.len();
    if area.width < 12 || area.height < 4 || n == 0 {
        return;
    }
    let scale = if plot.scale > 0.0 { plot.scale } else { 1.0 };
    let present: Vec<f64> = plot.values.iter().flatten().map(|v| v / scale).collect();
    let max = present.iter().copied().fold(0.0_f64, f64::max);
    let min = present.iter().copied().fold(f64::INFINITY, f64::min);
    // Bars always start at zero; a line of a slowly growing level zooms in on its range.
    let (lo, hi) = match plot.shape {
        Shape::Line if min.is_finite() && min > 0.6 * max && max > 0.0 => {
            let span = nice_ceil((max - min).max(max * 0.02) * 1.25);
            let lo = ((min - span * 0.1) / span * 4.0).floor() * span / 4.0;
            (lo.max(0.0), lo.max(0.0) + span)
        }
        _ => (0.0, nice_ceil(max)),
    };

    // Rows: unit, plot rows…, axis, labels.
    let plot_rows = area.height.saturating_sub(3).max(1);
    let top = area.y + 1;
    let axis_y = top + plot_rows;
    let label_y = axis_y + 1;
    let ticks = ticks(lo, hi, plot_rows);
    let tick_labels: Vec<String> = ticks.iter().map(|t| fmt_tick(*t)).collect();
    // The unit sits on its own row above the axis, so only the tick labels set the gutter.
    let gutter = (tick_labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as u16).max(plot.gutter);
    let axis_x = area.x + gutter + 1;
    let plot_x = axis_x + 1;
    let plot_w = area.right().saturating_sub(plot_x);
    if plot_w < 4 {
        return;
    }

    put(buf, area.x, area.y, plot.y_unit, s.label);
    for (t, label) in ticks.iter().zip(&tick_labels) {
        let frac = if hi > lo { (t - lo) / (hi - lo) } else { 0.0 };
        let row = top + plot_rows - 1 - ((frac * f64::from(plot_rows - 1)).round() as u16).min(plot_rows - 1);
        let pad = gutter as usize - label.chars().count();
        put(buf, area.x + pad as u16, row, label, s.label);
    }
    for y in top..axis_y {
        put(buf, axis_x, y, "│", s.axis);
    }
    put(buf, axis_x, axis_y, "└", s.axis);
    for x in plot_x..area.right() {
        put(buf, x, axis_y, "─", s.axis);
    }

    // The newest buckets win when there are more buckets than columns.
    let shown = n.min(plot_w as usize);
    let first = n - shown;
    // Equal slots (uneven ones read as bars of different widths); a gap once there is room.
    let slot = (plot_w as usize / shown).max(1);
    let bar_w = if slot >= 2 { slot - (slot / 5).max(1) } else { 1 };
    let slot_x = |k: usize| plot_x + (k * slot) as u16;
    let (label_every, wide_labels) = label_step(plot.unit, shown, (slot * shown).max(1));
    let eighths = f64::from(plot_rows) * 8.0;
    let height_of = |v: f64| -> usize {
        if hi <= lo {
            return 0;
        }
        (((v - lo) / (hi - lo)).clamp(0.0, 1.0) * eighths).round() as usize
    };

    let mut dots = match plot.shape {
        Shape::Line => Some(Braille::new(plot_w, plot_rows)),
        Shape::Bars => None,
    };
    let mut prev: Option<(usize, f64)> = None;
    let mut next_label_x = 0usize;
    for k in 0..shown {
        let i = first + k;
        let x0 = slot_x(k);
        let is_partial = plot.partial == Some(i);
        let style = if is_partial { s.partial } else { s.data };
        match plot.values[i].map(|v| v / scale) {
            None => {
                // No data: dotted ground, never a zero bar.
                for dx in 0..bar_w {
                    put(buf, x0 + dx as u16, axis_y - 1, "·", s.missing);
                    put(buf, x0 + dx as u16, axis_y, "┄", s.missing);
                }
                prev = None;
            }
            Some(v) => match &mut dots {
                None => {
                    let h = height_of(v);
                    let (full, rest) = (h / 8, h % 8);
                    for dx in 0..bar_w {
                        let x = x0 + dx as u16;
                        for r in 0..full.min(plot_rows as usize) {
                            put(buf, x, axis_y - 1 - r as u16, if is_partial { "▒" } else { "█" }, style);
                        }
                        if rest > 0 && full < plot_rows as usize {
                            let mut tmp = [0u8; 4];
                            put(buf, x, axis_y - 1 - full as u16, EIGHTHS[rest].encode_utf8(&mut tmp), style);
                        }
                    }
                    if plot.bad.get(i).is_some_and(|b| *b > 0) {
                        let row = axis_y.saturating_sub(2 + full.min(plot_rows as usize - 1) as u16).max(top);
                        put(buf, x0, row, "?", s.warn);
                    }
                }
                Some(d) => {
                    // Half-cell pixels, at the middle of the bucket's columns.
                    let mid = |k: usize| i32::from(slot_x(k) - plot_x) * 2 + bar_w as i32;
                    let (px, py) = (mid(k), d.y_of(v, lo, hi));
                    match prev {
                        Some((pk, pv)) if pk + 1 == k => d.line(mid(pk), d.y_of(pv, lo, hi), px, py, is_partial),
                        // A lone value between gaps: a short flat stroke across its bucket.
                        _ => d.line(px - bar_w as i32, py, px + bar_w as i32 - 1, py, is_partial),
                    }
                    if plot.bad.get(i).is_some_and(|b| *b > 0) {
                        put(buf, x0, top, "?", s.warn);
                    }
                    prev = Some((k, v));
                }
            },
        }
        let t = plot.bounds.get(i).copied().unwrap_or_default();
        if let Some(label) = x_label(plot.unit, t, shown - 1 - k, label_every, wide_labels) {
            let lx = x0 as usize;
            if lx >= next_label_x && lx + label.chars().count() <= area.right() as usize {
                put(buf, x0, label_y, &label, if is_partial { s.partial } else { s.label });
                next_label_x = lx + label.chars().count() + 1;
            }
        }
    }
    if let Some(d) = dots {
        d.draw(buf, plot_x, top, s.data, s.partial);
    }
}

/// A grid of braille dots (2 × 4 per cell) for the line.
struct Braille {
    w: u16,
    h: u16,
    cells: Vec<u8>,
    partial: Vec<bool>,
}

impl Braille {
    fn new(w: u16, h: u16) -> Self {
        let n = w as usize * h as usize;
        Braille { w, h, cells: vec![0; n], partial: vec![false; n] }
    }

    /// Pixel row of `v` (0 = top).
    fn y_of(&self, v: f64, lo: f64, hi: f64) -> i32 {
        let px_h = i32::from(self.h) * 4;
        if hi <= lo {
            return px_h - 1;
        }
        let frac = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        (px_h - 1) - (frac * f64::from(px_h - 1)).round() as i32
    }

    fn dot(&mut self, x: i32, y: i32, partial: bool) {
        if x < 0 || y < 0 || x >= i32::from(self.w) * 2 || y >= i32::from(self.h) * 4 {
            return;
        }
        let (cx, cy) = ((x / 2) as usize, (y / 4) as usize);
        let bit = match (x % 2, y % 4) {
            (0, 0) => 0x01,
            (0, 1) => 0x02,
            (0, 2) => 0x04,
            (1, 0) => 0x08,
            (1, 1) => 0x10,
            (1, 2) => 0x20,
            (0, _) => 0x40,
            _ => 0x80,
        };
        let i = cy * self.w as usize + cx;
        self.cells[i] |= bit;
        self.partial[i] |= partial;
    }

    fn line(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, partial: bool) {
        let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
        let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
        let (mut x, mut y, mut err) = (x0, y0, dx + dy);
        loop {
            self.dot(x, y, partial);
            if x == x1 && y == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    fn draw(&self, buf: &mut Buffer, x: u16, y: u16, style: Style, partial: Style) {
        for cy in 0..self.h {
            for cx in 0..self.w {
                let i = cy as usize * self.w as usize + cx as usize;
                let bits = self.cells[i];
                if bits == 0 {
                    continue;
                }
                let ch = char::from_u32(0x2800 + u32::from(bits)).unwrap_or('•');
                let mut tmp = [0u8; 4];
                put(buf, x + cx, y + cy, ch.encode_utf8(&mut tmp), if self.partial[i] { partial } else { style });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_ceil(3.2), 5.0);
        assert_eq!(nice_ceil(0.18), 0.2);
        assert_eq!(nice_ceil(220.0), 250.0);
        assert_eq!(nice_ceil(0.0), 1.0);
        assert_eq!(fmt_tick(2.5), "2.5");
        assert_eq!(fmt_tick(250.0), "250");
        assert_eq!(fmt_tick(0.126), "0.13");
    }
}
