//! Problems with input, as data: a stable code, the field, and the message's parameters.
//!
//! The core never writes a sentence for a person: it names what is wrong with a code such as
//! `mrz.check_digit` and the values the message needs (`printed`, `expected`). Each door
//! renders the code in the reader's language from the Fluent files under `locales/` (message
//! id `error-` + the code with `.` as `-`), so the API, the pages and the CLI say the same
//! thing in kk, ru, en and zh, and a client can act on the code without parsing text.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// One problem with one field of some input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// Dotted path of the field, e.g. `applicant.passport_expiry` or `stays[2].exit`.
    pub field: String,
    /// Stable code of what is wrong, e.g. `date.invalid`.
    pub code: &'static str,
    /// The values the message names, by parameter name.
    pub params: Vec<(&'static str, String)>,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        debug_assert!(is_code(code), "`{code}` is not a problem code");
        FieldProblem {
            field: field.into(),
            code,
            params: Vec::new(),
        }
    }

    /// The problem with the parameter `name` set to `value`.
    #[must_use]
    #[expect(
        clippy::needless_pass_by_value,
        reason = "callers pass numbers, chars and dates by value: `.with(\"max\", 20)`"
    )]
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The problem with its field placed under `prefix` (`applicant` + `sex` →
    /// `applicant.sex`); an empty prefix leaves it as it is.
    #[must_use]
    pub fn under(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.field = format!("{prefix}.{}", self.field);
        }
        self
    }

    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The Fluent message id of the code: `error-` + the code with `.` as `-`.
    pub fn message_id(&self) -> String {
        message_id(self.code)
    }
}

/// How much of a wrong value a message repeats back.
pub const ECHO_MAX: usize = 40;

/// `s` as it may be shown back to the person: at most [`ECHO_MAX`] characters.
pub fn echo(s: &str) -> String {
    match s.char_indices().nth(ECHO_MAX) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// A calendar date `YYYY-MM-DD` in `field`. Codes: `field.required`, `date.invalid`
/// (`value`).
pub fn parse_date(field: &str, input: &str) -> Result<Date, FieldProblem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldProblem::new(field, "field.required"));
    }
    trimmed
        .parse::<Date>()
        .map_err(|_| FieldProblem::new(field, "date.invalid").with("value", echo(trimmed)))
}

/// An instant in RFC 3339 (`2026-11-20T14:30:00+05:00`) in `field`. Codes: `field.required`,
/// `time.invalid` (`value`).
pub fn parse_instant(field: &str, input: &str) -> Result<Timestamp, FieldProblem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldProblem::new(field, "field.required"));
    }
    trimmed
        .parse::<Timestamp>()
        .map_err(|_| FieldProblem::new(field, "time.invalid").with("value", echo(trimmed)))
}

/// Whether `code` has the form of a problem code: two or more dot-separated parts of
/// lower-case letters, digits and underscores (`mrz.check_digit`), never a sentence.
pub fn is_code(code: &str) -> bool {
    code.split('.').count() >= 2
        && code.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// The Fluent message id of an error code: `error-` + the code with `.` as `-`.
pub fn message_id(code: &str) -> String {
    format!("error-{}", code.replace('.', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_are_cut() {
        assert_eq!(echo("short"), "short");
        let long = "ж".repeat(100);
        assert_eq!(echo(&long).chars().count(), ECHO_MAX + 1);
    }

    #[test]
    fn dates_and_instants_name_the_field() {
        assert_eq!(
            parse_date("on", " 2027-01-31 ").unwrap().to_string(),
            "2027-01-31"
        );
        let p = parse_date("on", "31.01.2027").unwrap_err();
        assert_eq!(
            (p.field.as_str(), p.code, p.param("value")),
            ("on", "date.invalid", Some("31.01.2027"))
        );
        assert_eq!(parse_date("on", "  ").unwrap_err().code, "field.required");
        assert!(parse_instant("at", "2026-11-20T14:30:00+05:00").is_ok());
        assert_eq!(
            parse_instant("at", "2026-11-20 14:30").unwrap_err().code,
            "time.invalid"
        );
    }

    #[test]
    fn problems_carry_codes_and_parameters() {
        let p = FieldProblem::new("check_digit", "mrz.check_digit")
            .with("printed", 3)
            .with("expected", '7')
            .under("applicant.mrz");
        assert_eq!(p.field, "applicant.mrz.check_digit");
        assert_eq!(p.param("expected"), Some("7"));
        assert_eq!(p.param("nope"), None);
        assert_eq!(p.message_id(), "error-mrz-check_digit");
        assert_eq!(FieldProblem::new("x", "a.b").under("").field, "x");
        assert!(is_code("upload.too_large"));
        assert!(!is_code("is required") && !is_code("mrz") && !is_code("a..b"));
    }
}
