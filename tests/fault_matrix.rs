//! End-to-end under faults: the real binary in a pseudo-terminal against a simulator that adds
//! latency, answers 429 and 5xx, and drops connections at random. A scripted session visits every
//! pane and makes changes; afterwards the simulator's request log shows that no change was sent
//! twice, every failed change was shown to the user, and the screen agrees with the simulator.
//!
//! The faults are random (the simulator takes no seed), so every assertion holds for whichever
//! requests happen to fail.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

#[path = "common/pty.rs"]
mod pty;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use pty::{POLL, Pty, Sim, assert_restored, has_word, process_state};
use s2tui::api::types::WorkspaceState;
use s2tui::sim::{FaultSpec, RequestRecord, Seed, SimConfig};

/// Waits in this test outlast several faulted reads retried with backoff and a 1 s Retry-After.
const LONG: Duration = Duration::from_secs(40);

const SUSPEND: &str = "staging-app";
const RESUME: &str = "staging-etl";
const SECRET: &str = "FM_SECRET";
/// Deleted instead of the new secret when creating that one failed.
const SEEDED_SECRET: &str = "S3_ACCESS_KEY";
const TEAM: &str = "fm-team";

/// The issue's figures: 2 s of latency on every request, 10 % 429 with Retry-After, 5 % 500/503,
/// 2 % dropped connections.
fn faults() -> FaultSpec {
    FaultSpec { latency: Duration::from_secs(2), rate_429: 0.10, retry_after_secs: 1, rate_5xx: 0.05, rate_drop: 0.02 }
}

/// Every pane: its command and the title it shows (breadcrumb, and the block's title if any).
const PANES: [(&str, &str, Option<&str>); 14] = [
    ("wg", "Workspace groups", Some("┌ Workspace groups ")),
    ("ws", "Workspaces", Some("┌ Workspaces ")),
    ("stage", "Stage", Some("┌ Stage ")),
    ("jobs", "Jobs", Some("┌ Jobs ")),
    ("secrets", "Secrets", Some("┌ Secrets ")),
    ("teams", "Teams", Some("┌ Teams ")),
    ("pc", "Private connections", Some("┌ Private connections ")),
    ("usage", "Usage", None),
    ("audit", "Audit log", Some("┌ Audit log ")),
    ("ops", "Operations", Some("┌ Operations ")),
    ("transfers", "Transfers", Some("┌ Transfers ")),
    ("org", "Organization", Some("┌ Organization ")),
    ("regions", "Regions", Some("┌ Regions ")),
    ("log", "Activity log", Some("┌ Activity log ")),
];

/// The dashboard, and every error it showed while the test was watching.
struct Session {
    dash: Pty,
    /// Lines of error toasts and of forms' server errors, as they were on screen.
    errors: Vec<String>,
    /// How many of the recorded frames have been searched for errors.
    seen: usize,
}

