//! The specimen zones published in ICAO Doc 9303 (8th edition), read field by field,
//! then corrupted one cell at a time.

use jiff::civil::{Date, date};
use tirkeu_core::mrz::{Mrz, MrzFormat, MrzReport, Sex, check, check_digit};

const TODAY: Date = date(2026, 5, 1);

/// Doc 9303 Part 4, Appendix A (TD3 passport specimen of "Utopia").
const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";

/// Doc 9303 Part 5, Appendix A (TD1 specimen).
const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                   7408122F1204159UTO<<<<<<<<<<<6\n\
                   ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

/// Doc 9303 Part 6, Appendix A (TD2 specimen).
const TD2: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
                   D231458907UTO7408122F1204159<<<<<<<6";

/// Doc 9303 Part 11, Appendix D.2: a TD1 whose document number (D23145890734) is longer
/// than 9 characters, so its check digit cell holds '<' and the rest plus the check
/// digit open the optional data (Parts 5 and 6 §4.2.4).
const TD1_LONG: &str = "I<UTOD23145890<7349<<<<<<<<<<<\n\
                        3407127M9507122UTO<<<<<<<<<<<2\n\
                        STEVENSON<<PETER<JOHN<<<<<<<<<";

/// Doc 9303 Part 11, Appendix D.2: the same data as a TD2.
const TD2_LONG: &str = "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\n\
                        D23145890<UTO3407127M95071227349<<<8";

fn valid(text: &str) -> MrzReport {
    let report = check(text, TODAY);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.valid);
    let parsed = Mrz::parse(text, TODAY).expect("valid specimen");
    assert_eq!(
        parsed.report(),
        report,
        "parse().report() must equal check()"
    );
    report
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "compared with the report's Option fields"
)]
fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn fields(report: &MrzReport) -> Vec<&'static str> {
    report.errors.iter().map(|e| e.field).collect()
}

#[test]
fn td3_specimen_every_field() {
    let r = valid(TD3);
    assert_eq!(r.format, Some(MrzFormat::Td3));
    assert_eq!(r.document_code, s("P"));
    assert_eq!(r.issuing_state, s("UTO"));
    assert_eq!(r.surname, s("ERIKSSON"));
    assert_eq!(r.given_names, s("ANNA MARIA"));
    assert_eq!(r.document_number, s("L898902C3"));
    assert_eq!(r.nationality, s("UTO"));
    assert_eq!(r.birth_date, Some(date(1974, 8, 12)));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
    assert_eq!(r.optional_data, s("ZE184226B"));
    assert_eq!(r.optional_data_2, None);

    let m = Mrz::parse(TD3, TODAY).unwrap();
    assert_eq!(m.format(), MrzFormat::Td3);
    assert_eq!(m.document_number(), "L898902C3");
    assert_eq!(m.surname(), "ERIKSSON");
    assert_eq!(m.given_names(), "ANNA MARIA");
    assert_eq!(m.birth_date(), date(1974, 8, 12));
    assert_eq!(m.sex(), Sex::Female);
    assert_eq!(m.optional_data(), Some("ZE184226B"));
}

#[test]
fn td1_specimen_every_field() {
    let r = valid(TD1);
    assert_eq!(r.format, Some(MrzFormat::Td1));
    assert_eq!(r.document_code, s("I"));
    assert_eq!(r.issuing_state, s("UTO"));
    assert_eq!(r.document_number, s("D23145890"));
    assert_eq!(r.optional_data, None);
    assert_eq!(r.birth_date, Some(date(1974, 8, 12)));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
    assert_eq!(r.nationality, s("UTO"));
    assert_eq!(r.optional_data_2, None);
    assert_eq!(r.surname, s("ERIKSSON"));
    assert_eq!(r.given_names, s("ANNA MARIA"));
}

