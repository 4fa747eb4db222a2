//! The server's shared state: the store, the policy, documents, limiters, metrics.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jiff::Timestamp;
use jiff::civil::Date;
use metrics_exporter_prometheus::PrometheusHandle;
use tirkeu_core::policy::Policy;
use tirkeu_store::Opened;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::upload::DocumentStore;

/// How the server is configured.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The URL users reach the server at (for QR codes and links), without a trailing slash.
    pub public_url: String,
    /// Where uploaded documents are kept (by content hash).
    pub documents_dir: PathBuf,
    /// Login sessions last this long.
    pub session_hours: i64,
    /// Status lookups allowed per client per minute, and per application number per minute.
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
}

impl ServerConfig {
    /// Sensible defaults for `data_dir`.
    pub fn new(public_url: &str, data_dir: &std::path::Path) -> Self {
        ServerConfig {
            public_url: public_url.trim_end_matches('/').to_owned(),
            documents_dir: data_dir.join("documents"),
            session_hours: 8,
            status_per_client_per_minute: 30,
            status_per_number_per_minute: 10,
            logins_per_user_per_minute: 5,
            logins_per_client_per_minute: 20,
            policy_path: Some(data_dir.join("policy.toml")),
            clock: Clock::system(),
            cookie_key: axum_extra::extract::cookie::Key::generate(),
            stats_max_age: std::time::Duration::from_mins(1),
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
/// effective limit is per instance, which is documented.
pub struct Limiters {
    status_client: DefaultKeyedRateLimiter<IpAddr>,
    status_number: DefaultKeyedRateLimiter<String>,
    login_user: FailureBudget<String>,
    login_client: FailureBudget<IpAddr>,
}

/// Sign-in attempts that may fail per key within a minute. An attempt spends from the budget
/// *before* the password is checked (so that many attempts at once cannot all slip in before
/// the first failure is counted), and a correct password gives it back. While the budget is
/// spent every attempt is refused, a correct password too: guessing stops, whatever the guess.
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

    /// Spends one attempt for `key` at `now`; `None` when the budget is spent.
    fn spend(&self, key: &K, now: std::time::Instant) -> Option<std::time::Instant> {
        let mut spent = self.spent.lock().expect("budget lock");
        let times = spent.entry(key.clone()).or_default();
        times.retain(|t| now.duration_since(*t) < Duration::from_mins(1));
        if times.len() >= self.per_minute {
            return None;
        }
        times.push(now);
        Some(now)
    }

    /// Gives back the attempt spent at `at` (the password was right).
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
    client: IpAddr,
    at: std::time::Instant,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("positive"))
}

impl Limiters {
    fn new(c: &ServerConfig) -> Self {
        Limiters {
            status_client: RateLimiter::keyed(per_minute(c.status_per_client_per_minute)),
            status_number: RateLimiter::keyed(per_minute(c.status_per_number_per_minute)),
            login_user: FailureBudget::new(c.logins_per_user_per_minute),
            login_client: FailureBudget::new(c.logins_per_client_per_minute),
        }
    }

    fn check<K: std::hash::Hash + Eq + Clone>(
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
    ) -> Result<(), ApiError> {
        limiter.check_key(key).map_err(|not_until| {
            let wait: Duration = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::too_many(wait.as_secs().max(1))
        })
    }

    /// A status lookup from `client` for `number`.
    pub fn status(&self, client: IpAddr, number: &str) -> Result<(), ApiError> {
        Self::check(&self.status_client, &client)?;
        Self::check(&self.status_number, &number.to_owned())
    }

    /// Spends a sign-in attempt for `username` from `client`, before the password is checked;
    /// `None` when either budget is spent (the attempt must then be refused, whatever the
    /// password).
    pub fn login_attempt(&self, client: IpAddr, username: &str) -> Option<LoginAttempt> {
        let user = username.trim().to_lowercase();
        let at = std::time::Instant::now();
        self.login_user.spend(&user, at)?;
        if self.login_client.spend(&client, at).is_none() {
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
        self.status_number.retain_recent();
        self.login_user.shrink();
        self.login_client.shrink();
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
        let documents = Arc::new(DocumentStore::open(&config.documents_dir)?);
        Ok(App(Arc::new(Inner {
            store,
            policy: RwLock::new(Arc::new(policy)),
            documents,
            limits: Limiters::new(&config),
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
