//! Renewing a card as a browser without JavaScript meets it, over HTTP, on SQLite and on
//! PostgreSQL: an issued case (walked there through the store) and its access code make a
//! new draft with the same personal data, contact and address, which goes on at the
//! documents; a wrong code and an unknown number get the same "not found"; a case that gave
//! no card, or whose data were purged, is refused saying why; a passport expired since is
//! asked for again; and tries are rate-limited as status lookups are.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::browser::{Browser, location};

use common::{NOW, Server, ok_json};
use jiff::{SignedDuration, Timestamp};
use reqwest::{Response, StatusCode};
use serde_json::json;
use tirkeu_core::case::CaseChanges;
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{Application, Store, TransitionChange, with_store};

on_both!(
    an_issued_card_is_renewed_with_the_same_details,
    renewals_are_refused_saying_why,
    a_passport_expired_since_is_asked_for_again,
    renewal_tries_are_rate_limited,
);

/// Asks to renew the case `number` with its access code `code`.
async fn renew(b: &mut Browser, number: &str, code: &str) -> Response {
    b.post("/en/renew", &[("number", number), ("access_code", code)])
        .await
}

async fn page(r: Response, status: StatusCode) -> String {
    let got = r.status();
    let html = r.text().await.unwrap();
    assert_eq!(got, status, "{html}");
    assert!(!html.contains("Unknown localization key"), "{html}");
    html
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A draft for `passport` (expiring on `expiry`), created through the applicant's API with
/// contact details and an address; (number, access code).
async fn created(s: &Server, passport: &str, expiry: &str) -> (String, String) {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "work", "language": "ru",
                "applicant": {
                    "surname": "ERIKSSON", "given_names": "ANNA MARIA", "passport_number": passport,
                    "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": expiry
                },
                "contact": {"email": "anna@example.org", "phone": "+49 30 123456"},
                "address": {"city": "Almaty", "line": "Abay 10, apt 5"},
                "arrival_date": "2026-11-01"
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    (
        created["number"].as_str().unwrap().to_owned(),
        created["access_code"].as_str().unwrap().to_owned(),
    )
}

async fn case(s: &Server, number: &str) -> Application {
    let n = CaseNumber::parse(number).unwrap();
    with_store!(&s.store, st => st.application_by_number(&n).await.unwrap())
}

/// Walks the case `number` through `steps` in the store, as the officers' and the worker's
/// transitions leave it (the card issued for a year).
async fn walk(s: &Server, number: &str, steps: &[(Action, State)]) {
    for (action, to) in steps {
        let a = case(s, number).await;
        let update = if *action == Action::Issue {
            CaseChanges {
                valid_from: Some(jiff::civil::date(2026, 12, 2)),
                valid_until: Some(jiff::civil::date(2027, 12, 1)),
                card_number: Some(format!("RC{}", a.id)),
                ..CaseChanges::default()
            }
        } else {
            CaseChanges::default()
        };
        let change = TransitionChange {
            application_id: a.id,
            expected_version: a.version,
            from: a.state,
            to: *to,
            action: *action,
            actor: "test".into(),
            at: t(NOW),
            update,
            outbox: Vec::new(),
        };
        with_store!(&s.store, st => st.transition(&change).await.unwrap());
    }
}

const TO_ISSUED: &[(Action, State)] = &[
    (Action::Submit, State::Submitted),
    (Action::StartReview, State::InReview),
    (Action::Approve, State::Approved),
    (Action::ScheduleCollection, State::ReadyForCollection),
    (Action::Issue, State::Issued),
];

/// The applications for `passport`, as the store finds them.
async fn cases_of(s: &Server, passport: &str) -> Vec<Application> {
    with_store!(&s.store, st => {
        let lookup = st.passport_lookup(passport);
        let mut out = Vec::new();
        for c in st.cases_by_passport(&lookup).await.unwrap() {
            out.push(st.application(c.id).await.unwrap());
        }
        out
    })
}

async fn an_issued_card_is_renewed_with_the_same_details(s: Server) {
    let (number, code) = created(&s, "R1234567", "2034-04-15").await;
    walk(&s, &number, TO_ISSUED).await;
    let old = case(&s, &number).await;
    assert_eq!(old.state, State::Issued);

    // The start page links to renewing; the page asks for the number and the access code.
    let mut b = Browser::new(&s);
    let html = page(b.get("/en/").await, StatusCode::OK).await;
    assert!(html.contains("href=\"/en/renew\""), "{html}");
    assert!(html.contains("Renew a card"), "{html}");
    let html = page(b.get("/en/renew").await, StatusCode::OK).await;
    assert!(html.contains("action=\"/en/renew\""), "{html}");
    assert!(html.contains("name=\"number\"") && html.contains("name=\"access_code\""));
    let html = page(b.get("/kk/renew").await, StatusCode::OK).await;
    assert!(html.contains("Тіркеу карточкасын ұзарту"), "{html}");

    // The number as people type it (lower case, spaces) and the code: a new draft, and on to
    // the documents, as a fresh draft goes.
    let typed = number.to_lowercase().replace('-', " ");
    let r = renew(&mut b, &typed, &code).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/apply/documents");
    assert!(b.cookies.contains_key("tirkeu_draft"), "{:?}", b.cookies);
    let html = page(b.get("/en/apply/documents").await, StatusCode::OK).await;
    assert!(html.contains("Upload your documents"), "{html}");

    // The new draft: the same card type, personal data, contact and address; its own number;
    // the previous case as it was.
    let cases = cases_of(&s, "R1234567").await;
    assert_eq!(cases.len(), 2, "{cases:?}");
    let new = cases.iter().find(|c| c.state == State::Draft).unwrap();
    assert_ne!(new.number, old.number);
    assert_eq!(new.permit_type, old.permit_type);
    assert_eq!(new.applicant, old.applicant);
    assert_eq!(new.email, old.email);
    assert_eq!(new.phone, old.phone);
    assert_eq!(new.address_city, old.address_city);
    assert_eq!(new.address_line, old.address_line);
    assert_eq!(new.office, old.office);
    assert_eq!(new.email.as_deref(), Some("anna@example.org"));
    assert_eq!(
        new.language.code(),
        "en",
        "the language of the renewal's pages"
    );
    assert_eq!(case(&s, &number).await, old);

    // Check your answers shows them.
    let html = page(b.get("/en/apply/check").await, StatusCode::OK).await;
    for shown in [
        "ERIKSSON",
        "ANNA MARIA",
        "R1234567",
        "Abay 10, apt 5",
        "anna@example.org",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }

    // An expired card is renewed as well; the browser now keeps the first renewal, and the
    // page says that renewing again puts a new one in its place.
    walk(&s, &number, &[(Action::Expire, State::Expired)]).await;
    let html = page(b.get("/en/renew").await, StatusCode::OK).await;
    assert!(
        html.contains(&format!(
            "This browser keeps your application {}",
            new.number
        )),
        "{html}"
    );
    let r = renew(&mut b, &number, &code).await;
    assert_eq!(location(&r), "/en/apply/documents");
    assert_eq!(cases_of(&s, "R1234567").await.len(), 3);
}

async fn renewals_are_refused_saying_why(s: Server) {
    let not_found = "No application matches this number and access code.";
    let (number, code) = created(&s, "R7654321", "2034-04-15").await;
    let mut b = Browser::new(&s);

    // Both fields are needed.
    let html = page(
        renew(&mut b, "", "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("href=\"#f-number\""), "{html}");
    assert!(html.contains("href=\"#f-access_code\""), "{html}");

    // A case that gave no card (still a draft): said so, with the way to apply instead.
    let html = page(renew(&mut b, &number, &code).await, StatusCode::CONFLICT).await;
    assert!(
        html.contains(&format!(
            "Application {number} is at the stage \"Draft, not submitted yet\""
        )) || html.contains(&format!(
            "Application {number} is at the stage &#34;Draft, not submitted yet&#34;"
        )),
        "{html}"
    );
    assert!(
        html.contains("class=\"button\" href=\"/en/apply\""),
        "{html}"
    );

    // Issued, but a wrong code, and a number that is no case's: the same answer.
    walk(&s, &number, TO_ISSUED).await;
    let wrong = renew(&mut b, &number, "AAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    let html = page(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains(not_found), "{html}");
    let unknown = CaseNumber::generate().to_string();
    let html = page(
        renew(&mut b, &unknown, &code).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains(not_found), "{html}");
    let html = page(
        renew(&mut b, "not a number", &code).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains(not_found), "{html}");
    assert_eq!(
        cases_of(&s, "R7654321").await.len(),
        1,
        "nothing was created"
    );

    // The card expired and, after the retention period, its personal data were purged:
    // nothing to copy, said so (whatever code is given: none is left to check).
    walk(&s, &number, &[(Action::Expire, State::Expired)]).await;
    let id = case(&s, &number).await.id;
    with_store!(&s.store, st => st.purge_case(id, t(NOW), "test").await.unwrap());
    for given in [code.as_str(), "AAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        let html = page(renew(&mut b, &number, given).await, StatusCode::GONE).await;
        assert!(
            html.contains(&format!(
                "The personal details of application {number} were deleted"
            )),
            "{html}"
        );
        assert!(
            html.contains("class=\"button\" href=\"/en/apply\""),
            "{html}"
        );
    }
    let html = page(
        b.post("/ru/renew", &[("number", &number), ("access_code", &code)])
            .await,
        StatusCode::GONE,
    )
    .await;
    assert!(html.contains("Персональные данные заявления"), "{html}");
    assert!(!b.cookies.contains_key("tirkeu_draft"), "no draft was kept");
}

async fn a_passport_expired_since_is_asked_for_again(s: Server) {
    let (number, code) = created(&s, "R5555555", "2027-01-15").await;
    walk(&s, &number, TO_ISSUED).await;
    // Two months later the passport on record has expired.
    s.clock.advance(SignedDuration::from_hours(24 * 60));
    let mut b = Browser::new(&s);
    let html = page(
        renew(&mut b, &number, &code).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("action=\"/en/apply/passport\""), "{html}");
    assert!(
        html.contains("href=\"#f-applicant-passport_expiry\""),
        "{html}"
    );
    assert!(html.contains("value=\"ERIKSSON\""), "{html}");
    assert_eq!(cases_of(&s, "R5555555").await.len(), 1, "no draft yet");

    // The new passport's details; the contact details and address are kept from the case.
    let r = b
        .post(
            "/en/apply/passport",
            &[
                ("how", "fields"),
                ("applicant.surname", "ERIKSSON"),
                ("applicant.given_names", "ANNA MARIA"),
                ("applicant.passport_number", "R6666666"),
                ("applicant.nationality", "DEU"),
                ("applicant.birth_date.day", "12"),
                ("applicant.birth_date.month", "8"),
                ("applicant.birth_date.year", "1974"),
                ("applicant.sex", "F"),
                ("applicant.passport_expiry.day", "1"),
                ("applicant.passport_expiry.month", "2"),
                ("applicant.passport_expiry.year", "2037"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/en/apply/contact");
    let html = page(b.get("/en/apply/contact").await, StatusCode::OK).await;
    assert!(html.contains("value=\"anna@example.org\""), "{html}");
    assert!(html.contains("value=\"Abay 10, apt 5\""), "{html}");
    let r = b
        .post(
            "/en/apply/contact",
            &[
                ("contact.email", "anna@example.org"),
                ("contact.phone", "+49 30 123456"),
                ("address.city", "Almaty"),
                ("address.line", "Abay 10, apt 5"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/en/apply/documents");
    let new = cases_of(&s, "R6666666").await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].state, State::Draft);
    assert_eq!(new[0].permit_type, "work");
}

async fn renewal_tries_are_rate_limited(s: Server) {
    // The test server allows 8 lookups of one number a minute.
    let number = CaseNumber::generate().to_string();
    let mut b = Browser::new(&s);
    for _ in 0..8 {
        page(
            renew(&mut b, &number, "AAAAAAAAAAAAAAAAAAAAAAAAAA").await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // Typed otherwise, still the same number.
    let typed = number.to_lowercase().replace('-', "");
    let r = renew(&mut b, &typed, "AAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    let html = page(r, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(html.contains("Too many attempts"), "{html}");
    // The status lookup counts the same tries.
    let r = s
        .post(
            "/api/v1/status",
            None,
            &json!({"number": number, "passport_number": "X1"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}
