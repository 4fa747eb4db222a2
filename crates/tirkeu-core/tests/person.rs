//! The applicant's values parse once, normalise the way a person expects, and name what is
//! wrong with a stable code; the MRZ's problems carry codes too.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use sha2::{Digest, Sha256};
use tirkeu_core::mrz::{self, check, check_digit};
use tirkeu_core::person::{
    AccessCode, Applicant, ApplicantFields, CODES, Email, Nationality, PassportNumber, Phone, Sex,
};
use tirkeu_core::problem::FieldProblem;

const TODAY: Date = date(2026, 5, 1);

fn code<T: std::fmt::Debug>(r: Result<T, FieldProblem>) -> &'static str {
    r.unwrap_err().code
}

/// A TD3 zone with correct check digits.
fn td3(nationality: &str, number: &str, birth: &str, sex: char, expiry: &str) -> String {
    let pad = |s: &str, n: usize| format!("{s:<<n$}");
    let line1 = pad(
        &format!("P<{}ERIKSSON<<ANNA<MARIA", pad(nationality, 3)),
        44,
    );
    let number = pad(number, 9);
    let optional = pad("", 14);
    let cd = |s: &str| check_digit(s).unwrap().to_string();
    let composite_data = format!(
        "{number}{}{birth}{}{expiry}{}{optional}<",
        cd(&number),
        cd(birth),
        cd(expiry)
    );
    let line2 = format!(
        "{number}{}{}{birth}{}{sex}{expiry}{}{optional}<{}",
        cd(&number),
        pad(nationality, 3),
        cd(birth),
        cd(expiry),
        cd(&composite_data)
    );
    assert_eq!(line2.len(), 44);
    format!("{line1}\n{line2}")
}

// ---- PassportNumber ----

#[test]
fn passport_numbers_are_compacted_and_upper_cased() {
    let n = PassportNumber::parse("  ab 12-345\t").unwrap();
    assert_eq!(n.as_str(), "AB12345");
    assert_eq!(n.to_string(), "AB12345");
    assert_eq!(serde_json::to_value(&n).unwrap(), "AB12345");
    assert_eq!(code(PassportNumber::parse(" - ")), "field.required");
    assert_eq!(code(PassportNumber::parse("AB/123")), "passport.characters");
    // A Cyrillic А looks like a Latin A but is refused, not guessed.
    assert_eq!(
        code(PassportNumber::parse("А1234567")),
        "passport.characters"
    );
    let long = PassportNumber::parse(&"1".repeat(21)).unwrap_err();
    assert_eq!(
        (long.code, long.param("max")),
        ("field.too_long", Some("20"))
    );
    assert!(PassportNumber::parse(&"1".repeat(20)).is_ok());
    let p = PassportNumber::parse_as("guest.passport", "").unwrap_err();
    assert_eq!(p.field, "guest.passport");
    let back: PassportNumber = serde_json::from_str("\"n 12\"").unwrap();
    assert_eq!(back.as_str(), "N12");
}

proptest! {
    #[test]
    fn passport_numbers_ignore_case_and_separators(
        raw in "[A-Za-z0-9]{1,20}",
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("")], 21),
    ) {
        let spaced: String = raw
            .chars()
            .zip(&seps)
            .flat_map(|(c, s)| [c.to_string(), (*s).to_owned()])
            .collect();
        let n = PassportNumber::parse(&spaced).unwrap();
        prop_assert_eq!(n.as_str(), raw.to_ascii_uppercase());
        prop_assert_eq!(PassportNumber::parse(n.as_str()).unwrap(), n);
    }

    #[test]
    fn passport_parsing_never_panics_and_is_idempotent(s in "\\PC{0,30}") {
        if let Ok(n) = PassportNumber::parse(&s) {
            prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
            prop_assert_eq!(PassportNumber::parse(n.as_str()).unwrap(), n);
        }
    }
}

// ---- Nationality ----

