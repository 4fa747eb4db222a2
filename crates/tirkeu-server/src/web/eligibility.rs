//! "Do I need a card?": nationality, purpose, the stays so far and the planned departure,
//! answered by the same function as `POST /api/v1/eligibility`
//! ([`crate::api::applicant::answer`]): the days used and left, the last legal day, whether
//! a card is needed, which types fit and their checklists.
//!
//! Stays are rows of two dates, each typed in three boxes; "Add another stay" is a submit
//! button that shows the form again with one more row, so no script is needed.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tirkeu_core::deadline::DeadlineRule;
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;

use super::forms::{DateParts, Fields, problems_of};
use super::{Choice, Page, PageLang, card_type_choices, render};
use crate::api::applicant::{CardTypeAnswer, EligibilityRequest, StayInput, answer};
use crate::routing::{Router, get};
use crate::state::App;

/// Rows shown at first, and at most.
const FIRST_ROWS: usize = 3;
const MAX_ROWS: usize = 30;

pub fn routes() -> Router {
    Router::new().route("/{lang}/eligibility", get(form).post(check))
}

pub struct StayRow {
    pub index: usize,
    pub entry: DateParts,
    pub exit: DateParts,
}

impl StayRow {
    fn new(index: usize, entry: DateParts, exit: DateParts) -> StayRow {
        StayRow { index, entry, exit }
    }

    /// The row's field names (the problems' field paths).
    pub fn entry_name(&self) -> String {
        format!("stays[{}].entry", self.index)
    }

    pub fn exit_name(&self) -> String {
        format!("stays[{}].exit", self.index)
    }

    /// The row's number as shown (from 1).
    pub fn number(&self) -> String {
        (self.index + 1).to_string()
    }
}

#[derive(Template)]
#[template(path = "applicant/eligibility.html")]
struct EligibilityForm {
    page: Page,
    nationality: String,
    purposes: Vec<Choice>,
    purpose: String,
    rows: Vec<StayRow>,
    planned_until: DateParts,
}

/// One line of the answer: a label and a value.
pub struct Line {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "applicant/eligibility_result.html")]
struct EligibilityResult {
    page: Page,
    needs_card: bool,
    lines: Vec<Line>,
    why: String,
    arrival_rule: String,
    card_types: Vec<CardTypeAnswer>,
    /// One card type was asked about: its checklist is shown open.
    one_type: bool,
}

fn purposes(app: &App, lang: Lang) -> Vec<Choice> {
    let mut out = card_type_choices(&app.policy(), lang);
    out.push(Choice {
        value: String::new(),
        label: crate::i18n::text(lang, "eligibility-purpose-unsure"),
        hint: String::new(),
    });
    out
}

fn blank_rows(n: usize) -> Vec<StayRow> {
    (0..n)
        .map(|index| StayRow::new(index, DateParts::default(), DateParts::default()))
        .collect()
}

async fn form(PageLang(lang): PageLang, State(app): State<App>) -> Response {
    render(
        StatusCode::OK,
        &EligibilityForm {
            page: Page::new(lang, "/eligibility", "eligibility-title"),
            nationality: String::new(),
            purposes: purposes(&app, lang),
            purpose: String::new(),
            rows: blank_rows(FIRST_ROWS),
            planned_until: DateParts::default(),
        },
    )
}

