//! Configuration: defaults, then a TOML file (`--config`), then `TIRKEU_*` environment
//! variables. One typed `Config` is loaded at start and passed down; secrets are redacted in
//! `Debug` and in `config print-default`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tirkeu_server::mail::{MailConfig, Password, Security, SmtpConfig, TransportConfig};
use tirkeu_server::upload::{DocumentStore, DocumentsAt, S3Location, Unusable};

use crate::CliError;

/// A secret value: never printed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

/// Everything tirkeu is configured with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://USER@HOST/DB`. Default: a SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Where the SQLite database, uploaded documents and generated secrets live.
    pub data_dir: PathBuf,
    /// The address the HTTP server listens on.
    pub listen: String,
    /// The key (64 hex characters) of the passport lookup hash. Every instance sharing a
    /// database must use the same key. With SQLite and no key, one is generated in
    /// `data_dir/secrets/lookup.key` on first use.
    pub lookup_key: Option<Secret>,
    /// The Ed25519 key (64 hex characters) that signs audit checkpoints.
    pub audit_signing_key: Option<Secret>,
    /// Where the server writes a signed audit checkpoint every
    /// `audit_checkpoint_every_seconds` (a directory on a host or mount the database host
    /// cannot write). Unset: no scheduled checkpoints. Needs `audit_signing_key`.
    pub audit_checkpoint_dir: Option<PathBuf>,
    pub audit_checkpoint_every_seconds: u64,
    /// A policy file to use instead of the embedded default.
    pub policy_file: Option<PathBuf>,
    /// Status lookups allowed per client per minute (per server instance).
    pub status_per_client_per_minute: u32,
    /// Failed status lookups allowed per application number per minute, shared by every
    /// instance on the database; successful ones do not count.
    pub status_per_number_per_minute: u32,
    /// Applications created per client per minute (per server instance).
    pub creates_per_client_per_minute: u32,
    /// Receipts (PDF and HTML) rendered per client per minute (per server instance).
    pub receipts_per_client_per_minute: u32,
    /// Where uploaded documents are kept: `data_dir/documents` or an S3 bucket (`[documents]`).
    pub documents: DocumentsSettings,
    /// The PostgreSQL connection pool and statement timeout (`[database]`).
    pub database: DatabaseSettings,
    /// The HTTP edge: timeouts, requests at once, trusted proxies, HSTS, metrics (`[http]`).
    pub http: HttpSettings,
    /// E-mail notifications: the sender and the transport (`[mail]`).
    pub mail: MailConfig,
    /// The notification and deadline worker.
    pub worker: WorkerSettings,
}

/// `[database]`: each instance's PostgreSQL connection pool, and how long a statement may run
/// (SQLite keeps its own fixed pools and ignores these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Connections open at most, per instance.
    pub pool_size: u32,
    /// Connections kept open even when idle.
    pub min_connections: u32,
    /// Seconds a query waits for a free connection before it fails (a 503).
    pub acquire_timeout_seconds: u64,
    /// Seconds after which a connection is closed and replaced; 0: kept for ever.
    pub max_lifetime_seconds: u64,
    /// Seconds an idle connection over `min_connections` stays open; 0: never closed.
    pub idle_timeout_seconds: u64,
    /// Milliseconds a statement may run before PostgreSQL cancels it; 0: no limit.
    pub statement_timeout_ms: u64,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        let pool = tirkeu_store::PoolOptions::default();
        let seconds = |d: Option<std::time::Duration>| d.map_or(0, |d| d.as_secs());
        DatabaseSettings {
            pool_size: pool.max_connections,
            min_connections: pool.min_connections,
            acquire_timeout_seconds: pool.acquire_timeout.as_secs(),
            max_lifetime_seconds: seconds(pool.max_lifetime),
            idle_timeout_seconds: seconds(pool.idle_timeout),
            statement_timeout_ms: pool
                .statement_timeout
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        }
    }
}

impl DatabaseSettings {
    /// PostgreSQL takes `statement_timeout` in milliseconds as a 32-bit integer.
    const MAX_STATEMENT_TIMEOUT_MS: u64 = i32::MAX as u64;

    /// Refuses settings the pool cannot work with, naming the field.
    fn check(&self) -> Result<(), CliError> {
        let refuse = |field: &str, env: &str, why: String| {
            Err(CliError::invalid(format!(
                "database.{field} ({env}): {why}"
            )))
        };
        if self.pool_size == 0 {
            return refuse(
                "pool_size",
                "TIRKEU_DATABASE_POOL_SIZE",
                "must be at least 1".into(),
            );
        }
        if self.min_connections > self.pool_size {
            return refuse(
                "min_connections",
                "TIRKEU_DATABASE_MIN_CONNECTIONS",
                format!(
                    "{} is more than pool_size ({})",
                    self.min_connections, self.pool_size
                ),
            );
        }
        if self.acquire_timeout_seconds == 0 {
            return refuse(
                "acquire_timeout_seconds",
                "TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS",
                "must be at least 1".into(),
            );
        }
        if self.statement_timeout_ms != 0
            && !(100..=Self::MAX_STATEMENT_TIMEOUT_MS).contains(&self.statement_timeout_ms)
        {
            return refuse(
                "statement_timeout_ms",
                "TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS",
                format!(
                    "{} is not 0 (no limit) or between 100 and {}",
                    self.statement_timeout_ms,
                    Self::MAX_STATEMENT_TIMEOUT_MS
                ),
            );
        }
        Ok(())
    }

    /// The store's pool options (the settings were checked when the config was loaded).
    pub fn pool_options(&self) -> tirkeu_store::PoolOptions {
        use std::time::Duration;
        let unless_zero = |s: u64| (s > 0).then(|| Duration::from_secs(s));
        tirkeu_store::PoolOptions {
            max_connections: self.pool_size,
            min_connections: self.min_connections,
            acquire_timeout: Duration::from_secs(self.acquire_timeout_seconds),
            max_lifetime: unless_zero(self.max_lifetime_seconds),
            idle_timeout: unless_zero(self.idle_timeout_seconds),
            statement_timeout: (self.statement_timeout_ms > 0)
                .then(|| Duration::from_millis(self.statement_timeout_ms)),
        }
    }
}

