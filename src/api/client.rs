//! The typed async client of the Management API.
//!
//! One `reqwest` client (rustls, no automatic redirects) behind an `Arc`, so clones are
//! cheap and share the connection pool. The API key is attached per request as a sensitive
//! header and never logged. GETs are retried per [`RetryPolicy`]; mutations never are.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::{Host, Url};
use uuid::Uuid;

use super::error::{ApiError, strip_query};
use super::retry::{Decision, RetryPolicy, parse_retry_after};
use super::types::*;
use super::version::ApiVersion;

/// Redirect hops followed for a download before giving up.
const MAX_REDIRECTS: usize = 5;

/// An API key. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself; only for building the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for ApiKey {
    fn from(s: String) -> Self {
        ApiKey(s)
    }
}

impl From<&str> for ApiKey {
    fn from(s: &str) -> Self {
        ApiKey(s.to_string())
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: Url,
    pub api_key: ApiKey,
    pub connect_timeout: Duration,
    /// Whole-request limit for JSON calls; for transfers, the longest silence between reads.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    pub user_agent: String,
    /// Longest JSON reply accepted; a longer one (or an endless one) fails with `TooLarge`
    /// once this much has arrived, so memory stays bounded whatever a server sends.
    pub max_body: usize,
}

/// Default [`ClientConfig::max_body`]: far above any real list, far below trouble.
pub const DEFAULT_MAX_BODY: usize = 16 * 1_000_000;
/// Error bodies are read this far at most; only the start of the text is kept anyway.
const ERROR_BODY_CAP: usize = 64 * 1024;

impl ClientConfig {
    /// Validates the base URL: `https://` anywhere, `http://` only for loopback hosts.
    pub fn new(base_url: &str, api_key: ApiKey) -> Result<Self, ApiError> {
        let url = Url::parse(base_url.trim())
            .map_err(|e| ApiError::InvalidInput(format!("invalid base URL {base_url:?}: {e}")))?;
        check_base_url(&url)?;
        Ok(Self {
            base_url: url,
            api_key,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent: format!("s2tui/{}", env!("CARGO_PKG_VERSION")),
            max_body: DEFAULT_MAX_BODY,
        })
    }

    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn with_timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }
}

/// A body read up to a limit.
enum Body {
    Complete(Bytes),
    /// The first `limit` bytes of a longer body; the rest was never read.
    Truncated(Bytes),
}

/// Reads at most `limit` bytes: a declared length beyond it stops before reading anything,
/// and a chunked body that runs on stops at the limit.
async fn read_body(mut resp: reqwest::Response, limit: usize) -> Result<Body, reqwest::Error> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Ok(Body::Truncated(Bytes::new()));
    }
    let mut buf = bytes::BytesMut::with_capacity(resp.content_length().map_or(8 * 1024, |n| n as usize));
    while let Some(chunk) = resp.chunk().await? {
        if buf.len() + chunk.len() > limit {
            buf.extend_from_slice(&chunk[..limit - buf.len()]);
            return Ok(Body::Truncated(buf.freeze()));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Body::Complete(buf.freeze()))
}

/// Whether the URL's host is `localhost` or a loopback address.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Plain HTTP would expose the key on the wire, so only loopback (simulator, tunnels) may use it.
fn check_scheme(url: &Url, what: &str) -> Result<(), ApiError> {
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if is_loopback_host(url) => Ok(()),
        "http" => Err(ApiError::InvalidInput(format!(
            "refusing plain http:// for {what} {}: use https://, or http:// only with localhost, 127.0.0.0/8 or ::1",
            redact_url(url)
        ))),
        other => Err(ApiError::InvalidInput(format!(
            "unsupported {what} scheme {other:?} in {}: expected https://",
            redact_url(url)
        ))),
    }
}

fn check_base_url(url: &Url) -> Result<(), ApiError> {
    check_scheme(url, "base URL")?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::InvalidInput(
            "the base URL must not contain credentials; give the API key separately".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::InvalidInput(format!(
            "the base URL must not have a query or fragment: {}",
            redact_url(url)
        )));
    }
    Ok(())
}

