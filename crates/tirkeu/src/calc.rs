//! The calculator commands: mrz, iin, stay, deadline, number, policy.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use serde::Serialize;
use serde_json::json;
use tirkeu_core::deadline::{DeadlineRule, rfc3339};
use tirkeu_core::iin::Iin;
use tirkeu_core::mrz::{self, MrzReport};
use tirkeu_core::number::{CardNumber, CaseNumber};
use tirkeu_core::person::Nationality;
use tirkeu_core::policy::{DEFAULT_POLICY_TOML, Policy, PolicyUseError, StayAssessment};
use tirkeu_core::stay::{self, Stay, StayError, StayReport, StayRule};

use crate::CliError;

type Result<T = ()> = std::result::Result<T, CliError>;

/// Prints `value` as pretty JSON.
fn print_json(value: &impl Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("reports serialise")
    );
}

/// Loads the policy from `file`, or the embedded default.
pub(crate) fn load_policy(file: Option<&Path>) -> Result<Policy> {
    let Some(path) = file else {
        return Ok(Policy::default_kz());
    };
    let src = std::fs::read_to_string(path)
        .map_err(|e| CliError::invalid(format!("cannot read {}: {e}", path.display())))?;
    Policy::from_toml(&src).map_err(|e| {
        let lines: Vec<String> = e
            .issues
            .iter()
            .map(|i| match i.line {
                Some(l) => format!("{}:{l}: {}: {}", path.display(), i.field, i.message),
                None => format!("{}: {}: {}", path.display(), i.field, i.message),
            })
            .collect();
        CliError::invalid(format!(
            "the policy {} is invalid:\n{}",
            path.display(),
            lines.join("\n")
        ))
    })
}

fn parse_date(flag: &str, s: &str) -> Result<Date> {
    s.trim().parse().map_err(|e| {
        CliError::invalid(format!("{flag}: `{s}` is not a date like 2026-03-21 ({e})"))
    })
}

/// An instant in RFC 3339; without an offset, a local time in the policy's time zone.
fn parse_instant(flag: &str, s: &str, policy: &Policy) -> Result<Timestamp> {
    if let Ok(t) = s.trim().parse::<Timestamp>() {
        return Ok(t);
    }
    match s.trim().parse::<DateTime>() {
        Ok(dt) => dt
            .to_zoned_datetime(policy.time_zone().clone())
            .map(|z| z.timestamp())
            .map_err(|e| CliError::invalid(format!("{flag}: `{s}`: {e}"))),
        Err(_) => Err(CliError::invalid(format!(
            "{flag}: `{s}` is not a time like 2026-03-21T14:30:00+05:00 (RFC 3339; without an offset it is read as local time in {})",
            policy.doc().meta.time_zone
        ))),
    }
}

/// Today in the authority's time zone.
fn today(policy: &Policy) -> Date {
    Timestamp::now()
        .to_zoned_datetime(policy.time_zone().clone())
        .date()
}

// ---------------------------------------------------------------------------------------------

#[derive(Args)]
pub struct MrzArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// The date used to choose the century of the birth date (default: today in Asia/Almaty).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    /// The lines of the zone; read from stdin when none are given.
    #[arg(value_name = "LINE")]
    lines: Vec<String>,
}

pub fn mrz(a: &MrzArgs) -> Result {
    let policy = Policy::default_kz();
    let today = match &a.today {
        Some(s) => parse_date("--today", s)?,
        None => today(&policy),
    };
    let text = if a.lines.is_empty() {
        let mut stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprintln!("Paste the machine-readable zone, then press Ctrl-D:");
        }
        let mut s = String::new();
        stdin
            .read_to_string(&mut s)
            .map_err(|e| CliError::invalid(format!("cannot read stdin: {e}")))?;
        s
    } else {
        a.lines.join("\n")
    };
    let report = mrz::check(&text, today);
    if a.json {
        print_json(&report);
    } else {
        print_mrz(&report);
    }
    if report.valid {
        Ok(())
    } else if a.json {
        Err(CliError::silent())
    } else {
        let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        Err(CliError::invalid(format!(
            "the zone is not valid:\n  {}",
            errors.join("\n  ")
        )))
    }
}

