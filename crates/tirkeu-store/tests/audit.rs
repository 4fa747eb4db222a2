//! Tampering with the database behind tirkeu's back, the way someone with SQL access would,
//! and `verify_store` catching it: on SQLite and on PostgreSQL (issue 11).
//!
//! Each test builds the same small history through the store (a card issued then revoked, a
//! case rejected and purged, an arrival confirmed late, one purged), signs a checkpoint of
//! it with a key kept outside the database, then changes something with raw SQL.
#![allow(clippy::too_many_lines)]

mod common;

use common::{draft, t};
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_core::number::CaseNumber;
use tirkeu_store::audit::{
    AUDITED_TABLES, Checkpoint, GENESIS_HASH, Pinned, VerifyReport, entry_hash,
    generate_signing_key, parse_signing_key, verify_store,
};
use tirkeu_store::{
    AccountRole, ArrivalConfirmation, ArrivalStatus, AuditEntry, CaseUpdate, NewArrival, NewAudit,
    NewUser, Store, TransitionChange,
};

on_both!(
    an_untouched_history_verifies_and_every_row_is_checked,
    an_edited_entry_is_detected,
    an_edited_state_hash_is_an_edited_entry,
    a_deleted_entry_is_detected,
    an_inserted_entry_is_detected,
    reordered_entries_are_detected,
    a_truncated_tail_is_caught_by_the_checkpoint,
    a_rewritten_chain_is_caught_by_the_checkpoint,
    a_revoked_card_made_valid_until_2099_is_reported_with_its_case_number,
    an_edited_arrival_row_is_reported,
    deleted_and_inserted_rows_are_reported,
    rows_older_than_state_hashes_are_skipped_and_counted,
    a_checkpoint_signed_with_another_key_is_refused,
    the_state_encoding_covers_every_column,
    a_session_and_its_sign_in_entry_are_one_write,
);

/// What the tests tamper with.
struct History {
    revoked: CaseNumber,
    revoked_id: i64,
    late_arrival: String,
    late_arrival_id: i64,
    checkpoint: Checkpoint,
    key: ed25519_dalek::SigningKey,
}

fn change(id: i64, version: i64, from: State, to: State, action: Action) -> TransitionChange {
    TransitionChange {
        application_id: id,
        expected_version: version,
        from,
        to,
        action,
        actor: "user:1".into(),
        at: t("2026-11-02T10:00:00Z"),
        update: CaseUpdate::default(),
        outbox: vec![],
    }
}

fn arrival(host_id: i64, n: &str, passport: &str, at: Timestamp) -> NewArrival {
    NewArrival {
        id: 0,
        confirmation_number: n.into(),
        host_id,
        surname: "LI".into(),
        given_names: "WEI".into(),
        passport_number: passport.into(),
        nationality: "CHN".into(),
        birth_date: date(1990, 5, 1),
        address_city: "Almaty".into(),
        address_line: "Dostyk 5".into(),
        arrived_at: at,
        status: ArrivalStatus::Expected,
        notified_at: None,
        deadline_at: at + SignedDuration::from_hours(72),
        late: false,
        fine_kzt: None,
    }
}

