//! Shared by the MRZ integration tests: a builder that writes a zone with correct check
//! digits from field values, and proptest strategies for those values. It is written
//! from the Doc 9303 layouts independently of `src/mrz.rs` (no shared code), so a
//! mistake in one is not copied into the other.
#![allow(dead_code)]

use jiff::civil::{Date, date};
use jiff::{Span, ToSpan};
use proptest::prelude::*;
use tirkeu_core::mrz::{MrzFormat, MrzReport, Sex};

/// The "today" every generated zone is read with.
pub const TODAY: Date = date(2026, 5, 1);

/// Independent 7-3-1 check digit over the MRZ alphabet (panics on other characters:
/// the builder only produces the alphabet).
pub fn cd(field: &str) -> char {
    const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let weights = [7u64, 3, 1];
    let sum: u64 = field
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let v = if c == '<' {
                0
            } else {
                ALPHABET.find(c).expect("MRZ alphabet") as u64
            };
            v * weights[i % 3]
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

fn pad(s: &str, len: usize) -> String {
    assert!(s.len() <= len, "{s:?} longer than {len}");
    format!("{s:<<len$}")
}

fn yymmdd(d: Date) -> String {
    format!(
        "{:02}{:02}{:02}",
        d.year().rem_euclid(100),
        d.month(),
        d.day()
    )
}

/// Field values of a zone to build.
#[derive(Debug, Clone)]
pub struct Fields {
    pub format: MrzFormat,
    pub code: String,
    pub state: String,
    pub number: String,
    pub nationality: String,
    pub surname: Vec<String>,
    pub given: Vec<String>,
    pub birth: Date,
    pub sex: char,
    pub expiry: Date,
    /// Optional data after the document number's overflow (if any).
    pub optional: String,
    /// TD1 line 2 optional data.
    pub optional_2: String,
}

impl Fields {
    fn name_field(&self, len: usize) -> String {
        let name = format!("{}<<{}", self.surname.join("<"), self.given.join("<"));
        pad(&name, len)
    }

    /// (document number cells, its check digit cell, the optional data field).
    fn number_and_optional(&self, optional_len: usize) -> (String, char, String) {
        if self.number.len() <= 9 {
            (
                pad(&self.number, 9),
                cd(&self.number),
                pad(&self.optional, optional_len),
            )
        } else {
            // Doc 9303 Part 5/6 §4.2.4 note j: first 9 in the field, '<' as its check
            // digit, the rest and the real check digit opening the optional data.
            let (head, rest) = self.number.split_at(9);
            let mut opt = format!("{rest}{}", cd(&self.number));
            if !self.optional.is_empty() {
                opt.push('<');
                opt.push_str(&self.optional);
            }
            (head.to_owned(), '<', pad(&opt, optional_len))
        }
    }

    /// The zone text, lines joined by '\n'.
    pub fn build(&self) -> String {
        let code = pad(&self.code, 2);
        let state = pad(&self.state, 3);
        let nat = pad(&self.nationality, 3);
        let (birth, expiry) = (yymmdd(self.birth), yymmdd(self.expiry));
        let (bcd, ecd) = (cd(&birth), cd(&expiry));
        match self.format {
            MrzFormat::Td3 => {
                let l1 = format!("{code}{state}{}", self.name_field(39));
                let (num, ncd, opt) = self.number_and_optional(14);
                let ocd = if self.optional.is_empty() {
                    '<'
                } else {
                    cd(&opt)
                };
                let upper = format!(
                    "{num}{ncd}{nat}{birth}{bcd}{}{expiry}{ecd}{opt}{ocd}",
                    self.sex
                );
                let comp = format!("{num}{ncd}{birth}{bcd}{expiry}{ecd}{opt}{ocd}");
                format!("{l1}\n{upper}{}", cd(&comp))
            }
            MrzFormat::Td2 => {
                let l1 = format!("{code}{state}{}", self.name_field(31));
                let (num, ncd, opt) = self.number_and_optional(7);
                let upper = format!("{num}{ncd}{nat}{birth}{bcd}{}{expiry}{ecd}{opt}", self.sex);
                let comp = format!("{num}{ncd}{birth}{bcd}{expiry}{ecd}{opt}");
                format!("{l1}\n{upper}{}", cd(&comp))
            }
            MrzFormat::Td1 => {
                let (num, ncd, opt) = self.number_and_optional(15);
                let l1 = format!("{code}{state}{num}{ncd}{opt}");
                let opt2 = pad(&self.optional_2, 11);
                let l2 = format!("{birth}{bcd}{}{expiry}{ecd}{nat}{opt2}", self.sex);
                let comp = format!("{num}{ncd}{opt}{birth}{bcd}{expiry}{ecd}{opt2}");
                format!("{l1}\n{l2}{}\n{}", cd(&comp), self.name_field(30))
            }
        }
    }

    /// The report a correct reader must give for [`Fields::build`].
    pub fn expected_report(&self) -> MrzReport {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        MrzReport {
            valid: true,
            format: Some(self.format),
            document_code: some(self.code.trim_end_matches('<')),
            document_number: some(&self.number),
            issuing_state: some(&self.state),
            nationality: some(&self.nationality),
            surname: some(&self.surname.join(" ")),
            given_names: some(&self.given.join(" ")),
            birth_date: Some(self.birth),
            sex: Some(match self.sex {
                'M' => Sex::Male,
                'F' => Sex::Female,
                _ => Sex::Unspecified,
            }),
            expiry_date: Some(self.expiry),
            optional_data: some(&self.optional),
            optional_data_2: if self.format == MrzFormat::Td1 {
                some(&self.optional_2)
            } else {
                None
            },
            errors: Vec::new(),
        }
    }
}

/// Letters/digits with '<' only inside, `1..=max` long (0 allowed when `min` is 0).
fn filled(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Z0-9<]{{{min},{max}}}"))
        .expect("regex")
        .prop_map(|s| s.trim_matches('<').to_owned())
        .prop_filter("length", move |s| s.len() >= min)
}

