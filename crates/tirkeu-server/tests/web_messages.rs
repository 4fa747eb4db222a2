//! The administrator's "Messages" page and the admin API's messages, over HTTP, on SQLite and
//! on PostgreSQL: failed messages (made through the store as the worker makes them: queued,
//! claimed, failed) listed newest first with their case numbers and in keyset pages, "send
//! again" after a page that asks, and that only administrators come in.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::{NOW, Server, ok_json, problem};
use jiff::{SignedDuration, Timestamp};
use reqwest::header::{COOKIE, LOCATION};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use tirkeu_store::{Delivery, NewAudit, NewOutboxMessage, Store, with_store};

on_both!(
    a_failed_message_is_listed_with_its_case_and_sent_again,
    failed_messages_come_in_keyset_pages_newest_first,
    only_administrators_see_or_resend_messages,
);

/// A client that does not follow redirects, so tests see them.
fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(s: &Server, path: &str, session: &str) -> Response {
    browser()
        .get(s.url(path))
        .header(COOKIE, session)
        .send()
        .await
        .unwrap()
}

async fn post(s: &Server, path: &str, session: &str) -> Response {
    browser()
        .post(s.url(path))
        .header(COOKIE, session)
        .form(&[("go", "1")])
        .send()
        .await
        .unwrap()
}

async fn page(r: Response, status: StatusCode) -> String {
    let got = r.status();
    let html = r.text().await.unwrap();
    assert_eq!(got, status, "{html}");
    assert!(!html.contains("Unknown localization key"), "{html}");
    html
}

