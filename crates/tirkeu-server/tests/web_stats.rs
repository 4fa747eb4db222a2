//! The staff dashboard and the public statistics page, over HTTP, on SQLite and PostgreSQL:
//! their tables, their CSV files and `GET /api/v1/stats` say the same numbers; processing
//! percentiles and expiring cards are counted right on known data (at the boundary days);
//! the public page shows aggregates only; the dashboard needs a staff sign-in.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::files::pdf;
use common::known::load_known;
use common::{NOW, Server, ok_json};
use jiff::SignedDuration;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, LOCATION};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;

on_both!(
    the_tables_the_csv_files_and_the_api_agree,
    percentiles_and_expiring_cards_are_counted_right_on_known_data,
    the_public_page_shows_aggregates_only,
    the_dashboard_needs_a_staff_sign_in,
    a_count_is_shown_until_it_is_older_than_its_max_age,
);

const CHARTS: [&str; 5] = [
    "backlog-by-state",
    "backlog-by-type",
    "processing-times",
    "late-arrivals",
    "expiring-cards",
];

fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

fn unescape(s: &str) -> String {
    s.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The body rows of the table `table-{id}`: each row's cells' text, the row heading first.
fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let at = html
        .find(&format!("id=\"table-{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let rest = &html[at..];
    let body = &rest[rest.find("<tbody>").unwrap()..rest.find("</tbody>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let mut cells = Vec::new();
            let mut r = row;
            while let Some(open) = r.find("<t") {
                let after = &r[open..];
                let start = after.find('>').unwrap() + 1;
                let end = after[start..].find("</t").unwrap() + start;
                cells.push(unescape(&after[start..end]));
                r = &after[end + 3..];
            }
            cells
        })
        .collect()
}

/// The records of a CSV file (RFC 4180 quoting), the header first.
fn csv(body: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    for line in body.split("\r\n").filter(|l| !l.is_empty()) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut field)),
                _ => field.push(c),
            }
        }
        fields.push(field);
        records.push(fields);
    }
    records
}

/// A number as a table cell in `lang` shows it, as the CSV file writes it: digit grouping
/// left out, a decimal point.
fn plain(cell: &str, lang: &str) -> String {
    match lang {
        "kk" | "ru" => cell
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}'))
            .collect::<String>()
            .replace(',', "."),
        _ => cell.chars().filter(|c| *c != ',').collect(),
    }
}

async fn stats(s: &Server) -> Value {
    ok_json(s.get("/api/v1/stats", None).await, StatusCode::OK).await
}