/// `[http]`: what the server allows each connection and request, who it believes about the
/// client's address, and where its metrics are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// Seconds a client has to send a request's headers (and that an idle kept-alive
    /// connection stays open).
    pub header_read_timeout_seconds: u64,
    /// Seconds a client has to send a request's whole body (an upload is the longest).
    pub body_timeout_seconds: u64,
    /// Seconds within which a request must be answered.
    pub request_timeout_seconds: u64,
    /// Requests handled at once; more wait for a slot.
    pub max_concurrent_requests: u32,
    /// Milliseconds an excess request waits for a slot before it gets a 503.
    pub queue_wait_ms: u64,
    /// Reverse proxies (addresses or CIDR networks) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// Send `Strict-Transport-Security`; default: when the public URL is https.
    pub hsts: Option<bool>,
    /// An internal address to serve `/metrics` on (e.g. 127.0.0.1:9464), without a token.
    pub metrics_listen: Option<String>,
    /// A bearer token for `/metrics` on the public listener; without it the route is not there.
    pub metrics_token: Option<Secret>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        let limits = tirkeu_server::edge::HttpLimits::default();
        HttpSettings {
            header_read_timeout_seconds: limits.header_read_timeout.as_secs(),
            body_timeout_seconds: limits.body_timeout.as_secs(),
            request_timeout_seconds: limits.request_timeout.as_secs(),
            max_concurrent_requests: u32::try_from(limits.max_concurrent).unwrap_or(u32::MAX),
            queue_wait_ms: u64::try_from(limits.queue_wait.as_millis()).unwrap_or(u64::MAX),
            trusted_proxies: Vec::new(),
            hsts: None,
            metrics_listen: None,
            metrics_token: None,
        }
    }
}

impl HttpSettings {
    /// `server` with these settings (the proxies were checked when the config was loaded).
    pub fn apply(&self, server: &mut tirkeu_server::ServerConfig) -> Result<(), CliError> {
        use std::time::Duration;
        server.http = tirkeu_server::edge::HttpLimits {
            header_read_timeout: Duration::from_secs(self.header_read_timeout_seconds.max(1)),
            body_timeout: Duration::from_secs(self.body_timeout_seconds.max(1)),
            request_timeout: Duration::from_secs(self.request_timeout_seconds.max(1)),
            max_concurrent: usize::try_from(self.max_concurrent_requests.max(1))
                .unwrap_or(usize::MAX),
            queue_wait: Duration::from_millis(self.queue_wait_ms),
        };
        server.trusted_proxies = self.proxies()?;
        if let Some(hsts) = self.hsts {
            server.hsts = hsts;
        }
        server.metrics_token = self.metrics_token.as_ref().map(|t| t.0.clone());
        Ok(())
    }

    fn proxies(&self) -> Result<Vec<tirkeu_server::edge::IpNet>, CliError> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                tirkeu_server::edge::parse_network(p).map_err(|e| {
                    CliError::invalid(format!(
                        "http.trusted_proxies (TIRKEU_TRUSTED_PROXIES): {e}"
                    ))
                })
            })
            .collect()
    }
}

/// `[documents]`: where uploaded documents are kept. Unset `url`: `data_dir/documents`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentsSettings {
    /// `s3://BUCKET/PREFIX` (an S3-compatible object store), `file:///DIR` or a directory.
    pub url: Option<String>,
    /// The S3 server, `https://…` (or `http://…` with `allow_http`); unset: AWS.
    pub endpoint: Option<String>,
    /// The region signed into requests; unset: `us-east-1`.
    pub region: Option<String>,
    /// Both or neither; neither: the standard `AWS_*` variables or the instance's role.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    /// Allow a plain-HTTP endpoint (a test server on 127.0.0.1).
    pub allow_http: bool,
}

impl DocumentsSettings {
    /// Where the documents are, `data_dir/documents` unless `url` says otherwise; an error
    /// naming the setting when the settings do not fit together.
    pub fn location(&self, data_dir: &Path) -> Result<DocumentsAt, CliError> {
        let s3 = S3Location {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret_access_key.as_ref().map(|s| s.0.clone()),
            allow_http: self.allow_http,
            ..S3Location::default()
        };
        let at = match &self.url {
            None => DocumentsAt::Dir(data_dir.join("documents")),
            Some(url) => DocumentsAt::parse(url, s3).map_err(|e| {
                CliError::invalid(format!("documents.url (TIRKEU_DOCUMENTS_URL): {e}"))
            })?,
        };
        let DocumentsAt::S3(s3) = &at else {
            let set = [
                ("endpoint", "TIRKEU_S3_ENDPOINT", self.endpoint.is_some()),
                ("region", "TIRKEU_S3_REGION", self.region.is_some()),
                (
                    "access_key_id",
                    "TIRKEU_S3_ACCESS_KEY_ID",
                    self.access_key_id.is_some(),
                ),
                (
                    "secret_access_key",
                    "TIRKEU_S3_SECRET_ACCESS_KEY",
                    self.secret_access_key.is_some(),
                ),
                ("allow_http", "TIRKEU_S3_ALLOW_HTTP", self.allow_http),
            ];
            if let Some((key, env, _)) = set.iter().find(|(_, _, set)| *set) {
                return Err(CliError::invalid(format!(
                    "documents.{key} ({env}) is set, but documents.url (TIRKEU_DOCUMENTS_URL) \
                     is not an s3:// URL"
                )));
            }
            return Ok(at);
        };
        if let Some(endpoint) = &s3.endpoint {
            let plain = endpoint.starts_with("http://");
            if !plain && !endpoint.starts_with("https://") {
                return Err(CliError::invalid(format!(
                    "documents.endpoint (TIRKEU_S3_ENDPOINT): `{endpoint}` is not an \
                     https:// (or http://) URL"
                )));
            }
            if plain && !s3.allow_http {
                return Err(CliError::invalid(format!(
                    "documents.endpoint (TIRKEU_S3_ENDPOINT): `{endpoint}` is plain HTTP; \
                     use https://, or set documents.allow_http = true (TIRKEU_S3_ALLOW_HTTP) \
                     for a test server"
                )));
            }
        }
        if s3.access_key_id.is_some() != s3.secret_access_key.is_some() {
            return Err(CliError::invalid(
                "documents.access_key_id and documents.secret_access_key \
                 (TIRKEU_S3_ACCESS_KEY_ID, TIRKEU_S3_SECRET_ACCESS_KEY): give both, or neither \
                 to use the standard AWS_* variables or the instance's role",
            ));
        }
        Ok(at)
    }

