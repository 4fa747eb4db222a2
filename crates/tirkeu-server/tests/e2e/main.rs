//! The web UI in a real browser (headless Chromium through chromedriver), against the real
//! server on SQLite: every page in four languages at 390 and 1280 px wide passes axe-core's
//! WCAG 2.2 AA rules, has no horizontal scroll, and is saved as a full-page screenshot; the
//! status lookup and signing in and out work with JavaScript off; the keyboard reaches the
//! skip link first and every focus is visible. The user flows (`flows.rs`) go the whole way
//! through applying, answering a request, withdrawing, and the host's notifications.
//!
//! Without `TIRKEU_TEST_CHROMEDRIVER` and `TIRKEU_TEST_AXE` these tests are listed as ignored
//! with the reason (build.rs); `.ci/run` sets both and fails if any is ignored.
//!
//! Adding a page: a name in [`PAGES`] and an arm in [`visit`] that gets the browser there.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

#[path = "../common/mod.rs"]
mod common;

mod admin;
mod browser;
mod flows;
mod officer;
mod stats;

use std::fmt::Write as _;
use std::future::Future;
use std::time::{Duration, Instant};

use browser::{Browser, Setup, screenshot_dir};
use common::{PASSWORD, Server, ok_json};
use fantoccini::key::Key;
use reqwest::StatusCode;
use serde_json::json;

const LANGS: [&str; 4] = ["kk", "ru", "en", "zh"];
const WIDTHS: [u32; 2] = [390, 1280];

/// Every page state checked, by the name its screenshots get.
/// In order: the host pages come after "host", which signs in as the host, and the
/// administrator's after "admin".
const PAGES: &[&str] = &[
    "home",
    "eligibility",
    "eligibility-errors",
    "apply",
    "apply-type-errors",
    "application",
    "status",
    "status-errors",
    "status-result",
    "renew",
    "renew-errors",
    "statistics",
    "sign-in",
    "sign-in-errors",
    "staff",
    "second-factor",
    "staff-case",
    "staff-action-errors",
    "staff-stale",
    "dashboard",
    "sign-in-code",
    "host",
    "host-new-errors",
    "host-import",
    "host-confirmation",
    "host-expected",
    "host-expected-errors",
    "admin",
    "admin-users-errors",
    "admin-key-once",
    "admin-policy",
    "admin-policy-errors",
    "admin-messages",
    "not-found",
];

/// The passport number of the application the status pages look up.
const PASSPORT: &str = "N1234567";

/// A test's whole run is bounded: a hung browser fails the test instead of CI. The page
/// tests visit every page state in four languages at two widths, which on two loaded cores
/// takes minutes; the bound only has to end a hung browser.
const LIMIT: Duration = Duration::from_mins(10);

/// Runs `test` against a fresh server with a browser; the browser ends with it.
async fn with_browser<F, Fut>(javascript: bool, test: F)
where
    F: FnOnce(Server, Browser) -> Fut,
    Fut: Future<Output = Browser>,
{
    let setup = Setup::from_env();
    common::on_sqlite(|server| async move {
        let run = async {
            let b = Browser::start(&setup, javascript).await;
            test(server, b).await.close().await;
        };
        tokio::time::timeout(LIMIT, run)
            .await
            .expect("the browser test took too long");
    })
    .await;
}

/// Signs `username` in through the pages in `lang`, with the code of its second factor when
/// it has one; ends on the account's home page.
async fn sign_in(b: &Browser, s: &Server, lang: &str, username: &str) {
    b.goto(&s.url(&format!("/{lang}/sign-in"))).await;
    b.type_into("#f-username", username).await;
    b.type_into("#f-password", PASSWORD).await;
    b.click("main button[type=submit]").await;
    if b.path().await == format!("/{lang}/sign-in/code") {
        b.type_into("#f-code", &s.next_code(username)).await;
        b.click("main button[type=submit]").await;
    }
}

