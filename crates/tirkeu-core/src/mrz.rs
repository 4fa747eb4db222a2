//! The machine readable zone (MRZ) of passports and ID cards, after ICAO Doc 9303
//! (8th edition): Part 3 (common rules, check digits), Part 4 (TD3, passports),
//! Part 5 (TD1, ID cards) and Part 6 (TD2).
//!
//! Two entry points share one analysis:
//! - [`check`] never fails: it returns a [`MrzReport`] with every field it could read
//!   and *all* the problems it found, so a form can show them at once;
//! - [`Mrz::parse`] returns a [`Mrz`] only for a fully valid zone, so a value of that
//!   type is proof that the zone passed every check.
//!
//! The module is pure: it reads no clock, and callers pass "today", which decides the
//! century of a two-digit birth year.
//!
//! What is checked: the shape (line count and lengths), the alphabet (`A-Z`, `0-9`, `<`),
//! the document code, every check digit (document number, birth date, expiry date,
//! TD3 personal number, composite), that dates are real calendar dates, the sex cell,
//! the 3-letter state codes and a non-empty surname. What is deliberately *not* checked
//! here: whether the document has expired (a policy question for the caller) and whether
//! a state code is in ICAO's list (codes are added over time; [`crate::person::Applicant::from_mrz`]
//! checks the nationality against its table).
//!
//! Each [`FieldError`] carries a stable code and parameters besides its English message, so
//! the doors can word it in the reader's language ([`FieldError::to_problem`]).
//! Visas (MRV-A/MRV-B) have a different layout and are refused by document code.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use crate::person::Sex;
use crate::problem::FieldProblem;

/// The size of the travel document, which fixes the layout of its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MrzFormat {
    /// ID-card size: 3 lines of 30 characters (Doc 9303 Part 5).
    Td1,
    /// 2 lines of 36 characters (Doc 9303 Part 6).
    Td2,
    /// Passport booklet: 2 lines of 44 characters (Doc 9303 Part 4).
    Td3,
}

impl MrzFormat {
    /// Number of lines in a zone of this format.
    pub const fn line_count(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            MrzFormat::Td2 | MrzFormat::Td3 => 2,
        }
    }

    /// Number of characters in each line of a zone of this format.
    pub const fn line_length(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        }
    }

    const fn layout(self) -> &'static Layout {
        match self {
            MrzFormat::Td1 => &TD1,
            MrzFormat::Td2 => &TD2,
            MrzFormat::Td3 => &TD3,
        }
    }
}

impl fmt::Display for MrzFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        })
    }
}

/// One problem found in a zone. `field` is a stable machine name (`"mrz"` for the zone
/// as a whole, else one of the [`MrzReport`] field names); `code` and `params` say what is
/// wrong as data, for each door to word in the reader's language (see [`crate::problem`]);
/// `message` says it in English, for logs and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Which field is wrong: `mrz`, `document_code`, `document_number`, `issuing_state`,
    /// `nationality`, `surname`, `given_names`, `birth_date`, `sex`, `expiry_date`,
    /// `optional_data` or `composite`.
    pub field: &'static str,
    /// Stable code of what is wrong, e.g. `mrz.check_digit`; one of [`CODES`].
    pub code: &'static str,
    /// The values a message for `code` names, e.g. `printed` and `expected`.
    pub params: Vec<(&'static str, String)>,
    /// What is wrong, in English, e.g. "check digit is 3, expected 7".
    pub message: String,
}

/// Every code a [`FieldError`] can carry (`field.required` is the empty zone).
pub const CODES: &[&str] = &[
    "field.required",
    "mrz.shape",
    "mrz.character",
    "mrz.document_code",
    "mrz.document_kind",
    "mrz.visa",
    "mrz.name_empty",
    "mrz.name_digit",
    "mrz.long_number",
    "mrz.empty",
    "mrz.check_digit",
    "mrz.state_code",
    "mrz.date",
    "mrz.sex",
    "mrz.incomplete",
];