#[test]
fn td2_specimen_every_field() {
    let r = valid(TD2);
    assert_eq!(r.format, Some(MrzFormat::Td2));
    assert_eq!(r.document_code, s("I"));
    assert_eq!(r.issuing_state, s("UTO"));
    assert_eq!(r.surname, s("ERIKSSON"));
    assert_eq!(r.given_names, s("ANNA MARIA"));
    assert_eq!(r.document_number, s("D23145890"));
    assert_eq!(r.nationality, s("UTO"));
    assert_eq!(r.birth_date, Some(date(1974, 8, 12)));
    assert_eq!(r.sex, Some(Sex::Female));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
    assert_eq!(r.optional_data, None);
    assert_eq!(r.optional_data_2, None);
}

#[test]
fn long_document_numbers_of_part_11_specimens() {
    for (text, format) in [(TD1_LONG, MrzFormat::Td1), (TD2_LONG, MrzFormat::Td2)] {
        let r = valid(text);
        assert_eq!(r.format, Some(format));
        assert_eq!(r.document_number, s("D23145890734"));
        assert_eq!(r.optional_data, None, "the overflow is not optional data");
        assert_eq!(r.surname, s("STEVENSON"));
        assert_eq!(r.given_names, s("PETER JOHN"));
        assert_eq!(r.birth_date, Some(date(1934, 7, 12)));
        assert_eq!(r.sex, Some(Sex::Male));
        // The specimen means 1995; by our rule expiry is always 20YY (see src/mrz.rs).
        assert_eq!(r.expiry_date, Some(date(2095, 7, 12)));
    }
}

#[test]
fn long_document_number_with_optional_data_after_it() {
    // The TD1 above with "AB12" of optional data after the overflow and its separator;
    // check digits recomputed by hand: composite over line 1 [5..30] and line 2.
    let line1 = "I<UTOD23145890<7349<AB12<<<<<<";
    let composite = check_digit(&format!("{}34071279507122<<<<<<<<<<<", &line1[5..])).unwrap();
    let text = format!(
        "{line1}\n3407127M9507122UTO<<<<<<<<<<<{composite}\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
    );
    let r = valid(&text);
    assert_eq!(r.document_number, s("D23145890734"));
    assert_eq!(r.optional_data, s("AB12"));
}

#[test]
fn long_document_number_without_continuation_is_an_error() {
    // '<' in the check digit cell but the optional data is empty.
    let text = TD1.replacen("D231458907", "D23145890<", 1);
    let r = check(&text, TODAY);
    assert!(fields(&r).contains(&"document_number"), "{:?}", r.errors);
    assert!(!r.valid);
}

#[test]
fn td3_has_no_long_document_number() {
    let text = TD3.replacen("L898902C36", "L898902C3<", 1);
    let r = check(&text, TODAY);
    assert_eq!(fields(&r), ["document_number", "composite"]);
    assert_eq!(r.errors[0].message, "check digit is <, expected 6");
}

/// Check digit cells of each specimen: (line, column, field it guards).
fn check_cells(text: &str) -> Vec<(usize, usize, &'static str)> {
    match text {
        TD3 => vec![
            (1, 9, "document_number"),
            (1, 19, "birth_date"),
            (1, 27, "expiry_date"),
            (1, 42, "optional_data"),
            (1, 43, "composite"),
        ],
        TD2 => vec![
            (1, 9, "document_number"),
            (1, 19, "birth_date"),
            (1, 27, "expiry_date"),
            (1, 35, "composite"),
        ],
        TD1 => vec![
            (0, 14, "document_number"),
            (1, 6, "birth_date"),
            (1, 14, "expiry_date"),
            (1, 29, "composite"),
        ],
        TD1_LONG => vec![
            (0, 18, "document_number"),
            (1, 6, "birth_date"),
            (1, 14, "expiry_date"),
            (1, 29, "composite"),
        ],
        TD2_LONG => vec![
            (1, 31, "document_number"),
            (1, 19, "birth_date"),
            (1, 27, "expiry_date"),
            (1, 35, "composite"),
        ],
        _ => unreachable!(),
    }
}

