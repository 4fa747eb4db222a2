//! The person an application is for, and how to reach them: values that exist only once
//! parsed.
//!
//! Each type here has private fields and is made by `parse` (or, for [`Applicant`], from the
//! form's fields or a passport's zone), so a `PassportNumber` or an `Email` deeper in the
//! system is proof that the input was checked and normalised once, at the edge, in the same way
//! for the API, the pages and the CLI. What is wrong is reported as a [`FieldProblem`] with a
//! stable code (see [`CODES`]) for each door to word in the reader's language.
//!
//! Normalisation is what a person would expect not to matter: surrounding space, case where
//! the document is printed in capitals, the spaces and hyphens people put into numbers. It
//! never guesses beyond that (a Cyrillic `А` in a passport number is refused, not
//! transliterated).

mod countries;

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use rand::{CryptoRng, RngExt};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::mrz::Mrz;
use crate::number::{ALPHABET, symbol_value};
use crate::problem::{FieldProblem, parse_date};

/// Every code the parsers of this module report.
pub const CODES: &[&str] = &[
    "field.required",
    "field.too_long",
    "name.characters",
    "passport.characters",
    "passport.expired",
    "nationality.format",
    "nationality.unknown",
    "sex.invalid",
    "email.invalid",
    "phone.invalid",
    "access_code.invalid",
    "date.invalid",
    "date.not_past",
];

/// Input echoed back in a problem's parameters is cut to this many characters, so a pasted
/// essay does not come back in every message.
/// `input` with every space, other white space and hyphen removed.
fn without_separators(input: &str, also: &[char]) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && !also.contains(c))
        .collect()
}

/// `input` without separators, or `field.required` when nothing is left.
fn compact_required(field: &str, input: &str) -> Result<String, FieldProblem> {
    let compact = without_separators(input, &[]);
    if compact.is_empty() {
        Err(FieldProblem::new(field, "field.required"))
    } else {
        Ok(compact)
    }
}

/// The shared surface of the string-backed values: `as_str`, `Display`, `FromStr`,
/// `AsRef<str>`, `Serialize` as the string and `Deserialize` through `parse`.
macro_rules! text_value {
    ($name:ident, $field:literal) => {
        impl $name {
            #[doc = concat!("Parses text typed by a person, reporting problems on field `", $field, "`.")]
            pub fn parse(input: &str) -> Result<Self, FieldProblem> {
                Self::parse_as($field, input)
            }

            /// The normalised text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl FromStr for $name {
            type Err = FieldProblem;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(|p| serde::de::Error::custom(p.code))
            }
        }
    };
}

/// A passport (or other travel document) number as printed in the document's zone:
/// ASCII capitals and digits, at most [`PassportNumber::MAX_LEN`] of them.
///
/// Surrounding space is trimmed, spaces and hyphens inside are dropped (some passports print
/// the number in groups, the zone never does) and letters are upper-cased, so `ab 12-345`
/// and `AB12345` are the same number, the one a status lookup compares.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassportNumber(String);

impl PassportNumber {
    /// The longest number accepted (a TD1 long number has at most 22; none seen exceeds 20).
    pub const MAX_LEN: usize = 20;

    /// Parses a number, reporting problems on `field`.
    ///
    /// Codes: `field.required`, `passport.characters`, `field.too_long` (`max`).
    pub fn parse_as(field: &str, input: &str) -> Result<Self, FieldProblem> {
        let compact = compact_required(field, input)?;
        if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldProblem::new(field, "passport.characters"));
        }
        if compact.len() > Self::MAX_LEN {
            return Err(FieldProblem::new(field, "field.too_long").with("max", Self::MAX_LEN));
        }
        Ok(PassportNumber(compact.to_ascii_uppercase()))
    }
}

text_value!(PassportNumber, "passport_number");

/// A nationality: an ISO 3166-1 alpha-3 code or one of the codes ICAO Doc 9303 adds for
/// travel documents (`XXA` stateless, `XXB`/`XXC` refugees, `XXX` unspecified, `GBN` and the
/// other British variants, `RKS`, `UNO`, `EUE`, ...). The table is in `person/countries.rs`.
///
/// Input is trimmed and read case-insensitively; Germany's one-letter zone code `D` is read
/// as `DEU`, so one person has one nationality code however it was entered.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nationality {
    code: &'static str,
    name: &'static str,
}