fn location(r: &Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The value of the summary row `label` (`<dt>label</dt><dd>value</dd>`).
fn summary(html: &str, label: &str) -> String {
    let at = html
        .find(&format!("<dt>{label}</dt><dd>"))
        .unwrap_or_else(|| panic!("no {label}: {html}"))
        + label.len()
        + "<dt></dt><dd>".len();
    html[at..at + html[at..].find("</dd>").unwrap()].to_owned()
}

/// The message ids the list shows, in order (the first cell of each row).
fn listed(html: &str) -> Vec<i64> {
    html.split("<td data-label=\"Message\">")
        .skip(1)
        .map(|s| s[..s.find("</td>").unwrap()].parse().unwrap())
        .collect()
}

/// Claims every due message as a worker does and records each as failed for good with
/// `error`, one minute apart from `first` on, in the order of their ids; their ids.
async fn fail_all_due(s: &Server, error: &str, first: Timestamp) -> Vec<i64> {
    with_store!(&s.store, st => {
        let claimed = st
            .claim_outbox("test-worker", t(NOW) + SignedDuration::from_mins(1), SignedDuration::from_mins(5), 500)
            .await
            .unwrap();
        let mut ids = Vec::new();
        for (i, m) in (0_i64..).zip(&claimed) {
            let failed = Delivery::Failed { error: error.to_owned() };
            st.outbox_done(m.id, "test-worker", first + SignedDuration::from_mins(i), &failed)
                .await
                .unwrap();
            ids.push(m.id);
        }
        ids
    })
}

/// A draft created through the applicant's API and withdrawn, which queues its
/// `notice.withdrawn`; its number.
async fn withdrawn(s: &Server) -> String {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "work", "language": "en",
                "applicant": {
                    "surname": "ERIKSSON", "given_names": "ANNA MARIA", "passport_number": "M1234567",
                    "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"
                },
                "contact": {"email": "anna@example.org"},
                "address": {"city": "Almaty", "line": "Abay 10, apt 5"}
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let number = created["number"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap();
    ok_json(
        s.post(
            &format!("/api/v1/applications/{number}/withdraw"),
            Some(code),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    number
}

/// Queues `n` messages to the host that no case is about, as the worker's reminders are.
async fn host_reminders(s: &Server, n: usize) {
    with_store!(&s.store, st => {
        for i in 0..n {
            let queued = st
                .queue_message(
                    &NewOutboxMessage {
                        kind: "host.deadline_missed".into(),
                        payload: json!({"arrival_id": i, "user_id": 5}),
                        available_at: t(NOW),
                        dedupe_key: Some(format!("test:{i}")),
                    },
                    &NewAudit {
                        at: t(NOW),
                        actor: "test".into(),
                        action: "outbox.queue".into(),
                        object: format!("arrival:{i}"),
                        payload: json!({}),
                    },
                )
                .await
                .unwrap();
            assert!(queued);
        }
    });
}

async fn a_failed_message_is_listed_with_its_case_and_sent_again(s: Server) {
    let number = withdrawn(&s).await;
    let reply = "550 5.7.1 <relay> refused & logged";
    let ids = fail_all_due(&s, reply, t("2026-12-02T07:00:00Z")).await;
    assert_eq!(ids.len(), 1, "the withdrawal's notice");
    let id = ids[0];
    let admin = s.page_session("admin").await;

    // The start of the administration links to the page and counts.
    let html = page(get(&s, "/en/admin", &admin).await, StatusCode::OK).await;
    assert!(html.contains("href=\"/en/admin/messages\""), "{html}");
    assert_eq!(summary(&html, "Failed"), "1");

    // The list: the counts, the message with its kind in words, its case, its attempts, when
    // it failed (local time, UTC+5) and the reply as text; nothing personal.
    let html = page(get(&s, "/en/admin/messages", &admin).await, StatusCode::OK).await;
    assert_eq!(summary(&html, "Waiting to be sent"), "0");
    assert_eq!(summary(&html, "Failed"), "1");
    assert_eq!(listed(&html), vec![id]);
    assert!(html.contains("Application withdrawn"), "{html}");
    assert!(html.contains(&number), "{html}");
    assert!(html.contains("2026-12-02 12:00"), "{html}");
    assert!(
        html.contains("550 5.7.1 &#60;relay&#62; refused &#38; logged")
            || html.contains("550 5.7.1 &lt;relay&gt; refused &amp; logged"),
        "the reply is escaped: {html}"
    );
    assert!(!html.contains("<relay>"), "{html}");
    for personal in ["anna@example.org", "ERIKSSON", "M1234567", "Abay"] {
        assert!(!html.contains(personal), "{personal} on the page");
    }
    let confirm = format!("/en/admin/messages/{id}/resend");
    assert!(html.contains(&format!("href=\"{confirm}\"")), "{html}");
    // In another language, the kind in that language.
    let html = page(get(&s, "/ru/admin/messages", &admin).await, StatusCode::OK).await;
    assert!(html.contains("Заявление отозвано"), "{html}");

    // "Are you sure?" first; nothing is sent again by reading it.
    let html = page(get(&s, &confirm, &admin).await, StatusCode::OK).await;
    assert!(
        html.contains(&format!("Send message {id} again?")),
        "{html}"
    );
    assert!(html.contains(&format!("action=\"{confirm}\"")), "{html}");
    assert!(html.contains(&number), "{html}");
    let counts = with_store!(&s.store, st => st.outbox_counts().await.unwrap());
    assert_eq!((counts.pending, counts.failed), (0, 1));

    // Sent again: back to the list with a notice; the message waits to be sent.
    let r = post(&s, &confirm, &admin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/admin/messages?done=resent");
    let counts = with_store!(&s.store, st => st.outbox_counts().await.unwrap());
    assert_eq!((counts.pending, counts.failed), (1, 0));
    let html = page(
        get(&s, "/en/admin/messages?done=resent", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert!(html.contains("The message is back in the queue"), "{html}");
    assert!(html.contains("No message has failed."), "{html}");
    assert_eq!(summary(&html, "Waiting to be sent"), "1");
    // A worker finds it due at once.
    let claimed = with_store!(&s.store, st => st
        .claim_outbox("second-worker", t(NOW) + SignedDuration::from_hours(2), SignedDuration::from_mins(5), 10)
        .await
        .unwrap());
    assert_eq!(claimed.len(), 1);
    assert_eq!((claimed[0].id, claimed[0].attempts), (id, 1));

    // Sending it again once more (a second click): to the list, nothing done.
    let r = post(&s, &confirm, &admin).await;
    assert_eq!(location(&r), "/en/admin/messages");
    let r = get(&s, &confirm, &admin).await;
    assert_eq!(location(&r), "/en/admin/messages");
    // No such message.
    for path in [
        "/en/admin/messages/999999/resend",
        "/en/admin/messages/x/resend",
    ] {
        page(get(&s, path, &admin).await, StatusCode::NOT_FOUND).await;
    }

    // The administrator's act is in the audit log.
    let audit = with_store!(&s.store, st => st.audit_entries(0, 10_000).await.unwrap());
    let resent: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "outbox.resend")
        .collect();
    assert_eq!(resent.len(), 1);
    assert_eq!(resent[0].object, format!("outbox:{id}"));
    assert!(resent[0].actor.starts_with("user:"), "{}", resent[0].actor);

    // The API: the same list, and "send again" once (then 404, a problem document).
    let failed = Delivery::Failed {
        error: "421 4.7.0 try again later".into(),
    };
    with_store!(&s.store, st => st
        .outbox_done(id, "second-worker", t("2026-12-02T09:00:00Z"), &failed)
        .await
        .unwrap());
    let list = ok_json(
        s.get("/api/v1/admin/messages/failed", Some(&s.admin)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (list["pending"].as_i64(), list["failed"].as_i64()),
        (Some(0), Some(1))
    );
    let item = &list["items"][0];
    assert_eq!(item["id"], json!(id));
    assert_eq!(item["kind"], "notice.withdrawn");
    assert_eq!(item["application_number"], json!(number));
    assert_eq!(item["attempts"], 1);
    assert_eq!(item["last_error"], "421 4.7.0 try again later");
    assert_eq!(item["failed_at"], "2026-12-02T09:00:00Z");
    assert!(list.get("next").is_none_or(Value::is_null), "{list}");
    let r = s
        .post(
            &format!("/api/v1/admin/messages/{id}/resend"),
            Some(&s.admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = s
        .post(
            &format!("/api/v1/admin/messages/{id}/resend"),
            Some(&s.admin),
            &json!({}),
        )
        .await;
    problem(r, StatusCode::NOT_FOUND).await;
    let counts = with_store!(&s.store, st => st.outbox_counts().await.unwrap());
    assert_eq!((counts.pending, counts.failed), (1, 0));
}

async fn failed_messages_come_in_keyset_pages_newest_first(s: Server) {
    host_reminders(&s, 57).await;
    // Failed one minute apart in the order of their ids: newest first is highest id first.
    let mut ids = fail_all_due(&s, "550 no such mailbox", t("2026-12-02T07:00:00Z")).await;
    assert_eq!(ids.len(), 57);
    ids.reverse();
    let admin = s.page_session("admin").await;

    let html = page(get(&s, "/en/admin/messages", &admin).await, StatusCode::OK).await;
    assert_eq!(summary(&html, "Failed"), "57");
    assert_eq!(listed(&html), ids[..50]);
    assert!(
        html.contains("To a host: an arrival notification is late"),
        "{html}"
    );
    assert!(html.contains("Not about an application"), "{html}");
    assert!(!html.contains("First page"), "{html}");
    let next = {
        let at = html.find("rel=\"next\"").expect("a next page");
        let start = html[..at].rfind("href=\"").unwrap() + 6;
        html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&")
    };
    assert!(next.starts_with("/en/admin/messages?cursor="), "{next}");
    let html = page(get(&s, &next, &admin).await, StatusCode::OK).await;
    assert_eq!(listed(&html), ids[50..]);
    assert!(html.contains("First page"), "{html}");
    assert!(!html.contains("rel=\"next\""), "{html}");
    // A cursor that does not read is the first page.
    let html = page(
        get(&s, "/en/admin/messages?cursor=nonsense", &admin).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(listed(&html), ids[..50]);

    // The API in pages of 20: the same order, and no message twice.
    let mut seen = Vec::new();
    let mut path = "/api/v1/admin/messages/failed?limit=20".to_owned();
    loop {
        let list = ok_json(s.get(&path, Some(&s.admin)).await, StatusCode::OK).await;
        let items = list["items"].as_array().unwrap();
        assert!(items.len() <= 20);
        seen.extend(items.iter().map(|m| m["id"].as_i64().unwrap()));
        assert!(items.iter().all(|m| m["application_number"].is_null()));
        match list["next"].as_str() {
            Some(c) => path = format!("/api/v1/admin/messages/failed?limit=20&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let p = problem(
        s.get(
            "/api/v1/admin/messages/failed?cursor=nonsense",
            Some(&s.admin),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "cursor", "{p}");
}

async fn only_administrators_see_or_resend_messages(s: Server) {
    host_reminders(&s, 1).await;
    let id = fail_all_due(&s, "550 no such mailbox", t("2026-12-02T07:00:00Z")).await[0];
    let confirm = format!("/en/admin/messages/{id}/resend");

    // Not signed in: to the sign-in page.
    let r = browser()
        .get(s.url("/en/admin/messages"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/en/sign-in");

    // An officer: the 403 page, nothing listed, nothing sent again.
    let officer = s.page_session("officer").await;
    for r in [
        get(&s, "/en/admin/messages", &officer).await,
        get(&s, &confirm, &officer).await,
        post(&s, &confirm, &officer).await,
    ] {
        let html = page(r, StatusCode::FORBIDDEN).await;
        assert!(html.contains("You cannot open this page"), "{html}");
        assert!(!html.contains("550 no such mailbox"), "{html}");
    }
    let r = s
        .get("/api/v1/admin/messages/failed", Some(&s.officer))
        .await;
    problem(r, StatusCode::FORBIDDEN).await;
    let r = s
        .post(
            &format!("/api/v1/admin/messages/{id}/resend"),
            Some(&s.supervisor),
            &json!({}),
        )
        .await;
    problem(r, StatusCode::FORBIDDEN).await;
    let r = s.get("/api/v1/admin/messages/failed", None).await;
    problem(r, StatusCode::UNAUTHORIZED).await;
    let counts = with_store!(&s.store, st => st.outbox_counts().await.unwrap());
    assert_eq!((counts.pending, counts.failed), (0, 1));
}