#[test]
fn nationalities_come_from_the_iso_and_icao_tables() {
    let kaz = Nationality::parse(" kaz ").unwrap();
    assert_eq!((kaz.as_str(), kaz.name()), ("KAZ", "Kazakhstan"));
    assert!(kaz.is_iso());
    assert_eq!(serde_json::to_value(kaz).unwrap(), "KAZ");
    assert_eq!(Nationality::parse("d").unwrap().as_str(), "DEU");
    for icao in [
        "XXA", "XXB", "XXC", "XXX", "UNO", "UNA", "UNK", "EUE", "XOM", "XPO", "XES", "XMP", "XCC",
        "XBA", "XIM", "XDC", "XCE", "RKS", "GBD", "GBN", "GBO", "GBP", "GBS",
    ] {
        let n = Nationality::parse(icao).unwrap();
        assert!(!n.is_iso(), "{icao}");
    }
    assert_eq!(Nationality::all().filter(Nationality::is_iso).count(), 249);
    assert_eq!(code(Nationality::parse("")), "field.required");
    assert_eq!(code(Nationality::parse("Germany")), "nationality.format");
    assert_eq!(code(Nationality::parse("DE")), "nationality.format");
    assert_eq!(code(Nationality::parse("ÄÖÜ")), "nationality.format");
    let unknown = Nationality::parse("qqq").unwrap_err();
    assert_eq!(
        (unknown.field.as_str(), unknown.code, unknown.param("value")),
        ("nationality", "nationality.unknown", Some("QQQ"))
    );
    // Utopia is ICAO's specimen state, not a nationality.
    assert_eq!(code(Nationality::parse("UTO")), "nationality.unknown");
    assert_eq!(
        Nationality::parse_as("--nationality", "XYZ")
            .unwrap_err()
            .field,
        "--nationality"
    );
}

proptest! {
    #[test]
    fn every_known_code_parses_in_any_case(i in 0usize..300, lower in any::<bool>()) {
        let all: Vec<Nationality> = Nationality::all().collect();
        let n = all[i % all.len()];
        let typed = if lower { n.as_str().to_lowercase() } else { format!(" {n} ") };
        prop_assert_eq!(Nationality::parse(&typed).unwrap(), n);
    }

    #[test]
    fn three_letters_are_known_or_unknown(s in "[A-Z]{3}") {
        match Nationality::parse(&s) {
            Ok(n) => prop_assert_eq!(n.as_str(), s),
            Err(p) => {
                prop_assert_eq!(p.code, "nationality.unknown");
                prop_assert_eq!(p.param("value"), Some(s.as_str()));
            }
        }
    }
}

// ---- Sex ----

#[test]
fn sex_is_m_f_or_x() {
    assert_eq!(Sex::parse(" m "), Ok(Sex::Male));
    assert_eq!(Sex::parse("F"), Ok(Sex::Female));
    assert_eq!(Sex::parse("x"), Ok(Sex::Unspecified));
    assert_eq!(Sex::parse("<"), Ok(Sex::Unspecified));
    assert_eq!(Sex::Unspecified.to_string(), "X");
    assert_eq!(code(Sex::parse("")), "field.required");
    assert_eq!(code(Sex::parse("male")), "sex.invalid");
    // The MRZ's sex is the same type.
    let _: mrz::Sex = Sex::Female;
}

// ---- Email ----

#[test]
fn emails_are_checked_pragmatically() {
    let e = Email::parse("  Anna.Eriksson+visa@Example.ORG ").unwrap();
    assert_eq!(e.as_str(), "Anna.Eriksson+visa@example.org");
    assert_eq!(e.domain(), "example.org");
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        "Anna.Eriksson+visa@example.org"
    );
    assert_eq!(
        Email::parse("айгүл@Пошта.ҚАЗ").unwrap().as_str(),
        "айгүл@пошта.қаз"
    );
    assert_eq!(code(Email::parse(" ")), "field.required");
    for bad in [
        "not an email",
        "anna",
        "@example.org",
        "anna@",
        "anna@example",
        "anna@@example.org",
        "an na@example.org",
        "anna@example..org",
        "anna@-example.org",
        "anna@example-.org",
        "anna@exa_mple.org",
        "anna@1.2.3.4",
        "anna@example.org.",
        "a\u{0}b@example.org",
    ] {
        assert_eq!(code(Email::parse(bad)), "email.invalid", "{bad}");
    }
    let local64 = format!("{}@example.org", "a".repeat(64));
    assert!(Email::parse(&local64).is_ok());
    assert_eq!(code(Email::parse(&format!("a{local64}"))), "email.invalid");
    let label = "d".repeat(63);
    let long = format!("anna@{label}.{label}.{label}.{}.org", "d".repeat(54));
    assert_eq!(long.len(), 255);
    assert_eq!(code(Email::parse(&long)), "email.invalid");
    assert!(Email::parse(&long[1..]).is_ok());
}

