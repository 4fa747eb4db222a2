//! The staff dashboard and the public statistics page: charts drawn as SVG on the server,
//! each followed by a table with the same numbers and a CSV file of them.
//!
//! Every number comes from [`crate::stats::build`], the function behind `GET /api/v1/stats`;
//! this module only lays it out. Each chart is a [`Chart`] — its rows hold the table's cells,
//! the CSV's fields and the bars — so the picture, the table and the file are three views of
//! one list. The SVG is hand-written (rectangles and text from a template): horizontal bars
//! with the label on its own line above the bar, so long Kazakh names never squeeze the bars
//! on a phone, and the value printed at the end of each bar, so colour is never the only
//! signal. A chart crate would bring script or styles the CSP forbids for little gain.
//!
//! CSV files have stable English column ids in the header (`permit_type,name,cases`), an id
//! column for machines next to the name in the page's language for people, and plain numbers
//! (no digit grouping); the numbers are the table's.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;
use tirkeu_store::AccountRole;

use super::staff::SignedIn;
use super::{Page, PageLang, local_time, not_found, render, see_other};
use crate::i18n;
use crate::routing::{Router, get};
use crate::state::App;
use crate::stats::{self, StatsResponse};

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/staff/dashboard", get(dashboard))
        .route("/{lang}/statistics", get(public))
        .route("/{lang}/statistics/{file}", get(csv))
}

/// The charts, by the id that names their CSV file (`/{lang}/statistics/{id}.csv`).
pub const CHARTS: [&str; 5] = [
    "backlog-by-state",
    "backlog-by-type",
    "processing-times",
    "late-arrivals",
    "expiring-cards",
];

/// The width of every chart's coordinate system; the SVG scales to its box.
const WIDTH: f64 = 400.0;
/// Room kept right of the longest bar for its value.
const VALUE_ROOM: f64 = 130.0;
const LABEL_HEIGHT: f64 = 20.0;
const BAR_HEIGHT: f64 = 20.0;
const BAR_GAP: f64 = 4.0;
const ROW_GAP: f64 = 12.0;

/// One bar: its length as a share of the longest possible (0–1), the value printed after it,
/// and its series (a CSS class).
pub struct Bar {
    pub share: f64,
    pub text: String,
    pub series: &'static str,
}

pub struct Row {
    /// The first cell: the row's name in the page's language.
    pub label: String,
    /// The other cells, as shown.
    pub cells: Vec<String>,
    /// The CSV fields: an id, the name, then the numbers.
    pub csv: Vec<String>,
    pub bars: Vec<Bar>,
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// The numbers in words, for the SVG's `<desc>`.
    pub desc: String,
    /// A sentence under the heading (the window counted), if any.
    pub note: Option<String>,
    /// Column headings of the table, the row heading's first.
    pub columns: Vec<String>,
    pub csv_header: &'static str,
    pub rows: Vec<Row>,
}

pub struct SvgRect {
    pub y: f64,
    pub width: f64,
    pub series: &'static str,
}

pub struct SvgText {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub class: &'static str,
}

impl Chart {
    pub fn height(&self) -> f64 {
        self.rows
            .iter()
            .map(|r| {
                real(wrap(&r.label, WIDTH).len()) * LABEL_HEIGHT
                    + real(r.bars.len()) * (BAR_HEIGHT + BAR_GAP)
                    + ROW_GAP
            })
            .sum::<f64>()
            .max(1.0)
    }

    #[allow(clippy::unused_self)] // the template asks the chart it draws
    pub fn bar_height(&self) -> f64 {
        BAR_HEIGHT
    }

    #[allow(clippy::unused_self)] // the template asks the chart it draws
    pub fn width(&self) -> f64 {
        WIDTH
    }

    /// The bars, laid out top to bottom.
    pub fn rects(&self) -> Vec<SvgRect> {
        self.layout().0
    }

    /// The labels and values, laid out top to bottom.
    pub fn texts(&self) -> Vec<SvgText> {
        self.layout().1
    }