    /// What the check at start found wrong with the store, naming the setting to look at.
    pub fn unusable(&self, e: &Unusable) -> CliError {
        let at = self
            .endpoint
            .as_deref()
            .map_or_else(String::new, |e| format!(" at {e}"));
        CliError::invalid(match e {
            Unusable::Dir(e) => format!(
                "documents: the directory cannot be used (documents.url, TIRKEU_DOCUMENTS_URL, \
                 default data_dir/documents): {e}"
            ),
            Unusable::NoBucket(bucket) => format!(
                "documents.url (TIRKEU_DOCUMENTS_URL): the bucket `{bucket}` does not exist{at}"
            ),
            Unusable::Refused(e) => format!(
                "documents.access_key_id / documents.secret_access_key (TIRKEU_S3_ACCESS_KEY_ID / \
                 TIRKEU_S3_SECRET_ACCESS_KEY): the document store{at} refused them: {e}"
            ),
            Unusable::Failed(e) => format!(
                "documents.endpoint (TIRKEU_S3_ENDPOINT): the document store{at} cannot be \
                 used: {e}"
            ),
        })
    }

    /// The store `data_dir` and these settings name, checked to answer (as `serve` and
    /// `worker` do at start).
    pub async fn open(&self, data_dir: &Path) -> Result<DocumentStore, CliError> {
        let store = DocumentStore::open_at(&self.location(data_dir)?)
            .map_err(|e| CliError::invalid(format!("documents: {e}")))?;
        store.check().await.map_err(|e| self.unusable(&e))?;
        Ok(store)
    }
}

/// `[worker]`: how the worker runs (inside `serve` and `demo`, or as `tirkeu worker`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerSettings {
    /// Run the worker inside `tirkeu serve` and `tirkeu demo` (TIRKEU_WORKER_ENABLED). Turn it
    /// off where separate `tirkeu worker` processes do the work.
    pub enabled: bool,
    /// Seconds between delivery passes when nothing is due.
    pub poll_seconds: u64,
    /// Seconds between passes of the deadline rules.
    pub rules_every_seconds: u64,
    /// Messages claimed at a time.
    pub batch: u32,
    /// Seconds a claim lasts before another worker may take the message over.
    pub lease_seconds: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            enabled: true,
            poll_seconds: 2,
            rules_every_seconds: 60,
            batch: 50,
            lease_seconds: 300,
        }
    }
}

impl WorkerSettings {
    /// `base` with these settings.
    pub fn apply(
        &self,
        mut base: tirkeu_server::worker::WorkerConfig,
    ) -> tirkeu_server::worker::WorkerConfig {
        base.poll = std::time::Duration::from_secs(self.poll_seconds.max(1));
        base.rules_every = std::time::Duration::from_secs(self.rules_every_seconds.max(1));
        base.batch = self.batch.max(1);
        base.lease = jiff::SignedDuration::from_secs(
            i64::try_from(self.lease_seconds.max(10)).unwrap_or(i64::MAX),
        );
        base
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: None,
            data_dir: PathBuf::from("data"),
            listen: "127.0.0.1:8080".into(),
            lookup_key: None,
            audit_signing_key: None,
            audit_checkpoint_dir: None,
            audit_checkpoint_every_seconds: 3600,
            policy_file: None,
            status_per_client_per_minute: 30,
            status_per_number_per_minute: 10,
            creates_per_client_per_minute: 10,
            receipts_per_client_per_minute: 30,
            documents: DocumentsSettings::default(),
            database: DatabaseSettings::default(),
            http: HttpSettings::default(),
            worker: WorkerSettings::default(),
            mail: MailConfig::default(),
        }
    }
}

/// The environment variables read, with the field each sets.
const ENV: [&str; 43] = [
    "TIRKEU_DATABASE_URL",
    "TIRKEU_DATABASE_POOL_SIZE",
    "TIRKEU_DATABASE_MIN_CONNECTIONS",
    "TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS",
    "TIRKEU_DATABASE_MAX_LIFETIME_SECONDS",
    "TIRKEU_DATABASE_IDLE_TIMEOUT_SECONDS",
    "TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS",
    "TIRKEU_DATA_DIR",
    "TIRKEU_LISTEN",
    "TIRKEU_LOOKUP_KEY",
    "TIRKEU_AUDIT_SIGNING_KEY",
    "TIRKEU_AUDIT_CHECKPOINT_DIR",
    "TIRKEU_AUDIT_CHECKPOINT_EVERY_SECONDS",
    "TIRKEU_POLICY_FILE",
    "TIRKEU_STATUS_PER_CLIENT_PER_MINUTE",
    "TIRKEU_STATUS_PER_NUMBER_PER_MINUTE",
    "TIRKEU_CREATES_PER_CLIENT_PER_MINUTE",
    "TIRKEU_RECEIPTS_PER_CLIENT_PER_MINUTE",
    "TIRKEU_DOCUMENTS_URL",
    "TIRKEU_S3_ENDPOINT",
    "TIRKEU_S3_REGION",
    "TIRKEU_S3_ACCESS_KEY_ID",
    "TIRKEU_S3_SECRET_ACCESS_KEY",
    "TIRKEU_S3_ALLOW_HTTP",
    "TIRKEU_HTTP_HEADER_READ_TIMEOUT_SECONDS",
    "TIRKEU_HTTP_BODY_TIMEOUT_SECONDS",
    "TIRKEU_HTTP_REQUEST_TIMEOUT_SECONDS",
    "TIRKEU_HTTP_MAX_CONCURRENT_REQUESTS",
    "TIRKEU_HTTP_QUEUE_WAIT_MS",
    "TIRKEU_TRUSTED_PROXIES",
    "TIRKEU_HSTS",
    "TIRKEU_METRICS_LISTEN",
    "TIRKEU_METRICS_TOKEN",
    "TIRKEU_WORKER_ENABLED",
    "TIRKEU_MAIL_FROM",
    // The transport first: the SMTP settings below apply to it.
    "TIRKEU_MAIL_TRANSPORT",
    "TIRKEU_MAIL_DIR",
    "TIRKEU_SMTP_HOST",
    "TIRKEU_SMTP_PORT",
    "TIRKEU_SMTP_SECURITY",
    "TIRKEU_SMTP_USERNAME",
    "TIRKEU_SMTP_PASSWORD",
    "TIRKEU_SMTP_TIMEOUT_SECONDS",
];