proptest! {
    #[test]
    fn plain_addresses_are_accepted_and_stable(
        local in "[a-zA-Z0-9._%+]{1,30}",
        labels in proptest::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", 1..4),
        tld in "[a-zA-Z]{2,6}",
    ) {
        let input = format!("{local}@{}.{tld}", labels.join("."));
        let e = Email::parse(&input).unwrap();
        prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e.clone());
        let prefix = format!("{local}@");
        prop_assert!(e.as_str().starts_with(&prefix));
    }

    #[test]
    fn email_parsing_never_panics(s in "\\PC{0,80}") {
        if let Ok(e) = Email::parse(&s) {
            prop_assert!(!e.as_str().contains(char::is_whitespace));
            prop_assert_eq!(e.as_str().matches('@').count(), 1);
        }
    }
}

// ---- Phone ----

#[test]
fn phones_are_e164() {
    let p = Phone::parse(" +7 (701) 234-56.78 ").unwrap();
    assert_eq!(p.as_str(), "+77012345678");
    assert_eq!(serde_json::to_value(&p).unwrap(), "+77012345678");
    assert_eq!(Phone::parse("+6834002").unwrap().as_str(), "+6834002");
    assert!(Phone::parse("+123456789012345").is_ok());
    assert_eq!(code(Phone::parse("  ")), "field.required");
    for bad in [
        "8 701 234 5678",
        "+0 701 234 5678",
        "+1234567890123456",
        "+123456",
        "+7 701 234 56 78 ext 5",
        "++77012345678",
        "+7701234567８",
        "+",
    ] {
        assert_eq!(code(Phone::parse(bad)), "phone.invalid", "{bad}");
    }
}

proptest! {
    #[test]
    fn phones_drop_separators(
        digits in "[1-9][0-9]{6,14}",
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("."), Just("("), Just(")"), Just("")], 15),
    ) {
        let typed: String = std::iter::once("+".to_owned())
            .chain(digits.chars().zip(&seps).map(|(d, s)| format!("{d}{s}")))
            .collect();
        let p = Phone::parse(&typed).unwrap();
        prop_assert_eq!(p.as_str(), format!("+{digits}"));
        prop_assert_eq!(Phone::parse(p.as_str()).unwrap(), p);
    }
}

// ---- AccessCode ----

#[test]
fn access_codes_have_the_receipt_format() {
    let c = AccessCode::generate();
    let s = c.as_str();
    assert_eq!(s.len(), 26 + 6);
    let groups: Vec<&str> = s.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [4, 4, 4, 4, 4, 4, 2]
    );
    assert!(
        s.chars()
            .all(|ch| ch == '-' || "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(ch))
    );
    assert_eq!(format!("{c:?}"), "AccessCode(…)", "no secret in logs");
    assert_ne!(c, AccessCode::generate());
    assert_eq!(code(AccessCode::parse("")), "field.required");
    assert_eq!(code(AccessCode::parse("ABCD-EFGH")), "access_code.invalid");
    assert_eq!(
        code(AccessCode::parse(&format!("{s}0"))),
        "access_code.invalid"
    );
    assert_eq!(
        code(AccessCode::parse(&s.replacen(|ch: char| ch != '-', "U", 1))),
        "access_code.invalid"
    );
}

