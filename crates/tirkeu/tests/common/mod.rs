//! What the tests that run the real `tirkeu serve` share (`tests/crash_http.rs`,
//! `tests/multi_instance.rs`): starting and killing server processes, a scratch PostgreSQL
//! database, and an applicant who creates an application, uploads its documents and submits.
#![allow(dead_code)]

#[path = "../../../tirkeu-server/tests/common/files.rs"]
pub mod files;
#[path = "../../../tirkeu-server/tests/common/s3.rs"]
pub mod s3;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tirkeu_core::policy::Policy;

/// The passport lookup key the test servers share.
pub const KEY: &str = "1111111111111111111111111111111111111111111111111111111111111111";

/// A server process, killed on every exit from the test, a failing one included.
pub struct Server(pub Child);

impl Server {
    /// SIGKILL, and wait until it is gone.
    pub fn kill(&mut self) {
        self.0.kill().expect("SIGKILL tirkeu serve");
        self.0.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `tirkeu serve` on `url` with `envs`, on a free port of 127.0.0.1; answers the process and
/// the base URL it listens at, once it listens. With `TIRKEU_PUBLIC_URL` among `envs` that
/// is the address the banner gives besides the public URL.
pub fn start_server(url: &str, data: &Path, envs: &[(&str, &str)]) -> (Server, String) {
    let behind_proxy = envs.iter().any(|(k, _)| *k == "TIRKEU_PUBLIC_URL");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(data)
        .env("TIRKEU_LOG", "error")
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tirkeu serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the banner for the address, then drains stdout so the server never blocks on it.
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let base = if behind_proxy {
                line.trim_start().strip_prefix("listening").map(str::trim)
            } else {
                line.split_once(" on http://").map(|(_, b)| b.trim())
            };
            if let Some(base) = base
                && let Some(tx) = tx.take()
            {
                let base = base.trim_start_matches("http://");
                tx.send(format!("http://{base}")).ok();
            }
        }
    });
    let server = Server(child);
    let base = rx
        .recv_timeout(Duration::from_mins(1))
        .unwrap_or_else(|e| panic!("tirkeu serve printed no address: {e}"));
    (server, base)
}

/// A fresh PostgreSQL database on the server of `TIRKEU_TEST_POSTGRES_URL`, dropped when
/// this is.
pub struct ScratchDb {
    admin: String,
    name: String,
    pub url: String,
}

impl ScratchDb {
    pub fn create(prefix: &str) -> ScratchDb {
        let admin = std::env::var("TIRKEU_TEST_POSTGRES_URL").expect("TIRKEU_TEST_POSTGRES_URL");
        let name = format!("{prefix}_{}", std::process::id());
        let (base, _) = admin.rsplit_once('/').unwrap();
        let db = ScratchDb {
            url: format!("{base}/{name}"),
            admin,
            name,
        };
        db.run(format!("DROP DATABASE IF EXISTS {}", db.name));
        db.run(format!("CREATE DATABASE {}", db.name));
        db
    }

