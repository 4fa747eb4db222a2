//! `tirkeu worker`: the notification and deadline worker on its own, and `run-once` for
//! tests and cron.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand};
use jiff::Timestamp;
use tirkeu_server::mail::AnyTransport;
use tirkeu_server::worker::{PolicySource, Worker, WorkerConfig};
use tirkeu_store::{Store, with_store};

use crate::CliError;
use crate::config::Config;
use crate::ops::{DbArgs, Use, open};
use crate::server::{init_logging, load_policy, runtime};

type Result<T = ()> = std::result::Result<T, CliError>;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WorkerArgs {
    #[command(subcommand)]
    command: Option<WorkerCommand>,
    #[command(flatten)]
    common: Common,
}

#[derive(Subcommand)]
enum WorkerCommand {
    /// Process everything due at one instant (rules, then every due message), print what was
    /// done, and exit.
    RunOnce(RunOnceArgs),
}

#[derive(Args)]
struct RunOnceArgs {
    /// The instant to act at, RFC 3339 (e.g. 2026-12-21T19:00:00Z); default: now.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct Common {
    #[command(flatten)]
    db: DbArgs,
    /// Data directory (default: config `data_dir`, ./data): documents and the mail drop.
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// The address of the web UI, for links in messages (default: http://LISTEN).
    #[arg(long, value_name = "URL", env = "TIRKEU_PUBLIC_URL")]
    public_url: Option<String>,
}

pub fn worker(config: &Config, a: &WorkerArgs) -> Result {
    match &a.command {
        None => run(config, &a.common),
        Some(WorkerCommand::RunOnce(r)) => run_once(config, r),
    }
}

fn setup(config: &Config, c: &Common) -> (Config, String) {
    let mut config = config.clone();
    if let Some(d) = &c.data_dir {
        config.data_dir.clone_from(d);
    }
    let public_url = c
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    (config, public_url)
}

/// The transport and the worker settings `config` describes, with links to `public_url`:
/// the one reading of `[mail]` and `[worker]`, for a worker alone or inside a server.
pub(crate) fn transport_and_settings(
    config: &Config,
    public_url: &str,
) -> Result<(AnyTransport, WorkerConfig)> {
    let transport = AnyTransport::from_config(&config.mail, &config.data_dir)
        .map_err(|e| CliError::invalid(format!("mail: {e}")))?;
    let mut settings = config.worker.apply(WorkerConfig::new(public_url));
    settings.mail_drop = config.mail.drop_dir(&config.data_dir);
    Ok((transport, settings))
}

/// The worker as `config` describes it, over `store`; its document store (which retention
/// deletes from) checked to answer.
pub(crate) async fn build<S: Store>(
    config: &Config,
    store: S,
    public_url: &str,
) -> Result<Worker<S, AnyTransport>> {
    let (transport, wc) = transport_and_settings(config, public_url)?;
    let documents = config.documents.open(&config.data_dir).await?;
    let policy = Arc::new(load_policy(config)?);
    let source: PolicySource = Arc::new(move || policy.clone());
    Ok(Worker::new(
        store,
        transport,
        Arc::new(documents),
        source,
        wc,
    ))
}

fn run(config: &Config, c: &Common) -> Result {
    init_logging();
    let (config, public_url) = setup(config, c);
    runtime().block_on(async {
        let (opened, _) = open(&config, &c.db, true, Use::Passports).await?;
        with_store!(&opened, s => {
            let w = build(&config, s.clone(), &public_url).await?;
            println!("tirkeu worker {} is running (Ctrl-C stops it)", w.config().name);
            w.run(Timestamp::now, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await;
            s.close().await;
        });
        Ok(())
    })
}

fn run_once(config: &Config, r: &RunOnceArgs) -> Result {
    let now = match &r.now {
        None => Timestamp::now(),
        Some(t) => t.trim().parse::<Timestamp>().map_err(|e| {
            CliError::invalid(format!(
                "--now: `{t}` is not an RFC 3339 instant like 2026-12-21T19:00:00Z ({e})"
            ))
        })?,
    };
    let (config, public_url) = setup(config, &r.common);
    runtime().block_on(async {
        let (opened, _) = open(&config, &r.common.db, true, Use::Passports).await?;
        let report = with_store!(&opened, s => {
            let w = build(&config, s.clone(), &public_url).await?;
            let report = w.run_once(now).await;
            s.close().await;
            report.map_err(|e| CliError::invalid(format!("worker: {e}")))?
        });
        if r.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("a report serialises")
            );
        } else {
            println!("worker pass at {now}");
            let lines = report.lines();
            if lines.is_empty() {
                println!("  nothing was due");
            }
            for l in lines {
                println!("  {l}");
            }
        }
        Ok(())
    })
}