impl Session {
    /// Polls until `done` holds (at most [`LONG`]), keeping every error shown meanwhile.
    fn wait(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + LONG;
        loop {
            let screen = self.dash.last_frame().unwrap_or_else(|| self.dash.screen());
            // Every frame drawn since the last look: a toast can come and go between two polls
            // on a loaded machine.
            let frames = self.dash.frames();
            for frame in frames.iter().skip(self.seen) {
                for line in frame.lines().filter(|l| l.contains('✗') || form_failed(l)) {
                    let line = line.trim_matches(|c: char| c == '│' || c.is_whitespace()).to_string();
                    if !self.errors.contains(&line) {
                        self.errors.push(line);
                    }
                }
            }
            self.seen = frames.len();
            if done(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; screen:\n{screen}");
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&mut self, text: &str) -> String {
        self.wait(&format!("{text:?}"), |s| s.contains(text))
    }

    fn send(&self, keys: &str) {
        self.dash.send(keys);
    }

    fn is_running(&self) -> bool {
        process_state(self.dash.pid()).is_some_and(|s| s != 'Z')
    }

    /// The breadcrumb under the header: which pane is shown.
    fn crumb(&self) -> String {
        self.dash.screen().lines().nth(1).unwrap_or_default().trim().to_string()
    }

    fn assert_alive(&self) {
        let state = process_state(self.dash.pid());
        assert!(state.is_some_and(|s| s != 'Z'), "the dashboard is gone ({state:?}); screen:\n{}", self.dash.screen());
    }

    /// Opens `pane` from the palette and waits for its title.
    fn open(&mut self, pane: &str) {
        let (_, crumb, block) = PANES.iter().find(|(cmd, _, _)| *cmd == pane).unwrap();
        self.send(&format!(":{pane}\r"));
        self.wait(&format!("the {crumb} pane"), |s| {
            let on_crumb = s.lines().nth(1).is_some_and(|l| l.trim_start().starts_with(crumb));
            on_crumb && block.is_none_or(|b| s.contains(b))
        });
        self.assert_alive();
    }

    /// Waits until no operation is pending (the header says "1 op pending", "2 ops pending" while one is).
    fn wait_ops_settled(&mut self) {
        self.wait("every operation to finish", |s| !s.lines().next().unwrap_or_default().contains(" pending "));
    }

    /// After a confirmation: waits for it to close and for its operation to finish.
    fn wait_gone_and_settle(&mut self, text: &str) {
        self.wait(&format!("{text:?} to go away"), |s| !s.contains(text));
        self.wait_ops_settled();
    }

    /// Narrows the visible list to `name` and waits until its row is the only match.
    fn filter_to(&mut self, name: &str) {
        self.send("/");
        self.wait_for("type to filter");
        self.send(&format!("{name}\r"));
        self.wait(&format!("the list filtered to {name}"), |s| {
            !s.contains("type to filter") && table(s, None).contains_key(name)
        });
    }

    /// esc clears the filter; waiting for `other` to be listed again keeps the next key from
    /// being read together with the esc (as alt-key).
    fn clear_filter(&mut self, other: &str) {
        self.send("\x1b");
        self.wait(&format!("the filter cleared ({other} listed again)"), |s| table(s, None).contains_key(other));
    }

    /// Submits the open form and waits for it to close (accepted) or to show the API's refusal,
    /// which is then dismissed. True when it was accepted.
    fn submit_form(&mut self, title: &str) -> bool {
        self.send("\r");
        // A create without a reply is looked for by name first; what the look-up finds decides.
        let screen = self.wait(&format!("the {title} form to close or say why not"), |s| {
            !s.contains(&format!("┌ {title} ")) || (form_failed(s) && !s.contains("checking whether"))
        });
        if form_failed(&screen) {
            // A filled-in form asks once before esc discards it.
            self.send("\x1b");
            self.wait_for("Discard what you typed?");
            self.send("\x1b");
            self.wait(&format!("the {title} form dismissed"), |s| !s.contains(&format!("┌ {title} ")));
            return false;
        }
        true
    }
}

impl Sim {
    fn workspace_id(&self, name: &str) -> String {
        let world = self.handle.shared().world();
        world.workspaces.values().find(|w| w.api.name == name).unwrap().api.workspace_id.to_string()
    }

    fn secret_id(&self, name: &str) -> Option<String> {
        let world = self.handle.shared().world();
        world.secrets.values().find(|s| s.name == name).map(|s| s.secret_id.to_string())
    }

    /// Name → state of every workspace the list shows (all but terminated ones).
    fn workspace_states(&self) -> BTreeMap<String, String> {
        let world = self.handle.shared().world();
        world
            .workspaces
            .values()
            .filter(|w| w.api.state != WorkspaceState::Terminated)
            .map(|w| (w.api.name.clone(), w.api.state.to_string()))
            .collect()
    }

    fn secret_names(&self) -> BTreeSet<String> {
        self.handle.shared().world().secrets.values().map(|s| s.name.clone()).collect()
    }

    fn team_names(&self) -> BTreeSet<String> {
        self.handle.shared().world().teams.values().map(|t| t.name.clone()).collect()
    }
}

/// The table's rows as the screen shows them: cells of the first column keyed by the text
/// under `column` (the whole first cell when `column` is `None`).
fn table(screen: &str, column: Option<&str>) -> BTreeMap<String, String> {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(header) = lines.iter().position(|l| l.starts_with("│NAME")) else { return BTreeMap::new() };
    let head = lines[header];
    let at = column.map(|c| head.find(c).map(|b| head[..b].chars().count()).unwrap());
    let mut rows = BTreeMap::new();
    // The name is the first column: up to where the header's second title starts (columns are
    // as wide as their content, so one space may be all that separates them).
    let second = head.chars().skip(5).position(|c| c != ' ').map_or(usize::MAX, |p| p + 5);
    for line in lines[header + 1..].iter().take_while(|l| !l.starts_with('└')) {
        let cells: String = line.chars().skip(1).take(second.saturating_sub(1)).collect();
        let name = cells.trim().to_string();
        if name.is_empty() || name.starts_with(|c: char| ('─'..='╿').contains(&c)) {
            continue;
        }
        let value = match at {
            Some(at) => {
                line.chars().skip(at).collect::<String>().split_whitespace().next().unwrap_or_default().to_string()
            }
            None => String::new(),
        };
        rows.insert(name, value);
    }
    rows
}

/// The operations pane's row of the operation `label` on `name`.
fn op_row(screen: &str, label: &str, name: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.trim_start_matches('│').starts_with(&format!("{label} ")) && has_word(l, name))
        .map(str::to_string)
}

fn failed(r: &RequestRecord) -> bool {
    match r.status {
        None | Some(429) => true,
        Some(s) => (500..600).contains(&s),
    }
}

fn path_of(r: &RequestRecord) -> &str {
    r.path_and_query.split('?').next().unwrap_or_default()
}

#[test]
fn a_session_under_faults_sends_each_change_once_and_shows_every_failure() {
    session(faults());
}

/// Nearly half of all requests fail, so that nearly every run takes the failure path of most
/// changes (the rates above leave each change succeeding five times out of six).
#[test]
fn a_session_under_heavy_faults_sends_each_change_once_and_shows_every_failure() {
    // Less latency here keeps the suite short; the failure paths are what this run is for.
    session(FaultSpec {
        latency: Duration::from_millis(300),
        rate_429: 0.15,
        rate_5xx: 0.15,
        rate_drop: 0.15,
        ..faults()
    });
}

/// The scripted session: every pane, then the changes, then what the simulator saw and what the
/// screen shows, checked against each other.
fn session(faults: FaultSpec) {
    let sim = Sim::start(SimConfig {
        api_key: "e2e-faults".into(),
        speed: 200.0,
        seed: Seed::Demo,
        colleague_rate: 0.0,
        ..SimConfig::default()
    });
    let dash = Pty::dashboard(&sim, &[]);
    let mut s = Session { dash, errors: Vec::new(), seen: 0 };
    let listed = sim.workspace_states();
    assert_eq!(listed.get(SUSPEND).map(String::as_str), Some("ACTIVE"));
    assert_eq!(listed.get(RESUME).map(String::as_str), Some("SUSPENDED"));
    s.wait("the first screen", |screen| listed.keys().all(|name| has_word(screen, name)));
    // Start-up is not what is tested here: faults from the first loaded screen on.
    sim.handle.set_faults(faults);

    for (pane, _, _) in PANES {
        s.open(pane);
    }

    // Suspend one workspace, resume another: each is confirmed once and followed by :ops.
    s.open("ws");
    for (name, key, verb) in [(SUSPEND, "s", "Suspend"), (RESUME, "r", "Resume")] {
        s.filter_to(name);
        s.send(key);
        s.wait_for(&format!("{verb} workspace {name}?"));
        s.send("y");
        s.wait_gone_and_settle(&format!("{verb} workspace {name}?"));
        s.clear_filter(if name == SUSPEND { RESUME } else { SUSPEND });
    }

    // Create a secret and a team through their forms.
    s.open("secrets");
    s.send("c");
    s.wait_for("┌ Create secret ");
    s.send(&format!("{SECRET}\tv4lue"));
    s.wait_for(SECRET);
    let secret_created = s.submit_form("Create secret");

    s.open("teams");
    s.send("c");
    s.wait_for("┌ Create team ");
    s.send(TEAM);
    s.wait_for(TEAM);
    let team_created = s.submit_form("Create team");

    // Delete the new secret (a seeded one if creating it failed), typing its name.
    let doomed = if secret_created { SECRET } else { SEEDED_SECRET };
    let doomed_id = sim.secret_id(doomed).unwrap();
    s.open("secrets");
    // The list is re-read after a change; that read may fail too, so ask again as a user would.
    let deadline = Instant::now() + LONG;
    let listed = |s: &Session| table(&s.dash.screen(), None).contains_key(doomed);
    while !listed(&s) {
        assert!(Instant::now() < deadline, "{doomed} never listed; screen:\n{}", s.dash.screen());
        s.send("\x12");
        let shown = Instant::now() + Duration::from_secs(3);
        while Instant::now() < shown && !listed(&s) {
            std::thread::sleep(POLL);
        }
    }
    s.filter_to(doomed);
    s.send("\x04");
    s.wait_for(&format!("Type {doomed} to confirm"));
    s.send(&format!("{doomed}\r"));
    s.wait_gone_and_settle("┌ Delete secret ");
    s.clear_filter("SNOWFLAKE_PASSWORD");

    // Every change has ended (or is unknown) before the simulator's record is read: a request
    // still on its way has no status yet.
    s.wait_ops_settled();
    eprintln!("errors shown: {:#?}", s.errors);
    s.open("ops");
    // The header may have no room left for "1 op pending": the rows themselves say when each ended.
    let ops = s.wait("every operation in :ops to end (or to be unknown)", |scr| {
        ["sending…", "suspending…", "resuming…", "applying…", "checking…"].iter().all(|w| !scr.contains(w))
    });
    // What reached the simulator: each change exactly once, never repeated on its own.
    let asked: Vec<(&str, String)> = vec![
        ("POST", format!("/v1/workspaces/{}/suspend", sim.workspace_id(SUSPEND))),
        ("POST", format!("/v1/workspaces/{}/resume", sim.workspace_id(RESUME))),
        ("POST", "/v1/secrets".to_string()),
        ("POST", "/v1/teams".to_string()),
        ("DELETE", format!("/v1/secrets/{doomed_id}")),
    ];
    let requests = sim.handle.requests();
    let mutations: Vec<&RequestRecord> = requests
        .iter()
        .filter(|r| matches!(r.method.as_str(), "POST" | "PATCH" | "PUT" | "DELETE"))
        // A cost estimate is a read sent as POST (asked before a resume); it changes nothing.
        .filter(|r| path_of(r) != "/v1/billing/usage/simulate")
        .collect();
    let failed_reads = requests.iter().filter(|r| r.method == "GET" && failed(r)).count();
    // Which requests failed differs from run to run; shown with the test's output.
    eprintln!("{} requests, {failed_reads} reads failed; changes: {mutations:#?}", requests.len());
    for r in &mutations {
        assert!(
            asked.iter().any(|(m, p)| r.method == *m && path_of(r) == p),
            "a change nobody asked for: {r:?}\nall changes: {mutations:#?}"
        );
    }
    let mut outcome = BTreeMap::new();
    // Changes whose connection was dropped: no reply, so their outcome is unknown to the dashboard.
    let mut dropped = BTreeMap::new();
    for (method, path) in &asked {
        let sent: Vec<&&RequestRecord> =
            mutations.iter().filter(|r| r.method == *method && path_of(r) == path).collect();
        assert_eq!(sent.len(), 1, "{method} {path} should reach the simulator once: {mutations:#?}");
        let r = sent[0];
        assert!(
            failed(r) || r.status.is_some_and(|s| (200..300).contains(&s)),
            "only injected faults may fail a change here: {r:?}"
        );
        outcome.insert(format!("{method} {path}"), !failed(r));
        dropped.insert(format!("{method} {path}"), r.status.is_none());
    }
    let ok = |i: usize| outcome[&format!("{} {}", asked[i].0, asked[i].1)];
    assert_eq!(ok(2), secret_created, "the form's outcome matches the reply: {mutations:#?}");
    assert_eq!(ok(3), team_created, "the form's outcome matches the reply: {mutations:#?}");

    // Every failure was shown: a refused form said why; every other change is listed in :ops as
    // failed (with an error toast), done, or, when no reply came, with its outcome unknown.
    for (i, what) in [(2, "Create secret"), (3, "Create team")] {
        if !ok(i) {
            assert!(
                s.errors.iter().any(|e| form_failed(e)),
                "{what} failed without the form saying so; errors shown: {:?}",
                s.errors
            );
        }
    }
    let tracked = [(0, "suspend", SUSPEND), (1, "resume", RESUME), (4, "delete secret", doomed)];
    for (i, label, name) in tracked {
        let row = op_row(&ops, label, name).unwrap_or_else(|| panic!("no {label} {name} in :ops:\n{ops}"));
        let no_reply = dropped[&format!("{} {}", asked[i].0, asked[i].1)];
        let expected = match (ok(i), no_reply) {
            (true, _) => "done",
            (false, true) => "unknown",
            (false, false) => "failed",
        };
        assert!(row.contains(expected), "{label} {name} should show {expected}: {row}\n{ops}");
        if !ok(i) {
            assert!(
                s.errors.iter().any(|e| e.contains(label) && e.contains(name)),
                "no error toast for {label} {name}; errors shown: {:?}",
                s.errors
            );
        }
    }
    for (i, label, name) in [(2, "create secret", SECRET), (3, "create team", TEAM)] {
        if ok(i) {
            let row = op_row(&ops, label, name).unwrap_or_else(|| panic!("no {label} {name} in :ops:\n{ops}"));
            assert!(row.contains("done"), "{row}\n{ops}");
        }
    }

    // Without faults, a refresh shows exactly what the simulator holds.
    sim.handle.set_faults(FaultSpec::none());
    s.open("ws");
    s.send("\x12");
    let screen = s.wait("the workspace rows to agree with the simulator", |screen| {
        table(screen, Some("STATE")) == sim.workspace_states()
    });
    let states = table(&screen, Some("STATE"));
    assert_eq!(states[SUSPEND], if ok(0) { "SUSPENDED" } else { "ACTIVE" });
    assert_eq!(states[RESUME], if ok(1) { "ACTIVE" } else { "SUSPENDED" });

    s.open("secrets");
    s.send("\x12");
    let screen = s.wait("the secrets to agree with the simulator", |screen| {
        table(screen, None).into_keys().collect::<BTreeSet<_>>() == sim.secret_names()
    });
    let secrets = table(&screen, None);
    assert_eq!(secrets.contains_key(doomed), !ok(4), "{screen}");

    s.open("teams");
    s.send("\x12");
    let screen = s.wait("the teams to agree with the simulator", |screen| {
        table(screen, None).into_keys().collect::<BTreeSet<_>>() == sim.team_names()
    });
    assert_eq!(table(&screen, None).contains_key(TEAM), team_created, "{screen}");

    // Alive to the end; q goes back through every pane visited, then quits cleanly with the
    // terminal put back.
    s.assert_alive();
    let deadline = Instant::now() + LONG;
    while s.is_running() {
        assert!(Instant::now() < deadline, "q never quit; screen:\n{}", s.dash.screen());
        let before = s.crumb();
        s.send("q");
        let step = Instant::now() + Duration::from_secs(5);
        while s.is_running() && s.crumb() == before && Instant::now() < step {
            std::thread::sleep(POLL);
        }
    }
    let status = s.dash.exit_status(LONG);
    assert!(status.success(), "{status:?}");
    assert_restored(&s.dash.raw());
}

/// A form says its submit did not go through: the API refused it, or never answered.
fn form_failed(text: &str) -> bool {
    text.contains("The API refused:") || text.contains("No answer from the API:")
}