impl Nationality {
    /// Parses a code, reporting problems on field `nationality`.
    pub fn parse(input: &str) -> Result<Self, FieldProblem> {
        Self::parse_as("nationality", input)
    }

    /// Parses a code, reporting problems on `field`.
    ///
    /// Codes: `field.required`, `nationality.format` (not three letters),
    /// `nationality.unknown` (`value`: three letters that name no state or organisation).
    pub fn parse_as(field: &str, input: &str) -> Result<Self, FieldProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldProblem::new(field, "field.required"));
        }
        let code = trimmed.to_ascii_uppercase();
        let code = if code == "D" { "DEU".to_owned() } else { code };
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(FieldProblem::new(field, "nationality.format"));
        }
        Self::lookup(&code)
            .ok_or_else(|| FieldProblem::new(field, "nationality.unknown").with("value", &code))
    }

    fn lookup(code: &str) -> Option<Self> {
        [countries::ISO, countries::ICAO]
            .into_iter()
            .find_map(|table| {
                table
                    .binary_search_by(|(c, _)| (*c).cmp(code))
                    .ok()
                    .map(|i| Nationality {
                        code: table[i].0,
                        name: table[i].1,
                    })
            })
    }

    /// Every known code, ISO codes first, each list in alphabetical order.
    pub fn all() -> impl Iterator<Item = Nationality> {
        countries::ISO
            .iter()
            .chain(countries::ICAO)
            .map(|&(code, name)| Nationality { code, name })
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &'static str {
        self.code
    }

    /// The English name (ISO 3166-1 short name, or ICAO's name for the other codes).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// True for a code of ISO 3166-1 (a state or territory), false for ICAO's additions.
    pub fn is_iso(&self) -> bool {
        countries::ISO
            .binary_search_by(|(c, _)| (*c).cmp(self.code))
            .is_ok()
    }
}

impl fmt::Debug for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nationality({})", self.code)
    }
}

impl fmt::Display for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl AsRef<str> for Nationality {
    fn as_ref(&self) -> &str {
        self.code
    }
}

impl FromStr for Nationality {
    type Err = FieldProblem;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Nationality {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Nationality {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(|p| serde::de::Error::custom(p.code))
    }
}

/// The holder's sex as a passport states it (Doc 9303 Part 3 §4.7). Serialised as `M`, `F`
/// or `X`. The zone's `<` means unspecified, like `X`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// `M`.
    #[serde(rename = "M")]
    Male,
    /// `F`.
    #[serde(rename = "F")]
    Female,
    /// `X`, or `<` in a zone: unspecified.
    #[serde(rename = "X")]
    Unspecified,
}

impl Sex {
    /// Parses `M`, `F`, `X` or `<` (any case, trimmed), reporting problems on field `sex`.
    pub fn parse(input: &str) -> Result<Self, FieldProblem> {
        Self::parse_as("sex", input)
    }

    /// Parses a sex, reporting problems on `field`. Codes: `field.required`, `sex.invalid`.
    pub fn parse_as(field: &str, input: &str) -> Result<Self, FieldProblem> {
        match input.trim() {
            "" => Err(FieldProblem::new(field, "field.required")),
            "M" | "m" => Ok(Sex::Male),
            "F" | "f" => Ok(Sex::Female),
            "X" | "x" | "<" => Ok(Sex::Unspecified),
            _ => Err(FieldProblem::new(field, "sex.invalid")),
        }
    }

