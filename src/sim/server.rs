//! Serving the simulator: an API listener (faults, auth, routes) and a second listener on the
//! same IP for the object-store host that signed download URLs point at.
//!
//! Connections are served by hyper directly (not `axum::serve`) so that a "dropped
//! connection" fault can close the socket without writing any response.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use super::faults::{Fault, FaultSpec};
use super::{AppState, Shared, SimConfig, SimError};

/// One API request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path_and_query: String,
    /// `None` when the connection was dropped without a response.
    pub status: Option<u16>,
}

/// A running simulator. Dropping it stops the listeners too; [`SimHandle::shutdown`] also
/// waits for them to finish.
pub struct SimHandle {
    base_url: String,
    blob_base: String,
    shared: AppState,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    /// Seeds a world and starts serving it on `addr` (port 0 = any free port). An empty
    /// `api_key` is replaced by a random one (see `shared().config.api_key`).
    pub async fn start(mut config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
        if config.api_key.is_empty() {
            config.api_key = format!("s2sim-{}", uuid::Uuid::new_v4().simple());
        }
        let api_listener = TcpListener::bind(addr).await?;
        let blob_listener = TcpListener::bind(SocketAddr::new(addr.ip(), 0)).await?;
        let base_url = format!("http://{}", api_listener.local_addr()?);
        let blob_base = format!("http://{}", blob_listener.local_addr()?);

        let world = super::seed::build_world(&config);
        let shared: AppState = Arc::new(Shared::new(world, config, blob_base.clone()));
        let api = super::routes::api_router().with_state(shared.clone());
        let blob = super::stage::blob_routes().with_state(shared.clone());

        let (stop, stop_rx) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(accept_loop(api_listener, api, Some(shared.clone()), stop_rx.clone())),
            tokio::spawn(accept_loop(blob_listener, blob, None, stop_rx.clone())),
            tokio::spawn(super::colleagues::run(shared.clone(), stop_rx)),
        ];
        Ok(SimHandle { base_url, blob_base, shared, stop, tasks })
    }

    /// `http://IP:PORT` of the API.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://IP:PORT` of the object-store host.
    pub fn blob_base(&self) -> &str {
        &self.blob_base
    }

    pub fn shared(&self) -> &AppState {
        &self.shared
    }

    pub fn api_key(&self) -> &str {
        &self.shared.config.api_key
    }

    pub fn set_faults(&self, spec: FaultSpec) {
        self.shared.set_faults(spec);
    }

    /// Applies `fault` to the next API request (queued faults apply in order).
    pub fn inject(&self, fault: Fault) {
        self.shared.inject(fault);
    }

    /// Answers the next API request with this method whose path and query contain `path`
    /// normally, but sends the reply `delay` after the request was handled: the reply carries
    /// the state as it was then, and arrives after replies to later requests. A change so held
    /// is made although a client that stops waiting never hears of it.
    pub fn hold_reply(&self, method: &str, path: &str, delay: std::time::Duration) {
        self.shared.hold_reply(method, path, delay);
    }

    /// Applies `fault` to the next API request with this method only (`POST`: the next change).
    pub fn inject_for(&self, method: &str, fault: Fault) {
        self.shared.inject_for(method, fault);
    }

    /// Applies `fault` to the next download from the object-store host only.
    pub fn inject_blob(&self, fault: Fault) {
        self.shared.inject_blob(fault);
    }

    /// Every API request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    /// Stops both listeners, open connections and the colleague activity, and waits for them.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Runs the simulator until ctrl-c, for `s2tui sim`.
pub async fn serve_forever(config: SimConfig, addr: SocketAddr) -> std::io::Result<()> {
    let handle = SimHandle::start(config, addr).await?;
    let shown = handle.base_url().trim_start_matches("http://").to_string();
    // The key is never printed: whoever started the server already has it.
    // Written, not printed: a closed stdout (`| head -1`) must not stop the server.
    let _ = writeln!(std::io::stdout(), "s2tui simulator listening on http://{shown}");
    let stopped = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    stopped
}

/// Resolves once a stop was asked for (or the handle is gone).
async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|&stop| stop).await;
}

async fn accept_loop(listener: TcpListener, router: Router, shared: Option<AppState>, stop: watch::Receiver<bool>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            _ = stopped(stop.clone()) => break,
            a = listener.accept() => a,
        };
        let Ok((stream, _peer)) = accepted else {
            continue;
        };
        let (router, shared, stop) = (router.clone(), shared.clone(), stop.clone());
        connections.spawn(async move {
            let svc =
                hyper::service::service_fn(move |req: Request<Incoming>| handle(router.clone(), shared.clone(), req));
            let conn = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = stopped(stop) => {}
            }
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

async fn handle(router: Router, shared: Option<AppState>, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let Some(shared) = shared else {
        return Ok(route(router, req).await);
    };
    let path_and_query =
        req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| req.uri().path().to_string());
    let index = shared.record_request(req.method().as_str(), &path_and_query);
    // A hold applies to a request that arrives after it was set, not to one already in progress.
    let hold = shared.take_hold(req.method().as_str(), &path_and_query);
    let response = faulted(&shared, router, req).await?;
    if let Some(delay) = hold {
        tokio::time::sleep(delay).await;
    }
    shared.finish_request(index, response.status().as_u16());
    Ok(response)
}

/// Faults first (like a load balancer in front of the service), then auth, then routing.
async fn faulted(shared: &Shared, router: Router, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let latency = shared.faults().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match shared.next_fault(req.method().as_str()) {
        Some(Fault::Drop) => return Err(Dropped),
        Some(Fault::Latency(d)) => tokio::time::sleep(d).await,
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            return Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::RETRY_AFTER, retry_after_secs.to_string()),
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
                ],
                "Too many requests, please retry later",
            )
                .into_response());
        }
        Some(Fault::ServerError(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let text = if status == StatusCode::SERVICE_UNAVAILABLE {
                "Service temporarily unavailable"
            } else {
                "Internal server error"
            };
            return Ok(SimError::new(status, text).into_response());
        }
        None => {}
    }
    Ok(answer(shared, router, req).await)
}

/// Auth, then routing (through the v2 rewrite when the path is a v2 one).
async fn answer(shared: &Shared, router: Router, mut req: Request<Incoming>) -> Response<Body> {
    if let Err(e) = authorize(shared, &req) {
        return e.into_response();
    }
    let rewritten = match super::routes::v2::rewrite(shared, req.uri()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let Some(rewritten) = rewritten else {
        return route(router, req).await;
    };
    *req.uri_mut() = rewritten.uri;
    let response = route(router, req).await;
    if rewritten.stage { super::routes::v2::stage_reply(response).await } else { response }
}

fn authorize(shared: &Shared, req: &Request<Incoming>) -> Result<(), SimError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(SimError::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: missing Authorization header (expected Bearer <API key>)",
        ));
    };
    let given = value.to_str().unwrap_or_default();
    let key = given.split_once(' ').filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer")).map(|(_, k)| k.trim());
    if key == Some(shared.config.api_key.as_str()) {
        Ok(())
    } else {
        Err(SimError::new(StatusCode::UNAUTHORIZED, "Unauthorized: invalid API key"))
    }
}

async fn route(router: Router, req: Request<Incoming>) -> Response<Body> {
    let result: Result<Response<Body>, Infallible> = router.oneshot(req.map(Body::new)).await;
    match result {
        Ok(r) => r,
        Err(never) => match never {},
    }
}