async fn history<S: Store>(s: &S) -> History {
    let now = t("2026-11-01T09:00:00Z");
    let user = |username: &str, role: AccountRole| NewUser {
        username: username.into(),
        role,
        password_hash: "x".into(),
        host_kind: (role == AccountRole::Host).then(|| "hotel".into()),
        office: None,
        created_at: now,
        email: None,
        language: None,
    };
    let officer = s
        .create_user(&user("officer", AccountRole::Officer), "system")
        .await
        .unwrap();
    let host = s
        .create_user(&user("hotel", AccountRole::Host), "system")
        .await
        .unwrap();
    // A card issued, then revoked.
    let a = s
        .create_application(&draft("N1000001", "work", now), "applicant")
        .await
        .unwrap();
    let mut submit = change(a.id, 1, State::Draft, State::Submitted, Action::Submit);
    submit.update.submitted_at = Some(now);
    submit.update.due_at = Some(now + SignedDuration::from_hours(96));
    s.transition(&submit).await.unwrap();
    s.assign(a.id, 2, officer.id, "user:1", now).await.unwrap();
    let a = s.application(a.id).await.unwrap();
    let mut approve = change(
        a.id,
        a.version,
        State::Submitted,
        State::Approved,
        Action::Approve,
    );
    approve.update.decided_at = Some(now);
    s.transition(&approve).await.unwrap();
    let mut issue = change(
        a.id,
        a.version + 1,
        State::Approved,
        State::Issued,
        Action::Issue,
    );
    issue.update.valid_from = Some(date(2026, 11, 10));
    issue.update.valid_until = Some(date(2027, 11, 9));
    issue.update.card_number = Some("KZ-0000001".into());
    issue.update.verify_token_hash = Some("cd".repeat(32));
    s.transition(&issue).await.unwrap();
    let mut revoke = change(
        a.id,
        a.version + 2,
        State::Issued,
        State::Revoked,
        Action::Revoke,
    );
    revoke.update.reason = Some("fraud".into());
    let revoked = s.transition(&revoke).await.unwrap();
    assert_eq!(revoked.state, State::Revoked);

    // A case rejected and purged by retention.
    let b = s
        .create_application(&draft("N1000002", "study", now), "applicant")
        .await
        .unwrap();
    let mut submit = change(b.id, 1, State::Draft, State::Submitted, Action::Submit);
    submit.update.submitted_at = Some(now);
    s.transition(&submit).await.unwrap();
    let mut reject = change(b.id, 2, State::Submitted, State::Rejected, Action::Reject);
    reject.update.reason = Some("incomplete".into());
    s.transition(&reject).await.unwrap();
    s.purge_case(b.id, t("2027-06-01T00:00:00Z"), "system")
        .await
        .unwrap();

    // An arrival expected, flagged late, then confirmed; an older one purged.
    let late = s
        .create_arrival(&arrival(host.id, "ARR-1", "E1", now), "user:2", now)
        .await
        .unwrap();
    let flagged_at = now + SignedDuration::from_hours(80);
    assert!(
        s.flag_arrival_late(
            late.id,
            Some(10_000),
            &tirkeu_store::NewOutboxMessage {
                kind: "arrival_late".into(),
                payload: serde_json::json!({}),
                available_at: flagged_at,
                dedupe_key: Some(format!("arrival-late:{}", late.id)),
            },
            &NewAudit {
                at: flagged_at,
                actor: "system".into(),
                action: "arrival.flag_late".into(),
                object: format!("arrival:{}", late.id),
                payload: serde_json::json!({}),
            },
        )
        .await
        .unwrap()
    );
    let confirmed = s
        .confirm_arrival(
            host.id,
            late.id,
            &ArrivalConfirmation {
                arrived_at: now,
                notified_at: flagged_at,
                deadline_at: now + SignedDuration::from_hours(72),
                late: true,
                fine_kzt: Some(10_000),
            },
            "user:2",
        )
        .await
        .unwrap();
    assert!(confirmed.late);
    let june = t("2026-06-01T00:00:00Z");
    s.create_arrival(&arrival(host.id, "ARR-2", "E2", june), "user:2", june)
        .await
        .unwrap();
    assert_eq!(
        s.purge_arrivals(
            t("2026-10-01T00:00:00Z"),
            t("2027-06-01T00:00:00Z"),
            "system",
            100
        )
        .await
        .unwrap(),
        1
    );

    let key = parse_signing_key(&generate_signing_key()).unwrap();
    let (seq, hash) = s.audit_head().await.unwrap();
    History {
        revoked: revoked.number,
        revoked_id: revoked.id,
        late_arrival: late.confirmation_number,
        late_arrival_id: late.id,
        checkpoint: Checkpoint::sign(&key, seq, &hash, t("2027-06-02T00:00:00Z")),
        key,
    }
}

/// The verdict without checkpoints, and with the history's checkpoint and pinned key.
async fn verdicts<S: Store>(s: &S, h: &History) -> (VerifyReport, VerifyReport) {
    let alone = verify_store(s, None, |_| {}).await.unwrap();
    let key = h.key.verifying_key();
    let pinned = Pinned {
        key: &key,
        checkpoints: std::slice::from_ref(&h.checkpoint),
    };
    let with = verify_store(s, Some(pinned), |_| {}).await.unwrap();
    (alone, with)
}

async fn raw(url: &str, sql: &str) {
    use sqlx::Connection;
    let stmt = sqlx::AssertSqlSafe(sql.to_owned());
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(stmt).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(stmt).execute(&mut c).await.unwrap();
    }
}

/// A tamperer with database access removes the append-only guard first.
async fn disable_audit_guard(url: &str) {
    if url.starts_with("sqlite") {
        raw(url, "DROP TRIGGER audit_log_no_update").await;
        raw(url, "DROP TRIGGER audit_log_no_delete").await;
    } else {
        raw(url, "ALTER TABLE audit_log DISABLE TRIGGER USER").await;
    }
}