fn print_mrz(r: &MrzReport) {
    let show = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            println!("{label:<16}{v}");
        }
    };
    show("format", r.format.map(|f| f.to_string()));
    show("document code", r.document_code.clone());
    show("document number", r.document_number.clone());
    show("issuing state", r.issuing_state.clone());
    show("nationality", r.nationality.clone());
    show("surname", r.surname.clone());
    show("given names", r.given_names.clone());
    show("birth date", r.birth_date.map(|d| d.to_string()));
    show(
        "sex",
        r.sex
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(str::to_owned)),
    );
    show("expiry date", r.expiry_date.map(|d| d.to_string()));
    show("optional data", r.optional_data.clone());
    show("optional data 2", r.optional_data_2.clone());
    if r.valid {
        println!("valid           yes: every check digit matches");
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Args)]
pub struct IinArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// The IIN (12 digits; spaces are ignored).
    iin: String,
}

pub fn iin(a: &IinArgs) -> Result {
    match Iin::parse(&a.iin) {
        Ok(iin) => {
            if a.json {
                print_json(&json!({
                    "valid": true, "iin": iin.as_str(), "birth_date": iin.birth_date(),
                    "sex": iin.sex(), "errors": [],
                }));
            } else {
                println!("{} is a valid IIN", iin.as_str());
                if let Some(d) = iin.birth_date() {
                    println!("birth date      {d}");
                }
            }
            Ok(())
        }
        Err(e) if a.json => {
            print_json(&json!({
                "valid": false, "iin": a.iin,
                "errors": [{"field": "iin", "message": e.to_string()}],
            }));
            Err(CliError::silent())
        }
        Err(e) => Err(CliError::invalid(format!(
            "`{}` is not a valid IIN: {e}",
            a.iin
        ))),
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Args)]
pub struct StayArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Nationality (ISO 3166-1 alpha-3, e.g. DEU): the policy's rule for it applies.
    #[arg(long, value_name = "ISO3", required_unless_present = "limit",
          conflicts_with_all = ["limit", "window", "per_entry"])]
    nationality: Option<String>,
    /// Policy file for --nationality (default: the embedded Kazakh policy).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Days allowed in any window (instead of --nationality).
    #[arg(long, value_name = "N", requires = "window")]
    limit: Option<u32>,
    /// Length of the rolling window in days.
    #[arg(long, value_name = "W", requires = "limit")]
    window: Option<u32>,
    /// Days allowed per entry.
    #[arg(long, value_name = "M", requires = "limit")]
    per_entry: Option<u32>,
    /// A stay ENTRY:EXIT (inclusive dates), or ENTRY: for a stay still going on. Repeatable.
    #[arg(long = "stay", value_name = "ENTRY:EXIT", required = true)]
    stays: Vec<String>,
    /// The control date (default: today in the policy's time zone).
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// The planned departure date, to decide whether a card is needed.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
}

