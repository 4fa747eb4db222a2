//! The store's story, told once and run on SQLite and on PostgreSQL.
#![allow(clippy::too_many_lines, clippy::explicit_counter_loop)] // story-style tests read top to bottom

mod common;

use common::{KEY, draft, t};
use jiff::SignedDuration;
use jiff::civil::date;
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_store::audit::{
    Checkpoint, Pinned, generate_signing_key, parse_signing_key, verify_store,
};
use tirkeu_store::{
    AccountRole, ArrivalStatus, CaseFilter, CaseUpdate, DashboardQuery, NewArrival, NewAudit,
    NewDocument, NewOutboxMessage, NewUser, Session, Store, StoreError, TransitionChange,
};

on_both!(
    applications_documents_and_transitions,
    duplicates_are_refused_while_open,
    stale_versions_conflict,
    concurrent_transitions_one_winner_per_version,
    queue_pages_and_filters,
    accounts_sessions_and_keys,
    arrivals_by_host,
    outbox_claims_are_exclusive_and_leased,
    outbox_outcomes_need_the_lease,
    audit_log_is_append_only_and_verifies,
    tampering_is_detected,
    migrations_are_idempotent,
    dashboard_counts_decisions_expiring_cards_and_months,
    second_factor_codes_are_used_once,
);

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

/// The dashboard's aggregates: the decision instant written by a transition, processing days
/// rounded up, cards expiring on the window's last day, arrivals put in their month at the
/// boundary instant.
async fn dashboard_counts_decisions_expiring_cards_and_months<S: Store>(s: S, _url: String) {
    let a = s
        .create_application(
            &draft("N7654321", "study", t("2026-11-01T09:00:00Z")),
            "applicant",
        )
        .await
        .unwrap();
    let mut submit = change(a.id, 1, State::Draft, State::Submitted, Action::Submit);
    submit.update.submitted_at = Some(t("2026-11-02T10:00:00Z"));
    submit.update.due_at = Some(t("2026-11-06T10:00:00Z"));
    s.transition(&submit).await.unwrap();
    // Three days and a microsecond: four days, rounded up; before the due time.
    let mut approve = change(a.id, 2, State::Submitted, State::Approved, Action::Approve);
    approve.update.decided_at = Some(t("2026-11-05T10:00:00.000001Z"));
    let approved = s.transition(&approve).await.unwrap();
    assert_eq!(approved.decided_at, Some(t("2026-11-05T10:00:00.000001Z")));
    let mut issue = change(a.id, 3, State::Approved, State::Issued, Action::Issue);
    issue.update.valid_from = Some(date(2026, 11, 10));
    issue.update.valid_until = Some(date(2026, 12, 31));
    let issued = s.transition(&issue).await.unwrap();
    assert_eq!(
        issued.decided_at, approved.decided_at,
        "kept by later moves"
    );

    let host = s
        .create_user(
            &NewUser {
                username: "h".into(),
                role: AccountRole::Host,
                password_hash: "x".into(),
                host_kind: Some("individual".into()),
                office: None,
                created_at: t("2026-10-01T00:00:00Z"),
                email: None,
                language: None,
            },
            "system",
        )
        .await
        .unwrap();
    for (i, (at, late)) in [
        ("2026-11-01T00:00:00Z", true),
        ("2026-10-31T23:59:59.999999Z", false),
        ("2026-09-30T00:00:00Z", true),
    ]
    .into_iter()
    .enumerate()
    {
        s.create_arrival(
            &NewArrival {
                id: 0,
                confirmation_number: format!("D{i}"),
                host_id: host.id,
                surname: "LI".into(),
                given_names: "WEI".into(),
                passport_number: format!("E{i}"),
                nationality: "CHN".into(),
                birth_date: date(1990, 5, 1),
                address_city: "Almaty".into(),
                address_line: "Dostyk 5".into(),
                arrived_at: t(at) - SignedDuration::from_hours(100),
                status: ArrivalStatus::Notified,
                notified_at: Some(t(at)),
                deadline_at: t(at) - SignedDuration::from_hours(28),
                late,
                fine_kzt: None,
            },
            "user:1",
            t(at),
        )
        .await
        .unwrap();
    }

    let q = |expiring_until| DashboardQuery {
        decided_from: t("2026-01-01T00:00:00Z"),
        decided_until: t("2026-12-01T00:00:00Z"),
        expiring_from: date(2026, 12, 1),
        expiring_until,
        months: vec![
            t("2026-10-01T00:00:00Z"),
            t("2026-11-01T00:00:00Z"),
            t("2026-12-01T00:00:00Z"),
        ],
    };
    let d = s.dashboard(&q(date(2026, 12, 31))).await.unwrap();
    assert_eq!(d.decided_days, [("study".to_owned(), 4, 1)]);
    assert_eq!(d.decided_on_time, [("study".to_owned(), 1)]);
    assert_eq!(d.expiring, [("study".to_owned(), 1)]);
    assert_eq!(d.arrivals_by_month, [(1, 0), (1, 1)]);
    assert_eq!((d.arrivals, d.late_arrivals), (3, 2));
    assert_eq!(
        d.by_type_and_state,
        [("study".to_owned(), State::Issued, 1)]
    );
    // A day short of the last valid day, the card is not counted.
    let d = s.dashboard(&q(date(2026, 12, 30))).await.unwrap();
    assert!(d.expiring.is_empty());
}

