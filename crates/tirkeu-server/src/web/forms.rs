//! What the applicant's forms share: posted fields by name, dates typed in three boxes, and
//! API errors shown as field problems.
//!
//! Forms are read as a list of name–value pairs rather than a struct because their field
//! names are the problems' field paths (`stays[2].entry.day`, `applicant.surname`), which
//! serde's form decoding cannot nest; the answers then go through the same request types and
//! shared functions as the API's.

use axum::http::StatusCode;
use tirkeu_core::problem::FieldProblem;

use crate::error::ApiError;

/// A posted form: its fields by name, the first value of each.
#[derive(Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The value of `name`, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// The value of `name` if it is not blank.
    pub fn given(&self, name: &str) -> Option<String> {
        Some(self.get(name))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Whether the form has a field `name` (a pressed submit button names itself).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// The date typed in `name.day`, `name.month`, `name.year`.
    pub fn date(&self, name: &str) -> DateParts {
        DateParts {
            day: self.get(&format!("{name}.day")).to_owned(),
            month: self.get(&format!("{name}.month")).to_owned(),
            year: self.get(&format!("{name}.year")).to_owned(),
        }
    }
}

/// A date as typed in three boxes (the GOV.UK date pattern), kept as typed so a form shown
/// again holds what the person wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    /// The parts of an ISO date (`2026-12-02`), for a form filled from saved answers.
    pub fn from_iso(iso: &str) -> DateParts {
        let mut it = iso.split('-');
        let (year, month, day) = (it.next(), it.next(), it.next());
        DateParts {
            day: day.unwrap_or_default().to_owned(),
            month: month.unwrap_or_default().to_owned(),
            year: year.unwrap_or_default().to_owned(),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.day.is_empty() && self.month.is_empty() && self.year.is_empty()
    }

    /// The date as the core reads dates (`YYYY-MM-DD`), or `None` when nothing was typed.
    /// Numbers are padded (`2`, `3`, `2026` → `2026-03-02`); anything else is passed on as
    /// typed, so the core's own date check names it.
    pub fn iso(&self) -> Option<String> {
        if self.is_blank() {
            return None;
        }
        let num = |s: &str| s.parse::<u32>().ok();
        Some(match (num(&self.year), num(&self.month), num(&self.day)) {
            (Some(y), Some(m), Some(d)) if self.year.len() == 4 => {
                format!("{y:04}-{m:02}-{d:02}")
            }
            _ => format!("{}-{}-{}", self.year, self.month, self.day),
        })
    }
}

/// The problems an API error stands for on a form: its field problems, or, for a refusal
/// about the request as a whole (a duplicate, a file too large, a state that forbids it),
/// one problem on `field`. `None` for errors a form cannot fix (not found, internal), which
/// are answered as they are.
pub fn problems_of(e: &ApiError, field: &str) -> Option<Vec<FieldProblem>> {
    if !e.errors.is_empty() {
        return Some(e.errors.clone());
    }
    let fixable = e.status.is_client_error()
        && e.status != StatusCode::NOT_FOUND
        && e.status != StatusCode::UNAUTHORIZED
        && e.status != StatusCode::FORBIDDEN;
    fixable.then(|| {
        vec![FieldProblem {
            field: field.to_owned(),
            code: e.code,
            params: e.params.clone(),
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(d: &str, m: &str, y: &str) -> DateParts {
        DateParts {
            day: d.into(),
            month: m.into(),
            year: y.into(),
        }
    }

    #[test]
    fn three_boxes_make_one_date() {
        assert_eq!(parts("2", "3", "2026").iso().as_deref(), Some("2026-03-02"));
        assert_eq!(parts("", "", "").iso(), None);
        // Not a date: passed on as typed, for the core to name.
        assert_eq!(
            parts("31", "2", "2026").iso().as_deref(),
            Some("2026-02-31")
        );
        assert_eq!(parts("x", "2", "26").iso().as_deref(), Some("26-2-x"));
        assert_eq!(DateParts::from_iso("2026-03-02"), parts("02", "03", "2026"));
    }

    #[test]
    fn fields_are_trimmed_and_blank_is_absent() {
        let f = Fields(vec![("a".into(), " x ".into()), ("b".into(), "  ".into())]);
        assert_eq!(f.get("a"), "x");
        assert_eq!(f.given("b"), None);
        assert!(f.has("b") && !f.has("c"));
    }
}