/// An application to look up, created through the JSON API; its number.
async fn application(s: &Server) -> String {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "work", "language": "en",
                "applicant": {"surname": "ERIKSSON", "given_names": "ANNA", "passport_number": PASSPORT,
                    "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"},
                "address": {"city": "Almaty", "line": "Abay 1"}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // A late arrival notified by the demo host, for its confirmation page.
    ok_json(
        s.post(
            "/api/v1/arrivals",
            Some(&s.host_key),
            &json!({
                "guest": {"surname": "LI", "given_names": "WEI", "passport_number": "E12345678", "nationality": "CHN",
                    "birth_date": "1990-05-01", "sex": "M", "passport_expiry": "2032-01-01"},
                "arrived_at": "2026-11-02T10:00:00+05:00", "address": {"city": "Almaty", "line": "Dostyk 5"}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // A guest the demo host expects tomorrow, for the expected guests' list and page.
    ok_json(
        s.post(
            "/api/v1/arrivals",
            Some(&s.host_key),
            &json!({
                "guest": {"surname": "KIM", "given_names": "MINJI", "passport_number": "M1234567", "nationality": "KOR",
                    "birth_date": "1995-02-03", "sex": "F", "passport_expiry": "2031-01-01"},
                "arrived_at": "2026-12-03T10:00:00+05:00", "address": {"city": "Almaty", "line": "Abay 1"},
                "expected": true
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // A case in review for the back office's pages.
    officer::page_case(s).await;
    created["number"].as_str().unwrap().to_owned()
}

/// Gets the browser to `page` in `lang` and checks it is the page meant.
async fn visit(b: &Browser, s: &Server, number: &str, lang: &str, page: &str) {
    let url = |path: &str| s.url(&format!("/{lang}{path}"));
    match page {
        "home" => {
            b.goto(&url("/")).await;
            assert!(b.exists(".doors").await);
        }
        "status" => b.goto(&url("/status")).await,
        "eligibility" => b.goto(&url("/eligibility")).await,
        "eligibility-errors" => {
            b.goto(&url("/eligibility")).await;
            b.click("main button[type=submit]:not([name=add])").await;
            assert!(b.exists(".error-summary").await);
        }
        "apply" => b.goto(&url("/apply")).await,
        "apply-type-errors" => {
            b.goto(&url("/apply/type")).await;
            b.click("main button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "application" => b.goto(&url("/application")).await,
        "status-errors" => {
            b.goto(&url("/status")).await;
            b.click("main button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "status-result" => {
            b.goto(&url("/status")).await;
            b.type_into("#f-number", number).await;
            b.type_into("#f-passport_number", PASSPORT).await;
            b.click("main button[type=submit]").await;
            assert!(b.exists("dl.summary .tag").await, "no result for {number}");
        }
        "sign-in" => b.goto(&url("/sign-in")).await,
        "sign-in-errors" => {
            b.goto(&url("/sign-in")).await;
            b.click("main button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "staff" => {
            b.goto(&url("/sign-in")).await;
            b.type_into("#f-username", "officer").await;
            b.type_into("#f-password", PASSWORD).await;
            b.click("main button[type=submit]").await;
            assert_eq!(b.path().await, format!("/{lang}/staff"));
        }
        "second-factor" => {
            // The officer may set one up (the policy does not require it of officers).
            b.goto(&url("/second-factor")).await;
            assert!(b.exists("img.qr").await);
        }
        "sign-in-code" => {
            b.goto(&url("/sign-in")).await;
            b.type_into("#f-username", "supervisor").await;
            b.type_into("#f-password", PASSWORD).await;
            b.click("main button[type=submit]").await;
            assert_eq!(b.path().await, format!("/{lang}/sign-in/code"));
        }
        "statistics" => {
            b.goto(&url("/statistics")).await;
            assert!(b.exists("svg[role=img]").await);
        }
        "dashboard" => {
            b.goto(&url("/staff/dashboard")).await;
            assert_eq!(b.path().await, format!("/{lang}/staff/dashboard"));
        }
        "host" => {
            b.goto(&url("/sign-in")).await;
            b.type_into("#f-username", "hotel").await;
            b.type_into("#f-password", PASSWORD).await;
            b.click("main button[type=submit]").await;
            assert_eq!(b.path().await, format!("/{lang}/host"));
        }
        "host-new-errors" => {
            b.goto(&url("/host/arrivals/new")).await;
            b.click("main button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "host-import" => b.goto(&url("/host/import")).await,
        "host-confirmation" => {
            b.goto(&url("/host")).await;
            b.click("#notifications a").await;
            assert!(b.exists(".panel").await);
        }
        "host-expected" => {
            b.goto(&url("/host")).await;
            b.click("#expected-guests a").await;
            assert!(b.exists("form[action$='/confirm']").await);
        }
        "host-expected-errors" => {
            // The list's button before the planned arrival: the guest's page, saying why.
            b.goto(&url("/host")).await;
            b.click("#expected-guests button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "admin" => {
            admin::sign_in_as_admin(b, s, lang).await;
            b.goto(&url("/admin")).await;
            assert!(b.exists(".admin-links").await);
        }
        "admin-users-errors" => {
            b.goto(&url("/admin/users")).await;
            b.click("form[action$='/admin/users'] button[type=submit]")
                .await;
            assert!(b.exists(".error-summary").await);
        }
        "admin-key-once" => {
            let users = ok_json(
                s.get("/api/v1/admin/users", Some(&s.admin)).await,
                StatusCode::OK,
            )
            .await;
            let hotel = users
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["username"] == "hotel")
                .unwrap()["id"]
                .clone();
            b.goto(&url(&format!("/admin/users/{hotel}"))).await;
            b.type_into("#f-label", "front desk").await;
            b.click("form[action$='/keys'] button[type=submit]").await;
            assert!(b.exists("#secret").await);
        }
        "admin-policy" => b.goto(&url("/admin/policy")).await,
        "admin-policy-errors" => {
            b.goto(&url("/admin/policy")).await;
            b.type_into("#f-text", "[meta]\nid = 1\n").await;
            b.click("form[action$='/admin/policy'] button[type=submit]")
                .await;
            assert!(b.exists("table.issues").await);
        }
        "renew" => b.goto(&url("/renew")).await,
        "renew-errors" => {
            b.goto(&url("/renew")).await;
            b.click("form[action$='/renew'] button[type=submit]").await;
            assert!(b.exists(".error-summary").await);
        }
        "admin-messages" => b.goto(&url("/admin/messages")).await,
        "not-found" => b.goto(&url("/no-such-page")).await,
        staff if staff.starts_with("staff-") => officer::visit(b, s, lang, staff).await,
        other => panic!("no way to visit {other}"),
    }
}

/// The language a page is marked with, as `<html lang>` says it.
fn html_lang(lang: &str) -> &str {
    if lang == "zh" { "zh-Hans" } else { lang }
}

/// A page made to fail shows that axe runs with the rules and the overflow check measures:
/// a pass below means something, not that nothing was looked at.
async fn checks_catch_what_they_look_for(b: &Browser) {
    b.goto(
        "data:text/html,<title>bad</title><img src='data:,'><div style='width:600px'>wide</div>",
    )
    .await;
    b.set_width(390).await;
    let report = b.axe().await;
    let ids: Vec<&str> = report.violations.iter().map(|v| v.id.as_str()).collect();
    assert!(
        ids.contains(&"image-alt") && ids.contains(&"html-has-lang"),
        "axe missed the broken page: {ids:?}"
    );
    assert!(b.overflow().await.is_some(), "the overflow went unseen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn every_page_passes_axe_and_fits_a_phone() {
    with_browser(true, |s, b| async move {
        checks_catch_what_they_look_for(&b).await;
        let number = application(&s).await;
        let dir = screenshot_dir();
        let started = Instant::now();
        let mut failures = String::new();
        let mut table = String::new();
        for lang in LANGS {
            // Signed out, and each language chosen afresh.
            b.client.delete_all_cookies().await.unwrap();
            for page in PAGES {
                visit(&b, &s, &number, lang, page).await;
                let source = b.client.source().await.unwrap();
                let marked = b.js("return document.documentElement.lang").await;
                if marked != html_lang(lang) {
                    let _ = writeln!(failures, "{page}-{lang}: <html lang={marked}>");
                }
                if source.contains("Unknown localization key") {
                    let _ = writeln!(failures, "{page}-{lang}: a message id without a text");
                }
                for width in WIDTHS {
                    b.set_width(width).await;
                    let name = format!("{page}-{lang}-{width}");
                    let report = b.axe().await;
                    let _ = writeln!(
                        table,
                        "  {name:<26} axe: {} violation(s){}",
                        report.violations.len(),
                        if report.incomplete.is_empty() {
                            String::new()
                        } else {
                            format!(", to review by eye: {}", report.incomplete.join(" "))
                        }
                    );
                    if !report.violations.is_empty() {
                        let _ = write!(failures, "{name}: axe\n{}", report.describe());
                    }
                    if let Some((scroll, client)) = b.overflow().await {
                        let _ = writeln!(
                            failures,
                            "{name}: scrolls sideways ({scroll} px of content in {client} px)"
                        );
                    }
                    b.screenshot(width, &dir.join(format!("{name}.png"))).await;
                }
            }
        }
        println!(
            "{} pages × {} widths in {:.1?}; screenshots in {}\n{table}",
            PAGES.len() * LANGS.len(),
            WIDTHS.len(),
            started.elapsed(),
            dir.display()
        );
        assert!(failures.is_empty(), "\n{failures}");
        b
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn status_lookup_and_sign_in_work_without_javascript() {
    with_browser(false, |s, b| async move {
        // Script really is off: a page's own script does not run.
        b.goto("data:text/html,<title>off</title><script>document.title='on'</script>")
            .await;
        assert_eq!(b.client.title().await.unwrap(), "off");

        // The status lookup, typed loosely as people do: the wrong passport first.
        let number = application(&s).await;
        b.goto(&s.url("/en/status")).await;
        b.type_into("#f-number", &number.to_lowercase().replace('-', " "))
            .await;
        b.type_into("#f-passport_number", "X0000000").await;
        b.click("main button[type=submit]").await;
        assert!(
            b.text(".error-summary")
                .await
                .contains("No application matches"),
            "{}",
            b.text("main").await
        );
        assert_eq!(
            b.path().await,
            "/en/status",
            "nothing typed goes into the URL"
        );
        b.type_into("#f-passport_number", "n 1234567").await;
        b.click("main button[type=submit]").await;
        assert!(b.text("h1").await.contains(&number));
        assert_eq!(b.text("dl.summary .tag").await, "Draft, not submitted yet");
        let url = b.client.current_url().await.unwrap();
        assert!(url.query().is_none(), "{url}");

        // The staff page sends to sign-in; a wrong password says so; the right one signs in.
        b.goto(&s.url("/ru/staff")).await;
        assert_eq!(b.path().await, "/ru/sign-in");
        b.type_into("#f-username", "officer").await;
        b.type_into("#f-password", "wrong password").await;
        b.click("main button[type=submit]").await;
        assert!(b.text(".error-summary").await.contains("Неверное имя"));
        assert_eq!(
            b.find("#f-username").await.prop("value").await.unwrap(),
            Some("officer".into())
        );
        b.type_into("#f-password", PASSWORD).await;
        b.click("main button[type=submit]").await;
        assert_eq!(b.path().await, "/ru/staff");
        assert!(b.text("header .account").await.contains("officer"));

        // Signing out (a form button in the header) ends the session.
        b.click("header .account button").await;
        assert_eq!(b.path().await, "/ru/");
        assert!(!b.exists("header .account").await);
        b.goto(&s.url("/ru/staff")).await;
        assert_eq!(b.path().await, "/ru/sign-in");
        b
    })
    .await;
}

/// What the focused element is and looks like, where it is, whether it is past the header, and
/// whether the element focused before looks any different now that it is not.
const FOCUS: &str = r"
    const el = document.activeElement, header = document.querySelector('header');
    const look = e => { const c = getComputedStyle(e);
        return [c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow,
                c.backgroundColor, c.color, c.textDecorationLine, c.position].join('|'); };
    const r = el.getBoundingClientRect();
    const prev = window.tirkeuPrev;
    const before = prev ? { name: prev.name, same: look(prev.el) === prev.look } : null;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className ? '.' + el.className : '') + ' ' + (el.textContent || '').trim().slice(0, 30);
    window.tirkeuPrev = { el, name, look: look(el) };
    return { name, body: el === document.body,
             skip: el.classList.contains('skip'), href: el.getAttribute('href'),
             pastHeader: !!header && !header.contains(el)
                 && !!(header.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
             visible: el.matches(':focus-visible'),
             onScreen: r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth,
             before };";

/// Puts keyboard focus back at the top of the page, as when it has just loaded (blurring
/// alone leaves the browser's starting point where the focus was).
const TO_TOP: &str = "window.tirkeuPrev = null; window.scrollTo(0, 0);
    document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex');";

/// Tabs through the page from the top: the skip link comes first, and every stop is
/// visibly focused, on screen, and looks different from itself unfocused. Returns the
/// stops; problems are added to `failures`.
async fn tab_through(b: &Browser, at: &str, failures: &mut String) -> Vec<String> {
    b.js(TO_TOP).await;
    b.press(Key::Tab).await;
    let mut stop = b.js(FOCUS).await;
    if stop["skip"] != true || stop["href"] != "#main" {
        let _ = writeln!(failures, "{at}: the first Tab stop is {stop}");
    }
    let mut stops = Vec::new();
    for _ in 0..60 {
        stops.push(stop["name"].as_str().unwrap_or("?").trim().to_owned());
        if stop["visible"] != true || stop["onScreen"] != true {
            let _ = writeln!(failures, "{at}: focus not visible on {stop}");
        }
        b.press(Key::Tab).await;
        stop = b.js(FOCUS).await;
        if stop["before"]["same"] == true {
            let _ = writeln!(
                failures,
                "{at}: {} looks the same focused and not",
                stop["before"]["name"]
            );
        }
        if stop["body"] == true || stop["skip"] == true {
            break;
        }
    }
    stops
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn the_keyboard_meets_the_skip_link_first_and_sees_every_focus() {
    with_browser(true, |s, b| async move {
        // A page made to fail: no skip link, and a link whose focus is hidden.
        b.goto("data:text/html,<style>a:focus{outline:none}</style><a href='#a'>a</a><p>text")
            .await;
        let mut control = String::new();
        tab_through(&b, "control", &mut control).await;
        assert!(
            control.contains("the first Tab stop is") && control.contains("looks the same"),
            "the keyboard checks missed the broken page: {control}"
        );

        let number = application(&s).await;
        let mut failures = String::new();
        for lang in LANGS {
            b.client.delete_all_cookies().await.unwrap();
            for page in PAGES {
                visit(&b, &s, &number, lang, page).await;
                for width in WIDTHS {
                    b.set_width(width).await;
                    let at = format!("{page}-{lang}-{width}");
                    let stops = tab_through(&b, &at, &mut failures).await;
                    if lang == "en" && width == 390 {
                        println!("{at}: {}", stops.join(" → "));
                    }
                }
                // The skip link, followed, makes the next Tab land past the header (in
                // <main>, or after it when <main> has nothing to focus).
                b.js(TO_TOP).await;
                b.press(Key::Tab).await;
                b.press(Key::Enter).await;
                b.press(Key::Tab).await;
                let next = b.js(FOCUS).await;
                let url = b.client.current_url().await.unwrap();
                if next["pastHeader"] != true || url.fragment() != Some("main") {
                    let _ = writeln!(
                        failures,
                        "{page}-{lang}: after the skip link ({url}), Tab goes to {next}"
                    );
                }
            }
        }
        assert!(failures.is_empty(), "\n{failures}");
        b
    })
    .await;
}
