//! The host portal as a browser meets it, over HTTP, on SQLite and on PostgreSQL: the list of
//! notifications, the form for one arrival and its printable confirmation, the CSV upload,
//! and that a host sees its own notifications only.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use std::fmt::Write as _;

use common::{NOW, PASSWORD, Server};
use jiff::Timestamp;
use jiff::civil::DateTime;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use tirkeu_core::policy::Policy;
use tirkeu_store::{AccountRole, NewUser, Store, with_store};

on_both!(
    a_host_signs_in_to_its_notifications,
    staff_and_strangers_are_sent_away,
    on_time_and_late_arrivals_are_confirmed_and_listed,
    a_broken_form_comes_back_with_its_answers,
    a_csv_upload_reports_refused_rows_by_line,
    the_list_pages_back_to_older_notifications,
    a_host_sees_only_its_own_notifications,
    expected_guests_are_listed_and_confirmed,
);

/// A client that does not follow redirects, so tests see them.
fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn text(r: Response) -> String {
    r.text().await.unwrap()
}

/// Signs `username` in through the page; the session cookie to send back.
async fn sign_in(s: &Server, username: &str) -> String {
    s.page_session(username).await
}

async fn get(s: &Server, path: &str, session: &str) -> Response {
    browser()
        .get(s.url(path))
        .header(COOKIE, session)
        .send()
        .await
        .unwrap()
}

