//! The worker's rules and delivery, one pass at chosen instants (`Worker::run_once`, what
//! `tirkeu worker run-once --now` runs), on both backends: just before and just after each
//! deadline, in Asia/Almaty with the working-day calendar. Messages go to a real mail drop
//! whose `.eml` files the tests read.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::{NOW, Server, ok_json, submitted_in, transition};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tirkeu_core::lifecycle::State;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_server::mail::{AnyTransport, MailConfig, TransportConfig};
use tirkeu_server::upload::DocumentStore;
use tirkeu_server::worker::{Report, Worker, WorkerConfig};
use tirkeu_store::{Store, with_store};

on_both!(
    a_submission_leaves_a_receipt_in_the_applicants_language,
    an_unanswered_information_request_is_abandoned_after_its_deadline,
    a_draft_is_abandoned_after_thirty_days_and_blocks_nobody,
    cards_are_reminded_before_and_expire_after_their_last_day,
    closed_cases_lose_their_personal_data_after_the_retention_period,
    two_workers_send_each_message_once_and_take_over_a_dead_one_s_claims,
);

fn mail_dir(s: &Server) -> PathBuf {
    s.dir.path().join("mail")
}

/// One pass at `at`, with a fresh worker (a new name, as a restarted process has).
async fn run(s: &Server, at: &str) -> Report {
    let at: Timestamp = at.parse().unwrap();
    let mut config = WorkerConfig::new(&s.base);
    config.mail_drop = Some(mail_dir(s));
    let drop = AnyTransport::from_config(
        &MailConfig {
            transport: TransportConfig::Drop {
                dir: Some(mail_dir(s)),
            },
            ..MailConfig::default()
        },
        s.dir.path(),
    )
    .unwrap();
    with_store!(&s.store, st => common::worker(s, st.clone(), drop, config).run_once(at).await.unwrap())
}

/// The mail drop's messages, oldest first: `(file name, text)`.
fn mails(s: &Server) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(mail_dir(s))
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|(name, _)| name.trim_end_matches(".eml").parse::<i64>().unwrap_or(0));
    out
}

/// The decoded text of a message: quoted-printable and base64 bodies made readable, so that
/// a test can look for words.
fn readable(eml: &str) -> String {
    fn bodies(p: &mailparse::ParsedMail<'_>, out: &mut String) {
        if p.subparts.is_empty() {
            out.push_str(&p.get_body().unwrap_or_default());
            out.push('\n');
        }
        for sp in &p.subparts {
            bodies(sp, out);
        }
    }
    let parsed = mailparse::parse_mail(eml.as_bytes()).unwrap();
    let mut out = String::new();
    for h in &parsed.headers {
        out.push_str(&h.get_key());
        out.push_str(": ");
        out.push_str(&h.get_value());
        out.push('\n');
    }
    bodies(&parsed, &mut out);
    out
}

async fn case(s: &Server, number: &str) -> tirkeu_store::Application {
    let n = CaseNumber::parse(number).unwrap();
    with_store!(&s.store, st => st.application_by_number(&n).await.unwrap())
}

async fn act(s: &Server, number: &str, body: Value) -> Value {
    let version = case(s, number).await.version;
    // The decisions take a second person: the supervisor approves and issues.
    let token = match body["action"].as_str() {
        Some("approve" | "issue") => &s.supervisor,
        _ => &s.officer,
    };
    ok_json(
        transition(s, token, number, version, &body).await,
        StatusCode::OK,
    )
    .await
}

fn at(t: Timestamp, offset: SignedDuration) -> String {
    (t + offset).to_string()
}