impl Config {
    /// Defaults, then `file` if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, CliError> {
        let mut c = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::invalid(format!("cannot read config {}: {e}", path.display()))
                })?;
                toml::from_str(&text).map_err(|e| {
                    CliError::invalid(format!(
                        "config {}: {}",
                        path.display(),
                        e.to_string().trim()
                    ))
                })?
            }
            None => Config::default(),
        };
        c.apply_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))?;
        Ok(c)
    }

    fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), CliError> {
        let number = |key: &str, v: &str| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    CliError::invalid(format!("{key}: `{v}` is not a positive whole number"))
                })
        };
        // 0 allowed: "none" or "never" where the field says so.
        let whole = |key: &str, v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| CliError::invalid(format!("{key}: `{v}` is not a whole number")))
        };
        let boolean = |key: &str, v: &str| match v.trim() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(CliError::invalid(format!(
                "{key}: `{v}` is not true or false"
            ))),
        };
        for key in ENV {
            let Some(v) = get(key) else { continue };
            match key {
                "TIRKEU_DATABASE_URL" => self.database_url = Some(v),
                "TIRKEU_DATABASE_POOL_SIZE" => self.database.pool_size = number(key, &v)?,
                "TIRKEU_DATABASE_MIN_CONNECTIONS" => {
                    self.database.min_connections = u32::try_from(whole(key, &v)?)
                        .map_err(|_| CliError::invalid(format!("{key}: `{v}` is too large")))?;
                }
                "TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS" => {
                    self.database.acquire_timeout_seconds = u64::from(number(key, &v)?);
                }
                "TIRKEU_DATABASE_MAX_LIFETIME_SECONDS" => {
                    self.database.max_lifetime_seconds = whole(key, &v)?;
                }
                "TIRKEU_DATABASE_IDLE_TIMEOUT_SECONDS" => {
                    self.database.idle_timeout_seconds = whole(key, &v)?;
                }
                "TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS" => {
                    self.database.statement_timeout_ms = whole(key, &v)?;
                }
                "TIRKEU_DATA_DIR" => self.data_dir = PathBuf::from(v),
                "TIRKEU_LISTEN" => self.listen = v,
                "TIRKEU_LOOKUP_KEY" => self.lookup_key = Some(Secret(v)),
                "TIRKEU_AUDIT_SIGNING_KEY" => self.audit_signing_key = Some(Secret(v)),
                "TIRKEU_AUDIT_CHECKPOINT_DIR" => self.audit_checkpoint_dir = Some(PathBuf::from(v)),
                "TIRKEU_AUDIT_CHECKPOINT_EVERY_SECONDS" => {
                    self.audit_checkpoint_every_seconds = u64::from(number(key, &v)?);
                }
                "TIRKEU_POLICY_FILE" => self.policy_file = Some(PathBuf::from(v)),
                "TIRKEU_STATUS_PER_CLIENT_PER_MINUTE" => {
                    self.status_per_client_per_minute = number(key, &v)?;
                }
                "TIRKEU_STATUS_PER_NUMBER_PER_MINUTE" => {
                    self.status_per_number_per_minute = number(key, &v)?;
                }
                "TIRKEU_CREATES_PER_CLIENT_PER_MINUTE" => {
                    self.creates_per_client_per_minute = number(key, &v)?;
                }
                "TIRKEU_RECEIPTS_PER_CLIENT_PER_MINUTE" => {
                    self.receipts_per_client_per_minute = number(key, &v)?;
                }
                "TIRKEU_DOCUMENTS_URL" => self.documents.url = Some(v),
                "TIRKEU_S3_ENDPOINT" => self.documents.endpoint = Some(v),
                "TIRKEU_S3_REGION" => self.documents.region = Some(v),
                "TIRKEU_S3_ACCESS_KEY_ID" => self.documents.access_key_id = Some(v),
                "TIRKEU_S3_SECRET_ACCESS_KEY" => {
                    self.documents.secret_access_key = Some(Secret(v));
                }
                "TIRKEU_S3_ALLOW_HTTP" => self.documents.allow_http = boolean(key, &v)?,
                "TIRKEU_HTTP_HEADER_READ_TIMEOUT_SECONDS" => {
                    self.http.header_read_timeout_seconds = u64::from(number(key, &v)?);
                }
                "TIRKEU_HTTP_BODY_TIMEOUT_SECONDS" => {
                    self.http.body_timeout_seconds = u64::from(number(key, &v)?);
                }
                "TIRKEU_HTTP_REQUEST_TIMEOUT_SECONDS" => {
                    self.http.request_timeout_seconds = u64::from(number(key, &v)?);
                }
                "TIRKEU_HTTP_MAX_CONCURRENT_REQUESTS" => {
                    self.http.max_concurrent_requests = number(key, &v)?;
                }
                "TIRKEU_HTTP_QUEUE_WAIT_MS" => {
                    self.http.queue_wait_ms = u64::from(number(key, &v)?);
                }
                "TIRKEU_TRUSTED_PROXIES" => {
                    self.http.trusted_proxies = v
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect();
                }
                "TIRKEU_HSTS" => self.http.hsts = Some(boolean(key, &v)?),
                "TIRKEU_METRICS_LISTEN" => self.http.metrics_listen = Some(v),
                "TIRKEU_METRICS_TOKEN" => self.http.metrics_token = Some(Secret(v)),
                "TIRKEU_WORKER_ENABLED" => self.worker.enabled = boolean(key, &v)?,
                "TIRKEU_MAIL_FROM" => self.mail.from = v,
                "TIRKEU_MAIL_TRANSPORT" => {
                    self.mail.transport = match (v.trim(), &self.mail.transport) {
                        ("drop", TransportConfig::Drop { .. })
                        | ("smtp", TransportConfig::Smtp(_)) => continue,
                        ("drop", _) => TransportConfig::Drop { dir: None },
                        // The host must then come from TIRKEU_SMTP_HOST; checked below.
                        ("smtp", _) => TransportConfig::Smtp(SmtpConfig::new("")),
                        _ => {
                            return Err(CliError::invalid(format!(
                                "{key}: `{v}` is not one of drop, smtp"
                            )));
                        }
                    };
                }
                "TIRKEU_MAIL_DIR" => match &mut self.mail.transport {
                    TransportConfig::Drop { dir } => *dir = Some(PathBuf::from(v)),
                    TransportConfig::Smtp(_) => {
                        return Err(CliError::invalid(format!(
                            "{key} is set, but the mail transport is SMTP"
                        )));
                    }
                },
                smtp_key => {
                    let TransportConfig::Smtp(smtp) = &mut self.mail.transport else {
                        return Err(CliError::invalid(format!(
                            "{smtp_key} is set, but the mail transport is the mail drop: \
                             set TIRKEU_MAIL_TRANSPORT=smtp (or kind = \"smtp\" in [mail.transport])"
                        )));
                    };
                    match smtp_key {
                        "TIRKEU_SMTP_HOST" => smtp.host = v,
                        "TIRKEU_SMTP_PORT" => {
                            smtp.port = Some(number(key, &v)?.try_into().map_err(|_| {
                                CliError::invalid(format!("{key}: `{v}` is not a port"))
                            })?);
                        }
                        "TIRKEU_SMTP_SECURITY" => {
                            smtp.security = v
                                .parse::<Security>()
                                .map_err(|e| CliError::invalid(format!("{key}: {e}")))?;
                        }
                        "TIRKEU_SMTP_USERNAME" => smtp.username = Some(v),
                        "TIRKEU_SMTP_PASSWORD" => smtp.password = Some(Password(v)),
                        "TIRKEU_SMTP_TIMEOUT_SECONDS" => {
                            smtp.timeout_seconds = u64::from(number(key, &v)?);
                        }
                        _ => unreachable!("every ENV key is handled"),
                    }
                }
            }
        }
        if let TransportConfig::Smtp(smtp) = &self.mail.transport
            && smtp.host.trim().is_empty()
        {
            return Err(CliError::invalid(
                "the mail transport is SMTP but no server is named: set TIRKEU_SMTP_HOST \
                 (or host in [mail.transport])",
            ));
        }
        self.http.proxies()?;
        self.documents.location(&self.data_dir)?;
        self.database.check()?;
        if self
            .http
            .metrics_token
            .as_ref()
            .is_some_and(|t| t.0.trim().len() < 16)
        {
            return Err(CliError::invalid(
                "http.metrics_token (TIRKEU_METRICS_TOKEN): use at least 16 characters \
                 (tirkeu config gen-key makes one)",
            ));
        }
        Ok(())
    }

    /// The configuration as `config show` prints it: every secret replaced by `***`, the
    /// database URL's password too (`postgres://user:***@host/db`).
    pub fn redacted(&self) -> Config {
        let mut c = self.clone();
        c.database_url = c.database_url.as_deref().map(redact_url);
        let hide = |s: &mut Option<Secret>| {
            if let Some(s) = s {
                s.0 = "***".into();
            }
        };
        hide(&mut c.lookup_key);
        hide(&mut c.audit_signing_key);
        hide(&mut c.http.metrics_token);
        hide(&mut c.documents.secret_access_key);
        if let TransportConfig::Smtp(smtp) = &mut c.mail.transport
            && let Some(p) = &mut smtp.password
        {
            p.0 = "***".into();
        }
        c
    }

    /// The scheduled audit checkpoints, when `audit_checkpoint_dir` is set; an error when it
    /// is set without a usable `audit_signing_key`.
    pub fn checkpoint_settings(
        &self,
    ) -> Result<Option<tirkeu_server::checkpoints::CheckpointSettings>, CliError> {
        let Some(dir) = &self.audit_checkpoint_dir else {
            return Ok(None);
        };
        let key = self.audit_signing_key.as_ref().ok_or_else(|| {
            CliError::invalid(
                "audit_checkpoint_dir is set but audit_signing_key (TIRKEU_AUDIT_SIGNING_KEY) is not: \
                 `tirkeu audit keygen FILE` makes one",
            )
        })?;
        let key = tirkeu_store::audit::parse_signing_key(&key.0)
            .map_err(|e| CliError::invalid(format!("audit_signing_key: {e}")))?;
        Ok(Some(tirkeu_server::checkpoints::CheckpointSettings {
            dir: dir.clone(),
            every: std::time::Duration::from_secs(self.audit_checkpoint_every_seconds.max(1)),
            key,
        }))
    }

    /// The database URL: the explicit one, or the SQLite file in the data directory.
    pub fn database_url(&self, flag: Option<&str>) -> String {
        flag.map(str::to_owned)
            .or_else(|| self.database_url.clone())
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("tirkeu.db").display()))
    }

    /// The passport lookup key for `url` (see [`Config::lookup_key`]).
    pub fn lookup_key_for(&self, url: &str) -> Result<[u8; 32], CliError> {
        if let Some(k) = &self.lookup_key {
            return parse_key("lookup_key (TIRKEU_LOOKUP_KEY)", &k.0);
        }
        if !url.starts_with("sqlite:") {
            return Err(CliError::invalid(
                "a PostgreSQL deployment needs lookup_key (TIRKEU_LOOKUP_KEY): 64 hex characters \
                 shared by every instance; `tirkeu config gen-key` makes one",
            ));
        }
        let path = self.data_dir.join("secrets").join("lookup.key");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return parse_key(&path.display().to_string(), &text);
        }
        let key = gen_key();
        write_secret(&path, &key)?;
        parse_key("generated key", &key)
    }
}