    /// `M`, `F` or `X`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
            Sex::Unspecified => "X",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sex {
    type Err = FieldProblem;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// An e-mail address that is plausibly deliverable.
///
/// The check is pragmatic, not RFC 5322: one `@`; a local part of 1 to 64 bytes with no white
/// space or control characters; a domain of at least two dot-separated labels of letters,
/// digits and inner hyphens (at most 63 bytes each), whose last label is not all digits;
/// at most 254 bytes in all. Letters may be non-ASCII (`.қаз`, `.рф` are real); the mailer
/// must then send the domain as IDNA (punycode). The domain is lower-cased, the local part kept
/// as typed (it may be case-sensitive).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// The longest address accepted, in bytes (RFC 5321 path limit less the brackets).
    pub const MAX_LEN: usize = 254;

    /// Parses an address, reporting problems on `field`.
    /// Codes: `field.required`, `email.invalid`.
    pub fn parse_as(field: &str, input: &str) -> Result<Self, FieldProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldProblem::new(field, "field.required"));
        }
        let invalid = || FieldProblem::new(field, "email.invalid");
        let (local, domain) = trimmed.split_once('@').ok_or_else(invalid)?;
        let domain = domain.to_lowercase();
        let address = format!("{local}@{domain}");
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@');
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        let domain_ok = labels.len() >= 2
            && labels.iter().all(label_ok)
            && !labels
                .last()
                .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()));
        if local_ok && domain_ok && address.len() <= Self::MAX_LEN {
            Ok(Email(address))
        } else {
            Err(invalid())
        }
    }

    /// The domain (after the `@`), lower-case.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

text_value!(Email, "email");

/// A phone number in E.164 form: `+`, then 7 to 15 digits, the first not 0.
///
/// Spaces, hyphens, dots and parentheses are dropped, so `+7 (701) 234-56-78` is
/// `+77012345678`. A number without the `+` and country code is refused rather than guessed
/// (a Kazakh `8 701 …` would otherwise become a number in another country). The shortest
/// numbers in use have 7 digits with the country code (Niue, Tokelau).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// The fewest digits accepted, country code included.
    pub const MIN_DIGITS: usize = 7;
    /// The most digits E.164 allows, country code included.
    pub const MAX_DIGITS: usize = 15;

    /// Parses a number, reporting problems on `field`.
    /// Codes: `field.required`, `phone.invalid`.
    pub fn parse_as(field: &str, input: &str) -> Result<Self, FieldProblem> {
        let compact = without_separators(input, &['.', '(', ')']);
        if compact.is_empty() {
            return Err(FieldProblem::new(field, "field.required"));
        }
        let digits = compact.strip_prefix('+').unwrap_or("");
        let ok = (Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if ok {
            Ok(Phone(compact))
        } else {
            Err(FieldProblem::new(field, "phone.invalid"))
        }
    }
}

text_value!(Phone, "phone");

/// An applicant's access code: 26 Crockford base32 symbols (130 random bits), printed in
/// groups of four (`7K2M-Q9XD-…-RT`). The applicant gets it when the application is created
/// and presents it for every later action; it is stored only as [`AccessCode::sha256_hex`]
/// (with 130 bits a fast hash is enough), so tirkeu cannot show it again.
///
/// Parsing forgives what a person retyping it would get wrong: case, spaces and hyphens, and
/// `O` for 0, `I`/`L` for 1 (as Crockford specifies and as application numbers do).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessCode(String);

impl AccessCode {
    /// Symbols in a code.
    pub const LEN: usize = 26;

    /// Parses a code, reporting problems on `field`.
    /// Codes: `field.required`, `access_code.invalid`.
    pub fn parse_as(field: &str, input: &str) -> Result<Self, FieldProblem> {
        let compact = compact_required(field, input)?;
        let values: Option<Vec<u8>> = compact.chars().map(symbol_value).collect();
        match values {
            Some(v) if v.len() == Self::LEN => Ok(Self::from_values(&v)),
            _ => Err(FieldProblem::new(field, "access_code.invalid")),
        }
    }

    /// A new code from the thread's cryptographically secure generator.
    pub fn generate() -> Self {
        Self::generate_with(&mut rand::rng())
    }