proptest! {
    #[test]
    fn access_codes_are_read_however_retyped(seed in any::<[u8; 32]>()) {
        let c = AccessCode::generate_with(&mut StdRng::from_seed(seed));
        let retyped = c.compact().to_lowercase().replace('0', "O").replace('1', "l");
        let spaced: String = retyped
            .chars()
            .enumerate()
            .map(|(i, ch)| if i % 5 == 4 { format!("{ch} ") } else { ch.to_string() })
            .collect();
        prop_assert_eq!(&AccessCode::parse(&spaced).unwrap(), &c);
        prop_assert_eq!(AccessCode::parse(c.as_str()).unwrap().sha256_hex(), c.sha256_hex());
        // The hash the server stored before this type existed.
        let expected = hex::encode(Sha256::digest(format!("tirkeu-access-code:{}", c.compact())));
        prop_assert_eq!(c.sha256_hex(), expected);
    }
}

// ---- Applicant from fields ----

fn good_fields() -> ApplicantFields<'static> {
    ApplicantFields {
        surname: Some(" Eriksson "),
        given_names: Some("Anna   Maria"),
        passport_number: Some("l898902c3"),
        nationality: Some("swe"),
        birth_date: Some("1974-08-12"),
        sex: Some("f"),
        passport_expiry: Some("2030-04-15"),
    }
}

#[test]
fn an_applicant_is_read_from_fields() {
    let a = Applicant::from_fields(&good_fields(), TODAY).unwrap();
    assert_eq!(a.surname(), "Eriksson");
    assert_eq!(a.given_names(), "Anna Maria");
    assert_eq!(a.passport_number().as_str(), "L898902C3");
    assert_eq!(a.nationality().as_str(), "SWE");
    assert_eq!(a.birth_date(), date(1974, 8, 12));
    assert_eq!(a.sex(), Sex::Female);
    assert_eq!(a.passport_expiry(), date(2030, 4, 15));
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::json!({
            "surname": "Eriksson", "given_names": "Anna Maria", "passport_number": "L898902C3",
            "nationality": "SWE", "birth_date": "1974-08-12", "sex": "F",
            "passport_expiry": "2030-04-15"
        })
    );
    // Given names are optional; a passport expiring today is still valid.
    let f = ApplicantFields {
        given_names: None,
        passport_expiry: Some("2026-05-01"),
        ..good_fields()
    };
    assert_eq!(Applicant::from_fields(&f, TODAY).unwrap().given_names(), "");
}

#[test]
fn every_problem_of_the_fields_is_named() {
    let problems = Applicant::from_fields(&ApplicantFields::default(), TODAY).unwrap_err();
    let named: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.field.as_str(), p.code))
        .collect();
    assert_eq!(
        named,
        [
            ("surname", "field.required"),
            ("passport_number", "field.required"),
            ("nationality", "field.required"),
            ("birth_date", "field.required"),
            ("sex", "field.required"),
            ("passport_expiry", "field.required"),
        ]
    );

    let long = "Я".repeat(101);
    let f = ApplicantFields {
        surname: Some(&long),
        given_names: Some("Anna\u{7}"),
        passport_number: Some("L898/902"),
        nationality: Some("Germany"),
        birth_date: Some("31.01.1990"),
        sex: Some("female"),
        passport_expiry: Some("2020-01-01"),
    };
    let problems = Applicant::from_fields(&f, TODAY).unwrap_err();
    assert_eq!(
        described(&problems),
        [
            "surname field.too_long max=100",
            "given_names name.characters",
            "passport_number passport.characters",
            "nationality nationality.format",
            "birth_date date.invalid value=31.01.1990",
            "sex sex.invalid",
            "passport_expiry passport.expired date=2020-01-01",
        ]
    );

    for birth in ["2026-05-01", "2030-01-01"] {
        let f = ApplicantFields {
            birth_date: Some(birth),
            ..good_fields()
        };
        let p = Applicant::from_fields(&f, TODAY).unwrap_err();
        assert_eq!(
            (p[0].field.as_str(), p[0].code),
            ("birth_date", "date.not_past")
        );
    }
    let f = ApplicantFields {
        birth_date: Some("1990-02-30"),
        ..good_fields()
    };
    assert_eq!(
        Applicant::from_fields(&f, TODAY).unwrap_err()[0].code,
        "date.invalid"
    );
    // Problems go under the caller's prefix.
    let p = Applicant::from_fields(&ApplicantFields::default(), TODAY).unwrap_err();
    assert_eq!(p[0].clone().under("applicant").field, "applicant.surname");
}