async fn a_submission_leaves_a_receipt_in_the_applicants_language(s: Server) {
    let (number, code) = submitted_in(&s, "W1000001", "ru").await;
    let r = run(&s, NOW).await;
    assert_eq!((r.sent, r.failed, r.retried), (1, 0, 0), "{r:?}");
    let all = mails(&s);
    assert_eq!(all.len(), 1);
    let text = readable(&all[0].1);
    assert!(text.contains("To: anna@example.org"), "{text}");
    assert!(
        text.contains(&number),
        "the number is in the receipt: {text}"
    );
    assert!(
        !text.contains(&code),
        "the access code is never sent by e-mail"
    );
    assert!(text.contains("Content-Language: ru"), "{text}");
    assert!(
        text.chars().any(|c| ('а'..='я').contains(&c)),
        "in Russian: {text}"
    );
    // Sent once: a second pass has nothing to do, and the file is the outbox id's.
    assert_eq!(run(&s, NOW).await, Report::default());
    assert_eq!(mails(&s).len(), 1);
}

/// A case in review for the officer; the information request's decision instant is NOW.
async fn info_requested(s: &Server, passport: &str) -> String {
    let (number, _) = submitted_in(s, passport, "en").await;
    act(s, &number, json!({"action": "start_review"})).await;
    act(
        s,
        &number,
        json!({"action": "request_info", "reason": "missing_document"}),
    )
    .await;
    number
}

async fn an_unanswered_information_request_is_abandoned_after_its_deadline(s: Server) {
    let number = info_requested(&s, "W1000002").await;
    let due = case(&s, &number).await.respond_by.unwrap();
    // NOW is Wednesday 2 December 2026, 11:00 in Almaty; ten working days on, to the end of
    // the day: Wednesday 16 December is Independence Day, so Thursday the 17th, 23:59:59.
    let policy = Policy::default_kz();
    assert_eq!(
        due.to_zoned_datetime(policy.time_zone().clone())
            .strftime("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
        "2026-12-17 23:59:59 +05:00"
    );
    // The request itself was mailed at NOW (with the receipt and "review started").
    let r = run(&s, NOW).await;
    assert_eq!(r.sent, 3, "{r:?}");
    let request = readable(&mails(&s)[2].1);
    assert!(
        request.contains("17"),
        "the deadline is in the message: {request}"
    );

    let r = run(&s, &at(due, SignedDuration::ZERO)).await;
    assert_eq!(r.info_requests_abandoned, 0, "on time to its last second");
    assert_eq!(case(&s, &number).await.state, State::InfoRequested);
    let r = run(&s, &at(due, SignedDuration::from_secs(1))).await;
    assert_eq!(
        (r.info_requests_abandoned, r.sent),
        (1, 1),
        "abandoned and told: {r:?}"
    );
    let a = case(&s, &number).await;
    assert_eq!(a.state, State::Abandoned);
    let history = with_store!(&s.store, st => st.case_history(a.id).await.unwrap());
    let last = history.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("system", "application.abandon")
    );
    // Nothing more to do.
    let r = run(&s, &at(due, SignedDuration::from_hours(1))).await;
    assert_eq!((r.info_requests_abandoned, r.sent), (0, 0));
}

async fn a_draft_is_abandoned_after_thirty_days_and_blocks_nobody(s: Server) {
    let body = json!({
        "permit_type": "study", "language": "kk",
        "applicant": {
            "surname": "ERIKSSON", "given_names": "ANNA", "passport_number": "D7000001",
            "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"
        },
        "contact": {"email": "anna@example.org"},
        "address": {"city": "Almaty", "line": "Abay 10"},
    });
    let first = ok_json(
        s.post("/api/v1/applications", None, &body).await,
        StatusCode::CREATED,
    )
    .await;
    // Anyone may start another draft for the same passport: a draft blocks nobody.
    ok_json(
        s.post("/api/v1/applications", None, &body).await,
        StatusCode::CREATED,
    )
    .await;
    let number = first["number"].as_str().unwrap();
    let created: Timestamp = NOW.parse().unwrap();
    let thirty = SignedDuration::from_hours(24 * 30);
    let r = run(&s, &at(created, thirty - SignedDuration::from_secs(1))).await;
    assert_eq!(r.drafts_abandoned, 0);
    let r = run(&s, &at(created, thirty)).await;
    assert_eq!(r.drafts_abandoned, 2, "{r:?}");
    assert_eq!(case(&s, number).await.state, State::Abandoned);
    // Each applicant is told, in Kazakh.
    assert_eq!(r.sent, 2);
    assert!(readable(&mails(&s)[0].1).contains("Content-Language: kk"));
}

