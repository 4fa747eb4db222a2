//! The operations commands: migrate, backup, audit, config, and the crash-test writer.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use jiff::Timestamp;
use tirkeu_core::policy::Policy;
use tirkeu_store::audit::{
    Checkpoint, Pinned, VerifyReport, generate_signing_key, parse_public_key, parse_signing_key,
    read_checkpoint, read_checkpoint_dir, verify_store, write_checkpoint,
};
use tirkeu_store::seed::create_and_submit;
use tirkeu_store::{OpenOptions, Opened, Store, StoreError, redact, with_store};

use crate::CliError;
use crate::config::{self, Config};

type Result<T = ()> = std::result::Result<T, CliError>;

/// Which database a command works on.
#[derive(Args, Clone)]
pub struct DbArgs {
    /// sqlite://PATH or postgres://USER@HOST/DB (default: config / TIRKEU_DATABASE_URL / data_dir/tirkeu.db).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn store_error(url: &str, e: &StoreError) -> CliError {
    CliError::invalid(format!("database {}: {e}", redact(url)))
}

/// What an opened store will be used for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Reads and writes passports: needs the configured lookup key.
    Passports,
    /// Schema, audit or backup work only: no key needed.
    Maintenance,
}

/// Opens the database named by `--database` or the configuration.
pub async fn open(
    config: &Config,
    db: &DbArgs,
    durable: bool,
    usage: Use,
) -> Result<(Opened, String)> {
    let url = config.database_url(db.database.as_deref());
    tirkeu_store::DatabaseUrl::parse(&url)
        .map_err(|e| CliError::invalid(format!("--database: {e}")))?;
    if let Some(path) = url.strip_prefix("sqlite://")
        && let Some(dir) = Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::invalid(format!("cannot create {}: {e}", dir.display())))?;
    }
    let lookup_key = match usage {
        Use::Passports => config.lookup_key_for(&url)?,
        Use::Maintenance => [0; 32],
    };
    let opened = tirkeu_store::open(
        &url,
        OpenOptions {
            lookup_key,
            durable,
            pool: config.database.pool_options(),
        },
    )
    .await
    .map_err(|e| store_error(&url, &e))?;
    Ok((opened, url))
}

pub fn migrate(config: &Config, db: &DbArgs) -> Result {
    runtime().block_on(async {
        let (opened, url) = open(config, db, true, Use::Maintenance).await?;
        let backend = with_store!(&opened, s => { s.close().await; s.backend() });
        println!(
            "{} ({backend}) is migrated to the latest schema",
            redact(&url)
        );
        Ok(())
    })
}

#[derive(Args)]
pub struct BackupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The new file to write (SQLite). It must not exist.
    dest: PathBuf,
}