async fn applications_documents_and_transitions<S: Store>(s: S, _url: String) {
    let created = s
        .create_application(
            &draft("N1234567", "work", t("2026-11-01T09:00:00Z")),
            "applicant",
        )
        .await
        .unwrap();
    assert_eq!(created.state, State::Draft);
    assert_eq!(created.version, 1);
    assert_eq!(created.applicant.birth_date, date(1974, 8, 12));
    let by_number = s.application_by_number(&created.number).await.unwrap();
    assert_eq!(by_number, created);
    assert!(matches!(
        s.application(created.id + 1000).await,
        Err(StoreError::NotFound)
    ));

    let doc = s
        .add_document(
            &NewDocument {
                application_id: created.id,
                kind: "passport".into(),
                sha256: "cd".repeat(32),
                size: 1234,
                content_type: "application/pdf".into(),
                created_at: t("2026-11-01T09:05:00Z"),
            },
            "applicant",
        )
        .await
        .unwrap();
    assert_eq!(s.documents(created.id).await.unwrap(), vec![doc]);

    let draft_status = s.status_by_number(&created.number).await.unwrap();
    assert_eq!(draft_status.state, State::Draft);
    assert_eq!(draft_status.language, tirkeu_core::text::Lang::En);

    let mut submit = change(
        created.id,
        1,
        State::Draft,
        State::Submitted,
        Action::Submit,
    );
    submit.update.submitted_at = Some(t("2026-11-02T10:00:00Z"));
    submit.update.due_at = Some(t("2026-11-20T10:00:00Z"));
    submit.outbox.push(NewOutboxMessage {
        kind: "notice.receipt".into(),
        payload: serde_json::json!({"application_id": created.id}),
        available_at: t("2026-11-02T10:00:00Z"),
        dedupe_key: None,
    });
    let submitted = s.transition(&submit).await.unwrap();
    assert_eq!((submitted.state, submitted.version), (State::Submitted, 2));
    assert_eq!(submitted.submitted_at, Some(t("2026-11-02T10:00:00Z")));
    assert_eq!(submitted.applicant, created.applicant);

    // The status lookup sees each commit at once (SQLite reads it on connections of its own,
    // kept open between lookups), and finds nothing for an unknown number.
    let submitted_status = s.status_by_number(&created.number).await.unwrap();
    assert_eq!(submitted_status.state, State::Submitted);
    assert_eq!(submitted_status.updated_at, t("2026-11-02T10:00:00Z"));
    let lookup = submitted_status.passport_lookup;
    assert_eq!(lookup, s.passport_lookup("n 123 4567"));
    assert_ne!(lookup, s.passport_lookup("N1234568"));
    assert!(matches!(
        s.status_by_number(&tirkeu_core::number::CaseNumber::generate())
            .await,
        Err(StoreError::NotFound)
    ));

    let mut issue = change(
        created.id,
        2,
        State::Submitted,
        State::InReview,
        Action::StartReview,
    );
    issue.update.reason = Some("looks fine".into());
    let reviewed = s.transition(&issue).await.unwrap();
    assert_eq!(reviewed.reason.as_deref(), Some("looks fine"));
    // Fields not given stay as they were.
    assert_eq!(reviewed.due_at, Some(t("2026-11-20T10:00:00Z")));

    // The change, its audit entries and the outbox message are all there.
    let entries = s.audit_entries(0, 100).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "application.create",
            "document.add",
            "application.submit",
            "application.start_review"
        ]
    );
    assert!(
        entries
            .iter()
            .all(|e| !e.payload.contains("ERIKSSON") && !e.payload.contains("N1234567"))
    );
    let claimed = s
        .claim_outbox(
            "w1",
            t("2026-11-02T10:00:01Z"),
            SignedDuration::from_secs(60),
            10,
        )
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].kind, "notice.receipt");
    let stats = s.stats().await.unwrap();
    assert_eq!(
        stats.by_type_and_state,
        vec![("work".to_string(), State::InReview, 1)]
    );
}

