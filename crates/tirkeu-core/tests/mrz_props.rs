//! Properties of the MRZ reader: it never panics, it reads back every zone the
//! independent builder in `mrz_support` writes, and `check_digit` matches a reference.

mod mrz_support;

use mrz_support::{TODAY, any_fields, cd};
use proptest::prelude::*;
use tirkeu_core::mrz::{Mrz, MrzFormat, check, check_digit};

/// Lines of exactly the right lengths for a format, over the MRZ alphabet plus a few
/// characters that must be refused (lowercase, space, non-ASCII).
fn shaped_lines(format: MrzFormat) -> impl Strategy<Value = String> {
    let (count, len) = match format {
        MrzFormat::Td1 => (3, 30),
        MrzFormat::Td2 => (2, 36),
        MrzFormat::Td3 => (2, 44),
    };
    let line = proptest::string::string_regex(&format!("[A-Z0-9<]{{{len}}}")).unwrap();
    // Spaces only inside: surrounding whitespace is trimmed and would change the shape.
    let odd = proptest::string::string_regex(&format!(
        "[A-Z0-9<a-z][A-Z0-9<a-zé -]{{{}}}[A-Z0-9<a-z]",
        len - 2
    ))
    .unwrap();
    prop::collection::vec(prop_oneof![4 => line, 1 => odd], count).prop_map(|l| l.join("\n"))
}

fn any_format() -> impl Strategy<Value = MrzFormat> {
    prop::sample::select(vec![MrzFormat::Td1, MrzFormat::Td2, MrzFormat::Td3])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn check_never_panics_on_any_string(text in any::<String>()) {
        let r = check(&text, TODAY);
        prop_assert_eq!(r.valid, r.errors.is_empty());
    }

    #[test]
    fn check_never_panics_on_shaped_lines(text in any_format().prop_flat_map(shaped_lines)) {
        let r = check(&text, TODAY);
        prop_assert!(r.format.is_some());
        prop_assert_eq!(r.valid, r.errors.is_empty());
        match Mrz::parse(&text, TODAY) {
            Ok(m) => prop_assert_eq!(m.report(), r),
            Err(e) => prop_assert_eq!(e.errors, r.errors),
        }
    }

    #[test]
    fn check_never_panics_on_extreme_todays(
        text in any_format().prop_flat_map(shaped_lines),
        year in -9999i16..=9999,
    ) {
        let today = jiff::civil::Date::new(year, 12, 31).unwrap();
        let _ = check(&text, today);
    }

    #[test]
    fn generated_zones_round_trip(fields in any_fields()) {
        let text = fields.build();
        let r = check(&text, TODAY);
        prop_assert_eq!(&r, &fields.expected_report(), "zone:\n{}", text);
        let parsed = Mrz::parse(&text, TODAY).unwrap();
        prop_assert_eq!(parsed.report(), r);
    }

    #[test]
    fn any_single_cell_change_of_a_generated_zone_never_panics(
        fields in any_fields(),
        at in any::<prop::sample::Index>(),
        c in prop::sample::select(('0'..='9').chain('A'..='Z').chain(['<', 'a']).collect::<Vec<_>>()),
    ) {
        let mut chars: Vec<char> = fields.build().chars().collect();
        let i = at.index(chars.len());
        if chars[i] != '\n' {
            chars[i] = c;
        }
        let text: String = chars.into_iter().collect();
        let r = check(&text, TODAY);
        prop_assert_eq!(r.valid, r.errors.is_empty());
    }

    #[test]
    fn check_digit_matches_reference(field in "[A-Z0-9<]{0,60}") {
        prop_assert_eq!(check_digit(&field).map(|d| char::from(b'0' + d)), Some(cd(&field)));
    }

    #[test]
    fn check_digit_refuses_other_characters(field in "[A-Z0-9<]{0,10}[^A-Z0-9<][A-Z0-9<]{0,10}") {
        prop_assert_eq!(check_digit(&field), None);
    }
}
