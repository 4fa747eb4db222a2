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

/// An administrator's second factor is set up at the first sign-in; a lost phone is reset
/// from the command line (audited), and an account without one is named as such.
#[test]
fn a_lost_second_factor_is_reset_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tirkeu"))
            .current_dir(dir.path())
            .args(args)
            .args(["--database", &url])
            .output()
            .expect("run tirkeu")
    };
    let out = run(&["user", "add", "--role", "admin", "--username", "chief"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("second factor: set up with an authenticator app"),
        "{said}"
    );
    let out = run(&["user", "reset-second-factor", "--username", "chief"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`chief` has no second factor to reset"),
        "{}",
        stderr(&out)
    );
    let out = run(&["user", "reset-second-factor", "--username", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--username: no account `nobody`"));
    raw_sql(
        &url,
        "UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totp_last_step = 5 \
         WHERE username = 'chief'",
    );
    let out = run(&["user", "reset-second-factor", "--username", "chief"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        raw_sql(
            &url,
            "SELECT COALESCE(totp_secret, 'none') FROM users WHERE username = 'chief'"
        ),
        ["none"]
    );
    assert_eq!(
        raw_sql(
            &url,
            "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"
        ),
        ["auth.second_factor_reset"]
    );
}

/// Security events reach the server's log — a failed sign-in, a refusal for too many
/// requests, a sign-out — with the client's network and the account's id, never the username
/// typed or a passport number.
#[test]
fn failed_sign_ins_refusals_and_sign_outs_are_logged_without_personal_data() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let mut add = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .current_dir(dir.path())
        .args(["user", "add", "--database", &url, "--role", "officer"])
        .args([
            "--username",
            "clerk-aigerim",
            "--office",
            "almaty",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long password 123\n")
        .unwrap();
    assert!(add.wait().unwrap().success());
    let mut server = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .current_dir(dir.path())
        .env("TIRKEU_LOOKUP_KEY", "1".repeat(64))
        .env("TIRKEU_WORKER_ENABLED", "false")
        .args(["serve", "--database", &url, "--listen", "127.0.0.1:0"])
        .args(["--data-dir", dir.path().join("data").to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tirkeu serve");
    // The banner and the log, read whole (a reader that stopped would break the pipe).
    let read_all = |from: Box<dyn std::io::Read + Send>,
                    tx: Option<std::sync::mpsc::Sender<String>>| {
        std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(from).lines().map_while(Result::ok) {
                if let (Some(tx), Some((_, b))) = (&tx, line.split_once(" on http://")) {
                    tx.send(format!("http://{}", b.trim())).ok();
                }
                lines.push(line);
            }
            lines.join("\n")
        })
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let out = read_all(Box::new(server.stdout.take().unwrap()), Some(tx));
    let err = read_all(Box::new(server.stderr.take().unwrap()), None);
    let base = rx
        .recv_timeout(std::time::Duration::from_mins(1))
        .expect("the server's address");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let http = reqwest::Client::new();
        let login = |password: &str| {
            http.post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"username": "clerk-aigerim", "password": password}))
                .send()
        };
        assert_eq!(login("wrong guess").await.unwrap().status(), 401);
        let token: Value = login("a long password 123").await.unwrap().json().await.unwrap();
        let out = http
            .post(format!("{base}/api/v1/auth/logout"))
            .bearer_auth(token["token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 204);
        let mut limited = false;
        for _ in 0..40 {
            let r = http
                .post(format!("{base}/api/v1/status"))
                .json(&serde_json::json!({"number": "ABCD-EFGH-JKMN-P", "passport_number": "N7777777"}))
                .send()
                .await
                .unwrap();
            if r.status() == 429 {
                limited = true;
                break;
            }
        }
        assert!(limited, "the status lookup was never limited");
    });
    server.kill().unwrap();
    server.wait().unwrap();
    let log = format!("{}\n{}", out.join().unwrap(), err.join().unwrap());
    for event in [
        "sign-in failed",
        "signed out",
        "request refused: rate limit",
    ] {
        assert!(log.contains(event), "no {event:?} in the log:\n{log}");
    }
    for personal in ["clerk-aigerim", "N7777777", "a long password"] {
        assert!(!log.contains(personal), "{personal:?} in the log:\n{log}");
    }
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

/// `tirkeu` with `envs` set, in `dir`.
fn tirkeu_env(dir: &std::path::Path, envs: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .current_dir(dir)
        .envs(envs.iter().copied())
        .args(args)
        .output()
        .expect("run tirkeu")
}

/// Runs SQL on `url` as someone with database access would.
fn raw_sql(url: &str, sql: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    let stmt = sqlx::AssertSqlSafe(sql.to_owned());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        if url.starts_with("sqlite") {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(stmt)
                .fetch_all(&mut c)
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get::<String, _>(0).unwrap_or_default())
                .collect()
        } else {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(stmt)
                .fetch_all(&mut c)
                .await
                .unwrap()
                .iter()
                .map(|r| r.try_get::<String, _>(0).unwrap_or_default())
                .collect()
        }
    })
}

/// The public key `audit keygen` printed.
fn keygen(dir: &std::path::Path, file: &str) -> String {
    let out = tirkeu_env(dir, &[], &["audit", "keygen", file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("public key: "))
        .expect("a public key line")
        .to_owned()
}

/// Runs `tirkeu serve` with scheduled checkpoints to `cps` every second until one is written,
/// then kills it; answers the checkpoint files.
fn serve_until_a_checkpoint(
    dir: &std::path::Path,
    url: &str,
    lookup: &str,
    cps: &std::path::Path,
) -> Vec<std::path::PathBuf> {
    let key = std::fs::read_to_string(dir.join("audit.key")).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .current_dir(dir)
        .envs([
            ("TIRKEU_LOOKUP_KEY", lookup),
            ("TIRKEU_AUDIT_SIGNING_KEY", key.trim()),
            ("TIRKEU_AUDIT_CHECKPOINT_DIR", cps.to_str().unwrap()),
            ("TIRKEU_AUDIT_CHECKPOINT_EVERY_SECONDS", "1"),
            ("TIRKEU_WORKER_ENABLED", "false"),
        ])
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .args(["--data-dir", dir.join("data").to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start tirkeu serve");
    let written = |cps: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(cps)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "json"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while written(cps).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let files = written(cps);
    assert!(!files.is_empty(), "no checkpoint written in 60 s");
    // Read-only, and no temporary file left behind.
    let mode = std::fs::metadata(&files[0]).unwrap().permissions();
    assert!(mode.readonly(), "{mode:?}");
    assert!(
        std::fs::read_dir(cps).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
    );
    files
}

/// The scheduled checkpoint writer of `tirkeu serve`, and `audit verify` with and without a
/// pinned key, then after the review's attack (a revoked card made valid until 2099).
fn audit_checkpoints_story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let lookup = "11".repeat(32);
    let env = [("TIRKEU_LOOKUP_KEY", lookup.as_str())];
    let public = keygen(dir.path(), "audit.key");
    let other_public = keygen(dir.path(), "other.key");
    let out = tirkeu_env(
        dir.path(),
        &env,
        &["seed", "--database", url, "--cases", "40"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Seeded rows carry their state already: the baseline has nothing to record.
    let out = tirkeu_env(dir.path(), &[], &["audit", "baseline", "--database", url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("0 applications and arrivals"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let cps = dir.path().join("checkpoints");
    let files = serve_until_a_checkpoint(dir.path(), url, &lookup, &cps);
    let cps_arg = cps.to_str().unwrap();
    let file_arg = files[0].to_str().unwrap();

    // Without a pinned key, a checkpoint is refused, not trusted.
    for with in [["--checkpoint-dir", cps_arg], ["--checkpoint", file_arg]] {
        let out = tirkeu_env(
            dir.path(),
            &[],
            &["audit", "verify", "--database", url, with[0], with[1]],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("--public-key is required"),
            "{}",
            stderr(&out)
        );
    }
    let verify = |public: &str| {
        tirkeu_env(
            dir.path(),
            &[],
            &[
                "audit",
                "verify",
                "--database",
                url,
                "--checkpoint-dir",
                cps_arg,
                "--public-key",
                public,
            ],
        )
    };
    let out = verify(&other_public);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not signed with the pinned public key"),
        "{}",
        stderr(&out)
    );
    let out = verify(&public);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("audit log intact"), "{said}");
    assert!(said.contains("matched"), "{said}");

    // The attack: one UPDATE, and the public verify endpoint would say valid until 2099.
    let number = raw_sql(
        url,
        "SELECT number FROM applications WHERE state IN ('issued', 'revoked', 'rejected') ORDER BY id LIMIT 1",
    );
    let number = number.first().expect("the seed issues cards").clone();
    raw_sql(
        url,
        &format!(
            "UPDATE applications SET state = 'issued', valid_until = '2099-12-31' WHERE number = '{number}'"
        ),
    );
    let out = verify(&public);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let shown = tirkeu_core::number::CaseNumber::parse(&number)
        .unwrap()
        .to_string();
    assert!(
        stderr(&out).contains(&format!("application {shown}")),
        "the case is named: {}",
        stderr(&out)
    );
}

#[test]
fn sqlite_audit_checkpoints_need_a_pinned_key_and_rows_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    audit_checkpoints_story(&url);
}

#[test]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
fn postgres_audit_checkpoints_need_a_pinned_key_and_rows_are_checked() {
    let admin = std::env::var("TIRKEU_TEST_POSTGRES_URL").unwrap();
    let name = format!("tirkeu_cli_audit_{}", std::process::id());
    let (base, _) = admin.rsplit_once('/').unwrap();
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        raw_sql(&admin, &sql);
    }
    let url = format!("{base}/{name}");
    audit_checkpoints_story(&url);
    raw_sql(
        &admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
}

/// `tirkeu seed` for millions: batches at once and indexes deferred, with the indexes
/// built again (said on stderr, timed on stdout) and the chain whole; a run killed with
/// its indexes deferred is repaired by the next seed; `--jobs` out of range is refused.
#[test]
fn seed_in_parallel_with_deferred_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let lookup = "22".repeat(32);
    let env = [("TIRKEU_LOOKUP_KEY", lookup.as_str())];
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "seed",
            "--database",
            url.as_str(),
            "--cases",
            "500",
            "--batch",
            "120",
        ];
        a.extend_from_slice(extra);
        a
    };
    let out = tirkeu_env(dir.path(), &env, &args(&["--jobs", "0"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--jobs: must be from 1 to 16"),
        "{}",
        stderr(&out)
    );

    let out = tirkeu_env(dir.path(), &env, &args(&["--jobs", "3", "--defer-indexes"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("seeded 500 cases"), "{stdout}");
    assert!(stdout.contains("s building indexes"), "{stdout}");
    assert!(stderr(&out).contains("deferred "), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("building index 1 of "),
        "{}",
        stderr(&out)
    );

    // As if a run had been killed after setting its indexes aside.
    raw_sql(
        &url,
        "CREATE TABLE seed_deferred_indexes (name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
    );
    raw_sql(
        &url,
        "INSERT INTO seed_deferred_indexes SELECT name, sql FROM sqlite_master WHERE name = 'documents_sha256'",
    );
    raw_sql(&url, "DROP INDEX documents_sha256");
    let out = tirkeu_env(dir.path(), &env, &args(&[]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("built 1 indexes that an interrupted seed had left deferred"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        raw_sql(
            &url,
            "SELECT name FROM sqlite_master WHERE name IN ('documents_sha256', 'seed_deferred_indexes')"
        ),
        ["documents_sha256"]
    );
    let out = tirkeu_env(dir.path(), &env, &["audit", "verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