async fn duplicates_are_refused_while_open<S: Store>(s: S, _url: String) {
    // Walk one application through every state; at each, a second draft for the same
    // passport and type is always created (a draft blocks nobody, and creating one reveals
    // nothing), and submitting it is refused exactly while the first is pursued.
    let first = s
        .create_application(
            &draft("P-1", "study", t("2026-11-01T00:00:00Z")),
            "applicant",
        )
        .await
        .unwrap();
    let path = [
        (State::Submitted, Action::Submit),
        (State::InReview, Action::StartReview),
        (State::InfoRequested, Action::RequestInfo),
        (State::InReview, Action::Respond),
        (State::Approved, Action::Approve),
        (State::ReadyForCollection, Action::ScheduleCollection),
        (State::Issued, Action::Issue),
    ];
    let mut state = State::Draft;
    let mut version = 1;
    let try_second = |state: State, i: usize| {
        let s = s.clone();
        async move {
            let second = s
                .create_application(
                    &draft("p 1", "study", t("2026-11-01T00:00:00Z")),
                    "applicant",
                )
                .await
                .unwrap_or_else(|e| panic!("step {i} in {state}: a draft is refused: {e:?}"));
            let submitted = s
                .transition(&change(
                    second.id,
                    1,
                    State::Draft,
                    State::Submitted,
                    Action::Submit,
                ))
                .await;
            (second.id, submitted)
        }
    };
    for (i, (to, action)) in path.iter().enumerate() {
        let (second, submitted) = try_second(state, i).await;
        if state.blocks_duplicates() {
            assert!(
                matches!(submitted, Err(StoreError::Duplicate { existing_id }) if existing_id == first.id),
                "step {i} in {state}: {submitted:?}"
            );
            // Refused whole: the second is still a draft at its first version.
            let still = s.application(second).await.unwrap();
            assert_eq!((still.state, still.version), (State::Draft, 1));
            s.transition(&change(
                second,
                1,
                State::Draft,
                State::Withdrawn,
                Action::Withdraw,
            ))
            .await
            .unwrap();
        } else {
            // The first is a draft: the second goes ahead, and now the first could not be
            // submitted; withdraw the second to go on.
            let second_app = submitted.unwrap_or_else(|e| panic!("step {i} in {state}: {e:?}"));
            let blocked = s
                .transition(&change(first.id, version, state, *to, *action))
                .await;
            assert!(
                matches!(blocked, Err(StoreError::Duplicate { existing_id }) if existing_id == second),
                "step {i}: {blocked:?}"
            );
            s.transition(&change(
                second,
                second_app.version,
                State::Submitted,
                State::Withdrawn,
                Action::Withdraw,
            ))
            .await
            .unwrap();
        }
        s.transition(&change(first.id, version, state, *to, *action))
            .await
            .unwrap();
        state = *to;
        version += 1;
    }
    // Issued does not block: a renewal may be submitted; a different type was never blocked.
    let (_, renewal) = try_second(state, path.len()).await;
    renewal.unwrap();
    s.create_application(&draft("P1", "work", t("2026-11-03T00:00:00Z")), "applicant")
        .await
        .unwrap();
    assert_eq!(s.passport_lookup("p 1"), s.passport_lookup("P1"));
    assert_ne!(s.passport_lookup("P1"), s.passport_lookup("P2"));
}

async fn stale_versions_conflict<S: Store>(s: S, _url: String) {
    let a = s
        .create_application(&draft("X1", "work", t("2026-11-01T00:00:00Z")), "applicant")
        .await
        .unwrap();
    s.transition(&change(
        a.id,
        1,
        State::Draft,
        State::Submitted,
        Action::Submit,
    ))
    .await
    .unwrap();
    let stale = s
        .transition(&change(
            a.id,
            1,
            State::Draft,
            State::Withdrawn,
            Action::Withdraw,
        ))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { current: 2 })),
        "{stale:?}"
    );
    let missing = s
        .transition(&change(
            a.id + 99,
            1,
            State::Draft,
            State::Submitted,
            Action::Submit,
        ))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
    // Nothing of the refused change was written.
    assert_eq!(s.application(a.id).await.unwrap().state, State::Submitted);
    assert_eq!(s.audit_head().await.unwrap().0, 2);
}

async fn concurrent_transitions_one_winner_per_version<S: Store>(s: S, _url: String) {
    let a = s
        .create_application(&draft("C1", "work", t("2026-11-01T00:00:00Z")), "applicant")
        .await
        .unwrap();
    s.transition(&change(
        a.id,
        1,
        State::Draft,
        State::Submitted,
        Action::Submit,
    ))
    .await
    .unwrap();
    s.transition(&change(
        a.id,
        2,
        State::Submitted,
        State::InReview,
        Action::StartReview,
    ))
    .await
    .unwrap();
    // Rounds of 16 officers racing on the same version: request info / respond alternate.
    let mut version = 3;
    let mut state = State::InReview;
    for round in 0..6 {
        let (to, action) = if state == State::InReview {
            (State::InfoRequested, Action::RequestInfo)
        } else {
            (State::InReview, Action::Respond)
        };
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let s = s.clone();
                let mut c = change(a.id, version, state, to, action);
                c.actor = format!("user:{i}");
                tokio::spawn(async move { s.transition(&c).await })
            })
            .collect();
        let mut wins = 0;
        let mut conflicts = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => wins += 1,
                Err(StoreError::Conflict { current }) => {
                    assert_eq!(current, version + 1);
                    conflicts += 1;
                }
                Err(e) => panic!("round {round}: {e}"),
            }
        }
        assert_eq!((wins, conflicts), (1, 15), "round {round}");
        version += 1;
        state = to;
    }
    let report = verify_store(&s, None, |_| {}).await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.entries, 1 + 2 + 6);
}