/// scheme://host:port/path, without credentials, query or fragment.
fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `<Code>` and `<Message>` of an S3-style XML error, or a short plain-text body as it is.
fn object_store_summary(body: &str) -> String {
    let element = |tag: &str| {
        let open = format!("<{tag}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find(&format!("</{tag}>"))? + start;
        Some(body[start..end].trim().to_string())
    };
    match (element("Code"), element("Message")) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code,
        _ if body.contains('<') => "the object store refused the download".to_string(),
        _ => body.chars().take(200).collect(),
    }
}

/// One HTTP attempt, as reported to the observer and to `tracing`.
#[derive(Debug, Clone)]
pub struct CallRecord {
    pub method: Method,
    /// The request path without its query string.
    pub path: String,
    pub status: Option<u16>,
    pub latency: Duration,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    pub error: Option<String>,
    /// The service has no such route: remembered and not asked again, not a failure.
    pub no_route: bool,
}

pub type Observer = Arc<dyn Fn(&CallRecord) + Send + Sync>;

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    /// For uploads: reqwest's read timeout runs from the start of a request until its response
    /// head, so a large body would hit it; an upload is bounded by its cancel token instead.
    upload_http: reqwest::Client,
    config: ClientConfig,
    auth: HeaderValue,
    observer: Option<Observer>,
    /// The prefix of the routes both versions serve (organization, regions, Stage, jobs,
    /// secrets, billing). Workspace routes are always `/v1`, cluster routes always `/v2`.
    version: ApiVersion,
    /// Routes the service answered "no such route" for (`GET /v1/jobs`), shared by every clone.
    missing_routes: Arc<std::sync::Mutex<std::collections::BTreeSet<String>>>,
}

/// The Management API client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.config.base_url.as_str())
            .field("api_key", &self.inner.config.api_key)
            .finish_non_exhaustive()
    }
}

/// What came back from a GET that may redirect.
pub(crate) enum Fetched {
    Body(reqwest::Response),
    Redirect(Url),
}

