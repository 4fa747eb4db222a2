//! Problems with input, as data: a stable code, the field, and the message's parameters.
//!
//! The core never writes a sentence for a person: it names what is wrong with a code such as
//! `mrz.check_digit` and the values the message needs (`printed`, `expected`). Each door
//! renders the code in the reader's language from the Fluent files under `locales/` (message
//! id `error-` + the code with `.` as `-`), so the API, the pages and the CLI say the same
//! thing in kk, ru, en and zh, and a client can act on the code without parsing text.

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
