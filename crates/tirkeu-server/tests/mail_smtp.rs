//! Real SMTP conversations: `Smtp` talks to a small server (Python's `aiosmtpd`, started by
//! `tests/smtp_sink.py` on a port the system picks) that saves what it receives, answers 451
//! once, or refuses with 550. The received message is read back with Python's own e-mail
//! parser, so subject decoding, MIME parts and headers are checked by a parser that is not
//! ours. The tests that need no sink (a closed port, a server that never speaks, a bad
//! address) always run.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use serde_json::Value;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;
use tirkeu_server::mail::{
    MailDrop, MailFacts, MailKind, Mailbox, Outgoing, Security, SendError, Smtp, SmtpConfig,
    Transport, render,
};

const FROM: &str = "Tirkeu <no-reply@migration.example.kz>";
const TO: &str = "applicant@example.kz";

fn python() -> String {
    std::env::var("TIRKEU_TEST_SMTP_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .expect("TIRKEU_TEST_SMTP_PYTHON: a python3 with aiosmtpd")
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_sink.py")
}

/// The SMTP sink, stopped when dropped.
struct Sink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Sink {
    fn start(mode: &str) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python())
            .arg(script())
            .args(["--mode", mode, "--dir"])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("the SMTP sink printed {line:?}, not a port: is aiosmtpd installed?")
        });
        Sink { child, port, dir }
    }

    /// What the sink saved as its `n`-th message (1-based), as Python read it.
    fn received(&self, n: usize) -> Value {
        let path = self.dir.path().join(format!("{n:03}.json"));
        let start = Instant::now();
        while !path.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "message {n} never arrived"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn count(&self) -> usize {
        std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "json")
            })
            .count()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Python's reading of a message file.
fn parse_file(path: &Path) -> Value {
    let out = Command::new(python())
        .arg(script())
        .arg("--parse")
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn from() -> Mailbox {
    FROM.parse().unwrap()
}

fn smtp(port: u16, timeout_seconds: u64) -> Smtp {
    let config = SmtpConfig {
        port: Some(port),
        security: Security::None,
        timeout_seconds,
        ..SmtpConfig::new("127.0.0.1")
    };
    Smtp::new(&config, from()).unwrap()
}

/// The application number of every test message.
fn number() -> CaseNumber {
    static NUMBER: LazyLock<CaseNumber> = LazyLock::new(CaseNumber::generate);
    *NUMBER
}

fn outgoing(outbox_id: i64, to: &str, lang: Lang) -> Outgoing {
    let mut facts = MailFacts::new(lang, MailKind::Receipt);
    facts.case_number = Some(number());
    facts.permit_type = Some("work".into());
    Outgoing {
        outbox_id,
        to: to.into(),
        lang,
        rendered: render(&Policy::default_kz(), "https://tirkeu.example.kz", &facts),
    }
}

fn header<'a>(v: &'a Value, name: &str) -> &'a str {
    v["headers"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} header in {v:#}"))
}

/// The checks both transports' messages must pass, as Python reads them.
fn check_message(v: &Value, m: &Outgoing) {
    assert_eq!(v["subject"], m.rendered.subject.as_str(), "decoded subject");
    assert_eq!(v["content_type"], "multipart/alternative");
    assert_eq!(
        header(v, "message-id"),
        format!("<{}.outbox@migration.example.kz>", m.outbox_id)
    );
    assert_eq!(header(v, "content-language"), m.lang.code());
    assert_eq!(header(v, "auto-submitted"), "auto-generated");
    assert_eq!(header(v, "mime-version"), "1.0");
    assert!(header(v, "from").contains("no-reply@migration.example.kz"));
    assert_eq!(header(v, "to"), TO);
    assert!(!header(v, "date").is_empty());
    let parts = v["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2, "{parts:#?}");
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(parts[1]["content_type"], "text/html");
    for (part, sent) in parts.iter().zip([&m.rendered.text, &m.rendered.html]) {
        assert_eq!(part["charset"], "utf-8");
        let text = part["text"].as_str().unwrap().replace("\r\n", "\n");
        assert_eq!(text.trim_end(), sent.replace("\r\n", "\n").trim_end());
        assert!(text.contains(&number().to_string()));
    }
}

#[tokio::test]
#[cfg_attr(
    not(tirkeu_smtp),
    ignore = "SMTP sink not configured: pip install aiosmtpd and set TIRKEU_TEST_SMTP_PYTHON=python3"
)]
async fn a_message_arrives_whole_with_both_parts_and_its_headers() {
    let sink = Sink::start("accept");
    for (i, lang) in Lang::ALL.into_iter().enumerate() {
        let m = outgoing(4242 + i64::try_from(i).unwrap(), TO, lang);
        smtp(sink.port, 5).send(&m).await.unwrap();
        let v = sink.received(i + 1);
        check_message(&v, &m);
        assert_eq!(v["rcpt_tos"], serde_json::json!([TO]));
        assert_eq!(v["mail_from"], "no-reply@migration.example.kz");
    }
    let kk = sink.received(1);
    assert!(
        kk["subject"]
            .as_str()
            .unwrap()
            .contains("Өтініш қабылданды")
    );
    assert!(
        kk["parts"][1]["text"]
            .as_str()
            .unwrap()
            .contains("<html lang=\"kk\">")
    );
}

