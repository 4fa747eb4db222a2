//! The user flows in the browser, from first question to answer, as people go through them:
//! typing, choosing, uploading files through the file input, following links and buttons.
//! The page checks of `main.rs` look at each page on its own; these follow one person's way
//! through them, and look (axe-core, no sideways scroll, a screenshot `flow-….png` at 390 px)
//! at the pages that matter most on the way.

use std::path::PathBuf;

use fantoccini::Locator;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};
use tirkeu_core::policy::Policy;

use crate::browser::{Browser, screenshot_dir};
use crate::common::files::{mrz, pdf, png};
use crate::common::{PASSWORD, Server, ok_json};
use crate::with_browser;

/// A message of `locales/{lang}/*.ftl` (a one-line one), so that the flows check each
/// language's own words without copying them here.
pub(crate) fn message(lang: &str, id: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../locales/{lang}"));
    let start = format!("{id} = ");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        if let Some(line) = text.lines().find(|l| l.starts_with(&start)) {
            return line[start.len()..].to_owned();
        }
    }
    panic!("no message {id} in {}", dir.display())
}

/// The files a flow uploads, written to a temporary directory (the browser is given paths).
struct Files {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    png: PathBuf,
    csv: PathBuf,
}

/// The CSV's header line, and a row refused (no surname) on line 3.
const CSV: &str = "surname,given_names,passport_number,nationality,birth_date,sex,passport_expiry,arrived_at,city,address
KIM,MINJI,M1234567,KOR,1995-02-03,F,2031-01-01,2026-12-01T10:00:00+05:00,Almaty,\"Abay 1, room 3\"
,NOSURNAME,M7654321,KOR,1995-02-03,F,2031-01-01,2026-12-01T10:00:00+05:00,Almaty,Abay 1
";

impl Files {
    fn new() -> Files {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        Files {
            pdf: write("document.pdf", &pdf()),
            png: write("photo.png", &png()),
            csv: write("guests.csv", CSV.as_bytes()),
            _dir: dir,
        }
    }
}

/// Looks at the page a person has reached: axe-core finds nothing, the page does not scroll
/// sideways at 390 px, every message has its text; saves `flow-{name}.png`. With script off
/// axe cannot run (its checks wait on timers that then never fire); the same pages are
/// checked by the flows with script on.
pub(crate) async fn look(b: &Browser, name: &str) {
    b.set_width(390).await;
    if b.javascript() {
        let report = b.axe().await;
        assert!(
            report.violations.is_empty(),
            "flow-{name}: axe\n{}",
            report.describe()
        );
    }
    assert_eq!(b.overflow().await, None, "flow-{name} scrolls sideways");
    let source = b.client.source().await.unwrap();
    assert!(!source.contains("Unknown localization key"), "flow-{name}");
    b.screenshot(390, &screenshot_dir().join(format!("flow-{name}.png")))
        .await;
}

/// Clicks a radio or an option: nothing is loaded.
async fn choose(b: &Browser, css: &str) {
    b.find(css).await.click().await.unwrap();
}

/// The page's error summary, if it shows one (a step that should have moved on says why not).
async fn errors(b: &Browser) -> String {
    if b.exists(".error-summary").await {
        b.text(".error-summary").await
    } else {
        String::new()
    }
}

async fn assert_at(b: &Browser, path: &str) {
    let at = b.path().await;
    assert_eq!(at, path, "{}", errors(b).await);
}

/// Types a date into its three boxes (`id` is the day's).
async fn date(b: &Browser, id: &str, day: &str, month: &str, year: &str) {
    b.type_into(&format!("#{id}"), day).await;
    b.type_into(&format!("#{id}-month"), month).await;
    b.type_into(&format!("#{id}-year"), year).await;
}

/// "Do I need a card?": a German here since 1 November for work until next summer is told
/// to get one, and follows the answer's link to applying.
async fn eligibility(b: &Browser, s: &Server, lang: &str) {
    b.goto(&s.url(&format!("/{lang}/eligibility"))).await;
    b.type_into("#f-nationality", "DEU").await;
    choose(b, "input[name=purpose][value=work]").await;
    date(b, "f-stays-0--entry", "1", "11", "2026").await;
    date(b, "f-planned_until", "1", "6", "2027").await;
    b.click("main button[type=submit]:not([name=add])").await;
    assert_eq!(
        b.text("h1").await,
        message(lang, "eligibility-needed-title"),
        "{}",
        errors(b).await
    );
    b.click(&format!("main a.button[href='/{lang}/apply']"))
        .await;
    assert_at(b, &format!("/{lang}/apply")).await;
}

