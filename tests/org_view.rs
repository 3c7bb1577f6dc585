//! The organization and regions panes: their reads against the simulator over real HTTP, and
//! what they draw (snapshots at 80×24 and 160×48).
#![allow(clippy::unwrap_used)]

use s2tui::api::error::ApiError;
use s2tui::api::types::*;
use s2tui::api::types::{OrgReply as Reply, OrgRequest as Request, RegionLists};
use s2tui::api::{ApiKey, Client, ClientConfig};
use s2tui::effect::{ApiReply, Effect, Fetch};
use s2tui::msg::RequestId;
use s2tui::sim::server::SimHandle;
use s2tui::sim::{Seed, SimConfig};
use s2tui::state::State;
use s2tui::testing::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn go(state: &mut State, command: &str) -> Vec<Effect> {
    let mut effects = press(state, ":");
    effects.extend(type_text(state, command));
    effects.extend(press(state, "enter"));
    let (mine, rest): (Vec<Effect>, Vec<Effect>) = effects
        .into_iter()
        .partition(|e| matches!(e, Effect::Fetch { fetch: Fetch::Org(_) | Fetch::Organization, .. }));
    let mut out = serve(state, &Org::default(), rest);
    out.extend(mine);
    out
}

fn org_fetch(effects: &[Effect], want: Request) -> RequestId {
    let ids: Vec<RequestId> = fetches(effects)
        .into_iter()
        .filter(|(_, f)| matches!(f, Fetch::Org(r) if *r == want))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids.len(), 1, "{effects:?}");
    ids[0]
}

fn v2(region: &str, code: &str, provider: Provider) -> RegionV2 {
    RegionV2 { region: region.into(), region_name: code.into(), provider }
}

fn regions_state() -> State {
    let mut state = loaded();
    let id = org_fetch(&go(&mut state, "regions"), Request::Regions);
    let lists = RegionLists {
        v1: Ok(vec![Region {
            region_id: region_id(1),
            region: "GS - US West 2 (Oregon) - aws-oregon-gs1".into(),
            provider: Provider::Aws,
        }]),
        v2: Ok(vec![
            v2("US East 1 (N. Virginia)", "us-east-1", Provider::Aws),
            v2("Europe West 1 (Belgium)", "europe-west1", Provider::Gcp),
        ]),
        shared_tier: Err("503 Service Unavailable: try later (GET /v1/regions/sharedtier)".into()),
    };
    reply(&mut state, id, Ok(ApiReply::Org(Reply::Regions(lists))));
    state
}

fn org_state() -> State {
    let mut state = loaded();
    // The organization is shared data (the header names it): the pane reads it the one way.
    let effects = go(&mut state, "org");
    let ids: Vec<RequestId> =
        fetches(&effects).into_iter().filter(|(_, f)| **f == Fetch::Organization).map(|(id, _)| id).collect();
    assert_eq!(ids.len(), 1, "{effects:?}");
    let mut org = organization();
    org.firewall_ranges = Some(vec!["203.0.113.0/24".into(), "198.51.100.7".into(), "2001:db8::/48".into()]);
    reply(&mut state, ids[0], Ok(ApiReply::Organization(org)));
    state
}

#[test]
fn regions_from_three_lists_in_one_table() {
    for (w, h) in SIZES {
        let mut state = regions_state();
        assert_eq!(state.panes.regions.table.total(), 3);
        insta::assert_snapshot!(format!("regions_{w}x{h}"), render(&mut state, w, h));
    }
    let mut state = regions_state();
    assert!(select_name(&mut state.panes.regions.table, "v1"));
    let effects = press(&mut state, "y");
    assert!(effects.contains(&Effect::Copy("aws-oregon-gs1".into())), "{effects:?}");
}

#[test]
fn the_organization_and_its_firewall() {
    for (w, h) in SIZES {
        let mut state = org_state();
        insta::assert_snapshot!(format!("org_{w}x{h}"), render(&mut state, w, h));
    }
    let mut state = org_state();
    let effects = press(&mut state, "y");
    assert!(effects.contains(&Effect::Copy(org_id().to_string())), "{effects:?}");
}

#[test]
fn a_failed_region_read_is_shown() {
    let mut state = loaded();
    let id = org_fetch(&go(&mut state, "regions"), Request::Regions);
    let err = ApiError::from_status(500, "regions are down", "GET", "/v1/regions", None);
    reply(&mut state, id, Err(err));
    let screen = render(&mut state, 80, 24);
    assert!(screen.contains("regions are down"), "{screen}");
}

#[tokio::test]
async fn the_simulator_serves_every_list_and_the_organization() {
    let config = SimConfig { seed: Seed::Demo, colleague_rate: 0.0, ..SimConfig::default() };
    let sim = SimHandle::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = Client::new(ClientConfig::new(sim.base_url(), ApiKey::new(sim.api_key())).unwrap()).unwrap();
    let Reply::Regions(lists) = (Request::Regions).send(&client).await.unwrap() else { panic!("not regions") };
    assert!(!lists.v1.unwrap().is_empty());
    assert!(lists.v2.unwrap().iter().all(|r| !r.region_name.is_empty()));
    assert!(!lists.shared_tier.unwrap().is_empty());
    let Reply::Organization(org) = (Request::Organization).send(&client).await.unwrap() else { panic!("not org") };
    assert_eq!(org.name.as_deref(), Some("Acme Analytics"));
    sim.shutdown().await;
}