fn replace_cell(text: &str, line: usize, col: usize, c: char) -> String {
    let mut lines: Vec<String> = text.lines().map(|l| l.trim().to_owned()).collect();
    lines[line].replace_range(col..=col, &c.to_string());
    lines.join("\n")
}

const SPECIMENS: [&str; 5] = [TD3, TD1, TD2, TD1_LONG, TD2_LONG];

#[test]
fn every_check_digit_corruption_names_its_field() {
    for text in SPECIMENS {
        for (line, col, field) in check_cells(text) {
            let original = text.lines().nth(line).unwrap().trim().as_bytes()[col] as char;
            for c in ('0'..='9').filter(|&c| c != original) {
                let r = check(&replace_cell(text, line, col, c), TODAY);
                // A check digit cell is itself covered by the composite (except the
                // composite's own), so both must be reported, in zone order.
                let expected: Vec<&str> = if field == "composite" {
                    vec!["composite"]
                } else {
                    vec![field, "composite"]
                };
                assert_eq!(fields(&r), expected, "{text} with {c} at {line}:{col}");
                assert!(!r.valid);
                assert_eq!(
                    r.errors[0].message,
                    format!("check digit is {c}, expected {original}")
                );
                assert!(Mrz::parse(&replace_cell(text, line, col, c), TODAY).is_err());
            }
        }
    }
}

fn value(c: char) -> u32 {
    match c {
        '<' => 0,
        '0'..='9' => c as u32 - '0' as u32,
        _ => c as u32 - 'A' as u32 + 10,
    }
}

/// Every substitution in a cell covered by a check digit is caught, except those the
/// 7-3-1 mod 10 sum provably cannot see: replacing a value by one congruent mod 10
/// (e.g. 'K' (20) by '<' (0)). Count both to keep the claim honest.
#[test]
fn every_data_cell_substitution_is_caught_unless_congruent_mod_10() {
    let alphabet: Vec<char> = ('0'..='9').chain('A'..='Z').chain(['<']).collect();
    let (mut caught, mut blind) = (0, 0);
    for text in [TD3, TD2, TD1] {
        // (line, start, end) of fields with a check digit, and the field name.
        let covered: Vec<(usize, usize, usize, &str)> = match text {
            TD3 => vec![
                (1, 0, 9, "document_number"),
                (1, 13, 19, "birth_date"),
                (1, 21, 27, "expiry_date"),
                (1, 28, 42, "optional_data"),
            ],
            TD2 => vec![
                (1, 0, 9, "document_number"),
                (1, 13, 19, "birth_date"),
                (1, 21, 27, "expiry_date"),
            ],
            _ => vec![
                (0, 5, 14, "document_number"),
                (1, 0, 6, "birth_date"),
                (1, 8, 14, "expiry_date"),
            ],
        };
        for (line, start, end, field) in covered {
            for col in start..end {
                let original = text.lines().nth(line).unwrap().trim().as_bytes()[col] as char;
                for &c in alphabet.iter().filter(|&&c| c != original) {
                    let corrupted = replace_cell(text, line, col, c);
                    // '<' in the first cell of a document number is not a concern here.
                    let r = check(&corrupted, TODAY);
                    let flagged = r
                        .errors
                        .iter()
                        .any(|e| e.field == field && e.message.starts_with("check digit"));
                    if value(c) % 10 == value(original) % 10 {
                        blind += 1;
                        assert!(!flagged, "{corrupted}");
                    } else {
                        caught += 1;
                        assert!(flagged, "{corrupted}: {:?}", r.errors);
                    }
                    assert!(!r.valid || value(c) % 10 == value(original) % 10);
                }
            }
        }
    }
    // 36 alternatives per cell, 3 or 4 of them congruent to the original mod 10:
    // 229 of 2772 substitutions (8.3%) are invisible to any check digit.
    assert_eq!((caught, blind), (2543, 229));
}