    fn layout(&self) -> (Vec<SvgRect>, Vec<SvgText>) {
        let (mut rects, mut texts) = (Vec::new(), Vec::new());
        let mut y = 0.0;
        for r in &self.rows {
            for line in wrap(&r.label, WIDTH) {
                texts.push(SvgText {
                    x: 0.0,
                    y: y + LABEL_HEIGHT - 5.0,
                    text: line,
                    class: "label",
                });
                y += LABEL_HEIGHT;
            }
            for b in &r.bars {
                // A zero still shows a sliver, so the value sits where a bar would start.
                let width = (b.share.clamp(0.0, 1.0) * (WIDTH - VALUE_ROOM)).max(2.0);
                rects.push(SvgRect {
                    y,
                    width: round(width),
                    series: b.series,
                });
                texts.push(SvgText {
                    x: round(width + 6.0),
                    y: y + BAR_HEIGHT - 5.0,
                    text: b.text.clone(),
                    class: "value",
                });
                y += BAR_HEIGHT + BAR_GAP;
            }
            y += ROW_GAP;
        }
        (rects, texts)
    }

    /// The CSV file: the header, then one line per row.
    pub fn csv(&self) -> String {
        let mut out = String::from(self.csv_header);
        out.push_str("\r\n");
        for r in &self.rows {
            let line: Vec<String> = r.csv.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// The width of `c` in a 14 px bold label, estimated: SVG text does not wrap by itself, so
/// labels are broken into lines here. Wide (CJK) characters take a full em, others about 0.62.
fn char_width(c: char) -> f64 {
    if c >= '\u{2e80}' { 14.0 } else { 8.7 }
}

/// `label` in lines no wider than `width`: at spaces where there are any, anywhere in text
/// without them (Chinese).
fn wrap(label: &str, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for c in label.chars() {
        let w = char_width(c);
        if used + w > width && !line.is_empty() {
            match line.rfind(' ') {
                Some(at) if !c.is_whitespace() => {
                    let rest = line.split_off(at);
                    lines.push(std::mem::take(&mut line));
                    rest.trim_start().clone_into(&mut line);
                }
                _ => lines.push(std::mem::take(&mut line)),
            }
            used = line.chars().map(char_width).sum();
            if c.is_whitespace() && line.is_empty() {
                continue;
            }
        }
        line.push(c);
        used += w;
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A count as a coordinate: counts of cases are far below 2^52, so exactly.
#[allow(clippy::cast_precision_loss)]
fn real<N: TryInto<i64>>(n: N) -> f64 {
    n.try_into().unwrap_or(i64::MAX) as f64
}

fn share(n: i64, max: i64) -> f64 {
    if max <= 0 { 0.0 } else { real(n) / real(max) }
}

/// A percentage with one decimal, as `lang` writes decimals (a comma in Kazakh and Russian).
fn percent(lang: Lang, part: i64, whole: i64) -> String {
    let p = if whole == 0 {
        0.0
    } else {
        real(part) * 100.0 / real(whole)
    };
    let s = format!("{p:.1}");
    match lang {
        Lang::Kk | Lang::Ru => s.replace('.', ","),
        Lang::En | Lang::Zh => s,
    }
}

fn type_name(policy: &Policy, lang: Lang, id: &str) -> String {
    policy
        .permit_type(id)
        .map_or_else(|| id.to_owned(), |t| t.name.get(lang).to_owned())
}

fn words(lang: Lang, items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .collect::<Vec<_>>()
        .join(&i18n::text(lang, "stats-list-separator"))
}

/// A chart of one count per row.
fn counts(
    lang: Lang,
    id: &'static str,
    csv_header: &'static str,
    column: &str,
    rows: Vec<(String, String, i64)>,
) -> Chart {
    let t = |m: &str| i18n::text(lang, m);
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0);
    let desc = words(
        lang,
        rows.iter().map(|(_, label, n)| {
            i18n::text_with(
                lang,
                "stats-desc-item",
                &[("label", label.clone()), ("value", i18n::integer(lang, *n))],
            )
        }),
    );
    Chart {
        id,
        title: t(&format!("stats-{id}-title")),
        desc,
        note: None,
        columns: vec![t(column), t(&format!("stats-{id}-column"))],
        csv_header,
        rows: rows
            .into_iter()
            .map(|(key, label, n)| Row {
                cells: vec![i18n::integer(lang, n)],
                csv: vec![key, label.clone(), n.to_string()],
                bars: vec![Bar {
                    share: share(n, max),
                    text: i18n::integer(lang, n),
                    series: "a",
                }],
                label,
            })
            .collect(),
    }
}

/// The charts of `s` in `lang`, in [`CHARTS`] order.
pub fn charts(s: &StatsResponse, policy: &Policy, lang: Lang) -> Vec<Chart> {
    let t = |m: &str| i18n::text(lang, m);
    let tw = |m: &str, args: &[(&str, String)]| i18n::text_with(lang, m, args);
    let by_state = counts(
        lang,
        "backlog-by-state",
        "state,name,cases",
        "stats-col-state",
        s.backlog_by_state()
            .into_iter()
            .map(|(st, n)| {
                (
                    st.as_str().to_owned(),
                    t(&format!("state-{}", st.as_str())),
                    n,
                )
            })
            .collect(),
    );
    let by_type = counts(
        lang,
        "backlog-by-type",
        "permit_type,name,cases",
        "stats-col-type",
        s.backlog_by_type(policy)
            .into_iter()
            .map(|(id, n)| (id.clone(), type_name(policy, lang, &id), n))
            .collect(),
    );

    let p = &s.processing;
    let max_days = p
        .card_types
        .iter()
        .filter_map(|r| r.p90_days)
        .max()
        .unwrap_or(0);
    let dash = || "–".to_owned();
    let processing = Chart {
        id: "processing-times",
        title: t("stats-processing-times-title"),
        desc: words(
            lang,
            p.card_types.iter().map(|r| {
                let label = type_name(policy, lang, &r.permit_type);
                match (r.p50_days, r.p90_days) {
                    (Some(p50), Some(p90)) => tw(
                        "stats-processing-desc-item",
                        &[
                            ("label", label),
                            ("p50", p50.to_string()),
                            ("p90", p90.to_string()),
                            ("target", r.target_working_days.to_string()),
                            ("decided", r.decided.to_string()),
                            ("on_time", r.on_time.to_string()),
                        ],
                    ),
                    _ => tw("stats-processing-desc-none", &[("label", label)]),
                }
            }),
        ),
        note: Some(tw(
            "stats-processing-times-note",
            &[("days", p.window_days.to_string())],
        )),
        columns: vec![
            t("stats-col-type"),
            t("stats-col-decided"),
            t("stats-col-p50"),
            t("stats-col-p90"),
            t("stats-col-target"),
            t("stats-col-on-time"),
        ],
        csv_header: "permit_type,name,decided,p50_days,p90_days,target_working_days,on_time",
        rows: p
            .card_types
            .iter()
            .map(|r| {
                let label = type_name(policy, lang, &r.permit_type);
                let opt = |v: Option<i64>| v.map(|d| d.to_string()).unwrap_or_default();
                let mut bars = Vec::new();
                if let (Some(p50), Some(p90)) = (r.p50_days, r.p90_days) {
                    bars.push(Bar {
                        share: share(p50, max_days),
                        text: tw("stats-bar-p50", &[("days", p50.to_string())]),
                        series: "a",
                    });
                    bars.push(Bar {
                        share: share(p90, max_days),
                        text: tw("stats-bar-p90", &[("days", p90.to_string())]),
                        series: "b",
                    });
                } else {
                    bars.push(Bar {
                        share: 0.0,
                        text: t("stats-bar-none"),
                        series: "a",
                    });
                }
                Row {
                    cells: vec![
                        i18n::integer(lang, r.decided),
                        r.p50_days.map_or_else(dash, |d| i18n::integer(lang, d)),
                        r.p90_days.map_or_else(dash, |d| i18n::integer(lang, d)),
                        r.target_working_days.to_string(),
                        i18n::integer(lang, r.on_time),
                    ],
                    csv: vec![
                        r.permit_type.clone(),
                        label.clone(),
                        r.decided.to_string(),
                        opt(r.p50_days),
                        opt(r.p90_days),
                        r.target_working_days.to_string(),
                        r.on_time.to_string(),
                    ],
                    bars,
                    label,
                }
            })
            .collect(),
    };

    let late = Chart {
        id: "late-arrivals",
        title: t("stats-late-arrivals-title"),
        desc: words(
            lang,
            s.late_arrivals_by_month.iter().map(|m| {
                tw(
                    "stats-late-desc-item",
                    &[
                        ("label", m.month.clone()),
                        ("late", m.late.to_string()),
                        ("arrivals", m.arrivals.to_string()),
                    ],
                )
            }),
        ),
        note: Some(tw(
            "stats-late-arrivals-note",
            &[
                ("arrivals", i18n::integer(lang, s.arrivals)),
                ("late", i18n::integer(lang, s.late_arrivals)),
                ("share", percent(lang, s.late_arrivals, s.arrivals)),
            ],
        )),
        columns: vec![
            t("stats-col-month"),
            t("stats-col-arrivals"),
            t("stats-col-late"),
            t("stats-col-late-share"),
        ],
        csv_header: "month,name,arrivals,late,late_percent",
        rows: s
            .late_arrivals_by_month
            .iter()
            .map(|m| Row {
                label: m.month.clone(),
                cells: vec![
                    i18n::integer(lang, m.arrivals),
                    i18n::integer(lang, m.late),
                    percent(lang, m.late, m.arrivals),
                ],
                csv: vec![
                    m.month.clone(),
                    m.month.clone(),
                    m.arrivals.to_string(),
                    m.late.to_string(),
                    percent(Lang::En, m.late, m.arrivals),
                ],
                bars: vec![Bar {
                    share: share(m.late, m.arrivals),
                    text: tw(
                        "stats-bar-late",
                        &[
                            ("share", percent(lang, m.late, m.arrivals)),
                            ("late", i18n::integer(lang, m.late)),
                            ("arrivals", i18n::integer(lang, m.arrivals)),
                        ],
                    ),
                    series: "c",
                }],
            })
            .collect(),
    };

    let mut expiring = counts(
        lang,
        "expiring-cards",
        "permit_type,name,cards",
        "stats-col-type",
        s.expiring
            .card_types
            .iter()
            .map(|c| {
                (
                    c.permit_type.clone(),
                    type_name(policy, lang, &c.permit_type),
                    c.cards,
                )
            })
            .collect(),
    );
    expiring.note = Some(tw(
        "stats-expiring-cards-note",
        &[
            ("from", s.expiring.from.clone()),
            ("until", s.expiring.until.clone()),
        ],
    ));
    vec![by_state, by_type, processing, late, expiring]
}

#[derive(Template)]
#[template(path = "stats/page.html")]
struct StatsPage {
    page: Page,
    charts: Vec<Chart>,
    generated: String,
    staff: bool,
}

async fn page_for(app: &App, page: Page, staff: bool) -> Response {
    let policy = app.policy();
    let (now, s) = match stats::current(app).await {
        Ok(s) => s,
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let lang = page.lang;
    render(
        StatusCode::OK,
        &StatsPage {
            generated: local_time(policy.time_zone(), now),
            charts: charts(&s, &policy, lang),
            page,
            staff,
        },
    )
}

async fn dashboard(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
) -> Response {
    if account.user.role == AccountRole::Host {
        return see_other(lang, "/host");
    }
    let page = Page::new(lang, "/staff/dashboard", "stats-dashboard-title").signed_in_as(&account);
    page_for(&app, page, true).await
}

async fn public(PageLang(lang): PageLang, State(app): State<App>) -> Response {
    page_for(
        &app,
        Page::new(lang, "/statistics", "stats-public-title"),
        false,
    )
    .await
}

async fn csv(
    PageLang(lang): PageLang,
    State(app): State<App>,
    Path((_, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = file
        .strip_suffix(".csv")
        .and_then(|id| CHARTS.iter().find(|c| **c == id))
    else {
        return not_found(&headers);
    };
    let policy = app.policy();
    let (now, s) = match stats::current(&app).await {
        Ok(s) => s,
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let Some(chart) = charts(&s, &policy, lang).into_iter().find(|c| c.id == *id) else {
        return not_found(&headers);
    };
    let date = now.to_zoned_datetime(policy.time_zone().clone()).date();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"tirkeu-{id}-{}-{date}.csv\"",
                    lang.code()
                ),
            ),
        ],
        chart.csv(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_at_spaces_or_anywhere_in_chinese() {
        assert_eq!(wrap("Work", WIDTH), ["Work"]);
        let ru = "Разрешение на временное проживание для трудовой деятельности";
        let lines = wrap(ru, WIDTH);
        assert!(lines.len() == 2, "{lines:?}");
        assert_eq!(lines.join(" "), ru);
        assert!(
            lines
                .iter()
                .all(|l| l.chars().map(char_width).sum::<f64>() <= WIDTH)
        );
        let zh = "工作类临时居留许可工作类临时居留许可工作类临时居留许可工作类临时居留许可";
        let lines = wrap(zh, WIDTH);
        assert_eq!(lines.concat(), zh);
        assert!(lines.len() == 2, "{lines:?}");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("work"), "work");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
