//! The server's edge: what stands between a TCP connection and the handlers — timers, a limit
//! on requests at once, and who the client is.
//!
//! Why it is built this way:
//! - **hyper, not `axum::serve`.** `axum::serve` gives hyper no timer, so hyper's header-read
//!   timeout never fires: a client dribbling header bytes held a connection and its task for as
//!   long as it liked (45 s in the review, and more). [`serve_router`] runs hyper's HTTP/1
//!   connections itself with tokio's timer, keeps graceful shutdown (hyper-util's
//!   `GracefulShutdown`, bounded by the request timeout) and gives handlers the peer address as
//!   `ConnectInfo<SocketAddr>`, as `axum::serve` did. The header timer also closes a kept-alive
//!   connection idle that long (see the reverse-proxy settings in docs/operations.md).
//! - **Timeouts answered as problem documents.** tower-http's `TimeoutLayer` answers an empty
//!   408 and its body timeouts surface as whatever the extractor makes of a body error (a 400 or
//!   a 413). [`deadlines`] wraps the body in tower-http's `DeadlineBody` and notes when it runs
//!   out, so a body not complete within the body timeout is answered `408 request.body_timeout`
//!   whichever extractor was reading it (JSON, form, multipart); a request over the request
//!   timeout is a 503 `request.timed_out` (a 408 if it was still waiting for its body).
//! - **A concurrency limit that sheds load.** tower's `ConcurrencyLimit` queues without bound;
//!   here an excess request waits at most `queue_wait` for a slot and then gets
//!   `503 request.overloaded` with `Retry-After`. `/healthz` is not limited (liveness is the
//!   process answering, busy or not).
//! - **One client address.** [`client_ip`] is the only place that decides who the client is:
//!   the TCP peer, or — only when the peer is a configured trusted proxy — the rightmost
//!   `X-Forwarded-For` address that is not itself a trusted proxy. Every limiter keys on it
//!   through [`ClientKey`], which keys IPv6 clients per /64 (one home or phone network gets a
//!   /64; keying per /128 lets one client rotate through 2^64 addresses).

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use ipnet::IpNet;
use tower_http::timeout::{DeadlineBody, TimeoutError};

use crate::error::ApiError;
use crate::state::App;

/// The limits on each connection and request (config `[http]`).
#[derive(Clone, Debug)]
pub struct HttpLimits {
    /// A request's headers must arrive within this time (also the idle time after which a
    /// kept-alive connection is closed).
    pub header_read_timeout: Duration,
    /// A request's body must arrive whole within this time (uploads are the longest).
    pub body_timeout: Duration,
    /// A request must be answered within this time.
    pub request_timeout: Duration,
    /// Requests handled at once; more wait for a slot.
    pub max_concurrent: usize,
    /// How long an excess request waits for a slot before it is refused with a 503.
    pub queue_wait: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_mins(1),
            request_timeout: Duration::from_mins(2),
            max_concurrent: 512,
            queue_wait: Duration::from_secs(1),
        }
    }
}

/// Parses a trusted proxy: a network in CIDR notation (`10.0.0.0/8`, `fd00::/8`) or one address.
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map(|n| n.trunc())
        .map_err(|_| format!("`{text}` is not an IP address or a network such as 10.0.0.0/8"))
}

/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, from a dual-stack socket) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

fn trusted_by(trusted: &[IpNet], ip: IpAddr) -> bool {
    trusted.iter().any(|n| n.contains(&ip))
}

/// One `X-Forwarded-For` entry: an address, or an address with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// The client's address: the TCP `peer`, unless the peer is one of the `trusted` proxies; then
/// the rightmost `X-Forwarded-For` address that is not a trusted proxy (the one the outermost
/// trusted proxy saw connect). Entries to the left of it were written by the client and are
/// not believed. An unreadable entry stops the walk at the last trusted hop.
pub fn client_ip(trusted: &[IpNet], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let peer = canonical(peer);
    if !trusted_by(trusted, peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else { break };
        client = ip;
        if !trusted_by(trusted, ip) {
            break;
        }
    }
    client
}