#[test]
fn shape_errors_say_what_was_found() {
    let two_lines =
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<1";
    let r = check(two_lines, TODAY);
    assert_eq!(fields(&r), ["mrz"]);
    assert_eq!(
        r.errors[0].message,
        "expected 2 lines of 44 (TD3, passport), 2 of 36 (TD2) or 3 of 30 (TD1); got 2 lines of 44 and 43 characters"
    );
    assert_eq!(r.format, None);
    assert_eq!(r.surname, None);
    assert!(check("", TODAY).errors[0].message.ends_with("got no text"));
    assert!(
        check("P<UTO", TODAY).errors[0]
            .message
            .ends_with("got 1 line of 5 characters")
    );
    let td1_short = TD1.replacen("<<<<<<<<<<\n", "<<<<<<<<<\n", 1);
    assert!(
        check(&td1_short, TODAY).errors[0]
            .message
            .ends_with("got 3 lines of 29, 30 and 30 characters")
    );
}

#[test]
fn whitespace_crlf_and_blank_lines_are_tolerated() {
    let messy = format!(
        "\r\n  {}  \r\n\r\n\t{}\r\n\n",
        TD3.lines().next().unwrap(),
        TD3.lines().nth(1).unwrap().trim()
    );
    assert_eq!(check(&messy, TODAY), check(TD3, TODAY));
}

#[test]
fn lowercase_is_an_error_with_line_and_column() {
    let text = TD3.replacen("P<UTOERIKSSON", "P<UTOeRIKSSON", 1);
    let r = check(&text, TODAY);
    assert_eq!(r.errors[0].field, "mrz");
    assert_eq!(
        r.errors[0].message,
        "invalid character 'e' at line 1, column 6; only A-Z, 0-9 and '<' are allowed"
    );
    assert!(!r.valid);
    // The line number counts blank lines and the column counts trimmed indentation.
    let shifted = format!(
        "\n\n   {}\n{}",
        TD3.lines().next().unwrap(),
        TD3.lines().nth(1).unwrap().trim().replacen('L', "l", 1)
    );
    let r = check(&shifted, TODAY);
    assert_eq!(
        r.errors[0].message,
        "invalid character 'l' at line 4, column 1; only A-Z, 0-9 and '<' are allowed"
    );
}

#[test]
fn all_errors_are_collected() {
    // Bad sex, bad nationality, invalid birth date (month 13) with a wrong check digit,
    // empty surname.
    let text = "P<UTO<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<<<<<<<\n\
                L898902C36U1O7413122Q1204159ZE184226B<<<<<10";
    let r = check(text, TODAY);
    assert_eq!(
        fields(&r),
        [
            "surname",
            "nationality",
            "birth_date",
            "birth_date",
            "sex",
            "composite"
        ],
        "{:?}",
        r.errors
    );
    assert!(
        r.errors
            .iter()
            .any(|e| e.message == "not a valid date YYMMDD: \"741312\"")
    );
    // Best effort: what could be read is still there.
    assert_eq!(r.document_number, s("L898902C3"));
    assert_eq!(r.given_names, s("ANNA MARIA"));
    assert_eq!(r.expiry_date, Some(date(2012, 4, 15)));
    let err = Mrz::parse(text, TODAY).unwrap_err();
    assert_eq!(err.errors, r.errors);
    assert!(err.to_string().starts_with("surname: is empty"));
    assert!(
        err.to_string()
            .contains("; sex: expected M, F, X or '<', got 'Q'")
    );
}

