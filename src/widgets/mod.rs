//! Pieces shared by the panes: the table, forms, confirmations, the JSON viewer, the command
//! palette, help and toasts. Each holds its own state and draws itself from it.

pub mod confirm;
pub mod form;
pub mod help;
pub mod json_view;
pub mod modal;
pub mod palette;
pub mod table;
pub mod toast;

use ratatui::layout::Rect;

/// A `width` × `height` rectangle centred in `area` (clamped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}