async fn page(s: &Server, path: &str, cookie: Option<&str>) -> String {
    let mut r = browser().get(s.url(path));
    if let Some(c) = cookie {
        r = r.header(COOKIE, c);
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.unwrap()
}

async fn csv_file(s: &Server, lang: &str, id: &str) -> Vec<Vec<String>> {
    let r = s.get(&format!("/{lang}/statistics/{id}.csv"), None).await;
    assert_eq!(r.status(), StatusCode::OK, "{id}");
    assert_eq!(r.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = r.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"tirkeu-")
            && disposition.contains(id)
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    csv(&r.text().await.unwrap())
}

fn application_body(passport: &str, permit_type: &str) -> Value {
    json!({
        "permit_type": permit_type,
        "language": "en",
        "applicant": {
            "surname": "ERIKSSON", "given_names": "ANNA MARIA", "passport_number": passport,
            "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"
        },
        "contact": {"email": "anna@example.org", "phone": "+49 30 123456"},
        "address": {"city": "Almaty", "line": "Abay 10, apt 5"},
        "arrival_date": "2026-11-01"
    })
}

/// A work application with every required document, submitted unless `draft`; its number.
async fn application(s: &Server, passport: &str, draft: bool) -> String {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &application_body(passport, "work"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let number = created["number"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    if draft {
        return number;
    }
    for item in created["checklist"].as_array().unwrap() {
        if item["required"] == true {
            let form = Form::new()
                .text("kind", item["document"].as_str().unwrap().to_owned())
                .part("file", Part::bytes(pdf()).file_name("x.pdf"));
            let r = s.upload(&number, &code, form).await;
            assert_eq!(r.status(), StatusCode::CREATED);
        }
    }
    let r = s
        .post(
            &format!("/api/v1/applications/{number}/submit"),
            Some(&code),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    number
}

/// Moves case `number` on by `action` (an officer's token, through the API); the new version.
async fn act(s: &Server, token: &str, number: &str, version: i64, action: &str) -> i64 {
    let r = s
        .http
        .post(s.url(&format!("/api/v1/cases/{number}/transitions")))
        .bearer_auth(token)
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"action": action}))
        .send()
        .await
        .unwrap();
    let v = ok_json(r, StatusCode::OK).await;
    v["version"].as_i64().unwrap()
}

async fn the_tables_the_csv_files_and_the_api_agree(s: Server) {
    // Cases through the live path: a draft, a submitted case, one in review, one approved
    // after 3 days and 1 hour (4 days rounded up); then the known data.
    application(&s, "P0000001", true).await;
    application(&s, "P0000002", false).await;
    let reviewed = application(&s, "P0000003", false).await;
    act(&s, &s.officer, &reviewed, 2, "start_review").await;
    let approved = application(&s, "P0000004", false).await;
    let version = act(&s, &s.officer, &approved, 2, "start_review").await;
    let later = days(3) + SignedDuration::from_hours(1);
    s.clock.advance(later);
    // The morning's session has expired by then; a supervisor decides.
    let supervisor = s.login("supervisor").await;
    act(&s, &supervisor, &approved, version, "approve").await;
    // The clock stays there, so the decision is in the window (which ends now).
    load_known(&s).await;

    let api = stats(&s).await;
    let policy = Policy::default_kz();
    let work = api["processing"]["card_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["permit_type"] == "work")
        .unwrap()
        .clone();
    assert_eq!(work["decided"], 1, "{api}");
    assert_eq!(work["p50_days"], 4);
    assert_eq!(work["on_time"], 1);

    for lang in ["en", "kk"] {
        let html = page(&s, &format!("/{lang}/statistics"), None).await;
        let lang_of: Lang = lang.parse().unwrap();
        let type_name = |id: &str| policy.permit_type(id).unwrap().name.get(lang_of).to_owned();

        // Backlog by state: the open states but drafts, summed over types from the API.
        let rows = table(&html, "backlog-by-state");
        let states = [
            "submitted",
            "in_review",
            "info_requested",
            "approved",
            "ready_for_collection",
        ];
        assert_eq!(rows.len(), states.len());
        for (row, state) in rows.iter().zip(states) {
            let from_api: i64 = api["card_types"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["by_status"][state].as_i64())
                .sum();
            assert_eq!(plain(&row[1], lang), from_api.to_string(), "{lang} {state}");
        }
        if lang == "en" {
            let cells: Vec<String> = rows.iter().map(|r| r[1].clone()).collect();
            assert_eq!(cells, ["1", "1", "0", "1", "0"]);
            assert_eq!(rows[1][0], "Being reviewed");
        }

        // Backlog by type: every card type of the policy, named in the page's language.
        let rows = table(&html, "backlog-by-type");
        assert_eq!(rows.len(), policy.doc().permit_types.len());
        assert_eq!(rows[0][0], type_name("work"));
        assert_eq!(rows[0][1], "3");

        // Processing times: the API's numbers, row by row.
        let rows = table(&html, "processing-times");
        for (row, t) in rows
            .iter()
            .zip(api["processing"]["card_types"].as_array().unwrap())
        {
            assert_eq!(row[0], type_name(t["permit_type"].as_str().unwrap()));
            let opt = |v: &Value| v.as_i64().map_or("–".to_owned(), |n| n.to_string());
            assert_eq!(
                row[1..].iter().map(|c| plain(c, lang)).collect::<Vec<_>>(),
                [
                    t["decided"].to_string(),
                    opt(&t["p50_days"]),
                    opt(&t["p90_days"]),
                    t["target_working_days"].to_string(),
                    t["on_time"].to_string(),
                ],
                "{lang}"
            );
        }

        // Late arrivals by month.
        let rows = table(&html, "late-arrivals");
        let months = api["late_arrivals_by_month"].as_array().unwrap();
        assert_eq!(rows.len(), 12);
        for (row, m) in rows.iter().zip(months) {
            assert_eq!(row[0], m["month"].as_str().unwrap());
            assert_eq!(row[1], m["arrivals"].to_string());
            assert_eq!(row[2], m["late"].to_string());
        }

        // Expiring cards.
        let rows = table(&html, "expiring-cards");
        for (row, t) in rows
            .iter()
            .zip(api["expiring"]["card_types"].as_array().unwrap())
        {
            assert_eq!(row[0], type_name(t["permit_type"].as_str().unwrap()));
            assert_eq!(row[1], t["cards"].to_string());
        }

        // Each chart: an SVG image with a title and a description, and its CSV file with
        // the table's rows (id, the name as shown, the numbers as shown without grouping).
        for id in CHARTS {
            assert!(
                html.contains(&format!("role=\"img\" aria-labelledby=\"t-{id} d-{id}\"")),
                "{id}"
            );
            assert!(html.contains(&format!("<title id=\"t-{id}\">")), "{id}");
            assert!(html.contains(&format!("<desc id=\"d-{id}\">")), "{id}");
            assert!(html.contains(&format!("href=\"/{lang}/statistics/{id}.csv\"")));
            let file = csv_file(&s, lang, id).await;
            let rows = table(&html, id);
            assert_eq!(file.len(), rows.len() + 1, "{id}");
            assert_eq!(file[0][1], "name", "{id}");
            for (record, row) in file[1..].iter().zip(&rows) {
                assert_eq!(record[1], row[0], "{id}: the name as on the page");
                for (field, cell) in record[2..].iter().zip(&row[1..]) {
                    let shown = plain(cell, lang);
                    let shown = if shown == "–" { String::new() } else { shown };
                    assert_eq!(*field, shown, "{id} {lang}");
                }
            }
        }
    }
    assert_eq!(
        csv_file(&s, "en", "processing-times").await[0],
        [
            "permit_type",
            "name",
            "decided",
            "p50_days",
            "p90_days",
            "target_working_days",
            "on_time"
        ]
    );
    // An unknown chart is a page not found.
    let r = s.get("/en/statistics/secrets.csv", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn percentiles_and_expiring_cards_are_counted_right_on_known_data(s: Server) {
    load_known(&s).await;
    let api = stats(&s).await;
    let policy = Policy::default_kz();
    let of = |list: &Value, id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|t| t["permit_type"] == id)
            .unwrap()
            .clone()
    };
    let study = of(&api["processing"]["card_types"], "study");
    assert_eq!(
        study["decided"], 10,
        "the case decided 400 days ago is outside"
    );
    assert_eq!(study["p50_days"], 5);
    assert_eq!(study["p90_days"], 9);
    assert_eq!(study["on_time"], 6);
    assert_eq!(
        study["target_working_days"],
        policy.permit_type("study").unwrap().processing_days
    );
    let work = of(&api["processing"]["card_types"], "work");
    assert_eq!(work["decided"], 0);
    assert_eq!(work["p50_days"], Value::Null);
    assert_eq!(api["processing"]["window_days"], 365);
    assert_eq!(api["processing"]["decided_until"], NOW);

    // Today (2 December in Almaty) and today + 30 count; yesterday and today + 31 do not; an
    // expired card is no issued card.
    assert_eq!(api["expiring"]["from"], "2026-12-02");
    assert_eq!(api["expiring"]["until"], "2027-01-01");
    assert_eq!(of(&api["expiring"]["card_types"], "investment")["cards"], 2);
    assert_eq!(of(&api["expiring"]["card_types"], "work")["cards"], 0);

    // Arrivals by Almaty month: the first instant of December is December's.
    let months = api["late_arrivals_by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["month"], "2026-01");
    assert_eq!(
        months[11],
        json!({"month": "2026-12", "arrivals": 1, "late": 1})
    );
    assert_eq!(
        months[10],
        json!({"month": "2026-11", "arrivals": 2, "late": 1})
    );
    assert_eq!(api["arrivals"], 4);
    assert_eq!(api["late_arrivals"], 3);

    // A day later, the card whose last day was today no longer counts, and the one at
    // today + 31 does.
    s.clock.advance(days(1));
    let api = stats(&s).await;
    assert_eq!(api["expiring"]["from"], "2026-12-03");
    assert_eq!(of(&api["expiring"]["card_types"], "investment")["cards"], 2);
    s.clock.advance(days(-1));

    // The chart says the same in words and on its bars.
    let html = page(&s, "/en/statistics", None).await;
    let desc_at = html.find("<desc id=\"d-processing-times\">").unwrap();
    let desc = &html[desc_at..desc_at + html[desc_at..].find("</desc>").unwrap()];
    assert!(
        desc.contains(&format!(
            "{}: half decided within 5 days, 90% within 9 days; target {} working days; 6 of 10 decided on time",
            policy.permit_type("study").unwrap().name.get(Lang::En),
            policy.permit_type("study").unwrap().processing_days
        )),
        "{desc}"
    );
    assert!(html.contains(">median 5</text>") && html.contains(">90%: 9</text>"));
}

async fn the_public_page_shows_aggregates_only(s: Server) {
    let number = application(&s, "P7777777", false).await;
    load_known(&s).await;
    let mut seen = String::new();
    for lang in ["kk", "ru", "en", "zh"] {
        seen.push_str(&page(&s, &format!("/{lang}/statistics"), None).await);
        for id in CHARTS {
            let r = s.get(&format!("/{lang}/statistics/{id}.csv"), None).await;
            seen.push_str(&r.text().await.unwrap());
        }
    }
    seen.push_str(&stats(&s).await.to_string());
    let compact = CaseNumber::parse(&number).unwrap().compact();
    for personal in [
        "ERIKSSON",
        "ANNA",
        "P7777777",
        "anna@example.org",
        "Abay",
        "KNOWN",
        "GUEST",
        "K0000",
        "G0000",
        "TEST0",
    ] {
        assert!(!seen.contains(personal), "{personal} is shown");
    }
    assert!(!seen.contains(&number) && !seen.contains(&compact));
    // Signed out, the page has no staff navigation; the home page links to it.
    assert!(!seen.contains("staff-nav"));
    let home = page(&s, "/en/", None).await;
    assert!(home.contains("href=\"/en/statistics\""));
}

async fn sign_in(s: &Server, username: &str) -> String {
    s.page_session(username).await
}

async fn the_dashboard_needs_a_staff_sign_in(s: Server) {
    let r = browser()
        .get(s.url("/ru/staff/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/ru/sign-in");

    let host = sign_in(&s, "hotel").await;
    let r = browser()
        .get(s.url("/en/staff/dashboard"))
        .header(COOKIE, &host)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/en/host");

    for who in ["officer", "supervisor", "admin"] {
        let cookie = sign_in(&s, who).await;
        let html = page(&s, "/en/staff/dashboard", Some(&cookie)).await;
        assert!(html.contains("<h1>Dashboard</h1>"), "{who}");
        assert!(
            html.contains("href=\"/en/staff/dashboard\" aria-current=\"page\""),
            "{who}: the navigation marks the dashboard"
        );
        for id in CHARTS {
            assert!(html.contains(&format!("id=\"table-{id}\"")), "{who} {id}");
        }
    }
}

/// `stats::current` counts once and shows that count until it is older than
/// `stats_max_age` or the policy changes (the test server counts on every request, so this
/// test builds its own `App` over the same database).
async fn a_count_is_shown_until_it_is_older_than_its_max_age(s: Server) {
    use tirkeu_server::state::{App, ServerConfig};
    let mut config = ServerConfig::new(&s.base, s.dir.path());
    config.stats_max_age = std::time::Duration::from_hours(1);
    config.clock = s.clock.clone();
    let app = App::new(s.store.clone(), Policy::default_kz(), config).unwrap();
    let total = |r: &tirkeu_server::stats::StatsResponse| -> i64 {
        r.card_types.iter().flat_map(|t| t.by_status.values()).sum()
    };
    let (_, first) = tirkeu_server::stats::current(&app).await.unwrap();
    load_known(&s).await;
    // The database has more cases now; the count within its max age is the same one.
    let (_, again) = tirkeu_server::stats::current(&app).await.unwrap();
    assert_eq!(total(&again), total(&first));
    assert_eq!(again.generated_at, first.generated_at);
    // The server that counts on every request sees them.
    let fresh = stats(&s).await;
    let fresh_total: i64 = fresh["card_types"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["by_status"].as_object().unwrap().values())
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert!(
        fresh_total > total(&first),
        "{fresh_total} > {}",
        total(&first)
    );
    // A new policy is counted afresh.
    app.set_policy(Policy::default_kz());
    let (_, after) = tirkeu_server::stats::current(&app).await.unwrap();
    assert_eq!(total(&after), fresh_total);
}