pub fn backup(config: &Config, a: &BackupArgs) -> Result {
    runtime().block_on(async {
        let (opened, url) = open(config, &a.db, true, Use::Maintenance).await?;
        with_store!(&opened, s => {
            let r = s.backup(&a.dest).await;
            s.close().await;
            r.map_err(|e| store_error(&url, &e))?;
        });
        println!("consistent copy written to {}", a.dest.display());
        println!("restore: stop tirkeu, replace the database file with this copy, start tirkeu (docs/operations.md)");
        Ok(())
    })
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and report the first bad entry; check signed checkpoints;
    /// check every application and arrival row against the last state the chain recorded.
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// A checkpoint file written by the server or `audit checkpoint` (repeatable).
        #[arg(long = "checkpoint", value_name = "FILE")]
        checkpoints: Vec<PathBuf>,
        /// A directory of checkpoints (the server's audit_checkpoint_dir): all are checked.
        #[arg(long, value_name = "DIR")]
        checkpoint_dir: Option<PathBuf>,
        /// The pinned public key (hex) the checkpoints must be signed with; required with
        /// checkpoints. The key written in a checkpoint file is never trusted.
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign the current head of the chain and write it as a new file in a directory outside
    /// the database host (never overwriting one).
    Checkpoint {
        #[command(flatten)]
        db: DbArgs,
        /// The directory to write the checkpoint to (JSON, named by entry and time).
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// A file holding the signing key (default: audit_signing_key from the config).
        #[arg(long, value_name = "FILE")]
        key_file: Option<PathBuf>,
    },
    /// Record the current state of every application and arrival whose history predates
    /// state hashes (migration 0008), so that `verify` checks them from now on. Run it once
    /// after upgrading, after a clean `audit verify` with checkpoints: it vouches for the rows
    /// as they are.
    Baseline {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Generate a checkpoint signing key: writes it to FILE (mode 0600), prints the public key.
    Keygen {
        /// Where to write the private key.
        out: PathBuf,
    },
}

pub fn audit(config: &Config, c: &AuditCommand) -> Result {
    match c {
        AuditCommand::Keygen { out } => {
            if out.exists() {
                return Err(CliError::invalid(format!(
                    "{} exists; not overwriting a key",
                    out.display()
                )));
            }
            let key = generate_signing_key();
            config::write_secret(out, &key)?;
            let public = parse_signing_key(&key)
                .map_err(CliError::invalid)?
                .verifying_key();
            println!("private key written to {}", out.display());
            println!("public key: {}", hex::encode(public.to_bytes()));
            Ok(())
        }
        AuditCommand::Baseline { db } => runtime().block_on(async {
            let (opened, url) = open(config, db, true, Use::Maintenance).await?;
            let r = with_store!(&opened, s => {
                let r = baseline(s).await;
                s.close().await;
                r
            });
            let written = r.map_err(|e| store_error(&url, &e))?;
            println!(
                "{written} applications and arrivals without a recorded state have one now (audit verify checks them from now on)"
            );
            Ok(())
        }),
        AuditCommand::Checkpoint { db, dir, key_file } => {
            let key_text = match (key_file, &config.audit_signing_key) {
                (Some(f), _) => std::fs::read_to_string(f)
                    .map_err(|e| CliError::invalid(format!("cannot read {}: {e}", f.display())))?,
                (None, Some(k)) => k.0.clone(),
                (None, None) => {
                    return Err(CliError::invalid(
                        "no signing key: pass --key-file or set audit_signing_key (TIRKEU_AUDIT_SIGNING_KEY); `tirkeu audit keygen FILE` makes one",
                    ));
                }
            };
            let key = parse_signing_key(&key_text).map_err(CliError::invalid)?;
            runtime().block_on(async {
                let (opened, url) = open(config, db, true, Use::Maintenance).await?;
                let (seq, hash) = with_store!(&opened, s => {
                    let h = s.audit_head().await;
                    s.close().await;
                    h.map_err(|e| store_error(&url, &e))?
                });
                let cp = Checkpoint::sign(&key, seq, &hash, Timestamp::now());
                let path = write_checkpoint(dir, &cp).map_err(|e| {
                    CliError::invalid(format!(
                        "cannot write a checkpoint in {}: {e}",
                        dir.display()
                    ))
                })?;
                println!(
                    "checkpoint of entry {seq} ({hash}) written to {}",
                    path.display()
                );
                Ok(())
            })
        }
        AuditCommand::Verify {
            db,
            checkpoints,
            checkpoint_dir,
            public_key,
            json,
        } => {
            let mut cps = checkpoints
                .iter()
                .map(|f| read_checkpoint(f).map_err(CliError::invalid))
                .collect::<Result<Vec<_>>>()?;
            if let Some(dir) = checkpoint_dir {
                let found = read_checkpoint_dir(dir).map_err(CliError::invalid)?;
                if found.is_empty() {
                    return Err(CliError::invalid(format!(
                        "--checkpoint-dir: no checkpoint-*.json file in {}",
                        dir.display()
                    )));
                }
                cps.extend(found);
            }
            // A checkpoint proves nothing unless its key is known from elsewhere: the one
            // written in the file is whoever wrote the file.
            let pinned_key = match (public_key, cps.is_empty()) {
                (Some(h), _) => Some(
                    parse_public_key(h)
                        .map_err(|e| CliError::invalid(format!("--public-key: {e}")))?,
                ),
                (None, false) => {
                    return Err(CliError::invalid(
                        "--public-key is required with --checkpoint and --checkpoint-dir: pass the public key printed by `tirkeu audit keygen`, kept apart from the checkpoints (the key inside a checkpoint file is never trusted)",
                    ));
                }
                (None, true) => None,
            };
            let pinned = pinned_key.as_ref().map(|key| Pinned {
                key,
                checkpoints: &cps,
            });
            let report: VerifyReport = runtime().block_on(async {
                let (opened, url) = open(config, db, true, Use::Maintenance).await?;
                let mut bar = crate::progress::counter("verifying audit entries");
                let r = with_store!(&opened, s => {
                    let r = verify_store(s, pinned, |n| bar.set_position(n)).await;
                    s.close().await;
                    r
                });
                bar.finish_and_clear();
                r.map_err(|e| store_error(&url, &e))
            })?;
            if *json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).expect("reports serialise")
                );
                return if report.ok() {
                    Ok(())
                } else {
                    Err(CliError::silent())
                };
            }
            print_verdict(&report)
        }
    }
}

