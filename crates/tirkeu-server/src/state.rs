//! The server's shared state: the store, the policy, documents, limiters, metrics.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use jiff::Timestamp;
use jiff::civil::Date;
use metrics_exporter_prometheus::PrometheusHandle;
use tirkeu_core::policy::Policy;
use tirkeu_store::Opened;

use crate::clock::Clock;
use crate::edge::{ClientKey, Gate, HttpLimits, shown};
use crate::error::ApiError;
use crate::upload::DocumentStore;

/// How the server is configured.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The URL users reach the server at (for QR codes and links), without a trailing slash.
    pub public_url: String,
    /// Where uploaded documents are kept (by content hash): a directory or an S3 bucket.
    pub documents: crate::upload::DocumentsAt,
    /// Login sessions last this long.
    pub session_hours: i64,
    /// Status lookups allowed per client per minute, and failed ones per application number
    /// per minute (a successful lookup gives its try back).
    pub status_per_client_per_minute: u32,
    pub status_per_number_per_minute: u32,
    /// Failed-login budget per username per minute.
    pub logins_per_user_per_minute: u32,
    /// Failed-login budget per client address per minute (over all usernames).
    pub logins_per_client_per_minute: u32,
    /// Where an admin's replacement policy is saved, so it survives a restart.
    pub policy_path: Option<PathBuf>,
    /// Where "now" comes from (the system clock; a fixed one in tests).
    pub clock: Clock,
    /// Encrypts and signs the web pages' private cookies (an applicant's draft).
    pub cookie_key: axum_extra::extract::cookie::Key,
    /// The statistics (dashboard, public page, `GET /api/v1/stats`) are counted at most
    /// this often; see [`crate::stats::current`].
    pub stats_max_age: std::time::Duration,
    /// Timeouts and the limit on requests at once.
    pub http: HttpLimits,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see [`crate::edge::client_ip`]).
    pub trusted_proxies: Vec<IpNet>,
    /// Send `Strict-Transport-Security` (on by default when `public_url` is https).
    pub hsts: bool,
    /// `GET /metrics` on the public listener answers only this bearer token; without one it
    /// is not there (metrics are then served on an internal listener, if at all).
    pub metrics_token: Option<String>,
    /// Applications created per client per minute (API and web form).
    pub creates_per_client_per_minute: u32,
    /// Receipts (PDF and HTML) rendered per client per minute.
    pub receipts_per_client_per_minute: u32,
}

impl ServerConfig {
    /// Sensible defaults for `data_dir`.
    pub fn new(public_url: &str, data_dir: &std::path::Path) -> Self {
        ServerConfig {
            public_url: public_url.trim_end_matches('/').to_owned(),
            documents: crate::upload::DocumentsAt::Dir(data_dir.join("documents")),
            session_hours: 8,
            status_per_client_per_minute: 30,
            status_per_number_per_minute: 10,
            logins_per_user_per_minute: 5,
            logins_per_client_per_minute: 20,
            policy_path: Some(data_dir.join("policy.toml")),
            clock: Clock::system(),
            cookie_key: axum_extra::extract::cookie::Key::generate(),
            stats_max_age: std::time::Duration::from_mins(1),
            http: HttpLimits::default(),
            trusted_proxies: Vec::new(),
            hsts: public_url.starts_with("https://"),
            metrics_token: None,
            creates_per_client_per_minute: 10,
            receipts_per_client_per_minute: 30,
        }
    }

    /// Derives the cookie key from a server secret shared by every instance (the passport
    /// lookup key), separated from its other use by hashing with a label first.
    pub fn set_cookie_secret(&mut self, secret: &[u8]) {
        use sha2::{Digest, Sha512};
        let mut h = Sha512::new();
        h.update(b"tirkeu web cookies\0");
        h.update(secret);
        self.cookie_key = axum_extra::extract::cookie::Key::from(&h.finalize());
    }
}

/// Keyed rate limiters. Each instance keeps its own counts; behind a load balancer the
/// effective limit is per instance, which is documented. Clients are keyed by [`ClientKey`]
/// (an IPv4 address or an IPv6 /64), taken from [`crate::edge::client_ip`].
pub struct Limiters {
    status_client: DefaultKeyedRateLimiter<ClientKey>,
    /// Failed lookups only: someone who knows a number cannot lock its owner out by looking
    /// it up successfully again and again.
    status_number: FailureBudget<String>,
    login_user: FailureBudget<String>,
    login_client: FailureBudget<ClientKey>,
    create_client: DefaultKeyedRateLimiter<ClientKey>,
    receipt_client: DefaultKeyedRateLimiter<ClientKey>,
}

