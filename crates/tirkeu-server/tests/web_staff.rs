//! The officers' back office as a browser meets it, over HTTP, on SQLite and on PostgreSQL:
//! the workqueues and their counts, keyset pages, the search, the case page and its audit
//! trail, assignment, and actions with their reasons, confirmation and version guard.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::{Server, ok_json, submitted};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{Store, with_store};

on_both!(
    queues_count_what_they_list_and_page_by_keyset,
    search_finds_a_case_by_number_or_passport,
    the_case_page_is_audited_and_assignment_is_guarded,
    actions_need_their_inputs_and_move_the_case_between_queues,
    admins_and_strangers_do_not_get_the_queues,
    the_second_factor_is_a_step_of_signing_in_and_is_set_up_on_a_page,
);

/// A client that does not follow redirects, so tests see them.
fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

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

async fn post(s: &Server, path: &str, session: &str, form: &[(&str, &str)]) -> Response {
    browser()
        .post(s.url(path))
        .header(COOKIE, session)
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn page(r: Response, status: StatusCode) -> String {
    let got = r.status();
    let body = r.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

fn location(r: &Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

/// The count the side navigation shows for `queue`.
fn count_of(html: &str, queue: &str) -> i64 {
    let html = &html[html.find("<nav class=\"queues\"").expect("the queues")..];
    let at = [format!("?queue={queue}\""), format!("?queue={queue}&")]
        .iter()
        .find_map(|needle| html.find(needle.as_str()))
        .unwrap_or_else(|| panic!("no link to {queue}"));
    let rest = &html[at..];
    let c = rest.find("class=\"count\">").unwrap() + "class=\"count\">".len();
    rest[c..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// The case numbers a page lists, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<a class=\"number\" href=\"")
        .skip(1)
        .map(|s| s[s.find('>').unwrap() + 1..s.find("</a>").unwrap()].to_owned())
        .collect()
}

/// The `href` of the link labelled `label`.
fn link(html: &str, label: &str) -> Option<String> {
    let end = html.find(&format!(">{label}</a>"))?;
    let start = html[..end].rfind("href=\"")? + 6;
    let len = html[start..].find('"')?;
    Some(
        html[start..start + len]
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

/// The case's version as the page's hidden field says.
fn version(html: &str) -> String {
    let at = html.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    html[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

async fn queues_count_what_they_list_and_page_by_keyset(s: Server) {
    // 53 submitted cases: more than one page of 50.
    let mut numbers = Vec::new();
    for i in 0..53 {
        numbers.push(submitted(&s, &format!("Q{i:07}")).await.0);
    }
    let officer = sign_in(&s, "officer").await;
    let html = page(get(&s, "/en/staff", &officer).await, StatusCode::OK).await;
    assert!(html.contains("<nav class=\"queues\" aria-label=\"Workqueues\">"));
    assert_eq!(count_of(&html, "new"), 53);
    for q in ["mine", "info_received", "decision", "collection", "overdue"] {
        assert_eq!(count_of(&html, q), 0, "{q}");
    }
    let first = listed(&html);
    assert_eq!(first.len(), 50);
    let next = link(&html, "Next page").expect("a next page");
    assert!(next.contains("cursor="), "{next}");
    assert!(!next.contains('Q'), "no passport in the URL: {next}");
    let html = page(get(&s, &next, &officer).await, StatusCode::OK).await;
    let second = listed(&html);
    assert_eq!(second.len(), 3);
    assert!(link(&html, "Next page").is_none());
    assert!(link(&html, "First page").is_some());
    // Every case once, oldest first.
    let all: Vec<String> = first.into_iter().chain(second).collect();
    let expected: Vec<String> = numbers
        .iter()
        .map(|n| CaseNumber::parse(n).unwrap().to_string())
        .collect();
    assert_eq!(all, expected);

    // The filters narrow the counts and the list alike; an office no case is in has none.
    let html = page(
        get(&s, "/en/staff?queue=new&type=study", &officer).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(count_of(&html, "new"), 0);
    assert!(listed(&html).is_empty());
    assert!(html.contains("There are no cases in this queue."));
    let html = page(
        get(&s, "/en/staff?queue=new&type=work&office=almaty", &officer).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed(&html).len(), 50);
    let html = page(
        get(&s, "/en/staff?queue=new&office=astana", &officer).await,
        StatusCode::OK,
    )
    .await;
    assert!(listed(&html).is_empty());

    // The overdue queue: the clock moved past the work permits' processing target.
    s.clock.advance(jiff::SignedDuration::from_hours(24 * 30));
    let officer = sign_in(&s, "officer").await;
    let html = page(
        get(&s, "/en/staff?queue=overdue", &officer).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(count_of(&html, "overdue"), 53);
    assert_eq!(listed(&html).len(), 50);
    assert!(html.contains("<strong class=\"tag late\">Overdue</strong>"));
}

async fn search_finds_a_case_by_number_or_passport(s: Server) {
    let (number, _) = submitted(&s, "S1234567").await;
    let officer = sign_in(&s, "officer").await;
    // A number, typed loosely, opens the case.
    let loose = number.to_lowercase().replace('-', " ");
    let r = post(&s, "/en/staff/search", &officer, &[("query", &loose)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let compact = CaseNumber::parse(&number).unwrap().compact();
    assert_eq!(location(&r), format!("/en/staff/cases/{compact}"));
    // A passport number lists its applications; the number is never in a URL.
    let r = post(&s, "/en/staff/search", &officer, &[("query", "s1234567")]).await;
    let html = page(r, StatusCode::OK).await;
    let results = &html[html.find("Applications for this passport").unwrap()
        ..html.find("id=\"queue-heading\"").unwrap()];
    assert_eq!(
        listed(results),
        [CaseNumber::parse(&number).unwrap().to_string()]
    );
    // Nothing found, or nothing typed: the form again, with the message at the field.
    let r = post(&s, "/en/staff/search", &officer, &[("query", "X0000000")]).await;
    let html = page(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains("No application has this number or passport number."));
    assert!(html.contains("href=\"#f-query\""));
    assert!(html.contains("value=\"X0000000\""));
    let r = post(&s, "/en/staff/search", &officer, &[("query", " ")]).await;
    let html = page(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains("Enter an application number or a passport number."));
}

async fn audit_actions<S: Store>(s: &S, number: &str) -> Vec<(String, String)> {
    let a = s
        .application_by_number(&CaseNumber::parse(number).unwrap())
        .await
        .unwrap();
    s.case_history(a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor))
        .collect()
}

async fn the_case_page_is_audited_and_assignment_is_guarded(s: Server) {
    let (number, _) = submitted(&s, "A1234567").await;
    let other = {
        // Another application of the same passport, for another card type: a duplicate warning.
        let r = s
            .post(
                "/api/v1/applications",
                None,
                &json!({
                    "permit_type": "study", "language": "en",
                    "applicant": {
                        "surname": "ERIKSSON", "given_names": "ANNA MARIA", "passport_number": "A1234567",
                        "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"
                    },
                    "contact": {"email": "anna@example.org"},
                    "address": {"city": "Almaty", "line": "Abay 10"},
                }),
            )
            .await;
        let v: Value = ok_json(r, StatusCode::CREATED).await;
        v["number"].as_str().unwrap().to_owned()
    };
    let compact = CaseNumber::parse(&number).unwrap().compact();
    let officer = sign_in(&s, "officer").await;
    let path = format!("/en/staff/cases/{compact}");
    let r = get(&s, &path, &officer).await;
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");
    let html = page(r, StatusCode::OK).await;
    assert!(html.contains("ERIKSSON") && html.contains("A1234567"));
    assert!(html.contains("anna@example.org"));
    // The stay from the arrival on 2026-11-01 to the server's today, 2026-12-02.
    assert!(html.contains("Days in the country"));
    assert!(html.contains("32 days"), "{html}");
    assert!(html.contains("Other applications with the same passport"));
    assert!(html.contains(&CaseNumber::parse(&other).unwrap().to_string()));
    // Images inline, PDFs by a link to a new tab.
    assert!(html.contains("<img src=\"/en/staff/cases/"));
    assert!(html.contains("target=\"_blank\""));
    assert!(html.contains("Viewed the case"));
    let img = {
        let at = html.find("<img src=\"").unwrap() + 10;
        html[at..at + html[at..].find('"').unwrap()].to_owned()
    };
    let r = get(&s, &img, &officer).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(r.headers()[CONTENT_DISPOSITION], "inline");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()[CACHE_CONTROL], "no-store");

    let officer_id = with_store!(&s.store, st => st.user_by_username("officer").await.unwrap().id);
    let me = format!("user:{officer_id}");
    let trail = with_store!(&s.store, st => audit_actions(st, &number).await);
    assert!(
        trail.contains(&("case.read".to_owned(), me.clone())),
        "{trail:?}"
    );
    assert!(
        trail.contains(&("document.read".to_owned(), me.clone())),
        "{trail:?}"
    );

    // Assign to me, then the same form again (its version is now stale): nothing written.
    let v = version(&html);
    let r = post(&s, &format!("{path}/assign"), &officer, &[("version", &v)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}?done=assign"));
    let html = page(get(&s, &location(&r), &officer).await, StatusCode::OK).await;
    assert!(html.contains("The case is assigned to you."));
    assert!(!html.contains("Assign to me"));
    let officer2 = sign_in(&s, "officer2").await;
    let before = with_store!(&s.store, st => audit_actions(st, &number).await).len();
    let r = post(&s, &format!("{path}/assign"), &officer2, &[("version", &v)]).await;
    let html = page(r, StatusCode::CONFLICT).await;
    assert!(html.contains("This case was changed by someone else meanwhile"));
    assert!(
        html.contains(">officer</dd>"),
        "the current assignee is shown"
    );
    let trail = with_store!(&s.store, st => audit_actions(st, &number).await);
    // The stale page is itself a read of the case, and nothing else was written.
    assert_eq!(trail.len(), before + 1);
    assert_eq!(trail.last().unwrap().0, "case.read");
    assert_eq!(
        trail
            .iter()
            .filter(|(a, _)| a == "application.assign")
            .count(),
        1
    );
}

async fn actions_need_their_inputs_and_move_the_case_between_queues(s: Server) {
    let (number, code) = submitted(&s, "R1234567").await;
    let compact = CaseNumber::parse(&number).unwrap().compact();
    let path = format!("/en/staff/cases/{compact}");
    let officer = sign_in(&s, "officer").await;
    let queues = |html: &str| {
        [
            "new",
            "mine",
            "info_received",
            "decision",
            "collection",
            "overdue",
        ]
        .map(|q| count_of(html, q))
    };
    let html = page(get(&s, "/en/staff", &officer).await, StatusCode::OK).await;
    assert_eq!(queues(&html), [1, 0, 0, 0, 0, 0]);

    // Start the review: straight from the case page.
    let html = page(get(&s, &path, &officer).await, StatusCode::OK).await;
    let v = version(&html);
    let r = post(
        &s,
        &format!("{path}/actions/start_review"),
        &officer,
        &[("version", &v), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(get(&s, "/en/staff", &officer).await, StatusCode::OK).await;
    assert_eq!(queues(&html), [0, 1, 0, 1, 0, 0]);

    // Request information: the reason is required, then asked about once more.
    let form = format!("{path}/actions/request_info");
    let html = page(get(&s, &form, &officer).await, StatusCode::OK).await;
    assert!(html.contains("Missing document"));
    let v = version(&html);
    let r = post(&s, &form, &officer, &[("version", &v)]).await;
    let html = page(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        html.contains("Choose a reason: “Request information” needs one."),
        "{html}"
    );
    assert!(html.contains("href=\"#f-reason\""));
    let r = post(
        &s,
        &form,
        &officer,
        &[("version", &v), ("reason", "missing_document")],
    )
    .await;
    let html = page(r, StatusCode::OK).await;
    assert!(html.contains("Are you sure?"));
    assert!(html.contains("Yes: Request information"));
    // Nothing happened yet.
    let state = |st: tirkeu_store::Application| st.state.as_str().to_owned();
    let a = with_store!(&s.store, st => st.application_by_number(&CaseNumber::parse(&number).unwrap()).await.unwrap());
    assert_eq!(state(a), "in_review");
    let r = post(
        &s,
        &form,
        &officer,
        &[
            ("version", &v),
            ("reason", "missing_document"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}?done=request_info"));
    let html = page(get(&s, "/en/staff", &officer).await, StatusCode::OK).await;
    assert_eq!(queues(&html), [0, 0, 0, 0, 0, 0]);

    // The applicant answers: the case is back, in "information received".
    ok_json(
        s.post(
            &format!("/api/v1/applications/{number}/respond"),
            Some(&code),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let html = page(
        get(&s, "/en/staff?queue=info_received", &officer).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(queues(&html), [0, 1, 1, 1, 0, 0]);
    assert_eq!(
        listed(&html),
        [CaseNumber::parse(&number).unwrap().to_string()]
    );

    // The reviewer is not offered the decision, and posting it anyway is refused: approving
    // takes a supervisor (the second pair of eyes).
    let approve = format!("{path}/actions/approve");
    let html = page(get(&s, &path, &officer).await, StatusCode::OK).await;
    assert!(
        !html.contains(&approve),
        "no approve button for the reviewer"
    );
    let html = page(get(&s, &approve, &officer).await, StatusCode::FORBIDDEN).await;
    assert!(html.contains("takes a second person"), "{html}");
    let supervisor = sign_in(&s, "supervisor").await;
    let html = page(get(&s, &approve, &supervisor).await, StatusCode::OK).await;
    let v = version(&html);
    let r = post(
        &s,
        &approve,
        &officer,
        &[("version", &v), ("confirm", "yes")],
    )
    .await;
    assert!(
        page(r, StatusCode::FORBIDDEN)
            .await
            .contains("takes a second person")
    );

    // A supervisor and an officer on the same version: the second is told, and shown the new
    // state.
    let r = post(
        &s,
        &approve,
        &supervisor,
        &[("version", &v), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let officer2 = sign_in(&s, "officer2").await;
    let r = post(
        &s,
        &format!("{path}/actions/reject"),
        &officer2,
        &[("version", &v), ("reason", "other"), ("confirm", "yes")],
    )
    .await;
    let html = page(r, StatusCode::CONFLICT).await;
    assert!(html.contains("This case was changed by someone else meanwhile"));
    assert!(html.contains("<strong class=\"tag state-approved\">Approved</strong>"));
    let html = page(get(&s, "/en/staff", &officer).await, StatusCode::OK).await;
    assert_eq!(queues(&html), [0, 0, 0, 0, 1, 0]);

    // Schedule the collection: date, time and place, or the form again.
    let schedule = format!("{path}/actions/schedule_collection");
    let html = page(get(&s, &schedule, &officer).await, StatusCode::OK).await;
    let v = version(&html);
    let r = post(
        &s,
        &schedule,
        &officer,
        &[("version", &v), ("collection.place", "Almaty, Abay 1")],
    )
    .await;
    let html = page(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains("Enter the time and place to collect the card."));
    let r = post(
        &s,
        &schedule,
        &officer,
        &[
            ("version", &v),
            ("collection.day", "10"),
            ("collection.month", "12"),
            ("collection.year", "2026"),
            ("collection.time", "10:30"),
            ("collection.place", "Almaty, Abay 1"),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let html = page(get(&s, &path, &officer).await, StatusCode::OK).await;
    assert!(html.contains("2026-12-10 10:30, Almaty, Abay 1"));

    // Issue: the validity is filled in from the policy; the verification link shown once.
    let issue = format!("{path}/actions/issue");
    page(get(&s, &issue, &officer).await, StatusCode::FORBIDDEN).await;
    let officer = supervisor;
    let html = page(get(&s, &issue, &officer).await, StatusCode::OK).await;
    assert!(html.contains("name=\"valid_from.year\" value=\"2026\""));
    let v = version(&html);
    let dates = [
        ("valid_from.day", "02"),
        ("valid_from.month", "12"),
        ("valid_from.year", "2026"),
        ("valid_until.day", "01"),
        ("valid_until.month", "12"),
        ("valid_until.year", "2027"),
    ];
    let mut fields: Vec<(&str, &str)> = vec![("version", &v)];
    fields.extend(dates);
    let html = page(post(&s, &issue, &officer, &fields).await, StatusCode::OK).await;
    assert!(html.contains("2026-12-02 – 2027-12-01"));
    fields.push(("confirm", "yes"));
    let html = page(post(&s, &issue, &officer, &fields).await, StatusCode::OK).await;
    assert!(html.contains("The card is issued"));
    assert!(html.contains("/api/v1/verify/"));
    let html = page(get(&s, "/en/staff", &officer).await, StatusCode::OK).await;
    assert_eq!(queues(&html), [0, 0, 0, 0, 0, 0]);

    // The history tells every step in words.
    let html = page(get(&s, &path, &officer).await, StatusCode::OK).await;
    for step in [
        "Submitted",
        "Review started",
        "Information requested: Missing document",
        "Information sent",
        "Approved",
        "Collection scheduled",
        "Card issued",
        "Viewed the case",
    ] {
        assert!(
            html.contains(&format!("<td data-label=\"What happened\">{step}")),
            "{step}"
        );
    }
}

async fn admins_and_strangers_do_not_get_the_queues(s: Server) {
    let r = get(&s, "/en/staff", "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/sign-in");
    let admin = sign_in(&s, "admin").await;
    let r = get(&s, "/en/staff", &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/staff/dashboard");
    let host = sign_in(&s, "hotel").await;
    let r = get(&s, "/en/staff", &host).await;
    assert_eq!(location(&r), "/en/host");
    let officer = sign_in(&s, "officer").await;
    let r = get(&s, "/en/staff/cases/AAAA-BBBB-CCCC-D", &officer).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = post(&s, "/en/staff/search", &host, &[("query", "A1")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// The pages' second factor: a supervisor's password leads to the code step (and nowhere
/// else), a wrong code re-shows it with the message, the right one opens the queues; a new
/// administrator is sent to set one up, scans the secret, and sees ten recovery codes once.
async fn the_second_factor_is_a_step_of_signing_in_and_is_set_up_on_a_page(s: Server) {
    let signed_in = |r: &Response| common::session_cookie(r);
    let r = browser()
        .post(s.url("/ru/sign-in"))
        .form(&[("username", "supervisor"), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/ru/sign-in/code");
    let pending = signed_in(&r);
    // The password alone opens nothing.
    let r = get(&s, "/ru/staff", &pending).await;
    assert_eq!(location(&r), "/ru/sign-in/code");
    let html = page(get(&s, "/ru/sign-in/code", &pending).await, StatusCode::OK).await;
    assert!(html.contains("autocomplete=\"one-time-code\""), "{html}");
    // A wrong code: the page again, with the message in Russian.
    let html = page(
        post(&s, "/ru/sign-in/code", &pending, &[("code", "12345")]).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(html.contains("error-summary"), "{html}");
    assert!(html.contains("Код неверен"), "{html}");
    let code = s.next_code("supervisor");
    let r = post(&s, "/ru/sign-in/code", &pending, &[("code", &code)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/ru/staff");
    let full = signed_in(&r);
    page(get(&s, "/ru/staff", &full).await, StatusCode::OK).await;
    // The code step is over: its session is gone.
    assert_eq!(
        location(&get(&s, "/ru/staff", &pending).await),
        "/ru/sign-in"
    );

    // A new administrator sets one up before anything else.
    let created = ok_json(
        s.post(
            "/api/v1/admin/users",
            Some(&s.admin),
            &json!({"username": "admin3", "role": "admin"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let password = created["password"].as_str().unwrap();
    let r = browser()
        .post(s.url("/en/sign-in"))
        .form(&[("username", "admin3"), ("password", password)])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/en/second-factor");
    let enrol = signed_in(&r);
    assert_eq!(
        location(&get(&s, "/en/admin", &enrol).await),
        "/en/second-factor"
    );
    let html = page(get(&s, "/en/second-factor", &enrol).await, StatusCode::OK).await;
    assert!(
        html.contains("<img class=\"qr\" src=\"data:image/svg+xml;base64,"),
        "{html}"
    );
    let secret: String = html
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace(' ', "");
    assert_eq!(secret.len(), 32, "{secret}");
    // A late code: the same secret again, with the message.
    let late = tirkeu_server::second_factor::code_at(
        &secret,
        s.clock.now() + jiff::SignedDuration::from_mins(10),
    )
    .unwrap();
    let html = page(
        post(&s, "/en/second-factor", &enrol, &[("code", &late)]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(html.contains("error-summary"), "{html}");
    assert!(
        html.contains(&tirkeu_server::second_factor::grouped(&secret)),
        "the same secret is shown again"
    );
    let code = tirkeu_server::second_factor::code_at(&secret, s.clock.now()).unwrap();
    let r = post(&s, "/en/second-factor", &enrol, &[("code", &code)]).await;
    let admin = signed_in(&r);
    let html = page(r, StatusCode::OK).await;
    assert_eq!(html.matches("<li><code>").count(), 10, "{html}");
    assert!(html.contains("href=\"/en/admin\""), "{html}");
    page(get(&s, "/en/admin", &admin).await, StatusCode::OK).await;
    // Shown once: the page now only says it is on.
    let html = page(get(&s, "/en/second-factor", &admin).await, StatusCode::OK).await;
    assert_eq!(html.matches("<li><code>").count(), 0);
    assert!(
        html.contains("already signs in with a second factor"),
        "{html}"
    );
}