fn sql_text(v: Option<&str>) -> String {
    v.map_or_else(|| "NULL".into(), |v| format!("'{v}'"))
}

/// Writes `e` as a row of `audit_log`, as a tamperer would.
async fn insert_entry(url: &str, e: &AuditEntry) {
    raw(
        url,
        &format!(
            "INSERT INTO audit_log (seq, at, actor, action, object, payload, prev_hash, hash, state_hash) \
             VALUES ({}, {}, '{}', '{}', '{}', '{}', '{}', '{}', {})",
            e.seq,
            e.at.as_microsecond(),
            e.actor,
            e.action,
            e.object,
            e.payload,
            e.prev_hash,
            e.hash,
            sql_text(e.state_hash.as_deref())
        ),
    )
    .await;
}

async fn an_untouched_history_verifies_and_every_row_is_checked<S: Store>(s: S, _url: String) {
    let h = history(&s).await;
    let (alone, with) = verdicts(&s, &h).await;
    assert!(alone.ok(), "{alone:?}");
    assert!(with.ok(), "{with:?}");
    assert_eq!(with.latest_checkpoint, Some(h.checkpoint.seq));
    // Two applications and two arrivals, every one with a recorded state (purged ones too).
    assert_eq!((with.rows_checked, with.rows_skipped), (4, 0), "{with:?}");
    // Every change entry of a row carries its state hash; reads and other objects do not.
    let entries = s.audit_entries(0, 1000).await.unwrap();
    for e in &entries {
        let row_change = e.object.starts_with("application:") || e.object.starts_with("arrival:");
        assert_eq!(e.state_hash.is_some(), row_change, "{e:?}");
    }
    let purges: Vec<&AuditEntry> = entries
        .iter()
        .filter(|e| e.action == "arrival.purge")
        .collect();
    assert_eq!(purges.len(), 1, "one entry per purged arrival");
}

async fn an_edited_entry_is_detected<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    raw(
        &url,
        "UPDATE audit_log SET payload = '{\"state\":\"issued\"}' WHERE seq = 3",
    )
    .await;
    let (alone, with) = verdicts(&s, &h).await;
    for r in [alone, with] {
        let p = r.problem.as_ref().expect("detected");
        assert_eq!(p.seq, 3, "{r:?}");
        assert!(p.reason.contains("edited"), "{r:?}");
    }
}

async fn an_edited_state_hash_is_an_edited_entry<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    raw(
        &url,
        "UPDATE audit_log SET state_hash = (SELECT state_hash FROM audit_log WHERE seq = 3) \
         WHERE seq = 4",
    )
    .await;
    let (_, r) = verdicts(&s, &h).await;
    let p = r.problem.as_ref().expect("detected");
    assert_eq!((p.seq, p.reason.contains("edited")), (4, true), "{r:?}");
}

async fn a_deleted_entry_is_detected<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    raw(&url, "DELETE FROM audit_log WHERE seq = 4").await;
    let (alone, with) = verdicts(&s, &h).await;
    for r in [alone, with] {
        let p = r.problem.as_ref().expect("detected");
        assert_eq!(p.seq, 5, "{r:?}");
        assert!(p.reason.contains("missing"), "{r:?}");
    }
}

async fn an_inserted_entry_is_detected<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    // Entries 5… move up by one and a forged entry 5 links to entry 4.
    let entries = s.audit_entries(0, 1000).await.unwrap();
    let e4 = entries[3].clone();
    raw(&url, "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 5").await;
    raw(
        &url,
        "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1005",
    )
    .await;
    let mut forged = e4.clone();
    forged.seq = 5;
    forged.action = "application.approve".into();
    forged.prev_hash = e4.hash.clone();
    forged.hash = entry_hash(
        5,
        forged.at,
        &forged.actor,
        &forged.action,
        &forged.object,
        &forged.payload,
        &forged.prev_hash,
        forged.state_hash.as_deref(),
    );
    insert_entry(&url, &forged).await;
    let (alone, with) = verdicts(&s, &h).await;
    for r in [alone, with] {
        assert_eq!(r.problem.as_ref().map(|p| p.seq), Some(6), "{r:?}");
    }
}

