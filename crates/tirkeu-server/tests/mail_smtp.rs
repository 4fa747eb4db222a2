//! Real SMTP conversations: `Smtp` talks to a small server (Python's `aiosmtpd`, started by
//! `tests/smtp_sink.py` on a port the system picks) that saves what it receives, answers 451
//! once, or refuses with 550. The received message is read back with Python's own e-mail
//! parser, so subject decoding, MIME parts and headers are checked by a parser that is not
//! ours. The tests that need no sink (a closed port, a server that never speaks, a bad
//! address) always run.

mod common;

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

/// The worker over SMTP (both backends): a submission's receipt meets a server that answers
/// 451 once — the worker records the reply and retries after its backoff, then it arrives — and
/// an information request meets one that refuses with 550: failed at once with the reply,
/// until an administrator sends it again.
async fn the_worker_retries_a_451_and_fails_a_550(s: common::Server) {
    use jiff::{SignedDuration, Timestamp};
    use tirkeu_server::worker::WorkerConfig;
    use tirkeu_store::{Store, with_store};

    let pass = |sink: &Sink, at: Timestamp| {
        let transport = smtp(sink.port, 5);
        let store = s.store.clone();
        let s = &s;
        async move {
            with_store!(&store, st => common::worker(s, st.clone(), transport, WorkerConfig::new(&s.base))
                .run_once(at)
                .await
                .unwrap())
        }
    };
    let now: Timestamp = common::NOW.parse().unwrap();
    let (number, code) = common::submitted_in(&s, "S5500001", "kk").await;
    let sink = Sink::start("tempfail-first");
    let r = pass(&sink, now).await;
    assert_eq!((r.sent, r.retried, r.failed), (0, 1, 0), "{r:?}");
    let id = with_store!(&s.store, st => {
        let failed = st.failed_outbox(None, 10).await.unwrap();
        assert!(failed.is_empty());
        assert_eq!(st.outbox_counts().await.unwrap().pending, 1);
        // Not due again until its backoff (45 to 75 s after the first try) is over.
        let early = pass(&sink, now + SignedDuration::from_secs(40)).await;
        assert_eq!(early.retried + early.sent, 0, "{early:?}");
        let r = pass(&sink, now + SignedDuration::from_secs(80)).await;
        assert_eq!(r.sent, 1, "{r:?}");
        let sent = st.failed_outbox(None, 10).await.unwrap();
        assert!(sent.is_empty());
        st.outbox_counts().await.unwrap().pending
    });
    assert_eq!(id, 0);
    let v = sink.received(1);
    assert!(
        v["subject"].as_str().unwrap().contains(&number)
            || v["parts"][0]["text"].as_str().unwrap().contains(&number),
        "{v}"
    );
    assert!(!v.to_string().contains(&code), "never the access code");
    drop(sink);

    // An officer asks for information; the mail server refuses the recipient for good.
    let a = with_store!(&s.store, st => st.application_by_number(&CaseNumber::parse(&number).unwrap()).await.unwrap());
    common::transition(
        &s,
        &s.officer,
        &number,
        a.version,
        &serde_json::json!({"action": "start_review"}),
    )
    .await;
    common::transition(
        &s,
        &s.officer,
        &number,
        a.version + 1,
        &serde_json::json!({"action": "request_info", "reason": "missing_document"}),
    )
    .await;
    let sink = Sink::start("reject");
    let later = now + SignedDuration::from_mins(5);
    let r = pass(&sink, later).await;
    assert_eq!(
        (r.sent, r.failed),
        (0, 2),
        "review started and the request: {r:?}"
    );
    with_store!(&s.store, st => {
        let failed = st.failed_outbox(None, 10).await.unwrap();
        assert_eq!(failed.len(), 2);
        assert!(failed.iter().all(|m| m.outcome.as_deref() == Some("failed")));
        assert!(
            failed.iter().all(|m| m.last_error.as_deref().is_some_and(|e| e.contains("550"))),
            "{failed:?}"
        );
        // Nothing is retried on its own…
        let r = pass(&sink, later + SignedDuration::from_hours(1)).await;
        assert_eq!(r, tirkeu_server::worker::Report::default());
        // …until an administrator sends it again, now to a server that accepts.
        for m in &failed {
            st.resend_outbox(m.id, later, "user:admin").await.unwrap();
        }
    });
    drop(sink);
    let sink = Sink::start("accept");
    let r = pass(&sink, later + SignedDuration::from_mins(1)).await;
    assert_eq!(r.sent, 2, "{r:?}");
    assert_eq!(sink.count(), 2);
}

mod worker_over_smtp {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(tirkeu_smtp),
        ignore = "SMTP sink not configured: pip install aiosmtpd and set TIRKEU_TEST_SMTP_PYTHON=python3"
    )]
    async fn sqlite() {
        super::common::on_sqlite(super::the_worker_retries_a_451_and_fails_a_550).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(tirkeu_smtp),
        ignore = "SMTP sink not configured: pip install aiosmtpd and set TIRKEU_TEST_SMTP_PYTHON=python3"
    )]
    #[cfg_attr(
        all(tirkeu_smtp, not(tirkeu_pg)),
        ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
    )]
    async fn postgres() {
        super::common::on_postgres(super::the_worker_retries_a_451_and_fails_a_550).await;
    }
}