proptest! {
    #[test]
    fn from_fields_never_panics_and_names_something_when_refusing(
        fields in proptest::collection::vec(proptest::option::of("\\PC{0,12}"), 7),
    ) {
        let get = |i: usize| fields[i].as_deref();
        let f = ApplicantFields {
            surname: get(0),
            given_names: get(1),
            passport_number: get(2),
            nationality: get(3),
            birth_date: get(4),
            sex: get(5),
            passport_expiry: get(6),
        };
        if let Err(problems) = Applicant::from_fields(&f, TODAY) {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| CODES.contains(&p.code)));
        }
    }
}

// ---- Applicant from the MRZ ----

#[test]
fn an_applicant_is_read_from_a_zone() {
    let zone = td3("D", "C01X00T47", "640812", 'F', "310415");
    let a = Applicant::from_mrz(&zone, TODAY).unwrap();
    assert_eq!(a.surname(), "ERIKSSON");
    assert_eq!(a.given_names(), "ANNA MARIA");
    assert_eq!(a.passport_number().as_str(), "C01X00T47");
    assert_eq!(a.nationality().as_str(), "DEU", "the zone's D is Germany");
    assert_eq!(a.birth_date(), date(1964, 8, 12));
    assert_eq!(a.sex(), Sex::Female);
    assert_eq!(a.passport_expiry(), date(2031, 4, 15));
    let x = td3("XXA", "AB1234567", "900101", '<', "300101");
    assert_eq!(
        Applicant::from_mrz(&x, TODAY).unwrap().sex(),
        Sex::Unspecified
    );
}

#[test]
fn a_valid_zone_may_still_be_refused() {
    let zone = td3("UTO", "L898902C3", "740812", 'F', "120415");
    let p = Applicant::from_mrz(&zone, TODAY).unwrap_err();
    assert_eq!(
        described(&p),
        [
            "mrz.expiry_date passport.expired date=2012-04-15",
            "mrz.nationality nationality.unknown value=UTO",
        ]
    );
}

#[test]
fn zone_problems_carry_codes_and_parameters() {
    let zone = td3("KAZ", "N12345678", "900101", 'M', "300101");
    assert!(Applicant::from_mrz(&zone, TODAY).is_ok());
    let problems = |text: &str| Applicant::from_mrz(text, TODAY).unwrap_err();

    // A wrong birth-date check digit.
    let bad = replace_cell(
        &zone,
        1,
        19,
        if zone.as_bytes()[45 + 19] == b'0' {
            '1'
        } else {
            '0'
        },
    );
    let p = problems(&bad);
    let birth = p.iter().find(|p| p.field == "mrz.birth_date").unwrap();
    assert_eq!(birth.code, "mrz.check_digit");
    assert_eq!(birth.param("expected"), Some(&zone[45 + 19..45 + 20]));
    assert_eq!(birth.param("printed"), Some(&bad[45 + 19..45 + 20]));

    let p = problems("");
    assert_eq!((p[0].field.as_str(), p[0].code), ("mrz", "field.required"));
    let p = problems("P<UTO\nL898");
    assert_eq!((p[0].field.as_str(), p[0].code), ("mrz", "mrz.shape"));
    assert_eq!(p[0].param("lines"), Some("2"));
    assert_eq!(p[0].param("lengths"), Some("5, 4"));

    let p = problems(&zone.to_lowercase());
    assert_eq!((p[0].field.as_str(), p[0].code), ("mrz", "mrz.character"));
    assert_eq!(
        (p[0].param("line"), p[0].param("column"), p[0].param("char")),
        (Some("1"), Some("1"), Some("p"))
    );

    let p = problems(&replace_cell(&zone, 1, 20, 'Q'));
    let sex = p.iter().find(|p| p.field == "mrz.sex").unwrap();
    assert_eq!((sex.code, sex.param("value")), ("mrz.sex", Some("Q")));

    let p = problems(&replace_cell(&zone, 0, 2, '1'));
    let state = p.iter().find(|p| p.field == "mrz.issuing_state").unwrap();
    assert_eq!(
        (state.code, state.param("value")),
        ("mrz.state_code", Some("1AZ"))
    );

    let p = problems(&replace_cell(&zone, 0, 0, 'V'));
    assert_eq!(p[0].code, "mrz.visa");
    assert_eq!(p[0].param("value"), Some("V<"));
    let p = problems(&replace_cell(&zone, 0, 0, 'I'));
    assert_eq!(p[0].code, "mrz.document_kind");
    assert_eq!(
        (
            p[0].param("format"),
            p[0].param("expected"),
            p[0].param("value")
        ),
        (Some("TD3"), Some("P"), Some("I<"))
    );
    let p = problems(&replace_cell(&zone, 0, 1, '1'));
    assert_eq!(
        (p[0].code, p[0].param("value")),
        ("mrz.document_code", Some("P1"))
    );

    let p = problems(&replace_cell(&replace_cell(&zone, 0, 5, '<'), 0, 6, '<'));
    assert!(
        p.iter()
            .any(|p| p.field == "mrz.surname" && p.code == "mrz.name_empty")
    );
    let p = problems(&replace_cell(&zone, 0, 16, '4'));
    assert!(
        p.iter()
            .any(|p| p.field == "mrz.given_names" && p.code == "mrz.name_digit")
    );
}