impl FieldError {
    fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            code,
            params: Vec::new(),
            message: message.into(),
        }
    }

    #[expect(
        clippy::needless_pass_by_value,
        reason = "callers pass numbers, chars and dates by value: `.with(\"max\", 20)`"
    )]
    fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The problem as a [`FieldProblem`] on field `mrz.<field>` (`mrz` for the zone as a
    /// whole), to be placed under the caller's prefix.
    pub fn to_problem(&self) -> FieldProblem {
        let field = if self.field == "mrz" {
            "mrz".to_owned()
        } else {
            format!("mrz.{}", self.field)
        };
        FieldProblem {
            field,
            code: self.code,
            params: self.params.clone(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Everything read from a zone, valid or not. Fields that could not be read are `None`;
/// `errors` lists every problem, and `valid` is true exactly when it is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MrzReport {
    /// True when the zone passed every check (`errors` is empty).
    pub valid: bool,
    /// Format, known once the line count and lengths match one.
    pub format: Option<MrzFormat>,
    /// Document code, fillers stripped: `P`, `I`, `AC`, ...
    pub document_code: Option<String>,
    /// Document number, fillers stripped; a long TD1/TD2 number is reassembled in full.
    pub document_number: Option<String>,
    /// Issuing state or organisation (3-letter code, fillers stripped: `D` for Germany).
    pub issuing_state: Option<String>,
    /// Nationality (3-letter code, fillers stripped).
    pub nationality: Option<String>,
    /// Primary identifier.
    pub surname: Option<String>,
    /// Secondary identifier, components separated by single spaces; `None` if absent.
    pub given_names: Option<String>,
    /// Date of birth, century chosen so that it is not after "today".
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Date of expiry (always 20YY).
    pub expiry_date: Option<Date>,
    /// TD3 personal number, or TD1/TD2 optional data (line 1 for TD1); fillers stripped.
    pub optional_data: Option<String>,
    /// TD1 optional data of line 2, fillers stripped.
    pub optional_data_2: Option<String>,
    /// Every problem found, in zone order.
    pub errors: Vec<FieldError>,
}

/// The problems that made [`Mrz::parse`] refuse a zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", join_errors(.errors))]
pub struct MrzError {
    /// Every problem found (never empty).
    pub errors: Vec<FieldError>,
}

fn join_errors(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A machine readable zone that passed every check. Only [`Mrz::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mrz {
    format: MrzFormat,
    document_code: String,
    document_number: String,
    issuing_state: String,
    nationality: String,
    surname: String,
    given_names: String,
    birth_date: Date,
    sex: Sex,
    expiry_date: Date,
    optional_data: Option<String>,
    optional_data_2: Option<String>,
}

impl Mrz {
    /// Parses and validates a zone.
    ///
    /// `text` holds the lines separated by `'\n'` (or `"\r\n"`); whitespace around each
    /// line is trimmed and blank lines are ignored. `today` picks the century of the
    /// birth date: the latest one that does not put the birth date after `today`.
    pub fn parse(text: &str, today: Date) -> Result<Mrz, MrzError> {
        let report = check(text, today);
        if !report.errors.is_empty() {
            return Err(MrzError {
                errors: report.errors,
            });
        }
        // A report without errors has every field; the `else` only guards against a
        // future change to `analyse` forgetting one, without panicking.
        let (
            Some(format),
            Some(document_code),
            Some(document_number),
            Some(issuing_state),
            Some(nationality),
            Some(surname),
            Some(birth_date),
            Some(sex),
            Some(expiry_date),
        ) = (
            report.format,
            report.document_code,
            report.document_number,
            report.issuing_state,
            report.nationality,
            report.surname,
            report.birth_date,
            report.sex,
            report.expiry_date,
        )
        else {
            return Err(MrzError {
                errors: vec![FieldError::new("mrz", "mrz.incomplete", "incomplete zone")],
            });
        };
        Ok(Mrz {
            format,
            document_code,
            document_number,
            issuing_state,
            nationality,
            surname,
            given_names: report.given_names.unwrap_or_default(),
            birth_date,
            sex,
            expiry_date,
            optional_data: report.optional_data,
            optional_data_2: report.optional_data_2,
        })
    }

    /// The same report [`check`] gives for the text this was parsed from.
    pub fn report(&self) -> MrzReport {
        MrzReport {
            valid: true,
            format: Some(self.format),
            document_code: Some(self.document_code.clone()),
            document_number: Some(self.document_number.clone()),
            issuing_state: Some(self.issuing_state.clone()),
            nationality: Some(self.nationality.clone()),
            surname: Some(self.surname.clone()),
            given_names: non_empty(&self.given_names),
            birth_date: Some(self.birth_date),
            sex: Some(self.sex),
            expiry_date: Some(self.expiry_date),
            optional_data: self.optional_data.clone(),
            optional_data_2: self.optional_data_2.clone(),
            errors: Vec::new(),
        }
    }

    /// Format of the zone.
    pub fn format(&self) -> MrzFormat {
        self.format
    }
    /// Document code, fillers stripped (`P`, `I`, `AC`, ...).
    pub fn document_code(&self) -> &str {
        &self.document_code
    }
    /// Document number, fillers stripped, long TD1/TD2 numbers in full.
    pub fn document_number(&self) -> &str {
        &self.document_number
    }
    /// Issuing state or organisation code, fillers stripped.
    pub fn issuing_state(&self) -> &str {
        &self.issuing_state
    }
    /// Nationality code, fillers stripped.
    pub fn nationality(&self) -> &str {
        &self.nationality
    }
    /// Primary identifier (never empty).
    pub fn surname(&self) -> &str {
        &self.surname
    }
    /// Secondary identifier, components separated by spaces; empty when absent.
    pub fn given_names(&self) -> &str {
        &self.given_names
    }
    /// Date of birth.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// Date of expiry.
    pub fn expiry_date(&self) -> Date {
        self.expiry_date
    }
    /// TD3 personal number or TD1/TD2 optional data, if any.
    pub fn optional_data(&self) -> Option<&str> {
        self.optional_data.as_deref()
    }
    /// TD1 optional data of line 2, if any.
    pub fn optional_data_2(&self) -> Option<&str> {
        self.optional_data_2.as_deref()
    }
}

/// Check digit of `field` (Doc 9303 Part 3 §4.9): weights 7, 3, 1 repeating, values
/// `0`-`9` => 0-9, `A`-`Z` => 10-35, `<` => 0, sum modulo 10. `None` if `field` holds
/// any other character.
pub fn check_digit(field: &str) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, c) in field.chars().enumerate() {
        let value = char_value(c)?;
        // Reduce as we go so arbitrarily long input cannot overflow.
        sum = (sum + value * WEIGHTS[i % 3]) % 10;
    }
    u8::try_from(sum).ok()
}

fn char_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(u32::from(c) - u32::from('0')),
        'A'..='Z' => Some(u32::from(c) - u32::from('A') + 10),
        '<' => Some(0),
        _ => None,
    }
}

/// Reads and checks a zone; never panics. See [`Mrz::parse`] for `text` and `today`.
pub fn check(text: &str, today: Date) -> MrzReport {
    let mut report = MrzReport::default();
    let lines = split_lines(text);
    let Some(format) = detect_format(&lines) else {
        report.errors.push(shape_error(&lines));
        return report;
    };
    report.format = Some(format);
    check_alphabet(&lines, &mut report.errors);
    read_fields(format.layout(), &lines, today, &mut report);
    report.valid = report.errors.is_empty();
    report
}

/// One non-blank input line, with what is needed to point at a cell of the original text.
struct Line {
    chars: Vec<char>,
    /// 1-based line number in the original text (blank lines count).
    number: usize,
    /// Characters of leading whitespace trimmed away.
    indent: usize,
}

fn split_lines(text: &str) -> Vec<Line> {
    text.split('\n')
        .enumerate()
        .filter_map(|(i, raw)| {
            let start = raw.trim_start();
            let trimmed = start.trim_end();
            (!trimmed.is_empty()).then(|| Line {
                chars: trimmed.chars().collect(),
                number: i + 1,
                indent: raw.chars().count() - start.chars().count(),
            })
        })
        .collect()
}

fn detect_format(lines: &[Line]) -> Option<MrzFormat> {
    [MrzFormat::Td1, MrzFormat::Td2, MrzFormat::Td3]
        .into_iter()
        .find(|f| {
            lines.len() == f.line_count() && lines.iter().all(|l| l.chars.len() == f.line_length())
        })
}

/// The zone has no known shape: `field.required` when there is no text at all, else
/// `mrz.shape` with the number of lines and their lengths (the first six).
fn shape_error(lines: &[Line]) -> FieldError {
    let lengths: Vec<String> = lines.iter().map(|l| l.chars.len().to_string()).collect();
    if lines.is_empty() {
        return FieldError::new("mrz", "field.required", shape_message(&lengths));
    }
    let mut shown = lengths
        .iter()
        .take(6)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if lengths.len() > 6 {
        shown.push_str(", …");
    }
    FieldError::new("mrz", "mrz.shape", shape_message(&lengths))
        .with("lines", lines.len())
        .with("lengths", shown)
}

fn shape_message(lengths: &[String]) -> String {
    let got = match lengths {
        [] => "got no text".to_owned(),
        [one] => format!("got 1 line of {one} characters"),
        [init @ .., last] if lengths.len() <= 6 => format!(
            "got {} lines of {} and {last} characters",
            lengths.len(),
            init.join(", ")
        ),
        _ => format!("got {} lines", lengths.len()),
    };
    format!("expected 2 lines of 44 (TD3, passport), 2 of 36 (TD2) or 3 of 30 (TD1); {got}")
}

/// One error per line that holds characters outside the MRZ alphabet, naming the first.
/// Lowercase is refused rather than upper-cased: a zone is printed in capitals, so
/// lowercase means the text was retyped or mangled and should be looked at.
fn check_alphabet(lines: &[Line], errors: &mut Vec<FieldError>) {
    for line in lines {
        let mut bad = line
            .chars
            .iter()
            .enumerate()
            .filter(|(_, c)| char_value(**c).is_none());
        if let Some((col, c)) = bad.next() {
            let more = bad.count();
            let tail = if more > 0 {
                format!(" ({more} more on this line)")
            } else {
                String::new()
            };
            let column = line.indent + col + 1;
            errors.push(
                FieldError::new(
                    "mrz",
                    "mrz.character",
                    format!(
                        "invalid character {c:?} at line {}, column {column}; only A-Z, 0-9 and '<' are allowed{tail}",
                        line.number,
                    ),
                )
                .with("line", line.number)
                .with("column", column)
                .with("char", c),
            );
        }
    }
}

/// A cell position: (line index, character index), both 0-based.
type Pos = (usize, usize);

/// Where each field sits in one format. Fields with a check digit have it right after.
struct Layout {
    code: Pos,
    state: Pos,
    name: Pos,
    name_len: usize,
    number: Pos,
    nationality: Pos,
    birth: Pos,
    sex: Pos,
    expiry: Pos,
    optional: Pos,
    optional_len: usize,
    /// TD3 only: the personal number has its own check digit.
    optional_check: Option<Pos>,
    /// TD1 only: optional data on line 2.
    optional_2: Option<(Pos, usize)>,
    composite: Pos,
    /// (line, start, end) ranges the composite check digit covers, in order.
    composite_covers: &'static [(usize, usize, usize)],
}

// Doc 9303 Part 4 §4.2.2 (TD3 data structure).
const TD3: Layout = Layout {
    code: (0, 0),
    state: (0, 2),
    name: (0, 5),
    name_len: 39,
    number: (1, 0),
    nationality: (1, 10),
    birth: (1, 13),
    sex: (1, 20),
    expiry: (1, 21),
    optional: (1, 28),
    optional_len: 14,
    optional_check: Some((1, 42)),
    optional_2: None,
    composite: (1, 43),
    composite_covers: &[(1, 0, 10), (1, 13, 20), (1, 21, 43)],
};

// Doc 9303 Part 6 §4.2.2 (TD2 data structure).
const TD2: Layout = Layout {
    code: (0, 0),
    state: (0, 2),
    name: (0, 5),
    name_len: 31,
    number: (1, 0),
    nationality: (1, 10),
    birth: (1, 13),
    sex: (1, 20),
    expiry: (1, 21),
    optional: (1, 28),
    optional_len: 7,
    optional_check: None,
    optional_2: None,
    composite: (1, 35),
    composite_covers: &[(1, 0, 10), (1, 13, 20), (1, 21, 35)],
};

// Doc 9303 Part 5 §4.2.2 (TD1 data structure).
const TD1: Layout = Layout {
    code: (0, 0),
    state: (0, 2),
    name: (2, 0),
    name_len: 30,
    number: (0, 5),
    nationality: (1, 15),
    birth: (1, 0),
    sex: (1, 7),
    expiry: (1, 8),
    optional: (0, 15),
    optional_len: 15,
    optional_check: None,
    optional_2: Some(((1, 18), 11)),
    composite: (1, 29),
    composite_covers: &[(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)],
};

/// Read access to the cells of a zone whose shape is already known to match the layout.
struct Cells<'a>(&'a [Line]);

impl Cells<'_> {
    fn at(&self, (line, col): Pos) -> char {
        self.0[line].chars[col]
    }
    fn text(&self, (line, col): Pos, len: usize) -> String {
        self.0[line].chars[col..col + len].iter().collect()
    }
}

fn read_fields(layout: &Layout, lines: &[Line], today: Date, report: &mut MrzReport) {
    let cells = Cells(lines);
    let errors = &mut report.errors;
    let format = report.format;

    let code = cells.text(layout.code, 2);
    check_document_code(&code, format, errors);
    report.document_code = non_empty(code.trim_end_matches('<'));

    report.issuing_state = state_code("issuing_state", &cells.text(layout.state, 3), errors);

    (report.surname, report.given_names) =
        read_name(&cells.text(layout.name, layout.name_len), errors);

    // Document number, with the long-number form of Parts 5/6 §4.2.4 note j.
    let number_field = cells.text(layout.number, 9);
    let number_check = cells.at((layout.number.0, layout.number.1 + 9));
    let optional_field = cells.text(layout.optional, layout.optional_len);
    let long_form =
        number_check == '<' && format != Some(MrzFormat::Td3) && !number_field.contains('<');
    let (number, optional_rest) = if long_form {
        read_long_number(&number_field, &optional_field, errors)
    } else {
        verify("document_number", &number_field, number_check, errors);
        (number_field.clone(), optional_field.clone())
    };
    let number = number.trim_end_matches('<');
    if number.is_empty() {
        errors.push(FieldError::new("document_number", "mrz.empty", "is empty"));
    }
    report.document_number = non_empty(number);

    report.nationality = state_code("nationality", &cells.text(layout.nationality, 3), errors);

    // Birth date.
    let birth = cells.text(layout.birth, 6);
    verify(
        "birth_date",
        &birth,
        cells.at((layout.birth.0, layout.birth.1 + 6)),
        errors,
    );
    report.birth_date = yymmdd(&birth).and_then(|(y, m, d)| birth_date(y, m, d, today));
    if report.birth_date.is_none() {
        errors.push(
            FieldError::new(
                "birth_date",
                "mrz.date",
                format!("not a valid date YYMMDD: {birth:?}"),
            )
            .with("value", &birth),
        );
    }

    // Sex (Part 3 §4.7: F, M, or < / X for unspecified).
    let sex = cells.at(layout.sex);
    report.sex = match sex {
        'M' => Some(Sex::Male),
        'F' => Some(Sex::Female),
        '<' | 'X' => Some(Sex::Unspecified),
        other => {
            errors.push(
                FieldError::new(
                    "sex",
                    "mrz.sex",
                    format!("expected M, F, X or '<', got {other:?}"),
                )
                .with("value", other),
            );
            None
        }
    };

    // Expiry date. Always 20YY: documents valid today expire in this century, and a
    // 19YY expiry could only belong to a document that expired long ago, for which the
    // date is not worth a sliding window. Expiry in the past is not a zone error.
    let expiry = cells.text(layout.expiry, 6);
    verify(
        "expiry_date",
        &expiry,
        cells.at((layout.expiry.0, layout.expiry.1 + 6)),
        errors,
    );
    report.expiry_date = yymmdd(&expiry).and_then(|(y, m, d)| Date::new(2000 + y, m, d).ok());
    if report.expiry_date.is_none() {
        errors.push(
            FieldError::new(
                "expiry_date",
                "mrz.date",
                format!("not a valid date YYMMDD: {expiry:?}"),
            )
            .with("value", &expiry),
        );
    }

    // Optional data / personal number.
    if let Some(pos) = layout.optional_check {
        // Part 4 note: the personal number check digit may be '<' when the field is empty.
        let c = cells.at(pos);
        let all_fillers = optional_field.chars().all(|c| c == '<');
        if !(c == '<' && all_fillers) {
            verify("optional_data", &optional_field, c, errors);
        }
    }
    report.optional_data = non_empty(optional_rest.trim_matches('<'));
    if let Some((pos, len)) = layout.optional_2 {
        report.optional_data_2 = non_empty(cells.text(pos, len).trim_matches('<'));
    }

    // Composite check digit over the listed ranges.
    let covered: String = layout
        .composite_covers
        .iter()
        .map(|&(line, start, end)| cells.text((line, start), end - start))
        .collect();
    verify("composite", &covered, cells.at(layout.composite), errors);
}

/// The document code: a letter, then a letter or filler; the first letter must suit the
/// format.
fn check_document_code(code: &str, format: Option<MrzFormat>, errors: &mut Vec<FieldError>) {
    let code_ok = code.starts_with(|c: char| c.is_ascii_uppercase())
        && code[1..]
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '<');
    if !code_ok {
        errors.push(
            FieldError::new(
                "document_code",
                "mrz.document_code",
                format!("expected a letter followed by a letter or '<', got {code:?}"),
            )
            .with("value", code),
        );
    } else if let Some(format) = format {
        // Part 4 §4.2.2: passports start with P. Parts 5 and 6 §4.2.2: A, C or I.
        // A V is a visa (Part 7), whose layout differs: refuse it by name.
        let first = code.as_bytes()[0];
        let allowed: &[u8] = if format == MrzFormat::Td3 {
            b"P"
        } else {
            b"ACI"
        };
        if !allowed.contains(&first) {
            let (expected, listed) = if format == MrzFormat::Td3 {
                ("P", "P")
            } else {
                ("A, C or I", "A/C/I")
            };
            let message = format!("a {format} document code starts with {expected}, got {code:?}");
            errors.push(if first == b'V' {
                FieldError::new(
                    "document_code",
                    "mrz.visa",
                    format!("{message} (visa zones are not supported)"),
                )
                .with("value", code)
            } else {
                FieldError::new("document_code", "mrz.document_kind", message)
                    .with("format", format)
                    .with("expected", listed)
                    .with("value", code)
            });
        }
    }
}

/// Name: primary identifier, "<<", secondary identifier (Doc 9303 Part 3 §4.6). A name
/// truncated at the end of the field is normal and not an error.
fn read_name(name: &str, errors: &mut Vec<FieldError>) -> (Option<String>, Option<String>) {
    let (primary, secondary) = name.split_once("<<").unwrap_or((name, ""));
    let surname = name_component(primary);
    let given = name_component(secondary);
    if surname.is_empty() {
        errors.push(FieldError::new(
            "surname",
            "mrz.name_empty",
            "is empty (the name field must start with the primary identifier)",
        ));
    }
    if surname.chars().any(|c| c.is_ascii_digit()) {
        errors.push(FieldError::new(
            "surname",
            "mrz.name_digit",
            "contains a digit",
        ));
    }
    if given.chars().any(|c| c.is_ascii_digit()) {
        errors.push(FieldError::new(
            "given_names",
            "mrz.name_digit",
            "contains a digit",
        ));
    }
    (non_empty(&surname), non_empty(&given))
}

/// Reads a document number longer than 9 characters (Doc 9303 Part 5 §4.2.4 and
/// Part 6 §4.2.4, note j): the number field holds its first 9 characters, its check digit
/// cell holds '<', and the optional data starts with the rest of the number followed by
/// the check digit of the whole number, then a filler (required). Returns the number and the
/// optional data that follows it.
fn read_long_number(
    number_field: &str,
    optional_field: &str,
    errors: &mut Vec<FieldError>,
) -> (String, String) {
    let optional: Vec<char> = optional_field.chars().collect();
    // The rest of the number and its check digit must be followed by a filler, so a
    // field without one (or with one too early) holds no continuation.
    let end = optional.iter().position(|&c| c == '<').unwrap_or(0);
    if end < 2 {
        errors.push(FieldError::new(
            "document_number",
            "mrz.long_number",
            "check digit is <, but the optional data does not continue the document number \
             (ICAO 9303 long document number)",
        ));
        return (number_field.to_owned(), optional_field.to_owned());
    }
    let rest: String = optional[..end - 1].iter().collect();
    let full = format!("{number_field}{rest}");
    verify("document_number", &full, optional[end - 1], errors);
    (full, optional[end..].iter().collect())
}

/// Pushes an error when the printed check digit `printed` does not match `data`.
/// Data with characters outside the alphabet is skipped: that is already reported.
fn verify(field: &'static str, data: &str, printed: char, errors: &mut Vec<FieldError>) {
    let Some(expected) = check_digit(data) else {
        return;
    };
    if printed.to_digit(10) != Some(u32::from(expected)) {
        errors.push(
            FieldError::new(
                field,
                "mrz.check_digit",
                format!("check digit is {printed}, expected {expected}"),
            )
            .with("printed", printed)
            .with("expected", expected),
        );
    }
}

/// A state code: a letter then letters or trailing fillers (`D<<` is Germany).
fn state_code(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let code = raw.trim_end_matches('<');
    let ok = !code.is_empty() && code.chars().all(|c| c.is_ascii_uppercase());
    if !ok {
        errors.push(
            FieldError::new(
                field,
                "mrz.state_code",
                format!("expected a 3-letter code (A-Z, trailing '<' allowed), got {raw:?}"),
            )
            .with("value", raw),
        );
    }
    non_empty(code)
}

/// A name component: single '<' separate words; runs of fillers collapse.
fn name_component(raw: &str) -> String {
    raw.split('<')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// Splits six ASCII digits into (YY, MM, DD); `None` for anything else.
fn yymmdd(s: &str) -> Option<(i16, i8, i8)> {
    let b = s.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    Some((
        i16::from(two(0)),
        i8::try_from(two(2)).ok()?,
        i8::try_from(two(4)).ok()?,
    ))
}

/// The latest century that puts the birth date on or before `today`. Earlier centuries
/// are tried too, for 29 February of a year that is leap in one century only.
fn birth_date(yy: i16, month: i8, day: i8, today: Date) -> Option<Date> {
    let century = today.year() - today.year().rem_euclid(100);
    (0..3)
        .filter_map(|back| Date::new(century - 100 * back + yy, month, day).ok())
        .find(|d| *d <= today)
}