#[test]
fn birth_century_is_the_latest_not_after_today() {
    let zone = |birth: &str| {
        let upper = format!(
            "L898902C36UTO{birth}{}F1204159ZE184226B<<<<<1",
            check_digit(birth).unwrap()
        );
        let comp = check_digit(&format!(
            "{}{}{}",
            &upper[0..10],
            &upper[13..20],
            &upper[21..43]
        ))
        .unwrap();
        format!("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n{upper}{comp}")
    };
    let birth = |b: &str, today: Date| check(&zone(b), today).birth_date;
    assert_eq!(birth("740812", TODAY), Some(date(1974, 8, 12)));
    assert_eq!(birth("050101", TODAY), Some(date(2005, 1, 1)));
    assert_eq!(birth("260501", TODAY), Some(date(2026, 5, 1)), "born today");
    assert_eq!(
        birth("260502", TODAY),
        Some(date(1926, 5, 2)),
        "tomorrow is a century ago"
    );
    // 29 February 2000 exists, 1900 does not, 2100 does not.
    assert_eq!(birth("000229", date(2099, 1, 1)), Some(date(2000, 2, 29)));
    let r = check(&zone("000229"), date(2000, 2, 28));
    assert_eq!(
        r.birth_date, None,
        "1900-02-29 does not exist and 2000-02-29 is tomorrow"
    );
    assert!(r.errors.iter().any(|e| e.field == "birth_date"));
}

#[test]
fn expired_document_is_not_an_mrz_error() {
    // The TD3 specimen expired in 2012; the zone is still valid.
    assert!(check(TD3, date(2100, 1, 1)).valid);
}

#[test]
fn personal_number_check_digit_may_be_filler_when_empty() {
    // TD3 with an empty personal number: '<' and '0' are both accepted.
    for pcd in ['<', '0'] {
        let upper = format!("L898902C36UTO7408122F1204159<<<<<<<<<<<<<<{pcd}");
        let comp = check_digit(&format!(
            "{}{}{}",
            &upper[0..10],
            &upper[13..20],
            &upper[21..43]
        ))
        .unwrap();
        let text = format!("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n{upper}{comp}");
        let r = valid(&text);
        assert_eq!(r.optional_data, None);
    }
}

#[test]
fn document_code_is_checked_per_format() {
    let visa = TD3.replacen("P<", "V<", 1);
    let r = check(&visa, TODAY);
    assert_eq!(fields(&r), ["document_code"]);
    assert!(
        r.errors[0].message.contains("visa"),
        "{}",
        r.errors[0].message
    );
    let passport_as_td1 = TD1.replacen("I<UTO", "P<UTO", 1);
    assert_eq!(fields(&check(&passport_as_td1, TODAY)), ["document_code"]);
    let ac = TD1.replacen("I<UTO", "ACUTO", 1);
    assert_eq!(check(&ac, TODAY).document_code, s("AC"));
}

#[test]
fn json_shape() {
    let json = serde_json::to_value(check(TD3, TODAY)).unwrap();
    assert_eq!(json["format"], "TD3");
    assert_eq!(json["sex"], "F");
    assert_eq!(json["birth_date"], "1974-08-12");
    assert_eq!(json["optional_data_2"], serde_json::Value::Null);
    assert_eq!(json["errors"], serde_json::json!([]));
    let bad = serde_json::to_value(check("x", TODAY)).unwrap();
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["errors"][0]["field"], "mrz");
    assert_eq!(MrzFormat::Td1.to_string(), "TD1");
    assert_eq!(serde_json::to_value(Sex::Unspecified).unwrap(), "X");
}

#[test]
fn known_check_digits() {
    // Doc 9303 Part 3 §4.9 worked example: 520727 => 3.
    assert_eq!(check_digit("520727"), Some(3));
    assert_eq!(check_digit("L898902C3"), Some(6));
    assert_eq!(check_digit("AB2134<<<"), Some(5));
    assert_eq!(check_digit(""), Some(0));
    assert_eq!(check_digit("l898902C3"), None);
    assert_eq!(check_digit("L898 02C3"), None);
}
