//! The object-store host behind Stage downloads: serves signed URLs, needs no API key, and
//! answers refusals the way object stores do (403 plain text).

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use crate::sim::{AppState, Fault};

/// Read size when serving a file: object stores send large chunks, and 4 KiB reads would make
/// the simulator, not the client, the bottleneck of a download.
const BLOB_CHUNK: usize = 256 * 1024;

/// Routes of the object-store host (served on its own listener at `Shared::blob_base`).
pub fn blob_routes() -> Router<AppState> {
    Router::new().route("/{*key}", get(download))
}

fn refuse(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_string()).into_response()
}

/// Whether the URL's own `X-Amz-Date` plus `X-Amz-Expires` lies in the past (the grant
/// behind it may be long forgotten).
fn url_expired(q: &HashMap<String, String>) -> bool {
    let issued = q
        .get("X-Amz-Date")
        .and_then(|d| chrono::NaiveDateTime::parse_from_str(d, "%Y%m%dT%H%M%SZ").ok())
        .map(|t| t.and_utc());
    let ttl = q.get("X-Amz-Expires").and_then(|s| s.parse::<i64>().ok()).and_then(chrono::Duration::try_seconds);
    match (issued, ttl) {
        (Some(at), Some(ttl)) => at.checked_add_signed(ttl).is_some_and(|end| end < chrono::Utc::now()),
        _ => false,
    }
}

async fn download(
    State(st): State<AppState>,
    Path(key): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let faults = st.faults();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    // An injected fault for this host; a drop is applied below, once there is a body to cut.
    let injected = st.next_blob_fault();
    match &injected {
        Some(Fault::Latency(d)) => tokio::time::sleep(*d).await,
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut resp = refuse(StatusCode::TOO_MANY_REQUESTS, "SlowDown: Please reduce your request rate.");
            resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(*retry_after_secs));
            return resp;
        }
        Some(Fault::ServerError(code)) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let text = if status == StatusCode::SERVICE_UNAVAILABLE {
                "ServiceUnavailable: Please reduce your request rate."
            } else {
                "InternalError: We encountered an internal error. Please try again."
            };
            return refuse(status, text);
        }
        Some(Fault::Drop) | None => {}
    }
    let grant = {
        let mut w = st.world();
        w.stage.record_blob_request(&key, &headers);
        q.get("X-Amz-Signature").and_then(|t| w.stage.grant(t)).cloned()
    };
    let Some(grant) = grant else {
        if url_expired(&q) {
            return refuse(StatusCode::FORBIDDEN, "AccessDenied: Request has expired");
        }
        return refuse(
            StatusCode::FORBIDDEN,
            "AccessDenied: The request signature we calculated does not match the signature you provided.",
        );
    };
    if grant.object_key != key.trim_start_matches('/') {
        return refuse(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch: The request signature does not match this object.",
        );
    }
    if chrono::Utc::now() >= grant.expires {
        return refuse(StatusCode::FORBIDDEN, "AccessDenied: Request has expired");
    }
    let file = match tokio::fs::File::open(&grant.blob).await {
        Ok(f) => f,
        Err(_) => {
            return refuse(StatusCode::NOT_FOUND, "NoSuchKey: The specified key does not exist.");
        }
    };
    let size = match file.metadata().await {
        Ok(m) => m.len(),
        Err(_) => grant.size,
    };
    let drop = injected == Some(Fault::Drop) || st.roll(faults.rate_drop);
    let body = if size > 0 && drop {
        // The declared length stays, so the client sees the transfer cut short. Yielding once
        // before the error lets hyper flush the headers and the first half: a body error
        // aborts the connection without writing what is still buffered.
        let cut =
            ReaderStream::with_capacity(file.take(size / 2), BLOB_CHUNK).chain(futures_util::stream::once(async {
                tokio::task::yield_now().await;
                Err::<bytes::Bytes, _>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection dropped"))
            }));
        Body::from_stream(cut)
    } else {
        Body::from_stream(ReaderStream::with_capacity(file, BLOB_CHUNK))
    };
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_LENGTH, header::HeaderValue::from(size));
    if let Ok(v) = header::HeaderValue::from_str(&grant.mimetype) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::ACCEPT_RANGES, header::HeaderValue::from_static("none"));
    resp
}