/// Attempts that may fail per key within a minute. An attempt spends from the budget *before*
/// it is checked (so that many attempts at once cannot all slip in before the first failure
/// is counted), and a successful one gives it back. While the budget is spent every attempt
/// is refused, a right one too: guessing stops, whatever the guess.
pub struct FailureBudget<K> {
    per_minute: usize,
    spent: std::sync::Mutex<std::collections::HashMap<K, Vec<std::time::Instant>>>,
}

impl<K: std::hash::Hash + Eq + Clone> FailureBudget<K> {
    fn new(per_minute: u32) -> Self {
        FailureBudget {
            per_minute: usize::try_from(per_minute.max(1)).unwrap_or(usize::MAX),
            spent: std::sync::Mutex::default(),
        }
    }

    /// Spends one attempt for `key` at `now`; when the budget is spent, how long until an
    /// attempt is given back.
    fn spend(&self, key: &K, now: std::time::Instant) -> Result<std::time::Instant, Duration> {
        let mut spent = self.spent.lock().expect("budget lock");
        let times = spent.entry(key.clone()).or_default();
        times.retain(|t| now.duration_since(*t) < Duration::from_mins(1));
        if times.len() >= self.per_minute {
            let oldest = times.iter().min().copied().unwrap_or(now);
            return Err(Duration::from_mins(1).saturating_sub(now.duration_since(oldest)));
        }
        times.push(now);
        Ok(now)
    }

    /// Gives back the attempt spent at `at` (it succeeded).
    fn refund(&self, key: &K, at: std::time::Instant) {
        let mut spent = self.spent.lock().expect("budget lock");
        if let Some(times) = spent.get_mut(key)
            && let Some(i) = times.iter().position(|t| *t == at)
        {
            times.swap_remove(i);
        }
    }

    fn shrink(&self) {
        let now = std::time::Instant::now();
        self.spent.lock().expect("budget lock").retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < Duration::from_mins(1));
            !times.is_empty()
        });
    }
}

/// A sign-in attempt's spending, to give back if the password was right.
#[must_use]
pub struct LoginAttempt {
    user: String,
    client: ClientKey,
    at: std::time::Instant,
}

/// A status lookup's spending from its number's budget, to give back if it found the case.
#[must_use]
pub struct LookupAttempt {
    number: String,
    at: std::time::Instant,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("positive"))
}

fn refused(limit: &'static str, client: IpAddr, wait: Duration) -> ApiError {
    metrics::counter!("tirkeu_rate_limited_total", "limit" => limit).increment(1);
    tracing::warn!(limit, client = %shown(client), "request refused: rate limit");
    ApiError::too_many(wait.as_secs().max(1))
}

impl Limiters {
    fn new(c: &ServerConfig) -> Self {
        Limiters {
            status_client: RateLimiter::keyed(per_minute(c.status_per_client_per_minute)),
            status_number: FailureBudget::new(c.status_per_number_per_minute),
            login_user: FailureBudget::new(c.logins_per_user_per_minute),
            login_client: FailureBudget::new(c.logins_per_client_per_minute),
            create_client: RateLimiter::keyed(per_minute(c.creates_per_client_per_minute)),
            receipt_client: RateLimiter::keyed(per_minute(c.receipts_per_client_per_minute)),
        }
    }

    fn check(
        limiter: &DefaultKeyedRateLimiter<ClientKey>,
        limit: &'static str,
        client: IpAddr,
    ) -> Result<(), ApiError> {
        limiter.check_key(&client.into()).map_err(|not_until| {
            refused(
                limit,
                client,
                not_until.wait_time_from(DefaultClock::default().now()),
            )
        })
    }

    /// A status lookup from `client` for `number`: counted per client always, and spent from
    /// the number's budget of failures (give it back with [`Limiters::status_found`]).
    pub fn status(&self, client: IpAddr, number: &str) -> Result<LookupAttempt, ApiError> {
        Self::check(&self.status_client, "status_client", client)?;
        let number = number.to_owned();
        let at = std::time::Instant::now();
        self.status_number
            .spend(&number, at)
            .map_err(|wait| refused("status_number", client, wait))?;
        Ok(LookupAttempt { number, at })
    }