#[tokio::test]
#[cfg_attr(
    not(tirkeu_smtp),
    ignore = "SMTP sink not configured: pip install aiosmtpd and set TIRKEU_TEST_SMTP_PYTHON=python3"
)]
async fn a_451_is_temporary_and_the_retry_is_the_same_message() {
    let sink = Sink::start("tempfail-first");
    let transport = smtp(sink.port, 5);
    let m = outgoing(77, TO, Lang::Ru);
    let first = transport.send(&m).await.unwrap_err();
    assert!(
        matches!(&first, SendError::Temporary(t) if t.contains("451")),
        "{first:?}"
    );
    assert_eq!(first.kind(), "temporary");
    // The error names the server and its reply, never the message.
    assert!(
        first
            .message()
            .contains(&format!("127.0.0.1:{}", sink.port))
    );
    assert!(!first.message().contains(&number().to_string()));
    transport.send(&m).await.unwrap();
    let v = sink.received(1);
    check_message(&v, &m);
    assert_eq!(header(&v, "message-id"), "<77.outbox@migration.example.kz>");
    assert_eq!(sink.count(), 1);
}

#[tokio::test]
#[cfg_attr(
    not(tirkeu_smtp),
    ignore = "SMTP sink not configured: pip install aiosmtpd and set TIRKEU_TEST_SMTP_PYTHON=python3"
)]
async fn a_550_is_permanent() {
    let sink = Sink::start("reject");
    let e = smtp(sink.port, 5)
        .send(&outgoing(5, TO, Lang::En))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, SendError::Permanent(t) if t.contains("550") && t.contains("sending")),
        "{e:?}"
    );
    assert_eq!(e.kind(), "permanent");
    assert_eq!(sink.count(), 0);
}

#[tokio::test]
#[cfg_attr(
    not(tirkeu_smtp),
    ignore = "SMTP sink not configured: pip install aiosmtpd and set TIRKEU_TEST_SMTP_PYTHON=python3"
)]
async fn a_mail_drop_file_is_the_same_message() {
    let dir = tempfile::tempdir().unwrap();
    let drop = MailDrop::new(dir.path().join("mail"), from()).unwrap();
    let m = outgoing(9001, TO, Lang::Zh);
    drop.send(&m).await.unwrap();
    check_message(&parse_file(&drop.path_for(9001)), &m);
}

#[tokio::test]
async fn a_closed_port_is_temporary() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let e = smtp(port, 5)
        .send(&outgoing(1, TO, Lang::En))
        .await
        .unwrap_err();
    assert!(e.is_temporary(), "{e:?}");
    assert!(e.message().contains(&format!("127.0.0.1:{port}")), "{e:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_temporary_within_the_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept every connection and keep it open without a word.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let start = Instant::now();
    let e = smtp(port, 1)
        .send(&outgoing(2, TO, Lang::En))
        .await
        .unwrap_err();
    let took = start.elapsed();
    assert!(e.is_temporary(), "{e:?}");
    // The first step (connecting and the greeting) has 1 s.
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(e.message().contains("connecting"), "{e:?}");
}

#[tokio::test]
async fn an_invalid_recipient_is_permanent_and_named() {
    // A closed port: had it tried to connect, the error would be temporary.
    let e = smtp(9, 5)
        .send(&outgoing(3, "not an address", Lang::En))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, SendError::Permanent(t) if t.contains("not an address")),
        "{e:?}"
    );
}
