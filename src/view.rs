//! `render`: the frame from the state, read-only. Header, breadcrumbs, the pane, key hints,
//! then modals and toasts on top.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::msg::Action;
use crate::panes;
use crate::state::{State, human_duration};
use crate::widgets::modal::Modal;
use crate::widgets::{confirm, form, help, json_view, palette, toast};

pub fn render(frame: &mut Frame, state: &State) {
    let area = frame.area();
    let [header, crumbs, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)])
            .areas(area);
    render_header(frame, header, state);
    render_crumbs(frame, crumbs, state);
    panes::render(frame, body, state);
    render_footer(frame, footer, state);
    for modal in &state.modals {
        render_modal(frame, body, modal, state);
    }
    toast::render(frame, body, &state.toasts, &state.theme);
}

fn render_header(frame: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    let org = match (&state.data.org.value, &state.data.org.error) {
        (Some(o), _) => o.name.clone().unwrap_or_else(|| o.org_id.to_string()),
        (None, Some(_)) => "organization unavailable".into(),
        (None, None) => "loading…".into(),
    };
    let mut left = vec![Span::styled(" s2tui ", t.title), Span::styled(org, t.header_bar)];
    // Who the key acts as, once the API said.
    if let Some(me) = &state.data.me.value {
        left.push(Span::styled(format!(" · {}", me.display_name()), t.header_bar));
    }
    left.push(Span::raw(" "));
    // The in-process demo's implicit profile says nothing the DEMO badge does not.
    if !(state.session.demo && state.session.profile == "demo") {
        let production = if state.session.production { " · PRODUCTION" } else { "" };
        left.push(Span::styled(
            format!(" {}{production} ", state.session.profile),
            t.band(state.session.profile_color.as_deref(), state.session.production),
        ));
        left.push(Span::raw(" "));
    }
    if state.session.demo {
        left.push(Span::styled(" DEMO ", t.demo_badge));
        left.push(Span::raw(" "));
    } else {
        let host = state.session.base_url.trim_start_matches("https://").trim_start_matches("http://");
        left.push(Span::styled(format!(" {host} "), t.header_bar));
    }
    // Which API the panes speak: workspaces (v1) or clusters (v2).
    left.push(Span::styled(format!("API {} ", state.session.api_version), t.header_bar));
    if state.session.read_only {
        left.push(Span::styled(" READ-ONLY ", t.read_only_badge));
    }
    let left = Line::from(left);
    let left_width = left.width() as u16;
    frame.render_widget(Paragraph::new(left).style(t.header_bar), area);

    // Right side: what the API is doing right now, each part with a rank (lower is kept longer).
    let mut right: Vec<(u8, Span)> = Vec::new();
    let inflight = state.requests.inflight.len();
    if inflight > 0 {
        right.push((2, Span::styled(format!("⟳ {inflight} in flight "), t.warn)));
    }
    // A change without a reply is not pending: whether it happened is what is unknown.
    let checking = state.ops.checking_count();
    let pending = state.ops.pending_count() - checking;
    if pending > 0 {
        let ops = crate::widgets::count(pending, "op", "ops");
        right.push((1, Span::styled(format!("{ops} pending "), t.warn)));
    }
    if checking > 0 {
        let ops = crate::widgets::count(checking, "op", "ops");
        right.push((1, Span::styled(format!("{ops} unknown "), t.warn)));
    }
    if let Some(transfers) = panes::transfers::indicator(&state.view()) {
        right.push((1, Span::styled(format!("{transfers} "), t.warn)));
    }
    if let Some(err) = &state.requests.failing {
        let short: String = err.chars().take(40).collect();
        right.push((0, Span::styled(format!("✗ {short} "), t.error)));
    }
    // The visible pane's own last good read: another pane's, or a failed one, says nothing about it.
    let refreshed = match state.panes.freshness(state.location.pane, &state.view()) {
        Some(Some(at)) => Some(format!("refreshed {} ago ", human_duration(state.now.saturating_duration_since(at)))),
        Some(None) => Some("not refreshed yet ".to_string()),
        None => None,
    };
    right.extend(refreshed.map(|r| (3, Span::styled(r, t.header_bar))));
    // Only the room the left part leaves: the least important parts go first, never the badges.
    let room = area.width.saturating_sub(left_width + 1) as usize;
    let width = |parts: &[(u8, Span)]| parts.iter().map(|(_, s)| s.width()).sum::<usize>();
    while width(&right) > room {
        let Some(drop) = right.iter().enumerate().max_by_key(|(_, (rank, _))| *rank).map(|(i, _)| i) else { break };
        if right[drop].0 == 0 {
            // Only the error is left and it is still too long: show its start.
            let (_, span) = &mut right[drop];
            let keep: String = span.content.chars().take(room.saturating_sub(2)).collect();
            span.content = format!("{keep}… ").into();
            break;
        }
        right.remove(drop);
    }
    let line = Line::from(right.into_iter().map(|(_, s)| s).collect::<Vec<_>>());
    let width = (line.width() as u16).min(room as u16);
    if width > 0 {
        let rect = Rect { x: area.x + area.width.saturating_sub(width), width, ..area };
        frame.render_widget(Paragraph::new(line).style(t.header_bar), rect);
    }
}