/// From the start page of applying to the confirmation: card type, passport by its MRZ,
/// contact and address, every required document uploaded one at a time, check your answers,
/// submit. The number and the access code shown.
async fn apply(b: &Browser, lang: &str, passport: &str, files: &Files) -> (String, String) {
    let at = |p: &str| format!("/{lang}/apply{p}");
    b.click(&format!("main a.button[href='{}']", at("/type")))
        .await;
    choose(b, "input[name=permit_type][value=work]").await;
    b.click("main button[type=submit]").await;
    assert_at(b, &at("/passport")).await;
    b.type_into("#f-applicant-mrz", &mrz(passport)).await;
    b.click("main button[type=submit]").await;
    assert_at(b, &at("/contact")).await;
    b.type_into("#f-contact-email", "anna@example.org").await;
    b.type_into("#f-address-city", "Almaty").await;
    b.type_into("#f-address-line", "Abay 10, apt 5").await;
    b.click("main button[type=submit]").await;
    assert_at(b, &at("/documents")).await;

    let policy = Policy::default_kz();
    let required: Vec<&str> = policy
        .permit_type("work")
        .unwrap()
        .documents
        .iter()
        .filter(|d| d.required)
        .map(|d| d.id.as_str())
        .collect();
    for (i, kind) in required.iter().enumerate() {
        let accepts_pdf = policy
            .document(kind)
            .unwrap()
            .content_types
            .iter()
            .any(|t| t == "application/pdf");
        let file = if accepts_pdf { &files.pdf } else { &files.png };
        b.find("#f-kind").await.select_by_value(kind).await.unwrap();
        b.find("#f-file")
            .await
            .send_keys(file.to_str().unwrap())
            .await
            .unwrap();
        b.click("main form[enctype] button[type=submit]").await;
        assert_at(b, &at("/documents")).await;
        let done = b
            .client
            .find_all(Locator::Css(".checklist .tag.done"))
            .await
            .unwrap();
        assert_eq!(done.len(), i + 1, "after uploading {kind}");
    }

    b.click(&format!("main a.button[href='{}']", at("/check")))
        .await;
    let answers = b.text("main").await;
    assert!(
        answers.contains("ERIKSSON") && answers.contains("ANNA MARIA"),
        "{answers}"
    );
    assert!(answers.contains(passport), "{answers}");
    look(b, &format!("check-{lang}")).await;
    b.click(&format!("main form[action='{}'] button", at("/submit")))
        .await;
    assert_at(b, &at("/confirmation")).await;
    let number = b.text(".panel .number").await;
    let code = b.text("main .code").await;
    assert_eq!(number.len(), 19, "{number}");
    assert!(code.len() >= 26, "{code}");
    look(b, &format!("confirmation-{lang}")).await;
    (number, code)
}

/// The receipt link on the confirmation answers a PDF to the browser's own session: its
/// cookies (`HttpOnly`, so not in `document.cookie`) taken from `WebDriver` and sent by a
/// plain client.
async fn receipt_is_a_pdf(b: &Browser, s: &Server, lang: &str) {
    let href = format!("/{lang}/apply/receipt.pdf");
    assert!(b.exists(&format!("main a[href='{href}']")).await);
    let cookies = b.client.get_all_cookies().await.unwrap();
    let header = cookies
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(s.url(&href))
        .header(COOKIE, header)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_TYPE], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
}

/// The status page, given the number and the passport number, shows `state`.
async fn status_shows(
    b: &Browser,
    s: &Server,
    lang: &str,
    number: &str,
    passport: &str,
    state: &str,
) {
    b.goto(&s.url(&format!("/{lang}/status"))).await;
    b.type_into("#f-number", number).await;
    b.type_into("#f-passport_number", passport).await;
    b.click("main button[type=submit]").await;
    assert!(b.text("h1").await.contains(number), "{}", errors(b).await);
    assert_eq!(
        b.text("dl.summary .tag").await,
        message(lang, &format!("state-{state}"))
    );
}