async fn queue_pages_and_filters<S: Store>(s: S, _url: String) {
    let mut ids = Vec::new();
    for i in 0..25 {
        let mut d = draft(
            &format!("Q{i}"),
            if i % 2 == 0 { "work" } else { "study" },
            t("2026-11-01T00:00:00Z"),
        );
        d.created_at = t("2026-11-01T00:00:00Z") + SignedDuration::from_mins(i);
        d.office = if i % 5 == 0 {
            "astana".into()
        } else {
            "almaty".into()
        };
        let a = s.create_application(&d, "applicant").await.unwrap();
        if i % 3 != 0 {
            let mut c = change(a.id, 1, State::Draft, State::Submitted, Action::Submit);
            c.update.submitted_at =
                Some(t("2026-11-05T00:00:00Z") + SignedDuration::from_mins(100 - i));
            c.update.due_at = Some(if i % 4 == 0 {
                t("2026-11-10T00:00:00Z")
            } else {
                t("2026-12-30T00:00:00Z")
            });
            s.transition(&c).await.unwrap();
        }
        ids.push(a.id);
    }
    // Everything, in pages of 7, oldest in the queue first, nothing twice.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = s
            .list_cases(&CaseFilter::default(), cursor, 7)
            .await
            .unwrap();
        assert!(page.items.len() <= 7);
        seen.extend(page.items.iter().map(|c| (c.queued_at, c.id)));
        match page.next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "not in queue order");
    let submitted = CaseFilter {
        states: vec![State::Submitted],
        ..CaseFilter::default()
    };
    let page = s.list_cases(&submitted, None, 100).await.unwrap();
    assert_eq!(page.items.len(), 16);
    // Submitted cases queue by submission time: the latest-created was submitted first.
    assert!(
        page.items
            .windows(2)
            .all(|w| w[0].queued_at <= w[1].queued_at)
    );
    let filter = CaseFilter {
        permit_type: Some("work".into()),
        office: Some("astana".into()),
        ..CaseFilter::default()
    };
    let page = s.list_cases(&filter, None, 100).await.unwrap();
    assert!(
        page.items
            .iter()
            .all(|c| c.permit_type == "work" && c.office == "astana")
    );
    assert_eq!(page.items.len(), 3); // i = 0, 10, 20
    let overdue = CaseFilter {
        overdue_at: Some(t("2026-11-15T00:00:00Z")),
        ..CaseFilter::default()
    };
    let page = s.list_cases(&overdue, None, 100).await.unwrap();
    // i % 4 == 0 and i % 3 != 0: 4, 8, 16, 20
    assert_eq!(page.items.len(), 4);
    let range = CaseFilter {
        submitted_from: Some(t("2026-11-05T00:00:00Z") + SignedDuration::from_mins(90)),
        ..CaseFilter::default()
    };
    let page = s.list_cases(&range, None, 100).await.unwrap();
    assert_eq!(page.items.len(), 7); // i = 1, 2, 4, 5, 7, 8, 10
}

async fn accounts_sessions_and_keys<S: Store>(s: S, _url: String) {
    let now = t("2026-11-01T00:00:00Z");
    let new = |name: &str, role| NewUser {
        username: name.into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        host_kind: None,
        office: Some("almaty".into()),
        created_at: now,
        email: None,
        language: None,
    };
    let officer = s
        .create_user(&new("aigerim", AccountRole::Officer), "system")
        .await
        .unwrap();
    let host = s
        .create_user(&new("hotel", AccountRole::Host), "system")
        .await
        .unwrap();
    assert!(matches!(
        s.create_user(&new("aigerim", AccountRole::Admin), "system")
            .await,
        Err(StoreError::Taken("username"))
    ));
    assert_eq!(s.user_by_username("aigerim").await.unwrap(), officer);
    assert_eq!(s.users().await.unwrap().len(), 2);

    let session = Session {
        user_id: officer.id,
        created_at: now,
        expires_at: now + SignedDuration::from_hours(8),
        scope: tirkeu_store::SessionScope::Full,
    };
    s.create_session("tok1", &session, &login(officer.id, now))
        .await
        .unwrap();
    assert_eq!(s.session("tok1", now).await.unwrap(), session);
    assert!(
        s.session("tok1", now + SignedDuration::from_hours(9))
            .await
            .is_err()
    );
    s.set_user_disabled(officer.id, true, "user:0", now)
        .await
        .unwrap();
    assert!(
        s.session("tok1", now).await.is_err(),
        "disabling ends sessions"
    );
    s.create_session(
        "tok2",
        &Session {
            user_id: host.id,
            ..session
        },
        &login(host.id, now),
    )
    .await
    .unwrap();
    s.delete_session("tok2").await.unwrap();
    assert!(s.session("tok2", now).await.is_err());

    let key = s
        .create_api_key(host.id, "kh1", "front desk", now, "user:0")
        .await
        .unwrap();
    assert_eq!(s.api_key_by_hash("kh1").await.unwrap().id, key.id);
    s.revoke_api_key(key.id, now, "user:0").await.unwrap();
    assert!(s.api_key_by_hash("kh1").await.is_err());
    assert_eq!(s.api_keys(host.id).await.unwrap()[0].revoked_at, Some(now));
}

