//! The organization (`:org`: name, ID, the API firewall) and the region lists (`:regions`:
//! v1, v2 and shared tier in one table, with a LIST column saying which list a row is from).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::pane::{Ctx, NoReply, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource};
use crate::widgets::palette::Command;
use crate::widgets::status;

use crate::widgets::json_view::JsonView;
use crate::widgets::modal::Modal;
use crate::widgets::table::{self, Column, Row, TableState};

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Org), "y", Action::Copy, "copy ID", "Copy the organization ID"),
    (Context::Pane(PaneId::Org), "a", Action::Access, "", "Who holds which role on the organization"),
    (Context::Pane(PaneId::Regions), "y", Action::Copy, "copy code", "Copy the region's code (its ID for a v1 region without one)"),
];

/// The organization: it is shared data (the header names it too); this pane shows it whole.
#[derive(Debug)]
pub struct OrgPane {
    /// The API firewall ranges.
    pub table: TableState,
}

impl Default for OrgPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("RANGE", Constraint::Length(20)).min(18),
                Column::new("KIND", Constraint::Length(14)),
                Column::new("ADDRESSES", Constraint::Fill(1)).min(9).optional(1),
            ]),
        }
    }
}

#[derive(Debug)]
pub struct RegionsPane {
    pub table: TableState,
    pub lists: Resource<RegionLists>,
}

impl Default for RegionsPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("LIST", Constraint::Length(11)),
                Column::new("PROVIDER", Constraint::Length(8)),
                Column::new("REGION", Constraint::Fill(3)).min(20),
                Column::new("CODE", Constraint::Fill(2)).min(14),
                Column::new("ID", Constraint::Length(36)).optional(1),
            ]),
            lists: Resource::default(),
        }
    }
}