async fn reordered_entries_are_detected<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    raw(&url, "UPDATE audit_log SET seq = -3 WHERE seq = 3").await;
    raw(&url, "UPDATE audit_log SET seq = 3 WHERE seq = 4").await;
    raw(&url, "UPDATE audit_log SET seq = 4 WHERE seq = -3").await;
    let (alone, with) = verdicts(&s, &h).await;
    for r in [alone, with] {
        assert_eq!(r.problem.as_ref().map(|p| p.seq), Some(3), "{r:?}");
    }
}

async fn a_truncated_tail_is_caught_by_the_checkpoint<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    let (head, _) = s.audit_head().await.unwrap();
    let keep = head - 2;
    let entries = s.audit_entries(0, 1000).await.unwrap();
    let last = &entries[usize::try_from(keep - 1).unwrap()];
    raw(&url, &format!("DELETE FROM audit_log WHERE seq > {keep}")).await;
    raw(
        &url,
        &format!(
            "UPDATE audit_head SET seq = {keep}, hash = '{}' WHERE id = 1",
            last.hash
        ),
    )
    .await;
    let (alone, with) = verdicts(&s, &h).await;
    // The chain alone is intact (the cut entries purged arrivals: their rows now differ
    // from the last state recorded, which the row check reports).
    assert!(alone.problem.is_none(), "{alone:?}");
    let p = with.problem.as_ref().expect("the checkpoint catches it");
    assert!(p.reason.contains("truncated"), "{with:?}");
    assert!(!with.ok());
}

/// The whole tail rewritten with recomputed hashes, as a careful tamperer would: the chain
/// alone verifies, the checkpoint does not.
async fn a_rewritten_chain_is_caught_by_the_checkpoint<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    let entries = s.audit_entries(0, 1000).await.unwrap();
    let from = 3;
    raw(&url, &format!("DELETE FROM audit_log WHERE seq >= {from}")).await;
    let mut prev = entries[usize::try_from(from - 2).unwrap()].hash.clone();
    for e in &entries[usize::try_from(from - 1).unwrap()..] {
        let mut e = e.clone();
        if e.seq == from {
            e.actor = "user:99".into();
        }
        e.prev_hash = prev;
        e.hash = entry_hash(
            e.seq,
            e.at,
            &e.actor,
            &e.action,
            &e.object,
            &e.payload,
            &e.prev_hash,
            e.state_hash.as_deref(),
        );
        prev = e.hash.clone();
        insert_entry(&url, &e).await;
    }
    raw(
        &url,
        &format!("UPDATE audit_head SET hash = '{prev}' WHERE id = 1"),
    )
    .await;
    let (alone, with) = verdicts(&s, &h).await;
    assert!(alone.ok(), "rewritten consistently: {alone:?}");
    let p = with.problem.as_ref().expect("the checkpoint catches it");
    assert!(p.reason.contains("rewritten"), "{with:?}");
}

/// The attack from the review: one `UPDATE` made a revoked card valid until 2099 on the
/// public verify endpoint while the chain said intact.
async fn a_revoked_card_made_valid_until_2099_is_reported_with_its_case_number<S: Store>(
    s: S,
    url: String,
) {
    let h = history(&s).await;
    raw(
        &url,
        &format!(
            "UPDATE applications SET state = 'issued', valid_until = '2099-12-31', reason = NULL \
             WHERE id = {}",
            h.revoked_id
        ),
    )
    .await;
    // What the public verify endpoint reads now says valid.
    let forged = s
        .application_by_verify_token(&"cd".repeat(32))
        .await
        .unwrap();
    assert_eq!(
        (forged.state, forged.valid_until),
        (State::Issued, Some(date(2099, 12, 31)))
    );
    let (alone, with) = verdicts(&s, &h).await;
    for r in [alone, with] {
        assert!(r.problem.is_none(), "the chain itself is intact: {r:?}");
        assert!(!r.ok());
        assert_eq!(r.row_problems_total, 1, "{r:?}");
        let p = &r.row_problems[0];
        assert_eq!(
            (p.object.as_str(), p.id, p.number.as_str()),
            ("application", h.revoked_id, h.revoked.to_string().as_str())
        );
        assert!(p.reason.contains("changed outside tirkeu"), "{p:?}");
    }
}

async fn an_edited_arrival_row_is_reported<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    // The fine waived by hand.
    raw(
        &url,
        &format!(
            "UPDATE arrivals SET late = FALSE, fine_kzt = NULL WHERE id = {}",
            h.late_arrival_id
        ),
    )
    .await;
    let (_, r) = verdicts(&s, &h).await;
    assert_eq!(r.row_problems_total, 1, "{r:?}");
    let p = &r.row_problems[0];
    assert_eq!(
        (p.object.as_str(), p.number.as_str()),
        ("arrival", h.late_arrival.as_str())
    );
}