/// Runs [`Store::audit_baseline`] over every audited table, a page per transaction; answers
/// how many entries were written.
async fn baseline<S: Store>(s: &S) -> std::result::Result<u64, StoreError> {
    let mut written = 0;
    for table in tirkeu_store::audit::AUDITED_TABLES {
        let mut after = 0;
        loop {
            let (last, n) = s
                .audit_baseline(table, after, 1000, "system:baseline", Timestamp::now())
                .await?;
            let Some(last) = last else { break };
            written += n;
            after = last;
        }
    }
    Ok(written)
}

/// The human-readable verdict of `audit verify`: the chain, the checkpoints, the rows.
fn print_verdict(report: &VerifyReport) -> Result {
    for p in &report.row_problems {
        eprintln!("{} {} (id {}): {}", p.object, p.number, p.id, p.reason);
    }
    if report.row_problems_total > report.row_problems.len() as u64 {
        eprintln!(
            "… and {} more rows",
            report.row_problems_total - report.row_problems.len() as u64
        );
    }
    if let Some(p) = &report.problem {
        return Err(CliError::invalid(format!(
            "audit log broken at entry {}: {} ({} entries read)",
            p.seq, p.reason, report.entries
        )));
    }
    if report.row_problems_total > 0 {
        return Err(CliError::invalid(format!(
            "audit log intact ({} entries), but {} of {} rows differ from the state it recorded (listed above)",
            report.entries, report.row_problems_total, report.rows_checked
        )));
    }
    println!(
        "audit log intact: {} entries, head {} ({})",
        report.entries, report.last_seq, report.last_hash
    );
    match report.latest_checkpoint {
        Some(seq) => println!(
            "checkpoints: {} matched, the latest vouches for entry {seq}",
            report.checkpoints_checked
        ),
        None => println!(
            "checkpoints: none given — a log rewritten or cut at its end would still look intact (--checkpoint-dir DIR --public-key HEX)"
        ),
    }
    println!(
        "rows: {} applications and arrivals match their last recorded state",
        report.rows_checked - report.rows_skipped
    );
    if report.rows_skipped > 0 {
        println!(
            "      {} rows not checked: their history predates state hashes (migration 0008)",
            report.rows_skipped
        );
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print the default configuration file, with every key and its environment variable.
    PrintDefault,
    /// Print a new random 32-byte key in hex (for lookup_key).
    GenKey,
    /// Print the effective configuration (secrets redacted).
    Show,
}

pub fn config_cmd(config: &Config, c: &ConfigCommand) {
    match c {
        ConfigCommand::PrintDefault => print!("{}", config::default_toml()),
        ConfigCommand::GenKey => println!("{}", config::gen_key()),
        ConfigCommand::Show => println!("{:#?}", config.redacted()),
    }
}

/// The crash-test writer: creates and submits applications forever, printing `ack NUMBER`
/// after each commit. A test kills it with SIGKILL at random moments and checks that every
/// acknowledged number is in the database.
pub fn crash_writer(config: &Config, db: &DbArgs) -> Result {
    runtime().block_on(async {
        let (opened, url) = open(config, db, true, Use::Passports).await?;
        let policy = crate::server::load_policy(config)?;
        with_store!(opened, s => crash_loop(&s, &policy).await.map_err(|e| store_error(&url, &e)))
    })
}

async fn crash_loop<S: Store>(s: &S, policy: &Policy) -> std::result::Result<(), StoreError> {
    let mut out = std::io::stdout().lock();
    let mut i: u64 = 0;
    loop {
        i += 1;
        let passport = format!("CT{}-{i}", std::process::id());
        let app =
            create_and_submit(s, policy, passport, "system:crash-test", Timestamp::now()).await?;
        let number = app.number;
        // Acknowledge only after the commit returned.
        writeln!(out, "ack {}", number.compact()).ok();
        out.flush().ok();
    }
}