type Query = Vec<(String, String)>;

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        check_base_url(&config.base_url)?;
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", config.api_key.expose())).map_err(|_| {
            ApiError::InvalidInput("the API key contains characters that cannot be sent in a header".into())
        })?;
        auth.set_sensitive(true);
        let builder = || {
            let b = reqwest::Client::builder()
                .use_rustls_tls()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(config.connect_timeout)
                .user_agent(config.user_agent.clone());
            // A proxy in the environment must not capture calls to a local simulator.
            if is_loopback_host(&config.base_url) { b.no_proxy() } else { b }
        };
        let build_error = |e: reqwest::Error| ApiError::InvalidInput(format!("cannot build the HTTP client: {e}"));
        let http = builder().read_timeout(config.request_timeout).build().map_err(build_error)?;
        let upload_http = builder().build().map_err(build_error)?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                upload_http,
                config,
                auth,
                observer: None,
                version: ApiVersion::V1,
                missing_routes: Arc::default(),
            }),
        })
    }

    /// Calls `observer` after every HTTP attempt (retries included).
    pub fn with_observer(self, observer: Observer) -> Self {
        let mut inner = (*self.inner).clone();
        inner.observer = Some(observer);
        Self { inner: Arc::new(inner) }
    }

    /// The same client (same connection pool), speaking `version` on the routes both serve.
    pub fn with_version(&self, version: ApiVersion) -> Self {
        let mut inner = (*self.inner).clone();
        inner.version = version;
        Self { inner: Arc::new(inner) }
    }

    pub fn version(&self) -> ApiVersion {
        self.inner.version
    }

    /// `/v1` or `/v2`, for the routes both versions serve.
    pub(crate) fn prefix(&self) -> &'static str {
        self.inner.version.prefix()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.config.base_url
    }

    // ───────────────────────────── plumbing ─────────────────────────────

    pub(crate) fn url_for(&self, path: &str, query: &[(String, String)]) -> Url {
        let base = &self.inner.config.base_url;
        let mut url = base.clone();
        let prefix = base.path().trim_end_matches('/');
        url.set_path(&format!("{prefix}{path}"));
        url.set_query(None);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Reports one attempt to `tracing` and to the observer.
    fn record(&self, call: CallRecord) {
        let CallRecord { method, path, status, attempt, .. } = &call;
        let latency_ms = u64::try_from(call.latency.as_millis()).unwrap_or(u64::MAX);
        match &call.error {
            None => tracing::debug!(%method, path, ?status, latency_ms, attempt, "api call"),
            Some(e) => {
                tracing::debug!(%method, path, ?status, latency_ms, attempt, error = %e, "api call failed")
            }
        }
        if let Some(obs) = &self.inner.observer {
            obs(&call);
        }
    }

    /// The record of one attempt at `method path`.
    fn attempt_record(
        method: &Method,
        path: &str,
        status: Option<u16>,
        latency: Duration,
        attempt: u32,
        error: Option<&ApiError>,
    ) -> CallRecord {
        CallRecord {
            method: method.clone(),
            path: strip_query(path).to_string(),
            status,
            latency,
            attempt,
            error: error.map(ToString::to_string),
            no_route: false,
        }
    }

    /// Runs `attempt` until it succeeds or the retry policy gives up.
    /// A status in `missing` means the service has no such route (see [`Client::get_if_offered`]).
    async fn with_retries<T, F, Fut>(
        &self,
        method: &Method,
        path: &str,
        missing: &[u16],
        mut attempt: F,
    ) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<(u16, T), ApiError>>,
    {
        let policy = &self.inner.config.retry;
        let start = Instant::now();
        let mut retries = 0u32;
        loop {
            let t0 = Instant::now();
            let result = attempt().await;
            let status = match &result {
                Ok((s, _)) => Some(*s),
                Err(e) => e.status(),
            };
            let no_route = result.is_err() && status.is_some_and(|s| missing.contains(&s));
            let error = result.as_ref().err();
            let call = Self::attempt_record(method, path, status, t0.elapsed(), retries + 1, error);
            self.record(CallRecord { no_route, ..call });
            let err = match result {
                Ok((_, v)) => return Ok(v),
                Err(e) => e,
            };
            match policy.decide(method, retries, start.elapsed(), &err, rand::random::<f64>()) {
                Decision::GiveUp => return Err(err),
                Decision::RetryAfter(wait) => {
                    tracing::debug!(%method, path = strip_query(path), wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "retrying");
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
            }
        }
    }

    fn request(&self, method: Method, url: Url, with_auth: bool) -> reqwest::RequestBuilder {
        // Downloads go to an object store that serves any content type.
        let accept = if with_auth { "application/json" } else { "*/*" };
        let mut rb = self.inner.http.request(method, url).header(header::ACCEPT, accept);
        if with_auth {
            rb = rb.header(header::AUTHORIZATION, self.inner.auth.clone());
        }
        rb
    }

    /// Sends and waits for the response head, mapping transport failures.
    async fn send_head(
        &self,
        rb: reqwest::RequestBuilder,
        method: &Method,
        path: &str,
    ) -> Result<reqwest::Response, ApiError> {
        let timeout = self.inner.config.request_timeout;
        match tokio::time::timeout(timeout, rb.send()).await {
            Err(_) => Err(ApiError::Timeout {
                after: timeout,
                method: method.to_string(),
                path: strip_query(path).to_string(),
            }),
            Ok(Err(e)) => Err(self.transport_error(e, method, path)),
            Ok(Ok(resp)) => Ok(resp),
        }
    }

    pub(crate) fn transport_error(&self, e: reqwest::Error, method: &Method, path: &str) -> ApiError {
        if e.is_timeout() {
            return ApiError::Timeout {
                after: self.inner.config.request_timeout,
                method: method.to_string(),
                path: strip_query(path).to_string(),
            };
        }
        ApiError::Transport {
            message: describe_error(e),
            method: method.to_string(),
            path: strip_query(path).to_string(),
        }
    }

    /// Turns a non-success response into the matching error, reading its text body.
    async fn error_from(&self, resp: reqwest::Response, method: &Method, path: &str) -> ApiError {
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let foreign = resp.url().origin() != self.inner.config.base_url.origin();
        let body = match tokio::time::timeout(self.inner.config.request_timeout, read_body(resp, ERROR_BODY_CAP)).await
        {
            Ok(Ok(Body::Complete(b) | Body::Truncated(b))) => String::from_utf8_lossy(&b).into_owned(),
            _ => String::new(),
        };
        // An object store's error can echo signing material (S3's StringToSign, access key id):
        // only its code and message are kept.
        let body = if foreign { object_store_summary(&body) } else { body };
        ApiError::from_status(status, &body, method.as_str(), path, retry_after)
    }

    /// One attempt: send, then read the whole body of a 2xx reply.
    async fn attempt_bytes(
        &self,
        method: &Method,
        path: &str,
        query: &[(String, String)],
        body: Option<&Bytes>,
    ) -> Result<(u16, Bytes), ApiError> {
        let mut rb =
            self.request(method.clone(), self.url_for(path, query), true).timeout(self.inner.config.request_timeout);
        if let Some(b) = body {
            rb = rb.header(header::CONTENT_TYPE, "application/json").body(b.clone());
        }
        let resp = self.send_head(rb, method, path).await?;
        let status = resp.status();
        if !status.is_success() {
            return Err(self.error_from(resp, method, path).await);
        }
        let bytes = self.read_json_body(resp, method, path).await?;
        Ok((status.as_u16(), bytes))
    }

    /// A 2xx JSON body, whole, or `TooLarge` as soon as it passes `max_body`.
    async fn read_json_body(&self, resp: reqwest::Response, method: &Method, path: &str) -> Result<Bytes, ApiError> {
        let limit = self.inner.config.max_body;
        match read_body(resp, limit).await.map_err(|e| self.transport_error(e, method, path))? {
            Body::Complete(bytes) => Ok(bytes),
            Body::Truncated(_) => {
                Err(ApiError::TooLarge { limit, method: method.to_string(), path: strip_query(path).to_string() })
            }
        }
    }

    pub(crate) async fn call_bytes(
        &self,
        method: Method,
        path: &str,
        query: Query,
        body: Option<Bytes>,
    ) -> Result<Bytes, ApiError> {
        let (m, q, b) = (&method, &query, body.as_ref());
        self.with_retries(m, path, &[], move || self.attempt_bytes(m, path, q, b)).await
    }

    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: Query,
        body: Option<Bytes>,
    ) -> Result<T, ApiError> {
        // Decoded inside the attempt, so a reply that cannot be read is recorded as the failed
        // call it is, with the status it came with.
        let (m, q, b) = (&method, &query, body.as_ref());
        self.with_retries(m, path, &[], move || async move {
            let (status, bytes) = self.attempt_bytes(m, path, q, b).await?;
            decode(&bytes, m, path).map(|v| (status, v)).map_err(|e| e.with_status(status))
        })
        .await
    }

    /// A GET of a route the service may not offer: an answer with a status in `missing` means
    /// it has no such route. That is remembered for the life of the client and the route is
    /// not asked again; `None` then, and every time after.
    pub(crate) async fn get_if_offered<T: DeserializeOwned>(
        &self,
        path: &str,
        missing: &[u16],
    ) -> Result<Option<T>, ApiError> {
        let known_missing = |routes: &std::collections::BTreeSet<String>| routes.contains(path);
        if self.inner.missing_routes.lock().is_ok_and(|r| known_missing(&r)) {
            return Ok(None);
        }
        let method = Method::GET;
        let result = self
            .with_retries(&method, path, missing, || async {
                let (status, bytes) = self.attempt_bytes(&method, path, &[], None).await?;
                decode(&bytes, &method, path).map(|v| (status, v)).map_err(|e| e.with_status(status))
            })
            .await;
        match result {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.status().is_some_and(|s| missing.contains(&s)) => {
                if let Ok(mut routes) = self.inner.missing_routes.lock() {
                    routes.insert(path.to_string());
                }
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn get<T: DeserializeOwned>(&self, path: &str, query: Query) -> Result<T, ApiError> {
        self.call(Method::GET, path, query, None).await
    }

    pub(crate) async fn send<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        query: Query,
        body: &B,
    ) -> Result<T, ApiError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ApiError::InvalidInput(format!("cannot encode the request body: {e}")))?;
        self.call(method, path, query, Some(Bytes::from(bytes))).await
    }

    /// GET that may answer with a redirect; 2xx bodies are left unread for streaming.
    async fn attempt_fetch(&self, url: &Url, with_auth: bool) -> Result<(u16, Fetched), ApiError> {
        let method = Method::GET;
        let path = url.path();
        let resp = self.send_head(self.request(method.clone(), url.clone(), with_auth), &method, path).await?;
        let status = resp.status();
        if status.is_success() {
            return Ok((status.as_u16(), Fetched::Body(resp)));
        }
        if status.is_redirection() {
            let location =
                resp.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).and_then(|l| url.join(l).ok());
            return match location {
                Some(to) => Ok((status.as_u16(), Fetched::Redirect(to))),
                None => Err(ApiError::from_status(
                    status.as_u16(),
                    "redirect without a usable Location header",
                    method.as_str(),
                    path,
                    None,
                )),
            };
        }
        Err(self.error_from(resp, &method, path).await)
    }

    /// GETs `path`, following redirects by hand: the API key goes only to the API's own
    /// origin, never to the object store a pre-signed URL points at.
    pub(crate) async fn fetch_following(&self, path: &str) -> Result<reqwest::Response, ApiError> {
        let mut url = self.url_for(path, &[]);
        for _ in 0..=MAX_REDIRECTS {
            let with_auth = same_origin(&url, &self.inner.config.base_url);
            let u = &url;
            let fetched =
                self.with_retries(&Method::GET, url.path(), &[], move || self.attempt_fetch(u, with_auth)).await?;
            match fetched {
                Fetched::Body(resp) => return Ok(resp),
                Fetched::Redirect(to) => {
                    check_scheme(&to, "download URL")?;
                    url = to;
                }
            }
        }
        Err(ApiError::Http {
            status: StatusCode::TEMPORARY_REDIRECT.as_u16(),
            message: format!("more than {MAX_REDIRECTS} redirects"),
            method: "GET".into(),
            path: strip_query(path).to_string(),
        })
    }

    /// A single PUT of a multipart form (never retried: the body is a one-shot stream).
    pub(crate) async fn put_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> Result<StagePathReply, ApiError> {
        let method = Method::PUT;
        let t0 = Instant::now();
        let result = async {
            let rb = self
                .inner
                .upload_http
                .request(method.clone(), self.url_for(path, &[]))
                .header(header::ACCEPT, "application/json")
                .header(header::AUTHORIZATION, self.inner.auth.clone())
                .multipart(form);
            // No timeout: a large upload may take long; the transfer's cancel token ends it.
            let resp = rb.send().await.map_err(|e| self.transport_error(e, &method, path))?;
            let status = resp.status();
            if !status.is_success() {
                return Err(self.error_from(resp, &method, path).await);
            }
            let bytes = self.read_json_body(resp, &method, path).await?;
            Ok((status.as_u16(), decode_or_default::<StagePathReply>(&bytes, &method, path)?))
        }
        .await;
        let status = match &result {
            Ok((s, _)) => Some(*s),
            Err(e) => e.status(),
        };
        self.record(Self::attempt_record(&method, path, status, t0.elapsed(), 1, result.as_ref().err()));
        result.map(|(_, v)| v)
    }
}

