//! Application numbers and card numbers.
//!
//! A number is random data in Crockford's base32 (no I, L, O or U, so nothing reads as
//! something else) followed by one check character. The check character is computed with the
//! Damm algorithm over the field GF(32): the running value `r` takes each symbol `d` as
//! `r ← 2·r ⊕ d` (multiplication in GF(2⁵) modulo x⁵ + x² + 1), and the check symbol makes the
//! final value zero. Because `x ↦ 2·x ⊕ d` is a bijection, any single substitution changes the
//! result; because `(r∘a)∘b = (r∘b)∘a` only when `a = b` (the multiplier 2 differs from 1),
//! any transposition of two adjacent different symbols — including the check symbol — is
//! caught. Crockford's own mod-37 check needs five extra symbols (`*~$=U`) that are awkward to
//! read aloud and to put in URLs; this one uses the 32 ordinary symbols.
//!
//! Parsing ignores case, spaces and hyphens, and reads `O` as 0 and `I`/`L` as 1, as Crockford
//! specifies.

use std::fmt;
use std::str::FromStr;

use rand::{CryptoRng, RngExt};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub(crate) const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Multiplies by x in GF(2⁵) with the primitive polynomial x⁵ + x² + 1.
fn times_two(v: u8) -> u8 {
    let shifted = v << 1;
    if shifted & 0x20 == 0 {
        shifted
    } else {
        shifted ^ 0x25
    }
}

/// The Damm running value over symbol values (each < 32).
fn damm(values: impl IntoIterator<Item = u8>) -> u8 {
    values.into_iter().fold(0, |r, d| times_two(r) ^ d)
}

/// The check symbol value for data symbol values.
pub fn check_value(values: &[u8]) -> u8 {
    // The check symbol k must satisfy 2·r ⊕ k = 0.
    times_two(damm(values.iter().copied()))
}

/// The value of one symbol, with Crockford's lenient readings.
pub(crate) fn symbol_value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u8::try_from(p).ok())
}

/// Why a number was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("the number is empty")]
    Empty,
    #[error(
        "`{ch}` (character {position}) is not allowed; numbers use the digits 0-9 and the letters A-Z except U"
    )]
    InvalidCharacter { ch: char, position: usize },
    #[error("the number has {found} characters; it should have {expected}")]
    WrongLength { found: usize, expected: usize },
    #[error("the check character does not match: a character is mistyped or two are swapped")]
    CheckFailed,
}

/// Parses `input` into `LEN` symbol values (data plus check), verifying the check.
fn parse_symbols<const LEN: usize>(input: &str) -> Result<[u8; LEN], NumberError> {
    let mut out = [0u8; LEN];
    let mut n = 0;
    for (i, c) in input.chars().enumerate() {
        if c == '-' || c.is_whitespace() {
            continue;
        }
        let v = symbol_value(c).ok_or(NumberError::InvalidCharacter {
            ch: c,
            position: i + 1,
        })?;
        if n < LEN {
            out[n] = v;
        }
        n += 1;
    }
    if n == 0 {
        return Err(NumberError::Empty);
    }
    if n != LEN {
        return Err(NumberError::WrongLength {
            found: n,
            expected: LEN,
        });
    }
    if damm(out) != 0 {
        return Err(NumberError::CheckFailed);
    }
    Ok(out)
}

fn random_symbols<const LEN: usize, R: CryptoRng + ?Sized>(rng: &mut R) -> [u8; LEN] {
    let mut out = [0u8; LEN];
    for v in out.iter_mut().take(LEN - 1) {
        *v = rng.random_range(0..32);
    }
    out[LEN - 1] = check_value(&out[..LEN - 1]);
    out
}

fn write_grouped(f: &mut fmt::Formatter<'_>, symbols: &[u8]) -> fmt::Result {
    for (i, v) in symbols.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            f.write_str("-")?;
        }
        write!(f, "{}", char::from(ALPHABET[usize::from(*v)]))?;
    }
    Ok(())
}

macro_rules! checked_number {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Symbols in the printed form, including the check character.
            pub const LEN: usize = $len;
            /// Random bits carried.
            pub const RANDOM_BITS: usize = ($len - 1) * 5;

            /// Parses a number typed by a person: case, spaces and hyphens do not matter.
            pub fn parse(input: &str) -> Result<Self, NumberError> {
                parse_symbols::<$len>(input).map($name)
            }

            /// A new random number from the thread's cryptographically secure generator.
            pub fn generate() -> Self {
                Self::generate_with(&mut rand::rng())
            }

            /// A new random number from `rng`.
            pub fn generate_with<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
                $name(random_symbols::<$len, R>(rng))
            }

            /// The compact form without hyphens, as stored.
            pub fn compact(&self) -> String {
                self.0.iter().map(|v| char::from(ALPHABET[usize::from(*v)])).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_grouped(f, &self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }

        impl FromStr for $name {
            type Err = NumberError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

checked_number!(
    /// An application number, e.g. `7K2M-Q9XD-4HRT-1BWF`: 75 random bits and a check character.
    /// It is printed on the receipt and used with the passport number to look up a status.
    CaseNumber,
    16
);

checked_number!(
    /// A registration card number, e.g. `P4KX-20MZ-Q7RE`: 55 random bits and a check
    /// character. Cards are verified with a separate public token, so the number need not be
    /// secret.
    CardNumber,
    12
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_round_trip_in_every_spelling() {
        for _ in 0..200 {
            let n = CaseNumber::generate();
            let s = n.to_string();
            assert_eq!(s.len(), 19);
            assert_eq!(CaseNumber::parse(&s), Ok(n));
            assert_eq!(CaseNumber::parse(&s.to_lowercase()), Ok(n));
            assert_eq!(CaseNumber::parse(&n.compact()), Ok(n));
            assert_eq!(CaseNumber::parse(&s.replace('-', " ")), Ok(n));
            let c = CardNumber::generate();
            assert_eq!(CardNumber::parse(&c.to_string()), Ok(c));
        }
        const { assert!(CaseNumber::RANDOM_BITS >= 60) };
    }

    #[test]
    fn reads_crockford_lookalikes() {
        let n = CaseNumber::generate().compact();
        let with_lookalikes = n.replace('0', "o").replace('1', "l");
        assert_eq!(CaseNumber::parse(&with_lookalikes).unwrap().compact(), n);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(CaseNumber::parse(" - "), Err(NumberError::Empty));
        assert_eq!(
            CaseNumber::parse("ABCD-EFGH"),
            Err(NumberError::WrongLength {
                found: 8,
                expected: 16
            })
        );
        assert_eq!(
            CaseNumber::parse("ABCD-EFGH-JKMN-PQRU"),
            Err(NumberError::InvalidCharacter {
                ch: 'U',
                position: 19
            })
        );
        assert!(
            CaseNumber::parse("ABCD/")
                .unwrap_err()
                .to_string()
                .contains("character 5")
        );
    }

    #[test]
    fn the_field_multiplier_is_a_bijection() {
        let mut seen = [false; 32];
        for v in 0..32u8 {
            let t = times_two(v);
            assert!(t < 32);
            assert!(!seen[usize::from(t)]);
            seen[usize::from(t)] = true;
        }
    }
}