/// A database URL without its password: in the user part (`postgres://user:***@host/db`) and
/// in the query (`?password=***`, `sslpassword=***`).
pub fn redact_url(url: &str) -> String {
    let url = tirkeu_store::redact(url);
    let Some((base, query)) = url.split_once('?') else {
        return url;
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k.to_ascii_lowercase().contains("password") => format!("{k}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", query.join("&"))
}

/// 32 random bytes as hex.
pub fn gen_key() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

fn parse_key(what: &str, text: &str) -> Result<[u8; 32], CliError> {
    hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| CliError::invalid(format!("{what}: expected 64 hex characters (32 bytes)")))
}

/// Writes a secret readable by the owner only.
pub fn write_secret(path: &Path, value: &str) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::invalid(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(path, format!("{value}\n")).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
    }
    Ok(())
}

/// The default configuration as a commented TOML file.
pub fn default_toml() -> String {
    format!(
        "# tirkeu configuration. Every key can also be set with the environment variable shown.\n\
         \n\
         # TIRKEU_DATABASE_URL: sqlite://PATH or postgres://USER@HOST/DB (default: data_dir/tirkeu.db)\n\
         # database_url = \"postgres://tirkeu@127.0.0.1:5432/tirkeu\"\n\
         \n\
         # TIRKEU_DATA_DIR\n\
         data_dir = \"data\"\n\
         \n\
         # TIRKEU_LISTEN\n\
         listen = \"127.0.0.1:8080\"\n\
         \n\
         # TIRKEU_LOOKUP_KEY: 64 hex characters, the same on every instance (tirkeu config gen-key)\n\
         # lookup_key = \"{}\"\n\
         \n\
         # TIRKEU_AUDIT_SIGNING_KEY: Ed25519 key for audit checkpoints (tirkeu audit keygen)\n\
         # audit_signing_key = \"...\"\n\
         \n\
         # TIRKEU_AUDIT_CHECKPOINT_DIR / TIRKEU_AUDIT_CHECKPOINT_EVERY_SECONDS: the server writes a\n\
         # signed checkpoint of the audit log there on this schedule; a directory the database\n\
         # host cannot write (docs/operations.md). Needs audit_signing_key.\n\
         # audit_checkpoint_dir = \"/mnt/audit-checkpoints\"\n\
         audit_checkpoint_every_seconds = 3600\n\
         \n\
         # TIRKEU_POLICY_FILE: a policy instead of the embedded default (tirkeu policy print-default)\n\
         # policy_file = \"policy/kz.toml\"\n\
         \n\
         # TIRKEU_STATUS_PER_CLIENT_PER_MINUTE / TIRKEU_STATUS_PER_NUMBER_PER_MINUTE: status lookups per\n\
         # client (per instance), and failed ones per application number (shared by every instance\n\
         # on the database), per minute\n\
         status_per_client_per_minute = 30\n\
         status_per_number_per_minute = 10\n\
         \n\
         # TIRKEU_CREATES_PER_CLIENT_PER_MINUTE / TIRKEU_RECEIPTS_PER_CLIENT_PER_MINUTE: applications\n\
         # created, and receipts rendered, per client per minute\n\
         creates_per_client_per_minute = 10\n\
         receipts_per_client_per_minute = 30\n\
         \n\
         # Where uploaded documents are kept (docs/operations.md, \"Documents\").\n\
         [documents]\n\
         # TIRKEU_DOCUMENTS_URL: s3://BUCKET/PREFIX for an S3-compatible object store, or a\n\
         # directory (default: data_dir/documents)\n\
         # url = \"s3://tirkeu-documents/almaty\"\n\
         # TIRKEU_S3_ENDPOINT: the S3 server (default: AWS)\n\
         # endpoint = \"https://s3.example.kz\"\n\
         # TIRKEU_S3_REGION (default: us-east-1)\n\
         # region = \"us-east-1\"\n\
         # TIRKEU_S3_ACCESS_KEY_ID / TIRKEU_S3_SECRET_ACCESS_KEY: both, or neither to use the\n\
         # standard AWS_* variables or the instance's role\n\
         # access_key_id = \"...\"\n\
         # secret_access_key = \"...\"\n\
         # TIRKEU_S3_ALLOW_HTTP: allow a plain-http endpoint (only for a test server on 127.0.0.1)\n\
         allow_http = false\n\
         \n\
         # Each instance's PostgreSQL connection pool (docs/operations.md, \"PostgreSQL pool\");\n\
         # SQLite ignores it. PostgreSQL's max_connections must cover pool_size times the instances.\n\
         [database]\n\
         # TIRKEU_DATABASE_POOL_SIZE: connections open at most, per instance\n\
         pool_size = 16\n\
         # TIRKEU_DATABASE_MIN_CONNECTIONS: connections kept open even when idle\n\
         min_connections = 0\n\
         # TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS: how long a request waits for a free connection\n\
         # before it gets a 503\n\
         acquire_timeout_seconds = 10\n\
         # TIRKEU_DATABASE_MAX_LIFETIME_SECONDS: a connection is replaced after this long (0: never)\n\
         max_lifetime_seconds = 1800\n\
         # TIRKEU_DATABASE_IDLE_TIMEOUT_SECONDS: an idle connection over min_connections is closed\n\
         # after this long (0: never)\n\
         idle_timeout_seconds = 600\n\
         # TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS: PostgreSQL cancels a statement that runs longer\n\
         # (0: no limit); migrations run without it\n\
         statement_timeout_ms = 30000\n\
         \n\
         # The HTTP edge (docs/operations.md, \"Secure deployment\").\n\
         [http]\n\
         # TIRKEU_HTTP_HEADER_READ_TIMEOUT_SECONDS: to send a request's headers; also the idle time\n\
         # after which a kept-alive connection is closed\n\
         header_read_timeout_seconds = 10\n\
         # TIRKEU_HTTP_BODY_TIMEOUT_SECONDS: to send a whole body (uploads are the longest)\n\
         body_timeout_seconds = 60\n\
         # TIRKEU_HTTP_REQUEST_TIMEOUT_SECONDS: to answer a request\n\
         request_timeout_seconds = 120\n\
         # TIRKEU_HTTP_MAX_CONCURRENT_REQUESTS / TIRKEU_HTTP_QUEUE_WAIT_MS: requests handled at once,\n\
         # and how long one more waits for a slot before it gets a 503\n\
         max_concurrent_requests = 512\n\
         queue_wait_ms = 1000\n\
         # TIRKEU_TRUSTED_PROXIES (comma-separated): reverse proxies whose X-Forwarded-For is believed\n\
         trusted_proxies = []\n\
         # TIRKEU_HSTS: send Strict-Transport-Security (default: when the public URL is https)\n\
         # hsts = true\n\
         # TIRKEU_METRICS_LISTEN: serve /metrics on this internal address, without a token\n\
         # metrics_listen = \"127.0.0.1:9464\"\n\
         # TIRKEU_METRICS_TOKEN: or on the public listener, for this bearer token only\n\
         # metrics_token = \"...\"\n\
         \n\
         # E-mail notifications (docs/mail.md).\n\
         [mail]\n\
         # TIRKEU_MAIL_FROM: the sender; its domain also ends every Message-ID\n\
         from = \"tirkeu <no-reply@localhost>\"\n\
         \n\
         # TIRKEU_MAIL_TRANSPORT: drop (default) writes each message to a directory as DIR/ID.eml;\n\
         # smtp sends it to a server.\n\
         [mail.transport]\n\
         kind = \"drop\"\n\
         # TIRKEU_MAIL_DIR (default: data_dir/mail)\n\
         # dir = \"data/mail\"\n\
         \n\
         # An SMTP server instead (replace the [mail.transport] above):\n\
         # [mail.transport]\n\
         # kind = \"smtp\"\n\
         # TIRKEU_SMTP_HOST\n\
         # host = \"smtp.example.kz\"\n\
         # TIRKEU_SMTP_SECURITY: starttls (default, port 587), tls (port 465) or none (port 25)\n\
         # security = \"starttls\"\n\
         # TIRKEU_SMTP_PORT (default: by security)\n\
         # port = 587\n\
         # TIRKEU_SMTP_USERNAME / TIRKEU_SMTP_PASSWORD: log in (both or neither)\n\
         # username = \"tirkeu\"\n\
         # password = \"...\"\n\
         # TIRKEU_SMTP_TIMEOUT_SECONDS: the limit for each network step\n\
         # timeout_seconds = 30\n\
         \n\
         # The notification and deadline worker (see docs/worker.md).\n\
         [worker]\n\
         # TIRKEU_WORKER_ENABLED: run it inside serve and demo; false where `tirkeu worker` runs apart\n\
         enabled = true\n\
         # seconds between delivery passes when nothing is due, and between passes of the rules\n\
         poll_seconds = 2\n\
         rules_every_seconds = 60\n\
         # messages claimed at a time, and seconds a claim lasts before another worker may take it over\n\
         batch = 50\n\
         lease_seconds = 300\n",
        "0".repeat(64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_and_secrets_are_redacted() {
        let mut c: Config = toml::from_str("listen = \"0.0.0.0:80\"\nlookup_key = \"aa\"").unwrap();
        assert_eq!(c.listen, "0.0.0.0:80");
        c.apply_env(|k| (k == "TIRKEU_LISTEN").then(|| "127.0.0.1:9".to_owned()))
            .unwrap();
        assert_eq!(c.listen, "127.0.0.1:9");
        assert!(!format!("{c:?}").contains("aa\""));
        assert!(toml::from_str::<Config>("lisen = 1").is_err());
        let parsed: Config = toml::from_str(&default_toml()).unwrap();
        assert_eq!(parsed, Config::default());
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn mail_comes_from_the_file_or_the_environment_with_the_password_hidden() {
        let mut c = Config::default();
        c.apply_env(env(&[
            (
                "TIRKEU_MAIL_FROM",
                "Migration <no-reply@migration.example.kz>",
            ),
            ("TIRKEU_MAIL_TRANSPORT", "smtp"),
            ("TIRKEU_SMTP_HOST", "smtp.example.kz"),
            ("TIRKEU_SMTP_SECURITY", "tls"),
            ("TIRKEU_SMTP_USERNAME", "tirkeu"),
            ("TIRKEU_SMTP_PASSWORD", "hunter2"),
            ("TIRKEU_SMTP_TIMEOUT_SECONDS", "10"),
        ]))
        .unwrap();
        let TransportConfig::Smtp(smtp) = &c.mail.transport else {
            panic!("{c:?}")
        };
        assert_eq!(smtp.host, "smtp.example.kz");
        assert_eq!(
            (smtp.security, smtp.port(), smtp.timeout_seconds),
            (Security::Tls, 465, 10)
        );
        assert_eq!(c.mail.from, "Migration <no-reply@migration.example.kz>");
        assert!(!format!("{c:?}").contains("hunter2"));

        // The file names the server; the environment only changes the port.
        let mut c: Config =
            toml::from_str("[mail.transport]\nkind = \"smtp\"\nhost = \"relay\"\n").unwrap();
        c.apply_env(env(&[
            ("TIRKEU_MAIL_TRANSPORT", "smtp"),
            ("TIRKEU_SMTP_PORT", "2525"),
        ]))
        .unwrap();
        let TransportConfig::Smtp(smtp) = &c.mail.transport else {
            panic!("{c:?}")
        };
        assert_eq!((smtp.host.as_str(), smtp.port()), ("relay", 2525));

        let mut c = Config::default();
        c.apply_env(env(&[("TIRKEU_MAIL_DIR", "/var/spool/tirkeu")]))
            .unwrap();
        assert_eq!(
            c.mail.transport,
            TransportConfig::Drop {
                dir: Some("/var/spool/tirkeu".into())
            }
        );

        let refused =
            |pairs: &[(&str, &str)]| Config::default().apply_env(env(pairs)).unwrap_err().message;
        assert!(refused(&[("TIRKEU_SMTP_HOST", "x")]).contains("TIRKEU_MAIL_TRANSPORT=smtp"));
        assert!(refused(&[("TIRKEU_MAIL_TRANSPORT", "smtp")]).contains("TIRKEU_SMTP_HOST"));
        assert!(refused(&[("TIRKEU_MAIL_TRANSPORT", "pigeon")]).contains("drop, smtp"));
        assert!(
            refused(&[
                ("TIRKEU_MAIL_TRANSPORT", "smtp"),
                ("TIRKEU_SMTP_HOST", "x"),
                ("TIRKEU_SMTP_SECURITY", "ssl3")
            ])
            .contains("TIRKEU_SMTP_SECURITY")
        );
        assert!(default_toml().contains("[mail.transport]"));
    }

    #[test]
    fn the_http_edge_comes_from_the_file_or_the_environment() {
        let mut c: Config = toml::from_str(
            "[http]\nbody_timeout_seconds = 300\ntrusted_proxies = [\"10.0.0.0/8\"]\n",
        )
        .unwrap();
        c.apply_env(env(&[
            ("TIRKEU_HTTP_HEADER_READ_TIMEOUT_SECONDS", "5"),
            ("TIRKEU_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1,fd00::/8"),
            ("TIRKEU_HSTS", "off"),
            ("TIRKEU_CREATES_PER_CLIENT_PER_MINUTE", "4"),
        ]))
        .unwrap();
        let mut server =
            tirkeu_server::ServerConfig::new("https://tirkeu.example.kz", Path::new("data"));
        assert!(server.hsts, "on by default over https");
        c.http.apply(&mut server).unwrap();
        assert_eq!(server.http.header_read_timeout.as_secs(), 5);
        assert_eq!(server.http.body_timeout.as_secs(), 300);
        assert_eq!(server.http.max_concurrent, 512);
        assert_eq!(server.trusted_proxies.len(), 3);
        assert!(!server.hsts, "turned off explicitly");
        assert_eq!(c.creates_per_client_per_minute, 4);

        let refused =
            |pairs: &[(&str, &str)]| Config::default().apply_env(env(pairs)).unwrap_err().message;
        assert!(refused(&[("TIRKEU_TRUSTED_PROXIES", "10.0.0.0/40")]).contains("trusted_proxies"));
        assert!(refused(&[("TIRKEU_METRICS_TOKEN", "short")]).contains("16 characters"));
        assert!(refused(&[("TIRKEU_HSTS", "maybe")]).contains("TIRKEU_HSTS"));
    }

    #[test]
    fn documents_come_from_the_file_or_the_environment_with_the_secret_hidden() {
        assert_eq!(
            Config::default()
                .documents
                .location(Path::new("/srv/tirkeu"))
                .unwrap(),
            DocumentsAt::Dir("/srv/tirkeu/documents".into())
        );
        let mut c: Config = toml::from_str(
            "[documents]\nurl = \"s3://tirkeu-documents/almaty/\"\nendpoint = \"https://s3.example.kz\"\n",
        )
        .unwrap();
        c.apply_env(env(&[
            ("TIRKEU_S3_REGION", "kz-almaty-1"),
            ("TIRKEU_S3_ACCESS_KEY_ID", "tirkeu"),
            ("TIRKEU_S3_SECRET_ACCESS_KEY", "hunter2"),
        ]))
        .unwrap();
        let DocumentsAt::S3(s3) = c.documents.location(&c.data_dir).unwrap() else {
            panic!("{c:?}")
        };
        assert_eq!(
            (s3.bucket.as_str(), s3.prefix.as_str()),
            ("tirkeu-documents", "almaty")
        );
        assert_eq!(s3.endpoint.as_deref(), Some("https://s3.example.kz"));
        assert_eq!(s3.region.as_deref(), Some("kz-almaty-1"));
        assert_eq!(
            (s3.access_key_id.as_deref(), s3.secret_access_key.as_deref()),
            (Some("tirkeu"), Some("hunter2"))
        );
        assert!(!s3.allow_http);
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(!format!("{:?}", c.redacted()).contains("hunter2"));
        assert!(!format!("{s3:?}").contains("hunter2"));

        let refused =
            |pairs: &[(&str, &str)]| Config::default().apply_env(env(pairs)).unwrap_err().message;
        assert!(refused(&[("TIRKEU_DOCUMENTS_URL", "s3://")]).contains("TIRKEU_DOCUMENTS_URL"));
        assert!(refused(&[("TIRKEU_S3_REGION", "x")]).contains("not an s3:// URL"));
        assert!(
            refused(&[
                ("TIRKEU_DOCUMENTS_URL", "s3://tirkeu-documents"),
                ("TIRKEU_S3_ENDPOINT", "s3.example.kz"),
            ])
            .contains("not an https://")
        );
        assert!(
            refused(&[
                ("TIRKEU_DOCUMENTS_URL", "s3://tirkeu-documents"),
                ("TIRKEU_S3_ACCESS_KEY_ID", "tirkeu"),
            ])
            .contains("give both")
        );
        assert!(default_toml().contains("[documents]"));
    }

    #[test]
    fn the_database_pool_comes_from_the_file_or_the_environment() {
        use std::time::Duration;
        let pool = Config::default().database.pool_options();
        assert_eq!(pool, tirkeu_store::PoolOptions::default());
        let printed: Config = toml::from_str(&default_toml()).unwrap();
        assert_eq!(printed.database, DatabaseSettings::default());
        assert!(default_toml().contains("TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS"));

        let mut c: Config =
            toml::from_str("[database]\npool_size = 40\nstatement_timeout_ms = 5000\n").unwrap();
        c.apply_env(env(&[
            ("TIRKEU_DATABASE_MIN_CONNECTIONS", "4"),
            ("TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS", "3"),
            ("TIRKEU_DATABASE_MAX_LIFETIME_SECONDS", "0"),
            ("TIRKEU_DATABASE_IDLE_TIMEOUT_SECONDS", "120"),
        ]))
        .unwrap();
        let pool = c.database.pool_options();
        assert_eq!((pool.max_connections, pool.min_connections), (40, 4));
        assert_eq!(pool.acquire_timeout, Duration::from_secs(3));
        assert_eq!(pool.max_lifetime, None, "0: kept for ever");
        assert_eq!(pool.idle_timeout, Some(Duration::from_mins(2)));
        assert_eq!(pool.statement_timeout, Some(Duration::from_secs(5)));
        c.apply_env(env(&[
            ("TIRKEU_DATABASE_POOL_SIZE", "8"),
            ("TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS", "0"),
        ]))
        .unwrap();
        assert_eq!(c.database.pool_options().max_connections, 8);
        assert_eq!(c.database.pool_options().statement_timeout, None);

        let refused =
            |pairs: &[(&str, &str)]| Config::default().apply_env(env(pairs)).unwrap_err().message;
        let m = refused(&[("TIRKEU_DATABASE_POOL_SIZE", "0")]);
        assert!(m.contains("TIRKEU_DATABASE_POOL_SIZE"), "{m}");
        let m = refused(&[("TIRKEU_DATABASE_MIN_CONNECTIONS", "17")]);
        assert!(
            m.contains("database.min_connections") && m.contains("pool_size (16)"),
            "{m}"
        );
        let m = refused(&[("TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS", "5")]);
        assert!(m.contains("database.statement_timeout_ms"), "{m}");
        let m = refused(&[("TIRKEU_DATABASE_STATEMENT_TIMEOUT_MS", "ten")]);
        assert!(m.contains("not a whole number"), "{m}");
        let m = refused(&[("TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS", "0")]);
        assert!(m.contains("TIRKEU_DATABASE_ACQUIRE_TIMEOUT_SECONDS"), "{m}");
        // The file is checked as the environment is.
        let mut c: Config = toml::from_str("[database]\nacquire_timeout_seconds = 0\n").unwrap();
        let m = c.apply_env(env(&[])).unwrap_err().message;
        assert!(m.contains("database.acquire_timeout_seconds"), "{m}");
        assert!(toml::from_str::<Config>("[database]\npool = 3\n").is_err());
    }

    #[test]
    fn sqlite_generates_a_lookup_key_once_and_postgres_requires_one() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config {
            data_dir: dir.path().to_owned(),
            ..Config::default()
        };
        let url = c.database_url(None);
        let k1 = c.lookup_key_for(&url).unwrap();
        let k2 = c.lookup_key_for(&url).unwrap();
        assert_eq!(k1, k2);
        assert!(c.lookup_key_for("postgres://x@y/z").is_err());
    }
}
