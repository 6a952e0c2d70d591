//! Accepting connections with limits, so no client can hold the server: a cap on open
//! connections, a deadline for each request's headers (which also closes idle keep-alive
//! connections), and a shutdown that finishes what is in
//! flight but never waits more than a few seconds.
//!
//! (The deadline for a whole request is a layer of the router: `middleware::deadline`.)
//! `axum::serve` has none of these knobs, so this is its loop with them added: hyper's HTTP/1
//! connection builder with a timer, and hyper-util's graceful-shutdown watcher. With a TLS
//! configuration (`hipcoach serve --tls`, so a phone's camera works over the local network) each
//! connection is a TLS handshake first, held to the same deadline as a request's headers.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// A connection's bytes, plain or inside TLS.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Connections open at once, at most. Each costs a file descriptor and a little memory; past
/// this, new clients wait in the kernel's queue until one closes.
pub const MAX_CONNECTIONS: usize = 4_096;
/// A client has this long to send a request's headers, from when the connection opened or the
/// previous answer went out; a connection that sends nothing is closed after it too.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// On shutdown, requests in flight get this long to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` (over TLS when `tls` is given) until `shutdown` resolves.
pub async fn run(
    app: Router,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).max_headers(64);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most likely: say so, and give closing
                    // connections a moment instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let over_tls = tls.is_some();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            if over_tls {
                // Every request here came over TLS: cookies may say Secure.
                request.headers_mut().insert("x-forwarded-proto", hyper::header::HeaderValue::from_static("https"));
            }
            app.clone().oneshot(request)
        });
        let (tls, http, watcher) = (tls.clone(), http.clone(), graceful.watcher());
        tokio::spawn(async move {
            let stream: Box<dyn Stream> = match tls {
                None => Box::new(socket),
                Some(acceptor) => match tokio::time::timeout(HEADER_TIMEOUT, acceptor.accept(socket)).await {
                    Ok(Ok(stream)) => Box::new(stream),
                    // A failed or stalled handshake (plain HTTP to the TLS port, a client that
                    // does not trust the certificate) ends here, quietly.
                    _ => return drop(slot),
                },
            };
            // A client that goes away mid-answer is not our error; nothing to log.
            let _ = watcher.watch(http.serve_connection(TokioIo::new(stream), service)).await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still running after {} s are cut off", SHUTDOWN_GRACE.as_secs());
        }
    }
    Ok(())
}