/// A card issued at NOW valid through `until` (a civil date).
async fn issued(s: &Server, passport: &str, until: &str) -> String {
    let (number, _) = submitted_in(s, passport, "zh").await;
    act(s, &number, json!({"action": "start_review"})).await;
    act(s, &number, json!({"action": "approve"})).await;
    act(
        s,
        &number,
        json!({"action": "schedule_collection", "collection": {"at": "2026-12-03T10:00:00+05:00", "place": "Almaty, window 4"}}),
    )
    .await;
    act(
        s,
        &number,
        json!({"action": "issue", "valid_from": "2026-12-02", "valid_until": until}),
    )
    .await;
    number
}

async fn cards_are_reminded_before_and_expire_after_their_last_day(s: Server) {
    let number = issued(&s, "W1000003", "2027-06-30").await;
    let r = run(&s, NOW).await;
    assert_eq!(
        r.sent, 5,
        "receipt, review, approved, collection, issued: {r:?}"
    );
    // Almaty is UTC+5: the local day starts at 19:00 UTC the day before.
    let local = |day: &str, time: &str| format!("{day}T{time}+05:00[Asia/Almaty]");
    let pass = |day: &str, time: &str| {
        let t: jiff::ZonedDateTime = local(day, time).parse().unwrap();
        t.timestamp().to_string()
    };
    // 31 days before: nothing; 30 days before (31 May local): one reminder, once.
    let r = run(&s, &pass("2027-05-30", "23:59:59")).await;
    assert_eq!(r.expiry_reminders, 0);
    let r = run(&s, &pass("2027-05-31", "00:00:01")).await;
    assert_eq!((r.expiry_reminders, r.sent), (1, 1), "{r:?}");
    let reminder = readable(&mails(&s).last().unwrap().1);
    assert!(reminder.contains("Content-Language: zh"), "{reminder}");
    assert!(
        reminder.contains("/zh/renew"),
        "a link to renew: {reminder}"
    );
    let r = run(&s, &pass("2027-06-10", "12:00:00")).await;
    assert_eq!(r.expiry_reminders, 0, "the 30-day reminder is sent once");
    // 7 days before: the second reminder.
    let r = run(&s, &pass("2027-06-23", "00:00:01")).await;
    assert_eq!(r.expiry_reminders, 1);
    // Valid through its last day; expired the next local day.
    let r = run(&s, &pass("2027-06-30", "23:59:59")).await;
    assert_eq!(r.cards_expired, 0);
    assert_eq!(case(&s, &number).await.state, State::Issued);
    let r = run(&s, &pass("2027-07-01", "00:00:01")).await;
    assert_eq!((r.cards_expired, r.sent), (1, 1), "{r:?}");
    assert_eq!(case(&s, &number).await.state, State::Expired);
}

