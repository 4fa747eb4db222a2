//! `tirkeu serve`, `tirkeu demo`, `tirkeu seed`, `tirkeu user add`, `tirkeu apikey add`.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use jiff::Timestamp;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;
use tirkeu_server::{App, ServerConfig};
use tirkeu_store::seed::{SeedOptions, seed};
use tirkeu_store::{AccountRole, NewUser, Opened, Store, StoreError, redact, with_store};

use crate::CliError;
use crate::config::Config;
use crate::ops::{DbArgs, Use, open};

type Result<T = ()> = std::result::Result<T, CliError>;

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIRKEU_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// The policy: the config's file, else an admin's saved replacement, else the embedded default.
pub(crate) fn load_policy(config: &Config) -> Result<Policy> {
    let saved = config.data_dir.join("policy.toml");
    let path = config
        .policy_file
        .clone()
        .or_else(|| saved.exists().then_some(saved));
    crate::calc::load_policy(path.as_deref())
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on (default: config `listen`, 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    #[command(flatten)]
    db: DbArgs,
    /// Data directory (default: config `data_dir`, ./data).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The public URL (for links and QR codes); default http://LISTEN.
    #[arg(long, value_name = "URL", env = "TIRKEU_PUBLIC_URL")]
    public_url: Option<String>,
}

async fn run_server(
    config: &Config,
    opened: Opened,
    url: &str,
    listen: &str,
    public_url: Option<String>,
    banner: impl FnOnce(&str, &str),
) -> Result {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| CliError::invalid(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::invalid(e.to_string()))?;
    let base = public_url.unwrap_or_else(|| format!("http://{addr}"));
    let policy = load_policy(config)?;
    let mut server_config = ServerConfig::new(&base, &config.data_dir);
    // Every instance sharing the database shares the lookup key, so cookies one instance
    // encrypts another can read.
    server_config.set_cookie_secret(&config.lookup_key_for(url)?);
    server_config.status_per_client_per_minute = config.status_per_client_per_minute;
    server_config.status_per_number_per_minute = config.status_per_number_per_minute;
    server_config.creates_per_client_per_minute = config.creates_per_client_per_minute;
    server_config.receipts_per_client_per_minute = config.receipts_per_client_per_minute;
    config.http.apply(&mut server_config)?;
    server_config.documents = config.documents.location(&config.data_dir)?;
    let app = App::new(opened, policy, server_config)
        .map_err(|e| CliError::invalid(format!("documents: {e}")))?;
    // A wrong bucket, credentials or endpoint stops the start here, not the first upload.
    app.documents
        .check()
        .await
        .map_err(|e| config.documents.unusable(&e))?;
    // Metrics: on an internal listener, or on the public one for a token, or not at all.
    let metrics = match &config.http.metrics_listen {
        Some(at) => {
            let listener = tokio::net::TcpListener::bind(at).await.map_err(|e| {
                CliError::invalid(format!(
                    "cannot listen on {at} (http.metrics_listen, TIRKEU_METRICS_LISTEN): {e}"
                ))
            })?;
            let at = listener
                .local_addr()
                .map_err(|e| CliError::invalid(e.to_string()))?;
            let limits = app.config.http.clone();
            let router = tirkeu_server::metrics_router(app.clone());
            tokio::spawn(async move {
                let stop = async {
                    let _ = tokio::signal::ctrl_c().await;
                };
                if let Err(e) =
                    tirkeu_server::edge::serve_router(router, listener, &limits, stop).await
                {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            });
            format!("http://{at}/metrics (internal listener)")
        }
        None if app.config.metrics_token.is_some() => {
            format!("{base}/metrics (bearer token: http.metrics_token)")
        }
        None => "off (set http.metrics_listen or http.metrics_token)".to_owned(),
    };
    let worker = if config.worker.enabled {
        let (transport, wc) = crate::worker::transport_and_settings(config, &base)?;
        Some(tirkeu_server::worker::spawn(&app, transport, wc, async {
            let _ = tokio::signal::ctrl_c().await;
        }))
    } else {
        None
    };
    let checkpoints = config.checkpoint_settings()?.map(|cs| {
        let dir = cs.dir.clone();
        let task = tirkeu_server::checkpoints::spawn(&app, cs, async {
            let _ = tokio::signal::ctrl_c().await;
        });
        (task, dir)
    });
    banner(&base, &metrics);
    // Behind a proxy the public URL is the proxy's: say where this instance itself listens
    // (the address the proxy must point at, and the port chosen for `--listen HOST:0`).
    if base != format!("http://{addr}") {
        println!("  listening     http://{addr}");
    }
    println!("  documents     {}", app.documents.describe());
    if let Some((_, dir)) = &checkpoints {
        println!(
            "  audit         signed checkpoints written to {}",
            dir.display()
        );
    }
    match (&worker, config.mail.drop_dir(&config.data_dir)) {
        (Some(_), Some(dir)) => println!(
            "  e-mail        written to {} (one .eml file per message; open it in a mail client)",
            dir.display()
        ),
        (Some(_), None) => println!("  e-mail        sent by SMTP (config [mail])"),
        (None, _) => {
            println!("  worker        off (config [worker] enabled = false): no e-mail is sent");
        }
    }
    tracing::info!(%addr, "listening");
    let served = tirkeu_server::serve(app, listener, async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
    .await
    .map_err(|e| CliError::invalid(format!("server: {e}")));
    if let Some(w) = worker {
        let _ = w.await;
    }
    if let Some((c, _)) = checkpoints {
        let _ = c.await;
    }
    served
}

fn print_urls(base: &str, metrics: &str) {
    println!(
        "  web           {base}/   (en: {base}/en/, kk: {base}/kk/, ru: {base}/ru/, zh: {base}/zh/)"
    );
    println!("  staff, hosts  {base}/en/sign-in");
    println!("  API           {base}/api/v1/");
    println!("  OpenAPI       {base}/api/openapi.json");
    println!("  health        {base}/healthz");
    println!("  metrics       {metrics}");
}

pub fn serve(config: &Config, a: &ServeArgs) -> Result {
    init_logging();
    let mut config = config.clone();
    if let Some(d) = &a.data_dir {
        config.data_dir.clone_from(d);
    }
    let listen = a.listen.clone().unwrap_or_else(|| config.listen.clone());
    runtime().block_on(async {
        let (opened, url) = open(&config, &a.db, true, Use::Passports).await?;
        run_server(
            &config,
            opened,
            &url,
            &listen,
            a.public_url.clone(),
            |base, metrics| {
                println!("tirkeu is serving {} on {base}", redact(&url));
                print_urls(base, metrics);
            },
        )
        .await
    })
}

#[derive(Args)]
pub struct DemoArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Where the demo keeps its SQLite database, documents and credentials.
    #[arg(long, value_name = "DIR", default_value = "tirkeu-demo")]
    data_dir: PathBuf,
    /// How many sample cases to create on first start.
    #[arg(long, default_value_t = 400)]
    cases: u64,
}

const DEMO_ACCOUNTS: [(&str, AccountRole, Option<&str>); 4] = [
    ("officer", AccountRole::Officer, None),
    ("supervisor", AccountRole::Supervisor, None),
    ("admin", AccountRole::Admin, None),
    ("hotel", AccountRole::Host, Some("small_business")),
];

/// The demo host's e-mail address (a reserved `.test` domain: nothing is delivered there).
const DEMO_HOST_EMAIL: &str = "host@demo.tirkeu.test";

/// Creates the demo accounts and sample data once; returns the credentials to print.
async fn prepare_demo<S: Store>(s: &S, policy: &Policy, dir: &Path, cases: u64) -> Result<String> {
    let creds_path = dir.join("demo-credentials.txt");
    if let Ok(text) = std::fs::read_to_string(&creds_path) {
        return Ok(text);
    }
    let mut lines = Vec::new();
    for (name, role, kind) in DEMO_ACCOUNTS {
        let password = tirkeu_server::accounts::generate_password();
        let hash = tirkeu_server::auth::hash_password(password.clone())
            .await
            .map_err(|e| CliError::invalid(e.render(Lang::En).detail))?;
        let user = s
            .create_user(
                &NewUser {
                    username: name.into(),
                    role,
                    password_hash: hash,
                    host_kind: kind.map(str::to_owned),
                    office: (role != AccountRole::Host).then(|| "almaty".to_owned()),
                    created_at: Timestamp::now(),
                    // The demo host's reminders land in the mail drop, in Russian.
                    email: (role == AccountRole::Host).then(|| DEMO_HOST_EMAIL.to_owned()),
                    language: (role == AccountRole::Host).then_some(Lang::Ru),
                },
                "system:demo",
            )
            .await
            .map_err(|e| CliError::invalid(format!("demo accounts: {e}")))?;
        let mut line = format!("  {:<11} {:<11} password {password}", role.as_str(), name);
        if tirkeu_server::second_factor::required(role, policy) {
            let (secret, codes) = demo_second_factor(s, &user).await?;
            line = format!(
                "{line}\n  {:<23} second factor: add the key {} to an authenticator app,\n  {:<23} or sign in with a recovery code (each works once): {}",
                "",
                tirkeu_server::second_factor::grouped(&secret),
                "",
                codes.join(" ")
            );
        }
        if role == AccountRole::Host {
            let key = tirkeu_server::secrets::token("tka_");
            s.create_api_key(
                user.id,
                &tirkeu_server::secrets::sha256_hex(&key),
                "demo",
                Timestamp::now(),
                "system:demo",
            )
            .await
            .map_err(|e| CliError::invalid(format!("demo API key: {e}")))?;
            line = format!(
                "{line}\n  {:<23} API key  {key}\n  {:<23} e-mail   {DEMO_HOST_EMAIL} (reminders in Russian)",
                "", ""
            );
        }
        lines.push(line);
    }
    let mut bar = crate::progress::bar(cases, "sample cases");
    let summary = seed(
        s,
        policy,
        &SeedOptions {
            cases,
            seed: 2026,
            batch_size: 500,
            jobs: 1,
            now: Timestamp::now(),
        },
        |n| bar.set_position(n),
    )
    .await
    .map_err(|e| CliError::invalid(format!("sample data: {e}")))?;
    bar.finish_and_clear();
    cover_every_state(s, policy)
        .await
        .map_err(|e| CliError::invalid(format!("sample data: {e}")))?;
    let text = format!(
        "Demo accounts (sign in at /en/sign-in, or POST /api/v1/auth/login):\n{}\nSample data: {} cases in every state, {} arrival notifications.\n",
        lines.join("\n"),
        summary.cases,
        summary.arrivals
    );
    crate::config::write_secret(&creds_path, &text)?;
    Ok(text)
}

/// Sets up the second factor of a demo account, as its first sign-in would: the secret and
/// the recovery codes, to print with its password.
async fn demo_second_factor<S: Store>(
    s: &S,
    user: &tirkeu_store::User,
) -> Result<(String, Vec<String>)> {
    use tirkeu_server::second_factor as sf;
    let secret = sf::new_secret();
    let codes = sf::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| sf::recovery_hash(c)).collect();
    let audit = tirkeu_store::NewAudit {
        at: Timestamp::now(),
        actor: "system:demo".into(),
        action: "auth.second_factor_enabled".into(),
        object: format!("user:{}", user.id),
        payload: serde_json::json!({"recovery_codes": codes.len()}),
    };
    let failed = |e: StoreError| CliError::invalid(format!("demo second factor: {e}"));
    s.begin_second_factor(user.id, &secret)
        .await
        .map_err(failed)?;
    s.enable_second_factor(user.id, &secret, 0, &hashes, &audit)
        .await
        .map_err(failed)?;
    Ok((secret, codes))
}

/// Moves a sample case into each state the random sample missed (rare ones such as
/// `revoked`), through the lifecycle table, so the demo shows every state.
async fn cover_every_state<S: Store>(
    s: &S,
    policy: &Policy,
) -> std::result::Result<(), StoreError> {
    use tirkeu_core::case::{self, Actor};
    use tirkeu_core::lifecycle::{State, TRANSITIONS};
    use tirkeu_store::{CaseFilter, TransitionChange};
    let stats = s.stats().await?;
    for &target in State::ALL {
        if stats
            .by_type_and_state
            .iter()
            .any(|(_, st, n)| *st == target && *n > 0)
        {
            continue;
        }
        let Some(t) = TRANSITIONS.iter().find(|t| t.to == target) else {
            continue;
        };
        let filter = CaseFilter {
            states: t.from.to_vec(),
            ..CaseFilter::default()
        };
        let Some(summary) = s
            .list_cases(&filter, None, 1)
            .await?
            .items
            .into_iter()
            .next()
        else {
            continue;
        };
        let case = s.application(summary.id).await?;
        let now = Timestamp::now();
        let input = demo_input(policy, t, &case.permit_type, now);
        let docs = s.documents(case.id).await?;
        let uploaded: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
        let facts = case.facts(&uploaded);
        let actor = if tirkeu_core::access::needs_second_person(t.action) {
            Actor::anonymous(tirkeu_core::lifecycle::Role::Supervisor)
        } else {
            Actor::anonymous(t.roles[0])
        };
        let decision = case::decide(
            &facts,
            t.action,
            actor,
            &input,
            policy,
            now,
            &mut rand::rng(),
        )
        .map_err(|e| StoreError::Config(format!("demo {}: {e}", t.action)))?;
        s.transition(&TransitionChange::new(
            case.id,
            case.version,
            "system:demo",
            &decision,
        ))
        .await?;
    }
    Ok(())
}

/// What a demo officer supplies with `t`'s action: a reason the policy accepts, a card valid
/// for the type's full period from today, an appointment in a week.
fn demo_input(
    policy: &Policy,
    t: &tirkeu_core::lifecycle::Transition,
    permit_type: &str,
    now: Timestamp,
) -> tirkeu_core::case::Input {
    use tirkeu_core::lifecycle::{Collection, Requirement};
    let mut input = tirkeu_core::case::Input::default();
    match t.requires {
        Some(Requirement::Reason) => {
            input.reason = policy
                .doc()
                .reasons
                .iter()
                .find(|r| r.actions.iter().any(|a| a == t.action.as_str()))
                .map(|r| r.id.clone());
        }
        Some(Requirement::Validity) => {
            let today = now.to_zoned_datetime(policy.time_zone().clone()).date();
            let days = policy
                .permit_type(permit_type)
                .map_or(1, |p| p.max_validity_days);
            input.valid_from = Some(today);
            input.valid_until = today
                .checked_add(jiff::Span::new().days(i64::from(days) - 1))
                .ok();
        }
        Some(Requirement::Collection) => {
            input.collection = Some(Collection {
                at: now + jiff::SignedDuration::from_hours(24 * 7),
                place: "Migration service".into(),
            });
        }
        Some(Requirement::CompleteChecklist) | None => {}
    }
    input
}

pub fn demo(config: &Config, a: &DemoArgs) -> Result {
    init_logging();
    let mut config = config.clone();
    config.data_dir.clone_from(&a.data_dir);
    config.database_url = None;
    // The demo keeps everything in its directory, documents too.
    config.documents = crate::config::DocumentsSettings::default();
    std::fs::create_dir_all(&a.data_dir)
        .map_err(|e| CliError::invalid(format!("cannot create {}: {e}", a.data_dir.display())))?;
    runtime().block_on(async {
        let (opened, url) = open(&config, &DbArgs { database: None }, true, Use::Passports).await?;
        let policy = load_policy(&config)?;
        let creds =
            with_store!(&opened, s => prepare_demo(s, &policy, &a.data_dir, a.cases).await?);
        run_server(&config, opened, &url, &a.listen, None, |base, metrics| {
            println!();
            println!(
                "tirkeu demo is running (data in {}; stop with Ctrl-C)",
                a.data_dir.display()
            );
            print_urls(base, metrics);
            println!();
            print!("{creds}");
            println!();
            println!("Open {base}/ in a browser, or try: curl -s {base}/api/v1/stats");
        })
        .await
    })
}

#[derive(Args)]
pub struct SeedArgs {
    #[command(flatten)]
    db: DbArgs,
    /// How many cases to generate.
    #[arg(long, value_name = "N")]
    cases: u64,
    /// Random seed (the same seed gives the same data).
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Cases per transaction.
    #[arg(long, default_value_t = 5000)]
    batch: usize,
    /// Batches written at once (PostgreSQL inserts on that many cores; SQLite overlaps
    /// generating the next batch with writing one).
    #[arg(long, value_name = "N", default_value_t = 2)]
    jobs: usize,
    /// Drop the secondary indexes of the loaded tables first and build them again at the end:
    /// much faster for millions of cases. For benchmark databases only (a pursued duplicate is
    /// not refused meanwhile); a run that is killed leaves them deferred, and the next
    /// `tirkeu seed` on the database builds them before it seeds.
    #[arg(long)]
    defer_indexes: bool,
}

pub fn seed_cmd(config: &Config, a: &SeedArgs) -> Result {
    if a.cases == 0 {
        return Err(CliError::invalid("--cases: must be at least 1"));
    }
    if a.jobs == 0 || a.jobs > 16 {
        return Err(CliError::invalid("--jobs: must be from 1 to 16"));
    }
    runtime().block_on(async {
        // Synthetic data can be regenerated: skip fsync for speed (synchronous=OFF on SQLite).
        let (opened, url) = open(config, &a.db, false, Use::Passports).await?;
        let policy = load_policy(config)?;
        let started = std::time::Instant::now();
        let opts = SeedOptions {
            cases: a.cases,
            seed: a.seed,
            batch_size: a.batch.max(1),
            jobs: a.jobs,
            now: Timestamp::now(),
        };
        let (summary, loaded_secs) = with_store!(&opened, s => {
            let r = seed_deferring(s, &policy, &opts, a.defer_indexes).await;
            s.close().await;
            r
        })
        .map_err(|e: StoreError| CliError::invalid(format!("database {}: {e}", redact(&url))))?;
        let secs = started.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rate = summary.cases as f64 / secs.max(1e-9);
        let indexes = if a.defer_indexes {
            format!(", of which {:.1} s building indexes", secs - loaded_secs)
        } else {
            String::new()
        };
        println!(
            "seeded {} cases, {} documents, {} arrivals, {} audit entries, {} hosts into {} in {secs:.1} s{indexes} ({rate:.0} cases/s)",
            summary.cases, summary.documents, summary.arrivals, summary.audit_entries, summary.hosts, redact(&url)
        );
        Ok(())
    })
}

/// `tirkeu seed`'s work on an open store: first the indexes an interrupted run left
/// deferred, then (with `defer`) the indexes set aside, the cases, and the indexes built
/// again, also when seeding failed. Answers what was seeded and the seconds until the last
/// batch was written.
async fn seed_deferring<S: Store>(
    s: &S,
    policy: &Policy,
    opts: &SeedOptions,
    defer: bool,
) -> std::result::Result<(tirkeu_store::seed::SeedSummary, f64), StoreError> {
    let started = std::time::Instant::now();
    let building = |done: usize, of: usize, name: &str| {
        if done < of {
            eprintln!("building index {} of {of}: {name}", done + 1);
        }
    };
    let left = s.restore_indexes(building).await?;
    if left > 0 {
        eprintln!("built {left} indexes that an interrupted seed had left deferred");
    }
    if defer {
        let n = s.defer_indexes().await?;
        eprintln!("deferred {n} indexes until the cases are written");
    }
    let mut bar = crate::progress::bar(opts.cases, "seeding cases");
    let seeded = seed(s, policy, opts, |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    let loaded = started.elapsed().as_secs_f64();
    if defer && let Err(e) = s.restore_indexes(building).await {
        eprintln!(
            "the indexes not built yet stay deferred: `tirkeu seed` on this database builds them before it seeds again"
        );
        return Err(e);
    }
    Ok((seeded?, loaded))
}

#[derive(Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    username: String,
    /// officer, supervisor, admin or host.
    #[arg(long)]
    role: String,
    /// Read the password from stdin (else one is generated and printed).
    #[arg(long)]
    password_stdin: bool,
    /// Hosts: the kind of host (see the policy's host kinds).
    #[arg(long)]
    host_kind: Option<String>,
    /// The office whose cases the account works (an id of the policy's offices; required
    /// for officers, see the policy's `[access]`).
    #[arg(long)]
    office: Option<String>,
    /// Where messages to the account are written (hosts: reminders of arrival deadlines).
    #[arg(long)]
    email: Option<String>,
    /// The language of those messages: kk, ru, en or zh.
    #[arg(long)]
    language: Option<String>,
}

pub fn user_add(config: &Config, a: &UserAddArgs) -> Result {
    let policy = load_policy(config)?;
    let password = if a.password_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| CliError::invalid(format!("stdin: {e}")))?;
        Some(s.trim_end_matches(['\n', '\r']).to_owned())
    } else {
        None
    };
    let checked = tirkeu_server::accounts::check_new_user(
        &policy,
        &a.username,
        &a.role,
        password.as_deref(),
        a.host_kind.as_deref(),
    );
    let office = tirkeu_server::accounts::check_office(
        &policy,
        checked.as_ref().ok().copied(),
        a.office.as_deref(),
    );
    let contact = tirkeu_server::accounts::check_contact(a.email.as_deref(), a.language.as_deref());
    let (role, (email, language)) = match (checked, office, contact) {
        (Ok(role), None, Ok(contact)) => Ok((role, contact)),
        (checked, office, contact) => {
            let mut errs = checked.err().unwrap_or_default();
            errs.extend(office);
            errs.extend(contact.err().unwrap_or_default());
            Err(errs)
        }
    }
    .map_err(|errs| {
        CliError::invalid(
            errs.iter()
                .map(|e| {
                    let message = tirkeu_server::i18n::problem(Lang::En, e);
                    format!("--{}: {message}", e.field.replace('_', "-"))
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let generated = password
        .is_none()
        .then(tirkeu_server::accounts::generate_password);
    let pw = password.or_else(|| generated.clone()).expect("one of them");
    let hash = password_auth::generate_hash(pw);
    runtime().block_on(async {
        let (opened, url) = open(config, &a.db, true, Use::Maintenance).await?;
        let user = with_store!(&opened, s => {
            let r = s.create_user(&NewUser {
                username: a.username.clone(),
                role,
                password_hash: hash,
                host_kind: if role == AccountRole::Host { a.host_kind.clone().or_else(|| Some(policy.default_host_kind().to_owned())) } else { None },
                office: a.office.clone(),
                created_at: Timestamp::now(), email, language,
            }, "system:cli").await;
            s.close().await;
            r
        })
        .map_err(|e| match e {
            StoreError::Taken(_) => CliError::invalid(format!("--username: `{}` is already taken", a.username)),
            other => CliError::invalid(format!("database {}: {other}", redact(&url))),
        })?;
        println!("created {} `{}` (id {})", user.role.as_str(), user.username, user.id);
        if let Some(p) = generated {
            println!("password: {p}");
        }
        if tirkeu_server::second_factor::required(role, &policy) {
            println!("second factor: set up with an authenticator app at the first sign-in");
        }
        Ok(())
    })
}

#[derive(Args)]
pub struct ResetSecondFactorArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The account whose second factor is lost.
    #[arg(long)]
    username: String,
}

/// Removes an account's second factor and recovery codes and ends its sessions (a lost
/// phone); the account sets up a new one at its next sign-in. Audited.
pub fn reset_second_factor(config: &Config, a: &ResetSecondFactorArgs) -> Result {
    runtime().block_on(async {
        let (opened, url) = open(config, &a.db, true, Use::Maintenance).await?;
        let db = |e: StoreError| CliError::invalid(format!("database {}: {e}", redact(&url)));
        with_store!(&opened, s => {
            let user = s.user_by_username(&a.username).await.map_err(|e| match e {
                StoreError::NotFound => CliError::invalid(format!("--username: no account `{}`", a.username)),
                other => db(other),
            })?;
            if !user.has_second_factor() && user.totp_pending.is_none() {
                s.close().await;
                return Err(CliError::invalid(format!(
                    "--username: `{}` has no second factor to reset",
                    a.username
                )));
            }
            let audit = tirkeu_store::NewAudit {
                at: Timestamp::now(),
                actor: "system:cli".into(),
                action: "auth.second_factor_reset".into(),
                object: format!("user:{}", user.id),
                payload: serde_json::json!({}),
            };
            s.reset_second_factor(user.id, &audit).await.map_err(db)?;
            s.close().await;
            println!(
                "reset the second factor of {} `{}`: its sessions are ended; it sets up a new one at the next sign-in",
                user.role.as_str(),
                user.username
            );
        });
        Ok(())
    })
}

#[derive(Args)]
pub struct ApiKeyAddArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The host account.
    #[arg(long)]
    username: String,
    /// A label, e.g. the front desk's name.
    #[arg(long, default_value = "cli")]
    label: String,
}

pub fn apikey_add(config: &Config, a: &ApiKeyAddArgs) -> Result {
    runtime().block_on(async {
        let (opened, url) = open(config, &a.db, true, Use::Maintenance).await?;
        let key = tirkeu_server::secrets::token("tka_");
        with_store!(&opened, s => {
            let user = s.user_by_username(&a.username).await.map_err(|e| match e {
                StoreError::NotFound => CliError::invalid(format!("--username: no account `{}`", a.username)),
                other => CliError::invalid(format!("database {}: {other}", redact(&url))),
            })?;
            if user.role != AccountRole::Host {
                return Err(CliError::invalid(format!("--username: `{}` is a {}, not a host", a.username, user.role.as_str())));
            }
            s.create_api_key(user.id, &tirkeu_server::secrets::sha256_hex(&key), &a.label, Timestamp::now(), "system:cli")
                .await
                .map_err(|e| CliError::invalid(format!("database {}: {e}", redact(&url))))?;
            s.close().await;
        });
        println!("API key for `{}` (shown once; send as Authorization: Bearer <key>):", a.username);
        println!("{key}");
        Ok(())
    })
}