/// `{"secretID": …}` or a bare ID string.
#[derive(serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum IdOrBare<T> {
    Wrapped(T),
    Bare(Uuid),
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], method: &Method, path: &str) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::decode(&e, bytes, method.as_str(), path))
}

/// Stage mutations answer `{name, path}`; an empty 200 is accepted as well.
pub(crate) fn decode_or_default<T: DeserializeOwned + Default>(
    bytes: &[u8],
    method: &Method,
    path: &str,
) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    decode(bytes, method, path)
}

/// Flattens a query struct into pairs, skipping `null`s.
pub(crate) fn query_pairs<T: Serialize>(q: &T) -> Result<Query, ApiError> {
    let value = serde_json::to_value(q).map_err(|e| ApiError::InvalidInput(format!("cannot encode the query: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(ApiError::InvalidInput("a query must be an object".into()));
    };
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some((k, s)),
            other => Some((k, other.to_string())),
        })
        .collect())
}

/// The error chain as one line, without URLs (a pre-signed URL's query is a credential).
fn describe_error(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        let text = s.to_string();
        if parts.last().is_none_or(|last| !last.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn api_key_is_redacted_everywhere() {
        let key = ApiKey::new("sk-very-secret-123");
        assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
        assert_eq!(format!("{key}"), "ApiKey(<redacted>)");
        assert_eq!(key.expose(), "sk-very-secret-123");
        let cfg = ClientConfig::new("https://api.singlestore.com", key).unwrap();
        assert!(!format!("{cfg:?}").contains("very-secret"));
        let client = Client::new(cfg).unwrap();
        assert!(!format!("{client:?}").contains("very-secret"));
    }

    #[test]
    fn http_only_for_loopback() {
        let k = || ApiKey::new("k");
        for ok in [
            "https://api.singlestore.com",
            "https://example.com:8443/prefix/",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://[::1]:9000",
        ] {
            assert!(ClientConfig::new(ok, k()).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.singlestore.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.example.com",
            "ftp://localhost",
            "not a url",
            "https://user:pw@api.singlestore.com",
            "https://api.singlestore.com/?key=1",
        ] {
            let err = ClientConfig::new(bad, k()).unwrap_err();
            assert!(matches!(err, ApiError::InvalidInput(_)), "{bad}: {err:?}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
        let err = ClientConfig::new("http://api.singlestore.com", k()).unwrap_err();
        assert!(err.to_string().contains("loopback") || err.to_string().contains("localhost"));
    }

    #[test]
    fn client_revalidates_a_mutated_config() {
        let mut cfg = ClientConfig::new("https://api.singlestore.com", ApiKey::new("k")).unwrap();
        cfg.base_url = Url::parse("http://example.com").unwrap();
        assert!(matches!(Client::new(cfg), Err(ApiError::InvalidInput(_))));
    }

    #[test]
    fn urls_keep_a_base_path_prefix_and_encode_stage_paths() {
        let cfg = ClientConfig::new("https://h.example/api/", ApiKey::new("k")).unwrap();
        let c = Client::new(cfg).unwrap();
        let id = Uuid::nil();
        let route = c.stage_route(id, "my dir/ü.txt");
        let u = c.url_for(&route, &[("metadata".into(), "true".into())]);
        assert_eq!(u.as_str(), format!("https://h.example/api/v1/stage/{id}/fs/my%20dir/%C3%BC.txt?metadata=true"));
        assert_eq!(c.stage_route(id, ""), format!("/v1/stage/{id}/fs"));
        let v2 = c.with_version(ApiVersion::V2);
        assert_eq!(v2.stage_route(id, "a b/"), format!("/v2/clusters/{id}/stage/fs/a%20b/"));
        assert_eq!(v2.stage_route(id, ""), format!("/v2/clusters/{id}/stage/fs"));
        assert_eq!(c.version(), ApiVersion::V1, "the original keeps its version");
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let a = Url::parse("https://api.example.com/v1/x").unwrap();
        assert!(same_origin(&a, &Url::parse("https://API.example.com:443/y").unwrap()));
        assert!(!same_origin(&a, &Url::parse("http://api.example.com/y").unwrap()));
        assert!(!same_origin(&a, &Url::parse("https://api.example.com:444/y").unwrap()));
        assert!(!same_origin(&a, &Url::parse("https://blob.example.com/y").unwrap()));
    }

    #[test]
    fn query_pairs_skip_nulls_and_stringify() {
        let q = AuditLogQuery {
            limit: Some(5),
            sort_by_descending: Some(true),
            kind: Some("Login".into()),
            ..Default::default()
        };
        let mut pairs = query_pairs(&q).unwrap();
        pairs.sort();
        assert_eq!(
            pairs,
            vec![
                ("limit".to_string(), "5".to_string()),
                ("sortByDescending".to_string(), "true".to_string()),
                ("type".to_string(), "Login".to_string()),
            ]
        );
    }
}