async fn deleted_and_inserted_rows_are_reported<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    raw(
        &url,
        &format!("DELETE FROM arrivals WHERE id = {}", h.late_arrival_id),
    )
    .await;
    raw(
        &url,
        "INSERT INTO arrivals (id, confirmation_number, host_id, surname, given_names, \
         passport_number, passport_lookup, nationality, birth_date, address_city, address_line, \
         arrived_at, notified_at, deadline_at, late, fine_kzt, status) \
         SELECT 900, 'ARR-FORGED', host_id, surname, given_names, passport_number, 'x', \
         nationality, birth_date, address_city, address_line, arrived_at, 1, deadline_at, \
         FALSE, NULL, 'notified' FROM arrivals WHERE confirmation_number = 'ARR-2'",
    )
    .await;
    let (_, r) = verdicts(&s, &h).await;
    assert_eq!(r.row_problems_total, 2, "{r:?}");
    let found: Vec<(&str, &str)> = r
        .row_problems
        .iter()
        .map(|p| (p.number.as_str(), p.reason.as_str()))
        .collect();
    assert!(
        found
            .iter()
            .any(|(n, why)| *n == "ARR-FORGED" && why.contains("no audit entry")),
        "{found:?}"
    );
    let gone = format!("#{}", h.late_arrival_id);
    assert!(
        found
            .iter()
            .any(|(n, why)| *n == gone && why.contains("gone")),
        "{found:?}"
    );
}

