//! Application and card numbers catch every single-character substitution and every adjacent
//! transposition, checked exhaustively over each generated number.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tirkeu_core::number::{CardNumber, CaseNumber, NumberError};

const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Every string one substitution or one adjacent transposition away from `compact`.
fn one_error_away(compact: &str) -> Vec<String> {
    let chars: Vec<char> = compact.chars().collect();
    let mut out = Vec::new();
    for i in 0..chars.len() {
        for c in ALPHABET.chars().filter(|c| *c != chars[i]) {
            let mut v = chars.clone();
            v[i] = c;
            out.push(v.into_iter().collect());
        }
        if i + 1 < chars.len() && chars[i] != chars[i + 1] {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            out.push(v.into_iter().collect());
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn case_numbers_catch_every_single_error(seed in any::<[u8; 32]>()) {
        let n = CaseNumber::generate_with(&mut StdRng::from_seed(seed));
        let compact = n.compact();
        let variants = one_error_away(&compact);
        // 16 positions × 31 substitutions plus up to 15 transpositions.
        prop_assert!(variants.len() >= 16 * 31);
        for v in variants {
            prop_assert_eq!(CaseNumber::parse(&v), Err(NumberError::CheckFailed), "{} → {}", compact, v);
        }
    }

    #[test]
    fn card_numbers_catch_every_single_error(seed in any::<[u8; 32]>()) {
        let n = CardNumber::generate_with(&mut StdRng::from_seed(seed));
        for v in one_error_away(&n.compact()) {
            prop_assert_eq!(CardNumber::parse(&v), Err(NumberError::CheckFailed));
        }
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,40}") {
        let _ = CaseNumber::parse(&s);
        let _ = CardNumber::parse(&s);
    }

    #[test]
    fn formatting_round_trips(seed in any::<[u8; 32]>(), sep in "[ -]{0,2}") {
        let n = CaseNumber::generate_with(&mut StdRng::from_seed(seed));
        let spaced: String = n.compact().chars().flat_map(|c| [c.to_ascii_lowercase()].into_iter().chain(sep.chars())).collect();
        prop_assert_eq!(CaseNumber::parse(&spaced), Ok(n));
        prop_assert_eq!(serde_json::from_str::<CaseNumber>(&serde_json::to_string(&n).unwrap()).unwrap(), n);
    }
}

#[test]
fn numbers_are_distinct() {
    let mut seen = std::collections::HashSet::new();
    for _ in 0..10_000 {
        assert!(seen.insert(CaseNumber::generate()));
    }
}