async fn check(
    PageLang(lang): PageLang,
    State(app): State<App>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = Fields(pairs);
    let shown: usize = form
        .get("rows")
        .parse()
        .unwrap_or(FIRST_ROWS)
        .clamp(1, MAX_ROWS);
    let mut rows: Vec<StayRow> = (0..shown)
        .map(|index| {
            StayRow::new(
                index,
                form.date(&format!("stays[{index}].entry")),
                form.date(&format!("stays[{index}].exit")),
            )
        })
        .collect();
    let planned_until = form.date("planned_until");
    let again = |page: Page, rows: Vec<StayRow>, status: StatusCode| {
        render(
            status,
            &EligibilityForm {
                page,
                nationality: form.get("nationality").to_owned(),
                purposes: purposes(&app, lang),
                purpose: form.get("purpose").to_owned(),
                rows,
                planned_until: planned_until.clone(),
            },
        )
    };
    let page = Page::new(lang, "/eligibility", "eligibility-title");
    if form.has("add") {
        if rows.len() < MAX_ROWS {
            rows.push(StayRow::new(
                rows.len(),
                DateParts::default(),
                DateParts::default(),
            ));
        }
        return again(page, rows, StatusCode::OK);
    }

    // Rows left blank are no stay; the request's stays are numbered without them, so each
    // problem is moved back to the row it came from.
    let filled: Vec<&StayRow> = rows
        .iter()
        .filter(|r| !(r.entry.is_blank() && r.exit.is_blank()))
        .collect();
    let req = EligibilityRequest {
        nationality: form.get("nationality").to_owned(),
        purpose: form.given("purpose"),
        stays: filled
            .iter()
            .map(|r| StayInput {
                entry: r.entry.iso().unwrap_or_default(),
                exit: r.exit.iso(),
            })
            .collect(),
        on: None,
        planned_until: planned_until.iso(),
        language: Some(lang.code().to_owned()),
    };
    let policy = app.policy();
    match answer(&policy, app.today(), &req) {
        Ok(found) => {
            let report = &found.stay.report;
            let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
            let t = |id: &str, params: &[(&str, String)]| crate::i18n::text_with(lang, id, params);
            let rule_name = policy
                .doc()
                .stay_rules
                .iter()
                .find(|r| r.id == found.stay.rule_id)
                .map_or_else(
                    || found.stay.rule_id.clone(),
                    |r| r.name.get(lang).to_owned(),
                );
            let mut lines = vec![
                Line {
                    label: t("eligibility-rule", &[]),
                    value: rule_name,
                },
                Line {
                    label: t("eligibility-days-used", &[]),
                    value: t(
                        "eligibility-days-used-value",
                        &[
                            ("days", report.days_used.to_string()),
                            ("limit", report.rule.limit_days.to_string()),
                            ("window", report.rule.window_days.to_string()),
                        ],
                    ),
                },
                Line {
                    label: t("eligibility-days-left", &[]),
                    value: t(
                        "eligibility-days-value",
                        &[("days", report.days_left.to_string())],
                    ),
                },
            ];
            if let Some(last) = report.last_legal_day {
                lines.push(Line {
                    label: t("eligibility-last-day", &[]),
                    value: last.to_string(),
                });
            }
            if report.overstay_days > 0 {
                lines.push(Line {
                    label: t("eligibility-overstay", &[]),
                    value: t(
                        "eligibility-days-value",
                        &[("days", report.overstay_days.to_string())],
                    ),
                });
            }
            let why = if found.needs_card {
                if found.stay.over_card_threshold {
                    t(
                        "eligibility-needed-long",
                        &[("days", found.stay.card_required_after_days.to_string())],
                    )
                } else if let Some(last) = report.last_legal_day {
                    t("eligibility-needed-rule", &[("date", last.to_string())])
                } else {
                    t("eligibility-needed-over", &[])
                }
            } else {
                t(
                    "eligibility-not-needed-why",
                    &[
                        ("date", date(report.last_legal_day)),
                        ("days", report.days_left.to_string()),
                    ],
                )
            };
            let arrival_rule = match policy.doc().arrival_notification.deadline {
                DeadlineRule::Hours(h) => {
                    t("eligibility-arrival-hours", &[("hours", h.to_string())])
                }
                DeadlineRule::WorkingDays(d) => t(
                    "eligibility-arrival-working-days",
                    &[("days", d.to_string())],
                ),
            };
            let title = if found.needs_card {
                "eligibility-needed-title"
            } else {
                "eligibility-not-needed-title"
            };
            render(
                StatusCode::OK,
                &EligibilityResult {
                    page: Page::new(lang, "/eligibility", title),
                    needs_card: found.needs_card,
                    lines,
                    why,
                    arrival_rule,
                    one_type: req.purpose.is_some(),
                    card_types: if found.needs_card {
                        found.card_types
                    } else {
                        Vec::new()
                    },
                },
            )
        }
        Err(e) => match problems_of(&e, "nationality") {
            Some(problems) => {
                let problems: Vec<FieldProblem> = problems
                    .into_iter()
                    .map(|mut pr| {
                        pr.field = back_to_row(&pr.field, &filled);
                        pr
                    })
                    .collect();
                let page = page.with_problems(&problems);
                again(page, rows, StatusCode::UNPROCESSABLE_ENTITY)
            }
            None => e.into_response(),
        },
    }
}

/// `stays[i].…` of the request as the form row it came from.
fn back_to_row(field: &str, filled: &[&StayRow]) -> String {
    let Some(rest) = field.strip_prefix("stays[") else {
        return field.to_owned();
    };
    let Some((i, tail)) = rest.split_once(']') else {
        return field.to_owned();
    };
    match i.parse::<usize>().ok().and_then(|i| filled.get(i)) {
        Some(row) => format!("stays[{}]{tail}", row.index),
        None => field.to_owned(),
    }
}