    /// A new code from `rng`.
    pub fn generate_with<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let values: Vec<u8> = (0..Self::LEN).map(|_| rng.random_range(0..32)).collect();
        Self::from_values(&values)
    }

    fn from_values(values: &[u8]) -> Self {
        let grouped = values
            .chunks(4)
            .map(|group| {
                group
                    .iter()
                    .map(|v| char::from(ALPHABET[usize::from(*v)]))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("-");
        AccessCode(grouped)
    }

    /// The code without hyphens.
    pub fn compact(&self) -> String {
        self.0.replace('-', "")
    }

    /// The hex SHA-256 under which the code is stored. The same as the server's
    /// `access_code_hash` of the code as printed, so hashes stored before keep matching.
    pub fn sha256_hex(&self) -> String {
        let digest = Sha256::digest(format!("tirkeu-access-code:{}", self.compact()).as_bytes());
        hex::encode(digest)
    }
}

text_value!(AccessCode, "access_code");

/// Secrets stay out of logs.
impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(…)")
    }
}

/// The applicant's details as typed into a form, before any check. Missing and blank are the
/// same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ApplicantFields<'a> {
    pub surname: Option<&'a str>,
    pub given_names: Option<&'a str>,
    pub passport_number: Option<&'a str>,
    pub nationality: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<&'a str>,
    /// `M`, `F` or `X`.
    pub sex: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub passport_expiry: Option<&'a str>,
}

/// The person an application is for, as their passport identifies them, with a passport that
/// has not expired on the day it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Applicant {
    surname: String,
    given_names: String,
    passport_number: PassportNumber,
    nationality: Nationality,
    birth_date: Date,
    sex: Sex,
    passport_expiry: Date,
}

impl Applicant {
    /// The longest surname and given names accepted, in characters.
    pub const NAME_MAX: usize = 100;

    /// Reads the applicant from a form's fields, naming every problem at once.
    ///
    /// Fields (as problem fields): `surname` (required), `given_names` (optional: some people
    /// have none), `passport_number`, `nationality`, `birth_date`, `sex`, `passport_expiry`.
    /// Names are trimmed with inner runs of white space made one space. Codes:
    /// `field.required`, `field.too_long` (`max`), `name.characters`, those of
    /// [`PassportNumber`], [`Nationality`] and [`Sex`], `date.invalid` (`value`),
    /// `date.not_past` (a birth date today or later) and `passport.expired` (`date`, an expiry
    /// before `today`).
    pub fn from_fields(
        fields: &ApplicantFields<'_>,
        today: Date,
    ) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();

        let surname = keep(
            &mut problems,
            name("surname", fields.surname.unwrap_or_default(), true),
        );
        let given_names = keep(
            &mut problems,
            name("given_names", fields.given_names.unwrap_or_default(), false),
        );
        let passport_number = keep(
            &mut problems,
            PassportNumber::parse(fields.passport_number.unwrap_or_default()),
        );
        let nationality = keep(
            &mut problems,
            Nationality::parse(fields.nationality.unwrap_or_default()),
        );
        let birth_date = keep(
            &mut problems,
            parse_date("birth_date", fields.birth_date.unwrap_or_default()).and_then(|d| {
                if d < today {
                    Ok(d)
                } else {
                    Err(FieldProblem::new("birth_date", "date.not_past"))
                }
            }),
        );
        let sex = keep(&mut problems, Sex::parse(fields.sex.unwrap_or_default()));
        let passport_expiry = keep(
            &mut problems,
            parse_date(
                "passport_expiry",
                fields.passport_expiry.unwrap_or_default(),
            )
            .and_then(|d| not_expired("passport_expiry", d, today)),
        );