async fn arrivals_by_host<S: Store>(s: S, _url: String) {
    let now = t("2026-11-01T00:00:00Z");
    let mut hosts = Vec::new();
    for name in ["h1", "h2"] {
        hosts.push(
            s.create_user(
                &NewUser {
                    username: name.into(),
                    role: AccountRole::Host,
                    password_hash: "x".into(),
                    host_kind: Some("individual".into()),
                    office: None,
                    created_at: now,
                    email: None,
                    language: None,
                },
                "system",
            )
            .await
            .unwrap(),
        );
    }
    for i in 0..5 {
        let host = &hosts[i % 2];
        s.create_arrival(
            &NewArrival {
                id: 0,
                confirmation_number: format!("A{i}"),
                host_id: host.id,
                surname: "LI".into(),
                given_names: "WEI".into(),
                passport_number: format!("E{i}"),
                nationality: "CHN".into(),
                birth_date: date(1990, 1, 1),
                address_city: "Almaty".into(),
                address_line: "Dostyk 5".into(),
                arrived_at: now,
                status: ArrivalStatus::Notified,
                notified_at: Some(now + SignedDuration::from_hours(1)),
                deadline_at: now + SignedDuration::from_hours(72),
                late: i == 4,
                fine_kzt: (i == 4).then_some(43_250),
            },
            &format!("user:{}", host.id),
            now + SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    }
    let mine = s
        .arrivals_for_host(hosts[0].id, None, None, 10)
        .await
        .unwrap();
    assert_eq!(mine.len(), 3);
    assert!(mine.iter().all(|a| a.host_id == hosts[0].id));
    assert!(mine.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let older = s
        .arrivals_for_host(hosts[0].id, None, Some(mine[0].id), 10)
        .await
        .unwrap();
    assert_eq!(older.len(), 2);
    // One notification opens for its own host only.
    let one = s.arrival_for_host(hosts[0].id, mine[1].id).await.unwrap();
    assert_eq!(one, mine[1]);
    assert!(matches!(
        s.arrival_for_host(hosts[1].id, mine[1].id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.arrival_for_host(hosts[0].id, i64::MAX).await,
        Err(StoreError::NotFound)
    ));
    let stats = s.stats().await.unwrap();
    assert_eq!((stats.arrivals, stats.late_arrivals), (5, 1));
}

fn delivered() -> tirkeu_store::Delivery {
    tirkeu_store::Delivery::Sent {
        template_version: "test".into(),
    }
}

async fn outbox_claims_are_exclusive_and_leased<S: Store>(s: S, _url: String) {
    let a = s
        .create_application(&draft("O1", "work", t("2026-11-01T00:00:00Z")), "applicant")
        .await
        .unwrap();
    let mut c = change(a.id, 1, State::Draft, State::Submitted, Action::Submit);
    for i in 0..40 {
        c.outbox.push(NewOutboxMessage {
            kind: "notice".into(),
            payload: serde_json::json!({"i": i}),
            available_at: t("2026-11-02T10:00:00Z"),
            dedupe_key: None,
        });
    }
    s.transition(&c).await.unwrap();
    let now = t("2026-11-02T10:00:00Z");
    let lease = SignedDuration::from_secs(30);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let s = s.clone();
            tokio::spawn(async move {
                s.claim_outbox(&format!("w{w}"), now, lease, 15)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut all = Vec::new();
    for (w, handle) in workers.into_iter().enumerate() {
        all.extend(
            handle
                .await
                .unwrap()
                .into_iter()
                .map(|m| (m.id, format!("w{w}"))),
        );
    }
    all.sort_unstable();
    let before = all.len();
    all.dedup_by_key(|(id, _)| *id);
    assert_eq!(all.len(), before, "a message was claimed twice");
    assert_eq!(all.len(), 40);
    // Nothing is due again until the lease expires; then unsent messages come back.
    assert!(
        s.claim_outbox("w9", now + SignedDuration::from_secs(10), lease, 100)
            .await
            .unwrap()
            .is_empty()
    );
    for (id, worker) in &all[..30] {
        s.outbox_done(*id, worker, now, &delivered()).await.unwrap();
    }
    let (id, worker) = &all[30];
    s.outbox_retry(
        *id,
        worker,
        "smtp down",
        now + SignedDuration::from_secs(300),
    )
    .await
    .unwrap();
    let again = s
        .claim_outbox("w9", now + SignedDuration::from_secs(31), lease, 100)
        .await
        .unwrap();
    assert_eq!(again.len(), 9);
    assert!(again.iter().all(|m| m.attempts == 2));
}

async fn outbox_outcomes_need_the_lease<S: Store>(s: S, url: String) {
    let a = s
        .create_application(&draft("L1", "work", t("2026-11-01T00:00:00Z")), "applicant")
        .await
        .unwrap();
    let mut c = change(a.id, 1, State::Draft, State::Submitted, Action::Submit);
    for i in 0..3 {
        c.outbox.push(NewOutboxMessage {
            kind: "notice".into(),
            payload: serde_json::json!({"i": i}),
            available_at: t("2026-11-02T10:00:00Z"),
            dedupe_key: None,
        });
    }
    s.transition(&c).await.unwrap();
    let now = t("2026-11-02T10:00:00Z");
    let ids = |claimed: Vec<tirkeu_store::OutboxMessage>| -> Vec<i64> {
        claimed.into_iter().map(|m| m.id).collect()
    };

    // Worker A claims all three with a short lease, then stalls past it.
    let mine = s
        .claim_outbox("worker-a", now, SignedDuration::from_secs(10), 10)
        .await
        .unwrap();
    let [to_send, to_fail, left_alone] = ids(mine)[..] else {
        panic!("three messages")
    };
    let later = now + SignedDuration::from_secs(11);
    // Worker B takes over the first two; nobody takes the third.
    let taken = s
        .claim_outbox("worker-b", later, SignedDuration::from_secs(60), 2)
        .await
        .unwrap();
    assert_eq!(ids(taken), [to_send, to_fail]);

    // A's outcomes for the messages B holds are refused and change nothing.
    let sent = s
        .outbox_done(to_send, "worker-a", later, &delivered())
        .await;
    assert!(matches!(sent, Err(StoreError::LeaseLost)), "{sent:?}");
    assert_eq!(
        outbox_row(&url, to_send).await,
        (None, None, Some("worker-b".into()), true)
    );
    let failed = s
        .outbox_retry(to_fail, "worker-a", "smtp down", later)
        .await;
    assert!(matches!(failed, Err(StoreError::LeaseLost)), "{failed:?}");
    assert_eq!(
        outbox_row(&url, to_fail).await,
        (None, None, Some("worker-b".into()), true)
    );

    // B's outcomes stand.
    s.outbox_done(to_send, "worker-b", later, &delivered())
        .await
        .unwrap();
    assert_eq!(
        outbox_row(&url, to_send).await,
        (
            Some(later.as_microsecond()),
            None,
            Some("worker-b".into()),
            false
        )
    );
    let retry_at = later + SignedDuration::from_secs(300);
    s.outbox_retry(to_fail, "worker-b", "mailbox full", retry_at)
        .await
        .unwrap();
    assert_eq!(
        outbox_row(&url, to_fail).await,
        (
            None,
            Some("mailbox full".into()),
            Some("worker-b".into()),
            false
        )
    );

    // A's lease on the third expired but nobody took it over: A's send is the only one,
    // so A may still record it.
    s.outbox_done(left_alone, "worker-a", later, &delivered())
        .await
        .unwrap();

    // An outcome ends the lease: a second one is refused; an unknown message is not found.
    assert!(matches!(
        s.outbox_done(to_send, "worker-b", later, &delivered())
            .await,
        Err(StoreError::LeaseLost)
    ));
    assert!(matches!(
        s.outbox_retry(to_fail, "worker-b", "again", retry_at).await,
        Err(StoreError::LeaseLost)
    ));
    assert!(matches!(
        s.outbox_done(to_send + 100, "worker-b", later, &delivered())
            .await,
        Err(StoreError::NotFound)
    ));

    // Only the failed message comes back, at its retry time.
    let due = s
        .claim_outbox("worker-c", retry_at, SignedDuration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(ids(due), [to_fail]);
}

/// `(sent_at, last_error, locked_by, leased)` of an outbox message, read outside the store.
async fn outbox_row(url: &str, id: i64) -> (Option<i64>, Option<String>, Option<String>, bool) {
    use sqlx::Connection;
    const SQL: &str = "SELECT sent_at, last_error, locked_by, locked_until IS NOT NULL \
        FROM outbox WHERE id = $1";
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_as(SQL)
            .bind(id)
            .fetch_one(&mut c)
            .await
            .unwrap()
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_as(SQL)
            .bind(id)
            .fetch_one(&mut c)
            .await
            .unwrap()
    }
}

async fn audit_log_is_append_only_and_verifies<S: Store>(s: S, url: String) {
    for i in 0..5 {
        s.append_audit(&NewAudit {
            at: t("2026-11-01T00:00:00Z"),
            actor: "user:1".into(),
            action: "case.read".into(),
            object: format!("application:{i}"),
            payload: serde_json::json!({"fields": ["surname", "passport_number"]}),
        })
        .await
        .unwrap();
    }
    let report = verify_store(&s, None, |_| {}).await.unwrap();
    assert!(report.ok());
    assert_eq!((report.entries, report.last_seq), (5, 5));
    // The database itself refuses to change or remove entries.
    let refused = raw_exec(&url, "UPDATE audit_log SET actor = 'x' WHERE seq = 2").await;
    assert!(refused.is_err(), "UPDATE on audit_log was allowed");
    let refused = raw_exec(&url, "DELETE FROM audit_log WHERE seq = 5").await;
    assert!(refused.is_err(), "DELETE on audit_log was allowed");
}

async fn tampering_is_detected<S: Store>(s: S, url: String) {
    for i in 0..8 {
        s.append_audit(&NewAudit {
            at: t("2026-11-01T00:00:00Z") + SignedDuration::from_secs(i),
            actor: "system".into(),
            action: "test".into(),
            object: format!("application:{i}"),
            payload: serde_json::json!({}),
        })
        .await
        .unwrap();
    }
    let key = parse_signing_key(&generate_signing_key()).unwrap();
    let (seq, hash) = s.audit_head().await.unwrap();
    let checkpoint = Checkpoint::sign(&key, seq, &hash, t("2026-11-02T00:00:00Z"));
    let trusted = key.verifying_key();
    let verdict = |s: S| {
        let cp = checkpoint.clone();
        async move {
            let pinned = Pinned {
                key: &trusted,
                checkpoints: std::slice::from_ref(&cp),
            };
            verify_store(&s, Some(pinned), |_| {}).await.unwrap()
        }
    };
    assert!(verdict(s.clone()).await.ok());
    // A tamperer with database access removes the guard first.
    disable_audit_guard(&url).await;

    raw_exec(
        &url,
        "UPDATE audit_log SET object = 'application:99' WHERE seq = 3",
    )
    .await
    .unwrap();
    let r = verdict(s.clone()).await;
    assert_eq!(r.problem.as_ref().map(|p| p.seq), Some(3), "edit: {r:?}");
    assert!(r.problem.unwrap().reason.contains("edited"));
    raw_exec(
        &url,
        "UPDATE audit_log SET object = 'application:2' WHERE seq = 3",
    )
    .await
    .unwrap();
    assert!(verdict(s.clone()).await.ok(), "restored");

    // Reorder: swap the contents of entries 4 and 5 (keeping their sequence numbers).
    raw_exec(&url, "UPDATE audit_log SET seq = -4 WHERE seq = 4")
        .await
        .unwrap();
    raw_exec(&url, "UPDATE audit_log SET seq = 4 WHERE seq = 5")
        .await
        .unwrap();
    raw_exec(&url, "UPDATE audit_log SET seq = 5 WHERE seq = -4")
        .await
        .unwrap();
    let r = verdict(s.clone()).await;
    assert_eq!(r.problem.as_ref().map(|p| p.seq), Some(4), "reorder: {r:?}");
    raw_exec(&url, "UPDATE audit_log SET seq = -4 WHERE seq = 4")
        .await
        .unwrap();
    raw_exec(&url, "UPDATE audit_log SET seq = 4 WHERE seq = 5")
        .await
        .unwrap();
    raw_exec(&url, "UPDATE audit_log SET seq = 5 WHERE seq = -4")
        .await
        .unwrap();
    assert!(verdict(s.clone()).await.ok(), "restored");

    // Insert: a forged entry slotted in at 6 shifts the rest.
    raw_exec(&url, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 6")
        .await
        .unwrap();
    raw_exec(&url, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 106")
        .await
        .unwrap();
    raw_exec(
        &url,
        "INSERT INTO audit_log (seq, at, actor, action, object, payload, prev_hash, hash) \
         SELECT 6, at, actor, 'forged', object, payload, hash, hash FROM audit_log WHERE seq = 5",
    )
    .await
    .unwrap();
    let r = verdict(s.clone()).await;
    assert_eq!(r.problem.as_ref().map(|p| p.seq), Some(6), "insert: {r:?}");
    raw_exec(&url, "DELETE FROM audit_log WHERE seq = 6")
        .await
        .unwrap();
    raw_exec(&url, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 7")
        .await
        .unwrap();
    raw_exec(
        &url,
        "UPDATE audit_log SET seq = seq - 101 WHERE seq >= 107",
    )
    .await
    .unwrap();
    assert!(verdict(s.clone()).await.ok(), "restored");

    // Delete from the middle.
    raw_exec(&url, "DELETE FROM audit_log WHERE seq = 2")
        .await
        .unwrap();
    let r = verdict(s.clone()).await;
    assert!(
        r.problem.as_ref().unwrap().reason.contains("missing"),
        "delete: {r:?}"
    );

    // Truncation: the tail is cut and the head moved back, leaving a chain of six entries
    // that is intact on its own (rebuilt here from scratch, as a careful tamperer would).
    // Only the checkpoint, kept outside the database, vouches for entry 8.
    raw_exec(&url, "DELETE FROM audit_log").await.unwrap();
    raw_exec(
        &url,
        &format!(
            "UPDATE audit_head SET seq = 0, hash = '{}'",
            tirkeu_store::audit::GENESIS_HASH
        ),
    )
    .await
    .unwrap();
    for i in 0..6 {
        s.append_audit(&NewAudit {
            at: t("2026-11-01T00:00:00Z") + SignedDuration::from_secs(i),
            actor: "system".into(),
            action: "test".into(),
            object: format!("application:{i}"),
            payload: serde_json::json!({}),
        })
        .await
        .unwrap();
    }
    let alone = verify_store(&s, None, |_| {}).await.unwrap();
    assert!(
        alone.ok(),
        "the first six entries are an intact chain on their own"
    );
    let r = verdict(s.clone()).await;
    assert!(
        r.problem.as_ref().unwrap().reason.contains("truncated"),
        "truncate: {r:?}"
    );
}

async fn migrations_are_idempotent<S: Store>(s: S, url: String) {
    let before = s.schema().await.unwrap();
    let again = tirkeu_store::open(&url, tirkeu_store::OpenOptions::new(KEY))
        .await
        .unwrap();
    let after = tirkeu_store::with_store!(&again, st => st.schema().await.unwrap());
    assert_eq!(before, after);
    assert!(before.tables.contains_key("applications"));
    assert!(!before.tables.contains_key("_sqlx_migrations"));
}

/// Runs one statement on a connection of its own, outside the store.
async fn raw_exec(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let stmt = sqlx::AssertSqlSafe(sql.to_owned());
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await?;
        sqlx::query(stmt).execute(&mut c).await?;
    } else {
        let mut c = sqlx::PgConnection::connect(url).await?;
        sqlx::query(stmt).execute(&mut c).await?;
    }
    Ok(())
}

async fn disable_audit_guard(url: &str) {
    if url.starts_with("sqlite") {
        raw_exec(url, "DROP TRIGGER audit_log_no_update")
            .await
            .unwrap();
        raw_exec(url, "DROP TRIGGER audit_log_no_delete")
            .await
            .unwrap();
    } else {
        raw_exec(url, "ALTER TABLE audit_log DISABLE TRIGGER USER")
            .await
            .unwrap();
    }
}

/// Both backends migrate to the same schema (tables, columns by type family, indexes,
/// foreign keys, CHECK constraints).
#[tokio::test]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn sqlite_and_postgres_schemas_match() {
    let lite = std::sync::Mutex::new(None);
    let lite_ref = &lite;
    common::on_sqlite(|s, _| async move {
        *lite_ref.lock().unwrap() = Some(s.schema().await.unwrap());
    })
    .await;
    let pg = std::sync::Mutex::new(None);
    let pg_ref = &pg;
    common::on_postgres(|s, _| async move {
        *pg_ref.lock().unwrap() = Some(s.schema().await.unwrap());
    })
    .await;
    let lite = lite.into_inner().unwrap().unwrap();
    let pg = pg.into_inner().unwrap().unwrap();
    let diff = lite.differences(&pg, "sqlite", "postgres");
    assert!(diff.is_empty(), "schemas differ:\n{}", diff.join("\n"));
    assert!(lite.tables.len() >= 9);
}

async fn second_factor_codes_are_used_once<S: Store>(s: S, _url: String) {
    let now = t("2026-11-01T00:00:00Z");
    let u = s
        .create_user(
            &NewUser {
                username: "boss".into(),
                role: AccountRole::Supervisor,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
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
    assert!(!u.has_second_factor());
    let enabled = |step| NewAudit {
        action: "auth.second_factor_enabled".into(),
        payload: serde_json::json!({ "step": step }),
        ..login(u.id, now)
    };
    // Only the secret being set up can be confirmed.
    assert!(
        !s.enable_second_factor(u.id, "SECRET1", 10, &[], &enabled(10))
            .await
            .unwrap()
    );
    s.begin_second_factor(u.id, "SECRET1").await.unwrap();
    s.begin_second_factor(u.id, "SECRET2").await.unwrap();
    assert_eq!(
        s.user(u.id).await.unwrap().totp_pending.as_deref(),
        Some("SECRET2")
    );
    assert!(
        !s.enable_second_factor(u.id, "SECRET1", 10, &[], &enabled(10))
            .await
            .unwrap()
    );
    let codes = vec!["h1".to_owned(), "h2".to_owned()];
    assert!(
        s.enable_second_factor(u.id, "SECRET2", 10, &codes, &enabled(10))
            .await
            .unwrap()
    );
    let u2 = s.user(u.id).await.unwrap();
    assert!(u2.has_second_factor() && u2.totp_pending.is_none());
    assert_eq!(u2.totp_secret.as_deref(), Some("SECRET2"));

    // A time step is accepted once, and never an earlier one.
    assert!(
        !s.spend_totp_step(u.id, 10).await.unwrap(),
        "the confirming step is used"
    );
    assert!(s.spend_totp_step(u.id, 11).await.unwrap());
    assert!(!s.spend_totp_step(u.id, 11).await.unwrap());
    assert!(!s.spend_totp_step(u.id, 9).await.unwrap());

    // A recovery code is accepted once; the audit log shows each use.
    let used = NewAudit {
        action: "auth.recovery_code_used".into(),
        ..login(u.id, now)
    };
    assert_eq!(
        s.spend_recovery_code(u.id, "h1", &used).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        s.spend_recovery_code(u.id, "h1", &used).await.unwrap(),
        None
    );
    assert_eq!(
        s.spend_recovery_code(u.id, "nope", &used).await.unwrap(),
        None
    );
    let actions: Vec<String> = s
        .audit_entries(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "auth.recovery_code_used")
            .count(),
        1
    );
    assert!(actions.contains(&"auth.second_factor_enabled".to_owned()));

    // A reset ends the sessions and removes the factor and its codes.
    let session = Session {
        user_id: u.id,
        created_at: now,
        expires_at: now + SignedDuration::from_hours(8),
        scope: tirkeu_store::SessionScope::Code,
    };
    s.create_session("tok", &session, &login(u.id, now))
        .await
        .unwrap();
    assert_eq!(
        s.session("tok", now).await.unwrap().scope,
        tirkeu_store::SessionScope::Code
    );
    let reset = NewAudit {
        action: "auth.second_factor_reset".into(),
        ..login(u.id, now)
    };
    s.reset_second_factor(u.id, &reset).await.unwrap();
    assert!(s.session("tok", now).await.is_err());
    assert!(!s.user(u.id).await.unwrap().has_second_factor());
    assert_eq!(
        s.spend_recovery_code(u.id, "h2", &used).await.unwrap(),
        None
    );
    assert!(
        !s.spend_totp_step(u.id, 12).await.unwrap(),
        "no secret, no code"
    );
    assert!(verify_store(&s, None, |_| {}).await.unwrap().ok());
}

/// A sign-in's audit entry.
fn login(user_id: i64, at: jiff::Timestamp) -> NewAudit {
    NewAudit {
        at,
        actor: format!("user:{user_id}"),
        action: "auth.login".into(),
        object: format!("user:{user_id}"),
        payload: serde_json::json!({}),
    }
}