fn render_crumbs(frame: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    let crumbs = state.breadcrumbs();
    let mut spans = vec![Span::raw(" ")];
    for (i, c) in crumbs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", t.dim));
        }
        let style = if i + 1 == crumbs.len() { t.title } else { t.base };
        spans.push(Span::styled(c.clone(), style));
    }
    let Some(table) = panes::table(state) else {
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    };
    if table.editing_filter || !table.filter().is_empty() {
        spans.push(Span::styled("   /", t.key));
        let cursor = if table.editing_filter { "▏" } else { "" };
        spans.push(Span::styled(format!("{}{cursor}", table.filter()), t.matched));
    }
    if let Some((col, desc)) = table.sort()
        && let Some(c) = table.columns.get(col)
    {
        spans.push(Span::styled(format!("   sort:{}{}", c.title, if desc { "↓" } else { "↑" }), t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_footer(frame: &mut Frame, area: Rect, state: &State) {
    let t = &state.theme;
    let editing = panes::table(state).is_some_and(|t| t.editing_filter);
    let spans: Vec<Span> = if editing {
        vec![
            Span::styled(" type", t.key),
            Span::raw(" to filter  "),
            Span::styled("enter", t.key),
            Span::raw(" keep  "),
            Span::styled("esc", t.key),
            Span::raw(" clear  "),
            Span::styled("!x", t.key),
            Span::raw(" without  "),
            Span::styled("=x", t.key),
            Span::raw(" exact  "),
            Span::styled("~re", t.key),
            Span::raw(" regex"),
        ]
    } else {
        let contexts = state.contexts();
        // `? help` is where every other key is found: it always shows, last.
        let help = state.keymap.hint_bindings(&contexts).find(|b| b.action == Action::Help);
        let help_width = help.map_or(0, |b| b.key.to_string().chars().count() + b.hint.chars().count() + 3);
        let mut spans = Vec::new();
        let mut width = help_width;
        let hints = state.keymap.hint_bindings(&contexts).filter(|b| b.action != Action::Help);
        // A read-only session does not advertise keys that would only be refused.
        for b in hints.filter(|b| !(state.session.read_only && b.action.is_mutation())) {
            let k = format!(" {}", b.key);
            let h = format!(" {} ", b.hint);
            width += k.chars().count() + h.chars().count();
            if width > area.width as usize {
                break;
            }
            spans.push(Span::styled(k, t.key));
            spans.push(Span::styled(h, t.dim));
        }
        if let Some(b) = help {
            spans.push(Span::styled(format!(" {}", b.key), t.key));
            spans.push(Span::styled(format!(" {} ", b.hint), t.dim));
        }
        spans
    };
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_modal(frame: &mut Frame, area: Rect, modal: &Modal, state: &State) {
    let t = &state.theme;
    match modal {
        Modal::Help(h) => help::render(frame, area, h, &state.keymap, &state.contexts(), t),
        Modal::Palette(p) => palette::render(frame, area, p, t),
        Modal::Describe(v) => json_view::render(frame, area, v, t),
        Modal::Confirm(c) => confirm::render_confirm(frame, area, c, t),
        Modal::TypedConfirm(c) => confirm::render_typed(frame, area, c, t),
        Modal::Form(f) => form::render(frame, area, &f.form, t),
        Modal::Files(m) => panes::stage::render_modal(frame, area, m, &state.view()),
        Modal::Reveal(r) => {
            let mut lines: Vec<Line> = r.lines.iter().map(|l| Line::raw(l.clone())).collect();
            lines.push(Line::raw(""));
            lines.push(Line::styled(r.secret.clone(), t.key));
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("y", t.key),
                Span::raw(if r.copied { " copied ✓   " } else { " copy   " }),
                Span::styled("esc", t.key),
                Span::raw(if r.what == "password" { " close (the password is then forgotten)" } else { " close" }),
            ]));
            // Long lines wrap: count the rows they take so the keys line is never cut off.
            let width = area.width.clamp(30, 70);
            let inner = usize::from(width.saturating_sub(2)).max(1);
            let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
            let rect = crate::widgets::centered(area, width, (rows as u16).saturating_add(2));
            frame.render_widget(Clear, rect);
            frame.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(t.warn)
                        .title(Span::styled(format!(" {} ", r.title), t.warn)),
                ),
                rect,
            );
        }
    }
}
