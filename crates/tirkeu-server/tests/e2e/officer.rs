//! The officer's back office in the browser: a new submission found in its queue, assigned,
//! its documents looked at, information requested (refused without a reason, then sent), the
//! applicant's answer through "My application", the approval, the collection and the card;
//! the history naming every step, the views included. And two officers on one case: the one
//! who comes second is told, with script off.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use reqwest::multipart::{Form, Part};
use serde_json::json;
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{Store, with_store};

use crate::browser::Browser;
use crate::common::files::{pdf, png};
use crate::common::{Server, ok_json};
use crate::flows::{look, message};
use crate::with_browser;

/// A submitted application for `passport` through the applicant's API, with every required
/// document as a PDF and a photo as a PNG; returns (number, access code).
pub async fn submitted(s: &Server, passport: &str) -> (String, String) {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "work", "language": "en",
                "applicant": {"surname": "ERIKSSON", "given_names": "ANNA", "passport_number": passport,
                    "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"},
                "contact": {"email": "anna@example.org"},
                "address": {"city": "Almaty", "line": "Abay 1"},
                "arrival_date": "2026-11-01"
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let number = created["number"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    let mut uploads: Vec<(String, Vec<u8>)> = created["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["required"] == true)
        .map(|i| (i["document"].as_str().unwrap().to_owned(), pdf()))
        .collect();
    uploads.push(("photos".into(), png()));
    for (kind, bytes) in uploads {
        let form = Form::new()
            .text("kind", kind)
            .part("file", Part::bytes(bytes).file_name("x.bin"));
        let r = s.upload(&number, &code, form).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    ok_json(
        s.post(
            &format!("/api/v1/applications/{number}/submit"),
            Some(&code),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    (number, code)
}

/// A transition through the JSON API at the case's current version; the new version.
pub async fn api_transition(s: &Server, token: &str, number: &str, action: &str) -> i64 {
    let r = s.get(&format!("/api/v1/cases/{number}"), Some(token)).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let r = s
        .http
        .post(s.url(&format!("/api/v1/cases/{number}/transitions")))
        .bearer_auth(token)
        .header("If-Match", etag)
        .json(&json!({"action": action}))
        .send()
        .await
        .unwrap();
    ok_json(r, StatusCode::OK).await["version"]
        .as_i64()
        .unwrap()
}

/// The case the page tests look at: submitted and taken up by officer2, so that the
/// signed-in officer sees "Assign to me" and the request for information.
pub async fn page_case(s: &Server) {
    let (number, _) = submitted(s, "P7654321").await;
    api_transition(s, &s.officer2, &number, "start_review").await;
}

/// The page states of the back office for `main.rs`'s checks (signed in as the officer).
pub async fn visit(b: &Browser, s: &Server, lang: &str, page: &str) {
    match page {
        "staff-case" => {
            b.goto(&s.url(&format!("/{lang}/staff?queue=decision")))
                .await;
            b.click("main table.cases a.number").await;
            assert!(b.exists("#h-history").await);
        }
        "staff-action-errors" => {
            b.click("main a.button[href$='/actions/request_info']")
                .await;
            b.click("main form button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "staff-stale" => {
            // Someone else takes the case between loading the page and pressing the button.
            b.click("main a.back").await;
            let compact = b.path().await.rsplit('/').next().unwrap().to_owned();
            with_store!(&s.store, st => {
                let a = st.application_by_number(&CaseNumber::parse(&compact).unwrap()).await.unwrap();
                let other = st.user_by_username("officer2").await.unwrap();
                st.assign(a.id, a.version, other.id, &format!("user:{}", other.id), a.updated_at).await.unwrap();
            });
            b.click("main form[action$='/assign'] button").await;
            assert!(b.exists(".notice.stale").await);
        }
        other => panic!("no way to visit {other}"),
    }
}

async fn sign_in(b: &Browser, s: &Server, lang: &str, username: &str) {
    crate::sign_in(b, s, lang, username).await;
    assert_eq!(b.path().await, format!("/{lang}/staff"));
}

/// The count the side navigation shows for `queue`.
async fn count(b: &Browser, queue: &str) -> String {
    b.text(&format!("nav.queues a[href*='queue={queue}'] .count"))
        .await
}

async fn notice(b: &Browser) -> String {
    b.text("main .notice").await
}

async fn fetch(b: &Browser, s: &Server, href: &str) -> reqwest::Response {
    let cookies = b.client.get_all_cookies().await.unwrap();
    let header = cookies
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    reqwest::Client::new()
        .get(s.url(href))
        .header(COOKIE, header)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn an_officer_works_a_new_submission_to_an_issued_card() {
    with_browser(true, |s, b| async move {
        let lang = "en";
        let (number, code) = submitted(&s, "W1234567").await;
        let shown = CaseNumber::parse(&number).unwrap().to_string();
        b.client.delete_all_cookies().await.unwrap();
        sign_in(&b, &s, lang, "officer").await;
        assert_eq!(count(&b, "new").await, "1");
        look(&b, "officer-queue-en").await;
        b.click("main table.cases a.number").await;
        assert!(b.text("h1").await.contains(&shown));

        // Assign to me.
        b.click("main form[action$='/assign'] button").await;
        assert_eq!(notice(&b).await, message(lang, "case-done-assign"));
        // The photo is shown in the page; the PDFs open as PDFs.
        let loaded = b
            .js("return [...document.querySelectorAll('main img')].every(i => i.complete && i.naturalWidth > 0)")
            .await;
        assert_eq!(loaded, json!(true));
        let pdf_link = b
            .find("main a[target=_blank]")
            .await
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let r = fetch(&b, &s, &pdf_link).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[CONTENT_TYPE], "application/pdf");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
        look(&b, "officer-case-en").await;

        // Start the review, then ask for information: refused without a reason.
        b.click("main form[action$='/actions/start_review'] button").await;
        assert_eq!(notice(&b).await, message(lang, "case-done-start_review"));
        b.click("main a.button[href$='/actions/request_info']").await;
        b.click("main form button[type=submit]").await;
        assert!(b.exists(".error-summary a[href='#f-reason']").await);
        look(&b, "officer-reason-required-en").await;
        b.find("#f-reason").await.click().await.unwrap();
        b.click("main form button[type=submit]").await;
        assert!(b.text("h1").await.starts_with("Are you sure?"));
        look(&b, "officer-confirm-en").await;
        b.click("main form button[type=submit]").await;
        assert_eq!(notice(&b).await, message(lang, "case-done-request_info"));

        // The applicant answers from "My application", in another session.
        b.client.delete_all_cookies().await.unwrap();
        b.goto(&s.url(&format!("/{lang}/application"))).await;
        b.type_into("#f-number", &number).await;
        b.type_into("#f-access_code", &code).await;
        b.click("main button[type=submit]").await;
        b.click(&format!(
            "main form[action='/{lang}/application/respond'] button"
        ))
        .await;
        assert_eq!(
            b.text("dl.summary .tag").await,
            message(lang, "state-in_review")
        );

        // Back to the officer: "information received" has it.
        b.client.delete_all_cookies().await.unwrap();
        sign_in(&b, &s, lang, "officer").await;
        assert_eq!(count(&b, "info_received").await, "1");
        b.goto(&s.url(&format!("/{lang}/staff?queue=info_received"))).await;
        b.click("main table.cases a.number").await;

        // The reviewer is not offered the decision: a supervisor approves (with its
        // question), schedules the collection and issues the card (the second pair of eyes).
        assert!(!b.exists("main a.button[href$='/actions/approve']").await);
        let case_url = b.client.current_url().await.unwrap();
        b.client.delete_all_cookies().await.unwrap();
        sign_in(&b, &s, lang, "supervisor").await;
        b.goto(case_url.as_str()).await;
        b.click("main a.button[href$='/actions/approve']").await;
        b.click("main form button[type=submit]").await;
        b.click("main form button[type=submit]").await;
        assert_eq!(notice(&b).await, message(lang, "case-done-approve"));
        b.click("main a.button[href$='/actions/schedule_collection']").await;
        b.type_into("#f-collection", "10").await;
        b.type_into("#f-collection-month", "12").await;
        b.type_into("#f-collection-year", "2026").await;
        b.type_into("#f-collection-time", "10:30").await;
        b.click("main form button[type=submit]").await;
        assert_eq!(
            notice(&b).await,
            message(lang, "case-done-schedule_collection")
        );
        b.click("main a.button[href$='/actions/issue']").await;
        b.click("main form button[type=submit]").await;
        b.click("main form button[type=submit]").await;
        assert!(b.text(".panel").await.contains("/api/v1/verify/"));
        look(&b, "officer-issued-en").await;

        // The history names every step, the views included.
        let history = b.text("main table.history").await;
        for id in [
            "history-application-submit",
            "history-application-assign",
            "history-application-start_review",
            "history-application-request_info",
            "history-application-respond",
            "history-application-approve",
            "history-application-schedule_collection",
            "history-application-issue",
            "history-case-read",
            "history-document-read",
        ] {
            assert!(history.contains(&message(lang, id)), "{id}: {history}");
        }
        b
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn the_second_of_two_officers_is_told_the_case_changed_without_javascript() {
    with_browser(false, |s, b| async move {
        let lang = "ru";
        let (number, _) = submitted(&s, "T1234567").await;
        let version = api_transition(&s, &s.officer, &number, "start_review").await;
        b.client.delete_all_cookies().await.unwrap();
        sign_in(&b, &s, lang, "officer2").await;
        b.goto(&s.url(&format!("/{lang}/staff?queue=decision")))
            .await;
        b.click("main table.cases a.number").await;
        b.click("main a.button[href$='/actions/reject']").await;
        b.find("#f-reason").await.click().await.unwrap();
        // Meanwhile a supervisor approves through the API.
        let approved = api_transition(&s, &s.supervisor, &number, "approve").await;
        assert_eq!(approved, version + 1);
        b.click("main form button[type=submit]").await;
        assert!(b.exists(".notice.stale").await);
        assert_eq!(b.text("main p .tag").await, message(lang, "state-approved"));
        look(&b, "officer-stale-ru").await;
        // Nothing was overwritten.
        let r = ok_json(
            s.get(&format!("/api/v1/cases/{number}"), Some(&s.officer))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(r["status"], "approved");
        assert_eq!(r["version"], approved);
        b
    })
    .await;
}
