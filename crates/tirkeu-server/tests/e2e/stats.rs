//! The dashboard in the browser: what a supervisor reads in its tables is what
//! `GET /api/v1/stats` answers; every chart is an image with a title and a description; each
//! "Download CSV" link, fetched with the browser's own session, holds the table's numbers.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::Value;

use crate::browser::Browser;
use crate::common::known::load_known;
use crate::common::{Server, ok_json};
use crate::with_browser;

/// What the page shows of each chart, read in the browser.
const READ_CHARTS: &str = r"
return [...document.querySelectorAll('section.stats-chart')].map(s => {
  const svg = s.querySelector('svg');
  const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
  return {
    id: s.id,
    role: svg.getAttribute('role'),
    title: (svg.querySelector(':scope > title') || {}).textContent || '',
    desc: (svg.querySelector(':scope > desc') || {}).textContent || '',
    labelled: ids.map(i => (document.getElementById(i) || {}).textContent || ''),
    bars: svg.querySelectorAll('rect').length,
    values: [...svg.querySelectorAll('text.value')].map(t => t.textContent),
    rows: [...s.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(c => c.textContent.trim())),
    csv: s.querySelector('a.csv').getAttribute('href'),
  };
});";

/// The CSV file at `href`, fetched with the browser's cookies; its records.
async fn download(b: &Browser, s: &Server, href: &str) -> Vec<Vec<String>> {
    let cookies = b.client.get_all_cookies().await.unwrap();
    let header = cookies
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let r = reqwest::Client::new()
        .get(s.url(href))
        .header(COOKIE, header)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{href}");
    assert_eq!(r.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    // The names in these files hold no comma or quote, so a split is a parse.
    r.text()
        .await
        .unwrap()
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(tirkeu_e2e),
    ignore = "browser not configured: set TIRKEU_TEST_CHROMEDRIVER=/usr/bin/chromedriver and TIRKEU_TEST_AXE=…/axe-core/axe.min.js (see README)"
)]
async fn the_dashboard_agrees_with_the_api_and_its_csv_files() {
    with_browser(true, |s, b| async move {
        crate::application(&s).await;
        load_known(&s).await;
        crate::sign_in(&b, &s, "en", "supervisor").await;
        b.goto(&s.url("/en/staff/dashboard")).await;
        assert_eq!(b.path().await, "/en/staff/dashboard");

        let charts = b.js(READ_CHARTS).await;
        let charts = charts.as_array().unwrap();
        let api = ok_json(s.get("/api/v1/stats", None).await, StatusCode::OK).await;
        let ids: Vec<&str> = charts.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "backlog-by-state",
                "backlog-by-type",
                "processing-times",
                "late-arrivals",
                "expiring-cards"
            ]
        );
        for c in charts {
            let id = c["id"].as_str().unwrap();
            assert_eq!(c["role"], "img", "{id}");
            let (title, desc) = (c["title"].as_str().unwrap(), c["desc"].as_str().unwrap());
            assert!(!title.is_empty() && desc.len() > title.len(), "{id}: {c}");
            assert_eq!(strs(&c["labelled"]), [title, desc], "{id}: named by them");
            assert!(c["bars"].as_u64().unwrap() >= 1, "{id}");
            let rows: Vec<Vec<String>> = c["rows"].as_array().unwrap().iter().map(strs).collect();

            // The table says what the API says.
            let want: Vec<Vec<String>> = match id {
                "processing-times" => api["processing"]["card_types"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| {
                        let opt = |v: &Value| v.as_i64().map_or("–".into(), |n| n.to_string());
                        vec![
                            t["decided"].to_string(),
                            opt(&t["p50_days"]),
                            opt(&t["p90_days"]),
                            t["target_working_days"].to_string(),
                            t["on_time"].to_string(),
                        ]
                    })
                    .collect(),
                "late-arrivals" => api["late_arrivals_by_month"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| vec![m["arrivals"].to_string(), m["late"].to_string()])
                    .collect(),
                "expiring-cards" => api["expiring"]["card_types"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| vec![t["cards"].to_string()])
                    .collect(),
                "backlog-by-state" => [
                    "submitted",
                    "in_review",
                    "info_requested",
                    "approved",
                    "ready_for_collection",
                ]
                .iter()
                .map(|state| {
                    let n: i64 = api["card_types"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(|t| t["by_status"][state].as_i64())
                        .sum();
                    vec![n.to_string()]
                })
                .collect(),
                _ => rows.iter().map(|r| r[1..].to_vec()).collect(),
            };
            assert_eq!(rows.len(), want.len(), "{id}");
            for (row, want) in rows.iter().zip(&want) {
                assert_eq!(&row[1..=want.len()], &want[..], "{id}");
            }

            // The CSV link downloads the table's rows.
            let file = download(&b, &s, c["csv"].as_str().unwrap()).await;
            assert_eq!(file.len(), rows.len() + 1, "{id}");
            for (record, row) in file[1..].iter().zip(&rows) {
                assert_eq!(record[1], row[0], "{id}");
                let shown: Vec<String> = row[1..]
                    .iter()
                    .map(|c| if c == "–" { String::new() } else { c.clone() })
                    .collect();
                assert_eq!(record[2..], shown[..], "{id}");
            }
        }
        // Known data: the study cases' median is 5 days and the 90th percentile 9.
        let processing = &charts[2];
        let values = strs(&processing["values"]);
        assert!(
            values.iter().any(|v| v == "median 5") && values.iter().any(|v| v == "90%: 9"),
            "{values:?}"
        );
        b
    })
    .await;
}
