//! The server's shared state: the store, the policy, documents, limiters, metrics.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use metrics_exporter_prometheus::PrometheusHandle;
use tirkeu_core::policy::Policy;
use tirkeu_store::{AttemptKind, Failures, Opened, Store, with_store};

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

/// Keyed rate limiters. Clients are keyed by [`ClientKey`] (an IPv4 address or an IPv6 /64),
/// taken from [`crate::edge::client_ip`].
///
/// The budgets of *failures* — the status lookup's per application number, the sign-in's per
/// username and per client — hold across every instance sharing the database: failures are
/// recorded there (migration 0010, `failed_attempts`, by keyed hash) and counted from there,
/// so N instances behind a load balancer give the budget once, not N times. Each instance
/// keeps its own in-memory [`FailureBudget`] in front as well: it bounds a burst on one
/// instance before the database is asked, and refuses a flood without touching it.
///
/// - **Sign-in** (not a hot path; argon2 takes longer than the round trips): the attempt is
///   recorded before the password is checked and counted after, each in a statement of its
///   own, so that of two attempts at once on two instances the later count sees both; over
///   the budget it is refused (and its rows forgotten, a refusal spends nothing); a success
///   forgets its rows. Exactly the in-memory semantics, shared.
/// - **Status lookup** (the hot path): a lookup reads the number's failures in the same
///   statement as the case ([`Store::status_with_failures`](tirkeu_store::Store::status_with_failures)),
///   so checking the shared budget costs no round trip; a successful lookup writes nothing;
///   a failed one records its failure. Attempts that reach the database at the same instant on
///   several instances, before any of them has failed, each see the failures recorded so far:
///   such a burst can pass the shared count once, each instance's share still bounded by its
///   own in-memory budget. Sustained guessing from anywhere stops at the budget.
///   Numbers that do not read as a number (wrong check character) never match a case and
///   are counted in memory only.
///
/// The other limits (status lookups, applications and receipts per client) are per instance.
pub struct Limiters {
    status_client: DefaultKeyedRateLimiter<ClientKey>,
    /// Failed lookups only: someone who knows a number cannot lock its owner out by looking
    /// it up successfully again and again.
    status_number: FailureBudget<String>,
    login_user: FailureBudget<String>,
    login_client: FailureBudget<ClientKey>,
    create_client: DefaultKeyedRateLimiter<ClientKey>,
    receipt_client: DefaultKeyedRateLimiter<ClientKey>,
    /// Where every instance's failures are kept.
    store: Opened,
    /// The budgets' minute is the server's clock's (a test moves it).
    clock: Clock,
}

/// The window of every failure budget.
const WINDOW: SignedDuration = SignedDuration::from_mins(1);

/// Shared failures are pruned this long after they leave the window: instances whose clocks
/// differ by a few seconds still count the same rows.
const KEEP_FAILURES: SignedDuration = SignedDuration::from_mins(2);

/// How long until the first of the failures counted at `now` (the earliest at `earliest`)
/// leaves the window.
fn until_released(now: Timestamp, earliest: Timestamp) -> Duration {
    let left = WINDOW - now.duration_since(earliest);
    left.clamp(SignedDuration::ZERO, WINDOW).unsigned_abs()
}

/// Attempts that may fail per key within a minute. An attempt spends from the budget *before*
/// it is checked (so that many attempts at once cannot all slip in before the first failure
/// is counted), and a successful one gives it back. While the budget is spent every attempt
/// is refused, a right one too: guessing stops, whatever the guess. This is one instance's
/// share; [`Limiters`] says how the budget is shared through the database.
pub struct FailureBudget<K> {
    per_minute: usize,
    spent: std::sync::Mutex<std::collections::HashMap<K, Vec<Timestamp>>>,
}

impl<K: std::hash::Hash + Eq + Clone> FailureBudget<K> {
    fn new(per_minute: u32) -> Self {
        FailureBudget {
            per_minute: usize::try_from(per_minute.max(1)).unwrap_or(usize::MAX),
            spent: std::sync::Mutex::default(),
        }
    }

    /// Whether `failures` recorded (on every instance) fill the budget.
    fn filled_by(&self, failures: u32) -> bool {
        usize::try_from(failures).unwrap_or(usize::MAX) >= self.per_minute
    }

    /// Whether `failures`, this attempt's own among them, exceed the budget.
    fn exceeded_by(&self, failures: u32) -> bool {
        usize::try_from(failures).unwrap_or(usize::MAX) > self.per_minute
    }