/// A client as the limiters count it: an IPv4 address, or an IPv6 /64 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match canonical(ip) {
            IpAddr::V6(v6) => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                ClientKey(IpAddr::V6(bits.into()))
            }
            v4 @ IpAddr::V4(_) => ClientKey(v4),
        }
    }
}

/// The address (or the /64) a client's limits are kept under; written only into a keyed
/// hash (the shared sign-in throttle), never into a log.
impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A client's address as logs show it: its /24 (IPv4) or /48 (IPv6) network. Enough to see a
/// flood from one network and match it with the proxy's or the firewall's logs, not enough to
/// name a person's connection (an address is personal data). A hash would not do: without a
/// key the 2^32 IPv4 addresses are hashed back in seconds, and with one it matches no other log.
pub fn shown(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 80) - 1);
            format!("{}/48", std::net::Ipv6Addr::from(bits))
        }
    }
}

/// The client of a request, as [`client_ip`] decides it from the connection and the
/// configured trusted proxies.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<App> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .ok_or_else(|| ApiError::internal(&"the request carries no peer address"))?
            .0
            .ip();
        Ok(ClientAddr(client_ip(
            &app.config.trusted_proxies,
            peer,
            &parts.headers,
        )))
    }
}

/// The slots of [`admit`].
pub struct Gate {
    slots: tokio::sync::Semaphore,
}

impl Gate {
    pub fn new(limits: &HttpLimits) -> Self {
        Gate {
            slots: tokio::sync::Semaphore::new(limits.max_concurrent.max(1)),
        }
    }
}

/// Middleware: at most `max_concurrent` requests are handled at once; an excess one waits up
/// to `queue_wait` for a slot, then gets `503 request.overloaded` with `Retry-After`.
pub async fn admit(State(app): State<App>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let permit = match app.gate.slots.try_acquire() {
        Ok(p) => p,
        Err(_) => {
            match tokio::time::timeout(app.config.http.queue_wait, app.gate.slots.acquire()).await {
                Ok(Ok(p)) => p,
                _ => {
                    metrics::counter!("tirkeu_overloaded_total").increment(1);
                    tracing::warn!(
                        max_concurrent = app.config.http.max_concurrent,
                        "request refused: every slot is busy"
                    );
                    let mut e = ApiError::unavailable("request.overloaded");
                    e.headers
                        .push((axum::http::header::RETRY_AFTER, "1".to_owned()));
                    return e.into_response();
                }
            }
        }
    };
    let res = next.run(req).await;
    drop(permit);
    res
}

const READING: u8 = 0;
const READ: u8 = 1;
const TIMED_OUT: u8 = 2;

/// A request body under a deadline that notes whether it was read to its end or ran out.
struct Watched {
    inner: Pin<Box<DeadlineBody<Body>>>,
    state: Arc<AtomicU8>,
}