/// The whole applicant path: find out, apply, confirmation, receipt, status.
async fn applicant_path(b: &Browser, s: &Server, lang: &str, passport: &str, files: &Files) {
    // A new person on this browser: no draft, no language chosen.
    b.client.delete_all_cookies().await.unwrap();
    eligibility(b, s, lang).await;
    let (number, _code) = apply(b, lang, passport, files).await;
    receipt_is_a_pdf(b, s, lang).await;
    status_shows(b, s, lang, &number, passport, "submitted").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn an_applicant_finds_out_applies_and_follows_it_in_english_and_chinese() {
    with_browser(true, |s, b| async move {
        let files = Files::new();
        applicant_path(&b, &s, "en", "C01X00T47", &files).await;
        applicant_path(&b, &s, "zh", "C01X00T48", &files).await;
        b
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn an_applicant_applies_without_javascript() {
    with_browser(false, |s, b| async move {
        b.goto("data:text/html,<title>off</title><script>document.title='on'</script>")
            .await;
        assert_eq!(b.client.title().await.unwrap(), "off", "script is off");
        let files = Files::new();
        applicant_path(&b, &s, "ru", "C01X00T47", &files).await;
        b
    })
    .await;
}

/// The case's `ETag`, as an officer reads it.
async fn etag(s: &Server, number: &str) -> String {
    let r = s
        .get(&format!("/api/v1/cases/{number}"), Some(&s.officer))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.headers()["etag"].to_str().unwrap().to_owned()
}

/// An officer's transition through the JSON API.
async fn transition(s: &Server, officer: &str, number: &str, body: &Value) -> Value {
    let r = s
        .http
        .post(s.url(&format!("/api/v1/cases/{number}/transitions")))
        .bearer_auth(officer)
        .header("If-Match", etag(s, number).await)
        .json(body)
        .send()
        .await
        .unwrap();
    ok_json(r, StatusCode::OK).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn an_applicant_answers_a_request_for_information_and_withdraws_another() {
    with_browser(true, |s, b| async move {
        let lang = "kk";
        let files = Files::new();
        b.client.delete_all_cookies().await.unwrap();
        b.goto(&s.url(&format!("/{lang}/apply"))).await;
        let (number, code) = apply(&b, lang, "C01X00T47", &files).await;

        // An officer takes it up and asks for more, with a reason the policy has for that.
        let officer = s.login("officer").await;
        let policy = ok_json(
            s.get("/api/v1/admin/policy", Some(&s.supervisor)).await,
            StatusCode::OK,
        )
        .await;
        let reason = policy["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["actions"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("request_info"))
            })
            .unwrap()
            .clone();
        let r = transition(&s, &officer, &number, &json!({"action": "start_review"})).await;
        assert_eq!(r["status"], "in_review");
        let r = transition(
            &s,
            &officer,
            &number,
            &json!({"action": "request_info", "reason": reason["id"]}),
        )
        .await;
        assert_eq!(r["status"], "info_requested");

        // On another device: "My application", opened with the number and the access code,
        // says what is asked for in the page's language.
        b.client.delete_all_cookies().await.unwrap();
        b.goto(&s.url(&format!("/{lang}/application"))).await;
        b.type_into("#f-number", &number).await;
        b.type_into("#f-access_code", &code).await;
        b.click("main button[type=submit]").await;
        assert_at(&b, &format!("/{lang}/application")).await;
        assert_eq!(
            b.text("dl.summary .tag").await,
            message(lang, "state-info_requested"),
            "{}",
            errors(&b).await
        );
        assert!(
            b.text("main .notice")
                .await
                .contains(reason["name"][lang].as_str().unwrap()),
            "{reason}"
        );
        look(&b, &format!("info-requested-{lang}")).await;
        // A document, then the answer sent.
        b.find("#f-kind")
            .await
            .select_by_value("passport")
            .await
            .unwrap();
        b.find("#f-file")
            .await
            .send_keys(files.png.to_str().unwrap())
            .await
            .unwrap();
        b.click("main form[enctype] button[type=submit]").await;
        assert_at(&b, &format!("/{lang}/application")).await;
        assert_eq!(errors(&b).await, "");
        b.click(&format!(
            "main form[action='/{lang}/application/respond'] button"
        ))
        .await;
        assert_at(&b, &format!("/{lang}/application")).await;
        assert_eq!(
            b.text("dl.summary .tag").await,
            message(lang, "state-in_review"),
            "{}",
            errors(&b).await
        );

        // A second application, withdrawn from its confirmation page.
        b.client.delete_all_cookies().await.unwrap();
        b.goto(&s.url(&format!("/{lang}/apply"))).await;
        let (second, _) = apply(&b, lang, "C01X00T48", &files).await;
        b.click(&format!("main a[href='/{lang}/application']"))
            .await;
        assert!(b.text("h1").await.contains(&second));
        assert_eq!(
            b.text("dl.summary .tag").await,
            message(lang, "state-submitted")
        );
        b.click(&format!("main a[href='/{lang}/application/withdraw']"))
            .await;
        b.click("main form button[type=submit]").await;
        assert_at(&b, &format!("/{lang}/application")).await;
        assert_eq!(
            b.text("dl.summary .tag").await,
            message(lang, "state-withdrawn"),
            "{}",
            errors(&b).await
        );
        assert!(
            !b.exists(&format!("main a[href='/{lang}/application/withdraw']"))
                .await
        );
        b
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn a_host_notifies_a_late_arrival_and_uploads_a_csv() {
    with_browser(true, |s, b| async move {
        let lang = "ru";
        let files = Files::new();
        b.goto(&s.url(&format!("/{lang}/sign-in"))).await;
        b.type_into("#f-username", "hotel").await;
        b.type_into("#f-password", PASSWORD).await;
        b.click("main button[type=submit]").await;
        assert_at(&b, &format!("/{lang}/host")).await;

        // A guest who arrived a month before the server's clock (2026-12-02), typed in.
        b.click(&format!("main a[href='/{lang}/host/arrivals/new']"))
            .await;
        b.type_into("#f-guest-surname", "LI").await;
        b.type_into("#f-guest-given_names", "WEI").await;
        b.type_into("#f-guest-passport_number", "E12345678").await;
        b.type_into("#f-guest-nationality", "CHN").await;
        date(&b, "f-guest-birth_date", "1", "5", "1990").await;
        choose(&b, "input[name='guest.sex'][value=M]").await;
        date(&b, "f-guest-passport_expiry", "1", "1", "2032").await;
        date(&b, "f-arrived_at", "2", "11", "2026").await;
        b.type_into("#f-arrived_at-time", "10:00").await;
        b.type_into("#f-address-city", "Almaty").await;
        b.type_into("#f-address-line", "Dostyk 5, room 12").await;
        b.click("main button[type=submit]").await;
        assert!(
            b.path()
                .await
                .starts_with(&format!("/{lang}/host/arrivals/")),
            "{}",
            errors(&b).await
        );
        // Late, with the policy's fine for a small business.
        assert_eq!(b.text(".tag.late").await, message(lang, "host-late"));
        let fine_label = message(lang, "host-fine");
        let fine = b
            .client
            .find(Locator::XPath(&format!(
                "//dt[.='{fine_label}']/following-sibling::dd[1]"
            )))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let policy = Policy::default_kz();
        let arrived = "2026-11-02T10:00"
            .parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned_datetime(policy.time_zone().clone())
            .unwrap()
            .timestamp();
        let kzt = policy
            .assess_notification(
                arrived,
                Some(crate::common::NOW.parse().unwrap()),
                "small_business",
                None,
            )
            .unwrap()
            .fine
            .unwrap()
            .kzt;
        let digits: String = fine
            .chars()
            .take_while(|c| !c.is_alphabetic())
            .filter(char::is_ascii_digit)
            .collect();
        assert_eq!(digits, kzt.to_string(), "{fine}");
        look(&b, &format!("host-confirmation-{lang}")).await;

        // A CSV with one broken row: the report names its line.
        b.goto(&s.url(&format!("/{lang}/host"))).await;
        b.click(&format!("main a[href='/{lang}/host/import']"))
            .await;
        b.find("#f-file")
            .await
            .send_keys(files.csv.to_str().unwrap())
            .await
            .unwrap();
        b.click("main button[type=submit]").await;
        assert_eq!(errors(&b).await, "");
        let rows = b
            .client
            .find_all(Locator::Css("main tbody tr"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1, "one row refused");
        assert_eq!(
            b.text("main tbody tr td:first-child").await,
            "3",
            "its line"
        );
        assert_eq!(b.text("main tbody tr td code").await, "surname");
        look(&b, &format!("host-report-{lang}")).await;
        b
    })
    .await;
}
