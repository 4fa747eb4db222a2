//! The calculator commands as a user runs them: output, JSON keys and exit codes
//! (0 valid, 1 invalid input, 2 bad usage).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const TD3: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];

fn tirkeu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args(args)
        .output()
        .expect("run tirkeu")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn mrz_reports_every_key_and_exit_code() {
    let out = tirkeu(&["mrz", "--json", TD3[0], TD3[1]]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    for key in [
        "valid",
        "format",
        "document_number",
        "issuing_state",
        "nationality",
        "surname",
        "given_names",
        "birth_date",
        "sex",
        "expiry_date",
        "errors",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["valid"], true);
    assert_eq!(v["format"], "TD3");
    assert_eq!(v["surname"], "ERIKSSON");
    assert_eq!(v["given_names"], "ANNA MARIA");
    assert_eq!(v["birth_date"], "1974-08-12");

    let bad = TD3[1].replacen("7408122", "7408123", 1);
    let out = tirkeu(&["mrz", "--json", TD3[0], &bad]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert!(
        v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "birth_date")
    );

    let out = tirkeu(&["mrz", TD3[0], &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("birth_date: check digit"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn mrz_reads_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args(["mrz", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{}\n{}", TD3[0], TD3[1]).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["document_number"], "L898902C3");
}

#[test]
fn stay_with_an_explicit_rule_and_with_a_nationality() {
    // 90 days used from 1 January to 31 March 2026; on 1 May nothing is left.
    let out = tirkeu(&[
        "stay",
        "--json",
        "--limit",
        "90",
        "--window",
        "180",
        "--stay",
        "2026-01-01:2026-03-31",
        "--on",
        "2026-05-01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["days_used"], 90);
    assert_eq!(v["days_left"], 0);
    assert_eq!(v["overstay_days"], 0);
    assert_eq!(v["last_legal_day"], Value::Null);
    assert_eq!(v["needs_card"], true);

    let out = tirkeu(&[
        "stay",
        "--json",
        "--nationality",
        "deu",
        "--stay",
        "2026-06-01:",
        "--on",
        "2026-06-10",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["days_used"], 10);
    // 30 days per entry: 1 June + 29 days.
    assert_eq!(v["last_legal_day"], "2026-06-30");
    assert_eq!(v["needs_card"], false);
    assert!(v["rule_id"].is_string());
}

#[test]
fn stay_errors_name_the_flag() {
    let out = tirkeu(&[
        "stay",
        "--limit",
        "90",
        "--window",
        "180",
        "--stay",
        "2026-02-01:2026-01-01",
        "--on",
        "2026-03-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--stay: stay 1: exit 2026-01-01 is before entry 2026-02-01"),
        "{}",
        stderr(&out)
    );
    let out = tirkeu(&[
        "stay",
        "--limit",
        "90",
        "--window",
        "180",
        "--stay",
        "2026-01-01:",
        "--on",
        "2026-13-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--on"), "{}", stderr(&out));
    let out = tirkeu(&[
        "stay",
        "--limit",
        "200",
        "--window",
        "180",
        "--stay",
        "2026-01-01:",
        "--on",
        "2026-02-01",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--limit"), "{}", stderr(&out));
    // Bad usage: a rule and a nationality at once, or neither.
    assert_eq!(
        tirkeu(&[
            "stay",
            "--nationality",
            "DEU",
            "--limit",
            "90",
            "--window",
            "180",
            "--stay",
            "2026-01-01:"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        tirkeu(&["stay", "--stay", "2026-01-01:"]).status.code(),
        Some(2)
    );
}

#[test]
fn deadline_in_working_days_and_hours_with_fines() {
    let out = tirkeu(&[
        "deadline",
        "--json",
        "--arrival",
        "2026-03-19T10:00:00+05:00",
        "--notified",
        "2026-03-30T09:00:00+05:00",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["deadline"], "2026-03-27T23:59:59+05:00");
    assert_eq!(v["late"], true);
    assert!(v["fine"]["kzt"].as_u64().is_some(), "{v}");

    let out = tirkeu(&[
        "deadline",
        "--json",
        "--arrival",
        "2026-03-19T05:00:00Z",
        "--rule",
        "72h",
    ]);
    let v = json(&out);
    assert_eq!(v["deadline"], "2026-03-22T10:00:00+05:00");
    assert!(v.get("late").is_none());

    let out = tirkeu(&[
        "deadline",
        "--arrival",
        "2026-03-19T10:00:00Z",
        "--rule",
        "3days",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--rule"));
    let out = tirkeu(&["deadline", "--arrival", "2031-01-01T10:00:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("calendar covers"), "{}", stderr(&out));
    assert_eq!(tirkeu(&["deadline"]).status.code(), Some(2));
}

#[test]
fn numbers_are_generated_and_checked() {
    let out = tirkeu(&["number", "new", "--count", "5", "--json"]);
    let numbers: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(numbers.len(), 5);
    for n in &numbers {
        let sloppy = n.to_lowercase().replace('-', " ");
        assert_eq!(tirkeu(&["number", "check", &sloppy]).status.code(), Some(0));
        let mut chars: Vec<char> = n.chars().collect();
        chars[0] = if chars[0] == '7' { '8' } else { '7' };
        let typo: String = chars.into_iter().collect();
        let out = tirkeu(&["number", "check", &typo]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("check character"));
    }
}

#[test]
fn policy_check_reports_line_and_field() {
    let dir = std::env::temp_dir().join(format!("tirkeu-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let default = tirkeu(&["policy", "print-default"]).stdout;
    let good = dir.join("good.toml");
    std::fs::write(&good, &default).unwrap();
    let out = tirkeu(&["policy", "check", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let text = String::from_utf8(default).unwrap();
    let broken = text.replacen("window_days = 180", "window_days = 0", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("window_days = 0"))
        .unwrap()
        + 1;
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, broken).unwrap();
    let out = tirkeu(&["policy", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("bad.toml:{line}: stay_rules[0].window_days")),
        "{err}"
    );

    let out = tirkeu(&["policy", "check", "--json", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["issues"][0]["line"], line);
    let out = tirkeu(&[
        "policy",
        "check",
        dir.join("missing.toml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot read"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn no_arguments_is_bad_usage() {
    assert_eq!(tirkeu(&[]).status.code(), Some(2));
    assert_eq!(tirkeu(&["frobnicate"]).status.code(), Some(2));
}

/// `tirkeu user add` in a fresh directory with the database `url`.
fn user_add(dir: &std::path::Path, url: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .current_dir(dir)
        .args(["user", "add", "--database", url, "--role", "host"])
        .args(extra)
        .output()
        .expect("run tirkeu")
}

#[test]
fn user_add_keeps_a_hosts_email_and_language_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let out = user_add(
        dir.path(),
        &url,
        &[
            "--username",
            "inn",
            "--email",
            "front desk@inn",
            "--language",
            "fr",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("--email: Enter an e-mail address like name@example.org."),
        "{err}"
    );
    assert!(err.contains("--language: Unknown language \"fr\""), "{err}");

    let out = user_add(
        dir.path(),
        &url,
        &[
            "--username",
            "inn",
            "--email",
            " Desk@Inn.EXAMPLE ",
            "--language",
            "ru",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stored = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection as _;
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_as::<_, (Option<String>, Option<String>)>(
            "SELECT email, language FROM users WHERE username = 'inn'",
        )
        .fetch_one(&mut c)
        .await
        .unwrap()
    });
    assert_eq!(
        stored,
        (Some("Desk@inn.example".to_owned()), Some("ru".to_owned()))
    );
}

#[test]
fn config_show_hides_every_secret_and_the_database_password() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tirkeu.toml");
    std::fs::write(
        &file,
        "database_url = \"postgres://tirkeu:hunter2@db.internal:5432/tirkeu?sslmode=require&sslpassword=s3cret\"\n\
         lookup_key = \"1111111111111111111111111111111111111111111111111111111111111111\"\n\
         [http]\n\
         trusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\"]\n\
         metrics_token = \"metrics-token-that-is-long-enough\"\n\
         [mail.transport]\n\
         kind = \"smtp\"\n\
         host = \"smtp.example.kz\"\n\
         username = \"tirkeu\"\n\
         password = \"smtp-password\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args(["--config", file.to_str().unwrap(), "config", "show"])
        .env("TIRKEU_AUDIT_SIGNING_KEY", "2222222222222222")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains(
            "postgres://tirkeu:***@db.internal:5432/tirkeu?sslmode=require&sslpassword=***"
        ),
        "{shown}"
    );
    for secret in [
        "hunter2",
        "s3cret",
        "1111111111",
        "2222222222",
        "metrics-token",
        "smtp-password",
    ] {
        assert!(!shown.contains(secret), "`{secret}` shown: {shown}");
    }
    assert!(shown.contains("10.0.0.0/8"), "{shown}");

    // A trusted proxy that is not an address is refused, naming the setting.
    std::fs::write(&file, "[http]\ntrusted_proxies = [\"proxy.internal\"]\n").unwrap();
    let out = tirkeu(&["--config", file.to_str().unwrap(), "config", "show"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("http.trusted_proxies"),
        "{}",
        stderr(&out)
    );
}