    /// The lookup found its case: it does not count against the number.
    pub fn status_found(&self, attempt: &LookupAttempt) {
        self.status_number.refund(&attempt.number, attempt.at);
    }

    /// An application created by `client` (the API or the web form).
    pub fn create(&self, client: IpAddr) -> Result<(), ApiError> {
        Self::check(&self.create_client, "create_client", client)
    }

    /// A receipt rendered for `client` (PDF or HTML).
    pub fn receipt(&self, client: IpAddr) -> Result<(), ApiError> {
        Self::check(&self.receipt_client, "receipt_client", client)
    }

    /// Spends a sign-in attempt for `username` from `client`, before the password is checked;
    /// `None` when either budget is spent (the attempt must then be refused, whatever the
    /// password).
    pub fn login_attempt(&self, client: IpAddr, username: &str) -> Option<LoginAttempt> {
        let user = username.trim().to_lowercase();
        let client = ClientKey::from(client);
        let at = std::time::Instant::now();
        self.login_user.spend(&user, at).ok()?;
        if self.login_client.spend(&client, at).is_err() {
            self.login_user.refund(&user, at);
            return None;
        }
        Some(LoginAttempt { user, client, at })
    }

    /// The password was right: the attempt does not count against either budget.
    pub fn login_succeeded(&self, attempt: &LoginAttempt) {
        self.login_user.refund(&attempt.user, attempt.at);
        self.login_client.refund(&attempt.client, attempt.at);
    }

    /// Forgets idle keys (called periodically so the maps do not grow forever).
    pub fn shrink(&self) {
        self.status_client.retain_recent();
        self.status_number.shrink();
        self.login_user.shrink();
        self.login_client.shrink();
        self.create_client.retain_recent();
        self.receipt_client.retain_recent();
    }
}

/// Everything a handler needs.
pub struct Inner {
    pub store: Opened,
    policy: RwLock<Arc<Policy>>,
    /// Shared with the worker, which deletes what retention purges.
    pub documents: Arc<DocumentStore>,
    pub limits: Limiters,
    pub metrics: PrometheusHandle,
    pub config: ServerConfig,
    /// Password hashes checked at once: argon2 takes tens of milliseconds and much memory, so
    /// a flood of sign-ins waits here instead of starving the server.
    pub hashing: tokio::sync::Semaphore,
    /// Uploads decoded and re-encoded at once (one per core; see [`crate::upload`]).
    pub sanitizing: crate::upload::SanitizeGate,
    /// The last count of the statistics ([`crate::stats::current`]).
    pub stats: tokio::sync::Mutex<Option<crate::stats::Counted>>,
    /// The slots of the limit on requests at once ([`crate::edge::admit`]).
    pub gate: Gate,
}

/// The state shared by all requests.
#[derive(Clone)]
pub struct App(pub Arc<Inner>);

impl std::ops::Deref for App {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl axum::extract::FromRef<App> for axum_extra::extract::cookie::Key {
    fn from_ref(app: &App) -> Self {
        app.config.cookie_key.clone()
    }
}

impl App {
    pub fn new(store: Opened, policy: Policy, config: ServerConfig) -> std::io::Result<App> {
        let documents = Arc::new(DocumentStore::open_at(&config.documents)?);
        Ok(App(Arc::new(Inner {
            store,
            policy: RwLock::new(Arc::new(policy)),
            documents,
            limits: Limiters::new(&config),
            gate: Gate::new(&config.http),
            metrics: crate::metrics::handle(),
            config,
            stats: tokio::sync::Mutex::new(None),
            sanitizing: crate::upload::SanitizeGate::per_core(),
            hashing: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            ),
        })))
    }

    /// The policy in force (an admin may replace it while the server runs).
    pub fn policy(&self) -> Arc<Policy> {
        self.policy.read().expect("policy lock").clone()
    }

    pub fn set_policy(&self, p: Policy) {
        *self.policy.write().expect("policy lock") = Arc::new(p);
    }

    /// The current instant, from the configured clock.
    pub fn now(&self) -> Timestamp {
        self.config.clock.now()
    }

    /// Today's date in the policy's time zone.
    pub fn today(&self) -> Date {
        self.now()
            .to_zoned_datetime(self.policy().time_zone().clone())
            .date()
    }
}
