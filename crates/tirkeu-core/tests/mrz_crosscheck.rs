//! Cross-check against the third-party `mrz` crate (dev-dependency only): on generated
//! zones, intact or with one cell changed, both must agree on whether every check digit
//! holds. Only the check-digit verdict is compared: `mrz` deliberately accepts things
//! this module refuses (unknown dates as fillers, out-of-calendar dates) and vice versa.
//!
//! One known difference in check digits is excluded: `mrz` reads a '<' in any check digit
//! cell as the value 0, while we accept '<' there only where Doc 9303 allows it (an empty
//! TD3 personal number, Part 4 §4.2.2 note; a long TD1/TD2 document number, Parts 5/6
//! §4.2.4) — Part 3 §4.9 defines check digits as numerals. `mrz` also reads a TD3 long
//! document number by its own policy, which starts with the same '<', and a long TD1/TD2
//! number whose first 9 cells hold a filler, which we refuse.

mod mrz_support;

use mrz_support::{TODAY, any_fields};
use proptest::prelude::*;
use tirkeu_core::mrz::{MrzFormat, check};

const CHECK_DIGIT_FIELDS: [&str; 5] = [
    "document_number",
    "birth_date",
    "expiry_date",
    "optional_data",
    "composite",
];

fn ours(text: &str) -> bool {
    !check(text, TODAY)
        .errors
        .iter()
        .any(|e| CHECK_DIGIT_FIELDS.contains(&e.field) && e.message.starts_with("check digit"))
}

/// `None` when `mrz` refuses the zone outright (e.g. a leading filler in the document
/// number, which it rejects by policy rather than by check digit).
fn theirs(format: MrzFormat, text: &str) -> Option<bool> {
    let l: Vec<&str> = text.lines().collect();
    let parsed = match format {
        MrzFormat::Td1 => mrz::parse_td1(l[0], l[1], l[2]),
        MrzFormat::Td2 => mrz::parse_td2(l[0], l[1]),
        MrzFormat::Td3 => mrz::parse_td3(l[0], l[1]),
    };
    parsed.ok().map(|d| d.valid())
}

/// (line, column) of every check digit cell.
fn check_digit_cells(format: MrzFormat) -> &'static [(usize, usize)] {
    match format {
        MrzFormat::Td1 => &[(0, 14), (1, 6), (1, 14), (1, 29)],
        MrzFormat::Td2 => &[(1, 9), (1, 19), (1, 27), (1, 35)],
        MrzFormat::Td3 => &[(1, 9), (1, 19), (1, 27), (1, 42), (1, 43)],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn valid_zones_agree(fields in any_fields()) {
        let text = fields.build();
        prop_assert!(ours(&text));
        prop_assert_eq!(theirs(fields.format, &text), Some(true), "zone:\n{}", text);
    }

    #[test]
    fn corrupted_zones_agree(
        fields in any_fields(),
        at in any::<prop::sample::Index>(),
        c in prop::sample::select(('0'..='9').chain('A'..='Z').chain(['<']).collect::<Vec<_>>()),
    ) {
        let text = fields.build();
        let mut lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
        // Change one cell outside the document code and issuing state (line 1, 0..5),
        // which no check digit covers and `mrz` validates by its own policy.
        let cells: Vec<(usize, usize)> = lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| (0..l.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| !(i == 0 && j < 5))
            .collect();
        let (i, j) = cells[at.index(cells.len())];
        lines[i][j] = c;
        let corrupted = lines.iter().map(|l| l.iter().collect::<String>()).collect::<Vec<_>>().join("\n");
        if c == '<' && check_digit_cells(fields.format).contains(&(i, j)) {
            return Ok(());
        }
        // A TD3 personal number changed from empty to a value congruent to 0 keeps its
        // '<' check digit: the same difference seen from the other side.
        if fields.format == MrzFormat::Td3
            && lines[1][42] == '<'
            && lines[1][28..42].iter().any(|&c| c != '<')
        {
            return Ok(());
        }
        // A long TD1/TD2 number has all 9 cells of its field filled (Parts 5/6 §4.2.4);
        // `mrz` also reads one whose field holds a filler, we refuse it.
        let (line, start) = if fields.format == MrzFormat::Td1 { (0, 5) } else { (1, 0) };
        if fields.format != MrzFormat::Td3
            && lines[line][start + 9] == '<'
            && lines[line][start..start + 9].contains(&'<')
        {
            return Ok(());
        }
        // When the continuation is malformed (no digit before the first filler of the
        // optional data), `mrz` falls back to reading that '<' as a check digit of 0.
        if fields.format != MrzFormat::Td3 && lines[line][start + 9] == '<' {
            let optional: &[char] = if fields.format == MrzFormat::Td1 { &lines[0][15..30] } else { &lines[1][28..35] };
            let end = optional.iter().position(|&c| c == '<').unwrap_or(0);
            if end < 2 || !optional[end - 1].is_ascii_digit() {
                return Ok(());
            }
        }
        if let Some(verdict) = theirs(fields.format, &corrupted) {
            prop_assert_eq!(ours(&corrupted), verdict, "zone:\n{}", corrupted);
        }
    }
}