pub fn stay(a: &StayArgs) -> Result {
    let policy = load_policy(a.policy.as_deref())?;
    let on = match &a.on {
        Some(s) => parse_date("--on", s)?,
        None => today(&policy),
    };
    let until = a
        .until
        .as_deref()
        .map(|s| parse_date("--until", s))
        .transpose()?;
    let stays = a
        .stays
        .iter()
        .map(|s| Stay::parse(s).map_err(|e| CliError::invalid(format!("--stay: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let stay_error = |e: &StayError| {
        let flag = match e.field() {
            "limit" => "--limit",
            "window" => "--window",
            "per_entry" => "--per-entry",
            "until" => "--until",
            "on" => "--on",
            _ => "--stay",
        };
        CliError::invalid(format!("{flag}: {e}"))
    };
    if let Some(nat) = &a.nationality {
        let nat = Nationality::parse_as("--nationality", nat).map_err(|p| {
            let message = tirkeu_server::i18n::problem(tirkeu_core::text::Lang::En, &p);
            CliError::invalid(format!("{}: {message}", p.field))
        })?;
        let assessment = policy
            .assess_stay(nat.as_str(), &stays, on, until)
            .map_err(|e| match &e {
                PolicyUseError::Stay(s) => stay_error(s),
                other => CliError::invalid(format!("--nationality: {other}")),
            })?;
        if a.json {
            print_json(&assessment);
        } else {
            print_stay(&assessment.report, Some(&assessment));
        }
        return Ok(());
    }
    let rule = StayRule {
        limit_days: a.limit.unwrap_or_default(),
        window_days: a.window.unwrap_or_default(),
        per_entry_days: a.per_entry,
    };
    let report = stay::calculate(&rule, &stays, on, until).map_err(|e| stay_error(&e))?;
    if a.json {
        print_json(&report);
    } else {
        print_stay(&report, None);
    }
    Ok(())
}

fn print_stay(report: &StayReport, policy: Option<&StayAssessment>) {
    let rule = report.rule;
    let rule_text = match rule.per_entry_days {
        Some(p) => format!(
            "{} days in any {}, at most {p} per entry",
            rule.limit_days, rule.window_days
        ),
        None => format!("{} days in any {}", rule.limit_days, rule.window_days),
    };
    match policy {
        Some(a) => println!("rule            {} ({rule_text})", a.rule_id),
        None => println!("rule            {rule_text}"),
    }
    println!("on              {}", report.on);
    println!("days used       {}", report.days_used);
    println!("days left       {}", report.days_left);
    println!("overstay days   {}", report.overstay_days);
    match report.last_legal_day {
        Some(d) => println!("last legal day  {d}"),
        None => println!("last legal day  none: the limit is already exceeded"),
    }
    if let Some(f) = policy.and_then(|a| a.overstay_fine.as_ref()) {
        println!(
            "overstay fine   {} KZT ({}, {})",
            f.kzt, f.amount, f.article
        );
    }
    let why = match policy {
        Some(a) if a.over_card_threshold => {
            format!(" (a stay over {} days)", a.card_required_after_days)
        }
        _ => String::new(),
    };
    let yes = if report.needs_card { "yes" } else { "no" };
    println!("needs a card    {yes}{why}");
}

// ---------------------------------------------------------------------------------------------

#[derive(Args)]
pub struct DeadlineArgs {
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Arrival time, RFC 3339 (e.g. 2026-03-19T10:00:00+05:00); without an offset, local time.
    #[arg(long, value_name = "RFC3339")]
    arrival: String,
    /// The rule: hours (72h) or working days (3wd). Default: the policy's.
    #[arg(long, value_name = "72h|3wd")]
    rule: Option<String>,
    /// Policy file (default: the embedded Kazakh policy).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// When the host notified; reports whether that was late and the fine.
    #[arg(long, value_name = "RFC3339")]
    notified: Option<String>,
    /// The kind of host, for the fine (one of the policy's host kinds; default: its first).
    #[arg(long, value_name = "KIND")]
    host_kind: Option<String>,
}

pub fn deadline(a: &DeadlineArgs) -> Result {
    let policy = load_policy(a.policy.as_deref())?;
    let host_kind = a
        .host_kind
        .as_deref()
        .unwrap_or_else(|| policy.default_host_kind());
    let arrival = parse_instant("--arrival", &a.arrival, &policy)?;
    let rule = a
        .rule
        .as_deref()
        .map(|r| {
            r.parse::<DeadlineRule>()
                .map_err(|e| CliError::invalid(format!("--rule: {e}")))
        })
        .transpose()?;
    let notified = a
        .notified
        .as_deref()
        .map(|n| parse_instant("--notified", n, &policy))
        .transpose()?;
    let assessment = policy
        .assess_notification(arrival, notified, host_kind, rule)
        .map_err(|e| {
            let flag = if e.to_string().contains("host kind") {
                "--host-kind"
            } else {
                "--arrival"
            };
            CliError::invalid(format!("{flag}: {e}"))
        })?;
    let tz = policy.time_zone().clone();
    let local = |t: Timestamp| rfc3339(&t.to_zoned_datetime(tz.clone()));
    if a.json {
        let mut v = json!({
            "arrival": local(arrival),
            "rule": assessment.rule.to_string(),
            "time_zone": policy.doc().meta.time_zone,
            "deadline": rfc3339(&assessment.deadline),
        });
        if let Some(n) = notified {
            v["notified"] = json!(local(n));
            v["late"] = json!(assessment.late);
            v["host_kind"] = json!(host_kind);
            v["fine"] = json!(assessment.fine);
        }
        print_json(&v);
        return Ok(());
    }
    println!("arrival         {}", local(arrival));
    println!("rule            {}", describe_rule(assessment.rule));
    println!("deadline        {}", rfc3339(&assessment.deadline));
    if let Some(n) = notified {
        println!("notified        {}", local(n));
        if assessment.late {
            println!("late            yes");
            match &assessment.fine {
                Some(f) => println!(
                    "fine            {} KZT ({}, {}; MCI of {})",
                    f.kzt, f.amount, f.article, f.date
                ),
                None => println!("fine            the policy names none for host kind {host_kind}"),
            }
        } else {
            println!("late            no");
        }
    }
    Ok(())
}

fn describe_rule(r: DeadlineRule) -> String {
    match r {
        DeadlineRule::Hours(h) => format!("{h} hours after arrival"),
        DeadlineRule::WorkingDays(d) => {
            format!("end of the {d}th working day after the day of arrival")
                .replace("1th", "1st")
                .replace("2th", "2nd")
                .replace("3th", "3rd")
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Subcommand)]
pub enum NumberCommand {
    /// Generate new random numbers.
    New {
        /// How many.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        count: u32,
        /// Card numbers instead of application numbers.
        #[arg(long)]
        card: bool,
        /// Print as a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Check a number typed by a person (case, spaces and hyphens do not matter).
    Check {
        number: String,
        /// Check a card number instead of an application number.
        #[arg(long)]
        card: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn number(c: &NumberCommand) -> Result {
    match c {
        NumberCommand::New { count, card, json } => {
            let numbers: Vec<String> = (0..*count)
                .map(|_| {
                    if *card {
                        CardNumber::generate().to_string()
                    } else {
                        CaseNumber::generate().to_string()
                    }
                })
                .collect();
            if *json {
                print_json(&numbers);
            } else {
                for n in numbers {
                    println!("{n}");
                }
            }
            Ok(())
        }
        NumberCommand::Check { number, card, json } => {
            let parsed = if *card {
                CardNumber::parse(number).map(|n| n.to_string())
            } else {
                CaseNumber::parse(number).map(|n| n.to_string())
            };
            match (parsed, json) {
                (Ok(n), true) => {
                    print_json(&json!({"valid": true, "number": n}));
                    Ok(())
                }
                (Ok(n), false) => {
                    println!("{n} is valid");
                    Ok(())
                }
                (Err(e), true) => {
                    print_json(&json!({"valid": false, "input": number, "error": e.to_string()}));
                    Err(CliError::silent())
                }
                (Err(e), false) => Err(CliError::invalid(format!("`{number}` is not valid: {e}"))),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Check a policy file: syntax, types and sense. Exit 1 with every problem when invalid.
    Check {
        file: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the embedded default policy (a starting point for your own).
    PrintDefault,
}

pub fn policy(c: &PolicyCommand) -> Result {
    match c {
        PolicyCommand::PrintDefault => {
            print!("{DEFAULT_POLICY_TOML}");
            Ok(())
        }
        PolicyCommand::Check { file, json } => {
            if *json {
                let src = std::fs::read_to_string(file).map_err(|e| {
                    CliError::invalid(format!("cannot read {}: {e}", file.display()))
                })?;
                return match Policy::from_toml(&src) {
                    Ok(_) => {
                        print_json(&json!({"valid": true, "issues": []}));
                        Ok(())
                    }
                    Err(e) => {
                        print_json(&json!({"valid": false, "issues": e.issues}));
                        Err(CliError::silent())
                    }
                };
            }
            let p = load_policy(Some(file))?;
            let d = p.doc();
            let (from, to) = p.calendar().covered_years();
            println!(
                "{}: valid policy `{}` version {}: {} card types, {} documents, {} stay rules, {} fines, calendar {from}–{to}, deadline {}",
                file.display(),
                d.meta.id,
                d.meta.version,
                d.permit_types.len(),
                d.documents.len(),
                d.stay_rules.len(),
                d.fines.len(),
                d.arrival_notification.deadline,
            );
            Ok(())
        }
    }
}
