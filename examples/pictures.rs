//! Renders every pane of the demo organization to `assets/screens/<pane>.svg` for the README:
//! the simulator in-process, the real `update` and effect runner, the real views.
//!
//! `cargo run --example pictures` (re-run after changing a view).
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::panes;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::{PaneId, SessionInfo};
use s2tui::testing::Headless;
use s2tui::{screenshot, view};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 32;

#[tokio::main]
async fn main() {
    let config = SimConfig {
        api_key: "pictures".into(),
        speed: 10.0,
        seed: Seed::Demo,
        colleague_rate: 0.5,
        ..SimConfig::default()
    };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse::<SocketAddr>().unwrap()).await.unwrap();
    let client = Client::new(ClientConfig::new(sim.base_url(), ApiKey::new("pictures")).unwrap()).unwrap();
    let session = SessionInfo {
        base_url: sim.base_url().to_string(),
        demo: true,
        profile: "demo".into(),
        profile_color: Some("magenta".into()),
        ..SessionInfo::default()
    };
    let mut h = Headless::new(client, session);
    h.state.size = (WIDTH, HEIGHT);
    h.start();
    settle(&mut h).await;

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/screens");
    std::fs::create_dir_all(&out).unwrap();
    let shots: &[(&str, PaneId, &str)] = &[
        ("workspaces", PaneId::Workspaces, ""),
        ("groups", PaneId::Groups, ""),
        ("stage", PaneId::Stage, "enter"),
        ("jobs", PaneId::Jobs, ""),
        ("secrets", PaneId::Secrets, ""),
        ("teams", PaneId::Teams, ""),
        ("connections", PaneId::Connections, ""),
        ("usage", PaneId::Usage, ""),
        ("audit", PaneId::Audit, ""),
        ("org", PaneId::Org, ""),
        ("regions", PaneId::Regions, ""),
    ];
    for (name, pane, keys) in shots {
        let effects = panes::navigate(&mut h.state, *pane, None);
        h.run(effects);
        settle(&mut h).await;
        if !keys.is_empty() {
            h.press(keys);
            settle(&mut h).await;
        }
        write(&mut h, &out, name);
    }
    // The help overlay and an operation in progress, on the workspaces pane.
    let effects = panes::navigate(&mut h.state, PaneId::Workspaces, None);
    h.run(effects);
    settle(&mut h).await;
    h.press("/");
    h.type_text("prod-rep");
    h.press("enter r");
    write(&mut h, &out, "confirm");
    h.press("y");
    h.until(Instant::now() + Duration::from_secs(2), |s| s.ops.pending_count() > 0).await;
    write(&mut h, &out, "resuming");
    h.press("esc ?");
    write(&mut h, &out, "help");
    sim.shutdown().await;
    println!("wrote {}", out.display());
}

/// Lets replies arrive until nothing is in flight for a moment.
async fn settle(h: &mut Headless) {
    for _ in 0..3 {
        h.settle(Instant::now() + Duration::from_secs(3)).await;
        h.until(Instant::now() + Duration::from_millis(150), |_| false).await;
    }
}

fn write(h: &mut Headless, dir: &Path, name: &str) {
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
    term.draw(|f| view::render(f, &h.state)).unwrap();
    let svg = screenshot::to_svg(term.backend().buffer());
    std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap();
}
