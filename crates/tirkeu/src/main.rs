//! `tirkeu`: the command-line entry point.
//!
//! Exit codes: 0 success, 1 invalid input (the message says what is wrong), 2 bad usage
//! (clap's own). Values are taken as strings by clap and parsed here, so a malformed date is
//! reported as invalid input naming its flag rather than as a usage error.

// Doc comments here are clap's --help text for users, not rustdoc: no Markdown backticks.
#![allow(clippy::doc_markdown, clippy::too_many_lines)]

mod calc;
mod config;
mod ops;
mod progress;
mod server;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// tirkeu — registration of foreigners and registration cards.
#[derive(Parser)]
#[command(name = "tirkeu", version, about, long_about = None, arg_required_else_help = true)]
struct Cli {
    /// Configuration file (TOML); TIRKEU_* environment variables override it.
    #[arg(long, global = true, value_name = "FILE", env = "TIRKEU_CONFIG")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a passport's machine-readable zone (TD3, TD2 or TD1).
    Mrz(calc::MrzArgs),
    /// Check a Kazakhstan individual identification number (IIN).
    Iin(calc::IinArgs),
    /// Days used and left under a stay rule (e.g. 90 days in any 180), and whether a card is needed.
    Stay(calc::StayArgs),
    /// The arrival-notification deadline, and whether a notification was late and its fine.
    Deadline(calc::DeadlineArgs),
    /// Generate or check application numbers.
    #[command(subcommand)]
    Number(calc::NumberCommand),
    /// Check a policy file or print the default one.
    #[command(subcommand)]
    Policy(calc::PolicyCommand),
    /// Create or upgrade the database schema (also done at every start).
    Migrate(ops::DbArgs),
    /// Write a consistent online copy of the database.
    Backup(ops::BackupArgs),
    /// Verify the audit log's hash chain, or sign a checkpoint of it.
    #[command(subcommand)]
    Audit(ops::AuditCommand),
    /// Print the default configuration or a new key.
    #[command(subcommand)]
    Config(ops::ConfigCommand),
    /// Run the HTTP server (migrates the database first).
    Serve(server::ServeArgs),
    /// Zero set-up demo: SQLite, sample data, demo accounts; serves and prints the URLs.
    Demo(server::DemoArgs),
    /// Send notifications and let deadlines act: runs until stopped, or `run-once --now`.
    Worker(worker::WorkerArgs),
    /// Generate realistic synthetic data (for benchmarks).
    Seed(server::SeedArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage host API keys.
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// (testing) Create and submit applications until killed, acknowledging each commit.
    #[command(hide = true)]
    CrashWriter(ops::DbArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (prints a generated password unless --password-stdin).
    Add(server::UserAddArgs),
    /// Remove an account's second factor (a lost phone): it sets up a new one at its next
    /// sign-in.
    ResetSecondFactor(server::ResetSecondFactorArgs),
}

#[derive(Subcommand)]
enum ApikeyCommand {
    /// Create an API key for a host account.
    Add(server::ApiKeyAddArgs),
}

/// An error for the user: the message goes to stderr and the process exits with `code`.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub code: u8,
}

impl CliError {
    /// Invalid input: exit code 1.
    pub fn invalid(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            code: 1,
        }
    }

    /// A failure already reported on stdout (e.g. a JSON report with `valid: false`).
    pub fn silent() -> Self {
        CliError {
            message: String::new(),
            code: 1,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = config::Config::load(cli.config.as_deref()).and_then(|config| match cli.command {
        Command::Mrz(a) => calc::mrz(&a),
        Command::Iin(a) => calc::iin(&a),
        Command::Stay(a) => calc::stay(&a),
        Command::Deadline(a) => calc::deadline(&a),
        Command::Number(c) => calc::number(&c),
        Command::Policy(c) => calc::policy(&c),
        Command::Migrate(db) => ops::migrate(&config, &db),
        Command::Backup(a) => ops::backup(&config, &a),
        Command::Audit(c) => ops::audit(&config, &c),
        Command::Config(c) => {
            ops::config_cmd(&config, &c);
            Ok(())
        }
        Command::CrashWriter(db) => ops::crash_writer(&config, &db),
        Command::Serve(a) => server::serve(&config, &a),
        Command::Demo(a) => server::demo(&config, &a),
        Command::Seed(a) => server::seed_cmd(&config, &a),
        Command::Worker(a) => worker::worker(&config, &a),
        Command::User(UserCommand::Add(a)) => server::user_add(&config, &a),
        Command::User(UserCommand::ResetSecondFactor(a)) => {
            server::reset_second_factor(&config, &a)
        }
        Command::Apikey(ApikeyCommand::Add(a)) => server::apikey_add(&config, &a),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                eprintln!("error: {}", e.message.trim_end());
            }
            ExitCode::from(e.code)
        }
    }
}
