//! The applicant's pages as a browser without JavaScript meets them, over HTTP, on SQLite and
//! on PostgreSQL: "Do I need a card?", applying (card type → passport → contact → documents →
//! check answers → submit → confirmation and receipt), and opening one's application with
//! its number and access code from another device to withdraw it.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::browser::{Browser, SetCookies as _, location};

use common::files::{mrz, pdf, png};
use common::{Server, ok_json};
use reqwest::{Response, StatusCode};
use serde_json::json;
use tirkeu_core::policy::Policy;

on_both!(
    eligibility_answers_in_two_languages,
    an_application_from_first_question_to_withdrawal,
    a_status_result_links_to_managing_the_application,
);

async fn page(r: Response, status: StatusCode) -> String {
    let got = r.status();
    let html = r.text().await.unwrap();
    assert_eq!(got, status, "{html}");
    assert!(!html.contains("Unknown localization key"), "{html}");
    html
}

async fn eligibility_answers_in_two_languages(s: Server) {
    let mut b = Browser::new(&s);
    // Three stay rows at first, each date in three boxes; the purposes are the policy's.
    let html = page(b.get("/en/eligibility").await, StatusCode::OK).await;
    assert!(html.contains("name=\"stays[2].entry.day\""), "{html}");
    assert!(!html.contains("stays[3]"), "{html}");
    assert!(
        html.contains("Temporary residence permit for work"),
        "{html}"
    );
    assert!(html.contains("I am not sure"), "{html}");

    // "Add another stay" shows one more row and keeps what was typed.
    let html = page(
        b.post(
            "/en/eligibility",
            &[
                ("rows", "3"),
                ("nationality", "DEU"),
                ("stays[0].entry.day", "1"),
                ("add", "1"),
            ],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(html.contains("name=\"stays[3].entry.day\""), "{html}");
    assert!(html.contains("value=\"DEU\""), "{html}");
    assert!(!html.contains("error-summary"), "{html}");

    // A German staying for work into next summer: a card, the work permit's checklist, and
    // the arrival rule.
    let html = page(
        b.post(
            "/en/eligibility",
            &[
                ("rows", "3"),
                ("nationality", "deu"),
                ("purpose", "work"),
                ("stays[0].entry.day", "1"),
                ("stays[0].entry.month", "11"),
                ("stays[0].entry.year", "2026"),
                ("planned_until.day", "1"),
                ("planned_until.month", "6"),
                ("planned_until.year", "2027"),
            ],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(html.contains("You need a registration card"), "{html}");
    assert!(html.contains("Days used"), "{html}");
    assert!(html.contains("Passport (original and copy)"), "{html}");
    assert!(
        html.contains("working days after the day you arrive"),
        "{html}"
    );
    assert!(html.contains("/en/apply"), "{html}");

    // In Russian, a short visit: no card, why, and what to do instead.
    let html = page(
        b.post(
            "/ru/eligibility",
            &[
                ("rows", "3"),
                ("nationality", "DEU"),
                ("purpose", ""),
                ("stays[1].entry.day", "25"),
                ("stays[1].entry.month", "11"),
                ("stays[1].entry.year", "2026"),
                ("planned_until.day", "10"),
                ("planned_until.month", "12"),
                ("planned_until.year", "2026"),
            ],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(html.contains("карточка не нужна"), "{html}");
    assert!(html.contains("Что делать вместо этого"), "{html}");
    assert!(
        html.contains("2026-12-24"),
        "the 30th day from entry: {html}"
    );
    assert!(html.contains("рабочих дней"), "{html}");

    // A date that does not exist: the form again with the summary linking to the row's day
    // box, and what was typed kept.
    let r = b
        .post(
            "/ru/eligibility",
            &[
                ("rows", "3"),
                ("nationality", "DEU"),
                ("stays[1].entry.day", "31"),
                ("stays[1].entry.month", "2"),
                ("stays[1].entry.year", "2026"),
            ],
        )
        .await;
    let html = page(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains("<title>Ошибка: "), "{html}");
    assert!(html.contains("href=\"#f-stays-1--entry\""), "{html}");
    assert!(html.contains("id=\"f-stays-1--entry-error\""), "{html}");
    assert!(html.contains("value=\"31\""), "{html}");
    // A missing nationality is named too.
    let html = page(
        b.post("/en/eligibility", &[("rows", "3")]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("href=\"#f-nationality\""), "{html}");
}

async fn an_application_from_first_question_to_withdrawal(s: Server) {
    let mut b = Browser::new(&s);
    let html = page(b.get("/en/apply").await, StatusCode::OK).await;
    assert!(html.contains("href=\"/en/apply/type\""), "{html}");
    // Pages further on send back to the first unanswered question.
    let r = b.get("/en/apply/passport").await;
    assert_eq!(location(&r), "/en/apply/type");

    // Card type: nothing chosen is named; a choice moves on and is kept in the cookie.
    let html = page(
        b.post("/en/apply/type", &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("href=\"#f-permit_type\""), "{html}");
    let r = b.post("/en/apply/type", &[("permit_type", "work")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/apply/passport");
    let set = r.get_all_set_cookie().join("\n");
    assert!(
        set.contains("tirkeu_draft=") && set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(!set.contains("work"), "the cookie is encrypted: {set}");
    let html = page(b.get("/en/apply/type").await, StatusCode::OK).await;
    assert!(html.contains("value=\"work\" checked"), "{html}");

    // Passport: a zone with a mistyped date of birth is refused, naming that part.
    let good = mrz("C01X00T47");
    let broken = good.replacen("7408122F", "7408123F", 1);
    assert_ne!(good, broken);
    let html = page(
        b.post(
            "/en/apply/passport",
            &[("how", "mrz"), ("applicant.mrz", broken.as_str())],
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("Date of birth: The check digit"), "{html}");
    assert!(html.contains("href=\"#f-applicant-mrz\""), "{html}");
    // Typed fields: a bad expiry date is named at its boxes.
    let html = page(b.get("/en/apply/passport?by=fields").await, StatusCode::OK).await;
    assert!(html.contains("name=\"applicant.birth_date.day\""), "{html}");
    let html = page(
        b.post(
            "/en/apply/passport",
            &[
                ("how", "fields"),
                ("applicant.surname", "Eriksson"),
                ("applicant.passport_expiry.day", "31"),
                ("applicant.passport_expiry.month", "4"),
                ("applicant.passport_expiry.year", "2034"),
            ],
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        html.contains("href=\"#f-applicant-passport_expiry\""),
        "{html}"
    );
    assert!(html.contains("href=\"#f-applicant-sex\""), "{html}");
    assert!(html.contains("value=\"Eriksson\""), "{html}");
    // The zone pasted right (with Windows line ends) moves on.
    let pasted = good.replace('\n', "\r\n");
    let r = b
        .post(
            "/en/apply/passport",
            &[("how", "mrz"), ("applicant.mrz", pasted.as_str())],
        )
        .await;
    assert_eq!(location(&r), "/en/apply/contact");

    // Contact: a bad e-mail is named; then the draft is created and its number kept.
    let html = page(
        b.post(
            "/en/apply/contact",
            &[
                ("contact.email", "not an address"),
                ("address.city", "Almaty"),
                ("address.line", "Abay 10, apt 5"),
            ],
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("href=\"#f-contact-email\""), "{html}");
    assert!(html.contains("value=\"Abay 10, apt 5\""), "{html}");
    let r = b
        .post(
            "/en/apply/contact",
            &[
                ("contact.email", "anna@example.org"),
                ("contact.phone", ""),
                ("address.city", "Almaty"),
                ("address.line", "Abay 10, apt 5"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/en/apply/documents");
    // The earlier questions now say the draft is saved, rather than change it silently.
    let r = b.get("/en/apply/type").await;
    assert_eq!(location(&r), "/en/apply/restart");

    // Documents: the checklist in the page's language; uploads one at a time.
    let html = page(b.get("/en/apply/documents").await, StatusCode::OK).await;
    assert!(html.contains("Passport (original and copy)"), "{html}");
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
    let html = page(
        b.upload("/en/apply/documents", "passport", None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("href=\"#f-file\""), "{html}");
    let html = page(
        b.upload(
            "/en/apply/documents",
            "passport",
            Some(("notes.txt", b"just some text, not a document".to_vec())),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("The file type is not recognised"), "{html}");
    let html = page(
        b.upload(
            "/en/apply/documents",
            "passport",
            Some(("big.pdf", vec![b'%'; 11 * 1024 * 1024])),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("at most 10485760 bytes"), "{html}");
    let r = b
        .upload(
            "/en/apply/documents",
            "passport",
            Some(("photo.png", png())),
        )
        .await;
    assert_eq!(location(&r), "/en/apply/documents");
    let html = page(b.get("/en/apply/documents").await, StatusCode::OK).await;
    assert!(html.contains("image/png"), "{html}");

    // Submitting with required documents missing names them on the check page.
    let r = b.post("/en/apply/submit", &[]).await;
    let html = page(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains("is missing; upload it first"), "{html}");
    assert!(html.contains("href=\"#f-documents\""), "{html}");

    let policy = Policy::default_kz();
    for c in &policy.permit_type("work").unwrap().documents {
        if c.required && c.id != "passport" {
            let r = b
                .upload("/en/apply/documents", &c.id, Some(("doc.pdf", pdf())))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", c.id);
        }
    }

    // Check your answers, with "Change" links; then submit.
    let html = page(b.get("/en/apply/check").await, StatusCode::OK).await;
    assert!(
        html.contains("ERIKSSON") && html.contains("ANNA MARIA"),
        "{html}"
    );
    assert!(
        html.contains("1974-08-12") && html.contains("Female"),
        "{html}"
    );
    assert!(html.contains(">Change<"), "{html}");
    let r = b.post("/en/apply/submit", &[]).await;
    assert_eq!(location(&r), "/en/apply/confirmation");

    // The confirmation: number, access code with its warning, QR code, receipt link.
    let html = page(b.get("/en/apply/confirmation").await, StatusCode::OK).await;
    let number = html
        .split("class=\"number\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let code = html
        .split("class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(number.len(), 19, "{number}");
    assert!(code.len() >= 26, "{code}");
    assert!(html.contains("cannot show it to you again"), "{html}");
    assert!(html.contains("<svg"), "{html}");
    assert!(html.contains("href=\"/en/apply/receipt.pdf\""), "{html}");
    // The same number and code open it through the API.
    let own = ok_json(
        s.get(&format!("/api/v1/applications/{number}"), Some(&code))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own["status"], "submitted");
    assert_eq!(own["language"], "en");

    // The receipt link works in a browser: the code comes from the cookie.
    let r = b.get("/en/apply/receipt.pdf").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // Without the cookie there is no receipt.
    let mut stranger = Browser::new(&s);
    let r = stranger.get("/en/apply/receipt.pdf").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Another device: the number and a wrong code find nothing; the right code opens it.
    let mut other = Browser::new(&s);
    let html = page(other.get("/ru/application").await, StatusCode::OK).await;
    assert!(html.contains("name=\"access_code\""), "{html}");
    let html = page(
        other
            .post(
                "/ru/application",
                &[
                    ("number", number.as_str()),
                    ("access_code", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AA"),
                ],
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("Нет заявления"), "{html}");
    let r = other
        .post(
            "/ru/application",
            &[
                ("number", number.to_lowercase().as_str()),
                ("access_code", code.as_str()),
            ],
        )
        .await;
    assert_eq!(location(&r), "/ru/application");
    let html = page(other.get("/ru/application").await, StatusCode::OK).await;
    assert!(html.contains(&number), "{html}");
    assert!(html.contains("Принято"), "{html}");
    assert!(html.contains("href=\"/ru/apply/receipt.pdf\""), "{html}");
    assert!(html.contains("href=\"/ru/application/withdraw\""), "{html}");

    // Withdrawing asks first, then goes through the lifecycle.
    let html = page(other.get("/ru/application/withdraw").await, StatusCode::OK).await;
    assert!(html.contains("Это нельзя отменить"), "{html}");
    let r = other.post("/ru/application/withdraw", &[]).await;
    assert_eq!(location(&r), "/ru/application");
    let html = page(other.get("/ru/application").await, StatusCode::OK).await;
    assert!(html.contains("Отозвано"), "{html}");
    assert!(!html.contains("/ru/application/withdraw"), "{html}");
    let own = ok_json(
        s.get(&format!("/api/v1/applications/{number}"), Some(&code))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(own["status"], "withdrawn");

    // Closing on this device forgets it.
    let r = other.post("/ru/application/forget", &[]).await;
    assert_eq!(location(&r), "/ru/application");
    let html = page(other.get("/ru/application").await, StatusCode::OK).await;
    assert!(html.contains("name=\"access_code\""), "{html}");
}

async fn a_status_result_links_to_managing_the_application(s: Server) {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "study", "language": "en",
                "applicant": {"surname": "LI", "given_names": "WEI", "passport_number": "E12345678",
                    "nationality": "CHN", "birth_date": "2001-03-04", "sex": "M", "passport_expiry": "2031-01-01"},
                "address": {"city": "Astana", "line": "Kabanbay 1"}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let number = created["number"].as_str().unwrap();
    let mut b = Browser::new(&s);
    let html = page(
        b.post(
            "/zh/status",
            &[("number", number), ("passport_number", "E12345678")],
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(html.contains("href=\"/zh/application\""), "{html}");
    assert!(html.contains("管理此申请"), "{html}");
    // And the start page links the applicant's doors.
    let html = page(b.get("/kk/").await, StatusCode::OK).await;
    for door in ["/kk/eligibility", "/kk/apply", "/kk/application"] {
        assert!(html.contains(&format!("href=\"{door}\"")), "{door}: {html}");
    }
}