/// A typed guest who arrived at `day`.`month`.`year` `time` (local time).
fn guest(day: &str, month: &str, year: &str, time: &str) -> Vec<(&'static str, String)> {
    [
        ("guest.mrz", ""),
        ("guest.surname", "LI"),
        ("guest.given_names", "WEI"),
        ("guest.passport_number", "E12345678"),
        ("guest.nationality", "CHN"),
        ("guest.birth_date.day", "1"),
        ("guest.birth_date.month", "5"),
        ("guest.birth_date.year", "1990"),
        ("guest.sex", "M"),
        ("guest.passport_expiry.day", "1"),
        ("guest.passport_expiry.month", "1"),
        ("guest.passport_expiry.year", "2032"),
        ("arrived_at.day", day),
        ("arrived_at.month", month),
        ("arrived_at.year", year),
        ("arrived_at.time", time),
        ("address.city", "Almaty"),
        ("address.line", "Dostyk 5, room 12"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// Posts the arrival form; the confirmation page's path it redirects to.
async fn notify(s: &Server, session: &str, form: &[(&str, String)]) -> String {
    let r = browser()
        .post(s.url("/en/host/arrivals/new"))
        .header(COOKIE, session)
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    let to = r.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/en/host/arrivals/"), "{to}");
    to
}

async fn upload(s: &Server, session: &str, lang: &str, body: Vec<u8>) -> Response {
    upload_as(s, session, lang, body, Some("guests.csv")).await
}

/// Uploads `body` as the file `name`; a browser sends no name when no file was chosen.
async fn upload_as(
    s: &Server,
    session: &str,
    lang: &str,
    body: Vec<u8>,
    name: Option<&str>,
) -> Response {
    let mut part = Part::bytes(body).mime_str("text/csv").unwrap();
    if let Some(name) = name {
        part = part.file_name(name.to_owned());
    }
    let form = Form::new().part("file", part);
    browser()
        .post(s.url(&format!("/{lang}/host/import")))
        .header(COOKIE, session)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

const CSV_HEADER: &str = "surname,given_names,passport_number,nationality,birth_date,sex,passport_expiry,arrived_at,city,address";

/// An instant of Almaty's local time, as the policy reads it.
fn almaty(local: &str) -> Timestamp {
    local
        .parse::<DateTime>()
        .unwrap()
        .to_zoned_datetime(Policy::default_kz().time_zone().clone())
        .unwrap()
        .timestamp()
}

fn shown_deadline(arrival: Timestamp) -> String {
    Policy::default_kz()
        .notification_deadline(arrival, None)
        .unwrap()
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

async fn a_host_signs_in_to_its_notifications(s: Server) {
    let r = browser()
        .post(s.url("/ru/sign-in"))
        .form(&[("username", "hotel"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/ru/host");
    let session = sign_in(&s, "hotel").await;
    for (lang, title, notify) in [
        ("en", "Your arrival notifications", "Notify an arrival"),
        ("ru", "Ваши уведомления о прибытии", "Уведомить о прибытии"),
        ("kk", "Келу туралы хабарламаларыңыз", "Келу туралы хабарлау"),
        ("zh", "您的抵达通知", "提交抵达通知"),
    ] {
        let r = get(&s, &format!("/{lang}/host"), &session).await;
        assert_eq!(r.status(), StatusCode::OK);
        let html = text(r).await;
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
        assert!(
            html.contains(&format!("href=\"/{lang}/host/arrivals/new\">{notify}</a>")),
            "{html}"
        );
        assert!(html.contains(&format!("href=\"/{lang}/host/import\"")));
        assert!(!html.contains("Unknown localization key"), "{html}");
        // Nothing notified yet, and the host is named in the header.
        assert!(!html.contains("<table>"), "{html}");
        assert!(html.contains("hotel"), "{html}");
    }
    // The form and the upload page open, with the CSV's header line shown.
    let html = text(get(&s, "/en/host/arrivals/new", &session).await).await;
    assert!(
        html.contains("name=\"guest.mrz\"") && html.contains("name=\"arrived_at.time\""),
        "{html}"
    );
    let html = text(get(&s, "/zh/host/import", &session).await).await;
    assert!(html.contains(CSV_HEADER), "{html}");
    assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
}

async fn staff_and_strangers_are_sent_away(s: Server) {
    // No session: to the sign-in page, for every page of the portal.
    for path in [
        "/kk/host",
        "/kk/host/arrivals/new",
        "/kk/host/arrivals/1",
        "/kk/host/import",
    ] {
        let r = browser().get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers()[LOCATION], "/kk/sign-in", "{path}");
    }
    // An officer: to the staff landing, and nothing is recorded for a post.
    let officer = sign_in(&s, "officer").await;
    let r = get(&s, "/en/host", &officer).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/en/staff");
    let r = browser()
        .post(s.url("/en/host/arrivals/new"))
        .header(COOKIE, &officer)
        .form(&guest("1", "12", "2026", "10:00"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/en/staff");
    let r = upload(&s, &officer, "en", format!("{CSV_HEADER}\n").into_bytes()).await;
    assert_eq!(r.headers()[LOCATION], "/en/staff");
    let stats = with_store!(&s.store, st => st.stats().await.unwrap());
    assert_eq!(stats.arrivals, 0);
}

async fn on_time_and_late_arrivals_are_confirmed_and_listed(s: Server) {
    let session = sign_in(&s, "hotel").await;
    let now: Timestamp = NOW.parse().unwrap();

    // Arrived yesterday morning: in time, no fine.
    let on_time = notify(&s, &session, &guest("1", "12", "2026", "10:00")).await;
    let r = get(&s, &on_time, &session).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = text(r).await;
    assert!(html.contains("class=\"panel\""), "{html}");
    assert!(html.contains("Arrival notified"), "{html}");
    assert!(html.contains("class=\"number\""), "{html}");
    assert!(
        html.contains(&shown_deadline(almaty("2026-12-01T10:00"))),
        "{html}"
    );
    assert!(
        html.contains("2026-12-01 10:00"),
        "arrival in local time: {html}"
    );
    assert!(
        html.contains("2026-12-02 11:00"),
        "notified in local time: {html}"
    );
    assert!(
        html.contains("<strong class=\"tag\">On time</strong>"),
        "{html}"
    );
    assert!(!html.contains("Fine for late notification"), "{html}");

    // Arrived a month before: late, with the fine of the policy and its article.
    let late = notify(&s, &session, &guest("02", "11", "2026", "10:00")).await;
    let html = text(get(&s, &late, &session).await).await;
    let assessed = Policy::default_kz()
        .assess_notification(
            almaty("2026-11-02T10:00"),
            Some(now),
            "small_business",
            None,
        )
        .unwrap();
    let fine = assessed.fine.unwrap();
    assert_eq!(fine.kzt, 43_250, "10 MCI of 2026");
    assert!(html.contains("This notification was late"), "{html}");
    assert!(
        html.contains("<strong class=\"tag late\">Late</strong>"),
        "{html}"
    );
    assert!(html.contains("43,250 tenge"), "{html}");
    assert!(html.contains(&fine.article), "{html}");
    assert!(
        html.contains(&shown_deadline(almaty("2026-11-02T10:00"))),
        "{html}"
    );
    // The same page in Russian: the amount grouped the Russian way.
    let ru = late.replacen("/en/", "/ru/", 1);
    let html = text(get(&s, &ru, &session).await).await;
    assert!(html.contains("43\u{a0}250 тенге"), "{html}");
    assert!(html.contains("С опозданием"), "{html}");

    // The list: both, newest first, each linking to its confirmation.
    let html = text(get(&s, "/en/host", &session).await).await;
    let late_at = html.find(&format!("href=\"{late}\"")).expect(&html);
    let on_time_at = html.find(&format!("href=\"{on_time}\"")).expect(&html);
    assert!(late_at < on_time_at, "newest first: {html}");
    assert!(html.contains("LI WEI"), "{html}");
    assert_eq!(html.matches("class=\"tag late\"").count(), 1, "{html}");
    assert_eq!(html.matches("<strong class=\"tag\">").count(), 1, "{html}");
    assert!(html.contains("43,250 tenge"), "{html}");
    assert!(html.contains("Asia/Almaty"), "{html}");
    assert!(!html.contains("Older notifications"), "{html}");
}

async fn a_broken_form_comes_back_with_its_answers(s: Server) {
    let session = sign_in(&s, "hotel").await;
    let mut form = guest("31", "11", "2026", "25:00");
    for (k, v) in &mut form {
        match *k {
            "guest.surname" => v.clear(),
            "guest.birth_date.day" => "31".clone_into(v),
            "guest.birth_date.month" => "2".clone_into(v),
            "guest.sex" => "X".clone_into(v),
            "address.line" => "Dostyk <5>".clone_into(v),
            _ => {}
        }
    }
    let r = browser()
        .post(s.url("/en/host/arrivals/new"))
        .header(COOKIE, &session)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(html.contains("class=\"error-summary\""), "{html}");
    // The summary links to each field with a problem; the date's link opens its day.
    for id in ["f-guest-surname", "f-guest-birth_date", "f-arrived_at"] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "{id}: {html}");
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}: {html}");
        assert!(html.contains(&format!("id=\"{id}-error\"")), "{id}: {html}");
    }
    assert!(!html.contains("href=\"#f-address-line\""), "{html}");
    // A missing answer names its field; dates in the words of the form's fields, not of the
    // API's text formats.
    assert!(
        html.contains(">Enter the guest&#39;s surname</a>"),
        "{html}"
    );
    assert!(!html.contains("This field is required"), "{html}");
    assert!(
        html.contains("Enter a real date: the day, the month"),
        "{html}"
    );
    assert!(html.contains("and the time as hours and minutes"), "{html}");
    assert!(!html.contains("RFC 3339"), "{html}");
    // Every answer is kept (and escaped).
    for kept in [
        "value=\"WEI\"",
        "value=\"E12345678\"",
        "value=\"31\"",
        "value=\"25:00\"",
        "value=\"Dostyk &#60;5&#62;\"",
    ] {
        assert!(html.contains(kept), "{kept}: {html}");
    }
    assert!(html.contains("value=\"X\" checked"), "{html}");
    // Nothing was recorded.
    let html = text(get(&s, "/en/host", &session).await).await;
    assert!(!html.contains("<table>"), "{html}");

    // A pasted MRZ that is not one: its problem at its box, the text kept.
    let mut form = guest("1", "12", "2026", "10:00");
    "P<CHNLI<<WEI".clone_into(&mut form[0].1);
    let r = browser()
        .post(s.url("/zh/host/arrivals/new"))
        .header(COOKIE, &session)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(html.contains("href=\"#f-guest-mrz\""), "{html}");
    assert!(
        html.contains("P&#60;CHNLI&#60;&#60;WEI</textarea>"),
        "{html}"
    );
}

async fn a_csv_upload_reports_refused_rows_by_line(s: Server) {
    let session = sign_in(&s, "hotel").await;
    let csv = format!(
        "\u{feff}{CSV_HEADER}\n\
         KIM,MINJI,M1234567,KOR,1995-02-03,F,2031-01-01,2026-12-01T10:00:00+05:00,Almaty,\"Abay 1, room 3\"\n\
         ,NOSURNAME,M7654321,KOR,1995-02-03,F,2031-01-01,2026-12-01T10:00:00+05:00,Almaty,Abay 1\n\
         LEE,SO,M2222222,KOR,1995-02-03,F,2031-01-01,2026-11-01T10:00:00+05:00,Almaty,Abay 1\n"
    );
    let r = upload(&s, &session, "en", csv.clone().into_bytes()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = text(r).await;
    assert!(html.contains("2 arrivals recorded."), "{html}");
    assert!(html.contains("1 of them was late."), "{html}");
    assert!(html.contains("1 line refused"), "{html}");
    assert!(
        html.contains("<tr><td>3</td><td><code>surname</code></td>"),
        "{html}"
    );
    assert_eq!(html.matches("<tr><td>").count(), 1, "{html}");

    // The same file in Russian: plural rules and the messages in Russian.
    let r = upload(&s, &session, "ru", csv.into_bytes()).await;
    let html = text(r).await;
    assert!(html.contains("Записано 2 прибытия."), "{html}");
    assert!(html.contains("Отклонена 1 строка"), "{html}");
    assert!(html.contains("<tr><td>3</td>"), "{html}");

    // The list holds the four recorded.
    let html = text(get(&s, "/en/host", &session).await).await;
    assert_eq!(
        html.matches("/en/host/arrivals/").count(),
        5,
        "4 rows + the button: {html}"
    );

    // A wrong header, a file that is not UTF-8, an empty file, no file: the form again with
    // the problem.
    for (body, name, says) in [
        (
            b"name,passport\nKIM,M1\n".to_vec(),
            Some("guests.csv"),
            "Expected the columns surname,given_names",
        ),
        (
            b"surname\xff,given_names\n".to_vec(),
            Some("guests.csv"),
            "The file is not UTF-8 text",
        ),
        (Vec::new(), Some("guests.csv"), "The CSV is empty"),
        (Vec::new(), None, "Choose a CSV file to upload"),
    ] {
        let r = upload_as(&s, &session, "en", body, name).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = text(r).await;
        assert!(html.contains("href=\"#f-file\""), "{html}");
        assert!(html.contains(says), "{says}: {html}");
        assert!(html.contains(CSV_HEADER), "{html}");
    }
}

async fn the_list_pages_back_to_older_notifications(s: Server) {
    let session = sign_in(&s, "hotel").await;
    let mut csv = format!("{CSV_HEADER}\n");
    for i in 0..22 {
        writeln!(
            csv,
            "GUEST{},ONE,M{:07},KOR,1995-02-03,F,2031-01-01,2026-12-01T10:00:00+05:00,Almaty,Abay 1",
            char::from(b'A' + i),
            1_000_000 + u32::from(i)
        )
        .unwrap();
    }
    let html = text(upload(&s, &session, "en", csv.into_bytes()).await).await;
    assert!(html.contains("22 arrivals recorded."), "{html}");

    let html = text(get(&s, "/en/host", &session).await).await;
    assert_eq!(html.matches("<tr>\n<td data-label").count(), 20, "{html}");
    assert!(html.contains("GUESTV ONE"), "newest first: {html}");
    assert!(!html.contains("GUESTA ONE"), "{html}");
    let older = html
        .split("href=\"")
        .find(|h| h.starts_with("/en/host?before="))
        .expect(&html)
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let html = text(get(&s, &older, &session).await).await;
    assert_eq!(html.matches("<tr>\n<td data-label").count(), 2, "{html}");
    assert!(
        html.contains("GUESTA ONE") && html.contains("GUESTB ONE"),
        "{html}"
    );
    assert!(!html.contains("?before="), "{html}");
    assert!(html.contains("Newest notifications"), "{html}");
}

async fn a_host_sees_only_its_own_notifications(s: Server) {
    let session = sign_in(&s, "hotel").await;
    let mine = notify(&s, &session, &guest("1", "12", "2026", "10:00")).await;

    let hash = password_auth::generate_hash(PASSWORD);
    with_store!(&s.store, st => st.create_user(&NewUser {
        username: "hostel".into(),
        role: AccountRole::Host,
        password_hash: hash,
        host_kind: Some("individual".into()),
        office: None,
        created_at: NOW.parse().unwrap(), email: None, language: None,
    }, "test").await.unwrap());
    let other = sign_in(&s, "hostel").await;

    // Another host's confirmation, an unknown id, and no id at all: the same 404 page.
    let id = mine.rsplit('/').next().unwrap();
    let unknown = (id.parse::<i64>().unwrap() + 1000).to_string();
    for path in [
        format!("/en/host/arrivals/{id}"),
        format!("/en/host/arrivals/{unknown}"),
        "/en/host/arrivals/abc".to_owned(),
    ] {
        let r = get(&s, &path, &other).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let html = text(r).await;
        assert!(html.contains("Page not found"), "{html}");
        assert!(!html.contains("LI WEI"), "{html}");
    }
    // In the page's language, whatever the browser asks for.
    let r = browser()
        .get(s.url(&format!("/kk/host/arrivals/{id}")))
        .header(COOKIE, &other)
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(text(r).await.contains("<html lang=\"kk\">"));
    // Its list holds none of the first host's notifications.
    let html = text(get(&s, "/en/host", &other).await).await;
    assert!(!html.contains("LI WEI") && !html.contains(&mine), "{html}");
    // The owner still opens it.
    assert_eq!(get(&s, &mine, &session).await.status(), StatusCode::OK);
}

/// Posts the confirmation of `arrival` (its page's path) with `form`.
async fn confirm(s: &Server, session: &str, arrival: &str, form: &[(&str, &str)]) -> Response {
    browser()
        .post(s.url(&format!("{arrival}/confirm")))
        .header(COOKIE, session)
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn expected_guests_are_listed_and_confirmed(s: Server) {
    let session = sign_in(&s, "hotel").await;
    // The form asks whether the guest has arrived; notifying now is the default.
    let html = text(get(&s, "/en/host/arrivals/new", &session).await).await;
    assert!(html.contains("Has the guest arrived?"), "{html}");
    assert!(
        html.contains("name=\"expected\" value=\"no\" checked"),
        "{html}"
    );

    // A guest expected tomorrow at 10:00 (the clock stands at 2 Dec 2026, 11:00 in Almaty).
    let mut form = guest("3", "12", "2026", "10:00");
    form.push(("expected", "yes".to_owned()));
    // A broken form keeps the choice.
    let mut broken = form.clone();
    broken[1].1.clear();
    let r = browser()
        .post(s.url("/en/host/arrivals/new"))
        .header(COOKIE, &session)
        .form(&broken)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(
        html.contains("name=\"expected\" value=\"yes\" checked"),
        "{html}"
    );
    let expected = notify(&s, &session, &form).await;
    let html = text(get(&s, &expected, &session).await).await;
    assert!(html.contains("Guest recorded as expected"), "{html}");
    assert!(html.contains("Nothing has been notified yet"), "{html}");
    assert!(html.contains("2026-12-03 10:00"), "planned arrival: {html}");
    assert!(
        html.contains(&shown_deadline(almaty("2026-12-03T10:00"))),
        "{html}"
    );
    assert!(
        html.contains(&format!("action=\"{expected}/confirm\"")),
        "{html}"
    );
    // The confirmation form offers the planned instant, to correct.
    for value in [
        "value=\"3\"",
        "value=\"12\"",
        "value=\"2026\"",
        "value=\"10:00\"",
    ] {
        assert!(html.contains(value), "{value}: {html}");
    }

    // Listed above the notifications, with a button that confirms it; nothing notified yet.
    let html = text(get(&s, "/en/host", &session).await).await;
    assert!(html.contains("Expected guests"), "{html}");
    assert!(
        html.contains("<strong class=\"tag todo\">Expected</strong>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<form method=\"post\" action=\"{expected}/confirm\" class=\"inline\">"
        )),
        "{html}"
    );
    assert!(
        html.contains("You have not notified any arrivals yet."),
        "{html}"
    );
    for lang in ["kk", "ru", "zh"] {
        let html = text(get(&s, &format!("/{lang}/host"), &session).await).await;
        let page = text(
            get(
                &s,
                &expected.replacen("/en/", &format!("/{lang}/"), 1),
                &session,
            )
            .await,
        )
        .await;
        for h in [&html, &page] {
            assert!(!h.contains("Unknown localization key"), "{h}");
            assert!(!h.contains("Expected guests"), "{lang}: {h}");
        }
    }
    let stats = with_store!(&s.store, st => st.stats().await.unwrap());
    assert_eq!(stats.arrivals, 0, "an expected guest is no notification");

    // The list's button before the guest is due: the page again, saying why, with the form.
    let r = confirm(&s, &session, &expected, &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(html.contains("class=\"error-summary\""), "{html}");
    assert!(html.contains("href=\"#f-arrived_at\""), "{html}");
    assert!(html.contains("is still to come"), "{html}");
    assert!(html.contains("value=\"10:00\""), "{html}");
    // A time that is not one: in the form's words, the answers kept.
    let typed = [
        ("arrived_at.day", "2"),
        ("arrived_at.month", "12"),
        ("arrived_at.year", "2026"),
        ("arrived_at.time", "25:00"),
    ];
    let r = confirm(&s, &session, &expected, &typed).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(r).await;
    assert!(html.contains("and the time as hours and minutes"), "{html}");
    assert!(html.contains("value=\"25:00\""), "{html}");

    // Another host cannot confirm it.
    let hash = password_auth::generate_hash(PASSWORD);
    with_store!(&s.store, st => st.create_user(&NewUser {
        username: "hostel".into(),
        role: AccountRole::Host,
        password_hash: hash,
        host_kind: Some("individual".into()),
        office: None,
        created_at: NOW.parse().unwrap(), email: None, language: None,
    }, "test").await.unwrap());
    let other = sign_in(&s, "hostel").await;
    assert_eq!(
        confirm(&s, &other, &expected, &[]).await.status(),
        StatusCode::NOT_FOUND
    );

    // The next day the guest is there: the button confirms it at the planned instant, in time.
    s.clock.advance(jiff::SignedDuration::from_hours(24));
    let session = sign_in(&s, "hotel").await;
    let r = confirm(&s, &session, &expected, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", text(r).await);
    assert_eq!(r.headers()[LOCATION], expected.as_str());
    let html = text(get(&s, &expected, &session).await).await;
    assert!(html.contains("Arrival notified"), "{html}");
    assert!(
        html.contains("<strong class=\"tag\">On time</strong>"),
        "{html}"
    );
    assert!(
        html.contains("2026-12-03 10:00"),
        "arrived as planned: {html}"
    );
    assert!(html.contains("2026-12-03 11:00"), "notified now: {html}");
    let html = text(get(&s, "/en/host", &session).await).await;
    assert!(!html.contains("Expected guests"), "{html}");
    assert!(html.contains(&format!("href=\"{expected}\"")), "{html}");
    // Twice: the notification, with what is wrong in the error summary.
    let r = confirm(&s, &session, &expected, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = text(r).await;
    assert!(html.contains("href=\"#f-arrival\""), "{html}");
    assert!(
        html.contains("This arrival was already notified on 2026-12-03 11:00."),
        "{html}"
    );
    assert!(html.contains("id=\"f-arrival\""), "{html}");
    let stats = with_store!(&s.store, st => st.stats().await.unwrap());
    assert_eq!((stats.arrivals, stats.late_arrivals), (1, 0));
}