    /// Spends one attempt for `key` at `now`; when the budget is spent, how long until an
    /// attempt is given back.
    fn spend(&self, key: &K, now: Timestamp) -> Result<Timestamp, Duration> {
        let mut spent = self.spent.lock().expect("budget lock");
        let times = spent.entry(key.clone()).or_default();
        times.retain(|t| now.duration_since(*t) < WINDOW);
        if times.len() >= self.per_minute {
            let oldest = times.iter().min().copied().unwrap_or(now);
            return Err(until_released(now, oldest));
        }
        times.push(now);
        Ok(now)
    }

    /// Gives back the attempt spent at `at` (it succeeded, or was refused after all).
    fn refund(&self, key: &K, at: Timestamp) {
        let mut spent = self.spent.lock().expect("budget lock");
        if let Some(times) = spent.get_mut(key)
            && let Some(i) = times.iter().position(|t| *t == at)
        {
            times.swap_remove(i);
        }
    }

    fn shrink(&self, now: Timestamp) {
        self.spent.lock().expect("budget lock").retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < WINDOW);
            !times.is_empty()
        });
    }
}

/// A sign-in attempt's spending, to give back if the password was right.
#[must_use]
pub struct LoginAttempt {
    user: String,
    client: ClientKey,
    at: Timestamp,
    /// Its rows in the shared table.
    recorded: Vec<i64>,
}

/// A status lookup's spending from its number's budget, to give back if it found the case.
#[must_use]
pub struct LookupAttempt {
    number: String,
    at: Timestamp,
    /// The number reads as one: its failures are shared through the database.
    shared: bool,
}