impl HttpBody for Watched {
    type Data = Bytes;
    type Error = tower_http::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let polled = self.inner.as_mut().poll_frame(cx);
        match &polled {
            Poll::Ready(None) => {
                let _ =
                    self.state
                        .compare_exchange(READING, READ, Ordering::AcqRel, Ordering::Acquire);
            }
            Poll::Ready(Some(Err(e))) if e.is::<TimeoutError>() => {
                self.state.store(TIMED_OUT, Ordering::Release);
            }
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Middleware: the body must arrive within the body timeout and the answer within the request
/// timeout (see the module comment).
pub async fn deadlines(State(limits): State<HttpLimits>, req: Request, next: Next) -> Response {
    let limits = &limits;
    let state = Arc::new(AtomicU8::new(if req.body().is_end_stream() {
        READ
    } else {
        READING
    }));
    let req = req.map(|body| {
        Body::new(Watched {
            inner: Box::pin(DeadlineBody::new(limits.body_timeout, body)),
            state: state.clone(),
        })
    });
    let answered = tokio::time::timeout(limits.request_timeout, next.run(req)).await;
    let body_timed_out = || {
        tracing::info!("request refused: its body did not arrive in time");
        ApiError::new(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            "request-timeout",
            "request.body_timeout",
        )
        .with("seconds", limits.body_timeout.as_secs())
        .into_response()
    };
    match (answered, state.load(Ordering::Acquire)) {
        // Whatever the handler made of the broken body, the reason is the client's slowness.
        (_, TIMED_OUT) | (Err(_), READING) => body_timed_out(),
        (Ok(res), _) => res,
        (Err(_), _) => {
            tracing::warn!(
                seconds = limits.request_timeout.as_secs(),
                "request not answered in time"
            );
            ApiError::unavailable("request.timed_out").into_response()
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish
/// (for at most `limits.request_timeout`). Each request carries `ConnectInfo<SocketAddr>`.
pub async fn serve_router(
    router: Router,
    listener: tokio::net::TcpListener,
    limits: &HttpLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Out of file descriptors, for instance: wait instead of spinning.
                    tracing::error!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move {
                let res: Result<Response, Infallible> =
                    tower::Service::call(&mut router, req).await;
                res
            }
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                // A client that went away, or one too slow with its headers.
                tracing::debug!(error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.request_timeout) => {
            tracing::warn!("requests still open at shutdown were cut off");
        }
    }
    Ok(())
}

fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| parse_network(n).unwrap()).collect()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let trusted = nets(&["10.0.0.0/8", "192.0.2.7"]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // An untrusted peer: its header is ignored.
        assert_eq!(
            client_ip(&trusted, ip("198.51.100.1"), &xff(&["203.0.113.9"])),
            ip("198.51.100.1")
        );
        // A trusted peer: the rightmost untrusted entry, not the client-written leftmost one.
        assert_eq!(
            client_ip(
                &trusted,
                ip("10.1.2.3"),
                &xff(&["6.6.6.6, 203.0.113.9", "192.0.2.7"])
            ),
            ip("203.0.113.9")
        );
        // With a port, and IPv4-mapped IPv6.
        assert_eq!(
            client_ip(&trusted, ip("::ffff:10.0.0.1"), &xff(&["203.0.113.9:4711"])),
            ip("203.0.113.9")
        );
        // Garbage stops the walk at the last trusted hop; no header: the proxy itself.
        assert_eq!(
            client_ip(&trusted, ip("10.0.0.1"), &xff(&["203.0.113.9, junk"])),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_ip(&trusted, ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        assert!(parse_network("10.0.0.0/33").is_err());
        assert!(parse_network("proxy").is_err());
    }

    #[test]
    fn ipv6_clients_are_keyed_per_64_and_shown_per_48() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(
            ClientKey::from(ip("2001:db8:1:2:aaaa::1")),
            ClientKey::from(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            ClientKey::from(ip("2001:db8:1:2::1")),
            ClientKey::from(ip("2001:db8:1:3::1"))
        );
        assert_ne!(
            ClientKey::from(ip("192.0.2.1")),
            ClientKey::from(ip("192.0.2.2"))
        );
        assert_eq!(
            ClientKey::from(ip("::ffff:192.0.2.1")),
            ClientKey::from(ip("192.0.2.1"))
        );
        assert_eq!(shown(ip("192.0.2.77")), "192.0.2.0/24");
        assert_eq!(shown(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1::/48");
    }

    /// A handler slower than the request timeout: 503 `request.timed_out` (the client had
    /// sent everything, so the slowness is the server's); a quick one is untouched.
    #[tokio::test]
    async fn a_slow_answer_is_cut_off_with_503() {
        use axum::routing::get;
        let limits = HttpLimits {
            request_timeout: Duration::from_millis(200),
            ..HttpLimits::default()
        };
        let mut router = Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .route("/quick", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(limits, deadlines));
        let call = |path: &str| {
            axum::http::Request::get(path)
                .body(Body::empty())
                .expect("a request")
        };
        let started = std::time::Instant::now();
        let res = tower::Service::call(&mut router, call("/slow"))
            .await
            .expect("infallible");
        assert_eq!(res.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            res.extensions().get::<ApiError>().map(|e| e.code),
            Some("request.timed_out")
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        let res = tower::Service::call(&mut router, call("/quick"))
            .await
            .expect("infallible");
        assert_eq!(res.status(), axum::http::StatusCode::OK);
    }
}