/// A database from before migration 0008: rows whose history has no state hash are counted
/// and skipped; `hashed_after` cannot be raised past an entry that has one.
async fn rows_older_than_state_hashes_are_skipped_and_counted<S: Store>(s: S, url: String) {
    let host = s
        .create_user(
            &NewUser {
                username: "hotel".into(),
                role: AccountRole::Host,
                password_hash: "x".into(),
                host_kind: Some("hotel".into()),
                office: None,
                created_at: t("2026-01-01T00:00:00Z"),
                email: None,
                language: None,
            },
            "system",
        )
        .await
        .unwrap();
    // An arrival as an older version wrote it: the row, and an entry without a state hash.
    raw(
        &url,
        &format!(
            "INSERT INTO arrivals (id, confirmation_number, host_id, surname, given_names, \
             passport_number, passport_lookup, nationality, birth_date, address_city, address_line, \
             arrived_at, notified_at, deadline_at, late, fine_kzt, status) \
             VALUES (50, 'ARR-OLD', {}, 'LI', 'WEI', 'E0', 'x', 'CHN', '1990-01-01', 'Almaty', 'Abay 1', \
             1, 2, 3, FALSE, NULL, 'notified')",
            host.id
        ),
    )
    .await;
    s.append_audit(&NewAudit {
        at: t("2026-01-01T00:00:00Z"),
        actor: "user:2".into(),
        action: "arrival.create".into(),
        object: "arrival:50".into(),
        payload: serde_json::json!({}),
    })
    .await
    .unwrap();
    let old_seq = s.audit_head().await.unwrap().0;
    let r = verify_store(&s, None, |_| {}).await.unwrap();
    assert_eq!(
        r.row_problems_total, 1,
        "on a database created with state hashes, an unhashed row is suspect: {r:?}"
    );
    // The migration recorded this entry as the last one before state hashes.
    raw(
        &url,
        &format!("UPDATE audit_state SET hashed_after = {old_seq}"),
    )
    .await;
    s.create_arrival(
        &arrival(host.id, "ARR-NEW", "E9", t("2026-02-01T00:00:00Z")),
        "user:2",
        t("2026-02-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let r = verify_store(&s, None, |_| {}).await.unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!((r.rows_checked, r.rows_skipped), (2, 1), "{r:?}");

    // The baseline records the old row's state; from then on it is checked like any other.
    let at = t("2026-03-01T00:00:00Z");
    let (last, written) = s
        .audit_baseline(&tirkeu_store::audit::ARRIVALS, 0, 100, "system", at)
        .await
        .unwrap();
    assert_eq!(
        (last.is_some(), written),
        (true, 1),
        "only the unhashed row"
    );
    let again = s
        .audit_baseline(&tirkeu_store::audit::ARRIVALS, 0, 100, "system", at)
        .await
        .unwrap();
    assert_eq!(again.1, 0, "nothing left to record");
    let r = verify_store(&s, None, |_| {}).await.unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!((r.rows_checked, r.rows_skipped), (2, 0), "{r:?}");
    raw(&url, "UPDATE arrivals SET fine_kzt = 1 WHERE id = 50").await;
    let r = verify_store(&s, None, |_| {}).await.unwrap();
    assert_eq!(r.row_problems_total, 1, "{r:?}");
    assert_eq!(r.row_problems[0].number, "ARR-OLD");
    raw(&url, "UPDATE arrivals SET fine_kzt = NULL WHERE id = 50").await;
    // Raising the boundary to hide a newer row is itself detected.
    let (head, _) = s.audit_head().await.unwrap();
    raw(
        &url,
        &format!("UPDATE audit_state SET hashed_after = {head}"),
    )
    .await;
    let r = verify_store(&s, None, |_| {}).await.unwrap();
    assert!(
        r.problem
            .as_ref()
            .is_some_and(|p| p.reason.contains("hashed_after")),
        "{r:?}"
    );
}

async fn a_checkpoint_signed_with_another_key_is_refused<S: Store>(s: S, url: String) {
    let h = history(&s).await;
    disable_audit_guard(&url).await;
    // The tamperer rewrites the log from scratch and signs a checkpoint of it with a key of
    // their own, written into the file.
    raw(&url, "DELETE FROM audit_log").await;
    raw(
        &url,
        &format!("UPDATE audit_head SET seq = 0, hash = '{GENESIS_HASH}' WHERE id = 1"),
    )
    .await;
    s.append_audit(&NewAudit {
        at: t("2027-01-01T00:00:00Z"),
        actor: "system".into(),
        action: "test".into(),
        object: "policy".into(),
        payload: serde_json::json!({}),
    })
    .await
    .unwrap();
    let theirs = parse_signing_key(&generate_signing_key()).unwrap();
    let (seq, hash) = s.audit_head().await.unwrap();
    let forged = Checkpoint::sign(&theirs, seq, &hash, t("2027-01-02T00:00:00Z"));
    let pinned_key = h.key.verifying_key();
    let r = verify_store(
        &s,
        Some(Pinned {
            key: &pinned_key,
            checkpoints: std::slice::from_ref(&forged),
        }),
        |_| {},
    )
    .await
    .unwrap();
    assert!(
        r.problem
            .as_ref()
            .is_some_and(|p| p.reason.contains("pinned public key")),
        "{r:?}"
    );
}

/// A column added to applications or arrivals without a decision about its state hash
/// fails here: hash it (a new encoding version) or say why not.
async fn the_state_encoding_covers_every_column<S: Store>(s: S, _url: String) {
    let schema = s.schema().await.unwrap();
    for table in AUDITED_TABLES {
        let have: std::collections::BTreeSet<&str> = schema.tables[table.table]
            .columns
            .keys()
            .map(String::as_str)
            .collect();
        let encoded: std::collections::BTreeSet<&str> =
            table.columns.iter().map(|(c, _)| *c).collect();
        assert_eq!(have, encoded, "{}", table.table);
        assert_eq!(encoded.len(), table.columns.len(), "no column twice");
    }
}

/// The sign-in's session and its audit entry commit together: a session that cannot be
/// stored leaves no entry, and a stored one always has its entry.
async fn a_session_and_its_sign_in_entry_are_one_write<S: Store>(s: S, _url: String) {
    let now = t("2026-11-01T09:00:00Z");
    let u = s
        .create_user(
            &NewUser {
                username: "officer".into(),
                role: AccountRole::Officer,
                password_hash: "x".into(),
                host_kind: None,
                office: Some("almaty".into()),
                created_at: now,
                email: None,
                language: None,
            },
            "system",
        )
        .await
        .unwrap();
    let session = tirkeu_store::Session {
        user_id: u.id,
        created_at: now,
        expires_at: now + SignedDuration::from_hours(8),
        scope: tirkeu_store::SessionScope::Full,
    };
    let login = NewAudit {
        at: now,
        actor: format!("user:{}", u.id),
        action: "auth.login".into(),
        object: format!("user:{}", u.id),
        payload: serde_json::json!({}),
    };
    s.create_session("tok", &session, &login).await.unwrap();
    let (head, _) = s.audit_head().await.unwrap();
    let last = s.audit_entries(head - 1, 1).await.unwrap();
    assert_eq!(last[0].action, "auth.login");
    // The same token again: the insert fails, and the entry goes with it.
    assert!(s.create_session("tok", &session, &login).await.is_err());
    assert_eq!(s.audit_head().await.unwrap().0, head);
}