#[test]
fn invalid_dates_and_numbers_in_a_zone() {
    let zone = td3("KAZ", "<<<<<<<<<", "901301", 'M', "300101");
    let report = check(&zone, TODAY);
    let codes: Vec<(&str, &str)> = report.errors.iter().map(|e| (e.field, e.code)).collect();
    assert!(
        codes.contains(&("document_number", "mrz.empty")),
        "{codes:?}"
    );
    assert!(codes.contains(&("birth_date", "mrz.date")), "{codes:?}");
    let date = report.errors.iter().find(|e| e.code == "mrz.date").unwrap();
    assert_eq!(date.param_pairs(), [("value", "901301")]);
    // The English message is unchanged.
    assert_eq!(date.message, "not a valid date YYMMDD: \"901301\"");

    // A TD1 whose number check cell is '<' but whose optional data does not continue it.
    let td1 = "I<UTOD23145890<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    let r = check(td1, TODAY);
    assert!(
        r.errors.iter().any(|e| e.code == "mrz.long_number"),
        "{:?}",
        r.errors
    );
}

#[test]
fn every_zone_code_is_listed() {
    let zone = td3("KAZ", "N12345678", "900101", 'M', "300101");
    let mut seen = Vec::new();
    for line in 0..2 {
        for col in 0..44 {
            for c in ['<', '0', '9', 'A', 'Z', 'x', 'V', 'I'] {
                for e in check(&replace_cell(&zone, line, col, c), TODAY).errors {
                    assert!(mrz::CODES.contains(&e.code), "{} not listed", e.code);
                    let p = e.to_problem();
                    assert!(p.field == "mrz" || p.field == format!("mrz.{}", e.field));
                    if !seen.contains(&e.code) {
                        seen.push(e.code);
                    }
                }
            }
        }
    }
    assert!(seen.len() >= 9, "{seen:?}");
}

/// Each problem as "field code name=value ...".
fn described(problems: &[FieldProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            let params = p.params.iter().map(|(k, v)| format!("{k}={v}"));
            std::iter::once(format!("{} {}", p.field, p.code))
                .chain(params)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn replace_cell(text: &str, line: usize, col: usize, c: char) -> String {
    let mut lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    lines[line][col] = c;
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

trait ParamPairs {
    fn param_pairs(&self) -> Vec<(&str, &str)>;
}

impl ParamPairs for mrz::FieldError {
    fn param_pairs(&self) -> Vec<(&str, &str)> {
        self.params.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}