        match (
            surname,
            given_names,
            passport_number,
            nationality,
            birth_date,
            sex,
            passport_expiry,
        ) {
            (
                Some(surname),
                Some(given_names),
                Some(passport_number),
                Some(nationality),
                Some(birth_date),
                Some(sex),
                Some(passport_expiry),
            ) if problems.is_empty() => Ok(Applicant {
                surname,
                given_names,
                passport_number,
                nationality,
                birth_date,
                sex,
                passport_expiry,
            }),
            _ => Err(problems),
        }
    }

    /// Reads the applicant from a passport's or ID card's machine readable zone (see
    /// [`Mrz::parse`] for `text` and `today`), naming every problem at once.
    ///
    /// Problems of the zone itself carry the codes of [`crate::mrz::CODES`] on field
    /// `mrz.<field>` (`mrz` for the zone as a whole). A valid zone may still be refused:
    /// `passport.expired` (`date`) on `mrz.expiry_date`, listed first since no other fix
    /// helps; `nationality.unknown` (`value`) on `mrz.nationality`; `field.too_long` on
    /// `mrz.document_number`.
    pub fn from_mrz(text: &str, today: Date) -> Result<Self, Vec<FieldProblem>> {
        let mrz = Mrz::parse(text, today).map_err(|e| {
            e.errors
                .iter()
                .map(crate::mrz::FieldError::to_problem)
                .collect::<Vec<_>>()
        })?;
        let mut problems = Vec::new();
        let expiry = keep(
            &mut problems,
            not_expired("mrz.expiry_date", mrz.expiry_date(), today),
        );
        let nationality = keep(
            &mut problems,
            Nationality::parse_as("mrz.nationality", mrz.nationality()),
        );
        let passport_number = keep(
            &mut problems,
            PassportNumber::parse_as("mrz.document_number", mrz.document_number()),
        );
        match (expiry, nationality, passport_number) {
            (Some(passport_expiry), Some(nationality), Some(passport_number)) => Ok(Applicant {
                surname: mrz.surname().to_owned(),
                given_names: mrz.given_names().to_owned(),
                passport_number,
                nationality,
                birth_date: mrz.birth_date(),
                sex: mrz.sex(),
                passport_expiry,
            }),
            _ => Err(problems),
        }
    }

    /// Primary identifier (never empty).
    pub fn surname(&self) -> &str {
        &self.surname
    }
    /// Secondary identifier; empty when the person has none.
    pub fn given_names(&self) -> &str {
        &self.given_names
    }
    /// Passport number, normalised.
    pub fn passport_number(&self) -> &PassportNumber {
        &self.passport_number
    }
    /// Nationality.
    pub fn nationality(&self) -> Nationality {
        self.nationality
    }
    /// Date of birth (before the day the applicant was read).
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }
    /// Sex.
    pub fn sex(&self) -> Sex {
        self.sex
    }
    /// Date of expiry of the passport (on or after the day the applicant was read).
    pub fn passport_expiry(&self) -> Date {
        self.passport_expiry
    }
}

/// The value of `result`, or `None` with its problem added to `problems`.
fn keep<T>(problems: &mut Vec<FieldProblem>, result: Result<T, FieldProblem>) -> Option<T> {
    result.map_err(|p| problems.push(p)).ok()
}

/// A name: trimmed, inner white space made single spaces, no control characters, at most
/// [`Applicant::NAME_MAX`] characters; empty only when not `required`.
fn name(field: &str, input: &str, required: bool) -> Result<String, FieldProblem> {
    let tidy = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.is_empty() && required {
        return Err(FieldProblem::new(field, "field.required"));
    }
    if tidy.chars().any(char::is_control) {
        return Err(FieldProblem::new(field, "name.characters"));
    }
    if tidy.chars().count() > Applicant::NAME_MAX {
        return Err(FieldProblem::new(field, "field.too_long").with("max", Applicant::NAME_MAX));
    }
    Ok(tidy)
}

/// `expiry` if it is `today` or later, else `passport.expired` (`date`).
fn not_expired(field: &str, expiry: Date, today: Date) -> Result<Date, FieldProblem> {
    if expiry < today {
        Err(FieldProblem::new(field, "passport.expired").with("date", expiry))
    } else {
        Ok(expiry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_sorted_complete_and_disjoint() {
        for table in [countries::ISO, countries::ICAO] {
            assert!(
                table.windows(2).all(|w| w[0].0 < w[1].0),
                "sorted, no duplicates"
            );
            assert!(table.iter().all(|(c, n)| c.len() == 3
                && c.bytes().all(|b| b.is_ascii_uppercase())
                && !n.is_empty()));
        }
        assert_eq!(countries::ISO.len(), 249);
        assert!(
            countries::ICAO
                .iter()
                .all(|(c, _)| { countries::ISO.binary_search_by(|(i, _)| i.cmp(c)).is_err() })
        );
    }
}