impl LookupAttempt {
    /// The start of the window the number's failures are counted in (exclusive).
    pub fn window_start(&self) -> Timestamp {
        self.at - WINDOW
    }
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
    fn new(c: &ServerConfig, store: Opened) -> Self {
        Limiters {
            status_client: RateLimiter::keyed(per_minute(c.status_per_client_per_minute)),
            status_number: FailureBudget::new(c.status_per_number_per_minute),
            login_user: FailureBudget::new(c.logins_per_user_per_minute),
            login_client: FailureBudget::new(c.logins_per_client_per_minute),
            create_client: RateLimiter::keyed(per_minute(c.creates_per_client_per_minute)),
            receipt_client: RateLimiter::keyed(per_minute(c.receipts_per_client_per_minute)),
            store,
            clock: c.clock.clone(),
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

    /// A status lookup from `client` for `number` (its compact form when it reads as a
    /// number: `is_number`): counted per client always, and spent from this instance's share
    /// of the number's budget of failures. Then the shared budget: a lookup that reads the
    /// case with [`Store::status_with_failures`](tirkeu_store::Store::status_with_failures)
    /// passes the failures to [`Limiters::status_shared`]; another one calls
    /// [`Limiters::status_shared_check`]. Give the attempt back with
    /// [`Limiters::status_found`], or record it with [`Limiters::status_failed`].
    pub fn status(
        &self,
        client: IpAddr,
        number: &str,
        is_number: bool,
    ) -> Result<LookupAttempt, ApiError> {
        Self::check(&self.status_client, "status_client", client)?;
        let number = number.to_owned();
        let at = self.clock.now();
        self.status_number
            .spend(&number, at)
            .map_err(|wait| refused("status_number", client, wait))?;
        Ok(LookupAttempt {
            number,
            at,
            shared: is_number,
        })
    }

    /// Refuses `attempt` while the number's `failures` on every instance (read with the
    /// case) fill its budget; a refused attempt spends nothing.
    pub fn status_shared(
        &self,
        attempt: &LookupAttempt,
        failures: Failures,
        client: IpAddr,
    ) -> Result<(), ApiError> {
        if !attempt.shared || !self.status_number.filled_by(failures.count) {
            return Ok(());
        }
        self.status_number.refund(&attempt.number, attempt.at);
        let wait = failures
            .earliest
            .map_or(WINDOW.unsigned_abs(), |e| until_released(attempt.at, e));
        Err(refused("status_number", client, wait))
    }

    /// [`Limiters::status_shared`] with the failures read on their own (a lookup that does
    /// not read the case by [`Store::status_with_failures`](tirkeu_store::Store::status_with_failures)).
    pub async fn status_shared_check(
        &self,
        attempt: LookupAttempt,
        client: IpAddr,
    ) -> Result<LookupAttempt, ApiError> {
        if !attempt.shared {
            return Ok(attempt);
        }
        let failures = with_store!(&self.store, s => s
            .recent_failures(AttemptKind::StatusNumber, &attempt.number, attempt.window_start())
            .await?);
        self.status_shared(&attempt, failures, client)?;
        Ok(attempt)
    }

    /// The lookup found its case: it does not count against the number (and writes nothing).
    pub fn status_found(&self, attempt: &LookupAttempt) {
        self.status_number.refund(&attempt.number, attempt.at);
    }

    /// The lookup failed: its failure counts on every instance.
    pub async fn status_failed(&self, attempt: LookupAttempt) -> Result<(), ApiError> {
        if attempt.shared {
            with_store!(&self.store, s => s
                .record_failures(&[(AttemptKind::StatusNumber, &attempt.number)], attempt.at)
                .await?);
        }
        Ok(())
    }

    /// An application created by `client` (the API or the web form).
    pub fn create(&self, client: IpAddr) -> Result<(), ApiError> {
        Self::check(&self.create_client, "create_client", client)
    }

    /// A receipt rendered for `client` (PDF or HTML).
    pub fn receipt(&self, client: IpAddr) -> Result<(), ApiError> {
        Self::check(&self.receipt_client, "receipt_client", client)
    }

    /// Spends a sign-in attempt for `username` from `client`, before the password is checked,
    /// from this instance's budgets and then from the shared ones; `None` when any is spent
    /// (the attempt must then be refused, whatever the password).
    pub async fn login_attempt(
        &self,
        client: IpAddr,
        username: &str,
    ) -> Result<Option<LoginAttempt>, ApiError> {
        let user = username.trim().to_lowercase();
        let client = ClientKey::from(client);
        let at = self.clock.now();
        if self.login_user.spend(&user, at).is_err() {
            return Ok(None);
        }
        if self.login_client.spend(&client, at).is_err() {
            self.login_user.refund(&user, at);
            return Ok(None);
        }
        let client_key = client.to_string();
        let since = at - WINDOW;
        let (recorded, over) = with_store!(&self.store, s => {
            // Recorded (committed) first, counted after.
            let recorded = s
                .record_failures(
                    &[(AttemptKind::LoginUser, &user), (AttemptKind::LoginClient, &client_key)],
                    at,
                )
                .await?;
            let by_user = s.recent_failures(AttemptKind::LoginUser, &user, since).await?;
            let by_client = s.recent_failures(AttemptKind::LoginClient, &client_key, since).await?;
            let over = self.login_user.exceeded_by(by_user.count)
                || self.login_client.exceeded_by(by_client.count);
            if over {
                s.forget_failures(&recorded).await?;
            }
            (recorded, over)
        });
        let attempt = LoginAttempt {
            user,
            client,
            at,
            recorded,
        };
        if over {
            self.give_back_login(&attempt);
            return Ok(None);
        }
        Ok(Some(attempt))
    }

    fn give_back_login(&self, attempt: &LoginAttempt) {
        self.login_user.refund(&attempt.user, attempt.at);
        self.login_client.refund(&attempt.client, attempt.at);
    }

    /// The password was right: the attempt does not count against either budget.
    pub async fn login_succeeded(&self, attempt: &LoginAttempt) -> Result<(), ApiError> {
        self.give_back_login(attempt);
        with_store!(&self.store, s => s.forget_failures(&attempt.recorded).await?);
        Ok(())
    }

    /// Forgets idle keys and prunes the shared failures that left the window (called
    /// every minute by each instance, so neither grows for ever).
    pub async fn shrink(&self) {
        let now = self.clock.now();
        self.status_client.retain_recent();
        self.status_number.shrink(now);
        self.login_user.shrink(now);
        self.login_client.shrink(now);
        self.create_client.retain_recent();
        self.receipt_client.retain_recent();
        match with_store!(&self.store, s => s.prune_failures(now - KEEP_FAILURES).await) {
            Ok(n) => tracing::debug!(pruned = n, "expired failed attempts pruned"),
            Err(e) => tracing::warn!(error = %e, "pruning expired failed attempts failed"),
        }
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
        let limits = Limiters::new(&config, store.clone());
        Ok(App(Arc::new(Inner {
            store,
            policy: RwLock::new(Arc::new(policy)),
            documents,
            limits,
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