async fn closed_cases_lose_their_personal_data_after_the_retention_period(s: Server) {
    let (number, code) = submitted_in(&s, "W1000004", "en").await;
    let a = case(&s, &number).await;
    // A host's arrival notification, two hours after the guest came: its deadline is three
    // working days later (to the end of Monday 7 December 2026 in Almaty).
    let arrival = ok_json(
        s.post(
            "/api/v1/arrivals",
            Some(&s.host),
            &json!({
                "guest": {"surname": "LI", "given_names": "WEI", "passport_number": "E12345678", "nationality": "CHN", "birth_date": "1990-05-01", "sex": "M", "passport_expiry": "2032-01-01"},
                "arrived_at": "2026-12-02T04:00:00Z", "address": {"city": "Almaty", "line": "Dostyk 5"}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let arrival_id = arrival["id"].as_i64().unwrap();
    let arrival_deadline: Timestamp = "2026-12-07T18:59:59Z".parse().unwrap();
    ok_json(
        s.post(
            &format!("/api/v1/applications/{number}/withdraw"),
            Some(&code),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let docs = with_store!(&s.store, st => st.documents(a.id).await.unwrap());
    assert!(!docs.is_empty());
    let documents = DocumentStore::open(&s.dir.path().join("documents")).unwrap();
    assert!(documents.get(&docs[0].sha256).await.is_ok());
    run(&s, NOW).await;
    assert!(!mails(&s).is_empty());

    let closed: Timestamp = NOW.parse().unwrap();
    let mut mail_deleted = 0;
    let retention = SignedDuration::from_hours(24 * 1825);
    let r = run(&s, &at(closed, retention - SignedDuration::from_secs(1))).await;
    mail_deleted += r.mail_files_deleted;
    assert_eq!(r.cases_purged, 0);
    let r = run(&s, &at(closed, retention)).await;
    mail_deleted += r.mail_files_deleted;
    assert_eq!(r.cases_purged, 1, "{r:?}");
    assert_eq!(r.arrivals_purged, 0, "the arrival's deadline is later");
    assert!(r.documents_deleted >= 1);
    assert!(r.messages_purged >= 2, "{r:?}");
    let purged = case(&s, &number).await;
    assert!(purged.purged_at.is_some());
    assert_eq!(purged.applicant.surname, "");
    assert_eq!(purged.applicant.passport_number, "");
    assert_eq!(purged.email, None);
    assert_eq!(
        purged.state,
        State::Withdrawn,
        "the statistics keep the case"
    );
    assert!(with_store!(&s.store, st => st.documents(a.id).await.unwrap()).is_empty());
    for d in &docs {
        assert!(documents.get(&d.sha256).await.is_err(), "file deleted");
    }
    // The arrival, once its deadline is older than the period: names and passport erased,
    // what the statistics count kept.
    let r = run(
        &s,
        &at(arrival_deadline, retention - SignedDuration::from_secs(1)),
    )
    .await;
    mail_deleted += r.mail_files_deleted;
    assert_eq!(r.arrivals_purged, 0);
    let r = run(
        &s,
        &at(arrival_deadline, retention + SignedDuration::from_secs(1)),
    )
    .await;
    mail_deleted += r.mail_files_deleted;
    assert_eq!(r.arrivals_purged, 1, "{r:?}");
    let host_id = with_store!(&s.store, st => st.user_by_username("hotel").await.unwrap().id);
    let purged =
        with_store!(&s.store, st => st.arrival_for_host(host_id, arrival_id).await.unwrap());
    assert_eq!(
        (purged.surname.as_str(), purged.passport_number.as_str()),
        ("", "")
    );
    assert_eq!(
        (purged.nationality.as_str(), purged.address_city.as_str()),
        ("CHN", "Almaty")
    );
    assert_eq!(purged.birth_date.to_string(), "1990-01-01");
    // The mail drop's copies go too once their files are older than the period (they were
    // written at the real time of this test run, not at the server clock's NOW, so by this
    // pass at the latest).
    let r = run(
        &s,
        &(Timestamp::now() + retention + SignedDuration::from_hours(1)).to_string(),
    )
    .await;
    assert!(mail_deleted + r.mail_files_deleted >= 1, "{r:?}");
    assert!(mails(&s).is_empty());
    // The audit chain still verifies, and says what happened.
    let entries = with_store!(&s.store, st => st.audit_entries(0, 100_000).await.unwrap());
    let mut chain = tirkeu_store::audit::ChainVerifier::default();
    for e in &entries {
        chain.push(e);
    }
    assert!(chain.first_break().is_none(), "the chain verifies");
    assert!(
        entries
            .iter()
            .any(|e| e.action == "application.purge" && e.actor == "system")
    );
}

/// A transport that keeps the outbox id of every message handed to it (after a pause, so
/// that two workers overlap), to count sends.
#[derive(Clone, Default)]
struct Recorder(Arc<std::sync::Mutex<Vec<i64>>>);

impl tirkeu_server::mail::Transport for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }

    async fn send(
        &self,
        m: &tirkeu_server::mail::Outgoing,
    ) -> Result<(), tirkeu_server::mail::SendError> {
        tokio::task::yield_now().await;
        self.0.lock().unwrap().push(m.outbox_id);
        Ok(())
    }
}

fn recording_worker<S: Store>(
    s: &Server,
    store: S,
    name: &str,
    sent: &Recorder,
) -> Worker<S, Recorder> {
    let mut config = WorkerConfig::new(&s.base);
    name.clone_into(&mut config.name);
    config.batch = 40;
    config.lease = SignedDuration::from_secs(30);
    common::worker(s, store, sent.clone(), config)
}

async fn two_workers_send_each_message_once_and_take_over_a_dead_one_s_claims(s: Server) {
    const CASES: usize = 100;
    const PER_CASE: usize = 20;
    let now: Timestamp = NOW.parse().unwrap();
    let mut ids = Vec::new();
    for i in 0..CASES {
        let created = ok_json(
            s.post(
                "/api/v1/applications",
                None,
                &json!({
                    "permit_type": "work", "language": "en",
                    "applicant": {
                        "surname": "MANY", "given_names": "MESSAGES", "passport_number": format!("M{i:07}"),
                        "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"
                    },
                    "contact": {"email": format!("m{i}@example.org")},
                    "address": {"city": "Almaty", "line": "Abay 10"},
                }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(case(&s, created["number"].as_str().unwrap()).await.id);
    }
    with_store!(&s.store, st => {
        for (i, id) in ids.iter().enumerate() {
            for k in 0..PER_CASE {
                let queued = st
                    .queue_message(
                        &tirkeu_store::NewOutboxMessage {
                            kind: "notice.review_started".into(),
                            payload: json!({"application_id": id}),
                            available_at: now,
                            dedupe_key: Some(format!("load:{i}:{k}")),
                        },
                        &tirkeu_store::NewAudit {
                            at: now,
                            actor: "test".into(),
                            action: "test.queue".into(),
                            object: format!("application:{id}"),
                            payload: json!({}),
                        },
                    )
                    .await
                    .unwrap();
                assert!(queued);
            }
        }
    });
    let total = CASES * PER_CASE;
    let sent = Recorder::default();
    let reports = with_store!(&s.store, st => {
        // A third worker claims a batch and dies before sending any of it.
        let dead = st
            .claim_outbox("dead-worker", now, SignedDuration::from_secs(30), 40)
            .await
            .unwrap();
        assert_eq!(dead.len(), 40);
        let a = recording_worker(&s, st.clone(), "worker-a", &sent);
        let b = recording_worker(&s, st.clone(), "worker-b", &sent);
        let (ra, rb) = tokio::join!(a.run_once(now), b.run_once(now));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        // The dead worker's claims wait for its lease, then are taken over.
        let pending = st.outbox_counts().await.unwrap().pending;
        assert_eq!(pending, 40, "the dead worker's claims wait for its lease");
        let rc = a.run_once(now + SignedDuration::from_secs(31)).await.unwrap();
        [ra, rb, rc]
    });
    let mut all = sent.0.lock().unwrap().clone();
    assert_eq!(all.len(), total, "{reports:?}");
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), total, "a message was sent twice");
    assert!(
        reports[0].sent > 0 && reports[1].sent > 0,
        "both workers took part: {reports:?}"
    );
    assert_eq!(reports[2].sent, 40);
    assert_eq!(
        reports.iter().map(|r| r.sent).sum::<u64>(),
        u64::try_from(total).unwrap()
    );
    let counts = with_store!(&s.store, st => st.outbox_counts().await.unwrap());
    assert_eq!((counts.pending, counts.failed), (0, 0));
}