fn words(min: usize, max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[A-Z]{1,6}", min..=max)
}

fn day_in(from: Date, days: i64) -> impl Strategy<Value = Date> {
    (0..=days).prop_map(move |n| from.checked_add(n.days()).expect("in range"))
}

/// Valid field values for `format`. Birth dates lie in the 100 years up to [`TODAY`]
/// (the window where two-digit years are unambiguous), expiry dates in 2000-2099.
pub fn fields(format: MrzFormat) -> impl Strategy<Value = Fields> {
    let (optional_len, allows_long) = match format {
        MrzFormat::Td3 => (14, false),
        MrzFormat::Td2 => (7, true),
        MrzFormat::Td1 => (15, true),
    };
    let first = if format == MrzFormat::Td3 {
        "P"
    } else {
        "[ACI]"
    };
    let code = proptest::string::string_regex(&format!("{first}[A-Z<]?")).expect("regex");
    // A long number leaves room in the optional data for its check digit and a filler.
    let max_number = if allows_long { 9 + optional_len - 2 } else { 9 };
    let number =
        proptest::string::string_regex(&format!("[A-Z0-9]{{1,{max_number}}}")).expect("regex");
    let birth_from = TODAY
        .checked_sub(Span::new().years(100))
        .expect("range")
        .tomorrow()
        .expect("range");
    let birth_days = birth_from.until(TODAY).expect("span").get_days();
    (
        code,
        "[A-Z]{1,3}",
        number,
        "[A-Z]{1,3}",
        words(1, 2),
        words(0, 2),
        day_in(birth_from, i64::from(birth_days)),
        prop::sample::select(vec!['M', 'F', '<', 'X']),
        day_in(date(2000, 1, 1), 36_524),
        filled(0, optional_len),
        filled(0, 11),
    )
        .prop_map(
            move |(
                code,
                state,
                number,
                nationality,
                surname,
                given,
                birth,
                sex,
                expiry,
                optional,
                optional_2,
            )| {
                // Optional data must fit after an overflowing number and its separator.
                let room = if number.len() > 9 {
                    optional_len.saturating_sub(number.len() - 9 + 2)
                } else {
                    optional_len
                };
                let optional = optional[..optional.len().min(room)]
                    .trim_end_matches('<')
                    .to_owned();
                Fields {
                    format,
                    code,
                    state,
                    number,
                    nationality,
                    surname,
                    given,
                    birth,
                    sex,
                    expiry,
                    optional,
                    optional_2: if format == MrzFormat::Td1 {
                        optional_2
                    } else {
                        String::new()
                    },
                }
            },
        )
}

/// Any of the three formats.
pub fn any_fields() -> impl Strategy<Value = Fields> {
    prop_oneof![
        fields(MrzFormat::Td1),
        fields(MrzFormat::Td2),
        fields(MrzFormat::Td3)
    ]
}