impl Pane for OrgPane {
    const ID: PaneId = PaneId::Org;
    const TITLE: &'static str = "Organization";
    const COMMAND: Option<Command> =
        Some(Command { name: "org", aliases: &["organization"], help: "The organization and its API firewall" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = NoReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        cx.fetch(Fetch::Organization).into_iter().collect()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Copy => match &cx.data.org.value {
                Some(o) => {
                    let id = o.org_id.to_string();
                    cx.copy(id, "Copied the organization ID")
                }
                None => Vec::new(),
            },
            Action::Access => {
                if let Some(o) = &cx.data.org.value {
                    let name = o.name.clone().unwrap_or_else(|| o.org_id.to_string());
                    super::access::open(cx, ResourceRef::new(ResourceType::Organization, o.org_id), name);
                }
                Vec::new()
            }
            Action::Describe => {
                if let Some(o) = &cx.data.org.value {
                    let value = serde_json::to_value(o).unwrap_or_default();
                    cx.modals.push(Modal::Describe(JsonView::new("organization", &value)));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn rebuild(&mut self, cx: &Ctx) {
        let ranges = cx.data.org.value.as_ref().and_then(|o| o.firewall_ranges.clone()).unwrap_or_default();
        let rows = ranges
            .iter()
            .map(|r| {
                let (kind, count) = describe_range(r);
                Row::new(r.clone(), vec![r.clone(), kind, count])
            })
            .collect();
        self.table.set_rows(rows);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, view: &View) -> Option<Option<std::time::Instant>> {
        Some(view.data.org.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render_org(frame, area, self, view);
    }
}

impl Pane for RegionsPane {
    const ID: PaneId = PaneId::Regions;
    const TITLE: &'static str = "Regions";
    const COMMAND: Option<Command> =
        Some(Command { name: "regions", aliases: &["region"], help: "Regions (v1, v2, shared tier)" });
    type Reply = OrgReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        let Some(id) = self.lists.start(cx.requests, Purpose::Pane(PaneId::Regions)) else { return Vec::new() };
        vec![Effect::Fetch { id, fetch: Fetch::Org(OrgRequest::Regions) }]
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<OrgReply, ApiError>) -> Vec<Effect> {
        let now = cx.now;
        let result = match reply {
            Ok(OrgReply::Regions(lists)) => Ok(lists),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), now)),
            Err(e) => Err(Failure::from_api(&e, now)),
        };
        if !self.lists.accept(id, result, now) {
            *cx.dirty = false;
            return Vec::new();
        }
        self.rebuild(cx);
        // A refresh asked while this read was out is sent now.
        if self.lists.take_queued() { self.refresh(cx) } else { Vec::new() }
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Copy => match self.table.selected_row() {
                Some(row) => {
                    let code = row.cells.get(3).filter(|c| *c != "-").or(row.cells.get(4)).cloned().unwrap_or_default();
                    let said = format!("Copied {code}");
                    cx.copy(code, said)
                }
                None => Vec::new(),
            },
            Action::Describe => {
                if let Some(row) = self.table.selected_row() {
                    let value = serde_json::json!({
                        "list": row.cells.first(),
                        "provider": row.cells.get(1),
                        "region": row.cells.get(2),
                        "regionName": row.cells.get(3).filter(|c| *c != "-"),
                        "regionID": row.cells.get(4).filter(|c| *c != "-"),
                    });
                    let title = format!("region {}", row.cells.get(2).cloned().unwrap_or_default());
                    cx.modals.push(Modal::Describe(JsonView::new(title, &value)));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        let Some(lists) = &self.lists.value else { return };
        let mut rows = Vec::new();
        for r in lists.v1.iter().flatten() {
            let code = v1_code(&r.region).unwrap_or("-").to_string();
            let id = r.region_id.to_string();
            rows.push(Row::new(
                format!("v1:{id}"),
                vec!["v1".into(), r.provider.to_string(), r.region.clone(), code, id],
            ));
        }
        for (list, items) in [("v2", &lists.v2), ("shared tier", &lists.shared_tier)] {
            for r in items.iter().flatten() {
                rows.push(Row::new(
                    format!("{list}:{}:{}", r.provider, r.region_name),
                    vec![list.into(), r.provider.to_string(), r.region.clone(), r.region_name.clone(), "-".into()],
                ));
            }
        }
        self.table.set_rows(rows);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.lists.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        render_regions(frame, area, self, view);
    }
}

/// What a firewall entry allows, in words, and how many addresses that is.
pub fn describe_range(range: &str) -> (String, String) {
    let (addr, prefix) = match range.split_once('/') {
        Some((a, p)) => (a.trim(), p.trim().parse::<u32>().ok()),
        None => (range.trim(), None),
    };
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return ("not an address".into(), "-".into());
    };
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    let family = if ip.is_ipv4() { "IPv4" } else { "IPv6" };
    match prefix {
        None => (format!("{family} address"), "1".into()),
        Some(p) if p > bits => (format!("{family}, bad prefix"), "-".into()),
        Some(0) => (format!("any {family}"), "all".into()),
        Some(p) if p == bits => (format!("{family} address"), "1".into()),
        Some(p) => {
            let count = if bits - p >= 64 { format!("2^{}", bits - p) } else { group_digits(1u128 << (bits - p)) };
            (format!("{family} range"), count)
        }
    }
}

fn group_digits(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The code of a v1 region: the last part of its display name when that is one word
/// (`GS - US West 2 (Oregon) - aws-oregon-gs1`).
pub fn v1_code(display: &str) -> Option<&str> {
    let last = display.rsplit(" - ").next()?.trim();
    (last != display.trim() && !last.is_empty() && !last.contains(' ')).then_some(last)
}

fn render_org(frame: &mut Frame, area: Rect, p: &OrgPane, state: &View) {
    let t = &state.theme;
    let org = &state.data.org;
    let kv = |k: &str, v: String, st| Line::from(vec![Span::styled(format!("{k:<16}"), t.dim), Span::styled(v, st)]);
    let mut lines = Vec::new();
    match (&org.value, &org.error) {
        (Some(o), _) => {
            lines.push(kv("Name", o.name.clone().unwrap_or_else(|| "(no name)".into()), t.title));
            lines.push(kv("Organization ID", o.org_id.to_string(), t.base));
            lines.push(kv("API endpoint", state.session.base_url.clone(), t.base));
            let n = o.firewall_ranges.as_ref().map_or(0, Vec::len);
            let firewall = match n {
                0 => "no ranges listed: the organization names no addresses for API calls".to_string(),
                1 => "1 range: API calls are accepted from the address below".to_string(),
                n => format!("{n} ranges: API calls are accepted from the addresses below"),
            };
            lines.push(kv("API firewall", firewall, t.base));
            lines.extend(status::stale(org, state.now, t).map(Line::from));
        }
        (None, Some(e)) => {
            let text = status::failed("organization", e, state.requests.next_refresh, state.now);
            lines.extend(text.lines().map(|l| Line::from(Span::styled(l.to_string(), t.error))));
        }
        (None, None) => lines.push(Line::from(Span::styled("Loading the organization…", t.dim))),
    }
    let details_h = (lines.len() as u16 + 2).min(area.height.saturating_sub(3));
    let [details, ranges] = Layout::vertical([Constraint::Length(details_h), Constraint::Min(3)]).areas(area);
    let block =
        Block::default().borders(Borders::ALL).border_style(t.border).title(Span::styled(" Organization ", t.title));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), details);
    let table = &p.table;
    let title = Line::from(vec![
        Span::styled(" API firewall ranges ", t.title),
        Span::styled(format!("[{}] ", table.total()), t.dim),
    ]);
    table::render(frame, ranges, table, t, title, "No firewall ranges listed.");
}

fn render_regions(frame: &mut Frame, area: Rect, p: &RegionsPane, state: &View) {
    let t = &state.theme;
    let table = &p.table;
    let mut spans = vec![Span::styled(" Regions ", t.title)];
    if let Some(lists) = &p.lists.value {
        let count = |r: Result<usize, &String>| match r {
            Ok(n) => n.to_string(),
            Err(_) => "✗".into(),
        };
        spans.push(Span::styled(
            format!(
                "v1 {} · v2 {} · shared tier {} ",
                count(lists.v1.as_ref().map(Vec::len)),
                count(lists.v2.as_ref().map(Vec::len)),
                count(lists.shared_tier.as_ref().map(Vec::len)),
            ),
            t.dim,
        ));
        for (name, err) in [
            ("v1", lists.v1.as_ref().err()),
            ("v2", lists.v2.as_ref().err()),
            ("shared tier", lists.shared_tier.as_ref().err()),
        ] {
            if let Some(e) = err {
                let short: String = e.chars().take(50).collect();
                spans.push(Span::styled(format!("✗ {name}: {short} "), t.error));
            }
        }
    }
    let empty = status::empty("regions", &p.lists, "No regions.", state.requests.next_refresh, state.now);
    table::render(frame, area, table, t, Line::from(spans), &empty);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_words() {
        assert_eq!(describe_range("10.0.0.0/8"), ("IPv4 range".into(), "16,777,216".into()));
        assert_eq!(describe_range("0.0.0.0/0"), ("any IPv4".into(), "all".into()));
        assert_eq!(describe_range("203.0.113.7"), ("IPv4 address".into(), "1".into()));
        assert_eq!(describe_range("2001:db8::/32"), ("IPv6 range".into(), "2^96".into()));
        assert_eq!(describe_range("nope").0, "not an address");
    }

    #[test]
    fn v1_codes_come_from_the_display_name() {
        assert_eq!(v1_code("GS - US West 2 (Oregon) - aws-oregon-gs1"), Some("aws-oregon-gs1"));
        assert_eq!(v1_code("US East 1 (N. Virginia)"), None);
    }
}