    fn run(&self, sql: String) {
        use sqlx::Connection;
        let admin = self.admin.clone();
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut c)
                    .await
                    .unwrap();
            });
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        self.run(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

/// The documents a card of type work requires, each with whether it is sent as a PDF.
pub fn required_documents() -> Vec<(String, bool)> {
    let policy = Policy::default_kz();
    policy
        .permit_type("work")
        .unwrap()
        .documents
        .iter()
        .filter(|c| c.required)
        .map(|c| {
            let pdf = policy
                .document(&c.id)
                .unwrap()
                .content_types
                .iter()
                .any(|t| t == "application/pdf");
            (c.id.clone(), pdf)
        })
        .collect()
}

/// The bytes applicant `n` uploads as its `i`th document (each distinct).
pub fn document_bytes(n: u64, i: usize, is_pdf: bool) -> Vec<u8> {
    let unique = n * 16 + u64::try_from(i).unwrap();
    if is_pdf {
        files::unique_pdf(unique)
    } else {
        files::unique_png(unique)
    }
}

/// A submission the server acknowledged, with the documents whose uploads it acknowledged
/// (id and sha256 as the server answered them).
#[derive(Debug)]
pub struct Acked {
    pub number: String,
    pub passport: String,
    pub documents: Vec<(i64, String)>,
}

/// What one applicant's attempt came to.
#[derive(Debug)]
pub enum Outcome {
    Acked(Acked),
    /// The server answered with something other than success: a real failure.
    Refused(String),
    /// No answer (the server was killed, or a connection broke with it): what came instead.
    NoAnswer(String),
    /// The submit of this number was sent and no answer came (what came instead): it may or
    /// may not have been committed.
    InDoubt(String, String),
}

/// The passport number of applicant `n`.
pub fn passport_of(n: u64) -> String {
    format!("H{n:08}")
}

/// One applicant: creates an application, uploads every required document, submits.
pub async fn apply(http: &reqwest::Client, base: &str, n: u64, docs: &[(String, bool)]) -> Outcome {
    let arrival = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .checked_sub(jiff::Span::new().days(2))
        .unwrap();
    let passport = passport_of(n);
    let created = http
        .post(format!("{base}/api/v1/applications"))
        .json(&json!({
            "permit_type": "work", "language": "en",
            "applicant": {
                "surname": "ERIKSSON", "given_names": "ANNA MARIA",
                "passport_number": passport,
                "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F",
                "passport_expiry": "2034-04-15"
            },
            "contact": {"email": "anna@example.org"},
            "address": {"city": "Almaty", "line": "Abay 10, apt 5"},
            "arrival_date": arrival.to_string()
        }))
        .send()
        .await;
    let created = match answered(created, 201).await {
        Answer::Json(v) => v,
        Answer::Other(e) => return Outcome::Refused(format!("create: {e}")),
        Answer::None(e) => return Outcome::NoAnswer(format!("create: {e}")),
    };
    let number = created["number"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    let mut documents = Vec::new();
    for (i, (kind, is_pdf)) in docs.iter().enumerate() {
        let form = Form::new().text("kind", kind.clone()).part(
            "file",
            Part::bytes(document_bytes(n, i, *is_pdf)).file_name("x.bin"),
        );
        let sent = http
            .post(format!("{base}/api/v1/applications/{number}/documents"))
            .bearer_auth(&code)
            .multipart(form)
            .send()
            .await;
        match answered(sent, 201).await {
            Answer::Json(d) => documents.push((
                d["document_id"].as_i64().unwrap(),
                d["sha256"].as_str().unwrap().to_owned(),
            )),
            Answer::Other(e) => return Outcome::Refused(format!("upload {kind} to {number}: {e}")),
            Answer::None(e) => return Outcome::NoAnswer(format!("upload {kind}: {e}")),
        }
    }
    let sent = http
        .post(format!("{base}/api/v1/applications/{number}/submit"))
        .bearer_auth(&code)
        .json(&json!({}))
        .send()
        .await;
    match answered(sent, 200).await {
        Answer::Json(v) => {
            assert_eq!(v["status"], "submitted", "{v}");
            Outcome::Acked(Acked {
                number,
                passport,
                documents,
            })
        }
        Answer::Other(e) => Outcome::Refused(format!("submit {number}: {e}")),
        Answer::None(e) => Outcome::InDoubt(number, e),
    }
}

/// What came back for a request.
pub enum Answer {
    /// The status wanted, and its JSON.
    Json(Value),
    /// Another answer from tirkeu (its status and body), or a body that is not JSON.
    Other(String),
    /// No whole answer from tirkeu — none at all, or a load balancer's own 502/503/504
    /// (tirkeu's answers are problem documents); what happened instead.
    None(String),
}

/// What `sent` came to, wanting `want`.
pub async fn answered(sent: reqwest::Result<reqwest::Response>, want: u16) -> Answer {
    let r = match sent {
        Ok(r) => r,
        Err(e) => return Answer::None(error_chain(&e)),
    };
    let status = r.status().as_u16();
    let from_tirkeu = r
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/"));
    if matches!(status, 502..=504) && !from_tirkeu {
        return Answer::None(format!("{status} from the load balancer"));
    }
    let body = match r.bytes().await {
        Ok(b) => b,
        Err(e) => return Answer::None(error_chain(&e)),
    };
    if status == want {
        serde_json::from_slice(&body).map_or_else(|e| Answer::Other(format!("{e}")), Answer::Json)
    } else {
        Answer::Other(format!("{status}: {}", String::from_utf8_lossy(&body)))
    }
}

/// An error with its causes, innermost last.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
