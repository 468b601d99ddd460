//! Serving the router on a TCP listener with limits on slow and idle clients.
//!
//! `axum::serve` gives hyper no timer, so hyper's header-read timeout never runs: a client that
//! sends its request head a byte at a time, or opens a connection and says nothing, keeps it (and
//! a file descriptor) for as long as it likes, and a few hundred of them shut everyone else out.
//! This loop is `axum::serve`'s, with a timer: a connection must deliver each request head within
//! [`Limits::header`] (idle keep-alive connections included, so they are closed after that long),
//! and a request, its body included, must be done within [`Limits::request`] (else 408).

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

/// How long a client may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To send a request's head (and to stay idle between requests).
    pub header: Duration,
    /// To send a whole request and have it answered.
    pub request: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        // A phone on a slow line sends a 10 MiB upload in under two minutes at 1 Mbit/s.
        Self { header: Duration::from_secs(10), request: Duration::from_secs(120) }
    }
}

/// How long connections still open at shutdown may take to finish their requests.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish (for up
/// to ten seconds). Each request carries the peer's address as [`ConnectInfo`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let router = router.layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(limits.header));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: wait for some to be closed.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Pages go out in several writes; without TCP_NODELAY, Nagle's algorithm meeting the
        // client's delayed ACK stalls some responses by 40 ms or more.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
        let service = router.clone().map_request(move |request: Request<Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            request
        });
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(service));
        let connection = graceful.watch(connection.into_owned());
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still open after {} s at shutdown were cut off", DRAIN.as_secs());
    }
    Ok(())
}
