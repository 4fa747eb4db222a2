//! The officers' back office in the store: queue counts, search by passport, a case's
//! history and assignment, on SQLite and on PostgreSQL.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::{draft, t};
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_store::{
    AccountRole, CaseFilter, CaseUpdate, NewAudit, NewUser, Store, StoreError, TransitionChange,
};

on_both!(counts_search_history_and_assignment);

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

async fn counts_search_history_and_assignment<S: Store>(s: S, _url: String) {
    let officer = s
        .create_user(
            &NewUser {
                username: "aigerim".into(),
                role: AccountRole::Officer,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                host_kind: None,
                office: Some("almaty".into()),
                created_at: t("2026-11-01T00:00:00Z"),
                email: None,
                language: None,
            },
            "system",
        )
        .await
        .unwrap();
    // Nine cases: three stay submitted, three go into review, three of those are asked for
    // information and answer (two back in review with the reason on record, one still waiting).
    let mut apps = Vec::new();
    for i in 0..9 {
        let mut a = s
            .create_application(
                &draft(&format!("P{i}"), "work", t("2026-11-01T00:00:00Z")),
                "applicant",
            )
            .await
            .unwrap();
        a = s
            .transition(&change(
                a.id,
                a.version,
                State::Draft,
                State::Submitted,
                Action::Submit,
            ))
            .await
            .unwrap();
        if i >= 3 {
            let mut c = change(
                a.id,
                a.version,
                State::Submitted,
                State::InReview,
                Action::StartReview,
            );
            c.update.assigned_officer = Some(officer.id);
            a = s.transition(&c).await.unwrap();
        }
        if i >= 6 {
            let mut c = change(
                a.id,
                a.version,
                State::InReview,
                State::InfoRequested,
                Action::RequestInfo,
            );
            c.update.reason = Some("missing_document".into());
            a = s.transition(&c).await.unwrap();
            if i < 8 {
                a = s
                    .transition(&change(
                        a.id,
                        a.version,
                        State::InfoRequested,
                        State::InReview,
                        Action::Respond,
                    ))
                    .await
                    .unwrap();
            }
        }
        apps.push(a);
    }
    let filters = [
        (
            CaseFilter {
                states: vec![State::Submitted],
                ..CaseFilter::default()
            },
            3,
        ),
        (
            CaseFilter {
                states: vec![State::InReview],
                ..CaseFilter::default()
            },
            5,
        ),
        (
            CaseFilter {
                states: vec![State::InReview],
                assigned_officer: Some(officer.id),
                ..CaseFilter::default()
            },
            5,
        ),
        (
            CaseFilter {
                info_received: true,
                ..CaseFilter::default()
            },
            2,
        ),
        (
            CaseFilter {
                states: vec![State::InfoRequested],
                ..CaseFilter::default()
            },
            1,
        ),
        (
            CaseFilter {
                permit_type: Some("study".into()),
                ..CaseFilter::default()
            },
            0,
        ),
        (CaseFilter::default(), 9),
    ];
    for (f, expected) in filters {
        let n = s.count_cases(&f, 1_000).await.unwrap();
        let listed = s.list_cases(&f, None, 500).await.unwrap().items.len();
        assert_eq!(
            (n, i64::try_from(listed).unwrap()),
            (expected, expected),
            "{f:?}"
        );
        // Counted up to a bound, a long queue stops at the bound and a short one is exact.
        assert_eq!(
            s.count_cases(&f, 3).await.unwrap(),
            expected.min(3),
            "{f:?}"
        );
        assert_eq!(s.count_cases(&f, 0).await.unwrap(), 0, "{f:?}");
    }
    let received = s
        .list_cases(
            &CaseFilter {
                info_received: true,
                ..CaseFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert!(
        received
            .items
            .iter()
            .all(|c| c.id == apps[6].id || c.id == apps[7].id)
    );

    // Search by passport: by the keyed hash, never the number itself.
    let found = s.cases_by_passport(&s.passport_lookup("p4")).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].number, apps[4].number);
    assert!(
        s.cases_by_passport(&s.passport_lookup("NOPE"))
            .await
            .unwrap()
            .is_empty()
    );

    // Assignment bumps the version and writes its audit entry; a stale version writes nothing.
    let a = &apps[0];
    let assigned = s
        .assign(
            a.id,
            a.version,
            officer.id,
            &format!("user:{}", officer.id),
            t("2026-11-03T09:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(assigned.version, a.version + 1);
    assert_eq!(assigned.assigned_officer, Some(officer.id));
    assert_eq!(assigned.state, State::Submitted);
    let stale = s
        .assign(
            a.id,
            a.version,
            officer.id,
            "user:9",
            t("2026-11-03T09:01:00Z"),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict { current }) if current == a.version + 1));
    assert!(matches!(
        s.assign(
            a.id + 1000,
            1,
            officer.id,
            "user:9",
            t("2026-11-03T09:01:00Z")
        )
        .await,
        Err(StoreError::NotFound)
    ));
    s.append_audit(&NewAudit {
        at: t("2026-11-03T09:02:00Z"),
        actor: format!("user:{}", officer.id),
        action: "case.read".into(),
        object: format!("application:{}", a.id),
        payload: serde_json::json!({}),
    })
    .await
    .unwrap();

    // The history: this case's entries only, in chain order.
    let history = s.case_history(a.id).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "application.create",
            "application.submit",
            "application.assign",
            "case.read"
        ]
    );
    assert!(history.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(
        history
            .iter()
            .all(|e| e.object == format!("application:{}", a.id))
    );
}
